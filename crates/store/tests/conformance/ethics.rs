//! The ethics committee (C13): a referral goes to a published opinion and the referrer is
//! mailed once; bad input is refused with its reason and changes nothing; the year's Ethics
//! figures equal independent counts.

use jiff::civil::{Date, date};
use ruche_domain::Role;
use ruche_domain::ethics::{MeetingForm, OpinionForm, ReferralForm, SeatForm};
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::ethics::{
    EthicsNotice, OpinionFilter, REFUSED_HAS_OPINION, REFUSED_NOT_ADOPTED, REFUSED_NOT_SEATED,
    REFUSED_PUBLISHED, REFUSED_REFERRAL_CLOSED, ReferralFilter,
};
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::{AuditContext, PageRequest, Store, StoreError};

use crate::fixtures;

async fn member(store: &Store, first_name: &str) -> (i64, i64) {
    let person = fixtures::person(store, first_name).await;
    let account = store
        .create_account(
            &fixtures::ctx(),
            person,
            &NewAccount {
                email: format!("{}@ethics.test", first_name.to_lowercase()),
                password_hash: "x".into(),
                language: None,
                roles: vec![RoleGrant {
                    role: Role::Member,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap();
    (person, account.id)
}

fn at(d: Date) -> i64 {
    d.at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_microsecond()
}

fn notice() -> EthicsNotice {
    EthicsNotice {
        subject: "Le comité d'éthique a rendu son avis".into(),
        body: "Lisez-le sur ruche.".into(),
    }
}

async fn seat(store: &Store, person: i64, role: &str, from: &str) -> i64 {
    let new = SeatForm {
        ethics_person: person.to_string(),
        ethics_role: role.into(),
        ethics_from: from.into(),
        ethics_until: String::new(),
    }
    .parse()
    .unwrap();
    store
        .add_ethics_seat(&fixtures::ctx(), &new, 1)
        .await
        .unwrap()
        .id
}

/// Writes an opinion adopted at `meeting` and publishes it on `day`.
async fn publish(store: &Store, referral: Option<i64>, subject: &str, meeting: i64, day: Date) {
    let staff = fixtures::ctx();
    let o = store
        .write_ethics_opinion(
            &staff,
            &opinion(referral, subject, Some(meeting)).parse().unwrap(),
            at(day),
        )
        .await
        .unwrap();
    store
        .publish_ethics_opinion(&staff, o.id, &notice(), at(day))
        .await
        .unwrap();
}

async fn meeting(store: &Store, day: &str, present: &[i64]) -> i64 {
    let new = MeetingForm {
        ethics_held_on: day.into(),
        ethics_place: "Siège".into(),
        ethics_agenda: "1. Saisines".into(),
        ethics_minutes: String::new(),
        present: present.iter().map(|p| p.to_string()).collect(),
    }
    .parse()
    .unwrap();
    store
        .create_ethics_meeting(&fixtures::ctx(), &new, 1)
        .await
        .unwrap()
        .id
}

async fn refer(store: &Store, person: i64, account: i64, subject: &str, day: Date) -> i64 {
    let new = ReferralForm {
        ethics_subject: subject.into(),
        ethics_question: format!("Que pense le comité de : {subject} ?"),
    }
    .parse(person, day)
    .unwrap();
    store
        .refer_to_ethics(&AuditContext::account(account, None), &new, at(day))
        .await
        .unwrap()
        .id
}

fn opinion(referral: Option<i64>, subject: &str, meeting: Option<i64>) -> OpinionForm {
    OpinionForm {
        ethics_referral: referral.map(|r| r.to_string()).unwrap_or_default(),
        ethics_kind: "opinion".into(),
        ethics_subject: subject.into(),
        ethics_body: "Le comité estime que…".into(),
        ethics_meeting: meeting.map(|m| m.to_string()).unwrap_or_default(),
    }
}

pub async fn ethics_a_referral_goes_to_a_published_opinion_and_the_referrer_is_mailed_once(
    store: &Store,
) {
    let (marie, marie_account) = member(store, "Marie").await;
    let chair_person = fixtures::person(store, "Chantal").await;
    let chair = seat(store, chair_person, "chair", "2025-01-01").await;
    let staff = fixtures::ctx();

    let referral = refer(
        store,
        marie,
        marie_account,
        "Cryptomonnaies",
        date(2026, 2, 3),
    )
    .await;
    let r = store.ethics_referral(referral).await.unwrap();
    assert_eq!(
        (r.status.as_str(), r.submitted_by),
        ("received", Some(marie_account))
    );
    let mine = store
        .ethics_referrals(
            &ReferralFilter {
                person_id: Some(marie),
                ..ReferralFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(mine.total, 1);

    // A draft on the referral puts it under review; a second opinion on it is refused.
    let new = opinion(Some(referral), "Cryptomonnaies", None)
        .parse()
        .unwrap();
    let draft = store
        .write_ethics_opinion(&staff, &new, at(date(2026, 2, 10)))
        .await
        .unwrap();
    assert_eq!(draft.status, "draft");
    assert_eq!(
        store.ethics_referral(referral).await.unwrap().status,
        "under-review"
    );
    let twice = store
        .write_ethics_opinion(&staff, &new, at(date(2026, 2, 10)))
        .await;
    assert!(
        matches!(&twice, Err(StoreError::Refused(e)) if e.get("ethics_referral") == Some(REFUSED_HAS_OPINION)),
        "{twice:?}"
    );
    // Not adopted at a meeting: not published, nobody mailed.
    let early = store
        .publish_ethics_opinion(&staff, draft.id, &notice(), at(date(2026, 2, 11)))
        .await;
    assert!(
        matches!(&early, Err(StoreError::Refused(e)) if e.get("ethics_publish") == Some(REFUSED_NOT_ADOPTED)),
        "{early:?}"
    );
    let held = meeting(store, "2026-02-17", &[chair]).await;
    let adopted = store
        .update_ethics_opinion(
            &staff,
            draft.id,
            &opinion(Some(referral), "Cryptomonnaies", Some(held))
                .parse()
                .unwrap(),
            at(date(2026, 2, 17)),
        )
        .await
        .unwrap();
    assert_eq!(adopted.adopted_on.as_deref(), Some("2026-02-17"));
    let published = store
        .publish_ethics_opinion(&staff, draft.id, &notice(), at(date(2026, 2, 20)))
        .await
        .unwrap();
    assert_eq!(
        (published.status.as_str(), published.published_on.as_deref()),
        ("published", Some("2026-02-20"))
    );
    assert_eq!(
        store.ethics_referral(referral).await.unwrap().status,
        "opinion-given"
    );

    // Published twice: refused, and the referrer is mailed once.
    let again = store
        .publish_ethics_opinion(&staff, draft.id, &notice(), at(date(2026, 2, 21)))
        .await;
    assert!(
        matches!(&again, Err(StoreError::Refused(e)) if e.get("ethics_publish") == Some(REFUSED_PUBLISHED)),
        "{again:?}"
    );
    let mails = store
        .mails(Some("marie@ethics.test"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    assert_eq!(mails.items[0].subject, notice().subject);
    // A published opinion is never edited.
    let edit = store
        .update_ethics_opinion(
            &staff,
            draft.id,
            &opinion(Some(referral), "Autre", Some(held))
                .parse()
                .unwrap(),
            at(date(2026, 2, 22)),
        )
        .await;
    assert!(matches!(edit, Err(StoreError::Refused(_))));
    let public = store
        .ethics_opinions(
            &OpinionFilter {
                status: Some(ruche_domain::ethics::OpinionStatus::Published),
                ..OpinionFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(public.total, 1);
    assert_eq!(public.items[0].body, "Le comité estime que…");

    // Every change is in the audit log.
    let log = store
        .audit_entries(
            &ruche_store::audit::AuditFilter {
                entity_type: Some("ethics_opinion".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(log.total, 3, "write, update, publish");
}

pub async fn ethics_bad_input_is_refused_and_changes_nothing(store: &Store) {
    let (marie, marie_account) = member(store, "Marie").await;
    let staff = fixtures::ctx();
    // A meeting without a date, a referral without a question: refused by the form.
    let no_date = MeetingForm {
        ethics_place: "Siège".into(),
        ethics_agenda: "1.".into(),
        ..MeetingForm::default()
    }
    .parse()
    .unwrap_err();
    assert_eq!(no_date.get("ethics_held_on"), Some("required"));
    let no_question = ReferralForm {
        ethics_subject: "Astrologie".into(),
        ethics_question: " ".into(),
    }
    .parse(marie, date(2026, 3, 1))
    .unwrap_err();
    assert_eq!(no_question.get("ethics_question"), Some("required"));

    // Someone present who held no seat that day.
    let person = fixtures::person(store, "Paul").await;
    let later = seat(store, person, "member", "2026-06-01").await;
    let new = MeetingForm {
        ethics_held_on: "2026-03-01".into(),
        ethics_place: "Siège".into(),
        ethics_agenda: "1.".into(),
        ethics_minutes: String::new(),
        present: vec![later.to_string()],
    }
    .parse()
    .unwrap();
    let refused = store.create_ethics_meeting(&staff, &new, 1).await;
    assert!(
        matches!(&refused, Err(StoreError::Refused(e)) if e.get("ethics_present") == Some(REFUSED_NOT_SEATED)),
        "{refused:?}"
    );
    assert_eq!(
        store
            .ethics_meetings(None, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );

    // A declined referral takes no opinion, and is not declined twice.
    let referral = refer(store, marie, marie_account, "Astrologie", date(2026, 3, 2)).await;
    let declined = store
        .decline_ethics_referral(&staff, referral, "Hors du mandat du comité", 2)
        .await
        .unwrap();
    assert_eq!(
        (declined.status.as_str(), declined.decline_reason.as_deref()),
        ("declined", Some("Hors du mandat du comité"))
    );
    let late = store
        .write_ethics_opinion(
            &staff,
            &opinion(Some(referral), "Astrologie", None).parse().unwrap(),
            3,
        )
        .await;
    assert!(
        matches!(&late, Err(StoreError::Refused(e)) if e.get("ethics_referral") == Some(REFUSED_REFERRAL_CLOSED)),
        "{late:?}"
    );
    assert!(
        store
            .decline_ethics_referral(&staff, referral, "encore", 4)
            .await
            .is_err()
    );
    // An opinion on a meeting that does not exist.
    let ghost = store
        .write_ethics_opinion(
            &staff,
            &opinion(None, "Publicité", Some(9_999)).parse().unwrap(),
            5,
        )
        .await;
    assert!(matches!(ghost, Err(StoreError::Refused(_))));
    assert_eq!(
        store
            .ethics_opinions(&OpinionFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        store
            .mails(Some("marie@ethics.test"), false, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn ethics_the_year_figures_equal_independent_counts(store: &Store) {
    let (marie, account) = member(store, "Marie").await;
    let staff = fixtures::ctx();
    let chair_person = fixtures::person(store, "Chantal").await;
    let chair = seat(store, chair_person, "chair", "2024-01-01").await;
    // 2025: three meetings, one on 31 December; 2026: two (one on 1 January).
    let days_2025 = ["2025-02-10", "2025-06-10", "2025-12-31"];
    let days_2026 = ["2026-01-01", "2026-05-05"];
    let mut meetings = Vec::new();
    for d in days_2025.iter().chain(&days_2026) {
        meetings.push(meeting(store, d, &[chair]).await);
    }
    // Referrals: 2025 four (two on the same subject), 2026 one.
    let planned = [
        ("Cryptomonnaies", date(2025, 1, 15)),
        ("Transparence", date(2025, 3, 1)),
        ("Cryptomonnaies", date(2025, 9, 1)),
        ("Publicité", date(2025, 12, 31)),
        ("Astrologie", date(2026, 1, 2)),
    ];
    let mut referrals = Vec::new();
    for (subject, day) in planned {
        referrals.push(refer(store, marie, account, subject, day).await);
    }
    // Opinions: two published in 2025 (one on a referral, one on the committee's own
    // initiative, on a new subject), one published in 2026 on a 2025 referral, one draft.
    publish(
        store,
        Some(referrals[0]),
        "Cryptomonnaies",
        meetings[0],
        date(2025, 3, 1),
    )
    .await;
    publish(
        store,
        None,
        "Finance éthique",
        meetings[0],
        date(2025, 11, 30),
    )
    .await;
    publish(
        store,
        Some(referrals[1]),
        "Transparence",
        meetings[0],
        date(2026, 1, 20),
    )
    .await;
    store
        .write_ethics_opinion(
            &staff,
            &opinion(Some(referrals[3]), "Publicité", None)
                .parse()
                .unwrap(),
            at(date(2025, 12, 31)),
        )
        .await
        .unwrap();

    for (year, meetings_n, referrals_n, opinions_n, subjects_n) in [
        // Subjects 2025: Cryptomonnaies, Transparence, Publicité, Finance éthique.
        (2025_i16, 3, 4, 2, 4),
        // Subjects 2026: Astrologie (Transparence's opinion answers a 2025 referral).
        (2026, 2, 1, 1, 1),
    ] {
        let y = store.ethics_year(year).await.unwrap();
        assert_eq!(
            (y.meetings, y.referrals, y.opinions, y.subjects),
            (meetings_n, referrals_n, opinions_n, subjects_n),
            "{year}"
        );
        // Independently: the meetings listed for the year, the referrals by their date.
        let listed = store
            .ethics_meetings(Some(year), PageRequest::new(1, 200))
            .await
            .unwrap();
        assert_eq!(listed.total, meetings_n);
        let all = store
            .ethics_referrals(&ReferralFilter::default(), PageRequest::new(1, 200))
            .await
            .unwrap();
        let prefix = format!("{year}-");
        let received = all
            .items
            .iter()
            .filter(|r| r.received_on.starts_with(&prefix))
            .count();
        assert_eq!(i64::try_from(received).unwrap(), referrals_n);
        let published = store
            .ethics_opinions(&OpinionFilter::default(), PageRequest::new(1, 200))
            .await
            .unwrap()
            .items
            .into_iter()
            .filter(|o| {
                o.published_on
                    .as_deref()
                    .is_some_and(|d| d.starts_with(&prefix))
            })
            .count();
        assert_eq!(i64::try_from(published).unwrap(), opinions_n);

        let section = store
            .section_figures(FigureSection::Ethics, year)
            .await
            .unwrap();
        assert!(section.available);
        let value = |key: &str| section.figure(key).map(|f| f.value);
        assert_eq!(
            value("ethics-meetings"),
            Some(FigureValue::Count(meetings_n))
        );
        assert_eq!(
            value("ethics-referrals"),
            Some(FigureValue::Count(referrals_n))
        );
        assert_eq!(
            value("ethics-opinions"),
            Some(FigureValue::Count(opinions_n))
        );
        assert_eq!(
            value("ethics-subjects"),
            Some(FigureValue::Count(subjects_n))
        );
    }
    let empty = store
        .section_figures(FigureSection::Ethics, 2020)
        .await
        .unwrap();
    assert!(!empty.available && empty.figures.is_empty());
}
