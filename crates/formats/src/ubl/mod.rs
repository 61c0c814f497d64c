//! UBL 2.1 `Invoice` (type code 380) and `CreditNote` (381) following **Peppol BIS Billing
//! 3.0** (`shared/reference/invoicing.md` §9), written from and read into
//! [`ruche_domain::invoicing::document::Document`].
//!
//! - [`write_invoice`] checks the document ([`check`]) and refuses it with
//!   [`UblError::Rules`] when a rule fails: a non-compliant invoice is never exported
//!   silently. Elements are written in the order of the UBL 2.1 XSD sequences.
//! - [`read_invoice`] reads a Peppol BIS 3.0 invoice or credit note (names matched by local
//!   name, whatever the prefixes); [`read_invoice_report`] also says which currency the
//!   document is in and what it held that the model cannot keep.
//!
//! # Rules checked on the model ([`check`])
//!
//! [`check`] returns the domain's EN 16931 / Peppol violations
//! (`ruche_domain::invoicing::check_peppol`, whose module lists the rules), judged *as
//! [`write_invoice`] writes the document*, plus BR-IC-11, a delivery date that neither the
//! model nor this writer carries.

mod check;
mod read;
#[cfg(test)]
mod round_trip;
pub(crate) mod tree;
mod write;

use std::str::FromStr;

use ruche_domain::invoicing::vat::rate_percent;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub use crate::UblError;
pub use check::{Violation, check};
pub use read::{ReadReport, read_invoice, read_invoice_report};
pub use write::write_invoice;

/// BT-24, rule PEPPOL-EN16931-R004.
pub const CUSTOMIZATION_ID: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
/// BT-23, rules PEPPOL-EN16931-R001 / R007.
pub const PROFILE_ID: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
/// The only currency ruche invoices in (BT-5).
pub const CURRENCY: &str = "EUR";

/// An amount in cents as UBL writes it: two decimals, a dot, no grouping (`-1234.50`).
pub(crate) fn amount(cents: i64) -> String {
    // unsigned_abs: i64::MIN has no positive i64.
    let abs = cents.unsigned_abs();
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A UBL amount (`1656.25`, `25`, `25.0`, `-1500`) in cents; `None` when it is not a decimal
/// number or has a non-zero third decimal (BR-DEC: amounts carry at most two).
pub(crate) fn parse_amount(text: &str) -> Option<i64> {
    let cents = xs_decimal(text)?.checked_mul(Decimal::ONE_HUNDRED)?;
    if !cents.fract().is_zero() {
        return None;
    }
    cents.to_i64()
}

/// An `xs:decimal` (`-12.5`, `+3`, `.5`): `Decimal::from_str` alone would also take
/// `1e3`, which the UBL schema does not.
pub(crate) fn xs_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    Decimal::from_str(text.strip_prefix('+').unwrap_or(text)).ok()
}

/// A rate in basis points as `cbc:Percent`: 2100 → `21`, 550 → `5.5`.
pub(crate) fn percent(rate_bp: u32) -> String {
    rate_percent(rate_bp).normalize().to_string()
}

/// `cbc:Percent` (`21`, `25.0`, `5.5`) in basis points; `None` when negative, not a number,
/// or finer than a basis point.
pub(crate) fn parse_percent(text: &str) -> Option<u32> {
    let bp = xs_decimal(text)?.checked_mul(Decimal::ONE_HUNDRED)?;
    if !bp.fract().is_zero() {
        return None;
    }
    bp.to_u32()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_two_decimals_and_read_back() {
        for (cents, text) in [
            (0, "0.00"),
            (5, "0.05"),
            (62100, "621.00"),
            (-150000, "-1500.00"),
            (-7, "-0.07"),
        ] {
            assert_eq!(amount(cents), text);
            assert_eq!(parse_amount(text), Some(cents));
        }
        assert_eq!(amount(i64::MIN), "-92233720368547758.08");
        assert_eq!(parse_amount("25"), Some(2500));
        assert_eq!(parse_amount(" 1656.250 "), Some(165625));
        assert_eq!(parse_amount("1.005"), None);
        assert_eq!(parse_amount("1,00"), None);
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("1e3"), None);
        assert_eq!(parse_amount("+.5"), Some(50));
        assert_eq!(parse_amount("-"), None);
        assert_eq!(parse_amount("."), None);
    }

    #[test]
    fn percentages_are_written_without_useless_zeros() {
        assert_eq!(percent(2100), "21");
        assert_eq!(percent(600), "6");
        assert_eq!(percent(550), "5.5");
        assert_eq!(percent(0), "0");
        assert_eq!(parse_percent("25.0"), Some(2500));
        assert_eq!(parse_percent("5.5"), Some(550));
        assert_eq!(parse_percent("0"), Some(0));
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent("5.555"), None);
    }
}
