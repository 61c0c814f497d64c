//! Prevention and diversity (C15): the incident and work-accident register, the risk sheets
//! per job and per place, the prevention actions (the global prevention plan and the yearly
//! action plan), the meetings of the committee for prevention and protection at work, the
//! health-surveillance planning, and the diversity plan's actions.
//!
//! The Belgian frame (well-being at work):
//! - the law of 4 August 1996 on the well-being of workers in the performance of their work
//!   and its Code of well-being at work (book I, title 2: the risk analysis, the global
//!   prevention plan over five years and the yearly action plan that carries it out);
//! - the committee for prevention and protection at work (CPPT) meets at least once a month
//!   (the law of 4 August 1996, art. 65 and following, and its royal decree: see reference);
//! - the law of 10 April 1971 on work accidents: an accident at work or on the way to or from
//!   work is declared by the employer to its work-accident insurer within eight days (the
//!   implementing rule: see reference). An accident that only needed first aid and is written
//!   in the first-aid register is not declared;
//! - health surveillance is carried out by the external service for prevention and protection
//!   at work (pre-employment assessment, periodic exams for jobs at risk, return to work,
//!   maternity protection).
//!
//! The register holds health data (GDPR art. 9): it is read by the prevention staff and the
//! administrators only ([`crate::policy::Target::Prevention`]); the audit log never keeps the
//! injury's description.

use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

use crate::validate::FieldErrors;

pub const MAX_TITLE_CHARS: usize = 150;
pub const MAX_TEXT_CHARS: usize = 4_000;
pub const MAX_NAME_CHARS: usize = 150;
/// Ten years of lost days: beyond, the figure is a typing error.
pub const MAX_DAYS_LOST: i64 = 3_650;

/// Declares an enum whose codes are stored (never rename a code) with `code`, `parse`,
/// `ALL` and `codes`.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }

            pub fn codes() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.code()).collect()
            }
        }
    };
}

// ------------------------------------------------------------------------- the register

coded!(
    /// What happened.
    IncidentNature {
        /// Nobody was hurt, but could have been.
        NearMiss = "near-miss",
        /// Material damage or a dangerous situation, no accident.
        Incident = "incident",
        /// An accident at work (law of 10 April 1971).
        WorkAccident = "work-accident",
        /// An accident on the way to or from work (law of 10 April 1971, a work accident too).
        CommutingAccident = "commuting-accident",
        /// A disease caused by the work (recognised by Fedris, not by the insurer).
        OccupationalDisease = "occupational-disease",
        /// Violence, harassment or threat by a client, a member of the public or a colleague.
        Aggression = "aggression",
    }
);

impl IncidentNature {
    /// Accidents the work-accident insurer covers, and so may be declared to it.
    pub fn is_declarable(self) -> bool {
        matches!(
            self,
            IncidentNature::WorkAccident | IncidentNature::CommutingAccident
        )
    }

    /// Whether the figure "work accidents" counts it: accidents at work and on the way.
    pub fn is_work_accident(self) -> bool {
        self.is_declarable()
    }
}

coded!(
    /// How bad it was, from nothing to fatal.
    Severity {
        None = "none",
        /// First aid only, written in the first-aid register.
        FirstAid = "first-aid",
        /// At least one working day lost.
        LostTime = "lost-time",
        Serious = "serious",
        Fatal = "fatal",
    }
);

impl Severity {
    /// Whether working days may be lost with it.
    pub fn loses_days(self) -> bool {
        matches!(
            self,
            Severity::LostTime | Severity::Serious | Severity::Fatal
        )
    }
}

coded!(
    /// Where an entry of the register stands.
    IncidentStatus {
        Open = "open",
        Closed = "closed",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum IncidentEvent {
    Close,
    Reopen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an incident {from:?} cannot take {event:?}")]
pub struct TransitionRefused<S: std::fmt::Debug, E: std::fmt::Debug> {
    pub from: S,
    pub event: E,
}

impl IncidentStatus {
    pub fn apply(
        self,
        event: IncidentEvent,
    ) -> Result<IncidentStatus, TransitionRefused<IncidentStatus, IncidentEvent>> {
        match (self, event) {
            (IncidentStatus::Open, IncidentEvent::Close) => Ok(IncidentStatus::Closed),
            (IncidentStatus::Closed, IncidentEvent::Reopen) => Ok(IncidentStatus::Open),
            (from, event) => Err(TransitionRefused { from, event }),
        }
    }
}

/// One dated row of the declaration rule: from `since`, an accident is declared to the
/// insurer within `days` calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclarationRule {
    pub since: Date,
    pub days: i64,
}

/// The declaration deadline of a work accident, as a dated parameter (DESIGN §4): the law of
/// 10 April 1971 on work accidents and its implementing rule (see reference) give the
/// employer eight days to declare an accident to its insurer. ruche's table starts in 2000;
/// an older or a future rule is one more row, never a changed one.
pub const DECLARATION_RULES: [DeclarationRule; 1] = [DeclarationRule {
    since: date(2000, 1, 1),
    days: 8,
}];

/// The last day to declare an accident of `occurred_on`; `None` before the table's first
/// rule (ruche does not know the rule then).
pub fn declaration_deadline(occurred_on: Date) -> Option<Date> {
    let rule = DECLARATION_RULES
        .iter()
        .rev()
        .find(|r| r.since <= occurred_on)?;
    occurred_on
        .checked_add(jiff::Span::new().days(rule.days))
        .ok()
}

/// Where an accident's declaration to the insurer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Declaration {
    /// Not an accident the insurer must hear of (a near miss, first aid only…).
    NotRequired,
    /// To declare, the deadline not passed yet.
    Due { deadline: Date },
    /// Not declared and the deadline has passed.
    Overdue { deadline: Date },
    /// Declared on or before the deadline.
    OnTime { deadline: Date },
    /// Declared after the deadline.
    Late { deadline: Date },
}

impl Declaration {
    pub fn code(self) -> &'static str {
        match self {
            Declaration::NotRequired => "not-required",
            Declaration::Due { .. } => "due",
            Declaration::Overdue { .. } => "overdue",
            Declaration::OnTime { .. } => "on-time",
            Declaration::Late { .. } => "late",
        }
    }

    pub fn deadline(self) -> Option<Date> {
        match self {
            Declaration::NotRequired => None,
            Declaration::Due { deadline }
            | Declaration::Overdue { deadline }
            | Declaration::OnTime { deadline }
            | Declaration::Late { deadline } => Some(deadline),
        }
    }

    /// Whether the register must still show it as a task (not declared yet).
    pub fn is_pending(self) -> bool {
        matches!(self, Declaration::Due { .. } | Declaration::Overdue { .. })
    }
}

/// Whether an accident must be declared: a work or commuting accident that needed more than
/// first aid (first aid only goes to the first-aid register). A declarable accident that was
/// declared anyway is judged on its date too.
pub fn must_declare(nature: IncidentNature, severity: Severity) -> bool {
    nature.is_declarable() && !matches!(severity, Severity::None | Severity::FirstAid)
}

/// The declaration's state on `today`.
pub fn declaration(
    nature: IncidentNature,
    severity: Severity,
    occurred_on: Date,
    declared_on: Option<Date>,
    today: Date,
) -> Declaration {
    let required =
        must_declare(nature, severity) || (nature.is_declarable() && declared_on.is_some());
    let Some(deadline) = declaration_deadline(occurred_on).filter(|_| required) else {
        return Declaration::NotRequired;
    };
    match declared_on {
        Some(d) if d <= deadline => Declaration::OnTime { deadline },
        Some(_) => Declaration::Late { deadline },
        None if today > deadline => Declaration::Overdue { deadline },
        None => Declaration::Due { deadline },
    }
}

/// Why an open incident cannot be closed yet: a follow-up action still open, or an accident
/// not declared to the insurer.
pub fn check_close(open_followups: usize, declaration: Declaration) -> Result<(), &'static str> {
    if open_followups > 0 {
        return Err("prv-followups-open");
    }
    if declaration.is_pending() {
        return Err("prv-not-declared");
    }
    Ok(())
}

/// An entry of the register, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentInput {
    pub occurred_on: Date,
    /// `HH:MM`, Brussels wall time.
    pub occurred_time: String,
    pub office_id: Option<i64>,
    pub place: Option<String>,
    pub person_id: Option<i64>,
    pub nature: IncidentNature,
    pub severity: Severity,
    pub injury: Option<String>,
    pub witnesses: Option<String>,
    pub measures: Option<String>,
    pub days_lost: i64,
    pub declared_on: Option<Date>,
}

/// The form of an entry (and the API's body: the same names).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct IncidentForm {
    #[serde(default)]
    pub prv_date: String,
    #[serde(default)]
    pub prv_time: String,
    #[serde(default)]
    pub prv_office: String,
    #[serde(default)]
    pub prv_place: String,
    #[serde(default)]
    pub prv_person: String,
    #[serde(default)]
    pub prv_nature: String,
    #[serde(default)]
    pub prv_severity: String,
    #[serde(default)]
    pub prv_injury: String,
    #[serde(default)]
    pub prv_witnesses: String,
    #[serde(default)]
    pub prv_measures: String,
    #[serde(default)]
    pub prv_days_lost: String,
    #[serde(default)]
    pub prv_declared_on: String,
}

fn has_control(v: &str, multiline: bool) -> bool {
    v.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

fn line(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if has_control(&v, false) {
        e.add(field, "format");
    }
    v
}

fn opt_text(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<String> {
    let v = e.optional(field, value, MAX_TEXT_CHARS);
    if v.as_deref().is_some_and(|v| has_control(v, true)) {
        e.add(field, "format");
    }
    v
}

fn text(e: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let v = e.required(field, value, MAX_TEXT_CHARS);
    if has_control(&v, true) {
        e.add(field, "format");
    }
    v
}

/// A required date.
fn req_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    match value.trim() {
        "" => {
            e.add(field, "required");
            None
        }
        typed => typed.parse::<Date>().ok().or_else(|| {
            e.add(field, "date");
            None
        }),
    }
}

/// An optional date.
fn opt_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    match value.trim() {
        "" => None,
        typed => typed.parse::<Date>().ok().or_else(|| {
            e.add(field, "date");
            None
        }),
    }
}

/// An optional id (a positive integer).
fn opt_id(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<i64> {
    match value.trim() {
        "" => None,
        typed => match typed.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                e.add(field, "format");
                None
            }
        },
    }
}

/// A time of day `HH:MM` (24 h).
pub fn parse_time(s: &str) -> Option<String> {
    let (h, m) = s.trim().split_once(':')?;
    let ok = |x: &str, max: u8| x.len() == 2 && x.parse::<u8>().is_ok_and(|n| n <= max);
    (ok(h, 23) && ok(m, 59)).then(|| format!("{h}:{m}"))
}

impl IncidentForm {
    /// Checks an entry on `today`; every error names its field.
    pub fn parse(&self, today: Date) -> Result<IncidentInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let occurred_on = req_date(&mut e, "prv_date", &self.prv_date);
        if occurred_on.is_some_and(|d| d > today) {
            e.add("prv_date", "prv-future");
        }
        let occurred_time = parse_time(&self.prv_time);
        if occurred_time.is_none() {
            e.add("prv_time", "prv-time");
        }
        let office_id = opt_id(&mut e, "prv_office", &self.prv_office);
        let place = e.optional("prv_place", &self.prv_place, MAX_NAME_CHARS);
        if office_id.is_none() && place.is_none() && self.prv_office.trim().is_empty() {
            e.add("prv_place", "prv-place-required");
        }
        let nature = IncidentNature::parse(&self.prv_nature);
        if nature.is_none() {
            e.add("prv_nature", "prv-nature");
        }
        let severity = Severity::parse(&self.prv_severity);
        if severity.is_none() {
            e.add("prv_severity", "prv-severity");
        }
        let person_id = opt_id(&mut e, "prv_person", &self.prv_person);
        // A near miss hurt nobody: naming a person is optional, for anything else required.
        if person_id.is_none()
            && self.prv_person.trim().is_empty()
            && nature.is_some_and(|n| n != IncidentNature::NearMiss)
        {
            e.add("prv_person", "required");
        }
        let days_lost = match self.prv_days_lost.trim() {
            "" => 0,
            typed => match typed.parse::<i64>() {
                Ok(n) if (0..=MAX_DAYS_LOST).contains(&n) => n,
                _ => {
                    e.add("prv_days_lost", "prv-days-lost");
                    0
                }
            },
        };
        if let (Some(n), Some(s)) = (nature, severity) {
            if n == IncidentNature::NearMiss {
                if s != Severity::None {
                    e.add("prv_severity", "prv-near-miss-severity");
                }
                if days_lost > 0 {
                    e.add("prv_days_lost", "prv-days-lost-near-miss");
                }
            } else if days_lost > 0 && !s.loses_days() {
                e.add("prv_days_lost", "prv-days-lost-severity");
            }
        }
        let injury = opt_text(&mut e, "prv_injury", &self.prv_injury);
        if injury.is_none() && severity.is_some_and(|s| s != Severity::None) {
            e.add("prv_injury", "required");
        }
        let witnesses = opt_text(&mut e, "prv_witnesses", &self.prv_witnesses);
        let measures = opt_text(&mut e, "prv_measures", &self.prv_measures);
        let declared_on = opt_date(&mut e, "prv_declared_on", &self.prv_declared_on);
        if let Some(d) = declared_on {
            if nature.is_some_and(|n| !n.is_declarable()) {
                e.add("prv_declared_on", "prv-not-declarable");
            } else if d > today {
                e.add("prv_declared_on", "prv-future");
            } else if occurred_on.is_some_and(|o| d < o) {
                e.add("prv_declared_on", "prv-declared-before");
            }
        }
        match (occurred_on, occurred_time, nature, severity) {
            (Some(occurred_on), Some(occurred_time), Some(nature), Some(severity))
                if e.is_empty() =>
            {
                Ok(IncidentInput {
                    occurred_on,
                    occurred_time,
                    office_id,
                    place,
                    person_id,
                    nature,
                    severity,
                    injury,
                    witnesses,
                    measures,
                    days_lost,
                    declared_on,
                })
            }
            _ => Err(e),
        }
    }
}

/// A follow-up action of an incident, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpInput {
    pub action: String,
    pub owner: String,
    pub due_on: Date,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    pub prv_followup_action: String,
    #[serde(default)]
    pub prv_followup_owner: String,
    #[serde(default)]
    pub prv_followup_due: String,
}

impl FollowUpForm {
    pub fn parse(&self) -> Result<FollowUpInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let action = text(&mut e, "prv_followup_action", &self.prv_followup_action);
        let owner = line(
            &mut e,
            "prv_followup_owner",
            &self.prv_followup_owner,
            MAX_NAME_CHARS,
        );
        let due_on = req_date(&mut e, "prv_followup_due", &self.prv_followup_due);
        match due_on {
            Some(due_on) if e.is_empty() => Ok(FollowUpInput {
                action,
                owner,
                due_on,
            }),
            _ => Err(e),
        }
    }
}

/// The day something was done: a date, not in the future, not before `not_before`.
pub fn parse_done_on(
    field: &'static str,
    value: &str,
    not_before: Option<Date>,
    today: Date,
) -> Result<Date, FieldErrors> {
    let mut e = FieldErrors::new();
    let Some(d) = req_date(&mut e, field, value) else {
        return Err(e);
    };
    if d > today {
        return Err(FieldErrors::single(field, "prv-future"));
    }
    if not_before.is_some_and(|b| d < b) {
        return Err(FieldErrors::single(field, "prv-too-early"));
    }
    Ok(d)
}

// ---------------------------------------------------------------------------- risk sheets

coded!(
    /// The jobs a risk sheet covers.
    Job {
        Trainer = "trainer",
        Performer = "performer",
        Technician = "technician",
        OfficeWorker = "office-worker",
        Warehouse = "warehouse",
        Driver = "driver",
        Other = "other",
    }
);

coded!(
    /// Whether a sheet covers a job or a place.
    RiskScope {
        Job = "job",
        Place = "place",
    }
);

coded!(
    /// The level of a risk, from its probability and its severity.
    RiskLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
        VeryHigh = "very-high",
    }
);

/// The highest value of the probability and severity scales (1 = rare / minor, 4 = almost
/// certain / very serious).
pub const SCALE_MAX: i64 = 4;

/// The risk matrix of the risk analysis (Code of well-being at work, book I title 2): the
/// product of the probability (1–4) and the severity (1–4) — 1 to 3 low, 4 to 6 medium, 8 or 9
/// high, 12 or 16 very high. `None` outside the scales.
pub fn risk_level(probability: i64, severity: i64) -> Option<RiskLevel> {
    let scale = 1..=SCALE_MAX;
    if !scale.contains(&probability) || !scale.contains(&severity) {
        return None;
    }
    Some(match probability * severity {
        0..=3 => RiskLevel::Low,
        4..=6 => RiskLevel::Medium,
        7..=9 => RiskLevel::High,
        _ => RiskLevel::VeryHigh,
    })
}

/// Whether a sheet's next review has passed.
pub fn review_overdue(next_review_on: Date, today: Date) -> bool {
    next_review_on < today
}

/// A risk sheet, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskSheetInput {
    pub scope: RiskScope,
    pub job: Option<Job>,
    pub office_id: Option<i64>,
    pub place: Option<String>,
    pub title: String,
    pub hazards: String,
    pub probability: i64,
    pub severity: i64,
    pub level: RiskLevel,
    pub measures: String,
    pub equipment: Option<String>,
    pub reviewed_on: Date,
    pub next_review_on: Date,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RiskSheetForm {
    #[serde(default)]
    pub prv_scope: String,
    #[serde(default)]
    pub prv_job: String,
    #[serde(default)]
    pub prv_office: String,
    #[serde(default)]
    pub prv_place: String,
    #[serde(default)]
    pub prv_title: String,
    #[serde(default)]
    pub prv_hazards: String,
    #[serde(default)]
    pub prv_probability: String,
    #[serde(default)]
    pub prv_gravity: String,
    #[serde(default)]
    pub prv_measures: String,
    #[serde(default)]
    pub prv_equipment: String,
    #[serde(default)]
    pub prv_reviewed_on: String,
    #[serde(default)]
    pub prv_next_review: String,
}

/// A review's dates: done on or before today, the next one after it.
pub fn parse_review(
    reviewed_on: &str,
    next_review: &str,
    today: Date,
) -> Result<(Date, Date), FieldErrors> {
    let mut e = FieldErrors::new();
    let r = req_date(&mut e, "prv_reviewed_on", reviewed_on);
    if r.is_some_and(|d| d > today) {
        e.add("prv_reviewed_on", "prv-future");
    }
    let n = req_date(&mut e, "prv_next_review", next_review);
    if let (Some(r), Some(n)) = (r, n)
        && n <= r
    {
        e.add("prv_next_review", "prv-next-review");
    }
    match (r, n) {
        (Some(r), Some(n)) if e.is_empty() => Ok((r, n)),
        _ => Err(e),
    }
}

impl RiskSheetForm {
    pub fn parse(&self, today: Date) -> Result<RiskSheetInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let scope = RiskScope::parse(&self.prv_scope);
        if scope.is_none() {
            e.add("prv_scope", "prv-scope");
        }
        let job = match scope {
            Some(RiskScope::Job) => {
                let j = Job::parse(&self.prv_job);
                if j.is_none() {
                    e.add("prv_job", "prv-job");
                }
                j
            }
            _ => None,
        };
        let (office_id, place) = match scope {
            Some(RiskScope::Place) => {
                let o = opt_id(&mut e, "prv_office", &self.prv_office);
                let p = e.optional("prv_place", &self.prv_place, MAX_NAME_CHARS);
                if o.is_none() && p.is_none() && self.prv_office.trim().is_empty() {
                    e.add("prv_place", "prv-place-required");
                }
                (o, p)
            }
            _ => (None, None),
        };
        let title = line(&mut e, "prv_title", &self.prv_title, MAX_TITLE_CHARS);
        let hazards = text(&mut e, "prv_hazards", &self.prv_hazards);
        let scale = |e: &mut FieldErrors, field: &'static str, v: &str| -> Option<i64> {
            let n = v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=SCALE_MAX).contains(n));
            if n.is_none() {
                e.add(field, "prv-scale");
            }
            n
        };
        let probability = scale(&mut e, "prv_probability", &self.prv_probability);
        let severity = scale(&mut e, "prv_gravity", &self.prv_gravity);
        let measures = text(&mut e, "prv_measures", &self.prv_measures);
        let equipment = opt_text(&mut e, "prv_equipment", &self.prv_equipment);
        let review = match parse_review(&self.prv_reviewed_on, &self.prv_next_review, today) {
            Ok(r) => Some(r),
            Err(errors) => {
                e.0.extend(errors.0);
                None
            }
        };
        let level = probability
            .zip(severity)
            .and_then(|(p, s)| risk_level(p, s));
        match (scope, probability, severity, level, review) {
            (Some(scope), Some(probability), Some(severity), Some(level), Some((r, n)))
                if e.is_empty() =>
            {
                Ok(RiskSheetInput {
                    scope,
                    job,
                    office_id,
                    place,
                    title,
                    hazards,
                    probability,
                    severity,
                    level,
                    measures,
                    equipment,
                    reviewed_on: r,
                    next_review_on: n,
                })
            }
            _ => Err(e),
        }
    }
}

// ------------------------------------------------------- prevention and diversity actions

coded!(
    /// Where a prevention action comes from.
    ActionOrigin {
        RiskSheet = "risk-sheet",
        Incident = "incident",
        Committee = "committee",
        Inspection = "inspection",
        Other = "other",
    }
);

coded!(
    /// Which plan holds it: the global prevention plan (five years) or the yearly action plan
    /// (Code of well-being at work, book I title 2).
    ActionPlan {
        Global = "global",
        Yearly = "yearly",
    }
);

coded!(
    /// Where an action (of prevention or of the diversity plan) stands.
    ActionStatus {
        Planned = "planned",
        InProgress = "in-progress",
        Done = "done",
        Cancelled = "cancelled",
    }
);

coded!(
    /// What is done to an action.
    ActionEvent {
        Start = "start",
        Complete = "complete",
        Cancel = "cancel",
    }
);

impl ActionStatus {
    /// planned → in progress → done; planned → done (done at once); planned or in progress →
    /// cancelled. Done and cancelled are final.
    pub fn apply(
        self,
        event: ActionEvent,
    ) -> Result<ActionStatus, TransitionRefused<ActionStatus, ActionEvent>> {
        use ActionEvent as E;
        use ActionStatus as S;
        match (self, event) {
            (S::Planned, E::Start) => Ok(S::InProgress),
            (S::Planned | S::InProgress, E::Complete) => Ok(S::Done),
            (S::Planned | S::InProgress, E::Cancel) => Ok(S::Cancelled),
            (from, event) => Err(TransitionRefused { from, event }),
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::InProgress)
    }
}

/// A prevention action, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreventionActionInput {
    pub title: String,
    pub origin: ActionOrigin,
    pub plan: ActionPlan,
    pub owner: String,
    pub due_on: Date,
    pub risk_sheet_id: Option<i64>,
    pub incident_id: Option<i64>,
    pub meeting_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PreventionActionForm {
    #[serde(default)]
    pub prv_title: String,
    #[serde(default)]
    pub prv_origin: String,
    #[serde(default)]
    pub prv_plan: String,
    #[serde(default)]
    pub prv_owner: String,
    #[serde(default)]
    pub prv_due: String,
    #[serde(default)]
    pub prv_risk_sheet: String,
    #[serde(default)]
    pub prv_incident: String,
    #[serde(default)]
    pub prv_meeting: String,
}

impl PreventionActionForm {
    pub fn parse(&self) -> Result<PreventionActionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = line(&mut e, "prv_title", &self.prv_title, MAX_TITLE_CHARS);
        let origin = ActionOrigin::parse(&self.prv_origin);
        if origin.is_none() {
            e.add("prv_origin", "prv-origin");
        }
        let plan = ActionPlan::parse(&self.prv_plan);
        if plan.is_none() {
            e.add("prv_plan", "prv-plan");
        }
        let owner = line(&mut e, "prv_owner", &self.prv_owner, MAX_NAME_CHARS);
        let due_on = req_date(&mut e, "prv_due", &self.prv_due);
        let risk_sheet_id = opt_id(&mut e, "prv_risk_sheet", &self.prv_risk_sheet);
        let incident_id = opt_id(&mut e, "prv_incident", &self.prv_incident);
        let meeting_id = opt_id(&mut e, "prv_meeting", &self.prv_meeting);
        // An action's origin names its source when it has one.
        match origin {
            Some(ActionOrigin::RiskSheet) if risk_sheet_id.is_none() => {
                e.add("prv_risk_sheet", "required")
            }
            Some(ActionOrigin::Incident) if incident_id.is_none() => {
                e.add("prv_incident", "required")
            }
            _ => {}
        }
        match (origin, plan, due_on) {
            (Some(origin), Some(plan), Some(due_on)) if e.is_empty() => Ok(PreventionActionInput {
                title,
                origin,
                plan,
                owner,
                due_on,
                risk_sheet_id,
                incident_id,
                meeting_id,
            }),
            _ => Err(e),
        }
    }
}

coded!(
    /// The axes of the diversity plan.
    DiversityAxis {
        Recruitment = "recruitment",
        Training = "training",
        Accessibility = "accessibility",
        Gender = "gender",
        Age = "age",
        Origin = "origin",
        Disability = "disability",
        WorkLife = "work-life",
    }
);

/// An action of the diversity plan, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiversityActionInput {
    pub title: String,
    pub axis: DiversityAxis,
    pub owner: String,
    pub target: String,
    pub due_on: Date,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DiversityActionForm {
    #[serde(default)]
    pub div_title: String,
    #[serde(default)]
    pub div_axis: String,
    #[serde(default)]
    pub div_owner: String,
    #[serde(default)]
    pub div_target: String,
    #[serde(default)]
    pub div_due: String,
}

impl DiversityActionForm {
    pub fn parse(&self) -> Result<DiversityActionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = line(&mut e, "div_title", &self.div_title, MAX_TITLE_CHARS);
        let axis = DiversityAxis::parse(&self.div_axis);
        if axis.is_none() {
            e.add("div_axis", "div-axis");
        }
        let owner = line(&mut e, "div_owner", &self.div_owner, MAX_NAME_CHARS);
        let target = line(&mut e, "div_target", &self.div_target, MAX_TITLE_CHARS);
        let due_on = req_date(&mut e, "div_due", &self.div_due);
        match (axis, due_on) {
            (Some(axis), Some(due_on)) if e.is_empty() => Ok(DiversityActionInput {
                title,
                axis,
                owner,
                target,
                due_on,
            }),
            _ => Err(e),
        }
    }
}

/// A change of an action's status on `on` (the day it happened), with the result reached
/// (required to complete a diversity action: the plan reports what it achieved).
pub fn parse_status_change(
    event: &str,
    on: &str,
    result: &str,
    result_required: bool,
    today: Date,
) -> Result<(ActionEvent, Date, Option<String>), FieldErrors> {
    let mut e = FieldErrors::new();
    let ev = ActionEvent::parse(event);
    if ev.is_none() {
        e.add("prv_event", "prv-event");
    }
    let day = match parse_done_on("prv_on", on, None, today) {
        Ok(d) => Some(d),
        Err(errors) => {
            e.0.extend(errors.0);
            None
        }
    };
    let result = opt_text(&mut e, "prv_result", result);
    if result_required && ev == Some(ActionEvent::Complete) && result.is_none() {
        e.add("prv_result", "required");
    }
    match (ev, day) {
        (Some(ev), Some(day)) if e.is_empty() => Ok((ev, day, result)),
        _ => Err(e),
    }
}

// ------------------------------------------------------------------- the committee (CPPT)

/// A meeting of the committee for prevention and protection at work, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingInput {
    pub held_on: Date,
    pub present: String,
    pub agenda: String,
    pub minutes: Option<String>,
    pub decisions: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub prv_held_on: String,
    #[serde(default)]
    pub prv_present: String,
    #[serde(default)]
    pub prv_agenda: String,
    #[serde(default)]
    pub prv_minutes: String,
    #[serde(default)]
    pub prv_decisions: String,
}

impl MeetingForm {
    /// A meeting is recorded once held: its date is not in the future.
    pub fn parse(&self, today: Date) -> Result<MeetingInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let held_on = req_date(&mut e, "prv_held_on", &self.prv_held_on);
        if held_on.is_some_and(|d| d > today) {
            e.add("prv_held_on", "prv-future");
        }
        let present = text(&mut e, "prv_present", &self.prv_present);
        let agenda = text(&mut e, "prv_agenda", &self.prv_agenda);
        let minutes = opt_text(&mut e, "prv_minutes", &self.prv_minutes);
        let decisions = opt_text(&mut e, "prv_decisions", &self.prv_decisions);
        match held_on {
            Some(held_on) if e.is_empty() => Ok(MeetingInput {
                held_on,
                present,
                agenda,
                minutes,
                decisions,
            }),
            _ => Err(e),
        }
    }
}

/// The months from `from`'s month to `to`'s month (both included) without a committee
/// meeting: the CPPT meets at least once a month (law of 4 August 1996, see reference).
pub fn months_without_meeting(held: &[Date], from: Date, to: Date) -> Vec<(i16, i8)> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    // A bound on the loop (TigerStyle): at most a century of months.
    for _ in 0..1200 {
        if (y, m) > (to.year(), to.month()) {
            break;
        }
        if !held.iter().any(|d| d.year() == y && d.month() == m) {
            out.push((y, m));
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

// ---------------------------------------------------------------- health surveillance

coded!(
    /// The kinds of health assessment by the external prevention service.
    HealthCheckKind {
        PreEmployment = "pre-employment",
        Periodic = "periodic",
        ReturnToWork = "return-to-work",
        Pregnancy = "pregnancy",
        Spontaneous = "spontaneous",
    }
);

/// A planned assessment, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthCheckInput {
    pub person_id: i64,
    pub kind: HealthCheckKind,
    pub due_on: Date,
    pub service: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HealthCheckForm {
    #[serde(default)]
    pub prv_person: String,
    #[serde(default)]
    pub prv_kind: String,
    #[serde(default)]
    pub prv_due: String,
    #[serde(default)]
    pub prv_service: String,
}

impl HealthCheckForm {
    pub fn parse(&self) -> Result<HealthCheckInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let person_id = opt_id(&mut e, "prv_person", &self.prv_person);
        if person_id.is_none() && self.prv_person.trim().is_empty() {
            e.add("prv_person", "required");
        }
        let kind = HealthCheckKind::parse(&self.prv_kind);
        if kind.is_none() {
            e.add("prv_kind", "prv-kind");
        }
        let due_on = req_date(&mut e, "prv_due", &self.prv_due);
        let service = line(&mut e, "prv_service", &self.prv_service, MAX_NAME_CHARS);
        match (person_id, kind, due_on) {
            (Some(person_id), Some(kind), Some(due_on)) if e.is_empty() => Ok(HealthCheckInput {
                person_id,
                kind,
                due_on,
                service,
            }),
            _ => Err(e),
        }
    }
}

/// Whether an assessment not done yet is past its due date.
pub fn check_overdue(due_on: Date, done_on: Option<Date>, today: Date) -> bool {
    done_on.is_none() && due_on < today
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TODAY: Date = date(2026, 11, 20);

    fn accident() -> IncidentForm {
        IncidentForm {
            prv_date: "2026-11-10".into(),
            prv_time: "09:30".into(),
            prv_office: "2".into(),
            prv_place: String::new(),
            prv_person: "7".into(),
            prv_nature: "work-accident".into(),
            prv_severity: "lost-time".into(),
            prv_injury: "Entorse de la cheville en descendant l'escalier.".into(),
            prv_witnesses: "A. Dupont".into(),
            prv_measures: "Glace, repos".into(),
            prv_days_lost: "3".into(),
            prv_declared_on: "2026-11-12".into(),
        }
    }

    #[test]
    fn the_risk_matrix_multiplies_probability_by_severity() {
        use RiskLevel::*;
        let expected = [
            [Low, Low, Low, Medium],
            [Low, Medium, Medium, High],
            [Low, Medium, High, VeryHigh],
            [Medium, High, VeryHigh, VeryHigh],
        ];
        for p in 1..=4 {
            for s in 1..=4 {
                let want = expected[(p - 1) as usize][(s - 1) as usize];
                assert_eq!(risk_level(p, s), Some(want), "{p}×{s}");
                assert_eq!(risk_level(p, s), risk_level(s, p));
            }
        }
        assert_eq!(risk_level(0, 3), None);
        assert_eq!(risk_level(2, 5), None);
    }

    #[test]
    fn an_accident_is_declared_within_eight_days() {
        let on = date(2026, 11, 1);
        assert_eq!(declaration_deadline(on), Some(date(2026, 11, 9)));
        assert_eq!(declaration_deadline(date(1999, 12, 31)), None);
        let n = IncidentNature::WorkAccident;
        let s = Severity::LostTime;
        let d = |declared: Option<Date>, today: Date| declaration(n, s, on, declared, today);
        assert_eq!(
            d(None, date(2026, 11, 9)),
            Declaration::Due {
                deadline: date(2026, 11, 9)
            }
        );
        assert_eq!(d(None, date(2026, 11, 10)).code(), "overdue");
        assert_eq!(d(Some(date(2026, 11, 9)), TODAY).code(), "on-time");
        assert_eq!(d(Some(date(2026, 11, 10)), TODAY).code(), "late");
        // First aid only goes to the first-aid register; a near miss is never declared.
        assert_eq!(
            declaration(n, Severity::FirstAid, on, None, TODAY),
            Declaration::NotRequired
        );
        assert_eq!(
            declaration(IncidentNature::NearMiss, Severity::None, on, None, TODAY),
            Declaration::NotRequired
        );
        // A commuting accident is a work accident too.
        assert_eq!(
            declaration(
                IncidentNature::CommutingAccident,
                Severity::Serious,
                on,
                None,
                TODAY
            )
            .code(),
            "overdue"
        );
    }

    #[test]
    fn an_entry_of_the_register_is_checked_field_by_field() {
        let i = accident().parse(TODAY).unwrap();
        assert_eq!(i.occurred_on, date(2026, 11, 10));
        assert_eq!(i.occurred_time, "09:30");
        assert_eq!(
            (i.office_id, i.person_id, i.days_lost),
            (Some(2), Some(7), 3)
        );
        assert_eq!(i.declared_on, Some(date(2026, 11, 12)));

        let bad = IncidentForm {
            prv_date: "2026-11-21".into(),
            prv_time: "25:00".into(),
            prv_office: String::new(),
            prv_place: String::new(),
            prv_person: String::new(),
            prv_nature: "fall".into(),
            prv_severity: "bad".into(),
            prv_days_lost: "-1".into(),
            prv_declared_on: "yesterday".into(),
            ..IncidentForm::default()
        };
        let e = bad.parse(TODAY).unwrap_err();
        assert_eq!(e.get("prv_date"), Some("prv-future"));
        assert_eq!(e.get("prv_time"), Some("prv-time"));
        assert_eq!(e.get("prv_place"), Some("prv-place-required"));
        assert_eq!(e.get("prv_nature"), Some("prv-nature"));
        assert_eq!(e.get("prv_severity"), Some("prv-severity"));
        assert_eq!(e.get("prv_days_lost"), Some("prv-days-lost"));
        assert_eq!(e.get("prv_declared_on"), Some("date"));
    }

    #[test]
    fn a_near_miss_names_nobody_and_loses_no_day() {
        let mut f = accident();
        f.prv_nature = "near-miss".into();
        f.prv_severity = "none".into();
        f.prv_person = String::new();
        f.prv_injury = String::new();
        f.prv_declared_on = String::new();
        f.prv_days_lost = "2".into();
        let e = f.parse(TODAY).unwrap_err();
        assert_eq!(e.get("prv_days_lost"), Some("prv-days-lost-near-miss"));
        assert_eq!(e.get("prv_person"), None);
        f.prv_days_lost = "0".into();
        let i = f.parse(TODAY).unwrap();
        assert_eq!(i.person_id, None);
        f.prv_severity = "first-aid".into();
        f.prv_injury = "Coupure".into();
        assert_eq!(
            f.parse(TODAY).unwrap_err().get("prv_severity"),
            Some("prv-near-miss-severity")
        );
    }

    #[test]
    fn lost_days_need_a_severity_that_loses_days_and_a_declaration_follows_the_accident() {
        let mut f = accident();
        f.prv_severity = "first-aid".into();
        assert_eq!(
            f.parse(TODAY).unwrap_err().get("prv_days_lost"),
            Some("prv-days-lost-severity")
        );
        let mut f = accident();
        f.prv_declared_on = "2026-11-09".into();
        assert_eq!(
            f.parse(TODAY).unwrap_err().get("prv_declared_on"),
            Some("prv-declared-before")
        );
        let mut f = accident();
        f.prv_nature = "aggression".into();
        assert_eq!(
            f.parse(TODAY).unwrap_err().get("prv_declared_on"),
            Some("prv-not-declarable")
        );
        let mut f = accident();
        f.prv_person = String::new();
        assert_eq!(
            f.parse(TODAY).unwrap_err().get("prv_person"),
            Some("required")
        );
        let mut f = accident();
        f.prv_injury = " ".into();
        assert_eq!(
            f.parse(TODAY).unwrap_err().get("prv_injury"),
            Some("required")
        );
    }

    #[test]
    fn an_incident_closes_once_its_follow_up_is_done_and_it_is_declared() {
        use IncidentEvent as E;
        use IncidentStatus as S;
        assert_eq!(S::Open.apply(E::Close), Ok(S::Closed));
        assert_eq!(S::Closed.apply(E::Reopen), Ok(S::Open));
        assert!(S::Open.apply(E::Reopen).is_err());
        assert!(S::Closed.apply(E::Close).is_err());
        let due = Declaration::Due { deadline: TODAY };
        let done = Declaration::OnTime { deadline: TODAY };
        assert_eq!(check_close(1, done), Err("prv-followups-open"));
        assert_eq!(check_close(0, due), Err("prv-not-declared"));
        assert_eq!(check_close(0, done), Ok(()));
        assert_eq!(check_close(0, Declaration::NotRequired), Ok(()));
    }

    #[test]
    fn actions_move_forward_and_never_out_of_done_or_cancelled() {
        use ActionEvent as E;
        use ActionStatus as S;
        assert_eq!(S::Planned.apply(E::Start), Ok(S::InProgress));
        assert_eq!(S::InProgress.apply(E::Complete), Ok(S::Done));
        assert_eq!(S::Planned.apply(E::Complete), Ok(S::Done));
        assert_eq!(S::InProgress.apply(E::Cancel), Ok(S::Cancelled));
        assert!(S::InProgress.apply(E::Start).is_err());
        for e in ActionEvent::ALL {
            assert!(S::Done.apply(*e).is_err());
            assert!(S::Cancelled.apply(*e).is_err());
        }
        let (ev, on, result) =
            parse_status_change("complete", "2026-11-19", "12 recrutements", true, TODAY).unwrap();
        assert_eq!(
            (ev, on, result.as_deref()),
            (E::Complete, date(2026, 11, 19), Some("12 recrutements"))
        );
        let e = parse_status_change("finish", "2026-11-21", "", true, TODAY).unwrap_err();
        assert_eq!(e.get("prv_event"), Some("prv-event"));
        assert_eq!(e.get("prv_on"), Some("prv-future"));
        let e = parse_status_change("complete", "2026-11-19", "", true, TODAY).unwrap_err();
        assert_eq!(e.get("prv_result"), Some("required"));
    }

    #[test]
    fn a_risk_sheet_covers_a_job_or_a_place_and_is_reviewed_again_later() {
        let f = RiskSheetForm {
            prv_scope: "job".into(),
            prv_job: "technician".into(),
            prv_title: "Technicien·ne de scène".into(),
            prv_hazards: "Travail en hauteur, charges".into(),
            prv_probability: "3".into(),
            prv_gravity: "4".into(),
            prv_measures: "Harnais, formation".into(),
            prv_reviewed_on: "2026-01-15".into(),
            prv_next_review: "2027-01-15".into(),
            ..RiskSheetForm::default()
        };
        let s = f.parse(TODAY).unwrap();
        assert_eq!(
            (s.job, s.level),
            (Some(Job::Technician), RiskLevel::VeryHigh)
        );
        let mut g = f.clone();
        g.prv_scope = "place".into();
        g.prv_probability = "5".into();
        g.prv_next_review = "2026-01-15".into();
        let e = g.parse(TODAY).unwrap_err();
        assert_eq!(e.get("prv_place"), Some("prv-place-required"));
        assert_eq!(e.get("prv_probability"), Some("prv-scale"));
        assert_eq!(e.get("prv_next_review"), Some("prv-next-review"));
        assert!(review_overdue(date(2026, 11, 19), TODAY));
        assert!(!review_overdue(TODAY, TODAY));
    }

    #[test]
    fn the_committee_meets_every_month_and_health_checks_fall_due() {
        let held = [date(2026, 1, 12), date(2026, 3, 9), date(2026, 3, 30)];
        assert_eq!(
            months_without_meeting(&held, date(2026, 1, 1), date(2026, 4, 30)),
            vec![(2026, 2), (2026, 4)]
        );
        let m = MeetingForm {
            prv_held_on: "2026-11-21".into(),
            prv_present: String::new(),
            prv_agenda: "Ordre du jour".into(),
            ..MeetingForm::default()
        };
        let e = m.parse(TODAY).unwrap_err();
        assert_eq!(e.get("prv_held_on"), Some("prv-future"));
        assert_eq!(e.get("prv_present"), Some("required"));
        assert!(check_overdue(date(2026, 11, 19), None, TODAY));
        assert!(!check_overdue(date(2026, 11, 19), Some(TODAY), TODAY));
        assert!(!check_overdue(TODAY, None, TODAY));
        let h = HealthCheckForm {
            prv_person: "4".into(),
            prv_kind: "periodic".into(),
            prv_due: "2026-12-01".into(),
            prv_service: "Service externe".into(),
        };
        assert_eq!(h.parse().unwrap().kind, HealthCheckKind::Periodic);
        let e = HealthCheckForm::default().parse().unwrap_err();
        assert_eq!(e.get("prv_person"), Some("required"));
        assert_eq!(e.get("prv_kind"), Some("prv-kind"));
    }

    #[test]
    fn prevention_and_diversity_actions_are_checked() {
        let a = PreventionActionForm {
            prv_title: "Rampe d'escalier".into(),
            prv_origin: "incident".into(),
            prv_plan: "yearly".into(),
            prv_owner: "Conseiller en prévention".into(),
            prv_due: "2026-12-15".into(),
            prv_incident: String::new(),
            ..PreventionActionForm::default()
        };
        assert_eq!(a.parse().unwrap_err().get("prv_incident"), Some("required"));
        let mut b = a.clone();
        b.prv_incident = "3".into();
        assert_eq!(b.parse().unwrap().incident_id, Some(3));
        let d = DiversityActionForm {
            div_title: "Offres d'emploi inclusives".into(),
            div_axis: "recruitment".into(),
            div_owner: "RH".into(),
            div_target: "100 % des offres".into(),
            div_due: "2027-06-30".into(),
        };
        assert_eq!(d.parse().unwrap().axis, DiversityAxis::Recruitment);
        let mut d2 = d.clone();
        d2.div_axis = "religion".into();
        assert_eq!(d2.parse().unwrap_err().get("div_axis"), Some("div-axis"));
        for code in ActionStatus::codes() {
            assert_eq!(
                ActionStatus::parse(code).map(ActionStatus::code),
                Some(code)
            );
        }
        assert_eq!(parse_time("7:5"), None);
        assert_eq!(parse_time("07:05").as_deref(), Some("07:05"));
    }
}
