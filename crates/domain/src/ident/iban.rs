//! IBAN (ISO 13616, check ISO 7064 MOD 97-10) and, for Belgian accounts, the national check
//! of the BBAN (`invoicing.md` §8.4).

use std::fmt;

use super::{IdentError, check_mod97_or_97, compact, string_conversions};

/// An IBAN in its electronic form: upper case, no spaces, `BE68539007547034`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iban(String);

/// IBAN length per country, from the SWIFT IBAN registry: every SEPA country first, then
/// the other registry countries a client or supplier may bank in.
const LENGTHS: &[(&str, usize)] = &[
    // SEPA: the EU/EEA, Switzerland, the United Kingdom and the micro-states.
    ("AD", 24),
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("GI", 23),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IS", 26),
    ("IT", 27),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("VA", 22),
    // Albania, Moldova, Montenegro and North Macedonia joined the SEPA scheme in 2025.
    ("AL", 28),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    // Other countries of the registry.
    ("AE", 23),
    ("AZ", 28),
    ("BA", 20),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CR", 22),
    ("DJ", 27),
    ("DO", 28),
    ("EG", 29),
    ("FK", 18),
    ("FO", 18),
    ("GE", 22),
    ("GL", 18),
    ("GT", 28),
    ("HN", 28),
    ("IL", 23),
    ("IQ", 23),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LY", 25),
    ("MN", 20),
    ("MR", 27),
    ("MU", 30),
    ("NI", 28),
    ("OM", 23),
    ("PK", 24),
    ("PS", 29),
    ("QA", 29),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

fn expected_length(country: &str) -> Option<usize> {
    LENGTHS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|&(_, len)| len)
}

/// ISO 7064 MOD 97-10 over an alphanumeric string whose letters count as A=10 … Z=35,
/// without big integers: the remainder is carried one character (one or two digits) at a
/// time. The caller guarantees upper-case ASCII letters and digits only.
fn alphanumeric_mod97(s: &str) -> u32 {
    s.bytes().fold(0, |r, b| match b {
        b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
        _ => (r * 100 + u32::from(b - b'A') + 10) % 97,
    })
}

/// ISO 13616: move country and check digits to the end; the number must be ≡ 1 (mod 97).
fn iban_check_holds(iban: &str) -> bool {
    let (head, bban) = iban.split_at(4);
    alphanumeric_mod97(&format!("{bban}{head}")) == 1
}

/// ISO 13616 generation: the check digits are 98 − (BBAN + country + "00" mod 97).
fn iban_check_digits(country: &str, bban: &str) -> u32 {
    98 - alphanumeric_mod97(&format!("{bban}{country}00"))
}

impl Iban {
    /// Accepts spaces and lower case: `be68 5390 0754 7034`.
    pub fn parse(input: &str) -> Result<Self, IdentError> {
        let s = compact(input, |c| c.is_whitespace())?.to_ascii_uppercase();
        if !s.bytes().all(|b| b.is_ascii_alphanumeric()) || s.len() < 5 {
            return Err(IdentError::Format);
        }
        let (country, rest) = s.split_at(2);
        let (check, bban) = rest.split_at(2);
        if !country.bytes().all(|b| b.is_ascii_uppercase())
            || !check.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(IdentError::Format);
        }
        if expected_length(country) != Some(s.len()) {
            return Err(IdentError::Format);
        }
        // Belgian BBAN: 3-digit bank code, 7-digit account, 2-digit national check.
        if country == "BE" && !bban.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentError::Format);
        }
        // ISO 13616 allows check digits 02–98 only: 00, 01 and 99 are congruent to 97, 98
        // and 02 and would pass the remainder test.
        if matches!(check, "00" | "01" | "99") || !iban_check_holds(&s) {
            return Err(IdentError::Checksum);
        }
        if country == "BE" && !belgian_national_check_holds(bban) {
            return Err(IdentError::NationalChecksum);
        }
        Ok(Self(s))
    }

    /// The Belgian IBAN of bank code `bank` (3 digits) and account `account` (7 digits),
    /// with both its national and its IBAN check digits computed. Used to generate demo
    /// data; out-of-range parts keep only their last 3 and 7 digits.
    pub fn belgian(bank: u16, account: u32) -> Iban {
        let first_ten = format!("{:03}{:07}", bank % 1000, account % 10_000_000);
        // Belgian national check: first 10 digits mod 97, 97 when the remainder is 0.
        let bban = format!("{first_ten}{:02}", check_mod97_or_97(&first_ten));
        let check = iban_check_digits("BE", &bban);
        Iban(format!("BE{check:02}{bban}"))
    }

    /// Electronic form, upper case and no spaces: `BE68539007547034`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// ISO 3166-1 alpha-2 country code: `BE`.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }

    /// The national account number (BBAN), everything after the check digits.
    pub fn bban(&self) -> &str {
        &self.0[4..]
    }
}

/// Belgian BBAN: `int(first 10 digits) mod 97`, 97 when 0, must equal the last 2 digits
/// (bank code 3 + account 7 + check 2). The IBAN check does not cover it: `BE09001000000097`
/// passes MOD 97-10 with a wrong national check.
fn belgian_national_check_holds(bban: &str) -> bool {
    let (first_ten, check) = bban.split_at(10);
    check
        .parse::<u32>()
        .is_ok_and(|c| c == check_mod97_or_97(first_ten))
}

/// Paper form, in groups of four: `BE68 5390 0754 7034`.
impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            // Only ASCII alphanumerics are stored, so every chunk is valid UTF-8.
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

string_conversions!(Iban, as_str);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ident::mod97;
    use crate::ident::tests::{deserialized, serialized};

    // invoicing.md §8.6, "IBAN valid".
    const VALID: [&str; 7] = [
        "BE68539007547034",
        "BE71096123456769",
        "BE62510007547061",
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
    ];

    #[test]
    fn every_reference_iban_is_accepted() {
        for iban in VALID {
            let parsed = Iban::parse(iban);
            assert!(parsed.is_ok(), "{iban}: {parsed:?}");
            assert_eq!(parsed.unwrap().as_str(), iban);
        }
    }

    #[test]
    fn an_iban_with_bad_check_digits_is_refused() {
        // invoicing.md §8.6: BE69539007547034 leaves remainder 2, not 1.
        assert_eq!(alphanumeric_mod97("539007547034111469"), 2);
        assert_eq!(Iban::parse("BE69539007547034"), Err(IdentError::Checksum));
        // One character changed in each of the foreign reference IBANs.
        for iban in [
            "GB82WEST12345698765433",
            "DE89370400440532013001",
            "NL91ABNA0417164301",
            "FR1420041010050500013M02607",
        ] {
            assert_eq!(Iban::parse(iban), Err(IdentError::Checksum), "{iban}");
        }
    }

    #[test]
    fn an_iban_with_a_bad_belgian_national_check_is_refused() {
        // invoicing.md §8.6 "IBAN ok, BBAN bad": 0010000000 mod 97 = 76, not 97.
        assert!(iban_check_holds("BE09001000000097"));
        assert_eq!(mod97("0010000000"), 76);
        assert_eq!(
            Iban::parse("BE09001000000097"),
            Err(IdentError::NationalChecksum)
        );
    }

    #[test]
    fn the_worked_example_of_the_reference_carries_the_remainder() {
        // invoicing.md §8.4: 539007547 mod 97 = 81, then 81034111468 mod 97 = 1; and the
        // Belgian check 5390075470 mod 97 = 34.
        assert_eq!(mod97("539007547"), 81);
        assert_eq!(mod97("81034111468"), 1);
        assert_eq!(alphanumeric_mod97("539007547034BE68"), 1);
        assert_eq!(check_mod97_or_97("5390075470"), 34);
    }

    #[test]
    fn check_digits_outside_02_to_98_are_refused_even_when_congruent() {
        // Check digits 02 and 99 are congruent mod 97, so the remainder test alone would take
        // both; ISO 13616 only issues 02–98. Find an account whose check digits are 02.
        let with_02 = (0..10_000u32)
            .map(|account| Iban::belgian(539, account))
            .find(|iban| &iban.as_str()[2..4] == "02");
        let with_02 = with_02.unwrap();
        let with_99 = format!("BE99{}", with_02.bban());
        assert!(iban_check_holds(&with_99));
        assert_eq!(Iban::parse(&with_99), Err(IdentError::Checksum));
        for check in ["00", "01", "99"] {
            assert_eq!(
                Iban::parse(&format!("BE{check}539007547034")),
                Err(IdentError::Checksum)
            );
        }
    }

    #[test]
    fn an_iban_of_the_wrong_length_for_its_country_is_refused() {
        assert_eq!(Iban::parse("BE6853900754703"), Err(IdentError::Format));
        assert_eq!(Iban::parse("BE685390075470344"), Err(IdentError::Format));
        assert_eq!(Iban::parse("NL91ABNA04171643001"), Err(IdentError::Format));
    }

    #[test]
    fn an_iban_of_a_country_without_iban_is_refused() {
        assert_eq!(Iban::parse("US12345678901234"), Err(IdentError::Format));
        assert_eq!(Iban::parse("1268539007547034"), Err(IdentError::Format));
    }

    #[test]
    fn a_belgian_iban_with_letters_in_its_bban_is_refused() {
        assert_eq!(Iban::parse("BE6853900754703A"), Err(IdentError::Format));
    }

    #[test]
    fn an_iban_with_punctuation_is_refused() {
        assert_eq!(Iban::parse("BE68-5390-0754-7034"), Err(IdentError::Format));
        assert_eq!(Iban::parse("BE68.5390.0754.7034"), Err(IdentError::Format));
        assert_eq!(Iban::parse("BÉ68539007547034"), Err(IdentError::Format));
    }

    #[test]
    fn an_empty_iban_is_reported_as_empty() {
        assert_eq!(Iban::parse(""), Err(IdentError::Empty));
        assert_eq!(Iban::parse("   "), Err(IdentError::Empty));
    }

    #[test]
    fn an_iban_is_read_with_spaces_and_in_lower_case() {
        for input in [
            "be68 5390 0754 7034",
            " BE68 5390 0754 7034 ",
            "Be68539007547034",
        ] {
            assert_eq!(
                Iban::parse(input).unwrap().as_str(),
                "BE68539007547034",
                "{input}"
            );
        }
        assert_eq!(
            Iban::parse("fr14 2004 1010 0505 0001 3m02 606")
                .unwrap()
                .as_str(),
            "FR1420041010050500013M02606"
        );
    }

    #[test]
    fn an_iban_is_shown_in_groups_of_four() {
        let iban = Iban::parse("BE68539007547034").unwrap();
        assert_eq!(iban.to_string(), "BE68 5390 0754 7034");
        assert_eq!(iban.country(), "BE");
        assert_eq!(iban.bban(), "539007547034");
        let fr = Iban::parse("FR1420041010050500013M02606").unwrap();
        assert_eq!(fr.to_string(), "FR14 2004 1010 0505 0001 3M02 606");
        assert_eq!(fr.country(), "FR");
    }

    #[test]
    fn a_generated_belgian_iban_has_both_check_digits_right() {
        // The reference IBANs, rebuilt from bank code and account.
        assert_eq!(Iban::belgian(539, 75470).as_str(), "BE68539007547034");
        assert_eq!(Iban::belgian(96, 1234567).as_str(), "BE71096123456769");
        assert_eq!(Iban::belgian(510, 75470).as_str(), "BE62510007547061");
        // Remainder 0 gives national check 97.
        assert_eq!(Iban::belgian(0, 97).bban(), "000000009797");
        for bank in [0u16, 1, 96, 310, 539, 999] {
            for account in [0u32, 1, 97, 1234567, 9_999_999] {
                let iban = Iban::belgian(bank, account);
                assert_eq!(Iban::parse(iban.as_str()), Ok(iban.clone()), "{iban}");
            }
        }
    }

    #[test]
    fn an_iban_serialises_without_spaces_and_reads_back_checked() {
        let iban: Iban = "be68 5390 0754 7034".parse().unwrap();
        assert_eq!(serialized(&iban), "BE68539007547034");
        assert_eq!(deserialized::<Iban>("BE68 5390 0754 7034"), Ok(iban));
        assert!(deserialized::<Iban>("BE09001000000097").is_err());
    }

    #[test]
    fn every_sepa_country_has_a_length() {
        for country in [
            "AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
            "GI", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL",
            "NO", "PL", "PT", "RO", "SE", "SI", "SK", "SM", "VA",
        ] {
            assert!(expected_length(country).is_some(), "{country}");
        }
        let mut seen: Vec<&str> = LENGTHS.iter().map(|(c, _)| *c).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), LENGTHS.len(), "a country is listed twice");
    }

    proptest::proptest! {
        #[test]
        fn any_generated_belgian_iban_reads_back_from_its_paper_form(bank in 0u16..1000, account in 0u32..10_000_000) {
            let iban = Iban::belgian(bank, account);
            proptest::prop_assert_eq!(Iban::parse(&iban.to_string()), Ok(iban.clone()));
            proptest::prop_assert_eq!(&iban.bban()[..3], format!("{bank:03}"));
        }

        #[test]
        fn changing_one_digit_of_an_iban_is_always_caught(index in 2usize..16, delta in 1u8..10) {
            // MOD 97-10 detects every single-digit substitution (ISO 7064).
            let mut bytes = Iban::belgian(539, 75470).as_str().as_bytes().to_vec();
            bytes[index] = b'0' + (bytes[index] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            proptest::prop_assert!(Iban::parse(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn parsing_any_text_never_panics(s in "\\PC{0,40}") {
            let _ = Iban::parse(&s);
        }
    }
}
