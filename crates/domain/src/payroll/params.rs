//! The dated parameter sets of the salary simulator, read once from `rules/payroll.toml`
//! (DESIGN.md §4: rules are data with dates).
//!
//! The file keeps one dated table per topic (employee social security, employer side,
//! structural reduction, work bonus, withholding tax, special social security contribution,
//! author's rights). At first use they are combined into [`ParamSet`]s: one per date at which
//! any topic changes, holding the row in force of every topic, so that a simulation looks up
//! one set by date and reads plain numbers — nothing is parsed or allocated per simulation.

use std::sync::LazyLock;

use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::round_cents;

/// How sure a row of the file is (the words of reference/employment.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// An official page, two independent sources, or a published result reproduced.
    Verified,
    /// One secondary source only.
    SingleSource,
    /// Unconfirmed (an OPEN item): used, and flagged on every simulation that relies on it.
    Unverified,
}

impl Status {
    fn parse(s: &str) -> Result<Status, String> {
        match s {
            "verified" => Ok(Status::Verified),
            "single source" => Ok(Status::SingleSource),
            "unverified" => Ok(Status::Unverified),
            other => Err(format!("unknown status {other:?}")),
        }
    }

    pub fn is_verified(self) -> bool {
        self == Status::Verified
    }
}

/// Employee social security (employment.md §2.1).
#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeOnss {
    pub valid_from: Date,
    pub status: Status,
    /// 0.1307.
    pub rate: Decimal,
    /// 1.08: manual workers are declared at 108 % of their gross.
    pub manual_worker_base: Decimal,
}

/// One extra employer contribution (closure fund, asbestos fund…).
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraRate {
    pub name: String,
    pub rate: Decimal,
    pub status: Status,
}

/// The employer's contributions and holiday pay (employment.md §2.2).
#[derive(Debug, Clone, PartialEq)]
pub struct Employer {
    pub valid_from: Date,
    pub status: Status,
    /// Category 1: 0.25.
    pub base_rate: Decimal,
    pub extras: Vec<ExtraRate>,
    /// The sum of the extra rates.
    pub extras_rate: Decimal,
    /// Whether every extra rate is verified.
    pub extras_verified: bool,
    /// Employé exit holiday pay: 0.1534 of the gross.
    pub exit_holiday_pay_rate: Decimal,
    /// Its simple part, which bears social security: 0.0767.
    pub exit_holiday_pay_simple_rate: Decimal,
    /// Ouvrier holiday fund: 0.1584 of the 108 % base.
    pub manual_holiday_fund_rate: Decimal,
}

/// The structural reduction of employer contributions, category 1 (employment.md §2.2).
#[derive(Debug, Clone, PartialEq)]
pub struct StructuralReduction {
    pub valid_from: Date,
    pub status: Status,
    pub alpha: Decimal,
    pub gamma: Decimal,
    pub s0_quarter: Decimal,
    pub s2_quarter: Decimal,
    /// β is 0 below this work fraction (0.275): no reduction at all.
    pub mu_min: Decimal,
    pub mu_mid: Decimal,
    pub mu_high: Decimal,
    pub beta_low: Decimal,
    pub beta_slope: Decimal,
}

impl StructuralReduction {
    /// β for a global work fraction µ (Securex lex4you, "calcul du montant réel").
    pub fn beta(&self, mu: Decimal) -> Decimal {
        if mu < self.mu_min {
            Decimal::ZERO
        } else if mu < self.mu_mid {
            self.beta_low
        } else if mu < self.mu_high {
            self.beta_low + (mu - self.mu_mid) * self.beta_slope
        } else {
            Decimal::ONE / mu
        }
    }
}

/// One row of a work-bonus part: for S ≤ `up_to`, `amount − slope × (S − from)`.
#[derive(Debug, Clone, PartialEq)]
pub struct BonusRow {
    pub up_to: Decimal,
    pub amount: Decimal,
    pub slope: Decimal,
    pub from: Decimal,
}

/// One part (A or B) of the social work bonus: rows by increasing `up_to`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BonusPart {
    pub rows: Vec<BonusRow>,
}

impl BonusPart {
    /// The monthly amount for a full-time reference wage `s` (not rounded), never negative;
    /// 0 above the last row.
    pub fn value(&self, s: Decimal) -> Decimal {
        self.rows
            .iter()
            .find(|r| s <= r.up_to)
            .map(|r| (r.amount - r.slope * (s - r.from).max(Decimal::ZERO)).max(Decimal::ZERO))
            .unwrap_or(Decimal::ZERO)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BonusParts {
    pub a: BonusPart,
    pub b: BonusPart,
}

/// The work bonus (employment.md §2.4).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkBonus {
    pub valid_from: Date,
    pub status: Status,
    pub annual_cap: Decimal,
    /// The yearly cap ÷ 12, to the cent.
    pub monthly_cap: Decimal,
    pub fiscal_a_rate: Decimal,
    pub fiscal_b_rate: Decimal,
    pub employee: BonusParts,
    pub manual: BonusParts,
}

/// One bracket of the withholding scale, with the tax already due at its floor.
#[derive(Debug, Clone, PartialEq)]
pub struct Bracket {
    pub from: Decimal,
    pub rate: Decimal,
    /// The sum of the lower brackets' taxes, each rounded to the cent.
    pub floor_tax: Decimal,
}

/// The key formula's parameters (employment.md §2.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Withholding {
    pub valid_from: Date,
    pub status: Status,
    pub flat_expenses_rate: Decimal,
    pub flat_expenses_cap: Decimal,
    pub exempt: Decimal,
    pub exempt_tax: Decimal,
    pub spouse_quotient_rate: Decimal,
    pub spouse_quotient_cap: Decimal,
    /// Annual reductions for 1 … 8 dependent children.
    pub children: [Decimal; 8],
    pub child_above_8: Decimal,
    pub single_parent: Decimal,
    pub artist_flat_rate: Decimal,
    pub brackets: Vec<Bracket>,
}

impl Withholding {
    /// The base tax T(x) of an annual income on the scale, rounded to the cent (key formula,
    /// point 5; every intermediate result is rounded half-up, point 3).
    pub fn base_tax(&self, income: Decimal) -> Decimal {
        let income = income.max(Decimal::ZERO);
        match self.brackets.iter().rev().find(|b| income > b.from) {
            Some(b) => round_cents(b.floor_tax + b.rate * (income - b.from)),
            None => Decimal::ZERO,
        }
    }

    /// The annual reduction for `n` dependent children (a disabled child counts twice: the
    /// caller counts it so).
    pub fn children_reduction(&self, n: u8) -> Decimal {
        match n {
            0 => Decimal::ZERO,
            1..=8 => self.children[usize::from(n - 1)],
            _ => self.children[7] + self.child_above_8 * Decimal::from(n - 8),
        }
    }
}

/// One row of a CSSS schedule: for an input ≤ `up_to` (the last row: any input),
/// `base + rate × (input − over)`, bounded by `min` and `max`.
#[derive(Debug, Clone, PartialEq)]
pub struct CsssRow {
    pub up_to: Option<Decimal>,
    pub base: Decimal,
    pub rate: Decimal,
    pub over: Decimal,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

/// A CSSS schedule: rows by increasing `up_to`, the last one open.
#[derive(Debug, Clone, PartialEq)]
pub struct CsssSchedule {
    pub rows: Vec<CsssRow>,
}

impl CsssSchedule {
    /// The monthly contribution for a monthly gross `s` (× 1.08 for ouvriers), not rounded.
    pub fn value(&self, s: Decimal) -> Decimal {
        let Some(row) = self
            .rows
            .iter()
            .find(|r| r.up_to.is_none_or(|up_to| s <= up_to))
        else {
            return Decimal::ZERO;
        };
        let mut v = row.base + row.rate * (s - row.over);
        if let Some(min) = row.min {
            v = v.max(min);
        }
        if let Some(max) = row.max {
            v = v.min(max);
        }
        v.max(Decimal::ZERO)
    }
}

/// The special social security contribution (employment.md §2.5).
#[derive(Debug, Clone, PartialEq)]
pub struct Csss {
    pub valid_from: Date,
    pub status: Status,
    pub single: CsssSchedule,
    pub married_one_income: CsssSchedule,
    pub married_two_incomes: CsssSchedule,
}

/// Author's rights of an income year (employment.md §3.4).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorsRights {
    pub valid_from: Date,
    pub status: Status,
    /// The most of the total pay that may be author's rights, basis points (3000 = 30 %).
    pub share_limit_bp: u32,
    pub annual_cap: Decimal,
    pub bracket1: Decimal,
    pub bracket2: Decimal,
    pub deduction1_rate: Decimal,
    pub deduction2_rate: Decimal,
    pub tax_rate: Decimal,
}

/// Every parameter in force on a range of dates.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSet {
    /// `<file version>/<first day>`, e.g. `2026-11/2026-03-01`: what a simulation records.
    pub version: String,
    pub valid_from: Date,
    /// The first day of the next set, if any.
    pub valid_until: Option<Date>,
    pub employee_onss: EmployeeOnss,
    pub employer: Employer,
    pub structural_reduction: StructuralReduction,
    pub work_bonus: WorkBonus,
    pub withholding: Withholding,
    pub csss: Csss,
    pub authors_rights: AuthorsRights,
}

/// The whole file, combined into sets by date.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamTable {
    pub version: String,
    /// Oldest first, one per date at which a topic changes.
    pub sets: Vec<ParamSet>,
}

impl ParamTable {
    /// The set in force on `date`, if the table covers it.
    pub fn set_on(&self, date: Date) -> Option<&ParamSet> {
        let after = self.sets.partition_point(|s| s.valid_from <= date);
        after.checked_sub(1).and_then(|i| self.sets.get(i))
    }

    /// The first day the table covers.
    pub fn first_day(&self) -> Option<Date> {
        self.sets.first().map(|s| s.valid_from)
    }
}

// --- Reading the file ---------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: String,
    employee_onss: Vec<RawEmployeeOnss>,
    employer: Vec<RawEmployer>,
    structural_reduction: Vec<RawStructural>,
    work_bonus: Vec<RawWorkBonus>,
    withholding: Vec<RawWithholding>,
    csss: Vec<RawCsss>,
    authors_rights: Vec<RawAuthorsRights>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmployeeOnss {
    #[serde(deserialize_with = "toml_date")]
    valid_from: Date,
    status: String,
    rate_percent: String,
    manual_worker_base_percent: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmployer {
    #[serde(deserialize_with = "toml_date")]
    valid_from: Date,
    status: String,
    base_rate_percent: String,
    exit_holiday_pay_percent: String,
    exit_holiday_pay_simple_percent: String,
    manual_holiday_fund_percent: String,
    #[serde(default)]
    extra: Vec<RawExtra>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtra {
    name: String,
    rate_percent: String,
    status: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStructural {
    #[serde(deserialize_with = "toml_date")]
    valid_from: Date,
    status: String,
    alpha: String,
    gamma: String,
    s0_quarter_eur: String,
    s2_quarter_eur: String,
    mu_min: String,
    mu_mid: String,
    mu_high: String,
    beta_low: String,
    beta_slope: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkBonus {
    #[serde(deserialize_with = "toml_date")]
    valid_from: Date,
    status: String,
    annual_cap_eur: String,
    fiscal_a_percent: String,
    fiscal_b_percent: String,
    employee: RawParts,
    manual: RawParts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParts {
    a: Vec<RawBonusRow>,
    b: Vec<RawBonusRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBonusRow {
    up_to: String,
    amount: String,
    #[serde(default)]
    slope: Option<String>,
    #[serde(default)]
    from: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWithholding {
    #[serde(deserialize_with = "toml_date")]
    valid_from: Date,
    status: String,
    flat_expenses_percent: String,
    flat_expenses_cap_eur: String,
    exempt_eur: String,
    exempt_tax_eur: String,
    spouse_quotient_percent: String,
    spouse_quotient_cap_eur: String,
    children_eur: Vec<String>,
    child_above_8_eur: String,
    single_parent_eur: String,
    artist_flat_percent: String,
    brackets: Vec<RawBracket>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBracket {
    from_eur: String,
    rate_percent: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCsss {
    #[serde(deserialize_with = "toml_date")]
    valid_from: Date,
    status: String,
    single: Vec<RawCsssRow>,
    married_one_income: Vec<RawCsssRow>,
    married_two_incomes: Vec<RawCsssRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCsssRow {
    #[serde(default)]
    up_to_eur: Option<String>,
    base_eur: String,
    #[serde(default)]
    rate_percent: Option<String>,
    #[serde(default)]
    over_eur: Option<String>,
    #[serde(default)]
    min_eur: Option<String>,
    #[serde(default)]
    max_eur: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthorsRights {
    #[serde(deserialize_with = "toml_date")]
    valid_from: Date,
    status: String,
    share_limit_percent: String,
    annual_cap_eur: String,
    bracket1_eur: String,
    bracket2_eur: String,
    deduction1_percent: String,
    deduction2_percent: String,
    tax_percent: String,
}

/// A TOML date (`2026-03-01`, unquoted) as a civil date.
fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let raw = toml::value::Datetime::deserialize(d)?;
    raw.to_string().parse().map_err(serde::de::Error::custom)
}

/// An exact decimal written in the file, never negative.
fn dec(s: &str) -> Result<Decimal, String> {
    let d = Decimal::from_str_exact(s.trim()).map_err(|e| format!("{s:?}: {e}"))?;
    if d.is_sign_negative() {
        return Err(format!("{s:?} is negative"));
    }
    Ok(d)
}

fn opt_dec(s: &Option<String>) -> Result<Option<Decimal>, String> {
    s.as_deref().map(dec).transpose()
}

/// A percentage of the file as a fraction: "13.07" → 0.1307; at most 100 %.
fn percent(s: &str) -> Result<Decimal, String> {
    let d = dec(s)?;
    if d > Decimal::ONE_HUNDRED {
        return Err(format!("{s}% is above 100 %"));
    }
    Ok(d / Decimal::ONE_HUNDRED)
}

fn bonus_part(rows: &[RawBonusRow]) -> Result<BonusPart, String> {
    let mut out: Vec<BonusRow> = Vec::with_capacity(rows.len());
    for r in rows {
        let row = BonusRow {
            up_to: dec(&r.up_to)?,
            amount: dec(&r.amount)?,
            slope: opt_dec(&r.slope)?.unwrap_or(Decimal::ZERO),
            from: opt_dec(&r.from)?.unwrap_or(Decimal::ZERO),
        };
        if out.last().is_some_and(|prev| prev.up_to >= row.up_to) {
            return Err(format!("work-bonus rows out of order at {}", row.up_to));
        }
        out.push(row);
    }
    Ok(BonusPart { rows: out })
}

fn bonus_parts(raw: &RawParts) -> Result<BonusParts, String> {
    Ok(BonusParts {
        a: bonus_part(&raw.a)?,
        b: bonus_part(&raw.b)?,
    })
}

fn csss_schedule(rows: &[RawCsssRow]) -> Result<CsssSchedule, String> {
    let mut out: Vec<CsssRow> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let row = CsssRow {
            up_to: opt_dec(&r.up_to_eur)?,
            base: dec(&r.base_eur)?,
            rate: r
                .rate_percent
                .as_deref()
                .map(percent)
                .transpose()?
                .unwrap_or(Decimal::ZERO),
            over: opt_dec(&r.over_eur)?.unwrap_or(Decimal::ZERO),
            min: opt_dec(&r.min_eur)?,
            max: opt_dec(&r.max_eur)?,
        };
        let last = i + 1 == rows.len();
        if row.up_to.is_none() != last {
            return Err("a CSSS schedule's last row, and only it, has no up_to_eur".into());
        }
        if let (Some(prev), Some(up_to)) = (out.last().and_then(|p| p.up_to), row.up_to)
            && prev >= up_to
        {
            return Err(format!("CSSS rows out of order at {up_to}"));
        }
        out.push(row);
    }
    if out.is_empty() {
        return Err("an empty CSSS schedule".into());
    }
    Ok(CsssSchedule { rows: out })
}

fn withholding(raw: &RawWithholding) -> Result<Withholding, String> {
    let mut brackets: Vec<Bracket> = Vec::with_capacity(raw.brackets.len());
    for b in &raw.brackets {
        let from = dec(&b.from_eur)?;
        let rate = percent(&b.rate_percent)?;
        let floor_tax = match brackets.last() {
            None if from.is_zero() => Decimal::ZERO,
            None => return Err("the withholding scale must start at 0".into()),
            Some(prev) if prev.from >= from => {
                return Err(format!("withholding brackets out of order at {from}"));
            }
            // The tax at a floor: the lower brackets' taxes, each rounded to the cent.
            Some(prev) => prev.floor_tax + round_cents(prev.rate * (from - prev.from)),
        };
        brackets.push(Bracket {
            from,
            rate,
            floor_tax,
        });
    }
    let first_rate = brackets
        .first()
        .map(|b| b.rate)
        .ok_or("an empty withholding scale")?;
    let children: Vec<Decimal> = raw
        .children_eur
        .iter()
        .map(|c| dec(c))
        .collect::<Result<_, _>>()?;
    let children: [Decimal; 8] = children
        .try_into()
        .map_err(|_| "children_eur needs the reductions for 1 to 8 children".to_string())?;
    let exempt = dec(&raw.exempt_eur)?;
    let exempt_tax = dec(&raw.exempt_tax_eur)?;
    // The tax on the exempt amount is the first rate on it, rounded (key formula).
    if round_cents(first_rate * exempt) != exempt_tax {
        return Err(format!(
            "exempt_tax_eur {exempt_tax} is not {first_rate} × {exempt}"
        ));
    }
    Ok(Withholding {
        valid_from: raw.valid_from,
        status: Status::parse(&raw.status)?,
        flat_expenses_rate: percent(&raw.flat_expenses_percent)?,
        flat_expenses_cap: dec(&raw.flat_expenses_cap_eur)?,
        exempt,
        exempt_tax,
        spouse_quotient_rate: percent(&raw.spouse_quotient_percent)?,
        spouse_quotient_cap: dec(&raw.spouse_quotient_cap_eur)?,
        children,
        child_above_8: dec(&raw.child_above_8_eur)?,
        single_parent: dec(&raw.single_parent_eur)?,
        artist_flat_rate: percent(&raw.artist_flat_percent)?,
        brackets,
    })
}

fn employer(raw: &RawEmployer) -> Result<Employer, String> {
    let mut extras = Vec::with_capacity(raw.extra.len());
    for e in &raw.extra {
        extras.push(ExtraRate {
            name: e.name.clone(),
            rate: percent(&e.rate_percent)?,
            status: Status::parse(&e.status)?,
        });
    }
    let simple = percent(&raw.exit_holiday_pay_simple_percent)?;
    let exit = percent(&raw.exit_holiday_pay_percent)?;
    if simple > exit {
        return Err("the simple holiday pay exceeds the whole exit holiday pay".into());
    }
    Ok(Employer {
        valid_from: raw.valid_from,
        status: Status::parse(&raw.status)?,
        base_rate: percent(&raw.base_rate_percent)?,
        extras_rate: extras.iter().map(|e| e.rate).sum(),
        extras_verified: extras.iter().all(|e| e.status.is_verified()),
        extras,
        exit_holiday_pay_rate: exit,
        exit_holiday_pay_simple_rate: simple,
        manual_holiday_fund_rate: percent(&raw.manual_holiday_fund_percent)?,
    })
}

fn work_bonus(raw: &RawWorkBonus) -> Result<WorkBonus, String> {
    let annual_cap = dec(&raw.annual_cap_eur)?;
    Ok(WorkBonus {
        valid_from: raw.valid_from,
        status: Status::parse(&raw.status)?,
        annual_cap,
        monthly_cap: round_cents(annual_cap / Decimal::from(12)),
        fiscal_a_rate: percent(&raw.fiscal_a_percent)?,
        fiscal_b_rate: percent(&raw.fiscal_b_percent)?,
        employee: bonus_parts(&raw.employee)?,
        manual: bonus_parts(&raw.manual)?,
    })
}

fn authors_rights(raw: &RawAuthorsRights) -> Result<AuthorsRights, String> {
    let share = dec(&raw.share_limit_percent)?;
    if share >= Decimal::ONE_HUNDRED {
        return Err("the author's-rights share limit must stay below 100 %".into());
    }
    let share_limit_bp = (share * Decimal::ONE_HUNDRED)
        .trunc()
        .to_u32()
        .ok_or("share_limit_percent is not a percentage")?;
    let bracket1 = dec(&raw.bracket1_eur)?;
    let bracket2 = dec(&raw.bracket2_eur)?;
    if bracket1 > bracket2 {
        return Err("bracket1_eur is above bracket2_eur".into());
    }
    Ok(AuthorsRights {
        valid_from: raw.valid_from,
        status: Status::parse(&raw.status)?,
        share_limit_bp,
        annual_cap: dec(&raw.annual_cap_eur)?,
        bracket1,
        bracket2,
        deduction1_rate: percent(&raw.deduction1_percent)?,
        deduction2_rate: percent(&raw.deduction2_percent)?,
        tax_rate: percent(&raw.tax_percent)?,
    })
}

/// Rows of one topic, oldest first, each date once.
fn dated<T>(name: &str, mut rows: Vec<T>, date: impl Fn(&T) -> Date) -> Result<Vec<T>, String> {
    if rows.is_empty() {
        return Err(format!("no {name} row"));
    }
    rows.sort_by_key(&date);
    if rows.windows(2).any(|w| date(&w[0]) == date(&w[1])) {
        return Err(format!("two {name} rows start on the same day"));
    }
    Ok(rows)
}

/// The row of `rows` (oldest first) in force on `day`.
fn in_force<T: Clone>(rows: &[T], day: Date, date: impl Fn(&T) -> Date) -> Result<T, String> {
    rows.iter()
        .rev()
        .find(|r| date(r) <= day)
        .cloned()
        .ok_or_else(|| format!("no row in force on {day}"))
}

pub(super) fn load(text: &str) -> Result<ParamTable, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let employee_onss = dated(
        "employee_onss",
        raw.employee_onss
            .iter()
            .map(|r| {
                Ok(EmployeeOnss {
                    valid_from: r.valid_from,
                    status: Status::parse(&r.status)?,
                    rate: percent(&r.rate_percent)?,
                    manual_worker_base: dec(&r.manual_worker_base_percent)? / Decimal::ONE_HUNDRED,
                })
            })
            .collect::<Result<Vec<_>, String>>()?,
        |r| r.valid_from,
    )?;
    let employers = dated(
        "employer",
        raw.employer
            .iter()
            .map(employer)
            .collect::<Result<_, _>>()?,
        |r| r.valid_from,
    )?;
    let structural = dated(
        "structural_reduction",
        raw.structural_reduction
            .iter()
            .map(|r| {
                Ok(StructuralReduction {
                    valid_from: r.valid_from,
                    status: Status::parse(&r.status)?,
                    alpha: dec(&r.alpha)?,
                    gamma: dec(&r.gamma)?,
                    s0_quarter: dec(&r.s0_quarter_eur)?,
                    s2_quarter: dec(&r.s2_quarter_eur)?,
                    mu_min: dec(&r.mu_min)?,
                    mu_mid: dec(&r.mu_mid)?,
                    mu_high: dec(&r.mu_high)?,
                    beta_low: dec(&r.beta_low)?,
                    beta_slope: dec(&r.beta_slope)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?,
        |r| r.valid_from,
    )?;
    let bonuses = dated(
        "work_bonus",
        raw.work_bonus
            .iter()
            .map(work_bonus)
            .collect::<Result<_, _>>()?,
        |r| r.valid_from,
    )?;
    let withholdings = dated(
        "withholding",
        raw.withholding
            .iter()
            .map(withholding)
            .collect::<Result<_, _>>()?,
        |r| r.valid_from,
    )?;
    let csss = dated(
        "csss",
        raw.csss
            .iter()
            .map(|r| {
                Ok(Csss {
                    valid_from: r.valid_from,
                    status: Status::parse(&r.status)?,
                    single: csss_schedule(&r.single)?,
                    married_one_income: csss_schedule(&r.married_one_income)?,
                    married_two_incomes: csss_schedule(&r.married_two_incomes)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?,
        |r| r.valid_from,
    )?;
    let rights = dated(
        "authors_rights",
        raw.authors_rights
            .iter()
            .map(authors_rights)
            .collect::<Result<_, _>>()?,
        |r| r.valid_from,
    )?;

    // A set starts on every day a topic changes, from the first day every topic is known.
    let firsts = [
        employee_onss[0].valid_from,
        employers[0].valid_from,
        structural[0].valid_from,
        bonuses[0].valid_from,
        withholdings[0].valid_from,
        csss[0].valid_from,
        rights[0].valid_from,
    ];
    let start = firsts.iter().max().copied().ok_or("no topic")?;
    let mut days: Vec<Date> = employee_onss
        .iter()
        .map(|r| r.valid_from)
        .chain(employers.iter().map(|r| r.valid_from))
        .chain(structural.iter().map(|r| r.valid_from))
        .chain(bonuses.iter().map(|r| r.valid_from))
        .chain(withholdings.iter().map(|r| r.valid_from))
        .chain(csss.iter().map(|r| r.valid_from))
        .chain(rights.iter().map(|r| r.valid_from))
        .filter(|d| *d >= start)
        .chain(std::iter::once(start))
        .collect();
    days.sort();
    days.dedup();
    let mut sets = Vec::with_capacity(days.len());
    for (i, day) in days.iter().enumerate() {
        let day = *day;
        sets.push(ParamSet {
            version: format!("{}/{day}", raw.version),
            valid_from: day,
            valid_until: days.get(i + 1).copied(),
            employee_onss: in_force(&employee_onss, day, |r| r.valid_from)?,
            employer: in_force(&employers, day, |r| r.valid_from)?,
            structural_reduction: in_force(&structural, day, |r| r.valid_from)?,
            work_bonus: in_force(&bonuses, day, |r| r.valid_from)?,
            withholding: in_force(&withholdings, day, |r| r.valid_from)?,
            csss: in_force(&csss, day, |r| r.valid_from)?,
            authors_rights: in_force(&rights, day, |r| r.valid_from)?,
        });
    }
    Ok(ParamTable {
        version: raw.version,
        sets,
    })
}

/// The shipped table, read at first use. A malformed file is a build defect the tests
/// catch; should it ever happen, every simulation is refused rather than computed on
/// unchecked numbers.
static TABLE: LazyLock<Result<ParamTable, String>> =
    LazyLock::new(|| load(include_str!("../../rules/payroll.toml")));

/// The shipped parameter table, or why `rules/payroll.toml` could not be read.
pub fn param_table() -> Result<&'static ParamTable, String> {
    TABLE.as_ref().map_err(Clone::clone)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn table() -> &'static ParamTable {
        param_table().expect("payroll.toml loads")
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn the_payroll_file_is_read_into_sets_by_effective_date() {
        let starts: Vec<String> = table()
            .sets
            .iter()
            .map(|s| s.valid_from.to_string())
            .collect();
        assert_eq!(
            starts,
            [
                "2023-01-01",
                "2023-07-01",
                "2023-11-01",
                "2024-01-01",
                "2024-04-01",
                "2024-05-01",
                "2025-01-01",
                "2025-02-01",
                "2026-01-01",
                "2026-03-01",
                "2026-04-01"
            ]
        );
        let set = table().set_on(date(2026, 3, 15)).unwrap();
        assert_eq!(set.version, format!("{}/2026-03-01", table().version));
        assert_eq!(set.valid_until, Some(date(2026, 4, 1)));
        assert_eq!(set.withholding.valid_from, date(2026, 1, 1));
        assert!(table().set_on(date(2022, 12, 31)).is_none());
        assert_eq!(table().first_day(), Some(date(2023, 1, 1)));
    }

    #[test]
    fn a_date_of_2023_resolves_to_a_2023_set_with_its_statuses() {
        let t = table();
        let june = t.set_on(date(2023, 6, 15)).unwrap();
        assert_eq!(june.version, format!("{}/2023-01-01", t.version));
        assert_eq!(june.valid_until, Some(date(2023, 7, 1)));
        // Author's rights of income 2023: 50 % of the pay, 70,220 € a year.
        assert_eq!(june.authors_rights.share_limit_bp, 5000);
        assert_eq!(june.authors_rights.annual_cap, d("70220"));
        // The 2023 key formula is carried from 2024, and says so.
        assert_eq!(june.withholding.status, Status::Unverified);
        assert_eq!(june.employee_onss.rate, d("0.1307"));
        assert_eq!(june.work_bonus.employee.a.value(d("2000")), d("247.31"));
        // July 2023: the higher maximum for the lowest wages.
        let july = t.set_on(date(2023, 7, 1)).unwrap();
        assert_eq!(july.work_bonus.employee.a.value(d("2000")), d("262.16"));
        let november = t.set_on(date(2023, 11, 30)).unwrap();
        assert_eq!(
            november.work_bonus.employee,
            t.set_on(date(2024, 1, 1)).unwrap().work_bonus.employee
        );
    }

    #[test]
    fn the_tax_at_each_floor_of_the_2026_scale_is_the_published_one() {
        // employment.md §2.3: 4,469.93 / 9,944.05 / 20,320.38 (three 2026 engines agree).
        let w = &table().set_on(date(2026, 1, 1)).unwrap().withholding;
        let floors: Vec<Decimal> = w.brackets.iter().map(|b| b.floor_tax).collect();
        assert_eq!(floors, [d("0"), d("4469.93"), d("9944.05"), d("20320.38")]);
        assert_eq!(w.base_tax(d("16710")), d("4469.93"));
        assert_eq!(w.base_tax(d("-5")), Decimal::ZERO);
    }

    #[test]
    fn the_reduction_for_children_follows_the_table_then_grows_per_child() {
        let w = &table().set_on(date(2025, 6, 1)).unwrap().withholding;
        assert_eq!(w.children_reduction(0), Decimal::ZERO);
        assert_eq!(w.children_reduction(1), d("612"));
        assert_eq!(w.children_reduction(8), d("21444"));
        assert_eq!(w.children_reduction(10), d("21444") + d("3780") * d("2"));
    }

    #[test]
    fn beta_is_zero_below_a_work_fraction_of_0_275_and_continuous_above() {
        let s = &table()
            .set_on(date(2026, 1, 1))
            .unwrap()
            .structural_reduction;
        assert_eq!(s.beta(d("0.2749")), Decimal::ZERO);
        assert_eq!(s.beta(d("0.275")), d("1.18"));
        assert_eq!(s.beta(d("0.5")), d("1.18"));
        assert_eq!(s.beta(d("0.55")), d("1.18"));
        // 1.18 + 0.25 × 0.28 = 1.25 = 1 / 0.80: no jump at 0.80.
        assert_eq!(s.beta(d("0.7999")), d("1.18") + d("0.2499") * d("0.28"));
        assert_eq!(s.beta(d("0.80")), d("1.25"));
        assert_eq!(s.beta(Decimal::ONE), Decimal::ONE);
    }

    #[test]
    fn a_malformed_file_is_refused_with_its_reason() {
        let text = include_str!("../../rules/payroll.toml");
        let wrong_exempt = text.replacen(
            "exempt_tax_eur = \"2830.15\"",
            "exempt_tax_eur = \"2830.00\"",
            1,
        );
        assert!(load(&wrong_exempt).unwrap_err().contains("exempt_tax_eur"));
        let unknown_status = text.replacen("status = \"verified\"", "status = \"probably\"", 1);
        assert!(
            load(&unknown_status)
                .unwrap_err()
                .contains("unknown status")
        );
        let duplicate = format!(
            "{text}\n[[employee_onss]]\nvalid_from = 2024-01-01\nstatus = \"verified\"\nrate_percent = \"13.07\"\nmanual_worker_base_percent = \"108\"\n"
        );
        assert!(load(&duplicate).unwrap_err().contains("same day"));
    }

    #[test]
    fn every_yearly_work_bonus_cap_is_twelve_employe_maxima_but_for_april_2024() {
        // The rule behind the published caps; April 2024 keeps the cap its source gives.
        for set in &table().sets {
            let wb = &set.work_bonus;
            let max = wb.employee.a.value(Decimal::ZERO) + wb.employee.b.value(Decimal::ZERO);
            if wb.valid_from == date(2024, 4, 1) {
                assert_eq!(wb.annual_cap, d("3331.80"));
            } else {
                assert_eq!(wb.annual_cap, max * d("12"), "{}", wb.valid_from);
            }
        }
    }
}
