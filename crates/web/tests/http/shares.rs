//! The share register and the statutes over HTTP: the pages render with their empty states
//! for the board and are closed to members; bad input shows the translated message and
//! changes nothing; a subscription paid through the pages is in the register and the
//! member's extract; a member sees only their own extract; the API applies the same rules.

use jiff::civil::date;
use ruche_domain::governance::shares::{NewPayment, NewSubscription};
use ruche_store::shares::{NewShareClass, OperationFilter};
use ruche_store::{AuditContext, PageRequest};
use serde_json::{Value, json};

use crate::api::token_of;
use crate::app::TestApp;

async fn person_of(app: &TestApp, email: &str) -> i64 {
    app.store
        .account_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .person_id
}

async fn class_a(app: &TestApp) -> i64 {
    app.store
        .create_share_class(
            &AuditContext::system(),
            &NewShareClass {
                code: "A".into(),
                name: "Parts coopérateurs".into(),
                nominal_cents: 3000,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await
        .unwrap()
        .id
}

async fn entity(app: &TestApp) -> i64 {
    app.store
        .legal_entities(PageRequest::default())
        .await
        .unwrap()
        .items[0]
        .id
}

/// `shares` paid in full by `person` on 2020-02-01.
async fn holding(app: &TestApp, person: i64, class: i64, shares: i64) {
    let ctx = AuditContext::system();
    let sub = app
        .store
        .request_subscription(
            &ctx,
            &NewSubscription {
                person_id: person,
                class_id: class,
                shares,
                requested_on: date(2020, 2, 1),
            },
        )
        .await
        .unwrap();
    app.store
        .record_share_payment(
            &ctx,
            sub.id,
            &NewPayment {
                paid_on: date(2020, 2, 1),
                amount_cents: shares * 3000,
                entity_id: entity(app).await,
            },
        )
        .await
        .unwrap();
}

async fn operations(app: &TestApp) -> i64 {
    app.store
        .share_operations(&OperationFilter::default(), PageRequest::default())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn shares_pages_render_for_the_board_and_are_closed_to_members() {
    let app = TestApp::spawn().await;
    let board = app.signed_in("board@test.be").await;
    for (path, text) in [
        (
            "/shares/register",
            "Personne ne détient de parts à cette date.",
        ),
        ("/shares/operations", "Aucune opération."),
        ("/shares/classes", "Aucune classe de parts."),
        ("/shares/subscriptions", "Aucune demande."),
        ("/shares/exits", "Aucune démission ni exclusion."),
        ("/statutes", "Aucune version des statuts."),
        ("/statutes/new", "Nouvelle version des statuts"),
        ("/statutes/compare", "Choisissez deux versions."),
    ] {
        let r = board.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains(text), "{path}: {html}");
    }
    let accountant = app.signed_in("accountant@test.be").await;
    assert_eq!(accountant.get("/shares/register").await.status(), 200);
    let member = app.signed_in("member@test.be").await;
    for path in ["/shares/register", "/shares/members/1", "/statutes"] {
        assert_eq!(member.get(path).await.status(), 403, "{path}");
    }
}

#[tokio::test]
async fn shares_bad_input_shows_the_translated_message_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("board@test.be").await;
    let r = b
        .post(
            "/shares/classes",
            &[
                ("shr_code", "A B"),
                ("shr_name", "Parts"),
                ("shr_nominal", "0"),
                ("shr_votes_per_share", "1"),
                ("shr_eligible", "anyone"),
                ("shr_minimum_holding", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("La valeur nominale doit être positive."),
        "{html}"
    );
    assert!(app.store.share_classes().await.unwrap().is_empty());

    let class = class_a(&app).await;
    let member = person_of(&app, "member@test.be").await;
    holding(&app, member, class, 2).await;
    let before = operations(&app).await;
    // TV-13: a notice in August is outside the six months.
    let entity = entity(&app).await.to_string();
    let (m, c) = (member.to_string(), class.to_string());
    let exit = [
        ("shr_kind", "resignation"),
        ("shr_person", m.as_str()),
        ("shr_class", c.as_str()),
        ("shr_notice_on", "2025-08-10"),
        ("shr_shares", ""),
        ("shr_nav_per_share", "30,00"),
        ("shr_accounts_on", "2024-12-31"),
        ("shr_refund", ""),
        ("shr_net_assets_ok", "on"),
        ("shr_liquidity_ok", "on"),
        ("shr_tests_evidence", "Comptes 2024 approuvés"),
        ("shr_entity", entity.as_str()),
        ("shr_reason_code", ""),
        ("shr_reason_text", ""),
    ];
    let r = b.post("/shares/exits", &exit).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("La démission n&#39;est possible que pendant")
            || html.contains("La démission n'est possible que pendant"),
        "{html}"
    );
    assert_eq!(operations(&app).await, before);
    // ES-5: a refund above the nominal is refused.
    let mut above = exit;
    above[3] = ("shr_notice_on", "2025-03-15");
    above[7] = ("shr_refund", "75,00");
    let html = b.post("/shares/exits", &above).await.text().await.unwrap();
    assert!(
        html.contains("Le remboursement dépasse le plafond"),
        "{html}"
    );
    assert_eq!(operations(&app).await, before);
    // A statutes version without articles.
    let r = b
        .post(
            "/statutes",
            &[
                ("stat_label", "Statuts 2023"),
                ("stat_effective_from", "2023-06-20"),
                ("stat_adopted_on", "2023-06-20"),
                ("stat_vote_weighting", "per_person"),
                ("stat_proxies_per_holder", "1"),
                ("stat_resignation_months", "6"),
                ("art_number", ""),
                ("art_heading", ""),
                ("art_text_fr", ""),
                ("art_text_nl", ""),
                ("art_text_en", ""),
                ("art_tags", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Une version a au moins un article.")
    );
    assert!(app.store.statute_versions().await.unwrap().is_empty());
}

#[tokio::test]
async fn shares_a_subscription_paid_through_the_pages_is_in_the_register() {
    let app = TestApp::spawn().await;
    let class = class_a(&app).await;
    let member = person_of(&app, "member@test.be").await;
    let b = app.signed_in("board@test.be").await;
    let (m, c) = (member.to_string(), class.to_string());
    let r = b
        .post(
            "/shares/subscriptions",
            &[
                ("shr_person", m.as_str()),
                ("shr_class", c.as_str()),
                ("shr_shares", "3"),
                ("shr_requested_on", "2024-02-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let sub = app
        .store
        .share_subscriptions(None, PageRequest::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let e = entity(&app).await.to_string();
    let r = b
        .post(
            &format!("/shares/subscriptions/{sub}/payments"),
            &[
                ("shr_paid_on", "2024-02-10"),
                ("shr_amount", "90,00"),
                ("shr_entity", e.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = b
        .get("/shares/register?on=2024-12-31")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("90,00"), "{html}");
    let html = b
        .get(&format!("/shares/members/{member}?on=2024-12-31"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Souscription"), "{html}");
    let r = b
        .get(&format!(
            "/shares/members/{member}/certificate.pdf?on=2024-12-31"
        ))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
}

#[tokio::test]
async fn shares_a_member_sees_only_their_own_extract() {
    let app = TestApp::spawn().await;
    let class = class_a(&app).await;
    let member = person_of(&app, "member@test.be").await;
    let other = person_of(&app, "advisor@test.be").await;
    holding(&app, member, class, 2).await;
    holding(&app, other, class, 7).await;
    let b = app.signed_in("member@test.be").await;
    let html = b.get("/my/shares").await.text().await.unwrap();
    assert!(html.contains("60,00"), "{html}");
    assert!(!html.contains("210,00"), "{html}");
    assert_eq!(
        b.get(&format!("/shares/members/{other}")).await.status(),
        403
    );
    assert_eq!(
        b.get(&format!("/shares/members/{other}/certificate.pdf"))
            .await
            .status(),
        403
    );
    // The API: the member's own extract, and nothing else.
    let token = token_of(&app, "member@test.be").await;
    let client = reqwest::Client::new();
    let mine: Value = client
        .get(app.url("/api/v1/my/shares"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["person_id"], json!(member));
    assert_eq!(mine["holdings"][0]["shares"], json!(2));
    let r = client
        .get(app.url(&format!("/api/v1/share-extracts/{other}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The board's token: a refused subscription without a reason is 422.
    let token = token_of(&app, "board@test.be").await;
    let r = client
        .post(app.url("/api/v1/share-subscriptions"))
        .bearer_auth(&token)
        .json(&json!({ "shr_person": member.to_string(), "shr_class": class.to_string(), "shr_shares": "0", "shr_requested_on": "2025-01-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let register: Value = client
        .get(app.url("/api/v1/share-register?on=2025-01-01"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(register["totals"]["shares"], json!(9));
}
