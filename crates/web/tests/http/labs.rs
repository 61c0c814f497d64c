//! The labs over HTTP: the staff create a lab with a member as coordinator, another person
//! joins, the coordinator records a meeting (a mere member may not), bad input is refused
//! naming its field, the API lists the lab.

use serde_json::Value;

use crate::api::token_of;
use crate::app::{TestApp, location};

#[tokio::test]
async fn a_lab_is_joined_and_its_coordinator_records_a_meeting() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin@test.be").await;
    let today = ruche_web::context::today().to_string();
    let r = admin
        .post(
            "/labs",
            &[
                ("labs_name", "Lab des musiciens"),
                ("labs_theme", "Musique"),
                ("labs_model", "peer-support"),
                ("labs_description", "Entraide"),
                ("labs_started_on", &today),
                ("labs_coordinator", "member@test.be"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id: i64 = location(&r)
        .trim_start_matches("/labs/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap();
    let member = app.signed_in("member@test.be").await;
    let html = member.get("/labs").await.text().await.unwrap();
    assert!(html.contains("Lab des musiciens"));
    let empty = member
        .get("/labs?labs_status=closed")
        .await
        .text()
        .await
        .unwrap();
    assert!(empty.contains("id=\"labs-empty\""));

    let advisor = app.signed_in("advisor@test.be").await;
    let r = advisor.post(&format!("/labs/{id}/join"), &[]).await;
    assert_eq!(r.status(), 303);
    let meeting = [
        ("labs_held_on", today.as_str()),
        ("labs_place", ""),
        ("labs_present", "5"),
        ("labs_notes", "Tour de table"),
    ];
    // A member of the lab who does not coordinate it may not record its meetings.
    let r = advisor
        .post(&format!("/labs/{id}/meetings"), &meeting)
        .await;
    assert_eq!(r.status(), 403);
    let r = member.post(&format!("/labs/{id}/meetings"), &meeting).await;
    assert_eq!(r.status(), 303);
    let r = member
        .post(
            &format!("/labs/{id}/meetings"),
            &[("labs_held_on", "2999-01-01"), ("labs_present", "x")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"e-labs_present\"") && html.contains("id=\"e-labs_notes\""));
    // The only coordinator may not leave.
    let r = member.post(&format!("/labs/{id}/leave"), &[]).await;
    assert_eq!(r.status(), 422);

    let token = token_of(&app, "member@test.be").await;
    let client = reqwest::Client::new();
    let list: Value = client
        .get(app.url("/api/v1/labs?status=active"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["members"], 2);
    let one: Value = client
        .get(app.url(&format!("/api/v1/labs/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["meetings"].as_array().map(Vec::len), Some(1));
    let r = client
        .get(app.url("/api/v1/labs?model=nonsense"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
