//! Expense claims (C7): filed by a holder of the activity, approved or refused by an advisor,
//! withdrawn by the claimant while they wait.
//!
//! Filing a mileage claim counts the person's kilometres of the calendar year under the
//! person's row lock, so two claims filed at once never pass the 24,000 km ceiling together.
//! Approving writes, in one database transaction under the activity's row lock
//! ([`LOCK_BUDGET`]), the claim's status, the `expense-reimbursed` ledger transaction (the
//! budget debited, `expenses:payable` credited) and the payout order of the SEPA batch; or,
//! when the available budget does not cover the claim, nothing at all. The receipt's file is
//! the web layer's (stored by its SHA-256 outside the web root); the claim keeps its
//! metadata.

use jiff::civil::Date;
use ruche_domain::activity::ActivityStatus;
use ruche_domain::expense::{
    ApprovedClaim, ExpenseCategory, ExpenseEvent, ExpenseKind, ExpenseStatus, NewExpenseClaim,
    Payee, ReceiptType, approval_transaction, budget_covers, parse_refusal_reason, payout_date,
    payout_order,
};
use ruche_domain::ident::{Iban, Ogm};
use ruche_domain::ledger::{AccountCode, AccountKind, LedgerError};
use ruche_domain::mileage::{MileageError, check_annual_cap, mileage_table};
use ruche_domain::payout::{PostalAddress, Remittance};
use serde::Serialize;

use crate::activities::ActivityRecord;
use crate::budget::LOCK_BUDGET;
use crate::ledger::post_in;
use crate::payouts::{PayoutRecord, end_to_end_id};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Conflict` code: the claim is no longer submitted (or never was), so this change is refused.
pub const REFUSED_STATUS: &str = "expense-status";
/// `Conflict` code: the activity is not active (proposed, suspended or closed).
pub const REFUSED_NOT_ACTIVE: &str = "expense-activity-not-active";
/// `Conflict` code: the claimant does not hold the activity.
pub const REFUSED_NOT_HOLDER: &str = "expense-not-holder";
/// `Conflict` code: the claim would take the person's year beyond the kilometre ceiling.
pub const REFUSED_MILEAGE_CAP: &str = "expense-mileage-cap";
/// `Conflict` code: the available budget is smaller than the claim.
pub const REFUSED_INSUFFICIENT_BUDGET: &str = "expense-insufficient-budget";
/// `Conflict` code: the paying legal entity does not exist.
pub const REFUSED_UNKNOWN_ENTITY: &str = "expense-unknown-entity";

/// A claim as stored, with the names the pages show and its payout's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ExpenseClaimRecord {
    pub id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub office_id: i64,
    pub claimant_id: i64,
    pub claimant_name: String,
    pub kind: String,
    pub category: String,
    pub status: String,
    pub description: String,
    pub spent_on: String,
    pub amount_cents: i64,
    pub trip_from: Option<String>,
    pub trip_to: Option<String>,
    /// Both ways when `round_trip`.
    pub distance_km: Option<i64>,
    pub round_trip: bool,
    /// Euros per km, exact decimal text.
    pub mileage_rate: Option<String>,
    pub mileage_rate_from: Option<String>,
    pub mileage_rate_to: Option<String>,
    pub mileage_rates_version: Option<String>,
    pub mileage_rate_verified: Option<bool>,
    pub payee_name: String,
    pub payee_iban: String,
    pub payee_bic: Option<String>,
    pub payee_street: Option<String>,
    pub payee_building_number: Option<String>,
    pub payee_postcode: Option<String>,
    pub payee_town: String,
    pub payee_country: String,
    pub payee_remittance: Option<String>,
    pub payee_remittance_ogm: bool,
    pub receipt_sha256: Option<String>,
    pub receipt_mime: Option<String>,
    pub receipt_size: Option<i64>,
    pub receipt_name: Option<String>,
    pub submitted_on: String,
    pub submitted_at: i64,
    pub submitted_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub decider_name: Option<String>,
    pub decided_at: Option<i64>,
    pub refusal_reason: Option<String>,
    pub entity_id: Option<i64>,
    pub payout_id: Option<i64>,
    pub payout_status: Option<String>,
    /// The payout's due date (the cut-off rule).
    pub payout_requested_on: Option<String>,
    pub payout_paid_on: Option<String>,
    pub ledger_transaction_id: Option<i64>,
    pub updated_at: i64,
}

impl ExpenseClaimRecord {
    pub fn status(&self) -> Result<ExpenseStatus> {
        ExpenseStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("expense claim status {}", self.status)))
    }

    pub fn kind(&self) -> Result<ExpenseKind> {
        ExpenseKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("expense claim kind {}", self.kind)))
    }

    pub fn category(&self) -> Result<ExpenseCategory> {
        ExpenseCategory::parse(&self.category)
            .ok_or_else(|| StoreError::Corrupt(format!("expense category {}", self.category)))
    }

    /// The receipt's type, when the claim has one.
    pub fn receipt_type(&self) -> Result<Option<ReceiptType>> {
        match &self.receipt_mime {
            None => Ok(None),
            Some(mime) => ReceiptType::from_mime(mime)
                .map(Some)
                .ok_or_else(|| StoreError::Corrupt(format!("receipt type {mime}"))),
        }
    }

    /// Who is paid, as the payout order needs it.
    pub fn payee(&self) -> Result<Payee> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("expense claim {} {what}", self.id));
        let remittance = match (&self.payee_remittance, self.payee_remittance_ogm) {
            (None, _) => None,
            (Some(text), false) => Some(Remittance::Text(text.clone())),
            (Some(digits), true) => Some(Remittance::Ogm(
                Ogm::parse(digits).map_err(|_| corrupt("OGM"))?,
            )),
        };
        Ok(Payee {
            name: self.payee_name.clone(),
            iban: Iban::parse(&self.payee_iban).map_err(|_| corrupt("IBAN"))?,
            bic: self.payee_bic.clone(),
            address: PostalAddress {
                street: self.payee_street.clone(),
                building_number: self.payee_building_number.clone(),
                postcode: self.payee_postcode.clone(),
                town: self.payee_town.clone(),
                country: self.payee_country.clone(),
            },
            remittance,
        })
    }
}

/// Filters of a list of claims; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ExpenseFilter {
    pub activity_id: Option<i64>,
    pub claimant_id: Option<i64>,
    /// Claims of activities of these offices (an advisor's list).
    pub offices: Option<Vec<i64>>,
    pub status: Option<ExpenseStatus>,
    pub kind: Option<ExpenseKind>,
}

macro_rules! claim_select {
    () => {
        "SELECT c.id, c.activity_id, a.name AS activity_name, a.office_id, c.claimant_id, \
         p.first_name || ' ' || p.last_name AS claimant_name, c.kind, c.category, c.status, \
         c.description, c.spent_on, c.amount_cents, c.trip_from, c.trip_to, c.distance_km, \
         c.round_trip, c.mileage_rate, c.mileage_rate_from, c.mileage_rate_to, \
         c.mileage_rates_version, c.mileage_rate_verified, c.payee_name, c.payee_iban, \
         c.payee_bic, c.payee_street, c.payee_building_number, c.payee_postcode, c.payee_town, \
         c.payee_country, c.payee_remittance, c.payee_remittance_ogm, c.receipt_sha256, \
         c.receipt_mime, c.receipt_size, c.receipt_name, c.submitted_on, c.submitted_at, \
         c.submitted_by, c.decided_by, dp.first_name || ' ' || dp.last_name AS decider_name, \
         c.decided_at, c.refusal_reason, c.entity_id, c.payout_id, o.status AS payout_status, \
         o.requested_on AS payout_requested_on, o.paid_on AS payout_paid_on, \
         c.ledger_transaction_id, c.updated_at \
         FROM expense_claims c \
         JOIN activities a ON a.id = c.activity_id \
         JOIN persons p ON p.id = c.claimant_id \
         LEFT JOIN accounts da ON da.id = c.decided_by \
         LEFT JOIN persons dp ON dp.id = da.person_id \
         LEFT JOIN payouts o ON o.id = c.payout_id"
    };
}

macro_rules! claim_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR c.activity_id = $1) \
          AND (CAST($2 AS BIGINT) IS NULL OR c.claimant_id = $2) \
          AND (CAST($3 AS TEXT) IS NULL OR $3 LIKE '%,' || CAST(a.office_id AS TEXT) || ',%') \
          AND (CAST($4 AS TEXT) IS NULL OR c.status = $4) \
          AND (CAST($5 AS TEXT) IS NULL OR c.kind = $5)"
    };
}

const GET: &str = concat!(claim_select!(), " WHERE c.id = $1");
const LIST: &str = concat!(
    claim_select!(),
    claim_where!(),
    " ORDER BY c.id DESC LIMIT $6 OFFSET $7"
);
const COUNT: &str = concat!(
    "SELECT COUNT(*) FROM expense_claims c JOIN activities a ON a.id = c.activity_id",
    claim_where!()
);
const INSERT: &str = "INSERT INTO expense_claims (activity_id, claimant_id, kind, category, \
    status, description, spent_on, amount_cents, trip_from, trip_to, distance_km, round_trip, \
    mileage_rate, mileage_rate_from, mileage_rate_to, mileage_rates_version, \
    mileage_rate_verified, payee_name, payee_iban, payee_bic, payee_street, \
    payee_building_number, payee_postcode, payee_town, payee_country, payee_remittance, \
    payee_remittance_ogm, receipt_sha256, receipt_mime, receipt_size, receipt_name, \
    submitted_on, submitted_at, submitted_by, updated_at) VALUES ($1, $2, $3, $4, 'submitted', \
    $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, \
    $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $32) RETURNING id";
const HOLDS: &str =
    "SELECT person_id FROM activity_holders WHERE activity_id = $1 AND person_id = $2";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";
/// The person's row lock (PostgreSQL; SQLite's writer holds the whole database): two mileage
/// claims of one person are counted one after the other. Portable, like [`LOCK_BUDGET`].
const LOCK_PERSON: &str = "UPDATE persons SET updated_at = updated_at WHERE id = $1";
// Sums are cast back to BIGINT: PostgreSQL's SUM(bigint) is a NUMERIC.
const KM_IN_YEAR: &str = "SELECT CAST(COALESCE(SUM(distance_km), 0) AS BIGINT) \
    FROM expense_claims WHERE claimant_id = $1 AND kind = 'mileage' \
    AND status IN ('submitted', 'approved') AND spent_on >= $2 AND spent_on <= $3";
// Takes the claim's row lock (PostgreSQL) while it is still submitted: a second decision
// running at the same time waits here, then finds it decided.
const CLAIM_ROW: &str =
    "UPDATE expense_claims SET status = status WHERE id = $1 AND status = 'submitted'";
const DECIDE: &str = "UPDATE expense_claims SET status = $1, decided_by = $2, decided_at = $3, \
    refusal_reason = $4, entity_id = $5, payout_id = $6, ledger_transaction_id = $7, \
    updated_at = $3 WHERE id = $8 AND status = 'submitted'";
const BUDGET_BALANCE: &str = "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = $1";
const ENTITY_EXISTS: &str = "SELECT id FROM legal_entities WHERE id = $1";
// The entity that issued the activity's latest invoice (the one its clients pay into), or
// else the group's first entity.
const ENTITY_OF_ACTIVITY: &str = "SELECT entity_id FROM invoices \
    WHERE activity_id = $1 AND number IS NOT NULL ORDER BY id DESC LIMIT 1";
const FIRST_ENTITY: &str = "SELECT id FROM legal_entities ORDER BY id LIMIT 1";
// The payout order of an approved claim: the columns of `payouts::create_payout`, written
// here inside the approval's transaction.
const PAYOUT_INSERT: &str = "INSERT INTO payouts (kind, status, entity_id, beneficiary_name, \
    iban, bic, street, building_number, postcode, town, country, amount_cents, remittance, \
    remittance_ogm, ledger_account, activity_id, person_id, source_type, source_id, \
    requested_on, created_by, created_at, updated_at) VALUES ($1, 'pending', $2, $3, $4, $5, \
    $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21) \
    RETURNING id";
const PAYOUT_SET_END_TO_END: &str = "UPDATE payouts SET end_to_end_id = $1 WHERE id = $2";

/// The claim `id` read in the transaction `$tx`, or `NotFound`.
macro_rules! claim_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, ExpenseClaimRecord>(GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

/// The first and last day of `year`, as stored.
fn year_bounds(year: i16) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

fn ledger_refused(e: LedgerError) -> StoreError {
    match e {
        LedgerError::DateOutOfRange(_) => StoreError::Conflict("the date is before 1900"),
        other => StoreError::Corrupt(format!("expense transaction refused: {other}")),
    }
}

fn cap_km() -> Result<u32> {
    mileage_table()
        .map(|t| t.annual_cap_km)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    pub async fn expense_claim(&self, id: i64) -> Result<ExpenseClaimRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ExpenseClaimRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Claims, newest first.
    pub async fn expense_claims(
        &self,
        filter: &ExpenseFilter,
        page: PageRequest,
    ) -> Result<Page<ExpenseClaimRecord>> {
        let offices = filter.offices.as_ref().map(|ids| {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(",{},", list.join(","))
        });
        let status = filter.status.map(ExpenseStatus::code);
        let kind = filter.kind.map(ExpenseKind::code);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.activity_id)
                .bind(filter.claimant_id)
                .bind(offices.as_deref())
                .bind(status)
                .bind(kind)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, ExpenseClaimRecord>(LIST)
                .bind(filter.activity_id)
                .bind(filter.claimant_id)
                .bind(offices.as_deref())
                .bind(status)
                .bind(kind)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The kilometres of `person_id`'s mileage claims of `year` that count towards the
    /// ceiling (submitted or approved).
    pub async fn mileage_km_in_year(&self, person_id: i64, year: i16) -> Result<i64> {
        let (from, to) = year_bounds(year);
        with_db!(self, pool => {
            let (km,): (i64,) = sqlx::query_as(KM_IN_YEAR)
                .bind(person_id)
                .bind(&from)
                .bind(&to)
                .fetch_one(pool)
                .await?;
            Ok(km)
        })
    }

    /// Files a checked claim, submitted. Refused with nothing written when the activity is
    /// not active (`Conflict(REFUSED_NOT_ACTIVE)`), when the claimant does not hold it
    /// (`Conflict(REFUSED_NOT_HOLDER)`), or when a mileage claim would take the claimant's
    /// calendar year beyond the kilometre ceiling (`Conflict(REFUSED_MILEAGE_CAP)`).
    pub async fn file_expense_claim(
        &self,
        ctx: &AuditContext,
        new: &NewExpenseClaim,
    ) -> Result<ExpenseClaimRecord> {
        if new.amount_cents <= 0 || new.kind == ExpenseKind::Mileage && new.trip.is_none() {
            return Err(StoreError::Conflict(
                "an expense claim needs an amount, and a mileage claim its trip",
            ));
        }
        let trip = new.trip.as_ref();
        let (remittance, remittance_ogm) = match &new.payee.remittance {
            Some(r) => {
                let (text, ogm) = r.stored();
                (Some(text.to_string()), ogm)
            }
            None => (None, false),
        };
        let receipt = new.receipt.as_ref();
        let now = now_micros();
        write_tx!(self, db => {
            let activity = sqlx::query_as::<_, ActivityRecord>(crate::activities::GET)
                .bind(new.activity_id)
                .fetch_optional(&mut *db)
                .await?
                .ok_or(StoreError::NotFound)?;
            if activity.status()? != ActivityStatus::Active {
                return Err(StoreError::Conflict(REFUSED_NOT_ACTIVE));
            }
            let person: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                .bind(new.claimant_id)
                .fetch_optional(&mut *db)
                .await?;
            if person.is_none() {
                return Err(StoreError::NotFound);
            }
            let holds: Option<(i64,)> = sqlx::query_as(HOLDS)
                .bind(new.activity_id)
                .bind(new.claimant_id)
                .fetch_optional(&mut *db)
                .await?;
            if holds.is_none() {
                return Err(StoreError::Conflict(REFUSED_NOT_HOLDER));
            }
            if let Some(trip) = trip {
                sqlx::query(LOCK_PERSON).bind(new.claimant_id).execute(&mut *db).await?;
                let (from, to) = year_bounds(new.spent_on.year());
                let (used,): (i64,) = sqlx::query_as(KM_IN_YEAR)
                    .bind(new.claimant_id)
                    .bind(&from)
                    .bind(&to)
                    .fetch_one(&mut *db)
                    .await?;
                let used = u32::try_from(used)
                    .map_err(|_| StoreError::Corrupt(format!("{used} km claimed in a year")))?;
                check_annual_cap(used, trip.km, cap_km()?).map_err(|e| match e {
                    MileageError::CapExceeded { .. } => StoreError::Conflict(REFUSED_MILEAGE_CAP),
                    other => StoreError::Corrupt(other.to_string()),
                })?;
            }
            let address = &new.payee.address;
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(new.activity_id)
                .bind(new.claimant_id)
                .bind(new.kind.code())
                .bind(new.category.code())
                .bind(&new.description)
                .bind(new.spent_on.to_string())
                .bind(new.amount_cents)
                .bind(trip.map(|t| t.from.as_str()))
                .bind(trip.map(|t| t.to.as_str()))
                .bind(trip.map(|t| i64::from(t.km)))
                .bind(trip.is_some_and(|t| t.round_trip))
                .bind(trip.map(|t| t.rate.eur_per_km.to_string()))
                .bind(trip.map(|t| t.rate.valid_from.to_string()))
                .bind(trip.map(|t| t.rate.valid_to.to_string()))
                .bind(trip.map(|t| t.rate.version.as_str()))
                .bind(trip.map(|t| t.rate.verified))
                .bind(&new.payee.name)
                .bind(new.payee.iban.as_str())
                .bind(new.payee.bic.as_deref())
                .bind(address.street.as_deref())
                .bind(address.building_number.as_deref())
                .bind(address.postcode.as_deref())
                .bind(&address.town)
                .bind(&address.country)
                .bind(remittance.as_deref())
                .bind(remittance_ogm)
                .bind(receipt.map(|r| r.sha256.as_str()))
                .bind(receipt.map(|r| r.kind.mime()))
                .bind(receipt.map(|r| r.size_bytes))
                .bind(receipt.map(|r| r.original_name.as_str()))
                .bind(new.submitted_on.to_string())
                .bind(now)
                .bind(ctx.actor_account_id)
                .fetch_one(&mut *db)
                .await?;
            let after = claim_in!(db, id);
            // TigerStyle: what was kept is what was checked.
            if after.amount_cents != new.amount_cents || after.distance_km != trip.map(|t| i64::from(t.km)) {
                return Err(StoreError::Corrupt(format!("expense claim {id} read back differs")));
            }
            audit!(db, ctx, "create", "expense_claim", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// An advisor approves a submitted claim on `on`: in one database transaction, under the
    /// activity's row lock, the budget pays (`expense-reimbursed`: `activity:<a>:budget`
    /// debited, `expenses:payable` credited) and the payout order is created, paid by
    /// `entity_id` (by default the entity of the activity's latest invoice, else the group's
    /// first) and due on the cut-off date of the day the claim was submitted. Refused with
    /// nothing written when the claim is no longer submitted, the activity is not active, or
    /// the available budget does not cover the whole claim.
    pub async fn approve_expense_claim(
        &self,
        ctx: &AuditContext,
        id: i64,
        entity_id: Option<i64>,
        on: Date,
    ) -> Result<ExpenseClaimRecord> {
        write_tx!(self, db => {
            let before = claim_in!(db, id);
            before
                .status()?
                .apply(ExpenseEvent::Approve)
                .map_err(|_| StoreError::Conflict(REFUSED_STATUS))?;
            let claimed = sqlx::query(CLAIM_ROW).bind(id).execute(&mut *db).await?;
            if claimed.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            sqlx::query(LOCK_BUDGET).bind(before.activity_id).execute(&mut *db).await?;
            let activity = sqlx::query_as::<_, ActivityRecord>(crate::activities::GET)
                .bind(before.activity_id)
                .fetch_one(&mut *db)
                .await?;
            if activity.status()? != ActivityStatus::Active {
                return Err(StoreError::Conflict(REFUSED_NOT_ACTIVE));
            }
            let (balance,): (i64,) = sqlx::query_as(BUDGET_BALANCE)
                .bind(AccountCode::ActivityBudget(before.activity_id).to_string())
                .fetch_one(&mut *db)
                .await?;
            if !budget_covers(AccountKind::Liability.shown(balance), before.amount_cents) {
                return Err(StoreError::Conflict(REFUSED_INSUFFICIENT_BUDGET));
            }
            let entity_id = match entity_id {
                Some(entity) => {
                    let found: Option<(i64,)> = sqlx::query_as(ENTITY_EXISTS)
                        .bind(entity)
                        .fetch_optional(&mut *db)
                        .await?;
                    found.ok_or(StoreError::Conflict(REFUSED_UNKNOWN_ENTITY))?.0
                }
                None => {
                    let invoiced: Option<(i64,)> = sqlx::query_as(ENTITY_OF_ACTIVITY)
                        .bind(before.activity_id)
                        .fetch_optional(&mut *db)
                        .await?;
                    match invoiced {
                        Some((entity,)) => entity,
                        None => {
                            let first: Option<(i64,)> =
                                sqlx::query_as(FIRST_ENTITY).fetch_optional(&mut *db).await?;
                            first.ok_or(StoreError::Conflict(REFUSED_UNKNOWN_ENTITY))?.0
                        }
                    }
                }
            };
            let spend = approval_transaction(
                id,
                before.activity_id,
                before.amount_cents,
                on,
                &before.description,
            )
            .map_err(ledger_refused)?;
            let transaction_id = post_in!(db, ctx, &spend);

            let submitted_on: Date = before
                .submitted_on
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("expense claim {id} submitted_on")))?;
            let order = payout_order(
                ApprovedClaim {
                    claim_id: id,
                    activity_id: before.activity_id,
                    claimant_id: before.claimant_id,
                    kind: before.kind()?,
                    amount_cents: before.amount_cents,
                    description: &before.description,
                    payee: before.payee()?,
                },
                entity_id,
                payout_date(submitted_on),
            );
            let (remittance, remittance_ogm) = match &order.remittance {
                Some(r) => {
                    let (text, ogm) = r.stored();
                    (Some(text.to_string()), ogm)
                }
                None => (None, false),
            };
            let now = now_micros();
            let a = &order.address;
            let (payout_id,): (i64,) = sqlx::query_as(PAYOUT_INSERT)
                .bind(order.kind.code())
                .bind(order.entity_id)
                .bind(&order.beneficiary_name)
                .bind(order.iban.as_str())
                .bind(order.bic.as_deref())
                .bind(a.street.as_deref())
                .bind(a.building_number.as_deref())
                .bind(a.postcode.as_deref())
                .bind(&a.town)
                .bind(&a.country)
                .bind(order.amount_cents)
                .bind(remittance.as_deref())
                .bind(remittance_ogm)
                .bind(order.ledger_account.to_string())
                .bind(order.activity_id)
                .bind(order.person_id)
                .bind(order.source.as_ref().map(|(t, _)| t.as_str()))
                .bind(order.source.as_ref().map(|(_, id)| *id))
                .bind(order.requested_on.to_string())
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *db)
                .await?;
            sqlx::query(PAYOUT_SET_END_TO_END)
                .bind(end_to_end_id(payout_id))
                .bind(payout_id)
                .execute(&mut *db)
                .await?;
            let payout = sqlx::query_as::<_, PayoutRecord>(crate::payouts::GET)
                .bind(payout_id)
                .fetch_one(&mut *db)
                .await?;
            audit!(db, ctx, "create", "payout", Some(payout_id), None::<&()>, Some(&payout));

            let done = sqlx::query(DECIDE)
                .bind(ExpenseStatus::Approved.code())
                .bind(ctx.actor_account_id)
                .bind(now)
                .bind(None::<&str>)
                .bind(Some(entity_id))
                .bind(Some(payout_id))
                .bind(Some(transaction_id))
                .bind(id)
                .execute(&mut *db)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = claim_in!(db, id);
            audit!(db, ctx, ExpenseEvent::Approve.code(), "expense_claim", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// An advisor refuses a submitted claim, with its reason (required, at most 500
    /// characters: `Conflict("expense-reason")` otherwise). Nothing is spent.
    pub async fn refuse_expense_claim(
        &self,
        ctx: &AuditContext,
        id: i64,
        reason: &str,
    ) -> Result<ExpenseClaimRecord> {
        let reason =
            parse_refusal_reason(reason).map_err(|_| StoreError::Conflict("expense-reason"))?;
        self.close_expense_claim(ctx, id, ExpenseEvent::Refuse, Some(&reason))
            .await
    }

    /// The claimant withdraws a submitted claim: nothing is spent, its kilometres no longer
    /// count.
    pub async fn withdraw_expense_claim(
        &self,
        ctx: &AuditContext,
        id: i64,
    ) -> Result<ExpenseClaimRecord> {
        self.close_expense_claim(ctx, id, ExpenseEvent::Withdraw, None)
            .await
    }

    async fn close_expense_claim(
        &self,
        ctx: &AuditContext,
        id: i64,
        event: ExpenseEvent,
        reason: Option<&str>,
    ) -> Result<ExpenseClaimRecord> {
        write_tx!(self, db => {
            let before = claim_in!(db, id);
            let to = before
                .status()?
                .apply(event)
                .map_err(|_| StoreError::Conflict(REFUSED_STATUS))?;
            let done = sqlx::query(DECIDE)
                .bind(to.code())
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .bind(reason)
                .bind(None::<i64>)
                .bind(None::<i64>)
                .bind(None::<i64>)
                .bind(id)
                .execute(&mut *db)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = claim_in!(db, id);
            audit!(db, ctx, event.code(), "expense_claim", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }
}
