//! Employment contracts: the reservation of the employer cost under the budget lock, the
//! salary guarantee's advance, repayment and loss, the work-volume checks, cancelling, pay
//! runs, and the year's hours, FTE and headcount.

use jiff::civil::{Date, date};
use ruche_domain::employment::volume::VolumeFlag;
use ruche_domain::employment::{ContractForm, ContractPay, NewContract};
use ruche_domain::invoicing::{LineInput, VatCategory};
use ruche_domain::ledger::{AccountCode, AccountKind, NewTransaction, Posting, TransactionKind};
use ruche_domain::person::PersonForm;
use ruche_domain::recovery::{EntryKind, NewEntry, RecoveryEvent};
use ruche_store::employment::{ContractFilter, NOTHING_DUE};
use ruche_store::invoices::DraftInvoice;
use ruche_store::quotes::{QuoteDraft, QuoteMail};
use ruche_store::{PageRequest, Store, StoreError};
use rust_decimal::Decimal;

use crate::fixtures::{self, ctx};

const SIGNED_ON: Date = date(2026, 3, 2);

struct Setup {
    entity: i64,
    activity: i64,
    worker: i64,
}

async fn setup(store: &Store) -> Setup {
    let entity = fixtures::cooperative(store).await;
    let office = fixtures::office(store, "Namur").await;
    let person = PersonForm {
        first_name: "Lina".into(),
        last_name: "Maes".into(),
        street: "Rue Haute 1".into(),
        postcode: "5000".into(),
        city: "Namur".into(),
        language: "fr".into(),
        iban: "BE71 0961 2345 6769".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let worker = store.save_person(&ctx(), None, &person).await.unwrap().id;
    let activity = fixtures::activity(store, "Atelier", office, worker, true).await;
    Setup {
        entity,
        activity,
        worker,
    }
}

/// Credits the activity's budget with `cents` (an opening balance).
async fn fund_budget(store: &Store, s: &Setup, cents: i64) {
    let opening = NewTransaction::new(
        TransactionKind::Opening,
        date(2026, 1, 1),
        "opening",
        None,
        vec![
            Posting::debit(AccountCode::EntityBank(s.entity), cents),
            Posting::credit(AccountCode::ActivityBudget(s.activity), cents),
        ],
    )
    .unwrap();
    store.post_transaction(&ctx(), &opening).await.unwrap();
}

fn contract(s: &Setup, from: &str, to: &str, hours: &str, order: Option<i64>) -> NewContract {
    ContractForm {
        worker: s.worker.to_string(),
        kind: "day".into(),
        starts_on: from.into(),
        ends_on: to.into(),
        days: "1".into(),
        hours: hours.into(),
        function: "Animatrice".into(),
        joint_committee: "200".into(),
        pay_basis: "gross".into(),
        amount: "300".into(),
        order_quote: order.map(|o| o.to_string()).unwrap_or_default(),
        ..Default::default()
    }
    .parse(s.activity)
    .unwrap()
}

/// A pay as the simulator would give it (the store keeps what it is given).
fn pay(cost: i64) -> ContractPay {
    ContractPay {
        gross_cents: 30_000,
        net_cents: 24_000,
        employer_cost_cents: cost,
        params_version: "test".into(),
        simulation: None,
    }
}

async fn available(store: &Store, s: &Setup) -> i64 {
    store.available_budget(s.activity).await.unwrap()
}

pub async fn a_contract_beyond_the_budget_is_refused_and_reserves_nothing(store: &Store) {
    let s = setup(store).await;
    fund_budget(store, &s, 40_000).await;
    let refused = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "7", None),
            &pay(40_001),
            SIGNED_ON,
        )
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Conflict("contract-insufficient-budget"))
    ));
    assert_eq!(available(store, &s).await, 40_000);
    let none = store
        .contracts(&ContractFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(none.total, 0);

    // Exactly the budget: signed, the cost reserved.
    let c = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "7", None),
            &pay(40_000),
            SIGNED_ON,
        )
        .await
        .unwrap();
    assert_eq!(c.status, "signed");
    assert_eq!(c.advance_cents, 0);
    // Monday 2 March + 7 working days.
    assert_eq!(c.due_on, "2026-03-11");
    assert_eq!(available(store, &s).await, 0);
    let reserved = store
        .account_balance(&AccountCode::ActivityReserved(s.activity), None)
        .await
        .unwrap();
    assert_eq!(AccountKind::Liability.shown(reserved), 40_000);
    let budget = store.activity_budget(s.activity, Some(2026)).await.unwrap();
    assert_eq!(budget.reserved, 40_000);
}

/// A quote of 1.000,00 € excl. VAT accepted by the client, and its issued invoice.
async fn confirmed_order(store: &Store, s: &Setup) -> (i64, i64) {
    let client = fixtures::company(store, "fr").await;
    let line = LineInput {
        description: "Atelier".into(),
        quantity: Decimal::ONE,
        unit: "C62".into(),
        unit_price: Decimal::from(1000),
        vat_category: VatCategory::S,
        vat_rate_bp: 2100,
    };
    let q = store
        .create_quote(
            &ctx(),
            s.activity,
            &QuoteDraft {
                client_id: client,
                title: "Atelier".into(),
                valid_until: date(2026, 4, 30),
                language: None,
                note: None,
                lines: vec![line.clone()],
            },
            SIGNED_ON,
        )
        .await
        .unwrap();
    let mail =
        |_: &ruche_store::quotes::QuoteRecord, _: &ruche_store::clients::ClientRecord| QuoteMail {
            subject: "Devis".into(),
            body: "lien".into(),
        };
    store
        .send_quote(&ctx(), q.id, "h-guarantee", SIGNED_ON, mail)
        .await
        .unwrap();
    store
        .accept_quote("h-guarantee", "Client", None, SIGNED_ON)
        .await
        .unwrap();
    let draft = store
        .save_invoice_draft(
            &ctx(),
            None,
            &DraftInvoice {
                kind: ruche_domain::invoicing::DocumentKind::Invoice,
                activity_id: s.activity,
                client_id: client,
                entity_id: s.entity,
                quote_id: Some(q.id),
                corrects_invoice_id: None,
                due_days: 30,
                language: ruche_domain::Language::Fr,
                order_reference: Some("BC-7".into()),
                note: None,
                lines: vec![line],
            },
        )
        .await
        .unwrap();
    let issued = store
        .issue_invoice(&ctx(), draft.id, SIGNED_ON)
        .await
        .unwrap();
    (q.id, issued.record.id)
}

pub async fn the_guarantee_advances_a_confirmed_order_and_the_client_repays_it(store: &Store) {
    let s = setup(store).await;
    fund_budget(store, &s, 10_000).await;
    // No order: refused.
    let refused = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "7", None),
            &pay(50_000),
            SIGNED_ON,
        )
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Conflict("contract-insufficient-budget"))
    ));

    let (quote, invoice) = confirmed_order(store, &s).await;
    let c = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "7", Some(quote)),
            &pay(50_000),
            SIGNED_ON,
        )
        .await
        .unwrap();
    // The fund advanced what the budget lacked: 500,00 − 100,00.
    assert_eq!(c.advance_cents, 40_000);
    assert_eq!(available(store, &s).await, 0);
    let fund = store.guarantee_fund().await.unwrap();
    assert_eq!(
        (fund.advances, fund.advanced_cents, fund.outstanding_cents),
        (1, 40_000, 40_000)
    );
    assert_eq!(fund.balance_cents, -40_000);

    // The client pays the invoice (1.210,00): the budget gets 1.000,00 less the contribution
    // (6.5 % by default: 65,00), and the fund is repaid first.
    store
        .record_payment(&ctx(), invoice, 121_000, date(2026, 3, 20), None)
        .await
        .unwrap();
    let fund = store.guarantee_fund().await.unwrap();
    assert_eq!(
        (
            fund.repaid_cents,
            fund.outstanding_cents,
            fund.balance_cents
        ),
        (40_000, 0, 0)
    );
    let advances = store
        .guarantee_advances(Some("repaid"), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(advances.total, 1);
    let budget = store.activity_budget(s.activity, None).await.unwrap();
    assert_eq!(available(store, &s).await, budget.available);
    // 100,00 opening + 400,00 advanced − 500,00 reserved + 1.000,00 paid − contribution
    // − 400,00 repaid.
    assert!(budget.contribution > 0);
    assert_eq!(budget.available, 60_000 - budget.contribution);
}

pub async fn the_fund_bears_the_loss_of_a_written_off_order(store: &Store) {
    let s = setup(store).await;
    let (quote, invoice) = confirmed_order(store, &s).await;
    store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "7", Some(quote)),
            &pay(30_000),
            SIGNED_ON,
        )
        .await
        .unwrap();
    let on = date(2026, 6, 1);
    store
        .open_recovery(&ctx(), invoice, on, None, &[])
        .await
        .unwrap();
    // The stages the law asks before a write-off: no objection, formal notice, bailiff.
    for (event, day) in [
        (RecoveryEvent::NoObjection, 2),
        (RecoveryEvent::SendFormalNotice, 3),
        (RecoveryEvent::HandToBailiff, 20),
    ] {
        let entry = NewEntry {
            kind: EntryKind::Transition(event),
            on: date(2026, 6, day),
            text: None,
            cost_cents: None,
            promised_on: None,
            document: None,
        };
        store
            .record_recovery_entry(&ctx(), invoice, &entry)
            .await
            .unwrap();
    }
    store
        .write_off_invoice(&ctx(), invoice, date(2026, 9, 30), Some("faillite"))
        .await
        .unwrap();
    let fund = store.guarantee_fund().await.unwrap();
    assert_eq!(
        (fund.lost_cents, fund.repaid_cents, fund.outstanding_cents),
        (30_000, 0, 0)
    );
    let lost = store
        .guarantee_advances(Some("lost"), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(lost.total, 1);
    assert_eq!(lost.items[0].lost_cents, 30_000);
}

pub async fn overlapping_contracts_are_flagged_and_a_day_past_eleven_hours_refused(store: &Store) {
    let s = setup(store).await;
    fund_budget(store, &s, 1_000_000).await;
    let first = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "6", None),
            &pay(10_000),
            SIGNED_ON,
        )
        .await
        .unwrap();
    assert!(first.flags().is_empty());
    let second = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "5", None),
            &pay(10_000),
            SIGNED_ON,
        )
        .await
        .unwrap();
    assert_eq!(second.flags(), vec![VolumeFlag::Overlap]);
    let third = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "1", None),
            &pay(10_000),
            SIGNED_ON,
        )
        .await;
    match third {
        Err(StoreError::Refused(e)) => {
            assert_eq!(e.get("hours"), Some("contract-overlap-over-day-limit"))
        }
        other => panic!("{other:?}"),
    }
    // Nothing of the refused one was reserved.
    assert_eq!(available(store, &s).await, 1_000_000 - 20_000);
}

pub async fn cancelling_a_contract_releases_its_reservation_and_the_advance(store: &Store) {
    let s = setup(store).await;
    fund_budget(store, &s, 10_000).await;
    let (quote, _) = confirmed_order(store, &s).await;
    let c = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "7", Some(quote)),
            &pay(25_000),
            SIGNED_ON,
        )
        .await
        .unwrap();
    assert_eq!(c.advance_cents, 15_000);
    let cancelled = store
        .cancel_contract(&ctx(), c.id, SIGNED_ON)
        .await
        .unwrap();
    assert_eq!(cancelled.status, "cancelled");
    assert_eq!(available(store, &s).await, 10_000);
    let fund = store.guarantee_fund().await.unwrap();
    assert_eq!((fund.advances, fund.balance_cents), (0, 0));
    assert!(matches!(
        store.cancel_contract(&ctx(), c.id, SIGNED_ON).await,
        Err(StoreError::Conflict("contract-status"))
    ));
}

pub async fn a_pay_run_pays_the_finished_work_and_holds_workers_without_iban(store: &Store) {
    let s = setup(store).await;
    fund_budget(store, &s, 1_000_000).await;
    let nobody = fixtures::person(store, "Sans").await;
    store
        .add_activity_holder(&ctx(), s.activity, nobody)
        .await
        .unwrap();
    let done = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-02", "2026-03-02", "7", None),
            &pay(40_000),
            SIGNED_ON,
        )
        .await
        .unwrap();
    let mut held = contract(&s, "2026-03-03", "2026-03-03", "7", None);
    held.worker_person_id = nobody;
    let held = store
        .sign_contract(&ctx(), &held, &pay(40_000), SIGNED_ON)
        .await
        .unwrap();
    let later = store
        .sign_contract(
            &ctx(),
            &contract(&s, "2026-03-20", "2026-03-20", "7", None),
            &pay(40_000),
            SIGNED_ON,
        )
        .await
        .unwrap();

    assert!(matches!(
        store
            .create_pay_run(&ctx(), s.entity, date(2026, 3, 1))
            .await,
        Err(StoreError::Conflict(NOTHING_DUE))
    ));
    let outcome = store
        .create_pay_run(&ctx(), s.entity, date(2026, 3, 10))
        .await
        .unwrap();
    assert_eq!(outcome.run.contract_count, 1);
    assert_eq!(outcome.run.net_total_cents, 24_000);
    assert_eq!(outcome.run.employer_cost_total_cents, 40_000);
    assert_eq!(outcome.held.len(), 1);
    assert_eq!(outcome.held[0].contract_id, held.id);
    let paid = store.contract(done.id).await.unwrap();
    assert_eq!(paid.status, "paid");
    assert_eq!(store.contract(later.id).await.unwrap().status, "signed");
    let payout = store.payout(paid.payout_id.unwrap()).await.unwrap();
    assert_eq!(
        (payout.kind.as_str(), payout.amount_cents),
        ("salary", 24_000)
    );
    assert_eq!(payout.requested_on, "2026-03-10");
    let salaries = store
        .account_balance(&AccountCode::SalariesPayable, None)
        .await
        .unwrap();
    let payroll = store
        .account_balance(&AccountCode::PayrollPayable, None)
        .await
        .unwrap();
    assert_eq!((salaries, payroll), (-24_000, -16_000));
    let reserved = store
        .account_balance(&AccountCode::ActivityReserved(s.activity), None)
        .await
        .unwrap();
    assert_eq!(AccountKind::Liability.shown(reserved), 80_000);
    // The salary is in the entity's next SEPA batch.
    let batch = store
        .create_payout_batch(&ctx(), s.entity, date(2026, 3, 10), |draft| {
            assert_eq!(draft.orders.len(), 1);
            Ok("<Document/>".into())
        })
        .await
        .unwrap();
    let run = store
        .set_pay_run_batch(&ctx(), outcome.run.id, batch.id)
        .await
        .unwrap();
    assert_eq!(run.payout_batch_id, Some(batch.id));
}

pub async fn the_year_counts_hours_fte_and_distinct_workers(store: &Store) {
    let s = setup(store).await;
    fund_budget(store, &s, 1_000_000).await;
    for (day, hours) in [
        ("2026-03-02", "7"),
        ("2026-03-09", "8"),
        ("2025-12-01", "5"),
    ] {
        store
            .sign_contract(
                &ctx(),
                &contract(&s, day, day, hours, None),
                &pay(1_000),
                SIGNED_ON,
            )
            .await
            .unwrap();
    }
    let v = store.work_volume(2026).await.unwrap();
    assert_eq!(
        (v.contracts, v.hours(), v.headcount, v.fte()),
        (2, 15, 1, 0)
    );
    assert_eq!(v.by_office.len(), 1);
    assert_eq!(v.by_office[0].2, 2);
    // The DIMONA of the signing day has the three INs.
    let rows = store.dimona_rows(SIGNED_ON, 100).await.unwrap();
    assert_eq!(rows.len(), 3);
}
