//! Recommendation cycles over HTTP: the participation staff open a cycle; a member writes a
//! recommendation and is shown its near-duplicate before saving (and may save anyway or
//! support instead); one support per person; a moderator proposes a consolidation, which is
//! refused until every author consented, then carried out by the last consent with the
//! provenance on the result and the supporters told by e-mail; the API does the same.

use jiff::ToSpan;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::{AuditContext, PageRequest};

use crate::api::token_of;
use crate::app::{Browser, PASSWORD, TestApp, location};

const SOLAR: &str = "Installer des panneaux solaires sur le toit";
const SOLAR_2: &str = "Installer des panneaux solaires sur le toit de l'atelier";

/// Adds an account with `role` (the usage contract in force accepted).
async fn add_account(app: &TestApp, email: &str, role: Role) {
    let ctx = AuditContext::system();
    let person = ruche_domain::person::PersonForm {
        first_name: "Reco".into(),
        last_name: email.into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let hash = ruche_web::auth::password::hash_now(PASSWORD).unwrap();
    let (_, account) = app
        .store
        .create_person_with_account(
            &ctx,
            &person,
            &NewAccount {
                email: email.into(),
                password_hash: hash,
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap();
    let versions = app.store.usage_contract_versions().await.unwrap();
    app.store
        .accept_usage_contract(&ctx, account.id, versions[0].id)
        .await
        .unwrap();
}

fn day(offset: i64) -> String {
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Brussels").unwrap())
        .date();
    today.checked_add(offset.days()).unwrap().to_string()
}

/// A cycle open for proposals (and supports) today, created through the page.
async fn open_cycle(staff: &Browser) -> i64 {
    let (a, b, c, d, e) = (day(-2), day(10), day(20), day(30), day(90));
    let r = staff
        .post(
            "/recommendations/cycles",
            &[
                ("reco_title", "Cycle de test"),
                ("reco_theme", "Nos lieux"),
                ("reco_proposal_from", &a),
                ("reco_support_from", &b),
                ("reco_consolidation_from", &c),
                ("reco_follow_up_from", &d),
                ("reco_closes_on", &e),
                ("reco_threshold", "35"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    location(&r)
        .trim_start_matches("/recommendations/cycles/")
        .parse()
        .unwrap()
}

fn reco_id(r: &reqwest::Response) -> i64 {
    let place = location(r);
    place
        .trim_start_matches("/recommendations/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a recommendation: {place}"))
}

async fn setup() -> TestApp {
    let app = TestApp::spawn().await;
    add_account(&app, "participation@test.be", Role::Participation).await;
    add_account(&app, "author2@test.be", Role::Member).await;
    add_account(&app, "fan@test.be", Role::Member).await;
    app
}

#[tokio::test]
async fn recommendations_a_member_is_shown_the_near_duplicate_before_saving() {
    let app = setup().await;
    let staff = app.signed_in("participation@test.be").await;
    // Bad dates are refused with the reason under the field.
    let bad = staff
        .post(
            "/recommendations/cycles",
            &[
                ("reco_title", "Cycle"),
                ("reco_theme", "Thème"),
                ("reco_proposal_from", "2026-05-01"),
                ("reco_support_from", "2026-04-01"),
                ("reco_consolidation_from", "2026-05-01"),
                ("reco_follow_up_from", "2026-06-01"),
                ("reco_closes_on", "2026-07-01"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("e-reco_closes_on"));
    let cycle = open_cycle(&staff).await;
    // A member may not open a cycle nor moderate.
    let member = app.signed_in("member@test.be").await;
    assert_eq!(
        member.get("/recommendations/cycles/new").await.status(),
        403
    );
    assert_eq!(
        member
            .get(&format!("/recommendations/cycles/{cycle}/moderation"))
            .await
            .status(),
        403
    );
    let page = member
        .get(&format!("/recommendations/cycles/{cycle}"))
        .await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("id=\"reco-empty\""));

    // The first one has no near-duplicate: saved at once.
    let write = format!("/recommendations/cycles/{cycle}/write");
    let r = member
        .post(&write, &[("reco_title", SOLAR), ("reco_text", SOLAR)])
        .await;
    assert_eq!(r.status(), 303);
    let first = reco_id(&r);
    // The second is shown its near-duplicate, with its score; nothing is saved yet.
    let other = app.signed_in("author2@test.be").await;
    let r = other
        .post(&write, &[("reco_title", SOLAR_2), ("reco_text", SOLAR_2)])
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"reco-similar\""));
    assert!(html.contains(&format!("/recommendations/{first}")));
    assert!(html.contains("id=\"reco-save-anyway\""));
    let page = app
        .store
        .cycle_recommendations(cycle, None, Default::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    // Saved anyway.
    let r = other
        .post(
            &write,
            &[
                ("reco_title", SOLAR_2),
                ("reco_text", SOLAR_2),
                ("reco_confirm", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Empty text: refused with the field named.
    let r = other
        .post(&write, &[("reco_title", "Titre"), ("reco_text", " ")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("e-reco_text"));

    // One support per person.
    let fan = app.signed_in("fan@test.be").await;
    let support = format!("/recommendations/{first}/support");
    assert_eq!(fan.post(&support, &[]).await.status(), 303);
    let again = fan.post(&support, &[]).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("f-reco_support"));
    let html = fan
        .get(&format!("/recommendations/{first}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"reco-supports\">1<"));
    assert!(html.contains("id=\"reco-unsupport\""));
}

#[tokio::test]
async fn recommendations_a_consolidation_waits_for_every_author_and_keeps_the_provenance() {
    let app = setup().await;
    let staff = app.signed_in("participation@test.be").await;
    let cycle = open_cycle(&staff).await;
    let write = format!("/recommendations/cycles/{cycle}/write");
    let member = app.signed_in("member@test.be").await;
    let a = reco_id(
        &member
            .post(&write, &[("reco_title", SOLAR), ("reco_text", SOLAR)])
            .await,
    );
    let other = app.signed_in("author2@test.be").await;
    let b = reco_id(
        &other
            .post(
                &write,
                &[
                    ("reco_title", SOLAR_2),
                    ("reco_text", SOLAR_2),
                    ("reco_confirm", "1"),
                ],
            )
            .await,
    );
    let fan = app.signed_in("fan@test.be").await;
    assert_eq!(
        fan.post(&format!("/recommendations/{a}/support"), &[])
            .await
            .status(),
        303
    );
    // The moderator sees the pair as a cluster and proposes to merge it.
    let moderation = staff
        .get(&format!("/recommendations/cycles/{cycle}/moderation"))
        .await
        .text()
        .await
        .unwrap();
    assert!(moderation.contains("reco-cluster-1"));
    let (sa, sb) = (a.to_string(), b.to_string());
    let r = staff
        .post(
            &format!("/recommendations/cycles/{cycle}/consolidations"),
            &[
                ("reco_source", &sa),
                ("reco_source", &sb),
                ("reco_into", ""),
                ("reco_title", "Des panneaux solaires sur nos toits"),
                ("reco_text", "Sur le siège et sur l'atelier."),
                ("reco_language", "fr"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let k = location(&r);
    // Carrying it out before the consents: refused with the reason.
    let r = staff.post(&format!("{k}/carry-out"), &[]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("f-reco_consents"));
    assert!(html.contains("Chaque auteur doit donner son accord"));
    // A supporter is not an author.
    let r = fan
        .post(&format!("{k}/answer"), &[("reco_answer", "consent")])
        .await;
    assert_eq!(r.status(), 422);
    // Each author consents on the consent page; the last consent carries it out.
    let mine = member.get("/recommendations/consents").await;
    assert!(mine.text().await.unwrap().contains(&k));
    for author in [&member, &other] {
        let r = author
            .post(&format!("{k}/answer"), &[("reco_answer", "consent")])
            .await;
        assert_eq!(r.status(), 303);
    }
    let page = staff.get(&k).await.text().await.unwrap();
    assert!(page.contains("id=\"reco-result\""));
    let id: i64 = k
        .trim_start_matches("/recommendations/consolidations/")
        .parse()
        .unwrap();
    let result = app
        .store
        .consolidation(id)
        .await
        .unwrap()
        .result_id
        .unwrap();
    let html = fan
        .get(&format!("/recommendations/{result}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"reco-provenance\""));
    assert!(html.contains(&format!("/recommendations/{a}")));
    assert!(html.contains(&format!("/recommendations/{b}")));
    assert!(html.contains("id=\"reco-supports\">0<"));
    let original = fan
        .get(&format!("/recommendations/{a}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(original.contains("id=\"reco-consolidated-into\""));
    // The supporter was told by e-mail, with the link.
    let mails = app
        .store
        .mails(Some("fan@test.be"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    assert!(mails.items[0].body_text.contains(&k));

    // The board follows it up; a decline needs its reason.
    let board = app.signed_in("board@test.be").await;
    let follow = format!("/recommendations/{result}/follow-up");
    assert_eq!(
        board
            .post(&follow, &[("reco_status", "submitted")])
            .await
            .status(),
        303
    );
    let r = board
        .post(&follow, &[("reco_status", "declined"), ("reco_reason", "")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("e-reco_reason"));
    let r = board
        .post(
            &follow,
            &[
                ("reco_status", "declined"),
                ("reco_reason", "Toit trop fragile"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = fan
        .get(&format!("/recommendations/{result}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Toit trop fragile"));
}

#[tokio::test]
async fn recommendations_the_api_returns_the_near_duplicates_and_counts_one_support() {
    let app = setup().await;
    let staff = app.signed_in("participation@test.be").await;
    let cycle = open_cycle(&staff).await;
    let token = token_of(&app, "member@test.be").await;
    let client = reqwest::Client::new();
    let api = |path: String| app.url(&format!("/api/v1{path}"));
    let r = client
        .post(api(format!("/recommendations/cycles/{cycle}/recommendations")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "reco_title": "Repair café every month", "reco_text": "Repair café every month", "reco_language": "en" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = r.json().await.unwrap();
    let first = body["recommendation"]["id"].as_i64().unwrap();
    assert!(body["near_duplicates"].as_array().unwrap().is_empty());
    let r = client
        .post(api(format!("/recommendations/cycles/{cycle}/recommendations")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "reco_title": "Monthly repair café", "reco_text": "Monthly repair café", "reco_language": "en" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["near_duplicates"][0]["id"].as_i64(), Some(first));
    assert_eq!(body["near_duplicates"][0]["percent"].as_i64(), Some(100));
    let r = client
        .get(api(format!(
            "/recommendations/cycles/{cycle}/similar?text=a%20monthly%20repair%20cafe&language=en"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
    let support = api(format!("/recommendations/{first}/support"));
    let r = client
        .post(&support)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = client
        .post(&support)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let r = client
        .get(api(format!(
            "/recommendations/cycles/{cycle}/recommendations"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["items"][0]["id"].as_i64(), Some(first));
    assert_eq!(body["items"][0]["supports"].as_i64(), Some(1));
}
