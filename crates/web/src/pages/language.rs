//! The language switcher: remembered per user (and in a cookie before signing in).

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, SameSite};
use ruche_domain::Language;
use serde::Deserialize;

use super::{safe_next, see_other};
use crate::AppState;
use crate::context::{LANGUAGE_COOKIE, RequestCtx};
use crate::error::AppError;

#[derive(Deserialize)]
pub struct Choice {
    language: String,
    #[serde(default)]
    next: String,
}

pub async fn choose(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(choice): Form<Choice>,
) -> Result<Response, AppError> {
    let language = Language::parse(&choice.language).ok_or(AppError::NotFound)?;
    if let Some(user) = &ctx.user {
        state
            .store
            .set_account_language(user.account.id, language)
            .await?;
    }
    let mut response = see_other(safe_next(&choice.next));
    let cookie = Cookie::build((LANGUAGE_COOKIE, language.code()))
        .path("/")
        .permanent()
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .build();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
