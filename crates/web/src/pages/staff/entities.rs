//! Staff pages: the legal entities of the group.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::group::LegalEntityForm;
use ruche_domain::policy::{Action, Target};
use ruche_store::entities::LegalEntityRecord;
use ruche_store::{Page, PageRequest};

use super::field_errors_of;
use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;
use crate::pages::{PageQuery, render, render_status, see_other};

#[derive(Template)]
#[template(path = "staff/entities.html")]
struct ListPage {
    c: RequestCtx,
    page: Page<LegalEntityRecord>,
    can_create: bool,
}

#[derive(Template)]
#[template(path = "staff/entity_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    id: Option<i64>,
    can_edit: bool,
    saved: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::LegalEntities)?;
    let page = state
        .store
        .legal_entities(PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let can_create = ctx.may(Action::Create, Target::LegalEntities);
    render(&ListPage {
        page,
        can_create,
        c: ctx,
    })
}

pub async fn new(ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::LegalEntities)?;
    render(&FormPage {
        f: FormView::default(),
        id: None,
        can_edit: true,
        saved: false,
        c: ctx,
    })
}

fn values(e: &LegalEntityRecord) -> FormView {
    FormView::with_defaults(&[
        ("name", &e.name),
        ("legal_form", &e.legal_form),
        ("street", &e.street),
        ("postcode", &e.postcode),
        ("city", &e.city),
        ("enterprise_number", &e.enterprise_number),
        ("vat_number", e.vat_number.as_deref().unwrap_or("")),
        ("iban", &e.iban),
        ("court_register", &e.court_register),
    ])
}

#[derive(serde::Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::LegalEntities)?;
    let entity = state.store.legal_entity(id).await?;
    let can_edit = ctx.may(Action::Update, Target::LegalEntities);
    let saved = q.saved.is_some();
    render(&FormPage {
        f: values(&entity),
        id: Some(id),
        can_edit,
        saved,
        c: ctx,
    })
}

async fn save(
    state: AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let mut f = FormView::new(pairs);
    let form: LegalEntityForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(entity) => match state
            .store
            .save_legal_entity(&ctx.audit(), id, &entity)
            .await
        {
            Ok(saved) => return Ok(see_other(&format!("/staff/entities/{}?saved=1", saved.id))),
            Err(e) => field_errors_of(e)?,
        },
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let page = FormPage {
        f,
        id,
        can_edit: true,
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
    ctx.authorize(Action::Create, Target::LegalEntities)?;
    save(state, ctx, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::LegalEntities)?;
    state.store.legal_entity(id).await?;
    save(state, ctx, Some(id), pairs).await
}
