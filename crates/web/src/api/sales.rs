//! The API of activities and clients, with the same rules and policy as the pages.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ruche_domain::activity::{ActivityEvent, ActivityForm, ActivityStatus};
use ruche_domain::client::ClientForm;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use serde::Deserialize;

use super::{ApiError, ApiResult, ApiUser, ok, paging};
use crate::AppState;
use crate::pages::activities::{activity_target, scope_of};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    #[serde(default)]
    q: String,
    status: Option<String>,
    kind: Option<String>,
}

pub async fn list_activities(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let mut filter = scope_of(&api.user);
    if filter.holder.is_some() {
        api.authorize(Action::View, Target::MemberArea)?;
    }
    filter.search = Some(q.q.clone());
    filter.status = q.status.as_deref().and_then(ActivityStatus::parse);
    ok(state
        .store
        .activities(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

async fn target(api: &ApiUser, state: &AppState, id: i64) -> Result<Target, ApiError> {
    let (_, target) = activity_target(&state.store, Some(api.user.person.id), id)
        .await
        .map_err(|e| api.store_error(e))?;
    Ok(target)
}

pub async fn get_activity(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, target(&api, &state, id).await?)?;
    ok(state
        .store
        .activity(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_activity(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<ActivityForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Activities)?;
    let form = api.body(json)?;
    let activity = form
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state
        .store
        .propose_activity(&api.audit(), &activity, api.user.person.id)
        .await
    {
        Ok(created) => Ok((StatusCode::CREATED, Json(created)).into_response()),
        Err(StoreError::NotFound) => Err(ApiError::invalid(
            &FieldErrors::single("office_id", "required"),
            api.lang(),
        )),
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn update_activity(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ActivityForm>, JsonRejection>,
) -> ApiResult {
    let target = target(&api, &state, id).await?;
    api.authorize(Action::Update, target)?;
    let form = api.body(json)?;
    let activity = form
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    let current = state
        .store
        .activity(id)
        .await
        .map_err(|e| api.store_error(e))?;
    if activity.office_id != current.office_id {
        api.authorize(Action::Decide, target)?;
    }
    ok(state
        .store
        .update_activity(&api.audit(), id, &activity)
        .await
        .map_err(|e| api.store_error(e))?)
}

#[derive(Deserialize)]
pub struct DecisionInput {
    event: String,
}

pub async fn decide_activity(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<DecisionInput>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Decide, target(&api, &state, id).await?)?;
    let input = api.body(json)?;
    let event = ActivityEvent::parse(&input.event)
        .ok_or_else(|| ApiError::invalid(&FieldErrors::single("event", "required"), api.lang()))?;
    match state
        .store
        .change_activity_status(&api.audit(), id, event)
        .await
    {
        Ok(activity) => ok(activity),
        Err(StoreError::Conflict(_)) => Err(ApiError::invalid(
            &FieldErrors::single("event", "transition-refused"),
            api.lang(),
        )),
        Err(e) => Err(api.store_error(e)),
    }
}

pub async fn list_clients(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Clients)?;
    let page = state
        .store
        .clients(Some(&q.q), q.kind.as_deref(), paging(q.page, q.per_page))
        .await;
    ok(page.map_err(|e| api.store_error(e))?)
}

pub async fn get_client(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::Clients)?;
    ok(state
        .store
        .client(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn create_client(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<ClientForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Clients)?;
    let form = api.body(json)?;
    let client = form
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    let created = state.store.save_client(&api.audit(), None, &client).await;
    let created = created.map_err(|e| api.store_error(e))?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

pub async fn update_client(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<ClientForm>, JsonRejection>,
) -> ApiResult {
    let existing = state
        .store
        .client(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let mine = existing.created_by == Some(api.user.account.id);
    api.authorize(
        Action::Update,
        Target::Client {
            created_by_actor: mine,
        },
    )?;
    let form = api.body(json)?;
    let client = form
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    ok(state
        .store
        .save_client(&api.audit(), Some(id), &client)
        .await
        .map_err(|e| api.store_error(e))?)
}
