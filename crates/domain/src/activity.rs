//! Activities: the production units members run under the cooperative's umbrella, and the
//! contribution they pay on their turnover.

use std::sync::LazyLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::validate::FieldErrors;

/// The economic sector of an activity, for statistics and the special report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    PerformingArts,
    VisualArts,
    Music,
    Audiovisual,
    Training,
    Consulting,
    Digital,
    Crafts,
    Events,
    Other,
}

impl Sector {
    pub const ALL: [Sector; 10] = [
        Sector::PerformingArts,
        Sector::VisualArts,
        Sector::Music,
        Sector::Audiovisual,
        Sector::Training,
        Sector::Consulting,
        Sector::Digital,
        Sector::Crafts,
        Sector::Events,
        Sector::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Sector::PerformingArts => "performing-arts",
            Sector::VisualArts => "visual-arts",
            Sector::Music => "music",
            Sector::Audiovisual => "audiovisual",
            Sector::Training => "training",
            Sector::Consulting => "consulting",
            Sector::Digital => "digital",
            Sector::Crafts => "crafts",
            Sector::Events => "events",
            Sector::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

/// Where an activity stands. A member proposes it; an advisor validates, suspends or closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityStatus {
    Proposed,
    Active,
    Suspended,
    Closed,
}

/// What an advisor does to an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityEvent {
    Validate,
    Suspend,
    Resume,
    Close,
}

impl ActivityEvent {
    pub const ALL: [ActivityEvent; 4] = [
        ActivityEvent::Validate,
        ActivityEvent::Suspend,
        ActivityEvent::Resume,
        ActivityEvent::Close,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActivityEvent::Validate => "validate",
            ActivityEvent::Suspend => "suspend",
            ActivityEvent::Resume => "resume",
            ActivityEvent::Close => "close",
        }
    }

    pub fn parse(s: &str) -> Option<ActivityEvent> {
        ActivityEvent::ALL.into_iter().find(|e| e.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an activity that is {from:?} cannot be {event:?}d")]
pub struct TransitionRefused {
    pub from: ActivityStatus,
    pub event: ActivityEvent,
}

impl ActivityStatus {
    pub const ALL: [ActivityStatus; 4] = [
        ActivityStatus::Proposed,
        ActivityStatus::Active,
        ActivityStatus::Suspended,
        ActivityStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActivityStatus::Proposed => "proposed",
            ActivityStatus::Active => "active",
            ActivityStatus::Suspended => "suspended",
            ActivityStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ActivityStatus> {
        ActivityStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The explicit transitions; every other one is refused. A closed activity stays closed:
    /// its ledger accounts remain, its documents are kept (10 years for invoices).
    pub fn apply(self, event: ActivityEvent) -> Result<ActivityStatus, TransitionRefused> {
        use ActivityEvent::*;
        use ActivityStatus::*;
        match (self, event) {
            (Proposed, Validate) => Ok(Active),
            (Active, Suspend) => Ok(Suspended),
            (Suspended, Resume) => Ok(Active),
            (Proposed | Active | Suspended, Close) => Ok(Closed),
            (from, event) => Err(TransitionRefused { from, event }),
        }
    }

    /// The events an advisor may apply now (the buttons of the activity page).
    pub fn possible_events(self) -> Vec<ActivityEvent> {
        ActivityEvent::ALL
            .into_iter()
            .filter(|e| self.apply(*e).is_ok())
            .collect()
    }

    /// Whether the activity may sell (quote, invoice) and hire.
    pub fn is_operating(self) -> bool {
        self == ActivityStatus::Active
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub office_id: String,
}

/// A proposed or edited activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub name: String,
    pub description: String,
    pub sector: Sector,
    pub office_id: i64,
}

impl ActivityForm {
    pub fn parse(&self) -> Result<Activity, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.required("name", &self.name, 120);
        let description = e.required("description", &self.description, 4000);
        let sector = Sector::parse(&self.sector);
        if sector.is_none() {
            e.add("sector", "required");
        }
        let office_id = self.office_id.trim().parse::<i64>().ok();
        if office_id.is_none() {
            e.add("office_id", "required");
        }
        match (sector, office_id) {
            (Some(sector), Some(office_id)) if e.is_empty() => Ok(Activity {
                name,
                description,
                sector,
                office_id,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Deserialize)]
struct RateTable {
    rate: Vec<DatedRate>,
}

#[derive(Deserialize, Clone, Copy)]
struct DatedRate {
    valid_from: toml::value::Datetime,
    basis_points: u32,
}

/// The contribution rates shipped in `rules/contribution.toml`: (valid from, basis points),
/// oldest first. A malformed file is a build defect, caught by the tests below.
static RATES: LazyLock<Vec<(Date, u32)>> = LazyLock::new(|| {
    let table: Option<RateTable> = toml::from_str(include_str!("../rules/contribution.toml")).ok();
    let mut rates: Vec<(Date, u32)> = table
        .map(|t| t.rate)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| {
            Some((
                r.valid_from.to_string().parse::<Date>().ok()?,
                r.basis_points,
            ))
        })
        .collect();
    rates.sort();
    rates
});

/// Used before the first dated rate, and if the table were ever empty: 6.5 %.
pub const DEFAULT_CONTRIBUTION_BP: u32 = 650;

/// The cooperative's contribution rate on `date` (basis points), from the dated table.
pub fn contribution_rate_on(date: Date) -> u32 {
    RATES
        .iter()
        .rev()
        .find(|(from, _)| *from <= date)
        .map(|(_, bp)| *bp)
        .unwrap_or(DEFAULT_CONTRIBUTION_BP)
}

/// An activity's own rate, when its advisor set one; otherwise the dated rate.
pub fn effective_contribution_rate(own: Option<u32>, date: Date) -> u32 {
    own.unwrap_or_else(|| contribution_rate_on(date))
}

/// Parses a rate typed as a percentage (`6,5` or `6.5`) into basis points (0–50 %).
pub fn parse_rate_percent(s: &str) -> Option<u32> {
    let normalized = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let value: rust_decimal::Decimal = normalized.parse().ok()?;
    let bp = (value * rust_decimal::Decimal::from(100)).round();
    let bp: u32 = bp.to_string().parse().ok()?;
    (bp <= 5000).then_some(bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_rate_table_is_readable_and_gives_six_and_a_half_percent() {
        assert!(!RATES.is_empty());
        assert_eq!(contribution_rate_on(date(2023, 6, 1)), 650);
        assert_eq!(
            effective_contribution_rate(Some(500), date(2023, 6, 1)),
            500
        );
        assert_eq!(effective_contribution_rate(None, date(2023, 6, 1)), 650);
    }

    #[test]
    fn an_advisor_validates_suspends_resumes_and_closes() {
        use ActivityEvent::*;
        use ActivityStatus::*;
        assert_eq!(Proposed.apply(Validate), Ok(Active));
        assert_eq!(Active.apply(Suspend), Ok(Suspended));
        assert_eq!(Suspended.apply(Resume), Ok(Active));
        assert_eq!(Active.apply(Close), Ok(Closed));
    }

    #[test]
    fn a_closed_activity_cannot_be_reopened_nor_validated_twice() {
        use ActivityEvent::*;
        use ActivityStatus::*;
        for event in ActivityEvent::ALL {
            assert!(Closed.apply(event).is_err(), "{event:?}");
        }
        assert!(Active.apply(Validate).is_err());
        assert!(Proposed.apply(Suspend).is_err());
        assert_eq!(Closed.possible_events(), []);
        assert_eq!(Proposed.possible_events(), [Validate, Close]);
    }

    #[test]
    fn rates_are_typed_as_percentages() {
        assert_eq!(parse_rate_percent("6,5"), Some(650));
        assert_eq!(parse_rate_percent("6.5 %"), Some(650));
        assert_eq!(parse_rate_percent("0"), Some(0));
        assert_eq!(parse_rate_percent("51"), None);
        assert_eq!(parse_rate_percent("abc"), None);
    }

    #[test]
    fn an_activity_needs_a_name_a_description_a_sector_and_an_office() {
        let errors = ActivityForm::default().parse().err().unwrap_or_default();
        for field in ["name", "description", "sector", "office_id"] {
            assert_eq!(errors.get(field), Some("required"), "{field}");
        }
    }
}
