//! The dated employment limits (`rules/employment.toml`): work-volume limits, the
//! amateur-arts allowance, the salary guarantee's delay and limits. A set applies from its
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
    pub iaa_daily_cents: i64,
    pub iaa_travel_daily_cents: i64,
    pub iaa_days_per_year: u32,
    pub iaa_consecutive_days: u32,
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
        assert_eq!(rules_on(date(2024, 12, 31)).unwrap().iaa_daily_cents, 7722);
        assert_eq!(rules_on(date(2025, 1, 1)).unwrap().iaa_daily_cents, 8018);
        assert!(!rules_on(date(2026, 6, 1)).unwrap().confirmed);
        assert_eq!(
            rules_on(date(2023, 12, 31)),
            Err(RulesError::NoRules(date(2023, 12, 31)))
        );
    }
}
