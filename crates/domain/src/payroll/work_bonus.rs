//! The work bonus (bonus à l'emploi / werkbonus, employment.md §2.4): a reduction of the
//! employee's social security for low wages (the social part, A and B), which in turn
//! lowers the withholding tax (the fiscal part, see [`fiscal`]).

use rust_decimal::Decimal;

use super::params::WorkBonus;
use super::round_cents;

/// The social work bonus of a month, each part already multiplied by the work fraction and
/// capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SocialBonus {
    pub a: Decimal,
    pub b: Decimal,
}

/// Parts A and B for a month's `gross` at work fraction `mu`, given the employee's social
/// security `onss`.
///
/// The reference wage S is the full-time wage (gross ÷ fraction, at 100 % even for an
/// ouvrier: the ouvriers' amounts already carry the 108 %); each part is computed on S and
/// multiplied by the fraction (ONSS instructions, workers_reductions › workbonus).
pub(super) fn social(
    wb: &WorkBonus,
    manual: bool,
    gross: Decimal,
    mu: Decimal,
    onss: Decimal,
) -> SocialBonus {
    let parts = if manual { &wb.manual } else { &wb.employee };
    let s = if mu == Decimal::ONE {
        gross
    } else {
        round_cents(gross / mu)
    };
    let mut bonus = SocialBonus {
        a: round_cents(round_cents(parts.a.value(s)) * mu),
        b: round_cents(round_cents(parts.b.value(s)) * mu),
    };
    // The bonus never exceeds the social security due; when it would, part B is cut first,
    // then part A (ONSS instructions). Then the yearly ceiling per worker, spread over twelve
    // months as if every month were paid the same.
    cap(&mut bonus, onss);
    cap(&mut bonus, wb.monthly_cap);
    bonus
}

fn cap(bonus: &mut SocialBonus, ceiling: Decimal) {
    let excess = bonus.a + bonus.b - ceiling;
    if excess > Decimal::ZERO {
        let from_b = excess.min(bonus.b);
        bonus.b -= from_b;
        bonus.a -= (excess - from_b).min(bonus.a);
    }
}

/// The fiscal work bonus: fiscal_a % of A + fiscal_b % of B, the SUM rounded once —
/// rounding each part is a cent off on the 2,500 € vectors (employment.md §2.3 step 9).
pub(super) fn fiscal(wb: &WorkBonus, bonus: &SocialBonus) -> Decimal {
    round_cents(bonus.a * wb.fiscal_a_rate + bonus.b * wb.fiscal_b_rate)
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

    fn wb(y: i16, m: i8) -> &'static WorkBonus {
        &params_on(date(y, m, 15)).unwrap().work_bonus
    }

    #[test]
    fn part_b_is_cut_first_when_the_bonus_exceeds_the_social_security_due() {
        // An ouvrier at 2,070.48 € in January 2026: A 132.84 + B 179.14 = 311.98, but only
        // 292.26 of social security is due; then the monthly ceiling 3,466.44 ÷ 12 = 288.87.
        let onss = d("292.26");
        let bonus = social(wb(2026, 1), true, d("2070.48"), Decimal::ONE, onss);
        assert_eq!(bonus.a, d("132.84"));
        assert_eq!(bonus.a + bonus.b, d("288.87"));
        assert_eq!(bonus.b, d("156.03"));
    }

    #[test]
    fn a_part_time_bonus_is_the_full_time_bonus_times_the_fraction() {
        // Half time at 1,500 €: S = 3,000 € full time, part A 76.22 in January 2026, halved.
        let half = social(wb(2026, 1), false, d("1500"), d("0.5"), d("196.05"));
        assert_eq!(half.a, d("38.11"));
        assert_eq!(half.b, Decimal::ZERO);
    }

    #[test]
    fn no_bonus_above_the_upper_bound_and_never_a_negative_one() {
        let w = wb(2026, 1);
        assert_eq!(w.employee.a.value(d("3271.49")), Decimal::ZERO);
        // At the upper bound the slope leaves a few cents at most, never less than zero.
        assert!(w.employee.a.value(d("3271.48")) >= Decimal::ZERO);
        assert!(w.employee.a.value(d("3271.48")) < d("0.05"));
    }

    #[test]
    fn the_single_part_bonus_of_early_2024_has_two_slopes_and_no_part_b() {
        let w = wb(2024, 2);
        assert_eq!(w.employee.a.value(d("2000")), d("267.42"));
        // 267.42 − 0.2579 × (2,500 − 2,054.01) = 152.40…
        assert_eq!(round_cents(w.employee.a.value(d("2500"))), d("152.40"));
        // 252.26 − 0.2313 × (3,000 − 2,054.01) = 33.45…
        assert_eq!(round_cents(w.employee.a.value(d("3000"))), d("33.45"));
        assert_eq!(w.employee.b.value(d("1000")), Decimal::ZERO);
        let bonus = SocialBonus {
            a: d("152.40"),
            b: Decimal::ZERO,
        };
        // Before the reform the whole bonus gave 33.14 % off the withholding.
        assert_eq!(fiscal(w, &bonus), d("50.51"));
    }
}
