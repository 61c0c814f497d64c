//! The indicators over HTTP: the staff page shows the year's sections with their charts,
//! the board publishes figures, and the public page and API show the published ones only.

use ruche_store::AuditContext;
use serde_json::{Value, json};

use crate::api::token_of;
use crate::app::{TestApp, location};

/// An invoice of member@test.be's activity of 1.000,00 € excl. VAT, issued today.
async fn issued_invoice(app: &TestApp) {
    let (member, activity, client) = crate::invoices::setup(app).await;
    let r = member
        .post(
            &format!("/activities/{activity}/invoices"),
            &[
                ("client_id", client.as_str()),
                ("entity_id", "1"),
                ("due_days", "30"),
                ("language", "fr"),
                ("order_reference", "BC-1"),
                ("note", ""),
                ("lines[0].description", "Concert"),
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
    app.store
        .issue_invoice(&AuditContext::system(), id, ruche_web::context::today())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_staff_page_shows_the_year_with_its_charts_and_no_invented_number() {
    let app = TestApp::spawn().await;
    issued_invoice(&app).await;
    let year = ruche_web::context::today().year();
    let board = app.signed_in("board@test.be").await;
    let r = board.get("/indicators").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("Indicateurs {year}")), "{html}");
    // The turnover section with its figure, linked to the list it counts.
    assert!(html.contains("Factures émises"), "{html}");
    assert!(html.contains("1.000,00"), "{html}");
    // A chart of the years, in SVG with its table.
    assert!(html.contains("<svg role=\"img\""), "{html}");
    assert!(
        html.contains("data-testid=\"chart-turnover-net\""),
        "{html}"
    );
    assert!(html.contains("Les chiffres du graphique"), "{html}");
    // Modules not built yet show no number.
    assert!(html.contains("data-testid=\"section-loans\""), "{html}");
    assert!(html.contains("Pas de données pour cette année."), "{html}");

    // A year without data: every section says so.
    let html = board
        .get("/indicators?year=2001")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Factures émises"), "{html}");
    // A bad year is refused.
    assert_eq!(board.get("/indicators?year=deux").await.status(), 422);
    // A member does not see the indicators; the accountant does but cannot publish.
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/indicators").await.status(), 403);
    let accountant = app.signed_in("accountant@test.be").await;
    assert_eq!(accountant.get("/indicators").await.status(), 200);
    assert_eq!(
        accountant.get("/indicators/publication").await.status(),
        403
    );
}

#[tokio::test]
async fn the_public_page_shows_only_the_published_figures() {
    let app = TestApp::spawn().await;
    issued_invoice(&app).await;
    let visitor = app.browser("nl-BE");
    let r = visitor.get("/public/indicators").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Onze cijfers"), "{html}");
    assert!(html.contains("Er is geen cijfer gepubliceerd"), "{html}");
    assert!(!html.contains("Uitgereikte facturen"), "{html}");

    // The board publishes the number of invoices, not the turnover.
    let board = app.signed_in("board@test.be").await;
    let page = board
        .get("/indicators/publication")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("turnover-invoices"), "{page}");
    let r = board
        .post(
            "/indicators/publication",
            &[("figure_key", "turnover-invoices"), ("published", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = board
        .post(
            "/indicators/publication",
            &[("figure_key", "nothing"), ("published", "1")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = board
        .get("/indicators/publication")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Publié"), "{page}");

    let html = visitor
        .get("/public/indicators")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Uitgereikte facturen"), "{html}");
    assert!(!html.contains("Omzet excl. btw"), "{html}");
    assert!(!html.contains("1.000,00"), "{html}");

    // The public API: no token, the same figures.
    let client = reqwest::Client::new();
    let v: Value = client
        .get(app.url("/api/v1/public/indicators"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let keys: Vec<&str> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["figures"].as_array().unwrap())
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["turnover-invoices"]);
    assert_eq!(v["sections"][0]["figures"][0]["label"], "Invoices issued");
    assert_eq!(
        v["sections"][0]["figures"][0]["value"],
        json!({ "unit": "count", "value": 1 })
    );

    // The staff API: every section; a member's token is refused.
    let token = token_of(&app, "board@test.be").await;
    let v: Value = client
        .get(app.url("/api/v1/indicators"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["sections"].as_array().unwrap().len(),
        ruche_store::figures::FigureSection::ALL.len()
    );
    assert_eq!(v["sections"][1]["section"], "turnover");
    assert_eq!(v["sections"][1]["available"], true);
    let r = client
        .post(app.url("/api/v1/indicators/publication"))
        .bearer_auth(&token)
        .json(&json!({ "figure_key": "turnover-net", "published": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .post(app.url("/api/v1/indicators/publication"))
        .bearer_auth(&token)
        .json(&json!({ "figure_key": "loans", "published": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let member = token_of(&app, "member@test.be").await;
    let r = client
        .get(app.url("/api/v1/indicators"))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
