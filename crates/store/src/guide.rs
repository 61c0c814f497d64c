//! The guide (C10): categories, articles, their revisions per language, the links between
//! articles and the daily view counters.
//!
//! Nothing written is overwritten: a change of text is a new revision, numbered from 1 in
//! each (article, language); the current text is the latest. Each revision recomputes the
//! article's internal links (from the current texts of all its languages) and touches the
//! article's `updated_at`, the search index's watermark ([`Store::guide_search_rows`]).
//!
//! Views are counted without personal data (GDPR art. 5(1)(c)): one counter per article and
//! day, incremented with an upsert; no address, account or cookie is stored, and the count
//! itself is not audited (an audit row would record the reader's address).

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::guide::{ArticleSettings, NewCategory, NewRevision, internal_links, plain_text};
use serde::Serialize;

use crate::search::SearchRow;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// The most categories, links, languages or "most read" rows one call reads (TigerStyle).
const MAX_ROWS: i64 = 1_000;
/// The most articles one search refresh reads (the guide has hundreds, not millions).
const MAX_SEARCH_ARTICLES: i64 = 20_000;

/// A category of the guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CategoryRecord {
    pub id: i64,
    pub name_fr: String,
    pub name_nl: String,
    pub name_en: String,
    pub position: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CategoryRecord {
    pub fn name(&self, lang: Language) -> &str {
        match lang {
            Language::Fr => &self.name_fr,
            Language::Nl => &self.name_nl,
            Language::En => &self.name_en,
        }
    }
}

/// An article's settings as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ArticleRecord {
    pub id: i64,
    pub slug: String,
    pub category_id: i64,
    pub status: String,
    pub audience: String,
    pub form_key: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

impl ArticleRecord {
    pub fn published(&self) -> bool {
        self.status == "published"
    }

    pub fn members_only(&self) -> bool {
        self.audience == "members"
    }
}

/// One revision of one language of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RevisionRecord {
    pub id: i64,
    pub article_id: i64,
    pub language: String,
    pub number: i64,
    pub title: String,
    pub body: String,
    pub summary: String,
    pub author_account_id: Option<i64>,
    pub author_email: Option<String>,
    pub created_at: i64,
}

impl RevisionRecord {
    pub fn lang(&self) -> Language {
        Language::parse(&self.language).unwrap_or_default()
    }
}

/// An article in a list, with its title in the reader's language (or the first one written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ArticleListItem {
    pub id: i64,
    pub slug: String,
    pub category_id: i64,
    pub status: String,
    pub audience: String,
    pub form_key: Option<String>,
    pub updated_at: i64,
    pub title: String,
    pub language: String,
}

impl ArticleListItem {
    pub fn published(&self) -> bool {
        self.status == "published"
    }

    pub fn members_only(&self) -> bool {
        self.audience == "members"
    }
}

/// An article with how often it was read in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MostRead {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub views: i64,
}

/// An article linking to another, with what the policy needs to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LinkingArticle {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub audience: String,
    pub title: String,
}

impl LinkingArticle {
    pub fn published(&self) -> bool {
        self.status == "published"
    }

    pub fn members_only(&self) -> bool {
        self.audience == "members"
    }
}

/// Which articles a list shows. What the reader may see is decided by the policy in the
/// web layer, which sets `drafts` and `members`.
#[derive(Debug, Clone, Default)]
pub struct GuideFilter {
    pub category_id: Option<i64>,
    /// Include drafts (editors).
    pub drafts: bool,
    /// Include members-only articles (signed-in readers).
    pub members: bool,
    /// Only this status (`draft` | `published`).
    pub status: Option<String>,
}

/// The year's guide figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GuideYear {
    pub views: i64,
    pub articles_read: i64,
    pub articles_published: i64,
    pub revisions: i64,
}

const CATEGORIES: &str = "SELECT id, name_fr, name_nl, name_en, position, created_at, updated_at \
    FROM guide_categories ORDER BY position, id LIMIT $1";
const CATEGORY_GET: &str = "SELECT id, name_fr, name_nl, name_en, position, created_at, \
    updated_at FROM guide_categories WHERE id = $1";
const CATEGORY_INSERT: &str = "INSERT INTO guide_categories (name_fr, name_nl, name_en, \
    position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
const CATEGORY_UPDATE: &str = "UPDATE guide_categories SET name_fr = $1, name_nl = $2, \
    name_en = $3, position = $4, updated_at = $5 WHERE id = $6";

macro_rules! article_select {
    () => {
        "SELECT id, slug, category_id, status, audience, form_key, created_by, created_at, \
         updated_at, published_at FROM guide_articles"
    };
}
const ARTICLE_GET: &str = concat!(article_select!(), " WHERE id = $1");
const ARTICLE_BY_SLUG: &str = concat!(article_select!(), " WHERE slug = $1");
const ARTICLE_FOR_FORM: &str = concat!(
    article_select!(),
    " WHERE form_key = $1 AND status = 'published' ORDER BY updated_at DESC, id LIMIT 1"
);
const SLUG_TAKEN: &str = "SELECT id FROM guide_articles WHERE slug = $1";
const ARTICLE_INSERT: &str = "INSERT INTO guide_articles (slug, category_id, status, audience, \
    form_key, created_by, created_at, updated_at, published_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id";
const ARTICLE_UPDATE: &str = "UPDATE guide_articles SET slug = $1, category_id = $2, \
    status = $3, audience = $4, form_key = $5, updated_at = $6, published_at = $7 WHERE id = $8";
const ARTICLE_TOUCH: &str = "UPDATE guide_articles SET updated_at = $1 WHERE id = $2";

macro_rules! revision_select {
    () => {
        "SELECT r.id, r.article_id, r.language, r.number, r.title, r.body, r.summary, \
         r.author_account_id, a.email AS author_email, r.created_at FROM guide_revisions r \
         LEFT JOIN accounts a ON a.id = r.author_account_id"
    };
}
const REVISION_CURRENT: &str = concat!(
    revision_select!(),
    " WHERE r.article_id = $1 AND r.language = $2 ORDER BY r.number DESC LIMIT 1"
);
const REVISION_GET: &str = concat!(
    revision_select!(),
    " WHERE r.article_id = $1 AND r.language = $2 AND r.number = $3"
);
const REVISIONS: &str = concat!(
    revision_select!(),
    " WHERE r.article_id = $1 AND r.language = $2 ORDER BY r.number DESC LIMIT $3 OFFSET $4"
);
const REVISIONS_COUNT: &str =
    "SELECT COUNT(*) FROM guide_revisions WHERE article_id = $1 AND language = $2";
/// The current revision of every language of one article.
const CURRENT_TEXTS: &str = "SELECT r.language, r.title, r.body FROM guide_revisions r \
    WHERE r.article_id = $1 AND r.number = (SELECT MAX(x.number) FROM guide_revisions x \
    WHERE x.article_id = r.article_id AND x.language = r.language) ORDER BY r.language LIMIT $2";
const NEXT_NUMBER: &str = "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) \
    FROM guide_revisions WHERE article_id = $1 AND language = $2";
const REVISION_INSERT: &str = "INSERT INTO guide_revisions (article_id, language, number, \
    title, body, summary, author_account_id, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

const LINKS_CLEAR: &str = "DELETE FROM guide_links WHERE from_article_id = $1";
const LINK_INSERT: &str = "INSERT INTO guide_links (from_article_id, to_slug) VALUES ($1, $2)";
const LINKS_UNKNOWN: &str = "SELECT l.to_slug FROM guide_links l WHERE l.from_article_id = $1 \
    AND NOT EXISTS (SELECT 1 FROM guide_articles a WHERE a.slug = l.to_slug) \
    ORDER BY l.to_slug LIMIT $2";

/// The title of article `a` in language `$1`, else French, Dutch, English (latest revision).
macro_rules! title_in {
    ($col:literal) => {
        concat!(
            "(SELECT r.",
            $col,
            " FROM guide_revisions r WHERE r.article_id = a.id ORDER BY CASE \
             WHEN r.language = $1 THEN 0 WHEN r.language = 'fr' THEN 1 \
             WHEN r.language = 'nl' THEN 2 ELSE 3 END, r.number DESC LIMIT 1)"
        )
    };
}

const LINKED_FROM: &str = concat!(
    "SELECT a.id, a.slug, a.status, a.audience, ",
    title_in!("title"),
    " AS title FROM guide_links l JOIN guide_articles a ON a.id = l.from_article_id \
     WHERE l.to_slug = $2 ORDER BY a.slug LIMIT $3"
);

macro_rules! list_where {
    () => {
        " WHERE (CAST($2 AS BIGINT) IS NULL OR a.category_id = $2) \
          AND ($3 OR a.status = 'published') AND ($4 OR a.audience = 'public') \
          AND (CAST($5 AS TEXT) IS NULL OR a.status = $5)"
    };
}
const LIST: &str = concat!(
    "SELECT a.id, a.slug, a.category_id, a.status, a.audience, a.form_key, a.updated_at, ",
    title_in!("title"),
    " AS title, ",
    title_in!("language"),
    " AS language FROM guide_articles a",
    list_where!(),
    " ORDER BY a.category_id, title, a.id LIMIT $6 OFFSET $7"
);
// $1 is unused by the count but keeps the numbering of the list (PostgreSQL needs it typed).
const LIST_COUNT: &str = concat!(
    "SELECT COUNT(*) FROM guide_articles a",
    list_where!(),
    " AND CAST($1 AS TEXT) IS NOT NULL"
);

const VIEW_UPSERT: &str = "INSERT INTO guide_views (article_id, day, views) VALUES ($1, $2, 1) \
    ON CONFLICT (article_id, day) DO UPDATE SET views = guide_views.views + 1";
const VIEWS_ADD: &str = "INSERT INTO guide_views (article_id, day, views) VALUES ($1, $2, $3) \
    ON CONFLICT (article_id, day) DO UPDATE SET views = guide_views.views + excluded.views";
const VIEWS_OF: &str = "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM guide_views \
    WHERE article_id = $1 AND day >= $2 AND day < $3";
const MOST_READ: &str = concat!(
    "SELECT a.id, a.slug, ",
    title_in!("title"),
    " AS title, CAST(SUM(v.views) AS BIGINT) AS views FROM guide_views v \
     JOIN guide_articles a ON a.id = v.article_id \
     WHERE v.day >= $2 AND v.day < $3 AND a.status = 'published' \
     AND ($4 OR a.audience = 'public') \
     GROUP BY a.id, a.slug ORDER BY views DESC, a.id LIMIT $5"
);

const SEARCH_ARTICLES: &str = concat!(
    article_select!(),
    " WHERE updated_at >= $1 ORDER BY id LIMIT $2"
);

const YEAR_VIEWS: &str = "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT), \
    COUNT(DISTINCT article_id) FROM guide_views WHERE day >= $1 AND day < $2";
const YEAR_PUBLISHED: &str = "SELECT COUNT(*) FROM guide_articles \
    WHERE status = 'published' AND published_at < $1";
const YEAR_REVISIONS: &str =
    "SELECT COUNT(*) FROM guide_revisions WHERE created_at >= $1 AND created_at < $2";

/// Inserts the next revision of a language inside the transaction `$tx`, recomputes the
/// article's links from the current texts of all its languages, touches the article (the
/// search watermark) and audits; evaluates to the revision as stored.
macro_rules! insert_revision {
    ($tx:ident, $ctx:expr, $article_id:expr, $revision:expr, $at:expr) => {{
        let ctx: &AuditContext = $ctx;
        let article_id: i64 = $article_id;
        let revision: &NewRevision = $revision;
        let at: i64 = $at;
        let lang = revision.language.code();
        let (number,): (i64,) = sqlx::query_as(NEXT_NUMBER)
            .bind(article_id)
            .bind(lang)
            .fetch_one(&mut *$tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(REVISION_INSERT)
            .bind(article_id)
            .bind(lang)
            .bind(number)
            .bind(&revision.title)
            .bind(&revision.body)
            .bind(&revision.summary)
            .bind(ctx.actor_account_id)
            .bind(at)
            .fetch_one(&mut *$tx)
            .await?;
        let texts: Vec<(String, String, String)> = sqlx::query_as(CURRENT_TEXTS)
            .bind(article_id)
            .bind(MAX_ROWS)
            .fetch_all(&mut *$tx)
            .await?;
        sqlx::query(LINKS_CLEAR)
            .bind(article_id)
            .execute(&mut *$tx)
            .await?;
        let mut slugs: Vec<String> = Vec::new();
        for (_, _, body) in &texts {
            for slug in internal_links(body) {
                if !slugs.contains(&slug) {
                    slugs.push(slug);
                }
            }
        }
        for slug in &slugs {
            sqlx::query(LINK_INSERT)
                .bind(article_id)
                .bind(slug)
                .execute(&mut *$tx)
                .await?;
        }
        sqlx::query(ARTICLE_TOUCH)
            .bind(at)
            .bind(article_id)
            .execute(&mut *$tx)
            .await?;
        let after = sqlx::query_as::<_, RevisionRecord>(concat!(revision_select!(), " WHERE r.id = $1"))
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
        // The body is in the revision itself; the audit keeps who, when, which number.
        let snapshot = serde_json::json!({
            "article_id": article_id,
            "language": lang,
            "number": number,
            "title": &after.title,
            "summary": &after.summary,
        });
        audit!($tx, ctx, "guide.revision.create", "guide_revision", Some(id), None::<&()>, Some(&snapshot));
        after
    }};
}

fn lang_of(code: &str) -> Result<Language> {
    Language::parse(code).ok_or_else(|| StoreError::Corrupt(format!("guide language {code}")))
}

/// Maps the slug's unique constraint to the form field.
fn slug_taken(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate {
            field: "guide_slug",
        },
        _ => StoreError::Database(e),
    }
}

impl Store {
    // ------------------------------------------------------------------- categories

    /// The categories, in display order.
    pub async fn guide_categories(&self) -> Result<Vec<CategoryRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, CategoryRecord>(CATEGORIES)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?)
        })
    }

    pub async fn guide_category(&self, id: i64) -> Result<CategoryRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, CategoryRecord>(CATEGORY_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn create_guide_category(
        &self,
        ctx: &AuditContext,
        new: &NewCategory,
    ) -> Result<CategoryRecord> {
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(CATEGORY_INSERT)
                .bind(&new.name_fr)
                .bind(&new.name_nl)
                .bind(&new.name_en)
                .bind(new.position)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, CategoryRecord>(CATEGORY_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "guide.category.create", "guide_category", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn update_guide_category(
        &self,
        ctx: &AuditContext,
        id: i64,
        new: &NewCategory,
    ) -> Result<CategoryRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, CategoryRecord>(CATEGORY_GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query(CATEGORY_UPDATE)
                .bind(&new.name_fr)
                .bind(&new.name_nl)
                .bind(&new.name_en)
                .bind(new.position)
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, CategoryRecord>(CATEGORY_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "guide.category.update", "guide_category", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    // --------------------------------------------------------------------- articles

    /// Creates an article with the first revision of one language.
    pub async fn create_guide_article(
        &self,
        ctx: &AuditContext,
        settings: &ArticleSettings,
        first: &NewRevision,
    ) -> Result<ArticleRecord> {
        self.create_guide_article_at(ctx, settings, first, now_micros())
            .await
    }

    /// [`Store::create_guide_article`] dated `at` (Unix µs): the demo writes a past history.
    pub async fn create_guide_article_at(
        &self,
        ctx: &AuditContext,
        settings: &ArticleSettings,
        first: &NewRevision,
        at: i64,
    ) -> Result<ArticleRecord> {
        write_tx!(self, tx => {
            let taken: Option<(i64,)> = sqlx::query_as(SLUG_TAKEN)
                .bind(settings.slug.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate { field: "guide_slug" });
            }
            if sqlx::query_as::<_, CategoryRecord>(CATEGORY_GET)
                .bind(settings.category_id)
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
            {
                return Err(StoreError::Refused(
                    ruche_domain::validate::FieldErrors::single("guide_category", "guide-choice"),
                ));
            }
            let published = settings.status == ruche_domain::guide::Status::Published;
            let (id,): (i64,) = sqlx::query_as(ARTICLE_INSERT)
                .bind(settings.slug.as_str())
                .bind(settings.category_id)
                .bind(settings.status.code())
                .bind(settings.audience.code())
                .bind(settings.form_key.as_deref())
                .bind(ctx.actor_account_id)
                .bind(at)
                .bind(published.then_some(at))
                .fetch_one(&mut *tx)
                .await
                .map_err(slug_taken)?;
            insert_revision!(tx, ctx, id, first, at);
            let after = sqlx::query_as::<_, ArticleRecord>(ARTICLE_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "guide.article.create", "guide_article", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Changes an article's settings (slug, category, status, audience, form).
    pub async fn update_guide_article(
        &self,
        ctx: &AuditContext,
        id: i64,
        settings: &ArticleSettings,
    ) -> Result<ArticleRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ArticleRecord>(ARTICLE_GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let taken: Option<(i64,)> = sqlx::query_as(SLUG_TAKEN)
                .bind(settings.slug.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some_and(|(other,)| other != id) {
                return Err(StoreError::Duplicate { field: "guide_slug" });
            }
            if sqlx::query_as::<_, CategoryRecord>(CATEGORY_GET)
                .bind(settings.category_id)
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
            {
                return Err(StoreError::Refused(
                    ruche_domain::validate::FieldErrors::single("guide_category", "guide-choice"),
                ));
            }
            let published = settings.status == ruche_domain::guide::Status::Published;
            let published_at = before.published_at.or(published.then_some(now));
            sqlx::query(ARTICLE_UPDATE)
                .bind(settings.slug.as_str())
                .bind(settings.category_id)
                .bind(settings.status.code())
                .bind(settings.audience.code())
                .bind(settings.form_key.as_deref())
                .bind(now)
                .bind(published_at)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(slug_taken)?;
            let after = sqlx::query_as::<_, ArticleRecord>(ARTICLE_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "guide.article.update", "guide_article", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn guide_article(&self, id: i64) -> Result<ArticleRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ArticleRecord>(ARTICLE_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    pub async fn guide_article_by_slug(&self, slug: &str) -> Result<ArticleRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ArticleRecord>(ARTICLE_BY_SLUG)
                .bind(slug)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The published article explaining the rules of a form (`expense`, `contract`…).
    pub async fn guide_article_for_form(&self, form_key: &str) -> Result<Option<ArticleRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ArticleRecord>(ARTICLE_FOR_FORM)
                .bind(form_key)
                .fetch_optional(pool)
                .await?)
        })
    }

    /// Articles with their title in `lang` (or the first language written), by category
    /// then title.
    pub async fn guide_articles(
        &self,
        lang: Language,
        filter: &GuideFilter,
        page: PageRequest,
    ) -> Result<Page<ArticleListItem>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(LIST_COUNT)
                .bind(lang.code())
                .bind(filter.category_id)
                .bind(filter.drafts)
                .bind(filter.members)
                .bind(filter.status.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, ArticleListItem>(LIST)
                .bind(lang.code())
                .bind(filter.category_id)
                .bind(filter.drafts)
                .bind(filter.members)
                .bind(filter.status.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // -------------------------------------------------------------------- revisions

    /// Adds a revision of one language (the first of a new language, or a new version).
    pub async fn add_guide_revision(
        &self,
        ctx: &AuditContext,
        article_id: i64,
        revision: &NewRevision,
    ) -> Result<RevisionRecord> {
        self.add_guide_revision_at(ctx, article_id, revision, now_micros())
            .await
    }

    /// [`Store::add_guide_revision`] dated `at` (Unix µs): the demo writes a past history.
    pub async fn add_guide_revision_at(
        &self,
        ctx: &AuditContext,
        article_id: i64,
        revision: &NewRevision,
        at: i64,
    ) -> Result<RevisionRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, ArticleRecord>(ARTICLE_GET)
                .bind(article_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let rev = insert_revision!(tx, ctx, article_id, revision, at.max(before.created_at));
            Ok(rev)
        })
    }

    /// The current (latest) revision of one language, if the article has that language.
    pub async fn guide_current(
        &self,
        article_id: i64,
        lang: Language,
    ) -> Result<Option<RevisionRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, RevisionRecord>(REVISION_CURRENT)
                .bind(article_id)
                .bind(lang.code())
                .fetch_optional(pool)
                .await?)
        })
    }

    pub async fn guide_revision(
        &self,
        article_id: i64,
        lang: Language,
        number: i64,
    ) -> Result<RevisionRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, RevisionRecord>(REVISION_GET)
                .bind(article_id)
                .bind(lang.code())
                .bind(number)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The history of one language, newest first.
    pub async fn guide_revisions(
        &self,
        article_id: i64,
        lang: Language,
        page: PageRequest,
    ) -> Result<Page<RevisionRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(REVISIONS_COUNT)
                .bind(article_id)
                .bind(lang.code())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, RevisionRecord>(REVISIONS)
                .bind(article_id)
                .bind(lang.code())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The languages the article is written in, in the order FR, NL, EN.
    pub async fn guide_languages(&self, article_id: i64) -> Result<Vec<Language>> {
        let rows: Vec<(String, String, String)> = with_db!(self, pool => {
            sqlx::query_as(CURRENT_TEXTS)
                .bind(article_id)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?
        });
        let have: Vec<Language> = rows
            .iter()
            .map(|(l, _, _)| lang_of(l))
            .collect::<Result<_>>()?;
        Ok(Language::ALL
            .into_iter()
            .filter(|l| have.contains(l))
            .collect())
    }

    // ------------------------------------------------------------------------ links

    /// The articles whose current text links to `slug`, titled in `lang`. The caller
    /// keeps only those the reader may see.
    pub async fn guide_linked_from(
        &self,
        lang: Language,
        slug: &str,
    ) -> Result<Vec<LinkingArticle>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, LinkingArticle>(LINKED_FROM)
                .bind(lang.code())
                .bind(slug)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The slugs the article links to that name no article (flagged in the editor).
    pub async fn guide_unknown_links(&self, article_id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = with_db!(self, pool => {
            sqlx::query_as(LINKS_UNKNOWN)
                .bind(article_id)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }

    // ------------------------------------------------------------------------ views

    /// Counts one view of the article on `day` (Brussels). Stores nothing about the reader.
    pub async fn record_guide_view(&self, article_id: i64, day: Date) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(VIEW_UPSERT)
                .bind(article_id)
                .bind(day.to_string())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Adds counted views per day (an import of past counters, the demo's history), in one
    /// transaction, audited once.
    pub async fn add_guide_views(
        &self,
        ctx: &AuditContext,
        article_id: i64,
        days: &[(Date, i64)],
    ) -> Result<i64> {
        if days.iter().any(|(_, n)| *n < 0) {
            return Err(StoreError::Conflict("guide-negative-views"));
        }
        let total: i64 = days.iter().map(|(_, n)| *n).sum();
        write_tx!(self, tx => {
            for (day, views) in days {
                sqlx::query(VIEWS_ADD)
                    .bind(article_id)
                    .bind(day.to_string())
                    .bind(*views)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = serde_json::json!({ "days": days.len(), "views": total });
            audit!(tx, ctx, "guide.views.import", "guide_article", Some(article_id), None::<&()>, Some(&after));
            Ok(total)
        })
    }

    /// The views of one article on the days in [`from`, `to`).
    pub async fn guide_views_of(&self, article_id: i64, from: Date, to: Date) -> Result<i64> {
        with_db!(self, pool => {
            let (n,): (i64,) = sqlx::query_as(VIEWS_OF)
                .bind(article_id)
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_one(pool)
                .await?;
            Ok(n)
        })
    }

    /// The most read published articles on the days in [`from`, `to`); members-only ones
    /// only when `members`.
    pub async fn guide_most_read(
        &self,
        lang: Language,
        from: Date,
        to: Date,
        members: bool,
        limit: i64,
    ) -> Result<Vec<MostRead>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, MostRead>(MOST_READ)
                .bind(lang.code())
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(members)
                .bind(limit.clamp(1, MAX_ROWS))
                .fetch_all(pool)
                .await?)
        })
    }

    // ----------------------------------------------------------------------- search

    /// For every article changed at or after `since` (all when `None`), one row per
    /// language it is written in (its current text), for the search index. Drafts come as
    /// `visible: false` so that the index drops them.
    pub async fn guide_search_rows(&self, since: Option<i64>) -> Result<Vec<SearchRow>> {
        let since = since.unwrap_or(i64::MIN);
        with_db!(self, pool => {
            let articles = sqlx::query_as::<_, ArticleRecord>(SEARCH_ARTICLES)
                .bind(since)
                .bind(MAX_SEARCH_ARTICLES)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(articles.len() * 2);
            for a in articles {
                let texts: Vec<(String, String, String)> = sqlx::query_as(CURRENT_TEXTS)
                    .bind(a.id)
                    .bind(MAX_ROWS)
                    .fetch_all(pool)
                    .await?;
                for (language, title, body) in texts {
                    out.push(SearchRow {
                        id: a.id,
                        language: lang_of(&language)?,
                        title,
                        body: plain_text(&body),
                        facets: vec![
                            ("category".to_string(), a.category_id.to_string()),
                            ("audience".to_string(), a.audience.clone()),
                            ("slug".to_string(), a.slug.clone()),
                        ],
                        visible: a.published(),
                        updated_at: a.updated_at,
                    });
                }
            }
            Ok(out)
        })
    }

    // ---------------------------------------------------------------------- figures

    /// The guide's figures of the period [`from`, `to`) given as dates and as instants.
    pub async fn guide_year(
        &self,
        from: &str,
        to: &str,
        from_micros: i64,
        to_micros: i64,
    ) -> Result<GuideYear> {
        with_db!(self, pool => {
            let (views, articles_read): (i64, i64) = sqlx::query_as(YEAR_VIEWS)
                .bind(from)
                .bind(to)
                .fetch_one(pool)
                .await?;
            let (articles_published,): (i64,) = sqlx::query_as(YEAR_PUBLISHED)
                .bind(to_micros)
                .fetch_one(pool)
                .await?;
            let (revisions,): (i64,) = sqlx::query_as(YEAR_REVISIONS)
                .bind(from_micros)
                .bind(to_micros)
                .fetch_one(pool)
                .await?;
            Ok(GuideYear { views, articles_read, articles_published, revisions })
        })
    }
}
