//! The API of the school of cooperation, with the pages' rules and policy
//! (`pages/school.rs`): list the sessions, read one (its list of registered for the
//! participation staff), register (a place, or the waiting list, said in `status`) and
//! cancel; one's own registrations.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use jiff::civil::Date;
use ruche_domain::policy::{Action, Target};
use ruche_domain::school::SessionStatus;
use ruche_domain::validate::FieldErrors;
use ruche_store::school::SessionFilter;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::pages::school::{brussels_now, registrant};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/school/sessions", get(list))
        .route("/school/sessions/{id}", get(get_one))
        .route(
            "/school/sessions/{id}/registration",
            axum::routing::post(register).delete(cancel),
        )
        .route("/school/registrations", get(mine))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    /// On or after this day (today by default; `all` for every day).
    from: Option<String>,
    to: Option<String>,
    workshop: Option<i64>,
    status: Option<String>,
}

fn day(errors: &mut FieldErrors, field: &'static str, v: Option<&str>) -> Option<Date> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match v.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(field, "date");
                None
            }
        },
    }
}

/// The sessions, in date order: from today by default.
pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::CooperativeLife)?;
    let mut errors = FieldErrors::new();
    let from = match q.from.as_deref() {
        Some("all") => None,
        None => Some(today()),
        other => day(&mut errors, "from", other),
    };
    let to = day(&mut errors, "to", q.to.as_deref());
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let parsed = SessionStatus::parse(s);
            if parsed.is_none() {
                errors.add("status", "format");
            }
            parsed
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let filter = SessionFilter {
        from,
        to,
        workshop_id: q.workshop,
        status,
    };
    let page = state
        .store
        .school_sessions(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// A session, the caller's registration, and the registered for the participation staff.
pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::CooperativeLife)?;
    let session = state
        .store
        .school_session(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let mine = state
        .store
        .school_registration_of(id, api.user.person.id)
        .await
        .map_err(|e| api.store_error(e))?;
    let registrations =
        if ruche_domain::policy::decide(&api.user.actor, Action::Update, Target::CooperativeLife)
            .is_allowed()
        {
            Some(
                state
                    .store
                    .school_session_registrations(id)
                    .await
                    .map_err(|e| api.store_error(e))?,
            )
        } else {
            None
        };
    let places_left = session.places_left();
    ok(
        json!({ "session": session, "places_left": places_left, "registration": mine, "registrations": registrations }),
    )
}

/// Registers the caller: 201 with the registration, whose `status` says `registered` or
/// `waiting` (the session was full; `position` in the waiting list). A full session without
/// a waiting list answers 422 `school-session-full`.
pub async fn register(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::Create, Target::CooperativeLife)?;
    let (now, at) = brussels_now();
    let r = state
        .store
        .register_for_school_session(&api.audit(), id, registrant(&api.user), now, at)
        .await
        .map_err(|e| api.store_error(e))?;
    created(r)
}

/// Cancels the caller's registration: the cancelled registration and who got the place.
pub async fn cancel(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    api.authorize(Action::Create, Target::CooperativeLife)?;
    let (now, at) = brussels_now();
    let out = state
        .store
        .cancel_school_registration(&api.audit(), id, api.user.person.id, now, at)
        .await
        .map_err(|e| api.store_error(e))?;
    // The promoted persons' names are not the caller's business.
    ok(json!({ "cancelled": out.cancelled, "promoted": out.promoted.len() }))
}

/// The caller's registrations (not cancelled) from today on.
pub async fn mine(api: ApiUser, State(state): State<AppState>) -> ApiResult {
    api.authorize(Action::List, Target::CooperativeLife)?;
    let rows = state
        .store
        .person_school_registrations(api.user.person.id, Some(today()))
        .await
        .map_err(|e| api.store_error(e))?;
    let items: Vec<Value> = rows
        .into_iter()
        .map(|(s, r)| json!({ "session": s, "registration": r }))
        .collect();
    ok(json!({ "items": items }))
}

/// The OpenAPI paths of this module.
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
                "refused by the policy (the usage contract is not accepted, or not the participation staff)",
            ),
            ("404", "no such session"),
            (
                "422",
                "refused with its reason: school-session-full, school-registration-closed, school-already-registered, school-staff-only, school-members-only, school-not-registered",
            ),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    schemas.insert(
        "SchoolSession".into(),
        json!({ "type": "object", "description": "A session: id, workshop_id, theme, audience (members | staff | both), title_fr, title_nl, held_on, start_time, end_time (HH:MM, Brussels), language, office_id, office_name, online_url, capacity, waiting_list, status (planned | cancelled | held), registered, waiting." }),
    );
    schemas.insert(
        "SchoolRegistration".into(),
        json!({ "type": "object", "description": "A registration: id, session_id, person_id, person_name, status (registered | waiting | cancelled), queue_no, position (on the waiting list), registered_at, promoted_at, reminded_on, attendance (attended | absent)." }),
    );
    paths.insert(
        "/school/sessions".into(),
        json!({ "get": { "summary": "Sessions of the school of cooperation, in date order", "tags": ["school"],
            "parameters": [
                { "name": "from", "in": "query", "schema": { "type": "string" }, "description": "YYYY-MM-DD (today by default) or all" },
                { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" } },
                { "name": "workshop", "in": "query", "schema": { "type": "integer" } },
                { "name": "status", "in": "query", "schema": { "type": "string" } },
                { "name": "page", "in": "query", "schema": { "type": "integer" } },
                { "name": "per_page", "in": "query", "schema": { "type": "integer" } } ],
            "responses": errors("200", "a page of SchoolSession") } }),
    );
    paths.insert(
        "/school/sessions/{id}".into(),
        json!({ "get": { "summary": "A session, the caller's registration, the registered (participation staff)", "tags": ["school"],
            "parameters": [id_param],
            "responses": errors("200", "{ session, places_left, registration, registrations }") } }),
    );
    paths.insert(
        "/school/sessions/{id}/registration".into(),
        json!({
            "post": { "summary": "Register (a place, or the waiting list when full)", "tags": ["school"],
                "parameters": [id_param],
                "responses": errors("201", "the SchoolRegistration; status waiting means the session was full") },
            "delete": { "summary": "Cancel one's registration (the first on the waiting list gets the place)", "tags": ["school"],
                "parameters": [id_param],
                "responses": errors("200", "{ cancelled, promoted }") } }),
    );
    paths.insert(
        "/school/registrations".into(),
        json!({ "get": { "summary": "The caller's upcoming registrations", "tags": ["school"],
            "responses": errors("200", "{ items: [{ session, registration }] }") } }),
    );
}
