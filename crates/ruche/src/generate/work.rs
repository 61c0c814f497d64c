//! The year's work contracts, signed through the employment store as the contracts page
//! does: the form parsed by the domain (day and week limits), the salary simulated from the
//! budget with the parameters in force, the work-volume rules and the budget checked and
//! the employer cost reserved by the store.
//!
//! Every member works under at least one contract of their own activity; the contracts are
//! dealt out so that members have about as many each, and the hours are split so that their
//! sum is exact. A member's contracts follow one another through the part of the year they
//! are a member, never overlapping.
//!
//! **The new open-ended contracts** (MISSION.md C6: 32 in the reference year, 14 women and
//! 18 men, 21 full-time and 11 part-time): `round(32 · scale)`, at least one, split by
//! [`OpenEndedSplit::at`]. Each goes to a member of the declared gender (the first ones of
//! the shuffled deal order), starts the day after the member's last fixed-term or day
//! contract and counts its weekly hours (38 h full time, 19 h part time), as the store's
//! work volume does: they are AMONG the year's contracts and hours, so the other contracts
//! and hours are the totals less theirs, and the totals stay exact.

use anyhow::{Context, Result, anyhow, bail};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use ruche_domain::employment::{ContractForm, ContractPay, NewContract, pay_of};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::{Volumes, scaled, split_exact};
use super::{Progress, Summary, day_of, days_in, set_clock};

/// Hours of work a day in a generated contract (the law allows 11).
const HOURS_PER_DAY: i64 = 8;
/// What a contract's budget aims at per hour (the employer cost), in cents.
const BUDGET_PER_HOUR_CENTS: i64 = 2_500;

/// The reference year's new open-ended contracts (MISSION.md C6).
const OPEN_ENDED: i64 = 32;
const OPEN_ENDED_WOMEN: i64 = 14;
const OPEN_ENDED_FULL_TIME: i64 = 21;
/// The weekly hours of an open-ended contract: full time is 38 h (employment.md §1.1; the
/// store counts 38 h or more as full time), part time half of it, over five days.
const FULL_TIME_WEEK_HOURS: i64 = 38;
const PART_TIME_WEEK_HOURS: i64 = 19;
const OPEN_ENDED_DAYS: &str = "5";

const FUNCTIONS: [&str; 6] = [
    "Photographe",
    "Formatrice",
    "Musicien",
    "Graphiste",
    "Comédienne",
    "Consultant",
];

/// How many new open-ended contracts a scale gives, and their split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenEndedSplit {
    pub total: i64,
    pub women: i64,
    pub full_time: i64,
}

impl OpenEndedSplit {
    /// `round(32 · scale)`, at least one; women `round(14 · n / 32)` and full time
    /// `round(21 · n / 32)`, each kept between 1 and n − 1 when n ≥ 2 so that both genders
    /// and both regimes appear whenever the count allows it (n = 1: one full-time man).
    pub fn at(scale: f64) -> OpenEndedSplit {
        let total = scaled(OPEN_ENDED, scale, 1);
        let share = |x: i64| {
            // round(x · total / 32), half up, in integers.
            let v = (2 * x * total + OPEN_ENDED) / (2 * OPEN_ENDED);
            if total >= 2 { v.clamp(1, total - 1) } else { v }
        };
        OpenEndedSplit {
            total,
            women: share(OPEN_ENDED_WOMEN),
            full_time: share(OPEN_ENDED_FULL_TIME),
        }
    }

    /// Whether the `i`-th contract (0-based) is full time: the full-time ones spread evenly
    /// over the list, so that women and men both have some of each where the count allows.
    fn is_full_time(&self, i: i64) -> bool {
        (i + 1) * self.full_time / self.total > i * self.full_time / self.total
    }
}

/// An open-ended contract to sign for a member, after their other contracts.
#[derive(Debug, Clone, Copy)]
struct OpenEnded {
    female: bool,
    week_hours: i64,
}

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    volumes: &Volumes,
    scale: f64,
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
    // Contract k goes to member order[k % members]: every member gets one at least.
    let mut order: Vec<usize> = (0..coop.members.len()).collect();
    order.shuffle(rng);

    // The open-ended contracts go to the first members of the deal order of each gender;
    // should a gender lack members (a tiny scale), the other takes its place.
    let split = OpenEndedSplit::at(scale);
    let females = coop.members.iter().filter(|m| m.female).count();
    let males = coop.members.len() - females;
    let mut women = usize::try_from(split.women)?.min(females);
    let total = usize::try_from(split.total)?;
    if total - women > males {
        women = total - males;
    }
    let mut open_ended: Vec<Option<OpenEnded>> = vec![None; coop.members.len()];
    let (mut want_women, mut want_men) = (women, total - women);
    let mut given: i64 = 0;
    for &m in &order {
        let female = coop.members[m].female;
        let wanted = if female {
            &mut want_women
        } else {
            &mut want_men
        };
        if *wanted == 0 {
            continue;
        }
        *wanted -= 1;
        let week_hours = if split.is_full_time(given) {
            FULL_TIME_WEEK_HOURS
        } else {
            PART_TIME_WEEK_HOURS
        };
        open_ended[m] = Some(OpenEnded { female, week_hours });
        given += 1;
    }
    if want_women + want_men > 0 {
        bail!(
            "not enough members for {} open-ended contracts",
            split.total
        );
    }
    let open_hours: i64 = open_ended.iter().flatten().map(|o| o.week_hours).sum();
    // The other contracts: the year's totals less the open-ended ones.
    let n = usize::try_from(volumes.contracts - split.total)?;
    let other_hours = volumes.hours - open_hours;
    if other_hours < i64::try_from(n)? {
        bail!("--scale {scale} is too small for the open-ended contracts' weekly hours");
    }
    let hours = split_exact(rng, other_hours, n);
    // Members with an open-ended contract last in the deal: the others get the first ones.
    order.sort_by_key(|&m| open_ended[m].is_some());
    let mut per_member: Vec<Vec<i64>> = vec![Vec::new(); coop.members.len()];
    for (k, h) in hours.into_iter().enumerate() {
        per_member[order[k % order.len()]].push(h);
    }
    let days = days_in(coop.year);
    progress.phase("work contracts", u64::try_from(volumes.contracts)?);
    // Every contract is planned first (the budget it takes known from the member's available
    // budget, less what the contracts before it reserve), then signed day by day.
    let mut planned: Vec<(NewContract, ContractPay, Date)> = Vec::new();
    for (m, contracts) in per_member.iter().enumerate() {
        let member = &coop.members[m];
        let open = open_ended[m];
        if contracts.is_empty() && open.is_none() {
            continue;
        }
        summary.workers += 1;
        let window = days - member.from_day;
        // The open-ended contract takes the last slot.
        let count = i64::try_from(contracts.len())? + i64::from(open.is_some());
        let slot = (window / count).max(1);
        let mut remaining_hours: i64 =
            contracts.iter().sum::<i64>() + open.map_or(0, |o| o.week_hours);
        let mut free_from = member.from_day;
        let mut available = store.available_budget(member.activity_id).await?;
        for (c, &h) in contracts.iter().enumerate() {
            let worked_days = (h + HOURS_PER_DAY - 1) / HOURS_PER_DAY;
            // Weekends between the working days.
            let span = worked_days + 2 * ((worked_days - 1) / 5);
            let slot_start = member.from_day + i64::try_from(c)? * slot;
            let room = (slot - span).max(0);
            let start_day = slot_start + rng.random_range(0..=room);
            let start = day_of(coop.year, start_day)?;
            let end = start.checked_add((span - 1).days())?;
            free_from = free_from.max(start_day + span);
            let amount = budget_amount(available, h, remaining_hours)?;
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
                amount: euros(amount),
                ..ContractForm::default()
            };
            available -= plan(&mut planned, &form, member.activity_id, first)?;
            summary.contracts += 1;
            summary.hours += h;
        }
        if let Some(o) = open {
            // Hired after the member's last other contract, within the year: its start day
            // (the only day an open-ended contract's volume checks look at) is free.
            let start_day = free_from.max(member.from_day + (count - 1) * slot);
            if start_day >= days {
                bail!("no free day left in the year for an open-ended contract");
            }
            let start = day_of(coop.year, start_day)?;
            let amount = budget_amount(available, o.week_hours, remaining_hours)?;
            let form = ContractForm {
                worker: member.person_id.to_string(),
                kind: "open-ended".into(),
                worker_status: "employee".into(),
                starts_on: start.to_string(),
                days: OPEN_ENDED_DAYS.into(),
                hours: o.week_hours.to_string(),
                function: FUNCTIONS[rng.random_range(0..FUNCTIONS.len())].into(),
                joint_committee: "200".into(),
                pay_basis: "budget".into(),
                amount: euros(amount),
                ..ContractForm::default()
            };
            plan(&mut planned, &form, member.activity_id, first)?;
            summary.contracts += 1;
            summary.hours += o.week_hours;
            summary.open_ended_contracts += 1;
            if o.female {
                summary.open_ended_women += 1;
            } else {
                summary.open_ended_men += 1;
            }
            if o.week_hours >= FULL_TIME_WEEK_HOURS {
                summary.open_ended_full_time += 1;
            } else {
                summary.open_ended_part_time += 1;
            }
        }
    }
    // Signed in date order, a day's contracts in one transaction (`Store::sign_contracts`:
    // the same rules as one by one), the clock on the day they are signed.
    planned.sort_by_key(|(_, _, on)| *on);
    for day in planned.chunk_by(|a, b| a.2 == b.2) {
        let on = day[0].2;
        set_clock(on, 10)?;
        store
            .sign_contracts(&ctx, day)
            .await
            .with_context(|| format!("signing the contracts of {on}"))?;
        progress.advance(u64::try_from(day.len())?);
    }
    progress.finish("contracts");
    Ok(())
}

/// The budget of a contract of `hours`: what it aims at per hour, within 90 % of the share
/// of the activity's `available` budget (reached by the member's payments, less what the
/// member's earlier contracts reserve) that its hours take of the member's hours left; at
/// least 1 €.
fn budget_amount(available: i64, hours: i64, remaining_hours: i64) -> Result<i64> {
    let share = i64::try_from(
        i128::from(available.max(0)) * i128::from(hours) / i128::from(remaining_hours.max(1)),
    )?;
    Ok((hours * BUDGET_PER_HOUR_CENTS).min(share * 9 / 10).max(100))
}

/// Cents as the form types them: `1234,56`.
fn euros(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// Parses and simulates a contract, to be signed three days before the work (as the
/// DIMONA wants it), not before the year; returns the employer cost it will reserve.
fn plan(
    planned: &mut Vec<(NewContract, ContractPay, Date)>,
    form: &ContractForm,
    activity_id: i64,
    first: Date,
) -> Result<i64> {
    let new = form
        .parse(activity_id)
        .map_err(|e| anyhow!("{} contract from {}: {e:?}", form.kind, form.starts_on))?;
    let pay = pay_of(&new).map_err(|e| anyhow!("contract pay on {}: {e}", form.starts_on))?;
    let signed_on = new.starts_on.checked_sub(3.days())?.max(first);
    let cost = pay.employer_cost_cents;
    planned.push((new, pay, signed_on));
    Ok(cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_ended_split_is_the_reference_year_at_scale_one() {
        let s = OpenEndedSplit::at(1.0);
        assert_eq!((s.total, s.women, s.full_time), (32, 14, 21));
        let full = (0..32).filter(|&i| s.is_full_time(i)).count();
        assert_eq!(full, 21);
        // The full-time ones are spread: the first 14 and the 18 others have both regimes.
        assert!((0..14).any(|i| s.is_full_time(i)) && (0..14).any(|i| !s.is_full_time(i)));
        assert!((14..32).any(|i| s.is_full_time(i)) && (14..32).any(|i| !s.is_full_time(i)));
    }

    #[test]
    fn a_small_scale_keeps_one_contract_and_both_sides_when_it_can() {
        assert_eq!(
            OpenEndedSplit::at(0.005),
            OpenEndedSplit {
                total: 1,
                women: 0,
                full_time: 1
            }
        );
        let two = OpenEndedSplit::at(0.05);
        assert_eq!((two.total, two.women, two.full_time), (2, 1, 1));
        let s = OpenEndedSplit::at(0.25);
        assert_eq!((s.total, s.women, s.full_time), (8, 4, 5));
    }
}
