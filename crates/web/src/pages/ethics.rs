//! The ethics committee (C13), `/ethics`: the committee's published opinions, a member's
//! referrals and the form to refer a subject; for the participation staff (the committee's
//! secretariat), the referral queue, the meetings, the seats and the opinions from draft to
//! publication.
//!
//! Who does what (`Target::CooperativeLife`): a signed-in member or staff member reads the
//! published opinions and refers a subject (`Create`); the participation staff and the
//! administrators keep the records (`Update`: referrals, meetings, seats, drafts); they and
//! the board publish (`Decide`) and read the meetings. A draft is seen by those only (404
//! for anyone else, as if it did not exist). **Published opinions are public**
//! (`/ethics/opinions`, without sign-in): the committee writes them to be read by the
//! cooperative's members, partners and the public (charter, art. 8); they name no referrer.
//! The referrer is told by e-mail when the opinion on their referral is published.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ruche_domain::Language;
use ruche_domain::ethics::{
    MeetingForm, OpinionForm, OpinionKind, OpinionStatus, ReferralForm, ReferralStatus, SeatForm,
    SeatRole, parse_decline_reason,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::ethics::{
    EthicsNotice, MeetingRecord, OpinionFilter, OpinionRecord, ReferralFilter, ReferralRecord,
    SeatRecord,
};
use ruche_store::persons::PersonFilter;
use ruche_store::{Page, PageRequest, StoreError, now_micros};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ethics", get(home))
        .route("/ethics/referrals", get(queue).post(refer))
        .route("/ethics/referrals/{id}", get(referral))
        .route("/ethics/referrals/{id}/review", post(review))
        .route("/ethics/referrals/{id}/decline", post(decline))
        .route("/ethics/opinions", get(opinions).post(create_opinion))
        .route("/ethics/opinions/new", get(new_opinion))
        .route("/ethics/opinions/{id}", get(opinion).post(update_opinion))
        .route("/ethics/opinions/{id}/publish", post(publish))
        .route("/ethics/meetings", get(meetings).post(create_meeting))
        .route("/ethics/meetings/{id}", get(meeting).post(update_meeting))
        .route("/ethics/members", get(members).post(add_member))
        .route("/ethics/members/{id}", post(update_member))
}

const PER_PAGE: i64 = 20;
const TARGET: Target = Target::CooperativeLife;

// ----------------------------------------------------------------------- shared logic

/// Whether the user keeps the committee's records (the participation staff, administrators).
fn keeps_records(ctx: &RequestCtx) -> bool {
    ctx.may(Action::Update, TARGET)
}

/// Whether the user publishes and reads the meetings (they, and the board).
fn decides(ctx: &RequestCtx) -> bool {
    ctx.may(Action::Decide, TARGET)
}

/// The opinion, if the user may read it: a published one is public, a draft is the
/// secretariat's and the board's (404 for anyone else).
pub async fn readable_opinion(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<OpinionRecord, AppError> {
    let o = state.store.ethics_opinion(id).await?;
    if o.is_published() || decides(ctx) {
        Ok(o)
    } else {
        Err(AppError::NotFound)
    }
}

/// The referral, if the user may read it: its referrer and the committee's staff (404 else).
pub async fn readable_referral(
    state: &AppState,
    user: &CurrentUser,
    ctx: &RequestCtx,
    id: i64,
) -> Result<ReferralRecord, AppError> {
    let r = state.store.ethics_referral(id).await?;
    if r.person_id == user.person.id || decides(ctx) {
        Ok(r)
    } else {
        Err(AppError::NotFound)
    }
}

/// Refers a subject for `user` (the caller checked the policy). `Ok(Err(errors))` names each
/// refused field; nothing is written then.
pub async fn file_referral(
    state: &AppState,
    user: &CurrentUser,
    form: &ReferralForm,
    audit: &ruche_store::AuditContext,
) -> Result<Result<ReferralRecord, FieldErrors>, AppError> {
    let new = match form.parse(user.person.id, today()) {
        Ok(new) => new,
        Err(errors) => return Ok(Err(errors)),
    };
    match state.store.refer_to_ethics(audit, &new, now_micros()).await {
        Ok(r) => Ok(Ok(r)),
        Err(StoreError::Refused(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

/// The notice of a published opinion, in the referrer's language: a link, not the text.
pub fn notice_for(state: &AppState, o: &OpinionRecord) -> EthicsNotice {
    let lang = o
        .referrer_language
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(Language::Fr);
    let link = format!("{}/ethics/opinions/{}", state.config.base_url, o.id);
    EthicsNotice {
        subject: i18n::t_args(
            lang,
            "ethics-notice-subject",
            &[("subject", o.subject.clone())],
        ),
        body: i18n::t_args(lang, "ethics-notice-body", &[("link", link)]),
    }
}

fn options(ctx: &RequestCtx, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|code| (code.to_string(), ctx.t_of(prefix, code)))
        .collect()
}

fn form_of(pairs: Vec<(String, String)>) -> FormView {
    FormView::new(pairs)
}

// ------------------------------------------------------------------------- the home

#[derive(Template)]
#[template(path = "ethics.html")]
struct HomePage {
    c: RequestCtx,
    opinions: Page<OpinionRecord>,
    mine: Page<ReferralRecord>,
    seats: Vec<SeatRecord>,
    f: FormView,
    notice: Option<String>,
    keeps_records: bool,
    decides: bool,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    page: Option<i64>,
    referred: Option<String>,
}

async fn home_page(
    state: &AppState,
    ctx: RequestCtx,
    page: i64,
    f: FormView,
    notice: Option<String>,
) -> Result<HomePage, AppError> {
    let user = ctx.authorize(Action::View, TARGET)?;
    let opinions = state
        .store
        .ethics_opinions(
            &OpinionFilter {
                status: Some(OpinionStatus::Published),
                ..OpinionFilter::default()
            },
            PageRequest::new(1, 5),
        )
        .await?;
    let mine = state
        .store
        .ethics_referrals(
            &ReferralFilter {
                person_id: Some(user.person.id),
                ..ReferralFilter::default()
            },
            PageRequest::new(page, PER_PAGE),
        )
        .await?;
    let seats = state.store.ethics_seats(Some(today())).await?;
    Ok(HomePage {
        keeps_records: keeps_records(&ctx),
        decides: decides(&ctx),
        opinions,
        mine,
        seats,
        f,
        notice,
        base: "/ethics?".into(),
        c: ctx,
    })
}

pub async fn home(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<HomeQuery>,
) -> Result<Response, AppError> {
    let notice = q.referred.is_some().then(|| ctx.t("ethics-referred"));
    let page = home_page(
        &state,
        ctx,
        q.page.unwrap_or(1),
        FormView::default(),
        notice,
    )
    .await?;
    render(&page)
}

/// A member refers a subject to the committee.
pub async fn refer(
    State(state): State<AppState>,
    ctx: RequestCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, TARGET)?;
    let mut f = form_of(pairs);
    let form: ReferralForm = f.decode().map_err(AppError::Internal)?;
    match file_referral(&state, user, &form, &ctx.audit()).await? {
        Ok(_) => Ok(see_other("/ethics?referred=1")),
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            let page = home_page(&state, ctx, 1, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// -------------------------------------------------------------------------- opinions

#[derive(Template)]
#[template(path = "ethics_opinions.html")]
struct OpinionsPage {
    c: RequestCtx,
    opinions: Page<OpinionRecord>,
    drafts: Vec<OpinionRecord>,
    keeps_records: bool,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

/// The published opinions: public (no sign-in needed). The staff also see the drafts.
pub async fn opinions(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let opinions = state
        .store
        .ethics_opinions(
            &OpinionFilter {
                status: Some(OpinionStatus::Published),
                ..OpinionFilter::default()
            },
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let drafts = if decides(&ctx) {
        state
            .store
            .ethics_opinions(
                &OpinionFilter {
                    status: Some(OpinionStatus::Draft),
                    ..OpinionFilter::default()
                },
                PageRequest::new(1, 100),
            )
            .await?
            .items
    } else {
        Vec::new()
    };
    render(&OpinionsPage {
        keeps_records: keeps_records(&ctx),
        opinions,
        drafts,
        base: "/ethics/opinions?".into(),
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "ethics_opinion.html")]
struct OpinionPage {
    c: RequestCtx,
    /// `None`: a new opinion.
    o: Option<OpinionRecord>,
    f: FormView,
    notice: Option<String>,
    may_edit: bool,
    may_publish: bool,
    kinds: Vec<(String, String)>,
    meetings: Vec<(String, String)>,
    referrals: Vec<(String, String)>,
}

async fn meeting_options(
    state: &AppState,
    ctx: &RequestCtx,
) -> Result<Vec<(String, String)>, AppError> {
    let mut out = vec![(String::new(), ctx.t("ethics-not-adopted-yet"))];
    out.extend(
        state
            .store
            .ethics_meetings(None, PageRequest::new(1, 100))
            .await?
            .items
            .into_iter()
            .map(|m| {
                (
                    m.id.to_string(),
                    format!("{} — {}", ctx.date(&m.held_on), m.place),
                )
            }),
    );
    Ok(out)
}

async fn opinion_page(
    state: &AppState,
    ctx: RequestCtx,
    o: Option<OpinionRecord>,
    f: FormView,
    notice: Option<String>,
) -> Result<OpinionPage, AppError> {
    let draft = o.as_ref().is_none_or(|o| !o.is_published());
    let may_edit = draft && keeps_records(&ctx);
    // Publication needs the adoption at a meeting (charter, art. 7): the button waits for it.
    let may_publish = o.as_ref().is_some_and(|o| o.meeting_id.is_some()) && draft && decides(&ctx);
    let (meetings, referrals) = if may_edit {
        let mut referrals = vec![(String::new(), ctx.t("ethics-own-initiative"))];
        referrals.extend(
            state
                .store
                .ethics_referrals(
                    &ReferralFilter {
                        status: Some("open".into()),
                        ..ReferralFilter::default()
                    },
                    PageRequest::new(1, 200),
                )
                .await?
                .items
                .into_iter()
                .map(|r| (r.id.to_string(), format!("#{} {}", r.id, r.subject))),
        );
        (meeting_options(state, &ctx).await?, referrals)
    } else {
        (Vec::new(), Vec::new())
    };
    let kinds: Vec<&str> = OpinionKind::ALL.iter().map(|k| k.code()).collect();
    Ok(OpinionPage {
        kinds: options(&ctx, "ethics-kind-", &kinds),
        meetings,
        referrals,
        may_edit,
        may_publish,
        o,
        f,
        notice,
        c: ctx,
    })
}

fn opinion_values(o: &OpinionRecord) -> FormView {
    FormView::new(vec![
        (
            "ethics_referral".into(),
            o.referral_id.map(|r| r.to_string()).unwrap_or_default(),
        ),
        ("ethics_kind".into(), o.kind.clone()),
        ("ethics_subject".into(), o.subject.clone()),
        ("ethics_body".into(), o.body.clone()),
        (
            "ethics_meeting".into(),
            o.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
        ),
    ])
}

#[derive(Deserialize, Default)]
pub struct OpinionQuery {
    done: Option<String>,
}

/// One opinion: public once published; the draft's form and the publication for the staff.
pub async fn opinion(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<OpinionQuery>,
) -> Result<Response, AppError> {
    let o = readable_opinion(&state, &ctx, id).await?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["saved", "published"].contains(d))
        .map(|d| ctx.t_of("ethics-done-", d));
    let f = opinion_values(&o);
    render(&opinion_page(&state, ctx, Some(o), f, notice).await?)
}

#[derive(Deserialize, Default)]
pub struct NewOpinionQuery {
    referral: Option<i64>,
}

pub async fn new_opinion(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<NewOpinionQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let mut f = FormView::with_defaults(&[("ethics_kind", "opinion")]);
    if let Some(r) = q.referral {
        let referral = state.store.ethics_referral(r).await?;
        f.set("ethics_referral", r.to_string());
        f.set("ethics_subject", referral.subject);
    }
    render(&opinion_page(&state, ctx, None, f, None).await?)
}

pub async fn create_opinion(
    State(state): State<AppState>,
    ctx: RequestCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let mut f = form_of(pairs);
    let form: OpinionForm = f.decode().map_err(AppError::Internal)?;
    let outcome = match form.parse() {
        Ok(new) => {
            state
                .store
                .write_ethics_opinion(&ctx.audit(), &new, now_micros())
                .await
        }
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    match outcome {
        Ok(o) => Ok(see_other(&format!("/ethics/opinions/{}?done=saved", o.id))),
        Err(StoreError::Refused(errors)) => {
            f.add_errors(&errors, ctx.lang);
            let page = opinion_page(&state, ctx, None, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update_opinion(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let before = readable_opinion(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, TARGET)?;
    let mut f = form_of(pairs);
    let form: OpinionForm = f.decode().map_err(AppError::Internal)?;
    let outcome = match form.parse() {
        Ok(new) => {
            state
                .store
                .update_ethics_opinion(&ctx.audit(), id, &new, now_micros())
                .await
        }
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/ethics/opinions/{id}?done=saved"))),
        Err(StoreError::Refused(errors)) => {
            f.add_errors(&errors, ctx.lang);
            let page = opinion_page(&state, ctx, Some(before), f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// Publishes an adopted draft (`Decide`); the referrer is told by e-mail.
pub async fn publish(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = readable_opinion(&state, &ctx, id).await?;
    ctx.authorize(Action::Decide, TARGET)?;
    let notice = notice_for(&state, &o);
    match state
        .store
        .publish_ethics_opinion(&ctx.audit(), id, &notice, now_micros())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/ethics/opinions/{id}?done=published"))),
        Err(StoreError::Refused(errors)) => {
            let mut f = opinion_values(&o);
            f.add_errors(&errors, ctx.lang);
            let page = opinion_page(&state, ctx, Some(o), f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------- referrals

#[derive(Template)]
#[template(path = "ethics_referrals.html")]
struct QueuePage {
    c: RequestCtx,
    referrals: Page<ReferralRecord>,
    f: FormView,
    statuses: Vec<(String, String)>,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    page: Option<i64>,
    status: Option<String>,
}

/// The committee's queue of referrals (open ones first).
pub async fn queue(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<QueueQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, TARGET)?;
    let status = q.status.clone().unwrap_or_else(|| "open".into());
    let filter = ReferralFilter {
        person_id: None,
        status: (status == "open" || ReferralStatus::parse(&status).is_some())
            .then(|| status.clone()),
    };
    let referrals = state
        .store
        .ethics_referrals(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let mut statuses = vec![
        ("open".to_string(), ctx.t("ethics-status-open")),
        ("all".to_string(), ctx.t("ethics-any")),
    ];
    statuses.extend(
        ReferralStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("ethics-status-", s.code()))),
    );
    let f = FormView::new(vec![("status".into(), status.clone())]);
    render(&QueuePage {
        base: format!("/ethics/referrals?status={status}&"),
        referrals,
        statuses,
        f,
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "ethics_referral.html")]
struct ReferralPage {
    c: RequestCtx,
    r: ReferralRecord,
    opinions: Vec<OpinionRecord>,
    f: FormView,
    notice: Option<String>,
    keeps_records: bool,
    may_review: bool,
    may_decline: bool,
}

async fn referral_page(
    state: &AppState,
    ctx: RequestCtx,
    r: ReferralRecord,
    f: FormView,
    notice: Option<String>,
) -> Result<ReferralPage, AppError> {
    let staff = decides(&ctx);
    let opinions = state
        .store
        .ethics_opinions(
            &OpinionFilter {
                referral_id: Some(r.id),
                status: (!staff).then_some(OpinionStatus::Published),
            },
            PageRequest::new(1, 10),
        )
        .await?
        .items;
    let status = r.status()?;
    let keeps = keeps_records(&ctx);
    Ok(ReferralPage {
        may_review: keeps && status == ReferralStatus::Received,
        may_decline: keeps && status.is_open() && opinions.is_empty(),
        keeps_records: keeps && status.is_open() && opinions.is_empty(),
        opinions,
        r,
        f,
        notice,
        c: ctx,
    })
}

pub async fn referral(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<OpinionQuery>,
) -> Result<Response, AppError> {
    let r = readable_referral(&state, ctx.user()?, &ctx, id).await?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["review", "decline"].contains(d))
        .map(|d| ctx.t_of("ethics-done-", d));
    render(&referral_page(&state, ctx, r, FormView::default(), notice).await?)
}

async fn referral_refused(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    mut f: FormView,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let r = state.store.ethics_referral(id).await?;
    f.add_errors(errors, ctx.lang);
    let page = referral_page(state, ctx, r, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn review(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    match state
        .store
        .review_ethics_referral(&ctx.audit(), id, now_micros())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/ethics/referrals/{id}?done=review"))),
        Err(StoreError::Refused(errors)) => {
            referral_refused(&state, ctx, id, FormView::default(), &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct DeclineForm {
    #[serde(default)]
    ethics_reason: String,
}

pub async fn decline(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let f = form_of(pairs);
    let form: DeclineForm = f.decode().map_err(AppError::Internal)?;
    let outcome = match parse_decline_reason(&form.ethics_reason) {
        Ok(reason) => {
            state
                .store
                .decline_ethics_referral(&ctx.audit(), id, &reason, now_micros())
                .await
        }
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/ethics/referrals/{id}?done=decline"))),
        Err(StoreError::Refused(errors)) => referral_refused(&state, ctx, id, f, &errors).await,
        Err(e) => Err(e.into()),
    }
}

// -------------------------------------------------------------------------- meetings

#[derive(Template)]
#[template(path = "ethics_meetings.html")]
struct MeetingsPage {
    c: RequestCtx,
    meetings: Page<MeetingRecord>,
    year: String,
    years: Vec<(String, String)>,
    seats: Vec<SeatRecord>,
    f: FormView,
    keeps_records: bool,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    page: Option<i64>,
    year: Option<String>,
}

fn year_options(ctx: &RequestCtx) -> Vec<(String, String)> {
    let now = today().year();
    let mut out = vec![(String::new(), ctx.t("ethics-all-years"))];
    out.extend(
        (now - 5..=now)
            .rev()
            .map(|y| (y.to_string(), y.to_string())),
    );
    out
}

async fn meetings_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &YearQuery,
    f: FormView,
) -> Result<MeetingsPage, AppError> {
    ctx.authorize(Action::Decide, TARGET)?;
    let year_text = q.year.clone().unwrap_or_default();
    let year = year_text
        .parse::<i16>()
        .ok()
        .filter(|y| (1900..=2998).contains(y));
    let meetings = state
        .store
        .ethics_meetings(year, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let seats = state.store.ethics_seats(None).await?;
    let year = year.map(|y| y.to_string()).unwrap_or_default();
    Ok(MeetingsPage {
        keeps_records: keeps_records(&ctx),
        years: year_options(&ctx),
        base: format!("/ethics/meetings?year={year}&"),
        year,
        meetings,
        seats,
        f,
        c: ctx,
    })
}

pub async fn meetings(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    render(&meetings_page(&state, ctx, &q, FormView::default()).await?)
}

fn meeting_form(f: &FormView, pairs: &[(String, String)]) -> Result<MeetingForm, AppError> {
    let mut form: MeetingForm = f.decode().map_err(AppError::Internal)?;
    form.present = pairs
        .iter()
        .filter(|(k, _)| k == "ethics_present")
        .map(|(_, v)| v.clone())
        .collect();
    Ok(form)
}

pub async fn create_meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let mut f = FormView::new(pairs.clone());
    let form = meeting_form(&f, &pairs)?;
    let outcome = match form.parse() {
        Ok(new) => {
            state
                .store
                .create_ethics_meeting(&ctx.audit(), &new, now_micros())
                .await
        }
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    match outcome {
        Ok(m) => Ok(see_other(&format!("/ethics/meetings/{}?done=saved", m.id))),
        Err(StoreError::Refused(errors)) => {
            f.add_errors(&errors, ctx.lang);
            let page = meetings_page(&state, ctx, &YearQuery::default(), f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "ethics_meeting.html")]
struct MeetingPage {
    c: RequestCtx,
    m: MeetingRecord,
    present: Vec<SeatRecord>,
    seats: Vec<SeatRecord>,
    f: FormView,
    notice: Option<String>,
    keeps_records: bool,
}

async fn meeting_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: Option<FormView>,
    notice: Option<String>,
) -> Result<MeetingPage, AppError> {
    ctx.authorize(Action::Decide, TARGET)?;
    let m = state.store.ethics_meeting(id).await?;
    let present = state.store.ethics_meeting_present(id).await?;
    let seats = state.store.ethics_seats(None).await?;
    let f = f.unwrap_or_else(|| {
        let mut values = vec![
            ("ethics_held_on".to_string(), m.held_on.clone()),
            ("ethics_place".to_string(), m.place.clone()),
            ("ethics_agenda".to_string(), m.agenda.clone()),
            (
                "ethics_minutes".to_string(),
                m.minutes.clone().unwrap_or_default(),
            ),
        ];
        values.extend(
            present
                .iter()
                .map(|s| ("ethics_present".to_string(), s.id.to_string())),
        );
        FormView::new(values)
    });
    Ok(MeetingPage {
        keeps_records: keeps_records(&ctx),
        m,
        present,
        seats,
        f,
        notice,
        c: ctx,
    })
}

pub async fn meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<OpinionQuery>,
) -> Result<Response, AppError> {
    let notice = q
        .done
        .as_deref()
        .filter(|d| *d == "saved")
        .map(|d| ctx.t_of("ethics-done-", d));
    render(&meeting_page(&state, ctx, id, None, notice).await?)
}

pub async fn update_meeting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let mut f = FormView::new(pairs.clone());
    let form = meeting_form(&f, &pairs)?;
    let outcome = match form.parse() {
        Ok(new) => {
            state
                .store
                .update_ethics_meeting(&ctx.audit(), id, &new, now_micros())
                .await
        }
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/ethics/meetings/{id}?done=saved"))),
        Err(StoreError::Refused(errors)) => {
            f.add_errors(&errors, ctx.lang);
            let page = meeting_page(&state, ctx, id, Some(f), None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------- seats

#[derive(Template)]
#[template(path = "ethics_members.html")]
struct MembersPage {
    c: RequestCtx,
    seats: Vec<SeatRecord>,
    f: FormView,
    roles: Vec<(String, String)>,
    persons: Vec<(String, String)>,
    keeps_records: bool,
    today: String,
}

async fn members_page(
    state: &AppState,
    ctx: RequestCtx,
    f: FormView,
) -> Result<MembersPage, AppError> {
    ctx.authorize(Action::Decide, TARGET)?;
    let seats = state.store.ethics_seats(None).await?;
    let keeps = keeps_records(&ctx);
    let persons = if keeps {
        let mut out = vec![(String::new(), String::new())];
        out.extend(
            state
                .store
                .persons(&PersonFilter::default(), PageRequest::new(1, 200))
                .await?
                .items
                .into_iter()
                .map(|p| {
                    (
                        p.id.to_string(),
                        format!("{} {}", p.last_name, p.first_name),
                    )
                }),
        );
        out
    } else {
        Vec::new()
    };
    let roles: Vec<&str> = SeatRole::ALL.iter().map(|r| r.code()).collect();
    Ok(MembersPage {
        roles: options(&ctx, "ethics-role-", &roles),
        keeps_records: keeps,
        today: today().to_string(),
        seats,
        persons,
        f,
        c: ctx,
    })
}

pub async fn members(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    let f = FormView::with_defaults(&[("ethics_role", "member")]);
    render(&members_page(&state, ctx, f).await?)
}

pub async fn add_member(
    State(state): State<AppState>,
    ctx: RequestCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let mut f = form_of(pairs);
    let form: SeatForm = f.decode().map_err(AppError::Internal)?;
    let outcome = match form.parse() {
        Ok(new) => {
            state
                .store
                .add_ethics_seat(&ctx.audit(), &new, now_micros())
                .await
        }
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    match outcome {
        Ok(_) => Ok(see_other("/ethics/members")),
        Err(StoreError::Refused(errors)) => {
            f.add_errors(&errors, ctx.lang);
            let page = members_page(&state, ctx, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct EndForm {
    #[serde(default)]
    ethics_until: String,
}

/// Ends a term (its last day), or reopens it with an empty day.
pub async fn update_member(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let f = form_of(pairs);
    let end: EndForm = f.decode().map_err(AppError::Internal)?;
    let seat = state.store.ethics_seat(id).await?;
    let form = SeatForm {
        ethics_person: seat.person_id.to_string(),
        ethics_role: seat.role.clone(),
        ethics_from: seat.from_on.clone(),
        ethics_until: end.ethics_until,
    };
    let outcome = match form.parse() {
        Ok(new) => {
            state
                .store
                .update_ethics_seat(&ctx.audit(), id, &new, now_micros())
                .await
        }
        Err(errors) => Err(StoreError::Refused(errors)),
    };
    match outcome {
        Ok(_) => Ok(see_other("/ethics/members")),
        Err(StoreError::Refused(errors)) => {
            let mut f = FormView::default();
            f.add_errors(&errors, ctx.lang);
            let page = members_page(&state, ctx, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}
