//! Bank statements over HTTP: the upload form (multipart, CSRF-checked) and the API.

use serde_json::Value;

use crate::app::{TestApp, location};

/// A one-credit camt.053 statement of `iban`, paying `cents` with `text`.
fn camt(iban: &str, reference: &str, cents: i64, text: &str) -> String {
    let amount = format!("{}.{:02}", cents / 100, cents % 100);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
<GrpHdr><MsgId>{reference}</MsgId><CreDtTm>2026-06-01T06:00:00</CreDtTm></GrpHdr>\
<Stmt><Id>{reference}</Id><ElctrncSeqNb>1</ElctrncSeqNb>\
<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-06-01</Dt></Dt></Bal>\
<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-06-01</Dt></BookgDt>\
<AcctSvcrRef>{reference}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\
</Stmt></BkToCstmrStmt></Document>"
    )
}

/// A `multipart/form-data` body with the CSRF field (when given) and the file.
fn multipart(csrf: Option<&str>, file_name: &str, content: &str) -> (String, String) {
    let boundary = "ruchetestboundary";
    let mut body = String::new();
    if let Some(token) = csrf {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
Content-Type: application/octet-stream\r\n\r\n{content}\r\n--{boundary}--\r\n"
    ));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_accountant_uploads_a_statement_and_reads_its_report() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("accountant@test.be").await;
    let token = b.csrf().await;
    let upload = |csrf: Option<String>, name: &'static str, content: String| {
        let (content_type, body) = multipart(csrf.as_deref(), name, &content);
        b.client
            .post(app.url("/bank/import"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    // Without the form's secret: refused before anything is read.
    let r = upload(None, "s.xml", camt("BE68539007547034", "R-1", 10_000, "x"))
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.store
            .bank_imports(Default::default())
            .await
            .unwrap()
            .total,
        0
    );
    // Neither CODA nor camt: the page says so, nothing is imported.
    let r = upload(Some(token.clone()), "notes.txt", "Bonjour".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("ni un extrait CODA ni un extrait camt.053"),
        "{html}"
    );
    // A CODA file with a line of the wrong length names the line.
    let r = upload(Some(token.clone()), "bad.cod", "0000001\n".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("line 1"));
    assert_eq!(
        app.store
            .bank_imports(Default::default())
            .await
            .unwrap()
            .total,
        0
    );
    // A statement of the cooperative's account: imported, then its report.
    let r = upload(
        Some(token.clone()),
        "s.xml",
        camt("BE68539007547034", "R-1", 10_000, "x"),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let report = location(&r);
    assert!(report.starts_with("/bank/imports/"), "{report}");
    let html = b.get(&report).await.text().await.unwrap();
    assert!(html.contains("non lettré"), "{html}");
    // The queue lists the movement; members never see it.
    assert_eq!(b.get("/bank/movements").await.status(), 200);
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/bank").await.status(), 403);
}

#[tokio::test]
async fn the_api_imports_a_statement_file_and_refuses_what_it_cannot_read() {
    let app = TestApp::spawn().await;
    let token = crate::api::token_of(&app, "accountant@test.be").await;
    let client = reqwest::Client::new();
    let post = |body: String| {
        client
            .post(app.url("/api/v1/bank/imports?file_name=s.xml"))
            .bearer_auth(&token)
            .header("accept-language", "en")
            .body(body)
            .send()
    };
    let r = post("neither".into()).await.unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "unknown-format");
    // An account that is not the cooperative's: the report says why, nothing is imported.
    let r = post(camt("BE71096123456769", "R-2", 500, "x"))
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["refusal"]["code"], "account-unknown");
    assert_eq!(report["read"], 0);
    let r = post(camt("BE68539007547034", "R-3", 500, "x"))
        .await
        .unwrap();
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        (report["read"].as_i64(), report["unmatched"].as_i64()),
        (Some(1), Some(1))
    );
    let movements: Value = client
        .get(app.url("/api/v1/bank/movements?status=unmatched"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(movements["total"], 1);
    let id = movements["items"][0]["id"].as_i64().unwrap();
    // Shares that do not add up: 409, worded.
    let r = client
        .post(app.url(&format!("/api/v1/bank/movements/{id}/match")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "allocations": [{ "invoice_id": 1, "amount_cents": 1 }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = client
        .post(app.url(&format!("/api/v1/bank/movements/{id}/ignore")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "reason": "bank charges" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let movement: Value = r.json().await.unwrap();
    assert_eq!(movement["status"], "ignored");
}
