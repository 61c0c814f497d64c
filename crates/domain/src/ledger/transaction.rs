//! A transaction of the journal: its kind, its postings, and the rules that make it valid.

use std::collections::HashSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{
    AccountCode, LedgerError, MAX_AMOUNT_CENTS, MAX_MEMO_CHARS, MAX_POSTINGS, MAX_SOURCE_TYPE_LEN,
    MIN_YEAR,
};

/// One line of a transaction: an amount in cents on one account, **debit positive, credit
/// negative**.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Posting {
    pub account: AccountCode,
    pub amount_cents: i64,
}

impl Posting {
    pub fn new(account: AccountCode, amount_cents: i64) -> Posting {
        Posting {
            account,
            amount_cents,
        }
    }

    /// A debit of `cents` (a positive amount).
    pub fn debit(account: AccountCode, cents: i64) -> Posting {
        Posting::new(account, cents)
    }

    /// A credit of `cents`: stored as the negative amount.
    pub fn credit(account: AccountCode, cents: i64) -> Posting {
        Posting::new(account, 0i64.saturating_sub(cents))
    }

    /// The same amount on the other side. Within the bound of [`MAX_AMOUNT_CENTS`], a
    /// mirrored posting is as valid as the original.
    pub fn mirrored(self) -> Posting {
        Posting::new(self.account, 0i64.saturating_sub(self.amount_cents))
    }
}

/// Why money moved. The code is stored in `ledger_transactions.kind`: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionKind {
    InvoiceIssued,
    CreditNoteIssued,
    PaymentReceived,
    Contribution,
    InternalTrade,
    WorkReserved,
    /// A pay run turns a contract's reserved employer cost into the net salary due to the
    /// worker and what is due to the ONSS and the tax administration.
    SalaryDue,
    SalaryPaid,
    ExpenseReimbursed,
    /// Money sent from a bank account that is neither a salary nor an expense: a refund to
    /// a client, another payout order (`Store::mark_payout_paid`).
    PaymentSent,
    LoanDisbursed,
    LoanRepaid,
    GuaranteeAdvanced,
    GuaranteeRepaid,
    FeeCharged,
    WriteOff,
    Reversal,
    Opening,
    /// A member pays for subscribed shares: the bank is debited, the share capital credited.
    ShareSubscription,
    /// A member leaves (resignation, exclusion): the share capital is debited, the refund
    /// due credited (and what is not refunded stays in equity).
    ShareRefund,
    /// The cooperative's own spending, paid from a bank account or allocated to the
    /// guarantee fund (contribution transparency, issue 10).
    Spending,
}

impl TransactionKind {
    pub const ALL: [TransactionKind; 21] = [
        TransactionKind::InvoiceIssued,
        TransactionKind::CreditNoteIssued,
        TransactionKind::PaymentReceived,
        TransactionKind::Contribution,
        TransactionKind::InternalTrade,
        TransactionKind::WorkReserved,
        TransactionKind::SalaryDue,
        TransactionKind::SalaryPaid,
        TransactionKind::ExpenseReimbursed,
        TransactionKind::PaymentSent,
        TransactionKind::LoanDisbursed,
        TransactionKind::LoanRepaid,
        TransactionKind::GuaranteeAdvanced,
        TransactionKind::GuaranteeRepaid,
        TransactionKind::FeeCharged,
        TransactionKind::WriteOff,
        TransactionKind::Reversal,
        TransactionKind::Opening,
        TransactionKind::ShareSubscription,
        TransactionKind::ShareRefund,
        TransactionKind::Spending,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TransactionKind::InvoiceIssued => "invoice-issued",
            TransactionKind::CreditNoteIssued => "credit-note-issued",
            TransactionKind::PaymentReceived => "payment-received",
            TransactionKind::Contribution => "contribution",
            TransactionKind::InternalTrade => "internal-trade",
            TransactionKind::WorkReserved => "work-reserved",
            TransactionKind::SalaryDue => "salary-due",
            TransactionKind::SalaryPaid => "salary-paid",
            TransactionKind::ExpenseReimbursed => "expense-reimbursed",
            TransactionKind::PaymentSent => "payment-sent",
            TransactionKind::LoanDisbursed => "loan-disbursed",
            TransactionKind::LoanRepaid => "loan-repaid",
            TransactionKind::GuaranteeAdvanced => "guarantee-advanced",
            TransactionKind::GuaranteeRepaid => "guarantee-repaid",
            TransactionKind::FeeCharged => "fee-charged",
            TransactionKind::WriteOff => "write-off",
            TransactionKind::Reversal => "reversal",
            TransactionKind::Opening => "opening",
            TransactionKind::ShareSubscription => "share-subscription",
            TransactionKind::ShareRefund => "share-refund",
            TransactionKind::Spending => "spending",
        }
    }

    pub fn parse(s: &str) -> Result<TransactionKind, LedgerError> {
        TransactionKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| LedgerError::BadTransactionKind(s.chars().take(40).collect()))
    }
}

/// A balanced transaction, ready to post. Its fields are private: the only ways to get one
/// are [`NewTransaction::new`], which refuses an invalid set of postings, and
/// [`NewTransaction::reversal`] of a valid one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTransaction {
    kind: TransactionKind,
    occurred_on: Date,
    memo: String,
    /// What the transaction comes from: a type (`invoice`, `bank-line`…) and an id.
    source: Option<(String, i64)>,
    postings: Vec<Posting>,
}

impl NewTransaction {
    /// A transaction of `kind`, refused unless its postings balance (DESIGN.md §3): 2 to
    /// [`MAX_POSTINGS`] postings, none zero, none larger than [`MAX_AMOUNT_CENTS`], each
    /// account at most once, summing to zero. A [`TransactionKind::Reversal`] is refused
    /// here: it is made from its original with [`NewTransaction::reversal`].
    pub fn new(
        kind: TransactionKind,
        occurred_on: Date,
        memo: impl Into<String>,
        source: Option<(String, i64)>,
        postings: Vec<Posting>,
    ) -> Result<NewTransaction, LedgerError> {
        if kind == TransactionKind::Reversal {
            return Err(LedgerError::ReversalWithoutOriginal);
        }
        let tx = NewTransaction {
            kind,
            occurred_on,
            memo: memo.into(),
            source,
            postings,
        };
        tx.check()?;
        Ok(tx)
    }

    /// Checks every rule of [`NewTransaction::new`] again (but the one on the kind). The
    /// store calls it before writing, as the other half of a paired assertion.
    pub fn check(&self) -> Result<(), LedgerError> {
        check_postings(&self.postings)?;
        if self.occurred_on.year() < MIN_YEAR {
            return Err(LedgerError::DateOutOfRange(self.occurred_on));
        }
        // A control character (NUL above all) would be stored by SQLite and refused by
        // PostgreSQL: refused here, the two engines behave the same (DESIGN.md §2).
        let memo_ok =
            self.memo.chars().count() <= MAX_MEMO_CHARS && !self.memo.chars().any(char::is_control);
        if !memo_ok {
            return Err(LedgerError::BadMemo);
        }
        if let Some((source_type, source_id)) = &self.source {
            let type_ok = (1..=MAX_SOURCE_TYPE_LEN).contains(&source_type.len())
                && source_type.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !type_ok || *source_id <= 0 {
                return Err(LedgerError::BadSource);
            }
        }
        Ok(())
    }

    /// The mirror of this transaction on `on`: every posting on the other side, same memo
    /// and source. Corrections are reversals, never edits (DESIGN.md §3). Which transactions
    /// may be reversed is the journal's rule ([`super::check_reversible`]); a date before
    /// [`MIN_YEAR`] makes the reversal fail [`NewTransaction::check`].
    pub fn reversal(&self, on: Date) -> NewTransaction {
        NewTransaction {
            kind: TransactionKind::Reversal,
            occurred_on: on,
            memo: self.memo.clone(),
            source: self.source.clone(),
            postings: self.postings.iter().map(|p| p.mirrored()).collect(),
        }
    }

    pub fn kind(&self) -> TransactionKind {
        self.kind
    }

    pub fn occurred_on(&self) -> Date {
        self.occurred_on
    }

    pub fn memo(&self) -> &str {
        &self.memo
    }

    pub fn source(&self) -> Option<(&str, i64)> {
        self.source.as_ref().map(|(t, id)| (t.as_str(), *id))
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }

    /// The amount the transaction moves: the sum of its debits (equal to that of its credits).
    pub fn amount_cents(&self) -> i64 {
        self.postings
            .iter()
            .map(|p| p.amount_cents)
            .filter(|a| *a > 0)
            .sum()
    }
}

/// The rules a set of postings follows to form a transaction (DESIGN.md §3): 2 to
/// [`MAX_POSTINGS`] postings on valid accounts, none zero or larger than
/// [`MAX_AMOUNT_CENTS`], each account once, summing to zero. The store applies it to what
/// it reads back as well.
pub fn check_postings(postings: &[Posting]) -> Result<(), LedgerError> {
    if postings.len() < 2 {
        return Err(LedgerError::TooFewPostings(postings.len()));
    }
    if postings.len() > MAX_POSTINGS {
        return Err(LedgerError::TooManyPostings(postings.len()));
    }
    let mut seen = HashSet::with_capacity(postings.len());
    for p in postings {
        p.account.check()?;
        if p.amount_cents == 0 {
            return Err(LedgerError::ZeroAmount(p.account));
        }
        if p.amount_cents.unsigned_abs() > MAX_AMOUNT_CENTS.unsigned_abs() {
            return Err(LedgerError::AmountTooLarge(p.account));
        }
        if !seen.insert(p.account) {
            return Err(LedgerError::DuplicateAccount(p.account));
        }
    }
    // At most 100 amounts of at most 10^14 each: the sum cannot overflow.
    let sum: i64 = postings.iter().map(|p| p.amount_cents).sum();
    if sum != 0 {
        return Err(LedgerError::Unbalanced(sum));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]

    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;
    use crate::invoicing::vat::VatCategory;

    const BUDGET: AccountCode = AccountCode::ActivityBudget(12);
    const BANK: AccountCode = AccountCode::EntityBank(1);
    const VAT: AccountCode = AccountCode::VatPayable {
        category: VatCategory::S,
        rate_bp: 2100,
    };

    fn tx(postings: Vec<Posting>) -> Result<NewTransaction, LedgerError> {
        NewTransaction::new(
            TransactionKind::InvoiceIssued,
            date(2026, 11, 26),
            "Invoice 2026/0001",
            Some(("invoice".into(), 1)),
            postings,
        )
    }

    #[test]
    fn an_invoice_balances_receivable_against_vat_and_the_invoiced_memo() {
        let t = tx(vec![
            Posting::debit(AccountCode::ClientReceivable(7), 121_00),
            Posting::credit(VAT, 21_00),
            Posting::credit(AccountCode::ActivityInvoiced(12), 100_00),
        ])
        .unwrap();
        assert_eq!(t.amount_cents(), 121_00);
        assert_eq!(t.postings()[1].amount_cents, -21_00);
        assert_eq!(t.source(), Some(("invoice", 1)));
    }

    #[test]
    fn an_unbalanced_transaction_is_refused() {
        let err = tx(vec![Posting::debit(BANK, 100), Posting::credit(BUDGET, 99)]);
        assert_eq!(err, Err(LedgerError::Unbalanced(1)));
    }

    #[test]
    fn a_transaction_needs_two_postings_and_at_most_a_hundred() {
        assert_eq!(tx(vec![]), Err(LedgerError::TooFewPostings(0)));
        assert_eq!(
            tx(vec![Posting::debit(BANK, 0)]),
            Err(LedgerError::TooFewPostings(1))
        );
        // 101 postings that balance, on distinct accounts.
        let mut many: Vec<Posting> = (1..=100)
            .map(|id| Posting::debit(AccountCode::ClientReceivable(id), 1))
            .collect();
        many.push(Posting::credit(BANK, 100));
        assert_eq!(tx(many.clone()), Err(LedgerError::TooManyPostings(101)));
        many.truncate(99);
        many.push(Posting::credit(BANK, 99));
        assert!(tx(many).is_ok());
    }

    #[test]
    fn a_zero_posting_and_a_repeated_account_are_refused() {
        let zero = tx(vec![
            Posting::debit(BANK, 100),
            Posting::credit(BUDGET, 100),
            Posting::debit(VAT, 0),
        ]);
        assert_eq!(zero, Err(LedgerError::ZeroAmount(VAT)));
        let twice = tx(vec![
            Posting::debit(BANK, 100),
            Posting::credit(BUDGET, 60),
            Posting::credit(BUDGET, 40),
        ]);
        assert_eq!(twice, Err(LedgerError::DuplicateAccount(BUDGET)));
    }

    #[test]
    fn huge_amounts_bad_accounts_dates_memos_and_sources_are_refused() {
        let huge = tx(vec![
            Posting::debit(BANK, i64::MAX),
            Posting::credit(BUDGET, i64::MAX),
        ]);
        assert_eq!(huge, Err(LedgerError::AmountTooLarge(BANK)));
        let min = tx(vec![
            Posting::new(BANK, i64::MIN),
            Posting::debit(BUDGET, 1),
        ]);
        assert_eq!(min, Err(LedgerError::AmountTooLarge(BANK)));
        let bad_account = tx(vec![
            Posting::debit(AccountCode::EntityBank(0), 1),
            Posting::credit(BUDGET, 1),
        ]);
        assert!(matches!(bad_account, Err(LedgerError::BadAccountCode(_))));
        let balanced = vec![Posting::debit(BANK, 1), Posting::credit(BUDGET, 1)];
        let kind = TransactionKind::Opening;
        let old = NewTransaction::new(kind, date(1899, 12, 31), "", None, balanced.clone());
        assert!(matches!(old, Err(LedgerError::DateOutOfRange(_))));
        let long = "x".repeat(MAX_MEMO_CHARS + 1);
        let memo = NewTransaction::new(kind, date(2026, 1, 1), long, None, balanced.clone());
        assert_eq!(memo, Err(LedgerError::BadMemo));
        let nul = NewTransaction::new(kind, date(2026, 1, 1), "a\0b", None, balanced.clone());
        assert_eq!(nul, Err(LedgerError::BadMemo));
        for source in [
            ("".to_string(), 1),
            ("invoice".to_string(), 0),
            ("Invoice".to_string(), 1),
        ] {
            let on = date(2026, 1, 1);
            let bad = NewTransaction::new(kind, on, "", Some(source), balanced.clone());
            assert_eq!(bad, Err(LedgerError::BadSource));
        }
    }

    #[test]
    fn a_reversal_is_only_made_from_its_original() {
        let postings = vec![Posting::debit(BANK, 100), Posting::credit(BUDGET, 100)];
        let on = date(2026, 1, 1);
        let direct = NewTransaction::new(TransactionKind::Reversal, on, "", None, postings);
        assert_eq!(direct, Err(LedgerError::ReversalWithoutOriginal));
    }

    #[test]
    fn a_reversal_mirrors_every_posting_and_keeps_memo_and_source() {
        let t = tx(vec![
            Posting::debit(AccountCode::ClientReceivable(7), 121_00),
            Posting::credit(VAT, 21_00),
            Posting::credit(AccountCode::ActivityInvoiced(12), 100_00),
        ])
        .unwrap();
        let r = t.reversal(date(2026, 12, 1));
        assert_eq!(r.kind(), TransactionKind::Reversal);
        assert_eq!(r.occurred_on(), date(2026, 12, 1));
        assert_eq!((r.memo(), r.source()), (t.memo(), t.source()));
        assert_eq!(
            r.postings()[0],
            Posting::credit(AccountCode::ClientReceivable(7), 121_00)
        );
        assert_eq!(r.check(), Ok(()));
        assert!(matches!(
            t.reversal(date(1800, 1, 1)).check(),
            Err(LedgerError::DateOutOfRange(_))
        ));
    }

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for kind in TransactionKind::ALL {
            assert_eq!(TransactionKind::parse(kind.code()), Ok(kind));
        }
        assert!(TransactionKind::parse("Invoice-Issued").is_err());
    }

    fn small_postings() -> impl Strategy<Value = Vec<Posting>> {
        let account = prop_oneof![
            (1i64..4).prop_map(AccountCode::ActivityBudget),
            (1i64..4).prop_map(AccountCode::ClientReceivable),
            Just(AccountCode::Suspense),
            Just(BANK),
        ];
        proptest::collection::vec((account, -3i64..=3), 0..8)
            .prop_map(|v| v.into_iter().map(|(a, c)| Posting::new(a, c)).collect())
    }

    proptest! {
        #[test]
        fn postings_are_taken_exactly_when_they_form_a_transaction(postings in small_postings()) {
            let accounts: HashSet<AccountCode> = postings.iter().map(|p| p.account).collect();
            let expected_valid = postings.len() >= 2
                && postings.iter().all(|p| p.amount_cents != 0)
                && accounts.len() == postings.len()
                && postings.iter().map(|p| p.amount_cents).sum::<i64>() == 0;
            prop_assert_eq!(tx(postings).is_ok(), expected_valid);
        }

        #[test]
        fn a_transaction_and_its_reversal_cancel_out_on_every_account(
            amounts in proptest::collection::vec(1i64..MAX_AMOUNT_CENTS, 1..20),
        ) {
            // Debits on distinct receivables, one credit on the bank for their sum.
            let mut postings: Vec<Posting> = amounts
                .iter()
                .enumerate()
                .map(|(i, a)| Posting::debit(AccountCode::ClientReceivable(i as i64 + 1), *a / 100))
                .filter(|p| p.amount_cents != 0)
                .collect();
            let total: i64 = postings.iter().map(|p| p.amount_cents).sum();
            postings.push(Posting::credit(BANK, total));
            prop_assume!(postings.len() >= 2);
            let t = tx(postings).unwrap();
            let r = t.reversal(date(2026, 12, 31));
            prop_assert_eq!(r.check(), Ok(()));
            prop_assert_eq!(r.amount_cents(), t.amount_cents());
            for (a, b) in t.postings().iter().zip(r.postings()) {
                prop_assert_eq!(a.account, b.account);
                prop_assert_eq!(a.amount_cents + b.amount_cents, 0);
            }
        }
    }
}
