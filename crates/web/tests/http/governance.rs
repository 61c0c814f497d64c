//! The accreditation over HTTP: the governance hub is the board's (not a member's); a year
//! closes after its end (a date before it is refused, translated, nothing written); the
//! special report is a draft until the board approves it for a closed year, then frozen,
//! with its PDF kept; the API applies the same rules.

use serde_json::{Value, json};

use crate::api::token_of;
use crate::app::{TestApp, location};

#[tokio::test]
async fn the_hub_is_the_boards_and_a_member_is_refused() {
    let app = TestApp::spawn().await;
    let board = app.signed_in("board@test.be").await;
    let r = board.get("/governance").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Gouvernance et agrément"), "{html}");
    assert!(html.contains("href=\"/compliance\""));
    assert!(html.contains("est encore clôturé."));
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/governance").await.status(), 403);
    assert_eq!(member.get("/special-reports/2024").await.status(), 403);
}

#[tokio::test]
async fn a_year_closes_after_its_end_and_its_report_is_approved_then_frozen() {
    let app = TestApp::spawn().await;
    let board = app.signed_in("board@test.be").await;

    // The draft: every condition with its result, a section without data says so.
    let html = board
        .get("/special-reports/2024")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Rapport spécial 2024"), "{html}");
    assert!(html.contains("Projet — calculé à partir des données actuelles"));
    assert!(html.contains("ES-7 — Nul ne vote pour plus d"), "{html}");
    assert!(html.contains("Aucune donnée enregistrée dans ruche"));
    let compliance = board
        .get("/compliance?year=2024")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        compliance.contains("agrément — exercice 2024"),
        "{compliance}"
    );
    assert!(compliance.contains("CSA/WVV 8:5"));

    // Approval of an open year: refused, translated, nothing frozen.
    let approve = [
        ("gov_approved_on", "2025-04-30"),
        ("gov_signatories", "A. Durand\nB. Peeters"),
        ("gov_archive", "management-report"),
    ];
    let r = board.post("/special-reports/2024/approve", &approve).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("est pas clôturé : clôturez-le")
    );
    assert!(
        app.store
            .frozen_special_report(2024)
            .await
            .unwrap()
            .is_none()
    );

    // Closing before the year's end: refused.
    let r = board
        .post(
            "/governance/years",
            &[("gov_year", "2024"), ("gov_closed_on", "2024-12-30")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("la date de clôture doit suivre le 31 décembre")
    );
    let r = board
        .post(
            "/governance/years",
            &[("gov_year", "2024"), ("gov_closed_on", "2025-03-01")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Exercice 2024 clôturé."));

    // One signatory is not enough; two are.
    let r = board
        .post(
            "/special-reports/2024/approve",
            &[
                ("gov_approved_on", "2025-04-30"),
                ("gov_signatories", "A. Durand"),
                ("gov_archive", "seat"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("au moins deux administrateurs")
    );
    let r = board.post("/special-reports/2024/approve", &approve).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/special-reports/2024");
    let html = board
        .get("/special-reports/2024")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("administration le 30/04/2025"), "{html}");
    assert!(html.contains("Rapport figé le"));
    assert!(!html.contains("Approuver et figer le rapport"));

    // The PDF kept at approval, in each language.
    let r = board.get("/special-reports/2024/report.pdf?lang=nl").await;
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let kept = app
        .store
        .special_report_pdf(2024, "nl")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pdf.to_vec(), kept);

    // The API: the frozen data, and a second approval refused.
    let token = token_of(&app, "board@test.be").await;
    let client = reqwest::Client::new();
    let r = client
        .get(app.url("/api/v1/special-reports/2024"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["approval"]["approved_on"], "2025-04-30");
    // The nine conditions, the designation, and the CNC's ten (the entity is an SCES).
    assert_eq!(body["checks"].as_array().unwrap().len(), 20);
    let r = client
        .post(app.url("/api/v1/special-reports/2024/approval"))
        .bearer_auth(&token)
        .json(&json!({ "approved_on": "2025-05-01", "signatories": ["A", "B"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = client
        .get(app.url("/api/v1/compliance/2024"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["frozen"], true);
}
