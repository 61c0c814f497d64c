//! Artists' author's rights paid as part of the pay (employment.md §3.4, loi-programme of
//! 26/12/2022): movable income, free of social security, taxed at 15 % at source after a flat
//! cost deduction (50 % on the first bracket, 25 % on the second), within a share of the
//! total pay and an annual cap that depend on the income year. The artists' flat
//! withholding (annex III point 80) is in [`super::withholding`].

use rust_decimal::Decimal;

use super::params::{AuthorsRights, ParamSet};
use super::{PayrollError, Profile, Simulation, round_cents, to_cents};

/// A month's author's rights and their withholding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rights {
    pub amount: Decimal,
    pub withholding: Decimal,
}

/// The author's rights that make `authors_rights_bp` of the total pay (gross salary +
/// rights) beside a gross salary `gross`, and their withholding, computed as if they were
/// the year's first rights (the brackets are annual).
pub(super) fn authors_rights(ar: &AuthorsRights, profile: &Profile, gross: Decimal) -> Rights {
    if profile.authors_rights_bp == 0 {
        return Rights {
            amount: Decimal::ZERO,
            withholding: Decimal::ZERO,
        };
    }
    let share = Decimal::new(i64::from(profile.authors_rights_bp), 4);
    // rights / (gross + rights) = share.
    let amount = round_cents(gross * share / (Decimal::ONE - share));
    let deduction = round_cents(
        ar.deduction1_rate * amount.min(ar.bracket1)
            + ar.deduction2_rate * (amount.min(ar.bracket2) - ar.bracket1).max(Decimal::ZERO),
    );
    Rights {
        amount,
        withholding: round_cents((amount - deduction) * ar.tax_rate),
    }
}

/// The share asked must stay within the year's limit (50 % in 2023, 40 % in 2024, 30 % from
/// 2025).
pub(super) fn check_share(set: &ParamSet, profile: &Profile) -> Result<(), PayrollError> {
    let limit_bp = set.authors_rights.share_limit_bp;
    if profile.authors_rights_bp > limit_bp {
        return Err(PayrollError::AuthorsRightsShareAboveLimit {
            share_bp: profile.authors_rights_bp,
            limit_bp,
        });
    }
    Ok(())
}

/// Above the annual cap author's rights are professional income: a month that alone
/// exceeds it is refused rather than taxed on a rule the simulator does not model.
pub(super) fn check_cap(set: &ParamSet, simulation: &Simulation) -> Result<(), PayrollError> {
    let cap_cents = to_cents(set.authors_rights.annual_cap);
    if simulation.authors_rights_cents > cap_cents {
        return Err(PayrollError::AuthorsRightsAboveAnnualCap {
            cents: simulation.authors_rights_cents,
            cap_cents,
        });
    }
    Ok(())
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

    fn rights(bp: u32, gross: &str) -> Rights {
        let set = params_on(date(2025, 6, 1)).unwrap();
        let profile = Profile {
            authors_rights_bp: bp,
            ..Profile::default()
        };
        authors_rights(&set.authors_rights, &profile, d(gross))
    }

    #[test]
    fn rights_within_the_first_bracket_bear_an_effective_7_5_percent() {
        // 30 % of the total beside 2,100 € of salary: 900 € of rights, 450 € deducted,
        // 15 % of the other 450 €.
        let r = rights(3000, "2100");
        assert_eq!(r.amount, d("900.00"));
        assert_eq!(r.withholding, d("67.50"));
    }

    #[test]
    fn rights_across_the_brackets_are_deducted_50_then_25_percent() {
        // 30 % beside 70,000 €: 30,000 € of rights; deduction 50 % × 19,480 + 25 % ×
        // 10,520 = 12,370; tax 15 % × 17,630 = 2,644.50.
        let r = rights(3000, "70000");
        assert_eq!(r.amount, d("30000.00"));
        assert_eq!(r.withholding, d("2644.50"));
    }

    #[test]
    fn no_rights_asked_no_rights_paid() {
        assert_eq!(rights(0, "3000").amount, Decimal::ZERO);
    }

    #[test]
    fn the_share_limit_is_the_one_of_the_income_year() {
        let profile = Profile {
            authors_rights_bp: 3500,
            ..Profile::default()
        };
        // 40 % in 2024, 30 % from 2025.
        assert!(check_share(params_on(date(2024, 12, 31)).unwrap(), &profile).is_ok());
        assert_eq!(
            check_share(params_on(date(2025, 1, 1)).unwrap(), &profile),
            Err(PayrollError::AuthorsRightsShareAboveLimit {
                share_bp: 3500,
                limit_bp: 3000
            })
        );
    }
}
