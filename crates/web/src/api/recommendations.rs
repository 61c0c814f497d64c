//! The API of recommendation cycles, with the pages' rules and policy
//! (`pages/recommendations.rs`): list the cycles and a cycle's recommendations, find the
//! recommendations that say nearly the same as a text, write one (the answer carries its
//! near-duplicates), support one and withdraw the support, read one with its provenance and
//! follow-up, and answer a consolidation proposal as an author.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use ruche_domain::Language;
use ruche_domain::policy::{Action, Target};
use ruche_domain::recommendations::{ERR_LANGUAGE, RecommendationForm};
use ruche_domain::validate::FieldErrors;
use ruche_store::now_micros;
use ruche_store::recommendations::{RecoSort, SimilarRecommendation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::pages::recommendations::notice_mails;

const LIFE: Target = Target::CooperativeLife;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recommendations/cycles", get(cycles))
        .route(
            "/recommendations/cycles/{id}/recommendations",
            get(list).post(create),
        )
        .route("/recommendations/cycles/{id}/similar", get(similar))
        .route("/recommendations/{id}", get(get_one))
        .route(
            "/recommendations/{id}/support",
            post(support).delete(unsupport),
        )
        .route("/recommendations/consolidations/{id}/answer", post(answer))
}

/// A near-duplicate as the API shows it.
#[derive(Serialize)]
struct Near {
    id: i64,
    title: String,
    status: String,
    supports: i64,
    percent: i64,
}

fn near(list: Vec<SimilarRecommendation>) -> Vec<Near> {
    list.into_iter()
        .map(|s| Near {
            id: s.recommendation.id,
            title: s.recommendation.title,
            status: s.recommendation.status,
            supports: s.recommendation.supports,
            percent: s.percent,
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
    per_page: Option<i64>,
}

/// The cycles, newest first, each with its phase today.
pub async fn cycles(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    api.authorize(Action::List, LIFE)?;
    let page = state
        .store
        .reco_cycles(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    let today = crate::context::today();
    let mut items = Vec::with_capacity(page.items.len());
    for c in page.items {
        let phase = c.phase_on(today).map_err(|e| api.store_error(e))?;
        items.push(json!({ "cycle": c, "phase": phase.code() }));
    }
    ok(json!({ "items": items, "total": page.total, "page": page.page, "per_page": page.per_page }))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    sort: Option<String>,
    status: Option<String>,
}

/// A cycle's recommendations: most supported first (`sort=new`: newest first); `status`:
/// `live` (default), `all` or a status.
pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, LIFE)?;
    state
        .store
        .reco_cycle(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let sort = match q.sort.as_deref() {
        Some("new") => RecoSort::Newest,
        _ => RecoSort::Supports,
    };
    let status = q.status.unwrap_or_else(|| "live".into());
    let filter = (status != "all").then_some(status.as_str());
    let page = state
        .store
        .cycle_recommendations(id, filter, sort, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

#[derive(Deserialize, Default)]
pub struct SimilarQuery {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    language: Option<String>,
}

/// The recommendations of the cycle that say nearly the same as `title` + `text`, with
/// their score (in hundredths), the closest first.
pub async fn similar(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<SimilarQuery>,
) -> ApiResult {
    api.authorize(Action::View, LIFE)?;
    let language = match q.language.as_deref().filter(|l| !l.is_empty()) {
        None => api.lang(),
        Some(l) => Language::parse(l).ok_or_else(|| {
            ApiError::invalid(&FieldErrors::single("language", ERR_LANGUAGE), api.lang())
        })?,
    };
    if q.title.trim().is_empty() && q.text.trim().is_empty() {
        return Err(ApiError::invalid(
            &FieldErrors::single("text", "required"),
            api.lang(),
        ));
    }
    let found = state
        .store
        .similar_recommendations(id, &q.title, &q.text, language, None)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "items": near(found) }))
}

/// Writes a recommendation (in the proposal phase). 201 with the recommendation and the
/// near-duplicates that existed before it (the author may support one and withdraw theirs).
pub async fn create(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<RecommendationForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, LIFE)?;
    let form = api.body(json)?;
    let default = Language::parse(&api.user.person.language).unwrap_or(api.lang());
    let new = form
        .parse(default)
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    let found = state
        .store
        .similar_recommendations(id, &new.title, &new.text, new.language, None)
        .await
        .map_err(|e| api.store_error(e))?;
    let r = state
        .store
        .write_recommendation(&api.audit(), id, api.user.person.id, &new, now_micros())
        .await
        .map_err(|e| api.store_error(e))?;
    created(json!({ "recommendation": r, "near_duplicates": near(found) }))
}

/// A recommendation with its provenance (what it consolidates, what it was consolidated
/// into) and the board's follow-up.
pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, LIFE)?;
    let s = &state.store;
    let r = s.recommendation(id).await.map_err(|e| api.store_error(e))?;
    let origins = s
        .recommendation_origins(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let follow_ups = s
        .recommendation_follow_ups(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "recommendation": r, "consolidates": origins, "follow_ups": follow_ups }))
}

/// Supports a recommendation (once per person). 201 with it.
pub async fn support(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::Create, LIFE)?;
    let r = state
        .store
        .support_recommendation(&api.audit(), id, api.user.person.id, now_micros())
        .await
        .map_err(|e| api.store_error(e))?;
    created(r)
}

/// Withdraws one's support. 200 with the recommendation.
pub async fn unsupport(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::Create, LIFE)?;
    let r = state
        .store
        .withdraw_support(&api.audit(), id, api.user.person.id, now_micros())
        .await
        .map_err(|e| api.store_error(e))?;
    ok(r)
}

#[derive(Deserialize)]
pub struct AnswerBody {
    consent: bool,
}

/// An author consents to (or refuses) a consolidation; the last consent carries it out.
pub async fn answer(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<AnswerBody>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, LIFE)?;
    let body = api.body(json)?;
    let k = state
        .store
        .consolidation(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let k = state
        .store
        .answer_consolidation(
            &api.audit(),
            id,
            api.user.person.id,
            body.consent,
            &notice_mails(&state, &k),
            now_micros(),
        )
        .await
        .map_err(|e| api.store_error(e))?;
    ok(k)
}

/// The OpenAPI paths and schemas of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let errors = |ok: &str, description: &str| {
        let mut out = Map::new();
        out.insert(ok.into(), json!({ "description": description }));
        for (code, d) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (not a member, or the usage contract is not accepted)",
            ),
            ("404", "no such cycle or recommendation"),
            (
                "422",
                "invalid input or refused by the cycle's phase or the recommendation's stage; each error names its field (reco-phase, reco-already-supported, reco-consent-missing…)",
            ),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let text = |d: &str| json!({ "type": "string", "description": d });
    let query = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "string" }, "description": d });
    schemas.insert(
        "RecommendationInput".into(),
        json!({ "type": "object", "required": ["reco_title", "reco_text"],
            "properties": {
                "reco_title": text("at most 200 characters"),
                "reco_text": text("at most 5,000 characters"),
                "reco_language": { "type": "string", "enum": ["fr", "nl", "en"], "description": "the author's language when empty" } } }),
    );
    schemas.insert(
        "Recommendation".into(),
        json!({ "type": "object", "description": "A recommendation: id, cycle_id, title, body, language, status (open | consolidated | withdrawn | submitted | accepted | in-progress | done | declined), origin (member | consolidation), consolidated_into (provenance), decline_reason, created_on, supports, authors [{ person_id, name, role: author | co-author }]." }),
    );
    schemas.insert(
        "NearDuplicate".into(),
        json!({ "type": "object", "description": "A recommendation that says nearly the same: id, title, status, supports, percent (similarity in hundredths: the larger of the trigram similarity without stop words and the shared word stems)." }),
    );
    paths.insert(
        "/recommendations/cycles".into(),
        json!({ "get": { "summary": "The recommendation cycles, newest first, with their phase", "tags": ["recommendations"],
            "parameters": [query("page", "page number"), query("per_page", "items per page")],
            "responses": errors("200", "a page of { cycle, phase }") } }),
    );
    paths.insert(
        "/recommendations/cycles/{id}/recommendations".into(),
        json!({
            "get": { "summary": "A cycle's recommendations", "tags": ["recommendations"],
                "parameters": [id_param, query("sort", "supports (default) or new"), query("status", "live (default), all, or a status")],
                "responses": errors("200", "a page of Recommendation") },
            "post": { "summary": "Write a recommendation (proposal phase)", "tags": ["recommendations"],
                "parameters": [id_param],
                "requestBody": { "content": { "application/json": { "schema": reference("RecommendationInput") } } },
                "responses": errors("201", "{ recommendation, near_duplicates: [NearDuplicate] }") } }),
    );
    paths.insert(
        "/recommendations/cycles/{id}/similar".into(),
        json!({ "get": { "summary": "The recommendations of the cycle that say nearly the same as a text", "tags": ["recommendations"],
            "parameters": [id_param, query("title", "the title being written"), query("text", "the text being written"), query("language", "fr, nl or en (default: the user's)")],
            "responses": errors("200", "{ items: [NearDuplicate] } at or above the cycle's threshold") } }),
    );
    paths.insert(
        "/recommendations/{id}".into(),
        json!({ "get": { "summary": "A recommendation with its provenance and the board's follow-up", "tags": ["recommendations"],
            "parameters": [id_param],
            "responses": errors("200", "{ recommendation, consolidates: [Recommendation], follow_ups }") } }),
    );
    paths.insert(
        "/recommendations/{id}/support".into(),
        json!({
            "post": { "summary": "Support it (once per person, proposal and support phases)", "tags": ["recommendations"],
                "parameters": [id_param], "responses": errors("201", "the Recommendation") },
            "delete": { "summary": "Withdraw one's support", "tags": ["recommendations"],
                "parameters": [id_param], "responses": errors("200", "the Recommendation") } }),
    );
    paths.insert(
        "/recommendations/consolidations/{id}/answer".into(),
        json!({ "post": { "summary": "An author consents to or refuses a consolidation (the last consent carries it out)", "tags": ["recommendations"],
            "parameters": [id_param],
            "requestBody": { "content": { "application/json": { "schema": { "type": "object", "required": ["consent"],
                "properties": { "consent": { "type": "boolean" } } } } } },
            "responses": errors("200", "the consolidation with its consents; result_id once carried out") } }),
    );
}
