//! Internal trades between activities (C2): proposed by the seller, accepted or declined by
//! the buyer, cancelled by the proposer. Accepting writes the status and the ledger transfer
//! in one database transaction, or nothing at all.

use jiff::civil::Date;
use ruche_domain::activity::ActivityStatus;
use ruche_domain::budget::internal_trade::{
    NewTrade, TradeEvent, TradeStatus, buyer_can_pay, trade_transaction,
};
use ruche_domain::ledger::{AccountCode, AccountKind, LedgerError};
use serde::Serialize;

use crate::activities::ActivityRecord;
use crate::budget::LOCK_BUDGET;
use crate::conditions::{Conditions, Value, page_where};
use crate::ledger::post_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Conflict` code: the trade is no longer proposed (or never was), so this change is refused.
pub const REFUSED_STATUS: &str = "trade-status";
/// `Conflict` code: the seller or the buyer is not an active activity.
pub const REFUSED_NOT_ACTIVE: &str = "trade-activity-not-active";
/// `Conflict` code: the buyer's available budget is smaller than the amount.
pub const REFUSED_INSUFFICIENT_BUDGET: &str = "trade-insufficient-budget";

/// The most activities [`Store::active_activities_named`] returns.
pub const MAX_NAMESAKES: i64 = 20;

/// A trade as stored, with the names the pages show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InternalTradeRecord {
    pub id: i64,
    pub seller_activity_id: i64,
    pub seller_name: String,
    pub buyer_activity_id: i64,
    pub buyer_name: String,
    pub description: String,
    pub amount_cents: i64,
    pub status: String,
    /// The account that proposed it (`None`: ruche itself).
    pub proposed_by: Option<i64>,
    pub proposer_name: Option<String>,
    pub proposed_at: i64,
    pub decided_by: Option<i64>,
    pub decider_name: Option<String>,
    pub decided_at: Option<i64>,
    /// The `internal-trade` transaction, once accepted.
    pub ledger_transaction_id: Option<i64>,
}

impl InternalTradeRecord {
    pub fn status(&self) -> Result<TradeStatus> {
        TradeStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("internal trade status {}", self.status)))
    }

    fn as_new_trade(&self) -> NewTrade {
        NewTrade {
            seller_activity_id: self.seller_activity_id,
            buyer_activity_id: self.buyer_activity_id,
            description: self.description.clone(),
            amount_cents: self.amount_cents,
        }
    }
}

/// Filters of a list of trades; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct InternalTradeFilter {
    /// Trades where this activity sells or buys.
    pub activity_id: Option<i64>,
    /// Trades where this person holds the seller or the buyer (a member's view).
    pub holder: Option<i64>,
    /// Trades where the seller or the buyer belongs to one of these offices (an advisor's).
    pub offices: Option<Vec<i64>>,
    pub status: Option<TradeStatus>,
}

macro_rules! trade_select {
    () => {
        "SELECT t.id, t.seller_activity_id, s.name AS seller_name, t.buyer_activity_id, \
         b.name AS buyer_name, t.description, t.amount_cents, t.status, t.proposed_by, \
         pp.first_name || ' ' || pp.last_name AS proposer_name, t.proposed_at, t.decided_by, \
         dp.first_name || ' ' || dp.last_name AS decider_name, t.decided_at, \
         t.ledger_transaction_id \
         FROM internal_trades t \
         JOIN activities s ON s.id = t.seller_activity_id \
         JOIN activities b ON b.id = t.buyer_activity_id \
         LEFT JOIN accounts pa ON pa.id = t.proposed_by \
         LEFT JOIN persons pp ON pp.id = pa.person_id \
         LEFT JOIN accounts da ON da.id = t.decided_by \
         LEFT JOIN persons dp ON dp.id = da.person_id"
    };
}

const GET: &str = concat!(trade_select!(), " WHERE t.id = $1");
/// The trades' joins, for the count (the list reads them in `trade_select!`).
const COUNT_FROM: &str = "SELECT COUNT(*) FROM internal_trades t \
    JOIN activities s ON s.id = t.seller_activity_id \
    JOIN activities b ON b.id = t.buyer_activity_id";
const INSERT: &str = "INSERT INTO internal_trades (seller_activity_id, buyer_activity_id, \
    description, amount_cents, status, proposed_by, proposed_at) \
    VALUES ($1, $2, $3, $4, 'proposed', $5, $6) RETURNING id";
// Takes the trade's row lock (PostgreSQL) while it is still proposed: a second acceptance
// running at the same time waits here, then finds it no longer proposed.
const CLAIM: &str =
    "UPDATE internal_trades SET status = status WHERE id = $1 AND status = 'proposed'";
const DECIDE: &str = "UPDATE internal_trades SET status = $1, decided_by = $2, decided_at = $3, \
    ledger_transaction_id = $4 WHERE id = $5 AND status = 'proposed'";
const BUDGET_BALANCE: &str = "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = $1";
const NAMED: &str = "SELECT id, name FROM activities WHERE status = 'active' AND name = $1 \
    ORDER BY id LIMIT $2";

/// The activity `id` read in the transaction `$tx`, or `NotFound`.
macro_rules! activity_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, ActivityRecord>(crate::activities::GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

/// The trade `id` read in the transaction `$tx`, or `NotFound`.
macro_rules! trade_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, InternalTradeRecord>(GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

fn both_active(a: &ActivityRecord, b: &ActivityRecord) -> Result<()> {
    if a.status()? == ActivityStatus::Active && b.status()? == ActivityStatus::Active {
        Ok(())
    } else {
        Err(StoreError::Conflict(REFUSED_NOT_ACTIVE))
    }
}

fn ledger_refused(e: LedgerError) -> StoreError {
    match e {
        LedgerError::DateOutOfRange(_) => StoreError::Conflict("the date is before 1900"),
        other => StoreError::Corrupt(format!("internal trade transaction refused: {other}")),
    }
}

impl Store {
    pub async fn internal_trade(&self, id: i64) -> Result<InternalTradeRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, InternalTradeRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Trades, newest first.
    pub async fn internal_trades(
        &self,
        filter: &InternalTradeFilter,
        page: PageRequest,
    ) -> Result<Page<InternalTradeRecord>> {
        // Only the filters given (crate::conditions): an activity's trades are read by the
        // seller and buyer indexes instead of joining every activity.
        let mut conditions = Conditions::default();
        conditions.and_if(
            "(t.seller_activity_id = ?1 OR t.buyer_activity_id = ?1)",
            filter.activity_id,
        );
        conditions.and_if(
            "EXISTS (SELECT 1 FROM activity_holders h WHERE h.person_id = ?1 \
             AND h.activity_id IN (t.seller_activity_id, t.buyer_activity_id))",
            filter.holder,
        );
        if let Some(offices) = &filter.offices {
            conditions.and_any_in(
                &["s.office_id", "b.office_id"],
                offices.iter().map(|id| Value::Int(*id)).collect(),
            );
        }
        conditions.and_if("t.status = ?1", filter.status.map(TradeStatus::code));
        page_where!(
            self,
            InternalTradeRecord,
            COUNT_FROM,
            trade_select!(),
            " ORDER BY t.id DESC",
            conditions,
            page
        )
    }

    /// The active activities called exactly `name` (`(id, name)`, oldest first): the buyer
    /// of a trade is chosen by name.
    pub async fn active_activities_named(&self, name: &str) -> Result<Vec<(i64, String)>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as(NAMED)
                .bind(name.trim())
                .bind(MAX_NAMESAKES)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The seller's holder proposes a trade to another activity. Both must be active.
    pub async fn propose_internal_trade(
        &self,
        ctx: &AuditContext,
        trade: &NewTrade,
    ) -> Result<InternalTradeRecord> {
        if trade.seller_activity_id == trade.buyer_activity_id || trade.amount_cents <= 0 {
            return Err(StoreError::Conflict(
                "an internal trade needs two activities and an amount",
            ));
        }
        write_tx!(self, db => {
            let seller = activity_in!(db, trade.seller_activity_id);
            let buyer = activity_in!(db, trade.buyer_activity_id);
            both_active(&seller, &buyer)?;
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(trade.seller_activity_id)
                .bind(trade.buyer_activity_id)
                .bind(&trade.description)
                .bind(trade.amount_cents)
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .fetch_one(&mut *db)
                .await?;
            let after = trade_in!(db, id);
            audit!(db, ctx, "create", "internal_trade", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// A holder of the buyer accepts: in one database transaction the trade becomes
    /// accepted and the amount moves from the buyer's budget to the seller's
    /// (`internal-trade`, dated `on`). Refused, with nothing written, when the trade is no
    /// longer proposed, when either activity is not active, or when the buyer's available
    /// budget is smaller than the amount.
    pub async fn accept_internal_trade(
        &self,
        ctx: &AuditContext,
        id: i64,
        on: Date,
    ) -> Result<InternalTradeRecord> {
        write_tx!(self, db => {
            let before = trade_in!(db, id);
            before
                .status()?
                .apply(TradeEvent::Accept)
                .map_err(|_| StoreError::Conflict(REFUSED_STATUS))?;
            let claimed = sqlx::query(CLAIM).bind(id).execute(&mut *db).await?;
            if claimed.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            // Locks in id order, so two trades between the same activities never deadlock.
            let low = before.seller_activity_id.min(before.buyer_activity_id);
            let high = before.seller_activity_id.max(before.buyer_activity_id);
            for activity_id in [low, high] {
                sqlx::query(LOCK_BUDGET).bind(activity_id).execute(&mut *db).await?;
            }
            let seller = activity_in!(db, before.seller_activity_id);
            let buyer = activity_in!(db, before.buyer_activity_id);
            both_active(&seller, &buyer)?;
            let (balance,): (i64,) = sqlx::query_as(BUDGET_BALANCE)
                .bind(AccountCode::ActivityBudget(before.buyer_activity_id).to_string())
                .fetch_one(&mut *db)
                .await?;
            let available = AccountKind::Liability.shown(balance);
            if !buyer_can_pay(available, before.amount_cents) {
                return Err(StoreError::Conflict(REFUSED_INSUFFICIENT_BUDGET));
            }
            let transfer = trade_transaction(id, &before.as_new_trade(), on)
                .map_err(ledger_refused)?;
            let transaction_id = post_in!(db, ctx, &transfer);
            let done = sqlx::query(DECIDE)
                .bind(TradeStatus::Accepted.code())
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .bind(Some(transaction_id))
                .bind(id)
                .execute(&mut *db)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = trade_in!(db, id);
            audit!(db, ctx, TradeEvent::Accept.code(), "internal_trade", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// A holder of the buyer declines the trade: nothing moves.
    pub async fn decline_internal_trade(
        &self,
        ctx: &AuditContext,
        id: i64,
    ) -> Result<InternalTradeRecord> {
        self.close_internal_trade(ctx, id, TradeEvent::Decline)
            .await
    }

    /// The proposer withdraws the trade while it is proposed: nothing moves.
    pub async fn cancel_internal_trade(
        &self,
        ctx: &AuditContext,
        id: i64,
    ) -> Result<InternalTradeRecord> {
        self.close_internal_trade(ctx, id, TradeEvent::Cancel).await
    }

    async fn close_internal_trade(
        &self,
        ctx: &AuditContext,
        id: i64,
        event: TradeEvent,
    ) -> Result<InternalTradeRecord> {
        write_tx!(self, db => {
            let before = trade_in!(db, id);
            let to = before
                .status()?
                .apply(event)
                .map_err(|_| StoreError::Conflict(REFUSED_STATUS))?;
            let done = sqlx::query(DECIDE)
                .bind(to.code())
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .bind(None::<i64>)
                .bind(id)
                .execute(&mut *db)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = trade_in!(db, id);
            audit!(db, ctx, event.code(), "internal_trade", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }
}
