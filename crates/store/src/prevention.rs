//! Prevention and diversity (C15): the incident and work-accident register and its follow-up,
//! the risk sheets and their reviews, the prevention actions, the committee's meetings, the
//! health-surveillance planning and the diversity plan.
//!
//! Every change runs in one transaction with its audit entry. The register holds health data:
//! the audit snapshot of an incident ([`IncidentAuditView`]) carries dates, codes and ids —
//! never the injury, the witnesses or the measures' text (the audit log is read by people who
//! may not read the register). The rules (declaration deadline, risk matrix, transitions)
//! live in `ruche_domain::prevention`.

use jiff::civil::Date;
use ruche_domain::prevention::{
    ActionEvent, ActionStatus, Declaration, DiversityActionInput, FollowUpInput, HealthCheckInput,
    IncidentEvent, IncidentInput, IncidentNature, IncidentStatus, MeetingInput,
    PreventionActionInput, RiskLevel, RiskSheetInput, Severity, check_close, declaration,
    risk_level,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// The keys of the Prevention section of the year's figures (docs/figures.md).
pub const FIGURE_KEYS: [&str; 10] = [
    "prevention-incidents",
    "prevention-work-accidents",
    "prevention-days-lost",
    "prevention-declared-late",
    "prevention-actions-done",
    "prevention-committee-meetings",
    "prevention-health-checks-done",
    "prevention-risk-sheets-reviewed",
    "diversity-actions-done",
    "diversity-actions-in-progress",
];

/// `Conflict` code: the incident is closed (reopen it first) or already open.
pub const REFUSED_STATUS: &str = "prv-status";
/// `Conflict` code: the action cannot take this change from its status.
pub const REFUSED_ACTION_STATUS: &str = "prv-action-status";
/// `Conflict` code: already done.
pub const REFUSED_DONE: &str = "prv-already-done";
/// Field error code: the id names nothing.
pub const REFUSED_UNKNOWN: &str = "prv-unknown";

/// The most rows one read takes (TigerStyle: a bound on every list).
const MAX_ROWS: i64 = 10_000;

// ------------------------------------------------------------------------------ records

/// An entry of the register, with the names the pages show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct IncidentRecord {
    pub id: i64,
    pub occurred_on: String,
    pub occurred_time: String,
    pub office_id: Option<i64>,
    pub office_name: Option<String>,
    pub place: Option<String>,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub nature: String,
    pub severity: String,
    pub injury: Option<String>,
    pub witnesses: Option<String>,
    pub measures: Option<String>,
    pub days_lost: i64,
    pub declared_on: Option<String>,
    pub status: String,
    pub closed_on: Option<String>,
    pub reported_by: Option<i64>,
    pub reporter_name: Option<String>,
    pub reported_at: i64,
    pub updated_at: i64,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value}"))
}

fn day(s: &str) -> Result<Date> {
    s.parse::<Date>().map_err(|_| corrupt("date", s))
}

impl IncidentRecord {
    pub fn nature(&self) -> Result<IncidentNature> {
        IncidentNature::parse(&self.nature).ok_or_else(|| corrupt("incident nature", &self.nature))
    }

    pub fn severity(&self) -> Result<Severity> {
        Severity::parse(&self.severity).ok_or_else(|| corrupt("incident severity", &self.severity))
    }

    pub fn status(&self) -> Result<IncidentStatus> {
        IncidentStatus::parse(&self.status).ok_or_else(|| corrupt("incident status", &self.status))
    }

    /// Where its declaration to the insurer stands on `today`.
    pub fn declaration(&self, today: Date) -> Result<Declaration> {
        let declared = self.declared_on.as_deref().map(day).transpose()?;
        Ok(declaration(
            self.nature()?,
            self.severity()?,
            day(&self.occurred_on)?,
            declared,
            today,
        ))
    }

    /// The place as shown: the office's name or the free text.
    pub fn where_(&self) -> String {
        self.office_name
            .clone()
            .or_else(|| self.place.clone())
            .unwrap_or_default()
    }

    fn audit_view(&self) -> IncidentAuditView {
        IncidentAuditView {
            id: self.id,
            occurred_on: self.occurred_on.clone(),
            office_id: self.office_id,
            person_id: self.person_id,
            nature: self.nature.clone(),
            severity: self.severity.clone(),
            days_lost: self.days_lost,
            declared_on: self.declared_on.clone(),
            status: self.status.clone(),
            closed_on: self.closed_on.clone(),
        }
    }
}

/// The audit snapshot of an entry: no injury, witness or measure text (health data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentAuditView {
    pub id: i64,
    pub occurred_on: String,
    pub office_id: Option<i64>,
    pub person_id: Option<i64>,
    pub nature: String,
    pub severity: String,
    pub days_lost: i64,
    pub declared_on: Option<String>,
    pub status: String,
    pub closed_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FollowUpRecord {
    pub id: i64,
    pub incident_id: i64,
    pub action: String,
    pub owner: String,
    pub due_on: String,
    pub done_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RiskSheetRecord {
    pub id: i64,
    pub scope: String,
    pub job: Option<String>,
    pub office_id: Option<i64>,
    pub office_name: Option<String>,
    pub place: Option<String>,
    pub title: String,
    pub hazards: String,
    pub probability: i64,
    pub severity: i64,
    pub measures: String,
    pub equipment: Option<String>,
    pub reviewed_on: String,
    pub next_review_on: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RiskSheetRecord {
    /// The level of the risk matrix (probability × severity).
    pub fn level(&self) -> &'static str {
        risk_level(self.probability, self.severity).map_or("", RiskLevel::code)
    }

    pub fn review_overdue(&self, today: Date) -> bool {
        self.next_review_on.parse::<Date>().is_ok_and(|d| d < today)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RiskReviewRecord {
    pub id: i64,
    pub sheet_id: i64,
    pub reviewed_on: String,
    pub next_review_on: String,
    pub reviewed_by: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PreventionActionRecord {
    pub id: i64,
    pub title: String,
    pub origin: String,
    pub plan: String,
    pub risk_sheet_id: Option<i64>,
    pub incident_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub owner: String,
    pub due_on: String,
    pub status: String,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PreventionActionRecord {
    pub fn overdue(&self, today: Date) -> bool {
        ActionStatus::parse(&self.status).is_some_and(ActionStatus::is_open)
            && self.due_on.parse::<Date>().is_ok_and(|d| d < today)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MeetingRecord {
    pub id: i64,
    pub held_on: String,
    pub present: String,
    pub agenda: String,
    pub minutes: Option<String>,
    pub decisions: Option<String>,
    pub recorded_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct HealthCheckRecord {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub kind: String,
    pub due_on: String,
    pub done_on: Option<String>,
    pub service: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl HealthCheckRecord {
    pub fn overdue(&self, today: Date) -> bool {
        self.done_on.is_none() && self.due_on.parse::<Date>().is_ok_and(|d| d < today)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DiversityActionRecord {
    pub id: i64,
    pub title: String,
    pub axis: String,
    pub owner: String,
    pub target: String,
    pub due_on: String,
    pub status: String,
    pub result: Option<String>,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Filters of the register; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub status: Option<IncidentStatus>,
    pub nature: Option<IncidentNature>,
    /// Occurred in this calendar year.
    pub year: Option<i16>,
    /// Only accidents that must be declared and are not yet.
    pub undeclared: bool,
}

/// Filters of the actions (prevention or diversity); `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    /// A status code, or `open` (planned or in progress).
    pub status: Option<String>,
    /// An origin (prevention) or an axis (diversity).
    pub kind: Option<String>,
    pub meeting_id: Option<i64>,
    /// Only those due on or before this day.
    pub due_by: Option<Date>,
}

/// The prevention adviser's dashboard on a day.
#[derive(Debug, Clone, Serialize)]
pub struct PreventionDashboard {
    pub open_incidents: i64,
    /// Accidents to declare whose deadline has passed, and those still within it.
    pub overdue_declarations: Vec<IncidentRecord>,
    pub due_declarations: Vec<IncidentRecord>,
    pub overdue_reviews: Vec<RiskSheetRecord>,
    pub overdue_checks: Vec<HealthCheckRecord>,
    /// Open actions due within 30 days (or overdue).
    pub actions_due: Vec<PreventionActionRecord>,
    /// The committee's meetings of the last twelve months.
    pub meetings_held: Vec<Date>,
}

// ---------------------------------------------------------------------------------- SQL

macro_rules! incident_select {
    () => {
        "SELECT i.id, i.occurred_on, i.occurred_time, i.office_id, o.name AS office_name, \
         i.place, i.person_id, p.first_name || ' ' || p.last_name AS person_name, i.nature, \
         i.severity, i.injury, i.witnesses, i.measures, i.days_lost, i.declared_on, i.status, \
         i.closed_on, i.reported_by, rp.first_name || ' ' || rp.last_name AS reporter_name, \
         i.reported_at, i.updated_at \
         FROM prevention_incidents i \
         LEFT JOIN offices o ON o.id = i.office_id \
         LEFT JOIN persons p ON p.id = i.person_id \
         LEFT JOIN accounts ra ON ra.id = i.reported_by \
         LEFT JOIN persons rp ON rp.id = ra.person_id"
    };
}

macro_rules! incident_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR i.status = $1) \
          AND (CAST($2 AS TEXT) IS NULL OR i.nature = $2) \
          AND (CAST($3 AS TEXT) IS NULL OR (i.occurred_on >= $3 AND i.occurred_on < $4)) \
          AND ($5 = FALSE OR (i.nature IN ('work-accident', 'commuting-accident') \
               AND i.severity NOT IN ('none', 'first-aid') AND i.declared_on IS NULL))"
    };
}

const INCIDENT_GET: &str = concat!(incident_select!(), " WHERE i.id = $1");
const INCIDENT_LIST: &str = concat!(
    incident_select!(),
    incident_where!(),
    " ORDER BY i.occurred_on DESC, i.occurred_time DESC, i.id DESC LIMIT $6 OFFSET $7"
);
const INCIDENT_COUNT: &str = concat!(
    "SELECT COUNT(*) FROM prevention_incidents i",
    incident_where!()
);
const INCIDENT_INSERT: &str = "INSERT INTO prevention_incidents (occurred_on, occurred_time, \
    office_id, place, person_id, nature, severity, injury, witnesses, measures, days_lost, \
    declared_on, status, reported_by, reported_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14, $14) \
    RETURNING id";
const INCIDENT_UPDATE: &str = "UPDATE prevention_incidents SET occurred_on = $1, \
    occurred_time = $2, office_id = $3, place = $4, person_id = $5, nature = $6, severity = $7, \
    injury = $8, witnesses = $9, measures = $10, days_lost = $11, declared_on = $12, \
    updated_at = $13 WHERE id = $14";
const INCIDENT_CLOSE: &str = "UPDATE prevention_incidents SET status = 'closed', closed_on = $1, \
    updated_at = $2 WHERE id = $3 AND status = 'open'";
const INCIDENT_REOPEN: &str = "UPDATE prevention_incidents SET status = 'open', closed_on = NULL, \
    updated_at = $1 WHERE id = $2 AND status = 'closed'";
const OFFICE_EXISTS: &str = "SELECT id FROM offices WHERE id = $1";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";

const FOLLOWUPS: &str = "SELECT id, incident_id, action, owner, due_on, done_on, created_at, \
    updated_at FROM prevention_followups WHERE incident_id = $1 ORDER BY due_on, id LIMIT 500";
const FOLLOWUP_INSERT: &str = "INSERT INTO prevention_followups (incident_id, action, owner, \
    due_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
const FOLLOWUP_GET: &str = "SELECT id, incident_id, action, owner, due_on, done_on, created_at, \
    updated_at FROM prevention_followups WHERE id = $1 AND incident_id = $2";
const FOLLOWUP_DONE: &str = "UPDATE prevention_followups SET done_on = $1, updated_at = $2 \
    WHERE id = $3 AND done_on IS NULL";
const FOLLOWUPS_OPEN: &str =
    "SELECT COUNT(*) FROM prevention_followups WHERE incident_id = $1 AND done_on IS NULL";

macro_rules! sheet_select {
    () => {
        "SELECT s.id, s.scope, s.job, s.office_id, o.name AS office_name, s.place, s.title, \
         s.hazards, s.probability, s.severity, s.measures, s.equipment, s.reviewed_on, \
         s.next_review_on, s.created_at, s.updated_at \
         FROM prevention_risk_sheets s LEFT JOIN offices o ON o.id = s.office_id"
    };
}
const SHEET_GET: &str = concat!(sheet_select!(), " WHERE s.id = $1");
const SHEET_LIST: &str = concat!(
    sheet_select!(),
    " WHERE (CAST($1 AS TEXT) IS NULL OR s.scope = $1) \
      AND (CAST($2 AS TEXT) IS NULL OR s.next_review_on < $2) \
      ORDER BY s.probability * s.severity DESC, s.title, s.id LIMIT $3 OFFSET $4"
);
const SHEET_COUNT: &str = "SELECT COUNT(*) FROM prevention_risk_sheets s \
    WHERE (CAST($1 AS TEXT) IS NULL OR s.scope = $1) \
      AND (CAST($2 AS TEXT) IS NULL OR s.next_review_on < $2)";
const SHEET_INSERT: &str = "INSERT INTO prevention_risk_sheets (scope, job, office_id, place, \
    title, hazards, probability, severity, measures, equipment, reviewed_on, next_review_on, \
    created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id";
const SHEET_REVIEW: &str = "UPDATE prevention_risk_sheets SET reviewed_on = $1, \
    next_review_on = $2, updated_at = $3 WHERE id = $4";
const REVIEW_INSERT: &str = "INSERT INTO prevention_risk_reviews (sheet_id, reviewed_on, \
    next_review_on, reviewed_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const REVIEWS: &str = "SELECT id, sheet_id, reviewed_on, next_review_on, reviewed_by, created_at \
    FROM prevention_risk_reviews WHERE sheet_id = $1 ORDER BY reviewed_on DESC, id DESC LIMIT 200";

macro_rules! action_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR status = $1 \
               OR ($1 = 'open' AND status IN ('planned', 'in-progress'))) \
          AND (CAST($2 AS TEXT) IS NULL OR origin = $2) \
          AND (CAST($3 AS BIGINT) IS NULL OR meeting_id = $3) \
          AND (CAST($4 AS TEXT) IS NULL OR due_on <= $4)"
    };
}
const ACTION_GET: &str = "SELECT id, title, origin, plan, risk_sheet_id, incident_id, \
    meeting_id, owner, due_on, status, started_on, ended_on, created_at, updated_at \
    FROM prevention_actions WHERE id = $1";
const ACTION_LIST: &str = concat!(
    "SELECT id, title, origin, plan, risk_sheet_id, incident_id, meeting_id, owner, due_on, \
     status, started_on, ended_on, created_at, updated_at FROM prevention_actions",
    action_where!(),
    " ORDER BY CASE WHEN status IN ('planned', 'in-progress') THEN 0 ELSE 1 END, due_on, id \
      LIMIT $5 OFFSET $6"
);
const ACTION_COUNT: &str = concat!("SELECT COUNT(*) FROM prevention_actions", action_where!());
const ACTION_INSERT: &str = "INSERT INTO prevention_actions (title, origin, plan, risk_sheet_id, \
    incident_id, meeting_id, owner, due_on, status, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', $9, $9) RETURNING id";
const ACTION_STATUS: &str = "UPDATE prevention_actions SET status = $1, \
    started_on = COALESCE(started_on, $2), ended_on = $3, updated_at = $4 \
    WHERE id = $5 AND status = $6";
const SHEET_EXISTS: &str = "SELECT id FROM prevention_risk_sheets WHERE id = $1";
const INCIDENT_EXISTS: &str = "SELECT id FROM prevention_incidents WHERE id = $1";
const MEETING_EXISTS: &str = "SELECT id FROM prevention_meetings WHERE id = $1";

const MEETING_GET: &str = "SELECT id, held_on, present, agenda, minutes, decisions, \
    recorded_by, created_at, updated_at FROM prevention_meetings WHERE id = $1";
const MEETING_LIST: &str = "SELECT id, held_on, present, agenda, minutes, decisions, \
    recorded_by, created_at, updated_at FROM prevention_meetings \
    ORDER BY held_on DESC, id DESC LIMIT $1 OFFSET $2";
const MEETING_COUNT: &str = "SELECT COUNT(*) FROM prevention_meetings";
const MEETING_INSERT: &str = "INSERT INTO prevention_meetings (held_on, present, agenda, \
    minutes, decisions, recorded_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
const MEETING_DAYS: &str = "SELECT held_on FROM prevention_meetings WHERE held_on >= $1 \
    AND held_on <= $2 ORDER BY held_on LIMIT 1000";

macro_rules! check_select {
    () => {
        "SELECT h.id, h.person_id, p.first_name || ' ' || p.last_name AS person_name, h.kind, \
         h.due_on, h.done_on, h.service, h.created_at, h.updated_at \
         FROM prevention_health_checks h JOIN persons p ON p.id = h.person_id"
    };
}
const CHECK_GET: &str = concat!(check_select!(), " WHERE h.id = $1");
const CHECK_LIST: &str = concat!(
    check_select!(),
    " WHERE ($1 = FALSE OR h.done_on IS NULL) \
      AND (CAST($2 AS TEXT) IS NULL OR (h.done_on IS NULL AND h.due_on < $2)) \
      ORDER BY CASE WHEN h.done_on IS NULL THEN 0 ELSE 1 END, h.due_on, h.id \
      LIMIT $3 OFFSET $4"
);
const CHECK_COUNT: &str = "SELECT COUNT(*) FROM prevention_health_checks h \
    WHERE ($1 = FALSE OR h.done_on IS NULL) \
      AND (CAST($2 AS TEXT) IS NULL OR (h.done_on IS NULL AND h.due_on < $2))";
const CHECK_INSERT: &str = "INSERT INTO prevention_health_checks (person_id, kind, due_on, \
    service, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
const CHECK_DONE: &str = "UPDATE prevention_health_checks SET done_on = $1, updated_at = $2 \
    WHERE id = $3 AND done_on IS NULL";

macro_rules! diversity_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR status = $1 \
               OR ($1 = 'open' AND status IN ('planned', 'in-progress'))) \
          AND (CAST($2 AS TEXT) IS NULL OR axis = $2)"
    };
}
const DIVERSITY_GET: &str = "SELECT id, title, axis, owner, target, due_on, status, result, \
    started_on, ended_on, created_at, updated_at FROM diversity_actions WHERE id = $1";
const DIVERSITY_LIST: &str = concat!(
    "SELECT id, title, axis, owner, target, due_on, status, result, started_on, ended_on, \
     created_at, updated_at FROM diversity_actions",
    diversity_where!(),
    " ORDER BY CASE status WHEN 'in-progress' THEN 0 WHEN 'planned' THEN 1 WHEN 'done' THEN 2 \
      ELSE 3 END, due_on, id LIMIT $3 OFFSET $4"
);
const DIVERSITY_COUNT: &str = concat!("SELECT COUNT(*) FROM diversity_actions", diversity_where!());
const DIVERSITY_INSERT: &str = "INSERT INTO diversity_actions (title, axis, owner, target, \
    due_on, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'planned', $6, $6) \
    RETURNING id";
const DIVERSITY_STATUS: &str = "UPDATE diversity_actions SET status = $1, \
    started_on = COALESCE(started_on, $2), ended_on = $3, result = COALESCE($4, result), \
    updated_at = $5 WHERE id = $6 AND status = $7";

const PEOPLE: &str = "SELECT DISTINCT p.id, p.last_name, p.first_name \
    FROM persons p JOIN accounts a ON a.person_id = p.id \
    ORDER BY p.last_name, p.first_name, p.id LIMIT 1000";

const YEAR_INCIDENTS: &str = "SELECT COUNT(*), \
    CAST(COALESCE(SUM(CASE WHEN nature IN ('work-accident', 'commuting-accident') THEN 1 \
         ELSE 0 END), 0) AS BIGINT), \
    CAST(COALESCE(SUM(days_lost), 0) AS BIGINT) \
    FROM prevention_incidents WHERE occurred_on >= $1 AND occurred_on < $2";
const YEAR_DECLARED: &str = "SELECT nature, severity, occurred_on, declared_on \
    FROM prevention_incidents WHERE occurred_on >= $1 AND occurred_on < $2 \
    AND declared_on IS NOT NULL LIMIT 100000";
const YEAR_ACTIONS_DONE: &str = "SELECT COUNT(*) FROM prevention_actions \
    WHERE status = 'done' AND ended_on >= $1 AND ended_on < $2";
const YEAR_MEETINGS: &str =
    "SELECT COUNT(*) FROM prevention_meetings WHERE held_on >= $1 AND held_on < $2";
const YEAR_CHECKS: &str =
    "SELECT COUNT(*) FROM prevention_health_checks WHERE done_on >= $1 AND done_on < $2";
const YEAR_REVIEWED: &str = "SELECT COUNT(DISTINCT sheet_id) FROM prevention_risk_reviews \
    WHERE reviewed_on >= $1 AND reviewed_on < $2";
const YEAR_DIVERSITY_DONE: &str = "SELECT COUNT(*) FROM diversity_actions \
    WHERE status = 'done' AND ended_on >= $1 AND ended_on < $2";
// In progress at the year's end: started before it, not ended by then.
const YEAR_DIVERSITY_RUNNING: &str = "SELECT COUNT(*) FROM diversity_actions \
    WHERE started_on IS NOT NULL AND started_on < $1 AND (ended_on IS NULL OR ended_on >= $1)";

// ------------------------------------------------------------------------------ helpers

fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

fn year_bounds(year: i16) -> Result<(String, String)> {
    let bad = || refused("year", crate::figures::BAD_YEAR);
    if !(1900..=2998).contains(&year) {
        return Err(bad());
    }
    let from = Date::new(year, 1, 1).map_err(|_| bad())?;
    let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?;
    Ok((from.to_string(), to.to_string()))
}

/// Checks in `$tx` that the row `$id` exists (`$sql` selects its id); a refusal names
/// `$field`.
macro_rules! exists_in {
    ($tx:ident, $sql:expr, $id:expr, $field:expr) => {
        if let Some(id) = $id {
            let row: Option<(i64,)> = sqlx::query_as($sql)
                .bind(id)
                .fetch_optional(&mut *$tx)
                .await?;
            if row.is_none() {
                return Err(refused($field, REFUSED_UNKNOWN));
            }
        }
    };
}

/// The dates an action's status change writes: (started_on, ended_on).
fn action_dates(to: ActionStatus, on: &str) -> (Option<&str>, Option<&str>) {
    match to {
        ActionStatus::Planned => (None, None),
        ActionStatus::InProgress => (Some(on), None),
        // Done at once: it started the day it was done. Cancelled: it never started.
        ActionStatus::Done => (Some(on), Some(on)),
        ActionStatus::Cancelled => (None, Some(on)),
    }
}

impl Store {
    // ------------------------------------------------------------------------ register

    /// Writes an entry of the register, reported by the context's account at `at`.
    pub async fn report_incident(
        &self,
        ctx: &AuditContext,
        input: &IncidentInput,
        at: i64,
    ) -> Result<IncidentRecord> {
        write_tx!(self, tx => {
            exists_in!(tx, OFFICE_EXISTS, input.office_id, "prv_office");
            exists_in!(tx, PERSON_EXISTS, input.person_id, "prv_person");
            let (id,): (i64,) = sqlx::query_as(INCIDENT_INSERT)
                .bind(input.occurred_on.to_string())
                .bind(&input.occurred_time)
                .bind(input.office_id)
                .bind(input.place.as_deref())
                .bind(input.person_id)
                .bind(input.nature.code())
                .bind(input.severity.code())
                .bind(input.injury.as_deref())
                .bind(input.witnesses.as_deref())
                .bind(input.measures.as_deref())
                .bind(input.days_lost)
                .bind(input.declared_on.map(|d| d.to_string()))
                .bind(ctx.actor_account_id)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, id);
            audit!(tx, ctx, "prevention-incident.report", "prevention_incident", Some(id), None::<&()>, Some(&after.audit_view()));
            Ok(after)
        })
    }

    /// Corrects an entry (open or closed): every field of the form.
    pub async fn update_incident(
        &self,
        ctx: &AuditContext,
        id: i64,
        input: &IncidentInput,
        at: i64,
    ) -> Result<IncidentRecord> {
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, id);
            exists_in!(tx, OFFICE_EXISTS, input.office_id, "prv_office");
            exists_in!(tx, PERSON_EXISTS, input.person_id, "prv_person");
            sqlx::query(INCIDENT_UPDATE)
                .bind(input.occurred_on.to_string())
                .bind(&input.occurred_time)
                .bind(input.office_id)
                .bind(input.place.as_deref())
                .bind(input.person_id)
                .bind(input.nature.code())
                .bind(input.severity.code())
                .bind(input.injury.as_deref())
                .bind(input.witnesses.as_deref())
                .bind(input.measures.as_deref())
                .bind(input.days_lost)
                .bind(input.declared_on.map(|d| d.to_string()))
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, id);
            audit!(tx, ctx, "prevention-incident.update", "prevention_incident", Some(id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    pub async fn incident(&self, id: i64) -> Result<IncidentRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, IncidentRecord>(INCIDENT_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of the register, the most recent first.
    pub async fn incidents(
        &self,
        filter: &IncidentFilter,
        page: PageRequest,
    ) -> Result<Page<IncidentRecord>> {
        let status = filter.status.map(IncidentStatus::code);
        let nature = filter.nature.map(IncidentNature::code);
        let (from, to) = match filter.year {
            Some(y) => {
                let (f, t) = year_bounds(y)?;
                (Some(f), Some(t))
            }
            None => (None, None),
        };
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(INCIDENT_COUNT)
                .bind(status)
                .bind(nature)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(filter.undeclared)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, IncidentRecord>(INCIDENT_LIST)
                .bind(status)
                .bind(nature)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(filter.undeclared)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    pub async fn incident_followups(&self, incident_id: i64) -> Result<Vec<FollowUpRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(FOLLOWUPS).bind(incident_id).fetch_all(pool).await?))
    }

    /// Adds a follow-up action to an open incident.
    pub async fn add_incident_followup(
        &self,
        ctx: &AuditContext,
        incident_id: i64,
        input: &FollowUpInput,
        at: i64,
    ) -> Result<FollowUpRecord> {
        write_tx!(self, tx => {
            let incident = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, incident_id);
            if incident.status()? != IncidentStatus::Open {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let (id,): (i64,) = sqlx::query_as(FOLLOWUP_INSERT)
                .bind(incident_id)
                .bind(&input.action)
                .bind(&input.owner)
                .bind(input.due_on.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after: FollowUpRecord = sqlx::query_as(FOLLOWUP_GET)
                .bind(id)
                .bind(incident_id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "prevention-followup.add", "prevention_followup", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Marks a follow-up action of `incident_id` done on `done_on`.
    pub async fn complete_incident_followup(
        &self,
        ctx: &AuditContext,
        incident_id: i64,
        followup_id: i64,
        done_on: Date,
        at: i64,
    ) -> Result<FollowUpRecord> {
        write_tx!(self, tx => {
            let before: FollowUpRecord = sqlx::query_as(FOLLOWUP_GET)
                .bind(followup_id)
                .bind(incident_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let done = sqlx::query(FOLLOWUP_DONE)
                .bind(done_on.to_string())
                .bind(at)
                .bind(followup_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_DONE));
            }
            let after: FollowUpRecord = sqlx::query_as(FOLLOWUP_GET)
                .bind(followup_id)
                .bind(incident_id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "prevention-followup.done", "prevention_followup", Some(followup_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Closes an incident on `closed_on`: refused while a follow-up action is open or an
    /// accident is not declared to the insurer (named on the field `prv_close`).
    pub async fn close_incident(
        &self,
        ctx: &AuditContext,
        id: i64,
        closed_on: Date,
        at: i64,
    ) -> Result<IncidentRecord> {
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, id);
            before
                .status()?
                .apply(IncidentEvent::Close)
                .map_err(|_| StoreError::Conflict(REFUSED_STATUS))?;
            if closed_on < day(&before.occurred_on)? {
                return Err(refused("prv_closed_on", "prv-too-early"));
            }
            let (open,): (i64,) = sqlx::query_as(FOLLOWUPS_OPEN)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            check_close(usize::try_from(open).unwrap_or(usize::MAX), before.declaration(closed_on)?)
                .map_err(|code| refused("prv_close", code))?;
            let done = sqlx::query(INCIDENT_CLOSE)
                .bind(closed_on.to_string())
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, id);
            audit!(tx, ctx, "prevention-incident.close", "prevention_incident", Some(id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    pub async fn reopen_incident(
        &self,
        ctx: &AuditContext,
        id: i64,
        at: i64,
    ) -> Result<IncidentRecord> {
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, id);
            before
                .status()?
                .apply(IncidentEvent::Reopen)
                .map_err(|_| StoreError::Conflict(REFUSED_STATUS))?;
            sqlx::query(INCIDENT_REOPEN).bind(at).bind(id).execute(&mut *tx).await?;
            let after = fetch_one_in!(tx, IncidentRecord, INCIDENT_GET, id);
            audit!(tx, ctx, "prevention-incident.reopen", "prevention_incident", Some(id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    // ---------------------------------------------------------------------- risk sheets

    /// Writes a risk sheet and its first review.
    pub async fn create_risk_sheet(
        &self,
        ctx: &AuditContext,
        input: &RiskSheetInput,
        at: i64,
    ) -> Result<RiskSheetRecord> {
        write_tx!(self, tx => {
            exists_in!(tx, OFFICE_EXISTS, input.office_id, "prv_office");
            let (id,): (i64,) = sqlx::query_as(SHEET_INSERT)
                .bind(input.scope.code())
                .bind(input.job.map(|j| j.code()))
                .bind(input.office_id)
                .bind(input.place.as_deref())
                .bind(&input.title)
                .bind(&input.hazards)
                .bind(input.probability)
                .bind(input.severity)
                .bind(&input.measures)
                .bind(input.equipment.as_deref())
                .bind(input.reviewed_on.to_string())
                .bind(input.next_review_on.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(REVIEW_INSERT)
                .bind(id)
                .bind(input.reviewed_on.to_string())
                .bind(input.next_review_on.to_string())
                .bind(ctx.actor_account_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, RiskSheetRecord, SHEET_GET, id);
            audit!(tx, ctx, "prevention-risk-sheet.create", "prevention_risk_sheet", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Records a review of a sheet: on or after its last one, the next one after it.
    pub async fn review_risk_sheet(
        &self,
        ctx: &AuditContext,
        id: i64,
        reviewed_on: Date,
        next_review_on: Date,
        at: i64,
    ) -> Result<RiskSheetRecord> {
        if next_review_on <= reviewed_on {
            return Err(refused("prv_next_review", "prv-next-review"));
        }
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, RiskSheetRecord, SHEET_GET, id);
            if reviewed_on < day(&before.reviewed_on)? {
                return Err(refused("prv_reviewed_on", "prv-too-early"));
            }
            sqlx::query(REVIEW_INSERT)
                .bind(id)
                .bind(reviewed_on.to_string())
                .bind(next_review_on.to_string())
                .bind(ctx.actor_account_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            sqlx::query(SHEET_REVIEW)
                .bind(reviewed_on.to_string())
                .bind(next_review_on.to_string())
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, RiskSheetRecord, SHEET_GET, id);
            audit!(tx, ctx, "prevention-risk-sheet.review", "prevention_risk_sheet", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn risk_sheet(&self, id: i64) -> Result<RiskSheetRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, RiskSheetRecord>(SHEET_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Risk sheets, the highest risks first; `overdue_on`: only those whose next review is
    /// before that day.
    pub async fn risk_sheets(
        &self,
        scope: Option<&str>,
        overdue_on: Option<Date>,
        page: PageRequest,
    ) -> Result<Page<RiskSheetRecord>> {
        let overdue = overdue_on.map(|d| d.to_string());
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(SHEET_COUNT)
                .bind(scope)
                .bind(overdue.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, RiskSheetRecord>(SHEET_LIST)
                .bind(scope)
                .bind(overdue.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    pub async fn risk_sheet_reviews(&self, id: i64) -> Result<Vec<RiskReviewRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(REVIEWS).bind(id).fetch_all(pool).await?))
    }

    // --------------------------------------------------------------- prevention actions

    pub async fn create_prevention_action(
        &self,
        ctx: &AuditContext,
        input: &PreventionActionInput,
        at: i64,
    ) -> Result<PreventionActionRecord> {
        write_tx!(self, tx => {
            exists_in!(tx, SHEET_EXISTS, input.risk_sheet_id, "prv_risk_sheet");
            exists_in!(tx, INCIDENT_EXISTS, input.incident_id, "prv_incident");
            exists_in!(tx, MEETING_EXISTS, input.meeting_id, "prv_meeting");
            let (id,): (i64,) = sqlx::query_as(ACTION_INSERT)
                .bind(&input.title)
                .bind(input.origin.code())
                .bind(input.plan.code())
                .bind(input.risk_sheet_id)
                .bind(input.incident_id)
                .bind(input.meeting_id)
                .bind(&input.owner)
                .bind(input.due_on.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, PreventionActionRecord, ACTION_GET, id);
            audit!(tx, ctx, "prevention-action.create", "prevention_action", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Moves a prevention action (start, complete, cancel) on the day `on`.
    pub async fn change_prevention_action(
        &self,
        ctx: &AuditContext,
        id: i64,
        event: ActionEvent,
        on: Date,
        at: i64,
    ) -> Result<PreventionActionRecord> {
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, PreventionActionRecord, ACTION_GET, id);
            let from = ActionStatus::parse(&before.status)
                .ok_or_else(|| corrupt("action status", &before.status))?;
            let to = from
                .apply(event)
                .map_err(|_| StoreError::Conflict(REFUSED_ACTION_STATUS))?;
            let on_text = on.to_string();
            let (started, ended) = action_dates(to, &on_text);
            let done = sqlx::query(ACTION_STATUS)
                .bind(to.code())
                .bind(started)
                .bind(ended)
                .bind(at)
                .bind(id)
                .bind(from.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_ACTION_STATUS));
            }
            let after = fetch_one_in!(tx, PreventionActionRecord, ACTION_GET, id);
            audit!(tx, ctx, "prevention-action.status", "prevention_action", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn prevention_action(&self, id: i64) -> Result<PreventionActionRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, PreventionActionRecord>(ACTION_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Prevention actions, open first, by due date.
    pub async fn prevention_actions(
        &self,
        filter: &ActionFilter,
        page: PageRequest,
    ) -> Result<Page<PreventionActionRecord>> {
        let status = filter.status.as_deref().filter(|s| !s.is_empty());
        let kind = filter.kind.as_deref().filter(|s| !s.is_empty());
        let due_by = filter.due_by.map(|d| d.to_string());
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(ACTION_COUNT)
                .bind(status)
                .bind(kind)
                .bind(filter.meeting_id)
                .bind(due_by.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, PreventionActionRecord>(ACTION_LIST)
                .bind(status)
                .bind(kind)
                .bind(filter.meeting_id)
                .bind(due_by.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ----------------------------------------------------------------- the committee

    pub async fn record_committee_meeting(
        &self,
        ctx: &AuditContext,
        input: &MeetingInput,
        at: i64,
    ) -> Result<MeetingRecord> {
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(MEETING_INSERT)
                .bind(input.held_on.to_string())
                .bind(&input.present)
                .bind(&input.agenda)
                .bind(input.minutes.as_deref())
                .bind(input.decisions.as_deref())
                .bind(ctx.actor_account_id)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, MeetingRecord, MEETING_GET, id);
            audit!(tx, ctx, "prevention-meeting.record", "prevention_meeting", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn committee_meeting(&self, id: i64) -> Result<MeetingRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, MeetingRecord>(MEETING_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn committee_meetings(&self, page: PageRequest) -> Result<Page<MeetingRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(MEETING_COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, MeetingRecord>(MEETING_LIST)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ---------------------------------------------------------- health surveillance

    pub async fn plan_health_check(
        &self,
        ctx: &AuditContext,
        input: &HealthCheckInput,
        at: i64,
    ) -> Result<HealthCheckRecord> {
        write_tx!(self, tx => {
            exists_in!(tx, PERSON_EXISTS, Some(input.person_id), "prv_person");
            let (id,): (i64,) = sqlx::query_as(CHECK_INSERT)
                .bind(input.person_id)
                .bind(input.kind.code())
                .bind(input.due_on.to_string())
                .bind(&input.service)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, HealthCheckRecord, CHECK_GET, id);
            // Who is examined and when, not why: the audit keeps ids, kind and dates.
            let trace = serde_json::json!({ "id": id, "person_id": after.person_id, "kind": after.kind, "due_on": after.due_on });
            audit!(tx, ctx, "prevention-health-check.plan", "prevention_health_check", Some(id), None::<&()>, Some(&trace));
            Ok(after)
        })
    }

    pub async fn complete_health_check(
        &self,
        ctx: &AuditContext,
        id: i64,
        done_on: Date,
        at: i64,
    ) -> Result<HealthCheckRecord> {
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, HealthCheckRecord, CHECK_GET, id);
            let done = sqlx::query(CHECK_DONE)
                .bind(done_on.to_string())
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_DONE));
            }
            let after = fetch_one_in!(tx, HealthCheckRecord, CHECK_GET, id);
            let trace = |h: &HealthCheckRecord| serde_json::json!({ "id": h.id, "person_id": h.person_id, "kind": h.kind, "due_on": h.due_on, "done_on": h.done_on });
            audit!(tx, ctx, "prevention-health-check.done", "prevention_health_check", Some(id), Some(&trace(&before)), Some(&trace(&after)));
            Ok(after)
        })
    }

    /// Health checks, those to do first by due date; `pending`: not done yet; `overdue_on`:
    /// not done and due before that day.
    pub async fn health_checks(
        &self,
        pending: bool,
        overdue_on: Option<Date>,
        page: PageRequest,
    ) -> Result<Page<HealthCheckRecord>> {
        let overdue = overdue_on.map(|d| d.to_string());
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(CHECK_COUNT)
                .bind(pending)
                .bind(overdue.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, HealthCheckRecord>(CHECK_LIST)
                .bind(pending)
                .bind(overdue.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // --------------------------------------------------------------- diversity plan

    pub async fn create_diversity_action(
        &self,
        ctx: &AuditContext,
        input: &DiversityActionInput,
        at: i64,
    ) -> Result<DiversityActionRecord> {
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(DIVERSITY_INSERT)
                .bind(&input.title)
                .bind(input.axis.code())
                .bind(&input.owner)
                .bind(&input.target)
                .bind(input.due_on.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, DiversityActionRecord, DIVERSITY_GET, id);
            audit!(tx, ctx, "diversity-action.create", "diversity_action", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Moves a diversity action on the day `on`, with the result reached when given.
    pub async fn change_diversity_action(
        &self,
        ctx: &AuditContext,
        id: i64,
        event: ActionEvent,
        on: Date,
        result: Option<&str>,
        at: i64,
    ) -> Result<DiversityActionRecord> {
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, DiversityActionRecord, DIVERSITY_GET, id);
            let from = ActionStatus::parse(&before.status)
                .ok_or_else(|| corrupt("action status", &before.status))?;
            let to = from
                .apply(event)
                .map_err(|_| StoreError::Conflict(REFUSED_ACTION_STATUS))?;
            let on_text = on.to_string();
            let (started, ended) = action_dates(to, &on_text);
            let done = sqlx::query(DIVERSITY_STATUS)
                .bind(to.code())
                .bind(started)
                .bind(ended)
                .bind(result)
                .bind(at)
                .bind(id)
                .bind(from.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_ACTION_STATUS));
            }
            let after = fetch_one_in!(tx, DiversityActionRecord, DIVERSITY_GET, id);
            audit!(tx, ctx, "diversity-action.status", "diversity_action", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn diversity_action(&self, id: i64) -> Result<DiversityActionRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, DiversityActionRecord>(DIVERSITY_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The diversity plan's actions: in progress first, then planned, done, cancelled.
    /// `filter.kind` is an axis.
    pub async fn diversity_actions(
        &self,
        filter: &ActionFilter,
        page: PageRequest,
    ) -> Result<Page<DiversityActionRecord>> {
        let status = filter.status.as_deref().filter(|s| !s.is_empty());
        let axis = filter.kind.as_deref().filter(|s| !s.is_empty());
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(DIVERSITY_COUNT)
                .bind(status)
                .bind(axis)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, DiversityActionRecord>(DIVERSITY_LIST)
                .bind(status)
                .bind(axis)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // -------------------------------------------------------------------- the views

    /// The people an entry or a health check may name: persons with an account (staff and
    /// members), `(id, "Last First")`.
    pub async fn prevention_people(&self) -> Result<Vec<(i64, String)>> {
        let rows: Vec<(i64, String, String)> =
            with_db!(self, pool => sqlx::query_as(PEOPLE).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, last, first)| (id, format!("{last} {first}")))
            .collect())
    }

    /// The prevention adviser's dashboard on `today`.
    pub async fn prevention_dashboard(&self, today: Date) -> Result<PreventionDashboard> {
        let open = self
            .incidents(
                &IncidentFilter {
                    status: Some(IncidentStatus::Open),
                    ..IncidentFilter::default()
                },
                PageRequest::new(1, 1),
            )
            .await?
            .total;
        let undeclared = self
            .incidents(
                &IncidentFilter {
                    undeclared: true,
                    ..IncidentFilter::default()
                },
                PageRequest::new(1, PageRequest::MAX_PER_PAGE),
            )
            .await?;
        let mut overdue_declarations = Vec::new();
        let mut due_declarations = Vec::new();
        for i in undeclared.items {
            match i.declaration(today)? {
                Declaration::Overdue { .. } => overdue_declarations.push(i),
                Declaration::Due { .. } => due_declarations.push(i),
                _ => {}
            }
        }
        let overdue_reviews = self
            .risk_sheets(None, Some(today), PageRequest::new(1, 50))
            .await?
            .items;
        let overdue_checks = self
            .health_checks(true, Some(today), PageRequest::new(1, 50))
            .await?
            .items;
        let soon = today
            .checked_add(jiff::Span::new().days(30))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let actions_due = self
            .prevention_actions(
                &ActionFilter {
                    status: Some("open".into()),
                    due_by: Some(soon),
                    ..ActionFilter::default()
                },
                PageRequest::new(1, 50),
            )
            .await?
            .items;
        let year_ago = today
            .checked_sub(jiff::Span::new().years(1))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let days: Vec<(String,)> = with_db!(self, pool => {
            sqlx::query_as(MEETING_DAYS)
                .bind(year_ago.to_string())
                .bind(today.to_string())
                .fetch_all(pool)
                .await?
        });
        let meetings_held = days.iter().map(|(d,)| day(d)).collect::<Result<Vec<_>>>()?;
        Ok(PreventionDashboard {
            open_incidents: open,
            overdue_declarations,
            due_declarations,
            overdue_reviews,
            overdue_checks,
            actions_due,
            meetings_held,
        })
    }

    /// The Prevention section of the year's figures (docs/figures.md): counted from the rows,
    /// never typed in. Declared late: accidents of the year declared after their deadline
    /// (the domain's dated rule, applied to each row).
    pub(crate) async fn prevention_figures(&self, year: i16) -> Result<SectionFigures> {
        let (from, to) = year_bounds(year)?;
        let count = |sql: &'static str| {
            let (from, to) = (from.clone(), to.clone());
            async move {
                let (n,): (i64,) = with_db!(self, pool => {
                    sqlx::query_as(sql).bind(&from).bind(&to).fetch_one(pool).await?
                });
                Ok::<i64, StoreError>(n)
            }
        };
        let (incidents, accidents, days_lost): (i64, i64, i64) = with_db!(self, pool => {
            sqlx::query_as(YEAR_INCIDENTS).bind(&from).bind(&to).fetch_one(pool).await?
        });
        let declared: Vec<(String, String, String, String)> = with_db!(self, pool => {
            sqlx::query_as(YEAR_DECLARED).bind(&from).bind(&to).fetch_all(pool).await?
        });
        let mut late = 0;
        for (nature, severity, occurred, declared_on) in declared.iter().take(MAX_ROWS as usize) {
            let n = IncidentNature::parse(nature).ok_or_else(|| corrupt("nature", nature))?;
            let s = Severity::parse(severity).ok_or_else(|| corrupt("severity", severity))?;
            let d = declaration(
                n,
                s,
                day(occurred)?,
                Some(day(declared_on)?),
                day(declared_on)?,
            );
            if matches!(d, Declaration::Late { .. }) {
                late += 1;
            }
        }
        let actions_done = count(YEAR_ACTIONS_DONE).await?;
        let meetings = count(YEAR_MEETINGS).await?;
        let checks = count(YEAR_CHECKS).await?;
        let reviewed = count(YEAR_REVIEWED).await?;
        let diversity_done = count(YEAR_DIVERSITY_DONE).await?;
        let (running,): (i64,) = with_db!(self, pool => {
            sqlx::query_as(YEAR_DIVERSITY_RUNNING).bind(&to).fetch_one(pool).await?
        });
        let fig = |key: &'static str, n: i64, link: &str| Figure {
            key,
            value: FigureValue::Count(n),
            link: Some(link.to_string()),
            parts: Vec::new(),
        };
        let register = format!("/prevention/incidents?year={year}");
        let figures = vec![
            fig("prevention-incidents", incidents, &register),
            fig("prevention-work-accidents", accidents, &register),
            fig("prevention-days-lost", days_lost, &register),
            fig("prevention-declared-late", late, &register),
            fig(
                "prevention-actions-done",
                actions_done,
                "/prevention/actions?status=done",
            ),
            fig(
                "prevention-committee-meetings",
                meetings,
                "/prevention/committee",
            ),
            fig(
                "prevention-health-checks-done",
                checks,
                "/prevention/health",
            ),
            fig(
                "prevention-risk-sheets-reviewed",
                reviewed,
                "/prevention/risks",
            ),
            fig(
                "diversity-actions-done",
                diversity_done,
                "/prevention/diversity?status=done",
            ),
            fig(
                "diversity-actions-in-progress",
                running,
                "/prevention/diversity?status=in-progress",
            ),
        ];
        debug_assert!(figures.iter().zip(FIGURE_KEYS).all(|(f, k)| f.key == k));
        // A year with nothing but zeros holds no prevention data: never invent a figure.
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Prevention,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}
