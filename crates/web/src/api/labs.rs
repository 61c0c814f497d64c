//! The API of the labs, with the pages' policy (`pages/labs.rs`): the list (filtered by
//! status and model) and a lab with its members, meetings and outputs.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use ruche_domain::labs::{LabModel, LabStatus};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::labs::LabFilter;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, ok, paging};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/labs", get(list))
        .route("/labs/{id}", get(get_one))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
    model: Option<String>,
}

pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::CooperativeLife)?;
    let mut errors = FieldErrors::new();
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(LabStatus::parse);
    if status == Some(None) {
        errors.add("status", "format");
    }
    let model = q
        .model
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(LabModel::parse);
    if model == Some(None) {
        errors.add("model", "format");
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let filter = LabFilter {
        status: status.flatten(),
        model: model.flatten(),
        person_id: None,
    };
    let page = state
        .store
        .labs(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub async fn get_one(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::CooperativeLife)?;
    let store = &state.store;
    let lab = store.lab(id).await.map_err(|e| api.store_error(e))?;
    let members = store
        .lab_members(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let meetings = store
        .lab_meetings(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let outputs = store
        .lab_outputs(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "lab": lab, "members": members, "meetings": meetings, "outputs": outputs }))
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
                "refused by the policy (the usage contract is not accepted)",
            ),
            ("404", "no such lab"),
            ("422", "invalid filter; each error names its field"),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    schemas.insert(
        "Lab".into(),
        json!({ "type": "object", "description": "A lab: id, name, theme, model (sector-co-construction | practice-exchange | network-creation | collective-action | peer-support | coaching), description, status (proposed | active | paused | closed), started_on, ended_on, members, coordinators, meetings, outputs." }),
    );
    paths.insert(
        "/labs".into(),
        json!({ "get": { "summary": "The labs, running ones first", "tags": ["labs"],
            "parameters": [
                { "name": "status", "in": "query", "schema": { "type": "string" } },
                { "name": "model", "in": "query", "schema": { "type": "string" } },
                { "name": "page", "in": "query", "schema": { "type": "integer" } },
                { "name": "per_page", "in": "query", "schema": { "type": "integer" } } ],
            "responses": errors("200", "a page of Lab") } }),
    );
    paths.insert(
        "/labs/{id}".into(),
        json!({ "get": { "summary": "A lab with its members, meetings and outputs", "tags": ["labs"],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": errors("200", "{ lab, members, meetings, outputs }") } }),
    );
}
