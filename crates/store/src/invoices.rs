//! Invoices and credit notes: drafts, gap-free issuing with the ledger postings, payments.
//!
//! Issuing happens in one write transaction (DESIGN.md §5, invoicing.md §4): the next number
//! of the entity's series and year is taken from `document_counters` (locked with `FOR
//! UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` serialises writers), the document is
//! built and checked by the domain rules, its snapshot and content hash are written, and the
//! ledger is posted — or nothing is.

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::group::Address;
use ruche_domain::ident::Ogm;
use ruche_domain::invoicing::{
    Document, DocumentKind, DocumentNumber, InvoiceEvent, InvoiceStatus, Line, LineInput, Party,
    Seller, VatCategory, check_credit_note, check_document, check_peppol, compute_totals,
    next_number, series_for, totals_of_lines,
};
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::conditions::{Conditions, page_where};
use crate::ledger::post_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InvoiceRecord {
    pub id: i64,
    pub kind: String,
    pub activity_id: i64,
    pub client_id: i64,
    pub entity_id: i64,
    pub quote_id: Option<i64>,
    pub corrects_invoice_id: Option<i64>,
    pub status: String,
    pub number: Option<String>,
    pub issue_date: Option<String>,
    pub due_days: i64,
    pub due_date: Option<String>,
    pub language: String,
    pub structured_communication: Option<String>,
    pub order_reference: Option<String>,
    pub note: Option<String>,
    pub tax_exclusive_cents: i64,
    pub tax_cents: i64,
    pub tax_inclusive_cents: i64,
    pub paid_cents: i64,
    pub credited_cents: i64,
    pub content_hash: Option<String>,
    pub ledger_transaction_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub issued_at: Option<i64>,
}

impl InvoiceRecord {
    pub fn status(&self) -> Result<InvoiceStatus> {
        InvoiceStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("invoice status {}", self.status)))
    }

    pub fn kind(&self) -> DocumentKind {
        if self.kind == "credit_note" {
            DocumentKind::CreditNote
        } else {
            DocumentKind::Invoice
        }
    }

    /// What the client still owes: the total, less payments and credit notes.
    pub fn due_cents(&self) -> i64 {
        (self.tax_inclusive_cents - self.paid_cents - self.credited_cents).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InvoiceLineRecord {
    pub id: i64,
    pub invoice_id: i64,
    pub position: i64,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat_category: String,
    pub vat_rate_bp: i64,
    pub net_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PaymentRecord {
    pub id: i64,
    pub invoice_id: i64,
    pub amount_cents: i64,
    pub received_on: String,
    pub reference: Option<String>,
    pub ledger_transaction_id: i64,
    pub created_at: i64,
}

/// A draft invoice or credit note, as the forms and the API send it.
#[derive(Debug, Clone)]
pub struct DraftInvoice {
    pub kind: DocumentKind,
    pub activity_id: i64,
    pub client_id: i64,
    pub entity_id: i64,
    pub quote_id: Option<i64>,
    /// For a credit note: the issued invoice it corrects.
    pub corrects_invoice_id: Option<i64>,
    pub due_days: u32,
    pub language: Language,
    pub order_reference: Option<String>,
    pub note: Option<String>,
    pub lines: Vec<LineInput>,
}

/// Filters of invoice lists; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub activity_id: Option<i64>,
    pub client_id: Option<i64>,
    pub status: Option<InvoiceStatus>,
    pub kind: Option<DocumentKind>,
    /// Number or client name, case-insensitive.
    pub search: Option<String>,
    /// Issued in this calendar year (drafts have no issue date: never in a year).
    pub issue_year: Option<i16>,
}

/// The job kind that hands one issued document's UBL to the Peppol access point.
pub const PEPPOL_SEND_JOB: &str = "peppol-send";

/// An issued document with the model the PDF and UBL writers read.
#[derive(Debug, Clone)]
pub struct Issued {
    pub record: InvoiceRecord,
    pub document: Document,
}

fn kind_code(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Invoice => "invoice",
        DocumentKind::CreditNote => "credit_note",
    }
}

macro_rules! invoice_columns {
    () => {
        "id, kind, activity_id, client_id, entity_id, quote_id, corrects_invoice_id, status, \
         number, issue_date, due_days, due_date, language, structured_communication, \
         order_reference, note, tax_exclusive_cents, tax_cents, tax_inclusive_cents, paid_cents, \
         credited_cents, content_hash, ledger_transaction_id, created_by, created_at, \
         updated_at, issued_at"
    };
}

pub(crate) const GET: &str = concat!(
    "SELECT ",
    invoice_columns!(),
    " FROM invoices WHERE id = $1"
);
const BY_NUMBER: &str = concat!(
    "SELECT ",
    invoice_columns!(),
    " FROM invoices WHERE entity_id = $1 AND number = $2"
);
/// The columns of a list row, read from `invoices i`.
const LIST_SELECT: &str = "SELECT i.id, i.kind, i.activity_id, i.client_id, i.entity_id, \
     i.quote_id, i.corrects_invoice_id, i.status, i.number, i.issue_date, i.due_days, \
     i.due_date, i.language, i.structured_communication, i.order_reference, i.note, \
     i.tax_exclusive_cents, i.tax_cents, i.tax_inclusive_cents, i.paid_cents, i.credited_cents, \
     i.content_hash, i.ledger_transaction_id, i.created_by, i.created_at, i.updated_at, \
     i.issued_at FROM invoices i";
/// Newest first, drafts (no issue date yet) before everything.
const LIST_ORDER: &str = " ORDER BY COALESCE(i.issue_date, '9999-12-31') DESC, i.id DESC";
/// The same order when every row has an issue date (a year is filtered): written on the
/// column itself, so `invoices_by_issue_date` reads the year backwards and the sort stops
/// at the page instead of sorting the whole year.
const LIST_ORDER_ISSUED: &str = " ORDER BY i.issue_date DESC, i.id DESC";
const LINES: &str = "SELECT id, invoice_id, position, description, quantity, unit, unit_price, \
    vat_category, vat_rate_bp, net_cents FROM invoice_lines WHERE invoice_id = $1 \
    ORDER BY position LIMIT 500";
const INSERT: &str = "INSERT INTO invoices (kind, activity_id, client_id, entity_id, quote_id, \
    corrects_invoice_id, status, due_days, language, order_reference, note, \
    tax_exclusive_cents, tax_cents, tax_inclusive_cents, paid_cents, credited_cents, created_by, \
    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, $12, \
    $13, 0, 0, $14, $15, $15) RETURNING id";
const UPDATE_DRAFT: &str = "UPDATE invoices SET client_id = $1, entity_id = $2, due_days = $3, \
    language = $4, order_reference = $5, note = $6, tax_exclusive_cents = $7, tax_cents = $8, \
    tax_inclusive_cents = $9, updated_at = $10 WHERE id = $11 AND status = 'draft'";
const DELETE_LINES: &str = "DELETE FROM invoice_lines WHERE invoice_id = $1";
const INSERT_LINE: &str = "INSERT INTO invoice_lines (invoice_id, position, description, \
    quantity, unit, unit_price, vat_category, vat_rate_bp, net_cents) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const EXISTS_ACTIVITY: &str = "SELECT status FROM activities WHERE id = $1";
const EXISTS_CLIENT: &str = "SELECT id FROM clients WHERE id = $1";
const EXISTS_ENTITY: &str = "SELECT id FROM legal_entities WHERE id = $1";
// The series' counter of the year, created at 0 when missing and locked for the rest of
// the transaction (on PostgreSQL the upsert locks the row as `FOR UPDATE` would; SQLite has
// one writer), read in the same statement.
const COUNTER_LOCK: &str = "INSERT INTO document_counters (entity_id, series, year, \
    last_sequence, last_issue_date) VALUES ($1, $2, $3, 0, NULL) \
    ON CONFLICT (entity_id, series, year) \
    DO UPDATE SET last_sequence = document_counters.last_sequence \
    RETURNING last_sequence, last_issue_date";
const COUNTER_SET: &str = "UPDATE document_counters SET last_sequence = $1, last_issue_date = $2 \
    WHERE entity_id = $3 AND series = $4 AND year = $5";
const ISSUE: &str = "UPDATE invoices SET status = 'issued', number = $1, issue_date = $2, \
    due_date = $3, structured_communication = $4, snapshot_json = $5, content_hash = $6, \
    ledger_transaction_id = $7, issued_at = $8, updated_at = $8 WHERE id = $9 AND status = 'draft'";
const SNAPSHOT: &str = "SELECT snapshot_json FROM invoices WHERE id = $1";
const RENDERING: &str = "SELECT pdf, ubl FROM invoices WHERE id = $1";
const STORE_RENDERING: &str =
    "UPDATE invoices SET pdf = $1, ubl = $2 WHERE id = $3 AND pdf IS NULL AND status <> 'draft'";
const ENTITY: &str = "SELECT name, legal_form, street, postcode, city, country, \
    enterprise_number, vat_number, iban, court_register FROM legal_entities WHERE id = $1";
const CLIENT: &str = "SELECT name, street, postcode, city, country, enterprise_number, \
    vat_number, email FROM clients WHERE id = $1";
pub(crate) const SET_PAID: &str =
    "UPDATE invoices SET paid_cents = $1, status = $2, updated_at = $3 WHERE id = $4";
const SET_CREDITED: &str =
    "UPDATE invoices SET credited_cents = $1, status = $2, updated_at = $3 WHERE id = $4";
pub(crate) const INSERT_PAYMENT: &str = "INSERT INTO invoice_payments (invoice_id, amount_cents, \
    received_on, reference, ledger_transaction_id, created_at, applied_cents, \
    contribution_transaction_id, bank_movement_id) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const PAYMENTS: &str = "SELECT id, invoice_id, amount_cents, received_on, reference, \
    ledger_transaction_id, created_at FROM invoice_payments WHERE invoice_id = $1 ORDER BY id \
    LIMIT 500";
pub(crate) const ACTIVITY_RATE: &str = "SELECT contribution_rate_bp FROM activities WHERE id = $1";
const OF_QUOTE: &str = concat!(
    "SELECT ",
    invoice_columns!(),
    " FROM invoices WHERE quote_id = $1 AND kind = 'invoice' LIMIT 1"
);
const CREDIT_NOTES_OF: &str = concat!(
    "SELECT ",
    invoice_columns!(),
    " FROM invoices WHERE corrects_invoice_id = $1 ORDER BY id LIMIT 100"
);

type EntityRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
);
type ClientRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn decimal(field: &str, s: &str) -> Result<Decimal> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("{field} {s}")))
}

fn date(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("date {s}")))
}

fn to_line(r: &InvoiceLineRecord) -> Result<Line> {
    Ok(Line {
        description: r.description.clone(),
        quantity: decimal("quantity", &r.quantity)?,
        unit: r.unit.clone(),
        unit_price: decimal("unit_price", &r.unit_price)?,
        vat_category: VatCategory::parse(&r.vat_category)
            .ok_or_else(|| StoreError::Corrupt(format!("vat category {}", r.vat_category)))?,
        vat_rate_bp: u32::try_from(r.vat_rate_bp)
            .map_err(|_| StoreError::Corrupt("vat rate".into()))?,
        net_cents: r.net_cents,
    })
}

fn seller_of(row: EntityRow) -> Seller {
    let (name, legal_form, street, postcode, city, country, number, vat, iban, court) = row;
    Seller {
        party: Party {
            name,
            address: Address {
                street,
                postcode,
                city,
                country,
            },
            enterprise_number: Some(number),
            vat_number: vat,
            email: None,
        },
        legal_form,
        court_register: court,
        iban,
        bic: None,
    }
}

fn buyer_of(row: ClientRow) -> Party {
    let (name, street, postcode, city, country, number, vat, email) = row;
    Party {
        name,
        address: Address {
            street,
            postcode,
            city,
            country,
        },
        enterprise_number: number,
        vat_number: vat,
        email,
    }
}

/// The ledger transaction of an issued document (see the posting scheme in `docs/`):
/// receivable = gross, VAT payable per rate, the activity's "invoiced" = net; mirrored for a
/// credit note.
fn issue_posting(
    record: &InvoiceRecord,
    document: &Document,
    on: Date,
) -> std::result::Result<NewTransaction, ruche_domain::ledger::LedgerError> {
    let sign = if document.kind == DocumentKind::CreditNote {
        -1
    } else {
        1
    };
    let mut postings = vec![Posting::new(
        AccountCode::ClientReceivable(record.client_id),
        sign * document.totals.tax_inclusive_cents,
    )];
    for sub in &document.totals.subtotals {
        if sub.tax_cents != 0 {
            let account = AccountCode::VatPayable {
                category: sub.category,
                rate_bp: sub.rate_bp,
            };
            postings.push(Posting::new(account, -sign * sub.tax_cents));
        }
    }
    postings.push(Posting::new(
        AccountCode::ActivityInvoiced(record.activity_id),
        -sign * document.totals.tax_exclusive_cents,
    ));
    let (kind, what) = match document.kind {
        DocumentKind::Invoice => (TransactionKind::InvoiceIssued, "invoice"),
        DocumentKind::CreditNote => (TransactionKind::CreditNoteIssued, "credit_note"),
    };
    NewTransaction::new(
        kind,
        on,
        format!("{what} {}", document.number),
        Some(("invoice".to_string(), record.id)),
        postings,
    )
}

/// Cents rounded half away from zero (never banker's rounding: rust-stack.md).
pub(crate) fn rounded_cents(amount: Decimal) -> Result<i64> {
    i64::try_from(
        amount.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
    .map_err(|_| StoreError::Corrupt("amount out of range".into()))
}

/// The VAT-excluded part of `paid` cents of an invoice (pro rata of its totals).
pub(crate) fn net_share_of(record: &InvoiceRecord, paid: i64) -> Result<i64> {
    if record.tax_inclusive_cents == 0 {
        return Ok(0);
    }
    rounded_cents(
        Decimal::from(paid) * Decimal::from(record.tax_exclusive_cents)
            / Decimal::from(record.tax_inclusive_cents),
    )
}

/// The content hash of a snapshot: SHA-256 of its JSON, hex.
pub fn content_hash(snapshot_json: &str) -> String {
    hex::encode(Sha256::digest(snapshot_json.as_bytes()))
}

/// Records a payment of an invoice inside the database transaction `$tx` and evaluates to
/// the invoice as it stands after it; returns early with an error (rolling `$tx` back) when
/// the invoice is not an open invoice. The body of [`Store::record_payment`], shared with
/// the bank import so that a matched bank movement posts exactly what a payment entered by
/// hand posts (DESIGN.md §3).
macro_rules! pay_in {
    ($tx:ident, $ctx:expr, $invoice_id:expr, $amount_cents:expr, $received_on:expr, $reference:expr) => {
        $crate::invoices::pay_in!(
            $tx,
            $ctx,
            $invoice_id,
            $amount_cents,
            $received_on,
            $reference,
            None
        )
    };
    ($tx:ident, $ctx:expr, $invoice_id:expr, $amount_cents:expr, $received_on:expr, $reference:expr, $movement_id:expr) => {{
        let movement_id: Option<i64> = $movement_id;
        let ctx: &$crate::AuditContext = $ctx;
        let invoice_id: i64 = $invoice_id;
        let amount_cents: i64 = $amount_cents;
        let received_on: jiff::civil::Date = $received_on;
        let reference: Option<&str> = $reference;
        if amount_cents <= 0 {
            return Err($crate::StoreError::Conflict("payment-not-positive"));
        }
        let record = sqlx::query_as::<_, $crate::invoices::InvoiceRecord>($crate::invoices::GET)
            .bind(invoice_id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::StoreError::NotFound)?;
        if record.kind() != ruche_domain::invoicing::DocumentKind::Invoice {
            return Err($crate::StoreError::Conflict("not-an-invoice"));
        }
        let due = record.due_cents();
        let event = if amount_cents >= due {
            ruche_domain::invoicing::InvoiceEvent::FullPayment
        } else {
            ruche_domain::invoicing::InvoiceEvent::PartialPayment
        };
        let status = record
            .status()?
            .transition(event)
            .map_err(|_| $crate::StoreError::Conflict("invoice-not-open"))?;
        // Over-payments stay in suspense for the accountant (issue of payments).
        let applied = amount_cents.min(due);
        // The activity's share of this payment, VAT excluded: the net share of everything
        // paid so far, less that of what was paid before, so that the shares of several
        // partial payments add up to the invoice's net amount to the cent.
        let net_share = $crate::invoices::net_share_of(&record, record.paid_cents + applied)?
            - $crate::invoices::net_share_of(&record, record.paid_cents)?;
        let (own_rate,): (Option<i64>,) = sqlx::query_as($crate::invoices::ACTIVITY_RATE)
            .bind(record.activity_id)
            .fetch_one(&mut *$tx)
            .await?;
        let rate = ruche_domain::activity::effective_contribution_rate(
            own_rate.and_then(|r| u32::try_from(r).ok()),
            received_on,
        );
        let contribution = $crate::invoices::rounded_cents(
            rust_decimal::Decimal::from(net_share) * rust_decimal::Decimal::from(rate)
                / rust_decimal::Decimal::from(10_000),
        )?;
        let number = record.number.clone().unwrap_or_default();
        let source = Some(("invoice".to_string(), record.id));
        let mut postings = vec![
            ruche_domain::ledger::Posting::debit(
                ruche_domain::ledger::AccountCode::EntityBank(record.entity_id),
                amount_cents,
            ),
            ruche_domain::ledger::Posting::credit(
                ruche_domain::ledger::AccountCode::ClientReceivable(record.client_id),
                applied,
            ),
        ];
        if amount_cents > applied {
            postings.push(ruche_domain::ledger::Posting::credit(
                ruche_domain::ledger::AccountCode::Suspense,
                amount_cents - applied,
            ));
        }
        if net_share > 0 {
            postings.push(ruche_domain::ledger::Posting::debit(
                ruche_domain::ledger::AccountCode::ActivityInvoiced(record.activity_id),
                net_share,
            ));
            postings.push(ruche_domain::ledger::Posting::credit(
                ruche_domain::ledger::AccountCode::ActivityBudget(record.activity_id),
                net_share,
            ));
        }
        let payment = ruche_domain::ledger::NewTransaction::new(
            ruche_domain::ledger::TransactionKind::PaymentReceived,
            received_on,
            format!("payment of {number}"),
            source.clone(),
            postings,
        )
        .map_err(|e| $crate::StoreError::Corrupt(e.to_string()))?;
        let payment_tx = $crate::ledger::post_in!($tx, ctx, &payment);
        let mut contribution_tx: Option<i64> = None;
        if contribution > 0 {
            let charge = ruche_domain::ledger::NewTransaction::new(
                ruche_domain::ledger::TransactionKind::Contribution,
                received_on,
                format!("contribution on {number}"),
                source,
                vec![
                    ruche_domain::ledger::Posting::debit(
                        ruche_domain::ledger::AccountCode::ActivityBudget(record.activity_id),
                        contribution,
                    ),
                    ruche_domain::ledger::Posting::credit(
                        ruche_domain::ledger::AccountCode::EntityContribution(record.entity_id),
                        contribution,
                    ),
                ],
            )
            .map_err(|e| $crate::StoreError::Corrupt(e.to_string()))?;
            contribution_tx = Some($crate::ledger::post_in!($tx, ctx, &charge));
        }
        // The order's salary guarantee is repaid first from what the payment brings the
        // budget (the fund advanced that salary).
        $crate::employment::repay_guarantee_in!(
            $tx,
            ctx,
            &record,
            net_share - contribution,
            received_on,
            "repaid"
        );
        // C8: the activity's loans take what is due from what the payment brought.
        $crate::loans::repay_loans_from_payment_in!(
            $tx,
            ctx,
            record.activity_id,
            net_share - contribution,
            received_on,
            Some(invoice_id)
        );
        sqlx::query($crate::invoices::INSERT_PAYMENT)
            .bind(invoice_id)
            .bind(amount_cents)
            .bind(received_on.to_string())
            .bind(reference)
            .bind(payment_tx)
            .bind($crate::now_micros())
            .bind(applied)
            .bind(contribution_tx)
            .bind(movement_id)
            .execute(&mut *$tx)
            .await?;
        // The invoice after the payment: the one read above with the values the update below
        // sets (absolute values, not increments), without reading it again.
        let after = $crate::invoices::InvoiceRecord {
            paid_cents: record.paid_cents + applied,
            status: status.code().to_string(),
            updated_at: $crate::now_micros(),
            ..record.clone()
        };
        sqlx::query($crate::invoices::SET_PAID)
            .bind(after.paid_cents)
            .bind(&after.status)
            .bind(after.updated_at)
            .bind(invoice_id)
            .execute(&mut *$tx)
            .await?;
        audit!(
            $tx,
            ctx,
            "payment",
            "invoice",
            Some(invoice_id),
            Some(&record),
            Some(&after)
        );
        after
    }};
}
pub(crate) use pay_in;

/// Saves a draft (new, or replacing draft `$id`) inside the database transaction `$tx` and
/// evaluates to the draft as saved; returns early (rolling `$tx` back) when a line is
/// invalid, something it names does not exist or the invoice is no longer a draft. The body
/// of [`Store::save_invoice_draft`], shared with [`Store::issue_invoices`].
macro_rules! draft_in {
    ($tx:ident, $ctx:expr, $id:expr, $draft:expr) => {{
        let ctx: &AuditContext = $ctx;
        let id: Option<i64> = $id;
        let draft: &DraftInvoice = $draft;
        let (lines, totals) = compute_totals(&draft.lines, draft.language)
            .map_err(|e| StoreError::Document(vec![e]))?;
        let errors = ruche_domain::invoicing::check_lines(&lines, jiff::Zoned::now().date());
        if !errors.is_empty() {
            return Err(StoreError::Document(errors));
        }
        let now = now_micros();
        let activity: Option<(String,)> = sqlx::query_as(EXISTS_ACTIVITY)
            .bind(draft.activity_id)
            .fetch_optional(&mut *$tx)
            .await?;
        let client: Option<(i64,)> = sqlx::query_as(EXISTS_CLIENT)
            .bind(draft.client_id)
            .fetch_optional(&mut *$tx)
            .await?;
        let entity: Option<(i64,)> = sqlx::query_as(EXISTS_ENTITY)
            .bind(draft.entity_id)
            .fetch_optional(&mut *$tx)
            .await?;
        if activity.is_none() || client.is_none() || entity.is_none() {
            return Err(StoreError::NotFound);
        }
        let before = match id {
            Some(id) => {
                let before = sqlx::query_as::<_, InvoiceRecord>(GET)
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if !before.status()?.is_editable() {
                    return Err(StoreError::Conflict("invoice-not-editable"));
                }
                Some(before)
            }
            None => None,
        };
        let id = match id {
            Some(id) => {
                sqlx::query(UPDATE_DRAFT)
                    .bind(draft.client_id)
                    .bind(draft.entity_id)
                    .bind(i64::from(draft.due_days))
                    .bind(draft.language.code())
                    .bind(draft.order_reference.as_deref())
                    .bind(draft.note.as_deref())
                    .bind(totals.tax_exclusive_cents)
                    .bind(totals.tax_cents)
                    .bind(totals.tax_inclusive_cents)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
                sqlx::query(DELETE_LINES)
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(INSERT)
                    .bind(kind_code(draft.kind))
                    .bind(draft.activity_id)
                    .bind(draft.client_id)
                    .bind(draft.entity_id)
                    .bind(draft.quote_id)
                    .bind(draft.corrects_invoice_id)
                    .bind(i64::from(draft.due_days))
                    .bind(draft.language.code())
                    .bind(draft.order_reference.as_deref())
                    .bind(draft.note.as_deref())
                    .bind(totals.tax_exclusive_cents)
                    .bind(totals.tax_cents)
                    .bind(totals.tax_inclusive_cents)
                    .bind(ctx.actor_account_id)
                    .bind(now)
                    .fetch_one(&mut *$tx)
                    .await?;
                id
            }
        };
        for (position, line) in lines.iter().enumerate() {
            sqlx::query(INSERT_LINE)
                .bind(id)
                .bind(i64::try_from(position).unwrap_or(i64::MAX) + 1)
                .bind(&line.description)
                .bind(line.quantity.to_string())
                .bind(&line.unit)
                .bind(line.unit_price.to_string())
                .bind(line.vat_category.code())
                .bind(i64::from(line.vat_rate_bp))
                .bind(line.net_cents)
                .execute(&mut *$tx)
                .await?;
        }
        let after = sqlx::query_as::<_, InvoiceRecord>(GET)
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
        let action = if before.is_some() { "update" } else { "create" };
        audit!(
            $tx,
            ctx,
            action,
            "invoice",
            Some(id),
            before.as_ref(),
            Some(&after)
        );
        after
    }};
}

/// Issues draft `$id` on `$issue_date` inside the database transaction `$tx` and evaluates
/// to the [`Issued`] invoice: the next gap-free number, a structured communication, the
/// checked snapshot and its hash, and the ledger posting; returns early (rolling `$tx` back)
/// on any refusal. The body of [`Store::issue_invoice`], shared with [`Store::issue_invoices`].
macro_rules! issue_in {
    ($tx:ident, $ctx:expr, $id:expr, $issue_date:expr) => {{
        let ctx: &AuditContext = $ctx;
        let id: i64 = $id;
        let issue_date: Date = $issue_date;
        let now = now_micros();
        let year = i32::from(issue_date.year());
        let record = sqlx::query_as::<_, InvoiceRecord>(GET)
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        record
            .status()?
            .transition(InvoiceEvent::Issue)
            .map_err(|_| StoreError::Conflict("invoice-not-draft"))?;
        let kind = record.kind();
        let (activity_status,): (String,) = sqlx::query_as(EXISTS_ACTIVITY)
            .bind(record.activity_id)
            .fetch_one(&mut *$tx)
            .await?;
        if activity_status != "active" {
            return Err(StoreError::Conflict("activity-not-active"));
        }
        let entity: EntityRow = sqlx::query_as(ENTITY)
            .bind(record.entity_id)
            .fetch_one(&mut *$tx)
            .await?;
        let client: ClientRow = sqlx::query_as(CLIENT)
            .bind(record.client_id)
            .fetch_one(&mut *$tx)
            .await?;
        let line_rows = sqlx::query_as::<_, InvoiceLineRecord>(LINES)
            .bind(id)
            .fetch_all(&mut *$tx)
            .await?;
        let lines = line_rows
            .iter()
            .map(to_line)
            .collect::<Result<Vec<Line>>>()?;
        let language = Language::parse(&record.language).unwrap_or_default();
        let totals =
            totals_of_lines(&lines, language).map_err(|e| StoreError::Document(vec![e]))?;

        // A credit note corrects an issued invoice, and never more than remains of it.
        let corrects = match (kind, record.corrects_invoice_id) {
            (DocumentKind::CreditNote, Some(original_id)) => {
                let original = sqlx::query_as::<_, InvoiceRecord>(GET)
                    .bind(original_id)
                    .fetch_optional(&mut *$tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                check_credit_note(
                    totals.tax_inclusive_cents,
                    original.tax_inclusive_cents,
                    original.credited_cents,
                )
                .map_err(|e| StoreError::Document(vec![e]))?;
                let event = if original.credited_cents + totals.tax_inclusive_cents
                    >= original.tax_inclusive_cents
                {
                    InvoiceEvent::FullCredit
                } else {
                    InvoiceEvent::PartialCredit
                };
                let status = original
                    .status()?
                    .transition(event)
                    .map_err(|_| StoreError::Conflict("invoice-not-creditable"))?;
                sqlx::query(SET_CREDITED)
                    .bind(original.credited_cents + totals.tax_inclusive_cents)
                    .bind(status.code())
                    .bind(now)
                    .bind(original_id)
                    .execute(&mut *$tx)
                    .await?;
                let number = original.number.clone().unwrap_or_default();
                let date = date(original.issue_date.as_deref().unwrap_or_default())?;
                Some((number, date))
            }
            (DocumentKind::CreditNote, None) => {
                return Err(StoreError::Conflict("credit-note-without-invoice"));
            }
            (DocumentKind::Invoice, _) => None,
        };

        // The number: the series' counter, locked for the rest of this transaction.
        let series = series_for(kind);
        let (last_sequence, last_date): (i64, Option<String>) = sqlx::query_as(COUNTER_LOCK)
            .bind(record.entity_id)
            .bind(series)
            .bind(i64::from(year))
            .fetch_one(&mut *$tx)
            .await?;
        if let Some(last) = last_date.as_deref() {
            ruche_domain::invoicing::check_date_order(Some(date(last)?), issue_date)
                .map_err(|_| StoreError::Conflict("issue-date-before-last"))?;
        }
        let last = (last_sequence > 0).then(|| DocumentNumber {
            series: series.to_string(),
            year,
            sequence: u32::try_from(last_sequence).unwrap_or(u32::MAX),
        });
        let number = next_number(series, year, last.as_ref())
            .map_err(|_| StoreError::Conflict("numbering"))?;
        sqlx::query(COUNTER_SET)
            .bind(i64::from(number.sequence))
            .bind(issue_date.to_string())
            .bind(record.entity_id)
            .bind(series)
            .bind(i64::from(year))
            .execute(&mut *$tx)
            .await?;

        // One structured communication per invoice, unique across the whole cooperative:
        // year + a cooperative-wide sequence (invoicing.md §8.2). Credit notes carry none.
        let ogm = match kind {
            DocumentKind::Invoice => {
                let (seq, _): (i64, Option<String>) = sqlx::query_as(COUNTER_LOCK)
                    .bind(0_i64)
                    .bind("OGM")
                    .bind(i64::from(year))
                    .fetch_one(&mut *$tx)
                    .await?;
                sqlx::query(COUNTER_SET)
                    .bind(seq + 1)
                    .bind(issue_date.to_string())
                    .bind(0_i64)
                    .bind("OGM")
                    .bind(i64::from(year))
                    .execute(&mut *$tx)
                    .await?;
                let ogm = Ogm::for_invoice(year, u32::try_from(seq + 1).unwrap_or(u32::MAX))
                    .map_err(|_| StoreError::Conflict("ogm-exhausted"))?;
                Some(ogm.as_str().to_string())
            }
            DocumentKind::CreditNote => None,
        };

        let due_days = i32::try_from(record.due_days).unwrap_or(30);
        let due_date = issue_date
            .checked_add(jiff::Span::new().days(due_days))
            .map_err(|_| StoreError::Conflict("due-date"))?;
        let document = Document {
            kind,
            number: number.to_string(),
            issue_date,
            due_date,
            language,
            seller: seller_of(entity),
            buyer: buyer_of(client),
            lines,
            totals,
            structured_communication: ogm.clone().unwrap_or_default(),
            order_reference: record.order_reference.clone(),
            corrects,
            note: record.note.clone(),
        };
        check_document(&document).map_err(StoreError::Document)?;
        // Belgian B2B e-invoices follow Peppol BIS 3.0 (mandatory since 1 January 2026).
        if document.buyer.enterprise_number.is_some() {
            let violations = check_peppol(&document);
            if !violations.is_empty() {
                return Err(StoreError::Peppol(violations));
            }
        }
        let snapshot =
            serde_json::to_string(&document).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let hash = content_hash(&snapshot);
        let posting = issue_posting(&record, &document, issue_date)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let transaction_id = post_in!($tx, ctx, &posting);
        let done = sqlx::query(ISSUE)
            .bind(number.to_string())
            .bind(issue_date.to_string())
            .bind(due_date.to_string())
            .bind(ogm.as_deref())
            .bind(&snapshot)
            .bind(&hash)
            .bind(transaction_id)
            .bind(now)
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("invoice-not-draft"));
        }
        let after = sqlx::query_as::<_, InvoiceRecord>(GET)
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
        audit!(
            $tx,
            ctx,
            "issue",
            "invoice",
            Some(id),
            Some(&record),
            Some(&after)
        );
        Issued {
            record: after,
            document,
        }
    }};
}

impl Store {
    pub async fn invoice(&self, id: i64) -> Result<InvoiceRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, InvoiceRecord>(GET).bind(id).fetch_optional(pool).await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn invoice_by_number(&self, entity_id: i64, number: &str) -> Result<InvoiceRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, InvoiceRecord>(BY_NUMBER)
                .bind(entity_id)
                .bind(number)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn invoice_lines(&self, id: i64) -> Result<Vec<InvoiceLineRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, InvoiceLineRecord>(LINES).bind(id).fetch_all(pool).await?)
        })
    }

    pub async fn invoice_payments(&self, id: i64) -> Result<Vec<PaymentRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, PaymentRecord>(PAYMENTS).bind(id).fetch_all(pool).await?)
        })
    }

    /// The invoice made from a quote, if one was (a quote is invoiced once).
    pub async fn invoice_of_quote(&self, quote_id: i64) -> Result<Option<InvoiceRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, InvoiceRecord>(OF_QUOTE).bind(quote_id).fetch_optional(pool).await?)
        })
    }

    /// The credit notes that correct an invoice.
    pub async fn credit_notes_of(&self, invoice_id: i64) -> Result<Vec<InvoiceRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, InvoiceRecord>(CREDIT_NOTES_OF).bind(invoice_id).fetch_all(pool).await?)
        })
    }

    pub async fn invoices(
        &self,
        filter: &InvoiceFilter,
        page: PageRequest,
    ) -> Result<Page<InvoiceRecord>> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        let status = filter.status.map(InvoiceStatus::code);
        let kind = filter.kind.map(kind_code);
        let mut conditions = Conditions::default();
        conditions
            .and_if("i.activity_id = ?1", filter.activity_id)
            .and_if("i.client_id = ?1", filter.client_id)
            .and_if("i.status = ?1", status)
            .and_if("i.kind = ?1", kind);
        if let Some(search) = search {
            conditions.and(
                "(LOWER(COALESCE(i.number, '')) LIKE ?1 OR EXISTS (SELECT 1 FROM clients c \
                 WHERE c.id = i.client_id AND LOWER(c.name) LIKE ?1))",
                vec![search.into()],
            );
        }
        if let Some(y) = filter.issue_year {
            conditions.and(
                "i.issue_date >= ?1 AND i.issue_date <= ?2",
                vec![
                    format!("{y:04}-01-01").into(),
                    format!("{y:04}-12-31").into(),
                ],
            );
        }
        let order = match filter.issue_year {
            Some(_) => LIST_ORDER_ISSUED,
            None => LIST_ORDER,
        };
        page_where!(
            self,
            InvoiceRecord,
            "SELECT COUNT(*) FROM invoices i",
            LIST_SELECT,
            order,
            conditions,
            page
        )
    }

    /// Creates or (with `id`) replaces a draft and its lines. Only a draft can change
    /// (an issued document is corrected by a credit note).
    pub async fn save_invoice_draft(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        draft: &DraftInvoice,
    ) -> Result<InvoiceRecord> {
        write_tx!(self, tx => {
            let after = draft_in!(tx, ctx, id, draft);
            Ok(after)
        })
    }

    /// Issues a draft on `issue_date`: the next gap-free number, a structured communication,
    /// the checked snapshot and its hash, and the ledger posting, in one transaction.
    pub async fn issue_invoice(
        &self,
        ctx: &AuditContext,
        id: i64,
        issue_date: Date,
    ) -> Result<Issued> {
        write_tx!(self, tx => {
            let issued = issue_in!(tx, ctx, id, issue_date);
            Ok(issued)
        })
    }

    /// Saves each draft and issues it on `issue_date`, all in one database transaction, as
    /// [`Store::save_invoice_draft`] then [`Store::issue_invoice`] would one by one: the same
    /// checks, the numbers in the order given, the same ledger postings and audit rows. For
    /// writing many invoices of one day at once (the reference-year generator); on
    /// PostgreSQL the series' counter stays locked until the end, so concurrent issuing
    /// waits for the whole batch. All or nothing: the first refusal rolls every one back.
    pub async fn issue_invoices(
        &self,
        ctx: &AuditContext,
        drafts: &[DraftInvoice],
        issue_date: Date,
    ) -> Result<Vec<Issued>> {
        write_tx!(self, tx => {
            let mut issued = Vec::with_capacity(drafts.len());
            for draft in drafts {
                let saved = draft_in!(tx, ctx, None, draft);
                issued.push(issue_in!(tx, ctx, saved.id, issue_date));
            }
            Ok(issued)
        })
    }

    /// The frozen document of an issued invoice, checked against its content hash.
    pub async fn issued_document(&self, id: i64) -> Result<Document> {
        let record = self.invoice(id).await?;
        let snapshot: Option<(Option<String>,)> = with_db!(self, pool => {
            sqlx::query_as(SNAPSHOT).bind(id).fetch_optional(pool).await?
        });
        let json = snapshot.and_then(|(s,)| s).ok_or(StoreError::NotFound)?;
        if record.content_hash.as_deref() != Some(content_hash(&json).as_str()) {
            return Err(StoreError::Corrupt(format!(
                "invoice {id}: content hash mismatch"
            )));
        }
        serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// The stored PDF and UBL of an issued document (written once).
    pub async fn invoice_rendering(&self, id: i64) -> Result<(Option<Vec<u8>>, Option<String>)> {
        with_db!(self, pool => {
            let row: Option<(Option<Vec<u8>>, Option<String>)> =
                sqlx::query_as(RENDERING).bind(id).fetch_optional(pool).await?;
            row.ok_or(StoreError::NotFound)
        })
    }

    /// Keeps the rendered PDF and UBL of an issued document; a second call changes nothing.
    pub async fn store_invoice_rendering(
        &self,
        id: i64,
        pdf: &[u8],
        ubl: Option<&str>,
    ) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(STORE_RENDERING).bind(pdf).bind(ubl).bind(id).execute(pool).await?;
            Ok(())
        })
    }

    /// Records a client's payment of an invoice: the bank receives it, the receivable
    /// shrinks, the activity's net share moves from "invoiced" to its budget, and the
    /// cooperative's contribution is charged on that share (DESIGN.md §3).
    pub async fn record_payment(
        &self,
        ctx: &AuditContext,
        invoice_id: i64,
        amount_cents: i64,
        received_on: Date,
        reference: Option<&str>,
    ) -> Result<InvoiceRecord> {
        if amount_cents <= 0 {
            return Err(StoreError::Conflict("payment-not-positive"));
        }
        write_tx!(self, tx => {
            let after = pay_in!(tx, ctx, invoice_id, amount_cents, received_on, reference);
            Ok(after)
        })
    }

    /// Records several payments received on the same day, `(invoice id, amount in cents)`,
    /// in one database transaction, each exactly as [`Store::record_payment`] records one
    /// (the same postings, contribution, guarantee and loan repayments, audit). All or
    /// nothing: the first refusal rolls every one back.
    pub async fn record_payments(
        &self,
        ctx: &AuditContext,
        payments: &[(i64, i64)],
        received_on: Date,
    ) -> Result<Vec<InvoiceRecord>> {
        write_tx!(self, tx => {
            let mut after = Vec::with_capacity(payments.len());
            for &(invoice_id, amount_cents) in payments {
                after.push(pay_in!(tx, ctx, invoice_id, amount_cents, received_on, None));
            }
            Ok(after)
        })
    }
}
