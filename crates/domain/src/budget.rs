//! An activity's budget, read from the ledger (DESIGN.md §3): what was invoiced, paid in,
//! charged as contribution, reserved for work, spent, traded with other activities, and what
//! is available. Every figure is a sum of postings, turned here into what people read; no
//! figure is ever stored on the side.
//!
//! The figures come from the totals of two accounts of the activity per kind of transaction
//! ([`KindTotal`]): `activity:<a>:budget` and the memo `activity:<a>:invoiced`. A reversal
//! counts against the kind it reverses, so a reversed payment lowers "paid in" rather than
//! showing as a separate line.

pub mod internal_trade;

use serde::Serialize;

use crate::ledger::TransactionKind;

/// The debits and credits an account received from transactions of one kind, both positive.
/// `reversal` marks the totals of the reversals of transactions of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KindTotal {
    pub kind: TransactionKind,
    pub reversal: bool,
    pub debit_cents: i64,
    pub credit_cents: i64,
}

impl KindTotal {
    pub fn new(kind: TransactionKind, reversal: bool, debit_cents: i64, credit_cents: i64) -> Self {
        KindTotal {
            kind,
            reversal,
            debit_cents,
            credit_cents,
        }
    }

    /// `(debits, credits)` as the original transactions made them: a reversal's credit
    /// takes back a debit of its original, and its debit a credit.
    fn as_original(&self) -> (i64, i64) {
        if self.reversal {
            (
                0i64.saturating_sub(self.credit_cents),
                0i64.saturating_sub(self.debit_cents),
            )
        } else {
            (self.debit_cents, self.credit_cents)
        }
    }

    /// Credits less debits: what the kind added to a credit-normal account.
    fn net_credit(&self) -> i64 {
        self.credit_cents.saturating_sub(self.debit_cents)
    }
}

/// What moved an activity's budget over a period, in cents, each figure positive in its
/// usual direction (a contribution of 65,00 € is `6500`, not `-6500`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Movements {
    /// Net amounts invoiced (excluding VAT), less credit notes: the turnover.
    pub invoiced: i64,
    /// Net amounts clients paid, credited to the budget.
    pub paid_in: i64,
    /// The mutualised contribution charged on what was paid in.
    pub contribution: i64,
    /// Budget reserved for work contracts (and salaries paid from the budget directly).
    pub reserved: i64,
    /// Expenses reimbursed from the budget.
    pub expenses: i64,
    /// What other activities paid this one (it sold to them).
    pub internal_in: i64,
    /// What this activity paid other activities (it bought from them).
    pub internal_out: i64,
    /// Every other movement of the budget (opening balances, loans, fees…), credit positive.
    pub other: i64,
}

impl Movements {
    /// The figures from the totals per kind of the budget account and of the invoiced memo.
    pub fn from_totals(budget: &[KindTotal], invoiced: &[KindTotal]) -> Movements {
        let mut m = Movements::default();
        for total in budget {
            let (debit, credit) = total.as_original();
            let net = total.net_credit();
            let spent = 0i64.saturating_sub(net);
            match total.kind {
                TransactionKind::PaymentReceived => m.paid_in = m.paid_in.saturating_add(net),
                TransactionKind::Contribution => {
                    m.contribution = m.contribution.saturating_add(spent)
                }
                TransactionKind::WorkReserved | TransactionKind::SalaryPaid => {
                    m.reserved = m.reserved.saturating_add(spent)
                }
                TransactionKind::ExpenseReimbursed => m.expenses = m.expenses.saturating_add(spent),
                TransactionKind::InternalTrade => {
                    m.internal_in = m.internal_in.saturating_add(credit);
                    m.internal_out = m.internal_out.saturating_add(debit);
                }
                _ => m.other = m.other.saturating_add(net),
            }
        }
        for total in invoiced {
            // A credit note debits the memo: it lowers what was invoiced. Payments debit it
            // too, but they are counted on the budget.
            if matches!(
                total.kind,
                TransactionKind::InvoiceIssued | TransactionKind::CreditNoteIssued
            ) {
                m.invoiced = m.invoiced.saturating_add(total.net_credit());
            }
        }
        m
    }

    /// What the movements added to the budget (credit positive): every figure but
    /// `invoiced`, which does not reach the budget before it is paid.
    pub fn net(&self) -> i64 {
        self.paid_in
            .saturating_sub(self.contribution)
            .saturating_sub(self.reserved)
            .saturating_sub(self.expenses)
            .saturating_add(self.internal_in)
            .saturating_sub(self.internal_out)
            .saturating_add(self.other)
    }
}

/// One month of the budget chart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MonthFigures {
    /// 1 to 12.
    pub month: u8,
    pub invoiced: i64,
    pub paid_in: i64,
}

/// An activity's budget over a year, or over its whole life (`year: None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    pub activity_id: i64,
    pub year: Option<i16>,
    /// The balance of the budget account when the period starts (0 for the whole life).
    pub opening: i64,
    pub invoiced: i64,
    pub paid_in: i64,
    pub contribution: i64,
    pub reserved: i64,
    pub expenses: i64,
    pub internal_in: i64,
    pub internal_out: i64,
    pub other: i64,
    /// The balance of `activity:<a>:budget` when the period ends, credit positive:
    /// `opening` plus what moved it.
    pub available: i64,
    /// The chart's year, month by month: `year`, or the current year for the whole life.
    pub chart_year: i16,
    pub monthly: [MonthFigures; 12],
}

impl Budget {
    pub fn new(
        activity_id: i64,
        year: Option<i16>,
        opening: i64,
        movements: &Movements,
        chart_year: i16,
        monthly: [MonthFigures; 12],
    ) -> Budget {
        Budget {
            activity_id,
            year,
            opening,
            invoiced: movements.invoiced,
            paid_in: movements.paid_in,
            contribution: movements.contribution,
            reserved: movements.reserved,
            expenses: movements.expenses,
            internal_in: movements.internal_in,
            internal_out: movements.internal_out,
            other: movements.other,
            available: opening.saturating_add(movements.net()),
            chart_year,
            monthly,
        }
    }

    /// Whether nothing ever moved: the page shows its empty state.
    pub fn is_empty(&self) -> bool {
        self.opening == 0
            && self.available == 0
            && self.invoiced == 0
            && self.paid_in == 0
            && self.contribution == 0
            && self.reserved == 0
            && self.expenses == 0
            && self.internal_in == 0
            && self.internal_out == 0
            && self.other == 0
            && self
                .monthly
                .iter()
                .all(|m| m.invoiced == 0 && m.paid_in == 0)
    }

    /// The largest bar of the chart, at least 1 cent (the chart's scale).
    pub fn chart_max(&self) -> i64 {
        self.monthly
            .iter()
            .flat_map(|m| [m.invoiced, m.paid_in])
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

/// The twelve months of a chart from the totals per month (1–12) of the budget account and
/// of the invoiced memo. A month outside 1–12 is ignored.
pub fn monthly_figures(
    budget: &[(u8, KindTotal)],
    invoiced: &[(u8, KindTotal)],
) -> [MonthFigures; 12] {
    let mut months = [MonthFigures::default(); 12];
    for (i, slot) in months.iter_mut().enumerate() {
        let month = u8::try_from(i + 1).unwrap_or(0);
        let of_month = |rows: &[(u8, KindTotal)]| -> Vec<KindTotal> {
            rows.iter()
                .filter(|(m, _)| *m == month)
                .map(|(_, t)| *t)
                .collect()
        };
        let m = Movements::from_totals(&of_month(budget), &of_month(invoiced));
        *slot = MonthFigures {
            month,
            invoiced: m.invoiced,
            paid_in: m.paid_in,
        };
    }
    months
}

#[cfg(test)]
mod tests {
    // Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]

    use proptest::prelude::*;

    use super::*;
    use TransactionKind as K;

    fn t(kind: TransactionKind, debit: i64, credit: i64) -> KindTotal {
        KindTotal::new(kind, false, debit, credit)
    }

    fn rev(kind: TransactionKind, debit: i64, credit: i64) -> KindTotal {
        KindTotal::new(kind, true, debit, credit)
    }

    #[test]
    fn a_paid_invoice_fills_the_budget_less_the_contribution() {
        let invoiced = [
            t(K::InvoiceIssued, 0, 1_000_00),
            t(K::PaymentReceived, 1_000_00, 0),
        ];
        let budget = [
            t(K::PaymentReceived, 0, 1_000_00),
            t(K::Contribution, 65_00, 0),
        ];
        let m = Movements::from_totals(&budget, &invoiced);
        assert_eq!(
            m.invoiced, 1_000_00,
            "a payment does not lower what was invoiced"
        );
        assert_eq!(m.paid_in, 1_000_00);
        assert_eq!(m.contribution, 65_00);
        assert_eq!(m.net(), 935_00);
        let b = Budget::new(12, Some(2026), 0, &m, 2026, [MonthFigures::default(); 12]);
        assert_eq!(b.available, 935_00);
        assert!(!b.is_empty());
    }

    #[test]
    fn a_credit_note_lowers_what_was_invoiced() {
        let invoiced = [
            t(K::InvoiceIssued, 0, 1_000_00),
            t(K::CreditNoteIssued, 200_00, 0),
        ];
        assert_eq!(Movements::from_totals(&[], &invoiced).invoiced, 800_00);
    }

    #[test]
    fn work_expenses_and_trades_are_counted_on_their_side() {
        let budget = [
            t(K::PaymentReceived, 0, 5_000_00),
            t(K::WorkReserved, 2_000_00, 0),
            t(K::SalaryPaid, 100_00, 0),
            t(K::ExpenseReimbursed, 150_00, 0),
            t(K::InternalTrade, 300_00, 120_00),
            t(K::Opening, 0, 50_00),
        ];
        let m = Movements::from_totals(&budget, &[]);
        assert_eq!(m.reserved, 2_100_00);
        assert_eq!(m.expenses, 150_00);
        assert_eq!(m.internal_in, 120_00);
        assert_eq!(m.internal_out, 300_00);
        assert_eq!(m.other, 50_00);
        assert_eq!(
            m.net(),
            5_000_00 - 2_100_00 - 150_00 + 120_00 - 300_00 + 50_00
        );
    }

    #[test]
    fn a_reversal_counts_against_what_it_reverses() {
        // A payment of 1.000,00 € posted, then reversed: nothing was paid in.
        let budget = [
            t(K::PaymentReceived, 0, 1_000_00),
            rev(K::PaymentReceived, 1_000_00, 0),
        ];
        let invoiced = [
            t(K::InvoiceIssued, 0, 500_00),
            rev(K::InvoiceIssued, 500_00, 0),
        ];
        let m = Movements::from_totals(&budget, &invoiced);
        assert_eq!((m.paid_in, m.invoiced), (0, 0));
        // A reversed purchase from another activity gives the money back on the buying side:
        // it lowers what was bought, it is not a sale.
        let trades = [
            t(K::InternalTrade, 300_00, 0),
            rev(K::InternalTrade, 0, 300_00),
        ];
        let m = Movements::from_totals(&trades, &[]);
        assert_eq!((m.internal_in, m.internal_out), (0, 0));
    }

    #[test]
    fn months_are_counted_apart_and_out_of_range_months_are_ignored() {
        let budget = [
            (1, t(K::PaymentReceived, 0, 100_00)),
            (3, t(K::PaymentReceived, 0, 40_00)),
            (3, t(K::Contribution, 2_60, 0)),
            (13, t(K::PaymentReceived, 0, 9_99)),
        ];
        let invoiced = [(2, t(K::InvoiceIssued, 0, 140_00))];
        let months = monthly_figures(&budget, &invoiced);
        assert_eq!(months[0].month, 1);
        assert_eq!(months[11].month, 12);
        assert_eq!(months[0].paid_in, 100_00);
        assert_eq!(months[1].invoiced, 140_00);
        assert_eq!(months[2].paid_in, 40_00);
        assert_eq!(months.iter().map(|m| m.paid_in).sum::<i64>(), 140_00);
        let b = Budget::new(1, None, 0, &Movements::default(), 2026, months);
        assert_eq!(b.chart_max(), 140_00);
    }

    #[test]
    fn an_untouched_budget_is_empty() {
        let b = Budget::new(
            1,
            None,
            0,
            &Movements::default(),
            2026,
            [MonthFigures::default(); 12],
        );
        assert!(b.is_empty());
        assert_eq!(b.chart_max(), 1, "the chart's scale is never zero");
    }

    fn any_total() -> impl Strategy<Value = KindTotal> {
        (
            0..TransactionKind::ALL.len(),
            any::<bool>(),
            0i64..1_000_000_00,
            0i64..1_000_000_00,
        )
            .prop_map(|(k, reversal, d, c)| KindTotal::new(TransactionKind::ALL[k], reversal, d, c))
    }

    proptest! {
        /// Whatever the kinds, the figures explain the balance: the opening plus every
        /// credit less every debit of the budget account is what is available.
        #[test]
        fn the_figures_always_add_up_to_the_balance(
            opening in -1_000_000_00i64..1_000_000_00,
            budget in proptest::collection::vec(any_total(), 0..30),
        ) {
            let m = Movements::from_totals(&budget, &[]);
            let b = Budget::new(1, Some(2026), opening, &m, 2026, [MonthFigures::default(); 12]);
            let credits: i64 = budget.iter().map(|t| t.credit_cents).sum();
            let debits: i64 = budget.iter().map(|t| t.debit_cents).sum();
            prop_assert_eq!(b.available, opening + credits - debits);
        }
    }
}
