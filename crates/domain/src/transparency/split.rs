//! A member's contribution split pro rata of the cooperative's spending, to the cent.
//!
//! **The rounding rule (largest remainder, Hamilton's method).** Each category's share is
//! `contribution × spending of the category ÷ total spending`, floored to the cent; the
//! cents left over (fewer than the number of categories) go one each to the categories with
//! the largest remainders of that division, ties going to the category listed first (its
//! published position). The shares therefore always sum exactly to the contribution paid,
//! and no share is more than one cent away from its exact value.

/// Splits `total_cents` pro rata of `weights` (in the categories' order) with the
/// largest-remainder rule. A negative weight (a category whose reversals exceed its
/// spending) counts as zero. `None` when no weight is positive: there is nothing to split
/// by, and the page says so rather than invent a split. A negative total (a year where
/// reversals of contributions exceed the charges) is split the same way, every share
/// negative.
pub fn largest_remainder_split(total_cents: i64, weights: &[i64]) -> Option<Vec<i64>> {
    let weights: Vec<i128> = weights.iter().map(|w| i128::from((*w).max(0))).collect();
    let sum: i128 = weights.iter().sum();
    if sum <= 0 {
        return None;
    }
    let sign: i128 = if total_cents < 0 { -1 } else { 1 };
    let total = i128::from(total_cents).abs();
    let mut shares: Vec<i128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = total * w;
        shares.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let given: i128 = shares.iter().sum();
    let left = usize::try_from(total - given).ok()?;
    // Largest remainder first; on a tie the earlier category.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().take(left) {
        if let Some(s) = shares.get_mut(i) {
            *s += 1;
        }
    }
    shares
        .into_iter()
        .map(|s| i64::try_from(s * sign).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_contribution_is_split_to_the_cent_with_the_largest_remainders() {
        // 100 cents over three equal categories: 33,33,33 and one cent left to the first.
        assert_eq!(
            largest_remainder_split(100, &[1, 1, 1]).unwrap(),
            vec![34, 33, 33]
        );
        // 10 cents over 1:2:3 → exact 1.67, 3.33, 5 → 1, 3, 5 floored, 1 cent to 1.67.
        assert_eq!(
            largest_remainder_split(10, &[1, 2, 3]).unwrap(),
            vec![2, 3, 5]
        );
        assert_eq!(largest_remainder_split(0, &[5, 5]).unwrap(), vec![0, 0]);
        assert_eq!(
            largest_remainder_split(-100, &[1, 1, 1]).unwrap(),
            vec![-34, -33, -33]
        );
    }

    #[test]
    fn a_year_without_spending_has_no_split() {
        assert_eq!(largest_remainder_split(100, &[]), None);
        assert_eq!(largest_remainder_split(100, &[0, 0]), None);
        assert_eq!(largest_remainder_split(100, &[-5, 0]), None);
    }

    #[test]
    fn a_negative_category_gets_nothing() {
        assert_eq!(largest_remainder_split(99, &[-10, 3]).unwrap(), vec![0, 99]);
    }

    proptest! {
        #[test]
        fn the_shares_sum_to_the_contribution_and_stay_within_a_cent(
            total in -10_000_000_000i64..10_000_000_000,
            weights in proptest::collection::vec(0i64..1_000_000_000_000, 1..12),
        ) {
            let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            match largest_remainder_split(total, &weights) {
                None => prop_assert_eq!(sum, 0),
                Some(shares) => {
                    prop_assert_eq!(shares.len(), weights.len());
                    prop_assert_eq!(shares.iter().sum::<i64>(), total);
                    for (s, w) in shares.iter().zip(&weights) {
                        let exact = i128::from(total) * i128::from(*w);
                        let scaled = i128::from(*s) * sum;
                        prop_assert!((scaled - exact).abs() < sum, "share {} of weight {}", s, w);
                        if *w == 0 { prop_assert_eq!(*s, 0); }
                    }
                }
            }
        }
    }
}
