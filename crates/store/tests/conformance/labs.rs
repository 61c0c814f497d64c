//! The labs (C13): members join a running lab once, the last coordinator stays, meetings and
//! outputs are recorded while it runs, the list filters by status and model.

use jiff::civil::date;
use ruche_domain::labs::{
    LabEvent, LabModel, LabStatus, NewLab, NewMeeting, REFUSED_ALREADY_MEMBER,
    REFUSED_LAST_COORDINATOR, REFUSED_NOT_ACTIVE,
};
use ruche_store::labs::LabFilter;
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures;

fn code_of(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(errors) => errors.0[0].code,
        other => panic!("not a refusal: {other}"),
    }
}

pub async fn a_lab_keeps_a_coordinator_and_takes_members_only_while_it_runs(store: &Store) {
    let ctx = fixtures::ctx();
    let today = date(2026, 3, 2);
    let (ana, bert, chloe) = (
        fixtures::person(store, "Ana").await,
        fixtures::person(store, "Bert").await,
        fixtures::person(store, "Chloe").await,
    );
    let lab = store
        .create_lab(
            &ctx,
            &NewLab {
                name: "Lab des musiciens".into(),
                theme: "Musique".into(),
                model: LabModel::PeerSupport,
                description: "Entraide entre musiciens".into(),
                started_on: None,
                coordinator_person_id: ana,
            },
            today,
        )
        .await
        .unwrap();
    assert_eq!((lab.status.as_str(), lab.coordinators), ("proposed", 1));
    // A proposal takes no member yet, and no meeting.
    let e = store.join_lab(&ctx, lab.id, bert, today).await.unwrap_err();
    assert_eq!(code_of(e), REFUSED_NOT_ACTIVE);
    let meeting = NewMeeting {
        held_on: today,
        place: None,
        notes: "Lancement".into(),
        present_count: 4,
    };
    let e = store
        .record_lab_meeting(&ctx, lab.id, &meeting)
        .await
        .unwrap_err();
    assert_eq!(code_of(e), REFUSED_NOT_ACTIVE);
    let active = store
        .change_lab_status(&ctx, lab.id, LabEvent::Activate, today)
        .await
        .unwrap();
    assert_eq!(active.started_on.as_deref(), Some("2026-03-02"));
    store.join_lab(&ctx, lab.id, bert, today).await.unwrap();
    let e = store.join_lab(&ctx, lab.id, bert, today).await.unwrap_err();
    assert_eq!(code_of(e), REFUSED_ALREADY_MEMBER);
    // The only coordinator may not leave; once Chloe coordinates too, Ana may.
    let e = store.leave_lab(&ctx, lab.id, ana, today).await.unwrap_err();
    assert_eq!(code_of(e), REFUSED_LAST_COORDINATOR);
    store
        .set_lab_coordinator(&ctx, lab.id, chloe, true, today)
        .await
        .unwrap();
    store.leave_lab(&ctx, lab.id, ana, today).await.unwrap();
    let e = store
        .set_lab_coordinator(&ctx, lab.id, chloe, false, today)
        .await
        .unwrap_err();
    assert_eq!(code_of(e), REFUSED_LAST_COORDINATOR);
    store.leave_lab(&ctx, lab.id, bert, today).await.unwrap();
    // Ana may join again (a new membership).
    store.join_lab(&ctx, lab.id, ana, today).await.unwrap();
    let members = store.lab_members(lab.id).await.unwrap();
    assert_eq!(members.len(), 2);
    assert!(members[0].coordinator && members[0].person_id == chloe);
    store
        .record_lab_meeting(&ctx, lab.id, &meeting)
        .await
        .unwrap();
    let meetings = store.lab_meetings(lab.id).await.unwrap();
    assert_eq!((meetings.len(), meetings[0].online), (1, true));

    // A closed lab stays closed; the list filters by status and model.
    let closed = store
        .change_lab_status(&ctx, lab.id, LabEvent::Close, today)
        .await
        .unwrap();
    assert_eq!(closed.ended_on.as_deref(), Some("2026-03-02"));
    assert!(
        store
            .change_lab_status(&ctx, lab.id, LabEvent::Activate, today)
            .await
            .is_err()
    );
    let page = |status, model| LabFilter {
        status,
        model,
        person_id: None,
    };
    let all = store
        .labs(&page(None, None), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 1);
    let none = store
        .labs(&page(Some(LabStatus::Active), None), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(none.total, 0);
    let by_model = store
        .labs(
            &page(Some(LabStatus::Closed), Some(LabModel::PeerSupport)),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(by_model.items[0].id, lab.id);
    let mine = store
        .labs(
            &LabFilter {
                person_id: Some(chloe),
                ..LabFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
    // A second lab of the same name is refused on its field.
    let twin = store
        .create_lab(
            &ctx,
            &NewLab {
                name: "LAB DES MUSICIENS".into(),
                theme: "Musique".into(),
                model: LabModel::Coaching,
                description: "Doublon".into(),
                started_on: None,
                coordinator_person_id: bert,
            },
            today,
        )
        .await
        .unwrap_err();
    assert!(matches!(twin, StoreError::Duplicate { field: "labs_name" }));
}
