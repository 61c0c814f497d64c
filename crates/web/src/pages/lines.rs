//! The lines editor shared by quotes and invoices: repeated form fields `line_description`,
//! `line_quantity`, `line_unit`, `line_unit_price`, `line_vat` (`S:2100`, `E:0`…), read in
//! order; a row left entirely empty is skipped. Errors are keyed `line-<n>-<field>`.

use std::str::FromStr;

use ruche_domain::Language;
use ruche_domain::invoicing::{DocumentError, LineInput, VatCategory, rates_on};
use rust_decimal::Decimal;

use crate::i18n;

/// One row of the editor, as typed.
#[derive(Debug, Clone, Default)]
pub struct LineRow {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat: String,
}

/// The units offered (UN/ECE Recommendation 20 codes).
pub const UNITS: [&str; 5] = ["HUR", "DAY", "C62", "KMT", "LS"];

/// The rows of a form, in order.
pub fn rows(pairs: &[(String, String)]) -> Vec<LineRow> {
    let column = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let descriptions = column("line_description");
    let quantities = column("line_quantity");
    let units = column("line_unit");
    let prices = column("line_unit_price");
    let vats = column("line_vat");
    let at = |v: &[&str], i: usize| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    (0..descriptions.len().min(200))
        .map(|i| LineRow {
            description: at(&descriptions, i),
            quantity: at(&quantities, i),
            unit: at(&units, i),
            unit_price: at(&prices, i),
            vat: at(&vats, i),
        })
        .filter(|r| !(r.description.is_empty() && r.quantity.is_empty() && r.unit_price.is_empty()))
        .collect()
}

/// A decimal as typed in Belgium: `1.234,56`, `1234,56` or `1234.56`.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim().replace(['\u{a0}', ' ', '€'], "");
    let normalized = if s.contains(',') {
        s.replace('.', "").replace(',', ".")
    } else {
        s
    };
    Decimal::from_str(&normalized).ok()
}

fn parse_vat(s: &str) -> Option<(VatCategory, u32)> {
    let (category, rate) = s.split_once(':')?;
    Some((VatCategory::parse(category)?, rate.parse().ok()?))
}

/// Typed rows → the domain's line inputs, or the errors keyed by line and field.
pub fn parse(rows: &[LineRow]) -> Result<Vec<LineInput>, Vec<(String, &'static str)>> {
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let quantity = parse_decimal(&row.quantity);
        let price = parse_decimal(&row.unit_price);
        let vat = parse_vat(&row.vat);
        if quantity.is_none() {
            errors.push((format!("line-{n}-quantity"), "number"));
        }
        if price.is_none() {
            errors.push((format!("line-{n}-unit_price"), "number"));
        }
        if vat.is_none() {
            errors.push((format!("line-{n}-vat"), "required"));
        }
        if let (Some(quantity), Some(unit_price), Some((vat_category, vat_rate_bp))) =
            (quantity, price, vat)
        {
            lines.push(LineInput {
                description: row.description.clone(),
                quantity,
                unit: if row.unit.is_empty() {
                    "C62".into()
                } else {
                    row.unit.clone()
                },
                unit_price,
                vat_category,
                vat_rate_bp,
            });
        }
    }
    if lines.is_empty() && errors.is_empty() {
        errors.push(("lines".into(), "no-lines"));
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// The key under which a domain refusal is shown: next to its line's field, or the form's.
pub fn error_key(e: &DocumentError) -> String {
    match e.line() {
        Some(n) => format!("line-{n}-{}", e.field()),
        None => e.field().replace('.', "_"),
    }
}

/// The message of a domain refusal, in `lang` (`doc-<code>`).
pub fn error_text(e: &DocumentError, lang: Language) -> String {
    let text = i18n::t(lang, &format!("doc-{}", e.code()));
    match e.line() {
        Some(n) => i18n::t_args(
            lang,
            "doc-on-line",
            &[("line", n.to_string()), ("text", text)],
        ),
        None => text,
    }
}

/// The VAT choices of the editor on `date`: every rate of S, then the other categories.
pub fn vat_options(date: jiff::civil::Date, lang: Language) -> Vec<(String, String)> {
    let mut rates = rates_on(date);
    rates.sort_unstable_by(|a, b| b.cmp(a));
    let mut options: Vec<(String, String)> = rates
        .into_iter()
        .filter(|r| *r > 0)
        .map(|r| {
            (
                format!("S:{r}"),
                format!("{} %", Decimal::new(i64::from(r), 2).normalize()),
            )
        })
        .collect();
    for c in [
        VatCategory::Z,
        VatCategory::E,
        VatCategory::AE,
        VatCategory::K,
        VatCategory::G,
        VatCategory::O,
    ] {
        options.push((
            format!("{}:0", c.code()),
            i18n::t(lang, &format!("vat-{}", c.code())),
        ));
    }
    options
}

/// Rows to show: the lines typed (or stored) and a few empty rows to add more.
pub fn with_blank_rows(mut rows: Vec<LineRow>, blanks: usize) -> Vec<LineRow> {
    for _ in 0..blanks {
        rows.push(LineRow {
            unit: "HUR".into(),
            vat: "S:2100".into(),
            ..Default::default()
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn rows_are_read_in_order_and_empty_rows_skipped() {
        let form = pairs(&[
            ("line_description", "Concert"),
            ("line_quantity", "2"),
            ("line_unit", "HUR"),
            ("line_unit_price", "1.234,50"),
            ("line_vat", "S:2100"),
            ("line_description", ""),
            ("line_quantity", ""),
            ("line_unit", "HUR"),
            ("line_unit_price", ""),
            ("line_vat", "S:2100"),
        ]);
        let rows = rows(&form);
        assert_eq!(rows.len(), 1);
        let lines = parse(&rows).unwrap_or_default();
        assert_eq!(lines[0].unit_price, Decimal::new(123_450, 2));
        assert_eq!(lines[0].vat_rate_bp, 2100);
    }

    #[test]
    fn a_bad_number_is_named_with_its_line() {
        let rows = vec![LineRow {
            description: "X".into(),
            quantity: "deux".into(),
            unit_price: "10".into(),
            vat: "S:2100".into(),
            ..Default::default()
        }];
        let errors = parse(&rows).err().unwrap_or_default();
        assert_eq!(errors, [("line-1-quantity".to_string(), "number")]);
        assert_eq!(
            parse(&[]).err().unwrap_or_default(),
            [("lines".to_string(), "no-lines")]
        );
    }
}
