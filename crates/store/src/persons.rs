//! Persons: members, advisors and staff.

use ruche_domain::person::Person;
use serde::Serialize;

use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PersonRecord {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub niss: Option<String>,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub language: String,
    pub iban: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub office_id: Option<i64>,
    /// The declared gender (`f`, `m`, `x`), `None` when not stated.
    pub gender: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PersonRecord {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// This person as the claimant of an expense claim, under `name` (their
    /// [`full_name`](Self::full_name), kept by the caller).
    pub fn claimant<'a>(&'a self, name: &'a str) -> ruche_domain::expense::Claimant<'a> {
        ruche_domain::expense::Claimant {
            person_id: self.id,
            name,
            iban: self.iban.as_deref(),
            street: &self.street,
            postcode: &self.postcode,
            city: &self.city,
            country: &self.country,
        }
    }
}

/// Filters of the persons directory; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Part of the first or last name or e-mail, case-insensitive.
    pub search: Option<String>,
    /// Only the people of these offices (an advisor's view); `None` = all offices.
    pub offices: Option<Vec<i64>>,
}

pub(crate) const GET: &str = "SELECT id, first_name, last_name, niss, street, postcode, city, country, \
    language, iban, email, phone, office_id, gender, created_at, updated_at FROM persons \
    WHERE id = $1";

// `$2` is a comma-separated list of office ids wrapped in commas (",1,4,") or NULL: one
// statement serves both engines without building SQL at run time.
macro_rules! person_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR LOWER(first_name || ' ' || last_name) LIKE $1 \
           OR LOWER(COALESCE(email, '')) LIKE $1) \
          AND (CAST($2 AS TEXT) IS NULL OR $2 LIKE '%,' || CAST(office_id AS TEXT) || ',%')"
    };
}

const LIST: &str = concat!(
    "SELECT id, first_name, last_name, niss, street, postcode, city, country, language, iban, \
     email, phone, office_id, gender, created_at, updated_at FROM persons",
    person_where!(),
    " ORDER BY last_name, first_name, id LIMIT $3 OFFSET $4"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM persons", person_where!());
pub(crate) const NISS_TAKEN: &str = "SELECT id FROM persons WHERE niss = $1 AND id <> $2";
pub(crate) const INSERT: &str = "INSERT INTO persons (first_name, last_name, niss, street, postcode, city, \
    country, language, iban, email, phone, office_id, gender, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id";
pub(crate) const UPDATE: &str = "UPDATE persons SET first_name = $1, last_name = $2, niss = $3, street = $4, \
    postcode = $5, city = $6, country = $7, language = $8, iban = $9, email = $10, phone = $11, \
    office_id = $12, gender = $13, updated_at = $14 WHERE id = $15";
pub(crate) const OFFICE_EXISTS: &str = "SELECT id FROM offices WHERE id = $1";

/// Inserts or updates a person inside the transaction `$tx`, with its audit row; evaluates to
/// the person's id. Shared by [`Store::save_person`] and the account creation.
macro_rules! save_person_in {
    ($tx:ident, $ctx:expr, $id:expr, $person:expr) => {{
        let id: Option<i64> = $id;
        let person: &ruche_domain::person::Person = $person;
        let niss = person.niss.as_ref().map(|n| n.as_str().to_string());
        if let Some(niss) = &niss {
            let taken: Option<(i64,)> = sqlx::query_as($crate::persons::NISS_TAKEN)
                .bind(niss)
                .bind(id.unwrap_or(0))
                .fetch_optional(&mut *$tx)
                .await?;
            if taken.is_some() {
                return Err($crate::StoreError::Duplicate { field: "niss" });
            }
        }
        if let Some(office_id) = person.office_id {
            let exists: Option<(i64,)> = sqlx::query_as($crate::persons::OFFICE_EXISTS)
                .bind(office_id)
                .fetch_optional(&mut *$tx)
                .await?;
            if exists.is_none() {
                return Err($crate::StoreError::NotFound);
            }
        }
        let before = match id {
            Some(id) => Some(
                sqlx::query_as::<_, $crate::persons::PersonRecord>($crate::persons::GET)
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?
                    .ok_or($crate::StoreError::NotFound)?,
            ),
            None => None,
        };
        let a = &person.address;
        let iban = person.iban.as_ref().map(|i| i.as_str().to_string());
        let query = match id {
            Some(_) => sqlx::query($crate::persons::UPDATE),
            None => sqlx::query($crate::persons::INSERT),
        };
        let query = query
            .bind(&person.first_name)
            .bind(&person.last_name)
            .bind(niss.as_deref())
            .bind(&a.street)
            .bind(&a.postcode)
            .bind(&a.city)
            .bind(&a.country)
            .bind(person.language.code())
            .bind(iban.as_deref())
            .bind(person.email.as_deref())
            .bind(person.phone.as_deref())
            .bind(person.office_id)
            .bind(person.gender.map(|g| g.code()))
            .bind($crate::now_micros());
        let id = match id {
            Some(id) => {
                query.bind(id).execute(&mut *$tx).await?;
                id
            }
            None => {
                use sqlx::Row;
                query.fetch_one(&mut *$tx).await?.try_get::<i64, _>(0)?
            }
        };
        let after = sqlx::query_as::<_, $crate::persons::PersonRecord>($crate::persons::GET)
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
        let action = if before.is_some() { "update" } else { "create" };
        audit!(
            $tx,
            $ctx,
            action,
            "person",
            Some(id),
            before.as_ref(),
            Some(&after)
        );
        id
    }};
}
pub(crate) use save_person_in;

impl Store {
    pub async fn person(&self, id: i64) -> Result<PersonRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, PersonRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn persons(
        &self,
        filter: &PersonFilter,
        page: PageRequest,
    ) -> Result<Page<PersonRecord>> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        let offices = filter.offices.as_ref().map(|ids| {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(",{},", list.join(","))
        });
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(search.as_deref())
                .bind(offices.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, PersonRecord>(LIST)
                .bind(search.as_deref())
                .bind(offices.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Creates or (with `id`) updates a person; the NISS is unique.
    pub async fn save_person(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        person: &Person,
    ) -> Result<PersonRecord> {
        write_tx!(self, tx => {
            let id = save_person_in!(tx, ctx, id, person);
            Ok(sqlx::query_as::<_, PersonRecord>(GET).bind(id).fetch_one(&mut *tx).await?)
        })
    }
}
