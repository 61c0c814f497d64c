//! The staff back-office: entities, offices, persons, accounts, the usage contract, the audit
//! log and the outgoing mail. Every handler asks the policy first.

pub mod accounts;
pub mod audit;
pub mod entities;
pub mod mail;
pub mod offices;
pub mod persons;
pub mod usage_contract;

use axum::Router;
use axum::routing::{get, post};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;

use crate::AppState;
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/entities",
            get(entities::list).post(entities::create),
        )
        .route("/staff/entities/new", get(entities::new))
        .route(
            "/staff/entities/{id}",
            get(entities::show).post(entities::update),
        )
        .route("/staff/offices", get(offices::list).post(offices::create))
        .route("/staff/offices/new", get(offices::new))
        .route(
            "/staff/offices/{id}",
            get(offices::show).post(offices::update),
        )
        .route("/staff/persons", get(persons::list).post(persons::create))
        .route("/staff/persons/new", get(persons::new))
        .route(
            "/staff/persons/{id}",
            get(persons::show).post(persons::update),
        )
        .route(
            "/staff/accounts",
            get(accounts::list).post(accounts::create),
        )
        .route("/staff/accounts/new", get(accounts::new))
        .route(
            "/staff/accounts/{id}",
            get(accounts::show).post(accounts::update),
        )
        .route("/staff/accounts/{id}/reset", post(accounts::send_reset))
        .route(
            "/staff/usage-contract",
            get(usage_contract::list).post(usage_contract::publish),
        )
        .route("/staff/audit", get(audit::list))
        .route("/staff/mail", get(mail::list))
        .route("/staff/mail/{id}", get(mail::show))
}

/// A store refusal that belongs next to a field (a taken e-mail, NISS, number…).
pub fn field_errors_of(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Duplicate { field } => Ok(FieldErrors::single(field, "taken")),
        other => Err(other.into()),
    }
}

/// Options of a select: (value, label).
pub type Options = Vec<(String, String)>;

/// The offices as select options, with an empty first choice.
pub async fn office_options(
    state: &AppState,
    ctx: &crate::context::RequestCtx,
) -> Result<Options, AppError> {
    let mut options = vec![(String::new(), ctx.t("choose-none"))];
    for o in state.store.all_offices().await? {
        options.push((o.id.to_string(), o.name));
    }
    Ok(options)
}
