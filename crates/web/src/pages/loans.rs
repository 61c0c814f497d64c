//! 0 % member loans (C8): a member applies for an activity they hold (with the criteria
//! checklist and attachments); the advisor of the activity's office gives an opinion; the
//! committee (board or administrator, four eyes) decides; the treasury disburses, records
//! transfers, reschedules and writes off. The portfolio page shows what was granted per
//! year and since launch, what is owed and what is at risk.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::loans::{
    ApplicationForm, DecisionForm, DisbursementForm, LoanPurpose, LoanStatus, OpinionForm,
    RepaymentForm, ReschedulingForm, WriteOffForm, loan_params_on,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::activities::ActivityFilter;
use ruche_store::attachments::{AttachmentRecord, owner};
use ruche_store::loans::{
    InstalmentRecord, LoanFilter, LoanPortfolio, LoanRecord, LoanReminderRecord,
    LoanRepaymentRecord,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::attachments;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/loans", get(list).post(apply))
        .route("/loans/new", get(new))
        .route("/loans/portfolio", get(portfolio))
        .route("/loans/{id}", get(show))
        .route("/loans/{id}/opinion", post(opinion))
        .route("/loans/{id}/decision", post(decision))
        .route("/loans/{id}/disburse", post(disburse))
        .route("/loans/{id}/transfer", post(transfer))
        .route("/loans/{id}/early", post(early))
        .route("/loans/{id}/reschedule", post(reschedule))
        .route("/loans/{id}/write-off", post(write_off))
        .route("/loans/{id}/attachments", post(add_attachments))
        .route("/loans/{id}/attachments/{aid}", get(attachment))
        .layer(attachments::body_limit())
}

const PER_PAGE: i64 = 20;

type Options = Vec<(String, String)>;

/// A store refusal as field errors for the form, or an error for the error page.
fn refusal(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(errors) => Ok(errors),
        StoreError::Conflict(code) => Ok(FieldErrors::single("loan_status", code)),
        e => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------- the list

#[derive(Template)]
#[template(path = "loans.html")]
struct ListPage {
    c: RequestCtx,
    loans: Page<LoanRecord>,
    staff: bool,
    may_apply: bool,
    statuses: Options,
    status: String,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    status: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let staff = ctx.may(Action::List, Target::Loans);
    let may_apply = ctx.may(Action::Create, Target::Loans);
    if !staff {
        ctx.authorize(Action::Create, Target::Loans)?;
    }
    let status = q.status.as_deref().and_then(LoanStatus::parse);
    let filter = LoanFilter {
        status,
        person_id: (!staff).then_some(user.person.id),
        activity_id: None,
    };
    let loans = state
        .store
        .loans(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let mut statuses: Options = vec![(String::new(), ctx.t("loan-all-statuses"))];
    statuses.extend(
        LoanStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("loan-status-", s.code()))),
    );
    let status = status.map(|s| s.code().to_string()).unwrap_or_default();
    let base = if status.is_empty() {
        "/loans?".to_string()
    } else {
        format!("/loans?status={status}&")
    };
    render(&ListPage {
        c: ctx,
        loans,
        staff,
        may_apply,
        statuses,
        status,
        base,
    })
}

// ------------------------------------------------------------------------- applying

#[derive(Template)]
#[template(path = "loans_new.html")]
struct NewPage {
    c: RequestCtx,
    activities: Options,
    purposes: Options,
    criteria: Options,
    max_cents: i64,
    min_cents: i64,
    n_min: u32,
    n_max: u32,
    f: FormView,
}

async fn new_page(state: &AppState, ctx: RequestCtx, f: FormView) -> Result<NewPage, AppError> {
    let user = ctx.user()?;
    let held = state
        .store
        .activities(
            &ActivityFilter {
                holder: Some(user.person.id),
                ..Default::default()
            },
            PageRequest::new(1, 100),
        )
        .await?;
    let mut activities: Options = vec![(String::new(), ctx.t("loan-choose"))];
    activities.extend(
        held.items
            .into_iter()
            .map(|a| (a.id.to_string(), a.name.clone())),
    );
    let p = loan_params_on(today()).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut purposes: Options = vec![(String::new(), ctx.t("loan-choose"))];
    purposes.extend(
        LoanPurpose::ALL
            .iter()
            .map(|p| (p.code().to_string(), ctx.t_of("loan-purpose-", p.code()))),
    );
    let criteria = p
        .criteria
        .iter()
        .map(|c| (c.clone(), ctx.t_of("loan-criterion-", c)))
        .collect();
    Ok(NewPage {
        activities,
        purposes,
        criteria,
        max_cents: p.principal_max_cents,
        min_cents: p.principal_min_cents,
        n_min: p.instalments_min,
        n_max: p.instalments_max,
        f,
        c: ctx,
    })
}

pub async fn new(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Loans)?;
    let f = FormView::with_defaults(&[("loan_instalments", "24")]);
    render(&new_page(&state, ctx, f).await?)
}

pub async fn apply(
    State(state): State<AppState>,
    ctx: RequestCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::Loans)?;
    let person_id = user.person.id;
    let form = attachments::read_form(&mut multipart).await;
    let mut f = FormView::new(form.fields.clone());
    let typed: ApplicationForm = f.decode().map_err(AppError::Internal)?;
    let criteria: Vec<String> = form
        .all("loan_criteria")
        .into_iter()
        .map(str::to_string)
        .collect();
    let day = today();
    let p = loan_params_on(day).map_err(|e| AppError::Internal(e.to_string()))?;
    let errors = match typed.parse(&criteria, p) {
        Err(e) => e,
        Ok(new) => match attachments::prepare(&state, &form) {
            Err(AppError::Invalid(e)) => e,
            Err(e) => return Err(e),
            Ok(files) => match state
                .store
                .apply_for_loan(&ctx.audit(), person_id, &new, day, &files)
                .await
            {
                Ok(loan) => return Ok(see_other(&format!("/loans/{}?saved=1", loan.id))),
                Err(e) => refusal(e)?,
            },
        },
    };
    f.add_errors(&errors, ctx.lang);
    let page = new_page(&state, ctx, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---------------------------------------------------------------------- one loan

#[derive(Template)]
#[template(path = "loan.html")]
struct LoanPage {
    c: RequestCtx,
    loan: LoanRecord,
    instalments: Vec<InstalmentRecord>,
    repayments: Vec<LoanRepaymentRecord>,
    reminders: Vec<LoanReminderRecord>,
    files: Vec<AttachmentRecord>,
    criteria: Vec<(String, String, bool, bool)>,
    days_past_due: i64,
    may_opinion: bool,
    may_decide: bool,
    may_treasury: bool,
    may_early: bool,
    may_attach: bool,
    sees_audit: bool,
    f: FormView,
    notice: Option<String>,
}

/// The loan and the policy target the actor has on it.
async fn loan_target(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(LoanRecord, Target, Target), AppError> {
    let user = ctx.user()?;
    let loan = match state.store.loan(id).await {
        Ok(l) => l,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let held = state
        .store
        .holds_activity(loan.activity_id, user.person.id)
        .await?;
    let applied =
        loan.applicant_person_id == user.person.id || loan.applied_by == Some(user.account.id);
    let target = Target::Loan {
        office_id: loan.office_id,
        held_by_actor: held,
        applied_by_actor: applied,
        opinion_by_actor: loan.opinion_by == Some(user.account.id),
    };
    let opinion = Target::LoanOpinion {
        office_id: loan.office_id,
        applied_by_actor: applied,
    };
    Ok((loan, target, opinion))
}

fn loan_defaults(loan: &LoanRecord) -> FormView {
    let day = today();
    let next_month = day
        .checked_add(jiff::Span::new().months(1))
        .unwrap_or(day)
        .to_string();
    let amount = ruche_domain::format::money(loan.outstanding_cents)
        .replace(['€', '\u{a0}'], "")
        .trim()
        .to_string();
    FormView::with_defaults(&[
        ("loan_disburse_to", "budget"),
        ("loan_disbursed_on", &day.to_string()),
        ("loan_first_due_on", &next_month),
        ("loan_repay_on", &day.to_string()),
        ("loan_repay_amount", &amount),
        ("loan_new_instalments", "12"),
        ("loan_new_first_due_on", &next_month),
        ("loan_writeoff_on", &day.to_string()),
    ])
}

async fn loan_page(
    state: &AppState,
    ctx: RequestCtx,
    loan: LoanRecord,
    target: Target,
    opinion: Target,
    f: Option<FormView>,
    notice: Option<String>,
) -> Result<LoanPage, AppError> {
    let status = loan.status()?;
    let id = loan.id;
    let instalments = state.store.loan_instalments(id).await?;
    let repayments = state.store.loan_repayments(id).await?;
    let reminders = state.store.loan_reminders(id).await?;
    let files = state.store.attachments_of(owner::LOAN, id).await?;
    let ticked = loan.criteria_codes();
    let confirmed = loan.confirmed_codes();
    let mut codes: Vec<String> = loan_params_on(today())
        .map(|p| p.criteria.clone())
        .unwrap_or_default();
    for c in ticked.iter().chain(confirmed.iter()) {
        if !codes.iter().any(|k| k == c) {
            codes.push((*c).to_string());
        }
    }
    let criteria = codes
        .into_iter()
        .map(|c| {
            let label = ctx.t_of("loan-criterion-", &c);
            let t = ticked.contains(&c.as_str());
            let k = confirmed.contains(&c.as_str());
            (c, label, t, k)
        })
        .collect();
    let active = status == LoanStatus::Active;
    let f = f.unwrap_or_else(|| loan_defaults(&loan));
    Ok(LoanPage {
        days_past_due: loan.days_past_due(today()),
        may_opinion: status == LoanStatus::Submitted && ctx.may(Action::Decide, opinion),
        may_decide: status == LoanStatus::Reviewed && ctx.may(Action::Decide, target),
        may_treasury: ctx.may(Action::Update, target),
        may_early: active && ctx.may(Action::Create, target),
        may_attach: ctx.may(Action::Create, target) && status.is_open_application(),
        sees_audit: ctx.sees_audit(),
        loan,
        instalments,
        repayments,
        reminders,
        files,
        criteria,
        f,
        notice,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (loan, target, opinion) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let notice = q.saved.as_ref().map(|_| ctx.t("loan-saved"));
    render(&loan_page(&state, ctx, loan, target, opinion, None, notice).await?)
}

/// Answers a loan form: back to the loan when saved, the page with the errors otherwise.
async fn answer(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    pairs: Vec<(String, String)>,
    result: Result<(), FieldErrors>,
) -> Result<Response, AppError> {
    let errors = match result {
        Ok(()) => return Ok(see_other(&format!("/loans/{id}?saved=1"))),
        Err(e) => e,
    };
    let (loan, target, opinion) = loan_target(state, &ctx, id).await?;
    let mut f = loan_defaults(&loan);
    for (k, v) in pairs {
        if k != crate::csrf::FIELD {
            f.set(&k, v);
        }
    }
    f.add_errors(&errors, ctx.lang);
    let page = loan_page(state, ctx, loan, target, opinion, Some(f), None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

fn store_result<T>(r: Result<T, StoreError>) -> Result<Result<(), FieldErrors>, AppError> {
    match r {
        Ok(_) => Ok(Ok(())),
        Err(e) => Ok(Err(refusal(e)?)),
    }
}

pub async fn opinion(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, _, opinion_target) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Decide, opinion_target)?;
    let f = FormView::new(pairs.clone());
    let form: OpinionForm = f.decode().map_err(AppError::Internal)?;
    let confirmed: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "loan_criteria_ok")
        .map(|(_, v)| v.clone())
        .collect();
    let p = loan_params_on(today()).map_err(|e| AppError::Internal(e.to_string()))?;
    let result = match form.parse(&confirmed, p) {
        Err(e) => Err(e),
        Ok(o) => store_result(state.store.give_loan_opinion(&ctx.audit(), id, &o).await)?,
    };
    answer(&state, ctx, id, pairs, result).await
}

pub async fn decision(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target, _) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Decide, target)?;
    let form: DecisionForm = FormView::new(pairs.clone())
        .decode()
        .map_err(AppError::Internal)?;
    let result = match form.parse() {
        Err(e) => Err(e),
        Ok(d) => store_result(state.store.decide_loan(&ctx.audit(), id, &d, today()).await)?,
    };
    answer(&state, ctx, id, pairs, result).await
}

pub async fn disburse(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target, _) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let form: DisbursementForm = FormView::new(pairs.clone())
        .decode()
        .map_err(AppError::Internal)?;
    let result = match form.parse() {
        Err(e) => Err(e),
        Ok(d) => store_result(state.store.disburse_loan(&ctx.audit(), id, &d).await)?,
    };
    answer(&state, ctx, id, pairs, result).await
}

pub async fn transfer(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target, _) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let form: RepaymentForm = FormView::new(pairs.clone())
        .decode()
        .map_err(AppError::Internal)?;
    let result = match form.parse() {
        Err(e) => Err(e),
        Ok(r) => store_result(state.store.record_loan_transfer(&ctx.audit(), id, &r).await)?,
    };
    answer(&state, ctx, id, pairs, result).await
}

pub async fn early(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target, _) = loan_target(&state, &ctx, id).await?;
    if !ctx.may(Action::Update, target) {
        ctx.authorize(Action::Create, target)?;
    }
    let form: RepaymentForm = FormView::new(pairs.clone())
        .decode()
        .map_err(AppError::Internal)?;
    let result = match form.parse() {
        Err(e) => Err(e),
        Ok(r) => store_result(state.store.repay_loan_early(&ctx.audit(), id, &r).await)?,
    };
    answer(&state, ctx, id, pairs, result).await
}

pub async fn reschedule(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target, _) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let form: ReschedulingForm = FormView::new(pairs.clone())
        .decode()
        .map_err(AppError::Internal)?;
    let p = loan_params_on(today()).map_err(|e| AppError::Internal(e.to_string()))?;
    let result = match form.parse(p) {
        Err(e) => Err(e),
        Ok(r) => store_result(state.store.reschedule_loan(&ctx.audit(), id, &r).await)?,
    };
    answer(&state, ctx, id, pairs, result).await
}

pub async fn write_off(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target, _) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let form: WriteOffForm = FormView::new(pairs.clone())
        .decode()
        .map_err(AppError::Internal)?;
    let result = match form.parse() {
        Err(e) => Err(e),
        Ok(w) => store_result(state.store.write_off_loan(&ctx.audit(), id, &w).await)?,
    };
    answer(&state, ctx, id, pairs, result).await
}

pub async fn add_attachments(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (loan, target, _) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Create, target)?;
    if !loan.status()?.is_open_application() {
        return Err(AppError::Forbidden);
    }
    let form = attachments::read_form(&mut multipart).await;
    let result = match attachments::save(&state, &ctx.audit(), owner::LOAN, id, &form).await {
        Ok(_) => Ok(()),
        Err(AppError::Invalid(e)) => Err(e),
        Err(e) => return Err(e),
    };
    answer(&state, ctx, id, Vec::new(), result).await
}

pub async fn attachment(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (_, target, _) = loan_target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    attachments::download(&state, owner::LOAN, id, aid).await
}

// ------------------------------------------------------------------------ portfolio

#[derive(Template)]
#[template(path = "loans_portfolio.html")]
struct PortfolioPage {
    c: RequestCtx,
    p: LoanPortfolio,
    years: Vec<i16>,
    par1: String,
    par30: String,
}

#[derive(Deserialize, Default)]
pub struct PortfolioQuery {
    year: Option<i32>,
}

pub async fn portfolio(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PortfolioQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Loans)?;
    let day = today();
    let this = i32::from(day.year());
    let year = i16::try_from(q.year.unwrap_or(this).clamp(2000, this)).unwrap_or(day.year());
    let p = state.store.loan_portfolio(year, day).await?;
    let years = (2015..=day.year()).rev().collect();
    // Parts per million as basis points for the Belgian percentage.
    let par1 = ctx.percent_of(&(p.par1_ppm / 100));
    let par30 = ctx.percent_of(&(p.par30_ppm / 100));
    render(&PortfolioPage {
        c: ctx,
        p,
        years,
        par1,
        par30,
    })
}
