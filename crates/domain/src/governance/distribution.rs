//! The allocation of a financial year's result (reference/governance.md ES-3, ES-8, CNC-5,
//! CNC-6, §5.2, TV-6 to TV-10, TV-14): the general assembly's appropriation resolution is
//! an ordered list of lines that must add up to the result, and the caps on what a
//! shareholder may receive.
//!
//! Every computation on money ratios is exact ([`Ratio`]); a euro amount is rounded to the
//! cent only where it is shown ([`round_cents`], half away from zero).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Ratio;
use super::params::{AdvantageBasis, GovernanceParams};
use crate::format::parse_money;
use crate::validate::FieldErrors;

/// The most lines one appropriation holds (TigerStyle: a bound on every list).
pub const MAX_LINES: usize = 20;

/// One use of the result. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    LegalReserve,
    /// The reserve for projects or uses needed or useful to achieve the object (ES-8).
    PurposeReserve,
    OtherReserve,
    Dividend,
    /// Rebates (ristournes) to members in proportion to their transactions (CNC-10).
    Rebate,
    /// Carried forward to the next year; negative for a loss carried forward.
    CarriedForward,
    /// A share of the profit for the directors (tantièmes): forbidden (CNC-5).
    BoardProfitShare,
}

impl LineKind {
    pub const ALL: [LineKind; 7] = [
        LineKind::LegalReserve,
        LineKind::PurposeReserve,
        LineKind::OtherReserve,
        LineKind::Dividend,
        LineKind::Rebate,
        LineKind::CarriedForward,
        LineKind::BoardProfitShare,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LineKind::LegalReserve => "legal_reserve",
            LineKind::PurposeReserve => "purpose_reserve",
            LineKind::OtherReserve => "other_reserve",
            LineKind::Dividend => "dividend",
            LineKind::Rebate => "rebate",
            LineKind::CarriedForward => "carried_forward",
            LineKind::BoardProfitShare => "board_profit_share",
        }
    }

    pub fn parse(s: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// One line of an appropriation, in the order the GA decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub kind: LineKind,
    pub amount_cents: i64,
}

/// Why an appropriation is refused; each has a translated message `err-<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum AppropriationError {
    #[error("an appropriation has at least one line")]
    NoLines,
    #[error("too many lines")]
    TooManyLines,
    #[error("only a carried-forward line may be negative (a loss carried forward)")]
    NegativeLine,
    #[error("the lines add up to {sum} cents, not the result of {result} cents")]
    DoesNotAddUp { result: i64, sum: i64 },
    /// ES-8: the dividend is set only after a reserve for the purpose was decided.
    #[error("a dividend comes only after a purpose reserve (ES-8)")]
    NoPurposeReserveBeforeDividend,
    /// CNC-5: no profit share for directors.
    #[error("no profit share for the directors (CNC-5)")]
    BoardProfitShare,
    /// The statutes in force exclude any dividend.
    #[error("the statutes exclude dividends")]
    DividendsExcluded,
    /// TV-14: a suspended resignation refund is paid before any other distribution.
    #[error("a resignation refund is suspended")]
    RefundsSuspended,
    /// ES-3: the advantage to shareholders above the rate fixed by the King.
    #[error("the advantage to shareholders exceeds the cap of {cap} cents")]
    OverCap { cap: i64, advantage: i64 },
}

impl AppropriationError {
    pub fn code(self) -> &'static str {
        match self {
            AppropriationError::NoLines => "alloc-no-lines",
            AppropriationError::TooManyLines => "alloc-too-many-lines",
            AppropriationError::NegativeLine => "alloc-negative-line",
            AppropriationError::DoesNotAddUp { .. } => "alloc-does-not-add-up",
            AppropriationError::NoPurposeReserveBeforeDividend => "alloc-dividend-before-purpose",
            AppropriationError::BoardProfitShare => "alloc-board-profit-share",
            AppropriationError::DividendsExcluded => "alloc-dividends-excluded",
            AppropriationError::RefundsSuspended => "alloc-refunds-suspended",
            AppropriationError::OverCap { .. } => "alloc-over-cap",
        }
    }
}

/// What the stored state says about a year's appropriation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AppropriationContext {
    /// `statute_versions.dividends_allowed` of the statutes in force at the year end.
    pub dividends_allowed: bool,
    /// Whether a resignation refund is suspended (the distribution tests failed).
    pub refunds_suspended: bool,
    /// The most the shareholders may receive in all (ES-3: rate × basis, gross); `None`
    /// when the basis is unknown.
    pub advantage_cap_cents: Option<i64>,
    /// Whether rebates count as a patrimonial advantage (params.rebates_count).
    pub rebates_count: bool,
}

fn total(lines: &[Line], kind: LineKind) -> i64 {
    lines
        .iter()
        .filter(|l| l.kind == kind)
        .fold(0i64, |s, l| s.saturating_add(l.amount_cents))
}

/// Checks an appropriation of `result_cents`; every refusal found, in a stable order.
pub fn check_appropriation(
    result_cents: i64,
    lines: &[Line],
    ctx: &AppropriationContext,
) -> Vec<AppropriationError> {
    let mut errors = Vec::new();
    if lines.is_empty() {
        errors.push(AppropriationError::NoLines);
        return errors;
    }
    if lines.len() > MAX_LINES {
        errors.push(AppropriationError::TooManyLines);
        return errors;
    }
    if lines
        .iter()
        .any(|l| l.amount_cents < 0 && l.kind != LineKind::CarriedForward)
    {
        errors.push(AppropriationError::NegativeLine);
    }
    let sum = lines
        .iter()
        .fold(0i64, |s, l| s.saturating_add(l.amount_cents));
    if sum != result_cents {
        errors.push(AppropriationError::DoesNotAddUp {
            result: result_cents,
            sum,
        });
    }
    // ES-8: a purpose-reserve line (any amount, the law sets no minimum) comes before the
    // first dividend line.
    let first_dividend = lines
        .iter()
        .position(|l| l.kind == LineKind::Dividend && l.amount_cents > 0);
    if let Some(d) = first_dividend {
        if !lines[..d]
            .iter()
            .any(|l| l.kind == LineKind::PurposeReserve)
        {
            errors.push(AppropriationError::NoPurposeReserveBeforeDividend);
        }
        if !ctx.dividends_allowed {
            errors.push(AppropriationError::DividendsExcluded);
        }
    }
    if lines
        .iter()
        .any(|l| l.kind == LineKind::BoardProfitShare && l.amount_cents != 0)
    {
        errors.push(AppropriationError::BoardProfitShare);
    }
    let distributed =
        total(lines, LineKind::Dividend).saturating_add(total(lines, LineKind::Rebate));
    if ctx.refunds_suspended && distributed > 0 {
        errors.push(AppropriationError::RefundsSuspended);
    }
    if let Some(cap) = ctx.advantage_cap_cents {
        let advantage = patrimonial_advantage(
            total(lines, LineKind::Dividend),
            total(lines, LineKind::Rebate),
            ctx.rebates_count,
        );
        if advantage > cap {
            errors.push(AppropriationError::OverCap { cap, advantage });
        }
    }
    errors
}

/// Whether no dividend is distributed (the check that passes when the statutes exclude
/// dividends and the GA decided none).
pub fn no_dividend(lines: &[Line]) -> bool {
    total(lines, LineKind::Dividend) == 0
}

/// The patrimonial advantage of ES-3: the dividend, plus rebates when they count (open
/// point §9.2, `params.rebates_count`).
pub fn patrimonial_advantage(dividend_cents: i64, rebate_cents: i64, rebates_count: bool) -> i64 {
    if rebates_count {
        dividend_cents.saturating_add(rebate_cents)
    } else {
        dividend_cents
    }
}

/// A rate in basis points as an exact ratio (600 → 6/100).
pub fn rate(bp: u32) -> Ratio<i64> {
    Ratio::new(i64::from(bp), 10_000)
}

/// An exact amount of cents rounded to the cent, half away from zero.
pub fn round_cents(r: Ratio<i64>) -> i64 {
    // num_rational rounds half-way cases away from zero.
    r.round().to_integer()
}

/// The basis of the cap for one share (ES-3, TV-8): what was paid up, or the nominal.
pub fn share_basis(nominal_cents: i64, paid_cents: i64, basis: AdvantageBasis) -> i64 {
    match basis {
        AdvantageBasis::PaidUp => paid_cents,
        AdvantageBasis::Nominal => nominal_cents,
    }
}

/// How the 6 % is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapReading {
    /// ES-3, the conservative default: the gross advantage ≤ rate × the configured basis.
    EsGross,
    /// CNC-6: the dividend net of withholding tax ≤ rate × the nominal value.
    CncNet,
}

/// A cap check on one share's dividend: both sides exact, in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CapCheck {
    pub reading: CapReading,
    /// The most allowed (gross for ES, net for CNC).
    pub cap_cents: Ratio<i64>,
    /// What the dividend gives on the same footing (gross for ES, net for CNC).
    pub measured_cents: Ratio<i64>,
    pub passes: bool,
}

/// Checks the gross dividend of one share under `reading` (TV-6, TV-8).
pub fn check_share_dividend(
    reading: CapReading,
    gross_cents: Ratio<i64>,
    nominal_cents: i64,
    paid_cents: i64,
    params: &GovernanceParams,
) -> CapCheck {
    let r = rate(params.advantage_rate_bp);
    let (cap, measured) = match reading {
        CapReading::EsGross => (
            r * Ratio::from_integer(share_basis(
                nominal_cents,
                paid_cents,
                params.advantage_basis,
            )),
            gross_cents,
        ),
        CapReading::CncNet => (
            r * Ratio::from_integer(nominal_cents),
            gross_cents * (Ratio::from_integer(1) - rate(params.withholding_tax_bp)),
        ),
    };
    CapCheck {
        reading,
        cap_cents: cap,
        measured_cents: measured,
        passes: measured <= cap,
    }
}

/// CNC-6 read net of withholding tax: the highest gross rate, rate ÷ (1 − tax) (6 % with
/// 30 % tax → 6/70 = 8.5714 %).
pub fn cnc_max_gross_rate(params: &GovernanceParams) -> Ratio<i64> {
    rate(params.advantage_rate_bp) / (Ratio::from_integer(1) - rate(params.withholding_tax_bp))
}

/// The days a holding counts in the financial year `[fy_start, fy_end]` for a pro-rata
/// dividend, and the days of the year. Held on or before the first day: the whole year.
/// Otherwise the days from `held_from` to the year end, the start day excluded
/// (`easy_my_coop_dividend`'s convention, TV-7: 183/366) or included (184/366), as the
/// dated parameter `pro_rata_start_excluded` says.
pub fn held_days(
    held_from: Date,
    fy_start: Date,
    fy_end: Date,
    start_excluded: bool,
) -> (i64, i64) {
    let days =
        |a: Date, b: Date| -> i64 { a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0) };
    let year = days(fy_start, fy_end) + 1;
    if held_from <= fy_start {
        return (year, year);
    }
    if held_from > fy_end {
        return (0, year);
    }
    let counted = days(held_from, fy_end) + i64::from(!start_excluded);
    (counted.clamp(0, year), year)
}

/// `amount` × the part of the year the holding counts (TV-7). The cap check must use the
/// same basis.
pub fn pro_rata(
    amount_cents: Ratio<i64>,
    held_from: Date,
    fy_start: Date,
    fy_end: Date,
    start_excluded: bool,
) -> Ratio<i64> {
    let (days, year) = held_days(held_from, fy_start, fy_end, start_excluded);
    if year <= 0 {
        return Ratio::from_integer(0);
    }
    amount_cents * Ratio::new(days, year)
}

/// A line as typed: kind and euros.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LineInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
}

/// An appropriation to record, checked for its form (the rules are checked by the store
/// with the statutes and the register: [`check_appropriation`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAppropriation {
    pub financial_year: i16,
    pub resolution_id: i64,
    pub result_cents: i64,
    pub lines: Vec<Line>,
}

/// The form of an appropriation (page and API).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppropriationForm {
    #[serde(default)]
    pub alloc_year: String,
    #[serde(default)]
    pub alloc_resolution: String,
    /// Euros; negative for a loss.
    #[serde(default)]
    pub alloc_result: String,
    #[serde(default)]
    pub lines: Vec<LineInput>,
}

impl AppropriationForm {
    pub fn parse(&self) -> Result<NewAppropriation, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = match self.alloc_year.trim().parse::<i16>() {
            Ok(y) if (1900..=2999).contains(&y) => Some(y),
            _ => {
                e.add("alloc_year", "alloc-year");
                None
            }
        };
        let resolution = match self.alloc_resolution.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ if self.alloc_resolution.trim().is_empty() => {
                e.add("alloc_resolution", "required");
                None
            }
            _ => {
                e.add("alloc_resolution", "alloc-choice");
                None
            }
        };
        let result = if self.alloc_result.trim().is_empty() {
            e.add("alloc_result", "required");
            None
        } else {
            let r = parse_money(&self.alloc_result);
            if r.is_none() {
                e.add("alloc_result", "alloc-amount");
            }
            r
        };
        let mut lines = Vec::new();
        for input in self
            .lines
            .iter()
            .filter(|l| !(l.kind.trim().is_empty() && l.amount.trim().is_empty()))
        {
            let kind = LineKind::parse(input.kind.trim());
            let amount = parse_money(&input.amount);
            match (kind, amount) {
                (Some(kind), Some(amount_cents)) => lines.push(Line { kind, amount_cents }),
                (None, _) => e.add("alloc_lines", "alloc-choice"),
                (_, None) => e.add("alloc_lines", "alloc-amount"),
            }
        }
        if lines.is_empty() && e.get("alloc_lines").is_none() {
            e.add("alloc_lines", "alloc-no-lines");
        }
        if lines.len() > MAX_LINES {
            e.add("alloc_lines", "alloc-too-many-lines");
        }
        match (year, resolution, result) {
            (Some(financial_year), Some(resolution_id), Some(result_cents)) if e.is_empty() => {
                Ok(NewAppropriation {
                    financial_year,
                    resolution_id,
                    result_cents,
                    lines,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::governance::params::params_on;
    use jiff::civil::date;

    fn params() -> GovernanceParams {
        params_on(date(2024, 6, 1)).unwrap().clone()
    }

    fn cents(r: Ratio<i64>) -> i64 {
        round_cents(r)
    }

    fn line(kind: LineKind, euros: i64) -> Line {
        Line {
            kind,
            amount_cents: euros * 100,
        }
    }

    fn allowed() -> AppropriationContext {
        AppropriationContext {
            dividends_allowed: true,
            ..AppropriationContext::default()
        }
    }

    #[test]
    fn tv6_the_es_gross_cap_is_fifteen_euros_per_share_of_250() {
        let p = params();
        let at_6 = check_share_dividend(
            CapReading::EsGross,
            Ratio::from_integer(1_500),
            25_000,
            25_000,
            &p,
        );
        assert_eq!(at_6.cap_cents, Ratio::from_integer(1_500));
        assert!(at_6.passes);
    }

    #[test]
    fn tv6_the_cnc_net_reading_allows_8_5714_percent_gross() {
        let p = params();
        let max = cnc_max_gross_rate(&p);
        assert_eq!(max, Ratio::new(6, 70));
        // 8.5714 % to four decimals.
        assert_eq!(
            (max * Ratio::from_integer(1_000_000)).round().to_integer(),
            85_714
        );
        assert_eq!(cents(max * Ratio::from_integer(25_000)), 2_143);
    }

    #[test]
    fn tv6_seven_percent_fails_es_gross_and_passes_cnc_net() {
        let p = params();
        let gross = Ratio::from_integer(1_750);
        let es = check_share_dividend(CapReading::EsGross, gross, 25_000, 25_000, &p);
        let cnc = check_share_dividend(CapReading::CncNet, gross, 25_000, 25_000, &p);
        assert!(!es.passes);
        assert_eq!(cents(cnc.measured_cents), 1_225);
        assert!(cnc.passes);
    }

    #[test]
    fn tv6_nine_percent_fails_both_readings() {
        let p = params();
        let gross = Ratio::from_integer(2_250);
        let es = check_share_dividend(CapReading::EsGross, gross, 25_000, 25_000, &p);
        let cnc = check_share_dividend(CapReading::CncNet, gross, 25_000, 25_000, &p);
        assert!(!es.passes);
        assert_eq!(cents(cnc.measured_cents), 1_575);
        assert!(!cnc.passes);
    }

    #[test]
    fn tv7_pro_rata_from_the_first_of_july_is_183_of_366() {
        let year = (date(2024, 1, 1), date(2024, 12, 31));
        let amount = Ratio::from_integer(100_000) * rate(500);
        assert_eq!(
            held_days(date(2024, 7, 1), year.0, year.1, true),
            (183, 366)
        );
        let excluded = pro_rata(amount, date(2024, 7, 1), year.0, year.1, true);
        assert_eq!(cents(excluded), 2_500);
        let included = pro_rata(amount, date(2024, 7, 1), year.0, year.1, false);
        assert_eq!(
            held_days(date(2024, 7, 1), year.0, year.1, false),
            (184, 366)
        );
        assert_eq!(cents(included), 2_514);
    }

    #[test]
    fn tv7_the_convention_comes_from_the_dated_parameters() {
        let p = params();
        let amount = Ratio::from_integer(100_000) * rate(500);
        let r = pro_rata(
            amount,
            date(2024, 7, 1),
            date(2024, 1, 1),
            date(2024, 12, 31),
            p.pro_rata_start_excluded,
        );
        assert_eq!(cents(r), 2_500);
        // Held all year: the whole amount, whatever the convention.
        let whole = pro_rata(
            amount,
            date(2023, 3, 1),
            date(2024, 1, 1),
            date(2024, 12, 31),
            true,
        );
        assert_eq!(cents(whole), 5_000);
    }

    #[test]
    fn tv8_a_partly_paid_share_is_capped_on_the_configured_basis() {
        let mut p = params();
        assert_eq!(p.advantage_basis, AdvantageBasis::PaidUp);
        let twenty = Ratio::from_integer(2_000);
        let paid_up = check_share_dividend(CapReading::EsGross, twenty, 50_000, 25_000, &p);
        assert_eq!(paid_up.cap_cents, Ratio::from_integer(1_500));
        assert!(!paid_up.passes);
        p.advantage_basis = AdvantageBasis::Nominal;
        let nominal = check_share_dividend(CapReading::EsGross, twenty, 50_000, 25_000, &p);
        assert_eq!(nominal.cap_cents, Ratio::from_integer(3_000));
        assert!(nominal.passes);
    }

    #[test]
    fn tv9_rebates_count_or_not_in_the_patrimonial_advantage() {
        let p = params();
        let cap = round_cents(rate(p.advantage_rate_bp) * Ratio::from_integer(100_000));
        assert_eq!(cap, 6_000);
        assert_eq!(patrimonial_advantage(5_000, 1_500, true), 6_500);
        assert_eq!(patrimonial_advantage(5_000, 1_500, false), 5_000);
        let lines = [
            line(LineKind::PurposeReserve, 0),
            line(LineKind::Dividend, 50),
            line(LineKind::Rebate, 15),
        ];
        let counting = AppropriationContext {
            advantage_cap_cents: Some(cap),
            rebates_count: true,
            ..allowed()
        };
        assert_eq!(
            check_appropriation(6_500, &lines, &counting),
            vec![AppropriationError::OverCap {
                cap: 6_000,
                advantage: 6_500
            }]
        );
        let not_counting = AppropriationContext {
            rebates_count: false,
            ..counting
        };
        assert!(check_appropriation(6_500, &lines, &not_counting).is_empty());
    }

    #[test]
    fn tv10_a_dividend_without_a_purpose_reserve_before_it_fails() {
        let lines = [
            line(LineKind::Dividend, 10_000),
            line(LineKind::CarriedForward, 5_000),
        ];
        assert_eq!(
            check_appropriation(1_500_000, &lines, &allowed()),
            vec![AppropriationError::NoPurposeReserveBeforeDividend]
        );
        let ok = [
            line(LineKind::PurposeReserve, 8_000),
            line(LineKind::Dividend, 10_000),
        ];
        assert!(check_appropriation(1_800_000, &ok, &allowed()).is_empty());
        // The reserve after the dividend is too late.
        let late = [
            line(LineKind::Dividend, 10_000),
            line(LineKind::PurposeReserve, 8_000),
        ];
        assert_eq!(
            check_appropriation(1_800_000, &late, &allowed()),
            vec![AppropriationError::NoPurposeReserveBeforeDividend]
        );
    }

    #[test]
    fn the_lines_must_add_up_to_the_result() {
        let lines = [
            line(LineKind::PurposeReserve, 8_000),
            line(LineKind::CarriedForward, 1_000),
        ];
        assert_eq!(
            check_appropriation(1_000_000, &lines, &allowed()),
            vec![AppropriationError::DoesNotAddUp {
                result: 1_000_000,
                sum: 900_000
            }]
        );
        assert_eq!(
            check_appropriation(0, &[], &allowed()),
            vec![AppropriationError::NoLines]
        );
    }

    #[test]
    fn a_loss_is_carried_forward_and_no_other_line_is_negative() {
        assert!(
            check_appropriation(
                -250_000,
                &[line(LineKind::CarriedForward, -2_500)],
                &allowed()
            )
            .is_empty()
        );
        let bad = [line(LineKind::OtherReserve, -2_500)];
        assert_eq!(
            check_appropriation(-250_000, &bad, &allowed()),
            vec![AppropriationError::NegativeLine]
        );
    }

    #[test]
    fn when_the_statutes_exclude_dividends_any_dividend_is_refused() {
        let excluded = AppropriationContext::default();
        let lines = [
            line(LineKind::PurposeReserve, 8_000),
            line(LineKind::Dividend, 10),
        ];
        assert_eq!(
            check_appropriation(801_000, &lines, &excluded),
            vec![AppropriationError::DividendsExcluded]
        );
        let none = [
            line(LineKind::PurposeReserve, 8_000),
            line(LineKind::CarriedForward, 2_000),
        ];
        assert!(check_appropriation(1_000_000, &none, &excluded).is_empty());
        assert!(no_dividend(&none));
        assert!(!no_dividend(&lines));
    }

    #[test]
    fn cnc5_a_profit_share_for_the_board_is_refused() {
        let lines = [
            line(LineKind::PurposeReserve, 9_800),
            line(LineKind::BoardProfitShare, 200),
        ];
        assert_eq!(
            check_appropriation(1_000_000, &lines, &allowed()),
            vec![AppropriationError::BoardProfitShare]
        );
    }

    #[test]
    fn tv14_a_dividend_is_blocked_while_a_refund_is_suspended() {
        let ctx = AppropriationContext {
            refunds_suspended: true,
            ..allowed()
        };
        let lines = [
            line(LineKind::PurposeReserve, 8_000),
            line(LineKind::Dividend, 100),
        ];
        assert_eq!(
            check_appropriation(810_000, &lines, &ctx),
            vec![AppropriationError::RefundsSuspended]
        );
        let reserves_only = [line(LineKind::PurposeReserve, 8_100)];
        assert!(check_appropriation(810_000, &reserves_only, &ctx).is_empty());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_cents(Ratio::new(5, 2)), 3);
        assert_eq!(round_cents(Ratio::new(-5, 2)), -3);
        assert_eq!(round_cents(Ratio::new(7, 3)), 2);
        assert_eq!(round_cents(Ratio::new(-7, 3)), -2);
        assert_eq!(round_cents(Ratio::new(-8, 3)), -3);
    }

    #[test]
    fn an_appropriation_form_names_its_wrong_fields() {
        let e = AppropriationForm {
            alloc_year: "20x4".into(),
            alloc_resolution: String::new(),
            alloc_result: "abc".into(),
            lines: vec![LineInput {
                kind: "bonus".into(),
                amount: "10".into(),
            }],
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("alloc_year"), Some("alloc-year"));
        assert_eq!(e.get("alloc_resolution"), Some("required"));
        assert_eq!(e.get("alloc_result"), Some("alloc-amount"));
        assert_eq!(e.get("alloc_lines"), Some("alloc-choice"));
        let ok = AppropriationForm {
            alloc_year: "2024".into(),
            alloc_resolution: "3".into(),
            alloc_result: "12.345,67".into(),
            lines: vec![
                LineInput {
                    kind: "purpose_reserve".into(),
                    amount: "10.000".into(),
                },
                LineInput::default(),
                LineInput {
                    kind: "carried_forward".into(),
                    amount: "2.345,67".into(),
                },
            ],
        }
        .parse()
        .unwrap();
        assert_eq!(ok.result_cents, 1_234_567);
        assert_eq!(ok.lines.len(), 2);
    }
}
