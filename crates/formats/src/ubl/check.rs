//! ruche's own check of the EN 16931 / Peppol BIS 3.0 business rules that can be judged on
//! the model, before a document is exported. The list is in the module doc of `ubl`.
//! No Rust library runs the official Schematron (invoicing.md §9.6): these rules are the
//! ones that, broken, would get an invoice rejected, re-coded from the rule texts.

use std::collections::BTreeMap;

use ruche_domain::ident::{EnterpriseNumber, Iban, Ogm, VatNumber};
use ruche_domain::invoicing::document::{Document, DocumentKind};
use ruche_domain::invoicing::vat::{VatCategory, rate_percent};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::{amount, endpoint, enterprise_number, percent, vat_number};

/// One broken rule: its identifier as the rule files name it (`BR-CO-16`,
/// `PEPPOL-COMMON-R043`) or `RUCHE-…` for ruche's own, and what is wrong, in English for
/// the log; the web layer translates by `rule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: &'static str,
    pub message: String,
}

/// Every rule `doc` breaks; empty when it may be exported.
pub fn check(doc: &Document) -> Vec<Violation> {
    let mut found = Found(Vec::new());
    document(doc, &mut found);
    parties(doc, &mut found);
    lines(doc, &mut found);
    totals(doc, &mut found);
    breakdown(doc, &mut found);
    vat_identifiers(doc, &mut found);
    payment(doc, &mut found);
    found.0
}

struct Found(Vec<Violation>);

impl Found {
    fn add(&mut self, rule: &'static str, message: impl Into<String>) {
        self.0.push(Violation {
            rule,
            message: message.into(),
        });
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn blank_opt(s: Option<&str>) -> bool {
    s.is_none_or(blank)
}

/// The per-category rules used here: BR-{S,Z,E,AE,IC,G,O}-{01,02,05,08,09,10}.
#[derive(Clone, Copy)]
enum Nr {
    /// The category appears in the VAT breakdown.
    N01,
    /// Seller (and buyer) VAT identifiers.
    N02,
    /// The line's rate.
    N05,
    /// The row's taxable amount is the sum of its lines.
    N08,
    /// The row's VAT amount.
    N09,
    /// The exemption reason.
    N10,
}

/// `BR-{category}-{number}`; EN 16931 names K's rules `BR-IC-…`.
fn category_rule(category: VatCategory, nr: Nr) -> &'static str {
    macro_rules! rules {
        ($($cat:ident => $code:literal),*) => {
            match category {
                $(
                    VatCategory::$cat => match nr {
                        Nr::N01 => concat!("BR-", $code, "-01"),
                        Nr::N02 => concat!("BR-", $code, "-02"),
                        Nr::N05 => concat!("BR-", $code, "-05"),
                        Nr::N08 => concat!("BR-", $code, "-08"),
                        Nr::N09 => concat!("BR-", $code, "-09"),
                        Nr::N10 => concat!("BR-", $code, "-10"),
                    },
                )*
            }
        };
    }
    rules!(S => "S", Z => "Z", E => "E", AE => "AE", K => "IC", G => "G", O => "O")
}

fn document(doc: &Document, found: &mut Found) {
    if blank(&doc.number) {
        found.add("BR-02", "the document has no number");
    }
    if doc.lines.is_empty() {
        found.add("BR-16", "the document has no line");
    }
    if blank_opt(doc.order_reference.as_deref()) {
        found.add(
            "PEPPOL-EN16931-R003",
            "a buyer reference or an order reference is required",
        );
    }
    if doc.kind == DocumentKind::CreditNote
        && doc
            .corrects
            .as_ref()
            .is_none_or(|(number, _)| blank(number))
    {
        found.add(
            "RUCHE-CREDIT-NOTE-REF",
            "a credit note must name the invoice it corrects",
        );
    }
}

fn parties(doc: &Document, found: &mut Found) {
    let seller = &doc.seller.party;
    let buyer = &doc.buyer;
    if blank(&seller.name) {
        found.add("BR-06", "the seller has no name");
    }
    if blank(&buyer.name) {
        found.add("BR-07", "the buyer has no name");
    }
    if blank(&seller.address.country) {
        found.add("BR-09", "the seller's address has no country code");
    }
    if blank(&buyer.address.country) {
        found.add("BR-11", "the buyer's address has no country code");
    }
    // BT-30 (the enterprise number) or BT-31 (the VAT number, when written at all).
    if enterprise_number(seller).is_none()
        && (vat_number(seller).is_none() || !writes_vat_identifiers(doc))
    {
        found.add(
            "BR-CO-26",
            "the seller needs an enterprise number or a VAT number",
        );
    }
    if endpoint(seller).is_none() {
        found.add(
            "PEPPOL-EN16931-R020",
            "the seller has no electronic address (enterprise number or European VAT number)",
        );
    }
    if endpoint(buyer).is_none() {
        found.add(
            "PEPPOL-EN16931-R010",
            "the buyer has no electronic address (enterprise number or European VAT number)",
        );
    }
    for (who, party) in [("seller", seller), ("buyer", buyer)] {
        if let Some(number) = enterprise_number(party) {
            // EnterpriseNumber::parse is the `u:mod97-0208` test plus the 10-digit form;
            // the writer writes the ten digits it yields.
            if EnterpriseNumber::parse(&number).is_err() {
                found.add(
                    "PEPPOL-COMMON-R043",
                    format!("the {who}'s enterprise number {number} is not 10 digits with valid check digits"),
                );
            }
        }
    }
}

fn lines(doc: &Document, found: &mut Found) {
    for (i, line) in doc.lines.iter().enumerate() {
        let n = i + 1;
        if blank(&line.unit) {
            found.add("BR-23", format!("line {n} has no unit code"));
        }
        if blank(&line.description) {
            found.add("BR-25", format!("line {n} has no item name"));
        }
        if line.unit_price.is_sign_negative() && !line.unit_price.is_zero() {
            found.add("BR-27", format!("line {n} has a negative price"));
        }
        match line_net_cents(line.quantity, line.unit_price) {
            // u:slack(…, 0.02) in the Peppol rule.
            Some(expected) if (expected - line.net_cents).abs() <= 2 => {}
            Some(expected) => found.add(
                "PEPPOL-EN16931-R120",
                format!(
                    "line {n}: net amount {} differs from {} × {} = {}",
                    amount(line.net_cents),
                    line.quantity.normalize(),
                    line.unit_price.normalize(),
                    amount(expected)
                ),
            ),
            None => found.add(
                "PEPPOL-EN16931-R120",
                format!("line {n}: quantity × price is out of range"),
            ),
        }
        let rate_ok = if line.vat_category.charges_vat() {
            line.vat_rate_bp > 0
        } else {
            line.vat_rate_bp == 0
        };
        if !rate_ok {
            found.add(
                category_rule(line.vat_category, Nr::N05),
                format!(
                    "line {n}: category {} cannot carry the rate {} %",
                    line.vat_category.code(),
                    percent(line.vat_rate_bp)
                ),
            );
        }
    }
}

/// quantity × price in cents, rounded half away from zero.
fn line_net_cents(quantity: Decimal, price: Decimal) -> Option<i64> {
    quantity
        .checked_mul(price)?
        .checked_mul(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
}

fn totals(doc: &Document, found: &mut Found) {
    let t = &doc.totals;
    let lines: i64 = doc.lines.iter().map(|l| l.net_cents).sum();
    let mut expect = |rule, what: &str, actual: i64, expected: i64, how: &str| {
        if actual != expected {
            found.add(
                rule,
                format!(
                    "{what} is {} but {how} gives {}",
                    amount(actual),
                    amount(expected)
                ),
            );
        }
    };
    expect(
        "BR-CO-10",
        "the sum of line net amounts (BT-106)",
        t.line_total_cents,
        lines,
        "adding the lines",
    );
    // No document-level allowance or charge exists in the model.
    expect(
        "BR-CO-13",
        "the total without VAT (BT-109)",
        t.tax_exclusive_cents,
        t.line_total_cents,
        "the sum of lines (no allowance or charge)",
    );
    expect(
        "BR-CO-14",
        "the total VAT (BT-110)",
        t.tax_cents,
        t.subtotals.iter().map(|s| s.tax_cents).sum(),
        "adding the VAT breakdown",
    );
    expect(
        "BR-CO-15",
        "the total with VAT (BT-112)",
        t.tax_inclusive_cents,
        t.tax_exclusive_cents + t.tax_cents,
        "total without VAT + VAT",
    );
    // No paid amount (BT-113) nor rounding amount (BT-114) exists in the model.
    expect(
        "BR-CO-16",
        "the amount due (BT-115)",
        t.payable_cents,
        t.tax_inclusive_cents,
        "the total with VAT (nothing prepaid)",
    );
}

fn breakdown(doc: &Document, found: &mut Found) {
    let subtotals = &doc.totals.subtotals;
    if subtotals.is_empty() {
        found.add("BR-CO-18", "the document has no VAT breakdown");
        found.add(
            "PEPPOL-EN16931-R053",
            "the tax total has no VAT breakdown row",
        );
    }

    // Net amounts of the lines per (category, rate): what each row must state.
    let mut by_rate: BTreeMap<(VatCategory, u32), i64> = BTreeMap::new();
    for line in &doc.lines {
        *by_rate
            .entry((line.vat_category, line.vat_rate_bp))
            .or_default() += line.net_cents;
    }
    let mut seen: BTreeMap<(VatCategory, u32), usize> = BTreeMap::new();
    for row in subtotals {
        let key = (row.category, row.rate_bp);
        let label = format!("{} {} %", row.category.code(), percent(row.rate_bp));
        *seen.entry(key).or_default() += 1;
        if seen.get(&key) == Some(&2) {
            found.add(
                "RUCHE-VAT-ROW",
                format!("the VAT breakdown has more than one row {label}"),
            );
        }
        let lines = by_rate.get(&key).copied().unwrap_or(0);
        if row.taxable_cents != lines {
            found.add(
                category_rule(row.category, Nr::N08),
                format!(
                    "the taxable amount of {label} is {} but its lines add up to {}",
                    amount(row.taxable_cents),
                    amount(lines)
                ),
            );
        }
        if row.category.charges_vat() {
            match row_tax_cents(row.taxable_cents, row.rate_bp) {
                Some(expected) if expected == row.tax_cents.abs() => {}
                expected => found.add(
                    "BR-CO-17",
                    format!(
                        "the VAT of {label} is {} but {} × {} % rounds to {}",
                        amount(row.tax_cents),
                        amount(row.taxable_cents),
                        percent(row.rate_bp),
                        expected.map_or_else(|| "an amount out of range".into(), amount)
                    ),
                ),
            }
        } else if row.tax_cents != 0 {
            found.add(
                category_rule(row.category, Nr::N09),
                format!("{label} cannot carry VAT ({})", amount(row.tax_cents)),
            );
        }
        let has_reason = !blank_opt(row.exemption_reason.as_deref());
        if row.category.needs_exemption_reason() && !has_reason {
            found.add(
                category_rule(row.category, Nr::N10),
                format!("{label} needs an exemption reason (the legal mention)"),
            );
        }
        if !row.category.needs_exemption_reason() && has_reason {
            found.add(
                category_rule(row.category, Nr::N10),
                format!("{label} cannot carry an exemption reason"),
            );
        }
    }
    for ((category, rate_bp), _) in by_rate {
        if !seen.contains_key(&(category, rate_bp)) {
            let rule = if subtotals.iter().any(|s| s.category == category) {
                category_rule(category, Nr::N08)
            } else {
                category_rule(category, Nr::N01)
            };
            found.add(
                rule,
                format!(
                    "lines at {} {} % have no VAT breakdown row",
                    category.code(),
                    percent(rate_bp)
                ),
            );
        }
    }
    if subtotals.iter().any(|s| s.category == VatCategory::O)
        && subtotals.iter().any(|s| s.category != VatCategory::O)
    {
        found.add(
            "BR-O-11",
            "a document outside the scope of VAT (O) cannot carry other VAT categories",
        );
    }
    if doc.lines.iter().any(|l| l.vat_category == VatCategory::K) {
        found.add(
            "BR-IC-11",
            "an intra-community supply needs a delivery date or period, which the document model does not carry",
        );
    }
}

/// |taxable| × rate / 100 in cents, rounded half away from zero (the CEN rule compares
/// absolute values, so a credit of −100.00 at 21 % carries −21.00).
fn row_tax_cents(taxable_cents: i64, rate_bp: u32) -> Option<i64> {
    Decimal::from(taxable_cents.checked_abs()?)
        .checked_mul(rate_percent(rate_bp))?
        .checked_div(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
}

/// Whether the written document carries VAT identifiers: not when it is wholly outside the
/// scope of VAT (BR-O-02 forbids them there; the writer leaves them out).
pub(crate) fn writes_vat_identifiers(doc: &Document) -> bool {
    let outside_scope = |c: VatCategory| c == VatCategory::O;
    let categories = doc
        .lines
        .iter()
        .map(|l| l.vat_category)
        .chain(doc.totals.subtotals.iter().map(|s| s.category));
    let mut categories = categories.peekable();
    !(categories.peek().is_some() && categories.all(outside_scope))
}

fn vat_identifiers(doc: &Document, found: &mut Found) {
    let seller = &doc.seller.party;
    let buyer = &doc.buyer;
    for (who, party) in [("seller", seller), ("buyer", buyer)] {
        if let Some(vat) = vat_number(party) {
            if !vat
                .get(..2)
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_uppercase()))
            {
                found.add(
                    "BR-CO-09",
                    format!("the {who}'s VAT number {vat} does not start with a country code"),
                );
            } else if vat.starts_with("BE") && VatNumber::parse(&vat).is_err() {
                found.add(
                    "RUCHE-BE-VAT",
                    format!("the {who}'s Belgian VAT number {vat} has wrong check digits"),
                );
            }
        }
    }
    if !writes_vat_identifiers(doc) {
        return;
    }
    let seller_vat = vat_number(seller).is_some();
    let buyer_vat = vat_number(buyer).is_some();
    let mut categories: Vec<VatCategory> = doc.lines.iter().map(|l| l.vat_category).collect();
    categories.sort();
    categories.dedup();
    for category in categories {
        let rule = category_rule(category, Nr::N02);
        let name = category.code();
        match category {
            VatCategory::O => {}
            _ if !seller_vat => found.add(
                rule,
                format!("lines in category {name} need the seller's VAT number"),
            ),
            VatCategory::AE if !buyer_vat && enterprise_number(buyer).is_none() => found.add(
                rule,
                "a reverse charge needs the buyer's VAT number or enterprise number",
            ),
            VatCategory::K if !buyer_vat => found.add(
                rule,
                "an intra-community supply needs the buyer's VAT number",
            ),
            _ => {}
        }
    }
}

fn payment(doc: &Document, found: &mut Found) {
    let iban = &doc.seller.iban;
    if blank(iban) {
        found.add("BR-61", "a credit transfer needs the payee's IBAN");
    } else if Iban::parse(iban).is_err() {
        found.add("RUCHE-IBAN", format!("the IBAN {iban} is not valid"));
    }
    if Ogm::parse(&doc.structured_communication).is_err() {
        found.add(
            "RUCHE-OGM",
            format!(
                "the structured communication {:?} is not a valid OGM",
                doc.structured_communication
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_rules_are_named_as_en_16931_names_them() {
        assert_eq!(category_rule(VatCategory::K, Nr::N02), "BR-IC-02");
        assert_eq!(category_rule(VatCategory::AE, Nr::N10), "BR-AE-10");
        assert_eq!(category_rule(VatCategory::S, Nr::N08), "BR-S-08");
        assert_eq!(category_rule(VatCategory::O, Nr::N01), "BR-O-01");
    }

    #[test]
    fn row_vat_is_rounded_half_away_from_zero_on_the_absolute_amount() {
        assert_eq!(row_tax_cents(50, 2100), Some(11)); // 0.105
        assert_eq!(row_tax_cents(-50, 2100), Some(11));
        assert_eq!(row_tax_cents(24543, 2100), Some(5154)); // 51.5403
        assert_eq!(row_tax_cents(3897, 600), Some(234)); // 2.3382
        assert_eq!(row_tax_cents(i64::MIN, 2100), None);
    }

    #[test]
    fn a_line_net_is_quantity_times_price_rounded_to_the_cent() {
        assert_eq!(
            line_net_cents(Decimal::new(42, 0), Decimal::new(4269, 4)),
            Some(1793)
        );
        assert_eq!(
            line_net_cents(Decimal::new(-3, 0), Decimal::new(500, 0)),
            Some(-150000)
        );
        assert_eq!(line_net_cents(Decimal::MAX, Decimal::MAX), None);
    }
}
