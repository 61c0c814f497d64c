//! The API of reminders (dunning): the same use cases as the accountants' page
//! (`pages/dunning.rs`), with the same store rules. The treasury (administrators,
//! accountants) runs the reminders and blocks invoices; whoever sees an invoice reads its
//! reminders.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use jiff::civil::Date;
use ruche_domain::policy::{Action, Target};
use ruche_store::StoreError;
use ruche_store::dunning::{DeliveryReport, DunningReport, ReminderFilter};
use serde::{Deserialize, Serialize};

use super::problem::FieldProblem;
use super::{ApiError, ApiResult, ApiUser, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::i18n;
use crate::pages::activities::activity_target;
use crate::pages::dunning::{MAX_REASON_CHARS, reminder_pdf_bytes, run_and_deliver};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reminders", get(list))
        .route("/reminders/{id}", get(get_one))
        .route("/reminders/{id}/pdf", get(pdf))
        .route("/invoices/{id}/reminders", get(of_invoice))
        .route("/invoices/{id}/block", post(block).delete(unblock))
        .route("/dunning/run", post(run))
        .route("/dunning/overdue", get(overdue))
}

/// 409 (or 422 when `unprocessable`) with the reminders page's wording of `code`.
fn refused(api: &ApiUser, code: &str, field: &str, unprocessable: bool) -> ApiError {
    let lang = api.lang();
    let mut error = ApiError::invalid(&Default::default(), lang);
    error.title = i18n::t(lang, &format!("dunning-error-{code}"));
    if !unprocessable {
        error.status = StatusCode::CONFLICT.as_u16();
        error.kind = "https://ruche.coop/problems/conflict".into();
    }
    error.errors.push(FieldProblem {
        field: field.to_string(),
        code: code.to_string(),
        detail: error.title.clone(),
    });
    error
}

fn store_refusal(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(code) => refused(api, code, "", false),
        other => api.store_error(other),
    }
}

/// The treasury, or whoever sees the invoice (its activity's rule); 404 for no invoice.
async fn authorize_invoice(
    api: &ApiUser,
    state: &AppState,
    invoice_id: i64,
) -> Result<(), ApiError> {
    let invoice = state
        .store
        .invoice(invoice_id)
        .await
        .map_err(|e| api.store_error(e))?;
    if api.authorize(Action::View, Target::Treasury).is_ok() {
        return Ok(());
    }
    let (_, target) = activity_target(&state.store, Some(api.user.person.id), invoice.activity_id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(Action::View, target)
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    page: Option<i64>,
    per_page: Option<i64>,
    invoice_id: Option<i64>,
    client_id: Option<i64>,
    /// `pending`, `mailed` or `to_print`.
    delivery: Option<String>,
    from: Option<Date>,
    to: Option<Date>,
}

pub async fn list(
    State(state): State<AppState>,
    api: ApiUser,
    Query(q): Query<ListParams>,
) -> ApiResult {
    api.authorize(Action::View, Target::Treasury)?;
    let delivery = match q.delivery.as_deref() {
        None | Some("") => None,
        Some(d @ ("pending" | "mailed" | "to_print")) => Some(d.to_string()),
        Some(_) => return Err(refused(&api, "delivery", "delivery", true)),
    };
    let filter = ReminderFilter {
        client_id: q.client_id,
        invoice_id: q.invoice_id,
        delivery,
        from: q.from.map(|d| d.to_string()),
        to: q.to.map(|d| d.to_string()),
    };
    let page = state
        .store
        .reminders(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub async fn get_one(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    let reminder = state
        .store
        .reminder(id)
        .await
        .map_err(|e| api.store_error(e))?;
    authorize_invoice(&api, &state, reminder.invoice_id).await?;
    ok(reminder)
}

pub async fn pdf(State(state): State<AppState>, api: ApiUser, Path(id): Path<i64>) -> ApiResult {
    let reminder = state
        .store
        .reminder(id)
        .await
        .map_err(|e| api.store_error(e))?;
    authorize_invoice(&api, &state, reminder.invoice_id).await?;
    let (filename, bytes) = reminder_pdf_bytes(&state.store, id)
        .await
        .map_err(|_| ApiError::internal())?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn of_invoice(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    authorize_invoice(&api, &state, id).await?;
    let reminders = state
        .store
        .reminders_of_invoice(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let block = state
        .store
        .invoice_block(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(serde_json::json!({ "reminders": reminders, "block": block }))
}

#[derive(Deserialize)]
pub struct RunJson {
    /// The day of the run; today by default.
    date: Option<Date>,
    #[serde(default)]
    dry_run: bool,
}

#[derive(Serialize)]
struct RunView {
    report: DunningReport,
    /// Absent for a dry run.
    delivery: Option<DeliveryReport>,
}

/// Records and delivers the reminders of a day (a dry run writes nothing and reports what
/// would be sent). Idempotent: the same day twice sends nothing new.
pub async fn run(
    State(state): State<AppState>,
    api: ApiUser,
    json: Result<Json<RunJson>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    let body = api.body(json)?;
    let day = body.date.unwrap_or_else(today);
    if !body.dry_run && day > today() {
        return Err(refused(&api, "future", "date", true));
    }
    let view = if body.dry_run {
        let report = state
            .store
            .dunning_run(&api.audit(), day, true)
            .await
            .map_err(|e| api.store_error(e))?;
        RunView {
            report,
            delivery: None,
        }
    } else {
        let (report, delivery) = run_and_deliver(&state.store, &api.audit(), day)
            .await
            .map_err(|e| api.store_error(e))?;
        RunView {
            report,
            delivery: Some(delivery),
        }
    };
    ok(view)
}

#[derive(Deserialize, Default)]
pub struct OverdueParams {
    /// The day the ages are counted on; today by default.
    as_of: Option<Date>,
    /// With a bucket (0: 1–30 days, 1: 31–60, 2: 61–90, 3: over 90), its invoices, paged.
    bucket: Option<usize>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn overdue(
    State(state): State<AppState>,
    api: ApiUser,
    Query(q): Query<OverdueParams>,
) -> ApiResult {
    api.authorize(Action::View, Target::Treasury)?;
    let day = q.as_of.unwrap_or_else(today);
    let buckets = state
        .store
        .overdue_by_age(day)
        .await
        .map_err(|e| api.store_error(e))?;
    let invoices = match q.bucket {
        None => None,
        Some(b) => Some(
            state
                .store
                .overdue_invoices(day, b, paging(q.page, q.per_page))
                .await
                .map_err(|e| api.store_error(e))?,
        ),
    };
    ok(serde_json::json!({ "as_of": day.to_string(), "buckets": buckets, "invoices": invoices }))
}

#[derive(Deserialize)]
pub struct BlockJson {
    #[serde(default)]
    reason: String,
}

pub async fn block(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
    json: Result<Json<BlockJson>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    let body = api.body(json)?;
    let reason = body.reason.trim();
    if reason.is_empty() {
        return Err(refused(&api, "block-reason-required", "reason", true));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(refused(&api, "block-reason-too-long", "reason", true));
    }
    let record = state
        .store
        .block_invoice(&api.audit(), id, reason)
        .await
        .map_err(|e| store_refusal(&api, e))?;
    Ok((StatusCode::CREATED, Json(record)).into_response())
}

pub async fn unblock(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Treasury)?;
    match state.store.unblock_invoice(&api.audit(), id).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        // The invoice exists but is not blocked: a conflict, not a missing resource.
        Err(StoreError::NotFound) => {
            state
                .store
                .invoice(id)
                .await
                .map_err(|e| api.store_error(e))?;
            Err(refused(&api, "not-blocked", "", false))
        }
        Err(e) => Err(store_refusal(&api, e)),
    }
}

/// The reminders operations in the OpenAPI document (`api/openapi.rs`).
pub fn describe(
    paths: &mut serde_json::Map<String, serde_json::Value>,
    schemas: &mut serde_json::Map<String, serde_json::Value>,
) {
    use serde_json::{Value, json};
    let int = json!({ "type": "integer", "format": "int64" });
    let cents = json!({ "type": "integer", "format": "int64", "description": "cents" });
    let opt_int = json!({ "type": ["integer", "null"], "format": "int64" });
    let opt_str = json!({ "type": ["string", "null"] });
    let date = json!({ "type": "string", "format": "date" });
    let micros =
        json!({ "type": "integer", "format": "int64", "description": "Unix microseconds, UTC" });
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let op = |summary: &str, ok: &str, content: Value, input: Option<Value>, id: bool| {
        let mut responses = serde_json::Map::new();
        responses.insert(
            ok.to_string(),
            json!({ "description": "done", "content": content }),
        );
        for (code, description) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (running and blocking: administrators and accountants; reading an invoice's reminders: whoever sees the invoice)",
            ),
            ("404", "no such reminder or invoice"),
            (
                "409",
                "refused by the stored state (invoice not open, already blocked, not blocked); nothing was written",
            ),
            (
                "422",
                "invalid input (a reason is required; a run cannot be dated after today)",
            ),
        ] {
            responses.insert(
                code.into(),
                json!({ "description": description, "content": problem }),
            );
        }
        let mut o = json!({ "tags": ["reminders"], "summary": summary, "responses": responses });
        if let Some(input) = input {
            o["requestBody"] = input;
        }
        if id {
            o["parameters"] = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
        }
        o
    };
    let json_of = |schema: Value| json!({ "application/json": { "schema": schema } });
    let json_body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    schemas.insert("Reminder".into(), json!({ "type": "object", "description": "A reminder: a legal record, its PDF and data snapshot kept.", "properties": {
        "id": int, "invoice_id": int, "invoice_number": opt_str, "client_id": int, "client_name": { "type": "string" },
        "level": int, "sent_on": date, "channel": { "type": "string", "enum": ["email", "letter"] },
        "buyer_class": { "type": "string", "enum": ["b2b", "b2c"] }, "language": { "type": "string" },
        "open_cents": cents, "fee_cents": cents, "interest_cents": cents, "compensation_cents": cents, "damages_cents": cents,
        "rate_bp": { "type": ["integer", "null"], "description": "the interest rate used, basis points" },
        "policy_version": { "type": "string" }, "rates_version": { "type": "string" },
        "delivery": { "type": "string", "enum": ["pending", "mailed", "to_print"] }, "mail_id": opt_int, "created_at": micros } }));
    schemas.insert("ReminderPage".into(), json!({ "type": "object", "properties": {
        "items": { "type": "array", "items": reference("Reminder") }, "total": int, "page": int, "per_page": int } }));
    schemas.insert("DunningBlock".into(), json!({ "type": "object", "properties": {
        "invoice_id": int, "reason": { "type": "string" }, "blocked_by": opt_int, "blocked_at": micros } }));
    schemas.insert("DunningRun".into(), json!({ "type": "object", "properties": {
        "report": { "type": "object", "properties": {
            "as_of": date, "dry_run": { "type": "boolean" }, "candidates": int,
            "sent": { "type": "array", "items": { "type": "object", "properties": { "class": { "type": "string", "enum": ["b2b", "b2c"] }, "level": int, "count": int } } },
            "emails": int, "letters": int, "skipped_blocked": int, "not_yet_due": int, "exhausted": int,
            "already_recorded": int, "charges_cents": cents } },
        "delivery": { "type": ["object", "null"], "properties": { "mailed": int, "to_print": int, "failed": int } } } }));
    schemas.insert("OverdueByAge".into(), json!({ "type": "object", "properties": {
        "as_of": date,
        "buckets": { "type": "array", "items": { "type": "object", "properties": {
            "bucket": int, "min_days": int, "max_days": opt_int, "count": int, "open_cents": cents } } },
        "invoices": { "type": ["object", "null"], "description": "with ?bucket=: that bucket's invoices, paged", "properties": {
            "items": { "type": "array", "items": { "type": "object", "properties": {
                "id": int, "number": opt_str, "client_id": int, "client_name": { "type": "string" }, "due_date": date,
                "open_cents": cents, "last_level": opt_int, "blocked": opt_str } } },
            "total": int, "page": int, "per_page": int } } } }));
    let mut list = op(
        "Reminders, newest first",
        "200",
        json_of(reference("ReminderPage")),
        None,
        false,
    );
    list["parameters"] = json!([
        { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
        { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } },
        { "name": "invoice_id", "in": "query", "schema": { "type": "integer" } },
        { "name": "client_id", "in": "query", "schema": { "type": "integer" } },
        { "name": "delivery", "in": "query", "schema": { "type": "string", "enum": ["pending", "mailed", "to_print"] } },
        { "name": "from", "in": "query", "description": "sent on or after", "schema": { "type": "string", "format": "date" } },
        { "name": "to", "in": "query", "description": "sent on or before", "schema": { "type": "string", "format": "date" } }
    ]);
    paths.insert("/api/v1/reminders".into(), json!({ "get": list }));
    paths.insert(
        "/api/v1/reminders/{id}".into(),
        json!({ "get": op("A reminder", "200", json_of(reference("Reminder")), None, true) }),
    );
    paths.insert("/api/v1/reminders/{id}/pdf".into(), json!({ "get": op("A reminder's PDF, as sent", "200",
        json!({ "application/pdf": { "schema": { "type": "string", "format": "binary" } } }), None, true) }));
    paths.insert("/api/v1/invoices/{id}/reminders".into(), json!({ "get": op("An invoice's reminders, by level, and its block", "200",
        json_of(json!({ "type": "object", "properties": { "reminders": { "type": "array", "items": reference("Reminder") },
            "block": { "oneOf": [reference("DunningBlock"), { "type": "null" }] } } })), None, true) }));
    paths.insert("/api/v1/invoices/{id}/block".into(), json!({
        "post": op("Block an open invoice's reminders, with the reason (a dispute, a payment plan, a pause)", "201",
            json_of(reference("DunningBlock")),
            Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string", "minLength": 1, "maxLength": 500 } } }))), true),
        "delete": op("Lift the block; the next run considers the invoice again", "204", json!({}), None, true)
    }));
    paths.insert("/api/v1/dunning/run".into(), json!({ "post": op(
        "Run the reminders of a day: record every reminder due (each invoice and level once), then deliver them (e-mails with the PDF in the outbox, letters kept for printing). A dry run writes nothing and reports what would be sent. Running the same day again sends nothing new.",
        "200", json_of(reference("DunningRun")),
        Some(json_body(json!({ "type": "object", "properties": { "date": { "type": "string", "format": "date", "description": "today by default; not after today unless dry_run" }, "dry_run": { "type": "boolean", "default": false } } }))), false) }));
    let mut overdue = op(
        "Open invoices past their due date, by age bucket",
        "200",
        json_of(reference("OverdueByAge")),
        None,
        false,
    );
    overdue["parameters"] = json!([
        { "name": "as_of", "in": "query", "schema": { "type": "string", "format": "date" } },
        { "name": "bucket", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 3 } },
        { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
        { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } }
    ]);
    paths.insert("/api/v1/dunning/overdue".into(), json!({ "get": overdue }));
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_route_of_reminders_is_described() {
        let doc = super::super::openapi::build();
        for (path, method) in [
            ("/api/v1/reminders", "get"),
            ("/api/v1/reminders/{id}", "get"),
            ("/api/v1/reminders/{id}/pdf", "get"),
            ("/api/v1/invoices/{id}/reminders", "get"),
            ("/api/v1/invoices/{id}/block", "post"),
            ("/api/v1/invoices/{id}/block", "delete"),
            ("/api/v1/dunning/run", "post"),
            ("/api/v1/dunning/overdue", "get"),
        ] {
            assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        }
        assert!(doc["components"]["schemas"]["Reminder"].is_object());
    }
}
