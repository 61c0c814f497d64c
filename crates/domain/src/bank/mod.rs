//! Bank statements as ruche keeps them, whatever file they came in (CODA v2 or camt.053),
//! and the rules that match their movements to invoices (payments.md §4).
//!
//! The parsers (`ruche_formats`) turn a file into a [`StatementFile`]; the store imports it.
//! Matching is pure: [`matching`] finds the references a movement carries and ranks the
//! open invoices it may pay.

pub mod matching;

use jiff::civil::Date;
use serde::Serialize;

/// The most movements one statement may bring (TigerStyle: a bound on every loop). A
/// cooperative's daily statement holds a few hundred; the benchmark's generated year 100,000.
pub const MAX_MOVEMENTS_PER_STATEMENT: usize = 100_000;

/// The file format a statement came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StatementFormat {
    Coda,
    Camt053,
}

impl StatementFormat {
    /// Stable storage code: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            StatementFormat::Coda => "coda",
            StatementFormat::Camt053 => "camt053",
        }
    }
}

/// One movement as the bank statement gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankMovementInput {
    /// The bank's unique reference of the movement: the idempotency key, with the account.
    pub bank_reference: String,
    pub account_iban: String,
    /// Where the movement is in its file, for the import report: the CODA line, or the
    /// camt entry's position in its statement.
    pub line: Option<u64>,
    pub booked_on: Date,
    pub value_date: Option<Date>,
    /// Signed: money in is positive, money out negative.
    pub amount_cents: i64,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    /// The twelve digits of a structured communication, only when its check holds.
    pub ogm: Option<String>,
    /// A structured communication whose check digits are wrong, as written: flagged, never
    /// refused (payments.md §4.7).
    pub invalid_ogm: Option<String>,
    pub free_text: Option<String>,
    /// The `EndToEndId` of the cooperative's own transfer coming back (payments.md §4.6).
    pub end_to_end_id: Option<String>,
    /// A reversal (`RvslInd`) or a return (`RtrInf`, CODA R-transaction) of an earlier
    /// movement.
    pub reversal: bool,
}

/// One statement: an account over one period, and its movements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementInput {
    pub format: StatementFormat,
    pub account_iban: String,
    /// The bank's sequence number of the statement, as written.
    pub sequence: Option<String>,
    /// The statement's date: that of its closing (new) balance.
    pub date: Option<Date>,
    pub opening_cents: Option<i64>,
    pub closing_cents: Option<i64>,
    pub movements: Vec<BankMovementInput>,
}

/// A whole file: imported all or nothing (a refused statement refuses the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementFile {
    /// The name the file was uploaded under, for the import history.
    pub file_name: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    pub format: StatementFormat,
    pub statements: Vec<StatementInput>,
    /// What the parser flagged without refusing (invalid OGMs, movements without a date…),
    /// each with its line or entry.
    pub warnings: Vec<String>,
}

/// Statement numbers continue per account (payments.md §3.3 and §4.8). CODA numbers have
/// three digits and wrap after 999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Continuity {
    /// The first statement of the account, or the one after the last.
    Follows,
    /// A statement already imported (an overlapping file): only its new movements count.
    Repeats,
    /// Statements are missing between the last one and this one: reported, not refused.
    Gap { missing: u64 },
    /// Older than the last imported statement but not a repeat of it.
    OutOfSequence,
}

/// Where statement `sequence` dated `date` stands after the last imported one of its
/// account (`last`: its sequence and date). Sequences that are not numbers only compare
/// by date.
pub fn continuity(
    format: StatementFormat,
    last: Option<(&str, Date)>,
    sequence: Option<&str>,
    date: Option<Date>,
) -> Continuity {
    let Some((last_sequence, last_date)) = last else {
        return Continuity::Follows;
    };
    let parse = |s: &str| s.trim().parse::<u64>().ok();
    let (Some(last_n), Some(n)) = (parse(last_sequence), sequence.and_then(parse)) else {
        return match date {
            Some(d) if d < last_date => Continuity::OutOfSequence,
            _ => Continuity::Follows,
        };
    };
    if n == last_n {
        return Continuity::Repeats;
    }
    // CODA: 001 follows 999 in a new year.
    let wraps =
        format == StatementFormat::Coda && n < last_n && date.is_some_and(|d| d > last_date);
    let next = last_n + 1;
    let n = if wraps { n + 999 } else { n };
    match n.cmp(&next) {
        std::cmp::Ordering::Equal => Continuity::Follows,
        std::cmp::Ordering::Greater => Continuity::Gap { missing: n - next },
        std::cmp::Ordering::Less => Continuity::OutOfSequence,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_first_statement_of_an_account_follows() {
        assert_eq!(
            continuity(StatementFormat::Coda, None, Some("005"), None),
            Continuity::Follows
        );
    }

    #[test]
    fn the_next_number_follows_the_same_repeats_and_a_jump_is_a_gap() {
        let last = Some(("041", date(2026, 3, 2)));
        let d = Some(date(2026, 3, 3));
        assert_eq!(
            continuity(StatementFormat::Coda, last, Some("042"), d),
            Continuity::Follows
        );
        assert_eq!(
            continuity(StatementFormat::Coda, last, Some("041"), d),
            Continuity::Repeats
        );
        assert_eq!(
            continuity(StatementFormat::Coda, last, Some("045"), d),
            Continuity::Gap { missing: 3 }
        );
        assert_eq!(
            continuity(
                StatementFormat::Coda,
                last,
                Some("039"),
                Some(date(2026, 2, 27))
            ),
            Continuity::OutOfSequence
        );
    }

    #[test]
    fn coda_numbers_wrap_after_999_in_a_later_statement() {
        let last = Some(("999", date(2026, 12, 30)));
        assert_eq!(
            continuity(
                StatementFormat::Coda,
                last,
                Some("001"),
                Some(date(2026, 12, 31))
            ),
            Continuity::Follows
        );
        assert_eq!(
            continuity(
                StatementFormat::Camt053,
                last,
                Some("001"),
                Some(date(2026, 12, 31))
            ),
            Continuity::OutOfSequence
        );
    }

    #[test]
    fn sequences_that_are_not_numbers_compare_by_date() {
        let last = Some(("STMT-A", date(2026, 3, 2)));
        assert_eq!(
            continuity(
                StatementFormat::Camt053,
                last,
                Some("STMT-B"),
                Some(date(2026, 3, 1))
            ),
            Continuity::OutOfSequence
        );
        assert_eq!(
            continuity(
                StatementFormat::Camt053,
                last,
                Some("STMT-B"),
                Some(date(2026, 3, 3))
            ),
            Continuity::Follows
        );
    }
}
