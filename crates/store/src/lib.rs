//! Storage of ruche: one repository API, two engines.
//!
//! [`Store`] holds either an SQLite or a PostgreSQL pool. Every repository method runs the
//! same `$N` SQL on either engine through [`with_db!`] and [`write_tx!`]; where the dialects
//! differ (job claiming), the method matches on the engine explicitly. The conformance suite
//! in `tests/conformance` runs every method on both engines. See
//! `docs/decisions/0001-one-store-two-engines.md`.

#[macro_use]
mod macros;

mod conditions;

pub mod accounts;
pub mod activities;
pub mod advocacy;
pub mod assemblies;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bank;
pub mod board;
pub mod budget;
pub mod clients;
pub mod dunning;
pub mod employment;
pub mod entities;
pub mod ethics;
pub mod expenses;
pub mod figures;
pub mod guide;
pub mod internal_trades;
pub mod invoices;
pub mod jobs;
pub mod labs;
pub mod ledger;
pub mod legal_help;
pub mod loans;
pub mod mail;
pub mod offices;
pub mod payouts;
pub mod persons;
pub mod places;
pub mod prevention;
pub mod quotes;
pub mod recommendations;
pub mod recovery;
pub mod school;
pub mod search;
pub mod shares;
pub mod special_reports;
pub mod statutes;
pub mod trainings;
pub mod transparency;
pub mod usage_contract;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub use audit::AuditContext;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

#[derive(Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The storage of one ruche instance. Cheap to clone (it holds a pool).
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique value is already taken; names the form field it comes from.
    #[error("{field} is already taken")]
    Duplicate { field: &'static str },
    /// The request breaks a rule that only the stored state can tell (e.g. a stale lease).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// The request breaks a rule that only the stored state can tell, on named fields (an
    /// employment contract over the work-volume limits with the worker's other contracts).
    #[error("refused: {0:?}")]
    Refused(ruche_domain::validate::FieldErrors),
    /// A sales document breaks the law's or EN 16931's rules; nothing was written.
    #[error("the document is refused: {0:?}")]
    Document(Vec<ruche_domain::invoicing::DocumentError>),
    /// An e-invoice breaks the Peppol BIS 3.0 business rules; nothing was written.
    #[error("the e-invoice is refused: {0:?}")]
    Peppol(Vec<ruche_domain::invoicing::RuleViolation>),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A PostgreSQL connection idle for longer is pinged before it is used again.
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// Options for opening a store.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    /// PostgreSQL only: the schema to use (tests isolate themselves in one schema each).
    pub pg_schema: Option<String>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            pg_schema: None,
        }
    }
}

/// SQLite's page cache per connection, in KiB (a negative `cache_size`): 8 MiB, four times
/// SQLite's default. On the reference year's 3.4 GB file the default 2 MiB could not hold the
/// upper levels of the large tables' B-trees, and every query read them again from the
/// operating system (a budget's totals for 400 different activities: 2.2 ms a query with
/// 2 MiB, 0.25 ms with 8 MiB, 0.26 ms with 16 MiB). 16 MiB made the server's memory grow to
/// 290 – 320 MB once the special report had filled every connection's cache; 8 MiB keeps it
/// near 225 MB (docs/benchmarks.md, fifth pass). At most `max_connections` × 8 MiB.
const SQLITE_CACHE_SIZE: &str = "-8192";

impl Store {
    /// Opens `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Store> {
        if url.starts_with("sqlite:") {
            let connect = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                // DESIGN.md §2: WAL so readers never wait for the writer.
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", SQLITE_CACHE_SIZE);
            // A local file cannot drop the connection: no ping before handing one out (by
            // default sqlx pings on every acquire, a round trip to the connection's thread).
            let pool = SqlitePoolOptions::new()
                .max_connections(options.max_connections)
                .test_before_acquire(false)
                .connect_with(connect)
                .await?;
            Ok(Store {
                db: Db::Sqlite(pool),
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let mut connect = PgConnectOptions::from_str(url)?;
            if let Some(schema) = &options.pg_schema {
                connect = connect.options([("search_path", schema.as_str())]);
            }
            // A connection is pinged before it is handed out only when it sat idle long
            // enough for the server or a proxy to have closed it, not on every acquire
            // (sqlx's default: one more round trip for each).
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > PING_IF_IDLE_FOR {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect_with(connect)
                .await?;
            Ok(Store {
                db: Db::Postgres(pool),
            })
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    pub fn engine(&self) -> Engine {
        match self.db {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Applies the migrations of this engine that are not applied yet.
    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// A round trip to the database, for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Refreshes the query planner's statistics (`ANALYZE`, on both engines). PostgreSQL's
    /// autovacuum does it by itself once enough rows changed; a bulk load measured at once
    /// (a benchmark, the generated reference year) calls it first, or PostgreSQL plans from
    /// the statistics of empty tables (docs/benchmarks.md, the loans portfolio).
    pub async fn analyze(&self) -> Result<()> {
        self.execute_admin("ANALYZE").await
    }

    /// Runs one administrative statement built at run time (creating or dropping a test
    /// schema or database). Never pass user input here.
    pub async fn execute_admin(&self, sql: &str) -> Result<()> {
        with_db!(self, pool => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(pool).await?;
        });
        Ok(())
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// The tables and their columns as `(table, column, kind, nullable)`, normalised so the
    /// two engines can be compared (see the schema-equivalence test).
    pub async fn schema_columns(&self) -> Result<Vec<(String, String, String, bool)>> {
        let mut out: Vec<(String, String, String, bool)> = match &self.db {
            Db::Sqlite(pool) => sqlx::query_as::<_, (String, String, String, i64)>(
                // SQLite lets a non-integer primary key hold NULL; PostgreSQL does not, and
                // ruche never stores one: count primary-key columns as NOT NULL.
                "SELECT m.name, p.name, p.type, MAX(p.\"notnull\", p.pk > 0) FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
            )
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(t, c, ty, not_null)| (t, c, normalise_type(&ty), not_null == 0))
            .collect(),
            Db::Postgres(pool) => sqlx::query_as::<_, (String, String, String, String)>(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx\\_%'",
            )
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(t, c, ty, n)| (t, c, normalise_type(&ty), n == "YES"))
            .collect(),
        };
        out.sort();
        Ok(out)
    }
}

fn normalise_type(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    if t.contains("int") {
        "integer".into()
    } else if t == "blob" || t == "bytea" {
        "bytes".into()
    } else if t.contains("bool") {
        "boolean".into()
    } else if t.contains("char") || t.contains("text") {
        "text".into()
    } else {
        t
    }
}

/// The current instant as stored: Unix microseconds, UTC.
pub fn now_micros() -> i64 {
    let fixed = FIXED_NOW.load(std::sync::atomic::Ordering::Relaxed);
    if fixed != i64::MIN {
        return fixed;
    }
    jiff::Timestamp::now().as_microsecond()
}

/// The fixed clock of the reference-year generator; `i64::MIN` when unset (the wall clock).
static FIXED_NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(i64::MIN);

/// Sets (`None`: clears) a fixed instant that [`now_micros`] returns instead of the wall
/// clock, so that what `ruche generate` writes is dated in the generated year, whatever the
/// day it runs. Only the generator's own process sets it; a server never does.
pub fn set_fixed_now(micros: Option<i64>) {
    FIXED_NOW.store(
        micros.unwrap_or(i64::MIN),
        std::sync::atomic::Ordering::Relaxed,
    );
}

/// A page of a list, for paged pages and API responses.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// Which page to read: 1-based, with a bounded size (TigerStyle: a bound on every list).
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub const MAX_PER_PAGE: i64 = 200;

    pub fn new(page: i64, per_page: i64) -> Self {
        Self {
            page: page.max(1),
            per_page: per_page.clamp(1, Self::MAX_PER_PAGE),
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn of<T>(&self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(1, 50)
    }
}
