//! The JSON API, `/api/v1`: the same use cases as the staff pages, with the same rules and
//! the same policy. Each request authenticates with a personal API token
//! (`Authorization: Bearer rch_…`), created on the "My account" page. Errors are
//! `application/problem+json` (RFC 9457) naming the field, in the `Accept-Language` language.

mod advocacy;
mod assemblies;
mod bank;
mod board;
mod budget;
mod dunning;
mod employment;
mod ethics;
mod expenses;
mod governance;
mod guide;
mod indicators;
mod invoices;
mod labs;
mod legal_help;
mod loans;
pub mod openapi;
mod payouts;
mod places;
mod prevention;
mod problem;
mod quotes;
mod recommendations;
mod recovery;
mod resources;
mod sales;
mod school;
mod shares;
mod simulator;
mod statutes;
mod trainings;
mod transparency;

use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::{get, post};

use axum::Json;
use axum::response::{IntoResponse, Response};
use ruche_store::PageRequest;
use serde::Serialize;

use crate::AppState;
use crate::auth::hash_token;
use crate::context::{CurrentUser, RequestCtx, load_user};
pub use problem::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(resources::me))
        .route(
            "/legal-entities",
            get(resources::list_entities).post(resources::create_entity),
        )
        .route(
            "/legal-entities/{id}",
            get(resources::get_entity).put(resources::update_entity),
        )
        .route(
            "/offices",
            get(resources::list_offices).post(resources::create_office),
        )
        .route(
            "/offices/{id}",
            get(resources::get_office).put(resources::update_office),
        )
        .route(
            "/persons",
            get(resources::list_persons).post(resources::create_person),
        )
        .route(
            "/persons/{id}",
            get(resources::get_person).put(resources::update_person),
        )
        .route(
            "/accounts",
            get(resources::list_accounts).post(resources::create_account),
        )
        .route(
            "/accounts/{id}",
            get(resources::get_account).put(resources::update_account),
        )
        .route(
            "/activities",
            get(sales::list_activities).post(sales::create_activity),
        )
        .route(
            "/activities/{id}",
            get(sales::get_activity).put(sales::update_activity),
        )
        .route("/activities/{id}/decision", post(sales::decide_activity))
        .route(
            "/clients",
            get(sales::list_clients).post(sales::create_client),
        )
        .route(
            "/clients/{id}",
            get(sales::get_client).put(sales::update_client),
        )
        .route(
            "/quotes",
            get(quotes::list_quotes).post(quotes::create_quote),
        )
        .route(
            "/quotes/{id}",
            get(quotes::get_quote).put(quotes::update_quote),
        )
        .route("/quotes/{id}/send", post(quotes::send_quote))
        .merge(assemblies::routes())
        .merge(bank::routes())
        .merge(board::routes())
        .merge(budget::routes())
        .merge(dunning::routes())
        .merge(employment::routes())
        .merge(expenses::routes())
        .merge(governance::routes())
        .merge(guide::routes())
        .merge(indicators::routes())
        .merge(legal_help::routes())
        .merge(loans::routes())
        .merge(payouts::routes())
        .merge(recovery::routes())
        .merge(simulator::routes())
        .merge(shares::routes())
        .merge(statutes::routes())
        .merge(transparency::routes())
        .merge(trainings::routes())
        .merge(school::routes())
        .merge(labs::routes())
        .merge(ethics::routes())
        .merge(advocacy::routes())
        .merge(recommendations::routes())
        .merge(places::routes())
        .merge(prevention::routes())
        .route("/invoices", get(invoices::list).post(invoices::create))
        .route("/invoices/{id}", get(invoices::get).put(invoices::update))
        .route("/invoices/{id}/issue", post(invoices::issue))
        .route("/invoices/{id}/pdf", get(invoices::pdf))
        .route("/invoices/{id}/ubl", get(invoices::ubl))
        .fallback(resources::not_found)
}

/// What every API handler answers: a JSON body or a problem.
pub(crate) type ApiResult = Result<Response, ApiError>;

/// 200 with `value` as JSON.
pub(crate) fn ok<T: Serialize>(value: T) -> ApiResult {
    Ok(Json(value).into_response())
}

/// 201 with the created record as JSON.
pub(crate) fn created<T: Serialize>(value: T) -> ApiResult {
    Ok((axum::http::StatusCode::CREATED, Json(value)).into_response())
}

/// The page a list asks for with `?page=&per_page=` (50 by default, bounded by the store).
pub(crate) fn paging(page: Option<i64>, per_page: Option<i64>) -> PageRequest {
    PageRequest::new(page.unwrap_or(1), per_page.unwrap_or(50))
}

/// The user behind the bearer token, with the request's language and address.
pub struct ApiUser {
    pub user: CurrentUser,
    pub ctx: RequestCtx,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = RequestCtx::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::internal())?;
        let lang = ctx.lang;
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string())
            .ok_or(ApiError::unauthorized(lang))?;
        let State(state) = State::<AppState>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::internal())?;
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
        // The API never acts on a browser session: the token's account is the actor.
        let ctx = RequestCtx { user: None, ..ctx };
        Ok(ApiUser { user, ctx })
    }
}
