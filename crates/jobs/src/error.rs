//! What can go wrong while running a job.

use std::time::Duration;

use ruche_store::StoreError;

/// Why a job did not complete. [`JobError::is_permanent`] tells whether running it again
/// could help: a permanent error fails the job for good, any other one is retried with
/// backoff until the job's `max_attempts`.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("unknown job kind {0:?}")]
    UnknownKind(String),
    #[error("invalid payload for job kind {kind:?}: {reason}")]
    InvalidPayload { kind: String, reason: String },
    #[error("mail {0} is not in the outbox")]
    MailNotFound(i64),
    #[error("invalid recipient address {address:?}: {reason}")]
    InvalidRecipient { address: String, reason: String },
    #[error("the message cannot be built: {0}")]
    InvalidMessage(String),
    #[error("SMTP is misconfigured: {0}")]
    SmtpConfig(String),
    #[error("SMTP delivery failed: {0}")]
    Smtp(String),
    #[error("the SMTP server did not finish within {} s", .0.as_secs())]
    SmtpTimeout(Duration),
    #[error("Peppol delivery failed: {0}")]
    Peppol(String),
}

impl JobError {
    /// Whether retrying cannot help, so the job fails for good at once.
    pub fn is_permanent(&self) -> bool {
        match self {
            JobError::UnknownKind(_)
            | JobError::InvalidPayload { .. }
            | JobError::MailNotFound(_)
            | JobError::InvalidRecipient { .. }
            | JobError::InvalidMessage(_) => true,
            // A configuration is fixed by a restart; the store and the server may recover.
            JobError::Store(_)
            | JobError::SmtpConfig(_)
            | JobError::Smtp(_)
            | JobError::SmtpTimeout(_)
            | JobError::Peppol(_) => false,
        }
    }
}
