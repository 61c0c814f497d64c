//! Work-volume checks of a new contract against the worker's other contracts (employment.md
//! §1; the issue's "overlapping contracts for one person, weekly or yearly hours over the
//! limits, refused or flagged with the rule").
//!
//! Refused: days where the contracts together pass the daily limit (law of 16 March 1971,
//! art. 26bis §1), and amateur-arts allowances beyond 30 days in a calendar year. Flagged for
//! the advisor, and kept on the contract: any overlap of dates with another contract (two
//! part-time jobs on one day are lawful), and a year's hours above the full-time 1,976 h.

use jiff::civil::Date;
use serde::Serialize;

use super::rules::EmploymentRules;
use super::{ContractKind, NewContract, span_days};
use crate::validate::FieldErrors;

/// Another contract of the same worker, not cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherContract {
    pub id: i64,
    pub kind: ContractKind,
    pub starts_on: Date,
    /// The last day of work (the start for an open-ended contract without an end).
    pub last_day: Date,
    pub days: u16,
    pub minutes: i64,
    /// Its gross (for the amateur-arts allowance: the allowance paid).
    pub gross_cents: i64,
}

impl OtherContract {
    fn minutes_per_day(&self) -> i64 {
        self.minutes / i64::from(self.days.max(1))
    }
}

/// What the advisor is told about a contract that was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VolumeFlag {
    /// Its dates overlap another contract of the worker.
    Overlap,
    /// With it, the worker's hours of the calendar year pass the full-time hours.
    YearOverFullTime,
}

impl VolumeFlag {
    pub fn code(self) -> &'static str {
        match self {
            VolumeFlag::Overlap => "overlap",
            VolumeFlag::YearOverFullTime => "year-over-full-time",
        }
    }

    pub fn parse(s: &str) -> Option<VolumeFlag> {
        match s {
            "overlap" => Some(VolumeFlag::Overlap),
            "year-over-full-time" => Some(VolumeFlag::YearOverFullTime),
            _ => None,
        }
    }
}

/// Refusals (by field) or the flags of an accepted contract. `others` are the worker's
/// contracts that are not cancelled; `limits` those of the new contract's start date.
pub fn check(
    new: &NewContract,
    others: &[OtherContract],
    limits: &EmploymentRules,
) -> Result<Vec<VolumeFlag>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut flags = Vec::new();
    let (start, last) = (new.starts_on, new.last_day());
    let overlapping: Vec<&OtherContract> = others
        .iter()
        .filter(|o| o.starts_on <= last && start <= o.last_day)
        .collect();
    if !overlapping.is_empty() {
        flags.push(VolumeFlag::Overlap);
        // The average day of each contract, summed: over the daily limit on a shared day.
        let shared: i64 = overlapping.iter().map(|o| o.minutes_per_day()).sum();
        if shared + new.minutes_per_day() > i64::from(limits.max_hours_per_day) * 60 {
            e.add("hours", "contract-overlap-over-day-limit");
        }
    }
    let year = start.year();
    let in_year = |o: &&OtherContract| o.starts_on.year() == year;
    let year_minutes: i64 = others.iter().filter(in_year).map(|o| o.minutes).sum();
    if year_minutes + new.minutes > i64::from(limits.flag_hours_per_year) * 60 {
        flags.push(VolumeFlag::YearOverFullTime);
    }
    if new.kind == ContractKind::AmateurArts {
        // At most 30 allowance days in a calendar year (workinginthearts.be/fr/amateur).
        let used: u32 = others
            .iter()
            .filter(in_year)
            .filter(|o| o.kind == ContractKind::AmateurArts)
            .map(|o| u32::from(o.days))
            .sum();
        if used + u32::from(new.days) > limits.small_allowance_days_per_year {
            e.add("days", "contract-iaa-days-per-year");
        }
        // RPI (until 2023): the allowances of a calendar year, travel included, stay under
        // the yearly ceiling (AR 28 November 1969, art. 17sexies; employment.md §3.3).
        if let Some(cap) = limits.small_allowance_yearly_cap_cents {
            let paid: i64 = others
                .iter()
                .filter(in_year)
                .filter(|o| o.kind == ContractKind::AmateurArts)
                .map(|o| o.gross_cents)
                .sum();
            if paid + new.amount_cents > cap {
                e.add("amount", "contract-rpi-yearly-cap");
            }
        }
    }
    debug_assert!(span_days(start, last) >= 1);
    if e.is_empty() { Ok(flags) } else { Err(e) }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::employment::rules::rules_on;
    use crate::employment::{ContractForm, ContractKind};
    use jiff::civil::date;

    fn contract(kind: &str, from: &str, to: &str, days: &str, hours: &str) -> NewContract {
        ContractForm {
            worker: "7".into(),
            kind: kind.into(),
            starts_on: from.into(),
            ends_on: to.into(),
            days: days.into(),
            hours: hours.into(),
            function: "Formatrice".into(),
            joint_committee: "200".into(),
            pay_basis: "gross".into(),
            amount: "100".into(),
            ..Default::default()
        }
        .parse(1)
        .unwrap()
    }

    fn other(
        id: i64,
        kind: ContractKind,
        from: Date,
        to: Date,
        days: u16,
        hours: i64,
    ) -> OtherContract {
        OtherContract {
            id,
            kind,
            starts_on: from,
            last_day: to,
            days,
            minutes: hours * 60,
            gross_cents: 0,
        }
    }

    #[test]
    fn overlapping_contracts_are_flagged_and_refused_past_eleven_hours_a_day() {
        let limits = rules_on(date(2026, 3, 2)).unwrap();
        let new = contract("day", "2026-03-02", "2026-03-02", "1", "4");
        let o = other(
            1,
            ContractKind::Day,
            date(2026, 3, 1),
            date(2026, 3, 3),
            3,
            21,
        );
        assert_eq!(check(&new, &[o], limits), Ok(vec![VolumeFlag::Overlap]));
        let long = contract("day", "2026-03-02", "2026-03-02", "1", "5");
        let e = check(&long, &[o], limits).unwrap_err();
        assert_eq!(e.get("hours"), Some("contract-overlap-over-day-limit"));
        let apart = other(
            2,
            ContractKind::Day,
            date(2026, 3, 3),
            date(2026, 3, 4),
            2,
            16,
        );
        assert_eq!(check(&new, &[apart], limits), Ok(vec![]));
    }

    #[test]
    fn a_year_past_full_time_is_flagged() {
        let limits = rules_on(date(2026, 3, 2)).unwrap();
        let new = contract("day", "2026-12-01", "2026-12-01", "1", "8");
        let year = other(
            1,
            ContractKind::FixedTerm,
            date(2026, 1, 1),
            date(2026, 11, 30),
            250,
            1970,
        );
        assert_eq!(
            check(&new, &[year], limits),
            Ok(vec![VolumeFlag::YearOverFullTime])
        );
        let last_year = other(
            1,
            ContractKind::FixedTerm,
            date(2025, 1, 1),
            date(2025, 11, 30),
            250,
            1970,
        );
        assert_eq!(check(&new, &[last_year], limits), Ok(vec![]));
    }

    #[test]
    fn the_amateur_arts_allowance_stops_at_thirty_days_a_year() {
        let limits = rules_on(date(2025, 6, 2)).unwrap();
        let new = contract("amateur-arts", "2025-06-02", "2025-06-03", "2", "6");
        let used = other(
            1,
            ContractKind::AmateurArts,
            date(2025, 1, 6),
            date(2025, 5, 30),
            28,
            100,
        );
        assert_eq!(check(&new, &[used], limits), Ok(vec![]));
        let more = other(
            2,
            ContractKind::AmateurArts,
            date(2025, 5, 31),
            date(2025, 5, 31),
            1,
            3,
        );
        assert_eq!(
            check(&new, &[used, more], limits).unwrap_err().get("days"),
            Some("contract-iaa-days-per-year")
        );
    }

    #[test]
    fn the_rpi_of_2023_stops_at_its_yearly_ceiling_travel_included() {
        let limits = rules_on(date(2023, 6, 5)).unwrap();
        let mut new = contract("amateur-arts", "2023-06-05", "2023-06-05", "1", "4");
        new.amount_cents = 14_767;
        let mut paid = other(
            1,
            ContractKind::AmateurArts,
            date(2023, 3, 6),
            date(2023, 3, 10),
            5,
            20,
        );
        // 2,953.37 € a year: 2,806.37 € already paid leaves room for 147.00 €.
        paid.gross_cents = 280_637;
        new.amount_cents = 14_700;
        assert_eq!(check(&new, &[paid], limits), Ok(vec![]));
        new.amount_cents = 14_701;
        assert_eq!(
            check(&new, &[paid], limits).unwrap_err().get("amount"),
            Some("contract-rpi-yearly-cap")
        );
        // The IAA of 2024 has no yearly ceiling in euros.
        let iaa = rules_on(date(2024, 6, 3)).unwrap();
        let mut later = new.clone();
        later.starts_on = date(2024, 6, 3);
        later.ends_on = Some(date(2024, 6, 3));
        later.amount_cents = 7_722;
        paid.starts_on = date(2024, 3, 4);
        paid.last_day = date(2024, 3, 8);
        paid.gross_cents = 10_000_000;
        assert_eq!(check(&later, &[paid], iaa), Ok(vec![]));
    }
}
