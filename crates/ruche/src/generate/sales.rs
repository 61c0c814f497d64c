//! The year's sales, day by day: each day's invoices saved and issued on their date (the
//! store numbers them and posts them to the ledger), the day's payments recorded (the store
//! credits the budget and charges the contribution), then the day's reminders run. A day's
//! invoices go through `Store::issue_invoices` and its payments through
//! `Store::record_payments`: the same use cases as one by one, one transaction a day.

use std::collections::{BTreeMap, HashSet};

use anyhow::{Context, Result};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use ruche_domain::Language;
use ruche_domain::invoicing::{DocumentKind, LineInput, VatCategory};
use ruche_store::invoices::DraftInvoice;
use ruche_store::{AuditContext, Store};
use rust_decimal::Decimal;

use super::people::Coop;
use super::scale::{Volumes, split_exact};
use super::{Progress, Summary, day_of, days_in, set_clock};

/// What happens to an invoice after it is issued.
#[derive(Debug, Clone, Copy)]
enum Fate {
    /// Paid in full, `days` after issue (the term is 30 days).
    Paid {
        days: i64,
    },
    /// Half paid `days` after issue; the rest never.
    Partly {
        days: i64,
    },
    Never,
}

struct Planned {
    day: i64,
    member: usize,
    client: usize,
    cents: i64,
    fate: Fate,
}

const DESCRIPTIONS: [&str; 6] = [
    "Prestation",
    "Représentation",
    "Accompagnement",
    "Journée de tournage",
    "Création graphique",
    "Animation d'atelier",
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    volumes: &Volumes,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let days = days_in(coop.year);
    let n = usize::try_from(volumes.invoices)?;
    let amounts = split_exact(rng, volumes.turnover_cents, n);
    // Each member invoices about as often as any other: a shuffled round-robin.
    let mut order: Vec<usize> = (0..coop.members.len()).collect();
    order.shuffle(rng);
    let mut planned = Vec::with_capacity(n);
    for (i, cents) in amounts.into_iter().enumerate() {
        let member = order[i % order.len()];
        let from = coop.members[member].from_day;
        let roll: f64 = rng.random();
        // Calibrated on the reminder levels (rules/dunning.toml: 7, 21/25 and 35/45 days
        // after the 30-day term) to give about as many reminders per invoice as the
        // reference year (34,873 for about 200,000 invoices).
        let fate = if roll < 0.89 {
            // Within the term, or before the first reminder.
            Fate::Paid {
                days: rng.random_range(5..=37),
            }
        } else if roll < 0.95 {
            // After the first reminder.
            Fate::Paid {
                days: rng.random_range(38..=50),
            }
        } else if roll < 0.97 {
            // After the second.
            Fate::Paid {
                days: rng.random_range(52..=64),
            }
        } else if roll < 0.98 {
            Fate::Partly {
                days: rng.random_range(20..=60),
            }
        } else {
            Fate::Never
        };
        planned.push(Planned {
            day: rng.random_range(from..days),
            member,
            client: rng.random_range(0..coop.clients.len()),
            cents,
            fate,
        });
    }
    // Issued in date order: numbers follow dates.
    planned.sort_by_key(|p| p.day);

    // Payments per day: (invoice index, half or all).
    let mut payments: BTreeMap<i64, Vec<(usize, bool)>> = BTreeMap::new();
    for (i, p) in planned.iter().enumerate() {
        match p.fate {
            Fate::Paid { days: d } if p.day + d < days => {
                payments.entry(p.day + d).or_default().push((i, false));
            }
            Fate::Partly { days: d } if p.day + d < days => {
                payments.entry(p.day + d).or_default().push((i, true));
            }
            _ => {}
        }
    }

    progress.phase("invoices, payments, reminders", u64::try_from(days)?);
    let mut issued: Vec<Option<(i64, i64)>> = vec![None; planned.len()];
    let mut next = 0;
    let mut clients_invoiced = HashSet::new();
    let mut activities_invoicing = HashSet::new();
    let mut paid = vec![false; planned.len()];
    for d in 0..days {
        let date = day_of(coop.year, d)?;
        set_clock(date, 9)?;
        // The day's invoices, saved and issued in one transaction (numbers in plan order).
        let first = next;
        let mut drafts = Vec::new();
        while let Some(p) = planned.get(next).filter(|p| p.day == d) {
            let member = &coop.members[p.member];
            let (client_id, _) = coop.clients[p.client];
            drafts.push(DraftInvoice {
                kind: DocumentKind::Invoice,
                activity_id: member.activity_id,
                client_id,
                entity_id: coop.entity_id,
                quote_id: None,
                corrects_invoice_id: None,
                due_days: 30,
                language: Language::Fr,
                order_reference: Some(format!("BC-{}-{}", coop.year, next + 1)),
                note: None,
                lines: vec![LineInput {
                    description: DESCRIPTIONS[next % DESCRIPTIONS.len()].into(),
                    quantity: Decimal::ONE,
                    unit: "LS".into(),
                    unit_price: Decimal::new(p.cents, 2),
                    vat_category: VatCategory::S,
                    vat_rate_bp: 2100,
                }],
            });
            clients_invoiced.insert(client_id);
            activities_invoicing.insert(member.activity_id);
            next += 1;
        }
        if !drafts.is_empty() {
            let done = store
                .issue_invoices(&ctx, &drafts, date)
                .await
                .with_context(|| format!("issuing the invoices of {date}"))?;
            for (k, issued_one) in done.iter().enumerate() {
                issued[first + k] =
                    Some((issued_one.record.id, issued_one.record.tax_inclusive_cents));
                summary.invoices += 1;
                summary.invoiced_cents += issued_one.record.tax_exclusive_cents;
            }
        }
        // The day's payments, recorded in one transaction.
        set_clock(date, 14)?;
        let mut todays = Vec::new();
        for (i, half) in payments.get(&d).into_iter().flatten() {
            let (id, total) = issued[*i].context("a payment before its invoice")?;
            let amount = if *half { total / 2 } else { total };
            todays.push((id, amount));
            summary.payments += 1;
            summary.paid_cents += amount;
            paid[*i] = true;
        }
        if !todays.is_empty() {
            store
                .record_payments(&ctx, &todays, date)
                .await
                .with_context(|| format!("recording the payments of {date}"))?;
        }
        // The daily reminders run, as the server's job does it each morning.
        set_clock(date, 18)?;
        let report = store
            .dunning_run(&ctx, date, false)
            .await
            .with_context(|| format!("the reminders run of {date}"))?;
        summary.reminders += report.sent.iter().map(|l| l.count).sum::<i64>();
        progress.advance(1);
    }
    summary.clients_invoiced = i64::try_from(clients_invoiced.len())?;
    summary.activities_invoicing = i64::try_from(activities_invoicing.len())?;
    summary.invoices_unpaid = i64::try_from(paid.iter().filter(|p| !**p).count())?;
    progress.finish("days");
    Ok(())
}
