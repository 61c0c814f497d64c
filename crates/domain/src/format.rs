//! Belgian formatting of amounts, dates and times, the same on every page, in every language
//! (FR, NL and EN pages all write `1.234,56 €` and `26/11/2026`).

use std::sync::LazyLock;

use jiff::tz::TimeZone;

/// Belgian legal time as a POSIX rule: CET (UTC+1), summer time CEST (UTC+2) from the last
/// Sunday of March at 02:00 to the last Sunday of October at 03:00 (EU directive 2000/84/EC).
const BRUSSELS_POSIX: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

/// The cooperative's time zone: every time a person reads is Brussels time.
static BRUSSELS: LazyLock<TimeZone> = LazyLock::new(|| {
    // The bundled tz database (feature `tzdb-bundle-always`) always has it; should it ever
    // be missing, the POSIX rule still gives the right offset for dates since 1996.
    TimeZone::get("Europe/Brussels")
        .or_else(|_| TimeZone::posix(BRUSSELS_POSIX))
        .unwrap_or(TimeZone::UTC)
});

/// `1.234,56 €`: dot between thousands, comma before the cents, and a non-breaking space
/// (U+00A0) before the euro sign so that the sign never wraps onto its own line.
pub fn money(cents: i64) -> String {
    // unsigned_abs: i64::MIN has no positive i64.
    let abs = cents.unsigned_abs();
    let sign = if cents < 0 { "-" } else { "" };
    format!(
        "{sign}{},{:02}\u{a0}€",
        group_thousands(abs / 100),
        abs % 100
    )
}

/// `1234567` → `1.234.567`.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `26/11/2026`.
pub fn date(d: jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// `26/11/2026 17:30`, in Europe/Brussels time whatever the server's time zone.
pub fn datetime(ts: jiff::Timestamp) -> String {
    let local = ts.to_zoned(BRUSSELS.clone());
    format!(
        "{} {:02}:{:02}",
        date(local.date()),
        local.hour(),
        local.minute()
    )
}

/// Reads an amount typed by a person into cents: `1.234,56`, `1234,56`, `1234.56`, `12`,
/// with an optional sign and an optional `€` before or after. A comma is always the decimal
/// separator; a dot is one only when it is the single dot and one or two digits follow it
/// (`1.234` is one thousand two hundred and thirty-four euros). Dots and spaces between
/// thousands must group by three. More than two decimals, or anything else, gives `None`.
pub fn parse_money(input: &str) -> Option<i64> {
    let mut rest = input.trim();
    let mut negative = false;
    let (mut signed, mut euro) = (false, false);
    // Sign and euro sign may come in either order before the number: `-12 €`, `€ -12`, `-€12`.
    loop {
        if let Some(r) = rest.strip_prefix(['-', '+', '\u{2212}']) {
            if signed {
                return None;
            }
            signed = true;
            negative = !rest.starts_with('+');
            rest = r.trim_start();
        } else if let Some(r) = rest.strip_prefix('€') {
            if euro {
                return None;
            }
            euro = true;
            rest = r.trim_start();
        } else {
            break;
        }
    }
    if let Some(r) = rest.strip_suffix('€') {
        if euro {
            return None;
        }
        rest = r.trim_end();
    }

    let (whole, fraction) = match (rest.matches(',').count(), rest.matches('.').count()) {
        (0, 1) => match rest.split_once('.') {
            Some((w, f)) if (1..=2).contains(&f.len()) => (w, Some(f)),
            _ => (rest, None),
        },
        (0, _) => (rest, None),
        (1, _) => rest.split_once(',').map(|(w, f)| (w, Some(f)))?,
        _ => return None,
    };

    let euros = parse_grouped_digits(whole)?;
    let cents = match fraction {
        None => 0,
        Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            // `12,5` is twelve euros fifty.
            let n: i128 = f.parse().ok()?;
            if f.len() == 1 { n * 10 } else { n }
        }
        Some(_) => return None,
    };
    let total = euros.checked_mul(100)?.checked_add(cents)?;
    i64::try_from(if negative { -total } else { total }).ok()
}

/// `1.234.567` or `1 234 567` or `1234567` → 1234567: digits, optionally in groups of three
/// after a first group of one to three.
fn parse_grouped_digits(s: &str) -> Option<i128> {
    let groups: Vec<&str> = s.split(['.', ' ', '\u{a0}', '\u{202f}']).collect();
    let well_grouped = match groups.as_slice() {
        [] => false,
        [only] => !only.is_empty(),
        [first, others @ ..] => {
            (1..=3).contains(&first.len()) && others.iter().all(|g| g.len() == 3)
        }
    };
    if !well_grouped || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    // At most 38 digits fit an i128; more is no amount anyone types.
    let digits: String = groups.concat();
    if digits.len() > 30 {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    const NBSP: char = '\u{a0}';

    #[test]
    fn an_amount_is_written_the_belgian_way() {
        assert_eq!(money(123_456), format!("1.234,56{NBSP}€"));
        assert_eq!(money(0), format!("0,00{NBSP}€"));
        assert_eq!(money(5), format!("0,05{NBSP}€"));
        assert_eq!(money(100), format!("1,00{NBSP}€"));
        assert_eq!(money(99_999), format!("999,99{NBSP}€"));
        assert_eq!(money(100_000), format!("1.000,00{NBSP}€"));
        assert_eq!(money(123_456_789), format!("1.234.567,89{NBSP}€"));
    }

    #[test]
    fn a_negative_amount_keeps_its_minus_sign() {
        assert_eq!(money(-1_200), format!("-12,00{NBSP}€"));
        assert_eq!(money(-1), format!("-0,01{NBSP}€"));
        assert_eq!(money(-123_456_789), format!("-1.234.567,89{NBSP}€"));
    }

    #[test]
    fn the_extreme_amounts_do_not_overflow() {
        assert_eq!(money(i64::MAX), format!("92.233.720.368.547.758,07{NBSP}€"));
        assert_eq!(
            money(i64::MIN),
            format!("-92.233.720.368.547.758,08{NBSP}€")
        );
    }

    #[test]
    fn the_euro_sign_is_held_to_the_amount_by_a_non_breaking_space() {
        assert!(!money(123_456).contains(' '));
        assert!(money(123_456).ends_with("\u{a0}€"));
    }

    #[test]
    fn a_date_is_day_month_year_with_slashes() {
        assert_eq!(date(d(2026, 11, 26)), "26/11/2026");
        assert_eq!(date(d(2026, 1, 5)), "05/01/2026");
        assert_eq!(date(d(987, 3, 9)), "09/03/0987");
    }

    #[test]
    fn a_time_is_shown_in_brussels_time() {
        // Winter: CET = UTC+1.
        let winter: jiff::Timestamp = "2026-11-26T16:30:00Z".parse().unwrap();
        assert_eq!(datetime(winter), "26/11/2026 17:30");
        // Summer: CEST = UTC+2.
        let summer: jiff::Timestamp = "2026-07-01T06:05:00Z".parse().unwrap();
        assert_eq!(datetime(summer), "01/07/2026 08:05");
        // Late evening UTC on New Year's Eve is already the next year in Brussels.
        let new_year: jiff::Timestamp = "2025-12-31T23:15:00Z".parse().unwrap();
        assert_eq!(datetime(new_year), "01/01/2026 00:15");
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march() {
        // 29 March 2026, 01:00 UTC: clocks go from 02:00 CET to 03:00 CEST.
        let before: jiff::Timestamp = "2026-03-29T00:59:00Z".parse().unwrap();
        let after: jiff::Timestamp = "2026-03-29T01:00:00Z".parse().unwrap();
        assert_eq!(datetime(before), "29/03/2026 01:59");
        assert_eq!(datetime(after), "29/03/2026 03:00");
    }

    #[test]
    fn brussels_is_found_in_the_bundled_time_zone_database() {
        assert_eq!(BRUSSELS.iana_name(), Some("Europe/Brussels"));
    }

    #[test]
    fn the_fallback_rule_agrees_with_the_time_zone_database() {
        let posix = TimeZone::posix(BRUSSELS_POSIX).unwrap();
        let tzdb = TimeZone::get("Europe/Brussels").unwrap();
        // Every 6 hours across 2024-2027, both DST switches included.
        let start: jiff::Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        for step in 0..(4 * 366 * 4) {
            let ts = start
                .checked_add(jiff::SignedDuration::from_hours(6 * step))
                .unwrap();
            assert_eq!(posix.to_offset(ts), tzdb.to_offset(ts), "{ts}");
        }
    }

    #[test]
    fn an_amount_is_read_in_every_way_people_type_it() {
        for (input, cents) in [
            ("1.234,56", 123_456),
            ("1234,56", 123_456),
            ("1234.56", 123_456),
            ("12", 1_200),
            ("12,5", 1_250),
            ("12.5", 1_250),
            ("0,05", 5),
            ("1.234", 123_400),
            ("1.234.567,89", 123_456_789),
            ("1 234,56", 123_456),
            ("1\u{a0}234,56", 123_456),
            ("1.234,56 €", 123_456),
            ("1.234,56\u{a0}€", 123_456),
            ("1234,56€", 123_456),
            ("€ 12", 1_200),
            ("€12,00", 1_200),
            ("  12  ", 1_200),
            ("+12", 1_200),
            ("0", 0),
        ] {
            assert_eq!(parse_money(input), Some(cents), "{input:?}");
        }
    }

    #[test]
    fn a_negative_amount_is_read() {
        for (input, cents) in [
            ("-12,00 €", -1_200),
            ("-12", -1_200),
            ("€ -12", -1_200),
            ("-€12", -1_200),
            ("- 0,01", -1),
        ] {
            assert_eq!(parse_money(input), Some(cents), "{input:?}");
        }
        assert_eq!(parse_money("-1.234.567,89"), Some(-123_456_789));
    }

    #[test]
    fn what_is_not_an_amount_is_refused() {
        for input in [
            "",
            " ",
            "€",
            "-",
            "abc",
            "12,",
            ",50",
            "12,345",   // three decimals: not a number of cents
            "1,234.56", // English grouping: ambiguous, refused
            "1.2.3",
            "1.23.456",
            "12.34.56",
            "1234.567.890",
            "12,34,56",
            "1.234,5,6",
            "12 34",
            "12€ €",
            "€12€",
            "--12",
            "12-",
            "1e3",
            "0x10",
            "12 EUR",
        ] {
            assert_eq!(parse_money(input), None, "{input:?}");
        }
    }

    #[test]
    fn an_amount_too_large_for_cents_is_refused() {
        assert_eq!(parse_money("92233720368547758,07"), Some(i64::MAX));
        assert_eq!(parse_money("-92.233.720.368.547.758,08"), Some(i64::MIN));
        assert_eq!(parse_money("92233720368547758,08"), None);
        assert_eq!(parse_money(&"9".repeat(40)), None);
    }

    #[test]
    fn every_written_amount_reads_back() {
        for cents in [
            0,
            1,
            -1,
            99,
            100,
            123_456,
            -123_456_789,
            100_000_000_000,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(parse_money(&money(cents)), Some(cents), "{cents}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_amount_reads_back_from_what_money_writes(cents: i64) {
            proptest::prop_assert_eq!(parse_money(&money(cents)), Some(cents));
        }

        #[test]
        fn any_amount_reads_back_from_the_plain_forms(cents in -10_000_000_000i64..10_000_000_000) {
            let (sign, abs) = (if cents < 0 { "-" } else { "" }, cents.unsigned_abs());
            let plain_comma = format!("{sign}{},{:02}", abs / 100, abs % 100);
            let plain_dot = format!("{sign}{}.{:02}", abs / 100, abs % 100);
            proptest::prop_assert_eq!(parse_money(&plain_comma), Some(cents));
            proptest::prop_assert_eq!(parse_money(&plain_dot), Some(cents));
        }

        #[test]
        fn parsing_any_text_never_panics(s in "\\PC{0,30}") {
            let _ = parse_money(&s);
        }
    }
}
