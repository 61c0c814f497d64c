//! Jobs: queued and scheduled work with leases.
//!
//! A worker claims a due job by taking a lease (`lease_owner`, `lease_until`). On PostgreSQL
//! the claim skips rows another instance holds (`FOR UPDATE SKIP LOCKED`); on SQLite the
//! claim runs in a `BEGIN IMMEDIATE` transaction, which serialises claimers. A lease that
//! expires (the instance died) makes the job claimable again. A job with a `unique_key` is
//! enqueued at most once, which makes daily runs idempotent.

use serde::Serialize;

use crate::{Db, Page, PageRequest, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub unique_key: Option<String>,
    pub status: String,
    pub run_at: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// A job a worker holds the lease of.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: i64,
    pub unique_key: Option<String>,
    pub max_attempts: i64,
}

impl NewJob {
    pub fn now(kind: &str, payload: serde_json::Value) -> Self {
        Self {
            kind: kind.to_string(),
            payload,
            run_at: now_micros(),
            unique_key: None,
            max_attempts: 8,
        }
    }
}

pub(crate) const INSERT: &str = "INSERT INTO jobs (kind, payload, unique_key, status, run_at, \
    attempts, max_attempts, created_at) VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6) RETURNING id";
pub(crate) const KEY_TAKEN: &str = "SELECT id FROM jobs WHERE unique_key = $1";
const GET: &str = "SELECT id, kind, payload, unique_key, status, run_at, attempts, max_attempts, \
    lease_owner, lease_until, last_error, created_at, finished_at FROM jobs WHERE id = $1";
const LIST: &str = "SELECT id, kind, payload, unique_key, status, run_at, attempts, max_attempts, \
    lease_owner, lease_until, last_error, created_at, finished_at FROM jobs \
    ORDER BY id DESC LIMIT $1 OFFSET $2";
const COUNT: &str = "SELECT COUNT(*) FROM jobs";
const CLAIM_PG: &str = "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $2, \
    attempts = attempts + 1 WHERE id = (SELECT id FROM jobs \
    WHERE (status = 'queued' AND run_at <= $3) OR (status = 'running' AND lease_until < $3) \
    ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
    RETURNING id, kind, payload, attempts, max_attempts";
const CLAIM_SQLITE: &str = "UPDATE jobs SET status = 'running', lease_owner = $1, \
    lease_until = $2, attempts = attempts + 1 WHERE id = (SELECT id FROM jobs \
    WHERE (status = 'queued' AND run_at <= $3) OR (status = 'running' AND lease_until < $3) \
    ORDER BY run_at, id LIMIT 1) \
    RETURNING id, kind, payload, attempts, max_attempts";
const COMPLETE: &str = "UPDATE jobs SET status = 'done', finished_at = $1, lease_owner = NULL, \
    lease_until = NULL, last_error = NULL WHERE id = $2 AND lease_owner = $3 AND status = 'running'";
const RETRY: &str = "UPDATE jobs SET status = 'queued', run_at = $1, lease_owner = NULL, \
    lease_until = NULL, last_error = $2 WHERE id = $3 AND lease_owner = $4 AND status = 'running'";
const FAIL: &str = "UPDATE jobs SET status = 'failed', finished_at = $1, lease_owner = NULL, \
    lease_until = NULL, last_error = $2 WHERE id = $3 AND lease_owner = $4 AND status = 'running'";

/// Enqueues a job inside the transaction `$tx`; evaluates to `Some(id)`, or `None` when a
/// job with the same unique key exists.
macro_rules! enqueue_in {
    ($tx:ident, $job:expr) => {{
        let job: &$crate::jobs::NewJob = $job;
        let exists: Option<(i64,)> = match &job.unique_key {
            Some(key) => {
                sqlx::query_as($crate::jobs::KEY_TAKEN)
                    .bind(key)
                    .fetch_optional(&mut *$tx)
                    .await?
            }
            None => None,
        };
        match exists {
            Some(_) => None,
            None => {
                let (id,): (i64,) = sqlx::query_as($crate::jobs::INSERT)
                    .bind(&job.kind)
                    .bind(job.payload.to_string())
                    .bind(job.unique_key.as_deref())
                    .bind(job.run_at)
                    .bind(job.max_attempts)
                    .bind($crate::now_micros())
                    .fetch_one(&mut *$tx)
                    .await?;
                Some(id)
            }
        }
    }};
}
pub(crate) use enqueue_in;

impl Store {
    /// Enqueues a job; `None` when its unique key was enqueued before.
    pub async fn enqueue_job(&self, job: &NewJob) -> Result<Option<i64>> {
        write_tx!(self, tx => {
            Ok(enqueue_in!(tx, job))
        })
    }

    pub async fn job(&self, id: i64) -> Result<JobRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, JobRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn jobs(&self, page: PageRequest) -> Result<Page<JobRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, JobRecord>(LIST)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Takes the lease of the next due job, if any.
    pub async fn claim_job(&self, owner: &str, lease_micros: i64) -> Result<Option<ClaimedJob>> {
        let now = now_micros();
        match &self.db {
            Db::Postgres(pool) => Ok(sqlx::query_as::<_, ClaimedJob>(CLAIM_PG)
                .bind(owner)
                .bind(now + lease_micros)
                .bind(now)
                .fetch_optional(pool)
                .await?),
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let job = sqlx::query_as::<_, ClaimedJob>(CLAIM_SQLITE)
                    .bind(owner)
                    .bind(now + lease_micros)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(job)
            }
        }
    }

    /// Marks a job done. Refused when the lease was lost (another worker took it over).
    pub async fn complete_job(&self, id: i64, owner: &str) -> Result<()> {
        with_db!(self, pool => {
            let done = sqlx::query(COMPLETE).bind(now_micros()).bind(id).bind(owner).execute(pool).await?;
            if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::Conflict("lease lost")) }
        })
    }

    /// Records a failure: the job runs again at `retry_at`, or fails for good with `None`.
    pub async fn fail_job(
        &self,
        id: i64,
        owner: &str,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<()> {
        with_db!(self, pool => {
            let done = match retry_at {
                Some(at) => sqlx::query(RETRY).bind(at).bind(error).bind(id).bind(owner).execute(pool).await?,
                None => sqlx::query(FAIL).bind(now_micros()).bind(error).bind(id).bind(owner).execute(pool).await?,
            };
            if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::Conflict("lease lost")) }
        })
    }
}
