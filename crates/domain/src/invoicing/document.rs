//! The model of an issued sales document (invoice or credit note), as the PDF and the UBL
//! writers read it. Amounts are in cents; quantities and unit prices are exact decimals.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::vat::VatCategory;
use crate::Language;
use crate::group::Address;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    /// UNCL1001 code 380.
    Invoice,
    /// UNCL1001 code 381.
    CreditNote,
}

/// A party of the document (the buyer, or the seller's identity part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub address: Address,
    /// Belgian enterprise number, 10 digits (Peppol scheme 0208).
    pub enterprise_number: Option<String>,
    /// VAT number with its country prefix (`BE0202239951`).
    pub vat_number: Option<String>,
    pub email: Option<String>,
}

/// The seller: one of the group's legal entities, with what the law asks to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub party: Party,
    /// "SCES agréée / erkende CVSO" (art. 2:20 CSA/WVV).
    pub legal_form: String,
    /// "RPM Bruxelles".
    pub court_register: String,
    pub iban: String,
    pub bic: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub description: String,
    pub quantity: Decimal,
    /// UN/ECE Recommendation 20 unit code: `HUR` hour, `DAY` day, `C62` piece, `KMT` km…
    pub unit: String,
    /// Net unit price, VAT excluded, in euros.
    pub unit_price: Decimal,
    pub vat_category: VatCategory,
    /// The VAT rate in basis points (2100 = 21 %); 0 for every category but S.
    pub vat_rate_bp: u32,
    /// The line's net amount (quantity × unit price, rounded to the cent).
    pub net_cents: i64,
}

/// One row of the VAT breakdown: per category and rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatSubtotal {
    pub category: VatCategory,
    pub rate_bp: u32,
    pub taxable_cents: i64,
    pub tax_cents: i64,
    /// The legal mention of an exemption or reverse charge, in the document's language.
    pub exemption_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Sum of line net amounts (BT-106).
    pub line_total_cents: i64,
    /// Total without VAT (BT-109).
    pub tax_exclusive_cents: i64,
    /// Total VAT (BT-110).
    pub tax_cents: i64,
    /// Total with VAT (BT-112).
    pub tax_inclusive_cents: i64,
    /// Amount due (BT-115).
    pub payable_cents: i64,
    pub subtotals: Vec<VatSubtotal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    /// The gap-free number, e.g. `F2026-00042`.
    pub number: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub language: Language,
    pub seller: Seller,
    pub buyer: Party,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// The structured communication, 12 digits (`+++ddd/dddd/ddddd+++` when printed).
    pub structured_communication: String,
    /// The buyer's reference or the order confirmation (quote) number.
    pub order_reference: Option<String>,
    /// For a credit note: the invoice it corrects (number, issue date).
    pub corrects: Option<(String, Date)>,
    /// Free note printed on the document.
    pub note: Option<String>,
}
