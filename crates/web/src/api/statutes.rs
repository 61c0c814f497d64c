//! The API of the statutes (`Target::Governance`): the versions, one version with its
//! articles, the version in force at a date, the comparison of two versions, and a new
//! version (the page's form as JSON, the articles as a list).

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use jiff::civil::Date;
use ruche_domain::governance::statutes::{StatuteVersionForm, compare as compare_articles};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use serde::Deserialize;

use super::{ApiError, ApiResult, ApiUser, created, ok};
use crate::AppState;
use crate::context::today;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statutes", get(list).post(create))
        .route("/statutes/in-force", get(in_force))
        .route("/statutes/compare", get(compare))
        .route("/statutes/{id}", get(one))
}

fn authorize(api: &ApiUser, action: Action) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, Target::Governance) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

pub async fn list(api: ApiUser, State(state): State<AppState>) -> ApiResult {
    authorize(&api, Action::List)?;
    ok(state
        .store
        .statute_versions()
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn one(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    authorize(&api, Action::View)?;
    ok(state
        .store
        .statute_version(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

pub async fn in_force(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<OnQuery>,
) -> ApiResult {
    authorize(&api, Action::View)?;
    let on: Date = match q.on.as_deref() {
        None => today(),
        Some(d) => d
            .trim()
            .parse()
            .map_err(|_| ApiError::invalid(&FieldErrors::single("on", "date"), api.lang()))?,
    };
    match state
        .store
        .statute_version_on(on)
        .await
        .map_err(|e| api.store_error(e))?
    {
        Some(v) => ok(v),
        None => Err(ApiError::not_found(api.lang())),
    }
}

#[derive(Deserialize)]
pub struct CompareQuery {
    from: i64,
    to: i64,
}

pub async fn compare(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<CompareQuery>,
) -> ApiResult {
    authorize(&api, Action::View)?;
    let from = state
        .store
        .statute_version(q.from)
        .await
        .map_err(|e| api.store_error(e))?;
    let to = state
        .store
        .statute_version(q.to)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(compare_articles(
        &from.domain_articles(),
        &to.domain_articles(),
        api.lang(),
    ))
}

pub async fn create(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<StatuteVersionForm>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    created(
        state
            .store
            .create_statute_version(&api.audit(), &new)
            .await
            .map_err(|e| api.store_error(e))?,
    )
}
