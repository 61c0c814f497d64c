//! Belgian working days: Monday to Friday, except the ten legal public holidays (royal decree
//! of 18 April 1974). Computed, never listed by hand, so that every year is covered.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};

/// Easter Sunday of `year` (Gregorian calendar; anonymous algorithm of Meeus/Jones/Butcher).
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = ((h + l - 7 * m + 114) % 31) + 1;
    // month ∈ {3, 4} and day ∈ 1..=31 by construction of the algorithm.
    date(year, month as i8, day as i8)
}

/// The ten Belgian legal public holidays of `year`.
pub fn public_holidays(year: i16) -> [Date; 10] {
    let easter = easter_sunday(year);
    [
        date(year, 1, 1),
        easter.saturating_add(1.day()),   // Easter Monday
        date(year, 5, 1),                 // Labour Day
        easter.saturating_add(39.days()), // Ascension
        easter.saturating_add(50.days()), // Whit Monday
        date(year, 7, 21),                // National Day
        date(year, 8, 15),                // Assumption
        date(year, 11, 1),                // All Saints
        date(year, 11, 11),               // Armistice
        date(year, 12, 25),               // Christmas
    ]
}

pub fn is_public_holiday(day: Date) -> bool {
    public_holidays(day.year()).contains(&day)
}

/// Monday to Friday and not a public holiday.
pub fn is_working_day(day: Date) -> bool {
    !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_public_holiday(day)
}

/// The `n`-th working day strictly after `day` (`n` ≥ 1). Bounded: a year never has more than
/// 30 consecutive days off.
pub fn nth_working_day_after(day: Date, n: u32) -> Date {
    let mut current = day;
    let mut found = 0;
    for _ in 0..(n.saturating_mul(7).saturating_add(31)) {
        current = current.saturating_add(1.day());
        if is_working_day(current) {
            found += 1;
            if found == n {
                return current;
            }
        }
    }
    current
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn easter_falls_on_the_known_sundays() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2019), date(2019, 4, 21));
        assert_eq!(easter_sunday(2038), date(2038, 4, 25));
    }

    #[test]
    fn the_movable_holidays_of_2026_are_computed() {
        // Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May 2026.
        assert!(is_public_holiday(date(2026, 4, 6)));
        assert!(is_public_holiday(date(2026, 5, 14)));
        assert!(is_public_holiday(date(2026, 5, 25)));
        assert!(!is_public_holiday(date(2026, 5, 26)));
        assert!(!is_working_day(date(2026, 7, 21)));
        assert!(!is_working_day(date(2026, 11, 14))); // a Saturday
        assert!(is_working_day(date(2026, 11, 12)));
    }

    #[test]
    fn the_third_working_day_skips_weekends_and_holidays() {
        // Friday 3 April 2026: Mon 6 is Easter Monday → Tue 7, Wed 8, Thu 9.
        assert_eq!(nth_working_day_after(date(2026, 4, 3), 3), date(2026, 4, 9));
        // Wednesday 4 March 2026: Thu 5, Fri 6, Mon 9.
        assert_eq!(nth_working_day_after(date(2026, 3, 4), 3), date(2026, 3, 9));
        // Wednesday 23 December 2026: Thu 24, (Fri 25 Christmas), Mon 28, Tue 29.
        assert_eq!(
            nth_working_day_after(date(2026, 12, 23), 3),
            date(2026, 12, 29)
        );
    }
}
