//! The salary simulator over HTTP: the public page (anonymous, in the visitor's language,
//! 422 naming the field) and its API twin, on the worked vectors of employment.md §2.10.

use serde_json::{Value, json};

use crate::app::TestApp;

/// 2026 (January), employé, single, full time: 3,000 € gross → 2,230.33 € net.
const VECTOR_2026: &str = "/simulator?direction=gross&amount=3000&date=2026-01-15&status=employee&family=single&children=0&fraction=100&authors_rights=0";

#[tokio::test]
async fn an_anonymous_visitor_simulates_a_vector_and_reads_its_net() {
    let app = TestApp::spawn().await;
    let b = app.browser("fr-BE");
    // The form alone, without signing in.
    let r = b.get("/simulator").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Simuler mon salaire"), "{html}");
    assert!(html.contains("name=\"amount\""));
    // The vector: every line, the parameter set and the note.
    let r = b.get(VECTOR_2026).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("2.230,33\u{a0}€"), "the vector's net: {html}");
    assert!(html.contains("-392,10\u{a0}€"), "its ONSS");
    assert!(html.contains("76,22\u{a0}€"), "its work bonus A");
    assert!(
        html.contains("-459,81\u{a0}€"),
        "its withholding before the bonus"
    );
    assert!(html.contains("/2026-01-01"), "the parameter set");
    assert!(html.contains("Indicatif, calculé par ruche à partir des paramètres publiés"));
    // Back from the net: the gross that pays 2,230.33.
    let r = b
        .get("/simulator?direction=net&amount=2.230,33&date=2026-01-15")
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("2.230,33\u{a0}€"), "{html}");
    assert!(html.contains("2.99"), "a gross just under 3,000: {html}");
}

#[tokio::test]
async fn the_page_speaks_the_visitors_language() {
    let app = TestApp::spawn().await;
    let html = app
        .browser("nl-BE")
        .get(VECTOR_2026)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Mijn loon simuleren"), "{html}");
    assert!(html.contains("Nettoloon"));
    let html = app
        .browser("en")
        .get(VECTOR_2026)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Simulate my salary"));
    assert!(html.contains("Employer cost"));
}

#[tokio::test]
async fn a_bad_amount_or_date_answers_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let b = app.browser("fr-BE");
    let r = b
        .get("/simulator?direction=gross&amount=trois%20mille&date=2026-01-15")
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Montant mensuel : montant illisible"),
        "{html}"
    );
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"e-amount\""));
    // The value typed is shown back.
    assert!(html.contains("value=\"trois mille\""));
    // No parameters before 2023: the date is named, with the first day covered.
    let r = b
        .get("/simulator?direction=gross&amount=3000&date=2022-06-01")
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Date de paie : aucun paramètre de paie pour cette date"),
        "{html}"
    );
    assert!(html.contains("01/01/2023"));
    // Too much: above a million.
    let r = b
        .get("/simulator?direction=budget&amount=2.000.000&date=2026-01-15")
        .await;
    assert_eq!(r.status(), 422);
    // Every field at once: the unreadable amount and the uncovered date.
    let r = b
        .get("/simulator?direction=gross&amount=x&date=2022-06-01")
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Montant mensuel : montant illisible"),
        "{html}"
    );
    assert!(html.contains("Date de paie : aucun paramètre"), "{html}");
    // An empty amount is required.
    let r = b.get("/simulator?direction=gross&amount=").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("indiquez un montant"));
}

#[tokio::test]
async fn the_api_returns_the_lines_of_a_vector_without_a_token() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let r = client
        .post(app.url("/api/v1/simulator"))
        .json(&json!({ "direction": "gross", "amount_cents": 250000, "date": "2026-01-15" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: Value = r.json().await.unwrap();
    // employment.md §2.10, 2026 (January), 2,500 €.
    assert_eq!(s["employee_onss_cents"], 32675);
    assert_eq!(s["work_bonus_social_a_cents"], 12300);
    assert_eq!(s["work_bonus_social_b_cents"], 8996);
    assert_eq!(s["taxable_cents"], 238621);
    assert_eq!(s["withholding_before_bonus_cents"], 33231);
    assert_eq!(s["work_bonus_fiscal_cents"], 8803);
    assert_eq!(s["withholding_cents"], 24428);
    assert_eq!(s["csss_cents"], 1374);
    assert_eq!(s["net_cents"], 212819);
    assert!(
        s["params_version"]
            .as_str()
            .unwrap()
            .ends_with("/2026-01-01"),
        "{s}"
    );
    // The same by GET, and back from the budget.
    let cost = s["employer_cost_cents"].as_i64().unwrap();
    let r = client
        .get(app.url(&format!(
            "/api/v1/simulator?direction=budget&amount_cents={cost}&date=2026-01-15"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let back: Value = r.json().await.unwrap();
    assert_eq!(back["gross_cents"], 250000);
    assert_eq!(back["net_cents"], 212819);
}

#[tokio::test]
async fn the_api_names_the_field_of_a_refusal_in_the_request_language() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let r = client
        .post(app.url("/api/v1/simulator"))
        .header("accept-language", "nl-BE")
        .json(&json!({ "direction": "gross", "amount_cents": -5, "fraction_bp": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let p: Value = r.json().await.unwrap();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["amount_cents", "fraction_bp"], "{p}");
    assert!(
        p["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("Maandbedrag : "),
        "{p}"
    );
    // A refusal of the simulator itself: author's rights above the year's share.
    let r = client
        .post(app.url("/api/v1/simulator"))
        .json(&json!({ "direction": "gross", "amount_cents": 300000, "date": "2026-01-15", "authors_rights_bp": 4000 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "authors_rights_bp");
    assert_eq!(p["errors"][0]["code"], "authors-rights-share");
    // Unreadable JSON.
    let r = client
        .post(app.url("/api/v1/simulator"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // The OpenAPI document describes it as public.
    let doc: Value = client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["paths"]["/api/v1/simulator"]["post"]["security"],
        json!([])
    );
}
