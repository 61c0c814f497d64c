//! The school of cooperation over HTTP: the staff plan a workshop and a session, a member
//! registers on the page and sees the places left decrease, a full session puts the next
//! one on the waiting list (API), a cancellation gives the place to the first waiting; the
//! staff forms and the list of registered are not a member's.

use serde_json::Value;

use crate::api::token_of;
use crate::app::{TestApp, location};

/// The staff (an administrator) plans a workshop and a session of `capacity` places in five
/// days; returns the session's id.
async fn plan(app: &TestApp, capacity: &str, waiting_list: bool) -> i64 {
    let admin = app.signed_in("admin@test.be").await;
    let r = admin
        .post(
            "/school/workshops",
            &[
                ("school_theme", "payslip"),
                ("school_audience", "both"),
                ("school_title_fr", "Comprendre sa fiche de paie"),
                ("school_title_nl", "Je loonbrief begrijpen"),
                ("school_description_fr", "Brut, net, cotisations."),
                ("school_description_nl", "Bruto, netto, bijdragen."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let workshop = app.store.all_school_workshops().await.unwrap()[0].id;
    let day = ruche_web::context::today()
        .checked_add(jiff::Span::new().days(5))
        .unwrap()
        .to_string();
    let workshop = workshop.to_string();
    let mut form = vec![
        ("school_workshop", workshop.as_str()),
        ("school_held_on", day.as_str()),
        ("school_start", "09:30"),
        ("school_end", "12:00"),
        ("school_language", "fr"),
        ("school_office", ""),
        ("school_online_url", "https://meet.example.org/paie"),
        ("school_capacity", capacity),
    ];
    if waiting_list {
        form.push(("school_waiting_list", "on"));
    }
    let r = admin.post("/school/sessions", &form).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    location(&r)
        .trim_start_matches("/school/sessions/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap()
}

#[tokio::test]
async fn a_member_registers_on_the_page_and_the_waiting_list_takes_the_next() {
    let app = TestApp::spawn().await;
    let id = plan(&app, "2", true).await;
    let member = app.signed_in("member@test.be").await;
    let html = member.get("/school").await.text().await.unwrap();
    assert!(html.contains(&format!("/school/sessions/{id}/register")));
    assert!(html.contains("id=\"school-mine-empty\""));
    let r = member
        .post(&format!("/school/sessions/{id}/register"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/school?done=registered"));
    let html = member.get("/school").await.text().await.unwrap();
    assert!(html.contains("id=\"school-mine-table\""));
    assert!(html.contains(&format!("data-session=\"{id}\"")));
    assert!(html.contains("1 / 2"), "one place left of two");
    // Twice: refused with the reason, under the session's buttons.
    let r = member
        .post(&format!("/school/sessions/{id}/register"), &[])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"f-school_session\""));

    // Over the API: the advisor takes the last place, the accountant goes on the waiting
    // list (said in the status), the member cancels and the accountant gets the place.
    let client = reqwest::Client::new();
    let post = |token: String| {
        let client = client.clone();
        let url = app.url(&format!("/api/v1/school/sessions/{id}/registration"));
        async move { client.post(url).bearer_auth(token).send().await.unwrap() }
    };
    let r = post(token_of(&app, "advisor@test.be").await).await;
    assert_eq!(r.status(), 201);
    let r = post(token_of(&app, "accountant@test.be").await).await;
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["status"].as_str(), body["position"].as_i64()),
        (Some("waiting"), Some(1))
    );
    let token = token_of(&app, "member@test.be").await;
    let list: Value = client
        .get(app.url("/api/v1/school/sessions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["registered"], 2);
    let r = client
        .delete(app.url(&format!("/api/v1/school/sessions/{id}/registration")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["promoted"], 1);
    let session = app.store.school_session(id).await.unwrap();
    assert_eq!((session.registered, session.waiting), (2, 0));
}

#[tokio::test]
async fn a_full_session_without_a_waiting_list_refuses_with_the_reason() {
    let app = TestApp::spawn().await;
    let id = plan(&app, "1", false).await;
    let advisor = app.signed_in("advisor@test.be").await;
    let r = advisor
        .post(&format!("/school/sessions/{id}/register"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let token = token_of(&app, "member@test.be").await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/school/sessions/{id}/registration")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("school-session-full"));
}

#[tokio::test]
async fn the_staff_forms_and_the_list_of_registered_are_not_a_members() {
    let app = TestApp::spawn().await;
    let id = plan(&app, "5", true).await;
    let member = app.signed_in("member@test.be").await;
    for path in ["/school/workshops/new", "/school/sessions/new", "/labs/new"] {
        assert_eq!(member.get(path).await.status(), 403, "{path}");
    }
    let r = member
        .post("/school/workshops", &[("school_theme", "tools")])
        .await;
    assert_eq!(r.status(), 403);
    let r = member
        .post(&format!("/school/sessions/{id}/attendance"), &[])
        .await;
    assert_eq!(r.status(), 403);
    let page = member.get(&format!("/school/sessions/{id}")).await;
    assert_eq!(page.status(), 200);
    assert!(
        !page
            .text()
            .await
            .unwrap()
            .contains("id=\"school-registrations\"")
    );
    let admin = app.signed_in("admin@test.be").await;
    let page = admin.get(&format!("/school/sessions/{id}")).await;
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("id=\"school-registrations\"")
    );
    assert_eq!(member.get("/school/sessions/999999").await.status(), 404);
    // A member who has not accepted the usage contract is sent to it.
    let newcomer = app.signed_in("newmember@test.be").await;
    assert_eq!(location(&newcomer.get("/school").await), "/usage-contract");
}
