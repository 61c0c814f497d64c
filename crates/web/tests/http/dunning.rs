//! Reminders over HTTP: the accountants' page runs them (the e-mail in the outbox carries the
//! PDF), a second run sends nothing new, blocking needs a reason, and the API does the same.

use jiff::ToSpan;
use ruche_store::AuditContext;
use serde_json::{Value, json};

use crate::app::{Browser, TestApp, location};

/// An invoice of member@test.be's activity to a company client with an e-mail address,
/// issued 60 days ago and due 30 days ago: every B2B level up to the second is due today.
/// Returns the member's browser and the invoice id.
async fn overdue_invoice(app: &TestApp) -> (Browser, i64) {
    let (member, activity, client) = crate::invoices::setup(app).await;
    let r = member
        .post(
            &format!("/activities/{activity}/invoices"),
            &[
                ("client_id", client.as_str()),
                ("entity_id", "1"),
                ("due_days", "30"),
                ("language", "fr"),
                ("order_reference", "BC-7731"),
                ("note", ""),
                ("lines[0].description", "Concert du 12 mars"),
                ("lines[0].quantity", "1"),
                ("lines[0].unit", "LS"),
                ("lines[0].unit_price", "1.000,00"),
                ("lines[0].vat", "S:2100"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id: i64 = location(&r)
        .trim_start_matches("/invoices/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let issued_on = ruche_web::context::today().checked_sub(60.days()).unwrap();
    app.store
        .issue_invoice(&AuditContext::system(), id, issued_on)
        .await
        .unwrap();
    (member, id)
}

#[tokio::test]
async fn the_accountant_runs_the_reminders_once_and_the_mail_carries_the_pdf() {
    let app = TestApp::spawn().await;
    let (member, invoice) = overdue_invoice(&app).await;
    let accountant = app.signed_in("accountant@test.be").await;
    let page = accountant.get("/dunning").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Lancer les rappels"));

    // The preview reports what would be sent and writes nothing.
    let today = ruche_web::context::today().to_string();
    let r = accountant
        .post("/dunning", &[("date", today.as_str()), ("mode", "preview")])
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("(rien n&#39;est écrit)"), "{html}");
    assert!(html.contains("professionnel"), "{html}");
    assert!(
        app.store
            .reminders_of_invoice(invoice)
            .await
            .unwrap()
            .is_empty()
    );

    // The run records the reminder and puts the e-mail, with its PDF, in the outbox.
    let r = accountant
        .post("/dunning", &[("date", today.as_str()), ("mode", "run")])
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("1 e-mails dans le courrier sortant"),
        "{html}"
    );
    let reminders = app.store.reminders_of_invoice(invoice).await.unwrap();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].delivery, "mailed");
    let mails = app
        .store
        .mails(Some("compta@theatre.be"), true, Default::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    assert!(mails.items[0].subject.contains("Rappel de paiement"));
    let attachments = app.store.mail_attachments(mails.items[0].id).await.unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].content_type, "application/pdf");
    assert!(attachments[0].content.starts_with(b"%PDF"));

    // Running again the same day sends nothing new.
    let r = accountant
        .post("/dunning", &[("date", today.as_str()), ("mode", "run")])
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Rien de nouveau à envoyer")
    );
    assert_eq!(
        app.store.reminders_of_invoice(invoice).await.unwrap().len(),
        1
    );
    assert_eq!(
        app.store
            .mails(Some("compta@theatre.be"), true, Default::default())
            .await
            .unwrap()
            .total,
        1
    );

    // The member holding the activity reads the reminder on the invoice page and its PDF;
    // the reminders page stays the treasury's.
    let html = member
        .get(&format!("/invoices/{invoice}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"dunning\""), "{html}");
    assert!(
        html.contains("Rappel 2") || html.contains("Rappel 1"),
        "{html}"
    );
    assert!(
        !html.contains("dunning/block"),
        "no block form for a member"
    );
    let pdf = member
        .get(&format!("/dunning/reminders/{}/pdf", reminders[0].id))
        .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(member.get("/dunning").await.status(), 403);
    let r = member
        .post("/dunning", &[("date", today.as_str()), ("mode", "run")])
        .await;
    assert_eq!(r.status(), 403);
    let board = app.signed_in("board@test.be").await;
    assert_eq!(board.get("/dunning").await.status(), 403);

    // The list, the age bucket and the client's summary letter.
    let html = accountant.get("/dunning").await.text().await.unwrap();
    assert!(html.contains(&format!("/dunning/reminders/{}/pdf", reminders[0].id)));
    let html = accountant
        .get("/dunning/overdue/0")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("/invoices/{invoice}")), "{html}");
    let letter = accountant
        .get(&format!(
            "/clients/{}/summary-letter.pdf",
            reminders[0].client_id
        ))
        .await;
    assert_eq!(letter.status(), 200);
    assert!(letter.bytes().await.unwrap().starts_with(b"%PDF"));
}

#[tokio::test]
async fn a_bad_date_or_a_future_run_is_refused_with_its_reason() {
    let app = TestApp::spawn().await;
    let (_, invoice) = overdue_invoice(&app).await;
    let accountant = app.signed_in("accountant@test.be").await;
    let r = accountant
        .post("/dunning", &[("date", "31/02/2026"), ("mode", "run")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("AAAA-MM-JJ"));
    let tomorrow = ruche_web::context::today().tomorrow().unwrap().to_string();
    let r = accountant
        .post("/dunning", &[("date", tomorrow.as_str()), ("mode", "run")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("après aujourd"));
    assert!(
        app.store
            .reminders_of_invoice(invoice)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn blocking_needs_a_reason_and_a_blocked_invoice_is_skipped() {
    let app = TestApp::spawn().await;
    let (member, invoice) = overdue_invoice(&app).await;
    let accountant = app.signed_in("accountant@test.be").await;
    let html = accountant
        .get(&format!("/invoices/{invoice}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("/invoices/{invoice}/dunning/block")),
        "{html}"
    );

    // Without a reason: refused with the message, nothing written.
    let r = accountant
        .post(
            &format!("/invoices/{invoice}/dunning/block"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Indiquez le motif du blocage.")
    );
    assert!(app.store.invoice_block(invoice).await.unwrap().is_none());
    // A member may not block.
    let r = member
        .post(
            &format!("/invoices/{invoice}/dunning/block"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(r.status(), 403);

    let r = accountant
        .post(
            &format!("/invoices/{invoice}/dunning/block"),
            &[("reason", "Prestation contestée")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/invoices/{invoice}#dunning"));
    let html = accountant.get("/dunning").await.text().await.unwrap();
    assert!(html.contains("Prestation contestée"));
    // Blocked again: the store's refusal, worded.
    let r = accountant
        .post(
            &format!("/invoices/{invoice}/dunning/block"),
            &[("reason", "encore")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("déjà bloqués"));

    let today = ruche_web::context::today().to_string();
    let r = accountant
        .post("/dunning", &[("date", today.as_str()), ("mode", "run")])
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        app.store
            .reminders_of_invoice(invoice)
            .await
            .unwrap()
            .is_empty()
    );

    let r = accountant
        .post(
            &format!("/invoices/{invoice}/dunning/unblock"),
            &[("next", "/dunning#blocked")],
        )
        .await;
    assert_eq!(location(&r), "/dunning#blocked");
    assert!(app.store.invoice_block(invoice).await.unwrap().is_none());
}

#[tokio::test]
async fn the_api_runs_the_reminders_and_blocks_an_invoice() {
    let app = TestApp::spawn().await;
    let (_, invoice) = overdue_invoice(&app).await;
    let token = crate::api::token_of(&app, "accountant@test.be").await;
    let member_token = crate::api::token_of(&app, "member@test.be").await;
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, token: &str| {
        client
            .request(method, app.url(path))
            .bearer_auth(token)
            .header("accept-language", "en")
    };

    let r = call(reqwest::Method::POST, "/api/v1/dunning/run", &member_token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let preview: Value = call(reqwest::Method::POST, "/api/v1/dunning/run", &token)
        .json(&json!({ "dry_run": true }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preview["report"]["dry_run"], true);
    assert_eq!(preview["report"]["sent"][0]["count"], 1);
    assert!(preview["delivery"].is_null());
    assert!(
        app.store
            .reminders_of_invoice(invoice)
            .await
            .unwrap()
            .is_empty()
    );

    let run: Value = call(reqwest::Method::POST, "/api/v1/dunning/run", &token)
        .json(&json!({ "dry_run": false }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(run["delivery"]["mailed"], 1);
    let again: Value = call(reqwest::Method::POST, "/api/v1/dunning/run", &token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["report"]["sent"], json!([]));
    assert_eq!(again["delivery"]["mailed"], 0);

    let of_invoice: Value = call(
        reqwest::Method::GET,
        &format!("/api/v1/invoices/{invoice}/reminders"),
        &member_token,
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(of_invoice["reminders"].as_array().unwrap().len(), 1);
    let id = of_invoice["reminders"][0]["id"].as_i64().unwrap();
    let list: Value = call(
        reqwest::Method::GET,
        &format!("/api/v1/reminders?invoice_id={invoice}"),
        &token,
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["delivery"], "mailed");
    let r = call(reqwest::Method::GET, "/api/v1/reminders", &member_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "the list is the treasury's");
    let pdf = call(
        reqwest::Method::GET,
        &format!("/api/v1/reminders/{id}/pdf"),
        &token,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let overdue: Value = call(
        reqwest::Method::GET,
        "/api/v1/dunning/overdue?bucket=0",
        &token,
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(overdue["buckets"][0]["count"], 1);
    assert_eq!(overdue["invoices"]["items"][0]["id"], invoice);

    let block = |reason: &str| {
        call(
            reqwest::Method::POST,
            &format!("/api/v1/invoices/{invoice}/block"),
            &token,
        )
        .json(&json!({ "reason": reason }))
        .send()
    };
    let r = block("").await.unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "reason");
    assert_eq!(problem["title"], "Give the reason of the block.");
    assert!(app.store.invoice_block(invoice).await.unwrap().is_none());
    assert_eq!(block("Disputed").await.unwrap().status(), 201);
    let r = block("Again").await.unwrap();
    assert_eq!(r.status(), 409);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(
        problem["title"],
        "The reminders of this invoice are already blocked."
    );
    let unblock = || {
        call(
            reqwest::Method::DELETE,
            &format!("/api/v1/invoices/{invoice}/block"),
            &token,
        )
        .send()
    };
    assert_eq!(unblock().await.unwrap().status(), 204);
    assert_eq!(unblock().await.unwrap().status(), 409);
}
