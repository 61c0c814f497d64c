//! General assemblies (C11; reference/governance.md §4). The board prepares the agenda,
//! convenes every shareholder (one mail each, in their language), opens the meeting, marks
//! who is present, keeps the proxy register, opens and closes each vote and watches the
//! live tally with raw and effective votes (the 1/10 cap); closing the assembly renders the
//! minutes PDF once. Members vote in the browser on `/assemblies/{id}/vote` — one block for
//! their own votes and one per principal whose proxy they hold — and may give their proxy
//! there; `/my/assemblies` lists the assemblies they are convened to.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::Language;
use ruche_domain::governance::convocation::{AssemblyForm, ConveneRequest};
use ruche_domain::governance::vote::{Choice, Outcome, ResolutionForm, ResolutionKind, Votes};
use ruche_domain::policy::{Action, Target};
use ruche_store::assemblies::{
    AssemblyRecord, AttendanceRecord, ConvocationMail, Minutes, ProxyRecord, ResolutionRecord,
    VoteRules, VoterView, VotingHolder,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assemblies", get(list).post(create))
        .route("/assemblies/{id}", get(show))
        .route("/assemblies/{id}/tally", get(tally_fragment))
        .route("/assemblies/{id}/resolutions", post(add_resolution))
        .route("/assemblies/{id}/request", post(request))
        .route("/assemblies/{id}/convene", post(convene))
        .route("/assemblies/{id}/open", post(open))
        .route("/assemblies/{id}/attendance", post(attendance))
        .route("/assemblies/{id}/proxies", post(proxy))
        .route("/assemblies/{id}/proxies/{pid}/revoke", post(revoke))
        .route(
            "/assemblies/{id}/resolutions/{rid}/open",
            post(open_resolution),
        )
        .route(
            "/assemblies/{id}/resolutions/{rid}/close",
            post(close_resolution),
        )
        .route("/assemblies/{id}/close", post(close))
        .route("/assemblies/{id}/minutes.pdf", get(minutes_pdf))
        .route("/assemblies/{id}/vote", get(vote_page).post(vote))
        .route("/assemblies/{id}/my-proxy", post(my_proxy))
        .route("/my/assemblies", get(mine))
}

const PER_PAGE: i64 = 25;

/// The translated text of a refusal code (`err-<code>`).
pub fn refusal(lang: Language, code: &str) -> String {
    i18n::field_error(lang, code)
}

/// One resolution with its tally: kept at closing, live while open, none before.
pub struct ResolutionView {
    pub r: ResolutionRecord,
    pub outcome: Option<Outcome>,
}

impl ResolutionView {
    pub fn is_open(&self) -> bool {
        self.r.status == "open"
    }
}

/// Votes as text (`77`, `9.5`).
pub fn votes(v: &Votes) -> String {
    v.display()
}

pub async fn resolution_views(
    state: &AppState,
    assembly_id: i64,
) -> Result<Vec<ResolutionView>, AppError> {
    let mut out = Vec::new();
    for r in state.store.resolutions(assembly_id).await? {
        let outcome = match r.status.as_str() {
            "open" | "adopted" | "rejected" => Some(state.store.resolution_tally(r.id).await?),
            _ => None,
        };
        out.push(ResolutionView { r, outcome });
    }
    Ok(out)
}

// ------------------------------------------------------------------ list and create

#[derive(Template)]
#[template(path = "assemblies.html")]
struct ListPage {
    c: RequestCtx,
    assemblies: Page<AssemblyRecord>,
    can_create: bool,
    kinds: Vec<(String, String)>,
    f: FormView,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

fn kinds(ctx: &RequestCtx) -> Vec<(String, String)> {
    ["ordinary", "extraordinary"]
        .iter()
        .map(|k| (k.to_string(), ctx.t_of("ga-kind-", k)))
        .collect()
}

async fn list_page(
    state: &AppState,
    ctx: RequestCtx,
    page: i64,
    f: FormView,
) -> Result<ListPage, AppError> {
    let assemblies = state
        .store
        .assemblies(PageRequest::new(page, PER_PAGE))
        .await?;
    Ok(ListPage {
        assemblies,
        can_create: ctx.may(Action::Create, Target::Governance),
        kinds: kinds(&ctx),
        f,
        c: ctx,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    let held = today()
        .saturating_add(jiff::Span::new().days(30))
        .to_string();
    let f = FormView::with_defaults(&[
        ("ga_kind", "ordinary"),
        ("ga_held_on", &held),
        ("ga_starts_at", "18:30"),
    ]);
    render(&list_page(&state, ctx, q.page.unwrap_or(1), f).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: AssemblyForm = f.decode().map_err(AppError::Internal)?;
    match form.parse() {
        Ok(new) => {
            let a = state.store.create_assembly(&ctx.audit(), &new).await?;
            Ok(see_other(&format!("/assemblies/{}", a.id)))
        }
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            let page = list_page(&state, ctx, 1, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// ------------------------------------------------------------------ the board's page

#[derive(Template)]
#[template(path = "assembly.html")]
struct ShowPage {
    c: RequestCtx,
    a: AssemblyRecord,
    resolutions: Vec<ResolutionView>,
    attendance: Vec<AttendanceRecord>,
    proxies: Vec<ProxyRecord>,
    holders: Vec<(String, String)>,
    rules: VoteRules,
    members_convened: i64,
    deadline: Option<String>,
    can_change: bool,
    res_kinds: Vec<(String, String)>,
    f: FormView,
    notice: Option<String>,
    refused: Option<String>,
}

#[derive(Template)]
#[template(path = "ga_tally.html")]
struct TallyFragment {
    c: RequestCtx,
    a: AssemblyRecord,
    resolutions: Vec<ResolutionView>,
    can_change: bool,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    f: FormView,
    notice: Option<String>,
    refused: Option<String>,
) -> Result<ShowPage, AppError> {
    let a = state.store.assembly(id).await?;
    let holders: Vec<VotingHolder> = state.store.assembly_holders(id).await?;
    let mut options: Vec<(String, String)> = vec![(String::new(), ctx.t("ga-choose-person"))];
    options.extend(
        holders
            .iter()
            .map(|h| (h.person_id.to_string(), h.name.clone())),
    );
    let res_kinds = ResolutionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), ctx.t_of("ga-res-kind-", k.as_str())))
        .collect();
    Ok(ShowPage {
        resolutions: resolution_views(state, id).await?,
        attendance: state.store.attendance(id).await?,
        proxies: state.store.proxies(id).await?,
        holders: options,
        rules: state.store.assembly_vote_rules(id).await?,
        members_convened: state.store.members_convened(id).await?,
        deadline: a.convene_deadline().map(|d| d.to_string()),
        can_change: ctx.may(Action::Update, Target::Governance),
        res_kinds,
        f,
        notice,
        refused,
        a,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let notice = q
        .done
        .filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(|d| ctx.t_of("ga-done-", &d));
    let f = FormView::with_defaults(&[("ga_res_kind", "ordinary")]);
    render(&show_page(&state, ctx, id, f, notice, None).await?)
}

/// The live tally, for the board's page to poll (htmx `every 5s`).
pub async fn tally_fragment(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let a = state.store.assembly(id).await?;
    render(&TallyFragment {
        resolutions: resolution_views(&state, id).await?,
        can_change: ctx.may(Action::Update, Target::Governance),
        a,
        c: ctx,
    })
}

/// After a board action: back to the page with its notice, or the page again (409) with
/// the refusal translated; nothing was changed.
async fn after(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    result: Result<&'static str, StoreError>,
    mut f: FormView,
) -> Result<Response, AppError> {
    match result {
        Ok(done) => Ok(see_other(&format!("/assemblies/{id}?done={done}"))),
        Err(StoreError::Conflict(code)) => {
            let message = refusal(ctx.lang, code);
            let page = show_page(state, ctx, id, f, None, Some(message)).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(StoreError::Refused(errors)) => {
            f.add_errors(&errors, ctx.lang);
            let page = show_page(state, ctx, id, f, None, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

fn board(ctx: &RequestCtx) -> Result<(), AppError> {
    ctx.authorize(Action::Update, Target::Governance)
        .map(|_| ())
}

pub async fn add_resolution(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    let mut f = FormView::new(pairs);
    let form: ResolutionForm = f.decode().map_err(AppError::Internal)?;
    match form.parse() {
        Ok(new) => {
            let r = state.store.add_resolution(&ctx.audit(), id, &new).await;
            after(&state, ctx, id, r.map(|_| "resolution"), f).await
        }
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            let page = show_page(&state, ctx, id, f, None, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[derive(Deserialize, Default)]
struct RequestForm {
    #[serde(default)]
    ga_received_on: String,
    #[serde(default)]
    ga_requesting_shares: String,
}

/// CSA 6:70 §1: holders of a tenth of the shares asked for the assembly.
pub async fn request(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    let mut f = FormView::new(pairs);
    let form: RequestForm = f.decode().map_err(AppError::Internal)?;
    let mut errors = ruche_domain::validate::FieldErrors::new();
    let received = form.ga_received_on.trim().parse::<jiff::civil::Date>().ok();
    if received.is_none() {
        errors.add("ga_received_on", "ga-bad-date");
    }
    let shares = form
        .ga_requesting_shares
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0);
    if shares.is_none() {
        errors.add("ga_requesting_shares", "ga-bad-shares");
    }
    let (Some(received), Some(shares)) = (received, shares) else {
        f.add_errors(&errors, ctx.lang);
        let page = show_page(&state, ctx, id, f, None, None).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match state
        .store
        .record_convene_request(&ctx.audit(), id, received, shares)
        .await
    {
        Ok(ConveneRequest::Required { .. }) => {
            Ok(see_other(&format!("/assemblies/{id}?done=request")))
        }
        Ok(ConveneRequest::NotRequired { share_bp, .. }) => {
            let message = i18n::t_args(
                ctx.lang,
                "ga-request-below",
                &[(
                    "percent",
                    format!("{},{:02}", share_bp / 100, share_bp % 100),
                )],
            );
            let page = show_page(&state, ctx, id, f, Some(message), None).await?;
            render(&page)
        }
        Err(e) => after(&state, ctx, id, Err(e), f).await,
    }
}

/// Convenes the assembly today: one mail per shareholder in their language.
pub async fn convene_now(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<AssemblyRecord, StoreError> {
    let a = state.store.assembly(id).await?;
    let agenda = state.store.resolutions(id).await?;
    let on = today();
    let convocees = state.store.convocees(on).await?;
    let mails = convocation_mails(&state.config.base_url, &a, &agenda, convocees);
    state
        .store
        .convene_assembly(&ctx.audit(), id, on, &mails)
        .await
}

/// The convocation of each shareholder, in their language, with the agenda and the link
/// to vote online. The page, the API and the demo share it.
pub fn convocation_mails(
    base_url: &str,
    a: &AssemblyRecord,
    agenda: &[ResolutionRecord],
    convocees: Vec<ruche_store::assemblies::Convocee>,
) -> Vec<ConvocationMail> {
    let lines: Vec<String> = agenda
        .iter()
        .map(|r| format!("{}. {}", r.position, r.title))
        .collect();
    let mut mails = Vec::new();
    for person in convocees {
        let lang = Language::parse(&person.language).unwrap_or(Language::Fr);
        let kind = i18n::t(lang, &format!("ga-kind-{}", a.kind));
        let place = if a.online && a.place.is_empty() {
            i18n::t(lang, "ga-online")
        } else if a.online {
            format!("{} + {}", a.place, i18n::t(lang, "ga-online"))
        } else {
            a.place.clone()
        };
        let args = [
            ("kind", kind),
            ("title", a.title.clone()),
            ("date", fmt_date(&a.held_on)),
            ("time", a.starts_at.clone()),
            ("place", place),
            ("agenda", lines.join("\n")),
            ("link", format!("{base_url}/assemblies/{}/vote", a.id)),
            ("name", person.name.clone()),
        ];
        mails.push(ConvocationMail {
            person_id: person.person_id,
            language: lang.code().to_string(),
            to: person.email.clone(),
            subject: i18n::t_args(lang, "ga-mail-subject", &args),
            body: i18n::t_args(lang, "ga-mail-body", &args),
        });
    }
    mails
}

pub async fn convene(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    let r = convene_now(&state, &ctx, id).await;
    after(&state, ctx, id, r.map(|_| "convene"), FormView::default()).await
}

pub async fn open(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    let r = state.store.open_assembly(&ctx.audit(), id).await;
    after(&state, ctx, id, r.map(|_| "open"), FormView::default()).await
}

#[derive(Deserialize, Default)]
struct AttendanceForm {
    #[serde(default)]
    ga_person: String,
    /// `present` (default) or `absent`.
    #[serde(default)]
    mark: String,
}

pub async fn attendance(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    let mut f = FormView::new(pairs);
    let form: AttendanceForm = f.decode().map_err(AppError::Internal)?;
    let Ok(person) = form.ga_person.trim().parse::<i64>() else {
        f.add_errors(
            &ruche_domain::validate::FieldErrors::single("ga_person", "required"),
            ctx.lang,
        );
        let page = show_page(&state, ctx, id, f, None, None).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let r = if form.mark == "absent" {
        state
            .store
            .mark_absent(&ctx.audit(), id, person)
            .await
            .map(|_| "absent")
    } else {
        state
            .store
            .mark_present(&ctx.audit(), id, person, "room")
            .await
            .map(|_| "present")
    };
    after(&state, ctx, id, r, f).await
}

#[derive(Deserialize, Default)]
struct ProxyForm {
    #[serde(default)]
    ga_principal: String,
    #[serde(default)]
    ga_holder: String,
}

fn person_field(
    errors: &mut ruche_domain::validate::FieldErrors,
    field: &'static str,
    v: &str,
) -> Option<i64> {
    let parsed = v.trim().parse::<i64>().ok();
    if parsed.is_none() {
        errors.add(field, "required");
    }
    parsed
}

pub async fn proxy(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    let mut f = FormView::new(pairs);
    let form: ProxyForm = f.decode().map_err(AppError::Internal)?;
    let mut errors = ruche_domain::validate::FieldErrors::new();
    let principal = person_field(&mut errors, "ga_principal", &form.ga_principal);
    let holder = person_field(&mut errors, "ga_holder", &form.ga_holder);
    let (Some(principal), Some(holder)) = (principal, holder) else {
        f.add_errors(&errors, ctx.lang);
        let page = show_page(&state, ctx, id, f, None, None).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let r = state
        .store
        .give_proxy(&ctx.audit(), id, principal, holder)
        .await;
    after(&state, ctx, id, r.map(|_| "proxy"), f).await
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    let p = state.store.revoke_proxy(&ctx.audit(), pid).await;
    if let Ok(p) = &p
        && p.assembly_id != id
    {
        return Err(AppError::NotFound);
    }
    after(&state, ctx, id, p.map(|_| "revoke"), FormView::default()).await
}

async fn resolution_of(state: &AppState, id: i64, rid: i64) -> Result<(), AppError> {
    let r = state.store.resolution(rid).await?;
    if r.assembly_id != id {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn open_resolution(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((id, rid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    resolution_of(&state, id, rid).await?;
    let r = state.store.open_resolution(&ctx.audit(), rid).await;
    after(&state, ctx, id, r.map(|_| "vote-open"), FormView::default()).await
}

pub async fn close_resolution(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((id, rid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    resolution_of(&state, id, rid).await?;
    let r = state.store.close_resolution(&ctx.audit(), rid).await;
    after(
        &state,
        ctx,
        id,
        r.map(|_| "vote-closed"),
        FormView::default(),
    )
    .await
}

/// Closes the assembly and renders its minutes once (in the language of the person who
/// closes it), keeping the PDF and its SHA-256.
pub async fn close_now(state: &AppState, ctx: &RequestCtx, id: i64) -> Result<(), AppError> {
    state.store.close_assembly(&ctx.audit(), id).await?;
    minutes_bytes(state, ctx.lang, id).await?;
    Ok(())
}

pub async fn close(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    board(&ctx)?;
    match close_now(&state, &ctx, id).await {
        Ok(()) => Ok(see_other(&format!("/assemblies/{id}?done=closed"))),
        Err(AppError::Store(e)) => after(&state, ctx, id, Err(e), FormView::default()).await,
        Err(e) => Err(e),
    }
}

/// The kept minutes PDF, rendered and kept at the first call after closing.
pub async fn minutes_bytes(state: &AppState, lang: Language, id: i64) -> Result<Vec<u8>, AppError> {
    let kept = state.store.minutes(id).await?;
    if let Some(pdf) = kept.pdf {
        return Ok(pdf);
    }
    let doc = minutes_document(&kept.minutes, lang);
    let pdf = tokio::task::spawn_blocking(move || ruche_pdf::render_minutes(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let sha = hex::encode(Sha256::digest(&pdf));
    state
        .store
        .keep_minutes_pdf(&ruche_store::AuditContext::system(), id, &pdf, &sha)
        .await?;
    // Another request may have kept its rendering first: serve what is kept.
    Ok(state.store.minutes(id).await?.pdf.unwrap_or(pdf))
}

pub async fn minutes_pdf(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let allowed = ctx.may(Action::View, Target::Governance)
        || state.store.is_convened(id, user.person.id).await?;
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let pdf = minutes_bytes(&state, ctx.lang, id).await?;
    Ok(super::invoices::attachment(
        "application/pdf",
        format!("ruche-pv-ag-{id}.pdf"),
        pdf,
    ))
}

// ------------------------------------------------------------------ members

#[derive(Template)]
#[template(path = "assembly_vote.html")]
struct VotePage {
    c: RequestCtx,
    a: AssemblyRecord,
    resolutions: Vec<ResolutionRecord>,
    view: VoterView,
    others: Vec<(String, String)>,
    notice: Option<String>,
    refused: Option<String>,
}

impl VotePage {
    fn open_count(&self) -> usize {
        self.resolutions
            .iter()
            .filter(|r| r.status == "open")
            .count()
    }

    /// The choice already cast for (resolution, principal), if any.
    fn cast(&self, resolution: &i64, principal: &i64) -> Option<String> {
        self.view
            .cast
            .iter()
            .find(|b| b.resolution_id == *resolution && b.principal_person_id == *principal)
            .map(|b| b.choice.clone())
    }
}

/// Whether the person takes part: convened, a shareholder on the date, or a proxy holder.
async fn involved(state: &AppState, id: i64, person: i64) -> Result<VoterView, AppError> {
    let view = state.store.voter_view(id, person).await?;
    if view.is_holder
        || !view.blocks.is_empty()
        || view.delegated_to.is_some()
        || state.store.is_convened(id, person).await?
    {
        Ok(view)
    } else {
        Err(AppError::NotFound)
    }
}

async fn vote_view(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    notice: Option<String>,
    refused: Option<String>,
) -> Result<VotePage, AppError> {
    let me = ctx.user()?.person.id;
    let a = state.store.assembly(id).await?;
    if a.status == "draft" {
        return Err(AppError::NotFound);
    }
    let mut view = involved(state, id, me).await?;
    // A member who opens the vote page of an open assembly is present online.
    if a.status == "open" && !view.blocks.is_empty() {
        state
            .store
            .mark_present(&ctx.audit(), id, me, "online")
            .await?;
        view = state.store.voter_view(id, me).await?;
    }
    let resolutions = state.store.resolutions(id).await?;
    let mut others = vec![(String::new(), ctx.t("ga-choose-person"))];
    if view.is_holder && view.delegated_to.is_none() {
        others.extend(
            state
                .store
                .assembly_holders(id)
                .await?
                .into_iter()
                .filter(|h| h.person_id != me)
                .map(|h| (h.person_id.to_string(), h.name)),
        );
    }
    Ok(VotePage {
        a,
        resolutions,
        view,
        others,
        notice,
        refused,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct VoteQuery {
    done: Option<String>,
}

pub async fn vote_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<VoteQuery>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let notice = q
        .done
        .filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(|d| ctx.t_of("ga-done-", &d));
    render(&vote_view(&state, ctx, id, notice, None).await?)
}

#[derive(Deserialize, Default)]
pub struct VoteForm {
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub principal: String,
    #[serde(default)]
    pub choice: String,
}

pub async fn vote(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<VoteForm>,
) -> Result<Response, AppError> {
    let me = ctx.user()?.person.id;
    let (Ok(rid), Ok(principal), Some(choice)) = (
        form.resolution.parse::<i64>(),
        form.principal.parse::<i64>(),
        Choice::parse(&form.choice),
    ) else {
        let message = refusal(ctx.lang, "ga-vote-choose");
        let page = vote_view(&state, ctx, id, None, Some(message)).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let r = state.store.resolution(rid).await?;
    if r.assembly_id != id {
        return Err(AppError::NotFound);
    }
    match state
        .store
        .cast_ballot(&ctx.audit(), rid, principal, me, choice)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/assemblies/{id}/vote?done=voted"))),
        Err(StoreError::Conflict(code)) => {
            let message = refusal(ctx.lang, code);
            let page = vote_view(&state, ctx, id, None, Some(message)).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct MyProxyForm {
    #[serde(default)]
    ga_holder: String,
}

/// A member gives their own proxy to another member.
pub async fn my_proxy(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<MyProxyForm>,
) -> Result<Response, AppError> {
    let me = ctx.user()?.person.id;
    involved(&state, id, me).await?;
    let Ok(holder) = form.ga_holder.trim().parse::<i64>() else {
        let message = refusal(ctx.lang, "ga-proxy-choose");
        let page = vote_view(&state, ctx, id, None, Some(message)).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match state.store.give_proxy(&ctx.audit(), id, me, holder).await {
        Ok(_) => Ok(see_other(&format!("/assemblies/{id}/vote?done=proxy"))),
        Err(StoreError::Refused(errors)) => {
            let message = errors
                .0
                .first()
                .map(|e| refusal(ctx.lang, e.code))
                .unwrap_or_default();
            let page = vote_view(&state, ctx, id, None, Some(message)).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(StoreError::Conflict(code)) => {
            let message = refusal(ctx.lang, code);
            let page = vote_view(&state, ctx, id, None, Some(message)).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "assemblies_mine.html")]
struct MinePage {
    c: RequestCtx,
    assemblies: Page<AssemblyRecord>,
}

pub async fn mine(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let me = ctx.user()?.person.id;
    let assemblies = state
        .store
        .assemblies_of_person(me, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    render(&MinePage { assemblies, c: ctx })
}

// ------------------------------------------------------------------ the minutes

fn fmt_date(iso: &str) -> String {
    iso.parse()
        .map(ruche_domain::format::date)
        .unwrap_or_else(|_| iso.to_string())
}

/// The minutes as the PDF prints them, in `lang`: attendance, proxies, and every
/// resolution with its raw and effective tallies, the cap and the parameter set.
pub fn minutes_document(m: &Minutes, lang: Language) -> ruche_pdf::MinutesPdf {
    use ruche_pdf::minutes::{MinutesSection, MinutesTable};
    let t = |key: &str| i18n::t(lang, key);
    let a = &m.assembly;
    let held: Option<jiff::civil::Date> = a.held_on.parse().ok();
    let mut facts = vec![
        format!(
            "{} — {} — {}",
            fmt_date(&a.held_on),
            a.starts_at,
            if a.place.is_empty() {
                t("ga-online")
            } else {
                a.place.clone()
            }
        ),
        i18n::t_args(
            lang,
            "ga-minutes-convened",
            &[
                ("count", m.members_convened.to_string()),
                (
                    "date",
                    a.convened_on.as_deref().map(fmt_date).unwrap_or_default(),
                ),
            ],
        ),
        i18n::t_args(
            lang,
            "ga-minutes-rules",
            &[
                (
                    "weighting",
                    t(&format!("ga-weighting-{}", m.rules.weighting.code())),
                ),
                ("denominator", m.rules.cap.denominator.to_string()),
                ("params", m.rules.params_version.clone()),
            ],
        ),
    ];
    if let Some(d) = a.convene_deadline() {
        facts.push(i18n::t_args(
            lang,
            "ga-deadline",
            &[("date", ruche_domain::format::date(d))],
        ));
    }
    let mut sections = Vec::new();
    let present_rows: Vec<Vec<String>> = m
        .attendance
        .iter()
        .map(|x| {
            let shares = m.holders.iter().find(|h| h.person_id == x.person_id);
            vec![
                x.name.clone(),
                t(&format!("ga-mode-{}", x.mode)),
                shares
                    .map(|h| h.shares.to_string())
                    .unwrap_or_else(|| "—".into()),
                shares
                    .map(|h| h.raw_votes.to_string())
                    .unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    sections.push(MinutesSection {
        heading: t("ga-attendance"),
        paragraphs: vec![i18n::t_args(
            lang,
            "ga-minutes-present",
            &[("count", m.attendance.len().to_string())],
        )],
        table: (!present_rows.is_empty()).then(|| MinutesTable {
            head: vec![
                t("ga-person"),
                t("ga-mode"),
                t("ga-shares"),
                t("ga-raw-votes"),
            ],
            rows: present_rows,
            numeric: vec![false, false, true, true],
        }),
    });
    let proxy_rows: Vec<Vec<String>> = m
        .proxies
        .iter()
        .map(|p| vec![p.principal_name.clone(), p.holder_name.clone()])
        .collect();
    sections.push(MinutesSection {
        heading: t("ga-proxies"),
        paragraphs: if proxy_rows.is_empty() {
            vec![t("ga-proxies-none")]
        } else {
            vec![]
        },
        table: (!proxy_rows.is_empty()).then(|| MinutesTable {
            head: vec![t("ga-principal"), t("ga-proxy-holder")],
            rows: proxy_rows,
            numeric: vec![false, false],
        }),
    });
    for mr in &m.resolutions {
        let r = &mr.resolution;
        let mut paragraphs = Vec::new();
        if !r.body.is_empty() {
            paragraphs.push(r.body.clone());
        }
        paragraphs.push(format!(
            "{} · {} · {}",
            t(&format!("ga-res-kind-{}", r.kind)),
            t(&format!("ga-quorum-{}", r.quorum_rule)),
            t(&format!("ga-majority-{}", r.majority_rule)),
        ));
        let mut table = None;
        if let Some(o) = &mr.outcome {
            paragraphs.push(i18n::t_args(
                lang,
                "ga-cap-line",
                &[
                    ("total", votes(&o.total_votes)),
                    ("denominator", o.cap_params.denominator.to_string()),
                    ("cap", votes(&o.cap)),
                ],
            ));
            if o.cap_inconsistent {
                paragraphs.push(t(if o.cap_applied {
                    "ga-cap-inconsistent-literal"
                } else {
                    "ga-cap-inconsistent-nocap"
                }));
            }
            paragraphs.push(i18n::t_args(
                lang,
                "ga-quorum-line",
                &[
                    ("present", o.shares_present.to_string()),
                    ("total", o.shares_total.to_string()),
                    (
                        "met",
                        t(if o.quorum_met {
                            "ga-yes-word"
                        } else {
                            "ga-no-word"
                        }),
                    ),
                ],
            ));
            table = Some(MinutesTable {
                head: vec![
                    String::new(),
                    t("ga-choice-yes"),
                    t("ga-choice-no"),
                    t("ga-choice-abstain"),
                ],
                rows: vec![
                    vec![
                        t("ga-raw"),
                        votes(&o.raw.yes),
                        votes(&o.raw.no),
                        votes(&o.raw.abstain),
                    ],
                    vec![
                        t("ga-effective"),
                        votes(&o.effective.yes),
                        votes(&o.effective.no),
                        votes(&o.effective.abstain),
                    ],
                ],
                numeric: vec![false, true, true, true],
            });
            let capped: Vec<String> = o
                .holders
                .iter()
                .filter(|h| h.effective != Votes::whole(h.raw))
                .map(|h| {
                    format!(
                        "{}: {} → {}",
                        m.name_of(h.person_id),
                        h.raw,
                        votes(&h.effective)
                    )
                })
                .collect();
            if !capped.is_empty() {
                paragraphs.push(format!("{} {}", t("ga-capped-holders"), capped.join(" ; ")));
            }
        }
        paragraphs.push(format!(
            "{} {}",
            t("ga-result"),
            t(&format!("ga-res-status-{}", r.status))
        ));
        sections.push(MinutesSection {
            heading: format!("{}. {}", r.position, r.title),
            paragraphs,
            table,
        });
    }
    let (y, mo, d) = held
        .map(|h| (h.year(), h.month(), h.day()))
        .unwrap_or((2000, 1, 1));
    ruche_pdf::MinutesPdf {
        lang: lang.code().to_string(),
        title: t("ga-minutes-title"),
        subtitle: format!("{} — {}", t(&format!("ga-kind-{}", a.kind)), a.title),
        entity_name: t("ga-minutes-entity"),
        date: (y, mo, d),
        facts,
        sections,
        footer: vec![t("ga-minutes-footer"), m.rules.params_version.clone()],
        page: t("ga-page"),
        ident: format!("ruche:minutes:{}", a.id),
    }
}
