//! The dated employment limits (`rules/employment.toml`): work-volume limits, the
//! small-allowance regime of amateur artistic work (the RPI/KVR until 2023, the IAA/AKV
//! since 2024), the salary guarantee's delay and limits. A set applies from its
//! `valid_from` until the next one.

use std::sync::LazyLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("no employment rules are known for {0}")]
    NoRules(Date),
    #[error("the rules file employment.toml is unreadable: {0}")]
    Unreadable(String),
}

/// The small-allowance regime of amateur artistic work in force (employment.md §0 point 2,
/// §3.3): the RPI/KVR until 31 December 2023, the IAA/AKV from 1 January 2024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmallAllowanceRegime {
    /// Régime des petites indemnités / kleine vergoedingsregeling (AR 28 November 1969,
    /// art. 17sexies): travel included in the daily amount, a yearly ceiling in euros.
    Rpi,
    /// Indemnité des arts en amateur / amateurkunstenvergoeding (law of 16 December 2022):
    /// a separate travel amount, no yearly ceiling in euros.
    Iaa,
}

impl SmallAllowanceRegime {
    /// Stable code (`rpi`, `iaa`), as written in the rules file.
    pub fn code(self) -> &'static str {
        match self {
            SmallAllowanceRegime::Rpi => "rpi",
            SmallAllowanceRegime::Iaa => "iaa",
        }
    }
}

/// One set of limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentRules {
    #[serde(deserialize_with = "toml_date")]
    pub valid_from: Date,
    /// `false` while a value is carried from an earlier year, to confirm.
    pub confirmed: bool,
    pub max_hours_per_day: u32,
    pub max_hours_per_week: u32,
    pub flag_hours_per_year: u32,
    pub small_allowance_regime: SmallAllowanceRegime,
    /// The most a day per principal (the RPI's includes travel).
    pub small_allowance_daily_cents: i64,
    /// The IAA's daily travel amount; `None` when travel is included in the daily amount.
    #[serde(default)]
    pub small_allowance_travel_daily_cents: Option<i64>,
    /// The RPI's yearly ceiling per person; `None` when there is none (IAA).
    #[serde(default)]
    pub small_allowance_yearly_cap_cents: Option<i64>,
    pub small_allowance_days_per_year: u32,
    pub small_allowance_consecutive_days: u32,
    pub guarantee_pay_days: u32,
    pub guarantee_limit_activity_cents: i64,
    pub guarantee_limit_client_cents: i64,
}

fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let raw = toml::value::Datetime::deserialize(d)?;
    raw.to_string().parse().map_err(serde::de::Error::custom)
}

#[derive(Deserialize)]
struct RulesFile {
    set: Vec<EmploymentRules>,
}

fn load(text: &str) -> Result<Vec<EmploymentRules>, String> {
    let mut sets = toml::from_str::<RulesFile>(text)
        .map_err(|e| e.to_string())?
        .set;
    sets.sort_by_key(|s| s.valid_from);
    if sets.is_empty() {
        return Err("no rule set".into());
    }
    Ok(sets)
}

static SETS: LazyLock<Result<Vec<EmploymentRules>, String>> =
    LazyLock::new(|| load(include_str!("../../rules/employment.toml")));

/// The limits in force on `day`.
pub fn rules_on(day: Date) -> Result<&'static EmploymentRules, RulesError> {
    let sets = SETS
        .as_ref()
        .map_err(|e| RulesError::Unreadable(e.clone()))?;
    sets.iter()
        .rev()
        .find(|s| s.valid_from <= day)
        .ok_or(RulesError::NoRules(day))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_file_loads_and_sets_change_on_their_date() {
        let r2024 = rules_on(date(2024, 12, 31)).unwrap();
        assert_eq!(r2024.small_allowance_regime, SmallAllowanceRegime::Iaa);
        assert_eq!(r2024.small_allowance_daily_cents, 7722);
        assert_eq!(r2024.small_allowance_travel_daily_cents, Some(2206));
        assert_eq!(r2024.small_allowance_yearly_cap_cents, None);
        assert_eq!(
            rules_on(date(2025, 1, 1))
                .unwrap()
                .small_allowance_daily_cents,
            8018
        );
        assert!(!rules_on(date(2026, 6, 1)).unwrap().confirmed);
        assert_eq!(
            rules_on(date(2022, 12, 31)),
            Err(RulesError::NoRules(date(2022, 12, 31)))
        );
    }

    #[test]
    fn a_date_of_2023_resolves_to_the_rpi_with_travel_included_and_its_yearly_cap() {
        // employment.md §3.3: 147.67 € a day travel included, 2,953.37 € a year, 30 days, 7
        // consecutive with the same principal.
        for day in [date(2023, 1, 1), date(2023, 7, 14), date(2023, 12, 31)] {
            let r = rules_on(day).unwrap();
            assert_eq!(r.valid_from, date(2023, 1, 1));
            assert_eq!(r.small_allowance_regime, SmallAllowanceRegime::Rpi);
            assert_eq!(r.small_allowance_daily_cents, 14_767);
            assert_eq!(r.small_allowance_travel_daily_cents, None);
            assert_eq!(r.small_allowance_yearly_cap_cents, Some(295_337));
            assert_eq!(
                (
                    r.small_allowance_days_per_year,
                    r.small_allowance_consecutive_days
                ),
                (30, 7)
            );
            assert_eq!((r.max_hours_per_day, r.max_hours_per_week), (11, 50));
        }
        assert_eq!(
            rules_on(date(2024, 1, 1)).unwrap().small_allowance_regime,
            SmallAllowanceRegime::Iaa
        );
    }
}
