//! The API of debt recovery: an invoice's history, its recovery case (open it, record an
//! entry, the member's objection, the write-off) and the pipeline. Same rules and policy as
//! the pages (`pages/recovery.rs`).

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use ruche_domain::policy::{Action, Target};
use ruche_domain::recovery::{EntryForm, EntryKind, RecoveryEvent, RecoveryStatus};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::recovery::{RecoveryCase, RecoveryEntry};
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::i18n;
use crate::pages::activities::activity_target;
use crate::pages::recovery::notices;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/invoices/{id}/history", get(history))
        .route("/invoices/{id}/recovery", get(case).post(act))
        .route("/recovery", get(pipeline))
}

/// The invoice and the policy's target for its recovery, for the token's user.
async fn target(
    api: &ApiUser,
    state: &AppState,
    invoice_id: i64,
) -> Result<(ruche_store::invoices::InvoiceRecord, Target), ApiError> {
    let invoice = state
        .store
        .invoice(invoice_id)
        .await
        .map_err(|e| api.store_error(e))?;
    let (activity, target) =
        activity_target(&state.store, Some(api.user.person.id), invoice.activity_id)
            .await
            .map_err(|e| api.store_error(e))?;
    let held_by_actor = matches!(
        target,
        Target::Activity {
            held_by_actor: true,
            ..
        }
    );
    Ok((
        invoice,
        Target::InvoiceRecovery {
            office_id: activity.office_id,
            held_by_actor,
        },
    ))
}

/// A refusal that only the stored state explains (409), naming the field and the reason.
fn conflict(api: &ApiUser, field: &str, code: &str) -> ApiError {
    ApiError::conflict(field, code, i18n::field_error(api.lang(), code), api.lang())
}

fn refused(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(code) => conflict(api, "kind", code),
        other => api.store_error(other),
    }
}

/// `GET /invoices/{id}/history`: everything that happened to the invoice, oldest first.
pub async fn history(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (_, target) = target(&api, &state, id).await?;
    api.authorize(Action::View, target)?;
    let items = state
        .store
        .invoice_history(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(items)
}

#[derive(Serialize)]
struct CaseView {
    case: Option<RecoveryCase>,
    entries: Vec<RecoveryEntry>,
}

async fn case_view(api: &ApiUser, state: &AppState, invoice_id: i64) -> Result<CaseView, ApiError> {
    let case = state
        .store
        .recovery_case(invoice_id)
        .await
        .map_err(|e| api.store_error(e))?;
    let entries = match &case {
        Some(c) => state
            .store
            .recovery_entries(c.id)
            .await
            .map_err(|e| api.store_error(e))?,
        None => Vec::new(),
    };
    Ok(CaseView { case, entries })
}

/// `GET /invoices/{id}/recovery`: the invoice's open case (else its latest) and its entries.
pub async fn case(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let (_, target) = target(&api, &state, id).await?;
    api.authorize(Action::View, target)?;
    ok(case_view(&api, &state, id).await?)
}

#[derive(Deserialize)]
pub struct ActJson {
    /// `open`, `entry`, `objection` or `write-off`.
    action: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    promised_on: String,
}

/// `POST /invoices/{id}/recovery`: opens the case (the holders are told by mail), or records
/// an entry: a stage, a decision, a follow-up, the member's objection, the write-off.
pub async fn act(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ActJson>, JsonRejection>,
) -> ApiResult {
    let json = api.body(json)?;
    let (invoice, target) = target(&api, &state, id).await?;
    let kind = match json.action.as_str() {
        "open" => {
            api.authorize(Action::Update, target)?;
            let mut errors = FieldErrors::new();
            let text = errors.optional("text", &json.text, ruche_domain::recovery::MAX_TEXT_CHARS);
            if !errors.is_empty() {
                return Err(ApiError::invalid(&errors, api.lang()));
            }
            let on = today();
            let notices = notices(&state, &invoice, on)
                .await
                .map_err(|_| ApiError::internal())?;
            state
                .store
                .open_recovery(&api.audit(), id, on, text.as_deref(), &notices)
                .await
                .map_err(|e| refused(&api, e))?;
            return created(case_view(&api, &state, id).await?);
        }
        "objection" => EntryKind::Transition(RecoveryEvent::Object)
            .code()
            .to_string(),
        "write-off" => EntryKind::Transition(RecoveryEvent::WriteOff)
            .code()
            .to_string(),
        "entry" => json.kind.clone(),
        _ => {
            return Err(ApiError::invalid(
                &FieldErrors::single("action", "required"),
                api.lang(),
            ));
        }
    };
    let action = match EntryKind::parse(&kind) {
        Some(EntryKind::Transition(e)) if e.is_members() => Action::Create,
        Some(EntryKind::Transition(RecoveryEvent::GoOn | RecoveryEvent::Stop)) => Action::Decide,
        _ => Action::Update,
    };
    api.authorize(action, target)?;
    let on = if json.on.trim().is_empty() {
        today().to_string()
    } else {
        json.on.clone()
    };
    let entry = EntryForm {
        kind,
        on,
        text: json.text,
        cost: json.cost,
        promised_on: json.promised_on,
    }
    .parse()
    .map_err(|errors| ApiError::invalid(&errors, api.lang()))?;
    state
        .store
        .record_recovery_entry(&api.audit(), id, &entry)
        .await
        .map_err(|e| refused(&api, e))?;
    created(case_view(&api, &state, id).await?)
}

#[derive(Deserialize, Default)]
pub struct PipelineQuery {
    status: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[derive(Serialize)]
struct PipelineView {
    stages: Vec<ruche_store::recovery::StageTotal>,
    cases: ruche_store::Page<ruche_store::recovery::PipelineRow>,
}

/// `GET /recovery?status=&page=&per_page=`: cases and amounts per stage, and the cases (of
/// one stage), paged.
pub async fn pipeline(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<PipelineQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::RecoveryPipeline)?;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(RecoveryStatus::parse(code).ok_or_else(|| {
            ApiError::invalid(&FieldErrors::single("status", "required"), api.lang())
        })?),
        None => None,
    };
    let stages = state
        .store
        .recovery_pipeline()
        .await
        .map_err(|e| api.store_error(e))?;
    let cases = state
        .store
        .recovery_cases(status, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(PipelineView { stages, cases })
}

/// The recovery paths and schemas of the OpenAPI document.
pub fn describe(
    paths: &mut serde_json::Map<String, serde_json::Value>,
    schemas: &mut serde_json::Map<String, serde_json::Value>,
) {
    use serde_json::{Value, json};
    let int = json!({ "type": "integer", "format": "int64" });
    let opt_int = json!({ "type": ["integer", "null"], "format": "int64" });
    let opt_str = json!({ "type": ["string", "null"] });
    let date = json!({ "type": "string", "format": "date" });
    let micros =
        json!({ "type": "integer", "format": "int64", "description": "Unix microseconds, UTC" });
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let responses = |ok: &str, description: &str, schema: Value| {
        let mut out = serde_json::Map::new();
        out.insert(
            ok.to_string(),
            json!({ "description": description, "content": { "application/json": { "schema": schema } } }),
        );
        for (code, description) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy: the treasury drives recovery, the holder reads and objects",
            ),
            ("404", "no such invoice"),
            (
                "409",
                "refused by the case's state (consult the member before the formal notice, never backwards, closed); nothing was written",
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
    let statuses: Vec<&str> = RecoveryStatus::ALL.iter().map(|s| s.code()).collect();
    let kinds: Vec<&'static str> = EntryKind::all().iter().map(|k| k.code()).collect();
    schemas.insert(
        "HistoryItem".into(),
        json!({ "type": "object", "properties": {
            "kind": { "type": "string", "enum": ["issued", "sent", "payment", "credit-note", "reminder", "recovery"] },
            "code": { "type": "string", "description": "a recovery entry's kind, a reminder's channel, else the kind" },
            "on": date, "at": micros, "author": opt_str, "amount_cents": opt_int, "detail": opt_str,
            "promised_on": opt_str, "entry_id": opt_int, "document_filename": opt_str } }),
    );
    schemas.insert(
        "RecoveryCase".into(),
        json!({ "type": "object", "properties": {
            "id": int, "invoice_id": int, "status": { "type": "string", "enum": statuses },
            "opened_on": date, "consultation_deadline": date, "objection": opt_str, "objected_on": opt_str,
            "closed_on": opt_str, "write_off_transaction_id": opt_int, "opened_by": opt_int,
            "created_at": micros, "updated_at": micros } }),
    );
    schemas.insert(
        "RecoveryEntry".into(),
        json!({ "type": "object", "properties": {
            "id": int, "case_id": int, "invoice_id": int, "kind": { "type": "string", "enum": kinds },
            "occurred_on": date, "actor_account_id": opt_int, "actor_email": opt_str, "body": opt_str,
            "cost_cents": opt_int, "promised_on": opt_str, "status_after": { "type": "string", "enum": statuses },
            "document_filename": opt_str, "document_content_type": opt_str, "document_size": int, "created_at": micros } }),
    );
    schemas.insert(
        "RecoveryCaseView".into(),
        json!({ "type": "object", "properties": {
            "case": { "oneOf": [reference("RecoveryCase"), { "type": "null" }] },
            "entries": { "type": "array", "items": reference("RecoveryEntry") } } }),
    );
    schemas.insert(
        "RecoveryInput".into(),
        json!({ "type": "object", "required": ["action"], "properties": {
            "action": { "type": "string", "enum": ["open", "entry", "objection", "write-off"],
                "description": "open the case (the holders are told by mail); or record an entry: `objection` (the holder, with its reason in `text`), `write-off` (the loss charged to the guarantee fund), `entry` with its `kind`" },
            "kind": { "type": "string", "enum": kinds },
            "on": { "type": "string", "format": "date", "description": "today when empty" },
            "text": { "type": "string" },
            "cost": { "type": "string", "description": "an amount in euros, `185,50`" },
            "promised_on": { "type": "string", "format": "date", "description": "a promise to pay only" } } }),
    );
    schemas.insert(
        "RecoveryPipeline".into(),
        json!({ "type": "object", "properties": {
            "stages": { "type": "array", "items": { "type": "object", "properties": {
                "status": { "type": "string", "enum": statuses }, "cases": int, "due_cents": int } } },
            "cases": { "type": "object", "properties": {
                "items": { "type": "array", "items": { "type": "object", "properties": {
                    "case_id": int, "invoice_id": int, "number": opt_str, "client_name": { "type": "string" },
                    "activity_id": int, "activity_name": { "type": "string" }, "status": { "type": "string", "enum": statuses },
                    "opened_on": date, "due_date": opt_str, "due_cents": int, "last_entry_on": opt_str } } },
                "total": int, "page": int, "per_page": int } } } }),
    );
    paths.insert(
        "/api/v1/invoices/{id}/history".into(),
        json!({ "get": {
            "tags": ["recovery"], "summary": "The history of an invoice, oldest first: issue, sending, payments, credit notes, reminders, recovery entries",
            "parameters": [id_param.clone()],
            "responses": responses("200", "the history", json!({ "type": "array", "items": reference("HistoryItem") })) } }),
    );
    paths.insert(
        "/api/v1/invoices/{id}/recovery".into(),
        json!({
            "get": {
                "tags": ["recovery"], "summary": "The invoice's open recovery case (else its latest) and its entries",
                "parameters": [id_param.clone()],
                "responses": responses("200", "the case", reference("RecoveryCaseView")) },
            "post": {
                "tags": ["recovery"], "summary": "Open the recovery, or record an entry: a stage, a decision, a follow-up, the member's objection, the write-off",
                "parameters": [id_param],
                "requestBody": { "required": true, "content": { "application/json": { "schema": reference("RecoveryInput") } } },
                "responses": responses("201", "the case after the change", reference("RecoveryCaseView")) } }),
    );
    paths.insert(
        "/api/v1/recovery".into(),
        json!({ "get": {
            "tags": ["recovery"], "summary": "The recovery pipeline: cases and amounts per stage, and the cases (of one stage), paged",
            "parameters": [
                { "name": "status", "in": "query", "schema": { "type": "string", "enum": statuses } },
                { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } }
            ],
            "responses": responses("200", "the pipeline", reference("RecoveryPipeline")) } }),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_recovery_paths_are_documented() {
        let doc = super::super::openapi::build();
        assert!(doc["paths"]["/api/v1/invoices/{id}/history"]["get"].is_object());
        assert!(doc["paths"]["/api/v1/invoices/{id}/recovery"]["post"].is_object());
        assert!(doc["paths"]["/api/v1/recovery"]["get"]["parameters"].is_array());
        assert!(doc["components"]["schemas"]["RecoveryInput"].is_object());
    }
}
