//! "My account": one's details, password and API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::auth::ApiTokenRecord;
use serde::Deserialize;

use super::login::check_new_password;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::auth::{hash_token, new_token};
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;

/// API tokens start with this, so a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "rch_";

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: RequestCtx,
    tokens: Vec<ApiTokenRecord>,
    new_token: Option<String>,
    password_form: FormView,
    token_form: FormView,
}

async fn page(
    state: &AppState,
    ctx: RequestCtx,
    new_token: Option<String>,
    password_form: FormView,
    token_form: FormView,
) -> Result<AccountPage, AppError> {
    let tokens = state.store.api_tokens(ctx.user()?.account.id).await?;
    Ok(AccountPage {
        tokens,
        new_token,
        password_form,
        token_form,
        c: ctx,
    })
}

pub async fn show(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.user()?;
    render(&page(&state, ctx, None, FormView::default(), FormView::default()).await?)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let hash = state.store.password_hash(user.account.id).await?;
    let mut errors = FieldErrors::new();
    if !state.hasher.verify(&form.current_password, &hash).await {
        errors.add("current_password", "password-wrong");
    } else {
        errors = check_new_password(&form.password, &form.password_confirm);
    }
    if !errors.is_empty() {
        let mut f = FormView::default();
        f.add_errors(&errors, ctx.lang);
        let page = page(&state, ctx, None, f, FormView::default()).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let new_hash = state
        .hasher
        .hash(&form.password)
        .await
        .map_err(AppError::Internal)?;
    // Setting the password ends every session, this one too: sign in again.
    state
        .store
        .set_password(&ctx.audit(), user.account.id, &new_hash)
        .await?;
    Ok(see_other("/login?reset=1"))
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let account_id = ctx.user()?.account.id;
    ctx.authorize(Action::Create, Target::ApiTokens { account_id })?;
    let mut errors = FieldErrors::new();
    let name = errors.required("token_name", &form.name, 80);
    if !errors.is_empty() {
        let mut f = FormView::default();
        f.add_errors(&errors, ctx.lang);
        let page = page(&state, ctx, None, FormView::default(), f).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let token = format!("{TOKEN_PREFIX}{}", new_token());
    let prefix: String = token.chars().take(TOKEN_PREFIX.len() + 6).collect();
    state
        .store
        .create_api_token(
            &ctx.audit(),
            account_id,
            &name,
            &hash_token(&token),
            &prefix,
        )
        .await?;
    // The token is shown once, now; only its hash is kept.
    render(
        &page(
            &state,
            ctx,
            Some(token),
            FormView::default(),
            FormView::default(),
        )
        .await?,
    )
}

pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let token = state.store.api_token(id).await?;
    ctx.authorize(
        Action::Update,
        Target::ApiTokens {
            account_id: token.account_id,
        },
    )?;
    state.store.revoke_api_token(&ctx.audit(), id).await?;
    Ok(see_other("/account"))
}
