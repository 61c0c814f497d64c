//! The member's side of the usage contract: read the version in force and accept it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{render, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;

#[derive(Template)]
#[template(path = "usage_contract.html")]
struct ContractPage {
    c: RequestCtx,
    label: String,
    effective_from: String,
    paragraphs: Vec<String>,
    accepted_at: Option<i64>,
}

pub async fn show(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let version = state
        .store
        .usage_contract_in_force(today())
        .await?
        .ok_or(AppError::NotFound)?;
    let accepted_at = state
        .store
        .usage_contract_accepted_at(user.account.id, version.id)
        .await?;
    let effective_from = version
        .effective_date()
        .map(ruche_domain::format::date)
        .unwrap_or_default();
    let paragraphs = version
        .text(ctx.lang)
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    render(&ContractPage {
        label: version.label,
        effective_from,
        paragraphs,
        accepted_at,
        c: ctx,
    })
}

pub async fn accept(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let version = state
        .store
        .usage_contract_in_force(today())
        .await?
        .ok_or(AppError::NotFound)?;
    state
        .store
        .accept_usage_contract(&ctx.audit(), user.account.id, version.id)
        .await?;
    Ok(see_other("/"))
}
