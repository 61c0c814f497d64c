//! Bank statements: importing the movements of a CODA or camt.053 file, and paying the
//! invoices whose structured communication they carry (payments.md §4).
//!
//! The store does not read files: the binary parses them (`ruche_formats`) and hands over a
//! [`StatementInput`]. An import is one write transaction. A movement is known by its
//! account and the bank's reference, so the same file imported twice adds nothing and an
//! overlapping file adds only what is new (DESIGN.md §9).

use jiff::civil::Date;
use ruche_domain::ident::Ogm;
use ruche_domain::invoicing::{InvoiceEvent, InvoiceStatus};
use serde::Serialize;

use crate::invoices::pay_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// The most movements one statement may bring (TigerStyle: a bound on every loop). A
/// cooperative's daily statement holds a few hundred at most.
pub const MAX_MOVEMENTS_PER_STATEMENT: usize = 100_000;

/// The file format a statement came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StatementFormat {
    Coda,
    Camt053,
}

impl StatementFormat {
    pub fn code(self) -> &'static str {
        match self {
            StatementFormat::Coda => "coda",
            StatementFormat::Camt053 => "camt053",
        }
    }
}

/// One movement as the bank statement gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankMovementInput {
    /// The bank's unique reference of the movement: the idempotency key, with the account.
    pub bank_reference: String,
    pub account_iban: String,
    pub booked_on: Date,
    pub value_date: Option<Date>,
    /// Signed: money in is positive, money out negative.
    pub amount_cents: i64,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    /// The twelve digits of a structured communication, only when its check holds.
    pub ogm: Option<String>,
    pub free_text: Option<String>,
}

/// One statement: an account over one period, and its movements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementInput {
    pub format: StatementFormat,
    pub account_iban: String,
    /// The bank's sequence number of the statement, as written.
    pub sequence: Option<String>,
    pub opening_cents: Option<i64>,
    pub closing_cents: Option<i64>,
    pub movements: Vec<BankMovementInput>,
}

/// Where a movement stands: matched to an invoice, waiting for someone, or set aside.
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

/// What an import took: `read` = `new` + `already_known`, `new` = `matched` + `unmatched`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub read: usize,
    pub new: usize,
    pub already_known: usize,
    pub matched: usize,
    pub unmatched: usize,
    /// The statement row, when the import brought at least one new movement.
    pub statement_id: Option<i64>,
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
}

impl BankMovementRecord {
    pub fn status(&self) -> Result<MovementStatus> {
        MovementStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("bank movement status {}", self.status)))
    }
}

const INSERT_STATEMENT: &str = "INSERT INTO bank_statements (format, account_iban, sequence, \
    opening_cents, closing_cents, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7) \
    RETURNING id";
const KNOWN: &str = "SELECT id FROM bank_movements WHERE account_iban = $1 AND bank_reference = $2";
const INSERT_MOVEMENT: &str = "INSERT INTO bank_movements (statement_id, account_iban, \
    bank_reference, booked_on, value_date, amount_cents, counterparty_name, counterparty_iban, \
    ogm, free_text, status, invoice_id, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'unmatched', NULL, $11) RETURNING id";
const OPEN_INVOICE_BY_OGM: &str = "SELECT id, status, tax_inclusive_cents, paid_cents, \
    credited_cents FROM invoices WHERE structured_communication = $1 AND kind = 'invoice'";
const SET_MATCHED: &str = "UPDATE bank_movements SET status = 'matched', invoice_id = $1 \
    WHERE id = $2 AND status = 'unmatched'";
const LIST: &str = "SELECT id, statement_id, account_iban, bank_reference, booked_on, \
    value_date, amount_cents, counterparty_name, counterparty_iban, ogm, free_text, status, \
    invoice_id, created_at FROM bank_movements WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) \
    ORDER BY booked_on DESC, id DESC LIMIT $2 OFFSET $3";
const COUNT: &str =
    "SELECT COUNT(*) FROM bank_movements WHERE (CAST($1 AS TEXT) IS NULL OR status = $1)";

/// Whether an invoice found by its structured communication may take this payment: the
/// same transition `pay_in!` makes, checked first so that a paid invoice's OGM leaves the
/// movement unmatched instead of refusing the whole file.
fn payable(status: &str, tax_inclusive: i64, paid: i64, credited: i64, amount: i64) -> bool {
    let Some(status) = InvoiceStatus::parse(status) else {
        return false;
    };
    let due = (tax_inclusive - paid - credited).max(0);
    let event = if amount >= due {
        InvoiceEvent::FullPayment
    } else {
        InvoiceEvent::PartialPayment
    };
    status.transition(event).is_ok()
}

impl Store {
    /// Imports one statement in one write transaction: skips the movements already known,
    /// stores the new ones, and pays each open invoice whose structured communication a new
    /// credit carries, with the same postings as [`Store::record_payment`]. The rest stays
    /// unmatched for a person to look at.
    pub async fn import_statement(
        &self,
        ctx: &AuditContext,
        statement: &StatementInput,
    ) -> Result<ImportReport> {
        if statement.movements.len() > MAX_MOVEMENTS_PER_STATEMENT {
            return Err(StoreError::Conflict("statement-too-large"));
        }
        let now = now_micros();
        write_tx!(self, tx => {
            let mut report = ImportReport::default();
            for movement in &statement.movements {
                report.read += 1;
                let known: Option<(i64,)> = sqlx::query_as(KNOWN)
                    .bind(&movement.account_iban)
                    .bind(&movement.bank_reference)
                    .fetch_optional(&mut *tx)
                    .await?;
                if known.is_some() {
                    report.already_known += 1;
                    continue;
                }
                // The statement is stored with its first new movement: a file already
                // imported leaves no trace but its audit row.
                let statement_id = match report.statement_id {
                    Some(id) => id,
                    None => {
                        let (id,): (i64,) = sqlx::query_as(INSERT_STATEMENT)
                            .bind(statement.format.code())
                            .bind(&statement.account_iban)
                            .bind(statement.sequence.as_deref())
                            .bind(statement.opening_cents)
                            .bind(statement.closing_cents)
                            .bind(now)
                            .bind(ctx.actor_account_id)
                            .fetch_one(&mut *tx)
                            .await?;
                        report.statement_id = Some(id);
                        id
                    }
                };
                // Only a structured communication whose check holds is kept as one.
                let ogm = movement
                    .ogm
                    .as_deref()
                    .and_then(|s| Ogm::parse(s).ok())
                    .map(|o| o.as_str().to_string());
                let (movement_id,): (i64,) = sqlx::query_as(INSERT_MOVEMENT)
                    .bind(statement_id)
                    .bind(&movement.account_iban)
                    .bind(&movement.bank_reference)
                    .bind(movement.booked_on.to_string())
                    .bind(movement.value_date.map(|d| d.to_string()))
                    .bind(movement.amount_cents)
                    .bind(movement.counterparty_name.as_deref())
                    .bind(movement.counterparty_iban.as_deref())
                    .bind(ogm.as_deref())
                    .bind(movement.free_text.as_deref())
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                report.new += 1;
                let invoice = match (&ogm, movement.amount_cents > 0) {
                    (Some(ogm), true) => {
                        let row: Option<(i64, String, i64, i64, i64)> =
                            sqlx::query_as(OPEN_INVOICE_BY_OGM)
                                .bind(ogm)
                                .fetch_optional(&mut *tx)
                                .await?;
                        row.filter(|(_, status, total, paid, credited)| {
                            payable(status, *total, *paid, *credited, movement.amount_cents)
                        })
                        .map(|(id, ..)| id)
                    }
                    _ => None,
                };
                let Some(invoice_id) = invoice else {
                    report.unmatched += 1;
                    continue;
                };
                pay_in!(
                    tx,
                    ctx,
                    invoice_id,
                    movement.amount_cents,
                    movement.booked_on,
                    Some(movement.bank_reference.as_str())
                );
                let done = sqlx::query(SET_MATCHED)
                    .bind(invoice_id)
                    .bind(movement_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Corrupt(format!(
                        "bank movement {movement_id} could not be marked matched"
                    )));
                }
                report.matched += 1;
            }
            // TigerStyle: the counts add up before the transaction commits.
            if report.read != report.new + report.already_known
                || report.new != report.matched + report.unmatched
            {
                return Err(StoreError::Corrupt(format!("import counts do not add up: {report:?}")));
            }
            audit!(tx, ctx, "import", "bank_statement", report.statement_id, None::<&()>, Some(&report));
            Ok(report)
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
            let (total,): (i64,) = sqlx::query_as(COUNT).bind(status).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, BankMovementRecord>(LIST)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }
}
