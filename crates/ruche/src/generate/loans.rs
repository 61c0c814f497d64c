//! The 0 % member loans, through the loans store's life cycle: the member applies, an advisor
//! gives an opinion, the board decides (four eyes), the treasury disburses to the activity's
//! budget, and every instalment due by the year's end is repaid by transfer on its due date.
//! The loans of earlier years are granted in the five years before.

use anyhow::{Context, Result};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::loans::{
    Decision, DisburseTo, Disbursement, LoanPurpose, NewLoanApplication, Opinion, Repayment,
    loan_params_on,
};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::{scaled, split_exact};
use super::{Progress, Summary, day_of, set_clock};

/// The reference year: 44 loans for 215,474 €, 175 for 721,852 € since launch.
pub const YEAR_LOANS: i64 = 44;
pub const YEAR_CENTS: i64 = 21_547_400;
pub const EARLIER_LOANS: i64 = 175 - 44;
pub const EARLIER_CENTS: i64 = 72_185_200 - 21_547_400;

/// The smallest loan the product grants (500 €, rules/loans.toml).
const MIN_PRINCIPAL: i64 = 50_000;

/// `(count, cents)` of the loans at `scale`: `round(x · scale)`, at least one loan (the
/// capability is exercised at any scale) and at least the smallest principal per loan.
pub fn volume(count: i64, cents: i64, scale: f64) -> (i64, i64) {
    let n = scaled(count, scale, 1);
    (n, scaled(cents, scale, 1).max(n * MIN_PRINCIPAL))
}

fn as_account(id: i64) -> AuditContext {
    AuditContext {
        actor_account_id: Some(id),
        ip: None,
    }
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
    let (earlier, earlier_cents) = volume(EARLIER_LOANS, EARLIER_CENTS, scale);
    let (this, this_cents) = volume(YEAR_LOANS, YEAR_CENTS, scale);
    progress.phase("loans", u64::try_from(earlier + this)?);
    // Members of before the year may have borrowed earlier.
    let veterans: Vec<usize> = (0..coop.members.len())
        .filter(|m| coop.members[*m].from_day == 0)
        .collect();
    let veterans = if veterans.is_empty() {
        (0..coop.members.len()).collect()
    } else {
        veterans
    };
    let year_end = Date::new(year, 12, 31)?;
    for (count, cents, this_year) in [(earlier, earlier_cents, false), (this, this_cents, true)] {
        let n = usize::try_from(count)?;
        let extra = split_exact(rng, cents - count * MIN_PRINCIPAL + count, n);
        // Applied in date order, so that the loans' ids follow their dates.
        let mut planned: Vec<(Date, usize, i64)> = Vec::with_capacity(n);
        for e in extra {
            let principal = MIN_PRINCIPAL + e - 1;
            let (member, applied) = if this_year {
                let m = rng.random_range(0..coop.members.len());
                let from = coop.members[m].from_day.min(300);
                (m, day_of(year, rng.random_range(from..=330))?)
            } else {
                let m = veterans[rng.random_range(0..veterans.len())];
                let back = rng.random_range(1..=5);
                (m, day_of(year - back, rng.random_range(0..=330))?)
            };
            planned.push((applied, member, principal));
        }
        planned.sort();
        for (applied, member, principal) in planned {
            grant(store, rng, coop, member, principal, applied, year_end).await?;
            if this_year {
                summary.loans += 1;
                summary.loans_cents += principal;
            }
            summary.loans_since_launch += 1;
            summary.loans_since_launch_cents += principal;
            progress.advance(1);
        }
    }
    progress.finish("loans");
    Ok(())
}

async fn grant(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    member: usize,
    principal: i64,
    applied: Date,
    year_end: Date,
) -> Result<()> {
    let m = &coop.members[member];
    let params = loan_params_on(applied)?;
    let purposes = [
        LoanPurpose::Equipment,
        LoanPurpose::Goods,
        LoanPurpose::Training,
        LoanPurpose::CashAdvance,
    ];
    let new = NewLoanApplication {
        activity_id: m.activity_id,
        purpose: purposes[rng.random_range(0..purposes.len())],
        principal_cents: principal,
        instalments: rng.random_range(12..=36),
        justification: "Devis joint ; besoin chiffré pour développer l'activité.".into(),
        criteria: params.criteria.clone(),
        params_version: params.version(),
    };
    set_clock(applied, 10)?;
    let loan = store
        .apply_for_loan(&as_account(m.account_id), m.person_id, &new, applied, &[])
        .await
        .with_context(|| format!("a loan application on {applied}"))?;
    let opinion = Opinion {
        favourable: true,
        text: "Projet solide, devis cohérents.".into(),
        criteria_confirmed: params.criteria.clone(),
    };
    let reviewed = applied.checked_add(4.days())?;
    set_clock(reviewed, 10)?;
    store
        .give_loan_opinion(&as_account(coop.advisor_account), loan.id, &opinion)
        .await?;
    let decided = applied.checked_add(10.days())?;
    set_clock(decided, 10)?;
    store
        .decide_loan(
            &as_account(coop.board_account),
            loan.id,
            &Decision::Approve { conditions: None },
            decided,
        )
        .await?;
    let disbursed = decided.checked_add(5.days())?;
    set_clock(disbursed, 10)?;
    let treasury = as_account(coop.treasury_account);
    store
        .disburse_loan(
            &treasury,
            loan.id,
            &Disbursement {
                to: DisburseTo::Budget,
                disbursed_on: disbursed,
                first_due_on: disbursed.checked_add(1.month())?,
            },
        )
        .await
        .with_context(|| format!("disbursing a loan on {disbursed}"))?;
    // Every instalment due by the year's end is paid on its day.
    for i in store.loan_instalments(loan.id).await? {
        let due: Date = i.due_on.parse()?;
        if i.status == "open" && due <= year_end {
            set_clock(due, 12)?;
            store
                .record_loan_transfer(
                    &treasury,
                    loan.id,
                    &Repayment {
                        amount_cents: i.remaining_cents(),
                        on: due,
                    },
                )
                .await?;
        }
    }
    Ok(())
}
