//! Recommendation cycles (C13, issue 8 §3): cycles, recommendations and their authors,
//! supports, consolidation proposals with the authors' consents, and the board's follow-up.
//!
//! Every change runs in one transaction with its audit entry. A consolidation is carried
//! out only when every author of every recommendation involved consented
//! ([`ruche_domain::recommendations::consents_outcome`]); then, in the same transaction: the
//! result is created (or the chosen original takes the merged text), the other originals
//! become `consolidated` and point to it (they are kept: provenance), their authors become
//! co-authors of the result, and each supporter of an original gets **one** e-mail
//! (`reco_supporter_notices`, one row per person) inviting them to support the result.
//! **No support is moved**: a new result starts with no support (CONSUL#1283: moving
//! members' supports is not the moderators' call).
//!
//! The near-duplicate score is computed in Rust
//! ([`ruche_domain::recommendations::similarity`]), the same on both engines.

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::recommendations::similarity::{self, Candidate, Cluster};
use ruche_domain::recommendations::{
    ConsentAnswer, ConsolidationStatus, CycleDates, CyclePhase, ERR_ALREADY_SUPPORTED,
    ERR_NOT_AUTHOR, ERR_PHASE, ERR_SOURCES, ERR_STATUS, FollowUp, NewConsolidation, NewCycle,
    NewRecommendation, RecoStatus, compared_text, consents_outcome, current_phase,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::legal_help::brussels_day;
use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// The figure keys of the Recommendations section (docs/figures.md).
pub const FIGURE_KEYS: [&str; 7] = [
    "reco-cycles",
    "reco-written",
    "reco-supports",
    "reco-consolidations",
    "reco-accepted",
    "reco-done",
    "reco-declined",
];

/// The most recommendations one cycle's comparison reads (the domain's bound).
const MAX_COMPARED: i64 = similarity::MAX_CLUSTERED as i64;

fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

fn date_of(s: &str) -> Result<Date> {
    s.parse::<Date>()
        .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
}

// ------------------------------------------------------------------------------- records

/// A cycle with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CycleRecord {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub proposal_from: String,
    pub support_from: String,
    pub consolidation_from: String,
    pub follow_up_from: String,
    pub closes_on: String,
    pub phase_override: Option<String>,
    pub threshold_percent: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Recommendations written by members (results of consolidations left out).
    pub recommendations: i64,
    pub supports: i64,
}

impl CycleRecord {
    pub fn dates(&self) -> Result<CycleDates> {
        Ok(CycleDates {
            proposal_from: date_of(&self.proposal_from)?,
            support_from: date_of(&self.support_from)?,
            consolidation_from: date_of(&self.consolidation_from)?,
            follow_up_from: date_of(&self.follow_up_from)?,
            closes_on: date_of(&self.closes_on)?,
        })
    }

    /// The phase on `day` (the staff's override, or the dates').
    pub fn phase_on(&self, day: Date) -> Result<CyclePhase> {
        let set = match self.phase_override.as_deref() {
            None => None,
            Some(p) => Some(
                CyclePhase::parse(p)
                    .ok_or_else(|| StoreError::Corrupt(format!("cycle phase {p}")))?,
            ),
        };
        Ok(current_phase(&self.dates()?, set, day))
    }
}

/// An author or co-author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RecoAuthor {
    pub recommendation_id: i64,
    pub person_id: i64,
    pub name: String,
    /// `author` or `co-author` (came with a consolidation).
    pub role: String,
}

/// A recommendation with its cycle, supports and authors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RecommendationRecord {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_title: String,
    pub title: String,
    pub body: String,
    pub language: String,
    pub status: String,
    pub origin: String,
    /// The result it was consolidated into (provenance).
    pub consolidated_into: Option<i64>,
    pub consolidated_into_title: Option<String>,
    pub decline_reason: Option<String>,
    pub created_on: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub supports: i64,
    #[sqlx(skip)]
    pub authors: Vec<RecoAuthor>,
}

impl RecommendationRecord {
    pub fn status(&self) -> Result<RecoStatus> {
        RecoStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("recommendation status {}", self.status)))
    }

    pub fn language(&self) -> Language {
        Language::parse(&self.language).unwrap_or_default()
    }

    pub fn is_author(&self, person_id: i64) -> bool {
        self.authors.iter().any(|a| a.person_id == person_id)
    }

    fn candidate(&self) -> Candidate {
        Candidate {
            id: self.id,
            text: compared_text(&self.title, &self.body),
            language: self.language(),
        }
    }

    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "cycle_id": self.cycle_id,
            "title": self.title,
            "status": self.status,
            "consolidated_into": self.consolidated_into,
            "decline_reason": self.decline_reason,
            "authors": self.authors.iter().map(|a| a.person_id).collect::<Vec<_>>(),
        })
    }
}

/// A recommendation close to a text, with its score in hundredths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimilarRecommendation {
    pub recommendation: RecommendationRecord,
    pub percent: i64,
}

/// A cluster of near-duplicates with the recommendations it groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecoCluster {
    pub best_percent: i64,
    /// Each linked pair `(id, id, percent)`.
    pub pairs: Vec<(i64, i64, i64)>,
    pub recommendations: Vec<RecommendationRecord>,
}

/// An author's answer to a consolidation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ConsentRecord {
    pub consolidation_id: i64,
    pub person_id: i64,
    pub name: String,
    pub answer: String,
    pub answered_at: Option<i64>,
}

/// A consolidation proposal with its sources and consents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ConsolidationRecord {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_title: String,
    pub status: String,
    pub into_recommendation_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub language: String,
    pub result_id: Option<i64>,
    pub proposed_by: Option<i64>,
    pub proposed_at: i64,
    pub carried_out_on: Option<String>,
    pub carried_out_at: Option<i64>,
    pub updated_at: i64,
    #[sqlx(skip)]
    pub source_ids: Vec<i64>,
    #[sqlx(skip)]
    pub consents: Vec<ConsentRecord>,
}

impl ConsolidationRecord {
    pub fn status(&self) -> Result<ConsolidationStatus> {
        ConsolidationStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("consolidation status {}", self.status)))
    }

    pub fn consent_of(&self, person_id: i64) -> Option<&ConsentRecord> {
        self.consents.iter().find(|c| c.person_id == person_id)
    }

    fn answers(&self) -> Vec<ConsentAnswer> {
        self.consents
            .iter()
            .map(|c| ConsentAnswer::parse(&c.answer).unwrap_or(ConsentAnswer::Pending))
            .collect()
    }

    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "cycle_id": self.cycle_id,
            "status": self.status,
            "sources": self.source_ids,
            "into": self.into_recommendation_id,
            "result_id": self.result_id,
            "consents": self.consents.iter()
                .map(|c| serde_json::json!({ "person_id": c.person_id, "answer": c.answer }))
                .collect::<Vec<_>>(),
        })
    }
}

/// One step of the board's follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FollowUpRecord {
    pub id: i64,
    pub recommendation_id: i64,
    pub from_status: String,
    pub to_status: String,
    pub reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_by_name: Option<String>,
    pub decided_on: String,
    pub decided_at: i64,
}

/// A supporter told of a carried-out consolidation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SupporterNotice {
    pub consolidation_id: i64,
    pub person_id: i64,
    pub mail_id: Option<i64>,
    pub notified_at: i64,
}

/// A mail in one language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecoMail {
    pub subject: String,
    pub body: String,
}

/// A mail rendered by the caller in the three languages; each recipient gets theirs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecoMails {
    pub fr: RecoMail,
    pub nl: RecoMail,
    pub en: RecoMail,
}

impl RecoMails {
    /// The same text in every language (the demo, the tests).
    pub fn plain(subject: &str, body: &str) -> Self {
        let m = RecoMail {
            subject: subject.to_string(),
            body: body.to_string(),
        };
        RecoMails {
            fr: m.clone(),
            nl: m.clone(),
            en: m,
        }
    }

    pub fn for_language(&self, language: &str) -> &RecoMail {
        match Language::parse(language) {
            Some(Language::Nl) => &self.nl,
            Some(Language::En) => &self.en,
            _ => &self.fr,
        }
    }
}

/// How a cycle's recommendations are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecoSort {
    /// Most supported first (the default).
    #[default]
    Supports,
    Newest,
}

/// A year of recommendation cycles in figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecoYear {
    pub cycles: i64,
    pub written: i64,
    pub supports: i64,
    pub consolidations: i64,
    pub accepted: i64,
    pub done: i64,
    pub declined: i64,
}

// ----------------------------------------------------------------------------------- SQL

macro_rules! cycle_select {
    () => {
        "SELECT c.id, c.title, c.theme, c.proposal_from, c.support_from, c.consolidation_from, \
         c.follow_up_from, c.closes_on, c.phase_override, c.threshold_percent, c.created_at, \
         c.updated_at, \
         (SELECT COUNT(*) FROM recommendations r WHERE r.cycle_id = c.id \
          AND r.origin = 'member') AS recommendations, \
         (SELECT COUNT(*) FROM reco_supports s JOIN recommendations r \
          ON r.id = s.recommendation_id WHERE r.cycle_id = c.id) AS supports \
         FROM reco_cycles c"
    };
}

const CYCLE_GET: &str = concat!(cycle_select!(), " WHERE c.id = $1");
const CYCLES: &str = concat!(
    cycle_select!(),
    " ORDER BY c.proposal_from DESC, c.id DESC LIMIT $1 OFFSET $2"
);
const CYCLES_COUNT: &str = "SELECT COUNT(*) FROM reco_cycles";
const CYCLE_INSERT: &str = "INSERT INTO reco_cycles (title, theme, proposal_from, support_from, \
    consolidation_from, follow_up_from, closes_on, phase_override, threshold_percent, \
    created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
const CYCLE_UPDATE: &str = "UPDATE reco_cycles SET title = $1, theme = $2, proposal_from = $3, \
    support_from = $4, consolidation_from = $5, follow_up_from = $6, closes_on = $7, \
    phase_override = $8, threshold_percent = $9, updated_at = $10 WHERE id = $11";

macro_rules! reco_select {
    () => {
        "SELECT r.id, r.cycle_id, c.title AS cycle_title, r.title, r.body, r.language, \
         r.status, r.origin, r.consolidated_into, t.title AS consolidated_into_title, \
         r.decline_reason, r.created_on, r.created_at, r.updated_at, \
         (SELECT COUNT(*) FROM reco_supports s WHERE s.recommendation_id = r.id) AS supports \
         FROM recommendations r JOIN reco_cycles c ON c.id = r.cycle_id \
         LEFT JOIN recommendations t ON t.id = r.consolidated_into"
    };
}

macro_rules! reco_where {
    () => {
        " WHERE r.cycle_id = $1 AND (CAST($2 AS TEXT) IS NULL OR r.status = $2 \
          OR ($2 = 'live' AND r.status NOT IN ('consolidated', 'withdrawn')))"
    };
}

const RECO_GET: &str = concat!(reco_select!(), " WHERE r.id = $1");
const RECOS_BY_SUPPORTS: &str = concat!(
    reco_select!(),
    reco_where!(),
    " ORDER BY (SELECT COUNT(*) FROM reco_supports s WHERE s.recommendation_id = r.id) DESC, \
     r.id DESC LIMIT $3 OFFSET $4"
);
const RECOS_BY_NEW: &str = concat!(
    reco_select!(),
    reco_where!(),
    " ORDER BY r.created_at DESC, r.id DESC LIMIT $3 OFFSET $4"
);
const RECOS_COUNT: &str = concat!("SELECT COUNT(*) FROM recommendations r", reco_where!());
// What a new text is compared with: the recommendations one may still support or that the
// board follows (not the withdrawn nor the consolidated: their result stands for them).
const RECOS_COMPARED: &str = concat!(
    reco_select!(),
    " WHERE r.cycle_id = $1 AND r.status NOT IN ('consolidated', 'withdrawn') \
     ORDER BY r.id LIMIT $2"
);
const RECOS_INTO: &str = concat!(
    reco_select!(),
    " WHERE r.consolidated_into = $1 ORDER BY r.id LIMIT 1000"
);
const RECO_INSERT: &str = "INSERT INTO recommendations (cycle_id, title, body, language, \
    status, origin, created_by, created_on, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $8) RETURNING id";
const RECO_STATUS: &str = "UPDATE recommendations SET status = $1, decline_reason = $2, \
    updated_at = $3 WHERE id = $4 AND status = $5";
const RECO_CONSOLIDATE: &str = "UPDATE recommendations SET status = 'consolidated', \
    consolidated_into = $1, updated_at = $2 WHERE id = $3 AND status = 'open'";
const RECO_REWRITE: &str = "UPDATE recommendations SET title = $1, body = $2, language = $3, \
    updated_at = $4 WHERE id = $5 AND status = 'open'";

const AUTHORS: &str = "SELECT a.recommendation_id, a.person_id, \
    p.first_name || ' ' || p.last_name AS name, a.role FROM reco_authors a \
    JOIN persons p ON p.id = a.person_id WHERE a.recommendation_id = $1 \
    ORDER BY CASE a.role WHEN 'author' THEN 0 ELSE 1 END, a.added_at, a.person_id LIMIT 1000";
const AUTHORS_OF_CYCLE: &str = "SELECT a.recommendation_id, a.person_id, \
    p.first_name || ' ' || p.last_name AS name, a.role FROM reco_authors a \
    JOIN persons p ON p.id = a.person_id \
    JOIN recommendations r ON r.id = a.recommendation_id WHERE r.cycle_id = $1 \
    ORDER BY a.recommendation_id, CASE a.role WHEN 'author' THEN 0 ELSE 1 END, a.added_at, \
    a.person_id LIMIT 100000";
const AUTHOR_INSERT: &str = "INSERT INTO reco_authors (recommendation_id, person_id, role, \
    added_at) VALUES ($1, $2, $3, $4)";
const AUTHORS_OF_SOURCES: &str = "SELECT DISTINCT a.person_id FROM reco_authors a \
    JOIN reco_consolidation_sources k ON k.recommendation_id = a.recommendation_id \
    WHERE k.consolidation_id = $1 ORDER BY a.person_id LIMIT 1000";
const IS_AUTHOR: &str =
    "SELECT person_id FROM reco_authors WHERE recommendation_id = $1 AND person_id = $2";

const SUPPORT_GET: &str =
    "SELECT id FROM reco_supports WHERE recommendation_id = $1 AND person_id = $2";
const SUPPORT_INSERT: &str = "INSERT INTO reco_supports (recommendation_id, person_id, \
    supported_on, supported_at) VALUES ($1, $2, $3, $4) RETURNING id";
const SUPPORT_DELETE: &str =
    "DELETE FROM reco_supports WHERE recommendation_id = $1 AND person_id = $2";
const SUPPORTED_IN_CYCLE: &str = "SELECT s.recommendation_id FROM reco_supports s \
    JOIN recommendations r ON r.id = s.recommendation_id \
    WHERE r.cycle_id = $1 AND s.person_id = $2 ORDER BY s.recommendation_id LIMIT 100000";
const SUPPORTERS: &str = "SELECT person_id FROM reco_supports WHERE recommendation_id = $1 \
    ORDER BY person_id LIMIT 100000";

const FOLLOW_UP_INSERT: &str = "INSERT INTO reco_follow_ups (recommendation_id, from_status, \
    to_status, reason, decided_by, decided_on, decided_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const FOLLOW_UPS: &str = "SELECT f.id, f.recommendation_id, f.from_status, f.to_status, \
    f.reason, f.decided_by, p.first_name || ' ' || p.last_name AS decided_by_name, \
    f.decided_on, f.decided_at FROM reco_follow_ups f \
    LEFT JOIN accounts a ON a.id = f.decided_by LEFT JOIN persons p ON p.id = a.person_id \
    WHERE f.recommendation_id = $1 ORDER BY f.decided_at, f.id LIMIT 1000";

macro_rules! consolidation_select {
    () => {
        "SELECT k.id, k.cycle_id, c.title AS cycle_title, k.status, k.into_recommendation_id, \
         k.title, k.body, k.language, k.result_id, k.proposed_by, k.proposed_at, \
         k.carried_out_on, k.carried_out_at, k.updated_at \
         FROM reco_consolidations k JOIN reco_cycles c ON c.id = k.cycle_id"
    };
}

const CONSOLIDATION_GET: &str = concat!(consolidation_select!(), " WHERE k.id = $1");
const CONSOLIDATIONS_OF_CYCLE: &str = concat!(
    consolidation_select!(),
    " WHERE k.cycle_id = $1 ORDER BY CASE k.status WHEN 'pending' THEN 0 ELSE 1 END, \
     k.id DESC LIMIT 1000"
);
const CONSOLIDATIONS_OF_PERSON: &str = concat!(
    consolidation_select!(),
    " WHERE k.id IN (SELECT consolidation_id FROM reco_consents WHERE person_id = $1) \
     ORDER BY CASE k.status WHEN 'pending' THEN 0 ELSE 1 END, k.id DESC LIMIT 1000"
);
const CONSOLIDATION_OF_RESULT: &str = concat!(
    consolidation_select!(),
    " WHERE k.result_id = $1 ORDER BY k.id LIMIT 1000"
);
const CONSOLIDATION_INSERT: &str = "INSERT INTO reco_consolidations (cycle_id, status, \
    into_recommendation_id, title, body, language, proposed_by, proposed_at, updated_at) \
    VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $7) RETURNING id";
const CONSOLIDATION_SET_STATUS: &str = "UPDATE reco_consolidations SET status = $1, \
    updated_at = $2 WHERE id = $3 AND status = 'pending'";
const CONSOLIDATION_CARRIED_OUT: &str = "UPDATE reco_consolidations SET \
    status = 'carried-out', result_id = $1, carried_out_on = $2, carried_out_at = $3, \
    updated_at = $3 WHERE id = $4 AND status = 'pending'";
const SOURCE_INSERT: &str = "INSERT INTO reco_consolidation_sources (consolidation_id, \
    recommendation_id) VALUES ($1, $2)";
const SOURCES: &str = "SELECT recommendation_id FROM reco_consolidation_sources \
    WHERE consolidation_id = $1 ORDER BY recommendation_id LIMIT 1000";
// The recommendations of a cycle already in a pending proposal (left out of the clusters).
const PENDING_OF_CYCLE: &str = "SELECT s.recommendation_id FROM reco_consolidation_sources s \
    JOIN reco_consolidations k ON k.id = s.consolidation_id \
    WHERE k.cycle_id = $1 AND k.status = 'pending' LIMIT 100000";
// A recommendation is in one pending proposal at a time.
const SOURCE_PENDING: &str = "SELECT k.id FROM reco_consolidation_sources s \
    JOIN reco_consolidations k ON k.id = s.consolidation_id \
    WHERE s.recommendation_id = $1 AND k.status = 'pending'";
const CONSENT_INSERT: &str = "INSERT INTO reco_consents (consolidation_id, person_id, answer) \
    VALUES ($1, $2, 'pending')";
const CONSENTS: &str = "SELECT k.consolidation_id, k.person_id, \
    p.first_name || ' ' || p.last_name AS name, k.answer, k.answered_at \
    FROM reco_consents k JOIN persons p ON p.id = k.person_id \
    WHERE k.consolidation_id = $1 ORDER BY p.last_name, p.first_name, k.person_id LIMIT 1000";
const CONSENT_ANSWER: &str = "UPDATE reco_consents SET answer = $1, answered_at = $2 \
    WHERE consolidation_id = $3 AND person_id = $4 AND answer = 'pending'";
const SUPPORTERS_OF_SOURCES: &str = "SELECT DISTINCT s.person_id, a.email, \
    COALESCE(a.language, p.language) AS language FROM reco_supports s \
    JOIN persons p ON p.id = s.person_id LEFT JOIN accounts a ON a.person_id = s.person_id \
    WHERE s.recommendation_id IN (SELECT recommendation_id FROM reco_consolidation_sources \
    WHERE consolidation_id = $1) AND s.recommendation_id <> $2 \
    ORDER BY s.person_id LIMIT 100000";
const AUTHOR_MAILS: &str = "SELECT k.person_id, a.email, COALESCE(a.language, p.language) \
    FROM reco_consents k JOIN persons p ON p.id = k.person_id \
    LEFT JOIN accounts a ON a.person_id = k.person_id \
    WHERE k.consolidation_id = $1 ORDER BY k.person_id LIMIT 1000";
const NOTICE_INSERT: &str = "INSERT INTO reco_supporter_notices (consolidation_id, person_id, \
    mail_id, notified_at) VALUES ($1, $2, $3, $4)";
const NOTICES: &str = "SELECT consolidation_id, person_id, mail_id, notified_at \
    FROM reco_supporter_notices WHERE consolidation_id = $1 ORDER BY person_id LIMIT 100000";

const YEAR_CYCLES: &str =
    "SELECT COUNT(*) FROM reco_cycles WHERE proposal_from < $2 AND closes_on >= $1";
const YEAR_WRITTEN: &str = "SELECT COUNT(*) FROM recommendations \
    WHERE origin = 'member' AND created_on >= $1 AND created_on < $2";
const YEAR_SUPPORTS: &str =
    "SELECT COUNT(*) FROM reco_supports WHERE supported_on >= $1 AND supported_on < $2";
const YEAR_CONSOLIDATIONS: &str = "SELECT COUNT(*) FROM reco_consolidations \
    WHERE status = 'carried-out' AND carried_out_on >= $1 AND carried_out_on < $2";
const YEAR_FOLLOW_UPS: &str = "SELECT COUNT(DISTINCT recommendation_id) FROM reco_follow_ups \
    WHERE to_status = $1 AND decided_on >= $2 AND decided_on < $3";

// ------------------------------------------------------------------- in-transaction reads

macro_rules! cycle_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, CycleRecord>(CYCLE_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

macro_rules! reco_in {
    ($tx:ident, $id:expr) => {{
        let mut r = sqlx::query_as::<_, RecommendationRecord>(RECO_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        r.authors = sqlx::query_as(AUTHORS)
            .bind(r.id)
            .fetch_all(&mut *$tx)
            .await?;
        r
    }};
}

macro_rules! consolidation_in {
    ($tx:ident, $id:expr) => {{
        let mut k = sqlx::query_as::<_, ConsolidationRecord>(CONSOLIDATION_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let ids: Vec<(i64,)> = sqlx::query_as(SOURCES)
            .bind(k.id)
            .fetch_all(&mut *$tx)
            .await?;
        k.source_ids = ids.into_iter().map(|(i,)| i).collect();
        k.consents = sqlx::query_as(CONSENTS)
            .bind(k.id)
            .fetch_all(&mut *$tx)
            .await?;
        k
    }};
}

/// Carries out the pending consolidation `$id` in `$tx` once every author consented
/// (refused with `reco-consent-missing` otherwise); evaluates to the result's id.
macro_rules! carry_out_in {
    ($tx:ident, $ctx:expr, $id:expr, $at:expr, $day:expr, $mails:expr) => {{
        let before = consolidation_in!($tx, $id);
        if before.status()? != ConsolidationStatus::Pending {
            return Err(refused("reco_consolidation", ERR_STATUS));
        }
        if let Err(code) = consents_outcome(&before.answers()) {
            return Err(refused("reco_consents", code));
        }
        let mut sources = Vec::with_capacity(before.source_ids.len());
        for id in &before.source_ids {
            let r = reco_in!($tx, *id);
            if r.status()? != RecoStatus::Open {
                return Err(refused("reco_sources", ERR_SOURCES));
            }
            sources.push(r);
        }
        let result_id = match before.into_recommendation_id {
            Some(into) => {
                let done = sqlx::query(RECO_REWRITE)
                    .bind(&before.title)
                    .bind(&before.body)
                    .bind(&before.language)
                    .bind($at)
                    .bind(into)
                    .execute(&mut *$tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(refused("reco_sources", ERR_SOURCES));
                }
                into
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(RECO_INSERT)
                    .bind(before.cycle_id)
                    .bind(&before.title)
                    .bind(&before.body)
                    .bind(&before.language)
                    .bind("consolidation")
                    .bind($ctx.actor_account_id)
                    .bind($day)
                    .bind($at)
                    .fetch_one(&mut *$tx)
                    .await?;
                id
            }
        };
        // The originals' authors become co-authors of the result (decidim#13699).
        let result_authors: Vec<RecoAuthor> = sqlx::query_as(AUTHORS)
            .bind(result_id)
            .fetch_all(&mut *$tx)
            .await?;
        let mut added: Vec<i64> = Vec::new();
        for source in &sources {
            for author in &source.authors {
                if result_authors
                    .iter()
                    .any(|a| a.person_id == author.person_id)
                    || added.contains(&author.person_id)
                {
                    continue;
                }
                sqlx::query(AUTHOR_INSERT)
                    .bind(result_id)
                    .bind(author.person_id)
                    .bind("co-author")
                    .bind($at)
                    .execute(&mut *$tx)
                    .await?;
                added.push(author.person_id);
            }
        }
        // The originals are kept, pointing to the result (provenance).
        for source in sources.iter().filter(|s| s.id != result_id) {
            let done = sqlx::query(RECO_CONSOLIDATE)
                .bind(result_id)
                .bind($at)
                .bind(source.id)
                .execute(&mut *$tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("reco_sources", ERR_SOURCES));
            }
            let after = reco_in!($tx, source.id);
            audit!(
                $tx,
                $ctx,
                "recommendation.consolidate",
                "recommendation",
                Some(source.id),
                Some(&source.audit_view()),
                Some(&after.audit_view())
            );
        }
        // Each supporter of an original, once, by e-mail; the supports stay where they are.
        let supporters: Vec<(i64, Option<String>, String)> = sqlx::query_as(SUPPORTERS_OF_SOURCES)
            .bind($id)
            .bind(result_id)
            .fetch_all(&mut *$tx)
            .await?;
        let mails: &RecoMails = $mails;
        for (person_id, email, language) in supporters {
            let mail_id = match email.filter(|e| !e.is_empty()) {
                Some(to) => {
                    let m = mails.for_language(&language);
                    Some(queue_mail_in!($tx, &to, &m.subject, &m.body))
                }
                None => None,
            };
            sqlx::query(NOTICE_INSERT)
                .bind($id)
                .bind(person_id)
                .bind(mail_id)
                .bind($at)
                .execute(&mut *$tx)
                .await?;
        }
        let done = sqlx::query(CONSOLIDATION_CARRIED_OUT)
            .bind(result_id)
            .bind($day)
            .bind($at)
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(refused("reco_consolidation", ERR_STATUS));
        }
        let after = consolidation_in!($tx, $id);
        audit!(
            $tx,
            $ctx,
            "reco-consolidation.carry-out",
            "reco_consolidation",
            Some($id),
            Some(&before.audit_view()),
            Some(&after.audit_view())
        );
        let result = reco_in!($tx, result_id);
        audit!(
            $tx,
            $ctx,
            "recommendation.consolidation-result",
            "recommendation",
            Some(result_id),
            None::<&()>,
            Some(&result.audit_view())
        );
        result_id
    }};
}

impl Store {
    // ---------------------------------------------------------------------------- cycles

    pub async fn create_reco_cycle(
        &self,
        ctx: &AuditContext,
        new: &NewCycle,
    ) -> Result<CycleRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(CYCLE_INSERT)
                .bind(&new.title)
                .bind(&new.theme)
                .bind(new.dates.proposal_from.to_string())
                .bind(new.dates.support_from.to_string())
                .bind(new.dates.consolidation_from.to_string())
                .bind(new.dates.follow_up_from.to_string())
                .bind(new.dates.closes_on.to_string())
                .bind(new.phase_override.map(CyclePhase::code))
                .bind(new.threshold_percent)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = cycle_in!(tx, id);
            audit!(tx, ctx, "reco-cycle.create", "reco_cycle", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn update_reco_cycle(
        &self,
        ctx: &AuditContext,
        id: i64,
        new: &NewCycle,
    ) -> Result<CycleRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let before = cycle_in!(tx, id);
            sqlx::query(CYCLE_UPDATE)
                .bind(&new.title)
                .bind(&new.theme)
                .bind(new.dates.proposal_from.to_string())
                .bind(new.dates.support_from.to_string())
                .bind(new.dates.consolidation_from.to_string())
                .bind(new.dates.follow_up_from.to_string())
                .bind(new.dates.closes_on.to_string())
                .bind(new.phase_override.map(CyclePhase::code))
                .bind(new.threshold_percent)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = cycle_in!(tx, id);
            audit!(tx, ctx, "reco-cycle.update", "reco_cycle", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn reco_cycle(&self, id: i64) -> Result<CycleRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, CycleRecord>(CYCLE_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The cycles, newest first.
    pub async fn reco_cycles(&self, page: PageRequest) -> Result<Page<CycleRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(CYCLES_COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, CycleRecord>(CYCLES)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ------------------------------------------------------------------- recommendations

    /// A member writes a recommendation during the cycle's proposal phase (on the Brussels
    /// day of `at`); they are its author.
    pub async fn write_recommendation(
        &self,
        ctx: &AuditContext,
        cycle_id: i64,
        person_id: i64,
        new: &NewRecommendation,
        at: i64,
    ) -> Result<RecommendationRecord> {
        let day = brussels_day(at)?;
        write_tx!(self, tx => {
            let cycle = cycle_in!(tx, cycle_id);
            if !cycle.phase_on(day)?.takes_recommendations() {
                return Err(refused("reco_cycle", ERR_PHASE));
            }
            let (id,): (i64,) = sqlx::query_as(RECO_INSERT)
                .bind(cycle_id)
                .bind(&new.title)
                .bind(&new.text)
                .bind(new.language.code())
                .bind("member")
                .bind(ctx.actor_account_id)
                .bind(day.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(AUTHOR_INSERT)
                .bind(id)
                .bind(person_id)
                .bind("author")
                .bind(at)
                .execute(&mut *tx)
                .await?;
            let after = reco_in!(tx, id);
            audit!(tx, ctx, "recommendation.write", "recommendation", Some(id), None::<&()>, Some(&after.audit_view()));
            Ok(after)
        })
    }

    /// One recommendation with its authors.
    pub async fn recommendation(&self, id: i64) -> Result<RecommendationRecord> {
        with_db!(self, pool => {
            let mut r = sqlx::query_as::<_, RecommendationRecord>(RECO_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            r.authors = sqlx::query_as(AUTHORS).bind(id).fetch_all(pool).await?;
            Ok(r)
        })
    }

    /// The recommendations a consolidation merged into `result_id` (its provenance).
    pub async fn recommendation_origins(
        &self,
        result_id: i64,
    ) -> Result<Vec<RecommendationRecord>> {
        let mut items: Vec<RecommendationRecord> = with_db!(self, pool => {
            sqlx::query_as(RECOS_INTO).bind(result_id).fetch_all(pool).await?
        });
        for r in &mut items {
            r.authors = self.recommendation_authors(r.id).await?;
        }
        Ok(items)
    }

    pub async fn recommendation_authors(&self, id: i64) -> Result<Vec<RecoAuthor>> {
        with_db!(self, pool => Ok(sqlx::query_as(AUTHORS).bind(id).fetch_all(pool).await?))
    }

    async fn fill_authors(&self, cycle_id: i64, items: &mut [RecommendationRecord]) -> Result<()> {
        let all: Vec<RecoAuthor> = with_db!(self, pool => {
            sqlx::query_as(AUTHORS_OF_CYCLE).bind(cycle_id).fetch_all(pool).await?
        });
        for r in items {
            r.authors = all
                .iter()
                .filter(|a| a.recommendation_id == r.id)
                .cloned()
                .collect();
        }
        Ok(())
    }

    /// A page of a cycle's recommendations. `status`: a status code, `live` (neither
    /// consolidated nor withdrawn) or `None` (all).
    pub async fn cycle_recommendations(
        &self,
        cycle_id: i64,
        status: Option<&str>,
        sort: RecoSort,
        page: PageRequest,
    ) -> Result<Page<RecommendationRecord>> {
        let status = status.filter(|s| !s.is_empty());
        let list = match sort {
            RecoSort::Supports => RECOS_BY_SUPPORTS,
            RecoSort::Newest => RECOS_BY_NEW,
        };
        let mut out = with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(RECOS_COUNT)
                .bind(cycle_id)
                .bind(status)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, RecommendationRecord>(list)
                .bind(cycle_id)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            page.of(items, total)
        });
        self.fill_authors(cycle_id, &mut out.items).await?;
        Ok(out)
    }

    async fn compared(&self, cycle_id: i64) -> Result<Vec<RecommendationRecord>> {
        let mut items: Vec<RecommendationRecord> = with_db!(self, pool => {
            sqlx::query_as(RECOS_COMPARED).bind(cycle_id).bind(MAX_COMPARED).fetch_all(pool).await?
        });
        self.fill_authors(cycle_id, &mut items).await?;
        Ok(items)
    }

    /// The recommendations of the cycle that say nearly the same as `title` + `text`
    /// (score ≥ the cycle's threshold), the closest first; `except` leaves one out (the
    /// recommendation itself).
    pub async fn similar_recommendations(
        &self,
        cycle_id: i64,
        title: &str,
        text: &str,
        language: Language,
        except: Option<i64>,
    ) -> Result<Vec<SimilarRecommendation>> {
        let cycle = self.reco_cycle(cycle_id).await?;
        let items = self.compared(cycle_id).await?;
        let candidates: Vec<Candidate> = items
            .iter()
            .filter(|r| Some(r.id) != except)
            .map(RecommendationRecord::candidate)
            .collect();
        let near = similarity::near_duplicates(
            &compared_text(title, text),
            language,
            &candidates,
            cycle.threshold_percent,
        );
        Ok(near
            .into_iter()
            .filter_map(|n| {
                items
                    .iter()
                    .find(|r| r.id == n.id)
                    .map(|r| SimilarRecommendation {
                        recommendation: r.clone(),
                        percent: n.percent,
                    })
            })
            .collect())
    }

    /// The clusters of near-duplicates among the cycle's open recommendations that no
    /// pending proposal holds yet, for the moderators.
    pub async fn reco_clusters(&self, cycle_id: i64) -> Result<Vec<RecoCluster>> {
        let cycle = self.reco_cycle(cycle_id).await?;
        let pending: Vec<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(PENDING_OF_CYCLE).bind(cycle_id).fetch_all(pool).await?
        });
        let open: Vec<RecommendationRecord> = self
            .compared(cycle_id)
            .await?
            .into_iter()
            .filter(|r| r.status == RecoStatus::Open.code())
            .filter(|r| !pending.iter().any(|(id,)| *id == r.id))
            .collect();
        let candidates: Vec<Candidate> = open.iter().map(RecommendationRecord::candidate).collect();
        let found: Vec<Cluster> = similarity::clusters(&candidates, cycle.threshold_percent);
        Ok(found
            .into_iter()
            .map(|c| RecoCluster {
                best_percent: c.best_percent(),
                recommendations: c
                    .ids
                    .iter()
                    .filter_map(|id| open.iter().find(|r| r.id == *id).cloned())
                    .collect(),
                pairs: c.pairs,
            })
            .collect())
    }

    /// The author withdraws their open recommendation.
    pub async fn withdraw_recommendation(
        &self,
        ctx: &AuditContext,
        id: i64,
        person_id: i64,
        at: i64,
    ) -> Result<RecommendationRecord> {
        write_tx!(self, tx => {
            let before = reco_in!(tx, id);
            if !before.is_author(person_id) {
                return Err(refused("reco_author", ERR_NOT_AUTHOR));
            }
            if !before.status()?.may_withdraw() {
                return Err(refused("reco_status", ERR_STATUS));
            }
            let pending: Option<(i64,)> =
                sqlx::query_as(SOURCE_PENDING).bind(id).fetch_optional(&mut *tx).await?;
            if pending.is_some() {
                return Err(refused("reco_status", ERR_STATUS));
            }
            sqlx::query(RECO_STATUS)
                .bind(RecoStatus::Withdrawn.code())
                .bind(None::<String>)
                .bind(at)
                .bind(id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            let after = reco_in!(tx, id);
            audit!(tx, ctx, "recommendation.withdraw", "recommendation", Some(id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    // -------------------------------------------------------------------------- supports

    /// A person supports an open recommendation while the cycle takes supports; once only
    /// (`reco-already-supported`).
    pub async fn support_recommendation(
        &self,
        ctx: &AuditContext,
        id: i64,
        person_id: i64,
        at: i64,
    ) -> Result<RecommendationRecord> {
        let day = brussels_day(at)?;
        write_tx!(self, tx => {
            let before = reco_in!(tx, id);
            let cycle = cycle_in!(tx, before.cycle_id);
            if !cycle.phase_on(day)?.takes_supports() {
                return Err(refused("reco_cycle", ERR_PHASE));
            }
            if before.status()? != RecoStatus::Open {
                return Err(refused("reco_status", ERR_STATUS));
            }
            let existing: Option<(i64,)> = sqlx::query_as(SUPPORT_GET)
                .bind(id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if existing.is_some() {
                return Err(refused("reco_support", ERR_ALREADY_SUPPORTED));
            }
            let inserted: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(SUPPORT_INSERT)
                .bind(id)
                .bind(person_id)
                .bind(day.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await;
            let (support_id,) = match inserted {
                Ok(row) => row,
                // A concurrent click: the unique index keeps one support per person.
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(refused("reco_support", ERR_ALREADY_SUPPORTED));
                }
                Err(e) => return Err(e.into()),
            };
            let trace = serde_json::json!({ "id": support_id, "recommendation_id": id, "person_id": person_id });
            audit!(tx, ctx, "recommendation.support", "recommendation", Some(id), None::<&()>, Some(&trace));
            Ok(reco_in!(tx, id))
        })
    }

    /// A person withdraws their support (while the cycle takes supports).
    pub async fn withdraw_support(
        &self,
        ctx: &AuditContext,
        id: i64,
        person_id: i64,
        at: i64,
    ) -> Result<RecommendationRecord> {
        let day = brussels_day(at)?;
        write_tx!(self, tx => {
            let before = reco_in!(tx, id);
            let cycle = cycle_in!(tx, before.cycle_id);
            if !cycle.phase_on(day)?.takes_supports() {
                return Err(refused("reco_cycle", ERR_PHASE));
            }
            let done = sqlx::query(SUPPORT_DELETE).bind(id).bind(person_id).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let trace = serde_json::json!({ "recommendation_id": id, "person_id": person_id });
            audit!(tx, ctx, "recommendation.support-withdraw", "recommendation", Some(id), Some(&trace), None::<&()>);
            Ok(reco_in!(tx, id))
        })
    }

    /// The recommendations of a cycle a person supports.
    pub async fn supported_in_cycle(&self, cycle_id: i64, person_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(SUPPORTED_IN_CYCLE).bind(cycle_id).bind(person_id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(i,)| i).collect())
    }

    /// Who supports a recommendation (person ids).
    pub async fn recommendation_supporters(&self, id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(SUPPORTERS).bind(id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(i,)| i).collect())
    }

    // -------------------------------------------------------------------- consolidations

    /// A moderator proposes to consolidate 2+ open recommendations of a cycle; every author
    /// of each is asked to consent (`consent_mails`, queued to each).
    pub async fn propose_consolidation(
        &self,
        ctx: &AuditContext,
        cycle_id: i64,
        new: &NewConsolidation,
        consent_mails: &RecoMails,
        at: i64,
    ) -> Result<ConsolidationRecord> {
        let day = brussels_day(at)?;
        if new.sources.len() < 2 {
            return Err(refused("reco_sources", ERR_SOURCES));
        }
        write_tx!(self, tx => {
            let cycle = cycle_in!(tx, cycle_id);
            if !cycle.phase_on(day)?.takes_consolidations() {
                return Err(refused("reco_cycle", ERR_PHASE));
            }
            for id in &new.sources {
                let r = sqlx::query_as::<_, RecommendationRecord>(RECO_GET)
                    .bind(*id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let ok = r.is_some_and(|r| r.cycle_id == cycle_id && r.status == RecoStatus::Open.code());
                let pending: Option<(i64,)> =
                    sqlx::query_as(SOURCE_PENDING).bind(*id).fetch_optional(&mut *tx).await?;
                if !ok || pending.is_some() {
                    return Err(refused("reco_sources", ERR_SOURCES));
                }
            }
            let (id,): (i64,) = sqlx::query_as(CONSOLIDATION_INSERT)
                .bind(cycle_id)
                .bind(new.into)
                .bind(&new.title)
                .bind(&new.text)
                .bind(new.language.code())
                .bind(ctx.actor_account_id)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            for source in &new.sources {
                sqlx::query(SOURCE_INSERT).bind(id).bind(*source).execute(&mut *tx).await?;
            }
            let authors: Vec<(i64,)> =
                sqlx::query_as(AUTHORS_OF_SOURCES).bind(id).fetch_all(&mut *tx).await?;
            for (person_id,) in &authors {
                sqlx::query(CONSENT_INSERT).bind(id).bind(*person_id).execute(&mut *tx).await?;
            }
            let to_ask: Vec<(i64, Option<String>, String)> =
                sqlx::query_as(AUTHOR_MAILS).bind(id).fetch_all(&mut *tx).await?;
            for (_, email, language) in to_ask {
                if let Some(to) = email.filter(|e| !e.is_empty()) {
                    let m = consent_mails.for_language(&language);
                    queue_mail_in!(tx, &to, &m.subject, &m.body);
                }
            }
            let after = consolidation_in!(tx, id);
            audit!(tx, ctx, "reco-consolidation.propose", "reco_consolidation", Some(id), None::<&()>, Some(&after.audit_view()));
            Ok(after)
        })
    }

    /// An author answers a pending consolidation. A refusal blocks it (status `refused`); the
    /// last consent carries it out at once (the supporters are told with `supporter_mails`).
    pub async fn answer_consolidation(
        &self,
        ctx: &AuditContext,
        id: i64,
        person_id: i64,
        consent: bool,
        supporter_mails: &RecoMails,
        at: i64,
    ) -> Result<ConsolidationRecord> {
        let day = brussels_day(at)?.to_string();
        write_tx!(self, tx => {
            let before = consolidation_in!(tx, id);
            if before.status()? != ConsolidationStatus::Pending {
                return Err(refused("reco_consolidation", ERR_STATUS));
            }
            match before.consent_of(person_id) {
                None => return Err(refused("reco_consents", ERR_NOT_AUTHOR)),
                Some(c) if c.answer != ConsentAnswer::Pending.code() => {
                    return Err(refused("reco_consents", ERR_STATUS));
                }
                Some(_) => {}
            }
            let answer = if consent { ConsentAnswer::Consented } else { ConsentAnswer::Refused };
            sqlx::query(CONSENT_ANSWER)
                .bind(answer.code())
                .bind(at)
                .bind(id)
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            if !consent {
                sqlx::query(CONSOLIDATION_SET_STATUS)
                    .bind(ConsolidationStatus::Refused.code())
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = consolidation_in!(tx, id);
            audit!(tx, ctx, "reco-consolidation.answer", "reco_consolidation", Some(id), Some(&before.audit_view()), Some(&after.audit_view()));
            if consent && consents_outcome(&after.answers()).is_ok() {
                carry_out_in!(tx, ctx, id, at, &day, supporter_mails);
            }
            Ok(consolidation_in!(tx, id))
        })
    }

    /// Carries out a pending consolidation: refused with `reco-consent-missing` unless every
    /// author consented. (The last consent normally carries it out by itself.)
    pub async fn carry_out_consolidation(
        &self,
        ctx: &AuditContext,
        id: i64,
        supporter_mails: &RecoMails,
        at: i64,
    ) -> Result<ConsolidationRecord> {
        let day = brussels_day(at)?.to_string();
        write_tx!(self, tx => {
            carry_out_in!(tx, ctx, id, at, &day, supporter_mails);
            Ok(consolidation_in!(tx, id))
        })
    }

    /// The moderators withdraw a pending proposal.
    pub async fn cancel_consolidation(
        &self,
        ctx: &AuditContext,
        id: i64,
        at: i64,
    ) -> Result<ConsolidationRecord> {
        write_tx!(self, tx => {
            let before = consolidation_in!(tx, id);
            let done = sqlx::query(CONSOLIDATION_SET_STATUS)
                .bind(ConsolidationStatus::Cancelled.code())
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("reco_consolidation", ERR_STATUS));
            }
            let after = consolidation_in!(tx, id);
            audit!(tx, ctx, "reco-consolidation.cancel", "reco_consolidation", Some(id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    pub async fn consolidation(&self, id: i64) -> Result<ConsolidationRecord> {
        with_db!(self, pool => {
            let k = sqlx::query_as::<_, ConsolidationRecord>(CONSOLIDATION_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(self.fill_consolidation(k).await?)
        })
    }

    async fn fill_consolidation(&self, mut k: ConsolidationRecord) -> Result<ConsolidationRecord> {
        let (ids, consents): (Vec<(i64,)>, Vec<ConsentRecord>) = with_db!(self, pool => {
            (
                sqlx::query_as(SOURCES).bind(k.id).fetch_all(pool).await?,
                sqlx::query_as(CONSENTS).bind(k.id).fetch_all(pool).await?,
            )
        });
        k.source_ids = ids.into_iter().map(|(i,)| i).collect();
        k.consents = consents;
        Ok(k)
    }

    async fn fill_consolidations(
        &self,
        items: Vec<ConsolidationRecord>,
    ) -> Result<Vec<ConsolidationRecord>> {
        let mut out = Vec::with_capacity(items.len());
        for k in items {
            out.push(self.fill_consolidation(k).await?);
        }
        Ok(out)
    }

    /// A cycle's consolidation proposals, pending first.
    pub async fn cycle_consolidations(&self, cycle_id: i64) -> Result<Vec<ConsolidationRecord>> {
        let items: Vec<ConsolidationRecord> = with_db!(self, pool => {
            sqlx::query_as(CONSOLIDATIONS_OF_CYCLE).bind(cycle_id).fetch_all(pool).await?
        });
        self.fill_consolidations(items).await
    }

    /// The proposals a person is asked to consent to (pending first).
    pub async fn consolidations_for_author(
        &self,
        person_id: i64,
    ) -> Result<Vec<ConsolidationRecord>> {
        let items: Vec<ConsolidationRecord> = with_db!(self, pool => {
            sqlx::query_as(CONSOLIDATIONS_OF_PERSON).bind(person_id).fetch_all(pool).await?
        });
        self.fill_consolidations(items).await
    }

    /// The consolidation that produced (or rewrote) a recommendation, if any.
    pub async fn consolidations_of_result(
        &self,
        result_id: i64,
    ) -> Result<Vec<ConsolidationRecord>> {
        let items: Vec<ConsolidationRecord> = with_db!(self, pool => {
            sqlx::query_as(CONSOLIDATION_OF_RESULT).bind(result_id).fetch_all(pool).await?
        });
        self.fill_consolidations(items).await
    }

    /// The supporters told of a carried-out consolidation.
    pub async fn consolidation_notices(&self, id: i64) -> Result<Vec<SupporterNotice>> {
        with_db!(self, pool => Ok(sqlx::query_as(NOTICES).bind(id).fetch_all(pool).await?))
    }

    // ------------------------------------------------------------------------ follow-up

    /// One step of the board's follow-up (a decline carries its reason).
    pub async fn follow_up_recommendation(
        &self,
        ctx: &AuditContext,
        id: i64,
        step: &FollowUp,
        at: i64,
    ) -> Result<RecommendationRecord> {
        let day = brussels_day(at)?;
        write_tx!(self, tx => {
            let before = reco_in!(tx, id);
            let to = before
                .status()?
                .follow_up(step.to)
                .map_err(|_| refused("reco_status", ERR_STATUS))?;
            let pending: Option<(i64,)> =
                sqlx::query_as(SOURCE_PENDING).bind(id).fetch_optional(&mut *tx).await?;
            if pending.is_some() {
                return Err(refused("reco_status", ERR_STATUS));
            }
            let reason = (to == RecoStatus::Declined).then(|| step.reason.clone()).flatten();
            let done = sqlx::query(RECO_STATUS)
                .bind(to.code())
                .bind(reason.as_deref())
                .bind(at)
                .bind(id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("reco_status", ERR_STATUS));
            }
            sqlx::query_as::<_, (i64,)>(FOLLOW_UP_INSERT)
                .bind(id)
                .bind(&before.status)
                .bind(to.code())
                .bind(step.reason.as_deref())
                .bind(ctx.actor_account_id)
                .bind(day.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = reco_in!(tx, id);
            audit!(tx, ctx, "recommendation.follow-up", "recommendation", Some(id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    pub async fn recommendation_follow_ups(&self, id: i64) -> Result<Vec<FollowUpRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(FOLLOW_UPS).bind(id).fetch_all(pool).await?))
    }

    /// Whether a person is an author of a recommendation (the withdraw button).
    pub async fn is_recommendation_author(&self, id: i64, person_id: i64) -> Result<bool> {
        let row: Option<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(IS_AUTHOR).bind(id).bind(person_id).fetch_optional(pool).await?
        });
        Ok(row.is_some())
    }

    // --------------------------------------------------------------------------- figures

    /// The year of the recommendation cycles, counted from the rows: cycles running in the
    /// year (proposal opened before its end, closing after its start), recommendations
    /// written by members, supports given (and not withdrawn), consolidations carried out,
    /// and recommendations the board accepted, marked done or declined in the year.
    pub async fn recommendations_year(&self, year: i16) -> Result<RecoYear> {
        let bad = || refused("year", crate::figures::BAD_YEAR);
        if !(1900..=2998).contains(&year) {
            return Err(bad());
        }
        let from = Date::new(year, 1, 1).map_err(|_| bad())?.to_string();
        let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?.to_string();
        with_db!(self, pool => {
            let count = |sql: &'static str| {
                let (from, to) = (from.clone(), to.clone());
                async move {
                    let (n,): (i64,) = sqlx::query_as(sql).bind(from).bind(to).fetch_one(pool).await?;
                    Ok::<i64, StoreError>(n)
                }
            };
            let step = |status: &'static str| {
                let (from, to) = (from.clone(), to.clone());
                async move {
                    let (n,): (i64,) = sqlx::query_as(YEAR_FOLLOW_UPS)
                        .bind(status)
                        .bind(from)
                        .bind(to)
                        .fetch_one(pool)
                        .await?;
                    Ok::<i64, StoreError>(n)
                }
            };
            Ok(RecoYear {
                cycles: count(YEAR_CYCLES).await?,
                written: count(YEAR_WRITTEN).await?,
                supports: count(YEAR_SUPPORTS).await?,
                consolidations: count(YEAR_CONSOLIDATIONS).await?,
                accepted: step("accepted").await?,
                done: step("done").await?,
                declined: step("declined").await?,
            })
        })
    }

    pub(crate) async fn recommendations_figures(&self, year: i16) -> Result<SectionFigures> {
        let y = self.recommendations_year(year).await?;
        let list = Some(format!("/recommendations?year={year}"));
        let fig = |key: &'static str, n: i64| Figure {
            key,
            value: FigureValue::Count(n),
            link: list.clone(),
            parts: Vec::new(),
        };
        let figures = vec![
            fig("reco-cycles", y.cycles),
            fig("reco-written", y.written),
            fig("reco-supports", y.supports),
            fig("reco-consolidations", y.consolidations),
            fig("reco-accepted", y.accepted),
            fig("reco-done", y.done),
            fig("reco-declined", y.declined),
        ];
        // A year with nothing but zeros holds no cycle: never invent a figure.
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Recommendations,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}
