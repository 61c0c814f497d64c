//! User accounts and their roles. A person has at most one account; an account can hold
//! several roles; the advisor role is attached to an office.

use ruche_domain::Role;
use ruche_domain::person::Person;
use serde::Serialize;

use crate::persons::{PersonRecord, save_person_in};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AccountRecord {
    pub id: i64,
    pub person_id: i64,
    pub email: String,
    /// The language the user chose; `None` follows the browser.
    pub language: Option<String>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_login_at: Option<i64>,
}

pub use ruche_domain::role::RoleGrant;

/// One line of the accounts list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AccountSummary {
    pub id: i64,
    pub person_id: i64,
    pub email: String,
    pub active: bool,
    pub first_name: String,
    pub last_name: String,
    pub last_login_at: Option<i64>,
    /// The role codes, comma-separated.
    pub roles: String,
}

/// What an audit row keeps of an account: never the password hash.
#[derive(Serialize)]
struct AccountSnapshot<'a> {
    account: &'a AccountRecord,
    roles: &'a [RoleGrant],
}

pub(crate) const GET: &str = "SELECT id, person_id, email, language, active, created_at, \
    updated_at, last_login_at FROM accounts WHERE id = $1";
const BY_EMAIL: &str = "SELECT id, person_id, email, language, active, created_at, updated_at, \
    last_login_at FROM accounts WHERE email = $1";
const BY_PERSON: &str = "SELECT id, person_id, email, language, active, created_at, updated_at, \
    last_login_at FROM accounts WHERE person_id = $1";
const PASSWORD_HASH: &str = "SELECT password_hash FROM accounts WHERE id = $1";
const ROLES: &str = "SELECT role, office_id FROM account_roles WHERE account_id = $1";
const EMAIL_TAKEN: &str = "SELECT id FROM accounts WHERE email = $1 AND id <> $2";
const PERSON_TAKEN: &str = "SELECT id FROM accounts WHERE person_id = $1";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";
const INSERT: &str = "INSERT INTO accounts (person_id, email, password_hash, language, active, \
    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
const UPDATE: &str = "UPDATE accounts SET email = $1, active = $2, updated_at = $3 WHERE id = $4";
const DELETE_ROLES: &str = "DELETE FROM account_roles WHERE account_id = $1";
const INSERT_ROLE: &str =
    "INSERT INTO account_roles (account_id, role, office_id) VALUES ($1, $2, $3)";
const SET_PASSWORD: &str = "UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3";
const SET_LANGUAGE: &str = "UPDATE accounts SET language = $1, updated_at = $2 WHERE id = $3";
const RECORD_LOGIN: &str = "UPDATE accounts SET last_login_at = $1 WHERE id = $2";
const DELETE_SESSIONS: &str = "DELETE FROM sessions WHERE account_id = $1";

macro_rules! account_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR LOWER(a.email) LIKE $1 \
           OR LOWER(p.first_name || ' ' || p.last_name) LIKE $1) \
          AND (CAST($2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM account_roles r \
               WHERE r.account_id = a.id AND r.role = $2))"
    };
}
const LIST: &str = concat!(
    "SELECT a.id, a.person_id, a.email, a.active, p.first_name, p.last_name, a.last_login_at, \
     COALESCE((SELECT STRING_AGG(r.role, ',') FROM account_roles r WHERE r.account_id = a.id), '') \
     AS roles FROM accounts a JOIN persons p ON p.id = a.person_id",
    account_where!(),
    " ORDER BY p.last_name, p.first_name, a.id LIMIT $3 OFFSET $4"
);
const COUNT: &str = concat!(
    "SELECT COUNT(*) FROM accounts a JOIN persons p ON p.id = a.person_id",
    account_where!()
);

/// Reads the roles of an account (inside a transaction or on a pool).
macro_rules! read_roles {
    ($exec:expr, $account_id:expr) => {{
        let rows: Vec<(String, Option<i64>)> = sqlx::query_as(ROLES)
            .bind($account_id)
            .fetch_all($exec)
            .await?;
        let mut grants = Vec::with_capacity(rows.len());
        for (role, office_id) in rows {
            let role = Role::parse(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role}")))?;
            grants.push(RoleGrant { role, office_id });
        }
        grants.sort_by_key(|g| g.role);
        grants
    }};
}

/// Checks the e-mail is free and writes the roles of `$account_id` (replacing any).
macro_rules! write_roles {
    ($tx:ident, $account_id:expr, $roles:expr) => {{
        sqlx::query(DELETE_ROLES)
            .bind($account_id)
            .execute(&mut *$tx)
            .await?;
        for grant in $roles {
            sqlx::query(INSERT_ROLE)
                .bind($account_id)
                .bind(grant.role.code())
                .bind(grant.office_id)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

macro_rules! check_email_free {
    ($tx:ident, $email:expr, $id:expr) => {{
        let taken: Option<(i64,)> = sqlx::query_as(EMAIL_TAKEN)
            .bind($email)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate { field: "email" });
        }
    }};
}

/// Creates the account of person `$person_id` inside `$tx`, with its roles and audit row.
macro_rules! insert_account {
    ($tx:ident, $ctx:expr, $person_id:expr, $new:expr) => {{
        let new: &NewAccount = $new;
        check_email_free!($tx, &new.email, 0_i64);
        let taken: Option<(i64,)> = sqlx::query_as(PERSON_TAKEN)
            .bind($person_id)
            .fetch_optional(&mut *$tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate { field: "person_id" });
        }
        let (id,): (i64,) = sqlx::query_as(INSERT)
            .bind($person_id)
            .bind(&new.email)
            .bind(&new.password_hash)
            .bind(new.language.map(|l| l.code()))
            .bind(true)
            .bind(now_micros())
            .fetch_one(&mut *$tx)
            .await?;
        write_roles!($tx, id, &new.roles);
        let account = sqlx::query_as::<_, AccountRecord>(GET)
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
        let roles = read_roles!(&mut *$tx, id);
        let snapshot = AccountSnapshot {
            account: &account,
            roles: &roles,
        };
        audit!(
            $tx,
            $ctx,
            "create",
            "account",
            Some(id),
            None::<&()>,
            Some(&snapshot)
        );
        account
    }};
}

/// A new account. The password hash is computed by the caller (argon2id in the web crate);
/// an empty hash means the account cannot sign in until a password reset.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub password_hash: String,
    pub language: Option<ruche_domain::Language>,
    pub roles: Vec<RoleGrant>,
}

impl Store {
    pub async fn account(&self, id: i64) -> Result<AccountRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, AccountRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, AccountRecord>(BY_EMAIL)
                .bind(email.trim().to_lowercase())
                .fetch_optional(pool)
                .await?)
        })
    }

    pub async fn account_of_person(&self, person_id: i64) -> Result<Option<AccountRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, AccountRecord>(BY_PERSON)
                .bind(person_id)
                .fetch_optional(pool)
                .await?)
        })
    }

    pub async fn password_hash(&self, account_id: i64) -> Result<String> {
        with_db!(self, pool => {
            let row: Option<(String,)> =
                sqlx::query_as(PASSWORD_HASH).bind(account_id).fetch_optional(pool).await?;
            row.map(|(h,)| h).ok_or(StoreError::NotFound)
        })
    }

    pub async fn account_roles(&self, account_id: i64) -> Result<Vec<RoleGrant>> {
        with_db!(self, pool => {
            Ok(read_roles!(pool, account_id))
        })
    }

    /// The accounts list, filtered by text (name or e-mail) and role.
    pub async fn accounts(
        &self,
        search: Option<&str>,
        role: Option<Role>,
        page: PageRequest,
    ) -> Result<Page<AccountSummary>> {
        let search = search
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        let role = role.map(Role::code);
        let list: &'static str = match self.engine() {
            crate::Engine::Postgres => LIST,
            // SQLite spells STRING_AGG as GROUP_CONCAT (STRING_AGG exists only from 3.44).
            crate::Engine::Sqlite => LIST_SQLITE,
        };
        with_db!(self, pool => {
            let (total,): (i64,) =
                sqlx::query_as(COUNT).bind(search.as_deref()).bind(role).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, AccountSummary>(list)
                .bind(search.as_deref())
                .bind(role)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Creates an account for an existing person.
    pub async fn create_account(
        &self,
        ctx: &AuditContext,
        person_id: i64,
        new: &NewAccount,
    ) -> Result<AccountRecord> {
        write_tx!(self, tx => {
            let exists: Option<(i64,)> =
                sqlx::query_as(PERSON_EXISTS).bind(person_id).fetch_optional(&mut *tx).await?;
            if exists.is_none() {
                return Err(StoreError::NotFound);
            }
            Ok(insert_account!(tx, ctx, person_id, new))
        })
    }

    /// Creates a person and their account in one transaction (the `ruche user` command, the
    /// demo, the staff form "new user").
    pub async fn create_person_with_account(
        &self,
        ctx: &AuditContext,
        person: &Person,
        new: &NewAccount,
    ) -> Result<(PersonRecord, AccountRecord)> {
        write_tx!(self, tx => {
            // Check the e-mail first, so that a taken address names the e-mail field.
            check_email_free!(tx, &new.email, 0_i64);
            let person_id = save_person_in!(tx, ctx, None, person);
            let account = insert_account!(tx, ctx, person_id, new);
            let person = sqlx::query_as::<_, PersonRecord>(crate::persons::GET)
                .bind(person_id)
                .fetch_one(&mut *tx)
                .await?;
            Ok((person, account))
        })
    }

    /// Changes an account's e-mail, active flag and roles. Deactivating ends its sessions.
    pub async fn update_account(
        &self,
        ctx: &AuditContext,
        id: i64,
        email: &str,
        active: bool,
        roles: &[RoleGrant],
    ) -> Result<AccountRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, AccountRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before_roles = read_roles!(&mut *tx, id);
            check_email_free!(tx, email, id);
            sqlx::query(UPDATE)
                .bind(email)
                .bind(active)
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            write_roles!(tx, id, roles);
            if !active {
                sqlx::query(DELETE_SESSIONS).bind(id).execute(&mut *tx).await?;
            }
            let after = sqlx::query_as::<_, AccountRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            let after_roles = read_roles!(&mut *tx, id);
            let b = AccountSnapshot { account: &before, roles: &before_roles };
            let a = AccountSnapshot { account: &after, roles: &after_roles };
            audit!(tx, ctx, "update", "account", Some(id), Some(&b), Some(&a));
            Ok(after)
        })
    }

    /// Sets a new password hash and ends every session of the account.
    pub async fn set_password(
        &self,
        ctx: &AuditContext,
        account_id: i64,
        password_hash: &str,
    ) -> Result<()> {
        write_tx!(self, tx => {
            let done = sqlx::query(SET_PASSWORD)
                .bind(password_hash)
                .bind(now_micros())
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(DELETE_SESSIONS).bind(account_id).execute(&mut *tx).await?;
            audit!(tx, ctx, "set-password", "account", Some(account_id), None::<&()>, None::<&()>);
            Ok(())
        })
    }

    /// Remembers the language a user chose (not audited: a preference, not a record).
    pub async fn set_account_language(
        &self,
        account_id: i64,
        language: ruche_domain::Language,
    ) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(SET_LANGUAGE)
                .bind(language.code())
                .bind(now_micros())
                .bind(account_id)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn record_login(&self, account_id: i64) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(RECORD_LOGIN).bind(now_micros()).bind(account_id).execute(pool).await?;
            Ok(())
        })
    }
}

const LIST_SQLITE: &str = concat!(
    "SELECT a.id, a.person_id, a.email, a.active, p.first_name, p.last_name, a.last_login_at, \
     COALESCE((SELECT GROUP_CONCAT(r.role, ',') FROM account_roles r WHERE r.account_id = a.id), '') \
     AS roles FROM accounts a JOIN persons p ON p.id = a.person_id",
    account_where!(),
    " ORDER BY p.last_name, p.first_name, a.id LIMIT $3 OFFSET $4"
);
