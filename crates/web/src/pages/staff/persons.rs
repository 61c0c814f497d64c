//! Staff pages: the persons directory. An advisor sees and edits the people of their office;
//! administrators, accountants and the board see everyone.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::Role;
use ruche_domain::person::PersonForm;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::accounts::AccountRecord;
use ruche_store::persons::{PersonFilter, PersonRecord};
use ruche_store::{Page, PageRequest};
use serde::Deserialize;

use super::{Options, field_errors_of, office_options};
use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;
use crate::pages::{render, render_status, see_other};

#[derive(Template)]
#[template(path = "staff/persons.html")]
struct ListPage {
    c: RequestCtx,
    page: Page<PersonRecord>,
    search: String,
    office: String,
    offices: Options,
    base: String,
    can_create: bool,
}

/// Only the table, for htmx live search.
#[derive(Template)]
#[template(path = "staff/persons_table.html")]
struct TablePartial {
    c: RequestCtx,
    page: Page<PersonRecord>,
    base: String,
}

#[derive(Template)]
#[template(path = "staff/person_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    id: Option<i64>,
    offices: Options,
    languages: Options,
    genders: Options,
    account: Option<AccountRecord>,
    can_edit: bool,
    can_create_account: bool,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    office: String,
    page: Option<i64>,
}

/// Whom this user may list: everyone, or the people of their offices.
fn scope(ctx: &RequestCtx) -> Option<Vec<i64>> {
    let user = ctx.user.as_deref()?;
    let sees_all = [Role::Administrator, Role::Accountant, Role::Board]
        .iter()
        .any(|r| user.actor.has(*r));
    (!sees_all).then(|| user.actor.advisor_offices.clone())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: axum::http::HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Persons)?;
    let chosen: Option<i64> = q.office.parse().ok();
    let offices = match (scope(&ctx), chosen) {
        (Some(mine), Some(o)) => Some(mine.into_iter().filter(|m| *m == o).collect()),
        (Some(mine), None) => Some(mine),
        (None, Some(o)) => Some(vec![o]),
        (None, None) => None,
    };
    let filter = PersonFilter {
        search: Some(q.q.clone()),
        offices,
    };
    let page = state
        .store
        .persons(&filter, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let base = format!(
        "/staff/persons?{}&",
        serde_urlencoded::to_string([("q", q.q.as_str()), ("office", q.office.as_str())])
            .unwrap_or_default()
    );
    if headers.contains_key("hx-request") {
        return render(&TablePartial { page, base, c: ctx });
    }
    let can_create = ctx.may(Action::Create, Target::Persons);
    let mut offices = office_options(&state, &ctx).await?;
    // In a filter, the empty choice means every office.
    if let Some(first) = offices.first_mut() {
        first.1 = ctx.t("choose-any");
    }
    render(&ListPage {
        page,
        search: q.q,
        office: q.office,
        offices,
        base,
        can_create,
        c: ctx,
    })
}

fn languages(ctx: &RequestCtx) -> Options {
    ruche_domain::Language::ALL
        .iter()
        .map(|l| {
            (
                l.code().to_string(),
                ctx.t(&format!("language-{}", l.code())),
            )
        })
        .collect()
}

/// The declared gender's choices: not stated (the default), then f, m, x.
fn genders(ctx: &RequestCtx) -> Options {
    std::iter::once((String::new(), ctx.t("gender-none")))
        .chain(
            ["f", "m", "x"]
                .into_iter()
                .map(|g| (g.to_string(), ctx.t_of("gender-", g))),
        )
        .collect()
}

fn values(p: &PersonRecord) -> FormView {
    let office = p.office_id.map(|o| o.to_string()).unwrap_or_default();
    FormView::with_defaults(&[
        ("first_name", &p.first_name),
        ("last_name", &p.last_name),
        ("niss", p.niss.as_deref().unwrap_or("")),
        ("street", &p.street),
        ("postcode", &p.postcode),
        ("city", &p.city),
        ("country", &p.country),
        ("language", &p.language),
        ("iban", p.iban.as_deref().unwrap_or("")),
        ("email", p.email.as_deref().unwrap_or("")),
        ("phone", p.phone.as_deref().unwrap_or("")),
        ("office_id", &office),
        ("gender", p.gender.as_deref().unwrap_or("")),
    ])
}

pub async fn new(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Persons)?;
    let f = FormView::with_defaults(&[("country", "BE"), ("language", ctx.lang_code())]);
    let page = FormPage {
        f,
        id: None,
        offices: office_options(&state, &ctx).await?,
        languages: languages(&ctx),
        genders: genders(&ctx),
        account: None,
        can_edit: true,
        can_create_account: false,
        saved: false,
        c: ctx,
    };
    render(&page)
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
    let person = state.store.person(id).await?;
    ctx.authorize(
        Action::View,
        Target::Person {
            id,
            office_id: person.office_id,
        },
    )?;
    let can_edit = ctx.may(
        Action::Update,
        Target::Person {
            id,
            office_id: person.office_id,
        },
    );
    let account = state.store.account_of_person(id).await?;
    let page = FormPage {
        f: values(&person),
        id: Some(id),
        offices: office_options(&state, &ctx).await?,
        languages: languages(&ctx),
        genders: genders(&ctx),
        can_create_account: account.is_none() && ctx.may(Action::Create, Target::Accounts),
        account,
        can_edit,
        saved: q.saved.is_some(),
        c: ctx,
    };
    render(&page)
}

async fn save(
    state: AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let mut f = FormView::new(pairs);
    let form: PersonForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(person) => {
            // An advisor may only attach people to their own offices.
            let target = Target::Person {
                id: id.unwrap_or(0),
                office_id: person.office_id,
            };
            if scope(&ctx).is_some() && !ctx.may(Action::Update, target) {
                FieldErrors::single("office_id", "office-not-yours")
            } else {
                match state.store.save_person(&ctx.audit(), id, &person).await {
                    Ok(saved) => {
                        return Ok(see_other(&format!("/staff/persons/{}?saved=1", saved.id)));
                    }
                    Err(ruche_store::StoreError::NotFound) => {
                        FieldErrors::single("office_id", "required")
                    }
                    Err(e) => field_errors_of(e)?,
                }
            }
        }
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let page = FormPage {
        f,
        id,
        offices: office_options(&state, &ctx).await?,
        languages: languages(&ctx),
        genders: genders(&ctx),
        account: None,
        can_edit: true,
        can_create_account: false,
        saved: false,
        c: ctx,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Persons)?;
    save(state, ctx, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let person = state.store.person(id).await?;
    ctx.authorize(
        Action::Update,
        Target::Person {
            id,
            office_id: person.office_id,
        },
    )?;
    save(state, ctx, Some(id), pairs).await
}
