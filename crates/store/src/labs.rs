//! The labs (C13): member-led groups, their members and coordinators, meetings and outputs;
//! and the labs' part of the Participation figures ([`Store::labs_year`]).
//!
//! Joining, leaving and naming coordinators lock the lab's row first, so that "a running
//! lab keeps a coordinator" holds when two coordinators leave at once.

use jiff::civil::Date;
use ruche_domain::labs::{self, LabEvent, LabModel, LabStatus, NewLab, NewMeeting, NewOutput};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

const MAX_ROWS: i64 = 10_000;

fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

/// A lab with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LabRecord {
    pub id: i64,
    pub name: String,
    pub theme: String,
    pub model: String,
    pub description: String,
    pub status: String,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Current members (coordinators included).
    pub members: i64,
    pub coordinators: i64,
    pub meetings: i64,
    pub outputs: i64,
}

impl LabRecord {
    pub fn status(&self) -> Result<LabStatus> {
        LabStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("lab status {}", self.status)))
    }
}

/// A current member of a lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LabMemberRecord {
    pub id: i64,
    pub lab_id: i64,
    pub person_id: i64,
    pub name: String,
    pub coordinator: bool,
    pub joined_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LabMeetingRecord {
    pub id: i64,
    pub lab_id: i64,
    pub held_on: String,
    pub place: Option<String>,
    pub online: bool,
    pub notes: String,
    pub present_count: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LabOutputRecord {
    pub id: i64,
    pub lab_id: i64,
    pub title: String,
    pub kind: String,
    pub produced_on: String,
    pub link: Option<String>,
    pub created_at: i64,
}

/// Filters of the list of labs; `None` means "any".
#[derive(Debug, Clone, Copy, Default)]
pub struct LabFilter {
    pub status: Option<LabStatus>,
    pub model: Option<LabModel>,
    /// The labs this person is a current member of.
    pub person_id: Option<i64>,
}

/// The labs' year in figures: labs that ran in the year, their distinct members in the
/// year, meetings held and outputs produced in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LabsYear {
    pub active: i64,
    pub members: i64,
    pub meetings: i64,
    pub outputs: i64,
}

macro_rules! lab_select {
    () => {
        "SELECT l.id, l.name, l.theme, l.model, l.description, l.status, l.started_on, \
         l.ended_on, l.created_at, l.updated_at, \
         CAST((SELECT COUNT(*) FROM lab_members m WHERE m.lab_id = l.id AND m.left_on IS NULL) \
              AS BIGINT) AS members, \
         CAST((SELECT COUNT(*) FROM lab_members m WHERE m.lab_id = l.id AND m.left_on IS NULL \
               AND m.coordinator) AS BIGINT) AS coordinators, \
         CAST((SELECT COUNT(*) FROM lab_meetings g WHERE g.lab_id = l.id) AS BIGINT) AS meetings, \
         CAST((SELECT COUNT(*) FROM lab_outputs o WHERE o.lab_id = l.id) AS BIGINT) AS outputs \
         FROM labs l"
    };
}

macro_rules! lab_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR l.status = $1) \
          AND (CAST($2 AS TEXT) IS NULL OR l.model = $2) \
          AND (CAST($3 AS BIGINT) IS NULL OR l.id IN (SELECT m.lab_id FROM lab_members m \
               WHERE m.person_id = $3 AND m.left_on IS NULL))"
    };
}

const LAB_GET: &str = concat!(lab_select!(), " WHERE l.id = $1");
// Running labs first, then by name.
const LAB_LIST: &str = concat!(
    lab_select!(),
    lab_where!(),
    " ORDER BY CASE l.status WHEN 'active' THEN 0 WHEN 'proposed' THEN 1 WHEN 'paused' THEN 2 \
      ELSE 3 END, l.name, l.id LIMIT $4 OFFSET $5"
);
const LAB_COUNT: &str = concat!("SELECT COUNT(*) FROM labs l", lab_where!());
const LAB_NAME_TAKEN: &str = "SELECT id FROM labs WHERE lower(name) = lower($1)";
const LAB_INSERT: &str = "INSERT INTO labs (name, theme, model, description, status, \
    started_on, ended_on, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $8) RETURNING id";
const LOCK_LAB: &str = "UPDATE labs SET updated_at = updated_at WHERE id = $1";
const LAB_SET_STATUS: &str = "UPDATE labs SET status = $1, started_on = $2, ended_on = $3, \
    updated_at = $4 WHERE id = $5 AND status = $6";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";
const MEMBER_INSERT: &str = "INSERT INTO lab_members (lab_id, person_id, coordinator, \
    joined_on, left_on, created_at, updated_at) VALUES ($1, $2, $3, $4, NULL, $5, $5) RETURNING id";
const MEMBER_CURRENT: &str = "SELECT m.id, m.lab_id, m.person_id, \
    p.first_name || ' ' || p.last_name AS name, m.coordinator, m.joined_on \
    FROM lab_members m JOIN persons p ON p.id = m.person_id \
    WHERE m.lab_id = $1 AND m.person_id = $2 AND m.left_on IS NULL";
const MEMBERS: &str = "SELECT m.id, m.lab_id, m.person_id, \
    p.first_name || ' ' || p.last_name AS name, m.coordinator, m.joined_on \
    FROM lab_members m JOIN persons p ON p.id = m.person_id \
    WHERE m.lab_id = $1 AND m.left_on IS NULL \
    ORDER BY CASE WHEN m.coordinator THEN 0 ELSE 1 END, p.last_name, p.first_name LIMIT $2";
const MEMBER_LEAVE: &str =
    "UPDATE lab_members SET left_on = $1, updated_at = $2 WHERE id = $3 AND left_on IS NULL";
const MEMBER_COORDINATE: &str =
    "UPDATE lab_members SET coordinator = $1, updated_at = $2 WHERE id = $3";
const MEETING_INSERT: &str = "INSERT INTO lab_meetings (lab_id, held_on, place, online, notes, \
    present_count, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const MEETINGS: &str = "SELECT id, lab_id, held_on, place, online, notes, present_count, \
    created_at FROM lab_meetings WHERE lab_id = $1 ORDER BY held_on DESC, id DESC LIMIT $2";
const MEETING_GET: &str = "SELECT id, lab_id, held_on, place, online, notes, present_count, \
    created_at FROM lab_meetings WHERE id = $1";
const OUTPUT_INSERT: &str = "INSERT INTO lab_outputs (lab_id, title, kind, produced_on, link, \
    recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const OUTPUTS: &str = "SELECT id, lab_id, title, kind, produced_on, link, created_at \
    FROM lab_outputs WHERE lab_id = $1 ORDER BY produced_on DESC, id DESC LIMIT $2";
const OUTPUT_GET: &str = "SELECT id, lab_id, title, kind, produced_on, link, created_at \
    FROM lab_outputs WHERE id = $1";

// A lab ran in [$1, $2) when it started before the end and had not ended before the start
// (ruche_domain::labs::active_in).
const YEAR_ACTIVE: &str = "SELECT COUNT(*) FROM labs l WHERE l.status <> 'proposed' \
    AND l.started_on IS NOT NULL AND l.started_on < $2 \
    AND (l.ended_on IS NULL OR l.ended_on >= $1)";
const YEAR_MEMBERS: &str = "SELECT COUNT(DISTINCT m.person_id) FROM lab_members m \
    JOIN labs l ON l.id = m.lab_id WHERE l.status <> 'proposed' \
    AND l.started_on IS NOT NULL AND l.started_on < $2 \
    AND (l.ended_on IS NULL OR l.ended_on >= $1) \
    AND m.joined_on < $2 AND (m.left_on IS NULL OR m.left_on >= $1)";
const YEAR_MEETINGS: &str =
    "SELECT COUNT(*) FROM lab_meetings WHERE held_on >= $1 AND held_on < $2";
const YEAR_OUTPUTS: &str =
    "SELECT COUNT(*) FROM lab_outputs WHERE produced_on >= $1 AND produced_on < $2";

macro_rules! lab_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, LabRecord>(LAB_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

macro_rules! lock_lab_in {
    ($tx:ident, $id:expr) => {{
        let locked = sqlx::query(LOCK_LAB).bind($id).execute(&mut *$tx).await?;
        if locked.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
    }};
}

impl Store {
    /// Creates a lab (proposed, or active since its start day) with its first coordinator,
    /// who joins on the start day (or `today` for a proposal).
    pub async fn create_lab(
        &self,
        ctx: &AuditContext,
        new: &NewLab,
        today: Date,
    ) -> Result<LabRecord> {
        let now = crate::now_micros();
        let status = if new.started_on.is_some() {
            LabStatus::Active
        } else {
            LabStatus::Proposed
        };
        write_tx!(self, tx => {
            let taken: Option<(i64,)> = sqlx::query_as(LAB_NAME_TAKEN)
                .bind(&new.name)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate { field: "labs_name" });
            }
            let person: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                .bind(new.coordinator_person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if person.is_none() {
                return Err(refused("labs_coordinator", "labs-coordinator"));
            }
            let (id,): (i64,) = sqlx::query_as(LAB_INSERT)
                .bind(&new.name)
                .bind(&new.theme)
                .bind(new.model.code())
                .bind(&new.description)
                .bind(status.code())
                .bind(new.started_on.map(|d| d.to_string()))
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let joined = new.started_on.unwrap_or(today).to_string();
            sqlx::query_as::<_, (i64,)>(MEMBER_INSERT)
                .bind(id)
                .bind(new.coordinator_person_id)
                .bind(true)
                .bind(&joined)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = lab_in!(tx, id);
            audit!(tx, ctx, "lab.create", "lab", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn lab(&self, id: i64) -> Result<LabRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, LabRecord>(LAB_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of labs: running ones first, then by name.
    pub async fn labs(&self, filter: &LabFilter, page: PageRequest) -> Result<Page<LabRecord>> {
        let status = filter.status.map(LabStatus::code);
        let model = filter.model.map(LabModel::code);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(LAB_COUNT)
                .bind(status)
                .bind(model)
                .bind(filter.person_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, LabRecord>(LAB_LIST)
                .bind(status)
                .bind(model)
                .bind(filter.person_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The current members, coordinators first.
    pub async fn lab_members(&self, lab_id: i64) -> Result<Vec<LabMemberRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(MEMBERS).bind(lab_id).bind(MAX_ROWS).fetch_all(pool).await?))
    }

    /// A person's current membership of a lab.
    pub async fn lab_membership(
        &self,
        lab_id: i64,
        person_id: i64,
    ) -> Result<Option<LabMemberRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(MEMBER_CURRENT)
            .bind(lab_id)
            .bind(person_id)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn lab_meetings(&self, lab_id: i64) -> Result<Vec<LabMeetingRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(MEETINGS).bind(lab_id).bind(MAX_ROWS).fetch_all(pool).await?))
    }

    pub async fn lab_outputs(&self, lab_id: i64) -> Result<Vec<LabOutputRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(OUTPUTS).bind(lab_id).bind(MAX_ROWS).fetch_all(pool).await?))
    }

    /// A person joins an active lab on `today` (once at a time).
    pub async fn join_lab(
        &self,
        ctx: &AuditContext,
        lab_id: i64,
        person_id: i64,
        today: Date,
    ) -> Result<LabMemberRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            lock_lab_in!(tx, lab_id);
            let lab = lab_in!(tx, lab_id);
            if !lab.status()?.takes_members() {
                return Err(refused("labs_lab", labs::REFUSED_NOT_ACTIVE));
            }
            let current: Option<LabMemberRecord> = sqlx::query_as(MEMBER_CURRENT)
                .bind(lab_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if current.is_some() {
                return Err(refused("labs_lab", labs::REFUSED_ALREADY_MEMBER));
            }
            let (id,): (i64,) = sqlx::query_as(MEMBER_INSERT)
                .bind(lab_id)
                .bind(person_id)
                .bind(false)
                .bind(today.to_string())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after: LabMemberRecord = sqlx::query_as(MEMBER_CURRENT)
                .bind(lab_id)
                .bind(person_id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "lab.join", "lab_member", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// A person leaves a lab on `today`; the last coordinator of a running lab may not.
    pub async fn leave_lab(
        &self,
        ctx: &AuditContext,
        lab_id: i64,
        person_id: i64,
        today: Date,
    ) -> Result<()> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            lock_lab_in!(tx, lab_id);
            let lab = lab_in!(tx, lab_id);
            let current: Option<LabMemberRecord> = sqlx::query_as(MEMBER_CURRENT)
                .bind(lab_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(member) = current else {
                return Err(refused("labs_lab", labs::REFUSED_NOT_MEMBER));
            };
            labs::may_leave(member.coordinator, lab.coordinators, lab.status()?)
                .map_err(|code| refused("labs_lab", code))?;
            sqlx::query(MEMBER_LEAVE)
                .bind(today.to_string())
                .bind(now)
                .bind(member.id)
                .execute(&mut *tx)
                .await?;
            audit!(tx, ctx, "lab.leave", "lab_member", Some(member.id), Some(&member), Some(&serde_json::json!({ "left_on": today.to_string() })));
            Ok(())
        })
    }

    /// Names a person coordinator (joining them on `today` when they are not a member), or
    /// withdraws the role (never from the last coordinator of a running lab).
    pub async fn set_lab_coordinator(
        &self,
        ctx: &AuditContext,
        lab_id: i64,
        person_id: i64,
        coordinator: bool,
        today: Date,
    ) -> Result<LabMemberRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            lock_lab_in!(tx, lab_id);
            let lab = lab_in!(tx, lab_id);
            let current: Option<LabMemberRecord> = sqlx::query_as(MEMBER_CURRENT)
                .bind(lab_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            match &current {
                Some(m) => {
                    if m.coordinator && !coordinator {
                        labs::may_leave(true, lab.coordinators, lab.status()?)
                            .map_err(|code| refused("labs_lab", code))?;
                    }
                    sqlx::query(MEMBER_COORDINATE)
                        .bind(coordinator)
                        .bind(now)
                        .bind(m.id)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    let person: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                        .bind(person_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if person.is_none() || lab.status()? == LabStatus::Closed {
                        return Err(refused("labs_coordinator", "labs-coordinator"));
                    }
                    sqlx::query_as::<_, (i64,)>(MEMBER_INSERT)
                        .bind(lab_id)
                        .bind(person_id)
                        .bind(coordinator)
                        .bind(today.to_string())
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                }
            }
            let after: LabMemberRecord = sqlx::query_as(MEMBER_CURRENT)
                .bind(lab_id)
                .bind(person_id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "lab.coordinator", "lab_member", Some(after.id), current.as_ref(), Some(&after));
            Ok(after)
        })
    }

    /// Changes a lab's status (the participation staff): it starts or resumes (its start
    /// day is kept once set), pauses, or closes on `today`.
    pub async fn change_lab_status(
        &self,
        ctx: &AuditContext,
        lab_id: i64,
        event: LabEvent,
        today: Date,
    ) -> Result<LabRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            lock_lab_in!(tx, lab_id);
            let before = lab_in!(tx, lab_id);
            let from = before.status()?;
            let to = from.apply(event).map_err(|code| refused("labs_status", code))?;
            let started_on = match (&before.started_on, to) {
                (Some(s), _) => Some(s.clone()),
                (None, LabStatus::Active) => Some(today.to_string()),
                (None, _) => None,
            };
            let ended_on = (to == LabStatus::Closed).then(|| today.to_string());
            let done = sqlx::query(LAB_SET_STATUS)
                .bind(to.code())
                .bind(started_on)
                .bind(ended_on)
                .bind(now)
                .bind(lab_id)
                .bind(from.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(labs::REFUSED_STATUS));
            }
            let after = lab_in!(tx, lab_id);
            audit!(tx, ctx, "lab.status", "lab", Some(lab_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Records a meeting of a running (or paused) lab.
    pub async fn record_lab_meeting(
        &self,
        ctx: &AuditContext,
        lab_id: i64,
        new: &NewMeeting,
    ) -> Result<LabMeetingRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let lab = lab_in!(tx, lab_id);
            if !lab.status()?.takes_records() {
                return Err(refused("labs_lab", labs::REFUSED_NOT_ACTIVE));
            }
            let (id,): (i64,) = sqlx::query_as(MEETING_INSERT)
                .bind(lab_id)
                .bind(new.held_on.to_string())
                .bind(new.place.as_deref())
                .bind(new.place.is_none())
                .bind(&new.notes)
                .bind(new.present_count)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after: LabMeetingRecord = sqlx::query_as(MEETING_GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "lab.meeting", "lab_meeting", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Records an output of a running (or paused) lab.
    pub async fn record_lab_output(
        &self,
        ctx: &AuditContext,
        lab_id: i64,
        new: &NewOutput,
    ) -> Result<LabOutputRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let lab = lab_in!(tx, lab_id);
            if !lab.status()?.takes_records() {
                return Err(refused("labs_lab", labs::REFUSED_NOT_ACTIVE));
            }
            let (id,): (i64,) = sqlx::query_as(OUTPUT_INSERT)
                .bind(lab_id)
                .bind(&new.title)
                .bind(new.kind.code())
                .bind(new.produced_on.to_string())
                .bind(new.link.as_deref())
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after: LabOutputRecord = sqlx::query_as(OUTPUT_GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "lab.output", "lab_output", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// The labs' year (the Participation section of the figures counts these).
    pub async fn labs_year(&self, year: i16) -> Result<LabsYear> {
        let bad = || StoreError::Refused(FieldErrors::single("year", crate::figures::BAD_YEAR));
        if !(1900..=2998).contains(&year) {
            return Err(bad());
        }
        let from = Date::new(year, 1, 1).map_err(|_| bad())?.to_string();
        let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?.to_string();
        with_db!(self, pool => {
            let (active,): (i64,) = sqlx::query_as(YEAR_ACTIVE).bind(&from).bind(&to).fetch_one(pool).await?;
            let (members,): (i64,) = sqlx::query_as(YEAR_MEMBERS).bind(&from).bind(&to).fetch_one(pool).await?;
            let (meetings,): (i64,) = sqlx::query_as(YEAR_MEETINGS).bind(&from).bind(&to).fetch_one(pool).await?;
            let (outputs,): (i64,) = sqlx::query_as(YEAR_OUTPUTS).bind(&from).bind(&to).fetch_one(pool).await?;
            Ok(LabsYear { active, members, meetings, outputs })
        })
    }
}
