//! Belgian national register number (NISS / INSZ / *rijksregisternummer*) and BIS number:
//! 11 digits `YYMMDD SSS CC`, written `85.07.30-033.28`.

use std::fmt;

use super::{IdentError, check_97_minus, compact, string_conversions};

/// Eleven digits, no separators: `85073003328`. Personal data (GDPR): show it only to those
/// who need it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Niss(String);

/// Check value of the first nine digits for someone born in `century` (1900 or 2000).
/// Since 2000 the register computes it on "2" followed by the nine digits.
fn check_digits(first_nine: &str, century: i32) -> u32 {
    if century >= 2000 {
        check_97_minus(&format!("2{first_nine}"))
    } else {
        check_97_minus(first_nine)
    }
}

/// Whether `(month, day)` of `year` may stand in a NISS or BIS number. Month 0 and day 0
/// mean "unknown"; BIS numbers add 20 (sex unknown at registration) or 40 (sex known) to
/// the month.
fn birth_is_possible(year: i32, month: u8, day: u8) -> bool {
    let month = match month {
        0..=12 => month,
        20..=32 => month - 20,
        40..=52 => month - 40,
        _ => return false,
    };
    match (month, day) {
        (_, 0) => true,
        (0, d) => d <= 31,
        (m, d) => {
            let Ok(year) = i16::try_from(year) else {
                return false;
            };
            jiff::civil::Date::new(year, m as i8, d as i8).is_ok()
        }
    }
}

impl Niss {
    /// Accepts dots, dashes and spaces: `85.07.30-033.28`, `85073003328`.
    pub fn parse(input: &str) -> Result<Self, IdentError> {
        let s = compact(input, |c| matches!(c, '.' | '-' | ' ' | '\u{a0}'))?;
        if s.len() != 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentError::Format);
        }
        let niss = Self(s);
        let century = niss.century().ok_or(IdentError::Checksum)?;
        let (yy, month, day) = niss.date_digits();
        if !birth_is_possible(century + i32::from(yy), month, day) {
            return Err(IdentError::BirthDate);
        }
        Ok(niss)
    }

    /// A valid number for someone born on `birth` = (year, month, day) with the day's serial
    /// `serial`, its check digits computed for the right century; for generated demo data.
    /// Never fails: the year is brought into 1900–2099, the serial to its last three digits,
    /// and an impossible (month, day) is written as 00 00, the register's "unknown birth
    /// date". Use [`Niss::try_from_parts`] to be told instead.
    pub fn from_parts(birth: (i32, u8, u8), serial: u16) -> Niss {
        let (year, month, day) = birth;
        let year = year.clamp(1900, 2099);
        let (month, day) = if birth_is_possible(year, month, day) {
            (month, day)
        } else {
            (0, 0)
        };
        Self::build(year, month, day, serial % 1000)
    }

    /// Like [`Niss::from_parts`] but refuses a year outside 1900–2099 or an impossible
    /// date (`BirthDate`) and a serial above 999 (`Format`).
    pub fn try_from_parts(birth: (i32, u8, u8), serial: u16) -> Result<Niss, IdentError> {
        let (year, month, day) = birth;
        if !(1900..=2099).contains(&year) || !birth_is_possible(year, month, day) {
            return Err(IdentError::BirthDate);
        }
        if serial > 999 {
            return Err(IdentError::Format);
        }
        Ok(Self::build(year, month, day, serial))
    }

    fn build(year: i32, month: u8, day: u8, serial: u16) -> Niss {
        let first_nine = format!("{:02}{month:02}{day:02}{serial:03}", year.rem_euclid(100));
        let check = check_digits(&first_nine, year);
        Niss(format!("{first_nine}{check:02}"))
    }

    /// The eleven digits: `85073003328`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 1900 or 2000: the century whose check rule the digits satisfy. Both can never hold
    /// at once (2 000 000 000 mod 97 = 68, not 0).
    pub fn birth_year_century(&self) -> i32 {
        self.century().unwrap_or(1900)
    }

    /// The birth date, when month and day are known (BIS numbers included).
    pub fn birth_date(&self) -> Option<jiff::civil::Date> {
        let (yy, month, day) = self.date_digits();
        let month = month % 20;
        if month == 0 || day == 0 {
            return None;
        }
        let year = i16::try_from(self.birth_year_century() + i32::from(yy)).ok()?;
        jiff::civil::Date::new(year, month as i8, day as i8).ok()
    }

    /// A BIS number (for people not in the national register): month raised by 20 or 40.
    pub fn is_bis(&self) -> bool {
        self.date_digits().1 >= 20
    }

    /// The century whose check rule holds, `None` when neither does.
    fn century(&self) -> Option<i32> {
        let (first_nine, check) = self.0.split_at(9);
        let check: u32 = check.parse().ok()?;
        [1900, 2000]
            .into_iter()
            .find(|&c| check_digits(first_nine, c) == check)
    }

    /// (YY, MM, DD) as numbers.
    fn date_digits(&self) -> (u8, u8, u8) {
        let two = |i: usize| {
            self.0
                .get(i..i + 2)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        };
        (two(0), two(2), two(4))
    }
}

/// `85.07.30-033.28`, the way the eID card prints it.
impl fmt::Display for Niss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(
            f,
            "{}.{}.{}-{}.{}",
            &d[..2],
            &d[2..4],
            &d[4..6],
            &d[6..9],
            &d[9..]
        )
    }
}

string_conversions!(Niss, as_str);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ident::tests::{deserialized, serialized};
    use jiff::civil::date;

    #[test]
    fn a_number_of_someone_born_before_2000_checks_on_the_nine_digits() {
        // 850730033 mod 97 = 69, 97 − 69 = 28.
        let n = Niss::parse("85073003328").unwrap();
        assert_eq!(n.birth_year_century(), 1900);
        assert_eq!(n.birth_date(), Some(date(1985, 7, 30)));
        assert!(!n.is_bis());
        // 990101999 mod 97 = 10 → 87.
        assert_eq!(
            Niss::parse("99010199987").unwrap().birth_date(),
            Some(date(1999, 1, 1))
        );
    }

    #[test]
    fn a_number_of_someone_born_since_2000_checks_on_2_followed_by_the_nine_digits() {
        // 2170730033 mod 97 = 13 → 84 (the 1900 rule would want 55).
        let n = Niss::parse("17073003384").unwrap();
        assert_eq!(n.birth_year_century(), 2000);
        assert_eq!(n.birth_date(), Some(date(2017, 7, 30)));
        // 2000101001 mod 97 = 92 → 05: born 1 January 2000.
        assert_eq!(
            Niss::parse("00010100105").unwrap().birth_date(),
            Some(date(2000, 1, 1))
        );
        // 2040229123 mod 97 = 90 → 07: 29 February 2004, a leap year.
        assert_eq!(
            Niss::parse("04022912307").unwrap().birth_date(),
            Some(date(2004, 2, 29))
        );
    }

    #[test]
    fn a_number_with_wrong_check_digits_is_refused() {
        // Neither 28 (1900 rule) nor 57 (2000 rule).
        assert_eq!(Niss::parse("85073003329"), Err(IdentError::Checksum));
        // The 1900 check digits of a 2017 birth would do for 1917, not for the 2000 rule:
        // 170730033 mod 97 = 42 → 55, accepted as 1917.
        assert_eq!(
            Niss::parse("17073003355").unwrap().birth_year_century(),
            1900
        );
        assert_eq!(Niss::parse("17073003300"), Err(IdentError::Checksum));
    }

    #[test]
    fn the_29th_of_february_is_possible_in_2000_but_not_in_1900() {
        // 2000229002 mod 97 = 53 → 44: 29 Feb 2000 exists.
        assert_eq!(
            Niss::parse("00022900244").unwrap().birth_date(),
            Some(date(2000, 2, 29))
        );
        // 000229002 mod 97 = 82 → 15: the digits check for 1900, and 29 Feb 1900 never was.
        assert_eq!(Niss::parse("00022900215"), Err(IdentError::BirthDate));
    }

    #[test]
    fn an_impossible_birth_date_is_refused() {
        // 850230033 mod 97 = 7 → 90: 30 February.
        assert_eq!(Niss::parse("85023003390"), Err(IdentError::BirthDate));
        // 851330033 mod 97 = 27 → 70: month 13.
        assert_eq!(Niss::parse("85133003370"), Err(IdentError::BirthDate));
        // 853530033 mod 97 = 67 → 30: month 35, neither a month nor a BIS month.
        assert_eq!(Niss::parse("85353003330"), Err(IdentError::BirthDate));
        // 856130033 mod 97 = 79 → 18: month 61.
        assert_eq!(Niss::parse("85613003318"), Err(IdentError::BirthDate));
    }

    #[test]
    fn an_unknown_birth_month_or_day_is_allowed() {
        // 000000001 mod 97 = 1 → 96: month and day unknown, born in the 1900s.
        let n = Niss::parse("00000000196").unwrap();
        assert_eq!(n.birth_date(), None);
        // 2000000997 mod 97 = 95 → 02: the same in the 2000s.
        assert_eq!(
            Niss::parse("00000099702").unwrap().birth_year_century(),
            2000
        );
        // 850700033 mod 97 = 42 → 55: July 1985, day unknown.
        assert_eq!(Niss::parse("85070003355").unwrap().birth_date(), None);
    }

    #[test]
    fn a_bis_number_adds_20_or_40_to_the_month() {
        // 854730033 mod 97 = 80 → 17: month 47 = July, sex known.
        let bis = Niss::parse("85473003317").unwrap();
        assert!(bis.is_bis());
        assert_eq!(bis.birth_date(), Some(date(1985, 7, 30)));
        // 852730033 mod 97 = 26 → 71: month 27 = July, sex unknown.
        assert_eq!(
            Niss::parse("85273003371").unwrap().birth_date(),
            Some(date(1985, 7, 30))
        );
    }

    #[test]
    fn a_number_is_read_with_dots_dashes_and_spaces() {
        for input in [
            "85.07.30-033.28",
            "850730 033 28",
            " 85073003328 ",
            "85-07-30-033-28",
        ] {
            assert_eq!(
                Niss::parse(input).unwrap().as_str(),
                "85073003328",
                "{input}"
            );
        }
    }

    #[test]
    fn a_number_of_the_wrong_length_or_with_letters_is_refused() {
        for input in [
            "8507300332",
            "850730033280",
            "85.07.30-033.2x",
            "85/07/30 033 28",
        ] {
            assert_eq!(Niss::parse(input), Err(IdentError::Format), "{input}");
        }
    }

    #[test]
    fn an_empty_number_is_reported_as_empty() {
        assert_eq!(Niss::parse(""), Err(IdentError::Empty));
        assert_eq!(Niss::parse(" .-"), Err(IdentError::Empty));
    }

    #[test]
    fn a_number_is_shown_the_way_the_eid_card_prints_it() {
        assert_eq!(
            Niss::parse("85073003328").unwrap().to_string(),
            "85.07.30-033.28"
        );
    }

    #[test]
    fn a_generated_number_gets_the_check_digits_of_its_century() {
        assert_eq!(Niss::from_parts((1985, 7, 30), 33).as_str(), "85073003328");
        assert_eq!(Niss::from_parts((2017, 7, 30), 33).as_str(), "17073003384");
        assert_eq!(Niss::from_parts((2000, 2, 29), 2).as_str(), "00022900244");
        assert_eq!(Niss::from_parts((1985, 47, 30), 33).as_str(), "85473003317");
        for (birth, serial) in [
            ((1950, 12, 31), 1),
            ((1999, 2, 28), 997),
            ((2000, 1, 1), 1),
            ((2024, 2, 29), 500),
        ] {
            let n = Niss::from_parts(birth, serial);
            assert_eq!(Niss::parse(n.as_str()), Ok(n.clone()), "{n}");
            assert_eq!(Niss::try_from_parts(birth, serial), Ok(n.clone()));
            assert_eq!(
                n.birth_year_century(),
                if birth.0 >= 2000 { 2000 } else { 1900 }
            );
        }
    }

    #[test]
    fn a_generated_number_never_holds_an_impossible_date() {
        // 29 Feb 1900 did not exist: the date is written as unknown.
        let n = Niss::from_parts((1900, 2, 29), 1);
        assert_eq!(n.as_str().get(..6), Some("000000"));
        assert!(Niss::parse(n.as_str()).is_ok());
        assert_eq!(
            Niss::try_from_parts((1900, 2, 29), 1),
            Err(IdentError::BirthDate)
        );
        assert_eq!(
            Niss::try_from_parts((1985, 13, 1), 1),
            Err(IdentError::BirthDate)
        );
        assert_eq!(
            Niss::try_from_parts((1850, 1, 1), 1),
            Err(IdentError::BirthDate)
        );
        assert_eq!(
            Niss::try_from_parts((1985, 1, 1), 1000),
            Err(IdentError::Format)
        );
        assert!(Niss::parse(Niss::from_parts((1985, 1, 1), 1234).as_str()).is_ok());
    }

    #[test]
    fn a_number_serialises_as_its_eleven_digits_and_reads_back_checked() {
        let n: Niss = "85.07.30-033.28".parse().unwrap();
        assert_eq!(serialized(&n), "85073003328");
        assert_eq!(deserialized::<Niss>("85.07.30-033.28"), Ok(n));
        assert!(deserialized::<Niss>("85073003329").is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_generated_number_reads_back_with_its_birth_date(
            days in 0i32..73_000, serial in 0u16..1000,
        ) {
            // Any day from 1 January 1900 to the end of 2099.
            let birth = date(1900, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            let parts = (i32::from(birth.year()), birth.month() as u8, birth.day() as u8);
            let n = Niss::try_from_parts(parts, serial).unwrap();
            let parsed = Niss::parse(&n.to_string()).unwrap();
            proptest::prop_assert_eq!(parsed.birth_date(), Some(birth));
            proptest::prop_assert_eq!(parsed.birth_year_century(), if birth.year() >= 2000 { 2000 } else { 1900 });
        }

        #[test]
        fn parsing_any_text_never_panics(s in "\\PC{0,20}") {
            let _ = Niss::parse(&s);
        }
    }
}
