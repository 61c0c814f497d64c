//! Internal trades between activities (§7 of the sales issue): the seller's holder proposes,
//! a holder of the buyer accepts or declines, the proposer may cancel while it is proposed.
//!
//! A trade spends an activity's budget, so only its holders agree to it: staff who may see
//! an activity see its trades, but neither propose nor accept one on the holders' behalf.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::activity::ActivityStatus;
use ruche_domain::budget::internal_trade::{
    BuyerReference, TradeForm, TradeStatus, buyer_label, buyer_reference,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::activities::{ActivityFilter, ActivityRecord};
use ruche_store::internal_trades::InternalTradeRecord;
use ruche_store::{PageRequest, StoreError};
use serde::Deserialize;

use super::activities::activity_target;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/internal-trades/new", get(new_trade))
        .route("/activities/{id}/internal-trades", post(propose))
        .route("/activities/{id}/internal-trades/buyers", get(buyers))
        .route("/internal-trades/{id}", get(show))
        .route("/internal-trades/{id}/accept", post(accept))
        .route("/internal-trades/{id}/decline", post(decline))
        .route("/internal-trades/{id}/cancel", post(cancel))
}

/// Suggestions offered while typing the buyer's name.
const MAX_SUGGESTIONS: i64 = 15;

#[derive(Template)]
#[template(path = "internal_trade_form.html")]
struct FormPage {
    c: RequestCtx,
    seller: ActivityRecord,
    f: FormView,
    available: i64,
}

#[derive(Template)]
#[template(path = "internal_trade_buyers.html")]
struct BuyersFragment {
    suggestions: Vec<String>,
}

#[derive(Template)]
#[template(path = "internal_trade.html")]
struct ShowPage {
    c: RequestCtx,
    trade: InternalTradeRecord,
    /// Whether the viewer may open each activity's page.
    seller_link: bool,
    buyer_link: bool,
    /// What the viewer may do now.
    can_decide: bool,
    can_cancel: bool,
    /// The buyer's available budget, formatted, shown to those who decide.
    buyer_available: Option<String>,
    f: FormView,
    saved: bool,
}

/// Whether the viewer holds the activity (and may act in the member area): the holders,
/// and only they, agree to a trade.
pub fn is_holder(ctx: &RequestCtx, target: Target) -> bool {
    matches!(
        target,
        Target::Activity {
            held_by_actor: true,
            ..
        }
    ) && ctx.may(Action::Update, target)
}

/// Refuses anyone but a holder; a holder who has not accepted the usage contract in force
/// is sent to accept it.
fn authorize_holder(ctx: &RequestCtx, target: Target) -> Result<(), AppError> {
    ctx.authorize(Action::Update, target)?;
    if is_holder(ctx, target) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn target_of(
    state: &AppState,
    ctx: &RequestCtx,
    activity_id: i64,
) -> Result<(ActivityRecord, Target), AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    Ok(activity_target(&state.store, person, activity_id).await?)
}

pub async fn new_trade(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (seller, target) = target_of(&state, &ctx, id).await?;
    authorize_holder(&ctx, target)?;
    let available = state.store.available_budget(id).await?;
    render(&FormPage {
        seller,
        f: FormView::default(),
        available,
        c: ctx,
    })
}

/// The buyer typed in the form: `Ok(Some(id))`, `Ok(None)` when no active activity has that
/// name, or an error code when several do.
async fn resolve_buyer(
    state: &AppState,
    typed: &str,
    seller_id: i64,
) -> Result<Result<Option<i64>, &'static str>, AppError> {
    match buyer_reference(typed) {
        BuyerReference::Id(id) => match state.store.activity(id).await {
            Ok(a) if a.status()? == ActivityStatus::Active => Ok(Ok(Some(a.id))),
            Ok(_) | Err(StoreError::NotFound) => Ok(Ok(None)),
            Err(e) => Err(e.into()),
        },
        BuyerReference::Name(name) if name.is_empty() => Ok(Ok(None)),
        BuyerReference::Name(name) => {
            let mut found = state.store.active_activities_named(&name).await?;
            if found.is_empty() {
                // The same name with other capitals.
                let filter = ActivityFilter {
                    search: Some(name.clone()),
                    status: Some(ActivityStatus::Active),
                    ..Default::default()
                };
                let lower = name.to_lowercase();
                found = state
                    .store
                    .activities(&filter, PageRequest::new(1, PageRequest::MAX_PER_PAGE))
                    .await?
                    .items
                    .into_iter()
                    .filter(|a| a.name.to_lowercase() == lower)
                    .map(|a| (a.id, a.name))
                    .collect();
            }
            // A seller that shares its name with others is not its own buyer.
            if found.len() > 1 {
                found.retain(|(id, _)| *id != seller_id);
            }
            match found.as_slice() {
                [] => Ok(Ok(None)),
                [(id, _)] => Ok(Ok(Some(*id))),
                _ => Ok(Err("trade-buyer-ambiguous")),
            }
        }
    }
}

pub async fn propose(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (seller, target) = target_of(&state, &ctx, id).await?;
    authorize_holder(&ctx, target)?;
    let mut f = FormView::new(pairs);
    let form: TradeForm = f.decode().map_err(AppError::Internal)?;
    let errors = match resolve_buyer(&state, &form.trade_buyer, id).await? {
        Err(code) => {
            let mut errors = form.parse(id, Some(0)).err().unwrap_or_default();
            errors.0.retain(|e| e.field != "trade_buyer");
            errors.add("trade_buyer", code);
            errors
        }
        Ok(buyer) => match form.parse(id, buyer) {
            Ok(trade) => match state
                .store
                .propose_internal_trade(&ctx.audit(), &trade)
                .await
            {
                Ok(created) => {
                    return Ok(see_other(&format!(
                        "/internal-trades/{}?saved=1",
                        created.id
                    )));
                }
                Err(StoreError::Conflict(code)) => FieldErrors::single("trade_buyer", code),
                Err(e) => return Err(e.into()),
            },
            Err(errors) => errors,
        },
    };
    f.add_errors(&errors, ctx.lang);
    let available = state.store.available_budget(id).await?;
    let page = FormPage {
        seller,
        f,
        available,
        c: ctx,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct BuyersQuery {
    #[serde(default)]
    trade_buyer: String,
}

/// `<option>`s of the active activities whose name holds what was typed (htmx fills the
/// buyer field's `<datalist>` with them).
pub async fn buyers(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<BuyersQuery>,
) -> Result<Response, AppError> {
    let (_, target) = target_of(&state, &ctx, id).await?;
    authorize_holder(&ctx, target)?;
    let typed = q.trade_buyer.trim();
    let suggestions = if typed.chars().count() < 2 {
        Vec::new()
    } else {
        let filter = ActivityFilter {
            search: Some(typed.to_string()),
            status: Some(ActivityStatus::Active),
            ..Default::default()
        };
        state
            .store
            .activities(&filter, PageRequest::new(1, MAX_SUGGESTIONS))
            .await?
            .items
            .into_iter()
            .filter(|a| a.id != id)
            .map(|a| buyer_label(&a.name, a.id))
            .collect()
    };
    render(&BuyersFragment { suggestions })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
}

/// The trade and the targets of its two activities, refused unless the viewer may see one.
async fn viewable(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(InternalTradeRecord, Target, Target), AppError> {
    ctx.user()?;
    let trade = state.store.internal_trade(id).await?;
    let (_, seller) = target_of(state, ctx, trade.seller_activity_id).await?;
    let (_, buyer) = target_of(state, ctx, trade.buyer_activity_id).await?;
    if !ctx.may(Action::View, seller) && !ctx.may(Action::View, buyer) {
        // A holder of either side who has not accepted the usage contract is asked to.
        ctx.authorize(Action::View, seller)?;
        ctx.authorize(Action::View, buyer)?;
    }
    Ok((trade, seller, buyer))
}

fn is_proposer(ctx: &RequestCtx, trade: &InternalTradeRecord) -> bool {
    ctx.user
        .as_deref()
        .is_some_and(|u| trade.proposed_by == Some(u.account.id))
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    trade: InternalTradeRecord,
    seller: Target,
    buyer: Target,
    f: FormView,
    saved: bool,
) -> Result<ShowPage, AppError> {
    let proposed = trade.status()? == TradeStatus::Proposed;
    let can_decide = proposed && is_holder(&ctx, buyer);
    let can_cancel = proposed && is_proposer(&ctx, &trade) && ctx.may(Action::View, seller);
    let buyer_available = if can_decide {
        let cents = state
            .store
            .available_budget(trade.buyer_activity_id)
            .await?;
        Some(ctx.money(cents))
    } else {
        None
    };
    Ok(ShowPage {
        seller_link: ctx.may(Action::View, seller),
        buyer_link: ctx.may(Action::View, buyer),
        can_decide,
        can_cancel,
        buyer_available,
        trade,
        f,
        saved,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (trade, seller, buyer) = viewable(&state, &ctx, id).await?;
    let page = show_page(
        &state,
        ctx,
        trade,
        seller,
        buyer,
        FormView::default(),
        q.saved.is_some(),
    )
    .await?;
    render(&page)
}

/// What the store answered to a decision, as a page: back to the trade, or the trade with
/// the reason of the refusal (409).
async fn after_decision(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    outcome: Result<InternalTradeRecord, StoreError>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(_) => Ok(see_other(&format!("/internal-trades/{id}?saved=1"))),
        Err(StoreError::Conflict(code)) => {
            let (trade, seller, buyer) = viewable(state, &ctx, id).await?;
            let mut f = FormView::default();
            f.add_errors(&FieldErrors::single("trade", code), ctx.lang);
            let page = show_page(state, ctx, trade, seller, buyer, f, false).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, _, buyer) = viewable(&state, &ctx, id).await?;
    authorize_holder(&ctx, buyer)?;
    let outcome = state
        .store
        .accept_internal_trade(&ctx.audit(), id, today())
        .await;
    after_decision(&state, ctx, id, outcome).await
}

pub async fn decline(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, _, buyer) = viewable(&state, &ctx, id).await?;
    authorize_holder(&ctx, buyer)?;
    let outcome = state.store.decline_internal_trade(&ctx.audit(), id).await;
    after_decision(&state, ctx, id, outcome).await
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (trade, seller, _) = viewable(&state, &ctx, id).await?;
    ctx.authorize(Action::View, seller)?;
    if !is_proposer(&ctx, &trade) {
        return Err(AppError::Forbidden);
    }
    let outcome = state.store.cancel_internal_trade(&ctx.audit(), id).await;
    after_decision(&state, ctx, id, outcome).await
}
