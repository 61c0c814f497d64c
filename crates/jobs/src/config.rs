//! Configuration of the worker and of the SMTP server it delivers mail through.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text: only for a trusted relay on the same host or network.
    None,
    /// Plain text first, then `STARTTLS`, which is required (no fallback to plain text).
    #[serde(alias = "start_tls", alias = "start-tls")]
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

/// The SMTP server mail is delivered through.
#[derive(Clone, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    pub tls: SmtpTls,
    /// The `From` address of every message, e.g. `Ruche <noreply@example.be>`.
    pub from: String,
}

/// Written by hand so the password never reaches a log.
impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("tls", &self.tls)
            .field("from", &self.from)
            .finish()
    }
}

/// How one worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The id of this instance: the owner of the leases it takes.
    pub owner: String,
    /// How long the worker sleeps when no job is due.
    pub poll_interval: Duration,
    /// How long a claimed job stays reserved to this worker. Must outlast the longest
    /// handler (an SMTP send is cut at 30 s); the worker raises a shorter lease to 60 s.
    pub lease: Duration,
    /// `None`: mail is kept in the outbox, readable on the "Outgoing mail" page (the demo).
    pub smtp: Option<SmtpConfig>,
    /// Where the file-drop Peppol adapter writes e-invoices; `None`: none are sent.
    pub peppol_drop_dir: Option<std::path::PathBuf>,
}

impl WorkerConfig {
    /// A worker with the usual intervals (poll every 5 s, 5 min leases) and no SMTP server.
    pub fn new(owner: impl Into<String>) -> Self {
        Self {
            owner: owner.into(),
            poll_interval: Duration::from_secs(5),
            lease: Duration::from_secs(5 * 60),
            smtp: None,
            peppol_drop_dir: None,
        }
    }
}
