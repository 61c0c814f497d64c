//! The annual special report on the accreditation (C12; reference/governance.md §3, ES-9):
//! what it holds once assembled. The store assembles a [`SpecialReport`] for a financial
//! year from data (the compliance engine's checks and the year's figures of every module);
//! the board approves it, and from then on it is frozen: the approved report is this
//! structure serialised, with its hash, and its PDFs are rendered from it, never from the
//! live records again.

use serde::{Deserialize, Serialize};

use super::compliance::{Check, ComplianceInput};

/// The cooperative as its documents name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportEntity {
    pub name: String,
    pub legal_form: String,
    pub enterprise_number: String,
    pub address: String,
}

/// A figure's value, with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum FigureAmount {
    Count(i64),
    Cents(i64),
    Minutes(i64),
    /// Full-time equivalents in hundredths.
    Fte(i64),
    /// Parts per million.
    Percent(i64),
}

/// One figure of a section: a key (translated as `fig-{key}`, like the indicators page), its value, and the
/// list it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFigure {
    pub key: String,
    pub amount: FigureAmount,
    pub link: Option<String>,
}

/// One section of the year's figures. `available = false`: the module holds no data for
/// the year (or does not exist yet), and the report says so instead of showing a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSection {
    pub code: String,
    pub available: bool,
    pub figures: Vec<ReportFigure>,
}

/// The board's approval: its date, who signed, where the report is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub approved_on: String,
    pub signatories: Vec<String>,
    /// `management-report` (attached to the annual management report) or `seat` (kept at
    /// the registered office, when no management report is required).
    pub archive: String,
}

/// Everything the special report of one financial year shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialReport {
    pub year: i32,
    pub entity: ReportEntity,
    /// What the checks read: the statutes in force, refunds, directors, votes, allocation.
    pub input: ComplianceInput,
    pub params_version: String,
    pub checks: Vec<Check>,
    pub sections: Vec<ReportSection>,
    pub approval: Option<Approval>,
    /// When the data was read (RFC 3339, UTC).
    pub assembled_at: String,
}

impl SpecialReport {
    /// The statute article a check rests on, as this report's statutes version has it.
    pub fn article(&self, number: &str) -> Option<&super::compliance::ArticleInput> {
        self.input
            .statutes
            .as_ref()?
            .articles
            .iter()
            .find(|a| a.number == number)
    }
}
