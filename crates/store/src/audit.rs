//! The audit log: every change records who, when, which entity, before and after.

use serde::Serialize;

use crate::{Page, PageRequest, Result, Store};

/// Who is making a change, passed to every writing method.
#[derive(Debug, Clone, Default)]
pub struct AuditContext {
    pub actor_account_id: Option<i64>,
    pub ip: Option<String>,
}

impl AuditContext {
    /// A change made by ruche itself (demo set-up, a command-line tool, a job).
    pub fn system() -> Self {
        Self::default()
    }

    pub fn account(account_id: i64, ip: Option<String>) -> Self {
        Self {
            actor_account_id: Some(account_id),
            ip,
        }
    }
}

pub(crate) const INSERT: &str = "INSERT INTO audit_log \
    (at, actor_account_id, action, entity_type, entity_id, before_json, after_json, ip) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub(crate) fn snapshot<T: Serialize>(value: Option<&T>) -> Option<String> {
    value.and_then(|v| serde_json::to_string(v).ok())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_account_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: Option<String>,
}

/// Filters of the audit-log page; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_account_id: Option<i64>,
    /// Inclusive lower bound, Unix microseconds.
    pub from: Option<i64>,
    /// Exclusive upper bound, Unix microseconds.
    pub until: Option<i64>,
}

macro_rules! audit_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR a.entity_type = $1) \
         AND (CAST($2 AS BIGINT) IS NULL OR a.entity_id = $2) \
         AND (CAST($3 AS BIGINT) IS NULL OR a.actor_account_id = $3) \
         AND (CAST($4 AS BIGINT) IS NULL OR a.at >= $4) \
         AND (CAST($5 AS BIGINT) IS NULL OR a.at < $5)"
    };
}

const COUNT: &str = concat!("SELECT COUNT(*) FROM audit_log a", audit_where!());

const LIST: &str = concat!(
    "SELECT a.id, a.at, a.actor_account_id, acc.email AS actor_email, a.action, a.entity_type, \
     a.entity_id, a.before_json, a.after_json, a.ip \
     FROM audit_log a LEFT JOIN accounts acc ON acc.id = a.actor_account_id",
    audit_where!(),
    " ORDER BY a.id DESC LIMIT $6 OFFSET $7"
);

impl Store {
    /// The audit log, newest first.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.entity_type.as_deref())
                .bind(filter.entity_id)
                .bind(filter.actor_account_id)
                .bind(filter.from)
                .bind(filter.until)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, AuditEntry>(LIST)
                .bind(filter.entity_type.as_deref())
                .bind(filter.entity_id)
                .bind(filter.actor_account_id)
                .bind(filter.from)
                .bind(filter.until)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The distinct entity types present in the log, for the filter's choices.
    pub async fn audit_entity_types(&self) -> Result<Vec<String>> {
        with_db!(self, pool => {
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT DISTINCT entity_type FROM audit_log ORDER BY entity_type")
                    .fetch_all(pool)
                    .await?;
            Ok(rows.into_iter().map(|(t,)| t).collect())
        })
    }
}
