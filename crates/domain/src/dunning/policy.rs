//! Dunning policies: per buyer class, ordered levels shipped as data (`rules/dunning.toml`),
//! and the decision of which level is due for an invoice. The legal guards live here, in
//! code, so no configuration can switch them off.

use std::sync::LazyLock;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::consumer::{
    WaitingPeriod, b2c_damages_cap_cents, b2c_reminder_fee_cents, waiting_period,
};
use super::rates::{
    B2B_FLAT_COMPENSATION_CENTS, InterestComputation, RateError, RateTable, b2b_interest,
};
use super::{BuyerClass, Channel};

/// One level of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub level: u8,
    pub days_after_due: i64,
    pub channel: Channel,
    #[serde(default)]
    pub fee_cents: i64,
    #[serde(default)]
    pub postage_cents: i64,
    #[serde(default)]
    pub interest: bool,
    #[serde(default)]
    pub compensation: bool,
    #[serde(default)]
    pub damages: bool,
    #[serde(default, rename = "final")]
    pub is_final: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub class: BuyerClass,
    #[serde(rename = "level")]
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySet {
    pub version: String,
    #[serde(rename = "policy")]
    pub policies: Vec<Policy>,
}

impl PolicySet {
    pub fn parse(text: &str) -> Result<PolicySet, String> {
        let set: PolicySet = toml::from_str(text).map_err(|e| e.to_string())?;
        for class in [BuyerClass::B2b, BuyerClass::B2c] {
            let policy = set
                .policies
                .iter()
                .find(|p| p.class == class)
                .ok_or_else(|| format!("no {} policy", class.code()))?;
            if policy.levels.is_empty() || policy.levels.len() > 10 {
                return Err(format!("{}: between 1 and 10 levels", class.code()));
            }
            for pair in policy.levels.windows(2) {
                if pair[1].level <= pair[0].level || pair[1].days_after_due < pair[0].days_after_due
                {
                    return Err(format!(
                        "{}: levels must be ordered by rank and delay",
                        class.code()
                    ));
                }
            }
        }
        Ok(set)
    }

    /// The policy of a buyer class (both exist: checked when parsing).
    pub fn for_class(&self, class: BuyerClass) -> Option<&Policy> {
        self.policies.iter().find(|p| p.class == class)
    }
}

static POLICIES: LazyLock<Result<PolicySet, String>> =
    LazyLock::new(|| PolicySet::parse(include_str!("../../rules/dunning.toml")));

/// The shipped default policies.
pub fn policies() -> Result<&'static PolicySet, RateError> {
    POLICIES
        .as_ref()
        .map_err(|e| RateError::Unreadable(format!("dunning.toml: {e}")))
}

/// A reminder already sent for the invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentReminder {
    pub level: u8,
    pub sent_on: Date,
    pub channel: Channel,
}

/// What the run knows of one open invoice.
#[derive(Debug, Clone)]
pub struct Case<'a> {
    pub due_date: Date,
    pub open_cents: i64,
    /// The reminders sent before, any order.
    pub sent: &'a [SentReminder],
    pub blocked: bool,
    /// The client has an e-mail address; otherwise an e-mail level goes by letter.
    pub has_email: bool,
    pub as_of: Date,
}

/// The reminder due today and what it may claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueReminder {
    pub class: BuyerClass,
    pub level: u8,
    pub channel: Channel,
    pub is_final: bool,
    pub due_date: Date,
    pub sent_on: Date,
    pub open_cents: i64,
    pub fee_cents: i64,
    pub interest: Option<InterestComputation>,
    pub compensation_cents: i64,
    pub damages_cents: i64,
    /// B2C: the damages that will be claimed if the consumer does not pay within the period
    /// (first mandatory mention).
    pub announced_damages_cents: i64,
    /// B2C: the 14-day waiting period (opened by this reminder, or by the first one).
    pub waiting_period: Option<WaitingPeriod>,
    /// B2C first reminder: carries the four mandatory mentions of art. XIX.2.
    pub mandatory_mentions: bool,
}

impl DueReminder {
    /// Everything the reminder asks for: the open balance and what it claims on top.
    pub fn total_claimed_cents(&self) -> i64 {
        self.open_cents
            + self.fee_cents
            + self.interest.as_ref().map_or(0, |i| i.interest_cents)
            + self.compensation_cents
            + self.damages_cents
    }

    /// What it claims on top of the open balance (never added to the invoice itself).
    pub fn charges_cents(&self) -> i64 {
        self.total_claimed_cents() - self.open_cents
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Nothing is open: the invoice leaves the process.
    Settled,
    /// Disputed or paused: skipped, shown on the dashboard.
    Blocked,
    /// Every level was sent: the recovery procedure takes over.
    Exhausted,
    /// The next level falls due on that day.
    NotYet {
        level: u8,
        on: Date,
    },
    Send(Box<DueReminder>),
}

impl Policy {
    /// Decides which level, if any, is due for `case` on `case.as_of`, and what it may claim.
    pub fn decide(&self, case: &Case<'_>, rates: &RateTable) -> Result<Decision, RateError> {
        if case.open_cents <= 0 {
            return Ok(Decision::Settled);
        }
        if case.blocked {
            return Ok(Decision::Blocked);
        }
        let last = case.sent.iter().max_by_key(|s| (s.level, s.sent_on));
        let last_level = last.map_or(0, |s| s.level);
        let Some(next) = self.levels.iter().find(|l| l.level > last_level) else {
            return Ok(Decision::Exhausted);
        };
        let b2c = self.class == BuyerClass::B2c;
        // B2C: the first reminder is the first level, whatever the configuration, and it is
        // free (Code of Economic Law, art. XIX.2 §1).
        let first = case.sent.is_empty();
        let mut earliest = case.due_date.saturating_add(next.days_after_due.days());
        if let Some(prev) = last {
            // Keep the configured spacing after the previous reminder actually sent, and
            // never two reminders on one day.
            let prev_days = self
                .levels
                .iter()
                .find(|l| l.level == prev.level)
                .map_or(0, |l| l.days_after_due);
            let gap = (next.days_after_due - prev_days).max(1);
            earliest = earliest.max(prev.sent_on.saturating_add(gap.days()));
        }
        let first_sent = case.sent.iter().min_by_key(|s| (s.sent_on, s.level));
        let period = first_sent.map(|s| waiting_period(s.sent_on, s.channel, case.due_date));
        let charges = next.fee_cents > 0 || next.damages || next.interest || next.compensation;
        if b2c
            && !first
            && charges
            && let Some(p) = period
        {
            // B2C: no cost, damages or interest before the waiting period has ended
            // (art. XIX.2 §1): the level waits for it.
            earliest = earliest.max(p.costs_from);
        }
        if case.as_of < earliest {
            return Ok(Decision::NotYet {
                level: next.level,
                on: earliest,
            });
        }
        let channel = if next.channel == Channel::Email && !case.has_email {
            Channel::Letter
        } else {
            next.channel
        };
        let mut due = DueReminder {
            class: self.class,
            level: next.level,
            channel,
            is_final: next.is_final,
            due_date: case.due_date,
            sent_on: case.as_of,
            open_cents: case.open_cents,
            fee_cents: 0,
            interest: None,
            compensation_cents: 0,
            damages_cents: 0,
            announced_damages_cents: 0,
            waiting_period: None,
            mandatory_mentions: false,
        };
        if b2c {
            let cap = b2c_damages_cap_cents(case.open_cents);
            due.announced_damages_cents = if self.levels.iter().any(|l| l.damages) {
                cap
            } else {
                0
            };
            if first {
                due.mandatory_mentions = true;
                due.waiting_period = Some(waiting_period(case.as_of, channel, case.due_date));
            } else {
                due.waiting_period = period;
                let postage = if channel == Channel::Letter {
                    next.postage_cents
                } else {
                    0
                };
                due.fee_cents = b2c_reminder_fee_cents(next.fee_cents, postage);
                if next.damages {
                    due.damages_cents = cap;
                }
            }
        } else {
            // B2B: interest and the flat compensation are owed without formal notice from the
            // day after the due date (law of 2 Aug 2002, art. 5 and 6).
            due.fee_cents = next.fee_cents.max(0);
            if next.interest {
                due.interest = Some(b2b_interest(
                    rates,
                    case.open_cents,
                    case.due_date,
                    case.as_of,
                )?);
            }
            if next.compensation {
                due.compensation_cents = B2B_FLAT_COMPENSATION_CENTS;
            }
        }
        Ok(Decision::Send(Box::new(due)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::dunning::rates::rate_table;
    use jiff::civil::date;

    fn rates() -> &'static RateTable {
        rate_table().unwrap()
    }

    fn policy(class: BuyerClass) -> &'static Policy {
        policies().unwrap().for_class(class).unwrap()
    }

    fn case(due: Date, open: i64, sent: &[SentReminder], as_of: Date) -> Case<'_> {
        Case {
            due_date: due,
            open_cents: open,
            sent,
            blocked: false,
            has_email: true,
            as_of,
        }
    }

    fn send(d: Decision) -> DueReminder {
        match d {
            Decision::Send(r) => *r,
            other => panic!("expected a reminder, got {other:?}"),
        }
    }

    /// A B2C policy configured against the law: a fee and damages on the first level.
    fn greedy_b2c() -> Policy {
        Policy {
            class: BuyerClass::B2c,
            levels: vec![
                Level {
                    level: 1,
                    days_after_due: 1,
                    channel: Channel::Email,
                    fee_cents: 2500,
                    postage_cents: 0,
                    interest: true,
                    compensation: true,
                    damages: true,
                    is_final: false,
                },
                Level {
                    level: 2,
                    days_after_due: 2,
                    channel: Channel::Letter,
                    fee_cents: 2500,
                    postage_cents: 150,
                    interest: false,
                    compensation: false,
                    damages: true,
                    is_final: true,
                },
            ],
        }
    }

    #[test]
    fn the_shipped_policies_have_ordered_levels_for_both_classes() {
        let set = policies().unwrap();
        assert_eq!(set.for_class(BuyerClass::B2b).unwrap().levels.len(), 3);
        assert_eq!(
            set.for_class(BuyerClass::B2c).unwrap().levels[0].fee_cents,
            0
        );
        assert!(PolicySet::parse("version = \"x\"\npolicy = []").is_err());
    }

    #[test]
    fn nothing_is_sent_before_the_first_level_is_due() {
        let due = date(2026, 3, 1);
        let d = policy(BuyerClass::B2b)
            .decide(&case(due, 10_000, &[], date(2026, 3, 7)), rates())
            .unwrap();
        assert_eq!(
            d,
            Decision::NotYet {
                level: 1,
                on: date(2026, 3, 8)
            }
        );
    }

    #[test]
    fn a_paid_or_blocked_invoice_leaves_the_process() {
        let due = date(2026, 1, 1);
        let p = policy(BuyerClass::B2b);
        assert_eq!(
            p.decide(&case(due, 0, &[], date(2026, 6, 1)), rates()),
            Ok(Decision::Settled)
        );
        let mut c = case(due, 5_000, &[], date(2026, 6, 1));
        c.blocked = true;
        assert_eq!(p.decide(&c, rates()), Ok(Decision::Blocked));
    }

    #[test]
    fn a_b2b_first_reminder_announces_interest_and_the_forty_euros() {
        let due = date(2025, 12, 15);
        let r = send(
            policy(BuyerClass::B2b)
                .decide(&case(due, 100_000, &[], date(2026, 2, 13)), rates())
                .unwrap(),
        );
        assert_eq!(r.level, 1);
        assert_eq!(r.interest.as_ref().unwrap().interest_cents, 1726);
        assert_eq!(r.compensation_cents, 4000);
        assert_eq!(r.total_claimed_cents(), 100_000 + 1726 + 4000);
    }

    #[test]
    fn the_b2c_first_reminder_is_free_whatever_the_configuration() {
        let due = date(2026, 3, 1);
        let r = send(
            greedy_b2c()
                .decide(&case(due, 40_000, &[], date(2026, 3, 4)), rates())
                .unwrap(),
        );
        assert_eq!(r.level, 1);
        assert_eq!(r.charges_cents(), 0);
        assert!(r.mandatory_mentions);
        assert_eq!(r.announced_damages_cents, 5_500);
        assert_eq!(
            r.waiting_period,
            Some(WaitingPeriod {
                starts_on: date(2026, 3, 5),
                costs_from: date(2026, 3, 19)
            })
        );
    }

    #[test]
    fn no_b2c_cost_before_the_waiting_period_ends_per_channel() {
        let due = date(2026, 3, 1);
        let p = greedy_b2c();
        for (channel, costs_from) in [
            (Channel::Email, date(2026, 3, 19)),
            (Channel::Letter, date(2026, 3, 23)),
        ] {
            let sent = [SentReminder {
                level: 1,
                sent_on: date(2026, 3, 4),
                channel,
            }];
            let before = costs_from.saturating_sub(1.day());
            assert_eq!(
                p.decide(&case(due, 40_000, &sent, before), rates()),
                Ok(Decision::NotYet {
                    level: 2,
                    on: costs_from
                }),
                "{channel:?}"
            );
            let r = send(
                p.decide(&case(due, 40_000, &sent, costs_from), rates())
                    .unwrap(),
            );
            // The fee is capped at 7.50 + postage of the letter; damages at the scale.
            assert_eq!(r.fee_cents, 900);
            assert_eq!(r.damages_cents, 5_500);
            assert!(r.interest.is_none());
            assert_eq!(r.compensation_cents, 0);
        }
    }

    #[test]
    fn an_email_level_goes_by_letter_without_an_address() {
        let mut c = case(date(2026, 3, 1), 10_000, &[], date(2026, 3, 10));
        c.has_email = false;
        let r = send(policy(BuyerClass::B2b).decide(&c, rates()).unwrap());
        assert_eq!(r.channel, Channel::Letter);
    }

    #[test]
    fn levels_follow_each_other_and_never_twice_the_same() {
        let due = date(2026, 1, 1);
        let p = policy(BuyerClass::B2b);
        // A first run long after the due date sends level 1 only.
        let r = send(
            p.decide(&case(due, 10_000, &[], date(2026, 4, 1)), rates())
                .unwrap(),
        );
        assert_eq!(r.level, 1);
        let sent = [SentReminder {
            level: 1,
            sent_on: date(2026, 4, 1),
            channel: Channel::Email,
        }];
        // The same day again: level 2 waits for the configured spacing (21 − 7 days).
        assert_eq!(
            p.decide(&case(due, 10_000, &sent, date(2026, 4, 1)), rates()),
            Ok(Decision::NotYet {
                level: 2,
                on: date(2026, 4, 15)
            })
        );
        let r = send(
            p.decide(&case(due, 10_000, &sent, date(2026, 4, 15)), rates())
                .unwrap(),
        );
        assert_eq!(r.level, 2);
        let all = [
            sent[0],
            SentReminder {
                level: 2,
                sent_on: date(2026, 4, 15),
                channel: Channel::Email,
            },
            SentReminder {
                level: 3,
                sent_on: date(2026, 4, 29),
                channel: Channel::Letter,
            },
        ];
        assert_eq!(
            p.decide(&case(due, 10_000, &all, date(2026, 9, 1)), rates()),
            Ok(Decision::Exhausted)
        );
    }
}
