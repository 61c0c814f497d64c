//! Employment contracts, the salary guarantee fund and pay runs (C6, C2;
//! reference/employment.md).
//!
//! Signing a contract ([`Store::sign_contract`]) takes the activity's budget lock, checks the
//! work volume against the worker's other contracts, decides how the employer cost is funded
//! (the budget, or the guarantee fund's advance on a confirmed order:
//! [`ruche_domain::employment::guarantee::decide`]) and reserves it, in one transaction:
//!
//! | transaction | debit | credit |
//! |---|---|---|
//! | `guarantee-advanced` (only when the fund advances) | `fund:guarantee` | `activity:<a>:budget` |
//! | `work-reserved` | `activity:<a>:budget` | `activity:<a>:reserved` |
//! | `salary-due` (pay run) | `activity:<a>:reserved` | `salaries:payable` (net), `payroll:payable` (the rest) |
//! | `guarantee-repaid` (client's payment, or write-off) | `activity:<a>:budget` | `fund:guarantee` |
//!
//! A pay run ([`Store::create_pay_run`]) takes every signed contract of the entity whose
//! work is over by the pay date, posts its `salary-due` and creates its salary payout
//! order; the SEPA file is then the entity's payout batch of that date.

use jiff::civil::Date;
use ruche_domain::employment::guarantee::{self, Funding, Order};
use ruche_domain::employment::rules::rules_on;
use ruche_domain::employment::volume::{self, OtherContract, VolumeFlag};
use ruche_domain::employment::{
    ContractKind, ContractPay, ContractStatus, NewContract, salary_due_on,
};
use ruche_domain::ident::Iban;
use ruche_domain::ledger::{AccountCode, AccountKind, NewTransaction, Posting, TransactionKind};
use ruche_domain::payout::{NewPayout, PayoutKind, PostalAddress, Remittance};
use serde::Serialize;

use crate::budget::LOCK_BUDGET;
use crate::ledger::{post_in, reverse_in};
use crate::payouts::insert_payout_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Conflict` code: the contract is not in a state that allows this change.
pub const REFUSED_STATUS: &str = "contract-status";
/// `Conflict` code: the activity is not active (a contract needs an active activity).
pub const REFUSED_NOT_ACTIVE: &str = "contract-activity-not-active";
/// `Conflict` code: the order named is not a quote of this activity.
pub const REFUSED_ORDER: &str = "contract-order-unknown";
/// `Conflict` code: the fund's advance was repaid in part: the contract cannot be cancelled.
pub const REFUSED_REPAID: &str = "contract-guarantee-repaid";
/// `Conflict` code: the salary simulator has no parameters for the contract's dates.
pub const REFUSED_NO_PARAMETERS: &str = "contract-no-parameters";
/// `Conflict` code: no signed contract of the entity is due by the pay date.
pub const NOTHING_DUE: &str = "pay-run-nothing-due";

/// The most contracts one pay run takes (TigerStyle: a bound on every loop); the rest
/// waits for the next run.
pub const MAX_CONTRACTS_PER_RUN: i64 = 10_000;
/// The worker's other contracts read for the work-volume checks.
const MAX_OTHER_CONTRACTS: i64 = 2_000;

/// A contract as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ContractRecord {
    pub id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub office_id: i64,
    pub worker_person_id: i64,
    pub worker_name: String,
    pub kind: String,
    pub worker_status: String,
    pub status: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub last_day: String,
    pub days: i64,
    pub minutes: i64,
    pub function_title: String,
    pub joint_committee: String,
    pub pay_basis: String,
    pub amount_cents: i64,
    pub gross_cents: i64,
    pub net_cents: i64,
    pub employer_cost_cents: i64,
    pub params_version: String,
    pub simulation: String,
    pub order_quote_id: Option<i64>,
    pub attestation: Option<String>,
    pub attestation_valid_until: Option<String>,
    pub flags: String,
    pub due_on: String,
    pub signed_on: String,
    pub cancelled_on: Option<String>,
    pub reserve_transaction_id: Option<i64>,
    pub pay_run_id: Option<i64>,
    pub salary_transaction_id: Option<i64>,
    pub payout_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// What the guarantee fund advanced for it (0 when the budget covered it all).
    pub advance_cents: i64,
}

impl ContractRecord {
    pub fn status(&self) -> Result<ContractStatus> {
        ContractStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("contract status {}", self.status)))
    }

    pub fn kind(&self) -> Result<ContractKind> {
        ContractKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("contract kind {}", self.kind)))
    }

    /// The work-volume flags kept at signing.
    pub fn flags(&self) -> Vec<VolumeFlag> {
        self.flags
            .split(',')
            .filter_map(VolumeFlag::parse)
            .collect()
    }
}

/// A contract due in a pay run, with what its payout order needs of its worker.
#[derive(sqlx::FromRow)]
struct DueContract {
    #[sqlx(flatten)]
    contract: ContractRecord,
    worker_iban: Option<String>,
    worker_street: String,
    worker_postcode: String,
    worker_city: String,
    worker_country: String,
}

/// Filters of a list of contracts; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub activity_id: Option<i64>,
    pub worker_person_id: Option<i64>,
    pub status: Option<ContractStatus>,
    pub office_id: Option<i64>,
    /// The contracts a pay run paid.
    pub pay_run_id: Option<i64>,
}

/// One advance of the guarantee fund, with its contract and client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AdvanceRecord {
    pub id: i64,
    pub contract_id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub client_id: i64,
    pub client_name: String,
    pub quote_id: i64,
    pub amount_cents: i64,
    pub repaid_cents: i64,
    pub lost_cents: i64,
    pub status: String,
    pub advanced_on: String,
}

impl AdvanceRecord {
    /// What the fund still waits for.
    pub fn outstanding_cents(&self) -> i64 {
        self.amount_cents - self.repaid_cents - self.lost_cents
    }
}

/// The guarantee fund's figures, from its advances and the ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FundSummary {
    pub advances: i64,
    pub advanced_cents: i64,
    pub repaid_cents: i64,
    pub lost_cents: i64,
    pub outstanding_cents: i64,
    /// The balance of `fund:guarantee`, credit positive (what the fund holds).
    pub balance_cents: i64,
}

/// A pay run as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PayRunRecord {
    pub id: i64,
    pub entity_id: i64,
    pub entity_name: String,
    pub pay_date: String,
    pub contract_count: i64,
    pub net_total_cents: i64,
    pub employer_cost_total_cents: i64,
    pub payout_batch_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

/// What a pay run did: the run, and the contracts it had to leave (no IBAN for the worker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayRunOutcome {
    pub run: PayRunRecord,
    pub held: Vec<HeldContract>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldContract {
    pub contract_id: i64,
    pub worker_name: String,
    /// Why: `pay-run-no-iban`.
    pub reason: &'static str,
}

/// Hours and people of a year (employment.md §1): hours of the contracts that start in it,
/// full-time equivalents (hours ÷ 1,976, rounded down), distinct workers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorkVolume {
    pub year: i16,
    pub contracts: i64,
    pub minutes: i64,
    pub headcount: i64,
    /// New open-ended contracts by gender (`f`, `m`, `x`, `u` when not stated) and full or part time.
    pub new_open_ended: Vec<(String, bool, i64)>,
    /// Per office: (office id, office name, contracts, minutes, headcount).
    pub by_office: Vec<(i64, String, i64, i64, i64)>,
}

impl WorkVolume {
    pub fn hours(&self) -> i64 {
        self.minutes / 60
    }

    /// Full-time equivalents, rounded down (hours ÷ 1,976; employment.md §1.2).
    pub fn fte(&self) -> i64 {
        self.minutes / (60 * 1_976)
    }
}

/// A DIMONA line of a day's file, read from the contract and its worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DimonaRow {
    pub contract_id: i64,
    pub kind: String,
    pub status: String,
    pub signed_on: String,
    pub cancelled_on: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub minutes: i64,
    pub joint_committee: String,
    pub niss: Option<String>,
    pub first_name: String,
    pub last_name: String,
}

macro_rules! contract_select {
    () => {
        contract_select!("")
    };
    ($extra:literal) => {
        concat!(
        "SELECT c.id, c.activity_id, a.name AS activity_name, a.office_id, c.worker_person_id, \
         p.first_name || ' ' || p.last_name AS worker_name, c.kind, c.worker_status, c.status, \
         c.starts_on, c.ends_on, c.last_day, c.days, c.minutes, c.function_title, \
         c.joint_committee, c.pay_basis, c.amount_cents, c.gross_cents, c.net_cents, \
         c.employer_cost_cents, c.params_version, c.simulation, c.order_quote_id, c.attestation, \
         c.attestation_valid_until, c.flags, c.due_on, c.signed_on, c.cancelled_on, \
         c.reserve_transaction_id, c.pay_run_id, c.salary_transaction_id, c.payout_id, \
         c.created_by, c.created_at, c.updated_at, \
         CAST(COALESCE((SELECT g.amount_cents FROM guarantee_advances g \
           WHERE g.contract_id = c.id AND g.status <> 'cancelled'), 0) AS BIGINT) AS advance_cents",
        $extra,
        " FROM work_contracts c JOIN activities a ON a.id = c.activity_id \
         JOIN persons p ON p.id = c.worker_person_id"
        )
    };
}

macro_rules! contract_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR c.activity_id = $1) \
          AND (CAST($2 AS BIGINT) IS NULL OR c.worker_person_id = $2) \
          AND (CAST($3 AS TEXT) IS NULL OR c.status = $3) \
          AND (CAST($4 AS BIGINT) IS NULL OR a.office_id = $4) \
          AND (CAST($5 AS BIGINT) IS NULL OR c.pay_run_id = $5)"
    };
}

const GET: &str = concat!(contract_select!(), " WHERE c.id = $1");
const LIST: &str = concat!(
    contract_select!(),
    contract_where!(),
    " ORDER BY c.id DESC LIMIT $6 OFFSET $7"
);
const COUNT: &str = concat!(
    "SELECT COUNT(*) FROM work_contracts c JOIN activities a ON a.id = c.activity_id",
    contract_where!()
);
const ACTIVITY: &str = "SELECT status FROM activities WHERE id = $1";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";
const OTHERS: &str = "SELECT id, kind, starts_on, last_day, days, minutes, gross_cents \
    FROM work_contracts \
    WHERE worker_person_id = $1 AND status <> 'cancelled' AND last_day >= $2 AND starts_on <= $3 \
    ORDER BY starts_on LIMIT $4";
const BALANCE: &str = "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = $1";
const QUOTE: &str = "SELECT q.activity_id, q.client_id, q.status, q.tax_exclusive_cents, \
    c.country FROM quotes q JOIN clients c ON c.id = q.client_id WHERE q.id = $1";
const OUTSTANDING_QUOTE: &str = "SELECT CAST(COALESCE(SUM(amount_cents - repaid_cents - \
    lost_cents), 0) AS BIGINT) FROM guarantee_advances WHERE status = 'open' AND quote_id = $1";
const OUTSTANDING_ACTIVITY: &str = "SELECT CAST(COALESCE(SUM(amount_cents - repaid_cents - \
    lost_cents), 0) AS BIGINT) FROM guarantee_advances WHERE status = 'open' AND activity_id = $1";
const OUTSTANDING_CLIENT: &str = "SELECT CAST(COALESCE(SUM(amount_cents - repaid_cents - \
    lost_cents), 0) AS BIGINT) FROM guarantee_advances WHERE status = 'open' AND client_id = $1";
const INSERT: &str = "INSERT INTO work_contracts (activity_id, worker_person_id, kind, \
    worker_status, status, starts_on, ends_on, last_day, days, minutes, function_title, \
    joint_committee, pay_basis, amount_cents, gross_cents, net_cents, employer_cost_cents, \
    params_version, simulation, order_quote_id, attestation, attestation_valid_until, flags, \
    due_on, signed_on, reserve_transaction_id, created_by, created_at, updated_at) VALUES \
    ($1, $2, $3, $4, 'signed', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
    $19, $20, $21, $22, $23, $24, NULL, $25, $26, $26) RETURNING id";
const SET_RESERVE: &str = "UPDATE work_contracts SET reserve_transaction_id = $1 WHERE id = $2";
const INSERT_ADVANCE: &str = "INSERT INTO guarantee_advances (contract_id, activity_id, \
    client_id, quote_id, amount_cents, repaid_cents, lost_cents, status, advanced_on, \
    transaction_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, 0, 'open', $6, $7, \
    $8, $8)";
const ADVANCE_OF_CONTRACT: &str = "SELECT id, amount_cents, repaid_cents, lost_cents, status, \
    transaction_id FROM guarantee_advances WHERE contract_id = $1";
const CANCEL_ADVANCE: &str = "UPDATE guarantee_advances SET status = 'cancelled', \
    updated_at = $1 WHERE id = $2 AND status = 'open'";
const CANCEL: &str = "UPDATE work_contracts SET status = 'cancelled', cancelled_on = $1, \
    updated_at = $2 WHERE id = $3 AND status = 'signed'";
const OPEN_ADVANCES_OF_QUOTE: &str = "SELECT id, activity_id, amount_cents - repaid_cents - \
    lost_cents FROM guarantee_advances WHERE status = 'open' AND quote_id = $1 ORDER BY id";
const REPAY_ADVANCE: &str = "UPDATE guarantee_advances SET repaid_cents = repaid_cents + $1, \
    lost_cents = lost_cents + $2, status = CASE WHEN amount_cents - repaid_cents - lost_cents \
    - $1 - $2 > 0 THEN 'open' WHEN lost_cents + $2 > 0 THEN 'lost' ELSE 'repaid' END, \
    updated_at = $3 WHERE id = $4 AND status = 'open'";
const INSERT_REPAYMENT: &str = "INSERT INTO guarantee_repayments (advance_id, invoice_id, kind, \
    amount_cents, occurred_on, transaction_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
macro_rules! advance_select {
    () => {
        "SELECT g.id, g.contract_id, g.activity_id, a.name AS activity_name, g.client_id, \
         c.name AS client_name, g.quote_id, g.amount_cents, g.repaid_cents, g.lost_cents, \
         g.status, g.advanced_on FROM guarantee_advances g \
         JOIN activities a ON a.id = g.activity_id JOIN clients c ON c.id = g.client_id"
    };
}
const ADVANCES: &str = concat!(
    advance_select!(),
    " WHERE (CAST($1 AS TEXT) IS NULL OR g.status = $1) ORDER BY g.id DESC LIMIT $2 OFFSET $3"
);
const ADVANCES_COUNT: &str = "SELECT COUNT(*) FROM guarantee_advances \
    WHERE (CAST($1 AS TEXT) IS NULL OR status = $1)";
const FUND_TOTALS: &str = "SELECT COUNT(*), \
    CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT), \
    CAST(COALESCE(SUM(repaid_cents), 0) AS BIGINT), \
    CAST(COALESCE(SUM(lost_cents), 0) AS BIGINT) \
    FROM guarantee_advances WHERE status <> 'cancelled'";
// With the worker's bank account and address, for the payout order.
const DUE_CONTRACTS: &str = concat!(
    contract_select!(
        ", p.iban AS worker_iban, p.street AS worker_street, p.postcode AS worker_postcode, \
         p.city AS worker_city, p.country AS worker_country"
    ),
    " WHERE c.status = 'signed' AND c.last_day <= $1 ORDER BY c.due_on, c.id LIMIT $2"
);
const INSERT_RUN: &str = "INSERT INTO pay_runs (entity_id, pay_date, contract_count, \
    net_total_cents, employer_cost_total_cents, created_by, created_at) \
    VALUES ($1, $2, 0, 0, 0, $3, $4) RETURNING id";
const FINISH_RUN: &str = "UPDATE pay_runs SET contract_count = $1, net_total_cents = $2, \
    employer_cost_total_cents = $3 WHERE id = $4";
const SET_RUN_BATCH: &str = "UPDATE pay_runs SET payout_batch_id = $1 WHERE id = $2";
const SET_PAID: &str = "UPDATE work_contracts SET status = 'paid', pay_run_id = $1, \
    salary_transaction_id = $2, payout_id = $3, updated_at = $4 WHERE id = $5 AND status = 'signed'";
macro_rules! run_select {
    () => {
        "SELECT r.id, r.entity_id, e.name AS entity_name, r.pay_date, r.contract_count, \
         r.net_total_cents, r.employer_cost_total_cents, r.payout_batch_id, r.created_by, \
         r.created_at FROM pay_runs r JOIN legal_entities e ON e.id = r.entity_id"
    };
}
const RUN_GET: &str = concat!(run_select!(), " WHERE r.id = $1");
const RUNS: &str = concat!(run_select!(), " ORDER BY r.id DESC LIMIT $1 OFFSET $2");
const RUNS_COUNT: &str = "SELECT COUNT(*) FROM pay_runs";
// The year's contracts summed per (activity, worker) once, from the covering index, then per
// office (the join reads one row per pair rather than one per contract: 0.83 s → 0.18 s on the
// reference year) and over all (the headcount counts a worker of two offices once): the first
// row, `per_office` 0, is the total. One pass over the year's contracts instead of two
// (0.14 s → 0.08 s, docs/benchmarks.md).
// The unary `+` keeps SQLite on the covering index `work_contracts_by_start` (as in the
// figures' net turnover per office): after ANALYZE it would otherwise read every contract row
// through `work_contracts_by_activity`, 0.54 s instead of 0.18 s. PostgreSQL ignores it.
const VOLUME: &str = "WITH x AS MATERIALIZED (SELECT +activity_id AS activity_id, \
      +worker_person_id AS worker, COUNT(*) AS n, SUM(minutes) AS m FROM work_contracts \
      WHERE status <> 'cancelled' AND kind <> 'amateur-arts' \
      AND starts_on >= $1 AND starts_on < $2 GROUP BY 1, 2) \
    SELECT CAST(1 AS BIGINT) AS per_office, o.id, o.name, CAST(SUM(x.n) AS BIGINT), \
      CAST(COALESCE(SUM(x.m), 0) AS BIGINT), COUNT(DISTINCT x.worker) \
    FROM x JOIN activities a ON a.id = x.activity_id JOIN offices o ON o.id = a.office_id \
    GROUP BY o.id, o.name \
    UNION ALL SELECT CAST(0 AS BIGINT), CAST(0 AS BIGINT), '', \
      CAST(COALESCE(SUM(x.n), 0) AS BIGINT), CAST(COALESCE(SUM(x.m), 0) AS BIGINT), \
      COUNT(DISTINCT x.worker) FROM x \
    ORDER BY 1, 3";
// Open-ended contracts give their weekly hours: 38 h or more is full time.
const NEW_OPEN_ENDED: &str = "SELECT COALESCE(p.gender, 'u'), \
    CAST(CASE WHEN c.minutes >= 2280 THEN 1 ELSE 0 END AS BIGINT), COUNT(*) \
    FROM work_contracts c JOIN persons p ON p.id = c.worker_person_id \
    WHERE c.status <> 'cancelled' AND c.kind = 'open-ended' AND c.starts_on >= $1 \
    AND c.starts_on < $2 GROUP BY 1, 2 ORDER BY 1, 2";
const DIMONA_DAY: &str = "SELECT c.id AS contract_id, c.kind, c.status, c.signed_on, \
    c.cancelled_on, c.starts_on, c.ends_on, c.minutes, c.joint_committee, p.niss, p.first_name, \
    p.last_name FROM work_contracts c JOIN persons p ON p.id = c.worker_person_id \
    WHERE c.kind <> 'amateur-arts' AND (c.signed_on = $1 OR c.cancelled_on = $1) \
    ORDER BY c.id LIMIT $2";

fn date_of(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("stored date {s}")))
}

fn refused(e: ruche_domain::ledger::LedgerError) -> StoreError {
    StoreError::Corrupt(format!("ledger transaction refused: {e}"))
}

/// A balanced transaction of `kind` from `postings`, sourced on the contract.
fn transaction(
    kind: TransactionKind,
    on: Date,
    memo: String,
    source: (&str, i64),
    postings: Vec<Posting>,
) -> Result<NewTransaction> {
    NewTransaction::new(
        kind,
        on,
        memo,
        Some((source.0.to_string(), source.1)),
        postings,
    )
    .map_err(refused)
}

/// Repays, inside `$tx`, the guarantee advances of the order (quote) an invoice came from,
/// oldest first, from `$credited` — what the invoice's payment (net of the contribution) or
/// write-off has just credited to the activity's budget. `$kind` is `"repaid"` for a
/// client's payment and `"lost"` for a write-off (the fund bears it: the write-off made the
/// member whole from the fund). Nothing happens when the invoice came from no quote or the
/// quote has no open advance.
macro_rules! repay_guarantee_in {
    ($tx:ident, $ctx:expr, $invoice:expr, $credited:expr, $on:expr, $kind:expr) => {{
        let invoice: &$crate::invoices::InvoiceRecord = $invoice;
        let credited: i64 = $credited;
        let on: jiff::civil::Date = $on;
        let kind: &'static str = $kind;
        if let (Some(quote_id), true) = (invoice.quote_id, credited > 0) {
            let open: Vec<(i64, i64, i64)> =
                sqlx::query_as($crate::employment::OPEN_ADVANCES_OF_QUOTE_SQL)
                    .bind(quote_id)
                    .fetch_all(&mut *$tx)
                    .await?;
            let dues: Vec<i64> = open.iter().map(|(_, _, due)| *due).collect();
            for (i, amount) in ruche_domain::employment::guarantee::repayments(&dues, credited) {
                let (advance_id, activity_id, _) = open[i];
                let repayment = ruche_domain::ledger::NewTransaction::new(
                    ruche_domain::ledger::TransactionKind::GuaranteeRepaid,
                    on,
                    format!("guarantee repaid from {}", invoice.number.as_deref().unwrap_or("")),
                    Some(("guarantee-advance".to_string(), advance_id)),
                    vec![
                        ruche_domain::ledger::Posting::debit(
                            ruche_domain::ledger::AccountCode::ActivityBudget(activity_id),
                            amount,
                        ),
                        ruche_domain::ledger::Posting::credit(
                            ruche_domain::ledger::AccountCode::GuaranteeFund,
                            amount,
                        ),
                    ],
                )
                .map_err(|e| $crate::StoreError::Corrupt(e.to_string()))?;
                let transaction_id = $crate::ledger::post_in!($tx, $ctx, &repayment);
                let (repaid, lost) = if kind == "lost" { (0, amount) } else { (amount, 0) };
                let done = sqlx::query($crate::employment::REPAY_ADVANCE_SQL)
                    .bind(repaid)
                    .bind(lost)
                    .bind($crate::now_micros())
                    .bind(advance_id)
                    .execute(&mut *$tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err($crate::StoreError::Corrupt(format!(
                        "guarantee advance {advance_id} changed under a repayment"
                    )));
                }
                sqlx::query($crate::employment::INSERT_REPAYMENT_SQL)
                    .bind(advance_id)
                    .bind(invoice.id)
                    .bind(kind)
                    .bind(amount)
                    .bind(on.to_string())
                    .bind(transaction_id)
                    .bind($crate::now_micros())
                    .execute(&mut *$tx)
                    .await?;
                audit!(
                    $tx,
                    $ctx,
                    kind,
                    "guarantee_advance",
                    Some(advance_id),
                    None::<&()>,
                    Some(&serde_json::json!({ "invoice_id": invoice.id, "amount_cents": amount }))
                );
            }
        }
    }};
}
pub(crate) use repay_guarantee_in;

pub(crate) const OPEN_ADVANCES_OF_QUOTE_SQL: &str = OPEN_ADVANCES_OF_QUOTE;
pub(crate) const REPAY_ADVANCE_SQL: &str = REPAY_ADVANCE;
pub(crate) const INSERT_REPAYMENT_SQL: &str = INSERT_REPAYMENT;

/// Signs a contract inside the database transaction `$tx` and evaluates to it as signed:
/// the work-volume rules, the budget or the fund's guarantee, the reservation posted;
/// returns early (rolling `$tx` back) on a refusal. The body of [`Store::sign_contract`],
/// shared with [`Store::sign_contracts`].
macro_rules! sign_in {
    ($tx:ident, $ctx:expr, $new:expr, $pay:expr, $on:expr) => {{
        let ctx: &AuditContext = $ctx;
        let new: &NewContract = $new;
        let pay: &ContractPay = $pay;
        let on: Date = $on;
        let limits =
            rules_on(new.starts_on).map_err(|_| StoreError::Conflict(REFUSED_NO_PARAMETERS))?;
        let simulation = serde_json::to_string(&pay.simulation)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = now_micros();
        sqlx::query(LOCK_BUDGET)
            .bind(new.activity_id)
            .execute(&mut *$tx)
            .await?;
        let activity: Option<(String,)> = sqlx::query_as(ACTIVITY)
            .bind(new.activity_id)
            .fetch_optional(&mut *$tx)
            .await?;
        match activity {
            None => return Err(StoreError::NotFound),
            Some((status,)) if status != "active" => {
                return Err(StoreError::Conflict(REFUSED_NOT_ACTIVE));
            }
            Some(_) => {}
        }
        let worker: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
            .bind(new.worker_person_id)
            .fetch_optional(&mut *$tx)
            .await?;
        if worker.is_none() {
            return Err(StoreError::Refused(
                ruche_domain::validate::FieldErrors::single("worker", "contract-choice"),
            ));
        }
        // The worker's contracts of the start's year and any overlapping this one.
        let year_start = jiff::civil::date(new.starts_on.year(), 1, 1);
        let rows: Vec<(i64, String, String, String, i64, i64, i64)> = sqlx::query_as(OTHERS)
            .bind(new.worker_person_id)
            .bind(year_start.to_string())
            .bind(new.last_day().to_string())
            .bind(MAX_OTHER_CONTRACTS)
            .fetch_all(&mut *$tx)
            .await?;
        let mut others = Vec::with_capacity(rows.len());
        for (id, kind, starts_on, last_day, days, minutes, gross_cents) in rows {
            others.push(OtherContract {
                id,
                kind: ContractKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("contract kind {kind}")))?,
                starts_on: date_of(&starts_on)?,
                last_day: date_of(&last_day)?,
                days: u16::try_from(days).unwrap_or(u16::MAX),
                minutes,
                gross_cents,
            });
        }
        let flags = volume::check(new, &others, limits).map_err(StoreError::Refused)?;
        let flags: Vec<&str> = flags.iter().map(|f| f.code()).collect();

        let (balance,): (i64,) = sqlx::query_as(BALANCE)
            .bind(AccountCode::ActivityBudget(new.activity_id).to_string())
            .fetch_one(&mut *$tx)
            .await?;
        let available = AccountKind::Liability.shown(balance);
        let mut order_client: Option<i64> = None;
        let order = match new.order_quote_id {
            None => None,
            Some(quote_id) => {
                let quote: Option<(i64, i64, String, i64, String)> = sqlx::query_as(QUOTE)
                    .bind(quote_id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                let Some((activity_id, client_id, status, net, country)) = quote else {
                    return Err(StoreError::Conflict(REFUSED_ORDER));
                };
                if activity_id != new.activity_id {
                    return Err(StoreError::Conflict(REFUSED_ORDER));
                }
                order_client = Some(client_id);
                let (advanced,): (i64,) = sqlx::query_as(OUTSTANDING_QUOTE)
                    .bind(quote_id)
                    .fetch_one(&mut *$tx)
                    .await?;
                Some(Order {
                    accepted: matches!(status.as_str(), "accepted" | "invoiced"),
                    client_country: country,
                    net_cents: net,
                    advanced_cents: advanced,
                })
            }
        };
        let (outstanding_activity,): (i64,) = sqlx::query_as(OUTSTANDING_ACTIVITY)
            .bind(new.activity_id)
            .fetch_one(&mut *$tx)
            .await?;
        let outstanding_client = match order_client {
            Some(client_id) => {
                let (o,): (i64,) = sqlx::query_as(OUTSTANDING_CLIENT)
                    .bind(client_id)
                    .fetch_one(&mut *$tx)
                    .await?;
                o
            }
            None => 0,
        };
        let funding = guarantee::decide(
            &guarantee::Request {
                available_cents: available,
                employer_cost_cents: pay.employer_cost_cents,
                order,
                outstanding_activity_cents: outstanding_activity,
                outstanding_client_cents: outstanding_client,
            },
            limits,
        )
        .map_err(|r| StoreError::Conflict(r.code()))?;

        let due_on = salary_due_on(new.last_day(), limits.guarantee_pay_days);
        let (id,): (i64,) = sqlx::query_as(INSERT)
            .bind(new.activity_id)
            .bind(new.worker_person_id)
            .bind(new.kind.code())
            .bind(match new.worker_status {
                ruche_domain::payroll::WorkerStatus::Employee => "employee",
                ruche_domain::payroll::WorkerStatus::Manual => "manual",
            })
            .bind(new.starts_on.to_string())
            .bind(new.ends_on.map(|d| d.to_string()))
            .bind(new.last_day().to_string())
            .bind(i64::from(new.days))
            .bind(new.minutes)
            .bind(&new.function)
            .bind(&new.joint_committee)
            .bind(new.pay_basis.code())
            .bind(new.amount_cents)
            .bind(pay.gross_cents)
            .bind(pay.net_cents)
            .bind(pay.employer_cost_cents)
            .bind(&pay.params_version)
            .bind(&simulation)
            .bind(new.order_quote_id)
            .bind(new.attestation.as_deref())
            .bind(new.attestation_valid_until.map(|d| d.to_string()))
            .bind(flags.join(","))
            .bind(due_on.to_string())
            .bind(on.to_string())
            .bind(ctx.actor_account_id)
            .bind(now)
            .fetch_one(&mut *$tx)
            .await?;
        if let (Funding::Guaranteed { advance_cents }, Some(quote_id), Some(client_id)) =
            (funding, new.order_quote_id, order_client)
        {
            let advance = transaction(
                TransactionKind::GuaranteeAdvanced,
                on,
                format!("salary guarantee for contract {id}"),
                ("work-contract", id),
                vec![
                    Posting::debit(AccountCode::GuaranteeFund, advance_cents),
                    Posting::credit(AccountCode::ActivityBudget(new.activity_id), advance_cents),
                ],
            )?;
            let advance_tx = post_in!($tx, ctx, &advance);
            sqlx::query(INSERT_ADVANCE)
                .bind(id)
                .bind(new.activity_id)
                .bind(client_id)
                .bind(quote_id)
                .bind(advance_cents)
                .bind(on.to_string())
                .bind(advance_tx)
                .bind(now)
                .execute(&mut *$tx)
                .await?;
        }
        let reserve = transaction(
            TransactionKind::WorkReserved,
            on,
            format!("employment contract {id}"),
            ("work-contract", id),
            vec![
                Posting::debit(
                    AccountCode::ActivityBudget(new.activity_id),
                    pay.employer_cost_cents,
                ),
                Posting::credit(
                    AccountCode::ActivityReserved(new.activity_id),
                    pay.employer_cost_cents,
                ),
            ],
        )?;
        let reserve_tx = post_in!($tx, ctx, &reserve);
        sqlx::query(SET_RESERVE)
            .bind(reserve_tx)
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        let after = sqlx::query_as::<_, ContractRecord>(GET)
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
        audit!(
            $tx,
            ctx,
            "sign",
            "work_contract",
            Some(id),
            None::<&()>,
            Some(&after)
        );
        after
    }};
}

impl Store {
    /// Signs a checked contract on `on`: the work-volume checks against the worker's other
    /// contracts (`Refused` with the field and the rule), the funding decision
    /// (`Conflict(<refusal code>)` when neither the budget nor the guarantee covers it), the
    /// fund's advance if any and the reservation of the employer cost, in one transaction
    /// under the activity's budget lock. `pay` is the simulation of the contract
    /// ([`ruche_domain::employment::pay_of`]).
    pub async fn sign_contract(
        &self,
        ctx: &AuditContext,
        new: &NewContract,
        pay: &ContractPay,
        on: Date,
    ) -> Result<ContractRecord> {
        write_tx!(self, tx => {
            let after = sign_in!(tx, ctx, new, pay, on);
            Ok(after)
        })
    }

    /// Signs several contracts, `(contract, its pay, signed on)`, in one database
    /// transaction, each exactly as [`Store::sign_contract`] signs one (in the order given:
    /// a contract sees the budget and hours of those before it). For writing many at once
    /// (the reference-year generator). All or nothing: the first refusal rolls every one back.
    pub async fn sign_contracts(
        &self,
        ctx: &AuditContext,
        contracts: &[(NewContract, ContractPay, Date)],
    ) -> Result<Vec<ContractRecord>> {
        write_tx!(self, tx => {
            let mut signed = Vec::with_capacity(contracts.len());
            for (new, pay, on) in contracts {
                signed.push(sign_in!(tx, ctx, new, pay, *on));
            }
            Ok(signed)
        })
    }

    /// Cancels a signed contract on `on`: its reservation is reversed, and the fund's
    /// advance too if nothing of it was repaid (`Conflict(REFUSED_REPAID)` otherwise).
    pub async fn cancel_contract(
        &self,
        ctx: &AuditContext,
        id: i64,
        on: Date,
    ) -> Result<ContractRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ContractRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if before.status()? != ContractStatus::Signed {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            sqlx::query(LOCK_BUDGET).bind(before.activity_id).execute(&mut *tx).await?;
            let advance: Option<(i64, i64, i64, i64, String, i64)> =
                sqlx::query_as(ADVANCE_OF_CONTRACT).bind(id).fetch_optional(&mut *tx).await?;
            if let Some((advance_id, _, repaid, lost, status, advance_tx)) = advance {
                if repaid + lost > 0 || status != "open" {
                    return Err(StoreError::Conflict(REFUSED_REPAID));
                }
                reverse_in!(tx, ctx, advance_tx, on);
                sqlx::query(CANCEL_ADVANCE).bind(now_micros()).bind(advance_id).execute(&mut *tx).await?;
            }
            if let Some(reserve_tx) = before.reserve_transaction_id {
                reverse_in!(tx, ctx, reserve_tx, on);
            }
            let done = sqlx::query(CANCEL)
                .bind(on.to_string())
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = sqlx::query_as::<_, ContractRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "cancel", "work_contract", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn contract(&self, id: i64) -> Result<ContractRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ContractRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn contracts(
        &self,
        filter: &ContractFilter,
        page: PageRequest,
    ) -> Result<Page<ContractRecord>> {
        let status = filter.status.map(|s| s.code());
        with_db!(self, pool => {
            let items = sqlx::query_as::<_, ContractRecord>(LIST)
                .bind(filter.activity_id)
                .bind(filter.worker_person_id)
                .bind(status)
                .bind(filter.office_id)
                .bind(filter.pay_run_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.activity_id)
                .bind(filter.worker_person_id)
                .bind(status)
                .bind(filter.office_id)
                .bind(filter.pay_run_id)
                .fetch_one(pool)
                .await?;
            Ok(Page { items, total, page: page.page, per_page: page.per_page })
        })
    }

    /// The fund's advances, newest first; `status` filters (`open`, `repaid`, `lost`).
    pub async fn guarantee_advances(
        &self,
        status: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<AdvanceRecord>> {
        with_db!(self, pool => {
            let items = sqlx::query_as::<_, AdvanceRecord>(ADVANCES)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(ADVANCES_COUNT).bind(status).fetch_one(pool).await?;
            Ok(Page { items, total, page: page.page, per_page: page.per_page })
        })
    }

    /// The fund's figures: its advances (cancelled ones aside) and its ledger balance.
    pub async fn guarantee_fund(&self) -> Result<FundSummary> {
        let balance = self
            .account_balance(&AccountCode::GuaranteeFund, None::<Date>)
            .await?;
        with_db!(self, pool => {
            let (advances, advanced, repaid, lost): (i64, i64, i64, i64) =
                sqlx::query_as(FUND_TOTALS).fetch_one(pool).await?;
            Ok(FundSummary {
                advances,
                advanced_cents: advanced,
                repaid_cents: repaid,
                lost_cents: lost,
                outstanding_cents: advanced - repaid - lost,
                balance_cents: AccountKind::Equity.shown(balance),
            })
        })
    }

    /// Runs the pay of legal entity `entity_id` on `pay_date`: every signed contract whose
    /// work is over by then (at most [`MAX_CONTRACTS_PER_RUN`]) gets its `salary-due`
    /// posting and its salary payout order (requested on the pay date), in one transaction.
    /// A worker without an IBAN holds their contract back (listed). `Conflict(NOTHING_DUE)`
    /// when no contract could be paid.
    pub async fn create_pay_run(
        &self,
        ctx: &AuditContext,
        entity_id: i64,
        pay_date: Date,
    ) -> Result<PayRunOutcome> {
        let now = now_micros();
        write_tx!(self, tx => {
            let due = sqlx::query_as::<_, DueContract>(DUE_CONTRACTS)
                .bind(pay_date.to_string())
                .bind(MAX_CONTRACTS_PER_RUN)
                .fetch_all(&mut *tx)
                .await?;
            let (run_id,): (i64,) = sqlx::query_as(INSERT_RUN)
                .bind(entity_id)
                .bind(pay_date.to_string())
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let (mut count, mut net_total, mut cost_total) = (0i64, 0i64, 0i64);
            let mut held = Vec::new();
            for DueContract { contract: c, worker_iban, worker_street, worker_postcode, worker_city, worker_country } in due {
                let Some(iban) = worker_iban.as_deref().and_then(|i| Iban::parse(i).ok()) else {
                    held.push(HeldContract {
                        contract_id: c.id,
                        worker_name: c.worker_name,
                        reason: "pay-run-no-iban",
                    });
                    continue;
                };
                let payroll = c.employer_cost_cents - c.net_cents;
                let mut postings = vec![
                    Posting::debit(AccountCode::ActivityReserved(c.activity_id), c.employer_cost_cents),
                    Posting::credit(AccountCode::SalariesPayable, c.net_cents),
                ];
                if payroll != 0 {
                    postings.push(Posting::credit(AccountCode::PayrollPayable, payroll));
                }
                let salary = transaction(
                    TransactionKind::SalaryDue,
                    pay_date,
                    format!("salary of contract {}", c.id),
                    ("work-contract", c.id),
                    postings,
                )?;
                let salary_tx = post_in!(tx, ctx, &salary);
                let order = NewPayout {
                    kind: PayoutKind::Salary,
                    entity_id,
                    beneficiary_name: c.worker_name.clone(),
                    iban,
                    bic: None,
                    address: PostalAddress {
                        street: Some(worker_street),
                        building_number: None,
                        postcode: Some(worker_postcode),
                        town: worker_city,
                        country: worker_country,
                    },
                    amount_cents: c.net_cents,
                    remittance: Some(Remittance::Text(format!("Salaire contrat {} / loon contract {}", c.id, c.id))),
                    ledger_account: AccountCode::SalariesPayable,
                    activity_id: Some(c.activity_id),
                    person_id: Some(c.worker_person_id),
                    source: Some(("work-contract".to_string(), c.id)),
                    requested_on: pay_date,
                };
                let payout = insert_payout_in!(tx, ctx, &order);
                let done = sqlx::query(SET_PAID)
                    .bind(run_id)
                    .bind(salary_tx)
                    .bind(payout.id)
                    .bind(now)
                    .bind(c.id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict(REFUSED_STATUS));
                }
                count += 1;
                net_total += c.net_cents;
                cost_total += c.employer_cost_cents;
            }
            if count == 0 {
                return Err(StoreError::Conflict(NOTHING_DUE));
            }
            sqlx::query(FINISH_RUN)
                .bind(count)
                .bind(net_total)
                .bind(cost_total)
                .bind(run_id)
                .execute(&mut *tx)
                .await?;
            let run = sqlx::query_as::<_, PayRunRecord>(RUN_GET).bind(run_id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "create", "pay_run", Some(run_id), None::<&()>, Some(&run));
            Ok(PayRunOutcome { run, held })
        })
    }

    /// Links a pay run to the payout batch that carries its salaries.
    pub async fn set_pay_run_batch(
        &self,
        ctx: &AuditContext,
        run_id: i64,
        batch_id: i64,
    ) -> Result<PayRunRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, PayRunRecord>(RUN_GET)
                .bind(run_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query(SET_RUN_BATCH).bind(batch_id).bind(run_id).execute(&mut *tx).await?;
            let after = sqlx::query_as::<_, PayRunRecord>(RUN_GET).bind(run_id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "batch", "pay_run", Some(run_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn pay_run(&self, id: i64) -> Result<PayRunRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, PayRunRecord>(RUN_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn pay_runs(&self, page: PageRequest) -> Result<Page<PayRunRecord>> {
        with_db!(self, pool => {
            let items = sqlx::query_as::<_, PayRunRecord>(RUNS)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(RUNS_COUNT).fetch_one(pool).await?;
            Ok(Page { items, total, page: page.page, per_page: page.per_page })
        })
    }

    /// The year's hours, FTE and headcount, with the new open-ended contracts by gender
    /// and full or part time, and the same per office. The amateur-arts allowance is not
    /// employment and is left out.
    pub async fn work_volume(&self, year: i16) -> Result<WorkVolume> {
        let from = jiff::civil::date(year, 1, 1).to_string();
        let to = jiff::civil::date(year.saturating_add(1), 1, 1).to_string();
        with_db!(self, pool => {
            let volume: Vec<(i64, i64, String, i64, i64, i64)> =
                sqlx::query_as(VOLUME).bind(&from).bind(&to).fetch_all(pool).await?;
            let rows: Vec<(String, i64, i64)> =
                sqlx::query_as(NEW_OPEN_ENDED).bind(&from).bind(&to).fetch_all(pool).await?;
            let mut volume = volume.into_iter();
            let Some((0, _, _, contracts, minutes, headcount)) = volume.next() else {
                return Err(StoreError::Corrupt("the year's work volume has no total".into()));
            };
            let by_office = volume.map(|(_, id, name, n, m, heads)| (id, name, n, m, heads)).collect();
            Ok(WorkVolume {
                year,
                contracts,
                minutes,
                headcount,
                new_open_ended: rows.into_iter().map(|(g, full, n)| (g, full == 1, n)).collect(),
                by_office,
            })
        })
    }

    /// The contracts signed or cancelled on `day`, with their workers: the day's DIMONA file.
    pub async fn dimona_rows(&self, day: Date, limit: i64) -> Result<Vec<DimonaRow>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, DimonaRow>(DIMONA_DAY)
                .bind(day.to_string())
                .bind(limit)
                .fetch_all(pool)
                .await?)
        })
    }
}
