//! Background work of ruche: the job worker and the delivery of the e-mail outbox.
//!
//! Jobs live in the store's `jobs` table (DESIGN.md §6). A [`Worker`] claims a due job under
//! a lease, dispatches it by kind, and settles it: done, retried with exponential backoff
//! ([`retry_backoff`]), or failed for good (an unknown kind, a bad payload, an invalid
//! recipient, or the last allowed attempt). The `send-mail` job delivers one outbox message
//! over SMTP (lettre, rustls), or, with no SMTP server configured, keeps it readable in the
//! outbox. Every attempt is recorded on the mail.

mod config;
pub mod dunning;
mod error;
mod mail;
pub mod peppol;
mod worker;

pub use config::{SmtpConfig, SmtpTls, WorkerConfig};
pub use error::JobError;
pub use mail::{KEPT_DETAIL, SEND_TIMEOUT};
pub use worker::{
    MAX_JOBS_PER_DRAIN, MAX_LEASE, MIN_LEASE, MIN_POLL_INTERVAL, Worker, retry_backoff,
};
