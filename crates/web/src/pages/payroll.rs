//! The accountants' payroll pages (C6, C2): pay runs (the due salaries → salary payout
//! orders → the entity's SEPA file of the pay date), the salary guarantee fund, the day's
//! DIMONA declarations and the year's work volume (hours, FTE, headcount). Treasury only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use jiff::civil::Date;
use ruche_domain::employment::dimona::{ContractFacts, Declaration, declarations};
use ruche_domain::employment::{ContractKind, ContractStatus};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::employment::{
    AdvanceRecord, ContractFilter, ContractRecord, DimonaRow, FundSummary, HeldContract,
    NOTHING_DUE, PayRunRecord, WorkVolume,
};
use ruche_store::{Page, PageRequest, Store, StoreError};
use serde::Deserialize;

use super::payouts::create_batch;
use super::{render, render_status};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pay-runs", get(runs).post(create_run))
        .route("/pay-runs/{id}", get(run))
        .route("/guarantee-fund", get(fund))
        .route("/dimona", get(dimona))
        .route("/dimona/{day}/xml", get(dimona_xml))
        .route("/work-volume", get(volume))
}

const PER_PAGE: i64 = 25;
/// The most declarations one day's list shows and exports.
pub const MAX_DIMONA_PER_DAY: i64 = 20_000;

fn authorize(ctx: &RequestCtx, action: Action) -> Result<(), AppError> {
    ctx.authorize(action, Target::Treasury)?;
    Ok(())
}

// ---------------------------------------------------------------------------- pay runs

#[derive(Template)]
#[template(path = "pay_runs.html")]
struct RunsPage {
    c: RequestCtx,
    runs: Page<PayRunRecord>,
    entities: Vec<(String, String)>,
    f: FormView,
}

#[derive(Deserialize, Default)]
pub struct RunsQuery {
    page: Option<i64>,
}

async fn runs_page(
    state: &AppState,
    ctx: RequestCtx,
    page: i64,
    f: FormView,
) -> Result<RunsPage, AppError> {
    let runs = state
        .store
        .pay_runs(PageRequest::new(page, PER_PAGE))
        .await?;
    let entities = state
        .store
        .legal_entities(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?
        .items
        .into_iter()
        .map(|e| (e.id.to_string(), e.name))
        .collect();
    Ok(RunsPage {
        runs,
        entities,
        f,
        c: ctx,
    })
}

pub async fn runs(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<RunsQuery>,
) -> Result<Response, AppError> {
    authorize(&ctx, Action::List)?;
    let f = FormView::with_defaults(&[("pay_date", &today().to_string())]);
    render(&runs_page(&state, ctx, q.page.unwrap_or(1), f).await?)
}

#[derive(Deserialize, Default)]
struct RunForm {
    #[serde(default)]
    pay_entity: String,
    #[serde(default)]
    pay_date: String,
}

/// What a pay run did, with its SEPA batch.
pub struct RunDone {
    pub run: PayRunRecord,
    pub held: Vec<HeldContract>,
}

/// Runs the pay of `entity_id` on `pay_date` and creates the entity's SEPA batch of that
/// date, which carries the run's salaries (and any other payout due by then). The page,
/// the API and the demo share it.
pub async fn run_pay(
    store: &Store,
    ctx: &ruche_store::AuditContext,
    entity_id: i64,
    pay_date: Date,
) -> Result<RunDone, StoreError> {
    let outcome = store.create_pay_run(ctx, entity_id, pay_date).await?;
    let batch = create_batch(store, ctx, entity_id, pay_date).await?;
    let run = store
        .set_pay_run_batch(ctx, outcome.run.id, batch.id)
        .await?;
    Ok(RunDone {
        run,
        held: outcome.held,
    })
}

pub async fn create_run(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    authorize(&ctx, Action::Create)?;
    let mut f = FormView::new(pairs);
    let form: RunForm = f.decode().map_err(AppError::Internal)?;
    let mut errors = FieldErrors::new();
    let entity = form
        .pay_entity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0);
    if entity.is_none() {
        errors.add("pay_entity", "required");
    }
    let date = match form.pay_date.trim() {
        "" => {
            errors.add("pay_date", "required");
            None
        }
        d => match d.parse::<Date>() {
            // The bank pays today at the earliest.
            Ok(date) if date >= today() => Some(date),
            _ => {
                errors.add("pay_date", "date");
                None
            }
        },
    };
    if let (Some(entity), Some(date)) = (entity, date) {
        match run_pay(&state.store, &ctx.audit(), entity, date).await {
            Ok(done) => {
                let contracts = run_contracts(&state.store, done.run.id, 1).await?;
                let notice = Some(ctx.t1("pay-run-created", "count", done.run.contract_count));
                return render(&RunPage {
                    pager_base: format!("/pay-runs/{}?", done.run.id),
                    run: done.run,
                    contracts,
                    held: done.held,
                    notice,
                    c: ctx,
                });
            }
            Err(StoreError::NotFound) => errors.add("pay_entity", "required"),
            Err(StoreError::Conflict(code)) if code == NOTHING_DUE => errors.add("pay_date", code),
            Err(StoreError::Conflict(code)) => errors.add("pay_entity", code),
            Err(e) => return Err(e.into()),
        }
    }
    f.add_errors(&errors, ctx.lang);
    let page = runs_page(&state, ctx, 1, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "pay_run.html")]
struct RunPage {
    c: RequestCtx,
    run: PayRunRecord,
    contracts: Page<ContractRecord>,
    pager_base: String,
    held: Vec<HeldContract>,
    notice: Option<String>,
}

/// A page of the contracts a pay run paid, newest first.
async fn run_contracts(
    store: &Store,
    run_id: i64,
    page: i64,
) -> Result<Page<ContractRecord>, StoreError> {
    let filter = ContractFilter {
        pay_run_id: Some(run_id),
        ..ContractFilter::default()
    };
    store
        .contracts(&filter, PageRequest::new(page, PER_PAGE))
        .await
}

pub async fn run(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<RunsQuery>,
) -> Result<Response, AppError> {
    authorize(&ctx, Action::View)?;
    let run = state.store.pay_run(id).await?;
    let contracts = run_contracts(&state.store, id, q.page.unwrap_or(1)).await?;
    render(&RunPage {
        pager_base: format!("/pay-runs/{id}?"),
        run,
        contracts,
        held: Vec::new(),
        notice: None,
        c: ctx,
    })
}

// ------------------------------------------------------------------ the guarantee fund

#[derive(Template)]
#[template(path = "guarantee_fund.html")]
struct FundPage {
    c: RequestCtx,
    summary: FundSummary,
    advances: Page<AdvanceRecord>,
    status: String,
    pager_base: String,
}

#[derive(Deserialize, Default)]
pub struct FundQuery {
    page: Option<i64>,
    status: Option<String>,
}

pub async fn fund(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<FundQuery>,
) -> Result<Response, AppError> {
    authorize(&ctx, Action::View)?;
    let status = q
        .status
        .filter(|s| matches!(s.as_str(), "open" | "repaid" | "lost" | "cancelled"));
    let summary = state.store.guarantee_fund().await?;
    let advances = state
        .store
        .guarantee_advances(
            status.as_deref(),
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let status = status.unwrap_or_default();
    render(&FundPage {
        summary,
        advances,
        pager_base: format!("/guarantee-fund?status={status}&"),
        status,
        c: ctx,
    })
}

// ------------------------------------------------------------------------------ DIMONA

/// The declarations of `day`, each with its worker's row.
pub fn day_declarations(
    day: Date,
    rows: &[DimonaRow],
) -> Result<Vec<(Declaration, DimonaRow)>, StoreError> {
    let date = |s: &str| {
        s.parse::<Date>()
            .map_err(|_| StoreError::Corrupt(format!("stored date {s}")))
    };
    let mut out = Vec::new();
    for row in rows {
        let facts = ContractFacts {
            contract_id: row.contract_id,
            kind: ContractKind::parse(&row.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("contract kind {}", row.kind)))?,
            status: ContractStatus::parse(&row.status)
                .ok_or_else(|| StoreError::Corrupt(format!("contract status {}", row.status)))?,
            signed_on: date(&row.signed_on)?,
            cancelled_on: row.cancelled_on.as_deref().map(date).transpose()?,
            starts_on: date(&row.starts_on)?,
            ends_on: row.ends_on.as_deref().map(date).transpose()?,
            minutes: row.minutes,
            joint_committee: row.joint_committee.clone(),
        };
        out.extend(
            declarations(&facts)
                .into_iter()
                .filter(|d| d.declared_on == day)
                .map(|d| (d, row.clone())),
        );
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "dimona.html")]
struct DimonaPage {
    c: RequestCtx,
    day: String,
    items: Vec<(Declaration, DimonaRow)>,
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    day: Option<String>,
}

fn day_of(q: &DayQuery) -> Result<Date, AppError> {
    match q.day.as_deref().map(str::trim) {
        None | Some("") => Ok(today()),
        Some(d) => d
            .parse()
            .map_err(|_| AppError::Invalid(FieldErrors::single("day", "date"))),
    }
}

pub async fn dimona(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<DayQuery>,
) -> Result<Response, AppError> {
    authorize(&ctx, Action::View)?;
    let day = day_of(&q)?;
    let rows = state.store.dimona_rows(day, MAX_DIMONA_PER_DAY).await?;
    let items = day_declarations(day, &rows)?;
    render(&DimonaPage {
        day: day.to_string(),
        items,
        c: ctx,
    })
}

/// The day's DIMONA file (XML), for the declaration channel; the employer is the first
/// legal entity (the cooperative that employs).
pub async fn dimona_file(store: &Store, day: Date) -> Result<String, AppError> {
    use ruche_domain::ident::EnterpriseNumber;
    use ruche_formats::dimona::{DimonaEmployer, DimonaWorker, write_dimona_day};
    let rows = store.dimona_rows(day, MAX_DIMONA_PER_DAY).await?;
    let items: Vec<(Declaration, DimonaWorker)> = day_declarations(day, &rows)?
        .into_iter()
        .map(|(d, w)| {
            (
                d,
                DimonaWorker {
                    niss: w.niss,
                    last_name: w.last_name,
                    first_name: w.first_name,
                    birth_date: None,
                },
            )
        })
        .collect();
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    let entity = store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let employer = DimonaEmployer {
        enterprise_number: EnterpriseNumber::parse(&entity.enterprise_number)
            .map_err(|e| AppError::Internal(format!("entity {}: {e}", entity.id)))?,
        onss_number: None,
        name: entity.name,
    };
    write_dimona_day(day, &employer, &items).map_err(|e| match e {
        // A worker the ONSS cannot identify: the page lists them ("NISS missing").
        ruche_formats::dimona::DimonaError::UnidentifiedWorker { .. }
        | ruche_formats::dimona::DimonaError::Niss { .. } => {
            AppError::Store(StoreError::Conflict("dimona-unidentified-worker"))
        }
        other => AppError::Internal(other.to_string()),
    })
}

pub async fn dimona_xml(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(day): Path<String>,
) -> Result<Response, AppError> {
    authorize(&ctx, Action::View)?;
    let day: Date = day
        .parse()
        .map_err(|_| AppError::Invalid(FieldErrors::single("day", "date")))?;
    let xml = dimona_file(&state.store, day).await?;
    Ok(super::invoices::attachment(
        "application/xml",
        format!("dimona-{day}.xml"),
        xml.into_bytes(),
    ))
}

// ------------------------------------------------------------------------- work volume

#[derive(Template)]
#[template(path = "work_volume.html")]
struct VolumePage {
    c: RequestCtx,
    v: WorkVolume,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i16>,
}

pub async fn volume(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    authorize(&ctx, Action::View)?;
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today().year());
    let v = state.store.work_volume(year).await?;
    render(&VolumePage { v, c: ctx })
}
