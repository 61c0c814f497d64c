//! The share register (C11; reference/governance.md §6, §8.1): share classes, which carry
//! the rights (nominal value, votes per share, who may hold them, minimum holding; no
//! per-holder override, CNC-2), and the numbered, append-only register of operations.
//! A holding at a date is a projection: the sum of the operations effective on or before
//! it, so the register and a member's extract can be read at any date.

use jiff::civil::Date;
use serde::Serialize;

use crate::{AuditContext, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ShareClassRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub nominal_cents: i64,
    pub votes_per_share: i64,
    pub eligible: String,
    pub minimum_holding: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A share class to create. `eligible` is `anyone`, `individuals` or `legal_persons`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShareClass {
    pub code: String,
    pub name: String,
    pub nominal_cents: i64,
    pub votes_per_share: i64,
    pub eligible: String,
    pub minimum_holding: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ShareOperationRecord {
    pub id: i64,
    pub number: i64,
    pub kind: String,
    pub person_id: i64,
    pub class_id: i64,
    pub shares: i64,
    pub paid_cents: i64,
    pub effective_on: String,
    pub counterparty_person_id: Option<i64>,
    pub ledger_transaction_id: Option<i64>,
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

/// One line of the register to write. `shares` and `paid_cents` are signed: gained > 0,
/// given up < 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShareOperation {
    pub kind: &'static str,
    pub person_id: i64,
    pub class_id: i64,
    pub shares: i64,
    pub paid_cents: i64,
    pub effective_on: Date,
    pub counterparty_person_id: Option<i64>,
    pub ledger_transaction_id: Option<i64>,
    pub note: String,
}

/// What one person holds in one class at a date, with the class's rights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Holding {
    pub person_id: i64,
    pub class_id: i64,
    pub shares: i64,
    pub paid_cents: i64,
    pub nominal_cents: i64,
    pub votes_per_share: i64,
}

const CLASSES: &str = "SELECT id, code, name, nominal_cents, votes_per_share, eligible, \
    minimum_holding, created_at, updated_at FROM share_classes ORDER BY code, id";
const CLASS_TAKEN: &str = "SELECT id FROM share_classes WHERE LOWER(code) = LOWER($1)";
const CLASS_INSERT: &str = "INSERT INTO share_classes (code, name, nominal_cents, \
    votes_per_share, eligible, minimum_holding, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
/// The next operation number: the counter row is created at 1 or incremented, and
/// (PostgreSQL) stays locked until the writing transaction ends: no gap, no duplicate.
pub(crate) const NEXT_NUMBER: &str = "INSERT INTO share_register_counter (id, last_number) \
    VALUES (1, 1) ON CONFLICT (id) DO UPDATE \
    SET last_number = share_register_counter.last_number + 1 RETURNING last_number";
pub(crate) const OPERATION_INSERT: &str = "INSERT INTO share_operations (number, kind, \
    person_id, class_id, shares, paid_cents, effective_on, counterparty_person_id, \
    ledger_transaction_id, note, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
/// Holdings at a date ($1), optionally of one person ($2). Only positive holdings.
/// Sums are cast back to BIGINT: PostgreSQL's SUM(bigint) is a NUMERIC.
const HOLDINGS_AT: &str = "SELECT o.person_id, o.class_id, CAST(SUM(o.shares) AS BIGINT) AS shares, \
    CAST(SUM(o.paid_cents) AS BIGINT) AS paid_cents, c.nominal_cents, c.votes_per_share \
    FROM share_operations o JOIN share_classes c ON c.id = o.class_id \
    WHERE o.effective_on <= $1 AND (CAST($2 AS BIGINT) IS NULL OR o.person_id = $2) \
    GROUP BY o.person_id, o.class_id, c.nominal_cents, c.votes_per_share \
    HAVING SUM(o.shares) > 0 ORDER BY o.person_id, o.class_id";

/// Appends one operation to the register inside the transaction `$tx`, with the next
/// gap-free number, and audits it. Evaluates to the written [`ShareOperationRecord`].
macro_rules! insert_share_operation_in {
    ($tx:ident, $ctx:expr, $op:expr) => {{
        let op: &$crate::shares::NewShareOperation = $op;
        let (number,): (i64,) = sqlx::query_as($crate::shares::NEXT_NUMBER)
            .fetch_one(&mut *$tx)
            .await?;
        let now = $crate::now_micros();
        let (id,): (i64,) = sqlx::query_as($crate::shares::OPERATION_INSERT)
            .bind(number)
            .bind(op.kind)
            .bind(op.person_id)
            .bind(op.class_id)
            .bind(op.shares)
            .bind(op.paid_cents)
            .bind(op.effective_on.to_string())
            .bind(op.counterparty_person_id)
            .bind(op.ledger_transaction_id)
            .bind(&op.note)
            .bind($ctx.actor_account_id)
            .bind(now)
            .fetch_one(&mut *$tx)
            .await?;
        let record = $crate::shares::ShareOperationRecord {
            id,
            number,
            kind: op.kind.to_string(),
            person_id: op.person_id,
            class_id: op.class_id,
            shares: op.shares,
            paid_cents: op.paid_cents,
            effective_on: op.effective_on.to_string(),
            counterparty_person_id: op.counterparty_person_id,
            ledger_transaction_id: op.ledger_transaction_id,
            note: op.note.clone(),
            created_by: $ctx.actor_account_id,
            created_at: now,
        };
        audit!(
            $tx,
            $ctx,
            "share.operation",
            "share_operation",
            Some(id),
            None::<&()>,
            Some(&record)
        );
        record
    }};
}

#[allow(unused_imports)]
pub(crate) use insert_share_operation_in;

impl Store {
    /// Creates a share class; codes are unique, ignoring case.
    pub async fn create_share_class(
        &self,
        ctx: &AuditContext,
        class: &NewShareClass,
    ) -> Result<ShareClassRecord> {
        write_tx!(self, tx => {
            let taken: Option<(i64,)> = sqlx::query_as(CLASS_TAKEN)
                .bind(&class.code)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate { field: "code" });
            }
            let now = now_micros();
            let (id,): (i64,) = sqlx::query_as(CLASS_INSERT)
                .bind(&class.code)
                .bind(&class.name)
                .bind(class.nominal_cents)
                .bind(class.votes_per_share)
                .bind(&class.eligible)
                .bind(class.minimum_holding)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let record = ShareClassRecord {
                id,
                code: class.code.clone(),
                name: class.name.clone(),
                nominal_cents: class.nominal_cents,
                votes_per_share: class.votes_per_share,
                eligible: class.eligible.clone(),
                minimum_holding: class.minimum_holding,
                created_at: now,
                updated_at: now,
            };
            audit!(tx, ctx, "share-class.create", "share_class", Some(id), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    /// Every share class (a cooperative has a handful), by code.
    pub async fn share_classes(&self) -> Result<Vec<ShareClassRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ShareClassRecord>(CLASSES).fetch_all(pool).await?)
        })
    }

    /// Enters an existing holding into the register (kind `opening`): how a cooperative
    /// that kept its register elsewhere starts in ruche. The shares count as fully paid up
    /// to `paid_cents`.
    pub async fn record_opening_holding(
        &self,
        ctx: &AuditContext,
        op: &NewShareOperation,
    ) -> Result<ShareOperationRecord> {
        if op.kind != "opening" || op.shares <= 0 || op.paid_cents < 0 {
            return Err(StoreError::Conflict(
                "an opening holding is a positive number of shares",
            ));
        }
        write_tx!(self, tx => {
            let record = insert_share_operation_in!(tx, ctx, op);
            Ok(record)
        })
    }

    /// What everyone (or one person) holds at the end of `on`, per class, with the class's
    /// nominal value and votes per share.
    pub async fn holdings_at(&self, on: Date, person_id: Option<i64>) -> Result<Vec<Holding>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, Holding>(HOLDINGS_AT)
                .bind(on.to_string())
                .bind(person_id)
                .fetch_all(pool)
                .await?)
        })
    }
}

// ---------------------------------------------------------------------------------------
// Subscriptions, payments, transfers, exits (resignations and exclusions) and the views of
// the register: at a date, the numbered journal, a member's extract, the year's movements.
// Persons in ruche are natural persons: they are `HolderKind::Individual` for the classes'
// eligibility.

use ruche_domain::governance::params::params_on;
use ruche_domain::governance::shares::{
    ClassRules, DistributionTests, Eligibility, ExitDecision, HolderKind, NewExit, NewPayment,
    NewSubscription, NewTransfer, Reason, RefundStatus, SubscriptionStatus, check_payment,
    check_subscription, check_transfer, decide_exit,
};
use ruche_domain::ident::Iban;
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_domain::payout::{NewPayout, PayoutKind, PostalAddress, Remittance};
use ruche_domain::validate::FieldErrors;

use crate::{Page, PageRequest};

/// A subscription request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ShareSubscriptionRecord {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub class_id: i64,
    pub class_code: String,
    pub nominal_cents: i64,
    pub shares: i64,
    pub requested_on: String,
    pub status: String,
    pub paid_cents: i64,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub refused_on: Option<String>,
    pub operation_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ShareSubscriptionRecord {
    pub fn status(&self) -> Result<SubscriptionStatus> {
        SubscriptionStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("subscription status {}", self.status)))
    }

    /// What the shares cost at their nominal value.
    pub fn due_cents(&self) -> i64 {
        self.shares.saturating_mul(self.nominal_cents)
    }
}

/// A resignation or an exclusion as stored, with its refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ShareExitRecord {
    pub id: i64,
    pub kind: String,
    pub person_id: i64,
    pub person_name: String,
    pub class_id: i64,
    pub class_code: String,
    pub notice_on: String,
    pub effective_on: String,
    pub shares: i64,
    pub paid_up_cents: i64,
    pub nav_per_share_cents: i64,
    pub accounts_on: String,
    pub nav_cents: i64,
    pub nominal_cents: i64,
    pub cap_cents: i64,
    pub refund_cents: i64,
    pub refund_status: String,
    pub net_assets_ok: bool,
    pub liquidity_ok: bool,
    pub tests_evidence: String,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub entity_id: i64,
    pub operation_id: i64,
    pub ledger_transaction_id: Option<i64>,
    pub payout_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ShareExitRecord {
    pub fn refund_status(&self) -> Result<RefundStatus> {
        RefundStatus::parse(&self.refund_status)
            .ok_or_else(|| StoreError::Corrupt(format!("refund status {}", self.refund_status)))
    }
}

/// One line of the register at a date: a holder's shares of one class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RegisterLine {
    pub person_id: i64,
    pub person_name: String,
    pub class_id: i64,
    pub class_code: String,
    pub shares: i64,
    pub paid_cents: i64,
    pub nominal_cents: i64,
    pub votes_per_share: i64,
}

/// The register's totals at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, sqlx::FromRow)]
pub struct RegisterTotals {
    pub holders: i64,
    pub shares: i64,
    /// Subscribed capital: shares × nominal.
    pub subscribed_cents: i64,
    /// Paid-up capital.
    pub paid_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterAt {
    pub on: String,
    pub lines: Page<RegisterLine>,
    pub totals: RegisterTotals,
}

/// One numbered operation of the journal, with the names it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OperationRow {
    pub id: i64,
    pub number: i64,
    pub kind: String,
    pub person_id: i64,
    pub person_name: String,
    pub class_code: String,
    pub shares: i64,
    pub paid_cents: i64,
    pub effective_on: String,
    pub counterparty_person_id: Option<i64>,
    pub counterparty_name: Option<String>,
    pub note: String,
}

/// Filters of the operations journal; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct OperationFilter {
    pub person_id: Option<i64>,
    pub kind: Option<String>,
    pub year: Option<i32>,
}

/// A member's extract of the register at a date: holdings and the operations up to it.
#[derive(Debug, Clone, Serialize)]
pub struct ShareExtract {
    pub person_id: i64,
    pub person_name: String,
    pub on: String,
    pub holdings: Vec<RegisterLine>,
    pub operations: Vec<OperationRow>,
}

impl ShareExtract {
    pub fn shares(&self) -> i64 {
        self.holdings.iter().map(|h| h.shares).sum()
    }

    pub fn paid_cents(&self) -> i64 {
        self.holdings.iter().map(|h| h.paid_cents).sum()
    }
}

/// One refund of the year, for the special report (ES-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RefundRow {
    pub person_id: i64,
    pub name: String,
    pub refund_cents: i64,
    pub cap_cents: i64,
    /// The nominal value of the shares given up: the ES cap (ES-5).
    pub nominal_cents: i64,
    pub status: String,
}

/// The register's movements of a calendar year (CNC special report: admissions,
/// exclusions, refused applications; ES-5 refunds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareYear {
    pub year: i32,
    /// Subscriptions entered in the register in the year (their first payment).
    pub admissions: i64,
    pub resignations: i64,
    pub exclusions: i64,
    pub refused_requests: i64,
    pub refunds: Vec<RefundRow>,
    pub holders_at_year_end: i64,
    /// Paid-up capital at the year end.
    pub capital_at_year_end_cents: i64,
}

/// `Refused` field error: the person named does not exist.
fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

macro_rules! subscription_select {
    () => {
        "SELECT s.id, s.person_id, p.first_name || ' ' || p.last_name AS person_name, \
         s.class_id, c.code AS class_code, c.nominal_cents, s.shares, s.requested_on, s.status, \
         s.paid_cents, s.reason_code, s.reason_text, s.refused_on, s.operation_id, s.created_at, \
         s.updated_at FROM share_subscriptions s JOIN persons p ON p.id = s.person_id \
         JOIN share_classes c ON c.id = s.class_id "
    };
}
macro_rules! exit_select {
    () => {
        "SELECT x.id, x.kind, x.person_id, p.first_name || ' ' || p.last_name AS person_name, \
         x.class_id, c.code AS class_code, x.notice_on, x.effective_on, x.shares, x.paid_up_cents, \
         x.nav_per_share_cents, x.accounts_on, x.nav_cents, x.nominal_cents, x.cap_cents, \
         x.refund_cents, x.refund_status, x.net_assets_ok, x.liquidity_ok, x.tests_evidence, \
         x.reason_code, x.reason_text, x.entity_id, x.operation_id, x.ledger_transaction_id, \
         x.payout_id, x.created_at, x.updated_at FROM share_exits x \
         JOIN persons p ON p.id = x.person_id JOIN share_classes c ON c.id = x.class_id "
    };
}
macro_rules! operation_select {
    () => {
        "SELECT o.id, o.number, o.kind, o.person_id, p.first_name || ' ' || p.last_name AS person_name, \
         c.code AS class_code, o.shares, o.paid_cents, o.effective_on, o.counterparty_person_id, \
         q.first_name || ' ' || q.last_name AS counterparty_name, o.note \
         FROM share_operations o JOIN persons p ON p.id = o.person_id \
         JOIN share_classes c ON c.id = o.class_id \
         LEFT JOIN persons q ON q.id = o.counterparty_person_id "
    };
}

const CLASS_GET: &str = "SELECT id, code, name, nominal_cents, votes_per_share, eligible, \
    minimum_holding, created_at, updated_at FROM share_classes WHERE id = $1";
const PERSON_FOR_SHARES: &str = "SELECT first_name || ' ' || last_name, iban, street, postcode, \
    city, country FROM persons WHERE id = $1";
const ENTITY_EXISTS: &str = "SELECT id FROM legal_entities WHERE id = $1";
/// What one person holds of one class, every operation counted (also those effective
/// later: a resignation effective at the end of the window already counts).
const HELD_NOW: &str = "SELECT CAST(COALESCE(SUM(shares), 0) AS BIGINT), \
    CAST(COALESCE(SUM(paid_cents), 0) AS BIGINT) FROM share_operations \
    WHERE person_id = $1 AND class_id = $2";
const SUBSCRIPTION_INSERT: &str = "INSERT INTO share_subscriptions (person_id, class_id, shares, \
    requested_on, status, paid_cents, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, 'requested', 0, $5, $6, $6) RETURNING id";
const SUBSCRIPTION_GET: &str = concat!(subscription_select!(), "WHERE s.id = $1");
const SUBSCRIPTION_COUNT: &str = "SELECT COUNT(*) FROM share_subscriptions \
    WHERE (CAST($1 AS TEXT) IS NULL OR status = $1)";
const SUBSCRIPTION_LIST: &str = concat!(
    subscription_select!(),
    "WHERE (CAST($1 AS TEXT) IS NULL OR s.status = $1) \
     ORDER BY s.requested_on DESC, s.id DESC LIMIT $2 OFFSET $3"
);
const SUBSCRIPTION_REFUSE: &str = "UPDATE share_subscriptions SET status = 'refused', \
    reason_code = $1, reason_text = $2, refused_on = $3, updated_at = $4 \
    WHERE id = $5 AND status = 'requested'";
const SUBSCRIPTION_PAID: &str = "UPDATE share_subscriptions SET status = $1, paid_cents = $2, \
    operation_id = COALESCE(operation_id, $3), updated_at = $4 WHERE id = $5 AND paid_cents = $6";
const PAYMENT_INSERT: &str = "INSERT INTO share_payments (subscription_id, paid_on, amount_cents, \
    entity_id, operation_id, ledger_transaction_id, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const STATUTE_RULES_ON: &str = "SELECT resignation_months, partial_resignation_allowed \
    FROM statute_versions WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1";
const EXIT_INSERT: &str = "INSERT INTO share_exits (kind, person_id, class_id, notice_on, \
    effective_on, shares, paid_up_cents, nav_per_share_cents, accounts_on, nav_cents, \
    nominal_cents, cap_cents, refund_cents, refund_status, net_assets_ok, liquidity_ok, \
    tests_evidence, reason_code, reason_text, entity_id, operation_id, created_by, created_at, \
    updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
    $17, $18, $19, $20, $21, $22, $23, $23) RETURNING id";
const EXIT_GET: &str = concat!(exit_select!(), "WHERE x.id = $1");
const EXIT_COUNT: &str = "SELECT COUNT(*) FROM share_exits \
    WHERE (CAST($1 AS TEXT) IS NULL OR refund_status = $1)";
const EXIT_LIST: &str = concat!(
    exit_select!(),
    "WHERE (CAST($1 AS TEXT) IS NULL OR x.refund_status = $1) \
     ORDER BY x.effective_on DESC, x.id DESC LIMIT $2 OFFSET $3"
);
const EXIT_SET_PAYOUT: &str = "UPDATE share_exits SET payout_id = $1 WHERE id = $2";
const EXIT_SET_LEDGER: &str = "UPDATE share_exits SET ledger_transaction_id = $1 WHERE id = $2";
const EXIT_SET_TESTS: &str = "UPDATE share_exits SET refund_status = $1, net_assets_ok = $2, \
    liquidity_ok = $3, tests_evidence = $4, payout_id = COALESCE($5, payout_id), updated_at = $6 \
    WHERE id = $7 AND refund_status = $8";
const REGISTER_AT: &str = "SELECT o.person_id, p.first_name || ' ' || p.last_name AS person_name, \
    o.class_id, c.code AS class_code, CAST(SUM(o.shares) AS BIGINT) AS shares, \
    CAST(SUM(o.paid_cents) AS BIGINT) AS paid_cents, c.nominal_cents, c.votes_per_share \
    FROM share_operations o JOIN share_classes c ON c.id = o.class_id \
    JOIN persons p ON p.id = o.person_id \
    WHERE o.effective_on <= $1 AND (CAST($2 AS BIGINT) IS NULL OR o.person_id = $2) \
    GROUP BY o.person_id, p.first_name, p.last_name, o.class_id, c.code, c.nominal_cents, \
    c.votes_per_share HAVING SUM(o.shares) > 0 \
    ORDER BY p.last_name, p.first_name, o.person_id, c.code LIMIT $3 OFFSET $4";
/// The totals of the positive holdings at $1: holders, shares, subscribed and paid-up capital.
const REGISTER_TOTALS: &str = "SELECT CAST(COUNT(DISTINCT h.person_id) AS BIGINT) AS holders, \
    CAST(COALESCE(SUM(h.shares), 0) AS BIGINT) AS shares, \
    CAST(COALESCE(SUM(h.shares * h.nominal_cents), 0) AS BIGINT) AS subscribed_cents, \
    CAST(COALESCE(SUM(h.paid_cents), 0) AS BIGINT) AS paid_cents FROM ( \
    SELECT o.person_id, SUM(o.shares) AS shares, SUM(o.paid_cents) AS paid_cents, c.nominal_cents \
    FROM share_operations o JOIN share_classes c ON c.id = o.class_id WHERE o.effective_on <= $1 \
    GROUP BY o.person_id, o.class_id, c.nominal_cents HAVING SUM(o.shares) > 0) h";
const REGISTER_LINES_COUNT: &str = "SELECT COUNT(*) FROM (SELECT o.person_id, o.class_id \
    FROM share_operations o WHERE o.effective_on <= $1 GROUP BY o.person_id, o.class_id \
    HAVING SUM(o.shares) > 0) h";
const OPERATION_COUNT: &str = "SELECT COUNT(*) FROM share_operations o \
    WHERE (CAST($1 AS BIGINT) IS NULL OR o.person_id = $1) \
    AND (CAST($2 AS TEXT) IS NULL OR o.kind = $2) \
    AND (CAST($3 AS TEXT) IS NULL OR o.effective_on >= $3) \
    AND (CAST($4 AS TEXT) IS NULL OR o.effective_on <= $4)";
const OPERATION_LIST: &str = concat!(
    operation_select!(),
    "WHERE (CAST($1 AS BIGINT) IS NULL OR o.person_id = $1) \
     AND (CAST($2 AS TEXT) IS NULL OR o.kind = $2) \
     AND (CAST($3 AS TEXT) IS NULL OR o.effective_on >= $3) \
     AND (CAST($4 AS TEXT) IS NULL OR o.effective_on <= $4) \
     ORDER BY o.number DESC LIMIT $5 OFFSET $6"
);
const EXTRACT_OPERATIONS: &str = concat!(
    operation_select!(),
    "WHERE o.person_id = $1 AND o.effective_on <= $2 ORDER BY o.number LIMIT 1000"
);
const YEAR_ADMISSIONS: &str = "SELECT COUNT(*) FROM share_operations \
    WHERE kind = 'subscription' AND effective_on >= $1 AND effective_on <= $2";
const YEAR_EXITS: &str = "SELECT COUNT(*) FROM share_exits \
    WHERE kind = $1 AND effective_on >= $2 AND effective_on <= $3";
const YEAR_REFUSED: &str = "SELECT COUNT(*) FROM share_subscriptions \
    WHERE status = 'refused' AND refused_on >= $1 AND refused_on <= $2";
const YEAR_REFUNDS: &str = "SELECT x.person_id, p.first_name || ' ' || p.last_name AS name, \
    x.refund_cents, x.cap_cents, x.nominal_cents, x.refund_status AS status FROM share_exits x \
    JOIN persons p ON p.id = x.person_id \
    WHERE x.effective_on >= $1 AND x.effective_on <= $2 ORDER BY x.effective_on, x.id LIMIT 10000";

fn class_rules(class: &ShareClassRecord) -> Result<ClassRules> {
    Ok(ClassRules {
        nominal_cents: class.nominal_cents,
        votes_per_share: class.votes_per_share,
        eligible: Eligibility::parse(&class.eligible)
            .ok_or_else(|| StoreError::Corrupt(format!("class eligibility {}", class.eligible)))?,
        minimum_holding: class.minimum_holding,
    })
}

fn ledger(e: ruche_domain::ledger::LedgerError) -> StoreError {
    StoreError::Corrupt(format!("share transaction refused: {e}"))
}

/// The person's name, IBAN and address, as a payout needs them.
type PersonForShares = (String, Option<String>, String, String, String, String);

/// Builds the refund's payout order: kind `other`, from `share-refunds:payable`, to the
/// member's IBAN; `None` when the member has no valid IBAN.
fn refund_payout(
    person: &PersonForShares,
    exit_id: i64,
    person_id: i64,
    entity_id: i64,
    amount_cents: i64,
    on: Date,
) -> Option<NewPayout> {
    let (name, iban, street, postcode, city, country) = person;
    let iban = Iban::parse(iban.as_deref()?).ok()?;
    Some(NewPayout {
        kind: PayoutKind::Other,
        entity_id,
        beneficiary_name: name.clone(),
        iban,
        bic: None,
        address: PostalAddress {
            street: Some(street.clone()).filter(|s| !s.is_empty()),
            building_number: None,
            postcode: Some(postcode.clone()).filter(|s| !s.is_empty()),
            town: city.clone(),
            country: country.clone(),
        },
        amount_cents,
        remittance: Some(Remittance::Text(format!(
            "Remboursement parts / terugbetaling aandelen {exit_id}"
        ))),
        ledger_account: AccountCode::ShareRefundsPayable,
        activity_id: None,
        person_id: Some(person_id),
        source: Some(("share-exit".to_string(), exit_id)),
        requested_on: on,
    })
}

impl Store {
    pub async fn share_class(&self, id: i64) -> Result<ShareClassRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ShareClassRecord>(CLASS_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Records a subscription request, refused (nothing written) when the class or the
    /// person is unknown, the person is not eligible for the class, or the request leaves
    /// them below the class's minimum holding.
    pub async fn request_subscription(
        &self,
        ctx: &AuditContext,
        new: &NewSubscription,
    ) -> Result<ShareSubscriptionRecord> {
        write_tx!(self, tx => {
            let class = sqlx::query_as::<_, ShareClassRecord>(CLASS_GET)
                .bind(new.class_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| refused("shr_class", "required"))?;
            let person: Option<PersonForShares> = sqlx::query_as(PERSON_FOR_SHARES)
                .bind(new.person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if person.is_none() {
                return Err(refused("shr_person", "required"));
            }
            let (held, _): (i64, i64) = sqlx::query_as(HELD_NOW)
                .bind(new.person_id)
                .bind(new.class_id)
                .fetch_one(&mut *tx)
                .await?;
            check_subscription(&class_rules(&class)?, HolderKind::Individual, held, new.shares)
                .map_err(StoreError::Refused)?;
            let now = now_micros();
            let (id,): (i64,) = sqlx::query_as(SUBSCRIPTION_INSERT)
                .bind(new.person_id)
                .bind(new.class_id)
                .bind(new.shares)
                .bind(new.requested_on.to_string())
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, ShareSubscriptionRecord>(SUBSCRIPTION_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "share-subscription.request", "share_subscription", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn share_subscription(&self, id: i64) -> Result<ShareSubscriptionRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ShareSubscriptionRecord>(SUBSCRIPTION_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The subscription requests, newest first, optionally of one status.
    pub async fn share_subscriptions(
        &self,
        status: Option<SubscriptionStatus>,
        page: PageRequest,
    ) -> Result<Page<ShareSubscriptionRecord>> {
        let status = status.map(|s| s.code());
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(SUBSCRIPTION_COUNT)
                .bind(status)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, ShareSubscriptionRecord>(SUBSCRIPTION_LIST)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Refuses a request for an objective reason (CNC-1); only a request not yet paid.
    pub async fn refuse_subscription(
        &self,
        ctx: &AuditContext,
        id: i64,
        reason: &Reason,
        on: Date,
    ) -> Result<ShareSubscriptionRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ShareSubscriptionRecord>(SUBSCRIPTION_GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if !before.status()?.can_refuse() {
                return Err(refused("shr_reason_code", "shr-subscription-status"));
            }
            let done = sqlx::query(SUBSCRIPTION_REFUSE)
                .bind(reason.code.code())
                .bind(&reason.text)
                .bind(on.to_string())
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("shr_reason_code", "shr-subscription-status"));
            }
            let after = sqlx::query_as::<_, ShareSubscriptionRecord>(SUBSCRIPTION_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "share-subscription.refuse", "share_subscription", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Records a payment on a subscription: the bank of `entity_id` → the share capital
    /// (`share-subscription`), and a register line: the shares (`subscription`) at the first
    /// payment, the paid-up capital alone (`pay_up`) at the next ones. Never beyond the
    /// nominal value of the shares.
    pub async fn record_share_payment(
        &self,
        ctx: &AuditContext,
        subscription_id: i64,
        payment: &NewPayment,
    ) -> Result<ShareSubscriptionRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ShareSubscriptionRecord>(SUBSCRIPTION_GET)
                .bind(subscription_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if !before.status()?.can_pay() {
                return Err(refused("shr_amount", "shr-subscription-status"));
            }
            check_payment(before.shares, before.nominal_cents, before.paid_cents, payment.amount_cents)
                .map_err(StoreError::Refused)?;
            let entity: Option<(i64,)> = sqlx::query_as(ENTITY_EXISTS)
                .bind(payment.entity_id)
                .fetch_optional(&mut *tx)
                .await?;
            if entity.is_none() {
                return Err(refused("shr_entity", "required"));
            }
            let transaction = NewTransaction::new(
                TransactionKind::ShareSubscription,
                payment.paid_on,
                format!("shares {} of person {}", before.class_code, before.person_id),
                Some(("share-subscription".to_string(), subscription_id)),
                vec![
                    Posting::debit(AccountCode::EntityBank(payment.entity_id), payment.amount_cents),
                    Posting::credit(AccountCode::ShareCapital, payment.amount_cents),
                ],
            )
            .map_err(ledger)?;
            let transaction_id = crate::ledger::post_in!(tx, ctx, &transaction);
            let first = before.operation_id.is_none();
            let op = NewShareOperation {
                kind: if first { "subscription" } else { "pay_up" },
                person_id: before.person_id,
                class_id: before.class_id,
                shares: if first { before.shares } else { 0 },
                paid_cents: payment.amount_cents,
                effective_on: payment.paid_on,
                counterparty_person_id: None,
                ledger_transaction_id: Some(transaction_id),
                note: format!("subscription {subscription_id}"),
            };
            let operation = insert_share_operation_in!(tx, ctx, &op);
            let paid = before.paid_cents + payment.amount_cents;
            let status = if paid >= before.due_cents() {
                SubscriptionStatus::Paid
            } else {
                SubscriptionStatus::PartlyPaid
            };
            let now = now_micros();
            let done = sqlx::query(SUBSCRIPTION_PAID)
                .bind(status.code())
                .bind(paid)
                .bind(operation.id)
                .bind(now)
                .bind(subscription_id)
                .bind(before.paid_cents)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("shr_amount", "shr-subscription-status"));
            }
            let (payment_id,): (i64,) = sqlx::query_as(PAYMENT_INSERT)
                .bind(subscription_id)
                .bind(payment.paid_on.to_string())
                .bind(payment.amount_cents)
                .bind(payment.entity_id)
                .bind(operation.id)
                .bind(transaction_id)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "share-payment.create", "share_payment", Some(payment_id), None::<&()>, Some(payment));
            let after = sqlx::query_as::<_, ShareSubscriptionRecord>(SUBSCRIPTION_GET)
                .bind(subscription_id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "share-subscription.pay", "share_subscription", Some(subscription_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Transfers shares between two persons: two register lines with consecutive numbers
    /// (`transfer_out` then `transfer_in`), the paid-up capital going with the shares. The
    /// receiver must be eligible for the class; both keep nothing or at least the minimum.
    pub async fn transfer_shares(
        &self,
        ctx: &AuditContext,
        transfer: &NewTransfer,
    ) -> Result<(ShareOperationRecord, ShareOperationRecord)> {
        write_tx!(self, tx => {
            let class = sqlx::query_as::<_, ShareClassRecord>(CLASS_GET)
                .bind(transfer.class_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| refused("shr_class", "required"))?;
            for (field, id) in [("shr_from", transfer.from_person_id), ("shr_to", transfer.to_person_id)] {
                let person: Option<PersonForShares> = sqlx::query_as(PERSON_FOR_SHARES)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if person.is_none() {
                    return Err(refused(field, "required"));
                }
            }
            let (held, held_paid): (i64, i64) = sqlx::query_as(HELD_NOW)
                .bind(transfer.from_person_id)
                .bind(transfer.class_id)
                .fetch_one(&mut *tx)
                .await?;
            let (receiver_held, _): (i64, i64) = sqlx::query_as(HELD_NOW)
                .bind(transfer.to_person_id)
                .bind(transfer.class_id)
                .fetch_one(&mut *tx)
                .await?;
            let terms = check_transfer(
                &class_rules(&class)?,
                held,
                held_paid,
                HolderKind::Individual,
                receiver_held,
                transfer.shares,
            )
            .map_err(StoreError::Refused)?;
            let out = NewShareOperation {
                kind: "transfer_out",
                person_id: transfer.from_person_id,
                class_id: transfer.class_id,
                shares: -transfer.shares,
                paid_cents: -terms.paid_cents,
                effective_on: transfer.transferred_on,
                counterparty_person_id: Some(transfer.to_person_id),
                ledger_transaction_id: None,
                note: String::new(),
            };
            let out = insert_share_operation_in!(tx, ctx, &out);
            let into = NewShareOperation {
                kind: "transfer_in",
                person_id: transfer.to_person_id,
                class_id: transfer.class_id,
                shares: transfer.shares,
                paid_cents: terms.paid_cents,
                effective_on: transfer.transferred_on,
                counterparty_person_id: Some(transfer.from_person_id),
                ledger_transaction_id: None,
                note: format!("transfer {}", out.number),
            };
            let into = insert_share_operation_in!(tx, ctx, &into);
            Ok((out, into))
        })
    }

    /// Records a resignation (`exclusion = false`) or an exclusion: refused, nothing written,
    /// outside the statutory window (from the statutes in force at the notice, else the CSA
    /// default of the dated parameters), for part of the shares when the statutes do not
    /// allow it, or when the refund set is above the cap (ES-5). Writes the register line
    /// (the shares and their paid-up capital leave on the effective date), posts the
    /// `share-refund` transaction, and creates the refund's payout order when both
    /// distribution tests pass; otherwise the refund is suspended (TV-14).
    pub async fn record_share_exit(
        &self,
        ctx: &AuditContext,
        exclusion: bool,
        exit: &NewExit,
    ) -> Result<ShareExitRecord> {
        write_tx!(self, tx => {
            let class = sqlx::query_as::<_, ShareClassRecord>(CLASS_GET)
                .bind(exit.class_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| refused("shr_class", "required"))?;
            let person: PersonForShares = sqlx::query_as(PERSON_FOR_SHARES)
                .bind(exit.person_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| refused("shr_person", "required"))?;
            let entity: Option<(i64,)> = sqlx::query_as(ENTITY_EXISTS)
                .bind(exit.entity_id)
                .fetch_optional(&mut *tx)
                .await?;
            if entity.is_none() {
                return Err(refused("shr_entity", "required"));
            }
            let statutes: Option<(i64, bool)> = sqlx::query_as(STATUTE_RULES_ON)
                .bind(exit.notice_on.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            let (months, partial) = match statutes {
                Some((months, partial)) => (u32::try_from(months).unwrap_or(6), partial),
                None => (
                    params_on(exit.notice_on)
                        .map(|p| p.default_resignation_months)
                        .unwrap_or(6),
                    false,
                ),
            };
            let (held, held_paid): (i64, i64) = sqlx::query_as(HELD_NOW)
                .bind(exit.person_id)
                .bind(exit.class_id)
                .fetch_one(&mut *tx)
                .await?;
            let decision: ExitDecision = decide_exit(
                exit,
                exclusion,
                &class_rules(&class)?,
                held,
                held_paid,
                months,
                partial,
            )
            .map_err(|e| StoreError::Refused(e.to_field_errors()))?;
            let payout_needed = decision.status == RefundStatus::Ordered;
            if payout_needed && person.1.as_deref().and_then(|i| Iban::parse(i).ok()).is_none() {
                return Err(refused("shr_person", "shr-no-iban"));
            }
            let kind = if exclusion { "exclusion" } else { "resignation" };
            let r = decision.refund;
            let op = NewShareOperation {
                kind,
                person_id: exit.person_id,
                class_id: exit.class_id,
                shares: -r.shares,
                paid_cents: -r.paid_up_cents,
                effective_on: decision.effective_on,
                counterparty_person_id: None,
                ledger_transaction_id: None,
                note: exit
                    .reason
                    .as_ref()
                    .map(|reason| reason.text.clone())
                    .unwrap_or_default(),
            };
            let operation = insert_share_operation_in!(tx, ctx, &op);
            let now = now_micros();
            let (id,): (i64,) = sqlx::query_as(EXIT_INSERT)
                .bind(kind)
                .bind(exit.person_id)
                .bind(exit.class_id)
                .bind(exit.notice_on.to_string())
                .bind(decision.effective_on.to_string())
                .bind(r.shares)
                .bind(r.paid_up_cents)
                .bind(exit.nav_per_share_cents)
                .bind(exit.accounts_on.to_string())
                .bind(r.nav_cents)
                .bind(r.nominal_cents)
                .bind(r.cap_cents)
                .bind(r.refund_cents)
                .bind(decision.status.code())
                .bind(exit.tests.net_assets_ok)
                .bind(exit.tests.liquidity_ok)
                .bind(&exit.tests.evidence)
                .bind(exit.reason.as_ref().map(|reason| reason.code.code()))
                .bind(exit.reason.as_ref().map(|reason| reason.text.as_str()))
                .bind(exit.entity_id)
                .bind(operation.id)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            // The paid-up capital leaves the share capital: the refund becomes a debt, the
            // rest (a refund capped below the paid-up capital) stays in equity.
            if r.paid_up_cents > 0 {
                let mut postings = vec![Posting::debit(AccountCode::ShareCapital, r.paid_up_cents)];
                if r.refund_cents > 0 {
                    postings.push(Posting::credit(AccountCode::ShareRefundsPayable, r.refund_cents));
                }
                if r.paid_up_cents > r.refund_cents {
                    postings.push(Posting::credit(
                        AccountCode::CapitalNotRefunded,
                        r.paid_up_cents - r.refund_cents,
                    ));
                }
                let transaction = NewTransaction::new(
                    TransactionKind::ShareRefund,
                    decision.effective_on,
                    format!("{kind} of person {}", exit.person_id),
                    Some(("share-exit".to_string(), id)),
                    postings,
                )
                .map_err(ledger)?;
                let transaction_id = crate::ledger::post_in!(tx, ctx, &transaction);
                sqlx::query(EXIT_SET_LEDGER)
                    .bind(transaction_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            if payout_needed {
                let order = refund_payout(&person, id, exit.person_id, exit.entity_id, r.refund_cents, decision.effective_on)
                    .ok_or_else(|| refused("shr_person", "shr-no-iban"))?;
                let payout = crate::payouts::insert_payout_in!(tx, ctx, &order);
                sqlx::query(EXIT_SET_PAYOUT)
                    .bind(payout.id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = sqlx::query_as::<_, ShareExitRecord>(EXIT_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "share-exit.create", "share_exit", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Records the distribution tests again for a suspended refund, on `on`: when both pass,
    /// the refund's payout order is created (it goes in the next SEPA batch); otherwise the
    /// refund stays suspended with the new evidence.
    pub async fn release_share_refund(
        &self,
        ctx: &AuditContext,
        exit_id: i64,
        tests: &DistributionTests,
        on: Date,
    ) -> Result<ShareExitRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ShareExitRecord>(EXIT_GET)
                .bind(exit_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if before.refund_status()? != RefundStatus::Suspended {
                return Err(refused("shr_net_assets_ok", "shr-refund-not-suspended"));
            }
            let status = RefundStatus::after_tests(before.refund_cents, tests.net_assets_ok, tests.liquidity_ok);
            let payout_id = if status == RefundStatus::Ordered {
                let person: PersonForShares = sqlx::query_as(PERSON_FOR_SHARES)
                    .bind(before.person_id)
                    .fetch_one(&mut *tx)
                    .await?;
                let order = refund_payout(&person, exit_id, before.person_id, before.entity_id, before.refund_cents, on)
                    .ok_or_else(|| refused("shr_net_assets_ok", "shr-no-iban"))?;
                let payout = crate::payouts::insert_payout_in!(tx, ctx, &order);
                Some(payout.id)
            } else {
                None
            };
            let done = sqlx::query(EXIT_SET_TESTS)
                .bind(status.code())
                .bind(tests.net_assets_ok)
                .bind(tests.liquidity_ok)
                .bind(&tests.evidence)
                .bind(payout_id)
                .bind(now_micros())
                .bind(exit_id)
                .bind(RefundStatus::Suspended.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("shr_net_assets_ok", "shr-refund-not-suspended"));
            }
            let after = sqlx::query_as::<_, ShareExitRecord>(EXIT_GET)
                .bind(exit_id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "share-exit.tests", "share_exit", Some(exit_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn share_exit(&self, id: i64) -> Result<ShareExitRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ShareExitRecord>(EXIT_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Resignations and exclusions, latest first, optionally of one refund status.
    pub async fn share_exits(
        &self,
        status: Option<RefundStatus>,
        page: PageRequest,
    ) -> Result<Page<ShareExitRecord>> {
        let status = status.map(|s| s.code());
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(EXIT_COUNT)
                .bind(status)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, ShareExitRecord>(EXIT_LIST)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The register at the end of `on`: holders by name, paged, and the totals.
    pub async fn share_register_at(&self, on: Date, page: PageRequest) -> Result<RegisterAt> {
        let day = on.to_string();
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(REGISTER_LINES_COUNT)
                .bind(&day)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, RegisterLine>(REGISTER_AT)
                .bind(&day)
                .bind(None::<i64>)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let totals = sqlx::query_as::<_, RegisterTotals>(REGISTER_TOTALS)
                .bind(&day)
                .fetch_one(pool)
                .await?;
            Ok(RegisterAt { on: day.clone(), lines: page.of(items, total), totals })
        })
    }

    /// The numbered journal of operations, latest number first.
    pub async fn share_operations(
        &self,
        filter: &OperationFilter,
        page: PageRequest,
    ) -> Result<Page<OperationRow>> {
        let from = filter.year.map(|y| format!("{y:04}-01-01"));
        let to = filter.year.map(|y| format!("{y:04}-12-31"));
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(OPERATION_COUNT)
                .bind(filter.person_id)
                .bind(filter.kind.as_deref())
                .bind(from.as_deref())
                .bind(to.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, OperationRow>(OPERATION_LIST)
                .bind(filter.person_id)
                .bind(filter.kind.as_deref())
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// A member's extract at the end of `on`: what they hold per class and every
    /// operation of theirs up to that day, by number.
    pub async fn share_extract(&self, person_id: i64, on: Date) -> Result<ShareExtract> {
        let day = on.to_string();
        with_db!(self, pool => {
            let person: PersonForShares = sqlx::query_as(PERSON_FOR_SHARES)
                .bind(person_id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            let holdings = sqlx::query_as::<_, RegisterLine>(REGISTER_AT)
                .bind(&day)
                .bind(Some(person_id))
                .bind(PageRequest::MAX_PER_PAGE)
                .bind(0i64)
                .fetch_all(pool)
                .await?;
            let operations = sqlx::query_as::<_, OperationRow>(EXTRACT_OPERATIONS)
                .bind(person_id)
                .bind(&day)
                .fetch_all(pool)
                .await?;
            Ok(ShareExtract { person_id, person_name: person.0, on: day.clone(), holdings, operations })
        })
    }

    /// The register's movements of calendar year `year`, for the special report.
    pub async fn share_year(&self, year: i32) -> Result<ShareYear> {
        let from = format!("{year:04}-01-01");
        let to = format!("{year:04}-12-31");
        with_db!(self, pool => {
            let (admissions,): (i64,) = sqlx::query_as(YEAR_ADMISSIONS)
                .bind(&from).bind(&to).fetch_one(pool).await?;
            let (resignations,): (i64,) = sqlx::query_as(YEAR_EXITS)
                .bind("resignation").bind(&from).bind(&to).fetch_one(pool).await?;
            let (exclusions,): (i64,) = sqlx::query_as(YEAR_EXITS)
                .bind("exclusion").bind(&from).bind(&to).fetch_one(pool).await?;
            let (refused_requests,): (i64,) = sqlx::query_as(YEAR_REFUSED)
                .bind(&from).bind(&to).fetch_one(pool).await?;
            let refunds = sqlx::query_as::<_, RefundRow>(YEAR_REFUNDS)
                .bind(&from).bind(&to).fetch_all(pool).await?;
            let totals = sqlx::query_as::<_, RegisterTotals>(REGISTER_TOTALS)
                .bind(&to).fetch_one(pool).await?;
            Ok(ShareYear {
                year,
                admissions,
                resignations,
                exclusions,
                refused_requests,
                refunds,
                holders_at_year_end: totals.holders,
                capital_at_year_end_cents: totals.paid_cents,
            })
        })
    }
}
