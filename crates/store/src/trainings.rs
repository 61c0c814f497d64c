//! The training catalogue (C9): trainings and their texts in FR/NL/EN, the art. 44
//! VAT-exemption checklist, the training entity, the contact requests (leads) of the public
//! catalogue with their rate limit, the quote made from a lead, the training sessions for
//! members and staff, and what the catalogue's full-text index reads.
//!
//! Rules live in `ruche_domain::training`: the statuses (Draft → Pending → Published /
//! Cancelled), the texts required to publish, the checklist, the contact form's limits.
//! Every change is audited; a contact request, its rate-limit count and the mail to the
//! trainer are written in one transaction (the outbox pattern).

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::invoicing::{VatCategory, exemption_reason};
use ruche_domain::training::contact::{Contact, WINDOW_MICROS, allowed};
use ruche_domain::training::exemption::{CRITERIA, all_ticked, criterion};
use ruche_domain::training::session::NewSession;
use ruche_domain::training::{
    NewTraining, TrainingEvent, TrainingStatus, TrainingText, check_publishable, parse_languages,
    quote_line, text_for,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::entities::LegalEntityRecord;
use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::mail::queue_mail_in;
use crate::quotes::{QuoteDraft, QuoteRecord};
use crate::search::SearchRow;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Conflict` codes, translated by the web layer as `err-<code>`. Never rename one.
pub mod refusal {
    /// The training is no longer a draft: withdraw it first.
    pub const NOT_EDITABLE: &str = "trn-not-editable";
    /// The status does not allow this step.
    pub const TRANSITION: &str = "trn-transition";
    /// Too many contact requests from this address or for this e-mail within the hour.
    pub const RATE_LIMITED: &str = "trn-rate-limited";
    /// A quote was already made from this lead.
    pub const LEAD_QUOTED: &str = "trn-lead-quoted";
    /// A cancelled training changes no more.
    pub const CANCELLED: &str = "trn-cancelled";
}

/// The most rows one read returns where a bound is not paged (TigerStyle).
const MAX_ROWS: i64 = 100_000;

/// A training as stored, with the names its pages show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TrainingRecord {
    pub id: i64,
    pub trainer_person_id: i64,
    pub trainer_name: String,
    /// Where the contact requests go.
    #[serde(skip_serializing)]
    pub trainer_email: Option<String>,
    pub trainer_language: String,
    pub activity_id: i64,
    pub activity_name: String,
    pub status: String,
    pub topic: String,
    pub audience: String,
    pub place: String,
    /// `fr,nl`: the languages it is given in.
    pub languages: String,
    pub duration_hours: i64,
    pub price_cents: i64,
    pub exemption_validated_by: Option<i64>,
    pub exemption_validated_at: Option<i64>,
    pub refusal_reason: Option<String>,
    pub submitted_at: Option<i64>,
    pub published_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TrainingRecord {
    pub fn status(&self) -> Result<TrainingStatus> {
        TrainingStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("training status {}", self.status)))
    }

    pub fn language_list(&self) -> Vec<Language> {
        parse_languages(&self.languages)
    }

    pub fn is_published(&self) -> bool {
        self.status == TrainingStatus::Published.code()
    }
}

/// One language's description of a training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TrainingTextRecord {
    pub training_id: i64,
    pub language: String,
    pub title: String,
    pub goal: String,
    pub methodology: String,
    pub audience_text: String,
    pub prerequisites: String,
    pub updated_at: i64,
}

impl TrainingTextRecord {
    pub fn to_text(&self) -> Option<TrainingText> {
        Some(TrainingText {
            language: Language::parse(&self.language)?,
            title: self.title.clone(),
            goal: self.goal.clone(),
            methodology: self.methodology.clone(),
            audience_text: self.audience_text.clone(),
            prerequisites: self.prerequisites.clone(),
        })
    }
}

/// A row of a list of trainings, with its title in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TrainingSummary {
    pub id: i64,
    pub trainer_person_id: i64,
    pub trainer_name: String,
    pub status: String,
    pub topic: String,
    pub audience: String,
    pub place: String,
    pub languages: String,
    pub duration_hours: i64,
    pub price_cents: i64,
    pub title: String,
    /// The goal in the same language (the catalogue's teaser).
    pub goal: String,
    pub leads: i64,
    pub updated_at: i64,
}

/// Filters of the lists of trainings; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct TrainingFilter {
    pub trainer_person_id: Option<i64>,
    pub status: Option<TrainingStatus>,
    pub topic: Option<String>,
    /// A language it is given in.
    pub language: Option<Language>,
    pub place: Option<String>,
    pub audience: Option<String>,
}

/// One condition of the art. 44 checklist, ticked or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExemptionCheck {
    pub criterion: &'static str,
    pub ticked: bool,
    pub ticked_by: Option<String>,
    pub ticked_at: Option<i64>,
}

/// The art. 44 checklist of a training and whether it makes the training exempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exemption {
    pub checks: Vec<ExemptionCheck>,
    pub all_ticked: bool,
    pub validated_by: Option<String>,
    pub validated_at: Option<i64>,
    /// Every condition ticked and validated by staff: quoted in category E.
    pub exempt: bool,
}

/// A contact request of the public catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LeadRecord {
    pub id: i64,
    pub training_id: i64,
    pub training_title: String,
    pub trainer_person_id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub organisation: Option<String>,
    pub message: String,
    pub language: String,
    #[serde(skip_serializing)]
    pub ip: Option<String>,
    pub status: String,
    pub quote_id: Option<i64>,
    pub mail_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Filters of the leads list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub trainer_person_id: Option<i64>,
    pub training_id: Option<i64>,
}

/// The mail that tells the trainer about a lead, composed by the web layer in the
/// trainer's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadMail {
    pub subject: String,
    pub body: String,
}

/// A training session for members or staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SessionRecord {
    pub id: i64,
    pub session_for: String,
    pub title: String,
    pub training_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: String,
    pub days: i64,
    pub participants: i64,
    pub place: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The days and participants of a year's sessions for one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct SessionTotals {
    pub sessions: i64,
    pub days: i64,
    pub participants: i64,
}

macro_rules! training_select {
    () => {
        "SELECT t.id, t.trainer_person_id, p.first_name || ' ' || p.last_name AS trainer_name, \
         COALESCE(p.email, (SELECT MIN(a.email) FROM accounts a WHERE a.person_id = p.id)) \
         AS trainer_email, p.language AS trainer_language, t.activity_id, \
         ac.name AS activity_name, t.status, t.topic, t.audience, t.place, t.languages, \
         t.duration_hours, t.price_cents, t.exemption_validated_by, t.exemption_validated_at, \
         t.refusal_reason, t.submitted_at, t.published_at, t.cancelled_at, t.created_by, \
         t.created_at, t.updated_at FROM trainings t JOIN persons p ON p.id = t.trainer_person_id \
         JOIN activities ac ON ac.id = t.activity_id"
    };
}
const GET: &str = concat!(training_select!(), " WHERE t.id = $1");

macro_rules! training_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR t.trainer_person_id = $1) \
          AND (CAST($2 AS TEXT) IS NULL OR t.status = $2) \
          AND (CAST($3 AS TEXT) IS NULL OR t.topic = $3) \
          AND (CAST($4 AS TEXT) IS NULL OR (',' || t.languages || ',') LIKE ('%,' || $4 || ',%')) \
          AND (CAST($5 AS TEXT) IS NULL OR t.place = $5) \
          AND (CAST($6 AS TEXT) IS NULL OR t.audience = $6)"
    };
}
/// The title (and goal) in $7, else in the first language that has one.
macro_rules! summary_select {
    () => {
        "SELECT t.id, t.trainer_person_id, p.first_name || ' ' || p.last_name AS trainer_name, \
         t.status, t.topic, t.audience, t.place, t.languages, t.duration_hours, t.price_cents, \
         COALESCE((SELECT x.title FROM training_texts x WHERE x.training_id = t.id \
           AND x.language = $7), (SELECT x.title FROM training_texts x \
           WHERE x.training_id = t.id ORDER BY x.language LIMIT 1), '') AS title, \
         COALESCE((SELECT x.goal FROM training_texts x WHERE x.training_id = t.id \
           AND x.language = $7), (SELECT x.goal FROM training_texts x \
           WHERE x.training_id = t.id ORDER BY x.language LIMIT 1), '') AS goal, \
         (SELECT COUNT(*) FROM training_leads l WHERE l.training_id = t.id) AS leads, \
         t.updated_at FROM trainings t JOIN persons p ON p.id = t.trainer_person_id"
    };
}
const LIST: &str = concat!(
    summary_select!(),
    training_where!(),
    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $8 OFFSET $9"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM trainings t", training_where!());
const SUMMARY: &str = concat!(
    summary_select!(),
    " WHERE t.id = $8 AND (CAST($1 AS BIGINT) IS NULL OR t.trainer_person_id = $1) \
      AND (CAST($2 AS TEXT) IS NULL OR t.status = $2) AND (CAST($3 AS TEXT) IS NULL OR $3 = $3) \
      AND (CAST($4 AS TEXT) IS NULL OR $4 = $4) AND (CAST($5 AS TEXT) IS NULL OR $5 = $5) \
      AND (CAST($6 AS TEXT) IS NULL OR $6 = $6)"
);
const HOLDS: &str =
    "SELECT COUNT(*) FROM activity_holders WHERE activity_id = $1 AND person_id = $2";
const INSERT: &str = "INSERT INTO trainings (trainer_person_id, activity_id, status, topic, \
    audience, place, languages, duration_hours, price_cents, created_by, created_at, updated_at) \
    VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id";
const UPDATE: &str = "UPDATE trainings SET activity_id = $1, topic = $2, audience = $3, \
    place = $4, languages = $5, duration_hours = $6, price_cents = $7, updated_at = $8 \
    WHERE id = $9 AND status = 'draft'";
const TEXTS: &str = "SELECT training_id, language, title, goal, methodology, audience_text, \
    prerequisites, updated_at FROM training_texts WHERE training_id = $1 ORDER BY language";
const TEXT_UPSERT: &str = "INSERT INTO training_texts (training_id, language, title, goal, \
    methodology, audience_text, prerequisites, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
    ON CONFLICT (training_id, language) DO UPDATE SET title = excluded.title, \
    goal = excluded.goal, methodology = excluded.methodology, \
    audience_text = excluded.audience_text, prerequisites = excluded.prerequisites, \
    updated_at = excluded.updated_at";
const TOUCH: &str = "UPDATE trainings SET updated_at = $1 WHERE id = $2";
const SET_STATUS: &str = "UPDATE trainings SET status = $1, refusal_reason = $2, \
    submitted_at = CASE WHEN $1 = 'pending' THEN $3 ELSE submitted_at END, \
    published_at = CASE WHEN $1 = 'published' THEN $3 ELSE published_at END, \
    cancelled_at = CASE WHEN $1 = 'cancelled' THEN $3 ELSE cancelled_at END, \
    updated_at = $3 WHERE id = $4 AND status = $5";
const PLACES: &str = "SELECT DISTINCT place FROM trainings WHERE status = 'published' \
    ORDER BY place LIMIT 500";

const CHECKS: &str = "SELECT c.criterion, a.email, c.ticked_at FROM training_exemption_checks c \
    LEFT JOIN accounts a ON a.id = c.ticked_by WHERE c.training_id = $1 ORDER BY c.criterion";
const CHECK_INSERT: &str = "INSERT INTO training_exemption_checks (training_id, criterion, \
    ticked_by, ticked_at) VALUES ($1, $2, $3, $4)";
const CHECK_DELETE: &str =
    "DELETE FROM training_exemption_checks WHERE training_id = $1 AND criterion = $2";
const VALIDATION_CLEAR: &str = "UPDATE trainings SET exemption_validated_by = NULL, \
    exemption_validated_at = NULL, updated_at = $1 WHERE id = $2";
const VALIDATION_SET: &str = "UPDATE trainings SET exemption_validated_by = $1, \
    exemption_validated_at = $2, updated_at = $2 WHERE id = $3";
const VALIDATOR: &str = "SELECT email FROM accounts WHERE id = $1";

macro_rules! entity_columns {
    () => {
        "SELECT id, name, legal_form, street, postcode, city, country, enterprise_number, \
         vat_number, iban, court_register, created_at, updated_at FROM legal_entities"
    };
}
const TRAINING_ENTITY: &str = concat!(
    entity_columns!(),
    " WHERE training_exemption = TRUE ORDER BY id LIMIT 1"
);
const ENTITY_GET: &str = concat!(entity_columns!(), " WHERE id = $1");
const ENTITY_UNMARK: &str = "UPDATE legal_entities SET training_exemption = FALSE \
    WHERE training_exemption = TRUE AND id <> $1";
const ENTITY_MARK: &str =
    "UPDATE legal_entities SET training_exemption = TRUE, updated_at = $1 WHERE id = $2";
/// The training entity issues the invoice of a quote made from a lead with exempt lines.
const ENTITY_FOR_QUOTE: &str = "SELECT e.id FROM legal_entities e \
    WHERE e.training_exemption = TRUE \
    AND EXISTS (SELECT 1 FROM training_leads l WHERE l.quote_id = $1) \
    AND EXISTS (SELECT 1 FROM quote_lines q WHERE q.quote_id = $1 AND q.vat_category = 'E') \
    ORDER BY e.id LIMIT 1";

const ATTEMPTS_BY_IP: &str = "SELECT COUNT(*) FROM contact_attempts WHERE ip = $1 AND at >= $2";
const ATTEMPTS_BY_EMAIL: &str =
    "SELECT COUNT(*) FROM contact_attempts WHERE email = $1 AND at >= $2";
const ATTEMPT_INSERT: &str = "INSERT INTO contact_attempts (at, ip, email) VALUES ($1, $2, $3)";
const ATTEMPTS_PURGE: &str = "DELETE FROM contact_attempts WHERE at < $1";

macro_rules! lead_select {
    () => {
        "SELECT l.id, l.training_id, \
         COALESCE((SELECT x.title FROM training_texts x WHERE x.training_id = l.training_id \
           AND x.language = l.language), (SELECT x.title FROM training_texts x \
           WHERE x.training_id = l.training_id ORDER BY x.language LIMIT 1), '') \
           AS training_title, \
         t.trainer_person_id, l.name, l.email, l.phone, l.organisation, l.message, l.language, \
         l.ip, l.status, l.quote_id, l.mail_id, l.created_at, l.updated_at \
         FROM training_leads l JOIN trainings t ON t.id = l.training_id"
    };
}
const LEAD_GET: &str = concat!(lead_select!(), " WHERE l.id = $1");
macro_rules! lead_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR t.trainer_person_id = $1) \
          AND (CAST($2 AS BIGINT) IS NULL OR l.training_id = $2)"
    };
}
const LEADS: &str = concat!(
    lead_select!(),
    lead_where!(),
    " ORDER BY l.created_at DESC, l.id DESC LIMIT $3 OFFSET $4"
);
const LEADS_COUNT: &str = concat!(
    "SELECT COUNT(*) FROM training_leads l JOIN trainings t ON t.id = l.training_id",
    lead_where!()
);
const LEAD_INSERT: &str = "INSERT INTO training_leads (training_id, name, email, phone, \
    organisation, message, language, ip, status, quote_id, mail_id, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', NULL, NULL, $9, $9) RETURNING id";
const LEAD_SET_MAIL: &str = "UPDATE training_leads SET mail_id = $1 WHERE id = $2";
const LEAD_QUOTED: &str = "UPDATE training_leads SET status = 'quoted', quote_id = $1, \
    updated_at = $2 WHERE id = $3 AND quote_id IS NULL";
const LEAD_CLOSE: &str =
    "UPDATE training_leads SET status = 'closed', updated_at = $1 WHERE id = $2";

const SESSION_INSERT: &str = "INSERT INTO training_sessions (session_for, title, training_id, \
    starts_on, ends_on, days, participants, place, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id";
const SESSION_GET: &str = "SELECT id, session_for, title, training_id, starts_on, ends_on, days, \
    participants, place, created_by, created_at, updated_at FROM training_sessions WHERE id = $1";
macro_rules! session_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR session_for = $1) \
          AND starts_on >= $2 AND starts_on < $3"
    };
}
const SESSIONS: &str = concat!(
    "SELECT id, session_for, title, training_id, starts_on, ends_on, days, participants, place, \
     created_by, created_at, updated_at FROM training_sessions",
    session_where!(),
    " ORDER BY starts_on DESC, id DESC LIMIT $4 OFFSET $5"
);
const SESSIONS_COUNT: &str = concat!("SELECT COUNT(*) FROM training_sessions", session_where!());
const SESSION_TOTALS: &str = "SELECT session_for, COUNT(*), \
    CAST(COALESCE(SUM(days), 0) AS BIGINT), CAST(COALESCE(SUM(participants), 0) AS BIGINT) \
    FROM training_sessions WHERE starts_on >= $1 AND starts_on < $2 GROUP BY session_for";
const TRAINING_EXISTS: &str = "SELECT id FROM trainings WHERE id = $1";

const SEARCH_ROWS: &str = "SELECT t.id, t.status, t.topic, t.audience, t.place, t.languages, \
    t.updated_at, x.language, x.title, x.goal, x.methodology, x.audience_text, x.prerequisites \
    FROM trainings t JOIN training_texts x ON x.training_id = t.id \
    WHERE (CAST($1 AS BIGINT) IS NULL OR t.updated_at >= $1) ORDER BY t.id, x.language LIMIT $2";

const PUBLISHED_IN: &str = "SELECT COUNT(*) FROM trainings \
    WHERE published_at >= $1 AND published_at < $2";
const LEADS_IN: &str =
    "SELECT COUNT(*) FROM training_leads WHERE created_at >= $1 AND created_at < $2";

/// Writes a text of training `$id` inside the transaction `$tx` (insert or replace).
macro_rules! upsert_text_in {
    ($tx:ident, $id:expr, $text:expr, $now:expr) => {{
        let text: &TrainingText = $text;
        sqlx::query(TEXT_UPSERT)
            .bind($id)
            .bind(text.language.code())
            .bind(&text.title)
            .bind(&text.goal)
            .bind(&text.methodology)
            .bind(&text.audience_text)
            .bind(&text.prerequisites)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
    }};
}

type SearchRowTuple = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn lang_code(language: Option<Language>) -> Option<&'static str> {
    language.map(Language::code)
}

/// `[from, to)` of a calendar year as stored dates and Brussels instants.
fn year_bounds(year: i16) -> Result<(String, String, i64, i64)> {
    let bad = || StoreError::Refused(FieldErrors::single("year", "trn-year"));
    if !(1900..=2999).contains(&year) {
        return Err(bad());
    }
    let from = Date::new(year, 1, 1).map_err(|_| bad())?;
    let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?;
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    let micros = |d: Date| -> Result<i64> {
        Ok(d.to_zoned(tz.clone())
            .map_err(|_| bad())?
            .timestamp()
            .as_microsecond())
    };
    Ok((from.to_string(), to.to_string(), micros(from)?, micros(to)?))
}

impl Store {
    pub async fn training(&self, id: i64) -> Result<TrainingRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, TrainingRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Its texts, one per language, in the order fr, nl, en… (alphabetical codes).
    pub async fn training_texts(&self, id: i64) -> Result<Vec<TrainingTextRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, TrainingTextRecord>(TEXTS).bind(id).fetch_all(pool).await?)
        })
    }

    /// Trainings, most recently changed first, titled in `language`.
    pub async fn trainings(
        &self,
        filter: &TrainingFilter,
        language: Language,
        page: PageRequest,
    ) -> Result<Page<TrainingSummary>> {
        let status = filter.status.map(TrainingStatus::code);
        let lang = lang_code(filter.language);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.trainer_person_id)
                .bind(status)
                .bind(filter.topic.as_deref())
                .bind(lang)
                .bind(filter.place.as_deref())
                .bind(filter.audience.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, TrainingSummary>(LIST)
                .bind(filter.trainer_person_id)
                .bind(status)
                .bind(filter.topic.as_deref())
                .bind(lang)
                .bind(filter.place.as_deref())
                .bind(filter.audience.as_deref())
                .bind(language.code())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The trainings of `ids` (a page of search hits), in that order, titled in `language`;
    /// only those of `status` when given (the public sees the published ones only).
    pub async fn training_summaries(
        &self,
        ids: &[i64],
        status: Option<TrainingStatus>,
        language: Language,
    ) -> Result<Vec<TrainingSummary>> {
        let status = status.map(TrainingStatus::code);
        let mut out = Vec::with_capacity(ids.len());
        with_db!(self, pool => {
            for id in ids.iter().take(usize::try_from(PageRequest::MAX_PER_PAGE).unwrap_or(200)) {
                let row = sqlx::query_as::<_, TrainingSummary>(SUMMARY)
                    .bind(None::<i64>)
                    .bind(status)
                    .bind(None::<&str>)
                    .bind(None::<&str>)
                    .bind(None::<&str>)
                    .bind(None::<&str>)
                    .bind(language.code())
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
                out.extend(row);
            }
        });
        Ok(out)
    }

    /// The places of the published trainings, for the catalogue's filter.
    pub async fn training_places(&self) -> Result<Vec<String>> {
        with_db!(self, pool => {
            let rows: Vec<(String,)> = sqlx::query_as(PLACES).fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(p,)| p).collect())
        })
    }

    /// A new draft training given by `trainer_person_id` on an activity they hold, with its
    /// first text. `Refused` names the field.
    pub async fn create_training(
        &self,
        ctx: &AuditContext,
        trainer_person_id: i64,
        new: &NewTraining,
        text: &TrainingText,
    ) -> Result<TrainingRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let (held,): (i64,) = sqlx::query_as(HOLDS)
                .bind(new.activity_id)
                .bind(trainer_person_id)
                .fetch_one(&mut *tx)
                .await?;
            if held == 0 {
                return Err(StoreError::Refused(FieldErrors::single(
                    "trn_activity",
                    "trn-activity-not-held",
                )));
            }
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(trainer_person_id)
                .bind(new.activity_id)
                .bind(new.topic)
                .bind(new.audience)
                .bind(&new.place)
                .bind(new.languages_code())
                .bind(new.duration_hours)
                .bind(new.price_cents)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            upsert_text_in!(tx, id, text, now);
            let after = sqlx::query_as::<_, TrainingRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "create", "training", Some(id), None::<&TrainingRecord>, Some(&(&after, text)));
            Ok(after)
        })
    }

    /// Changes a draft's facts; the activity must be one its trainer holds.
    pub async fn update_training(
        &self,
        ctx: &AuditContext,
        id: i64,
        new: &NewTraining,
    ) -> Result<TrainingRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, TrainingRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if !before.status()?.is_editable() {
                return Err(StoreError::Conflict(refusal::NOT_EDITABLE));
            }
            let (held,): (i64,) = sqlx::query_as(HOLDS)
                .bind(new.activity_id)
                .bind(before.trainer_person_id)
                .fetch_one(&mut *tx)
                .await?;
            if held == 0 {
                return Err(StoreError::Refused(FieldErrors::single(
                    "trn_activity",
                    "trn-activity-not-held",
                )));
            }
            let done = sqlx::query(UPDATE)
                .bind(new.activity_id)
                .bind(new.topic)
                .bind(new.audience)
                .bind(&new.place)
                .bind(new.languages_code())
                .bind(new.duration_hours)
                .bind(new.price_cents)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(refusal::NOT_EDITABLE));
            }
            let after = sqlx::query_as::<_, TrainingRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "update", "training", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Writes (or replaces) a draft's text in one language.
    pub async fn save_training_text(
        &self,
        ctx: &AuditContext,
        id: i64,
        text: &TrainingText,
    ) -> Result<TrainingTextRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let training = sqlx::query_as::<_, TrainingRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if !training.status()?.is_editable() {
                return Err(StoreError::Conflict(refusal::NOT_EDITABLE));
            }
            let before = sqlx::query_as::<_, TrainingTextRecord>(TEXTS)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .find(|t| t.language == text.language.code());
            upsert_text_in!(tx, id, text, now);
            sqlx::query(TOUCH).bind(now).bind(id).execute(&mut *tx).await?;
            let after = sqlx::query_as::<_, TrainingTextRecord>(TEXTS)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .find(|t| t.language == text.language.code())
                .ok_or_else(|| StoreError::Corrupt(format!("training {id}: text not written")))?;
            audit!(tx, ctx, "text", "training", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    /// One step of a training's life. Submitting and publishing need the complete texts of
    /// every language it is given in (`Refused` on `trn_status`); a refusal needs its reason.
    pub async fn training_transition(
        &self,
        ctx: &AuditContext,
        id: i64,
        event: TrainingEvent,
        reason: Option<&str>,
    ) -> Result<TrainingRecord> {
        let now = now_micros();
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, TrainingRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let from = before.status()?;
            let to = from.transition(event).map_err(|from| {
                StoreError::Conflict(if from == TrainingStatus::Cancelled {
                    refusal::CANCELLED
                } else {
                    refusal::TRANSITION
                })
            })?;
            if matches!(event, TrainingEvent::Submit | TrainingEvent::Publish) {
                let texts: Vec<TrainingText> = sqlx::query_as::<_, TrainingTextRecord>(TEXTS)
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .filter_map(TrainingTextRecord::to_text)
                    .collect();
                check_publishable(&before.language_list(), &texts).map_err(StoreError::Refused)?;
            }
            let refusal_reason = match event {
                TrainingEvent::Refuse => match reason {
                    Some(r) => Some(r.to_string()),
                    None => {
                        return Err(StoreError::Refused(FieldErrors::single(
                            "trn_reason",
                            "required",
                        )));
                    }
                },
                TrainingEvent::Submit | TrainingEvent::Publish => None,
                TrainingEvent::Withdraw | TrainingEvent::Cancel => before.refusal_reason.clone(),
            };
            let done = sqlx::query(SET_STATUS)
                .bind(to.code())
                .bind(refusal_reason.as_deref())
                .bind(now)
                .bind(id)
                .bind(from.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(refusal::TRANSITION));
            }
            let after = sqlx::query_as::<_, TrainingRecord>(GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, event.code(), "training", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// The art. 44 checklist of a training.
    pub async fn training_exemption(&self, id: i64) -> Result<Exemption> {
        let training = self.training(id).await?;
        with_db!(self, pool => {
            let rows: Vec<(String, Option<String>, i64)> =
                sqlx::query_as(CHECKS).bind(id).fetch_all(pool).await?;
            let validated_by = match training.exemption_validated_by {
                Some(account) => sqlx::query_as::<_, (String,)>(VALIDATOR)
                    .bind(account)
                    .fetch_optional(pool)
                    .await?
                    .map(|(e,)| e),
                None => None,
            };
            Ok(exemption_of(&rows, validated_by, training.exemption_validated_at))
        })
    }

    /// Ticks exactly the conditions of `ticked` (unknown codes are ignored), with who and
    /// when for each newly ticked one. Any change clears the staff validation.
    pub async fn set_exemption_checks(
        &self,
        ctx: &AuditContext,
        id: i64,
        ticked: &[&str],
    ) -> Result<Exemption> {
        let now = now_micros();
        let wanted: Vec<&'static str> = ticked.iter().filter_map(|c| criterion(c)).collect();
        write_tx!(self, tx => {
            let training = sqlx::query_as::<_, TrainingRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if training.status()? == TrainingStatus::Cancelled {
                return Err(StoreError::Conflict(refusal::CANCELLED));
            }
            let rows: Vec<(String, Option<String>, i64)> =
                sqlx::query_as(CHECKS).bind(id).fetch_all(&mut *tx).await?;
            let before = exemption_of(&rows, None, training.exemption_validated_at);
            let had: Vec<&str> = rows.iter().map(|(c, _, _)| c.as_str()).collect();
            let mut changed = false;
            for c in CRITERIA {
                let want = wanted.contains(&c);
                let has = had.contains(&c);
                if want && !has {
                    sqlx::query(CHECK_INSERT)
                        .bind(id)
                        .bind(c)
                        .bind(ctx.actor_account_id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    changed = true;
                } else if has && !want {
                    sqlx::query(CHECK_DELETE).bind(id).bind(c).execute(&mut *tx).await?;
                    changed = true;
                }
            }
            if changed {
                sqlx::query(VALIDATION_CLEAR).bind(now).bind(id).execute(&mut *tx).await?;
            }
            let rows: Vec<(String, Option<String>, i64)> =
                sqlx::query_as(CHECKS).bind(id).fetch_all(&mut *tx).await?;
            let validated_at = if changed { None } else { training.exemption_validated_at };
            let after = exemption_of(&rows, None, validated_at);
            if changed {
                audit!(tx, ctx, "exemption-checks", "training", Some(id), Some(&before), Some(&after));
            }
            Ok(after)
        })
    }

    /// Staff validate a fully ticked checklist: the training is exempt from then on.
    pub async fn validate_exemption(&self, ctx: &AuditContext, id: i64) -> Result<Exemption> {
        let now = now_micros();
        write_tx!(self, tx => {
            let training = sqlx::query_as::<_, TrainingRecord>(GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if training.status()? == TrainingStatus::Cancelled {
                return Err(StoreError::Conflict(refusal::CANCELLED));
            }
            let rows: Vec<(String, Option<String>, i64)> =
                sqlx::query_as(CHECKS).bind(id).fetch_all(&mut *tx).await?;
            let ticked: Vec<&str> = rows.iter().map(|(c, _, _)| c.as_str()).collect();
            if !all_ticked(&ticked) {
                return Err(StoreError::Refused(FieldErrors::single(
                    "trn_exemption",
                    "trn-exemption-incomplete",
                )));
            }
            sqlx::query(VALIDATION_SET)
                .bind(ctx.actor_account_id)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = exemption_of(&rows, None, Some(now));
            audit!(tx, ctx, "exemption-validate", "training", Some(id), None::<&Exemption>, Some(&after));
            Ok(after)
        })
    }

    /// The legal entity that issues the quotes and invoices of exempt trainings.
    pub async fn training_entity(&self) -> Result<Option<LegalEntityRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, LegalEntityRecord>(TRAINING_ENTITY).fetch_optional(pool).await?)
        })
    }

    /// Marks `entity_id` as the training entity (and no other).
    pub async fn set_training_entity(
        &self,
        ctx: &AuditContext,
        entity_id: i64,
    ) -> Result<LegalEntityRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, LegalEntityRecord>(TRAINING_ENTITY)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(ENTITY_UNMARK).bind(entity_id).execute(&mut *tx).await?;
            let done = sqlx::query(ENTITY_MARK).bind(now).bind(entity_id).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let after = sqlx::query_as::<_, LegalEntityRecord>(ENTITY_GET)
                .bind(entity_id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "training-entity", "legal_entity", Some(entity_id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    /// The entity that must issue the invoice of `quote_id`: the training entity when the
    /// quote was made from a catalogue lead with exempt (category E) lines.
    pub async fn training_entity_for_quote(&self, quote_id: i64) -> Result<Option<i64>> {
        with_db!(self, pool => {
            let row: Option<(i64,)> =
                sqlx::query_as(ENTITY_FOR_QUOTE).bind(quote_id).fetch_optional(pool).await?;
            Ok(row.map(|(id,)| id))
        })
    }

    /// Records a contact request for a published training and queues `mail` to its trainer,
    /// in one transaction, unless the address or the e-mail sent too many within the hour
    /// (`Conflict(trn-rate-limited)`; nothing is written then).
    pub async fn record_contact(
        &self,
        ctx: &AuditContext,
        training_id: i64,
        contact: &Contact,
        language: Language,
        ip: &str,
        mail: &LeadMail,
    ) -> Result<LeadRecord> {
        let now = now_micros();
        let since = now - WINDOW_MICROS;
        write_tx!(self, tx => {
            let (from_ip,): (i64,) =
                sqlx::query_as(ATTEMPTS_BY_IP).bind(ip).bind(since).fetch_one(&mut *tx).await?;
            let (for_email,): (i64,) = sqlx::query_as(ATTEMPTS_BY_EMAIL)
                .bind(&contact.email)
                .bind(since)
                .fetch_one(&mut *tx)
                .await?;
            if !allowed(from_ip, for_email) {
                return Err(StoreError::Conflict(refusal::RATE_LIMITED));
            }
            sqlx::query(ATTEMPT_INSERT)
                .bind(now)
                .bind(ip)
                .bind(&contact.email)
                .execute(&mut *tx)
                .await?;
            let training = sqlx::query_as::<_, TrainingRecord>(GET)
                .bind(training_id)
                .fetch_optional(&mut *tx)
                .await?
                .filter(TrainingRecord::is_published)
                .ok_or(StoreError::NotFound)?;
            let (id,): (i64,) = sqlx::query_as(LEAD_INSERT)
                .bind(training_id)
                .bind(&contact.name)
                .bind(&contact.email)
                .bind(contact.phone.as_deref())
                .bind(contact.organisation.as_deref())
                .bind(&contact.message)
                .bind(language.code())
                .bind(ip)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            if let Some(to) = training.trainer_email.as_deref() {
                let mail_id = queue_mail_in!(tx, to, &mail.subject, &mail.body);
                sqlx::query(LEAD_SET_MAIL).bind(mail_id).bind(id).execute(&mut *tx).await?;
            }
            let after = sqlx::query_as::<_, LeadRecord>(LEAD_GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "create", "training_lead", Some(id), None::<&LeadRecord>, Some(&after));
            Ok(after)
        })
    }

    /// Forgets the contact attempts older than `before` (Unix µs): they only count an hour.
    pub async fn purge_contact_attempts(&self, before: i64) -> Result<()> {
        with_db!(self, pool => {
            sqlx::query(ATTEMPTS_PURGE).bind(before).execute(pool).await?;
        });
        Ok(())
    }

    pub async fn training_lead(&self, id: i64) -> Result<LeadRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, LeadRecord>(LEAD_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Contact requests, newest first.
    pub async fn training_leads(
        &self,
        filter: &LeadFilter,
        page: PageRequest,
    ) -> Result<Page<LeadRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(LEADS_COUNT)
                .bind(filter.trainer_person_id)
                .bind(filter.training_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, LeadRecord>(LEADS)
                .bind(filter.trainer_person_id)
                .bind(filter.training_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The trainer closes a lead that leads nowhere.
    pub async fn close_training_lead(&self, ctx: &AuditContext, id: i64) -> Result<LeadRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, LeadRecord>(LEAD_GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query(LEAD_CLOSE).bind(now).bind(id).execute(&mut *tx).await?;
            let after = sqlx::query_as::<_, LeadRecord>(LEAD_GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "close", "training_lead", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// A draft quote for a lead's client, on the training's activity: one line for the
    /// training in the client's language, in category E with the exemption text as its note
    /// when the training is exempt (art. 44 §2, 4° VAT Code), at 21 % otherwise. The lead
    /// then points to the quote; a lead gives one quote.
    pub async fn quote_from_lead(
        &self,
        ctx: &AuditContext,
        lead_id: i64,
        client_id: i64,
        valid_until: Date,
        today: Date,
    ) -> Result<QuoteRecord> {
        let lead = self.training_lead(lead_id).await?;
        if lead.quote_id.is_some() {
            return Err(StoreError::Conflict(refusal::LEAD_QUOTED));
        }
        let training = self.training(lead.training_id).await?;
        let texts: Vec<TrainingText> = self
            .training_texts(training.id)
            .await?
            .iter()
            .filter_map(TrainingTextRecord::to_text)
            .collect();
        let exemption = self.training_exemption(training.id).await?;
        let client = self.client(client_id).await.map_err(|e| match e {
            StoreError::NotFound => {
                StoreError::Refused(FieldErrors::single("trn_client", "required"))
            }
            e => e,
        })?;
        let language = Language::parse(&client.language).unwrap_or_default();
        let title = text_for(&texts, language)
            .map(|t| t.title.clone())
            .unwrap_or_else(|| lead.training_title.clone());
        let line = quote_line(
            &title,
            training.duration_hours,
            training.price_cents,
            exemption.exempt,
        );
        let note = exemption
            .exempt
            .then(|| exemption_reason(VatCategory::E, language).map(str::to_string))
            .flatten();
        let draft = QuoteDraft {
            client_id,
            title,
            valid_until,
            language: Some(language),
            note,
            lines: vec![line],
        };
        let quote = self
            .create_quote(ctx, training.activity_id, &draft, today)
            .await?;
        let now = now_micros();
        write_tx!(self, tx => {
            let done = sqlx::query(LEAD_QUOTED)
                .bind(quote.id)
                .bind(now)
                .bind(lead_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(refusal::LEAD_QUOTED));
            }
            let after = sqlx::query_as::<_, LeadRecord>(LEAD_GET).bind(lead_id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "quote", "training_lead", Some(lead_id), Some(&lead), Some(&after));
        });
        Ok(quote)
    }

    /// Records a training session for members or staff.
    pub async fn create_training_session(
        &self,
        ctx: &AuditContext,
        new: &NewSession,
    ) -> Result<SessionRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            if let Some(training) = new.training_id {
                let found: Option<(i64,)> = sqlx::query_as(TRAINING_EXISTS)
                    .bind(training)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(StoreError::Refused(FieldErrors::single("ses_training", "required")));
                }
            }
            let (id,): (i64,) = sqlx::query_as(SESSION_INSERT)
                .bind(new.session_for.code())
                .bind(&new.title)
                .bind(new.training_id)
                .bind(new.starts_on.to_string())
                .bind(new.ends_on.to_string())
                .bind(new.days)
                .bind(new.participants)
                .bind(&new.place)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, SessionRecord>(SESSION_GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "create", "training_session", Some(id), None::<&SessionRecord>, Some(&after));
            Ok(after)
        })
    }

    /// The sessions starting in `year`, for one audience or both, newest first.
    pub async fn training_sessions(
        &self,
        session_for: Option<&str>,
        year: i16,
        page: PageRequest,
    ) -> Result<Page<SessionRecord>> {
        let (from, to, _, _) = year_bounds(year)?;
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(SESSIONS_COUNT)
                .bind(session_for)
                .bind(&from)
                .bind(&to)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, SessionRecord>(SESSIONS)
                .bind(session_for)
                .bind(&from)
                .bind(&to)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The year's sessions, days and participants: (for members, for staff).
    pub async fn training_session_totals(
        &self,
        year: i16,
    ) -> Result<(SessionTotals, SessionTotals)> {
        let (from, to, _, _) = year_bounds(year)?;
        with_db!(self, pool => {
            let rows: Vec<(String, i64, i64, i64)> =
                sqlx::query_as(SESSION_TOTALS).bind(&from).bind(&to).fetch_all(pool).await?;
            let mut members = SessionTotals::default();
            let mut staff = SessionTotals::default();
            for (kind, sessions, days, participants) in rows {
                let t = SessionTotals { sessions, days, participants };
                if kind == "staff" {
                    staff = t;
                } else {
                    members = t;
                }
            }
            Ok((members, staff))
        })
    }

    /// What the catalogue's index reads: for every training changed at or after `since`
    /// (all when `None`), one row per language text, visible when it is published.
    pub async fn training_search_rows(&self, since: Option<i64>) -> Result<Vec<SearchRow>> {
        with_db!(self, pool => {
            let rows: Vec<SearchRowTuple> = sqlx::query_as(SEARCH_ROWS)
                .bind(since)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?;
            Ok(rows.into_iter().filter_map(search_row).collect())
        })
    }

    /// The figures of the training section for a calendar year (C9, C17): sessions for staff
    /// and for members (days, participants), trainings published and contact requests.
    pub async fn training_figures(&self, year: i16) -> Result<SectionFigures> {
        let (_, _, from_micros, to_micros) = year_bounds(year)?;
        let (members, staff) = self.training_session_totals(year).await?;
        let (published, leads) = with_db!(self, pool => {
            let (published,): (i64,) = sqlx::query_as(PUBLISHED_IN)
                .bind(from_micros).bind(to_micros).fetch_one(pool).await?;
            let (leads,): (i64,) = sqlx::query_as(LEADS_IN)
                .bind(from_micros).bind(to_micros).fetch_one(pool).await?;
            (published, leads)
        });
        let sessions = |who: &str| Some(format!("/trainings/sessions?year={year}&for={who}"));
        let figure = |key: &'static str, n: i64, link: Option<String>| Figure {
            key,
            value: FigureValue::Count(n),
            link,
            parts: Vec::new(),
        };
        let figures = vec![
            figure("training-staff-days", staff.days, sessions("staff")),
            figure(
                "training-staff-participants",
                staff.participants,
                sessions("staff"),
            ),
            figure("training-member-days", members.days, sessions("members")),
            figure(
                "training-member-participants",
                members.participants,
                sessions("members"),
            ),
            figure("training-published", published, Some("/catalogue".into())),
            figure("training-leads", leads, Some("/trainings/leads".into())),
        ];
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Training,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}

/// The figure keys of the training section, in order (figures.rs lists them).
pub const FIGURE_KEYS: [&str; 6] = [
    "training-staff-days",
    "training-staff-participants",
    "training-member-days",
    "training-member-participants",
    "training-published",
    "training-leads",
];

fn exemption_of(
    rows: &[(String, Option<String>, i64)],
    validated_by: Option<String>,
    validated_at: Option<i64>,
) -> Exemption {
    let checks: Vec<ExemptionCheck> = CRITERIA
        .iter()
        .map(|c| {
            let row = rows.iter().find(|(r, _, _)| r == c);
            ExemptionCheck {
                criterion: c,
                ticked: row.is_some(),
                ticked_by: row.and_then(|(_, by, _)| by.clone()),
                ticked_at: row.map(|(_, _, at)| *at),
            }
        })
        .collect();
    let ticked: Vec<&str> = rows.iter().map(|(c, _, _)| c.as_str()).collect();
    let all = all_ticked(&ticked);
    Exemption {
        checks,
        all_ticked: all,
        validated_by,
        validated_at,
        exempt: all && validated_at.is_some(),
    }
}

fn search_row(row: SearchRowTuple) -> Option<SearchRow> {
    let (
        id,
        status,
        topic,
        audience,
        place,
        languages,
        updated_at,
        language,
        title,
        goal,
        methodology,
        audience_text,
        prerequisites,
    ) = row;
    let language = Language::parse(&language)?;
    let mut facets = vec![("topic".to_string(), topic)];
    for l in parse_languages(&languages) {
        facets.push(("language".to_string(), l.code().to_string()));
    }
    facets.push(("place".to_string(), place));
    facets.push(("audience".to_string(), audience));
    let body = [goal, methodology, audience_text, prerequisites]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    Some(SearchRow {
        id,
        language,
        title,
        body,
        facets,
        visible: status == TrainingStatus::Published.code(),
        updated_at,
    })
}
