//! Reminders (dunning) with the law built in (reference/dunning.md).
//!
//! Two regimes, chosen by the buyer's class: a business client (B2B) owes the statutory
//! interest and the 40 € compensation from the day after the due date (law of 2 August 2002);
//! a consumer (B2C) gets a free first reminder carrying four mandatory mentions, then 14 days
//! during which nothing may be charged, and capped damages and fees (Code of Economic Law,
//! Book XIX). The levels of each policy are data (`rules/dunning.toml`); the legal guards are
//! code ([`policy`]) and cannot be configured away.

pub mod calendar;
pub mod consumer;
pub mod document;
pub mod policy;
pub mod rates;

use serde::{Deserialize, Serialize};

use crate::client::ClientKind;

pub use consumer::{
    B2C_MAX_REMINDER_FEE_CENTS, WaitingPeriod, b2c_damages_cap_cents, b2c_reminder_fee_cents,
    waiting_period,
};
pub use document::{ReminderDocument, ReminderSnapshot, SummaryLetter, SummaryLine};
pub use policy::{Case, Decision, DueReminder, Level, Policy, PolicySet, SentReminder, policies};
pub use rates::{
    B2B_FLAT_COMPENSATION_CENTS, InterestComputation, RateError, RatePeriod, RateTable,
    b2b_interest, rate_table,
};

/// Which legal regime applies to a buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuyerClass {
    /// An undertaking or a public authority: law of 2 August 2002.
    B2b,
    /// A consumer: Code of Economic Law, Book XIX.
    B2c,
}

impl BuyerClass {
    pub fn of(kind: ClientKind) -> BuyerClass {
        match kind {
            ClientKind::Company => BuyerClass::B2b,
            ClientKind::Consumer => BuyerClass::B2c,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            BuyerClass::B2b => "b2b",
            BuyerClass::B2c => "b2c",
        }
    }

    pub fn parse(s: &str) -> Option<BuyerClass> {
        match s.trim() {
            "b2b" => Some(BuyerClass::B2b),
            "b2c" => Some(BuyerClass::B2c),
            _ => None,
        }
    }
}

/// How a reminder reaches the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Letter,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Letter => "letter",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s.trim() {
            "email" => Some(Channel::Email),
            "letter" => Some(Channel::Letter),
            _ => None,
        }
    }
}

/// Checks that the dunning rules files load (called with the other rules checks at start).
pub fn check_rules_files() -> Result<(), String> {
    rate_table().map_err(|e| e.to_string())?;
    policies().map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_company_is_b2b_and_a_consumer_b2c() {
        assert_eq!(BuyerClass::of(ClientKind::Company), BuyerClass::B2b);
        assert_eq!(BuyerClass::of(ClientKind::Consumer), BuyerClass::B2c);
        assert_eq!(BuyerClass::parse("b2c"), Some(BuyerClass::B2c));
        assert_eq!(Channel::parse("letter"), Some(Channel::Letter));
        assert_eq!(Channel::parse("fax"), None);
    }

    #[test]
    fn the_rules_files_load() {
        assert_eq!(check_rules_files(), Ok(()));
    }
}
