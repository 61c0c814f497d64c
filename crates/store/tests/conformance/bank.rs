//! Bank statement imports: idempotent, and paying invoices by their structured communication.

use jiff::civil::date;
use ruche_domain::ledger::AccountCode;
use ruche_store::bank::{
    BankMovementInput, ImportReport, MovementStatus, StatementFormat, StatementInput,
};
use ruche_store::invoices::InvoiceRecord;
use ruche_store::{PageRequest, Store};

use crate::fixtures::ctx;
use crate::invoices::{draft, fixture, line};

const IBAN: &str = "BE68539007547034";

fn movement(reference: &str, amount_cents: i64, ogm: Option<&str>) -> BankMovementInput {
    BankMovementInput {
        bank_reference: reference.into(),
        account_iban: IBAN.into(),
        booked_on: date(2026, 6, 20),
        value_date: Some(date(2026, 6, 20)),
        amount_cents,
        counterparty_name: Some("Client SA".into()),
        counterparty_iban: Some("BE71096123456769".into()),
        ogm: ogm.map(str::to_string),
        free_text: None,
    }
}

fn statement(movements: Vec<BankMovementInput>) -> StatementInput {
    StatementInput {
        format: StatementFormat::Camt053,
        account_iban: IBAN.into(),
        sequence: Some("12".into()),
        opening_cents: Some(0),
        closing_cents: Some(movements.iter().map(|m| m.amount_cents).sum()),
        movements,
    }
}

/// An issued invoice of 1,000.00 € + 21 % VAT.
async fn issued_invoice(store: &Store) -> (crate::invoices::Fixture, InvoiceRecord) {
    let f = fixture(store).await;
    let d = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Concert", 1, 100_000, 2100)]),
        )
        .await
        .unwrap();
    let inv = store
        .issue_invoice(&ctx(), d.id, date(2026, 6, 1))
        .await
        .unwrap()
        .record;
    (f, inv)
}

async fn count(store: &Store, status: Option<MovementStatus>) -> i64 {
    store
        .bank_movements(status, PageRequest::default())
        .await
        .unwrap()
        .total
}

pub async fn importing_the_same_statement_twice_adds_nothing(store: &Store) {
    let s = statement(vec![
        movement("REF-1", 10_000, None),
        movement("REF-2", -2_500, None),
    ]);
    let first = store.import_statement(&ctx(), &s).await.unwrap();
    assert_eq!(
        (
            first.read,
            first.new,
            first.already_known,
            first.matched,
            first.unmatched
        ),
        (2, 2, 0, 0, 2)
    );
    assert!(first.statement_id.is_some());
    let second = store.import_statement(&ctx(), &s).await.unwrap();
    assert_eq!(
        second,
        ImportReport {
            read: 2,
            new: 0,
            already_known: 2,
            matched: 0,
            unmatched: 0,
            statement_id: None,
        }
    );
    assert_eq!(count(store, None).await, 2);
}

pub async fn a_movement_with_the_invoice_ogm_pays_it_and_fills_the_budget(store: &Store) {
    let (f, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    let report = store
        .import_statement(
            &ctx(),
            &statement(vec![movement("PAY-1", 121_000, Some(&ogm))]),
        )
        .await
        .unwrap();
    assert_eq!((report.new, report.matched, report.unmatched), (1, 1, 0));
    let paid = store.invoice(inv.id).await.unwrap();
    assert_eq!((paid.status.as_str(), paid.paid_cents), ("paid", 121_000));
    // Net 1,000.00 € reached the budget, less the 6.5 % contribution.
    assert_eq!(
        store
            .account_balance(&AccountCode::ActivityBudget(f.activity), None)
            .await
            .unwrap(),
        -(100_000 - 6_500)
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::EntityBank(f.entity), None)
            .await
            .unwrap(),
        121_000
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    let payments = store.invoice_payments(inv.id).await.unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].reference.as_deref(), Some("PAY-1"));
    let matched = store
        .bank_movements(Some(MovementStatus::Matched), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(matched.total, 1);
    assert_eq!(matched.items[0].invoice_id, Some(inv.id));
    assert_eq!(matched.items[0].status().unwrap(), MovementStatus::Matched);
    // The same file again pays nothing twice.
    let again = store
        .import_statement(
            &ctx(),
            &statement(vec![movement("PAY-1", 121_000, Some(&ogm))]),
        )
        .await
        .unwrap();
    assert_eq!((again.already_known, again.matched), (1, 0));
    assert_eq!(store.invoice_payments(inv.id).await.unwrap().len(), 1);
}

pub async fn a_movement_with_an_unknown_ogm_stays_unmatched(store: &Store) {
    let (_, inv) = issued_invoice(store).await;
    // A valid OGM that no invoice carries, and an OGM whose check digits are wrong.
    let unknown = ruche_domain::ident::Ogm::for_invoice(2026, 999_999)
        .unwrap()
        .as_str()
        .to_string();
    let report = store
        .import_statement(
            &ctx(),
            &statement(vec![
                movement("U-1", 121_000, Some(&unknown)),
                movement("U-2", 121_000, Some("112455446812")),
            ]),
        )
        .await
        .unwrap();
    assert_eq!((report.new, report.matched, report.unmatched), (2, 0, 2));
    let invoice = store.invoice(inv.id).await.unwrap();
    assert_eq!((invoice.status.as_str(), invoice.paid_cents), ("issued", 0));
    let unmatched = store
        .bank_movements(Some(MovementStatus::Unmatched), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(unmatched.total, 2);
    // The invalid one is not kept as a structured communication.
    let invalid = unmatched
        .items
        .iter()
        .find(|m| m.bank_reference == "U-2")
        .unwrap();
    assert_eq!(invalid.ogm, None);
    assert_eq!(count(store, Some(MovementStatus::Matched)).await, 0);
}

pub async fn an_overlapping_statement_adds_only_the_new_movements(store: &Store) {
    let (_, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    store
        .import_statement(
            &ctx(),
            &statement(vec![movement("A", 1_000, None), movement("B", -500, None)]),
        )
        .await
        .unwrap();
    let report = store
        .import_statement(
            &ctx(),
            &statement(vec![
                movement("B", -500, None),
                movement("C", 121_000, Some(&ogm)),
                movement("D", 700, None),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            report.read,
            report.new,
            report.already_known,
            report.matched,
            report.unmatched
        ),
        (3, 2, 1, 1, 1)
    );
    assert_eq!(count(store, None).await, 4);
    assert_eq!(count(store, Some(MovementStatus::Unmatched)).await, 3);
    assert_eq!(store.invoice(inv.id).await.unwrap().status, "paid");
}
