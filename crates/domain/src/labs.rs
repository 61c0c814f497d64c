//! The labs (C13): member-led groups with a theme and a model of work, their members (one or
//! more coordinators), meetings with notes and outputs. The participation staff create a
//! lab and change its status; its coordinators record meetings and outputs
//! ([`crate::policy::Target::Lab`]); members join an active lab and leave it.
//!
//! The rules are the cooperative's participation charter (the special report of the
//! reference year counts 7 labs): a lab is proposed, then active (it started on a day), may
//! pause, and closes (it ended on a day); a lab always keeps a coordinator while it runs.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::validate::FieldErrors;

pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_THEME_CHARS: usize = 120;
pub const MAX_DESCRIPTION_CHARS: usize = 3_000;
pub const MAX_NOTES_CHARS: usize = 10_000;
pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_URL_CHARS: usize = 500;
/// The most people one meeting records as present.
pub const MAX_PRESENT: i64 = 1_000;

/// Refusal codes, each with its `err-<code>` text.
pub const REFUSED_NOT_ACTIVE: &str = "labs-not-active";
pub const REFUSED_ALREADY_MEMBER: &str = "labs-already-member";
pub const REFUSED_NOT_MEMBER: &str = "labs-not-member";
pub const REFUSED_LAST_COORDINATOR: &str = "labs-last-coordinator";
pub const REFUSED_STATUS: &str = "labs-status";

/// How a lab works. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabModel {
    /// Members of one sector build its rules and tools together.
    SectorCoConstruction,
    PracticeExchange,
    NetworkCreation,
    CollectiveAction,
    PeerSupport,
    Coaching,
}

impl LabModel {
    pub const ALL: [LabModel; 6] = [
        LabModel::SectorCoConstruction,
        LabModel::PracticeExchange,
        LabModel::NetworkCreation,
        LabModel::CollectiveAction,
        LabModel::PeerSupport,
        LabModel::Coaching,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LabModel::SectorCoConstruction => "sector-co-construction",
            LabModel::PracticeExchange => "practice-exchange",
            LabModel::NetworkCreation => "network-creation",
            LabModel::CollectiveAction => "collective-action",
            LabModel::PeerSupport => "peer-support",
            LabModel::Coaching => "coaching",
        }
    }

    pub fn parse(s: &str) -> Option<LabModel> {
        LabModel::ALL.into_iter().find(|m| m.code() == s.trim())
    }
}

/// Where a lab stands. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabStatus {
    Proposed,
    Active,
    Paused,
    Closed,
}

/// A change of a lab's status by the participation staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabEvent {
    /// Proposed → active (it starts), or paused → active (it resumes).
    Activate,
    Pause,
    Close,
}

impl LabEvent {
    pub const ALL: [LabEvent; 3] = [LabEvent::Activate, LabEvent::Pause, LabEvent::Close];

    pub fn code(self) -> &'static str {
        match self {
            LabEvent::Activate => "activate",
            LabEvent::Pause => "pause",
            LabEvent::Close => "close",
        }
    }

    pub fn parse(s: &str) -> Option<LabEvent> {
        LabEvent::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

impl LabStatus {
    pub const ALL: [LabStatus; 4] = [
        LabStatus::Proposed,
        LabStatus::Active,
        LabStatus::Paused,
        LabStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LabStatus::Proposed => "proposed",
            LabStatus::Active => "active",
            LabStatus::Paused => "paused",
            LabStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<LabStatus> {
        LabStatus::ALL.into_iter().find(|x| x.code() == s.trim())
    }

    /// The transitions: proposed → active ⇄ paused → closed; a proposal may be closed
    /// without ever starting; a closed lab stays closed (a new one is created).
    pub fn apply(self, event: LabEvent) -> Result<LabStatus, &'static str> {
        use LabEvent as E;
        use LabStatus as S;
        match (self, event) {
            (S::Proposed | S::Paused, E::Activate) => Ok(S::Active),
            (S::Active, E::Pause) => Ok(S::Paused),
            (S::Proposed | S::Active | S::Paused, E::Close) => Ok(S::Closed),
            _ => Err(REFUSED_STATUS),
        }
    }

    /// Members join a running lab only.
    pub fn takes_members(self) -> bool {
        self == LabStatus::Active
    }

    /// Meetings and outputs are recorded while the lab runs (paused too: a last meeting).
    pub fn takes_records(self) -> bool {
        matches!(self, LabStatus::Active | LabStatus::Paused)
    }
}

/// Whether a member may leave: a coordinator who is the last one may not while the lab is
/// not closed (the participation staff name another one first).
pub fn may_leave(
    is_coordinator: bool,
    coordinators: i64,
    status: LabStatus,
) -> Result<(), &'static str> {
    if is_coordinator && coordinators <= 1 && status != LabStatus::Closed {
        Err(REFUSED_LAST_COORDINATOR)
    } else {
        Ok(())
    }
}

/// Whether a lab with this status and these dates was running in the year `[from, to)`:
/// it started before the year's end and had not ended before its start. A proposal never
/// ran. The yearly figures count this way.
pub fn active_in(
    status: LabStatus,
    started_on: Option<Date>,
    ended_on: Option<Date>,
    from: Date,
    to: Date,
) -> bool {
    status != LabStatus::Proposed
        && started_on.is_some_and(|s| s < to)
        && ended_on.is_none_or(|e| e >= from)
}

/// What a lab produced. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    Note,
    Publication,
    Event,
    Proposal,
    Tool,
}

impl OutputKind {
    pub const ALL: [OutputKind; 5] = [
        OutputKind::Note,
        OutputKind::Publication,
        OutputKind::Event,
        OutputKind::Proposal,
        OutputKind::Tool,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutputKind::Note => "note",
            OutputKind::Publication => "publication",
            OutputKind::Event => "event",
            OutputKind::Proposal => "proposal",
            OutputKind::Tool => "tool",
        }
    }

    pub fn parse(s: &str) -> Option<OutputKind> {
        OutputKind::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

// ----------------------------------------------------------------------------- the forms

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

fn past_date(e: &mut FieldErrors, field: &'static str, value: &str, today: Date) -> Option<Date> {
    match value.trim().parse::<Date>() {
        Ok(d) if d <= today => Some(d),
        Ok(_) => {
            e.add(field, "labs-date-future");
            None
        }
        Err(_) if value.trim().is_empty() => {
            e.add(field, "required");
            None
        }
        Err(_) => {
            e.add(field, "date");
            None
        }
    }
}

/// A lab ready to be created, with its first coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewLab {
    pub name: String,
    pub theme: String,
    pub model: LabModel,
    pub description: String,
    /// `Some`: it starts active on that day; `None`: proposed.
    pub started_on: Option<Date>,
    pub coordinator_person_id: i64,
}

/// The staff's lab form (and the API's body).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LabForm {
    #[serde(default)]
    pub labs_name: String,
    #[serde(default)]
    pub labs_theme: String,
    #[serde(default)]
    pub labs_model: String,
    #[serde(default)]
    pub labs_description: String,
    /// Empty: a proposal; a date: active since then.
    #[serde(default)]
    pub labs_started_on: String,
    /// The person id of the first coordinator.
    #[serde(default)]
    pub labs_coordinator: String,
}

impl LabForm {
    pub fn parse(&self, today: Date) -> Result<NewLab, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = line(&mut e, "labs_name", &self.labs_name, MAX_NAME_CHARS);
        let theme = line(&mut e, "labs_theme", &self.labs_theme, MAX_THEME_CHARS);
        let model = LabModel::parse(&self.labs_model);
        if model.is_none() {
            e.add("labs_model", "labs-model");
        }
        let description = text(
            &mut e,
            "labs_description",
            &self.labs_description,
            MAX_DESCRIPTION_CHARS,
        );
        let started_on = if self.labs_started_on.trim().is_empty() {
            None
        } else {
            past_date(&mut e, "labs_started_on", &self.labs_started_on, today)
        };
        let coordinator = match self.labs_coordinator.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                e.add("labs_coordinator", "labs-coordinator");
                None
            }
        };
        match (model, coordinator) {
            (Some(model), Some(coordinator_person_id)) if e.is_empty() => Ok(NewLab {
                name,
                theme,
                model,
                description,
                started_on,
                coordinator_person_id,
            }),
            _ => Err(e),
        }
    }
}

/// A meeting ready to be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMeeting {
    pub held_on: Date,
    /// `None`: online.
    pub place: Option<String>,
    pub notes: String,
    pub present_count: i64,
}

/// A coordinator's meeting form: notes in plain text (no markup is interpreted).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub labs_held_on: String,
    /// Empty when online.
    #[serde(default)]
    pub labs_place: String,
    #[serde(default)]
    pub labs_notes: String,
    #[serde(default)]
    pub labs_present: String,
}

impl MeetingForm {
    /// A meeting is recorded once held: its day is today or before.
    pub fn parse(&self, today: Date) -> Result<NewMeeting, FieldErrors> {
        let mut e = FieldErrors::new();
        let held_on = past_date(&mut e, "labs_held_on", &self.labs_held_on, today);
        let place = e.optional("labs_place", &self.labs_place, MAX_PLACE_CHARS);
        let notes = text(&mut e, "labs_notes", &self.labs_notes, MAX_NOTES_CHARS);
        let present = match self.labs_present.trim().parse::<i64>() {
            Ok(n) if (0..=MAX_PRESENT).contains(&n) => Some(n),
            _ => {
                e.add("labs_present", "labs-present");
                None
            }
        };
        match (held_on, present) {
            (Some(held_on), Some(present_count)) if e.is_empty() => Ok(NewMeeting {
                held_on,
                place,
                notes,
                present_count,
            }),
            _ => Err(e),
        }
    }
}

/// An output ready to be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOutput {
    pub title: String,
    pub kind: OutputKind,
    pub produced_on: Date,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OutputForm {
    #[serde(default)]
    pub labs_title: String,
    #[serde(default)]
    pub labs_kind: String,
    #[serde(default)]
    pub labs_produced_on: String,
    #[serde(default)]
    pub labs_link: String,
}

impl OutputForm {
    pub fn parse(&self, today: Date) -> Result<NewOutput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = line(&mut e, "labs_title", &self.labs_title, MAX_NAME_CHARS);
        let kind = OutputKind::parse(&self.labs_kind);
        if kind.is_none() {
            e.add("labs_kind", "labs-kind");
        }
        let produced_on = past_date(&mut e, "labs_produced_on", &self.labs_produced_on, today);
        let link = match self.labs_link.trim() {
            "" => None,
            l if l.chars().count() <= MAX_URL_CHARS && crate::school::is_link(l) => {
                Some(l.to_string())
            }
            _ => {
                e.add("labs_link", "labs-link");
                None
            }
        };
        match (kind, produced_on) {
            (Some(kind), Some(produced_on)) if e.is_empty() => Ok(NewOutput {
                title,
                kind,
                produced_on,
                link,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_lab_runs_from_proposed_to_closed_and_never_reopens() {
        use LabEvent as E;
        use LabStatus as S;
        assert_eq!(S::Proposed.apply(E::Activate), Ok(S::Active));
        assert_eq!(S::Active.apply(E::Pause), Ok(S::Paused));
        assert_eq!(S::Paused.apply(E::Activate), Ok(S::Active));
        assert_eq!(S::Paused.apply(E::Close), Ok(S::Closed));
        assert_eq!(S::Closed.apply(E::Activate), Err(REFUSED_STATUS));
        assert_eq!(S::Proposed.apply(E::Pause), Err(REFUSED_STATUS));
        assert!(S::Active.takes_members() && !S::Paused.takes_members());
        assert!(!S::Proposed.takes_records() && !S::Closed.takes_records());
    }

    #[test]
    fn the_last_coordinator_may_not_leave_a_running_lab() {
        assert_eq!(
            may_leave(true, 1, LabStatus::Active),
            Err(REFUSED_LAST_COORDINATOR)
        );
        assert_eq!(may_leave(true, 2, LabStatus::Active), Ok(()));
        assert_eq!(may_leave(false, 1, LabStatus::Active), Ok(()));
        assert_eq!(may_leave(true, 1, LabStatus::Closed), Ok(()));
    }

    #[test]
    fn a_lab_counts_in_the_years_it_ran() {
        let (from, to) = (date(2025, 1, 1), date(2026, 1, 1));
        let s = Some(date(2024, 5, 1));
        assert!(active_in(LabStatus::Active, s, None, from, to));
        assert!(active_in(
            LabStatus::Closed,
            s,
            Some(date(2025, 1, 1)),
            from,
            to
        ));
        assert!(!active_in(
            LabStatus::Closed,
            s,
            Some(date(2024, 12, 31)),
            from,
            to
        ));
        assert!(!active_in(
            LabStatus::Active,
            Some(date(2026, 1, 1)),
            None,
            from,
            to
        ));
        assert!(!active_in(LabStatus::Proposed, None, None, from, to));
    }

    #[test]
    fn a_meeting_is_recorded_once_held_and_an_output_link_is_a_web_address() {
        let today = date(2026, 3, 1);
        let m = MeetingForm {
            labs_held_on: "2026-02-20".into(),
            labs_place: "".into(),
            labs_notes: "Tour de table".into(),
            labs_present: "8".into(),
        }
        .parse(today)
        .unwrap();
        assert_eq!((m.place, m.present_count), (None, 8));
        let e = MeetingForm {
            labs_held_on: "2026-03-02".into(),
            labs_present: "-1".into(),
            ..MeetingForm::default()
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(e.get("labs_held_on"), Some("labs-date-future"));
        assert_eq!(e.get("labs_present"), Some("labs-present"));
        assert_eq!(e.get("labs_notes"), Some("required"));
        let e = OutputForm {
            labs_title: "Guide".into(),
            labs_kind: "tool".into(),
            labs_produced_on: "2026-01-10".into(),
            labs_link: "javascript:alert(1)".into(),
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(e.get("labs_link"), Some("labs-link"));
    }

    #[test]
    fn a_lab_needs_a_model_and_a_first_coordinator() {
        let today = date(2026, 3, 1);
        let lab = LabForm {
            labs_name: "Lab musique".into(),
            labs_theme: "Musiciens".into(),
            labs_model: "peer-support".into(),
            labs_description: "Entraide".into(),
            labs_started_on: "2026-01-15".into(),
            labs_coordinator: "12".into(),
        }
        .parse(today)
        .unwrap();
        assert_eq!(lab.started_on, Some(date(2026, 1, 15)));
        let e = LabForm::default().parse(today).unwrap_err();
        assert_eq!(e.get("labs_model"), Some("labs-model"));
        assert_eq!(e.get("labs_coordinator"), Some("labs-coordinator"));
    }
}
