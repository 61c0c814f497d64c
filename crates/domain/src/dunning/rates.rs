//! The dated late-payment interest rates (`rules/late_interest.toml`) and the B2B statutory
//! interest (law of 2 August 2002 on late payment in commercial transactions).

use std::sync::LazyLock;

use jiff::ToSpan;
use jiff::civil::{Date, date};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The flat compensation for recovery costs owed by a business debtor per unpaid invoice,
/// without formal notice (law of 2 August 2002, art. 6).
pub const B2B_FLAT_COMPENSATION_CENTS: i64 = 4000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("no statutory rate is known for {0}")]
    NoRate(Date),
    #[error("the rules file late_interest.toml is unreadable: {0}")]
    Unreadable(String),
}

/// One half-year rate of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DatedRate {
    pub valid_from: Date,
    pub basis_points: u32,
    /// The ECB main refinancing rate it was derived from, to check the table.
    pub mro_basis_points: u32,
    /// `true` when checked against the publication in the Official Gazette.
    pub published: bool,
}

#[derive(Debug, Clone)]
pub struct RateTable {
    pub version: String,
    /// Oldest first.
    pub b2b: Vec<DatedRate>,
    /// (year, basis points).
    pub civil: Vec<(i16, u32)>,
}

#[derive(Deserialize)]
struct RateFile {
    version: String,
    b2b: Vec<RawRate>,
    civil: Vec<RawCivil>,
}

#[derive(Deserialize)]
struct RawRate {
    valid_from: toml::value::Datetime,
    basis_points: u32,
    mro_basis_points: u32,
    status: String,
}

#[derive(Deserialize)]
struct RawCivil {
    year: i16,
    basis_points: u32,
}

fn load(text: &str) -> Result<RateTable, String> {
    let file: RateFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut b2b = Vec::with_capacity(file.b2b.len());
    for raw in file.b2b {
        let valid_from: Date = raw
            .valid_from
            .to_string()
            .parse()
            .map_err(|e| format!("{e}"))?;
        if !matches!((valid_from.month(), valid_from.day()), (1, 1) | (7, 1)) {
            return Err(format!("{valid_from} does not start a half-year"));
        }
        let published = match raw.status.as_str() {
            "published" => true,
            "computed" => false,
            other => return Err(format!("unknown status {other}")),
        };
        b2b.push(DatedRate {
            valid_from,
            basis_points: raw.basis_points,
            mro_basis_points: raw.mro_basis_points,
            published,
        });
    }
    b2b.sort_by_key(|r| r.valid_from);
    if b2b.is_empty() {
        return Err("no B2B rate".into());
    }
    let mut civil: Vec<(i16, u32)> = file
        .civil
        .into_iter()
        .map(|c| (c.year, c.basis_points))
        .collect();
    civil.sort();
    Ok(RateTable {
        version: file.version,
        b2b,
        civil,
    })
}

static TABLE: LazyLock<Result<RateTable, String>> =
    LazyLock::new(|| load(include_str!("../../rules/late_interest.toml")));

/// The shipped rate table (a malformed file is a build defect the tests catch).
pub fn rate_table() -> Result<&'static RateTable, RateError> {
    TABLE.as_ref().map_err(|e| RateError::Unreadable(e.clone()))
}

impl RateTable {
    /// The B2B statutory rate in force on `day` (basis points).
    pub fn b2b_rate_on(&self, day: Date) -> Result<u32, RateError> {
        self.b2b
            .iter()
            .rev()
            .find(|r| r.valid_from <= day)
            .map(|r| r.basis_points)
            .ok_or(RateError::NoRate(day))
    }

    /// The civil legal interest rate of `year` (basis points).
    pub fn civil_rate(&self, year: i16) -> Result<u32, RateError> {
        self.civil
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, bp)| *bp)
            .ok_or(RateError::NoRate(date(year, 1, 1)))
    }
}

/// One stretch of days at one rate, as kept in a reminder's snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatePeriod {
    /// First day of interest in this period.
    pub from: Date,
    /// Last day of interest in this period (inclusive).
    pub to: Date,
    pub days: i64,
    pub rate_bp: u32,
}

/// The statutory interest on a principal, with the period split and the table version used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestComputation {
    pub principal_cents: i64,
    pub periods: Vec<RatePeriod>,
    pub interest_cents: i64,
    pub table_version: String,
}

impl InterestComputation {
    pub fn days(&self) -> i64 {
        self.periods.iter().map(|p| p.days).sum()
    }
}

fn days_between(from: Date, to: Date) -> i64 {
    to.since(from).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// The last day of the half-year holding `day` (30 June or 31 December).
fn half_year_end(day: Date) -> Date {
    if day.month() <= 6 {
        date(day.year(), 6, 30)
    } else {
        date(day.year(), 12, 31)
    }
}

/// B2B statutory interest on `principal_cents` due on `due` and still unpaid on `until`.
///
/// Interest runs without formal notice from the day after the due date (law of 2 Aug 2002,
/// art. 5) up to and including `until` (`until − due` days in all), simple interest,
/// Actual/365, at the rate of each half-year (split at 1 January and 1 July); the exact sum
/// is rounded half-up to the cent once, at the end (reference/dunning.md §2).
pub fn b2b_interest(
    table: &RateTable,
    principal_cents: i64,
    due: Date,
    until: Date,
) -> Result<InterestComputation, RateError> {
    let mut periods = Vec::new();
    let mut exact = Decimal::ZERO;
    let principal = Decimal::new(principal_cents.max(0), 2);
    let mut cursor = due.saturating_add(1.day());
    // Bounded: one period per half-year, at most 200 years.
    for _ in 0..400 {
        if cursor > until {
            break;
        }
        let end = half_year_end(cursor).min(until);
        let days = days_between(cursor, end) + 1;
        let rate_bp = table.b2b_rate_on(cursor)?;
        exact += principal * Decimal::from(rate_bp) / Decimal::from(10_000) * Decimal::from(days)
            / Decimal::from(365);
        periods.push(RatePeriod {
            from: cursor,
            to: end,
            days,
            rate_bp,
        });
        cursor = end.saturating_add(1.day());
    }
    let rounded = exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let interest_cents = (rounded * Decimal::from(100))
        .trunc()
        .to_string()
        .parse::<i64>()
        .unwrap_or(0);
    Ok(InterestComputation {
        principal_cents: principal_cents.max(0),
        periods,
        interest_cents,
        table_version: table.version.clone(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// The rule of art. 5, only as a test oracle for the shipped table: MRO + 8 points,
    /// rounded up to the next half point.
    fn rate_from_mro(mro_bp: u32) -> u32 {
        (mro_bp + 800).div_ceil(50) * 50
    }

    fn table() -> &'static RateTable {
        rate_table().expect("late_interest.toml loads")
    }

    #[test]
    fn the_rate_formula_gives_the_reference_vectors() {
        for (mro, rate) in [
            (0, 800),
            (250, 1050),
            (400, 1200),
            (450, 1250),
            (425, 1250),
            (315, 1150),
            (215, 1050),
        ] {
            assert_eq!(rate_from_mro(mro), rate, "MRO {mro}");
        }
    }

    #[test]
    fn every_shipped_rate_from_2020_follows_the_formula() {
        for r in table().b2b.iter().filter(|r| r.valid_from.year() >= 2020) {
            assert_eq!(rate_from_mro(r.mro_basis_points), r.basis_points, "{r:?}");
        }
    }

    #[test]
    fn the_table_gives_the_rate_of_each_half_year() {
        let t = table();
        assert_eq!(t.b2b_rate_on(date(2023, 3, 1)), Ok(1050));
        assert_eq!(t.b2b_rate_on(date(2023, 7, 1)), Ok(1200));
        assert_eq!(t.b2b_rate_on(date(2024, 12, 31)), Ok(1250));
        assert_eq!(t.b2b_rate_on(date(2025, 1, 1)), Ok(1150));
        assert_eq!(t.b2b_rate_on(date(2026, 2, 13)), Ok(1050));
        assert_eq!(t.b2b_rate_on(date(2019, 9, 1)), Ok(850));
        assert_eq!(
            t.b2b_rate_on(date(2015, 12, 31)),
            Err(RateError::NoRate(date(2015, 12, 31)))
        );
        assert_eq!(t.civil_rate(2026), Ok(450));
        assert_eq!(t.civil_rate(2025), Ok(450));
    }

    #[test]
    fn interest_on_1000_due_mid_december_paid_in_february_is_17_26() {
        let i = b2b_interest(table(), 100_000, date(2025, 12, 15), date(2026, 2, 13)).unwrap();
        assert_eq!(i.days(), 60);
        assert_eq!(i.interest_cents, 1726);
        // 16 days in the second half of 2025, 44 in the first of 2026, both at 10.5 %.
        assert_eq!(i.periods.len(), 2);
        assert!(i.periods.iter().all(|p| p.rate_bp == 1050));
    }

    #[test]
    fn interest_across_a_rate_change_sums_the_periods_and_rounds_once() {
        let i = b2b_interest(table(), 500_000, date(2024, 12, 1), date(2025, 2, 1)).unwrap();
        assert_eq!(
            i.periods,
            vec![
                RatePeriod {
                    from: date(2024, 12, 2),
                    to: date(2024, 12, 31),
                    days: 30,
                    rate_bp: 1250
                },
                RatePeriod {
                    from: date(2025, 1, 1),
                    to: date(2025, 2, 1),
                    days: 32,
                    rate_bp: 1150
                },
            ]
        );
        assert_eq!(i.interest_cents, 10178);
        assert_eq!(i.table_version, table().version);
    }

    #[test]
    fn no_interest_runs_on_or_before_the_due_date() {
        let i = b2b_interest(table(), 100_000, date(2026, 3, 1), date(2026, 3, 1)).unwrap();
        assert_eq!(i.interest_cents, 0);
        assert!(i.periods.is_empty());
    }

    #[test]
    fn the_flat_compensation_is_forty_euros() {
        assert_eq!(B2B_FLAT_COMPENSATION_CENTS, 4000);
    }
}
