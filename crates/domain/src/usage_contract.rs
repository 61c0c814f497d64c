//! The usage contract (contrat d'usage / gebruiksovereenkomst): versioned texts, one in force
//! at a time, which every member accepts before using member features.

use jiff::civil::Date;

/// A version as the rule needs it: its id and the date it comes into force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionInForce {
    pub id: i64,
    pub effective_from: Date,
}

/// The version in force on `today`: the latest one whose effective date has come.
/// A version published for a future date does not replace the current one before that date.
pub fn in_force(versions: &[VersionInForce], today: Date) -> Option<VersionInForce> {
    versions
        .iter()
        .filter(|v| v.effective_from <= today)
        .max_by_key(|v| (v.effective_from, v.id))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_version_of_4_september_2023_replaces_the_earlier_one_on_that_day() {
        let v = [
            VersionInForce {
                id: 1,
                effective_from: date(2019, 1, 1),
            },
            VersionInForce {
                id: 2,
                effective_from: date(2023, 9, 4),
            },
        ];
        assert_eq!(in_force(&v, date(2023, 9, 3)).map(|v| v.id), Some(1));
        assert_eq!(in_force(&v, date(2023, 9, 4)).map(|v| v.id), Some(2));
        assert_eq!(in_force(&v, date(2018, 1, 1)), None);
    }
}
