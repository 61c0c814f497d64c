//! The API of the indicators (C17), with the pages' rules: the year's figures for the
//! governance view, the publication choices (board, administrators) and, without a token,
//! the published figures.

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use ruche_domain::Language;
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::figures::{BAD_YEAR, SectionFigures};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, ok};
use crate::AppState;
use crate::context::RequestCtx;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(year))
        .route("/indicators/publication", get(choices).post(toggle))
        .route("/public/indicators", get(public))
}

fn allowed(api: &ApiUser, action: Action) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, Target::Governance) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

/// The year asked, else the newest holding data (as the pages do).
async fn year_of(state: &AppState, q: &YearQuery, lang: Language) -> Result<i16, ApiError> {
    let years = state
        .store
        .figure_years()
        .await
        .map_err(|e| ApiError::from_store(e, lang))?;
    crate::pages::indicators::chosen_year(q.year.as_deref(), &years)
        .map_err(|_| ApiError::invalid(&FieldErrors::single("year", BAD_YEAR), lang))
}

fn store_error(e: StoreError, lang: Language) -> ApiError {
    match e {
        StoreError::Refused(errors) => ApiError::invalid(&errors, lang),
        e => ApiError::from_store(e, lang),
    }
}

/// The sections as JSON, each figure with its label in `lang`.
fn sections_json(sections: &[SectionFigures], lang: Language) -> Value {
    Value::Array(
        sections
            .iter()
            .map(|s| {
                json!({
                    "section": s.section,
                    "title": i18n::t(lang, &format!("ind-section-{}", s.section.code())),
                    "available": s.available,
                    "note": s.note.map(|n| i18n::t(lang, &format!("ind-note-{n}"))),
                    "figures": s.figures.iter().map(|f| json!({
                        "key": f.key,
                        "label": i18n::t(lang, &format!("fig-{}", f.key)),
                        "value": f.value,
                        "link": f.link,
                        "parts": f.parts,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

pub async fn year(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    allowed(&api, Action::View)?;
    let lang = api.lang();
    let year = year_of(&state, &q, lang).await?;
    let sections = state
        .store
        .year_figures(year)
        .await
        .map_err(|e| store_error(e, lang))?;
    ok(json!({ "year": year, "sections": sections_json(&sections, lang) }))
}

/// No token: the published figures only, in the `Accept-Language` language.
pub async fn public(
    ctx: RequestCtx,
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    let lang = ctx.lang;
    let year = year_of(&state, &q, lang).await?;
    let sections = state
        .store
        .public_year_figures(year)
        .await
        .map_err(|e| store_error(e, lang))?;
    ok(json!({ "year": year, "sections": sections_json(&sections, lang) }))
}

pub async fn choices(api: ApiUser, State(state): State<AppState>) -> ApiResult {
    allowed(&api, Action::View)?;
    let chosen = state
        .store
        .published_indicators()
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "items": chosen }))
}

#[derive(Deserialize)]
pub struct ToggleInput {
    figure_key: String,
    published: bool,
}

pub async fn toggle(
    api: ApiUser,
    State(state): State<AppState>,
    input: Result<axum::Json<ToggleInput>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let lang = api.lang();
    let input = api.body(input)?;
    let saved = state
        .store
        .set_indicator_published(&api.audit(), &input.figure_key, input.published)
        .await
        .map_err(|e| store_error(e, lang))?;
    ok(saved)
}

/// The OpenAPI paths of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let responses = |description: &str| {
        json!({
            "200": { "description": description, "content": { "application/json": {} } },
            "401": { "description": "missing or revoked token", "content": problem },
            "403": { "description": "refused by the policy", "content": problem },
            "422": { "description": "invalid input; each error names its field and the rule", "content": problem },
        })
    };
    let year = json!([{ "name": "year", "in": "query", "description": "calendar year; the newest year holding data when absent", "schema": { "type": "integer" } }]);
    paths.insert(
        "/api/v1/indicators".into(),
        json!({ "get": { "summary": "The year's figures of every module, section by section in report order; a section without data is `available: false` with no figure", "tags": ["indicators"], "parameters": year, "responses": responses("the year's sections") } }),
    );
    paths.insert(
        "/api/v1/indicators/publication".into(),
        json!({
            "get": { "summary": "The publication choices made (a figure never chosen is unpublished)", "tags": ["indicators"], "responses": responses("the choices") },
            "post": { "summary": "Publish or withdraw one figure from the public page", "tags": ["indicators"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["figure_key", "published"], "properties": { "figure_key": { "type": "string", "example": "turnover-invoices" }, "published": { "type": "boolean" } } } } } },
                "responses": responses("the choice saved") }
        }),
    );
    paths.insert(
        "/api/v1/public/indicators".into(),
        json!({ "get": { "summary": "The published figures of a year; no token needed", "tags": ["indicators"], "security": [], "parameters": year, "responses": responses("the published sections") } }),
    );
}
