use serde_json::{Value, json};

use crate::app::{TestApp, location};

/// An active activity held by member@test.be and a Belgian company client; their ids.
pub async fn setup(app: &TestApp) -> (crate::app::Browser, String, String) {
    let member = app.signed_in("member@test.be").await;
    let office = app.office_id.to_string();
    let r = member
        .post(
            "/activities",
            &[
                ("name", "Trio jazz"),
                ("description", "Concerts"),
                ("sector", "music"),
                ("office_id", &office),
            ],
        )
        .await;
    let activity = location(&r)
        .trim_start_matches("/activities/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let advisor = app.signed_in("advisor@test.be").await;
    advisor
        .post(
            &format!("/activities/{activity}/decision"),
            &[("event", "validate")],
        )
        .await;
    let r = member
        .post(
            "/clients",
            &[
                ("kind", "company"),
                ("name", "Théâtre National"),
                ("enterprise_number", "0403170701"),
                ("vat_number", "BE0403170701"),
                ("street", "Bd Jacqmain 111"),
                ("postcode", "1000"),
                ("city", "Bruxelles"),
                ("country", "BE"),
                ("language", "fr"),
                ("email", "compta@theatre.be"),
            ],
        )
        .await;
    let client = location(&r)
        .trim_start_matches("/clients/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    (member, activity, client)
}

fn invoice_form<'a>(client: &'a str, quantity: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", client),
        ("entity_id", "1"),
        ("due_days", "30"),
        ("language", "fr"),
        ("order_reference", "BC-7731"),
        ("note", ""),
        ("lines[0].description", "Concert du 12 mars"),
        ("lines[0].quantity", quantity),
        ("lines[0].unit", "LS"),
        ("lines[0].unit_price", "1.500,00"),
        ("lines[0].vat", "S:2100"),
        ("lines[1].description", ""),
        ("lines[1].quantity", ""),
        ("lines[1].unit", "HUR"),
        ("lines[1].unit_price", ""),
        ("lines[1].vat", "S:2100"),
    ]
}

#[tokio::test]
async fn a_member_issues_an_invoice_and_downloads_its_pdf_and_ubl() {
    let app = TestApp::spawn().await;
    let (member, activity, client) = setup(&app).await;
    let r = member
        .post(
            &format!("/activities/{activity}/invoices"),
            &invoice_form(&client, "1"),
        )
        .await;
    assert_eq!(r.status(), 303);
    let invoice = location(&r);
    let draft = member.get(&invoice).await.text().await.unwrap();
    assert!(draft.contains("1.815,00"), "totals of the draft");
    let r = member.post(&format!("{invoice}/issue"), &[]).await;
    assert_eq!(r.status(), 303);
    let page = member.get(&invoice).await.text().await.unwrap();
    assert!(
        page.contains("F2026-00001") || page.contains("-00001"),
        "numbered"
    );
    assert!(page.contains("+++"), "structured communication shown");
    let pdf = member.get(&format!("{invoice}/pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let ubl = member
        .get(&format!("{invoice}/ubl"))
        .await
        .text()
        .await
        .unwrap();
    assert!(ubl.contains("urn:fdc:peppol.eu:2017:poacc:billing:3.0") && ubl.contains("0403170701"));
    // Issued: editing is refused, a second issue too.
    let r = member.post(&invoice, &invoice_form(&client, "2")).await;
    assert_eq!(r.status(), 409);
    // Sent to the client with both files, through the outbox.
    let r = member.post(&format!("{invoice}/send"), &[]).await;
    assert!(r.text().await.unwrap().contains("compta@theatre.be"));
    let mails = app
        .store
        .mails(Some("compta@theatre.be"), true, Default::default())
        .await
        .unwrap();
    let attachments = app.store.mail_attachments(mails.items[0].id).await.unwrap();
    assert_eq!(attachments.len(), 2);
    // Another member may not see it.
    let other = app.signed_in("board@test.be").await;
    assert_eq!(
        other.get(&format!("{invoice}/pdf")).await.status(),
        200,
        "the board sees all invoices"
    );
}

#[tokio::test]
async fn a_negative_quantity_is_refused_on_its_line_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (member, activity, client) = setup(&app).await;
    let r = member
        .post(
            &format!("/activities/{activity}/invoices"),
            &invoice_form(&client, "-1"),
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("ligne 1 : la quantité doit être positive"),
        "{html}"
    );
    let all = app
        .store
        .invoices(&Default::default(), Default::default())
        .await
        .unwrap();
    assert_eq!(all.total, 0);
}

#[tokio::test]
async fn a_credit_note_cannot_exceed_the_invoice_and_a_payment_fills_the_budget() {
    let app = TestApp::spawn().await;
    let (member, activity, client) = setup(&app).await;
    let r = member
        .post(
            &format!("/activities/{activity}/invoices"),
            &invoice_form(&client, "1"),
        )
        .await;
    let invoice = location(&r);
    member.post(&format!("{invoice}/issue"), &[]).await;
    let r = member.post(&format!("{invoice}/credit-note"), &[]).await;
    let credit = location(&r);
    let r = member.post(&credit, &invoice_form(&client, "2")).await;
    assert_eq!(r.status(), 303, "a draft may say anything");
    let r = member.post(&format!("{credit}/issue"), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("dépasse ce qui reste à créditer")
    );
    // The member cannot record a payment; the accountant can.
    let r = member
        .post(
            &format!("{invoice}/payments"),
            &[("amount", "1.815,00"), ("received_on", "2026-11-30")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let accountant = app.signed_in("accountant@test.be").await;
    let r = accountant
        .post(
            &format!("{invoice}/payments"),
            &[("amount", "abc"), ("received_on", "2026-11-30")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = accountant
        .post(
            &format!("{invoice}/payments"),
            &[("amount", "1.815,00"), ("received_on", "2026-11-30")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id: i64 = invoice.trim_start_matches("/invoices/").parse().unwrap();
    assert_eq!(app.store.invoice(id).await.unwrap().status, "paid");
    let budget = app
        .store
        .account_balance(
            &ruche_domain::ledger::AccountCode::ActivityBudget(activity.parse().unwrap()),
            None,
        )
        .await
        .unwrap();
    assert_eq!(budget, -(150_000 - 9_750), "1,500.00 € less 6.5 %");
}

#[tokio::test]
async fn the_invoice_editor_adds_a_line_prices_it_and_names_a_bad_line_without_writing() {
    let app = TestApp::spawn().await;
    let (member, activity, client) = setup(&app).await;
    let new = format!("/activities/{activity}/invoices");
    let html = member
        .get(&format!("{new}/new"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("lines[0].description") && !html.contains("lines[1].description"));

    // "Add a line" gives the form back with one more row and the live totals.
    let mut form = invoice_form(&client, "1");
    form.push(("op", "add-line"));
    let r = member.post(&new, &form).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("lines[2].description"), "{html}");
    assert!(html.contains("1.815,00\u{a0}€"), "{html}");

    // The pricing helper: a cost of 1.000,00 at the activity's 6,5 % is priced 1.069,52.
    let mut form = invoice_form(&client, "1");
    form.extend([("lines[0].cost", "1.000,00"), ("op", "price-0")]);
    let r = member.post(&new, &form).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("value=\"1069,52\""));

    // A bad number is named on its line, the typed value kept.
    let r = member.post(&new, &invoice_form(&client, "deux")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#f-lines-0-quantity\""), "{html}");
    assert!(html.contains("indiquez un nombre") && html.contains("value=\"deux\""));
    let all = app
        .store
        .invoices(&Default::default(), Default::default())
        .await
        .unwrap();
    assert_eq!(all.total, 0, "nothing written before saving");
}

#[tokio::test]
async fn invoices_through_the_api_name_the_bad_line_and_field() {
    let app = TestApp::spawn().await;
    let (_, activity, client) = setup(&app).await;
    let token = crate::quotes::api_token(&app, "member@test.be").await;
    let line = |quantity: &str, unit: &str| {
        json!({ "description": "Concert", "quantity": quantity, "unit": unit,
                "unit_price": "1500", "vat_category": "S", "vat_rate_bp": 2100 })
    };
    let post = |lines: Vec<Value>| {
        let body = json!({ "activity_id": activity.parse::<i64>().unwrap(),
                           "client_id": client.parse::<i64>().unwrap(), "entity_id": 1,
                           "lines": lines });
        reqwest::Client::new()
            .post(app.url("/api/v1/invoices"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let field = |problem: &Value| problem["errors"][0]["field"].as_str().unwrap().to_string();

    let r = post(vec![line("1", "LS"), line("1", "XYZ")]).await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(field(&r.json().await.unwrap()), "lines[1].unit");
    let r = post(vec![line("0", "LS")]).await.unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(field(&problem), "lines[0].quantity");
    assert_eq!(problem["errors"][0]["code"], "quantity-not-positive");
    let r = post(vec![line("2,5", "DAY")]).await.unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["lines"][0]["quantity"], "2.5");
}

#[tokio::test]
async fn the_accountants_follow_every_invoice_of_the_cooperative() {
    let app = TestApp::spawn().await;
    let (member, activity, client) = setup(&app).await;
    let r = member
        .post(
            &format!("/activities/{activity}/invoices"),
            &invoice_form(&client, "1"),
        )
        .await;
    let invoice = location(&r);
    member.post(&format!("{invoice}/issue"), &[]).await;
    assert_eq!(member.get("/invoices").await.status(), 403);
    let accountant = app.signed_in("accountant@test.be").await;
    let html = accountant
        .get("/invoices?status=issued&q=th%C3%A9%C3%A2tre")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Théâtre National") && html.contains("-00001"),
        "{html}"
    );
    let none = accountant
        .get("/invoices?status=paid")
        .await
        .text()
        .await
        .unwrap();
    assert!(!none.contains("-00001"));
    // The year of issue: this year's list holds it, last year's does not (page and API).
    let this_year = ruche_web::context::today().year();
    let html = accountant
        .get(&format!("/invoices?year={this_year}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("-00001"), "{html}");
    let html = accountant
        .get(&format!("/invoices?year={}", this_year - 1))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("-00001"));
    let token = crate::quotes::api_token(&app, "accountant@test.be").await;
    let total = |year: i16| {
        let url = app.url(&format!("/api/v1/invoices?year={year}"));
        let token = token.clone();
        async move {
            let body: Value = reqwest::Client::new()
                .get(url)
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["total"].as_i64().unwrap()
        }
    };
    assert_eq!(total(this_year).await, 1);
    assert_eq!(total(this_year - 1).await, 0);
}
