//! Sales documents: quotes, invoices and credit notes, their VAT, totals, numbering and the
//! rules the law and EN 16931 / Peppol BIS 3.0 put on them. Reference:
//! `shared/reference/invoicing.md`.
//!
//! - `document`: the model of an issued document, as the PDF and UBL writers read it;
//! - `vat`, `mentions`: the dated VAT rates and the legal mentions (`rules/*.toml`);
//! - `totals`: line amounts, VAT breakdown and totals (EN 16931 BR-CO-10 … 17);
//! - `rules`: the legal checks before issuing; `peppol`: the EN 16931 / Peppol rules, checked
//!   on issuing to a business buyer and by the UBL exporter; `endpoint`: how a party is
//!   reached on Peppol;
//! - `numbering`, `state`, `pricing`: gap-free numbers, the life of quotes and invoices, and
//!   the price that covers a member's cost after the contribution.

pub mod document;
pub mod endpoint;
pub mod error;
pub mod mentions;
pub mod numbering;
pub mod peppol;
pub mod pricing;
pub mod rules;
pub mod state;
pub mod totals;
pub mod vat;

#[cfg(test)]
pub(crate) mod fixtures;

pub use document::{Document, DocumentKind, Line, Party, Seller, Totals, VatSubtotal};
pub use error::DocumentError;
pub use mentions::{
    credit_note_vat_statement, credit_note_vat_statement_for, exemption_code, exemption_reason,
    legal_statements,
};
pub use numbering::{DocumentNumber, NumberingError, check_date_order, next_number, series_for};
pub use peppol::{RuleViolation, carries_vat_identifiers, check_peppol};
pub use pricing::{PricingError, price_for_cost};
pub use rules::{
    check_buyer, check_credit_note, check_dates, check_document, check_exemptions, check_lines,
    check_mentions, check_totals,
};
pub use state::{InvoiceEvent, InvoiceStatus, QuoteEvent, QuoteStatus, TransitionError};
pub use totals::{LineInput, compute_totals, line_net_cents, totals_of_lines, vat_cents};
pub use vat::{VatCategory, category_rates_on, is_valid_rate, rates_on};

/// For a start-up check: both rule files of this module read correctly.
pub fn check_rules_files() -> Result<(), String> {
    vat::check_rules_file()?;
    mentions::check_rules_file()
}
