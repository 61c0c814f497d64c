//! Internal trade (MISSION.md, C2): one activity buys from another under the same
//! cooperative. Nothing leaves the cooperative, so there is no invoice, no VAT and no
//! contribution: once the buyer agrees, the amount moves from the buyer's budget to the
//! seller's in one ledger transaction (`internal-trade`).
//!
//! The seller's holder proposes; a holder of the buyer accepts or declines; the proposer may
//! cancel while the trade is still proposed. Every other change is refused.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::ledger::{
    AccountCode, LedgerError, MAX_AMOUNT_CENTS, MAX_MEMO_CHARS, NewTransaction, Posting,
    TransactionKind,
};
use crate::validate::FieldErrors;

/// The `source_type` of the ledger transaction of an accepted trade.
pub const SOURCE_TYPE: &str = "internal-trade";

/// The longest description: it becomes the ledger memo, with the trade's number before it.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

const _: () = assert!(MAX_DESCRIPTION_CHARS + 40 <= MAX_MEMO_CHARS);

/// Where a trade stands. Stored as its code: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TradeStatus {
    Proposed,
    Accepted,
    Declined,
    Cancelled,
}

/// What the two sides do to a proposed trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TradeEvent {
    /// A holder of the buyer agrees: the budget moves.
    Accept,
    /// A holder of the buyer refuses.
    Decline,
    /// The proposer withdraws the proposal.
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a trade that is {from:?} cannot be {event:?}ed")]
pub struct TradeTransitionRefused {
    pub from: TradeStatus,
    pub event: TradeEvent,
}

impl TradeStatus {
    pub const ALL: [TradeStatus; 4] = [
        TradeStatus::Proposed,
        TradeStatus::Accepted,
        TradeStatus::Declined,
        TradeStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TradeStatus::Proposed => "proposed",
            TradeStatus::Accepted => "accepted",
            TradeStatus::Declined => "declined",
            TradeStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TradeStatus> {
        TradeStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Only a proposed trade changes, once: accepted, declined and cancelled are final (an
    /// accepted trade is corrected by reversing its ledger transaction, never by editing).
    pub fn apply(self, event: TradeEvent) -> Result<TradeStatus, TradeTransitionRefused> {
        match (self, event) {
            (TradeStatus::Proposed, TradeEvent::Accept) => Ok(TradeStatus::Accepted),
            (TradeStatus::Proposed, TradeEvent::Decline) => Ok(TradeStatus::Declined),
            (TradeStatus::Proposed, TradeEvent::Cancel) => Ok(TradeStatus::Cancelled),
            (from, event) => Err(TradeTransitionRefused { from, event }),
        }
    }
}

impl TradeEvent {
    pub const ALL: [TradeEvent; 3] = [TradeEvent::Accept, TradeEvent::Decline, TradeEvent::Cancel];

    pub fn code(self) -> &'static str {
        match self {
            TradeEvent::Accept => "accept",
            TradeEvent::Decline => "decline",
            TradeEvent::Cancel => "cancel",
        }
    }

    pub fn parse(s: &str) -> Option<TradeEvent> {
        TradeEvent::ALL.into_iter().find(|e| e.code() == s)
    }
}

/// What the seller's holder types. The buyer is resolved by the caller (by name among the
/// active activities) before [`TradeForm::parse`] gets its id.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TradeForm {
    #[serde(default)]
    pub trade_buyer: String,
    #[serde(default)]
    pub trade_amount: String,
    #[serde(default)]
    pub trade_description: String,
}

/// A trade ready to be proposed: two distinct activities, a positive amount, a description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTrade {
    pub seller_activity_id: i64,
    pub buyer_activity_id: i64,
    pub description: String,
    pub amount_cents: i64,
}

impl NewTrade {
    /// Checks a trade given by ids and cents (the API), with the errors named after the
    /// API's fields.
    pub fn parse(
        seller_activity_id: i64,
        buyer_activity_id: i64,
        amount_cents: i64,
        description: &str,
    ) -> Result<NewTrade, FieldErrors> {
        let mut e = FieldErrors::new();
        let description = parse_description(&mut e, "description", description);
        check_amount(&mut e, "amount_cents", amount_cents);
        if buyer_activity_id == seller_activity_id {
            e.add("buyer_activity_id", "trade-same-activity");
        }
        e.into_result(|| NewTrade {
            seller_activity_id,
            buyer_activity_id,
            description,
            amount_cents,
        })
    }
}

impl TradeForm {
    /// The form of the page, with the buyer already resolved (`None`: no active activity
    /// of that name, reported by the caller).
    pub fn parse(
        &self,
        seller_activity_id: i64,
        buyer_activity_id: Option<i64>,
    ) -> Result<NewTrade, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.trade_buyer.trim().is_empty() {
            e.add("trade_buyer", "required");
        } else if buyer_activity_id == Some(seller_activity_id) {
            e.add("trade_buyer", "trade-same-activity");
        } else if buyer_activity_id.is_none() {
            e.add("trade_buyer", "trade-buyer-unknown");
        }
        let amount = if self.trade_amount.trim().is_empty() {
            e.add("trade_amount", "required");
            0
        } else {
            match parse_money(&self.trade_amount) {
                Some(cents) => {
                    check_amount(&mut e, "trade_amount", cents);
                    cents
                }
                None => {
                    e.add("trade_amount", "trade-amount");
                    0
                }
            }
        };
        let description = parse_description(&mut e, "trade_description", &self.trade_description);
        match buyer_activity_id {
            Some(buyer) if e.is_empty() => Ok(NewTrade {
                seller_activity_id,
                buyer_activity_id: buyer,
                description,
                amount_cents: amount,
            }),
            _ => Err(e),
        }
    }
}

fn check_amount(e: &mut FieldErrors, field: &'static str, cents: i64) {
    if cents <= 0 || cents > MAX_AMOUNT_CENTS {
        e.add(field, "trade-amount");
    }
}

/// One line of text (it becomes the ledger memo, where control characters are refused).
fn parse_description(e: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let text = e.required(field, value, MAX_DESCRIPTION_CHARS);
    if text.chars().any(char::is_control) {
        e.add(field, "format");
    }
    text
}

/// The ledger transaction of an accepted trade: the buyer's budget pays the seller's.
/// No VAT, no contribution: the money stays in the cooperative.
pub fn trade_transaction(
    trade_id: i64,
    trade: &NewTrade,
    on: Date,
) -> Result<NewTransaction, LedgerError> {
    NewTransaction::new(
        TransactionKind::InternalTrade,
        on,
        memo(trade_id, &trade.description),
        Some((SOURCE_TYPE.to_string(), trade_id)),
        vec![
            Posting::debit(
                AccountCode::ActivityBudget(trade.buyer_activity_id),
                trade.amount_cents,
            ),
            Posting::credit(
                AccountCode::ActivityBudget(trade.seller_activity_id),
                trade.amount_cents,
            ),
        ],
    )
}

fn memo(trade_id: i64, description: &str) -> String {
    format!("#{trade_id} {description}")
}

/// The buyer's budget pays for the trade only when it holds the whole amount: an internal
/// trade never makes a budget negative.
pub fn buyer_can_pay(available_cents: i64, amount_cents: i64) -> bool {
    available_cents >= amount_cents
}

/// What the name typed in the buyer field designates: `Name (#12)` (as the suggestions
/// write it) gives the id; any other text is a name to look up.
pub fn buyer_reference(typed: &str) -> BuyerReference {
    let typed = typed.trim();
    if let Some(open) = typed.rfind("(#")
        && let Some(digits) = typed.get(open + 2..).and_then(|r| r.strip_suffix(')'))
        && let Ok(id) = digits.parse::<i64>()
        && id > 0
    {
        return BuyerReference::Id(id);
    }
    if let Some(digits) = typed.strip_prefix('#')
        && let Ok(id) = digits.parse::<i64>()
        && id > 0
    {
        return BuyerReference::Id(id);
    }
    BuyerReference::Name(typed.to_string())
}

/// See [`buyer_reference`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuyerReference {
    Id(i64),
    Name(String),
}

/// How the suggestions write an activity, for [`buyer_reference`] to read back.
pub fn buyer_label(name: &str, id: i64) -> String {
    format!("{name} (#{id})")
}

#[cfg(test)]
mod tests {
    // Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]

    use jiff::civil::date;

    use super::*;

    fn form(buyer: &str, amount: &str, description: &str) -> TradeForm {
        TradeForm {
            trade_buyer: buyer.into(),
            trade_amount: amount.into(),
            trade_description: description.into(),
        }
    }

    #[test]
    fn only_a_proposed_trade_is_accepted_declined_or_cancelled_and_only_once() {
        use TradeEvent::*;
        use TradeStatus::*;
        assert_eq!(Proposed.apply(Accept), Ok(Accepted));
        assert_eq!(Proposed.apply(Decline), Ok(Declined));
        assert_eq!(Proposed.apply(Cancel), Ok(Cancelled));
        for from in [Accepted, Declined, Cancelled] {
            for event in TradeEvent::ALL {
                assert_eq!(
                    from.apply(event),
                    Err(TradeTransitionRefused { from, event }),
                    "{from:?} {event:?}"
                );
            }
        }
        for s in TradeStatus::ALL {
            assert_eq!(TradeStatus::parse(s.code()), Some(s));
        }
        for e in TradeEvent::ALL {
            assert_eq!(TradeEvent::parse(e.code()), Some(e));
        }
    }

    #[test]
    fn a_trade_moves_the_amount_from_the_buyer_to_the_seller_without_vat_or_contribution() {
        let trade = form("Studio", "1.234,56", "Mixage de l'album")
            .parse(3, Some(8))
            .unwrap();
        assert_eq!(trade.amount_cents, 1_234_56);
        let tx = trade_transaction(41, &trade, date(2026, 11, 26)).unwrap();
        assert_eq!(tx.kind(), TransactionKind::InternalTrade);
        assert_eq!(tx.source(), Some((SOURCE_TYPE, 41)));
        assert_eq!(tx.memo(), "#41 Mixage de l'album");
        assert_eq!(
            tx.postings(),
            &[
                Posting::debit(AccountCode::ActivityBudget(8), 1_234_56),
                Posting::credit(AccountCode::ActivityBudget(3), 1_234_56),
            ]
        );
        assert_eq!(tx.amount_cents(), 1_234_56);
    }

    #[test]
    fn a_bad_trade_names_each_field() {
        let e = form("", "", "").parse(3, None).unwrap_err();
        assert_eq!(e.get("trade_buyer"), Some("required"));
        assert_eq!(e.get("trade_amount"), Some("required"));
        assert_eq!(e.get("trade_description"), Some("required"));
        let e = form("Moi", "-5", "x").parse(3, Some(3)).unwrap_err();
        assert_eq!(e.get("trade_buyer"), Some("trade-same-activity"));
        assert_eq!(e.get("trade_amount"), Some("trade-amount"));
        let e = form("Personne", "0", "x").parse(3, None).unwrap_err();
        assert_eq!(e.get("trade_buyer"), Some("trade-buyer-unknown"));
        assert_eq!(e.get("trade_amount"), Some("trade-amount"));
        let e = form("X", "douze", "a\u{0}b").parse(3, Some(4)).unwrap_err();
        assert_eq!(e.get("trade_amount"), Some("trade-amount"));
        assert_eq!(e.get("trade_description"), Some("format"));
        let long = "x".repeat(MAX_DESCRIPTION_CHARS + 1);
        let e = form("X", "1", &long).parse(3, Some(4)).unwrap_err();
        assert_eq!(e.get("trade_description"), Some("too-long"));
        let e = NewTrade::parse(3, 3, 0, " ").unwrap_err();
        assert_eq!(e.get("buyer_activity_id"), Some("trade-same-activity"));
        assert_eq!(e.get("amount_cents"), Some("trade-amount"));
        assert_eq!(e.get("description"), Some("required"));
        assert!(NewTrade::parse(3, 4, MAX_AMOUNT_CENTS + 1, "x").is_err());
        assert!(NewTrade::parse(3, 4, 1, "x").is_ok());
    }

    #[test]
    fn the_buyer_must_hold_the_whole_amount() {
        assert!(buyer_can_pay(100_00, 100_00));
        assert!(!buyer_can_pay(99_99, 100_00));
        assert!(!buyer_can_pay(-5_00, 1));
    }

    #[test]
    fn a_suggested_buyer_reads_back_as_its_id() {
        let label = buyer_label("Trio (jazz)", 12);
        assert_eq!(label, "Trio (jazz) (#12)");
        assert_eq!(buyer_reference(&label), BuyerReference::Id(12));
        assert_eq!(buyer_reference(" #7 "), BuyerReference::Id(7));
        assert_eq!(
            buyer_reference("Trio (jazz)"),
            BuyerReference::Name("Trio (jazz)".into())
        );
        assert_eq!(
            buyer_reference("Atelier (#0)"),
            BuyerReference::Name("Atelier (#0)".into())
        );
        assert_eq!(buyer_reference("#x"), BuyerReference::Name("#x".into()));
    }
}
