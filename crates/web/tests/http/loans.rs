//! 0 % loans over HTTP: a member applies (multipart form), the advisor of the office gives
//! an opinion and the board approves; a loan above the maximum and a second open
//! application are refused with a clear message and nothing written; the member cannot
//! decide their own loan.

use reqwest::Response;
use ruche_store::PageRequest;
use ruche_store::loans::LoanFilter;

use crate::app::{Browser, TestApp, location};

const BOUNDARY: &str = "ruche-loan-boundary-7MA4YWxkTrZu0gW";

fn multipart(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn apply(app: &TestApp, b: &Browser, activity: i64, amount: &str) -> Response {
    let token = b.csrf().await;
    let activity = activity.to_string();
    let fields = [
        ("csrf_token", token.as_str()),
        ("loan_activity", activity.as_str()),
        ("loan_purpose", "equipment"),
        ("loan_amount", amount),
        ("loan_instalments", "24"),
        ("loan_justification", "Un four à céramique"),
        ("loan_criteria", "quantified-need"),
        ("loan_criteria", "advisor-met"),
    ];
    b.client
        .post(app.url("/loans"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&fields))
        .send()
        .await
        .unwrap()
}

async fn count(app: &TestApp) -> i64 {
    app.store
        .loans(&LoanFilter::default(), PageRequest::new(1, 10))
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn loans_a_member_applies_the_advisor_gives_an_opinion_and_the_board_approves() {
    let app = TestApp::spawn().await;
    let person = app
        .store
        .account_by_email("member@test.be")
        .await
        .unwrap()
        .unwrap()
        .person_id;
    let activity = crate::budget::activity(&app, "Céramique", person).await;
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/loans/new").await.status(), 200);

    // Above the configured maximum: refused, named, nothing written.
    let r = apply(&app, &member, activity, "1.000.000,00").await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("le montant dépasse le maximum d&#x27;un prêt") || html.contains("maximum"),
        "{html}"
    );
    assert_eq!(count(&app).await, 0);

    let r = apply(&app, &member, activity, "5.000,00").await;
    assert_eq!(r.status(), 303);
    let url = location(&r);
    assert!(url.starts_with("/loans/"), "{url}");
    let id: i64 = url
        .trim_start_matches("/loans/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = member.get(&format!("/loans/{id}")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("+++080/0000/"));

    // A second open application is beyond the rules.
    let r = apply(&app, &member, activity, "1.000,00").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("demande en cours"));
    assert_eq!(count(&app).await, 1);

    // The member does not decide; the advisor gives the opinion; the board decides.
    let r = member
        .post(
            &format!("/loans/{id}/decision"),
            &[("loan_decision", "approve")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let advisor = app.signed_in("advisor@test.be").await;
    let r = advisor
        .post(
            &format!("/loans/{id}/opinion"),
            &[
                ("loan_opinion_kind", "favourable"),
                ("loan_opinion", "Dossier complet"),
                ("loan_criteria_ok", "quantified-need"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let board = app.signed_in("board@test.be").await;
    let r = board
        .post(
            &format!("/loans/{id}/decision"),
            &[("loan_decision", "refuse"), ("loan_reason", "")],
        )
        .await;
    assert_eq!(r.status(), 422, "a refusal needs its reason");
    let r = board
        .post(
            &format!("/loans/{id}/decision"),
            &[("loan_decision", "approve"), ("loan_conditions", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.loan(id).await.unwrap().status, "approved");
    // Staff see the queue and the portfolio; a member does not see the portfolio.
    assert_eq!(board.get("/loans?status=approved").await.status(), 200);
    assert_eq!(board.get("/loans/portfolio").await.status(), 200);
    assert_eq!(member.get("/loans/portfolio").await.status(), 403);
}
