//! The API of the training catalogue (C9), with the pages' rules and policy: a member lists
//! and creates their trainings (staff list every one); `/catalogue` is the public search,
//! open without a token, in the `Accept-Language` language.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use ruche_domain::policy::{Action, Target};
use ruche_domain::training::{TextForm, TrainingForm, TrainingStatus};
use ruche_domain::validate::FieldErrors;
use ruche_store::trainings::TrainingFilter;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::RequestCtx;
use crate::pages::catalogue::{CatalogueQuery, search};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/trainings", get(list).post(create))
        .route("/trainings/{id}", get(get_one))
        .route("/catalogue", get(catalogue))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
}

/// Staff: every training; a member: their own.
pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let staff =
        ruche_domain::policy::decide(&api.user.actor, Action::List, Target::Trainings).is_allowed();
    if !staff {
        api.authorize(
            Action::Create,
            Target::Training {
                given_by_actor: true,
            },
        )?;
    }
    let filter = TrainingFilter {
        trainer_person_id: (!staff).then_some(api.user.person.id),
        status: q.status.as_deref().and_then(TrainingStatus::parse),
        ..Default::default()
    };
    ok(state
        .store
        .trainings(&filter, api.lang(), paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let training = state
        .store
        .training(id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(
        Action::View,
        Target::Training {
            given_by_actor: training.trainer_person_id == api.user.person.id,
        },
    )?;
    let texts = state
        .store
        .training_texts(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let exemption = state
        .store
        .training_exemption(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "training": training, "texts": texts, "exemption": exemption }))
}

/// The pages' fields: `trn_activity`, `trn_topic`, `trn_audience`, `trn_place`,
/// `trn_languages` (a list), `trn_duration_hours`, `trn_price` (euros), and the first text
/// (`trn_text_language`, `trn_title`, `trn_goal`, …).
#[derive(Deserialize, Default)]
pub struct CreateBody {
    #[serde(flatten)]
    facts: TrainingForm,
    #[serde(default)]
    trn_languages: Vec<String>,
    #[serde(flatten)]
    text: TextForm,
}

pub async fn create(
    api: ApiUser,
    State(state): State<AppState>,
    body: Result<Json<CreateBody>, JsonRejection>,
) -> ApiResult {
    api.authorize(
        Action::Create,
        Target::Training {
            given_by_actor: true,
        },
    )?;
    let mut body = api.body(body)?;
    body.facts.trn_languages = std::mem::take(&mut body.trn_languages);
    let mut errors = FieldErrors::new();
    let facts = body.facts.parse().map_err(|e| errors.0.extend(e.0)).ok();
    let text = body.text.parse().map_err(|e| errors.0.extend(e.0)).ok();
    let (Some(facts), Some(text)) = (facts, text) else {
        return Err(ApiError::invalid(&errors, api.lang()));
    };
    let training = state
        .store
        .create_training(&api.audit(), api.user.person.id, &facts, &text)
        .await
        .map_err(|e| api.store_error(e))?;
    state
        .search
        .catalogue
        .refresh(&state.store)
        .await
        .map_err(|_| ApiError::internal())?;
    created(training)
}

/// The public search: `?q=&topic=&language=&place=&audience=&page=`.
pub async fn catalogue(
    ctx: RequestCtx,
    State(state): State<AppState>,
    Query(q): Query<CatalogueQuery>,
) -> axum::response::Response {
    match search(&state, &q, ctx.lang).await {
        Ok(page) => {
            let items: Vec<Value> = page
                .items
                .iter()
                .map(|f| json!({ "training": f.training, "snippet_html": f.snippet_html }))
                .collect();
            Json(json!({ "items": items, "total": page.total, "page": page.page, "per_page": page.per_page }))
                .into_response()
        }
        Err(_) => ApiError::internal().into_response(),
    }
}

pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let responses = |ok: &str, description: &str| {
        json!({
            ok: { "description": description, "content": { "application/json": {} } },
            "401": { "description": "missing or revoked token", "content": problem },
            "403": { "description": "refused by the policy", "content": problem },
            "404": { "description": "not found", "content": problem },
            "422": { "description": "invalid input; each error names its field", "content": problem },
        })
    };
    let page =
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } });
    let tag = ["trainings"];
    paths.insert(
        "/api/v1/trainings".into(),
        json!({
            "get": { "summary": "Trainings: a member's own, or every one for staff", "tags": tag,
                "parameters": [page, { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["draft", "pending", "published", "cancelled"] } }],
                "responses": responses("200", "a page of trainings") },
            "post": { "summary": "Describe a training (a draft) on an activity the member holds, with its first text", "tags": tag,
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "trn_activity": { "type": "string" }, "trn_topic": { "type": "string" }, "trn_audience": { "type": "string" },
                    "trn_place": { "type": "string" }, "trn_languages": { "type": "array", "items": { "type": "string", "enum": ["fr", "nl", "en"] } },
                    "trn_duration_hours": { "type": "string" }, "trn_price": { "type": "string", "description": "euros" },
                    "trn_text_language": { "type": "string" }, "trn_title": { "type": "string" }, "trn_goal": { "type": "string" },
                    "trn_methodology": { "type": "string" }, "trn_audience_text": { "type": "string" }, "trn_prerequisites": { "type": "string" } } } } } },
                "responses": responses("201", "the training") }
        }),
    );
    paths.insert(
        "/api/v1/trainings/{id}".into(),
        json!({ "get": { "summary": "One training with its texts and its art. 44 checklist", "tags": tag,
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": responses("200", "the training") } }),
    );
    paths.insert(
        "/api/v1/catalogue".into(),
        json!({ "get": { "summary": "The public catalogue's search (no token needed): full text with French and Dutch stemming, and filters", "tags": tag, "security": [],
            "parameters": [
                { "name": "q", "in": "query", "schema": { "type": "string" } },
                { "name": "topic", "in": "query", "schema": { "type": "string" } },
                { "name": "language", "in": "query", "schema": { "type": "string", "enum": ["fr", "nl", "en"] } },
                { "name": "place", "in": "query", "schema": { "type": "string" } },
                { "name": "audience", "in": "query", "schema": { "type": "string" } },
                page],
            "responses": { "200": { "description": "a page of published trainings", "content": { "application/json": {} } } } } }),
    );
}
