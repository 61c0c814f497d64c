//! The HTML pages: public (login, password reset), member and staff.

pub mod account;
pub mod activities;
pub mod advocacy;
pub mod assemblies;
pub mod assets;
pub mod bank;
pub mod board;
pub mod budget;
pub mod catalogue;
pub mod clients;
pub mod contracts;
pub mod cooperative_life;
pub mod dashboard;
pub mod dunning;
pub mod ethics;
pub mod expenses;
pub mod governance;
pub mod guide;
pub mod health;
pub mod indicators;
pub mod internal_trades;
pub mod invoices;
pub mod labs;
pub mod language;
pub mod legal_help;
pub mod lines;
pub mod loans;
pub mod login;
pub mod payouts;
pub mod payroll;
pub mod places;
pub mod prevention;
pub mod public_quote;
pub mod quotes;
pub mod recommendations;
pub mod recovery;
pub mod school;
pub mod shares;
pub mod simulator;
pub mod staff;
pub mod statutes;
pub mod trainings;
pub mod transparency;
pub mod usage_contract;

use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route(
            "/password/forgot",
            get(login::forgot_form).post(login::forgot_submit),
        )
        .route(
            "/password/reset/{token}",
            get(login::reset_form).post(login::reset_submit),
        )
        .route("/language", post(language::choose))
        .route("/usage-contract", get(usage_contract::show))
        .route("/usage-contract/accept", post(usage_contract::accept))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route(
            "/activities",
            get(activities::list).post(activities::create),
        )
        .route("/activities/new", get(activities::new))
        .route("/activities/{id}", get(activities::show))
        .route(
            "/activities/{id}/edit",
            get(activities::edit).post(activities::update),
        )
        .route("/activities/{id}/decision", post(activities::decide))
        .route("/activities/{id}/rate", post(activities::set_rate))
        .route("/activities/{id}/holders", post(activities::add_holder))
        .route(
            "/activities/{id}/invoices",
            get(invoices::list).post(invoices::create),
        )
        .route("/activities/{id}/invoices/new", get(invoices::new))
        .route("/invoices", get(invoices::list_all))
        .route("/invoices/{id}", get(invoices::show).post(invoices::update))
        .route("/invoices/{id}/issue", post(invoices::issue))
        .route("/invoices/{id}/pdf", get(invoices::pdf))
        .route("/invoices/{id}/ubl", get(invoices::ubl))
        .route("/invoices/{id}/send", post(invoices::send))
        .route("/invoices/{id}/credit-note", post(invoices::credit_note))
        .route("/invoices/{id}/payments", post(invoices::record_payment))
        .route("/quotes/{id}/invoice", post(invoices::from_quote))
        .route("/clients", get(clients::list).post(clients::create))
        .route("/clients/new", get(clients::new))
        .route("/clients/{id}", get(clients::show).post(clients::update))
        .merge(assemblies::routes())
        .merge(bank::routes())
        .merge(board::routes())
        .merge(budget::routes())
        .merge(contracts::routes())
        .merge(cooperative_life::routes())
        .merge(dunning::routes())
        .merge(expenses::routes())
        .merge(governance::routes())
        .merge(guide::routes())
        .merge(indicators::routes())
        .merge(internal_trades::routes())
        .merge(legal_help::routes())
        .merge(loans::routes())
        .merge(payouts::routes())
        .merge(payroll::routes())
        .merge(staff::routes())
        .merge(quotes::routes())
        .merge(recovery::routes())
        .merge(public_quote::routes())
        .merge(simulator::routes())
        .merge(shares::routes())
        .merge(statutes::routes())
        .merge(trainings::routes())
        .merge(transparency::routes())
        .merge(catalogue::routes())
        .merge(school::routes())
        .merge(labs::routes())
        .merge(ethics::routes())
        .merge(advocacy::routes())
        .merge(recommendations::routes())
        .merge(places::routes())
        .merge(prevention::routes())
}

/// Renders a template into a page.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Renders a template with a status (422 for a form with errors, 429…).
pub fn render_status(
    status: axum::http::StatusCode,
    template: &impl Template,
) -> Result<Response, AppError> {
    Ok((status, render(template)?).into_response())
}

/// After a successful POST: 303 See Other, so a reload does not post again.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// A redirect target from a form must stay on this site.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

/// `?page=N` of paged lists.
#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    pub page: Option<i64>,
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_after_login_stays_on_the_site() {
        assert_eq!(safe_next("/staff/offices"), "/staff/offices");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }
}
