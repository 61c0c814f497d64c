//! The school of cooperation (C13), `/school`: the year's programme of workshops, the
//! upcoming sessions with their places left, registration (or the waiting list) and
//! cancellation, "my registrations"; for the participation staff, the forms to add
//! workshops and sessions, a session's list of registered and its attendance.
//!
//! Policy: `Target::CooperativeLife` — members (usage contract accepted) and staff list and
//! register themselves (`Create`); the participation staff and administrators keep the
//! programme (`Update`). A session's list of registered is theirs only. The API
//! (`api/school.rs`) shares [`registrant`] and [`brussels_now`].

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use jiff::civil::DateTime;
use ruche_domain::Role;
use ruche_domain::policy::{Action, Target};
use ruche_domain::school::{
    Attendance, Audience, SessionForm, SessionStatus, WorkshopForm, WorkshopTheme,
};
use ruche_domain::validate::FieldErrors;
use ruche_store::school::{
    Registrant, RegistrationRecord, SessionFilter, SessionRecord, WorkshopRecord,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/school", get(home))
        .route("/school/workshops/new", get(new_workshop))
        .route("/school/workshops", post(create_workshop))
        .route("/school/sessions/new", get(new_session))
        .route("/school/sessions", post(create_session))
        .route("/school/sessions/{id}", get(show))
        .route("/school/sessions/{id}/register", post(register))
        .route("/school/sessions/{id}/cancel", post(cancel))
        .route("/school/sessions/{id}/attendance", post(attendance))
        .route("/school/sessions/{id}/cancel-session", post(cancel_session))
}

/// Sessions per page.
const PER_PAGE: i64 = 20;

// ----------------------------------------------------------------------- shared logic

/// Brussels wall-clock time now, and the same instant in Unix microseconds.
pub fn brussels_now() -> (DateTime, i64) {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    let now = jiff::Timestamp::now();
    (now.to_zoned(tz).datetime(), now.as_microsecond())
}

/// The user as a registrant: a member, and/or on the staff.
pub fn registrant(user: &CurrentUser) -> Registrant {
    Registrant {
        person_id: user.person.id,
        member: user.actor.has(Role::Member),
        staff: user.actor.is_staff(),
    }
}

fn lang(ctx: &RequestCtx) -> &'static str {
    ctx.lang_code()
}

/// A session as the pages show it, in the reader's language.
pub struct SessionView {
    pub s: SessionRecord,
    pub title: String,
    /// The reader's registration, when active.
    pub mine: Option<RegistrationRecord>,
    /// Registration (or cancellation) still possible.
    pub open: bool,
}

impl SessionView {
    fn new(
        s: SessionRecord,
        ctx: &RequestCtx,
        mine: Option<RegistrationRecord>,
        now: DateTime,
    ) -> Self {
        SessionView {
            title: s.title(lang(ctx)).to_string(),
            open: s.open_at(now),
            mine,
            s,
        }
    }

    pub fn is_full(&self) -> bool {
        self.s.places_left() == 0
    }
}

fn options(ctx: &RequestCtx, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|code| (code.to_string(), ctx.t_of(prefix, code)))
        .collect()
}

// --------------------------------------------------------------------------- the school

#[derive(Template)]
#[template(path = "school.html")]
struct HomePage {
    c: RequestCtx,
    year: i16,
    years: Vec<i16>,
    workshops: Vec<WorkshopRecord>,
    upcoming: Vec<SessionView>,
    pager: Page<SessionRecord>,
    mine: Vec<SessionView>,
    staff: bool,
    notice: Option<String>,
    f: FormView,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    year: Option<i16>,
    page: Option<i64>,
    done: Option<String>,
}

async fn home_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &HomeQuery,
    f: FormView,
) -> Result<HomePage, AppError> {
    let user = ctx.authorize(Action::List, Target::CooperativeLife)?;
    let person_id = user.person.id;
    let today = today();
    let this_year = today.year();
    let year = q
        .year
        .filter(|y| (this_year - 5..=this_year + 1).contains(y))
        .unwrap_or(this_year);
    let (now, _) = brussels_now();
    let workshops = state.store.school_workshops(year).await?;
    let pager = state
        .store
        .school_sessions(
            &SessionFilter {
                from: Some(today),
                status: Some(SessionStatus::Planned),
                ..SessionFilter::default()
            },
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let registrations = state
        .store
        .person_school_registrations(person_id, Some(today))
        .await?;
    let mut upcoming = Vec::with_capacity(pager.items.len());
    for s in &pager.items {
        let mine = registrations
            .iter()
            .find(|(m, _)| m.id == s.id)
            .map(|(_, r)| r.clone());
        upcoming.push(SessionView::new(s.clone(), &ctx, mine, now));
    }
    let mine = registrations
        .into_iter()
        .map(|(s, r)| SessionView::new(s, &ctx, Some(r), now))
        .collect();
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["registered", "waiting", "cancelled", "workshop", "session"].contains(d))
        .map(|d| ctx.t_of("school-done-", d));
    Ok(HomePage {
        staff: ctx.may(Action::Update, Target::CooperativeLife),
        years: (this_year - 2..=this_year + 1).rev().collect(),
        base: format!("/school?year={year}&"),
        year,
        workshops,
        upcoming,
        pager,
        mine,
        notice,
        f,
        c: ctx,
    })
}

pub async fn home(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<HomeQuery>,
) -> Result<Response, AppError> {
    render(&home_page(&state, ctx, &q, FormView::default()).await?)
}

/// The school's page again with a refusal under the session's buttons (422).
async fn refused_home(
    state: &AppState,
    ctx: RequestCtx,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let mut f = FormView::default();
    f.add_errors(errors, ctx.lang);
    let page = home_page(state, ctx, &HomeQuery::default(), f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct BackQuery {
    /// `session`: back to the session's page rather than the school's.
    back: Option<String>,
}

pub async fn register(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<BackQuery>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::CooperativeLife)?;
    let (now, at) = brussels_now();
    match state
        .store
        .register_for_school_session(&ctx.audit(), id, registrant(user), now, at)
        .await
    {
        Ok(r) => {
            let done = if r.status == "waiting" {
                "waiting"
            } else {
                "registered"
            };
            Ok(see_other(&back(&q, id, done)))
        }
        Err(StoreError::Refused(errors)) => refused_home(&state, ctx, &errors).await,
        Err(e) => Err(e.into()),
    }
}

fn back(q: &BackQuery, id: i64, done: &str) -> String {
    if q.back.as_deref() == Some("session") {
        format!("/school/sessions/{id}?done={done}")
    } else {
        format!("/school?done={done}#school-mine")
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<BackQuery>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::CooperativeLife)?;
    let (now, at) = brussels_now();
    match state
        .store
        .cancel_school_registration(&ctx.audit(), id, user.person.id, now, at)
        .await
    {
        Ok(_) => Ok(see_other(&back(&q, id, "cancelled"))),
        Err(StoreError::Refused(errors)) => refused_home(&state, ctx, &errors).await,
        Err(e) => Err(e.into()),
    }
}

// ----------------------------------------------------------------------- the staff forms

#[derive(Template)]
#[template(path = "school_workshop_form.html")]
struct WorkshopFormPage {
    c: RequestCtx,
    f: FormView,
    themes: Vec<(String, String)>,
    audiences: Vec<(String, String)>,
}

fn workshop_form_page(ctx: RequestCtx, f: FormView) -> WorkshopFormPage {
    let themes: Vec<&str> = WorkshopTheme::ALL.iter().map(|t| t.code()).collect();
    let audiences: Vec<&str> = Audience::ALL.iter().map(|a| a.code()).collect();
    WorkshopFormPage {
        themes: options(&ctx, "school-theme-", &themes),
        audiences: options(&ctx, "school-audience-", &audiences),
        f,
        c: ctx,
    }
}

pub async fn new_workshop(ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let year = today().year().to_string();
    let f = FormView::with_defaults(&[("school_year", &year), ("school_audience", "both")]);
    render(&workshop_form_page(ctx, f))
}

pub async fn create_workshop(
    State(state): State<AppState>,
    ctx: RequestCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let mut f = FormView::new(pairs);
    let form: WorkshopForm = f.decode().map_err(AppError::Internal)?;
    match form.parse(today()) {
        Ok(new) => {
            let w = state
                .store
                .create_school_workshop(&ctx.audit(), &new)
                .await?;
            Ok(see_other(&format!("/school?year={}&done=workshop", w.year)))
        }
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &workshop_form_page(ctx, f),
            )
        }
    }
}

#[derive(Template)]
#[template(path = "school_session_form.html")]
struct SessionFormPage {
    c: RequestCtx,
    f: FormView,
    workshops: Vec<(String, String)>,
    offices: Vec<(String, String)>,
    languages: Vec<(String, String)>,
}

async fn session_form_page(
    state: &AppState,
    ctx: RequestCtx,
    f: FormView,
) -> Result<SessionFormPage, AppError> {
    let l = lang(&ctx);
    let workshops = state
        .store
        .all_school_workshops()
        .await?
        .into_iter()
        .filter(|w| w.year >= i64::from(today().year()) - 1)
        .map(|w| (w.id.to_string(), format!("{} ({})", w.title(l), w.year)))
        .collect();
    let mut offices = vec![(String::new(), ctx.t("school-online"))];
    offices.extend(
        state
            .store
            .all_offices()
            .await?
            .into_iter()
            .map(|o| (o.id.to_string(), o.name)),
    );
    Ok(SessionFormPage {
        languages: options(&ctx, "school-language-", &["fr", "nl", "en"]),
        workshops,
        offices,
        f,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct NewSessionQuery {
    workshop: Option<i64>,
}

pub async fn new_session(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<NewSessionQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let workshop = q.workshop.map(|w| w.to_string()).unwrap_or_default();
    let f = FormView::with_defaults(&[
        ("school_workshop", &workshop),
        ("school_start", "09:30"),
        ("school_end", "12:00"),
        ("school_language", ctx.lang_code()),
        ("school_capacity", "15"),
        ("school_waiting_list", "on"),
    ]);
    render(&session_form_page(&state, ctx, f).await?)
}

pub async fn create_session(
    State(state): State<AppState>,
    ctx: RequestCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let mut f = FormView::new(pairs);
    let form: SessionForm = f.decode().map_err(AppError::Internal)?;
    let workshop = f.value("school_workshop").trim().parse::<i64>().ok();
    let parsed = match workshop {
        Some(w) => form.parse(w, today()),
        None => {
            let mut e = form.parse(0, today()).err().unwrap_or_default();
            e.add("school_workshop", "required");
            Err(e)
        }
    };
    let outcome = match parsed {
        Ok(new) => match state.store.create_school_session(&ctx.audit(), &new).await {
            Ok(s) => {
                return Ok(see_other(&format!(
                    "/school/sessions/{}?done=session",
                    s.id
                )));
            }
            Err(StoreError::Refused(errors)) => errors,
            Err(StoreError::NotFound) => FieldErrors::single("school_workshop", "required"),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    f.add_errors(&outcome, ctx.lang);
    let page = session_form_page(&state, ctx, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// --------------------------------------------------------------------------- a session

#[derive(Template)]
#[template(path = "school_session.html")]
struct SessionPage {
    c: RequestCtx,
    v: SessionView,
    description: String,
    staff: bool,
    registrations: Vec<RegistrationRecord>,
    attendance_open: bool,
    notice: Option<String>,
    f: FormView,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
}

async fn session_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    notice: Option<String>,
    f: FormView,
) -> Result<SessionPage, AppError> {
    let user = ctx.authorize(Action::View, Target::CooperativeLife)?;
    let s = state.store.school_session(id).await?;
    let workshop = state.store.school_workshop(s.workshop_id).await?;
    let mine = state
        .store
        .school_registration_of(id, user.person.id)
        .await?
        .filter(RegistrationRecord::is_active);
    let staff = ctx.may(Action::Update, Target::CooperativeLife);
    let registrations = if staff {
        state.store.school_session_registrations(id).await?
    } else {
        Vec::new()
    };
    let (now, _) = brussels_now();
    let attendance_open = staff
        && s.status != SessionStatus::Cancelled.code()
        && s.starts()
            .is_ok_and(|start| ruche_domain::school::attendance_open(start, now));
    Ok(SessionPage {
        description: workshop.description(lang(&ctx)).to_string(),
        v: SessionView::new(s, &ctx, mine, now),
        staff,
        registrations,
        attendance_open,
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
                "registered",
                "waiting",
                "cancelled",
                "session",
                "attendance",
                "cancel-session",
            ]
            .contains(d)
        })
        .map(|d| ctx.t_of("school-done-", d));
    render(&session_page(&state, ctx, id, notice, FormView::default()).await?)
}

/// The attendance form: `attendance_<registration id>` = `attended` | `absent`.
pub async fn attendance(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    let mut marks = Vec::new();
    for (k, v) in &pairs {
        if let Some(reg) = k.strip_prefix("attendance_") {
            let (Ok(reg), Some(a)) = (reg.parse::<i64>(), Attendance::parse(v)) else {
                continue;
            };
            marks.push((reg, a));
        }
    }
    let (now, _) = brussels_now();
    match state
        .store
        .record_school_attendance(&ctx.audit(), id, &marks, now)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/school/sessions/{id}?done=attendance"))),
        Err(StoreError::Refused(errors)) => {
            let mut f = FormView::default();
            f.add_errors(&errors, ctx.lang);
            let page = session_page(&state, ctx, id, None, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn cancel_session(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::CooperativeLife)?;
    match state.store.cancel_school_session(&ctx.audit(), id).await {
        Ok(_) => Ok(see_other(&format!(
            "/school/sessions/{id}?done=cancel-session"
        ))),
        Err(StoreError::Refused(errors)) => {
            let mut f = FormView::default();
            f.add_errors(&errors, ctx.lang);
            let page = session_page(&state, ctx, id, None, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}
