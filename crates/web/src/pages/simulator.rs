//! The public salary simulator, `/simulator` (C6): anyone — a member planning a contract, a
//! newcomer, a client — turns a budget, a gross or a net into every line of a month's payslip
//! and its employer cost, on the Belgian parameters in force on a date
//! ([`ruche_domain::payroll`]). Nothing is written and no sign-in is asked: the form is a GET
//! (a result can be shared as a link; a GET changes nothing, so it carries no CSRF token).
//! Bad input answers 422 with each field named; the API twin is `api::simulator`.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::format::{date as format_date, money, parse_money};
use ruche_domain::payroll::{
    Family, MAX_AMOUNT_CENTS, PayrollError, Profile, Simulation, WorkerStatus, params_on,
    simulate_from_employer_cost, simulate_from_gross, simulate_from_net,
};
use serde::{Deserialize, Serialize};

use super::render_status;
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new().route("/simulator", get(show))
}

/// The most dependent children the form and the API take (the key formula has no limit;
/// this one catches typing errors).
pub const MAX_CHILDREN: u8 = 20;

/// What the amount typed is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The employer cost the activity's budget pays: the highest gross it pays.
    Budget,
    Gross,
    /// The net wanted: the gross that pays it.
    Net,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Budget, Direction::Gross, Direction::Net];

    pub fn code(self) -> &'static str {
        match self {
            Direction::Budget => "budget",
            Direction::Gross => "gross",
            Direction::Net => "net",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.code() == s.trim())
    }
}

/// One simulation, whichever the direction.
pub(crate) fn run(
    direction: Direction,
    on: Date,
    profile: &Profile,
    amount_cents: i64,
) -> Result<Simulation, PayrollError> {
    match direction {
        Direction::Budget => simulate_from_employer_cost(on, profile, amount_cents),
        Direction::Gross => simulate_from_gross(on, profile, amount_cents),
        Direction::Net => simulate_from_net(on, profile, amount_cents),
    }
}

/// A field's label: `sim-field-<name>`.
pub(crate) fn label(lang: Language, field: &str) -> String {
    i18n::t(lang, &format!("sim-field-{field}"))
}

/// The translated text of a simulator refusal (by its stable code), without the label.
pub(crate) fn refusal(lang: Language, e: &PayrollError) -> String {
    let key = format!("sim-err-{}", e.code());
    match e {
        PayrollError::NoParameters { covered_from, .. } => i18n::t_args(
            lang,
            &key,
            &[(
                "first",
                covered_from.map(format_date).unwrap_or_else(|| "—".into()),
            )],
        ),
        PayrollError::AuthorsRightsShareAboveLimit { limit_bp, .. } => {
            i18n::t_args(lang, &key, &[("limit", percent_text(*limit_bp))])
        }
        PayrollError::AuthorsRightsAboveAnnualCap { cap_cents, .. } => {
            i18n::t_args(lang, &key, &[("cap", money(*cap_cents))])
        }
        _ => i18n::t(lang, &key),
    }
}

/// Basis points the Belgian way, without the sign: 3000 → `30`, 1366 → `13,66`.
fn percent_text(bp: u32) -> String {
    let (whole, rest) = (bp / 100, bp % 100);
    match rest {
        0 => whole.to_string(),
        r if r % 10 == 0 => format!("{whole},{}", r / 10),
        r => format!("{whole},{r:02}"),
    }
}

/// A percentage typed by a person (`100`, `13,66`, `50 %`) as basis points.
fn parse_percent(input: &str) -> Option<u32> {
    let text = input.trim().trim_end_matches('%').trim();
    if text.contains('€') {
        return None;
    }
    // Percent with two decimals reads like cents: 13,66 → 1366.
    parse_money(text).and_then(|hundredths| u32::try_from(hundredths).ok())
}

/// The query of the page, as typed.
#[derive(Debug, Deserialize, Default)]
pub struct SimQuery {
    direction: Option<String>,
    amount: Option<String>,
    date: Option<String>,
    status: Option<String>,
    family: Option<String>,
    children: Option<String>,
    fraction: Option<String>,
    artist: Option<String>,
    authors_rights: Option<String>,
}

/// The form as shown back: the values typed (or the defaults).
#[derive(Debug, Clone)]
struct Typed {
    direction: String,
    amount: String,
    date: String,
    status: String,
    family: String,
    children: String,
    fraction: String,
    artist: bool,
    authors_rights: String,
}

impl Typed {
    fn of(q: &SimQuery) -> Typed {
        let or = |v: &Option<String>, default: &str| v.clone().unwrap_or_else(|| default.into());
        Typed {
            direction: or(&q.direction, "gross"),
            amount: or(&q.amount, ""),
            date: or(&q.date, &today().to_string()),
            status: or(&q.status, "employee"),
            family: or(&q.family, "single"),
            children: or(&q.children, "0"),
            fraction: or(&q.fraction, "100"),
            artist: q.artist.as_deref().is_some_and(|a| !a.is_empty()),
            authors_rights: or(&q.authors_rights, "0"),
        }
    }
}

/// A simulation asked for, once every field reads.
struct Asked {
    direction: Direction,
    on: Date,
    profile: Profile,
    amount_cents: i64,
}

/// Reads the form; each field that does not read is named with its rule.
fn read(t: &Typed) -> Result<Asked, Vec<(&'static str, &'static str)>> {
    let mut problems = Vec::new();
    let direction = Direction::parse(&t.direction);
    if direction.is_none() {
        problems.push(("direction", "choice"));
    }
    let amount_cents = if t.amount.trim().is_empty() {
        problems.push(("amount", "required"));
        None
    } else {
        match parse_money(&t.amount) {
            None => {
                problems.push(("amount", "amount-format"));
                None
            }
            Some(c) if !(0..=MAX_AMOUNT_CENTS).contains(&c) => {
                problems.push(("amount", "amount-range"));
                None
            }
            Some(c) => Some(c),
        }
    };
    let on = t.date.trim().parse::<Date>().ok();
    if on.is_none() {
        problems.push(("date", "date-format"));
    }
    let status = WorkerStatus::parse(&t.status);
    if status.is_none() {
        problems.push(("status", "choice"));
    }
    let family = Family::parse(&t.family);
    if family.is_none() {
        problems.push(("family", "choice"));
    }
    let children = t
        .children
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|n| *n <= MAX_CHILDREN);
    if children.is_none() {
        problems.push(("children", "children"));
    }
    let fraction_bp = parse_percent(&t.fraction).filter(|bp| (1..=10_000).contains(bp));
    if fraction_bp.is_none() {
        problems.push(("fraction", "fraction-range"));
    }
    let authors_rights_bp = if t.authors_rights.trim().is_empty() {
        Some(0)
    } else {
        parse_percent(&t.authors_rights).filter(|bp| *bp < 10_000)
    };
    if authors_rights_bp.is_none() {
        problems.push(("authors_rights", "authors-rights-format"));
    }
    match (
        direction,
        amount_cents,
        on,
        status,
        family,
        children,
        fraction_bp,
        authors_rights_bp,
    ) {
        (
            Some(direction),
            Some(amount_cents),
            Some(on),
            Some(status),
            Some(family),
            Some(children),
            Some(fraction_bp),
            Some(authors_rights_bp),
        ) if problems.is_empty() => Ok(Asked {
            direction,
            on,
            profile: Profile {
                status,
                family,
                children,
                fraction_bp,
                artist_flat_withholding: t.artist,
                authors_rights_bp,
            },
            amount_cents,
        }),
        _ => Err(problems),
    }
}

/// One line of a result table.
struct Line {
    label: String,
    amount: String,
    total: bool,
}

/// The result, with its lines already translated and formatted.
struct ResultView {
    gross: String,
    net: String,
    employer_cost: String,
    worker: Vec<Line>,
    employer: Vec<Line>,
    key_formula: Vec<Line>,
    params: String,
    caveats: Vec<String>,
    /// The net asked could not be hit to the cent (the net moves by two cents there).
    net_differs: Option<String>,
}

fn result_view(c: &RequestCtx, asked: &Asked, s: &Simulation) -> ResultView {
    let t = |key: &str| c.t(key);
    let line = |key: &str, cents: i64| Line {
        label: t(key),
        amount: money(cents),
        total: false,
    };
    let total = |key: &str, cents: i64| Line {
        label: t(key),
        amount: money(cents),
        total: true,
    };
    let manual = s.profile.status == WorkerStatus::Manual;
    let mut worker = vec![
        line("sim-line-gross", s.gross_cents),
        line(
            if manual {
                "sim-line-onss-manual"
            } else {
                "sim-line-onss"
            },
            -s.employee_onss_cents,
        ),
    ];
    if s.work_bonus_social_a_cents != 0 || s.work_bonus_social_b_cents != 0 {
        worker.push(line("sim-line-bonus-a", s.work_bonus_social_a_cents));
        worker.push(line("sim-line-bonus-b", s.work_bonus_social_b_cents));
    }
    worker.push(total("sim-line-taxable", s.taxable_cents));
    if s.profile.artist_flat_withholding {
        worker.push(line(
            "sim-line-withholding-flat",
            -s.withholding_before_bonus_cents,
        ));
    } else {
        worker.push(line(
            "sim-line-withholding-before",
            -s.withholding_before_bonus_cents,
        ));
        if s.work_bonus_fiscal_cents != 0 {
            worker.push(line("sim-line-bonus-fiscal", s.work_bonus_fiscal_cents));
        }
    }
    worker.push(line("sim-line-csss", -s.csss_cents));
    worker.push(total("sim-line-net", s.net_cents));
    if s.authors_rights_cents != 0 {
        worker.push(line("sim-line-authors-rights", s.authors_rights_cents));
        worker.push(line(
            "sim-line-authors-rights-tax",
            -s.authors_rights_withholding_cents,
        ));
        worker.push(total("sim-line-total-net", s.total_net_cents));
    }
    let mut employer = vec![
        line("sim-line-gross", s.gross_cents),
        line("sim-line-employer-onss", s.employer_onss_cents),
        line("sim-line-employer-extra", s.employer_extra_cents),
        line(
            if manual {
                "sim-line-holiday-manual"
            } else {
                "sim-line-holiday-employee"
            },
            s.holiday_pay_cents,
        ),
    ];
    if !manual {
        employer.push(line("sim-line-holiday-onss", s.holiday_pay_onss_cents));
    }
    employer.push(line("sim-line-structural", -s.structural_reduction_cents));
    if s.authors_rights_cents != 0 {
        employer.push(line("sim-line-authors-rights", s.authors_rights_cents));
    }
    employer.push(total("sim-line-employer-cost", s.employer_cost_cents));
    let key_formula = if s.profile.artist_flat_withholding {
        Vec::new()
    } else {
        vec![
            line("sim-line-annual-taxable", s.annual_taxable_cents),
            line("sim-line-flat-expenses", -s.flat_expenses_cents),
            line("sim-line-annual-net-taxable", s.annual_net_taxable_cents),
            line("sim-line-annual-tax", s.annual_tax_cents),
        ]
    };
    let params = match params_on(s.date) {
        Ok(set) => match set.valid_until {
            Some(next) => i18n::t_args(
                c.lang,
                "sim-params-until",
                &[
                    ("version", s.params_version.to_string()),
                    ("from", format_date(set.valid_from)),
                    (
                        "until",
                        format_date(next.yesterday().unwrap_or(set.valid_from)),
                    ),
                ],
            ),
            None => i18n::t_args(
                c.lang,
                "sim-params",
                &[
                    ("version", s.params_version.to_string()),
                    ("from", format_date(set.valid_from)),
                ],
            ),
        },
        Err(_) => s.params_version.to_string(),
    };
    let caveats = [
        ("withholding", s.caveats.withholding),
        ("work_bonus", s.caveats.work_bonus),
        ("csss", s.caveats.csss),
        ("structural_reduction", s.caveats.structural_reduction),
        ("employer_extras", s.caveats.employer_extras),
        ("authors_rights", s.caveats.authors_rights),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(topic, _)| c.t_of("sim-caveat-", topic))
    .collect();
    let net_differs = (asked.direction == Direction::Net
        && s.total_net_cents != asked.amount_cents)
        .then(|| c.t1("sim-net-differs", "net", money(s.total_net_cents)));
    ResultView {
        gross: money(s.gross_cents),
        net: money(s.total_net_cents),
        employer_cost: money(s.employer_cost_cents),
        worker,
        employer,
        key_formula,
        params,
        caveats,
        net_differs,
    }
}

#[derive(Template)]
#[template(path = "simulator.html")]
struct SimulatorPage {
    c: RequestCtx,
    typed: Typed,
    /// (field, message) of the fields that did not read.
    problems: Vec<(&'static str, String)>,
    result: Option<ResultView>,
}

impl SimulatorPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    fn label(&self, field: &str) -> String {
        label(self.c.lang, field)
    }

    /// (value, label, selected) of a select or a radio group.
    fn choices(&self, field: &str) -> Vec<(&'static str, String, bool)> {
        let (codes, chosen): (Vec<&'static str>, &str) = match field {
            "direction" => (
                Direction::ALL.iter().map(|d| d.code()).collect(),
                &self.typed.direction,
            ),
            "status" => (
                WorkerStatus::ALL.iter().map(|s| s.code()).collect(),
                &self.typed.status,
            ),
            _ => (
                Family::ALL.iter().map(|f| f.code()).collect(),
                &self.typed.family,
            ),
        };
        codes
            .into_iter()
            .map(|code| {
                (
                    code,
                    self.c.t(&format!("sim-{field}-{code}")),
                    code == chosen,
                )
            })
            .collect()
    }
}

pub async fn show(ctx: RequestCtx, Query(q): Query<SimQuery>) -> Result<Response, AppError> {
    let typed = Typed::of(&q);
    // The first visit: the form alone, with its defaults.
    if q.amount.is_none() {
        let page = SimulatorPage {
            c: ctx,
            typed,
            problems: Vec::new(),
            result: None,
        };
        return render_status(StatusCode::OK, &page);
    }
    let lang = ctx.lang;
    let outcome = read(&typed).map_err(|problems| {
        let mut problems: Vec<(&'static str, String)> = problems
            .into_iter()
            .map(|(field, code)| (field, i18n::t(lang, &format!("sim-err-{code}"))))
            .collect();
        // A date that reads but that no parameters cover is said at once, with the rest.
        if let Ok(on) = typed.date.trim().parse::<Date>()
            && let Err(e @ PayrollError::NoParameters { .. }) = params_on(on)
        {
            problems.push(("date", refusal(lang, &e)));
        }
        problems
    });
    let (status, problems, result) = match outcome {
        Err(problems) => (StatusCode::UNPROCESSABLE_ENTITY, problems, None),
        Ok(asked) => match run(
            asked.direction,
            asked.on,
            &asked.profile,
            asked.amount_cents,
        ) {
            Ok(s) => (
                StatusCode::OK,
                Vec::new(),
                Some(result_view(&ctx, &asked, &s)),
            ),
            Err(PayrollError::Unreadable(e)) => return Err(AppError::Internal(e)),
            Err(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![(e.field(), refusal(lang, &e))],
                None,
            ),
        },
    };
    let page = SimulatorPage {
        c: ctx,
        typed,
        problems,
        result,
    };
    render_status(status, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_the_belgian_way_into_basis_points() {
        assert_eq!(parse_percent("100"), Some(10_000));
        assert_eq!(parse_percent("13,66"), Some(1366));
        assert_eq!(parse_percent("50 %"), Some(5000));
        assert_eq!(parse_percent("12,5%"), Some(1250));
        assert_eq!(parse_percent("-3"), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(parse_percent("5 €"), None);
        assert_eq!(percent_text(3000), "30");
        assert_eq!(percent_text(1366), "13,66");
        assert_eq!(percent_text(1250), "12,5");
    }

    fn typed(amount: &str) -> Typed {
        Typed::of(&SimQuery {
            amount: Some(amount.into()),
            date: Some("2026-01-15".into()),
            ..SimQuery::default()
        })
    }

    #[test]
    fn each_field_that_does_not_read_is_named_with_its_rule() {
        let mut t = typed("abc");
        t.children = "21".into();
        t.fraction = "0".into();
        t.direction = "sideways".into();
        t.date = "15/01/2026".into();
        let problems = read(&t).err().unwrap_or_default();
        assert_eq!(
            problems,
            vec![
                ("direction", "choice"),
                ("amount", "amount-format"),
                ("date", "date-format"),
                ("children", "children"),
                ("fraction", "fraction-range"),
            ]
        );
        assert_eq!(
            read(&typed("2.000.000,00")).err().unwrap_or_default(),
            vec![("amount", "amount-range")]
        );
        assert_eq!(
            read(&typed("")).err().unwrap_or_default(),
            vec![("amount", "required")]
        );
    }

    #[test]
    fn a_form_that_reads_gives_the_profile() {
        let mut t = typed("3.000,00");
        t.status = "manual".into();
        t.family = "married_one_income".into();
        t.children = "2".into();
        t.fraction = "50".into();
        t.artist = true;
        t.authors_rights = "20".into();
        let Ok(asked) = read(&t) else {
            panic!("the form reads");
        };
        assert_eq!(asked.amount_cents, 300_000);
        assert_eq!(
            asked.profile,
            Profile {
                status: WorkerStatus::Manual,
                family: Family::MarriedOneIncome,
                children: 2,
                fraction_bp: 5000,
                artist_flat_withholding: true,
                authors_rights_bp: 2000,
            }
        );
    }
}
