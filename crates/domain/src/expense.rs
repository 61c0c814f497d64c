//! Expense claims (C7): a member holding an activity files an expense paid for it (with its
//! receipt), a business trip with their own vehicle (the kilometre allowance, [`crate::mileage`])
//! or a supplier's invoice to pay directly from the budget; an advisor of the activity's
//! office approves or refuses it with a reason; the claimant may withdraw it while it waits.
//!
//! An approved claim is reimbursed only from what the activity's budget holds (paid in − work
//! reserved − expenses already committed: the balance of `activity:<a>:budget`): the approval
//! posts `expense-reimbursed` (the budget debited, `expenses:payable` credited) and creates
//! the payout order of the SEPA batch, due on the cut-off date ([`payout_date`]: claims in by
//! the 15th are paid with that month's pay). The store does both in one transaction.
//!
//! A receipt is an image (JPEG, PNG, WebP) or a PDF, recognised from its first bytes, never
//! from its name, at most [`MAX_RECEIPT_BYTES`]; one is required above the dated threshold
//! ([`receipt_threshold_cents`]) except for mileage, which needs the trip instead (from, to,
//! purpose, kilometres).

use jiff::civil::{Date, date};
use serde::{Deserialize, Deserializer, Serialize};

use crate::dunning::calendar::is_working_day;
use crate::format::parse_money;
use crate::ident::Iban;
use crate::ledger::{AccountCode, LedgerError, NewTransaction, Posting, TransactionKind};
use crate::mileage::{AppliedRate, MileageError, mileage_table};
use crate::payout::{NewPayout, PayoutKind, PostalAddress, Remittance, parse_bic};
use crate::sepa_text::to_sepa_text;
use crate::validate::FieldErrors;

/// The `source_type` of the ledger transaction and of the payout order of a claim.
pub const SOURCE_TYPE: &str = "expense-claim";

/// Claims submitted up to this day of the month are paid with that month's pay (the
/// cooperative's payroll calendar; reference/anchors.md, "claims filed by the 15th").
pub const CUT_OFF_DAY: i8 = 15;

/// The largest receipt: 10 MB.
pub const MAX_RECEIPT_BYTES: usize = 10 * 1024 * 1024;
/// The description of the expense (for mileage: the trip's purpose).
pub const MAX_DESCRIPTION_CHARS: usize = 300;
/// The reason of a refusal.
pub const MAX_REASON_CHARS: usize = 500;
/// A place of departure or arrival.
pub const MAX_PLACE_CHARS: usize = 100;
/// The original name of a receipt, as kept.
pub const MAX_FILE_NAME_CHARS: usize = 200;
/// The largest claim: 100,000 €.
pub const MAX_CLAIM_CENTS: i64 = 10_000_000;
/// SEPA: a name has at most 70 characters, unstructured remittance 140.
const MAX_NAME_CHARS: usize = 70;
const MAX_REMITTANCE_CHARS: usize = 140;

/// Above this amount a receipt is required, from the day in the first column (the
/// cooperative's rule, a dated parameter: a new threshold never changes an older claim).
const RECEIPT_THRESHOLDS: [(Date, i64); 1] = [(date(2020, 1, 1), 2_500)];

/// The amount above which a claim for an expense of `spent_on` needs a receipt, in cents.
pub fn receipt_threshold_cents(spent_on: Date) -> i64 {
    RECEIPT_THRESHOLDS
        .iter()
        .rev()
        .find(|(from, _)| *from <= spent_on)
        .or(RECEIPT_THRESHOLDS.first())
        .map(|(_, cents)| *cents)
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------- the kinds

/// Who is paid and how the amount is known. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpenseKind {
    /// The claimant paid and is reimbursed, on a receipt.
    Reimbursement,
    /// A business trip with the claimant's own vehicle: kilometres × the federal rate.
    Mileage,
    /// A supplier's invoice paid directly from the budget to the supplier.
    Supplier,
}

impl ExpenseKind {
    pub const ALL: [ExpenseKind; 3] = [
        ExpenseKind::Reimbursement,
        ExpenseKind::Mileage,
        ExpenseKind::Supplier,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExpenseKind::Reimbursement => "reimbursement",
            ExpenseKind::Mileage => "mileage",
            ExpenseKind::Supplier => "supplier",
        }
    }

    pub fn parse(s: &str) -> Option<ExpenseKind> {
        ExpenseKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What the money was spent on: a fixed list, translated (`expense-category-<code>`). The
/// code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpenseCategory {
    /// Train, bus, parking, tolls, taxis, lodging on the road.
    Travel,
    /// The kilometre allowance (mileage claims only).
    Mileage,
    Equipment,
    Supplies,
    Meals,
    Training,
    /// Subcontracting and suppliers' services.
    Supplier,
    Other,
}

impl ExpenseCategory {
    pub const ALL: [ExpenseCategory; 8] = [
        ExpenseCategory::Travel,
        ExpenseCategory::Mileage,
        ExpenseCategory::Equipment,
        ExpenseCategory::Supplies,
        ExpenseCategory::Meals,
        ExpenseCategory::Training,
        ExpenseCategory::Supplier,
        ExpenseCategory::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExpenseCategory::Travel => "travel",
            ExpenseCategory::Mileage => "mileage",
            ExpenseCategory::Equipment => "equipment",
            ExpenseCategory::Supplies => "supplies",
            ExpenseCategory::Meals => "meals",
            ExpenseCategory::Training => "training",
            ExpenseCategory::Supplier => "supplier",
            ExpenseCategory::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ExpenseCategory> {
        ExpenseCategory::ALL.into_iter().find(|c| c.code() == s)
    }

    /// The categories a claim of `kind` may take: mileage is its own category, and only
    /// mileage claims take it.
    pub fn allowed_for(self, kind: ExpenseKind) -> bool {
        (kind == ExpenseKind::Mileage) == (self == ExpenseCategory::Mileage)
    }
}

/// Where a claim stands. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpenseStatus {
    /// Filed, waiting for the advisor.
    Submitted,
    /// Approved: the budget is spent and the payout order waits for the SEPA batch.
    Approved,
    Refused,
    /// Taken back by the claimant before a decision.
    Withdrawn,
}

/// What happens to a submitted claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpenseEvent {
    /// The advisor approves: the budget pays.
    Approve,
    /// The advisor refuses, with a reason.
    Refuse,
    /// The claimant takes the claim back.
    Withdraw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} expense claim cannot take {event:?}")]
pub struct ExpenseTransitionRefused {
    pub from: ExpenseStatus,
    pub event: ExpenseEvent,
}

impl ExpenseStatus {
    pub const ALL: [ExpenseStatus; 4] = [
        ExpenseStatus::Submitted,
        ExpenseStatus::Approved,
        ExpenseStatus::Refused,
        ExpenseStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExpenseStatus::Submitted => "submitted",
            ExpenseStatus::Approved => "approved",
            ExpenseStatus::Refused => "refused",
            ExpenseStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ExpenseStatus> {
        ExpenseStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Only a submitted claim changes, once: an approved claim has spent the budget (it is
    /// corrected by reversing its ledger transaction, never by editing), a refused or
    /// withdrawn one is closed.
    pub fn apply(self, event: ExpenseEvent) -> Result<ExpenseStatus, ExpenseTransitionRefused> {
        match (self, event) {
            (ExpenseStatus::Submitted, ExpenseEvent::Approve) => Ok(ExpenseStatus::Approved),
            (ExpenseStatus::Submitted, ExpenseEvent::Refuse) => Ok(ExpenseStatus::Refused),
            (ExpenseStatus::Submitted, ExpenseEvent::Withdraw) => Ok(ExpenseStatus::Withdrawn),
            (from, event) => Err(ExpenseTransitionRefused { from, event }),
        }
    }

    /// Whether the claim's kilometres count in the person's yearly ceiling: a refused or
    /// withdrawn claim gives its kilometres back.
    pub fn counts_towards_the_cap(self) -> bool {
        matches!(self, ExpenseStatus::Submitted | ExpenseStatus::Approved)
    }
}

impl ExpenseEvent {
    pub fn code(self) -> &'static str {
        match self {
            ExpenseEvent::Approve => "approve",
            ExpenseEvent::Refuse => "refuse",
            ExpenseEvent::Withdraw => "withdraw",
        }
    }
}

// ------------------------------------------------------------------------------ receipts

/// The file types a receipt may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReceiptType {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl ReceiptType {
    pub const ALL: [ReceiptType; 4] = [
        ReceiptType::Jpeg,
        ReceiptType::Png,
        ReceiptType::Webp,
        ReceiptType::Pdf,
    ];

    pub fn mime(self) -> &'static str {
        match self {
            ReceiptType::Jpeg => "image/jpeg",
            ReceiptType::Png => "image/png",
            ReceiptType::Webp => "image/webp",
            ReceiptType::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<ReceiptType> {
        ReceiptType::ALL.into_iter().find(|t| t.mime() == mime)
    }

    /// The type of a file from its first bytes (its signature), whatever its name says:
    /// JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`, WebP `RIFF····WEBP`, PDF `%PDF-`.
    pub fn sniff(bytes: &[u8]) -> Option<ReceiptType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ReceiptType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ReceiptType::Png)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(ReceiptType::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(ReceiptType::Pdf)
        } else {
            None
        }
    }
}

/// A receipt as the claim keeps it: the file is stored under its SHA-256, outside the web
/// root, by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptMeta {
    /// Lower-case hex, 64 characters: the stored file's name.
    pub sha256: String,
    pub kind: ReceiptType,
    pub size_bytes: i64,
    /// The name it was uploaded with, cleaned ([`clean_file_name`]).
    pub original_name: String,
}

/// Checks an uploaded receipt: not empty, at most [`MAX_RECEIPT_BYTES`], an image or a PDF
/// by its content. The errors name the field `expense_receipt`.
pub fn check_receipt(bytes: &[u8]) -> Result<ReceiptType, &'static str> {
    if bytes.is_empty() {
        return Err("expense-receipt-empty");
    }
    if bytes.len() > MAX_RECEIPT_BYTES {
        return Err("expense-receipt-size");
    }
    ReceiptType::sniff(bytes).ok_or("expense-receipt-type")
}

/// The last part of an uploaded file's name (browsers may send a whole path), without
/// control characters, quotes or path separators, at most [`MAX_FILE_NAME_CHARS`].
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';'))
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        "receipt".into()
    } else {
        cleaned
    }
}

/// Whether `s` is a SHA-256 as stored (64 lower-case hex digits): the only file names the
/// receipt directory holds.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

// ---------------------------------------------------------------------------- the claim

/// Who is paid, with what SEPA needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payee {
    pub name: String,
    pub iban: Iban,
    pub bic: Option<String>,
    pub address: PostalAddress,
    /// The supplier's invoice reference (text or structured communication); `None` for the
    /// claimant, whose transfer carries the claim's reference.
    pub remittance: Option<Remittance>,
}

/// The trip of a mileage claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trip {
    pub from: String,
    pub to: String,
    /// The kilometres claimed, both ways when `round_trip`.
    pub km: u32,
    pub round_trip: bool,
    pub rate: AppliedRate,
}

/// A claim ready to be filed: every field checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewExpenseClaim {
    pub activity_id: i64,
    /// The person who files it (and is reimbursed, unless a supplier is paid).
    pub claimant_id: i64,
    pub kind: ExpenseKind,
    pub category: ExpenseCategory,
    pub description: String,
    /// The day of the expense or of the trip.
    pub spent_on: Date,
    pub amount_cents: i64,
    pub trip: Option<Trip>,
    pub payee: Payee,
    pub receipt: Option<ReceiptMeta>,
    /// The day the claim is filed: the cut-off rule counts from it.
    pub submitted_on: Date,
}

/// The claimant as the directory knows them: their name, IBAN and address become the payee
/// of a reimbursement or a mileage claim.
#[derive(Debug, Clone, Default)]
pub struct Claimant<'a> {
    pub person_id: i64,
    pub name: &'a str,
    pub iban: Option<&'a str>,
    pub street: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub country: &'a str,
}

/// What the form of a claim carries besides its typed fields.
#[derive(Debug, Clone)]
pub struct Filing<'a> {
    pub activity_id: i64,
    pub claimant: Claimant<'a>,
    /// The uploaded receipt once checked, or the code of why it was refused.
    pub receipt: Option<Result<ReceiptMeta, &'static str>>,
    pub submitted_on: Date,
}

/// The form of a claim (and the API's body: the same names). Amounts are typed in euros
/// (`12,50`), kilometres in whole kilometres; JSON numbers and booleans are taken as text.
/// The payee fields are those of a supplier, and `iban` also the claimant's account when
/// the directory has none (or another one is wanted).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExpenseForm {
    #[serde(default, deserialize_with = "lenient")]
    pub expense_kind: String,
    #[serde(default, deserialize_with = "lenient")]
    pub expense_category: String,
    #[serde(default, deserialize_with = "lenient")]
    pub expense_description: String,
    #[serde(default, deserialize_with = "lenient")]
    pub expense_spent_on: String,
    #[serde(default, deserialize_with = "lenient")]
    pub expense_amount: String,
    #[serde(default, deserialize_with = "lenient")]
    pub expense_from: String,
    #[serde(default, deserialize_with = "lenient")]
    pub expense_to: String,
    #[serde(default, deserialize_with = "lenient")]
    pub expense_km: String,
    /// A checkbox: `1`, `on`, `true` (or JSON `true`).
    #[serde(default, deserialize_with = "lenient")]
    pub expense_round_trip: String,
    #[serde(default, deserialize_with = "lenient")]
    pub beneficiary_name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub iban: String,
    #[serde(default, deserialize_with = "lenient")]
    pub bic: String,
    #[serde(default, deserialize_with = "lenient")]
    pub street: String,
    #[serde(default, deserialize_with = "lenient")]
    pub building_number: String,
    #[serde(default, deserialize_with = "lenient")]
    pub postcode: String,
    #[serde(default, deserialize_with = "lenient")]
    pub town: String,
    #[serde(default, deserialize_with = "lenient")]
    pub country: String,
    #[serde(default, deserialize_with = "lenient")]
    pub remittance: String,
}

/// Text, a number or a boolean, as text (`null` is empty): one form for the page and the
/// JSON API.
fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a text, a number or a boolean")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
            Ok(if v { "true" } else { "" }.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<String, D2::Error> {
            d.deserialize_any(Text)
        }
    }
    d.deserialize_any(Text)
}

fn is_checked(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "on" | "true" | "yes"
    )
}

/// A line of text: trimmed, required, at most `max` characters, no control character.
fn line(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars().any(char::is_control) {
        e.add(field, "format");
    }
    v
}

/// A name the bank will read: required, at most 70 characters once transliterated.
fn sepa_name(e: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "required");
    } else if to_sepa_text(v).chars().count() > MAX_NAME_CHARS {
        e.add(field, "too-long");
    } else if v.chars().any(char::is_control) {
        e.add(field, "format");
    }
    v.to_string()
}

impl ExpenseForm {
    /// Checks the form; every error names its field (`expense_*`, or the payee's `iban`,
    /// `street`, `town`…). The annual kilometre ceiling needs the person's other claims and
    /// is checked by the store, in the filing transaction.
    pub fn parse(&self, filing: &Filing<'_>) -> Result<NewExpenseClaim, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = match self.expense_kind.trim() {
            "" => {
                e.add("expense_kind", "required");
                None
            }
            k => {
                let kind = ExpenseKind::parse(k);
                if kind.is_none() {
                    e.add("expense_kind", "format");
                }
                kind
            }
        };
        let category = match kind {
            Some(ExpenseKind::Mileage) => Some(ExpenseCategory::Mileage),
            _ => match self.expense_category.trim() {
                "" => {
                    e.add("expense_category", "required");
                    None
                }
                c => match ExpenseCategory::parse(c) {
                    Some(category) if kind.is_none_or(|k| category.allowed_for(k)) => {
                        Some(category)
                    }
                    Some(_) => {
                        e.add("expense_category", "expense-category-mileage");
                        None
                    }
                    None => {
                        e.add("expense_category", "format");
                        None
                    }
                },
            },
        };
        let description = line(
            &mut e,
            "expense_description",
            &self.expense_description,
            MAX_DESCRIPTION_CHARS,
        );
        let spent_on = match self.expense_spent_on.trim() {
            "" => {
                e.add("expense_spent_on", "required");
                None
            }
            d => match d.parse::<Date>() {
                Ok(day) if day > filing.submitted_on => {
                    e.add("expense_spent_on", "expense-date-future");
                    None
                }
                Ok(day) if day.year() >= 2000 => Some(day),
                _ => {
                    e.add("expense_spent_on", "date");
                    None
                }
            },
        };

        // The amount: typed, or kilometres × the rate of the trip's day.
        let mut trip = None;
        let mut amount_cents = 0;
        if kind == Some(ExpenseKind::Mileage) {
            let from = line(&mut e, "expense_from", &self.expense_from, MAX_PLACE_CHARS);
            let to = line(&mut e, "expense_to", &self.expense_to, MAX_PLACE_CHARS);
            let round_trip = is_checked(&self.expense_round_trip);
            let km = match self.expense_km.trim() {
                "" => {
                    e.add("expense_km", "required");
                    None
                }
                k => match k.parse::<u32>() {
                    Ok(km) if km > 0 => {
                        let total = if round_trip { km.saturating_mul(2) } else { km };
                        let cap = mileage_table().map(|t| t.annual_cap_km).unwrap_or(0);
                        if total > cap {
                            e.add("expense_km", "expense-mileage-cap");
                            None
                        } else {
                            Some(total)
                        }
                    }
                    _ => {
                        e.add("expense_km", "expense-km");
                        None
                    }
                },
            };
            let rate = match spent_on {
                Some(day) => match mileage_table().and_then(|t| t.cooperative_rate_on(day)) {
                    Ok(rate) => Some(rate),
                    Err(err) => {
                        e.add("expense_spent_on", err.code());
                        None
                    }
                },
                None => None,
            };
            if let (Some(km), Some(rate)) = (km, rate) {
                amount_cents = crate::mileage::allowance_cents(km, rate.eur_per_km);
                trip = Some(Trip {
                    from,
                    to,
                    km,
                    round_trip,
                    rate,
                });
            }
        } else if self.expense_amount.trim().is_empty() {
            e.add("expense_amount", "required");
        } else {
            match parse_money(&self.expense_amount) {
                Some(cents) if cents > 0 && cents <= MAX_CLAIM_CENTS => amount_cents = cents,
                _ => e.add("expense_amount", "expense-amount"),
            }
        }

        // The receipt: required above the threshold, except for a trip.
        let receipt = match &filing.receipt {
            Some(Ok(meta)) => Some(meta.clone()),
            Some(Err(code)) => {
                e.add("expense_receipt", code);
                None
            }
            None => {
                let threshold = spent_on.map(receipt_threshold_cents).unwrap_or(0);
                if kind.is_some_and(|k| k != ExpenseKind::Mileage) && amount_cents > threshold {
                    e.add("expense_receipt", "expense-receipt-required");
                }
                None
            }
        };

        let payee = match kind {
            Some(ExpenseKind::Supplier) => self.supplier(&mut e),
            Some(_) => self.claimant_payee(&mut e, &filing.claimant),
            None => None,
        };

        match (kind, category, spent_on, payee) {
            (Some(kind), Some(category), Some(spent_on), Some(payee)) if e.is_empty() => {
                Ok(NewExpenseClaim {
                    activity_id: filing.activity_id,
                    claimant_id: filing.claimant.person_id,
                    kind,
                    category,
                    description,
                    spent_on,
                    amount_cents,
                    trip,
                    payee,
                    receipt,
                    submitted_on: filing.submitted_on,
                })
            }
            _ => Err(e),
        }
    }

    /// The supplier paid directly: name, IBAN, structured address and the invoice's
    /// reference, all required but the BIC, street, number and postcode.
    fn supplier(&self, e: &mut FieldErrors) -> Option<Payee> {
        let name = sepa_name(e, "beneficiary_name", &self.beneficiary_name);
        let iban = e.ident("iban", &self.iban, Iban::parse);
        let bic = e.optional_ident("bic", &self.bic, parse_bic);
        let address = PostalAddress::parse(
            e,
            &self.street,
            &self.building_number,
            &self.postcode,
            &self.town,
            &self.country,
        );
        let remittance = Remittance::parse(e, "remittance", &self.remittance);
        if remittance.is_none() && self.remittance.trim().is_empty() {
            e.add("remittance", "required");
        }
        Some(Payee {
            name,
            iban: iban?,
            bic,
            address,
            remittance,
        })
    }

    /// The claimant: their name and address from the directory, the IBAN typed or else the
    /// one on file.
    fn claimant_payee(&self, e: &mut FieldErrors, c: &Claimant<'_>) -> Option<Payee> {
        let typed = self.iban.trim();
        let iban = if typed.is_empty() {
            match c.iban.map(str::trim).filter(|s| !s.is_empty()) {
                Some(on_file) => match Iban::parse(on_file) {
                    Ok(iban) => Some(iban),
                    Err(_) => {
                        e.add("iban", "expense-iban-on-file");
                        None
                    }
                },
                None => {
                    e.add("iban", "expense-iban-missing");
                    None
                }
            }
        } else {
            e.ident("iban", typed, Iban::parse)
        };
        // The directory's address must make a structured SEPA address; when it does not,
        // the claim cannot be paid and the person's record must be corrected first.
        let mut address_errors = FieldErrors::new();
        let address = PostalAddress::parse(
            &mut address_errors,
            c.street,
            "",
            c.postcode,
            c.city,
            c.country,
        );
        let name_ok = !c.name.trim().is_empty()
            && to_sepa_text(c.name.trim()).chars().count() <= MAX_NAME_CHARS;
        if !address_errors.is_empty() || !name_ok {
            e.add("expense_payee", "expense-payee-address");
            return None;
        }
        Some(Payee {
            name: c.name.trim().to_string(),
            iban: iban?,
            bic: None,
            address,
            remittance: None,
        })
    }
}

/// Checks a refusal's reason: required, at most [`MAX_REASON_CHARS`] characters.
pub fn parse_refusal_reason(reason: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let v = e.required("expense_reason", reason, MAX_REASON_CHARS);
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        e.add("expense_reason", "format");
    }
    e.into_result(|| v)
}

// ---------------------------------------------------------------------- the approval

/// Whether the available budget (the balance of `activity:<a>:budget`, shown sign) pays the
/// whole claim: a claim never makes a budget negative.
pub fn budget_covers(available_cents: i64, amount_cents: i64) -> bool {
    amount_cents > 0 && available_cents >= amount_cents
}

/// The last working day (Monday to Friday, not a Belgian public holiday) of `day`'s month.
pub fn last_working_day_of_month(day: Date) -> Date {
    let mut d = day.last_of_month();
    // A month always has a working day in its last week.
    for _ in 0..7 {
        if is_working_day(d) {
            return d;
        }
        match d.yesterday() {
            Ok(previous) => d = previous,
            Err(_) => break,
        }
    }
    d
}

/// The day the reimbursement is due: claims submitted by the 15th ([`CUT_OFF_DAY`]) are paid
/// with that month's pay, on its last working day; later ones with the next month's.
pub fn payout_date(submitted_on: Date) -> Date {
    if submitted_on.day() <= CUT_OFF_DAY {
        last_working_day_of_month(submitted_on)
    } else {
        let next = submitted_on
            .last_of_month()
            .tomorrow()
            .unwrap_or(submitted_on);
        last_working_day_of_month(next)
    }
}

/// The reference of claim `id` on statements and transfers: `RUCHE-EXP-<id>`.
pub fn claim_reference(id: i64) -> String {
    format!("RUCHE-EXP-{id}")
}

/// The ledger transaction of an approval: the activity's budget pays, the cooperative now
/// owes the amount (`expenses:payable`, debited when the payout leaves the bank).
pub fn approval_transaction(
    claim_id: i64,
    activity_id: i64,
    amount_cents: i64,
    on: Date,
    description: &str,
) -> Result<NewTransaction, LedgerError> {
    let memo: String = format!("{} {description}", claim_reference(claim_id))
        .chars()
        .filter(|c| !c.is_control())
        .take(crate::ledger::MAX_MEMO_CHARS)
        .collect();
    NewTransaction::new(
        TransactionKind::ExpenseReimbursed,
        on,
        memo,
        Some((SOURCE_TYPE.to_string(), claim_id)),
        vec![
            Posting::debit(AccountCode::ActivityBudget(activity_id), amount_cents),
            Posting::credit(AccountCode::ExpensesPayable, amount_cents),
        ],
    )
}

/// What the payout order of an approved claim is made of.
#[derive(Debug, Clone)]
pub struct ApprovedClaim<'a> {
    pub claim_id: i64,
    pub activity_id: i64,
    pub claimant_id: i64,
    pub kind: ExpenseKind,
    pub amount_cents: i64,
    pub description: &'a str,
    pub payee: Payee,
}

/// The payout order of an approved claim: paid by `entity_id` from `expenses:payable`, due
/// on `requested_on`; the supplier's transfer carries its invoice reference, the claimant's
/// the claim's reference and description (transliterated, cut to 140 characters).
pub fn payout_order(claim: ApprovedClaim<'_>, entity_id: i64, requested_on: Date) -> NewPayout {
    let remittance = match (claim.kind, claim.payee.remittance) {
        (ExpenseKind::Supplier, Some(r)) => r,
        _ => {
            let text = to_sepa_text(&format!(
                "{} {}",
                claim_reference(claim.claim_id),
                claim.description
            ));
            Remittance::Text(
                text.chars()
                    .take(MAX_REMITTANCE_CHARS)
                    .collect::<String>()
                    .trim()
                    .to_string(),
            )
        }
    };
    NewPayout {
        kind: PayoutKind::Expense,
        entity_id,
        beneficiary_name: claim.payee.name,
        iban: claim.payee.iban,
        bic: claim.payee.bic,
        address: claim.payee.address,
        amount_cents: claim.amount_cents,
        remittance: Some(remittance),
        ledger_account: AccountCode::ExpensesPayable,
        activity_id: Some(claim.activity_id),
        person_id: (claim.kind != ExpenseKind::Supplier).then_some(claim.claimant_id),
        source: Some((SOURCE_TYPE.to_string(), claim.claim_id)),
        requested_on,
    }
}

impl From<MileageError> for FieldErrors {
    fn from(err: MileageError) -> FieldErrors {
        let field = match err {
            MileageError::CapExceeded { .. } => "expense_km",
            _ => "expense_spent_on",
        };
        FieldErrors::single(field, err.code())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use rust_decimal::Decimal;

    use super::*;

    const TODAY: Date = date(2026, 3, 20);

    fn claimant() -> Claimant<'static> {
        Claimant {
            person_id: 7,
            name: "Hélène Dubois",
            iban: Some("BE71 0961 2345 6769"),
            street: "Rue de la Régence 14",
            postcode: "4000",
            city: "Liège",
            country: "BE",
        }
    }

    fn filing(receipt: Option<Result<ReceiptMeta, &'static str>>) -> Filing<'static> {
        Filing {
            activity_id: 3,
            claimant: claimant(),
            receipt,
            submitted_on: TODAY,
        }
    }

    fn receipt() -> ReceiptMeta {
        ReceiptMeta {
            sha256: "a".repeat(64),
            kind: ReceiptType::Pdf,
            size_bytes: 1234,
            original_name: "ticket.pdf".into(),
        }
    }

    fn mileage(km: &str, day: &str) -> ExpenseForm {
        ExpenseForm {
            expense_kind: "mileage".into(),
            expense_description: "Répétition au théâtre".into(),
            expense_spent_on: day.into(),
            expense_from: "Liège".into(),
            expense_to: "Namur".into(),
            expense_km: km.into(),
            ..ExpenseForm::default()
        }
    }

    fn purchase(amount: &str) -> ExpenseForm {
        ExpenseForm {
            expense_kind: "reimbursement".into(),
            expense_category: "supplies".into(),
            expense_description: "Cordes de guitare".into(),
            expense_spent_on: "2026-03-02".into(),
            expense_amount: amount.into(),
            ..ExpenseForm::default()
        }
    }

    #[test]
    fn a_mileage_claim_is_the_kilometres_times_the_rate_of_the_trips_day() {
        let claim = mileage("45", "2026-02-10").parse(&filing(None)).unwrap();
        assert_eq!(claim.kind, ExpenseKind::Mileage);
        assert_eq!(claim.category, ExpenseCategory::Mileage);
        let trip = claim.trip.unwrap();
        assert_eq!(trip.km, 45);
        assert_eq!(trip.rate.eur_per_km, Decimal::new(4326, 4));
        // 45 × 0.4326 = 19.467 €.
        assert_eq!(claim.amount_cents, 1947);
        assert_eq!(claim.receipt, None, "a trip needs no receipt");
        assert_eq!(claim.payee.name, "Hélène Dubois");
        assert_eq!(claim.payee.iban.as_str(), "BE71096123456769");
        assert_eq!(claim.payee.address.town, "Liège");

        let mut back_and_forth = mileage("45", "2026-02-10");
        back_and_forth.expense_round_trip = "on".into();
        let claim = back_and_forth.parse(&filing(None)).unwrap();
        assert_eq!(claim.trip.as_ref().unwrap().km, 90);
        assert!(claim.trip.unwrap().round_trip);
        assert_eq!(claim.amount_cents, 3893);
    }

    #[test]
    fn a_trip_on_a_day_without_a_rate_is_refused_on_its_date() {
        let e = mileage("10", "2024-11-04")
            .parse(&filing(None))
            .unwrap_err();
        assert_eq!(e.get("expense_spent_on"), Some("expense-mileage-rate-open"));
        let e = mileage("10", "2022-01-04")
            .parse(&filing(None))
            .unwrap_err();
        assert_eq!(e.get("expense_spent_on"), Some("expense-mileage-no-rate"));
        // A trip in the future is refused before its rate is looked for.
        let e = mileage("10", "2026-03-21")
            .parse(&filing(None))
            .unwrap_err();
        assert_eq!(e.get("expense_spent_on"), Some("expense-date-future"));
    }

    #[test]
    fn a_trip_needs_its_places_its_purpose_and_whole_kilometres() {
        let mut f = mileage("12,5", "2026-02-10");
        f.expense_from = " ".into();
        f.expense_description = "".into();
        let e = f.parse(&filing(None)).unwrap_err();
        assert_eq!(e.get("expense_km"), Some("expense-km"));
        assert_eq!(e.get("expense_from"), Some("required"));
        assert_eq!(e.get("expense_description"), Some("required"));
        assert_eq!(
            mileage("0", "2026-02-10")
                .parse(&filing(None))
                .unwrap_err()
                .get("expense_km"),
            Some("expense-km")
        );
        // One trip alone beyond the yearly ceiling.
        let mut f = mileage("12001", "2026-02-10");
        f.expense_round_trip = "1".into();
        assert_eq!(
            f.parse(&filing(None)).unwrap_err().get("expense_km"),
            Some("expense-mileage-cap")
        );
    }

    #[test]
    fn above_the_threshold_a_receipt_is_required() {
        assert_eq!(receipt_threshold_cents(date(2026, 3, 2)), 2_500);
        // 25,00 € exactly: no receipt needed; one cent more: refused, nothing to file.
        assert!(purchase("25,00").parse(&filing(None)).is_ok());
        let e = purchase("25,01").parse(&filing(None)).unwrap_err();
        assert_eq!(e.get("expense_receipt"), Some("expense-receipt-required"));
        let claim = purchase("25,01")
            .parse(&filing(Some(Ok(receipt()))))
            .unwrap();
        assert_eq!(claim.amount_cents, 2_501);
        assert_eq!(claim.receipt, Some(receipt()));
        // A refused file is reported on the receipt field, whatever the amount.
        let e = purchase("5")
            .parse(&filing(Some(Err("expense-receipt-type"))))
            .unwrap_err();
        assert_eq!(e.get("expense_receipt"), Some("expense-receipt-type"));
    }

    #[test]
    fn a_receipt_is_recognised_by_its_content_not_its_name() {
        assert_eq!(check_receipt(b"%PDF-1.7\n..."), Ok(ReceiptType::Pdf));
        assert_eq!(
            check_receipt(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Ok(ReceiptType::Jpeg)
        );
        assert_eq!(
            check_receipt(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Ok(ReceiptType::Png)
        );
        assert_eq!(
            check_receipt(b"RIFF\x24\0\0\0WEBPVP8 "),
            Ok(ReceiptType::Webp)
        );
        assert_eq!(
            check_receipt(b"RIFF\x24\0\0\0WAVEfmt "),
            Err("expense-receipt-type")
        );
        assert_eq!(
            check_receipt(b"MZ\x90\0 an .exe named ticket.pdf"),
            Err("expense-receipt-type")
        );
        assert_eq!(check_receipt(b"<html>"), Err("expense-receipt-type"));
        assert_eq!(check_receipt(b""), Err("expense-receipt-empty"));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_RECEIPT_BYTES, b' ');
        assert_eq!(check_receipt(&big), Ok(ReceiptType::Pdf));
        big.push(b' ');
        assert_eq!(check_receipt(&big), Err("expense-receipt-size"));
        for t in ReceiptType::ALL {
            assert_eq!(ReceiptType::from_mime(t.mime()), Some(t));
        }
    }

    #[test]
    fn an_uploaded_name_is_kept_without_its_path_or_quotes() {
        assert_eq!(clean_file_name("C:\\Users\\ana\\ticket.pdf"), "ticket.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b\r\n.png"), "ab.png");
        assert_eq!(clean_file_name(""), "receipt");
        assert_eq!(
            clean_file_name(&"x".repeat(300)).chars().count(),
            MAX_FILE_NAME_CHARS
        );
        assert!(is_sha256_hex(&"0f".repeat(32)));
        assert!(!is_sha256_hex(&"0F".repeat(32)));
        assert!(!is_sha256_hex("../x"));
    }

    #[test]
    fn mileage_is_the_category_of_mileage_claims_only() {
        let mut f = purchase("10");
        f.expense_category = "mileage".into();
        assert_eq!(
            f.parse(&filing(None)).unwrap_err().get("expense_category"),
            Some("expense-category-mileage")
        );
        f.expense_category = "cars".into();
        assert_eq!(
            f.parse(&filing(None)).unwrap_err().get("expense_category"),
            Some("format")
        );
        for c in ExpenseCategory::ALL {
            assert_eq!(ExpenseCategory::parse(c.code()), Some(c));
            assert_eq!(
                c.allowed_for(ExpenseKind::Mileage),
                c == ExpenseCategory::Mileage
            );
        }
    }

    #[test]
    fn amounts_and_dates_are_checked() {
        for bad in ["0", "-4", "douze", "100000,01"] {
            assert_eq!(
                purchase(bad)
                    .parse(&filing(None))
                    .unwrap_err()
                    .get("expense_amount"),
                Some("expense-amount"),
                "{bad}"
            );
        }
        let mut f = purchase("10");
        f.expense_spent_on = "02/03/2026".into();
        assert_eq!(
            f.parse(&filing(None)).unwrap_err().get("expense_spent_on"),
            Some("date")
        );
        f.expense_kind = "gift".into();
        assert_eq!(
            f.parse(&filing(None)).unwrap_err().get("expense_kind"),
            Some("format")
        );
    }

    #[test]
    fn the_claimant_without_an_iban_on_file_is_asked_for_one() {
        let mut c = filing(None);
        c.claimant.iban = None;
        assert_eq!(
            purchase("10").parse(&c).unwrap_err().get("iban"),
            Some("expense-iban-missing")
        );
        let mut f = purchase("10");
        f.iban = "BE62 5100 0754 7061".into();
        assert_eq!(f.parse(&c).unwrap().payee.iban.as_str(), "BE62510007547061");
        f.iban = "BE62 5100 0754 7062".into();
        assert_eq!(f.parse(&c).unwrap_err().get("iban"), Some("checksum"));
        // An address the bank cannot take (no town) stops the claim.
        let mut c = filing(None);
        c.claimant.city = "";
        assert_eq!(
            purchase("10").parse(&c).unwrap_err().get("expense_payee"),
            Some("expense-payee-address")
        );
    }

    #[test]
    fn a_supplier_is_paid_with_its_invoice_reference() {
        let f = ExpenseForm {
            expense_kind: "supplier".into(),
            expense_category: "supplier".into(),
            expense_description: "Location de la sono".into(),
            expense_spent_on: "2026-03-01".into(),
            expense_amount: "1.210,00".into(),
            beneficiary_name: "Sono Services SRL".into(),
            iban: "BE62 5100 0754 7061".into(),
            street: "Korenmarkt".into(),
            building_number: "3".into(),
            postcode: "9000".into(),
            town: "Gent".into(),
            country: "be".into(),
            remittance: "+++202/6000/04236+++".into(),
            ..ExpenseForm::default()
        };
        let claim = f.parse(&filing(Some(Ok(receipt())))).unwrap();
        assert_eq!(claim.payee.name, "Sono Services SRL");
        assert_eq!(claim.payee.address.country, "BE");
        assert!(matches!(claim.payee.remittance, Some(Remittance::Ogm(_))));
        let order = payout_order(
            ApprovedClaim {
                claim_id: 12,
                activity_id: 3,
                claimant_id: 7,
                kind: claim.kind,
                amount_cents: claim.amount_cents,
                description: &claim.description,
                payee: claim.payee,
            },
            1,
            date(2026, 3, 31),
        );
        assert_eq!(order.person_id, None);
        assert!(matches!(order.remittance, Some(Remittance::Ogm(_))));
        assert_eq!(order.source, Some(("expense-claim".into(), 12)));

        let mut no_ref = f.clone();
        no_ref.remittance = " ".into();
        no_ref.town = "".into();
        let e = no_ref.parse(&filing(Some(Ok(receipt())))).unwrap_err();
        assert_eq!(e.get("remittance"), Some("required"));
        assert_eq!(e.get("town"), Some("required"));
    }

    #[test]
    fn the_claimants_transfer_carries_the_claims_reference() {
        let claim = mileage("45", "2026-02-10").parse(&filing(None)).unwrap();
        let order = payout_order(
            ApprovedClaim {
                claim_id: 41,
                activity_id: 3,
                claimant_id: 7,
                kind: claim.kind,
                amount_cents: claim.amount_cents,
                description: &"é".repeat(300),
                payee: claim.payee,
            },
            1,
            date(2026, 3, 31),
        );
        let Some(Remittance::Text(text)) = order.remittance else {
            panic!("a text remittance");
        };
        assert!(text.starts_with("RUCHE-EXP-41 eee"));
        assert_eq!(text.chars().count(), 140);
        assert_eq!(order.kind, PayoutKind::Expense);
        assert_eq!(order.ledger_account, AccountCode::ExpensesPayable);
        assert_eq!(order.person_id, Some(7));
        assert_eq!(order.activity_id, Some(3));
    }

    #[test]
    fn claims_in_by_the_fifteenth_are_paid_with_that_months_pay() {
        // 30 November 2026 is a Monday.
        assert_eq!(payout_date(date(2026, 11, 1)), date(2026, 11, 30));
        assert_eq!(payout_date(date(2026, 11, 15)), date(2026, 11, 30));
        // The 16th waits for the next month: 31 December 2026 is a Thursday.
        assert_eq!(payout_date(date(2026, 11, 16)), date(2026, 12, 31));
        // 31 May 2026 is a Sunday: the Friday before.
        assert_eq!(payout_date(date(2026, 5, 10)), date(2026, 5, 29));
        // Late in December: the next year's January (31 January 2027 is a Sunday).
        assert_eq!(payout_date(date(2026, 12, 20)), date(2027, 1, 29));
        // February of a leap year ends on Thursday 29 February 2024.
        assert_eq!(payout_date(date(2024, 1, 31)), date(2024, 2, 29));
    }

    #[test]
    fn the_last_working_day_skips_week_ends_and_public_holidays() {
        // 31 March 2024 is Easter Sunday; Friday the 29th is a working day.
        assert_eq!(
            last_working_day_of_month(date(2024, 3, 3)),
            date(2024, 3, 29)
        );
        // Whit Monday 31 May 2004: the Friday before.
        assert_eq!(
            last_working_day_of_month(date(2004, 5, 3)),
            date(2004, 5, 28)
        );
        for day in [date(2026, 1, 1), date(2026, 8, 15), date(2027, 2, 1)] {
            let last = last_working_day_of_month(day);
            assert!(is_working_day(last));
            assert_eq!(last.month(), day.month());
        }
    }

    #[test]
    fn an_approval_moves_the_amount_from_the_budget_to_what_is_owed() {
        let t = approval_transaction(12, 3, 1_947, date(2026, 3, 20), "Trajet").unwrap();
        assert_eq!(t.kind(), TransactionKind::ExpenseReimbursed);
        assert_eq!(
            t.postings(),
            &[
                Posting::debit(AccountCode::ActivityBudget(3), 1_947),
                Posting::credit(AccountCode::ExpensesPayable, 1_947),
            ]
        );
        assert_eq!(t.source(), Some(("expense-claim", 12)));
        assert_eq!(t.memo(), "RUCHE-EXP-12 Trajet");
        assert!(budget_covers(1_947, 1_947));
        assert!(!budget_covers(1_946, 1_947));
        assert!(!budget_covers(5_000, 0));
    }

    #[test]
    fn only_a_submitted_claim_is_decided_or_withdrawn() {
        use ExpenseEvent::*;
        use ExpenseStatus::*;
        assert_eq!(Submitted.apply(Approve), Ok(Approved));
        assert_eq!(Submitted.apply(Refuse), Ok(Refused));
        assert_eq!(Submitted.apply(Withdraw), Ok(Withdrawn));
        for from in [Approved, Refused, Withdrawn] {
            for event in [Approve, Refuse, Withdraw] {
                assert!(from.apply(event).is_err(), "{from:?} {event:?}");
            }
        }
        assert!(Submitted.counts_towards_the_cap() && Approved.counts_towards_the_cap());
        assert!(!Refused.counts_towards_the_cap() && !Withdrawn.counts_towards_the_cap());
        for s in ExpenseStatus::ALL {
            assert_eq!(ExpenseStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn a_refusal_needs_a_reason_of_at_most_500_characters() {
        assert_eq!(
            parse_refusal_reason("  ")
                .unwrap_err()
                .get("expense_reason"),
            Some("required")
        );
        assert_eq!(
            parse_refusal_reason(&"x".repeat(501))
                .unwrap_err()
                .get("expense_reason"),
            Some("too-long")
        );
        assert_eq!(
            parse_refusal_reason(" Pas de ticket lisible. ").unwrap(),
            "Pas de ticket lisible."
        );
    }

    #[test]
    fn the_api_may_send_numbers_and_booleans() {
        let f: ExpenseForm = toml::from_str(
            "expense_kind = \"mileage\"\nexpense_km = 45\nexpense_round_trip = true\n\
             expense_spent_on = \"2026-02-10\"\n",
        )
        .unwrap();
        assert_eq!(f.expense_km, "45");
        assert!(is_checked(&f.expense_round_trip));
        assert_eq!(f.expense_amount, "");
        assert!(!is_checked("false") && !is_checked(""));
    }
}
