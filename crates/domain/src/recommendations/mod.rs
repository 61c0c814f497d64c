//! Recommendation cycles (C13, issue 8 §3): members write recommendations to the board during
//! a cycle's proposal phase and support them; moderators consolidate near-duplicates with
//! the consent of every author; the board follows each recommendation up.
//!
//! The rules come from the reference notes on participation tools (governance.md §7):
//! - Decidim's phased processes: a cycle runs through proposal → support → consolidation →
//!   board follow-up → closed ([`CyclePhase`]), its phase derived from its dates unless the
//!   participation staff set it.
//! - CONSUL#1283 and #2689: a merge needs the **consent of all authors**, the originals are
//!   kept with their provenance, and **supports are never moved**: the supporters of the
//!   originals are told by e-mail and invited to support the result. The result of a
//!   consolidation into a new recommendation starts with **no support**.
//! - decidim#13699: official co-authorship of the result and an audit trail.
//! - decidim#12283: showing near-duplicates must add no friction: the author sees them and
//!   may still save (or support an existing one instead).

pub mod similarity;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Language;
use crate::validate::FieldErrors;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 5_000;
pub const MAX_THEME_CHARS: usize = 200;
pub const MAX_REASON_CHARS: usize = 2_000;
/// The most recommendations merged at once.
pub const MAX_SOURCES: usize = 20;

/// Error codes (`err-<code>` in the ftl files).
pub const ERR_CONSENT_MISSING: &str = "reco-consent-missing";
pub const ERR_PHASE: &str = "reco-phase";
pub const ERR_STATUS: &str = "reco-status";
pub const ERR_DATES: &str = "reco-dates";
pub const ERR_THRESHOLD: &str = "reco-threshold";
pub const ERR_LANGUAGE: &str = "reco-language";
pub const ERR_SOURCES: &str = "reco-sources";
pub const ERR_REASON: &str = "reco-reason-required";
pub const ERR_ALREADY_SUPPORTED: &str = "reco-already-supported";
pub const ERR_NOT_AUTHOR: &str = "reco-not-author";

// ------------------------------------------------------------------------------- phases

/// Where a cycle stands. The code is stored (the staff's override): never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CyclePhase {
    /// Announced, not open yet.
    Upcoming,
    /// Members write recommendations (and may already support them).
    Proposal,
    /// Writing is over; supports go on.
    Support,
    /// The moderators consolidate near-duplicates; supports are closed.
    Consolidation,
    /// The board answers each recommendation.
    FollowUp,
    Closed,
}

impl CyclePhase {
    pub const ALL: [CyclePhase; 6] = [
        CyclePhase::Upcoming,
        CyclePhase::Proposal,
        CyclePhase::Support,
        CyclePhase::Consolidation,
        CyclePhase::FollowUp,
        CyclePhase::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CyclePhase::Upcoming => "upcoming",
            CyclePhase::Proposal => "proposal",
            CyclePhase::Support => "support",
            CyclePhase::Consolidation => "consolidation",
            CyclePhase::FollowUp => "follow-up",
            CyclePhase::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CyclePhase> {
        CyclePhase::ALL.into_iter().find(|p| p.code() == s.trim())
    }

    /// Members write recommendations during the proposal phase only.
    pub fn takes_recommendations(self) -> bool {
        self == CyclePhase::Proposal
    }

    /// Supports open with the proposals (as Decidim's "supports enabled" step may overlap
    /// the proposals step) and close when the moderation starts.
    pub fn takes_supports(self) -> bool {
        matches!(self, CyclePhase::Proposal | CyclePhase::Support)
    }

    /// Moderators may consolidate until the board's follow-up starts.
    pub fn takes_consolidations(self) -> bool {
        matches!(
            self,
            CyclePhase::Proposal | CyclePhase::Support | CyclePhase::Consolidation
        )
    }
}

/// The dates that open each phase of a cycle; each phase runs until the next one opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CycleDates {
    pub proposal_from: Date,
    pub support_from: Date,
    pub consolidation_from: Date,
    pub follow_up_from: Date,
    pub closes_on: Date,
}

impl CycleDates {
    /// Dates in order (a phase may last zero days, not less).
    pub fn is_ordered(&self) -> bool {
        self.proposal_from <= self.support_from
            && self.support_from <= self.consolidation_from
            && self.consolidation_from <= self.follow_up_from
            && self.follow_up_from <= self.closes_on
    }

    /// The phase on `day` by the dates alone.
    pub fn phase_on(&self, day: Date) -> CyclePhase {
        if day < self.proposal_from {
            CyclePhase::Upcoming
        } else if day < self.support_from {
            CyclePhase::Proposal
        } else if day < self.consolidation_from {
            CyclePhase::Support
        } else if day < self.follow_up_from {
            CyclePhase::Consolidation
        } else if day < self.closes_on {
            CyclePhase::FollowUp
        } else {
            CyclePhase::Closed
        }
    }
}

/// The phase of a cycle on `day`: the staff's override when set, the dates' otherwise.
pub fn current_phase(
    dates: &CycleDates,
    set_by_staff: Option<CyclePhase>,
    day: Date,
) -> CyclePhase {
    set_by_staff.unwrap_or_else(|| dates.phase_on(day))
}

// ------------------------------------------------------------------------------ statuses

/// Where a recommendation stands. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecoStatus {
    Open,
    /// Merged into another one (the originals are kept, pointing to the result).
    Consolidated,
    /// Withdrawn by its author.
    Withdrawn,
    /// Sent to the board.
    Submitted,
    Accepted,
    InProgress,
    Done,
    /// Declined by the board, always with a reason.
    Declined,
}

impl RecoStatus {
    pub const ALL: [RecoStatus; 8] = [
        RecoStatus::Open,
        RecoStatus::Consolidated,
        RecoStatus::Withdrawn,
        RecoStatus::Submitted,
        RecoStatus::Accepted,
        RecoStatus::InProgress,
        RecoStatus::Done,
        RecoStatus::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecoStatus::Open => "open",
            RecoStatus::Consolidated => "consolidated",
            RecoStatus::Withdrawn => "withdrawn",
            RecoStatus::Submitted => "submitted",
            RecoStatus::Accepted => "accepted",
            RecoStatus::InProgress => "in-progress",
            RecoStatus::Done => "done",
            RecoStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<RecoStatus> {
        RecoStatus::ALL.into_iter().find(|x| x.code() == s.trim())
    }

    /// Still a live proposal: supported, compared, consolidated.
    pub fn is_open(self) -> bool {
        self == RecoStatus::Open
    }

    /// The board's follow-up, one step at a time: open → submitted → accepted | declined;
    /// accepted → in progress → done (or accepted → done). A declined recommendation needs
    /// a reason (checked by [`FollowUpForm::parse`]).
    pub fn follow_up(self, to: RecoStatus) -> Result<RecoStatus, RecoTransitionRefused> {
        use RecoStatus as S;
        match (self, to) {
            (S::Open, S::Submitted)
            | (S::Submitted, S::Accepted | S::Declined)
            | (S::Accepted, S::InProgress | S::Done)
            | (S::InProgress, S::Done) => Ok(to),
            (from, to) => Err(RecoTransitionRefused { from, to }),
        }
    }

    /// The follow-up steps possible from here (the page's buttons).
    pub fn next_follow_up(self) -> Vec<RecoStatus> {
        RecoStatus::ALL
            .into_iter()
            .filter(|to| self.follow_up(*to).is_ok())
            .collect()
    }

    /// Its author may withdraw it while it is open.
    pub fn may_withdraw(self) -> bool {
        self == RecoStatus::Open
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} recommendation cannot become {to:?}")]
pub struct RecoTransitionRefused {
    pub from: RecoStatus,
    pub to: RecoStatus,
}

/// A consolidation proposal's state. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsolidationStatus {
    /// Waiting for the authors' consents.
    Pending,
    /// Every author consented; the result exists.
    CarriedOut,
    /// An author refused: nothing merged.
    Refused,
    /// Withdrawn by the moderators.
    Cancelled,
}

impl ConsolidationStatus {
    pub const ALL: [ConsolidationStatus; 4] = [
        ConsolidationStatus::Pending,
        ConsolidationStatus::CarriedOut,
        ConsolidationStatus::Refused,
        ConsolidationStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConsolidationStatus::Pending => "pending",
            ConsolidationStatus::CarriedOut => "carried-out",
            ConsolidationStatus::Refused => "refused",
            ConsolidationStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ConsolidationStatus> {
        ConsolidationStatus::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
    }
}

/// An author's answer to a consolidation proposal. The code is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentAnswer {
    Pending,
    Consented,
    Refused,
}

impl ConsentAnswer {
    pub fn code(self) -> &'static str {
        match self {
            ConsentAnswer::Pending => "pending",
            ConsentAnswer::Consented => "consented",
            ConsentAnswer::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<ConsentAnswer> {
        [
            ConsentAnswer::Pending,
            ConsentAnswer::Consented,
            ConsentAnswer::Refused,
        ]
        .into_iter()
        .find(|x| x.code() == s.trim())
    }
}

/// What the consents of a proposal allow: carried out only when every author consented
/// (CONSUL#2689); one refusal blocks it.
pub fn consents_outcome(answers: &[ConsentAnswer]) -> Result<(), &'static str> {
    if answers.is_empty() || answers.iter().any(|a| *a != ConsentAnswer::Consented) {
        Err(ERR_CONSENT_MISSING)
    } else {
        Ok(())
    }
}

// --------------------------------------------------------------------------------- forms

fn line(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars().any(char::is_control) {
        e.add(field, "format");
    }
    v
}

fn text(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        e.add(field, "format");
    }
    v
}

fn date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    match value.trim() {
        "" => {
            e.add(field, "required");
            None
        }
        v => match v.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(field, "date");
                None
            }
        },
    }
}

/// A new cycle or its edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCycle {
    pub title: String,
    pub theme: String,
    pub dates: CycleDates,
    /// `None`: the phase follows the dates.
    pub phase_override: Option<CyclePhase>,
    pub threshold_percent: i64,
}

/// The cycle form (and the API's body).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CycleForm {
    #[serde(default)]
    pub reco_title: String,
    #[serde(default)]
    pub reco_theme: String,
    #[serde(default)]
    pub reco_proposal_from: String,
    #[serde(default)]
    pub reco_support_from: String,
    #[serde(default)]
    pub reco_consolidation_from: String,
    #[serde(default)]
    pub reco_follow_up_from: String,
    #[serde(default)]
    pub reco_closes_on: String,
    /// Empty: follow the dates.
    #[serde(default)]
    pub reco_phase: String,
    /// Empty: [`similarity::DEFAULT_THRESHOLD_PERCENT`].
    #[serde(default)]
    pub reco_threshold: String,
}

impl CycleForm {
    pub fn parse(&self) -> Result<NewCycle, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = line(&mut e, "reco_title", &self.reco_title, MAX_TITLE_CHARS);
        let theme = line(&mut e, "reco_theme", &self.reco_theme, MAX_THEME_CHARS);
        let proposal_from = date(&mut e, "reco_proposal_from", &self.reco_proposal_from);
        let support_from = date(&mut e, "reco_support_from", &self.reco_support_from);
        let consolidation_from = date(
            &mut e,
            "reco_consolidation_from",
            &self.reco_consolidation_from,
        );
        let follow_up_from = date(&mut e, "reco_follow_up_from", &self.reco_follow_up_from);
        let closes_on = date(&mut e, "reco_closes_on", &self.reco_closes_on);
        let phase_override = match self.reco_phase.trim() {
            "" => None,
            p => {
                let parsed = CyclePhase::parse(p);
                if parsed.is_none() {
                    e.add("reco_phase", ERR_PHASE);
                }
                parsed
            }
        };
        let threshold_percent = match self.reco_threshold.trim() {
            "" => similarity::DEFAULT_THRESHOLD_PERCENT,
            t => match t.parse::<i64>() {
                Ok(n)
                    if (similarity::MIN_THRESHOLD_PERCENT..=similarity::MAX_THRESHOLD_PERCENT)
                        .contains(&n) =>
                {
                    n
                }
                _ => {
                    e.add("reco_threshold", ERR_THRESHOLD);
                    0
                }
            },
        };
        let dates = match (
            proposal_from,
            support_from,
            consolidation_from,
            follow_up_from,
            closes_on,
        ) {
            (Some(a), Some(b), Some(c), Some(d), Some(f)) => {
                let dates = CycleDates {
                    proposal_from: a,
                    support_from: b,
                    consolidation_from: c,
                    follow_up_from: d,
                    closes_on: f,
                };
                if !dates.is_ordered() {
                    e.add("reco_closes_on", ERR_DATES);
                }
                Some(dates)
            }
            _ => None,
        };
        match dates {
            Some(dates) if e.is_empty() => Ok(NewCycle {
                title,
                theme,
                dates,
                phase_override,
                threshold_percent,
            }),
            _ => Err(e),
        }
    }
}

/// A recommendation as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecommendation {
    pub title: String,
    pub text: String,
    pub language: Language,
}

/// The recommendation form (and the API's body). `reco_confirm` is set when the author saw
/// the near-duplicates and still saves.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecommendationForm {
    #[serde(default)]
    pub reco_title: String,
    #[serde(default)]
    pub reco_text: String,
    #[serde(default)]
    pub reco_language: String,
}

impl RecommendationForm {
    /// `default_language`: the author's, when the form leaves it empty.
    pub fn parse(&self, default_language: Language) -> Result<NewRecommendation, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = line(&mut e, "reco_title", &self.reco_title, MAX_TITLE_CHARS);
        let text = text(&mut e, "reco_text", &self.reco_text, MAX_TEXT_CHARS);
        let language = match self.reco_language.trim() {
            "" => Some(default_language),
            l => Language::parse(l),
        };
        if language.is_none() {
            e.add("reco_language", ERR_LANGUAGE);
        }
        e.into_result(|| NewRecommendation {
            title,
            text,
            language: language.unwrap_or_default(),
        })
    }
}

/// What ruche compares a recommendation on: its title and text together.
pub fn compared_text(title: &str, text: &str) -> String {
    format!("{title}\n{text}")
}

/// A consolidation proposal: 2+ open recommendations of one cycle merged into a new one
/// (`into` = `None`) or into one of them, with the merged title and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsolidation {
    pub sources: Vec<i64>,
    pub into: Option<i64>,
    pub title: String,
    pub text: String,
    pub language: Language,
}

/// The moderator's consolidation form: the ids are checked boxes (`reco_sources`, repeated
/// or comma-separated), `reco_into` empty for a new recommendation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsolidationForm {
    #[serde(default)]
    pub reco_sources: String,
    #[serde(default)]
    pub reco_into: String,
    #[serde(default)]
    pub reco_title: String,
    #[serde(default)]
    pub reco_text: String,
    #[serde(default)]
    pub reco_language: String,
}

impl ConsolidationForm {
    /// `extra_sources`: boxes sent as repeated fields (the web layer collects them).
    pub fn parse(&self, extra_sources: &[i64]) -> Result<NewConsolidation, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut sources: Vec<i64> = extra_sources.to_vec();
        let mut bad = false;
        for part in self
            .reco_sources
            .split([',', ' '])
            .filter(|p| !p.is_empty())
        {
            match part.trim().parse::<i64>() {
                Ok(id) if id > 0 => sources.push(id),
                _ => bad = true,
            }
        }
        sources.sort_unstable();
        sources.dedup();
        let into = match self.reco_into.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(id) if sources.contains(&id) => Some(id),
                _ => {
                    e.add("reco_into", ERR_SOURCES);
                    None
                }
            },
        };
        if bad || sources.len() < 2 || sources.len() > MAX_SOURCES {
            e.add("reco_sources", ERR_SOURCES);
        }
        let title = line(&mut e, "reco_title", &self.reco_title, MAX_TITLE_CHARS);
        let text = text(&mut e, "reco_text", &self.reco_text, MAX_TEXT_CHARS);
        let language = match self.reco_language.trim() {
            "" => Some(Language::Fr),
            l => Language::parse(l),
        };
        if language.is_none() {
            e.add("reco_language", ERR_LANGUAGE);
        }
        e.into_result(|| NewConsolidation {
            sources,
            into,
            title,
            text,
            language: language.unwrap_or_default(),
        })
    }
}

/// A step of the board's follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub to: RecoStatus,
    /// Required for a decline; a note otherwise.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    pub reco_status: String,
    #[serde(default)]
    pub reco_reason: String,
}

impl FollowUpForm {
    pub fn parse(&self) -> Result<FollowUp, FieldErrors> {
        let mut e = FieldErrors::new();
        let to = RecoStatus::parse(&self.reco_status).filter(|s| {
            matches!(
                s,
                RecoStatus::Submitted
                    | RecoStatus::Accepted
                    | RecoStatus::InProgress
                    | RecoStatus::Done
                    | RecoStatus::Declined
            )
        });
        if to.is_none() {
            e.add("reco_status", ERR_STATUS);
        }
        let reason = e.optional("reco_reason", &self.reco_reason, MAX_REASON_CHARS);
        // The board owes the members the reason of a refusal (the cycle's charter).
        if to == Some(RecoStatus::Declined) && reason.is_none() {
            e.add("reco_reason", ERR_REASON);
        }
        e.into_result(|| FollowUp {
            to: to.unwrap_or(RecoStatus::Submitted),
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn dates() -> CycleDates {
        CycleDates {
            proposal_from: d("2026-03-01"),
            support_from: d("2026-04-01"),
            consolidation_from: d("2026-05-01"),
            follow_up_from: d("2026-06-01"),
            closes_on: d("2026-12-01"),
        }
    }

    #[test]
    fn the_phase_follows_the_dates_unless_the_staff_set_it() {
        let c = dates();
        assert_eq!(c.phase_on(d("2026-02-28")), CyclePhase::Upcoming);
        assert_eq!(c.phase_on(d("2026-03-01")), CyclePhase::Proposal);
        assert_eq!(c.phase_on(d("2026-04-15")), CyclePhase::Support);
        assert_eq!(c.phase_on(d("2026-05-01")), CyclePhase::Consolidation);
        assert_eq!(c.phase_on(d("2026-06-30")), CyclePhase::FollowUp);
        assert_eq!(c.phase_on(d("2026-12-01")), CyclePhase::Closed);
        assert_eq!(
            current_phase(&c, Some(CyclePhase::Support), d("2026-03-02")),
            CyclePhase::Support
        );
    }

    #[test]
    fn members_write_in_the_proposal_phase_and_support_until_the_moderation() {
        assert!(CyclePhase::Proposal.takes_recommendations());
        assert!(!CyclePhase::Support.takes_recommendations());
        assert!(CyclePhase::Proposal.takes_supports());
        assert!(CyclePhase::Support.takes_supports());
        assert!(!CyclePhase::Consolidation.takes_supports());
        assert!(CyclePhase::Consolidation.takes_consolidations());
        assert!(!CyclePhase::FollowUp.takes_consolidations());
        assert!(!CyclePhase::Upcoming.takes_supports());
    }

    #[test]
    fn the_board_follow_up_goes_one_step_at_a_time() {
        use RecoStatus as S;
        assert_eq!(S::Open.follow_up(S::Submitted), Ok(S::Submitted));
        assert_eq!(S::Submitted.follow_up(S::Declined), Ok(S::Declined));
        assert_eq!(S::Accepted.follow_up(S::Done), Ok(S::Done));
        assert!(S::Open.follow_up(S::Accepted).is_err());
        assert!(S::Consolidated.follow_up(S::Submitted).is_err());
        assert!(S::Declined.follow_up(S::Accepted).is_err());
        assert!(S::Done.follow_up(S::InProgress).is_err());
        assert_eq!(S::Accepted.next_follow_up(), vec![S::InProgress, S::Done]);
    }

    #[test]
    fn a_decline_needs_a_reason() {
        let form = FollowUpForm {
            reco_status: "declined".into(),
            reco_reason: " ".into(),
        };
        assert_eq!(
            form.parse().unwrap_err().get("reco_reason"),
            Some(ERR_REASON)
        );
        let form = FollowUpForm {
            reco_status: "declined".into(),
            reco_reason: "Out of budget this year".into(),
        };
        assert_eq!(form.parse().unwrap().to, RecoStatus::Declined);
        let form = FollowUpForm {
            reco_status: "consolidated".into(),
            ..FollowUpForm::default()
        };
        assert_eq!(
            form.parse().unwrap_err().get("reco_status"),
            Some(ERR_STATUS)
        );
    }

    #[test]
    fn a_consolidation_needs_every_author_s_consent() {
        use ConsentAnswer as A;
        assert_eq!(consents_outcome(&[A::Consented, A::Consented]), Ok(()));
        assert_eq!(
            consents_outcome(&[A::Consented, A::Pending]),
            Err(ERR_CONSENT_MISSING)
        );
        assert_eq!(
            consents_outcome(&[A::Refused, A::Consented]),
            Err(ERR_CONSENT_MISSING)
        );
        assert_eq!(consents_outcome(&[]), Err(ERR_CONSENT_MISSING));
    }

    #[test]
    fn a_consolidation_merges_two_or_more_and_into_one_of_them() {
        let form = ConsolidationForm {
            reco_sources: "4, 3".into(),
            reco_into: "".into(),
            reco_title: "Solar panels".into(),
            reco_text: "On the roof of the workshop".into(),
            reco_language: "en".into(),
        };
        let c = form.parse(&[4]).unwrap();
        assert_eq!(c.sources, vec![3, 4]);
        assert_eq!(c.into, None);
        let one = ConsolidationForm {
            reco_sources: "3".into(),
            ..form.clone()
        };
        assert_eq!(
            one.parse(&[]).unwrap_err().get("reco_sources"),
            Some(ERR_SOURCES)
        );
        let outside = ConsolidationForm {
            reco_into: "9".into(),
            ..form
        };
        assert_eq!(
            outside.parse(&[]).unwrap_err().get("reco_into"),
            Some(ERR_SOURCES)
        );
    }

    #[test]
    fn a_cycle_needs_its_dates_in_order_and_a_sane_threshold() {
        let form = CycleForm {
            reco_title: "Cycle 2026".into(),
            reco_theme: "Our shared spaces".into(),
            reco_proposal_from: "2026-03-01".into(),
            reco_support_from: "2026-04-01".into(),
            reco_consolidation_from: "2026-05-01".into(),
            reco_follow_up_from: "2026-06-01".into(),
            reco_closes_on: "2026-12-01".into(),
            reco_phase: "".into(),
            reco_threshold: "".into(),
        };
        let c = form.parse().unwrap();
        assert_eq!(c.threshold_percent, similarity::DEFAULT_THRESHOLD_PERCENT);
        let bad = CycleForm {
            reco_closes_on: "2026-05-15".into(),
            reco_threshold: "3".into(),
            ..form
        };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.get("reco_closes_on"), Some(ERR_DATES));
        assert_eq!(e.get("reco_threshold"), Some(ERR_THRESHOLD));
    }
}
