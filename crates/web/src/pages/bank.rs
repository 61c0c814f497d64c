//! Bank statements for the accountants (payments.md §4): upload a CODA or camt.053 file and
//! read its report line by line; work the queue of unmatched movements with ranked
//! suggestions; match a movement by hand (over one or several invoices), undo a match, or
//! set a movement aside with a reason. Every change is the store's, audited there.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::bank::matching::Suggestion;
use ruche_domain::policy::{Action, Target};
use ruche_formats::statement::{self, StatementError};
use ruche_store::bank::{
    BankImportRecord, BankMovementRecord, ImportLine, ImportReport, MovementPayment, MovementStatus,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{PageQuery, render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::csrf::MAX_UPLOAD_BYTES;
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bank", get(imports))
        .route(
            "/bank/import",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/bank/imports/{id}", get(import_report))
        .route("/bank/movements", get(movements))
        .route("/bank/movements/{id}", get(movement))
        .route("/bank/movements/{id}/match", post(match_movement))
        .route("/bank/movements/{id}/unmatch", post(unmatch))
        .route("/bank/movements/{id}/ignore", post(ignore))
        .route("/bank/movements/{id}/restore", post(restore))
}

/// Lines of an import report per page.
const LINES_PER_PAGE: usize = 100;

/// Rows of the manual allocation form.
pub const ALLOCATION_ROWS: usize = 5;

#[derive(Template)]
#[template(path = "bank.html")]
struct ImportsPage {
    c: RequestCtx,
    page: Page<BankImportRecord>,
    unmatched: i64,
    /// A file that could not be read: the translated reason and the parser's words.
    error: Option<(String, String)>,
    base: String,
}

#[derive(Template)]
#[template(path = "bank_import.html")]
struct ReportPage {
    c: RequestCtx,
    id: i64,
    report: ImportReport,
    lines: Page<ImportLine>,
    base: String,
}

#[derive(Template)]
#[template(path = "bank_movements.html")]
struct MovementsPage {
    c: RequestCtx,
    status: String,
    statuses: Vec<(String, String)>,
    page: Page<BankMovementRecord>,
    base: String,
}

#[derive(Template)]
#[template(path = "bank_movement.html")]
struct MovementPage {
    c: RequestCtx,
    m: BankMovementRecord,
    payments: Vec<MovementPayment>,
    suggestions: Vec<Suggestion>,
    rows: Vec<(String, String)>,
    error: Option<String>,
    saved: bool,
}

impl MovementPage {
    fn can_match(&self) -> bool {
        self.m.status == MovementStatus::Unmatched.code() && self.m.amount_cents > 0
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct MovementsQuery {
    #[serde(default)]
    status: Option<String>,
    page: Option<i64>,
}

#[derive(Debug, Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn imports_page(
    state: &AppState,
    ctx: RequestCtx,
    page: i64,
    error: Option<(String, String)>,
) -> Result<Response, AppError> {
    let page = state.store.bank_imports(PageRequest::new(page, 50)).await?;
    let unmatched = state
        .store
        .bank_movements(Some(MovementStatus::Unmatched), PageRequest::new(1, 1))
        .await?
        .total;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &ImportsPage {
            c: ctx,
            page,
            unmatched,
            error,
            base: "/bank?".into(),
        },
    )
}

pub async fn imports(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    imports_page(&state, ctx, q.page.unwrap_or(1), None).await
}

/// The uploaded file: refused with its reason (and line) when it cannot be read, else
/// imported; the report says what was taken.
pub async fn upload(
    State(state): State<AppState>,
    ctx: RequestCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    let (name, bytes) = match uploaded_file(&mut multipart).await {
        Ok(Some(file)) => file,
        Ok(None) => {
            let reason = ctx.t("bank-error-no-file");
            return imports_page(&state, ctx, 1, Some((reason, String::new()))).await;
        }
        Err(detail) => {
            let reason = ctx.t("bank-error-upload");
            return imports_page(&state, ctx, 1, Some((reason, detail))).await;
        }
    };
    let parsed = match statement::read(&name, &bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            let reason = ctx.t_of("bank-error-", e.code());
            let detail = match &e {
                StatementError::Unknown => String::new(),
                other => other.to_string(),
            };
            return imports_page(&state, ctx, 1, Some((reason, detail))).await;
        }
    };
    let report = state
        .store
        .import_statement_file(&ctx.audit(), &parsed)
        .await?;
    let id = report
        .import_id
        .ok_or_else(|| AppError::Internal("an import without its history row".into()))?;
    Ok(see_other(&format!("/bank/imports/{id}")))
}

/// The form's non-empty `file` field: its name and bytes.
async fn uploaded_file(multipart: &mut Multipart) -> Result<Option<(String, Vec<u8>)>, String> {
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("statement").to_string();
            let bytes = field.bytes().await.map_err(|e| e.body_text())?;
            if !bytes.is_empty() {
                return Ok(Some((name, bytes.to_vec())));
            }
        }
    }
    Ok(None)
}

pub async fn import_report(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    let report = state.store.bank_import_report(id).await?;
    let request = PageRequest::new(q.page.unwrap_or(1), LINES_PER_PAGE as i64);
    let from = usize::try_from(request.offset()).unwrap_or(usize::MAX);
    let items: Vec<ImportLine> = report
        .lines
        .iter()
        .skip(from)
        .take(LINES_PER_PAGE)
        .cloned()
        .collect();
    let total = i64::try_from(report.lines.len()).unwrap_or(i64::MAX);
    render(&ReportPage {
        c: ctx,
        id,
        lines: request.of(items, total),
        report,
        base: format!("/bank/imports/{id}?"),
    })
}

pub async fn movements(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<MovementsQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    // The queue by default; `all` lists every status.
    let code = q.status.unwrap_or_else(|| "unmatched".into());
    let status = MovementStatus::parse(&code);
    let page = state
        .store
        .bank_movements(status, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let mut statuses = vec![("all".to_string(), ctx.t("choose-any"))];
    statuses.extend(
        [
            MovementStatus::Unmatched,
            MovementStatus::Matched,
            MovementStatus::Ignored,
        ]
        .iter()
        .map(|s| (s.code().to_string(), ctx.t_of("bank-status-", s.code()))),
    );
    render(&MovementsPage {
        base: format!("/bank/movements?status={code}&"),
        status: code,
        statuses,
        page,
        c: ctx,
    })
}

async fn movement_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    rows: Vec<(String, String)>,
    error: Option<String>,
    saved: bool,
) -> Result<Response, AppError> {
    let m = state.store.bank_movement(id).await?;
    let payments = state.store.movement_payments(id).await?;
    let suggestions = if m.status == MovementStatus::Unmatched.code() {
        state.store.movement_suggestions(id).await?
    } else {
        Vec::new()
    };
    let mut rows = rows;
    rows.resize(ALLOCATION_ROWS, (String::new(), String::new()));
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &MovementPage {
            c: ctx,
            m,
            payments,
            suggestions,
            rows,
            error,
            saved,
        },
    )
}

pub async fn movement(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    let saved = q.saved.is_some();
    movement_page(&state, ctx, id, Vec::new(), None, saved).await
}

/// The store's refusals that a person can fix, worded for them; anything else is an error.
fn refusal(ctx: &RequestCtx, e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::Conflict(code) => Ok(ctx.t_of("bank-error-", code)),
        StoreError::NotFound => Ok(ctx.t("bank-error-invoice-unknown")),
        other => Err(other.into()),
    }
}

/// Reads the allocation rows of the form (`number_N`, `amount_N`): each filled row names an
/// invoice by its number and gives its share.
async fn allocations(
    state: &AppState,
    ctx: &RequestCtx,
    m: &BankMovementRecord,
    rows: &[(String, String)],
) -> Result<Result<Vec<(i64, i64)>, String>, AppError> {
    let Some(entity) = state.store.entity_of_account(&m.account_iban).await? else {
        return Ok(Err(ctx.t("bank-error-account-unknown")));
    };
    let mut out = Vec::new();
    for (number, amount) in rows {
        let (number, amount) = (number.trim(), amount.trim());
        if number.is_empty() && amount.is_empty() {
            continue;
        }
        let Some(cents) = ruche_domain::format::parse_money(amount).filter(|c| *c > 0) else {
            return Ok(Err(ctx.t1("bank-error-amount", "number", number)));
        };
        match state
            .store
            .invoice_by_number(entity, &number.to_ascii_uppercase())
            .await
        {
            Ok(invoice) => out.push((invoice.id, cents)),
            Err(StoreError::NotFound) => {
                return Ok(Err(ctx.t1("bank-error-number", "number", number)));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if out.is_empty() {
        return Ok(Err(ctx.t("bank-error-allocation-count")));
    }
    Ok(Ok(out))
}

pub async fn match_movement(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    let m = state.store.bank_movement(id).await?;
    let value = |name: String| {
        form.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rows: Vec<(String, String)> = (1..=ALLOCATION_ROWS)
        .map(|i| (value(format!("number_{i}")), value(format!("amount_{i}"))))
        .collect();
    let parsed = match allocations(&state, &ctx, &m, &rows).await? {
        Ok(parsed) => parsed,
        Err(message) => return movement_page(&state, ctx, id, rows, Some(message), false).await,
    };
    match state.store.match_movement(&ctx.audit(), id, &parsed).await {
        Ok(_) => Ok(see_other(&format!("/bank/movements/{id}?saved=1"))),
        Err(e) => {
            let message = refusal(&ctx, e)?;
            movement_page(&state, ctx, id, rows, Some(message), false).await
        }
    }
}

pub async fn unmatch(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    match state
        .store
        .unmatch_movement(&ctx.audit(), id, today())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/bank/movements/{id}?saved=1"))),
        Err(e) => {
            let message = refusal(&ctx, e)?;
            movement_page(&state, ctx, id, Vec::new(), Some(message), false).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct IgnoreForm {
    #[serde(default)]
    reason: String,
}

pub async fn ignore(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<IgnoreForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    set_aside(state, ctx, id, Some(form.reason)).await
}

pub async fn restore(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    set_aside(state, ctx, id, None).await
}

async fn set_aside(
    state: AppState,
    ctx: RequestCtx,
    id: i64,
    reason: Option<String>,
) -> Result<Response, AppError> {
    match state
        .store
        .ignore_movement(&ctx.audit(), id, reason.as_deref())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/bank/movements/{id}?saved=1"))),
        Err(e) => {
            let message = refusal(&ctx, e)?;
            movement_page(&state, ctx, id, Vec::new(), Some(message), false).await
        }
    }
}
