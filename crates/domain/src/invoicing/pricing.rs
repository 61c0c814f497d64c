//! The pricing helper: what to charge so that, once the cooperative has kept its
//! contribution (6.5 % of turnover by default, `rules/contribution.toml`), the activity's
//! budget receives the cost the member needs to cover.

/// Basis points in 100 %.
const FULL_BP: i128 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("a contribution rate of {rate_bp} bp leaves nothing for the budget")]
    RateTooHigh { rate_bp: u32 },
    #[error("the cost cannot be negative")]
    NegativeCost,
    #[error("the price is too large")]
    TooLarge,
}

/// The price, VAT excluded, in cents: `cost ÷ (1 − rate)`, rounded **up** to the cent so that
/// the budget is never short. `rate_bp` in basis points (650 = 6.5 %); 100 % or more is
/// refused, since nothing would reach the budget.
pub fn price_for_cost(cost_cents: i64, contribution_rate_bp: u32) -> Result<i64, PricingError> {
    if cost_cents < 0 {
        return Err(PricingError::NegativeCost);
    }
    let remaining_bp = FULL_BP - i128::from(contribution_rate_bp);
    if remaining_bp <= 0 {
        return Err(PricingError::RateTooHigh {
            rate_bp: contribution_rate_bp,
        });
    }
    // Ceiling division on non-negative integers; i128 cannot overflow here.
    let numerator = i128::from(cost_cents) * FULL_BP;
    let price = (numerator + remaining_bp - 1) / remaining_bp;
    i64::try_from(price).map_err(|_| PricingError::TooLarge)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rust_decimal::{Decimal, RoundingStrategy};

    /// The contribution kept on a price, rounded half away from zero like every amount.
    fn contribution(price_cents: i64, rate_bp: u32) -> i64 {
        (Decimal::from(price_cents) * Decimal::from(rate_bp) / Decimal::from(10_000))
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .try_into()
            .unwrap()
    }

    #[test]
    fn a_cost_of_1000_euros_at_6_5_percent_is_priced_1069_52() {
        // 1,000.00 ÷ 0.935 = 1,069.518… → 1,069.52 (rounded up).
        assert_eq!(price_for_cost(100_000, 650), Ok(106_952));
        // The budget then receives 1,069.52 − 69.52 = 1,000.00.
        assert_eq!(106_952 - contribution(106_952, 650), 100_000);
    }

    #[test]
    fn without_contribution_the_price_is_the_cost() {
        assert_eq!(price_for_cost(100_000, 0), Ok(100_000));
        assert_eq!(price_for_cost(0, 650), Ok(0));
    }

    #[test]
    fn a_contribution_of_100_percent_or_more_is_refused() {
        assert_eq!(
            price_for_cost(100_000, 10_000),
            Err(PricingError::RateTooHigh { rate_bp: 10_000 })
        );
        assert_eq!(
            price_for_cost(100_000, 12_000),
            Err(PricingError::RateTooHigh { rate_bp: 12_000 })
        );
        assert_eq!(price_for_cost(100_000, 9_999), Ok(1_000_000_000));
    }

    #[test]
    fn a_negative_cost_is_refused() {
        assert_eq!(price_for_cost(-1, 650), Err(PricingError::NegativeCost));
    }

    #[test]
    fn a_price_that_does_not_fit_is_refused() {
        assert_eq!(price_for_cost(i64::MAX, 650), Err(PricingError::TooLarge));
    }

    proptest::proptest! {
        #[test]
        fn the_budget_is_never_short_and_never_a_cent_too_rich(
            cost in 0i64..10_000_000_000, rate in 0u32..5_000,
        ) {
            let price = price_for_cost(cost, rate).unwrap();
            // Never short: what is left after the contribution covers the cost.
            proptest::prop_assert!(price - contribution(price, rate) >= cost);
            // The smallest such price: one cent less would leave the budget short before
            // rounding the contribution.
            proptest::prop_assert!(
                i128::from(price - 1) * i128::from(10_000 - rate) < i128::from(cost) * 10_000
            );
        }
    }
}
