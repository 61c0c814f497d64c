//! The API's handlers: legal entities, offices, persons, accounts.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ruche_domain::group::{LegalEntityForm, OfficeForm};
use ruche_domain::person::PersonForm;
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_domain::role::parse_grants;
use ruche_domain::validate::FieldErrors;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::persons::PersonFilter;
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;

impl ApiUser {
    pub(super) fn authorize(&self, action: Action, target: Target) -> Result<(), ApiError> {
        match decide(&self.user.actor, action, target) {
            Decision::Allowed => Ok(()),
            _ => Err(ApiError::forbidden(self.lang())),
        }
    }

    pub(super) fn lang(&self) -> Language {
        self.ctx.lang
    }

    pub(super) fn audit(&self) -> ruche_store::AuditContext {
        ruche_store::AuditContext::account(self.user.account.id, self.ctx.ip.clone())
    }

    pub(super) fn store_error(&self, e: ruche_store::StoreError) -> ApiError {
        ApiError::from_store(e, self.lang())
    }

    /// The JSON body, or a problem naming what is wrong with it.
    pub(super) fn body<T>(&self, json: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
        json.map(|Json(v)| v)
            .map_err(|e| ApiError::bad_json(e.body_text(), self.lang()))
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    #[serde(default)]
    q: String,
    office: Option<i64>,
    role: Option<String>,
}

pub async fn not_found(api: ApiUser) -> ApiError {
    ApiError::not_found(api.lang())
}

#[derive(Serialize)]
struct Me {
    account_id: i64,
    person_id: i64,
    email: String,
    name: String,
    roles: Vec<ruche_domain::role::RoleGrant>,
}

pub async fn me(api: ApiUser) -> ApiResult {
    ok(Me {
        account_id: api.user.account.id,
        person_id: api.user.person.id,
        email: api.user.account.email.clone(),
        name: api.user.person.full_name(),
        roles: api.user.roles.clone(),
    })
}

// Legal entities.

pub async fn list_entities(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::LegalEntities)?;
    ok(state
        .store
        .legal_entities(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_entity(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::LegalEntities)?;
    ok(state
        .store
        .legal_entity(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

async fn save_entity(
    api: &ApiUser,
    state: &AppState,
    id: Option<i64>,
    form: LegalEntityForm,
) -> Result<ruche_store::entities::LegalEntityRecord, ApiError> {
    let entity = form
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    state
        .store
        .save_legal_entity(&api.audit(), id, &entity)
        .await
        .map_err(|e| api.store_error(e))
}

pub async fn create_entity(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<LegalEntityForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::LegalEntities)?;
    let form = api.body(json)?;
    created(save_entity(&api, &state, None, form).await?)
}

pub async fn update_entity(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<LegalEntityForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Update, Target::LegalEntities)?;
    let form = api.body(json)?;
    state
        .store
        .legal_entity(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(save_entity(&api, &state, Some(id), form).await?)
}

// Offices.

pub async fn list_offices(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Offices)?;
    ok(state
        .store
        .offices(paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_office(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::Offices)?;
    ok(state
        .store
        .office(id)
        .await
        .map_err(|e| api.store_error(e))?)
}

async fn save_office(
    api: &ApiUser,
    state: &AppState,
    id: Option<i64>,
    form: OfficeForm,
) -> Result<ruche_store::offices::OfficeRecord, ApiError> {
    let office = form
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    state
        .store
        .save_office(&api.audit(), id, &office)
        .await
        .map_err(|e| api.store_error(e))
}

pub async fn create_office(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<OfficeForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Offices)?;
    let form = api.body(json)?;
    created(save_office(&api, &state, None, form).await?)
}

pub async fn update_office(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<OfficeForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Offices)?;
    let form = api.body(json)?;
    state
        .store
        .office(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(save_office(&api, &state, Some(id), form).await?)
}

// Persons.

/// The offices whose people this user may list, `None` for all.
fn person_scope(api: &ApiUser) -> Option<Vec<i64>> {
    let actor = &api.user.actor;
    let sees_all = [Role::Administrator, Role::Accountant, Role::Board]
        .iter()
        .any(|r| actor.has(*r));
    (!sees_all).then(|| actor.advisor_offices.clone())
}

pub async fn list_persons(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Persons)?;
    let offices = match (person_scope(&api), q.office) {
        (Some(mine), Some(o)) => Some(mine.into_iter().filter(|m| *m == o).collect()),
        (Some(mine), None) => Some(mine),
        (None, office) => office.map(|o| vec![o]),
    };
    let filter = PersonFilter {
        search: Some(q.q.clone()),
        offices,
    };
    ok(state
        .store
        .persons(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_person(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let person = state
        .store
        .person(id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(
        Action::View,
        Target::Person {
            id,
            office_id: person.office_id,
        },
    )?;
    ok(person)
}

async fn save_person(
    api: &ApiUser,
    state: &AppState,
    id: Option<i64>,
    form: PersonForm,
) -> Result<ruche_store::persons::PersonRecord, ApiError> {
    let person = form
        .parse()
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    if person_scope(api).is_some() {
        let target = Target::Person {
            id: id.unwrap_or(0),
            office_id: person.office_id,
        };
        if !decide(&api.user.actor, Action::Update, target).is_allowed() {
            let errors = FieldErrors::single("office_id", "office-not-yours");
            return Err(ApiError::invalid(&errors, api.lang()));
        }
    }
    match state.store.save_person(&api.audit(), id, &person).await {
        Err(ruche_store::StoreError::NotFound) => Err(ApiError::invalid(
            &FieldErrors::single("office_id", "required"),
            api.lang(),
        )),
        other => other.map_err(|e| api.store_error(e)),
    }
}

pub async fn create_person(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<PersonForm>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Persons)?;
    let form = api.body(json)?;
    created(save_person(&api, &state, None, form).await?)
}

pub async fn update_person(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<PersonForm>, JsonRejection>,
) -> ApiResult {
    let existing = state
        .store
        .person(id)
        .await
        .map_err(|e| api.store_error(e))?;
    api.authorize(
        Action::Update,
        Target::Person {
            id,
            office_id: existing.office_id,
        },
    )?;
    let form = api.body(json)?;
    ok(save_person(&api, &state, Some(id), form).await?)
}

// Accounts.

#[derive(Serialize)]
struct AccountView {
    #[serde(flatten)]
    account: ruche_store::accounts::AccountRecord,
    roles: Vec<ruche_domain::role::RoleGrant>,
}

#[derive(Deserialize)]
pub struct RoleInput {
    role: String,
    office_id: Option<i64>,
}

#[derive(Deserialize)]
pub struct AccountInput {
    #[serde(default)]
    person_id: i64,
    #[serde(default)]
    email: String,
    #[serde(default = "yes")]
    active: bool,
    #[serde(default)]
    roles: Vec<RoleInput>,
}

fn yes() -> bool {
    true
}

fn parse_account(
    input: &AccountInput,
) -> Result<(String, Vec<ruche_domain::role::RoleGrant>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let email = errors.email("email", &input.email);
    let codes: Vec<String> = input.roles.iter().map(|r| r.role.clone()).collect();
    let office = input
        .roles
        .iter()
        .find(|r| r.role == Role::Advisor.code())
        .and_then(|r| r.office_id);
    match parse_grants(&codes, office) {
        Ok(grants) if errors.is_empty() => Ok((email, grants)),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.0.extend(e.0);
            Err(errors)
        }
    }
}

async fn account_view(api: &ApiUser, state: &AppState, id: i64) -> Result<AccountView, ApiError> {
    let account = state
        .store
        .account(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let roles = state
        .store
        .account_roles(id)
        .await
        .map_err(|e| api.store_error(e))?;
    Ok(AccountView { account, roles })
}

pub async fn list_accounts(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Accounts)?;
    let role = q.role.as_deref().and_then(Role::parse);
    ok(state
        .store
        .accounts(Some(&q.q), role, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn get_account(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    api.authorize(Action::View, Target::Accounts)?;
    ok(account_view(&api, &state, id).await?)
}

pub async fn create_account(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<AccountInput>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Accounts)?;
    let input = api.body(json)?;
    let (email, roles) = parse_account(&input).map_err(|e| ApiError::invalid(&e, api.lang()))?;
    let person = state
        .store
        .person(input.person_id)
        .await
        .map_err(|e| api.store_error(e))?;
    let language = Language::parse(&person.language);
    let new = NewAccount {
        email,
        password_hash: String::new(),
        language,
        roles,
    };
    let account = state
        .store
        .create_account(&api.audit(), person.id, &new)
        .await
        .map_err(|e| api.store_error(e))?;
    Ok((
        StatusCode::CREATED,
        Json(account_view(&api, &state, account.id).await?),
    )
        .into_response())
}

pub async fn update_account(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<AccountInput>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Update, Target::Accounts)?;
    let input = api.body(json)?;
    let (email, roles) = parse_account(&input).map_err(|e| ApiError::invalid(&e, api.lang()))?;
    if id == api.user.account.id
        && (!input.active || !roles.iter().any(|g| g.role == Role::Administrator))
    {
        let errors = FieldErrors::single("roles", "cannot-demote-self");
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    state
        .store
        .update_account(&api.audit(), id, &email, input.active, &roles)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(account_view(&api, &state, id).await?)
}
