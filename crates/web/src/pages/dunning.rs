//! Reminders (dunning) for the accountants (reference/dunning.md §4, §7): preview and run
//! the reminders of a day, follow the reminders sent per month and per year and the overdue
//! invoices by age, block or unblock an invoice, download a reminder's PDF and a client's
//! summary letter. On the invoice page, the invoice's reminders and its block
//! (`invoice_dunning.html`, built by [`invoice_view`]).
//!
//! The run is the store's (`Store::dunning_run`, idempotent: each invoice and level once) and
//! its delivery too (`Store::deliver_reminders`); this module hands the store the typst
//! renderer, [`PdfRenderer`], which the binary also passes to the daily job.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::Date;
use ruche_domain::dunning::ReminderDocument;
use ruche_domain::policy::{Action, Target};
use ruche_store::dunning::{
    AGE_BUCKETS, AgeBucket, BlockRecord, BlockedInvoice, DeliveryReport, DunningReport,
    MAX_DELIVERY_BATCH, OverdueInvoice, PeriodCount, ReminderFilter, ReminderRecord,
    ReminderRenderer,
};
use ruche_store::invoices::InvoiceRecord;
use ruche_store::{AuditContext, Page, PageRequest, Store, StoreError};
use serde::Deserialize;

use super::activities::activity_target;
use super::{render, render_status, safe_next, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dunning", get(show).post(run))
        .route("/dunning/overdue/{bucket}", get(overdue))
        .route("/dunning/reminders/{id}/pdf", get(reminder_pdf))
        .route("/clients/{id}/summary-letter.pdf", get(summary_letter_pdf))
        .route("/invoices/{id}/dunning/block", post(block))
        .route("/invoices/{id}/dunning/unblock", post(unblock))
}

/// Renders reminders and summary letters with `ruche-pdf` (typst). The one renderer of
/// reminders: the page's run, the `ruche dunning` command and the daily job use it.
pub struct PdfRenderer;

impl ReminderRenderer for PdfRenderer {
    fn reminder_pdf(&self, document: &ReminderDocument) -> Result<Vec<u8>, String> {
        ruche_pdf::render_reminder(document).map_err(|e| e.to_string())
    }
}

/// At most this many delivery batches per run from the page; what remains waits for the
/// daily job (it delivers whatever is pending).
const MAX_DELIVERY_ROUNDS: usize = 20;

/// Reminders per page of the list.
const REMINDERS_PER_PAGE: i64 = 50;

/// The longest reason of a block (the store refuses longer).
pub const MAX_REASON_CHARS: usize = 500;

/// Records the reminders of `day` and delivers every pending one (an e-mail in the outbox
/// with its PDF, a letter kept for printing), bounded.
pub async fn run_and_deliver(
    store: &Store,
    ctx: &AuditContext,
    day: Date,
) -> Result<(DunningReport, DeliveryReport), StoreError> {
    let report = store.dunning_run(ctx, day, false).await?;
    let mut total = DeliveryReport::default();
    for _ in 0..MAX_DELIVERY_ROUNDS {
        let d = store
            .deliver_reminders(ctx, &PdfRenderer, MAX_DELIVERY_BATCH)
            .await?;
        total.mailed += d.mailed;
        total.to_print += d.to_print;
        total.failed += d.failed;
        if d.mailed + d.to_print == 0 {
            break;
        }
    }
    Ok((report, total))
}

#[derive(Template)]
#[template(path = "dunning.html")]
struct DunningPage {
    c: RequestCtx,
    date: String,
    error: Option<String>,
    report: Option<DunningReport>,
    delivery: Option<DeliveryReport>,
    /// The outgoing mail is the administrators' (it holds password-reset links).
    sees_outbox: bool,
    year: i16,
    per_month: Vec<PeriodCount>,
    per_year: Vec<PeriodCount>,
    buckets: Vec<AgeBucket>,
    blocked: Page<BlockedInvoice>,
    reminders: Page<ReminderRecord>,
    base: String,
}

impl DunningPage {
    /// The tallest month, for the bars of the monthly chart.
    fn month_max(&self) -> i64 {
        self.per_month
            .iter()
            .map(|p| p.count)
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// The width of a month's bar, in percent of the tallest.
    fn bar(&self, count: impl std::borrow::Borrow<i64>) -> i64 {
        count.borrow() * 100 / self.month_max()
    }
}

#[derive(Template)]
#[template(path = "dunning_overdue.html")]
struct OverduePage {
    c: RequestCtx,
    bucket: AgeBucket,
    page: Page<OverdueInvoice>,
    base: String,
}

#[derive(Template)]
#[template(path = "dunning_block.html")]
struct BlockPage {
    c: RequestCtx,
    invoice: InvoiceRecord,
    reason: String,
    error: String,
}

/// What the invoice page shows of the reminders (`invoice_dunning.html`).
pub struct InvoiceDunning {
    pub reminders: Vec<ReminderRecord>,
    pub block: Option<BlockRecord>,
    /// Treasury staff may block and unblock an open invoice.
    pub can_block: bool,
    /// Open (issued or partly paid): the run still considers it.
    pub open: bool,
}

/// The reminders section of an invoice the user may already see (the invoice page decides
/// that); empty for a draft or a credit note.
pub async fn invoice_view(
    state: &AppState,
    ctx: &RequestCtx,
    invoice: &InvoiceRecord,
) -> Result<InvoiceDunning, AppError> {
    if invoice.kind != "invoice" || invoice.number.is_none() {
        return Ok(InvoiceDunning {
            reminders: Vec::new(),
            block: None,
            can_block: false,
            open: false,
        });
    }
    Ok(InvoiceDunning {
        reminders: state.store.reminders_of_invoice(invoice.id).await?,
        block: state.store.invoice_block(invoice.id).await?,
        can_block: ctx.may(Action::Update, Target::Treasury),
        open: matches!(invoice.status.as_str(), "issued" | "partially_paid"),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct ShowQuery {
    page: Option<i64>,
    #[serde(default)]
    date: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    date: String,
    /// `preview` (a dry run) or `run`.
    #[serde(default)]
    mode: String,
}

/// Everything of the page but the form's outcome.
async fn page(
    state: &AppState,
    ctx: RequestCtx,
    date: String,
    page: i64,
    outcome: Outcome,
) -> Result<Response, AppError> {
    let store = &state.store;
    let day = today();
    let year = day.year();
    let reminders = store
        .reminders(
            &ReminderFilter::default(),
            PageRequest::new(page, REMINDERS_PER_PAGE),
        )
        .await?;
    let status = if outcome.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &DunningPage {
            per_month: store.reminders_per_month(year).await?,
            per_year: store.reminders_per_year().await?,
            buckets: store.overdue_by_age(day).await?,
            blocked: store.blocked_invoices(PageRequest::new(1, 100)).await?,
            reminders,
            year,
            date,
            error: outcome.error,
            report: outcome.report,
            delivery: outcome.delivery,
            sees_outbox: ctx.may(Action::List, Target::Outbox),
            base: "/dunning?".into(),
            c: ctx,
        },
    )
}

#[derive(Default)]
struct Outcome {
    error: Option<String>,
    report: Option<DunningReport>,
    delivery: Option<DeliveryReport>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    let date = q
        .date
        .filter(|d| d.parse::<Date>().is_ok())
        .unwrap_or_else(|| today().to_string());
    page(&state, ctx, date, q.page.unwrap_or(1), Outcome::default()).await
}

/// The form's date: a day, not after today for a run (a reminder is dated the day it is
/// sent); a preview may look ahead.
fn parse_day(ctx: &RequestCtx, raw: &str, preview: bool) -> Result<Date, String> {
    let day: Date = raw
        .trim()
        .parse()
        .map_err(|_| ctx.t("dunning-error-date"))?;
    if !preview && day > today() {
        return Err(ctx.t("dunning-error-future"));
    }
    Ok(day)
}

/// Preview (a dry run: the report of what would be sent, nothing written) or run (records,
/// then delivers). The report is shown at once; running again the same day sends nothing new.
pub async fn run(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<RunForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    let preview = form.mode != "run";
    let day = match parse_day(&ctx, &form.date, preview) {
        Ok(day) => day,
        Err(error) => {
            let outcome = Outcome {
                error: Some(error),
                ..Outcome::default()
            };
            return page(&state, ctx, form.date, 1, outcome).await;
        }
    };
    let outcome = if preview {
        Outcome {
            report: Some(state.store.dunning_run(&ctx.audit(), day, true).await?),
            ..Outcome::default()
        }
    } else {
        let (report, delivery) = run_and_deliver(&state.store, &ctx.audit(), day).await?;
        Outcome {
            report: Some(report),
            delivery: Some(delivery),
            error: None,
        }
    };
    page(&state, ctx, day.to_string(), 1, outcome).await
}

pub async fn overdue(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(bucket): Path<usize>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    if bucket >= AGE_BUCKETS.len() {
        return Err(AppError::NotFound);
    }
    let day = today();
    let buckets = state.store.overdue_by_age(day).await?;
    let summary = buckets.into_iter().nth(bucket).ok_or(AppError::NotFound)?;
    let page = state
        .store
        .overdue_invoices(day, bucket, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    render(&OverduePage {
        c: ctx,
        bucket: summary,
        page,
        base: format!("/dunning/overdue/{bucket}?"),
    })
}

/// A PDF as a download.
fn pdf_file(filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Whether the user may read a reminder: the treasury, or whoever sees its invoice.
pub(crate) async fn may_read_reminder(
    state: &AppState,
    ctx: &RequestCtx,
    reminder: &ReminderRecord,
) -> Result<bool, AppError> {
    if ctx.may(Action::View, Target::Treasury) {
        return Ok(true);
    }
    let invoice = state.store.invoice(reminder.invoice_id).await?;
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, target) = activity_target(&state.store, person, invoice.activity_id).await?;
    Ok(ctx.may(Action::View, target))
}

/// The reminder's kept PDF, or (still pending delivery) rendered from its frozen snapshot.
pub(crate) async fn reminder_pdf_bytes(
    store: &Store,
    id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let document = store.reminder_document(id).await?;
    let pdf = match store.reminder_pdf(id).await? {
        Some(pdf) => pdf,
        None => PdfRenderer
            .reminder_pdf(&document)
            .map_err(AppError::Internal)?,
    };
    Ok((document.filename(), pdf))
}

pub async fn reminder_pdf(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let reminder = state.store.reminder(id).await?;
    if !may_read_reminder(&state, &ctx, &reminder).await? {
        return Err(AppError::Forbidden);
    }
    let (filename, pdf) = reminder_pdf_bytes(&state.store, id).await?;
    Ok(pdf_file(&filename, pdf))
}

/// The letter listing every unpaid invoice of a client, dated today.
pub async fn summary_letter_pdf(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    let letter = state.store.summary_letter(id, today()).await?;
    let pdf =
        ruche_pdf::render_summary_letter(&letter).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(pdf_file(&format!("unpaid-{id}-{}.pdf", letter.date), pdf))
}

#[derive(Debug, Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Deserialize)]
pub struct UnblockForm {
    #[serde(default)]
    next: String,
}

/// Blocks the reminders of an open invoice with a reason; an empty reason, or an invoice
/// that cannot be blocked, is refused with the reason and nothing changes.
pub async fn block(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<BlockForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    let invoice = state.store.invoice(id).await?;
    let reason = form.reason.trim().to_string();
    let refusal = if reason.is_empty() {
        Some("block-reason-required")
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Some("block-reason-too-long")
    } else {
        match state.store.block_invoice(&ctx.audit(), id, &reason).await {
            Ok(_) => None,
            Err(StoreError::Conflict(code)) => Some(code),
            Err(e) => return Err(e.into()),
        }
    };
    match refusal {
        None => Ok(see_other(&format!("/invoices/{id}#dunning"))),
        Some(code) => {
            let error = ctx.t_of("dunning-error-", code);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &BlockPage {
                    c: ctx,
                    invoice,
                    reason,
                    error,
                },
            )
        }
    }
}

/// Lifts the block; the next run considers the invoice again.
pub async fn unblock(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<UnblockForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    match state.store.unblock_invoice(&ctx.audit(), id).await {
        // Already lifted (another accountant, another tab): the page shows the state.
        Ok(()) | Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let next = if form.next.is_empty() {
        format!("/invoices/{id}#dunning")
    } else {
        safe_next(&form.next).to_string()
    };
    Ok(see_other(&next))
}
