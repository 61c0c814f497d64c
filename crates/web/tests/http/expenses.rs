//! Expense claims over HTTP: a member files a mileage claim on their activity, an advisor of
//! the office approves it and the accountant's SEPA file pays it; bad input refused with its
//! field and its rule and nothing written; refusals and withdrawals; who sees a receipt; the
//! same use cases through the API.
// Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use reqwest::Response;
use ruche_domain::expense::payout_date;
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_store::expenses::ExpenseFilter;
use ruche_store::payouts::PayoutFilter;
use ruche_store::{AuditContext, PageRequest};
use serde_json::{Value, json};

use crate::app::{Browser, TestApp, location};

fn ctx() -> AuditContext {
    AuditContext::system()
}

/// A trip in the last quarter whose kilometre rate (0,4326 €/km) is in the table.
const TRIP_DAY: &str = "2026-03-10";

async fn person_of(app: &TestApp, email: &str) -> i64 {
    app.store
        .account_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .person_id
}

/// An active activity of the test office held by `email`, with `cents` in its budget.
async fn activity(app: &TestApp, email: &str, cents: i64) -> i64 {
    let person = person_of(app, email).await;
    let id = crate::budget::activity(app, "Trio jazz", person).await;
    if cents > 0 {
        let payment = NewTransaction::new(
            TransactionKind::PaymentReceived,
            ruche_web::context::today(),
            "payment",
            None,
            vec![
                Posting::debit(AccountCode::EntityBank(1), cents),
                Posting::credit(AccountCode::ActivityBudget(id), cents),
            ],
        )
        .unwrap();
        app.store.post_transaction(&ctx(), &payment).await.unwrap();
    }
    id
}

const BOUNDARY: &str = "ruche-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body: the fields, then the receipt `(name, type, bytes)`.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, content_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"expense_receipt\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts a claim's form as the browser does (with its CSRF token).
async fn file(
    app: &TestApp,
    b: &Browser,
    activity: i64,
    fields: &[(&str, &str)],
    receipt: Option<(&str, &str, &[u8])>,
) -> Response {
    let token = b.csrf().await;
    let mut all = fields.to_vec();
    all.push(("csrf_token", &token));
    b.client
        .post(app.url(&format!("/activities/{activity}/expenses")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&all, receipt))
        .send()
        .await
        .unwrap()
}

fn mileage<'a>(km: &'a str, day: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("expense_kind", "mileage"),
        ("expense_description", "Concert au centre culturel"),
        ("expense_spent_on", day),
        ("expense_from", "Bruxelles"),
        ("expense_to", "Liège"),
        ("expense_km", km),
    ]
}

fn purchase(amount: &str) -> Vec<(&str, &str)> {
    vec![
        ("expense_kind", "reimbursement"),
        ("expense_category", "equipment"),
        ("expense_description", "Pied de micro"),
        ("expense_spent_on", "2026-03-02"),
        ("expense_amount", amount),
        ("iban", "BE71 0961 2345 6769"),
    ]
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// The id of the claim a `/expenses/{id}?saved=1` redirection names.
fn claim_id(r: &Response) -> i64 {
    let place = location(r);
    place
        .trim_start_matches("/expenses/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a claim: {place}"))
}

async fn claims(app: &TestApp) -> i64 {
    app.store
        .expense_claims(&ExpenseFilter::default(), PageRequest::new(1, 1))
        .await
        .unwrap()
        .total
}

async fn payouts(app: &TestApp) -> i64 {
    app.store
        .payouts(&PayoutFilter::default(), PageRequest::new(1, 1))
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn a_member_files_a_trip_an_advisor_approves_it_and_the_sepa_file_pays_it() {
    let app = TestApp::spawn().await;
    let a = activity(&app, "member@test.be", 500_00).await;
    let member = app.signed_in("member@test.be").await;

    // The activity's page leads to its claims; the claims page to the three forms.
    let html = member
        .get(&format!("/activities/{a}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("/activities/{a}/expenses")),
        "{html}"
    );
    let r = member.get(&format!("/activities/{a}/expenses")).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Déplacement (km)"), "{html}");
    assert!(html.contains("500,00"), "{html}");
    let r = member
        .get(&format!("/activities/{a}/expenses/new?kind=mileage"))
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("name=\"expense_km\""), "{html}");
    // The directory has no IBAN for this member: the form asks for one.
    assert!(
        html.contains("Nous ne connaissons pas encore votre compte"),
        "{html}"
    );

    let mut fields = mileage("45", TRIP_DAY);
    fields.push(("expense_round_trip", "1"));
    let r = file(&app, &member, a, &fields, None).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("IBAN : indiquez l&#39;IBAN sur lequel vous rembourser")
    );
    assert_eq!(claims(&app).await, 0);

    fields.push(("iban", "BE71 0961 2345 6769"));
    let r = file(&app, &member, a, &fields, None).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let id = claim_id(&r);
    let html = member.get(&location(&r)).await.text().await.unwrap();
    assert!(html.contains("En attente"), "{html}");
    // 2 × 45 km × 0,4326 €/km = 38,934 €.
    assert!(html.contains("38,93"), "{html}");
    assert!(html.contains("0,4326 €/km"), "{html}");
    assert!(html.contains("90 km"), "{html}");
    // The claimant does not decide their own claim.
    assert!(!html.contains(&format!("/expenses/{id}/approve")));
    assert_eq!(
        member
            .post(&format!("/expenses/{id}/approve"), &[])
            .await
            .status(),
        403
    );

    // The advisor of the office sees it waiting and approves it.
    let advisor = app.signed_in("advisor@test.be").await;
    let html = advisor.get("/expenses").await.text().await.unwrap();
    assert!(html.contains(&format!("/expenses/{id}\"")), "{html}");
    let html = advisor
        .get(&format!("/expenses/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("/expenses/{id}/approve")), "{html}");
    let r = advisor
        .post(
            &format!("/expenses/{id}/approve"),
            &[("expense_entity", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = advisor.get(&location(&r)).await.text().await.unwrap();
    assert!(html.contains("Approuvée"), "{html}");
    assert_eq!(app.store.available_budget(a).await.unwrap(), 500_00 - 38_93);
    let claim = app.store.expense_claim(id).await.unwrap();
    let due = payout_date(ruche_web::context::today()).to_string();
    assert_eq!(claim.payout_requested_on.as_deref(), Some(due.as_str()));

    // The accountant's payouts page lists the transfer; the SEPA file of its date pays it.
    let accountant = app.signed_in("accountant@test.be").await;
    let payout = claim.payout_id.unwrap();
    let html = accountant.get("/payouts").await.text().await.unwrap();
    assert!(html.contains(&format!("RUCHE-PO-{payout}")), "{html}");
    assert!(html.contains("member Test"), "{html}");
    let r = accountant
        .post(
            "/payouts/batches",
            &[("batch_entity", "1"), ("execution_date", &due)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let xml = accountant
        .get("/payouts/batches/1/xml")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        xml.contains(&format!("<EndToEndId>RUCHE-PO-{payout}</EndToEndId>")),
        "{xml}"
    );
    assert!(xml.contains("38.93"), "{xml}");
    assert!(xml.contains(&format!("RUCHE-EXP-{id}")), "{xml}");
    // The accountant sees every claim, and the claim's payout is now in a file.
    let html = accountant
        .get(&format!("/expenses/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("dans un fichier SEPA"), "{html}");
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field_and_rule_and_reserves_nothing() {
    let app = TestApp::spawn().await;
    let a = activity(&app, "member@test.be", 100_00).await;
    let member = app.signed_in("member@test.be").await;

    // Above 25,00 € without a receipt.
    let r = file(&app, &member, a, &purchase("25,01"), None).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Justificatif : un justificatif est obligatoire au-delà de 25,00 €"),
        "{html}"
    );
    // A program named like a PDF.
    let exe = b"MZ\x90\0\x03\0\0\0 not a receipt";
    let r = file(
        &app,
        &member,
        a,
        &purchase("12"),
        Some(("ticket.pdf", "application/pdf", exe)),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("le fichier n&#39;est ni une image (JPEG, PNG, WebP) ni un PDF")
    );
    // One byte over 10 MB.
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let r = file(
        &app,
        &member,
        a,
        &purchase("40"),
        Some(("scan.pdf", "application/pdf", &big)),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("le fichier dépasse 10 Mo"));
    // A trip in the quarter whose rate is not known.
    let mut trip = mileage("10", "2024-11-05");
    trip.push(("iban", "BE71 0961 2345 6769"));
    let r = file(&app, &member, a, &trip, None).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("le taux kilométrique de ce trimestre n&#39;a pas encore été trouvé")
    );
    // Beyond the 24.000 km of the year: alone, then with the year's other trips.
    let mut alone = mileage("24001", TRIP_DAY);
    alone.push(("iban", "BE71 0961 2345 6769"));
    let r = file(&app, &member, a, &alone, None).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("plafond de 24.000 km par personne"), "{html}");
    assert_eq!(claims(&app).await, 0);
    let mut most = mileage("23990", TRIP_DAY);
    most.push(("iban", "BE71 0961 2345 6769"));
    assert_eq!(file(&app, &member, a, &most, None).await.status(), 303);
    let mut more = mileage("11", "2026-03-11");
    more.push(("iban", "BE71 0961 2345 6769"));
    let r = file(&app, &member, a, &more, None).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("plafond de 24.000 km par personne"), "{html}");
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"e-expense_km\""),
        "{html}"
    );

    // Nothing reserved, nothing ordered: one claim filed, waiting, the budget untouched.
    assert_eq!(claims(&app).await, 1);
    assert_eq!(payouts(&app).await, 0);
    assert_eq!(app.store.available_budget(a).await.unwrap(), 100_00);
    // No receipt was kept for the refused files.
    let dir = ruche_web::WebConfig::default().upload_dir.join("receipts");
    let big_hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&big))
    };
    assert!(!dir.join(&big_hash[..2]).join(&big_hash).exists());

    // An advisor cannot approve what the budget does not cover: 409, nothing written.
    let id = app
        .store
        .expense_claims(&ExpenseFilter::default(), PageRequest::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let advisor = app.signed_in("advisor@test.be").await;
    let r = advisor.post(&format!("/expenses/{id}/approve"), &[]).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("le budget disponible de l&#39;activité ne couvre pas cette note")
    );
    assert_eq!(payouts(&app).await, 0);
    assert_eq!(app.store.available_budget(a).await.unwrap(), 100_00);
}

#[tokio::test]
async fn the_receipt_is_shown_to_the_claimant_the_advisor_and_accountants_only() {
    let app = TestApp::spawn().await;
    let a = activity(&app, "member@test.be", 100_00).await;
    let member = app.signed_in("member@test.be").await;
    let r = file(
        &app,
        &member,
        a,
        &purchase("30"),
        Some(("C:\\scans\\ticket sono.png", "image/png", PNG)),
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = claim_id(&r);
    let claim = app.store.expense_claim(id).await.unwrap();
    assert_eq!(claim.receipt_mime.as_deref(), Some("image/png"));
    assert_eq!(claim.receipt_name.as_deref(), Some("ticket sono.png"));
    assert_eq!(claim.receipt_size, Some(i64::try_from(PNG.len()).unwrap()));
    // Kept under its hash in the upload directory, outside the web root.
    let sha = claim.receipt_sha256.clone().unwrap();
    let kept = ruche_web::WebConfig::default()
        .upload_dir
        .join("receipts")
        .join(&sha[..2])
        .join(&sha);
    assert_eq!(std::fs::read(&kept).unwrap(), PNG);
    assert_eq!(
        member.get(&format!("/static/{sha}")).await.status(),
        404,
        "never served as a static file"
    );

    for email in ["member@test.be", "advisor@test.be", "accountant@test.be"] {
        let b = app.signed_in(email).await;
        let r = b.get(&format!("/expenses/{id}/receipt")).await;
        assert_eq!(r.status(), 200, "{email}");
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(r.bytes().await.unwrap().as_ref(), PNG, "{email}");
    }
    for email in ["board@test.be", "admin@test.be"] {
        let b = app.signed_in(email).await;
        assert_eq!(
            b.get(&format!("/expenses/{id}/receipt")).await.status(),
            403,
            "{email}"
        );
    }
    // The board reads the claim, without the link to its receipt.
    let board = app.signed_in("board@test.be").await;
    let html = board
        .get(&format!("/expenses/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("/expenses/{id}/receipt")), "{html}");
    // A member who does not hold the activity sees neither.
    let other = app.signed_in("newmember@test.be").await;
    assert_ne!(other.get(&format!("/expenses/{id}")).await.status(), 200);
    assert_ne!(
        other.get(&format!("/expenses/{id}/receipt")).await.status(),
        200
    );
}

#[tokio::test]
async fn an_advisor_refuses_with_a_reason_and_the_claimant_withdraws() {
    let app = TestApp::spawn().await;
    let a = activity(&app, "member@test.be", 100_00).await;
    let member = app.signed_in("member@test.be").await;
    let first = claim_id(&file(&app, &member, a, &purchase("12"), None).await);
    let second = claim_id(&file(&app, &member, a, &purchase("8"), None).await);

    let advisor = app.signed_in("advisor@test.be").await;
    let r = advisor
        .post(
            &format!("/expenses/{first}/refuse"),
            &[("expense_reason", " ")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ce champ est obligatoire"));
    let r = advisor
        .post(
            &format!("/expenses/{first}/refuse"),
            &[("expense_reason", "Ce matériel n'est pas lié à l'activité.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = member
        .get(&format!("/expenses/{first}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Refusée"), "{html}");
    assert!(
        html.contains("Ce matériel n&#39;est pas lié à l&#39;activité."),
        "{html}"
    );
    // Decided once.
    let r = advisor
        .post(&format!("/expenses/{first}/approve"), &[])
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("cette note n&#39;est plus en attente")
    );

    // Only the claimant withdraws, while the claim waits.
    assert_eq!(
        advisor
            .post(&format!("/expenses/{second}/withdraw"), &[])
            .await
            .status(),
        403
    );
    let r = member
        .post(&format!("/expenses/{second}/withdraw"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let html = member.get(&location(&r)).await.text().await.unwrap();
    assert!(html.contains("Retirée"), "{html}");
    assert_eq!(app.store.available_budget(a).await.unwrap(), 100_00);
    // The member's own list; staff pages stay closed to members.
    let html = member.get("/expenses").await.text().await.unwrap();
    assert!(html.contains("Mes notes de frais"), "{html}");
    assert!(html.contains(&format!("/expenses/{second}\"")), "{html}");
}

#[tokio::test]
async fn the_api_files_decides_and_lists_claims_with_the_pages_rules() {
    let app = TestApp::spawn().await;
    let a = activity(&app, "member@test.be", 100_00).await;
    let member = crate::api::token_of(&app, "member@test.be").await;
    let advisor = crate::api::token_of(&app, "advisor@test.be").await;
    let accountant = crate::api::token_of(&app, "accountant@test.be").await;
    let client = reqwest::Client::new();

    // JSON, numbers and booleans welcome; the amount is computed.
    let r = client
        .post(app.url(&format!("/api/v1/activities/{a}/expenses")))
        .bearer_auth(&member)
        .json(&json!({
            "expense_kind": "mileage", "expense_description": "Répétition",
            "expense_spent_on": TRIP_DAY, "expense_from": "Bruxelles", "expense_to": "Namur",
            "expense_km": 64, "expense_round_trip": true, "iban": "BE71096123456769"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let trip: Value = r.json().await.unwrap();
    // 128 km × 0,4326 = 55,3728 €.
    assert_eq!(trip["amount_cents"], 55_37);
    assert_eq!(trip["distance_km"], 128);
    assert_eq!(trip["mileage_rate"], "0.4326");
    assert_eq!(trip["status"], "submitted");

    // Bad input: each field named with its rule, in the request's language.
    let r = client
        .post(app.url(&format!("/api/v1/activities/{a}/expenses")))
        .bearer_auth(&member)
        .header("accept-language", "en")
        .json(&json!({
            "expense_kind": "reimbursement", "expense_category": "mileage",
            "expense_description": "", "expense_spent_on": "2026-03-02", "expense_amount": "80"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"expense_category"), "{problem}");
    assert!(fields.contains(&"expense_description"), "{problem}");
    assert!(fields.contains(&"expense_receipt"), "{problem}");
    assert!(
        problem
            .to_string()
            .contains("a receipt is required above 25,00 €"),
        "{problem}"
    );

    // Multipart with the receipt.
    let body = multipart(
        &purchase("80"),
        Some(("facture.pdf", "application/pdf", PDF)),
    );
    let r = client
        .post(app.url(&format!("/api/v1/activities/{a}/expenses")))
        .bearer_auth(&member)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let bought: Value = r.json().await.unwrap();
    assert_eq!(bought["receipt_mime"], "application/pdf");
    let bought_id = bought["id"].as_i64().unwrap();
    let trip_id = trip["id"].as_i64().unwrap();

    // The member lists their claims; the member may not decide.
    let mine: Value = client
        .get(app.url("/api/v1/expenses"))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 2);
    let r = client
        .post(app.url(&format!("/api/v1/expenses/{trip_id}/approve")))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // The advisor approves the trip (no body), then the purchase does not fit any more.
    let r = client
        .post(app.url(&format!("/api/v1/expenses/{trip_id}/approve")))
        .bearer_auth(&advisor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let approved: Value = r.json().await.unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["payout_status"], "pending");
    let r = client
        .post(app.url(&format!("/api/v1/expenses/{bought_id}/approve")))
        .bearer_auth(&advisor)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "expense-insufficient-budget");
    // Refused with a reason; a reason is required.
    let r = client
        .post(app.url(&format!("/api/v1/expenses/{bought_id}/refuse")))
        .bearer_auth(&advisor)
        .json(&json!({ "expense_reason": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = client
        .post(app.url(&format!("/api/v1/expenses/{bought_id}/refuse")))
        .bearer_auth(&advisor)
        .json(&json!({ "expense_reason": "Budget insuffisant ce mois-ci." }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The accountant lists every claim and downloads the receipt.
    let all: Value = client
        .get(app.url("/api/v1/expenses?status=all"))
        .bearer_auth(&accountant)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 2);
    let r = client
        .get(app.url(&format!("/api/v1/expenses/{bought_id}/receipt")))
        .bearer_auth(&accountant)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    let refused: Value = client
        .get(app.url("/api/v1/expenses?status=refused"))
        .bearer_auth(&advisor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        refused["items"][0]["refusal_reason"],
        "Budget insuffisant ce mois-ci."
    );
    let doc: Value = client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/activities/{id}/expenses"]["post"].is_object());
}
