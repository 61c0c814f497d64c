//! The dated governance parameters (`rules/governance.toml`): the vote cap's denominator,
//! scope and rounding, the patrimonial-advantage rate and its basis, the convocation delay,
//! the default resignation window. A set applies from its `valid_from` until the next one.

use std::sync::LazyLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamsError {
    #[error("no governance parameters are known for {0}")]
    NoParams(Date),
    #[error("the rules file governance.toml is unreadable: {0}")]
    Unreadable(String),
}

/// Whether the 1/10 cap applies to each represented holder or to all one person casts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapScope {
    PerPrincipal,
    Aggregate,
}

/// Whether the cap stays an exact fraction or is floored to an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapRounding {
    Exact,
    Floor,
}

/// What the engine does when the cap is inconsistent (TV-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InconsistentCapPolicy {
    /// Every voter holds exactly one vote: the cap is not applied.
    NoCap,
    /// The literal reading is applied (every vote is capped), and the flag is raised.
    Literal,
}

/// The basis of the patrimonial-advantage cap (ES-3): the amount paid up or the nominal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvantageBasis {
    PaidUp,
    Nominal,
}

/// One set of governance parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernanceParams {
    #[serde(deserialize_with = "toml_date")]
    pub valid_from: Date,
    pub confirmed: bool,
    pub vote_cap_denominator: u32,
    pub cap_scope: CapScope,
    pub cap_rounding: CapRounding,
    pub inconsistent_cap_policy: InconsistentCapPolicy,
    pub advantage_rate_bp: u32,
    pub advantage_basis: AdvantageBasis,
    pub rebates_count: bool,
    pub withholding_tax_bp: u32,
    pub pro_rata_start_excluded: bool,
    pub convene_request_share_bp: u32,
    pub convene_within_days: u32,
    pub convocation_notice_days: u32,
    pub default_resignation_months: u32,
}

impl GovernanceParams {
    /// The name of the set, shown next to every check that used it.
    pub fn version(&self) -> String {
        format!("governance-{}", self.valid_from)
    }
}

fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let raw = toml::value::Datetime::deserialize(d)?;
    raw.to_string().parse().map_err(serde::de::Error::custom)
}

#[derive(Deserialize)]
struct ParamsFile {
    set: Vec<GovernanceParams>,
}

fn load(text: &str) -> Result<Vec<GovernanceParams>, String> {
    let mut sets = toml::from_str::<ParamsFile>(text)
        .map_err(|e| e.to_string())?
        .set;
    sets.sort_by_key(|s| s.valid_from);
    if sets.is_empty() {
        return Err("no parameter set".into());
    }
    Ok(sets)
}

static SETS: LazyLock<Result<Vec<GovernanceParams>, String>> =
    LazyLock::new(|| load(include_str!("../../rules/governance.toml")));

/// The parameters in force on `day`.
pub fn params_on(day: Date) -> Result<&'static GovernanceParams, ParamsError> {
    let sets = SETS
        .as_ref()
        .map_err(|e| ParamsError::Unreadable(e.clone()))?;
    sets.iter()
        .rev()
        .find(|s| s.valid_from <= day)
        .ok_or(ParamsError::NoParams(day))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_file_loads_with_the_cap_of_one_tenth() {
        let p = params_on(date(2023, 6, 20)).unwrap();
        assert_eq!(p.vote_cap_denominator, 10);
        assert_eq!(p.advantage_rate_bp, 600);
        assert_eq!(p.convene_within_days, 21);
        assert_eq!(p.convocation_notice_days, 15);
        assert_eq!(p.version(), "governance-2019-05-01");
    }

    #[test]
    fn a_date_before_the_first_set_has_no_parameters() {
        assert_eq!(
            params_on(date(2019, 4, 30)),
            Err(ParamsError::NoParams(date(2019, 4, 30)))
        );
    }
}
