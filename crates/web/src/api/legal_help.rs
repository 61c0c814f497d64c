//! The API of legal help, with the pages' rules and policy (`pages/legal_help.rs`): a member
//! lists and files their requests and writes in their threads; the legal staff list the
//! queue, read and write. Anyone else gets 404 on a request (its existence is confidential).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header;
use axum::routing::get;
use axum::{Json, Router};
use ruche_domain::Role;
use ruche_domain::legal_help::{
    LegalKind, LegalPriority, LegalRequestForm, LegalStatus, parse_message,
};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::attachments::owner;
use ruche_store::legal_help::{LegalFilter, LegalMessageKind};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::attachments::{self, FilesForm};
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;
use crate::pages::legal_help::{file_request, prepare_files, viewable};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/legal-help",
            get(list).post(create).layer(attachments::body_limit()),
        )
        .route("/legal-help/{id}", get(get_one))
        .route(
            "/legal-help/{id}/messages",
            axum::routing::post(reply).layer(attachments::body_limit()),
        )
}

fn app_error(api: &ApiUser, e: AppError) -> ApiError {
    match e {
        AppError::NotFound | AppError::Store(StoreError::NotFound) => {
            ApiError::not_found(api.lang())
        }
        AppError::Forbidden | AppError::UsageContractRequired | AppError::SignInRequired => {
            ApiError::forbidden(api.lang())
        }
        AppError::Invalid(errors) => ApiError::invalid(&errors, api.lang()),
        AppError::Store(e) => api.store_error(e),
        other => {
            tracing::error!(error = %other, "legal help API");
            ApiError::internal()
        }
    }
}

/// A body as a form with files: `multipart/form-data` (files in `attachments`) or JSON with
/// the same text fields (no files).
async fn read_body(
    api: &ApiUser,
    state: &AppState,
    request: Request,
) -> Result<FilesForm, ApiError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let mut parts = Multipart::from_request(request, state)
            .await
            .map_err(|e| ApiError::bad_json(e.body_text(), api.lang()))?;
        return Ok(attachments::read_form(&mut parts).await);
    }
    let json: Result<Json<Map<String, Value>>, JsonRejection> =
        Json::from_request(request, state).await;
    let map = api.body(json)?;
    let fields = map
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    Ok(FilesForm {
        fields,
        ..FilesForm::default()
    })
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
    kind: Option<String>,
    priority: Option<String>,
    assignee: Option<i64>,
}

/// The legal staff's queue (every request, filtered), or a member's own requests.
pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let mut errors = FieldErrors::new();
    let status = match q.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(s) if s == "open" || LegalStatus::parse(s).is_some() => Some(s.to_string()),
        Some(_) => {
            errors.add("status", "format");
            None
        }
    };
    let kind = q
        .kind
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(LegalKind::parse);
    if kind == Some(None) {
        errors.add("kind", "format");
    }
    let priority = q
        .priority
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(LegalPriority::parse);
    if priority == Some(None) {
        errors.add("priority", "format");
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let actor = &api.user.actor;
    let person_id = if decide(actor, Action::List, Target::LegalHelp).is_allowed() {
        None
    } else if actor.has(Role::Member)
        && decide(actor, Action::Create, Target::LegalHelp) == Decision::Allowed
    {
        Some(api.user.person.id)
    } else {
        return Err(ApiError::forbidden(api.lang()));
    };
    let filter = LegalFilter {
        person_id,
        status,
        kind: kind.flatten(),
        priority: priority.flatten(),
        assignee_account_id: q.assignee,
    };
    let page = state
        .store
        .legal_requests(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// A request with its thread (the internal notes for the legal staff) and its files.
pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (request, target) = viewable(&state, &api.user, id)
        .await
        .map_err(|e| app_error(&api, e))?;
    let legal = decide(&api.user.actor, Action::Decide, target).is_allowed();
    let messages = state
        .store
        .legal_messages(id, legal)
        .await
        .map_err(|e| api.store_error(e))?;
    let files = state
        .store
        .attachments_of(owner::LEGAL_REQUEST, id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "request": request, "messages": messages, "attachments": files }))
}

/// Files a request: JSON with the form's names, or `multipart/form-data` with files in
/// `attachments`. 201 with the request.
pub async fn create(api: ApiUser, State(state): State<AppState>, request: Request) -> ApiResult {
    if decide(&api.user.actor, Action::Create, Target::LegalHelp) != Decision::Allowed {
        return Err(ApiError::forbidden(api.lang()));
    }
    let body = read_body(&api, &state, request).await?;
    let form: LegalRequestForm = FormView::new(body.fields.clone())
        .decode()
        .map_err(|e| ApiError::bad_json(e, api.lang()))?;
    match file_request(&state, &api.user, &form, &body, &api.audit()).await {
        Ok(Ok(r)) => created(r),
        Ok(Err(errors)) => Err(ApiError::invalid(&errors, api.lang())),
        Err(e) => Err(app_error(&api, e)),
    }
}

/// A message in the thread (`legal_body`, and files when multipart), from the member or the
/// legal service. 201 with the message.
pub async fn reply(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> ApiResult {
    let (_, target) = viewable(&state, &api.user, id)
        .await
        .map_err(|e| app_error(&api, e))?;
    api.authorize(Action::Create, target)?;
    let body = read_body(&api, &state, request).await?;
    let text = parse_message(body.field("legal_body"));
    let files = prepare_files(&state, &body).map_err(|e| app_error(&api, e))?;
    let (text, files) = match (text, files) {
        (Ok(t), Ok(f)) => (t, f),
        (t, f) => {
            let mut errors = t.err().unwrap_or_default();
            errors.0.extend(f.err().unwrap_or_default().0);
            return Err(ApiError::invalid(&errors, api.lang()));
        }
    };
    match state
        .store
        .add_legal_message(
            &api.audit(),
            id,
            LegalMessageKind::Message,
            &text,
            &files,
            ruche_store::now_micros(),
        )
        .await
    {
        Ok(m) => created(m),
        Err(StoreError::Conflict(code)) => Err(ApiError::conflict(
            "status",
            code,
            i18n::field_error(api.lang(), code),
            api.lang(),
        )),
        Err(e) => Err(api.store_error(e)),
    }
}

/// The OpenAPI paths and schemas of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let errors = |ok: &str, description: &str| {
        let mut out = Map::new();
        out.insert(ok.into(), json!({ "description": description }));
        for (code, d) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (not a member, or the usage contract is not accepted)",
            ),
            (
                "404",
                "no such request, or not yours: a request is seen by its member and the legal staff only",
            ),
            (
                "409",
                "refused by the request's stage (a closed request takes no message)",
            ),
            ("422", "invalid input; each error names its field"),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let text = |d: &str| json!({ "type": "string", "description": d });
    schemas.insert(
        "LegalRequestInput".into(),
        json!({ "type": "object", "required": ["legal_kind", "legal_subject", "legal_description"],
            "description": "A legal-help request, as the page's form. Files: multipart/form-data with one or more parts named attachments.",
            "properties": {
                "legal_kind": { "type": "string", "enum": ["question", "contract-review", "dispute"] },
                "legal_subject": text("at most 150 characters"),
                "legal_description": text("at most 5,000 characters"),
                "legal_counterparty": text("required for a contract review or a dispute"),
                "legal_amount": text("amount at stake in euros, e.g. 2.500 or 1.234,56"),
                "legal_deadline": { "type": "string", "format": "date" },
                "legal_activity": text("id of an activity the member holds") } }),
    );
    schemas.insert(
        "LegalRequest".into(),
        json!({ "type": "object", "description": "A request: id, person_id, member_name, kind, status (submitted | triaged | answered | closed | reopened), subject, description, counterparty, amount_cents, deadline, priority, assignee_account_id, outcome, submitted_on, first_answered_on, decided_on, closed_on." }),
    );
    paths.insert(
        "/legal-help".into(),
        json!({
            "get": { "summary": "The legal staff's queue, or the member's own requests", "tags": ["legal-help"],
                "parameters": [
                    { "name": "status", "in": "query", "schema": { "type": "string" }, "description": "open, all, or a status" },
                    { "name": "kind", "in": "query", "schema": { "type": "string" } },
                    { "name": "priority", "in": "query", "schema": { "type": "string" } },
                    { "name": "assignee", "in": "query", "schema": { "type": "integer" } },
                    { "name": "page", "in": "query", "schema": { "type": "integer" } },
                    { "name": "per_page", "in": "query", "schema": { "type": "integer" } } ],
                "responses": errors("200", "a page of requests") },
            "post": { "summary": "File a request (a member)", "tags": ["legal-help"],
                "requestBody": { "content": {
                    "application/json": { "schema": reference("LegalRequestInput") },
                    "multipart/form-data": { "schema": reference("LegalRequestInput") } } },
                "responses": errors("201", "the request, submitted") } }),
    );
    paths.insert(
        "/legal-help/{id}".into(),
        json!({ "get": { "summary": "A request with its thread and files", "tags": ["legal-help"],
            "parameters": [id_param],
            "responses": errors("200", "{ request, messages, attachments }; internal notes for the legal staff only") } }),
    );
    paths.insert(
        "/legal-help/{id}/messages".into(),
        json!({ "post": { "summary": "Write in the thread", "tags": ["legal-help"],
            "parameters": [id_param],
            "requestBody": { "content": { "application/json": { "schema": { "type": "object",
                "required": ["legal_body"], "properties": { "legal_body": text("at most 5,000 characters") } } } } },
            "responses": errors("201", "the message") } }),
    );
}
