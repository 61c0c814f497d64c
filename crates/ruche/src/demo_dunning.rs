//! The demo's reminders: the daily run as it would have gone on four past days (40, 20 and 5
//! days ago, and yesterday), each pass delivered like the daily job does it, so that the
//! demo shows reminders of every level, e-mails in the outgoing mail and letters to print.
//! One disputed invoice stays blocked; another was blocked during a payment plan and is
//! unblocked at the end, so that an accountant running today's reminders still sends one
//! (today's daily job is put off to tomorrow morning).

use anyhow::Result;
use jiff::civil::Date;
use ruche_store::dunning::{AGE_BUCKETS, MAX_DELIVERY_BATCH, OverdueInvoice, ReminderFilter};
use ruche_store::{AuditContext, PageRequest, Store};

use crate::dunning::PdfRenderer;

/// The past days of the run, in days before today.
const PASSES: [i64; 4] = [40, 20, 5, 1];

/// At most this many delivery batches per pass.
const MAX_DELIVERY_ROUNDS: usize = 10;

/// Seeds the reminders once: nothing is written when a reminder exists already.
pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store
        .reminders(&ReminderFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let day = |n: i64| today.checked_sub(jiff::Span::new().days(n));
    let overdue = overdue_of_others(store, today).await?;
    // Overdue for a week at least on the first pass: it would have had its reminders.
    let first_pass = day(PASSES[0])?.to_string();
    let mut candidates = overdue
        .iter()
        .filter(|i| i.due_date.as_str() <= first_pass.as_str());
    let disputed = candidates.next();
    let plan = candidates.next();
    if let Some(i) = disputed {
        store
            .block_invoice(
                &ctx,
                i.id,
                "Prestation contestée par le client (courriel du client)",
            )
            .await?;
    }
    if let Some(i) = plan {
        store
            .block_invoice(&ctx, i.id, "Plan de paiement convenu par téléphone")
            .await?;
    }
    for n in PASSES {
        store.dunning_run(&ctx, day(n)?, false).await?;
        for _ in 0..MAX_DELIVERY_ROUNDS {
            let d = store
                .deliver_reminders(&ctx, &PdfRenderer, MAX_DELIVERY_BATCH)
                .await?;
            if d.mailed + d.to_print == 0 {
                break;
            }
        }
    }
    // The payment plan was not kept: its reminders start again with today's run.
    if let Some(i) = plan {
        store.unblock_invoice(&ctx, i.id).await?;
    }
    // Today's scheduled run is put off to tomorrow 06:00 (the server would otherwise enqueue
    // it at start and run it at once), so that an accountant running today's reminders from
    // the page sends them, whatever the hour the demo starts; the late job then finds nothing
    // new.
    let mut job = ruche_jobs::dunning::daily_job(today);
    let tz = jiff::tz::TimeZone::get("Europe/Brussels")?;
    job.run_at = today
        .tomorrow()?
        .at(6, 0, 0, 0)
        .to_zoned(tz)?
        .timestamp()
        .as_microsecond();
    store.enqueue_job(&job).await?;
    Ok(())
}

/// The open invoices past their due date today, oldest first, except those of the demo
/// member's activity (Studio Lumen keeps its full history of reminders).
async fn overdue_of_others(store: &Store, today: Date) -> Result<Vec<OverdueInvoice>> {
    let mut out = Vec::new();
    for bucket in (0..AGE_BUCKETS.len()).rev() {
        let page = store
            .overdue_invoices(today, bucket, PageRequest::new(1, 50))
            .await?;
        for invoice in page.items {
            if store.invoice(invoice.id).await?.activity_id != 1 {
                out.push(invoice);
            }
        }
    }
    Ok(out)
}
