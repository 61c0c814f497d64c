//! Staff pages: user accounts and their roles (administrators only).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::Role;
use ruche_domain::policy::{Action, Target};
use ruche_domain::role::parse_grants;
use ruche_domain::validate::FieldErrors;
use ruche_store::accounts::{AccountRecord, AccountSummary, NewAccount};
use ruche_store::persons::PersonRecord;
use ruche_store::{Page, PageRequest};
use serde::Deserialize;

use super::{Options, field_errors_of, office_options};
use crate::AppState;
use crate::auth::{hash_token, new_token};
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;
use crate::pages::{render, render_status, see_other};

/// An invitation link lives a week.
const INVITATION_LIFETIME_MICROS: i64 = 7 * 24 * 3600 * 1_000_000;

#[derive(Template)]
#[template(path = "staff/accounts.html")]
struct ListPage {
    c: RequestCtx,
    page: Page<AccountSummary>,
    search: String,
    role: String,
    roles: Options,
    base: String,
}

#[derive(Template)]
#[template(path = "staff/account_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    person: PersonRecord,
    account: Option<AccountRecord>,
    offices: Options,
    saved: bool,
}

impl FormPage {
    fn roles(&self) -> Vec<(&'static str, String)> {
        Role::ALL
            .iter()
            .map(|r| (r.code(), self.c.t(&format!("role-{}", r.code()))))
            .collect()
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Accounts)?;
    let role = Role::parse(&q.role);
    let page = state
        .store
        .accounts(Some(&q.q), role, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let base = format!(
        "/staff/accounts?{}&",
        serde_urlencoded::to_string([("q", q.q.as_str()), ("role", q.role.as_str())])
            .unwrap_or_default()
    );
    let mut roles = vec![(String::new(), ctx.t("choose-any"))];
    roles.extend(
        Role::ALL
            .iter()
            .map(|r| (r.code().to_string(), ctx.t(&format!("role-{}", r.code())))),
    );
    render(&ListPage {
        page,
        search: q.q,
        role: q.role,
        roles,
        base,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    person_id: Option<i64>,
}

pub async fn new(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Accounts)?;
    let person = state
        .store
        .person(q.person_id.ok_or(AppError::NotFound)?)
        .await?;
    let mut f = FormView::with_defaults(&[("roles", "member"), ("send_invitation", "1")]);
    f.set("email", person.email.clone().unwrap_or_default());
    let offices = office_options(&state, &ctx).await?;
    render(&FormPage {
        f,
        person,
        account: None,
        offices,
        saved: false,
        c: ctx,
    })
}

fn form_roles(f: &FormView) -> Result<Vec<ruche_domain::role::RoleGrant>, FieldErrors> {
    let codes: Vec<String> = Role::ALL
        .iter()
        .filter(|r| f.has("roles", r.code()))
        .map(|r| r.code().to_string())
        .collect();
    parse_grants(&codes, f.value("advisor_office_id").parse().ok())
}

/// Mails a link to choose a password: the invitation of a new account, or a reset.
async fn send_password_link(
    state: &AppState,
    account: &AccountRecord,
    lang: ruche_domain::Language,
    invitation: bool,
) -> Result<(), AppError> {
    let token = new_token();
    state
        .store
        .create_password_reset(&hash_token(&token), account.id, INVITATION_LIFETIME_MICROS)
        .await?;
    let lang = account
        .language
        .as_deref()
        .and_then(ruche_domain::Language::parse)
        .unwrap_or(lang);
    let link = format!("{}/password/reset/{token}", state.config.base_url);
    let (subject, body) = if invitation {
        ("mail-invitation-subject", "mail-invitation-body")
    } else {
        ("mail-reset-subject", "mail-reset-body")
    };
    let subject = i18n::t(lang, subject);
    let body = i18n::t_args(lang, body, &[("link", link)]);
    state
        .store
        .queue_confidential_mail(&account.email, &subject, &body)
        .await?;
    Ok(())
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Accounts)?;
    let mut f = FormView::new(pairs);
    let person_id: i64 = f
        .value("person_id")
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let person = state.store.person(person_id).await?;
    let mut errors = FieldErrors::new();
    let email = errors.email("email", f.value("email"));
    let roles = match form_roles(&f) {
        Ok(roles) => roles,
        Err(e) => {
            errors.0.extend(e.0);
            Vec::new()
        }
    };
    if errors.is_empty() {
        let language = ruche_domain::Language::parse(&person.language);
        // No password yet: the person chooses one through the invitation link.
        let new = NewAccount {
            email,
            password_hash: String::new(),
            language,
            roles,
        };
        match state
            .store
            .create_account(&ctx.audit(), person.id, &new)
            .await
        {
            Ok(account) => {
                if f.has("send_invitation", "1") {
                    send_password_link(&state, &account, ctx.lang, true).await?;
                }
                return Ok(see_other(&format!(
                    "/staff/accounts/{}?saved=1",
                    account.id
                )));
            }
            Err(e) => errors = field_errors_of(e)?,
        }
    }
    f.add_errors(&errors, ctx.lang);
    let offices = office_options(&state, &ctx).await?;
    let page = FormPage {
        f,
        person,
        account: None,
        offices,
        saved: false,
        c: ctx,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Accounts)?;
    let account = state.store.account(id).await?;
    let person = state.store.person(account.person_id).await?;
    let mut values = vec![("email".to_string(), account.email.clone())];
    if account.active {
        values.push(("active".into(), "1".into()));
    }
    for grant in state.store.account_roles(id).await? {
        values.push(("roles".into(), grant.role.code().into()));
        if let Some(office) = grant.office_id {
            values.push(("advisor_office_id".into(), office.to_string()));
        }
    }
    let f = FormView::new(values);
    let offices = office_options(&state, &ctx).await?;
    let saved = q.saved.is_some();
    render(&FormPage {
        f,
        person,
        account: Some(account),
        offices,
        saved,
        c: ctx,
    })
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Accounts)?;
    let account = state.store.account(id).await?;
    let mut f = FormView::new(pairs);
    let mut errors = FieldErrors::new();
    let email = errors.email("email", f.value("email"));
    let active = f.has("active", "1");
    // An administrator cannot lock themselves out.
    if ctx.user()?.account.id == id && (!active || !f.has("roles", Role::Administrator.code())) {
        errors.add("roles", "cannot-demote-self");
    }
    match form_roles(&f) {
        Ok(roles) if errors.is_empty() => {
            match state
                .store
                .update_account(&ctx.audit(), id, &email, active, &roles)
                .await
            {
                Ok(_) => return Ok(see_other(&format!("/staff/accounts/{id}?saved=1"))),
                Err(e) => errors = field_errors_of(e)?,
            }
        }
        Ok(_) => {}
        Err(e) => errors.0.extend(e.0),
    }
    f.add_errors(&errors, ctx.lang);
    let person = state.store.person(account.person_id).await?;
    let offices = office_options(&state, &ctx).await?;
    let page = FormPage {
        f,
        person,
        account: Some(account),
        offices,
        saved: false,
        c: ctx,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn send_reset(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Accounts)?;
    let account = state.store.account(id).await?;
    send_password_link(&state, &account, ctx.lang, false).await?;
    Ok(see_other(&format!("/staff/accounts/{id}?saved=1")))
}
