//! Legal help (C16): the members' requests to the legal service and their threads.
//!
//! Every change runs in one transaction with its audit entry; the audit snapshot of a request
//! ([`LegalAuditView`]) carries ids, kind, status, priority, handler and outcome — never the
//! subject, the description, the counterparty, a message or a file's name (professional
//! secrecy: the audit log is read by administrators and the board, who may not read the
//! requests). Answering queues the member's notice in the same transaction: the notice says
//! that an answer waits, the caller renders it without the answer's text.
//!
//! Event instants are passed in (`at`, Unix microseconds), so that the demo can tell a
//! request's past; the dates of the yearly figures are their Brussels days.

use jiff::civil::Date;
use ruche_domain::legal_help::{
    LegalEvent, LegalKind, LegalOutcome, LegalPriority, LegalStatus, NewLegalRequest, may_reopen,
    median_days,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::attachments::{AttachmentRecord, NewAttachment, owner};
use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// `Conflict` code: the request is not at a stage that allows this.
pub const REFUSED_STATUS: &str = "legal-status";
/// `Conflict` code: the member does not hold the activity they named.
pub const REFUSED_NOT_HOLDER: &str = "legal-not-holder";
/// `Conflict` code: the reopening window has passed.
pub const REFUSED_REOPEN_LATE: &str = "legal-reopen-late";
/// `Conflict` code: a closed request takes no message (reopen it first).
pub const REFUSED_CLOSED: &str = "legal-closed";
/// Field error code: the handler chosen does not hold the legal role.
pub const REFUSED_ASSIGNEE: &str = "legal-assignee-not-legal";

/// A request as stored, with the names the pages show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LegalRequestRecord {
    pub id: i64,
    pub person_id: i64,
    pub member_name: String,
    pub member_language: String,
    /// The sign-in address of the member's account (the notice goes there).
    #[serde(skip)]
    pub member_email: Option<String>,
    pub submitted_by: Option<i64>,
    pub activity_id: Option<i64>,
    pub activity_name: Option<String>,
    pub kind: String,
    pub status: String,
    pub subject: String,
    pub description: String,
    pub counterparty: Option<String>,
    pub amount_cents: Option<i64>,
    pub deadline: Option<String>,
    pub priority: Option<String>,
    pub assignee_account_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub outcome: Option<String>,
    pub submitted_on: String,
    pub submitted_at: i64,
    pub first_answered_on: Option<String>,
    pub first_answered_at: Option<i64>,
    pub decided_on: Option<String>,
    pub closed_on: Option<String>,
    pub reopened_count: i64,
    pub updated_at: i64,
}

impl LegalRequestRecord {
    pub fn status(&self) -> Result<LegalStatus> {
        LegalStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("legal request status {}", self.status)))
    }

    pub fn kind(&self) -> Result<LegalKind> {
        LegalKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("legal request kind {}", self.kind)))
    }

    /// Whether the member may reopen it on `today`.
    pub fn reopenable_on(&self, today: Date) -> bool {
        let Ok(status) = self.status() else {
            return false;
        };
        self.decided_on
            .as_deref()
            .and_then(|d| d.parse::<Date>().ok())
            .is_some_and(|d| may_reopen(status, d, today))
    }

    /// What the audit log keeps of it: no text.
    fn audit_view(&self) -> LegalAuditView {
        LegalAuditView {
            id: self.id,
            person_id: self.person_id,
            activity_id: self.activity_id,
            kind: self.kind.clone(),
            status: self.status.clone(),
            priority: self.priority.clone(),
            assignee_account_id: self.assignee_account_id,
            outcome: self.outcome.clone(),
            reopened_count: self.reopened_count,
        }
    }
}

/// The audit snapshot of a request: ids and states only (professional secrecy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalAuditView {
    pub id: i64,
    pub person_id: i64,
    pub activity_id: Option<i64>,
    pub kind: String,
    pub status: String,
    pub priority: Option<String>,
    pub assignee_account_id: Option<i64>,
    pub outcome: Option<String>,
    pub reopened_count: i64,
}

/// The kinds of entries of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LegalMessageKind {
    /// A message of the thread, from the member or the legal service.
    Message,
    /// The legal service's answer (the request becomes answered).
    Answer,
    /// An internal note of the legal service, never shown to the member.
    Note,
}

impl LegalMessageKind {
    pub fn code(self) -> &'static str {
        match self {
            LegalMessageKind::Message => "message",
            LegalMessageKind::Answer => "answer",
            LegalMessageKind::Note => "note",
        }
    }
}

/// One entry of a thread, with its author's name and files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LegalMessageRecord {
    pub id: i64,
    pub request_id: i64,
    pub author_account_id: Option<i64>,
    pub author_name: Option<String>,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
    #[sqlx(skip)]
    pub attachments: Vec<AttachmentRecord>,
}

impl LegalMessageRecord {
    pub fn is_note(&self) -> bool {
        self.kind == LegalMessageKind::Note.code()
    }
}

/// The notice of an answer, rendered by the caller in the member's language. It says that an
/// answer waits and where to sign in, never what the answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalNotice {
    pub subject: String,
    pub body: String,
}

/// Filters of a list of requests; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct LegalFilter {
    /// One member's requests.
    pub person_id: Option<i64>,
    /// A status code, or `open` (submitted, triaged or reopened).
    pub status: Option<String>,
    pub kind: Option<LegalKind>,
    pub priority: Option<LegalPriority>,
    pub assignee_account_id: Option<i64>,
}

/// A member of the legal staff, for the triage's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LegalStaffMember {
    pub account_id: i64,
    pub name: String,
}

/// A request's year in figures (C17): counted from the rows, never typed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalYear {
    /// Requests filed in the year, and of each kind.
    pub requests: i64,
    pub questions: i64,
    pub contract_reviews: i64,
    pub disputes: i64,
    /// Requests first answered in the year.
    pub answered: i64,
    /// The median number of days from filing to first answer of those, rounded half up.
    pub answer_days_median: Option<i64>,
}

macro_rules! request_select {
    () => {
        "SELECT r.id, r.person_id, p.first_name || ' ' || p.last_name AS member_name, \
         COALESCE(ma.language, p.language) AS member_language, ma.email AS member_email, \
         r.submitted_by, r.activity_id, act.name AS activity_name, r.kind, r.status, \
         r.subject, r.description, r.counterparty, r.amount_cents, r.deadline, r.priority, \
         r.assignee_account_id, ap.first_name || ' ' || ap.last_name AS assignee_name, \
         r.outcome, r.submitted_on, r.submitted_at, r.first_answered_on, r.first_answered_at, \
         r.decided_on, r.closed_on, r.reopened_count, r.updated_at \
         FROM legal_requests r \
         JOIN persons p ON p.id = r.person_id \
         LEFT JOIN accounts ma ON ma.person_id = r.person_id \
         LEFT JOIN activities act ON act.id = r.activity_id \
         LEFT JOIN accounts aa ON aa.id = r.assignee_account_id \
         LEFT JOIN persons ap ON ap.id = aa.person_id"
    };
}

macro_rules! request_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR r.person_id = $1) \
          AND (CAST($2 AS TEXT) IS NULL OR r.status = $2 \
               OR ($2 = 'open' AND r.status IN ('submitted', 'triaged', 'reopened'))) \
          AND (CAST($3 AS TEXT) IS NULL OR r.kind = $3) \
          AND (CAST($4 AS TEXT) IS NULL OR r.priority = $4) \
          AND (CAST($5 AS BIGINT) IS NULL OR r.assignee_account_id = $5)"
    };
}

const GET: &str = concat!(request_select!(), " WHERE r.id = $1");
// The queue's order: waiting for a triage first, then the urgent ones, oldest first within.
const LIST: &str = concat!(
    request_select!(),
    request_where!(),
    " ORDER BY CASE WHEN r.status IN ('submitted', 'triaged', 'reopened') THEN 0 ELSE 1 END, \
     CASE COALESCE(r.priority, '') WHEN '' THEN 0 WHEN 'urgent' THEN 1 WHEN 'normal' THEN 2 \
     ELSE 3 END, r.submitted_at DESC, r.id DESC LIMIT $6 OFFSET $7"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM legal_requests r", request_where!());

const INSERT: &str = "INSERT INTO legal_requests (person_id, submitted_by, activity_id, kind, \
    status, subject, description, counterparty, amount_cents, deadline, submitted_on, \
    submitted_at, reopened_count, updated_at) \
    VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8, $9, $10, $11, 0, $11) RETURNING id";
const IS_HOLDER: &str =
    "SELECT person_id FROM activity_holders WHERE activity_id = $1 AND person_id = $2";
const HAS_LEGAL_ROLE: &str = "SELECT r.account_id FROM account_roles r JOIN accounts a ON a.id = r.account_id \
     WHERE r.account_id = $1 AND r.role = 'legal' AND a.active";
const TRIAGE: &str = "UPDATE legal_requests SET status = 'triaged', priority = $1, \
    assignee_account_id = $2, updated_at = $3 WHERE id = $4 AND status = $5";
const ANSWER: &str = "UPDATE legal_requests SET status = 'answered', \
    first_answered_on = COALESCE(first_answered_on, $1), \
    first_answered_at = COALESCE(first_answered_at, $2), \
    decided_on = $1, updated_at = $2 WHERE id = $3 AND status = $4";
const CLOSE: &str = "UPDATE legal_requests SET status = 'closed', outcome = $1, closed_on = $2, \
    decided_on = $2, updated_at = $3 WHERE id = $4 AND status = $5";
const REOPEN: &str = "UPDATE legal_requests SET status = 'reopened', outcome = NULL, \
    closed_on = NULL, reopened_count = reopened_count + 1, updated_at = $1 \
    WHERE id = $2 AND status = $3";
const TOUCH: &str = "UPDATE legal_requests SET updated_at = $1 WHERE id = $2";

const MESSAGE_INSERT: &str = "INSERT INTO legal_messages (request_id, author_account_id, kind, \
    body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const MESSAGES: &str = "SELECT m.id, m.request_id, m.author_account_id, \
    p.first_name || ' ' || p.last_name AS author_name, m.kind, m.body, m.created_at \
    FROM legal_messages m LEFT JOIN accounts a ON a.id = m.author_account_id \
    LEFT JOIN persons p ON p.id = a.person_id \
    WHERE m.request_id = $1 AND ($2 OR m.kind <> 'note') ORDER BY m.created_at, m.id LIMIT 1000";
const MESSAGE_OF_REQUEST: &str =
    "SELECT kind FROM legal_messages WHERE id = $1 AND request_id = $2";

const STAFF: &str = "SELECT a.id AS account_id, p.first_name || ' ' || p.last_name AS name \
    FROM accounts a JOIN persons p ON p.id = a.person_id \
    JOIN account_roles r ON r.account_id = a.id \
    WHERE r.role = 'legal' AND a.active ORDER BY p.last_name, p.first_name LIMIT 200";
const HELD_ACTIVITIES: &str = "SELECT a.id, a.name FROM activities a \
    JOIN activity_holders h ON h.activity_id = a.id WHERE h.person_id = $1 \
    ORDER BY a.name LIMIT 200";

const YEAR_COUNTS: &str = "SELECT COUNT(*), \
    CAST(COALESCE(SUM(CASE WHEN kind = 'question' THEN 1 ELSE 0 END), 0) AS BIGINT), \
    CAST(COALESCE(SUM(CASE WHEN kind = 'contract-review' THEN 1 ELSE 0 END), 0) AS BIGINT), \
    CAST(COALESCE(SUM(CASE WHEN kind = 'dispute' THEN 1 ELSE 0 END), 0) AS BIGINT) \
    FROM legal_requests WHERE submitted_on >= $1 AND submitted_on < $2";
const YEAR_ANSWERS: &str = "SELECT submitted_on, first_answered_on FROM legal_requests \
    WHERE first_answered_on >= $1 AND first_answered_on < $2 LIMIT 1000000";

/// The Brussels day of an instant.
pub fn brussels_day(micros: i64) -> Result<Date> {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| t.to_zoned(tz).date())
        .map_err(|e| StoreError::Corrupt(format!("instant {micros}: {e}")))
}

fn refused_transition(_: ruche_domain::legal_help::LegalTransitionRefused) -> StoreError {
    StoreError::Conflict(REFUSED_STATUS)
}

/// Attaches files to one legal record in the transaction `$tx`; the audit entry of each file
/// names its owner and id only (a file's name can tell what the request is about).
macro_rules! attach_in {
    ($tx:ident, $ctx:expr, $owner_kind:expr, $owner_id:expr, $files:expr, $at:expr) => {{
        let files: &[NewAttachment] = $files;
        let mut written = Vec::with_capacity(files.len());
        for file in files {
            let (id,): (i64,) = sqlx::query_as(crate::attachments::INSERT)
                .bind($owner_kind)
                .bind($owner_id)
                .bind(&file.sha256)
                .bind(&file.mime)
                .bind(file.size)
                .bind(&file.name)
                .bind($ctx.actor_account_id)
                .bind($at)
                .fetch_one(&mut *$tx)
                .await?;
            let trace = serde_json::json!({ "id": id, "owner_kind": $owner_kind, "owner_id": $owner_id });
            audit!($tx, $ctx, "attachment.added", "attachment", Some(id), None::<&()>, Some(&trace));
            written.push(AttachmentRecord {
                id,
                owner_kind: $owner_kind.to_string(),
                owner_id: $owner_id,
                sha256: file.sha256.clone(),
                mime: file.mime.clone(),
                size: file.size,
                name: file.name.clone(),
                uploaded_by: $ctx.actor_account_id,
                created_at: $at,
            });
        }
        written
    }};
}

/// Adds one entry to a thread in `$tx`, audited without its text. Evaluates to its id.
macro_rules! message_in {
    ($tx:ident, $ctx:expr, $request_id:expr, $kind:expr, $body:expr, $files:expr, $at:expr) => {{
        let kind: LegalMessageKind = $kind;
        let (id,): (i64,) = sqlx::query_as(MESSAGE_INSERT)
            .bind($request_id)
            .bind($ctx.actor_account_id)
            .bind(kind.code())
            .bind($body)
            .bind($at)
            .fetch_one(&mut *$tx)
            .await?;
        let trace = serde_json::json!({ "id": id, "request_id": $request_id, "kind": kind.code() });
        audit!($tx, $ctx, "legal-message.add", "legal_message", Some(id), None::<&()>, Some(&trace));
        attach_in!($tx, $ctx, owner::LEGAL_MESSAGE, id, $files, $at);
        id
    }};
}

macro_rules! request_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, LegalRequestRecord>(GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

impl Store {
    /// Files a member's request with its files, at the instant `at`. Refused when the member
    /// does not hold the activity they named.
    pub async fn file_legal_request(
        &self,
        ctx: &AuditContext,
        new: &NewLegalRequest,
        files: &[NewAttachment],
        at: i64,
    ) -> Result<LegalRequestRecord> {
        write_tx!(self, tx => {
            if let Some(activity_id) = new.activity_id {
                let held: Option<(i64,)> = sqlx::query_as(IS_HOLDER)
                    .bind(activity_id)
                    .bind(new.person_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if held.is_none() {
                    return Err(StoreError::Conflict(REFUSED_NOT_HOLDER));
                }
            }
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(new.person_id)
                .bind(ctx.actor_account_id)
                .bind(new.activity_id)
                .bind(new.kind.code())
                .bind(&new.subject)
                .bind(&new.description)
                .bind(new.counterparty.as_deref())
                .bind(new.amount_cents)
                .bind(new.deadline.map(|d| d.to_string()))
                .bind(new.submitted_on.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            attach_in!(tx, ctx, owner::LEGAL_REQUEST, id, files, at);
            let after = request_in!(tx, id);
            audit!(tx, ctx, "legal-request.submit", "legal_request", Some(id), None::<&()>, Some(&after.audit_view()));
            Ok(after)
        })
    }

    pub async fn legal_request(&self, id: i64) -> Result<LegalRequestRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, LegalRequestRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of requests: a member's own (filter `person_id`) or the legal service's queue
    /// (open first, untriaged then urgent first).
    pub async fn legal_requests(
        &self,
        filter: &LegalFilter,
        page: PageRequest,
    ) -> Result<Page<LegalRequestRecord>> {
        let status = filter.status.as_deref().filter(|s| !s.is_empty());
        let kind = filter.kind.map(LegalKind::code);
        let priority = filter.priority.map(LegalPriority::code);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(COUNT)
                .bind(filter.person_id)
                .bind(status)
                .bind(kind)
                .bind(priority)
                .bind(filter.assignee_account_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, LegalRequestRecord>(LIST)
                .bind(filter.person_id)
                .bind(status)
                .bind(kind)
                .bind(priority)
                .bind(filter.assignee_account_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The thread of a request, oldest first, with each entry's files; the internal notes
    /// only when `with_notes` (the legal staff).
    pub async fn legal_messages(
        &self,
        request_id: i64,
        with_notes: bool,
    ) -> Result<Vec<LegalMessageRecord>> {
        let mut messages: Vec<LegalMessageRecord> = with_db!(self, pool => {
            sqlx::query_as(MESSAGES).bind(request_id).bind(with_notes).fetch_all(pool).await?
        });
        for m in &mut messages {
            m.attachments = self.attachments_of(owner::LEGAL_MESSAGE, m.id).await?;
        }
        Ok(messages)
    }

    /// The kind of message `message_id` of request `request_id` (`NotFound` when the message
    /// belongs to another request): the files of a note are the legal staff's only.
    pub async fn legal_message_kind(&self, request_id: i64, message_id: i64) -> Result<String> {
        let row: Option<(String,)> = with_db!(self, pool => {
            sqlx::query_as(MESSAGE_OF_REQUEST)
                .bind(message_id)
                .bind(request_id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(k,)| k).ok_or(StoreError::NotFound)
    }

    /// Adds a message (either way) or an internal note, with its files. A closed request
    /// takes notes but no message (the member reopens it first).
    pub async fn add_legal_message(
        &self,
        ctx: &AuditContext,
        request_id: i64,
        kind: LegalMessageKind,
        body: &str,
        files: &[NewAttachment],
        at: i64,
    ) -> Result<LegalMessageRecord> {
        if kind == LegalMessageKind::Answer {
            return Err(StoreError::Conflict(REFUSED_STATUS));
        }
        let id = write_tx!(self, tx => {
            let before = request_in!(tx, request_id);
            if kind == LegalMessageKind::Message && !before.status()?.takes_messages() {
                return Err(StoreError::Conflict(REFUSED_CLOSED));
            }
            let id = message_in!(tx, ctx, request_id, kind, body, files, at);
            sqlx::query(TOUCH).bind(at).bind(request_id).execute(&mut *tx).await?;
            id
        });
        self.legal_messages(request_id, true)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Triages (or triages again) a request: its priority and the legal staff member who
    /// handles it (an active account with the legal role).
    pub async fn triage_legal_request(
        &self,
        ctx: &AuditContext,
        request_id: i64,
        priority: LegalPriority,
        assignee_account_id: i64,
        at: i64,
    ) -> Result<LegalRequestRecord> {
        write_tx!(self, tx => {
            let before = request_in!(tx, request_id);
            before.status()?.apply(LegalEvent::Triage).map_err(refused_transition)?;
            let legal: Option<(i64,)> = sqlx::query_as(HAS_LEGAL_ROLE)
                .bind(assignee_account_id)
                .fetch_optional(&mut *tx)
                .await?;
            if legal.is_none() {
                return Err(StoreError::Refused(FieldErrors::single("legal_assignee", REFUSED_ASSIGNEE)));
            }
            let done = sqlx::query(TRIAGE)
                .bind(priority.code())
                .bind(assignee_account_id)
                .bind(at)
                .bind(request_id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = request_in!(tx, request_id);
            audit!(tx, ctx, "legal-request.triage", "legal_request", Some(request_id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    /// Answers a triaged or reopened request: the answer joins the thread, the request is
    /// answered, and the member's notice is queued (to their account's address), together.
    pub async fn answer_legal_request(
        &self,
        ctx: &AuditContext,
        request_id: i64,
        body: &str,
        files: &[NewAttachment],
        notice: &LegalNotice,
        at: i64,
    ) -> Result<LegalRequestRecord> {
        let day = brussels_day(at)?.to_string();
        write_tx!(self, tx => {
            let before = request_in!(tx, request_id);
            before.status()?.apply(LegalEvent::Answer).map_err(refused_transition)?;
            message_in!(tx, ctx, request_id, LegalMessageKind::Answer, body, files, at);
            let done = sqlx::query(ANSWER)
                .bind(&day)
                .bind(at)
                .bind(request_id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            if let Some(to) = before.member_email.as_deref() {
                queue_mail_in!(tx, to, &notice.subject, &notice.body);
            }
            let after = request_in!(tx, request_id);
            audit!(tx, ctx, "legal-request.answer", "legal_request", Some(request_id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    /// Closes a request with its outcome.
    pub async fn close_legal_request(
        &self,
        ctx: &AuditContext,
        request_id: i64,
        outcome: LegalOutcome,
        at: i64,
    ) -> Result<LegalRequestRecord> {
        let day = brussels_day(at)?.to_string();
        write_tx!(self, tx => {
            let before = request_in!(tx, request_id);
            before.status()?.apply(LegalEvent::Close).map_err(refused_transition)?;
            let done = sqlx::query(CLOSE)
                .bind(outcome.code())
                .bind(&day)
                .bind(at)
                .bind(request_id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = request_in!(tx, request_id);
            audit!(tx, ctx, "legal-request.close", "legal_request", Some(request_id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    /// The member reopens an answered or closed request, within the window
    /// ([`ruche_domain::legal_help::REOPEN_DAYS`]) after its last answer or closure.
    pub async fn reopen_legal_request(
        &self,
        ctx: &AuditContext,
        request_id: i64,
        at: i64,
    ) -> Result<LegalRequestRecord> {
        let today = brussels_day(at)?;
        write_tx!(self, tx => {
            let before = request_in!(tx, request_id);
            before.status()?.apply(LegalEvent::Reopen).map_err(refused_transition)?;
            if !before.reopenable_on(today) {
                return Err(StoreError::Conflict(REFUSED_REOPEN_LATE));
            }
            let done = sqlx::query(REOPEN)
                .bind(at)
                .bind(request_id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = request_in!(tx, request_id);
            audit!(tx, ctx, "legal-request.reopen", "legal_request", Some(request_id), Some(&before.audit_view()), Some(&after.audit_view()));
            Ok(after)
        })
    }

    /// The legal staff (active accounts with the legal role), for the triage.
    pub async fn legal_staff(&self) -> Result<Vec<LegalStaffMember>> {
        with_db!(self, pool => Ok(sqlx::query_as(STAFF).fetch_all(pool).await?))
    }

    /// The activities a person holds, `(id, name)`, for the request form.
    pub async fn legal_held_activities(&self, person_id: i64) -> Result<Vec<(i64, String)>> {
        with_db!(self, pool => Ok(sqlx::query_as(HELD_ACTIVITIES).bind(person_id).fetch_all(pool).await?))
    }

    /// The legal service's year: requests filed (by kind), requests first answered and the
    /// median days to that first answer. Days are Brussels calendar days.
    pub async fn legal_help_year(&self, year: i16) -> Result<LegalYear> {
        let bad = || StoreError::Refused(FieldErrors::single("year", crate::figures::BAD_YEAR));
        if !(1900..=2998).contains(&year) {
            return Err(bad());
        }
        let from = Date::new(year, 1, 1).map_err(|_| bad())?.to_string();
        let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?.to_string();
        let ((requests, questions, contract_reviews, disputes), answers) = with_db!(self, pool => {
            let counts: (i64, i64, i64, i64) =
                sqlx::query_as(YEAR_COUNTS).bind(&from).bind(&to).fetch_one(pool).await?;
            let answers: Vec<(String, String)> =
                sqlx::query_as(YEAR_ANSWERS).bind(&from).bind(&to).fetch_all(pool).await?;
            (counts, answers)
        });
        let mut days = Vec::with_capacity(answers.len());
        for (submitted, answered) in &answers {
            let (Ok(s), Ok(a)) = (submitted.parse::<Date>(), answered.parse::<Date>()) else {
                return Err(StoreError::Corrupt(format!(
                    "legal request dates {submitted} {answered}"
                )));
            };
            let span = s
                .until(a)
                .map_err(|e| StoreError::Corrupt(format!("legal request dates: {e}")))?;
            days.push(i64::from(span.get_days()));
        }
        Ok(LegalYear {
            requests,
            questions,
            contract_reviews,
            disputes,
            answered: i64::try_from(answers.len()).unwrap_or(i64::MAX),
            answer_days_median: median_days(days),
        })
    }
}
