//! The salary simulator (C6): from an activity's budget to the employer cost, the gross and
//! the net pay — and back — for a given date, on the dated parameters of
//! `rules/payroll.toml` (reference/employment.md §1–§3).
//!
//! Gross → net (employment.md §2.1–§2.6), every line rounded half-up to the cent:
//! 1. employee social security: 13.07 % of the gross (of 108 % of it for an ouvrier);
//! 2. the social work bonus, parts A and B, on the full-time reference wage (gross ÷ work
//!    fraction), times the fraction, capped at the social security due (B cut first) and at
//!    a twelfth of the yearly ceiling;
//! 3. the taxable pay: gross − (social security − social work bonus);
//! 4. the withholding tax by the key formula (annex III AR/CIR 92): ×12, flat professional
//!    expenses, the scale, the exempt amount or the spouse quotient, the children, ÷12; then
//!    the fiscal work bonus (33.14 % of A + 52.54 % of B, rounded once). An artist working
//!    successively for several principals has the flat 11.11 % instead, without reductions
//!    (annex III point 80);
//! 5. the special social security contribution (CSSS) by family situation;
//! 6. the net: gross − (social security − bonus) − withholding − CSSS.
//!
//! Employer side (§2.2): 25 % (category 1) plus the extra rates of the file on the gross (on
//! 108 % for an ouvrier), the holiday pay (an employé's 15.34 % exit holiday pay, whose
//! simple half bears the employer's contributions; an ouvrier's 15.84 % of 108 % to the
//! holiday fund), less the structural reduction — applied only from a work fraction of 0.275
//! (β is 0 below), on parameters that are still unverified (employment.md §8.1), which every
//! simulation using them says in its [`Caveats`].
//!
//! Artists' author's rights (§3.4): a share of the total pay may be paid as author's rights,
//! within the year's share limit and annual cap, taxed at 15 % at source after the flat cost
//! deduction and free of social security.
//!
//! **The pay period is a month**: the parameters and the worked vectors are monthly. A short
//! contract is simulated as the pay of the month it is paid in, its work fraction being its
//! hours over a month's full-time hours; how annex III treats a pay period that is not a
//! month (per daily contract) is OPEN (employment.md §8 item 4).
//!
//! Not simulated: the withholding on exceptional allocations (the exit holiday pay's own
//! tax, bonuses), the scale tables for a taxable pay above 7,500 € a month, group insurance,
//! meal vouchers, benefits in kind, dependants other than children.
//!
//! The three directions: [`simulate_from_gross`]; [`simulate_from_net`] and
//! [`simulate_from_employer_cost`] search the gross by bisection on cents (at most 27
//! halvings of the 1,000,000 € range, without allocating; the parameters are read once).

pub mod params;

mod artists;
mod employer;
mod solve;
#[cfg(test)]
mod vectors;
mod withholding;
mod work_bonus;

use jiff::civil::Date;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

pub use params::{ParamSet, ParamTable, Status, param_table};

/// The annual hours of a full-timer: 38 h × 52 weeks (employment.md §1.1).
pub const FULL_TIME_HOURS_PER_YEAR: u32 = 1976;

/// The largest amount the simulator takes or gives: 1,000,000.00 € (a typing error above).
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000;

/// Whether the worker is declared at 100 % (employé) or at 108 % (ouvrier, and artists
/// under art. 1bis declared like them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerStatus {
    /// Employé / bediende.
    #[default]
    Employee,
    /// Ouvrier / arbeider.
    Manual,
}

impl WorkerStatus {
    pub const ALL: [WorkerStatus; 2] = [WorkerStatus::Employee, WorkerStatus::Manual];

    pub fn code(self) -> &'static str {
        match self {
            WorkerStatus::Employee => "employee",
            WorkerStatus::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<WorkerStatus> {
        WorkerStatus::ALL.into_iter().find(|w| w.code() == s.trim())
    }
}

/// The family situation the withholding tax and the CSSS depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Single, or married/cohabiting where the single schedule applies.
    #[default]
    Single,
    /// Married or legally cohabiting, the spouse without professional income (spouse
    /// quotient).
    MarriedOneIncome,
    /// Married or legally cohabiting, both with professional income.
    MarriedTwoIncomes,
}

impl Family {
    pub const ALL: [Family; 3] = [
        Family::Single,
        Family::MarriedOneIncome,
        Family::MarriedTwoIncomes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Family::Single => "single",
            Family::MarriedOneIncome => "married_one_income",
            Family::MarriedTwoIncomes => "married_two_incomes",
        }
    }

    pub fn parse(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.code() == s.trim())
    }
}

/// Who is paid: what the computation depends on besides the amount and the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Profile {
    pub status: WorkerStatus,
    pub family: Family,
    /// Dependent children (a disabled child counts twice).
    pub children: u8,
    /// Work fraction µ in basis points, 10_000 = full time.
    pub fraction_bp: u32,
    /// Annex III point 80: the flat 11.11 % withholding of an artist working successively
    /// for several principals, without reductions.
    pub artist_flat_withholding: bool,
    /// Author's rights wanted as part of the pay, basis points of total pay (0 = none).
    pub authors_rights_bp: u32,
}

impl Default for Profile {
    /// An employé, single, without children, full time, no artist regime.
    fn default() -> Self {
        Profile {
            status: WorkerStatus::Employee,
            family: Family::Single,
            children: 0,
            fraction_bp: 10_000,
            artist_flat_withholding: false,
            authors_rights_bp: 0,
        }
    }
}

/// Which lines of a simulation rest on parameters that are not verified (a single source,
/// or an OPEN item of employment.md §8): the page says so next to the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Caveats {
    /// The key formula's parameters of the date are not verified (2023: carried from 2024).
    pub withholding: bool,
    pub work_bonus: bool,
    pub csss: bool,
    pub structural_reduction: bool,
    pub employer_extras: bool,
    pub authors_rights: bool,
}

impl Caveats {
    pub fn is_empty(&self) -> bool {
        *self == Caveats::default()
    }
}

/// Every line of a month's payslip and of its cost, in cents, each rounded half-up to the
/// cent; `net_cents` is what the payslip pays, `total_net_cents` adds the author's rights
/// after their withholding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Simulation {
    pub date: Date,
    /// The parameter set used, e.g. `2026-11/2026-03-01` (kept with every computed pay).
    pub params_version: &'static str,
    pub profile: Profile,
    pub gross_cents: i64,
    pub employee_onss_cents: i64,
    pub work_bonus_social_a_cents: i64,
    pub work_bonus_social_b_cents: i64,
    /// Gross − (social security − social work bonus): R of the key formula.
    pub taxable_cents: i64,
    /// A = R × 12 (0 under the artists' flat rate).
    pub annual_taxable_cents: i64,
    /// F: the flat professional expenses.
    pub flat_expenses_cents: i64,
    /// N = A − F.
    pub annual_net_taxable_cents: i64,
    /// The annual tax after the exempt amount (or the spouse quotient) and the reductions.
    pub annual_tax_cents: i64,
    pub withholding_before_bonus_cents: i64,
    pub work_bonus_fiscal_cents: i64,
    pub withholding_cents: i64,
    pub csss_cents: i64,
    pub net_cents: i64,
    pub authors_rights_cents: i64,
    pub authors_rights_withholding_cents: i64,
    /// Net pay + author's rights − their withholding: what the person receives.
    pub total_net_cents: i64,
    /// The employer's base contributions (25 %, category 1).
    pub employer_onss_cents: i64,
    /// The extra employer contributions of the parameter set.
    pub employer_extra_cents: i64,
    /// Exit holiday pay (employé) or the holiday-fund contribution (ouvrier).
    pub holiday_pay_cents: i64,
    /// The employer's contributions on the simple exit holiday pay (employé).
    pub holiday_pay_onss_cents: i64,
    pub structural_reduction_cents: i64,
    pub employer_cost_cents: i64,
    pub caveats: Caveats,
}

/// Why a simulation cannot be made. [`PayrollError::code`] is stable: the web layer
/// translates it and names [`PayrollError::field`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayrollError {
    #[error("no payroll parameters cover {date}{}", covered(.covered_from))]
    NoParameters {
        date: Date,
        covered_from: Option<Date>,
    },
    #[error("the amount {} is out of range: from 0.00 to 1,000,000.00 €", crate::format::money(*.cents))]
    AmountOutOfRange { cents: i64 },
    #[error(
        "the work fraction must be between 0.01 % and 100 % (10,000 basis points), not {fraction_bp}"
    )]
    FractionOutOfRange { fraction_bp: u32 },
    #[error("no gross up to 1,000,000.00 € gives a net of {}", crate::format::money(*.net_cents))]
    NetNotReachable { net_cents: i64 },
    #[error("author's rights may be at most {} % of the pay on this date, not {} %", percent(*.limit_bp), percent(*.share_bp))]
    AuthorsRightsShareAboveLimit { share_bp: u32, limit_bp: u32 },
    #[error("author's rights of {} in a month exceed the annual cap of {}", crate::format::money(*.cents), crate::format::money(*.cap_cents))]
    AuthorsRightsAboveAnnualCap { cents: i64, cap_cents: i64 },
    #[error("the rules file payroll.toml is unreadable: {0}")]
    Unreadable(String),
}

fn covered(from: &Option<Date>) -> String {
    from.map(|d| format!(": the simulator covers pay from {d} on"))
        .unwrap_or_default()
}

fn percent(bp: u32) -> String {
    Decimal::new(i64::from(bp), 2).normalize().to_string()
}

impl PayrollError {
    /// A stable code for translations and API problems.
    pub fn code(&self) -> &'static str {
        match self {
            PayrollError::NoParameters { .. } => "no-parameters",
            PayrollError::AmountOutOfRange { .. } => "amount-range",
            PayrollError::FractionOutOfRange { .. } => "fraction-range",
            PayrollError::NetNotReachable { .. } => "net-unreachable",
            PayrollError::AuthorsRightsShareAboveLimit { .. } => "authors-rights-share",
            PayrollError::AuthorsRightsAboveAnnualCap { .. } => "authors-rights-cap",
            PayrollError::Unreadable(_) => "unreadable",
        }
    }

    /// The input at fault.
    pub fn field(&self) -> &'static str {
        match self {
            PayrollError::NoParameters { .. } => "date",
            PayrollError::AmountOutOfRange { .. } | PayrollError::NetNotReachable { .. } => {
                "amount"
            }
            PayrollError::FractionOutOfRange { .. } => "fraction",
            PayrollError::AuthorsRightsShareAboveLimit { .. }
            | PayrollError::AuthorsRightsAboveAnnualCap { .. } => "authors_rights",
            PayrollError::Unreadable(_) => "",
        }
    }
}

/// The parameter set in force on `date`.
pub fn params_on(date: Date) -> Result<&'static ParamSet, PayrollError> {
    let table = param_table().map_err(PayrollError::Unreadable)?;
    table.set_on(date).ok_or(PayrollError::NoParameters {
        date,
        covered_from: table.first_day(),
    })
}

/// The month's pay of a gross salary of `gross_cents`.
pub fn simulate_from_gross(
    date: Date,
    profile: &Profile,
    gross_cents: i64,
) -> Result<Simulation, PayrollError> {
    let set = checked(date, profile, gross_cents)?;
    let simulation = compute(set, date, profile, gross_cents);
    artists::check_cap(set, &simulation)?;
    Ok(simulation)
}

/// The month's pay whose net (author's rights included, after their withholding) is
/// `net_cents`: the gross at which the net, searched by bisection on cents, first reaches
/// it. Where rounding makes the net move by two cents for one cent of gross, the net found
/// may be a cent above the one asked.
pub fn simulate_from_net(
    date: Date,
    profile: &Profile,
    net_cents: i64,
) -> Result<Simulation, PayrollError> {
    let set = checked(date, profile, net_cents)?;
    let simulation = solve::from_net(set, date, profile, net_cents)?;
    artists::check_cap(set, &simulation)?;
    Ok(simulation)
}

/// The highest gross whose employer cost fits the budget (bisection on cents).
pub fn simulate_from_employer_cost(
    date: Date,
    profile: &Profile,
    budget_cents: i64,
) -> Result<Simulation, PayrollError> {
    let set = checked(date, profile, budget_cents)?;
    let simulation = solve::from_employer_cost(set, date, profile, budget_cents);
    artists::check_cap(set, &simulation)?;
    Ok(simulation)
}

/// Full-time equivalents of `hours` worked in a year, at 1,976 h a full-timer: the whole
/// FTE rounded down, and the exact value rounded half-up to two decimals (4,539,177 h →
/// 2,297 and 2,297.15; employment.md §1.2).
pub fn fte(hours: u64) -> (u64, Decimal) {
    let per_year = u64::from(FULL_TIME_HOURS_PER_YEAR);
    let exact = Decimal::from(hours) / Decimal::from(per_year);
    (hours / per_year, round_cents(exact))
}

/// The parameter set of `date`, once the profile and the amount are acceptable.
fn checked(
    date: Date,
    profile: &Profile,
    amount_cents: i64,
) -> Result<&'static ParamSet, PayrollError> {
    if !(0..=MAX_AMOUNT_CENTS).contains(&amount_cents) {
        return Err(PayrollError::AmountOutOfRange {
            cents: amount_cents,
        });
    }
    if !(1..=10_000).contains(&profile.fraction_bp) {
        return Err(PayrollError::FractionOutOfRange {
            fraction_bp: profile.fraction_bp,
        });
    }
    let set = params_on(date)?;
    artists::check_share(set, profile)?;
    Ok(set)
}

/// Every line for a gross, on a set already chosen and a profile already checked. Pure and
/// allocation-free: the searches call it at every step.
fn compute(set: &'static ParamSet, date: Date, profile: &Profile, gross_cents: i64) -> Simulation {
    let gross = eur(gross_cents);
    let mu = Decimal::new(i64::from(profile.fraction_bp), 4);
    let manual = profile.status == WorkerStatus::Manual;
    // An ouvrier is declared at 108 % of the gross (employment.md §2.1).
    let declared = if manual {
        gross * set.employee_onss.manual_worker_base
    } else {
        gross
    };
    let onss = round_cents(declared * set.employee_onss.rate);
    let bonus = work_bonus::social(&set.work_bonus, manual, gross, mu, onss);
    let taxable = gross - onss + bonus.a + bonus.b;
    let tax = withholding::monthly(&set.withholding, &set.work_bonus, profile, taxable, &bonus);
    let csss_schedule = match profile.family {
        Family::Single => &set.csss.single,
        Family::MarriedOneIncome => &set.csss.married_one_income,
        Family::MarriedTwoIncomes => &set.csss.married_two_incomes,
    };
    let csss = round_cents(csss_schedule.value(declared));
    let net = taxable - tax.withholding - csss;
    let rights = artists::authors_rights(&set.authors_rights, profile, gross);
    let employer = employer::side(set, profile, gross, declared, mu, rights.amount);
    let caveats = Caveats {
        withholding: !set.withholding.status.is_verified()
            && (!tax.annual_taxable.is_zero() || !tax.withholding.is_zero()),
        work_bonus: !set.work_bonus.status.is_verified() && !(bonus.a + bonus.b).is_zero(),
        csss: !set.csss.status.is_verified() && !csss.is_zero(),
        structural_reduction: !set.structural_reduction.status.is_verified()
            && !employer.structural_reduction.is_zero(),
        employer_extras: !set.employer.extras_verified && !employer.extras.is_zero(),
        authors_rights: !set.authors_rights.status.is_verified() && !rights.amount.is_zero(),
    };
    Simulation {
        date,
        params_version: &set.version,
        profile: *profile,
        gross_cents,
        employee_onss_cents: to_cents(onss),
        work_bonus_social_a_cents: to_cents(bonus.a),
        work_bonus_social_b_cents: to_cents(bonus.b),
        taxable_cents: to_cents(taxable),
        annual_taxable_cents: to_cents(tax.annual_taxable),
        flat_expenses_cents: to_cents(tax.flat_expenses),
        annual_net_taxable_cents: to_cents(tax.annual_net_taxable),
        annual_tax_cents: to_cents(tax.annual_tax),
        withholding_before_bonus_cents: to_cents(tax.before_bonus),
        work_bonus_fiscal_cents: to_cents(tax.fiscal_bonus),
        withholding_cents: to_cents(tax.withholding),
        csss_cents: to_cents(csss),
        net_cents: to_cents(net),
        authors_rights_cents: to_cents(rights.amount),
        authors_rights_withholding_cents: to_cents(rights.withholding),
        total_net_cents: to_cents(net + rights.amount - rights.withholding),
        employer_onss_cents: to_cents(employer.onss),
        employer_extra_cents: to_cents(employer.extras),
        holiday_pay_cents: to_cents(employer.holiday_pay),
        holiday_pay_onss_cents: to_cents(employer.holiday_pay_onss),
        structural_reduction_cents: to_cents(employer.structural_reduction),
        employer_cost_cents: to_cents(employer.cost),
        caveats,
    }
}

/// Half-up to the cent, the rounding of every line (key formula, point 3).
pub(crate) fn round_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A euro amount as cents (rounded half-up to the cent first).
fn to_cents(d: Decimal) -> i64 {
    (round_cents(d) * Decimal::ONE_HUNDRED)
        .to_i64()
        .unwrap_or(0)
}

/// Cents as euros.
fn eur(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}
