//! The governance hub and the accreditation (C11, C12): closed financial years, the
//! compliance engine's checks for a year, and the annual special report — a draft computed
//! from the data until the board approves it, then frozen (its data, hash and PDFs kept).
//! Board, administrators and accountants read; the board and administrators act.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::governance::compliance::Check;
use ruche_domain::governance::report::{Approval, SpecialReport};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_pdf::AnnualReport;
use ruche_store::special_reports::{FinancialYearRecord, SpecialReportRecord};
use ruche_store::{Store, StoreError};
use serde::Deserialize;

use super::{render, render_status};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::special_report::annual_report;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/governance", get(hub))
        .route("/governance/years", post(close_year))
        .route("/compliance", get(compliance))
        .route("/special-reports/{year}", get(report))
        .route("/special-reports/{year}/approve", post(approve))
        .route("/special-reports/{year}/report.pdf", get(report_pdf))
}

/// The year whose report is usually being prepared: last year.
pub fn default_year() -> i32 {
    i32::from(today().year()) - 1
}

/// A year the pages accept: from the first governance parameters to next year.
fn valid_year(year: i32) -> bool {
    (2019..=i32::from(today().year()) + 1).contains(&year)
}

// ------------------------------------------------------------------------------ the hub

#[derive(Template)]
#[template(path = "governance.html")]
struct HubPage {
    c: RequestCtx,
    years: Vec<FinancialYearRecord>,
    reports: Vec<SpecialReportRecord>,
    report_years: Vec<i32>,
    may_close: bool,
    f: FormView,
    notice: Option<String>,
}

async fn hub_page(
    state: &AppState,
    ctx: RequestCtx,
    f: FormView,
    notice: Option<String>,
) -> Result<HubPage, AppError> {
    let years = state.store.financial_years().await?;
    let reports = state.store.special_reports().await?;
    let this_year = i32::from(today().year());
    let report_years = (2019..this_year).rev().collect();
    Ok(HubPage {
        may_close: ctx.may(Action::Decide, Target::Governance),
        c: ctx,
        years,
        reports,
        report_years,
        f,
        notice,
    })
}

pub async fn hub(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    let f = FormView::with_defaults(&[
        ("gov_year", &default_year().to_string()),
        ("gov_closed_on", &today().to_string()),
    ]);
    render(&hub_page(&state, ctx, f, None).await?)
}

#[derive(Deserialize, Default)]
struct CloseForm {
    #[serde(default)]
    gov_year: String,
    #[serde(default)]
    gov_closed_on: String,
}

/// Parses a year and a date of the closing form.
fn parse_close(form: &CloseForm) -> Result<(i32, Date), FieldErrors> {
    let mut e = FieldErrors::new();
    let year = form
        .gov_year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| valid_year(*y));
    if year.is_none() {
        e.add("gov_year", "gov-invalid-year");
    }
    let on = match form.gov_closed_on.trim() {
        "" => {
            e.add("gov_closed_on", "required");
            None
        }
        d => match d.parse::<Date>() {
            Ok(d) if d <= today() => Some(d),
            _ => {
                e.add("gov_closed_on", "date");
                None
            }
        },
    };
    match (year, on) {
        (Some(y), Some(d)) if e.is_empty() => Ok((y, d)),
        _ => Err(e),
    }
}

pub async fn close_year(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: CloseForm = f.decode().map_err(AppError::Internal)?;
    let errors = match parse_close(&form) {
        Ok((year, on)) => match state
            .store
            .close_financial_year(&ctx.audit(), year, on)
            .await
        {
            Ok(_) => {
                let notice = Some(ctx.t1("gov-years-closed", "year", year));
                let f = FormView::with_defaults(&[("gov_closed_on", &today().to_string())]);
                return render(&hub_page(&state, ctx, f, notice).await?);
            }
            Err(StoreError::Refused(e)) => e,
            Err(StoreError::Duplicate { field }) => FieldErrors::single(field, "taken"),
            Err(e) => return Err(e.into()),
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = hub_page(&state, ctx, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ----------------------------------------------------------------------- the compliance

#[derive(Template)]
#[template(path = "compliance.html")]
struct CompliancePage {
    c: RequestCtx,
    year: i32,
    years: Vec<i32>,
    checks: Vec<Check>,
    report: AnnualReport,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

pub async fn compliance(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let year = q
        .year
        .filter(|y| valid_year(*y))
        .unwrap_or_else(default_year);
    let report = current_report(&state.store, year).await?;
    let mut words = annual_report(&report, ctx.lang);
    // The conditions' blocks only: the framework and the figures belong to the report.
    words.sections = words
        .sections
        .into_iter()
        .skip(1)
        .take(report.checks.len())
        .collect();
    render(&CompliancePage {
        year,
        years: (2019..=i32::from(today().year())).rev().collect(),
        checks: report.checks,
        report: words,
        c: ctx,
    })
}

/// The frozen report of `year` when approved, else the draft from the current data.
pub async fn current_report(store: &Store, year: i32) -> Result<SpecialReport, AppError> {
    if let Some(frozen) = store.frozen_special_report(year).await? {
        return Ok(frozen);
    }
    match store.assemble_special_report(year, None).await {
        Ok(r) => Ok(r),
        Err(StoreError::Refused(_)) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------- the special report

#[derive(Template)]
#[template(path = "special_report.html")]
struct ReportPage {
    c: RequestCtx,
    year: i32,
    report: AnnualReport,
    frozen: Option<SpecialReportRecord>,
    frozen_line: Option<String>,
    closed: bool,
    may_approve: bool,
    f: FormView,
    notice: Option<String>,
}

async fn report_page(
    state: &AppState,
    ctx: RequestCtx,
    year: i32,
    f: FormView,
    notice: Option<String>,
) -> Result<ReportPage, AppError> {
    let report = current_report(&state.store, year).await?;
    let frozen = state
        .store
        .special_reports()
        .await?
        .into_iter()
        .find(|r| r.year == i64::from(year));
    let closed = state.store.financial_year(year).await?.is_some();
    let frozen_line = frozen.as_ref().map(|r| {
        crate::i18n::t_args(
            ctx.lang,
            "report-frozen",
            &[
                ("date", ctx.datetime(&r.approved_at)),
                ("hash", r.content_hash.clone()),
            ],
        )
    });
    Ok(ReportPage {
        frozen_line,
        year,
        report: annual_report(&report, ctx.lang),
        frozen,
        closed,
        may_approve: ctx.may(Action::Decide, Target::Governance),
        f,
        notice,
        c: ctx,
    })
}

pub async fn report(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(year): Path<i32>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    if !valid_year(year) {
        return Err(AppError::NotFound);
    }
    let f = FormView::with_defaults(&[
        ("gov_approved_on", &today().to_string()),
        ("gov_archive", "management-report"),
    ]);
    render(&report_page(&state, ctx, year, f, None).await?)
}

#[derive(Deserialize, Default)]
struct ApproveForm {
    #[serde(default)]
    gov_approved_on: String,
    #[serde(default)]
    gov_signatories: String,
    #[serde(default)]
    gov_archive: String,
}

/// The board's approval as the form (or the API) gives it.
pub fn parse_approval(
    approved_on: &str,
    signatories: &[String],
    archive: &str,
) -> Result<Approval, FieldErrors> {
    let mut e = FieldErrors::new();
    let on = match approved_on.trim() {
        "" => {
            e.add("gov_approved_on", "required");
            None
        }
        d => match d.parse::<Date>() {
            Ok(d) if d <= today() => Some(d),
            _ => {
                e.add("gov_approved_on", "date");
                None
            }
        },
    };
    let names: Vec<String> = signatories
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if names.len() < 2 {
        e.add("gov_signatories", "gov-two-signatories");
    } else if names.len() > 20 || names.iter().any(|n| n.chars().count() > 100) {
        e.add("gov_signatories", "too-long");
    }
    if !matches!(archive, "management-report" | "seat") {
        e.add("gov_archive", "required");
    }
    match on {
        Some(on) if e.is_empty() => Ok(Approval {
            approved_on: on.to_string(),
            signatories: names,
            archive: archive.to_string(),
        }),
        _ => Err(e),
    }
}

/// Approves and freezes the report of `year`, then renders and keeps its PDF in the three
/// languages. The page and the API share it.
pub async fn approve_report(
    store: &Store,
    ctx: &ruche_store::AuditContext,
    year: i32,
    approval: Approval,
) -> Result<SpecialReportRecord, StoreError> {
    if store.financial_year(year).await?.is_none() {
        return Err(StoreError::Refused(FieldErrors::single(
            "gov_year",
            "gov-year-not-closed",
        )));
    }
    let report = store.assemble_special_report(year, Some(approval)).await?;
    let record = store.approve_special_report(ctx, &report).await?;
    for lang in [Language::Fr, Language::Nl, Language::En] {
        // A PDF that fails to render now is rendered (and kept) at its first download.
        if let Ok(pdf) = render_pdf(&report, lang).await {
            store
                .keep_special_report_pdf(year, lang.code(), &pdf)
                .await?;
        }
    }
    Ok(record)
}

pub async fn approve(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(year): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Governance)?;
    if !valid_year(year) {
        return Err(AppError::NotFound);
    }
    let mut f = FormView::new(pairs);
    let form: ApproveForm = f.decode().map_err(AppError::Internal)?;
    let names: Vec<String> = form.gov_signatories.lines().map(str::to_string).collect();
    let errors = match parse_approval(&form.gov_approved_on, &names, form.gov_archive.trim()) {
        Ok(approval) => match approve_report(&state.store, &ctx.audit(), year, approval).await {
            Ok(_) => return Ok(Redirect::to(&format!("/special-reports/{year}")).into_response()),
            Err(StoreError::Refused(e)) => e,
            Err(StoreError::Duplicate { field }) => FieldErrors::single(field, "taken"),
            Err(e) => return Err(e.into()),
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = report_page(&state, ctx, year, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Renders the report in `lang` off the async runtime.
pub async fn render_pdf(report: &SpecialReport, lang: Language) -> Result<Vec<u8>, AppError> {
    let words = annual_report(report, lang);
    tokio::task::spawn_blocking(move || ruche_pdf::render_annual_report(&words))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The report's PDF in `lang`: the kept one when approved (rendered and kept at the first
/// download if it was not), else the draft rendered now.
pub async fn report_bytes(store: &Store, year: i32, lang: Language) -> Result<Vec<u8>, AppError> {
    if let Some(pdf) = store.special_report_pdf(year, lang.code()).await? {
        return Ok(pdf);
    }
    let report = current_report(store, year).await?;
    let pdf = render_pdf(&report, lang).await?;
    if report.approval.is_some() {
        store
            .keep_special_report_pdf(year, lang.code(), &pdf)
            .await?;
    }
    Ok(pdf)
}

#[derive(Deserialize, Default)]
pub struct PdfQuery {
    lang: Option<String>,
}

pub async fn report_pdf(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(year): Path<i32>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    if !valid_year(year) {
        return Err(AppError::NotFound);
    }
    let lang = q
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(ctx.lang);
    let pdf = report_bytes(&state.store, year, lang).await?;
    Ok(super::invoices::attachment(
        "application/pdf",
        format!("rapport-special-{year}-{}.pdf", lang.code()),
        pdf,
    ))
}
