//! Advocacy and permanent education (C13), `/advocacy`: the cooperative's publications, its
//! conferences and debates, and the networks it belongs to, by year. Signed-in members and
//! staff read them (`Target::CooperativeLife` `View`); the participation staff and the
//! administrators record and change them (`Update`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use ruche_domain::advocacy::{
    EventForm, EventKind, NetworkForm, NetworkKind, PUBLICATION_LANGUAGES, PublicationForm,
    PublicationKind,
};
use ruche_domain::policy::{Action, Target};
use ruche_store::advocacy::{EventRecord, NetworkRecord, PublicationRecord};
use ruche_store::persons::PersonFilter;
use ruche_store::{Page, PageRequest, StoreError, now_micros};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/advocacy", get(list))
        .route("/advocacy/{what}/new", get(new_record))
        .route("/advocacy/{what}", axum::routing::post(create))
        .route("/advocacy/{what}/{id}", get(edit).post(update))
}

const PER_PAGE: i64 = 50;
const TARGET: Target = Target::CooperativeLife;

/// The three kinds of records, as their address says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Publication,
    Event,
    Network,
}

impl What {
    fn parse(s: &str) -> Result<What, AppError> {
        match s {
            "publications" => Ok(What::Publication),
            "events" => Ok(What::Event),
            "networks" => Ok(What::Network),
            _ => Err(AppError::NotFound),
        }
    }

    fn path(self) -> &'static str {
        match self {
            What::Publication => "publications",
            What::Event => "events",
            What::Network => "networks",
        }
    }

    fn kinds(self) -> Vec<&'static str> {
        match self {
            What::Publication => PublicationKind::ALL.iter().map(|k| k.code()).collect(),
            What::Event => EventKind::ALL.iter().map(|k| k.code()).collect(),
            What::Network => NetworkKind::ALL.iter().map(|k| k.code()).collect(),
        }
    }
}

// ---------------------------------------------------------------------------- the list

#[derive(Template)]
#[template(path = "advocacy.html")]
struct ListPage {
    c: RequestCtx,
    year: String,
    years: Vec<(String, String)>,
    publications: Page<PublicationRecord>,
    events: Page<EventRecord>,
    networks: Page<NetworkRecord>,
    audience: i64,
    may_edit: bool,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    year: Option<String>,
}

/// The year's publications, conferences and the memberships active at its end (`year=` empty:
/// every year). The current year by default.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, TARGET)?;
    let now = today().year();
    let year = match q.year.as_deref() {
        None => Some(now),
        Some(y) => y
            .trim()
            .parse::<i16>()
            .ok()
            .filter(|y| (1900..=2998).contains(y)),
    };
    let page = PageRequest::new(q.page.unwrap_or(1), PER_PAGE);
    let publications = state.store.publications(year, page).await?;
    let events = state.store.advocacy_events(year, page).await?;
    let networks = state
        .store
        .networks(year, PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?;
    let audience = events.items.iter().filter_map(|e| e.audience).sum();
    let mut years = vec![(String::new(), ctx.t("advocacy-all-years"))];
    years.extend(
        (now - 5..=now)
            .rev()
            .map(|y| (y.to_string(), y.to_string())),
    );
    let year = year.map(|y| y.to_string()).unwrap_or_default();
    render(&ListPage {
        may_edit: ctx.may(Action::Update, TARGET),
        base: format!("/advocacy?year={year}&"),
        year,
        years,
        publications,
        events,
        networks,
        audience,
        c: ctx,
    })
}

// ---------------------------------------------------------------------------- the form

#[derive(Template)]
#[template(path = "advocacy_form.html")]
struct FormPage {
    c: RequestCtx,
    what: &'static str,
    /// `None`: a new record.
    id: Option<i64>,
    f: FormView,
    kinds: Vec<(String, String)>,
    languages: Vec<(String, String)>,
    persons: Vec<(String, String)>,
}

async fn form_page(
    state: &AppState,
    ctx: RequestCtx,
    what: What,
    id: Option<i64>,
    f: FormView,
) -> Result<FormPage, AppError> {
    let prefix = format!("advocacy-{}-kind-", what.path());
    let kinds = what
        .kinds()
        .into_iter()
        .map(|k| (k.to_string(), ctx.t_of(&prefix, k)))
        .collect();
    let languages = PUBLICATION_LANGUAGES
        .iter()
        .map(|l| (l.to_string(), ctx.t_of("advocacy-language-", l)))
        .collect();
    let persons = if what == What::Network {
        let mut out = vec![(String::new(), "—".to_string())];
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
    Ok(FormPage {
        what: what.path(),
        id,
        f,
        kinds,
        languages,
        persons,
        c: ctx,
    })
}

pub async fn new_record(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(what): Path<String>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let what = What::parse(&what)?;
    let f = FormView::with_defaults(&[("advocacy_language", "fr")]);
    render(&form_page(&state, ctx, what, None, f).await?)
}

fn values_of_publication(p: &PublicationRecord) -> FormView {
    FormView::new(vec![
        ("advocacy_title".into(), p.title.clone()),
        ("advocacy_kind".into(), p.kind.clone()),
        ("advocacy_date".into(), p.published_on.clone()),
        ("advocacy_authors".into(), p.authors.clone()),
        (
            "advocacy_partners".into(),
            p.partners.clone().unwrap_or_default(),
        ),
        ("advocacy_link".into(), p.link.clone().unwrap_or_default()),
        ("advocacy_language".into(), p.language.clone()),
        (
            "advocacy_summary".into(),
            p.summary.clone().unwrap_or_default(),
        ),
    ])
}

fn values_of_event(e: &EventRecord) -> FormView {
    FormView::new(vec![
        ("advocacy_title".into(), e.title.clone()),
        ("advocacy_kind".into(), e.kind.clone()),
        ("advocacy_date".into(), e.held_on.clone()),
        ("advocacy_place".into(), e.place.clone()),
        ("advocacy_speakers".into(), e.speakers.clone()),
        (
            "advocacy_partners".into(),
            e.partners.clone().unwrap_or_default(),
        ),
        (
            "advocacy_audience".into(),
            e.audience.map(|a| a.to_string()).unwrap_or_default(),
        ),
    ])
}

fn values_of_network(n: &NetworkRecord) -> FormView {
    FormView::new(vec![
        ("advocacy_name".into(), n.name.clone()),
        ("advocacy_kind".into(), n.kind.clone()),
        ("advocacy_since".into(), n.since_on.clone()),
        (
            "advocacy_until".into(),
            n.until_on.clone().unwrap_or_default(),
        ),
        (
            "advocacy_fee".into(),
            n.fee_cents
                .map(ruche_domain::format::money)
                .unwrap_or_default(),
        ),
        (
            "advocacy_representative".into(),
            n.representative_person_id
                .map(|p| p.to_string())
                .unwrap_or_default(),
        ),
    ])
}

/// A record's form, to edit it (the staff) — members read the list.
pub async fn edit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((what, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let what = What::parse(&what)?;
    let f = match what {
        What::Publication => values_of_publication(&state.store.publication(id).await?),
        What::Event => values_of_event(&state.store.advocacy_event(id).await?),
        What::Network => values_of_network(&state.store.network(id).await?),
    };
    render(&form_page(&state, ctx, what, Some(id), f).await?)
}

/// Saves a record from its form: `Err` holds the refusal (bad input or a rule of the store).
async fn save(
    state: &AppState,
    ctx: &RequestCtx,
    what: What,
    id: Option<i64>,
    f: &FormView,
) -> Result<Result<(), ruche_domain::validate::FieldErrors>, AppError> {
    let audit = ctx.audit();
    let at = now_micros();
    let outcome = match what {
        What::Publication => {
            let form: PublicationForm = f.decode().map_err(AppError::Internal)?;
            match form.parse() {
                Ok(new) => state
                    .store
                    .save_publication(&audit, id, &new, at)
                    .await
                    .map(|_| ()),
                Err(e) => Err(StoreError::Refused(e)),
            }
        }
        What::Event => {
            let form: EventForm = f.decode().map_err(AppError::Internal)?;
            match form.parse() {
                Ok(new) => state
                    .store
                    .save_advocacy_event(&audit, id, &new, at)
                    .await
                    .map(|_| ()),
                Err(e) => Err(StoreError::Refused(e)),
            }
        }
        What::Network => {
            let form: NetworkForm = f.decode().map_err(AppError::Internal)?;
            match form.parse() {
                Ok(new) => state
                    .store
                    .save_network(&audit, id, &new, at)
                    .await
                    .map(|_| ()),
                Err(e) => Err(StoreError::Refused(e)),
            }
        }
    };
    match outcome {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Refused(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

async fn save_and_answer(
    state: AppState,
    ctx: RequestCtx,
    what: What,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, TARGET)?;
    let mut f = FormView::new(pairs);
    match save(&state, &ctx, what, id, &f).await? {
        Ok(()) => Ok(see_other("/advocacy?saved=1")),
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            let page = form_page(&state, ctx, what, id, f).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(what): Path<String>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let what = What::parse(&what)?;
    save_and_answer(state, ctx, what, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((what, id)): Path<(String, i64)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let what = What::parse(&what)?;
    save_and_answer(state, ctx, what, Some(id), pairs).await
}
