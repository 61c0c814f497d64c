//! Configuration: defaults, then an optional TOML file, then `RUCHE_*` environment variables,
//! then command-line flags (each layer overrides the one before).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use ruche_jobs::{SmtpConfig, WorkerConfig};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`; `None` = SQLite in `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    pub bind: String,
    /// The public address used in e-mailed links, e.g. `https://ruche.example.coop`.
    pub base_url: Option<String>,
    pub max_connections: u32,
    pub session_hours: u64,
    /// Set when ruche is served over HTTPS (cookies get `Secure`).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` (only behind your own reverse proxy).
    pub trust_proxy: bool,
    /// `text` or `json`.
    pub log_format: String,
    /// This instance's name in job leases (default: host name + process id).
    pub instance_id: Option<String>,
    /// Outgoing mail; without it, mail is kept and readable on the "Outgoing mail" page.
    #[serde(skip_serializing)]
    pub smtp: Option<SmtpConfig>,
    /// The folder where e-invoices are dropped for the Peppol access point's connector
    /// (the file-drop adapter); unset: e-invoices are attached to mail only.
    pub peppol_drop_dir: Option<PathBuf>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &self.database_url.as_deref().map(redact))
            .field("data_dir", &self.data_dir)
            .field("bind", &self.bind)
            .field("smtp", &self.smtp)
            .finish_non_exhaustive()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: None,
            data_dir: PathBuf::from("data"),
            bind: "127.0.0.1:8080".into(),
            base_url: None,
            max_connections: 8,
            session_hours: 8,
            secure_cookies: false,
            trust_proxy: false,
            log_format: "text".into(),
            instance_id: None,
            smtp: None,
            peppol_drop_dir: None,
        }
    }
}

impl Settings {
    pub fn load(file: Option<&Path>) -> Result<Settings> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    anyhow::bail!("configuration file {} not found", path.display());
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("ruche.toml")),
        }
        // RUCHE_DATABASE_URL, RUCHE_BIND, RUCHE_SMTP__HOST …
        figment = figment.merge(Env::prefixed("RUCHE_").split("__").ignore(&[
            "config",
            "log",
            "user_password",
            "test_pg_url",
        ]));
        figment.extract().context("reading the configuration")
    }

    pub fn web_config(&self, base_url: &str) -> ruche_web::WebConfig {
        ruche_web::WebConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            session_lifetime: Duration::from_secs(self.session_hours.max(1) * 3600),
            secure_cookies: self.secure_cookies || base_url.starts_with("https://"),
            trust_proxy: self.trust_proxy,
            upload_dir: self.data_dir.join("uploads"),
        }
    }

    pub fn worker_config(&self) -> WorkerConfig {
        let owner = self.instance_id.clone().unwrap_or_else(|| {
            let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "ruche".into());
            format!("{host}-{}", std::process::id())
        });
        let mut config = WorkerConfig::new(owner);
        config.smtp = self.smtp.clone();
        config.peppol_drop_dir = self.peppol_drop_dir.clone();
        config
    }
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

pub fn init_logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUCHE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if settings.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact("postgres://ruche:s3cret@db/ruche"),
            "postgres://ruche:***@db/ruche"
        );
        assert_eq!(
            redact("sqlite://data/ruche.sqlite"),
            "sqlite://data/ruche.sqlite"
        );
    }
}
