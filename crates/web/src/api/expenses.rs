//! The API of expense claims, with the pages' rules and policy (`pages/expenses.rs`): a
//! holder files a claim on their activity (`multipart/form-data` with the receipt, or JSON
//! without one), an advisor of the activity's office approves or refuses it, the claimant
//! withdraws it; staff list the claims they may decide or pay, a member their own.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header;
use axum::routing::{get, post};
use axum::{Json, Router};
use ruche_domain::expense::{ExpenseForm, ExpenseKind, ExpenseStatus, parse_refusal_reason};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::expenses::REFUSED_MILEAGE_CAP;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::forms::FormView;
use crate::i18n;
use crate::pages::activities::activity_target;
use crate::pages::expenses::{
    MAX_BODY_BYTES, claim_target, file_claim, list_scope, read_claim_form, receipt_download,
    receipt_files, receipt_target, refusal_text,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/expenses", get(list))
        .route("/expenses/{id}", get(get_one))
        .route("/expenses/{id}/approve", post(approve))
        .route("/expenses/{id}/refuse", post(refuse))
        .route("/expenses/{id}/withdraw", post(withdraw))
        .route("/expenses/{id}/receipt", get(receipt))
        .route(
            "/activities/{id}/expenses",
            post(create).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
}

/// 422 naming each field, the kilometre ceiling with its figure.
fn invalid(api: &ApiUser, errors: &FieldErrors) -> ApiError {
    let mut problem = ApiError::invalid(errors, api.lang());
    for p in &mut problem.errors {
        if p.code == REFUSED_MILEAGE_CAP {
            p.detail = format!(
                "{} : {}",
                i18n::t(api.lang(), &format!("field-{}", p.field)),
                refusal_text(api.lang(), &p.code)
            );
        }
    }
    problem
}

/// A refusal that only the stored state explains (409), naming the field and the reason.
fn conflict(api: &ApiUser, field: &str, code: &str) -> ApiError {
    ApiError::conflict(field, code, refusal_text(api.lang(), code), api.lang())
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
    kind: Option<String>,
    activity_id: Option<i64>,
}

/// The claims the token's user may see, newest first.
pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let mut errors = FieldErrors::new();
    let status = match q.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(s) => {
            let parsed = ExpenseStatus::parse(s);
            if parsed.is_none() {
                errors.add("status", "format");
            }
            parsed
        }
    };
    let kind = match q.kind.as_deref() {
        None | Some("") => None,
        Some(s) => {
            let parsed = ExpenseKind::parse(s);
            if parsed.is_none() {
                errors.add("kind", "format");
            }
            parsed
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let mut filter = match q.activity_id {
        // The claims of one activity: whoever may see the activity.
        Some(activity_id) => {
            let (_, target) = activity_target(&state.store, Some(api.user.person.id), activity_id)
                .await
                .map_err(|e| api.store_error(e))?;
            api.authorize(Action::View, target)?;
            ruche_store::expenses::ExpenseFilter {
                activity_id: Some(activity_id),
                ..Default::default()
            }
        }
        None => list_scope(&api.user).ok_or_else(|| ApiError::forbidden(api.lang()))?,
    };
    filter.status = status;
    filter.kind = kind;
    let page = state
        .store
        .expense_claims(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let claim = state
        .store
        .expense_claim(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let target = claim_target(&state.store, Some(&api.user), &claim)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(Action::View, target)?;
    ok(claim)
}

/// Files a claim on activity `id`: `multipart/form-data` (the page's fields and the file
/// `expense_receipt`) or JSON with the same names (no receipt). 201 with the claim.
pub async fn create(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> ApiResult {
    let (activity, target) = activity_target(&state.store, Some(api.user.person.id), id)
        .await
        .map_err(|e| api.store_error(e))?;
    let held = matches!(
        target,
        Target::Activity {
            held_by_actor: true,
            ..
        }
    );
    api.authorize(
        Action::Create,
        Target::ExpenseClaim {
            office_id: activity.office_id,
            held_by_actor: held,
            filed_by_actor: true,
        },
    )?;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (form, upload) = if multipart {
        let mut parts = Multipart::from_request(request, &state)
            .await
            .map_err(|e| ApiError::bad_json(e.body_text(), api.lang()))?;
        let (fields, upload) = read_claim_form(&mut parts).await;
        let form: ExpenseForm = FormView::new(fields)
            .decode()
            .map_err(|e| ApiError::bad_json(e, api.lang()))?;
        (form, upload)
    } else {
        let json: Result<Json<ExpenseForm>, JsonRejection> =
            Json::from_request(request, &state).await;
        (api.body(json)?, None)
    };
    match file_claim(&state, &api.user, &activity, &form, upload, &api.audit()).await {
        Ok(Ok(claim)) => created(claim),
        Ok(Err(errors)) => Err(invalid(&api, &errors)),
        Err(e) => {
            tracing::error!(error = %e, "filing an expense claim");
            Err(ApiError::internal())
        }
    }
}

/// The claim and its policy target, 404 or 403 otherwise.
async fn claim_and_target(
    api: &ApiUser,
    state: &AppState,
    id: i64,
    action: Action,
) -> Result<ruche_store::expenses::ExpenseClaimRecord, ApiError> {
    let claim = state
        .store
        .expense_claim(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let target = claim_target(&state.store, Some(&api.user), &claim)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(Action::View, target)?;
    api.authorize(action, target)?;
    Ok(claim)
}

#[derive(Deserialize, Default)]
pub struct ApproveInput {
    /// The paying legal entity; by default the one that invoices for the activity.
    #[serde(default)]
    entity_id: Option<i64>,
}

/// An advisor of the office approves: the budget pays and the transfer is ordered. The
/// body is optional.
pub async fn approve(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult {
    claim_and_target(&api, &state, id, Action::Decide).await?;
    let input: ApproveInput = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveInput::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_json(e.to_string(), api.lang()))?
    };
    match state
        .store
        .approve_expense_claim(&api.audit(), id, input.entity_id, today())
        .await
    {
        Ok(claim) => ok(claim),
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "status", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct RefuseInput {
    #[serde(default)]
    expense_reason: String,
}

pub async fn refuse(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<RefuseInput>, JsonRejection>,
) -> ApiResult {
    claim_and_target(&api, &state, id, Action::Decide).await?;
    let input = api.body(json)?;
    let reason = parse_refusal_reason(&input.expense_reason)
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state
        .store
        .refuse_expense_claim(&api.audit(), id, &reason)
        .await
    {
        Ok(claim) => ok(claim),
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "status", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn withdraw(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    claim_and_target(&api, &state, id, Action::Update).await?;
    match state.store.withdraw_expense_claim(&api.audit(), id).await {
        Ok(claim) => ok(claim),
        Err(StoreError::Conflict(code)) => Err(conflict(&api, "status", code)),
        Err(e) => Err(api.store_error(e)),
    }
}

/// The receipt file, as uploaded (the claimant, the advisors of the office, accountants).
pub async fn receipt(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let claim = state
        .store
        .expense_claim(id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(Action::View, receipt_target(Some(&api.user), &claim))?;
    let sha256 = claim
        .receipt_sha256
        .as_deref()
        .ok_or_else(|| ApiError::not_found(api.lang()))?;
    let bytes = receipt_files(&state)
        .get(sha256)
        .map_err(|e| {
            tracing::error!(error = %e, "reading a receipt");
            ApiError::internal()
        })?
        .ok_or_else(|| ApiError::not_found(api.lang()))?;
    Ok(receipt_download(&claim, bytes))
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
            ("403", "refused by the policy"),
            ("404", "no such claim or activity"),
            (
                "409",
                "refused by the stored state (the claim is decided already, the activity is not active, the available budget does not cover the claim); nothing was written",
            ),
            (
                "422",
                "invalid input; each error names its field and the rule (receipt type or size, receipt required above the threshold, no kilometre rate for the trip's date, the 24,000 km yearly ceiling)",
            ),
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
    let kinds = json!(["reimbursement", "mileage", "supplier"]);
    let categories = json!([
        "travel",
        "mileage",
        "equipment",
        "supplies",
        "meals",
        "training",
        "supplier",
        "other"
    ]);
    let statuses = json!(["submitted", "approved", "refused", "withdrawn"]);
    let text = |description: &str| json!({ "type": "string", "description": description });
    let claim_input = json!({ "type": "object", "required": ["expense_kind", "expense_description", "expense_spent_on"],
        "description": "A claim, as the page's form. Reimbursement and supplier claims need expense_category and expense_amount, and a receipt above 25,00 € (multipart only); mileage claims need expense_from, expense_to and expense_km, and their amount is computed from the federal rate of the trip's date. The claimant is paid on the IBAN of their record unless iban is given; a supplier needs beneficiary_name, iban, town, country and remittance (its invoice reference).",
        "properties": {
            "expense_kind": { "type": "string", "enum": kinds },
            "expense_category": { "type": "string", "enum": categories },
            "expense_description": text("what was bought, or the trip's purpose (at most 300 characters)"),
            "expense_spent_on": date,
            "expense_amount": text("euros, e.g. 12,50 or 12.50 (not for mileage)"),
            "expense_from": text("mileage: place of departure"),
            "expense_to": text("mileage: destination"),
            "expense_km": text("mileage: whole kilometres, one way"),
            "expense_round_trip": { "type": ["boolean", "string"], "description": "mileage: the kilometres count both ways" },
            "beneficiary_name": text("supplier's name"),
            "iban": string.clone(), "bic": string.clone(),
            "street": string.clone(), "building_number": string.clone(), "postcode": string.clone(),
            "town": string.clone(), "country": text("ISO 3166 alpha-2"),
            "remittance": text("supplier's invoice reference, or its structured communication"),
            "expense_receipt": { "type": "string", "format": "binary", "description": "multipart only: JPEG, PNG, WebP or PDF (recognised from its content), at most 10 MB" } } });
    schemas.insert("ExpenseClaimInput".into(), claim_input);
    // Two halves: one `json!` of every property goes past the macro's recursion limit.
    let mut properties = json!({
        "id": int, "activity_id": int, "activity_name": string, "office_id": int,
        "claimant_id": int, "claimant_name": string,
        "kind": { "type": "string", "enum": kinds }, "category": { "type": "string", "enum": categories },
        "status": { "type": "string", "enum": statuses },
        "description": string, "spent_on": date, "amount_cents": cents,
        "trip_from": opt_str, "trip_to": opt_str,
        "distance_km": { "type": ["integer", "null"], "description": "kilometres claimed (both ways for a round trip)" },
        "round_trip": { "type": "boolean" },
        "mileage_rate": { "type": ["string", "null"], "description": "euros per km used, exact decimal" },
        "mileage_rate_from": opt_str, "mileage_rate_to": opt_str, "mileage_rates_version": opt_str,
        "mileage_rate_verified": { "type": ["boolean", "null"] } });
    let more = json!({
        "payee_name": string, "payee_iban": string, "payee_bic": opt_str, "payee_street": opt_str,
        "payee_building_number": opt_str, "payee_postcode": opt_str, "payee_town": string, "payee_country": string,
        "payee_remittance": opt_str, "payee_remittance_ogm": { "type": "boolean" },
        "receipt_sha256": opt_str, "receipt_mime": opt_str, "receipt_size": opt_int, "receipt_name": opt_str,
        "submitted_on": date, "submitted_at": micros, "submitted_by": opt_int,
        "decided_by": opt_int, "decider_name": opt_str, "decided_at": opt_int, "refusal_reason": opt_str,
        "entity_id": opt_int, "payout_id": opt_int, "payout_status": opt_str,
        "payout_requested_on": { "type": ["string", "null"], "description": "the transfer's due date: the last working day of the month of submission, or of the next month after the 15th" },
        "payout_paid_on": opt_str, "ledger_transaction_id": opt_int, "updated_at": micros });
    if let (Some(all), Value::Object(rest)) = (properties.as_object_mut(), more) {
        all.extend(rest);
    }
    schemas.insert(
        "ExpenseClaim".into(),
        json!({ "type": "object", "properties": properties }),
    );
    schemas.insert(
        "ExpenseClaimPage".into(),
        json!({ "type": "object", "properties": {
            "items": { "type": "array", "items": reference("ExpenseClaim") },
            "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" } } }),
    );
    schemas.insert(
        "ExpenseApproval".into(),
        json!({ "type": "object", "properties": { "entity_id": opt_int } }),
    );
    schemas.insert(
        "ExpenseRefusal".into(),
        json!({ "type": "object", "required": ["expense_reason"], "properties": {
            "expense_reason": { "type": "string", "maxLength": 500 } } }),
    );
    let list_params = [
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }),
        json!({ "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } }),
        json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": statuses } }),
        json!({ "name": "kind", "in": "query", "schema": { "type": "string", "enum": kinds } }),
        json!({ "name": "activity_id", "in": "query", "schema": { "type": "integer" } }),
    ];
    let claim = reference("ExpenseClaim");
    paths.insert(
        "/api/v1/expenses".into(),
        json!({ "get": { "tags": ["expenses"], "summary": "List expense claims, newest first: staff those they may decide or pay, a member their own",
            "parameters": list_params,
            "responses": responses("200", "a page", json_of(reference("ExpenseClaimPage"))) } }),
    );
    paths.insert(
        "/api/v1/activities/{id}/expenses".into(),
        json!({ "post": { "tags": ["expenses"], "summary": "File an expense claim on an activity one holds",
            "parameters": [id_param],
            "requestBody": { "required": true, "content": {
                "multipart/form-data": { "schema": reference("ExpenseClaimInput") },
                "application/json": { "schema": reference("ExpenseClaimInput") } } },
            "responses": responses("201", "filed", json_of(claim.clone())) } }),
    );
    paths.insert(
        "/api/v1/expenses/{id}".into(),
        json!({ "get": { "tags": ["expenses"], "summary": "Read one claim",
            "parameters": [id_param], "responses": responses("200", "found", json_of(claim.clone())) } }),
    );
    paths.insert(
        "/api/v1/expenses/{id}/approve".into(),
        json!({ "post": { "tags": ["expenses"], "summary": "Approve (an advisor of the office): the available budget pays the whole claim and the transfer joins the SEPA batch of its due date",
            "parameters": [id_param],
            "requestBody": { "required": false, "content": json_of(reference("ExpenseApproval")) },
            "responses": responses("200", "approved", json_of(claim.clone())) } }),
    );
    paths.insert(
        "/api/v1/expenses/{id}/refuse".into(),
        json!({ "post": { "tags": ["expenses"], "summary": "Refuse (an advisor of the office), with a reason",
            "parameters": [id_param],
            "requestBody": { "required": true, "content": json_of(reference("ExpenseRefusal")) },
            "responses": responses("200", "refused", json_of(claim.clone())) } }),
    );
    paths.insert(
        "/api/v1/expenses/{id}/withdraw".into(),
        json!({ "post": { "tags": ["expenses"], "summary": "Withdraw a submitted claim (its claimant)",
            "parameters": [id_param], "responses": responses("200", "withdrawn", json_of(claim)) } }),
    );
    paths.insert(
        "/api/v1/expenses/{id}/receipt".into(),
        json!({ "get": { "tags": ["expenses"], "summary": "Download the receipt (the claimant, the advisors of the office, accountants)",
            "parameters": [id_param],
            "responses": responses("200", "the file", json!({
                "image/jpeg": { "schema": { "type": "string", "format": "binary" } },
                "image/png": { "schema": { "type": "string", "format": "binary" } },
                "image/webp": { "schema": { "type": "string", "format": "binary" } },
                "application/pdf": { "schema": { "type": "string", "format": "binary" } } })) } }),
    );
}
