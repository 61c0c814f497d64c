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
use crate::{Result, Store, StoreError};

/// The latest year a budget is read for (dates are stored as four-digit years).
const MAX_YEAR: i16 = 9999;

/// Takes the row lock of activity `$1` (PostgreSQL; SQLite's writer holds the whole database)
/// until the end of the write transaction. A writer that spends from an activity's budget
/// after checking what is available takes it first: two spendings at once are then counted one
/// after the other and never overdraw the budget, and the activity's status cannot change in
/// between. Portable SQL: a row lock without `SELECT … FOR UPDATE`, which SQLite lacks.
pub(crate) const LOCK_BUDGET: &str = "UPDATE activities SET updated_at = updated_at WHERE id = $1";

// The two accounts' totals by year, month and kind over the activity's whole life, in one
// statement: the period's figures, the chart's and the opening and closing balances are all
// taken from these rows, so they agree without a transaction around several statements (the
// budget page read them in five round trips before, docs/benchmarks.md). The date filter
// saved nothing: the account's postings are all read to find their transactions' kinds.
// Sums are cast back to BIGINT: PostgreSQL's SUM(bigint) is a NUMERIC, its CASE an INTEGER.
const TOTALS: &str = "SELECT a.code, \
    CAST(substr(t.occurred_on, 1, 4) AS BIGINT) AS year, \
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
    GROUP BY 1, 2, 3, 4, 5";

#[derive(sqlx::FromRow)]
struct TotalRow {
    code: String,
    year: i64,
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
    fn from_rows<'a>(
        rows: impl Iterator<Item = &'a TotalRow>,
        budget: &str,
        invoiced: &str,
    ) -> Result<Totals> {
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

/// The current year in Brussels, the chart's year when the budget of a whole life is asked.
fn current_year() -> i16 {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned(tz).year()
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
        let rows: Vec<TotalRow> = with_db!(self, pool => {
            let activity: Option<ActivityRecord> = sqlx::query_as(crate::activities::GET)
                .bind(activity_id)
                .fetch_optional(pool)
                .await?;
            if activity.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query_as(TOTALS)
                .bind(&budget_code)
                .bind(&invoiced_code)
                .fetch_all(pool)
                .await?
        });
        let of_year = |y: i16| move |row: &&TotalRow| row.year == i64::from(y);
        let period = match year {
            Some(y) => {
                Totals::from_rows(rows.iter().filter(of_year(y)), &budget_code, &invoiced_code)?
            }
            None => Totals::from_rows(rows.iter(), &budget_code, &invoiced_code)?,
        };
        let chart = match year {
            Some(_) => None,
            None => Some(Totals::from_rows(
                rows.iter().filter(of_year(chart_year)),
                &budget_code,
                &invoiced_code,
            )?),
        };
        // The budget account's balance at the end of a year (of every posting without one),
        // debit positive as the ledger keeps it.
        let balance_until = |until: Option<i16>| -> i64 {
            rows.iter()
                .filter(|row| row.code == budget_code)
                .filter(|row| until.is_none_or(|u| row.year <= i64::from(u)))
                .map(|row| row.debit_cents - row.credit_cents)
                .sum()
        };
        let opening = year.map_or(0, |y| balance_until(Some(y - 1)));
        let closing = balance_until(year);
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
