//! `ruche generate reference-year` at a small scale (issue 9, "the proof"): every figure the
//! year's indicators show (`Store::year_figures`, which the special report reads) equals an
//! independent count of the generated data — SQL counts written here, and the generator's
//! own summary (`--summary-json`) — on SQLite and on PostgreSQL; the generator is
//! deterministic; bad input is refused with its message and nothing written.
//!
//! The years are 2024 and the reference year 2023 (the RPI year: its employment and payroll
//! parameters are in `crates/domain/rules/`): both have their work contracts, the new
//! open-ended ones by declared gender included. PostgreSQL: a database of its own on the
//! server of `RUCHE_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`), dropped
//! at the end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ruche_store::figures::FigureValue;
use ruche_store::{ConnectOptions, Store};

/// The year of the determinism and PostgreSQL runs.
const YEAR: i16 = 2024;
/// The reference year (MISSION.md): its 2023 parameters give it its work contracts too.
const REFERENCE_YEAR: i16 = 2023;
const SCALE: &str = "0.005";

fn server_url() -> String {
    std::env::var("RUCHE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

fn with_database(url: &str, database: &str) -> String {
    let without_query = url.split('?').next().unwrap_or(url);
    let base = without_query
        .rsplit_once('/')
        .map_or(without_query, |(base, _)| base);
    format!("{base}/{database}")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ruche-generate-{name}-{}-{}",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Runs `ruche generate reference-year` with `args` after the common ones.
fn generate(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruche"))
        .arg("--database-url")
        .arg(url)
        .args(["generate", "reference-year"])
        .args(args)
        .env_remove("RUCHE_CONFIG")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn generate_ok(url: &str, year: i16, seed: &str, summary: &Path) -> serde_json::Value {
    let year = year.to_string();
    let out = generate(
        url,
        &[
            "--year",
            &year,
            "--seed",
            seed,
            "--scale",
            SCALE,
            "--summary-json",
            summary.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "generation failed:\n{stderr}");
    eprintln!("{stderr}");
    serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap()
}

async fn open(url: &str) -> Store {
    Store::connect(
        url,
        &ConnectOptions {
            max_connections: 2,
            pg_schema: None,
        },
    )
    .await
    .unwrap()
}

/// Counts with plain SQL, on either engine.
enum Db {
    Sqlite(sqlx::SqlitePool),
    Pg(sqlx::PgPool),
}

impl Db {
    async fn connect(url: &str) -> Db {
        if url.starts_with("postgres") {
            Db::Pg(sqlx::PgPool::connect(url).await.unwrap())
        } else {
            let path = url.trim_start_matches("sqlite://");
            Db::Sqlite(
                sqlx::SqlitePool::connect(&format!("sqlite://{path}?mode=ro"))
                    .await
                    .unwrap(),
            )
        }
    }

    async fn int(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Db::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
            Db::Pg(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
        }
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Two text columns of every row.
    async fn texts(&self, sql: &str) -> Vec<(String, String)> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
            Db::Pg(p) => sqlx::query_as(sql).fetch_all(p).await,
        }
        .unwrap_or_else(|e| panic!("{e}"))
    }

    async fn close(self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Pg(p) => p.close().await,
        }
    }
}

/// Unix microseconds of midnight, 1 January of `year`, in Brussels.
fn year_start_micros(year: i16) -> i64 {
    jiff::civil::date(year, 1, 1)
        .to_zoned(jiff::tz::TimeZone::get("Europe/Brussels").unwrap())
        .unwrap()
        .timestamp()
        .as_microsecond()
}

/// The expected value of every figure the generated year can show, from SQL.
async fn sql_counts(db: &Db, year: i16) -> BTreeMap<&'static str, i64> {
    let (from, to) = (format!("'{year}-01-01'"), format!("'{}-01-01'", year + 1));
    let (from_us, to_us) = (year_start_micros(year), year_start_micros(year + 1));
    let in_year = format!("issue_date >= {from} AND issue_date < {to}");
    let role = |role: &str, cond: &str| {
        format!(
            "SELECT COUNT(*) FROM accounts WHERE {cond} AND id IN \
             (SELECT account_id FROM account_roles WHERE role = '{role}')"
        )
    };
    let minutes = db
        .int(&format!(
            "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM work_contracts \
             WHERE starts_on >= {from} AND starts_on < {to}"
        ))
        .await;
    let mut m = BTreeMap::new();
    m.insert(
        "members",
        db.int(&role("member", &format!("created_at < {to_us}")))
            .await,
    );
    m.insert(
        "members-new",
        db.int(&role(
            "member",
            &format!("created_at >= {from_us} AND created_at < {to_us}"),
        ))
        .await,
    );
    m.insert(
        "activities-active",
        db.int(&format!(
            "SELECT COUNT(*) FROM activities WHERE id IN (SELECT activity_id FROM invoices \
             WHERE {in_year}) OR id IN (SELECT activity_id FROM work_contracts \
             WHERE starts_on >= {from} AND starts_on < {to})"
        ))
        .await,
    );
    m.insert(
        "activities-new",
        db.int(&format!(
            "SELECT COUNT(*) FROM activities WHERE created_at >= {from_us} AND created_at < {to_us}"
        ))
        .await,
    );
    m.insert(
        "turnover-invoices",
        db.int(&format!(
            "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND {in_year}"
        ))
        .await,
    );
    m.insert(
        "turnover-net",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(tax_exclusive_cents), 0) AS BIGINT) FROM invoices \
             WHERE {in_year}"
        ))
        .await,
    );
    let contribution = db
        .int(&format!(
            "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) FROM ledger_postings p \
             JOIN ledger_accounts a ON a.id = p.account_id \
             JOIN ledger_transactions t ON t.id = p.transaction_id \
             WHERE a.code LIKE '%:contribution' AND t.occurred_on >= {from} \
             AND t.occurred_on < {to}"
        ))
        .await;
    m.insert("turnover-contribution", -contribution);
    m.insert("contribution-collected", -contribution);
    // Payments of the year on invoices reminded by then.
    m.insert(
        "contribution-recovered",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) FROM invoice_payments p \
             WHERE p.received_on >= {from} AND p.received_on < {to} AND EXISTS \
             (SELECT 1 FROM reminders r WHERE r.invoice_id = p.invoice_id \
             AND r.sent_on <= p.received_on)"
        ))
        .await,
    );
    // No costs booked, no salary guarantee, nothing written off.
    for key in [
        "contribution-spending",
        "contribution-guarantee-advances",
        "contribution-guarantee-repaid",
        "contribution-guarantee-losses",
        "contribution-written-off",
    ] {
        m.insert(key, 0);
    }
    m.insert(
        "turnover-clients",
        db.int(&format!(
            "SELECT COUNT(DISTINCT client_id) FROM invoices WHERE {in_year}"
        ))
        .await,
    );
    m.insert(
        "advisors",
        db.int(&role("advisor", &format!("created_at < {to_us}")))
            .await,
    );
    m.insert(
        "offices",
        db.int(&format!(
            "SELECT COUNT(*) FROM offices WHERE created_at < {to_us}"
        ))
        .await,
    );
    m.insert(
        "offices-activities",
        db.int(&format!(
            "SELECT COUNT(*) FROM activities WHERE created_at < {to_us}"
        ))
        .await,
    );
    m.insert(
        "work-contracts",
        db.int(&format!(
            "SELECT COUNT(*) FROM work_contracts WHERE starts_on >= {from} AND starts_on < {to}"
        ))
        .await,
    );
    m.insert(
        "work-workers",
        db.int(&format!(
            "SELECT COUNT(DISTINCT worker_person_id) FROM work_contracts \
             WHERE starts_on >= {from} AND starts_on < {to}"
        ))
        .await,
    );
    m.insert("work-hours", minutes);
    m.insert("work-fte", minutes * 100 / (60 * 1_976));
    // The new open-ended contracts: by declared gender, and full time from 38 h a week.
    let open_ended = |cond: &str| {
        format!(
            "SELECT COUNT(*) FROM work_contracts c JOIN persons p ON p.id = c.worker_person_id \
             WHERE c.kind = 'open-ended' AND c.starts_on >= {from} AND c.starts_on < {to} \
             AND {cond}"
        )
    };
    for (key, cond) in [
        ("work-open-ended", "1 = 1"),
        ("work-open-ended-women", "p.gender = 'f'"),
        ("work-open-ended-men", "p.gender = 'm'"),
        ("work-open-ended-other", "p.gender = 'x'"),
        ("work-open-ended-full-time", "c.minutes >= 38 * 60"),
        ("work-open-ended-part-time", "c.minutes < 38 * 60"),
    ] {
        m.insert(key, db.int(&open_ended(cond)).await);
    }
    // Loans: disbursed in the year, and by its end; what is left to repay at its end.
    let disbursed = |cond: &str| {
        format!("SELECT COUNT(*) FROM loans WHERE disbursed_on IS NOT NULL AND {cond}")
    };
    let principal = |cond: &str| {
        format!(
            "SELECT CAST(COALESCE(SUM(principal_cents), 0) AS BIGINT) FROM loans \
             WHERE disbursed_on IS NOT NULL AND {cond}"
        )
    };
    let this_year = format!("disbursed_on >= {from} AND disbursed_on < {to}");
    let by_end = format!("disbursed_on < {to}");
    m.insert("loans-granted", db.int(&disbursed(&this_year)).await);
    m.insert("loans-amount", db.int(&principal(&this_year)).await);
    m.insert(
        "loans-granted-since-launch",
        db.int(&disbursed(&by_end)).await,
    );
    m.insert(
        "loans-amount-since-launch",
        db.int(&principal(&by_end)).await,
    );
    m.insert(
        "loans-outstanding",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) FROM ledger_postings p \
             JOIN ledger_accounts a ON a.id = p.account_id \
             JOIN ledger_transactions t ON t.id = p.transaction_id \
             WHERE a.code LIKE 'loan:%' AND t.occurred_on < {to}"
        ))
        .await,
    );
    m.insert("loans-written-off", 0);
    // Training sessions of the year.
    let sessions = |what: &str, who: &str| {
        format!(
            "SELECT CAST(COALESCE(SUM({what}), 0) AS BIGINT) FROM training_sessions \
             WHERE session_for = '{who}' AND starts_on >= {from} AND starts_on < {to}"
        )
    };
    m.insert(
        "training-staff-days",
        db.int(&sessions("days", "staff")).await,
    );
    m.insert(
        "training-staff-participants",
        db.int(&sessions("participants", "staff")).await,
    );
    m.insert(
        "training-member-days",
        db.int(&sessions("days", "members")).await,
    );
    m.insert(
        "training-member-participants",
        db.int(&sessions("participants", "members")).await,
    );
    m.insert("training-published", 0);
    m.insert("training-leads", 0);
    // The guide's views of the year.
    let views_in = format!("FROM guide_views WHERE day >= {from} AND day < {to}");
    m.insert(
        "guide-views",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) {views_in}"
        ))
        .await,
    );
    m.insert(
        "guide-articles-read",
        db.int(&format!("SELECT COUNT(DISTINCT article_id) {views_in}"))
            .await,
    );
    m.insert(
        "guide-articles",
        db.int(&format!(
            "SELECT COUNT(*) FROM guide_articles WHERE status = 'published' AND published_at < {to_us}"
        ))
        .await,
    );
    m.insert(
        "guide-revisions",
        db.int(&format!(
            "SELECT COUNT(*) FROM guide_revisions WHERE created_at >= {from_us} AND created_at < {to_us}"
        ))
        .await,
    );
    m.insert(
        "reminders-sent",
        db.int(&format!(
            "SELECT COUNT(*) FROM reminders WHERE sent_on >= {from} AND sent_on < {to}"
        ))
        .await,
    );
    issue_8_counts(db, year, &mut m).await;
    issue_9_counts(db, year, &mut m).await;
    m
}

/// The issue-8 sections: participation (school, labs), recognition (advocacy), ethics,
/// places, prevention and diversity, recommendations.
async fn issue_8_counts(db: &Db, year: i16, m: &mut BTreeMap<&'static str, i64>) {
    let (from, to) = (format!("'{year}-01-01'"), format!("'{}-01-01'", year + 1));
    let last = format!("'{year}-12-31'");
    // The school: sessions held in the year, places held, who attended and for how long.
    let school = format!(
        "FROM school_registrations r JOIN school_sessions s ON s.id = r.session_id \
         WHERE s.held_on >= {from} AND s.held_on < {to}"
    );
    m.insert(
        "school-sessions-held",
        db.int(&format!(
            "SELECT COUNT(*) FROM school_sessions WHERE status = 'held' \
             AND held_on >= {from} AND held_on < {to}"
        ))
        .await,
    );
    m.insert(
        "school-registrations",
        db.int(&format!(
            "SELECT COUNT(*) {school} AND r.status = 'registered' AND s.status <> 'cancelled'"
        ))
        .await,
    );
    m.insert(
        "school-participants",
        db.int(&format!(
            "SELECT COUNT(DISTINCT r.person_id) {school} AND r.attendance = 'attended'"
        ))
        .await,
    );
    // Every generated session lasts three hours (09:30–12:30).
    assert_eq!(
        db.int("SELECT COUNT(*) FROM school_sessions WHERE start_time <> '09:30' OR end_time <> '12:30'")
            .await,
        0
    );
    m.insert(
        "school-minutes-attended",
        180 * db
            .int(&format!(
                "SELECT COUNT(*) {school} AND r.attendance = 'attended'"
            ))
            .await,
    );
    m.insert(
        "school-promotions",
        db.int(&format!(
            "SELECT COUNT(*) {school} AND r.promoted_at IS NOT NULL"
        ))
        .await,
    );
    let running = format!(
        "l.status <> 'proposed' AND l.started_on < {to} \
         AND (l.ended_on IS NULL OR l.ended_on >= {from})"
    );
    m.insert(
        "labs-active",
        db.int(&format!("SELECT COUNT(*) FROM labs l WHERE {running}"))
            .await,
    );
    m.insert(
        "labs-members",
        db.int(&format!(
            "SELECT COUNT(DISTINCT m.person_id) FROM lab_members m JOIN labs l ON l.id = m.lab_id \
             WHERE {running} AND m.joined_on < {to} AND (m.left_on IS NULL OR m.left_on >= {from})"
        ))
        .await,
    );
    m.insert(
        "labs-meetings",
        db.int(&format!(
            "SELECT COUNT(*) FROM lab_meetings WHERE held_on >= {from} AND held_on < {to}"
        ))
        .await,
    );
    m.insert(
        "labs-outputs",
        db.int(&format!(
            "SELECT COUNT(*) FROM lab_outputs WHERE produced_on >= {from} AND produced_on < {to}"
        ))
        .await,
    );
    // Advocacy.
    m.insert(
        "advocacy-publications",
        db.int(&format!(
            "SELECT COUNT(*) FROM advocacy_publications WHERE published_on >= {from} \
             AND published_on < {to}"
        ))
        .await,
    );
    let events = format!("FROM advocacy_events WHERE held_on >= {from} AND held_on < {to}");
    m.insert(
        "advocacy-conferences",
        db.int(&format!("SELECT COUNT(*) {events}")).await,
    );
    m.insert(
        "advocacy-audience",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(audience), 0) AS BIGINT) {events}"
        ))
        .await,
    );
    m.insert(
        "advocacy-networks",
        db.int(&format!(
            "SELECT COUNT(*) FROM advocacy_networks WHERE since_on <= {last} \
             AND (until_on IS NULL OR until_on >= {last})"
        ))
        .await,
    );
    // The ethics committee.
    let referrals =
        format!("FROM ethics_referrals WHERE received_on >= {from} AND received_on < {to}");
    m.insert(
        "ethics-meetings",
        db.int(&format!(
            "SELECT COUNT(*) FROM ethics_meetings WHERE held_on >= {from} AND held_on < {to}"
        ))
        .await,
    );
    m.insert(
        "ethics-referrals",
        db.int(&format!("SELECT COUNT(*) {referrals}")).await,
    );
    m.insert(
        "ethics-opinions",
        db.int(&format!(
            "SELECT COUNT(*) FROM ethics_opinions WHERE status = 'published' \
             AND published_on >= {from} AND published_on < {to}"
        ))
        .await,
    );
    // Every opinion answers a referral: the subjects are the referrals'.
    assert_eq!(
        db.int("SELECT COUNT(*) FROM ethics_opinions WHERE referral_id IS NULL")
            .await,
        0
    );
    m.insert(
        "ethics-subjects",
        db.int(&format!("SELECT COUNT(DISTINCT subject) {referrals}"))
            .await,
    );
    // Places: every site opened before the year, every letting covers the whole year.
    let sites = format!("FROM place_sites WHERE opened_on <= {last}");
    m.insert(
        "places-sites",
        db.int(&format!("SELECT COUNT(*) {sites}")).await,
    );
    m.insert(
        "places-surface",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(surface_m2), 0) AS BIGINT) {sites}"
        ))
        .await,
    );
    m.insert(
        "places-shared-surface",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(surface_m2), 0) AS BIGINT) {sites} AND shared_with_network"
        ))
        .await,
    );
    m.insert(
        "places-spaces",
        db.int(&format!(
            "SELECT COUNT(*) FROM place_spaces WHERE active AND site_id IN (SELECT id {sites})"
        ))
        .await,
    );
    let bookings =
        format!("FROM place_bookings WHERE status = 'booked' AND day >= {from} AND day <= {last}");
    m.insert(
        "places-bookings",
        db.int(&format!("SELECT COUNT(*) {bookings}")).await,
    );
    let booked = db
        .int(&format!(
            "SELECT CAST(COALESCE(SUM((ends_at - starts_at) / 60000000), 0) AS BIGINT) {bookings}"
        ))
        .await;
    m.insert("places-booked-time", booked);
    // Occupancy: booked over available, the bookable spaces open 15 hours a day but Sundays.
    let bookable = db
        .int(&format!(
            "SELECT COUNT(*) FROM place_spaces WHERE active AND bookable \
             AND site_id IN (SELECT id {sites})"
        ))
        .await;
    let mut open_days = 0;
    let mut day = jiff::civil::date(year, 1, 1);
    while day.year() == year {
        if day.weekday() != jiff::civil::Weekday::Sunday {
            open_days += 1;
        }
        day = day.tomorrow().unwrap();
    }
    m.insert(
        "places-occupancy",
        booked * 1_000_000 / (bookable * open_days * 15 * 60),
    );
    let lettings = format!("FROM place_lettings WHERE starts_on <= {last} AND ends_on >= {from}");
    assert_eq!(
        db.int(&format!(
            "SELECT COUNT(*) {lettings} AND (starts_on > {from} OR ends_on < {last})"
        ))
        .await,
        0,
        "a letting that does not cover the whole year"
    );
    m.insert(
        "places-lettings",
        db.int(&format!("SELECT COUNT(*) {lettings}")).await,
    );
    m.insert(
        "places-partners-letting",
        db.int(&format!("SELECT COUNT(DISTINCT partner_id) {lettings}"))
            .await,
    );
    m.insert(
        "places-letting-income",
        12 * db
            .int(&format!(
                "SELECT CAST(COALESCE(SUM(monthly_rent_cents), 0) AS BIGINT) {lettings}"
            ))
            .await,
    );
    // Prevention and diversity. Late: declared more than eight days after the accident.
    let incidents =
        format!("FROM prevention_incidents WHERE occurred_on >= {from} AND occurred_on < {to}");
    m.insert(
        "prevention-incidents",
        db.int(&format!("SELECT COUNT(*) {incidents}")).await,
    );
    m.insert(
        "prevention-work-accidents",
        db.int(&format!(
            "SELECT COUNT(*) {incidents} AND nature IN ('work-accident', 'commuting-accident')"
        ))
        .await,
    );
    m.insert(
        "prevention-days-lost",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(days_lost), 0) AS BIGINT) {incidents}"
        ))
        .await,
    );
    let days_between = match db {
        Db::Sqlite(_) => "CAST(julianday(declared_on) - julianday(occurred_on) AS BIGINT)",
        Db::Pg(_) => "(CAST(declared_on AS DATE) - CAST(occurred_on AS DATE))",
    };
    m.insert(
        "prevention-declared-late",
        db.int(&format!(
            "SELECT COUNT(*) {incidents} AND nature IN ('work-accident', 'commuting-accident') \
             AND declared_on IS NOT NULL AND {days_between} > 8"
        ))
        .await,
    );
    let ended = |table: &str| {
        format!(
            "SELECT COUNT(*) FROM {table} WHERE status = 'done' \
             AND ended_on >= {from} AND ended_on < {to}"
        )
    };
    m.insert(
        "prevention-actions-done",
        db.int(&ended("prevention_actions")).await,
    );
    m.insert(
        "prevention-committee-meetings",
        db.int(&format!(
            "SELECT COUNT(*) FROM prevention_meetings WHERE held_on >= {from} AND held_on < {to}"
        ))
        .await,
    );
    m.insert(
        "prevention-health-checks-done",
        db.int(&format!(
            "SELECT COUNT(*) FROM prevention_health_checks WHERE done_on >= {from} AND done_on < {to}"
        ))
        .await,
    );
    m.insert(
        "prevention-risk-sheets-reviewed",
        db.int(&format!(
            "SELECT COUNT(DISTINCT sheet_id) FROM prevention_risk_reviews \
             WHERE reviewed_on >= {from} AND reviewed_on < {to}"
        ))
        .await,
    );
    m.insert(
        "diversity-actions-done",
        db.int(&ended("diversity_actions")).await,
    );
    m.insert(
        "diversity-actions-in-progress",
        db.int(&format!(
            "SELECT COUNT(*) FROM diversity_actions WHERE started_on IS NOT NULL \
             AND started_on < {to} AND (ended_on IS NULL OR ended_on >= {to})"
        ))
        .await,
    );
    // The recommendation cycle.
    m.insert(
        "reco-cycles",
        db.int(&format!(
            "SELECT COUNT(*) FROM reco_cycles WHERE proposal_from < {to} AND closes_on >= {from}"
        ))
        .await,
    );
    m.insert(
        "reco-written",
        db.int(&format!(
            "SELECT COUNT(*) FROM recommendations WHERE origin = 'member' \
             AND created_on >= {from} AND created_on < {to}"
        ))
        .await,
    );
    m.insert(
        "reco-supports",
        db.int(&format!(
            "SELECT COUNT(*) FROM reco_supports WHERE supported_on >= {from} AND supported_on < {to}"
        ))
        .await,
    );
    m.insert(
        "reco-consolidations",
        db.int(&format!(
            "SELECT COUNT(*) FROM reco_consolidations WHERE status = 'carried-out' \
             AND carried_out_on >= {from} AND carried_out_on < {to}"
        ))
        .await,
    );
    for (key, status) in [
        ("reco-accepted", "accepted"),
        ("reco-done", "done"),
        ("reco-declined", "declined"),
    ] {
        m.insert(
            key,
            db.int(&format!(
                "SELECT COUNT(DISTINCT recommendation_id) FROM reco_follow_ups \
                 WHERE to_status = '{status}' AND decided_on >= {from} AND decided_on < {to}"
            ))
            .await,
        );
    }
}

/// The issue-9 parts: the share register (the members figure reads it once it holds lines),
/// the general assembly, expenses, credit notes, recovery, legal help.
async fn issue_9_counts(db: &Db, year: i16, m: &mut BTreeMap<&'static str, i64>) {
    let (from, to) = (format!("'{year}-01-01'"), format!("'{}-01-01'", year + 1));
    let in_year = |column: &str| format!("{column} >= {from} AND {column} < {to}");
    // Holders at the year's end, and those who held nothing before it.
    m.insert(
        "members",
        db.int(&format!(
            "SELECT COUNT(*) FROM (SELECT person_id FROM share_operations \
             WHERE effective_on < {to} GROUP BY person_id HAVING SUM(shares) > 0) h"
        ))
        .await,
    );
    m.insert(
        "members-new",
        db.int(&format!(
            "SELECT COUNT(*) FROM (SELECT person_id FROM share_operations \
             WHERE effective_on < {to} GROUP BY person_id HAVING SUM(shares) > 0 \
             AND SUM(CASE WHEN effective_on < {from} THEN shares ELSE 0 END) <= 0) h"
        ))
        .await,
    );
    // Active: invoiced, employed or spent (an approved claim) in the year.
    m.insert(
        "activities-active",
        db.int(&format!(
            "SELECT COUNT(*) FROM activities WHERE id IN (SELECT activity_id FROM invoices \
             WHERE {}) OR id IN (SELECT activity_id FROM work_contracts WHERE {}) \
             OR id IN (SELECT activity_id FROM expense_claims WHERE status = 'approved' AND {})",
            in_year("issue_date"),
            in_year("starts_on"),
            in_year("spent_on")
        ))
        .await,
    );
    m.insert(
        "turnover-credit-notes",
        db.int(&format!(
            "SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note' AND {}",
            in_year("issue_date")
        ))
        .await,
    );
    m.insert(
        "turnover-net",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'credit_note' THEN -tax_exclusive_cents \
             ELSE tax_exclusive_cents END), 0) AS BIGINT) FROM invoices WHERE {}",
            in_year("issue_date")
        ))
        .await,
    );
    // The assemblies held (closed) in the year.
    let held = format!(
        "SELECT id FROM general_assemblies WHERE status = 'closed' AND {}",
        in_year("held_on")
    );
    m.insert(
        "governance-assemblies",
        db.int(&format!("SELECT COUNT(*) FROM ({held}) g")).await,
    );
    m.insert(
        "governance-present",
        db.int(&format!(
            "SELECT COUNT(*) FROM ga_attendance WHERE assembly_id IN ({held})"
        ))
        .await,
    );
    m.insert(
        "governance-proxies",
        db.int(&format!(
            "SELECT COUNT(*) FROM ga_proxies WHERE revoked_at IS NULL AND assembly_id IN ({held})"
        ))
        .await,
    );
    m.insert(
        "governance-represented",
        db.int(&format!(
            "SELECT COUNT(*) FROM ga_proxies x WHERE x.revoked_at IS NULL \
             AND x.assembly_id IN ({held}) AND EXISTS (SELECT 1 FROM ga_attendance a \
             WHERE a.assembly_id = x.assembly_id AND a.person_id = x.holder_person_id)"
        ))
        .await,
    );
    // Expense claims approved, by the year they were spent in.
    let approved = format!(
        "FROM expense_claims WHERE status = 'approved' AND {}",
        in_year("spent_on")
    );
    m.insert(
        "expenses-approved",
        db.int(&format!("SELECT COUNT(*) {approved}")).await,
    );
    m.insert(
        "expenses-reimbursed",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) {approved} AND kind <> 'supplier'"
        ))
        .await,
    );
    m.insert(
        "expenses-suppliers",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) {approved} AND kind = 'supplier'"
        ))
        .await,
    );
    m.insert(
        "expenses-mileage-km",
        db.int(&format!(
            "SELECT CAST(COALESCE(SUM(distance_km), 0) AS BIGINT) {approved} AND kind = 'mileage'"
        ))
        .await,
    );
    m.insert(
        "reminders-formal-notices",
        db.int(&format!(
            "SELECT COUNT(*) FROM recovery_entries WHERE kind = 'formal-notice' AND {}",
            in_year("occurred_on")
        ))
        .await,
    );
    m.insert(
        "reminders-recovery-cases",
        db.int(&format!(
            "SELECT COUNT(*) FROM recovery_cases WHERE {}",
            in_year("opened_on")
        ))
        .await,
    );
    // Legal help: requests filed by kind, first answers and their median delay in days.
    for (key, kind) in [
        ("legal-requests", None),
        ("legal-questions", Some("question")),
        ("legal-contract-reviews", Some("contract-review")),
        ("legal-disputes", Some("dispute")),
    ] {
        let kind = kind.map_or(String::new(), |k| format!(" AND kind = '{k}'"));
        m.insert(
            key,
            db.int(&format!(
                "SELECT COUNT(*) FROM legal_requests WHERE {}{kind}",
                in_year("submitted_on")
            ))
            .await,
        );
    }
    let answers = db
        .texts(&format!(
            "SELECT submitted_on, first_answered_on FROM legal_requests WHERE {}",
            in_year("first_answered_on")
        ))
        .await;
    m.insert("legal-answered", i64::try_from(answers.len()).unwrap());
    let mut days: Vec<i64> = answers
        .iter()
        .map(|(s, a)| {
            let (s, a): (jiff::civil::Date, jiff::civil::Date) =
                (s.parse().unwrap(), a.parse().unwrap());
            i64::from(s.until(a).unwrap().get_days())
        })
        .collect();
    days.sort_unstable();
    if !days.is_empty() {
        let mid = days.len() / 2;
        // The middle one, or the mean of the two middle ones rounded up.
        let median = if days.len() % 2 == 1 {
            days[mid]
        } else {
            (days[mid - 1] + days[mid] + 1) / 2
        };
        m.insert("legal-answer-days-median", median);
    }
}

/// The same figures from the generator's summary.
fn summary_counts(s: &serde_json::Value) -> BTreeMap<&'static str, i64> {
    let n = |k: &str| {
        s[k].as_i64()
            .unwrap_or_else(|| panic!("summary has no {k}"))
    };
    let mut m = BTreeMap::new();
    m.insert("members", n("members"));
    m.insert("members-new", n("members_new"));
    m.insert("activities-new", n("activities_new"));
    m.insert("turnover-invoices", n("invoices"));
    m.insert("turnover-net", n("invoiced_cents") - n("credited_cents"));
    m.insert("turnover-clients", n("clients_invoiced"));
    m.insert("advisors", n("advisors"));
    m.insert("offices", n("offices"));
    m.insert("offices-activities", n("activities"));
    m.insert("work-contracts", n("contracts"));
    m.insert("work-workers", n("workers"));
    m.insert("work-hours", n("hours") * 60);
    m.insert("work-open-ended", n("open_ended_contracts"));
    m.insert("work-open-ended-women", n("open_ended_women"));
    m.insert("work-open-ended-men", n("open_ended_men"));
    m.insert("work-open-ended-full-time", n("open_ended_full_time"));
    m.insert("work-open-ended-part-time", n("open_ended_part_time"));
    m.insert("reminders-sent", n("reminders"));
    m.insert("loans-granted", n("loans"));
    m.insert("loans-amount", n("loans_cents"));
    m.insert("loans-granted-since-launch", n("loans_since_launch"));
    m.insert("loans-amount-since-launch", n("loans_since_launch_cents"));
    m.insert("training-staff-days", n("training_staff_days"));
    m.insert(
        "training-staff-participants",
        n("training_staff_participants"),
    );
    m.insert("training-member-days", n("training_member_days"));
    m.insert(
        "training-member-participants",
        n("training_member_participants"),
    );
    m.insert("guide-views", n("guide_views"));
    m.insert("guide-articles", n("guide_articles"));
    m.insert("school-sessions-held", n("school_sessions"));
    m.insert("school-registrations", n("school_registrations"));
    m.insert("labs-active", n("labs"));
    m.insert("labs-members", n("lab_members"));
    m.insert("labs-meetings", n("lab_meetings"));
    m.insert("labs-outputs", n("lab_outputs"));
    m.insert("advocacy-publications", n("advocacy_publications"));
    m.insert("advocacy-conferences", n("advocacy_conferences"));
    m.insert("advocacy-audience", n("advocacy_audience"));
    m.insert("advocacy-networks", n("advocacy_networks"));
    m.insert("ethics-meetings", n("ethics_meetings"));
    m.insert("ethics-referrals", n("ethics_referrals"));
    m.insert("ethics-opinions", n("ethics_opinions"));
    m.insert("places-sites", n("place_sites"));
    m.insert("places-spaces", n("place_spaces"));
    m.insert("places-lettings", n("place_lettings"));
    m.insert("places-bookings", n("place_bookings"));
    m.insert("places-booked-time", n("place_booked_minutes"));
    m.insert("prevention-incidents", n("prevention_incidents"));
    m.insert("prevention-work-accidents", n("prevention_accidents"));
    m.insert("prevention-days-lost", n("prevention_days_lost"));
    m.insert("prevention-declared-late", n("prevention_declared_late"));
    m.insert("prevention-committee-meetings", n("prevention_meetings"));
    m.insert("prevention-actions-done", n("prevention_actions_done"));
    m.insert(
        "prevention-health-checks-done",
        n("prevention_health_checks"),
    );
    m.insert("diversity-actions-done", n("diversity_done"));
    m.insert("diversity-actions-in-progress", n("diversity_in_progress"));
    m.insert("reco-cycles", n("reco_cycles"));
    m.insert("reco-written", n("reco_written"));
    m.insert("reco-supports", n("reco_supports"));
    m.insert("reco-accepted", n("reco_accepted"));
    m.insert("reco-done", n("reco_done"));
    m.insert("reco-declined", n("reco_declined"));
    m.insert("turnover-credit-notes", n("credit_notes"));
    m.insert("governance-assemblies", n("assemblies"));
    m.insert("governance-present", n("ga_present"));
    m.insert("governance-represented", n("ga_represented"));
    m.insert("governance-proxies", n("ga_proxies"));
    m.insert("expenses-approved", n("expenses_approved"));
    m.insert("expenses-reimbursed", n("expenses_reimbursed_cents"));
    m.insert("expenses-mileage-km", n("expenses_mileage_km"));
    m.insert("reminders-formal-notices", n("formal_notices"));
    m.insert("reminders-recovery-cases", n("recovery_cases"));
    m.insert("legal-requests", n("legal_requests"));
    m.insert("legal-answered", n("legal_answered"));
    m
}

/// Every figure shown, by key.
async fn shown(store: &Store, year: i16) -> BTreeMap<&'static str, i64> {
    let mut out = BTreeMap::new();
    for section in store.year_figures(year).await.unwrap() {
        for f in section.figures {
            let v = match f.value {
                FigureValue::Minutes(m) => m,
                other => other.raw(),
            };
            out.insert(f.key, v);
        }
    }
    out
}

/// Generates, then checks figures = SQL counts = summary; returns the shown figures.
async fn proof(url: &str, dir: &Path, year: i16) -> BTreeMap<&'static str, i64> {
    let started = std::time::Instant::now();
    let summary = generate_ok(url, year, "7", &dir.join("summary.json"));
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    let store = open(url).await;
    let figures = shown(&store, year).await;
    store.close().await;
    let db = Db::connect(url).await;
    let sql = sql_counts(&db, year).await;
    db.close().await;
    assert!(!figures.is_empty());
    let mut wrong = Vec::new();
    for (key, value) in &figures {
        match sql.get(key) {
            None => wrong.push(format!("{key} = {value}: no independent count")),
            Some(expected) if expected != value => {
                wrong.push(format!("{key} = {value}, SQL counts {expected}"));
            }
            Some(_) => {}
        }
    }
    for (key, value) in summary_counts(&summary) {
        if value == 0 && !figures.contains_key(key) {
            continue; // a section with nothing is not shown
        }
        if figures.get(key) != Some(&value) {
            wrong.push(format!(
                "{key} = {:?}, the summary says {value}",
                figures.get(key)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "figures shown {figures:#?}\n{}",
        wrong.join("\n")
    );
    // The scale rule: round(x · 0.005) exactly.
    assert_eq!(summary["members"], 100);
    // Both years have employment parameters: the contracts, hours and workers of the scale
    // rule, the one new open-ended contract among them (round(32 · 0.005) = 0, at least one:
    // a full-time man).
    assert!(year == YEAR || year == REFERENCE_YEAR);
    assert_eq!(summary["work_generated"], true);
    assert_eq!(summary["contracts"], 1_040);
    assert_eq!(summary["hours"], 22_696);
    assert_eq!(summary["workers"], 100);
    for (key, value) in [
        ("work-open-ended", 1),
        ("work-open-ended-women", 0),
        ("work-open-ended-men", 1),
        ("work-open-ended-full-time", 1),
        ("work-open-ended-part-time", 0),
    ] {
        assert_eq!(figures.get(key), Some(&value), "{key}");
    }
    assert_eq!(summary["invoices"], 1_000);
    assert_eq!(summary["invoiced_cents"], 97_000_000);
    assert_eq!(
        (summary["offices"].as_i64(), summary["advisors"].as_i64()),
        (Some(9), Some(9))
    );
    // At least one loan of each kind at a small scale, and 500 € a loan at least.
    assert_eq!(
        (summary["loans"].as_i64(), summary["loans_cents"].as_i64()),
        (Some(1), Some(107_737))
    );
    assert_eq!(summary["loans_since_launch"], 2);
    assert_eq!(summary["loans_since_launch_cents"], 107_737 + 253_189);
    assert_eq!(summary["training_staff_days"], 4);
    assert_eq!(summary["training_member_participants"], 4);
    assert_eq!(summary["guide_views"], 1_330);
    // The issue-8 parts: institutional counts (they do not scale), the head office and the
    // shared surface, five workspaces for 5–8 people let to five partners.
    for (key, value) in [
        ("labs-active", 7),
        ("ethics-meetings", 8),
        ("advocacy-publications", 9),
        ("advocacy-conferences", 12),
        ("places-lettings", 5),
        ("places-partners-letting", 5),
        ("reco-cycles", 1),
        // Issue 9: every member holds shares; one assembly, 3 present (the minimum) and one
        // proxy at this scale; round(x · 0.005) of the other parts.
        ("members", 100),
        ("governance-assemblies", 1),
        ("governance-present", 3),
        ("governance-proxies", 1),
        ("governance-represented", 1),
        ("turnover-credit-notes", 5),
        ("legal-requests", 6),
    ] {
        assert_eq!(figures.get(key), Some(&value), "{key}");
    }
    assert!(figures["places-shared-surface"] > 8_700);
    assert!(figures["diversity-actions-done"] + figures["diversity-actions-in-progress"] >= 8);
    assert_eq!(summary["diversity_actions"], 10);
    for (key, value) in [
        ("expense_claims", 30),
        ("recovery_cases", 8),
        ("quotes", 15),
        ("shareholders", 100),
    ] {
        assert_eq!(summary[key], value, "{key}");
    }
    let db = Db::connect(url).await;
    assert_eq!(
        db.int("SELECT COUNT(*) FROM place_sites WHERE surface_m2 = 4800 AND kind = 'owned'")
            .await,
        1
    );
    assert_eq!(
        db.int(
            "SELECT COUNT(DISTINCT l.partner_id) FROM place_lettings l JOIN place_spaces s \
             ON s.id = l.space_id WHERE s.kind = 'workspace' AND s.capacity BETWEEN 5 AND 8"
        )
        .await,
        5
    );
    db.close().await;
    figures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_year_on_sqlite_shows_its_counts_and_is_deterministic() {
    let dir = temp_dir("sqlite");
    let url = sqlite_url(&dir.join("year.sqlite"));
    let figures = proof(&url, &dir, YEAR).await;

    // Same seed, another file: the same figures, the same invoices.
    let again = sqlite_url(&dir.join("again.sqlite"));
    generate_ok(&again, YEAR, "7", &dir.join("again.json"));
    let store = open(&again).await;
    assert_eq!(shown(&store, YEAR).await, figures);
    store.close().await;
    let invoices = |url: String| async move {
        let db = Db::connect(&url).await;
        let Db::Sqlite(pool) = &db else {
            unreachable!()
        };
        let rows: Vec<(Option<String>, i64)> =
            sqlx::query_as("SELECT number, tax_inclusive_cents FROM invoices ORDER BY id")
                .fetch_all(pool)
                .await
                .unwrap();
        db.close().await;
        rows
    };
    let (a, b) = (invoices(url.clone()).await, invoices(again).await);
    // The sales phase's invoices, and the credit notes issued on some of them.
    let credit_notes = usize::try_from(figures["turnover-credit-notes"]).unwrap();
    assert!(credit_notes > 0);
    assert_eq!(a.len(), 1_000 + credit_notes);
    assert_eq!(a, b);

    // A database that holds a cooperative: refused, nothing written.
    let out = generate(&url, &["--year", "2024", "--scale", SCALE]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("this database already holds a cooperative; generate into an empty database"),
        "{stderr}"
    );
    let store = open(&url).await;
    assert_eq!(shown(&store, YEAR).await, figures);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_year_shows_its_counts_with_its_contracts() {
    let dir = temp_dir("reference");
    let url = sqlite_url(&dir.join("2023.sqlite"));
    proof(&url, &dir, REFERENCE_YEAR).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_options_are_refused_before_anything_is_written() {
    let dir = temp_dir("bad");
    for (args, message) in [
        (
            vec!["--scale", "0"],
            "--scale must be above 0 and at most 10",
        ),
        (
            vec!["--scale", "11"],
            "--scale must be above 0 and at most 10",
        ),
        (
            vec!["--scale", "-1"],
            "--scale must be above 0 and at most 10",
        ),
        (
            vec!["--year", "1999"],
            "--year must be between 2000 and 2100",
        ),
    ] {
        let path = dir.join("never.sqlite");
        let mut all = args.clone();
        if !all.contains(&"--year") {
            all.extend(["--year", "2024"]);
        }
        let out = generate(&sqlite_url(&path), &all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!path.exists(), "{args:?} wrote the database");
    }
    // An unreachable database: the connect error, with the URL's password hidden.
    let out = generate(
        "postgres://ruche:secret@127.0.0.1:1/none",
        &["--year", "2024", "--scale", SCALE],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("connecting to"), "{stderr}");
    assert!(!stderr.contains("secret"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_year_on_postgresql_shows_its_counts() {
    let server = server_url();
    let admin = open(&server).await;
    let database = format!(
        "ruche_generate_{}_{}",
        std::process::id(),
        jiff::Timestamp::now().as_millisecond()
    );
    admin
        .execute_admin(&format!("CREATE DATABASE {database}"))
        .await
        .unwrap();
    let url = with_database(&server, &database);
    let dir = temp_dir("pg");
    let outcome = {
        let (url, dir) = (url.clone(), dir.clone());
        tokio::spawn(async move { proof(&url, &dir, YEAR).await })
    }
    .await;
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}
