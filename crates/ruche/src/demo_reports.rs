//! The demo's closed financial years and special reports, written through the store like
//! the pages do: every year from 2019 to last year is closed on the 1st of March after it;
//! the reports of 2020 to the year before last are approved on the 30th of April after
//! their year (before the June assembly) by the first two directors of that year, and so
//! frozen; last year's report stays a draft for the board to approve. The PDFs of an
//! approved report are rendered and kept at their first download.

use anyhow::Result;
use jiff::civil::{Date, date};
use ruche_domain::governance::report::Approval;
use ruche_store::{AuditContext, Store};

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if !store.financial_years().await?.is_empty() {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let this_year = today.year();
    for year in 2019..this_year {
        let closed_on = date(year + 1, 3, 1);
        if closed_on <= today {
            store
                .close_financial_year(&ctx, i32::from(year), closed_on)
                .await?;
        }
    }
    for year in 2020..this_year - 1 {
        let mut names: Vec<String> = Vec::new();
        for m in store.mandates_in_year(year).await? {
            if !names.contains(&m.person_name) {
                names.push(m.person_name);
            }
        }
        names.truncate(2);
        if names.len() < 2 {
            continue;
        }
        let approval = Approval {
            approved_on: date(year + 1, 4, 30).to_string(),
            signatories: names,
            archive: "management-report".into(),
        };
        let report = store
            .assemble_special_report(i32::from(year), Some(approval))
            .await?;
        store.approve_special_report(&ctx, &report).await?;
    }
    Ok(())
}
