//! Employment contracts over HTTP: a member simulates and signs a contract against the
//! budget, bad input is refused with the field named, the accountant runs the pay and gets
//! the SEPA file and the statement; the API signs with the same rules.
// Amounts are written as euros and cents: `1_000_00` is 1.000,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use serde_json::{Value, json};

use crate::api::token_of;
use crate::app::{TestApp, location};
use crate::budget::{activity, member, paid_invoice};

fn today() -> String {
    ruche_web::context::today().to_string()
}

fn contract_form<'a>(
    day: &'a str,
    end: &'a str,
    worker: &'a str,
    amount: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("worker", worker),
        ("kind", "day"),
        ("worker_status", "employee"),
        ("starts_on", day),
        ("ends_on", end),
        ("days", "1"),
        ("hours", "7"),
        ("function", "Photographe"),
        ("joint_committee", "200"),
        ("pay_basis", "budget"),
        ("amount", amount),
        ("order_quote", ""),
        ("attestation", ""),
        ("attestation_valid_until", ""),
    ]
}

#[tokio::test]
async fn a_member_signs_a_contract_against_the_budget_and_the_accountant_pays_it() {
    let app = TestApp::spawn().await;
    let worker = member(&app, "lina@test.be", None).await;
    let id = activity(&app, "Studio", worker).await;
    // 1.000,00 € paid in, 65,00 € contribution: 935,00 € available.
    paid_invoice(&app, id, 1_000_00).await;
    let b = app.signed_in("lina@test.be").await;
    let page = format!("/activities/{id}/contracts");
    let html = b.get(&page).await.text().await.unwrap();
    assert!(html.contains("935,00"), "{html}");
    let day = today();
    let w = worker.to_string();

    // Ending before it starts: 422, the field named in French, nothing signed.
    let mut bad = contract_form(&day, "2020-01-01", &w, "300,00");
    bad.push(("intent", "sign"));
    let r = b.post(&page, &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Fin : la fin ne peut précéder le début"),
        "{html}"
    );
    assert_eq!(app.store.available_budget(id).await.unwrap(), 935_00);

    // Beyond the budget (no confirmed order): refused, with the rule.
    let mut big = contract_form(&day, &day, &w, "5.000,00");
    big.push(("intent", "sign"));
    let html = b.post(&page, &big).await.text().await.unwrap();
    assert!(
        html.contains("le budget disponible ne couvre pas le coût employeur"),
        "{html}"
    );

    // The preview shows the employer cost; nothing is signed yet.
    let mut preview = contract_form(&day, &day, &w, "300,00");
    preview.push(("intent", "preview"));
    let r = b.post(&page, &preview).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("data-testid=\"employer-cost\""), "{html}");
    assert_eq!(app.store.available_budget(id).await.unwrap(), 935_00);

    let mut sign = contract_form(&day, &day, &w, "300,00");
    sign.push(("intent", "sign"));
    let r = b.post(&page, &sign).await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(
        to.starts_with("/contracts/") && to.ends_with("?saved=1"),
        "{to}"
    );
    let contract_id: i64 = to["/contracts/".len()..to.len() - "?saved=1".len()]
        .parse()
        .unwrap();
    let contract = app.store.contract(contract_id).await.unwrap();
    // A budget of 300,00 €: the highest gross whose employer cost fits.
    assert!(contract.employer_cost_cents <= 300_00 && contract.employer_cost_cents > 290_00);
    assert!(contract.net_cents > 0 && contract.net_cents < contract.gross_cents);
    assert_eq!(
        app.store.available_budget(id).await.unwrap(),
        935_00 - contract.employer_cost_cents
    );
    let html = b.get(&to).await.text().await.unwrap();
    assert!(html.contains("Le contrat est signé"), "{html}");

    // Someone else's activity: no access.
    member(&app, "other@test.be", None).await;
    let other = app.signed_in("other@test.be").await;
    assert_eq!(other.get(&page).await.status(), 403);
    assert_eq!(
        other
            .get(&format!("/contracts/{contract_id}"))
            .await
            .status(),
        403
    );

    // The member is not the treasury.
    assert_eq!(b.get("/pay-runs").await.status(), 403);

    // The accountant runs today's pay: the contract is paid and in the SEPA file.
    let acc = app.signed_in("accountant@test.be").await;
    let r = acc
        .post(
            "/pay-runs",
            &[("pay_entity", "1"), ("pay_date", "2001-01-01")],
        )
        .await;
    assert_eq!(r.status(), 422, "a pay date in the past");
    let r = acc
        .post("/pay-runs", &[("pay_entity", "1"), ("pay_date", &day)])
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("/contracts/{contract_id}")),
        "{html}"
    );
    let paid = app.store.contract(contract_id).await.unwrap();
    assert_eq!(paid.status, "paid");
    let run = app.store.pay_run(paid.pay_run_id.unwrap()).await.unwrap();
    let batch = run.payout_batch_id.expect("the run's SEPA batch");
    let xml = acc
        .get(&format!("/payouts/batches/{batch}/xml"))
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("<Cd>SALA</Cd>"), "{xml}");
    assert!(
        xml.contains(&format!(
            "{}.{:02}",
            paid.net_cents / 100,
            paid.net_cents % 100
        )),
        "{xml}"
    );
    // A second run finds nothing due.
    let r = acc
        .post("/pay-runs", &[("pay_entity", "1"), ("pay_date", &day)])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("à payer à cette date"));

    // The worker's statement, a PDF.
    let r = b
        .get(&format!("/contracts/{contract_id}/statement.pdf"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));

    // The payroll pages answer.
    for path in ["/guarantee-fund", "/dimona", "/work-volume", "/pay-runs"] {
        assert_eq!(acc.get(path).await.status(), 200, "{path}");
    }
    let html = acc
        .get(&format!("/dimona?day={day}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("/contracts/{contract_id}")),
        "{html}"
    );
}

#[tokio::test]
async fn the_api_signs_with_the_same_rules() {
    let app = TestApp::spawn().await;
    let worker = member(&app, "api@test.be", None).await;
    let id = activity(&app, "Studio API", worker).await;
    paid_invoice(&app, id, 1_000_00).await;
    let token = token_of(&app, "api@test.be").await;
    let client = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/activities/{id}/contracts"));
    let day = today();
    let body = |hours: &str| {
        json!({
            "worker": worker.to_string(), "kind": "day", "starts_on": day, "ends_on": day,
            "days": "1", "hours": hours, "function": "Formatrice", "joint_committee": "200",
            "pay_basis": "gross", "amount": "200,00"
        })
    };
    let r = client
        .post(&url)
        .bearer_auth(&token)
        .json(&body("12"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "hours");
    assert_eq!(
        problem["errors"][0]["code"],
        "contract-hours-over-day-limit"
    );
    let r = client
        .post(&url)
        .bearer_auth(&token)
        .json(&body("7,5"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["gross_cents"], 200_00);
    assert_eq!(created["minutes"], 450);
    let list: Value = client
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    // The treasury's API is not the member's.
    let r = client
        .get(app.url("/api/v1/guarantee-fund"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
