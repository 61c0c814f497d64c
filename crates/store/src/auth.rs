//! What authentication keeps: sessions (in the database, so several instances share them),
//! login attempts (for the rate limit), password-reset tokens and API tokens. Tokens are
//! stored as SHA-256 hashes only; the caller hashes them.

use serde::Serialize;

use crate::accounts::AccountRecord;
use crate::{AuditContext, Result, Store, StoreError, now_micros};

const SESSION_INSERT: &str = "INSERT INTO sessions (token_hash, account_id, created_at, \
    expires_at, last_seen_at, ip) VALUES ($1, $2, $3, $4, $3, $5)";
// The account is read with its session: one statement for what every request needs first.
const SESSION_GET: &str = "SELECT a.id, a.person_id, a.email, a.language, a.active, \
    a.created_at, a.updated_at, a.last_login_at, s.last_seen_at FROM sessions s \
    JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2 \
    AND a.active = TRUE";
const SESSION_TOUCH: &str =
    "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3";
const SESSION_DELETE: &str = "DELETE FROM sessions WHERE token_hash = $1";
const SESSION_PURGE: &str = "DELETE FROM sessions WHERE expires_at <= $1";

const ATTEMPT_INSERT: &str =
    "INSERT INTO login_attempts (at, ip, email, succeeded) VALUES ($1, $2, $3, $4)";
const ATTEMPTS_BY_IP: &str = "SELECT COUNT(*) FROM login_attempts \
    WHERE ip = $1 AND at >= $2 AND succeeded = FALSE";
const ATTEMPTS_BY_EMAIL: &str = "SELECT COUNT(*) FROM login_attempts \
    WHERE email = $1 AND at >= $2 AND succeeded = FALSE";
const ATTEMPTS_PURGE: &str = "DELETE FROM login_attempts WHERE at < $1";

const RESET_INSERT: &str = "INSERT INTO password_resets (token_hash, account_id, created_at, \
    expires_at) VALUES ($1, $2, $3, $4)";
const RESET_GET: &str = "SELECT account_id FROM password_resets \
    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
const RESET_USE: &str = "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2";
const SET_PASSWORD: &str = "UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3";
const DELETE_SESSIONS: &str = "DELETE FROM sessions WHERE account_id = $1";

const TOKEN_INSERT: &str = "INSERT INTO api_tokens (account_id, name, token_hash, prefix, \
    created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const TOKEN_GET: &str = "SELECT id, account_id, name, prefix, created_at, last_used_at, \
    revoked_at FROM api_tokens WHERE id = $1";
const TOKEN_LIST: &str = "SELECT id, account_id, name, prefix, created_at, last_used_at, \
    revoked_at FROM api_tokens WHERE account_id = $1 ORDER BY id DESC LIMIT 200";
const TOKEN_REVOKE: &str =
    "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
const TOKEN_ACCOUNT: &str = "SELECT t.id, t.account_id FROM api_tokens t \
    JOIN accounts a ON a.id = t.account_id \
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active = TRUE";
const TOKEN_USED: &str = "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2";

/// An API token as listed: never the token itself, only its first characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    account: AccountRecord,
    last_seen_at: i64,
}

/// Sessions are extended when used, but written at most once a minute.
const TOUCH_EVERY_MICROS: i64 = 60_000_000;

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        lifetime_micros: i64,
        ip: Option<&str>,
    ) -> Result<()> {
        let now = now_micros();
        with_db!(self, pool => {
            sqlx::query(SESSION_INSERT)
                .bind(token_hash)
                .bind(account_id)
                .bind(now)
                .bind(now + lifetime_micros)
                .bind(ip)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The active account of a live session, extending the session (sliding expiry).
    pub async fn session_account(
        &self,
        token_hash: &str,
        lifetime_micros: i64,
    ) -> Result<Option<AccountRecord>> {
        let now = now_micros();
        with_db!(self, pool => {
            let row: Option<SessionRow> = sqlx::query_as(SESSION_GET)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await?;
            if let Some(SessionRow { last_seen_at, .. }) = row
                && now - last_seen_at > TOUCH_EVERY_MICROS
            {
                sqlx::query(SESSION_TOUCH)
                    .bind(now)
                    .bind(now + lifetime_micros)
                    .bind(token_hash)
                    .execute(pool)
                    .await?;
            }
            Ok(row.map(|r| r.account))
        })
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(SESSION_DELETE).bind(token_hash).execute(pool).await?;
            Ok(())
        })
    }

    /// Deletes expired sessions and login attempts older than `attempts_before`.
    pub async fn purge_auth(&self, attempts_before: i64) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(SESSION_PURGE).bind(now_micros()).execute(pool).await?;
            sqlx::query(ATTEMPTS_PURGE).bind(attempts_before).execute(pool).await?;
            Ok(())
        })
    }

    pub async fn record_login_attempt(&self, ip: &str, email: &str, succeeded: bool) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(ATTEMPT_INSERT)
                .bind(now_micros())
                .bind(ip)
                .bind(email)
                .bind(succeeded)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Failed login attempts since `since` (Unix µs): `(from this IP, for this e-mail)`.
    pub async fn failed_logins_since(
        &self,
        ip: &str,
        email: &str,
        since: i64,
    ) -> Result<(i64, i64)> {
        with_db!(self, pool => {
            let (by_ip,): (i64,) =
                sqlx::query_as(ATTEMPTS_BY_IP).bind(ip).bind(since).fetch_one(pool).await?;
            let (by_email,): (i64,) =
                sqlx::query_as(ATTEMPTS_BY_EMAIL).bind(email).bind(since).fetch_one(pool).await?;
            Ok((by_ip, by_email))
        })
    }

    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        account_id: i64,
        lifetime_micros: i64,
    ) -> Result<()> {
        let now = now_micros();
        with_db!(self, pool => {
            sqlx::query(RESET_INSERT)
                .bind(token_hash)
                .bind(account_id)
                .bind(now)
                .bind(now + lifetime_micros)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The account a live, unused reset token belongs to.
    pub async fn password_reset_account(&self, token_hash: &str) -> Result<Option<i64>> {
        with_db!(self, pool => {
            let row: Option<(i64,)> = sqlx::query_as(RESET_GET)
                .bind(token_hash)
                .bind(now_micros())
                .fetch_optional(pool)
                .await?;
            Ok(row.map(|(a,)| a))
        })
    }

    /// Uses a reset token once: sets the new password, ends every session of the account.
    pub async fn reset_password(&self, token_hash: &str, password_hash: &str) -> Result<i64> {
        let now = now_micros();
        write_tx!(self, tx => {
            let row: Option<(i64,)> = sqlx::query_as(RESET_GET)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((account_id,)) = row else {
                return Err(StoreError::NotFound);
            };
            sqlx::query(RESET_USE).bind(now).bind(token_hash).execute(&mut *tx).await?;
            sqlx::query(SET_PASSWORD)
                .bind(password_hash)
                .bind(now)
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(DELETE_SESSIONS).bind(account_id).execute(&mut *tx).await?;
            let ctx = AuditContext::account(account_id, None);
            audit!(tx, ctx, "reset-password", "account", Some(account_id), None::<&()>, None::<&()>);
            Ok(account_id)
        })
    }

    pub async fn create_api_token(
        &self,
        ctx: &AuditContext,
        account_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
    ) -> Result<ApiTokenRecord> {
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(TOKEN_INSERT)
                .bind(account_id)
                .bind(name)
                .bind(token_hash)
                .bind(prefix)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            let token = sqlx::query_as::<_, ApiTokenRecord>(TOKEN_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "create", "api_token", Some(id), None::<&()>, Some(&token));
            Ok(token)
        })
    }

    pub async fn api_token(&self, id: i64) -> Result<ApiTokenRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ApiTokenRecord>(TOKEN_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn api_tokens(&self, account_id: i64) -> Result<Vec<ApiTokenRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ApiTokenRecord>(TOKEN_LIST)
                .bind(account_id)
                .fetch_all(pool)
                .await?)
        })
    }

    pub async fn revoke_api_token(&self, ctx: &AuditContext, id: i64) -> Result<()> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ApiTokenRecord>(TOKEN_GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query(TOKEN_REVOKE).bind(now_micros()).bind(id).execute(&mut *tx).await?;
            let after = sqlx::query_as::<_, ApiTokenRecord>(TOKEN_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "revoke", "api_token", Some(id), Some(&before), Some(&after));
            Ok(())
        })
    }

    /// The account behind a live API token (recording its use).
    pub async fn api_token_account(&self, token_hash: &str) -> Result<Option<i64>> {
        with_db!(self, pool => {
            let row: Option<(i64, i64)> =
                sqlx::query_as(TOKEN_ACCOUNT).bind(token_hash).fetch_optional(pool).await?;
            if let Some((id, _)) = row {
                sqlx::query(TOKEN_USED).bind(now_micros()).bind(id).execute(pool).await?;
            }
            Ok(row.map(|(_, account)| account))
        })
    }
}
