//! The API of employment (C6, C2), with the pages' rules and policy: an activity's
//! contracts (who may see the activity sees them; who may update it signs and cancels),
//! and for the treasury (accountants, administrators) pay runs, the guarantee fund, the
//! day's DIMONA declarations and the year's work volume.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use jiff::civil::Date;
use ruche_domain::employment::ContractForm;
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::employment::{ContractFilter, NOTHING_DUE};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::i18n;
use crate::pages::activities::activity_target;
use crate::pages::contracts::{Signed, sign};
use crate::pages::payroll::{MAX_DIMONA_PER_DAY, day_declarations, run_pay};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/activities/{id}/contracts",
            get(list_contracts).post(create_contract),
        )
        .route("/contracts/{id}", get(get_contract))
        .route("/contracts/{id}/cancel", post(cancel_contract))
        .route("/pay-runs", get(list_runs).post(create_run))
        .route("/pay-runs/{id}", get(get_run))
        .route("/guarantee-fund", get(fund))
        .route("/dimona", get(dimona))
        .route("/work-volume", get(volume))
}

fn allowed(api: &ApiUser, action: Action, target: Target) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, target) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

/// A refusal that only the stored state explains (409), naming the field and the reason.
fn conflict(api: &ApiUser, field: &str, code: &str) -> ApiError {
    ApiError::conflict(field, code, i18n::field_error(api.lang(), code), api.lang())
}

async fn activity(
    api: &ApiUser,
    state: &AppState,
    id: i64,
    action: Action,
) -> Result<(), ApiError> {
    let (_, target) = activity_target(&state.store, Some(api.user.person.id), id)
        .await
        .map_err(|e| api.store_error(e))?;
    allowed(api, action, target)
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list_contracts(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    activity(&api, &state, id, Action::View).await?;
    let filter = ContractFilter {
        activity_id: Some(id),
        ..ContractFilter::default()
    };
    ok(state
        .store
        .contracts(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

/// Signs a contract: the body has the page's fields (`worker` is a person id, amounts in
/// euros as text, hours as `7,5` or `7:30`). 422 names each wrong field, with the rule.
pub async fn create_contract(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ContractForm>, JsonRejection>,
) -> ApiResult {
    activity(&api, &state, id, Action::Update).await?;
    let input = api.body(json)?;
    let new = input
        .parse(id)
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match sign(&state, &api.ctx, &new).await {
        Ok(Signed::Done(contract)) => created(*contract),
        Ok(Signed::Refused(errors)) => Err(ApiError::invalid(&errors, api.lang())),
        Err(e) => Err(api.store_error(e)),
    }
}

async fn contract_allowed(
    api: &ApiUser,
    state: &AppState,
    id: i64,
    action: Action,
) -> Result<ruche_store::employment::ContractRecord, ApiError> {
    let contract = state
        .store
        .contract(id)
        .await
        .map_err(|e| api.store_error(e))?;
    activity(api, state, contract.activity_id, action).await?;
    Ok(contract)
}

pub async fn get_contract(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    ok(contract_allowed(&api, &state, id, Action::View).await?)
}

pub async fn cancel_contract(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    contract_allowed(&api, &state, id, Action::Update).await?;
    match state
        .store
        .cancel_contract(&api.audit(), id, crate::context::today())
        .await
    {
        Ok(record) => ok(record),
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "status", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn list_runs(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    allowed(&api, Action::List, Target::Treasury)?;
    ok(state
        .store
        .pay_runs(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_run(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    allowed(&api, Action::View, Target::Treasury)?;
    let run = state
        .store
        .pay_run(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let filter = ContractFilter {
        pay_run_id: Some(id),
        ..ContractFilter::default()
    };
    let contracts = state
        .store
        .contracts(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "run": run, "contracts": contracts }))
}

#[derive(Deserialize)]
pub struct RunInput {
    entity_id: i64,
    /// `YYYY-MM-DD`, today or later.
    pay_date: String,
}

pub async fn create_run(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<RunInput>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create, Target::Treasury)?;
    let input = api.body(json)?;
    let Some(date) = input
        .pay_date
        .trim()
        .parse::<Date>()
        .ok()
        .filter(|d| *d >= crate::context::today())
    else {
        return Err(ApiError::invalid(
            &FieldErrors::single("pay_date", "date"),
            api.lang(),
        ));
    };
    match run_pay(&state.store, &api.audit(), input.entity_id, date).await {
        Ok(done) => created(json!({ "run": done.run, "held": done.held })),
        Err(StoreError::NotFound) => Err(ApiError::invalid(
            &FieldErrors::single("entity_id", "required"),
            api.lang(),
        )),
        Err(StoreError::Conflict(code)) if code == NOTHING_DUE => {
            Err(conflict(&api, "pay_date", code))
        }
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "entity_id", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct FundQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
}

pub async fn fund(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<FundQuery>,
) -> ApiResult {
    allowed(&api, Action::View, Target::Treasury)?;
    if let Some(s) = q.status.as_deref()
        && !matches!(s, "open" | "repaid" | "lost" | "cancelled")
    {
        return Err(ApiError::invalid(
            &FieldErrors::single("status", "format"),
            api.lang(),
        ));
    }
    let summary = state
        .store
        .guarantee_fund()
        .await
        .map_err(|e| api.store_error(e))?;
    let advances = state
        .store
        .guarantee_advances(q.status.as_deref(), paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "summary": summary, "advances": advances }))
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    day: Option<String>,
}

pub async fn dimona(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<DayQuery>,
) -> ApiResult {
    allowed(&api, Action::View, Target::Treasury)?;
    let day = match q.day.as_deref() {
        None => crate::context::today(),
        Some(d) => d
            .parse::<Date>()
            .map_err(|_| ApiError::invalid(&FieldErrors::single("day", "date"), api.lang()))?,
    };
    let rows = state
        .store
        .dimona_rows(day, MAX_DIMONA_PER_DAY)
        .await
        .map_err(|e| api.store_error(e))?;
    let items = day_declarations(day, &rows).map_err(|e| api.store_error(e))?;
    let declarations: Vec<Value> = items
        .into_iter()
        .map(|(d, w)| json!({ "declaration": d, "worker": { "niss": w.niss, "first_name": w.first_name, "last_name": w.last_name } }))
        .collect();
    ok(json!({ "day": day, "declarations": declarations }))
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i16>,
}

pub async fn volume(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    allowed(&api, Action::View, Target::Treasury)?;
    let year = q.year.unwrap_or(crate::context::today().year());
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::invalid(
            &FieldErrors::single("year", "format"),
            api.lang(),
        ));
    }
    let v = state
        .store
        .work_volume(year)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({
        "year": v.year,
        "contracts": v.contracts,
        "hours": v.hours(),
        "fte": v.fte(),
        "headcount": v.headcount,
        "new_open_ended": v.new_open_ended,
        "by_office": v.by_office,
    }))
}

/// The OpenAPI paths of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let responses = |ok: &str, description: &str| {
        json!({
            ok: { "description": description, "content": { "application/json": {} } },
            "401": { "description": "missing or revoked token", "content": problem },
            "403": { "description": "refused by the policy", "content": problem },
            "404": { "description": "not found", "content": problem },
            "409": { "description": "refused by the stored state (budget, guarantee, status); nothing was written", "content": problem },
            "422": { "description": "invalid input; each error names its field and the rule", "content": problem },
        })
    };
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let contract_body = json!({
        "required": true,
        "content": { "application/json": { "schema": {
            "type": "object",
            "properties": {
                "worker": { "type": "string", "description": "person id" },
                "kind": { "type": "string", "enum": ["day", "fixed-term", "open-ended", "artistic-1bis", "amateur-arts"] },
                "worker_status": { "type": "string", "enum": ["employee", "manual"] },
                "starts_on": { "type": "string", "format": "date" },
                "ends_on": { "type": "string", "format": "date" },
                "days": { "type": "string" },
                "hours": { "type": "string", "description": "7,5 or 7:30; weekly hours for open-ended" },
                "function": { "type": "string" },
                "joint_committee": { "type": "string", "example": "200" },
                "pay_basis": { "type": "string", "enum": ["gross", "budget"] },
                "amount": { "type": "string", "description": "euros, 1.234,56" },
                "order_quote": { "type": "string", "description": "accepted quote id (salary guarantee)" },
                "attestation": { "type": "string" },
                "attestation_valid_until": { "type": "string", "format": "date" }
            }
        } } }
    });
    paths.insert(
        "/api/v1/activities/{id}/contracts".into(),
        json!({
            "get": { "summary": "The activity's employment contracts, newest first", "tags": ["employment"], "parameters": [id], "responses": responses("200", "a page of contracts") },
            "post": { "summary": "Sign a contract: reserves its employer cost (or the guarantee advances it)", "tags": ["employment"], "parameters": [id], "requestBody": contract_body, "responses": responses("201", "the signed contract") }
        }),
    );
    paths.insert(
        "/api/v1/contracts/{id}".into(),
        json!({ "get": { "summary": "One contract, with its simulation", "tags": ["employment"], "parameters": [id], "responses": responses("200", "the contract") } }),
    );
    paths.insert(
        "/api/v1/contracts/{id}/cancel".into(),
        json!({ "post": { "summary": "Cancel a signed contract: its reservation (and the fund's advance) reversed", "tags": ["employment"], "parameters": [id], "responses": responses("200", "the cancelled contract") } }),
    );
    paths.insert(
        "/api/v1/pay-runs".into(),
        json!({
            "get": { "summary": "Pay runs, newest first", "tags": ["employment"], "responses": responses("200", "a page of pay runs") },
            "post": { "summary": "Run the pay of an entity on a date and create its SEPA batch", "tags": ["employment"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["entity_id", "pay_date"], "properties": { "entity_id": { "type": "integer" }, "pay_date": { "type": "string", "format": "date" } } } } } },
                "responses": responses("201", "the run and the contracts held back") }
        }),
    );
    paths.insert(
        "/api/v1/pay-runs/{id}".into(),
        json!({ "get": { "summary": "A pay run and a page of its contracts (`page`, `per_page`), newest first", "tags": ["employment"], "parameters": [id], "responses": responses("200", "the run") } }),
    );
    paths.insert(
        "/api/v1/guarantee-fund".into(),
        json!({ "get": { "summary": "The salary guarantee fund: balance, advances, repayments, losses", "tags": ["employment"], "responses": responses("200", "summary and advances") } }),
    );
    paths.insert(
        "/api/v1/dimona".into(),
        json!({ "get": { "summary": "The DIMONA declarations of a day", "tags": ["employment"],
            "parameters": [{ "name": "day", "in": "query", "schema": { "type": "string", "format": "date" } }],
            "responses": responses("200", "the day's declarations") } }),
    );
    paths.insert(
        "/api/v1/work-volume".into(),
        json!({ "get": { "summary": "Hours, FTE (hours ÷ 1,976) and headcount of a year", "tags": ["employment"],
            "parameters": [{ "name": "year", "in": "query", "schema": { "type": "integer" } }],
            "responses": responses("200", "the year's work volume") } }),
    );
}
