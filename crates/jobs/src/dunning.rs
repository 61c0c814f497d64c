//! The daily reminders run as a job: `dunning-run`, one per calendar day (unique key
//! `dunning-run:YYYY-MM-DD`, so however many instances enqueue it, it is enqueued once),
//! which records the reminders due that day and delivers them (PDF rendered, e-mails queued
//! in the outbox, letters kept for printing). Both steps are idempotent: a retried or
//! repeated job records and sends nothing twice.

use jiff::civil::Date;
use ruche_store::dunning::{MAX_DELIVERY_BATCH, ReminderRenderer};
use ruche_store::jobs::{ClaimedJob, NewJob};
use ruche_store::{AuditContext, Store};
use serde::Deserialize;
use tracing::{info, warn};

use crate::error::JobError;

/// The job kind of the daily run.
pub const DUNNING_RUN_JOB: &str = "dunning-run";

/// At most this many delivery batches per job; what remains waits for the next run.
const MAX_DELIVERY_ROUNDS: usize = 100;

#[derive(Deserialize)]
struct Payload {
    date: String,
}

/// The job of `day`, with its unique key.
pub fn daily_job(day: Date) -> NewJob {
    let mut job = NewJob::now(
        DUNNING_RUN_JOB,
        serde_json::json!({ "date": day.to_string() }),
    );
    job.unique_key = Some(format!("{DUNNING_RUN_JOB}:{day}"));
    job
}

/// Enqueues the run of `day` unless it was enqueued before; `true` when enqueued now.
pub async fn enqueue_daily(store: &Store, day: Date) -> Result<bool, JobError> {
    Ok(store.enqueue_job(&daily_job(day)).await?.is_some())
}

/// Records and delivers the reminders of the job's day. Without a renderer (no PDF engine
/// wired in) the reminders are recorded and left pending for the next delivery.
pub(crate) async fn run(
    store: &Store,
    renderer: Option<&dyn ReminderRenderer>,
    job: &ClaimedJob,
) -> Result<(), JobError> {
    let payload: Payload =
        serde_json::from_str(&job.payload).map_err(|e| JobError::InvalidPayload {
            kind: job.kind.clone(),
            reason: e.to_string(),
        })?;
    let day: Date = payload
        .date
        .parse()
        .map_err(|e: jiff::Error| JobError::InvalidPayload {
            kind: job.kind.clone(),
            reason: e.to_string(),
        })?;
    let ctx = AuditContext::system();
    let report = store.dunning_run(&ctx, day, false).await?;
    info!(
        day = %day,
        candidates = report.candidates,
        sent = report.total_sent(),
        blocked = report.skipped_blocked,
        "dunning run"
    );
    let Some(renderer) = renderer else {
        warn!("no reminder renderer: reminders recorded, delivery deferred");
        return Ok(());
    };
    for _ in 0..MAX_DELIVERY_ROUNDS {
        let delivered = store
            .deliver_reminders(&ctx, renderer, MAX_DELIVERY_BATCH)
            .await?;
        info!(
            mailed = delivered.mailed,
            to_print = delivered.to_print,
            failed = delivered.failed,
            "reminders delivered"
        );
        if delivered.mailed + delivered.to_print == 0 {
            break;
        }
    }
    Ok(())
}
