//! Legal entities of the group.

use ruche_domain::group::LegalEntity;
use serde::Serialize;

use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LegalEntityRecord {
    pub id: i64,
    pub name: String,
    pub legal_form: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub enterprise_number: String,
    pub vat_number: Option<String>,
    pub iban: String,
    pub court_register: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const GET: &str = "SELECT id, name, legal_form, street, postcode, city, country, \
    enterprise_number, vat_number, iban, court_register, created_at, updated_at \
    FROM legal_entities WHERE id = $1";
const LIST: &str = "SELECT id, name, legal_form, street, postcode, city, country, \
    enterprise_number, vat_number, iban, court_register, created_at, updated_at \
    FROM legal_entities ORDER BY name, id LIMIT $1 OFFSET $2";
const COUNT: &str = "SELECT COUNT(*) FROM legal_entities";
const TAKEN: &str = "SELECT id FROM legal_entities WHERE enterprise_number = $1 AND id <> $2";
const INSERT: &str = "INSERT INTO legal_entities (name, legal_form, street, postcode, city, \
    country, enterprise_number, vat_number, iban, court_register, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
const UPDATE: &str = "UPDATE legal_entities SET name = $1, legal_form = $2, street = $3, \
    postcode = $4, city = $5, country = $6, enterprise_number = $7, vat_number = $8, iban = $9, \
    court_register = $10, updated_at = $11 WHERE id = $12";

impl Store {
    pub async fn legal_entity(&self, id: i64) -> Result<LegalEntityRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, LegalEntityRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn legal_entities(&self, page: PageRequest) -> Result<Page<LegalEntityRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, LegalEntityRecord>(LIST)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Creates or (with `id`) updates a legal entity; the enterprise number is unique.
    pub async fn save_legal_entity(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        entity: &LegalEntity,
    ) -> Result<LegalEntityRecord> {
        let vat = entity.vat_number.as_ref().map(|v| v.to_string());
        write_tx!(self, tx => {
            let taken: Option<(i64,)> = sqlx::query_as(TAKEN)
                .bind(entity.enterprise_number.as_str())
                .bind(id.unwrap_or(0))
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate { field: "enterprise_number" });
            }
            let before = match id {
                Some(id) => Some(
                    sqlx::query_as::<_, LegalEntityRecord>(GET)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound)?,
                ),
                None => None,
            };
            let a = &entity.registered_office;
            let id = match id {
                Some(id) => {
                    sqlx::query(UPDATE)
                        .bind(&entity.name)
                        .bind(&entity.legal_form)
                        .bind(&a.street)
                        .bind(&a.postcode)
                        .bind(&a.city)
                        .bind(&a.country)
                        .bind(entity.enterprise_number.as_str())
                        .bind(vat.as_deref())
                        .bind(entity.iban.as_str())
                        .bind(&entity.court_register)
                        .bind(now_micros())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(INSERT)
                        .bind(&entity.name)
                        .bind(&entity.legal_form)
                        .bind(&a.street)
                        .bind(&a.postcode)
                        .bind(&a.city)
                        .bind(&a.country)
                        .bind(entity.enterprise_number.as_str())
                        .bind(vat.as_deref())
                        .bind(entity.iban.as_str())
                        .bind(&entity.court_register)
                        .bind(now_micros())
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = sqlx::query_as::<_, LegalEntityRecord>(GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let action = if before.is_some() { "update" } else { "create" };
            audit!(tx, ctx, action, "legal_entity", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }
}
