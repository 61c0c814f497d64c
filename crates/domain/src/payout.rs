//! Payout orders (C4 SEPA payouts, C6 salaries, C7 expenses): money the cooperative sends
//! from a legal entity's bank account by SEPA credit transfer. An order waits (`pending`),
//! goes into a pain.001 batch (`batched`) and is `paid` when the bank statement shows the
//! debit with its end-to-end id; only a pending order may be cancelled.
//!
//! The checks here are those of the pain.001.001.09 the order will be written into
//! (`shared/reference/payments.md` §7): a structured postal address with town and country
//! (unstructured addresses are refused from 15 Nov 2026, EPC rulebook 2025 v1.1), names and
//! texts in the SEPA character set once transliterated, at most 140 characters of
//! unstructured remittance, or a Belgian structured communication.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::ident::{Iban, IdentError, Ogm};
use crate::ledger::{
    AccountCode, LedgerError, MAX_AMOUNT_CENTS, MAX_SOURCE_TYPE_LEN, NewTransaction, Posting,
    TransactionKind,
};
use crate::sepa_text::to_sepa_text;
use crate::validate::FieldErrors;

/// What a payout pays. The code is stored in `payouts.kind`: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayoutKind {
    /// A net salary: written in a payment group of category purpose `SALA`.
    Salary,
    /// An expense claim reimbursed to the person who paid.
    Expense,
    /// Money given back to a client (an over-payment, a credit note on a paid invoice).
    Refund,
    Other,
}

impl PayoutKind {
    pub const ALL: [PayoutKind; 4] = [
        PayoutKind::Salary,
        PayoutKind::Expense,
        PayoutKind::Refund,
        PayoutKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PayoutKind::Salary => "salary",
            PayoutKind::Expense => "expense",
            PayoutKind::Refund => "refund",
            PayoutKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PayoutKind> {
        PayoutKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The ISO 20022 category purpose of the payment group (`PmtTpInf/CtgyPurp/Cd`):
    /// `SALA` for salaries, which banks may book confidentially; none for the rest.
    pub fn category_purpose(self) -> Option<&'static str> {
        match self {
            PayoutKind::Salary => Some("SALA"),
            PayoutKind::Expense | PayoutKind::Refund | PayoutKind::Other => None,
        }
    }

    /// The ledger account the money comes from when none is given.
    pub fn default_account(self) -> AccountCode {
        match self {
            PayoutKind::Salary => AccountCode::SalariesPayable,
            PayoutKind::Expense => AccountCode::ExpensesPayable,
            PayoutKind::Refund | PayoutKind::Other => AccountCode::Suspense,
        }
    }

    /// Whether the money of this kind may come from `account`: a salary from the net
    /// salaries due, an expense from the expenses to reimburse, a refund from what a client
    /// is owed or from the suspense account; never from a bank account (the payout's
    /// other side).
    pub fn accepts_account(self, account: AccountCode) -> bool {
        match self {
            PayoutKind::Salary => account == AccountCode::SalariesPayable,
            PayoutKind::Expense => account == AccountCode::ExpensesPayable,
            PayoutKind::Refund => matches!(
                account,
                AccountCode::ClientReceivable(_) | AccountCode::Suspense
            ),
            PayoutKind::Other => !matches!(account, AccountCode::EntityBank(_)),
        }
    }

    /// The kind of the ledger transaction posted when the payout is paid.
    pub fn transaction_kind(self) -> TransactionKind {
        match self {
            PayoutKind::Salary => TransactionKind::SalaryPaid,
            PayoutKind::Expense => TransactionKind::ExpenseReimbursed,
            PayoutKind::Refund | PayoutKind::Other => TransactionKind::PaymentSent,
        }
    }
}

/// Where an order stands. The code is stored in `payouts.status`: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayoutStatus {
    Pending,
    Batched,
    Paid,
    Cancelled,
}

/// What happens to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayoutEvent {
    /// Written into a pain.001 batch.
    Batch,
    /// The bank statement shows the debit.
    Settle,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} payout cannot take {event:?}")]
pub struct PayoutTransitionRefused {
    pub from: PayoutStatus,
    pub event: PayoutEvent,
}

impl PayoutStatus {
    pub const ALL: [PayoutStatus; 4] = [
        PayoutStatus::Pending,
        PayoutStatus::Batched,
        PayoutStatus::Paid,
        PayoutStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PayoutStatus::Pending => "pending",
            PayoutStatus::Batched => "batched",
            PayoutStatus::Paid => "paid",
            PayoutStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PayoutStatus> {
        PayoutStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Pending → batched → paid; cancelled only while pending: once the file may have gone
    /// to the bank, the order is the bank's, and only the statement settles it.
    pub fn apply(self, event: PayoutEvent) -> Result<PayoutStatus, PayoutTransitionRefused> {
        match (self, event) {
            (PayoutStatus::Pending, PayoutEvent::Batch) => Ok(PayoutStatus::Batched),
            (PayoutStatus::Batched, PayoutEvent::Settle) => Ok(PayoutStatus::Paid),
            (PayoutStatus::Pending, PayoutEvent::Cancel) => Ok(PayoutStatus::Cancelled),
            (from, event) => Err(PayoutTransitionRefused { from, event }),
        }
    }
}

/// The most characters of a party's name in a SEPA credit transfer (EPC: 70).
pub const MAX_NAME_CHARS: usize = 70;
/// `RmtInf/Ustrd`: at most 140 characters.
pub const MAX_REMITTANCE_CHARS: usize = 140;
/// `StrtNm` (Max70Text), `BldgNb` and `PstCd` (Max16Text), `TwnNm` (Max35Text).
pub const MAX_STREET_CHARS: usize = 70;
pub const MAX_BUILDING_CHARS: usize = 16;
pub const MAX_POSTCODE_CHARS: usize = 16;
pub const MAX_TOWN_CHARS: usize = 35;

/// A structured postal address (pain.001 `PstlAdr`): town and country are mandatory
/// (EPC rulebook 2025 v1.1, in force for addresses from 15 Nov 2026), the rest optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub street: Option<String>,
    pub building_number: Option<String>,
    pub postcode: Option<String>,
    pub town: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
}

impl PostalAddress {
    /// Reads the five fields, each checked on its SEPA (transliterated) form; the errors
    /// name the fields `<prefix>street`, `<prefix>building_number`, `<prefix>postcode`,
    /// `<prefix>town`, `<prefix>country` (the prefix is empty in the forms of ruche).
    pub fn parse(
        e: &mut FieldErrors,
        street: &str,
        building_number: &str,
        postcode: &str,
        town: &str,
        country: &str,
    ) -> PostalAddress {
        let street = sepa_optional(e, "street", street, MAX_STREET_CHARS);
        let building_number =
            sepa_optional(e, "building_number", building_number, MAX_BUILDING_CHARS);
        let postcode = sepa_optional(e, "postcode", postcode, MAX_POSTCODE_CHARS);
        let town = sepa_required(e, "town", town, MAX_TOWN_CHARS);
        let country = country.trim().to_ascii_uppercase();
        if country.is_empty() {
            e.add("country", "required");
        } else if !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())) {
            e.add("country", "country");
        }
        PostalAddress {
            street,
            building_number,
            postcode,
            town,
            country,
        }
    }
}

/// What the beneficiary reads on the statement: free text, or a structured communication
/// (`Strd/CdtrRefInf`, type `SCOR`, issuer `BBA`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Remittance {
    Text(String),
    Ogm(Ogm),
}

impl Remittance {
    /// A typed remittance: a structured communication when it is written like one
    /// (`+++…+++`, `***…***` or twelve digits) — its check digits must then hold — free
    /// text otherwise, at most 140 SEPA characters. `None` when blank.
    pub fn parse(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Remittance> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let looks_structured = v.starts_with("+++")
            || v.starts_with("***")
            || (digits == 12
                && v.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '/' | '.')));
        if looks_structured {
            return match Ogm::parse(v) {
                Ok(ogm) => Some(Remittance::Ogm(ogm)),
                Err(err) => {
                    e.add(field, err.code());
                    None
                }
            };
        }
        sepa_required(e, field, v, MAX_REMITTANCE_CHARS);
        Some(Remittance::Text(v.to_string()))
    }

    /// As stored in `payouts.remittance`: the text, or the twelve digits of the OGM.
    pub fn stored(&self) -> (&str, bool) {
        match self {
            Remittance::Text(t) => (t, false),
            Remittance::Ogm(o) => (o.as_str(), true),
        }
    }
}

/// A BIC (ISO 9362): 4 letters or digits for the institution, 2 letters for the country,
/// 2 letters or digits for the location, optionally 3 for the branch — the pattern of the
/// pain.001.001.09 `BICFIDec2014Identifier`. Upper-cased, spaces removed.
pub fn parse_bic(input: &str) -> Result<String, IdentError> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if s.is_empty() {
        return Err(IdentError::Empty);
    }
    let b = s.as_bytes();
    let alnum = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_alphanumeric);
    let ok = (s.len() == 8 || s.len() == 11)
        && alnum(0..4)
        && b[4..6].iter().all(u8::is_ascii_uppercase)
        && alnum(6..s.len());
    if ok { Ok(s) } else { Err(IdentError::Format) }
}

/// A payout order ready to be stored: every field checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPayout {
    pub kind: PayoutKind,
    /// The legal entity that pays: its IBAN is the debtor account.
    pub entity_id: i64,
    pub beneficiary_name: String,
    pub iban: Iban,
    pub bic: Option<String>,
    pub address: PostalAddress,
    pub amount_cents: i64,
    pub remittance: Option<Remittance>,
    /// Debited when the payout is paid; the entity's bank account is credited.
    pub ledger_account: AccountCode,
    pub activity_id: Option<i64>,
    pub person_id: Option<i64>,
    /// The record the order comes from (`expense-claim`, 12), for the features that create
    /// orders (salaries, expense claims).
    pub source: Option<(String, i64)>,
    pub requested_on: Date,
}

/// The API's body (JSON): ids and cents as numbers.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PayoutRequest {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub entity_id: i64,
    #[serde(default)]
    pub beneficiary_name: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub bic: Option<String>,
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub building_number: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub amount_cents: i64,
    /// Free text, or a structured communication.
    #[serde(default)]
    pub remittance: Option<String>,
    /// An account code (`suspense`, `client:7:receivable`); the kind's default when absent.
    #[serde(default)]
    pub ledger_account: Option<String>,
    #[serde(default)]
    pub activity_id: Option<i64>,
    #[serde(default)]
    pub person_id: Option<i64>,
    #[serde(default)]
    pub source_type: Option<String>,
    #[serde(default)]
    pub source_id: Option<i64>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub requested_on: String,
}

/// The page's form: everything as typed, the amount in euros (`1.234,56`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PayoutForm {
    #[serde(default)]
    pub kind: String,
    /// The paying legal entity's id.
    #[serde(default)]
    pub payer_entity: String,
    #[serde(default)]
    pub beneficiary_name: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub bic: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub building_number: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub remittance: String,
    #[serde(default)]
    pub ledger_account: String,
    #[serde(default)]
    pub requested_on: String,
}

/// The fields both entries share, as text.
struct Fields<'a> {
    kind: &'a str,
    beneficiary_name: &'a str,
    iban: &'a str,
    bic: &'a str,
    street: &'a str,
    building_number: &'a str,
    postcode: &'a str,
    town: &'a str,
    country: &'a str,
    remittance: &'a str,
    ledger_account: &'a str,
    requested_on: &'a str,
}

/// The checks of every field but the amount and the ids; `None` where a field is wrong.
struct Checked {
    kind: Option<PayoutKind>,
    beneficiary_name: String,
    iban: Option<Iban>,
    bic: Option<String>,
    address: PostalAddress,
    remittance: Option<Remittance>,
    ledger_account: Option<AccountCode>,
    requested_on: Option<Date>,
}

fn check_fields(e: &mut FieldErrors, f: &Fields<'_>) -> Checked {
    let kind = match f.kind.trim() {
        "" => {
            e.add("kind", "required");
            None
        }
        k => {
            let kind = PayoutKind::parse(k);
            if kind.is_none() {
                e.add("kind", "format");
            }
            kind
        }
    };
    let beneficiary_name = sepa_required(e, "beneficiary_name", f.beneficiary_name, MAX_NAME_CHARS);
    let iban = e.ident("iban", f.iban, Iban::parse);
    let bic = e.optional_ident("bic", f.bic, parse_bic);
    let address = PostalAddress::parse(
        e,
        f.street,
        f.building_number,
        f.postcode,
        f.town,
        f.country,
    );
    let remittance = Remittance::parse(e, "remittance", f.remittance);
    let ledger_account = match (kind, f.ledger_account.trim()) {
        (None, _) => None,
        (Some(kind), "") => Some(kind.default_account()),
        (Some(kind), code) => match AccountCode::parse(code) {
            Ok(account) if kind.accepts_account(account) => Some(account),
            Ok(_) => {
                e.add("ledger_account", "payout-account");
                None
            }
            Err(_) => {
                e.add("ledger_account", "format");
                None
            }
        },
    };
    let requested_on = match f.requested_on.trim() {
        "" => {
            e.add("requested_on", "required");
            None
        }
        d => match d.parse::<Date>() {
            Ok(date) if date.year() >= 2000 => Some(date),
            _ => {
                e.add("requested_on", "date");
                None
            }
        },
    };
    Checked {
        kind,
        beneficiary_name,
        iban,
        bic,
        address,
        remittance,
        ledger_account,
        requested_on,
    }
}

fn check_amount(e: &mut FieldErrors, field: &'static str, cents: i64) {
    if cents <= 0 || cents > MAX_AMOUNT_CENTS {
        e.add(field, "payout-amount");
    }
}

fn finish(
    e: FieldErrors,
    c: Checked,
    entity_id: Option<i64>,
    amount_cents: i64,
    activity_id: Option<i64>,
    person_id: Option<i64>,
    source: Option<(String, i64)>,
) -> Result<NewPayout, FieldErrors> {
    match (c.kind, c.iban, c.ledger_account, c.requested_on, entity_id) {
        (Some(kind), Some(iban), Some(ledger_account), Some(requested_on), Some(entity_id))
            if e.is_empty() =>
        {
            Ok(NewPayout {
                kind,
                entity_id,
                beneficiary_name: c.beneficiary_name,
                iban,
                bic: c.bic,
                address: c.address,
                amount_cents,
                remittance: c.remittance,
                ledger_account,
                activity_id,
                person_id,
                source,
                requested_on,
            })
        }
        _ => Err(e),
    }
}

impl PayoutRequest {
    pub fn parse(&self) -> Result<NewPayout, FieldErrors> {
        let mut e = FieldErrors::new();
        let c = check_fields(
            &mut e,
            &Fields {
                kind: &self.kind,
                beneficiary_name: &self.beneficiary_name,
                iban: &self.iban,
                bic: self.bic.as_deref().unwrap_or(""),
                street: self.street.as_deref().unwrap_or(""),
                building_number: self.building_number.as_deref().unwrap_or(""),
                postcode: self.postcode.as_deref().unwrap_or(""),
                town: &self.town,
                country: &self.country,
                remittance: self.remittance.as_deref().unwrap_or(""),
                ledger_account: self.ledger_account.as_deref().unwrap_or(""),
                requested_on: &self.requested_on,
            },
        );
        check_amount(&mut e, "amount_cents", self.amount_cents);
        if self.entity_id <= 0 {
            e.add("entity_id", "required");
        }
        for (field, id) in [
            ("activity_id", self.activity_id),
            ("person_id", self.person_id),
        ] {
            if id.is_some_and(|id| id <= 0) {
                e.add(field, "format");
            }
        }
        let source = match (&self.source_type, self.source_id) {
            (None, None) => None,
            (Some(t), Some(id)) if valid_source_type(t) && id > 0 => Some((t.clone(), id)),
            _ => {
                e.add("source_type", "format");
                None
            }
        };
        finish(
            e,
            c,
            Some(self.entity_id),
            self.amount_cents,
            self.activity_id,
            self.person_id,
            source,
        )
    }
}

impl PayoutForm {
    pub fn parse(&self) -> Result<NewPayout, FieldErrors> {
        let mut e = FieldErrors::new();
        let c = check_fields(
            &mut e,
            &Fields {
                kind: &self.kind,
                beneficiary_name: &self.beneficiary_name,
                iban: &self.iban,
                bic: &self.bic,
                street: &self.street,
                building_number: &self.building_number,
                postcode: &self.postcode,
                town: &self.town,
                country: &self.country,
                remittance: &self.remittance,
                ledger_account: &self.ledger_account,
                requested_on: &self.requested_on,
            },
        );
        let amount = if self.amount.trim().is_empty() {
            e.add("amount", "required");
            0
        } else {
            match parse_money(&self.amount) {
                Some(cents) => {
                    check_amount(&mut e, "amount", cents);
                    cents
                }
                None => {
                    e.add("amount", "payout-amount");
                    0
                }
            }
        };
        let entity_id = match self.payer_entity.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                e.add("payer_entity", "required");
                None
            }
        };
        finish(e, c, entity_id, amount, None, None, None)
    }
}

/// Same rule as the ledger's source type (`ledger::NewTransaction::check`).
fn valid_source_type(t: &str) -> bool {
    (1..=MAX_SOURCE_TYPE_LEN).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A text that must not be empty, checked on its SEPA form (`é` → `e`, `ß` → `ss`): the
/// length the bank will see.
fn sepa_required(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "required");
    } else if to_sepa_text(v).chars().count() > max {
        e.add(field, "too-long");
    } else if v.chars().any(char::is_control) {
        e.add(field, "format");
    }
    v.to_string()
}

fn sepa_optional(
    e: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    Some(sepa_required(e, field, v, max))
}

/// The source type of the ledger transactions of payouts.
pub const SOURCE_TYPE: &str = "payout";

/// The ledger transaction of a paid payout: the order's account is debited, the paying
/// entity's bank account credited (the money left it).
pub fn payout_transaction(
    payout_id: i64,
    kind: PayoutKind,
    entity_id: i64,
    account: AccountCode,
    amount_cents: i64,
    on: Date,
    end_to_end_id: &str,
) -> Result<NewTransaction, LedgerError> {
    NewTransaction::new(
        kind.transaction_kind(),
        on,
        format!("payout {end_to_end_id}"),
        Some((SOURCE_TYPE.to_string(), payout_id)),
        vec![
            Posting::debit(account, amount_cents),
            Posting::credit(AccountCode::EntityBank(entity_id), amount_cents),
        ],
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;

    use super::*;

    fn form() -> PayoutForm {
        PayoutForm {
            kind: "refund".into(),
            payer_entity: "1".into(),
            beneficiary_name: "Françoise Lemaître".into(),
            iban: "BE71 0961 2345 6769".into(),
            bic: "gkcc bebb".into(),
            street: "Rue de l'Église".into(),
            building_number: "12".into(),
            postcode: "4000".into(),
            town: "Liège".into(),
            country: "be".into(),
            amount: "1.234,56".into(),
            remittance: "+++202/6000/04236+++".into(),
            ledger_account: "client:7:receivable".into(),
            requested_on: "2026-12-01".into(),
        }
    }

    #[test]
    fn a_complete_form_gives_an_order() {
        let p = form().parse().unwrap();
        assert_eq!(p.kind, PayoutKind::Refund);
        assert_eq!(p.amount_cents, 123_456);
        assert_eq!(p.iban.as_str(), "BE71096123456769");
        assert_eq!(p.bic.as_deref(), Some("GKCCBEBB"));
        assert_eq!(p.address.country, "BE");
        assert_eq!(p.ledger_account, AccountCode::ClientReceivable(7));
        assert_eq!(
            p.remittance,
            Some(Remittance::Ogm(Ogm::parse("202600004236").unwrap()))
        );
        assert_eq!(p.requested_on, date(2026, 12, 1));
    }

    #[test]
    fn town_and_country_are_mandatory_in_a_structured_address() {
        let mut f = form();
        f.town = " ".into();
        f.country = "".into();
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("town"), Some("required"));
        assert_eq!(e.get("country"), Some("required"));
        f.town = "Gent".into();
        f.country = "Belgium".into();
        assert_eq!(f.parse().unwrap_err().get("country"), Some("country"));
    }

    #[test]
    fn an_amount_must_be_positive() {
        let mut f = form();
        f.amount = "0".into();
        assert_eq!(f.parse().unwrap_err().get("amount"), Some("payout-amount"));
        f.amount = "-5".into();
        assert_eq!(f.parse().unwrap_err().get("amount"), Some("payout-amount"));
        f.amount = "douze".into();
        assert_eq!(f.parse().unwrap_err().get("amount"), Some("payout-amount"));
    }

    #[test]
    fn lengths_are_counted_on_the_transliterated_text() {
        let mut f = form();
        // 35 characters typed, 36 once `ß` is written `ss`: too long for TwnNm.
        f.town = format!("{}ß", "a".repeat(34));
        assert_eq!(f.parse().unwrap_err().get("town"), Some("too-long"));
        f.town = "a".repeat(35);
        assert!(f.parse().is_ok());
        f.remittance = "x".repeat(141);
        assert_eq!(f.parse().unwrap_err().get("remittance"), Some("too-long"));
    }

    #[test]
    fn a_structured_communication_must_have_its_check_digits() {
        let mut f = form();
        f.remittance = "+++202/6000/04237+++".into();
        assert_eq!(f.parse().unwrap_err().get("remittance"), Some("checksum"));
        f.remittance = "Remboursement trop-perçu".into();
        assert_eq!(
            f.parse().unwrap().remittance,
            Some(Remittance::Text("Remboursement trop-perçu".into()))
        );
        f.remittance = "".into();
        assert_eq!(f.parse().unwrap().remittance, None);
    }

    #[test]
    fn each_kind_takes_its_money_from_its_own_accounts() {
        let mut f = form();
        f.ledger_account = "entity:1:bank".into();
        assert_eq!(
            f.parse().unwrap_err().get("ledger_account"),
            Some("payout-account")
        );
        f.ledger_account = "salaries:payable".into();
        assert_eq!(
            f.parse().unwrap_err().get("ledger_account"),
            Some("payout-account")
        );
        f.ledger_account = "".into();
        assert_eq!(f.parse().unwrap().ledger_account, AccountCode::Suspense);
        f.kind = "salary".into();
        assert_eq!(
            f.parse().unwrap().ledger_account,
            AccountCode::SalariesPayable
        );
        f.ledger_account = "suspense".into();
        assert!(f.parse().is_err());
        f.kind = "loan".into();
        assert_eq!(f.parse().unwrap_err().get("kind"), Some("format"));
    }

    #[test]
    fn a_bic_has_eight_or_eleven_characters_and_a_country() {
        assert_eq!(parse_bic("GEBABEBB").unwrap(), "GEBABEBB");
        assert_eq!(parse_bic("gkcc be bb xxx").unwrap(), "GKCCBEBBXXX");
        assert_eq!(parse_bic("GEBA12BB"), Err(IdentError::Format));
        assert_eq!(parse_bic("GEBABEB"), Err(IdentError::Format));
        assert_eq!(parse_bic(" "), Err(IdentError::Empty));
    }

    #[test]
    fn the_api_body_names_its_own_fields() {
        let r = PayoutRequest {
            kind: "expense".into(),
            entity_id: 0,
            beneficiary_name: "A".into(),
            iban: "BE71096123456769".into(),
            town: "Gent".into(),
            country: "BE".into(),
            amount_cents: 0,
            requested_on: "2026-12-01".into(),
            source_type: Some("Expense Claim".into()),
            source_id: Some(3),
            ..PayoutRequest::default()
        };
        let e = r.parse().unwrap_err();
        assert_eq!(e.get("amount_cents"), Some("payout-amount"));
        assert_eq!(e.get("entity_id"), Some("required"));
        assert_eq!(e.get("source_type"), Some("format"));
        let ok = PayoutRequest {
            entity_id: 1,
            amount_cents: 4_250,
            source_type: Some("expense-claim".into()),
            ..r
        }
        .parse()
        .unwrap();
        assert_eq!(ok.source, Some(("expense-claim".into(), 3)));
        assert_eq!(ok.ledger_account, AccountCode::ExpensesPayable);
    }

    #[test]
    fn an_order_is_cancelled_only_while_pending_and_paid_only_once_batched() {
        use PayoutEvent::*;
        use PayoutStatus::*;
        assert_eq!(Pending.apply(Batch), Ok(Batched));
        assert_eq!(Batched.apply(Settle), Ok(Paid));
        assert_eq!(Pending.apply(Cancel), Ok(Cancelled));
        assert!(Pending.apply(Settle).is_err());
        assert!(Batched.apply(Cancel).is_err());
        assert!(Batched.apply(Batch).is_err());
        assert!(Paid.apply(Settle).is_err());
        assert!(Cancelled.apply(Batch).is_err());
        for s in PayoutStatus::ALL {
            assert_eq!(PayoutStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn a_paid_payout_debits_its_account_and_credits_the_bank() {
        let t = payout_transaction(
            9,
            PayoutKind::Salary,
            1,
            AccountCode::SalariesPayable,
            185_000,
            date(2026, 12, 1),
            "PO-9",
        )
        .unwrap();
        assert_eq!(t.kind(), TransactionKind::SalaryPaid);
        assert_eq!(
            t.postings(),
            &[
                Posting::debit(AccountCode::SalariesPayable, 185_000),
                Posting::credit(AccountCode::EntityBank(1), 185_000),
            ]
        );
        assert_eq!(t.source(), Some(("payout", 9)));
        assert_eq!(
            PayoutKind::Refund.transaction_kind(),
            TransactionKind::PaymentSent
        );
        assert_eq!(PayoutKind::Salary.category_purpose(), Some("SALA"));
        assert_eq!(PayoutKind::Expense.category_purpose(), None);
    }
}
