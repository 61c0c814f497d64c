//! Employment contracts paid from an activity's budget (C6; reference/employment.md).
//!
//! A member plans a contract for work done for their activity: a worker (a person, usually
//! the member), a kind ([`ContractKind`]), dates, days and hours, a function, a joint
//! committee, and the pay — a gross salary, or the budget to spend, from which the salary
//! simulator ([`crate::payroll`]) finds the gross. Signing reserves the contract's employer
//! cost in the activity's budget; a contract the available budget cannot cover is refused,
//! unless the salary guarantee applies ([`guarantee`]).
//!
//! This module holds the checks that need no database: the form ([`ContractForm::parse`]),
//! the work-volume rules against the worker's other contracts ([`volume`]), the dated
//! limits ([`rules`]), the guarantee's decision and the pay date.

pub mod dimona;
pub mod guarantee;
pub mod rules;
pub mod volume;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::dunning::calendar::nth_working_day_after;
use crate::format::parse_money;
use crate::payroll::{PayrollError, Profile, Simulation, WorkerStatus};
use crate::validate::FieldErrors;

/// The most a contract may pay or spend: 1,000,000.00 € (a typing error above that).
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000;
/// The longest fixed-term or day contract ruche takes in one piece: a year and a day.
pub const MAX_SPAN_DAYS: i32 = 366;

/// The kinds of work ruche contracts (employment.md §0, §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractKind {
    /// A short contract of one or a few days (the bulk: about 3 days on average).
    Day,
    FixedTerm,
    /// Contrat à durée indéterminée: no end date.
    OpenEnded,
    /// Artistic work without an employment contract, under art. 1bis of the law of
    /// 27 June 1969: employee social security, with an attestation du travail des arts.
    Artistic1bis,
    /// The amateur-arts allowance (IAA/AKV, formerly RPI): a daily allowance free of tax
    /// and social security, within daily and yearly limits; no salary, no DIMONA.
    AmateurArts,
}

impl ContractKind {
    pub const ALL: [ContractKind; 5] = [
        ContractKind::Day,
        ContractKind::FixedTerm,
        ContractKind::OpenEnded,
        ContractKind::Artistic1bis,
        ContractKind::AmateurArts,
    ];

    /// Stable code, stored in `work_contracts.kind`: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            ContractKind::Day => "day",
            ContractKind::FixedTerm => "fixed-term",
            ContractKind::OpenEnded => "open-ended",
            ContractKind::Artistic1bis => "artistic-1bis",
            ContractKind::AmateurArts => "amateur-arts",
        }
    }

    pub fn parse(s: &str) -> Option<ContractKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Whether the pay is a salary (social security, withholding tax, a DIMONA).
    pub fn is_salaried(self) -> bool {
        self != ContractKind::AmateurArts
    }
}

/// How the pay is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayBasis {
    /// The gross salary of the whole contract; its employer cost is reserved.
    Gross,
    /// The employer cost to spend: the simulator finds the highest gross it pays.
    Budget,
}

impl PayBasis {
    pub fn code(self) -> &'static str {
        match self {
            PayBasis::Gross => "gross",
            PayBasis::Budget => "budget",
        }
    }

    pub fn parse(s: &str) -> Option<PayBasis> {
        match s {
            "gross" => Some(PayBasis::Gross),
            "budget" => Some(PayBasis::Budget),
            _ => None,
        }
    }
}

/// Where a contract is: signed (its cost reserved), paid in a pay run, or cancelled
/// before it was paid (the reservation released).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractStatus {
    Signed,
    Paid,
    Cancelled,
}

impl ContractStatus {
    pub fn code(self) -> &'static str {
        match self {
            ContractStatus::Signed => "signed",
            ContractStatus::Paid => "paid",
            ContractStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ContractStatus> {
        match s {
            "signed" => Some(ContractStatus::Signed),
            "paid" => Some(ContractStatus::Paid),
            "cancelled" => Some(ContractStatus::Cancelled),
            _ => None,
        }
    }
}

/// The gender as declared for the social balance sheet's new-hire counts; `None` when not
/// stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Female => "f",
            Gender::Male => "m",
            Gender::Other => "x",
        }
    }

    pub fn parse(s: &str) -> Option<Gender> {
        match s {
            "f" => Some(Gender::Female),
            "m" => Some(Gender::Male),
            "x" => Some(Gender::Other),
            _ => None,
        }
    }
}

/// A contract ready to be checked against the worker's other contracts and the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewContract {
    pub activity_id: i64,
    pub worker_person_id: i64,
    pub kind: ContractKind,
    pub worker_status: WorkerStatus,
    pub starts_on: Date,
    /// `None` only for an open-ended contract.
    pub ends_on: Option<Date>,
    /// Days worked within the dates.
    pub days: u16,
    /// Hours worked in all, in minutes.
    pub minutes: i64,
    pub function: String,
    /// The joint committee (commission paritaire), e.g. `200` or `329.01`.
    pub joint_committee: String,
    pub pay_basis: PayBasis,
    /// The gross salary (or the daily allowance × days for the amateur-arts allowance), or
    /// the budget to spend, per `pay_basis`.
    pub amount_cents: i64,
    /// The accepted quote (the client's order confirmation) the guarantee relies on.
    pub order_quote_id: Option<i64>,
    /// The attestation du travail des arts an art. 1bis contract needs.
    pub attestation: Option<String>,
    pub attestation_valid_until: Option<Date>,
}

impl NewContract {
    /// The last day of work: the end date, or for an open-ended contract its start (its
    /// work-volume checks look at the start).
    pub fn last_day(&self) -> Date {
        self.ends_on.unwrap_or(self.starts_on)
    }

    /// The calendar days the contract spans (1 for a single day).
    pub fn span_days(&self) -> i32 {
        span_days(self.starts_on, self.last_day())
    }

    /// The average hours per worked day, in minutes.
    pub fn minutes_per_day(&self) -> i64 {
        self.minutes / i64::from(self.days.max(1))
    }
}

/// Calendar days from `from` to `to`, both counted.
pub fn span_days(from: Date, to: Date) -> i32 {
    from.until((jiff::Unit::Day, to))
        .map(|s| s.get_days())
        .unwrap_or(0)
        + 1
}

/// The form, as typed (the page) or sent (the API: same names).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContractForm {
    #[serde(default)]
    pub worker: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub worker_status: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub days: String,
    /// Hours in all: `21`, `7,5`, `7.5` or `7:30`.
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub function: String,
    #[serde(default)]
    pub joint_committee: String,
    #[serde(default)]
    pub pay_basis: String,
    /// Euros, `1.234,56`.
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub order_quote: String,
    #[serde(default)]
    pub attestation: String,
    #[serde(default)]
    pub attestation_valid_until: String,
}

fn parse_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    match value.trim() {
        "" => {
            e.add(field, "required");
            None
        }
        v => match v.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(field, "date");
                None
            }
        },
    }
}

/// Hours as people type them: `7`, `7,5`, `7.5`, `7:30`; in minutes, `None` if unreadable.
pub fn parse_hours(input: &str) -> Option<i64> {
    let s = input.trim();
    if s.is_empty() || s.len() > 12 {
        return None;
    }
    if let Some((h, m)) = s.split_once(':') {
        let h: i64 = h.trim().parse().ok()?;
        let m: i64 = m.trim().parse().ok()?;
        return (h >= 0 && (0..60).contains(&m)).then_some(h * 60 + m);
    }
    let cents = parse_money(s)?;
    // Hours in hundredths: 7,5 h = 750 → 450 minutes; to the minute, half up.
    (cents >= 0).then_some((cents * 60 + 50) / 100)
}

/// A joint committee number: three digits, optionally a dot and two digits.
fn is_joint_committee(s: &str) -> bool {
    let (main, sub) = match s.split_once('.') {
        Some((m, sub)) => (m, Some(sub)),
        None => (s, None),
    };
    main.len() == 3
        && main.bytes().all(|b| b.is_ascii_digit())
        && sub.is_none_or(|x| x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()))
}

impl ContractForm {
    /// Every field checked on its own and against the others, with the dated limits of the
    /// start date ([`rules::rules_on`]). The checks that need the worker's other contracts
    /// and the budget come later ([`volume`], [`guarantee`]).
    pub fn parse(&self, activity_id: i64) -> Result<NewContract, FieldErrors> {
        let mut e = FieldErrors::new();
        let worker = match self.worker.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                e.add("worker", "required");
                None
            }
        };
        let kind = match ContractKind::parse(self.kind.trim()) {
            Some(k) => Some(k),
            None => {
                e.add("kind", "required");
                None
            }
        };
        let worker_status = match self.worker_status.trim() {
            "" | "employee" => WorkerStatus::Employee,
            "manual" => WorkerStatus::Manual,
            _ => {
                e.add("worker_status", "contract-choice");
                WorkerStatus::Employee
            }
        };
        let starts_on = parse_date(&mut e, "starts_on", &self.starts_on);
        let ends_on = match (kind, self.ends_on.trim()) {
            (Some(ContractKind::OpenEnded), "") => None,
            (Some(ContractKind::OpenEnded), _) => {
                e.add("ends_on", "contract-open-ended-no-end");
                None
            }
            _ => parse_date(&mut e, "ends_on", &self.ends_on),
        };
        if let (Some(s), Some(end)) = (starts_on, ends_on) {
            if end < s {
                e.add("ends_on", "contract-ends-before-start");
            } else if span_days(s, end) > MAX_SPAN_DAYS {
                e.add("ends_on", "contract-too-long");
            }
        }
        let days = match self.days.trim().parse::<u16>() {
            Ok(d) if d >= 1 => Some(d),
            _ => {
                e.add("days", "contract-days");
                None
            }
        };
        if let (Some(d), Some(s), Some(end)) = (days, starts_on, ends_on)
            && end >= s
            && i32::from(d) > span_days(s, end)
        {
            e.add("days", "contract-days-over-span");
        }
        let minutes = match parse_hours(&self.hours) {
            Some(m) if m > 0 => Some(m),
            _ => {
                e.add("hours", "contract-hours");
                None
            }
        };
        let function = e.required("function", &self.function, 120);
        let joint_committee = self.joint_committee.trim().to_string();
        if joint_committee.is_empty() {
            e.add("joint_committee", "required");
        } else if !is_joint_committee(&joint_committee) {
            e.add("joint_committee", "contract-joint-committee");
        }
        let pay_basis = match PayBasis::parse(self.pay_basis.trim()) {
            Some(p) => Some(p),
            None => {
                e.add("pay_basis", "required");
                None
            }
        };
        let amount = match parse_money(&self.amount) {
            Some(c) if c > 0 && c <= MAX_AMOUNT_CENTS => Some(c),
            Some(c) if c > MAX_AMOUNT_CENTS => {
                e.add("amount", "contract-amount-too-large");
                None
            }
            _ => {
                e.add("amount", "contract-amount");
                None
            }
        };
        let order_quote_id = match self.order_quote.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    e.add("order_quote", "contract-choice");
                    None
                }
            },
        };
        let attestation = e.optional("attestation", &self.attestation, 60);
        let attestation_valid_until = match self.attestation_valid_until.trim() {
            "" => None,
            v => match v.parse::<Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("attestation_valid_until", "date");
                    None
                }
            },
        };

        // The rules of the start date: the limits in force when the work begins.
        if let (Some(kind), Some(s)) = (kind, starts_on) {
            let limits = rules::rules_on(s);
            match &limits {
                Err(_) => e.add("starts_on", "contract-no-rules"),
                Ok(limits) => {
                    if let (Some(d), Some(m)) = (days, minutes) {
                        // Law of 16 March 1971 on work, art. 26bis §1: at most 11 h a day.
                        if m > i64::from(limits.max_hours_per_day) * 60 * i64::from(d) {
                            e.add("hours", "contract-hours-over-day-limit");
                        }
                        // … and at most 50 h a week (same article), over the weeks spanned.
                        if let Some(end) = ends_on.or(Some(s)) {
                            let weeks = i64::from((span_days(s, end) + 6) / 7);
                            if m > i64::from(limits.max_hours_per_week) * 60 * weeks {
                                e.add("hours", "contract-hours-over-week-limit");
                            }
                        }
                    }
                    if kind == ContractKind::AmateurArts {
                        if pay_basis == Some(PayBasis::Budget) {
                            e.add("pay_basis", "contract-iaa-gross-only");
                        }
                        if let Some(end) = ends_on
                            && end >= s
                            && i64::from(span_days(s, end))
                                > i64::from(limits.small_allowance_consecutive_days)
                        {
                            // At most 7 consecutive days with the same principal.
                            e.add("ends_on", "contract-iaa-consecutive");
                        }
                        if let (Some(d), Some(a)) = (days, amount)
                            && a > limits.small_allowance_daily_cents * i64::from(d)
                        {
                            e.add("amount", "contract-iaa-daily-limit");
                        }
                    }
                }
            }
            if kind == ContractKind::Artistic1bis {
                // Art. 1bis needs a valid attestation du travail des arts (since 1 Jan 2024).
                match (&attestation, attestation_valid_until) {
                    (None, _) => e.add("attestation", "contract-attestation-required"),
                    (Some(_), None) => e.add("attestation_valid_until", "required"),
                    (Some(_), Some(until)) if until < s => {
                        e.add("attestation_valid_until", "contract-attestation-expired")
                    }
                    _ => {}
                }
            }
        }

        if !e.is_empty() {
            return Err(e);
        }
        match (worker, kind, starts_on, days, minutes, pay_basis, amount) {
            (Some(w), Some(k), Some(s), Some(d), Some(m), Some(p), Some(a)) => Ok(NewContract {
                activity_id,
                worker_person_id: w,
                kind: k,
                worker_status,
                starts_on: s,
                ends_on,
                days: d,
                minutes: m,
                function,
                joint_committee,
                pay_basis: p,
                amount_cents: a,
                order_quote_id,
                attestation,
                attestation_valid_until,
            }),
            _ => Err(FieldErrors::single("kind", "required")),
        }
    }
}

/// A month's full-time minutes: 1,976 h a year ÷ 12 (employment.md §1.1).
const FULL_TIME_MINUTES_PER_MONTH: i64 = 1_976 * 60 / 12;

/// What a contract pays and costs, from the salary simulator, with the parameter set used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractPay {
    pub gross_cents: i64,
    pub net_cents: i64,
    pub employer_cost_cents: i64,
    pub params_version: String,
    /// Every line of the computation; `None` for the amateur-arts allowance (no salary).
    pub simulation: Option<Simulation>,
}

/// The simulator's profile of a contract: its worker status, its work fraction — the
/// contract's hours over a month's full-time hours, since a short contract is paid as the
/// pay of its month — and the artists' flat withholding for art. 1bis work (annex III
/// AR/CIR 92, point 80). The worker's family situation is not known to ruche: the
/// simulation assumes a single person without dependants, the key formula's default.
pub fn profile_of(c: &NewContract) -> Profile {
    let fraction = (c.minutes * 10_000 / FULL_TIME_MINUTES_PER_MONTH).clamp(1, 10_000);
    Profile {
        status: c.worker_status,
        fraction_bp: u32::try_from(fraction).unwrap_or(10_000),
        artist_flat_withholding: c.kind == ContractKind::Artistic1bis,
        ..Profile::default()
    }
}

/// The pay of a contract on the parameters of its last day of work (the month it is paid
/// in): from the gross, or the highest gross its budget pays. The amateur-arts allowance is
/// paid as it is: no tax, no social security (law of 16 December 2022).
pub fn pay_of(c: &NewContract) -> Result<ContractPay, PayrollError> {
    if c.kind == ContractKind::AmateurArts {
        return Ok(ContractPay {
            gross_cents: c.amount_cents,
            net_cents: c.amount_cents,
            employer_cost_cents: c.amount_cents,
            params_version: "iaa".into(),
            simulation: None,
        });
    }
    let profile = profile_of(c);
    let on = c.last_day();
    let s = match c.pay_basis {
        PayBasis::Gross => crate::payroll::simulate_from_gross(on, &profile, c.amount_cents)?,
        PayBasis::Budget => {
            crate::payroll::simulate_from_employer_cost(on, &profile, c.amount_cents)?
        }
    };
    Ok(ContractPay {
        gross_cents: s.gross_cents,
        net_cents: s.net_cents,
        employer_cost_cents: s.employer_cost_cents,
        params_version: s.params_version.to_string(),
        simulation: Some(s),
    })
}

/// When a contract's salary is due: the salary guarantee's promise, within
/// `pay_days` working days after the last day of work (Belgian working days).
pub fn salary_due_on(last_day_of_work: Date, pay_days: u32) -> Date {
    nth_working_day_after(last_day_of_work, pay_days)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use jiff::civil::date;

    fn form() -> ContractForm {
        ContractForm {
            worker: "7".into(),
            kind: "day".into(),
            worker_status: "employee".into(),
            starts_on: "2026-03-02".into(),
            ends_on: "2026-03-04".into(),
            days: "3".into(),
            hours: "22,5".into(),
            function: "Photographe".into(),
            joint_committee: "200".into(),
            pay_basis: "gross".into(),
            amount: "750,00".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_day_contract_parses() {
        let c = form().parse(3).unwrap();
        assert_eq!(c.minutes, 1350);
        assert_eq!(c.span_days(), 3);
        assert_eq!(c.amount_cents, 75_000);
        assert_eq!(c.minutes_per_day(), 450);
    }

    #[test]
    fn a_contract_ending_before_it_starts_is_refused_on_its_end_date() {
        let mut f = form();
        f.ends_on = "2026-03-01".into();
        let e = f.parse(3).unwrap_err();
        assert_eq!(e.get("ends_on"), Some("contract-ends-before-start"));
    }

    #[test]
    fn hours_beyond_eleven_a_day_are_refused() {
        let mut f = form();
        f.hours = "34".into(); // 3 days: at most 33 h
        assert_eq!(
            f.parse(3).unwrap_err().get("hours"),
            Some("contract-hours-over-day-limit")
        );
        f.hours = "33".into();
        assert!(f.parse(3).is_ok());
    }

    #[test]
    fn hours_beyond_fifty_a_week_are_refused() {
        let mut f = form();
        f.kind = "fixed-term".into();
        f.starts_on = "2026-03-02".into();
        f.ends_on = "2026-03-08".into();
        f.days = "6".into();
        f.hours = "51".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("hours"),
            Some("contract-hours-over-week-limit")
        );
    }

    #[test]
    fn an_open_ended_contract_has_no_end() {
        let mut f = form();
        f.kind = "open-ended".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("ends_on"),
            Some("contract-open-ended-no-end")
        );
        f.ends_on = String::new();
        f.days = "1".into();
        f.hours = "7,6".into();
        let c = f.parse(3).unwrap();
        assert_eq!(c.ends_on, None);
    }

    #[test]
    fn art_1bis_needs_a_valid_attestation() {
        let mut f = form();
        f.kind = "artistic-1bis".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("attestation"),
            Some("contract-attestation-required")
        );
        f.attestation = "WITA-2024-0042".into();
        f.attestation_valid_until = "2026-01-31".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("attestation_valid_until"),
            Some("contract-attestation-expired")
        );
        f.attestation_valid_until = "2028-12-31".into();
        assert!(f.parse(3).is_ok());
    }

    #[test]
    fn the_amateur_arts_allowance_keeps_its_limits_of_the_year() {
        let mut f = form();
        f.kind = "amateur-arts".into();
        // 2025: 80.18 € a day; 3 days = 240.54 €.
        f.starts_on = "2025-05-01".into();
        f.ends_on = "2025-05-03".into();
        f.amount = "240,55".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("amount"),
            Some("contract-iaa-daily-limit")
        );
        f.amount = "240,54".into();
        assert!(f.parse(3).is_ok());
        // 2024: 77.22 € a day.
        f.starts_on = "2024-05-01".into();
        f.ends_on = "2024-05-03".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("amount"),
            Some("contract-iaa-daily-limit")
        );
        // At most 7 consecutive days with the same principal.
        f.amount = "100".into();
        f.ends_on = "2024-05-08".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("ends_on"),
            Some("contract-iaa-consecutive")
        );
        f.pay_basis = "budget".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("pay_basis"),
            Some("contract-iaa-gross-only")
        );
    }

    #[test]
    fn in_2023_the_rpi_daily_amount_includes_travel() {
        // employment.md §3.3: RPI 2023, 147.67 € a day travel included; 3 days = 443.01 €.
        let mut f = form();
        f.kind = "amateur-arts".into();
        f.starts_on = "2023-05-01".into();
        f.ends_on = "2023-05-03".into();
        f.amount = "443,02".into();
        assert_eq!(
            f.parse(3).unwrap_err().get("amount"),
            Some("contract-iaa-daily-limit")
        );
        f.amount = "443,01".into();
        assert!(f.parse(3).is_ok());
    }

    #[test]
    fn bad_fields_are_each_named() {
        let f = ContractForm {
            joint_committee: "2000".into(),
            hours: "abc".into(),
            amount: "0".into(),
            ..Default::default()
        };
        let e = f.parse(3).unwrap_err();
        for (field, code) in [
            ("worker", "required"),
            ("kind", "required"),
            ("starts_on", "required"),
            ("days", "contract-days"),
            ("hours", "contract-hours"),
            ("function", "required"),
            ("joint_committee", "contract-joint-committee"),
            ("pay_basis", "required"),
            ("amount", "contract-amount"),
        ] {
            assert_eq!(e.get(field), Some(code), "{field}");
        }
    }

    #[test]
    fn hours_read_as_people_type_them() {
        assert_eq!(parse_hours("7"), Some(420));
        assert_eq!(parse_hours("7,5"), Some(450));
        assert_eq!(parse_hours("7.5"), Some(450));
        assert_eq!(parse_hours("7:30"), Some(450));
        assert_eq!(parse_hours("7:75"), None);
        assert_eq!(parse_hours(""), None);
    }

    #[test]
    fn the_salary_is_due_seven_working_days_after_the_work() {
        // Friday 6 March 2026 → Tuesday 17 March 2026.
        assert_eq!(salary_due_on(date(2026, 3, 6), 7), date(2026, 3, 17));
        // Over Easter Monday (6 April 2026): Thursday 2 April → Tuesday 14 April.
        assert_eq!(salary_due_on(date(2026, 4, 2), 7), date(2026, 4, 14));
    }

    #[test]
    fn spans_count_both_ends() {
        assert_eq!(span_days(date(2026, 3, 2), date(2026, 3, 2)), 1);
        assert_eq!(span_days(date(2025, 1, 1), date(2025, 12, 31)), 365);
    }
}
