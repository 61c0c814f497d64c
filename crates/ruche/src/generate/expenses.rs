//! The members' expense claims (C7), through the form's parser and the expenses store as
//! demo_expenses.rs does: 6,000 claims at scale 1 (at least 3), spent in the year by members
//! on their own activity — a third business trips with their own vehicle at the
//! kilometre rate of the trip's quarter (rules/mileage.toml; a quarter whose rate is not
//! known yet gets a small purchase instead), the rest small purchases of at most 25 € (the
//! receipt threshold: no file to keep). An advisor decides each a few days after it is
//! filed: 90 % approved (the budget pays and the payout order is created), 5 % refused with
//! the reason, 5 % still waiting at the year's end. A claim the budget cannot cover stays
//! waiting, as the store refuses its approval.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::expense::{ExpenseForm, Filing};
use ruche_domain::mileage::mileage_table;
use ruche_store::expenses::REFUSED_INSUFFICIENT_BUDGET;
use ruche_store::{AuditContext, Store, StoreError};

use super::people::Coop;
use super::scale::scaled;
use super::shares::directory;
use super::{Progress, Summary, day_of, days_in, set_clock};

/// Claims filed in the year at scale 1.
pub const CLAIMS: i64 = 6_000;

const PURCHASES: [(&str, &str); 6] = [
    ("travel", "Ticket de train pour une prestation"),
    ("travel", "Parking lors d'un montage"),
    ("supplies", "Petites fournitures d'atelier"),
    ("meals", "Repas lors d'un déplacement chez le client"),
    ("equipment", "Câbles et adaptateurs"),
    ("other", "Frais d'envoi recommandé"),
];
const TRIPS: [(&str, &str); 5] = [
    ("Bruxelles", "Namur"),
    ("Liège", "Charleroi"),
    ("Gent", "Antwerpen"),
    ("Leuven", "Mons"),
    ("Bruxelles", "Louvain-la-Neuve"),
];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Decision {
    Approve,
    Refuse,
    Wait,
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
    let days = days_in(year);
    let n = scaled(CLAIMS, scale, 3);
    progress.phase("expense claims", u64::try_from(n)?);
    let people = directory(store).await?;
    let table = mileage_table()?;
    // (filed on, decided on, member, form, decision)
    let mut plan = Vec::with_capacity(usize::try_from(n)?);
    for _ in 0..n {
        let member = rng.random_range(0..coop.members.len());
        let from = coop.members[member].from_day;
        let spent = rng.random_range(from..days);
        let spent_on = day_of(year, spent)?;
        let filed_on = day_of(year, spent + rng.random_range(0..=10))?;
        let decided_on = filed_on.checked_add(rng.random_range(1..=6).days())?;
        let roll: f64 = rng.random();
        let decision = if roll < 0.90 {
            Decision::Approve
        } else if roll < 0.95 {
            Decision::Refuse
        } else {
            Decision::Wait
        };
        let trip = rng.random_bool(1.0 / 3.0) && table.cooperative_rate_on(spent_on).is_ok();
        let form = if trip {
            let (from, to) = TRIPS[rng.random_range(0..TRIPS.len())];
            ExpenseForm {
                expense_kind: "mileage".into(),
                expense_description: "Déplacement vers un client".into(),
                expense_spent_on: spent_on.to_string(),
                expense_from: from.into(),
                expense_to: to.into(),
                expense_km: rng.random_range(10..=120).to_string(),
                expense_round_trip: if rng.random_bool(0.5) { "1" } else { "" }.into(),
                ..ExpenseForm::default()
            }
        } else {
            let (category, description) = PURCHASES[rng.random_range(0..PURCHASES.len())];
            let cents: i64 = rng.random_range(300..=2_500);
            ExpenseForm {
                expense_kind: "reimbursement".into(),
                expense_category: category.into(),
                expense_description: description.into(),
                expense_spent_on: spent_on.to_string(),
                expense_amount: format!("{},{:02}", cents / 100, cents % 100),
                ..ExpenseForm::default()
            }
        };
        plan.push((filed_on, decided_on, member, form, decision));
    }
    // Filed in date order: ids follow dates.
    plan.sort_by_key(|(filed, decided, member, _, _)| (*filed, *decided, *member));
    let year_end = Date::new(year, 12, 31)?;
    let mut decisions: Vec<(Date, i64, Decision)> = Vec::new();
    let ctx = AuditContext::system();
    for (filed_on, decided_on, member, form, decision) in plan {
        let m = &coop.members[member];
        let person = people
            .get(&m.person_id)
            .ok_or_else(|| anyhow!("member {} not in the directory", m.person_id))?;
        let name = person.full_name();
        let filing = Filing {
            activity_id: m.activity_id,
            claimant: person.claimant(&name),
            receipt: None,
            submitted_on: filed_on,
        };
        let new = form
            .parse(&filing)
            .map_err(|e| anyhow!("expense claim of {filed_on}: {e}"))?;
        set_clock(filed_on, 11)?;
        let claim = store.file_expense_claim(&ctx, &new).await?;
        summary.expense_claims += 1;
        // Decided in the year, or still waiting at its end.
        if decision != Decision::Wait && decided_on <= year_end {
            decisions.push((decided_on, claim.id, decision));
        }
        progress.advance(1);
    }
    decisions.sort_unstable();
    let advisor = AuditContext::account(coop.advisor_account, None);
    for (on, id, decision) in decisions {
        set_clock(on, 15)?;
        if decision == Decision::Refuse {
            store
                .refuse_expense_claim(
                    &advisor,
                    id,
                    "Dépense sans lien établi avec l'activité : merci de préciser la prestation.",
                )
                .await?;
            continue;
        }
        match store.approve_expense_claim(&advisor, id, None, on).await {
            Ok(c) => {
                summary.expenses_approved += 1;
                if c.kind == "mileage" {
                    summary.expenses_mileage_km += c.distance_km.unwrap_or(0);
                }
                summary.expenses_reimbursed_cents += c.amount_cents;
            }
            // The budget does not cover it yet: the claim waits.
            Err(StoreError::Conflict(code)) if code == REFUSED_INSUFFICIENT_BUDGET => {}
            Err(e) => return Err(e.into()),
        }
    }
    progress.finish("claims");
    Ok(())
}
