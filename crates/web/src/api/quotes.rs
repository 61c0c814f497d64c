//! The API of quotes: list, read, create and update a draft, send it to the client. The same
//! parsing, rules and policy as the pages (`pages/quotes.rs`); a bad line is named by its
//! JSON path, `lines[2].quantity` for the third line. Quantities and prices are exact
//! decimals: send them as strings (`"2.5"`) to keep every digit; numbers are accepted too.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ruche_domain::Language;
use ruche_domain::invoicing::QuoteStatus;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::activities::ActivityRecord;
use ruche_store::quotes::{QuoteFilter, QuoteLineRecord, QuoteRecord};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::problem::FieldProblem;
use super::{ApiError, ApiResult, ApiUser, paging};
use crate::AppState;
use crate::context::today;
use crate::pages::activities::{activity_target, scope_of};
use crate::pages::lines::{Problem, RawLine, UNITS, Wording, typed};
use crate::pages::quotes::{RawQuote, parse_quote, problems_of, send_to_client};

/// A quote with its lines, as the API returns it.
#[derive(Serialize)]
struct QuoteOut {
    #[serde(flatten)]
    quote: QuoteRecord,
    /// Sent, unanswered, and past its validity date: the client can no longer accept it.
    expired: bool,
    lines: Vec<QuoteLineRecord>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    #[serde(default)]
    q: String,
    activity: Option<i64>,
    client: Option<i64>,
    status: Option<String>,
}

/// A quote as sent in JSON; every field is read leniently so that each problem is named.
#[derive(Deserialize)]
pub struct QuoteInput {
    #[serde(default)]
    activity_id: Option<i64>,
    #[serde(default, deserialize_with = "typed")]
    client_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    lines: Vec<RawLine>,
}

impl QuoteInput {
    fn into_raw(self) -> RawQuote {
        RawQuote {
            client_id: self.client_id,
            title: self.title,
            valid_until: self.valid_until,
            language: self.language.unwrap_or_default(),
            note: self.note.unwrap_or_default(),
            lines: self.lines,
        }
    }
}

/// 422 naming each field (`lines[2].quantity`); 409 when the document's status refuses.
/// The invoices' API words its problems the same way (`api/invoices.rs`).
pub(super) fn problem(problems: &[Problem], lang: Language, wording: Wording) -> ApiError {
    let mut error = ApiError::invalid(&FieldErrors::new(), lang);
    error.errors = problems
        .iter()
        .map(|p| FieldProblem {
            field: p.path(),
            code: p.code.to_string(),
            detail: p.detail(lang, wording),
        })
        .collect();
    if problems.iter().any(|p| p.field == "status") {
        error.status = StatusCode::CONFLICT.as_u16();
        error.kind = "https://ruche.coop/problems/conflict".into();
    }
    error
}

fn refused(api: &ApiUser, e: StoreError, origin: &[usize]) -> ApiError {
    match problems_of(e, origin) {
        Ok(problems) => problem(&problems, api.lang(), Wording::Quote),
        Err(other) => api.store_error(other),
    }
}

async fn out(api: &ApiUser, state: &AppState, quote: QuoteRecord) -> ApiResult {
    let lines = state
        .store
        .quote_lines(quote.id)
        .await
        .map_err(|e| api.store_error(e))?;
    let expired = quote.is_expired_on(today());
    Ok(Json(QuoteOut {
        quote,
        expired,
        lines,
    })
    .into_response())
}

/// The activity of a quote and what the policy says of it for this user.
async fn activity(
    api: &ApiUser,
    state: &AppState,
    activity_id: i64,
) -> Result<(ActivityRecord, Target), ApiError> {
    activity_target(&state.store, Some(api.user.person.id), activity_id)
        .await
        .map_err(|e| api.store_error(e))
}

async fn quote(
    api: &ApiUser,
    state: &AppState,
    id: i64,
    action: Action,
) -> Result<(QuoteRecord, ActivityRecord), ApiError> {
    let quote = state
        .store
        .quote(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let (activity, target) = activity(api, state, quote.activity_id).await?;
    api.authorize(action, target)?;
    Ok((quote, activity))
}

pub async fn list_quotes(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let scope = scope_of(&api.user);
    if scope.holder.is_some() {
        api.authorize(Action::View, Target::MemberArea)?;
    }
    let filter = QuoteFilter {
        activity_id: q.activity,
        client_id: q.client,
        status: q.status.as_deref().and_then(QuoteStatus::parse),
        search: Some(q.q.clone()),
        holder: scope.holder,
        offices: scope.offices,
    };
    let page = paging(q.page, q.per_page);
    let found = state.store.quotes(&filter, page).await;
    Ok(Json(found.map_err(|e| api.store_error(e))?).into_response())
}

pub async fn get_quote(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (quote, _) = quote(&api, &state, id, Action::View).await?;
    out(&api, &state, quote).await
}

pub async fn create_quote(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<QuoteInput>, JsonRejection>,
) -> ApiResult {
    let input = api.body(json)?;
    let no_activity = || {
        let missing = Problem {
            field: "activity_id",
            line: None,
            code: "required",
        };
        problem(&[missing], api.lang(), Wording::Quote)
    };
    let activity_id = input.activity_id.ok_or_else(no_activity)?;
    let (_, target) = match activity(&api, &state, activity_id).await {
        Err(e) if e.status == StatusCode::NOT_FOUND.as_u16() => return Err(no_activity()),
        found => found?,
    };
    api.authorize(Action::Update, target)?;
    let date = today();
    let parsed = parse_quote(&input.into_raw(), date, false)
        .map_err(|p| problem(&p, api.lang(), Wording::Quote))?;
    let created = state
        .store
        .create_quote(&api.audit(), activity_id, &parsed.draft, date)
        .await
        .map_err(|e| refused(&api, e, &parsed.origin))?;
    let mut response = out(&api, &state, created).await?;
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

pub async fn update_quote(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<QuoteInput>, JsonRejection>,
) -> ApiResult {
    quote(&api, &state, id, Action::Update).await?;
    let input = api.body(json)?;
    let date = today();
    let parsed = parse_quote(&input.into_raw(), date, false)
        .map_err(|p| problem(&p, api.lang(), Wording::Quote))?;
    let updated = state
        .store
        .update_quote(&api.audit(), id, &parsed.draft, date)
        .await
        .map_err(|e| refused(&api, e, &parsed.origin))?;
    out(&api, &state, updated).await
}

/// Numbers the draft and e-mails the client the link to accept or decline it.
pub async fn send_quote(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (_, activity) = quote(&api, &state, id, Action::Update).await?;
    let sent = send_to_client(&state, &api.audit(), id, &activity)
        .await
        .map_err(|e| refused(&api, e, &[]))?;
    out(&api, &state, sent).await
}

/// The quotes' part of the OpenAPI document (`openapi.rs` lists `/quotes` among its
/// resources for the list, create, read and update operations): the schemas, the list's
/// filters and the sending.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let int = json!({ "type": "integer", "format": "int64" });
    let cents = json!({ "type": "integer", "format": "int64", "description": "cents" });
    let opt_int = json!({ "type": ["integer", "null"], "format": "int64" });
    let opt_str = json!({ "type": ["string", "null"] });
    let micros =
        json!({ "type": "integer", "format": "int64", "description": "Unix microseconds, UTC" });
    let opt_micros = json!({ "type": ["integer", "null"], "format": "int64", "description": "Unix microseconds, UTC" });
    let date = json!({ "type": "string", "format": "date" });
    let status = json!({ "type": "string", "enum": ["draft", "sent", "accepted", "declined", "expired", "invoiced"] });
    let decimal = json!({ "type": ["string", "number"], "description": "exact decimal; send a string to keep every digit" });
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    schemas.insert("QuoteLineInput".into(), json!({ "type": "object",
        "required": ["description", "quantity", "unit", "unit_price", "vat_category", "vat_rate_bp"],
        "properties": {
            "description": { "type": "string", "maxLength": 1000 },
            "quantity": decimal, "unit_price": decimal,
            "unit": { "type": "string", "enum": UNITS },
            "vat_category": { "type": "string", "enum": ["S", "Z", "E", "AE", "K", "G", "O"] },
            "vat_rate_bp": { "type": "integer", "description": "2100 = 21 %; 0 for every category but S" } } }));
    schemas.insert("QuoteInput".into(), json!({ "type": "object",
        "description": "A draft. Errors name the field, a line's by its path: lines[2].quantity.",
        "required": ["activity_id", "client_id", "title", "valid_until", "lines"],
        "properties": {
            "activity_id": { "type": "integer", "description": "on creation; a quote stays with its activity" },
            "client_id": int, "title": { "type": "string", "maxLength": 200 }, "valid_until": date,
            "language": { "type": ["string", "null"], "enum": ["fr", "nl", "en", null], "description": "null: the client's" },
            "note": opt_str,
            "lines": { "type": "array", "maxItems": 200, "items": reference("QuoteLineInput") } } }));
    schemas.insert("QuoteLine".into(), json!({ "type": "object", "properties": {
        "id": int, "quote_id": int, "position": int, "description": { "type": "string" },
        "quantity": { "type": "string" }, "unit": { "type": "string" }, "unit_price": { "type": "string" },
        "vat_category": { "type": "string" }, "vat_rate_bp": int, "net_cents": cents } }));
    schemas.insert("Quote".into(), json!({ "type": "object", "properties": {
        "id": int, "activity_id": int, "client_id": int,
        "number": { "type": ["string", "null"], "description": "D2026-00001, given when sent" },
        "status": status, "expired": { "type": "boolean" }, "issue_date": date, "valid_until": date,
        "language": { "type": "string" }, "title": { "type": "string" }, "note": opt_str,
        "tax_exclusive_cents": cents, "tax_cents": cents, "tax_inclusive_cents": cents,
        "created_by": opt_int, "created_at": micros, "updated_at": micros, "sent_at": opt_micros,
        "sent_to": opt_str, "accepted_at": opt_micros, "accepted_name": opt_str, "accepted_ip": opt_str,
        "declined_at": opt_micros, "decline_reason": opt_str, "invoiced_at": opt_micros,
        "lines": { "type": "array", "items": reference("QuoteLine") } } }));
    schemas.insert(
        "QuoteSummary".into(),
        json!({ "type": "object", "properties": {
        "id": int, "activity_id": int, "activity_name": { "type": "string" }, "client_id": int,
        "client_name": { "type": "string" }, "number": opt_str, "status": status,
        "title": { "type": "string" }, "issue_date": date, "valid_until": date,
        "tax_exclusive_cents": cents, "tax_inclusive_cents": cents, "updated_at": micros } }),
    );
    schemas.insert("QuotePage".into(), json!({ "type": "object", "properties": {
        "items": { "type": "array", "items": reference("QuoteSummary") },
        "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" } } }));
    if let Some(list) = paths
        .get_mut("/api/v1/quotes")
        .and_then(|p| p.get_mut("get"))
        .and_then(|op| op.get_mut("parameters"))
        .and_then(Value::as_array_mut)
    {
        list.extend([
            json!({ "name": "activity", "in": "query", "schema": { "type": "integer" } }),
            json!({ "name": "client", "in": "query", "schema": { "type": "integer" } }),
            json!({ "name": "status", "in": "query", "schema": status }),
        ]);
    }
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    paths.insert("/api/v1/quotes/{id}/send".into(), json!({ "post": {
        "tags": ["quotes"],
        "summary": "Send a draft to its client: the number, and an e-mail with the link where the client accepts (the order confirmation) or declines",
        "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
        "responses": {
            "200": { "description": "the sent quote", "content": { "application/json": { "schema": reference("Quote") } } },
            "401": { "description": "missing or revoked token", "content": problem },
            "403": { "description": "refused by the policy", "content": problem },
            "409": { "description": "the quote is no longer a draft; nothing was written", "content": problem },
            "422": { "description": "the client has no e-mail, the validity is past, a line breaks a rule; nothing was written", "content": problem } } } }));
}
