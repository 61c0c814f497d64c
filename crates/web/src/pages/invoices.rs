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
use ruche_domain::validate::FieldErrors;
use ruche_store::activities::ActivityRecord;
use ruche_store::clients::ClientRecord;
use ruche_store::invoices::{
    DraftInvoice, InvoiceFilter, InvoiceLineRecord, InvoiceRecord, PaymentRecord,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::activities::activity_target;
use super::lines::{
    self, LinesEditor, Op, ParsedLines, RawLine, Typed, Wording, contribution_rate,
    refusal_problems,
};
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
    /// The activity, or `None` for the treasury's list across all activities.
    activity: Option<(i64, String)>,
    q: String,
    /// The year filter, as typed back into the form ("" = any year).
    year: String,
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
    /// The header as typed, and the problems of the whole form for its summary.
    f: FormView,
    editor: LinesEditor,
    clients: Options,
    entities: Options,
    languages: Options,
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
    /// The account the client pays into: the issuing entity's.
    pay_to: String,
    can_edit: bool,
    can_record_payment: bool,
    /// The invoice's reminders and block (`invoice_dunning.html`).
    dunning: super::dunning::InvoiceDunning,
    f: FormView,
    message: Option<String>,
}

async fn activity_of(
    state: &AppState,
    ctx: &RequestCtx,
    activity_id: i64,
    action: Action,
) -> Result<ActivityRecord, AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (activity, target) = activity_target(&state.store, person, activity_id).await?;
    ctx.authorize(action, target)?;
    Ok(activity)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    /// Issued in this year; anything else than a year is ignored.
    #[serde(default)]
    year: String,
    page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(activity_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let activity = activity_of(&state, &ctx, activity_id, Action::View).await?;
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, target) = activity_target(&state.store, person, activity_id).await?;
    let can_create = ctx.may(Action::Update, target) && activity.status == "active";
    list_page(
        &state,
        ctx,
        Some((activity_id, activity.name)),
        q,
        can_create,
    )
    .await
}

/// Every invoice of the cooperative, for the accountants: open ones to follow, payments
/// to record.
pub async fn list_all(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Treasury)?;
    list_page(&state, ctx, None, q, false).await
}

async fn list_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: Option<(i64, String)>,
    q: ListQuery,
    can_create: bool,
) -> Result<Response, AppError> {
    let filter = InvoiceFilter {
        activity_id: activity.as_ref().map(|(id, _)| *id),
        status: InvoiceStatus::parse(&q.status),
        search: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        issue_year: q
            .year
            .trim()
            .parse::<i16>()
            .ok()
            .filter(|y| (2000..=2100).contains(y)),
        ..Default::default()
    };
    let year = filter.issue_year.map(|y| y.to_string()).unwrap_or_default();
    let page = state
        .store
        .invoices(&filter, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let mut client_ids: Vec<i64> = page.items.iter().map(|i| i.client_id).collect();
    client_ids.sort_unstable();
    client_ids.dedup();
    let clients = state.store.client_names(&client_ids).await?;
    let mut statuses = vec![(String::new(), ctx.t("choose-any"))];
    statuses.extend(
        InvoiceStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("invoice-status-", s.code()))),
    );
    let path = match &activity {
        Some((id, _)) => format!("/activities/{id}/invoices"),
        None => "/invoices".to_string(),
    };
    let base = format!(
        "{path}?{}&",
        serde_urlencoded::to_string([
            ("status", q.status.as_str()),
            ("q", q.q.as_str()),
            ("year", year.as_str()),
        ])
        .unwrap_or_default()
    );
    render(&ListPage {
        activity,
        year,
        q: q.q,
        page,
        clients,
        status: q.status,
        statuses,
        base,
        can_create,
        c: ctx,
    })
}

/// The draft the editor works on: a new one, or one stored; an invoice or a credit note.
struct Draft {
    id: Option<i64>,
    kind: DocumentKind,
    corrects: Option<InvoiceRecord>,
}

/// What the editor shows of the draft being edited.
struct Editing {
    draft: Draft,
    f: FormView,
    typed: Typed,
}

async fn form_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: &ActivityRecord,
    editing: Editing,
) -> Result<FormPage, AppError> {
    let Editing { draft, f, typed } = editing;
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
    let action = match draft.id {
        Some(id) => format!("/invoices/{id}"),
        None => format!("/activities/{}/invoices", activity.id),
    };
    let language = Language::parse(f.value("language")).unwrap_or(ctx.lang);
    let editor = LinesEditor::new(
        &ctx,
        action,
        Wording::Invoice,
        typed,
        language,
        contribution_rate(activity),
    );
    Ok(FormPage {
        activity_id: activity.id,
        activity_name: activity.name.clone(),
        id: draft.id,
        kind: if draft.kind == DocumentKind::CreditNote {
            "credit_note"
        } else {
            "invoice"
        },
        corrects: draft.corrects,
        f,
        editor,
        clients,
        entities,
        languages,
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
    let editing = Editing {
        draft: Draft {
            id: None,
            kind: DocumentKind::Invoice,
            corrects: None,
        },
        f,
        typed: Typed::default(),
    };
    render(&form_page(&state, ctx, &activity, editing).await?)
}

/// The draft a form describes, or nothing and the header's problems in `errors`.
fn draft_of(
    f: &FormView,
    lines: ParsedLines,
    activity_id: i64,
    draft: &Draft,
    errors: &mut FieldErrors,
) -> Option<DraftInvoice> {
    let client_id = f.value("client_id").parse::<i64>().ok();
    if client_id.is_none() {
        errors.add("client_id", "required");
    }
    let entity_id = f.value("entity_id").parse::<i64>().ok();
    if entity_id.is_none() {
        errors.add("entity_id", "required");
    }
    let due_days = f
        .value("due_days")
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= 365);
    if due_days.is_none() {
        errors.add("due_days", "due-days");
    }
    Some(DraftInvoice {
        kind: draft.kind,
        activity_id,
        client_id: client_id?,
        entity_id: entity_id?,
        quote_id: f.value("quote_id").parse().ok(),
        corrects_invoice_id: draft.corrects.as_ref().map(|c| c.id),
        due_days: due_days?,
        language: Language::parse(f.value("language")).unwrap_or_default(),
        order_reference: Some(f.value("order_reference").trim().to_string())
            .filter(|s| !s.is_empty()),
        note: Some(f.value("note").trim().to_string()).filter(|s| !s.is_empty()),
        lines: lines.lines,
    })
}

/// The editor's post: a button that only changes the page, or "save".
async fn handle_editor(
    state: AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    draft: Draft,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let form = lines::read_form(pairs);
    let mut editing = Editing {
        draft,
        f: FormView::new(form.fields),
        typed: Typed {
            lines: form.lines,
            ..Default::default()
        },
    };
    if form.op == Op::Save {
        return save(state, ctx, activity, editing).await;
    }
    let rate = contribution_rate(&activity);
    match lines::press(form.op, &mut editing.typed.lines, rate, &ctx) {
        Ok(done) => editing.typed.pricing_done = done,
        Err(problem) => editing.typed.problems.push(problem),
    }
    render(&form_page(&state, ctx, &activity, editing).await?)
}

async fn save(
    state: AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    mut editing: Editing,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    let problems = &mut editing.typed.problems;
    let parsed = lines::parse_lines(&editing.typed.lines, true, problems);
    let origin = parsed.origin.clone();
    let draft = draft_of(&editing.f, parsed, activity.id, &editing.draft, &mut errors);
    if let Some(draft) = draft.filter(|_| problems.is_empty()) {
        let audit = ctx.audit();
        match state
            .store
            .save_invoice_draft(&audit, editing.draft.id, &draft)
            .await
        {
            Ok(saved) => return Ok(see_other(&format!("/invoices/{}", saved.id))),
            Err(StoreError::Document(refused)) => *problems = refusal_problems(&refused, &origin),
            Err(StoreError::NotFound) => errors.add("client_id", "required"),
            Err(e) => return Err(e.into()),
        }
    }
    editing.f.add_errors(&errors, ctx.lang);
    for p in &editing.typed.problems {
        editing
            .f
            .add_message(&p.key(), p.detail(ctx.lang, Wording::Invoice));
    }
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
    let draft = Draft {
        id: None,
        kind: DocumentKind::Invoice,
        corrects: None,
    };
    handle_editor(state, ctx, activity, draft, pairs).await
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
    let pay_to = state.store.legal_entity(invoice.entity_id).await?.iban;
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, target) = activity_target(&state.store, person, invoice.activity_id).await?;
    Ok(ShowPage {
        pay_to,
        activity_name: activity.name,
        client,
        lines,
        payments,
        credit_notes,
        corrects,
        ogm,
        can_edit: ctx.may(Action::Update, target),
        can_record_payment: ctx.may(Action::Update, Target::Treasury),
        dunning: super::dunning::invoice_view(state, &ctx, &invoice).await?,
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
        let lines = state
            .store
            .invoice_lines(id)
            .await?
            .iter()
            .map(RawLine::from)
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
        let editing = Editing {
            draft: draft_of_record(&state, invoice).await?,
            f,
            typed: Typed {
                lines,
                ..Default::default()
            },
        };
        let page = form_page(&state, ctx, &activity, editing).await?;
        return render(&page);
    }
    render(&show_page(&state, ctx, invoice, FormView::default(), None).await?)
}

/// A stored draft, with the invoice it corrects if it is a credit note.
async fn draft_of_record(state: &AppState, invoice: InvoiceRecord) -> Result<Draft, AppError> {
    let corrects = match invoice.corrects_invoice_id {
        Some(c) => Some(state.store.invoice(c).await?),
        None => None,
    };
    Ok(Draft {
        id: Some(invoice.id),
        kind: invoice.kind(),
        corrects,
    })
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
    let draft = draft_of_record(&state, invoice).await?;
    handle_editor(state, ctx, activity, draft, pairs).await
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
            documents::after_issue(&state.store, &ctx.audit(), &issued).await;
            return Ok(see_other(&format!("/invoices/{id}")));
        }
        Err(StoreError::Document(errors)) => refusal_problems(&errors, &[])
            .iter()
            .map(|p| p.detail(ctx.lang, Wording::Invoice))
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

pub(crate) fn attachment(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
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
    // An exempt training quoted from a catalogue lead is invoiced by the training entity
    // (art. 44 §2, 4° VAT Code); anything else by the first entity.
    let entity = match state.store.training_entity_for_quote(quote_id).await? {
        Some(id) => id,
        None => state
            .store
            .legal_entities(PageRequest::new(1, 1))
            .await?
            .items
            .first()
            .map(|e| e.id)
            .ok_or(AppError::NotFound)?,
    };
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
