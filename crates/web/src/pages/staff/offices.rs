//! Staff pages: the offices (antennes).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::group::{OfficeForm, Region};
use ruche_domain::policy::{Action, Target};
use ruche_store::offices::OfficeRecord;
use ruche_store::{Page, PageRequest};

use super::field_errors_of;
use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;
use crate::pages::{PageQuery, render, render_status, see_other};

#[derive(Template)]
#[template(path = "staff/offices.html")]
struct ListPage {
    c: RequestCtx,
    page: Page<OfficeRecord>,
    can_create: bool,
}

#[derive(Template)]
#[template(path = "staff/office_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    regions: super::Options,
    id: Option<i64>,
    can_edit: bool,
    saved: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Offices)?;
    let page = state
        .store
        .offices(PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let can_create = ctx.may(Action::Create, Target::Offices);
    render(&ListPage {
        page,
        can_create,
        c: ctx,
    })
}

pub async fn new(ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Offices)?;
    render(&FormPage {
        regions: regions(&ctx),
        f: FormView::default(),
        id: None,
        can_edit: true,
        saved: false,
        c: ctx,
    })
}

fn values(o: &OfficeRecord) -> FormView {
    FormView::with_defaults(&[
        ("name", &o.name),
        ("region", &o.region),
        ("street", &o.street),
        ("postcode", &o.postcode),
        ("city", &o.city),
        ("email", o.email.as_deref().unwrap_or("")),
        ("phone", o.phone.as_deref().unwrap_or("")),
    ])
}

/// The regions as select options.
fn regions(ctx: &RequestCtx) -> super::Options {
    let mut options = vec![(String::new(), ctx.t("choose-one"))];
    for r in Region::ALL {
        options.push((r.code().to_string(), ctx.t(&format!("region-{}", r.code()))));
    }
    options
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
    ctx.authorize(Action::View, Target::Offices)?;
    let office = state.store.office(id).await?;
    let can_edit = ctx.may(Action::Update, Target::Offices);
    let saved = q.saved.is_some();
    render(&FormPage {
        regions: regions(&ctx),
        f: values(&office),
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
    let form: OfficeForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(office) => match state.store.save_office(&ctx.audit(), id, &office).await {
            Ok(saved) => return Ok(see_other(&format!("/staff/offices/{}?saved=1", saved.id))),
            Err(e) => field_errors_of(e)?,
        },
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let page = FormPage {
        regions: regions(&ctx),
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
    ctx.authorize(Action::Create, Target::Offices)?;
    save(state, ctx, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Offices)?;
    state.store.office(id).await?;
    save(state, ctx, Some(id), pairs).await
}
