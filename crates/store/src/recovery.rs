//! Debt recovery: one case per invoice in recovery, the dated entries of its history, the
//! write-off charged to the guarantee fund, the history of an invoice and the accountant's
//! pipeline (dunning.md §7 items 6 and 7).
//!
//! **When a case closes.** A case is open while `closed_on` is NULL; a write-off or the
//! accountant's stop closes it for good. A payment or a credit note that settles the invoice
//! is posted by the invoices and bank modules, which know nothing of recovery: rather than
//! write into the case from there, every read here treats the open case of an invoice that
//! is no longer open (paid, credited) as `closed` (`EFFECTIVE_STATUS`), and every write on
//! such a case is refused. Should the payment be taken back (a bank return), the invoice is
//! open again and so is its case, as the debt is: nothing stored has to be undone.

use jiff::civil::Date;
use ruche_domain::invoicing::{Document, DocumentKind, InvoiceEvent, InvoiceStatus};
use ruche_domain::recovery::{
    EntryKind, NewEntry, RecoveryEvent, RecoveryStatus, WriteOff, consultation_deadline,
    consultation_expired, write_off_transaction,
};
use serde::Serialize;

use crate::invoices::{InvoiceRecord, content_hash, net_share_of};
use crate::ledger::post_in;
use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// A recovery case, with the status it has now (see the module's note on closing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RecoveryCase {
    pub id: i64,
    pub invoice_id: i64,
    pub status: String,
    pub opened_on: String,
    pub consultation_deadline: String,
    pub objection: Option<String>,
    pub objected_on: Option<String>,
    pub closed_on: Option<String>,
    pub write_off_transaction_id: Option<i64>,
    pub opened_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RecoveryCase {
    pub fn status(&self) -> Result<RecoveryStatus> {
        RecoveryStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("recovery status {}", self.status)))
    }
}

/// One entry of a case's history. The document's bytes are read apart
/// ([`Store::recovery_document`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RecoveryEntry {
    pub id: i64,
    pub case_id: i64,
    pub invoice_id: i64,
    pub kind: String,
    pub occurred_on: String,
    pub actor_account_id: Option<i64>,
    pub actor_email: Option<String>,
    pub body: Option<String>,
    pub cost_cents: Option<i64>,
    pub promised_on: Option<String>,
    pub status_after: String,
    pub document_filename: Option<String>,
    pub document_content_type: Option<String>,
    pub document_size: i64,
    pub created_at: i64,
}

/// A document kept with an entry.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecoveryDocument {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A message to one holder of the activity, telling them recovery starts (written by the
/// web layer in the holder's language, queued in the transaction that opens the case).
#[derive(Debug, Clone)]
pub struct MemberNotice {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Who is told when a case opens: a holder of the invoice's activity, with a language.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub language: String,
}

/// What kind of line of an invoice's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HistoryKind {
    Issued,
    /// The invoice was mailed to the client.
    Sent,
    Payment,
    CreditNote,
    Reminder,
    /// An entry of a recovery case (the code of its kind is in `code`).
    Recovery,
}

/// One line of an invoice's history, for the member and the accountant alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryItem {
    pub kind: HistoryKind,
    /// For a recovery entry, its kind (`formal-notice`, `call`…); for a reminder, its
    /// channel; else the kind's own code.
    pub code: String,
    pub on: String,
    /// When it was recorded (Unix microseconds), to order the lines of one day.
    pub at: i64,
    pub author: Option<String>,
    pub amount_cents: Option<i64>,
    /// The document number (credit note), reminder level, payment reference or the text.
    pub detail: Option<String>,
    pub promised_on: Option<String>,
    /// The recovery entry, when the line is one (to download its document).
    pub entry_id: Option<i64>,
    pub document_filename: Option<String>,
}

/// One stage of the pipeline: how many cases and how much is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageTotal {
    pub status: RecoveryStatus,
    pub cases: i64,
    pub due_cents: i64,
}

/// One case in the pipeline's lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PipelineRow {
    pub case_id: i64,
    pub invoice_id: i64,
    pub number: Option<String>,
    pub client_name: String,
    pub activity_id: i64,
    pub activity_name: String,
    pub status: String,
    pub opened_on: String,
    pub due_date: Option<String>,
    pub due_cents: i64,
    pub last_entry_on: Option<String>,
}

/// A case's stored status, or `closed` when its invoice is no longer open.
macro_rules! effective_status {
    () => {
        "CASE WHEN c.closed_on IS NULL AND i.status NOT IN ('issued', 'partially_paid') \
         THEN 'closed' ELSE c.status END"
    };
}

macro_rules! case_select {
    () => {
        concat!(
            "SELECT c.id, c.invoice_id, ",
            effective_status!(),
            " AS status, c.opened_on, c.consultation_deadline, c.objection, c.objected_on, \
             c.closed_on, c.write_off_transaction_id, c.opened_by, c.created_at, c.updated_at \
             FROM recovery_cases c JOIN invoices i ON i.id = c.invoice_id"
        )
    };
}

const CASE_GET: &str = concat!(case_select!(), " WHERE c.id = $1");
/// The open case of an invoice, else its latest one.
const CASE_OF_INVOICE: &str = concat!(
    case_select!(),
    " WHERE c.invoice_id = $1 ORDER BY CASE WHEN c.closed_on IS NULL THEN 0 ELSE 1 END, c.id DESC \
     LIMIT 1"
);
const OPEN_CASE_OF_INVOICE: &str =
    "SELECT id FROM recovery_cases WHERE invoice_id = $1 AND closed_on IS NULL";
const CASE_INSERT: &str = "INSERT INTO recovery_cases (invoice_id, status, opened_on, \
    consultation_deadline, opened_by, created_at, updated_at) \
    VALUES ($1, 'member-informed', $2, $3, $4, $5, $5) RETURNING id";
/// Moves a case on, only from the status it was read in (a concurrent change makes it miss).
const CASE_SET_STATUS: &str = "UPDATE recovery_cases SET status = $1, closed_on = $2, \
    updated_at = $3 WHERE id = $4 AND status = $5 AND closed_on IS NULL";
const CASE_SET_OBJECTION: &str =
    "UPDATE recovery_cases SET objection = $1, objected_on = $2 WHERE id = $3";
const CASE_SET_WRITE_OFF: &str =
    "UPDATE recovery_cases SET write_off_transaction_id = $1 WHERE id = $2";
const ENTRY_INSERT: &str = "INSERT INTO recovery_entries (case_id, invoice_id, kind, \
    occurred_on, actor_account_id, body, cost_cents, promised_on, status_after, \
    document_filename, document_content_type, document, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
macro_rules! entry_select {
    () => {
        "SELECT e.id, e.case_id, e.invoice_id, e.kind, e.occurred_on, e.actor_account_id, \
         a.email AS actor_email, e.body, e.cost_cents, e.promised_on, e.status_after, \
         e.document_filename, e.document_content_type, \
         CAST(COALESCE(LENGTH(e.document), 0) AS BIGINT) AS document_size, e.created_at \
         FROM recovery_entries e LEFT JOIN accounts a ON a.id = e.actor_account_id"
    };
}
const ENTRY_GET: &str = concat!(entry_select!(), " WHERE e.id = $1");
const ENTRIES_OF_CASE: &str = concat!(
    entry_select!(),
    " WHERE e.case_id = $1 ORDER BY e.id LIMIT 500"
);
const ENTRIES_OF_INVOICE: &str = concat!(
    entry_select!(),
    " WHERE e.invoice_id = $1 ORDER BY e.id LIMIT 1000"
);
const DOCUMENT: &str = "SELECT document_filename AS filename, document_content_type AS \
    content_type, document AS content FROM recovery_entries WHERE id = $1 \
    AND document IS NOT NULL";
const RECIPIENTS: &str = "SELECT COALESCE(ac.email, p.email) AS email, \
    COALESCE(ac.language, p.language) AS language \
    FROM invoices i JOIN activity_holders h ON h.activity_id = i.activity_id \
    JOIN persons p ON p.id = h.person_id LEFT JOIN accounts ac ON ac.person_id = p.id \
    WHERE i.id = $1 AND COALESCE(ac.email, p.email) IS NOT NULL ORDER BY p.id LIMIT 20";
const SNAPSHOT: &str = "SELECT snapshot_json FROM invoices WHERE id = $1";
const INVOICE_WRITTEN_OFF: &str = "UPDATE invoices SET status = $1, updated_at = $2 \
    WHERE id = $3 AND status IN ('issued', 'partially_paid')";

// The history's other sources, read-only: the tables belong to the invoices, ledger, audit,
// mail and dunning modules.
const ISSUED_BY: &str = "SELECT a.email FROM audit_log l LEFT JOIN accounts a \
    ON a.id = l.actor_account_id WHERE l.entity_type = 'invoice' AND l.entity_id = $1 \
    AND l.action = 'issue' ORDER BY l.id LIMIT 1";
/// The mails that carried the invoice's PDF, named after its number (`documents::send`).
const SENT: &str = "SELECT m.created_at, m.to_address FROM mail_outbox m \
    WHERE EXISTS (SELECT 1 FROM mail_attachments f WHERE f.mail_id = m.id AND f.filename = $1) \
    ORDER BY m.id LIMIT 100";
const PAYMENTS: &str = "SELECT p.received_on, p.created_at, p.amount_cents, p.reference, \
    a.email FROM invoice_payments p LEFT JOIN ledger_transactions t \
    ON t.id = p.ledger_transaction_id LEFT JOIN accounts a ON a.id = t.created_by \
    WHERE p.invoice_id = $1 ORDER BY p.id LIMIT 500";
const CREDIT_NOTES: &str = "SELECT n.issue_date, COALESCE(n.issued_at, n.updated_at), \
    n.tax_inclusive_cents, n.number, a.email FROM invoices n LEFT JOIN accounts a \
    ON a.id = n.created_by WHERE n.corrects_invoice_id = $1 AND n.status <> 'draft' \
    ORDER BY n.id LIMIT 100";
const UNPAID_OF_ACTIVITY: &str = "SELECT i.id, i.number, c.name AS client_name, i.due_date, \
    i.tax_inclusive_cents - i.paid_cents - i.credited_cents AS due_cents, \
    (SELECT CAST(MAX(r.level) AS BIGINT) FROM reminders r WHERE r.invoice_id = i.id) \
    AS last_reminder_level, \
    (SELECT rc.status FROM recovery_cases rc WHERE rc.invoice_id = i.id AND rc.closed_on IS NULL) \
    AS recovery_status \
    FROM invoices i JOIN clients c ON c.id = i.client_id \
    WHERE i.activity_id = $1 AND i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') \
    AND i.due_date < $2 ORDER BY i.due_date, i.id LIMIT $3";
const REMINDERS: &str = "SELECT CAST(level AS BIGINT), sent_on, channel FROM reminders \
    WHERE invoice_id = $1 AND sent_on IS NOT NULL ORDER BY sent_on, level LIMIT 100";

const STAGE_TOTALS: &str = concat!(
    "SELECT s.status, CAST(COUNT(*) AS BIGINT), \
     CAST(COALESCE(SUM(s.due), 0) AS BIGINT) FROM (SELECT ",
    effective_status!(),
    " AS status, i.tax_inclusive_cents - i.paid_cents - i.credited_cents AS due \
     FROM recovery_cases c JOIN invoices i ON i.id = c.invoice_id) s GROUP BY s.status"
);
macro_rules! pipeline_from {
    () => {
        concat!(
            " FROM recovery_cases c JOIN invoices i ON i.id = c.invoice_id \
             JOIN clients cl ON cl.id = i.client_id JOIN activities a ON a.id = i.activity_id \
             WHERE (CAST($1 AS TEXT) IS NULL OR ",
            effective_status!(),
            " = $1)"
        )
    };
}
const PIPELINE_COUNT: &str = concat!("SELECT COUNT(*)", pipeline_from!());
const PIPELINE: &str = concat!(
    "SELECT c.id AS case_id, i.id AS invoice_id, i.number, cl.name AS client_name, \
     a.id AS activity_id, a.name AS activity_name, ",
    effective_status!(),
    " AS status, c.opened_on, i.due_date, \
     i.tax_inclusive_cents - i.paid_cents - i.credited_cents AS due_cents, \
     (SELECT MAX(e.occurred_on) FROM recovery_entries e WHERE e.case_id = c.id) AS last_entry_on",
    pipeline_from!(),
    " ORDER BY c.opened_on, c.id LIMIT $2 OFFSET $3"
);

/// A payment of the history: received on, recorded at, amount, reference, author.
type PaymentRow = (String, i64, i64, Option<String>, Option<String>);
/// A credit note of the history: issue date, recorded at, amount, number, author.
type CreditNoteRow = (Option<String>, i64, i64, Option<String>, Option<String>);

/// Refuses what the state machine refuses, as the store's conflict code.
fn refused(_: ruche_domain::invoicing::TransitionError) -> StoreError {
    StoreError::Conflict("recovery-transition-refused")
}

/// Writes one entry of a case's history inside `$tx`, after the case's status moved to
/// `$status_after`, and evaluates to its id.
macro_rules! entry_in {
    ($tx:ident, $ctx:expr, $case:expr, $entry:expr, $status_after:expr) => {{
        let case: &RecoveryCase = $case;
        let entry: &NewEntry = $entry;
        let status_after: RecoveryStatus = $status_after;
        let document = entry.document.as_ref();
        let (id,): (i64,) = sqlx::query_as(ENTRY_INSERT)
            .bind(case.id)
            .bind(case.invoice_id)
            .bind(entry.kind.code())
            .bind(entry.on.to_string())
            .bind($ctx.actor_account_id)
            .bind(entry.text.as_deref())
            .bind(entry.cost_cents)
            .bind(entry.promised_on.map(|d| d.to_string()))
            .bind(status_after.code())
            .bind(document.map(|d| d.filename.as_str()))
            .bind(document.map(|d| d.content_type.as_str()))
            .bind(document.map(|d| d.bytes.as_slice()))
            .bind(now_micros())
            .fetch_one(&mut *$tx)
            .await?;
        id
    }};
}

/// An open invoice of an activity past its due date, and where its follow-up stands: what
/// the member sees of the collection of their activity's invoices on its budget page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct UnpaidInvoice {
    pub id: i64,
    pub number: Option<String>,
    pub client_name: String,
    pub due_date: String,
    pub due_cents: i64,
    /// The last reminder sent, if any.
    pub last_reminder_level: Option<i64>,
    /// The open recovery case's stage, if any.
    pub recovery_status: Option<String>,
}

/// The most unpaid invoices listed for one activity (the oldest first).
pub const MAX_UNPAID_LISTED: i64 = 100;

impl Store {
    /// The holders of an invoice's activity who are told when recovery starts.
    pub async fn recovery_recipients(&self, invoice_id: i64) -> Result<Vec<Recipient>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, Recipient>(RECIPIENTS).bind(invoice_id).fetch_all(pool).await?)
        })
    }

    /// Opens the recovery of an open invoice on `on`: the case starts with the member
    /// consulted (dunning.md §7 item 7), and `notices` (one per holder) are queued in the
    /// same transaction. An invoice has one open case at a time.
    pub async fn open_recovery(
        &self,
        ctx: &AuditContext,
        invoice_id: i64,
        on: Date,
        text: Option<&str>,
        notices: &[MemberNotice],
    ) -> Result<RecoveryCase> {
        if notices.len() > 20 {
            return Err(StoreError::Conflict("too-many-recipients"));
        }
        let now = now_micros();
        write_tx!(self, tx => {
            let invoice = sqlx::query_as::<_, InvoiceRecord>(crate::invoices::GET)
                .bind(invoice_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if invoice.kind() != DocumentKind::Invoice || !invoice.status()?.is_open() {
                return Err(StoreError::Conflict("invoice-not-open"));
            }
            let open: Option<(i64,)> = sqlx::query_as(OPEN_CASE_OF_INVOICE)
                .bind(invoice_id)
                .fetch_optional(&mut *tx)
                .await?;
            if open.is_some() {
                return Err(StoreError::Conflict("recovery-already-open"));
            }
            let (id,): (i64,) = sqlx::query_as(CASE_INSERT)
                .bind(invoice_id)
                .bind(on.to_string())
                .bind(consultation_deadline(on).to_string())
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let case = sqlx::query_as::<_, RecoveryCase>(CASE_GET).bind(id).fetch_one(&mut *tx).await?;
            let entry = NewEntry {
                kind: EntryKind::Opened,
                on,
                text: text.map(str::to_string),
                cost_cents: None,
                promised_on: None,
                document: None,
            };
            entry_in!(tx, ctx, &case, &entry, RecoveryStatus::MemberInformed);
            for notice in notices {
                queue_mail_in!(tx, &notice.to, &notice.subject, &notice.body);
            }
            audit!(tx, ctx, "open", "recovery_case", Some(id), None::<&RecoveryCase>, Some(&case));
            Ok(case)
        })
    }

    /// Records one entry of the open case of an invoice: a transition (the member's answer,
    /// the accountant's decision, a hand-over stage, the write-off) or a follow-up (a call,
    /// a letter, a promise to pay, a note). Whatever the state machine refuses is refused
    /// and nothing is written. A write-off posts the loss to the guarantee fund
    /// (`write_off_transaction`) and marks the invoice written off, in the same transaction.
    pub async fn record_recovery_entry(
        &self,
        ctx: &AuditContext,
        invoice_id: i64,
        entry: &NewEntry,
    ) -> Result<RecoveryCase> {
        let now = now_micros();
        write_tx!(self, tx => {
            let case = sqlx::query_as::<_, RecoveryCase>(CASE_OF_INVOICE)
                .bind(invoice_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let status = case.status()?;
            if !status.is_open() {
                return Err(StoreError::Conflict("recovery-closed"));
            }
            let opened_on: Date = case
                .opened_on
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("date {}", case.opened_on)))?;
            if entry.on < opened_on {
                return Err(StoreError::Conflict("recovery-date-before-opening"));
            }
            let next = match entry.kind {
                EntryKind::Opened => return Err(StoreError::Conflict("recovery-already-open")),
                // Closing follows the invoice: paid or credited (see the module's note).
                EntryKind::Transition(RecoveryEvent::Close) => {
                    return Err(StoreError::Conflict("recovery-transition-refused"));
                }
                EntryKind::Transition(RecoveryEvent::ConsultationExpired)
                    if !consultation_expired(opened_on, entry.on) =>
                {
                    return Err(StoreError::Conflict("recovery-consultation-running"));
                }
                EntryKind::Transition(event) => status.transition(event).map_err(refused)?,
                EntryKind::FollowUp(_) => status,
            };
            if next != status {
                let closed_on = (!next.is_open()).then(|| entry.on.to_string());
                let done = sqlx::query(CASE_SET_STATUS)
                    .bind(next.code())
                    .bind(closed_on)
                    .bind(now)
                    .bind(case.id)
                    .bind(status.code())
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict("recovery-transition-refused"));
                }
            }
            if entry.kind == EntryKind::Transition(RecoveryEvent::Object) {
                sqlx::query(CASE_SET_OBJECTION)
                    .bind(entry.text.as_deref())
                    .bind(entry.on.to_string())
                    .bind(case.id)
                    .execute(&mut *tx)
                    .await?;
            }
            if entry.kind == EntryKind::Transition(RecoveryEvent::WriteOff) {
                let invoice = sqlx::query_as::<_, InvoiceRecord>(crate::invoices::GET)
                    .bind(invoice_id)
                    .fetch_one(&mut *tx)
                    .await?;
                let invoice_status = invoice
                    .status()?
                    .transition(InvoiceEvent::WriteOff)
                    .map_err(|_| StoreError::Conflict("invoice-not-open"))?;
                let (snapshot,): (Option<String>,) =
                    sqlx::query_as(SNAPSHOT).bind(invoice_id).fetch_one(&mut *tx).await?;
                let snapshot = snapshot.ok_or_else(|| StoreError::Corrupt("no snapshot".into()))?;
                if invoice.content_hash.as_deref() != Some(content_hash(&snapshot).as_str()) {
                    return Err(StoreError::Corrupt(format!("invoice {invoice_id}: content hash mismatch")));
                }
                let document: Document =
                    serde_json::from_str(&snapshot).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let vat: Vec<_> = document
                    .totals
                    .subtotals
                    .iter()
                    .map(|s| (s.category, s.rate_bp, s.tax_cents))
                    .collect();
                let due = invoice.due_cents();
                // The activity's net share of what is due, computed as a payment of it would
                // be, so that the memo `activity:<a>:invoiced` is cleared to the cent.
                let settled = invoice.paid_cents + invoice.credited_cents;
                let net = net_share_of(&invoice, settled + due)? - net_share_of(&invoice, settled)?;
                let number = invoice.number.clone().unwrap_or_default();
                let posting = write_off_transaction(&WriteOff {
                    invoice_id,
                    number: &number,
                    client_id: invoice.client_id,
                    activity_id: invoice.activity_id,
                    due_cents: due,
                    net_cents: net,
                    vat: &vat,
                    on: entry.on,
                })
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let transaction_id = post_in!(tx, ctx, &posting);
                // The write-off credits the budget from the fund: the order's advance is
                // settled from it, as a loss of the fund.
                crate::employment::repay_guarantee_in!(tx, ctx, &invoice, net, entry.on, "lost");
                sqlx::query(CASE_SET_WRITE_OFF).bind(transaction_id).bind(case.id).execute(&mut *tx).await?;
                let done = sqlx::query(INVOICE_WRITTEN_OFF)
                    .bind(invoice_status.code())
                    .bind(now)
                    .bind(invoice_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict("invoice-not-open"));
                }
                let after = sqlx::query_as::<_, InvoiceRecord>(crate::invoices::GET)
                    .bind(invoice_id)
                    .fetch_one(&mut *tx)
                    .await?;
                audit!(tx, ctx, "write-off", "invoice", Some(invoice_id), Some(&invoice), Some(&after));
            }
            entry_in!(tx, ctx, &case, entry, next);
            let after = sqlx::query_as::<_, RecoveryCase>(CASE_GET).bind(case.id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, entry.kind.code(), "recovery_case", Some(case.id), Some(&case), Some(&after));
            Ok(after)
        })
    }

    /// Writes off what an invoice still owes: the last step of its open case.
    pub async fn write_off_invoice(
        &self,
        ctx: &AuditContext,
        invoice_id: i64,
        on: Date,
        text: Option<&str>,
    ) -> Result<RecoveryCase> {
        let entry = NewEntry {
            kind: EntryKind::Transition(RecoveryEvent::WriteOff),
            on,
            text: text.map(str::to_string),
            cost_cents: None,
            promised_on: None,
            document: None,
        };
        self.record_recovery_entry(ctx, invoice_id, &entry).await
    }

    /// The open case of an invoice, else its latest one, else `None`.
    pub async fn recovery_case(&self, invoice_id: i64) -> Result<Option<RecoveryCase>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, RecoveryCase>(CASE_OF_INVOICE).bind(invoice_id).fetch_optional(pool).await?)
        })
    }

    /// The entries of a case, oldest first.
    pub async fn recovery_entries(&self, case_id: i64) -> Result<Vec<RecoveryEntry>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, RecoveryEntry>(ENTRIES_OF_CASE).bind(case_id).fetch_all(pool).await?)
        })
    }

    pub async fn recovery_entry(&self, entry_id: i64) -> Result<RecoveryEntry> {
        with_db!(self, pool => {
            sqlx::query_as::<_, RecoveryEntry>(ENTRY_GET).bind(entry_id).fetch_optional(pool).await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The document kept with an entry.
    pub async fn recovery_document(&self, entry_id: i64) -> Result<RecoveryDocument> {
        with_db!(self, pool => {
            sqlx::query_as::<_, RecoveryDocument>(DOCUMENT).bind(entry_id).fetch_optional(pool).await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Everything that happened to an invoice, oldest first: its issue, each mail that sent
    /// it, payments, credit notes, reminders, and every entry of its recovery cases with
    /// its author (dunning.md §7 item 6).
    pub async fn invoice_history(&self, invoice_id: i64) -> Result<Vec<HistoryItem>> {
        let invoice = self.invoice(invoice_id).await?;
        let mut items = Vec::new();
        let (Some(number), Some(issue_date)) = (invoice.number.clone(), invoice.issue_date.clone())
        else {
            return Ok(items);
        };
        with_db!(self, pool => {
            let issued_by: Option<(Option<String>,)> =
                sqlx::query_as(ISSUED_BY).bind(invoice_id).fetch_optional(pool).await?;
            items.push(HistoryItem {
                kind: HistoryKind::Issued,
                code: "issued".into(),
                on: issue_date,
                at: invoice.issued_at.unwrap_or(invoice.created_at),
                author: issued_by.and_then(|(a,)| a),
                amount_cents: Some(invoice.tax_inclusive_cents),
                detail: Some(number.clone()),
                promised_on: None,
                entry_id: None,
                document_filename: None,
            });
            let sent: Vec<(i64, String)> =
                sqlx::query_as(SENT).bind(format!("{number}.pdf")).fetch_all(pool).await?;
            for (at, to) in sent {
                items.push(HistoryItem {
                    kind: HistoryKind::Sent,
                    code: "sent".into(),
                    on: date_of_micros(at),
                    at,
                    author: None,
                    amount_cents: None,
                    detail: Some(to),
                    promised_on: None,
                    entry_id: None,
                    document_filename: None,
                });
            }
            let payments: Vec<PaymentRow> =
                sqlx::query_as(PAYMENTS).bind(invoice_id).fetch_all(pool).await?;
            for (on, at, amount, reference, author) in payments {
                items.push(HistoryItem {
                    kind: HistoryKind::Payment,
                    code: "payment".into(),
                    on,
                    at,
                    author,
                    amount_cents: Some(amount),
                    detail: reference,
                    promised_on: None,
                    entry_id: None,
                    document_filename: None,
                });
            }
            let notes: Vec<CreditNoteRow> =
                sqlx::query_as(CREDIT_NOTES).bind(invoice_id).fetch_all(pool).await?;
            for (on, at, amount, number, author) in notes {
                items.push(HistoryItem {
                    kind: HistoryKind::CreditNote,
                    code: "credit-note".into(),
                    on: on.unwrap_or_else(|| date_of_micros(at)),
                    at,
                    author,
                    amount_cents: Some(amount),
                    detail: number,
                    promised_on: None,
                    entry_id: None,
                    document_filename: None,
                });
            }
            // The reminders the dunning run sent (crates/store/src/dunning.rs).
            let reminders: Vec<(i64, String, String)> =
                sqlx::query_as(REMINDERS).bind(invoice_id).fetch_all(pool).await?;
            for (level, on, channel) in reminders {
                items.push(HistoryItem {
                    kind: HistoryKind::Reminder,
                    code: channel,
                    on,
                    at: 0,
                    author: None,
                    amount_cents: None,
                    detail: Some(level.to_string()),
                    promised_on: None,
                    entry_id: None,
                    document_filename: None,
                });
            }
            let entries = sqlx::query_as::<_, RecoveryEntry>(ENTRIES_OF_INVOICE)
                .bind(invoice_id)
                .fetch_all(pool)
                .await?;
            for e in entries {
                items.push(HistoryItem {
                    kind: HistoryKind::Recovery,
                    code: e.kind,
                    on: e.occurred_on,
                    at: e.created_at,
                    author: e.actor_email,
                    amount_cents: e.cost_cents,
                    detail: e.body,
                    promised_on: e.promised_on,
                    entry_id: Some(e.id),
                    document_filename: e.document_filename,
                });
            }
        });
        // By day, then in the order things were recorded on that day; a reminder, dated
        // only, comes first on its day.
        items.sort_by(|a, b| a.on.cmp(&b.on).then(a.at.cmp(&b.at)));
        Ok(items)
    }

    /// The pipeline: for each status, how many cases and how much is still due.
    pub async fn recovery_pipeline(&self) -> Result<Vec<StageTotal>> {
        let rows: Vec<(String, i64, i64)> = with_db!(self, pool => {
            sqlx::query_as(STAGE_TOTALS).fetch_all(pool).await?
        });
        let mut out = Vec::with_capacity(RecoveryStatus::ALL.len());
        for status in RecoveryStatus::ALL {
            let (cases, due_cents) = rows
                .iter()
                .find(|(s, _, _)| s == status.code())
                .map(|(_, c, d)| (*c, *d))
                .unwrap_or((0, 0));
            out.push(StageTotal {
                status,
                cases,
                due_cents,
            });
        }
        if rows
            .iter()
            .any(|(s, _, _)| RecoveryStatus::parse(s).is_none())
        {
            return Err(StoreError::Corrupt("unknown recovery status".into()));
        }
        Ok(out)
    }

    /// The cases at one status (`None`: every case), oldest first.
    pub async fn recovery_cases(
        &self,
        status: Option<RecoveryStatus>,
        page: PageRequest,
    ) -> Result<Page<PipelineRow>> {
        let status = status.map(RecoveryStatus::code);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(PIPELINE_COUNT).bind(status).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, PipelineRow>(PIPELINE)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }
}

/// The Brussels date of an instant, for the lines of the history dated by an instant only.
fn date_of_micros(at: i64) -> String {
    jiff::Timestamp::from_microsecond(at)
        .ok()
        .and_then(|t| {
            jiff::tz::TimeZone::get("Europe/Brussels")
                .ok()
                .map(|tz| t.to_zoned(tz).date())
        })
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The status an invoice must have for a case to be opened on it.
pub fn may_open_recovery(invoice: &InvoiceRecord) -> bool {
    invoice.kind() == DocumentKind::Invoice && invoice.status().is_ok_and(InvoiceStatus::is_open)
}

impl Store {
    /// The activity's open invoices whose due date is before `as_of`, oldest first, with
    /// their last reminder and recovery stage; at most [`MAX_UNPAID_LISTED`].
    pub async fn unpaid_invoices_of_activity(
        &self,
        activity_id: i64,
        as_of: Date,
    ) -> Result<Vec<UnpaidInvoice>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, UnpaidInvoice>(UNPAID_OF_ACTIVITY)
                .bind(activity_id)
                .bind(as_of.to_string())
                .bind(MAX_UNPAID_LISTED)
                .fetch_all(pool)
                .await?)
        })
    }
}
