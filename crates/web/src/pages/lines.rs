//! The lines of a quote or an invoice: one editor (`lines_editor.html`) and one parser, for
//! the pages and the API alike.
//!
//! The form names a line's fields by its row, `lines[2].quantity`, the API by the same JSON
//! path, so that a problem is named where it was typed. The editor works without
//! JavaScript: its buttons ("add a line", "price it", "recalculate") post the whole form back
//! and the page comes back with the typed values; with htmx, the same posts swap only the
//! lines or the totals. Nothing is written until "save", which is the document's own.

use std::collections::BTreeMap;
use std::str::FromStr;

use ruche_domain::Language;
use ruche_domain::activity::effective_contribution_rate;
use ruche_domain::format::{money, parse_money};
use ruche_domain::invoicing::{
    DocumentError, LineInput, Totals, VatCategory, category_rates_on, compute_totals,
    price_for_cost,
};
use ruche_store::activities::ActivityRecord;
use ruche_store::invoices::InvoiceLineRecord;
use ruche_store::quotes::QuoteLineRecord;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::staff::Options;
use crate::context::{RequestCtx, today};
use crate::i18n;

/// The units a line may use (UN/ECE Recommendation 20 codes, as Peppol writes them).
pub const UNITS: [&str; 5] = ["HUR", "DAY", "C62", "KMT", "LS"];
/// A bound on the lines of one document (TigerStyle: a bound on every list).
pub const MAX_LINES: usize = 200;
/// What a new line proposes: an hour at the standard rate.
const DEFAULT_UNIT: &str = "HUR";
const DEFAULT_VAT: &str = "S:2100";

// ------------------------------------------------------------------------ typed lines

/// One line as typed: in the editor's form, or in the API's JSON where a quantity or a
/// price may come as a string (to keep every digit) or as a number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawLine {
    #[serde(deserialize_with = "typed")]
    pub description: String,
    #[serde(deserialize_with = "typed")]
    pub quantity: String,
    #[serde(deserialize_with = "typed")]
    pub unit: String,
    #[serde(deserialize_with = "typed")]
    pub unit_price: String,
    #[serde(deserialize_with = "typed")]
    pub vat_category: String,
    #[serde(deserialize_with = "typed")]
    pub vat_rate_bp: String,
    /// The pricing helper's cost (editor only).
    #[serde(skip)]
    pub cost: String,
}

/// A string or a number of the API's JSON as the text the parser reads; anything else is
/// nothing typed.
pub fn typed<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

impl RawLine {
    /// A new row of the editor.
    pub fn fresh() -> Self {
        let mut line = RawLine {
            unit: DEFAULT_UNIT.into(),
            ..Default::default()
        };
        line.set_vat(DEFAULT_VAT);
        line
    }

    /// Nothing typed: the editor's spare rows.
    fn is_blank(&self) -> bool {
        [
            &self.description,
            &self.quantity,
            &self.unit_price,
            &self.cost,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    /// The editor's single VAT choice, `S:2100`.
    pub fn vat(&self) -> String {
        format!("{}:{}", self.vat_category, self.vat_rate_bp)
    }

    fn set_vat(&mut self, choice: &str) {
        let (category, rate) = choice.split_once(':').unwrap_or((choice, ""));
        self.vat_category = category.trim().to_string();
        self.vat_rate_bp = rate.trim().to_string();
    }

    /// The line as the domain computes it, if it reads (the live totals).
    fn input(&self) -> Option<LineInput> {
        Some(LineInput {
            description: self.description.clone(),
            quantity: parse_decimal(&self.quantity)?,
            unit: self.unit.clone(),
            unit_price: parse_decimal(&self.unit_price)?,
            vat_category: VatCategory::parse(&self.vat_category)?,
            vat_rate_bp: self.vat_rate_bp.trim().parse().ok()?,
        })
    }
}

/// A stored line back in the editor, its decimals with a comma as they are typed here (the
/// stored lines of a quote and of an invoice have the same columns).
macro_rules! raw_line_of_stored {
    ($record:ty) => {
        impl From<&$record> for RawLine {
            fn from(l: &$record) -> Self {
                RawLine {
                    description: l.description.clone(),
                    quantity: l.quantity.replace('.', ","),
                    unit: l.unit.clone(),
                    unit_price: l.unit_price.replace('.', ","),
                    vat_category: l.vat_category.clone(),
                    vat_rate_bp: l.vat_rate_bp.to_string(),
                    cost: String::new(),
                }
            }
        }
    };
}
raw_line_of_stored!(QuoteLineRecord);
raw_line_of_stored!(InvoiceLineRecord);

/// A button of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Save,
    AddLine,
    Recalculate,
    /// The pricing helper on a row.
    Price(usize),
}

impl Op {
    /// `add-line`, `recalculate`, `price-2`; anything else, or no button, saves.
    fn parse(s: &str) -> Self {
        match s {
            "add-line" => Op::AddLine,
            "recalculate" => Op::Recalculate,
            other => match other.strip_prefix("price-").map(str::parse) {
                Some(Ok(row)) => Op::Price(row),
                _ => Op::Save,
            },
        }
    }
}

/// What the editor's form sent: the button pressed, the document's own fields, the lines.
pub struct EditorForm {
    pub op: Op,
    pub fields: Vec<(String, String)>,
    pub lines: Vec<RawLine>,
}

pub fn read_form(pairs: Vec<(String, String)>) -> EditorForm {
    let mut op = Op::Save;
    let mut fields = Vec::new();
    let mut lines: BTreeMap<usize, RawLine> = BTreeMap::new();
    for (key, value) in pairs {
        if let Some(rest) = key.strip_prefix("lines[")
            && let Some((index, field)) = rest.split_once("].")
            && let Ok(index) = index.parse::<usize>()
        {
            // The form numbers its rows from 0; more rows than that are no document.
            if index >= MAX_LINES * 2 {
                continue;
            }
            let line = lines.entry(index).or_default();
            match field {
                "description" => line.description = value,
                "quantity" => line.quantity = value,
                "unit" => line.unit = value,
                "unit_price" => line.unit_price = value,
                "vat" => line.set_vat(&value),
                "cost" => line.cost = value,
                _ => {}
            }
        } else if key == "op" {
            op = Op::parse(&value);
        } else {
            fields.push((key, value));
        }
    }
    EditorForm {
        op,
        fields,
        lines: lines.into_values().collect(),
    }
}

// ---------------------------------------------------------------------------- parsing

/// An exact decimal typed the Belgian way or the international way: `2,5`, `2.5`,
/// `1.234,56`, `65 €`. A comma is the decimal separator when there is one, and dots before
/// it group thousands; without a comma, a dot is the decimal separator. No exponent, no
/// float: the type is the domain's exact decimal, inferred from where the value goes.
pub fn parse_decimal<T: FromStr>(input: &str) -> Option<T> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '€'))
        .collect();
    if compact.is_empty() || compact.len() > 32 {
        return None;
    }
    let normal = match compact.matches(',').count() {
        0 => compact,
        1 => compact.replace('.', "").replace(',', "."),
        _ => return None,
    };
    let digits = normal.strip_prefix('-').unwrap_or(&normal);
    if digits.is_empty()
        || digits.starts_with('.')
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    normal.parse().ok()
}

/// One problem of a document's input: a field of the document, or a field of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    /// 0-based, the position in the lines sent.
    pub line: Option<usize>,
    pub code: &'static str,
}

/// The codes of what was mistyped, found by the parser and the pricing helper: told the
/// same way on every document (`err-<code>`).
const TYPING: [&str; 9] = [
    "required",
    "too-long",
    "number",
    "unit-unknown",
    "vat-unknown",
    "too-many-lines",
    "no-lines",
    "cost",
    "pricing",
];

/// Whose words tell a problem that is not a typing one: the rules of a document are told in
/// each document's texts, `quote-err-<code>` and `doc-<code>` (the invoices' also tell the
/// refusals of issuing); a quote names the line and field, an invoice says `ligne 2 : …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    Quote,
    Invoice,
}

impl Problem {
    pub fn header(field: &'static str, code: &'static str) -> Self {
        Problem {
            field,
            line: None,
            code,
        }
    }

    pub fn at(line: usize, field: &'static str, code: &'static str) -> Self {
        Problem {
            field,
            line: Some(line),
            code,
        }
    }

    /// `client_id`, or `lines[2].quantity` for the third line (the API's JSON path).
    pub fn path(&self) -> String {
        match self.line {
            Some(i) => format!("lines[{i}].{}", self.field),
            None => self.field.to_string(),
        }
    }

    /// Where the page shows it: `client_id`, or `lines-2-vat` for the third line's VAT
    /// (one choice stands for the category and the rate); `f-<key>` is the field's id.
    pub fn key(&self) -> String {
        match self.line {
            Some(i) => {
                let field = if self.field.starts_with("vat") {
                    "vat"
                } else {
                    self.field
                };
                format!("lines-{i}-{field}")
            }
            None => self.field.to_string(),
        }
    }

    pub fn message(&self, lang: Language, wording: Wording) -> String {
        let texts = match wording {
            _ if TYPING.contains(&self.code) => "err-",
            Wording::Quote => "quote-err-",
            Wording::Invoice => "doc-",
        };
        i18n::t(lang, &format!("{texts}{}", self.code))
    }

    /// The message with what it is about: "Line 3 — Quantity : the quantity must be greater
    /// than zero" on a quote.
    pub fn detail(&self, lang: Language, wording: Wording) -> String {
        let message = self.message(lang, wording);
        match (wording, self.line) {
            (Wording::Quote, Some(i)) => {
                let line = i18n::t_args(lang, "line-n", &[("n", (i + 1).to_string())]);
                let label = i18n::t(lang, line_label(self.field));
                format!("{line} — {label} : {message}")
            }
            (Wording::Quote, None) => {
                let label = match self.field {
                    "lines" => i18n::t(lang, "lines-title"),
                    field => i18n::t(lang, &format!("quote-field-{field}")),
                };
                format!("{label} : {message}")
            }
            (Wording::Invoice, Some(i)) => i18n::t_args(
                lang,
                "doc-on-line",
                &[("line", (i + 1).to_string()), ("text", message)],
            ),
            (Wording::Invoice, None) => message,
        }
    }
}

/// The label of a line's field (`line-<field>`); one VAT choice stands for both its parts.
fn line_label(field: &str) -> &'static str {
    match field {
        "description" => "line-description",
        "quantity" => "line-quantity",
        "unit" => "line-unit",
        "unit_price" => "line-unit-price",
        "cost" => "line-cost",
        _ => "line-vat",
    }
}

/// The lines that read, with the row each came from: the editor drops its blank rows, so
/// the store's line 2 may be the form's row 3.
#[derive(Debug, Clone, Default)]
pub struct ParsedLines {
    pub lines: Vec<LineInput>,
    pub origin: Vec<usize>,
}

/// Reads typed lines; what is wrong goes to `problems`, named by its row. `skip_blank`: the
/// editor's empty spare rows are not lines (the API counts every line it is sent).
pub fn parse_lines(raw: &[RawLine], skip_blank: bool, problems: &mut Vec<Problem>) -> ParsedLines {
    let kept: Vec<(usize, &RawLine)> = raw
        .iter()
        .enumerate()
        .filter(|(_, l)| !(skip_blank && l.is_blank()))
        .collect();
    if kept.is_empty() {
        problems.push(Problem::header("lines", "no-lines"));
    } else if kept.len() > MAX_LINES {
        problems.push(Problem::header("lines", "too-many-lines"));
    }
    let mut parsed = ParsedLines::default();
    for (i, l) in kept.into_iter().take(MAX_LINES) {
        if l.description.trim().chars().count() > 1000 {
            problems.push(Problem::at(i, "description", "too-long"));
        }
        let quantity = decimal(&l.quantity, i, "quantity", problems);
        let unit = UNITS.iter().find(|u| **u == l.unit.trim());
        if unit.is_none() {
            problems.push(Problem::at(i, "unit", "unit-unknown"));
        }
        let unit_price = decimal(&l.unit_price, i, "unit_price", problems);
        let category = VatCategory::parse(&l.vat_category);
        if category.is_none() {
            problems.push(Problem::at(i, "vat_category", "vat-unknown"));
        }
        let rate = l.vat_rate_bp.trim().parse::<u32>().ok();
        if rate.is_none() {
            problems.push(Problem::at(i, "vat_rate_bp", "vat-unknown"));
        }
        if let (Some(quantity), Some(unit), Some(unit_price), Some(vat_category), Some(rate)) =
            (quantity, unit, unit_price, category, rate)
        {
            parsed.lines.push(LineInput {
                description: l.description.trim().to_string(),
                quantity,
                unit: (*unit).to_string(),
                unit_price,
                vat_category,
                vat_rate_bp: rate,
            });
            parsed.origin.push(i);
        }
    }
    parsed
}

/// A decimal field of row `row`, or its problem: missing, or not a number.
fn decimal(
    typed: &str,
    row: usize,
    field: &'static str,
    problems: &mut Vec<Problem>,
) -> Option<Decimal> {
    let value = parse_decimal(typed);
    if value.is_none() {
        let code = if typed.trim().is_empty() {
            "required"
        } else {
            "number"
        };
        problems.push(Problem::at(row, field, code));
    }
    value
}

/// The refusals of a document's rules (`invoicing::validate`), named in terms of the input:
/// the row as typed (`origin`), and the field the member can change.
pub fn refusal_problems(errors: &[DocumentError], origin: &[usize]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| match e.line() {
            Some(n) => {
                let position = n.saturating_sub(1);
                let line = origin.get(position).copied().unwrap_or(position);
                let field = match e.field() {
                    // A line needing the buyer's VAT number: the line's VAT choice is at fault.
                    f if f.starts_with("buyer.") => "vat_category",
                    "vat_rate" => "vat_rate_bp",
                    f => f,
                };
                Problem::at(line, field, e.code())
            }
            None if e.field().starts_with("buyer.") => Problem::header("client_id", e.code()),
            None => Problem::header("lines", e.code()),
        })
        .collect()
}

// ------------------------------------------------------------------- pricing helper

/// The contribution rate of an activity today: its own, or the cooperative's.
pub fn contribution_rate(activity: &ActivityRecord) -> u32 {
    let own = activity
        .contribution_rate_bp
        .and_then(|r| u32::try_from(r).ok());
    effective_contribution_rate(own, today())
}

/// Runs a button that changes only the page ("save" is the document's): the pricing
/// helper's notice, or its problem.
pub fn press(
    op: Op,
    lines: &mut Vec<RawLine>,
    rate_bp: u32,
    ctx: &RequestCtx,
) -> Result<Option<String>, Problem> {
    match op {
        Op::AddLine if lines.len() < MAX_LINES => lines.push(RawLine::fresh()),
        Op::Price(row) => {
            if let Some(line) = lines.get_mut(row) {
                return price_line(line, row, rate_bp, ctx).map(Some);
            }
        }
        Op::AddLine | Op::Recalculate | Op::Save => {}
    }
    Ok(None)
}

/// The pricing helper on row `row`: its cost ÷ (1 − the activity's contribution rate)
/// becomes its unit price (`invoicing::pricing`, rounded up so the budget is never short).
fn price_line(
    line: &mut RawLine,
    row: usize,
    rate_bp: u32,
    ctx: &RequestCtx,
) -> Result<String, Problem> {
    let cost = parse_money(&line.cost)
        .filter(|c| *c >= 0)
        .ok_or(Problem::at(row, "cost", "cost"))?;
    let price = price_for_cost(cost, rate_bp).map_err(|_| Problem::at(row, "cost", "pricing"))?;
    line.unit_price = cents_input(price);
    Ok(i18n::t_args(
        ctx.lang,
        "line-pricing-done",
        &[
            ("n", (row + 1).to_string()),
            ("cost", money(cost)),
            ("rate", ctx.percent(&rate_bp)),
            ("price", money(price)),
        ],
    ))
}

/// Cents as a price to type: `106952` → `1069,52`.
fn cents_input(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

// ---------------------------------------------------------------------------- showing

/// One row of the VAT breakdown as shown.
pub struct VatRow {
    pub label: String,
    pub base: String,
    pub tax: String,
    pub reason: Option<String>,
}

/// The totals as shown (`quote_totals.html`): `1.234,56 €`.
pub struct TotalsView {
    pub rows: Vec<VatRow>,
    pub excl: String,
    pub vat: String,
    pub incl: String,
}

/// A VAT choice as shown: `21 %`, or the category (`vat-<code>`).
pub fn vat_label(ctx: &RequestCtx, category: &str, rate_bp: u32) -> String {
    if category == VatCategory::S.code() {
        ctx.percent(&rate_bp)
    } else {
        ctx.t_of("vat-", category)
    }
}

pub fn totals_view(ctx: &RequestCtx, totals: &Totals) -> TotalsView {
    TotalsView {
        rows: totals
            .subtotals
            .iter()
            .map(|s| VatRow {
                label: vat_label(ctx, s.category.code(), s.rate_bp),
                base: money(s.taxable_cents),
                tax: money(s.tax_cents),
                reason: s.exemption_reason.clone(),
            })
            .collect(),
        excl: money(totals.tax_exclusive_cents),
        vat: money(totals.tax_cents),
        incl: money(totals.tax_inclusive_cents),
    }
}

/// The VAT choices on `date`: every rate of every category.
fn vat_options(ctx: &RequestCtx, date: jiff::civil::Date) -> Options {
    VatCategory::ALL
        .iter()
        .flat_map(|category| {
            category_rates_on(*category, date)
                .into_iter()
                .map(move |rate| (*category, rate))
        })
        .map(|(category, rate)| {
            (
                format!("{}:{rate}", category.code()),
                vat_label(ctx, category.code(), rate),
            )
        })
        .collect()
}

/// The lines of the editor that read, with their amounts: the live totals.
fn live_totals(lines: &[RawLine], language: Language) -> (Vec<String>, Totals) {
    let inputs: Vec<Option<LineInput>> = lines.iter().map(RawLine::input).collect();
    let nets = inputs
        .iter()
        .map(|input| {
            input
                .as_ref()
                .and_then(|i| compute_totals(std::slice::from_ref(i), language).ok())
                .map(|(_, t)| money(t.tax_exclusive_cents))
                .unwrap_or_default()
        })
        .collect();
    let reading: Vec<LineInput> = inputs.into_iter().flatten().collect();
    let totals = compute_totals(&reading, language)
        .map(|(_, t)| t)
        .unwrap_or_else(|_| Totals {
            line_total_cents: 0,
            tax_exclusive_cents: 0,
            tax_cents: 0,
            tax_inclusive_cents: 0,
            payable_cents: 0,
            subtotals: Vec::new(),
        });
    (nets, totals)
}

/// The editor between two posts: the lines as typed, the problems (the page's own too: the
/// editor shows those of the lines) and the pricing helper's notice.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub lines: Vec<RawLine>,
    pub problems: Vec<Problem>,
    pub pricing_done: Option<String>,
}

/// The lines editor as a page holds it, as `editor`, for `lines_editor.html`.
pub struct LinesEditor {
    /// Where its buttons post: the document's form.
    pub action: String,
    pub lines: Vec<RawLine>,
    pub nets: Vec<String>,
    pub totals: TotalsView,
    pub units: Options,
    pub vats: Options,
    pub problems: Vec<Problem>,
    pub wording: Wording,
    pub lang: Language,
    /// The contribution rate the pricing helper covers.
    pub rate_bp: u32,
    pub pricing_done: Option<String>,
}

impl LinesEditor {
    /// `language`: the document's, in which the totals give their exemption reasons.
    pub fn new(
        ctx: &RequestCtx,
        action: String,
        wording: Wording,
        typed: Typed,
        language: Language,
        rate_bp: u32,
    ) -> Self {
        let mut lines = typed.lines;
        if lines.is_empty() {
            lines.push(RawLine::fresh());
        }
        let (nets, totals) = live_totals(&lines, language);
        LinesEditor {
            action,
            nets,
            totals: totals_view(ctx, &totals),
            units: UNITS
                .iter()
                .map(|u| (u.to_string(), ctx.t_of("unit-", u)))
                .collect(),
            vats: vat_options(ctx, today()),
            lines,
            problems: typed.problems,
            wording,
            lang: ctx.lang,
            rate_bp,
            pricing_done: typed.pricing_done,
        }
    }

    /// The problem of one line's field; `vat` stands for the category and the rate.
    pub fn error(&self, line: &usize, field: &str) -> Option<String> {
        self.problems
            .iter()
            .find(|p| {
                p.line == Some(*line)
                    && (p.field == field || (field == "vat" && p.field.starts_with("vat")))
            })
            .map(|p| p.message(self.lang, self.wording))
    }

    /// The problem of the lines as a whole (none, too many).
    pub fn lines_error(&self) -> Option<String> {
        self.problems
            .iter()
            .find(|p| p.line.is_none() && p.field == "lines")
            .map(|p| p.message(self.lang, self.wording))
    }

    pub fn net(&self, line: &usize) -> String {
        self.nets.get(*line).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn line(quantity: &str, price: &str, vat: &str) -> RawLine {
        let mut l = RawLine {
            description: "Concert".into(),
            quantity: quantity.into(),
            unit: "HUR".into(),
            unit_price: price.into(),
            ..Default::default()
        };
        l.set_vat(vat);
        l
    }

    fn paths(problems: &[Problem]) -> Vec<(String, &str)> {
        problems.iter().map(|p| (p.path(), p.code)).collect()
    }

    #[test]
    fn decimals_are_typed_the_belgian_or_the_international_way() {
        let d = |s: &str| parse_decimal::<f64>(s);
        assert_eq!(d("2,5"), Some(2.5));
        assert_eq!(d("2.5"), Some(2.5));
        assert_eq!(d("1.234,56"), Some(1234.56));
        assert_eq!(d(" 1 234,5 "), Some(1234.5));
        assert_eq!(d("1.500,00 €"), Some(1500.0));
        assert_eq!(d("-1"), Some(-1.0));
        for bad in ["", "€", "1e3", "1,2,3", "abc", "+1", ",5", "NaN", "inf"] {
            assert_eq!(d(bad), None, "{bad}");
        }
        assert_eq!(cents_input(106_952), "1069,52");
    }

    #[test]
    fn the_form_rows_are_read_by_their_index() {
        let pairs = vec![
            ("op".to_string(), "add-line".to_string()),
            ("lines[1].description".into(), "B".into()),
            ("lines[0].description".into(), "A".into()),
            ("lines[0].vat".into(), "AE:0".into()),
            ("lines[9999].description".into(), "too far".into()),
            ("title".into(), "T".into()),
        ];
        let form = read_form(pairs);
        assert_eq!(form.op, Op::AddLine);
        assert_eq!(form.fields, [("title".to_string(), "T".to_string())]);
        assert_eq!(form.lines.len(), 2);
        assert_eq!(form.lines[0].description, "A");
        assert_eq!(form.lines[0].vat(), "AE:0");
        assert_eq!(form.lines[1].description, "B");
        assert_eq!(Op::parse("price-3"), Op::Price(3));
        assert_eq!(Op::parse(""), Op::Save);
    }

    #[test]
    fn blank_rows_of_the_editor_are_not_lines_and_errors_name_the_row() {
        let mut problems = Vec::new();
        let lines = [
            line("1", "100", "S:2100"),
            RawLine::fresh(),
            line("abc", "", "X:1"),
        ];
        parse_lines(&lines, true, &mut problems);
        assert_eq!(
            paths(&problems),
            [
                ("lines[2].quantity".to_string(), "number"),
                ("lines[2].unit_price".to_string(), "required"),
                ("lines[2].vat_category".to_string(), "vat-unknown"),
            ]
        );
        let mut problems = Vec::new();
        let parsed = parse_lines(
            &[RawLine::fresh(), line("2,5", "40", "S:600")],
            true,
            &mut problems,
        );
        assert!(problems.is_empty());
        assert_eq!(parsed.origin, [1]);
        assert_eq!(parsed.lines[0].quantity.to_string(), "2.5");
    }

    #[test]
    fn the_api_counts_every_line_even_an_empty_one_and_a_document_has_one() {
        let mut problems = Vec::new();
        parse_lines(&[RawLine::fresh()], false, &mut problems);
        assert_eq!(problems[0].path(), "lines[0].quantity");
        let mut problems = Vec::new();
        parse_lines(&[RawLine::fresh()], true, &mut problems);
        assert_eq!(paths(&problems), [("lines".to_string(), "no-lines")]);
    }

    #[test]
    fn a_refusal_names_the_row_the_member_typed_in_the_words_of_its_document() {
        let refused = [
            DocumentError::QuantityNotPositive { line: 2 },
            DocumentError::ReverseChargeNeedsBuyerVat { line: 1 },
            DocumentError::NoLines,
        ];
        let problems = refusal_problems(&refused, &[0, 3]);
        let paths: Vec<String> = problems.iter().map(Problem::path).collect();
        assert_eq!(
            paths,
            ["lines[3].quantity", "lines[0].vat_category", "lines"]
        );
        assert_eq!(problems[1].key(), "lines-0-vat");
        let quote = problems[0].detail(Language::En, Wording::Quote);
        assert!(quote.starts_with("Line 4 — Quantity"), "{quote}");
        let invoice = problems[0].detail(Language::Fr, Wording::Invoice);
        assert!(invoice.starts_with("ligne 4 : la quantité"), "{invoice}");
        assert_eq!(
            problems[2].message(Language::Fr, Wording::Invoice),
            problems[2].message(Language::Fr, Wording::Quote),
            "what was typed is told alike"
        );
    }
}
