//! 0 % member loans (C8; reference/employment.md §6).
//!
//! A member applies for an activity they hold; an advisor of the activity's office gives an
//! opinion; the committee (board or administrator, four eyes) approves or refuses; the
//! treasury disburses to the activity's budget or straight to a supplier. The schedule is
//! [`ruche_domain::loans::schedule::schedule`] (P / n, remainder on the last, no interest).
//!
//! Money is in the ledger (DESIGN.md §3), on `loan:<id>:receivable`:
//!
//! | event | debit | credit | kind |
//! |---|---|---|---|
//! | disbursed to the budget | loan receivable | activity budget | `loan-disbursed` |
//! | disbursed to a supplier | loan receivable | entity bank | `loan-disbursed` |
//! | repaid from an incoming payment, or early from the budget | activity budget | loan receivable | `loan-repaid` |
//! | repaid by transfer | entity bank | loan receivable | `loan-repaid` |
//! | written off | loan fund | loan receivable | `write-off` |
//!
//! After every repayment the open instalments must add up to the ledger's balance of the
//! loan (asserted; `Corrupt` otherwise). Repayments are taken **automatically** from an
//! activity's incoming payments ([`repay_loans_from_payment_in`], called by the invoice
//! payment inside the same database transaction): what is due and past due, oldest first,
//! never more than the payment's net amount, never leaving the budget negative.

use jiff::civil::Date;
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_domain::loans::delinquency::{bucket_label, bucket_of, days_past_due, ratio_ppm};
use ruche_domain::loans::schedule::schedule;
use ruche_domain::loans::{
    Decision, DisburseTo, Disbursement, LoanEvent, LoanStatus, NewLoanApplication, Opinion,
    Repayment, Rescheduling, WriteOff, four_eyes_ok, loan_ogm, loan_params_on,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::attachments::{NewAttachment, insert_attachments_in};
use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Refused` code: the person does not hold the activity.
pub const REFUSED_NOT_HOLDER: &str = "loan-not-holder";
/// `Refused` code: the member already has as many open applications as the rules allow.
pub const REFUSED_OPEN_LIMIT: &str = "loan-open-limit";
/// `Refused` code: more than the loan still owes.
pub const REFUSED_ABOVE_OUTSTANDING: &str = "loan-above-outstanding";
/// `Refused` code: the activity's budget does not hold the amount.
pub const REFUSED_BUDGET_SHORT: &str = "loan-budget-short";
/// `Conflict` code: the loan is not in a state that allows this.
pub const REFUSED_STATE: &str = "loan-state";
/// `Conflict` code: the decider applied for the loan or gave the opinion (four eyes).
pub const REFUSED_FOUR_EYES: &str = "loan-four-eyes";
/// `Conflict` code: no loan parameters for the day, or no legal entity to lend from.
pub const REFUSED_NO_PRODUCT: &str = "loan-no-product";

/// The figure keys of the loans section (labels `fig-<key>` in indicators.ftl).
pub const FIGURE_KEYS: [&str; 6] = [
    "loans-granted",
    "loans-amount",
    "loans-granted-since-launch",
    "loans-amount-since-launch",
    "loans-outstanding",
    "loans-written-off",
];

/// The most rows one read takes (TigerStyle: a bound on every list).
const MAX_ROWS: i64 = 100_000;

/// Where a repayment comes from (`loan_repayments.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepaymentSource {
    /// Taken automatically from an incoming payment of the activity.
    Budget,
    /// Received by transfer with the loan's structured communication.
    Transfer,
    /// An early repayment from the activity's budget, asked by the member or the treasury.
    Early,
}

impl RepaymentSource {
    pub fn code(self) -> &'static str {
        match self {
            RepaymentSource::Budget => "budget",
            RepaymentSource::Transfer => "transfer",
            RepaymentSource::Early => "early",
        }
    }
}

/// A loan as stored, with its activity, applicant and what it still owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LoanRecord {
    pub id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub office_id: i64,
    pub entity_id: i64,
    pub applicant_person_id: i64,
    pub applicant_name: String,
    pub applied_by: Option<i64>,
    pub purpose: String,
    pub principal_cents: i64,
    pub instalments: i64,
    pub justification: String,
    pub criteria: String,
    pub criteria_confirmed: String,
    pub status: String,
    pub ogm: String,
    pub params_version: String,
    pub applied_on: String,
    pub opinion_favourable: Option<bool>,
    pub opinion: Option<String>,
    pub opinion_by: Option<i64>,
    pub opinion_at: Option<i64>,
    pub decision_conditions: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_on: Option<String>,
    pub disbursed_on: Option<String>,
    pub disbursed_to: Option<String>,
    pub supplier_name: Option<String>,
    pub supplier_iban: Option<String>,
    pub first_due_on: Option<String>,
    pub reschedule_count: i64,
    pub closed_on: Option<String>,
    pub written_off_on: Option<String>,
    pub write_off_reason: Option<String>,
    pub written_off_cents: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// The balance of `loan:<id>:receivable` (what the member still owes).
    pub outstanding_cents: i64,
    /// The due date of the oldest instalment not fully repaid.
    pub next_due_on: Option<String>,
    /// What is left of that instalment.
    pub next_due_cents: Option<i64>,
}

impl LoanRecord {
    pub fn status(&self) -> Result<LoanStatus> {
        LoanStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("loan {} status {}", self.id, self.status)))
    }

    /// Codes of the criteria the member ticked.
    pub fn criteria_codes(&self) -> Vec<&str> {
        split_codes(&self.criteria)
    }

    /// Codes of the criteria the advisor confirmed.
    pub fn confirmed_codes(&self) -> Vec<&str> {
        split_codes(&self.criteria_confirmed)
    }

    /// Days past due of the oldest unpaid instalment on `today` (0 when none is late).
    pub fn days_past_due(&self, today: Date) -> i64 {
        let oldest = self.next_due_on.as_deref().and_then(|d| d.parse().ok());
        if self.status == LoanStatus::Active.code() {
            days_past_due(oldest, today)
        } else {
            0
        }
    }

    /// The printed structured communication (`+++080/0000/04249+++`).
    pub fn ogm_printed(&self) -> String {
        ruche_domain::ident::Ogm::parse(&self.ogm)
            .map(|o| o.to_string())
            .unwrap_or_else(|_| self.ogm.clone())
    }
}

fn split_codes(s: &str) -> Vec<&str> {
    s.split(',').filter(|c| !c.is_empty()).collect()
}

/// One instalment of a loan's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InstalmentRecord {
    pub id: i64,
    pub loan_id: i64,
    pub schedule_no: i64,
    pub number: i64,
    pub due_on: String,
    pub principal_cents: i64,
    pub repaid_cents: i64,
    /// `open`, `paid`, `superseded` (by a rescheduling) or `written-off`.
    pub status: String,
}

impl InstalmentRecord {
    pub fn remaining_cents(&self) -> i64 {
        self.principal_cents - self.repaid_cents
    }
}

/// One repayment of one instalment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LoanRepaymentRecord {
    pub id: i64,
    pub loan_id: i64,
    pub instalment_id: i64,
    pub instalment_number: i64,
    pub amount_cents: i64,
    pub paid_on: String,
    pub source: String,
    pub invoice_id: Option<i64>,
    pub transaction_id: i64,
    pub created_at: i64,
}

/// An arrears reminder sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LoanReminderRecord {
    pub id: i64,
    pub loan_id: i64,
    pub instalment_id: i64,
    pub bucket: i64,
    pub days_past_due: i64,
    pub run_on: String,
    pub mail_id: Option<i64>,
}

/// Filters of a list of loans; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    pub status: Option<LoanStatus>,
    /// Loans the person applied for or that are on an activity they hold.
    pub person_id: Option<i64>,
    pub activity_id: Option<i64>,
}

/// Loans granted (disbursed) in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantedYear {
    pub year: i64,
    pub count: i64,
    pub cents: i64,
}

/// One delinquency bucket of the aging table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgingLine {
    /// `1-30`, `31-60`, …, `181+`.
    pub label: String,
    pub loans: i64,
    pub outstanding_cents: i64,
}

/// The loan portfolio: what was granted per year and since launch, what is owed, what is
/// at risk (reference/employment.md §6.5), what was written off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanPortfolio {
    pub year: i16,
    /// The end of the year, or `today` for the current year.
    pub as_of: Date,
    pub granted_count: i64,
    pub granted_cents: i64,
    /// Up to the end of the year.
    pub since_launch_count: i64,
    pub since_launch_cents: i64,
    /// Every year up to `as_of`, oldest first.
    pub per_year: Vec<GrantedYear>,
    /// The balance of every loan account on `as_of` (the ledger).
    pub outstanding_cents: i64,
    /// Today: loans being repaid, and what they owe.
    pub active_count: i64,
    pub active_outstanding_cents: i64,
    /// Today: outstanding of loans at least 1 / 30 days past due (PAR1 / PAR30).
    pub at_risk_1_cents: i64,
    pub at_risk_30_cents: i64,
    pub par1_ppm: i64,
    pub par30_ppm: i64,
    pub aging: Vec<AgingLine>,
    pub written_off_count: i64,
    pub written_off_cents: i64,
}

// ------------------------------------------------------------------------------- SQL

macro_rules! loan_select {
    () => {
        "SELECT l.id, l.activity_id, a.name AS activity_name, a.office_id, l.entity_id, \
         l.applicant_person_id, p.first_name || ' ' || p.last_name AS applicant_name, \
         l.applied_by, l.purpose, l.principal_cents, l.instalments, l.justification, \
         l.criteria, l.criteria_confirmed, l.status, l.ogm, l.params_version, l.applied_on, \
         l.opinion_favourable, l.opinion, l.opinion_by, l.opinion_at, l.decision_conditions, \
         l.decision_reason, l.decided_by, l.decided_on, l.disbursed_on, l.disbursed_to, \
         l.supplier_name, l.supplier_iban, l.first_due_on, l.reschedule_count, l.closed_on, \
         l.written_off_on, l.write_off_reason, l.written_off_cents, l.created_at, l.updated_at, \
         (SELECT CAST(COALESCE(SUM(lp.amount_cents), 0) AS BIGINT) FROM ledger_postings lp \
           JOIN ledger_accounts la ON la.id = lp.account_id \
           WHERE la.code = 'loan:' || l.id || ':receivable') AS outstanding_cents, \
         (SELECT MIN(i.due_on) FROM loan_instalments i \
           WHERE i.loan_id = l.id AND i.status = 'open') AS next_due_on, \
         (SELECT i.principal_cents - i.repaid_cents FROM loan_instalments i \
           WHERE i.loan_id = l.id AND i.status = 'open' \
           ORDER BY i.due_on, i.id LIMIT 1) AS next_due_cents \
         FROM loans l JOIN activities a ON a.id = l.activity_id \
         JOIN persons p ON p.id = l.applicant_person_id"
    };
}
macro_rules! loan_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR l.status = $1) \
          AND (CAST($2 AS BIGINT) IS NULL OR l.applicant_person_id = $2 \
               OR l.activity_id IN (SELECT h.activity_id FROM activity_holders h \
                                    WHERE h.person_id = $2)) \
          AND (CAST($3 AS BIGINT) IS NULL OR l.activity_id = $3)"
    };
}
pub(crate) const LOAN_GET: &str = concat!(loan_select!(), " WHERE l.id = $1");
const LOANS: &str = concat!(
    loan_select!(),
    loan_where!(),
    " ORDER BY l.applied_on DESC, l.id DESC LIMIT $4 OFFSET $5"
);
const LOANS_COUNT: &str = concat!("SELECT COUNT(*) FROM loans l", loan_where!());
const ACTIVITY_OF: &str = "SELECT a.status, \
    (SELECT COUNT(*) FROM activity_holders h WHERE h.activity_id = a.id AND h.person_id = $2) \
    FROM activities a WHERE a.id = $1";
const OPEN_APPLICATIONS: &str = "SELECT COUNT(*) FROM loans WHERE applicant_person_id = $1 \
    AND status IN ('submitted', 'reviewed', 'approved')";
const FIRST_ENTITY: &str = "SELECT MIN(id) FROM legal_entities";
const LOAN_INSERT: &str = "INSERT INTO loans (activity_id, entity_id, applicant_person_id, \
    applied_by, purpose, principal_cents, instalments, justification, criteria, \
    criteria_confirmed, status, ogm, params_version, applied_on, reschedule_count, \
    written_off_cents, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', 'submitted', $10, $11, $12, 0, 0, $13, $13) \
    RETURNING id";
const LOAN_SET_OGM: &str = "UPDATE loans SET ogm = $1 WHERE id = $2";
const LOAN_OPINION: &str = "UPDATE loans SET status = $1, opinion_favourable = $2, opinion = $3, \
    criteria_confirmed = $4, opinion_by = $5, opinion_at = $6, updated_at = $6 \
    WHERE id = $7 AND status = 'submitted'";
const LOAN_DECIDE: &str = "UPDATE loans SET status = $1, decision_conditions = $2, \
    decision_reason = $3, decided_by = $4, decided_on = $5, updated_at = $6 \
    WHERE id = $7 AND status = 'reviewed'";
const LOAN_DISBURSE: &str = "UPDATE loans SET status = 'active', disbursed_on = $1, \
    disbursed_to = $2, supplier_name = $3, supplier_iban = $4, first_due_on = $5, \
    updated_at = $6 WHERE id = $7 AND status = 'approved'";
pub(crate) const LOAN_CLOSE: &str = "UPDATE loans SET status = 'closed', closed_on = $1, updated_at = $2 \
    WHERE id = $3 AND status = 'active'";
const LOAN_RESCHEDULED: &str = "UPDATE loans SET reschedule_count = reschedule_count + 1, \
    updated_at = $1 WHERE id = $2 AND status = 'active'";
const LOAN_WRITE_OFF: &str = "UPDATE loans SET status = 'written-off', written_off_on = $1, \
    write_off_reason = $2, written_off_cents = $3, updated_at = $4 \
    WHERE id = $5 AND status = 'active'";
const INSTALMENT_INSERT: &str = "INSERT INTO loan_instalments (loan_id, schedule_no, number, \
    due_on, principal_cents, repaid_cents, status, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, 0, 'open', $6, $6)";
const INSTALMENTS: &str = "SELECT id, loan_id, schedule_no, number, due_on, principal_cents, \
    repaid_cents, status FROM loan_instalments WHERE loan_id = $1 \
    ORDER BY schedule_no, number LIMIT $2";
pub(crate) const OPEN_INSTALMENTS: &str = "SELECT id, due_on, principal_cents - repaid_cents \
    FROM loan_instalments WHERE loan_id = $1 AND status = 'open' ORDER BY due_on, id LIMIT $2";
const LAST_SCHEDULE: &str =
    "SELECT CAST(COALESCE(MAX(schedule_no), 0) AS BIGINT) FROM loan_instalments WHERE loan_id = $1";
pub(crate) const INSTALMENT_REPAY: &str = "UPDATE loan_instalments SET repaid_cents = repaid_cents + $1, \
    status = CASE WHEN repaid_cents + $1 >= principal_cents THEN 'paid' ELSE 'open' END, \
    updated_at = $2 WHERE id = $3 AND status = 'open' \
    AND repaid_cents + $1 <= principal_cents";
const INSTALMENTS_CLOSE_OPEN: &str = "UPDATE loan_instalments SET status = $1, updated_at = $2 \
    WHERE loan_id = $3 AND status = 'open'";
pub(crate) const OPEN_LEFT: &str = "SELECT CAST(COALESCE(SUM(principal_cents - repaid_cents), 0) AS BIGINT) \
    FROM loan_instalments WHERE loan_id = $1 AND status = 'open'";
pub(crate) const REPAYMENT_INSERT: &str = "INSERT INTO loan_repayments (loan_id, instalment_id, \
    amount_cents, paid_on, source, invoice_id, transaction_id, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const REPAYMENTS: &str = "SELECT r.id, r.loan_id, r.instalment_id, i.number AS instalment_number, \
    r.amount_cents, r.paid_on, r.source, r.invoice_id, r.transaction_id, r.created_at \
    FROM loan_repayments r JOIN loan_instalments i ON i.id = r.instalment_id \
    WHERE r.loan_id = $1 ORDER BY r.paid_on DESC, r.id DESC LIMIT $2";
const REMINDERS: &str = "SELECT id, loan_id, instalment_id, bucket, days_past_due, run_on, \
    mail_id FROM loan_reminders WHERE loan_id = $1 ORDER BY id DESC LIMIT $2";
/// The ledger balance of one account, inside a transaction.
pub(crate) const BALANCE_OF: &str = "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = $1";
pub(crate) const ACTIVE_OF_ACTIVITY: &str = "SELECT id FROM loans WHERE activity_id = $1 \
    AND status = 'active' ORDER BY disbursed_on, id LIMIT $2";
const LATE_INSTALMENTS: &str = "SELECT i.id, i.loan_id, i.number, i.due_on, \
    i.principal_cents - i.repaid_cents, p.email, p.language, l.ogm \
    FROM loan_instalments i JOIN loans l ON l.id = i.loan_id \
    JOIN persons p ON p.id = l.applicant_person_id \
    WHERE i.status = 'open' AND i.due_on < $1 AND l.status = 'active' \
    ORDER BY i.due_on, i.id LIMIT $2";
const REMINDER_INSERT: &str = "INSERT INTO loan_reminders (loan_id, instalment_id, bucket, \
    days_past_due, run_on, mail_id, created_at) VALUES ($1, $2, $3, $4, $5, NULL, $6) \
    ON CONFLICT (instalment_id, bucket) DO NOTHING RETURNING id";
const REMINDER_SET_MAIL: &str = "UPDATE loan_reminders SET mail_id = $1 WHERE id = $2";
const GRANTED_BY_YEAR: &str = "SELECT CAST(substr(disbursed_on, 1, 4) AS BIGINT) AS y, \
    COUNT(*), CAST(COALESCE(SUM(principal_cents), 0) AS BIGINT) FROM loans \
    WHERE disbursed_on IS NOT NULL AND disbursed_on <= $1 GROUP BY 1 ORDER BY 1";
// From the loan accounts to their postings by the postings' own date
// (`ledger_postings_by_account_date`: no transaction is read; 0.08 s -> 0.01 s on the
// reference year, docs/benchmarks.md).
const OUTSTANDING_AT: &str = "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
    FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id \
    WHERE substr(a.code, 1, 5) = 'loan:' AND p.occurred_on <= $1";
const ACTIVE_AGING: &str = "SELECT l.id, MIN(i.due_on), \
    CAST(SUM(i.principal_cents - i.repaid_cents) AS BIGINT) \
    FROM loans l JOIN loan_instalments i ON i.loan_id = l.id AND i.status = 'open' \
    WHERE l.status = 'active' GROUP BY l.id LIMIT $1";
const WRITTEN_OFF_IN: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(written_off_cents), 0) AS BIGINT) \
    FROM loans WHERE written_off_on >= $1 AND written_off_on <= $2";

/// (year, count, cents) per year; the outstanding; (loan, oldest open due date, left) per
/// active loan; (count, cents) written off.
type PortfolioRows = (
    Vec<(i64, i64, i64)>,
    (i64,),
    Vec<(i64, String, i64)>,
    (i64, i64),
);

fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

fn date_of(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("stored date {s}")))
}

fn new_transaction(
    kind: TransactionKind,
    on: Date,
    memo: String,
    loan_id: i64,
    postings: Vec<Posting>,
) -> Result<NewTransaction> {
    NewTransaction::new(
        kind,
        on,
        memo,
        Some(("loan".to_string(), loan_id)),
        postings,
    )
    .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Reads loan `$id` inside `$tx` (`NotFound` when there is none).
macro_rules! loan_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, $crate::loans::LoanRecord>($crate::loans::LOAN_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::StoreError::NotFound)?
    };
}

/// Repays up to `$amount` cents of loan `$loan_id` inside `$tx`: spreads it over the open
/// instalments oldest first (only those due by `$due_by` when it is `Some`), posts one
/// `loan-repaid` transaction debiting `$debit` and crediting the loan's receivable, records
/// each instalment's share, closes the loan when nothing is left, and evaluates to the
/// cents repaid (0 when nothing was due). Asserts that the open instalments still add up to
/// the ledger's balance of the loan.
macro_rules! repay_in {
    ($tx:ident, $ctx:expr, $loan_id:expr, $amount:expr, $on:expr, $source:expr, $invoice_id:expr, $due_by:expr, $debit:expr) => {{
        let ctx: &$crate::AuditContext = $ctx;
        let loan_id: i64 = $loan_id;
        let amount: i64 = $amount;
        let on: jiff::civil::Date = $on;
        let source: $crate::loans::RepaymentSource = $source;
        let invoice_id: Option<i64> = $invoice_id;
        let due_by: Option<jiff::civil::Date> = $due_by;
        let debit: ruche_domain::ledger::AccountCode = $debit;
        let rows: Vec<(i64, String, i64)> = sqlx::query_as($crate::loans::OPEN_INSTALMENTS)
            .bind(loan_id)
            .bind($crate::loans::MAX_INSTALMENTS)
            .fetch_all(&mut *$tx)
            .await?;
        let mut open = Vec::with_capacity(rows.len());
        for (_, due_on, remaining) in &rows {
            open.push(ruche_domain::loans::schedule::Open {
                due_on: $crate::loans::parse_date(due_on)?,
                remaining_cents: *remaining,
            });
        }
        let shares = ruche_domain::loans::schedule::allocate(&open, amount, due_by);
        let total: i64 = shares.iter().map(|(_, c)| *c).sum();
        if total > 0 {
            let repayment = $crate::loans::repaid_transaction(loan_id, total, on, debit)?;
            let transaction_id = $crate::ledger::post_in!($tx, ctx, &repayment);
            let now = $crate::now_micros();
            for (i, cents) in &shares {
                let instalment_id = rows[*i].0;
                let done = sqlx::query($crate::loans::INSTALMENT_REPAY)
                    .bind(*cents)
                    .bind(now)
                    .bind(instalment_id)
                    .execute(&mut *$tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err($crate::StoreError::Corrupt(format!(
                        "loan instalment {instalment_id} changed under a repayment"
                    )));
                }
                sqlx::query($crate::loans::REPAYMENT_INSERT)
                    .bind(loan_id)
                    .bind(instalment_id)
                    .bind(*cents)
                    .bind(on.to_string())
                    .bind(source.code())
                    .bind(invoice_id)
                    .bind(transaction_id)
                    .bind(ctx.actor_account_id)
                    .bind(now)
                    .execute(&mut *$tx)
                    .await?;
            }
            let (left,): (i64,) = sqlx::query_as($crate::loans::OPEN_LEFT)
                .bind(loan_id)
                .fetch_one(&mut *$tx)
                .await?;
            let (balance,): (i64,) = sqlx::query_as($crate::loans::BALANCE_OF)
                .bind(ruche_domain::ledger::AccountCode::LoanReceivable(loan_id).to_string())
                .fetch_one(&mut *$tx)
                .await?;
            if left != balance {
                return Err($crate::StoreError::Corrupt(format!(
                    "loan {loan_id}: the schedule owes {left}, the ledger {balance}"
                )));
            }
            if left == 0 {
                sqlx::query($crate::loans::LOAN_CLOSE)
                    .bind(on.to_string())
                    .bind(now)
                    .bind(loan_id)
                    .execute(&mut *$tx)
                    .await?;
            }
            audit!(
                $tx,
                ctx,
                "loan.repaid",
                "loan",
                Some(loan_id),
                None::<&()>,
                Some(&serde_json::json!({
                    "amount_cents": total,
                    "paid_on": on.to_string(),
                    "source": source.code(),
                    "invoice_id": invoice_id,
                    "transaction_id": transaction_id,
                    "outstanding_cents": left,
                }))
            );
        }
        total
    }};
}
pub(crate) use repay_in;

/// The automatic repayment (C8: "repayment automatically from the activity's incoming
/// payments"). Called inside the transaction that books an invoice payment to activity
/// `$activity_id`, after the contribution: takes from the activity's budget what its
/// active loans have due on `$on` (past due first), never more than `$net_cents` (the
/// payment's net amount) and never more than the budget holds.
macro_rules! repay_loans_from_payment_in {
    ($tx:ident, $ctx:expr, $activity_id:expr, $net_cents:expr, $on:expr, $invoice_id:expr) => {{
        let activity_id: i64 = $activity_id;
        let net_cents: i64 = $net_cents;
        let on: jiff::civil::Date = $on;
        let invoice_id: Option<i64> = $invoice_id;
        if net_cents > 0 {
            let loans: Vec<(i64,)> = sqlx::query_as($crate::loans::ACTIVE_OF_ACTIVITY)
                .bind(activity_id)
                .bind($crate::loans::MAX_INSTALMENTS)
                .fetch_all(&mut *$tx)
                .await?;
            if !loans.is_empty() {
                let budget = ruche_domain::ledger::AccountCode::ActivityBudget(activity_id);
                let (balance,): (i64,) = sqlx::query_as($crate::loans::BALANCE_OF)
                    .bind(budget.to_string())
                    .fetch_one(&mut *$tx)
                    .await?;
                // The budget is a liability: a credit balance (negative) is available money.
                let mut available = net_cents.min(-balance).max(0);
                for (loan_id,) in loans {
                    if available <= 0 {
                        break;
                    }
                    let paid = $crate::loans::repay_in!(
                        $tx,
                        $ctx,
                        loan_id,
                        available,
                        on,
                        $crate::loans::RepaymentSource::Budget,
                        invoice_id,
                        Some(on),
                        budget
                    );
                    available -= paid;
                }
            }
        }
    }};
}
pub(crate) use repay_loans_from_payment_in;

/// The most instalments (or loans of one activity) a repayment reads.
pub(crate) const MAX_INSTALMENTS: i64 = 10_000;

pub(crate) fn parse_date(s: &str) -> Result<Date> {
    date_of(s)
}

pub(crate) fn repaid_transaction(
    loan_id: i64,
    cents: i64,
    on: Date,
    debit: AccountCode,
) -> Result<NewTransaction> {
    new_transaction(
        TransactionKind::LoanRepaid,
        on,
        format!("loan {loan_id} repaid"),
        loan_id,
        vec![
            Posting::debit(debit, cents),
            Posting::credit(AccountCode::LoanReceivable(loan_id), cents),
        ],
    )
}

/// A reminder's subject and text in the member's language (fr, nl, en).
fn reminder_text(
    language: &str,
    loan_id: i64,
    number: i64,
    due_on: &str,
    cents: i64,
    dpd: i64,
    ogm: &str,
) -> (String, String) {
    let amount = ruche_domain::format::money(cents);
    let due = due_on
        .parse()
        .map(ruche_domain::format::date)
        .unwrap_or_else(|_| due_on.to_string());
    let ogm = ruche_domain::ident::Ogm::parse(ogm)
        .map(|o| o.to_string())
        .unwrap_or_else(|_| ogm.to_string());
    match language {
        "nl" => (
            format!("Lening {loan_id}: afbetaling {number} is achterstallig"),
            format!(
                "Afbetaling {number} van uw lening {loan_id} ({amount}) was verschuldigd op \
                 {due} en is {dpd} dagen achterstallig. Ze wordt automatisch afgehouden van de \
                 volgende ontvangsten van uw activiteit, of u kunt overschrijven met de \
                 gestructureerde mededeling {ogm}."
            ),
        ),
        "en" => (
            format!("Loan {loan_id}: instalment {number} is overdue"),
            format!(
                "Instalment {number} of your loan {loan_id} ({amount}) was due on {due} and \
                 is {dpd} days overdue. It is taken automatically from your activity's next \
                 incoming payments, or you may pay by transfer with the structured \
                 communication {ogm}."
            ),
        ),
        _ => (
            format!("Prêt {loan_id} : l'échéance {number} est en retard"),
            format!(
                "L'échéance {number} de votre prêt {loan_id} ({amount}) était due le {due} et \
                 est en retard de {dpd} jours. Elle est prélevée automatiquement sur les \
                 prochaines rentrées de votre activité, ou vous pouvez la verser par virement \
                 avec la communication structurée {ogm}."
            ),
        ),
    }
}

impl Store {
    /// A member applies for a loan for an activity they hold (C8), with the attachments
    /// of the justification. `Refused` names the field: not a holder, or over the rules'
    /// open applications (`max_open_applications`).
    pub async fn apply_for_loan(
        &self,
        ctx: &AuditContext,
        person_id: i64,
        new: &NewLoanApplication,
        on: Date,
        files: &[NewAttachment],
    ) -> Result<LoanRecord> {
        let params = loan_params_on(on).map_err(|_| StoreError::Conflict(REFUSED_NO_PRODUCT))?;
        let now = now_micros();
        write_tx!(self, tx => {
            if new.principal_cents > params.principal_max_cents {
                return Err(refused("loan_amount", "loan-above-max"));
            }
            let activity: Option<(String, i64)> = sqlx::query_as(ACTIVITY_OF)
                .bind(new.activity_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            match activity {
                Some((_, held)) if held > 0 => {}
                _ => return Err(refused("loan_activity", REFUSED_NOT_HOLDER)),
            }
            let (open,): (i64,) = sqlx::query_as(OPEN_APPLICATIONS)
                .bind(person_id)
                .fetch_one(&mut *tx)
                .await?;
            if open >= i64::from(params.max_open_applications) {
                return Err(refused("loan_activity", REFUSED_OPEN_LIMIT));
            }
            let (entity,): (Option<i64>,) = sqlx::query_as(FIRST_ENTITY).fetch_one(&mut *tx).await?;
            let entity = entity.ok_or(StoreError::Conflict(REFUSED_NO_PRODUCT))?;
            // The OGM needs the id: a unique placeholder first, then the real one.
            let placeholder = format!("pending-{now}-{person_id}");
            let (id,): (i64,) = sqlx::query_as(LOAN_INSERT)
                .bind(new.activity_id)
                .bind(entity)
                .bind(person_id)
                .bind(ctx.actor_account_id)
                .bind(new.purpose.code())
                .bind(new.principal_cents)
                .bind(i64::from(new.instalments))
                .bind(&new.justification)
                .bind(new.criteria.join(","))
                .bind(&placeholder)
                .bind(&new.params_version)
                .bind(on.to_string())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let ogm = loan_ogm(id).map_err(|_| StoreError::Corrupt(format!("loan {id} OGM")))?;
            sqlx::query(LOAN_SET_OGM)
                .bind(ogm.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = loan_in!(tx, id);
            audit!(tx, ctx, "loan.apply", "loan", Some(id), None::<&()>, Some(&after));
            let _ = insert_attachments_in!(tx, ctx, crate::attachments::owner::LOAN, id, files);
            Ok(after)
        })
    }

    /// The advisor's opinion (submitted → reviewed).
    pub async fn give_loan_opinion(
        &self,
        ctx: &AuditContext,
        id: i64,
        opinion: &Opinion,
    ) -> Result<LoanRecord> {
        write_tx!(self, tx => {
            let before = loan_in!(tx, id);
            let next = before
                .status()?
                .transition(LoanEvent::Opinion)
                .map_err(|_| StoreError::Conflict(REFUSED_STATE))?;
            if before.applied_by.is_some() && before.applied_by == ctx.actor_account_id {
                return Err(StoreError::Conflict(REFUSED_FOUR_EYES));
            }
            let done = sqlx::query(LOAN_OPINION)
                .bind(next.code())
                .bind(opinion.favourable)
                .bind(&opinion.text)
                .bind(opinion.criteria_confirmed.join(","))
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATE));
            }
            let after = loan_in!(tx, id);
            audit!(tx, ctx, "loan.opinion", "loan", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// The committee's decision (reviewed → approved | refused). Four eyes: the decider
    /// neither applied nor gave the opinion (`Conflict(REFUSED_FOUR_EYES)`).
    pub async fn decide_loan(
        &self,
        ctx: &AuditContext,
        id: i64,
        decision: &Decision,
        on: Date,
    ) -> Result<LoanRecord> {
        write_tx!(self, tx => {
            let before = loan_in!(tx, id);
            let event = match decision {
                Decision::Approve { .. } => LoanEvent::Approve,
                Decision::Refuse { .. } => LoanEvent::Refuse,
            };
            let next = before
                .status()?
                .transition(event)
                .map_err(|_| StoreError::Conflict(REFUSED_STATE))?;
            let decider = ctx.actor_account_id.unwrap_or_default();
            if !four_eyes_ok(decider, before.applied_by, before.opinion_by) {
                return Err(StoreError::Conflict(REFUSED_FOUR_EYES));
            }
            let (conditions, reason) = match decision {
                Decision::Approve { conditions } => (conditions.clone(), None),
                Decision::Refuse { reason } => (None, Some(reason.clone())),
            };
            let done = sqlx::query(LOAN_DECIDE)
                .bind(next.code())
                .bind(conditions)
                .bind(reason)
                .bind(ctx.actor_account_id)
                .bind(on.to_string())
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATE));
            }
            let after = loan_in!(tx, id);
            audit!(tx, ctx, "loan.decide", "loan", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Disburses an approved loan (approved → active): writes its schedule and posts
    /// `loan-disbursed` to the activity's budget or to the entity's bank (a supplier).
    pub async fn disburse_loan(
        &self,
        ctx: &AuditContext,
        id: i64,
        d: &Disbursement,
    ) -> Result<LoanRecord> {
        write_tx!(self, tx => {
            let before = loan_in!(tx, id);
            before
                .status()?
                .transition(LoanEvent::Disburse)
                .map_err(|_| StoreError::Conflict(REFUSED_STATE))?;
            let n = u32::try_from(before.instalments)
                .map_err(|_| StoreError::Corrupt(format!("loan {id} instalments")))?;
            let plan = schedule(before.principal_cents, n, d.first_due_on)
                .map_err(|_| refused("loan_first_due_on", "loan-schedule"))?;
            let (to, name, iban, credit) = match &d.to {
                DisburseTo::Budget => {
                    ("budget", None, None, AccountCode::ActivityBudget(before.activity_id))
                }
                DisburseTo::Supplier { name, iban } => (
                    "supplier",
                    Some(name.clone()),
                    Some(iban.clone()),
                    AccountCode::EntityBank(before.entity_id),
                ),
            };
            let now = now_micros();
            let done = sqlx::query(LOAN_DISBURSE)
                .bind(d.disbursed_on.to_string())
                .bind(to)
                .bind(name)
                .bind(iban)
                .bind(d.first_due_on.to_string())
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATE));
            }
            for i in &plan {
                sqlx::query(INSTALMENT_INSERT)
                    .bind(id)
                    .bind(1i64)
                    .bind(i64::from(i.number))
                    .bind(i.due_on.to_string())
                    .bind(i.principal_cents)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            let posting = new_transaction(
                TransactionKind::LoanDisbursed,
                d.disbursed_on,
                format!("loan {id} disbursed"),
                id,
                vec![
                    Posting::debit(AccountCode::LoanReceivable(id), before.principal_cents),
                    Posting::credit(credit, before.principal_cents),
                ],
            )?;
            crate::ledger::post_in!(tx, ctx, &posting);
            let after = loan_in!(tx, id);
            audit!(tx, ctx, "loan.disburse", "loan", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Records a repayment received by transfer (the accountant): spread over the open
    /// instalments oldest first, in advance too; at most what the loan still owes.
    pub async fn record_loan_transfer(
        &self,
        ctx: &AuditContext,
        id: i64,
        r: &Repayment,
    ) -> Result<LoanRecord> {
        self.repay_loan(ctx, id, r, RepaymentSource::Transfer).await
    }

    /// An early repayment from the activity's budget (the holder or the treasury): at most
    /// what the loan owes and what the budget holds; the loan closes when nothing is left.
    pub async fn repay_loan_early(
        &self,
        ctx: &AuditContext,
        id: i64,
        r: &Repayment,
    ) -> Result<LoanRecord> {
        self.repay_loan(ctx, id, r, RepaymentSource::Early).await
    }

    async fn repay_loan(
        &self,
        ctx: &AuditContext,
        id: i64,
        r: &Repayment,
        source: RepaymentSource,
    ) -> Result<LoanRecord> {
        write_tx!(self, tx => {
            let before = loan_in!(tx, id);
            if before.status()? != LoanStatus::Active {
                return Err(StoreError::Conflict(REFUSED_STATE));
            }
            if r.amount_cents > before.outstanding_cents {
                return Err(refused("loan_repay_amount", REFUSED_ABOVE_OUTSTANDING));
            }
            let debit = match source {
                RepaymentSource::Transfer => AccountCode::EntityBank(before.entity_id),
                RepaymentSource::Budget | RepaymentSource::Early => {
                    let budget = AccountCode::ActivityBudget(before.activity_id);
                    let (balance,): (i64,) = sqlx::query_as(BALANCE_OF)
                        .bind(budget.to_string())
                        .fetch_one(&mut *tx)
                        .await?;
                    if r.amount_cents > -balance {
                        return Err(refused("loan_repay_amount", REFUSED_BUDGET_SHORT));
                    }
                    budget
                }
            };
            let paid = repay_in!(tx, ctx, id, r.amount_cents, r.on, source, None, None, debit);
            if paid != r.amount_cents {
                return Err(StoreError::Corrupt(format!("loan {id}: {paid} of {} repaid", r.amount_cents)));
            }
            Ok(loan_in!(tx, id))
        })
    }

    /// A new schedule for the outstanding principal (the open instalments are superseded).
    pub async fn reschedule_loan(
        &self,
        ctx: &AuditContext,
        id: i64,
        r: &Rescheduling,
    ) -> Result<LoanRecord> {
        write_tx!(self, tx => {
            let before = loan_in!(tx, id);
            before
                .status()?
                .transition(LoanEvent::Reschedule)
                .map_err(|_| StoreError::Conflict(REFUSED_STATE))?;
            let (left,): (i64,) = sqlx::query_as(OPEN_LEFT).bind(id).fetch_one(&mut *tx).await?;
            if left != before.outstanding_cents {
                return Err(StoreError::Corrupt(format!(
                    "loan {id}: the schedule owes {left}, the ledger {}",
                    before.outstanding_cents
                )));
            }
            let plan = schedule(left, r.instalments, r.first_due_on)
                .map_err(|_| refused("loan_new_instalments", "loan-schedule"))?;
            let (last,): (i64,) = sqlx::query_as(LAST_SCHEDULE).bind(id).fetch_one(&mut *tx).await?;
            let now = now_micros();
            sqlx::query(INSTALMENTS_CLOSE_OPEN)
                .bind("superseded")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for i in &plan {
                sqlx::query(INSTALMENT_INSERT)
                    .bind(id)
                    .bind(last + 1)
                    .bind(i64::from(i.number))
                    .bind(i.due_on.to_string())
                    .bind(i.principal_cents)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(LOAN_RESCHEDULED).bind(now).bind(id).execute(&mut *tx).await?;
            let after = loan_in!(tx, id);
            audit!(tx, ctx, "loan.reschedule", "loan", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Writes off what the loan still owes to the loan fund (Dr `fund:loan` / Cr the loan).
    pub async fn write_off_loan(
        &self,
        ctx: &AuditContext,
        id: i64,
        w: &WriteOff,
    ) -> Result<LoanRecord> {
        write_tx!(self, tx => {
            let before = loan_in!(tx, id);
            before
                .status()?
                .transition(LoanEvent::WriteOff)
                .map_err(|_| StoreError::Conflict(REFUSED_STATE))?;
            let left = before.outstanding_cents;
            if left > 0 {
                let posting = new_transaction(
                    TransactionKind::WriteOff,
                    w.on,
                    format!("loan {id} written off"),
                    id,
                    vec![
                        Posting::debit(AccountCode::LoanFund, left),
                        Posting::credit(AccountCode::LoanReceivable(id), left),
                    ],
                )?;
                crate::ledger::post_in!(tx, ctx, &posting);
            }
            let now = now_micros();
            sqlx::query(INSTALMENTS_CLOSE_OPEN)
                .bind("written-off")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let done = sqlx::query(LOAN_WRITE_OFF)
                .bind(w.on.to_string())
                .bind(&w.reason)
                .bind(left)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATE));
            }
            let after = loan_in!(tx, id);
            audit!(tx, ctx, "loan.write-off", "loan", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn loan(&self, id: i64) -> Result<LoanRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, LoanRecord>(LOAN_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Loans, newest application first.
    pub async fn loans(&self, filter: &LoanFilter, page: PageRequest) -> Result<Page<LoanRecord>> {
        let status = filter.status.map(|s| s.code());
        let (total, items) = with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(LOANS_COUNT)
                .bind(status)
                .bind(filter.person_id)
                .bind(filter.activity_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, LoanRecord>(LOANS)
                .bind(status)
                .bind(filter.person_id)
                .bind(filter.activity_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(page.of(items, total))
    }

    /// Every instalment of every schedule of a loan (superseded ones too).
    pub async fn loan_instalments(&self, id: i64) -> Result<Vec<InstalmentRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, InstalmentRecord>(INSTALMENTS)
                .bind(id)
                .bind(MAX_INSTALMENTS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The repayments of a loan, newest first.
    pub async fn loan_repayments(&self, id: i64) -> Result<Vec<LoanRepaymentRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, LoanRepaymentRecord>(REPAYMENTS)
                .bind(id)
                .bind(MAX_INSTALMENTS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The arrears reminders sent for a loan, newest first.
    pub async fn loan_reminders(&self, id: i64) -> Result<Vec<LoanReminderRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, LoanReminderRecord>(REMINDERS)
                .bind(id)
                .bind(MAX_INSTALMENTS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The daily arrears run (idempotent, DESIGN.md §6): for every open instalment past due
    /// on `on`, records once per (instalment, delinquency bucket) a reminder and queues its
    /// mail to the member. Returns how many reminders were recorded by this run.
    pub async fn run_loan_reminders(&self, ctx: &AuditContext, on: Date) -> Result<i64> {
        let params = loan_params_on(on).map_err(|_| StoreError::Conflict(REFUSED_NO_PRODUCT))?;
        let now = now_micros();
        write_tx!(self, tx => {
            type Late = (i64, i64, i64, String, i64, Option<String>, String, String);
            let late: Vec<Late> = sqlx::query_as(LATE_INSTALMENTS)
                .bind(on.to_string())
                .bind(MAX_ROWS)
                .fetch_all(&mut *tx)
                .await?;
            let mut sent = 0i64;
            for (instalment_id, loan_id, number, due_on, left, email, language, ogm) in late {
                let dpd = days_past_due(Some(date_of(&due_on)?), on);
                let Some(bucket) = bucket_of(dpd, &params.bucket_lower_days) else {
                    continue;
                };
                let inserted: Option<(i64,)> = sqlx::query_as(REMINDER_INSERT)
                    .bind(loan_id)
                    .bind(instalment_id)
                    .bind(i64::try_from(bucket).unwrap_or(i64::MAX))
                    .bind(dpd)
                    .bind(on.to_string())
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((reminder_id,)) = inserted else {
                    continue;
                };
                sent += 1;
                if let Some(to) = email.filter(|e| !e.is_empty()) {
                    let (subject, body) =
                        reminder_text(&language, loan_id, number, &due_on, left, dpd, &ogm);
                    let mail_id = crate::mail::queue_mail_in!(tx, &to, &subject, &body);
                    sqlx::query(REMINDER_SET_MAIL)
                        .bind(mail_id)
                        .bind(reminder_id)
                        .execute(&mut *tx)
                        .await?;
                }
                audit!(
                    tx,
                    ctx,
                    "loan.reminder",
                    "loan",
                    Some(loan_id),
                    None::<&()>,
                    Some(&serde_json::json!({
                        "instalment_id": instalment_id,
                        "bucket": bucket_label(bucket, &params.bucket_lower_days),
                        "days_past_due": dpd,
                    }))
                );
            }
            Ok(sent)
        })
    }

    /// The loan portfolio of `year` (granted in the year and since launch up to its end,
    /// outstanding at its end, written off in it) with the arrears of `today` (PAR1,
    /// PAR30, aging by bucket). The page and the benchmark read this.
    pub async fn loan_portfolio(&self, year: i16, today: Date) -> Result<LoanPortfolio> {
        let params = loan_params_on(today).map_err(|_| StoreError::Conflict(REFUSED_NO_PRODUCT))?;
        let year_end = Date::new(year, 12, 31).map_err(|_| refused("year", "loan-year"))?;
        let year_start = Date::new(year, 1, 1).map_err(|_| refused("year", "loan-year"))?;
        let as_of = year_end.min(today);
        let (per_year, outstanding, aging, written): PortfolioRows = with_db!(self, pool => {
            let per_year = sqlx::query_as(GRANTED_BY_YEAR)
                .bind(year_end.to_string())
                .fetch_all(pool)
                .await?;
            let outstanding = sqlx::query_as(OUTSTANDING_AT)
                .bind(as_of.to_string())
                .fetch_one(pool)
                .await?;
            let aging = sqlx::query_as(ACTIVE_AGING).bind(MAX_ROWS).fetch_all(pool).await?;
            let written = sqlx::query_as(WRITTEN_OFF_IN)
                .bind(year_start.to_string())
                .bind(year_end.to_string())
                .fetch_one(pool)
                .await?;
            (per_year, outstanding, aging, written)
        });
        let per_year: Vec<GrantedYear> = per_year
            .into_iter()
            .map(|(year, count, cents)| GrantedYear { year, count, cents })
            .collect();
        let this = per_year.iter().find(|g| g.year == i64::from(year));
        let buckets = &params.bucket_lower_days;
        let mut lines: Vec<AgingLine> = (0..buckets.len())
            .map(|i| AgingLine {
                label: bucket_label(i, buckets),
                loans: 0,
                outstanding_cents: 0,
            })
            .collect();
        let (mut active_count, mut active_cents, mut risk1, mut risk30) = (0i64, 0i64, 0i64, 0i64);
        for (_, oldest, left) in &aging {
            active_count += 1;
            active_cents += left;
            let dpd = days_past_due(Some(date_of(oldest)?), today);
            if dpd >= 1 {
                risk1 += left;
            }
            if dpd >= 30 {
                risk30 += left;
            }
            if let Some(line) = bucket_of(dpd, buckets).and_then(|b| lines.get_mut(b)) {
                line.loans += 1;
                line.outstanding_cents += left;
            }
        }
        Ok(LoanPortfolio {
            year,
            as_of,
            granted_count: this.map_or(0, |g| g.count),
            granted_cents: this.map_or(0, |g| g.cents),
            since_launch_count: per_year.iter().map(|g| g.count).sum(),
            since_launch_cents: per_year.iter().map(|g| g.cents).sum(),
            per_year,
            outstanding_cents: outstanding.0,
            active_count,
            active_outstanding_cents: active_cents,
            at_risk_1_cents: risk1,
            at_risk_30_cents: risk30,
            par1_ppm: ratio_ppm(risk1, active_cents),
            par30_ppm: ratio_ppm(risk30, active_cents),
            aging: lines,
            written_off_count: written.0,
            written_off_cents: written.1,
        })
    }

    /// The year's loan figures (C8, C17) for [`Store::section_figures`].
    pub(crate) async fn loans_figures(&self, year: i16) -> Result<SectionFigures> {
        let today = Date::new(year, 12, 31).map_err(|_| refused("year", "loan-year"))?;
        let p = self.loan_portfolio(year, today).await?;
        let list = Some(format!("/loans/portfolio?year={year}"));
        let fig = |key: &'static str, value: FigureValue| Figure {
            key,
            value,
            link: list.clone(),
            parts: Vec::new(),
        };
        let figures = vec![
            fig("loans-granted", FigureValue::Count(p.granted_count)),
            fig("loans-amount", FigureValue::Cents(p.granted_cents)),
            fig(
                "loans-granted-since-launch",
                FigureValue::Count(p.since_launch_count),
            ),
            fig(
                "loans-amount-since-launch",
                FigureValue::Cents(p.since_launch_cents),
            ),
            fig("loans-outstanding", FigureValue::Cents(p.outstanding_cents)),
            fig("loans-written-off", FigureValue::Cents(p.written_off_cents)),
        ];
        // A year with nothing but zeros holds no loan data: never invent a figure.
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Loans,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}
