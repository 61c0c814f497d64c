//! Staff page: the versions of the usage contract, and publishing a new one.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::usage_contract::{NewUsageContractVersion, UsageContractVersion};

use super::field_errors_of;
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::pages::{render, render_status, see_other};

#[derive(Template)]
#[template(path = "staff/usage_contract.html")]
struct VersionsPage {
    c: RequestCtx,
    /// (version, accepted by, in force now)
    versions: Vec<(UsageContractVersion, i64, bool)>,
    f: FormView,
    can_publish: bool,
}

async fn page(state: &AppState, ctx: RequestCtx, f: FormView) -> Result<VersionsPage, AppError> {
    let current = state
        .store
        .usage_contract_in_force(today())
        .await?
        .map(|v| v.id);
    let mut versions = Vec::new();
    for v in state.store.usage_contract_versions().await? {
        let accepted = state.store.usage_contract_acceptance_count(v.id).await?;
        let in_force = Some(v.id) == current;
        versions.push((v, accepted, in_force));
    }
    let can_publish = ctx.may(Action::Create, Target::UsageContracts);
    Ok(VersionsPage {
        versions,
        f,
        can_publish,
        c: ctx,
    })
}

pub async fn list(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::UsageContracts)?;
    render(&page(&state, ctx, FormView::default()).await?)
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::UsageContracts)?;
    let mut f = FormView::new(pairs);
    let mut errors = FieldErrors::new();
    let label = errors.required("label", f.value("label"), 50);
    let effective_from = match f
        .value("effective_from")
        .trim()
        .parse::<jiff::civil::Date>()
    {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add("effective_from", "date");
            None
        }
    };
    let text_fr = errors.required("text_fr", f.value("text_fr"), 100_000);
    let text_nl = errors.required("text_nl", f.value("text_nl"), 100_000);
    let text_en = errors.required("text_en", f.value("text_en"), 100_000);
    if let (Some(effective_from), true) = (effective_from, errors.is_empty()) {
        let new = NewUsageContractVersion {
            label,
            effective_from,
            text_fr,
            text_nl,
            text_en,
        };
        match state.store.publish_usage_contract(&ctx.audit(), &new).await {
            Ok(_) => return Ok(see_other("/staff/usage-contract")),
            Err(e) => errors = field_errors_of(e)?,
        }
    }
    f.add_errors(&errors, ctx.lang);
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(&state, ctx, f).await?,
    )
}
