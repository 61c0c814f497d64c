//! The client directory, shared by the whole cooperative, de-duplicated by enterprise number.

use ruche_domain::client::Client;
use serde::Serialize;

use crate::conditions::{Conditions, Value, bind_conditions};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ClientRecord {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub enterprise_number: Option<String>,
    pub vat_number: Option<String>,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub language: String,
    pub email: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ClientRecord {
    /// `0208:<enterprise number>` for a Belgian company.
    pub fn peppol_id(&self) -> Option<String> {
        self.enterprise_number.as_ref().map(|n| format!("0208:{n}"))
    }
}

pub(crate) const GET: &str = "SELECT id, kind, name, enterprise_number, vat_number, street, \
    postcode, city, country, language, email, created_by, created_at, updated_at \
    FROM clients WHERE id = $1";
const BY_NUMBER: &str = "SELECT id, kind, name, enterprise_number, vat_number, street, \
    postcode, city, country, language, email, created_by, created_at, updated_at \
    FROM clients WHERE enterprise_number = $1";

macro_rules! client_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR LOWER(name) LIKE $1 \
           OR COALESCE(enterprise_number, '') LIKE $1 OR LOWER(COALESCE(email, '')) LIKE $1) \
          AND (CAST($2 AS TEXT) IS NULL OR kind = $2)"
    };
}
const LIST: &str = concat!(
    "SELECT id, kind, name, enterprise_number, vat_number, street, postcode, city, country, \
     language, email, created_by, created_at, updated_at FROM clients",
    client_where!(),
    " ORDER BY name, id LIMIT $3 OFFSET $4"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM clients", client_where!());
const TAKEN: &str = "SELECT id FROM clients WHERE enterprise_number = $1 AND id <> $2";
const INSERT: &str = "INSERT INTO clients (kind, name, enterprise_number, vat_number, street, \
    postcode, city, country, language, email, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id";
const UPDATE: &str = "UPDATE clients SET kind = $1, name = $2, enterprise_number = $3, \
    vat_number = $4, street = $5, postcode = $6, city = $7, country = $8, language = $9, \
    email = $10, updated_at = $11 WHERE id = $12";

impl Store {
    pub async fn client(&self, id: i64) -> Result<ClientRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ClientRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The names of the clients `ids` (a list page's clients), in one statement.
    pub async fn client_names(&self, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        let mut conditions = Conditions::default();
        conditions.and_in("id", ids.iter().map(|id| Value::Int(*id)).collect());
        let sql = format!("SELECT id, name FROM clients{}", conditions.sql());
        // Built from placeholders only.
        with_db!(self, pool => {
            Ok(bind_conditions!(
                sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())),
                conditions
            )
            .fetch_all(pool)
            .await?)
        })
    }

    /// The company with this enterprise number, if the directory has it (to propose it
    /// instead of creating a duplicate).
    pub async fn client_by_enterprise_number(&self, number: &str) -> Result<Option<ClientRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ClientRecord>(BY_NUMBER).bind(number).fetch_optional(pool).await?)
        })
    }

    /// The directory, by name, enterprise number or e-mail, and kind (`company`/`consumer`).
    pub async fn clients(
        &self,
        search: Option<&str>,
        kind: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<ClientRecord>> {
        let search = search.map(str::trim).filter(|s| !s.is_empty()).map(|s| {
            // Enterprise numbers are stored as 10 digits: search "0202.239.951" as such.
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let term = if digits.len() >= 4 && digits.len() + 3 >= s.len() {
                digits
            } else {
                s.to_lowercase()
            };
            format!("%{}%", term.replace(['%', '_'], ""))
        });
        let kind = kind.filter(|k| !k.is_empty());
        with_db!(self, pool => {
            let (total,): (i64,) =
                sqlx::query_as(COUNT).bind(search.as_deref()).bind(kind).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, ClientRecord>(LIST)
                .bind(search.as_deref())
                .bind(kind)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Creates or (with `id`) updates a client. A Belgian company exists once: a second one
    /// with the same enterprise number is refused (`enterprise_number` taken).
    pub async fn save_client(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        client: &Client,
    ) -> Result<ClientRecord> {
        let number = client
            .enterprise_number
            .as_ref()
            .map(|n| n.as_str().to_string());
        write_tx!(self, tx => {
            if let Some(number) = &number {
                let taken: Option<(i64,)> = sqlx::query_as(TAKEN)
                    .bind(number)
                    .bind(id.unwrap_or(0))
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Duplicate { field: "enterprise_number" });
                }
            }
            let before = match id {
                Some(id) => Some(
                    sqlx::query_as::<_, ClientRecord>(GET)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound)?,
                ),
                None => None,
            };
            let a = &client.address;
            let now = now_micros();
            let id = match id {
                Some(id) => {
                    sqlx::query(UPDATE)
                        .bind(client.kind.code())
                        .bind(&client.name)
                        .bind(number.as_deref())
                        .bind(client.vat_number.as_deref())
                        .bind(&a.street)
                        .bind(&a.postcode)
                        .bind(&a.city)
                        .bind(&a.country)
                        .bind(client.language.code())
                        .bind(client.email.as_deref())
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(INSERT)
                        .bind(client.kind.code())
                        .bind(&client.name)
                        .bind(number.as_deref())
                        .bind(client.vat_number.as_deref())
                        .bind(&a.street)
                        .bind(&a.postcode)
                        .bind(&a.city)
                        .bind(&a.country)
                        .bind(client.language.code())
                        .bind(client.email.as_deref())
                        .bind(ctx.actor_account_id)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = sqlx::query_as::<_, ClientRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            let action = if before.is_some() { "update" } else { "create" };
            audit!(tx, ctx, action, "client", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }
}
