//! The ethics committee (C13) over HTTP: a member refers a subject; a member cannot publish;
//! an unpublished opinion is not visible to a member nor to the public, a published one is
//! public; the referrer is mailed once; the API lists and refers.

use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::AuditContext;
use ruche_store::PageRequest;
use ruche_store::accounts::NewAccount;

use crate::api::token_of;
use crate::app::{PASSWORD, TestApp, location};

/// Adds an account with `role` (the usage contract in force accepted).
async fn add_account(app: &TestApp, email: &str, role: Role) {
    let ctx = AuditContext::system();
    let person = ruche_domain::person::PersonForm {
        first_name: "Extra".into(),
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

fn id_in(place: &str, prefix: &str) -> i64 {
    place
        .trim_start_matches(prefix)
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not under {prefix}: {place}"))
}

#[tokio::test]
async fn a_member_refers_a_subject_and_reads_the_opinion_once_published() {
    let app = TestApp::spawn().await;
    add_account(&app, "participation@test.be", Role::Participation).await;
    let member = app.signed_in("member@test.be").await;
    let home = member.get("/ethics").await;
    assert_eq!(home.status(), 200);
    assert!(
        home.text()
            .await
            .unwrap()
            .contains("id=\"ethics-mine-empty\"")
    );

    // Bad input: no question. Refused with the reason, nothing written.
    let r = member
        .post(
            "/ethics/referrals",
            &[
                ("ethics_subject", "Cryptomonnaies"),
                ("ethics_question", " "),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"e-ethics_question\""));
    let r = member
        .post(
            "/ethics/referrals",
            &[
                ("ethics_subject", "Cryptomonnaies"),
                (
                    "ethics_question",
                    "Pouvons-nous accepter des paiements en bitcoin ?",
                ),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/ethics?referred=1");
    let home = member.get("/ethics?referred=1").await.text().await.unwrap();
    assert!(home.contains("Cryptomonnaies") && home.contains("id=\"ethics-notice\""));
    let referral = app
        .store
        .ethics_referrals(&Default::default(), PageRequest::default())
        .await
        .unwrap()
        .items
        .remove(0);
    assert_eq!(referral.status, "received");
    assert_eq!(
        member
            .get(&format!("/ethics/referrals/{}", referral.id))
            .await
            .status(),
        200
    );

    // The secretariat writes a draft, records the meeting that adopts it.
    let staff = app.signed_in("participation@test.be").await;
    let queue = staff.get("/ethics/referrals").await.text().await.unwrap();
    assert!(queue.contains("Cryptomonnaies"));
    let seat_person = app
        .store
        .account_by_email("participation@test.be")
        .await
        .unwrap()
        .unwrap()
        .person_id;
    let r = staff
        .post(
            "/ethics/members",
            &[
                ("ethics_person", &seat_person.to_string()),
                ("ethics_role", "chair"),
                ("ethics_from", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // A meeting without a date: refused.
    let r = staff
        .post(
            "/ethics/meetings",
            &[("ethics_place", "Siège"), ("ethics_agenda", "1. Saisines")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let today = jiff::Zoned::now().date().to_string();
    let r = staff
        .post(
            "/ethics/meetings",
            &[
                ("ethics_held_on", &today),
                ("ethics_place", "Siège"),
                ("ethics_agenda", "1. Saisines"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let meeting = id_in(&location(&r), "/ethics/meetings/");
    let r = staff
        .post(
            "/ethics/opinions",
            &[
                ("ethics_referral", &referral.id.to_string()),
                ("ethics_kind", "opinion"),
                ("ethics_subject", "Cryptomonnaies"),
                ("ethics_body", "Le comité déconseille les cryptomonnaies."),
                ("ethics_meeting", &meeting.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let opinion = id_in(&location(&r), "/ethics/opinions/");
    let path = format!("/ethics/opinions/{opinion}");

    // The draft: not visible to the member nor to the public; the member cannot publish.
    assert_eq!(member.get(&path).await.status(), 404);
    assert_eq!(app.browser("fr-BE").get(&path).await.status(), 404);
    let public = app
        .browser("fr-BE")
        .get("/ethics/opinions")
        .await
        .text()
        .await
        .unwrap();
    assert!(!public.contains("déconseille") && public.contains("id=\"ethics-opinions-empty\""));
    let r = member.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(r.status(), 404);
    assert!(
        member
            .get("/ethics/referrals")
            .await
            .status()
            .is_client_error()
    );
    let r = member
        .post(
            &path,
            &[
                ("ethics_kind", "opinion"),
                ("ethics_subject", "x"),
                ("ethics_body", "y"),
            ],
        )
        .await;
    assert_eq!(r.status(), 404);

    // Published by the staff: public, the referral has its opinion, the member mailed once.
    let r = staff.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(r.status(), 303);
    let again = staff.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(again.status(), 422);
    let page = app.browser("fr-BE").get(&path).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("déconseille"));
    let r = member.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(r.status(), 403, "a member never publishes");
    assert_eq!(
        app.store.ethics_referral(referral.id).await.unwrap().status,
        "opinion-given"
    );
    let mails = app
        .store
        .mails(Some("member@test.be"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    assert!(mails.items[0].body_text.contains(&path));
}

#[tokio::test]
async fn the_api_refers_a_subject_and_hides_drafts_from_members() {
    let app = TestApp::spawn().await;
    add_account(&app, "participation@test.be", Role::Participation).await;
    let token = token_of(&app, "member@test.be").await;
    let client = reqwest::Client::new();
    let r = client
        .post(app.url("/api/v1/ethics/referrals"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "ethics_subject": "Publicité", "ethics_question": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = client
        .post(app.url("/api/v1/ethics/referrals"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "ethics_subject": "Publicité", "ethics_question": "Peut-on faire de la publicité pour l'alcool ?" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "received");
    let mine: serde_json::Value = client
        .get(app.url("/api/v1/ethics/referrals"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 1);
    let staff = app
        .store
        .account_by_email("participation@test.be")
        .await
        .unwrap()
        .unwrap();
    let draft = app
        .store
        .write_ethics_opinion(
            &AuditContext::account(staff.id, None),
            &ruche_domain::ethics::OpinionForm {
                ethics_kind: "recommendation".into(),
                ethics_subject: "Données".into(),
                ethics_body: "Projet".into(),
                ..Default::default()
            }
            .parse()
            .unwrap(),
            1,
        )
        .await
        .unwrap();
    let r = client
        .get(app.url(&format!("/api/v1/ethics/opinions/{}", draft.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = client
        .get(app.url("/api/v1/ethics/opinions?status=draft"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let staff_token = token_of(&app, "participation@test.be").await;
    let drafts: serde_json::Value = client
        .get(app.url("/api/v1/ethics/opinions?status=draft"))
        .bearer_auth(&staff_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(drafts["total"], 1);
}
