//! The board (C11; reference/governance.md ES-6, CNC-4, CNC-5, TV-15) and the allocation of
//! results (ES-8, TV-10): the current board and past mandates, board meetings with their
//! attendance, the allowances the GA decided with the payments to directors and the check
//! per director, and each year's allocation of the result. Board, administrators and
//! accountants read; the board and administrators record.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::governance::board::{
    AllowanceBasis, AllowanceForm, EndReason, MandateEndForm, MandateForm, MandateRole,
    MeetingForm, PaymentForm, PaymentKind,
};
use ruche_domain::governance::distribution::{AppropriationForm, LineInput, LineKind};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::board::{
    Allocation, AllowanceRecord, AttendanceRow, DirectorCheck, DirectorPaymentRecord,
    MandateRecord, MeetingRecord,
};
use ruche_store::persons::PersonFilter;
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/board", get(board))
        .route("/board/mandates", post(create_mandate))
        .route("/board/mandates/{id}/end", post(end_mandate))
        .route("/board/mandates/{id}/confirm", post(confirm_mandate))
        .route("/board/meetings", post(create_meeting))
        .route("/board/meetings/{id}", get(meeting).post(set_attendance))
        .route("/board/allowances", get(allowances).post(create_allowance))
        .route("/board/payments", post(create_payment))
        .route("/allocation", get(allocation).post(create_allocation))
}

const PER_PAGE: i64 = 20;
/// The people offered in the mandate form (a cooperative's board comes from a few hundred
/// members at most; others are found through the API).
const MAX_PERSONS: i64 = 200;
/// Empty line rows offered in the allocation form.
const ALLOCATION_ROWS: usize = 6;

/// The options of a select: (value, label).
type Options = Vec<(String, String)>;

/// A store refusal as field errors for the form, or an error for the error page.
pub fn refusal(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(errors) => Ok(errors),
        StoreError::Duplicate {
            field: "alloc_year",
        } => Ok(FieldErrors::single("alloc_year", "alloc-year-taken")),
        StoreError::Conflict(code) => Ok(FieldErrors::single("brd_status", code)),
        e => Err(e.into()),
    }
}

/// A year from the query (the year before this one by default), within the sane range.
fn year_of(q: Option<i32>, default: i32) -> i16 {
    let this = i32::from(today().year());
    let y = q.unwrap_or(default).clamp(2000, this + 1);
    i16::try_from(y).unwrap_or(today().year())
}

fn codes(ctx: &RequestCtx, prefix: &str, list: &[&str]) -> Options {
    list.iter()
        .map(|c| (c.to_string(), ctx.t_of(prefix, c)))
        .collect()
}

fn with_blank(ctx: &RequestCtx, mut options: Options) -> Options {
    options.insert(0, (String::new(), ctx.t("brd-choose")));
    options
}

async fn resolution_options(
    state: &AppState,
    ctx: &RequestCtx,
    kind: &str,
) -> Result<Options, AppError> {
    let list = state.store.adopted_resolutions(kind).await?;
    Ok(with_blank(
        ctx,
        list.into_iter()
            .map(|r| {
                (
                    r.id.to_string(),
                    format!("{} — {}", ctx.date(&r.held_on), r.title),
                )
            })
            .collect(),
    ))
}

// ------------------------------------------------------------------------- the board

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    c: RequestCtx,
    board: Vec<MandateRecord>,
    past: Page<MandateRecord>,
    meetings: Page<MeetingRecord>,
    may_change: bool,
    persons: Options,
    roles: Options,
    appointed: Options,
    resolutions: Options,
    articles: Options,
    reasons: Options,
    /// The mandate form.
    f: FormView,
    /// The meeting form.
    g: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    page: Option<i64>,
    past: Option<i64>,
    saved: Option<String>,
}

fn mandate_defaults() -> FormView {
    FormView::with_defaults(&[
        ("brd_role", "director"),
        ("brd_appointed_by", "resolution"),
        ("brd_starts_on", &today().to_string()),
    ])
}

fn meeting_defaults() -> FormView {
    FormView::with_defaults(&[("brd_held_on", &today().to_string())])
}

async fn board_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &BoardQuery,
    f: FormView,
    g: FormView,
) -> Result<BoardPage, AppError> {
    let day = today();
    let board = state.store.board_on(day).await?;
    let past = state
        .store
        .past_mandates(day, PageRequest::new(q.past.unwrap_or(1), PER_PAGE))
        .await?;
    let meetings = state
        .store
        .board_meetings(PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let may_change = ctx.may(Action::Update, Target::Governance);
    let (mut persons, mut resolutions, mut articles) = (Vec::new(), Vec::new(), Vec::new());
    if may_change {
        let people = state
            .store
            .persons(&PersonFilter::default(), PageRequest::new(1, MAX_PERSONS))
            .await?;
        persons = with_blank(
            &ctx,
            people
                .items
                .into_iter()
                .map(|p| {
                    (
                        p.id.to_string(),
                        format!("{} {}", p.last_name, p.first_name),
                    )
                })
                .collect(),
        );
        resolutions = resolution_options(state, &ctx, "appointment").await?;
        articles = with_blank(
            &ctx,
            state
                .store
                .article_choices()
                .await?
                .into_iter()
                .map(|a| {
                    (
                        a.id.to_string(),
                        format!("{} — art. {} {}", a.version_label, a.number, a.heading),
                    )
                })
                .collect(),
        );
    }
    let roles: Vec<&str> = MandateRole::ALL.iter().map(|r| r.code()).collect();
    let reasons: Vec<&str> = EndReason::ALL.iter().map(|r| r.code()).collect();
    let notice = q.saved.as_ref().map(|_| ctx.t("brd-saved"));
    Ok(BoardPage {
        roles: codes(&ctx, "brd-role-", &roles),
        appointed: codes(
            &ctx,
            "brd-appointed-",
            &["resolution", "statutes", "cooptation"],
        ),
        reasons: codes(&ctx, "brd-end-", &reasons),
        board,
        past,
        meetings,
        may_change,
        persons,
        resolutions,
        articles,
        f,
        g,
        notice,
        c: ctx,
    })
}

pub async fn board(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    render(&board_page(&state, ctx, &q, mandate_defaults(), meeting_defaults()).await?)
}

pub async fn create_mandate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: MandateForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Err(e) => e,
        Ok(new) => match state.store.create_mandate(&ctx.audit(), &new).await {
            Ok(_) => return Ok(see_other("/board?saved=1")),
            Err(e) => refusal(e)?,
        },
    };
    f.add_errors(&errors, ctx.lang);
    let page = board_page(&state, ctx, &BoardQuery::default(), f, meeting_defaults()).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn end_mandate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<MandateEndForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Governance)?;
    let errors = match form.parse() {
        Err(e) => e,
        Ok((on, reason)) => match state.store.end_mandate(&ctx.audit(), id, on, reason).await {
            Ok(_) => return Ok(see_other("/board?saved=1")),
            Err(e) => refusal(e)?,
        },
    };
    // The end form sits on each row: its errors show in the summary at the top.
    let mut f = mandate_defaults();
    f.add_errors(&errors, ctx.lang);
    let page = board_page(&state, ctx, &BoardQuery::default(), f, meeting_defaults()).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    brd_resolution: String,
}

pub async fn confirm_mandate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Governance)?;
    let errors = match form.brd_resolution.trim().parse::<i64>() {
        Err(_) => FieldErrors::single("brd_resolution", "required"),
        Ok(resolution) => match state
            .store
            .confirm_cooptation(&ctx.audit(), id, resolution)
            .await
        {
            Ok(_) => return Ok(see_other("/board?saved=1")),
            Err(e) => refusal(e)?,
        },
    };
    let mut f = mandate_defaults();
    f.add_errors(&errors, ctx.lang);
    let page = board_page(&state, ctx, &BoardQuery::default(), f, meeting_defaults()).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create_meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut g = FormView::new(pairs);
    let form: MeetingForm = g.decode().map_err(AppError::Internal)?;
    match form.parse() {
        Ok(new) => {
            let m = state.store.create_board_meeting(&ctx.audit(), &new).await?;
            Ok(see_other(&format!("/board/meetings/{}?saved=1", m.id)))
        }
        Err(errors) => {
            g.add_errors(&errors, ctx.lang);
            let page =
                board_page(&state, ctx, &BoardQuery::default(), mandate_defaults(), g).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// ------------------------------------------------------------------------ a meeting

#[derive(Template)]
#[template(path = "board_meeting.html")]
struct MeetingPage {
    c: RequestCtx,
    meeting: MeetingRecord,
    attendance: Vec<AttendanceRow>,
    may_change: bool,
    f: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let meeting = state.store.board_meeting(id).await?;
    let attendance = state.store.meeting_attendance(id).await?;
    render(&MeetingPage {
        may_change: ctx.may(Action::Update, Target::Governance),
        notice: q.saved.map(|_| ctx.t("brd-saved")),
        f: FormView::default(),
        meeting,
        attendance,
        c: ctx,
    })
}

pub async fn set_attendance(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Governance)?;
    let mut present = Vec::new();
    let mut errors = FieldErrors::new();
    for (k, v) in &pairs {
        if k == "brd_present" {
            match v.trim().parse::<i64>() {
                Ok(p) => present.push(p),
                Err(_) => errors.add("brd_present", "brd-choice"),
            }
        }
    }
    if errors.is_empty() {
        match state.store.set_attendance(&ctx.audit(), id, &present).await {
            Ok(_) => return Ok(see_other(&format!("/board/meetings/{id}?saved=1"))),
            Err(e) => errors = refusal(e)?,
        }
    }
    let meeting = state.store.board_meeting(id).await?;
    let attendance = state.store.meeting_attendance(id).await?;
    let mut f = FormView::new(pairs);
    f.add_errors(&errors, ctx.lang);
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &MeetingPage {
            may_change: true,
            notice: None,
            f,
            meeting,
            attendance,
            c: ctx,
        },
    )
}

// ------------------------------------------------------- allowances and the check

#[derive(Template)]
#[template(path = "board_allowances.html")]
struct AllowancesPage {
    c: RequestCtx,
    year: i16,
    years: Vec<i16>,
    checks: Vec<DirectorCheck>,
    allowances: Vec<AllowanceRecord>,
    payments: Page<DirectorPaymentRecord>,
    pager_base: String,
    may_change: bool,
    resolutions: Options,
    allowance_kinds: Options,
    bases: Options,
    directors: Options,
    payment_kinds: Options,
    entities: Options,
    /// The allowance form.
    f: FormView,
    /// The payment form.
    g: FormView,
    notice: Option<String>,
}

impl AllowancesPage {
    /// The allowances a check rests on, for its links.
    fn basis_of(&self, check: &DirectorCheck) -> Vec<&AllowanceRecord> {
        self.allowances
            .iter()
            .filter(|a| check.basis_resolution_ids.contains(&a.resolution_id))
            .collect()
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
    page: Option<i64>,
    saved: Option<String>,
}

fn allowance_defaults() -> FormView {
    FormView::with_defaults(&[
        ("brd_allowance_kind", "attendance_fee"),
        ("brd_basis", "per_meeting"),
    ])
}

fn payment_defaults() -> FormView {
    FormView::with_defaults(&[
        ("brd_payment_kind", "attendance_fee"),
        ("brd_paid_on", &today().to_string()),
    ])
}

async fn allowances_page(
    state: &AppState,
    ctx: RequestCtx,
    year: i16,
    page: i64,
    f: FormView,
    g: FormView,
    notice: Option<String>,
) -> Result<AllowancesPage, AppError> {
    let checks = state.store.director_checks(year).await?;
    let allowances = state.store.allowances().await?;
    let payments = state
        .store
        .director_payments(year, None, PageRequest::new(page, PER_PAGE))
        .await?;
    let may_change = ctx.may(Action::Update, Target::Governance);
    let (mut resolutions, mut directors, mut entities) = (Vec::new(), Vec::new(), Vec::new());
    if may_change {
        resolutions = resolution_options(state, &ctx, "allowance").await?;
        let mut seen = Vec::new();
        for m in state.store.mandates_in_year(today().year()).await? {
            if !seen.contains(&m.person_id) {
                seen.push(m.person_id);
                directors.push((m.person_id.to_string(), m.person_name));
            }
        }
        directors = with_blank(&ctx, directors);
        entities = state
            .store
            .legal_entities(PageRequest::new(1, 50))
            .await?
            .items
            .into_iter()
            .map(|e| (e.id.to_string(), e.name))
            .collect();
        entities.insert(0, (String::new(), ctx.t("brd-paid-outside")));
    }
    let this = today().year();
    let years = (2019..=this).rev().collect();
    let kinds: Vec<&str> = PaymentKind::ALL.iter().map(|k| k.code()).collect();
    let bases: Vec<&str> = AllowanceBasis::ALL.iter().map(|k| k.code()).collect();
    Ok(AllowancesPage {
        allowance_kinds: codes(&ctx, "brd-kind-", &["attendance_fee", "expense_allowance"]),
        bases: codes(&ctx, "brd-basis-", &bases),
        payment_kinds: codes(&ctx, "brd-kind-", &kinds),
        pager_base: format!("/board/allowances?year={year}&"),
        year,
        years,
        checks,
        allowances,
        payments,
        may_change,
        resolutions,
        directors,
        entities,
        f,
        g,
        notice,
        c: ctx,
    })
}

pub async fn allowances(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let year = year_of(q.year, i32::from(today().year()));
    let notice = q.saved.map(|_| ctx.t("brd-saved"));
    let page = allowances_page(
        &state,
        ctx,
        year,
        q.page.unwrap_or(1),
        allowance_defaults(),
        payment_defaults(),
        notice,
    )
    .await?;
    render(&page)
}

pub async fn create_allowance(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: AllowanceForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Err(e) => e,
        Ok(new) => match state.store.create_allowance(&ctx.audit(), &new).await {
            Ok(_) => return Ok(see_other("/board/allowances?saved=1")),
            Err(e) => refusal(e)?,
        },
    };
    f.add_errors(&errors, ctx.lang);
    let year = today().year();
    let page = allowances_page(&state, ctx, year, 1, f, payment_defaults(), None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create_payment(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut g = FormView::new(pairs);
    let form: PaymentForm = g.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Err(e) => e,
        Ok(new) => match state
            .store
            .record_director_payment(&ctx.audit(), &new)
            .await
        {
            Ok(p) => {
                return Ok(see_other(&format!(
                    "/board/allowances?year={}&saved=1",
                    &p.paid_on[..4]
                )));
            }
            Err(e) => refusal(e)?,
        },
    };
    g.add_errors(&errors, ctx.lang);
    let year = today().year();
    let page = allowances_page(&state, ctx, year, 1, allowance_defaults(), g, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// -------------------------------------------------------------- the allocation

#[derive(Template)]
#[template(path = "allocation.html")]
struct AllocationPage {
    c: RequestCtx,
    year: i16,
    years: Vec<i16>,
    allocation: Option<Allocation>,
    history: Page<Allocation>,
    dividends_allowed: bool,
    may_change: bool,
    resolutions: Options,
    kinds: Options,
    rows: usize,
    f: FormView,
    notice: Option<String>,
}

impl AllocationPage {
    /// The typed value of line `i`'s `field` (`kind` or `amount`).
    fn line_value(&self, i: &usize, field: &str) -> &str {
        self.f.value(&format!("lines[{i}][{field}]"))
    }
}

async fn allocation_page(
    state: &AppState,
    ctx: RequestCtx,
    year: i16,
    page: i64,
    f: FormView,
    notice: Option<String>,
) -> Result<AllocationPage, AppError> {
    let allocation = state.store.allocation_of_year(year).await?;
    let history = state
        .store
        .allocations(PageRequest::new(page, PER_PAGE))
        .await?;
    let dividends_allowed = state
        .store
        .statute_version_on(jiff::civil::date(year, 12, 31))
        .await?
        .is_none_or(|v| v.version.dividends_allowed);
    let may_change = ctx.may(Action::Create, Target::Governance);
    let resolutions = if may_change {
        resolution_options(state, &ctx, "appropriation").await?
    } else {
        Vec::new()
    };
    let kinds: Vec<&str> = LineKind::ALL.iter().map(|k| k.code()).collect();
    let kinds = with_blank(&ctx, codes(&ctx, "alloc-kind-", &kinds));
    let this = today().year();
    Ok(AllocationPage {
        years: (2019..=this).rev().collect(),
        year,
        allocation,
        history,
        dividends_allowed,
        may_change,
        resolutions,
        kinds,
        rows: ALLOCATION_ROWS,
        f,
        notice,
        c: ctx,
    })
}

pub async fn allocation(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let year = year_of(q.year, i32::from(today().year()) - 1);
    let f = FormView::with_defaults(&[
        ("alloc_year", &year.to_string()),
        ("lines[0][kind]", "legal_reserve"),
        ("lines[1][kind]", "purpose_reserve"),
        ("lines[2][kind]", "carried_forward"),
    ]);
    let notice = q.saved.map(|_| ctx.t("brd-saved"));
    render(&allocation_page(&state, ctx, year, q.page.unwrap_or(1), f, notice).await?)
}

/// The form's `lines[i][kind]` / `lines[i][amount]` pairs, in their order.
fn lines_of(f: &FormView) -> Vec<LineInput> {
    (0..ruche_domain::governance::distribution::MAX_LINES)
        .map(|i| LineInput {
            kind: f.value(&format!("lines[{i}][kind]")).to_string(),
            amount: f.value(&format!("lines[{i}][amount]")).to_string(),
        })
        .collect()
}

pub async fn create_allocation(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form = AppropriationForm {
        alloc_year: f.value("alloc_year").to_string(),
        alloc_resolution: f.value("alloc_resolution").to_string(),
        alloc_result: f.value("alloc_result").to_string(),
        lines: lines_of(&f),
    };
    let errors = match form.parse() {
        Err(e) => e,
        Ok(new) => match state.store.record_appropriation(&ctx.audit(), &new).await {
            Ok(a) => {
                return Ok(see_other(&format!(
                    "/allocation?year={}&saved=1",
                    a.financial_year
                )));
            }
            Err(e) => refusal(e)?,
        },
    };
    f.add_errors(&errors, ctx.lang);
    let year = f
        .value("alloc_year")
        .trim()
        .parse::<i32>()
        .ok()
        .map(|y| year_of(Some(y), y))
        .unwrap_or_else(|| year_of(None, i32::from(today().year()) - 1));
    let page = allocation_page(&state, ctx, year, 1, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[cfg(test)]
mod tests {
    use ruche_domain::Language;
    use ruche_domain::governance::board::{EndReason, MandateRole, PaymentKind};
    use ruche_domain::governance::distribution::{AppropriationError, LineKind};

    #[test]
    fn every_refusal_and_code_of_the_board_is_translated() {
        let errors = [
            AppropriationError::NoLines,
            AppropriationError::TooManyLines,
            AppropriationError::NegativeLine,
            AppropriationError::DoesNotAddUp { result: 0, sum: 0 },
            AppropriationError::NoPurposeReserveBeforeDividend,
            AppropriationError::BoardProfitShare,
            AppropriationError::DividendsExcluded,
            AppropriationError::RefundsSuspended,
            AppropriationError::OverCap {
                cap: 0,
                advantage: 0,
            },
        ]
        .map(|e| e.code());
        let others = [
            "brd-choice",
            "brd-amount",
            "brd-amount-positive",
            "brd-ends-before-start",
            "brd-forbidden-payment",
            "brd-resolution-kind",
            "brd-resolution-not-adopted",
            "brd-starts-before-assembly",
            "brd-already-director",
            "brd-not-in-office",
            "brd-not-a-director",
            "brd-no-iban",
            "alloc-year",
            "alloc-year-taken",
            "alloc-choice",
            "alloc-amount",
            ruche_store::board::REFUSED_ENDED,
            ruche_store::board::REFUSED_NOT_COOPTED,
        ];
        for code in errors.iter().chain(others.iter()) {
            for lang in [Language::Fr, Language::Nl, Language::En] {
                let text = crate::i18n::field_error(lang, code);
                assert_ne!(text, format!("err-{code}"), "{code} in {lang:?}");
            }
        }
        for lang in [Language::Fr, Language::Nl, Language::En] {
            let keys = MandateRole::ALL
                .iter()
                .map(|r| format!("brd-role-{}", r.code()))
                .chain(
                    EndReason::ALL
                        .iter()
                        .map(|r| format!("brd-end-{}", r.code())),
                )
                .chain(
                    PaymentKind::ALL
                        .iter()
                        .map(|k| format!("brd-kind-{}", k.code())),
                )
                .chain(
                    LineKind::ALL
                        .iter()
                        .map(|k| format!("alloc-kind-{}", k.code())),
                );
            for key in keys {
                assert_ne!(crate::i18n::t(lang, &key), key, "{key} in {lang:?}");
            }
        }
    }
}
