//! Debt recovery on the web (dunning.md §7 items 6 and 7): the history of an invoice and its
//! recovery case, shown on the invoice page to the member holding the activity and to staff;
//! the accountant opens a case (the holders are told by mail), records the hand-over stages
//! and follow-ups with their documents, and writes off; the member answers the consultation;
//! the accountant's pipeline lists the cases per stage.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ruche_domain::Language;
use ruche_domain::policy::{Action, Target};
use ruche_domain::recovery::{
    EntryForm, EntryKind, FollowUp, RecoveryEvent, RecoveryStatus, check_document,
    consultation_deadline,
};
use ruche_domain::validate::FieldErrors;
use ruche_store::invoices::InvoiceRecord;
use ruche_store::recovery::{
    HistoryItem, HistoryKind, MemberNotice, PipelineRow, RecoveryCase, StageTotal,
    may_open_recovery,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::activities::activity_target;
use super::staff::Options;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recovery", get(pipeline))
        .route("/invoices/{id}/recovery", get(page).post(open))
        .route("/invoices/{id}/recovery/panel", get(panel))
        .route("/invoices/{id}/recovery/entries", post(record))
        .route("/recovery/entries/{id}/document", get(document))
}

/// What the history and recovery sections show, on the invoice page and on their own page.
pub struct RecoveryView {
    pub invoice: InvoiceRecord,
    pub history: Vec<HistoryItem>,
    pub case: Option<RecoveryCase>,
    /// The case's status code, when there is a case.
    pub status: String,
    pub deadline: String,
    /// The treasury may open a case now.
    pub can_open: bool,
    /// The treasury may record entries on the open case.
    pub can_drive: bool,
    /// The holder may answer the consultation now.
    pub can_answer: bool,
    /// What the treasury may record now: stages, decisions and follow-ups.
    pub kinds: Options,
    pub answers: Options,
    pub f: FormView,
    pub today: String,
}

impl RecoveryView {
    pub fn is_open(&self) -> bool {
        RecoveryStatus::parse(&self.status).is_some_and(RecoveryStatus::is_open)
    }
}

#[derive(Template)]
#[template(path = "invoice_recovery.html")]
struct Panel {
    c: RequestCtx,
    v: RecoveryView,
}

#[derive(Template)]
#[template(path = "recovery_invoice.html")]
struct FullPage {
    c: RequestCtx,
    v: RecoveryView,
}

#[derive(Template)]
#[template(path = "recovery.html")]
struct PipelinePage {
    c: RequestCtx,
    stages: Vec<StageTotal>,
    status: String,
    page: Page<PipelineRow>,
    base: String,
}

/// The invoice and the policy's target for its recovery.
pub(crate) async fn invoice_and_target(
    state: &AppState,
    ctx: &RequestCtx,
    invoice_id: i64,
) -> Result<(InvoiceRecord, Target), AppError> {
    let invoice = state.store.invoice(invoice_id).await?;
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (activity, target) = activity_target(&state.store, person, invoice.activity_id).await?;
    let held_by_actor = matches!(
        target,
        Target::Activity {
            held_by_actor: true,
            ..
        }
    );
    let target = Target::InvoiceRecovery {
        office_id: activity.office_id,
        held_by_actor,
    };
    Ok((invoice, target))
}

/// The entries the treasury may record on a case at `status`: the transitions the state
/// machine allows (not the member's answers, not the closing, which follows the invoice) and
/// the follow-ups.
fn treasury_kinds(ctx: &RequestCtx, status: RecoveryStatus) -> Options {
    let mut kinds = vec![(String::new(), ctx.t("choose-one"))];
    for event in RecoveryEvent::ALL {
        let allowed = status.transition(event).is_ok();
        if allowed && !event.is_members() && event != RecoveryEvent::Close {
            let code = EntryKind::Transition(event).code();
            kinds.push((code.to_string(), ctx.t_of("recovery-entry-", code)));
        }
    }
    for follow_up in FollowUp::ALL {
        let code = EntryKind::FollowUp(follow_up).code();
        kinds.push((code.to_string(), ctx.t_of("recovery-entry-", code)));
    }
    kinds
}

async fn view(
    state: &AppState,
    ctx: &RequestCtx,
    invoice: InvoiceRecord,
    target: Target,
    f: FormView,
) -> Result<RecoveryView, AppError> {
    let history = state.store.invoice_history(invoice.id).await?;
    let case = state.store.recovery_case(invoice.id).await?;
    let status = match &case {
        Some(case) => Some(case.status()?),
        None => None,
    };
    let open = status.is_some_and(RecoveryStatus::is_open);
    let treasury = ctx.may(Action::Update, target);
    let can_answer =
        ctx.may(Action::Create, target) && status == Some(RecoveryStatus::MemberInformed);
    let answers = [RecoveryEvent::NoObjection, RecoveryEvent::Object]
        .into_iter()
        .map(|e| {
            let code = EntryKind::Transition(e).code();
            (code.to_string(), ctx.t_of("recovery-entry-", code))
        })
        .collect();
    Ok(RecoveryView {
        can_open: treasury && !open && may_open_recovery(&invoice),
        can_drive: treasury && open,
        can_answer,
        kinds: treasury_kinds(ctx, status.unwrap_or(RecoveryStatus::Closed)),
        answers,
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
        deadline: case
            .as_ref()
            .map(|c| c.consultation_deadline.clone())
            .unwrap_or_default(),
        history,
        case,
        invoice,
        f,
        today: today().to_string(),
    })
}

/// The history and recovery sections of an invoice, loaded into the invoice page.
pub async fn panel(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let v = view(&state, &ctx, invoice, target, FormView::default()).await?;
    render(&Panel { c: ctx, v })
}

/// The same sections on a page of their own (without JavaScript, and after a refused form).
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let v = view(&state, &ctx, invoice, target, FormView::default()).await?;
    render(&FullPage { c: ctx, v })
}

async fn refused_page(
    state: &AppState,
    ctx: RequestCtx,
    invoice: InvoiceRecord,
    target: Target,
    f: FormView,
) -> Result<Response, AppError> {
    let v = view(state, &ctx, invoice, target, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &FullPage { c: ctx, v })
}

#[derive(Deserialize, Default)]
pub struct OpenForm {
    #[serde(default)]
    entry_text: String,
}

/// Opens the recovery of an invoice: the holders of its activity are told by mail, in
/// their language, that they have until the deadline to object.
pub async fn open(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<OpenForm>,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let mut errors = FieldErrors::new();
    let text = errors.optional(
        "entry_text",
        &form.entry_text,
        ruche_domain::recovery::MAX_TEXT_CHARS,
    );
    let mut f = FormView::with_defaults(&[("entry_text", &form.entry_text)]);
    if !errors.is_empty() {
        f.add_errors(&errors, ctx.lang);
        return refused_page(&state, ctx, invoice, target, f).await;
    }
    let on = today();
    let notices = notices(&state, &invoice, on).await?;
    match state
        .store
        .open_recovery(&ctx.audit(), id, on, text.as_deref(), &notices)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/invoices/{id}#recovery"))),
        Err(StoreError::Conflict(code)) => {
            f.add_message("entry_text", ctx.t_of("err-", code));
            refused_page(&state, ctx, invoice, target, f).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One message per holder, in the holder's language.
pub(crate) async fn notices(
    state: &AppState,
    invoice: &InvoiceRecord,
    on: jiff::civil::Date,
) -> Result<Vec<MemberNotice>, AppError> {
    let number = invoice.number.clone().unwrap_or_default();
    let deadline = ruche_domain::format::date(consultation_deadline(on));
    let link = format!("{}/invoices/{}#recovery", state.config.base_url, invoice.id);
    let due = ruche_domain::format::money(invoice.due_cents());
    Ok(state
        .store
        .recovery_recipients(invoice.id)
        .await?
        .into_iter()
        .map(|r| {
            let lang = Language::parse(&r.language).unwrap_or_default();
            let args = [
                ("number", number.clone()),
                ("deadline", deadline.clone()),
                ("link", link.clone()),
                ("due", due.clone()),
            ];
            MemberNotice {
                to: r.email,
                subject: i18n::t_args(lang, "recovery-mail-subject", &args),
                body: i18n::t_args(lang, "recovery-mail-body", &args),
            }
        })
        .collect())
}

/// The fields of an entry form, as typed, and its document when one was attached.
#[derive(Default)]
struct Typed {
    form: EntryForm,
    document: Option<(String, String, Vec<u8>)>,
}

async fn read_entry_form(multipart: &mut Multipart) -> Result<Typed, AppError> {
    let mut typed = Typed::default();
    let bad = |_: axum::extract::multipart::MultipartError| {
        AppError::Invalid(FieldErrors::single("entry_document", "format"))
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "entry_document" {
            let filename = field.file_name().unwrap_or_default().to_string();
            let content_type = field.content_type().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(bad)?;
            if !filename.is_empty() || !bytes.is_empty() {
                typed.document = Some((filename, content_type, bytes.to_vec()));
            }
            continue;
        }
        let value = field.text().await.map_err(bad)?;
        match name.as_str() {
            "entry_kind" => typed.form.kind = value,
            "entry_on" => typed.form.on = value,
            "entry_text" => typed.form.text = value,
            "entry_cost" => typed.form.cost = value,
            "promised_on" => typed.form.promised_on = value,
            _ => {}
        }
    }
    Ok(typed)
}

/// The action an entry needs: the member answers, the treasury decides after an objection
/// and drives everything else.
fn action_for(kind: EntryKind) -> Action {
    match kind {
        EntryKind::Transition(e) if e.is_members() => Action::Create,
        EntryKind::Transition(RecoveryEvent::GoOn | RecoveryEvent::Stop) => Action::Decide,
        _ => Action::Update,
    }
}

/// Records an entry of the open case: the member's answer, or the treasury's stage,
/// decision, follow-up or write-off, with an optional document.
pub async fn record(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (invoice, target) = invoice_and_target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let typed = read_entry_form(&mut multipart).await?;
    let mut f = FormView::with_defaults(&[
        ("entry_kind", &typed.form.kind),
        ("entry_on", &typed.form.on),
        ("entry_text", &typed.form.text),
        ("entry_cost", &typed.form.cost),
        ("promised_on", &typed.form.promised_on),
    ]);
    // Who may record it depends on what it is: asked before anything is parsed further.
    let action = EntryKind::parse(&typed.form.kind)
        .map(action_for)
        .unwrap_or(Action::Update);
    ctx.authorize(action, target)?;
    let mut entry = match typed.form.parse() {
        Ok(entry) => entry,
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            return refused_page(&state, ctx, invoice, target, f).await;
        }
    };
    if let Some((filename, content_type, bytes)) = &typed.document {
        match check_document(filename, content_type, bytes) {
            Ok(doc) => entry.document = Some(doc),
            Err(errors) => {
                f.add_errors(&errors, ctx.lang);
                return refused_page(&state, ctx, invoice, target, f).await;
            }
        }
    }
    match state
        .store
        .record_recovery_entry(&ctx.audit(), id, &entry)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/invoices/{id}#recovery"))),
        Err(StoreError::Conflict(code)) => {
            f.add_message("entry_kind", ctx.t_of("err-", code));
            refused_page(&state, ctx, invoice, target, f).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The document kept with an entry, for whoever may read the invoice's history.
pub async fn document(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(entry_id): Path<i64>,
) -> Result<Response, AppError> {
    let entry = state.store.recovery_entry(entry_id).await?;
    let (_, target) = invoice_and_target(&state, &ctx, entry.invoice_id).await?;
    ctx.authorize(Action::View, target)?;
    let doc = state.store.recovery_document(entry_id).await?;
    let filename: String = doc
        .filename
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, doc.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        doc.content,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct PipelineQuery {
    #[serde(default)]
    status: String,
    page: Option<i64>,
}

/// The accountant's pipeline: cases and amounts per stage, and the cases of one stage.
pub async fn pipeline(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PipelineQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::RecoveryPipeline)?;
    let stages = state.store.recovery_pipeline().await?;
    let status = RecoveryStatus::parse(&q.status);
    let page = state
        .store
        .recovery_cases(status, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let status = status.map(|s| s.code().to_string()).unwrap_or_default();
    let base = format!(
        "/recovery?{}&",
        serde_urlencoded::to_string([("status", status.as_str())]).unwrap_or_default()
    );
    render(&PipelinePage {
        c: ctx,
        stages,
        status,
        page,
        base,
    })
}
