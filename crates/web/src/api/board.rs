//! The API of the board and of the allocation of results (C11; ES-6, ES-8, CNC-4, CNC-5),
//! with the pages' rules and policy: board, administrators and accountants read; the board
//! and administrators record. Bodies take the pages' fields (amounts in euros as text).

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use ruche_domain::governance::board::{
    AllowanceForm, MandateEndForm, MandateForm, MeetingForm, PaymentForm,
};
use ruche_domain::governance::distribution::AppropriationForm;
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/board", get(current_board))
        .route("/board/mandates", get(past_mandates).post(create_mandate))
        .route("/board/mandates/{id}", get(get_mandate))
        .route("/board/mandates/{id}/end", post(end_mandate))
        .route("/board/mandates/{id}/confirm", post(confirm_mandate))
        .route("/board/meetings", get(list_meetings).post(create_meeting))
        .route("/board/meetings/{id}", get(get_meeting))
        .route(
            "/board/meetings/{id}/attendance",
            axum::routing::put(set_attendance),
        )
        .route(
            "/board/allowances",
            get(list_allowances).post(create_allowance),
        )
        .route("/board/payments", get(list_payments).post(create_payment))
        .route("/board/checks", get(checks))
        .route(
            "/allocations",
            get(list_allocations).post(create_allocation),
        )
        .route("/allocations/{year}", get(get_allocation))
}

fn allowed(api: &ApiUser, action: Action) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, Target::Governance) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

/// A store refusal: 422 naming the field, 409 for a state that forbids the change.
fn refused(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(code) => ApiError::conflict(
            "status",
            code,
            i18n::field_error(api.lang(), code),
            api.lang(),
        ),
        StoreError::Duplicate {
            field: "alloc_year",
        } => ApiError::invalid(
            &FieldErrors::single("alloc_year", "alloc-year-taken"),
            api.lang(),
        ),
        e => api.store_error(e),
    }
}

fn year_or_default(year: Option<i32>, default: i32) -> Result<i16, FieldErrors> {
    let y = year.unwrap_or(default);
    if (2000..=2999).contains(&y) {
        i16::try_from(y).map_err(|_| FieldErrors::single("year", "alloc-year"))
    } else {
        Err(FieldErrors::single("year", "alloc-year"))
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    year: Option<i32>,
    person_id: Option<i64>,
}

pub async fn current_board(api: ApiUser, State(state): State<AppState>) -> ApiResult {
    allowed(&api, Action::List)?;
    ok(state
        .store
        .board_on(today())
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn past_mandates(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    allowed(&api, Action::List)?;
    ok(state
        .store
        .past_mandates(today(), paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_mandate(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    allowed(&api, Action::View)?;
    ok(state
        .store
        .mandate(id, today())
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_mandate(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<MandateForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state.store.create_mandate(&api.audit(), &new).await {
        Ok(m) => created(m),
        Err(e) => Err(refused(&api, e)),
    }
}

pub async fn end_mandate(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<MandateEndForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let (on, reason) = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state.store.end_mandate(&api.audit(), id, on, reason).await {
        Ok(m) => ok(m),
        Err(e) => Err(refused(&api, e)),
    }
}

#[derive(Deserialize)]
pub struct ConfirmInput {
    resolution_id: i64,
}

pub async fn confirm_mandate(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ConfirmInput>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let input = api.body(json)?;
    match state
        .store
        .confirm_cooptation(&api.audit(), id, input.resolution_id)
        .await
    {
        Ok(m) => ok(m),
        Err(e) => Err(refused(&api, e)),
    }
}

pub async fn list_meetings(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    allowed(&api, Action::List)?;
    ok(state
        .store
        .board_meetings(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_meeting(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<MeetingForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    created(
        state
            .store
            .create_board_meeting(&api.audit(), &new)
            .await
            .map_err(|e| api.store_error(e))?,
    )
}

pub async fn get_meeting(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    allowed(&api, Action::View)?;
    let meeting = state
        .store
        .board_meeting(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let attendance = state
        .store
        .meeting_attendance(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "meeting": meeting, "attendance": attendance }))
}

#[derive(Deserialize)]
pub struct AttendanceInput {
    /// Person ids of the directors present.
    present: Vec<i64>,
}

pub async fn set_attendance(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<AttendanceInput>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let input = api.body(json)?;
    match state
        .store
        .set_attendance(&api.audit(), id, &input.present)
        .await
    {
        Ok(rows) => ok(rows),
        Err(e) => Err(refused(&api, e)),
    }
}

pub async fn list_allowances(api: ApiUser, State(state): State<AppState>) -> ApiResult {
    allowed(&api, Action::List)?;
    ok(state
        .store
        .allowances()
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_allowance(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<AllowanceForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state.store.create_allowance(&api.audit(), &new).await {
        Ok(a) => created(a),
        Err(e) => Err(refused(&api, e)),
    }
}

pub async fn list_payments(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    allowed(&api, Action::List)?;
    let year = year_or_default(q.year, i32::from(today().year()))
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    ok(state
        .store
        .director_payments(year, q.person_id, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_payment(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<PaymentForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state
        .store
        .record_director_payment(&api.audit(), &new)
        .await
    {
        Ok(p) => created(p),
        Err(e) => Err(refused(&api, e)),
    }
}

pub async fn checks(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    allowed(&api, Action::View)?;
    let year = year_or_default(q.year, i32::from(today().year()))
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    ok(state
        .store
        .director_checks(year)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn list_allocations(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    allowed(&api, Action::List)?;
    ok(state
        .store
        .allocations(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_allocation(
    api: ApiUser,
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> ApiResult {
    allowed(&api, Action::View)?;
    let year = year_or_default(Some(year), year).map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state
        .store
        .allocation_of_year(year)
        .await
        .map_err(|e| api.store_error(e))?
    {
        Some(a) => ok(a),
        None => Err(ApiError::not_found(api.lang())),
    }
}

pub async fn create_allocation(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<AppropriationForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state.store.record_appropriation(&api.audit(), &new).await {
        Ok(a) => created(a),
        Err(e) => Err(refused(&api, e)),
    }
}

pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let responses = |ok: &str, description: &str| {
        json!({
            ok: { "description": description, "content": { "application/json": {} } },
            "401": { "description": "missing or revoked token", "content": problem },
            "403": { "description": "refused by the policy", "content": problem },
            "404": { "description": "not found", "content": problem },
            "409": { "description": "refused by the stored state (a mandate already ended); nothing was written", "content": problem },
            "422": { "description": "invalid input or refused by a rule (ES-6, ES-8, CNC-4, CNC-5); each error names its field and the rule", "content": problem },
        })
    };
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let year = json!({ "name": "year", "in": "query", "schema": { "type": "integer" } });
    let page =
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } });
    let per_page = json!({ "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } });
    let body = |props: Value| json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": props } } } });
    let tag = ["board"];
    paths.insert(
        "/api/v1/board".into(),
        json!({ "get": { "summary": "The board in office today (mandates)", "tags": tag, "responses": responses("200", "the mandates in force") } }),
    );
    paths.insert(
        "/api/v1/board/mandates".into(),
        json!({
            "get": { "summary": "Past mandates, newest first", "tags": tag, "parameters": [page, per_page], "responses": responses("200", "a page of mandates") },
            "post": { "summary": "Record a mandate: on an adopted appointment resolution, a statutes article, or a co-optation (CNC-4)", "tags": tag,
                "requestBody": body(json!({
                    "brd_person": { "type": "string", "description": "person id" },
                    "brd_role": { "type": "string", "enum": ["chair", "director", "secretary", "treasurer"] },
                    "brd_starts_on": { "type": "string", "format": "date" },
                    "brd_ends_on": { "type": "string", "format": "date" },
                    "brd_appointed_by": { "type": "string", "enum": ["resolution", "statutes", "cooptation"] },
                    "brd_resolution": { "type": "string", "description": "resolution id (appointed by the GA)" },
                    "brd_article": { "type": "string", "description": "statutes article id (statutory director)" }
                })),
                "responses": responses("201", "the mandate") }
        }),
    );
    paths.insert(
        "/api/v1/board/mandates/{id}".into(),
        json!({ "get": { "summary": "One mandate, with its CNC-4 status", "tags": tag, "parameters": [id], "responses": responses("200", "the mandate") } }),
    );
    paths.insert(
        "/api/v1/board/mandates/{id}/end".into(),
        json!({ "post": { "summary": "End a mandate", "tags": tag, "parameters": [id],
            "requestBody": body(json!({ "brd_ended_on": { "type": "string", "format": "date" }, "brd_end_reason": { "type": "string", "enum": ["term", "resignation", "dismissal", "death", "other"] } })),
            "responses": responses("200", "the mandate") } }),
    );
    paths.insert(
        "/api/v1/board/mandates/{id}/confirm".into(),
        json!({ "post": { "summary": "Confirm a co-optation by an adopted appointment resolution", "tags": tag, "parameters": [id],
            "requestBody": body(json!({ "resolution_id": { "type": "integer" } })),
            "responses": responses("200", "the mandate") } }),
    );
    paths.insert(
        "/api/v1/board/meetings".into(),
        json!({
            "get": { "summary": "Board meetings, newest first", "tags": tag, "parameters": [page, per_page], "responses": responses("200", "a page of meetings") },
            "post": { "summary": "Record a board meeting", "tags": tag,
                "requestBody": body(json!({ "brd_held_on": { "type": "string", "format": "date" }, "brd_place": { "type": "string" }, "brd_agenda": { "type": "string" }, "brd_minutes": { "type": "string" } })),
                "responses": responses("201", "the meeting") }
        }),
    );
    paths.insert(
        "/api/v1/board/meetings/{id}".into(),
        json!({ "get": { "summary": "A meeting and the attendance of the directors in office that day", "tags": tag, "parameters": [id], "responses": responses("200", "the meeting") } }),
    );
    paths.insert(
        "/api/v1/board/meetings/{id}/attendance".into(),
        json!({ "put": { "summary": "Set who attended (person ids of directors in office that day)", "tags": tag, "parameters": [id],
            "requestBody": body(json!({ "present": { "type": "array", "items": { "type": "integer" } } })),
            "responses": responses("200", "the attendance") } }),
    );
    paths.insert(
        "/api/v1/board/allowances".into(),
        json!({
            "get": { "summary": "The allowances the GA decided (ES-6)", "tags": tag, "responses": responses("200", "the allowances") },
            "post": { "summary": "Record an allowance on an adopted allowance resolution", "tags": tag,
                "requestBody": body(json!({
                    "brd_resolution": { "type": "string" },
                    "brd_allowance_kind": { "type": "string", "enum": ["attendance_fee", "expense_allowance"] },
                    "brd_amount": { "type": "string", "description": "euros, 50 or 1.234,56" },
                    "brd_basis": { "type": "string", "enum": ["per_meeting", "per_year"] },
                    "brd_valid_from": { "type": "string", "format": "date" },
                    "brd_valid_to": { "type": "string", "format": "date" }
                })),
                "responses": responses("201", "the allowance") }
        }),
    );
    paths.insert(
        "/api/v1/board/payments".into(),
        json!({
            "get": { "summary": "Payments to directors of a year", "tags": tag,
                "parameters": [year, { "name": "person_id", "in": "query", "schema": { "type": "integer" } }, page, per_page],
                "responses": responses("200", "a page of payments") },
            "post": { "summary": "Record a payment to a director; with brd_entity, its SEPA payout order", "tags": tag,
                "requestBody": body(json!({
                    "brd_person": { "type": "string" },
                    "brd_paid_on": { "type": "string", "format": "date" },
                    "brd_amount": { "type": "string" },
                    "brd_label": { "type": "string" },
                    "brd_payment_kind": { "type": "string", "enum": ["attendance_fee", "expense_allowance", "fixed_remuneration", "profit_share", "other"] },
                    "brd_entity": { "type": "string", "description": "paying legal entity id; empty when paid outside ruche" }
                })),
                "responses": responses("201", "the payment") }
        }),
    );
    paths.insert(
        "/api/v1/board/checks".into(),
        json!({ "get": { "summary": "Per director of a year: allowed, paid, without basis, forbidden kinds (ES-6, CNC-5, TV-15)", "tags": tag, "parameters": [year], "responses": responses("200", "the checks") } }),
    );
    paths.insert(
        "/api/v1/allocations".into(),
        json!({
            "get": { "summary": "Allocations of the result, latest year first", "tags": tag, "parameters": [page, per_page], "responses": responses("200", "a page of allocations") },
            "post": { "summary": "Record the allocation of a year's result (ES-8, CNC-5, statutes, TV-14)", "tags": tag,
                "requestBody": body(json!({
                    "alloc_year": { "type": "string" },
                    "alloc_resolution": { "type": "string" },
                    "alloc_result": { "type": "string", "description": "euros; negative for a loss" },
                    "lines": { "type": "array", "items": { "type": "object", "properties": {
                        "kind": { "type": "string", "enum": ["legal_reserve", "purpose_reserve", "other_reserve", "dividend", "rebate", "carried_forward", "board_profit_share"] },
                        "amount": { "type": "string" } } } }
                })),
                "responses": responses("201", "the allocation") }
        }),
    );
    paths.insert(
        "/api/v1/allocations/{year}".into(),
        json!({ "get": { "summary": "The allocation of a year", "tags": tag,
            "parameters": [{ "name": "year", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": responses("200", "the allocation") } }),
    );
}
