//! Budgets and internal trades, on both engines: every figure of a budget is the sum of the
//! postings behind it, and an internal trade moves its amount once, or nothing at all.
// Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::{Date, date};
use ruche_domain::activity::ActivityEvent;
use ruche_domain::budget::internal_trade::{NewTrade, SOURCE_TYPE, TradeStatus};
use ruche_domain::invoicing::vat::VatCategory;
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_store::audit::AuditFilter;
use ruche_store::internal_trades::{
    InternalTradeFilter, REFUSED_INSUFFICIENT_BUDGET, REFUSED_NOT_ACTIVE, REFUSED_STATUS,
};
use ruche_store::{PageRequest, Store, StoreError};

const BANK: AccountCode = AccountCode::EntityBank(1);
const CONTRIBUTION: AccountCode = AccountCode::EntityContribution(1);
const CLIENT: AccountCode = AccountCode::ClientReceivable(7);
const VAT: AccountCode = AccountCode::VatPayable {
    category: VatCategory::S,
    rate_bp: 2100,
};

use crate::fixtures::{self, ctx};

/// An office, a holder and `names.len()` activities, validated unless their name starts
/// with `proposed`.
async fn activities(store: &Store, names: &[&str]) -> Vec<i64> {
    let office = fixtures::office(store, "Bruxelles").await;
    let holder = fixtures::person(store, "Ana").await;
    let mut ids = Vec::new();
    for name in names {
        let active = !name.starts_with("proposed");
        ids.push(fixtures::activity(store, name, office, holder, active).await);
    }
    ids
}

fn tx(kind: TransactionKind, on: Date, postings: Vec<Posting>) -> NewTransaction {
    NewTransaction::new(kind, on, kind.code(), None, postings).unwrap()
}

/// The postings of the posting scheme for activity `a`, net amounts in cents.
struct Scheme {
    a: i64,
}

impl Scheme {
    fn budget(&self) -> AccountCode {
        AccountCode::ActivityBudget(self.a)
    }

    fn invoiced(&self) -> AccountCode {
        AccountCode::ActivityInvoiced(self.a)
    }

    fn invoice(&self, on: Date, net: i64) -> NewTransaction {
        let vat = net * 21 / 100;
        tx(
            TransactionKind::InvoiceIssued,
            on,
            vec![
                Posting::debit(CLIENT, net + vat),
                Posting::credit(VAT, vat),
                Posting::credit(self.invoiced(), net),
            ],
        )
    }

    fn credit_note(&self, on: Date, net: i64) -> NewTransaction {
        let vat = net * 21 / 100;
        tx(
            TransactionKind::CreditNoteIssued,
            on,
            vec![
                Posting::credit(CLIENT, net + vat),
                Posting::debit(VAT, vat),
                Posting::debit(self.invoiced(), net),
            ],
        )
    }

    fn payment(&self, on: Date, net: i64) -> NewTransaction {
        let gross = net + net * 21 / 100;
        tx(
            TransactionKind::PaymentReceived,
            on,
            vec![
                Posting::debit(BANK, gross),
                Posting::credit(CLIENT, gross),
                Posting::debit(self.invoiced(), net),
                Posting::credit(self.budget(), net),
            ],
        )
    }

    fn contribution(&self, on: Date, cents: i64) -> NewTransaction {
        tx(
            TransactionKind::Contribution,
            on,
            vec![
                Posting::debit(self.budget(), cents),
                Posting::credit(CONTRIBUTION, cents),
            ],
        )
    }

    fn work(&self, on: Date, cents: i64) -> NewTransaction {
        tx(
            TransactionKind::WorkReserved,
            on,
            vec![
                Posting::debit(self.budget(), cents),
                Posting::credit(AccountCode::ActivityReserved(self.a), cents),
            ],
        )
    }

    fn expense(&self, on: Date, cents: i64) -> NewTransaction {
        tx(
            TransactionKind::ExpenseReimbursed,
            on,
            vec![
                Posting::debit(self.budget(), cents),
                Posting::credit(AccountCode::ExpensesPayable, cents),
            ],
        )
    }

    fn opening(&self, on: Date, cents: i64) -> NewTransaction {
        tx(
            TransactionKind::Opening,
            on,
            vec![
                Posting::debit(BANK, cents),
                Posting::credit(self.budget(), cents),
            ],
        )
    }
}

/// What one posting of `kind` adds to a figure of activity `a`, credit positive, counted
/// independently of the budget code: by account and by kind, a reversal by its original.
fn credit_on(
    posted: &[(TransactionKind, NewTransaction)],
    account: AccountCode,
    kinds: &[TransactionKind],
    from: Date,
    until: Date,
) -> i64 {
    posted
        .iter()
        .filter(|(kind, t)| {
            kinds.contains(kind) && t.occurred_on() >= from && t.occurred_on() <= until
        })
        .flat_map(|(_, t)| t.postings().iter().copied())
        .filter(|p| p.account == account)
        .map(|p| -p.amount_cents)
        .sum()
}

pub async fn the_budget_adds_up_the_postings_of_its_activity(store: &Store) {
    let ids = activities(store, &["Trio jazz", "Atelier bois"]).await;
    let s = Scheme { a: ids[0] };
    let other = Scheme { a: ids[1] };
    let empty = store.activity_budget(s.a, Some(2026)).await.unwrap();
    assert!(empty.is_empty(), "nothing moved yet");
    assert_eq!(empty.monthly.len(), 12);

    // (the kind the figure counts it under, the transaction): a reversal under its original.
    let mut posted: Vec<(TransactionKind, NewTransaction)> = Vec::new();
    let plan = vec![
        s.opening(date(2025, 12, 20), 300_00),
        s.invoice(date(2025, 12, 22), 400_00),
        s.invoice(date(2026, 1, 15), 1_000_00),
        s.invoice(date(2026, 2, 3), 2_000_00),
        s.payment(date(2026, 2, 10), 1_000_00),
        s.contribution(date(2026, 2, 10), 65_00),
        s.credit_note(date(2026, 3, 1), 500_00),
        s.payment(date(2026, 3, 20), 1_500_00),
        s.contribution(date(2026, 3, 20), 97_50),
        s.work(date(2026, 4, 1), 1_200_00),
        s.expense(date(2026, 5, 5), 80_25),
        other.invoice(date(2026, 2, 1), 9_999_00),
        other.payment(date(2026, 2, 2), 9_999_00),
    ];
    for t in plan {
        store.post_transaction(&ctx(), &t).await.unwrap();
        posted.push((t.kind(), t));
    }
    // A payment posted by mistake in June, reversed in July.
    let wrong = s.payment(date(2026, 6, 1), 250_00);
    let recorded = store.post_transaction(&ctx(), &wrong).await.unwrap();
    posted.push((wrong.kind(), wrong.clone()));
    store
        .reverse_transaction(&ctx(), recorded.id, date(2026, 7, 2))
        .await
        .unwrap();
    posted.push((
        TransactionKind::PaymentReceived,
        wrong.reversal(date(2026, 7, 2)),
    ));

    let (from, until) = (date(2026, 1, 1), date(2026, 12, 31));
    let b = store.activity_budget(s.a, Some(2026)).await.unwrap();
    use TransactionKind as K;
    let expected_invoiced = credit_on(
        &posted,
        s.invoiced(),
        &[K::InvoiceIssued, K::CreditNoteIssued],
        from,
        until,
    );
    assert_eq!(expected_invoiced, 2_500_00);
    assert_eq!(b.invoiced, expected_invoiced);
    assert_eq!(
        b.paid_in,
        credit_on(&posted, s.budget(), &[K::PaymentReceived], from, until)
    );
    assert_eq!(b.paid_in, 2_500_00, "the reversed payment is not paid in");
    assert_eq!(
        b.contribution,
        -credit_on(&posted, s.budget(), &[K::Contribution], from, until)
    );
    assert_eq!(b.contribution, 162_50);
    assert_eq!(b.reserved, 1_200_00);
    assert_eq!(b.expenses, 80_25);
    assert_eq!((b.internal_in, b.internal_out, b.other), (0, 0, 0));
    assert_eq!(
        b.opening, 300_00,
        "the opening balance is the budget at the end of 2025"
    );
    let balance = -store.account_balance(&s.budget(), None).await.unwrap();
    assert_eq!(b.available, balance);
    assert_eq!(b.available, 300_00 + 2_500_00 - 162_50 - 1_200_00 - 80_25);
    assert_eq!(store.available_budget(s.a).await.unwrap(), balance);

    // Month by month, the chart sums to the year.
    assert_eq!(b.chart_year, 2026);
    assert_eq!(b.monthly[0].invoiced, 1_000_00);
    assert_eq!(b.monthly[1].invoiced, 2_000_00);
    assert_eq!(b.monthly[2].invoiced, -500_00);
    assert_eq!(b.monthly[1].paid_in, 1_000_00);
    assert_eq!(b.monthly[5].paid_in, 250_00);
    assert_eq!(b.monthly[6].paid_in, -250_00);
    assert_eq!(
        b.monthly.iter().map(|m| m.invoiced).sum::<i64>(),
        b.invoiced
    );
    assert_eq!(b.monthly.iter().map(|m| m.paid_in).sum::<i64>(), b.paid_in);

    // The whole life counts 2025 too; the previous year has its own figures.
    let life = store.activity_budget(s.a, None).await.unwrap();
    assert_eq!(life.opening, 0);
    assert_eq!(life.invoiced, 2_900_00);
    assert_eq!(life.other, 300_00);
    assert_eq!(life.available, balance);
    let last = store.activity_budget(s.a, Some(2025)).await.unwrap();
    assert_eq!(
        (last.opening, last.invoiced, last.available),
        (0, 400_00, 300_00)
    );
    assert_eq!(last.monthly[11].invoiced, 400_00);

    // The other activity's postings never leak into this one, and the reverse.
    let o = store.activity_budget(other.a, Some(2026)).await.unwrap();
    assert_eq!(
        (o.invoiced, o.paid_in, o.available),
        (9_999_00, 9_999_00, 9_999_00)
    );
    assert!(matches!(
        store.activity_budget(999_999, None).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.activity_budget(s.a, Some(1066)).await.is_err());
}

/// Funds the budget of `activity` with a paid invoice of `net`.
async fn fund(store: &Store, activity: i64, net: i64) {
    let s = Scheme { a: activity };
    let on = date(2026, 1, 10);
    store
        .post_transaction(&ctx(), &s.invoice(on, net))
        .await
        .unwrap();
    store
        .post_transaction(&ctx(), &s.payment(on, net))
        .await
        .unwrap();
}

fn trade(seller: i64, buyer: i64, cents: i64) -> NewTrade {
    NewTrade::parse(seller, buyer, cents, "Mixage de l'album").unwrap()
}

async fn audit_count(store: &Store) -> i64 {
    store
        .audit_entries(&AuditFilter::default(), PageRequest::new(1, 1))
        .await
        .unwrap()
        .total
}

pub async fn an_internal_trade_moves_exactly_the_amount_and_never_twice(store: &Store) {
    let ids = activities(store, &["Studio son", "Trio jazz"]).await;
    let (seller, buyer) = (ids[0], ids[1]);
    fund(store, buyer, 1_000_00).await;
    let proposed = store
        .propose_internal_trade(&ctx(), &trade(seller, buyer, 400_00))
        .await
        .unwrap();
    assert_eq!(proposed.status().unwrap(), TradeStatus::Proposed);
    assert_eq!(
        (proposed.seller_name.as_str(), proposed.buyer_name.as_str()),
        ("Studio son", "Trio jazz")
    );
    assert_eq!(proposed.ledger_transaction_id, None);
    assert_eq!(
        store.available_budget(seller).await.unwrap(),
        0,
        "a proposal moves nothing"
    );

    // Two holders of the buyer accept at the same moment: one acceptance wins.
    let (a, b) = (store.clone(), store.clone());
    let on = date(2026, 2, 14);
    let first = tokio::spawn(async move { a.accept_internal_trade(&ctx(), proposed.id, on).await });
    let second =
        tokio::spawn(async move { b.accept_internal_trade(&ctx(), proposed.id, on).await });
    let results = [first.await.unwrap(), second.await.unwrap()];
    let accepted: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(accepted.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(StoreError::Conflict(REFUSED_STATUS))))
    );
    let accepted = accepted[0].clone();
    assert_eq!(accepted.status().unwrap(), TradeStatus::Accepted);
    assert!(accepted.decided_at.is_some());

    assert_eq!(store.available_budget(buyer).await.unwrap(), 600_00);
    assert_eq!(store.available_budget(seller).await.unwrap(), 400_00);
    let transfer = store
        .transaction(accepted.ledger_transaction_id.unwrap())
        .await
        .unwrap();
    assert_eq!(transfer.kind, TransactionKind::InternalTrade);
    assert_eq!(
        (transfer.source_type.as_deref(), transfer.source_id),
        (Some(SOURCE_TYPE), Some(accepted.id))
    );
    assert_eq!(
        transfer.postings,
        vec![
            Posting::debit(AccountCode::ActivityBudget(buyer), 400_00),
            Posting::credit(AccountCode::ActivityBudget(seller), 400_00),
        ],
        "no VAT, no contribution"
    );
    assert_eq!(
        store
            .transactions_of_source(SOURCE_TYPE, accepted.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);

    // Once accepted, nothing changes it again.
    for refused in [
        store.accept_internal_trade(&ctx(), accepted.id, on).await,
        store.decline_internal_trade(&ctx(), accepted.id).await,
        store.cancel_internal_trade(&ctx(), accepted.id).await,
    ] {
        assert!(
            matches!(refused, Err(StoreError::Conflict(REFUSED_STATUS))),
            "{refused:?}"
        );
    }
    assert_eq!(store.available_budget(buyer).await.unwrap(), 600_00);

    // The budgets show the trade on both sides.
    let sold = store.activity_budget(seller, Some(2026)).await.unwrap();
    assert_eq!(
        (sold.internal_in, sold.internal_out, sold.available),
        (400_00, 0, 400_00)
    );
    let bought = store.activity_budget(buyer, Some(2026)).await.unwrap();
    assert_eq!(
        (bought.internal_in, bought.internal_out, bought.available),
        (0, 400_00, 600_00)
    );

    // Both activities list it; the audit log has its whole story.
    for activity in [seller, buyer] {
        let filter = InternalTradeFilter {
            activity_id: Some(activity),
            ..Default::default()
        };
        let page = store
            .internal_trades(&filter, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            page.items.iter().map(|t| t.id).collect::<Vec<_>>(),
            vec![accepted.id]
        );
    }
    let filter = InternalTradeFilter {
        status: Some(TradeStatus::Proposed),
        ..Default::default()
    };
    assert_eq!(
        store
            .internal_trades(&filter, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    // Its holders see it, and the advisors of its office; nobody else.
    let office = store.activity(seller).await.unwrap().office_id;
    let holder = store.activity_holders(seller).await.unwrap()[0].person_id;
    let stranger = fixtures::person(store, "Zoé").await;
    let elsewhere = fixtures::office(store, "Namur").await;
    let only = |holder: Option<i64>, offices: Option<Vec<i64>>| InternalTradeFilter {
        holder,
        offices,
        ..Default::default()
    };
    for (filter, expected) in [
        (only(Some(holder), None), 1),
        (only(Some(stranger), None), 0),
        (only(None, Some(vec![elsewhere, office])), 1),
        (only(None, Some(vec![elsewhere])), 0),
        (only(None, Some(vec![])), 0),
        (only(Some(holder), Some(vec![office])), 1),
    ] {
        let found = store
            .internal_trades(&filter, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            (found.total, found.items.len()),
            (expected, expected as usize)
        );
    }
    let history = AuditFilter {
        entity_type: Some("internal_trade".into()),
        entity_id: Some(accepted.id),
        ..Default::default()
    };
    let actions: Vec<String> = store
        .audit_entries(&history, PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, vec!["accept", "create"]);

    // A declined and a cancelled trade move nothing.
    let declined = store
        .propose_internal_trade(&ctx(), &trade(seller, buyer, 10_00))
        .await
        .unwrap();
    let declined = store
        .decline_internal_trade(&ctx(), declined.id)
        .await
        .unwrap();
    assert_eq!(declined.status().unwrap(), TradeStatus::Declined);
    let cancelled = store
        .propose_internal_trade(&ctx(), &trade(seller, buyer, 10_00))
        .await
        .unwrap();
    let cancelled = store
        .cancel_internal_trade(&ctx(), cancelled.id)
        .await
        .unwrap();
    assert_eq!(cancelled.status().unwrap(), TradeStatus::Cancelled);
    let late = store.accept_internal_trade(&ctx(), cancelled.id, on).await;
    assert!(matches!(late, Err(StoreError::Conflict(REFUSED_STATUS))));
    assert_eq!(store.available_budget(buyer).await.unwrap(), 600_00);
    assert_eq!(store.available_budget(seller).await.unwrap(), 400_00);
}

pub async fn an_internal_trade_beyond_the_available_budget_is_refused_and_writes_nothing(
    store: &Store,
) {
    let ids = activities(store, &["Studio son", "Trio jazz", "proposed Duo"]).await;
    let (seller, buyer, proposed) = (ids[0], ids[1], ids[2]);
    fund(store, buyer, 100_00).await;
    let too_much = store
        .propose_internal_trade(&ctx(), &trade(seller, buyer, 100_01))
        .await
        .unwrap();
    let balances = store.balances_with_prefix("").await.unwrap();
    let audits = audit_count(store).await;
    let refused = store
        .accept_internal_trade(&ctx(), too_much.id, date(2026, 3, 1))
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Conflict(REFUSED_INSUFFICIENT_BUDGET))
        ),
        "{refused:?}"
    );
    assert_eq!(
        store.balances_with_prefix("").await.unwrap(),
        balances,
        "no posting"
    );
    assert_eq!(audit_count(store).await, audits, "no audit entry");
    let still = store.internal_trade(too_much.id).await.unwrap();
    assert_eq!(still, too_much, "the trade is still proposed, untouched");

    // Exactly the whole budget is fine.
    let all = store
        .propose_internal_trade(&ctx(), &trade(seller, buyer, 100_00))
        .await
        .unwrap();
    store
        .accept_internal_trade(&ctx(), all.id, date(2026, 3, 1))
        .await
        .unwrap();
    assert_eq!(store.available_budget(buyer).await.unwrap(), 0);

    // An activity that is not active neither trades nor is traded with.
    let refused = store
        .propose_internal_trade(&ctx(), &trade(seller, proposed, 1_00))
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Conflict(REFUSED_NOT_ACTIVE))
    ));
    let refused = store
        .propose_internal_trade(&ctx(), &trade(999_999, seller, 1_00))
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)));
    let back = store
        .propose_internal_trade(&ctx(), &trade(buyer, seller, 50_00))
        .await
        .unwrap();
    store
        .change_activity_status(&ctx(), buyer, ActivityEvent::Suspend)
        .await
        .unwrap();
    let balances = store.balances_with_prefix("").await.unwrap();
    let refused = store
        .accept_internal_trade(&ctx(), back.id, date(2026, 3, 2))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(REFUSED_NOT_ACTIVE))),
        "{refused:?}"
    );
    assert_eq!(store.balances_with_prefix("").await.unwrap(), balances);
    assert_eq!(
        store
            .internal_trade(back.id)
            .await
            .unwrap()
            .status()
            .unwrap(),
        TradeStatus::Proposed
    );
}

pub async fn trades_spending_one_budget_at_once_never_overdraw_it(store: &Store) {
    let ids = activities(
        store,
        &["Trio jazz", "Studio A", "Studio B", "Studio C", "Studio D"],
    )
    .await;
    let buyer = ids[0];
    fund(store, buyer, 300_00).await;
    let mut trades = Vec::new();
    for seller in &ids[1..] {
        trades.push(
            store
                .propose_internal_trade(&ctx(), &trade(*seller, buyer, 100_00))
                .await
                .unwrap()
                .id,
        );
    }
    let tasks: Vec<_> = trades
        .into_iter()
        .map(|id| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .accept_internal_trade(&ctx(), id, date(2026, 4, 1))
                    .await
            })
        })
        .collect();
    let mut accepted = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(StoreError::Conflict(REFUSED_INSUFFICIENT_BUDGET)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(
        accepted, 3,
        "three trades of 100,00 € fit a budget of 300,00 €"
    );
    assert_eq!(store.available_budget(buyer).await.unwrap(), 0);
    let b = store.activity_budget(buyer, None).await.unwrap();
    assert_eq!((b.internal_out, b.available), (300_00, 0));
}

pub async fn a_budget_read_while_others_post_always_adds_up(store: &Store) {
    let ids = activities(store, &["Trio jazz"]).await;
    let s = Scheme { a: ids[0] };
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            let s = Scheme { a: ids[0] };
            for day in 1..=28 {
                let on = date(2026, 2, day);
                store
                    .post_transaction(&ctx(), &s.payment(on, 100_00))
                    .await
                    .unwrap();
                store
                    .post_transaction(&ctx(), &s.contribution(on, 6_50))
                    .await
                    .unwrap();
            }
        })
    };
    for _ in 0..20 {
        let b = store.activity_budget(s.a, Some(2026)).await.unwrap();
        assert_eq!(b.available, b.paid_in - b.contribution + b.opening);
    }
    writer.await.unwrap();
    let b = store.activity_budget(s.a, Some(2026)).await.unwrap();
    assert_eq!(
        (b.paid_in, b.contribution, b.available),
        (2_800_00, 182_00, 2_618_00)
    );
}
