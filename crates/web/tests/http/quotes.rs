//! Quotes: the member's editor, sending, the client's online acceptance (the order
//! confirmation) or decline, the refusals, and the API.

use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::client::ClientForm;
use ruche_domain::group::LegalEntityForm;
use ruche_store::quotes::QuoteFilter;
use ruche_store::{AuditContext, PageRequest};
use serde_json::{Value, json};

use crate::app::{Browser, TestApp, location};

struct Fixture {
    member: Browser,
    activity: i64,
    /// A Flemish company with a VAT number and an e-mail address.
    company: i64,
    /// A consumer without e-mail nor VAT number.
    consumer: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let ctx = AuditContext::system();
    let entity = LegalEntityForm {
        name: "Ruche SCES".into(),
        legal_form: "SC agréée comme ES".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        enterprise_number: "0202239951".into(),
        vat_number: "BE0202239951".into(),
        iban: "BE68539007547034".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .unwrap();
    // The seller is the cooperative: the first legal entity (the test app may seed one).
    let entities = app
        .store
        .legal_entities(PageRequest::new(1, 1))
        .await
        .unwrap();
    if entities.total == 0 {
        app.store
            .save_legal_entity(&ctx, None, &entity)
            .await
            .unwrap();
    }
    let account = app
        .store
        .account_by_email("member@test.be")
        .await
        .unwrap()
        .unwrap();
    let activity = ActivityForm {
        name: "Trio jazz".into(),
        description: "Concerts".into(),
        sector: "music".into(),
        office_id: app.office_id.to_string(),
    }
    .parse()
    .unwrap();
    let activity = app
        .store
        .propose_activity(&ctx, &activity, account.person_id)
        .await
        .unwrap()
        .id;
    app.store
        .change_activity_status(&ctx, activity, ActivityEvent::Validate)
        .await
        .unwrap();
    let company = ClientForm {
        kind: "company".into(),
        name: "Stadsschouwburg".into(),
        enterprise_number: "0403170701".into(),
        vat_number: "BE0403170701".into(),
        street: "Theaterplein 1".into(),
        postcode: "2000".into(),
        city: "Antwerpen".into(),
        country: "BE".into(),
        language: "nl".into(),
        email: "boekhouding@schouwburg.be".into(),
    }
    .parse()
    .unwrap();
    let company = app
        .store
        .save_client(&ctx, None, &company)
        .await
        .unwrap()
        .id;
    let consumer = ClientForm {
        kind: "consumer".into(),
        name: "Marie Dupont".into(),
        street: "Rue Basse 2".into(),
        postcode: "4000".into(),
        city: "Liège".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let consumer = app
        .store
        .save_client(&ctx, None, &consumer)
        .await
        .unwrap()
        .id;
    Fixture {
        member: app.signed_in("member@test.be").await,
        activity,
        company,
        consumer,
    }
}

/// The editor's form: the header and one line per `(quantity, unit price, vat)`.
fn form(client: i64, lines: &[(&str, &str, &str)], op: &str) -> Vec<(String, String)> {
    let mut f = vec![
        ("op".to_string(), op.to_string()),
        ("client_id".into(), client.to_string()),
        ("title".into(), "Concert du 21 juin".into()),
        ("valid_until".into(), "2099-12-31".into()),
        ("language".into(), String::new()),
        ("note".into(), String::new()),
    ];
    for (i, (quantity, price, vat)) in lines.iter().enumerate() {
        f.push((format!("lines[{i}].description"), "Concert".into()));
        f.push((format!("lines[{i}].quantity"), quantity.to_string()));
        f.push((format!("lines[{i}].unit"), "HUR".into()));
        f.push((format!("lines[{i}].unit_price"), price.to_string()));
        f.push((format!("lines[{i}].vat"), vat.to_string()));
        f.push((format!("lines[{i}].cost"), String::new()));
    }
    f
}

async fn post(b: &Browser, path: &str, f: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post(path, &pairs).await
}

fn quote_id(location: &str) -> i64 {
    location
        .trim_start_matches("/quotes/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A saved draft for `client`: one hour at 1.000,00 € and 21 %.
async fn draft(f: &Fixture, client: i64) -> i64 {
    let r = post(
        &f.member,
        &format!("/activities/{}/quotes/new", f.activity),
        &form(client, &[("1", "1.000,00", "S:2100")], "save"),
    )
    .await;
    assert_eq!(r.status(), 303);
    quote_id(&location(&r))
}

/// Sends the quote and returns the secret of the link the client received.
async fn send(app: &TestApp, f: &Fixture, id: i64) -> String {
    let r = f.member.post(&format!("/quotes/{id}/send"), &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let quote = app.store.quote(id).await.unwrap();
    let to = quote.sent_to.unwrap();
    let mails = app
        .store
        .mails(Some(&to), true, PageRequest::default())
        .await
        .unwrap();
    let number = quote.number.unwrap();
    let mail = mails
        .items
        .iter()
        .find(|m| m.subject.contains(&number))
        .unwrap();
    let start = mail.body_text.find("/q/").unwrap() + 3;
    mail.body_text[start..start + 64].to_string()
}

#[tokio::test]
async fn a_member_drafts_a_quote_with_lines_live_totals_and_the_pricing_helper() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let activity = f.member.get(&format!("/activities/{}", f.activity)).await;
    let html = activity.text().await.unwrap();
    assert!(html.contains(&format!("/activities/{}/quotes", f.activity)));
    let new = format!("/activities/{}/quotes/new", f.activity);
    let r = f.member.get(&new).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nouveau devis") && html.contains("Stadsschouwburg"));
    assert!(html.contains("lines[0].description") && !html.contains("lines[1].description"));

    // "Add a line" gives the form back with one more row and writes nothing.
    let r = post(
        &f.member,
        &new,
        &form(f.company, &[("2", "50", "S:2100")], "add-line"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("lines[1].description"));
    // The live totals: 2 × 50,00 at 21 %.
    assert!(html.contains("121,00\u{a0}€"), "{html}");

    // The pricing helper: a cost of 1.000,00 at 6,5 % is priced 1.069,52.
    let mut priced = form(f.company, &[("1", "", "S:2100")], "price-0");
    priced.retain(|(k, _)| k != "lines[0].cost");
    priced.push(("lines[0].cost".into(), "1.000,00".into()));
    let r = post(&f.member, &new, &priced).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"1069,52\""), "{html}");
    assert!(html.contains("1.294,12\u{a0}€"), "totals with 21 % VAT");
    assert_eq!(
        app.store
            .quotes(&QuoteFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0,
        "nothing written before saving"
    );

    let mut save = form(
        f.company,
        &[("1", "1069,52", "S:2100"), ("", "", "S:2100")],
        "save",
    );
    save.retain(|(k, _)| k != "lines[1].description");
    let r = post(&f.member, &new, &save).await;
    assert_eq!(r.status(), 303);
    let id = quote_id(&location(&r));
    let lines = app.store.quote_lines(id).await.unwrap();
    assert_eq!(lines.len(), 1, "the empty row is not a line");
    assert_eq!(lines[0].unit_price, "1069.52");
    let quote = app.store.quote(id).await.unwrap();
    assert_eq!(quote.language, "nl", "the client's language by default");
    assert_eq!(quote.tax_inclusive_cents, 129_412);
    let html = f
        .member
        .get(&format!("/quotes/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("1.294,12\u{a0}€") && html.contains("Envoyer au client"));

    let list = f
        .member
        .get(&format!("/activities/{}/quotes?status=draft", f.activity))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Concert du 21 juin") && list.contains("1.294,12\u{a0}€"));
    let none = f
        .member
        .get(&format!(
            "/activities/{}/quotes?status=accepted",
            f.activity
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(!none.contains("Concert du 21 juin"));
}

#[tokio::test]
async fn bad_lines_are_named_with_their_line_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let new = format!("/activities/{}/quotes/new", f.activity);
    let cases: [(Vec<(String, String)>, &str); 5] = [
        (
            form(
                f.company,
                &[("1", "10", "S:2100"), ("-1", "10", "S:2100")],
                "save",
            ),
            "Ligne 2 — Quantité : la quantité doit être supérieure à zéro",
        ),
        (
            form(f.company, &[("0", "10", "S:2100")], "save"),
            "Ligne 1 — Quantité : la quantité doit être supérieure à zéro",
        ),
        (
            form(f.company, &[("1", "10", "S:2000")], "save"),
            "ce taux de TVA n&#39;existe pas",
        ),
        (
            form(f.consumer, &[("1", "10", "AE:0")], "save"),
            "l&#39;autoliquidation (AE) exige le numéro de TVA du client",
        ),
        (
            form(9_999, &[("1", "10", "S:2100")], "save"),
            "ce client n&#39;est pas dans le répertoire",
        ),
    ];
    for (f_, expected) in cases {
        let r = post(&f.member, &new, &f_).await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    let r = post(
        &f.member,
        &new,
        &form(f.company, &[("deux", "10", "S:2100")], "save"),
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("indiquez un nombre") && html.contains("value=\"deux\""));
    assert_eq!(
        app.store
            .quotes(&QuoteFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    // Sending to a client without e-mail is refused, and the quote stays a draft.
    let id = draft(&f, f.consumer).await;
    let r = f.member.post(&format!("/quotes/{id}/send"), &[]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("le client n&#39;a pas d&#39;adresse e-mail"),
        "{html}"
    );
    assert_eq!(app.store.quote(id).await.unwrap().status, "draft");
}

#[tokio::test]
async fn the_client_accepts_the_quote_online_once_and_it_becomes_the_order_confirmation() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let id = draft(&f, f.company).await;
    let token = send(&app, &f, id).await;
    let quote = app.store.quote(id).await.unwrap();
    assert_eq!(quote.status, "sent");
    assert!(quote.number.as_deref().unwrap().ends_with("-00001"));
    // A sent quote is no longer edited.
    let r = post(
        &f.member,
        &format!("/quotes/{id}"),
        &form(f.company, &[("9", "9", "S:2100")], "save"),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert_eq!(app.store.quote_lines(id).await.unwrap()[0].quantity, "1");

    // The client, not signed in, reads the quote in Dutch, the quote's language.
    let client = app.browser("fr-BE");
    let page = format!("/q/{token}");
    let r = client.get(&page).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    let html = r.text().await.unwrap();
    assert!(html.contains("De offerte aanvaarden") && html.contains("0202239951"));
    assert!(html.contains("Trio jazz") && html.contains("1.210,00\u{a0}€"));

    let r = client
        .post(
            &format!("{page}/accept"),
            &[("accepted_name", "Jan Peeters")],
        )
        .await;
    assert_eq!(r.status(), 422, "the box must be ticked");
    assert!(r.text().await.unwrap().contains("vink het vakje aan"));
    assert_eq!(app.store.quote(id).await.unwrap().status, "sent");

    let r = client
        .post(
            &format!("{page}/accept"),
            &[("accepted_name", " Jan Peeters "), ("accept", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = client.get(&location(&r)).await.text().await.unwrap();
    assert!(html.contains("Aanvaard door Jan Peeters op"), "{html}");
    assert!(!html.contains("/accept\""), "no form any more");
    let accepted = app.store.quote(id).await.unwrap();
    assert_eq!(accepted.status, "accepted");
    assert_eq!(accepted.accepted_name.as_deref(), Some("Jan Peeters"));
    assert_eq!(accepted.accepted_ip.as_deref(), Some("127.0.0.1"));

    let r = client
        .post(
            &format!("{page}/accept"),
            &[("accepted_name", "Piet"), ("accept", "yes")],
        )
        .await;
    assert_eq!(r.status(), 409, "a second confirmation is refused");
    let html = r.text().await.unwrap();
    assert!(html.contains("deze offerte is al aanvaard"), "{html}");
    let r = client
        .post(&format!("{page}/decline"), &[("decline_reason", "x")])
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        app.store.quote(id).await.unwrap().accepted_name.as_deref(),
        Some("Jan Peeters")
    );

    // The member sees the confirmation and its history.
    let html = f
        .member
        .get(&format!("/quotes/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Accepté par Jan Peeters") && html.contains("127.0.0.1"));
    assert!(html.contains("bon de commande") && !html.contains("/send\""));

    // An unknown link is no page.
    assert_eq!(
        client.get(&format!("/q/{}", "0".repeat(64))).await.status(),
        404
    );
    assert_eq!(client.get("/q/nothing").await.status(), 404);
}

#[tokio::test]
async fn the_client_declines_with_a_reason_and_cannot_accept_afterwards() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let id = draft(&f, f.company).await;
    let token = send(&app, &f, id).await;
    let client = app.browser("nl-BE");
    let r = client
        .post(
            &format!("/q/{token}/decline"),
            &[("decline_reason", "Te duur")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = client
        .get(&format!("/q/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Geweigerd op") && !html.contains("/accept\""));
    let r = client
        .post(
            &format!("/q/{token}/accept"),
            &[("accepted_name", "Jan"), ("accept", "yes")],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("deze offerte is geweigerd")
    );
    let quote = app.store.quote(id).await.unwrap();
    assert_eq!(
        (quote.status.as_str(), quote.decline_reason.as_deref()),
        ("declined", Some("Te duur"))
    );
    let html = f
        .member
        .get(&format!("/quotes/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Motif : Te duur"));
}

#[tokio::test]
async fn only_holders_and_staff_see_quotes_and_only_holders_and_advisors_change_them() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let id = draft(&f, f.company).await;
    let accountant = app.signed_in("accountant@test.be").await;
    let r = accountant.get(&format!("/quotes/{id}")).await;
    assert_eq!(r.status(), 200);
    assert!(
        !r.text().await.unwrap().contains("name=\"op\""),
        "read only"
    );
    assert_eq!(
        accountant
            .post(&format!("/quotes/{id}/send"), &[])
            .await
            .status(),
        403
    );
    let advisor = app.signed_in("advisor@test.be").await;
    let r = advisor.get(&format!("/quotes/{id}")).await;
    assert!(
        r.text().await.unwrap().contains("name=\"op\""),
        "the advisor edits"
    );
    let stranger = app.signed_in("board@test.be").await;
    let r = post(
        &stranger,
        &format!("/activities/{}/quotes/new", f.activity),
        &form(f.company, &[("1", "1", "S:2100")], "save"),
    )
    .await;
    assert_eq!(r.status(), 403);
}

pub(crate) async fn api_token(app: &TestApp, email: &str) -> String {
    let b = app.signed_in(email).await;
    let html = b
        .post("/account/tokens", &[("name", "t")])
        .await
        .text()
        .await
        .unwrap();
    let start = html.find("rch_").unwrap();
    html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[tokio::test]
async fn quotes_through_the_api_name_the_bad_line_and_field() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let token = api_token(&app, "member@test.be").await;
    let http = reqwest::Client::new();
    let line = |quantity: Value, unit: &str, category: &str, rate: Value| {
        json!({ "description": "Concert", "quantity": quantity, "unit": unit,
                "unit_price": "65.00", "vat_category": category, "vat_rate_bp": rate })
    };
    let body = |client: i64, lines: Vec<Value>| {
        json!({ "activity_id": f.activity, "client_id": client, "title": "Atelier",
                "valid_until": "2099-12-31", "lines": lines })
    };
    let post = |body: Value| {
        http.post(app.url("/api/v1/quotes"))
            .bearer_auth(&token)
            .header("accept-language", "en")
            .json(&body)
            .send()
    };
    let fields = |problem: &Value| -> Vec<String> {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect()
    };

    let r = post(body(
        f.company,
        vec![
            line(json!("1"), "HUR", "S", json!(2100)),
            line(json!(2), "HUR", "S", json!(2100)),
            line(json!("1"), "XYZ", "S", json!(2100)),
        ],
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem: Value = r.json().await.unwrap();
    assert_eq!(fields(&problem), ["lines[2].unit"]);

    let r = post(body(
        f.company,
        vec![
            line(json!("1"), "HUR", "S", json!(2100)),
            line(json!("0"), "HUR", "S", json!(2100)),
        ],
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(fields(&problem), ["lines[1].quantity"]);
    let detail = problem["errors"][0]["detail"].as_str().unwrap();
    assert!(detail.starts_with("Line 2 — Quantity"), "{detail}");

    let r = post(body(
        f.consumer,
        vec![line(json!("1"), "DAY", "AE", json!(0))],
    ))
    .await
    .unwrap();
    let problem: Value = r.json().await.unwrap();
    assert_eq!(fields(&problem), ["lines[0].vat_category"]);
    assert!(
        app.store
            .quotes(&QuoteFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );

    let r = post(body(
        f.company,
        vec![line(json!("2.5"), "DAY", "S", json!(600))],
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["status"], "draft");
    assert_eq!(created["lines"][0]["quantity"], "2.5");
    assert_eq!(created["tax_inclusive_cents"], 17_225);
    assert!(created.get("public_token_hash").is_none());

    let r = http
        .put(app.url(&format!("/api/v1/quotes/{id}")))
        .bearer_auth(&token)
        .json(&body(
            f.company,
            vec![line(json!("3"), "DAY", "S", json!(600))],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .post(app.url(&format!("/api/v1/quotes/{id}/send")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let sent: Value = r.json().await.unwrap();
    assert_eq!(sent["status"], "sent");
    assert!(sent["number"].as_str().unwrap().starts_with('D'));
    let r = http
        .put(app.url(&format!("/api/v1/quotes/{id}")))
        .bearer_auth(&token)
        .json(&body(
            f.company,
            vec![line(json!("4"), "DAY", "S", json!(600))],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "a sent quote is not edited");
    let mine: Value = http
        .get(app.url(&format!(
            "/api/v1/quotes?activity={}&status=sent",
            f.activity
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["client_name"], "Stadsschouwburg");

    // Another member sees none of it.
    let board = api_token(&app, "board@test.be").await;
    let r = http
        .post(app.url(&format!("/api/v1/quotes/{id}/send")))
        .bearer_auth(&board)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
