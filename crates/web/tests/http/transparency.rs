//! Contribution transparency over HTTP: the mapping refused naming the account or the
//! category, spending recorded by an accountant, the board publishing a year, the public
//! page of published years only, the member's own split, and who may do what.

use crate::app::{TestApp, location};

fn last_year() -> i16 {
    ruche_web::context::today().year() - 1
}

const MAPPING: &[(&str, &str)] = &[
    ("cat_code", "tools"),
    ("cat_fr", "Outils"),
    ("cat_nl", "Tools"),
    ("cat_en", "Tools"),
    ("cat_code", "advisors"),
    ("cat_fr", "Conseillers"),
    ("cat_nl", "Adviseurs"),
    ("cat_en", "Advisors"),
];

#[tokio::test]
async fn a_mapping_with_an_account_in_two_categories_or_an_empty_category_is_refused_naming_it() {
    let app = TestApp::spawn().await;
    let accountant = app.signed_in("accountant@test.be").await;
    let url = format!("/transparency/mapping/{}", last_year());
    let mut twice = MAPPING.to_vec();
    twice.extend([
        ("acc_account", "software"),
        ("acc_category", "tools"),
        ("acc_account", "software"),
        ("acc_category", "advisors"),
    ]);
    let r = accountant.post(&url, &twice).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Le compte software est rattaché à deux catégories"),
        "{html}"
    );
    let mut empty = MAPPING.to_vec();
    empty.extend([("acc_account", "software"), ("acc_category", "tools")]);
    let r = accountant.post(&url, &empty).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    // The apostrophe is escaped in HTML: match around it.
    assert!(html.contains("La catégorie advisors n"), "{html}");
    assert!(html.contains("a aucun compte."), "{html}");
    // The board reads the mapping but does not change it.
    let board = app.signed_in("board@test.be").await;
    assert_eq!(board.get(&url).await.status(), 200);
    assert_eq!(board.post(&url, &empty).await.status(), 403);
}

#[tokio::test]
async fn spending_is_recorded_published_by_the_board_and_shown_in_public_once_published() {
    let app = TestApp::spawn().await;
    let year = last_year();
    let accountant = app.signed_in("accountant@test.be").await;
    let mut mapping = MAPPING.to_vec();
    mapping.extend([
        ("acc_account", "software"),
        ("acc_category", "tools"),
        ("acc_account", "advisor-salaries"),
        ("acc_category", "advisors"),
    ]);
    let r = accountant
        .post(&format!("/transparency/mapping/{year}"), &mapping)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());

    // Bad input names each field.
    let r = accountant
        .post(
            "/transparency/spending",
            &[
                ("tsp_spent_on", "hier"),
                ("tsp_entity", "1"),
                ("tsp_account", "Software!"),
                ("tsp_paid_from", "bank"),
                ("tsp_amount", "-3"),
                ("tsp_description", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"e-tsp_amount\""), "{html}");
    assert!(html.contains("id=\"e-tsp_spent_on\""), "{html}");

    let on = format!("{year}-06-30");
    let r = accountant
        .post(
            "/transparency/spending",
            &[
                ("tsp_spent_on", on.as_str()),
                ("tsp_entity", "1"),
                ("tsp_account", "advisor-salaries"),
                ("tsp_paid_from", "bank"),
                ("tsp_amount", "4.321,09"),
                ("tsp_description", "Advisors, June"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let list = accountant
        .get(&format!("/transparency/spending?year={year}"))
        .await;
    assert!(list.text().await.unwrap().contains("4.321,09"));

    // A member sees none of it; the draft is not public.
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/transparency").await.status(), 403);
    assert_eq!(
        member.get(&format!("/transparency/{year}")).await.status(),
        403
    );
    let anonymous = app.browser("fr");
    assert_eq!(
        anonymous
            .get(&format!("/public/transparency/{year}"))
            .await
            .status(),
        404
    );
    let r = accountant.get(&format!("/transparency/{year}")).await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("data-testid=\"draft-banner\"")
    );

    // Only the board publishes.
    let publish = format!("/transparency/{year}/publish");
    assert_eq!(accountant.post(&publish, &[]).await.status(), 403);
    let board = app.signed_in("board@test.be").await;
    let r = board.post(&publish, &[]).await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with(&format!("/transparency/{year}")));
    assert_eq!(board.post(&publish, &[]).await.status(), 409);

    let r = anonymous.get(&format!("/public/transparency/{year}")).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("4.321,09"), "{html}");
    assert!(html.contains("data-testid=\"published\""), "{html}");
    let r = anonymous
        .get(&format!("/api/v1/public/transparency/{year}"))
        .await;
    assert_eq!(r.status(), 200);
    let this_year = ruche_web::context::today().year();
    assert_eq!(
        anonymous
            .get(&format!("/api/v1/public/transparency/{this_year}"))
            .await
            .status(),
        404
    );
    // The published year's mapping is frozen.
    let r = accountant
        .post(&format!("/transparency/mapping/{year}"), &mapping)
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn a_member_sees_their_activitys_contribution_and_another_role_only_by_policy() {
    let app = TestApp::spawn().await;
    let (member, activity, _) = crate::invoices::setup(&app).await;
    let url = format!("/activities/{activity}/contribution");
    let r = member.get(&url).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Où va ma contribution"), "{html}");
    assert!(html.contains("data-testid=\"no-split\""), "{html}");
    let advisor = app.signed_in("advisor@test.be").await;
    assert_eq!(advisor.get(&url).await.status(), 200);
    let anonymous = app.browser("fr");
    assert_ne!(anonymous.get(&url).await.status(), 200);
}
