//! Contribution transparency (issue 10): the yearly figures are independent sums of the
//! ledger; a member's split sums to the contribution paid, to the cent; the mapping is
//! refused naming the account in two categories or the empty category; a published year
//! does not move when the next year's mapping changes.

// Amounts are written as euros and cents: `1_500_00` is 1.500,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::{Date, date};
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_domain::transparency::spending::{NewSpending, PaidFrom};
use ruche_domain::transparency::{CategoryInput, MappingError, MappingInput, SpendingAccount};
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, ctx};

fn category(code: &str) -> CategoryInput {
    CategoryInput {
        code: code.into(),
        name_fr: format!("{code} fr"),
        name_nl: format!("{code} nl"),
        name_en: format!("{code} en"),
    }
}

fn mapping(accounts: &[(&str, &str)]) -> MappingInput {
    MappingInput {
        categories: vec![category("tools"), category("advisors"), category("places")],
        accounts: accounts
            .iter()
            .map(|(a, c)| ((*a).to_string(), (*c).to_string()))
            .collect(),
    }
}

fn standard() -> MappingInput {
    mapping(&[
        ("software", "tools"),
        ("accounting", "tools"),
        ("advisor-salaries", "advisors"),
        ("rent", "places"),
    ])
}

async fn contribution(store: &Store, entity: i64, activity: i64, cents: i64, on: Date) -> i64 {
    let tx = NewTransaction::new(
        TransactionKind::Contribution,
        on,
        "contribution on F-test",
        None,
        vec![
            Posting::debit(AccountCode::ActivityBudget(activity), cents),
            Posting::credit(AccountCode::EntityContribution(entity), cents),
        ],
    )
    .unwrap();
    store.post_transaction(&ctx(), &tx).await.unwrap().id
}

async fn spend(store: &Store, entity: i64, account: &str, cents: i64, on: Date) -> i64 {
    spend_from(store, entity, account, cents, on, PaidFrom::Bank).await
}

async fn spend_from(
    store: &Store,
    entity: i64,
    account: &str,
    cents: i64,
    on: Date,
    paid_from: PaidFrom,
) -> i64 {
    store
        .record_spending(
            &ctx(),
            &NewSpending {
                spent_on: on,
                entity_id: entity,
                account: SpendingAccount::parse(account).unwrap(),
                paid_from,
                amount_cents: cents,
                description: format!("{account} {on}"),
            },
        )
        .await
        .unwrap()
        .transaction_id
}

pub async fn transparency_year_figures_are_independent_sums_of_the_ledger(store: &Store) {
    let entity = fixtures::cooperative(store).await;
    let activity = fixtures::active_activity(store).await;
    // Spending needs a mapped account: refused before the mapping exists.
    let refused = store
        .record_spending(
            &ctx(),
            &NewSpending {
                spent_on: date(2025, 2, 1),
                entity_id: entity,
                account: SpendingAccount::parse("software").unwrap(),
                paid_from: PaidFrom::Bank,
                amount_cents: 100,
                description: "too early".into(),
            },
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Refused(e)) if e.get("tsp_account").is_some()));
    store
        .save_transparency_mapping(&ctx(), 2025, &standard())
        .await
        .unwrap()
        .unwrap();

    let contributions = [12_345_67i64, 8_000_01, 3_33];
    for (i, c) in contributions.iter().enumerate() {
        contribution(store, entity, activity, *c, date(2025, 3, 1 + i as i8)).await;
    }
    // A contribution reversed in the year nets out; one in 2024 does not count in 2025.
    let reversed = contribution(store, entity, activity, 500_00, date(2025, 4, 1)).await;
    store
        .reverse_transaction(&ctx(), reversed, date(2025, 4, 2))
        .await
        .unwrap();
    contribution(store, entity, activity, 999_00, date(2024, 12, 31)).await;

    let spending = [
        ("software", 2_000_00i64),
        ("accounting", 1_000_01),
        ("advisor-salaries", 9_000_00),
        ("rent", 3_500_50),
    ];
    for (account, cents) in spending {
        spend(store, entity, account, cents, date(2025, 6, 30)).await;
    }
    let wrong = spend(store, entity, "rent", 777_77, date(2025, 7, 1)).await;
    let reversal = store
        .reverse_spending(&ctx(), wrong, date(2025, 7, 2))
        .await
        .unwrap();
    assert_eq!(reversal.reverses_id, Some(wrong));
    assert_eq!(reversal.amount_cents, -777_77);
    // An allocation to the guarantee fund is spending too, and the fund's allocation.
    spend_from(
        store,
        entity,
        "software",
        250_00,
        date(2025, 8, 1),
        PaidFrom::GuaranteeFund,
    )
    .await;
    // The fund advances a salary and is partly repaid.
    let advance = NewTransaction::new(
        TransactionKind::GuaranteeAdvanced,
        date(2025, 5, 5),
        "salary guarantee",
        None,
        vec![
            Posting::debit(AccountCode::GuaranteeFund, 1_500_00),
            Posting::credit(AccountCode::ActivityBudget(activity), 1_500_00),
        ],
    )
    .unwrap();
    store.post_transaction(&ctx(), &advance).await.unwrap();
    let repaid = NewTransaction::new(
        TransactionKind::GuaranteeRepaid,
        date(2025, 9, 5),
        "guarantee repaid",
        None,
        vec![
            Posting::debit(AccountCode::ActivityBudget(activity), 1_000_00),
            Posting::credit(AccountCode::GuaranteeFund, 1_000_00),
        ],
    )
    .unwrap();
    store.post_transaction(&ctx(), &repaid).await.unwrap();

    let f = store.live_transparency_figures(2025).await.unwrap();
    let collected: i64 = contributions.iter().sum();
    assert_eq!(f.contributions_cents, collected);
    let spent: i64 = spending.iter().map(|(_, c)| c).sum::<i64>() + 250_00;
    assert_eq!(f.spending_cents, spent);
    assert_eq!(f.mapping_year, Some(2025));
    assert!(f.unmapped.is_empty());
    let by = |code: &str| {
        f.categories
            .iter()
            .find(|c| c.category.code == code)
            .unwrap()
            .spending_cents
    };
    assert_eq!(by("tools"), 2_000_00 + 1_000_01 + 250_00);
    assert_eq!(by("advisors"), 9_000_00);
    assert_eq!(by("places"), 3_500_50);
    assert_eq!(
        f.categories.iter().map(|c| c.spending_cents).sum::<i64>(),
        f.spending_cents
    );
    assert_eq!(f.guarantee.advanced_cents, 1_500_00);
    assert_eq!(f.guarantee.advances, 1);
    assert_eq!(f.guarantee.repaid_cents, 1_000_00);
    assert_eq!(f.guarantee.allocated_cents, 250_00);
    assert_eq!(f.guarantee.losses_cents, 0);
    // The same sums through the ledger's own balances.
    assert_eq!(
        -store
            .account_balance(
                &AccountCode::EntityContribution(entity),
                Some(date(2025, 12, 31))
            )
            .await
            .unwrap()
            + store
                .account_balance(
                    &AccountCode::EntityContribution(entity),
                    Some(date(2024, 12, 31))
                )
                .await
                .unwrap(),
        collected
    );
    let spending_accounts: i64 = store
        .balances_with_prefix("spending:")
        .await
        .unwrap()
        .iter()
        .map(|(_, b)| b)
        .sum();
    assert_eq!(spending_accounts, spent);
    assert_eq!(store.trial_balance().await.unwrap(), 0);

    // The list of entries: five entries, the reversed one and its reversal.
    let entries = store
        .spending_entries(2025, PageRequest::new(1, 50))
        .await
        .unwrap();
    assert_eq!(entries.total, 7);
    assert_eq!(
        entries.items.iter().map(|e| e.amount_cents).sum::<i64>(),
        spent
    );
    assert!(
        entries
            .items
            .iter()
            .any(|e| e.transaction_id == wrong && e.reversed_by == Some(reversal.transaction_id))
    );

    // The member's split sums to the contribution paid, to the cent.
    let mine = store.activity_contribution(activity, 2025).await.unwrap();
    assert_eq!(mine.year.contribution_cents, collected);
    assert_eq!(
        mine.year.shares.iter().map(|s| s.share_cents).sum::<i64>(),
        collected
    );
    assert_eq!(mine.services.guarantee_advances, 1);
    assert_eq!(mine.services.guarantee_advanced_cents, 1_500_00);
    assert_eq!(mine.services.guarantee_repaid_cents, 1_000_00);
    // Since the start: 2024 had no spending (no split), 2025 is split.
    assert_eq!(mine.since_start_cents, collected + 999_00);
    assert_eq!(mine.since_start_unsplit_cents, 999_00);
    assert_eq!(
        mine.since_start.iter().map(|(_, c)| c).sum::<i64>(),
        collected
    );

    // The special report's section shows the same figures.
    let section = store
        .section_figures(FigureSection::Contribution, 2025)
        .await
        .unwrap();
    assert!(section.available);
    assert_eq!(
        section.figure("contribution-collected").unwrap().value,
        FigureValue::Cents(collected)
    );
    let spending_fig = section.figure("contribution-spending").unwrap();
    assert_eq!(spending_fig.value, FigureValue::Cents(spent));
    assert_eq!(spending_fig.parts.len(), 3);
    let empty = store
        .section_figures(FigureSection::Contribution, 2019)
        .await
        .unwrap();
    assert!(!empty.available);
}

pub async fn transparency_mapping_is_refused_naming_the_account_or_the_category(store: &Store) {
    let twice = store
        .save_transparency_mapping(
            &ctx(),
            2025,
            &mapping(&[
                ("software", "tools"),
                ("advisor-salaries", "advisors"),
                ("rent", "places"),
                ("software", "places"),
            ]),
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        twice,
        vec![MappingError::AccountInTwoCategories {
            account: "software".into(),
            first: "tools".into(),
            second: "places".into()
        }]
    );
    let empty = store
        .save_transparency_mapping(
            &ctx(),
            2025,
            &mapping(&[("software", "tools"), ("rent", "places")]),
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        empty,
        vec![MappingError::CategoryWithoutAccount {
            category: "advisors".into()
        }]
    );
    // Nothing was written.
    assert!(store.transparency_mapping(2025).await.unwrap().is_none());

    // An account with spending in the year cannot be left out of the year's mapping.
    let entity = fixtures::cooperative(store).await;
    store
        .save_transparency_mapping(&ctx(), 2025, &standard())
        .await
        .unwrap()
        .unwrap();
    spend(store, entity, "rent", 10_00, date(2025, 1, 10)).await;
    let left_out = store
        .save_transparency_mapping(
            &ctx(),
            2025,
            &mapping(&[
                ("software", "tools"),
                ("advisor-salaries", "advisors"),
                ("office-rent", "places"),
            ]),
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        left_out,
        vec![MappingError::UnmappedSpending {
            account: "rent".into()
        }]
    );
}

pub async fn transparency_published_figures_stay_when_next_years_mapping_changes(store: &Store) {
    let entity = fixtures::cooperative(store).await;
    let activity = fixtures::active_activity(store).await;
    store
        .save_transparency_mapping(&ctx(), 2024, &standard())
        .await
        .unwrap()
        .unwrap();
    contribution(store, entity, activity, 1_000_00, date(2025, 2, 1)).await;
    spend(store, entity, "software", 300_00, date(2025, 3, 1)).await;
    spend(store, entity, "rent", 700_00, date(2025, 3, 1)).await;
    spend(store, entity, "advisor-salaries", 1_00, date(2025, 3, 1)).await;
    // 2025 borrows 2024's mapping until it has its own.
    let (from, _) = store.transparency_mapping(2025).await.unwrap().unwrap();
    assert_eq!(from, 2024);

    // Not before the year is over.
    let early = store
        .publish_transparency(&ctx(), 2025, date(2025, 12, 31))
        .await;
    assert!(matches!(early, Err(StoreError::Conflict(_))));
    let published = store
        .publish_transparency(&ctx(), 2025, date(2026, 1, 15))
        .await
        .unwrap();
    assert_eq!(published.figures.spending_cents, 1_001_00);
    assert!(matches!(
        store
            .publish_transparency(&ctx(), 2025, date(2026, 1, 15))
            .await,
        Err(StoreError::Conflict(_))
    ));
    // Publishing froze the borrowed mapping as 2025's own.
    assert_eq!(
        store.transparency_mapping(2025).await.unwrap().unwrap().0,
        2025
    );

    // 2026 gets a new mapping: rent moves to tools, a category is renamed.
    let mut next = mapping(&[
        ("software", "tools"),
        ("rent", "tools"),
        ("advisor-salaries", "advisors"),
        ("events", "places"),
    ]);
    next.categories[0].name_en = "Tools, rent and administration".into();
    store
        .save_transparency_mapping(&ctx(), 2026, &next)
        .await
        .unwrap()
        .unwrap();
    // So does the year before (2024), which 2025 borrowed from: 2025 does not move.
    store
        .save_transparency_mapping(&ctx(), 2024, &next)
        .await
        .unwrap()
        .unwrap();
    let after = store.transparency_figures(2025).await.unwrap();
    assert_eq!(after, published.figures);
    let places = after
        .categories
        .iter()
        .find(|c| c.category.code == "places")
        .unwrap();
    assert_eq!(places.spending_cents, 700_00);
    // The published year's own mapping can no longer change.
    let frozen = store
        .save_transparency_mapping(&ctx(), 2025, &next)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(frozen, vec![MappingError::YearPublished]);
    // Nor can spending be recorded in it.
    let late = store
        .record_spending(
            &ctx(),
            &NewSpending {
                spent_on: date(2025, 12, 1),
                entity_id: entity,
                account: SpendingAccount::parse("software").unwrap(),
                paid_from: PaidFrom::Bank,
                amount_cents: 1,
                description: "late".into(),
            },
        )
        .await;
    assert!(matches!(late, Err(StoreError::Refused(e)) if e.get("tsp_spent_on").is_some()));
    // The member's split for 2025 uses the published figures and still sums.
    let mine = store.activity_contribution(activity, 2025).await.unwrap();
    assert!(mine.year.published);
    assert_eq!(
        mine.year.shares.iter().map(|s| s.share_cents).sum::<i64>(),
        1_000_00
    );
    let years = store.transparency_years().await.unwrap();
    assert!(years.iter().any(|y| y.year == 2025 && y.published));
}
