//! Prevention and diversity (C15): the prevention adviser's dashboard, the incident and
//! work-accident register, the risk sheets, the prevention actions, the committee's meetings,
//! the health-surveillance planning and the diversity plan.
//!
//! The register holds health data (`Target::Prevention`): it is listed, read and edited by
//! the prevention staff and the administrators only. Any staff member may report an incident
//! at `/prevention/incidents/new`; the report goes to the prevention adviser and the reporter
//! does not see the register. The API (`api/prevention.rs`) shares [`report`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::Date;
use ruche_domain::policy::{Action, Target};
use ruche_domain::prevention::{
    ActionOrigin, ActionPlan, ActionStatus, DiversityActionForm, DiversityAxis, FollowUpForm,
    HealthCheckForm, HealthCheckKind, IncidentForm, IncidentNature, IncidentStatus, Job,
    MeetingForm, PreventionActionForm, RiskScope, RiskSheetForm, Severity, months_without_meeting,
    parse_done_on, parse_review, parse_status_change,
};
use ruche_domain::validate::FieldErrors;
use ruche_store::prevention::{
    ActionFilter, DiversityActionRecord, FollowUpRecord, HealthCheckRecord, IncidentFilter,
    IncidentRecord, MeetingRecord, PreventionActionRecord, RiskReviewRecord, RiskSheetRecord,
};
use ruche_store::{AuditContext, Page, PageRequest, StoreError, now_micros};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/prevention", get(dashboard))
        .route(
            "/prevention/incidents",
            get(incidents).post(create_incident),
        )
        .route("/prevention/incidents/new", get(new_incident))
        .route(
            "/prevention/incidents/{id}",
            get(show_incident).post(update_incident),
        )
        .route("/prevention/incidents/{id}/followups", post(add_followup))
        .route(
            "/prevention/incidents/{id}/followups/{followup}/done",
            post(complete_followup),
        )
        .route("/prevention/incidents/{id}/close", post(close_incident))
        .route("/prevention/incidents/{id}/reopen", post(reopen_incident))
        .route("/prevention/risks", get(risks).post(create_risk))
        .route("/prevention/risks/{id}", get(show_risk))
        .route("/prevention/risks/{id}/review", post(review_risk))
        .route("/prevention/actions", get(actions).post(create_action))
        .route("/prevention/actions/{id}/status", post(change_action))
        .route("/prevention/committee", get(committee).post(create_meeting))
        .route("/prevention/committee/{id}", get(show_meeting))
        .route("/prevention/health", get(health).post(create_check))
        .route("/prevention/health/{id}/done", post(complete_check))
        .route(
            "/prevention/diversity",
            get(diversity).post(create_diversity),
        )
        .route("/prevention/diversity/{id}/status", post(change_diversity))
}

/// Rows per page.
const PER_PAGE: i64 = 25;

type Pairs = Form<Vec<(String, String)>>;
type Options = Vec<(String, String)>;

// ----------------------------------------------------------------------- shared logic

fn options(ctx: &RequestCtx, prefix: &str, codes: &[&str], any: Option<&str>) -> Options {
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

/// The store's refusals as field errors (`Ok`), anything else as an error page.
fn refusal(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(errors) => Ok(errors),
        StoreError::Conflict(code) => Ok(FieldErrors::single("prv_decision", code)),
        other => Err(other.into()),
    }
}

fn status_of(errors: &FieldErrors) -> StatusCode {
    if errors.get("prv_decision").is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Reports an incident from its form on `today` (the caller checked the policy).
/// `Ok(Err(errors))` names each refused field; nothing is written then.
pub async fn report(
    state: &AppState,
    form: &IncidentForm,
    audit: &AuditContext,
) -> Result<Result<IncidentRecord, FieldErrors>, AppError> {
    let input = match form.parse(today()) {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    match state
        .store
        .report_incident(audit, &input, now_micros())
        .await
    {
        Ok(r) => Ok(Ok(r)),
        Err(e) => refusal(e).map(Err),
    }
}

async fn people(state: &AppState, ctx: &RequestCtx, none_key: &str) -> Result<Options, AppError> {
    let mut out = vec![(String::new(), ctx.t(none_key))];
    out.extend(
        state
            .store
            .prevention_people()
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name)),
    );
    Ok(out)
}

async fn offices(state: &AppState, ctx: &RequestCtx) -> Result<Options, AppError> {
    let mut out = vec![(String::new(), ctx.t("prv-office-none"))];
    out.extend(
        state
            .store
            .offices(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
            .await?
            .items
            .into_iter()
            .map(|o| (o.id.to_string(), o.name)),
    );
    Ok(out)
}

fn day_of(s: &str) -> Option<Date> {
    s.parse::<Date>().ok()
}

// ------------------------------------------------------------------------ the dashboard

#[derive(Template)]
#[template(path = "prevention.html")]
struct DashboardPage {
    c: RequestCtx,
    tab: &'static str,
    open_incidents: i64,
    overdue_declarations: Vec<IncidentRow>,
    due_declarations: Vec<IncidentRow>,
    overdue_reviews: Vec<RiskSheetRecord>,
    overdue_checks: Vec<HealthCheckRecord>,
    actions_due: Vec<ActionRow>,
    /// Months of the last twelve without a committee meeting, as `MM/YYYY`.
    months_missing: Vec<String>,
}

/// An entry of the register with its declaration's state.
pub struct IncidentRow {
    pub r: IncidentRecord,
    pub declaration: &'static str,
    pub deadline: Option<String>,
}

fn incident_row(r: IncidentRecord, today: Date) -> Result<IncidentRow, AppError> {
    let d = r.declaration(today)?;
    Ok(IncidentRow {
        declaration: d.code(),
        deadline: d.deadline().map(|x| x.to_string()),
        r,
    })
}

pub struct ActionRow {
    pub a: PreventionActionRecord,
    pub overdue: bool,
    pub open: bool,
    pub may_start: bool,
}

fn action_row(a: PreventionActionRecord, today: Date) -> ActionRow {
    let status = ActionStatus::parse(&a.status);
    ActionRow {
        overdue: a.overdue(today),
        open: status.is_some_and(ActionStatus::is_open),
        may_start: status == Some(ActionStatus::Planned),
        a,
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: RequestCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Prevention)?;
    let today = today();
    let d = state.store.prevention_dashboard(today).await?;
    let from = today
        .checked_sub(jiff::Span::new().months(11))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // The current month counts once it is over: a meeting may still come.
    let last = today
        .first_of_month()
        .yesterday()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let months_missing = months_without_meeting(&d.meetings_held, from, last)
        .into_iter()
        .map(|(y, m)| format!("{m:02}/{y}"))
        .collect();
    let rows = |list: Vec<IncidentRecord>| -> Result<Vec<IncidentRow>, AppError> {
        list.into_iter().map(|r| incident_row(r, today)).collect()
    };
    render(&DashboardPage {
        tab: "dashboard",
        open_incidents: d.open_incidents,
        overdue_declarations: rows(d.overdue_declarations)?,
        due_declarations: rows(d.due_declarations)?,
        overdue_reviews: d.overdue_reviews,
        overdue_checks: d.overdue_checks,
        actions_due: d
            .actions_due
            .into_iter()
            .map(|a| action_row(a, today))
            .collect(),
        months_missing,
        c: ctx,
    })
}

// ------------------------------------------------------------------------ the register

#[derive(Template)]
#[template(path = "prevention_incidents.html")]
struct IncidentsPage {
    c: RequestCtx,
    tab: &'static str,
    rows: Vec<IncidentRow>,
    page: Page<()>,
    f: FormView,
    statuses: Options,
    natures: Options,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct IncidentsQuery {
    page: Option<i64>,
    status: Option<String>,
    nature: Option<String>,
    year: Option<String>,
    undeclared: Option<String>,
}

pub async fn incidents(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<IncidentsQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Prevention)?;
    let year = q.year.as_deref().and_then(|y| y.trim().parse::<i16>().ok());
    let undeclared = q.undeclared.as_deref() == Some("1");
    let filter = IncidentFilter {
        status: q.status.as_deref().and_then(IncidentStatus::parse),
        nature: q.nature.as_deref().and_then(IncidentNature::parse),
        year: year.filter(|y| (1900..=2998).contains(y)),
        undeclared,
    };
    let list = state
        .store
        .incidents(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let today = today();
    let page = Page {
        items: Vec::new(),
        total: list.total,
        page: list.page,
        per_page: list.per_page,
    };
    let rows = list
        .items
        .into_iter()
        .map(|r| incident_row(r, today))
        .collect::<Result<_, _>>()?;
    let f = FormView::new(vec![
        ("status".into(), q.status.clone().unwrap_or_default()),
        ("nature".into(), q.nature.clone().unwrap_or_default()),
        ("year".into(), q.year.clone().unwrap_or_default()),
        (
            "undeclared".into(),
            if undeclared {
                "1".into()
            } else {
                String::new()
            },
        ),
    ]);
    let base = format!(
        "/prevention/incidents?status={}&nature={}&year={}&undeclared={}&",
        f.value("status"),
        f.value("nature"),
        f.value("year"),
        f.value("undeclared")
    );
    render(&IncidentsPage {
        tab: "incidents",
        statuses: options(
            &ctx,
            "prv-status-",
            &IncidentStatus::codes(),
            Some("prv-any"),
        ),
        natures: options(
            &ctx,
            "prv-nature-",
            &IncidentNature::codes(),
            Some("prv-any"),
        ),
        rows,
        page,
        f,
        base,
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "prevention_incident_new.html")]
struct NewIncidentPage {
    c: RequestCtx,
    f: FormView,
    natures: Options,
    severities: Options,
    people: Options,
    offices: Options,
    /// The reporter is prevention staff: the register opens after the report.
    reads_register: bool,
    sent: bool,
}

async fn new_incident_page(
    state: &AppState,
    ctx: RequestCtx,
    f: FormView,
    sent: bool,
) -> Result<NewIncidentPage, AppError> {
    Ok(NewIncidentPage {
        natures: options(&ctx, "prv-nature-", &IncidentNature::codes(), None),
        severities: options(&ctx, "prv-severity-", &Severity::codes(), None),
        people: people(state, &ctx, "prv-person-none").await?,
        offices: offices(state, &ctx).await?,
        reads_register: ctx.may(Action::List, Target::Prevention),
        sent,
        f,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct SentQuery {
    sent: Option<String>,
}

pub async fn new_incident(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<SentQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Prevention)?;
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    let now = jiff::Timestamp::now().to_zoned(tz);
    let f = FormView::with_defaults(&[
        ("prv_date", &today().to_string()),
        (
            "prv_time",
            &format!("{:02}:{:02}", now.hour(), now.minute()),
        ),
        ("prv_nature", "incident"),
        ("prv_severity", "none"),
        ("prv_days_lost", "0"),
    ]);
    render(&new_incident_page(&state, ctx, f, q.sent.is_some()).await?)
}

pub async fn create_incident(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: IncidentForm = f.decode().map_err(AppError::Internal)?;
    match report(&state, &form, &ctx.audit()).await? {
        Ok(r) if ctx.may(Action::View, Target::Prevention) => Ok(see_other(&format!(
            "/prevention/incidents/{}?saved=1",
            r.id
        ))),
        Ok(_) => Ok(see_other("/prevention/incidents/new?sent=1")),
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            let page = new_incident_page(&state, ctx, f, false).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "prevention_incident.html")]
struct IncidentPage {
    c: RequestCtx,
    i: IncidentRow,
    followups: Vec<FollowUpRecord>,
    f: FormView,
    natures: Options,
    severities: Options,
    people: Options,
    offices: Options,
    open: bool,
    notice: Option<String>,
    today: String,
}

async fn incident_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: Option<FormView>,
    notice: Option<String>,
) -> Result<IncidentPage, AppError> {
    let r = state.store.incident(id).await?;
    let followups = state.store.incident_followups(id).await?;
    let today = today();
    let f = f.unwrap_or_else(|| {
        FormView::new(vec![
            ("prv_date".into(), r.occurred_on.clone()),
            ("prv_time".into(), r.occurred_time.clone()),
            (
                "prv_office".into(),
                r.office_id.map(|x| x.to_string()).unwrap_or_default(),
            ),
            ("prv_place".into(), r.place.clone().unwrap_or_default()),
            (
                "prv_person".into(),
                r.person_id.map(|x| x.to_string()).unwrap_or_default(),
            ),
            ("prv_nature".into(), r.nature.clone()),
            ("prv_severity".into(), r.severity.clone()),
            ("prv_injury".into(), r.injury.clone().unwrap_or_default()),
            (
                "prv_witnesses".into(),
                r.witnesses.clone().unwrap_or_default(),
            ),
            (
                "prv_measures".into(),
                r.measures.clone().unwrap_or_default(),
            ),
            ("prv_days_lost".into(), r.days_lost.to_string()),
            (
                "prv_declared_on".into(),
                r.declared_on.clone().unwrap_or_default(),
            ),
            ("prv_closed_on".into(), today.to_string()),
            ("prv_done_on".into(), today.to_string()),
        ])
    });
    Ok(IncidentPage {
        open: r.status()? == IncidentStatus::Open,
        i: incident_row(r, today)?,
        followups,
        natures: options(&ctx, "prv-nature-", &IncidentNature::codes(), None),
        severities: options(&ctx, "prv-severity-", &Severity::codes(), None),
        people: people(state, &ctx, "prv-person-none").await?,
        offices: offices(state, &ctx).await?,
        notice,
        today: today.to_string(),
        f,
        c: ctx,
    })
}

async fn incident_refused(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    mut f: FormView,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    f.add_errors(errors, ctx.lang);
    let status = status_of(errors);
    let page = incident_page(state, ctx, id, Some(f), None).await?;
    render_status(status, &page)
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    saved: Option<String>,
}

pub async fn show_incident(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Prevention)?;
    let notice = q.saved.is_some().then(|| ctx.t("prv-saved"));
    render(&incident_page(&state, ctx, id, None, notice).await?)
}

pub async fn update_incident(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let f = FormView::new(pairs);
    let form: IncidentForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse(today()) {
        Ok(input) => match state
            .store
            .update_incident(&ctx.audit(), id, &input, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/prevention/incidents/{id}?saved=1"))),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    incident_refused(&state, ctx, id, f, &errors).await
}

pub async fn add_followup(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let f = FormView::new(pairs);
    let form: FollowUpForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(input) => match state
            .store
            .add_incident_followup(&ctx.audit(), id, &input, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/prevention/incidents/{id}?saved=1"))),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    incident_refused(&state, ctx, id, f, &errors).await
}

#[derive(Deserialize, Default)]
struct DoneForm {
    #[serde(default)]
    prv_done_on: String,
}

pub async fn complete_followup(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((id, followup)): Path<(i64, i64)>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let f = FormView::new(pairs);
    let form: DoneForm = f.decode().map_err(AppError::Internal)?;
    let incident = state.store.incident(id).await?;
    let errors = match parse_done_on(
        "prv_done_on",
        &form.prv_done_on,
        day_of(&incident.occurred_on),
        today(),
    ) {
        Ok(d) => match state
            .store
            .complete_incident_followup(&ctx.audit(), id, followup, d, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/prevention/incidents/{id}?saved=1"))),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    incident_refused(&state, ctx, id, f, &errors).await
}

#[derive(Deserialize, Default)]
struct CloseForm {
    #[serde(default)]
    prv_closed_on: String,
}

pub async fn close_incident(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Prevention)?;
    let f = FormView::new(pairs);
    let form: CloseForm = f.decode().map_err(AppError::Internal)?;
    let errors = match parse_done_on("prv_closed_on", &form.prv_closed_on, None, today()) {
        Ok(d) => match state
            .store
            .close_incident(&ctx.audit(), id, d, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/prevention/incidents/{id}?saved=1"))),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    incident_refused(&state, ctx, id, f, &errors).await
}

pub async fn reopen_incident(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Prevention)?;
    match state
        .store
        .reopen_incident(&ctx.audit(), id, now_micros())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/prevention/incidents/{id}?saved=1"))),
        Err(e) => {
            let errors = refusal(e)?;
            incident_refused(&state, ctx, id, FormView::default(), &errors).await
        }
    }
}

// ------------------------------------------------------------------------ risk sheets

pub struct SheetRow {
    pub s: RiskSheetRecord,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "prevention_risks.html")]
struct RisksPage {
    c: RequestCtx,
    tab: &'static str,
    rows: Vec<SheetRow>,
    page: Page<()>,
    f: FormView,
    scopes: Options,
    jobs: Options,
    offices: Options,
    scale: Options,
    base: String,
    overdue_only: bool,
}

#[derive(Deserialize, Default)]
pub struct RisksQuery {
    page: Option<i64>,
    overdue: Option<String>,
}

async fn risks_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &RisksQuery,
    f: FormView,
) -> Result<RisksPage, AppError> {
    let today = today();
    let overdue_only = q.overdue.as_deref() == Some("1");
    let list = state
        .store
        .risk_sheets(
            None,
            overdue_only.then_some(today),
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let page = Page {
        items: Vec::new(),
        total: list.total,
        page: list.page,
        per_page: list.per_page,
    };
    Ok(RisksPage {
        tab: "risks",
        rows: list
            .items
            .into_iter()
            .map(|s| SheetRow {
                overdue: s.review_overdue(today),
                s,
            })
            .collect(),
        page,
        scopes: options(&ctx, "prv-scope-", &RiskScope::codes(), None),
        jobs: options(&ctx, "prv-job-", &Job::codes(), Some("prv-none")),
        offices: offices(state, &ctx).await?,
        scale: (1..=4).map(|n| (n.to_string(), n.to_string())).collect(),
        base: format!(
            "/prevention/risks?overdue={}&",
            if overdue_only { "1" } else { "" }
        ),
        overdue_only,
        f,
        c: ctx,
    })
}

pub async fn risks(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<RisksQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Prevention)?;
    let today = today();
    let next = today
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(today);
    let f = FormView::with_defaults(&[
        ("prv_scope", "job"),
        ("prv_probability", "2"),
        ("prv_gravity", "2"),
        ("prv_reviewed_on", &today.to_string()),
        ("prv_next_review", &next.to_string()),
    ]);
    render(&risks_page(&state, ctx, &q, f).await?)
}

pub async fn create_risk(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: RiskSheetForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse(today()) {
        Ok(input) => match state
            .store
            .create_risk_sheet(&ctx.audit(), &input, now_micros())
            .await
        {
            Ok(s) => return Ok(see_other(&format!("/prevention/risks/{}?saved=1", s.id))),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = risks_page(&state, ctx, &RisksQuery::default(), f).await?;
    render_status(status_of(&errors), &page)
}

#[derive(Template)]
#[template(path = "prevention_risk.html")]
struct RiskPage {
    c: RequestCtx,
    s: RiskSheetRecord,
    overdue: bool,
    reviews: Vec<RiskReviewRecord>,
    actions: Vec<PreventionActionRecord>,
    f: FormView,
    notice: Option<String>,
}

async fn risk_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: Option<FormView>,
    notice: Option<String>,
) -> Result<RiskPage, AppError> {
    let s = state.store.risk_sheet(id).await?;
    let today = today();
    let reviews = state.store.risk_sheet_reviews(id).await?;
    let actions = state
        .store
        .prevention_actions(&ActionFilter::default(), PageRequest::new(1, 200))
        .await?
        .items
        .into_iter()
        .filter(|a| a.risk_sheet_id == Some(id))
        .collect();
    let next = today
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(today);
    let f = f.unwrap_or_else(|| {
        FormView::with_defaults(&[
            ("prv_reviewed_on", &today.to_string()),
            ("prv_next_review", &next.to_string()),
        ])
    });
    Ok(RiskPage {
        overdue: s.review_overdue(today),
        s,
        reviews,
        actions,
        f,
        notice,
        c: ctx,
    })
}

pub async fn show_risk(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Prevention)?;
    let notice = q.saved.is_some().then(|| ctx.t("prv-saved"));
    render(&risk_page(&state, ctx, id, None, notice).await?)
}

#[derive(Deserialize, Default)]
struct ReviewForm {
    #[serde(default)]
    prv_reviewed_on: String,
    #[serde(default)]
    prv_next_review: String,
}

pub async fn review_risk(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: ReviewForm = f.decode().map_err(AppError::Internal)?;
    let errors = match parse_review(&form.prv_reviewed_on, &form.prv_next_review, today()) {
        Ok((r, n)) => match state
            .store
            .review_risk_sheet(&ctx.audit(), id, r, n, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/prevention/risks/{id}?saved=1"))),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let status = status_of(&errors);
    let page = risk_page(&state, ctx, id, Some(f), None).await?;
    render_status(status, &page)
}

// -------------------------------------------------------------------- prevention actions

#[derive(Template)]
#[template(path = "prevention_actions.html")]
struct ActionsPage {
    c: RequestCtx,
    tab: &'static str,
    rows: Vec<ActionRow>,
    page: Page<()>,
    f: FormView,
    q_status: String,
    q_origin: String,
    statuses: Options,
    origins: Options,
    plans: Options,
    base: String,
    today: String,
}

#[derive(Deserialize, Default)]
pub struct ActionsQuery {
    page: Option<i64>,
    status: Option<String>,
    origin: Option<String>,
}

fn status_options(ctx: &RequestCtx) -> Options {
    let mut statuses = vec![
        ("open".to_string(), ctx.t("prv-action-open")),
        (String::new(), ctx.t("prv-any")),
    ];
    statuses.extend(options(ctx, "prv-action-", &ActionStatus::codes(), None));
    statuses
}

async fn actions_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &ActionsQuery,
    f: FormView,
) -> Result<ActionsPage, AppError> {
    let today = today();
    let status = q.status.clone().unwrap_or_else(|| "open".into());
    let origin = q
        .origin
        .clone()
        .filter(|o| ActionOrigin::parse(o).is_some())
        .unwrap_or_default();
    let list = state
        .store
        .prevention_actions(
            &ActionFilter {
                status: (status == "open" || ActionStatus::parse(&status).is_some())
                    .then(|| status.clone()),
                kind: Some(origin.clone()),
                ..ActionFilter::default()
            },
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let page = Page {
        items: Vec::new(),
        total: list.total,
        page: list.page,
        per_page: list.per_page,
    };
    Ok(ActionsPage {
        tab: "actions",
        rows: list
            .items
            .into_iter()
            .map(|a| action_row(a, today))
            .collect(),
        page,
        base: format!("/prevention/actions?status={status}&origin={origin}&"),
        statuses: status_options(&ctx),
        origins: options(&ctx, "prv-origin-", &ActionOrigin::codes(), Some("prv-any")),
        plans: options(&ctx, "prv-plan-", &ActionPlan::codes(), None),
        q_status: status,
        q_origin: origin,
        today: today.to_string(),
        f,
        c: ctx,
    })
}

pub async fn actions(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ActionsQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Prevention)?;
    let f = FormView::with_defaults(&[("prv_origin", "inspection"), ("prv_plan", "yearly")]);
    render(&actions_page(&state, ctx, &q, f).await?)
}

pub async fn create_action(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: PreventionActionForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(input) => match state
            .store
            .create_prevention_action(&ctx.audit(), &input, now_micros())
            .await
        {
            // A decision of the committee goes back to its meeting.
            Ok(a) => {
                return Ok(see_other(&match a.meeting_id {
                    Some(m) => format!("/prevention/committee/{m}?saved=1"),
                    None => "/prevention/actions?saved=1".to_string(),
                }));
            }
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = actions_page(&state, ctx, &ActionsQuery::default(), f).await?;
    render_status(status_of(&errors), &page)
}

#[derive(Deserialize, Default)]
struct StatusForm {
    #[serde(default)]
    prv_event: String,
    #[serde(default)]
    prv_on: String,
    #[serde(default)]
    prv_result: String,
}

pub async fn change_action(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: StatusForm = f.decode().map_err(AppError::Internal)?;
    let errors = match parse_status_change(&form.prv_event, &form.prv_on, "", false, today()) {
        Ok((event, on, _)) => match state
            .store
            .change_prevention_action(&ctx.audit(), id, event, on, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other("/prevention/actions?saved=1")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = actions_page(&state, ctx, &ActionsQuery::default(), f).await?;
    render_status(status_of(&errors), &page)
}

// ------------------------------------------------------------------------ the committee

#[derive(Template)]
#[template(path = "prevention_committee.html")]
struct CommitteePage {
    c: RequestCtx,
    tab: &'static str,
    meetings: Page<MeetingRecord>,
    f: FormView,
    base: String,
}

async fn committee_page(
    state: &AppState,
    ctx: RequestCtx,
    page: i64,
    f: FormView,
) -> Result<CommitteePage, AppError> {
    Ok(CommitteePage {
        tab: "committee",
        meetings: state
            .store
            .committee_meetings(PageRequest::new(page, PER_PAGE))
            .await?,
        base: "/prevention/committee?".into(),
        f,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct PagedQuery {
    page: Option<i64>,
    saved: Option<String>,
}

pub async fn committee(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PagedQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Prevention)?;
    let f = FormView::with_defaults(&[("prv_held_on", &today().to_string())]);
    render(&committee_page(&state, ctx, q.page.unwrap_or(1), f).await?)
}

pub async fn create_meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: MeetingForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse(today()) {
        Ok(input) => match state
            .store
            .record_committee_meeting(&ctx.audit(), &input, now_micros())
            .await
        {
            Ok(m) => {
                return Ok(see_other(&format!(
                    "/prevention/committee/{}?saved=1",
                    m.id
                )));
            }
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = committee_page(&state, ctx, 1, f).await?;
    render_status(status_of(&errors), &page)
}

#[derive(Template)]
#[template(path = "prevention_meeting.html")]
struct MeetingPage {
    c: RequestCtx,
    meeting: MeetingRecord,
    actions: Vec<ActionRow>,
    f: FormView,
    plans: Options,
    notice: Option<String>,
}

pub async fn show_meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<PagedQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Prevention)?;
    let m = state.store.committee_meeting(id).await?;
    let today = today();
    let actions = state
        .store
        .prevention_actions(
            &ActionFilter {
                meeting_id: Some(id),
                ..ActionFilter::default()
            },
            PageRequest::new(1, 200),
        )
        .await?
        .items
        .into_iter()
        .map(|a| action_row(a, today))
        .collect();
    let f = FormView::with_defaults(&[
        ("prv_origin", "committee"),
        ("prv_plan", "yearly"),
        ("prv_meeting", &id.to_string()),
    ]);
    render(&MeetingPage {
        notice: q.saved.is_some().then(|| ctx.t("prv-saved")),
        plans: options(&ctx, "prv-plan-", &ActionPlan::codes(), None),
        meeting: m,
        actions,
        f,
        c: ctx,
    })
}

// ------------------------------------------------------------------ health surveillance

pub struct CheckRow {
    pub h: HealthCheckRecord,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "prevention_health.html")]
struct HealthPage {
    c: RequestCtx,
    tab: &'static str,
    rows: Vec<CheckRow>,
    page: Page<()>,
    f: FormView,
    show: String,
    kinds: Options,
    people: Options,
    base: String,
    today: String,
}

#[derive(Deserialize, Default)]
pub struct HealthQuery {
    page: Option<i64>,
    show: Option<String>,
}

async fn health_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &HealthQuery,
    f: FormView,
) -> Result<HealthPage, AppError> {
    let today = today();
    let show = match q.show.as_deref() {
        Some("overdue") => "overdue",
        Some("all") => "all",
        _ => "pending",
    };
    let list = state
        .store
        .health_checks(
            show != "all",
            (show == "overdue").then_some(today),
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let page = Page {
        items: Vec::new(),
        total: list.total,
        page: list.page,
        per_page: list.per_page,
    };
    Ok(HealthPage {
        tab: "health",
        rows: list
            .items
            .into_iter()
            .map(|h| CheckRow {
                overdue: h.overdue(today),
                h,
            })
            .collect(),
        page,
        base: format!("/prevention/health?show={show}&"),
        show: show.to_string(),
        kinds: options(&ctx, "prv-kind-", &HealthCheckKind::codes(), None),
        people: people(state, &ctx, "prv-choose").await?,
        today: today.to_string(),
        f,
        c: ctx,
    })
}

pub async fn health(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<HealthQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Prevention)?;
    let f = FormView::with_defaults(&[("prv_kind", "periodic")]);
    render(&health_page(&state, ctx, &q, f).await?)
}

pub async fn create_check(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: HealthCheckForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(input) => match state
            .store
            .plan_health_check(&ctx.audit(), &input, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other("/prevention/health?saved=1")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = health_page(&state, ctx, &HealthQuery::default(), f).await?;
    render_status(status_of(&errors), &page)
}

pub async fn complete_check(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: DoneForm = f.decode().map_err(AppError::Internal)?;
    let errors = match parse_done_on("prv_done_on", &form.prv_done_on, None, today()) {
        Ok(d) => match state
            .store
            .complete_health_check(&ctx.audit(), id, d, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other("/prevention/health?saved=1")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = health_page(&state, ctx, &HealthQuery::default(), f).await?;
    render_status(status_of(&errors), &page)
}

// ---------------------------------------------------------------------- diversity plan

#[derive(Template)]
#[template(path = "prevention_diversity.html")]
struct DiversityPage {
    c: RequestCtx,
    tab: &'static str,
    actions: Page<DiversityActionRecord>,
    f: FormView,
    q_status: String,
    q_axis: String,
    statuses: Options,
    axes: Options,
    axes_any: Options,
    base: String,
    today: String,
    /// Counts per status over the whole plan: (status code, count).
    summary: Vec<(String, i64)>,
}

#[derive(Deserialize, Default)]
pub struct DiversityQuery {
    page: Option<i64>,
    status: Option<String>,
    axis: Option<String>,
}

async fn diversity_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &DiversityQuery,
    f: FormView,
) -> Result<DiversityPage, AppError> {
    let status = q.status.clone().unwrap_or_default();
    let status = if status == "open" || ActionStatus::parse(&status).is_some() {
        status
    } else {
        String::new()
    };
    let axis = q
        .axis
        .clone()
        .filter(|a| DiversityAxis::parse(a).is_some())
        .unwrap_or_default();
    let actions = state
        .store
        .diversity_actions(
            &ActionFilter {
                status: Some(status.clone()),
                kind: Some(axis.clone()),
                ..ActionFilter::default()
            },
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let mut summary = Vec::new();
    for s in ActionStatus::ALL {
        let n = state
            .store
            .diversity_actions(
                &ActionFilter {
                    status: Some(s.code().to_string()),
                    ..ActionFilter::default()
                },
                PageRequest::new(1, 1),
            )
            .await?
            .total;
        summary.push((s.code().to_string(), n));
    }
    Ok(DiversityPage {
        tab: "diversity",
        actions,
        base: format!("/prevention/diversity?status={status}&axis={axis}&"),
        statuses: status_options(&ctx),
        axes: options(&ctx, "div-axis-", &DiversityAxis::codes(), None),
        axes_any: options(&ctx, "div-axis-", &DiversityAxis::codes(), Some("prv-any")),
        q_status: status,
        q_axis: axis,
        today: today().to_string(),
        summary,
        f,
        c: ctx,
    })
}

pub async fn diversity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<DiversityQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Prevention)?;
    let f = FormView::with_defaults(&[("div_axis", "recruitment")]);
    render(&diversity_page(&state, ctx, &q, f).await?)
}

pub async fn create_diversity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: DiversityActionForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(input) => match state
            .store
            .create_diversity_action(&ctx.audit(), &input, now_micros())
            .await
        {
            Ok(_) => return Ok(see_other("/prevention/diversity?saved=1")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = diversity_page(&state, ctx, &DiversityQuery::default(), f).await?;
    render_status(status_of(&errors), &page)
}

pub async fn change_diversity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Prevention)?;
    let mut f = FormView::new(pairs);
    let form: StatusForm = f.decode().map_err(AppError::Internal)?;
    let errors = match parse_status_change(
        &form.prv_event,
        &form.prv_on,
        &form.prv_result,
        true,
        today(),
    ) {
        Ok((event, on, result)) => match state
            .store
            .change_diversity_action(&ctx.audit(), id, event, on, result.as_deref(), now_micros())
            .await
        {
            Ok(_) => return Ok(see_other("/prevention/diversity?saved=1")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = diversity_page(&state, ctx, &DiversityQuery::default(), f).await?;
    render_status(status_of(&errors), &page)
}

/// Whether the user reads the register (for the API's list).
pub fn reads_register(user: &CurrentUser) -> bool {
    ruche_domain::policy::decide(&user.actor, Action::List, Target::Prevention).is_allowed()
}
