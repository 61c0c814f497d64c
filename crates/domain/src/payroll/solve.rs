//! The two searches of the simulator: the gross for a wanted net, and the highest gross a
//! budget pays. Both bisect on cents over 0 … 1,000,000.00 € (27 halvings; the loops are
//! bounded at 64), calling allocation-free functions on a parameter set looked up once.

use jiff::civil::Date;

use super::params::ParamSet;
use super::{
    MAX_AMOUNT_CENTS, PayrollError, Profile, Simulation, WorkerStatus, artists, compute, employer,
    eur, to_cents,
};

const MAX_STEPS: u32 = 64;
/// How far below the crossing found the net search looks for a lower gross.
const LOOK_BACK: i64 = 10;

/// The simulation at the gross where the total net first reaches `target`:
/// net(gross − 1 cent) < target ≤ net(gross). The net is not monotone everywhere: the
/// two-incomes CSSS jumps by 5.15 €, and the roundings of the lines can make the net dip a
/// cent for a cent more of gross. So the bisection finds a crossing, and the search then
/// looks back [`LOOK_BACK`] cents for a lower gross that already pays the target.
pub(super) fn from_net(
    set: &'static ParamSet,
    date: Date,
    profile: &Profile,
    target: i64,
) -> Result<Simulation, PayrollError> {
    let net = |gross: i64| compute(set, date, profile, gross).total_net_cents;
    if target <= net(0) {
        return Ok(compute(set, date, profile, 0));
    }
    if net(MAX_AMOUNT_CENTS) < target {
        return Err(PayrollError::NetNotReachable { net_cents: target });
    }
    let (mut below, mut reached) = (0, MAX_AMOUNT_CENTS);
    for _ in 0..MAX_STEPS {
        if reached - below <= 1 {
            break;
        }
        let mid = below + (reached - below) / 2;
        if net(mid) >= target {
            reached = mid;
        } else {
            below = mid;
        }
    }
    let lowest = (reached.saturating_sub(LOOK_BACK).max(0)..reached)
        .find(|gross| net(*gross) >= target)
        .unwrap_or(reached);
    Ok(compute(set, date, profile, lowest))
}

/// The simulation of the highest gross whose employer cost is at most `budget`. Only the
/// employer side is computed while searching: it does not depend on the tax.
pub(super) fn from_employer_cost(
    set: &'static ParamSet,
    date: Date,
    profile: &Profile,
    budget: i64,
) -> Simulation {
    let mu = rust_decimal::Decimal::new(i64::from(profile.fraction_bp), 4);
    let cost = |gross_cents: i64| {
        let gross = eur(gross_cents);
        let declared = match profile.status {
            WorkerStatus::Employee => gross,
            WorkerStatus::Manual => gross * set.employee_onss.manual_worker_base,
        };
        let rights = artists::authors_rights(&set.authors_rights, profile, gross);
        to_cents(employer::side(set, profile, gross, declared, mu, rights.amount).cost)
    };
    let (mut fits, mut too_much) = (0, MAX_AMOUNT_CENTS);
    if cost(MAX_AMOUNT_CENTS) <= budget {
        fits = MAX_AMOUNT_CENTS;
    } else {
        for _ in 0..MAX_STEPS {
            if too_much - fits <= 1 {
                break;
            }
            let mid = fits + (too_much - fits) / 2;
            if cost(mid) <= budget {
                fits = mid;
            } else {
                too_much = mid;
            }
        }
    }
    compute(set, date, profile, fits)
}
