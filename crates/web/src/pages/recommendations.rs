//! Recommendation cycles (C13, issue 8 §3): the cycles, a cycle's recommendations sorted by
//! supports with the write form, a recommendation (provenance, supporters, the board's
//! follow-up), the moderators' clusters of near-duplicates and consolidation proposals, and
//! the authors' consent page.
//!
//! Writing shows, before saving, the recommendations of the cycle that say nearly the same
//! (their score); the author may still save, or support one of them instead — one extra
//! click at most (decidim#12283: the comparator must not add friction).
//!
//! Policy: `Target::CooperativeLife` — `List`/`View`/`Create` (write, support, consent) for
//! members and staff, `Update` (cycles) for the participation staff, `Decide` (moderation,
//! consolidation, follow-up) for the participation staff, administrators and the board.
//! The API (`api/recommendations.rs`) shares [`consent_mails`] and [`notice_mails`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::Language;
use ruche_domain::policy::{Action, Target};
use ruche_domain::recommendations::similarity::DEFAULT_THRESHOLD_PERCENT;
use ruche_domain::recommendations::{
    ConsolidationForm, CycleForm, CyclePhase, FollowUpForm, RecommendationForm,
};
use ruche_domain::validate::FieldErrors;
use ruche_store::recommendations::{
    ConsolidationRecord, CycleRecord, FollowUpRecord, RecoCluster, RecoMail, RecoMails, RecoSort,
    RecommendationRecord, SimilarRecommendation,
};
use ruche_store::{Page, PageRequest, StoreError, now_micros};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::{AppState, i18n};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recommendations", get(cycles))
        .route("/recommendations/consents", get(consents))
        .route("/recommendations/cycles", post(create_cycle))
        .route("/recommendations/cycles/new", get(new_cycle))
        .route(
            "/recommendations/cycles/{id}",
            get(cycle).post(update_cycle),
        )
        .route("/recommendations/cycles/{id}/edit", get(edit_cycle))
        .route("/recommendations/cycles/{id}/write", post(write))
        .route("/recommendations/cycles/{id}/moderation", get(moderation))
        .route("/recommendations/cycles/{id}/consolidations", post(propose))
        .route("/recommendations/consolidations/{id}", get(consolidation))
        .route("/recommendations/consolidations/{id}/answer", post(answer))
        .route(
            "/recommendations/consolidations/{id}/carry-out",
            post(carry_out),
        )
        .route("/recommendations/consolidations/{id}/cancel", post(cancel))
        .route("/recommendations/{id}", get(show))
        .route("/recommendations/{id}/support", post(support))
        .route("/recommendations/{id}/unsupport", post(unsupport))
        .route("/recommendations/{id}/withdraw", post(withdraw))
        .route("/recommendations/{id}/follow-up", post(follow_up))
}

const PER_PAGE: i64 = 30;
const LIFE: Target = Target::CooperativeLife;

// ----------------------------------------------------------------------- shared logic

fn mails_of(render: impl Fn(Language) -> RecoMail) -> RecoMails {
    RecoMails {
        fr: render(Language::Fr),
        nl: render(Language::Nl),
        en: render(Language::En),
    }
}

/// The request for consent sent to each author of a proposal: a link to their consents.
pub fn consent_mails(state: &AppState) -> RecoMails {
    let link = format!("{}/recommendations/consents", state.config.base_url);
    mails_of(|lang| RecoMail {
        subject: i18n::t(lang, "reco-mail-consent-subject"),
        body: i18n::t_args(lang, "reco-mail-consent-body", &[("link", link.clone())]),
    })
}

/// The notice to each supporter of a consolidated recommendation: the result is waiting
/// for their support (theirs was not moved).
pub fn notice_mails(state: &AppState, consolidation: &ConsolidationRecord) -> RecoMails {
    let link = format!(
        "{}/recommendations/consolidations/{}",
        state.config.base_url, consolidation.id
    );
    mails_of(|lang| RecoMail {
        subject: i18n::t(lang, "reco-mail-notice-subject"),
        body: i18n::t_args(
            lang,
            "reco-mail-notice-body",
            &[
                ("title", consolidation.title.clone()),
                ("link", link.clone()),
            ],
        ),
    })
}

/// A refusal of the store as field errors; anything else is an error page.
pub fn refusal(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(f) => Ok(f),
        other => Err(other.into()),
    }
}

fn phase_of(cycle: &CycleRecord) -> Result<CyclePhase, AppError> {
    Ok(cycle.phase_on(today())?)
}

fn language_options(ctx: &RequestCtx) -> Vec<(String, String)> {
    Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), ctx.t_of("reco-language-", l.code())))
        .collect()
}

fn phase_options(ctx: &RequestCtx) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), ctx.t("reco-phase-by-dates"))];
    out.extend(
        CyclePhase::ALL
            .iter()
            .map(|p| (p.code().to_string(), ctx.t_of("reco-phase-", p.code()))),
    );
    out
}

fn names(r: &RecommendationRecord) -> String {
    r.authors
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The pairs of a posted form, without the repeated `reco_sources` boxes (returned apart).
fn split_sources(pairs: Vec<(String, String)>) -> (Vec<(String, String)>, Vec<i64>) {
    let mut ids = Vec::new();
    let mut rest = Vec::new();
    for (k, v) in pairs {
        if k == "reco_source" {
            if let Ok(id) = v.trim().parse::<i64>() {
                ids.push(id);
            }
        } else {
            rest.push((k, v));
        }
    }
    (rest, ids)
}

// -------------------------------------------------------------------------- the cycles

struct CycleRow {
    cycle: CycleRecord,
    phase: String,
}

#[derive(Template)]
#[template(path = "recommendations.html")]
struct CyclesPage {
    c: RequestCtx,
    cycles: Page<CycleRow>,
    may_edit: bool,
    pending_consents: usize,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn cycles(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::List, LIFE)?;
    let page = state
        .store
        .reco_cycles(PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for cycle in page.items {
        rows.push(CycleRow {
            phase: phase_of(&cycle)?.code().to_string(),
            cycle,
        });
    }
    let pending_consents = state
        .store
        .consolidations_for_author(user.person.id)
        .await?
        .iter()
        .filter(|k| {
            k.status == "pending"
                && k.consent_of(user.person.id)
                    .is_some_and(|c| c.answer == "pending")
        })
        .count();
    render(&CyclesPage {
        cycles: Page {
            items: rows,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        },
        may_edit: ctx.may(Action::Update, LIFE),
        pending_consents,
        base: "/recommendations?".into(),
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "reco_cycle_form.html")]
struct CycleFormPage {
    c: RequestCtx,
    f: FormView,
    id: Option<i64>,
    phases: Vec<(String, String)>,
}

fn cycle_form_page(ctx: RequestCtx, f: FormView, id: Option<i64>) -> CycleFormPage {
    CycleFormPage {
        phases: phase_options(&ctx),
        f,
        id,
        c: ctx,
    }
}

pub async fn new_cycle(ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, LIFE)?;
    let threshold = DEFAULT_THRESHOLD_PERCENT.to_string();
    let f = FormView::with_defaults(&[("reco_threshold", threshold.as_str())]);
    render(&cycle_form_page(ctx, f, None))
}

pub async fn edit_cycle(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, LIFE)?;
    let c = state.store.reco_cycle(id).await?;
    let f = FormView::new(vec![
        ("reco_title".into(), c.title.clone()),
        ("reco_theme".into(), c.theme.clone()),
        ("reco_proposal_from".into(), c.proposal_from.clone()),
        ("reco_support_from".into(), c.support_from.clone()),
        (
            "reco_consolidation_from".into(),
            c.consolidation_from.clone(),
        ),
        ("reco_follow_up_from".into(), c.follow_up_from.clone()),
        ("reco_closes_on".into(), c.closes_on.clone()),
        (
            "reco_phase".into(),
            c.phase_override.clone().unwrap_or_default(),
        ),
        ("reco_threshold".into(), c.threshold_percent.to_string()),
    ]);
    render(&cycle_form_page(ctx, f, Some(id)))
}

async fn save_cycle(
    state: AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, LIFE)?;
    let mut f = FormView::new(pairs);
    let form: CycleForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(new) => {
            let saved = match id {
                None => state.store.create_reco_cycle(&ctx.audit(), &new).await,
                Some(id) => state.store.update_reco_cycle(&ctx.audit(), id, &new).await,
            };
            match saved {
                Ok(c) => return Ok(see_other(&format!("/recommendations/cycles/{}", c.id))),
                Err(e) => refusal(e)?,
            }
        }
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &cycle_form_page(ctx, f, id),
    )
}

pub async fn create_cycle(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save_cycle(state, ctx, None, pairs).await
}

pub async fn update_cycle(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    state.store.reco_cycle(id).await?;
    save_cycle(state, ctx, Some(id), pairs).await
}

// ---------------------------------------------------------------------------- a cycle

pub struct RecoRow {
    pub r: RecommendationRecord,
    pub authors: String,
    pub supported: bool,
}

pub struct SimilarRow {
    pub r: RecommendationRecord,
    pub percent: i64,
    pub supported: bool,
}

#[derive(Template)]
#[template(path = "reco_cycle.html")]
struct CyclePage {
    c: RequestCtx,
    cycle: CycleRecord,
    phase: String,
    rows: Page<RecoRow>,
    may_write: bool,
    may_support: bool,
    may_moderate: bool,
    may_edit: bool,
    f: FormView,
    languages: Vec<(String, String)>,
    /// The near-duplicates of the text being written, shown before saving.
    similar: Vec<SimilarRow>,
    checked: bool,
    sort: String,
    status: String,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct CycleQuery {
    page: Option<i64>,
    sort: Option<String>,
    status: Option<String>,
}

async fn cycle_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    q: &CycleQuery,
    f: FormView,
    similar: Vec<SimilarRecommendation>,
    checked: bool,
) -> Result<CyclePage, AppError> {
    let user = ctx.authorize(Action::View, LIFE)?;
    let cycle = state.store.reco_cycle(id).await?;
    let phase = phase_of(&cycle)?;
    let sort = match q.sort.as_deref() {
        Some("new") => RecoSort::Newest,
        _ => RecoSort::Supports,
    };
    let status = q.status.clone().unwrap_or_else(|| "live".into());
    let filter = (status != "all").then_some(status.as_str());
    let page = state
        .store
        .cycle_recommendations(
            id,
            filter,
            sort,
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let supported = state.store.supported_in_cycle(id, user.person.id).await?;
    let create = ctx.may(Action::Create, LIFE);
    let rows = Page {
        items: page
            .items
            .into_iter()
            .map(|r| RecoRow {
                authors: names(&r),
                supported: supported.contains(&r.id),
                r,
            })
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    };
    let sort_code = if sort == RecoSort::Newest {
        "new"
    } else {
        "supports"
    };
    Ok(CyclePage {
        base: format!("/recommendations/cycles/{id}?sort={sort_code}&status={status}&"),
        languages: language_options(&ctx),
        may_write: create && phase.takes_recommendations(),
        may_support: create && phase.takes_supports(),
        may_moderate: ctx.may(Action::Decide, LIFE),
        may_edit: ctx.may(Action::Update, LIFE),
        similar: similar
            .into_iter()
            .map(|s| SimilarRow {
                supported: supported.contains(&s.recommendation.id),
                percent: s.percent,
                r: s.recommendation,
            })
            .collect(),
        phase: phase.code().to_string(),
        sort: sort_code.to_string(),
        status,
        cycle,
        rows,
        f,
        checked,
        c: ctx,
    })
}

pub async fn cycle(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<CycleQuery>,
) -> Result<Response, AppError> {
    let lang = ctx.lang.code();
    let f = FormView::with_defaults(&[("reco_language", lang)]);
    render(&cycle_page(&state, ctx, id, &q, f, Vec::new(), false).await?)
}

/// Writes a recommendation. Unless `reco_confirm` is set, the near-duplicates of the text
/// are shown first (200, nothing saved); the author saves anyway or supports one of them.
pub async fn write(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, LIFE)?;
    let person_id = user.person.id;
    let default_language = Language::parse(&user.person.language).unwrap_or(ctx.lang);
    let confirmed = pairs.iter().any(|(k, v)| k == "reco_confirm" && v == "1");
    let mut f = FormView::new(
        pairs
            .into_iter()
            .filter(|(k, _)| k != "reco_confirm")
            .collect(),
    );
    let form: RecommendationForm = f.decode().map_err(AppError::Internal)?;
    let q = CycleQuery::default();
    let errors = match form.parse(default_language) {
        Err(e) => e,
        Ok(new) => {
            if !confirmed {
                let similar = state
                    .store
                    .similar_recommendations(id, &new.title, &new.text, new.language, None)
                    .await?;
                if !similar.is_empty() {
                    let page = cycle_page(&state, ctx, id, &q, f, similar, true).await?;
                    return render(&page);
                }
            }
            match state
                .store
                .write_recommendation(&ctx.audit(), id, person_id, &new, now_micros())
                .await
            {
                Ok(r) => return Ok(see_other(&format!("/recommendations/{}?saved=1", r.id))),
                Err(e) => refusal(e)?,
            }
        }
    };
    f.add_errors(&errors, ctx.lang);
    let page = cycle_page(&state, ctx, id, &q, f, Vec::new(), false).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ------------------------------------------------------------------ a recommendation

struct HistoryRow {
    h: FollowUpRecord,
}

#[derive(Template)]
#[template(path = "reco_show.html")]
struct ShowPage {
    c: RequestCtx,
    r: RecommendationRecord,
    phase: String,
    origins: Vec<RecommendationRecord>,
    made_by: Vec<ConsolidationRecord>,
    history: Vec<HistoryRow>,
    supported: bool,
    may_support: bool,
    may_withdraw: bool,
    may_follow_up: bool,
    next_steps: Vec<(String, String)>,
    f: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
    supported: Option<String>,
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: FormView,
    notice: Option<String>,
) -> Result<ShowPage, AppError> {
    let user = ctx.authorize(Action::View, LIFE)?;
    let r = state.store.recommendation(id).await?;
    let cycle = state.store.reco_cycle(r.cycle_id).await?;
    let phase = phase_of(&cycle)?;
    let status = r.status()?;
    let supported = state
        .store
        .recommendation_supporters(id)
        .await?
        .contains(&user.person.id);
    let create = ctx.may(Action::Create, LIFE);
    let may_follow_up = ctx.may(Action::Decide, LIFE) && !status.next_follow_up().is_empty();
    Ok(ShowPage {
        origins: state.store.recommendation_origins(id).await?,
        made_by: state.store.consolidations_of_result(id).await?,
        history: state
            .store
            .recommendation_follow_ups(id)
            .await?
            .into_iter()
            .map(|h| HistoryRow { h })
            .collect(),
        may_support: create && phase.takes_supports() && status.is_open(),
        may_withdraw: create && r.is_author(user.person.id) && status.may_withdraw(),
        may_follow_up,
        next_steps: status
            .next_follow_up()
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("reco-status-", s.code())))
            .collect(),
        phase: phase.code().to_string(),
        supported,
        r,
        f,
        notice,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let notice = if q.saved.is_some() {
        Some(ctx.t("reco-saved"))
    } else if q.supported.is_some() {
        Some(ctx.t("reco-supported-notice"))
    } else {
        None
    };
    render(&show_page(&state, ctx, id, FormView::default(), notice).await?)
}

/// After a button on a recommendation: back to it, or its page with the refusal (422).
async fn after(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    pairs: Vec<(String, String)>,
    result: Result<Result<(), FieldErrors>, AppError>,
    done: &str,
) -> Result<Response, AppError> {
    match result? {
        Ok(()) => Ok(see_other(done)),
        Err(errors) => {
            let mut f = FormView::new(pairs);
            f.add_errors(&errors, ctx.lang);
            let page = show_page(state, ctx, id, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

fn outcome<T>(r: Result<T, StoreError>) -> Result<Result<(), FieldErrors>, AppError> {
    match r {
        Ok(_) => Ok(Ok(())),
        Err(e) => Ok(Err(refusal(e)?)),
    }
}

/// Where a support button sends back: the cycle when it came from there.
fn back_to(pairs: &[(String, String)], id: i64) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == "next")
        .map(|(_, v)| super::safe_next(v).to_string())
        .unwrap_or_else(|| format!("/recommendations/{id}?supported=1"))
}

pub async fn support(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, LIFE)?;
    let person = user.person.id;
    let r = state
        .store
        .support_recommendation(&ctx.audit(), id, person, now_micros())
        .await;
    let done = back_to(&pairs, id);
    after(&state, ctx, id, pairs, outcome(r), &done).await
}

pub async fn unsupport(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, LIFE)?;
    let person = user.person.id;
    let r = state
        .store
        .withdraw_support(&ctx.audit(), id, person, now_micros())
        .await;
    let done = back_to(&pairs, id);
    after(&state, ctx, id, pairs, outcome(r), &done).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, LIFE)?;
    let person = user.person.id;
    let r = state
        .store
        .withdraw_recommendation(&ctx.audit(), id, person, now_micros())
        .await;
    let done = format!("/recommendations/{id}");
    after(&state, ctx, id, pairs, outcome(r), &done).await
}

pub async fn follow_up(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, LIFE)?;
    let form: FollowUpForm = FormView::new(pairs.clone())
        .decode()
        .map_err(AppError::Internal)?;
    let result = match form.parse() {
        Err(e) => Ok(Err(e)),
        Ok(step) => outcome(
            state
                .store
                .follow_up_recommendation(&ctx.audit(), id, &step, now_micros())
                .await,
        ),
    };
    let done = format!("/recommendations/{id}");
    after(&state, ctx, id, pairs, result, &done).await
}

// ------------------------------------------------------------------------- moderation

pub struct ClusterView {
    pub cluster: RecoCluster,
    pub title: String,
    pub text: String,
    pub language: String,
    pub into: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "reco_moderation.html")]
struct ModerationPage {
    c: RequestCtx,
    cycle: CycleRecord,
    phase: String,
    clusters: Vec<ClusterView>,
    proposals: Vec<ConsolidationRecord>,
    may_consolidate: bool,
    languages: Vec<(String, String)>,
    f: FormView,
}

async fn moderation_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: FormView,
) -> Result<ModerationPage, AppError> {
    ctx.authorize(Action::Decide, LIFE)?;
    let cycle = state.store.reco_cycle(id).await?;
    let phase = phase_of(&cycle)?;
    let clusters = state
        .store
        .reco_clusters(id)
        .await?
        .into_iter()
        .map(|cluster| {
            let first = cluster.recommendations.first();
            let mut into = vec![(String::new(), ctx.t("reco-into-new"))];
            into.extend(
                cluster
                    .recommendations
                    .iter()
                    .map(|r| (r.id.to_string(), format!("#{} {}", r.id, r.title))),
            );
            ClusterView {
                title: first.map(|r| r.title.clone()).unwrap_or_default(),
                text: cluster
                    .recommendations
                    .iter()
                    .map(|r| r.body.as_str())
                    .collect::<Vec<_>>()
                    .join("\n\n"),
                language: first.map(|r| r.language.clone()).unwrap_or_default(),
                into,
                cluster,
            }
        })
        .collect();
    Ok(ModerationPage {
        proposals: state.store.cycle_consolidations(id).await?,
        may_consolidate: phase.takes_consolidations(),
        phase: phase.code().to_string(),
        languages: language_options(&ctx),
        clusters,
        cycle,
        f,
        c: ctx,
    })
}

pub async fn moderation(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&moderation_page(&state, ctx, id, FormView::default()).await?)
}

/// A moderator proposes a consolidation; each author is asked by e-mail.
pub async fn propose(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, LIFE)?;
    let (rest, boxes) = split_sources(pairs);
    let mut f = FormView::new(rest);
    let form: ConsolidationForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse(&boxes) {
        Err(e) => e,
        Ok(new) => match state
            .store
            .propose_consolidation(&ctx.audit(), id, &new, &consent_mails(&state), now_micros())
            .await
        {
            Ok(k) => {
                return Ok(see_other(&format!(
                    "/recommendations/consolidations/{}",
                    k.id
                )));
            }
            Err(e) => refusal(e)?,
        },
    };
    f.add_errors(&errors, ctx.lang);
    let page = moderation_page(&state, ctx, id, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---------------------------------------------------------------------- consolidations

pub struct SourceView {
    pub r: RecommendationRecord,
    pub authors: String,
    /// The one the others are merged into.
    pub is_into: bool,
}

#[derive(Template)]
#[template(path = "reco_consolidation.html")]
struct ConsolidationPage {
    c: RequestCtx,
    k: ConsolidationRecord,
    sources: Vec<SourceView>,
    result: Option<RecommendationRecord>,
    /// The signed-in author's answer is awaited.
    may_answer: bool,
    may_moderate: bool,
    notified: usize,
    f: FormView,
}

async fn consolidation_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: FormView,
) -> Result<ConsolidationPage, AppError> {
    let user = ctx.authorize(Action::View, LIFE)?;
    let k = state.store.consolidation(id).await?;
    let mut sources = Vec::with_capacity(k.source_ids.len());
    for sid in &k.source_ids {
        let r = state.store.recommendation(*sid).await?;
        sources.push(SourceView {
            authors: names(&r),
            is_into: k.into_recommendation_id == Some(r.id),
            r,
        });
    }
    let result = match k.result_id {
        Some(rid) => Some(state.store.recommendation(rid).await?),
        None => None,
    };
    let pending = k.status == "pending";
    Ok(ConsolidationPage {
        may_answer: pending
            && k.consent_of(user.person.id)
                .is_some_and(|c| c.answer == "pending"),
        may_moderate: pending && ctx.may(Action::Decide, LIFE),
        notified: state.store.consolidation_notices(id).await?.len(),
        sources,
        result,
        k,
        f,
        c: ctx,
    })
}

pub async fn consolidation(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&consolidation_page(&state, ctx, id, FormView::default()).await?)
}

async fn after_consolidation(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    result: Result<ConsolidationRecord, StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(see_other(&format!("/recommendations/consolidations/{id}"))),
        Err(e) => {
            let errors = refusal(e)?;
            let mut f = FormView::default();
            f.add_errors(&errors, ctx.lang);
            let page = consolidation_page(state, ctx, id, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// An author consents (`reco_answer=consent`) or refuses; the last consent carries the
/// consolidation out and tells the supporters.
pub async fn answer(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, LIFE)?;
    let person = user.person.id;
    let consent = pairs
        .iter()
        .any(|(k, v)| k == "reco_answer" && v == "consent");
    let k = state.store.consolidation(id).await?;
    let r = state
        .store
        .answer_consolidation(
            &ctx.audit(),
            id,
            person,
            consent,
            &notice_mails(&state, &k),
            now_micros(),
        )
        .await;
    after_consolidation(&state, ctx, id, r).await
}

/// A moderator carries out a proposal: refused with `reco-consent-missing` until every
/// author consented.
pub async fn carry_out(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, LIFE)?;
    let k = state.store.consolidation(id).await?;
    let r = state
        .store
        .carry_out_consolidation(&ctx.audit(), id, &notice_mails(&state, &k), now_micros())
        .await;
    after_consolidation(&state, ctx, id, r).await
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, LIFE)?;
    let r = state
        .store
        .cancel_consolidation(&ctx.audit(), id, now_micros())
        .await;
    after_consolidation(&state, ctx, id, r).await
}

#[derive(Template)]
#[template(path = "reco_consents.html")]
struct ConsentsPage {
    c: RequestCtx,
    items: Vec<(ConsolidationRecord, String)>,
}

/// The consolidations the signed-in member is asked to consent to, and their answers.
pub async fn consents(
    State(state): State<AppState>,
    ctx: RequestCtx,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::View, LIFE)?;
    let person = user.person.id;
    let items = state
        .store
        .consolidations_for_author(person)
        .await?
        .into_iter()
        .map(|k| {
            let mine = k
                .consent_of(person)
                .map(|c| c.answer.clone())
                .unwrap_or_default();
            (k, mine)
        })
        .collect();
    render(&ConsentsPage { items, c: ctx })
}

#[cfg(test)]
mod tests {
    use ruche_domain::recommendations::RecoStatus;

    use super::*;

    #[test]
    fn the_boxes_of_a_consolidation_are_read_apart() {
        let (rest, ids) = split_sources(vec![
            ("reco_source".into(), "4".into()),
            ("reco_title".into(), "T".into()),
            ("reco_source".into(), "7".into()),
            ("reco_source".into(), "x".into()),
        ]);
        assert_eq!(ids, vec![4, 7]);
        assert_eq!(rest, vec![("reco_title".to_string(), "T".to_string())]);
    }

    #[test]
    fn declined_is_a_follow_up_step() {
        assert!(
            RecoStatus::Submitted
                .next_follow_up()
                .contains(&RecoStatus::Declined)
        );
    }
}
