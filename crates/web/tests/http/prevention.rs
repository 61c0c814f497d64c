//! Prevention and diversity (C15) over HTTP: an advisor reports an incident but cannot read
//! the register; the prevention staff read it, follow it up and close it; a member gets 403;
//! bad input names its fields; the API lists for the prevention staff only.

use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::AuditContext;
use ruche_store::accounts::NewAccount;

use crate::api::token_of;
use crate::app::{PASSWORD, TestApp, location};

const INJURY: &str = "Coupure profonde à la main gauche";

async fn add_prevention_account(app: &TestApp) {
    let ctx = AuditContext::system();
    let person = ruche_domain::person::PersonForm {
        first_name: "Prévention".into(),
        last_name: "Conseil".into(),
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
                email: "prevention@test.be".into(),
                password_hash: hash,
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role: Role::Prevention,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap();
}

fn today() -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap();
    jiff::Timestamp::now().to_zoned(tz).date().to_string()
}

fn report_form<'a>(office: &'a str, person: &'a str, day: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("prv_date", day),
        ("prv_time", "10:15"),
        ("prv_office", office),
        ("prv_person", person),
        ("prv_nature", "work-accident"),
        ("prv_severity", "first-aid"),
        ("prv_injury", INJURY),
        ("prv_days_lost", "0"),
    ]
}

#[tokio::test]
async fn prevention_an_advisor_reports_an_incident_but_cannot_read_the_register() {
    let app = TestApp::spawn().await;
    add_prevention_account(&app).await;
    let advisor = app.signed_in("advisor@test.be").await;
    let person = app
        .store
        .account_by_email("member@test.be")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .to_string();
    let office = app.office_id.to_string();
    let day = today();
    let page = advisor.get("/prevention/incidents/new").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("id=\"prv-incident-form\"")
    );
    let r = advisor
        .post(
            "/prevention/incidents",
            &report_form(&office, &person, &day),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/prevention/incidents/new?sent=1");
    let sent = advisor.get("/prevention/incidents/new?sent=1").await;
    assert!(sent.text().await.unwrap().contains("id=\"prv-sent\""));
    // The register and its entry stay closed to the reporter.
    let id = app
        .store
        .incidents(&Default::default(), Default::default())
        .await
        .unwrap()
        .items[0]
        .id;
    for path in [
        "/prevention".to_string(),
        "/prevention/incidents".to_string(),
        format!("/prevention/incidents/{id}"),
        "/prevention/diversity".to_string(),
    ] {
        assert_eq!(advisor.get(&path).await.status(), 403, "{path}");
    }
    // Bad input: refused with the reasons, nothing written.
    let r = advisor
        .post(
            "/prevention/incidents",
            &[
                ("prv_date", "2999-01-01"),
                ("prv_time", "10:15"),
                ("prv_place", "Cour"),
                ("prv_nature", "near-miss"),
                ("prv_severity", "none"),
                ("prv_days_lost", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("e-prv_date") && html.contains("e-prv_days_lost"));
    assert_eq!(
        app.store
            .incidents(&Default::default(), Default::default())
            .await
            .unwrap()
            .total,
        1
    );

    // The prevention adviser reads it, follows it up and closes it.
    let prevention = app.signed_in("prevention@test.be").await;
    let board = prevention.get("/prevention").await;
    assert_eq!(board.status(), 200);
    let list = prevention
        .get("/prevention/incidents")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(&format!("/prevention/incidents/{id}")));
    let detail = prevention
        .get(&format!("/prevention/incidents/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(detail.contains(INJURY));
    let r = prevention
        .post(
            &format!("/prevention/incidents/{id}/followups"),
            &[
                ("prv_followup_action", "Gants anti-coupure"),
                ("prv_followup_owner", "Atelier"),
                ("prv_followup_due", &day),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = prevention
        .post(
            &format!("/prevention/incidents/{id}/close"),
            &[("prv_closed_on", &day)],
        )
        .await;
    assert_eq!(r.status(), 422, "an open follow-up blocks the closing");
    let followup = app.store.incident_followups(id).await.unwrap()[0].id;
    let r = prevention
        .post(
            &format!("/prevention/incidents/{id}/followups/{followup}/done"),
            &[("prv_done_on", &day)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = prevention
        .post(
            &format!("/prevention/incidents/{id}/close"),
            &[("prv_closed_on", &day)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.incident(id).await.unwrap().status, "closed");
    for path in [
        "/prevention/risks",
        "/prevention/actions",
        "/prevention/committee",
        "/prevention/health",
        "/prevention/diversity",
    ] {
        assert_eq!(prevention.get(path).await.status(), 200, "{path}");
    }
    // The diversity plan: an action is added, and done only with its result.
    let r = prevention
        .post(
            "/prevention/diversity",
            &[
                ("div_title", "Jurys mixtes"),
                ("div_axis", "gender"),
                ("div_owner", "RH"),
                ("div_target", "Tous les jurys"),
                ("div_due", "2030-12-31"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let action = app
        .store
        .diversity_actions(&Default::default(), Default::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let path = format!("/prevention/diversity/{action}/status");
    let r = prevention
        .post(&path, &[("prv_event", "complete"), ("prv_on", &day)])
        .await;
    assert_eq!(r.status(), 422);
    let r = prevention
        .post(
            &path,
            &[
                ("prv_event", "complete"),
                ("prv_on", &day),
                ("prv_result", "Fait"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = prevention
        .post(&path, &[("prv_event", "start"), ("prv_on", &day)])
        .await;
    assert_eq!(r.status(), 409, "a done action does not start again");
    let page = prevention.get("/prevention/diversity?status=done").await;
    assert!(page.text().await.unwrap().contains("Jurys mixtes"));
}

#[tokio::test]
async fn prevention_a_member_gets_403_and_the_api_follows_the_same_rules() {
    let app = TestApp::spawn().await;
    add_prevention_account(&app).await;
    let member = app.signed_in("member@test.be").await;
    for path in [
        "/prevention",
        "/prevention/incidents",
        "/prevention/incidents/new",
    ] {
        assert_eq!(member.get(path).await.status(), 403, "{path}");
    }
    let office = app.office_id.to_string();
    let day = today();
    let advisor = token_of(&app, "advisor@test.be").await;
    let client = reqwest::Client::new();
    let body: serde_json::Map<String, serde_json::Value> = report_form(&office, "", &day)
        .into_iter()
        .filter(|(k, _)| *k != "prv_person")
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
        .chain([(
            "prv_person".to_string(),
            serde_json::Value::String(
                app.store
                    .account_by_email("advisor@test.be")
                    .await
                    .unwrap()
                    .unwrap()
                    .person_id
                    .to_string(),
            ),
        )])
        .collect();
    let r = client
        .post(app.url("/api/v1/prevention/incidents"))
        .bearer_auth(&advisor)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: serde_json::Value = r.json().await.unwrap();
    assert!(created["id"].as_i64().is_some());
    assert!(
        created.get("injury").is_none(),
        "the reporter gets the number only"
    );
    let r = client
        .get(app.url("/api/v1/prevention/incidents"))
        .bearer_auth(&advisor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let bad = client
        .post(app.url("/api/v1/prevention/incidents"))
        .bearer_auth(&advisor)
        .json(&serde_json::json!({ "prv_date": "2999-01-01", "prv_time": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");

    let prevention = token_of(&app, "prevention@test.be").await;
    for path in [
        "/api/v1/prevention/incidents?year=2026",
        "/api/v1/prevention/actions?status=open",
        "/api/v1/prevention/diversity",
    ] {
        let r = client
            .get(app.url(path))
            .bearer_auth(&prevention)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    let list: serde_json::Value = client
        .get(app.url("/api/v1/prevention/incidents"))
        .bearer_auth(&prevention)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["injury"], INJURY);
    let r = client
        .get(app.url("/api/v1/prevention/incidents?status=lost"))
        .bearer_auth(&prevention)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
