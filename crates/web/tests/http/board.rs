//! The board and the allocation of results over HTTP: the pages render with their empty
//! states for the board and are closed to members; a mandate, a meeting, an allowance and
//! payments recorded through the pages show in the check per director; bad input is
//! refused with a translated message and nothing written; the API applies the same rules.
// Amounts are written as euros and cents: `1_000_00` is 1.000,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::date;
use ruche_domain::governance::statutes::{
    Article, ArticleTag, NewStatuteVersion, StatuteRules, VoteWeighting,
};
use ruche_store::persons::PersonFilter;
use ruche_store::{AuditContext, PageRequest};
use serde_json::{Value, json};

use crate::api::token_of;
use crate::app::{TestApp, location};

fn this_year() -> i16 {
    ruche_web::context::today().year()
}

/// A closed general assembly of 1 January this year with one adopted resolution of each
/// kind the board uses (ids 1, 2, 3). The assemblies' own pages belong to another part of
/// governance; the board only reads these rows.
async fn assembly(app: &TestApp) {
    let held_on = date(this_year(), 1, 1);
    app.store
        .execute_admin(&format!(
            "INSERT INTO general_assemblies (kind, title, held_on, starts_at, place, online, \
             status, created_at, updated_at) VALUES ('ordinary', 'AG', '{held_on}', '18:00', \
             'Bruxelles', FALSE, 'closed', 0, 0)"
        ))
        .await
        .unwrap();
    for (position, kind) in [(1, "appointment"), (2, "allowance"), (3, "appropriation")] {
        app.store
            .execute_admin(&format!(
                "INSERT INTO resolutions (assembly_id, position, title, body, kind, quorum_rule, \
                 majority_rule, status) SELECT id, {position}, 'Résolution {kind}', '', \
                 '{kind}', 'none', 'simple', 'adopted' FROM general_assemblies"
            ))
            .await
            .unwrap();
    }
}

/// The statutes of the reference cooperative: no dividend.
async fn statutes(app: &TestApp) {
    app.store
        .create_statute_version(
            &AuditContext::system(),
            &NewStatuteVersion {
                label: "v1".into(),
                effective_from: date(2019, 5, 1),
                adopted_on: date(2019, 4, 20),
                adopted_by_resolution_id: None,
                rules: StatuteRules {
                    vote_weighting: VoteWeighting::PerPerson,
                    proxies_per_holder: 1,
                    proxy_must_be_member: true,
                    resignation_months: 6,
                    partial_resignation_allowed: false,
                    dividends_allowed: false,
                },
                summary: String::new(),
                articles: vec![Article {
                    number: "14".into(),
                    heading: "Administrateurs".into(),
                    text_fr: "Le mandat est gratuit.".into(),
                    text_nl: String::new(),
                    text_en: String::new(),
                    tags: vec![ArticleTag::UnpaidMandate],
                }],
            },
        )
        .await
        .unwrap();
}

async fn person_id(app: &TestApp, search: &str) -> i64 {
    app.store
        .persons(
            &PersonFilter {
                search: Some(search.into()),
                ..PersonFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap()
        .items[0]
        .id
}

#[tokio::test]
async fn the_board_pages_render_for_the_board_and_are_closed_to_members() {
    let app = TestApp::spawn().await;
    let board = app.signed_in("board@test.be").await;
    for (path, empty) in [
        ("/board", "Aucun administrateur en fonction"),
        (
            "/board/allowances",
            "Aucun administrateur en fonction et aucun paiement",
        ),
        (
            "/allocation",
            "Aucune affectation enregistrée pour cet exercice",
        ),
    ] {
        let r = board.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains(empty), "{path}: {html}");
    }
    let accountant = app.signed_in("accountant@test.be").await;
    let html = accountant.get("/board").await.text().await.unwrap();
    // The accountant reads but records nothing.
    assert!(!html.contains("Enregistrer un mandat"), "{html}");
    let member = app.signed_in("member@test.be").await;
    for path in ["/board", "/board/allowances", "/allocation"] {
        assert_eq!(member.get(path).await.status(), 403, "{path}");
    }
    let r = member
        .post("/board/meetings", &[("brd_held_on", "2024-01-01")])
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_mandate_a_meeting_and_payments_show_in_the_check_per_director() {
    let app = TestApp::spawn().await;
    assembly(&app).await;
    let year = this_year();
    let b = app.signed_in("board@test.be").await;
    let director = person_id(&app, "board").await.to_string();
    let start = date(year, 1, 2).to_string();

    // Bad input: 422, each field named in French, nothing written.
    let r = b
        .post(
            "/board/mandates",
            &[
                ("brd_person", ""),
                ("brd_role", "director"),
                ("brd_starts_on", "02/01/2024"),
                ("brd_appointed_by", "resolution"),
                ("brd_resolution", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Personne : ce champ est obligatoire"),
        "{html}"
    );
    assert!(html.contains("Début : indiquez une date"), "{html}");
    // An allowance resolution is no basis for a mandate.
    let r = b
        .post(
            "/board/mandates",
            &[
                ("brd_person", &director),
                ("brd_role", "chair"),
                ("brd_starts_on", &start),
                ("brd_appointed_by", "resolution"),
                ("brd_resolution", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("pas du bon type"));
    assert!(
        app.store
            .board_on(date(year, 1, 3))
            .await
            .unwrap()
            .is_empty()
    );

    let r = b
        .post(
            "/board/mandates",
            &[
                ("brd_person", &director),
                ("brd_role", "chair"),
                ("brd_starts_on", &start),
                ("brd_ends_on", ""),
                ("brd_appointed_by", "resolution"),
                ("brd_resolution", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = b.get("/board").await.text().await.unwrap();
    assert!(html.contains("Président·e"), "{html}");

    // A meeting and its attendance.
    let r = b
        .post(
            "/board/meetings",
            &[
                ("brd_held_on", &date(year, 1, 3).to_string()),
                ("brd_place", "Siège"),
                ("brd_agenda", "Budget"),
                ("brd_minutes", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let meeting = location(&r);
    let meeting = meeting.split('?').next().unwrap().to_string();
    let r = b.post(&meeting, &[("brd_present", &director)]).await;
    assert_eq!(r.status(), 303);
    let html = b.get(&meeting).await.text().await.unwrap();
    assert!(html.contains("checked"), "{html}");

    // €50 per meeting, decided by the GA; paid €150: €100 without basis.
    let r = b
        .post(
            "/board/allowances",
            &[
                ("brd_resolution", "2"),
                ("brd_allowance_kind", "attendance_fee"),
                ("brd_amount", "0"),
                ("brd_basis", "per_meeting"),
                ("brd_valid_from", &start),
                ("brd_valid_to", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Montant : le montant doit être supérieur à zéro")
    );
    let r = b
        .post(
            "/board/allowances",
            &[
                ("brd_resolution", "2"),
                ("brd_allowance_kind", "attendance_fee"),
                ("brd_amount", "50"),
                ("brd_basis", "per_meeting"),
                ("brd_valid_from", &date(year, 1, 1).to_string()),
                ("brd_valid_to", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // A management fee cannot be ordered.
    let paid_on = date(year, 1, 4).to_string();
    let r = b
        .post(
            "/board/payments",
            &[
                ("brd_person", &director),
                ("brd_paid_on", &paid_on),
                ("brd_amount", "1.000"),
                ("brd_label", "Management fee"),
                ("brd_payment_kind", "fixed_remuneration"),
                ("brd_entity", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("ne peut jamais être payée à un administrateur")
    );
    let r = b
        .post(
            "/board/payments",
            &[
                ("brd_person", &director),
                ("brd_paid_on", &paid_on),
                ("brd_amount", "150"),
                ("brd_label", "Jetons"),
                ("brd_payment_kind", "attendance_fee"),
                ("brd_entity", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = b
        .get(&format!("/board/allowances?year={year}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("non conforme"), "{html}");
    assert!(html.contains("100,00"), "{html}");
    assert!(html.contains("Résolution allowance"), "{html}");

    // The API gives the same check, and refuses bad input in English.
    let token = token_of(&app, "board@test.be").await;
    let client = reqwest::Client::new();
    let checks: Value = client
        .get(app.url(&format!("/api/v1/board/checks?year={year}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(checks[0]["allowed_cents"], 50_00);
    assert_eq!(checks[0]["paid_cents"], 150_00);
    assert_eq!(checks[0]["unexplained_cents"], 100_00);
    let r = client
        .post(app.url("/api/v1/board/payments"))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .json(&json!({ "brd_person": director, "brd_paid_on": "yesterday", "brd_amount": "x", "brd_label": "", "brd_payment_kind": "bonus" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["brd_paid_on", "brd_amount", "brd_label", "brd_payment_kind"]
    );
    let current: Value = client
        .get(app.url("/api/v1/board"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current[0]["role"], "chair");
}

#[tokio::test]
async fn an_allocation_with_a_dividend_is_refused_when_the_statutes_exclude_it() {
    let app = TestApp::spawn().await;
    assembly(&app).await;
    statutes(&app).await;
    let b = app.signed_in("board@test.be").await;
    let form = |dividend: &'static str| {
        vec![
            ("alloc_year", "2024"),
            ("alloc_resolution", "3"),
            ("alloc_result", "20.000,00"),
            ("lines[0][kind]", "purpose_reserve"),
            ("lines[0][amount]", "9.000"),
            ("lines[1][kind]", "dividend"),
            ("lines[1][amount]", dividend),
            ("lines[2][kind]", "carried_forward"),
            ("lines[2][amount]", "10.000"),
        ]
    };
    let r = b.post("/allocation", &form("1.000")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("les statuts en vigueur excluent tout dividende"),
        "{html}"
    );
    assert!(app.store.allocation_of_year(2024).await.unwrap().is_none());
    // Lines that do not add up.
    let r = b.post("/allocation", &form("0,01")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("les lignes ne totalisent pas le résultat"),
        "{html}"
    );

    let mut good = form("1.000");
    good[5] = ("lines[1][kind]", "legal_reserve");
    let r = b.post("/allocation", &good).await;
    assert_eq!(r.status(), 303);
    let html = b.get("/allocation?year=2024").await.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"no-dividend\"") && html.contains("a été distribué"),
        "{html}"
    );
    assert!(html.contains("20.000,00"), "{html}");

    // The API: the same year again is refused; the year reads back.
    let token = token_of(&app, "admin@test.be").await;
    let client = reqwest::Client::new();
    let r = client
        .post(app.url("/api/v1/allocations"))
        .bearer_auth(&token)
        .header("accept-language", "nl")
        .json(&json!({ "alloc_year": "2024", "alloc_resolution": "3", "alloc_result": "100", "lines": [{ "kind": "carried_forward", "amount": "100" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "alloc-year-taken");
    let read: Value = client
        .get(app.url("/api/v1/allocations/2024"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["result_cents"], 20_000_00);
    assert_eq!(read["no_dividend"], true);
}
