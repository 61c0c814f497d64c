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
//! The document is judged *as [`write_invoice`] would write it* (for example the writer
//! puts the VATEX code of AE, K, G and O itself, and omits VAT identifiers on a document
//! outside the scope of VAT).
//!
//! | Rule | What |
//! |---|---|
//! | BR-02, BR-06, BR-07, BR-09, BR-11, BR-16 | number, seller and buyer names and country codes, at least one line |
//! | BR-23, BR-25, BR-27 | per line: unit code, item name, price not negative |
//! | PEPPOL-EN16931-R120 | per line: net = quantity × price (±0.02) |
//! | BR-CO-10, BR-CO-13, BR-CO-14, BR-CO-15, BR-CO-16 | totals arithmetic (BT-106, 109, 110, 112, 115); the model has no allowances, charges, prepaid or rounding amounts, so BT-109 = BT-106 and BT-115 = BT-112 |
//! | BR-CO-17 | VAT per breakdown row = taxable × rate, rounded half away from zero to the cent — **exactly**: ruche computes it so, and older CEN rule files (before the ±1.00 tolerance) still run at some access points |
//! | BR-CO-18, PEPPOL-EN16931-R053 | at least one VAT breakdown row, in the single `cac:TaxTotal` |
//! | BR-S-01/-08 … BR-O-01/-08 | every category and rate of the lines has a breakdown row whose taxable amount is the sum of those lines |
//! | BR-S-05, BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05, BR-O-05 | line rate: above 0 for S, 0 for every other category |
//! | BR-Z-09, BR-E-09, BR-AE-09, BR-IC-09, BR-G-09, BR-O-09 | no VAT in a breakdown row other than S |
//! | BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10 | an exemption reason (the legal mention, art. 5 §1, 9° RD no. 1) on every row but S and Z |
//! | BR-S-10, BR-Z-10 | no exemption reason on S and Z rows |
//! | BR-S-02, BR-Z-02, BR-E-02, BR-AE-02, BR-IC-02, BR-G-02 | seller VAT identifier; AE also a buyer VAT or legal identifier, K a buyer VAT identifier |
//! | BR-IC-11 | K needs a delivery date or period, which the model cannot carry: K is always refused |
//! | BR-O-11 | an O row stands alone |
//! | BR-CO-09 | VAT identifiers start with a country code |
//! | BR-CO-26 | a seller identifier (enterprise number or VAT number) |
//! | BR-61 | the payee IBAN (payment means 30) |
//! | PEPPOL-EN16931-R003 | a buyer reference or order reference |
//! | PEPPOL-EN16931-R010, R020 | buyer and seller electronic address (`cbc:EndpointID`) |
//! | PEPPOL-COMMON-R043 | every `0208` identifier: 10 digits, mod 97 |
//! | RUCHE-OGM | the structured communication is a valid OGM (invoicing.md §8.2, §9.4) |
//! | RUCHE-IBAN | the payee IBAN passes ISO 13616 and the Belgian national check |
//! | RUCHE-BE-VAT | a `BE` VAT number carries valid check digits |
//! | RUCHE-CREDIT-NOTE-REF | a credit note names the invoice it corrects (BG-3, invoicing.md §3.2) |
//! | RUCHE-VAT-ROW | one breakdown row per category and rate |
//!
//! Holding by construction (not checked): R001/R004/R007 (fixed identifiers), R002 (the
//! model has one note), R008 (the writer omits empty optional elements), R051 (one
//! currency, EUR), R061 (no direct debit), BR-CO-25 (the due date is always written).

mod check;
mod read;
#[cfg(test)]
mod round_trip;
mod tree;
mod write;

use std::str::FromStr;

use ruche_domain::ident::EnterpriseNumber;
use ruche_domain::invoicing::document::Party;
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

/// `cbc:EndpointID` of a party (BT-34 / BT-49), `(schemeID, value)`: the enterprise number
/// under `0208` (invoicing.md §2.1), else the VAT number under its country's EAS VAT scheme
/// (`9925` for Belgium). `None` when the party has neither.
pub(crate) fn endpoint(party: &Party) -> Option<(&'static str, String)> {
    if let Some(number) = enterprise_number(party) {
        return Some(("0208", number));
    }
    let vat = vat_number(party)?;
    let scheme = vat_eas(vat.get(..2)?)?;
    Some((scheme, vat))
}

/// The party's enterprise number as written (`0202239951`): normalised when it parses, as
/// given otherwise (so that [`check`] and a receiver see the same wrong value).
pub(crate) fn enterprise_number(party: &Party) -> Option<String> {
    let raw = party.enterprise_number.as_deref()?.trim();
    if raw.is_empty() {
        return None;
    }
    Some(
        EnterpriseNumber::parse(raw)
            .map(|n| n.as_str().to_string())
            .unwrap_or_else(|_| raw.to_string()),
    )
}

/// The party's VAT number as written: without spaces or dots, upper case (`BE0202239951`).
pub(crate) fn vat_number(party: &Party) -> Option<String> {
    let compact: String = party
        .vat_number
        .as_deref()?
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect::<String>()
        .to_ascii_uppercase();
    Some(compact).filter(|v| !v.is_empty())
}

/// The EAS code of a country's VAT number (OpenPEPPOL `structure/codelist/eas.xml`), by the
/// VAT prefix (Greece writes `EL`). Only European VAT schemes: elsewhere a party needs an
/// identifier the model does not hold.
fn vat_eas(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "AD" => "9922",
        "AL" => "9923",
        "AT" => "9914",
        "BA" => "9924",
        "BE" => "9925",
        "BG" => "9926",
        "CH" => "9927",
        "CY" => "9928",
        "CZ" => "9929",
        "DE" => "9930",
        "EE" => "9931",
        "EL" => "9933",
        "ES" => "9920",
        "FR" => "9957",
        "GB" => "9932",
        "HR" => "9934",
        "HU" => "9910",
        "IE" => "9935",
        "IT" => "0211",
        "LI" => "9936",
        "LT" => "9937",
        "LU" => "9938",
        "LV" => "9939",
        "MC" => "9940",
        "ME" => "9941",
        "MK" => "9942",
        "MT" => "9943",
        "NL" => "9944",
        "PL" => "9945",
        "PT" => "9946",
        "RO" => "9947",
        "RS" => "9948",
        "SI" => "9949",
        "SK" => "9950",
        "SM" => "9951",
        "TR" => "9952",
        "VA" => "9953",
        _ => return None,
    })
}

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
    use ruche_domain::group::Address;

    fn party(enterprise: Option<&str>, vat: Option<&str>) -> Party {
        Party {
            name: "X".into(),
            address: Address {
                street: "s".into(),
                postcode: "1000".into(),
                city: "c".into(),
                country: "BE".into(),
            },
            enterprise_number: enterprise.map(str::to_string),
            vat_number: vat.map(str::to_string),
            email: None,
        }
    }

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

    #[test]
    fn a_belgian_party_is_reached_at_its_enterprise_number_then_its_vat_number() {
        assert_eq!(
            endpoint(&party(Some("0202.239.951"), Some("BE0202239951"))),
            Some(("0208", "0202239951".to_string()))
        );
        assert_eq!(
            endpoint(&party(None, Some("be 0202.239.951"))),
            Some(("9925", "BE0202239951".to_string()))
        );
        assert_eq!(
            endpoint(&party(None, Some("FR12345678901"))),
            Some(("9957", "FR12345678901".to_string()))
        );
        assert_eq!(endpoint(&party(None, Some("US123"))), None);
        assert_eq!(endpoint(&party(Some(" "), None)), None);
        // A wrong number is written as given, for PEPPOL-COMMON-R043 to catch.
        assert_eq!(
            endpoint(&party(Some("0412345615"), None)),
            Some(("0208", "0412345615".to_string()))
        );
    }
}
