use serde_json::Value;

use crate::app::{TestApp, location};

fn activity_form(office: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Atelier céramique".into()),
        ("description", "Cours et commandes de céramique.".into()),
        ("sector", "crafts".into()),
        ("office_id", office.into()),
    ]
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn id_of(location: &str, prefix: &str) -> String {
    location
        .trim_start_matches(prefix)
        .split(['?', '/'])
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_member_proposes_an_activity_and_the_advisor_validates_it() {
    let app = TestApp::spawn().await;
    let member = app.signed_in("member@test.be").await;
    let office = app.office_id.to_string();
    let r = member
        .post("/activities", &pairs(&activity_form(&office)))
        .await;
    assert_eq!(r.status(), 303);
    let id = id_of(&location(&r), "/activities/");
    let page = member
        .get(&format!("/activities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Atelier céramique") && page.contains("proposée"));
    assert!(!page.contains("/decision"), "a member does not decide");
    // The member cannot validate their own activity.
    let r = member
        .post(
            &format!("/activities/{id}/decision"),
            &[("event", "validate")],
        )
        .await;
    assert_eq!(r.status(), 403);

    let advisor = app.signed_in("advisor@test.be").await;
    let list = advisor
        .get("/activities?status=proposed")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Atelier céramique"));
    let r = advisor
        .post(
            &format!("/activities/{id}/decision"),
            &[("event", "validate")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = advisor
        .post(
            &format!("/activities/{id}/decision"),
            &[("event", "validate")],
        )
        .await;
    assert_eq!(r.status(), 409, "validating twice is refused");
    let r = advisor
        .post(&format!("/activities/{id}/rate"), &[("rate", "75")])
        .await;
    assert_eq!(r.status(), 422);
    let r = advisor
        .post(&format!("/activities/{id}/rate"), &[("rate", "5,5")])
        .await;
    assert_eq!(r.status(), 303);
    let page = member
        .get(&format!("/activities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("active") && page.contains("5,5\u{a0}%"));
    let dashboard = member.get("/").await.text().await.unwrap();
    assert!(dashboard.contains("Atelier céramique"));
}

#[tokio::test]
async fn an_activity_is_seen_only_by_its_holders_and_its_office() {
    let app = TestApp::spawn().await;
    let member = app.signed_in("member@test.be").await;
    let office = app.office_id.to_string();
    let r = member
        .post("/activities", &pairs(&activity_form(&office)))
        .await;
    let id = id_of(&location(&r), "/activities/");
    let other = app.signed_in("newmember@test.be").await;
    assert_eq!(other.get(&format!("/activities/{id}")).await.status(), 403);
    // Made co-holder by e-mail, the other member sees it.
    let r = member
        .post(
            &format!("/activities/{id}/holders"),
            &[("email", "nobody@test.be")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = member
        .post(
            &format!("/activities/{id}/holders"),
            &[("email", "newmember@test.be")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = other.get(&format!("/activities/{id}")).await;
    assert_eq!(
        r.status(),
        303,
        "a holder without the usage contract is sent to accept it"
    );
    assert_eq!(location(&r), "/usage-contract");
    other.post("/usage-contract/accept", &[]).await;
    assert_eq!(other.get(&format!("/activities/{id}")).await.status(), 200);
    let r = member
        .post(
            &format!("/activities/{id}/holders"),
            &[("email", "newmember@test.be")],
        )
        .await;
    assert_eq!(r.status(), 422, "already a holder");
}

#[tokio::test]
async fn a_belgian_company_is_in_the_directory_once() {
    let app = TestApp::spawn().await;
    let member = app.signed_in("member@test.be").await;
    let company = [
        ("kind", "company"),
        ("name", "Théâtre National"),
        ("enterprise_number", "0202.239.951"),
        ("vat_number", "BE0202239951"),
        ("street", "Bd Jacqmain 111"),
        ("postcode", "1000"),
        ("city", "Bruxelles"),
        ("country", "BE"),
        ("language", "fr"),
        ("email", ""),
    ];
    let r = member.post("/clients", &company).await;
    assert_eq!(r.status(), 303);
    let r = member.post("/clients", &company).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("ce client existe déjà"),
        "the existing client is proposed"
    );
    let bad = company.map(|(k, v)| {
        if k == "enterprise_number" {
            (k, "0407617077")
        } else {
            (k, v)
        }
    });
    let r = member.post("/clients", &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("entreprise : les chiffres de contrôle ne correspondent pas."),
        "{html}"
    );
    let list = member
        .get("/clients?q=0202.239.951")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("0208:0202239951"));
    assert_eq!(
        app.store
            .clients(None, None, Default::default())
            .await
            .unwrap()
            .total,
        1
    );
}

#[tokio::test]
async fn activities_and_clients_through_the_api() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("member@test.be").await;
    let r = b.post("/account/tokens", &[("name", "t")]).await;
    let html = r.text().await.unwrap();
    let start = html.find("rch_").unwrap();
    let token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let client = reqwest::Client::new();
    let body = serde_json::json!({ "name": "Studio", "description": "Photo", "sector": "visual-arts", "office_id": app.office_id.to_string() });
    let r = client
        .post(app.url("/api/v1/activities"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["status"], "proposed");
    let id = created["id"].as_i64().unwrap();
    let r = client
        .post(app.url(&format!("/api/v1/activities/{id}/decision")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"event": "validate"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "members do not validate");
    let mine: Value = client
        .get(app.url("/api/v1/activities"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 1);
    let bad = serde_json::json!({ "kind": "company", "name": "X", "street": "Rue 1", "postcode": "1000", "city": "Bruxelles", "country": "BE", "language": "fr", "enterprise_number": "" });
    let r = client
        .post(app.url("/api/v1/clients"))
        .bearer_auth(&token)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "enterprise_number");
}
