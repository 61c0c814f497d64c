//! The API of contribution transparency (issue 10), with the pages' rules and policy: an
//! activity's contribution split (its holders, its advisor, staff), the cooperative's yearly
//! figures (staff; published years without a token), the spending entries and the category
//! mapping (accountants, administrators), the publication (the board, administrators).

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::transparency::spending::SpendingForm;
use ruche_domain::transparency::{MappingError, MappingInput};
use ruche_store::StoreError;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::problem::FieldProblem;
use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::i18n;
use crate::pages::activities::activity_target;
use crate::pages::transparency::mapping_messages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/contribution", get(activity))
        .route("/transparency/spending", get(spending).post(record))
        .route("/transparency/spending/{id}/reverse", post(reverse))
        .route(
            "/transparency/mapping/{year}",
            get(mapping).put(save_mapping),
        )
        .route("/transparency/{year}", get(year))
        .route("/transparency/{year}/publish", post(publish))
        .route("/public/transparency/{year}", get(public_year))
}

fn allowed(api: &ApiUser, action: Action) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, Target::Transparency) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

fn year_of(y: i32, api_lang: ruche_domain::Language) -> Result<i16, ApiError> {
    i16::try_from(y)
        .ok()
        .filter(|y| (2000..=2999).contains(y))
        .ok_or_else(|| {
            ApiError::invalid(
                &ruche_domain::validate::FieldErrors::single("year", "tsp-year"),
                api_lang,
            )
        })
}

fn refused(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(code) => ApiError::conflict(
            "tsp_status",
            code,
            i18n::field_error(api.lang(), code),
            api.lang(),
        ),
        e => api.store_error(e),
    }
}

/// A refused mapping: 422, one error per account or category named.
fn mapping_refused(api: &ApiUser, errors: &[MappingError]) -> ApiError {
    let lang = api.lang();
    let mut problem = ApiError::invalid(&ruche_domain::validate::FieldErrors::new(), lang);
    if errors.contains(&MappingError::YearPublished) {
        problem.status = StatusCode::CONFLICT.as_u16();
    }
    problem.errors = errors
        .iter()
        .zip(mapping_messages(errors, lang))
        .map(|(e, detail)| FieldProblem {
            field: e
                .args()
                .first()
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| "mapping".into()),
            code: e.code().to_string(),
            detail,
        })
        .collect();
    problem
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn activity(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    let (_, target) = activity_target(&state.store, Some(api.user.person.id), id)
        .await
        .map_err(|e| api.store_error(e))?;
    if decide(&api.user.actor, Action::View, target) != Decision::Allowed {
        return Err(ApiError::forbidden(api.lang()));
    }
    let year = year_of(q.year.unwrap_or(i32::from(today().year())), api.lang())?;
    ok(state
        .store
        .activity_contribution(id, year)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn year(api: ApiUser, State(state): State<AppState>, Path(y): Path<i32>) -> ApiResult {
    allowed(&api, Action::View)?;
    let year = year_of(y, api.lang())?;
    let publication = state
        .store
        .transparency_publication(year)
        .await
        .map_err(|e| api.store_error(e))?;
    match publication {
        Some(p) => ok(
            json!({ "year": year, "published": true, "published_at": p.published_at,
            "content_hash": p.content_hash, "figures": p.figures }),
        ),
        None => {
            let figures = state
                .store
                .live_transparency_figures(year)
                .await
                .map_err(|e| api.store_error(e))?;
            ok(json!({ "year": year, "published": false, "figures": figures }))
        }
    }
}

/// No token: a published year only (404 otherwise).
pub async fn public_year(
    ctx: RequestCtx,
    State(state): State<AppState>,
    Path(y): Path<i32>,
) -> ApiResult {
    let lang = ctx.lang;
    let year = year_of(y, lang)?;
    match state.store.transparency_publication(year).await {
        Ok(Some(p)) => ok(
            json!({ "year": year, "published": true, "published_at": p.published_at,
            "content_hash": p.content_hash, "figures": p.figures }),
        ),
        Ok(None) => Err(ApiError::not_found(lang)),
        Err(e) => Err(ApiError::from_store(e, lang)),
    }
}

pub async fn publish(api: ApiUser, State(state): State<AppState>, Path(y): Path<i32>) -> ApiResult {
    allowed(&api, Action::Decide)?;
    let year = year_of(y, api.lang())?;
    match state
        .store
        .publish_transparency(&api.audit(), year, today())
        .await
    {
        Ok(p) => created(p),
        Err(e) => Err(refused(&api, e)),
    }
}

pub async fn spending(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    allowed(&api, Action::List)?;
    let year = year_of(q.year.unwrap_or(i32::from(today().year())), api.lang())?;
    ok(state
        .store
        .spending_entries(year, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn record(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<SpendingForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state.store.record_spending(&api.audit(), &new).await {
        Ok(entry) => created(entry),
        Err(e) => Err(refused(&api, e)),
    }
}

#[derive(Deserialize, Default)]
pub struct ReverseInput {
    #[serde(default)]
    tsp_reversed_on: Option<String>,
}

pub async fn reverse(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ReverseInput>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let input = api.body(json)?;
    let on = match input.tsp_reversed_on.as_deref().map(str::trim) {
        None | Some("") => today(),
        Some(s) => s.parse().map_err(|_| {
            ApiError::invalid(
                &ruche_domain::validate::FieldErrors::single("tsp_reversed_on", "date"),
                api.lang(),
            )
        })?,
    };
    match state.store.reverse_spending(&api.audit(), id, on).await {
        Ok(entry) => created(entry),
        Err(e) => Err(refused(&api, e)),
    }
}

pub async fn mapping(api: ApiUser, State(state): State<AppState>, Path(y): Path<i32>) -> ApiResult {
    allowed(&api, Action::View)?;
    let year = year_of(y, api.lang())?;
    let m = state
        .store
        .transparency_mapping(year)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(match m {
        Some((from, m)) => json!({ "year": year, "mapping_year": from, "mapping": m.to_input() }),
        None => json!({ "year": year, "mapping_year": null, "mapping": null }),
    })
}

pub async fn save_mapping(
    api: ApiUser,
    State(state): State<AppState>,
    Path(y): Path<i32>,
    json: Result<Json<MappingInput>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let year = year_of(y, api.lang())?;
    let input = api.body(json)?;
    match state
        .store
        .save_transparency_mapping(&api.audit(), year, &input)
        .await
        .map_err(|e| refused(&api, e))?
    {
        Ok(m) => Ok((StatusCode::OK, Json(m.to_input())).into_response()),
        Err(errors) => Err(mapping_refused(&api, &errors)),
    }
}

/// The OpenAPI paths of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let responses = |description: &str| {
        json!({
            "200": { "description": description, "content": { "application/json": {} } },
            "401": { "description": "missing or revoked token", "content": problem },
            "403": { "description": "refused by the policy", "content": problem },
            "409": { "description": "refused by the stored state (a published year)", "content": problem },
            "422": { "description": "invalid input; each error names its field, account or category", "content": problem },
        })
    };
    let year = json!([{ "name": "year", "in": "path", "required": true, "schema": { "type": "integer" } }]);
    let id = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
        { "name": "year", "in": "query", "description": "calendar year; this year when absent", "schema": { "type": "integer" } }]);
    paths.insert(
        "/api/v1/activities/{id}/contribution".into(),
        json!({ "get": { "summary": "An activity's contribution in the year and since the start, split pro rata of the cooperative's spending by category (largest-remainder rounding: the shares sum to the contribution), and the mutual services it used", "tags": ["transparency"], "parameters": id, "responses": responses("the split") } }),
    );
    paths.insert(
        "/api/v1/transparency/{year}".into(),
        json!({ "get": { "summary": "The cooperative's figures of a year: contributions collected, spending by category, guarantee fund, recovery; the frozen snapshot once published", "tags": ["transparency"], "parameters": year, "responses": responses("the year's figures") } }),
    );
    paths.insert(
        "/api/v1/transparency/{year}/publish".into(),
        json!({ "post": { "summary": "Publish (freeze) a year's figures — the board; only a year that is over, once", "tags": ["transparency"], "parameters": year, "responses": responses("the publication") } }),
    );
    paths.insert(
        "/api/v1/public/transparency/{year}".into(),
        json!({ "get": { "summary": "A published year's figures; no token needed; 404 when not published", "tags": ["transparency"], "security": [], "parameters": year, "responses": responses("the published figures") } }),
    );
    paths.insert(
        "/api/v1/transparency/spending".into(),
        json!({
            "get": { "summary": "The spending entries of a year (reversals included), newest first", "tags": ["transparency"],
                "parameters": [{ "name": "year", "in": "query", "schema": { "type": "integer" } }, { "name": "page", "in": "query", "schema": { "type": "integer" } }, { "name": "per_page", "in": "query", "schema": { "type": "integer" } }],
                "responses": responses("a page of entries") },
            "post": { "summary": "Record a spending entry: Dr spending:<account>, Cr the entity's bank or the guarantee fund", "tags": ["transparency"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["tsp_spent_on", "tsp_entity", "tsp_account", "tsp_paid_from", "tsp_amount", "tsp_description"],
                    "properties": { "tsp_spent_on": { "type": "string", "format": "date" }, "tsp_entity": { "type": "string", "example": "1" },
                        "tsp_account": { "type": "string", "example": "it-tools" }, "tsp_paid_from": { "type": "string", "enum": ["bank", "guarantee-fund"] },
                        "tsp_amount": { "type": "string", "example": "1234,56" }, "tsp_description": { "type": "string" } } } } } },
                "responses": responses("the entry recorded") }
        }),
    );
    paths.insert(
        "/api/v1/transparency/spending/{id}/reverse".into(),
        json!({ "post": { "summary": "Reverse a spending entry (never deleted)", "tags": ["transparency"],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "requestBody": { "content": { "application/json": { "schema": { "type": "object", "properties": { "tsp_reversed_on": { "type": "string", "format": "date" } } } } } },
            "responses": responses("the reversal") } }),
    );
    paths.insert(
        "/api/v1/transparency/mapping/{year}".into(),
        json!({
            "get": { "summary": "The mapping that classifies a year's spending (its own or the latest earlier year's)", "tags": ["transparency"], "parameters": year, "responses": responses("the mapping") },
            "put": { "summary": "Save a year's categories and mapping; refused naming the account mapped to two categories or the category with no account", "tags": ["transparency"], "parameters": year,
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["categories", "accounts"],
                    "properties": { "categories": { "type": "array", "items": { "type": "object", "properties": { "code": { "type": "string" }, "name_fr": { "type": "string" }, "name_nl": { "type": "string" }, "name_en": { "type": "string" } } } },
                        "accounts": { "type": "array", "items": { "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 2 }, "example": [["it-tools", "tools-administration"]] } } } } } },
                "responses": responses("the mapping saved") }
        }),
    );
}
