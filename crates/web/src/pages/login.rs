//! Signing in and out, and resetting a forgotten password by e-mail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use ruche_domain::validate::FieldErrors;
use ruche_store::{StoreError, now_micros};
use serde::Deserialize;

use super::{render, render_status, safe_next, see_other};
use crate::AppState;
use crate::auth::password::MIN_PASSWORD_CHARS;
use crate::auth::{SESSION_COOKIE, hash_token, new_token};
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

/// Login rate limit: failed attempts counted over this window…
const WINDOW_MICROS: i64 = 15 * 60 * 1_000_000;
/// …at most this many from one address…
const MAX_FAILURES_PER_IP: i64 = 20;
/// …and this many for one account.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// A reset link lives one hour.
const RESET_LIFETIME_MICROS: i64 = 3600 * 1_000_000;
/// Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong
/// password (no account enumeration by timing).
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::auth::password::hash_now(&new_token()).unwrap_or_default());

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: RequestCtx,
    f: FormView,
    next: String,
    message: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    reset: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn form(ctx: RequestCtx, Query(q): Query<LoginQuery>) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(see_other(safe_next(&q.next)));
    }
    let notice = q.reset.as_ref().map(|_| ctx.t("login-password-changed"));
    render(&LoginPage {
        f: FormView::default(),
        next: q.next,
        message: None,
        notice,
        c: ctx,
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let email = form.email.trim().to_lowercase();
    let ip = ctx.ip.clone().unwrap_or_else(|| "unknown".into());
    let mut f = FormView::with_defaults(&[("email", &email)]);
    let mut missing = FieldErrors::new();
    missing.required("email", &email, 254);
    missing.required("password", &form.password, 1024);
    if !missing.is_empty() {
        f.add_errors(&missing, ctx.lang);
        let page = LoginPage {
            f,
            next: form.next,
            message: None,
            notice: None,
            c: ctx,
        };
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }

    let since = now_micros() - WINDOW_MICROS;
    let (by_ip, by_account) = state.store.failed_logins_since(&ip, &email, since).await?;
    if by_ip >= MAX_FAILURES_PER_IP || by_account >= MAX_FAILURES_PER_ACCOUNT {
        tracing::warn!(%ip, "login refused by the rate limit");
        let message = Some(ctx.t("login-too-many-attempts"));
        let page = LoginPage {
            f,
            next: form.next,
            message,
            notice: None,
            c: ctx,
        };
        return render_status(StatusCode::TOO_MANY_REQUESTS, &page);
    }

    let account = state
        .store
        .account_by_email(&email)
        .await?
        .filter(|a| a.active);
    let ok = match &account {
        Some(a) => {
            let hash = state.store.password_hash(a.id).await?;
            state.hasher.verify(&form.password, &hash).await
        }
        None => {
            let _ = state.hasher.verify(&form.password, &DUMMY_HASH).await;
            false
        }
    };
    state.store.record_login_attempt(&ip, &email, ok).await?;
    let Some(account) = account.filter(|_| ok) else {
        let message = Some(ctx.t("login-failed"));
        let page = LoginPage {
            f,
            next: form.next,
            message,
            notice: None,
            c: ctx,
        };
        return render_status(StatusCode::UNAUTHORIZED, &page);
    };

    // A new session token at every sign-in (no session fixation).
    if let Some(old) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(&hash_token(old.value())).await?;
    }
    let token = new_token();
    let lifetime = i64::try_from(state.config.session_lifetime.as_micros()).unwrap_or(i64::MAX);
    state
        .store
        .create_session(&hash_token(&token), account.id, lifetime, Some(&ip))
        .await?;
    state.store.record_login(account.id).await?;
    tracing::info!(account = account.id, "signed in");
    let mut response = see_other(safe_next(&form.next));
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Lax)
        .build();
    set_cookie(&mut response, &cookie);
    Ok(response)
}

fn set_cookie(response: &mut Response, cookie: &Cookie<'_>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, AppError> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        state
            .store
            .delete_session(&hash_token(cookie.value()))
            .await?;
    }
    let mut response = see_other("/login");
    let expired = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .max_age(Default::default())
        .build();
    set_cookie(&mut response, &expired);
    Ok(response)
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    c: RequestCtx,
    f: FormView,
    sent: bool,
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_form(ctx: RequestCtx) -> Result<Response, AppError> {
    render(&ForgotPage {
        f: FormView::default(),
        sent: false,
        c: ctx,
    })
}

/// Always answers the same way, whether the account exists or not (no enumeration).
pub async fn forgot_submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    let email = errors.email("email", &form.email);
    if !errors.is_empty() {
        let mut f = FormView::with_defaults(&[("email", &form.email)]);
        f.add_errors(&errors, ctx.lang);
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ForgotPage {
                f,
                sent: false,
                c: ctx,
            },
        );
    }
    let ip = ctx.ip.clone().unwrap_or_else(|| "unknown".into());
    // Reset requests share the login rate limit: each one counts as an attempt.
    let (by_ip, by_account) = state
        .store
        .failed_logins_since(&ip, &email, now_micros() - WINDOW_MICROS)
        .await?;
    if by_ip < MAX_FAILURES_PER_IP && by_account < MAX_FAILURES_PER_ACCOUNT {
        state.store.record_login_attempt(&ip, &email, false).await?;
        if let Some(account) = state
            .store
            .account_by_email(&email)
            .await?
            .filter(|a| a.active)
        {
            let token = new_token();
            state
                .store
                .create_password_reset(&hash_token(&token), account.id, RESET_LIFETIME_MICROS)
                .await?;
            let lang = account
                .language
                .as_deref()
                .and_then(ruche_domain::Language::parse)
                .unwrap_or(ctx.lang);
            let link = format!("{}/password/reset/{token}", state.config.base_url);
            let subject = i18n::t(lang, "mail-reset-subject");
            let body = i18n::t_args(lang, "mail-reset-body", &[("link", link)]);
            state
                .store
                .queue_confidential_mail(&account.email, &subject, &body)
                .await?;
        }
    }
    render(&ForgotPage {
        f: FormView::default(),
        sent: true,
        c: ctx,
    })
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    c: RequestCtx,
    f: FormView,
    valid: bool,
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn reset_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let valid = state
        .store
        .password_reset_account(&hash_token(&token))
        .await?
        .is_some();
    render(&ResetPage {
        f: FormView::default(),
        valid,
        c: ctx,
    })
}

/// Checks a new password and its confirmation.
pub fn check_new_password(password: &str, confirm: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        errors.add("password", "password-too-short");
    } else if password != confirm {
        errors.add("password_confirm", "password-mismatch");
    }
    errors
}

pub async fn reset_submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    let errors = check_new_password(&form.password, &form.password_confirm);
    if !errors.is_empty() {
        let mut f = FormView::default();
        f.add_errors(&errors, ctx.lang);
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ResetPage {
                f,
                valid: true,
                c: ctx,
            },
        );
    }
    let hash = state
        .hasher
        .hash(&form.password)
        .await
        .map_err(AppError::Internal)?;
    match state.store.reset_password(&hash_token(&token), &hash).await {
        Ok(_) => Ok(see_other("/login?reset=1")),
        Err(StoreError::NotFound) => render_status(
            StatusCode::GONE,
            &ResetPage {
                f: FormView::default(),
                valid: false,
                c: ctx,
            },
        ),
        Err(e) => Err(e.into()),
    }
}
