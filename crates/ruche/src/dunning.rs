//! `ruche dunning run --date YYYY-MM-DD [--dry-run]`: the reminders run of one day, the same
//! as the daily job and the accountants' button; prints the report. Also the typst renderer
//! the job worker and this command hand to the store.

use anyhow::{Context, Result};
use jiff::civil::Date;
use ruche_store::dunning::{DeliveryReport, DunningReport, MAX_DELIVERY_BATCH};
use ruche_store::{AuditContext, Store};

/// The typst renderer of reminders: the one the accountants' page uses.
pub use ruche_web::pages::dunning::PdfRenderer;

/// At most this many delivery batches per command; the rest waits for the next run.
const MAX_DELIVERY_ROUNDS: usize = 1000;

/// Runs the reminders of `date`; a dry run writes nothing and delivers nothing.
pub async fn run(store: &Store, date: &str, dry_run: bool) -> Result<()> {
    let day: Date = date
        .parse()
        .with_context(|| format!("--date {date:?}: expected YYYY-MM-DD"))?;
    let ctx = AuditContext::system();
    let report = store
        .dunning_run(&ctx, day, dry_run)
        .await
        .context("running the reminders")?;
    print!("{}", render(&report));
    if !dry_run {
        let mut total = DeliveryReport::default();
        for _ in 0..MAX_DELIVERY_ROUNDS {
            let d = store
                .deliver_reminders(&ctx, &PdfRenderer, MAX_DELIVERY_BATCH)
                .await
                .context("delivering the reminders")?;
            total.mailed += d.mailed;
            total.to_print += d.to_print;
            total.failed += d.failed;
            if d.mailed + d.to_print == 0 {
                break;
            }
        }
        println!(
            "delivered: {} e-mails queued, {} letters to print, {} not rendered",
            total.mailed, total.to_print, total.failed
        );
    }
    Ok(())
}

/// The report as the command prints it.
pub fn render(report: &DunningReport) -> String {
    let mut out = format!(
        "reminders {} {}\n",
        report.as_of,
        if report.dry_run {
            "(dry run: nothing written)"
        } else {
            ""
        }
    );
    out.push_str(&format!("candidates: {}\n", report.candidates));
    for c in &report.sent {
        out.push_str(&format!("  {} level {}: {}\n", c.class, c.level, c.count));
    }
    out.push_str(&format!(
        "sent: {} ({} e-mails, {} letters), charges {}\n",
        report.total_sent(),
        report.emails,
        report.letters,
        ruche_domain::format::money(report.charges_cents)
    ));
    out.push_str(&format!(
        "blocked: {}, not yet due: {}, all levels sent: {}, recorded by another run: {}\n",
        report.skipped_blocked, report.not_yet_due, report.exhausted, report.already_recorded
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_every_count() {
        let report = DunningReport {
            as_of: "2026-04-08".into(),
            dry_run: true,
            candidates: 3,
            sent: vec![ruche_store::dunning::LevelCount {
                class: "b2b".into(),
                level: 1,
                count: 2,
            }],
            emails: 1,
            letters: 1,
            skipped_blocked: 1,
            ..Default::default()
        };
        let text = render(&report);
        assert!(text.contains("(dry run: nothing written)"));
        assert!(text.contains("b2b level 1: 2"));
        assert!(text.contains("sent: 2 (1 e-mails, 1 letters)"));
        assert!(text.contains("blocked: 1"));
    }
}
