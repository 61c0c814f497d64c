//! The usage contract: versioned texts and their acceptances.

use jiff::civil::Date;
use ruche_domain::usage_contract::{VersionInForce, in_force};
use serde::Serialize;

use crate::{AuditContext, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct UsageContractVersion {
    pub id: i64,
    pub label: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    pub text_fr: String,
    pub text_nl: String,
    pub text_en: String,
    pub published_at: i64,
    pub published_by: Option<i64>,
}

impl UsageContractVersion {
    pub fn effective_date(&self) -> Result<Date> {
        self.effective_from
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad date {}", self.effective_from)))
    }

    pub fn text(&self, language: ruche_domain::Language) -> &str {
        match language {
            ruche_domain::Language::Fr => &self.text_fr,
            ruche_domain::Language::Nl => &self.text_nl,
            ruche_domain::Language::En => &self.text_en,
        }
    }
}

/// A new version to publish.
#[derive(Debug, Clone)]
pub struct NewUsageContractVersion {
    pub label: String,
    pub effective_from: Date,
    pub text_fr: String,
    pub text_nl: String,
    pub text_en: String,
}

const LIST: &str = "SELECT id, label, effective_from, text_fr, text_nl, text_en, \
    published_at, published_by FROM usage_contract_versions ORDER BY effective_from DESC, id DESC \
    LIMIT 200";
const GET: &str = "SELECT id, label, effective_from, text_fr, text_nl, text_en, \
    published_at, published_by FROM usage_contract_versions WHERE id = $1";
const LABEL_TAKEN: &str = "SELECT id FROM usage_contract_versions WHERE label = $1";
const INSERT: &str = "INSERT INTO usage_contract_versions (label, effective_from, text_fr, \
    text_nl, text_en, published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const ACCEPTED: &str = "SELECT accepted_at FROM usage_contract_acceptances \
    WHERE account_id = $1 AND version_id = $2";
const ACCEPT: &str = "INSERT INTO usage_contract_acceptances (account_id, version_id, \
    accepted_at, ip) VALUES ($1, $2, $3, $4)";
// Every version's date with this account's acceptance, without the texts.
const ACCEPTANCE_OF: &str = "SELECT v.id, v.effective_from, a.accepted_at \
    FROM usage_contract_versions v LEFT JOIN usage_contract_acceptances a \
    ON a.version_id = v.id AND a.account_id = $1 \
    ORDER BY v.effective_from DESC, v.id DESC LIMIT 200";
const ACCEPTANCES: &str = "SELECT COUNT(*) FROM usage_contract_acceptances WHERE version_id = $1";

impl Store {
    pub async fn usage_contract_versions(&self) -> Result<Vec<UsageContractVersion>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, UsageContractVersion>(LIST).fetch_all(pool).await?)
        })
    }

    pub async fn usage_contract_version(&self, id: i64) -> Result<UsageContractVersion> {
        with_db!(self, pool => {
            sqlx::query_as::<_, UsageContractVersion>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The version in force on `today` (see the domain rule).
    pub async fn usage_contract_in_force(
        &self,
        today: Date,
    ) -> Result<Option<UsageContractVersion>> {
        let versions = self.usage_contract_versions().await?;
        let mut dated = Vec::with_capacity(versions.len());
        for v in &versions {
            dated.push(VersionInForce {
                id: v.id,
                effective_from: v.effective_date()?,
            });
        }
        let current = in_force(&dated, today);
        Ok(current.and_then(|c| versions.into_iter().find(|v| v.id == c.id)))
    }

    /// Whether `account_id` accepted the version in force on `today`: `None` when no version
    /// is in force. One statement, the texts unread (every request asks it).
    pub async fn usage_contract_accepted(
        &self,
        account_id: i64,
        today: Date,
    ) -> Result<Option<bool>> {
        let rows: Vec<(i64, String, Option<i64>)> = with_db!(self, pool => {
            sqlx::query_as(ACCEPTANCE_OF).bind(account_id).fetch_all(pool).await?
        });
        let mut dated = Vec::with_capacity(rows.len());
        for (id, effective_from, _) in &rows {
            dated.push(VersionInForce {
                id: *id,
                effective_from: effective_from.parse().map_err(|_| {
                    StoreError::Corrupt(format!("usage contract {id}: date {effective_from}"))
                })?,
            });
        }
        Ok(in_force(&dated, today).map(|current| {
            rows.iter()
                .any(|(id, _, accepted_at)| *id == current.id && accepted_at.is_some())
        }))
    }

    /// Publishes a new version. Once its date comes, every member is asked to accept it.
    pub async fn publish_usage_contract(
        &self,
        ctx: &AuditContext,
        new: &NewUsageContractVersion,
    ) -> Result<UsageContractVersion> {
        write_tx!(self, tx => {
            let taken: Option<(i64,)> =
                sqlx::query_as(LABEL_TAKEN).bind(&new.label).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate { field: "label" });
            }
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(&new.label)
                .bind(new.effective_from.to_string())
                .bind(&new.text_fr)
                .bind(&new.text_nl)
                .bind(&new.text_en)
                .bind(now_micros())
                .bind(ctx.actor_account_id)
                .fetch_one(&mut *tx)
                .await?;
            let version = sqlx::query_as::<_, UsageContractVersion>(GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "publish", "usage_contract", Some(id), None::<&()>, Some(&version));
            Ok(version)
        })
    }

    /// When the account accepted this version, if it did.
    pub async fn usage_contract_accepted_at(
        &self,
        account_id: i64,
        version_id: i64,
    ) -> Result<Option<i64>> {
        with_db!(self, pool => {
            let row: Option<(i64,)> = sqlx::query_as(ACCEPTED)
                .bind(account_id)
                .bind(version_id)
                .fetch_optional(pool)
                .await?;
            Ok(row.map(|(at,)| at))
        })
    }

    /// Records the acceptance (version, time, IP). Accepting twice keeps the first record.
    pub async fn accept_usage_contract(
        &self,
        ctx: &AuditContext,
        account_id: i64,
        version_id: i64,
    ) -> Result<()> {
        write_tx!(self, tx => {
            let already: Option<(i64,)> = sqlx::query_as(ACCEPTED)
                .bind(account_id)
                .bind(version_id)
                .fetch_optional(&mut *tx)
                .await?;
            if already.is_none() {
                let exists: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM usage_contract_versions WHERE id = $1")
                        .bind(version_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound);
                }
                let at = now_micros();
                sqlx::query(ACCEPT)
                    .bind(account_id)
                    .bind(version_id)
                    .bind(at)
                    .bind(ctx.ip.as_deref())
                    .execute(&mut *tx)
                    .await?;
                let record = serde_json::json!({ "account_id": account_id, "version_id": version_id, "accepted_at": at });
                audit!(tx, ctx, "accept", "usage_contract", Some(version_id), None::<&()>, Some(&record));
            }
            Ok(())
        })
    }

    pub async fn usage_contract_acceptance_count(&self, version_id: i64) -> Result<i64> {
        with_db!(self, pool => {
            let (n,): (i64,) = sqlx::query_as(ACCEPTANCES).bind(version_id).fetch_one(pool).await?;
            Ok(n)
        })
    }
}
