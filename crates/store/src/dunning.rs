//! Reminders (dunning): the daily run, its idempotency key, the blocks, the history and the
//! accountant's figures.
//!
//! The run has two phases. **Recording** ([`Store::dunning_run`]) is set-based: it reads the
//! open invoices past their due date with one indexed query, in batches keyed on the invoice
//! id, asks the domain's policy which level is due, and inserts one `reminders` row per
//! (invoice, level) with `ON CONFLICT DO NOTHING`: running it twice, or on two instances at
//! once, records each reminder exactly once (the UNIQUE key decides, on both engines).
//! **Delivery** ([`Store::deliver_reminders`]) renders the PDF of each recorded reminder and,
//! in one transaction that only succeeds for the first instance to claim the row, keeps the
//! PDF and queues the e-mail with the PDF attached (letters are kept for printing). Rendering
//! (typst) stays outside the store: the caller passes a [`ReminderRenderer`].
//!
//! An invoice with an open recovery case (`recovery.rs`) has left the reminders for the
//! recovery procedure (formal notice, bailiff…): the run neither selects it nor records a
//! reminder for it; it comes back if the case is closed while the invoice is still open.

use jiff::ToSpan;
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::client::ClientKind;
use ruche_domain::dunning::{
    BuyerClass, Case, Channel, Decision, ReminderDocument, ReminderSnapshot, SentReminder,
    SummaryLetter, SummaryLine, policies, rate_table,
};
use serde::Serialize;

use crate::invoices::content_hash;
use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// Invoices read and decided per write transaction.
pub const RUN_BATCH: i64 = 500;
/// At most this many reminders rendered per delivery call.
pub const MAX_DELIVERY_BATCH: i64 = 1000;

/// Renders a reminder's PDF (implemented over `ruche-pdf` by the binary and the web).
pub trait ReminderRenderer: Send + Sync {
    fn reminder_pdf(&self, document: &ReminderDocument) -> std::result::Result<Vec<u8>, String>;
}

/// How many reminders of one level a run recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelCount {
    pub class: String,
    pub level: i64,
    pub count: i64,
}

/// What a run did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DunningReport {
    pub as_of: String,
    pub dry_run: bool,
    /// Open invoices past their due date that were examined.
    pub candidates: i64,
    /// Reminders recorded by this run, per class and level.
    pub sent: Vec<LevelCount>,
    pub emails: i64,
    pub letters: i64,
    pub skipped_blocked: i64,
    pub not_yet_due: i64,
    /// Every level already sent: for the recovery procedure.
    pub exhausted: i64,
    /// Decided, but another run had recorded it first (or the invoice changed meanwhile).
    pub already_recorded: i64,
    /// What the recorded reminders claim on top of the open balances.
    pub charges_cents: i64,
}

impl DunningReport {
    pub fn total_sent(&self) -> i64 {
        self.sent.iter().map(|c| c.count).sum()
    }

    fn count(&mut self, class: BuyerClass, level: u8) {
        let class = class.code();
        match self
            .sent
            .iter_mut()
            .find(|c| c.class == class && c.level == i64::from(level))
        {
            Some(c) => c.count += 1,
            None => self.sent.push(LevelCount {
                class: class.to_string(),
                level: i64::from(level),
                count: 1,
            }),
        }
    }
}

/// What a delivery call did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    pub mailed: i64,
    pub to_print: i64,
    /// Rendering failed: left pending for the next call.
    pub failed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ReminderRecord {
    pub id: i64,
    pub invoice_id: i64,
    pub invoice_number: Option<String>,
    pub client_id: i64,
    pub client_name: String,
    pub level: i64,
    pub sent_on: String,
    pub channel: String,
    pub buyer_class: String,
    pub language: String,
    pub open_cents: i64,
    pub fee_cents: i64,
    pub interest_cents: i64,
    pub compensation_cents: i64,
    pub damages_cents: i64,
    pub rate_bp: Option<i64>,
    pub policy_version: String,
    pub rates_version: String,
    pub delivery: String,
    pub mail_id: Option<i64>,
    pub created_at: i64,
}

impl ReminderRecord {
    pub fn charges_cents(&self) -> i64 {
        self.fee_cents + self.interest_cents + self.compensation_cents + self.damages_cents
    }
}

/// Filters of the reminders list.
#[derive(Debug, Clone, Default)]
pub struct ReminderFilter {
    pub client_id: Option<i64>,
    pub invoice_id: Option<i64>,
    /// `pending`, `mailed` or `to_print`.
    pub delivery: Option<String>,
    /// Sent on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Sent on or before (YYYY-MM-DD).
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BlockRecord {
    pub invoice_id: i64,
    pub reason: String,
    pub blocked_by: Option<i64>,
    pub blocked_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BlockedInvoice {
    pub invoice_id: i64,
    pub number: Option<String>,
    pub client_id: i64,
    pub client_name: String,
    pub due_date: Option<String>,
    pub open_cents: i64,
    pub reason: String,
    pub blocked_by: Option<i64>,
    pub blocked_at: i64,
}

/// A count for a period (`2026-03` or `2026`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PeriodCount {
    pub period: String,
    pub count: i64,
}

/// The age buckets of overdue invoices, in days past the due date.
pub const AGE_BUCKETS: [(i64, Option<i64>); 4] =
    [(1, Some(30)), (31, Some(60)), (61, Some(90)), (91, None)];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgeBucket {
    /// Index in [`AGE_BUCKETS`].
    pub bucket: i64,
    pub min_days: i64,
    pub max_days: Option<i64>,
    pub count: i64,
    pub open_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OverdueInvoice {
    pub id: i64,
    pub number: Option<String>,
    pub client_id: i64,
    pub client_name: String,
    pub due_date: String,
    pub open_cents: i64,
    pub last_level: Option<i64>,
    pub blocked: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    client_id: i64,
    due_date: String,
    open_cents: i64,
    client_kind: String,
    has_email: i64,
    language: String,
    blocked: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SentRow {
    invoice_id: i64,
    level: i64,
    sent_on: String,
    channel: String,
}

/// A decided reminder waiting for its insert.
struct Decided {
    invoice_id: i64,
    client_id: i64,
    snapshot: ReminderSnapshot,
}

/// The audit's view of a recorded reminder (the snapshot is on the row).
#[derive(Serialize)]
struct ReminderAudit<'a> {
    invoice_id: i64,
    level: u8,
    sent_on: String,
    channel: &'a str,
    charges_cents: i64,
}

const CANDIDATES: &str = "SELECT i.id, i.client_id, i.due_date, \
    i.tax_inclusive_cents - i.paid_cents - i.credited_cents AS open_cents, \
    c.kind AS client_kind, \
    CAST(CASE WHEN c.email IS NULL OR c.email = '' THEN 0 ELSE 1 END AS BIGINT) AS has_email, \
    i.language, b.reason AS blocked \
    FROM invoices i JOIN clients c ON c.id = i.client_id \
    LEFT JOIN dunning_blocks b ON b.invoice_id = i.id \
    WHERE i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') \
    AND i.due_date <= $1 AND i.id > $2 \
    AND NOT EXISTS (SELECT 1 FROM recovery_cases rc \
        WHERE rc.invoice_id = i.id AND rc.closed_on IS NULL) \
    ORDER BY i.id LIMIT $3";
// The reminders already sent for a batch of candidates: those of the open invoices past due
// in the batch's id range. Candidates are sparse among the invoices (most are paid), so the
// range alone would bring back the reminders of every paid invoice in it — at the
// reference year's scale, tens of thousands of rows a batch.
const SENT_IN_RANGE: &str = "SELECT r.invoice_id, r.level, r.sent_on, r.channel \
    FROM reminders r JOIN invoices i ON i.id = r.invoice_id \
    WHERE r.invoice_id >= $1 AND r.invoice_id <= $2 \
    AND i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') AND i.due_date <= $3";
const INSERT: &str = "INSERT INTO reminders (invoice_id, client_id, level, sent_on, channel, \
    buyer_class, language, open_cents, fee_cents, interest_cents, compensation_cents, \
    damages_cents, rate_bp, policy_version, rates_version, snapshot_json, content_hash, \
    delivery, created_by, created_at) \
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
    'pending', $18, $19 FROM invoices i WHERE i.id = $1 \
    AND i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') \
    AND NOT EXISTS (SELECT 1 FROM dunning_blocks b WHERE b.invoice_id = $1) \
    AND NOT EXISTS (SELECT 1 FROM recovery_cases rc \
        WHERE rc.invoice_id = $1 AND rc.closed_on IS NULL) \
    ON CONFLICT (invoice_id, level) DO NOTHING RETURNING id";

const PENDING: &str = "SELECT id FROM reminders WHERE delivery = 'pending' ORDER BY id LIMIT $1";
const SNAPSHOT: &str = "SELECT r.snapshot_json, r.content_hash, r.invoice_id FROM reminders r \
    WHERE r.id = $1";
const DELIVERY_TARGET: &str = "SELECT r.channel, c.email FROM reminders r \
    JOIN clients c ON c.id = r.client_id WHERE r.id = $1";
const DELIVER: &str =
    "UPDATE reminders SET pdf = $1, delivery = $2 WHERE id = $3 AND delivery = 'pending'";
const SET_MAIL: &str = "UPDATE reminders SET mail_id = $1 WHERE id = $2";
const PDF: &str = "SELECT pdf FROM reminders WHERE id = $1";

macro_rules! reminder_select {
    () => {
        "SELECT r.id, r.invoice_id, i.number AS invoice_number, r.client_id, \
         c.name AS client_name, r.level, r.sent_on, r.channel, r.buyer_class, r.language, \
         r.open_cents, r.fee_cents, r.interest_cents, r.compensation_cents, r.damages_cents, \
         r.rate_bp, r.policy_version, r.rates_version, r.delivery, r.mail_id, r.created_at \
         FROM reminders r JOIN invoices i ON i.id = r.invoice_id \
         JOIN clients c ON c.id = r.client_id "
    };
}
macro_rules! reminder_where {
    () => {
        "WHERE (CAST($1 AS BIGINT) IS NULL OR r.client_id = $1) \
         AND (CAST($2 AS BIGINT) IS NULL OR r.invoice_id = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR r.delivery = $3) \
         AND (CAST($4 AS TEXT) IS NULL OR r.sent_on >= $4) \
         AND (CAST($5 AS TEXT) IS NULL OR r.sent_on <= $5) "
    };
}
const REMINDER: &str = concat!(reminder_select!(), "WHERE r.id = $1");
const LIST: &str = concat!(
    reminder_select!(),
    reminder_where!(),
    "ORDER BY r.sent_on DESC, r.id DESC LIMIT $6 OFFSET $7"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM reminders r ", reminder_where!());
const OF_INVOICE: &str = concat!(
    reminder_select!(),
    "WHERE r.invoice_id = $1 ORDER BY r.level LIMIT 50"
);
const PER_MONTH: &str = "SELECT SUBSTR(sent_on, 1, 7) AS period, COUNT(*) AS count \
    FROM reminders WHERE sent_on >= $1 AND sent_on <= $2 \
    GROUP BY SUBSTR(sent_on, 1, 7) ORDER BY period LIMIT 12";
const PER_YEAR: &str = "SELECT SUBSTR(sent_on, 1, 4) AS period, COUNT(*) AS count \
    FROM reminders GROUP BY SUBSTR(sent_on, 1, 4) ORDER BY period DESC LIMIT 50";
const BUCKETS: &str = "SELECT CAST(CASE WHEN i.due_date >= $2 THEN 0 WHEN i.due_date >= $3 \
    THEN 1 WHEN i.due_date >= $4 THEN 2 ELSE 3 END AS BIGINT) AS bucket, COUNT(*) AS count, \
    CAST(SUM(i.tax_inclusive_cents - i.paid_cents - i.credited_cents) AS BIGINT) AS open_cents \
    FROM invoices i WHERE i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') \
    AND i.due_date < $1 GROUP BY 1";
const OVERDUE: &str = "SELECT i.id, i.number, i.client_id, c.name AS client_name, i.due_date, \
    i.tax_inclusive_cents - i.paid_cents - i.credited_cents AS open_cents, \
    (SELECT MAX(r.level) FROM reminders r WHERE r.invoice_id = i.id) AS last_level, \
    b.reason AS blocked \
    FROM invoices i JOIN clients c ON c.id = i.client_id \
    LEFT JOIN dunning_blocks b ON b.invoice_id = i.id \
    WHERE i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') \
    AND i.due_date <= $1 AND i.due_date >= $2 ORDER BY i.due_date, i.id LIMIT $3 OFFSET $4";
const OVERDUE_COUNT: &str = "SELECT COUNT(*) FROM invoices i \
    WHERE i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') \
    AND i.due_date <= $1 AND i.due_date >= $2";

const INVOICE_STATUS: &str = "SELECT status, kind FROM invoices WHERE id = $1";
const BLOCK: &str = "SELECT invoice_id, reason, blocked_by, blocked_at FROM dunning_blocks \
    WHERE invoice_id = $1";
const BLOCK_INSERT: &str = "INSERT INTO dunning_blocks (invoice_id, reason, blocked_by, \
    blocked_at) VALUES ($1, $2, $3, $4)";
const UNBLOCK: &str = "DELETE FROM dunning_blocks WHERE invoice_id = $1";
const BLOCKED_LIST: &str = "SELECT b.invoice_id, i.number, i.client_id, c.name AS client_name, \
    i.due_date, i.tax_inclusive_cents - i.paid_cents - i.credited_cents AS open_cents, \
    b.reason, b.blocked_by, b.blocked_at FROM dunning_blocks b \
    JOIN invoices i ON i.id = b.invoice_id JOIN clients c ON c.id = i.client_id \
    ORDER BY b.blocked_at DESC, b.invoice_id LIMIT $1 OFFSET $2";
const BLOCKED_COUNT: &str = "SELECT COUNT(*) FROM dunning_blocks";

const CLIENT_OPEN: &str = "SELECT i.id, i.number, i.issue_date, i.due_date, \
    i.tax_inclusive_cents, i.tax_inclusive_cents - i.paid_cents - i.credited_cents AS open_cents, \
    i.structured_communication, \
    (SELECT MAX(r.level) FROM reminders r WHERE r.invoice_id = i.id) AS last_level \
    FROM invoices i WHERE i.client_id = $1 AND i.kind = 'invoice' \
    AND i.status IN ('issued', 'partially_paid') ORDER BY i.due_date, i.id LIMIT 500";
const CLIENT_LANGUAGE: &str = "SELECT language FROM clients WHERE id = $1";

type ClientOpenRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    Option<String>,
    Option<i64>,
);

fn parse_date(s: &str) -> Result<Date> {
    s.parse::<Date>()
        .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
}

fn rules_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("dunning rules: {e}"))
}

impl Store {
    /// The daily run for `as_of`: records every reminder due that day, each (invoice, level)
    /// once. A `dry_run` decides the same way and writes nothing.
    pub async fn dunning_run(
        &self,
        ctx: &AuditContext,
        as_of: Date,
        dry_run: bool,
    ) -> Result<DunningReport> {
        let policies = policies().map_err(rules_error)?;
        let rates = rate_table().map_err(rules_error)?;
        let min_delay = policies
            .policies
            .iter()
            .flat_map(|p| p.levels.iter().map(|l| l.days_after_due))
            .min()
            .unwrap_or(0);
        // Only invoices whose earliest level can be due are read.
        let latest_due = as_of.saturating_sub(min_delay.days()).to_string();
        let mut report = DunningReport {
            as_of: as_of.to_string(),
            dry_run,
            ..DunningReport::default()
        };
        let mut after_id = 0_i64;
        // Bounded: each batch advances past at least one invoice id.
        loop {
            let batch: Vec<Candidate> = with_db!(self, pool => {
                sqlx::query_as(CANDIDATES)
                    .bind(&latest_due)
                    .bind(after_id)
                    .bind(RUN_BATCH)
                    .fetch_all(pool)
                    .await?
            });
            let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
                break;
            };
            let (first_id, last_id) = (first.id, last.id);
            after_id = last_id;
            report.candidates += i64::try_from(batch.len()).unwrap_or(0);
            let sent_rows: Vec<SentRow> = with_db!(self, pool => {
                sqlx::query_as(SENT_IN_RANGE)
                    .bind(first_id)
                    .bind(last_id)
                    .bind(&latest_due)
                    .fetch_all(pool)
                    .await?
            });
            let mut sent_by_invoice: std::collections::HashMap<i64, Vec<&SentRow>> =
                std::collections::HashMap::new();
            for row in &sent_rows {
                sent_by_invoice.entry(row.invoice_id).or_default().push(row);
            }
            let mut decided = Vec::new();
            for candidate in &batch {
                let sent: Vec<SentReminder> = sent_by_invoice
                    .get(&candidate.id)
                    .into_iter()
                    .flatten()
                    .map(|s| {
                        Ok(SentReminder {
                            level: u8::try_from(s.level).unwrap_or(u8::MAX),
                            sent_on: parse_date(&s.sent_on)?,
                            channel: Channel::parse(&s.channel).ok_or_else(|| {
                                StoreError::Corrupt(format!("channel {}", s.channel))
                            })?,
                        })
                    })
                    .collect::<Result<_>>()?;
                let kind = ClientKind::parse(&candidate.client_kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("client kind {}", candidate.client_kind))
                })?;
                let class = BuyerClass::of(kind);
                let policy = policies
                    .for_class(class)
                    .ok_or_else(|| rules_error(class.code()))?;
                let case = Case {
                    due_date: parse_date(&candidate.due_date)?,
                    open_cents: candidate.open_cents,
                    sent: &sent,
                    blocked: candidate.blocked.is_some(),
                    has_email: candidate.has_email == 1,
                    as_of,
                };
                match policy.decide(&case, rates).map_err(rules_error)? {
                    Decision::Send(reminder) => decided.push(Decided {
                        invoice_id: candidate.id,
                        client_id: candidate.client_id,
                        snapshot: ReminderSnapshot {
                            reminder: *reminder,
                            policy_version: policies.version.clone(),
                            rates_version: rates.version.clone(),
                            language: Language::parse(&candidate.language).unwrap_or_default(),
                        },
                    }),
                    Decision::Blocked => report.skipped_blocked += 1,
                    Decision::NotYet { .. } => report.not_yet_due += 1,
                    Decision::Exhausted => report.exhausted += 1,
                    Decision::Settled => {}
                }
            }
            if dry_run {
                for d in &decided {
                    report.tally(&d.snapshot);
                }
            } else if !decided.is_empty() {
                let recorded = self.record_reminders(ctx, &decided).await?;
                for (d, done) in decided.iter().zip(recorded) {
                    if done {
                        report.tally(&d.snapshot);
                    } else {
                        report.already_recorded += 1;
                    }
                }
            }
            if i64::try_from(batch.len()).unwrap_or(0) < RUN_BATCH {
                break;
            }
        }
        Ok(report)
    }

    /// Inserts a batch of decided reminders in one transaction; `true` for each one this
    /// call recorded (`false`: already there, or the invoice was paid or blocked meanwhile).
    async fn record_reminders(&self, ctx: &AuditContext, decided: &[Decided]) -> Result<Vec<bool>> {
        let now = now_micros();
        write_tx!(self, tx => {
            let mut out = Vec::with_capacity(decided.len());
            for d in decided {
                let r = &d.snapshot.reminder;
                let json = serde_json::to_string(&d.snapshot)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let rate_bp = r
                    .interest
                    .as_ref()
                    .and_then(|i| i.periods.last())
                    .map(|p| i64::from(p.rate_bp));
                let id: Option<(i64,)> = sqlx::query_as(INSERT)
                    .bind(d.invoice_id)
                    .bind(d.client_id)
                    .bind(i64::from(r.level))
                    .bind(r.sent_on.to_string())
                    .bind(r.channel.code())
                    .bind(r.class.code())
                    .bind(d.snapshot.language.code())
                    .bind(r.open_cents)
                    .bind(r.fee_cents)
                    .bind(r.interest.as_ref().map_or(0, |i| i.interest_cents))
                    .bind(r.compensation_cents)
                    .bind(r.damages_cents)
                    .bind(rate_bp)
                    .bind(&d.snapshot.policy_version)
                    .bind(&d.snapshot.rates_version)
                    .bind(&json)
                    .bind(content_hash(&json))
                    .bind(ctx.actor_account_id)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some((id,)) = id {
                    let after = ReminderAudit {
                        invoice_id: d.invoice_id,
                        level: r.level,
                        sent_on: r.sent_on.to_string(),
                        channel: r.channel.code(),
                        charges_cents: r.charges_cents(),
                    };
                    audit!(tx, ctx, "send", "reminder", Some(id), None::<&()>, Some(&after));
                }
                out.push(id.is_some());
            }
            Ok(out)
        })
    }

    /// Renders and delivers up to `limit` recorded reminders: an e-mail goes to the outbox
    /// with its PDF attached, a letter is kept for printing. Each reminder is delivered once
    /// even when two instances deliver at the same moment (the first to update the row wins,
    /// and the mail is queued in that same transaction).
    pub async fn deliver_reminders(
        &self,
        ctx: &AuditContext,
        renderer: &dyn ReminderRenderer,
        limit: i64,
    ) -> Result<DeliveryReport> {
        let ids: Vec<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(PENDING)
                .bind(limit.clamp(1, MAX_DELIVERY_BATCH))
                .fetch_all(pool)
                .await?
        });
        let mut report = DeliveryReport::default();
        for (id,) in ids {
            let document = self.reminder_document(id).await?;
            let pdf = match renderer.reminder_pdf(&document) {
                Ok(pdf) => pdf,
                Err(_) => {
                    report.failed += 1;
                    continue;
                }
            };
            let (channel, email): (String, Option<String>) = with_db!(self, pool => {
                sqlx::query_as(DELIVERY_TARGET).bind(id).fetch_one(pool).await?
            });
            let email = email.filter(|e| !e.trim().is_empty());
            let mailed = channel == Channel::Email.code() && email.is_some();
            let delivery = if mailed { "mailed" } else { "to_print" };
            let delivered = write_tx!(self, tx => {
                let done = sqlx::query(DELIVER)
                    .bind(&pdf)
                    .bind(delivery)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    false
                } else {
                    if let (true, Some(to)) = (mailed, email.as_deref()) {
                        let subject = document.mail_subject();
                        let body = document.mail_body();
                        let mail_id = queue_mail_in!(tx, to, &subject, &body);
                        sqlx::query(crate::mail::INSERT_ATTACHMENT)
                            .bind(mail_id)
                            .bind(document.filename())
                            .bind("application/pdf")
                            .bind(&pdf)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(SET_MAIL).bind(mail_id).bind(id).execute(&mut *tx).await?;
                    }
                    audit!(tx, ctx, "deliver", "reminder", Some(id), None::<&()>,
                        Some(&serde_json::json!({ "delivery": delivery })));
                    true
                }
            });
            if delivered {
                if mailed {
                    report.mailed += 1;
                } else {
                    report.to_print += 1;
                }
            }
        }
        Ok(report)
    }

    /// A reminder as rendered: its frozen snapshot (checked against its hash) and the
    /// issued invoice it is about.
    pub async fn reminder_document(&self, id: i64) -> Result<ReminderDocument> {
        let row: Option<(String, String, i64)> = with_db!(self, pool => {
            sqlx::query_as(SNAPSHOT).bind(id).fetch_optional(pool).await?
        });
        let (json, hash, invoice_id) = row.ok_or(StoreError::NotFound)?;
        if content_hash(&json) != hash {
            return Err(StoreError::Corrupt(format!(
                "reminder {id}: content hash mismatch"
            )));
        }
        let snapshot: ReminderSnapshot =
            serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let invoice = self.issued_document(invoice_id).await?;
        Ok(ReminderDocument { snapshot, invoice })
    }

    /// The kept PDF of a reminder (`None` while not yet rendered).
    pub async fn reminder_pdf(&self, id: i64) -> Result<Option<Vec<u8>>> {
        with_db!(self, pool => {
            let row: Option<(Option<Vec<u8>>,)> =
                sqlx::query_as(PDF).bind(id).fetch_optional(pool).await?;
            Ok(row.ok_or(StoreError::NotFound)?.0)
        })
    }

    pub async fn reminder(&self, id: i64) -> Result<ReminderRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ReminderRecord>(REMINDER)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The reminder history of one invoice, by level.
    pub async fn reminders_of_invoice(&self, invoice_id: i64) -> Result<Vec<ReminderRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ReminderRecord>(OF_INVOICE)
                .bind(invoice_id)
                .fetch_all(pool)
                .await?)
        })
    }

    /// Reminders, newest first, filtered.
    pub async fn reminders(
        &self,
        filter: &ReminderFilter,
        page: PageRequest,
    ) -> Result<Page<ReminderRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.client_id)
                .bind(filter.invoice_id)
                .bind(filter.delivery.as_deref())
                .bind(filter.from.as_deref())
                .bind(filter.to.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, ReminderRecord>(LIST)
                .bind(filter.client_id)
                .bind(filter.invoice_id)
                .bind(filter.delivery.as_deref())
                .bind(filter.from.as_deref())
                .bind(filter.to.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Reminders sent per month of `year`.
    pub async fn reminders_per_month(&self, year: i16) -> Result<Vec<PeriodCount>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, PeriodCount>(PER_MONTH)
                .bind(format!("{year:04}-01-01"))
                .bind(format!("{year:04}-12-31"))
                .fetch_all(pool)
                .await?)
        })
    }

    /// Reminders sent per year, newest first.
    pub async fn reminders_per_year(&self) -> Result<Vec<PeriodCount>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, PeriodCount>(PER_YEAR).fetch_all(pool).await?)
        })
    }

    /// Open invoices past their due date on `as_of`, by age bucket (every bucket listed).
    pub async fn overdue_by_age(&self, as_of: Date) -> Result<Vec<AgeBucket>> {
        let bound = |days: i64| as_of.saturating_sub(days.days()).to_string();
        let rows: Vec<(i64, i64, Option<i64>)> = with_db!(self, pool => {
            sqlx::query_as(BUCKETS)
                .bind(as_of.to_string())
                .bind(bound(30))
                .bind(bound(60))
                .bind(bound(90))
                .fetch_all(pool)
                .await?
        });
        Ok(AGE_BUCKETS
            .iter()
            .enumerate()
            .map(|(i, (min_days, max_days))| {
                let i = i64::try_from(i).unwrap_or(0);
                let row = rows.iter().find(|r| r.0 == i);
                AgeBucket {
                    bucket: i,
                    min_days: *min_days,
                    max_days: *max_days,
                    count: row.map_or(0, |r| r.1),
                    open_cents: row.and_then(|r| r.2).unwrap_or(0),
                }
            })
            .collect())
    }

    /// The open invoices of one age bucket on `as_of` (index in [`AGE_BUCKETS`]), oldest
    /// due date first.
    pub async fn overdue_invoices(
        &self,
        as_of: Date,
        bucket: usize,
        page: PageRequest,
    ) -> Result<Page<OverdueInvoice>> {
        let (min_days, max_days) = *AGE_BUCKETS.get(bucket).ok_or(StoreError::NotFound)?;
        let latest = as_of.saturating_sub(min_days.days()).to_string();
        let earliest = match max_days {
            Some(d) => as_of.saturating_sub(d.days()).to_string(),
            None => "0000-01-01".to_string(),
        };
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(OVERDUE_COUNT)
                .bind(&latest)
                .bind(&earliest)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, OverdueInvoice>(OVERDUE)
                .bind(&latest)
                .bind(&earliest)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Blocks the reminders of an open invoice (a dispute, a payment plan, a pause), with
    /// the reason. Refused for an invoice that is not open or already blocked.
    pub async fn block_invoice(
        &self,
        ctx: &AuditContext,
        invoice_id: i64,
        reason: &str,
    ) -> Result<BlockRecord> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(StoreError::Conflict("block-reason-required"));
        }
        write_tx!(self, tx => {
            let invoice: Option<(String, String)> = sqlx::query_as(INVOICE_STATUS)
                .bind(invoice_id)
                .fetch_optional(&mut *tx)
                .await?;
            let (status, kind) = invoice.ok_or(StoreError::NotFound)?;
            if kind != "invoice" || !matches!(status.as_str(), "issued" | "partially_paid") {
                return Err(StoreError::Conflict("invoice-not-open"));
            }
            let existing: Option<BlockRecord> = sqlx::query_as(BLOCK)
                .bind(invoice_id)
                .fetch_optional(&mut *tx)
                .await?;
            if existing.is_some() {
                return Err(StoreError::Conflict("already-blocked"));
            }
            let record = BlockRecord {
                invoice_id,
                reason: reason.to_string(),
                blocked_by: ctx.actor_account_id,
                blocked_at: now_micros(),
            };
            sqlx::query(BLOCK_INSERT)
                .bind(invoice_id)
                .bind(&record.reason)
                .bind(record.blocked_by)
                .bind(record.blocked_at)
                .execute(&mut *tx)
                .await?;
            audit!(tx, ctx, "block", "dunning_block", Some(invoice_id), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    /// Lifts the block of an invoice; the next run picks it up again.
    pub async fn unblock_invoice(&self, ctx: &AuditContext, invoice_id: i64) -> Result<()> {
        write_tx!(self, tx => {
            let existing: Option<BlockRecord> = sqlx::query_as(BLOCK)
                .bind(invoice_id)
                .fetch_optional(&mut *tx)
                .await?;
            let existing = existing.ok_or(StoreError::NotFound)?;
            sqlx::query(UNBLOCK).bind(invoice_id).execute(&mut *tx).await?;
            audit!(tx, ctx, "unblock", "dunning_block", Some(invoice_id), Some(&existing), None::<&()>);
            Ok(())
        })
    }

    pub async fn invoice_block(&self, invoice_id: i64) -> Result<Option<BlockRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, BlockRecord>(BLOCK)
                .bind(invoice_id)
                .fetch_optional(pool)
                .await?)
        })
    }

    pub async fn blocked_invoices(&self, page: PageRequest) -> Result<Page<BlockedInvoice>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(BLOCKED_COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, BlockedInvoice>(BLOCKED_LIST)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The letter summarising every unpaid invoice of a client on `as_of` (at most 500).
    pub async fn summary_letter(&self, client_id: i64, as_of: Date) -> Result<SummaryLetter> {
        let (rows, language): (Vec<ClientOpenRow>, Option<(String,)>) = with_db!(self, pool => {
            let rows = sqlx::query_as(CLIENT_OPEN).bind(client_id).fetch_all(pool).await?;
            let language = sqlx::query_as(CLIENT_LANGUAGE)
                .bind(client_id)
                .fetch_optional(pool)
                .await?;
            (rows, language)
        });
        let (language,) = language.ok_or(StoreError::NotFound)?;
        let latest = rows.iter().map(|r| r.0).max().ok_or(StoreError::NotFound)?;
        let document = self.issued_document(latest).await?;
        let mut lines = Vec::with_capacity(rows.len());
        for (_, number, issue_date, due_date, total, open, ogm, last_level) in rows {
            lines.push(SummaryLine {
                number: number.unwrap_or_default(),
                issue_date: parse_date(issue_date.as_deref().unwrap_or_default())?,
                due_date: parse_date(due_date.as_deref().unwrap_or_default())?,
                total_cents: total,
                open_cents: open,
                last_level: last_level.and_then(|l| u8::try_from(l).ok()).unwrap_or(0),
                structured_communication: ogm.unwrap_or_default(),
            });
        }
        Ok(SummaryLetter {
            language: Language::parse(&language).unwrap_or_default(),
            date: as_of,
            seller: document.seller,
            buyer: document.buyer,
            lines,
        })
    }
}

impl DunningReport {
    fn tally(&mut self, snapshot: &ReminderSnapshot) {
        let r = &snapshot.reminder;
        self.count(r.class, r.level);
        match r.channel {
            Channel::Email => self.emails += 1,
            Channel::Letter => self.letters += 1,
        }
        self.charges_cents += r.charges_cents();
    }
}
