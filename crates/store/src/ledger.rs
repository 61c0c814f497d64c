//! The ledger: a double-entry, append-only journal (DESIGN.md §3).
//!
//! A transaction is posted with its postings in one database transaction: the accounts are
//! created on first use, the postings written, then **read back and asserted balanced**
//! before the commit. Nothing is updated or deleted (the migration's triggers refuse it): a
//! correction is a reversal, at most one per transaction, and a reversal is final. Every
//! balance is a sum of postings, computed when asked.
//!
//! Another repository method posts in its own database transaction with `post_in!` (an
//! invoice is issued and posted together, or not at all).

use jiff::civil::Date;
use ruche_domain::ledger::{
    self, AccountCode, LedgerError, MIN_YEAR, NewTransaction, Posting, TransactionKind,
};
use serde::Serialize;

use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// A stored transaction with its postings, in the order they were written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransactionRecord {
    pub id: i64,
    pub kind: TransactionKind,
    pub occurred_on: Date,
    pub memo: String,
    pub source_type: Option<String>,
    pub source_id: Option<i64>,
    /// The transaction this one reverses (a reversal only).
    pub reverses_id: Option<i64>,
    /// The reversal of this transaction, once it is reversed.
    pub reversed_by: Option<i64>,
    /// Unix microseconds.
    pub created_at: i64,
    /// The user account that posted it; `None` for ruche itself.
    pub created_by: Option<i64>,
    pub postings: Vec<Posting>,
}

/// One line of an account's statement: a transaction seen from that account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountEntry {
    pub transaction_id: i64,
    pub kind: TransactionKind,
    pub occurred_on: Date,
    pub memo: String,
    pub source_type: Option<String>,
    pub source_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub reversed_by: Option<i64>,
    /// The posting on this account (debit positive).
    pub amount_cents: i64,
    /// The account's balance once this transaction is counted, in date order.
    pub balance_after_cents: i64,
}

/// The most accounts [`Store::balances_with_prefix`] reads (TigerStyle: a bound on every list).
pub const MAX_PREFIX_ACCOUNTS: usize = 10_000;

/// The most transactions [`Store::transactions_of_source`] reads.
pub const MAX_SOURCE_TRANSACTIONS: i64 = 1_000;

#[derive(sqlx::FromRow)]
pub(crate) struct TransactionRow {
    id: i64,
    kind: String,
    occurred_on: String,
    memo: String,
    source_type: Option<String>,
    source_id: Option<i64>,
    reverses_id: Option<i64>,
    reversed_by: Option<i64>,
    created_at: i64,
    created_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PostingRow {
    transaction_id: i64,
    code: String,
    amount_cents: i64,
    /// The transaction's date, written with each posting (migration 0034).
    occurred_on: String,
}

#[derive(sqlx::FromRow)]
struct AccountEntryRow {
    transaction_id: i64,
    kind: String,
    occurred_on: String,
    memo: String,
    source_type: Option<String>,
    source_id: Option<i64>,
    reverses_id: Option<i64>,
    reversed_by: Option<i64>,
    amount_cents: i64,
    balance_after_cents: i64,
    total: i64,
}

// `ON CONFLICT DO NOTHING` (both engines): two writers creating the same account at once
// both go on; the second waits for the first on PostgreSQL and then reads its row.
pub(crate) const ACCOUNT_INSERT: &str = "INSERT INTO ledger_accounts (code, kind, created_at) \
    VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING";
pub(crate) const TRANSACTION_INSERT: &str = "INSERT INTO ledger_transactions (kind, \
    occurred_on, memo, source_type, source_id, reverses_id, created_at, created_by) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
pub(crate) const TRANSACTION_GET: &str = "SELECT t.id, t.kind, t.occurred_on, t.memo, \
    t.source_type, t.source_id, t.reverses_id, r.id AS reversed_by, t.created_at, t.created_by \
    FROM ledger_transactions t LEFT JOIN ledger_transactions r ON r.reverses_id = t.id \
    WHERE t.id = $1";
pub(crate) const POSTINGS_OF: &str = "SELECT p.transaction_id, a.code, p.amount_cents, \
    p.occurred_on \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
    WHERE p.transaction_id = $1 ORDER BY p.id";
const OF_SOURCE: &str = "SELECT t.id, t.kind, t.occurred_on, t.memo, t.source_type, \
    t.source_id, t.reverses_id, r.id AS reversed_by, t.created_at, t.created_by \
    FROM ledger_transactions t LEFT JOIN ledger_transactions r ON r.reverses_id = t.id \
    WHERE t.source_type = $1 AND t.source_id = $2 ORDER BY t.id LIMIT $3";
const POSTINGS_OF_SOURCE: &str = "SELECT p.transaction_id, a.code, p.amount_cents, \
    p.occurred_on \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
    JOIN ledger_transactions t ON t.id = p.transaction_id \
    WHERE t.source_type = $1 AND t.source_id = $2 ORDER BY p.id";
// Sums are cast back to BIGINT: PostgreSQL's SUM(bigint) is a NUMERIC.
const BALANCE: &str = "SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
    FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id \
    WHERE a.code = $1 AND (CAST($2 AS TEXT) IS NULL OR p.occurred_on <= $2)";
// The prefix is compared with `substr`, not `LIKE`: SQLite's LIKE ignores case and
// PostgreSQL's does not, and `_` or `%` in a prefix would be wildcards.
const BALANCES_WITH_PREFIX: &str = "SELECT a.code, \
    CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) AS balance \
    FROM ledger_accounts a LEFT JOIN ledger_postings p ON p.account_id = a.id \
    WHERE substr(a.code, 1, length($1)) = $1 GROUP BY a.id, a.code ORDER BY a.id LIMIT $2";
const TRIAL_BALANCE: &str =
    "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_postings";
const ACCOUNT_ENTRIES_COUNT: &str = "SELECT COUNT(*) FROM ledger_postings p \
    JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = $1";
// The running balance runs in date order; the page is read newest first. Each row also
// carries the account's number of entries (`total`), so a page that has rows needs no
// separate count (one statement fewer on every budget page, docs/benchmarks.md).
const ACCOUNT_ENTRIES: &str = "SELECT x.transaction_id, x.kind, x.occurred_on, x.memo, \
    x.source_type, x.source_id, x.reverses_id, x.reversed_by, x.amount_cents, \
    x.balance_after_cents, x.total FROM (\
      SELECT t.id AS transaction_id, t.kind, t.occurred_on, t.memo, t.source_type, \
      t.source_id, t.reverses_id, r.id AS reversed_by, p.amount_cents, \
      CAST(SUM(p.amount_cents) OVER (ORDER BY t.occurred_on, t.id) AS BIGINT) \
        AS balance_after_cents, CAST(COUNT(*) OVER () AS BIGINT) AS total \
      FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
      JOIN ledger_transactions t ON t.id = p.transaction_id \
      LEFT JOIN ledger_transactions r ON r.reverses_id = t.id \
      WHERE a.code = $1\
    ) x ORDER BY x.occurred_on DESC, x.transaction_id DESC LIMIT $2 OFFSET $3";
const MOVEMENTS_BY_MONTH: &str = "SELECT CAST(substr(p.occurred_on, 6, 2) AS BIGINT) AS month, \
    CAST(COALESCE(SUM(CASE WHEN p.amount_cents > 0 THEN p.amount_cents ELSE 0 END), 0) \
      AS BIGINT) AS debit_cents, \
    CAST(COALESCE(SUM(CASE WHEN p.amount_cents < 0 THEN -p.amount_cents ELSE 0 END), 0) \
      AS BIGINT) AS credit_cents \
    FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id \
    WHERE a.code = $1 AND p.occurred_on >= $2 AND p.occurred_on <= $3 \
    GROUP BY 1 ORDER BY 1";
const TOTALS_BY_KIND: &str = "SELECT t.kind, \
    CAST(COALESCE(SUM(CASE WHEN p.amount_cents > 0 THEN p.amount_cents ELSE 0 END), 0) \
      AS BIGINT) AS debit_cents, \
    CAST(COALESCE(SUM(CASE WHEN p.amount_cents < 0 THEN -p.amount_cents ELSE 0 END), 0) \
      AS BIGINT) AS credit_cents \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
    JOIN ledger_transactions t ON t.id = p.transaction_id \
    WHERE a.code = $1 AND (CAST($2 AS TEXT) IS NULL OR t.occurred_on >= $2) \
    AND (CAST($3 AS TEXT) IS NULL OR t.occurred_on <= $3) GROUP BY t.kind";

/// Reads transaction `$id` with its postings through the executor `$exec` (a pool, or
/// `&mut *tx`); evaluates to `Option<TransactionRecord>`. Every read asserts that the
/// postings still balance (DESIGN.md §3).
macro_rules! fetch_transaction {
    ($exec:expr, $id:expr) => {{
        let id: i64 = $id;
        let row: Option<$crate::ledger::TransactionRow> =
            sqlx::query_as($crate::ledger::TRANSACTION_GET)
                .bind(id)
                .fetch_optional($exec)
                .await?;
        match row {
            Some(row) => {
                let postings: Vec<$crate::ledger::PostingRow> =
                    sqlx::query_as($crate::ledger::POSTINGS_OF)
                        .bind(id)
                        .fetch_all($exec)
                        .await?;
                Some($crate::ledger::record_from_rows(row, postings)?)
            }
            None => None,
        }
    }};
}
pub(crate) use fetch_transaction;

/// Posts a [`NewTransaction`] inside the database transaction `$tx` and evaluates to its
/// id; returns early with an error (rolling `$tx` back) when it fails. For use inside another
/// repository method (issuing an invoice posts it in the same transaction).
///
/// DESIGN.md §3: the transaction is checked before writing, its postings are read back and
/// checked again (balanced, and exactly as written) before the caller commits.
///
/// The fourth argument, `Some(original id)`, is for [`Store::reverse_transaction`] only.
macro_rules! post_in {
    ($tx:ident, $ctx:expr, $new:expr) => {
        $crate::ledger::post_in!($tx, $ctx, $new, None)
    };
    ($tx:ident, $ctx:expr, $new:expr, $reverses:expr) => {{
        let new: &ruche_domain::ledger::NewTransaction = $new;
        let ctx: &$crate::AuditContext = $ctx;
        let reverses: Option<i64> = $reverses;
        $crate::ledger::check_before_writing(new, reverses)?;
        let accounts = $crate::ledger::accounts_in_lock_order(new);
        let now = $crate::now_micros();
        // Read first, in one statement: the accounts almost always exist; the missing ones
        // are created (once, whoever comes first, in lock order) and read again.
        let account_ids = $crate::ledger::account_ids_in!($tx, &accounts);
        let account_ids = if account_ids.len() == accounts.len() {
            account_ids
        } else {
            for account in &accounts {
                if !account_ids
                    .iter()
                    .any(|(code, _, _)| *code == account.to_string())
                {
                    sqlx::query($crate::ledger::ACCOUNT_INSERT)
                        .bind(account.to_string())
                        .bind(account.kind().code())
                        .bind(now)
                        .execute(&mut *$tx)
                        .await?;
                }
            }
            $crate::ledger::account_ids_in!($tx, &accounts)
        };
        let account_ids = $crate::ledger::check_account_ids(&accounts, account_ids)?;
        let source = new.source();
        let inserted: std::result::Result<(i64,), sqlx::Error> =
            sqlx::query_as($crate::ledger::TRANSACTION_INSERT)
                .bind(new.kind().code())
                .bind($crate::ledger::date_text(new.occurred_on()))
                .bind(new.memo())
                .bind(source.map(|(source_type, _)| source_type))
                .bind(source.map(|(_, source_id)| source_id))
                .bind(reverses)
                .bind(now)
                .bind(ctx.actor_account_id)
                .fetch_one(&mut *$tx)
                .await;
        let id = match inserted {
            Ok((id,)) => id,
            Err(e) => return Err($crate::ledger::insert_error(e)),
        };
        // Every posting in one statement, in the transaction's order (read back by id), each
        // with the transaction's date. The SQL is built from placeholders only.
        let mut insert = sqlx::query(sqlx::AssertSqlSafe($crate::ledger::postings_insert_sql(
            new.postings().len(),
        )));
        let occurred_on = $crate::ledger::date_text(new.occurred_on());
        for posting in new.postings() {
            let account_id = account_ids
                .iter()
                .find(|(account, _)| *account == posting.account)
                .map(|(_, account_id)| *account_id)
                .ok_or_else(|| {
                    $crate::StoreError::Corrupt(format!("no account id for {}", posting.account))
                })?;
            insert = insert
                .bind(id)
                .bind(account_id)
                .bind(posting.amount_cents)
                .bind(&occurred_on);
        }
        insert.execute(&mut *$tx).await?;
        let record = $crate::ledger::fetch_transaction!(&mut *$tx, id).ok_or_else(|| {
            $crate::StoreError::Corrupt(format!("ledger transaction {id} vanished"))
        })?;
        $crate::ledger::check_read_back(new, reverses, &record)?;
        audit!(
            $tx,
            ctx,
            "create",
            "ledger_transaction",
            Some(id),
            None::<&$crate::ledger::TransactionRecord>,
            Some(&record)
        );
        id
    }};
}
pub(crate) use post_in;

/// Posts the mirror of transaction `$id` on `$on` inside the database transaction `$tx` and
/// evaluates to the reversal's id; refused (`Conflict`) when `$id` is already reversed or is
/// itself a reversal. Corrections are reversals, never edits (DESIGN.md §3).
macro_rules! reverse_in {
    ($tx:ident, $ctx:expr, $id:expr, $on:expr) => {{
        let id: i64 = $id;
        let original = $crate::ledger::fetch_transaction!(&mut *$tx, id)
            .ok_or($crate::StoreError::NotFound)?;
        ruche_domain::ledger::check_reversible(original.kind, original.reversed_by.is_some())
            .map_err($crate::ledger::refused)?;
        let reversal = original.to_new_transaction()?.reversal($on);
        $crate::ledger::post_in!($tx, $ctx, &reversal, Some(id))
    }};
}
pub(crate) use reverse_in;

/// DESIGN.md §3, before writing: the transaction keeps every rule of the domain, and a
/// reversal is written as the reversal of one transaction, never on its own.
pub(crate) fn check_before_writing(new: &NewTransaction, reverses: Option<i64>) -> Result<()> {
    if (new.kind() == TransactionKind::Reversal) != reverses.is_some() {
        return Err(StoreError::Conflict(
            "a reversal is posted with reverse_transaction, and only a reversal",
        ));
    }
    new.check()
        .map_err(|e| StoreError::Corrupt(format!("ledger transaction refused before writing: {e}")))
}

/// The accounts of a transaction in code order. Two writers that create the same new
/// accounts take their locks in the same order, so PostgreSQL never sees a deadlock.
pub(crate) fn accounts_in_lock_order(new: &NewTransaction) -> Vec<AccountCode> {
    let mut accounts: Vec<AccountCode> = new.postings().iter().map(|p| p.account).collect();
    accounts.sort();
    accounts
}

/// `SELECT code, id, kind` of the `n` accounts bound as `$1`…`$n`.
pub(crate) fn accounts_get_sql(n: usize) -> String {
    let list: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "SELECT code, id, kind FROM ledger_accounts WHERE code IN ({})",
        list.join(", ")
    )
}

/// The insert of `n` postings, bound four by four (transaction, account, amount, date).
pub(crate) fn postings_insert_sql(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let b = 4 * i;
            format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4)
        })
        .collect();
    format!(
        "INSERT INTO ledger_postings (transaction_id, account_id, amount_cents, occurred_on) \
         VALUES {}",
        rows.join(", ")
    )
}

/// Reads the stored `(code, id, kind)` of the accounts `$accounts` (`&[AccountCode]`) inside
/// `$tx`, in one statement; evaluates to those found.
macro_rules! account_ids_in {
    ($tx:ident, $accounts:expr) => {{
        let accounts: &[ruche_domain::ledger::AccountCode] = $accounts;
        // The SQL is built from placeholders only.
        let mut select = sqlx::query_as::<_, (String, i64, String)>(sqlx::AssertSqlSafe(
            $crate::ledger::accounts_get_sql(accounts.len()),
        ));
        for account in accounts {
            select = select.bind(account.to_string());
        }
        select.fetch_all(&mut *$tx).await?
    }};
}
pub(crate) use account_ids_in;

/// Each account with its stored id, once every one is stored with its own kind.
pub(crate) fn check_account_ids(
    accounts: &[AccountCode],
    stored: Vec<(String, i64, String)>,
) -> Result<Vec<(AccountCode, i64)>> {
    accounts
        .iter()
        .map(|account| {
            let code = account.to_string();
            let kind = account.kind().code();
            match stored.iter().find(|(c, _, _)| *c == code) {
                Some((_, id, stored_kind)) if stored_kind == kind => Ok((*account, *id)),
                Some((_, _, stored_kind)) => Err(StoreError::Corrupt(format!(
                    "ledger account {code} is stored as {stored_kind}, not {kind}"
                ))),
                None => Err(StoreError::Corrupt(format!(
                    "ledger account {code} could not be created"
                ))),
            }
        })
        .collect()
}

/// A second reversal of the same transaction, written at the same time as the first, meets
/// the unique `reverses_id` (PostgreSQL lets it wait for the first, then refuses it).
pub(crate) fn insert_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict("the transaction is already reversed")
        }
        _ => StoreError::Database(e),
    }
}

/// DESIGN.md §3, after reading back: what is stored is what was meant, posting for posting
/// (the postings' balance was asserted by [`record_from_rows`]).
pub(crate) fn check_read_back(
    new: &NewTransaction,
    reverses: Option<i64>,
    record: &TransactionRecord,
) -> Result<()> {
    let source = record.source_type.as_deref().zip(record.source_id);
    let same = record.kind == new.kind()
        && record.occurred_on == new.occurred_on()
        && record.memo == new.memo()
        && source == new.source()
        && record.reverses_id == reverses
        && record.postings == new.postings();
    if same {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "ledger transaction {} does not read back as written",
            record.id
        )))
    }
}

/// Builds a record from its rows, asserting that its postings form a valid, balanced
/// transaction (DESIGN.md §3: sums are asserted after reading back).
pub(crate) fn record_from_rows(
    row: TransactionRow,
    postings: Vec<PostingRow>,
) -> Result<TransactionRecord> {
    let id = row.id;
    let corrupt = |what: String| StoreError::Corrupt(format!("ledger transaction {id}: {what}"));
    let postings = postings
        .into_iter()
        .map(|p| {
            if p.transaction_id != id {
                return Err(corrupt(format!("posting of {}", p.transaction_id)));
            }
            if p.occurred_on != row.occurred_on {
                return Err(corrupt(format!("posting dated {:?}", p.occurred_on)));
            }
            let account = AccountCode::parse(&p.code).map_err(|e| corrupt(e.to_string()))?;
            Ok(Posting::new(account, p.amount_cents))
        })
        .collect::<Result<Vec<Posting>>>()?;
    ledger::check_postings(&postings).map_err(|e| corrupt(e.to_string()))?;
    Ok(TransactionRecord {
        id,
        kind: parse_kind(&row.kind)?,
        occurred_on: parse_date(&row.occurred_on)?,
        memo: row.memo,
        source_type: row.source_type,
        source_id: row.source_id,
        reverses_id: row.reverses_id,
        reversed_by: row.reversed_by,
        created_at: row.created_at,
        created_by: row.created_by,
        postings,
    })
}

fn parse_kind(s: &str) -> Result<TransactionKind> {
    TransactionKind::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse_date(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad ledger date {s:?}")))
}

/// A date as stored: `YYYY-MM-DD`.
pub(crate) fn date_text(date: Date) -> String {
    date.to_string()
}

/// Why a transaction cannot be reversed, as the store tells it.
pub(crate) fn refused(e: LedgerError) -> StoreError {
    match e {
        LedgerError::AlreadyReversed => StoreError::Conflict("the transaction is already reversed"),
        LedgerError::ReversalIsFinal => StoreError::Conflict("a reversal is never reversed"),
        LedgerError::DateOutOfRange(_) => StoreError::Conflict("the date is before 1900"),
        other => StoreError::Corrupt(other.to_string()),
    }
}

impl TransactionRecord {
    /// The transaction as it was posted, to reverse it. Not for a reversal (which is final).
    pub(crate) fn to_new_transaction(&self) -> Result<NewTransaction> {
        let source = self.source_type.clone().zip(self.source_id);
        NewTransaction::new(
            self.kind,
            self.occurred_on,
            self.memo.clone(),
            source,
            self.postings.clone(),
        )
        .map_err(refused)
    }
}

impl AccountEntry {
    fn from_row(row: AccountEntryRow) -> Result<AccountEntry> {
        Ok(AccountEntry {
            transaction_id: row.transaction_id,
            kind: parse_kind(&row.kind)?,
            occurred_on: parse_date(&row.occurred_on)?,
            memo: row.memo,
            source_type: row.source_type,
            source_id: row.source_id,
            reverses_id: row.reverses_id,
            reversed_by: row.reversed_by,
            amount_cents: row.amount_cents,
            balance_after_cents: row.balance_after_cents,
        })
    }
}

impl Store {
    /// Posts a balanced transaction (DESIGN.md §3); the accounts are created on first use.
    /// A reversal goes through [`Store::reverse_transaction`].
    pub async fn post_transaction(
        &self,
        ctx: &AuditContext,
        tx: &NewTransaction,
    ) -> Result<TransactionRecord> {
        write_tx!(self, db => {
            let id = post_in!(db, ctx, tx);
            fetch_transaction!(&mut *db, id).ok_or(StoreError::NotFound)
        })
    }

    /// Posts the mirror of transaction `id` on `on`. Corrections are reversals, never edits
    /// (DESIGN.md §3): a transaction is reversed at most once and a reversal is never
    /// reversed (`Conflict` both times).
    pub async fn reverse_transaction(
        &self,
        ctx: &AuditContext,
        id: i64,
        on: Date,
    ) -> Result<TransactionRecord> {
        if on.year() < MIN_YEAR {
            return Err(refused(LedgerError::DateOutOfRange(on)));
        }
        write_tx!(self, db => {
            let reversal_id = reverse_in!(db, ctx, id, on);
            fetch_transaction!(&mut *db, reversal_id).ok_or(StoreError::NotFound)
        })
    }

    /// A transaction with its postings.
    pub async fn transaction(&self, id: i64) -> Result<TransactionRecord> {
        with_db!(self, pool => {
            fetch_transaction!(pool, id).ok_or(StoreError::NotFound)
        })
    }

    /// The transactions that come from one source (an invoice, a bank line…), reversals
    /// included, oldest first; at most [`MAX_SOURCE_TRANSACTIONS`].
    pub async fn transactions_of_source(
        &self,
        source_type: &str,
        source_id: i64,
    ) -> Result<Vec<TransactionRecord>> {
        with_db!(self, pool => {
            let rows: Vec<TransactionRow> = sqlx::query_as(OF_SOURCE)
                .bind(source_type)
                .bind(source_id)
                .bind(MAX_SOURCE_TRANSACTIONS)
                .fetch_all(pool)
                .await?;
            let mut postings: Vec<PostingRow> = sqlx::query_as(POSTINGS_OF_SOURCE)
                .bind(source_type)
                .bind(source_id)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let (mine, rest): (Vec<PostingRow>, Vec<PostingRow>) =
                    postings.into_iter().partition(|p| p.transaction_id == row.id);
                postings = rest;
                out.push(record_from_rows(row, mine)?);
            }
            Ok(out)
        })
    }

    /// The balance of an account (debit positive) at the end of `until`, or of every
    /// transaction. An account never used has a balance of 0.
    pub async fn account_balance(&self, code: &AccountCode, until: Option<Date>) -> Result<i64> {
        with_db!(self, pool => {
            let (balance,): (i64,) = sqlx::query_as(BALANCE)
                .bind(code.to_string())
                .bind(until.map(date_text))
                .fetch_one(pool)
                .await?;
            Ok(balance)
        })
    }

    /// The balance of every account whose code starts with `prefix` (e.g. `activity:12:`,
    /// see [`AccountCode::activity_prefix`]), in code order. More than
    /// [`MAX_PREFIX_ACCOUNTS`] accounts is refused rather than cut short.
    pub async fn balances_with_prefix(&self, prefix: &str) -> Result<Vec<(String, i64)>> {
        let limit = i64::try_from(MAX_PREFIX_ACCOUNTS + 1).unwrap_or(i64::MAX);
        let mut out: Vec<(String, i64)> = with_db!(self, pool => {
            sqlx::query_as(BALANCES_WITH_PREFIX)
                .bind(prefix)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        if out.len() > MAX_PREFIX_ACCOUNTS {
            return Err(StoreError::Conflict(
                "too many ledger accounts under this prefix",
            ));
        }
        // Sorted here, byte by byte: the databases' collations may order text differently.
        out.sort();
        Ok(out)
    }

    /// The sum of every posting of the ledger: zero, or the ledger is corrupt.
    pub async fn trial_balance(&self) -> Result<i64> {
        with_db!(self, pool => {
            let (sum,): (i64,) = sqlx::query_as(TRIAL_BALANCE).fetch_one(pool).await?;
            Ok(sum)
        })
    }

    /// The statement of an account, newest first, with the posting on that account and
    /// the running balance.
    pub async fn transactions_of_account(
        &self,
        code: &AccountCode,
        page: PageRequest,
    ) -> Result<Page<AccountEntry>> {
        let code = code.to_string();
        with_db!(self, pool => {
            let rows: Vec<AccountEntryRow> = sqlx::query_as(ACCOUNT_ENTRIES)
                .bind(&code)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            // An empty page (no entry, or a page past the end) still says how many there are.
            let total = match rows.first() {
                Some(row) => row.total,
                None => {
                    let (total,): (i64,) = sqlx::query_as(ACCOUNT_ENTRIES_COUNT)
                        .bind(&code)
                        .fetch_one(pool)
                        .await?;
                    total
                }
            };
            let items = rows.into_iter().map(AccountEntry::from_row).collect::<Result<Vec<_>>>()?;
            Ok(page.of(items, total))
        })
    }

    /// `(month, debit_cents, credit_cents)` of an account in each month of `year`, both
    /// positive: always twelve rows, January first, for a chart.
    pub async fn account_movements_by_month(
        &self,
        code: &AccountCode,
        year: i16,
    ) -> Result<Vec<(u8, i64, i64)>> {
        let mut out: Vec<(u8, i64, i64)> = (1..=12).map(|month| (month, 0, 0)).collect();
        // No transaction occurs outside these years (ruche_domain::ledger::MIN_YEAR).
        if !(MIN_YEAR..=9999).contains(&year) {
            return Ok(out);
        }
        let rows: Vec<(i64, i64, i64)> = with_db!(self, pool => {
            sqlx::query_as(MOVEMENTS_BY_MONTH)
                .bind(code.to_string())
                .bind(format!("{year:04}-01-01"))
                .bind(format!("{year:04}-12-31"))
                .fetch_all(pool)
                .await?
        });
        for (month, debit_cents, credit_cents) in rows {
            let slot = usize::try_from(month - 1)
                .ok()
                .and_then(|i| out.get_mut(i))
                .ok_or_else(|| StoreError::Corrupt(format!("bad ledger month {month}")))?;
            slot.1 = debit_cents;
            slot.2 = credit_cents;
        }
        Ok(out)
    }

    /// `(kind, debit_cents, credit_cents)` of an account per kind of transaction, both
    /// positive, between `from` and `until` included (open when `None`), in the order of the
    /// kinds' codes. A reversal counts under `reversal`, not under the kind it reverses.
    pub async fn account_totals_by_kind(
        &self,
        code: &AccountCode,
        from: Option<Date>,
        until: Option<Date>,
    ) -> Result<Vec<(TransactionKind, i64, i64)>> {
        let rows: Vec<(String, i64, i64)> = with_db!(self, pool => {
            sqlx::query_as(TOTALS_BY_KIND)
                .bind(code.to_string())
                .bind(from.map(date_text))
                .bind(until.map(date_text))
                .fetch_all(pool)
                .await?
        });
        let mut out = rows
            .into_iter()
            .map(|(kind, debit_cents, credit_cents)| {
                Ok((parse_kind(&kind)?, debit_cents, credit_cents))
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|(kind, _, _)| kind.code());
        Ok(out)
    }
}
