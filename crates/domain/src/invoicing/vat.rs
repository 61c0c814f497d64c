//! VAT categories (EN 16931 / UNCL5305) and the dated Belgian VAT rates of
//! `rules/vat.toml` (`invoicing.md` §5–§6, DESIGN.md §4: rates are data with dates).

use std::sync::LazyLock;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The VAT category of a line (UNCL5305 codes used by EN 16931 and Peppol BIS 3.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum VatCategory {
    /// Standard or reduced rate (21, 12, 6 % in Belgium).
    S,
    /// Zero-rated.
    Z,
    /// Exempt (e.g. training under art. 44 §2, 4° VAT Code), with an exemption reason.
    E,
    /// Reverse charge (autoliquidation / verlegging, art. 51 §2 VAT Code).
    AE,
    /// Intra-community supply (art. 39bis VAT Code).
    K,
    /// Export outside the EU (art. 39 VAT Code).
    G,
    /// Outside the scope of VAT.
    O,
}

impl VatCategory {
    pub const ALL: [VatCategory; 7] = [
        VatCategory::S,
        VatCategory::Z,
        VatCategory::E,
        VatCategory::AE,
        VatCategory::K,
        VatCategory::G,
        VatCategory::O,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VatCategory::S => "S",
            VatCategory::Z => "Z",
            VatCategory::E => "E",
            VatCategory::AE => "AE",
            VatCategory::K => "K",
            VatCategory::G => "G",
            VatCategory::O => "O",
        }
    }

    pub fn parse(s: &str) -> Option<VatCategory> {
        VatCategory::ALL.into_iter().find(|c| c.code() == s.trim())
    }

    /// Only S charges VAT; every other category carries the rate 0 (BR-Z-05, BR-E-05,
    /// BR-AE-05, BR-IC-05, BR-G-05; O carries no rate, BR-O-05).
    pub fn charges_vat(self) -> bool {
        self == VatCategory::S
    }

    /// The categories whose breakdown must state why no VAT is charged (art. 5 §1, 9°
    /// Royal Decree no. 1; BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). S and Z must
    /// not (BR-S-10, BR-Z-10).
    pub fn needs_exemption_reason(self) -> bool {
        !matches!(self, VatCategory::S | VatCategory::Z)
    }
}

/// A rate in basis points as the percentage UBL writes in `cbc:Percent`: 2100 → 21.00.
pub fn rate_percent(rate_bp: u32) -> Decimal {
    Decimal::new(i64::from(rate_bp), 2)
}

/// One row of `rules/vat.toml`: `category` may use `basis_points` on documents issued from
/// `valid_from` to `valid_to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedRate {
    pub category: VatCategory,
    pub basis_points: u32,
    pub valid_from: Date,
    #[serde(default)]
    pub valid_to: Option<Date>,
}

impl DatedRate {
    pub fn applies_on(&self, date: Date) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateFile {
    country: String,
    rate: Vec<DatedRate>,
}

/// Reads and checks a rate table: Belgian, every category but S at 0, no row ending before
/// it starts.
fn load_rates(text: &str) -> Result<Vec<DatedRate>, String> {
    let file: RateFile = toml::from_str(text).map_err(|e| e.to_string())?;
    if file.country != "BE" {
        return Err(format!("country {} is not BE", file.country));
    }
    for r in &file.rate {
        if !r.category.charges_vat() && r.basis_points != 0 {
            return Err(format!("category {} must have rate 0", r.category.code()));
        }
        if r.valid_to.is_some_and(|to| to < r.valid_from) {
            return Err(format!(
                "{} {} ends before it starts",
                r.category.code(),
                r.basis_points
            ));
        }
    }
    Ok(file.rate)
}

/// The shipped table, read at first use. A malformed file is a build defect caught by the
/// tests below; should it ever happen, no rate is valid, so every document is refused
/// rather than issued with an unchecked rate.
static RATES: LazyLock<Result<Vec<DatedRate>, String>> =
    LazyLock::new(|| load_rates(include_str!("../../rules/vat.toml")));

/// For a start-up check: why `rules/vat.toml` could not be read, if it could not.
pub fn check_rules_file() -> Result<(), String> {
    RATES.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Every row of the shipped table.
pub fn rate_table() -> &'static [DatedRate] {
    RATES.as_deref().unwrap_or(&[])
}

/// The distinct rates in force on `date`, highest first (for a rate picker): 21, 12, 6, 0.
pub fn rates_on(date: Date) -> Vec<u32> {
    let mut rates: Vec<u32> = rate_table()
        .iter()
        .filter(|r| r.applies_on(date))
        .map(|r| r.basis_points)
        .collect();
    rates.sort_unstable_by(|a, b| b.cmp(a));
    rates.dedup();
    rates
}

/// The rates `category` may use on `date`, highest first.
pub fn category_rates_on(category: VatCategory, date: Date) -> Vec<u32> {
    let mut rates: Vec<u32> = rate_table()
        .iter()
        .filter(|r| r.category == category && r.applies_on(date))
        .map(|r| r.basis_points)
        .collect();
    rates.sort_unstable_by(|a, b| b.cmp(a));
    rates.dedup();
    rates
}

/// Whether a line of `category` may carry `rate_bp` on a document issued on `date`: S needs
/// a rate in force that day, every other category the rate 0.
pub fn is_valid_rate(category: VatCategory, rate_bp: u32, date: Date) -> bool {
    rate_table()
        .iter()
        .any(|r| r.category == category && r.basis_points == rate_bp && r.applies_on(date))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_shipped_vat_table_is_read() {
        assert_eq!(check_rules_file(), Ok(()));
        assert!(!rate_table().is_empty());
    }

    #[test]
    fn belgium_has_21_12_6_and_0_percent() {
        // invoicing.md §5: 21 % standard, 12 % and 6 % reduced, 0 %.
        assert_eq!(rates_on(date(2026, 11, 26)), vec![2100, 1200, 600, 0]);
        assert_eq!(
            category_rates_on(VatCategory::S, date(2023, 1, 1)),
            vec![2100, 1200, 600]
        );
    }

    #[test]
    fn a_standard_rated_line_needs_a_rate_in_force_on_the_issue_date() {
        let d = date(2026, 3, 1);
        for bp in [2100, 1200, 600] {
            assert!(is_valid_rate(VatCategory::S, bp, d), "{bp}");
        }
        for bp in [0, 2000, 2050, 1900, 650] {
            assert!(!is_valid_rate(VatCategory::S, bp, d), "{bp}");
        }
    }

    #[test]
    fn every_category_but_s_carries_the_rate_zero() {
        let d = date(2026, 3, 1);
        for category in VatCategory::ALL {
            if category == VatCategory::S {
                continue;
            }
            assert!(is_valid_rate(category, 0, d), "{category:?}");
            assert!(!is_valid_rate(category, 2100, d), "{category:?}");
            assert_eq!(category_rates_on(category, d), vec![0]);
        }
    }

    #[test]
    fn no_rate_is_valid_before_the_table_starts() {
        assert!(rates_on(date(1999, 12, 31)).is_empty());
        assert!(!is_valid_rate(VatCategory::S, 2100, date(1999, 12, 31)));
    }

    #[test]
    fn a_rate_applies_from_its_first_to_its_last_day_included() {
        let table = load_rates(
            r#"
            country = "BE"
            [[rate]]
            category = "S"
            basis_points = 600
            valid_from = "2020-01-01"
            valid_to = "2026-02-28"
            [[rate]]
            category = "S"
            basis_points = 1200
            valid_from = "2026-03-01"
            "#,
        )
        .unwrap();
        let on = |d: Date| -> Vec<u32> {
            table
                .iter()
                .filter(|r| r.applies_on(d))
                .map(|r| r.basis_points)
                .collect()
        };
        // The hotel rate moving from 6 to 12 % on 1 Mar 2026 (invoicing.md §5).
        assert_eq!(on(date(2026, 2, 28)), vec![600]);
        assert_eq!(on(date(2026, 3, 1)), vec![1200]);
        assert!(on(date(2019, 12, 31)).is_empty());
    }

    #[test]
    fn a_rate_table_with_vat_on_an_exempt_category_is_refused() {
        let text = r#"
            country = "BE"
            [[rate]]
            category = "E"
            basis_points = 2100
            valid_from = "2020-01-01"
        "#;
        assert!(load_rates(text).is_err());
        assert!(load_rates("country = \"FR\"\nrate = []").is_err());
        let backwards = r#"
            country = "BE"
            [[rate]]
            category = "S"
            basis_points = 2100
            valid_from = "2020-01-01"
            valid_to = "2019-01-01"
        "#;
        assert!(load_rates(backwards).is_err());
    }

    #[test]
    fn a_rate_in_basis_points_is_written_as_a_percentage() {
        assert_eq!(rate_percent(2100).to_string(), "21.00");
        assert_eq!(rate_percent(600).to_string(), "6.00");
        assert_eq!(rate_percent(0).to_string(), "0.00");
    }

    #[test]
    fn only_s_and_z_go_without_an_exemption_reason() {
        let without: Vec<_> = VatCategory::ALL
            .into_iter()
            .filter(|c| !c.needs_exemption_reason())
            .collect();
        assert_eq!(without, vec![VatCategory::S, VatCategory::Z]);
        assert!(VatCategory::S.charges_vat());
        assert!(!VatCategory::Z.charges_vat());
    }
}
