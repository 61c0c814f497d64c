//! The labs (C13), `/labs`: member-led groups with a theme and a model, filtered by status
//! and model; a lab's page with its members, meetings and outputs, "join" and "leave";
//! its coordinators record meetings and outputs; the participation staff create labs,
//! name coordinators and change a lab's status.
//!
//! Policy: `Target::CooperativeLife` for the lists and joining (`Create`), creating a lab
//! and its status (`Update`); `Target::Lab { coordinated_by_actor }` for the records.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ruche_domain::labs::{
    LabEvent, LabForm, LabModel, LabStatus, MeetingForm, OutputForm, OutputKind,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::labs::{LabFilter, LabMeetingRecord, LabMemberRecord, LabOutputRecord, LabRecord};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/labs", get(list).post(create))
        .route("/labs/new", get(new_lab))
        .route("/labs/{id}", get(show))
        .route("/labs/{id}/join", post(join))
        .route("/labs/{id}/leave", post(leave))
        .route("/labs/{id}/meetings", post(add_meeting))
        .route("/labs/{id}/outputs", post(add_output))
        .route("/labs/{id}/status", post(change_status))
        .route("/labs/{id}/coordinators", post(name_coordinator))
}

const PER_PAGE: i64 = 20;

/// The policy target of a lab for this user: whether they coordinate it.
pub async fn lab_target(
    state: &AppState,
    user: &CurrentUser,
    lab_id: i64,
) -> Result<(Target, Option<LabMemberRecord>), AppError> {
    let membership = state.store.lab_membership(lab_id, user.person.id).await?;
    let target = Target::Lab {
        coordinated_by_actor: membership.as_ref().is_some_and(|m| m.coordinator),
    };
    Ok((target, membership))
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

fn model_codes() -> Vec<&'static str> {
    LabModel::ALL.iter().map(|m| m.code()).collect()
}

// ------------------------------------------------------------------------------ the list

#[derive(Template)]
#[template(path = "labs.html")]
struct ListPage {
    c: RequestCtx,
    labs: Page<LabRecord>,
    f: FormView,
    statuses: Vec<(String, String)>,
    models: Vec<(String, String)>,
    staff: bool,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    labs_status: Option<String>,
    labs_model: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::CooperativeLife)?;
    let filter = LabFilter {
        status: q.labs_status.as_deref().and_then(LabStatus::parse),
        model: q.labs_model.as_deref().and_then(LabModel::parse),
        person_id: None,
    };
    let labs = state
        .store
        .labs(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let f = FormView::new(vec![
        (
            "labs_status".into(),
            filter
                .status
                .map(|s| s.code().to_string())
                .unwrap_or_default(),
        ),
        (
            "labs_model".into(),
            filter
                .model
                .map(|m| m.code().to_string())
                .unwrap_or_default(),
        ),
    ]);
    let statuses: Vec<&str> = LabStatus::ALL.iter().map(|s| s.code()).collect();
    let base = format!(
        "/labs?labs_status={}&labs_model={}&",
        f.value("labs_status"),
        f.value("labs_model")
    );
    render(&ListPage {
        statuses: options(&ctx, "labs-status-", &statuses, Some("labs-any")),
        models: options(&ctx, "labs-model-", &model_codes(), Some("labs-any")),
        staff: ctx.may(Action::Update, Target::CooperativeLife),
        labs,
        f,
        base,
        c: ctx,
    })
}

// ------------------------------------------------------------------------- the new lab

#[derive(Template)]
#[template(path = "labs_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    models: Vec<(String, String)>,
}

pub async fn new_lab(ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let models = options(&ctx, "labs-model-", &model_codes(), None);
    render(&FormPage {
        models,
        f: FormView::default(),
        c: ctx,
    })
}

/// The first coordinator is named by their sign-in e-mail (or a person's id).
async fn coordinator_id(state: &AppState, typed: &str) -> Result<String, AppError> {
    let typed = typed.trim();
    if typed.contains('@') {
        Ok(state
            .store
            .account_by_email(&typed.to_lowercase())
            .await?
            .map(|a| a.person_id.to_string())
            .unwrap_or_default())
    } else {
        Ok(typed.to_string())
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let mut f = FormView::new(pairs);
    let mut form: LabForm = f.decode().map_err(AppError::Internal)?;
    form.labs_coordinator = coordinator_id(&state, &form.labs_coordinator).await?;
    let errors = match form.parse(today()) {
        Ok(new) => match state.store.create_lab(&ctx.audit(), &new, today()).await {
            Ok(lab) => return Ok(see_other(&format!("/labs/{}?done=created", lab.id))),
            Err(StoreError::Refused(errors)) => errors,
            Err(StoreError::Duplicate { field }) => FieldErrors::single(field, "labs-name-taken"),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let models = options(&ctx, "labs-model-", &model_codes(), None);
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &FormPage { models, f, c: ctx },
    )
}

// ------------------------------------------------------------------------------- a lab

#[derive(Template)]
#[template(path = "lab.html")]
struct ShowPage {
    c: RequestCtx,
    lab: LabRecord,
    members: Vec<LabMemberRecord>,
    meetings: Vec<LabMeetingRecord>,
    outputs: Vec<LabOutputRecord>,
    is_member: bool,
    may_join: bool,
    may_record: bool,
    staff: bool,
    events: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    non_coordinators: Vec<(String, String)>,
    notice: Option<String>,
    f: FormView,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    notice: Option<String>,
    f: FormView,
) -> Result<ShowPage, AppError> {
    let user = ctx.authorize(Action::View, Target::CooperativeLife)?;
    let lab = state.store.lab(id).await?;
    let (target, membership) = lab_target(state, user, id).await?;
    let status = lab.status()?;
    let members = state.store.lab_members(id).await?;
    let staff = ctx.may(Action::Update, Target::CooperativeLife);
    let events = LabEvent::ALL
        .iter()
        .filter(|e| status.apply(**e).is_ok())
        .map(|e| (e.code().to_string(), ctx.t_of("labs-event-", e.code())))
        .collect();
    let kinds: Vec<&str> = OutputKind::ALL.iter().map(|k| k.code()).collect();
    Ok(ShowPage {
        is_member: membership.is_some(),
        may_join: membership.is_none()
            && status.takes_members()
            && ctx.may(Action::Create, Target::CooperativeLife),
        may_record: status.takes_records() && ctx.may(Action::Update, target),
        non_coordinators: members
            .iter()
            .filter(|m| !m.coordinator)
            .map(|m| (m.person_id.to_string(), m.name.clone()))
            .collect(),
        meetings: state.store.lab_meetings(id).await?,
        outputs: state.store.lab_outputs(id).await?,
        kinds: options(&ctx, "labs-kind-", &kinds, None),
        events,
        staff,
        members,
        lab,
        notice,
        f,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let notice = q
        .done
        .as_deref()
        .filter(|d| {
            [
                "created",
                "joined",
                "left",
                "meeting",
                "output",
                "status",
                "coordinator",
            ]
            .contains(d)
        })
        .map(|d| ctx.t_of("labs-done-", d));
    let today = today().to_string();
    let f = FormView::with_defaults(&[("labs_held_on", &today), ("labs_produced_on", &today)]);
    render(&show_page(&state, ctx, id, notice, f).await?)
}

/// The lab's page again with the refusal (422), or the redirect after a change.
async fn after(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    mut f: FormView,
    done: &str,
    outcome: Result<(), StoreError>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!("/labs/{id}?done={done}"))),
        Err(StoreError::Refused(errors)) => {
            f.add_errors(&errors, ctx.lang);
            let page = show_page(state, ctx, id, None, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn join(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::CooperativeLife)?;
    let outcome = state
        .store
        .join_lab(&ctx.audit(), id, user.person.id, today())
        .await
        .map(|_| ());
    after(&state, ctx, id, FormView::default(), "joined", outcome).await
}

pub async fn leave(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::CooperativeLife)?;
    let outcome = state
        .store
        .leave_lab(&ctx.audit(), id, user.person.id, today())
        .await;
    after(&state, ctx, id, FormView::default(), "left", outcome).await
}

async fn authorize_records(state: &AppState, ctx: &RequestCtx, id: i64) -> Result<(), AppError> {
    let user = ctx.user()?;
    state.store.lab(id).await?;
    let (target, _) = lab_target(state, user, id).await?;
    ctx.authorize(Action::Update, target)?;
    Ok(())
}

pub async fn add_meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    authorize_records(&state, &ctx, id).await?;
    let f = FormView::new(pairs);
    let form: MeetingForm = f.decode().map_err(AppError::Internal)?;
    let outcome = match form.parse(today()) {
        Ok(new) => state
            .store
            .record_lab_meeting(&ctx.audit(), id, &new)
            .await
            .map(|_| ()),
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    after(&state, ctx, id, f, "meeting", outcome).await
}

pub async fn add_output(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    authorize_records(&state, &ctx, id).await?;
    let f = FormView::new(pairs);
    let form: OutputForm = f.decode().map_err(AppError::Internal)?;
    let outcome = match form.parse(today()) {
        Ok(new) => state
            .store
            .record_lab_output(&ctx.audit(), id, &new)
            .await
            .map(|_| ()),
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    after(&state, ctx, id, f, "output", outcome).await
}

pub async fn change_status(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let f = FormView::new(pairs);
    let outcome = match LabEvent::parse(f.value("labs_event")) {
        Some(event) => state
            .store
            .change_lab_status(&ctx.audit(), id, event, today())
            .await
            .map(|_| ()),
        None => Err(StoreError::Refused(FieldErrors::single(
            "labs_status",
            "labs-status",
        ))),
    };
    after(&state, ctx, id, f, "status", outcome).await
}

pub async fn name_coordinator(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let f = FormView::new(pairs);
    let typed = coordinator_id(&state, f.value("labs_coordinator")).await?;
    let outcome = match typed.parse::<i64>() {
        Ok(person) if person > 0 => state
            .store
            .set_lab_coordinator(&ctx.audit(), id, person, true, today())
            .await
            .map(|_| ()),
        _ => Err(StoreError::Refused(FieldErrors::single(
            "labs_coordinator",
            "labs-coordinator",
        ))),
    };
    after(&state, ctx, id, f, "coordinator", outcome).await
}
