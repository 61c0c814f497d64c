//! Contribution transparency (issue 10, C2 / C12): where the mutualised contribution goes,
//! read from the ledger.
//!
//! The cooperative's own spending is a `spending` transaction (Dr `spending:<slug>`, Cr the
//! entity's bank or the guarantee fund); the year's categories and the mapping of the
//! spending accounts to them are rows versioned by year (migration 0027). A year without a
//! mapping of its own uses the latest earlier year's. Once the board publishes a year, its
//! figures are frozen as JSON with their SHA-256 (like the special report) and its mapping can
//! no longer change: changing the next year's mapping never changes them.
//!
//! Every figure is a sum of ledger postings (or a count of reminders and recovery cases),
//! computed when asked. A reversal counts under the kind of the transaction it reverses, so a
//! reversed entry nets out.

use std::collections::BTreeMap;

use jiff::civil::Date;
use ruche_domain::ledger::{AccountCode, NewTransaction};
use ruche_domain::transparency::mapping::Category;
use ruche_domain::transparency::spending::NewSpending;
use ruche_domain::transparency::{
    Mapping, MappingError, MappingInput, SpendingAccount, largest_remainder_split,
};
use ruche_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};

use crate::figures::{Figure, FigurePart, FigureSection, FigureValue, SectionFigures};
use crate::ledger::{fetch_transaction, post_in, reverse_in};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// The figure keys of the special report's and the indicators' `contribution` section.
pub const FIGURE_KEYS: [&str; 7] = [
    "contribution-collected",
    "contribution-spending",
    "contribution-guarantee-advances",
    "contribution-guarantee-repaid",
    "contribution-guarantee-losses",
    "contribution-recovered",
    "contribution-written-off",
];

/// Refusal codes (translated `err-<code>`).
pub const YEAR_PUBLISHED: &str = "tsp-year-published";
pub const ALREADY_PUBLISHED: &str = "tsp-already-published";
pub const YEAR_NOT_OVER: &str = "tsp-year-not-over";
pub const NO_MAPPING: &str = "tsp-no-mapping";
pub const ACCOUNT_UNMAPPED: &str = "tsp-account-unmapped";
pub const NOT_SPENDING: &str = "tsp-not-spending";
pub const UNKNOWN_ENTITY: &str = "tsp-entity";
pub const BAD_YEAR: &str = "tsp-year";

/// The most years a member's "since the start" adds up.
const MAX_YEARS: i16 = 100;

/// Spending on one account in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSpending {
    pub account: String,
    pub spending_cents: i64,
}

/// A category's spending in a year, with its accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySpending {
    pub category: Category,
    pub spending_cents: i64,
    pub accounts: Vec<AccountSpending>,
}

/// The guarantee fund's movements in a year (C2: the salary guarantee backed by a mutual
/// fund), each positive in its usual direction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeFigures {
    /// Allocated to the fund by spending entries (contributions set aside).
    pub allocated_cents: i64,
    /// Salary-guarantee advances paid into budgets, and how many.
    pub advanced_cents: i64,
    pub advances: i64,
    /// Advances repaid by the clients' payments.
    pub repaid_cents: i64,
    /// What the fund bore on written-off invoices.
    pub losses_cents: i64,
}

/// The mutualised debt recovery in a year (C5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryFigures {
    pub reminders_sent: i64,
    pub formal_notices: i64,
    pub cases_opened: i64,
    /// Payments received in the year on invoices that had been reminded by then.
    pub recovered_cents: i64,
    /// Receivables written off in the year (VAT included).
    pub written_off_cents: i64,
}

/// The cooperative's figures for a year: what the yearly page shows and the board publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFigures {
    pub year: i16,
    /// The year whose mapping classified the spending (`None`: no mapping yet).
    pub mapping_year: Option<i16>,
    /// Credits on the entities' contribution accounts dated in the year.
    pub contributions_cents: i64,
    /// Debits on the `spending:` accounts dated in the year.
    pub spending_cents: i64,
    /// In the categories' published order.
    pub categories: Vec<CategorySpending>,
    /// Spending on accounts the mapping leaves out (none once a mapping is saved: saving
    /// refuses it, and recording spending needs the account mapped).
    pub unmapped: Vec<AccountSpending>,
    pub guarantee: GuaranteeFigures,
    pub recovery: RecoveryFigures,
}

impl YearFigures {
    /// Whether the year holds anything to show.
    pub fn is_empty(&self) -> bool {
        self.contributions_cents == 0
            && self.spending_cents == 0
            && self.guarantee == GuaranteeFigures::default()
            && self.recovery == RecoveryFigures::default()
    }
}

/// A year's published figures, frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub year: i16,
    pub figures: YearFigures,
    pub content_hash: String,
    pub published_by: Option<i64>,
    pub published_at: i64,
}

/// A year on the transparency list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransparencyYear {
    pub year: i16,
    pub published: bool,
}

/// One spending entry (or its reversal) of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpendingEntry {
    pub transaction_id: i64,
    pub spent_on: Date,
    pub entity_id: Option<i64>,
    /// The slug of `spending:<slug>`.
    pub account: String,
    /// The account credited (`entity:1:bank`, `fund:guarantee`).
    pub paid_from: String,
    /// Debit positive: a reversal is negative.
    pub amount_cents: i64,
    pub description: String,
    pub reverses_id: Option<i64>,
    pub reversed_by: Option<i64>,
}

/// One category's part of a member's contribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContributionShare {
    pub category: Category,
    /// The cooperative's spending in the category (the weight of the split).
    pub spending_cents: i64,
    pub share_cents: i64,
}

/// A member's contribution for a year, split pro rata of the year's spending by category
/// (largest-remainder rule, `ruche_domain::transparency::split`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContributionSplit {
    pub year: i16,
    pub contribution_cents: i64,
    pub spending_cents: i64,
    /// Empty when the year has no spending: there is no split, and the page says so.
    pub shares: Vec<ContributionShare>,
    /// Whether the figures split by are the board's published ones.
    pub published: bool,
}

/// The mutual services an activity used in a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServicesUsed {
    pub guarantee_advances: i64,
    pub guarantee_advanced_cents: i64,
    pub guarantee_repaid_cents: i64,
    pub reminders_sent: i64,
    pub recovery_cases: i64,
    /// What the guarantee fund paid into the budget for its written-off invoices.
    pub written_off_cents: i64,
    pub loans_disbursed_cents: i64,
    pub loans_repaid_cents: i64,
}

/// What the contribution page of an activity shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityContribution {
    pub activity_id: i64,
    pub year: ContributionSplit,
    /// Each category's share summed over every year the activity paid a contribution, by
    /// category code (named as in the latest year that has it).
    pub since_start: Vec<(Category, i64)>,
    pub since_start_cents: i64,
    /// Contributions of the years with no spending to split by.
    pub since_start_unsplit_cents: i64,
    pub services: ServicesUsed,
}

// ----------------------------------------------------------------------------------- SQL

const MAPPING_YEAR: &str = "SELECT MAX(year) FROM transparency_mappings WHERE year <= $1";
const CATEGORIES: &str = "SELECT code, name_fr, name_nl, name_en, position \
    FROM transparency_categories WHERE year = $1 ORDER BY position";
const ACCOUNTS: &str =
    "SELECT account, category_code FROM transparency_accounts WHERE year = $1 ORDER BY account";
const DELETE_ACCOUNTS: &str = "DELETE FROM transparency_accounts WHERE year = $1";
const DELETE_CATEGORIES: &str = "DELETE FROM transparency_categories WHERE year = $1";
const SAVE_MAPPING: &str = "INSERT INTO transparency_mappings (year, saved_by, saved_at) \
    VALUES ($1, $2, $3) ON CONFLICT (year) DO UPDATE SET saved_by = excluded.saved_by, \
    saved_at = excluded.saved_at";
const INSERT_CATEGORY: &str = "INSERT INTO transparency_categories \
    (year, code, name_fr, name_nl, name_en, position) VALUES ($1, $2, $3, $4, $5, $6)";
const INSERT_ACCOUNT: &str =
    "INSERT INTO transparency_accounts (year, account, category_code) VALUES ($1, $2, $3)";
const PUBLISHED_YEAR: &str = "SELECT year FROM transparency_publications WHERE year = $1";
const PUBLICATION: &str = "SELECT figures_json, content_hash, published_by, published_at \
    FROM transparency_publications WHERE year = $1";
const PUBLISH: &str = "INSERT INTO transparency_publications \
    (year, figures_json, content_hash, published_by, published_at) VALUES ($1, $2, $3, $4, $5)";
const PUBLISHED_YEARS: &str =
    "SELECT year FROM transparency_publications ORDER BY year DESC LIMIT 100";
const LEDGER_YEARS: &str = "SELECT DISTINCT substr(occurred_on, 1, 4) FROM ledger_transactions \
    WHERE kind IN ('contribution', 'spending') ORDER BY 1 DESC LIMIT 100";
const ENTITY: &str = "SELECT id FROM legal_entities WHERE id = $1";
const KNOWN_ACCOUNTS: &str = "SELECT DISTINCT account FROM (\
    SELECT account FROM transparency_accounts \
    UNION SELECT substr(code, 10) FROM ledger_accounts WHERE code LIKE 'spending:%') x \
    ORDER BY account LIMIT 500";

// Postings dated in `[$1, $2)`, a reversal counted under the kind it reverses.
// The mutualised contribution: credits on each entity's contribution account (reversals
// included, so a reversed charge nets to nothing), also the year's figures' turnover section.
// From the few contribution accounts to their postings of the year, by the postings' own
// date (`ledger_postings_by_account_date`: no transaction is read).
pub(crate) const CONTRIBUTIONS: &str = "SELECT CAST(COALESCE(SUM(-p.amount_cents), 0) AS BIGINT) \
    FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id \
    WHERE a.code LIKE 'entity:%:contribution' AND p.occurred_on >= $1 AND p.occurred_on < $2";
const SPENDING_BY_ACCOUNT: &str = "SELECT a.code, CAST(SUM(p.amount_cents) AS BIGINT) \
    FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id \
    WHERE a.code LIKE 'spending:%' AND p.occurred_on >= $1 AND p.occurred_on < $2 \
    GROUP BY a.code ORDER BY a.code";
const FUND_BY_KIND: &str = "SELECT COALESCE(o.kind, t.kind), \
    CAST(SUM(p.amount_cents) AS BIGINT), \
    COUNT(CASE WHEN t.reverses_id IS NULL THEN 1 END) - COUNT(t.reverses_id) \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
    JOIN ledger_transactions t ON t.id = p.transaction_id \
    LEFT JOIN ledger_transactions o ON o.id = t.reverses_id \
    WHERE a.code = $1 AND t.occurred_on >= $2 AND t.occurred_on < $3 \
    GROUP BY COALESCE(o.kind, t.kind)";
// Read from the invoices that had a reminder (a few percent of the year's), through the
// ledger's source index, rather than from every posting of every client account. Only a
// payment or a reversal (of one) can be a payment received: the invoice's other transactions
// (its issue, the contributions) are left before their postings are read (0.16 s -> 0.12 s
// on the reference year, docs/benchmarks.md).
const RECOVERED: &str = "SELECT CAST(COALESCE(SUM(-p.amount_cents), 0) AS BIGINT) \
    FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id \
    JOIN ledger_accounts a ON a.id = p.account_id \
    LEFT JOIN ledger_transactions o ON o.id = t.reverses_id \
    WHERE t.source_type = 'invoice' \
    AND t.source_id IN (SELECT invoice_id FROM reminders WHERE sent_on < $2) \
    AND t.kind IN ('payment-received', 'reversal') \
    AND a.code LIKE 'client:%:receivable' AND COALESCE(o.kind, t.kind) = 'payment-received' \
    AND t.occurred_on >= $1 AND t.occurred_on < $2 \
    AND EXISTS (SELECT 1 FROM reminders r WHERE r.invoice_id = t.source_id \
    AND r.sent_on <= COALESCE(o.occurred_on, t.occurred_on))";
// From the year's write-offs and reversals (`ledger_transactions_by_kind`).
const WRITTEN_OFF: &str = "SELECT CAST(COALESCE(SUM(-p.amount_cents), 0) AS BIGINT) \
    FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id \
    JOIN ledger_accounts a ON a.id = p.account_id \
    LEFT JOIN ledger_transactions o ON o.id = t.reverses_id \
    WHERE t.kind IN ('write-off', 'reversal') AND t.occurred_on >= $1 AND t.occurred_on < $2 \
    AND COALESCE(o.kind, t.kind) = 'write-off' AND a.code LIKE 'client:%:receivable'";
const REMINDERS: &str = "SELECT COUNT(*) FROM reminders WHERE sent_on >= $1 AND sent_on < $2";
const FORMAL_NOTICES: &str = "SELECT COUNT(*) FROM recovery_entries \
    WHERE kind = 'formal-notice' AND occurred_on >= $1 AND occurred_on < $2";
const CASES_OPENED: &str =
    "SELECT COUNT(*) FROM recovery_cases WHERE opened_on >= $1 AND opened_on < $2";
const ACTIVITY_REMINDERS: &str = "SELECT COUNT(*) FROM reminders r \
    JOIN invoices i ON i.id = r.invoice_id \
    WHERE i.activity_id = $1 AND r.sent_on >= $2 AND r.sent_on < $3";
const ACTIVITY_CASES: &str = "SELECT COUNT(*) FROM recovery_cases c \
    JOIN invoices i ON i.id = c.invoice_id \
    WHERE i.activity_id = $1 AND c.opened_on >= $2 AND c.opened_on < $3";
const CONTRIBUTION_SPAN: &str = "SELECT MIN(t.occurred_on), MAX(t.occurred_on) \
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id \
    JOIN ledger_transactions t ON t.id = p.transaction_id \
    WHERE a.code = $1 AND t.kind = 'contribution'";

const SPENDING_COUNT: &str = "SELECT COUNT(*) FROM ledger_transactions t \
    JOIN ledger_postings p ON p.transaction_id = t.id \
    JOIN ledger_accounts a ON a.id = p.account_id \
    WHERE a.code LIKE 'spending:%' AND t.occurred_on >= $1 AND t.occurred_on < $2";
const SPENDING_LIST: &str = "SELECT t.id, t.occurred_on, t.source_id, a.code, \
    (SELECT a2.code FROM ledger_postings p2 JOIN ledger_accounts a2 ON a2.id = p2.account_id \
     WHERE p2.transaction_id = t.id AND a2.code NOT LIKE 'spending:%' ORDER BY a2.code LIMIT 1), \
    p.amount_cents, t.memo, t.reverses_id, \
    (SELECT r.id FROM ledger_transactions r WHERE r.reverses_id = t.id) \
    FROM ledger_transactions t \
    JOIN ledger_postings p ON p.transaction_id = t.id \
    JOIN ledger_accounts a ON a.id = p.account_id \
    WHERE a.code LIKE 'spending:%' AND t.occurred_on >= $1 AND t.occurred_on < $2 \
    ORDER BY t.occurred_on DESC, t.id DESC LIMIT $3 OFFSET $4";

/// Totals per kind, then two counts.
type KindsAndCounts = (Vec<(String, i64, i64)>, (i64,), (i64,));

type SpendingRow = (
    i64,
    String,
    Option<i64>,
    String,
    Option<String>,
    i64,
    String,
    Option<i64>,
    Option<i64>,
);

/// `[from, to)` of a calendar year as stored dates.
fn bounds(year: i16) -> Result<(String, String)> {
    if !(1900..=2999).contains(&year) {
        return Err(StoreError::Refused(FieldErrors::single("year", BAD_YEAR)));
    }
    Ok((format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)))
}

fn year_of(y: i64) -> Result<i16> {
    i16::try_from(y).map_err(|_| StoreError::Corrupt(format!("transparency year {y}")))
}

fn slug_of_code(code: &str) -> Result<String> {
    match AccountCode::parse(code) {
        Ok(AccountCode::Spending(s)) => Ok(s.to_string()),
        _ => Err(StoreError::Corrupt(format!("spending account {code}"))),
    }
}

/// The year's figures from the effective mapping and the sums read.
fn classify(
    year: i16,
    mapping: Option<(i16, Mapping)>,
    contributions_cents: i64,
    by_account: Vec<(String, i64)>,
    guarantee: GuaranteeFigures,
    recovery: RecoveryFigures,
) -> Result<YearFigures> {
    let spending_cents = by_account.iter().map(|(_, c)| *c).sum();
    let mut categories: Vec<CategorySpending> = Vec::new();
    let mut unmapped = Vec::new();
    if let Some((_, m)) = &mapping {
        categories = m
            .categories
            .iter()
            .map(|c| CategorySpending {
                category: c.clone(),
                spending_cents: 0,
                accounts: Vec::new(),
            })
            .collect();
    }
    for (code, cents) in by_account {
        let slug = slug_of_code(&code)?;
        let category = mapping.as_ref().and_then(|(_, m)| {
            SpendingAccount::parse(&slug).and_then(|s| m.category_of(&s).map(str::to_string))
        });
        let line = AccountSpending {
            account: slug,
            spending_cents: cents,
        };
        match category.and_then(|c| categories.iter_mut().find(|k| k.category.code == c)) {
            Some(k) => {
                k.spending_cents += cents;
                k.accounts.push(line);
            }
            None => unmapped.push(line),
        }
    }
    Ok(YearFigures {
        year,
        mapping_year: mapping.map(|(y, _)| y),
        contributions_cents,
        spending_cents,
        categories,
        unmapped,
        guarantee,
        recovery,
    })
}

/// The effective mapping of `$year` (its own or the latest earlier year's), read on `$conn`.
macro_rules! effective_mapping {
    ($conn:expr, $year:expr) => {{
        let year: i16 = $year;
        let (found,): (Option<i64>,) = sqlx::query_as(MAPPING_YEAR)
            .bind(i64::from(year))
            .fetch_one($conn)
            .await?;
        match found {
            None => None,
            Some(from) => {
                let cats: Vec<(String, String, String, String, i64)> = sqlx::query_as(CATEGORIES)
                    .bind(from)
                    .fetch_all($conn)
                    .await?;
                let accs: Vec<(String, String)> =
                    sqlx::query_as(ACCOUNTS).bind(from).fetch_all($conn).await?;
                let mut accounts = BTreeMap::new();
                for (account, category) in accs {
                    let slug = SpendingAccount::parse(&account).ok_or_else(|| {
                        StoreError::Corrupt(format!("mapped spending account {account}"))
                    })?;
                    accounts.insert(slug, category);
                }
                let categories = cats
                    .into_iter()
                    .map(|(code, name_fr, name_nl, name_en, position)| Category {
                        code,
                        name_fr,
                        name_nl,
                        name_en,
                        position,
                    })
                    .collect();
                Some((
                    year_of(from)?,
                    Mapping {
                        categories,
                        accounts,
                    },
                ))
            }
        }
    }};
}

/// The live figures of `$year`, read on `$conn`.
macro_rules! live_figures {
    ($conn:expr, $year:expr) => {{
        let year: i16 = $year;
        let (from, to) = bounds(year)?;
        let mapping = effective_mapping!($conn, year);
        let (contributions,): (i64,) = sqlx::query_as(CONTRIBUTIONS)
            .bind(&from)
            .bind(&to)
            .fetch_one($conn)
            .await?;
        let by_account: Vec<(String, i64)> = sqlx::query_as(SPENDING_BY_ACCOUNT)
            .bind(&from)
            .bind(&to)
            .fetch_all($conn)
            .await?;
        let fund: Vec<(String, i64, i64)> = sqlx::query_as(FUND_BY_KIND)
            .bind(AccountCode::GuaranteeFund.to_string())
            .bind(&from)
            .bind(&to)
            .fetch_all($conn)
            .await?;
        let mut guarantee = GuaranteeFigures::default();
        for (kind, sum, count) in fund {
            match kind.as_str() {
                // The fund is debited when it advances and when it bears a loss, credited
                // when it is repaid or allocated (docs/ledger.md).
                "guarantee-advanced" => {
                    guarantee.advanced_cents = sum;
                    guarantee.advances = count;
                }
                "guarantee-repaid" => guarantee.repaid_cents = -sum,
                "write-off" => guarantee.losses_cents = sum,
                "spending" => guarantee.allocated_cents = -sum,
                _ => {}
            }
        }
        let mut recovery = RecoveryFigures::default();
        for (sql, slot) in [
            (REMINDERS, &mut recovery.reminders_sent),
            (FORMAL_NOTICES, &mut recovery.formal_notices),
            (CASES_OPENED, &mut recovery.cases_opened),
            (RECOVERED, &mut recovery.recovered_cents),
            (WRITTEN_OFF, &mut recovery.written_off_cents),
        ] {
            let (n,): (i64,) = sqlx::query_as(sql)
                .bind(&from)
                .bind(&to)
                .fetch_one($conn)
                .await?;
            *slot = n;
        }
        classify(
            year,
            mapping,
            contributions,
            by_account,
            guarantee,
            recovery,
        )?
    }};
}

impl Store {
    /// The mapping that classifies `year`'s spending: the year's own, or else the latest
    /// earlier year's (`(that year, mapping)`), or `None` before any mapping is saved.
    pub async fn transparency_mapping(&self, year: i16) -> Result<Option<(i16, Mapping)>> {
        bounds(year)?;
        with_db!(self, pool => Ok(effective_mapping!(pool, year)))
    }

    /// Every spending account slug known: mapped in some year or posted to.
    pub async fn spending_accounts(&self) -> Result<Vec<String>> {
        with_db!(self, pool => {
            let rows: Vec<(String,)> = sqlx::query_as(KNOWN_ACCOUNTS).fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(a,)| a).collect())
        })
    }

    /// Saves `year`'s categories and mapping. The inner `Err` lists every reason it is
    /// refused, each naming its account or category: an account in two categories, a
    /// category with no account (`MappingInput::parse`), an account with spending in the year
    /// that the mapping leaves out, or a published year (frozen).
    pub async fn save_transparency_mapping(
        &self,
        ctx: &AuditContext,
        year: i16,
        input: &MappingInput,
    ) -> Result<std::result::Result<Mapping, Vec<MappingError>>> {
        let (from, to) = bounds(year)?;
        let mapping = match input.parse() {
            Ok(m) => m,
            Err(errors) => return Ok(Err(errors)),
        };
        write_tx!(self, tx => {
            let published: Option<(i64,)> = sqlx::query_as(PUBLISHED_YEAR)
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
            if published.is_some() {
                return Ok(Err(vec![MappingError::YearPublished]));
            }
            let spent: Vec<(String, i64)> = sqlx::query_as(SPENDING_BY_ACCOUNT)
                .bind(&from)
                .bind(&to)
                .fetch_all(&mut *tx)
                .await?;
            let mut errors = Vec::new();
            for (code, _) in spent {
                let slug = slug_of_code(&code)?;
                let mapped = SpendingAccount::parse(&slug)
                    .is_some_and(|s| mapping.category_of(&s).is_some());
                if !mapped {
                    errors.push(MappingError::UnmappedSpending { account: slug });
                }
            }
            if !errors.is_empty() {
                return Ok(Err(errors));
            }
            let before = {
                let (found,): (Option<i64>,) = sqlx::query_as(MAPPING_YEAR)
                    .bind(i64::from(year))
                    .fetch_one(&mut *tx)
                    .await?;
                if found == Some(i64::from(year)) {
                    effective_mapping!(&mut *tx, year).map(|(_, m)| m)
                } else {
                    None
                }
            };
            sqlx::query(DELETE_ACCOUNTS).bind(i64::from(year)).execute(&mut *tx).await?;
            sqlx::query(DELETE_CATEGORIES).bind(i64::from(year)).execute(&mut *tx).await?;
            sqlx::query(SAVE_MAPPING)
                .bind(i64::from(year))
                .bind(ctx.actor_account_id)
                .bind(crate::now_micros())
                .execute(&mut *tx)
                .await?;
            for c in &mapping.categories {
                sqlx::query(INSERT_CATEGORY)
                    .bind(i64::from(year))
                    .bind(&c.code)
                    .bind(&c.name_fr)
                    .bind(&c.name_nl)
                    .bind(&c.name_en)
                    .bind(c.position)
                    .execute(&mut *tx)
                    .await?;
            }
            for (account, category) in &mapping.accounts {
                sqlx::query(INSERT_ACCOUNT)
                    .bind(i64::from(year))
                    .bind(account.to_string())
                    .bind(category)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                ctx,
                if before.is_some() { "update" } else { "create" },
                "transparency_mapping",
                Some(i64::from(year)),
                before.as_ref(),
                Some(&mapping)
            );
            Ok(Ok(mapping))
        })
    }

    /// Saves, as `year`'s own, the mapping `year` uses now (the latest earlier year's): the
    /// "copy last year's" button. `Conflict(NO_MAPPING)` when there is none.
    pub async fn copy_transparency_mapping(
        &self,
        ctx: &AuditContext,
        year: i16,
    ) -> Result<std::result::Result<Mapping, Vec<MappingError>>> {
        let Some((_, m)) = self.transparency_mapping(year).await? else {
            return Err(StoreError::Conflict(NO_MAPPING));
        };
        self.save_transparency_mapping(ctx, year, &m.to_input())
            .await
    }

    /// Records one spending entry: refused when its year is published, its entity unknown,
    /// or its account not in the year's mapping (it would be spending no category shows).
    pub async fn record_spending(
        &self,
        ctx: &AuditContext,
        spending: &NewSpending,
    ) -> Result<SpendingEntry> {
        let year = spending.spent_on.year();
        bounds(year)?;
        let tx_new: NewTransaction = spending
            .transaction()
            .map_err(|_| StoreError::Refused(FieldErrors::single("tsp_amount", "tsp-amount")))?;
        let id = write_tx!(self, tx => {
            let published: Option<(i64,)> = sqlx::query_as(PUBLISHED_YEAR)
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
            if published.is_some() {
                return Err(StoreError::Refused(FieldErrors::single("tsp_spent_on", YEAR_PUBLISHED)));
            }
            let entity: Option<(i64,)> = sqlx::query_as(ENTITY)
                .bind(spending.entity_id)
                .fetch_optional(&mut *tx)
                .await?;
            if entity.is_none() {
                return Err(StoreError::Refused(FieldErrors::single("tsp_entity", UNKNOWN_ENTITY)));
            }
            let mapped = effective_mapping!(&mut *tx, year)
                .is_some_and(|(_, m)| m.category_of(&spending.account).is_some());
            if !mapped {
                return Err(StoreError::Refused(FieldErrors::single("tsp_account", ACCOUNT_UNMAPPED)));
            }
            post_in!(tx, ctx, &tx_new)
        });
        self.spending_entry(id).await
    }

    /// Reverses a spending entry on `on` (never a deletion). Refused when `on` falls in a
    /// published year, or the transaction is not a spending entry.
    pub async fn reverse_spending(
        &self,
        ctx: &AuditContext,
        transaction_id: i64,
        on: Date,
    ) -> Result<SpendingEntry> {
        bounds(on.year())?;
        let id = write_tx!(self, tx => {
            let original = fetch_transaction!(&mut *tx, transaction_id).ok_or(StoreError::NotFound)?;
            if original.kind != ruche_domain::ledger::TransactionKind::Spending {
                return Err(StoreError::Conflict(NOT_SPENDING));
            }
            let published: Option<(i64,)> = sqlx::query_as(PUBLISHED_YEAR)
                .bind(i64::from(on.year()))
                .fetch_optional(&mut *tx)
                .await?;
            if published.is_some() {
                return Err(StoreError::Refused(FieldErrors::single("tsp_reversed_on", YEAR_PUBLISHED)));
            }
            reverse_in!(tx, ctx, transaction_id, on)
        });
        self.spending_entry(id).await
    }

    async fn spending_entry(&self, transaction_id: i64) -> Result<SpendingEntry> {
        let t = self.transaction(transaction_id).await?;
        let year = t.occurred_on.year();
        // The entry is on the year's list; find it there rather than re-derive it.
        let (from, to) = bounds(year)?;
        let rows: Vec<SpendingRow> = with_db!(self, pool => {
            sqlx::query_as(concat!(
                "SELECT t.id, t.occurred_on, t.source_id, a.code, \
                (SELECT a2.code FROM ledger_postings p2 JOIN ledger_accounts a2 ON a2.id = p2.account_id \
                 WHERE p2.transaction_id = t.id AND a2.code NOT LIKE 'spending:%' ORDER BY a2.code LIMIT 1), \
                p.amount_cents, t.memo, t.reverses_id, \
                (SELECT r.id FROM ledger_transactions r WHERE r.reverses_id = t.id)",
                " FROM ledger_transactions t \
                JOIN ledger_postings p ON p.transaction_id = t.id \
                JOIN ledger_accounts a ON a.id = p.account_id \
                WHERE a.code LIKE 'spending:%' AND t.occurred_on >= $1 AND t.occurred_on < $2 \
                AND t.id = $3"
            ))
            .bind(&from)
            .bind(&to)
            .bind(transaction_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .next()
            .map(entry_of)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    /// The spending entries dated in `year` (reversals included), newest first.
    pub async fn spending_entries(
        &self,
        year: i16,
        page: PageRequest,
    ) -> Result<Page<SpendingEntry>> {
        let (from, to) = bounds(year)?;
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(SPENDING_COUNT)
                .bind(&from)
                .bind(&to)
                .fetch_one(pool)
                .await?;
            let rows: Vec<SpendingRow> = sqlx::query_as(SPENDING_LIST)
                .bind(&from)
                .bind(&to)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let items = rows.into_iter().map(entry_of).collect::<Result<Vec<_>>>()?;
            Ok(page.of(items, total))
        })
    }

    /// The year's figures computed from the ledger now, published or not.
    pub async fn live_transparency_figures(&self, year: i16) -> Result<YearFigures> {
        with_db!(self, pool => Ok(live_figures!(pool, year)))
    }

    /// The year's figures: the published snapshot once the board published them, the live
    /// figures otherwise.
    pub async fn transparency_figures(&self, year: i16) -> Result<YearFigures> {
        match self.transparency_publication(year).await? {
            Some(p) => Ok(p.figures),
            None => self.live_transparency_figures(year).await,
        }
    }

    /// The year's publication, checked against its hash.
    pub async fn transparency_publication(&self, year: i16) -> Result<Option<Publication>> {
        bounds(year)?;
        let row: Option<(String, String, Option<i64>, i64)> = with_db!(self, pool => {
            sqlx::query_as(PUBLICATION)
                .bind(i64::from(year))
                .fetch_optional(pool)
                .await?
        });
        let Some((json, hash, published_by, published_at)) = row else {
            return Ok(None);
        };
        if crate::invoices::content_hash(&json) != hash {
            return Err(StoreError::Corrupt(format!(
                "the transparency figures of {year} do not match their hash"
            )));
        }
        let figures: YearFigures = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("transparency figures of {year}: {e}")))?;
        Ok(Some(Publication {
            year,
            figures,
            content_hash: hash,
            published_by,
            published_at,
        }))
    }

    /// Publishes `year`'s figures (the board): the effective mapping becomes the year's own,
    /// and the figures are frozen with their SHA-256. Refused for a year not over on `today`,
    /// a year already published, or a year with no mapping.
    pub async fn publish_transparency(
        &self,
        ctx: &AuditContext,
        year: i16,
        today: Date,
    ) -> Result<Publication> {
        bounds(year)?;
        if year >= today.year() {
            return Err(StoreError::Conflict(YEAR_NOT_OVER));
        }
        let mapping = match self.transparency_mapping(year).await? {
            Some((from, m)) => (from, m),
            None => return Err(StoreError::Conflict(NO_MAPPING)),
        };
        if mapping.0 != year {
            // Freeze the mapping the figures were classified with as the year's own.
            if let Err(errors) = self
                .save_transparency_mapping(ctx, year, &mapping.1.to_input())
                .await?
            {
                return Err(match errors.first() {
                    Some(MappingError::YearPublished) => StoreError::Conflict(ALREADY_PUBLISHED),
                    _ => StoreError::Conflict(NO_MAPPING),
                });
            }
        }
        write_tx!(self, tx => {
            let published: Option<(i64,)> = sqlx::query_as(PUBLISHED_YEAR)
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
            if published.is_some() {
                return Err(StoreError::Conflict(ALREADY_PUBLISHED));
            }
            let figures = live_figures!(&mut *tx, year);
            let json = serde_json::to_string(&figures)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let hash = crate::invoices::content_hash(&json);
            let now = crate::now_micros();
            sqlx::query(PUBLISH)
                .bind(i64::from(year))
                .bind(&json)
                .bind(&hash)
                .bind(ctx.actor_account_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let publication = Publication {
                year,
                figures,
                content_hash: hash,
                published_by: ctx.actor_account_id,
                published_at: now,
            };
            audit!(
                tx,
                ctx,
                "create",
                "transparency_publication",
                Some(i64::from(year)),
                None::<&Publication>,
                Some(&publication)
            );
            Ok(publication)
        })
    }

    /// The years holding contributions or spending, or published; newest first.
    pub async fn transparency_years(&self) -> Result<Vec<TransparencyYear>> {
        let (ledger, published): (Vec<(String,)>, Vec<(i64,)>) = with_db!(self, pool => {
            (
                sqlx::query_as(LEDGER_YEARS).fetch_all(pool).await?,
                sqlx::query_as(PUBLISHED_YEARS).fetch_all(pool).await?,
            )
        });
        let mut years: BTreeMap<i16, bool> = BTreeMap::new();
        for (y,) in ledger {
            if let Ok(y) = y.parse::<i16>() {
                years.insert(y, false);
            }
        }
        for (y,) in published {
            years.insert(year_of(y)?, true);
        }
        Ok(years
            .into_iter()
            .rev()
            .map(|(year, published)| TransparencyYear { year, published })
            .collect())
    }

    /// The published years, newest first.
    pub async fn published_transparency_years(&self) -> Result<Vec<i16>> {
        let rows: Vec<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(PUBLISHED_YEARS).fetch_all(pool).await?
        });
        rows.into_iter().map(|(y,)| year_of(y)).collect()
    }

    /// An activity's contribution in `year` and since the start, split by category, and the
    /// mutual services it used in `year`.
    pub async fn activity_contribution(
        &self,
        activity_id: i64,
        year: i16,
    ) -> Result<ActivityContribution> {
        bounds(year)?;
        let budget = AccountCode::ActivityBudget(activity_id).to_string();
        let (first, last): (Option<String>, Option<String>) = with_db!(self, pool => {
            sqlx::query_as(CONTRIBUTION_SPAN).bind(&budget).fetch_one(pool).await?
        });
        let this = self.contribution_split(activity_id, year).await?;
        let mut since: Vec<(Category, i64)> = Vec::new();
        let (mut total, mut unsplit) = (0i64, 0i64);
        let span = first.zip(last).and_then(|(f, l)| {
            Some((
                f.get(..4)?.parse::<i16>().ok()?,
                l.get(..4)?.parse::<i16>().ok()?,
            ))
        });
        if let Some((first, last)) = span {
            let first = first.max(last.saturating_sub(MAX_YEARS));
            for y in first..=last {
                let s = if y == year {
                    this.clone()
                } else {
                    self.contribution_split(activity_id, y).await?
                };
                total += s.contribution_cents;
                if s.shares.is_empty() {
                    unsplit += s.contribution_cents;
                }
                for share in s.shares {
                    match since
                        .iter_mut()
                        .find(|(c, _)| c.code == share.category.code)
                    {
                        Some((c, cents)) => {
                            *c = share.category;
                            *cents += share.share_cents;
                        }
                        None => since.push((share.category, share.share_cents)),
                    }
                }
            }
        }
        since.sort_by_key(|(c, _)| c.position);
        debug_assert_eq!(since.iter().map(|(_, c)| c).sum::<i64>() + unsplit, total);
        let services = self.services_used(activity_id, year).await?;
        Ok(ActivityContribution {
            activity_id,
            year: this,
            since_start: since,
            since_start_cents: total,
            since_start_unsplit_cents: unsplit,
            services,
        })
    }

    /// An activity's contribution paid in `year` (debits of kind `contribution` on its budget,
    /// less their reversals), split pro rata of the year's spending by category.
    pub async fn contribution_split(
        &self,
        activity_id: i64,
        year: i16,
    ) -> Result<ContributionSplit> {
        let (from, to) = bounds(year)?;
        let budget = AccountCode::ActivityBudget(activity_id).to_string();
        let kinds: Vec<(String, i64, i64)> = with_db!(self, pool => {
            sqlx::query_as(FUND_BY_KIND).bind(&budget).bind(&from).bind(&to).fetch_all(pool).await?
        });
        let contribution_cents = kinds
            .iter()
            .find(|(k, _, _)| k == "contribution")
            .map_or(0, |(_, sum, _)| *sum);
        let publication = self.transparency_publication(year).await?;
        let published = publication.is_some();
        let figures = match publication {
            Some(p) => p.figures,
            None => self.live_transparency_figures(year).await?,
        };
        let weights: Vec<i64> = figures
            .categories
            .iter()
            .map(|c| c.spending_cents)
            .collect();
        let shares = match largest_remainder_split(contribution_cents, &weights) {
            Some(split) => figures
                .categories
                .iter()
                .zip(split)
                .map(|(c, share_cents)| ContributionShare {
                    category: c.category.clone(),
                    spending_cents: c.spending_cents,
                    share_cents,
                })
                .collect(),
            None => Vec::new(),
        };
        debug_assert!(
            shares.is_empty()
                || shares
                    .iter()
                    .map(|s: &ContributionShare| s.share_cents)
                    .sum::<i64>()
                    == contribution_cents
        );
        Ok(ContributionSplit {
            year,
            contribution_cents,
            spending_cents: figures.categories.iter().map(|c| c.spending_cents).sum(),
            shares,
            published,
        })
    }

    async fn services_used(&self, activity_id: i64, year: i16) -> Result<ServicesUsed> {
        let (from, to) = bounds(year)?;
        let budget = AccountCode::ActivityBudget(activity_id).to_string();
        let (kinds, reminders, cases): KindsAndCounts = with_db!(self, pool => {
            (
                sqlx::query_as(FUND_BY_KIND).bind(&budget).bind(&from).bind(&to).fetch_all(pool).await?,
                sqlx::query_as(ACTIVITY_REMINDERS).bind(activity_id).bind(&from).bind(&to).fetch_one(pool).await?,
                sqlx::query_as(ACTIVITY_CASES).bind(activity_id).bind(&from).bind(&to).fetch_one(pool).await?,
            )
        });
        let mut s = ServicesUsed {
            reminders_sent: reminders.0,
            recovery_cases: cases.0,
            ..ServicesUsed::default()
        };
        for (kind, sum, count) in kinds {
            // The budget is credited by an advance, a write-off and a disbursement, debited by
            // a repayment.
            match kind.as_str() {
                "guarantee-advanced" => {
                    s.guarantee_advanced_cents = -sum;
                    s.guarantee_advances = count;
                }
                "guarantee-repaid" => s.guarantee_repaid_cents = sum,
                "write-off" => s.written_off_cents = -sum,
                "loan-disbursed" => s.loans_disbursed_cents = sum.abs(),
                "loan-repaid" => s.loans_repaid_cents = sum.abs(),
                _ => {}
            }
        }
        Ok(s)
    }

    /// The special report's and the indicators' `contribution` section for a year: the
    /// published figures once published, the live ones otherwise.
    pub(crate) async fn contribution_figures(&self, year: i16) -> Result<SectionFigures> {
        let f = self.transparency_figures(year).await?;
        let link = Some(format!("/transparency/{year}"));
        let fig = |key: &'static str, value: FigureValue, parts: Vec<FigurePart>| Figure {
            key,
            value,
            link: link.clone(),
            parts,
        };
        let parts = f
            .categories
            .iter()
            .map(|c| FigurePart {
                label: c.category.name_fr.clone(),
                value: FigureValue::Cents(c.spending_cents),
            })
            .collect();
        let figures = vec![
            fig(
                "contribution-collected",
                FigureValue::Cents(f.contributions_cents),
                Vec::new(),
            ),
            fig(
                "contribution-spending",
                FigureValue::Cents(f.spending_cents),
                parts,
            ),
            fig(
                "contribution-guarantee-advances",
                FigureValue::Cents(f.guarantee.advanced_cents),
                Vec::new(),
            ),
            fig(
                "contribution-guarantee-repaid",
                FigureValue::Cents(f.guarantee.repaid_cents),
                Vec::new(),
            ),
            fig(
                "contribution-guarantee-losses",
                FigureValue::Cents(f.guarantee.losses_cents),
                Vec::new(),
            ),
            fig(
                "contribution-recovered",
                FigureValue::Cents(f.recovery.recovered_cents),
                Vec::new(),
            ),
            fig(
                "contribution-written-off",
                FigureValue::Cents(f.recovery.written_off_cents),
                Vec::new(),
            ),
        ];
        // A year with nothing but zeros holds no data: never invent a figure.
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Contribution,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}

fn entry_of(row: SpendingRow) -> Result<SpendingEntry> {
    let (id, on, entity, code, paid_from, amount, memo, reverses_id, reversed_by) = row;
    Ok(SpendingEntry {
        transaction_id: id,
        spent_on: on
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad ledger date {on:?}")))?,
        entity_id: entity,
        account: slug_of_code(&code)?,
        paid_from: paid_from.unwrap_or_default(),
        amount_cents: amount,
        description: memo,
        reverses_id,
        reversed_by,
    })
}
