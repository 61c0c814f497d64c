//! The dated parameters of the 0 % loan product (`rules/loans.toml`, DESIGN.md §4): the
//! principal and instalment bounds, the open applications a member may have, the
//! delinquency buckets and the criteria checklist. A set applies from its `valid_from`
//! until the next one.

use std::sync::LazyLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoanParamsError {
    #[error("no loan parameters are known for {0}")]
    NoParams(Date),
    #[error("the rules file loans.toml is unreadable: {0}")]
    Unreadable(String),
}

/// One set of loan parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanParams {
    #[serde(deserialize_with = "toml_date")]
    pub valid_from: Date,
    pub principal_min_cents: i64,
    pub principal_max_cents: i64,
    pub instalments_min: u32,
    pub instalments_max: u32,
    pub max_open_applications: u32,
    /// Lower bounds (days past due) of the delinquency buckets, increasing, the first ≥ 1.
    pub bucket_lower_days: Vec<i64>,
    pub criteria: Vec<String>,
}

impl LoanParams {
    /// The name of the set, snapshotted on every loan applied for under it.
    pub fn version(&self) -> String {
        format!("loans-{}", self.valid_from)
    }

    fn check(&self) -> Result<(), String> {
        let increasing = self.bucket_lower_days.windows(2).all(|w| w[0] < w[1]);
        let sane = self.principal_min_cents > 0
            && self.principal_min_cents <= self.principal_max_cents
            && self.instalments_min >= 1
            && self.instalments_min <= self.instalments_max
            // Every instalment carries at least one cent (see `schedule`).
            && self.principal_min_cents >= i64::from(self.instalments_max)
            && !self.bucket_lower_days.is_empty()
            && self.bucket_lower_days[0] >= 1
            && increasing;
        if sane {
            Ok(())
        } else {
            Err(format!("inconsistent set {}", self.version()))
        }
    }
}

fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let raw = toml::value::Datetime::deserialize(d)?;
    raw.to_string().parse().map_err(serde::de::Error::custom)
}

#[derive(Deserialize)]
struct ParamsFile {
    set: Vec<LoanParams>,
}

fn load(text: &str) -> Result<Vec<LoanParams>, String> {
    let mut sets = toml::from_str::<ParamsFile>(text)
        .map_err(|e| e.to_string())?
        .set;
    sets.sort_by_key(|s| s.valid_from);
    if sets.is_empty() {
        return Err("no parameter set".into());
    }
    for s in &sets {
        s.check()?;
    }
    Ok(sets)
}

static SETS: LazyLock<Result<Vec<LoanParams>, String>> =
    LazyLock::new(|| load(include_str!("../../rules/loans.toml")));

/// The loan parameters in force on `day`.
pub fn loan_params_on(day: Date) -> Result<&'static LoanParams, LoanParamsError> {
    let sets = SETS
        .as_ref()
        .map_err(|e| LoanParamsError::Unreadable(e.clone()))?;
    sets.iter()
        .rev()
        .find(|s| s.valid_from <= day)
        .ok_or(LoanParamsError::NoParams(day))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;

    use super::*;

    #[test]
    fn the_file_loads_with_five_buckets_and_one_open_application() {
        let p = loan_params_on(date(2024, 3, 1)).unwrap();
        assert_eq!(p.bucket_lower_days, vec![1, 31, 61, 91, 181]);
        assert_eq!(p.max_open_applications, 1);
        assert!(p.principal_min_cents <= 489_714 && 500_000 <= p.principal_max_cents);
        assert!(p.instalments_min <= 24 && 24 <= p.instalments_max);
        assert!(!p.criteria.is_empty());
        assert_eq!(p.version(), "loans-2015-01-01");
    }

    #[test]
    fn a_date_before_the_first_set_has_no_parameters() {
        assert_eq!(
            loan_params_on(date(2014, 12, 31)),
            Err(LoanParamsError::NoParams(date(2014, 12, 31)))
        );
    }

    #[test]
    fn an_inconsistent_set_is_refused() {
        let text = "[[set]]\nvalid_from = 2020-01-01\nprincipal_min_cents = 100\n\
            principal_max_cents = 50\ninstalments_min = 1\ninstalments_max = 2\n\
            max_open_applications = 1\nbucket_lower_days = [1]\ncriteria = []\n";
        assert!(load(text).is_err());
    }
}
