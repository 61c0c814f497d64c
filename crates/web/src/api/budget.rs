//! The API of budgets and internal trades, with the same rules and policy as the pages:
//! a budget is read by whoever may see its activity; a trade is proposed by a holder of the
//! seller, accepted or declined by a holder of the buyer, cancelled by its proposer.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use ruche_domain::budget::internal_trade::{NewTrade, TradeStatus};
use ruche_domain::ledger::MIN_YEAR;
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::internal_trades::{InternalTradeFilter, InternalTradeRecord};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::i18n;
use crate::pages::activities::{activity_target, scope_of};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/budget", get(get_budget))
        .route("/internal-trades", get(list_trades).post(propose_trade))
        .route("/internal-trades/{id}", get(get_trade))
        .route("/internal-trades/{id}/accept", post(accept_trade))
        .route("/internal-trades/{id}/decline", post(decline_trade))
        .route("/internal-trades/{id}/cancel", post(cancel_trade))
}

fn forbidden(api: &ApiUser) -> ApiError {
    ApiError::forbidden(api.lang())
}

async fn target(api: &ApiUser, state: &AppState, activity_id: i64) -> Result<Target, ApiError> {
    let (_, target) = activity_target(&state.store, Some(api.user.person.id), activity_id)
        .await
        .map_err(|e| api.store_error(e))?;
    Ok(target)
}

fn may(api: &ApiUser, action: Action, target: Target) -> bool {
    decide(&api.user.actor, action, target) == Decision::Allowed
}

/// Holders, and only they, agree to a trade (see `pages::internal_trades`).
fn is_holder(api: &ApiUser, target: Target) -> bool {
    matches!(
        target,
        Target::Activity {
            held_by_actor: true,
            ..
        }
    ) && may(api, Action::Update, target)
}

/// A refusal that only the stored state explains (409), naming the field and the reason.
fn conflict(api: &ApiUser, field: &str, code: &str) -> ApiError {
    ApiError::conflict(field, code, i18n::field_error(api.lang(), code), api.lang())
}

fn trade_error(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(code) if code.starts_with("trade-") => {
            let field = if code == ruche_store::internal_trades::REFUSED_INSUFFICIENT_BUDGET {
                "amount_cents"
            } else {
                "status"
            };
            conflict(api, field, code)
        }
        other => api.store_error(other),
    }
}

#[derive(Deserialize, Default)]
pub struct BudgetQuery {
    /// A year; the activity's whole life when absent.
    year: Option<i16>,
}

pub async fn get_budget(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<BudgetQuery>,
) -> ApiResult {
    api.authorize(Action::View, target(&api, &state, id).await?)?;
    if q.year.is_some_and(|y| !(MIN_YEAR..=9999).contains(&y)) {
        return Err(ApiError::invalid(
            &FieldErrors::single("year", "date"),
            api.lang(),
        ));
    }
    ok(state
        .store
        .activity_budget(id, q.year)
        .await
        .map_err(|e| api.store_error(e))?)
}

#[derive(Deserialize, Default)]
pub struct TradeListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    activity_id: Option<i64>,
    status: Option<String>,
}

/// The trades of the activities the token's user may see, newest first.
pub async fn list_trades(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<TradeListQuery>,
) -> ApiResult {
    let scope = scope_of(&api.user);
    if scope.holder.is_some() {
        api.authorize(Action::View, Target::MemberArea)?;
    }
    if let Some(activity_id) = q.activity_id {
        api.authorize(Action::View, target(&api, &state, activity_id).await?)?;
    }
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(TradeStatus::parse(s).ok_or_else(|| {
            ApiError::invalid(&FieldErrors::single("status", "format"), api.lang())
        })?),
    };
    // Asking for one activity the user may see shows all its trades, whichever side the
    // other activity is on; otherwise the user's scope applies.
    let filter = match q.activity_id {
        Some(activity_id) => InternalTradeFilter {
            activity_id: Some(activity_id),
            status,
            ..Default::default()
        },
        None => InternalTradeFilter {
            holder: scope.holder,
            offices: scope.offices,
            status,
            ..Default::default()
        },
    };
    let page = paging(q.page, q.per_page);
    ok(state
        .store
        .internal_trades(&filter, page)
        .await
        .map_err(|e| api.store_error(e))?)
}

/// The trade, refused unless the user may see one of its two activities.
async fn viewable(
    api: &ApiUser,
    state: &AppState,
    id: i64,
) -> Result<(InternalTradeRecord, Target, Target), ApiError> {
    let trade = state
        .store
        .internal_trade(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let seller = target(api, state, trade.seller_activity_id).await?;
    let buyer = target(api, state, trade.buyer_activity_id).await?;
    if may(api, Action::View, seller) || may(api, Action::View, buyer) {
        Ok((trade, seller, buyer))
    } else {
        Err(forbidden(api))
    }
}

pub async fn get_trade(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (trade, _, _) = viewable(&api, &state, id).await?;
    ok(trade)
}

#[derive(Deserialize)]
pub struct TradeInput {
    seller_activity_id: i64,
    buyer_activity_id: i64,
    amount_cents: i64,
    #[serde(default)]
    description: String,
}

pub async fn propose_trade(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<TradeInput>, JsonRejection>,
) -> ApiResult {
    let input = api.body(json)?;
    let seller = target(&api, &state, input.seller_activity_id).await?;
    if !is_holder(&api, seller) {
        return Err(forbidden(&api));
    }
    let trade = NewTrade::parse(
        input.seller_activity_id,
        input.buyer_activity_id,
        input.amount_cents,
        &input.description,
    )
    .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state
        .store
        .propose_internal_trade(&api.audit(), &trade)
        .await
    {
        Ok(created) => Ok((StatusCode::CREATED, Json(created)).into_response()),
        Err(StoreError::NotFound) => Err(ApiError::invalid(
            &FieldErrors::single("buyer_activity_id", "required"),
            api.lang(),
        )),
        Err(StoreError::Conflict(code)) if code.starts_with("trade-") => {
            Err(conflict(&api, "buyer_activity_id", code))
        }
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn accept_trade(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (_, _, buyer) = viewable(&api, &state, id).await?;
    if !is_holder(&api, buyer) {
        return Err(forbidden(&api));
    }
    let accepted = state
        .store
        .accept_internal_trade(&api.audit(), id, today())
        .await;
    ok(accepted.map_err(|e| trade_error(&api, e))?)
}

pub async fn decline_trade(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (_, _, buyer) = viewable(&api, &state, id).await?;
    if !is_holder(&api, buyer) {
        return Err(forbidden(&api));
    }
    let declined = state.store.decline_internal_trade(&api.audit(), id).await;
    ok(declined.map_err(|e| trade_error(&api, e))?)
}

pub async fn cancel_trade(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (trade, seller, _) = viewable(&api, &state, id).await?;
    if trade.proposed_by != Some(api.user.account.id) || !may(&api, Action::View, seller) {
        return Err(forbidden(&api));
    }
    let cancelled = state.store.cancel_internal_trade(&api.audit(), id).await;
    ok(cancelled.map_err(|e| trade_error(&api, e))?)
}

/// The OpenAPI paths and schemas of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let int = json!({ "type": "integer", "format": "int64" });
    let cents = json!({ "type": "integer", "format": "int64", "description": "cents" });
    let opt_int = json!({ "type": ["integer", "null"], "format": "int64" });
    let opt_str = json!({ "type": ["string", "null"] });
    let micros =
        json!({ "type": "integer", "format": "int64", "description": "Unix microseconds, UTC" });
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let responses = |ok: &str, description: &str, schema: Value| {
        let mut out = Map::new();
        out.insert(
            ok.to_string(),
            json!({ "description": description, "content": { "application/json": { "schema": schema } } }),
        );
        for (code, description) in [
            ("401", "missing or revoked token"),
            ("403", "refused by the policy"),
            ("404", "no such activity or trade"),
            (
                "409",
                "refused by the stored state (status, activity not active, budget too small); nothing was written",
            ),
            ("422", "invalid input; each error names its field"),
        ] {
            out.insert(
                code.to_string(),
                json!({ "description": description, "content": problem }),
            );
        }
        Value::Object(out)
    };
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let month = json!({ "type": "object", "properties": {
        "month": { "type": "integer", "minimum": 1, "maximum": 12 }, "invoiced": cents, "paid_in": cents } });
    schemas.insert("BudgetMonth".into(), month);
    schemas.insert(
        "Budget".into(),
        json!({ "type": "object", "description": "An activity's budget, computed from the ledger on every request; figures in cents. available = opening + paid_in - contribution - reserved - expenses + internal_in - internal_out + other.",
            "properties": {
                "activity_id": int, "year": { "type": ["integer", "null"], "description": "null: the whole life" },
                "opening": cents, "invoiced": cents, "paid_in": cents, "contribution": cents,
                "reserved": cents, "expenses": cents, "internal_in": cents, "internal_out": cents,
                "other": cents, "available": cents, "chart_year": { "type": "integer" },
                "monthly": { "type": "array", "minItems": 12, "maxItems": 12, "items": reference("BudgetMonth") } } }),
    );
    schemas.insert(
        "InternalTradeInput".into(),
        json!({ "type": "object", "required": ["seller_activity_id", "buyer_activity_id", "amount_cents", "description"],
            "properties": { "seller_activity_id": int, "buyer_activity_id": int,
                "amount_cents": { "type": "integer", "format": "int64", "minimum": 1 },
                "description": { "type": "string", "maxLength": 300 } } }),
    );
    schemas.insert(
        "InternalTrade".into(),
        json!({ "type": "object", "properties": {
            "id": int, "seller_activity_id": int, "seller_name": { "type": "string" },
            "buyer_activity_id": int, "buyer_name": { "type": "string" },
            "description": { "type": "string" }, "amount_cents": cents,
            "status": { "type": "string", "enum": ["proposed", "accepted", "declined", "cancelled"] },
            "proposed_by": opt_int, "proposer_name": opt_str, "proposed_at": micros,
            "decided_by": opt_int, "decider_name": opt_str, "decided_at": opt_int,
            "ledger_transaction_id": opt_int } }),
    );
    schemas.insert(
        "InternalTradePage".into(),
        json!({ "type": "object", "properties": {
            "items": { "type": "array", "items": reference("InternalTrade") },
            "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" } } }),
    );
    paths.insert(
        "/api/v1/activities/{id}/budget".into(),
        json!({ "get": {
            "tags": ["budgets"], "summary": "An activity's budget for a year, or its whole life",
            "parameters": [id_param, { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 9999 } }],
            "responses": responses("200", "the budget", reference("Budget")) } }),
    );
    paths.insert(
        "/api/v1/internal-trades".into(),
        json!({
            "get": { "tags": ["internal trades"], "summary": "List the trades of the activities you may see",
                "parameters": [
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                    { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } },
                    { "name": "activity_id", "in": "query", "schema": { "type": "integer" } },
                    { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["proposed", "accepted", "declined", "cancelled"] } } ],
                "responses": responses("200", "a page", reference("InternalTradePage")) },
            "post": { "tags": ["internal trades"], "summary": "Propose a trade (a holder of the seller): no invoice, no VAT, no contribution",
                "requestBody": { "required": true, "content": { "application/json": { "schema": reference("InternalTradeInput") } } },
                "responses": responses("201", "proposed", reference("InternalTrade")) }
        }),
    );
    paths.insert(
        "/api/v1/internal-trades/{id}".into(),
        json!({ "get": { "tags": ["internal trades"], "summary": "Read one trade",
            "parameters": [id_param], "responses": responses("200", "found", reference("InternalTrade")) } }),
    );
    for (action, summary) in [
        (
            "accept",
            "Accept (a holder of the buyer): the amount moves from the buyer's budget to the seller's, once",
        ),
        ("decline", "Decline (a holder of the buyer)"),
        ("cancel", "Withdraw the proposal (its proposer)"),
    ] {
        paths.insert(
            format!("/api/v1/internal-trades/{{id}}/{action}"),
            json!({ "post": { "tags": ["internal trades"], "summary": summary,
                "parameters": [id_param], "responses": responses("200", "the trade", reference("InternalTrade")) } }),
        );
    }
}
