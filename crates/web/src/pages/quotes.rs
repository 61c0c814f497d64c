//! Quotes of an activity: the list, the draft editor (lines, live totals, the pricing helper),
//! sending to the client, and the read-only view of a sent quote with its history.
//!
//! The editor works without JavaScript: its buttons ("add a line", "price it", "recalculate")
//! post the whole form back and the page comes back with the typed values; with htmx, the
//! same posts swap only the lines table or the totals. Nothing is written until "save".
//!
//! The parsing of a quote, the translation of its problems and the sending are shared with
//! the API (`api/quotes.rs`).

use std::collections::BTreeMap;
use std::str::FromStr;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::activity::{ActivityStatus, effective_contribution_rate};
use ruche_domain::format::{date as format_date, money, parse_money};
use ruche_domain::invoicing::{
    DocumentError, Line, LineInput, QuoteStatus, Totals, VatCategory, category_rates_on,
    compute_totals, price_for_cost, totals_of_lines,
};
use ruche_domain::policy::{Action, Target};
use ruche_store::activities::ActivityRecord;
use ruche_store::clients::ClientRecord;
use ruche_store::entities::LegalEntityRecord;
use ruche_store::quotes::{
    QuoteDraft, QuoteFilter, QuoteLineRecord, QuoteMail, QuoteRecord, QuoteSummary, refusal,
};
use ruche_store::{AuditContext, Page, PageRequest, Store, StoreError};
use serde::{Deserialize, Serialize};

use super::activities::activity_target;
use super::staff::Options;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::auth::{hash_token, new_token};
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/quotes", get(list))
        .route("/activities/{id}/quotes/new", get(new).post(create))
        .route("/quotes/{qid}", get(show).post(update))
        .route("/quotes/{qid}/send", post(send))
}

/// The units a line may use (UN/ECE Recommendation 20 codes, as Peppol writes them).
pub const UNITS: [&str; 5] = ["HUR", "DAY", "C62", "KMT", "LS"];
/// A bound on the lines of one quote (TigerStyle: a bound on every list).
pub const MAX_LINES: usize = 200;
/// How long a new quote stays valid by default.
const DEFAULT_VALIDITY_DAYS: i64 = 30;
/// What a new line proposes: an hour at the standard rate.
const DEFAULT_UNIT: &str = "HUR";
const DEFAULT_VAT: &str = "S:2100";

// ---------------------------------------------------------------------------- parsing

/// One line as typed: texts, in the editor's form and in the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawLine {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat_category: String,
    pub vat_rate_bp: String,
    /// The pricing helper's cost (editor only).
    pub cost: String,
}

impl RawLine {
    fn fresh() -> Self {
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

    fn of_record(line: &QuoteLineRecord) -> Self {
        RawLine {
            description: line.description.clone(),
            quantity: decimal_input(&line.quantity),
            unit: line.unit.clone(),
            unit_price: decimal_input(&line.unit_price),
            vat_category: line.vat_category.clone(),
            vat_rate_bp: line.vat_rate_bp.to_string(),
            cost: String::new(),
        }
    }
}

/// A quote as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawQuote {
    pub client_id: String,
    pub title: String,
    pub valid_until: String,
    pub language: String,
    pub note: String,
    pub lines: Vec<RawLine>,
}

impl RawQuote {
    fn of_record(quote: &QuoteRecord, lines: &[QuoteLineRecord]) -> Self {
        RawQuote {
            client_id: quote.client_id.to_string(),
            title: quote.title.clone(),
            valid_until: quote.valid_until.clone(),
            language: quote.language.clone(),
            note: quote.note.clone().unwrap_or_default(),
            lines: lines.iter().map(RawLine::of_record).collect(),
        }
    }
}

/// One problem of a quote's input: a field of the quote, or a field of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    /// 0-based, the position in the lines sent.
    pub line: Option<usize>,
    /// `quote-err-<code>` is its text.
    pub code: &'static str,
}

impl Problem {
    fn header(field: &'static str, code: &'static str) -> Self {
        Problem {
            field,
            line: None,
            code,
        }
    }

    fn at(line: usize, field: &'static str, code: &'static str) -> Self {
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

    pub fn message(&self, lang: Language) -> String {
        i18n::t(lang, &format!("quote-err-{}", self.code))
    }

    /// "Line 3 — Quantity : the quantity must be greater than zero".
    pub fn detail(&self, lang: Language) -> String {
        let label = i18n::t(lang, &format!("quote-field-{}", self.field));
        let message = self.message(lang);
        match self.line {
            Some(i) => {
                let line = i18n::t_args(lang, "quote-line", &[("n", (i + 1).to_string())]);
                format!("{line} — {label} : {message}")
            }
            None => format!("{label} : {message}"),
        }
    }

    /// The HTML id of the field it is about.
    fn anchor(&self) -> String {
        match self.line {
            Some(i) => {
                let field = if self.field.starts_with("vat") {
                    "vat"
                } else {
                    self.field
                };
                format!("f-lines-{i}-{field}")
            }
            None => format!("f-{}", self.field),
        }
    }
}

/// A parsed quote, with the position in the input of each line kept (the editor drops its
/// blank rows, so the store's line 2 may be the form's row 3).
#[derive(Debug, Clone)]
pub struct ParsedQuote {
    pub draft: QuoteDraft,
    pub origin: Vec<usize>,
}

/// An exact decimal typed the Belgian way or the international way: `2,5`, `2.5`,
/// `1.234,56`. A comma is the decimal separator when there is one, and dots before it
/// group thousands; without a comma, a dot is the decimal separator. No exponent, no float:
/// the type is the domain's exact decimal, inferred from where the value goes.
pub fn parse_decimal<T: FromStr>(input: &str) -> Option<T> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}'))
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

/// `2026-03-02` (a date field) or `02/03/2026` (typed).
pub fn parse_date(input: &str) -> Option<Date> {
    let s = input.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let mut parts = s.split(['/', '.', '-']);
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

/// Reads a typed quote. `skip_blank`: the editor's empty spare rows are not lines.
pub fn parse_quote(
    raw: &RawQuote,
    today: Date,
    skip_blank: bool,
) -> Result<ParsedQuote, Vec<Problem>> {
    let mut problems = Vec::new();
    let client_id = raw.client_id.trim().parse::<i64>().ok();
    if client_id.is_none() {
        problems.push(Problem::header("client_id", "required"));
    }
    let title = raw.title.trim();
    if title.is_empty() {
        problems.push(Problem::header("title", "required"));
    } else if title.chars().count() > 200 {
        problems.push(Problem::header("title", "too-long"));
    }
    let valid_until = parse_date(&raw.valid_until);
    match valid_until {
        None if raw.valid_until.trim().is_empty() => {
            problems.push(Problem::header("valid_until", "required"));
        }
        None => problems.push(Problem::header("valid_until", "date")),
        Some(d) if d < today => problems.push(Problem::header("valid_until", "validity-passed")),
        Some(_) => {}
    }
    let language = match raw.language.trim() {
        "" => None,
        typed => {
            let parsed = Language::parse(typed);
            if parsed.is_none() {
                problems.push(Problem::header("language", "language"));
            }
            parsed
        }
    };
    let note = raw.note.trim();
    if note.chars().count() > 4000 {
        problems.push(Problem::header("note", "too-long"));
    }
    let kept: Vec<(usize, &RawLine)> = raw
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !(skip_blank && l.is_blank()))
        .collect();
    if kept.len() > MAX_LINES {
        problems.push(Problem::header("lines", "too-many-lines"));
    }
    let mut lines = Vec::new();
    let mut origin = Vec::new();
    for (i, l) in kept.into_iter().take(MAX_LINES) {
        if l.description.trim().chars().count() > 1000 {
            problems.push(Problem::at(i, "description", "too-long"));
        }
        let quantity = parse_decimal(&l.quantity);
        if quantity.is_none() {
            let code = if l.quantity.trim().is_empty() {
                "required"
            } else {
                "number"
            };
            problems.push(Problem::at(i, "quantity", code));
        }
        let unit = UNITS.iter().find(|u| **u == l.unit.trim());
        if unit.is_none() {
            problems.push(Problem::at(i, "unit", "unit-unknown"));
        }
        let unit_price = parse_decimal(&l.unit_price);
        if unit_price.is_none() {
            let code = if l.unit_price.trim().is_empty() {
                "required"
            } else {
                "number"
            };
            problems.push(Problem::at(i, "unit_price", code));
        }
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
            lines.push(LineInput {
                description: l.description.trim().to_string(),
                quantity,
                unit: (*unit).to_string(),
                unit_price,
                vat_category,
                vat_rate_bp: rate,
            });
            origin.push(i);
        }
    }
    match (client_id, valid_until) {
        (Some(client_id), Some(valid_until)) if problems.is_empty() => Ok(ParsedQuote {
            draft: QuoteDraft {
                client_id,
                title: title.to_string(),
                valid_until,
                language,
                note: (!note.is_empty()).then(|| note.to_string()),
                lines,
            },
            origin,
        }),
        _ => Err(problems),
    }
}

/// One domain error of the store's checks, named in terms of the input.
fn document_problem(e: &DocumentError, origin: &[usize]) -> Problem {
    match e.line() {
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
    }
}

/// The problems behind a refused save or send, or the error when it is not the input's.
pub fn problems_of(e: StoreError, origin: &[usize]) -> Result<Vec<Problem>, StoreError> {
    match e {
        StoreError::Document(errors) => {
            Ok(errors.iter().map(|e| document_problem(e, origin)).collect())
        }
        StoreError::Conflict(code) => Ok(vec![match code {
            refusal::CLIENT_UNKNOWN | refusal::CLIENT_WITHOUT_EMAIL => {
                Problem::header("client_id", code)
            }
            refusal::VALIDITY_PASSED => Problem::header("valid_until", code),
            refusal::ACTIVITY_NOT_OPERATING => Problem::header("activity", code),
            other => Problem::header("status", other),
        }]),
        other => Err(other),
    }
}

// ------------------------------------------------------------------------- formatting

/// A stored exact decimal the Belgian way: `1234.5` → `1.234,5`, with at least
/// `min_decimals` decimals (`65` → `65,00` for a price).
pub fn decimal_be(stored: &str, min_decimals: usize) -> String {
    let (sign, digits) = match stored.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", stored),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let mut fraction = fraction.to_string();
    while fraction.len() < min_decimals {
        fraction.push('0');
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

/// A stored decimal as an input value: a comma, no grouping (`1234,5`).
fn decimal_input(stored: &str) -> String {
    stored.replace('.', ",")
}

/// Cents as a price to type: `106952` → `1069,52`.
fn cents_input(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// One line as the pages show it.
pub struct LineView {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat: String,
    pub net: String,
}

/// One row of the VAT breakdown as shown.
pub struct VatRow {
    pub label: String,
    pub base: String,
    pub tax: String,
    pub reason: Option<String>,
}

/// The totals as shown: `1.234,56 €`.
pub struct TotalsView {
    pub rows: Vec<VatRow>,
    pub excl: String,
    pub vat: String,
    pub incl: String,
}

fn vat_label(ctx: &RequestCtx, category: &str, rate_bp: u32) -> String {
    if category == VatCategory::S.code() {
        ctx.percent(&rate_bp)
    } else {
        ctx.t_of("quote-vat-", category)
    }
}

pub fn line_views(ctx: &RequestCtx, lines: &[QuoteLineRecord]) -> Vec<LineView> {
    lines
        .iter()
        .map(|l| LineView {
            description: l.description.clone(),
            quantity: decimal_be(&l.quantity, 0),
            unit: ctx.t_of("quote-unit-", &l.unit),
            unit_price: decimal_be(&l.unit_price, 2),
            vat: vat_label(
                ctx,
                &l.vat_category,
                u32::try_from(l.vat_rate_bp).unwrap_or(0),
            ),
            net: money(l.net_cents),
        })
        .collect()
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

/// The totals of stored lines, with the exemption reasons in `language`.
pub fn stored_totals(lines: &[QuoteLineRecord], language: Language) -> Result<Totals, AppError> {
    let lines = lines
        .iter()
        .map(QuoteLineRecord::to_line)
        .collect::<Result<Vec<Line>, StoreError>>()?;
    totals_of_lines(&lines, language).map_err(|e| AppError::Internal(e.to_string()))
}

/// `26/11/2026` from a stored `2026-11-26`.
pub fn stored_date(stored: &str) -> String {
    stored
        .parse::<Date>()
        .map(format_date)
        .unwrap_or_else(|_| stored.to_string())
}

// ---------------------------------------------------------------------------- sending

/// The seller shown on quotes: the cooperative, for now the first legal entity.
pub async fn cooperative(store: &Store) -> Result<Option<LegalEntityRecord>, StoreError> {
    Ok(store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .into_iter()
        .next())
}

/// Sends a draft: a new secret link (256 bits; only its hash is stored), the number, and
/// the e-mail in the quote's language, written in the store's sending transaction.
pub async fn send_to_client(
    state: &AppState,
    audit: &AuditContext,
    quote_id: i64,
    activity: &ActivityRecord,
) -> Result<QuoteRecord, StoreError> {
    let token = new_token();
    let link = format!("{}/q/{token}", state.config.base_url);
    let seller = cooperative(&state.store)
        .await?
        .map(|e| e.name)
        .unwrap_or_else(|| "ruche".into());
    let activity_name = activity.name.clone();
    let compose = move |q: &QuoteRecord, _: &ClientRecord| {
        let lang = Language::parse(&q.language).unwrap_or_default();
        let number = q.number.clone().unwrap_or_default();
        QuoteMail {
            subject: i18n::t_args(
                lang,
                "quote-mail-subject",
                &[("number", number.clone()), ("title", q.title.clone())],
            ),
            body: i18n::t_args(
                lang,
                "quote-mail-body",
                &[
                    ("number", number),
                    ("title", q.title.clone()),
                    ("total", money(q.tax_inclusive_cents)),
                    ("date", stored_date(&q.valid_until)),
                    ("link", link),
                    ("seller", seller),
                    ("activity", activity_name),
                ],
            ),
        }
    };
    state
        .store
        .send_quote(audit, quote_id, &hash_token(&token), today(), compose)
        .await
}

// ------------------------------------------------------------------------------ pages

#[derive(Template)]
#[template(path = "quotes.html")]
struct ListPage {
    c: RequestCtx,
    activity: ActivityRecord,
    page: Page<QuoteSummary>,
    q: ListQuery,
    statuses: Options,
    base: String,
    can_create: bool,
    today: Date,
}

impl ListPage {
    /// A sent quote whose validity passed shows as expired.
    fn status_of(&self, quote: &QuoteSummary) -> String {
        let expired = quote.status == QuoteStatus::Sent.code()
            && quote
                .valid_until
                .parse::<Date>()
                .is_ok_and(|d| d < self.today);
        if expired {
            QuoteStatus::Expired.code().to_string()
        } else {
            quote.status.clone()
        }
    }

    fn date(&self, stored: &str) -> String {
        stored_date(stored)
    }

    fn money(&self, cents: &i64) -> String {
        money(*cents)
    }
}

#[derive(Deserialize, Default, Serialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(skip_serializing)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "quote_form.html")]
struct EditorPage {
    c: RequestCtx,
    activity: ActivityRecord,
    quote: Option<QuoteRecord>,
    action: String,
    raw: RawQuote,
    nets: Vec<String>,
    problems: Vec<Problem>,
    clients: Options,
    languages: Options,
    units: Options,
    vats: Options,
    totals: TotalsView,
    rate_bp: u32,
    pricing_done: Option<String>,
    saved: bool,
    /// The e-mail the quote would go to, when it is saved and the client has one.
    send_to: Option<String>,
    operating: bool,
}

impl EditorPage {
    fn error(&self, field: &str) -> Option<String> {
        self.problems
            .iter()
            .find(|p| p.line.is_none() && p.field == field)
            .map(|p| p.message(self.c.lang))
    }

    /// The problem of one line's field; `vat` stands for the category and the rate.
    fn line_error(&self, line: &usize, field: &str) -> Option<String> {
        self.problems
            .iter()
            .find(|p| {
                p.line == Some(*line)
                    && (p.field == field || (field == "vat" && p.field.starts_with("vat")))
            })
            .map(|p| p.message(self.c.lang))
    }

    /// (anchor, text) for the summary at the top of the form.
    fn summary(&self) -> Vec<(String, String)> {
        self.problems
            .iter()
            .map(|p| (p.anchor(), p.detail(self.c.lang)))
            .collect()
    }

    fn net(&self, line: &usize) -> String {
        self.nets.get(*line).cloned().unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "quote.html")]
struct ShowPage {
    c: RequestCtx,
    activity: ActivityRecord,
    quote: QuoteRecord,
    client: ClientRecord,
    lines: Vec<LineView>,
    totals: TotalsView,
    status: String,
    saved: bool,
    sent: bool,
}

impl ShowPage {
    fn date(&self, stored: &str) -> String {
        stored_date(stored)
    }
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
    sent: Option<String>,
}

async fn activity_of(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(ActivityRecord, Target), AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    Ok(activity_target(&state.store, person, id).await?)
}

async fn quote_of(
    state: &AppState,
    ctx: &RequestCtx,
    qid: i64,
) -> Result<(QuoteRecord, ActivityRecord, Target), AppError> {
    let quote = state.store.quote(qid).await?;
    let (activity, target) = activity_of(state, ctx, quote.activity_id).await?;
    Ok((quote, activity, target))
}

fn is_operating(activity: &ActivityRecord) -> bool {
    ActivityStatus::parse(&activity.status).is_some_and(ActivityStatus::is_operating)
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (activity, target) = activity_of(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let filter = QuoteFilter {
        activity_id: Some(id),
        status: QuoteStatus::parse(&q.status),
        search: Some(q.q.clone()),
        ..Default::default()
    };
    let page = state
        .store
        .quotes(&filter, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let mut statuses = vec![(String::new(), ctx.t("choose-any"))];
    statuses.extend(
        QuoteStatus::ALL
            .iter()
            // "expired" is shown, not stored (see `QuoteRecord::is_expired_on`).
            .filter(|s| **s != QuoteStatus::Expired)
            .map(|s| (s.code().to_string(), ctx.t_of("quote-status-", s.code()))),
    );
    let base = format!(
        "/activities/{id}/quotes?{}&",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    );
    let can_create = ctx.may(Action::Update, target) && is_operating(&activity);
    render(&ListPage {
        activity,
        page,
        q,
        statuses,
        base,
        can_create,
        today: today(),
        c: ctx,
    })
}

fn vat_options(ctx: &RequestCtx, date: Date) -> Options {
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

async fn client_options(
    state: &AppState,
    ctx: &RequestCtx,
    selected: &str,
) -> Result<Options, AppError> {
    let mut options = vec![(String::new(), ctx.t("choose-one"))];
    // The directory is shared and large: the first 200 by name, and the chosen one.
    let page = state
        .store
        .clients(None, None, PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?;
    let mut clients = page.items;
    if let Ok(id) = selected.trim().parse::<i64>()
        && !clients.iter().any(|c| c.id == id)
    {
        match state.store.client(id).await {
            Ok(client) => clients.insert(0, client),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    options.extend(
        clients
            .into_iter()
            .map(|c| (c.id.to_string(), format!("{} — {}", c.name, c.city))),
    );
    Ok(options)
}

/// The typed lines that parse, with their amounts: the editor's live totals.
fn live_totals(raw: &RawQuote, lang: Language) -> (Vec<String>, Totals) {
    let mut nets = Vec::new();
    let mut inputs = Vec::new();
    for l in &raw.lines {
        let parsed = match (
            parse_decimal(&l.quantity),
            parse_decimal(&l.unit_price),
            VatCategory::parse(&l.vat_category),
            l.vat_rate_bp.trim().parse::<u32>().ok(),
        ) {
            (Some(quantity), Some(unit_price), Some(vat_category), Some(vat_rate_bp)) => {
                Some(LineInput {
                    description: l.description.clone(),
                    quantity,
                    unit: l.unit.clone(),
                    unit_price,
                    vat_category,
                    vat_rate_bp,
                })
            }
            _ => None,
        };
        let net = parsed
            .as_ref()
            .and_then(|input| compute_totals(std::slice::from_ref(input), lang).ok())
            .map(|(_, t)| money(t.tax_exclusive_cents))
            .unwrap_or_default();
        nets.push(net);
        inputs.extend(parsed);
    }
    let totals = compute_totals(&inputs, lang)
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

fn effective_rate(activity: &ActivityRecord) -> u32 {
    let own = activity
        .contribution_rate_bp
        .and_then(|r| u32::try_from(r).ok());
    effective_contribution_rate(own, today())
}

struct EditorState {
    raw: RawQuote,
    problems: Vec<Problem>,
    pricing_done: Option<String>,
    saved: bool,
}

async fn editor_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    quote: Option<QuoteRecord>,
    mut editor: EditorState,
) -> Result<EditorPage, AppError> {
    if editor.raw.lines.is_empty() {
        editor.raw.lines.push(RawLine::fresh());
    }
    let lang = Language::parse(&editor.raw.language).unwrap_or(ctx.lang);
    let (nets, totals) = live_totals(&editor.raw, lang);
    let send_to = match &quote {
        Some(q) => match state.store.client(q.client_id).await {
            Ok(client) => client.email,
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let mut languages = vec![(String::new(), ctx.t("quote-language-client"))];
    languages.extend(
        Language::ALL
            .iter()
            .map(|l| (l.code().to_string(), ctx.t_of("language-", l.code()))),
    );
    let units = UNITS
        .iter()
        .map(|u| (u.to_string(), ctx.t_of("quote-unit-", u)))
        .collect();
    let action = match &quote {
        Some(q) => format!("/quotes/{}", q.id),
        None => format!("/activities/{}/quotes/new", activity.id),
    };
    Ok(EditorPage {
        clients: client_options(state, &ctx, &editor.raw.client_id).await?,
        languages,
        units,
        vats: vat_options(&ctx, today()),
        totals: totals_view(&ctx, &totals),
        nets,
        rate_bp: effective_rate(&activity),
        operating: is_operating(&activity),
        action,
        send_to,
        raw: editor.raw,
        problems: editor.problems,
        pricing_done: editor.pricing_done,
        saved: editor.saved,
        activity,
        quote,
        c: ctx,
    })
}

pub async fn new(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (activity, target) = activity_of(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let valid_until = today()
        .checked_add(jiff::Span::new().days(DEFAULT_VALIDITY_DAYS))
        .unwrap_or_else(|_| today());
    let raw = RawQuote {
        valid_until: valid_until.to_string(),
        lines: vec![RawLine::fresh()],
        ..Default::default()
    };
    let editor = EditorState {
        raw,
        problems: Vec::new(),
        pricing_done: None,
        saved: false,
    };
    render(&editor_page(&state, ctx, activity, None, editor).await?)
}

/// What the editor's form sent: the button pressed and the values.
fn read_form(pairs: Vec<(String, String)>) -> (String, RawQuote) {
    let mut op = String::new();
    let mut raw = RawQuote::default();
    let mut lines: BTreeMap<usize, RawLine> = BTreeMap::new();
    for (key, value) in pairs {
        if let Some(rest) = key.strip_prefix("lines[")
            && let Some((index, field)) = rest.split_once("].")
            && let Ok(index) = index.parse::<usize>()
        {
            // The form numbers its rows from 0; more rows than that are no quote.
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
            continue;
        }
        match key.as_str() {
            "op" => op = value,
            "client_id" => raw.client_id = value,
            "title" => raw.title = value,
            "valid_until" => raw.valid_until = value,
            "language" => raw.language = value,
            "note" => raw.note = value,
            _ => {}
        }
    }
    raw.lines = lines.into_values().collect();
    (op, raw)
}

/// The pricing helper on row `index`: its cost ÷ (1 − the activity's contribution rate)
/// becomes its unit price (`invoicing::pricing`, rounded up so the budget is never short).
fn price_line(ctx: &RequestCtx, editor: &mut EditorState, index: usize, rate_bp: u32) {
    let Some(line) = editor.raw.lines.get_mut(index) else {
        return;
    };
    let Some(cost) = parse_money(&line.cost).filter(|c| *c >= 0) else {
        editor.problems.push(Problem::at(index, "cost", "cost"));
        return;
    };
    match price_for_cost(cost, rate_bp) {
        Ok(price) => {
            line.unit_price = cents_input(price);
            editor.pricing_done = Some(i18n::t_args(
                ctx.lang,
                "quote-pricing-done",
                &[
                    ("n", (index + 1).to_string()),
                    ("cost", money(cost)),
                    ("rate", ctx.percent(&rate_bp)),
                    ("price", money(price)),
                ],
            ));
        }
        Err(_) => editor.problems.push(Problem::at(index, "cost", "pricing")),
    }
}

/// The editor's post: a button that only changes the page, or "save".
async fn handle_editor(
    state: AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    quote: Option<QuoteRecord>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let (op, raw) = read_form(pairs);
    let mut editor = EditorState {
        raw,
        problems: Vec::new(),
        pricing_done: None,
        saved: false,
    };
    match op.as_str() {
        "add-line" => {
            if editor.raw.lines.len() < MAX_LINES {
                editor.raw.lines.push(RawLine::fresh());
            }
        }
        "recalculate" => {}
        op if op.starts_with("price-") => {
            if let Ok(index) = op.trim_start_matches("price-").parse::<usize>() {
                let rate = effective_rate(&activity);
                price_line(&ctx, &mut editor, index, rate);
            }
        }
        _ => return save(state, ctx, activity, quote, editor).await,
    }
    render(&editor_page(&state, ctx, activity, quote, editor).await?)
}

async fn save(
    state: AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    quote: Option<QuoteRecord>,
    mut editor: EditorState,
) -> Result<Response, AppError> {
    let date = today();
    match parse_quote(&editor.raw, date, true) {
        Err(problems) => editor.problems = problems,
        Ok(parsed) => {
            let audit = ctx.audit();
            let saved = match &quote {
                Some(q) => {
                    state
                        .store
                        .update_quote(&audit, q.id, &parsed.draft, date)
                        .await
                }
                None => {
                    state
                        .store
                        .create_quote(&audit, activity.id, &parsed.draft, date)
                        .await
                }
            };
            match saved {
                Ok(q) => return Ok(see_other(&format!("/quotes/{}?saved=1", q.id))),
                Err(e) => editor.problems = problems_of(e, &parsed.origin)?,
            }
        }
    }
    let page = editor_page(&state, ctx, activity, quote, editor).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (activity, target) = activity_of(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    handle_editor(state, ctx, activity, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(qid): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (quote, activity, target) = quote_of(&state, &ctx, qid).await?;
    ctx.authorize(Action::Update, target)?;
    handle_editor(state, ctx, activity, Some(quote), pairs).await
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    quote: QuoteRecord,
    q: ShowQuery,
) -> Result<ShowPage, AppError> {
    let client = state.store.client(quote.client_id).await?;
    let stored = state.store.quote_lines(quote.id).await?;
    let totals = stored_totals(&stored, quote.language()?)?;
    let status = if quote.is_expired_on(today()) {
        QuoteStatus::Expired.code().to_string()
    } else {
        quote.status.clone()
    };
    Ok(ShowPage {
        lines: line_views(&ctx, &stored),
        totals: totals_view(&ctx, &totals),
        status,
        saved: q.saved.is_some(),
        sent: q.sent.is_some(),
        client,
        activity,
        quote,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(qid): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (quote, activity, target) = quote_of(&state, &ctx, qid).await?;
    ctx.authorize(Action::View, target)?;
    if quote.status()?.is_editable() && ctx.may(Action::Update, target) {
        let lines = state.store.quote_lines(qid).await?;
        let editor = EditorState {
            raw: RawQuote::of_record(&quote, &lines),
            problems: Vec::new(),
            pricing_done: None,
            saved: q.saved.is_some(),
        };
        return render(&editor_page(&state, ctx, activity, Some(quote), editor).await?);
    }
    render(&show_page(&state, ctx, activity, quote, q).await?)
}

pub async fn send(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(qid): Path<i64>,
) -> Result<Response, AppError> {
    let (quote, activity, target) = quote_of(&state, &ctx, qid).await?;
    ctx.authorize(Action::Update, target)?;
    match send_to_client(&state, &ctx.audit(), qid, &activity).await {
        Ok(_) => Ok(see_other(&format!("/quotes/{qid}?sent=1"))),
        Err(e) => {
            let problems = problems_of(e, &[])?;
            let status = if problems.iter().any(|p| p.field == "status") {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            // Still a draft (the usual case): back to the editor, with why.
            let lines = state.store.quote_lines(qid).await?;
            let editor = EditorState {
                raw: RawQuote::of_record(&quote, &lines),
                problems,
                pricing_done: None,
                saved: false,
            };
            let page = editor_page(&state, ctx, activity, Some(quote), editor).await?;
            render_status(status, &page)
        }
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

    fn raw(lines: Vec<RawLine>) -> RawQuote {
        RawQuote {
            client_id: "4".into(),
            title: "Concert".into(),
            valid_until: "2026-04-01".into(),
            lines,
            ..Default::default()
        }
    }

    const TODAY: Date = jiff::civil::date(2026, 3, 2);

    #[test]
    fn decimals_are_typed_the_belgian_or_the_international_way() {
        let d = |s: &str| parse_decimal::<f64>(s);
        assert_eq!(d("2,5"), Some(2.5));
        assert_eq!(d("2.5"), Some(2.5));
        assert_eq!(d("1.234,56"), Some(1234.56));
        assert_eq!(d(" 1 234,5 "), Some(1234.5));
        assert_eq!(d("-1"), Some(-1.0));
        for bad in ["", "1e3", "1,2,3", "abc", "+1", ",5", "NaN", "inf"] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }

    #[test]
    fn stored_decimals_are_shown_the_belgian_way() {
        assert_eq!(decimal_be("1234.5", 0), "1.234,5");
        assert_eq!(decimal_be("65", 2), "65,00");
        assert_eq!(decimal_be("0.125", 2), "0,125");
        assert_eq!(decimal_be("-1234567", 0), "-1.234.567");
        assert_eq!(cents_input(106_952), "1069,52");
    }

    #[test]
    fn dates_come_from_a_date_field_or_are_typed() {
        assert_eq!(
            parse_date("2026-04-01"),
            Some(jiff::civil::date(2026, 4, 1))
        );
        assert_eq!(
            parse_date("01/04/2026"),
            Some(jiff::civil::date(2026, 4, 1))
        );
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn blank_rows_of_the_editor_are_not_lines_and_errors_name_the_row() {
        let lines = vec![
            line("1", "100", "S:2100"),
            RawLine::fresh(),
            line("abc", "", "X:1"),
        ];
        let problems = parse_quote(&raw(lines), TODAY, true).unwrap_err();
        let paths: Vec<(String, &str)> = problems.iter().map(|p| (p.path(), p.code)).collect();
        assert_eq!(
            paths,
            vec![
                ("lines[2].quantity".to_string(), "number"),
                ("lines[2].unit_price".to_string(), "required"),
                ("lines[2].vat_category".to_string(), "vat-unknown"),
            ]
        );
        let parsed = parse_quote(
            &raw(vec![RawLine::fresh(), line("2,5", "40", "S:600")]),
            TODAY,
            true,
        )
        .unwrap();
        assert_eq!(parsed.origin, vec![1]);
        assert_eq!(parsed.draft.lines[0].quantity.to_string(), "2.5");
        assert_eq!(parsed.draft.language, None);
    }

    #[test]
    fn the_api_counts_every_line_even_an_empty_one() {
        let problems = parse_quote(&raw(vec![RawLine::fresh()]), TODAY, false).unwrap_err();
        assert_eq!(problems[0].path(), "lines[0].quantity");
    }

    #[test]
    fn the_header_needs_a_client_a_title_and_a_future_validity() {
        let mut r = raw(vec![line("1", "1", "S:2100")]);
        r.client_id = String::new();
        r.title = " ".into();
        r.valid_until = "2026-03-01".into();
        r.language = "de".into();
        let problems = parse_quote(&r, TODAY, true).unwrap_err();
        let codes: Vec<(String, &str)> = problems.iter().map(|p| (p.path(), p.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("client_id".to_string(), "required"),
                ("title".to_string(), "required"),
                ("valid_until".to_string(), "validity-passed"),
                ("language".to_string(), "language"),
            ]
        );
    }

    #[test]
    fn a_refusal_of_the_store_names_the_row_the_member_typed() {
        let refused = StoreError::Document(vec![
            DocumentError::QuantityNotPositive { line: 2 },
            DocumentError::ReverseChargeNeedsBuyerVat { line: 1 },
            DocumentError::NoLines,
        ]);
        let problems = problems_of(refused, &[0, 3]).unwrap();
        let paths: Vec<String> = problems.iter().map(Problem::path).collect();
        assert_eq!(
            paths,
            ["lines[3].quantity", "lines[0].vat_category", "lines"]
        );
        let detail = problems[0].detail(Language::En);
        assert!(detail.starts_with("Line 4 — Quantity"), "{detail}");
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
        let (op, raw) = read_form(pairs);
        assert_eq!(op, "add-line");
        assert_eq!(raw.title, "T");
        assert_eq!(raw.lines.len(), 2);
        assert_eq!(raw.lines[0].description, "A");
        assert_eq!(raw.lines[0].vat(), "AE:0");
        assert_eq!(raw.lines[1].description, "B");
    }
}
