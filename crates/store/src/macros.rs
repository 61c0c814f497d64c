/// Runs `$body` with `$pool` bound to the engine's pool. The body is compiled once per
/// engine, so the same SQL text and row types serve SQLite and PostgreSQL.
macro_rules! with_db {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            crate::Db::Sqlite($pool) => $body,
            crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` inside a write transaction bound to `$tx` and commits it. On SQLite the
/// transaction starts with `BEGIN IMMEDIATE`, so a read-then-write never fails with
/// SQLITE_BUSY halfway (rust-stack.md §2.3). An early return (`?`) rolls back.
macro_rules! write_tx {
    ($store:expr, $tx:ident => $body:expr) => {
        match &$store.db {
            crate::Db::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            crate::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// The one row of `$ty` that `$sql` finds for `$id` inside the transaction `$tx`, or
/// `StoreError::NotFound` (returned early).
macro_rules! fetch_one_in {
    ($tx:ident, $ty:ty, $sql:expr, $id:expr) => {
        sqlx::query_as::<_, $ty>($sql)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::StoreError::NotFound)?
    };
}

/// Appends one row to the audit log inside the transaction `$tx`: who, when, which entity,
/// before and after (JSON snapshots). Every change of a repository method calls it.
macro_rules! audit {
    ($tx:expr, $ctx:expr, $action:expr, $entity_type:expr, $entity_id:expr, $before:expr, $after:expr) => {
        sqlx::query($crate::audit::INSERT)
            .bind($crate::now_micros())
            .bind($ctx.actor_account_id)
            .bind($action)
            .bind($entity_type)
            .bind($entity_id)
            .bind($crate::audit::snapshot($before))
            .bind($crate::audit::snapshot($after))
            .bind($ctx.ip.as_deref())
            .execute(&mut *$tx)
            .await?
    };
}
