//! The API of advocacy and permanent education: the publications, conferences and debates,
//! and network memberships, by year (read by signed-in members and staff).

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, ok, paging};
use crate::AppState;

const TARGET: Target = Target::CooperativeLife;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/advocacy/publications", get(publications))
        .route("/advocacy/events", get(events))
        .route("/advocacy/networks", get(networks))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    year: Option<String>,
}

fn year(api: &ApiUser, q: &ListQuery) -> Result<Option<i16>, ApiError> {
    match q.year.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(y) => y
            .parse::<i16>()
            .ok()
            .filter(|y| (1900..=2998).contains(y))
            .map(Some)
            .ok_or_else(|| ApiError::invalid(&FieldErrors::single("year", "format"), api.lang())),
    }
}

pub async fn publications(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, TARGET)?;
    let y = year(&api, &q)?;
    let page = state
        .store
        .publications(y, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub async fn events(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, TARGET)?;
    let y = year(&api, &q)?;
    let page = state
        .store
        .advocacy_events(y, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// Memberships: those active on 31 December of `year` when given, else all.
pub async fn networks(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, TARGET)?;
    let y = year(&api, &q)?;
    let page = state
        .store
        .networks(y, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

pub fn describe(paths: &mut Map<String, Value>, _schemas: &mut Map<String, Value>) {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let responses = |description: &str| {
        let mut out = Map::new();
        out.insert("200".into(), json!({ "description": description }));
        for (code, d) in [
            ("401", "missing or revoked token"),
            (
                "403",
                "refused by the policy (the usage contract is not accepted)",
            ),
            ("422", "a year that is not a year"),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let params = json!([
        { "name": "year", "in": "query", "schema": { "type": "integer" }, "description": "a calendar year; all years when absent" },
        { "name": "page", "in": "query", "schema": { "type": "integer" } },
        { "name": "per_page", "in": "query", "schema": { "type": "integer" } } ]);
    for (path, summary, what) in [
        (
            "/advocacy/publications",
            "Publications (analyses, studies, articles, books, podcasts)",
            "a page of publications: id, title, kind, published_on, authors, partners, link, language, summary",
        ),
        (
            "/advocacy/events",
            "Conferences, debates, workshops and festival talks",
            "a page of events: id, title, kind, held_on, place, speakers, partners, audience",
        ),
        (
            "/advocacy/networks",
            "Network memberships (active at the year's end when a year is given)",
            "a page of memberships: id, name, kind, since_on, until_on, fee_cents, representative_name",
        ),
    ] {
        paths.insert(
            path.into(),
            json!({ "get": { "summary": summary, "tags": ["advocacy"], "parameters": params,
                "responses": responses(what) } }),
        );
    }
}
