//! Quotes (devis / offertes) and their lines, from the member's draft to the client's online
//! acceptance, which makes the quote the **order confirmation** (bon de commande / bestelbon)
//! that invoices and, later, the salary guarantee rest on.
//!
//! The life of a quote is `ruche_domain::invoicing::QuoteStatus`: only a draft is edited;
//! sending gives the number (`D2026-00001`, one series per year, inside the sending
//! transaction) and queues the e-mail with the public link in the same transaction; the
//! client accepts or declines once, through the link. Every change is audited.
//!
//! Refusals are `StoreError::Conflict` with one of the codes of [`refusal`], or
//! `StoreError::Document` with the line errors of the domain checks; nothing is written then.

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::activity::ActivityStatus;
use ruche_domain::group::Address;
use ruche_domain::invoicing::numbering::{DocumentNumber, QUOTE_SERIES};
use ruche_domain::invoicing::{
    DocumentError, Line, LineInput, Party, QuoteEvent, QuoteStatus, Totals, VatCategory,
    check_buyer, check_lines, compute_totals, totals_of_lines,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::clients::ClientRecord;
use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// Why a quote operation was refused (`StoreError::Conflict(code)`). Stable codes: the web
/// layer translates them (`quote-err-<code>`), never rename one.
pub mod refusal {
    /// The quote is no longer a draft: what the client saw is what the client accepts.
    pub const NOT_EDITABLE: &str = "not-editable";
    /// The client does not exist in the directory.
    pub const CLIENT_UNKNOWN: &str = "client-unknown";
    /// The activity is not active (proposed, suspended or closed): it may not sell.
    pub const ACTIVITY_NOT_OPERATING: &str = "activity-not-operating";
    /// Sending needs the client's e-mail address.
    pub const CLIENT_WITHOUT_EMAIL: &str = "client-without-email";
    /// The validity date is already past.
    pub const VALIDITY_PASSED: &str = "validity-passed";
    /// The quote was already accepted (or invoiced): the order is confirmed once.
    pub const ALREADY_ACCEPTED: &str = "already-accepted";
    /// The client declined the quote.
    pub const ALREADY_DECLINED: &str = "already-declined";
    /// The validity date passed without an answer.
    pub const EXPIRED: &str = "expired";
    /// A draft has not been sent: the client cannot answer it.
    pub const NOT_SENT: &str = "not-sent";
    /// Only an accepted quote is invoiced.
    pub const NOT_ACCEPTED: &str = "not-accepted";
    /// The acceptance needs the name of the person who accepts.
    pub const NAME_MISSING: &str = "acceptance-name-missing";
    /// The year's series is full or the counter is unreadable.
    pub const NUMBERING: &str = "numbering";
}

/// A quote as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct QuoteRecord {
    pub id: i64,
    pub activity_id: i64,
    pub client_id: i64,
    /// `D2026-00001`, given when the quote is first sent.
    pub number: Option<String>,
    pub status: String,
    /// The draft's date, then the date it was sent (`YYYY-MM-DD`).
    pub issue_date: String,
    pub valid_until: String,
    pub language: String,
    pub title: String,
    pub note: Option<String>,
    pub tax_exclusive_cents: i64,
    pub tax_cents: i64,
    pub tax_inclusive_cents: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
    /// The address the quote was e-mailed to.
    pub sent_to: Option<String>,
    /// Only the hash of the link's secret is kept; it is not shown anywhere.
    #[serde(skip_serializing)]
    pub public_token_hash: Option<String>,
    pub accepted_at: Option<i64>,
    pub accepted_name: Option<String>,
    pub accepted_ip: Option<String>,
    pub declined_at: Option<i64>,
    pub decline_reason: Option<String>,
    pub invoiced_at: Option<i64>,
}

fn date_of(field: &str, value: &str) -> Result<Date> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("quote {field} {value}")))
}

impl QuoteRecord {
    pub fn status(&self) -> Result<QuoteStatus> {
        QuoteStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("quote status {}", self.status)))
    }

    pub fn issue_date(&self) -> Result<Date> {
        date_of("issue_date", &self.issue_date)
    }

    pub fn valid_until(&self) -> Result<Date> {
        date_of("valid_until", &self.valid_until)
    }

    pub fn language(&self) -> Result<Language> {
        Language::parse(&self.language)
            .ok_or_else(|| StoreError::Corrupt(format!("quote language {}", self.language)))
    }

    /// Sent, unanswered, and its validity date is past on `today`: the client can no longer
    /// accept it (it is shown as expired; the status stays `sent`).
    pub fn is_expired_on(&self, today: Date) -> bool {
        self.status == QuoteStatus::Sent.code()
            && self.valid_until().is_ok_and(|until| until < today)
    }
}

/// One line of a quote. Quantity and unit price are exact decimals kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct QuoteLineRecord {
    pub id: i64,
    pub quote_id: i64,
    /// 1-based, as printed.
    pub position: i64,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat_category: String,
    pub vat_rate_bp: i64,
    pub net_cents: i64,
}

impl QuoteLineRecord {
    /// The line as typed (for an invoice drawn from the quote).
    pub fn to_input(&self) -> Result<LineInput> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("quote line {} {what}", self.id));
        Ok(LineInput {
            description: self.description.clone(),
            quantity: self
                .quantity
                .parse::<Decimal>()
                .map_err(|_| corrupt("quantity"))?,
            unit: self.unit.clone(),
            unit_price: self
                .unit_price
                .parse::<Decimal>()
                .map_err(|_| corrupt("unit_price"))?,
            vat_category: VatCategory::parse(&self.vat_category)
                .ok_or_else(|| corrupt("vat_category"))?,
            vat_rate_bp: u32::try_from(self.vat_rate_bp).map_err(|_| corrupt("vat_rate_bp"))?,
        })
    }

    /// The line with its stored net amount, as the domain computes totals from it.
    pub fn to_line(&self) -> Result<Line> {
        let input = self.to_input()?;
        Ok(Line {
            description: input.description,
            quantity: input.quantity,
            unit: input.unit,
            unit_price: input.unit_price,
            vat_category: input.vat_category,
            vat_rate_bp: input.vat_rate_bp,
            net_cents: self.net_cents,
        })
    }
}

/// A row of the quotes list, with the names the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct QuoteSummary {
    pub id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub client_id: i64,
    pub client_name: String,
    pub number: Option<String>,
    pub status: String,
    pub title: String,
    pub issue_date: String,
    pub valid_until: String,
    pub tax_exclusive_cents: i64,
    pub tax_inclusive_cents: i64,
    pub updated_at: i64,
}

/// Filters of the quotes list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    pub activity_id: Option<i64>,
    pub client_id: Option<i64>,
    pub status: Option<QuoteStatus>,
    /// In the title, the number and the client's name.
    pub search: Option<String>,
    /// Only quotes of activities this person holds (a member's view).
    pub holder: Option<i64>,
    /// Only quotes of activities of these offices (an advisor's view).
    pub offices: Option<Vec<i64>>,
}

/// A draft as the member typed it, already parsed; the store checks the lines against the
/// VAT rules and the client before writing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteDraft {
    pub client_id: i64,
    pub title: String,
    pub valid_until: Date,
    /// `None`: the client's language.
    pub language: Option<Language>,
    pub note: Option<String>,
    pub lines: Vec<LineInput>,
}

/// The e-mail that carries the quote's link, composed once the number is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteMail {
    pub subject: String,
    pub body: String,
}

/// What the audit log keeps of a quote: the quote and its lines.
#[derive(Serialize)]
struct Snapshot<'a> {
    quote: &'a QuoteRecord,
    lines: &'a [QuoteLineRecord],
}

const GET: &str = "SELECT id, activity_id, client_id, number, status, issue_date, \
    valid_until, language, title, note, tax_exclusive_cents, tax_cents, tax_inclusive_cents, \
    created_by, created_at, updated_at, sent_at, sent_to, public_token_hash, accepted_at, \
    accepted_name, accepted_ip, declined_at, decline_reason, invoiced_at FROM quotes \
    WHERE id = $1";
const BY_TOKEN: &str = "SELECT id, activity_id, client_id, number, status, issue_date, \
    valid_until, language, title, note, tax_exclusive_cents, tax_cents, tax_inclusive_cents, \
    created_by, created_at, updated_at, sent_at, sent_to, public_token_hash, accepted_at, \
    accepted_name, accepted_ip, declined_at, decline_reason, invoiced_at FROM quotes \
    WHERE public_token_hash = $1";
const LINES: &str = "SELECT id, quote_id, position, description, quantity, unit, unit_price, \
    vat_category, vat_rate_bp, net_cents FROM quote_lines WHERE quote_id = $1 \
    ORDER BY position LIMIT 1000";
const INSERT: &str = "INSERT INTO quotes (activity_id, client_id, number, status, issue_date, \
    valid_until, language, title, note, tax_exclusive_cents, tax_cents, tax_inclusive_cents, \
    created_by, created_at, updated_at) \
    VALUES ($1, $2, NULL, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id";
const UPDATE: &str = "UPDATE quotes SET client_id = $1, issue_date = $2, valid_until = $3, \
    language = $4, title = $5, note = $6, tax_exclusive_cents = $7, tax_cents = $8, \
    tax_inclusive_cents = $9, updated_at = $10 WHERE id = $11 AND status = 'draft'";
const DELETE_LINES: &str = "DELETE FROM quote_lines WHERE quote_id = $1";
const INSERT_LINE: &str = "INSERT INTO quote_lines (quote_id, position, description, quantity, \
    unit, unit_price, vat_category, vat_rate_bp, net_cents) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const ACTIVITY_STATUS: &str = "SELECT status FROM activities WHERE id = $1";
/// The next number of the year's series: the counter row is created at 1 or incremented,
/// and (PostgreSQL) stays locked until the sending transaction ends, so two senders never
/// get the same number and a rolled-back send leaves no gap.
const NEXT_SEQUENCE: &str = "INSERT INTO quote_counters (year, last_sequence) VALUES ($1, 1) \
    ON CONFLICT (year) DO UPDATE SET last_sequence = quote_counters.last_sequence + 1 \
    RETURNING last_sequence";
const SEND: &str = "UPDATE quotes SET number = $1, status = 'sent', issue_date = $2, \
    sent_at = $3, sent_to = $4, public_token_hash = $5, updated_at = $3 \
    WHERE id = $6 AND status = 'draft'";
const ACCEPT: &str = "UPDATE quotes SET status = 'accepted', accepted_at = $1, \
    accepted_name = $2, accepted_ip = $3, updated_at = $1 WHERE id = $4 AND status = 'sent'";
const DECLINE: &str = "UPDATE quotes SET status = 'declined', declined_at = $1, \
    decline_reason = $2, updated_at = $1 WHERE id = $3 AND status = 'sent'";
const INVOICED: &str = "UPDATE quotes SET status = 'invoiced', invoiced_at = $1, \
    updated_at = $1 WHERE id = $2 AND status = 'accepted'";

macro_rules! quote_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR q.activity_id = $1) \
          AND (CAST($2 AS BIGINT) IS NULL OR q.client_id = $2) \
          AND (CAST($3 AS TEXT) IS NULL OR q.status = $3) \
          AND (CAST($4 AS TEXT) IS NULL OR LOWER(q.title) LIKE $4 \
               OR LOWER(COALESCE(q.number, '')) LIKE $4 OR LOWER(c.name) LIKE $4) \
          AND (CAST($5 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM activity_holders h \
               WHERE h.activity_id = q.activity_id AND h.person_id = $5)) \
          AND (CAST($6 AS TEXT) IS NULL OR $6 LIKE '%,' || CAST(a.office_id AS TEXT) || ',%')"
    };
}
const LIST: &str = concat!(
    "SELECT q.id, q.activity_id, a.name AS activity_name, q.client_id, c.name AS client_name, \
     q.number, q.status, q.title, q.issue_date, q.valid_until, q.tax_exclusive_cents, \
     q.tax_inclusive_cents, q.updated_at \
     FROM quotes q JOIN activities a ON a.id = q.activity_id JOIN clients c ON c.id = q.client_id",
    quote_where!(),
    " ORDER BY q.id DESC LIMIT $7 OFFSET $8"
);
const COUNT: &str = concat!(
    "SELECT COUNT(*) FROM quotes q JOIN activities a ON a.id = q.activity_id \
     JOIN clients c ON c.id = q.client_id",
    quote_where!()
);

/// The client as the domain's buyer checks read it.
fn buyer(client: &ClientRecord) -> Party {
    Party {
        name: client.name.clone(),
        address: Address {
            street: client.street.clone(),
            postcode: client.postcode.clone(),
            city: client.city.clone(),
            country: client.country.clone(),
        },
        enterprise_number: client.enterprise_number.clone(),
        vat_number: client.vat_number.clone(),
        email: client.email.clone(),
    }
}

/// The lines, checked and with their totals: quantities above zero, known VAT rates on
/// `date`, the buyer's VAT number for a reverse charge… (`invoicing::rules`).
fn checked_lines(
    lines: &[LineInput],
    client: &ClientRecord,
    language: Language,
    date: Date,
) -> Result<(Vec<Line>, Totals)> {
    let (computed, totals) =
        compute_totals(lines, language).map_err(|e| StoreError::Document(vec![e]))?;
    let mut errors: Vec<DocumentError> = check_lines(&computed, date);
    errors.extend(check_buyer(&buyer(client), &computed));
    if !errors.is_empty() {
        return Err(StoreError::Document(errors));
    }
    Ok((computed, totals))
}

/// After reading back: the stored totals are those of the stored lines (DESIGN.md §3).
fn assert_totals(quote: &QuoteRecord, lines: &[QuoteLineRecord]) -> Result<()> {
    let lines = lines
        .iter()
        .map(QuoteLineRecord::to_line)
        .collect::<Result<Vec<Line>>>()?;
    let totals = totals_of_lines(&lines, quote.language()?)
        .map_err(|e| StoreError::Corrupt(format!("quote {}: {e}", quote.id)))?;
    if (
        totals.tax_exclusive_cents,
        totals.tax_cents,
        totals.tax_inclusive_cents,
    ) != (
        quote.tax_exclusive_cents,
        quote.tax_cents,
        quote.tax_inclusive_cents,
    ) {
        return Err(StoreError::Corrupt(format!(
            "quote {}: the totals differ from the lines",
            quote.id
        )));
    }
    Ok(())
}

/// The refusal of `event` on a quote in status `from`.
fn refusal_of(from: QuoteStatus, event: QuoteEvent) -> &'static str {
    match (from, event) {
        (_, QuoteEvent::Invoice) => refusal::NOT_ACCEPTED,
        (QuoteStatus::Accepted | QuoteStatus::Invoiced, _) => refusal::ALREADY_ACCEPTED,
        (QuoteStatus::Declined, _) => refusal::ALREADY_DECLINED,
        (QuoteStatus::Expired, _) => refusal::EXPIRED,
        (QuoteStatus::Draft, _) => refusal::NOT_SENT,
        (QuoteStatus::Sent, _) => refusal::NOT_EDITABLE,
    }
}

fn transition(quote: &QuoteRecord, event: QuoteEvent) -> Result<QuoteStatus> {
    let from = quote.status()?;
    from.transition(event)
        .map_err(|_| StoreError::Conflict(refusal_of(from, event)))
}

fn optional_text(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Where a draft goes: a new quote of an activity, or an existing draft.
#[derive(Clone, Copy)]
enum DraftTarget {
    New { activity_id: i64 },
    Existing { id: i64 },
}

impl Store {
    pub async fn quote(&self, id: i64) -> Result<QuoteRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, QuoteRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The lines of a quote, in their printed order.
    pub async fn quote_lines(&self, quote_id: i64) -> Result<Vec<QuoteLineRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, QuoteLineRecord>(LINES).bind(quote_id).fetch_all(pool).await?)
        })
    }

    /// The quote behind a public link, by the SHA-256 of the link's secret.
    pub async fn quote_by_token(&self, token_hash: &str) -> Result<QuoteRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, QuoteRecord>(BY_TOKEN)
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The quotes, newest first.
    pub async fn quotes(
        &self,
        filter: &QuoteFilter,
        page: PageRequest,
    ) -> Result<Page<QuoteSummary>> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        let status = filter.status.map(QuoteStatus::code);
        let offices = filter.offices.as_ref().map(|ids| {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(",{},", list.join(","))
        });
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.activity_id)
                .bind(filter.client_id)
                .bind(status)
                .bind(search.as_deref())
                .bind(filter.holder)
                .bind(offices.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, QuoteSummary>(LIST)
                .bind(filter.activity_id)
                .bind(filter.client_id)
                .bind(status)
                .bind(search.as_deref())
                .bind(filter.holder)
                .bind(offices.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// A new draft quote of an activity, dated `today`, with its lines and totals.
    pub async fn create_quote(
        &self,
        ctx: &AuditContext,
        activity_id: i64,
        draft: &QuoteDraft,
        today: Date,
    ) -> Result<QuoteRecord> {
        self.save_draft(ctx, DraftTarget::New { activity_id }, draft, today)
            .await
    }

    /// Replaces a draft's fields and lines; refused once the quote is sent.
    pub async fn update_quote(
        &self,
        ctx: &AuditContext,
        id: i64,
        draft: &QuoteDraft,
        today: Date,
    ) -> Result<QuoteRecord> {
        self.save_draft(ctx, DraftTarget::Existing { id }, draft, today)
            .await
    }

    async fn save_draft(
        &self,
        ctx: &AuditContext,
        target: DraftTarget,
        draft: &QuoteDraft,
        today: Date,
    ) -> Result<QuoteRecord> {
        let title = draft.title.trim().to_string();
        let note = optional_text(draft.note.as_deref());
        let now = now_micros();
        write_tx!(self, tx => {
            let before = match target {
                DraftTarget::New { .. } => None,
                DraftTarget::Existing { id } => {
                    let quote = sqlx::query_as::<_, QuoteRecord>(GET)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    // Only a draft is edited (the domain's state machine).
                    if !quote.status()?.is_editable() {
                        return Err(StoreError::Conflict(refusal::NOT_EDITABLE));
                    }
                    let lines = sqlx::query_as::<_, QuoteLineRecord>(LINES)
                        .bind(id)
                        .fetch_all(&mut *tx)
                        .await?;
                    Some((quote, lines))
                }
            };
            let activity_id = match (target, &before) {
                (DraftTarget::New { activity_id }, _) => activity_id,
                (_, Some((quote, _))) => quote.activity_id,
                (DraftTarget::Existing { .. }, None) => return Err(StoreError::NotFound),
            };
            let activity: Option<(String,)> = sqlx::query_as(ACTIVITY_STATUS)
                .bind(activity_id)
                .fetch_optional(&mut *tx)
                .await?;
            let (activity_status,) = activity.ok_or(StoreError::NotFound)?;
            if !ActivityStatus::parse(&activity_status).is_some_and(ActivityStatus::is_operating) {
                return Err(StoreError::Conflict(refusal::ACTIVITY_NOT_OPERATING));
            }
            let client = sqlx::query_as::<_, ClientRecord>(crate::clients::GET)
                .bind(draft.client_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Conflict(refusal::CLIENT_UNKNOWN))?;
            if draft.valid_until < today {
                return Err(StoreError::Conflict(refusal::VALIDITY_PASSED));
            }
            let language = match draft.language {
                Some(language) => language,
                None => Language::parse(&client.language).unwrap_or_default(),
            };
            let (lines, totals) = checked_lines(&draft.lines, &client, language, today)?;
            let id = match target {
                DraftTarget::New { .. } => {
                    let (id,): (i64,) = sqlx::query_as(INSERT)
                        .bind(activity_id)
                        .bind(draft.client_id)
                        .bind(today.to_string())
                        .bind(draft.valid_until.to_string())
                        .bind(language.code())
                        .bind(&title)
                        .bind(note.as_deref())
                        .bind(totals.tax_exclusive_cents)
                        .bind(totals.tax_cents)
                        .bind(totals.tax_inclusive_cents)
                        .bind(ctx.actor_account_id)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
                DraftTarget::Existing { id } => {
                    let done = sqlx::query(UPDATE)
                        .bind(draft.client_id)
                        .bind(today.to_string())
                        .bind(draft.valid_until.to_string())
                        .bind(language.code())
                        .bind(&title)
                        .bind(note.as_deref())
                        .bind(totals.tax_exclusive_cents)
                        .bind(totals.tax_cents)
                        .bind(totals.tax_inclusive_cents)
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() != 1 {
                        return Err(StoreError::Conflict(refusal::NOT_EDITABLE));
                    }
                    sqlx::query(DELETE_LINES).bind(id).execute(&mut *tx).await?;
                    id
                }
            };
            for (position, line) in (1i64..).zip(&lines) {
                sqlx::query(INSERT_LINE)
                    .bind(id)
                    .bind(position)
                    .bind(&line.description)
                    .bind(line.quantity.to_string())
                    .bind(&line.unit)
                    .bind(line.unit_price.to_string())
                    .bind(line.vat_category.code())
                    .bind(i64::from(line.vat_rate_bp))
                    .bind(line.net_cents)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = sqlx::query_as::<_, QuoteRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            let after_lines = sqlx::query_as::<_, QuoteLineRecord>(LINES)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            assert_totals(&after, &after_lines)?;
            let before_snapshot = before.as_ref().map(|(quote, lines)| Snapshot { quote, lines });
            let after_snapshot = Snapshot { quote: &after, lines: &after_lines };
            let action = if before.is_some() { "update" } else { "create" };
            audit!(tx, ctx, action, "quote", Some(id), before_snapshot.as_ref(), Some(&after_snapshot));
            Ok(after)
        })
    }

    /// Sends a draft to its client: checks it again against the rules of `today`, gives it
    /// the next number of the year, dates it `today`, keeps the hash of the public link's
    /// secret, and queues the e-mail `compose` writes (with the number known) to the
    /// client's address — all in one transaction, so a refused send writes nothing and uses
    /// no number.
    pub async fn send_quote<F>(
        &self,
        ctx: &AuditContext,
        id: i64,
        token_hash: &str,
        today: Date,
        compose: F,
    ) -> Result<QuoteRecord>
    where
        F: FnOnce(&QuoteRecord, &ClientRecord) -> QuoteMail + Send,
    {
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, QuoteRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            transition(&before, QuoteEvent::Send)?;
            let activity: Option<(String,)> = sqlx::query_as(ACTIVITY_STATUS)
                .bind(before.activity_id)
                .fetch_optional(&mut *tx)
                .await?;
            let (activity_status,) = activity.ok_or(StoreError::NotFound)?;
            if !ActivityStatus::parse(&activity_status).is_some_and(ActivityStatus::is_operating) {
                return Err(StoreError::Conflict(refusal::ACTIVITY_NOT_OPERATING));
            }
            let client = sqlx::query_as::<_, ClientRecord>(crate::clients::GET)
                .bind(before.client_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Conflict(refusal::CLIENT_UNKNOWN))?;
            let Some(email) = client.email.clone() else {
                return Err(StoreError::Conflict(refusal::CLIENT_WITHOUT_EMAIL));
            };
            if before.valid_until()? < today {
                return Err(StoreError::Conflict(refusal::VALIDITY_PASSED));
            }
            // The rates and the client may have changed since the draft was saved.
            let lines = sqlx::query_as::<_, QuoteLineRecord>(LINES)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            let inputs = lines
                .iter()
                .map(QuoteLineRecord::to_input)
                .collect::<Result<Vec<LineInput>>>()?;
            checked_lines(&inputs, &client, before.language()?, today)?;
            let (sequence,): (i64,) = sqlx::query_as(NEXT_SEQUENCE)
                .bind(i64::from(today.year()))
                .fetch_one(&mut *tx)
                .await?;
            let number = DocumentNumber {
                series: QUOTE_SERIES.to_string(),
                year: i32::from(today.year()),
                sequence: u32::try_from(sequence)
                    .map_err(|_| StoreError::Conflict(refusal::NUMBERING))?,
            }
            .to_string();
            let done = sqlx::query(SEND)
                .bind(&number)
                .bind(today.to_string())
                .bind(now)
                .bind(&email)
                .bind(token_hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(refusal::NOT_EDITABLE));
            }
            let after = sqlx::query_as::<_, QuoteRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            let mail = compose(&after, &client);
            queue_mail_in!(tx, &email, &mail.subject, &mail.body);
            audit!(tx, ctx, "quote-send", "quote", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// The client accepts the quote through its public link: the order confirmation, with
    /// the name they typed, the time and their address. Refused when the quote was already
    /// accepted, declined or invoiced, or its validity date is before `today`.
    pub async fn accept_quote(
        &self,
        token_hash: &str,
        name: &str,
        ip: Option<&str>,
        today: Date,
    ) -> Result<QuoteRecord> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Conflict(refusal::NAME_MISSING));
        }
        let ctx = AuditContext {
            actor_account_id: None,
            ip: ip.map(str::to_string),
        };
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, QuoteRecord>(BY_TOKEN)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            transition(&before, QuoteEvent::Accept)?;
            if before.valid_until()? < today {
                return Err(StoreError::Conflict(refusal::EXPIRED));
            }
            let done = sqlx::query(ACCEPT)
                .bind(now)
                .bind(name)
                .bind(ip)
                .bind(before.id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                // Another answer came first.
                let current = sqlx::query_as::<_, QuoteRecord>(GET).bind(before.id).fetch_one(&mut *tx).await?;
                transition(&current, QuoteEvent::Accept)?;
                return Err(StoreError::Conflict(refusal::ALREADY_ACCEPTED));
            }
            let after = sqlx::query_as::<_, QuoteRecord>(GET).bind(before.id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "accept", "quote", Some(before.id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// The client declines the quote through its public link, with an optional reason.
    /// Refused like an acceptance once the quote is answered or expired.
    pub async fn decline_quote(
        &self,
        token_hash: &str,
        reason: Option<&str>,
        ip: Option<&str>,
        today: Date,
    ) -> Result<QuoteRecord> {
        let reason = optional_text(reason);
        let ctx = AuditContext {
            actor_account_id: None,
            ip: ip.map(str::to_string),
        };
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, QuoteRecord>(BY_TOKEN)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            transition(&before, QuoteEvent::Decline)?;
            if before.valid_until()? < today {
                return Err(StoreError::Conflict(refusal::EXPIRED));
            }
            let done = sqlx::query(DECLINE)
                .bind(now)
                .bind(reason.as_deref())
                .bind(before.id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                let current = sqlx::query_as::<_, QuoteRecord>(GET).bind(before.id).fetch_one(&mut *tx).await?;
                transition(&current, QuoteEvent::Decline)?;
                return Err(StoreError::Conflict(refusal::ALREADY_DECLINED));
            }
            let after = sqlx::query_as::<_, QuoteRecord>(GET).bind(before.id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "quote-decline", "quote", Some(before.id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Records that the invoice of an accepted quote was issued (Accepted → Invoiced).
    /// Refused (`Conflict("not-accepted")`) for a quote in any other status, also when
    /// another invoice came first.
    pub async fn mark_quote_invoiced(
        &self,
        ctx: &AuditContext,
        quote_id: i64,
    ) -> Result<QuoteRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, QuoteRecord>(GET)
                .bind(quote_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            transition(&before, QuoteEvent::Invoice)?;
            let done = sqlx::query(INVOICED).bind(now).bind(quote_id).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(refusal::NOT_ACCEPTED));
            }
            let after = sqlx::query_as::<_, QuoteRecord>(GET).bind(quote_id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "quote-invoiced", "quote", Some(quote_id), Some(&before), Some(&after));
            Ok(after)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_names_why_the_client_cannot_answer() {
        use QuoteEvent::*;
        use QuoteStatus::*;
        assert_eq!(refusal_of(Accepted, Accept), refusal::ALREADY_ACCEPTED);
        assert_eq!(refusal_of(Invoiced, Decline), refusal::ALREADY_ACCEPTED);
        assert_eq!(refusal_of(Declined, Accept), refusal::ALREADY_DECLINED);
        assert_eq!(refusal_of(Draft, Accept), refusal::NOT_SENT);
        assert_eq!(refusal_of(Expired, Accept), refusal::EXPIRED);
        assert_eq!(refusal_of(Sent, Invoice), refusal::NOT_ACCEPTED);
        assert_eq!(refusal_of(Sent, Send), refusal::NOT_EDITABLE);
    }
}
