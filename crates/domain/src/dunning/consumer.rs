//! The consumer (B2C) rules of the Code of Economic Law, Book XIX "Consumer debts" (law of
//! 4 May 2023, in force 1 September 2023): the free first reminder, the 14-day waiting
//! period and the caps on damages and reminder fees.

use jiff::ToSpan;
use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::Channel;
use super::calendar::nth_working_day_after;

/// The most a further reminder may cost a consumer, postage excluded (art. XIX.2 §2).
pub const B2C_MAX_REMINDER_FEE_CENTS: i64 = 750;
/// The waiting period after the first reminder, in calendar days (art. XIX.2 §1).
pub const B2C_WAITING_DAYS: i64 = 14;

/// The maximum lump-sum damages for an outstanding balance of `balance_cents` (art. XIX.4):
/// ≤ 150 € → 20 €; 150.01–500 € → 30 € + 10 % of the part above 150 €; > 500 € → 65 € + 5 %
/// of the part above 500 €, never more than 2,000 €. A cap: any fraction of a cent is dropped,
/// so the amount claimed never exceeds it.
pub fn b2c_damages_cap_cents(balance_cents: i64) -> i64 {
    let cents = |d: Decimal| {
        d.round_dp_with_strategy(0, RoundingStrategy::ToZero)
            .to_string()
            .parse::<i64>()
            .unwrap_or(0)
    };
    if balance_cents <= 0 {
        0
    } else if balance_cents <= 15_000 {
        2_000
    } else if balance_cents <= 50_000 {
        3_000 + cents(Decimal::from(balance_cents - 15_000) / Decimal::from(10))
    } else {
        (6_500 + cents(Decimal::from(balance_cents - 50_000) / Decimal::from(20))).min(200_000)
    }
}

/// The fee a consumer may be charged for a further reminder: the configured fee, never more
/// than 7.50 € plus the postage of a letter (art. XIX.2 §2).
pub fn b2c_reminder_fee_cents(configured_cents: i64, postage_cents: i64) -> i64 {
    configured_cents.clamp(0, B2C_MAX_REMINDER_FEE_CENTS) + postage_cents.max(0)
}

/// The 14-day waiting period opened by a consumer's first reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingPeriod {
    /// The first day of the 14.
    pub starts_on: Date,
    /// The first day any cost, damages or interest may be charged.
    pub costs_from: Date,
}

/// The waiting period of a first reminder sent on `sent_on` by `channel`, for an invoice due
/// on `due`. It starts the day after an e-mail, or on the third working day after a letter
/// is posted (art. XIX.2 §1). Costs may be charged from `max(due + 1, start + 14)`
/// (reference/dunning.md §3; the count of the last day is an open point there: this reading
/// lets the 14 days S … S+13 pass in full).
pub fn waiting_period(sent_on: Date, channel: Channel, due: Date) -> WaitingPeriod {
    let starts_on = match channel {
        Channel::Email => sent_on.saturating_add(1.day()),
        Channel::Letter => nth_working_day_after(sent_on, 3),
    };
    let costs_from = starts_on
        .saturating_add(B2C_WAITING_DAYS.days())
        .max(due.saturating_add(1.day()));
    WaitingPeriod {
        starts_on,
        costs_from,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_damages_cap_follows_every_reference_vector() {
        for (balance, cap) in [
            (12_000, 2_000),
            (15_000, 2_000),
            (15_001, 3_000),
            (40_000, 5_500),
            (50_000, 6_500),
            (120_000, 10_000),
            (3_850_000, 196_500),
            (5_000_000, 200_000),
        ] {
            assert_eq!(b2c_damages_cap_cents(balance), cap, "balance {balance}");
        }
    }

    #[test]
    fn nothing_is_owed_on_a_settled_balance() {
        assert_eq!(b2c_damages_cap_cents(0), 0);
        assert_eq!(b2c_damages_cap_cents(-500), 0);
    }

    #[test]
    fn a_further_reminder_costs_at_most_seven_fifty_plus_postage() {
        assert_eq!(b2c_reminder_fee_cents(2_500, 0), 750);
        assert_eq!(b2c_reminder_fee_cents(2_500, 150), 900);
        assert_eq!(b2c_reminder_fee_cents(500, 150), 650);
        assert_eq!(b2c_reminder_fee_cents(-1, 0), 0);
    }

    #[test]
    fn an_email_opens_the_period_the_next_day() {
        let p = waiting_period(date(2026, 3, 4), Channel::Email, date(2026, 2, 25));
        assert_eq!(p.starts_on, date(2026, 3, 5));
        assert_eq!(p.costs_from, date(2026, 3, 19));
    }

    #[test]
    fn a_letter_opens_the_period_on_the_third_working_day() {
        // Posted Wednesday 4 March 2026: Thu 5, Fri 6, Mon 9.
        let p = waiting_period(date(2026, 3, 4), Channel::Letter, date(2026, 2, 25));
        assert_eq!(p.starts_on, date(2026, 3, 9));
        assert_eq!(p.costs_from, date(2026, 3, 23));
        // Posted Friday 3 April 2026: Easter Monday 6 April is skipped.
        let p = waiting_period(date(2026, 4, 3), Channel::Letter, date(2026, 3, 20));
        assert_eq!(p.starts_on, date(2026, 4, 9));
        assert_eq!(p.costs_from, date(2026, 4, 23));
    }

    #[test]
    fn costs_never_start_before_the_day_after_the_due_date() {
        // A first reminder sent well before the due date (a pre-due reminder).
        let p = waiting_period(date(2026, 3, 1), Channel::Email, date(2026, 4, 30));
        assert_eq!(p.costs_from, date(2026, 5, 1));
    }
}
