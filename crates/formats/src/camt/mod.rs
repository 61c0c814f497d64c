//! camt.053 (ISO 20022 `BankToCustomerStatement`), versions `.001.02` and `.001.08`
//! (`shared/reference/payments.md` §2): the bank statement ruche reads to match incoming
//! money to invoices.
//!
//! Elements are matched by local name, so the version's namespace (and any prefix) does not
//! matter; the two layouts that differ are read both ways:
//! - entry status: `Sts` is a code in `.02`, `Sts/Cd` (or `Sts/Prtry`) in `.08`;
//! - parties: `Dbtr/Nm` in `.02`, `Dbtr/Pty/Nm` in `.08`;
//! - transaction amount: `AmtDtls/TxAmt/Amt` in `.02`, `TxDtls/Amt` (+ its own
//!   `CdtDbtInd`) in `.08`.
//!
//! [`parse`] refuses only what it cannot read: malformed XML, a root that is not a camt.053,
//! a missing mandatory element or an unreadable value (the error says which, with its path).
//! What a bookkeeper must look at — balances that do not add up, batch details that do not
//! sum to their entry, an OGM with wrong check digits, a balance type it does not know —
//! is reported in [`CamtFile::warnings`]: the statement is still read whole.

mod check;
mod read;

use std::fmt;

use jiff::civil::Date;
use ruche_domain::ident::Ogm;

pub use read::parse;

/// A camt.053 document: one group header and its statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CamtFile {
    pub version: CamtVersion,
    /// `GrpHdr/MsgId`.
    pub message_id: String,
    pub statements: Vec<Statement>,
    /// What does not add up or was not understood, in document order. Never a reason to
    /// refuse the file: the import shows them before booking.
    pub warnings: Vec<CamtWarning>,
}

/// The message version, from the namespace of `Document`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CamtVersion {
    /// `urn:iso:std:iso:20022:tech:xsd:camt.053.001.02` (2009, still the most common).
    V02,
    /// `urn:iso:std:iso:20022:tech:xsd:camt.053.001.08` (2019, SEPA rulebooks 2023+).
    V08,
    /// Another or no namespace: read with the same rules, and a warning.
    Other(String),
}

/// One `Stmt`: one account over one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `Stmt/Id`.
    pub id: String,
    /// `ElctrncSeqNb`: its continuity per account is checked by the import.
    pub electronic_sequence: Option<u64>,
    /// `LglSeqNb`.
    pub legal_sequence: Option<u64>,
    /// The date part of `Stmt/CreDtTm`, as written (the bank's local date).
    pub created_on: Option<Date>,
    pub account: Account,
    /// `OPBD`, or `PRCD` (the previous closing) when there is no `OPBD`.
    pub opening: Option<Balance>,
    /// `CLBD`.
    pub closing: Option<Balance>,
    /// Every other balance (`ITBD`, `CLAV`, …), kept for display.
    pub other_balances: Vec<Balance>,
    pub entries: Vec<Entry>,
}

/// `Stmt/Acct`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// `Acct/Id/IBAN`, as written.
    pub iban: Option<String>,
    /// `Acct/Id/Othr/Id`, for an account without IBAN.
    pub other_id: Option<String>,
    /// `Acct/Ccy`.
    pub currency: Option<String>,
}

/// One `Bal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// `Tp/CdOrPrtry/Cd` (or `/Prtry`): `OPBD`, `CLBD`, …
    pub kind: String,
    /// Signed by `CdtDbtInd`: a debit (overdrawn) balance is negative.
    pub cents: i64,
    pub currency: Option<String>,
    /// `Dt/Dt`, or the date part of `Dt/DtTm`.
    pub date: Date,
}

/// One `Ntry`: one booking on the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `NtryRef`.
    pub reference: Option<String>,
    /// Signed by `CdtDbtInd`: money in is positive, money out negative, reversal or not.
    pub cents: i64,
    pub currency: Option<String>,
    /// `RvslInd`. ISO 20022: a reversal keeps the indicator of its own booking, so a `CRDT`
    /// reversal undoes a debit; its amount is signed like any other.
    pub reversal: bool,
    pub status: EntryStatus,
    pub booking_date: Option<Date>,
    pub value_date: Option<Date>,
    /// `AcctSvcrRef`, the bank's unique reference: the import's idempotency key.
    pub servicer_reference: Option<String>,
    /// `AddtlNtryInf`.
    pub additional_info: Option<String>,
    /// Every `NtryDtls/TxDtls`, in order; several for a batch booking.
    pub transactions: Vec<Transaction>,
}

/// `Ntry/Sts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryStatus {
    /// `BOOK`: only these move the booked balance.
    Booked,
    /// `PDNG`.
    Pending,
    /// `INFO`.
    Information,
    Other(String),
}

/// One `TxDtls`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// `Refs/EndToEndId`; `NOTPROVIDED` is kept as written.
    pub end_to_end_id: Option<String>,
    /// Signed: `.08` `TxDtls/Amt` with its own `CdtDbtInd`, else `AmtDtls/TxAmt/Amt`, else
    /// `AmtDtls/InstdAmt/Amt`, signed like the entry. `None` when the details carry none.
    pub cents: Option<i64>,
    /// The other side of the original payment: the debtor of a credit, the creditor of a
    /// debit (for a reversal, of the payment it reverses).
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    /// Every `RmtInf/Strd/CdtrRefInf` with a `Ref`.
    pub creditor_references: Vec<CreditorReference>,
    /// Every `RmtInf/Ustrd`, in order (banks cut long texts into several).
    pub unstructured: Vec<String>,
    /// `AddtlTxInf`.
    pub additional_info: Option<String>,
}

/// `RmtInf/Strd/CdtrRefInf`, by its issuer (`Tp/Issr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditorReference {
    /// `BBA`: a Belgian structured communication. `digits` is the reference without
    /// `+++`, slashes or spaces (as written when it is not twelve digits); `ogm` is `None`
    /// when it fails the format or mod-97 check — real files carry such references, so the
    /// line is flagged ([`CamtWarning::InvalidOgm`]), never refused (payments.md §4.7).
    Ogm { digits: String, ogm: Option<Ogm> },
    /// `ISO`: an ISO 11649 `RF` creditor reference, as written.
    Rf(String),
    /// Any other or no issuer.
    Other {
        issuer: Option<String>,
        reference: String,
    },
}

/// Where in the file a warning points: the statement's `Id` and the entry's position
/// (1-based) in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryAt {
    pub statement: String,
    pub entry: usize,
}

impl fmt::Display for EntryAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "statement {}, entry {}", self.statement, self.entry)
    }
}

/// What the import must show before booking, without refusing the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CamtWarning {
    /// Opening + booked entries ≠ closing (payments.md §4.8).
    #[error(
        "statement {statement}: opening {opening} + booked entries {entries} is not the closing balance {closing} (cents)"
    )]
    BalanceMismatch {
        statement: String,
        opening: i64,
        entries: i64,
        closing: i64,
    },
    /// No opening or closing booked balance: the statement cannot be checked.
    #[error("statement {statement}: no {which} balance, the balance cannot be checked")]
    BalanceMissing {
        statement: String,
        which: &'static str,
    },
    #[error("statement {statement}: unknown balance type {code:?}, kept aside")]
    UnknownBalanceType { statement: String, code: String },
    /// A batch whose details do not add up to the booking (charges deducted, a detail
    /// missing, another currency).
    #[error("{at}: the transaction details sum to {details} cents, the entry is {entry}")]
    DetailsDoNotSumToEntry {
        at: EntryAt,
        entry: i64,
        details: i64,
    },
    /// A `BBA` reference that is not a valid OGM: matched by hand or fuzzily.
    #[error("{at}: structured reference {reference:?} is not a valid OGM")]
    InvalidOgm { at: EntryAt, reference: String },
    #[error("namespace {0:?} is not camt.053.001.02 nor .08: read with the same rules")]
    UnknownVersion(String),
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CamtError {
    /// Not well-formed XML.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// Well-formed XML that is not a `Document/BkToCstmrStmt`.
    #[error("not a camt.053 statement: {0}")]
    NotCamt053(String),
    /// A mandatory element is absent or empty; the path says where
    /// (`Stmt[2]/Ntry[5]/CdtDbtInd`).
    #[error("{0} is missing")]
    Missing(String),
    /// An element is present but its value cannot be read.
    #[error("{path}: {reason} ({value:?})")]
    Invalid {
        path: String,
        value: String,
        reason: &'static str,
    },
}
