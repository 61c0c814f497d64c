//! Bank statements: importing the movements of a CODA or camt.053 file, paying the invoices
//! they name, and the queue of what is left for a person (payments.md §4).
//!
//! The store does not read files: `ruche_formats::statement` parses them into a
//! [`StatementFile`]. A file is imported all or nothing, in one write transaction: it is
//! refused, with the reason, when one of its statements is for an account that is not the
//! cooperative's or comes out of sequence. A movement is known by its account and the
//! bank's reference, so the same file imported twice adds nothing and an overlapping file
//! adds only what is new (DESIGN.md §9).
//!
//! Matching (payments.md §4.2–4.5): a credit pays the open invoices whose structured
//! communication or number it carries (in its structured reference or its free text), one
//! after the other, the excess going to suspense; a debit that carries the communication
//! of an invoice paid by the same amount is the return of that payment and takes it back.
//! Everything else waits in the unmatched queue, with ranked suggestions, for a person to
//! match (possibly over several invoices), ignore, or undo; each of these is audited.
//! Unmatched money is not booked: the ledger holds a bank movement once it is matched.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use ruche_domain::bank::matching::{self, Candidate, MovementFacts, Suggestion};
use ruche_domain::bank::{Continuity, continuity};
use ruche_domain::ident::Ogm;
use ruche_domain::invoicing::InvoiceStatus;
use serde::{Deserialize, Serialize};

pub use ruche_domain::bank::{
    BankMovementInput, MAX_MOVEMENTS_PER_STATEMENT, StatementFile, StatementFormat, StatementInput,
};

use crate::conditions::{Conditions, Value, bind_conditions};
use crate::invoices::pay_in;
use crate::ledger::reverse_in;
use crate::payouts::settle_payout_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// The most invoices one movement may be matched to by hand.
pub const MAX_ALLOCATIONS: usize = 20;

/// The longest reason for setting a movement aside (the page's field says so too).
pub const MAX_REASON_CHARS: usize = 200;

/// The most statements one file may hold.
pub const MAX_STATEMENTS_PER_FILE: usize = 1_000;

/// Where a movement stands: matched (it paid invoices, or took a payment back), waiting for
/// someone, or set aside with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MovementStatus {
    Unmatched,
    Matched,
    Ignored,
}

impl MovementStatus {
    pub fn code(self) -> &'static str {
        match self {
            MovementStatus::Unmatched => "unmatched",
            MovementStatus::Matched => "matched",
            MovementStatus::Ignored => "ignored",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "unmatched" => Some(MovementStatus::Unmatched),
            "matched" => Some(MovementStatus::Matched),
            "ignored" => Some(MovementStatus::Ignored),
            _ => None,
        }
    }
}

/// What became of one movement of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineOutcome {
    /// It paid one or more invoices.
    Matched,
    /// It took back an earlier payment (a return or a reversal).
    Returned,
    /// It waits in the unmatched queue.
    Unmatched,
    /// It was imported before.
    AlreadyKnown,
}

impl LineOutcome {
    /// Stable code, used as a translation-key suffix.
    pub fn code(self) -> &'static str {
        match self {
            LineOutcome::Matched => "matched",
            LineOutcome::Returned => "returned",
            LineOutcome::Unmatched => "unmatched",
            LineOutcome::AlreadyKnown => "already-known",
        }
    }
}

/// One line of an import's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    /// The statement's sequence number.
    pub statement: Option<String>,
    /// The CODA line, or the camt entry's position in its statement.
    pub line: Option<u64>,
    pub bank_reference: String,
    pub booked_on: String,
    pub amount_cents: i64,
    pub outcome: LineOutcome,
    /// The invoice numbers paid, or a code saying why the movement waits
    /// (`invoice-closed`, `invalid-ogm`, `no-reference`, `debit`).
    pub detail: Option<String>,
}

/// Something the import noticed without refusing the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportNotice {
    /// `gap` (statements missing), `opening-balance` (it differs from the last closing
    /// balance), or `parser` (a line the parser flagged, e.g. an invalid OGM).
    pub code: String,
    pub detail: String,
}

/// Why a whole file was refused: nothing of it was imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// `account-unknown`, `out-of-sequence`, `too-large`.
    pub code: String,
    pub detail: String,
}

/// What an import took: `read` = `new` + `already_known`, `new` = `matched` + `returned`
/// + `unmatched`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The import in the history (refused files are kept there too).
    pub import_id: Option<i64>,
    pub statements: usize,
    pub read: usize,
    pub new: usize,
    pub already_known: usize,
    pub matched: usize,
    pub returned: usize,
    pub unmatched: usize,
    pub refusal: Option<Refusal>,
    pub notices: Vec<ImportNotice>,
    pub lines: Vec<ImportLine>,
}

/// An import in the history, without its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BankImportRecord {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub format: Option<String>,
    /// `imported` or `refused`.
    pub status: String,
    pub statements: i64,
    pub read_count: i64,
    pub new_count: i64,
    pub known_count: i64,
    pub matched_count: i64,
    pub unmatched_count: i64,
    pub refusal: Option<String>,
    pub imported_at: i64,
    pub imported_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BankMovementRecord {
    pub id: i64,
    pub statement_id: i64,
    pub account_iban: String,
    pub bank_reference: String,
    pub booked_on: String,
    pub value_date: Option<String>,
    pub amount_cents: i64,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub ogm: Option<String>,
    pub free_text: Option<String>,
    pub status: String,
    pub invoice_id: Option<i64>,
    pub created_at: i64,
    pub line: Option<i64>,
    pub invalid_ogm: Option<String>,
    pub end_to_end_id: Option<String>,
    pub reversal: bool,
    /// Why it was ignored, or what it did (`return`).
    pub note: Option<String>,
}

impl BankMovementRecord {
    pub fn status(&self) -> Result<MovementStatus> {
        MovementStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("bank movement status {}", self.status)))
    }

    /// The text searched for references: the free communication and the flagged OGM.
    fn text(&self) -> String {
        [self.free_text.as_deref(), self.invalid_ogm.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A payment a movement made, as the movement page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MovementPayment {
    pub payment_id: i64,
    pub invoice_id: i64,
    pub number: Option<String>,
    pub amount_cents: i64,
    pub applied_cents: Option<i64>,
    pub reversed_at: Option<i64>,
}

/// `SELECT` of every movement column, followed by the rest of the query.
macro_rules! select_movements {
    ($rest:literal) => {
        concat!(
            "SELECT id, statement_id, account_iban, bank_reference, booked_on, value_date, \
             amount_cents, counterparty_name, counterparty_iban, ogm, free_text, status, \
             invoice_id, created_at, line, invalid_ogm, end_to_end_id, reversal, note \
             FROM bank_movements ",
            $rest
        )
    };
}
const MOVEMENTS: &str = select_movements!(
    "WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) \
     ORDER BY booked_on DESC, id DESC LIMIT $2 OFFSET $3"
);
const MOVEMENTS_COUNT: &str =
    "SELECT COUNT(*) FROM bank_movements WHERE (CAST($1 AS TEXT) IS NULL OR status = $1)";
const MOVEMENT: &str = select_movements!("WHERE id = $1");

const ENTITY_BY_IBAN: &str = "SELECT id FROM legal_entities \
    WHERE REPLACE(UPPER(iban), ' ', '') = $1";
const STATEMENT_KNOWN: &str = "SELECT id FROM bank_statements WHERE account_iban = $1 \
    AND sequence = $2 AND statement_date = $3 ORDER BY id LIMIT 1";
const LAST_STATEMENT: &str = "SELECT sequence, statement_date, closing_cents FROM bank_statements \
    WHERE account_iban = $1 AND statement_date IS NOT NULL \
    ORDER BY statement_date DESC, id DESC LIMIT 1";
const INSERT_IMPORT: &str = "INSERT INTO bank_imports (file_name, sha256, format, status, \
    statements, read_count, new_count, known_count, matched_count, unmatched_count, refusal, \
    report_json, imported_at, imported_by) \
    VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, 0, $6, '{}', $7, $8) RETURNING id";
const FINISH_IMPORT: &str = "UPDATE bank_imports SET read_count = $1, new_count = $2, \
    known_count = $3, matched_count = $4, unmatched_count = $5, report_json = $6 WHERE id = $7";
const INSERT_STATEMENT: &str = "INSERT INTO bank_statements (format, account_iban, sequence, \
    opening_cents, closing_cents, imported_at, imported_by, import_id, statement_date) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
/// Values looked up in one statement (`… IN (…)`): SQLite binds at most 32,766 values,
/// PostgreSQL 65,535.
const LOOKUP_CHUNK: usize = 500;
/// Values bound per new movement by [`movements_insert_sql`].
const MOVEMENT_VALUES: usize = 15;

/// New movements written by one statement. Not 500 like the lookups: sqlx binds each SQLite
/// parameter after looking up its name (`sqlite3_bind_parameter_name`, a walk through the
/// statement's parameters), so a statement's binding costs the square of its values: 500
/// rows of 15 values made the year's import slower than one statement a movement (51.7 s
/// against 41.6 s, a third of the time in that lookup; docs/benchmarks.md).
const INSERT_CHUNK: usize = 32;

/// The insert of `n` new movements, unmatched and without a note (each one's outcome is
/// written after it), bound fifteen by fifteen in the order of the columns. Returns each
/// one's id with its reference. [`INSERT_CHUNK`] rows a statement.
fn movements_insert_sql(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let b = MOVEMENT_VALUES * i;
            let p = |from: usize, to: usize| -> String {
                (from..=to)
                    .map(|k| format!("${}", b + k))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!("({}, 'unmatched', NULL, {}, NULL)", p(1, 10), p(11, 15))
        })
        .collect();
    format!(
        "INSERT INTO bank_movements (statement_id, account_iban, bank_reference, booked_on, \
         value_date, amount_cents, counterparty_name, counterparty_iban, ogm, free_text, status, \
         invoice_id, created_at, line, invalid_ogm, end_to_end_id, reversal, note) VALUES {} \
         RETURNING id, bank_reference",
        rows.join(", ")
    )
}

/// The note of movements `ids` (why they stay unmatched), set by one statement; at most
/// [`LOOKUP_CHUNK`] ids.
fn note_update_sql(ids: &[i64]) -> (String, Conditions) {
    let mut conditions = Conditions::default();
    conditions.and_in("id", ids.iter().map(|id| Value::Int(*id)).collect());
    let sql = format!(
        "UPDATE bank_movements SET note = ${}{}",
        conditions.next(),
        conditions.sql()
    );
    (sql, conditions)
}

const INVOICE_BY_OGM: &str = "SELECT id, number, status, tax_inclusive_cents - paid_cents - \
    credited_cents, due_date FROM invoices \
    WHERE structured_communication = $1 AND kind = 'invoice' AND entity_id = $2";
const INVOICE_BY_NUMBER: &str = "SELECT id, number, status, tax_inclusive_cents - paid_cents - \
    credited_cents, due_date FROM invoices WHERE number = $1 AND kind = 'invoice' AND entity_id = $2";
const SET_MATCHED: &str = "UPDATE bank_movements SET status = 'matched', invoice_id = $1, \
    note = $2 WHERE id = $3 AND status = 'unmatched'";
const SET_STATUS: &str = "UPDATE bank_movements SET status = $1, note = $2, invoice_id = NULL \
    WHERE id = $3 AND status = $4";
const PAYOUT_BY_END_TO_END: &str = "SELECT id, status, amount_cents, entity_id FROM payouts \
    WHERE end_to_end_id = $1";
const LIVE_PAYMENT_OF_AMOUNT: &str = "SELECT id FROM invoice_payments WHERE invoice_id = $1 \
    AND amount_cents = $2 AND reversed_at IS NULL ORDER BY id DESC LIMIT 1";
const PAYMENT_FOR_REVERSAL: &str = "SELECT invoice_id, amount_cents, applied_cents, \
    ledger_transaction_id, contribution_transaction_id FROM invoice_payments \
    WHERE id = $1 AND reversed_at IS NULL";
const SET_PAYMENT_REVERSED: &str =
    "UPDATE invoice_payments SET reversed_at = $1 WHERE id = $2 AND reversed_at IS NULL";
const LIVE_PAYMENTS_OF_MOVEMENT: &str = "SELECT id FROM invoice_payments \
    WHERE bank_movement_id = $1 AND reversed_at IS NULL ORDER BY id";
const PAYMENTS_OF_MOVEMENT: &str = "SELECT p.id AS payment_id, p.invoice_id, i.number, \
    p.amount_cents, p.applied_cents, p.reversed_at FROM invoice_payments p \
    JOIN invoices i ON i.id = p.invoice_id WHERE p.bank_movement_id = $1 ORDER BY p.id";
const IMPORTS: &str = "SELECT id, file_name, sha256, format, status, statements, read_count, \
    new_count, known_count, matched_count, unmatched_count, refusal, imported_at, imported_by \
    FROM bank_imports ORDER BY id DESC LIMIT $1 OFFSET $2";
const IMPORTS_COUNT: &str = "SELECT COUNT(*) FROM bank_imports";
const IMPORT_REPORT: &str = "SELECT report_json FROM bank_imports WHERE id = $1";
/// The open invoices of entity `$1` with their client, as ranking candidates, followed by
/// the rest of the query.
macro_rules! select_candidates {
    ($rest:literal) => {
        concat!(
            "SELECT i.id, COALESCE(i.number, ''), i.structured_communication, i.client_id, \
             c.name, i.tax_inclusive_cents - i.paid_cents - i.credited_cents, i.due_date \
             FROM invoices i JOIN clients c ON c.id = i.client_id \
             WHERE i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid') \
             AND i.entity_id = $1 ",
            $rest
        )
    };
}
const CANDIDATES_BY_REFERENCE: &str =
    select_candidates!("AND (i.number = $2 OR i.structured_communication = $2)");
const CANDIDATES_BY_AMOUNT: &str = select_candidates!(
    "AND i.tax_inclusive_cents - i.paid_cents - i.credited_cents = $2 \
     ORDER BY i.due_date, i.id LIMIT 50"
);
const CANDIDATES_OF_CLIENT: &str =
    select_candidates!("AND i.client_id = $2 ORDER BY i.due_date, i.id LIMIT 50");
const CLIENTS_OF_IBAN: &str = "SELECT DISTINCT i.client_id FROM invoice_payments p \
    JOIN bank_movements m ON m.id = p.bank_movement_id JOIN invoices i ON i.id = p.invoice_id \
    WHERE m.counterparty_iban = $1 AND p.reversed_at IS NULL LIMIT 20";

type InvoiceRow = (i64, Option<String>, String, i64, Option<String>);
type CandidateRow = (
    i64,
    String,
    Option<String>,
    i64,
    String,
    i64,
    Option<String>,
);

/// An IBAN as the statements and the entities compare it: upper case, no spaces.
fn compact_iban(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

fn refusal(code: &str, detail: String) -> Refusal {
    Refusal {
        code: code.to_string(),
        detail,
    }
}

/// Whether an invoice in `status` can still be paid.
fn is_open(status: &str) -> bool {
    matches!(
        InvoiceStatus::parse(status),
        Some(InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid)
    )
}

/// What a movement's references name: the structured communication, then the OGMs and
/// invoice numbers of its free text (payments.md §4.2–4.4).
fn references(movement: &BankMovementInput) -> (Vec<String>, Vec<String>) {
    let mut ogms: Vec<String> = movement
        .ogm
        .as_deref()
        .and_then(|s| Ogm::parse(s).ok())
        .map(|o| vec![o.as_str().to_string()])
        .unwrap_or_default();
    let text = movement.free_text.as_deref().unwrap_or_default();
    for ogm in matching::ogms_in_text(text) {
        if !ogms.iter().any(|o| o == ogm.as_str()) {
            ogms.push(ogm.as_str().to_string());
        }
    }
    let numbers = matching::document_numbers_in_text(text)
        .iter()
        .map(ToString::to_string)
        .collect();
    (ogms, numbers)
}

/// The values of `$column` among `$values` (`Vec<Value>`) that the rows of `$from` hold under
/// `$condition` (bound to `$bound`), read inside `$tx` [`LOOKUP_CHUNK`] values a statement.
/// `$from`, `$column` and `$condition` are the code's own SQL.
macro_rules! present_in {
    ($tx:ident, $from:expr, $column:expr, $condition:expr, $bound:expr, $values:expr) => {{
        let values: Vec<Value> = $values;
        let mut present: HashSet<String> = HashSet::new();
        for chunk in values.chunks(LOOKUP_CHUNK) {
            let mut conditions = Conditions::default();
            conditions
                .and($condition, $bound)
                .and_in($column, chunk.to_vec());
            let sql = format!("SELECT {} FROM {}{}", $column, $from, conditions.sql());
            let rows: Vec<(String,)> = bind_conditions!(
                sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())),
                conditions
            )
            .fetch_all(&mut *$tx)
            .await?;
            present.extend(rows.into_iter().map(|(v,)| v));
        }
        present
    }};
}

/// Takes back payment `$payment_id` inside `$tx`: reverses its ledger transactions (the
/// payment and the contribution charged on it), lowers what the invoice has received and
/// reopens it. Evaluates to the invoice's id.
macro_rules! unpay_in {
    ($tx:ident, $ctx:expr, $payment_id:expr, $on:expr) => {{
        let ctx: &AuditContext = $ctx;
        let payment_id: i64 = $payment_id;
        let on: Date = $on;
        let row: Option<(i64, i64, Option<i64>, i64, Option<i64>)> =
            sqlx::query_as(PAYMENT_FOR_REVERSAL)
                .bind(payment_id)
                .fetch_optional(&mut *$tx)
                .await?;
        let (invoice_id, amount, applied, payment_tx, contribution_tx) =
            row.ok_or(StoreError::Conflict("payment-already-reversed"))?;
        let record = sqlx::query_as::<_, crate::invoices::InvoiceRecord>(crate::invoices::GET)
            .bind(invoice_id)
            .fetch_one(&mut *$tx)
            .await?;
        let applied = applied.unwrap_or(amount);
        let paid_after = record.paid_cents - applied;
        let status = record
            .status()?
            .after_payment_reversal(paid_after > 0)
            .map_err(|_| StoreError::Conflict("invoice-not-paid"))?;
        reverse_in!($tx, ctx, payment_tx, on);
        if let Some(contribution_tx) = contribution_tx {
            reverse_in!($tx, ctx, contribution_tx, on);
        }
        sqlx::query(SET_PAYMENT_REVERSED)
            .bind(now_micros())
            .bind(payment_id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(crate::invoices::SET_PAID)
            .bind(paid_after)
            .bind(status.code())
            .bind(now_micros())
            .bind(invoice_id)
            .execute(&mut *$tx)
            .await?;
        audit!(
            $tx,
            ctx,
            "payment_reversed",
            "invoice",
            Some(invoice_id),
            Some(&record),
            Some(&serde_json::json!({ "payment_id": payment_id, "status": status.code() }))
        );
        invoice_id
    }};
}

impl Store {
    /// Imports a whole statement file in one write transaction and returns its report,
    /// which is also kept in the import history. A refused file (its report says why)
    /// imports nothing but that history row.
    pub async fn import_statement_file(
        &self,
        ctx: &AuditContext,
        file: &StatementFile,
    ) -> Result<ImportReport> {
        let now = now_micros();
        let mut report = ImportReport {
            statements: file.statements.len(),
            notices: file
                .warnings
                .iter()
                .map(|w| ImportNotice {
                    code: "parser".into(),
                    detail: w.clone(),
                })
                .collect(),
            ..ImportReport::default()
        };
        if file.statements.len() > MAX_STATEMENTS_PER_FILE
            || file
                .statements
                .iter()
                .any(|s| s.movements.len() > MAX_MOVEMENTS_PER_STATEMENT)
        {
            report.refusal = Some(refusal(
                "too-large",
                format!(
                    "{MAX_STATEMENTS_PER_FILE} statements of {MAX_MOVEMENTS_PER_STATEMENT} \
                     movements at most"
                ),
            ));
        }
        let engine = self.engine();
        write_tx!(self, tx => {
            // PostgreSQL caches a generic plan for a statement run many times in one session;
            // planned while `bank_movements` was small (an empty, just-analysed table: a new
            // year, a fresh database), the per-movement duplicate lookup stays a sequential
            // scan while this transaction inserts up to 100,000 rows — quadratic. A custom
            // plan per execution sees the table's real size and uses the unique index.
            if engine == crate::Engine::Postgres {
                sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan")
                    .execute(&mut *tx)
                    .await?;
            }
            // 1. Checks, before anything is written: the accounts are the cooperative's and
            // each statement continues its account (payments.md §3.3, §4.8).
            let mut entities: Vec<i64> = Vec::with_capacity(file.statements.len());
            let mut known_statements: Vec<Option<i64>> = Vec::with_capacity(file.statements.len());
            let mut chain: Vec<(String, String, Date)> = Vec::new();
            for statement in &file.statements {
                if report.refusal.is_some() {
                    break;
                }
                let iban = compact_iban(&statement.account_iban);
                let entity: Option<(i64,)> = sqlx::query_as(ENTITY_BY_IBAN)
                    .bind(&iban)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((entity_id,)) = entity else {
                    report.refusal = Some(refusal("account-unknown", statement.account_iban.clone()));
                    break;
                };
                entities.push(entity_id);
                let sequence = statement.sequence.clone().unwrap_or_default();
                let date_text = statement.date.map(|d| d.to_string());
                let known: Option<(i64,)> = match &date_text {
                    Some(d) => sqlx::query_as(STATEMENT_KNOWN)
                        .bind(&iban)
                        .bind(&sequence)
                        .bind(d)
                        .fetch_optional(&mut *tx)
                        .await?,
                    None => None,
                };
                known_statements.push(known.map(|(id,)| id));
                if known.is_some() {
                    continue;
                }
                // The last statement of the account: earlier in this file, or in the store.
                let last: Option<(String, Date, Option<i64>)> =
                    match chain.iter().rev().find(|(account, ..)| *account == iban) {
                        Some((_, s, d)) => Some((s.clone(), *d, None)),
                        None => {
                            let row: Option<(Option<String>, Option<String>, Option<i64>)> =
                                sqlx::query_as(LAST_STATEMENT)
                                    .bind(&iban)
                                    .fetch_optional(&mut *tx)
                                    .await?;
                            row.and_then(|(s, d, closing)| {
                                let d = d?.parse::<Date>().ok()?;
                                Some((s.unwrap_or_default(), d, closing))
                            })
                        }
                    };
                let verdict = continuity(
                    statement.format,
                    last.as_ref().map(|(s, d, _)| (s.as_str(), *d)),
                    statement.sequence.as_deref(),
                    statement.date,
                );
                match verdict {
                    Continuity::OutOfSequence => {
                        report.refusal = Some(refusal(
                            "out-of-sequence",
                            format!(
                                "{} {} ({}) < {}",
                                statement.account_iban,
                                sequence,
                                date_text.unwrap_or_default(),
                                last.map(|(s, d, _)| format!("{s} ({d})")).unwrap_or_default()
                            ),
                        ));
                        break;
                    }
                    Continuity::Gap { missing } => report.notices.push(ImportNotice {
                        code: "gap".into(),
                        detail: format!("{} {sequence}: {missing}", statement.account_iban),
                    }),
                    Continuity::Follows => {
                        if let (Some((_, _, Some(closing))), Some(opening)) =
                            (&last, statement.opening_cents)
                            && *closing != opening
                        {
                            report.notices.push(ImportNotice {
                                code: "opening-balance".into(),
                                detail: format!(
                                    "{} {sequence}: {opening} ≠ {closing}",
                                    statement.account_iban
                                ),
                            });
                        }
                    }
                    Continuity::Repeats => {}
                }
                if let Some(d) = statement.date {
                    chain.push((iban, sequence, d));
                }
            }
            let (status, refusal_text) = match &report.refusal {
                Some(r) => ("refused", Some(format!("{}: {}", r.code, r.detail))),
                None => ("imported", None),
            };
            let (import_id,): (i64,) = sqlx::query_as(INSERT_IMPORT)
                .bind(&file.file_name)
                .bind(&file.sha256)
                .bind(file.format.code())
                .bind(status)
                .bind(i64::try_from(file.statements.len()).unwrap_or(i64::MAX))
                .bind(refusal_text)
                .bind(now)
                .bind(ctx.actor_account_id)
                .fetch_one(&mut *tx)
                .await?;
            report.import_id = Some(import_id);
            if report.refusal.is_none() {
                // 2. The movements.
                for ((statement, entity_id), known) in
                    file.statements.iter().zip(&entities).zip(&known_statements)
                {
                    let iban = compact_iban(&statement.account_iban);
                    let mut statement_id = *known;
                    // What the statement's movements name is looked up for all of them at
                    // once: which are already stored, which references name an invoice of
                    // the entity. Only a movement naming one reads it again (its amount due
                    // changes as this file pays it). Three statements per 500 movements
                    // instead of three per movement.
                    let mut seen = present_in!(
                        tx,
                        "bank_movements",
                        "bank_reference",
                        "account_iban = ?1",
                        vec![iban.clone().into()],
                        statement.movements.iter().map(|m| m.bank_reference.clone().into()).collect()
                    );
                    let references: Vec<(Vec<String>, Vec<String>)> =
                        statement.movements.iter().map(references).collect();
                    let of_entity = "kind = 'invoice' AND entity_id = ?1";
                    let named_ogms = present_in!(
                        tx,
                        "invoices",
                        "structured_communication",
                        of_entity,
                        vec![(*entity_id).into()],
                        references.iter().flat_map(|(o, _)| o).map(|o| o.clone().into()).collect()
                    );
                    let named_numbers = present_in!(
                        tx,
                        "invoices",
                        "number",
                        of_entity,
                        vec![(*entity_id).into()],
                        references.iter().flat_map(|(_, n)| n).map(|n| n.clone().into()).collect()
                    );
                    // The new movements (the first of each reference not stored yet) are
                    // written first, 32 a statement, unmatched; each one's outcome is then
                    // decided in the file's order and written on it.
                    let fresh: Vec<bool> = statement
                        .movements
                        .iter()
                        .map(|m| seen.insert(m.bank_reference.clone()))
                        .collect();
                    let new_movements: Vec<&BankMovementInput> = statement
                        .movements
                        .iter()
                        .zip(&fresh)
                        .filter(|(_, fresh)| **fresh)
                        .map(|(m, _)| m)
                        .collect();
                    let mut ids: HashMap<String, i64> = HashMap::with_capacity(new_movements.len());
                    if !new_movements.is_empty() && statement_id.is_none() {
                        let (id,): (i64,) = sqlx::query_as(INSERT_STATEMENT)
                            .bind(statement.format.code())
                            .bind(&iban)
                            .bind(statement.sequence.as_deref())
                            .bind(statement.opening_cents)
                            .bind(statement.closing_cents)
                            .bind(now)
                            .bind(ctx.actor_account_id)
                            .bind(import_id)
                            .bind(statement.date.map(|d| d.to_string()))
                            .fetch_one(&mut *tx)
                            .await?;
                        statement_id = Some(id);
                    }
                    for chunk in new_movements.chunks(INSERT_CHUNK) {
                        let sid = statement_id
                            .ok_or_else(|| StoreError::Corrupt("a movement without its statement".into()))?;
                        // The SQL is built from placeholders only.
                        let sql = movements_insert_sql(chunk.len());
                        let mut insert =
                            sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql.as_str()));
                        for movement in chunk {
                            let ogm = movement
                                .ogm
                                .as_deref()
                                .and_then(|s| Ogm::parse(s).ok())
                                .map(|o| o.as_str().to_string());
                            insert = insert
                                .bind(sid)
                                .bind(iban.clone())
                                .bind(movement.bank_reference.clone())
                                .bind(movement.booked_on.to_string())
                                .bind(movement.value_date.map(|d| d.to_string()))
                                .bind(movement.amount_cents)
                                .bind(movement.counterparty_name.clone())
                                .bind(movement.counterparty_iban.as_deref().map(compact_iban))
                                .bind(ogm)
                                .bind(movement.free_text.clone())
                                .bind(now)
                                .bind(movement.line.and_then(|l| i64::try_from(l).ok()))
                                .bind(movement.invalid_ogm.clone())
                                .bind(movement.end_to_end_id.clone())
                                .bind(movement.reversal);
                        }
                        ids.extend(insert.fetch_all(&mut *tx).await?.into_iter().map(|(id, r)| (r, id)));
                    }
                    // Why each unmatched movement stays so, written 500 at a time.
                    let mut notes: HashMap<&'static str, Vec<i64>> = HashMap::new();
                    for ((movement, (ogms, numbers)), fresh) in
                        statement.movements.iter().zip(&references).zip(&fresh)
                    {
                        report.read += 1;
                        let mut line = ImportLine {
                            statement: statement.sequence.clone(),
                            line: movement.line,
                            bank_reference: movement.bank_reference.clone(),
                            booked_on: movement.booked_on.to_string(),
                            amount_cents: movement.amount_cents,
                            outcome: LineOutcome::AlreadyKnown,
                            detail: None,
                        };
                        // The second of two movements with one reference in this file is known too.
                        if !fresh {
                            report.already_known += 1;
                            report.lines.push(line);
                            continue;
                        }
                        // 3. Matching, by the references the movement carries.
                        let mut named: Vec<InvoiceRow> = Vec::new();
                        for ogm in ogms.iter().filter(|o| named_ogms.contains(*o)) {
                            let rows: Vec<InvoiceRow> = sqlx::query_as(INVOICE_BY_OGM)
                                .bind(ogm)
                                .bind(entity_id)
                                .fetch_all(&mut *tx)
                                .await?;
                            named.extend(rows);
                        }
                        for number in numbers.iter().filter(|n| named_numbers.contains(*n)) {
                            let rows: Vec<InvoiceRow> = sqlx::query_as(INVOICE_BY_NUMBER)
                                .bind(number)
                                .bind(entity_id)
                                .fetch_all(&mut *tx)
                                .await?;
                            named.extend(rows);
                        }
                        named.sort_by(|a, b| a.4.cmp(&b.4).then(a.0.cmp(&b.0)));
                        named.dedup_by_key(|row| row.0);
                        let open: Vec<&InvoiceRow> =
                            named.iter().filter(|row| is_open(&row.2)).collect();
                        // Why a movement stays unmatched; a credit that names no open
                        // invoice is known unmatched before it is written.
                        let why = if movement.amount_cents < 0 {
                            "debit"
                        } else if !named.is_empty() {
                            "invoice-closed"
                        } else if movement.invalid_ogm.is_some() {
                            "invalid-ogm"
                        } else {
                            "no-reference"
                        };
                        let unmatched_credit = movement.amount_cents > 0 && open.is_empty();
                        let movement_id = *ids.get(&movement.bank_reference).ok_or_else(|| {
                            StoreError::Corrupt(format!(
                                "movement {} was not stored",
                                movement.bank_reference
                            ))
                        })?;
                        report.new += 1;
                        if unmatched_credit {
                            notes.entry(why).or_default().push(movement_id);
                            report.unmatched += 1;
                            line.outcome = LineOutcome::Unmatched;
                            line.detail = Some(why.to_string());
                            report.lines.push(line);
                            continue;
                        }
                        if movement.amount_cents > 0 {
                            let dues: Vec<(i64, i64)> = open.iter().map(|r| (r.0, r.3)).collect();
                            let shares = matching::allocate(movement.amount_cents, &dues);
                            for (invoice_id, share) in &shares {
                                pay_in!(
                                    tx,
                                    ctx,
                                    *invoice_id,
                                    *share,
                                    movement.booked_on,
                                    Some(movement.bank_reference.as_str()),
                                    Some(movement_id)
                                );
                            }
                            let paid: Vec<String> = open
                                .iter()
                                .filter(|r| shares.iter().any(|s| s.0 == r.0))
                                .filter_map(|r| r.1.clone())
                                .collect();
                            sqlx::query(SET_MATCHED)
                                .bind(shares.first().map(|s| s.0))
                                .bind(None::<String>)
                                .bind(movement_id)
                                .execute(&mut *tx)
                                .await?;
                            report.matched += 1;
                            line.outcome = LineOutcome::Matched;
                            line.detail = Some(paid.join(", "));
                            report.lines.push(line);
                            continue;
                        }
                        // The cooperative's own transfer (a payout of a SEPA batch) comes back
                        // with its end-to-end id: the order is paid (payments.md §4.6).
                        if movement.amount_cents < 0
                            && let Some(e2e) = movement.end_to_end_id.as_deref()
                        {
                            let order: Option<(i64, String, i64, i64)> =
                                sqlx::query_as(PAYOUT_BY_END_TO_END)
                                    .bind(e2e.trim())
                                    .fetch_optional(&mut *tx)
                                    .await?;
                            if let Some((payout_id, status, amount, payout_entity)) = order
                                && status == "batched"
                                && amount == -movement.amount_cents
                                && payout_entity == *entity_id
                            {
                                settle_payout_in!(
                                    tx,
                                    ctx,
                                    payout_id,
                                    movement.booked_on,
                                    Some(movement.bank_reference.as_str())
                                );
                                sqlx::query(SET_MATCHED)
                                    .bind(None::<i64>)
                                    .bind(Some(format!("payout:{payout_id}")))
                                    .bind(movement_id)
                                    .execute(&mut *tx)
                                    .await?;
                                report.matched += 1;
                                line.outcome = LineOutcome::Matched;
                                line.detail = Some(e2e.to_string());
                                report.lines.push(line);
                                continue;
                            }
                        }
                        // A debit carrying an invoice's reference, of the amount it was paid:
                        // that payment comes back (payments.md §4.5).
                        if movement.amount_cents < 0 {
                            let mut returned = None;
                            for row in &named {
                                let payment: Option<(i64,)> = sqlx::query_as(LIVE_PAYMENT_OF_AMOUNT)
                                    .bind(row.0)
                                    .bind(-movement.amount_cents)
                                    .fetch_optional(&mut *tx)
                                    .await?;
                                if let Some((payment_id,)) = payment {
                                    returned = Some((payment_id, row.1.clone()));
                                    break;
                                }
                            }
                            if let Some((payment_id, number)) = returned {
                                let invoice_id = unpay_in!(tx, ctx, payment_id, movement.booked_on);
                                sqlx::query(SET_MATCHED)
                                    .bind(invoice_id)
                                    .bind(Some("return"))
                                    .bind(movement_id)
                                    .execute(&mut *tx)
                                    .await?;
                                report.returned += 1;
                                line.outcome = LineOutcome::Returned;
                                line.detail = number;
                                report.lines.push(line);
                                continue;
                            }
                        }
                        notes.entry(why).or_default().push(movement_id);
                        report.unmatched += 1;
                        line.outcome = LineOutcome::Unmatched;
                        line.detail = Some(why.to_string());
                        report.lines.push(line);
                    }
                    for (note, ids) in &notes {
                        for chunk in ids.chunks(LOOKUP_CHUNK) {
                            // The SQL is built from placeholders only.
                            let (sql, conditions) = note_update_sql(chunk);
                            bind_conditions!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), conditions)
                                .bind(*note)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                }
            }
            // TigerStyle: the counts add up before the transaction commits.
            if report.read != report.new + report.already_known
                || report.new != report.matched + report.returned + report.unmatched
                || report.lines.len() != report.read
            {
                return Err(StoreError::Corrupt("import counts do not add up".into()));
            }
            let json = serde_json::to_string(&report)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            sqlx::query(FINISH_IMPORT)
                .bind(count(report.read))
                .bind(count(report.new))
                .bind(count(report.already_known))
                .bind(count(report.matched + report.returned))
                .bind(count(report.unmatched))
                .bind(json)
                .bind(import_id)
                .execute(&mut *tx)
                .await?;
            let summary = serde_json::json!({
                "file": file.file_name, "sha256": file.sha256, "read": report.read,
                "new": report.new, "matched": report.matched, "returned": report.returned,
                "unmatched": report.unmatched, "refusal": report.refusal,
            });
            audit!(tx, ctx, "import", "bank_import", Some(import_id), None::<&()>, Some(&summary));
            Ok(report)
        })
    }

    /// The legal entity whose bank account `iban` is, if it is one of the cooperative's.
    pub async fn entity_of_account(&self, iban: &str) -> Result<Option<i64>> {
        let iban = compact_iban(iban);
        with_db!(self, pool => {
            let row: Option<(i64,)> =
                sqlx::query_as(ENTITY_BY_IBAN).bind(&iban).fetch_optional(pool).await?;
            Ok(row.map(|(id,)| id))
        })
    }

    /// The import history, newest first.
    pub async fn bank_imports(&self, page: PageRequest) -> Result<Page<BankImportRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(IMPORTS_COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, BankImportRecord>(IMPORTS)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The full report of an import, line by line.
    pub async fn bank_import_report(&self, id: i64) -> Result<ImportReport> {
        with_db!(self, pool => {
            let (json,): (String,) = sqlx::query_as(IMPORT_REPORT)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
    }

    /// The imported movements, newest booking first; `None` lists every status.
    pub async fn bank_movements(
        &self,
        status: Option<MovementStatus>,
        page: PageRequest,
    ) -> Result<Page<BankMovementRecord>> {
        let status = status.map(MovementStatus::code);
        with_db!(self, pool => {
            let (total,): (i64,) =
                sqlx::query_as(MOVEMENTS_COUNT).bind(status).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, BankMovementRecord>(MOVEMENTS)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    pub async fn bank_movement(&self, id: i64) -> Result<BankMovementRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, BankMovementRecord>(MOVEMENT)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The payments a movement made (reversed ones included, marked).
    pub async fn movement_payments(&self, id: i64) -> Result<Vec<MovementPayment>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, MovementPayment>(PAYMENTS_OF_MOVEMENT)
                .bind(id)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The open invoices an unmatched credit most likely pays, best first (payments.md
    /// §4.4): those its text names, those still owing exactly its amount, and those of the
    /// clients its payer's account paid before; ranked by [`matching::rank`].
    pub async fn movement_suggestions(&self, id: i64) -> Result<Vec<Suggestion>> {
        let movement = self.bank_movement(id).await?;
        if movement.amount_cents <= 0 {
            return Ok(Vec::new());
        }
        let text = movement.text();
        let booked_on: Date = movement
            .booked_on
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("movement {id} date")))?;
        with_db!(self, pool => {
            let entity: Option<(i64,)> = sqlx::query_as(ENTITY_BY_IBAN)
                .bind(&movement.account_iban)
                .fetch_optional(pool)
                .await?;
            let Some((entity_id,)) = entity else {
                return Ok(Vec::new());
            };
            let mut rows: Vec<CandidateRow> = Vec::new();
            let references: Vec<String> = matching::ogms_in_text(&text)
                .iter()
                .map(|o| o.as_str().to_string())
                .chain(matching::document_numbers_in_text(&text).iter().map(ToString::to_string))
                .collect();
            for reference in references {
                rows.extend(
                    sqlx::query_as::<_, CandidateRow>(CANDIDATES_BY_REFERENCE)
                        .bind(entity_id)
                        .bind(reference)
                        .fetch_all(pool)
                        .await?,
                );
            }
            rows.extend(
                sqlx::query_as::<_, CandidateRow>(CANDIDATES_BY_AMOUNT)
                    .bind(entity_id)
                    .bind(movement.amount_cents)
                    .fetch_all(pool)
                    .await?,
            );
            let mut clients: Vec<i64> = Vec::new();
            if let Some(iban) = &movement.counterparty_iban {
                let found: Vec<(i64,)> =
                    sqlx::query_as(CLIENTS_OF_IBAN).bind(iban).fetch_all(pool).await?;
                clients = found.into_iter().map(|(c,)| c).collect();
            }
            for client in &clients {
                rows.extend(
                    sqlx::query_as::<_, CandidateRow>(CANDIDATES_OF_CLIENT)
                        .bind(entity_id)
                        .bind(client)
                        .fetch_all(pool)
                        .await?,
                );
            }
            rows.sort_by_key(|r| r.0);
            rows.dedup_by_key(|r| r.0);
            let candidates: Vec<Candidate> = rows
                .into_iter()
                .map(|(invoice_id, number, ogm, client_id, client_name, due_cents, due_date)| {
                    Candidate {
                        invoice_id,
                        number,
                        ogm,
                        client_id,
                        client_name,
                        due_cents,
                        due_date: due_date.and_then(|d| d.parse().ok()),
                    }
                })
                .collect();
            let facts = MovementFacts {
                amount_cents: movement.amount_cents,
                booked_on,
                text: &text,
                counterparty_name: movement.counterparty_name.as_deref(),
                clients_of_iban: &clients,
            };
            Ok(matching::rank(&facts, &candidates))
        })
    }

    /// Matches an unmatched credit by hand to one or more invoices: `allocations` gives
    /// each invoice's share, and the shares add up to the movement's amount (a share above
    /// what an invoice still owes goes to suspense). Audited.
    pub async fn match_movement(
        &self,
        ctx: &AuditContext,
        movement_id: i64,
        allocations: &[(i64, i64)],
    ) -> Result<BankMovementRecord> {
        if allocations.is_empty() || allocations.len() > MAX_ALLOCATIONS {
            return Err(StoreError::Conflict("allocation-count"));
        }
        if allocations.iter().any(|(_, cents)| *cents <= 0) {
            return Err(StoreError::Conflict("payment-not-positive"));
        }
        let movement = self.bank_movement(movement_id).await?;
        let booked_on: Date = movement
            .booked_on
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("movement {movement_id} date")))?;
        if movement.amount_cents <= 0 {
            return Err(StoreError::Conflict("movement-not-a-credit"));
        }
        if allocations.iter().map(|(_, c)| *c).sum::<i64>() != movement.amount_cents {
            return Err(StoreError::Conflict("allocation-sum"));
        }
        write_tx!(self, tx => {
            let entity: Option<(i64,)> = sqlx::query_as(ENTITY_BY_IBAN)
                .bind(&movement.account_iban)
                .fetch_optional(&mut *tx)
                .await?;
            let entity_id = entity.map(|(e,)| e);
            for (invoice_id, share) in allocations {
                let record = sqlx::query_as::<_, crate::invoices::InvoiceRecord>(crate::invoices::GET)
                    .bind(invoice_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if Some(record.entity_id) != entity_id {
                    return Err(StoreError::Conflict("invoice-of-another-entity"));
                }
                pay_in!(
                    tx,
                    ctx,
                    *invoice_id,
                    *share,
                    booked_on,
                    Some(movement.bank_reference.as_str()),
                    Some(movement_id)
                );
            }
            let done = sqlx::query(SET_MATCHED)
                .bind(allocations[0].0)
                .bind(None::<String>)
                .bind(movement_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict("movement-not-unmatched"));
            }
            audit!(tx, ctx, "match", "bank_movement", Some(movement_id), Some(&movement),
                Some(&serde_json::json!({ "allocations": allocations })));
            Ok::<(), StoreError>(())
        })?;
        self.bank_movement(movement_id).await
    }

    /// Undoes a match: every payment the movement made is taken back (ledger reversals on
    /// `on`) and the movement waits in the queue again. Audited.
    pub async fn unmatch_movement(
        &self,
        ctx: &AuditContext,
        movement_id: i64,
        on: Date,
    ) -> Result<BankMovementRecord> {
        let movement = self.bank_movement(movement_id).await?;
        if movement.status()? != MovementStatus::Matched {
            return Err(StoreError::Conflict("movement-not-matched"));
        }
        // A return, or the settlement of a payout, is the bank's own record: not undone here.
        if movement
            .note
            .as_deref()
            .is_some_and(|n| n == "return" || n.starts_with("payout:"))
        {
            return Err(StoreError::Conflict("movement-is-a-return"));
        }
        write_tx!(self, tx => {
            let payments: Vec<(i64,)> = sqlx::query_as(LIVE_PAYMENTS_OF_MOVEMENT)
                .bind(movement_id)
                .fetch_all(&mut *tx)
                .await?;
            for (payment_id,) in payments {
                unpay_in!(tx, ctx, payment_id, on);
            }
            let done = sqlx::query(SET_STATUS)
                .bind(MovementStatus::Unmatched.code())
                .bind(None::<String>)
                .bind(movement_id)
                .bind(MovementStatus::Matched.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict("movement-not-matched"));
            }
            audit!(tx, ctx, "unmatch", "bank_movement", Some(movement_id), Some(&movement), None::<&()>);
            Ok::<(), StoreError>(())
        })?;
        self.bank_movement(movement_id).await
    }

    /// Sets an unmatched movement aside (bank charges, a transfer between the cooperative's
    /// own accounts…) with a reason, or puts an ignored one back in the queue. Audited.
    pub async fn ignore_movement(
        &self,
        ctx: &AuditContext,
        movement_id: i64,
        reason: Option<&str>,
    ) -> Result<BankMovementRecord> {
        let movement = self.bank_movement(movement_id).await?;
        let (from, to, note) = match reason.map(str::trim) {
            Some("") => return Err(StoreError::Conflict("reason-required")),
            Some(reason) if reason.chars().count() > MAX_REASON_CHARS => {
                return Err(StoreError::Conflict("reason-too-long"));
            }
            Some(reason) => (
                MovementStatus::Unmatched,
                MovementStatus::Ignored,
                Some(reason),
            ),
            None => (MovementStatus::Ignored, MovementStatus::Unmatched, None),
        };
        write_tx!(self, tx => {
            let done = sqlx::query(SET_STATUS)
                .bind(to.code())
                .bind(note)
                .bind(movement_id)
                .bind(from.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict("movement-status"));
            }
            let action = if to == MovementStatus::Ignored { "ignore" } else { "restore" };
            audit!(tx, ctx, action, "bank_movement", Some(movement_id), Some(&movement),
                Some(&serde_json::json!({ "status": to.code(), "note": note })));
            Ok::<(), StoreError>(())
        })?;
        self.bank_movement(movement_id).await
    }
}
