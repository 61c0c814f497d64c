//! The year's work contracts, signed through the employment store as the contracts page
//! does: the form parsed by the domain (day and week limits), the salary simulated from the
//! budget with the parameters in force, the work-volume rules and the budget checked and
//! the employer cost reserved by the store.
//!
//! Every member works under at least one contract of their own activity; the contracts are
//! dealt out so that members have about as many each, and the hours are split so that their
//! sum is exact. A member's contracts follow one another through the part of the year they
//! are a member, never overlapping.

use anyhow::{Context, Result, anyhow};
use jiff::ToSpan;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use ruche_domain::employment::{ContractForm, pay_of};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::{Volumes, split_exact};
use super::{Progress, Summary, day_of, days_in, set_clock};

/// Hours of work a day in a generated contract (the law allows 11).
const HOURS_PER_DAY: i64 = 8;
/// What a contract's budget aims at per hour (the employer cost), in cents.
const BUDGET_PER_HOUR_CENTS: i64 = 2_500;

const FUNCTIONS: [&str; 6] = [
    "Photographe",
    "Formatrice",
    "Musicien",
    "Graphiste",
    "Comédienne",
    "Consultant",
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    volumes: &Volumes,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let first = day_of(coop.year, 0)?;
    let has_rules = ruche_domain::employment::rules::rules_on(first).is_ok();
    if !has_rules {
        progress.phase("work contracts", 0);
        progress.finish("skipped: no parameters");
        return Ok(());
    }
    summary.work_generated = true;
    let ctx = AuditContext::system();
    let n = usize::try_from(volumes.contracts)?;
    let hours = split_exact(rng, volumes.hours, n);
    // Contract k goes to member order[k % members]: every member gets one at least.
    let mut order: Vec<usize> = (0..coop.members.len()).collect();
    order.shuffle(rng);
    let mut per_member: Vec<Vec<i64>> = vec![Vec::new(); coop.members.len()];
    for (k, h) in hours.into_iter().enumerate() {
        per_member[order[k % order.len()]].push(h);
    }
    let days = days_in(coop.year);
    progress.phase("work contracts", u64::try_from(n)?);
    for (m, contracts) in per_member.iter().enumerate() {
        let member = &coop.members[m];
        if contracts.is_empty() {
            continue;
        }
        summary.workers += 1;
        let window = days - member.from_day;
        let count = i64::try_from(contracts.len())?;
        let slot = (window / count).max(1);
        let mut remaining_hours: i64 = contracts.iter().sum();
        for (c, &h) in contracts.iter().enumerate() {
            let worked_days = (h + HOURS_PER_DAY - 1) / HOURS_PER_DAY;
            // Weekends between the working days.
            let span = worked_days + 2 * ((worked_days - 1) / 5);
            let slot_start = member.from_day + i64::try_from(c)? * slot;
            let room = (slot - span).max(0);
            let start_day = slot_start + rng.random_range(0..=room);
            let start = day_of(coop.year, start_day)?;
            let end = start.checked_add((span - 1).days())?;
            // The budget reached by the member's payments, shared over their hours left.
            let available = store.available_budget(member.activity_id).await?;
            let share = i64::try_from(
                i128::from(available.max(0)) * i128::from(h) / i128::from(remaining_hours.max(1)),
            )?;
            let amount = (h * BUDGET_PER_HOUR_CENTS).min(share * 9 / 10).max(100);
            remaining_hours -= h;
            let kind = if worked_days == 1 {
                "day"
            } else {
                "fixed-term"
            };
            let form = ContractForm {
                worker: member.person_id.to_string(),
                kind: kind.into(),
                worker_status: "employee".into(),
                starts_on: start.to_string(),
                ends_on: end.to_string(),
                days: worked_days.to_string(),
                hours: h.to_string(),
                function: FUNCTIONS[rng.random_range(0..FUNCTIONS.len())].into(),
                joint_committee: "200".into(),
                pay_basis: "budget".into(),
                amount: format!("{},{:02}", amount / 100, amount % 100),
                ..ContractForm::default()
            };
            let new = form
                .parse(member.activity_id)
                .map_err(|e| anyhow!("contract of {h} h from {start}: {e:?}"))?;
            let pay = pay_of(&new).map_err(|e| anyhow!("contract pay on {start}: {e}"))?;
            // Signed before the work (as the DIMONA wants it), not before the year.
            let signed_on = start.checked_sub(3.days())?.max(first);
            set_clock(signed_on, 10)?;
            store
                .sign_contract(&ctx, &new, &pay, signed_on)
                .await
                .with_context(|| format!("signing a contract of {h} h from {start}"))?;
            summary.contracts += 1;
            summary.hours += h;
            progress.advance(1);
        }
    }
    progress.finish("contracts");
    Ok(())
}
