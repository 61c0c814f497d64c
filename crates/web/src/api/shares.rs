//! The API of the share register, with the pages' rules and policy (`Target::Governance`:
//! board, administrators and accountants read; board and administrators act). Bodies are
//! the pages' forms as JSON (the same field names, values as text).

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use jiff::civil::Date;
use ruche_domain::governance::shares::{
    ExitForm, PaymentForm, ReasonForm, RefundStatus, ShareClassForm, SubscriptionForm,
    SubscriptionStatus, TransferForm,
};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::shares::{NewShareClass, OperationFilter};
use serde::Deserialize;
use serde_json::json;

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::pages::shares::TestsForm;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/share-classes", get(classes).post(create_class))
        .route("/share-subscriptions", get(subscriptions).post(request))
        .route("/share-subscriptions/{id}", get(subscription))
        .route("/share-subscriptions/{id}/refuse", post(refuse))
        .route("/share-subscriptions/{id}/payments", post(pay))
        .route("/share-transfers", post(transfer))
        .route("/share-exits", get(exits).post(create_exit))
        .route("/share-exits/{id}", get(exit))
        .route("/share-exits/{id}/tests", post(release))
        .route("/share-register", get(register))
        .route("/share-operations", get(operations))
        .route("/share-extracts/{person_id}", get(extract))
        .route("/my/shares", get(my_extract))
}

fn authorize(api: &ApiUser, action: Action) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, Target::Governance) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

fn invalid(api: &ApiUser, e: &FieldErrors) -> ApiError {
    ApiError::invalid(e, api.lang())
}

fn day(api: &ApiUser, on: Option<&str>) -> Result<Date, ApiError> {
    match on {
        None => Ok(today()),
        Some(d) => d
            .trim()
            .parse()
            .map_err(|_| invalid(api, &FieldErrors::single("on", "date"))),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
    on: Option<String>,
    person_id: Option<i64>,
    kind: Option<String>,
    year: Option<i32>,
}

pub async fn classes(api: ApiUser, State(state): State<AppState>) -> ApiResult {
    authorize(&api, Action::List)?;
    ok(state
        .store
        .share_classes()
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_class(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<ShareClassForm>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Create)?;
    let draft = api.body(json)?.parse().map_err(|e| invalid(&api, &e))?;
    let new = NewShareClass {
        code: draft.code,
        name: draft.name,
        nominal_cents: draft.rules.nominal_cents,
        votes_per_share: draft.rules.votes_per_share,
        eligible: draft.rules.eligible.code().to_string(),
        minimum_holding: draft.rules.minimum_holding,
    };
    match state.store.create_share_class(&api.audit(), &new).await {
        Ok(c) => created(c),
        Err(ruche_store::StoreError::Duplicate { .. }) => {
            Err(invalid(&api, &FieldErrors::single("shr_code", "taken")))
        }
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn subscriptions(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    authorize(&api, Action::List)?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            SubscriptionStatus::parse(s)
                .ok_or_else(|| invalid(&api, &FieldErrors::single("status", "format")))?,
        ),
    };
    ok(state
        .store
        .share_subscriptions(status, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn subscription(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    authorize(&api, Action::View)?;
    ok(state
        .store
        .share_subscription(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn request(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<SubscriptionForm>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Create)?;
    let new = api.body(json)?.parse().map_err(|e| invalid(&api, &e))?;
    created(
        state
            .store
            .request_subscription(&api.audit(), &new)
            .await
            .map_err(|e| api.store_error(e))?,
    )
}

pub async fn refuse(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ReasonForm>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Decide)?;
    let reason = api
        .body(json)?
        .parse(false)
        .map_err(|e| invalid(&api, &e))?;
    ok(state
        .store
        .refuse_subscription(&api.audit(), id, &reason, today())
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn pay(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<PaymentForm>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Decide)?;
    let payment = api.body(json)?.parse().map_err(|e| invalid(&api, &e))?;
    ok(state
        .store
        .record_share_payment(&api.audit(), id, &payment)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn transfer(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<TransferForm>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Create)?;
    let t = api.body(json)?.parse().map_err(|e| invalid(&api, &e))?;
    let (out, into) = state
        .store
        .transfer_shares(&api.audit(), &t)
        .await
        .map_err(|e| api.store_error(e))?;
    created(json!({ "transfer_out": out, "transfer_in": into }))
}

/// A resignation or an exclusion: the exit form and its kind.
#[derive(Deserialize, Default)]
pub struct ExitInput {
    #[serde(default)]
    kind: String,
    #[serde(flatten)]
    form: ExitForm,
}

pub async fn exits(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    authorize(&api, Action::List)?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            RefundStatus::parse(s)
                .ok_or_else(|| invalid(&api, &FieldErrors::single("status", "format")))?,
        ),
    };
    ok(state
        .store
        .share_exits(status, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn exit(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    authorize(&api, Action::View)?;
    ok(state
        .store
        .share_exit(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_exit(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<ExitInput>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Decide)?;
    let input = api.body(json)?;
    let exclusion = match input.kind.as_str() {
        "resignation" => false,
        "exclusion" => true,
        _ => return Err(invalid(&api, &FieldErrors::single("kind", "required"))),
    };
    let exit = input.form.parse(exclusion).map_err(|e| invalid(&api, &e))?;
    created(
        state
            .store
            .record_share_exit(&api.audit(), exclusion, &exit)
            .await
            .map_err(|e| api.store_error(e))?,
    )
}

pub async fn release(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<TestsForm>, JsonRejection>,
) -> ApiResult {
    authorize(&api, Action::Decide)?;
    let tests = api.body(json)?.parse().map_err(|e| invalid(&api, &e))?;
    ok(state
        .store
        .release_share_refund(&api.audit(), id, &tests, today())
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn register(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    authorize(&api, Action::List)?;
    let on = day(&api, q.on.as_deref())?;
    ok(state
        .store
        .share_register_at(on, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn operations(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    authorize(&api, Action::List)?;
    let filter = OperationFilter {
        person_id: q.person_id,
        kind: q.kind.clone(),
        year: q.year,
    };
    ok(state
        .store
        .share_operations(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn extract(
    api: ApiUser,
    State(state): State<AppState>,
    Path(person_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    authorize(&api, Action::View)?;
    let on = day(&api, q.on.as_deref())?;
    ok(state
        .store
        .share_extract(person_id, on)
        .await
        .map_err(|e| api.store_error(e))?)
}

/// The caller's own extract: any signed-in person, only theirs.
pub async fn my_extract(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let on = day(&api, q.on.as_deref())?;
    ok(state
        .store
        .share_extract(api.user.person.id, on)
        .await
        .map_err(|e| api.store_error(e))?)
}

/// The OpenAPI description of the share register's and the statutes' endpoints.
pub fn describe(
    paths: &mut serde_json::Map<String, serde_json::Value>,
    schemas: &mut serde_json::Map<String, serde_json::Value>,
) {
    use serde_json::Value;
    let text = json!({ "type": "string" });
    let form = |fields: &[&str]| {
        let props: serde_json::Map<String, Value> = fields
            .iter()
            .map(|f| (f.to_string(), text.clone()))
            .collect();
        json!({ "type": "object", "description": "the page's form: every value is text (amounts `30,00`, dates `YYYY-MM-DD`, checkboxes `on`)", "properties": props })
    };
    schemas.insert(
        "ShareClassForm".into(),
        form(&[
            "shr_code",
            "shr_name",
            "shr_nominal",
            "shr_votes_per_share",
            "shr_eligible",
            "shr_minimum_holding",
        ]),
    );
    schemas.insert(
        "SubscriptionForm".into(),
        form(&["shr_person", "shr_class", "shr_shares", "shr_requested_on"]),
    );
    schemas.insert(
        "ReasonForm".into(),
        form(&["shr_reason_code", "shr_reason_text"]),
    );
    schemas.insert(
        "PaymentForm".into(),
        form(&["shr_paid_on", "shr_amount", "shr_entity"]),
    );
    schemas.insert(
        "TransferForm".into(),
        form(&[
            "shr_from",
            "shr_to",
            "shr_class",
            "shr_shares",
            "shr_transferred_on",
        ]),
    );
    schemas.insert(
        "ExitForm".into(),
        form(&[
            "kind",
            "shr_person",
            "shr_class",
            "shr_notice_on",
            "shr_shares",
            "shr_nav_per_share",
            "shr_accounts_on",
            "shr_refund",
            "shr_net_assets_ok",
            "shr_liquidity_ok",
            "shr_tests_evidence",
            "shr_entity",
            "shr_reason_code",
            "shr_reason_text",
        ]),
    );
    schemas.insert(
        "TestsForm".into(),
        form(&[
            "shr_net_assets_ok",
            "shr_liquidity_ok",
            "shr_tests_evidence",
        ]),
    );
    let mut statutes = form(&[
        "stat_label",
        "stat_effective_from",
        "stat_adopted_on",
        "stat_resolution",
        "stat_vote_weighting",
        "stat_proxies_per_holder",
        "stat_proxy_must_be_member",
        "stat_resignation_months",
        "stat_partial_resignation",
        "stat_dividends_allowed",
        "stat_summary",
    ]);
    statutes["properties"]["articles"] = json!({ "type": "array", "items": form(&["number", "heading", "text_fr", "text_nl", "text_en", "tags"]) });
    schemas.insert("StatuteVersionForm".into(), statutes);

    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let op = |tag: &str, summary: &str, ok: &str, input: Option<&str>, params: &[&str]| {
        let mut responses = serde_json::Map::new();
        responses.insert(
            ok.to_string(),
            json!({ "description": "done", "content": { "application/json": { "schema": { "type": "object" } } } }),
        );
        for (code, d) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (board, administrators; accountants read)",
            ),
            ("404", "not found"),
            (
                "422",
                "invalid input or refused by the rules; each error names its field; nothing was written",
            ),
        ] {
            responses.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        let mut o = json!({ "tags": [tag], "summary": summary, "responses": responses });
        if let Some(input) = input {
            o["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{input}") } } } });
        }
        let params: Vec<Value> = params
            .iter()
            .map(|p| {
                let (name, place) = p.split_once(':').unwrap_or((p, "query"));
                json!({ "name": name, "in": place, "required": place == "path", "schema": { "type": "string" } })
            })
            .collect();
        if !params.is_empty() {
            o["parameters"] = Value::Array(params);
        }
        o
    };
    let t = "shares";
    let mut add = |path: &str, ops: Value| {
        paths.insert(format!("/api/v1{path}"), ops);
    };
    add(
        "/share-classes",
        json!({
        "get": op(t, "Share classes", "200", None, &[]),
        "post": op(t, "Create a share class", "201", Some("ShareClassForm"), &[]) }),
    );
    add(
        "/share-subscriptions",
        json!({
        "get": op(t, "Subscription requests, newest first", "200", None, &["status", "page", "per_page"]),
        "post": op(t, "Request a subscription (eligibility, minimum holding)", "201", Some("SubscriptionForm"), &[]) }),
    );
    add(
        "/share-subscriptions/{id}",
        json!({ "get": op(t, "A subscription request", "200", None, &["id:path"]) }),
    );
    add(
        "/share-subscriptions/{id}/refuse",
        json!({ "post": op(t, "Refuse a request for an objective reason (CNC-1)", "200", Some("ReasonForm"), &["id:path"]) }),
    );
    add(
        "/share-subscriptions/{id}/payments",
        json!({ "post": op(t, "Record a payment: register line and ledger posting", "200", Some("PaymentForm"), &["id:path"]) }),
    );
    add(
        "/share-transfers",
        json!({ "post": op(t, "Transfer shares between two persons", "201", Some("TransferForm"), &[]) }),
    );
    add(
        "/share-exits",
        json!({
        "get": op(t, "Resignations and exclusions", "200", None, &["status", "page", "per_page"]),
        "post": op(t, "Record a resignation (window, all shares) or an exclusion, with the capped refund (ES-5)", "201", Some("ExitForm"), &[]) }),
    );
    add(
        "/share-exits/{id}",
        json!({ "get": op(t, "A resignation or exclusion", "200", None, &["id:path"]) }),
    );
    add(
        "/share-exits/{id}/tests",
        json!({ "post": op(t, "Record the distribution tests of a suspended refund; pays it when both pass", "200", Some("TestsForm"), &["id:path"]) }),
    );
    add(
        "/share-register",
        json!({ "get": op(t, "The register at a date, paged, with totals", "200", None, &["on", "page", "per_page"]) }),
    );
    add(
        "/share-operations",
        json!({ "get": op(t, "The numbered journal of operations", "200", None, &["person_id", "kind", "year", "page", "per_page"]) }),
    );
    add(
        "/share-extracts/{person_id}",
        json!({ "get": op(t, "A member's extract at a date", "200", None, &["person_id:path", "on"]) }),
    );
    add(
        "/my/shares",
        json!({ "get": op(t, "The caller's own extract at a date", "200", None, &["on"]) }),
    );
    let t = "statutes";
    add(
        "/statutes",
        json!({
        "get": op(t, "Statutes versions, latest first", "200", None, &[]),
        "post": op(t, "Add a version (its adopting resolution is checked)", "201", Some("StatuteVersionForm"), &[]) }),
    );
    add(
        "/statutes/in-force",
        json!({ "get": op(t, "The version in force at a date", "200", None, &["on"]) }),
    );
    add(
        "/statutes/compare",
        json!({ "get": op(t, "Article-by-article comparison with a word diff", "200", None, &["from", "to"]) }),
    );
    add(
        "/statutes/{id}",
        json!({ "get": op(t, "A version with its articles", "200", None, &["id:path"]) }),
    );
}
