//! Closed financial years and the special report, on both engines: a year closes once and
//! only after its end; a report is approved only for a closed year, by two directors, once;
//! once approved it is frozen (later data change nothing in it); a year without data shows
//! no number.

use jiff::civil::date;
use ruche_domain::governance::compliance::{Condition, Outcome};
use ruche_domain::governance::report::{Approval, FigureAmount};
use ruche_store::shares::{NewShareClass, NewShareOperation};
use ruche_store::{Store, StoreError};

use crate::fixtures::{self, cooperative, ctx};

fn approval(names: &[&str]) -> Approval {
    Approval {
        approved_on: "2025-04-30".into(),
        signatories: names.iter().map(|n| n.to_string()).collect(),
        archive: "management-report".into(),
    }
}

fn refused_code(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(errors) => errors.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub async fn a_year_is_closed_once_and_only_after_its_end(store: &Store) {
    let early = store
        .close_financial_year(&ctx(), 2024, date(2024, 12, 31))
        .await
        .unwrap_err();
    assert_eq!(refused_code(early), "gov-year-not-ended");
    assert!(store.financial_years().await.unwrap().is_empty());
    let closed = store
        .close_financial_year(&ctx(), 2024, date(2025, 3, 1))
        .await
        .unwrap();
    assert_eq!(
        (closed.year, closed.closed_on.as_str()),
        (2024, "2025-03-01")
    );
    let again = store
        .close_financial_year(&ctx(), 2024, date(2025, 3, 2))
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Duplicate { field: "gov_year" }));
    assert_eq!(store.financial_years().await.unwrap().len(), 1);
    assert!(store.financial_year(2023).await.unwrap().is_none());
}

pub async fn an_approved_report_is_frozen_and_later_data_change_nothing_in_it(store: &Store) {
    cooperative(store).await;
    // Refused while the year is open, and with one signatory: nothing kept.
    let draft = store
        .assemble_special_report(2024, Some(approval(&["A. Durand", "B. Peeters"])))
        .await
        .unwrap();
    let open = store
        .approve_special_report(&ctx(), &draft)
        .await
        .unwrap_err();
    assert_eq!(refused_code(open), "gov-year-not-closed");
    store
        .close_financial_year(&ctx(), 2024, date(2025, 3, 1))
        .await
        .unwrap();
    let alone = store
        .assemble_special_report(2024, Some(approval(&["A. Durand"])))
        .await
        .unwrap();
    let e = store
        .approve_special_report(&ctx(), &alone)
        .await
        .unwrap_err();
    assert_eq!(refused_code(e), "gov-two-signatories");
    assert!(store.frozen_special_report(2024).await.unwrap().is_none());

    // The approved draft: the designation of the fixture's entity passes, the report is
    // approved (ES-9), and the attestation comes with the approval.
    let record = store.approve_special_report(&ctx(), &draft).await.unwrap();
    assert_eq!(record.signatories, "A. Durand\nB. Peeters");
    let outcome = |c: Condition| {
        draft
            .checks
            .iter()
            .find(|k| k.condition == c)
            .unwrap()
            .outcome
    };
    assert_eq!(outcome(Condition::Designation), Outcome::Pass);
    assert_eq!(outcome(Condition::Es9SpecialReport), Outcome::Pass);
    // No statutes recorded: every condition resting on an article fails, visibly.
    assert_eq!(outcome(Condition::Es7VoteCap), Outcome::Fail);
    let frozen = store.frozen_special_report(2024).await.unwrap().unwrap();
    assert_eq!(frozen, draft);

    // Later data: a shareholder entered in 2024 changes the live figures, not the frozen report.
    let class = store
        .create_share_class(
            &ctx(),
            &NewShareClass {
                code: "A".into(),
                name: "Part A".into(),
                nominal_cents: 3_000,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await
        .unwrap();
    let person = fixtures::person(store, "Nadia").await;
    store
        .record_opening_holding(
            &ctx(),
            &NewShareOperation {
                kind: "opening",
                person_id: person,
                class_id: class.id,
                shares: 4,
                paid_cents: 12_000,
                effective_on: date(2024, 5, 2),
                counterparty_person_id: None,
                ledger_transaction_id: None,
                note: String::new(),
            },
        )
        .await
        .unwrap();
    let live = store.assemble_special_report(2024, None).await.unwrap();
    assert_ne!(live.sections, frozen.sections);
    // The report's member count is the register's: one holder at the end of 2024.
    let members = live.sections.iter().find(|s| s.code == "members").unwrap();
    assert!(members.available);
    let held = store
        .holdings_at(date(2024, 12, 31), None)
        .await
        .unwrap()
        .len() as i64;
    assert_eq!(held, 1);
    assert!(
        members
            .figures
            .iter()
            .any(|f| f.key == "members" && f.amount == FigureAmount::Count(held)),
        "{members:?}"
    );
    let frozen_members = frozen
        .sections
        .iter()
        .find(|s| s.code == "members")
        .unwrap();
    assert!(!frozen_members.available);
    assert_eq!(
        store.frozen_special_report(2024).await.unwrap().unwrap(),
        frozen
    );

    // Approved once; the first PDF kept stays.
    let signed = store
        .assemble_special_report(2024, Some(approval(&["A. Durand", "B. Peeters"])))
        .await
        .unwrap();
    let twice = store
        .approve_special_report(&ctx(), &signed)
        .await
        .unwrap_err();
    assert!(matches!(twice, StoreError::Duplicate { .. }));
    store
        .keep_special_report_pdf(2024, "fr", b"%PDF-first")
        .await
        .unwrap();
    store
        .keep_special_report_pdf(2024, "fr", b"%PDF-second")
        .await
        .unwrap();
    assert_eq!(
        store.special_report_pdf(2024, "fr").await.unwrap().unwrap(),
        b"%PDF-first".to_vec()
    );
    assert!(
        store
            .special_report_pdf(2024, "nl")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn a_year_without_data_shows_no_invented_number(store: &Store) {
    cooperative(store).await;
    let report = store.assemble_special_report(2021, None).await.unwrap();
    assert!(!report.sections.is_empty());
    for s in &report.sections {
        assert!(!s.available, "{} shows data for an empty year", s.code);
        assert!(s.figures.is_empty());
    }
    assert!(report.approval.is_none());
    let es9 = report
        .checks
        .iter()
        .find(|k| k.condition == Condition::Es9SpecialReport)
        .unwrap();
    assert_eq!(es9.outcome, Outcome::Warning);
    // Before the first governance parameters there is nothing to check.
    let e = store.assemble_special_report(2018, None).await.unwrap_err();
    assert_eq!(refused_code(e), "gov-no-params");
}
