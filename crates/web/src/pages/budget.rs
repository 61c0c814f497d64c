//! The budget of an activity: its figures for a year, a monthly chart drawn on the server as
//! SVG (with the same figures in a table below it), the statement of the budget account, and
//! the activity's internal trades. Everything is read from the ledger on every request.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use ruche_domain::activity::ActivityStatus;
use ruche_domain::budget::Budget;
use ruche_domain::ledger::{AccountCode, MIN_YEAR};
use ruche_domain::policy::{Action, Target};
use ruche_store::activities::ActivityRecord;
use ruche_store::internal_trades::{InternalTradeFilter, InternalTradeRecord};
use ruche_store::ledger::AccountEntry;
use ruche_store::{Page, PageRequest};
use serde::Deserialize;

use super::activities::activity_target;
use super::internal_trades::is_holder;
use super::render;
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/budget", get(show))
        .route("/activities/{id}/budget/panel", get(panel))
}

/// Entries of the budget account per page.
const ENTRIES_PER_PAGE: i64 = 25;
/// Trades listed on the budget page (newest first); the API pages through all of them.
const TRADES_SHOWN: i64 = 50;
/// Trades listed in the panel of the activity page.
const PANEL_TRADES: i64 = 5;
/// Years offered by the selector, at most.
const MAX_YEARS: i16 = 30;

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    c: RequestCtx,
    activity: ActivityRecord,
    budget: Budget,
    chart: Chart,
    /// The selector's choices, newest first; the selected one is `budget.year`.
    years: Vec<i16>,
    entries: Page<AccountEntry>,
    entries_base: String,
    trades: Page<InternalTradeRecord>,
    can_trade: bool,
    /// Its invoices past due, with their reminders and recovery (dunning.md §7).
    unpaid: Vec<ruche_store::recovery::UnpaidInvoice>,
}

impl BudgetPage {
    fn is_selected(&self, year: &i16) -> bool {
        self.budget.year == Some(*year)
    }

    fn date(&self, date: &jiff::civil::Date) -> String {
        ruche_domain::format::date(*date)
    }

    /// Whether the budget page shows only the newest of the activity's trades.
    fn trades_cut(&self) -> bool {
        usize::try_from(self.trades.total).is_ok_and(|total| total > self.trades.items.len())
    }
}

#[derive(Template)]
#[template(path = "budget_panel.html")]
struct PanelFragment {
    c: RequestCtx,
    activity: ActivityRecord,
    budget: Budget,
    /// Trades proposed to or by this activity, waiting for a decision.
    waiting: i64,
    /// The newest trades of the activity.
    trades: Page<InternalTradeRecord>,
}

impl PanelFragment {
    fn trades_cut(&self) -> bool {
        usize::try_from(self.trades.total).is_ok_and(|total| total > self.trades.items.len())
    }
}

#[derive(Deserialize, Default)]
pub struct BudgetQuery {
    /// A year, or `all` for the activity's whole life; the current year when absent.
    year: Option<String>,
    page: Option<i64>,
}

/// The year asked for: `None` for the whole life, the current year when absent or invalid.
fn chosen_year(asked: Option<&str>, current: i16) -> Option<i16> {
    match asked.map(str::trim) {
        Some("all") => None,
        Some(text) => text
            .parse::<i16>()
            .ok()
            .filter(|y| (MIN_YEAR..=9999).contains(y))
            .or(Some(current)),
        None => Some(current),
    }
}

/// The selector's years: from the activity's creation to this year, newest first, with
/// the chosen year even when it lies outside.
fn selectable_years(created_at: i64, current: i16, chosen: Option<i16>) -> Vec<i16> {
    let created = jiff::Timestamp::from_microsecond(created_at)
        .map(|t| {
            let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
            t.to_zoned(tz).year()
        })
        .unwrap_or(current)
        .clamp(current.saturating_sub(MAX_YEARS), current);
    let mut years: Vec<i16> = (created..=current).rev().collect();
    if let Some(y) = chosen
        && !years.contains(&y)
    {
        years.push(y);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    years
}

async fn viewable(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(ActivityRecord, Target), AppError> {
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (activity, target) = activity_target(&state.store, person, id).await?;
    ctx.authorize(Action::View, target)?;
    Ok((activity, target))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<BudgetQuery>,
) -> Result<Response, AppError> {
    let (activity, target) = viewable(&state, &ctx, id).await?;
    let current = today().year();
    let year = chosen_year(q.year.as_deref(), current);
    let budget = state.store.activity_budget(id, year).await?;
    let entries = state
        .store
        .transactions_of_account(
            &AccountCode::ActivityBudget(id),
            PageRequest::new(q.page.unwrap_or(1), ENTRIES_PER_PAGE),
        )
        .await?;
    let trades = state
        .store
        .internal_trades(
            &InternalTradeFilter {
                activity_id: Some(id),
                ..Default::default()
            },
            PageRequest::new(1, TRADES_SHOWN),
        )
        .await?;
    let unpaid = state.store.unpaid_invoices_of_activity(id, today()).await?;
    let year_param = year.map_or_else(|| "all".to_string(), |y| y.to_string());
    let can_trade = is_holder(&ctx, target) && activity.status()? == ActivityStatus::Active;
    render(&BudgetPage {
        unpaid,
        chart: Chart::of(&budget, &ctx),
        years: selectable_years(activity.created_at, current, year),
        entries_base: format!("/activities/{id}/budget?year={year_param}&"),
        activity,
        budget,
        entries,
        trades,
        can_trade,
        c: ctx,
    })
}

/// The budget panel of the activity page, loaded by htmx (the page links to the budget
/// without JavaScript).
pub async fn panel(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (activity, _) = viewable(&state, &ctx, id).await?;
    let budget = state
        .store
        .activity_budget(id, Some(today().year()))
        .await?;
    let waiting = state
        .store
        .internal_trades(
            &InternalTradeFilter {
                activity_id: Some(id),
                status: Some(ruche_domain::budget::internal_trade::TradeStatus::Proposed),
                ..Default::default()
            },
            PageRequest::new(1, 1),
        )
        .await?
        .total;
    let trades = state
        .store
        .internal_trades(
            &InternalTradeFilter {
                activity_id: Some(id),
                ..Default::default()
            },
            PageRequest::new(1, PANEL_TRADES),
        )
        .await?;
    render(&PanelFragment {
        activity,
        budget,
        waiting,
        trades,
        c: ctx,
    })
}

/// The monthly chart, laid out on the server: bars of what was invoiced and paid in, each
/// with its `<title>` (read by screen readers and shown on hover).
pub struct Chart {
    pub width: i64,
    pub height: i64,
    pub bars: Vec<Bar>,
    pub gridlines: Vec<GridLine>,
    pub months: Vec<MonthLabel>,
    /// The baseline's y.
    pub base_y: i64,
    pub plot_left: i64,
    pub plot_right: i64,
    /// (month label, invoiced, paid in) for the table below the chart.
    pub rows: Vec<(String, String, String)>,
    pub total_invoiced: String,
    pub total_paid_in: String,
}

pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// `invoiced` or `paid-in`, for the colour.
    pub class: &'static str,
    pub title: String,
}

pub struct GridLine {
    pub y: i64,
    pub label: String,
}

pub struct MonthLabel {
    pub x: i64,
    pub label: String,
}

const WIDTH: i64 = 760;
const HEIGHT: i64 = 250;
const LEFT: i64 = 104;
const RIGHT: i64 = 752;
const TOP: i64 = 12;
const BASE: i64 = 214;
const BAR: i64 = 20;

/// The chart's gridlines: at most [`MAX_GRIDLINES`], a round amount apart.
const MAX_GRIDLINES: i64 = 5;

/// `a / b` rounded up, for positive numbers, without overflow.
fn ceil_div(a: i64, b: i64) -> i64 {
    a / b + i64::from(a % b != 0)
}

/// The smallest round step (1, 2, 2,5 or 5 times a power of ten, in cents) that covers
/// `max_cents` in at most [`MAX_GRIDLINES`] steps.
fn round_step(max_cents: i64) -> i64 {
    let target = ceil_div(max_cents.max(1), MAX_GRIDLINES);
    let mut magnitude: i64 = 1;
    // At most 19 powers of ten fit an i64: the loop is bounded.
    for _ in 0..19 {
        for step in [magnitude, 2 * magnitude, 5 * magnitude / 2, 5 * magnitude] {
            if step >= target && step > 0 {
                return step;
            }
        }
        match magnitude.checked_mul(10) {
            Some(next) => magnitude = next,
            None => break,
        }
    }
    target
}

impl Chart {
    pub fn of(budget: &Budget, ctx: &RequestCtx) -> Chart {
        let step = round_step(budget.chart_max());
        let steps = ceil_div(budget.chart_max(), step);
        let max = i128::from(step.saturating_mul(steps.max(1)));
        let plot_height = i128::from(BASE - TOP);
        let band = (RIGHT - LEFT) / 12;
        // A negative month (credit notes above invoices) has no bar; the table shows it.
        let scaled = |cents: i64| -> i64 {
            let h = i128::from(cents.max(0)) * plot_height / max;
            i64::try_from(h).unwrap_or(0)
        };
        let mut bars = Vec::with_capacity(24);
        let mut months = Vec::with_capacity(12);
        let mut rows = Vec::with_capacity(12);
        for (i, m) in budget.monthly.iter().enumerate() {
            let slot = i64::try_from(i).unwrap_or(0);
            let x = LEFT + slot * band + (band - 2 * BAR - 2) / 2;
            let label = ctx.t_of("budget-month-", &m.month.to_string());
            for (offset, cents, class, key) in [
                (0, m.invoiced, "invoiced", "budget-invoiced"),
                (BAR + 2, m.paid_in, "paid-in", "budget-paid-in"),
            ] {
                let height = scaled(cents);
                bars.push(Bar {
                    x: x + offset,
                    y: BASE - height,
                    width: BAR,
                    height,
                    class,
                    title: format!("{label} · {} : {}", ctx.t(key), ctx.money(cents)),
                });
            }
            months.push(MonthLabel {
                x: LEFT + slot * band + band / 2,
                label: label.clone(),
            });
            rows.push((label, ctx.money(m.invoiced), ctx.money(m.paid_in)));
        }
        let gridlines = (1..=steps.max(1))
            .map(|k| {
                let cents = step.saturating_mul(k);
                GridLine {
                    y: BASE - scaled(cents),
                    label: ctx.money(cents),
                }
            })
            .collect();
        let sum = |f: fn(&ruche_domain::budget::MonthFigures) -> i64| {
            budget.monthly.iter().map(f).fold(0i64, i64::saturating_add)
        };
        Chart {
            width: WIDTH,
            height: HEIGHT,
            bars,
            gridlines,
            months,
            base_y: BASE,
            plot_left: LEFT,
            plot_right: RIGHT,
            rows,
            total_invoiced: ctx.money(sum(|m| m.invoiced)),
            total_paid_in: ctx.money(sum(|m| m.paid_in)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_is_this_one_unless_another_or_all_is_asked() {
        assert_eq!(chosen_year(None, 2026), Some(2026));
        assert_eq!(chosen_year(Some("2024"), 2026), Some(2024));
        assert_eq!(chosen_year(Some("all"), 2026), None);
        assert_eq!(chosen_year(Some("1066"), 2026), Some(2026));
        assert_eq!(chosen_year(Some("zz"), 2026), Some(2026));
    }

    #[test]
    fn the_chart_is_scaled_in_round_steps() {
        assert_eq!(round_step(1), 1);
        assert_eq!(
            round_step(234_567),
            50_000,
            "2.345,67 € in steps of 500,00 €"
        );
        assert_eq!(round_step(100_000), 20_000);
        assert_eq!(round_step(110_000), 25_000);
        assert!(round_step(i64::MAX) > 0);
        for max in [1, 7, 99, 1_000, 123_456, 99_999_999] {
            let step = round_step(max);
            assert!(ceil_div(max, step) <= MAX_GRIDLINES, "{max}");
        }
    }

    #[test]
    fn the_selector_runs_from_the_creation_to_this_year() {
        // 2024-06-01 in Unix microseconds.
        let created = 1_717_200_000_000_000;
        assert_eq!(
            selectable_years(created, 2026, Some(2026)),
            vec![2026, 2025, 2024]
        );
        assert_eq!(
            selectable_years(created, 2026, Some(2019)),
            vec![2026, 2025, 2024, 2019]
        );
        assert_eq!(
            selectable_years(created, 2026, None),
            vec![2026, 2025, 2024]
        );
    }
}
