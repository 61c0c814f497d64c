//! The volumes of a generated year at a scale, and the exact split of a total into parts.

use rand::Rng;
use rand::rngs::StdRng;

/// The reference year's figures (MISSION.md, "The reference year").
pub const EMPLOYEES: i64 = 20_077;
pub const CONTRACTS: i64 = 208_014;
pub const HOURS: i64 = 4_539_177;
pub const INVOICES: i64 = 200_000;
/// About 194 M€ of turnover, excluding VAT, in cents.
pub const TURNOVER_CENTS: i64 = 19_400_000_000;
pub const OFFICES: i64 = 9;
pub const ADVISORS: i64 = 82;
/// Client records (companies and consumers): one for every four invoices.
pub const CLIENTS: i64 = 50_000;

/// What one generation writes, from `--scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volumes {
    pub offices: i64,
    pub advisors: i64,
    /// Members, each holding one activity and working under its contracts.
    pub members: i64,
    pub clients: i64,
    pub invoices: i64,
    pub turnover_cents: i64,
    pub contracts: i64,
    pub hours: i64,
}

/// `round(x · scale)`, at least `min`.
pub fn scaled(x: i64, scale: f64, min: i64) -> i64 {
    // The reference figures are below 2^53: the product is exact enough to round.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let v = (x as f64 * scale).round() as i64;
    v.max(min)
}

impl Volumes {
    pub fn at(scale: f64) -> Volumes {
        let members = scaled(EMPLOYEES, scale, 1);
        let contracts = scaled(CONTRACTS, scale, 1).max(members);
        Volumes {
            offices: OFFICES,
            // At least one advisor per office at any scale.
            advisors: scaled(ADVISORS, scale, OFFICES),
            members,
            clients: scaled(CLIENTS, scale, 1),
            invoices: scaled(INVOICES, scale, 1),
            turnover_cents: scaled(TURNOVER_CENTS, scale, 1),
            contracts,
            // At least one hour per contract.
            hours: scaled(HOURS, scale, 1).max(contracts),
        }
    }
}

/// Splits `total` into `n` positive parts that add up to exactly `total`, each around
/// `total / n` (between a half and one and a half of it before the last correction).
/// `total >= n` is required; `n == 0` gives nothing.
pub fn split_exact(rng: &mut StdRng, total: i64, n: usize) -> Vec<i64> {
    if n == 0 {
        return Vec::new();
    }
    let count = i64::try_from(n).unwrap_or(i64::MAX);
    debug_assert!(total >= count);
    let weights: Vec<u32> = (0..n).map(|_| rng.random_range(50..=150)).collect();
    let weight_sum: i64 = weights.iter().map(|w| i64::from(*w)).sum();
    // Each part gets 1, then its weighted share of the rest, rounded down.
    let rest = total - count;
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| {
            let share = i128::from(rest) * i128::from(*w) / i128::from(weight_sum);
            1 + i64::try_from(share).unwrap_or(0)
        })
        .collect();
    // What rounding down left over (less than n): one more to the first parts.
    let missing = total - parts.iter().sum::<i64>();
    debug_assert!((0..count).contains(&missing));
    for p in parts.iter_mut().take(usize::try_from(missing).unwrap_or(0)) {
        *p += 1;
    }
    debug_assert_eq!(parts.iter().sum::<i64>(), total);
    parts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn volumes_at_scale_one_are_the_reference_year() {
        let v = Volumes::at(1.0);
        assert_eq!(
            (v.members, v.contracts, v.hours, v.offices, v.advisors),
            (20_077, 208_014, 4_539_177, 9, 82)
        );
        let small = Volumes::at(0.005);
        assert_eq!(
            (small.members, small.contracts, small.hours, small.advisors),
            (100, 1_040, 22_696, 9)
        );
    }

    #[test]
    fn a_split_adds_up_exactly() {
        let mut rng = StdRng::seed_from_u64(1);
        for (total, n) in [(22_696, 1_040), (7, 7), (4_539_177, 208_014), (100, 3)] {
            let parts = split_exact(&mut rng, total, n);
            assert_eq!(parts.len(), n);
            assert_eq!(parts.iter().sum::<i64>(), total);
            assert!(parts.iter().all(|p| *p >= 1));
        }
    }
}
