//! The school of cooperation (C13): registration within the capacity, the waiting list and
//! its promotion by e-mail, a full session without a waiting list refused with its reason,
//! the capacity under concurrent registrations, the reminder sent once, and the year's
//! Participation figures against independent counts.

use jiff::civil::{Date, DateTime, date, time};
use ruche_domain::Language;
use ruche_domain::labs::{LabModel, NewLab, NewMeeting, NewOutput, OutputKind};
use ruche_domain::person::PersonForm;
use ruche_domain::school::{
    Attendance, Audience, NewSession, NewWorkshop, REFUSED_ALREADY, REFUSED_CLOSED, REFUSED_FULL,
    REFUSED_STAFF_ONLY, Venue, WorkshopTheme,
};
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::school::{Registrant, SessionRecord};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures;

async fn person(store: &Store, name: &str) -> i64 {
    let person = PersonForm {
        first_name: name.into(),
        last_name: "Ecole".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        email: format!("{}@ecole.test", name.to_lowercase()),
        ..Default::default()
    }
    .parse()
    .unwrap();
    store
        .save_person(&fixtures::ctx(), None, &person)
        .await
        .unwrap()
        .id
}

fn member(person_id: i64) -> Registrant {
    Registrant {
        person_id,
        member: true,
        staff: false,
    }
}

async fn workshop(store: &Store, year: i16, audience: Audience) -> i64 {
    store
        .create_school_workshop(
            &fixtures::ctx(),
            &NewWorkshop {
                year,
                theme: WorkshopTheme::GeneralAssembly,
                audience,
                title_fr: "Préparer l'assemblée générale".into(),
                title_nl: "De algemene vergadering voorbereiden".into(),
                description_fr: "L'ordre du jour, les procurations.".into(),
                description_nl: "De agenda, de volmachten.".into(),
            },
        )
        .await
        .unwrap()
        .id
}

async fn session(
    store: &Store,
    workshop_id: i64,
    held_on: Date,
    capacity: i64,
    waiting_list: bool,
) -> SessionRecord {
    store
        .create_school_session(
            &fixtures::ctx(),
            &NewSession {
                workshop_id,
                held_on,
                start: time(9, 30, 0, 0),
                end: time(12, 0, 0, 0),
                language: Language::Fr,
                venue: Venue::Online("https://meet.example.org/ag".into()),
                capacity,
                waiting_list,
            },
        )
        .await
        .unwrap()
}

fn before(d: Date) -> DateTime {
    d.checked_sub(jiff::Span::new().days(10))
        .unwrap()
        .at(8, 0, 0, 0)
}

fn code_of(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(errors) => errors.get("school_session").unwrap(),
        other => panic!("not a refusal: {other}"),
    }
}

pub async fn registering_beyond_the_capacity_waits_and_a_cancellation_promotes_the_first(
    store: &Store,
) {
    let ctx = fixtures::ctx();
    let day = date(2026, 5, 12);
    let now = before(day);
    let w = workshop(store, 2026, Audience::Both).await;
    let s = session(store, w, day, 2, true).await;
    let mut people = Vec::new();
    for name in ["Ana", "Bert", "Chloe", "Dirk"] {
        people.push(person(store, name).await);
    }
    let mut statuses = Vec::new();
    for p in &people {
        let r = store
            .register_for_school_session(&ctx, s.id, member(*p), now, 1)
            .await
            .unwrap();
        statuses.push((r.status.clone(), r.position));
    }
    assert_eq!(
        statuses,
        [
            ("registered".to_string(), None),
            ("registered".to_string(), None),
            ("waiting".to_string(), Some(1)),
            ("waiting".to_string(), Some(2)),
        ]
    );
    let full = store.school_session(s.id).await.unwrap();
    assert_eq!(
        (full.registered, full.waiting, full.places_left()),
        (2, 2, 0)
    );
    // No double registration, on a place or on the waiting list.
    for p in [people[0], people[3]] {
        let again = store
            .register_for_school_session(&ctx, s.id, member(p), now, 2)
            .await
            .unwrap_err();
        assert_eq!(code_of(again), REFUSED_ALREADY);
    }
    // Ana cancels: Chloe, first on the waiting list, gets the place and an e-mail; Dirk
    // moves up to the first position.
    let out = store
        .cancel_school_registration(&ctx, s.id, people[0], now, 3)
        .await
        .unwrap();
    assert_eq!(out.cancelled.status, "cancelled");
    assert_eq!(out.promoted.len(), 1);
    assert_eq!(out.promoted[0].person_id, people[2]);
    assert_eq!(out.promoted[0].status, "registered");
    let mails = store
        .mails(Some("chloe@ecole.test"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    assert!(
        mails.items[0]
            .subject
            .contains("Préparer l'assemblée générale")
    );
    let dirk = store
        .school_registration_of(s.id, people[3])
        .await
        .unwrap()
        .unwrap();
    assert_eq!((dirk.status.as_str(), dirk.position), ("waiting", Some(1)));
    // Cancelling a place on the waiting list promotes nobody.
    let out = store
        .cancel_school_registration(&ctx, s.id, people[3], now, 4)
        .await
        .unwrap();
    assert!(out.promoted.is_empty());
    // Ana may register again: the waiting list is empty and the places are taken, so she
    // waits, first.
    let ana = store
        .register_for_school_session(&ctx, s.id, member(people[0]), now, 5)
        .await
        .unwrap();
    assert_eq!((ana.status.as_str(), ana.position), ("waiting", Some(1)));

    // A full session without a waiting list refuses, with the reason, and writes nothing.
    let closed = session(store, w, day, 1, false).await;
    store
        .register_for_school_session(&ctx, closed.id, member(people[1]), now, 6)
        .await
        .unwrap();
    let refused = store
        .register_for_school_session(&ctx, closed.id, member(people[2]), now, 7)
        .await
        .unwrap_err();
    assert_eq!(code_of(refused), REFUSED_FULL);
    assert!(
        store
            .school_registration_of(closed.id, people[2])
            .await
            .unwrap()
            .is_none()
    );
    // A staff-only workshop refuses a member; registration closes when the session starts.
    let staff_only = session(
        store,
        workshop(store, 2026, Audience::Staff).await,
        day,
        5,
        true,
    )
    .await;
    let e = store
        .register_for_school_session(&ctx, staff_only.id, member(people[1]), now, 8)
        .await
        .unwrap_err();
    assert_eq!(code_of(e), REFUSED_STAFF_ONLY);
    let late = store
        .register_for_school_session(&ctx, s.id, member(people[3]), day.at(9, 30, 0, 0), 9)
        .await
        .unwrap_err();
    assert_eq!(code_of(late), REFUSED_CLOSED);
    let listed = store.school_session_registrations(s.id).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().filter(|r| r.status == "registered").count() <= 2);
}

pub async fn concurrent_registrations_on_the_last_places_never_exceed_the_capacity(store: &Store) {
    let day = date(2026, 6, 2);
    let now = before(day);
    let w = workshop(store, 2026, Audience::Members).await;
    let s = session(store, w, day, 3, false).await;
    let mut people = Vec::new();
    for i in 0..12 {
        people.push(person(store, &format!("P{i}")).await);
    }
    let mut tasks = Vec::new();
    for p in people {
        let store = store.clone();
        let id = s.id;
        tasks.push(tokio::spawn(async move {
            store
                .register_for_school_session(&fixtures::ctx(), id, member(p), now, 1)
                .await
        }));
    }
    let (mut placed, mut full) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(r) => {
                assert_eq!(r.status, "registered");
                placed += 1;
            }
            Err(e) => {
                assert_eq!(code_of(e), REFUSED_FULL);
                full += 1;
            }
        }
    }
    assert_eq!((placed, full), (3, 9));
    let after = store.school_session(s.id).await.unwrap();
    assert_eq!((after.registered, after.waiting), (3, 0));
}

pub async fn the_reminder_is_sent_once_to_those_holding_a_place(store: &Store) {
    let ctx = fixtures::ctx();
    let today = date(2026, 9, 14);
    let w = workshop(store, 2026, Audience::Both).await;
    let soon = session(store, w, date(2026, 9, 16), 2, true).await;
    let later = session(store, w, date(2026, 9, 20), 2, true).await;
    let mut people = Vec::new();
    for name in ["Rita", "Sam", "Tom"] {
        let p = person(store, name).await;
        people.push(p);
        store
            .register_for_school_session(&ctx, soon.id, member(p), before(today), 1)
            .await
            .unwrap();
    }
    store
        .register_for_school_session(&ctx, later.id, member(people[0]), before(today), 1)
        .await
        .unwrap();
    // Two hold a place in the session of the day after tomorrow; Tom waits; the later
    // session is not due yet.
    assert_eq!(store.run_school_reminders(&ctx, today).await.unwrap(), 2);
    assert_eq!(store.run_school_reminders(&ctx, today).await.unwrap(), 0);
    let next_day = date(2026, 9, 15);
    assert_eq!(store.run_school_reminders(&ctx, next_day).await.unwrap(), 0);
    for (address, expected) in [
        ("rita@ecole.test", 1),
        ("sam@ecole.test", 1),
        ("tom@ecole.test", 0),
    ] {
        let mails = store
            .mails(Some(address), false, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(mails.total, expected, "{address}");
    }
    let rita = store
        .school_registration_of(soon.id, people[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rita.reminded_on.as_deref(), Some("2026-09-14"));
    // Two runs at once still send each reminder once.
    let (a, b) = tokio::join!(
        store.run_school_reminders(&ctx, date(2026, 9, 18)),
        store.run_school_reminders(&ctx, date(2026, 9, 18))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
}

pub async fn the_participation_figures_equal_independent_counts(store: &Store) {
    let ctx = fixtures::ctx();
    assert!(
        !store
            .section_figures(FigureSection::Participation, 2025)
            .await
            .unwrap()
            .available
    );
    let w = workshop(store, 2025, Audience::Both).await;
    let office = fixtures::office(store, "Bureau de Liège").await;
    let mut people = Vec::new();
    for name in ["Uma", "Vic", "Wim", "Xia"] {
        people.push(person(store, name).await);
    }
    // Session 1 (2025-03-10, 150 min): Uma, Vic, Wim registered, capacity 3; Xia waits,
    // Vic cancels so Xia is promoted. Uma, Wim and Xia attend... Wim is absent.
    let s1 = session(store, w, date(2025, 3, 10), 3, true).await;
    let now = before(date(2025, 3, 10));
    for p in &people {
        store
            .register_for_school_session(&ctx, s1.id, member(*p), now, 1)
            .await
            .unwrap();
    }
    store
        .cancel_school_registration(&ctx, s1.id, people[1], now, 2)
        .await
        .unwrap();
    let regs = store.school_session_registrations(s1.id).await.unwrap();
    let mark = |p: i64, a: Attendance| (regs.iter().find(|r| r.person_id == p).unwrap().id, a);
    store
        .record_school_attendance(
            &ctx,
            s1.id,
            &[
                mark(people[0], Attendance::Attended),
                mark(people[2], Attendance::Absent),
                mark(people[3], Attendance::Attended),
            ],
            date(2025, 3, 10).at(12, 0, 0, 0),
        )
        .await
        .unwrap();
    // Session 2 (2025-11-04, in an office, 120 min): Uma attends again.
    let s2 = store
        .create_school_session(
            &ctx,
            &NewSession {
                workshop_id: w,
                held_on: date(2025, 11, 4),
                start: time(14, 0, 0, 0),
                end: time(16, 0, 0, 0),
                language: Language::Nl,
                venue: Venue::Office(office),
                capacity: 10,
                waiting_list: false,
            },
        )
        .await
        .unwrap();
    let r = store
        .register_for_school_session(&ctx, s2.id, member(people[0]), before(date(2025, 11, 4)), 3)
        .await
        .unwrap();
    store
        .record_school_attendance(
            &ctx,
            s2.id,
            &[(r.id, Attendance::Attended)],
            date(2025, 11, 5).at(9, 0, 0, 0),
        )
        .await
        .unwrap();
    // Session 3 (2025-12-01) is cancelled; session 4 is of 2026: neither counts.
    let s3 = session(store, w, date(2025, 12, 1), 5, true).await;
    store
        .register_for_school_session(&ctx, s3.id, member(people[1]), before(date(2025, 12, 1)), 4)
        .await
        .unwrap();
    store.cancel_school_session(&ctx, s3.id).await.unwrap();
    let s4 = session(store, w, date(2026, 1, 8), 5, true).await;
    store
        .register_for_school_session(&ctx, s4.id, member(people[1]), before(date(2026, 1, 8)), 5)
        .await
        .unwrap();

    // Labs: one ran all 2025 (2 members, 2 meetings in 2025, 1 in 2024, 1 output), one
    // closed in 2024, one only proposed.
    let ran = store
        .create_lab(
            &ctx,
            &NewLab {
                name: "Lab des graphistes".into(),
                theme: "Graphisme".into(),
                model: LabModel::PracticeExchange,
                description: "Échanges de pratiques".into(),
                started_on: Some(date(2024, 9, 1)),
                coordinator_person_id: people[0],
            },
            date(2024, 9, 1),
        )
        .await
        .unwrap();
    store
        .join_lab(&ctx, ran.id, people[1], date(2025, 2, 1))
        .await
        .unwrap();
    for (day, n) in [
        (date(2024, 10, 3), 5),
        (date(2025, 2, 6), 7),
        (date(2025, 6, 12), 6),
    ] {
        store
            .record_lab_meeting(
                &ctx,
                ran.id,
                &NewMeeting {
                    held_on: day,
                    place: Some("Bureau de Liège".into()),
                    notes: "Tour de table".into(),
                    present_count: n,
                },
            )
            .await
            .unwrap();
    }
    store
        .record_lab_output(
            &ctx,
            ran.id,
            &NewOutput {
                title: "Grille tarifaire commune".into(),
                kind: OutputKind::Tool,
                produced_on: date(2025, 10, 1),
                link: None,
            },
        )
        .await
        .unwrap();
    let old = store
        .create_lab(
            &ctx,
            &NewLab {
                name: "Lab ancien".into(),
                theme: "Musique".into(),
                model: LabModel::PeerSupport,
                description: "Entraide".into(),
                started_on: Some(date(2023, 1, 10)),
                coordinator_person_id: people[2],
            },
            date(2023, 1, 10),
        )
        .await
        .unwrap();
    store
        .change_lab_status(
            &ctx,
            old.id,
            ruche_domain::labs::LabEvent::Close,
            date(2024, 6, 30),
        )
        .await
        .unwrap();
    store
        .create_lab(
            &ctx,
            &NewLab {
                name: "Lab proposé".into(),
                theme: "Vidéo".into(),
                model: LabModel::Coaching,
                description: "À lancer".into(),
                started_on: None,
                coordinator_person_id: people[3],
            },
            date(2025, 4, 1),
        )
        .await
        .unwrap();

    let section = store
        .section_figures(FigureSection::Participation, 2025)
        .await
        .unwrap();
    assert!(section.available);
    let value = |key: &str| {
        section
            .figures
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("{key}"))
            .value
    };
    assert_eq!(value("school-sessions-held"), FigureValue::Count(2));
    // s1: Uma, Wim, Xia hold places (Vic cancelled); s2: Uma. s3 is cancelled.
    assert_eq!(value("school-registrations"), FigureValue::Count(4));
    assert_eq!(value("school-participants"), FigureValue::Count(2));
    assert_eq!(
        value("school-minutes-attended"),
        FigureValue::Minutes(150 + 150 + 120)
    );
    assert_eq!(value("school-promotions"), FigureValue::Count(1));
    assert_eq!(value("labs-active"), FigureValue::Count(1));
    assert_eq!(value("labs-members"), FigureValue::Count(2));
    assert_eq!(value("labs-meetings"), FigureValue::Count(2));
    assert_eq!(value("labs-outputs"), FigureValue::Count(1));
    let y2024 = store.labs_year(2024).await.unwrap();
    assert_eq!((y2024.active, y2024.meetings), (2, 1));
    let keys: Vec<&str> = section.figures.iter().map(|f| f.key).collect();
    assert_eq!(keys, FigureSection::Participation.keys());
}

pub async fn cancelling_a_session_tells_everyone_holding_a_place_or_waiting(store: &Store) {
    let ctx = fixtures::ctx();
    let day = date(2026, 6, 9);
    let now = before(day);
    let w = workshop(store, 2026, Audience::Both).await;
    let s = session(store, w, day, 1, true).await;
    let mut people = Vec::new();
    for name in ["Eva", "Filip", "Greet"] {
        people.push(person(store, name).await);
    }
    for (i, p) in people.iter().enumerate() {
        store
            .register_for_school_session(&ctx, s.id, member(*p), now, i64::try_from(i).unwrap())
            .await
            .unwrap();
    }
    // Greet cancels: she is not told again when the session is cancelled.
    store
        .cancel_school_registration(&ctx, s.id, people[2], now, 10)
        .await
        .unwrap();
    let cancelled = store.cancel_school_session(&ctx, s.id).await.unwrap();
    assert_eq!(cancelled.status, "cancelled");
    for (name, expected) in [("eva", 1), ("filip", 1), ("greet", 0)] {
        let mails = store
            .mails(
                Some(&format!("{name}@ecole.test")),
                false,
                PageRequest::default(),
            )
            .await
            .unwrap();
        let told = mails
            .items
            .iter()
            .filter(|m| m.subject.starts_with("Annulé"))
            .count();
        assert_eq!(told, expected, "{name}");
    }
    // A cancelled session cannot be cancelled again, nor registered for.
    let again = store.cancel_school_session(&ctx, s.id).await.unwrap_err();
    assert_eq!(code_of(again), REFUSED_CLOSED);
    let late = store
        .register_for_school_session(&ctx, s.id, member(people[2]), now, 11)
        .await
        .unwrap_err();
    assert!(matches!(late, StoreError::Refused(_)));
}
