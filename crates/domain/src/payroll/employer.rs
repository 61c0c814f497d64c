//! The employer side of a month's pay (employment.md §2.2): contributions, holiday pay, the
//! structural reduction, and the employer cost the activity's budget pays.

use rust_decimal::Decimal;

use super::params::{ParamSet, StructuralReduction};
use super::{Profile, WorkerStatus, round_cents};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct EmployerSide {
    pub onss: Decimal,
    pub extras: Decimal,
    pub holiday_pay: Decimal,
    pub holiday_pay_onss: Decimal,
    pub structural_reduction: Decimal,
    pub cost: Decimal,
}

/// The employer side of a gross `gross`, declared at `declared` (108 % of it for an
/// ouvrier), at work fraction `mu`, with `authors_rights` paid beside it.
pub(super) fn side(
    set: &ParamSet,
    profile: &Profile,
    gross: Decimal,
    declared: Decimal,
    mu: Decimal,
    authors_rights: Decimal,
) -> EmployerSide {
    let e = &set.employer;
    let onss = round_cents(declared * e.base_rate);
    let extras = round_cents(declared * e.extras_rate);
    let (holiday_pay, holiday_pay_onss) = match profile.status {
        // The employé's exit holiday pay, paid when the contract ends (AR 30/03/1967 art.
        // 46); its simple half bears the employer's contributions.
        WorkerStatus::Employee => (
            round_cents(gross * e.exit_holiday_pay_rate),
            round_cents(gross * e.exit_holiday_pay_simple_rate * (e.base_rate + e.extras_rate)),
        ),
        // The ouvrier's holiday pay is financed through the holiday fund: 15.84 % of 108 %.
        WorkerStatus::Manual => (
            round_cents(declared * e.manual_holiday_fund_rate),
            Decimal::ZERO,
        ),
    };
    // A reduction never exceeds the contributions it reduces.
    let structural_reduction = structural(&set.structural_reduction, declared, mu).min(onss);
    EmployerSide {
        onss,
        extras,
        holiday_pay,
        holiday_pay_onss,
        structural_reduction,
        cost: gross + onss + extras + holiday_pay + holiday_pay_onss - structural_reduction
            + authors_rights,
    }
}

/// A month's structural reduction (category 1): a third of the quarter's
/// Ps = R · µ · β, R = α·(S0 − S) + γ·(S2 − S) on the quarterly full-time reference wage S
/// (each term only while positive). β is 0 below µ 0.275, so most short contracts get none.
fn structural(sr: &StructuralReduction, declared: Decimal, mu: Decimal) -> Decimal {
    let beta = sr.beta(mu);
    if beta.is_zero() {
        return Decimal::ZERO;
    }
    let s = round_cents(declared / mu * Decimal::from(3));
    let r = sr.alpha * (sr.s0_quarter - s).max(Decimal::ZERO)
        + sr.gamma * (sr.s2_quarter - s).max(Decimal::ZERO);
    round_cents(r * mu * beta / Decimal::from(3))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::payroll::params_on;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn set() -> &'static ParamSet {
        params_on(date(2026, 1, 15)).unwrap()
    }

    #[test]
    fn an_employe_costs_the_gross_plus_25_percent_the_extras_and_the_exit_holiday_pay() {
        // 3,000 € full time: 750 + 7.20 (0.24 %) + 460.20 (15.34 %) + 7.67 % × 25.24 % of
        // 3,000 = 58.08, less the structural reduction: S = 9,000 € a quarter, R = 0.14 ×
        // 2,233.89 + 0.15 × 360 = 366.74…, β = 1, a month is a third: 122.25.
        let s = side(
            set(),
            &Profile::default(),
            d("3000"),
            d("3000"),
            Decimal::ONE,
            Decimal::ZERO,
        );
        assert_eq!(s.onss, d("750.00"));
        assert_eq!(s.extras, d("7.20"));
        assert_eq!(s.holiday_pay, d("460.20"));
        assert_eq!(s.holiday_pay_onss, d("58.08"));
        assert_eq!(s.structural_reduction, d("122.25"));
        assert_eq!(s.cost, d("4153.23"));
    }

    #[test]
    fn no_structural_reduction_below_a_work_fraction_of_0_275() {
        let p = Profile {
            fraction_bp: 2749,
            ..Profile::default()
        };
        let s = side(set(), &p, d("500"), d("500"), d("0.2749"), Decimal::ZERO);
        assert_eq!(s.structural_reduction, Decimal::ZERO);
        let p = Profile {
            fraction_bp: 2750,
            ..Profile::default()
        };
        let s = side(set(), &p, d("500"), d("500"), d("0.275"), Decimal::ZERO);
        assert!(s.structural_reduction > Decimal::ZERO);
    }

    #[test]
    fn an_ouvrier_pays_contributions_and_the_holiday_fund_on_108_percent() {
        let p = Profile {
            status: WorkerStatus::Manual,
            ..Profile::default()
        };
        let s = side(set(), &p, d("3000"), d("3240"), Decimal::ONE, Decimal::ZERO);
        assert_eq!(s.onss, d("810.00"));
        // 15.84 % of 3,240.
        assert_eq!(s.holiday_pay, d("513.22"));
        assert_eq!(s.holiday_pay_onss, Decimal::ZERO);
    }
}
