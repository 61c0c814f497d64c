//! The repayment schedule of a 0 % loan and how a repayment is spread over it.
//!
//! reference/employment.md §6.1: at 0 % equal-instalment and equal-principal amortization
//! give the same schedule. The annuity formula `P·i / (1 − (1 + i)^−n)` divides by zero at
//! `i = 0` (frappe/lending PR #1231, FINERACT-1981), so it is never used: each instalment
//! is **P / n rounded half-up to the cent, the remainder on the last one**. No interest,
//! no fee.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// One instalment of a schedule: its number (from 1), due date and principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Instalment {
    pub number: u32,
    pub due_on: Date,
    pub principal_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the principal must be positive")]
    NoPrincipal,
    #[error("a schedule has at least one instalment")]
    NoInstalment,
    #[error("the principal is too small to give every instalment a cent")]
    PrincipalTooSmall,
    #[error("a due date falls outside the calendar")]
    DateOutOfRange,
}

/// `principal / n` rounded half-up to the cent (both positive).
pub fn regular_instalment(principal_cents: i64, n: u32) -> i64 {
    let n = i64::from(n.max(1));
    // Half-up on positive integers: ⌊(2P + n) / 2n⌋.
    (principal_cents.saturating_mul(2).saturating_add(n)) / (2 * n)
}

/// The schedule of `principal_cents` over `n` monthly instalments, the first due on
/// `first_due_on` and each next one the same day of the following months (the day is
/// clamped to the month's end: a first due date of 31 January gives 28/29 February, then
/// 31 March, counted each time from the first date so that days never drift).
pub fn schedule(
    principal_cents: i64,
    n: u32,
    first_due_on: Date,
) -> Result<Vec<Instalment>, ScheduleError> {
    if principal_cents <= 0 {
        return Err(ScheduleError::NoPrincipal);
    }
    if n == 0 {
        return Err(ScheduleError::NoInstalment);
    }
    let regular = regular_instalment(principal_cents, n);
    let last = principal_cents - regular * i64::from(n - 1);
    if regular <= 0 || last <= 0 {
        return Err(ScheduleError::PrincipalTooSmall);
    }
    let mut out = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    for k in 0..n {
        let due_on = first_due_on
            .checked_add(i64::from(k).months())
            .map_err(|_| ScheduleError::DateOutOfRange)?;
        out.push(Instalment {
            number: k + 1,
            due_on,
            principal_cents: if k + 1 == n { last } else { regular },
        });
    }
    debug_assert_eq!(
        out.iter().map(|i| i.principal_cents).sum::<i64>(),
        principal_cents
    );
    Ok(out)
}

/// What is left to pay on one instalment, and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub due_on: Date,
    pub remaining_cents: i64,
}

/// Spreads `amount_cents` over the open instalments, oldest first (Fineract's
/// "past due, then due, then in advance" order; principal only at 0 %). With `due_by`,
/// only instalments due on or before that day take money (the automatic repayment takes
/// what is due, never in advance). Returns (index, cents) for each instalment paid, never
/// more than `amount_cents` in all, never more than an instalment's remaining amount.
pub fn allocate(open: &[Open], amount_cents: i64, due_by: Option<Date>) -> Vec<(usize, i64)> {
    let mut left = amount_cents.max(0);
    let mut order: Vec<usize> = (0..open.len()).collect();
    order.sort_by_key(|i| open[*i].due_on);
    let mut out = Vec::new();
    for i in order {
        if left == 0 {
            break;
        }
        let o = open[i];
        if o.remaining_cents <= 0 || due_by.is_some_and(|d| o.due_on > d) {
            continue;
        }
        let take = o.remaining_cents.min(left);
        left -= take;
        out.push((i, take));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]

    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn five_thousand_over_24_months_is_23_times_208_33_and_208_41() {
        let s = schedule(5_000_00, 24, date(2026, 1, 31)).unwrap();
        assert_eq!(s.len(), 24);
        assert!(s[..23].iter().all(|i| i.principal_cents == 208_33));
        assert_eq!(s[23].principal_cents, 208_41);
        assert_eq!(s.iter().map(|i| i.principal_cents).sum::<i64>(), 5_000_00);
    }

    #[test]
    fn the_average_loan_4897_14_over_24_is_23_times_204_05_and_203_99() {
        // reference/employment.md §6.1: 204.0475 rounds half-up to 204.05; the last
        // instalment is then smaller than the others.
        let s = schedule(4_897_14, 24, date(2026, 1, 15)).unwrap();
        assert!(s[..23].iter().all(|i| i.principal_cents == 204_05));
        assert_eq!(s[23].principal_cents, 203_99);
    }

    #[test]
    fn half_a_cent_rounds_up() {
        assert_eq!(regular_instalment(1_00, 8), 13); // 12.5 → 13
        assert_eq!(regular_instalment(1_00, 3), 33); // 33.33 → 33
    }

    #[test]
    fn due_dates_are_monthly_from_the_first_and_never_drift() {
        let s = schedule(3_00, 3, date(2026, 1, 31)).unwrap();
        let days: Vec<Date> = s.iter().map(|i| i.due_on).collect();
        assert_eq!(
            days,
            vec![date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
        );
    }

    #[test]
    fn a_schedule_that_cannot_be_made_is_refused() {
        assert_eq!(
            schedule(0, 3, date(2026, 1, 1)),
            Err(ScheduleError::NoPrincipal)
        );
        assert_eq!(
            schedule(100, 0, date(2026, 1, 1)),
            Err(ScheduleError::NoInstalment)
        );
        // 2 cents over 4: 0.5 rounds to 1, and the last would be −1.
        assert_eq!(
            schedule(2, 4, date(2026, 1, 1)),
            Err(ScheduleError::PrincipalTooSmall)
        );
    }

    #[test]
    fn a_repayment_pays_the_oldest_instalment_first_and_no_more_than_given() {
        let open = [
            Open {
                due_on: date(2026, 3, 1),
                remaining_cents: 100,
            },
            Open {
                due_on: date(2026, 1, 1),
                remaining_cents: 40,
            },
            Open {
                due_on: date(2026, 2, 1),
                remaining_cents: 100,
            },
        ];
        assert_eq!(allocate(&open, 90, None), vec![(1, 40), (2, 50)]);
        assert_eq!(
            allocate(&open, 1_000, None),
            vec![(1, 40), (2, 100), (0, 100)]
        );
    }

    #[test]
    fn an_automatic_repayment_never_pays_in_advance() {
        let open = [
            Open {
                due_on: date(2026, 1, 1),
                remaining_cents: 40,
            },
            Open {
                due_on: date(2026, 2, 1),
                remaining_cents: 100,
            },
        ];
        assert_eq!(
            allocate(&open, 1_000, Some(date(2026, 1, 20))),
            vec![(0, 40)]
        );
        assert!(allocate(&open, 1_000, Some(date(2025, 12, 31))).is_empty());
    }

    proptest! {
        #[test]
        fn any_schedule_adds_up_to_the_principal(p in 1_00i64..100_000_00, n in 1u32..=120) {
            if let Ok(s) = schedule(p, n, date(2026, 1, 1)) {
                prop_assert_eq!(s.iter().map(|i| i.principal_cents).sum::<i64>(), p);
                prop_assert!(s.iter().all(|i| i.principal_cents > 0));
                let regular = regular_instalment(p, n);
                prop_assert!(s[..s.len() - 1].iter().all(|i| i.principal_cents == regular));
            }
        }
    }
}
