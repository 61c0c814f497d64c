//! EN 16931 totals of a sales document: line net amounts, the VAT breakdown per category
//! and rate, and the document totals (BT-106, BT-109, BT-110, BT-112, BT-115).
//!
//! Every rounding point is explicit and rounds half away from zero: `Decimal::round_dp`
//! would round half to even (banker's rounding, `rust-stack.md`), which no Belgian
//! accountant expects.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::document::{Line, Totals, VatSubtotal};
use super::error::DocumentError;
use super::mentions::exemption_reason;
use super::vat::VatCategory;
use crate::Language;

/// A line as typed, before its amount is computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub description: String,
    pub quantity: Decimal,
    /// UN/ECE Recommendation 20 unit code: `HUR`, `DAY`, `C62`, `KMT`…
    pub unit: String,
    /// Net unit price, VAT excluded, in euros.
    pub unit_price: Decimal,
    pub vat_category: VatCategory,
    /// Basis points (2100 = 21 %); 0 for every category but S.
    pub vat_rate_bp: u32,
}

/// Quantity × unit price, rounded to the cent half away from zero (BT-131; Peppol R120
/// accepts ±0.02 around the exact product). `None` when it does not fit.
pub fn line_net_cents(quantity: Decimal, unit_price: Decimal) -> Option<i64> {
    quantity
        .checked_mul(unit_price)?
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .checked_mul(Decimal::ONE_HUNDRED)?
        .to_i64()
}

/// The VAT of one breakdown row: taxable amount × rate, rounded once, to the cent, half away
/// from zero (BR-CO-17; the Belgian rules since 2026 round the total VAT per rate too,
/// `invoicing.md` §2). `None` when it does not fit.
pub fn vat_cents(taxable_cents: i64, rate_bp: u32) -> Option<i64> {
    Decimal::from(taxable_cents)
        .checked_mul(Decimal::from(rate_bp))?
        .checked_div(Decimal::from(10_000))?
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
}

/// The document lines with their net amounts, and the totals. The lines keep their order;
/// the breakdown is sorted by category (S, Z, E, AE, K, G, O), then rate, highest first, so
/// that the totals do not depend on the order of the lines. No rule is checked here (see
/// `rules`): a draft shows its totals while it is still wrong.
pub fn compute_totals(
    lines: &[LineInput],
    language: Language,
) -> Result<(Vec<Line>, Totals), DocumentError> {
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let net_cents = line_net_cents(l.quantity, l.unit_price)
                .ok_or(DocumentError::LineAmountTooLarge { line: i + 1 })?;
            Ok(Line {
                description: l.description.clone(),
                quantity: l.quantity,
                unit: l.unit.clone(),
                unit_price: l.unit_price,
                vat_category: l.vat_category,
                vat_rate_bp: l.vat_rate_bp,
                net_cents,
            })
        })
        .collect::<Result<Vec<Line>, DocumentError>>()?;
    let totals = totals_of_lines(&lines, language)?;
    Ok((lines, totals))
}

/// The totals of lines whose net amounts are already computed (also used to check a stored
/// document against its lines).
pub fn totals_of_lines(lines: &[Line], language: Language) -> Result<Totals, DocumentError> {
    let too_large = || DocumentError::TotalTooLarge;
    // BR-S-08, BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08: per category and
    // rate, the taxable amount is the sum of the line net amounts.
    let mut taxable: BTreeMap<(VatCategory, Reverse<u32>), i64> = BTreeMap::new();
    for l in lines {
        let sum = taxable
            .entry((l.vat_category, Reverse(l.vat_rate_bp)))
            .or_insert(0);
        *sum = sum.checked_add(l.net_cents).ok_or_else(too_large)?;
    }
    let subtotals = taxable
        .into_iter()
        .map(|((category, Reverse(rate_bp)), taxable_cents)| {
            Ok(VatSubtotal {
                category,
                rate_bp,
                taxable_cents,
                tax_cents: vat_cents(taxable_cents, rate_bp).ok_or_else(too_large)?,
                exemption_reason: exemption_reason(category, language).map(str::to_string),
            })
        })
        .collect::<Result<Vec<VatSubtotal>, DocumentError>>()?;
    // BR-CO-10: BT-106 = Σ BT-131.
    let line_total_cents = checked_sum(lines.iter().map(|l| l.net_cents)).ok_or_else(too_large)?;
    // BR-CO-13: BT-109 = BT-106 − allowances (BT-107) + charges (BT-108); ruche has no
    // document-level allowance or charge.
    let tax_exclusive_cents = line_total_cents;
    // BR-CO-14: BT-110 = Σ BT-117.
    let tax_cents = checked_sum(subtotals.iter().map(|s| s.tax_cents)).ok_or_else(too_large)?;
    // BR-CO-15: BT-112 = BT-109 + BT-110.
    let tax_inclusive_cents = tax_exclusive_cents
        .checked_add(tax_cents)
        .ok_or_else(too_large)?;
    // BR-CO-16: BT-115 = BT-112 − paid (BT-113) + rounding (BT-114); no prepayment yet.
    let payable_cents = tax_inclusive_cents;
    Ok(Totals {
        line_total_cents,
        tax_exclusive_cents,
        tax_cents,
        tax_inclusive_cents,
        payable_cents,
        subtotals,
    })
}

fn checked_sum(mut values: impl Iterator<Item = i64>) -> Option<i64> {
    values.try_fold(0i64, i64::checked_add)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn input(q: &str, price: &str, category: VatCategory, rate_bp: u32) -> LineInput {
        LineInput {
            description: "Atelier".to_string(),
            quantity: dec(q),
            unit: "HUR".to_string(),
            unit_price: dec(price),
            vat_category: category,
            vat_rate_bp: rate_bp,
        }
    }

    #[test]
    fn a_line_net_amount_rounds_half_away_from_zero_not_to_even() {
        // 1 × 0.125 = 0.125 → 0.13 (banker's rounding would give 0.12).
        assert_eq!(line_net_cents(dec("1"), dec("0.125")), Some(13));
        // 3 × 0.335 = 1.005 → 1.01 (banker's: 1.00).
        assert_eq!(line_net_cents(dec("3"), dec("0.335")), Some(101));
        assert_eq!(line_net_cents(dec("1.5"), dec("65")), Some(9750));
        assert_eq!(line_net_cents(dec("-1"), dec("0.125")), Some(-13));
        assert_eq!(line_net_cents(dec("0.333"), dec("100")), Some(3330));
    }

    #[test]
    fn a_line_net_is_quantity_times_price_rounded_to_the_cent() {
        // Moved from `ruche_formats::ubl::check`, whose copy of this rounding is gone.
        assert_eq!(
            line_net_cents(Decimal::new(42, 0), Decimal::new(4269, 4)),
            Some(1793)
        );
        assert_eq!(
            line_net_cents(Decimal::new(-3, 0), Decimal::new(500, 0)),
            Some(-150000)
        );
        assert_eq!(line_net_cents(Decimal::MAX, Decimal::MAX), None);
    }

    #[test]
    fn the_vat_of_a_breakdown_rounds_half_away_from_zero() {
        // 0.50 € at 21 % = 0.105 → 0.11.
        assert_eq!(vat_cents(50, 2100), Some(11));
        // 0.75 € at 6 % = 0.045 → 0.05 (banker's rounding: 0.04).
        assert_eq!(vat_cents(75, 600), Some(5));
        assert_eq!(vat_cents(100_000, 2100), Some(21_000));
        assert_eq!(vat_cents(12_345, 0), Some(0));
    }

    #[test]
    fn the_vat_is_rounded_once_per_rate_not_per_line() {
        // BR-CO-17: three lines of 0.07 € at 21 %. Rounded per line: 0.0147 → 0.01, three
        // times 0.03 €. Rounded once on the taxable 0.21 €: 0.0441 → 0.04 €.
        let lines: Vec<_> = (0..3)
            .map(|_| input("1", "0.07", VatCategory::S, 2100))
            .collect();
        let (_, totals) = compute_totals(&lines, Language::Fr).unwrap();
        assert_eq!(totals.subtotals.len(), 1);
        assert_eq!(totals.subtotals[0].taxable_cents, 21);
        assert_eq!(totals.tax_cents, 4);
    }

    #[test]
    fn a_mixed_training_and_standard_invoice_is_broken_down_per_category_and_rate() {
        // Like samples/be-test/be-invoice-minimal.xml: one 21 % line and one art. 44 line.
        let lines = [
            input("10", "65", VatCategory::S, 2100),
            input("1", "480", VatCategory::E, 0),
            input("2.5", "40", VatCategory::S, 600),
            input("1", "12.34", VatCategory::S, 2100),
        ];
        let (lines, totals) = compute_totals(&lines, Language::Fr).unwrap();
        assert_eq!(
            lines.iter().map(|l| l.net_cents).collect::<Vec<_>>(),
            vec![65_000, 48_000, 10_000, 1_234]
        );
        let rows: Vec<_> = totals
            .subtotals
            .iter()
            .map(|s| (s.category, s.rate_bp, s.taxable_cents, s.tax_cents))
            .collect();
        assert_eq!(
            rows,
            vec![
                (VatCategory::S, 2100, 66_234, 13_909), // 13,909.14 → 13,909
                (VatCategory::S, 600, 10_000, 600),
                (VatCategory::E, 0, 48_000, 0),
            ]
        );
        assert_eq!(totals.line_total_cents, 124_234);
        assert_eq!(totals.tax_exclusive_cents, 124_234);
        assert_eq!(totals.tax_cents, 14_509);
        assert_eq!(totals.tax_inclusive_cents, 138_743);
        assert_eq!(totals.payable_cents, 138_743);
        assert_eq!(totals.subtotals[0].exemption_reason, None);
        assert_eq!(
            totals.subtotals[2].exemption_reason.as_deref(),
            Some("Exonération de TVA — art. 44 §2, 4° du Code de la TVA")
        );
    }

    #[test]
    fn each_exemption_reason_is_written_in_the_document_language() {
        for (language, start) in [
            (Language::Fr, "Autoliquidation"),
            (Language::Nl, "Verlegging van heffing"),
            (Language::En, "Reverse charge"),
        ] {
            let (_, totals) =
                compute_totals(&[input("1", "100", VatCategory::AE, 0)], language).unwrap();
            let reason = totals.subtotals[0].exemption_reason.clone().unwrap();
            assert!(reason.starts_with(start), "{reason}");
        }
        let (_, totals) =
            compute_totals(&[input("1", "100", VatCategory::Z, 0)], Language::Fr).unwrap();
        assert_eq!(totals.subtotals[0].exemption_reason, None); // BR-Z-10
    }

    #[test]
    fn no_lines_give_zero_totals() {
        let (lines, totals) = compute_totals(&[], Language::Nl).unwrap();
        assert!(lines.is_empty());
        assert!(totals.subtotals.is_empty());
        assert_eq!(totals.payable_cents, 0);
    }

    #[test]
    fn an_amount_that_does_not_fit_is_refused_with_its_line() {
        let huge = input("79228162514264337593543950335", "2", VatCategory::S, 2100);
        assert_eq!(
            compute_totals(&[input("1", "1", VatCategory::S, 2100), huge], Language::Fr),
            Err(DocumentError::LineAmountTooLarge { line: 2 })
        );
        let big = input("1", "100000000000000000", VatCategory::S, 2100);
        assert_eq!(
            compute_totals(&[big.clone(), big], Language::Fr),
            Err(DocumentError::LineAmountTooLarge { line: 1 })
        );
        let half = input("1", "50000000000000000", VatCategory::S, 0);
        assert_eq!(
            compute_totals(&[half.clone(), half], Language::Fr),
            Err(DocumentError::TotalTooLarge)
        );
    }

    fn any_line() -> impl Strategy<Value = LineInput> {
        let category = prop::sample::select(VatCategory::ALL.to_vec());
        (
            1i64..1_000_000,
            0u32..4,
            0i64..10_000_000,
            0u32..5,
            category,
            prop::sample::select(vec![2100u32, 1200, 600]),
        )
            .prop_map(|(q, q_scale, p, p_scale, category, rate)| LineInput {
                description: "x".to_string(),
                quantity: Decimal::new(q, q_scale),
                unit: "C62".to_string(),
                unit_price: Decimal::new(p, p_scale),
                vat_category: category,
                vat_rate_bp: if category.charges_vat() { rate } else { 0 },
            })
    }

    proptest! {
        #[test]
        fn the_totals_are_the_sums_of_the_breakdown_and_of_the_lines(
            lines in prop::collection::vec(any_line(), 0..20),
        ) {
            let (computed, t) = compute_totals(&lines, Language::Fr).unwrap();
            let nets: i64 = computed.iter().map(|l| l.net_cents).sum();
            prop_assert_eq!(t.line_total_cents, nets);
            prop_assert_eq!(t.subtotals.iter().map(|s| s.taxable_cents).sum::<i64>(), t.tax_exclusive_cents);
            prop_assert_eq!(t.subtotals.iter().map(|s| s.tax_cents).sum::<i64>(), t.tax_cents);
            prop_assert_eq!(t.tax_inclusive_cents, t.tax_exclusive_cents + t.tax_cents);
            prop_assert_eq!(t.payable_cents, t.tax_inclusive_cents);
            for s in &t.subtotals {
                // BR-CO-17: within half a cent of the exact product.
                let exact = Decimal::from(s.taxable_cents) * Decimal::from(s.rate_bp) / Decimal::from(10_000);
                prop_assert!((Decimal::from(s.tax_cents) - exact).abs() <= Decimal::new(5, 1));
                if !s.category.charges_vat() {
                    prop_assert_eq!(s.tax_cents, 0);
                }
            }
        }

        #[test]
        fn the_totals_never_change_when_the_lines_are_reordered(
            lines in prop::collection::vec(any_line(), 1..20),
            rotation in 0usize..20,
            reverse in any::<bool>(),
        ) {
            let mut shuffled = lines.clone();
            shuffled.rotate_left(rotation % lines.len());
            if reverse {
                shuffled.reverse();
            }
            let (_, a) = compute_totals(&lines, Language::Fr).unwrap();
            let (_, b) = compute_totals(&shuffled, Language::Fr).unwrap();
            prop_assert_eq!(a, b);
        }

        #[test]
        fn a_line_net_amount_is_within_half_a_cent_of_quantity_times_price(line in any_line()) {
            let cents = line_net_cents(line.quantity, line.unit_price).unwrap();
            let exact = line.quantity * line.unit_price * Decimal::ONE_HUNDRED;
            prop_assert!((Decimal::from(cents) - exact).abs() <= Decimal::new(5, 1));
        }
    }
}
