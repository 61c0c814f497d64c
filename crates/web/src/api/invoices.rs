//! The API of invoices and credit notes: drafts, issuing, files. Same rules as the pages,
//! and the same lines parser (`pages/lines.rs`): a bad line is named by its JSON path,
//! `lines[2].quantity` for the third line.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use ruche_domain::Language;
use ruche_domain::invoicing::{DocumentKind, InvoiceStatus};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::invoices::{DraftInvoice, InvoiceFilter};
use serde::{Deserialize, Serialize};

use super::problem::FieldProblem;
use super::quotes::problem;
use super::{ApiError, ApiResult, ApiUser, paging};
use crate::AppState;
use crate::documents;
use crate::pages::activities::activity_target;
use crate::pages::lines::{RawLine, Wording, parse_lines, refusal_problems};

#[derive(Deserialize)]
pub struct DraftJson {
    activity_id: i64,
    client_id: i64,
    entity_id: i64,
    #[serde(default)]
    kind: Option<String>,
    corrects_invoice_id: Option<i64>,
    quote_id: Option<i64>,
    #[serde(default = "thirty")]
    due_days: u32,
    #[serde(default)]
    language: String,
    order_reference: Option<String>,
    note: Option<String>,
    #[serde(default)]
    lines: Vec<RawLine>,
}

fn thirty() -> u32 {
    30
}

#[derive(Serialize)]
struct InvoiceView {
    #[serde(flatten)]
    invoice: ruche_store::invoices::InvoiceRecord,
    lines: Vec<ruche_store::invoices::InvoiceLineRecord>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    activity_id: Option<i64>,
    status: Option<String>,
    /// Issued in this calendar year.
    year: Option<i16>,
    page: Option<i64>,
    per_page: Option<i64>,
}

async fn target_of(api: &ApiUser, state: &AppState, activity_id: i64) -> Result<Target, ApiError> {
    let (_, target) = activity_target(&state.store, Some(api.user.person.id), activity_id)
        .await
        .map_err(|e| api.store_error(e))?;
    Ok(target)
}

fn draft_of(api: &ApiUser, json: DraftJson) -> Result<DraftInvoice, ApiError> {
    let mut lines = json.lines;
    for line in &mut lines {
        // The OpenAPI document has an invoice line's unit and rate optional: a piece, 0 %.
        if line.unit.trim().is_empty() {
            line.unit = "C62".into();
        }
        if line.vat_rate_bp.trim().is_empty() {
            line.vat_rate_bp = "0".into();
        }
    }
    let mut problems = Vec::new();
    let parsed = parse_lines(&lines, false, &mut problems);
    if !problems.is_empty() {
        return Err(problem(&problems, api.lang(), Wording::Invoice));
    }
    Ok(DraftInvoice {
        kind: if json.kind.as_deref() == Some("credit_note") {
            DocumentKind::CreditNote
        } else {
            DocumentKind::Invoice
        },
        activity_id: json.activity_id,
        client_id: json.client_id,
        entity_id: json.entity_id,
        quote_id: json.quote_id,
        corrects_invoice_id: json.corrects_invoice_id,
        due_days: json.due_days.min(365),
        language: Language::parse(&json.language).unwrap_or_default(),
        order_reference: json.order_reference,
        note: json.note,
        lines: parsed.lines,
    })
}

/// A refusal as a problem naming the line and field (`lines[2].quantity`).
fn refused(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Document(errors) => problem(
            &refusal_problems(&errors, &[]),
            api.lang(),
            Wording::Invoice,
        ),
        StoreError::Peppol(violations) => {
            let mut error = ApiError::invalid(&FieldErrors::new(), api.lang());
            error.errors = violations
                .iter()
                .map(|v| FieldProblem {
                    field: String::new(),
                    code: v.rule.to_string(),
                    detail: v.message.clone(),
                })
                .collect();
            error
        }
        StoreError::Conflict(code) => {
            let mut error = ApiError::invalid(&FieldErrors::new(), api.lang());
            error.status = 409;
            error.errors.push(FieldProblem {
                field: String::new(),
                code: code.to_string(),
                detail: crate::i18n::t(api.lang(), &format!("err-{code}")),
            });
            error
        }
        other => api.store_error(other),
    }
}

pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let activity_id = q.activity_id;
    match activity_id {
        Some(a) => api.authorize(Action::View, target_of(&api, &state, a).await?)?,
        // Across activities: the staff who see them all.
        None => api.authorize(Action::View, Target::Treasury)?,
    }
    let filter = InvoiceFilter {
        activity_id,
        status: q.status.as_deref().and_then(InvoiceStatus::parse),
        issue_year: q.year,
        ..Default::default()
    };
    let page = paging(q.page, q.per_page);
    Ok(Json(
        state
            .store
            .invoices(&filter, page)
            .await
            .map_err(|e| api.store_error(e))?,
    )
    .into_response())
}

async fn view(api: &ApiUser, state: &AppState, id: i64) -> Result<InvoiceView, ApiError> {
    let invoice = state
        .store
        .invoice(id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(
        Action::View,
        target_of(api, state, invoice.activity_id).await?,
    )?;
    let lines = state
        .store
        .invoice_lines(id)
        .await
        .map_err(|e| api.store_error(e))?;
    Ok(InvoiceView { invoice, lines })
}

pub async fn get(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    Ok(Json(view(&api, &state, id).await?).into_response())
}

pub async fn create(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<DraftJson>, JsonRejection>,
) -> ApiResult {
    let json = api.body(json)?;
    api.authorize(
        Action::Update,
        target_of(&api, &state, json.activity_id).await?,
    )?;
    let draft = draft_of(&api, json)?;
    let saved = state
        .store
        .save_invoice_draft(&api.audit(), None, &draft)
        .await
        .map_err(|e| refused(&api, e))?;
    Ok((
        StatusCode::CREATED,
        Json(view(&api, &state, saved.id).await?),
    )
        .into_response())
}

pub async fn update(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<DraftJson>, JsonRejection>,
) -> ApiResult {
    let existing = state
        .store
        .invoice(id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(
        Action::Update,
        target_of(&api, &state, existing.activity_id).await?,
    )?;
    let mut draft = draft_of(&api, api.body(json)?)?;
    draft.activity_id = existing.activity_id;
    draft.kind = existing.kind();
    draft.corrects_invoice_id = existing.corrects_invoice_id;
    state
        .store
        .save_invoice_draft(&api.audit(), Some(id), &draft)
        .await
        .map_err(|e| refused(&api, e))?;
    Ok(Json(view(&api, &state, id).await?).into_response())
}

pub async fn issue(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let existing = state
        .store
        .invoice(id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(
        Action::Update,
        target_of(&api, &state, existing.activity_id).await?,
    )?;
    let issued = state
        .store
        .issue_invoice(&api.audit(), id, crate::context::today())
        .await
        .map_err(|e| refused(&api, e))?;
    documents::after_issue(&state.store, &api.audit(), &issued).await;
    Ok(Json(view(&api, &state, id).await?).into_response())
}

async fn file(api: ApiUser, state: AppState, id: i64, pdf: bool) -> ApiResult {
    let existing = view(&api, &state, id).await?;
    let number = existing
        .invoice
        .number
        .clone()
        .ok_or_else(|| ApiError::not_found(api.lang()))?;
    let (pdf_bytes, ubl) = documents::files(&state.store, id)
        .await
        .map_err(|_| ApiError::not_found(api.lang()))?;
    let (content_type, name, body) = if pdf {
        ("application/pdf", format!("{number}.pdf"), pdf_bytes)
    } else {
        let ubl = ubl.ok_or_else(|| ApiError::not_found(api.lang()))?;
        ("application/xml", format!("{number}.xml"), ubl.into_bytes())
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn pdf(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    file(api, state, id, true).await
}

pub async fn ubl(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    file(api, state, id, false).await
}
