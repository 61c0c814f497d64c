//! Arrears: days past due, the delinquency bucket a loan falls in, and the portfolio at
//! risk (reference/employment.md §6.2 "Delinquency" after Fineract's buckets made of
//! ranges, §6.5 "Reports": PAR1 / PAR30 = outstanding principal of loans at least 1 / 30
//! days past due ÷ total outstanding).

use jiff::civil::Date;

/// Days past due on `today` of the oldest unpaid instalment due on `oldest_unpaid_due_on`
/// (0 when nothing is late: an instalment due today is not yet late).
pub fn days_past_due(oldest_unpaid_due_on: Option<Date>, today: Date) -> i64 {
    match oldest_unpaid_due_on {
        Some(due) if due < today => (today - due).get_days().into(),
        _ => 0,
    }
    .max(0)
}

/// The delinquency bucket (its index in `lower_days`) of `dpd` days past due, `None`
/// when the loan is not late. `lower_days` are the buckets' increasing lower bounds
/// (`[1, 31, 61, 91, 181]`: 1–30, 31–60, 61–90, 91–180, > 180).
pub fn bucket_of(dpd: i64, lower_days: &[i64]) -> Option<usize> {
    lower_days.iter().rposition(|low| dpd >= *low)
}

/// The label of bucket `index`: `1-30`, …, `181+` (the last bucket is open-ended).
pub fn bucket_label(index: usize, lower_days: &[i64]) -> String {
    match (lower_days.get(index), lower_days.get(index + 1)) {
        (Some(low), Some(next)) => format!("{low}-{}", next - 1),
        (Some(low), None) => format!("{low}+"),
        _ => String::new(),
    }
}

/// A ratio in parts per million (`FigureValue::Percent`), 0 when the total is 0.
pub fn ratio_ppm(part_cents: i64, total_cents: i64) -> i64 {
    if total_cents <= 0 {
        return 0;
    }
    let ppm = i128::from(part_cents) * 1_000_000 / i128::from(total_cents);
    i64::try_from(ppm).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;

    use super::*;

    const BUCKETS: [i64; 5] = [1, 31, 61, 91, 181];

    #[test]
    fn an_instalment_due_today_is_not_late() {
        let today = date(2026, 5, 10);
        assert_eq!(days_past_due(Some(today), today), 0);
        assert_eq!(days_past_due(None, today), 0);
        assert_eq!(days_past_due(Some(date(2026, 5, 9)), today), 1);
        assert_eq!(days_past_due(Some(date(2026, 6, 9)), today), 0);
    }

    #[test]
    fn arrears_fall_in_the_buckets_of_1_30_31_60_61_90_91_180_and_over_180() {
        let cases = [
            (0, None),
            (1, Some(0)),
            (30, Some(0)),
            (31, Some(1)),
            (60, Some(1)),
            (61, Some(2)),
            (90, Some(2)),
            (91, Some(3)),
            (180, Some(3)),
            (181, Some(4)),
            (2_000, Some(4)),
        ];
        for (dpd, bucket) in cases {
            assert_eq!(bucket_of(dpd, &BUCKETS), bucket, "{dpd} days");
        }
        let labels: Vec<String> = (0..5).map(|i| bucket_label(i, &BUCKETS)).collect();
        assert_eq!(labels, ["1-30", "31-60", "61-90", "91-180", "181+"]);
    }

    #[test]
    fn par_is_a_share_of_the_outstanding() {
        assert_eq!(ratio_ppm(25, 100), 250_000);
        assert_eq!(ratio_ppm(0, 0), 0);
        assert_eq!(ratio_ppm(1, 3), 333_333);
    }
}
