//! The API of bank statements and matching: the same use cases as the accountants' bank
//! pages (`pages/bank.rs`), with the same store rules.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use jiff::civil::Date;
use ruche_domain::policy::{Action, Target};
use ruche_formats::statement;
use ruche_store::StoreError;
use ruche_store::bank::MovementStatus;
use serde::{Deserialize, Serialize};

use super::problem::FieldProblem;
use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::csrf::MAX_UPLOAD_BYTES;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/bank/imports",
            get(list_imports)
                .post(import)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/bank/imports/{id}", get(get_import))
        .route("/bank/movements", get(list_movements))
        .route("/bank/movements/{id}", get(get_movement))
        .route("/bank/movements/{id}/match", post(match_movement))
        .route("/bank/movements/{id}/unmatch", post(unmatch))
        .route("/bank/movements/{id}/ignore", post(ignore))
        .route("/bank/movements/{id}/restore", post(restore))
}

#[derive(Deserialize, Default)]
pub struct PageParams {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ImportParams {
    #[serde(default)]
    file_name: Option<String>,
}

/// 409 (or 422 when `unprocessable`) with the bank page's wording of `code`.
fn refused(api: &ApiUser, code: &str, detail: String, unprocessable: bool) -> ApiError {
    let lang = api.lang();
    let mut error = ApiError::invalid(&Default::default(), lang);
    error.title = i18n::t(lang, &format!("bank-error-{code}"));
    if !unprocessable {
        error.status = StatusCode::CONFLICT.as_u16();
        error.kind = "https://ruche.coop/problems/conflict".into();
    }
    error.errors.push(FieldProblem {
        field: String::new(),
        code: code.to_string(),
        detail,
    });
    error
}

fn store_refusal(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(code) => refused(api, code, String::new(), false),
        other => api.store_error(other),
    }
}

pub async fn list_imports(
    State(state): State<AppState>,
    api: ApiUser,
    Query(q): Query<PageParams>,
) -> ApiResult {
    api.authorize(Action::View, Target::Treasury)?;
    let page = state
        .store
        .bank_imports(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// The statement file is the request body, as the bank gives it; `?file_name=` names it in
/// the history. 201 with the report, which says whether the file was refused and why.
pub async fn import(
    State(state): State<AppState>,
    api: ApiUser,
    Query(q): Query<ImportParams>,
    body: Bytes,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    let name = q.file_name.unwrap_or_else(|| "statement".into());
    let file =
        statement::read(&name, &body).map_err(|e| refused(&api, e.code(), e.to_string(), true))?;
    let report = state
        .store
        .import_statement_file(&api.audit(), &file)
        .await
        .map_err(|e| api.store_error(e))?;
    created(report)
}

pub async fn get_import(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::Treasury)?;
    let report = state
        .store
        .bank_import_report(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(report)
}

pub async fn list_movements(
    State(state): State<AppState>,
    api: ApiUser,
    Query(q): Query<PageParams>,
) -> ApiResult {
    api.authorize(Action::View, Target::Treasury)?;
    let status = match q.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(code) => Some(
            MovementStatus::parse(code)
                .ok_or_else(|| refused(&api, "movement-status", code.to_string(), true))?,
        ),
    };
    let page = state
        .store
        .bank_movements(status, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

#[derive(Serialize)]
struct MovementView {
    #[serde(flatten)]
    movement: ruche_store::bank::BankMovementRecord,
    payments: Vec<ruche_store::bank::MovementPayment>,
    suggestions: Vec<ruche_domain::bank::matching::Suggestion>,
}

pub async fn get_movement(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::Treasury)?;
    let store = &state.store;
    let movement = store
        .bank_movement(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let payments = store
        .movement_payments(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let suggestions = store
        .movement_suggestions(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(MovementView {
        movement,
        payments,
        suggestions,
    })
}

#[derive(Deserialize)]
pub struct Allocation {
    invoice_id: i64,
    amount_cents: i64,
}

#[derive(Deserialize)]
pub struct MatchJson {
    allocations: Vec<Allocation>,
}

pub async fn match_movement(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
    json: Result<Json<MatchJson>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    let body = api.body(json)?;
    let allocations: Vec<(i64, i64)> = body
        .allocations
        .iter()
        .map(|a| (a.invoice_id, a.amount_cents))
        .collect();
    let movement = state
        .store
        .match_movement(&api.audit(), id, &allocations)
        .await
        .map_err(|e| store_refusal(&api, e))?;
    ok(movement)
}

#[derive(Deserialize, Default)]
pub struct UnmatchJson {
    /// The date of the reversals; today by default.
    on: Option<Date>,
}

pub async fn unmatch(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
    json: Option<Json<UnmatchJson>>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    let on = json.and_then(|Json(j)| j.on).unwrap_or_else(today);
    let movement = state
        .store
        .unmatch_movement(&api.audit(), id, on)
        .await
        .map_err(|e| store_refusal(&api, e))?;
    ok(movement)
}

#[derive(Deserialize)]
pub struct IgnoreJson {
    reason: String,
}

pub async fn ignore(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
    json: Result<Json<IgnoreJson>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    let body = api.body(json)?;
    let movement = state
        .store
        .ignore_movement(&api.audit(), id, Some(&body.reason))
        .await
        .map_err(|e| store_refusal(&api, e))?;
    ok(movement)
}

pub async fn restore(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    let movement = state
        .store
        .ignore_movement(&api.audit(), id, None)
        .await
        .map_err(|e| store_refusal(&api, e))?;
    ok(movement)
}

/// The bank operations in the OpenAPI document (`api/openapi.rs`).
pub fn describe(
    paths: &mut serde_json::Map<String, serde_json::Value>,
    schemas: &mut serde_json::Map<String, serde_json::Value>,
) {
    use serde_json::{Value, json};
    let int = json!({ "type": "integer", "format": "int64" });
    let cents = json!({ "type": "integer", "format": "int64", "description": "cents, signed: money in is positive" });
    let opt_int = json!({ "type": ["integer", "null"], "format": "int64" });
    let opt_str = json!({ "type": ["string", "null"] });
    let micros =
        json!({ "type": "integer", "format": "int64", "description": "Unix microseconds, UTC" });
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let op = |summary: &str, ok: &str, schema: Value, input: Option<Value>, id: bool| {
        let mut responses = serde_json::Map::new();
        responses.insert(
            ok.to_string(),
            json!({ "description": "done", "content": { "application/json": { "schema": schema } } }),
        );
        for (code, description) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (treasury: administrators and accountants)",
            ),
            ("404", "no such import or movement"),
            (
                "409",
                "refused by the stored state (already matched, shares that do not add up…); nothing was written",
            ),
            (
                "422",
                "a file that cannot be read (the reason and the line), or invalid input",
            ),
        ] {
            responses.insert(
                code.into(),
                json!({ "description": description, "content": problem }),
            );
        }
        let mut o = json!({ "tags": ["bank"], "summary": summary, "responses": responses });
        if let Some(input) = input {
            o["requestBody"] = input;
        }
        if id {
            o["parameters"] = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
        }
        o
    };
    let paged = |item: &str| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": reference(item) },
            "total": int, "page": int, "per_page": int } })
    };
    let list_params = json!([
        { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
        { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } },
        { "name": "status", "in": "query", "description": "movements only: unmatched, matched, ignored or all", "schema": { "type": "string" } }
    ]);
    schemas.insert("BankImport".into(), json!({ "type": "object", "properties": {
        "id": int, "file_name": { "type": "string" }, "sha256": { "type": "string" }, "format": opt_str,
        "status": { "type": "string", "enum": ["imported", "refused"] }, "statements": int, "read_count": int,
        "new_count": int, "known_count": int, "matched_count": int, "unmatched_count": int,
        "refusal": opt_str, "imported_at": micros, "imported_by": opt_int } }));
    schemas.insert("BankImportPage".into(), paged("BankImport"));
    schemas.insert("ImportReport".into(), json!({ "type": "object", "description": "read = new + already_known; new = matched + returned + unmatched; one line per movement read.",
        "properties": { "import_id": opt_int, "statements": int, "read": int, "new": int, "already_known": int,
        "matched": int, "returned": int, "unmatched": int,
        "refusal": { "type": ["object", "null"], "properties": { "code": { "type": "string", "enum": ["account-unknown", "out-of-sequence", "too-large"] }, "detail": { "type": "string" } } },
        "notices": { "type": "array", "items": { "type": "object", "properties": { "code": { "type": "string", "enum": ["gap", "opening-balance", "parser"] }, "detail": { "type": "string" } } } },
        "lines": { "type": "array", "items": { "type": "object", "properties": {
            "statement": opt_str, "line": opt_int, "bank_reference": { "type": "string" }, "booked_on": { "type": "string", "format": "date" },
            "amount_cents": cents, "outcome": { "type": "string", "enum": ["matched", "returned", "unmatched", "already-known"] },
            "detail": opt_str } } } } }));
    schemas.insert("BankMovement".into(), json!({ "type": "object", "properties": {
        "id": int, "statement_id": int, "account_iban": { "type": "string" }, "bank_reference": { "type": "string" },
        "booked_on": { "type": "string", "format": "date" }, "value_date": opt_str, "amount_cents": cents,
        "counterparty_name": opt_str, "counterparty_iban": opt_str, "ogm": opt_str, "invalid_ogm": opt_str,
        "free_text": opt_str, "end_to_end_id": opt_str, "reversal": { "type": "boolean" },
        "status": { "type": "string", "enum": ["unmatched", "matched", "ignored"] }, "invoice_id": opt_int,
        "note": opt_str, "line": opt_int, "created_at": micros } }));
    schemas.insert("BankMovementPage".into(), paged("BankMovement"));
    schemas.insert("BankMovementDetail".into(), json!({ "allOf": [reference("BankMovement"), { "type": "object", "properties": {
        "payments": { "type": "array", "items": { "type": "object", "properties": {
            "payment_id": int, "invoice_id": int, "number": opt_str, "amount_cents": cents, "applied_cents": opt_int, "reversed_at": opt_int } } },
        "suggestions": { "type": "array", "items": { "type": "object", "properties": {
            "candidate": { "type": "object", "properties": { "invoice_id": int, "number": { "type": "string" }, "ogm": opt_str,
                "client_id": int, "client_name": { "type": "string" }, "due_cents": cents, "due_date": opt_str } },
            "score": int, "reasons": { "type": "array", "items": { "type": "string",
                "enum": ["number-in-text", "ogm-in-text", "exact-amount", "known-payer", "similar-name", "near-due-date"] } } } } } } }] }));
    let json_body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let mut list_imports = op(
        "The import history, newest first",
        "200",
        reference("BankImportPage"),
        None,
        false,
    );
    list_imports["parameters"] = list_params.clone();
    let upload = op(
        "Import a CODA or camt.053 file (the request body, as the bank gives it; ?file_name= names it). Idempotent: a movement already imported is not imported again. A refused file imports nothing; the report says why.",
        "201",
        reference("ImportReport"),
        Some(
            json!({ "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }),
        ),
        false,
    );
    paths.insert(
        "/api/v1/bank/imports".into(),
        json!({ "get": list_imports, "post": upload }),
    );
    paths.insert("/api/v1/bank/imports/{id}".into(), json!({ "get": op("An import's report, line by line", "200", reference("ImportReport"), None, true) }));
    let mut list_movements = op(
        "Bank movements, newest first",
        "200",
        reference("BankMovementPage"),
        None,
        false,
    );
    list_movements["parameters"] = list_params;
    paths.insert(
        "/api/v1/bank/movements".into(),
        json!({ "get": list_movements }),
    );
    paths.insert("/api/v1/bank/movements/{id}".into(), json!({ "get": op("A movement, the payments it made and, while unmatched, the ranked suggestions", "200", reference("BankMovementDetail"), None, true) }));
    let allocations = json_body(
        json!({ "type": "object", "required": ["allocations"], "properties": { "allocations": {
        "type": "array", "minItems": 1, "maxItems": 20, "description": "the shares add up to the movement's amount",
        "items": { "type": "object", "required": ["invoice_id", "amount_cents"], "properties": { "invoice_id": int, "amount_cents": { "type": "integer", "minimum": 1 } } } } } }),
    );
    paths.insert("/api/v1/bank/movements/{id}/match".into(), json!({ "post": op("Match an unmatched credit to one or more invoices (audited)", "200", reference("BankMovement"), Some(allocations), true) }));
    paths.insert("/api/v1/bank/movements/{id}/unmatch".into(), json!({ "post": op("Undo a match: its payments are reversed in the ledger (audited)", "200", reference("BankMovement"),
        Some(json!({ "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "on": { "type": "string", "format": "date", "description": "date of the reversals, today by default" } } } } } })), true) }));
    paths.insert("/api/v1/bank/movements/{id}/ignore".into(), json!({ "post": op("Set an unmatched movement aside with a reason (audited)", "200", reference("BankMovement"),
        Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string", "minLength": 1 } } }))), true) }));
    paths.insert("/api/v1/bank/movements/{id}/restore".into(), json!({ "post": op("Put a movement set aside back in the queue (audited)", "200", reference("BankMovement"), None, true) }));
}
