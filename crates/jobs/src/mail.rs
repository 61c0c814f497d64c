//! The `send-mail` job: delivers one outbox message and records the attempt.
//!
//! Delivery is at least once: a message accepted by the server whose `sent` record then
//! fails to be written (database down, instance killed) is sent again on the retry.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use ruche_store::jobs::ClaimedJob;
use ruche_store::mail::{Attachment, MailRecord, MailStatus};
use ruche_store::{Store, StoreError};
use serde::Deserialize;
use tracing::{debug, info, warn};

use crate::config::{SmtpConfig, SmtpTls};
use crate::error::JobError;

/// The longest one SMTP conversation may take. lettre's own timeout covers only the
/// connection (lettre#1027), so every send is wrapped in this one.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// The detail of the attempt recorded when mail is kept for the outbox page.
pub const KEPT_DETAIL: &str = "no SMTP server configured";

/// How the worker delivers mail, built once from the configuration.
pub(crate) enum Mailer {
    /// No SMTP server: mail is kept in the outbox (the demo).
    Keep,
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    /// An SMTP server is configured, but wrongly: every delivery attempt fails with this.
    Misconfigured(String),
}

impl Mailer {
    pub(crate) fn new(config: Option<&SmtpConfig>) -> Mailer {
        let Some(config) = config else {
            info!("no SMTP server configured: mail is kept in the outbox");
            return Mailer::Keep;
        };
        match smtp_transport(config) {
            Ok((transport, from)) => {
                info!(host = %config.host, port = config.port, tls = ?config.tls, "mail goes through SMTP");
                Mailer::Smtp {
                    transport: Box::new(transport),
                    from,
                }
            }
            Err(reason) => {
                tracing::error!(host = %config.host, port = config.port, %reason, "SMTP is misconfigured: mail will not be delivered");
                Mailer::Misconfigured(reason)
            }
        }
    }
}

fn smtp_transport(
    config: &SmtpConfig,
) -> Result<(AsyncSmtpTransport<Tokio1Executor>, Mailbox), String> {
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| format!("invalid from address {:?}: {e}", config.from))?;
    let tls = match config.tls {
        SmtpTls::None => Tls::None,
        SmtpTls::StartTls => Tls::Required(tls_parameters(&config.host)?),
        SmtpTls::Tls => Tls::Wrapper(tls_parameters(&config.host)?),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.as_str())
        .port(config.port)
        .tls(tls)
        .timeout(Some(SEND_TIMEOUT));
    match (&config.username, &config.password) {
        (Some(username), Some(password)) => {
            builder = builder.credentials(Credentials::new(username.clone(), password.clone()));
        }
        (None, None) => {}
        (Some(_), None) => return Err("a username is set but no password".into()),
        (None, Some(_)) => return Err("a password is set but no username".into()),
    }
    Ok((builder.build(), from))
}

fn tls_parameters(host: &str) -> Result<TlsParameters, String> {
    TlsParameters::new(host.to_string()).map_err(|e| format!("TLS setup for {host:?}: {e}"))
}

#[derive(Deserialize)]
struct SendMailPayload {
    mail_id: i64,
}

/// Runs one `send-mail` job. Records the attempt on the mail; the caller settles the job
/// from the result (retry or fail for good, by the same rule as the mail status here).
pub(crate) async fn send_mail(
    store: &Store,
    mailer: &Mailer,
    job: &ClaimedJob,
) -> Result<(), JobError> {
    let payload: SendMailPayload =
        serde_json::from_str(&job.payload).map_err(|e| JobError::InvalidPayload {
            kind: job.kind.clone(),
            reason: e.to_string(),
        })?;
    let mail = match store.mail(payload.mail_id).await {
        Ok(mail) => mail,
        Err(StoreError::NotFound) => return Err(JobError::MailNotFound(payload.mail_id)),
        Err(e) => return Err(e.into()),
    };
    // A job run twice (a lease lost after the attempt was recorded) sends once.
    match mail.status.as_str() {
        "sent" | "kept" | "failed" => {
            debug!(mail_id = mail.id, status = %mail.status, "mail already settled: nothing to do");
            return Ok(());
        }
        _ => {}
    }
    let (transport, from) = match mailer {
        Mailer::Keep => {
            store
                .record_mail_attempt(mail.id, "kept", Some(KEPT_DETAIL), MailStatus::Kept)
                .await?;
            info!(
                mail_id = mail.id,
                "mail kept in the outbox (no SMTP server)"
            );
            return Ok(());
        }
        Mailer::Smtp { transport, from } => (transport, from),
        Mailer::Misconfigured(reason) => {
            let error = JobError::SmtpConfig(reason.clone());
            return record_failure(store, job, &mail, error).await;
        }
    };
    let attachments = store.mail_attachments(mail.id).await?;
    match deliver(transport, from, &mail, &attachments).await {
        Ok(()) => {
            store
                .record_mail_attempt(mail.id, "sent", None, MailStatus::Sent)
                .await?;
            info!(mail_id = mail.id, "mail sent");
            Ok(())
        }
        Err(error) => record_failure(store, job, &mail, error).await,
    }
}

/// Records a failed attempt: the mail stays queued for the retry, or fails with the job.
async fn record_failure(
    store: &Store,
    job: &ClaimedJob,
    mail: &MailRecord,
    error: JobError,
) -> Result<(), JobError> {
    let last = error.is_permanent() || job.attempts >= job.max_attempts;
    let status = if last {
        MailStatus::Failed
    } else {
        MailStatus::Queued
    };
    let detail = error.to_string();
    warn!(mail_id = mail.id, attempt = job.attempts, last, error = %detail, "mail delivery failed");
    store
        .record_mail_attempt(mail.id, "error", Some(&detail), status)
        .await?;
    Err(error)
}

async fn deliver(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &MailRecord,
    attachments: &[Attachment],
) -> Result<(), JobError> {
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(
            |e: lettre::address::AddressError| JobError::InvalidRecipient {
                address: mail.to_address.clone(),
                reason: e.to_string(),
            },
        )?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.as_str());
    let message = if attachments.is_empty() {
        builder
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body_text.clone())
    } else {
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(mail.body_text.clone()));
        for a in attachments {
            let content_type = ContentType::parse(&a.content_type)
                .map_err(|e| JobError::InvalidMessage(e.to_string()))?;
            parts = parts.singlepart(
                LettreAttachment::new(a.filename.clone()).body(a.content.clone(), content_type),
            );
        }
        builder.multipart(parts)
    }
    .map_err(|e| JobError::InvalidMessage(e.to_string()))?;
    match tokio::time::timeout(SEND_TIMEOUT, transport.send(message)).await {
        Ok(Ok(_response)) => Ok(()),
        Ok(Err(e)) => Err(JobError::Smtp(e.to_string())),
        Err(_elapsed) => Err(JobError::SmtpTimeout(SEND_TIMEOUT)),
    }
}
