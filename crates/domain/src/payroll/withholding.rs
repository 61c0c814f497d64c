//! The withholding tax on a month's pay (précompte professionnel / bedrijfsvoorheffing): the
//! key formula of annex III AR/CIR 92 (employment.md §2.3), every intermediate result
//! rounded half-up to the cent (point 3).

use rust_decimal::Decimal;

use super::params::{Withholding, WorkBonus};
use super::work_bonus::{self, SocialBonus};
use super::{Family, Profile, round_cents};

/// The steps of the key formula for one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct MonthlyTax {
    /// A = R × 12.
    pub annual_taxable: Decimal,
    /// F = min(30 % of A, the year's cap).
    pub flat_expenses: Decimal,
    /// N = A − F.
    pub annual_net_taxable: Decimal,
    /// After the exempt amount or the spouse quotient and the annual reductions, ≥ 0.
    pub annual_tax: Decimal,
    /// The annual tax ÷ 12.
    pub before_bonus: Decimal,
    /// The fiscal work bonus actually deducted (never more than the tax).
    pub fiscal_bonus: Decimal,
    pub withholding: Decimal,
}

/// The withholding on a month's taxable pay `taxable` (R).
pub(super) fn monthly(
    w: &Withholding,
    wb: &WorkBonus,
    profile: &Profile,
    taxable: Decimal,
    bonus: &SocialBonus,
) -> MonthlyTax {
    if profile.artist_flat_withholding {
        // Annex III point 80: artists working successively for several principals without
        // being their regular staff: a flat 11.11 %, no reduction of any kind.
        let flat = round_cents(taxable * w.artist_flat_rate);
        return MonthlyTax {
            before_bonus: flat,
            withholding: flat,
            ..MonthlyTax::default()
        };
    }
    let mut tax = key_formula(w, profile.family, profile.children, taxable);
    tax.fiscal_bonus = work_bonus::fiscal(wb, bonus).min(tax.before_bonus);
    tax.withholding = tax.before_bonus - tax.fiscal_bonus;
    tax
}

/// Steps 1–8 of the key formula: the monthly withholding before the fiscal work bonus.
pub(super) fn key_formula(
    w: &Withholding,
    family: Family,
    children: u8,
    taxable: Decimal,
) -> MonthlyTax {
    let annual_taxable = taxable * Decimal::from(12);
    let flat_expenses = round_cents(annual_taxable * w.flat_expenses_rate).min(w.flat_expenses_cap);
    let n = annual_taxable - flat_expenses;
    let base = match family {
        // The spouse quotient: 30 % of N, capped, is taxed apart, each part on the scale,
        // and the exempt amount counts twice.
        Family::MarriedOneIncome => {
            let q = round_cents(n * w.spouse_quotient_rate).min(w.spouse_quotient_cap);
            w.base_tax(n - q) + w.base_tax(q) - w.exempt_tax - w.exempt_tax
        }
        Family::Single | Family::MarriedTwoIncomes => w.base_tax(n) - w.exempt_tax,
    }
    .max(Decimal::ZERO);
    let mut reductions = w.children_reduction(children);
    if family == Family::Single && children > 0 {
        reductions += w.single_parent;
    }
    let annual_tax = (base - reductions).max(Decimal::ZERO);
    MonthlyTax {
        annual_taxable,
        flat_expenses,
        annual_net_taxable: n,
        annual_tax,
        before_bonus: round_cents(annual_tax / Decimal::from(12)),
        ..MonthlyTax::default()
    }
}
