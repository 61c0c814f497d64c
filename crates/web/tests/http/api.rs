use serde_json::Value;

use crate::app::TestApp;

/// Creates an API token on "My account" and returns it.
pub async fn token_of(app: &TestApp, email: &str) -> String {
    let b = app.signed_in(email).await;
    let r = b.post("/account/tokens", &[("name", "tests")]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("rch_").expect("token shown once");
    html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[tokio::test]
async fn the_api_needs_a_live_token() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let r = client.get(app.url("/api/v1/offices")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = client
        .get(app.url("/api/v1/offices"))
        .bearer_auth("rch_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let token = token_of(&app, "admin@test.be").await;
    let r = client
        .get(app.url("/api/v1/offices"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["name"], "Bruxelles");

    // Revoked on the page, refused by the API.
    let tokens = app
        .store
        .api_tokens(page_account(&app, "admin@test.be").await)
        .await
        .unwrap();
    let b = app.signed_in("admin@test.be").await;
    b.post(&format!("/account/tokens/{}/revoke", tokens[0].id), &[])
        .await;
    let r = client
        .get(app.url("/api/v1/offices"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

async fn page_account(app: &TestApp, email: &str) -> i64 {
    app.store.account_by_email(email).await.unwrap().unwrap().id
}

#[tokio::test]
async fn the_api_applies_the_same_policy_and_ignores_browser_sessions() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let token = token_of(&app, "member@test.be").await;
    let r = client
        .get(app.url("/api/v1/accounts"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let me: Value = client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "member@test.be");
    // A signed-in browser's cookie does not open the API.
    let b = app.signed_in("admin@test.be").await;
    assert_eq!(b.get("/api/v1/offices").await.status(), 401);
}

#[tokio::test]
async fn api_errors_name_the_field_in_the_requested_language() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let token = token_of(&app, "admin@test.be").await;
    let office = serde_json::json!({ "name": "Liège", "region": "wallonia", "street": "Rue Haute 1", "postcode": "ABC", "city": "Liège" });
    let r = client
        .post(app.url("/api/v1/offices"))
        .bearer_auth(&token)
        .header("accept-language", "nl-BE")
        .json(&office)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "postcode");
    assert_eq!(
        problem["errors"][0]["detail"],
        "Postcode : een Belgische postcode telt 4 cijfers."
    );
    assert_eq!(
        app.store.offices(Default::default()).await.unwrap().total,
        1,
        "nothing saved"
    );

    let mut good = office.clone();
    good["postcode"] = "4000".into();
    let r = client
        .post(app.url("/api/v1/offices"))
        .bearer_auth(&token)
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let again = client
        .post(app.url("/api/v1/offices"))
        .bearer_auth(&token)
        .json(&good)
        .send()
        .await
        .unwrap();
    let problem: Value = again.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "name");
    assert_eq!(problem["errors"][0]["code"], "taken");
    let log = app
        .store
        .audit_entries(
            &ruche_store::audit::AuditFilter {
                entity_type: Some("office".into()),
                entity_id: created["id"].as_i64(),
                ..Default::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        log.items[0].actor_email.as_deref(),
        Some("admin@test.be"),
        "API changes are audited"
    );

    let r = client
        .post(app.url("/api/v1/offices"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/legal-entities",
        "/api/v1/offices/{id}",
        "/api/v1/persons",
        "/api/v1/accounts/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}
