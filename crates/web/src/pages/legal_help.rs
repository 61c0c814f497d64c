//! Legal help (C16): a member files a question, a contract to review or a dispute, with its
//! files; the legal service triages it, answers it in the thread (the member is told by
//! e-mail, without the answer's text), keeps internal notes and closes it with an outcome;
//! the member may reopen it for [`REOPEN_DAYS`] days.
//!
//! Professional secrecy (`Target::LegalRequest`): a request, its thread and its files are
//! shown to the member who filed it and to the legal staff only. Anyone else gets 404, as if
//! the request did not exist (its existence is already a confidence). The API
//! (`api/legal_help.rs`) shares [`viewable`], [`file_request`] and [`notice_for`].

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ruche_domain::legal_help::{
    LegalKind, LegalOutcome, LegalPriority, LegalRequestForm, LegalStatus, REOPEN_DAYS,
    parse_message, parse_outcome, parse_triage,
};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_domain::{Language, Role};
use ruche_store::attachments::{AttachmentRecord, NewAttachment, owner};
use ruche_store::legal_help::{
    LegalFilter, LegalMessageKind, LegalMessageRecord, LegalNotice, LegalRequestRecord,
    LegalStaffMember,
};
use ruche_store::{Page, PageRequest, StoreError, now_micros};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::attachments::{self, FilesForm, human_size};
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/legal-help",
            get(mine).post(create).layer(attachments::body_limit()),
        )
        .route("/legal-help/new", get(new_request))
        .route("/legal-help/queue", get(queue))
        .route("/legal-help/{id}", get(show))
        .route(
            "/legal-help/{id}/messages",
            post(reply).layer(attachments::body_limit()),
        )
        .route(
            "/legal-help/{id}/notes",
            post(note).layer(attachments::body_limit()),
        )
        .route(
            "/legal-help/{id}/answer",
            post(answer).layer(attachments::body_limit()),
        )
        .route("/legal-help/{id}/triage", post(triage))
        .route("/legal-help/{id}/close", post(close))
        .route("/legal-help/{id}/reopen", post(reopen))
        .route("/legal-help/{id}/files/{file}", get(request_file))
        .route(
            "/legal-help/{id}/messages/{message}/files/{file}",
            get(message_file),
        )
}

/// Requests per page.
const PER_PAGE: i64 = 20;

// ----------------------------------------------------------------------- shared logic

/// The policy target of a request for this user.
pub fn request_target(user: &CurrentUser, request: &LegalRequestRecord) -> Target {
    Target::LegalRequest {
        filed_by_actor: request.person_id == user.person.id,
    }
}

/// The request, if the user may see it: 404 otherwise (even its existence is confidential);
/// a member who has not accepted the usage contract in force is sent to it.
pub async fn viewable(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(LegalRequestRecord, Target), AppError> {
    let request = state.store.legal_request(id).await?;
    let target = request_target(user, &request);
    match decide(&user.actor, Action::View, target) {
        Decision::Allowed => Ok((request, target)),
        Decision::UsageContractRequired => Err(AppError::UsageContractRequired),
        Decision::Refused => Err(AppError::NotFound),
    }
}

/// Refuses unless the user may do `action` on the request (403: they may see it already).
pub fn check(user: &CurrentUser, action: Action, target: Target) -> Result<(), AppError> {
    match decide(&user.actor, action, target) {
        Decision::Allowed => Ok(()),
        Decision::UsageContractRequired => Err(AppError::UsageContractRequired),
        Decision::Refused => Err(AppError::Forbidden),
    }
}

/// The notice of an answer in the member's language: a link to sign in, never the answer.
pub fn notice_for(state: &AppState, request: &LegalRequestRecord) -> LegalNotice {
    let lang = Language::parse(&request.member_language).unwrap_or(Language::Fr);
    let link = format!("{}/legal-help/{}", state.config.base_url, request.id);
    LegalNotice {
        subject: i18n::t_args(
            lang,
            "legal-notice-subject",
            &[("id", request.id.to_string())],
        ),
        body: i18n::t_args(lang, "legal-notice-body", &[("link", link)]),
    }
}

/// Checks the files of a form and keeps them in the file store; a refusal names the
/// `attachments` field.
pub fn prepare_files(
    state: &AppState,
    form: &FilesForm,
) -> Result<Result<Vec<NewAttachment>, FieldErrors>, AppError> {
    match attachments::prepare(state, form) {
        Ok(files) => Ok(Ok(files)),
        Err(AppError::Invalid(errors)) => Ok(Err(errors)),
        Err(e) => Err(e),
    }
}

/// The field a refusal of the store is shown on.
fn conflict_field(code: &str) -> &'static str {
    match code {
        ruche_store::legal_help::REFUSED_NOT_HOLDER => "legal_activity",
        _ => "legal_decision",
    }
}

/// Files a request of `user` from its form and files (the caller checked the policy).
/// `Ok(Err(errors))` names each refused field; nothing is written then.
pub async fn file_request(
    state: &AppState,
    user: &CurrentUser,
    form: &LegalRequestForm,
    files: &FilesForm,
    audit: &ruche_store::AuditContext,
) -> Result<Result<LegalRequestRecord, FieldErrors>, AppError> {
    let parsed = form.parse(user.person.id, today());
    let prepared = prepare_files(state, files)?;
    let (new, files) = match (parsed, prepared) {
        (Ok(new), Ok(files)) => (new, files),
        (parsed, prepared) => {
            let mut errors = parsed.err().unwrap_or_default();
            errors.0.extend(prepared.err().unwrap_or_default().0);
            return Ok(Err(errors));
        }
    };
    match state
        .store
        .file_legal_request(audit, &new, &files, now_micros())
        .await
    {
        Ok(r) => Ok(Ok(r)),
        Err(StoreError::Conflict(code)) => Ok(Err(FieldErrors::single(conflict_field(code), code))),
        Err(e) => Err(e.into()),
    }
}

fn options(
    ctx: &RequestCtx,
    prefix: &str,
    codes: &[&str],
    any: Option<&str>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(key) = any {
        out.push((String::new(), ctx.t(key)));
    }
    out.extend(
        codes
            .iter()
            .map(|code| (code.to_string(), ctx.t_of(prefix, code))),
    );
    out
}

fn kind_codes() -> Vec<&'static str> {
    LegalKind::ALL.iter().map(|k| k.code()).collect()
}

// --------------------------------------------------------------------------- the lists

#[derive(Template)]
#[template(path = "legal_help.html")]
struct MinePage {
    c: RequestCtx,
    requests: Page<LegalRequestRecord>,
    base: String,
}

#[derive(Template)]
#[template(path = "legal_help_queue.html")]
struct QueuePage {
    c: RequestCtx,
    requests: Page<LegalRequestRecord>,
    f: FormView,
    statuses: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    assignees: Vec<(String, String)>,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct MineQuery {
    page: Option<i64>,
}

/// The member's own requests, newest first. The legal staff (not members) go to the queue.
pub async fn mine(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<MineQuery>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    if !user.actor.has(Role::Member) && user.actor.has(Role::Legal) {
        return Ok(see_other("/legal-help/queue"));
    }
    check(user, Action::Create, Target::LegalHelp)?;
    let requests = state
        .store
        .legal_requests(
            &LegalFilter {
                person_id: Some(user.person.id),
                ..LegalFilter::default()
            },
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    render(&MinePage {
        requests,
        base: "/legal-help?".into(),
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    page: Option<i64>,
    status: Option<String>,
    kind: Option<String>,
    priority: Option<String>,
    assignee: Option<String>,
}

/// The legal service's queue: open requests by default, untriaged and urgent first.
pub async fn queue(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<QueueQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::LegalHelp)?;
    let status = q.status.clone().unwrap_or_else(|| "open".into());
    let filter = LegalFilter {
        person_id: None,
        status: (status == "open" || LegalStatus::parse(&status).is_some()).then(|| status.clone()),
        kind: q.kind.as_deref().and_then(LegalKind::parse),
        priority: q.priority.as_deref().and_then(LegalPriority::parse),
        assignee_account_id: q.assignee.as_deref().and_then(|a| a.parse().ok()),
    };
    let requests = state
        .store
        .legal_requests(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let mut statuses = vec![
        ("open".to_string(), ctx.t("legal-status-open")),
        ("all".to_string(), ctx.t("legal-any")),
    ];
    statuses.extend(
        LegalStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("legal-status-", s.code()))),
    );
    let priorities: Vec<&str> = LegalPriority::ALL.iter().map(|p| p.code()).collect();
    let mut assignees = vec![(String::new(), ctx.t("legal-any"))];
    assignees.extend(staff_options(&state.store.legal_staff().await?));
    let f = FormView::new(vec![
        ("status".into(), status.clone()),
        ("kind".into(), q.kind.clone().unwrap_or_default()),
        ("priority".into(), q.priority.clone().unwrap_or_default()),
        ("assignee".into(), q.assignee.clone().unwrap_or_default()),
    ]);
    let base = format!(
        "/legal-help/queue?status={}&kind={}&priority={}&assignee={}&",
        status,
        f.value("kind"),
        f.value("priority"),
        f.value("assignee")
    );
    render(&QueuePage {
        kinds: options(&ctx, "legal-kind-", &kind_codes(), Some("legal-any")),
        priorities: options(&ctx, "legal-priority-", &priorities, Some("legal-any")),
        statuses,
        assignees,
        requests,
        f,
        base,
        c: ctx,
    })
}

fn staff_options(staff: &[LegalStaffMember]) -> Vec<(String, String)> {
    staff
        .iter()
        .map(|s| (s.account_id.to_string(), s.name.clone()))
        .collect()
}

// ---------------------------------------------------------------------------- the form

#[derive(Template)]
#[template(path = "legal_help_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    kind: String,
    activities: Vec<(String, String)>,
    max_files: usize,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    kind: Option<String>,
}

async fn form_page(
    state: &AppState,
    ctx: RequestCtx,
    kind: LegalKind,
    f: FormView,
) -> Result<FormPage, AppError> {
    let user = ctx.user()?;
    let mut activities = vec![(String::new(), ctx.t("legal-no-activity"))];
    activities.extend(
        state
            .store
            .legal_held_activities(user.person.id)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name)),
    );
    Ok(FormPage {
        kind: kind.code().to_string(),
        activities,
        max_files: ruche_domain::attachment::MAX_ATTACHMENTS,
        f,
        c: ctx,
    })
}

pub async fn new_request(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::LegalHelp)?;
    let kind = q
        .kind
        .as_deref()
        .and_then(LegalKind::parse)
        .unwrap_or(LegalKind::Question);
    render(&form_page(&state, ctx, kind, FormView::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::LegalHelp)?;
    let files = attachments::read_form(&mut multipart).await;
    let mut f = FormView::new(files.fields.clone());
    let form: LegalRequestForm = f.decode().map_err(AppError::Internal)?;
    let errors = match file_request(&state, user, &form, &files, &ctx.audit()).await? {
        Ok(r) => return Ok(see_other(&format!("/legal-help/{}?saved=1", r.id))),
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let kind = LegalKind::parse(&form.legal_kind).unwrap_or(LegalKind::Question);
    let page = form_page(&state, ctx, kind, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// --------------------------------------------------------------------------- the request

/// A file of the request or of a message, with its download link.
pub struct FileView {
    pub href: String,
    pub name: String,
    pub size: String,
}

pub struct MessageView {
    pub m: LegalMessageRecord,
    pub files: Vec<FileView>,
    /// Written by the member (not the legal service).
    pub from_member: bool,
}

#[derive(Template)]
#[template(path = "legal_help_request.html")]
struct ShowPage {
    c: RequestCtx,
    r: LegalRequestRecord,
    files: Vec<FileView>,
    thread: Vec<MessageView>,
    f: FormView,
    notice: Option<String>,
    /// The legal staff's tools (triage, answer, notes, close).
    is_legal: bool,
    may_reply: bool,
    may_reopen: bool,
    may_triage: bool,
    may_answer: bool,
    may_close: bool,
    staff: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    reopen_days: i64,
}

fn file_views(base: &str, files: &[AttachmentRecord]) -> Vec<FileView> {
    files
        .iter()
        .map(|a| FileView {
            href: format!("{base}/files/{}", a.id),
            name: a.name.clone(),
            size: human_size(a.size),
        })
        .collect()
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    r: LegalRequestRecord,
    target: Target,
    f: FormView,
    notice: Option<String>,
) -> Result<ShowPage, AppError> {
    let user = ctx.user()?;
    let is_legal = decide(&user.actor, Action::Decide, target).is_allowed();
    let status = r.status()?;
    let base = format!("/legal-help/{}", r.id);
    let files = file_views(
        &base,
        &state
            .store
            .attachments_of(owner::LEGAL_REQUEST, r.id)
            .await?,
    );
    let thread = state
        .store
        .legal_messages(r.id, is_legal)
        .await?
        .into_iter()
        .map(|m| MessageView {
            files: file_views(&format!("{base}/messages/{}", m.id), &m.attachments),
            from_member: m.author_account_id.is_some() && m.author_account_id == r.submitted_by,
            m,
        })
        .collect();
    let priorities: Vec<&str> = LegalPriority::ALL.iter().map(|p| p.code()).collect();
    let outcomes: Vec<&str> = LegalOutcome::ALL.iter().map(|o| o.code()).collect();
    let own = ctx.may(Action::Update, target);
    Ok(ShowPage {
        may_reply: status.takes_messages() && ctx.may(Action::Create, target),
        may_reopen: own && r.reopenable_on(today()),
        may_triage: is_legal
            && status
                .apply(ruche_domain::legal_help::LegalEvent::Triage)
                .is_ok(),
        may_answer: is_legal
            && status
                .apply(ruche_domain::legal_help::LegalEvent::Answer)
                .is_ok(),
        may_close: is_legal
            && status
                .apply(ruche_domain::legal_help::LegalEvent::Close)
                .is_ok(),
        staff: if is_legal {
            staff_options(&state.store.legal_staff().await?)
        } else {
            Vec::new()
        },
        priorities: options(&ctx, "legal-priority-", &priorities, None),
        outcomes: options(&ctx, "legal-outcome-", &outcomes, None),
        reopen_days: REOPEN_DAYS,
        is_legal,
        files,
        thread,
        r,
        f,
        notice,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (r, target) = viewable(&state, ctx.user()?, id).await?;
    let notice = if q.saved.is_some() {
        Some(ctx.t("legal-saved"))
    } else {
        q.done
            .as_deref()
            .filter(|d| ["message", "note", "triage", "answer", "close", "reopen"].contains(d))
            .map(|d| ctx.t_of("legal-done-", d))
    };
    let mut f = FormView::default();
    if let Some(p) = &r.priority {
        f.set("legal_priority", p.clone());
    } else {
        f.set("legal_priority", "normal");
    }
    let me = ctx.user()?.account.id.to_string();
    f.set(
        "legal_assignee",
        r.assignee_account_id.map(|a| a.to_string()).unwrap_or(me),
    );
    render(&show_page(&state, ctx, r, target, f, notice).await?)
}

/// The request's page again with the errors (422 for bad input, 409 for a refused stage).
async fn refused(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    status: StatusCode,
    mut f: FormView,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let (r, target) = viewable(state, ctx.user()?, id).await?;
    f.add_errors(errors, ctx.lang);
    let page = show_page(state, ctx, r, target, f, None).await?;
    render_status(status, &page)
}

/// Maps a store outcome of a change to the redirect or the page with its refusal.
async fn after_change(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: FormView,
    done: &str,
    outcome: Result<(), StoreError>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!("/legal-help/{id}?done={done}"))),
        Err(StoreError::Conflict(code)) => {
            let errors = FieldErrors::single(conflict_field(code), code);
            refused(state, ctx, id, StatusCode::CONFLICT, f, &errors).await
        }
        Err(StoreError::Refused(errors)) => {
            refused(state, ctx, id, StatusCode::UNPROCESSABLE_ENTITY, f, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Reads a message form (`legal_body` and files): the text and the kept files, or the page
/// again with the errors.
async fn message_form(
    state: &AppState,
    multipart: &mut Multipart,
) -> Result<(FormView, Result<(String, Vec<NewAttachment>), FieldErrors>), AppError> {
    let files = attachments::read_form(multipart).await;
    let f = FormView::new(files.fields.clone());
    let body = parse_message(files.field("legal_body"));
    let prepared = prepare_files(state, &files)?;
    let out = match (body, prepared) {
        (Ok(body), Ok(files)) => Ok((body, files)),
        (body, prepared) => {
            let mut errors = body.err().unwrap_or_default();
            errors.0.extend(prepared.err().unwrap_or_default().0);
            Err(errors)
        }
    };
    Ok((f, out))
}

async fn post_message(
    state: AppState,
    ctx: RequestCtx,
    id: i64,
    kind: LegalMessageKind,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let (_, target) = viewable(&state, user, id).await?;
    let action = match kind {
        LegalMessageKind::Message => Action::Create,
        LegalMessageKind::Answer | LegalMessageKind::Note => Action::Decide,
    };
    check(user, action, target)?;
    let (f, parsed) = message_form(&state, &mut multipart).await?;
    let (body, files) = match parsed {
        Ok(ok) => ok,
        Err(errors) => {
            return refused(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                f,
                &errors,
            )
            .await;
        }
    };
    let audit = ctx.audit();
    let outcome = match kind {
        LegalMessageKind::Answer => {
            let r = state.store.legal_request(id).await?;
            state
                .store
                .answer_legal_request(
                    &audit,
                    id,
                    &body,
                    &files,
                    &notice_for(&state, &r),
                    now_micros(),
                )
                .await
                .map(|_| ())
        }
        _ => state
            .store
            .add_legal_message(&audit, id, kind, &body, &files, now_micros())
            .await
            .map(|_| ()),
    };
    after_change(&state, ctx, id, f, kind.code(), outcome).await
}

/// A message of the thread, from the member or the legal service.
pub async fn reply(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    post_message(state, ctx, id, LegalMessageKind::Message, multipart).await
}

/// An internal note of the legal service.
pub async fn note(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    post_message(state, ctx, id, LegalMessageKind::Note, multipart).await
}

/// The legal service's answer: the member is told by e-mail.
pub async fn answer(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    post_message(state, ctx, id, LegalMessageKind::Answer, multipart).await
}

#[derive(Deserialize, Default)]
struct TriageForm {
    #[serde(default)]
    legal_priority: String,
    #[serde(default)]
    legal_assignee: String,
}

pub async fn triage(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let (_, target) = viewable(&state, user, id).await?;
    check(user, Action::Decide, target)?;
    let f = FormView::new(pairs);
    let form: TriageForm = f.decode().map_err(AppError::Internal)?;
    let (priority, assignee) = match parse_triage(&form.legal_priority, &form.legal_assignee) {
        Ok(ok) => ok,
        Err(errors) => {
            return refused(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                f,
                &errors,
            )
            .await;
        }
    };
    let outcome = state
        .store
        .triage_legal_request(&ctx.audit(), id, priority, assignee, now_micros())
        .await
        .map(|_| ());
    after_change(&state, ctx, id, f, "triage", outcome).await
}

#[derive(Deserialize, Default)]
struct CloseForm {
    #[serde(default)]
    legal_outcome: String,
}

pub async fn close(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let (_, target) = viewable(&state, user, id).await?;
    check(user, Action::Decide, target)?;
    let f = FormView::new(pairs);
    let form: CloseForm = f.decode().map_err(AppError::Internal)?;
    let outcome = match parse_outcome(&form.legal_outcome) {
        Ok(o) => o,
        Err(errors) => {
            return refused(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                f,
                &errors,
            )
            .await;
        }
    };
    let done = state
        .store
        .close_legal_request(&ctx.audit(), id, outcome, now_micros())
        .await
        .map(|_| ());
    after_change(&state, ctx, id, f, "close", done).await
}

pub async fn reopen(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let (_, target) = viewable(&state, user, id).await?;
    check(user, Action::Update, target)?;
    let done = state
        .store
        .reopen_legal_request(&ctx.audit(), id, now_micros())
        .await
        .map(|_| ());
    after_change(&state, ctx, id, FormView::default(), "reopen", done).await
}

/// A file of the request, to its member and the legal staff only.
pub async fn request_file(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    viewable(&state, ctx.user()?, id).await?;
    attachments::download(&state, owner::LEGAL_REQUEST, id, file).await
}

/// A file of a message; the files of an internal note to the legal staff only.
pub async fn message_file(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((id, message, file)): Path<(i64, i64, i64)>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let (_, target) = viewable(&state, user, id).await?;
    let kind = state.store.legal_message_kind(id, message).await?;
    if kind == LegalMessageKind::Note.code()
        && !decide(&user.actor, Action::Decide, target).is_allowed()
    {
        return Err(AppError::NotFound);
    }
    attachments::download(&state, owner::LEGAL_MESSAGE, message, file).await
}
