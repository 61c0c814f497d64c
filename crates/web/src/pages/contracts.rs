//! Employment contracts of an activity (C6): the member plans a contract against the
//! activity's budget — the page shows what it pays, what it costs and what the budget has
//! left before anything is signed — then signs it, which reserves its employer cost; a
//! signed contract may be cancelled until it is paid. Holders and the staff who may update
//! the activity sign and cancel; whoever may see the activity sees its contracts.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::employment::{ContractForm, ContractKind, ContractPay, NewContract, pay_of};
use ruche_domain::invoicing::QuoteStatus;
use ruche_domain::payroll::Simulation;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::activities::ActivityRecord;
use ruche_store::employment::{ContractFilter, ContractRecord};
use ruche_store::quotes::QuoteFilter;
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::activities::activity_target;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/contracts", get(list).post(submit))
        .route("/contracts/{id}", get(show))
        .route("/contracts/{id}/cancel", post(cancel))
        .route("/contracts/{id}/statement.pdf", get(statement))
}

const PER_PAGE: i64 = 25;
/// The accepted quotes offered as the order a contract relies on.
const MAX_ORDERS: i64 = 100;

/// The codes of the refusals that concern the order named (shown next to that field).
fn order_code(code: &str) -> bool {
    code.starts_with("guarantee-") || code == ruche_store::employment::REFUSED_ORDER
}

#[derive(Template)]
#[template(path = "contracts.html")]
struct ListPage {
    c: RequestCtx,
    activity: ActivityRecord,
    contracts: Page<ContractRecord>,
    pager_base: String,
    available: i64,
    can_sign: bool,
    workers: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    bases: Vec<(String, String)>,
    orders: Vec<(String, String)>,
    f: FormView,
    preview: Option<Preview>,
    /// The guide article explaining the contract rules: (title, url).
    rules: Option<(String, String)>,
}

/// What the planned contract pays and costs, and the budget after it.
struct Preview {
    pay: ContractPay,
    after: i64,
}

impl Preview {
    fn lines(&self) -> Option<&Simulation> {
        self.pay.simulation.as_ref()
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
}

async fn target_of(
    state: &AppState,
    ctx: &RequestCtx,
    activity_id: i64,
) -> Result<(ActivityRecord, Target), AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    Ok(activity_target(&state.store, person, activity_id).await?)
}

/// The options of a select: (value, label).
type Options = Vec<(String, String)>;

/// The choices of the form's selects: kinds, worker statuses, pay bases.
fn options(ctx: &RequestCtx) -> (Options, Options, Options) {
    let kinds = ContractKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), ctx.t_of("contract-kind-", k.code())))
        .collect();
    let statuses = ["employee", "manual"]
        .iter()
        .map(|s| (s.to_string(), ctx.t_of("contract-worker-status-", s)))
        .collect();
    let bases = ["gross", "budget"]
        .iter()
        .map(|s| (s.to_string(), ctx.t_of("contract-basis-", s)))
        .collect();
    (kinds, statuses, bases)
}

async fn list_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    target: Target,
    page: i64,
    f: FormView,
    preview: Option<Preview>,
) -> Result<ListPage, AppError> {
    let contracts = state
        .store
        .contracts(
            &ContractFilter {
                activity_id: Some(activity.id),
                ..ContractFilter::default()
            },
            PageRequest::new(page, PER_PAGE),
        )
        .await?;
    let available = state.store.available_budget(activity.id).await?;
    let workers = state
        .store
        .activity_holders(activity.id)
        .await?
        .into_iter()
        .map(|h| {
            (
                h.person_id.to_string(),
                format!("{} {}", h.first_name, h.last_name),
            )
        })
        .collect();
    let mut orders = vec![(String::new(), ctx.t("contract-no-order"))];
    for status in [QuoteStatus::Accepted, QuoteStatus::Invoiced] {
        let quotes = state
            .store
            .quotes(
                &QuoteFilter {
                    activity_id: Some(activity.id),
                    status: Some(status),
                    ..QuoteFilter::default()
                },
                PageRequest::new(1, MAX_ORDERS),
            )
            .await?;
        orders.extend(quotes.items.into_iter().map(|q| {
            (
                q.id.to_string(),
                format!(
                    "{} — {} ({})",
                    q.number.unwrap_or_default(),
                    q.title,
                    ctx.money(q.tax_exclusive_cents)
                ),
            )
        }));
    }
    let (kinds, statuses, bases) = options(&ctx);
    Ok(ListPage {
        pager_base: format!("/activities/{}/contracts?", activity.id),
        activity,
        contracts,
        available,
        can_sign: ctx.may(Action::Update, target),
        workers,
        kinds,
        statuses,
        bases,
        orders,
        f,
        preview,
        rules: super::guide::rules_link(state, &ctx, "contract").await,
        c: ctx,
    })
}

fn defaults(ctx: &RequestCtx) -> FormView {
    let day = today().to_string();
    let me = ctx
        .user
        .as_deref()
        .map(|u| u.person.id.to_string())
        .unwrap_or_default();
    FormView::with_defaults(&[
        ("worker", &me),
        ("kind", "day"),
        ("worker_status", "employee"),
        ("starts_on", &day),
        ("ends_on", &day),
        ("days", "1"),
        ("hours", "7,6"),
        ("joint_committee", "200"),
        ("pay_basis", "budget"),
    ])
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (activity, target) = target_of(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let f = defaults(&ctx);
    render(&list_page(&state, ctx, activity, target, q.page.unwrap_or(1), f, None).await?)
}

/// The result of the sign step, for the page and the API.
pub enum Signed {
    Done(Box<ContractRecord>),
    Refused(FieldErrors),
}

/// Checks and signs a contract: the form's rules, the simulation, then the store's
/// (work volume, budget or guarantee). The page and the API share it.
pub async fn sign(
    state: &AppState,
    ctx: &RequestCtx,
    new: &NewContract,
) -> Result<Signed, StoreError> {
    let pay = match pay_of(new) {
        Ok(pay) => pay,
        Err(e) => return Ok(Signed::Refused(FieldErrors::single("amount", e.code()))),
    };
    match state
        .store
        .sign_contract(&ctx.audit(), new, &pay, today())
        .await
    {
        Ok(c) => Ok(Signed::Done(Box::new(c))),
        Err(StoreError::Refused(errors)) => Ok(Signed::Refused(errors)),
        Err(StoreError::Conflict(code)) if order_code(code) => {
            Ok(Signed::Refused(FieldErrors::single("order_quote", code)))
        }
        Err(StoreError::Conflict(code)) => Ok(Signed::Refused(FieldErrors::single("amount", code))),
        Err(e) => Err(e),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (activity, target) = target_of(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    let mut f = FormView::new(pairs);
    let form: ContractForm = f.decode().map_err(AppError::Internal)?;
    let preview_only = f.value("intent") == "preview";
    let errors = match form.parse(id) {
        Err(errors) => errors,
        Ok(new) if preview_only => match pay_of(&new) {
            Ok(pay) => {
                let available = state.store.available_budget(id).await?;
                let after = available - pay.employer_cost_cents;
                let page = list_page(
                    &state,
                    ctx,
                    activity,
                    target,
                    1,
                    f,
                    Some(Preview { pay, after }),
                )
                .await?;
                return render(&page);
            }
            Err(e) => FieldErrors::single("amount", e.code()),
        },
        Ok(new) => match sign(&state, &ctx, &new).await? {
            Signed::Done(c) => return Ok(see_other(&format!("/contracts/{}?saved=1", c.id))),
            Signed::Refused(errors) => errors,
        },
    };
    f.add_errors(&errors, ctx.lang);
    let page = list_page(&state, ctx, activity, target, 1, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The lines of the simulation kept with a contract (the JSON of
/// [`ruche_domain::payroll::Simulation`]) that its page shows.
#[derive(Debug, Deserialize)]
struct SimulationLines {
    gross_cents: i64,
    employee_onss_cents: i64,
    work_bonus_social_a_cents: i64,
    work_bonus_social_b_cents: i64,
    taxable_cents: i64,
    withholding_before_bonus_cents: i64,
    work_bonus_fiscal_cents: i64,
    withholding_cents: i64,
    csss_cents: i64,
    employer_onss_cents: i64,
    holiday_pay_cents: i64,
    structural_reduction_cents: i64,
}

#[derive(Template)]
#[template(path = "contract.html")]
struct ShowPage {
    c: RequestCtx,
    contract: ContractRecord,
    simulation: Option<SimulationLines>,
    can_cancel: bool,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
    cancelled: Option<String>,
}

async fn contract_target(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(ContractRecord, Target), AppError> {
    let contract = state.store.contract(id).await?;
    let (_, target) = target_of(state, ctx, contract.activity_id).await?;
    Ok((contract, target))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (contract, target) = contract_target(&state, &ctx, id).await?;
    ctx.authorize(Action::View, target)?;
    let notice = if q.saved.is_some() {
        Some(ctx.t("contract-saved"))
    } else if q.cancelled.is_some() {
        Some(ctx.t("contract-cancelled"))
    } else {
        None
    };
    render(&show_page(ctx, contract, target, notice))
}

fn show_page(
    ctx: RequestCtx,
    contract: ContractRecord,
    target: Target,
    notice: Option<String>,
) -> ShowPage {
    let simulation = serde_json::from_str::<Option<SimulationLines>>(&contract.simulation)
        .ok()
        .flatten();
    ShowPage {
        can_cancel: contract.status == "signed" && ctx.may(Action::Update, target),
        simulation,
        contract,
        notice,
        c: ctx,
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, target) = contract_target(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    match state.store.cancel_contract(&ctx.audit(), id, today()).await {
        Ok(_) => Ok(see_other(&format!("/contracts/{id}?cancelled=1"))),
        Err(StoreError::Conflict(code)) => {
            let notice = ctx.t_of("err-", code);
            let contract = state.store.contract(id).await?;
            render_status(
                StatusCode::CONFLICT,
                &show_page(ctx, contract, target, Some(notice)),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The statement of a paid contract, from what was kept at signing, in the worker's
/// language: the employer is the legal entity of the pay run.
pub async fn statement_pdf(
    state: &AppState,
    contract: &ContractRecord,
) -> Result<Vec<u8>, AppError> {
    use ruche_domain::ident::{EnterpriseNumber, Iban, Niss};
    use ruche_pdf::payslip::{
        PayslipAmounts, PayslipContract, PayslipEmployer, PayslipStatement, PayslipWorker,
    };
    let run_id = contract.pay_run_id.ok_or(AppError::NotFound)?;
    let run = state.store.pay_run(run_id).await?;
    let entity = state.store.legal_entity(run.entity_id).await?;
    let worker = state.store.person(contract.worker_person_id).await?;
    let lines = serde_json::from_str::<Option<SimulationLines>>(&contract.simulation)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let date = |s: &str| {
        s.parse::<jiff::civil::Date>()
            .map_err(|e| AppError::Internal(format!("stored date {s}: {e}")))
    };
    let amounts = match &lines {
        Some(l) => PayslipAmounts {
            gross_cents: l.gross_cents,
            employee_onss_cents: l.employee_onss_cents,
            social_work_bonus_cents: l.work_bonus_social_a_cents + l.work_bonus_social_b_cents,
            taxable_cents: l.taxable_cents,
            withholding_before_bonus_cents: l.withholding_before_bonus_cents,
            fiscal_work_bonus_cents: l.work_bonus_fiscal_cents,
            withholding_cents: l.withholding_cents,
            csss_cents: l.csss_cents,
            net_cents: contract.net_cents,
            employer_onss_cents: l.employer_onss_cents,
            holiday_pay_cents: l.holiday_pay_cents,
            structural_reduction_cents: l.structural_reduction_cents,
            employer_cost_cents: contract.employer_cost_cents,
        },
        None => PayslipAmounts {
            gross_cents: contract.gross_cents,
            net_cents: contract.net_cents,
            employer_cost_cents: contract.employer_cost_cents,
            ..PayslipAmounts::default()
        },
    };
    let statement = PayslipStatement {
        language: ruche_domain::Language::parse(&worker.language)
            .unwrap_or(ruche_domain::Language::Fr),
        employer: PayslipEmployer {
            name: entity.name.clone(),
            address_lines: vec![
                entity.street.clone(),
                format!("{} {}", entity.postcode, entity.city),
            ],
            enterprise_number: EnterpriseNumber::parse(&entity.enterprise_number)
                .map_err(|e| AppError::Internal(format!("entity {}: {e}", entity.id)))?,
            onss_number: None,
        },
        worker: PayslipWorker {
            name: worker.full_name(),
            address_lines: vec![
                worker.street.clone(),
                format!("{} {}", worker.postcode, worker.city),
            ],
            niss: worker.niss.as_deref().and_then(|n| Niss::parse(n).ok()),
        },
        contract: PayslipContract {
            reference: format!("{}", contract.id),
            kind: contract.kind()?,
            function: contract.function_title.clone(),
            joint_committee: contract.joint_committee.clone(),
            starts_on: date(&contract.starts_on)?,
            ends_on: contract.ends_on.as_deref().map(date).transpose()?,
            days: u16::try_from(contract.days).unwrap_or(u16::MAX),
            minutes: contract.minutes,
        },
        pay_date: date(&run.pay_date)?,
        amounts,
        params_version: contract.params_version.clone(),
        iban: worker.iban.as_deref().and_then(|i| Iban::parse(i).ok()),
    };
    tokio::task::spawn_blocking(move || ruche_pdf::payslip::render_payslip(&statement))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn statement(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (contract, target) = contract_target(&state, &ctx, id).await?;
    // The worker's pay: the activity's holders and staff who see the activity.
    ctx.authorize(Action::View, target)?;
    let pdf = statement_pdf(&state, &contract).await?;
    Ok(super::invoices::attachment(
        "application/pdf",
        format!("ruche-contrat-{}.pdf", contract.id),
        pdf,
    ))
}

#[cfg(test)]
mod tests {
    use ruche_domain::Language;
    use ruche_domain::employment::guarantee::Refusal;

    #[test]
    fn every_refusal_of_a_contract_is_translated() {
        let codes = [
            Refusal::InsufficientBudget,
            Refusal::OrderNotAccepted,
            Refusal::ClientOutsideEu,
            Refusal::OverOrder,
            Refusal::OverActivityLimit,
            Refusal::OverClientLimit,
        ]
        .map(|r| r.code());
        let store_codes = [
            ruche_store::employment::REFUSED_STATUS,
            ruche_store::employment::REFUSED_NOT_ACTIVE,
            ruche_store::employment::REFUSED_ORDER,
            ruche_store::employment::REFUSED_REPAID,
            ruche_store::employment::REFUSED_NO_PARAMETERS,
            ruche_store::employment::NOTHING_DUE,
            "contract-overlap-over-day-limit",
            "contract-iaa-days-per-year",
            "contract-rpi-yearly-cap",
        ];
        for code in codes.iter().chain(store_codes.iter()) {
            for lang in [Language::Fr, Language::Nl, Language::En] {
                let text = crate::i18n::field_error(lang, code);
                assert_ne!(text, format!("err-{code}"), "{code} in {lang:?}");
            }
        }
    }
}
