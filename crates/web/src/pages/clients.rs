//! The client directory: shared by the whole cooperative, one entry per Belgian company.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::client::ClientForm;
use ruche_domain::policy::{Action, Target};
use ruche_store::clients::ClientRecord;
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::staff::Options;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::forms::FormView;

#[derive(Template)]
#[template(path = "clients.html")]
struct ListPage {
    c: RequestCtx,
    page: Page<ClientRecord>,
    q: ListQuery,
    base: String,
}

#[derive(Template)]
#[template(path = "client_form.html")]
struct FormPage {
    c: RequestCtx,
    f: FormView,
    id: Option<i64>,
    kinds: Options,
    languages: Options,
    can_edit: bool,
    saved: bool,
    /// The existing client with the typed enterprise number, when one exists.
    existing: Option<ClientRecord>,
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(skip_serializing)]
    page: Option<i64>,
}

fn kinds(ctx: &RequestCtx) -> Options {
    vec![
        ("company".into(), ctx.t("client-kind-company")),
        ("consumer".into(), ctx.t("client-kind-consumer")),
    ]
}

fn languages(ctx: &RequestCtx) -> Options {
    ruche_domain::Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), ctx.t_of("language-", l.code())))
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Clients)?;
    let page = state
        .store
        .clients(
            Some(&q.q),
            Some(&q.kind),
            PageRequest::new(q.page.unwrap_or(1), 50),
        )
        .await?;
    let base = format!(
        "/clients?{}&",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    );
    render(&ListPage {
        page,
        q,
        base,
        c: ctx,
    })
}

fn form_page(ctx: RequestCtx, f: FormView, id: Option<i64>, can_edit: bool) -> FormPage {
    FormPage {
        kinds: kinds(&ctx),
        languages: languages(&ctx),
        f,
        id,
        can_edit,
        saved: false,
        existing: None,
        c: ctx,
    }
}

pub async fn new(ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Clients)?;
    let f = FormView::with_defaults(&[
        ("kind", "company"),
        ("country", "BE"),
        ("language", ctx.lang_code()),
    ]);
    render(&form_page(ctx, f, None, true))
}

fn values(c: &ClientRecord) -> FormView {
    FormView::with_defaults(&[
        ("kind", &c.kind),
        ("name", &c.name),
        (
            "enterprise_number",
            c.enterprise_number.as_deref().unwrap_or(""),
        ),
        ("vat_number", c.vat_number.as_deref().unwrap_or("")),
        ("street", &c.street),
        ("postcode", &c.postcode),
        ("city", &c.city),
        ("country", &c.country),
        ("language", &c.language),
        ("email", c.email.as_deref().unwrap_or("")),
    ])
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
}

fn target(ctx: &RequestCtx, client: &ClientRecord) -> Target {
    let mine = ctx
        .user
        .as_deref()
        .is_some_and(|u| client.created_by == Some(u.account.id));
    Target::Client {
        created_by_actor: mine,
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let client = state.store.client(id).await?;
    let target = target(&ctx, &client);
    ctx.authorize(Action::View, target)?;
    let can_edit = ctx.may(Action::Update, target);
    let mut page = form_page(ctx, values(&client), Some(id), can_edit);
    page.saved = q.saved.is_some();
    render(&page)
}

async fn save(
    state: AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let mut f = FormView::new(pairs);
    let form: ClientForm = f.decode().map_err(AppError::Internal)?;
    let mut existing = None;
    let errors = match form.parse() {
        Ok(client) => match state.store.save_client(&ctx.audit(), id, &client).await {
            Ok(saved) => return Ok(see_other(&format!("/clients/{}?saved=1", saved.id))),
            Err(StoreError::Duplicate { field }) => {
                // The company is already in the directory: point to it rather than copy it.
                if let Some(number) = &client.enterprise_number {
                    existing = state
                        .store
                        .client_by_enterprise_number(number.as_str())
                        .await?;
                }
                ruche_domain::validate::FieldErrors::single(field, "client-exists")
            }
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    f.add_errors(&errors, ctx.lang);
    let mut page = form_page(ctx, f, id, true);
    page.existing = existing;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Clients)?;
    save(state, ctx, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let client = state.store.client(id).await?;
    ctx.authorize(Action::Update, target(&ctx, &client))?;
    save(state, ctx, Some(id), pairs).await
}
