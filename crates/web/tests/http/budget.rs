//! The budget page and internal trades over HTTP: figures read from the ledger, the chart,
//! and the trade flows with their permissions.
// Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::invoicing::vat::VatCategory;
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::audit::AuditFilter;
use ruche_store::{AuditContext, PageRequest};
use serde_json::Value;

use crate::app::{Browser, PASSWORD, TestApp, location};

fn ctx() -> AuditContext {
    AuditContext::system()
}

/// A member account `email` (contract accepted, an IBAN for their pay) and its person id.
pub async fn member(app: &TestApp, email: &str, language: Option<Language>) -> i64 {
    let person = PersonForm {
        first_name: email.split('@').next().unwrap_or("x").into(),
        last_name: "Test".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        office_id: app.office_id.to_string(),
        iban: "BE71 0961 2345 6769".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let new = NewAccount {
        email: email.into(),
        password_hash: ruche_web::auth::password::hash_now(PASSWORD).unwrap(),
        language,
        roles: vec![RoleGrant {
            role: Role::Member,
            office_id: None,
        }],
    };
    let (person, account) = app
        .store
        .create_person_with_account(&ctx(), &person, &new)
        .await
        .unwrap();
    let version = app
        .store
        .usage_contract_in_force(ruche_web::context::today())
        .await
        .unwrap()
        .unwrap();
    app.store
        .accept_usage_contract(&ctx(), account.id, version.id)
        .await
        .unwrap();
    person.id
}

async fn person_of(app: &TestApp, email: &str) -> i64 {
    app.store
        .account_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .person_id
}

/// An active activity held by `person`.
pub async fn activity(app: &TestApp, name: &str, person: i64) -> i64 {
    let form = ActivityForm {
        name: name.into(),
        description: "Une activité".into(),
        sector: "music".into(),
        office_id: app.office_id.to_string(),
    }
    .parse()
    .unwrap();
    let a = app
        .store
        .propose_activity(&ctx(), &form, person)
        .await
        .unwrap();
    app.store
        .change_activity_status(&ctx(), a.id, ActivityEvent::Validate)
        .await
        .unwrap();
    a.id
}

/// An invoice of `net` (+21 % VAT) paid today, and its 6,5 % contribution, as the invoice
/// side posts them.
pub async fn paid_invoice(app: &TestApp, activity: i64, net: i64) {
    let on = ruche_web::context::today();
    let vat = net * 21 / 100;
    let client = AccountCode::ClientReceivable(1);
    let invoiced = AccountCode::ActivityInvoiced(activity);
    let budget = AccountCode::ActivityBudget(activity);
    let post = |kind: TransactionKind, postings: Vec<Posting>| {
        NewTransaction::new(kind, on, kind.code(), None, postings).unwrap()
    };
    let contribution = net * 65 / 1000;
    for t in [
        post(
            TransactionKind::InvoiceIssued,
            vec![
                Posting::debit(client, net + vat),
                Posting::credit(
                    AccountCode::VatPayable {
                        category: VatCategory::S,
                        rate_bp: 2100,
                    },
                    vat,
                ),
                Posting::credit(invoiced, net),
            ],
        ),
        post(
            TransactionKind::PaymentReceived,
            vec![
                Posting::debit(AccountCode::EntityBank(1), net + vat),
                Posting::credit(client, net + vat),
                Posting::debit(invoiced, net),
                Posting::credit(budget, net),
            ],
        ),
        post(
            TransactionKind::Contribution,
            vec![
                Posting::debit(budget, contribution),
                Posting::credit(AccountCode::EntityContribution(1), contribution),
            ],
        ),
    ] {
        app.store.post_transaction(&ctx(), &t).await.unwrap();
    }
}

async fn text(b: &Browser, path: &str) -> (u16, String) {
    let r = b.get(path).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

fn trade_id(location: &str) -> i64 {
    location
        .trim_start_matches("/internal-trades/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_budget_page_shows_the_figures_of_the_ledger_with_a_chart() {
    let app = TestApp::spawn().await;
    let ana = person_of(&app, "member@test.be").await;
    let id = activity(&app, "Trio jazz", ana).await;
    let b = app.signed_in("member@test.be").await;
    let (status, empty) = text(&b, &format!("/activities/{id}/budget")).await;
    assert_eq!(status, 200);
    assert!(
        empty.contains(
            "Aucun mouvement pour l&#39;instant : le budget se remplit quand les clients paient vos factures."
        ),
        "{empty}"
    );

    paid_invoice(&app, id, 1_000_00).await;
    let (status, page) = text(&b, &format!("/activities/{id}/budget")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("le budget se remplit quand"));
    for figure in ["1.000,00\u{a0}€", "65,00\u{a0}€", "935,00\u{a0}€"] {
        assert!(page.contains(figure), "{figure} missing");
    }
    assert!(page.contains("Facturé (HTVA)") && page.contains("Contribution mutualisée"));
    // The chart is an accessible inline SVG with its data table.
    assert!(page.contains("<svg role=\"img\""));
    assert!(page.contains("<title id=\"chart-title\">Facturé et encaissé par mois en"));
    assert_eq!(page.matches("<rect class=\"bar").count(), 24);
    assert!(page.contains("<caption>"));
    // The statement of the budget account, newest first, with its running balance.
    assert!(page.contains("Paiement reçu") && page.contains("Contribution mutualisée"));
    let year = ruche_web::context::today().year();
    let (_, last_year) = text(&b, &format!("/activities/{id}/budget?year={}", year - 1)).await;
    assert!(
        last_year.contains("935,00\u{a0}€"),
        "the statement shows every entry"
    );
    let (_, all) = text(&b, &format!("/activities/{id}/budget?year=all")).await;
    assert!(all.contains("Depuis le début"));

    // The activity page loads the compact panel.
    let (_, activity_page) = text(&b, &format!("/activities/{id}")).await;
    assert!(activity_page.contains(&format!("hx-get=\"/activities/{id}/budget/panel\"")));
    let (status, panel) = text(&b, &format!("/activities/{id}/budget/panel")).await;
    assert_eq!(status, 200);
    assert!(panel.contains("935,00\u{a0}€") && !panel.contains("<html"));

    // In English for an advisor of the office; refused to a member who does not hold it.
    let advisor = app.browser("en");
    assert_eq!(
        advisor.login("advisor@test.be", PASSWORD).await.status(),
        303
    );
    let (status, english) = text(&advisor, &format!("/activities/{id}/budget")).await;
    assert_eq!(status, 200);
    assert!(english.contains("Available") && english.contains("935,00\u{a0}€"));
    assert!(english.contains("Invoiced and paid in per month in"));
    member(&app, "other@test.be", None).await;
    let other = app.signed_in("other@test.be").await;
    assert_eq!(
        other
            .get(&format!("/activities/{id}/budget"))
            .await
            .status(),
        403
    );
    assert_eq!(
        other
            .get(&format!("/activities/{id}/budget/panel"))
            .await
            .status(),
        403
    );
}

/// The seller held by member@test.be, the buyer by buyer@test.be, a third activity by
/// outsider@test.be; the buyer's budget holds 467,50 €.
struct Trio {
    seller: i64,
    buyer: i64,
}

async fn trio(app: &TestApp) -> Trio {
    let ana = person_of(app, "member@test.be").await;
    let bob = member(app, "buyer@test.be", None).await;
    let olga = member(app, "outsider@test.be", None).await;
    let seller = activity(app, "Studio son", ana).await;
    let buyer = activity(app, "Compagnie Bob", bob).await;
    activity(app, "Atelier Olga", olga).await;
    paid_invoice(app, buyer, 500_00).await;
    Trio { seller, buyer }
}

#[tokio::test]
async fn a_trade_is_proposed_by_the_seller_and_accepted_by_the_buyer_only() {
    let app = TestApp::spawn().await;
    let t = trio(&app).await;
    let seller = app.signed_in("member@test.be").await;
    let buyer = app.signed_in("buyer@test.be").await;
    let outsider = app.signed_in("outsider@test.be").await;
    let new = format!("/activities/{}/internal-trades/new", t.seller);
    assert_eq!(seller.get(&new).await.status(), 200);
    assert_eq!(outsider.get(&new).await.status(), 403);
    let (_, suggestions) = text(
        &seller,
        &format!(
            "/activities/{}/internal-trades/buyers?trade_buyer=bob",
            t.seller
        ),
    )
    .await;
    assert!(suggestions.contains(&format!("Compagnie Bob (#{})", t.buyer)));

    // Bad input: each field is named, nothing is written.
    let propose = format!("/activities/{}/internal-trades", t.seller);
    let r = seller
        .post(
            &propose,
            &[
                ("trade_buyer", "Personne"),
                ("trade_amount", "-3"),
                ("trade_description", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("aucune activité active ne porte ce nom."),
        "{html}"
    );
    assert!(html.contains("donnez un montant positif"));
    let r = seller
        .post(
            &propose,
            &[
                ("trade_buyer", "Studio son"),
                ("trade_amount", "10"),
                ("trade_description", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "not with itself");
    let r = outsider
        .post(
            &propose,
            &[
                ("trade_buyer", "Compagnie Bob"),
                ("trade_amount", "10"),
                ("trade_description", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403, "only a holder of the seller proposes");
    let all = ruche_store::internal_trades::InternalTradeFilter::default();
    let count = app
        .store
        .internal_trades(&all, PageRequest::default())
        .await
        .unwrap()
        .total;
    assert_eq!(count, 0);

    let r = seller
        .post(
            &propose,
            &[
                ("trade_buyer", "compagnie bob"),
                ("trade_amount", "120,50"),
                ("trade_description", "Mixage de trois titres"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id = trade_id(&location(&r));
    let page = format!("/internal-trades/{id}");
    let accept = format!("/internal-trades/{id}/accept");

    // A holder of neither activity sees nothing and decides nothing; the seller does not
    // accept for the buyer.
    assert_eq!(outsider.get(&page).await.status(), 403);
    assert_eq!(outsider.post(&accept, &[]).await.status(), 403);
    assert_eq!(
        outsider
            .post(&format!("/internal-trades/{id}/decline"), &[])
            .await
            .status(),
        403
    );
    assert_eq!(seller.post(&accept, &[]).await.status(), 403);
    let (_, seen_by_seller) = text(&seller, &page).await;
    assert!(!seen_by_seller.contains("Accepter et payer"));
    assert!(seen_by_seller.contains("Retirer la proposition"));

    let (status, seen_by_buyer) = text(&buyer, &page).await;
    assert_eq!(status, 200);
    assert!(seen_by_buyer.contains("Accepter et payer") && seen_by_buyer.contains("120,50\u{a0}€"));
    assert!(!seen_by_buyer.contains("Retirer la proposition"));
    let r = buyer.post(&accept, &[]).await;
    assert_eq!(r.status(), 303);
    let r = buyer.post(&accept, &[]).await;
    assert_eq!(r.status(), 409, "accepted once");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("cet échange n&#39;est plus proposé")
    );

    assert_eq!(
        app.store.available_budget(t.buyer).await.unwrap(),
        467_50 - 120_50
    );
    assert_eq!(app.store.available_budget(t.seller).await.unwrap(), 120_50);
    let (_, sold) = text(&seller, &format!("/activities/{}/budget", t.seller)).await;
    assert!(sold.contains("Ventes internes") && sold.contains("Vendu à Compagnie Bob"));
    assert!(sold.contains("Échange interne") && sold.contains(&format!("/internal-trades/{id}")));
    let (_, panel) = text(&seller, &format!("/activities/{}/budget/panel", t.seller)).await;
    assert!(
        panel.contains("Vendu à Compagnie Bob"),
        "the activity page lists it too"
    );
    let (_, bought) = text(&buyer, &format!("/activities/{}/budget", t.buyer)).await;
    assert!(bought.contains("Acheté à Studio son") && bought.contains("347,00\u{a0}€"));
    let history = AuditFilter {
        entity_type: Some("internal_trade".into()),
        entity_id: Some(id),
        ..Default::default()
    };
    let entries = app
        .store
        .audit_entries(&history, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(entries.total, 2, "proposed, then accepted");
}

#[tokio::test]
async fn a_trade_beyond_the_budget_is_refused_and_can_be_declined_or_withdrawn() {
    let app = TestApp::spawn().await;
    let t = trio(&app).await;
    let seller = app.signed_in("member@test.be").await;
    let buyer = app.signed_in("buyer@test.be").await;
    let propose = format!("/activities/{}/internal-trades", t.seller);
    let offer = |amount: &'static str| {
        [
            ("trade_buyer", "Compagnie Bob"),
            ("trade_amount", amount),
            ("trade_description", "Location de matériel"),
        ]
    };
    let r = seller.post(&propose, &offer("1.000,00")).await;
    let too_much = trade_id(&location(&r));
    let r = buyer
        .post(&format!("/internal-trades/{too_much}/accept"), &[])
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text().await.unwrap().contains(
            "le budget disponible de l&#39;activité qui achète ne couvre pas ce montant."
        )
    );
    assert_eq!(app.store.available_budget(t.buyer).await.unwrap(), 467_50);
    assert_eq!(app.store.available_budget(t.seller).await.unwrap(), 0);

    // The buyer declines it; the seller cannot withdraw it afterwards.
    let r = buyer
        .post(&format!("/internal-trades/{too_much}/decline"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, declined) = text(&seller, &format!("/internal-trades/{too_much}")).await;
    assert!(declined.contains("refusé") && !declined.contains("Retirer la proposition"));
    let r = seller
        .post(&format!("/internal-trades/{too_much}/cancel"), &[])
        .await;
    assert_eq!(r.status(), 409);

    // Only the proposer withdraws a proposal; then it can no longer be accepted.
    let r = seller.post(&propose, &offer("50")).await;
    let small = trade_id(&location(&r));
    let r = buyer
        .post(&format!("/internal-trades/{small}/cancel"), &[])
        .await;
    assert_eq!(r.status(), 403);
    let r = seller
        .post(&format!("/internal-trades/{small}/cancel"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let r = buyer
        .post(&format!("/internal-trades/{small}/accept"), &[])
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(app.store.available_budget(t.buyer).await.unwrap(), 467_50);
}

async fn token_of(app: &TestApp, email: &str) -> String {
    let b = app.signed_in(email).await;
    let r = b.post("/account/tokens", &[("name", "tests")]).await;
    let html = r.text().await.unwrap();
    let start = html.find("rch_").expect("token shown once");
    html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[tokio::test]
async fn budgets_and_trades_through_the_api() {
    let app = TestApp::spawn().await;
    let t = trio(&app).await;
    let http = reqwest::Client::new();
    let seller = token_of(&app, "member@test.be").await;
    let buyer = token_of(&app, "buyer@test.be").await;
    let outsider = token_of(&app, "outsider@test.be").await;
    let year = ruche_web::context::today().year();

    let budget: Value = http
        .get(app.url(&format!(
            "/api/v1/activities/{}/budget?year={year}",
            t.buyer
        )))
        .bearer_auth(&buyer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(budget["paid_in"], 500_00);
    assert_eq!(budget["contribution"], 32_50);
    assert_eq!(budget["available"], 467_50);
    assert_eq!(budget["monthly"].as_array().map(Vec::len), Some(12));
    let r = http
        .get(app.url(&format!("/api/v1/activities/{}/budget", t.buyer)))
        .bearer_auth(&outsider)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let propose = |token: &str, amount: i64| {
        http.post(app.url("/api/v1/internal-trades"))
            .bearer_auth(token)
            .json(&serde_json::json!({
                "seller_activity_id": t.seller, "buyer_activity_id": t.buyer,
                "amount_cents": amount, "description": "Captation vidéo"
            }))
            .send()
    };
    assert_eq!(propose(&outsider, 100_00).await.unwrap().status(), 403);
    let r = propose(&seller, 0).await.unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "amount_cents");
    let r = propose(&seller, 500_00).await.unwrap();
    assert_eq!(r.status(), 201);
    let trade: Value = r.json().await.unwrap();
    assert_eq!(trade["status"], "proposed");
    let id = trade["id"].as_i64().unwrap();

    let decide = |token: &str, action: &str| {
        http.post(app.url(&format!("/api/v1/internal-trades/{id}/{action}")))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(decide(&outsider, "accept").await.unwrap().status(), 403);
    assert_eq!(decide(&seller, "accept").await.unwrap().status(), 403);
    let r = decide(&buyer, "accept").await.unwrap();
    assert_eq!(r.status(), 409);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "trade-insufficient-budget");
    assert_eq!(decide(&buyer, "cancel").await.unwrap().status(), 403);
    let r = decide(&seller, "cancel").await.unwrap();
    assert_eq!(r.status(), 200);
    let cancelled: Value = r.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");

    let r = propose(&seller, 400_00).await.unwrap();
    let id: i64 = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = http
        .post(app.url(&format!("/api/v1/internal-trades/{id}/accept")))
        .bearer_auth(&buyer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let accepted: Value = r.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["ledger_transaction_id"].is_i64());

    let list = |token: &str, query: &str| {
        http.get(app.url(&format!("/api/v1/internal-trades{query}")))
            .bearer_auth(token)
            .send()
    };
    let mine: Value = list(&buyer, "").await.unwrap().json().await.unwrap();
    assert_eq!(mine["total"], 2);
    let accepted: Value = list(&seller, "?status=accepted")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(accepted["total"], 1);
    let none: Value = list(&outsider, "").await.unwrap().json().await.unwrap();
    assert_eq!(none["total"], 0);
    let r = list(&outsider, &format!("?activity_id={}", t.seller))
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http
        .get(app.url(&format!("/api/v1/internal-trades/{id}")))
        .bearer_auth(&outsider)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/internal-trades"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/internal-trades/{id}/accept"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/activities/{id}/budget"]["get"].is_object());
    assert!(doc["components"]["schemas"]["Budget"].is_object());
}
