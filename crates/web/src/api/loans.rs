//! The loans API (C8): the same use cases as the pages, under the same policy. A member
//! lists their own loans and applies; staff list the queue, read any loan and the
//! portfolio.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use ruche_domain::loans::{ApplicationForm, LoanStatus, loan_params_on};
use ruche_domain::policy::{Action, Decision, Target, decide};
use ruche_store::StoreError;
use ruche_store::loans::LoanFilter;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::context::today;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/loans", get(list).post(apply))
        .route("/loans/portfolio", get(portfolio))
        .route("/loans/{id}", get(one))
}

fn allowed(api: &ApiUser, action: Action, target: Target) -> Result<(), ApiError> {
    if decide(&api.user.actor, action, target) == Decision::Allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(api.lang()))
    }
}

fn refused(api: &ApiUser, e: StoreError) -> ApiError {
    match e {
        StoreError::Refused(errors) => ApiError::invalid(&errors, api.lang()),
        StoreError::Conflict(code) => ApiError::conflict(
            "status",
            code,
            i18n::field_error(api.lang(), code),
            api.lang(),
        ),
        e => api.store_error(e),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
}

pub async fn list(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let staff = decide(&api.user.actor, Action::List, Target::Loans) == Decision::Allowed;
    if !staff {
        allowed(&api, Action::Create, Target::Loans)?;
    }
    let filter = LoanFilter {
        status: q.status.as_deref().and_then(LoanStatus::parse),
        person_id: (!staff).then_some(api.user.person.id),
        activity_id: None,
    };
    ok(state
        .store
        .loans(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?)
}

pub async fn one(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let loan = state.store.loan(id).await.map_err(|e| api.store_error(e))?;
    let held = state
        .store
        .holds_activity(loan.activity_id, api.user.person.id)
        .await
        .map_err(|e| api.store_error(e))?;
    let target = Target::Loan {
        office_id: loan.office_id,
        held_by_actor: held,
        applied_by_actor: loan.applicant_person_id == api.user.person.id,
        opinion_by_actor: loan.opinion_by == Some(api.user.account.id),
    };
    if decide(&api.user.actor, Action::View, target) != Decision::Allowed {
        // Not yours: as if it did not exist.
        return Err(ApiError::not_found(api.lang()));
    }
    let instalments = state
        .store
        .loan_instalments(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let repayments = state
        .store
        .loan_repayments(id)
        .await
        .map_err(|e| api.store_error(e))?;
    ok(json!({ "loan": loan, "instalments": instalments, "repayments": repayments }))
}

/// An application: the form's fields, with the ticked criteria as a list.
#[derive(Deserialize, Default)]
pub struct ApplicationInput {
    #[serde(flatten)]
    form: ApplicationForm,
    #[serde(default)]
    loan_criteria: Vec<String>,
}

pub async fn apply(
    api: ApiUser,
    State(state): State<AppState>,
    json: Result<Json<ApplicationInput>, JsonRejection>,
) -> ApiResult {
    allowed(&api, Action::Create, Target::Loans)?;
    let input = api.body(json)?;
    let day = today();
    let p = loan_params_on(day).map_err(|_| {
        ApiError::conflict(
            "status",
            "loan-no-product",
            i18n::field_error(api.lang(), "loan-no-product"),
            api.lang(),
        )
    })?;
    let new = input
        .form
        .parse(&input.loan_criteria, p)
        .map_err(|e| ApiError::invalid(&e, api.lang()))?;
    match state
        .store
        .apply_for_loan(&api.audit(), api.user.person.id, &new, day, &[])
        .await
    {
        Ok(loan) => created(loan),
        Err(e) => Err(refused(&api, e)),
    }
}

#[derive(Deserialize, Default)]
pub struct PortfolioQuery {
    year: Option<i32>,
}

pub async fn portfolio(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<PortfolioQuery>,
) -> ApiResult {
    allowed(&api, Action::View, Target::Loans)?;
    let day = today();
    let year = q.year.unwrap_or(i32::from(day.year()));
    let year = i16::try_from(year)
        .ok()
        .filter(|y| (2000..=day.year()).contains(y))
        .ok_or_else(|| {
            ApiError::invalid(
                &ruche_domain::validate::FieldErrors::single("year", "loan-year"),
                api.lang(),
            )
        })?;
    ok(state
        .store
        .loan_portfolio(year, day)
        .await
        .map_err(|e| api.store_error(e))?)
}

pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let errors = |ok: &str, description: &str| {
        let mut out = Map::new();
        out.insert(ok.into(), json!({ "description": description }));
        for (code, d) in [
            ("401", "missing or revoked token"),
            ("403", "refused by the policy"),
            ("404", "no such loan, or not yours"),
            ("409", "refused by the loan's state"),
            ("422", "invalid input; each error names its field"),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let text = |d: &str| json!({ "type": "string", "description": d });
    schemas.insert(
        "LoanApplicationInput".into(),
        json!({ "type": "object",
            "required": ["loan_activity", "loan_purpose", "loan_amount", "loan_instalments", "loan_justification"],
            "description": "A 0 % loan application, as the page's form. Refused (422) above the product's maximum (loan-above-max) or beyond the open applications the rules allow (loan-open-limit).",
            "properties": {
                "loan_activity": text("id of an activity the member holds"),
                "loan_purpose": { "type": "string", "enum": ["equipment", "goods", "training", "cash-advance", "other"] },
                "loan_amount": text("principal in euros, e.g. 5.000,00"),
                "loan_instalments": text("number of monthly instalments"),
                "loan_justification": text("at most 10,000 characters"),
                "loan_criteria": { "type": "array", "items": { "type": "string" }, "description": "codes of the criteria ticked" } } }),
    );
    schemas.insert(
        "Loan".into(),
        json!({ "type": "object", "description": "A loan: id, activity_id, applicant_person_id, purpose, principal_cents, instalments, status (submitted | reviewed | approved | refused | active | closed | written-off), ogm, outstanding_cents (the ledger balance of loan:<id>:receivable), next_due_on, opinion, decision, disbursement, write-off." }),
    );
    paths.insert(
        "/loans".into(),
        json!({
            "get": { "summary": "The staff queue, or the member's own loans", "tags": ["loans"],
                "parameters": [
                    { "name": "status", "in": "query", "schema": { "type": "string" } },
                    { "name": "page", "in": "query", "schema": { "type": "integer" } },
                    { "name": "per_page", "in": "query", "schema": { "type": "integer" } } ],
                "responses": errors("200", "a page of loans") },
            "post": { "summary": "Apply for a 0 % loan (a member)", "tags": ["loans"],
                "requestBody": { "content": { "application/json": { "schema": reference("LoanApplicationInput") } } },
                "responses": errors("201", "the application, submitted") }
        }),
    );
    paths.insert(
        "/loans/{id}".into(),
        json!({ "get": { "summary": "One loan with its schedule and repayments", "tags": ["loans"],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": errors("200", "the loan") } }),
    );
    paths.insert(
        "/loans/portfolio".into(),
        json!({ "get": { "summary": "The portfolio: granted per year and since launch, outstanding, PAR1/PAR30, aging, written off", "tags": ["loans"],
            "parameters": [{ "name": "year", "in": "query", "schema": { "type": "integer" } }],
            "responses": errors("200", "the portfolio") } }),
    );
}
