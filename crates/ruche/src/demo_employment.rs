//! The demo's employment: short contracts of the last weeks for the activities that have a
//! budget (their holders working for them), simulated with the parameters in force and
//! signed through the store like the contracts page does; the work already over is paid in
//! a pay run of today, so that the payroll pages, the budget's "reserved" line, the DIMONA
//! list and the year's volume have something to show. Contracts of the coming days stay
//! signed, waiting for the next pay run.

use anyhow::Result;
use jiff::ToSpan;
use jiff::civil::Date;
use ruche_domain::activity::ActivityStatus;
use ruche_domain::employment::{ContractForm, pay_of};
use ruche_store::activities::ActivityFilter;
use ruche_store::employment::ContractFilter;
use ruche_store::{AuditContext, PageRequest, Store, StoreError};

/// Activities given contracts (TigerStyle: a bound on the loop).
const MAX_ACTIVITIES: i64 = 40;

/// Seeds the contracts once: nothing is written when contracts exist already.
pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store
        .contracts(&ContractFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let filter = ActivityFilter {
        status: Some(ActivityStatus::Active),
        ..ActivityFilter::default()
    };
    let activities = store
        .activities(&filter, PageRequest::new(1, MAX_ACTIVITIES))
        .await?
        .items;
    let functions = [
        "Photographe",
        "Formatrice",
        "Musicien",
        "Graphiste",
        "Comédienne",
    ];
    for (i, activity) in activities.iter().enumerate() {
        let Some(holder) = store
            .activity_holders(activity.id)
            .await?
            .into_iter()
            .next()
        else {
            continue;
        };
        let available = store.available_budget(activity.id).await?;
        // A quarter of the budget, in two short contracts: one done, one to come.
        let budget = available / 8;
        if budget < 20_000 {
            continue;
        }
        let offsets: [i64; 2] = [-((i as i64 % 20) + 10), (i as i64 % 10) + 2];
        for (n, offset) in offsets.into_iter().enumerate() {
            let start = today.checked_add(offset.days())?;
            let days = 1 + (i + n) % 3;
            let end = start.checked_add(((days - 1) as i64).days())?;
            let form = ContractForm {
                worker: holder.person_id.to_string(),
                kind: "day".into(),
                worker_status: "employee".into(),
                starts_on: start.to_string(),
                ends_on: end.to_string(),
                days: days.to_string(),
                hours: format!("{}", 7 * days),
                function: functions[i % functions.len()].into(),
                joint_committee: "200".into(),
                pay_basis: "budget".into(),
                amount: ruche_domain::format::money(budget).replace(['€', '\u{a0}', ' '], ""),
                ..ContractForm::default()
            };
            let new = form
                .parse(activity.id)
                .map_err(|e| anyhow::anyhow!("demo contract: {e:?}"))?;
            let pay = pay_of(&new).map_err(|e| anyhow::anyhow!("demo contract pay: {e}"))?;
            // The signing day: before the work, as the DIMONA wants it.
            let signed_on = start.checked_sub(3.days())?;
            match store.sign_contract(&ctx, &new, &pay, signed_on).await {
                Ok(_) => {}
                // Two contracts of one holder on one day: the volume rules may refuse one.
                Err(StoreError::Refused(_) | StoreError::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let entities = store.legal_entities(PageRequest::new(1, 1)).await?.items;
    if let Some(entity) = entities.first() {
        match store.create_pay_run(&ctx, entity.id, today).await {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
