//! Mutualised debt recovery (C5) of invoices still unpaid after the reminders, through the
//! recovery store as demo_recovery.rs does: 1,500 cases at scale 1 (at least one), opened
//! 50 to 60 days after the due date (after the third reminder, rules/dunning.toml) on
//! invoices of the year nothing or part was paid on. The member holding the activity is
//! consulted first (dunning.md §7 item 7): 80 % answer without objection, 10 % let the
//! ten days pass, 10 % object and the accountant stops. The others get a formal notice a
//! few days later (B2B: law of 2 August 2002; B2C: Code of Economic Law, Book XIX), and one
//! in three is handed to a collection agency a month after that. A step that would fall
//! after the year's end is not written: the case goes on next year. Nothing is written off.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use ruche_domain::invoicing::InvoiceStatus;
use ruche_domain::recovery::{CONSULTATION_DAYS, EntryForm, NewEntry, consultation_deadline};
use ruche_store::{AuditContext, Store};

use super::credit_notes::open_invoices;
use super::people::Coop;
use super::scale::scaled;
use super::{Progress, Summary, set_clock};

/// Recovery cases opened in the year at scale 1.
pub const CASES: i64 = 1_500;

fn entry(kind: &str, on: Date, text: &str) -> Result<NewEntry> {
    EntryForm {
        kind: kind.into(),
        on: on.to_string(),
        text: text.into(),
        ..EntryForm::default()
    }
    .parse()
    .map_err(|e| anyhow!("recovery entry {kind}: {e}"))
}

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let year = coop.year;
    let year_end = Date::new(year, 12, 31)?;
    let due_by = year_end.checked_sub(70.days())?;
    let open = [InvoiceStatus::Issued, InvoiceStatus::PartiallyPaid];
    let mut pool = open_invoices(store, year, &open, due_by).await?;
    // Not those a credit note corrected: the client disputed them, they are not chased.
    pool.retain(|i| i.credited_cents == 0);
    pool.shuffle(rng);
    let n = usize::try_from(scaled(CASES, scale, 1))?.min(pool.len());
    progress.phase("recovery", u64::try_from(n)?);
    // (opened on, invoice, activity's holder account, the member's answer roll)
    let mut plan = Vec::with_capacity(n);
    for invoice in pool.into_iter().take(n) {
        let due: Date = invoice.due_date.as_deref().unwrap_or_default().parse()?;
        let opened = due.checked_add(rng.random_range(50..=60).days())?;
        let holder = coop
            .members
            .iter()
            .find(|m| m.activity_id == invoice.activity_id)
            .map(|m| m.account_id);
        plan.push((
            opened,
            invoice.id,
            holder,
            rng.random::<f64>(),
            rng.random::<f64>(),
        ));
    }
    plan.sort_by_key(|p| (p.0, p.1));
    let accountant = AuditContext::account(coop.treasury_account, None);
    for (opened, invoice_id, holder, answer, agency) in plan {
        set_clock(opened, 9)?;
        store
            .open_recovery(
                &accountant,
                invoice_id,
                opened,
                Some("Trois rappels sans réponse"),
                &[],
            )
            .await?;
        summary.recovery_cases += 1;
        progress.advance(1);
        let member = holder.map_or(accountant.clone(), |a| AuditContext::account(a, None));
        // The member's answer, then the accountant's next step.
        let (answered, entries) = if answer < 0.8 {
            let on = opened.checked_add(rng.random_range(1..=7).days())?;
            (on, vec![(member, entry("no-objection", on, "")?)])
        } else if answer < 0.9 {
            let on = consultation_deadline(opened).checked_add(1.days())?;
            (
                on,
                vec![(accountant.clone(), entry("consultation-expired", on, "")?)],
            )
        } else {
            let on = opened.checked_add(rng.random_range(2..=CONSULTATION_DAYS).days())?;
            let stop = on.checked_add(3.days())?;
            let reason = "Le client a contesté la prestation ; un accord est en cours.";
            let stopped = "Recouvrement arrêté à la demande du membre.";
            (
                stop,
                vec![
                    (member, entry("objection", on, reason)?),
                    (accountant.clone(), entry("stop", stop, stopped)?),
                ],
            )
        };
        let mut last = None;
        for (ctx, e) in &entries {
            if e.on > year_end {
                break;
            }
            set_clock(e.on, 11)?;
            store.record_recovery_entry(ctx, invoice_id, e).await?;
            last = Some(e.kind.code());
        }
        if last == Some("stop") {
            summary.recovery_stopped += 1;
            continue;
        }
        if last.is_none() {
            continue;
        }
        let notice_on = answered.checked_add(rng.random_range(2..=5).days())?;
        if notice_on > year_end {
            continue;
        }
        set_clock(notice_on, 11)?;
        let notice = entry(
            "formal-notice",
            notice_on,
            "Mise en demeure envoyée par recommandé",
        )?;
        store
            .record_recovery_entry(&accountant, invoice_id, &notice)
            .await?;
        summary.formal_notices += 1;
        let handed_on = notice_on.checked_add(30.days())?;
        if agency < 1.0 / 3.0 && handed_on <= year_end {
            set_clock(handed_on, 11)?;
            let handed = entry(
                "collection-agency",
                handed_on,
                "Dossier confié à l'agence de recouvrement",
            )?;
            store
                .record_recovery_entry(&accountant, invoice_id, &handed)
                .await?;
            summary.recovery_agency += 1;
        }
    }
    progress.finish("cases");
    Ok(())
}
