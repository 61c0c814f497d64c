//! The API of the ethics committee, with the pages' rules (`pages/ethics.rs`): the published
//! opinions (drafts for the committee's staff), one's referrals (the queue for the staff),
//! referring a subject.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use ruche_domain::ethics::{OpinionStatus, ReferralForm, ReferralStatus};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::ethics::{OpinionFilter, ReferralFilter};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;

const TARGET: Target = Target::CooperativeLife;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ethics/opinions", get(opinions))
        .route("/ethics/opinions/{id}", get(opinion))
        .route("/ethics/referrals", get(referrals).post(refer))
        .route("/ethics/referrals/{id}", get(referral))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
}

fn staff(api: &ApiUser) -> bool {
    decide(&api.user.actor, Action::Decide, TARGET).is_allowed()
}

/// The published opinions; `status=draft` or `all` for the committee's staff.
pub async fn opinions(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::View, TARGET)?;
    let status = match q.status.as_deref() {
        None | Some("") | Some("published") => Some(OpinionStatus::Published),
        Some("draft") if staff(&api) => Some(OpinionStatus::Draft),
        Some("all") if staff(&api) => None,
        Some(_) => {
            return Err(ApiError::invalid(
                &FieldErrors::single("status", "format"),
                api.lang(),
            ));
        }
    };
    let page = state
        .store
        .ethics_opinions(
            &OpinionFilter {
                status,
                ..OpinionFilter::default()
            },
            paging(q.page, q.per_page),
        )
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// One opinion: a draft is the committee staff's only (404 for anyone else).
pub async fn opinion(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, TARGET)?;
    let o = state
        .store
        .ethics_opinion(id)
        .await
        .map_err(|e| api.store_error(e))?;
    if !o.is_published() && !staff(&api) {
        return Err(ApiError::not_found(api.lang()));
    }
    ok(o)
}

/// One's own referrals, or the committee's queue (every referral, `status` = open, all or a
/// status) for its staff.
pub async fn referrals(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::View, TARGET)?;
    let status = match q.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(s) if s == "open" || ReferralStatus::parse(s).is_some() => Some(s.to_string()),
        Some(_) => {
            return Err(ApiError::invalid(
                &FieldErrors::single("status", "format"),
                api.lang(),
            ));
        }
    };
    let person_id = (!staff(&api)).then_some(api.user.person.id);
    let page = state
        .store
        .ethics_referrals(
            &ReferralFilter { person_id, status },
            paging(q.page, q.per_page),
        )
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// One referral: its referrer's and the committee staff's (404 for anyone else).
pub async fn referral(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, TARGET)?;
    let r = state
        .store
        .ethics_referral(id)
        .await
        .map_err(|e| api.store_error(e))?;
    if r.person_id != api.user.person.id && !staff(&api) {
        return Err(ApiError::not_found(api.lang()));
    }
    ok(r)
}

/// Refers a subject (`ethics_subject`, `ethics_question`). 201 with the referral.
pub async fn refer(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<ReferralForm>, JsonRejection>,
) -> ApiResult {
    if decide(&api.user.actor, Action::Create, TARGET) != Decision::Allowed {
        return Err(ApiError::forbidden(api.lang()));
    }
    let form = api.body(json)?;
    let new = form
        .parse(api.user.person.id, today())
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    let r = state
        .store
        .refer_to_ethics(&api.audit(), &new, ruche_store::now_micros())
        .await
        .map_err(|e| api.store_error(e))?;
    created(r)
}

/// The OpenAPI paths and schemas of this module.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let responses = |ok: &str, description: &str| {
        let mut out = Map::new();
        out.insert(ok.into(), json!({ "description": description }));
        for (code, d) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (not signed in as a member or staff, or the usage contract is not accepted)",
            ),
            (
                "404",
                "no such record, or not readable: a draft opinion is the committee staff's, a referral its referrer's and the staff's",
            ),
            ("422", "invalid input; each error names its field"),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let paging = [
        json!({ "name": "page", "in": "query", "schema": { "type": "integer" } }),
        json!({ "name": "per_page", "in": "query", "schema": { "type": "integer" } }),
    ];
    schemas.insert(
        "EthicsReferralInput".into(),
        json!({ "type": "object", "required": ["ethics_subject", "ethics_question"],
            "properties": {
                "ethics_subject": { "type": "string", "description": "at most 150 characters" },
                "ethics_question": { "type": "string", "description": "at most 5,000 characters" } } }),
    );
    schemas.insert(
        "EthicsOpinion".into(),
        json!({ "type": "object", "description": "An opinion or recommendation: id, referral_id (null: own initiative), referral_subject, kind (opinion | recommendation), subject, body, meeting_id, adopted_on, status (draft | published), published_on." }),
    );
    schemas.insert(
        "EthicsReferral".into(),
        json!({ "type": "object", "description": "A referral: id, person_id, referrer_name, subject, question, received_on, status (received | under-review | opinion-given | declined), decline_reason." }),
    );
    paths.insert(
        "/ethics/opinions".into(),
        json!({ "get": { "summary": "The committee's published opinions (drafts for its staff)", "tags": ["ethics"],
            "parameters": [ { "name": "status", "in": "query", "schema": { "type": "string" }, "description": "published (default); draft or all for the committee's staff" }, paging[0], paging[1] ],
            "responses": responses("200", "a page of EthicsOpinion") } }),
    );
    paths.insert(
        "/ethics/opinions/{id}".into(),
        json!({ "get": { "summary": "One opinion", "tags": ["ethics"], "parameters": [id_param],
            "responses": responses("200", "an EthicsOpinion") } }),
    );
    paths.insert(
        "/ethics/referrals".into(),
        json!({
            "get": { "summary": "One's referrals, or the committee's queue for its staff", "tags": ["ethics"],
                "parameters": [ { "name": "status", "in": "query", "schema": { "type": "string" }, "description": "open, all, or a status" }, paging[0], paging[1] ],
                "responses": responses("200", "a page of EthicsReferral") },
            "post": { "summary": "Refer a subject to the committee", "tags": ["ethics"],
                "requestBody": { "content": { "application/json": { "schema": reference("EthicsReferralInput") } } },
                "responses": responses("201", "the EthicsReferral, received") } }),
    );
    paths.insert(
        "/ethics/referrals/{id}".into(),
        json!({ "get": { "summary": "One referral", "tags": ["ethics"], "parameters": [id_param],
            "responses": responses("200", "an EthicsReferral") } }),
    );
}
