//! The journal as a pure in-memory model: the rules of posting and reversing without a
//! database. The store follows the same rules; the property tests below check, on random
//! sequences of operations, the invariants the stored ledger must keep.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{AccountCode, LedgerError, NewTransaction, Posting, TransactionKind};

/// Whether a transaction may be reversed (DESIGN.md §3: corrections are reversals, never
/// edits): a reversal is final, and a transaction is reversed at most once.
pub fn check_reversible(kind: TransactionKind, already_reversed: bool) -> Result<(), LedgerError> {
    if kind == TransactionKind::Reversal {
        Err(LedgerError::ReversalIsFinal)
    } else if already_reversed {
        Err(LedgerError::AlreadyReversed)
    } else {
        Ok(())
    }
}

/// A transaction of the [`Journal`], with the links between an original and its reversal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub transaction: NewTransaction,
    /// The index of the transaction this one reverses.
    pub reverses: Option<usize>,
    /// The index of the reversal of this transaction.
    pub reversed_by: Option<usize>,
}

/// An append-only journal in memory: transactions are added, never changed (but for the
/// link to their reversal) nor removed. A transaction's id is its index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Journal {
    entries: Vec<JournalEntry>,
}

impl Journal {
    pub fn new() -> Journal {
        Journal::default()
    }

    /// Appends a transaction and returns its id. A reversal goes through [`Journal::reverse`].
    pub fn post(&mut self, transaction: NewTransaction) -> Result<usize, LedgerError> {
        if transaction.kind() == TransactionKind::Reversal {
            return Err(LedgerError::ReversalWithoutOriginal);
        }
        transaction.check()?;
        self.entries.push(JournalEntry {
            transaction,
            reverses: None,
            reversed_by: None,
        });
        Ok(self.entries.len() - 1)
    }

    /// Appends the reversal of transaction `id` on `on` and returns its id.
    pub fn reverse(&mut self, id: usize, on: Date) -> Result<usize, LedgerError> {
        let original = self
            .entries
            .get(id)
            .ok_or(LedgerError::UnknownTransaction)?;
        check_reversible(original.transaction.kind(), original.reversed_by.is_some())?;
        let reversal = original.transaction.reversal(on);
        reversal.check()?;
        let reversal_id = self.entries.len();
        self.entries.push(JournalEntry {
            transaction: reversal,
            reverses: Some(id),
            reversed_by: None,
        });
        if let Some(original) = self.entries.get_mut(id) {
            original.reversed_by = Some(reversal_id);
        }
        Ok(reversal_id)
    }

    pub fn entries(&self) -> &[JournalEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every posting, in the order of the journal.
    pub fn postings(&self) -> impl Iterator<Item = &Posting> {
        self.entries.iter().flat_map(|e| e.transaction.postings())
    }

    /// The balance of an account (debit positive): the sum of its postings.
    pub fn balance(&self, account: AccountCode) -> i64 {
        self.postings()
            .filter(|p| p.account == account)
            .map(|p| p.amount_cents)
            .sum()
    }

    /// The balance of an account at the end of the day `until`.
    pub fn balance_until(&self, account: AccountCode, until: Date) -> i64 {
        self.entries
            .iter()
            .filter(|e| e.transaction.occurred_on() <= until)
            .flat_map(|e| e.transaction.postings())
            .filter(|p| p.account == account)
            .map(|p| p.amount_cents)
            .sum()
    }

    /// The balance of every account used, in code order.
    pub fn balances(&self) -> BTreeMap<AccountCode, i64> {
        let mut out = BTreeMap::new();
        for p in self.postings() {
            *out.entry(p.account).or_insert(0) += p.amount_cents;
        }
        out
    }

    /// The sum of every posting: zero in a sound journal.
    pub fn trial_balance(&self) -> i64 {
        self.postings().map(|p| p.amount_cents).sum()
    }
}

#[cfg(test)]
mod tests {
    // Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]

    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;
    use crate::invoicing::vat::VatCategory;

    const CONTRIBUTION_ENTITY: i64 = 1;

    /// An operation of the cooperative, as it posts to the ledger.
    #[derive(Debug, Clone)]
    enum Op {
        Invoice {
            client: i64,
            activity: i64,
            net: i64,
            rate_bp: u32,
        },
        /// Pays the n-th invoice issued (modulo their number) into an entity's bank.
        Pay {
            invoice: usize,
            entity: i64,
        },
        Contribution {
            activity: i64,
            cents: i64,
        },
        Reserve {
            activity: i64,
            cents: i64,
        },
        PaySalary {
            activity: i64,
            cents: i64,
        },
        /// Reverses the n-th transaction (modulo their number).
        Reverse {
            transaction: usize,
        },
    }

    struct Invoice {
        client: i64,
        activity: i64,
        net: i64,
        vat: i64,
    }

    fn op() -> impl Strategy<Value = Op> {
        let id = 1i64..4;
        let cents = 1i64..5_000_000;
        prop_oneof![
            3 => (id.clone(), id.clone(), cents.clone(), prop_oneof![Just(0u32), Just(600), Just(2100)])
                .prop_map(|(client, activity, net, rate_bp)| Op::Invoice { client, activity, net, rate_bp }),
            3 => (any::<usize>(), 1i64..3).prop_map(|(invoice, entity)| Op::Pay { invoice, entity }),
            2 => (id.clone(), cents.clone()).prop_map(|(activity, cents)| Op::Contribution { activity, cents }),
            1 => (id.clone(), cents.clone()).prop_map(|(activity, cents)| Op::Reserve { activity, cents }),
            1 => (id, cents).prop_map(|(activity, cents)| Op::PaySalary { activity, cents }),
            2 => any::<usize>().prop_map(|transaction| Op::Reverse { transaction }),
        ]
    }

    fn tx(kind: TransactionKind, on: Date, postings: Vec<Posting>) -> NewTransaction {
        NewTransaction::new(kind, on, kind.code(), None, postings).unwrap()
    }

    /// Applies one operation; checks that a refused reversal is refused for the right reason
    /// and leaves the journal as it was.
    fn apply(journal: &mut Journal, invoices: &mut Vec<Invoice>, op: &Op, on: Date) {
        use AccountCode as A;
        use TransactionKind as K;
        match *op {
            Op::Invoice {
                client,
                activity,
                net,
                rate_bp,
            } => {
                let vat = net * i64::from(rate_bp) / 10_000;
                let mut postings = vec![
                    Posting::debit(A::ClientReceivable(client), net + vat),
                    Posting::credit(A::ActivityInvoiced(activity), net),
                ];
                if vat != 0 {
                    let category = VatCategory::S;
                    postings.push(Posting::credit(A::VatPayable { category, rate_bp }, vat));
                }
                journal.post(tx(K::InvoiceIssued, on, postings)).unwrap();
                invoices.push(Invoice {
                    client,
                    activity,
                    net,
                    vat,
                });
            }
            Op::Pay { invoice, entity } => {
                if invoices.is_empty() {
                    return;
                }
                let i = &invoices[invoice % invoices.len()];
                let postings = vec![
                    Posting::debit(A::EntityBank(entity), i.net + i.vat),
                    Posting::credit(A::ClientReceivable(i.client), i.net + i.vat),
                    Posting::debit(A::ActivityInvoiced(i.activity), i.net),
                    Posting::credit(A::ActivityBudget(i.activity), i.net),
                ];
                journal.post(tx(K::PaymentReceived, on, postings)).unwrap();
            }
            Op::Contribution { activity, cents } => {
                let postings = vec![
                    Posting::debit(A::ActivityBudget(activity), cents),
                    Posting::credit(A::EntityContribution(CONTRIBUTION_ENTITY), cents),
                ];
                journal.post(tx(K::Contribution, on, postings)).unwrap();
            }
            Op::Reserve { activity, cents } => {
                let postings = vec![
                    Posting::debit(A::ActivityBudget(activity), cents),
                    Posting::credit(A::ActivityReserved(activity), cents),
                ];
                journal.post(tx(K::WorkReserved, on, postings)).unwrap();
            }
            Op::PaySalary { activity, cents } => {
                let postings = vec![
                    Posting::debit(A::ActivityReserved(activity), cents),
                    Posting::credit(A::EntityBank(CONTRIBUTION_ENTITY), cents),
                ];
                journal.post(tx(K::SalaryPaid, on, postings)).unwrap();
            }
            Op::Reverse { transaction } => {
                if journal.is_empty() {
                    return;
                }
                let id = transaction % journal.len();
                let entry = journal.entries()[id].clone();
                let before = journal.clone();
                let result = journal.reverse(id, on);
                if entry.transaction.kind() == K::Reversal {
                    assert_eq!(result, Err(LedgerError::ReversalIsFinal));
                    assert_eq!(*journal, before);
                } else if entry.reversed_by.is_some() {
                    assert_eq!(result, Err(LedgerError::AlreadyReversed));
                    assert_eq!(*journal, before);
                } else {
                    let reversal = result.unwrap();
                    assert_eq!(journal.entries()[reversal].reverses, Some(id));
                    assert_eq!(journal.entries()[id].reversed_by, Some(reversal));
                }
            }
        }
    }

    /// Every balance, recomputed posting by posting, without the journal's own sums.
    fn sums_of_postings(journal: &Journal) -> BTreeMap<AccountCode, i64> {
        let mut sums = BTreeMap::new();
        for entry in journal.entries() {
            for p in entry.transaction.postings() {
                *sums.entry(p.account).or_insert(0i64) += p.amount_cents;
            }
        }
        sums
    }

    #[test]
    fn an_invoice_paid_and_charged_its_contribution_leaves_the_budget_credited() {
        let mut journal = Journal::new();
        let mut invoices = Vec::new();
        let on = date(2026, 3, 1);
        let ops = [
            Op::Invoice {
                client: 7,
                activity: 12,
                net: 1_000_00,
                rate_bp: 2100,
            },
            Op::Pay {
                invoice: 0,
                entity: 1,
            },
            Op::Contribution {
                activity: 12,
                cents: 80_00,
            },
        ];
        for op in &ops {
            apply(&mut journal, &mut invoices, op, on);
        }
        let budget = AccountCode::ActivityBudget(12);
        assert_eq!(journal.balance(budget), -920_00);
        assert_eq!(budget.kind().shown(journal.balance(budget)), 920_00);
        assert_eq!(journal.balance(AccountCode::ClientReceivable(7)), 0);
        assert_eq!(journal.balance(AccountCode::ActivityInvoiced(12)), 0);
        assert_eq!(journal.balance(AccountCode::EntityBank(1)), 1_210_00);
        assert_eq!(journal.trial_balance(), 0);
        assert_eq!(journal.balance_until(budget, date(2026, 2, 28)), 0);
    }

    #[test]
    fn a_reversal_is_refused_twice_and_is_never_reversed() {
        let mut journal = Journal::new();
        let on = date(2026, 3, 1);
        let postings = vec![
            Posting::debit(AccountCode::EntityBank(1), 5_00),
            Posting::credit(AccountCode::Suspense, 5_00),
        ];
        let id = journal
            .post(tx(TransactionKind::Opening, on, postings))
            .unwrap();
        let reversal = journal.reverse(id, on).unwrap();
        assert_eq!(journal.reverse(id, on), Err(LedgerError::AlreadyReversed));
        assert_eq!(
            journal.reverse(reversal, on),
            Err(LedgerError::ReversalIsFinal)
        );
        assert_eq!(
            journal.reverse(99, on),
            Err(LedgerError::UnknownTransaction)
        );
        let direct = journal.entries()[reversal].transaction.clone();
        assert_eq!(
            journal.post(direct),
            Err(LedgerError::ReversalWithoutOriginal)
        );
        assert_eq!(journal.len(), 2);
        assert!(journal.balances().values().all(|b| *b == 0));
    }

    proptest! {
        #[test]
        fn any_sequence_of_operations_keeps_the_trial_balance_at_zero(
            ops in proptest::collection::vec(op(), 1..64),
        ) {
            let mut journal = Journal::new();
            let mut invoices = Vec::new();
            let start = date(2026, 1, 1);
            for (day, op) in ops.iter().enumerate() {
                let on = start.checked_add((day as i64).days()).unwrap();
                apply(&mut journal, &mut invoices, op, on);
                prop_assert_eq!(journal.trial_balance(), 0);
                let balances = journal.balances();
                prop_assert_eq!(&balances, &sums_of_postings(&journal));
                for (account, balance) in &balances {
                    prop_assert_eq!(journal.balance(*account), *balance);
                    prop_assert_eq!(journal.balance_until(*account, on), *balance);
                }
            }
            // Reversing everything not yet reversed brings every balance back to zero.
            let end = start.checked_add(1.year()).unwrap();
            for id in 0..journal.len() {
                let entry = &journal.entries()[id];
                if entry.transaction.kind() != TransactionKind::Reversal && entry.reversed_by.is_none() {
                    journal.reverse(id, end).unwrap();
                }
            }
            prop_assert!(journal.balances().values().all(|b| *b == 0), "{:?}", journal.balances());
            prop_assert_eq!(journal.trial_balance(), 0);
            // … and nothing can be reversed any more.
            for id in 0..journal.len() {
                prop_assert!(journal.reverse(id, end).is_err());
            }
        }
    }
}
