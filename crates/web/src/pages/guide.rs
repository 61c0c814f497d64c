//! The guide (C10): a public knowledge base of articles in French, Dutch and English.
//!
//! Anyone reads the published public articles, without signing in; members and staff also
//! read the members-only ones; the editors (administrators and advisors) write drafts,
//! publish, and keep every text as revisions per language with their history and diffs.
//! A visitor asking for a members-only article is sent to the login page without its title;
//! a draft is a 404 to everyone but the editors.
//!
//! Views are counted per article and day only (no address, account or cookie is stored;
//! crawlers are not counted). Markdown is rendered with raw HTML escaped and only safe link
//! schemes kept, so no script can get into a page through an article.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use pulldown_cmark::{CowStr, Event, Parser, Tag};
use ruche_domain::Language;
use ruche_domain::guide::{
    ArticleForm, Audience, CategoryForm, FORM_KEYS, RevisionForm, Status, is_bot, pick_language,
};
use ruche_domain::policy::{Action, Actor, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::attachments::AttachmentRecord;
use ruche_store::guide::{
    ArticleListItem, ArticleRecord, CategoryRecord, GuideFilter, LinkingArticle, MostRead,
    RevisionRecord,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::attachments;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

/// The owner kind of the guide's attachments.
pub const OWNER_KIND: &str = "guide_article";
const PER_PAGE: i64 = 50;
const SEARCH_PER_PAGE: usize = 20;
const MOST_READ: i64 = 10;
/// The longest query considered (a search box, not an essay).
const MAX_QUERY_CHARS: usize = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/guide", get(home))
        .route("/guide/search", get(search))
        .route("/guide/new", get(new).post(create))
        .route("/guide/categories", get(categories).post(create_category))
        .route("/guide/categories/{id}", post(update_category))
        .route("/guide/{slug}", get(article))
        .route("/guide/{slug}/edit", get(edit).post(revise))
        .route("/guide/{slug}/settings", post(update_settings))
        .route(
            "/guide/{slug}/attachments",
            post(upload).layer(attachments::body_limit()),
        )
        .route("/guide/{slug}/attachments/{id}", get(attachment))
        .route("/guide/{slug}/history", get(history))
        .route("/guide/{slug}/diff", get(diff))
}

// ------------------------------------------------------------------------ the reader

/// Who is reading: the signed-in user, or a visitor without any role.
pub fn reader(ctx: &RequestCtx) -> Actor {
    ctx.user
        .as_deref()
        .map(|u| u.actor.clone())
        .unwrap_or_default()
}

fn article_target(published: bool, members_only: bool) -> Target {
    Target::GuideArticle {
        published,
        members_only,
    }
}

/// May the reader see this article? A visitor is sent to sign in for a published
/// members-only article (nothing of it is shown); otherwise a refusal is a 404, so that
/// a draft's existence does not leak.
fn check_view(ctx: &RequestCtx, a: &ArticleRecord) -> Result<(), AppError> {
    let actor = reader(ctx);
    match decide(
        &actor,
        Action::View,
        article_target(a.published(), a.members_only()),
    ) {
        Decision::Allowed => Ok(()),
        _ if ctx.user.is_none() && a.published() => Err(AppError::SignInRequired),
        _ => Err(AppError::NotFound),
    }
}

fn may_see(ctx: &RequestCtx, published: bool, members_only: bool) -> bool {
    decide(
        &reader(ctx),
        Action::View,
        article_target(published, members_only),
    )
    .is_allowed()
}

fn is_editor(ctx: &RequestCtx) -> bool {
    ctx.may(Action::Update, Target::Guide)
}

/// The list filter the reader is entitled to.
fn filter_for(ctx: &RequestCtx) -> GuideFilter {
    GuideFilter {
        drafts: is_editor(ctx),
        members: may_see(ctx, true, true),
        ..Default::default()
    }
}

async fn article_by_slug(state: &AppState, slug: &str) -> Result<ArticleRecord, AppError> {
    match state.store.guide_article_by_slug(slug).await {
        Ok(a) => Ok(a),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// The article that explains the rules of a form (`expense`, `contract`, `loan`,
/// `training`), if one is published and the reader may see it: (title, url) for a
/// "Rules: …" line on the form. Other modules call this from their form handlers.
pub async fn rules_link(
    state: &AppState,
    ctx: &RequestCtx,
    form_key: &str,
) -> Option<(String, String)> {
    let a = state.store.guide_article_for_form(form_key).await.ok()??;
    if !may_see(ctx, a.published(), a.members_only()) {
        return None;
    }
    let langs = state.store.guide_languages(a.id).await.ok()?;
    let lang = pick_language(ctx.lang, &langs)?;
    let text = state.store.guide_current(a.id, lang).await.ok()??;
    Some((text.title, format!("/guide/{}", a.slug)))
}

/// Brings the search index up to date after a change (the index is rebuilt from the
/// database, so a failure here only delays the change in the results).
async fn refresh_search(state: &AppState) {
    if let Err(e) = state.search.guide.refresh(&state.store).await {
        tracing::warn!("guide search refresh failed: {e}");
    }
}

/// A count the Belgian way: `266000` → `266.000`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------- Markdown

/// Only these link schemes survive (no `javascript:`, no `data:`).
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // A relative link, or a colon after the path starts (`/a:b`, `?q=a:b`).
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Markdown as HTML: raw HTML is shown as text, unsafe link targets are dropped.
pub fn markdown_html(markdown: &str) -> String {
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        e => e,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

// --------------------------------------------------------------------------- diff

/// One line of a diff: `same`, `added` or `removed`, with the old and new line numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: &'static str,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: String,
}

/// A line diff of two texts.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    diff.iter_all_changes()
        .map(|c| DiffLine {
            kind: match c.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Insert => "added",
                ChangeTag::Delete => "removed",
            },
            old: c.old_index().map(|i| i + 1),
            new: c.new_index().map(|i| i + 1),
            text: c.value().trim_end_matches('\n').to_string(),
        })
        .collect()
}

// ------------------------------------------------------------------------- home

/// One category with the articles the reader may see.
struct Shelf {
    name: String,
    articles: Vec<ArticleListItem>,
}

#[derive(Template)]
#[template(path = "guide.html")]
struct HomePage {
    c: RequestCtx,
    shelves: Vec<Shelf>,
    recent: Vec<MostRead>,
    year: Vec<MostRead>,
    this_year: i16,
    editor: bool,
    total: i64,
    page: Page<ArticleListItem>,
}

pub async fn home(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<super::PageQuery>,
) -> Result<Response, AppError> {
    let filter = filter_for(&ctx);
    let page = state
        .store
        .guide_articles(
            ctx.lang,
            &filter,
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let cats = state.store.guide_categories().await?;
    let shelves = cats
        .iter()
        .map(|cat| Shelf {
            name: cat.name(ctx.lang).to_string(),
            articles: page
                .items
                .iter()
                .filter(|a| a.category_id == cat.id)
                .cloned()
                .collect(),
        })
        .filter(|s| !s.articles.is_empty())
        .collect();
    let day = today();
    let tomorrow = day.tomorrow().unwrap_or(day);
    let month_ago = day.checked_sub(jiff::Span::new().days(30)).unwrap_or(day);
    let jan = jiff::civil::date(day.year(), 1, 1);
    let recent = state
        .store
        .guide_most_read(ctx.lang, month_ago, tomorrow, filter.members, MOST_READ)
        .await?;
    let year = state
        .store
        .guide_most_read(ctx.lang, jan, tomorrow, filter.members, MOST_READ)
        .await?;
    render(&HomePage {
        shelves,
        recent,
        year,
        this_year: day.year(),
        editor: is_editor(&ctx),
        total: page.total,
        page,
        c: ctx,
    })
}

// ----------------------------------------------------------------------- search

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    page: Option<usize>,
}

/// A search result the reader may see.
pub struct Found {
    pub slug: String,
    pub title: String,
    pub snippet_html: String,
    pub members_only: bool,
    pub draft: bool,
}

#[derive(Template)]
#[template(path = "guide_search.html")]
struct SearchPage {
    c: RequestCtx,
    q: String,
    results: Vec<Found>,
    total: usize,
    page: usize,
    pages: usize,
}

/// Runs a search with the filters the reader is entitled to, and reads back the articles
/// found (skipping any the reader may not see, should the index lag behind).
pub async fn run_search(
    state: &AppState,
    ctx: &RequestCtx,
    text: &str,
    page: usize,
) -> Result<(Vec<Found>, usize), AppError> {
    let text: String = text.trim().chars().take(MAX_QUERY_CHARS).collect();
    if text.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let mut filters = Vec::new();
    if !may_see(ctx, true, true) {
        filters.push(("audience".to_string(), Audience::Public.code().to_string()));
    }
    let query = ruche_search::Query {
        text,
        filters,
        language: Some(ctx.lang),
        offset: page.saturating_sub(1) * SEARCH_PER_PAGE,
        limit: SEARCH_PER_PAGE,
    };
    let hits = state.search.guide.search(&state.store, &query).await?;
    let mut out = Vec::with_capacity(hits.hits.len());
    for hit in hits.hits {
        let a = match state.store.guide_article(hit.id).await {
            Ok(a) => a,
            Err(StoreError::NotFound) => continue,
            Err(e) => return Err(e.into()),
        };
        if !may_see(ctx, a.published(), a.members_only()) {
            continue;
        }
        let langs = state.store.guide_languages(a.id).await?;
        let Some(lang) = pick_language(ctx.lang, &langs) else {
            continue;
        };
        let Some(rev) = state.store.guide_current(a.id, lang).await? else {
            continue;
        };
        out.push(Found {
            members_only: a.members_only(),
            draft: !a.published(),
            slug: a.slug,
            title: rev.title,
            snippet_html: hit.snippet_html,
        });
    }
    Ok((out, hits.total))
}

pub async fn search(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let page = q.page.unwrap_or(1).max(1);
    let (results, total) = run_search(&state, &ctx, &q.q, page).await?;
    render(&SearchPage {
        q: q.q.trim().chars().take(MAX_QUERY_CHARS).collect(),
        results,
        total,
        page,
        pages: total.div_ceil(SEARCH_PER_PAGE).max(1),
        c: ctx,
    })
}

// ---------------------------------------------------------------------- article

#[derive(Template)]
#[template(path = "guide_article.html")]
struct ArticlePage {
    c: RequestCtx,
    article: ArticleRecord,
    category: String,
    text: RevisionRecord,
    html: String,
    languages: Vec<Language>,
    /// The reader's language is missing: this is another language's text.
    fallback: bool,
    linked_from: Vec<LinkingArticle>,
    files: Vec<AttachmentRecord>,
    editor: bool,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
    saved: Option<String>,
}

async fn article_page(
    state: &AppState,
    ctx: RequestCtx,
    a: ArticleRecord,
    wanted: Language,
    notice: Option<String>,
) -> Result<ArticlePage, AppError> {
    let languages = state.store.guide_languages(a.id).await?;
    let lang = pick_language(wanted, &languages).ok_or(AppError::NotFound)?;
    let text = state
        .store
        .guide_current(a.id, lang)
        .await?
        .ok_or(AppError::NotFound)?;
    let linked_from = state
        .store
        .guide_linked_from(ctx.lang, &a.slug)
        .await?
        .into_iter()
        .filter(|l| may_see(&ctx, l.published(), l.members_only()))
        .collect();
    let category = state
        .store
        .guide_category(a.category_id)
        .await
        .map(|c| c.name(ctx.lang).to_string())
        .unwrap_or_default();
    let files = state.store.attachments_of(OWNER_KIND, a.id).await?;
    Ok(ArticlePage {
        html: markdown_html(&text.body),
        fallback: lang != wanted,
        editor: is_editor(&ctx),
        category,
        text,
        languages,
        linked_from,
        files,
        notice,
        article: a,
        c: ctx,
    })
}

pub async fn article(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    check_view(&ctx, &a)?;
    let wanted = q
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(ctx.lang);
    // Counted: a published article read by a person (no crawler), nothing about them kept.
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if a.published() && !is_bot(agent) {
        state.store.record_guide_view(a.id, today()).await?;
    }
    let notice = q.saved.map(|_| ctx.t("guide-saved"));
    render(&article_page(&state, ctx, a, wanted, notice).await?)
}

pub async fn attachment(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    check_view(&ctx, &a)?;
    attachments::download(&state, OWNER_KIND, a.id, id).await
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    ctx.authorize(
        Action::Update,
        article_target(a.published(), a.members_only()),
    )?;
    let form = attachments::read_form(&mut multipart).await;
    match attachments::save(&state, &ctx.audit(), OWNER_KIND, a.id, &form).await {
        Ok(_) => Ok(see_other(&format!("/guide/{}/edit?saved=1", a.slug))),
        Err(AppError::Invalid(errors)) => {
            let wanted = Language::parse(form.field("guide_language")).unwrap_or(ctx.lang);
            let page = edit_page(&state, ctx, a, wanted, None, None, Some(errors)).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------- editing

type Options = Vec<(String, String)>;

fn category_options(ctx: &RequestCtx, cats: &[CategoryRecord]) -> Options {
    let mut out = vec![(String::new(), ctx.t("guide-choose"))];
    out.extend(
        cats.iter()
            .map(|c| (c.id.to_string(), c.name(ctx.lang).to_string())),
    );
    out
}

fn status_options(ctx: &RequestCtx) -> Options {
    Status::ALL
        .iter()
        .map(|s| (s.code().to_string(), ctx.t_of("guide-status-", s.code())))
        .collect()
}

fn audience_options(ctx: &RequestCtx) -> Options {
    Audience::ALL
        .iter()
        .map(|s| (s.code().to_string(), ctx.t_of("guide-audience-", s.code())))
        .collect()
}

fn form_key_options(ctx: &RequestCtx) -> Options {
    let mut out = vec![(String::new(), ctx.t("guide-form-none"))];
    out.extend(
        FORM_KEYS
            .iter()
            .map(|k| (k.to_string(), ctx.t_of("guide-form-", k))),
    );
    out
}

fn language_options(ctx: &RequestCtx) -> Options {
    Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), ctx.t_of("guide-lang-", l.code())))
        .collect()
}

#[derive(Template)]
#[template(path = "guide_new.html")]
struct NewPage {
    c: RequestCtx,
    f: FormView,
    categories: Options,
    statuses: Options,
    audiences: Options,
    form_keys: Options,
    languages: Options,
}

fn new_page(ctx: RequestCtx, cats: &[CategoryRecord], f: FormView) -> NewPage {
    NewPage {
        categories: category_options(&ctx, cats),
        statuses: status_options(&ctx),
        audiences: audience_options(&ctx),
        form_keys: form_key_options(&ctx),
        languages: language_options(&ctx),
        f,
        c: ctx,
    }
}

pub async fn new(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Guide)?;
    let cats = state.store.guide_categories().await?;
    let f = FormView::with_defaults(&[
        ("guide_status", "draft"),
        ("guide_audience", "public"),
        ("guide_language", ctx.lang.code()),
    ]);
    render(&new_page(ctx, &cats, f))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Guide)?;
    let mut f = FormView::new(pairs);
    let settings: ArticleForm = f.decode().map_err(AppError::Internal)?;
    let text: RevisionForm = f.decode().map_err(AppError::Internal)?;
    let errors = match (settings.parse(), text.parse()) {
        (Ok(s), Ok(t)) => match state.store.create_guide_article(&ctx.audit(), &s, &t).await {
            Ok(a) => {
                refresh_search(&state).await;
                return Ok(see_other(&format!(
                    "/guide/{}/edit?lang={}&saved=1",
                    a.slug,
                    t.language.code()
                )));
            }
            Err(e) => refusal(e)?,
        },
        (s, t) => {
            let mut e = s.err().unwrap_or_default();
            e.0.extend(t.err().unwrap_or_default().0);
            e
        }
    };
    f.add_errors(&errors, ctx.lang);
    let cats = state.store.guide_categories().await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &new_page(ctx, &cats, f))
}

/// A store refusal as field errors for the form, or an error for the error page.
fn refusal(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(errors) => Ok(errors),
        StoreError::Duplicate { field } => Ok(FieldErrors::single(field, "guide-slug-taken")),
        e => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "guide_edit.html")]
struct EditPage {
    c: RequestCtx,
    article: ArticleRecord,
    lang: Language,
    /// The current text of `lang`, if written.
    current: Option<RevisionRecord>,
    languages: Vec<Language>,
    unknown_links: Vec<String>,
    files: Vec<AttachmentRecord>,
    /// The settings form.
    s: FormView,
    /// The text form.
    f: FormView,
    /// The attachments form.
    u: FormView,
    categories: Options,
    statuses: Options,
    audiences: Options,
    form_keys: Options,
    notice: Option<String>,
}

fn settings_view(a: &ArticleRecord) -> FormView {
    FormView::with_defaults(&[
        ("guide_slug", &a.slug),
        ("guide_category", &a.category_id.to_string()),
        ("guide_status", &a.status),
        ("guide_audience", &a.audience),
        ("guide_form_key", a.form_key.as_deref().unwrap_or_default()),
    ])
}

async fn edit_page(
    state: &AppState,
    ctx: RequestCtx,
    a: ArticleRecord,
    lang: Language,
    s: Option<FormView>,
    f: Option<FormView>,
    upload_errors: Option<FieldErrors>,
) -> Result<EditPage, AppError> {
    let current = state.store.guide_current(a.id, lang).await?;
    let f = f.unwrap_or_else(|| {
        let (title, body) = current
            .as_ref()
            .map(|r| (r.title.as_str(), r.body.as_str()))
            .unwrap_or_default();
        FormView::with_defaults(&[
            ("guide_language", lang.code()),
            ("guide_title", title),
            ("guide_body", body),
        ])
    });
    let mut u = FormView::default();
    if let Some(errors) = upload_errors {
        u.add_errors(&errors, ctx.lang);
    }
    let cats = state.store.guide_categories().await?;
    Ok(EditPage {
        languages: state.store.guide_languages(a.id).await?,
        unknown_links: state.store.guide_unknown_links(a.id).await?,
        files: state.store.attachments_of(OWNER_KIND, a.id).await?,
        s: s.unwrap_or_else(|| settings_view(&a)),
        categories: category_options(&ctx, &cats),
        statuses: status_options(&ctx),
        audiences: audience_options(&ctx),
        form_keys: form_key_options(&ctx),
        notice: None,
        current,
        lang,
        f,
        u,
        article: a,
        c: ctx,
    })
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    ctx.authorize(
        Action::Update,
        article_target(a.published(), a.members_only()),
    )?;
    let lang = q
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(ctx.lang);
    let notice = q.saved.map(|_| ctx.t("guide-saved"));
    let mut page = edit_page(&state, ctx, a, lang, None, None, None).await?;
    page.notice = notice;
    render(&page)
}

pub async fn revise(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    ctx.authorize(
        Action::Update,
        article_target(a.published(), a.members_only()),
    )?;
    let mut f = FormView::new(pairs);
    let form: RevisionForm = f.decode().map_err(AppError::Internal)?;
    let lang = Language::parse(&form.guide_language).unwrap_or(ctx.lang);
    let errors = match form.parse() {
        Ok(rev) => match state
            .store
            .add_guide_revision(&ctx.audit(), a.id, &rev)
            .await
        {
            Ok(_) => {
                refresh_search(&state).await;
                return Ok(see_other(&format!(
                    "/guide/{}/edit?lang={}&saved=1",
                    a.slug,
                    rev.language.code()
                )));
            }
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = edit_page(&state, ctx, a, lang, None, Some(f), None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn update_settings(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    ctx.authorize(
        Action::Update,
        article_target(a.published(), a.members_only()),
    )?;
    let mut s = FormView::new(pairs);
    let form: ArticleForm = s.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(settings) => match state
            .store
            .update_guide_article(&ctx.audit(), a.id, &settings)
            .await
        {
            Ok(after) => {
                refresh_search(&state).await;
                return Ok(see_other(&format!("/guide/{}/edit?saved=1", after.slug)));
            }
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    s.add_errors(&errors, ctx.lang);
    let lang = ctx.lang;
    let page = edit_page(&state, ctx, a, lang, Some(s), None, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---------------------------------------------------------------- history, diff

#[derive(Template)]
#[template(path = "guide_history.html")]
struct HistoryPage {
    c: RequestCtx,
    article: ArticleRecord,
    lang: Language,
    languages: Vec<Language>,
    revisions: Page<RevisionRecord>,
}

#[derive(Deserialize, Default)]
pub struct HistoryQuery {
    lang: Option<String>,
    page: Option<i64>,
}

pub async fn history(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(slug): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    check_view(&ctx, &a)?;
    let languages = state.store.guide_languages(a.id).await?;
    let wanted = q
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(ctx.lang);
    let lang = pick_language(wanted, &languages).ok_or(AppError::NotFound)?;
    let revisions = state
        .store
        .guide_revisions(a.id, lang, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    render(&HistoryPage {
        article: a,
        lang,
        languages,
        revisions,
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "guide_diff.html")]
struct DiffPage {
    c: RequestCtx,
    article: ArticleRecord,
    lang: Language,
    from: RevisionRecord,
    to: RevisionRecord,
    title_changed: bool,
    lines: Vec<DiffLine>,
}

#[derive(Deserialize, Default)]
pub struct DiffQuery {
    lang: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn diff(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(slug): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    let a = article_by_slug(&state, &slug).await?;
    check_view(&ctx, &a)?;
    let lang = q
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(ctx.lang);
    let number = |s: &Option<String>| s.as_deref().and_then(|n| n.trim().parse::<i64>().ok());
    let (Some(from), Some(to)) = (number(&q.from), number(&q.to)) else {
        return Err(AppError::Invalid(FieldErrors::single(
            "guide_from",
            "guide-revision",
        )));
    };
    let read = |n: i64| {
        let state = state.clone();
        let id = a.id;
        async move {
            match state.store.guide_revision(id, lang, n).await {
                Ok(r) => Ok(r),
                Err(StoreError::NotFound) => Err(AppError::NotFound),
                Err(e) => Err(AppError::from(e)),
            }
        }
    };
    let from = read(from).await?;
    let to = read(to).await?;
    render(&DiffPage {
        lines: line_diff(&from.body, &to.body),
        title_changed: from.title != to.title,
        article: a,
        lang,
        from,
        to,
        c: ctx,
    })
}

// ------------------------------------------------------------------- categories

#[derive(Template)]
#[template(path = "guide_categories.html")]
struct CategoriesPage {
    c: RequestCtx,
    categories: Vec<CategoryRecord>,
    f: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn categories(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Guide)?;
    let categories = state.store.guide_categories().await?;
    render(&CategoriesPage {
        notice: q.saved.map(|_| ctx.t("guide-saved")),
        f: FormView::default(),
        categories,
        c: ctx,
    })
}

async fn category_result(
    state: &AppState,
    ctx: RequestCtx,
    mut f: FormView,
    id: Option<i64>,
) -> Result<Response, AppError> {
    let form: CategoryForm = f.decode().map_err(AppError::Internal)?;
    match form.parse() {
        Ok(new) => {
            match id {
                Some(id) => {
                    state
                        .store
                        .update_guide_category(&ctx.audit(), id, &new)
                        .await?
                }
                None => {
                    state
                        .store
                        .create_guide_category(&ctx.audit(), &new)
                        .await?
                }
            };
            Ok(see_other("/guide/categories?saved=1"))
        }
        Err(errors) => {
            f.add_errors(&errors, ctx.lang);
            let categories = state.store.guide_categories().await?;
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &CategoriesPage {
                    notice: None,
                    f,
                    categories,
                    c: ctx,
                },
            )
        }
    }
}

pub async fn create_category(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Guide)?;
    category_result(&state, ctx, FormView::new(pairs), None).await
}

pub async fn update_category(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Guide)?;
    state.store.guide_category(id).await?;
    category_result(&state, ctx, FormView::new(pairs), Some(id)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_script_gets_through_an_article() {
        let html = markdown_html(
            "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
             [click](javascript:alert(1)) [ok](/guide/frais) [web](https://smart.coop) \
             ![i](data:text/html;base64,xx) [mail](mailto:a@b.be)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("href=\"/guide/frais\""), "{html}");
        assert!(html.contains("href=\"https://smart.coop\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.be\""), "{html}");
    }

    #[test]
    fn markdown_keeps_headings_lists_and_tables() {
        let html = markdown_html("# Titre\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h1>Titre</h1>"));
        assert!(html.contains("<li>deux</li>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn a_diff_shows_removed_and_added_lines_with_their_numbers() {
        let lines = line_diff("a\nb\nc\n", "a\nB\nc\nd\n");
        let kinds: Vec<_> = lines.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                ("same", "a"),
                ("removed", "b"),
                ("added", "B"),
                ("same", "c"),
                ("added", "d")
            ]
        );
        assert_eq!((lines[1].old, lines[1].new), (Some(2), None));
        assert_eq!((lines[4].old, lines[4].new), (None, Some(4)));
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(266_000), "266.000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1.234.567");
        assert_eq!(thousands(-1_000), "-1.000");
    }

    #[test]
    fn relative_links_with_a_colon_are_kept() {
        assert!(safe_url("/guide/a:b"));
        assert!(safe_url("?q=a:b"));
        assert!(safe_url("#x"));
        assert!(!safe_url(" JavaScript:alert(1)"));
        assert!(!safe_url("vbscript:x"));
    }
}
