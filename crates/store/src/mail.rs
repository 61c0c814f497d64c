//! The e-mail outbox. Queuing a mail writes the message and its delivery job in one
//! transaction (the outbox pattern); the jobs crate delivers it and records every attempt.

use serde::Serialize;

use crate::jobs::{NewJob, enqueue_in};
use crate::{Page, PageRequest, Result, Store, StoreError, now_micros};

/// The job kind that delivers one outbox message.
pub const SEND_MAIL_JOB: &str = "send-mail";

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MailStatus {
    /// Waiting for (another) delivery attempt.
    Queued,
    /// Accepted by the SMTP server.
    Sent,
    /// No SMTP server is configured: kept, readable on the "Outgoing mail" page.
    Kept,
    /// Every attempt failed.
    Failed,
}

impl MailStatus {
    pub fn code(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sent => "sent",
            MailStatus::Kept => "kept",
            MailStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MailRecord {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub status: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub job_id: Option<i64>,
    /// It carries a secret (a password link): administrators only read it.
    pub confidential: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MailAttempt {
    pub id: i64,
    pub mail_id: i64,
    pub at: i64,
    pub outcome: String,
    pub detail: Option<String>,
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    #[serde(skip)]
    pub content: Vec<u8>,
}

pub(crate) const INSERT_ATTACHMENT: &str = "INSERT INTO mail_attachments (mail_id, filename, content_type, \
    content) VALUES ($1, $2, $3, $4)";
const ATTACHMENTS: &str = "SELECT filename, content_type, content FROM mail_attachments \
    WHERE mail_id = $1 ORDER BY id LIMIT 20";

const INSERT: &str = "INSERT INTO mail_outbox (to_address, subject, body_text, status, \
    created_at) VALUES ($1, $2, $3, 'queued', $4) RETURNING id";
const SET_JOB: &str = "UPDATE mail_outbox SET job_id = $1 WHERE id = $2";
const SET_CONFIDENTIAL: &str = "UPDATE mail_outbox SET confidential = TRUE WHERE id = $1";
const GET: &str = "SELECT id, to_address, subject, body_text, status, created_at, sent_at, \
    job_id, confidential FROM mail_outbox WHERE id = $1";
const LIST: &str = "SELECT id, to_address, subject, body_text, status, created_at, sent_at, \
    job_id, confidential FROM mail_outbox WHERE (CAST($1 AS TEXT) IS NULL OR to_address = $1) \
    AND ($4 OR NOT confidential) ORDER BY id DESC LIMIT $2 OFFSET $3";
const COUNT: &str = "SELECT COUNT(*) FROM mail_outbox \
    WHERE (CAST($1 AS TEXT) IS NULL OR to_address = $1) AND ($2 OR NOT confidential)";
const ATTEMPTS: &str = "SELECT id, mail_id, at, outcome, detail FROM mail_attempts \
    WHERE mail_id = $1 ORDER BY id LIMIT 100";
const ATTEMPT_INSERT: &str =
    "INSERT INTO mail_attempts (mail_id, at, outcome, detail) VALUES ($1, $2, $3, $4)";
const SET_STATUS: &str = "UPDATE mail_outbox SET status = $1, \
    sent_at = CASE WHEN $1 = 'sent' THEN $2 ELSE sent_at END WHERE id = $3";

impl Store {
    /// Queues a message and the job that delivers it, in one transaction.
    pub async fn queue_mail(&self, to: &str, subject: &str, body_text: &str) -> Result<MailRecord> {
        self.queue_mail_with(to, subject, body_text, &[]).await
    }

    /// Queues a message with attached files (at most 20), and its delivery job.
    pub async fn queue_mail_with(
        &self,
        to: &str,
        subject: &str,
        body_text: &str,
        attachments: &[Attachment],
    ) -> Result<MailRecord> {
        if attachments.len() > 20 {
            return Err(StoreError::Conflict("too-many-attachments"));
        }
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(INSERT)
                .bind(to)
                .bind(subject)
                .bind(body_text)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            for a in attachments {
                sqlx::query(INSERT_ATTACHMENT)
                    .bind(id)
                    .bind(&a.filename)
                    .bind(&a.content_type)
                    .bind(&a.content)
                    .execute(&mut *tx)
                    .await?;
            }
            let job = NewJob::now(SEND_MAIL_JOB, serde_json::json!({ "mail_id": id }));
            let job_id = enqueue_in!(tx, &job);
            sqlx::query(SET_JOB).bind(job_id).bind(id).execute(&mut *tx).await?;
            Ok(sqlx::query_as::<_, MailRecord>(GET).bind(id).fetch_one(&mut *tx).await?)
        })
    }

    pub async fn mail(&self, id: i64) -> Result<MailRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, MailRecord>(GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Queues a message carrying a secret (a password-reset or invitation link): like
    /// [`Store::queue_mail`], marked confidential in the same transaction.
    pub async fn queue_confidential_mail(
        &self,
        to: &str,
        subject: &str,
        body_text: &str,
    ) -> Result<MailRecord> {
        write_tx!(self, tx => {
            let id = queue_mail_in!(tx, to, subject, body_text);
            sqlx::query(SET_CONFIDENTIAL).bind(id).execute(&mut *tx).await?;
            Ok(sqlx::query_as::<_, MailRecord>(GET).bind(id).fetch_one(&mut *tx).await?)
        })
    }

    /// The outbox, newest first, optionally for one recipient; confidential messages only
    /// when `confidential` is true.
    pub async fn mails(
        &self,
        to: Option<&str>,
        confidential: bool,
        page: PageRequest,
    ) -> Result<Page<MailRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) =
                sqlx::query_as(COUNT).bind(to).bind(confidential).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, MailRecord>(LIST)
                .bind(to)
                .bind(page.per_page)
                .bind(page.offset())
                .bind(confidential)
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    pub async fn mail_attachments(&self, mail_id: i64) -> Result<Vec<Attachment>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, Attachment>(ATTACHMENTS).bind(mail_id).fetch_all(pool).await?)
        })
    }

    pub async fn mail_attempts(&self, mail_id: i64) -> Result<Vec<MailAttempt>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, MailAttempt>(ATTEMPTS).bind(mail_id).fetch_all(pool).await?)
        })
    }

    /// Records one delivery attempt and the message's new status, together.
    pub async fn record_mail_attempt(
        &self,
        mail_id: i64,
        outcome: &str,
        detail: Option<&str>,
        status: MailStatus,
    ) -> Result<()> {
        let now = now_micros();
        write_tx!(self, tx => {
            sqlx::query(ATTEMPT_INSERT)
                .bind(mail_id)
                .bind(now)
                .bind(outcome)
                .bind(detail)
                .execute(&mut *tx)
                .await?;
            let done = sqlx::query(SET_STATUS)
                .bind(status.code())
                .bind(now)
                .bind(mail_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
    }
}

pub(crate) const OUTBOX_INSERT: &str = "INSERT INTO mail_outbox (to_address, subject, \
    body_text, status, created_at) VALUES ($1, $2, $3, 'queued', $4) RETURNING id";
pub(crate) const OUTBOX_SET_JOB: &str = "UPDATE mail_outbox SET job_id = $1 WHERE id = $2";

/// Queues a message and its delivery job inside the caller's write transaction `$tx`: the
/// mail exists if and only if the change that sends it is committed (a quote is numbered
/// and sent, or neither). Evaluates to the message's id.
macro_rules! queue_mail_in {
    ($tx:ident, $to:expr, $subject:expr, $body:expr) => {{
        let (mail_id,): (i64,) = sqlx::query_as($crate::mail::OUTBOX_INSERT)
            .bind($to)
            .bind($subject)
            .bind($body)
            .bind($crate::now_micros())
            .fetch_one(&mut *$tx)
            .await?;
        let job = $crate::jobs::NewJob::now(
            $crate::mail::SEND_MAIL_JOB,
            serde_json::json!({ "mail_id": mail_id }),
        );
        let job_id = $crate::jobs::enqueue_in!($tx, &job);
        sqlx::query($crate::mail::OUTBOX_SET_JOB)
            .bind(job_id)
            .bind(mail_id)
            .execute(&mut *$tx)
            .await?;
        mail_id
    }};
}
pub(crate) use queue_mail_in;
