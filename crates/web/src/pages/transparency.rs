//! Contribution transparency (issue 10): where the mutualised contribution goes.
//!
//! - `/activities/{id}/contribution`: an activity's contribution this year and since the
//!   start, split by category (its holders, its advisor, staff), and the mutual services it
//!   used;
//! - `/transparency`, `/transparency/{year}`: the cooperative's yearly figures (staff; a
//!   draft until the board publishes them), `/public/transparency/{year}` once published;
//! - `/transparency/spending`: the cooperative's spending entries (accountants);
//! - `/transparency/mapping/{year}`: the year's categories and mapping (accountants).

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ruche_domain::Language;
use ruche_domain::policy::{Action, Target};
use ruche_domain::transparency::mapping::Category;
use ruche_domain::transparency::spending::{PaidFrom, SpendingForm};
use ruche_domain::transparency::{CategoryInput, MappingError, MappingInput};
use ruche_store::activities::ActivityRecord;
use ruche_store::transparency::{
    ActivityContribution, SpendingEntry, TransparencyYear, YearFigures,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::activities::activity_target;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/contribution", get(activity))
        .route("/transparency", get(years))
        .route("/transparency/spending", get(spending).post(record))
        .route("/transparency/spending/{id}/reverse", post(reverse))
        .route(
            "/transparency/mapping/{year}",
            get(mapping).post(save_mapping),
        )
        .route("/transparency/mapping/{year}/copy", post(copy_mapping))
        .route("/transparency/{year}", get(year))
        .route("/transparency/{year}/publish", post(publish))
        .route("/public/transparency", get(public_years))
        .route("/public/transparency/{year}", get(public_year))
}

const PER_PAGE: i64 = 25;
/// Spare rows offered in the mapping form.
const SPARE_CATEGORIES: usize = 2;
const SPARE_ACCOUNTS: usize = 4;

/// A year from the query, within the sane range (this year by default).
fn year_or(q: Option<i32>, default: i16) -> i16 {
    q.and_then(|y| i16::try_from(y).ok())
        .filter(|y| (2000..=2999).contains(y))
        .unwrap_or(default)
}

fn checked_year(y: i32) -> Result<i16, AppError> {
    i16::try_from(y)
        .ok()
        .filter(|y| (2000..=2999).contains(y))
        .ok_or(AppError::NotFound)
}

/// A category's name in the page's language.
fn name(c: &Category, lang: Language) -> String {
    c.name(lang.code()).to_string()
}

/// One bar of a chart: its label, amount and width in percent of the largest.
pub struct Bar {
    pub label: String,
    pub cents: i64,
    pub width: String,
}

fn bars(lines: Vec<(String, i64)>) -> Vec<Bar> {
    let max = lines.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1);
    lines
        .into_iter()
        .map(|(label, cents)| {
            // Tenths of a percent, for the SVG width.
            let tenths = (i128::from(cents.max(0)) * 1000 / i128::from(max)).clamp(0, 1000);
            Bar {
                label,
                cents,
                width: format!("{}.{}", tenths / 10, tenths % 10),
            }
        })
        .collect()
}

/// A mapping's errors in the user's language, each naming its account or category.
pub fn mapping_messages(errors: &[MappingError], lang: Language) -> Vec<String> {
    errors
        .iter()
        .map(|e| i18n::t_args(lang, &format!("tsp-err-{}", e.code()), &e.args()))
        .collect()
}

// ------------------------------------------------------------------- an activity's view

#[derive(Template)]
#[template(path = "transparency_activity.html")]
struct ActivityPage {
    c: RequestCtx,
    activity: ActivityRecord,
    data: ActivityContribution,
    year_bars: Vec<Bar>,
    since_bars: Vec<Bar>,
    years: Vec<i16>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
    page: Option<i64>,
    saved: Option<String>,
}

pub async fn activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (activity, target) = activity_target(&state.store, person, id).await?;
    ctx.authorize(Action::View, target)?;
    let this = today().year();
    let year = year_or(q.year, this);
    let data = state.store.activity_contribution(id, year).await?;
    let year_bars = bars(
        data.year
            .shares
            .iter()
            .map(|s| (name(&s.category, ctx.lang), s.share_cents))
            .collect(),
    );
    let since_bars = bars(
        data.since_start
            .iter()
            .map(|(c, cents)| (name(c, ctx.lang), *cents))
            .collect(),
    );
    let years = (this - 9..=this).rev().collect();
    render(&ActivityPage {
        c: ctx,
        activity,
        data,
        year_bars,
        since_bars,
        years,
    })
}

// ----------------------------------------------------------------- the cooperative's view

#[derive(Template)]
#[template(path = "transparency_years.html")]
struct YearsPage {
    c: RequestCtx,
    years: Vec<TransparencyYear>,
    public: bool,
    this_year: i16,
}

pub async fn years(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Transparency)?;
    let years = state.store.transparency_years().await?;
    render(&YearsPage {
        c: ctx,
        years,
        public: false,
        this_year: today().year(),
    })
}

pub async fn public_years(
    State(state): State<AppState>,
    ctx: RequestCtx,
) -> Result<Response, AppError> {
    let years = state
        .store
        .published_transparency_years()
        .await?
        .into_iter()
        .map(|year| TransparencyYear {
            year,
            published: true,
        })
        .collect();
    render(&YearsPage {
        c: ctx,
        years,
        public: true,
        this_year: today().year(),
    })
}

/// One line of the year-on-year comparison.
pub struct Compared {
    pub key: &'static str,
    pub this: i64,
    pub before: i64,
    pub cents: bool,
}

impl Compared {
    pub fn change(&self) -> i64 {
        self.this - self.before
    }
}

#[derive(Template)]
#[template(path = "transparency_year.html")]
struct YearPage {
    c: RequestCtx,
    figures: YearFigures,
    before: YearFigures,
    compared: Vec<Compared>,
    bars: Vec<Bar>,
    published: bool,
    published_at: Option<i64>,
    content_hash: String,
    public: bool,
    may_publish: bool,
    notice: Option<String>,
    error: Option<String>,
}

fn compare(f: &YearFigures, b: &YearFigures) -> Vec<Compared> {
    let line = |key, this, before, cents| Compared {
        key,
        this,
        before,
        cents,
    };
    vec![
        line(
            "tsp-collected",
            f.contributions_cents,
            b.contributions_cents,
            true,
        ),
        line("tsp-spending", f.spending_cents, b.spending_cents, true),
        line(
            "tsp-fund-allocated",
            f.guarantee.allocated_cents,
            b.guarantee.allocated_cents,
            true,
        ),
        line(
            "tsp-fund-advanced",
            f.guarantee.advanced_cents,
            b.guarantee.advanced_cents,
            true,
        ),
        line(
            "tsp-fund-advances",
            f.guarantee.advances,
            b.guarantee.advances,
            false,
        ),
        line(
            "tsp-fund-repaid",
            f.guarantee.repaid_cents,
            b.guarantee.repaid_cents,
            true,
        ),
        line(
            "tsp-fund-losses",
            f.guarantee.losses_cents,
            b.guarantee.losses_cents,
            true,
        ),
        line(
            "tsp-reminders",
            f.recovery.reminders_sent,
            b.recovery.reminders_sent,
            false,
        ),
        line(
            "tsp-formal-notices",
            f.recovery.formal_notices,
            b.recovery.formal_notices,
            false,
        ),
        line(
            "tsp-cases",
            f.recovery.cases_opened,
            b.recovery.cases_opened,
            false,
        ),
        line(
            "tsp-recovered",
            f.recovery.recovered_cents,
            b.recovery.recovered_cents,
            true,
        ),
        line(
            "tsp-written-off",
            f.recovery.written_off_cents,
            b.recovery.written_off_cents,
            true,
        ),
    ]
}

async fn year_page(
    state: &AppState,
    ctx: RequestCtx,
    year: i16,
    public: bool,
    notice: Option<String>,
    error: Option<String>,
) -> Result<YearPage, AppError> {
    let publication = state.store.transparency_publication(year).await?;
    if public && publication.is_none() {
        return Err(AppError::NotFound);
    }
    let (published, published_at, content_hash, figures) = match publication {
        Some(p) => (true, Some(p.published_at), p.content_hash, p.figures),
        None => (
            false,
            None,
            String::new(),
            state.store.live_transparency_figures(year).await?,
        ),
    };
    // The public page compares with the year before only as published.
    let before = if public {
        match state.store.transparency_publication(year - 1).await? {
            Some(p) => p.figures,
            None => state.store.live_transparency_figures(year - 1).await?,
        }
    } else {
        state.store.transparency_figures(year - 1).await?
    };
    let bars = bars(
        figures
            .categories
            .iter()
            .map(|c| (name(&c.category, ctx.lang), c.spending_cents))
            .collect(),
    );
    Ok(YearPage {
        may_publish: !public && !published && ctx.may(Action::Decide, Target::Transparency),
        compared: compare(&figures, &before),
        figures,
        before,
        bars,
        published,
        published_at,
        content_hash,
        public,
        notice,
        error,
        c: ctx,
    })
}

pub async fn year(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(y): Path<i32>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Transparency)?;
    let year = checked_year(y)?;
    let notice = q.saved.as_ref().map(|_| ctx.t("tsp-published-notice"));
    render(&year_page(&state, ctx, year, false, notice, None).await?)
}

pub async fn public_year(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(y): Path<i32>,
) -> Result<Response, AppError> {
    let year = checked_year(y)?;
    render(&year_page(&state, ctx, year, true, None, None).await?)
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(y): Path<i32>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Transparency)?;
    let year = checked_year(y)?;
    match state
        .store
        .publish_transparency(&ctx.audit(), year, today())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/transparency/{year}?saved=1"))),
        Err(StoreError::Conflict(code)) => {
            let error = Some(i18n::field_error(ctx.lang, code));
            let page = year_page(&state, ctx, year, false, None, error).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------- spending

#[derive(Template)]
#[template(path = "transparency_spending.html")]
struct SpendingPage {
    c: RequestCtx,
    year: i16,
    entries: Page<SpendingEntry>,
    base: String,
    may_record: bool,
    entities: Vec<(String, String)>,
    accounts: Vec<(String, String)>,
    paid_from: Vec<(String, String)>,
    f: FormView,
    notice: Option<String>,
}

async fn spending_page(
    state: &AppState,
    ctx: RequestCtx,
    year: i16,
    page: i64,
    f: FormView,
    notice: Option<String>,
) -> Result<SpendingPage, AppError> {
    let entries = state
        .store
        .spending_entries(year, PageRequest::new(page, PER_PAGE))
        .await?;
    let entities = state
        .store
        .legal_entities(PageRequest::new(1, 100))
        .await?
        .items
        .into_iter()
        .map(|e| (e.id.to_string(), e.name))
        .collect();
    let accounts = state
        .store
        .spending_accounts()
        .await?
        .into_iter()
        .map(|a| (a.clone(), a))
        .collect();
    let paid_from = PaidFrom::ALL
        .iter()
        .map(|p| (p.code().to_string(), ctx.t_of("tsp-paid-from-", p.code())))
        .collect();
    Ok(SpendingPage {
        may_record: ctx.may(Action::Create, Target::Transparency),
        base: format!("/transparency/spending?year={year}&"),
        year,
        entries,
        entities,
        accounts,
        paid_from,
        f,
        notice,
        c: ctx,
    })
}

fn spending_defaults() -> FormView {
    FormView::with_defaults(&[
        ("tsp_spent_on", &today().to_string()),
        ("tsp_paid_from", "bank"),
    ])
}

pub async fn spending(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Transparency)?;
    let year = year_or(q.year, today().year());
    let notice = q.saved.as_ref().map(|_| ctx.t("tsp-saved"));
    let page = spending_page(
        &state,
        ctx,
        year,
        q.page.unwrap_or(1),
        spending_defaults(),
        notice,
    )
    .await?;
    render(&page)
}

pub async fn record(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Transparency)?;
    let mut f = FormView::new(pairs);
    let form: SpendingForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Err(e) => e,
        Ok(new) => match state.store.record_spending(&ctx.audit(), &new).await {
            Ok(entry) => {
                return Ok(see_other(&format!(
                    "/transparency/spending?year={}&saved=1",
                    entry.spent_on.year()
                )));
            }
            Err(StoreError::Refused(e)) => e,
            Err(e) => return Err(e.into()),
        },
    };
    f.add_errors(&errors, ctx.lang);
    let year = form
        .tsp_spent_on
        .trim()
        .parse::<jiff::civil::Date>()
        .map(|d| d.year())
        .unwrap_or(today().year());
    let page = spending_page(&state, ctx, year, 1, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct ReverseForm {
    #[serde(default)]
    tsp_reversed_on: String,
}

pub async fn reverse(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<ReverseForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Transparency)?;
    let on = match form.tsp_reversed_on.trim() {
        "" => today(),
        s => s.parse().map_err(|_| {
            AppError::Invalid(ruche_domain::validate::FieldErrors::single(
                "tsp_reversed_on",
                "date",
            ))
        })?,
    };
    match state.store.reverse_spending(&ctx.audit(), id, on).await {
        Ok(entry) => Ok(see_other(&format!(
            "/transparency/spending?year={}&saved=1",
            entry.spent_on.year()
        ))),
        Err(StoreError::Refused(e)) => {
            let mut f = spending_defaults();
            f.add_errors(&e, ctx.lang);
            let page = spending_page(&state, ctx, on.year(), 1, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(StoreError::Conflict(code)) => {
            let mut f = spending_defaults();
            f.add_message("tsp_status", i18n::field_error(ctx.lang, code));
            let page = spending_page(&state, ctx, on.year(), 1, f, None).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

// ----------------------------------------------------------------------------- mapping

/// One account row of the mapping form.
pub struct AccountRow {
    pub account: String,
    pub category: String,
}

#[derive(Template)]
#[template(path = "transparency_mapping.html")]
struct MappingPage {
    c: RequestCtx,
    year: i16,
    /// The year whose mapping is shown (an earlier one when the year has none of its own).
    from: Option<i16>,
    published: bool,
    may_change: bool,
    categories: Vec<CategoryInput>,
    accounts: Vec<AccountRow>,
    errors: Vec<String>,
    notice: Option<String>,
}

impl MappingPage {
    fn is_category(&self, row: &AccountRow, code: &str) -> bool {
        row.category == code
    }
}

async fn mapping_page(
    state: &AppState,
    ctx: RequestCtx,
    year: i16,
    typed: Option<MappingInput>,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<MappingPage, AppError> {
    let effective = state.store.transparency_mapping(year).await?;
    let published = state.store.transparency_publication(year).await?.is_some();
    let from = effective.as_ref().map(|(y, _)| *y);
    let mut input = match (typed, effective) {
        (Some(t), _) => t,
        (None, Some((_, m))) => m.to_input(),
        (None, None) => MappingInput::defaults(),
    };
    // Every known account gets a row, so none is forgotten.
    for account in state.store.spending_accounts().await? {
        if !input.accounts.iter().any(|(a, _)| *a == account) {
            input.accounts.push((account, String::new()));
        }
    }
    let may_change = !published && ctx.may(Action::Update, Target::Transparency);
    if may_change {
        input
            .categories
            .extend((0..SPARE_CATEGORIES).map(|_| CategoryInput::default()));
        input
            .accounts
            .extend((0..SPARE_ACCOUNTS).map(|_| (String::new(), String::new())));
    }
    Ok(MappingPage {
        year,
        from,
        published,
        may_change,
        categories: input.categories,
        accounts: input
            .accounts
            .into_iter()
            .map(|(account, category)| AccountRow { account, category })
            .collect(),
        errors,
        notice,
        c: ctx,
    })
}

pub async fn mapping(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(y): Path<i32>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Transparency)?;
    let year = checked_year(y)?;
    let notice = q.saved.as_ref().map(|_| ctx.t("tsp-saved"));
    render(&mapping_page(&state, ctx, year, None, Vec::new(), notice).await?)
}

/// The mapping form's rows, in order: `cat_code`, `cat_fr`, `cat_nl`, `cat_en` per category,
/// `acc_account`, `acc_category` per account.
pub fn mapping_from_pairs(pairs: &[(String, String)]) -> MappingInput {
    let mut input = MappingInput::default();
    for (k, v) in pairs {
        match k.as_str() {
            "cat_code" => input.categories.push(CategoryInput {
                code: v.clone(),
                ..CategoryInput::default()
            }),
            "cat_fr" | "cat_nl" | "cat_en" => {
                if let Some(c) = input.categories.last_mut() {
                    match k.as_str() {
                        "cat_fr" => c.name_fr = v.clone(),
                        "cat_nl" => c.name_nl = v.clone(),
                        _ => c.name_en = v.clone(),
                    }
                }
            }
            "acc_account" => input.accounts.push((v.clone(), String::new())),
            "acc_category" => {
                if let Some(a) = input.accounts.last_mut() {
                    a.1 = v.clone();
                }
            }
            _ => {}
        }
    }
    input
}

pub async fn save_mapping(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(y): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Transparency)?;
    let year = checked_year(y)?;
    let input = mapping_from_pairs(&pairs);
    match state
        .store
        .save_transparency_mapping(&ctx.audit(), year, &input)
        .await?
    {
        Ok(_) => Ok(see_other(&format!("/transparency/mapping/{year}?saved=1"))),
        Err(errors) => {
            let messages = mapping_messages(&errors, ctx.lang);
            let page = mapping_page(&state, ctx, year, Some(input), messages, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

pub async fn copy_mapping(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(y): Path<i32>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Transparency)?;
    let year = checked_year(y)?;
    let result = match state
        .store
        .copy_transparency_mapping(&ctx.audit(), year)
        .await
    {
        Ok(r) => r.map_err(|e| mapping_messages(&e, ctx.lang)),
        Err(StoreError::Conflict(code)) => Err(vec![i18n::field_error(ctx.lang, code)]),
        Err(e) => return Err(e.into()),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/transparency/mapping/{year}?saved=1"))),
        Err(messages) => {
            let page = mapping_page(&state, ctx, year, None, messages, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
