//! Activities and their holders.

use ruche_domain::activity::{Activity, ActivityEvent, ActivityStatus};
use serde::Serialize;

use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ActivityRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub sector: String,
    pub office_id: i64,
    pub status: String,
    pub contribution_rate_bp: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ActivityRecord {
    pub fn status(&self) -> Result<ActivityStatus> {
        ActivityStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("activity status {}", self.status)))
    }
}

/// One holder of an activity, with what the pages show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Holder {
    pub person_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub added_at: i64,
}

/// Filters of the activities list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub search: Option<String>,
    pub status: Option<ActivityStatus>,
    /// Only activities of these offices (an advisor's view).
    pub offices: Option<Vec<i64>>,
    /// Only the activities this person holds (a member's view).
    pub holder: Option<i64>,
}

pub(crate) const GET: &str = "SELECT id, name, description, sector, office_id, status, \
    contribution_rate_bp, created_by, created_at, updated_at FROM activities WHERE id = $1";

macro_rules! activity_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR LOWER(a.name) LIKE $1) \
          AND (CAST($2 AS TEXT) IS NULL OR a.status = $2) \
          AND (CAST($3 AS TEXT) IS NULL OR $3 LIKE '%,' || CAST(a.office_id AS TEXT) || ',%') \
          AND (CAST($4 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM activity_holders h \
               WHERE h.activity_id = a.id AND h.person_id = $4))"
    };
}

const LIST: &str = concat!(
    "SELECT a.id, a.name, a.description, a.sector, a.office_id, a.status, \
     a.contribution_rate_bp, a.created_by, a.created_at, a.updated_at FROM activities a",
    activity_where!(),
    " ORDER BY a.name, a.id LIMIT $5 OFFSET $6"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM activities a", activity_where!());
// A holder's activities are read from their holder rows (`activity_holders_by_person`), not
// by testing every activity: the generic filter above can only scan (41 ms for a member's
// dashboard on the reference year's 20,077 activities).
const LIST_OF_HOLDER: &str = concat!(
    "SELECT a.id, a.name, a.description, a.sector, a.office_id, a.status, \
     a.contribution_rate_bp, a.created_by, a.created_at, a.updated_at \
     FROM activity_holders hh JOIN activities a ON a.id = hh.activity_id",
    activity_where!(),
    " AND hh.person_id = $4 ORDER BY a.name, a.id LIMIT $5 OFFSET $6"
);
const COUNT_OF_HOLDER: &str = concat!(
    "SELECT COUNT(*) FROM activity_holders hh JOIN activities a ON a.id = hh.activity_id",
    activity_where!(),
    " AND hh.person_id = $4"
);
const INSERT: &str = "INSERT INTO activities (name, description, sector, office_id, status, \
    contribution_rate_bp, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, 'proposed', NULL, $5, $6, $6) RETURNING id";
const UPDATE: &str = "UPDATE activities SET name = $1, description = $2, sector = $3, \
    office_id = $4, updated_at = $5 WHERE id = $6";
const SET_STATUS: &str =
    "UPDATE activities SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4";
const SET_RATE: &str =
    "UPDATE activities SET contribution_rate_bp = $1, updated_at = $2 WHERE id = $3";
const OFFICE_EXISTS: &str = "SELECT id FROM offices WHERE id = $1";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";
const HOLDERS: &str = "SELECT p.id AS person_id, p.first_name, p.last_name, p.email, h.added_at \
    FROM activity_holders h JOIN persons p ON p.id = h.person_id WHERE h.activity_id = $1 \
    ORDER BY p.last_name, p.first_name LIMIT 100";
const IS_HOLDER: &str =
    "SELECT person_id FROM activity_holders WHERE activity_id = $1 AND person_id = $2";
const ADD_HOLDER: &str =
    "INSERT INTO activity_holders (activity_id, person_id, added_at) VALUES ($1, $2, $3)";
const REMOVE_HOLDER: &str =
    "DELETE FROM activity_holders WHERE activity_id = $1 AND person_id = $2";
const HOLDER_COUNT: &str = "SELECT COUNT(*) FROM activity_holders WHERE activity_id = $1";

impl Store {
    pub async fn activity(&self, id: i64) -> Result<ActivityRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ActivityRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn activities(
        &self,
        filter: &ActivityFilter,
        page: PageRequest,
    ) -> Result<Page<ActivityRecord>> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        let status = filter.status.map(ActivityStatus::code);
        let offices = filter.offices.as_ref().map(|ids| {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(",{},", list.join(","))
        });
        let (count_sql, list_sql) = match filter.holder {
            Some(_) => (COUNT_OF_HOLDER, LIST_OF_HOLDER),
            None => (COUNT, LIST),
        };
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(count_sql)
                .bind(search.as_deref())
                .bind(status)
                .bind(offices.as_deref())
                .bind(filter.holder)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, ActivityRecord>(list_sql)
                .bind(search.as_deref())
                .bind(status)
                .bind(offices.as_deref())
                .bind(filter.holder)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// A member proposes an activity; they become its first holder.
    pub async fn propose_activity(
        &self,
        ctx: &AuditContext,
        activity: &Activity,
        holder_person_id: i64,
    ) -> Result<ActivityRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let office: Option<(i64,)> =
                sqlx::query_as(OFFICE_EXISTS).bind(activity.office_id).fetch_optional(&mut *tx).await?;
            if office.is_none() {
                return Err(StoreError::NotFound);
            }
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(&activity.name)
                .bind(&activity.description)
                .bind(activity.sector.code())
                .bind(activity.office_id)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(ADD_HOLDER).bind(id).bind(holder_person_id).bind(now).execute(&mut *tx).await?;
            let after = sqlx::query_as::<_, ActivityRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "create", "activity", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn update_activity(
        &self,
        ctx: &AuditContext,
        id: i64,
        activity: &Activity,
    ) -> Result<ActivityRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ActivityRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query(UPDATE)
                .bind(&activity.name)
                .bind(&activity.description)
                .bind(activity.sector.code())
                .bind(activity.office_id)
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, ActivityRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "update", "activity", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Applies an advisor's decision (validate, suspend, resume, close). Refused when the
    /// activity's status does not allow it, also when another change came first.
    pub async fn change_activity_status(
        &self,
        ctx: &AuditContext,
        id: i64,
        event: ActivityEvent,
    ) -> Result<ActivityRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ActivityRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let from = before.status()?;
            let to = from.apply(event).map_err(|_| StoreError::Conflict("activity-status"))?;
            let done = sqlx::query(SET_STATUS)
                .bind(to.code())
                .bind(now_micros())
                .bind(id)
                .bind(from.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict("activity-status"));
            }
            let after = sqlx::query_as::<_, ActivityRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, event.code(), "activity", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Sets (or, with `None`, removes) the activity's own contribution rate.
    pub async fn set_activity_contribution_rate(
        &self,
        ctx: &AuditContext,
        id: i64,
        rate_bp: Option<u32>,
    ) -> Result<ActivityRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ActivityRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query(SET_RATE)
                .bind(rate_bp.map(i64::from))
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, ActivityRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "update", "activity", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn activity_holders(&self, activity_id: i64) -> Result<Vec<Holder>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, Holder>(HOLDERS).bind(activity_id).fetch_all(pool).await?)
        })
    }

    pub async fn holds_activity(&self, activity_id: i64, person_id: i64) -> Result<bool> {
        with_db!(self, pool => {
            let row: Option<(i64,)> = sqlx::query_as(IS_HOLDER)
                .bind(activity_id)
                .bind(person_id)
                .fetch_optional(pool)
                .await?;
            Ok(row.is_some())
        })
    }

    /// Several members can hold one activity.
    pub async fn add_activity_holder(
        &self,
        ctx: &AuditContext,
        activity_id: i64,
        person_id: i64,
    ) -> Result<()> {
        write_tx!(self, tx => {
            let person: Option<(i64,)> =
                sqlx::query_as(PERSON_EXISTS).bind(person_id).fetch_optional(&mut *tx).await?;
            if person.is_none() {
                return Err(StoreError::NotFound);
            }
            let already: Option<(i64,)> = sqlx::query_as(IS_HOLDER)
                .bind(activity_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if already.is_some() {
                return Err(StoreError::Duplicate { field: "holder" });
            }
            sqlx::query(ADD_HOLDER).bind(activity_id).bind(person_id).bind(now_micros()).execute(&mut *tx).await?;
            let after = serde_json::json!({ "holder_person_id": person_id });
            audit!(tx, ctx, "add-holder", "activity", Some(activity_id), None::<&()>, Some(&after));
            Ok(())
        })
    }

    /// Removes a holder; the last holder stays (an activity always has one).
    pub async fn remove_activity_holder(
        &self,
        ctx: &AuditContext,
        activity_id: i64,
        person_id: i64,
    ) -> Result<()> {
        write_tx!(self, tx => {
            let (count,): (i64,) =
                sqlx::query_as(HOLDER_COUNT).bind(activity_id).fetch_one(&mut *tx).await?;
            if count <= 1 {
                return Err(StoreError::Conflict("last-holder"));
            }
            let done = sqlx::query(REMOVE_HOLDER).bind(activity_id).bind(person_id).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let before = serde_json::json!({ "holder_person_id": person_id });
            audit!(tx, ctx, "remove-holder", "activity", Some(activity_id), Some(&before), None::<&()>);
            Ok(())
        })
    }
}
