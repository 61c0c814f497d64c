//! Errors of the web layer and the translated error pages.

use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;

use crate::context::RequestCtx;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in required")]
    SignInRequired,
    #[error("the usage contract in force must be accepted first")]
    UsageContractRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("the form's security token is missing or wrong")]
    CsrfRejected,
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

/// Left on an error response for [`render_error_pages`] to turn into a page.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub title_key: &'static str,
    pub message_key: &'static str,
}

/// Left on a response that needs a signed-in user, to redirect to the login page.
#[derive(Debug, Clone, Copy)]
struct SignInRedirect;

fn page(status: StatusCode, title_key: &'static str, message_key: &'static str) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(ErrorPage {
        title_key,
        message_key,
    });
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::SignInRequired => {
                let mut response = Redirect::to("/login").into_response();
                response.extensions_mut().insert(SignInRedirect);
                response
            }
            AppError::UsageContractRequired => Redirect::to("/usage-contract").into_response(),
            AppError::Forbidden => page(StatusCode::FORBIDDEN, "error-403-title", "error-403-text"),
            AppError::NotFound | AppError::Store(StoreError::NotFound) => {
                page(StatusCode::NOT_FOUND, "error-404-title", "error-404-text")
            }
            AppError::CsrfRejected => {
                page(StatusCode::FORBIDDEN, "error-csrf-title", "error-csrf-text")
            }
            AppError::Invalid(_) | AppError::Store(StoreError::Duplicate { .. }) => page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-422-title",
                "error-422-text",
            ),
            AppError::Store(StoreError::Conflict(_)) => {
                page(StatusCode::CONFLICT, "error-409-title", "error-409-text")
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "storage error");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "error-500-title",
                    "error-500-text",
                )
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "error-500-title",
                    "error-500-text",
                )
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    c: RequestCtx,
    status: u16,
    title: String,
    message: String,
}

/// Turns marked error responses into full pages in the user's language, and sends those who
/// must sign in to the login page with a way back.
pub async fn render_error_pages(request: Request, next: Next) -> Response {
    let ctx = request.extensions().get::<RequestCtx>().cloned();
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let response = next.run(request).await;
    let Some(ctx) = ctx else {
        return response;
    };
    if response.extensions().get::<SignInRedirect>().is_some() {
        let next =
            serde_urlencoded::to_string([("next", path_and_query.as_str())]).unwrap_or_default();
        return Redirect::to(&format!("/login?{next}")).into_response();
    }
    let Some(marker) = response.extensions().get::<ErrorPage>().copied() else {
        return response;
    };
    let status = response.status();
    let template = ErrorTemplate {
        status: status.as_u16(),
        title: ctx.t(marker.title_key),
        message: ctx.t(marker.message_key),
        c: ctx,
    };
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}
