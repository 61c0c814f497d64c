//! Quotes of an activity: the list, the draft editor (its lines are the lines editor,
//! `pages/lines.rs`), sending to the client, and the read-only view of a sent quote with
//! its history.
//!
//! The parsing of a quote, the translation of its problems and the sending are shared with
//! the API (`api/quotes.rs`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::activity::ActivityStatus;
use ruche_domain::format::{date as format_date, money};
use ruche_domain::invoicing::{Line, QuoteStatus, Totals, totals_of_lines};
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
use super::lines::{
    self, LinesEditor, Op, Problem, RawLine, Typed, Wording, contribution_rate, parse_lines,
    refusal_problems, vat_label,
};
use super::staff::Options;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::auth::{hash_token, new_token};
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::i18n;

// The read-only quote pages (`public_quote.rs`) take the totals from here.
pub use super::lines::{TotalsView, totals_view};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/quotes", get(list))
        .route("/activities/{id}/quotes/new", get(new).post(create))
        .route("/quotes/{qid}", get(show).post(update))
        .route("/quotes/{qid}/send", post(send))
}

/// How long a new quote stays valid by default.
const DEFAULT_VALIDITY_DAYS: i64 = 30;

// ---------------------------------------------------------------------------- parsing

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
            lines: lines.iter().map(RawLine::from).collect(),
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
    let parsed = parse_lines(&raw.lines, skip_blank, &mut problems);
    match (client_id, valid_until) {
        (Some(client_id), Some(valid_until)) if problems.is_empty() => Ok(ParsedQuote {
            draft: QuoteDraft {
                client_id,
                title: title.to_string(),
                valid_until,
                language,
                note: (!note.is_empty()).then(|| note.to_string()),
                lines: parsed.lines,
            },
            origin: parsed.origin,
        }),
        _ => Err(problems),
    }
}

/// The problems behind a refused save or send, or the error when it is not the input's.
pub fn problems_of(e: StoreError, origin: &[usize]) -> Result<Vec<Problem>, StoreError> {
    match e {
        StoreError::Document(errors) => Ok(refusal_problems(&errors, origin)),
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

/// One line as the pages show it.
pub struct LineView {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat: String,
    pub net: String,
}

pub fn line_views(ctx: &RequestCtx, lines: &[QuoteLineRecord]) -> Vec<LineView> {
    lines
        .iter()
        .map(|l| LineView {
            description: l.description.clone(),
            quantity: decimal_be(&l.quantity, 0),
            unit: ctx.t_of("unit-", &l.unit),
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
    /// The header as typed (its lines are the editor's).
    raw: RawQuote,
    problems: Vec<Problem>,
    editor: LinesEditor,
    clients: Options,
    languages: Options,
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
            .map(|p| p.message(self.c.lang, Wording::Quote))
    }

    /// (anchor, text) for the summary at the top of the form.
    fn summary(&self) -> Vec<(String, String)> {
        self.problems
            .iter()
            .map(|p| {
                (
                    format!("f-{}", p.key()),
                    p.detail(self.c.lang, Wording::Quote),
                )
            })
            .collect()
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
    let action = match &quote {
        Some(q) => format!("/quotes/{}", q.id),
        None => format!("/activities/{}/quotes/new", activity.id),
    };
    let typed = Typed {
        lines: std::mem::take(&mut editor.raw.lines),
        problems: editor.problems.clone(),
        pricing_done: editor.pricing_done,
    };
    let lang = Language::parse(&editor.raw.language).unwrap_or(ctx.lang);
    let lines = LinesEditor::new(
        &ctx,
        action.clone(),
        Wording::Quote,
        typed,
        lang,
        contribution_rate(&activity),
    );
    Ok(EditorPage {
        clients: client_options(state, &ctx, &editor.raw.client_id).await?,
        languages,
        editor: lines,
        operating: is_operating(&activity),
        action,
        send_to,
        raw: editor.raw,
        problems: editor.problems,
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

impl RawQuote {
    /// The quote's own fields of the editor's form, and its lines.
    fn of_form(fields: Vec<(String, String)>, lines: Vec<RawLine>) -> Self {
        let mut raw = RawQuote {
            lines,
            ..Default::default()
        };
        for (key, value) in fields {
            match key.as_str() {
                "client_id" => raw.client_id = value,
                "title" => raw.title = value,
                "valid_until" => raw.valid_until = value,
                "language" => raw.language = value,
                "note" => raw.note = value,
                _ => {}
            }
        }
        raw
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
    let form = lines::read_form(pairs);
    let mut editor = EditorState {
        raw: RawQuote::of_form(form.fields, form.lines),
        problems: Vec::new(),
        pricing_done: None,
        saved: false,
    };
    if form.op == Op::Save {
        return save(state, ctx, activity, quote, editor).await;
    }
    let rate = contribution_rate(&activity);
    match lines::press(form.op, &mut editor.raw.lines, rate, &ctx) {
        Ok(done) => editor.pricing_done = done,
        Err(problem) => editor.problems.push(problem),
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
    use ruche_domain::invoicing::DocumentError;

    use super::*;

    fn line(quantity: &str, price: &str, category: &str, rate: &str) -> RawLine {
        RawLine {
            description: "Concert".into(),
            quantity: quantity.into(),
            unit: "HUR".into(),
            unit_price: price.into(),
            vat_category: category.into(),
            vat_rate_bp: rate.into(),
            cost: String::new(),
        }
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
    fn stored_decimals_are_shown_the_belgian_way() {
        assert_eq!(decimal_be("1234.5", 0), "1.234,5");
        assert_eq!(decimal_be("65", 2), "65,00");
        assert_eq!(decimal_be("0.125", 2), "0,125");
        assert_eq!(decimal_be("-1234567", 0), "-1.234.567");
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
    fn a_quote_keeps_the_row_of_each_line_and_the_clients_language() {
        let parsed = parse_quote(
            &raw(vec![RawLine::fresh(), line("2,5", "40", "S", "600")]),
            TODAY,
            true,
        )
        .unwrap();
        assert_eq!(parsed.origin, vec![1]);
        assert_eq!(parsed.draft.lines[0].quantity.to_string(), "2.5");
        assert_eq!(parsed.draft.language, None);
    }

    #[test]
    fn the_header_needs_a_client_a_title_and_a_future_validity() {
        let mut r = raw(vec![line("1", "1", "S", "2100")]);
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
        let detail = problems[0].detail(Language::En, Wording::Quote);
        assert!(detail.starts_with("Line 4 — Quantity"), "{detail}");
        let refused = StoreError::Conflict(refusal::CLIENT_WITHOUT_EMAIL);
        assert_eq!(problems_of(refused, &[]).unwrap()[0].path(), "client_id");
    }
}
