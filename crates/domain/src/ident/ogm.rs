//! Belgian structured communication (OGM / VCS, *communication structurée / gestructureerde
//! mededeling*), `invoicing.md` §8.2: the payment reference printed on an invoice, which
//! the bank statement carries back so that the payment is matched automatically.

use std::fmt;

use super::{IdentError, check_mod97_or_97, compact, string_conversions};

/// Twelve digits `d1…d12`: a ten-digit base `B` and two check digits `B mod 97` (97 when
/// the remainder is 0). Stored as the twelve digits only: `123456789002`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ogm(String);

/// The largest ten-digit base.
pub const MAX_BASE: u64 = 9_999_999_999;

/// The largest sequence the "year + 6-digit sequence" scheme holds.
pub const MAX_INVOICE_SEQUENCE: u32 = 999_999;

impl Ogm {
    /// Accepts the printed forms `+++123/4567/89002+++` and `***123/4567/89002***`, and
    /// the digits with spaces, dots or slashes between them (payers type them any way).
    pub fn parse(input: &str) -> Result<Self, IdentError> {
        let s = compact(input, |c| {
            matches!(c, '+' | '*' | '/' | '.' | ' ' | '\u{a0}' | '\t')
        })?;
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentError::Format);
        }
        let (base, check) = s.split_at(10);
        if check_mod97_or_97(base) != check.parse::<u32>().map_err(|_| IdentError::Format)? {
            return Err(IdentError::Checksum);
        }
        Ok(Self(s))
    }

    /// The communication whose ten-digit base is `base` (zero-padded on the left).
    /// `Format` when `base` has more than ten digits.
    pub fn from_base(base: u64) -> Result<Self, IdentError> {
        if base > MAX_BASE {
            return Err(IdentError::Format);
        }
        let base = format!("{base:010}");
        let check = check_mod97_or_97(&base);
        Ok(Self(format!("{base}{check:02}")))
    }

    /// The communication of an invoice: base = the issue year (four digits) followed by the
    /// invoice's six-digit sequence in that year, e.g. 2026 and 42 → `+++202/6000/04236+++`
    /// (the scheme suggested in `invoicing.md` §8.2). The year keeps the base away from the
    /// all-zero base, which the formula allows but no one should issue. `Format` for a year
    /// outside 1000–9999 or a sequence outside 1–999,999.
    pub fn for_invoice(year: i32, sequence: u32) -> Result<Self, IdentError> {
        let year = u64::try_from(year).map_err(|_| IdentError::Format)?;
        if !(1000..=9999).contains(&year) || !(1..=MAX_INVOICE_SEQUENCE).contains(&sequence) {
            return Err(IdentError::Format);
        }
        Self::from_base(year * 1_000_000 + u64::from(sequence))
    }

    /// The twelve digits, as stored and as sent in a payment order: `123456789002`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ten-digit base, without the check digits.
    pub fn base(&self) -> u64 {
        self.0
            .bytes()
            .take(10)
            .fold(0, |n, b| n * 10 + u64::from(b - b'0'))
    }
}

/// `+++123/4567/89002+++`, the printed form.
impl fmt::Display for Ogm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "+++{}/{}/{}+++", &d[..3], &d[3..7], &d[7..])
    }
}

string_conversions!(Ogm, as_str);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ident::tests::{deserialized, serialized};

    // invoicing.md §8.2 table: (10-digit base, printed OGM).
    const TABLE: [(u64, &str); 12] = [
        (1, "+++000/0000/00101+++"),
        (1_234_567_890, "+++123/4567/89002+++"),
        (97, "+++000/0000/09797+++"),          // remainder 0 → 97
        (194, "+++000/0000/19497+++"),         // remainder 0 → 97
        (100_000_000, "+++010/0000/00081+++"), // 0100000000
        (1_000_000_000, "+++100/0000/00034+++"),
        (9_999_999_999, "+++999/9999/99948+++"),
        (12_345, "+++000/0012/34526+++"),
        (2_026_000_042, "+++202/6000/04236+++"), // year + 6-digit sequence
        (909_337_554, "+++090/9337/55493+++"),
        (2_402_838_428, "+++240/2838/42818+++"), // the Odoo CODA sample
        (0, "+++000/0000/00097+++"),             // valid by the formula, never issued
    ];

    // invoicing.md §8.6, "OGM valid".
    const VALID: [&str; 12] = [
        "000000000101",
        "123456789002",
        "000000009797",
        "000000019497",
        "010000000081",
        "100000000034",
        "999999999948",
        "000001234526",
        "202600004236",
        "090933755493",
        "240283842818",
        "000000000097", // valid, but an all-zero base is never issued
    ];

    #[test]
    fn every_reference_structured_communication_is_accepted() {
        for digits in VALID {
            let ogm = Ogm::parse(digits);
            assert!(ogm.is_ok(), "{digits}: {ogm:?}");
            assert_eq!(ogm.unwrap().as_str(), digits);
        }
    }

    #[test]
    fn a_structured_communication_with_wrong_check_digits_is_refused() {
        // invoicing.md §8.6, "OGM invalid": 1124554468 mod 97 = 80, not 12 (php-coda-parser
        // samples 5 and 6); 0000035051 mod 97 = 34, not 58 (sample 1); 1234567890 → 2, not 3.
        // A bank-file parser flags these and falls back to fuzzy matching (payments.md).
        for digits in ["112455446812", "000003505158", "123456789003"] {
            assert_eq!(Ogm::parse(digits), Err(IdentError::Checksum), "{digits}");
        }
    }

    #[test]
    fn the_check_digits_are_the_base_mod_97_or_97_when_the_remainder_is_zero() {
        for (base, printed) in TABLE {
            let ogm = Ogm::from_base(base).unwrap();
            assert_eq!(ogm.to_string(), printed, "{base}");
            assert_eq!(ogm.base(), base);
            assert_eq!(Ogm::parse(printed), Ok(ogm));
        }
    }

    #[test]
    fn a_base_of_more_than_ten_digits_is_refused() {
        assert_eq!(Ogm::from_base(MAX_BASE + 1), Err(IdentError::Format));
        assert!(Ogm::from_base(MAX_BASE).is_ok());
    }

    #[test]
    fn a_structured_communication_is_read_in_every_form_payers_write() {
        for input in [
            "+++123/4567/89002+++",
            "***123/4567/89002***",
            "123/4567/89002",
            "123 4567 89002",
            "123.4567.89002",
            " +++ 123 / 4567 / 89002 +++ ",
            "123456789002",
        ] {
            assert_eq!(
                Ogm::parse(input).unwrap().as_str(),
                "123456789002",
                "{input}"
            );
        }
    }

    #[test]
    fn a_structured_communication_of_the_wrong_shape_is_refused() {
        for input in [
            "12345678900",   // 11 digits
            "1234567890022", // 13 digits
            "+++123-4567-89002+++",
            "RF18539007547034", // an ISO 11649 reference is not an OGM
            "12345678900a",
        ] {
            assert_eq!(Ogm::parse(input), Err(IdentError::Format), "{input}");
        }
        assert_eq!(Ogm::parse("+++//+++"), Err(IdentError::Empty));
        assert_eq!(Ogm::parse(""), Err(IdentError::Empty));
    }

    #[test]
    fn an_invoice_communication_is_the_year_followed_by_the_six_digit_sequence() {
        // invoicing.md §8.2: 2026000042 mod 97 = 36.
        let ogm = Ogm::for_invoice(2026, 42).unwrap();
        assert_eq!(ogm.to_string(), "+++202/6000/04236+++");
        assert_eq!(ogm.as_str(), "202600004236");
        assert_eq!(
            Ogm::for_invoice(2026, 999_999).unwrap().base(),
            2_026_999_999
        );
    }

    #[test]
    fn an_invoice_communication_never_has_an_all_zero_base() {
        assert_eq!(Ogm::for_invoice(0, 0), Err(IdentError::Format));
        assert_eq!(Ogm::for_invoice(2026, 0), Err(IdentError::Format));
        assert_eq!(Ogm::for_invoice(999, 1), Err(IdentError::Format));
        assert_eq!(Ogm::for_invoice(-2026, 1), Err(IdentError::Format));
        assert_eq!(Ogm::for_invoice(10_000, 1), Err(IdentError::Format));
        // A seventh digit would spill into the year.
        assert_eq!(
            Ogm::for_invoice(2026, MAX_INVOICE_SEQUENCE + 1),
            Err(IdentError::Format)
        );
    }

    #[test]
    fn a_structured_communication_serialises_as_its_twelve_digits_and_reads_back_checked() {
        let ogm: Ogm = "+++123/4567/89002+++".parse().unwrap();
        assert_eq!(serialized(&ogm), "123456789002");
        assert_eq!(deserialized::<Ogm>("***123/4567/89002***"), Ok(ogm));
        assert!(deserialized::<Ogm>("123456789003").is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_base_gives_a_communication_that_parses_back_and_any_other_check_is_refused(
            base in 0u64..=MAX_BASE, wrong in 0u32..100,
        ) {
            let ogm = Ogm::from_base(base).unwrap();
            proptest::prop_assert_eq!(Ogm::parse(&ogm.to_string()), Ok(ogm.clone()));
            proptest::prop_assert_eq!(ogm.base(), base);
            let check: u32 = ogm.as_str()[10..].parse().unwrap();
            if wrong != check {
                proptest::prop_assert_eq!(
                    Ogm::parse(&format!("{base:010}{wrong:02}")),
                    Err(IdentError::Checksum)
                );
            }
        }
    }
}
