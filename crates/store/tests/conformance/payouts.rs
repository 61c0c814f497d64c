//! Payout orders and their SEPA batches: created pending with a unique end-to-end id, taken
//! once into a kept file, cancelled only while pending, paid once with their ledger
//! transaction.
//!
//! The store does not know the formats crate: the batches here are written by a small
//! writer of the test's own, which lists what it was given, so that the stories check what
//! the store hands the writer and keeps.

use jiff::civil::{Date, date};
use ruche_domain::group::LegalEntityForm;
use ruche_domain::ledger::{AccountCode, TransactionKind};
use ruche_domain::payout::{NewPayout, PayoutKind, PayoutRequest, PayoutStatus};
use ruche_store::audit::AuditFilter;
use ruche_store::payouts::{
    NOTHING_PENDING, PayoutBatchDraft, PayoutFilter, REFUSED_FILE, REFUSED_STATUS,
};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{cooperative, ctx};

fn order(entity_id: i64, kind: &str, cents: i64, requested_on: &str) -> NewPayout {
    PayoutRequest {
        kind: kind.into(),
        entity_id,
        beneficiary_name: "Hélène Dubois".into(),
        iban: "BE71096123456769".into(),
        street: Some("Rue Basse".into()),
        building_number: Some("2".into()),
        postcode: Some("4000".into()),
        town: "Liège".into(),
        country: "BE".into(),
        amount_cents: cents,
        remittance: Some("Remboursement".into()),
        requested_on: requested_on.into(),
        ..PayoutRequest::default()
    }
    .parse()
    .unwrap()
}

/// A second legal entity (the training entity of the group).
async fn training_entity(store: &Store) -> i64 {
    let entity = LegalEntityForm {
        name: "Ruche Formation".into(),
        legal_form: "ASBL".into(),
        street: "Rue Haute 3".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        enterprise_number: "0403170701".into(),
        vat_number: "".into(),
        iban: "BE62510007547061".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .unwrap();
    store
        .save_legal_entity(&ctx(), None, &entity)
        .await
        .unwrap()
        .id
}

/// The test's writer: one line per order, `kind end-to-end-id cents`, under the message id.
fn listing(draft: &PayoutBatchDraft) -> Result<String, String> {
    let mut out = format!(
        "{} {} {}\n",
        draft.message_id, draft.entity.iban, draft.execution_date
    );
    for o in &draft.orders {
        out.push_str(&format!(
            "{} {} {}\n",
            o.kind,
            o.end_to_end_id.as_deref().unwrap_or("?"),
            o.amount_cents
        ));
    }
    Ok(out)
}

async fn status_of(store: &Store, id: i64) -> PayoutStatus {
    store.payout(id).await.unwrap().status().unwrap()
}

const BATCH_DAY: fn() -> Date = || date(2026, 11, 30);

pub async fn a_payout_is_created_pending_with_a_unique_end_to_end_id_and_audited(store: &Store) {
    let entity = cooperative(store).await;
    let a = store
        .create_payout(&ctx(), &order(entity, "expense", 4_250, "2026-11-30"))
        .await
        .unwrap();
    let b = store
        .create_payout(&ctx(), &order(entity, "refund", 1_000, "2026-11-30"))
        .await
        .unwrap();
    assert_eq!(a.status().unwrap(), PayoutStatus::Pending);
    assert_eq!(a.ledger_account().unwrap(), AccountCode::ExpensesPayable);
    assert_eq!(b.ledger_account().unwrap(), AccountCode::Suspense);
    assert_eq!(a.town, "Liège");
    assert_ne!(a.end_to_end_id, b.end_to_end_id);
    let found = store
        .find_payout_by_end_to_end(a.end_to_end().unwrap())
        .await
        .unwrap();
    assert_eq!(found, Some(a.clone()));
    assert_eq!(
        store
            .find_payout_by_end_to_end("RUCHE-PO-999999")
            .await
            .unwrap(),
        None
    );

    // An unknown paying entity, or an unknown person, writes nothing.
    let unknown = store
        .create_payout(&ctx(), &order(entity + 100, "expense", 1, "2026-11-30"))
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)));
    let mut with_person = order(entity, "expense", 1, "2026-11-30");
    with_person.person_id = Some(987_654);
    assert!(matches!(
        store.create_payout(&ctx(), &with_person).await,
        Err(StoreError::Conflict(_))
    ));
    let all = store
        .payouts(&PayoutFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 2);

    let audit = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("payout".into()),
                entity_id: Some(a.id),
                ..AuditFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(audit.total, 1);
    assert_eq!(audit.items[0].action, "create");
}

pub async fn a_batch_takes_the_due_pending_orders_of_its_entity_once_and_keeps_its_file(
    store: &Store,
) {
    let entity = cooperative(store).await;
    let other = training_entity(store).await;
    let refund = store
        .create_payout(&ctx(), &order(entity, "refund", 30_050, "2026-11-20"))
        .await
        .unwrap();
    let salary = store
        .create_payout(&ctx(), &order(entity, "salary", 185_000, "2026-11-30"))
        .await
        .unwrap();
    let later = store
        .create_payout(&ctx(), &order(entity, "expense", 700, "2026-12-15"))
        .await
        .unwrap();
    let cancelled = store
        .create_payout(&ctx(), &order(entity, "expense", 800, "2026-11-30"))
        .await
        .unwrap();
    store.cancel_payout(&ctx(), cancelled.id).await.unwrap();
    let elsewhere = store
        .create_payout(&ctx(), &order(other, "expense", 900, "2026-11-30"))
        .await
        .unwrap();

    let batch = store
        .create_payout_batch(&ctx(), entity, BATCH_DAY(), listing)
        .await
        .unwrap();
    assert_eq!(batch.entity_id, entity);
    assert_eq!(batch.execution_date, "2026-11-30");
    assert_eq!(batch.transaction_count, 2);
    assert_eq!(batch.total_cents, 215_050);
    let (message_id, xml) = store.payout_batch_xml(batch.id).await.unwrap();
    assert_eq!(Some(message_id.clone()), batch.message_id);
    // Salaries first, whatever the order of creation; the entity's IBAN is the debtor's.
    assert_eq!(
        xml,
        format!(
            "{message_id} BE68539007547034 2026-11-30\nsalary {} 185000\nrefund {} 30050\n",
            salary.end_to_end().unwrap(),
            refund.end_to_end().unwrap()
        )
    );
    assert_eq!(batch.sha256.len(), 64);
    // A second download gives the same bytes.
    assert_eq!(store.payout_batch_xml(batch.id).await.unwrap().1, xml);

    assert_eq!(status_of(store, salary.id).await, PayoutStatus::Batched);
    assert_eq!(status_of(store, refund.id).await, PayoutStatus::Batched);
    assert_eq!(
        store.payout(refund.id).await.unwrap().batch_id,
        Some(batch.id)
    );
    assert_eq!(status_of(store, later.id).await, PayoutStatus::Pending);
    assert_eq!(
        status_of(store, cancelled.id).await,
        PayoutStatus::Cancelled
    );
    assert_eq!(status_of(store, elsewhere.id).await, PayoutStatus::Pending);

    // Nothing is taken twice.
    let again = store
        .create_payout_batch(&ctx(), entity, BATCH_DAY(), listing)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(c)) if c == NOTHING_PENDING));
    let of_batch = store
        .payouts(
            &PayoutFilter {
                batch_id: Some(batch.id),
                ..PayoutFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(of_batch.total, 2);
    let batches = store
        .payout_batches(Some(entity), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(batches.items, vec![batch.clone()]);
    assert_eq!(
        store
            .payout_batches(Some(other), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        store.payout_batch_xml(batch.id + 1).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn a_refused_file_writes_nothing(store: &Store) {
    let entity = cooperative(store).await;
    let p = store
        .create_payout(&ctx(), &order(entity, "expense", 4_250, "2026-11-30"))
        .await
        .unwrap();
    let refused = store
        .create_payout_batch(&ctx(), entity, BATCH_DAY(), |_| Err("no town".to_string()))
        .await;
    assert!(matches!(refused, Err(StoreError::Conflict(c)) if c == REFUSED_FILE));
    assert_eq!(status_of(store, p.id).await, PayoutStatus::Pending);
    assert_eq!(
        store
            .payout_batches(None, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    // The same orders go into the next batch.
    let batch = store
        .create_payout_batch(&ctx(), entity, BATCH_DAY(), listing)
        .await
        .unwrap();
    assert_eq!(batch.transaction_count, 1);
}

pub async fn only_a_pending_payout_is_cancelled(store: &Store) {
    let entity = cooperative(store).await;
    let pending = store
        .create_payout(&ctx(), &order(entity, "refund", 500, "2026-11-30"))
        .await
        .unwrap();
    let cancelled = store.cancel_payout(&ctx(), pending.id).await.unwrap();
    assert_eq!(cancelled.status().unwrap(), PayoutStatus::Cancelled);
    assert!(matches!(
        store.cancel_payout(&ctx(), pending.id).await,
        Err(StoreError::Conflict(c)) if c == REFUSED_STATUS
    ));
    let batched = store
        .create_payout(&ctx(), &order(entity, "refund", 600, "2026-11-30"))
        .await
        .unwrap();
    store
        .create_payout_batch(&ctx(), entity, BATCH_DAY(), listing)
        .await
        .unwrap();
    assert!(matches!(
        store.cancel_payout(&ctx(), batched.id).await,
        Err(StoreError::Conflict(c)) if c == REFUSED_STATUS
    ));
    assert_eq!(status_of(store, batched.id).await, PayoutStatus::Batched);
    assert!(matches!(
        store.cancel_payout(&ctx(), 424_242).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn a_paid_payout_posts_its_ledger_transaction_once(store: &Store) {
    let entity = cooperative(store).await;
    let salary = store
        .create_payout(&ctx(), &order(entity, "salary", 185_000, "2026-11-30"))
        .await
        .unwrap();
    let refund = store
        .create_payout(&ctx(), &order(entity, "refund", 30_050, "2026-11-30"))
        .await
        .unwrap();
    // Not in a file yet: the bank cannot have paid it.
    assert!(matches!(
        store.mark_payout_paid(&ctx(), salary.id, date(2026, 12, 1), Some("B1")).await,
        Err(StoreError::Conflict(c)) if c == REFUSED_STATUS
    ));
    store
        .create_payout_batch(&ctx(), entity, BATCH_DAY(), listing)
        .await
        .unwrap();

    let found = store
        .find_payout_by_end_to_end(salary.end_to_end().unwrap())
        .await
        .unwrap()
        .unwrap();
    let paid = store
        .mark_payout_paid(&ctx(), found.id, date(2026, 12, 1), Some("B1"))
        .await
        .unwrap();
    assert_eq!(paid.status().unwrap(), PayoutStatus::Paid);
    assert_eq!(paid.paid_on.as_deref(), Some("2026-12-01"));
    assert_eq!(paid.bank_reference.as_deref(), Some("B1"));
    let posted = store
        .transactions_of_source("payout", salary.id)
        .await
        .unwrap();
    assert_eq!(posted.len(), 1);
    assert_eq!(Some(posted[0].id), paid.ledger_transaction_id);
    assert_eq!(posted[0].kind, TransactionKind::SalaryPaid);
    assert_eq!(
        store
            .account_balance(&AccountCode::SalariesPayable, None)
            .await
            .unwrap(),
        185_000
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::EntityBank(entity), None)
            .await
            .unwrap(),
        -185_000
    );

    // Paid once: a second statement line with the same id changes nothing.
    assert!(matches!(
        store.mark_payout_paid(&ctx(), salary.id, date(2026, 12, 2), Some("B2")).await,
        Err(StoreError::Conflict(c)) if c == REFUSED_STATUS
    ));
    assert_eq!(
        store
            .transactions_of_source("payout", salary.id)
            .await
            .unwrap()
            .len(),
        1
    );

    store
        .mark_payout_paid(&ctx(), refund.id, date(2026, 12, 1), None)
        .await
        .unwrap();
    let refund_tx = store
        .transactions_of_source("payout", refund.id)
        .await
        .unwrap();
    assert_eq!(refund_tx[0].kind, TransactionKind::PaymentSent);
    assert_eq!(
        store
            .account_balance(&AccountCode::Suspense, None)
            .await
            .unwrap(),
        30_050
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::EntityBank(entity), None)
            .await
            .unwrap(),
        -215_050
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
}

pub async fn payouts_are_listed_by_entity_status_and_kind_with_paging(store: &Store) {
    let entity = cooperative(store).await;
    let other = training_entity(store).await;
    for i in 0..5 {
        store
            .create_payout(&ctx(), &order(entity, "expense", 100 + i, "2026-11-30"))
            .await
            .unwrap();
    }
    store
        .create_payout(&ctx(), &order(entity, "refund", 50, "2026-11-30"))
        .await
        .unwrap();
    store
        .create_payout(&ctx(), &order(other, "expense", 60, "2026-11-30"))
        .await
        .unwrap();
    let page = store
        .payouts(
            &PayoutFilter {
                entity_id: Some(entity),
                kind: Some(PayoutKind::Expense),
                ..PayoutFilter::default()
            },
            PageRequest::new(2, 2),
        )
        .await
        .unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(page.pages(), 3);
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].amount_cents, 102);
    let pending = store
        .payouts(
            &PayoutFilter {
                status: Some(PayoutStatus::Pending),
                ..PayoutFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(pending.total, 7);
    let paid = store
        .payouts(
            &PayoutFilter {
                status: Some(PayoutStatus::Paid),
                ..PayoutFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(paid.total, 0);
}
