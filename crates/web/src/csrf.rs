//! CSRF protection on every form: a state-changing request (POST, PUT, PATCH, DELETE) outside
//! the token-authenticated API must carry the secret of the `ruche_csrf` cookie, either as
//! the form field `csrf_token` or as the `X-CSRF-Token` header (htmx sends it from the
//! `hx-headers` of the page body). The cookie is `SameSite=Strict` and `HttpOnly`: another
//! site can neither send it nor read it (the double-submit pattern, OWASP CSRF cheat sheet).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::same_secret;
use crate::context::RequestCtx;
use crate::error::AppError;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub async fn layer(State(_): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // The API authenticates each request with a bearer token, never with a cookie.
    if safe || request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(expected) = request
        .extensions()
        .get::<RequestCtx>()
        .map(|c| c.csrf_token.clone())
    else {
        return AppError::CsrfRejected.into_response();
    };
    if let Some(sent) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if same_secret(sent, &expected) {
            next.run(request).await
        } else {
            AppError::CsrfRejected.into_response()
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return AppError::CsrfRejected.into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return AppError::CsrfRejected.into_response();
    };
    let sent = form_urlencoded_value(&bytes, FIELD);
    if !sent.is_some_and(|s| same_secret(&s, &expected)) {
        return AppError::CsrfRejected.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_an_encoded_form() {
        let body = b"name=Li%C3%A8ge&csrf_token=abc123&x=1";
        assert_eq!(
            form_urlencoded_value(body, FIELD).as_deref(),
            Some("abc123")
        );
        assert_eq!(form_urlencoded_value(b"name=x", FIELD), None);
    }
}
