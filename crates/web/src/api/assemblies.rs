//! The API of general assemblies, with the pages' rules: the board (governance `Update`)
//! creates assemblies and resolutions, convenes, opens, marks attendance, keeps proxies,
//! opens and closes votes and the assembly; governance viewers read everything, with the
//! live or kept tally (raw and effective votes, the 1/10 cap); any shareholder casts their
//! ballots (and their principals') with `POST /assemblies/{id}/ballots`.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use ruche_domain::governance::convocation::AssemblyForm;
use ruche_domain::governance::vote::{Choice, ResolutionForm};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::i18n;
use crate::pages::assemblies::{close_now, convene_now, resolution_views};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assemblies", get(list).post(create))
        .route("/assemblies/{id}", get(get_one))
        .route("/assemblies/{id}/resolutions", post(add_resolution))
        .route("/assemblies/{id}/convene", post(convene))
        .route("/assemblies/{id}/open", post(open))
        .route("/assemblies/{id}/close", post(close))
        .route("/assemblies/{id}/attendance", post(attendance))
        .route("/assemblies/{id}/proxies", get(proxies).post(give_proxy))
        .route("/assemblies/{id}/ballots", post(ballot))
        .route("/resolutions/{id}/open", post(open_resolution))
        .route("/resolutions/{id}/close", post(close_resolution))
        .route("/resolutions/{id}/tally", get(tally))
}

fn allowed(api: &ApiUser, action: Action) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, Target::Governance) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

/// A store refusal as a problem naming the field and the rule; nothing was written.
fn refused(api: &ApiUser, e: StoreError, field: &str) -> ApiError {
    match e {
        StoreError::Conflict(code) => {
            ApiError::conflict(field, code, i18n::field_error(api.lang(), code), api.lang())
        }
        StoreError::Refused(errors) => ApiError::invalid(&errors, api.lang()),
        other => api.store_error(other),
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    allowed(&api, Action::List)?;
    ok(state
        .store
        .assemblies(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<AssemblyForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    created(
        state
            .store
            .create_assembly(&api.ctx.audit(), &new)
            .await
            .map_err(|e| api.store_error(e))?,
    )
}

/// The assembly with its agenda and tallies, attendance, proxies and voting rules.
pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    allowed(&api, Action::View)?;
    let err = |e| api.store_error(e);
    let assembly = state.store.assembly(id).await.map_err(err)?;
    let resolutions: Vec<Value> = resolution_views(&state, id)
        .await
        .map_err(|_| ApiError::internal())?
        .into_iter()
        .map(|v| json!({ "resolution": v.r, "tally": v.outcome }))
        .collect();
    ok(json!({
        "assembly": assembly,
        "convene_deadline": assembly.convene_deadline(),
        "rules": state.store.assembly_vote_rules(id).await.map_err(err)?,
        "members_convened": state.store.members_convened(id).await.map_err(err)?,
        "attendance": state.store.attendance(id).await.map_err(err)?,
        "proxies": state.store.proxies(id).await.map_err(err)?,
        "resolutions": resolutions,
    }))
}

pub async fn add_resolution(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ResolutionForm>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let new = api
        .body(json)?
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    created(
        state
            .store
            .add_resolution(&api.ctx.audit(), id, &new)
            .await
            .map_err(|e| refused(&api, e, "assembly"))?,
    )
}

pub async fn convene(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    ok(convene_now(&state, &api.ctx, id)
        .await
        .map_err(|e| refused(&api, e, "assembly"))?)
}

pub async fn open(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    allowed(&api, Action::Update)?;
    ok(state
        .store
        .open_assembly(&api.ctx.audit(), id)
        .await
        .map_err(|e| refused(&api, e, "assembly"))?)
}

/// Closes the assembly and keeps its minutes (PDF and SHA-256).
pub async fn close(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    allowed(&api, Action::Update)?;
    match close_now(&state, &api.ctx, id).await {
        Ok(()) => ok(state
            .store
            .assembly(id)
            .await
            .map_err(|e| api.store_error(e))?),
        Err(crate::error::AppError::Store(e)) => Err(refused(&api, e, "assembly")),
        Err(_) => Err(ApiError::internal()),
    }
}

#[derive(Deserialize)]
pub struct AttendanceBody {
    person_id: i64,
    /// `true` (default): present in the room; `false`: taken off the list.
    #[serde(default = "yes")]
    present: bool,
}

fn yes() -> bool {
    true
}

pub async fn attendance(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<AttendanceBody>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let body = api.body(json)?;
    let store = &state.store;
    let r = if body.present {
        store
            .mark_present(&api.ctx.audit(), id, body.person_id, "room")
            .await
            .map(|_| ())
    } else {
        store
            .mark_absent(&api.ctx.audit(), id, body.person_id)
            .await
    };
    r.map_err(|e| refused(&api, e, "person_id"))?;
    ok(store.attendance(id).await.map_err(|e| api.store_error(e))?)
}

pub async fn proxies(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    allowed(&api, Action::View)?;
    ok(state
        .store
        .proxies(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

#[derive(Deserialize)]
pub struct ProxyBody {
    /// Omitted: the token's own person gives the proxy.
    principal_person_id: Option<i64>,
    holder_person_id: i64,
}

/// Registers a proxy. The board registers any; a member gives their own.
pub async fn give_proxy(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ProxyBody>, JsonRejection>,
) -> ApiResult {
    let body = api.body(json)?;
    let me = api.user.person.id;
    let principal = body.principal_person_id.unwrap_or(me);
    if principal != me {
        allowed(&api, Action::Update)?;
    }
    created(
        state
            .store
            .give_proxy(&api.ctx.audit(), id, principal, body.holder_person_id)
            .await
            .map_err(|e| refused(&api, e, "holder_person_id"))?,
    )
}

#[derive(Deserialize)]
pub struct BallotBody {
    resolution_id: i64,
    /// Omitted: the token's own votes; otherwise a principal whose proxy the token holds.
    principal_person_id: Option<i64>,
    choice: String,
}

/// Casts one block of votes as the token's person. Being present: casting online marks
/// the person present, like opening the vote page.
pub async fn ballot(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<BallotBody>, JsonRejection>,
) -> ApiResult {
    let body = api.body(json)?;
    let Some(choice) = Choice::parse(&body.choice) else {
        return Err(ApiError::invalid(
            &FieldErrors::single("choice", "ga-vote-choose"),
            api.lang(),
        ));
    };
    let me = api.user.person.id;
    let resolution = state
        .store
        .resolution(body.resolution_id)
        .await
        .map_err(|e| api.store_error(e))?;
    if resolution.assembly_id != id {
        return Err(api.store_error(StoreError::NotFound));
    }
    let view = state
        .store
        .voter_view(id, me)
        .await
        .map_err(|e| api.store_error(e))?;
    if !view.blocks.is_empty() {
        // Only an open assembly takes attendance; a refusal comes with the ballot below.
        let _ = state
            .store
            .mark_present(&api.ctx.audit(), id, me, "online")
            .await;
    }
    created(
        state
            .store
            .cast_ballot(
                &api.ctx.audit(),
                body.resolution_id,
                body.principal_person_id.unwrap_or(me),
                me,
                choice,
            )
            .await
            .map_err(|e| refused(&api, e, "resolution_id"))?,
    )
}

pub async fn open_resolution(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    ok(state
        .store
        .open_resolution(&api.ctx.audit(), id)
        .await
        .map_err(|e| refused(&api, e, "resolution"))?)
}

pub async fn close_resolution(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    allowed(&api, Action::Update)?;
    let r = state
        .store
        .close_resolution(&api.ctx.audit(), id)
        .await
        .map_err(|e| refused(&api, e, "resolution"))?;
    let tally = r.outcome().map_err(|e| api.store_error(e))?;
    ok(json!({ "resolution": r, "tally": tally }))
}

/// The tally: kept at closing, live while the vote is open.
pub async fn tally(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    allowed(&api, Action::View)?;
    ok(state
        .store
        .resolution_tally(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let problem = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
    let responses = |ok: &str, description: &str| {
        json!({
            ok: { "description": description, "content": { "application/json": {} } },
            "401": { "description": "missing or revoked token", "content": problem },
            "403": { "description": "refused by the policy", "content": problem },
            "404": { "description": "not found", "content": problem },
            "409": { "description": "refused by the stored state (status, vote closed, second vote, delegation); nothing was written", "content": problem },
            "422": { "description": "invalid input or a proxy refused by the statutes; each error names its field and the rule", "content": problem },
        })
    };
    let id =
        json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
    let body = |props: Value, required: Value| {
        json!({ "required": true, "content": { "application/json": { "schema": {
            "type": "object", "required": required, "properties": props } } } })
    };
    let tag = json!(["assemblies"]);
    let op = |summary: &str, ok_code: &str, ok_desc: &str| json!({ "summary": summary, "tags": tag, "parameters": id, "responses": responses(ok_code, ok_desc) });
    paths.insert("/api/v1/assemblies".into(), json!({
        "get": { "summary": "General assemblies, latest first (governance viewers)", "tags": tag, "responses": responses("200", "a page of assemblies") },
        "post": { "summary": "Create an assembly (draft)", "tags": tag, "responses": responses("201", "the assembly"),
            "requestBody": body(json!({
                "ga_kind": { "type": "string", "enum": ["ordinary", "extraordinary"] },
                "ga_title": { "type": "string" },
                "ga_held_on": { "type": "string", "format": "date" },
                "ga_starts_at": { "type": "string", "example": "18:30" },
                "ga_place": { "type": "string" },
                "ga_online": { "type": "string", "description": "any non-empty value: also online" }
            }), json!(["ga_kind", "ga_title", "ga_held_on", "ga_starts_at"])) }
    }));
    paths.insert("/api/v1/assemblies/{id}".into(), json!({
        "get": op("The assembly with its agenda and tallies (raw and effective votes, cap, quorum), attendance, proxies and voting rules", "200", "the assembly")
    }));
    let mut add = op(
        "Put a resolution on the agenda of a draft assembly; quorum and majority default from the kind",
        "201",
        "the resolution",
    );
    add["requestBody"] = body(
        json!({
            "ga_res_title": { "type": "string" }, "ga_res_body": { "type": "string" },
            "ga_res_kind": { "type": "string", "enum": ["ordinary", "statutes", "object", "appointment", "allowance", "appropriation", "accounts", "discharge", "other"] },
            "ga_quorum_rule": { "type": "string", "enum": ["", "none", "half_of_shares"] },
            "ga_majority_rule": { "type": "string", "enum": ["", "simple", "two_thirds", "three_quarters", "four_fifths"] }
        }),
        json!(["ga_res_title", "ga_res_kind"]),
    );
    paths.insert(
        "/api/v1/assemblies/{id}/resolutions".into(),
        json!({ "post": add }),
    );
    paths.insert("/api/v1/assemblies/{id}/convene".into(), json!({ "post": op("Convene every shareholder today (one mail each, in their language); at least 15 days before", "200", "the assembly") }));
    paths.insert(
        "/api/v1/assemblies/{id}/open".into(),
        json!({ "post": op("Open the session", "200", "the assembly") }),
    );
    paths.insert("/api/v1/assemblies/{id}/close".into(), json!({ "post": op("Close the assembly; the minutes PDF is rendered once and kept with its SHA-256", "200", "the assembly") }));
    let mut att = op(
        "Mark a person present (or not) in the room",
        "200",
        "the attendance list",
    );
    att["requestBody"] = body(
        json!({ "person_id": { "type": "integer" }, "present": { "type": "boolean", "default": true } }),
        json!(["person_id"]),
    );
    paths.insert(
        "/api/v1/assemblies/{id}/attendance".into(),
        json!({ "post": att }),
    );
    let mut give = op(
        "Register a proxy (a member their own; the board anyone's), within the statutes' limits",
        "201",
        "the proxy",
    );
    give["requestBody"] = body(
        json!({ "principal_person_id": { "type": "integer" }, "holder_person_id": { "type": "integer" } }),
        json!(["holder_person_id"]),
    );
    paths.insert(
        "/api/v1/assemblies/{id}/proxies".into(),
        json!({ "get": op("The proxy register", "200", "the proxies"), "post": give }),
    );
    let mut cast = op(
        "Cast one block of votes: one's own, or a principal's as their proxy holder; once, while the vote is open",
        "201",
        "the ballot",
    );
    cast["requestBody"] = body(
        json!({ "resolution_id": { "type": "integer" }, "principal_person_id": { "type": "integer" }, "choice": { "type": "string", "enum": ["yes", "no", "abstain"] } }),
        json!(["resolution_id", "choice"]),
    );
    paths.insert(
        "/api/v1/assemblies/{id}/ballots".into(),
        json!({ "post": cast }),
    );
    paths.insert(
        "/api/v1/resolutions/{id}/open".into(),
        json!({ "post": op("Open the vote on a resolution", "200", "the resolution") }),
    );
    paths.insert("/api/v1/resolutions/{id}/close".into(), json!({ "post": op("Close the vote: the tally is kept and the resolution adopted or rejected", "200", "the resolution and its tally") }));
    paths.insert("/api/v1/resolutions/{id}/tally".into(), json!({ "get": op("The tally: raw and effective votes per holder and in total, T, the cap, quorum, result", "200", "the tally") }));
}
