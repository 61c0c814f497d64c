//! The kilometre allowance (C7; reference/employment.md §4): business trips with one's own
//! vehicle are reimbursed at the federal rate per kilometre in force on the day of the trip,
//! from the dated table `rules/mileage.toml`.
//!
//! The allowance is free of tax and social security when it is at most the federal rate × the
//! kilometres driven, for at most 24,000 km per person and per calendar year
//! (`annual_cap_km`): a claim that would take a person's year beyond it is refused
//! ([`check_annual_cap`]). BOSA publishes the rate per quarter and per year (1 July → 30
//! June); the cooperative uses the quarterly scheme (the file's `scheme`). A period whose
//! rate is not known (the fourth quarter of 2024, OPEN) or not published yet is refused with
//! its own error, never guessed.

use std::str::FromStr;
use std::sync::LazyLock;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MileageError {
    /// No row of the table covers the day (before the first row, after the last one).
    #[error("no kilometre rate is known for {0}")]
    NoRate(Date),
    /// The row of the day is marked open: its rate was not found yet.
    #[error("the kilometre rate of {from} to {to} is not known yet")]
    RateOpen { from: Date, to: Date },
    /// The claim would take the person's year beyond the tax-free ceiling.
    #[error("{used_km} km already claimed this year plus {claim_km} km exceed {cap_km} km")]
    CapExceeded {
        used_km: u32,
        claim_km: u32,
        cap_km: u32,
    },
    #[error("the rules file mileage.toml is unreadable: {0}")]
    Unreadable(String),
}

impl MileageError {
    /// The code the forms and the API name the refusal by (`err-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            MileageError::NoRate(_) => "expense-mileage-no-rate",
            MileageError::RateOpen { .. } => "expense-mileage-rate-open",
            MileageError::CapExceeded { .. } => "expense-mileage-cap",
            MileageError::Unreadable(_) => "expense-mileage-no-rate",
        }
    }
}

/// The two ways BOSA publishes the rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MileageScheme {
    /// One rate per calendar quarter.
    Quarterly,
    /// One rate from 1 July to 30 June, binding the employer for the twelve months.
    Annual,
}

impl MileageScheme {
    pub fn code(self) -> &'static str {
        match self {
            MileageScheme::Quarterly => "quarterly",
            MileageScheme::Annual => "annual",
        }
    }

    pub fn parse(s: &str) -> Option<MileageScheme> {
        [MileageScheme::Quarterly, MileageScheme::Annual]
            .into_iter()
            .find(|m| m.code() == s)
    }
}

/// How far a row of the table can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateStatus {
    /// Checked against the BOSA circular.
    Verified,
    /// From one secondary source, to confirm.
    SingleSource,
    /// Not known: claims in the period are refused.
    Open,
}

/// One period of the table: `eur_per_km` is `None` exactly when the row is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MileageRate {
    pub scheme: MileageScheme,
    pub valid_from: Date,
    /// The last day of the period (inclusive).
    pub valid_to: Date,
    pub eur_per_km: Option<Decimal>,
    pub status: RateStatus,
    pub source: String,
}

/// The rate a claim used, as the claim keeps it (DESIGN.md §4: a computed document
/// snapshots its parameters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedRate {
    pub scheme: MileageScheme,
    pub eur_per_km: Decimal,
    pub valid_from: Date,
    pub valid_to: Date,
    /// The table's `version`.
    pub version: String,
    /// `false` when the row comes from a single secondary source.
    pub verified: bool,
}

#[derive(Debug, Clone)]
pub struct MileageTable {
    pub version: String,
    /// The scheme the cooperative applies.
    pub scheme: MileageScheme,
    /// The tax-free ceiling per person and per calendar year.
    pub annual_cap_km: u32,
    /// Oldest first, contiguous.
    pub quarterly: Vec<MileageRate>,
    /// Oldest first, contiguous, 1 July → 30 June.
    pub annual: Vec<MileageRate>,
}

#[derive(Deserialize)]
struct RawFile {
    version: String,
    scheme: String,
    annual_cap_km: u32,
    quarterly: Vec<RawRate>,
    annual: Vec<RawRate>,
}

#[derive(Deserialize)]
struct RawRate {
    valid_from: toml::value::Datetime,
    valid_to: toml::value::Datetime,
    #[serde(default)]
    eur_per_km: Option<String>,
    status: RateStatus,
    source: String,
}

fn toml_date(d: &toml::value::Datetime) -> Result<Date, String> {
    d.to_string().parse().map_err(|e| format!("{d}: {e}"))
}

fn rows(scheme: MileageScheme, raw: Vec<RawRate>) -> Result<Vec<MileageRate>, String> {
    let mut out: Vec<MileageRate> = Vec::with_capacity(raw.len());
    for r in raw {
        let valid_from = toml_date(&r.valid_from)?;
        let valid_to = toml_date(&r.valid_to)?;
        if valid_to < valid_from {
            return Err(format!("{valid_from}: the period ends before it starts"));
        }
        let shape_ok = match scheme {
            MileageScheme::Quarterly => {
                matches!(valid_from.month(), 1 | 4 | 7 | 10)
                    && valid_from.day() == 1
                    && valid_to.month() == valid_from.month() + 2
                    && valid_to == valid_to.last_of_month()
                    && valid_to.year() == valid_from.year()
            }
            MileageScheme::Annual => {
                (valid_from.month(), valid_from.day()) == (7, 1)
                    && (valid_to.month(), valid_to.day()) == (6, 30)
                    && valid_to.year() == valid_from.year() + 1
            }
        };
        if !shape_ok {
            return Err(format!(
                "{valid_from} → {valid_to} is not a {} period",
                scheme.code()
            ));
        }
        let eur_per_km = match (&r.eur_per_km, r.status) {
            (None, RateStatus::Open) => None,
            (Some(_), RateStatus::Open) => {
                return Err(format!("{valid_from}: an open row has no rate"));
            }
            (None, _) => return Err(format!("{valid_from}: the rate is missing")),
            (Some(text), _) => {
                let rate = Decimal::from_str(text).map_err(|e| format!("{text}: {e}"))?;
                // A sanity bound: the federal rate has stayed between 0.30 and 0.50 €/km.
                if rate <= Decimal::new(30, 2) || rate >= Decimal::new(50, 2) {
                    return Err(format!("{valid_from}: {rate} €/km is implausible"));
                }
                Some(rate)
            }
        };
        if let Some(previous) = out.last()
            && previous.valid_to.tomorrow().ok() != Some(valid_from)
        {
            return Err(format!(
                "{valid_from} does not follow {} (gap or overlap)",
                previous.valid_to
            ));
        }
        out.push(MileageRate {
            scheme,
            valid_from,
            valid_to,
            eur_per_km,
            status: r.status,
            source: r.source,
        });
    }
    if out.is_empty() {
        return Err(format!("no {} rate", scheme.code()));
    }
    Ok(out)
}

fn load(text: &str) -> Result<MileageTable, String> {
    let file: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let scheme =
        MileageScheme::parse(&file.scheme).ok_or_else(|| format!("scheme {}", file.scheme))?;
    if file.annual_cap_km == 0 {
        return Err("annual_cap_km must be positive".into());
    }
    Ok(MileageTable {
        version: file.version,
        scheme,
        annual_cap_km: file.annual_cap_km,
        quarterly: rows(MileageScheme::Quarterly, file.quarterly)?,
        annual: rows(MileageScheme::Annual, file.annual)?,
    })
}

static TABLE: LazyLock<Result<MileageTable, String>> =
    LazyLock::new(|| load(include_str!("../rules/mileage.toml")));

/// The shipped table (a malformed file is a build defect the tests catch).
pub fn mileage_table() -> Result<&'static MileageTable, MileageError> {
    TABLE
        .as_ref()
        .map_err(|e| MileageError::Unreadable(e.clone()))
}

impl MileageTable {
    fn rows(&self, scheme: MileageScheme) -> &[MileageRate] {
        match scheme {
            MileageScheme::Quarterly => &self.quarterly,
            MileageScheme::Annual => &self.annual,
        }
    }

    /// The row of `scheme` covering `day`, whatever its status.
    pub fn row_on(&self, scheme: MileageScheme, day: Date) -> Result<&MileageRate, MileageError> {
        self.rows(scheme)
            .iter()
            .find(|r| r.valid_from <= day && day <= r.valid_to)
            .ok_or(MileageError::NoRate(day))
    }

    /// The rate of `scheme` in force on `day`; refused when no row covers the day or its row
    /// is open.
    pub fn rate_on(&self, scheme: MileageScheme, day: Date) -> Result<AppliedRate, MileageError> {
        let row = self.row_on(scheme, day)?;
        let eur_per_km = row.eur_per_km.ok_or(MileageError::RateOpen {
            from: row.valid_from,
            to: row.valid_to,
        })?;
        Ok(AppliedRate {
            scheme,
            eur_per_km,
            valid_from: row.valid_from,
            valid_to: row.valid_to,
            version: self.version.clone(),
            verified: row.status == RateStatus::Verified,
        })
    }

    /// The rate of the cooperative's scheme on the day of the trip.
    pub fn cooperative_rate_on(&self, day: Date) -> Result<AppliedRate, MileageError> {
        self.rate_on(self.scheme, day)
    }

    /// The first and last day the cooperative's scheme has a row for (open rows included),
    /// for the form's hint.
    pub fn covered(&self) -> (Date, Date) {
        let rows = self.rows(self.scheme);
        match (rows.first(), rows.last()) {
            (Some(first), Some(last)) => (first.valid_from, last.valid_to),
            // `load` refuses an empty table.
            _ => (Date::MIN, Date::MIN),
        }
    }

    /// The open periods of the cooperative's scheme, for the form's hint.
    pub fn open_periods(&self) -> Vec<(Date, Date)> {
        self.rows(self.scheme)
            .iter()
            .filter(|r| r.status == RateStatus::Open)
            .map(|r| (r.valid_from, r.valid_to))
            .collect()
    }
}

/// The allowance of `km` kilometres at `eur_per_km`, in cents, rounded half up to the cent
/// (the kilometres and the rate are positive, so half up is half away from zero).
pub fn allowance_cents(km: u32, eur_per_km: Decimal) -> i64 {
    let cents = (Decimal::from(km) * eur_per_km * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    // At most 24,000 km × < 0.50 €: far inside i64.
    i64::try_from(cents).unwrap_or(i64::MAX)
}

/// Whether a claim of `claim_km` fits the person's year, where their other claims (filed and
/// not refused nor withdrawn) already count `used_km`: the total must stay within `cap_km`
/// (24,000 km a year, reference/employment.md §4).
pub fn check_annual_cap(used_km: u32, claim_km: u32, cap_km: u32) -> Result<(), MileageError> {
    if used_km.saturating_add(claim_km) <= cap_km {
        Ok(())
    } else {
        Err(MileageError::CapExceeded {
            used_km,
            claim_km,
            cap_km,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;

    use super::*;

    fn table() -> &'static MileageTable {
        mileage_table().unwrap()
    }

    fn quarterly(day: Date) -> Result<Decimal, MileageError> {
        table()
            .rate_on(MileageScheme::Quarterly, day)
            .map(|r| r.eur_per_km)
    }

    fn annual(day: Date) -> Result<Decimal, MileageError> {
        table()
            .rate_on(MileageScheme::Annual, day)
            .map(|r| r.eur_per_km)
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_shipped_table_loads_and_the_cooperative_uses_the_quarterly_scheme() {
        let t = table();
        assert_eq!(t.scheme, MileageScheme::Quarterly);
        assert_eq!(t.annual_cap_km, 24_000);
        assert_eq!(t.quarterly.len(), 15);
        assert_eq!(t.annual.len(), 4);
        assert_eq!(t.covered(), (date(2022, 7, 1), date(2026, 3, 31)));
        assert_eq!(
            t.open_periods(),
            vec![(date(2024, 10, 1), date(2024, 12, 31))]
        );
    }

    #[test]
    fn the_quarterly_rate_is_the_one_of_the_trips_quarter() {
        assert_eq!(quarterly(date(2023, 2, 14)), Ok(d("0.4259")));
        assert_eq!(quarterly(date(2023, 5, 2)), Ok(d("0.4246")));
        assert_eq!(quarterly(date(2024, 8, 20)), Ok(d("0.4297")));
        assert_eq!(quarterly(date(2025, 5, 1)), Ok(d("0.4320")));
        assert_eq!(quarterly(date(2026, 2, 1)), Ok(d("0.4326")));
        let cooperative = table().cooperative_rate_on(date(2023, 2, 14)).unwrap();
        assert_eq!(cooperative.eur_per_km, d("0.4259"));
        assert!(cooperative.verified, "circular 713");
        assert_eq!(cooperative.valid_from, date(2023, 1, 1));
        assert_eq!(cooperative.valid_to, date(2023, 3, 31));
        assert_eq!(cooperative.version, "2026-Q1");
        assert!(
            !table()
                .cooperative_rate_on(date(2024, 8, 20))
                .unwrap()
                .verified
        );
    }

    #[test]
    fn the_rate_changes_on_the_first_day_of_the_quarter() {
        // The last day of a quarter keeps its rate; the next day takes the new one.
        assert_eq!(quarterly(date(2024, 6, 30)), Ok(d("0.4265")));
        assert_eq!(quarterly(date(2024, 7, 1)), Ok(d("0.4297")));
        assert_eq!(quarterly(date(2023, 3, 31)), Ok(d("0.4259")));
        assert_eq!(quarterly(date(2023, 4, 1)), Ok(d("0.4246")));
        assert_eq!(quarterly(date(2025, 12, 31)), Ok(d("0.4312")));
        assert_eq!(quarterly(date(2026, 1, 1)), Ok(d("0.4326")));
    }

    #[test]
    fn the_annual_rate_runs_from_july_to_june() {
        assert_eq!(annual(date(2024, 6, 30)), Ok(d("0.4280")));
        assert_eq!(annual(date(2024, 7, 1)), Ok(d("0.4415")));
        assert_eq!(annual(date(2023, 1, 1)), Ok(d("0.4170")));
        assert!(matches!(
            annual(date(2025, 9, 1)),
            Err(MileageError::RateOpen { .. })
        ));
    }

    #[test]
    fn an_open_quarter_or_a_day_outside_the_table_has_no_rate() {
        assert_eq!(
            quarterly(date(2024, 11, 5)),
            Err(MileageError::RateOpen {
                from: date(2024, 10, 1),
                to: date(2024, 12, 31)
            })
        );
        // The open quarter's neighbours are known.
        assert_eq!(quarterly(date(2024, 9, 30)), Ok(d("0.4297")));
        assert_eq!(quarterly(date(2025, 1, 1)), Ok(d("0.4290")));
        assert_eq!(
            quarterly(date(2022, 6, 30)),
            Err(MileageError::NoRate(date(2022, 6, 30)))
        );
        assert_eq!(
            quarterly(date(2026, 4, 1)),
            Err(MileageError::NoRate(date(2026, 4, 1)))
        );
        assert_eq!(
            MileageError::RateOpen {
                from: date(2024, 10, 1),
                to: date(2024, 12, 31)
            }
            .code(),
            "expense-mileage-rate-open"
        );
    }

    #[test]
    fn the_allowance_is_kilometres_times_the_rate_rounded_half_up() {
        assert_eq!(allowance_cents(100, d("0.4297")), 4297);
        // 37 × 0.4265 = 15.7805 €.
        assert_eq!(allowance_cents(37, d("0.4265")), 1578);
        // 5 × 0.4170 = 2.085 €: half up gives 2.09 (banker's rounding would give 2.08).
        assert_eq!(allowance_cents(5, d("0.4170")), 209);
        assert_eq!(allowance_cents(24_000, d("0.4326")), 1_038_240);
        assert_eq!(allowance_cents(0, d("0.4326")), 0);
    }

    #[test]
    fn the_year_may_reach_the_cap_but_not_pass_it() {
        assert_eq!(check_annual_cap(0, 24_000, 24_000), Ok(()));
        assert_eq!(check_annual_cap(23_900, 100, 24_000), Ok(()));
        assert_eq!(
            check_annual_cap(23_900, 101, 24_000),
            Err(MileageError::CapExceeded {
                used_km: 23_900,
                claim_km: 101,
                cap_km: 24_000
            })
        );
        assert!(check_annual_cap(0, 24_001, 24_000).is_err());
        assert!(check_annual_cap(u32::MAX, 1, 24_000).is_err());
    }

    #[test]
    fn a_malformed_table_is_refused() {
        let base = "version = \"t\"\nscheme = \"quarterly\"\nannual_cap_km = 24000\n\
            [[annual]]\nvalid_from = 2024-07-01\nvalid_to = 2025-06-30\neur_per_km = \"0.4415\"\n\
            status = \"verified\"\nsource = \"x\"\n";
        let q = |from: &str, to: &str, rate: &str, status: &str| {
            format!(
                "[[quarterly]]\nvalid_from = {from}\nvalid_to = {to}\n{rate}status = \"{status}\"\nsource = \"x\"\n"
            )
        };
        let ok = format!(
            "{base}{}{}",
            q(
                "2024-01-01",
                "2024-03-31",
                "eur_per_km = \"0.4269\"\n",
                "verified"
            ),
            q("2024-04-01", "2024-06-30", "", "open")
        );
        assert!(load(&ok).is_ok());
        // A gap between two quarters.
        let gap = format!(
            "{base}{}{}",
            q(
                "2024-01-01",
                "2024-03-31",
                "eur_per_km = \"0.4269\"\n",
                "verified"
            ),
            q(
                "2024-07-01",
                "2024-09-30",
                "eur_per_km = \"0.4297\"\n",
                "verified"
            )
        );
        assert!(load(&gap).unwrap_err().contains("gap"));
        // Not a quarter.
        let month = format!(
            "{base}{}",
            q(
                "2024-01-01",
                "2024-01-31",
                "eur_per_km = \"0.4269\"\n",
                "verified"
            )
        );
        assert!(load(&month).is_err());
        // A known row without its rate, an open row with one, a rate out of bounds.
        for (rate, status) in [
            ("", "verified"),
            ("eur_per_km = \"0.4269\"\n", "open"),
            ("eur_per_km = \"4.269\"\n", "verified"),
        ] {
            let bad = format!("{base}{}", q("2024-01-01", "2024-03-31", rate, status));
            assert!(load(&bad).is_err(), "{rate} {status}");
        }
    }
}
