//! Offices (antennes / kantoren).

use ruche_domain::group::Office;
use serde::Serialize;

use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OfficeRecord {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const GET: &str = "SELECT id, name, region, street, postcode, city, country, email, phone, \
    created_at, updated_at FROM offices WHERE id = $1";
const LIST: &str = "SELECT id, name, region, street, postcode, city, country, email, phone, \
    created_at, updated_at FROM offices ORDER BY name, id LIMIT $1 OFFSET $2";
const COUNT: &str = "SELECT COUNT(*) FROM offices";
const TAKEN: &str = "SELECT id FROM offices WHERE LOWER(name) = LOWER($1) AND id <> $2";
const INSERT: &str = "INSERT INTO offices (name, region, street, postcode, city, country, \
    email, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
    RETURNING id";
const UPDATE: &str = "UPDATE offices SET name = $1, region = $2, street = $3, postcode = $4, \
    city = $5, country = $6, email = $7, phone = $8, updated_at = $9 WHERE id = $10";

impl Store {
    pub async fn office(&self, id: i64) -> Result<OfficeRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, OfficeRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn offices(&self, page: PageRequest) -> Result<Page<OfficeRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, OfficeRecord>(LIST)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Every office, for select lists (there are a handful; bounded by the page maximum).
    pub async fn all_offices(&self) -> Result<Vec<OfficeRecord>> {
        Ok(self
            .offices(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
            .await?
            .items)
    }

    /// Creates or (with `id`) updates an office; names are unique, ignoring case.
    pub async fn save_office(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        office: &Office,
    ) -> Result<OfficeRecord> {
        write_tx!(self, tx => {
            let taken: Option<(i64,)> = sqlx::query_as(TAKEN)
                .bind(&office.name)
                .bind(id.unwrap_or(0))
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate { field: "name" });
            }
            let before = match id {
                Some(id) => Some(
                    sqlx::query_as::<_, OfficeRecord>(GET)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound)?,
                ),
                None => None,
            };
            let a = &office.address;
            let id = match id {
                Some(id) => {
                    sqlx::query(UPDATE)
                        .bind(&office.name)
                        .bind(office.region.code())
                        .bind(&a.street)
                        .bind(&a.postcode)
                        .bind(&a.city)
                        .bind(&a.country)
                        .bind(office.email.as_deref())
                        .bind(office.phone.as_deref())
                        .bind(now_micros())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(INSERT)
                        .bind(&office.name)
                        .bind(office.region.code())
                        .bind(&a.street)
                        .bind(&a.postcode)
                        .bind(&a.city)
                        .bind(&a.country)
                        .bind(office.email.as_deref())
                        .bind(office.phone.as_deref())
                        .bind(now_micros())
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = sqlx::query_as::<_, OfficeRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            let action = if before.is_some() { "update" } else { "create" };
            audit!(tx, ctx, action, "office", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }
}
