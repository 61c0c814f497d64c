//! Activities: a member's own list and proposal form, the staff list, and the activity page
//! with its holders, the advisor's decisions and the budget.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::Role;
use ruche_domain::activity::{
    ActivityEvent, ActivityForm, ActivityStatus, Sector, effective_contribution_rate,
    parse_rate_percent,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::activities::{ActivityFilter, ActivityRecord, Holder};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::staff::{Options, field_errors_of, office_options};
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

#[derive(Template)]
#[template(path = "activities.html")]
struct ListPage {
    c: RequestCtx,
    page: Page<ActivityRecord>,
    /// Office names, for the list.
    office_names: Vec<(i64, String)>,
    q: ListQuery,
    offices: Options,
    statuses: Options,
    base: String,
    can_propose: bool,
    staff_view: bool,
}

impl ListPage {
    fn office_name(&self, id: &i64) -> String {
        self.office_names
            .iter()
            .find(|(o, _)| o == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "activity_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    id: Option<i64>,
    sectors: Options,
    offices: Options,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ShowPage {
    c: RequestCtx,
    activity: ActivityRecord,
    office: String,
    holders: Vec<Holder>,
    events: Vec<&'static str>,
    rate_bp: u32,
    own_rate: bool,
    can_edit: bool,
    can_decide: bool,
    f: FormView,
    saved: bool,
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    office: String,
    #[serde(skip_serializing)]
    page: Option<i64>,
}

fn sectors(ctx: &RequestCtx) -> Options {
    let mut options = vec![(String::new(), ctx.t("choose-one"))];
    options.extend(
        Sector::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("sector-", s.code()))),
    );
    options
}

/// Who sees which activities: administrators, accountants and the board all; advisors those
/// of their offices; members those they hold. Shared by the pages and the API.
pub fn scope_of(user: &CurrentUser) -> ActivityFilter {
    let actor = &user.actor;
    if actor.has(Role::Administrator) || actor.has(Role::Accountant) || actor.has(Role::Board) {
        ActivityFilter::default()
    } else if actor.has(Role::Advisor) {
        ActivityFilter {
            offices: Some(actor.advisor_offices.clone()),
            ..Default::default()
        }
    } else {
        ActivityFilter {
            holder: Some(user.person.id),
            ..Default::default()
        }
    }
}

fn scope(ctx: &RequestCtx) -> Result<ActivityFilter, AppError> {
    let filter = scope_of(ctx.user()?);
    if filter.holder.is_some() {
        ctx.authorize(Action::View, Target::MemberArea)?;
    }
    Ok(filter)
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let mut filter = scope(&ctx)?;
    let staff_view = filter.holder.is_none();
    filter.search = Some(q.q.clone());
    filter.status = ActivityStatus::parse(&q.status);
    if let Ok(office) = q.office.parse::<i64>() {
        filter.offices = Some(match filter.offices {
            Some(mine) => mine.into_iter().filter(|m| *m == office).collect(),
            None => vec![office],
        });
    }
    let page = state
        .store
        .activities(&filter, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let all_offices = state.store.all_offices().await?;
    let office_names = all_offices.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut offices = office_options(&state, &ctx).await?;
    if let Some(first) = offices.first_mut() {
        first.1 = ctx.t("choose-any");
    }
    let mut statuses = vec![(String::new(), ctx.t("choose-any"))];
    statuses.extend(
        ActivityStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("activity-status-", s.code()))),
    );
    let base = format!(
        "/activities?{}&",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    );
    let can_propose = ctx.may(Action::Create, Target::Activities);
    render(&ListPage {
        page,
        office_names,
        q,
        offices,
        statuses,
        base,
        can_propose,
        staff_view,
        c: ctx,
    })
}

pub async fn new(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Activities)?;
    let user = ctx.user()?;
    let office = user
        .person
        .office_id
        .map(|o| o.to_string())
        .unwrap_or_default();
    let f = FormView::with_defaults(&[("office_id", &office)]);
    let page = FormPage {
        f,
        id: None,
        sectors: sectors(&ctx),
        offices: office_options(&state, &ctx).await?,
        c: ctx,
    };
    render(&page)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Activities)?;
    let person_id = ctx.user()?.person.id;
    let mut f = FormView::new(pairs);
    let form: ActivityForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(activity) => match state
            .store
            .propose_activity(&ctx.audit(), &activity, person_id)
            .await
        {
            Ok(created) => return Ok(see_other(&format!("/activities/{}?saved=1", created.id))),
            Err(StoreError::NotFound) => FieldErrors::single("office_id", "required"),
            Err(e) => field_errors_of(e)?,
        },
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let page = FormPage {
        f,
        id: None,
        sectors: sectors(&ctx),
        offices: office_options(&state, &ctx).await?,
        c: ctx,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The activity and the policy target it is for this person.
pub async fn activity_target(
    store: &ruche_store::Store,
    person_id: Option<i64>,
    id: i64,
) -> Result<(ActivityRecord, Target), StoreError> {
    let activity = store.activity(id).await?;
    let held = match person_id {
        Some(p) => store.holds_activity(id, p).await?,
        None => false,
    };
    let target = Target::Activity {
        office_id: activity.office_id,
        held_by_actor: held,
    };
    Ok((activity, target))
}

async fn target(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(ActivityRecord, Target), AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    Ok(activity_target(&state.store, person, id).await?)
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    target: Target,
    f: FormView,
    saved: bool,
) -> Result<ShowPage, AppError> {
    let office = state.store.office(activity.office_id).await?.name;
    let holders = state.store.activity_holders(activity.id).await?;
    let status = activity.status()?;
    let events = status
        .possible_events()
        .into_iter()
        .map(ActivityEvent::code)
        .collect();
    let own = activity
        .contribution_rate_bp
        .and_then(|r| u32::try_from(r).ok());
    let rate_bp = effective_contribution_rate(own, today());
    Ok(ShowPage {
        office,
        holders,
        events,
        rate_bp,
        own_rate: own.is_some(),
        can_edit: ctx.may(Action::Update, target),
        can_decide: ctx.may(Action::Decide, target),
        activity,
        f,
        saved,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (activity, target) = target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let page = show_page(
        &state,
        ctx,
        activity,
        target,
        FormView::default(),
        q.saved.is_some(),
    )
    .await?;
    render(&page)
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (activity, target) = target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let office = activity.office_id.to_string();
    let f = FormView::with_defaults(&[
        ("name", &activity.name),
        ("description", &activity.description),
        ("sector", &activity.sector),
        ("office_id", &office),
    ]);
    let page = FormPage {
        f,
        id: Some(id),
        sectors: sectors(&ctx),
        offices: office_options(&state, &ctx).await?,
        c: ctx,
    };
    render(&page)
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (activity, target) = target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let mut f = FormView::new(pairs);
    let form: ActivityForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        // Moving an activity to another office is an advisor's decision.
        Ok(changed)
            if changed.office_id != activity.office_id && !ctx.may(Action::Decide, target) =>
        {
            FieldErrors::single("office_id", "office-not-yours")
        }
        Ok(changed) => match state
            .store
            .update_activity(&ctx.audit(), id, &changed)
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/activities/{id}?saved=1"))),
            Err(StoreError::NotFound) => FieldErrors::single("office_id", "required"),
            Err(e) => field_errors_of(e)?,
        },
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let page = FormPage {
        f,
        id: Some(id),
        sectors: sectors(&ctx),
        offices: office_options(&state, &ctx).await?,
        c: ctx,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize)]
pub struct DecisionForm {
    event: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let (_, target) = target(&state, &ctx, id).await?;
    ctx.authorize(Action::Decide, target)?;
    let event = ActivityEvent::parse(&form.event).ok_or(AppError::NotFound)?;
    match state
        .store
        .change_activity_status(&ctx.audit(), id, event)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/activities/{id}?saved=1"))),
        Err(StoreError::Conflict(_)) => {
            let (activity, target) = self::target(&state, &ctx, id).await?;
            let mut f = FormView::default();
            f.add_errors(
                &FieldErrors::single("event", "transition-refused"),
                ctx.lang,
            );
            let page = show_page(&state, ctx, activity, target, f, false).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RateForm {
    #[serde(default)]
    rate: String,
}

pub async fn set_rate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<RateForm>,
) -> Result<Response, AppError> {
    let (activity, target) = target(&state, &ctx, id).await?;
    ctx.authorize(Action::Decide, target)?;
    let rate = match form.rate.trim() {
        "" => Ok(None),
        typed => parse_rate_percent(typed).map(Some).ok_or(()),
    };
    match rate {
        Ok(rate) => {
            state
                .store
                .set_activity_contribution_rate(&ctx.audit(), id, rate)
                .await?;
            Ok(see_other(&format!("/activities/{id}?saved=1")))
        }
        Err(()) => {
            let mut f = FormView::with_defaults(&[("rate", &form.rate)]);
            f.add_errors(&FieldErrors::single("rate", "rate"), ctx.lang);
            let page = show_page(&state, ctx, activity, target, f, false).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[derive(Deserialize)]
pub struct HolderForm {
    #[serde(default)]
    email: String,
}

/// Adds a co-holder by the e-mail of their member account.
pub async fn add_holder(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<HolderForm>,
) -> Result<Response, AppError> {
    let (activity, target) = target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let mut errors = FieldErrors::new();
    let email = errors.email("holder_email", &form.email);
    if errors.is_empty() {
        let account = state.store.account_by_email(&email).await?;
        let member = match &account {
            Some(a) => state
                .store
                .account_roles(a.id)
                .await?
                .iter()
                .any(|g| g.role == Role::Member),
            None => false,
        };
        match account.filter(|_| member) {
            None => errors.add("holder_email", "not-a-member"),
            Some(account) => {
                match state
                    .store
                    .add_activity_holder(&ctx.audit(), id, account.person_id)
                    .await
                {
                    Ok(()) => return Ok(see_other(&format!("/activities/{id}?saved=1"))),
                    Err(StoreError::Duplicate { .. }) => {
                        errors.add("holder_email", "already-holder")
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    let mut f = FormView::with_defaults(&[("holder_email", &form.email)]);
    f.add_errors(&errors, ctx.lang);
    let page = show_page(&state, ctx, activity, target, f, false).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
