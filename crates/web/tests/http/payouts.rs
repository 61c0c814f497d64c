//! Payouts over HTTP: the treasury page (add, refuse with named fields, cancel, create the
//! SEPA file, download it again) and the API, each for accountants only.

use serde_json::{Value, json};

use crate::app::{TestApp, location};

fn today() -> String {
    ruche_web::context::today().to_string()
}

#[tokio::test]
async fn an_accountant_adds_a_refund_and_downloads_the_same_sepa_file_twice() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("accountant@test.be").await;
    assert_eq!(b.get("/payouts").await.status(), 200);
    let day = today();
    let order = |town: &'static str, amount: &'static str| {
        vec![
            ("kind", "refund"),
            ("payer_entity", "1"),
            ("beneficiary_name", "Zoë Lefèvre"),
            ("iban", "BE71 0961 2345 6769"),
            ("street", "Chaussée de Louvain"),
            ("building_number", "12"),
            ("postcode", "5000"),
            ("town", town),
            ("country", "BE"),
            ("amount", amount),
            ("remittance", "Remboursement trop-perçu"),
            ("ledger_account", ""),
        ]
    };
    // No town, no amount: 422, each field named in French, nothing written.
    let mut bad = order("", "0");
    bad.push(("requested_on", &day));
    let r = b.post("/payouts", &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Localité : ce champ est obligatoire"),
        "{html}"
    );
    assert!(
        html.contains("Indiquez un montant supérieur à zéro"),
        "{html}"
    );
    let all = app
        .store
        .payouts(&Default::default(), Default::default())
        .await
        .unwrap();
    assert_eq!(all.total, 0);

    let mut good = order("Namur", "1.234,56");
    good.push(("requested_on", &day));
    let r = b.post("/payouts", &good).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/payouts?saved=1");
    let html = b.get("/payouts").await.text().await.unwrap();
    assert!(html.contains("RUCHE-PO-1"), "{html}");

    // The file: created once, then downloaded twice with the same bytes.
    let r = b
        .post(
            "/payouts/batches",
            &[("batch_entity", "1"), ("execution_date", &day)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        location(&r).starts_with("/payouts?batch="),
        "{}",
        location(&r)
    );
    let first = b.get("/payouts/batches/1/xml").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "application/xml");
    let first = first.text().await.unwrap();
    assert!(first.contains("<EndToEndId>RUCHE-PO-1</EndToEndId>"));
    assert!(first.contains("<Nm>Zoe Lefevre</Nm>"));
    assert!(first.contains("<CtrlSum>1234.56</CtrlSum>"));
    assert_eq!(
        b.get("/payouts/batches/1/xml").await.text().await.unwrap(),
        first
    );

    // Nothing left to pay: the batch form says so.
    let r = b
        .post(
            "/payouts/batches",
            &[("batch_entity", "1"), ("execution_date", &day)],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Aucun ordre en attente de cette entité")
    );
    // A batched order is not cancelled any more.
    let r = b.post("/payouts/1/cancel", &[]).await;
    assert_eq!(r.status(), 409);

    // Members and advisors never see the page nor the files.
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/payouts").await.status(), 403);
    assert_eq!(member.get("/payouts/batches/1/xml").await.status(), 403);
}

#[tokio::test]
async fn the_api_adds_cancels_and_batches_payouts_for_accountants_only() {
    let app = TestApp::spawn().await;
    let token = crate::api::token_of(&app, "accountant@test.be").await;
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        client
            .post(app.url(path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let salary = json!({
        "kind": "salary", "entity_id": 1, "beneficiary_name": "Jan Peeters",
        "iban": "BE48001123456727", "town": "Antwerpen", "country": "BE",
        "amount_cents": 185000, "remittance": "Loon november", "requested_on": today(),
        "source_type": "salary-run", "source_id": 7
    });
    let r = post("/api/v1/payouts", salary.clone()).await.unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["status"], "pending");
    assert_eq!(created["ledger_account"], "salaries:payable");
    assert_eq!(created["end_to_end_id"], "RUCHE-PO-1");

    // Bad input: 422, each error naming its field.
    let mut bad = salary.clone();
    bad["town"] = json!("");
    bad["amount_cents"] = json!(0);
    bad["iban"] = json!("BE00 1234");
    let r = post("/api/v1/payouts", bad).await.unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["town", "amount_cents", "iban"] {
        assert!(fields.contains(&field), "{problem}");
    }

    // Cancel once; the second time is a conflict.
    let second = post("/api/v1/payouts", salary.clone()).await.unwrap();
    let second: Value = second.json().await.unwrap();
    let cancel = format!("/api/v1/payouts/{}/cancel", second["id"]);
    assert_eq!(post(&cancel, json!({})).await.unwrap().status(), 200);
    assert_eq!(post(&cancel, json!({})).await.unwrap().status(), 409);

    // A date in the past is refused, naming the field.
    let r = post(
        "/api/v1/payout-batches",
        json!({ "entity_id": 1, "execution_date": "2000-01-03" }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let r = post(
        "/api/v1/payout-batches",
        json!({ "entity_id": 1, "execution_date": today() }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let batch: Value = r.json().await.unwrap();
    assert_eq!(batch["transaction_count"], 1);
    assert_eq!(batch["total_cents"], 185000);
    let listed: Value = client
        .get(app.url("/api/v1/payout-batches"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1);
    let xml = client
        .get(app.url(&format!("/api/v1/payout-batches/{}/xml", batch["id"])))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(xml.contains("<Cd>SALA</Cd>"), "{xml}");
    let pending: Value = client
        .get(app.url("/api/v1/payouts?status=pending"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pending["total"], 0);
    let r = post(
        "/api/v1/payout-batches",
        json!({ "entity_id": 1, "execution_date": today() }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 409);

    let member = crate::api::token_of(&app, "member@test.be").await;
    let r = client
        .get(app.url("/api/v1/payouts"))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
