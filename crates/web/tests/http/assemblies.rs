//! General assemblies over HTTP: the board convenes and opens the assembly and the vote;
//! members vote on the vote page, one through a proxy; a second vote and a vote after
//! closing are refused with the translated message and change nothing; the board's page
//! shows the raw and effective tallies; members do not see the staff pages.
// Amounts are written as euros and cents: `250_00` is 250,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::date;
use ruche_domain::governance::convocation::AssemblyForm;
use ruche_store::AuditContext;
use ruche_store::shares::{NewShareClass, NewShareOperation};

use crate::app::TestApp;
use crate::budget::member;

async fn holder(app: &TestApp, email: &str, class: i64, shares: i64) -> i64 {
    let person = member(app, email, None).await;
    app.store
        .record_opening_holding(
            &AuditContext::system(),
            &NewShareOperation {
                kind: "opening",
                person_id: person,
                class_id: class,
                shares,
                paid_cents: shares * 100_00,
                effective_on: date(2020, 1, 1),
                counterparty_person_id: None,
                ledger_transaction_id: None,
                note: String::new(),
            },
        )
        .await
        .unwrap();
    person
}

#[tokio::test]
async fn members_vote_one_through_a_proxy_and_refusals_are_translated() {
    let app = TestApp::spawn().await;
    let ctx = AuditContext::system();
    let class = app
        .store
        .create_share_class(
            &ctx,
            &NewShareClass {
                code: "A".into(),
                name: "Parts A".into(),
                nominal_cents: 100_00,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await
        .unwrap()
        .id;
    let ann = holder(&app, "ann@test.be", class, 10).await;
    let bob = holder(&app, "bob@test.be", class, 10).await;
    let held_on = ruche_web::context::today()
        .saturating_add(jiff::Span::new().days(30))
        .to_string();
    let assembly = app
        .store
        .create_assembly(
            &ctx,
            &AssemblyForm {
                ga_kind: "ordinary".into(),
                ga_title: "AG test".into(),
                ga_held_on: held_on,
                ga_starts_at: "18:30".into(),
                ga_place: "Salle".into(),
                ga_online: Some("on".into()),
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    let id = assembly.id;
    let board = app.signed_in("board@test.be").await;
    let page = format!("/assemblies/{id}");
    // Convening an empty agenda: refused, translated, nothing changed.
    let r = board.post(&format!("{page}/convene"), &[]).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("ordre du jour est vide"));
    assert_eq!(app.store.assembly(id).await.unwrap().status, "draft");
    let r = board
        .post(
            &format!("{page}/resolutions"),
            &[
                ("ga_res_title", "Adhésion au réseau"),
                ("ga_res_kind", "ordinary"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        board.post(&format!("{page}/convene"), &[]).await.status(),
        303
    );
    assert_eq!(app.store.members_convened(id).await.unwrap(), 2);
    assert_eq!(board.post(&format!("{page}/open"), &[]).await.status(), 303);
    let rid = app.store.resolutions(id).await.unwrap()[0].id;
    let r = board
        .post(&format!("{page}/resolutions/{rid}/open"), &[])
        .await;
    assert_eq!(r.status(), 303);

    // Bob gives his proxy to Ann on his vote page.
    let b = app.signed_in("bob@test.be").await;
    let vote = format!("/assemblies/{id}/vote");
    assert_eq!(b.get(&vote).await.status(), 200);
    let bob_id = bob.to_string();
    let r = b
        .post(
            &format!("/assemblies/{id}/my-proxy"),
            &[("ga_holder", &ann.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = b.get(&vote).await.text().await.unwrap();
    assert!(html.contains("Vous avez donné procuration"), "{html}");
    // Bob can no longer vote himself.
    let r = b
        .post(
            &vote,
            &[
                ("resolution", &rid.to_string()),
                ("principal", &bob_id),
                ("choice", "no"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("seul votre mandataire vote pour vous")
    );

    // Ann votes for herself and for Bob.
    let a = app.signed_in("ann@test.be").await;
    let html = a.get(&vote).await.text().await.unwrap();
    assert!(
        html.contains("Mes voix") && html.contains("procuration"),
        "{html}"
    );
    let rid_s = rid.to_string();
    let ann_id = ann.to_string();
    let r = a
        .post(
            &vote,
            &[
                ("resolution", &rid_s),
                ("principal", &ann_id),
                ("choice", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = a
        .post(
            &vote,
            &[
                ("resolution", &rid_s),
                ("principal", &bob_id),
                ("choice", "no"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // A second vote: refused, translated, nothing changed.
    let r = a
        .post(
            &vote,
            &[
                ("resolution", &rid_s),
                ("principal", &ann_id),
                ("choice", "no"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("un second vote n"));
    let ballots = app.store.ballots(rid).await.unwrap();
    assert_eq!(ballots.len(), 2);

    // The board's live tally, then closing.
    let html = board.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("Voix brutes") && html.contains("Voix effectives"),
        "{html}"
    );
    let r = board
        .post(&format!("{page}/resolutions/{rid}/close"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let kept = app.store.resolution(rid).await.unwrap();
    assert_eq!(kept.status, "rejected", "10 yes v 10 no is no majority");
    assert!(kept.tally.is_some());
    // A vote after closing: refused.
    let r = a
        .post(
            &vote,
            &[
                ("resolution", &rid_s),
                ("principal", &ann_id),
                ("choice", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("le vote sur cette résolution")
    );
    assert_eq!(app.store.ballots(rid).await.unwrap().len(), 2);

    // Closing the assembly keeps the minutes once.
    assert_eq!(
        board.post(&format!("{page}/close"), &[]).await.status(),
        303
    );
    let pdf = board.get(&format!("{page}/minutes.pdf")).await;
    assert_eq!(pdf.status(), 200);
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let again = board
        .get(&format!("{page}/minutes.pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes, again);
    assert!(
        app.store
            .assembly(id)
            .await
            .unwrap()
            .minutes_sha256
            .is_some()
    );

    // Members see their assemblies, not the staff pages.
    let html = a.get("/my/assemblies").await.text().await.unwrap();
    assert!(html.contains("AG test"), "{html}");
    assert_eq!(a.get("/assemblies").await.status(), 403);
}
