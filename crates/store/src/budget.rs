//! An activity's budget, read from the ledger on every request (DESIGN.md §3: a budget is
//! the balance of a ledger account, never a number kept on the side).
//!
//! One query totals the postings of `activity:<a>:budget` and of the memo
//! `activity:<a>:invoiced` per month and per kind, a reversal counted under the kind of the
//! transaction it reverses; [`ruche_domain::budget`] turns the totals into figures. The
//! balance of the budget account is read again on its own, in the same snapshot, and must be
//! what the figures add up to (TigerStyle: asserted after reading).

use jiff::civil::Date;
use ruche_domain::budget::{KindTotal, Movements, monthly_figures};
use ruche_domain::ledger::{AccountCode, AccountKind, MIN_YEAR, TransactionKind};

pub use ruche_domain::budget::{Budget, MonthFigures};

use crate::activities::ActivityRecord;
use crate::{Db, Result, Store, StoreError};

/// The latest year a budget is read for (dates are stored as four-digit years).
const MAX_YEAR: i16 = 9999;

/// Takes the row lock of activity `$1` (PostgreSQL; SQLite's writer holds the whole database)
/// until the end of the write transaction. A writer that spends from an activity's budget
/// after checking what is available takes it first: two spendings at once are then counted one
/// after the other and never overdraw the budget, and the activity's status cannot change in
/// between. Portable SQL: a row lock without `SELECT … FOR UPDATE`, which SQLite lacks.
pub(crate) const LOCK_BUDGET: &str = "UPDATE activities SET updated_at = updated_at WHERE id = $1";

// Sums are cast back to BIGINT: PostgreSQL's SUM(bigint) is a NUMERIC, its CASE an INTEGER.
const TOTALS: &str = "SELECT a.code, \
    CAST(substr(t.occurred_on, 6, 2) AS BIGINT) AS month, \
    COALESCE(o.kind, t.kind) AS kind, \
    CAST(CASE WHEN t.reverses_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS reversal, \
    CAST(SUM(CASE WHEN p.amount_cents > 0 THEN p.amount_cents ELSE 0 END) AS BIGINT) \
      AS debit_cents, \
    CAST(SUM(CASE WHEN p.amount_cents < 0 THEN -p.amount_cents ELSE 0 END) AS BIGINT) \
      AS credit_cents \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
    JOIN ledger_transactions t ON t.id = p.transaction_id \
    LEFT JOIN ledger_transactions o ON o.id = t.reverses_id \
    WHERE a.code IN ($1, $2) \
    AND (CAST($3 AS TEXT) IS NULL OR t.occurred_on >= $3) \
    AND (CAST($4 AS TEXT) IS NULL OR t.occurred_on <= $4) \
    GROUP BY 1, 2, 3, 4";
// The budget account's balance when the period opens (at the end of `$2`, 0 without it) and
// when it closes (at the end of `$3`, or of every transaction without it), in one pass.
const BALANCES: &str = "SELECT \
    CAST(COALESCE(SUM(CASE WHEN CAST($2 AS TEXT) IS NOT NULL AND p.occurred_on <= $2 \
      THEN p.amount_cents ELSE 0 END), 0) AS BIGINT) AS opening, \
    CAST(COALESCE(SUM(CASE WHEN CAST($3 AS TEXT) IS NULL OR p.occurred_on <= $3 \
      THEN p.amount_cents ELSE 0 END), 0) AS BIGINT) AS closing \
    FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id WHERE a.code = $1";

#[derive(sqlx::FromRow)]
struct TotalRow {
    code: String,
    month: i64,
    kind: String,
    reversal: i64,
    debit_cents: i64,
    credit_cents: i64,
}

/// The totals of a period, split between the two accounts, with their month.
#[derive(Default)]
struct Totals {
    budget: Vec<(u8, KindTotal)>,
    invoiced: Vec<(u8, KindTotal)>,
}

impl Totals {
    fn from_rows(rows: Vec<TotalRow>, budget: &str, invoiced: &str) -> Result<Totals> {
        let mut out = Totals::default();
        for row in rows {
            let kind = TransactionKind::parse(&row.kind)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let month = u8::try_from(row.month)
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| StoreError::Corrupt(format!("bad ledger month {}", row.month)))?;
            let total = KindTotal::new(kind, row.reversal != 0, row.debit_cents, row.credit_cents);
            if row.code == budget {
                out.budget.push((month, total));
            } else if row.code == invoiced {
                out.invoiced.push((month, total));
            } else {
                return Err(StoreError::Corrupt(format!(
                    "unexpected account {}",
                    row.code
                )));
            }
        }
        Ok(out)
    }

    fn movements(&self) -> Movements {
        let strip = |rows: &[(u8, KindTotal)]| rows.iter().map(|(_, t)| *t).collect::<Vec<_>>();
        Movements::from_totals(&strip(&self.budget), &strip(&self.invoiced))
    }

    fn monthly(&self) -> [MonthFigures; 12] {
        monthly_figures(&self.budget, &self.invoiced)
    }
}

fn year_start(year: i16) -> String {
    format!("{year:04}-01-01")
}

fn year_end(year: i16) -> String {
    format!("{year:04}-12-31")
}

/// The current year in Brussels, the chart's year when the budget of a whole life is asked.
fn current_year() -> i16 {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned(tz).year()
}

/// Runs `$body` with `$tx` bound to a read-only transaction that sees one snapshot of the
/// database, so that figures read by several statements agree with each other.
macro_rules! snapshot_tx {
    ($store:expr, $tx:ident => $body:expr) => {
        match &$store.db {
            // In WAL mode a deferred transaction reads one snapshot from its first read on.
            Db::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            Db::Postgres(pool) => {
                let mut $tx = pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

impl Store {
    /// The budget of an activity for `year`, or for its whole life with `None` (the chart
    /// then shows the current year). Read from the ledger every time: real time.
    pub async fn activity_budget(&self, activity_id: i64, year: Option<i16>) -> Result<Budget> {
        if year.is_some_and(|y| !(MIN_YEAR..=MAX_YEAR).contains(&y)) {
            return Err(StoreError::Conflict("the year is out of range"));
        }
        let budget_code = AccountCode::ActivityBudget(activity_id).to_string();
        let invoiced_code = AccountCode::ActivityInvoiced(activity_id).to_string();
        let chart_year = year.unwrap_or_else(current_year);
        let (from, until) = match year {
            Some(y) => (Some(year_start(y)), Some(year_end(y))),
            None => (None, None),
        };
        let opening_until = year.map(|y| year_end(y - 1));
        let (period, chart, opening, closing) = snapshot_tx!(self, db => {
            let activity: Option<ActivityRecord> = sqlx::query_as(crate::activities::GET)
                .bind(activity_id)
                .fetch_optional(&mut *db)
                .await?;
            if activity.is_none() {
                return Err(StoreError::NotFound);
            }
            let rows: Vec<TotalRow> = sqlx::query_as(TOTALS)
                .bind(&budget_code)
                .bind(&invoiced_code)
                .bind(from.as_deref())
                .bind(until.as_deref())
                .fetch_all(&mut *db)
                .await?;
            let period = Totals::from_rows(rows, &budget_code, &invoiced_code)?;
            let chart = if year.is_some() {
                None
            } else {
                let rows: Vec<TotalRow> = sqlx::query_as(TOTALS)
                    .bind(&budget_code)
                    .bind(&invoiced_code)
                    .bind(year_start(chart_year))
                    .bind(year_end(chart_year))
                    .fetch_all(&mut *db)
                    .await?;
                Some(Totals::from_rows(rows, &budget_code, &invoiced_code)?)
            };
            let (opening, closing): (i64, i64) = sqlx::query_as(BALANCES)
                .bind(&budget_code)
                .bind(opening_until.as_deref())
                .bind(until.as_deref())
                .fetch_one(&mut *db)
                .await?;
            (period, chart, opening, closing)
        });
        let monthly = chart.as_ref().unwrap_or(&period).monthly();
        let shown = |balance: i64| AccountKind::Liability.shown(balance);
        let budget = Budget::new(
            activity_id,
            year,
            shown(opening),
            &period.movements(),
            chart_year,
            monthly,
        );
        // The figures must explain the balance, cent for cent.
        if budget.available != shown(closing) {
            return Err(StoreError::Corrupt(format!(
                "the budget of activity {activity_id} adds up to {} but its account holds {}",
                budget.available,
                shown(closing)
            )));
        }
        Ok(budget)
    }

    /// What an activity's budget holds now, credit positive (every posting counted,
    /// whatever its date).
    pub async fn available_budget(&self, activity_id: i64) -> Result<i64> {
        let balance = self
            .account_balance(&AccountCode::ActivityBudget(activity_id), None::<Date>)
            .await?;
        Ok(AccountKind::Liability.shown(balance))
    }
}
