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
/// The largest file a form may upload (a bank statement: a year of a busy account).
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

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
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let multipart = content_type.starts_with("multipart/form-data");
    if !multipart && !content_type.starts_with("application/x-www-form-urlencoded") {
        return AppError::CsrfRejected.into_response();
    }
    let limit = if multipart {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        return AppError::CsrfRejected.into_response();
    };
    let sent = if multipart {
        multipart_value(&bytes, &content_type, FIELD)
    } else {
        form_urlencoded_value(&bytes, FIELD)
    };
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

/// The value of the plain (non-file) field `name` of a `multipart/form-data` body.
fn multipart_value(body: &[u8], content_type: &str, name: &str) -> Option<String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let wanted = format!("name=\"{name}\"");
    let mut rest = body;
    while let Some(at) = find(rest, &delimiter) {
        rest = &rest[at + delimiter.len()..];
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]);
        if head.contains(&wanted) && !head.contains("filename=") {
            let value = &rest[head_end + 4..];
            let end = find(value, b"\r\n--").unwrap_or(value.len());
            return std::str::from_utf8(&value[..end]).ok().map(str::to_string);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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

    #[test]
    fn the_token_is_read_from_a_multipart_form_but_not_from_a_file() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xml\"\r\n\r\n<x/>\r\n--XyZ--\r\n";
        let ct = "multipart/form-data; boundary=XyZ";
        assert_eq!(multipart_value(body, ct, FIELD).as_deref(), Some("abc123"));
        assert_eq!(multipart_value(body, ct, "file"), None);
        assert_eq!(multipart_value(body, "multipart/form-data", FIELD), None);
    }
}
