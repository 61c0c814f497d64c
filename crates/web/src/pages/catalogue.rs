//! The public training catalogue (C9), open without signing in, in the visitor's language:
//! full-text search (tantivy, French and Dutch stemming: "formations" finds "formation",
//! "opleidingen" finds "opleiding") with filters on topic, language, place and audience; a
//! training's page; and the contact form that sends a prospective client's request to the
//! trainer through the outbox. The form has a honeypot (`website`, hidden from people: a
//! filled one is answered as a success and nothing is recorded) and a rate limit counted in
//! the database (5 requests an hour per address, 3 per e-mail: 429 beyond).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::Language;
use ruche_domain::training::contact::ContactForm;
use ruche_domain::training::{AUDIENCES, TOPICS, TrainingStatus};
use ruche_search::Query as SearchQuery;
use ruche_store::trainings::{
    LeadMail, TrainingFilter, TrainingRecord, TrainingSummary, TrainingTextRecord, refusal,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalogue", get(list))
        .route("/catalogue/{id}", get(show))
        .route("/catalogue/{id}/contact", post(contact))
}

pub const PER_PAGE: i64 = 12;

type Options = Vec<(String, String)>;

/// The catalogue's query string.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct CatalogueQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub audience: String,
    pub page: Option<i64>,
}

impl CatalogueQuery {
    fn filters(&self) -> Vec<(String, String)> {
        [
            ("topic", &self.topic),
            ("language", &self.language),
            ("place", &self.place),
            ("audience", &self.audience),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
    }

    /// The query string without the page, for the pager's links.
    fn base(&self) -> String {
        let pairs = [
            ("q", self.q.trim()),
            ("topic", self.topic.trim()),
            ("language", self.language.trim()),
            ("place", self.place.trim()),
            ("audience", self.audience.trim()),
        ];
        let kept: Vec<(&str, &str)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        let encoded = serde_urlencoded::to_string(kept).unwrap_or_default();
        if encoded.is_empty() {
            "/catalogue?".into()
        } else {
            format!("/catalogue?{encoded}&")
        }
    }
}

/// One training of a page of results, with the extract around the words found.
pub struct Found {
    pub training: TrainingSummary,
    /// Escaped text with the words found in `<b>` (from the search index), or empty.
    pub snippet_html: String,
}

/// A page of the catalogue: from the index when words are typed, from the database
/// otherwise (the published trainings with the same filters).
pub async fn search(
    state: &AppState,
    q: &CatalogueQuery,
    lang: Language,
) -> Result<Page<Found>, AppError> {
    let page = PageRequest::new(q.page.unwrap_or(1), PER_PAGE);
    if q.q.trim().is_empty() {
        let list = state
            .store
            .trainings(
                &TrainingFilter {
                    status: Some(TrainingStatus::Published),
                    topic: Some(q.topic.trim().to_string()).filter(|s| !s.is_empty()),
                    language: Language::parse(&q.language),
                    place: Some(q.place.trim().to_string()).filter(|s| !s.is_empty()),
                    audience: Some(q.audience.trim().to_string()).filter(|s| !s.is_empty()),
                    ..Default::default()
                },
                lang,
                page,
            )
            .await?;
        let total = list.total;
        let items = list
            .items
            .into_iter()
            .map(|training| Found {
                training,
                snippet_html: String::new(),
            })
            .collect();
        return Ok(page.of(items, total));
    }
    let hits = state
        .search
        .catalogue
        .search(
            &state.store,
            &SearchQuery {
                text: q.q.trim().chars().take(200).collect(),
                filters: q.filters(),
                language: Some(lang),
                offset: usize::try_from(page.offset()).unwrap_or(0),
                limit: usize::try_from(page.per_page).unwrap_or(12),
            },
        )
        .await?;
    let ids: Vec<i64> = hits.hits.iter().map(|h| h.id).collect();
    let summaries = state
        .store
        .training_summaries(&ids, Some(TrainingStatus::Published), lang)
        .await?;
    let items = summaries
        .into_iter()
        .map(|training| Found {
            snippet_html: hits
                .hits
                .iter()
                .find(|h| h.id == training.id)
                .map(|h| h.snippet_html.clone())
                .unwrap_or_default(),
            training,
        })
        .collect();
    Ok(page.of(items, i64::try_from(hits.total).unwrap_or(0)))
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct ListPage {
    c: RequestCtx,
    q: CatalogueQuery,
    results: Page<Found>,
    base: String,
    topics: Options,
    languages: Options,
    places: Options,
    audiences: Options,
}

fn options(ctx: &RequestCtx, prefix: &str, list: &[&str]) -> Options {
    let mut out = vec![(String::new(), ctx.t("trn-any"))];
    out.extend(list.iter().map(|c| (c.to_string(), ctx.t_of(prefix, c))));
    out
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<CatalogueQuery>,
) -> Result<Response, AppError> {
    let results = search(&state, &q, ctx.lang).await?;
    let mut places = vec![(String::new(), ctx.t("trn-any"))];
    places.extend(
        state
            .store
            .training_places()
            .await?
            .into_iter()
            .map(|p| (p.clone(), p)),
    );
    render(&ListPage {
        base: q.base(),
        topics: options(&ctx, "trn-topic-", &TOPICS),
        languages: options(&ctx, "trn-lang-", &["fr", "nl", "en"]),
        audiences: options(&ctx, "trn-audience-", &AUDIENCES),
        places,
        results,
        q,
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "catalogue_training.html")]
struct ShowPage {
    c: RequestCtx,
    training: TrainingRecord,
    text: Option<TrainingTextRecord>,
    /// Other languages it is described in: (code, label).
    others: Options,
    f: FormView,
    sent: bool,
    /// The rate limit's message (429).
    limited: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    sent: Option<String>,
    /// Read the description in another language.
    text: Option<String>,
}

async fn published(state: &AppState, id: i64) -> Result<TrainingRecord, AppError> {
    let training = state.store.training(id).await?;
    if !training.is_published() {
        return Err(AppError::NotFound);
    }
    Ok(training)
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    training: TrainingRecord,
    text_lang: Option<&str>,
    f: FormView,
) -> Result<ShowPage, AppError> {
    let texts = state.store.training_texts(training.id).await?;
    let wanted = text_lang
        .and_then(Language::parse)
        .unwrap_or(ctx.lang)
        .code();
    let text = texts
        .iter()
        .find(|t| t.language == wanted)
        .or(texts.first())
        .cloned();
    let shown = text
        .as_ref()
        .map(|t| t.language.clone())
        .unwrap_or_default();
    let others = texts
        .iter()
        .filter(|t| t.language != shown)
        .map(|t| (t.language.clone(), ctx.t_of("trn-lang-", &t.language)))
        .collect();
    Ok(ShowPage {
        training,
        text,
        others,
        f,
        sent: false,
        limited: None,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let training = published(&state, id).await?;
    let mut page = show_page(
        &state,
        ctx,
        training,
        q.text.as_deref(),
        FormView::default(),
    )
    .await?;
    page.sent = q.sent.is_some();
    render(&page)
}

/// The mail to the trainer, in the trainer's language.
fn lead_mail(
    state: &AppState,
    training: &TrainingRecord,
    title: &str,
    c: &ruche_domain::training::contact::Contact,
) -> LeadMail {
    let lang = Language::parse(&training.trainer_language).unwrap_or_default();
    let none = || "—".to_string();
    LeadMail {
        subject: i18n::t_args(lang, "trn-mail-subject", &[("title", title.to_string())]),
        body: i18n::t_args(
            lang,
            "trn-mail-body",
            &[
                ("title", title.to_string()),
                ("name", c.name.clone()),
                ("email", c.email.clone()),
                ("phone", c.phone.clone().unwrap_or_else(none)),
                ("organisation", c.organisation.clone().unwrap_or_else(none)),
                ("message", c.message.clone()),
                ("link", format!("{}/trainings/leads", state.config.base_url)),
            ],
        ),
    }
}

/// A prospective client's request: checked, rate-limited, recorded and mailed to the
/// trainer; a robot's (honeypot filled) is answered the same and forgotten.
pub async fn contact(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let training = published(&state, id).await?;
    let mut f = FormView::new(pairs);
    let form: ContactForm = f.decode().map_err(AppError::Internal)?;
    let done = format!("/catalogue/{id}?sent=1#contact");
    if form.is_robot() {
        return Ok(see_other(&done));
    }
    let errors = match form.parse() {
        Err(e) => e,
        Ok(contact) => {
            let texts = state.store.training_texts(id).await?;
            let title = texts
                .iter()
                .find(|t| t.language == training.trainer_language)
                .or(texts.first())
                .map(|t| t.title.clone())
                .unwrap_or_default();
            let mail = lead_mail(&state, &training, &title, &contact);
            let ip = ctx.ip.clone().unwrap_or_else(|| "unknown".into());
            match state
                .store
                .record_contact(&ctx.audit(), id, &contact, ctx.lang, &ip, &mail)
                .await
            {
                Ok(_) => return Ok(see_other(&done)),
                Err(StoreError::Conflict(code)) if code == refusal::RATE_LIMITED => {
                    let message = ctx.t("err-trn-rate-limited");
                    let mut page = show_page(&state, ctx, training, None, f).await?;
                    page.limited = Some(message);
                    return render_status(StatusCode::TOO_MANY_REQUESTS, &page);
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    f.add_errors(&errors, ctx.lang);
    let page = show_page(&state, ctx, training, None, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
