//! Reminders: the daily run is idempotent, concurrency-safe, skips blocked and settled
//! invoices, follows the B2C waiting period, and delivers each reminder once.

use jiff::civil::{Date, date};
use ruche_domain::dunning::ReminderDocument;
use ruche_store::dunning::{ReminderFilter, ReminderRenderer};
use ruche_store::invoices::DraftInvoice;
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, ctx};
use crate::invoices::{Fixture, draft, fixture, line};

/// Renders a recognisable stand-in for the PDF: the store only keeps and attaches the bytes.
struct BytesRenderer;

impl ReminderRenderer for BytesRenderer {
    fn reminder_pdf(&self, document: &ReminderDocument) -> Result<Vec<u8>, String> {
        Ok(format!("%PDF reminder {}", document.filename()).into_bytes())
    }
}

/// An invoice of 1,210.00 € (1,000 + 21 % VAT) issued on `issued`, due 30 days later.
async fn issued(store: &Store, f: &Fixture, client: i64, issued: Date) -> i64 {
    let d = DraftInvoice {
        client_id: client,
        ..draft(f, vec![line("Concert", 1, 100_000, 2100)])
    };
    let d = store.save_invoice_draft(&ctx(), None, &d).await.unwrap();
    store.issue_invoice(&ctx(), d.id, issued).await.unwrap();
    d.id
}

pub async fn a_run_twice_on_the_same_day_sends_nothing_new(store: &Store) {
    let f = fixture(store).await;
    // Due 2026-04-01; the first B2B level is due 7 days later.
    let inv = issued(store, &f, f.client, date(2026, 3, 2)).await;
    let early = store
        .dunning_run(&ctx(), date(2026, 4, 7), false)
        .await
        .unwrap();
    assert_eq!(early.total_sent(), 0);
    assert_eq!(
        early.not_yet_due, 0,
        "not even a candidate before its first level"
    );

    let first = store
        .dunning_run(&ctx(), date(2026, 4, 8), false)
        .await
        .unwrap();
    assert_eq!(first.candidates, 1);
    assert_eq!(first.total_sent(), 1);
    assert_eq!(first.emails, 1);
    // 7 days at 10.5 % on 1,210.00 € = 2.44 €, plus the 40 € compensation.
    assert_eq!(first.charges_cents, 244 + 4000);

    let again = store
        .dunning_run(&ctx(), date(2026, 4, 8), false)
        .await
        .unwrap();
    assert_eq!(again.total_sent(), 0);
    assert_eq!(again.not_yet_due, 1);
    let history = store.reminders_of_invoice(inv).await.unwrap();
    assert_eq!(history.len(), 1);
    let r = &history[0];
    assert_eq!(
        (r.level, r.sent_on.as_str(), r.channel.as_str()),
        (1, "2026-04-08", "email")
    );
    assert_eq!(
        (r.interest_cents, r.compensation_cents, r.rate_bp),
        (244, 4000, Some(1050))
    );
    assert_eq!(r.buyer_class, "b2b");
    assert_eq!(r.delivery, "pending");

    // A dry run shows the second level and writes nothing.
    let preview = store
        .dunning_run(&ctx(), date(2026, 4, 22), true)
        .await
        .unwrap();
    assert_eq!(preview.total_sent(), 1);
    assert_eq!(preview.sent[0].level, 2);
    assert_eq!(store.reminders_of_invoice(inv).await.unwrap().len(), 1);
    let second = store
        .dunning_run(&ctx(), date(2026, 4, 22), false)
        .await
        .unwrap();
    assert_eq!(second.sent, preview.sent);
    assert_eq!(store.reminders_of_invoice(inv).await.unwrap().len(), 2);

    let audit = store
        .audit_entries(&Default::default(), PageRequest::new(1, 200))
        .await
        .unwrap();
    assert_eq!(
        audit
            .items
            .iter()
            .filter(|e| e.entity_type == "reminder")
            .count(),
        2
    );
}

pub async fn two_runs_at_the_same_moment_send_each_reminder_once(store: &Store) {
    let f = fixture(store).await;
    const INVOICES: usize = 12;
    for _ in 0..INVOICES {
        issued(store, &f, f.client, date(2026, 3, 2)).await;
    }
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.dunning_run(&ctx(), date(2026, 4, 10), false).await })
        })
        .collect();
    let mut sent = 0;
    for run in runs {
        sent += run.await.unwrap().unwrap().total_sent();
    }
    assert_eq!(
        sent, INVOICES as i64,
        "each reminder counted by exactly one run"
    );
    let all = store
        .reminders(&ReminderFilter::default(), PageRequest::new(1, 100))
        .await
        .unwrap();
    assert_eq!(all.total, INVOICES as i64);

    // Two deliveries at the same moment queue each e-mail once.
    let deliveries: Vec<_> = (0..2)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.deliver_reminders(&ctx(), &BytesRenderer, 100).await })
        })
        .collect();
    let mut mailed = 0;
    for d in deliveries {
        mailed += d.await.unwrap().unwrap().mailed;
    }
    assert_eq!(mailed, INVOICES as i64);
    let outbox = store
        .mails(None, true, PageRequest::new(1, 100))
        .await
        .unwrap();
    assert_eq!(outbox.total, INVOICES as i64);
    let mail = &outbox.items[0];
    assert!(mail.subject.contains("Rappel"), "{}", mail.subject);
    let attachments = store.mail_attachments(mail.id).await.unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].content_type, "application/pdf");
    assert!(attachments[0].filename.starts_with("R1-F2026-"));
    let again = store
        .deliver_reminders(&ctx(), &BytesRenderer, 100)
        .await
        .unwrap();
    assert_eq!(again.mailed, 0);
}

pub async fn blocked_paid_and_credited_invoices_are_not_reminded(store: &Store) {
    let f = fixture(store).await;
    let disputed = issued(store, &f, f.client, date(2026, 3, 2)).await;
    let paid = issued(store, &f, f.client, date(2026, 3, 2)).await;
    store
        .record_payment(&ctx(), paid, 121_000, date(2026, 4, 2), None)
        .await
        .unwrap();
    assert!(matches!(
        store.block_invoice(&ctx(), disputed, "   ").await,
        Err(StoreError::Conflict("block-reason-required"))
    ));
    assert!(matches!(
        store.block_invoice(&ctx(), paid, "paid").await,
        Err(StoreError::Conflict("invoice-not-open"))
    ));
    store
        .block_invoice(&ctx(), disputed, "The client disputes the hours")
        .await
        .unwrap();
    assert!(matches!(
        store.block_invoice(&ctx(), disputed, "again").await,
        Err(StoreError::Conflict("already-blocked"))
    ));
    let run = store
        .dunning_run(&ctx(), date(2026, 4, 10), false)
        .await
        .unwrap();
    assert_eq!(run.total_sent(), 0);
    assert_eq!(run.skipped_blocked, 1);
    assert_eq!(run.candidates, 1, "the paid invoice is never selected");
    let blocked = store
        .blocked_invoices(PageRequest::new(1, 10))
        .await
        .unwrap();
    assert_eq!(blocked.total, 1);
    assert_eq!(blocked.items[0].reason, "The client disputes the hours");

    store.unblock_invoice(&ctx(), disputed).await.unwrap();
    assert!(matches!(
        store.unblock_invoice(&ctx(), disputed).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.invoice_block(disputed).await.unwrap(), None);
    let run = store
        .dunning_run(&ctx(), date(2026, 4, 10), false)
        .await
        .unwrap();
    assert_eq!(run.total_sent(), 1);
    // Paid after its first reminder: it leaves the process at once.
    store
        .record_payment(&ctx(), disputed, 121_000, date(2026, 4, 11), None)
        .await
        .unwrap();
    let run = store
        .dunning_run(&ctx(), date(2026, 5, 30), false)
        .await
        .unwrap();
    assert_eq!((run.candidates, run.total_sent()), (0, 0));
}

pub async fn a_consumer_gets_a_free_letter_then_waits_fourteen_days(store: &Store) {
    let f = fixture(store).await;
    let consumer = fixtures::consumer(store).await; // no e-mail address
    // Issued Monday 2 March 2026, due Wednesday 1 April.
    let inv = issued(store, &f, consumer, date(2026, 3, 2)).await;
    // Level 1 on Wednesday 8 April, by letter: the period starts on the 3rd working day
    // after posting (Thu 9, Fri 10, Mon 13 April) and costs may be charged from 27 April.
    let first = store
        .dunning_run(&ctx(), date(2026, 4, 8), false)
        .await
        .unwrap();
    assert_eq!(
        (first.total_sent(), first.letters, first.charges_cents),
        (1, 1, 0)
    );
    let doc = store
        .reminder_document(store.reminders_of_invoice(inv).await.unwrap()[0].id)
        .await
        .unwrap();
    let r = &doc.snapshot.reminder;
    assert!(r.mandatory_mentions);
    assert_eq!(r.announced_damages_cents, 6_500 + 71_000 / 20);
    let period = r.waiting_period.unwrap();
    assert_eq!(
        (period.starts_on, period.costs_from),
        (date(2026, 4, 13), date(2026, 4, 27))
    );

    let waiting = store
        .dunning_run(&ctx(), date(2026, 4, 26), false)
        .await
        .unwrap();
    assert_eq!(waiting.total_sent(), 0);
    let second = store
        .dunning_run(&ctx(), date(2026, 4, 27), false)
        .await
        .unwrap();
    assert_eq!(second.total_sent(), 1);
    let history = store.reminders_of_invoice(inv).await.unwrap();
    // The second level: 7.50 € at most, and the damages within the cap (1,210 € → 100.50 €).
    assert_eq!((history[1].level, history[1].fee_cents), (2, 750));
    assert_eq!(history[1].damages_cents, 6_500 + 71_000 / 20);
    let delivered = store
        .deliver_reminders(&ctx(), &BytesRenderer, 10)
        .await
        .unwrap();
    assert_eq!((delivered.mailed, delivered.to_print), (0, 2));
    let pdf = store.reminder_pdf(history[0].id).await.unwrap().unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let letters = store
        .reminders(
            &ReminderFilter {
                delivery: Some("to_print".into()),
                ..Default::default()
            },
            PageRequest::new(1, 10),
        )
        .await
        .unwrap();
    assert_eq!(letters.total, 2);
}

pub async fn the_accountant_sees_counts_ages_and_a_summary_letter(store: &Store) {
    let f = fixture(store).await;
    let old = issued(store, &f, f.client, date(2026, 1, 5)).await; // due 4 Feb
    let recent = issued(store, &f, f.client, date(2026, 3, 2)).await; // due 1 Apr
    store
        .dunning_run(&ctx(), date(2026, 2, 20), false)
        .await
        .unwrap();
    store
        .dunning_run(&ctx(), date(2026, 4, 10), false)
        .await
        .unwrap();
    let months = store.reminders_per_month(2026).await.unwrap();
    let months: Vec<(&str, i64)> = months
        .iter()
        .map(|m| (m.period.as_str(), m.count))
        .collect();
    assert_eq!(months, [("2026-02", 1), ("2026-04", 2)]);
    let years = store.reminders_per_year().await.unwrap();
    assert_eq!((years[0].period.as_str(), years[0].count), ("2026", 3));

    let buckets = store.overdue_by_age(date(2026, 4, 10)).await.unwrap();
    let counts: Vec<i64> = buckets.iter().map(|b| b.count).collect();
    // 9 days and 65 days overdue.
    assert_eq!(counts, [1, 0, 1, 0]);
    assert_eq!(buckets[0].open_cents, 121_000);
    let in_third = store
        .overdue_invoices(date(2026, 4, 10), 2, PageRequest::new(1, 10))
        .await
        .unwrap();
    assert_eq!(in_third.total, 1);
    assert_eq!(in_third.items[0].id, old);
    assert_eq!(in_third.items[0].last_level, Some(2));

    let letter = store
        .summary_letter(f.client, date(2026, 4, 10))
        .await
        .unwrap();
    assert_eq!(letter.lines.len(), 2);
    assert_eq!(letter.total_open_cents(), 242_000);
    assert_eq!(letter.buyer.name, "Théâtre");
    let _ = recent;
}

pub async fn an_invoice_in_recovery_gets_no_more_reminders(store: &Store) {
    let f = fixture(store).await;
    let in_recovery = issued(store, &f, f.client, date(2026, 3, 2)).await;
    let other = issued(store, &f, f.client, date(2026, 3, 2)).await;
    store
        .open_recovery(&ctx(), in_recovery, date(2026, 4, 7), None, &[])
        .await
        .unwrap();
    let run = store
        .dunning_run(&ctx(), date(2026, 4, 8), false)
        .await
        .unwrap();
    assert_eq!(
        (run.candidates, run.total_sent()),
        (1, 1),
        "only the invoice outside recovery"
    );
    assert!(
        store
            .reminders_of_invoice(in_recovery)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.reminders_of_invoice(other).await.unwrap().len(), 1);
}
