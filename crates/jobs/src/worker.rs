//! The job worker: claims due jobs under a lease, runs them, settles them.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use ruche_store::jobs::ClaimedJob;
use ruche_store::mail::SEND_MAIL_JOB;
use ruche_store::{Store, now_micros};
use tracing::{Instrument, debug, error, info, info_span, warn};

use crate::config::WorkerConfig;
use crate::error::JobError;
use crate::mail::{self, Mailer, SEND_TIMEOUT};

/// At most this many jobs run back to back before the worker checks for shutdown again
/// and, when the queue looked empty, sleeps.
pub const MAX_JOBS_PER_DRAIN: usize = 100;

/// The shortest lease the worker takes: twice the longest handler (an SMTP send).
pub const MIN_LEASE: Duration = Duration::from_secs(2 * SEND_TIMEOUT.as_secs());
/// The longest lease the worker takes: a dead instance's jobs wait at most this long.
pub const MAX_LEASE: Duration = Duration::from_secs(24 * 60 * 60);
/// The shortest sleep between polls, so an idle worker never spins on the database.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_millis(100);

const FIRST_BACKOFF: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(6 * 60 * 60);

/// How long a job waits before its next attempt, after `attempts` attempts (the count
/// includes the one that just failed): 1 min × 2^(attempts − 1), at most 6 h.
pub fn retry_backoff(attempts: i64) -> Duration {
    // 2^9 min > 6 h: a larger exponent changes nothing.
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 9)).unwrap_or(9);
    FIRST_BACKOFF
        .saturating_mul(1u32 << exponent)
        .min(MAX_BACKOFF)
}

fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

/// Runs the jobs of the queue, one at a time. Several workers (instances) may run on one
/// database: each job is claimed by one of them at a time.
pub struct Worker {
    store: Store,
    config: WorkerConfig,
    mailer: Mailer,
    access_point: Option<Box<dyn crate::peppol::AccessPoint>>,
    reminder_renderer: Option<std::sync::Arc<dyn ruche_store::dunning::ReminderRenderer>>,
}

impl Worker {
    /// A worker. The lease is kept within [`MIN_LEASE`, `MAX_LEASE`] and the poll interval
    /// at least [`MIN_POLL_INTERVAL`]. A wrong SMTP configuration is logged here; the mails
    /// then fail their attempts with the reason (and are retried after a restart fixes it).
    pub fn new(store: Store, mut config: WorkerConfig) -> Worker {
        let lease = config.lease.clamp(MIN_LEASE, MAX_LEASE);
        if lease != config.lease {
            warn!(configured = ?config.lease, used = ?lease, "job lease out of bounds: adjusted");
            config.lease = lease;
        }
        config.poll_interval = config.poll_interval.max(MIN_POLL_INTERVAL);
        let mailer = Mailer::new(config.smtp.as_ref());
        let access_point = config.peppol_drop_dir.as_ref().map(|dir| {
            Box::new(crate::peppol::FileDrop::new(dir)) as Box<dyn crate::peppol::AccessPoint>
        });
        Worker {
            store,
            config,
            mailer,
            access_point,
            reminder_renderer: None,
        }
    }

    /// Renders the reminders' PDFs for the daily `dunning-run` job (the binary passes the
    /// typst renderer; this crate does not link it).
    pub fn with_reminder_renderer(
        mut self,
        renderer: std::sync::Arc<dyn ruche_store::dunning::ReminderRenderer>,
    ) -> Worker {
        self.reminder_renderer = Some(renderer);
        self
    }

    /// Claims at most one due job, runs it and settles it (done, retry later, or failed).
    /// Returns whether a job ran. An `Err` is a storage failure of the claim or the settling;
    /// a job's own failure is recorded on the job, not returned.
    pub async fn run_once(&self) -> Result<bool, JobError> {
        let owner = self.config.owner.as_str();
        let Some(job) = self
            .store
            .claim_job(owner, micros(self.config.lease))
            .await?
        else {
            return Ok(false);
        };
        let span = info_span!("job", id = job.id, kind = %job.kind, attempt = job.attempts);
        async {
            debug!("job claimed");
            let outcome = self.dispatch(&job).await;
            self.settle(&job, outcome).await
        }
        .instrument(span)
        .await?;
        Ok(true)
    }

    async fn dispatch(&self, job: &ClaimedJob) -> Result<(), JobError> {
        match job.kind.as_str() {
            SEND_MAIL_JOB => mail::send_mail(&self.store, &self.mailer, job).await,
            crate::peppol::PEPPOL_SEND_JOB => {
                crate::peppol::send(&self.store, self.access_point.as_deref(), job).await
            }
            crate::dunning::DUNNING_RUN_JOB => {
                crate::dunning::run(&self.store, self.reminder_renderer.as_deref(), job).await
            }
            other => Err(JobError::UnknownKind(other.to_string())),
        }
    }

    async fn settle(
        &self,
        job: &ClaimedJob,
        outcome: Result<(), JobError>,
    ) -> Result<(), JobError> {
        let owner = self.config.owner.as_str();
        match outcome {
            Ok(()) => {
                self.store.complete_job(job.id, owner).await?;
                debug!("job done");
            }
            Err(e) if e.is_permanent() || job.attempts >= job.max_attempts => {
                let detail = e.to_string();
                warn!(error = %detail, permanent = e.is_permanent(), "job failed for good");
                self.store.fail_job(job.id, owner, &detail, None).await?;
            }
            Err(e) => {
                let detail = e.to_string();
                let backoff = retry_backoff(job.attempts);
                warn!(error = %detail, retry_in = ?backoff, "job failed: will retry");
                let retry_at = now_micros().saturating_add(micros(backoff));
                self.store
                    .fail_job(job.id, owner, &detail, Some(retry_at))
                    .await?;
            }
        }
        Ok(())
    }

    /// Runs due jobs until `shutdown` completes: drains up to [`MAX_JOBS_PER_DRAIN`] jobs,
    /// then sleeps `poll_interval` when the queue is empty. A job under way when shutdown
    /// comes is finished first (an SMTP send is bounded by 30 s), so no lease is left
    /// hanging on a job half done.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        info!(owner = %self.config.owner, "job worker started");
        loop {
            let mut ran = 0;
            let mut queue_empty = false;
            while ran < MAX_JOBS_PER_DRAIN {
                if is_complete(shutdown.as_mut()).await {
                    info!("job worker stopped");
                    return;
                }
                match self.run_once().await {
                    Ok(true) => ran += 1,
                    Ok(false) => {
                        queue_empty = true;
                        break;
                    }
                    Err(e) => {
                        error!(error = %e, "job worker step failed: retrying after the poll interval");
                        queue_empty = true;
                        break;
                    }
                }
            }
            if ran > 0 {
                debug!(ran, "jobs drained");
            }
            if !queue_empty {
                // A full drain: more jobs may be due. Check shutdown, then go on at once.
                continue;
            }
            tokio::select! {
                () = shutdown.as_mut() => {
                    info!("job worker stopped");
                    return;
                }
                () = tokio::time::sleep(self.config.poll_interval) => {}
            }
        }
    }
}

/// Whether `future` has completed, without waiting for it. Call it no more after `true`.
async fn is_complete<F: Future<Output = ()>>(future: Pin<&mut F>) -> bool {
    tokio::select! {
        biased;
        () = future => true,
        () = std::future::ready(()) => false,
    }
}
