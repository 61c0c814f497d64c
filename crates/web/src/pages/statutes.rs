//! The statutes' pages (C11; reference/governance.md §8.3): the versions (the one in force
//! today marked), one version's articles with their tags in the reader's language, the
//! article-by-article comparison of two versions with a word diff, and the form of a new
//! version, which starts from the articles of the latest one.
//! Board, administrators and accountants read; the board and administrators add versions.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use ruche_domain::governance::statutes::{
    ArticleChange, ArticleForm, StatuteVersionForm, VoteWeighting, compare as compare_articles,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::statutes::{StatuteVersionFull, StatuteVersionRecord};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statutes", get(list).post(create))
        .route("/statutes/new", get(new))
        .route("/statutes/compare", get(compare))
        .route("/statutes/{id}", get(show))
}

/// The id of the version in force today among `versions` (latest first).
fn in_force_id(versions: &[StatuteVersionRecord]) -> Option<i64> {
    let today = today().to_string();
    versions
        .iter()
        .find(|v| v.effective_from <= today)
        .map(|v| v.id)
}

#[derive(Template)]
#[template(path = "statutes.html")]
struct ListPage {
    c: RequestCtx,
    versions: Vec<StatuteVersionRecord>,
    in_force: Option<i64>,
    may_add: bool,
}

impl ListPage {
    fn is_in_force(&self, id: &i64) -> bool {
        self.in_force == Some(*id)
    }
}

pub async fn list(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    let versions = state.store.statute_versions().await?;
    render(&ListPage {
        in_force: in_force_id(&versions),
        may_add: ctx.may(Action::Create, Target::Governance),
        versions,
        c: ctx,
    })
}

/// One article as the reader sees it.
pub struct ArticleView {
    pub number: String,
    pub heading: String,
    pub text: String,
    pub tags: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "statutes_version.html")]
struct VersionPage {
    c: RequestCtx,
    version: StatuteVersionRecord,
    articles: Vec<ArticleView>,
    in_force: bool,
    previous: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let full = state.store.statute_version(id).await?;
    let versions = state.store.statute_versions().await?;
    let previous = versions
        .iter()
        .filter(|v| v.effective_from < full.version.effective_from)
        .map(|v| v.id)
        .next();
    let articles = full
        .articles
        .iter()
        .map(|a| {
            let article = a.article();
            ArticleView {
                number: a.number.clone(),
                heading: a.heading.clone(),
                text: article.text(ctx.lang).to_string(),
                tags: article.tags.iter().map(|t| t.code()).collect(),
            }
        })
        .collect();
    render(&VersionPage {
        in_force: in_force_id(&versions) == Some(id),
        previous,
        version: full.version,
        articles,
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "statutes_compare.html")]
struct ComparePage {
    c: RequestCtx,
    versions: Vec<StatuteVersionRecord>,
    from: Option<StatuteVersionRecord>,
    to: Option<StatuteVersionRecord>,
    changes: Vec<ArticleChange>,
}

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn compare(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<CompareQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let versions = state.store.statute_versions().await?;
    let (from, to, changes) = match (q.from, q.to) {
        (Some(from), Some(to)) => {
            let from = state.store.statute_version(from).await?;
            let to = state.store.statute_version(to).await?;
            let changes =
                compare_articles(&from.domain_articles(), &to.domain_articles(), ctx.lang);
            (Some(from.version), Some(to.version), changes)
        }
        _ => (None, None, Vec::new()),
    };
    render(&ComparePage {
        c: ctx,
        versions,
        from,
        to,
        changes,
    })
}

#[derive(Template)]
#[template(path = "statutes_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    articles: Vec<ArticleForm>,
    weighting_options: Vec<(String, String)>,
}

fn weighting_options(ctx: &RequestCtx) -> Vec<(String, String)> {
    VoteWeighting::ALL
        .iter()
        .map(|w| (w.code().to_string(), ctx.t_of("stat-weighting-", w.code())))
        .collect()
}

/// How many empty article rows the form offers after the copied ones.
const SPARE_ROWS: usize = 3;

pub async fn new(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let latest: Option<StatuteVersionFull> = match state.store.statute_versions().await?.first() {
        Some(v) => Some(state.store.statute_version(v.id).await?),
        None => None,
    };
    let mut f = FormView::with_defaults(&[
        ("stat_effective_from", &today().to_string()),
        ("stat_adopted_on", &today().to_string()),
        ("stat_vote_weighting", "per_person"),
        ("stat_proxies_per_holder", "1"),
        ("stat_resignation_months", "6"),
    ]);
    let mut articles = Vec::new();
    if let Some(latest) = &latest {
        let v = &latest.version;
        f.set("stat_vote_weighting", v.vote_weighting.clone());
        f.set("stat_proxies_per_holder", v.proxies_per_holder.to_string());
        f.set("stat_resignation_months", v.resignation_months.to_string());
        for (name, on) in [
            ("stat_proxy_must_be_member", v.proxy_must_be_member),
            ("stat_partial_resignation", v.partial_resignation_allowed),
            ("stat_dividends_allowed", v.dividends_allowed),
        ] {
            if on {
                f.set(name, "on");
            }
        }
        articles = latest
            .articles
            .iter()
            .map(|a| ArticleForm {
                number: a.number.clone(),
                heading: a.heading.clone(),
                text_fr: a.text_fr.clone(),
                text_nl: a.text_nl.clone(),
                text_en: a.text_en.clone(),
                tags: a.tags.clone(),
            })
            .collect();
    }
    articles.extend((0..SPARE_ROWS).map(|_| ArticleForm::default()));
    render(&FormPage {
        weighting_options: weighting_options(&ctx),
        c: ctx,
        f,
        articles,
    })
}

/// The article rows of the posted form: the repeated `art_*` fields, in order.
fn article_rows(pairs: &[(String, String)]) -> Vec<ArticleForm> {
    let column = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let numbers = column("art_number");
    let headings = column("art_heading");
    let fr = column("art_text_fr");
    let nl = column("art_text_nl");
    let en = column("art_text_en");
    let tags = column("art_tags");
    let cell = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    (0..numbers
        .len()
        .min(ruche_domain::governance::statutes::MAX_ARTICLES + 1))
        .map(|i| ArticleForm {
            number: cell(&numbers, i),
            heading: cell(&headings, i),
            text_fr: cell(&fr, i),
            text_nl: cell(&nl, i),
            text_en: cell(&en, i),
            tags: cell(&tags, i),
        })
        .collect()
}

/// The form of a new version from the posted fields (the articles apart).
pub fn version_form(pairs: &[(String, String)]) -> StatuteVersionForm {
    let one = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let text = |name: &str| one(name).unwrap_or_default();
    StatuteVersionForm {
        stat_label: text("stat_label"),
        stat_effective_from: text("stat_effective_from"),
        stat_adopted_on: text("stat_adopted_on"),
        stat_resolution: text("stat_resolution"),
        stat_vote_weighting: text("stat_vote_weighting"),
        stat_proxies_per_holder: text("stat_proxies_per_holder"),
        stat_proxy_must_be_member: one("stat_proxy_must_be_member"),
        stat_resignation_months: text("stat_resignation_months"),
        stat_partial_resignation: one("stat_partial_resignation"),
        stat_dividends_allowed: one("stat_dividends_allowed"),
        stat_summary: text("stat_summary"),
        articles: article_rows(pairs),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let form = version_form(&pairs);
    let errors = match form.parse() {
        Ok(new) => match state.store.create_statute_version(&ctx.audit(), &new).await {
            Ok(full) => return Ok(see_other(&format!("/statutes/{}", full.version.id))),
            Err(StoreError::Refused(e)) => e,
            Err(StoreError::Duplicate { field }) => FieldErrors::single(field, "taken"),
            Err(e) => return Err(e.into()),
        },
        Err(e) => e,
    };
    let mut f = FormView::new(
        pairs
            .iter()
            .filter(|(k, _)| !k.starts_with("art_"))
            .cloned()
            .collect(),
    );
    f.add_errors(&errors, ctx.lang);
    let mut articles = form.articles;
    articles.extend((0..1).map(|_| ArticleForm::default()));
    let page = FormPage {
        weighting_options: weighting_options(&ctx),
        c: ctx,
        f,
        articles,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
