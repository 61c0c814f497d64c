//! Invoices and credit notes of an activity: drafts, issuing, the PDF and UBL, sending,
//! credit notes and (for the accountants) payments received.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ruche_domain::Language;
use ruche_domain::invoicing::{DocumentKind, InvoiceStatus};
use ruche_domain::policy::{Action, Target};
use ruche_store::clients::ClientRecord;
use ruche_store::invoices::{
    DraftInvoice, InvoiceFilter, InvoiceLineRecord, InvoiceRecord, PaymentRecord,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::activities::activity_target;
use super::lines::{self, LineRow};
use super::staff::Options;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::documents::{self, DocumentFileError};
use crate::error::AppError;
use crate::forms::FormView;

#[derive(Template)]
#[template(path = "invoices.html")]
struct ListPage {
    c: RequestCtx,
    activity_id: i64,
    activity_name: String,
    page: Page<InvoiceRecord>,
    clients: Vec<(i64, String)>,
    status: String,
    statuses: Options,
    base: String,
    can_create: bool,
}

impl ListPage {
    fn client_name(&self, id: &i64) -> String {
        self.clients
            .iter()
            .find(|(c, _)| c == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "invoice_form.html")]
struct FormPage {
    c: RequestCtx,
    activity_id: i64,
    activity_name: String,
    id: Option<i64>,
    kind: &'static str,
    corrects: Option<InvoiceRecord>,
    f: FormView,
    rows: Vec<LineRow>,
    clients: Options,
    entities: Options,
    languages: Options,
    units: Vec<(&'static str, String)>,
    vats: Options,
    totals: Option<(i64, i64, i64)>,
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct ShowPage {
    c: RequestCtx,
    invoice: InvoiceRecord,
    activity_name: String,
    client: ClientRecord,
    lines: Vec<InvoiceLineRecord>,
    payments: Vec<PaymentRecord>,
    credit_notes: Vec<InvoiceRecord>,
    corrects: Option<InvoiceRecord>,
    ogm: Option<String>,
    can_edit: bool,
    can_record_payment: bool,
    f: FormView,
    message: Option<String>,
}

async fn activity_of(
    state: &AppState,
    ctx: &RequestCtx,
    activity_id: i64,
    action: Action,
) -> Result<ruche_store::activities::ActivityRecord, AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (activity, target) = activity_target(&state.store, person, activity_id).await?;
    ctx.authorize(action, target)?;
    Ok(activity)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(activity_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let activity = activity_of(&state, &ctx, activity_id, Action::View).await?;
    let filter = InvoiceFilter {
        activity_id: Some(activity_id),
        status: InvoiceStatus::parse(&q.status),
        ..Default::default()
    };
    let page = state
        .store
        .invoices(&filter, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let mut clients = Vec::new();
    for invoice in &page.items {
        if !clients.iter().any(|(id, _)| *id == invoice.client_id) {
            clients.push((
                invoice.client_id,
                state.store.client(invoice.client_id).await?.name,
            ));
        }
    }
    let mut statuses = vec![(String::new(), ctx.t("choose-any"))];
    statuses.extend(
        InvoiceStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("invoice-status-", s.code()))),
    );
    let base = format!(
        "/activities/{activity_id}/invoices?{}&",
        serde_urlencoded::to_string([("status", q.status.as_str())]).unwrap_or_default()
    );
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, target) = activity_target(&state.store, person, activity_id).await?;
    let can_create = ctx.may(Action::Update, target) && activity.status == "active";
    render(&ListPage {
        activity_id,
        activity_name: activity.name,
        page,
        clients,
        status: q.status,
        statuses,
        base,
        can_create,
        c: ctx,
    })
}

/// What the editor shows of the draft being edited.
struct Editing {
    id: Option<i64>,
    kind: DocumentKind,
    corrects: Option<InvoiceRecord>,
    f: FormView,
    rows: Vec<LineRow>,
    totals: Option<(i64, i64, i64)>,
}

impl Editing {
    fn new(kind: DocumentKind, f: FormView) -> Self {
        Editing {
            id: None,
            kind,
            corrects: None,
            f,
            rows: Vec::new(),
            totals: None,
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: &ruche_store::activities::ActivityRecord,
    editing: Editing,
) -> Result<FormPage, AppError> {
    let Editing {
        id,
        kind,
        corrects,
        f,
        rows,
        totals,
    } = editing;
    let mut clients = vec![(String::new(), ctx.t("choose-one"))];
    for c in state
        .store
        .clients(None, None, PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?
        .items
    {
        clients.push((c.id.to_string(), c.name));
    }
    let entities = state
        .store
        .legal_entities(PageRequest::new(1, 20))
        .await?
        .items
        .into_iter()
        .map(|e| (e.id.to_string(), e.name))
        .collect();
    let languages = Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), ctx.t_of("language-", l.code())))
        .collect();
    let units = lines::UNITS
        .iter()
        .map(|u| (*u, ctx.t_of("unit-", u)))
        .collect();
    let vats = lines::vat_options(today(), ctx.lang);
    Ok(FormPage {
        activity_id: activity.id,
        activity_name: activity.name.clone(),
        id,
        kind: if kind == DocumentKind::CreditNote {
            "credit_note"
        } else {
            "invoice"
        },
        corrects,
        f,
        rows: lines::with_blank_rows(rows, 3),
        clients,
        entities,
        languages,
        units,
        vats,
        totals,
        c: ctx,
    })
}

pub async fn new(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(activity_id): Path<i64>,
) -> Result<Response, AppError> {
    let activity = activity_of(&state, &ctx, activity_id, Action::Update).await?;
    let entity = state
        .store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .first()
        .map(|e| e.id.to_string())
        .unwrap_or_default();
    let f = FormView::with_defaults(&[
        ("entity_id", &entity),
        ("due_days", "30"),
        ("language", ctx.lang_code()),
    ]);
    let page = form_page(
        &state,
        ctx,
        &activity,
        Editing::new(DocumentKind::Invoice, f),
    )
    .await?;
    render(&page)
}

/// The draft a form describes, or the errors to show next to its fields.
fn draft_of(
    f: &FormView,
    rows: &[LineRow],
    activity_id: i64,
    kind: DocumentKind,
    corrects: Option<i64>,
) -> Result<DraftInvoice, Vec<(String, &'static str)>> {
    let mut errors = Vec::new();
    let client_id = f.value("client_id").parse::<i64>().ok();
    if client_id.is_none() {
        errors.push(("client_id".to_string(), "required"));
    }
    let entity_id = f.value("entity_id").parse::<i64>().ok();
    if entity_id.is_none() {
        errors.push(("entity_id".to_string(), "required"));
    }
    let due_days = f
        .value("due_days")
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= 365);
    if due_days.is_none() {
        errors.push(("due_days".to_string(), "due-days"));
    }
    let language = Language::parse(f.value("language"));
    let parsed = lines::parse(rows);
    if let Err(e) = &parsed {
        errors.extend(e.iter().cloned());
    }
    match (client_id, entity_id, due_days, parsed) {
        (Some(client_id), Some(entity_id), Some(due_days), Ok(lines)) if errors.is_empty() => {
            Ok(DraftInvoice {
                kind,
                activity_id,
                client_id,
                entity_id,
                quote_id: f.value("quote_id").parse().ok(),
                corrects_invoice_id: corrects,
                due_days,
                language: language.unwrap_or_default(),
                order_reference: Some(f.value("order_reference").trim().to_string())
                    .filter(|s| !s.is_empty()),
                note: Some(f.value("note").trim().to_string()).filter(|s| !s.is_empty()),
                lines,
            })
        }
        _ => Err(errors),
    }
}

fn add_keyed_errors(f: &mut FormView, errors: &[(String, String)]) {
    for (key, text) in errors {
        f.add_message(key, text.clone());
    }
}

async fn save(
    state: AppState,
    ctx: RequestCtx,
    activity: ruche_store::activities::ActivityRecord,
    id: Option<i64>,
    kind: DocumentKind,
    corrects: Option<InvoiceRecord>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let rows = lines::rows(&pairs);
    let mut f = FormView::new(pairs);
    let corrects_id = corrects.as_ref().map(|c| c.id);
    let messages: Vec<(String, String)> = match draft_of(&f, &rows, activity.id, kind, corrects_id)
    {
        Ok(draft) => match state
            .store
            .save_invoice_draft(&ctx.audit(), id, &draft)
            .await
        {
            Ok(saved) => return Ok(see_other(&format!("/invoices/{}", saved.id))),
            Err(StoreError::Document(errors)) => errors
                .iter()
                .map(|e| (lines::error_key(e), lines::error_text(e, ctx.lang)))
                .collect(),
            Err(StoreError::NotFound) => vec![("client_id".into(), ctx.t("err-required"))],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors
            .into_iter()
            .map(|(k, code)| (k, ctx.t_of("err-", code)))
            .collect(),
    };
    add_keyed_errors(&mut f, &messages);
    let editing = Editing {
        id,
        kind,
        corrects,
        f,
        rows,
        totals: None,
    };
    let page = form_page(&state, ctx, &activity, editing).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(activity_id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let activity = activity_of(&state, &ctx, activity_id, Action::Update).await?;
    save(
        state,
        ctx,
        activity,
        None,
        DocumentKind::Invoice,
        None,
        pairs,
    )
    .await
}

async fn invoice_and_target(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(InvoiceRecord, Target), AppError> {
    let invoice = state.store.invoice(id).await?;
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, target) = activity_target(&state.store, person, invoice.activity_id).await?;
    Ok((invoice, target))
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    invoice: InvoiceRecord,
    f: FormView,
    message: Option<String>,
) -> Result<ShowPage, AppError> {
    let activity = state.store.activity(invoice.activity_id).await?;
    let client = state.store.client(invoice.client_id).await?;
    let lines = state.store.invoice_lines(invoice.id).await?;
    let payments = state.store.invoice_payments(invoice.id).await?;
    let credit_notes = state.store.credit_notes_of(invoice.id).await?;
    let corrects = match invoice.corrects_invoice_id {
        Some(id) => Some(state.store.invoice(id).await?),
        None => None,
    };
    let ogm = invoice
        .structured_communication
        .as_deref()
        .and_then(|o| ruche_domain::ident::Ogm::parse(o).ok())
        .map(|o| o.to_string());
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, target) = activity_target(&state.store, person, invoice.activity_id).await?;
    Ok(ShowPage {
        activity_name: activity.name,
        client,
        lines,
        payments,
        credit_notes,
        corrects,
        ogm,
        can_edit: ctx.may(Action::Update, target),
        can_record_payment: ctx.may(Action::Update, Target::Treasury),
        invoice,
        f,
        message,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    if invoice.status == "draft" && ctx.may(Action::Update, target) {
        let activity = state.store.activity(invoice.activity_id).await?;
        let rows = state
            .store
            .invoice_lines(id)
            .await?
            .into_iter()
            .map(|l| LineRow {
                description: l.description,
                quantity: l.quantity.replace('.', ","),
                unit: l.unit,
                unit_price: l.unit_price.replace('.', ","),
                vat: format!("{}:{}", l.vat_category, l.vat_rate_bp),
            })
            .collect();
        let f = FormView::with_defaults(&[
            ("client_id", &invoice.client_id.to_string()),
            ("entity_id", &invoice.entity_id.to_string()),
            ("due_days", &invoice.due_days.to_string()),
            ("language", &invoice.language),
            (
                "order_reference",
                invoice.order_reference.as_deref().unwrap_or(""),
            ),
            ("note", invoice.note.as_deref().unwrap_or("")),
        ]);
        let corrects = match invoice.corrects_invoice_id {
            Some(c) => Some(state.store.invoice(c).await?),
            None => None,
        };
        let totals = Some((
            invoice.tax_exclusive_cents,
            invoice.tax_cents,
            invoice.tax_inclusive_cents,
        ));
        let editing = Editing {
            id: Some(id),
            kind: invoice.kind(),
            corrects,
            f,
            rows,
            totals,
        };
        let page = form_page(&state, ctx, &activity, editing).await?;
        return render(&page);
    }
    render(&show_page(&state, ctx, invoice, FormView::default(), None).await?)
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let activity = state.store.activity(invoice.activity_id).await?;
    let corrects = match invoice.corrects_invoice_id {
        Some(c) => Some(state.store.invoice(c).await?),
        None => None,
    };
    save(
        state,
        ctx,
        activity,
        Some(id),
        invoice.kind(),
        corrects,
        pairs,
    )
    .await
}

pub async fn issue(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let refusal: Vec<String> = match state.store.issue_invoice(&ctx.audit(), id, today()).await {
        Ok(issued) => {
            // The order confirmation is now invoiced (refused only if it already was).
            if let Some(quote_id) = issued.record.quote_id
                && let Err(e) = state
                    .store
                    .mark_quote_invoiced(&ctx.audit(), quote_id)
                    .await
            {
                tracing::warn!(quote = quote_id, error = %e, "quote not marked invoiced");
            }
            // Render at once, so that the kept PDF is the one of the issuing day.
            if let Err(e) = documents::files(&state.store, issued.record.id).await {
                tracing::error!(invoice = id, error = %e, "rendering after issue failed; it will be retried on download");
            }
            return Ok(see_other(&format!("/invoices/{id}")));
        }
        Err(StoreError::Document(errors)) => errors
            .iter()
            .map(|e| lines::error_text(e, ctx.lang))
            .collect(),
        Err(StoreError::Peppol(violations)) => violations
            .iter()
            .map(|v| format!("{} — {}", v.rule, v.message))
            .collect(),
        Err(StoreError::Conflict(code)) => vec![ctx.t_of("err-", code)],
        Err(e) => return Err(e.into()),
    };
    let message = Some(format!(
        "{} {}",
        ctx.t("invoice-issue-refused"),
        refusal.join(" · ")
    ));
    let page = show_page(&state, ctx, invoice, FormView::default(), message).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn authorized_files(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(InvoiceRecord, Vec<u8>, Option<String>), AppError> {
    let (invoice, target) = invoice_and_target(state, ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    match documents::files(&state.store, id).await {
        Ok((pdf, ubl)) => Ok((invoice, pdf, ubl)),
        Err(DocumentFileError::NotIssued) => Err(AppError::NotFound),
        Err(DocumentFileError::Store(e)) => Err(e.into()),
        Err(e) => Err(AppError::Internal(e.to_string())),
    }
}

fn attachment(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

pub async fn pdf(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, pdf, _) = authorized_files(&state, &ctx, id).await?;
    Ok(attachment(
        "application/pdf",
        format!("{}.pdf", invoice.number.unwrap_or_default()),
        pdf,
    ))
}

pub async fn ubl(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, _, ubl) = authorized_files(&state, &ctx, id).await?;
    let ubl = ubl.ok_or(AppError::NotFound)?;
    Ok(attachment(
        "application/xml",
        format!("{}.xml", invoice.number.unwrap_or_default()),
        ubl.into_bytes(),
    ))
}

pub async fn send(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let message = match documents::send(&state.store, id).await {
        Ok(mail) => ctx.t1("invoice-sent", "to", mail.to_address),
        Err(DocumentFileError::NoEmail) => ctx.t("invoice-client-no-email"),
        Err(DocumentFileError::NotIssued) => return Err(AppError::NotFound),
        Err(DocumentFileError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(e.to_string())),
    };
    render(&show_page(&state, ctx, invoice, FormView::default(), Some(message)).await?)
}

/// Starts a credit note for an issued invoice, with its lines to adjust.
pub async fn credit_note(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    if invoice.kind() != DocumentKind::Invoice || invoice.number.is_none() {
        return Err(AppError::NotFound);
    }
    let lines = state.store.invoice_lines(id).await?;
    let draft = DraftInvoice {
        kind: DocumentKind::CreditNote,
        activity_id: invoice.activity_id,
        client_id: invoice.client_id,
        entity_id: invoice.entity_id,
        quote_id: None,
        corrects_invoice_id: Some(id),
        due_days: 0,
        language: Language::parse(&invoice.language).unwrap_or_default(),
        order_reference: invoice.number.clone(),
        note: None,
        lines: lines
            .iter()
            .filter_map(|l| {
                Some(ruche_domain::invoicing::LineInput {
                    description: l.description.clone(),
                    quantity: l.quantity.parse().ok()?,
                    unit: l.unit.clone(),
                    unit_price: l.unit_price.parse().ok()?,
                    vat_category: ruche_domain::invoicing::VatCategory::parse(&l.vat_category)?,
                    vat_rate_bp: u32::try_from(l.vat_rate_bp).ok()?,
                })
            })
            .collect(),
    };
    let created = state
        .store
        .save_invoice_draft(&ctx.audit(), None, &draft)
        .await?;
    Ok(see_other(&format!("/invoices/{}", created.id)))
}

/// Turns an accepted quote — the order confirmation — into an invoice draft with its
/// client, lines and number as the order reference. A quote gives one invoice.
pub async fn from_quote(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(quote_id): Path<i64>,
) -> Result<Response, AppError> {
    let quote = state.store.quote(quote_id).await?;
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, target) = activity_target(&state.store, person, quote.activity_id).await?;
    ctx.authorize(Action::Update, target)?;
    if let Some(existing) = state.store.invoice_of_quote(quote_id).await? {
        return Ok(see_other(&format!("/invoices/{}", existing.id)));
    }
    if quote.status()? != ruche_domain::invoicing::QuoteStatus::Accepted {
        return Err(StoreError::Conflict("quote-not-accepted").into());
    }
    let mut lines = Vec::new();
    for line in state.store.quote_lines(quote_id).await? {
        lines.push(line.to_input()?);
    }
    let entity = state
        .store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .first()
        .map(|e| e.id)
        .ok_or(AppError::NotFound)?;
    let draft = DraftInvoice {
        kind: DocumentKind::Invoice,
        activity_id: quote.activity_id,
        client_id: quote.client_id,
        entity_id: entity,
        quote_id: Some(quote_id),
        corrects_invoice_id: None,
        due_days: 30,
        language: quote.language()?,
        order_reference: quote.number.clone(),
        note: None,
        lines,
    };
    let created = state
        .store
        .save_invoice_draft(&ctx.audit(), None, &draft)
        .await?;
    Ok(see_other(&format!("/invoices/{}", created.id)))
}

#[derive(Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    reference: String,
}

/// Records a payment by hand (until the bank statements are imported).
pub async fn record_payment(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Treasury)?;
    let invoice = state.store.invoice(id).await?;
    let mut f = FormView::with_defaults(&[
        ("amount", &form.amount),
        ("received_on", &form.received_on),
        ("reference", &form.reference),
    ]);
    let amount = ruche_domain::format::parse_money(&form.amount).filter(|a| *a > 0);
    let date = form.received_on.trim().parse::<jiff::civil::Date>().ok();
    let mut errors = ruche_domain::validate::FieldErrors::new();
    if amount.is_none() {
        errors.add("amount", "amount");
    }
    if date.is_none() {
        errors.add("received_on", "date");
    }
    if let (Some(amount), Some(date), true) = (amount, date, errors.is_empty()) {
        let reference = Some(form.reference.trim()).filter(|r| !r.is_empty());
        match state
            .store
            .record_payment(&ctx.audit(), id, amount, date, reference)
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/invoices/{id}"))),
            Err(StoreError::Conflict(code)) => f.add_message("amount", ctx.t_of("err-", code)),
            Err(e) => return Err(e.into()),
        }
    }
    f.add_errors(&errors, ctx.lang);
    let page = show_page(&state, ctx, invoice, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
