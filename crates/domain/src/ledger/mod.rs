//! The ledger: a double-entry, append-only journal (DESIGN.md §3).
//!
//! Every movement of money is a [`NewTransaction`] whose [`Posting`]s balance: amounts are
//! integer cents, **debit positive, credit negative**, and they sum to zero. An activity's
//! budget, a client's balance, the guarantee fund… are balances of [`AccountCode`]s, never
//! numbers kept on the side. Nothing is edited: a mistake is corrected by its
//! [`NewTransaction::reversal`].
//!
//! Once you hold a `NewTransaction` it is valid (its constructor refuses the rest); the store
//! asserts the same sums again before writing and after reading back. [`Journal`] is the pure
//! in-memory model of the stored journal, used by the property tests.

mod account;
mod journal;
mod transaction;

pub use account::{AccountCode, AccountKind};
pub use journal::{Journal, JournalEntry, check_reversible};
pub use transaction::{NewTransaction, Posting, TransactionKind, check_postings};

/// At most this many postings in one transaction (TigerStyle: a bound on every list).
pub const MAX_POSTINGS: usize = 100;

/// The largest amount of one posting, in cents (one thousand billion euros). It keeps every
/// sum of postings far from `i64` overflow, and makes mirroring an amount always possible.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000_000_000;

/// The longest memo, in characters.
pub const MAX_MEMO_CHARS: usize = 500;

/// The longest source type (`invoice`, `bank-line`…): lowercase ASCII letters, digits,
/// `-` and `_`.
pub const MAX_SOURCE_TYPE_LEN: usize = 64;

/// The earliest year a transaction may occur in. Dates are stored as `YYYY-MM-DD` text and
/// compared as text: four-digit years keep that order right.
pub const MIN_YEAR: i16 = 1900;

/// Why a transaction, an account code or a reversal was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("a transaction needs at least two postings, it has {0}")]
    TooFewPostings(usize),
    #[error("a transaction has at most {MAX_POSTINGS} postings, it has {0}")]
    TooManyPostings(usize),
    #[error("the posting on {0} has a zero amount")]
    ZeroAmount(AccountCode),
    #[error("the posting on {0} is larger than {MAX_AMOUNT_CENTS} cents")]
    AmountTooLarge(AccountCode),
    #[error("the account {0} appears twice in one transaction")]
    DuplicateAccount(AccountCode),
    #[error("the postings do not balance: they sum to {0} cents")]
    Unbalanced(i64),
    #[error("the memo is longer than {MAX_MEMO_CHARS} characters or holds a control character")]
    BadMemo,
    #[error(
        "the source needs a type of 1 to {MAX_SOURCE_TYPE_LEN} of a-z, 0-9, - and _, and a positive id"
    )]
    BadSource,
    #[error("the date {0} is before {MIN_YEAR}")]
    DateOutOfRange(jiff::civil::Date),
    #[error("a reversal is made from the transaction it reverses")]
    ReversalWithoutOriginal,
    #[error("not an account code: {0:?}")]
    BadAccountCode(String),
    #[error("not a transaction kind: {0:?}")]
    BadTransactionKind(String),
    #[error("no such transaction")]
    UnknownTransaction,
    #[error("the transaction is already reversed")]
    AlreadyReversed,
    #[error("a reversal is never reversed")]
    ReversalIsFinal,
}

impl LedgerError {
    /// Stable code, used as a translation-key suffix (`err-ledger-<code>`): never rename one.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::TooFewPostings(_) => "too-few-postings",
            LedgerError::TooManyPostings(_) => "too-many-postings",
            LedgerError::ZeroAmount(_) => "zero-amount",
            LedgerError::AmountTooLarge(_) => "amount-too-large",
            LedgerError::DuplicateAccount(_) => "duplicate-account",
            LedgerError::Unbalanced(_) => "unbalanced",
            LedgerError::BadMemo => "bad-memo",
            LedgerError::BadSource => "bad-source",
            LedgerError::DateOutOfRange(_) => "date-out-of-range",
            LedgerError::ReversalWithoutOriginal => "reversal-without-original",
            LedgerError::BadAccountCode(_) => "bad-account-code",
            LedgerError::BadTransactionKind(_) => "bad-transaction-kind",
            LedgerError::UnknownTransaction => "unknown-transaction",
            LedgerError::AlreadyReversed => "already-reversed",
            LedgerError::ReversalIsFinal => "reversal-is-final",
        }
    }
}
