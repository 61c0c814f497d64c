//! The API of the accreditation (C12), with the pages' rules (`pages/governance.rs`): the
//! closed financial years, the compliance checks of a year, and the special report — its
//! data (draft or frozen), its approval, and its PDF.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use ruche_domain::Language;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use serde::Deserialize;
use serde_json::json;

use super::{ApiError, ApiResult, ApiUser, created, ok};
use crate::AppState;
use crate::error::AppError;
use crate::pages::governance::{approve_report, current_report, parse_approval, report_bytes};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/financial-years", get(years).post(close_year))
        .route("/compliance/{year}", get(compliance))
        .route("/special-reports/{year}", get(report))
        .route("/special-reports/{year}/approval", post(approve))
        .route("/special-reports/{year}/pdf", get(pdf))
}

fn app_error(api: &ApiUser, e: AppError) -> ApiError {
    match e {
        AppError::NotFound => ApiError::not_found(api.lang()),
        AppError::Store(e) => api.store_error(e),
        _ => ApiError::internal(),
    }
}

pub async fn years(api: ApiUser, State(state): State<AppState>) -> ApiResult {
    api.authorize(Action::List, Target::Governance)?;
    let years = state
        .store
        .financial_years()
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "items": years }))
}

#[derive(Deserialize)]
pub struct CloseInput {
    year: i32,
    closed_on: String,
}

pub async fn close_year(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<CloseInput>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Decide, Target::Governance)?;
    let input = api.body(json)?;
    let on = input.closed_on.parse().map_err(|_| {
        ApiError::invalid(&FieldErrors::single("gov_closed_on", "date"), api.lang())
    })?;
    match state
        .store
        .close_financial_year(&api.audit(), input.year, on)
        .await
    {
        Ok(record) => created(record),
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn compliance(
    api: ApiUser,
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> ApiResult {
    api.authorize(Action::View, Target::Governance)?;
    let report = current_report(&state.store, year)
        .await
        .map_err(|e| app_error(&api, e))?;
    ok(json!({
        "year": year,
        "params_version": report.params_version,
        "frozen": report.approval.is_some(),
        "checks": report.checks,
    }))
}

pub async fn report(
    api: ApiUser,
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> ApiResult {
    api.authorize(Action::View, Target::Governance)?;
    let report = current_report(&state.store, year)
        .await
        .map_err(|e| app_error(&api, e))?;
    ok(report)
}

#[derive(Deserialize)]
pub struct ApproveInput {
    approved_on: String,
    signatories: Vec<String>,
    #[serde(default = "default_archive")]
    archive: String,
}

fn default_archive() -> String {
    "management-report".into()
}

pub async fn approve(
    api: ApiUser,
    State(state): State<AppState>,
    Path(year): Path<i32>,
    json: Result<Json<ApproveInput>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Decide, Target::Governance)?;
    let input = api.body(json)?;
    let approval = parse_approval(&input.approved_on, &input.signatories, &input.archive)
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match approve_report(&state.store, &api.audit(), year, approval).await {
        Ok(record) => created(record),
        Err(StoreError::Refused(e)) => Err(ApiError::conflict(
            e.0.first().map(|f| f.field).unwrap_or("gov_year"),
            e.0.first().map(|f| f.code).unwrap_or("gov-year-not-closed"),
            crate::i18n::field_error(
                api.lang(),
                e.0.first().map(|f| f.code).unwrap_or("gov-year-not-closed"),
            ),
            api.lang(),
        )),
        Err(e) => Err(api.store_error(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct PdfQuery {
    lang: Option<String>,
}

pub async fn pdf(
    api: ApiUser,
    State(state): State<AppState>,
    Path(year): Path<i32>,
    Query(q): Query<PdfQuery>,
) -> ApiResult {
    api.authorize(Action::View, Target::Governance)?;
    let lang = q
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(api.lang());
    let bytes = report_bytes(&state.store, year, lang)
        .await
        .map_err(|e| app_error(&api, e))?;
    Ok(crate::pages::invoices::attachment(
        "application/pdf",
        format!("rapport-special-{year}-{}.pdf", lang.code()),
        bytes,
    ))
}
