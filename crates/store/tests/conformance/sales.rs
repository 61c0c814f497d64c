//! Activities, holders and the client directory, on both engines.

use ruche_domain::activity::{ActivityEvent, ActivityStatus};
use ruche_domain::client::ClientForm;
use ruche_store::activities::ActivityFilter;
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{activity_form as activity, ctx, office, person};

pub async fn an_activity_is_proposed_validated_and_closed_by_the_rules(store: &Store) {
    let office = office(store, "Bruxelles").await;
    let ana = person(store, "Ana").await;
    let a = store
        .propose_activity(&ctx(), &activity("Trio jazz", office), ana)
        .await
        .unwrap();
    assert_eq!(a.status().unwrap(), ActivityStatus::Proposed);
    assert!(store.holds_activity(a.id, ana).await.unwrap());
    let a = store
        .change_activity_status(&ctx(), a.id, ActivityEvent::Validate)
        .await
        .unwrap();
    assert_eq!(a.status, "active");
    let again = store
        .change_activity_status(&ctx(), a.id, ActivityEvent::Validate)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    store
        .change_activity_status(&ctx(), a.id, ActivityEvent::Close)
        .await
        .unwrap();
    let reopen = store
        .change_activity_status(&ctx(), a.id, ActivityEvent::Resume)
        .await;
    assert!(matches!(reopen, Err(StoreError::Conflict(_))));
    let rated = store
        .set_activity_contribution_rate(&ctx(), a.id, Some(500))
        .await
        .unwrap();
    assert_eq!(rated.contribution_rate_bp, Some(500));
    let missing = store
        .propose_activity(&ctx(), &activity("X", 999), ana)
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
}

pub async fn activities_are_listed_by_holder_office_status_and_name(store: &Store) {
    let brussels = office(store, "Bruxelles").await;
    let liege = office(store, "Liège").await;
    let ana = person(store, "Ana").await;
    let luc = person(store, "Luc").await;
    let jazz = store
        .propose_activity(&ctx(), &activity("Trio jazz", brussels), ana)
        .await
        .unwrap();
    store
        .propose_activity(&ctx(), &activity("Atelier bois", liege), luc)
        .await
        .unwrap();
    store
        .change_activity_status(&ctx(), jazz.id, ActivityEvent::Validate)
        .await
        .unwrap();
    let count = |f: ActivityFilter| async move {
        store
            .activities(&f, PageRequest::default())
            .await
            .unwrap()
            .total
    };
    assert_eq!(count(ActivityFilter::default()).await, 2);
    assert_eq!(
        count(ActivityFilter {
            holder: Some(ana),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ActivityFilter {
            offices: Some(vec![liege]),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ActivityFilter {
            offices: Some(vec![]),
            ..Default::default()
        })
        .await,
        0
    );
    let active = ActivityFilter {
        status: Some(ActivityStatus::Active),
        ..Default::default()
    };
    assert_eq!(count(active).await, 1);
    let search = ActivityFilter {
        search: Some("JAZZ".into()),
        ..Default::default()
    };
    assert_eq!(count(search).await, 1);
}

pub async fn several_members_hold_one_activity_and_the_last_one_stays(store: &Store) {
    let office = office(store, "Bruxelles").await;
    let ana = person(store, "Ana").await;
    let luc = person(store, "Luc").await;
    let a = store
        .propose_activity(&ctx(), &activity("Duo", office), ana)
        .await
        .unwrap();
    store.add_activity_holder(&ctx(), a.id, luc).await.unwrap();
    let twice = store.add_activity_holder(&ctx(), a.id, luc).await;
    assert!(matches!(
        twice,
        Err(StoreError::Duplicate { field: "holder" })
    ));
    assert_eq!(store.activity_holders(a.id).await.unwrap().len(), 2);
    let both = ActivityFilter {
        holder: Some(luc),
        ..Default::default()
    };
    assert_eq!(
        store
            .activities(&both, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    store
        .remove_activity_holder(&ctx(), a.id, ana)
        .await
        .unwrap();
    let last = store.remove_activity_holder(&ctx(), a.id, luc).await;
    assert!(matches!(last, Err(StoreError::Conflict("last-holder"))));
}

fn company(name: &str, number: &str) -> ruche_domain::client::Client {
    ClientForm {
        kind: "company".into(),
        name: name.into(),
        enterprise_number: number.into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        country: "BE".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

pub async fn a_company_is_in_the_client_directory_once(store: &Store) {
    let c = store
        .save_client(&ctx(), None, &company("Théâtre", "0202239951"))
        .await
        .unwrap();
    assert_eq!(c.peppol_id().as_deref(), Some("0208:0202239951"));
    let dup = store
        .save_client(&ctx(), None, &company("Théâtre bis", "0202.239.951"))
        .await;
    assert!(matches!(
        dup,
        Err(StoreError::Duplicate {
            field: "enterprise_number"
        })
    ));
    let found = store
        .client_by_enterprise_number("0202239951")
        .await
        .unwrap();
    assert_eq!(found.map(|f| f.id), Some(c.id));
    store
        .save_client(
            &ctx(),
            Some(c.id),
            &company("Théâtre National", "0202239951"),
        )
        .await
        .unwrap();
    let consumer = ClientForm {
        kind: "consumer".into(),
        name: "Marie Dupont".into(),
        street: "Rue Basse 2".into(),
        postcode: "4000".into(),
        city: "Liège".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    store.save_client(&ctx(), None, &consumer).await.unwrap();
    let all = store
        .clients(None, None, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(
        store
            .clients(Some("0202.239"), None, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        store
            .clients(Some("national"), None, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    let consumers = store
        .clients(None, Some("consumer"), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(consumers.items[0].name, "Marie Dupont");
}
