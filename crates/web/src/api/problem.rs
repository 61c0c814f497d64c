//! `application/problem+json` errors (RFC 9457), translated, naming the fields.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ruche_domain::Language;
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use serde::Serialize;

use crate::i18n;

#[derive(Debug, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct ApiError {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

impl ApiError {
    fn new(status: StatusCode, kind: &str, title: String) -> Self {
        Self {
            kind: format!("https://ruche.coop/problems/{kind}"),
            title,
            status: status.as_u16(),
            errors: Vec::new(),
        }
    }

    pub fn unauthorized(lang: Language) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            i18n::t(lang, "api-unauthorized"),
        )
    }

    pub fn forbidden(lang: Language) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            i18n::t(lang, "error-403-text"),
        )
    }

    pub fn not_found(lang: Language) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            i18n::t(lang, "error-404-text"),
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error / Erreur interne / Interne fout".into(),
        )
    }

    pub fn invalid(errors: &FieldErrors, lang: Language) -> Self {
        let mut problem = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-input",
            i18n::t(lang, "form-has-errors"),
        );
        problem.errors = errors
            .0
            .iter()
            .map(|e| FieldProblem {
                field: e.field.to_string(),
                code: e.code.to_string(),
                detail: format!(
                    "{} : {}",
                    i18n::t(lang, &format!("field-{}", e.field)),
                    i18n::field_error(lang, e.code)
                ),
            })
            .collect();
        problem
    }

    /// A refusal that only the stored state explains (409): `message` says why, in the
    /// caller's language; the one error names `field` like [`ApiError::invalid`] does.
    pub fn conflict(field: &str, code: &str, message: String, lang: Language) -> Self {
        let detail = format!("{} : {}", i18n::t(lang, &format!("field-{field}")), message);
        let mut problem = Self::new(StatusCode::CONFLICT, "conflict", message);
        problem.errors.push(FieldProblem {
            field: field.to_string(),
            code: code.to_string(),
            detail,
        });
        problem
    }

    pub fn bad_json(detail: String, lang: Language) -> Self {
        let mut problem = Self::new(
            StatusCode::BAD_REQUEST,
            "bad-json",
            i18n::t(lang, "api-bad-json"),
        );
        problem.errors.push(FieldProblem {
            field: String::new(),
            code: "json".into(),
            detail,
        });
        problem
    }

    pub fn from_store(e: StoreError, lang: Language) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(lang),
            StoreError::Duplicate { field } => {
                Self::invalid(&FieldErrors::single(field, "taken"), lang)
            }
            StoreError::Refused(errors) => Self::invalid(&errors, lang),
            other => {
                tracing::error!(error = %other, "storage error in the API");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
