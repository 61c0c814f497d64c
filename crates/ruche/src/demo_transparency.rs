//! Demo data of contribution transparency (issue 10): the published categories, the
//! mapping of the cooperative's spending accounts, and a realistic year of spending for each
//! of the last four years, scaled to the contributions the demo's ledger holds (about 96 % of
//! them spent, the rest kept). The years before last are published by the board; last year
//! stays a draft to publish, this year runs.

// Amounts are written as euros and cents: `1_250_00` is 1.250,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use anyhow::Result;
use jiff::civil::Date;
use ruche_domain::transparency::mapping::DEFAULT_CATEGORIES;
use ruche_domain::transparency::spending::{NewSpending, PaidFrom};
use ruche_domain::transparency::{MappingInput, SpendingAccount};
use ruche_store::{AuditContext, PageRequest, Store};

/// `(account, category, per mille of the year's spending, description)`.
const ACCOUNTS: [(&str, &str, i64, &str); 11] = [
    (
        "it-tools",
        "tools-administration",
        120,
        "Logiciels et hébergement",
    ),
    (
        "accounting-declarations",
        "tools-administration",
        130,
        "Comptabilité, déclarations sociales et TVA",
    ),
    (
        "guarantee-allocation",
        "salary-guarantee",
        100,
        "Dotation au fonds de garantie salariale",
    ),
    (
        "debt-recovery",
        "recovery-insurance",
        60,
        "Recouvrement de créances",
    ),
    (
        "insurance",
        "recovery-insurance",
        40,
        "Auto-assurance et primes",
    ),
    (
        "advisor-salaries",
        "advisors",
        300,
        "Conseillers et accompagnement",
    ),
    (
        "shared-places-rent",
        "shared-places",
        110,
        "Loyer des lieux partagés",
    ),
    ("training-days", "training", 50, "Journées de formation"),
    (
        "general-assemblies",
        "governance",
        30,
        "Assemblées générales",
    ),
    (
        "participation",
        "governance",
        30,
        "Groupes participatifs et labs",
    ),
    (
        "reserves-allocation",
        "reserves",
        30,
        "Dotation aux réserves",
    ),
];

/// Spent when a year holds no contribution yet (a young demo database).
const BASE_CENTS: i64 = 18_500_00;

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    let this = today.year();
    let first = this - 3;
    if store.transparency_mapping(this).await?.is_some() {
        return Ok(());
    }
    let Some(entity) = store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .first()
        .map(|e| e.id)
    else {
        return Ok(());
    };
    let ctx = AuditContext::system();
    let mut mapping = MappingInput::defaults();
    mapping.accounts = ACCOUNTS
        .iter()
        .map(|(a, c, _, _)| ((*a).to_string(), (*c).to_string()))
        .collect();
    debug_assert_eq!(mapping.categories.len(), DEFAULT_CATEGORIES.len());
    if let Err(errors) = store
        .save_transparency_mapping(&ctx, first, &mapping)
        .await?
    {
        anyhow::bail!("demo transparency mapping refused: {errors:?}");
    }
    for year in first..=this {
        let collected = store
            .live_transparency_figures(year)
            .await?
            .contributions_cents;
        let target = if collected > 0 {
            collected * 96 / 100
        } else {
            BASE_CENTS
        };
        for (quarter, month) in [(1i64, 3i8), (2, 6), (3, 9), (4, 12)] {
            let Ok(on) = Date::new(year, month, if month == 6 || month == 9 { 30 } else { 31 })
            else {
                continue;
            };
            if on >= today {
                break;
            }
            for (account, _, per_mille, description) in ACCOUNTS {
                // A quarter of the account's yearly part, the last quarter taking the rest.
                let yearly = target * per_mille / 1000;
                let cents = if quarter < 4 {
                    yearly / 4
                } else {
                    yearly - 3 * (yearly / 4)
                };
                let Some(slug) = SpendingAccount::parse(account) else {
                    continue;
                };
                if cents <= 0 {
                    continue;
                }
                let paid_from = if account == "guarantee-allocation" {
                    PaidFrom::GuaranteeFund
                } else {
                    PaidFrom::Bank
                };
                store
                    .record_spending(
                        &ctx,
                        &NewSpending {
                            spent_on: on,
                            entity_id: entity,
                            account: slug,
                            paid_from,
                            amount_cents: cents,
                            description: format!("{description} — T{quarter} {year}"),
                        },
                    )
                    .await?;
            }
        }
        // One entry recorded by mistake and reversed, as the ledger keeps both.
        if let (Ok(on), Some(slug)) = (Date::new(year, 2, 14), SpendingAccount::parse("it-tools"))
            && on < today
        {
            let wrong = store
                .record_spending(
                    &ctx,
                    &NewSpending {
                        spent_on: on,
                        entity_id: entity,
                        account: slug,
                        paid_from: PaidFrom::Bank,
                        amount_cents: 1_250_00,
                        description: "Licence payée deux fois".into(),
                    },
                )
                .await?;
            store
                .reverse_spending(&ctx, wrong.transaction_id, on)
                .await?;
        }
    }
    for year in first..this - 1 {
        store.publish_transparency(&ctx, year, today).await?;
    }
    Ok(())
}
