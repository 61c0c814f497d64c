//! The API of the guide (C10): the list of articles, one article in a language, and the
//! search, with the pages' visibility rules. The guide is public: without a token the API
//! answers as to a visitor (published public articles only); with a token, as to its
//! account (members-only articles for members and staff, drafts for editors). A token that
//! is sent must be valid. Views are not counted through the API (only people reading pages).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::routing::get;
use ruche_domain::Language;
use ruche_domain::guide::pick_language;
use ruche_domain::policy::{Action, Actor, Target, decide};
use ruche_store::StoreError;
use ruche_store::guide::GuideFilter;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ok, paging};
use crate::AppState;
use crate::auth::hash_token;
use crate::context::{RequestCtx, load_user};
use crate::pages::guide::markdown_html;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/guide/articles", get(list))
        .route("/guide/articles/{slug}", get(get_article))
        .route("/guide/search", get(search))
}

/// The reader: the token's account when a token is sent, else a visitor without roles.
/// The request context is returned with that user, for the pages' search helper.
async fn reader(
    state: &AppState,
    ctx: RequestCtx,
    headers: &HeaderMap,
) -> Result<(Actor, RequestCtx), ApiError> {
    let lang = ctx.lang;
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        // The API never acts on a browser session.
        return Ok((Actor::default(), RequestCtx { user: None, ..ctx }));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .ok_or(ApiError::unauthorized(lang))?;
    let account_id = state
        .store
        .api_token_account(&hash_token(&token))
        .await
        .map_err(|e| ApiError::from_store(e, lang))?
        .ok_or(ApiError::unauthorized(lang))?;
    let user = load_user(&state.store, account_id)
        .await
        .map_err(|_| ApiError::internal())?
        .ok_or(ApiError::unauthorized(lang))?;
    let actor = user.actor.clone();
    Ok((
        actor,
        RequestCtx {
            user: Some(std::sync::Arc::new(user)),
            ..ctx
        },
    ))
}

fn may_see(actor: &Actor, published: bool, members_only: bool) -> bool {
    decide(
        actor,
        Action::View,
        Target::GuideArticle {
            published,
            members_only,
        },
    )
    .is_allowed()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    category: Option<i64>,
    lang: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let (actor, ctx) = reader(&state, ctx, &headers).await?;
    let lang = q
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(ctx.lang);
    let filter = GuideFilter {
        category_id: q.category,
        drafts: decide(&actor, Action::Update, Target::Guide).is_allowed(),
        members: may_see(&actor, true, true),
        status: None,
    };
    let page = state
        .store
        .guide_articles(lang, &filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| ApiError::from_store(e, ctx.lang))?;
    ok(page)
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

async fn get_article(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> ApiResult {
    let (actor, ctx) = reader(&state, ctx, &headers).await?;
    let l = ctx.lang;
    let store_err = |e: StoreError| ApiError::from_store(e, l);
    let a = state
        .store
        .guide_article_by_slug(&slug)
        .await
        .map_err(store_err)?;
    // A refusal is a 404 whatever the reason: the API never tells a members-only article
    // or a draft from one that does not exist.
    if !may_see(&actor, a.published(), a.members_only()) {
        return Err(ApiError::not_found(l));
    }
    let languages = state.store.guide_languages(a.id).await.map_err(store_err)?;
    let wanted = q.lang.as_deref().and_then(Language::parse).unwrap_or(l);
    let lang = pick_language(wanted, &languages).ok_or(ApiError::not_found(l))?;
    let text = state
        .store
        .guide_current(a.id, lang)
        .await
        .map_err(store_err)?
        .ok_or(ApiError::not_found(l))?;
    let html = markdown_html(&text.body);
    ok(json!({
        "id": a.id,
        "slug": a.slug,
        "category_id": a.category_id,
        "status": a.status,
        "audience": a.audience,
        "form_key": a.form_key,
        "updated_at": a.updated_at,
        "languages": languages,
        "language": lang,
        "revision": text.number,
        "title": text.title,
        "body": text.body,
        "html": html,
    }))
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    page: Option<usize>,
}

async fn search(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> ApiResult {
    let (_, ctx) = reader(&state, ctx, &headers).await?;
    let page = q.page.unwrap_or(1).max(1);
    let (found, total) = crate::pages::guide::run_search(&state, &ctx, &q.q, page)
        .await
        .map_err(|_| ApiError::internal())?;
    let items: Vec<Value> = found
        .into_iter()
        .map(|f| {
            json!({
                "slug": f.slug,
                "title": f.title,
                "snippet_html": f.snippet_html,
                "members_only": f.members_only,
                "draft": f.draft,
            })
        })
        .collect();
    ok(json!({ "query": q.q.trim(), "total": total, "page": page, "items": items }))
}

pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let responses = |description: &str| {
        json!({
            "200": { "description": description, "content": { "application/json": {} } },
            "401": { "description": "a token was sent and is not valid", "content": problem },
            "404": { "description": "no such article, or not visible to the reader", "content": problem },
        })
    };
    let lang = json!({ "name": "lang", "in": "query", "schema": { "type": "string", "enum": ["fr", "nl", "en"] } });
    let page =
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } });
    let per_page = json!({ "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } });
    let tag = ["guide"];
    paths.insert(
        "/api/v1/guide/articles".into(),
        json!({ "get": { "summary": "Guide articles the reader may see (no token: published public ones), by category then title", "tags": tag,
            "security": [{}, { "token": [] }],
            "parameters": [{ "name": "category", "in": "query", "schema": { "type": "integer" } }, lang, page, per_page],
            "responses": responses("a page of articles") } }),
    );
    paths.insert(
        "/api/v1/guide/articles/{slug}".into(),
        json!({ "get": { "summary": "One article in the asked language (else the first written: FR, NL, EN), its Markdown and its HTML", "tags": tag,
            "security": [{}, { "token": [] }],
            "parameters": [{ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } }, lang],
            "responses": responses("the article") } }),
    );
    paths.insert(
        "/api/v1/guide/search".into(),
        json!({ "get": { "summary": "Full-text search of the guide (French, Dutch and English stemming; Dutch compounds found by their parts)", "tags": tag,
            "security": [{}, { "token": [] }],
            "parameters": [{ "name": "q", "in": "query", "required": true, "schema": { "type": "string", "maxLength": 200 } }, page],
            "responses": responses("the articles found, best first") } }),
    );
}
