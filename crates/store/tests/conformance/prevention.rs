//! Prevention and diversity (C15): an accident is reported, followed up, declared and closed;
//! bad input is refused with its reasons and nothing is written; the year's Prevention
//! figures equal counts made another way.

use jiff::civil::{Date, date};
use ruche_domain::prevention::{
    ActionEvent, DiversityActionForm, FollowUpForm, HealthCheckForm, IncidentForm, MeetingForm,
    PreventionActionForm, RiskSheetForm,
};
use ruche_store::audit::AuditFilter;
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::prevention::{IncidentFilter, REFUSED_ACTION_STATUS, REFUSED_STATUS};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures;

const TODAY: Date = date(2026, 11, 20);
const AT: i64 = 1_763_600_000_000_000;
const INJURY: &str = "Fracture du poignet droit";

fn accident(on: &str, declared: &str, person: i64, office: i64) -> IncidentForm {
    IncidentForm {
        prv_date: on.into(),
        prv_time: "14:05".into(),
        prv_office: office.to_string(),
        prv_person: person.to_string(),
        prv_nature: "work-accident".into(),
        prv_severity: "lost-time".into(),
        prv_injury: INJURY.into(),
        prv_witnesses: "Deux collègues".into(),
        prv_measures: "Premiers soins, hôpital".into(),
        prv_days_lost: "5".into(),
        prv_declared_on: declared.into(),
        ..IncidentForm::default()
    }
}

fn near_miss(on: &str) -> IncidentForm {
    IncidentForm {
        prv_date: on.into(),
        prv_time: "08:00".into(),
        prv_place: "Entrepôt, quai 2".into(),
        prv_nature: "near-miss".into(),
        prv_severity: "none".into(),
        ..IncidentForm::default()
    }
}

fn sheet(reviewed: &str, next: &str) -> RiskSheetForm {
    RiskSheetForm {
        prv_scope: "job".into(),
        prv_job: "warehouse".into(),
        prv_title: "Magasinier".into(),
        prv_hazards: "Charges lourdes, chariot élévateur".into(),
        prv_probability: "3".into(),
        prv_gravity: "3".into(),
        prv_measures: "Formation, chaussures de sécurité".into(),
        prv_equipment: "Chaussures S3, gants".into(),
        prv_reviewed_on: reviewed.into(),
        prv_next_review: next.into(),
        ..RiskSheetForm::default()
    }
}

fn action(title: &str, due: &str) -> PreventionActionForm {
    PreventionActionForm {
        prv_title: title.into(),
        prv_origin: "inspection".into(),
        prv_plan: "yearly".into(),
        prv_owner: "Conseiller en prévention".into(),
        prv_due: due.into(),
        ..PreventionActionForm::default()
    }
}

fn diversity(title: &str) -> DiversityActionForm {
    DiversityActionForm {
        div_title: title.into(),
        div_axis: "gender".into(),
        div_owner: "RH".into(),
        div_target: "Parité des jurys".into(),
        div_due: "2026-12-31".into(),
    }
}

pub async fn prevention_an_incident_with_follow_up_is_recorded_and_closed(store: &Store) {
    let ctx = fixtures::ctx();
    let office = fixtures::office(store, "Prévention Bruxelles").await;
    let person = fixtures::person(store, "Accidentée").await;
    let input = accident("2026-11-10", "", person, office)
        .parse(TODAY)
        .unwrap();
    let i = store.report_incident(&ctx, &input, AT).await.unwrap();
    assert_eq!(
        (i.status.as_str(), i.nature.as_str(), i.days_lost),
        ("open", "work-accident", 5)
    );
    assert_eq!(i.office_name.as_deref(), Some("Prévention Bruxelles"));
    assert_eq!(i.person_name.as_deref(), Some("Accidentée Test"));
    // Not declared within eight days: overdue on the 20th, listed as undeclared.
    assert_eq!(i.declaration(TODAY).unwrap().code(), "overdue");
    let undeclared = store
        .incidents(
            &IncidentFilter {
                undeclared: true,
                ..IncidentFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(undeclared.total, 1);
    let board = store.prevention_dashboard(TODAY).await.unwrap();
    assert_eq!(board.open_incidents, 1);
    assert_eq!(board.overdue_declarations.len(), 1);

    let f = FollowUpForm {
        prv_followup_action: "Poser une main courante".into(),
        prv_followup_owner: "Service technique".into(),
        prv_followup_due: "2026-12-01".into(),
    }
    .parse()
    .unwrap();
    let fu = store
        .add_incident_followup(&ctx, i.id, &f, AT)
        .await
        .unwrap();
    // Closing is refused while the follow-up is open, then while undeclared.
    match store.close_incident(&ctx, i.id, TODAY, AT).await {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("prv_close"), Some("prv-followups-open")),
        other => panic!("{other:?}"),
    }
    store
        .complete_incident_followup(&ctx, i.id, fu.id, TODAY, AT)
        .await
        .unwrap();
    match store.close_incident(&ctx, i.id, TODAY, AT).await {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("prv_close"), Some("prv-not-declared")),
        other => panic!("{other:?}"),
    }
    // Declared (late) through a correction of the entry; then it closes.
    let corrected = accident("2026-11-10", "2026-11-19", person, office)
        .parse(TODAY)
        .unwrap();
    let i = store
        .update_incident(&ctx, i.id, &corrected, AT)
        .await
        .unwrap();
    assert_eq!(i.declaration(TODAY).unwrap().code(), "late");
    let closed = store.close_incident(&ctx, i.id, TODAY, AT).await.unwrap();
    assert_eq!(
        (closed.status.as_str(), closed.closed_on.as_deref()),
        ("closed", Some("2026-11-20"))
    );
    assert!(matches!(
        store.close_incident(&ctx, i.id, TODAY, AT).await,
        Err(StoreError::Conflict(REFUSED_STATUS))
    ));
    // A closed incident takes no follow-up until reopened.
    assert!(matches!(
        store.add_incident_followup(&ctx, i.id, &f, AT).await,
        Err(StoreError::Conflict(REFUSED_STATUS))
    ));
    let reopened = store.reopen_incident(&ctx, i.id, AT).await.unwrap();
    assert_eq!(reopened.status, "open");
    assert_eq!(store.incident_followups(i.id).await.unwrap().len(), 1);

    // The audit log keeps codes and dates, never the injury.
    let log = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("prevention_incident".into()),
                ..AuditFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(log.total >= 4);
    for e in &log.items {
        for json in [&e.before_json, &e.after_json].into_iter().flatten() {
            assert!(
                !json.contains(INJURY) && !json.contains("collègues"),
                "{json}"
            );
        }
    }
}

pub async fn prevention_bad_input_is_refused_with_reasons(store: &Store) {
    let ctx = fixtures::ctx();
    let office = fixtures::office(store, "Prévention Liège").await;
    let person = fixtures::person(store, "Témoin").await;
    // The forms refuse what they can tell alone.
    let e = accident("2026-11-21", "", person, office)
        .parse(TODAY)
        .unwrap_err();
    assert_eq!(e.get("prv_date"), Some("prv-future"));
    let mut f = near_miss("2026-11-01");
    f.prv_days_lost = "3".into();
    assert_eq!(
        f.parse(TODAY).unwrap_err().get("prv_days_lost"),
        Some("prv-days-lost-near-miss")
    );
    // The store refuses what only the stored data can tell, and writes nothing.
    let ghost = accident("2026-11-10", "", 999_999, office)
        .parse(TODAY)
        .unwrap();
    match store.report_incident(&ctx, &ghost, AT).await {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("prv_person"), Some("prv-unknown")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store
            .incidents(&IncidentFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    let h = HealthCheckForm {
        prv_person: "999999".into(),
        prv_kind: "periodic".into(),
        prv_due: "2026-12-01".into(),
        prv_service: "Service externe".into(),
    }
    .parse()
    .unwrap();
    assert!(matches!(
        store.plan_health_check(&ctx, &h, AT).await,
        Err(StoreError::Refused(_))
    ));
    let mut a = action("Rampe", "2026-12-01");
    a.prv_origin = "risk-sheet".into();
    a.prv_risk_sheet = "424242".into();
    match store
        .create_prevention_action(&ctx, &a.parse().unwrap(), AT)
        .await
    {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("prv_risk_sheet"), Some("prv-unknown")),
        other => panic!("{other:?}"),
    }
    // A review before the last one, an action moved out of "done".
    let s = store
        .create_risk_sheet(
            &ctx,
            &sheet("2026-06-01", "2027-06-01").parse(TODAY).unwrap(),
            AT,
        )
        .await
        .unwrap();
    assert_eq!(s.level(), "high");
    match store
        .review_risk_sheet(&ctx, s.id, date(2026, 5, 1), date(2027, 5, 1), AT)
        .await
    {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("prv_reviewed_on"), Some("prv-too-early")),
        other => panic!("{other:?}"),
    }
    let act = store
        .create_prevention_action(
            &ctx,
            &action("Éclairage", "2026-12-01").parse().unwrap(),
            AT,
        )
        .await
        .unwrap();
    store
        .change_prevention_action(&ctx, act.id, ActionEvent::Complete, TODAY, AT)
        .await
        .unwrap();
    assert!(matches!(
        store
            .change_prevention_action(&ctx, act.id, ActionEvent::Start, TODAY, AT)
            .await,
        Err(StoreError::Conflict(REFUSED_ACTION_STATUS))
    ));
    assert_eq!(
        store.prevention_action(act.id).await.unwrap().status,
        "done"
    );
}

pub async fn prevention_year_figures_equal_independent_counts(store: &Store) {
    let ctx = fixtures::ctx();
    let office = fixtures::office(store, "Prévention Gand").await;
    let person = fixtures::person(store, "Travailleur").await;
    let today = date(2026, 11, 20);
    // 2026: two work accidents (one declared late: 10 days after), a near miss, an
    // aggression; 2025: one accident (outside the year).
    for (on, declared) in [("2026-03-02", "2026-03-05"), ("2026-05-04", "2026-05-14")] {
        let i = accident(on, declared, person, office).parse(today).unwrap();
        store.report_incident(&ctx, &i, AT).await.unwrap();
    }
    store
        .report_incident(&ctx, &near_miss("2026-07-01").parse(today).unwrap(), AT)
        .await
        .unwrap();
    let aggression = IncidentForm {
        prv_nature: "aggression".into(),
        prv_severity: "first-aid".into(),
        prv_days_lost: String::new(),
        prv_declared_on: String::new(),
        ..accident("2026-09-09", "", person, office)
    };
    store
        .report_incident(&ctx, &aggression.parse(today).unwrap(), AT)
        .await
        .unwrap();
    let old = accident("2025-12-30", "2026-01-20", person, office)
        .parse(today)
        .unwrap();
    store.report_incident(&ctx, &old, AT).await.unwrap();

    // Actions: one done in 2026, one done in 2025, one in progress.
    for (title, done_on) in [("A", date(2026, 4, 1)), ("B", date(2025, 4, 1))] {
        let a = store
            .create_prevention_action(&ctx, &action(title, "2026-12-01").parse().unwrap(), AT)
            .await
            .unwrap();
        store
            .change_prevention_action(&ctx, a.id, ActionEvent::Complete, done_on, AT)
            .await
            .unwrap();
    }
    let c = store
        .create_prevention_action(&ctx, &action("C", "2026-12-01").parse().unwrap(), AT)
        .await
        .unwrap();
    store
        .change_prevention_action(&ctx, c.id, ActionEvent::Start, today, AT)
        .await
        .unwrap();
    // Three meetings in 2026, one in 2025.
    for held in ["2025-12-10", "2026-01-12", "2026-02-09", "2026-03-09"] {
        let m = MeetingForm {
            prv_held_on: held.into(),
            prv_present: "Employeur, délégués, conseiller".into(),
            prv_agenda: "Accidents du mois".into(),
            ..MeetingForm::default()
        }
        .parse(today)
        .unwrap();
        store.record_committee_meeting(&ctx, &m, AT).await.unwrap();
    }
    // Health checks: two done in 2026, one pending.
    for (i, done) in [Some(date(2026, 2, 1)), Some(date(2026, 6, 1)), None]
        .into_iter()
        .enumerate()
    {
        let h = HealthCheckForm {
            prv_person: person.to_string(),
            prv_kind: "periodic".into(),
            prv_due: format!("2026-0{}-01", i + 1),
            prv_service: "Service externe".into(),
        }
        .parse()
        .unwrap();
        let h = store.plan_health_check(&ctx, &h, AT).await.unwrap();
        if let Some(d) = done {
            store
                .complete_health_check(&ctx, h.id, d, AT)
                .await
                .unwrap();
        }
    }
    // Risk sheets: one created in 2025 and reviewed twice in 2026 (counted once), one
    // created in 2025 only.
    let s = store
        .create_risk_sheet(
            &ctx,
            &sheet("2025-03-01", "2026-03-01").parse(today).unwrap(),
            AT,
        )
        .await
        .unwrap();
    store
        .review_risk_sheet(&ctx, s.id, date(2026, 3, 1), date(2026, 9, 1), AT)
        .await
        .unwrap();
    store
        .review_risk_sheet(&ctx, s.id, date(2026, 9, 1), date(2027, 9, 1), AT)
        .await
        .unwrap();
    store
        .create_risk_sheet(
            &ctx,
            &sheet("2025-05-01", "2026-05-01").parse(today).unwrap(),
            AT,
        )
        .await
        .unwrap();
    // Diversity: one done in 2026, one in progress since 2026, one planned, one done in 2025.
    let mut ids = Vec::new();
    for t in ["D1", "D2", "D3", "D4"] {
        ids.push(
            store
                .create_diversity_action(&ctx, &diversity(t).parse().unwrap(), AT)
                .await
                .unwrap()
                .id,
        );
    }
    store
        .change_diversity_action(
            &ctx,
            ids[0],
            ActionEvent::Complete,
            date(2026, 6, 30),
            Some("Fait"),
            AT,
        )
        .await
        .unwrap();
    store
        .change_diversity_action(&ctx, ids[1], ActionEvent::Start, date(2026, 2, 1), None, AT)
        .await
        .unwrap();
    store
        .change_diversity_action(&ctx, ids[3], ActionEvent::Start, date(2025, 2, 1), None, AT)
        .await
        .unwrap();
    store
        .change_diversity_action(
            &ctx,
            ids[3],
            ActionEvent::Complete,
            date(2025, 10, 1),
            Some("Fait"),
            AT,
        )
        .await
        .unwrap();

    // The independent counts, from the register's pages and the lists.
    let register = store
        .incidents(
            &IncidentFilter {
                year: Some(2026),
                ..IncidentFilter::default()
            },
            PageRequest::new(1, 200),
        )
        .await
        .unwrap();
    let accidents = register
        .items
        .iter()
        .filter(|i| i.nature == "work-accident" || i.nature == "commuting-accident")
        .count() as i64;
    let days: i64 = register.items.iter().map(|i| i.days_lost).sum();
    let late = register
        .items
        .iter()
        .filter(|i| i.declaration(today).unwrap().code() == "late")
        .count() as i64;
    assert_eq!((register.total, accidents, days, late), (4, 2, 10, 1));

    let year = store
        .section_figures(FigureSection::Prevention, 2026)
        .await
        .unwrap();
    assert!(year.available);
    let n = |key: &str| match year.figure(key).map(|f| f.value) {
        Some(FigureValue::Count(n)) => n,
        other => panic!("{key}: {other:?}"),
    };
    assert_eq!(n("prevention-incidents"), register.total);
    assert_eq!(n("prevention-work-accidents"), accidents);
    assert_eq!(n("prevention-days-lost"), days);
    assert_eq!(n("prevention-declared-late"), late);
    assert_eq!(n("prevention-actions-done"), 1);
    assert_eq!(n("prevention-committee-meetings"), 3);
    assert_eq!(n("prevention-health-checks-done"), 2);
    assert_eq!(n("prevention-risk-sheets-reviewed"), 1);
    assert_eq!(n("diversity-actions-done"), 1);
    assert_eq!(n("diversity-actions-in-progress"), 1);
    // 2025: the late-declared accident of 30 December (declared 21 days later), one action,
    // one meeting, two sheets created and reviewed, one diversity action done, one running
    // at the end of 2025.
    let last = store
        .section_figures(FigureSection::Prevention, 2025)
        .await
        .unwrap();
    let m = |key: &str| match last.figure(key).map(|f| f.value) {
        Some(FigureValue::Count(n)) => n,
        other => panic!("{key}: {other:?}"),
    };
    assert_eq!(
        (
            m("prevention-incidents"),
            m("prevention-declared-late"),
            m("prevention-actions-done"),
            m("prevention-committee-meetings"),
            m("prevention-risk-sheets-reviewed"),
            m("diversity-actions-done"),
            m("diversity-actions-in-progress"),
        ),
        (1, 1, 1, 1, 2, 1, 0)
    );
    // A year without data is unavailable: nothing invented.
    let empty = store
        .section_figures(FigureSection::Prevention, 2019)
        .await
        .unwrap();
    assert!(!empty.available && empty.figures.is_empty());
}
