//! The API of payouts (part of the payments API), with the page's rules and policy
//! (`Target::Treasury`: accountants and administrators): payout orders, created by the
//! features that pay (salaries, expense claims) or by hand; their SEPA batches and the kept
//! pain.001 files.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use jiff::civil::Date;
use ruche_domain::payout::{PayoutKind, PayoutRequest, PayoutStatus};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::payouts::PayoutFilter;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::i18n;
use crate::pages::payouts::{create_batch, xml_attachment};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/payouts", get(list).post(create))
        .route("/payouts/{id}", get(get_one))
        .route("/payouts/{id}/cancel", post(cancel))
        .route("/payout-batches", get(list_batches).post(create_batch_api))
        .route("/payout-batches/{id}", get(get_batch))
        .route("/payout-batches/{id}/xml", get(batch_xml))
}

fn authorize(api: &ApiUser, action: Action) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, Target::Treasury) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

/// A refusal that only the stored state explains (409), naming the field and the reason.
fn conflict(api: &ApiUser, field: &str, code: &str) -> ApiError {
    ApiError::conflict(field, code, i18n::field_error(api.lang(), code), api.lang())
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    entity_id: Option<i64>,
    status: Option<String>,
    kind: Option<String>,
    batch_id: Option<i64>,
}

pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    authorize(&api, Action::List)?;
    let mut errors = FieldErrors::new();
    let status = q.status.as_deref().and_then(|s| {
        let parsed = PayoutStatus::parse(s);
        if parsed.is_none() {
            errors.add("status", "format");
        }
        parsed
    });
    let kind = q.kind.as_deref().and_then(|s| {
        let parsed = PayoutKind::parse(s);
        if parsed.is_none() {
            errors.add("kind", "format");
        }
        parsed
    });
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let filter = PayoutFilter {
        entity_id: q.entity_id,
        status,
        kind,
        batch_id: q.batch_id,
    };
    let page = state
        .store
        .payouts(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    authorize(&api, Action::View)?;
    ok(state
        .store
        .payout(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<PayoutRequest>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Create)?;
    let input = api.body(json)?;
    let new = input
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state.store.create_payout(&api.audit(), &new).await {
        Ok(record) => created(record),
        Err(StoreError::NotFound) => Err(ApiError::invalid(
            &FieldErrors::single("entity_id", "required"),
            api.lang(),
        )),
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "activity_id", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn cancel(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    authorize(&api, Action::Update)?;
    match state.store.cancel_payout(&api.audit(), id).await {
        Ok(record) => ok(record),
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "status", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

#[derive(Deserialize)]
pub struct BatchInput {
    entity_id: i64,
    /// `YYYY-MM-DD`.
    execution_date: String,
}

pub async fn create_batch_api(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<BatchInput>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Create)?;
    let input = api.body(json)?;
    // A bank executes a transfer today at the earliest (the page's rule).
    let parsed = input.execution_date.trim().parse::<Date>();
    let Some(date) = parsed.ok().filter(|d| *d >= crate::context::today()) else {
        return Err(ApiError::invalid(
            &FieldErrors::single("execution_date", "date"),
            api.lang(),
        ));
    };
    match create_batch(&state.store, &api.audit(), input.entity_id, date).await {
        Ok(batch) => created(batch),
        Err(StoreError::NotFound) => Err(ApiError::invalid(
            &FieldErrors::single("entity_id", "required"),
            api.lang(),
        )),
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "execution_date", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct BatchQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    entity_id: Option<i64>,
}

pub async fn list_batches(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<BatchQuery>,
) -> ApiResult {
    authorize(&api, Action::List)?;
    let page = state
        .store
        .payout_batches(q.entity_id, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub async fn get_batch(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    authorize(&api, Action::View)?;
    ok(state
        .store
        .payout_batch(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

/// The kept pain.001.001.09 (`application/xml`), the same bytes at every download.
pub async fn batch_xml(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    authorize(&api, Action::View)?;
    let (message_id, xml) = state
        .store
        .payout_batch_xml(id)
        .await
        .map_err(|e| api.store_error(e))?;
    Ok(xml_attachment(&message_id, xml))
}

/// The OpenAPI paths and schemas of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let int = json!({ "type": "integer", "format": "int64" });
    let cents = json!({ "type": "integer", "format": "int64", "description": "cents" });
    let opt_int = json!({ "type": ["integer", "null"], "format": "int64" });
    let opt_str = json!({ "type": ["string", "null"] });
    let string = json!({ "type": "string" });
    let date = json!({ "type": "string", "format": "date" });
    let micros =
        json!({ "type": "integer", "format": "int64", "description": "Unix microseconds, UTC" });
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let responses = |ok: &str, description: &str, content: Value| {
        let mut out = Map::new();
        out.insert(
            ok.to_string(),
            json!({ "description": description, "content": content }),
        );
        for (code, description) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (accountants and administrators only)",
            ),
            ("404", "no such payout or batch"),
            (
                "409",
                "refused by the stored state (status, nothing pending, file refused); nothing was written",
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
    let json_of = |schema: Value| json!({ "application/json": { "schema": schema } });
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let page_params = [
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }),
        json!({ "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } }),
        json!({ "name": "entity_id", "in": "query", "schema": { "type": "integer" } }),
    ];
    let kinds = json!(["salary", "expense", "refund", "other"]);
    let statuses = json!(["pending", "batched", "paid", "cancelled"]);
    schemas.insert(
        "PayoutInput".into(),
        json!({ "type": "object", "required": ["kind", "entity_id", "beneficiary_name", "iban", "town", "country", "amount_cents", "requested_on"],
            "description": "A payout order. Names and texts are transliterated into the SEPA character set and checked on that form; the address is structured (town and country mandatory).",
            "properties": {
                "kind": { "type": "string", "enum": kinds },
                "entity_id": { "type": "integer", "description": "the paying legal entity: its IBAN is the debtor account" },
                "beneficiary_name": { "type": "string", "maxLength": 70 },
                "iban": string, "bic": opt_str,
                "street": { "type": ["string", "null"], "maxLength": 70 },
                "building_number": { "type": ["string", "null"], "maxLength": 16 },
                "postcode": { "type": ["string", "null"], "maxLength": 16 },
                "town": { "type": "string", "maxLength": 35 },
                "country": { "type": "string", "minLength": 2, "maxLength": 2 },
                "amount_cents": { "type": "integer", "format": "int64", "minimum": 1 },
                "remittance": { "type": ["string", "null"], "description": "free text (at most 140 characters) or a structured communication +++123/4567/89002+++" },
                "ledger_account": { "type": ["string", "null"], "description": "the account debited when paid: salaries:payable (salary), expenses:payable (expense), suspense or client:<id>:receivable (refund), any but a bank account (other); default per kind" },
                "activity_id": opt_int, "person_id": opt_int,
                "source_type": { "type": ["string", "null"], "description": "with source_id: the record the order comes from, e.g. expense-claim" },
                "source_id": opt_int,
                "requested_on": date } }),
    );
    schemas.insert(
        "Payout".into(),
        json!({ "type": "object", "properties": {
            "id": int, "kind": { "type": "string", "enum": kinds }, "status": { "type": "string", "enum": statuses },
            "entity_id": int, "beneficiary_name": string, "iban": string, "bic": opt_str,
            "street": opt_str, "building_number": opt_str, "postcode": opt_str, "town": string, "country": string,
            "amount_cents": cents, "remittance": opt_str, "remittance_ogm": { "type": "boolean" },
            "ledger_account": string, "activity_id": opt_int, "person_id": opt_int,
            "source_type": opt_str, "source_id": opt_int, "requested_on": date,
            "end_to_end_id": { "type": ["string", "null"], "description": "the SEPA EndToEndId; the bank statement's debit carries it back" },
            "batch_id": opt_int, "paid_on": opt_str, "bank_reference": opt_str, "ledger_transaction_id": opt_int,
            "created_by": opt_int, "created_at": micros, "updated_at": micros } }),
    );
    schemas.insert(
        "PayoutBatchInput".into(),
        json!({ "type": "object", "required": ["entity_id", "execution_date"], "properties": {
            "entity_id": int, "execution_date": date } }),
    );
    schemas.insert(
        "PayoutBatch".into(),
        json!({ "type": "object", "properties": {
            "id": int, "entity_id": int, "entity_name": string, "execution_date": date,
            "message_id": opt_str, "transaction_count": int, "total_cents": cents,
            "sha256": { "type": "string", "description": "SHA-256 of the kept XML, hex" },
            "created_at": micros, "created_by": opt_int } }),
    );
    for (name, item) in [("PayoutPage", "Payout"), ("PayoutBatchPage", "PayoutBatch")] {
        schemas.insert(
            name.into(),
            json!({ "type": "object", "properties": {
                "items": { "type": "array", "items": reference(item) },
                "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" } } }),
        );
    }
    let mut list_params = page_params.to_vec();
    list_params.push(json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": statuses } }));
    list_params.push(
        json!({ "name": "kind", "in": "query", "schema": { "type": "string", "enum": kinds } }),
    );
    list_params.push(json!({ "name": "batch_id", "in": "query", "schema": { "type": "integer" } }));
    paths.insert(
        "/api/v1/payouts".into(),
        json!({
            "get": { "tags": ["payouts"], "summary": "List payout orders, newest first",
                "parameters": list_params,
                "responses": responses("200", "a page", json_of(reference("PayoutPage"))) },
            "post": { "tags": ["payouts"], "summary": "Add a payout order (pending, with its end-to-end id)",
                "requestBody": { "required": true, "content": json_of(reference("PayoutInput")) },
                "responses": responses("201", "created", json_of(reference("Payout"))) }
        }),
    );
    paths.insert(
        "/api/v1/payouts/{id}".into(),
        json!({ "get": { "tags": ["payouts"], "summary": "Read one payout order",
            "parameters": [id_param], "responses": responses("200", "found", json_of(reference("Payout"))) } }),
    );
    paths.insert(
        "/api/v1/payouts/{id}/cancel".into(),
        json!({ "post": { "tags": ["payouts"], "summary": "Cancel a pending order (not once it is in a SEPA file)",
            "parameters": [id_param], "responses": responses("200", "cancelled", json_of(reference("Payout"))) } }),
    );
    paths.insert(
        "/api/v1/payout-batches".into(),
        json!({
            "get": { "tags": ["payouts"], "summary": "List the SEPA batches, newest first",
                "parameters": page_params.to_vec(),
                "responses": responses("200", "a page", json_of(reference("PayoutBatchPage"))) },
            "post": { "tags": ["payouts"], "summary": "Create the pain.001.001.09 of an entity: every pending order requested on or before the execution date (salaries in a SALA group)",
                "requestBody": { "required": true, "content": json_of(reference("PayoutBatchInput")) },
                "responses": responses("201", "created", json_of(reference("PayoutBatch"))) }
        }),
    );
    paths.insert(
        "/api/v1/payout-batches/{id}".into(),
        json!({ "get": { "tags": ["payouts"], "summary": "Read one batch",
            "parameters": [id_param], "responses": responses("200", "found", json_of(reference("PayoutBatch"))) } }),
    );
    paths.insert(
        "/api/v1/payout-batches/{id}/xml".into(),
        json!({ "get": { "tags": ["payouts"], "summary": "Download the kept pain.001.001.09, the same bytes every time",
            "parameters": [id_param],
            "responses": responses("200", "the XML file", json!({ "application/xml": { "schema": { "type": "string" } } })) } }),
    );
}
