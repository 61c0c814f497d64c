//! The EN 16931 and Peppol BIS Billing 3.0 business rules that the document model can answer
//! (`invoicing.md` §9.3), so that the UBL exporter refuses a document the Peppol network
//! would reject. Rules about the XML itself (one note, one TaxTotal, currency IDs, empty
//! elements the writer adds) are the writer's; the Schematron run in the tests is the
//! final judge (`invoicing.md` §9.6).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::document::{Document, DocumentKind};
use super::totals::vat_cents;
use super::vat::VatCategory;
use crate::group::Address;
use crate::ident::EnterpriseNumber;

/// A broken rule, named by its identifier in the CEN or Peppol rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    pub rule: &'static str,
    pub message: String,
}

/// The checks numbered alike in every category's family of rules (`BR-S-01`, `BR-E-01` …;
/// K's family is `BR-IC`).
#[derive(Clone, Copy)]
enum CategoryCheck {
    /// 01: the lines of a category have their breakdown row.
    Breakdown,
    /// 02: the seller's (and for AE and K the buyer's) VAT identifier.
    VatIdentifiers,
    /// 05: the line's rate (positive for S, zero otherwise).
    LineRate,
    /// 08: the taxable amount is the sum of the lines.
    Taxable,
    /// 09: no VAT but on S.
    NoTax,
    /// 10: an exemption reason where one is needed, none where it is forbidden.
    Reason,
}

macro_rules! family {
    ($fam:literal) => {
        [
            concat!("BR-", $fam, "-01"),
            concat!("BR-", $fam, "-02"),
            concat!("BR-", $fam, "-05"),
            concat!("BR-", $fam, "-08"),
            concat!("BR-", $fam, "-09"),
            concat!("BR-", $fam, "-10"),
        ]
    };
}

fn category_rule(category: VatCategory, check: CategoryCheck) -> &'static str {
    let [breakdown, identifiers, rate, taxable, no_tax, reason] = match category {
        VatCategory::S => family!("S"),
        VatCategory::Z => family!("Z"),
        VatCategory::E => family!("E"),
        VatCategory::AE => family!("AE"),
        VatCategory::K => family!("IC"),
        VatCategory::G => family!("G"),
        VatCategory::O => family!("O"),
    };
    match check {
        CategoryCheck::Breakdown => breakdown,
        CategoryCheck::VatIdentifiers => identifiers,
        CategoryCheck::LineRate => rate,
        CategoryCheck::Taxable => taxable,
        CategoryCheck::NoTax => no_tax,
        CategoryCheck::Reason => reason,
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn present(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !blank(s))
}

/// Every rule the document breaks; empty when it may be exported.
pub fn check_peppol(document: &Document) -> Vec<RuleViolation> {
    let mut v = Vec::new();
    check_parties(document, &mut v);
    check_lines(document, &mut v);
    check_breakdown(document, &mut v);
    check_totals(document, &mut v);
    v
}

/// The number, the parties, their identifiers and electronic addresses.
fn check_parties(document: &Document, v: &mut Vec<RuleViolation>) {
    let mut fail = |rule: &'static str, message: String| v.push(RuleViolation { rule, message });
    let seller = &document.seller.party;
    let buyer = &document.buyer;
    if blank(&document.number) {
        fail("BR-02", "the document has no number".into());
    }
    if blank(&seller.name) {
        fail("BR-06", "the seller has no name".into());
    }
    if blank(&buyer.name) {
        fail("BR-07", "the buyer has no name".into());
    }
    for (who, address, rule_address, rule_country) in [
        ("seller", &seller.address, "BR-08", "BR-09"),
        ("buyer", &buyer.address, "BR-10", "BR-11"),
    ] {
        if blank(&address.street) || blank(&address.city) {
            fail(rule_address, format!("the {who} has no postal address"));
        }
        if !is_country_code(address) {
            fail(rule_country, format!("the {who} has no ISO country code"));
        }
    }
    if !present(&document.order_reference) {
        fail(
            "PEPPOL-EN16931-R003",
            "a buyer reference or an order reference is required".into(),
        );
    }
    // Endpoints: the seller under 0208, the buyer under 0208 or its VAT number (9925 …).
    if !present(&seller.enterprise_number) {
        fail(
            "PEPPOL-EN16931-R020",
            "the seller has no electronic address".into(),
        );
    }
    if !present(&buyer.enterprise_number) && !present(&buyer.vat_number) {
        fail(
            "PEPPOL-EN16931-R010",
            "the buyer has no electronic address".into(),
        );
    }
    if !present(&seller.enterprise_number) && !present(&seller.vat_number) {
        fail("BR-CO-26", "the seller has no identifier".into());
    }
    for (who, number) in [
        ("seller", &seller.enterprise_number),
        ("buyer", &buyer.enterprise_number),
    ] {
        if let Some(n) = number.as_deref().filter(|n| !blank(n))
            && EnterpriseNumber::parse(n).map(|p| p.as_str() == n) != Ok(true)
        {
            fail(
                "PEPPOL-COMMON-R043",
                format!("the {who}'s 0208 identifier {n} is not ten digits with a valid check"),
            );
        }
    }
    for (who, vat) in [("seller", &seller.vat_number), ("buyer", &buyer.vat_number)] {
        if let Some(vat) = vat.as_deref().filter(|s| !blank(s))
            && !vat
                .get(..2)
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_uppercase()))
        {
            fail(
                "BR-CO-09",
                format!("the {who}'s VAT identifier {vat} has no country prefix"),
            );
        }
    }
    for (field, value) in [
        ("seller e-mail", &seller.email),
        ("seller VAT identifier", &seller.vat_number),
        ("seller enterprise number", &seller.enterprise_number),
        ("seller BIC", &document.seller.bic),
        ("buyer e-mail", &buyer.email),
        ("buyer VAT identifier", &buyer.vat_number),
        ("buyer enterprise number", &buyer.enterprise_number),
        ("order reference", &document.order_reference),
        ("note", &document.note),
    ] {
        if value.as_deref().is_some_and(blank) {
            fail("PEPPOL-EN16931-R008", format!("the {field} is empty"));
        }
    }
    if document.kind == DocumentKind::Invoice && blank(&document.seller.iban) {
        fail(
            "BR-61",
            "a credit transfer needs the payee's account".into(),
        );
    }
}

/// Each line: named, with a unit, a price, an amount that is quantity × price, and a rate
/// that fits its category.
fn check_lines(document: &Document, v: &mut Vec<RuleViolation>) {
    let mut fail = |rule: &'static str, message: String| v.push(RuleViolation { rule, message });
    if document.lines.is_empty() {
        fail("BR-16", "the document has no line".into());
    }
    for (i, l) in document.lines.iter().enumerate() {
        let n = i + 1;
        if blank(&l.description) {
            fail("BR-25", format!("line {n} has no item name"));
        }
        if blank(&l.unit) {
            fail("BR-23", format!("line {n} has no unit code"));
        }
        if l.unit_price < Decimal::ZERO {
            fail("BR-27", format!("line {n} has a negative price"));
        }
        // R120: the line amount is quantity × price within 0.02.
        let exact = l.quantity.checked_mul(l.unit_price);
        let off = exact.map(|e| (Decimal::new(l.net_cents, 2) - e).abs());
        if off.is_none_or(|d| d > Decimal::new(2, 2)) {
            fail(
                "PEPPOL-EN16931-R120",
                format!("line {n}: the amount is not quantity × price"),
            );
        }
        let rate_ok = if l.vat_category.charges_vat() {
            l.vat_rate_bp > 0
        } else {
            l.vat_rate_bp == 0
        };
        if !rate_ok {
            fail(
                category_rule(l.vat_category, CategoryCheck::LineRate),
                format!(
                    "line {n}: wrong VAT rate for category {}",
                    l.vat_category.code()
                ),
            );
        }
    }
}

/// The sums of line net amounts per (category, rate), which the breakdown must equal.
fn line_sums(document: &Document) -> BTreeMap<(VatCategory, u32), i64> {
    let mut sums: BTreeMap<(VatCategory, u32), i64> = BTreeMap::new();
    for l in &document.lines {
        let sum = sums.entry((l.vat_category, l.vat_rate_bp)).or_insert(0);
        *sum = sum.saturating_add(l.net_cents);
    }
    sums
}

/// The VAT breakdown: one row per category and rate, each with its taxable amount, its VAT,
/// its exemption reason, and the identifiers its category requires.
fn check_breakdown(document: &Document, v: &mut Vec<RuleViolation>) {
    let mut fail = |rule: &'static str, message: String| v.push(RuleViolation { rule, message });
    let totals = &document.totals;
    let buyer = &document.buyer;
    let seller = &document.seller.party;
    if totals.subtotals.is_empty() {
        fail("BR-CO-18", "the document has no VAT breakdown".into());
    }
    let line_sums = line_sums(document);
    for &(category, rate) in line_sums.keys() {
        let rows = totals
            .subtotals
            .iter()
            .filter(|s| s.category == category && s.rate_bp == rate)
            .count();
        if rows != 1 {
            fail(
                category_rule(category, CategoryCheck::Breakdown),
                format!(
                    "category {} at {rate} bp needs one breakdown row, has {rows}",
                    category.code()
                ),
            );
        }
    }
    let categories: Vec<VatCategory> = totals.subtotals.iter().map(|s| s.category).collect();
    if categories.contains(&VatCategory::O) && categories.iter().any(|&c| c != VatCategory::O) {
        fail(
            "BR-O-11",
            "an outside-scope breakdown cannot sit next to another".into(),
        );
    }
    for s in &totals.subtotals {
        let code = s.category.code();
        let sum = line_sums
            .get(&(s.category, s.rate_bp))
            .copied()
            .unwrap_or(0);
        if s.taxable_cents != sum {
            fail(
                category_rule(s.category, CategoryCheck::Taxable),
                format!("the taxable amount of {code} is not the sum of its lines"),
            );
        }
        // BR-CO-17, checked exactly as the CEN rules of Peppol 3.0.19 do (later releases
        // tolerate ±1.00).
        if vat_cents(s.taxable_cents, s.rate_bp) != Some(s.tax_cents) {
            fail(
                "BR-CO-17",
                format!("the VAT of {code} is not taxable × rate"),
            );
        }
        if !s.category.charges_vat() && s.tax_cents != 0 {
            fail(
                category_rule(s.category, CategoryCheck::NoTax),
                format!("{code} carries VAT"),
            );
        }
        let has_reason = present(&s.exemption_reason);
        if s.category.needs_exemption_reason() != has_reason {
            let message = if has_reason {
                format!("{code} may not carry an exemption reason")
            } else {
                format!("{code} needs an exemption reason")
            };
            fail(category_rule(s.category, CategoryCheck::Reason), message);
        }
    }
    // The seller's VAT identifier with lines of S, Z, E, AE, K, G (BR-x-02); AE also needs
    // the buyer's VAT or legal identifier, K the buyer's VAT identifier.
    for category in line_sums.keys().map(|&(c, _)| c).collect::<BTreeSet<_>>() {
        if category == VatCategory::O {
            continue;
        }
        let buyer_ok = match category {
            VatCategory::AE => present(&buyer.vat_number) || present(&buyer.enterprise_number),
            VatCategory::K => present(&buyer.vat_number),
            _ => true,
        };
        if !present(&seller.vat_number) || !buyer_ok {
            fail(
                category_rule(category, CategoryCheck::VatIdentifiers),
                format!("category {} needs the VAT identifiers", category.code()),
            );
        }
    }
}

/// The document totals (BR-CO-10 … BR-CO-16), with sums that cannot overflow on a
/// document read from outside.
fn check_totals(document: &Document, v: &mut Vec<RuleViolation>) {
    let totals = &document.totals;
    let sum = |values: &mut dyn Iterator<Item = i64>| values.fold(0i64, i64::saturating_add);
    let line_total = sum(&mut document.lines.iter().map(|l| l.net_cents));
    let tax_total = sum(&mut totals.subtotals.iter().map(|s| s.tax_cents));
    for (rule, holds, what) in [
        (
            "BR-CO-10",
            totals.line_total_cents == line_total,
            "BT-106 = Σ BT-131",
        ),
        (
            "BR-CO-13",
            totals.tax_exclusive_cents == totals.line_total_cents,
            "BT-109 = BT-106",
        ),
        (
            "BR-CO-14",
            totals.tax_cents == tax_total,
            "BT-110 = Σ BT-117",
        ),
        (
            "BR-CO-15",
            Some(totals.tax_inclusive_cents)
                == totals.tax_exclusive_cents.checked_add(totals.tax_cents),
            "BT-112 = BT-109 + BT-110",
        ),
        (
            "BR-CO-16",
            totals.payable_cents == totals.tax_inclusive_cents,
            "BT-115 = BT-112",
        ),
    ] {
        if !holds {
            v.push(RuleViolation {
                rule,
                message: format!("{what} does not hold"),
            });
        }
    }
}

fn is_country_code(address: &Address) -> bool {
    address.country.len() == 2 && address.country.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::invoicing::fixtures::{document_with, invoice, line};

    fn rules(doc: &Document) -> Vec<&'static str> {
        check_peppol(doc).iter().map(|v| v.rule).collect()
    }

    #[test]
    fn the_reference_invoice_breaks_no_rule() {
        assert_eq!(check_peppol(&invoice()), vec![]);
        let credit = document_with(
            DocumentKind::CreditNote,
            &[line(VatCategory::S, 2100, 1, 65)],
        );
        assert_eq!(check_peppol(&credit), vec![]);
    }

    #[test]
    fn a_payable_amount_a_euro_short_breaks_br_co_16() {
        // Like samples/be-test/be-invoice-bad-totals.xml, which also lacks the buyer
        // reference (PEPPOL-EN16931-R003).
        let mut doc = invoice();
        doc.totals.payable_cents -= 100;
        doc.order_reference = None;
        assert_eq!(rules(&doc), vec!["PEPPOL-EN16931-R003", "BR-CO-16"]);
    }

    #[test]
    fn a_buyer_enterprise_number_with_a_bad_check_breaks_peppol_common_r043() {
        // Like samples/be-test/be-invoice-bad-0208.xml.
        let mut doc = invoice();
        doc.buyer.enterprise_number = Some("0412345615".to_string());
        assert_eq!(rules(&doc), vec!["PEPPOL-COMMON-R043"]);
        doc.buyer.enterprise_number = Some("07399999484052".to_string());
        assert_eq!(rules(&doc), vec!["PEPPOL-COMMON-R043"]);
        doc.buyer.enterprise_number = Some("0739484052".to_string());
        assert_eq!(rules(&doc), Vec::<&str>::new());
    }

    #[test]
    fn each_total_is_checked_against_its_rule() {
        let mut doc = invoice();
        doc.totals.line_total_cents += 1;
        assert_eq!(rules(&doc), vec!["BR-CO-10", "BR-CO-13"]);
        let mut doc = invoice();
        doc.totals.tax_cents += 1;
        assert_eq!(rules(&doc), vec!["BR-CO-14", "BR-CO-15"]);
        let mut doc = invoice();
        doc.totals.tax_inclusive_cents += 1;
        assert_eq!(rules(&doc), vec!["BR-CO-15", "BR-CO-16"]);
    }

    #[test]
    fn the_vat_of_a_breakdown_is_its_taxable_amount_times_its_rate() {
        let mut doc = invoice();
        doc.totals.subtotals[0].tax_cents += 1;
        doc.totals.tax_cents += 1;
        doc.totals.tax_inclusive_cents += 1;
        doc.totals.payable_cents += 1;
        assert_eq!(rules(&doc), vec!["BR-CO-17"]);
    }

    #[test]
    fn a_breakdown_taxable_amount_is_the_sum_of_its_lines() {
        let mut doc = invoice();
        doc.totals.subtotals[1].taxable_cents -= 100;
        assert_eq!(rules(&doc), vec!["BR-E-08"]);
        let mut doc = invoice();
        doc.totals.subtotals[0].taxable_cents += 100;
        doc.totals.subtotals[0].tax_cents += 21;
        assert_eq!(rules(&doc), vec!["BR-S-08", "BR-CO-14"]);
    }

    #[test]
    fn an_exempt_breakdown_needs_its_reason_and_a_standard_one_may_not_have_one() {
        let mut doc = invoice();
        doc.totals.subtotals[1].exemption_reason = None;
        assert_eq!(rules(&doc), vec!["BR-E-10"]);
        let mut doc = invoice();
        doc.totals.subtotals[0].exemption_reason = Some("Exonéré".to_string());
        assert_eq!(rules(&doc), vec!["BR-S-10"]);
        let mut doc = document_with(DocumentKind::Invoice, &[line(VatCategory::Z, 0, 1, 10)]);
        assert_eq!(rules(&doc), Vec::<&str>::new());
        doc.totals.subtotals[0].exemption_reason = Some("Taux zéro".to_string());
        assert_eq!(rules(&doc), vec!["BR-Z-10"]);
    }

    #[test]
    fn an_intra_community_supply_follows_the_br_ic_rules() {
        let mut doc = document_with(DocumentKind::Invoice, &[line(VatCategory::K, 0, 1, 10)]);
        doc.buyer.vat_number = None;
        assert_eq!(rules(&doc), vec!["BR-IC-02"]);
        doc.totals.subtotals[0].exemption_reason = None;
        assert_eq!(rules(&doc), vec!["BR-IC-10", "BR-IC-02"]);
    }

    #[test]
    fn a_reverse_charge_needs_both_parties_identified() {
        let mut doc = document_with(DocumentKind::Invoice, &[line(VatCategory::AE, 0, 1, 10)]);
        assert_eq!(rules(&doc), Vec::<&str>::new());
        doc.seller.party.vat_number = None;
        assert_eq!(rules(&doc), vec!["BR-AE-02"]);
    }

    #[test]
    fn an_exempt_line_at_a_positive_rate_breaks_br_e_05_and_br_e_09() {
        let mut doc = invoice();
        doc.lines[1].vat_rate_bp = 600;
        doc.totals.subtotals[1].rate_bp = 600;
        doc.totals.subtotals[1].tax_cents = 2880;
        doc.totals.tax_cents += 2880;
        doc.totals.tax_inclusive_cents += 2880;
        doc.totals.payable_cents += 2880;
        assert_eq!(rules(&doc), vec!["BR-E-05", "BR-E-09"]);
    }

    #[test]
    fn an_outside_scope_breakdown_stands_alone() {
        let doc = document_with(
            DocumentKind::Invoice,
            &[
                line(VatCategory::O, 0, 1, 10),
                line(VatCategory::S, 2100, 1, 10),
            ],
        );
        assert_eq!(rules(&doc), vec!["BR-O-11"]);
    }

    #[test]
    fn a_missing_breakdown_row_is_named_after_its_category() {
        let mut doc = invoice();
        doc.totals.subtotals.remove(1);
        let found = rules(&doc);
        assert!(found.contains(&"BR-E-01"), "{found:?}");
        let mut doc = invoice();
        doc.totals.subtotals.clear();
        assert!(rules(&doc).contains(&"BR-CO-18"));
    }

    #[test]
    fn a_line_amount_far_from_quantity_times_price_breaks_r120() {
        let mut doc = invoice();
        doc.lines[0].net_cents += 2; // 0.02 is tolerated
        doc.totals.subtotals[0].taxable_cents += 2;
        doc.totals.line_total_cents += 2;
        doc.totals.tax_exclusive_cents += 2;
        doc.totals.tax_inclusive_cents += 2;
        doc.totals.payable_cents += 2;
        assert_eq!(rules(&doc), Vec::<&str>::new());
        doc.lines[0].net_cents += 1;
        assert!(rules(&doc).contains(&"PEPPOL-EN16931-R120"));
    }

    #[test]
    fn parties_need_names_addresses_and_electronic_addresses() {
        let mut doc = invoice();
        doc.buyer.name = String::new();
        doc.buyer.address.country = "Belgium".to_string();
        doc.buyer.enterprise_number = None;
        doc.buyer.vat_number = None;
        doc.seller.party.enterprise_number = None;
        assert_eq!(
            rules(&doc),
            vec![
                "BR-07",
                "BR-11",
                "PEPPOL-EN16931-R020",
                "PEPPOL-EN16931-R010"
            ]
        );
    }

    #[test]
    fn an_empty_optional_field_would_be_an_empty_element() {
        let mut doc = invoice();
        doc.note = Some(" ".to_string());
        doc.buyer.email = Some(String::new());
        assert_eq!(
            rules(&doc),
            vec!["PEPPOL-EN16931-R008", "PEPPOL-EN16931-R008"]
        );
    }

    #[test]
    fn a_vat_identifier_needs_its_country_prefix() {
        let mut doc = invoice();
        doc.buyer.vat_number = Some("0202239951".to_string());
        assert_eq!(rules(&doc), vec!["BR-CO-09"]);
    }
}
