//! The ledger's stories (DESIGN.md §3): balanced transactions in, balances out, reversals
//! once, nothing edited, nothing lost when several writers post at once.
// Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::{Date, date};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ruche_domain::invoicing::vat::VatCategory;
use ruche_domain::ledger::{
    AccountCode, Journal, LedgerError, NewTransaction, Posting, TransactionKind,
};
use ruche_store::audit::AuditFilter;
use ruche_store::{AuditContext, PageRequest, Store, StoreError};

const CLIENT: AccountCode = AccountCode::ClientReceivable(7);
const VAT: AccountCode = AccountCode::VatPayable {
    category: VatCategory::S,
    rate_bp: 2100,
};
const INVOICED: AccountCode = AccountCode::ActivityInvoiced(12);
const BUDGET: AccountCode = AccountCode::ActivityBudget(12);
const BANK: AccountCode = AccountCode::EntityBank(1);
const CONTRIBUTION: AccountCode = AccountCode::EntityContribution(1);

fn ctx() -> AuditContext {
    AuditContext::system()
}

fn tx(
    kind: TransactionKind,
    on: Date,
    source: Option<(&str, i64)>,
    postings: Vec<Posting>,
) -> NewTransaction {
    let source = source.map(|(t, id)| (t.to_string(), id));
    NewTransaction::new(kind, on, kind.code(), source, postings).unwrap()
}

/// An invoice of `net` + 21 % VAT to client 7 for activity 12.
fn invoice(on: Date, invoice_id: i64, net: i64) -> NewTransaction {
    let vat = net * 21 / 100;
    tx(
        TransactionKind::InvoiceIssued,
        on,
        Some(("invoice", invoice_id)),
        vec![
            Posting::debit(CLIENT, net + vat),
            Posting::credit(VAT, vat),
            Posting::credit(INVOICED, net),
        ],
    )
}

/// The payment of that invoice into entity 1's bank: the net moves from the invoiced memo
/// to the activity's budget.
fn payment(on: Date, invoice_id: i64, net: i64) -> NewTransaction {
    let gross = net + net * 21 / 100;
    tx(
        TransactionKind::PaymentReceived,
        on,
        Some(("invoice", invoice_id)),
        vec![
            Posting::debit(BANK, gross),
            Posting::credit(CLIENT, gross),
            Posting::debit(INVOICED, net),
            Posting::credit(BUDGET, net),
        ],
    )
}

fn contribution(on: Date, cents: i64) -> NewTransaction {
    tx(
        TransactionKind::Contribution,
        on,
        None,
        vec![
            Posting::debit(BUDGET, cents),
            Posting::credit(CONTRIBUTION, cents),
        ],
    )
}

async fn balance(store: &Store, code: AccountCode) -> i64 {
    store.account_balance(&code, None).await.unwrap()
}

/// Every account of the ledger with its balance.
async fn all_balances(store: &Store) -> Vec<(String, i64)> {
    store.balances_with_prefix("").await.unwrap()
}

pub async fn a_balanced_transaction_round_trips_and_balances_follow(store: &Store) {
    let issued = store
        .post_transaction(&ctx(), &invoice(date(2026, 1, 15), 1, 1_000_00))
        .await
        .unwrap();
    assert!(issued.id > 0);
    assert_eq!(issued.kind, TransactionKind::InvoiceIssued);
    assert_eq!(issued.occurred_on, date(2026, 1, 15));
    assert_eq!(issued.memo, "invoice-issued");
    assert_eq!(
        (issued.source_type.as_deref(), issued.source_id),
        (Some("invoice"), Some(1))
    );
    assert_eq!((issued.reverses_id, issued.reversed_by), (None, None));
    assert_eq!(issued.created_by, None);
    assert_eq!(
        issued.postings,
        invoice(date(2026, 1, 15), 1, 1_000_00).postings()
    );
    assert_eq!(store.transaction(issued.id).await.unwrap(), issued);

    assert_eq!(balance(store, CLIENT).await, 1_210_00);
    assert_eq!(balance(store, VAT).await, -210_00);
    assert_eq!(balance(store, INVOICED).await, -1_000_00);
    assert_eq!(store.trial_balance().await.unwrap(), 0);

    store
        .post_transaction(&ctx(), &payment(date(2026, 3, 3), 1, 1_000_00))
        .await
        .unwrap();
    assert_eq!(balance(store, CLIENT).await, 0);
    assert_eq!(balance(store, BANK).await, 1_210_00);
    let at_issue = store
        .account_balance(&CLIENT, Some(date(2026, 1, 15)))
        .await
        .unwrap();
    assert_eq!(at_issue, 1_210_00, "the end of the day of issue counts");
    let before = store
        .account_balance(&CLIENT, Some(date(2026, 1, 14)))
        .await
        .unwrap();
    assert_eq!(before, 0);
    // Shown the way people read it: the budget holds 1.000,00 €.
    assert_eq!(BUDGET.kind().shown(balance(store, BUDGET).await), 1_000_00);

    let activity = store
        .balances_with_prefix(&AccountCode::activity_prefix(12))
        .await
        .unwrap();
    assert_eq!(
        activity,
        [
            ("activity:12:budget".to_string(), -1_000_00),
            ("activity:12:invoiced".to_string(), 0),
        ]
    );
    // A prefix is exact: `activity:1:` is not `activity:12:`, and case counts.
    let other = store.balances_with_prefix("activity:1:").await.unwrap();
    assert!(other.is_empty());
    assert!(store.balances_with_prefix("VAT:").await.unwrap().is_empty());
    assert_eq!(
        store.balances_with_prefix("vat:").await.unwrap(),
        [("vat:payable:S:2100".to_string(), -210_00)]
    );

    let of_invoice = store.transactions_of_source("invoice", 1).await.unwrap();
    let kinds: Vec<_> = of_invoice.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [
            TransactionKind::InvoiceIssued,
            TransactionKind::PaymentReceived
        ]
    );
    assert_eq!(of_invoice[0], issued);
    assert!(
        store
            .transactions_of_source("invoice", 2)
            .await
            .unwrap()
            .is_empty()
    );

    // Every posting is in the audit log.
    let filter = AuditFilter {
        entity_type: Some("ledger_transaction".into()),
        ..Default::default()
    };
    let log = store
        .audit_entries(&filter, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.total, 2);
    assert_eq!(log.items[1].entity_id, Some(issued.id));
    assert!(
        log.items[1]
            .after_json
            .as_deref()
            .unwrap()
            .contains("client:7:receivable")
    );

    assert!(matches!(
        store.transaction(9_999).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(balance(store, AccountCode::Suspense).await, 0);
}

pub async fn an_unbalanced_transaction_is_refused_and_nothing_is_written(store: &Store) {
    let unbalanced = NewTransaction::new(
        TransactionKind::Contribution,
        date(2026, 2, 1),
        "",
        None,
        vec![
            Posting::debit(BUDGET, 100),
            Posting::credit(CONTRIBUTION, 99),
        ],
    );
    assert_eq!(unbalanced, Err(LedgerError::Unbalanced(1)));

    // A reversal is only written as the reversal of a stored transaction.
    let stray = contribution(date(2026, 2, 1), 100).reversal(date(2026, 2, 2));
    assert!(matches!(
        store.post_transaction(&ctx(), &stray).await,
        Err(StoreError::Conflict(_))
    ));

    // A failure after the accounts were created (an unknown author) rolls everything back,
    // the accounts created on first use included.
    let ghost = AuditContext::account(9_999, None);
    let err = store
        .post_transaction(&ghost, &contribution(date(2026, 2, 1), 100))
        .await;
    assert!(matches!(err, Err(StoreError::Database(_))), "{err:?}");

    assert!(all_balances(store).await.is_empty());
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    let filter = AuditFilter {
        entity_type: Some("ledger_transaction".into()),
        ..Default::default()
    };
    let log = store.audit_entries(&filter, PageRequest::default()).await;
    assert_eq!(log.unwrap().total, 0);
}

pub async fn the_journal_is_append_only_and_checked_on_reading(store: &Store) {
    let posted = store
        .post_transaction(&ctx(), &contribution(date(2026, 2, 1), 80_00))
        .await
        .unwrap();
    for sql in [
        "UPDATE ledger_postings SET amount_cents = 1",
        "DELETE FROM ledger_postings",
        "UPDATE ledger_transactions SET memo = 'edited'",
        "DELETE FROM ledger_transactions",
    ] {
        assert!(store.execute_admin(sql).await.is_err(), "{sql} was allowed");
    }
    assert_eq!(store.transaction(posted.id).await.unwrap(), posted);
    assert_eq!(balance(store, CONTRIBUTION).await, -80_00);

    // A posting slipped in behind the store's back unbalances the transaction: reading it
    // back says so (DESIGN.md §3), and so does the trial balance.
    for sql in [
        "INSERT INTO ledger_accounts (code, kind, created_at) VALUES ('suspense', 'asset', 0)",
        "INSERT INTO ledger_postings (transaction_id, account_id, amount_cents, occurred_on) \
         VALUES ((SELECT MAX(id) FROM ledger_transactions), \
         (SELECT id FROM ledger_accounts WHERE code = 'suspense'), 1, \
         (SELECT occurred_on FROM ledger_transactions ORDER BY id DESC LIMIT 1))",
    ] {
        store.execute_admin(sql).await.unwrap();
    }
    let tampered = store.transaction(posted.id).await;
    assert!(
        matches!(tampered, Err(StoreError::Corrupt(_))),
        "{tampered:?}"
    );
    assert_eq!(store.trial_balance().await.unwrap(), 1);
    let reversal = store
        .reverse_transaction(&ctx(), posted.id, date(2026, 2, 2))
        .await;
    assert!(matches!(reversal, Err(StoreError::Corrupt(_))));
}

/// Migration 0034: every posting carries its transaction's date, and the period sums read
/// it. A balanced pair slipped in with another date is caught on reading, and the sums by
/// period count each posting on its transaction's date.
pub async fn postings_carry_their_transactions_date(store: &Store) {
    let posted = store
        .post_transaction(&ctx(), &contribution(date(2026, 3, 31), 40_00))
        .await
        .unwrap();
    store
        .post_transaction(&ctx(), &contribution(date(2026, 4, 1), 2_00))
        .await
        .unwrap();
    let march = store
        .account_movements_by_month(&CONTRIBUTION, 2026)
        .await
        .unwrap();
    assert_eq!(march[2], (3, 0, 40_00));
    assert_eq!(march[3], (4, 0, 2_00));
    assert_eq!(
        store
            .account_balance(&CONTRIBUTION, Some(date(2026, 3, 31)))
            .await
            .unwrap(),
        -40_00
    );
    assert!(store.transaction(posted.id).await.is_ok());

    // A balanced pair slipped in behind the store's back, dated otherwise: reading the
    // transaction back says so (its postings no longer carry its date).
    for (account, cents) in [
        (AccountCode::ActivityBudget(77), 1),
        (AccountCode::ActivityInvoiced(77), -1),
    ] {
        for sql in [
            format!(
                "INSERT INTO ledger_accounts (code, kind, created_at) VALUES ('{account}', '{}', 0)",
                account.kind().code()
            ),
            format!(
                "INSERT INTO ledger_postings (transaction_id, account_id, amount_cents, occurred_on) \
                 SELECT {}, id, {cents}, '2026-01-01' FROM ledger_accounts WHERE code = '{account}'",
                posted.id
            ),
        ] {
            store.execute_admin(&sql).await.unwrap();
        }
    }
    let misdated = store.transaction(posted.id).await;
    assert!(
        matches!(&misdated, Err(StoreError::Corrupt(e)) if e.contains("dated")),
        "{misdated:?}"
    );
}

pub async fn a_reversal_zeroes_balances_and_is_made_once(store: &Store) {
    let issued = store
        .post_transaction(&ctx(), &invoice(date(2026, 1, 15), 1, 500_00))
        .await
        .unwrap();
    let paid = store
        .post_transaction(&ctx(), &payment(date(2026, 2, 1), 1, 500_00))
        .await
        .unwrap();

    let reversal = store
        .reverse_transaction(&ctx(), issued.id, date(2026, 2, 10))
        .await
        .unwrap();
    assert_eq!(reversal.kind, TransactionKind::Reversal);
    assert_eq!(reversal.reverses_id, Some(issued.id));
    assert_eq!(reversal.occurred_on, date(2026, 2, 10));
    assert_eq!(
        (reversal.memo.as_str(), reversal.source_id),
        ("invoice-issued", Some(1))
    );
    let mirrored: Vec<Posting> = issued.postings.iter().map(|p| p.mirrored()).collect();
    assert_eq!(reversal.postings, mirrored);
    assert_eq!(
        store.transaction(issued.id).await.unwrap().reversed_by,
        Some(reversal.id)
    );

    let again = store
        .reverse_transaction(&ctx(), issued.id, date(2026, 2, 11))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let of_reversal = store
        .reverse_transaction(&ctx(), reversal.id, date(2026, 2, 11))
        .await;
    assert!(matches!(of_reversal, Err(StoreError::Conflict(_))));
    assert!(matches!(
        store
            .reverse_transaction(&ctx(), 9_999, date(2026, 2, 11))
            .await,
        Err(StoreError::NotFound)
    ));
    let too_old = store
        .reverse_transaction(&ctx(), paid.id, date(1899, 12, 31))
        .await;
    assert!(matches!(too_old, Err(StoreError::Conflict(_))));

    store
        .reverse_transaction(&ctx(), paid.id, date(2026, 2, 10))
        .await
        .unwrap();
    let balances = all_balances(store).await;
    assert_eq!(balances.len(), 5);
    assert!(balances.iter().all(|(_, b)| *b == 0), "{balances:?}");
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    // Before the reversals, the balances were there.
    let before = store
        .account_balance(&BANK, Some(date(2026, 2, 9)))
        .await
        .unwrap();
    assert_eq!(before, 605_00);
    assert_eq!(
        store
            .transactions_of_source("invoice", 1)
            .await
            .unwrap()
            .len(),
        4
    );

    // Two reversals of the same transaction at once: one is written, the other refused.
    let fee = store
        .post_transaction(&ctx(), &contribution(date(2026, 3, 1), 5_00))
        .await
        .unwrap();
    let mut racers = Vec::new();
    for _ in 0..2 {
        let store = store.clone();
        racers.push(tokio::spawn(async move {
            store
                .reverse_transaction(&ctx(), fee.id, date(2026, 3, 2))
                .await
        }));
    }
    let mut written = 0;
    for racer in racers {
        match racer.await.unwrap() {
            Ok(_) => written += 1,
            Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(written, 1);
    assert_eq!(balance(store, CONTRIBUTION).await, 0);
}

pub async fn the_trial_balance_stays_zero_over_200_random_postings(store: &Store) {
    let mut rng = StdRng::seed_from_u64(2026);
    // The in-memory journal of the domain is the oracle; `ids[i]` is the stored id of its
    // transaction `i`.
    let mut journal = Journal::new();
    let mut ids: Vec<i64> = Vec::new();
    let start = date(2026, 1, 1);
    for step in 0..200 {
        let on = start
            .checked_add(jiff::Span::new().days(rng.random_range(0..365)))
            .unwrap();
        let activity = rng.random_range(1..4);
        let cents = rng.random_range(1..10_000_000);
        if step % 10 == 9 && !journal.is_empty() {
            // Now and then, reverse a random transaction; refused when the journal refuses.
            let i = rng.random_range(0..journal.len());
            let expected = journal.reverse(i, on);
            let stored = store.reverse_transaction(&ctx(), ids[i], on).await;
            match (expected, stored) {
                (Ok(_), Ok(r)) => ids.push(r.id),
                (Err(_), Err(StoreError::Conflict(_))) => {}
                (e, s) => panic!("journal {e:?}, store {s:?}"),
            }
        } else {
            let new = match rng.random_range(0..4) {
                0 => invoice(on, step, cents),
                1 => payment(on, step, cents),
                2 => contribution(on, cents),
                _ => tx(
                    TransactionKind::WorkReserved,
                    on,
                    None,
                    vec![
                        Posting::debit(AccountCode::ActivityBudget(activity), cents),
                        Posting::credit(AccountCode::ActivityReserved(activity), cents),
                    ],
                ),
            };
            journal.post(new.clone()).unwrap();
            ids.push(store.post_transaction(&ctx(), &new).await.unwrap().id);
        }
        assert_eq!(store.trial_balance().await.unwrap(), 0, "after step {step}");
    }
    let stored = all_balances(store).await;
    let expected: Vec<(String, i64)> = journal
        .balances()
        .into_iter()
        .map(|(code, b)| (code.to_string(), b))
        .collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(stored, expected_sorted);
    let mid_year = date(2026, 6, 30);
    for (code, _) in &expected {
        let code = AccountCode::parse(code).unwrap();
        assert_eq!(
            store.account_balance(&code, Some(mid_year)).await.unwrap(),
            journal.balance_until(code, mid_year),
            "{code}"
        );
    }
}

pub async fn monthly_movements_and_totals_by_kind_are_right(store: &Store) {
    for new in [
        invoice(date(2025, 12, 31), 1, 100_00),
        payment(date(2026, 1, 1), 1, 100_00),
        invoice(date(2026, 1, 15), 2, 1_000_00),
        payment(date(2026, 3, 3), 2, 1_000_00),
        contribution(date(2026, 3, 31), 80_00),
        contribution(date(2026, 12, 31), 8_00),
        contribution(date(2027, 1, 1), 1_00),
    ] {
        store.post_transaction(&ctx(), &new).await.unwrap();
    }
    let late = store
        .post_transaction(&ctx(), &contribution(date(2026, 12, 1), 2_00))
        .await
        .unwrap();
    store
        .reverse_transaction(&ctx(), late.id, date(2026, 12, 2))
        .await
        .unwrap();

    let months = store
        .account_movements_by_month(&BUDGET, 2026)
        .await
        .unwrap();
    assert_eq!(months.len(), 12);
    let m = |month: u8, debit: i64, credit: i64| (month, debit, credit);
    assert_eq!(months[0], m(1, 0, 100_00));
    assert_eq!(months[1], m(2, 0, 0));
    assert_eq!(months[2], m(3, 80_00, 1_000_00));
    assert_eq!(months[11], m(12, 8_00 + 2_00, 2_00));
    let debits: i64 = months.iter().map(|(_, debit, _)| debit).sum();
    assert_eq!(debits, 90_00);
    assert_eq!(
        store
            .account_movements_by_month(&BUDGET, 2025)
            .await
            .unwrap()
            .iter()
            .map(|(_, _, credit)| credit)
            .sum::<i64>(),
        0
    );
    let invoiced_2025 = store
        .account_movements_by_month(&INVOICED, 2025)
        .await
        .unwrap();
    assert_eq!(invoiced_2025[11], m(12, 0, 100_00));
    let nothing = store.account_movements_by_month(&BUDGET, 1500).await;
    assert_eq!(
        nothing.unwrap(),
        (1..=12).map(|i| m(i, 0, 0)).collect::<Vec<_>>()
    );

    let t = |kind: TransactionKind, debit: i64, credit: i64| (kind, debit, credit);
    let budget_2026 = store
        .account_totals_by_kind(&BUDGET, Some(date(2026, 1, 1)), Some(date(2026, 12, 31)))
        .await
        .unwrap();
    assert_eq!(
        budget_2026,
        [
            t(TransactionKind::Contribution, 90_00, 0),
            t(TransactionKind::PaymentReceived, 0, 1_100_00),
            t(TransactionKind::Reversal, 0, 2_00),
        ]
    );
    let invoiced_all = store
        .account_totals_by_kind(&INVOICED, None, None)
        .await
        .unwrap();
    assert_eq!(
        invoiced_all,
        [
            t(TransactionKind::InvoiceIssued, 0, 1_100_00),
            t(TransactionKind::PaymentReceived, 1_100_00, 0),
        ]
    );
    let since_march = store
        .account_totals_by_kind(&BUDGET, Some(date(2026, 3, 4)), None)
        .await
        .unwrap();
    assert_eq!(
        since_march,
        [
            t(TransactionKind::Contribution, 80_00 + 8_00 + 2_00 + 1_00, 0),
            t(TransactionKind::Reversal, 0, 2_00),
        ]
    );
    assert!(
        store
            .account_totals_by_kind(&AccountCode::Suspense, None, None)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn an_account_statement_is_paged_newest_first_with_its_running_balance(store: &Store) {
    // Posted out of date order: the statement follows the dates.
    let march = store
        .post_transaction(&ctx(), &payment(date(2026, 3, 1), 1, 100_00))
        .await
        .unwrap();
    let january = store
        .post_transaction(&ctx(), &payment(date(2026, 1, 1), 2, 200_00))
        .await
        .unwrap();
    let february = store
        .post_transaction(&ctx(), &payment(date(2026, 2, 1), 3, 300_00))
        .await
        .unwrap();
    let reversal = store
        .reverse_transaction(&ctx(), february.id, date(2026, 3, 1))
        .await
        .unwrap();
    store
        .post_transaction(&ctx(), &contribution(date(2026, 4, 1), 1_00))
        .await
        .unwrap();

    let first = store
        .transactions_of_account(&BANK, PageRequest::new(1, 3))
        .await
        .unwrap();
    assert_eq!(first.total, 4, "the contribution does not touch the bank");
    let ids: Vec<i64> = first.items.iter().map(|e| e.transaction_id).collect();
    assert_eq!(ids, [reversal.id, march.id, february.id]);
    assert_eq!(first.items[0].amount_cents, -363_00);
    assert_eq!(first.items[0].reverses_id, Some(february.id));
    assert_eq!(first.items[2].reversed_by, Some(reversal.id));
    // Running balance in date order: 242 (Jan), 605 (Feb), 726 (Mar), 363 (reversal).
    let running: Vec<i64> = first.items.iter().map(|e| e.balance_after_cents).collect();
    assert_eq!(running, [363_00, 726_00, 605_00]);

    let second = store
        .transactions_of_account(&BANK, PageRequest::new(2, 3))
        .await
        .unwrap();
    assert_eq!((second.total, second.items.len()), (4, 1));
    assert_eq!(second.items[0].transaction_id, january.id);
    assert_eq!(second.items[0].occurred_on, date(2026, 1, 1));
    assert_eq!(second.items[0].kind, TransactionKind::PaymentReceived);
    assert_eq!(second.items[0].balance_after_cents, 242_00);
    assert_eq!(
        first.items[0].balance_after_cents,
        balance(store, BANK).await
    );

    // A page past the end is empty and still says how many entries there are.
    let past = store
        .transactions_of_account(&BANK, PageRequest::new(3, 3))
        .await
        .unwrap();
    assert_eq!((past.total, past.items.len()), (4, 0));

    let none = store
        .transactions_of_account(&AccountCode::Suspense, PageRequest::default())
        .await
        .unwrap();
    assert_eq!((none.total, none.items.len()), (0, 0));
}

pub async fn concurrent_postings_on_the_same_accounts_lose_nothing(store: &Store) {
    const TASKS: i64 = 4;
    const EACH: i64 = 25;
    // The accounts do not exist yet: the first postings also race to create them.
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut posted = 0;
            for n in 0..EACH {
                let cents = 1_00 + task * 1_000 + n;
                let new = tx(
                    TransactionKind::PaymentReceived,
                    date(2026, 5, 1),
                    Some(("bank-line", task * EACH + n + 1)),
                    vec![
                        Posting::debit(BANK, cents),
                        Posting::credit(BUDGET, cents - 1),
                        Posting::credit(AccountCode::Suspense, 1),
                    ],
                );
                store.post_transaction(&ctx(), &new).await.unwrap();
                posted += cents;
            }
            posted
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    assert_eq!(balance(store, BANK).await, total);
    assert_eq!(balance(store, BUDGET).await, -(total - TASKS * EACH));
    assert_eq!(balance(store, AccountCode::Suspense).await, -(TASKS * EACH));
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    let statement = store
        .transactions_of_account(&BANK, PageRequest::new(1, 1))
        .await
        .unwrap();
    assert_eq!(statement.total, TASKS * EACH);
    assert_eq!(
        all_balances(store).await.len(),
        3,
        "each account created once"
    );
}
