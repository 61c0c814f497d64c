//! Advocacy and permanent education (C13) over HTTP: members read the year's lists, only the
//! participation staff record; bad input is refused with its reason; the API lists by year.

use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::{AuditContext, PageRequest};

use crate::api::token_of;
use crate::app::{PASSWORD, TestApp};

async fn add_participation(app: &TestApp, email: &str) {
    let ctx = AuditContext::system();
    let person = ruche_domain::person::PersonForm {
        first_name: "Pia".into(),
        last_name: "Participation".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let hash = ruche_web::auth::password::hash_now(PASSWORD).unwrap();
    app.store
        .create_person_with_account(
            &ctx,
            &person,
            &NewAccount {
                email: email.into(),
                password_hash: hash,
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role: Role::Participation,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_staff_record_a_conference_that_members_read_and_cannot_change() {
    let app = TestApp::spawn().await;
    add_participation(&app, "participation@test.be").await;
    let staff = app.signed_in("participation@test.be").await;
    let form = [
        ("advocacy_title", "L'économie sociale en 2030"),
        ("advocacy_kind", "conference"),
        ("advocacy_date", "2025-03-07"),
        ("advocacy_place", "Bruxelles"),
        ("advocacy_speakers", "La direction"),
        ("advocacy_audience", "-3"),
    ];
    let r = staff.post("/advocacy/events", &form).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("id=\"e-advocacy_audience\"")
    );
    let mut form = form.to_vec();
    form[5] = ("advocacy_audience", "140");
    assert_eq!(staff.post("/advocacy/events", &form).await.status(), 303);
    assert_eq!(
        app.store
            .advocacy_events(Some(2025), PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );

    let member = app.signed_in("member@test.be").await;
    let page = member.get("/advocacy?year=2025").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("conomie sociale en 2030"));
    assert!(!html.contains("id=\"advocacy-new-event\""));
    assert_eq!(member.post("/advocacy/events", &form).await.status(), 403);
    assert_eq!(member.get("/advocacy/events/new").await.status(), 403);
    assert_eq!(app.browser("fr-BE").get("/advocacy").await.status(), 303);

    let token = token_of(&app, "member@test.be").await;
    let client = reqwest::Client::new();
    let list: serde_json::Value = client
        .get(app.url("/api/v1/advocacy/events?year=2025"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["audience"], 140);
    let r = client
        .get(app.url("/api/v1/advocacy/publications?year=abc"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
