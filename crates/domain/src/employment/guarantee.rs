//! The salary guarantee (MISSION.md C2; anchors.md "Guarantees"): work covered by a client's
//! confirmed order is paid within 7 working days even if the client has not paid yet. When
//! the activity's available budget cannot cover a contract's employer cost, the mutual
//! guarantee fund advances what is missing — if the contract names an order confirmation
//! (a quote the client accepted) from a client in the EU, within what that order will bring
//! and within the outstanding limits per activity and per client of the day's rules. The
//! advance is repaid from the client's payment of the invoice made from that quote; if the
//! invoice is written off, the fund bears what stays unpaid.

use serde::Serialize;

use super::rules::EmploymentRules;

/// The EU Member States (ISO 3166-1 alpha-2): the clients whose orders the guarantee covers.
pub const EU_COUNTRIES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The order confirmation a contract relies on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// The quote was accepted by the client.
    pub accepted: bool,
    /// The client's country (ISO 3166-1 alpha-2).
    pub client_country: String,
    /// What the order brings the activity, VAT excluded.
    pub net_cents: i64,
    /// What the fund already advanced on this order and is not repaid.
    pub advanced_cents: i64,
}

/// Everything the decision needs, in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub available_cents: i64,
    pub employer_cost_cents: i64,
    pub order: Option<Order>,
    /// Advances outstanding for the activity, and for the order's client.
    pub outstanding_activity_cents: i64,
    pub outstanding_client_cents: i64,
}

/// How a contract's employer cost is funded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "funding", rename_all = "kebab-case")]
pub enum Funding {
    /// The available budget covers it.
    Budget,
    /// The fund advances `advance_cents`; the budget covers the rest.
    Guaranteed { advance_cents: i64 },
}

/// Why a contract the budget cannot cover is refused; each a translated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "the available budget does not cover the employer cost, and no order confirmation is named"
    )]
    InsufficientBudget,
    #[error("the order named was not accepted by the client")]
    OrderNotAccepted,
    #[error("the guarantee covers orders from clients in the EU only")]
    ClientOutsideEu,
    #[error("the advance would pass what the order brings")]
    OverOrder,
    #[error("the advance would pass the guarantee limit of the activity")]
    OverActivityLimit,
    #[error("the advance would pass the guarantee limit of the client")]
    OverClientLimit,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::InsufficientBudget => "contract-insufficient-budget",
            Refusal::OrderNotAccepted => "guarantee-order-not-accepted",
            Refusal::ClientOutsideEu => "guarantee-client-outside-eu",
            Refusal::OverOrder => "guarantee-over-order",
            Refusal::OverActivityLimit => "guarantee-over-activity-limit",
            Refusal::OverClientLimit => "guarantee-over-client-limit",
        }
    }
}

/// The decision: the budget, the fund, or a refusal with its rule.
pub fn decide(r: &Request, limits: &EmploymentRules) -> Result<Funding, Refusal> {
    let missing = r.employer_cost_cents - r.available_cents.max(0);
    if missing <= 0 {
        return Ok(Funding::Budget);
    }
    let order = r.order.as_ref().ok_or(Refusal::InsufficientBudget)?;
    if !order.accepted {
        return Err(Refusal::OrderNotAccepted);
    }
    if !EU_COUNTRIES.contains(&order.client_country.as_str()) {
        return Err(Refusal::ClientOutsideEu);
    }
    if order.advanced_cents + missing > order.net_cents {
        return Err(Refusal::OverOrder);
    }
    if r.outstanding_activity_cents + missing > limits.guarantee_limit_activity_cents {
        return Err(Refusal::OverActivityLimit);
    }
    if r.outstanding_client_cents + missing > limits.guarantee_limit_client_cents {
        return Err(Refusal::OverClientLimit);
    }
    Ok(Funding::Guaranteed {
        advance_cents: missing,
    })
}

/// What a client's payment (its net share credited to the budget) repays of the advances of
/// its order, oldest first: `(advance index, amount)` for each advance it touches.
pub fn repayments(outstanding: &[i64], credited_cents: i64) -> Vec<(usize, i64)> {
    let mut left = credited_cents.max(0);
    let mut out = Vec::new();
    for (i, due) in outstanding.iter().enumerate() {
        if left == 0 {
            break;
        }
        let part = (*due).min(left);
        if part > 0 {
            out.push((i, part));
            left -= part;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::employment::rules::rules_on;
    use jiff::civil::date;

    fn request(available: i64, cost: i64, order: Option<Order>) -> Request {
        Request {
            available_cents: available,
            employer_cost_cents: cost,
            order,
            outstanding_activity_cents: 0,
            outstanding_client_cents: 0,
        }
    }

    fn order(country: &str) -> Order {
        Order {
            accepted: true,
            client_country: country.into(),
            net_cents: 300_000,
            advanced_cents: 0,
        }
    }

    #[test]
    fn the_budget_pays_when_it_can() {
        let l = rules_on(date(2026, 3, 2)).unwrap();
        assert_eq!(
            decide(&request(100_000, 100_000, None), l),
            Ok(Funding::Budget)
        );
        assert_eq!(
            decide(&request(99_999, 100_000, None), l),
            Err(Refusal::InsufficientBudget)
        );
    }

    #[test]
    fn a_confirmed_eu_order_lets_the_fund_advance_what_is_missing() {
        let l = rules_on(date(2026, 3, 2)).unwrap();
        assert_eq!(
            decide(&request(40_000, 100_000, Some(order("FR"))), l),
            Ok(Funding::Guaranteed {
                advance_cents: 60_000
            })
        );
        // A negative budget counts as nothing available, not as more missing.
        assert_eq!(
            decide(&request(-5_000, 100_000, Some(order("BE"))), l),
            Ok(Funding::Guaranteed {
                advance_cents: 100_000
            })
        );
        assert_eq!(
            decide(&request(0, 100_000, Some(order("CH"))), l),
            Err(Refusal::ClientOutsideEu)
        );
        let mut unsigned = order("BE");
        unsigned.accepted = false;
        assert_eq!(
            decide(&request(0, 100_000, Some(unsigned)), l),
            Err(Refusal::OrderNotAccepted)
        );
    }

    #[test]
    fn the_limits_bind() {
        let l = rules_on(date(2026, 3, 2)).unwrap();
        let mut o = order("BE");
        o.advanced_cents = 250_000;
        assert_eq!(
            decide(&request(0, 60_000, Some(o)), l),
            Err(Refusal::OverOrder)
        );
        let mut r = request(0, 100_000, Some(order("BE")));
        r.outstanding_activity_cents = l.guarantee_limit_activity_cents - 99_999;
        assert_eq!(decide(&r, l), Err(Refusal::OverActivityLimit));
        r.outstanding_activity_cents = 0;
        r.outstanding_client_cents = l.guarantee_limit_client_cents - 100_000;
        assert_eq!(
            decide(&r, l),
            Ok(Funding::Guaranteed {
                advance_cents: 100_000
            })
        );
        r.outstanding_client_cents += 1;
        assert_eq!(decide(&r, l), Err(Refusal::OverClientLimit));
    }

    #[test]
    fn payments_repay_the_oldest_advances_first() {
        assert_eq!(repayments(&[500, 300], 600), vec![(0, 500), (1, 100)]);
        assert_eq!(repayments(&[500, 300], 2_000), vec![(0, 500), (1, 300)]);
        assert_eq!(repayments(&[0, 300], 100), vec![(1, 100)]);
        assert!(repayments(&[500], 0).is_empty());
    }
}
