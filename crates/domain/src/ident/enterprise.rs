//! Belgian enterprise number (KBO/BCE, *numéro d'entreprise / ondernemingsnummer*),
//! `invoicing.md` §8.1.

use std::fmt;

use super::{IdentError, check_97_minus, compact, string_conversions};

/// Ten digits `Z nnn nnn nnn` with Z ∈ {0, 1}, stored without dots: `0202239951`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnterpriseNumber(String);

impl EnterpriseNumber {
    /// Accepts spaces, dots and an optional `BE` prefix (any case):
    /// `BE 0202.239.951`, `0202.239.951`, `0202239951`.
    pub fn parse(input: &str) -> Result<Self, IdentError> {
        let s = compact(input, |c| c == ' ' || c == '.' || c == '\u{a0}')?;
        let digits = match s.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("BE") => &s[2..],
            _ => s.as_str(),
        };
        Self::from_digits(digits)
    }

    /// `digits` must be exactly the ten digits, nothing around them.
    pub(super) fn from_digits(digits: &str) -> Result<Self, IdentError> {
        if digits.is_empty() {
            return Err(IdentError::Empty);
        }
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentError::Format);
        }
        // Since 19 Sep 2023 new numbers start with 1 (the 0-series is used up); 2–9 do not
        // exist yet.
        if !digits.starts_with(['0', '1']) {
            return Err(IdentError::Format);
        }
        // Royal Decree of 1985 / KBO, and Peppol `u:mod97-0208`: 97 − (first 8 digits mod 97)
        // == last 2 digits, so a multiple of 97 gives 97.
        let (body, check) = digits.split_at(8);
        if check_97_minus(body) != check.parse::<u32>().map_err(|_| IdentError::Format)? {
            return Err(IdentError::Checksum);
        }
        Ok(Self(digits.to_string()))
    }

    /// The ten digits, no dots: `0202239951`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Peppol participant identifier with the KBO/BCE scheme (EAS/ICD `0208`):
    /// `0208:0202239951`.
    pub fn peppol_id(&self) -> String {
        format!("0208:{}", self.0)
    }
}

/// `0202.239.951`, the way the KBO/BCE writes it.
impl fmt::Display for EnterpriseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{}.{}.{}", &d[..4], &d[4..7], &d[7..])
    }
}

string_conversions!(EnterpriseNumber, as_str);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // invoicing.md §8.6, "Enterprise valid".
    const VALID: [&str; 12] = [
        "0202239951",
        "0403170701",
        "0417497106",
        "0404616494",
        "0203201340", // National Bank
        "0123456749",
        "0739484052", // Peppol unit test
        "0000000097", // edge: remainder 0 → 97
        "0812345603",
        "0412345614",
        "1000000021",
        "1001234592",
    ];

    #[test]
    fn every_reference_enterprise_number_is_accepted() {
        for n in VALID {
            let parsed = EnterpriseNumber::parse(n);
            assert!(parsed.is_ok(), "{n}: {parsed:?}");
            assert_eq!(parsed.unwrap().as_str(), n);
        }
    }

    #[test]
    fn an_enterprise_number_with_wrong_check_digits_is_refused() {
        // 97 − (04076170 mod 97) = 61, not 77; 04733950 → 38, not 43; 07394840 → 52;
        // 12345678 → 94, not 90; 04123456 → 14, not 15 (the sample be-invoice-bad-0208.xml).
        for n in [
            "0407617077",
            "0473395043",
            "0739484053",
            "0739484059",
            "1234567890",
            "0412345615",
        ] {
            assert_eq!(EnterpriseNumber::parse(n), Err(IdentError::Checksum), "{n}");
        }
    }

    #[test]
    fn an_enterprise_number_of_the_wrong_length_is_refused() {
        assert_eq!(
            EnterpriseNumber::parse("07399999484052"),
            Err(IdentError::Format)
        );
        // The pre-2007 nine-digit form is not guessed into a ten-digit one.
        assert_eq!(
            EnterpriseNumber::parse("202239951"),
            Err(IdentError::Format)
        );
    }

    #[test]
    fn an_enterprise_number_must_start_with_0_or_1() {
        // 97 − (20223995 mod 97) = 20: the check passes, the first digit does not.
        assert_eq!(check_97_minus("20223995"), 20);
        assert_eq!(
            EnterpriseNumber::parse("2022399520"),
            Err(IdentError::Format)
        );
    }

    #[test]
    fn an_enterprise_number_is_read_with_dots_spaces_and_a_be_prefix() {
        for input in [
            "BE 0202.239.951",
            "be0202239951",
            " 0202.239.951 ",
            "0202 239 951",
            "BE0202239951",
        ] {
            assert_eq!(
                EnterpriseNumber::parse(input).unwrap().as_str(),
                "0202239951",
                "{input}"
            );
        }
    }

    #[test]
    fn an_enterprise_number_with_other_characters_is_refused() {
        for input in [
            "0202-239-951",
            "0202239951x",
            "FR0202239951",
            "BEBE0202239951",
            "０202239951",
        ] {
            assert_eq!(
                EnterpriseNumber::parse(input),
                Err(IdentError::Format),
                "{input}"
            );
        }
    }

    #[test]
    fn an_empty_enterprise_number_is_reported_as_empty() {
        assert_eq!(EnterpriseNumber::parse(""), Err(IdentError::Empty));
        assert_eq!(EnterpriseNumber::parse("  . "), Err(IdentError::Empty));
        assert_eq!(EnterpriseNumber::parse("BE"), Err(IdentError::Empty));
    }

    #[test]
    fn an_enterprise_number_is_shown_with_dots_and_sent_to_peppol_under_0208() {
        let n = EnterpriseNumber::parse("0202239951").unwrap();
        assert_eq!(n.to_string(), "0202.239.951");
        assert_eq!(n.peppol_id(), "0208:0202239951");
        assert_eq!(
            EnterpriseNumber::parse("1000000021").unwrap().to_string(),
            "1000.000.021"
        );
    }

    #[test]
    fn an_enterprise_number_serialises_as_its_ten_digits_and_reads_back_checked() {
        let n: EnterpriseNumber = "BE 0202.239.951".parse().unwrap();
        assert_eq!(crate::ident::tests::serialized(&n), "0202239951");
        assert_eq!(
            crate::ident::tests::deserialized::<EnterpriseNumber>("0202.239.951"),
            Ok(n)
        );
        assert!(crate::ident::tests::deserialized::<EnterpriseNumber>("0412345615").is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_number_with_its_computed_check_is_accepted_and_any_other_check_refused(
            first in 0u32..=1, body in 0u32..10_000_000, wrong in 0u32..100,
        ) {
            let eight = format!("{first}{body:07}");
            let check = check_97_minus(&eight);
            let valid = format!("{eight}{check:02}");
            proptest::prop_assert_eq!(EnterpriseNumber::parse(&valid).map(|n| n.to_string().replace('.', "")), Ok(valid));
            if wrong != check {
                proptest::prop_assert_eq!(EnterpriseNumber::parse(&format!("{eight}{wrong:02}")), Err(IdentError::Checksum));
            }
        }
    }
}
