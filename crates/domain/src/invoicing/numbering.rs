//! Document numbers: one gap-free series per issuing entity, series and year
//! (art. 5 §1, 1° Royal Decree no. 1: "a sequential number in one or more series";
//! `invoicing.md` §4). The store keeps one counter row per (entity, series, year), locks it
//! inside the issuing transaction and calls [`next_number`]; a draft never gets a number.

use std::fmt;

use jiff::civil::Date;

use super::document::DocumentKind;

/// Invoices: `F2026-00042`.
pub const INVOICE_SERIES: &str = "F";
/// Credit notes have their own series: `NC2026-00007`.
pub const CREDIT_NOTE_SERIES: &str = "NC";
/// Quotes (and the order confirmation they become): `D2026-00120`.
pub const QUOTE_SERIES: &str = "D";

/// The series of an invoice or a credit note.
pub fn series_for(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Invoice => INVOICE_SERIES,
        DocumentKind::CreditNote => CREDIT_NOTE_SERIES,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberingError {
    #[error("not a document number")]
    Format,
    #[error("the last number belongs to another series")]
    SeriesMismatch,
    #[error("the year is before the year of the last number")]
    YearGoesBack,
    #[error("the series is full for this year")]
    Exhausted,
    #[error("the issue date is before the date of the last number")]
    DateGoesBack,
}

/// `F2026-00042`: the series (upper-case letters), the year, and the sequence in that year,
/// from 1, written with five digits and more when needed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentNumber {
    pub series: String,
    pub year: i32,
    pub sequence: u32,
}

impl DocumentNumber {
    /// Reads the printed form, and only it: `F2026-00042`, not `F2026-42` nor `f2026-00042`,
    /// so that one number has one spelling and the store's uniqueness holds.
    pub fn parse(input: &str) -> Result<Self, NumberingError> {
        let s = input.trim();
        let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
        let (series, rest) = s.split_at(letters);
        let (year, sequence) = rest.split_once('-').ok_or(NumberingError::Format)?;
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if series.is_empty() || year.len() != 4 || !all_digits(year) || !all_digits(sequence) {
            return Err(NumberingError::Format);
        }
        let number = Self {
            series: series.to_string(),
            year: year.parse().map_err(|_| NumberingError::Format)?,
            sequence: sequence.parse().map_err(|_| NumberingError::Format)?,
        };
        if number.sequence == 0 || number.to_string() != s {
            return Err(NumberingError::Format);
        }
        Ok(number)
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}-{:05}", self.series, self.year, self.sequence)
    }
}

impl std::str::FromStr for DocumentNumber {
    type Err = NumberingError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The number to give the next document of `series` issued in `year`, after `last`, the last
/// number of that series: last + 1 in the same year, 1 in a new year. Refused when `last`
/// is of another series or of a later year (a higher number may never carry an earlier date).
pub fn next_number(
    series: &str,
    year: i32,
    last: Option<&DocumentNumber>,
) -> Result<DocumentNumber, NumberingError> {
    if series.is_empty() || !series.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(NumberingError::Format);
    }
    if !(1000..=9999).contains(&year) {
        return Err(NumberingError::Format);
    }
    let sequence = match last {
        None => 1,
        Some(last) if last.series != series => return Err(NumberingError::SeriesMismatch),
        Some(last) if last.year > year => return Err(NumberingError::YearGoesBack),
        Some(last) if last.year < year => 1,
        Some(last) => last
            .sequence
            .checked_add(1)
            .ok_or(NumberingError::Exhausted)?,
    };
    Ok(DocumentNumber {
        series: series.to_string(),
        year,
        sequence,
    })
}

/// Numbers follow the dates: a document may not be issued with a date before that of the
/// last document of its series (`invoicing.md` §4, practice to confirm with the accountant).
pub fn check_date_order(
    last_issue_date: Option<Date>,
    issue_date: Date,
) -> Result<(), NumberingError> {
    match last_issue_date {
        Some(last) if issue_date < last => Err(NumberingError::DateGoesBack),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn number(series: &str, year: i32, sequence: u32) -> DocumentNumber {
        DocumentNumber {
            series: series.to_string(),
            year,
            sequence,
        }
    }

    #[test]
    fn a_number_is_written_with_five_digits_and_more_when_needed() {
        assert_eq!(number("F", 2026, 42).to_string(), "F2026-00042");
        assert_eq!(number("NC", 2026, 7).to_string(), "NC2026-00007");
        assert_eq!(number("F", 2026, 123_456).to_string(), "F2026-123456");
    }

    #[test]
    fn a_number_reads_back_as_written() {
        for s in ["F2026-00042", "NC2026-00007", "D2025-00001", "F2026-123456"] {
            assert_eq!(DocumentNumber::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            DocumentNumber::parse(" F2026-00042 ").unwrap(),
            number("F", 2026, 42)
        );
    }

    #[test]
    fn a_number_in_another_spelling_is_refused() {
        for s in [
            "",
            "F2026-42",      // not padded: one number, one spelling
            "F2026-042000x", // trailing junk
            "f2026-00042",   // lower-case series
            "2026-00042",    // no series
            "F26-00042",     // two-digit year
            "F2026-00000",   // sequences start at 1
            "F2026-0123456", // a leading zero past five digits
            "F2026/00042",
            "F2026-",
            "F-2026-00042",
            "F2026-99999999999", // does not fit
        ] {
            assert_eq!(DocumentNumber::parse(s), Err(NumberingError::Format), "{s}");
        }
    }

    #[test]
    fn the_first_number_of_a_series_is_1() {
        assert_eq!(next_number("F", 2026, None), Ok(number("F", 2026, 1)));
    }

    #[test]
    fn the_next_number_is_the_last_plus_one() {
        let last = number("F", 2026, 41);
        assert_eq!(
            next_number("F", 2026, Some(&last)).unwrap().to_string(),
            "F2026-00042"
        );
        let last = number("F", 2026, 99_999);
        assert_eq!(
            next_number("F", 2026, Some(&last)).unwrap().to_string(),
            "F2026-100000"
        );
    }

    #[test]
    fn the_first_number_of_a_new_year_is_1() {
        let last = number("F", 2025, 3_412);
        assert_eq!(
            next_number("F", 2026, Some(&last)),
            Ok(number("F", 2026, 1))
        );
    }

    #[test]
    fn a_number_is_never_given_in_a_year_before_the_last_one() {
        let last = number("F", 2026, 1);
        assert_eq!(
            next_number("F", 2025, Some(&last)),
            Err(NumberingError::YearGoesBack)
        );
    }

    #[test]
    fn a_series_never_continues_another_one() {
        let last = number("NC", 2026, 5);
        assert_eq!(
            next_number("F", 2026, Some(&last)),
            Err(NumberingError::SeriesMismatch)
        );
        assert_eq!(next_number("f", 2026, None), Err(NumberingError::Format));
        assert_eq!(next_number("", 2026, None), Err(NumberingError::Format));
    }

    #[test]
    fn a_full_series_is_refused_rather_than_wrapped() {
        let last = number("F", 2026, u32::MAX);
        assert_eq!(
            next_number("F", 2026, Some(&last)),
            Err(NumberingError::Exhausted)
        );
    }

    #[test]
    fn invoices_credit_notes_and_quotes_have_their_own_series() {
        assert_eq!(series_for(DocumentKind::Invoice), "F");
        assert_eq!(series_for(DocumentKind::CreditNote), "NC");
        assert_eq!(QUOTE_SERIES, "D");
    }

    #[test]
    fn a_document_may_not_be_dated_before_the_last_one_of_its_series() {
        let last = Some(date(2026, 3, 2));
        assert_eq!(
            check_date_order(last, date(2026, 3, 1)),
            Err(NumberingError::DateGoesBack)
        );
        assert_eq!(check_date_order(last, date(2026, 3, 2)), Ok(()));
        assert_eq!(check_date_order(None, date(2026, 1, 1)), Ok(()));
    }
}
