//! Payout orders and their SEPA batches (C4; payments.md §7).
//!
//! An order (`payouts`) is created pending with a unique end-to-end id. A batch takes every
//! pending order of one legal entity due by its execution date, has the pain.001.001.09
//! written by the caller (the store does not know the formats crate: the web layer and the
//! binary pass [`ruche_formats`'s writer] through a closure), keeps the XML and its SHA-256,
//! and marks the orders batched, in one transaction. The bank statement later settles each
//! order by its end-to-end id ([`settle_payout_in!`]): the order is paid and the ledger
//! transaction posted (the order's account debited, the entity's bank credited).

use jiff::civil::Date;
use ruche_domain::ident::Ogm;
use ruche_domain::ledger::AccountCode;
use ruche_domain::payout::{
    NewPayout, PayoutEvent, PayoutKind, PayoutStatus, PostalAddress, Remittance,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::entities::LegalEntityRecord;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Conflict` code: the order is not in a state that allows this change.
pub const REFUSED_STATUS: &str = "payout-status";
/// `Conflict` code: no pending order of the entity is due by the batch's execution date.
pub const NOTHING_PENDING: &str = "payout-nothing-pending";
/// `Conflict` code: the pain.001 writer refused the batch (see the log for why).
pub const REFUSED_FILE: &str = "payout-file-refused";
/// `Conflict` code: the activity or the person the order names does not exist.
pub const UNKNOWN_REFERENCE: &str = "payout-unknown-reference";

/// The most orders one batch takes (TigerStyle: a bound on every loop); the rest waits for
/// the next batch.
pub const MAX_ORDERS_PER_BATCH: i64 = 10_000;

/// A payout order as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PayoutRecord {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub entity_id: i64,
    pub beneficiary_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub street: Option<String>,
    pub building_number: Option<String>,
    pub postcode: Option<String>,
    pub town: String,
    pub country: String,
    pub amount_cents: i64,
    pub remittance: Option<String>,
    pub remittance_ogm: bool,
    pub ledger_account: String,
    pub activity_id: Option<i64>,
    pub person_id: Option<i64>,
    pub source_type: Option<String>,
    pub source_id: Option<i64>,
    pub requested_on: String,
    pub end_to_end_id: Option<String>,
    pub batch_id: Option<i64>,
    pub paid_on: Option<String>,
    pub bank_reference: Option<String>,
    pub ledger_transaction_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PayoutRecord {
    pub fn kind(&self) -> Result<PayoutKind> {
        PayoutKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("payout kind {}", self.kind)))
    }

    pub fn status(&self) -> Result<PayoutStatus> {
        PayoutStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("payout status {}", self.status)))
    }

    pub fn ledger_account(&self) -> Result<AccountCode> {
        AccountCode::parse(&self.ledger_account).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// The end-to-end id, set when the order was created.
    pub fn end_to_end(&self) -> Result<&str> {
        self.end_to_end_id
            .as_deref()
            .ok_or_else(|| StoreError::Corrupt(format!("payout {} has no end-to-end id", self.id)))
    }

    pub fn address(&self) -> PostalAddress {
        PostalAddress {
            street: self.street.clone(),
            building_number: self.building_number.clone(),
            postcode: self.postcode.clone(),
            town: self.town.clone(),
            country: self.country.clone(),
        }
    }

    pub fn remittance(&self) -> Result<Option<Remittance>> {
        match (&self.remittance, self.remittance_ogm) {
            (None, _) => Ok(None),
            (Some(text), false) => Ok(Some(Remittance::Text(text.clone()))),
            (Some(digits), true) => Ogm::parse(digits)
                .map(|o| Some(Remittance::Ogm(o)))
                .map_err(|_| StoreError::Corrupt(format!("payout {} OGM {digits}", self.id))),
        }
    }
}

/// A batch as listed (the XML is read on its own: [`Store::payout_batch_xml`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PayoutBatchRecord {
    pub id: i64,
    pub entity_id: i64,
    pub entity_name: String,
    pub execution_date: String,
    pub message_id: Option<String>,
    pub transaction_count: i64,
    pub total_cents: i64,
    pub sha256: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

/// What the pain.001 writer receives: the batch's identity, the paying entity and its
/// orders, salaries first, each group in id order.
#[derive(Debug, Clone)]
pub struct PayoutBatchDraft {
    pub batch_id: i64,
    pub message_id: String,
    pub created_at: i64,
    pub execution_date: Date,
    pub entity: LegalEntityRecord,
    pub orders: Vec<PayoutRecord>,
}

/// Filters of a list of orders; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct PayoutFilter {
    pub entity_id: Option<i64>,
    pub status: Option<PayoutStatus>,
    pub kind: Option<PayoutKind>,
    pub batch_id: Option<i64>,
}

macro_rules! payout_select {
    () => {
        "SELECT id, kind, status, entity_id, beneficiary_name, iban, bic, street, \
         building_number, postcode, town, country, amount_cents, remittance, remittance_ogm, \
         ledger_account, activity_id, person_id, source_type, source_id, requested_on, \
         end_to_end_id, batch_id, paid_on, bank_reference, ledger_transaction_id, created_by, \
         created_at, updated_at FROM payouts"
    };
}

macro_rules! payout_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR entity_id = $1) \
          AND (CAST($2 AS TEXT) IS NULL OR status = $2) \
          AND (CAST($3 AS TEXT) IS NULL OR kind = $3) \
          AND (CAST($4 AS BIGINT) IS NULL OR batch_id = $4)"
    };
}

pub(crate) const GET: &str = concat!(payout_select!(), " WHERE id = $1");
const BY_END_TO_END: &str = concat!(payout_select!(), " WHERE end_to_end_id = $1");
const LIST: &str = concat!(
    payout_select!(),
    payout_where!(),
    " ORDER BY id DESC LIMIT $5 OFFSET $6"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM payouts", payout_where!());
// Salaries first (their own SALA payment group), then the rest, each in id order.
const DUE: &str = concat!(
    payout_select!(),
    " WHERE entity_id = $1 AND status = 'pending' AND requested_on <= $2 \
     ORDER BY CASE WHEN kind = 'salary' THEN 0 ELSE 1 END, id LIMIT $3"
);
pub(crate) const INSERT: &str = "INSERT INTO payouts (kind, status, entity_id, beneficiary_name, iban, \
    bic, street, building_number, postcode, town, country, amount_cents, remittance, \
    remittance_ogm, ledger_account, activity_id, person_id, source_type, source_id, \
    requested_on, created_by, created_at, updated_at) VALUES ($1, 'pending', $2, $3, $4, $5, \
    $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21) \
    RETURNING id";
pub(crate) const SET_END_TO_END: &str = "UPDATE payouts SET end_to_end_id = $1 WHERE id = $2";
const ENTITY: &str = "SELECT id, name, legal_form, street, postcode, city, country, \
    enterprise_number, vat_number, iban, court_register, created_at, updated_at \
    FROM legal_entities WHERE id = $1";
pub(crate) const ENTITY_EXISTS: &str = "SELECT id FROM legal_entities WHERE id = $1";
pub(crate) const ACTIVITY_EXISTS: &str = "SELECT id FROM activities WHERE id = $1";
pub(crate) const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";
// Every status change names the status it leaves: a concurrent change makes it touch no
// row, and the caller refuses instead of overwriting.
const SET_STATUS: &str =
    "UPDATE payouts SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4";
const SET_BATCHED: &str = "UPDATE payouts SET status = 'batched', batch_id = $1, \
    updated_at = $2 WHERE id = $3 AND status = 'pending'";
const SET_PAID: &str = "UPDATE payouts SET status = 'paid', paid_on = $1, bank_reference = $2, \
    ledger_transaction_id = $3, updated_at = $4 WHERE id = $5 AND status = 'batched'";
const INSERT_BATCH: &str = "INSERT INTO payout_batches (entity_id, execution_date, \
    transaction_count, total_cents, xml, sha256, created_at, created_by) \
    VALUES ($1, $2, 0, 0, '', '', $3, $4) RETURNING id";
const FINISH_BATCH: &str = "UPDATE payout_batches SET message_id = $1, transaction_count = $2, \
    total_cents = $3, xml = $4, sha256 = $5 WHERE id = $6";
macro_rules! batch_select {
    () => {
        "SELECT b.id, b.entity_id, e.name AS entity_name, b.execution_date, b.message_id, \
         b.transaction_count, b.total_cents, b.sha256, b.created_at, b.created_by \
         FROM payout_batches b JOIN legal_entities e ON e.id = b.entity_id"
    };
}
const BATCH_GET: &str = concat!(batch_select!(), " WHERE b.id = $1");
const BATCH_LIST: &str = concat!(
    batch_select!(),
    " WHERE (CAST($1 AS BIGINT) IS NULL OR b.entity_id = $1) ORDER BY b.id DESC LIMIT $2 OFFSET $3"
);
const BATCH_COUNT: &str =
    "SELECT COUNT(*) FROM payout_batches WHERE (CAST($1 AS BIGINT) IS NULL OR entity_id = $1)";
const BATCH_XML: &str = "SELECT message_id, xml, sha256 FROM payout_batches WHERE id = $1";

/// The end-to-end id of order `id`: `RUCHE-PO-<id>`, unique across the cooperative, in the
/// SEPA reference set, at most 35 characters.
pub fn end_to_end_id(id: i64) -> String {
    format!("RUCHE-PO-{id}")
}

/// The message id of batch `id`: `RUCHE-B<id>`.
pub fn message_id(id: i64) -> String {
    format!("RUCHE-B{id}")
}

/// Marks the batched payout `$payout_id` paid on `$on` inside the database transaction `$tx`
/// and posts its ledger transaction (the order's account debited, the paying entity's bank
/// credited); evaluates to the order as it stands after. Returns early (rolling `$tx` back)
/// when the order is unknown (`NotFound`) or not batched (`Conflict(REFUSED_STATUS)`). The
/// body of [`Store::mark_payout_paid`], shared with the bank import, which settles an order
/// when a debit carries its end-to-end id.
macro_rules! settle_payout_in {
    ($tx:ident, $ctx:expr, $payout_id:expr, $on:expr, $bank_reference:expr) => {{
        let ctx: &$crate::AuditContext = $ctx;
        let payout_id: i64 = $payout_id;
        let on: jiff::civil::Date = $on;
        let bank_reference: Option<&str> = $bank_reference;
        let before = sqlx::query_as::<_, $crate::payouts::PayoutRecord>($crate::payouts::GET)
            .bind(payout_id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::StoreError::NotFound)?;
        before
            .status()?
            .apply(ruche_domain::payout::PayoutEvent::Settle)
            .map_err(|_| $crate::StoreError::Conflict($crate::payouts::REFUSED_STATUS))?;
        let transaction = ruche_domain::payout::payout_transaction(
            before.id,
            before.kind()?,
            before.entity_id,
            before.ledger_account()?,
            before.amount_cents,
            on,
            before.end_to_end()?,
        )
        .map_err(|e| $crate::StoreError::Corrupt(format!("payout transaction refused: {e}")))?;
        let transaction_id = $crate::ledger::post_in!($tx, ctx, &transaction);
        let done = sqlx::query($crate::payouts::SET_PAID_SQL)
            .bind(on.to_string())
            .bind(bank_reference)
            .bind(transaction_id)
            .bind($crate::now_micros())
            .bind(payout_id)
            .execute(&mut *$tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err($crate::StoreError::Conflict(
                $crate::payouts::REFUSED_STATUS,
            ));
        }
        let after = sqlx::query_as::<_, $crate::payouts::PayoutRecord>($crate::payouts::GET)
            .bind(payout_id)
            .fetch_one(&mut *$tx)
            .await?;
        audit!(
            $tx,
            ctx,
            "pay",
            "payout",
            Some(payout_id),
            Some(&before),
            Some(&after)
        );
        after
    }};
}
pub(crate) use settle_payout_in;

/// Stores the checked order `$new`, pending, with its end-to-end id, inside the database
/// transaction `$tx`; evaluates to the order as stored. Returns early when the entity is
/// unknown (`NotFound`) or the activity or person it names (`Conflict(UNKNOWN_REFERENCE)`).
/// The body of [`Store::create_payout`], shared with the pay runs.
macro_rules! insert_payout_in {
    ($tx:ident, $ctx:expr, $new:expr) => {{
        let ctx: &$crate::AuditContext = $ctx;
        let new: &ruche_domain::payout::NewPayout = $new;
        let now = $crate::now_micros();
        let (remittance, is_ogm) = match &new.remittance {
            Some(r) => {
                let (text, ogm) = r.stored();
                (Some(text.to_string()), ogm)
            }
            None => (None, false),
        };
        let entity: Option<(i64,)> = sqlx::query_as($crate::payouts::ENTITY_EXISTS)
            .bind(new.entity_id)
            .fetch_optional(&mut *$tx)
            .await?;
        if entity.is_none() {
            return Err($crate::StoreError::NotFound);
        }
        for (sql, id) in [
            ($crate::payouts::ACTIVITY_EXISTS, new.activity_id),
            ($crate::payouts::PERSON_EXISTS, new.person_id),
        ] {
            if let Some(id) = id {
                let found: Option<(i64,)> = sqlx::query_as(sql)
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                if found.is_none() {
                    return Err($crate::StoreError::Conflict(
                        $crate::payouts::UNKNOWN_REFERENCE,
                    ));
                }
            }
        }
        let a = &new.address;
        let (id,): (i64,) = sqlx::query_as($crate::payouts::INSERT)
            .bind(new.kind.code())
            .bind(new.entity_id)
            .bind(&new.beneficiary_name)
            .bind(new.iban.as_str())
            .bind(new.bic.as_deref())
            .bind(a.street.as_deref())
            .bind(a.building_number.as_deref())
            .bind(a.postcode.as_deref())
            .bind(&a.town)
            .bind(&a.country)
            .bind(new.amount_cents)
            .bind(remittance.as_deref())
            .bind(is_ogm)
            .bind(new.ledger_account.to_string())
            .bind(new.activity_id)
            .bind(new.person_id)
            .bind(new.source.as_ref().map(|(t, _)| t.as_str()))
            .bind(new.source.as_ref().map(|(_, id)| *id))
            .bind(new.requested_on.to_string())
            .bind(ctx.actor_account_id)
            .bind(now)
            .fetch_one(&mut *$tx)
            .await?;
        sqlx::query($crate::payouts::SET_END_TO_END)
            .bind($crate::payouts::end_to_end_id(id))
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        let after = sqlx::query_as::<_, $crate::payouts::PayoutRecord>($crate::payouts::GET)
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
        audit!(
            $tx,
            ctx,
            "create",
            "payout",
            Some(id),
            None::<&()>,
            Some(&after)
        );
        after
    }};
}
pub(crate) use insert_payout_in;

pub(crate) const SET_PAID_SQL: &str = SET_PAID;

fn draft_check(orders: &[PayoutRecord]) -> Result<(usize, i64)> {
    let total = orders.iter().try_fold(0i64, |sum, o| {
        sum.checked_add(o.amount_cents)
            .ok_or_else(|| StoreError::Corrupt("payout batch total overflows".into()))
    })?;
    Ok((orders.len(), total))
}

impl Store {
    /// Stores a checked order, pending, with its end-to-end id, in one transaction.
    pub async fn create_payout(&self, ctx: &AuditContext, new: &NewPayout) -> Result<PayoutRecord> {
        write_tx!(self, tx => {
            let after = insert_payout_in!(tx, ctx, new);
            Ok(after)
        })
    }

    pub async fn payout(&self, id: i64) -> Result<PayoutRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, PayoutRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The order a bank statement's debit refers to, by the end-to-end id it carries back.
    pub async fn find_payout_by_end_to_end(
        &self,
        end_to_end_id: &str,
    ) -> Result<Option<PayoutRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, PayoutRecord>(BY_END_TO_END)
                .bind(end_to_end_id.trim())
                .fetch_optional(pool)
                .await?)
        })
    }

    /// Orders, newest first.
    pub async fn payouts(
        &self,
        filter: &PayoutFilter,
        page: PageRequest,
    ) -> Result<Page<PayoutRecord>> {
        let status = filter.status.map(PayoutStatus::code);
        let kind = filter.kind.map(PayoutKind::code);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.entity_id)
                .bind(status)
                .bind(kind)
                .bind(filter.batch_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, PayoutRecord>(LIST)
                .bind(filter.entity_id)
                .bind(status)
                .bind(kind)
                .bind(filter.batch_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Cancels a pending order; a batched or paid one is refused (`Conflict(REFUSED_STATUS)`).
    pub async fn cancel_payout(&self, ctx: &AuditContext, id: i64) -> Result<PayoutRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, PayoutRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let from = before.status()?;
            let to = from
                .apply(PayoutEvent::Cancel)
                .map_err(|_| StoreError::Conflict(REFUSED_STATUS))?;
            let done = sqlx::query(SET_STATUS)
                .bind(to.code())
                .bind(now_micros())
                .bind(id)
                .bind(from.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = sqlx::query_as::<_, PayoutRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "cancel", "payout", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Creates the batch of legal entity `entity_id` for `execution_date`: every pending
    /// order of the entity requested on or before that date (at most
    /// [`MAX_ORDERS_PER_BATCH`]), written by `write` into a pain.001, kept with its SHA-256;
    /// the orders become batched. One transaction: a refused file writes nothing.
    /// `Conflict(NOTHING_PENDING)` when no order is due.
    pub async fn create_payout_batch<F>(
        &self,
        ctx: &AuditContext,
        entity_id: i64,
        execution_date: Date,
        write: F,
    ) -> Result<PayoutBatchRecord>
    where
        F: FnOnce(&PayoutBatchDraft) -> std::result::Result<String, String>,
    {
        let now = now_micros();
        write_tx!(self, tx => {
            let entity = sqlx::query_as::<_, LegalEntityRecord>(ENTITY)
                .bind(entity_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let orders = sqlx::query_as::<_, PayoutRecord>(DUE)
                .bind(entity_id)
                .bind(execution_date.to_string())
                .bind(MAX_ORDERS_PER_BATCH)
                .fetch_all(&mut *tx)
                .await?;
            if orders.is_empty() {
                return Err(StoreError::Conflict(NOTHING_PENDING));
            }
            let (count, total) = draft_check(&orders)?;
            let (batch_id,): (i64,) = sqlx::query_as(INSERT_BATCH)
                .bind(entity_id)
                .bind(execution_date.to_string())
                .bind(now)
                .bind(ctx.actor_account_id)
                .fetch_one(&mut *tx)
                .await?;
            for order in &orders {
                let done = sqlx::query(SET_BATCHED)
                    .bind(batch_id)
                    .bind(now)
                    .bind(order.id)
                    .execute(&mut *tx)
                    .await?;
                // A concurrent batch or cancellation took this order first.
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict(REFUSED_STATUS));
                }
            }
            let draft = PayoutBatchDraft {
                batch_id,
                message_id: message_id(batch_id),
                created_at: now,
                execution_date,
                entity,
                orders,
            };
            let xml = write(&draft).map_err(|e| {
                tracing::warn!(batch = batch_id, "pain.001 refused: {e}");
                StoreError::Conflict(REFUSED_FILE)
            })?;
            let sha256 = hex::encode(Sha256::digest(xml.as_bytes()));
            let total_i64 = i64::try_from(count)
                .map_err(|_| StoreError::Corrupt("payout batch count".into()))?;
            sqlx::query(FINISH_BATCH)
                .bind(&draft.message_id)
                .bind(total_i64)
                .bind(total)
                .bind(&xml)
                .bind(&sha256)
                .bind(batch_id)
                .execute(&mut *tx)
                .await?;
            let batch = sqlx::query_as::<_, PayoutBatchRecord>(BATCH_GET)
                .bind(batch_id)
                .fetch_one(&mut *tx)
                .await?;
            // TigerStyle: what was kept is what was counted.
            if batch.transaction_count != total_i64 || batch.total_cents != total {
                return Err(StoreError::Corrupt(format!("payout batch {batch_id} totals")));
            }
            audit!(tx, ctx, "create", "payout_batch", Some(batch_id), None::<&()>, Some(&batch));
            Ok(batch)
        })
    }

    pub async fn payout_batch(&self, id: i64) -> Result<PayoutBatchRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, PayoutBatchRecord>(BATCH_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Batches, newest first; `None` lists every entity's.
    pub async fn payout_batches(
        &self,
        entity_id: Option<i64>,
        page: PageRequest,
    ) -> Result<Page<PayoutBatchRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(BATCH_COUNT)
                .bind(entity_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, PayoutBatchRecord>(BATCH_LIST)
                .bind(entity_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The kept pain.001 of batch `id` as `(message id, XML)`, the same bytes at every
    /// download; checked against its SHA-256 (`Corrupt` otherwise).
    pub async fn payout_batch_xml(&self, id: i64) -> Result<(String, String)> {
        let (message_id, xml, sha256): (Option<String>, String, String) = with_db!(self, pool => {
            sqlx::query_as(BATCH_XML)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?
        });
        if hex::encode(Sha256::digest(xml.as_bytes())) != sha256 {
            return Err(StoreError::Corrupt(format!(
                "payout batch {id}: the file does not match its hash"
            )));
        }
        let message_id = message_id
            .ok_or_else(|| StoreError::Corrupt(format!("payout batch {id} has no message id")))?;
        Ok((message_id, xml))
    }

    /// Marks a batched order paid on `on` and posts its ledger transaction, in one
    /// transaction ([`settle_payout_in!`]).
    pub async fn mark_payout_paid(
        &self,
        ctx: &AuditContext,
        id: i64,
        on: Date,
        bank_reference: Option<&str>,
    ) -> Result<PayoutRecord> {
        write_tx!(self, tx => {
            let after = settle_payout_in!(tx, ctx, id, on, bank_reference);
            Ok(after)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_sepa_references() {
        use ruche_domain::sepa_text::is_sepa_reference;
        assert!(is_sepa_reference(&end_to_end_id(i64::MAX)));
        assert!(is_sepa_reference(&message_id(i64::MAX)));
        assert_eq!(end_to_end_id(42), "RUCHE-PO-42");
    }
}
