//! The versioned statutes (C11; reference/governance.md §8.3): versions in force from a
//! date, with the rules the engines read and their tagged articles in FR/NL/EN. A version
//! adopted in ruche names the extraordinary general assembly's adopted resolution of kind
//! `statutes` or `object`; versions entered from the archive name none. Versions are
//! never edited: an amendment is a new version.

use jiff::civil::Date;
use ruche_domain::governance::statutes::{
    Article, ArticleTag, NewStatuteVersion, StatuteRules, VoteWeighting, check_adopting_resolution,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::{AuditContext, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StatuteVersionRecord {
    pub id: i64,
    pub label: String,
    pub effective_from: String,
    pub adopted_on: String,
    pub adopted_by_resolution_id: Option<i64>,
    pub vote_weighting: String,
    pub proxies_per_holder: i64,
    pub proxy_must_be_member: bool,
    pub resignation_months: i64,
    pub partial_resignation_allowed: bool,
    pub dividends_allowed: bool,
    pub summary: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

impl StatuteVersionRecord {
    /// The rules this version sets, as the engines read them.
    pub fn rules(&self) -> Result<StatuteRules> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("statutes {} {what}", self.id));
        Ok(StatuteRules {
            vote_weighting: VoteWeighting::parse(&self.vote_weighting)
                .ok_or_else(|| corrupt("vote weighting"))?,
            proxies_per_holder: u32::try_from(self.proxies_per_holder)
                .map_err(|_| corrupt("proxies"))?,
            proxy_must_be_member: self.proxy_must_be_member,
            resignation_months: u32::try_from(self.resignation_months)
                .map_err(|_| corrupt("resignation months"))?,
            partial_resignation_allowed: self.partial_resignation_allowed,
            dividends_allowed: self.dividends_allowed,
        })
    }

    pub fn effective_from_date(&self) -> Result<Date> {
        self.effective_from
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("statutes {} date", self.id)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StatuteArticleRecord {
    pub id: i64,
    pub version_id: i64,
    pub number: String,
    pub position: i64,
    pub heading: String,
    pub text_fr: String,
    pub text_nl: String,
    pub text_en: String,
    /// Comma-separated [`ArticleTag`] codes.
    pub tags: String,
}

impl StatuteArticleRecord {
    pub fn tag_list(&self) -> Vec<ArticleTag> {
        ArticleTag::parse_list(&self.tags).unwrap_or_default()
    }

    pub fn article(&self) -> Article {
        Article {
            number: self.number.clone(),
            heading: self.heading.clone(),
            text_fr: self.text_fr.clone(),
            text_nl: self.text_nl.clone(),
            text_en: self.text_en.clone(),
            tags: self.tag_list(),
        }
    }
}

/// A version with its articles, in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatuteVersionFull {
    pub version: StatuteVersionRecord,
    pub articles: Vec<StatuteArticleRecord>,
}

impl StatuteVersionFull {
    /// The articles carrying `tag` (the compliance checks look for `purpose`, `object`…).
    pub fn tagged(&self, tag: ArticleTag) -> Vec<&StatuteArticleRecord> {
        self.articles
            .iter()
            .filter(|a| a.tag_list().contains(&tag))
            .collect()
    }

    pub fn domain_articles(&self) -> Vec<Article> {
        self.articles
            .iter()
            .map(StatuteArticleRecord::article)
            .collect()
    }
}

macro_rules! version_select {
    () => {
        "SELECT id, label, effective_from, adopted_on, adopted_by_resolution_id, \
         vote_weighting, proxies_per_holder, proxy_must_be_member, resignation_months, \
         partial_resignation_allowed, dividends_allowed, summary, created_by, created_at \
         FROM statute_versions "
    };
}
const LIST: &str = concat!(version_select!(), "ORDER BY effective_from DESC LIMIT 1000");
const GET: &str = concat!(version_select!(), "WHERE id = $1");
const ON: &str = "SELECT id FROM statute_versions WHERE effective_from <= $1 \
    ORDER BY effective_from DESC LIMIT 1";
const ARTICLES: &str = "SELECT id, version_id, number, position, heading, text_fr, text_nl, \
    text_en, tags FROM statute_articles WHERE version_id = $1 ORDER BY position, id";
const TAKEN: &str = "SELECT id FROM statute_versions WHERE effective_from = $1";
const RESOLUTION: &str = "SELECT r.kind, r.status, a.kind FROM resolutions r \
    JOIN general_assemblies a ON a.id = r.assembly_id WHERE r.id = $1";
const INSERT: &str = "INSERT INTO statute_versions (label, effective_from, adopted_on, \
    adopted_by_resolution_id, vote_weighting, proxies_per_holder, proxy_must_be_member, \
    resignation_months, partial_resignation_allowed, dividends_allowed, summary, created_by, \
    created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
const ARTICLE_INSERT: &str = "INSERT INTO statute_articles (version_id, number, position, \
    heading, text_fr, text_nl, text_en, tags) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

impl Store {
    /// Stores a new version with its articles. Refused (nothing written) when another
    /// version starts the same day, or the adopting resolution is unknown, not adopted, not
    /// about the statutes or the object, or not voted by an extraordinary assembly.
    pub async fn create_statute_version(
        &self,
        ctx: &AuditContext,
        new: &NewStatuteVersion,
    ) -> Result<StatuteVersionFull> {
        write_tx!(self, tx => {
            let taken: Option<(i64,)> = sqlx::query_as(TAKEN)
                .bind(new.effective_from.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Refused(FieldErrors::single(
                    "stat_effective_from",
                    "stat-effective-taken",
                )));
            }
            if let Some(resolution_id) = new.adopted_by_resolution_id {
                let found: Option<(String, String, String)> = sqlx::query_as(RESOLUTION)
                    .bind(resolution_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let (kind, status, assembly_kind) = found.ok_or_else(|| {
                    StoreError::Refused(FieldErrors::single("stat_resolution", "stat-resolution-unknown"))
                })?;
                check_adopting_resolution(&kind, &status, &assembly_kind).map_err(|e| {
                    StoreError::Refused(FieldErrors::single("stat_resolution", e.code()))
                })?;
            }
            let rules = &new.rules;
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(&new.label)
                .bind(new.effective_from.to_string())
                .bind(new.adopted_on.to_string())
                .bind(new.adopted_by_resolution_id)
                .bind(rules.vote_weighting.code())
                .bind(i64::from(rules.proxies_per_holder))
                .bind(rules.proxy_must_be_member)
                .bind(i64::from(rules.resignation_months))
                .bind(rules.partial_resignation_allowed)
                .bind(rules.dividends_allowed)
                .bind(&new.summary)
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            for (position, article) in new.articles.iter().enumerate() {
                sqlx::query(ARTICLE_INSERT)
                    .bind(id)
                    .bind(&article.number)
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .bind(&article.heading)
                    .bind(&article.text_fr)
                    .bind(&article.text_nl)
                    .bind(&article.text_en)
                    .bind(ArticleTag::join(&article.tags))
                    .execute(&mut *tx)
                    .await?;
            }
            let version = sqlx::query_as::<_, StatuteVersionRecord>(GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let articles = sqlx::query_as::<_, StatuteArticleRecord>(ARTICLES)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            let full = StatuteVersionFull { version, articles };
            audit!(tx, ctx, "statutes.create", "statute_version", Some(id), None::<&()>, Some(&full));
            Ok(full)
        })
    }

    /// Every version, the latest first (a cooperative has a handful).
    pub async fn statute_versions(&self) -> Result<Vec<StatuteVersionRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, StatuteVersionRecord>(LIST).fetch_all(pool).await?)
        })
    }

    /// One version with its articles.
    pub async fn statute_version(&self, id: i64) -> Result<StatuteVersionFull> {
        with_db!(self, pool => {
            let version = sqlx::query_as::<_, StatuteVersionRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            let articles = sqlx::query_as::<_, StatuteArticleRecord>(ARTICLES)
                .bind(id)
                .fetch_all(pool)
                .await?;
            Ok(StatuteVersionFull { version, articles })
        })
    }

    /// The version in force on `on` (the latest that started on or before it), if any.
    pub async fn statute_version_on(&self, on: Date) -> Result<Option<StatuteVersionFull>> {
        let found: Option<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(ON).bind(on.to_string()).fetch_optional(pool).await?
        });
        match found {
            Some((id,)) => Ok(Some(self.statute_version(id).await?)),
            None => Ok(None),
        }
    }
}
