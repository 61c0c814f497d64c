//! The API of prevention and diversity, with the pages' rules and policy
//! (`pages/prevention.rs`): the prevention staff and the administrators list the register,
//! the prevention actions and the diversity plan; any staff member reports an incident (the
//! answer then carries its number only: the register holds health data).

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use ruche_domain::policy::{Action, Target, decide};
use ruche_domain::prevention::{
    ActionOrigin, ActionStatus, DiversityAxis, IncidentForm, IncidentNature, IncidentStatus,
};
use ruche_domain::validate::FieldErrors;
use ruche_store::prevention::{ActionFilter, IncidentFilter};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::error::AppError;
use crate::forms::FormView;
use crate::pages::prevention::report;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/prevention/incidents",
            get(list_incidents).post(create_incident),
        )
        .route("/prevention/actions", get(list_actions))
        .route("/prevention/diversity", get(list_diversity))
}

#[derive(Deserialize, Default)]
pub struct IncidentsQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
    nature: Option<String>,
    year: Option<i16>,
    undeclared: Option<bool>,
}

/// A code of a filter: absent or empty is "any", an unknown one is refused.
fn code<T>(
    errors: &mut FieldErrors,
    field: &'static str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let v = value.filter(|v| !v.is_empty())?;
    let parsed = parse(v);
    if parsed.is_none() {
        errors.add(field, "format");
    }
    parsed
}

pub async fn list_incidents(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<IncidentsQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Prevention)?;
    let mut errors = FieldErrors::new();
    let status = code(
        &mut errors,
        "status",
        q.status.as_deref(),
        IncidentStatus::parse,
    );
    let nature = code(
        &mut errors,
        "nature",
        q.nature.as_deref(),
        IncidentNature::parse,
    );
    if q.year.is_some_and(|y| !(1900..=2998).contains(&y)) {
        errors.add("year", "format");
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let page = state
        .store
        .incidents(
            &IncidentFilter {
                status,
                nature,
                year: q.year,
                undeclared: q.undeclared.unwrap_or(false),
            },
            paging(q.page, q.per_page),
        )
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// Reports an incident (the form's names, as JSON). 201 with the entry for the prevention
/// staff, with its number only for anyone else.
pub async fn create_incident(
    api: ApiUser,
    State(state): State<AppState>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Prevention)?;
    let map = api.body(body)?;
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
    let form: IncidentForm = FormView::new(fields)
        .decode()
        .map_err(|e| ApiError::bad_json(e, api.lang()))?;
    match report(&state, &form, &api.audit()).await {
        Ok(Ok(r)) => {
            if decide(&api.user.actor, Action::View, Target::Prevention).is_allowed() {
                created(r)
            } else {
                created(json!({ "id": r.id, "status": r.status }))
            }
        }
        Ok(Err(errors)) => Err(ApiError::invalid(&errors, api.lang())),
        Err(AppError::Store(e)) => Err(api.store_error(e)),
        Err(other) => {
            tracing::error!(error = %other, "prevention API");
            Err(ApiError::internal())
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ActionsQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
    origin: Option<String>,
    axis: Option<String>,
}

fn status_filter(errors: &mut FieldErrors, status: Option<&str>) -> Option<String> {
    match status {
        None | Some("") | Some("all") => None,
        Some(s) if s == "open" || ActionStatus::parse(s).is_some() => Some(s.to_string()),
        Some(_) => {
            errors.add("status", "format");
            None
        }
    }
}

pub async fn list_actions(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ActionsQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Prevention)?;
    let mut errors = FieldErrors::new();
    let status = status_filter(&mut errors, q.status.as_deref());
    let origin = code(
        &mut errors,
        "origin",
        q.origin.as_deref(),
        ActionOrigin::parse,
    );
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let page = state
        .store
        .prevention_actions(
            &ActionFilter {
                status,
                kind: origin.map(|o| o.code().to_string()),
                ..ActionFilter::default()
            },
            paging(q.page, q.per_page),
        )
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub async fn list_diversity(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ActionsQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Prevention)?;
    let mut errors = FieldErrors::new();
    let status = status_filter(&mut errors, q.status.as_deref());
    let axis = code(&mut errors, "axis", q.axis.as_deref(), DiversityAxis::parse);
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let page = state
        .store
        .diversity_actions(
            &ActionFilter {
                status,
                kind: axis.map(|a| a.code().to_string()),
                ..ActionFilter::default()
            },
            paging(q.page, q.per_page),
        )
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
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
                "refused by the policy: the register, the actions and the diversity plan are read by the prevention staff and administrators; any staff member may report",
            ),
            ("422", "invalid input; each error names its field"),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let text = |d: &str| json!({ "type": "string", "description": d });
    let query = |name: &str, ty: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": ty }, "description": d });
    let page = [
        query("page", "integer", "page number, from 1"),
        query("per_page", "integer", "rows per page (at most 200)"),
    ];
    schemas.insert(
        "IncidentInput".into(),
        json!({ "type": "object", "required": ["prv_date", "prv_time", "prv_nature", "prv_severity"],
            "description": "An entry of the incident and work-accident register, as the page's form.",
            "properties": {
                "prv_date": { "type": "string", "format": "date", "description": "not in the future" },
                "prv_time": text("HH:MM"),
                "prv_office": text("id of an office (the site), or give prv_place"),
                "prv_place": text("the place in free text"),
                "prv_person": text("id of the person concerned; optional for a near miss"),
                "prv_nature": { "type": "string", "enum": IncidentNature::codes() },
                "prv_severity": { "type": "string", "enum": ruche_domain::prevention::Severity::codes() },
                "prv_injury": text("required unless the severity is none"),
                "prv_witnesses": text("optional"),
                "prv_measures": text("immediate measures, optional"),
                "prv_days_lost": text("working days lost, 0 for a near miss"),
                "prv_declared_on": { "type": "string", "format": "date", "description": "declaration to the work-accident insurer (deadline: accident date + 8 days)" } } }),
    );
    schemas.insert(
        "Incident".into(),
        json!({ "type": "object", "description": "An entry: id, occurred_on, occurred_time, office_id, office_name, place, person_id, person_name, nature, severity, injury, witnesses, measures, days_lost, declared_on, status (open | closed), closed_on, reported_by, reported_at." }),
    );
    let mut incident_params: Vec<Value> = vec![
        query("status", "string", "open | closed"),
        query("nature", "string", "a nature code"),
        query("year", "integer", "occurred in this calendar year"),
        query(
            "undeclared",
            "boolean",
            "only accidents to declare not declared yet",
        ),
    ];
    incident_params.extend(page.iter().cloned());
    paths.insert(
        "/prevention/incidents".into(),
        json!({
            "get": { "summary": "The incident and work-accident register (prevention staff)", "tags": ["prevention"],
                "parameters": incident_params,
                "responses": errors("200", "a page of entries") },
            "post": { "summary": "Report an incident (any staff member)", "tags": ["prevention"],
                "requestBody": { "content": { "application/json": { "schema": reference("IncidentInput") } } },
                "responses": errors("201", "the entry (prevention staff), or { id, status } for other staff") } }),
    );
    let mut action_params: Vec<Value> = vec![
        query(
            "status",
            "string",
            "open, all, planned, in-progress, done or cancelled",
        ),
        query(
            "origin",
            "string",
            "risk-sheet, incident, committee, inspection or other",
        ),
    ];
    action_params.extend(page.iter().cloned());
    paths.insert(
        "/prevention/actions".into(),
        json!({ "get": { "summary": "Prevention actions of the global and yearly plans", "tags": ["prevention"],
            "parameters": action_params,
            "responses": errors("200", "a page of actions: id, title, origin, plan, owner, due_on, status, started_on, ended_on") } }),
    );
    let mut diversity_params: Vec<Value> = vec![
        query(
            "status",
            "string",
            "open, all, planned, in-progress, done or cancelled",
        ),
        query("axis", "string", "an axis of the diversity plan"),
    ];
    diversity_params.extend(page.iter().cloned());
    paths.insert(
        "/prevention/diversity".into(),
        json!({ "get": { "summary": "The diversity plan's actions", "tags": ["prevention"],
            "parameters": diversity_params,
            "responses": errors("200", "a page of actions: id, title, axis, owner, target, due_on, status, result") } }),
    );
}
