//! The compliance engine (C12; reference/governance.md §2.A): the nine conditions of the
//! accreditation as a social enterprise (CSA art. 8:5 and art. 6 of the AR of 28 June 2019)
//! and the designation check, each evaluated for one financial year from what the store
//! gathered into a [`ComplianceInput`]. Software cannot decide everything: the main purpose
//! (ES-1) needs the board's signed attestation, and an object clause's wording is flagged
//! for a reviewer, never failed on keywords alone (ES-2).
//!
//! Every [`Check`] carries its legal reference, the parameter set it used, its findings as
//! translatable codes with arguments, and links to its evidence (statute articles,
//! resolutions, register refunds, directors, the allocation). The engine is pure: the same
//! input gives the same checks, which is what the frozen special report relies on.

use serde::{Deserialize, Serialize};

use super::Ratio;
use super::params::GovernanceParams;

/// The result of one check (§2: `Pass | Fail | Warning | ManualAttestationRequired`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Warning,
    AttestationRequired,
    Fail,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Warning => "warning",
            Outcome::AttestationRequired => "attestation",
            Outcome::Fail => "fail",
        }
    }
}

/// The conditions, in the order of the FPS list and of the special report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    Es1Purpose,
    Es2Object,
    Es3Advantage,
    Es4Liquidation,
    Es5Resignation,
    Es6UnpaidMandate,
    Es7VoteCap,
    Es8ReserveBeforeDividend,
    Es9SpecialReport,
    Designation,
    Cnc1OpenMembership,
    Cnc2EqualRights,
    Cnc3VoteCap,
    Cnc4DirectorsByAssembly,
    Cnc5NoProfitShare,
    Cnc6LimitedDividend,
    Cnc7MembersAdvantage,
    Cnc8Education,
    Cnc9SpecialReport,
    Cnc10Rebates,
}

impl Condition {
    pub const ALL: [Condition; 10] = [
        Condition::Es1Purpose,
        Condition::Es2Object,
        Condition::Es3Advantage,
        Condition::Es4Liquidation,
        Condition::Es5Resignation,
        Condition::Es6UnpaidMandate,
        Condition::Es7VoteCap,
        Condition::Es8ReserveBeforeDividend,
        Condition::Es9SpecialReport,
        Condition::Designation,
    ];

    /// The CNC accreditation's conditions (AR 8 January 1962 art. 1, as amended in 2016;
    /// reference/governance.md §2.B), checked when the cooperative holds it too (SCES).
    pub const CNC: [Condition; 10] = [
        Condition::Cnc1OpenMembership,
        Condition::Cnc2EqualRights,
        Condition::Cnc3VoteCap,
        Condition::Cnc4DirectorsByAssembly,
        Condition::Cnc5NoProfitShare,
        Condition::Cnc6LimitedDividend,
        Condition::Cnc7MembersAdvantage,
        Condition::Cnc8Education,
        Condition::Cnc9SpecialReport,
        Condition::Cnc10Rebates,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Condition::Es1Purpose => "es-1",
            Condition::Es2Object => "es-2",
            Condition::Es3Advantage => "es-3",
            Condition::Es4Liquidation => "es-4",
            Condition::Es5Resignation => "es-5",
            Condition::Es6UnpaidMandate => "es-6",
            Condition::Es7VoteCap => "es-7",
            Condition::Es8ReserveBeforeDividend => "es-8",
            Condition::Es9SpecialReport => "es-9",
            Condition::Designation => "designation",
            Condition::Cnc1OpenMembership => "cnc-1",
            Condition::Cnc2EqualRights => "cnc-2",
            Condition::Cnc3VoteCap => "cnc-3",
            Condition::Cnc4DirectorsByAssembly => "cnc-4",
            Condition::Cnc5NoProfitShare => "cnc-5",
            Condition::Cnc6LimitedDividend => "cnc-6",
            Condition::Cnc7MembersAdvantage => "cnc-7",
            Condition::Cnc8Education => "cnc-8",
            Condition::Cnc9SpecialReport => "cnc-9",
            Condition::Cnc10Rebates => "cnc-10",
        }
    }

    /// The legal reference, as reference/governance.md §2.A reads it, in the abbreviations
    /// of both languages (art. 6 numbering partly verified: the special report's paragraph is
    /// to confirm; the rate of ES-3 is the one fixed by the King under the law of 20 July
    /// 1955; the Law of 3 May 2024 may renumber).
    pub fn legal_reference(self) -> &'static str {
        match self {
            Condition::Es1Purpose => "CSA/WVV 8:5 §1; AR/KB 28.06.2019 art. 6 §1 1°",
            Condition::Es2Object => "AR/KB 28.06.2019 art. 6 §1 2°",
            Condition::Es3Advantage => "CSA/WVV 8:5 §1",
            Condition::Es4Liquidation => "CSA/WVV 8:5 §1; AR/KB 28.06.2019 art. 6",
            Condition::Es5Resignation => "AR/KB 28.06.2019 art. 6 §1 3°; CSA/WVV 6:120",
            Condition::Es6UnpaidMandate => "AR/KB 28.06.2019 art. 6 §1 4°; CSA/WVV 6:60",
            Condition::Es7VoteCap => "AR/KB 28.06.2019 art. 6 §1 5°",
            Condition::Es8ReserveBeforeDividend => "AR/KB 28.06.2019 art. 6 §1 6°",
            Condition::Es9SpecialReport => "AR/KB 28.06.2019 art. 6",
            Condition::Designation => "CSA/WVV 8:5; CSA/WVV 8:4",
            Condition::Cnc1OpenMembership => "AR/KB 08.01.1962 art. 1 §1 1°, §2",
            Condition::Cnc2EqualRights => "AR/KB 08.01.1962 art. 1 §1 2°",
            Condition::Cnc3VoteCap => "AR/KB 08.01.1962 art. 1 (2016)",
            Condition::Cnc4DirectorsByAssembly => "AR/KB 08.01.1962 art. 1 (2016)",
            Condition::Cnc5NoProfitShare => "AR/KB 08.01.1962 art. 1 (2016)",
            Condition::Cnc6LimitedDividend => "AR/KB 08.01.1962 art. 1 §1 5°",
            Condition::Cnc7MembersAdvantage => "CSA/WVV 8:4; AR/KB 08.01.1962 art. 1",
            Condition::Cnc8Education => "AR/KB 08.01.1962 art. 1",
            Condition::Cnc9SpecialReport => "AR/KB 08.01.1962 art. 1 (AR/KB 04.05.2016)",
            Condition::Cnc10Rebates => "AR/KB 08.01.1962 art. 1",
        }
    }

    /// The statute article tag this condition rests on, if any.
    pub fn article_tag(self) -> Option<&'static str> {
        match self {
            Condition::Es1Purpose => Some("purpose"),
            Condition::Es2Object => Some("object"),
            Condition::Es3Advantage | Condition::Es8ReserveBeforeDividend => Some("allocation"),
            Condition::Es4Liquidation => Some("liquidation"),
            Condition::Es5Resignation => Some("resignation"),
            Condition::Es6UnpaidMandate => Some("unpaid_mandate"),
            Condition::Es7VoteCap => Some("vote_cap"),
            Condition::Es9SpecialReport => None,
            Condition::Designation => Some("designation"),
            Condition::Cnc3VoteCap => Some("vote_cap"),
            Condition::Cnc5NoProfitShare => Some("unpaid_mandate"),
            Condition::Cnc6LimitedDividend | Condition::Cnc10Rebates => Some("allocation"),
            Condition::Cnc7MembersAdvantage => Some("purpose"),
            Condition::Cnc1OpenMembership
            | Condition::Cnc2EqualRights
            | Condition::Cnc4DirectorsByAssembly
            | Condition::Cnc8Education
            | Condition::Cnc9SpecialReport => None,
        }
    }
}

/// A piece of evidence a check links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Evidence {
    Article { version_id: i64, number: String },
    Resolution { id: i64, title: String },
    Refund { person_id: i64, name: String },
    Director { person_id: i64, name: String },
    Allocation { resolution_id: i64 },
    Shareholder { person_id: i64, name: String },
    Report { year: i32 },
}

/// One finding: a translatable code (ftl `compliance-finding-{code}`) with named arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub args: Vec<(String, String)>,
}

impl Finding {
    fn new(code: &str, args: &[(&str, String)]) -> Self {
        Finding {
            code: code.to_string(),
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }
}

/// One condition checked for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub condition: Condition,
    pub outcome: Outcome,
    pub legal_reference: String,
    pub params_version: String,
    pub findings: Vec<Finding>,
    pub evidence: Vec<Evidence>,
}

/// A statute article as the engine needs it: its number, heading, tags and texts in French,
/// Dutch and English, in that order (all read by the ES-2 wording heuristic; the special
/// report quotes the one of its language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleInput {
    pub number: String,
    pub heading: String,
    pub tags: Vec<String>,
    pub texts: Vec<String>,
}

/// The statutes version in force at the end of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatutesInput {
    pub version_id: i64,
    pub label: String,
    pub dividends_allowed: bool,
    pub articles: Vec<ArticleInput>,
}

/// The board's signed attestation of the main purpose (ES-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationInput {
    pub signed_on: String,
    pub signatories: Vec<String>,
}

/// What one shareholder received in the year (ES-3), and the basis of the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvantageInput {
    pub person_id: i64,
    pub name: String,
    pub paid_up_cents: i64,
    pub nominal_cents: i64,
    pub dividend_cents: i64,
    pub rebate_cents: i64,
}

/// A resignation or exclusion refund decided in the year (ES-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundInput {
    pub person_id: i64,
    pub name: String,
    pub refund_cents: i64,
    /// Nominal value of the shares given up (the ES cap).
    pub nominal_cap_cents: i64,
}

/// What a director was paid in the year against the GA's decisions (ES-6, TV-15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectorInput {
    pub person_id: i64,
    pub name: String,
    pub paid_cents: i64,
    pub unexplained_cents: i64,
    /// Payment kinds that no GA can allow (fixed remuneration, profit share).
    pub forbidden_kinds: Vec<String>,
}

/// One closed resolution of the year's general assemblies (ES-7): T (votes attached to the
/// shares present or represented, before capping), the denominator used, and the largest
/// effective vote one person cast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionInput {
    pub id: i64,
    pub title: String,
    pub total_raw: Ratio<i64>,
    pub max_effective: Ratio<i64>,
    pub denominator: u32,
    pub cap_inconsistent: bool,
}

/// One ordered line of the allocation of the year's result (ES-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationLineInput {
    pub kind: String,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationInput {
    pub resolution_id: i64,
    pub lines: Vec<AllocationLineInput>,
}

/// A membership application refused, or a member excluded, in the year (CNC-1): the
/// objective reason it gave, from the statutes' admission criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalInput {
    pub name: String,
    pub reason_code: Option<String>,
}

/// A director co-opted by the board whom a later general assembly did not confirm (CNC-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooptationInput {
    pub person_id: i64,
    pub name: String,
    pub assembly_on: String,
}

/// The special report's state for the year (ES-9): approved by the board on a date, and
/// the date of the ordinary general assembly that approves the year's accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    pub approved_on: Option<String>,
    pub signatories: Vec<String>,
    pub annual_assembly_on: Option<String>,
}

/// Everything the engine reads for one financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceInput {
    pub year: i32,
    pub statutes: Option<StatutesInput>,
    pub attestation: Option<AttestationInput>,
    pub advantages: Vec<AdvantageInput>,
    pub refunds: Vec<RefundInput>,
    pub directors: Vec<DirectorInput>,
    pub resolutions: Vec<ResolutionInput>,
    pub allocation: Option<AllocationInput>,
    pub report: ReportInput,
    /// The legal form as the cooperative's legal entity shows it on its documents.
    pub legal_form: String,
    /// Whether the cooperative also holds the CNC accreditation (its legal form says so:
    /// [`cnc_accredited`]); the CNC conditions are then checked too.
    #[serde(default)]
    pub cnc: bool,
    #[serde(default)]
    pub refusals: Vec<RefusalInput>,
    #[serde(default)]
    pub unconfirmed_cooptations: Vec<CooptationInput>,
    /// What the year spent on information and training of members and the public (CNC-8);
    /// `None` while the ledger tags no such spending.
    #[serde(default)]
    pub education_cents: Option<i64>,
}

/// Whether a legal form names the CNC accreditation: `SC agréée` (CNC only) or
/// `SCES agréée` / `erkende CVSO` (both) (CNC FAQ 158).
pub fn cnc_accredited(legal_form: &str) -> bool {
    let form = legal_form.to_lowercase();
    form.contains("sces agréée")
        || form.contains("erkende cvso")
        || (form.contains("sc agréée") && !form.contains("comme es"))
        || (form.contains("erkende cv") && !form.contains("als so"))
}

/// The positive-impact wording an object clause is expected to carry (ES-2), per language.
/// A heuristic only: its absence is a warning for a reviewer, never a failure.
const IMPACT_WORDING: [&str; 4] = [
    "impact sociétal positif",
    "positieve maatschappelijke impact",
    "positive societal impact",
    "positive social impact",
];

/// The designations CNC FAQ 158 lists (verified): ES only, or both accreditations.
const DESIGNATIONS: [&str; 4] = [
    "agréée comme es",
    "erkend als so",
    "sces agréée",
    "erkende cvso",
];

/// Checks every condition for the input's year.
pub fn evaluate(input: &ComplianceInput, params: &GovernanceParams) -> Vec<Check> {
    let mut checks: Vec<Check> = Condition::ALL
        .iter()
        .map(|c| check(*c, input, params))
        .collect();
    if input.cnc {
        let cnc: Vec<Check> = Condition::CNC
            .iter()
            .map(|c| cnc_check(*c, input, params, &checks))
            .collect();
        checks.extend(cnc);
    }
    checks
}

/// One CNC condition; where it is the social-enterprise check's twin (the vote cap, the
/// attestation, the special report) it carries that check's result and findings.
fn cnc_check(
    condition: Condition,
    input: &ComplianceInput,
    params: &GovernanceParams,
    es: &[Check],
) -> Check {
    let mut findings = Vec::new();
    let mut evidence = Vec::new();
    let twin = |c: Condition| es.iter().find(|k| k.condition == c).cloned();
    let outcome = match condition {
        Condition::Cnc1OpenMembership => {
            let mut outcome = Outcome::Pass;
            for r in &input.refusals {
                if r.reason_code.as_deref().is_none_or(str::is_empty) {
                    findings.push(Finding::new(
                        "refusal-without-reason",
                        &[("name", r.name.clone())],
                    ));
                    outcome = Outcome::Fail;
                }
            }
            findings.push(Finding::new(
                "refusals-checked",
                &[("count", input.refusals.len().to_string())],
            ));
            outcome
        }
        Condition::Cnc2EqualRights => {
            findings.push(Finding::new("rights-per-class", &[]));
            Outcome::Pass
        }
        Condition::Cnc3VoteCap | Condition::Cnc7MembersAdvantage | Condition::Cnc9SpecialReport => {
            let of = match condition {
                Condition::Cnc3VoteCap => Condition::Es7VoteCap,
                Condition::Cnc7MembersAdvantage => Condition::Es1Purpose,
                _ => Condition::Es9SpecialReport,
            };
            match twin(of) {
                Some(k) => {
                    findings = k.findings;
                    evidence = k.evidence;
                    k.outcome
                }
                None => Outcome::Warning,
            }
        }
        Condition::Cnc4DirectorsByAssembly => {
            let mut outcome = Outcome::Pass;
            for c in &input.unconfirmed_cooptations {
                findings.push(Finding::new(
                    "cooptation-unconfirmed",
                    &[
                        ("name", c.name.clone()),
                        ("assembly", c.assembly_on.clone()),
                    ],
                ));
                evidence.push(Evidence::Director {
                    person_id: c.person_id,
                    name: c.name.clone(),
                });
                outcome = Outcome::Fail;
            }
            outcome
        }
        Condition::Cnc5NoProfitShare => {
            let mut outcome = Outcome::Pass;
            for d in &input.directors {
                if d.forbidden_kinds.iter().any(|k| k == "profit_share") {
                    findings.push(Finding::new(
                        "director-forbidden",
                        &[("name", d.name.clone()), ("kinds", "profit_share".into())],
                    ));
                    evidence.push(Evidence::Director {
                        person_id: d.person_id,
                        name: d.name.clone(),
                    });
                    outcome = Outcome::Fail;
                }
            }
            let board_share = input.allocation.as_ref().is_some_and(|a| {
                a.lines
                    .iter()
                    .any(|l| l.kind == "board_profit_share" && l.amount_cents > 0)
            });
            if board_share {
                findings.push(Finding::new("board-profit-share", &[]));
                outcome = Outcome::Fail;
            }
            outcome
        }
        Condition::Cnc6LimitedDividend => {
            // CNC-6: at most the rate of the nominal value, net of withholding tax, so the
            // gross may reach rate ÷ (1 − tax) (TV-6: 6 % / 0.7 = 8.5714 %).
            let rate = Ratio::new(i64::from(params.advantage_rate_bp), 10_000);
            let net_share = Ratio::new(10_000 - i64::from(params.withholding_tax_bp), 10_000);
            let mut outcome = Outcome::Pass;
            for a in &input.advantages {
                if a.dividend_cents == 0 {
                    continue;
                }
                let cap = rate * Ratio::from_integer(a.nominal_cents) / net_share;
                if Ratio::from_integer(a.dividend_cents) > cap {
                    findings.push(Finding::new(
                        "advantage-above-cap",
                        &[
                            ("name", a.name.clone()),
                            ("amount", cents(a.dividend_cents)),
                            ("cap", cents(cap.round().to_integer())),
                        ],
                    ));
                    evidence.push(Evidence::Shareholder {
                        person_id: a.person_id,
                        name: a.name.clone(),
                    });
                    outcome = Outcome::Fail;
                }
            }
            if outcome == Outcome::Pass && input.advantages.iter().all(|a| a.dividend_cents == 0) {
                findings.push(Finding::new("no-dividend", &[]));
            }
            outcome
        }
        Condition::Cnc8Education => match input.education_cents {
            None => {
                findings.push(Finding::new("education-not-tracked", &[]));
                Outcome::Warning
            }
            Some(0) => {
                findings.push(Finding::new("education-none", &[]));
                Outcome::Fail
            }
            Some(c) => {
                findings.push(Finding::new("education-spent", &[("amount", cents(c))]));
                Outcome::Pass
            }
        },
        Condition::Cnc10Rebates => {
            let rebates = input.allocation.as_ref().is_some_and(|a| {
                a.lines
                    .iter()
                    .any(|l| l.kind == "rebate" && l.amount_cents > 0)
            });
            if rebates {
                findings.push(Finding::new("rebate-to-check", &[]));
                Outcome::Warning
            } else {
                findings.push(Finding::new("no-rebate", &[]));
                Outcome::Pass
            }
        }
        _ => Outcome::Warning,
    };
    if let Some(tag) = condition.article_tag()
        && !evidence
            .iter()
            .any(|e| matches!(e, Evidence::Article { .. }))
        && let Some(statutes) = &input.statutes
        && let Some(a) = statutes
            .articles
            .iter()
            .find(|a| a.tags.iter().any(|t| t == tag))
    {
        evidence.insert(
            0,
            Evidence::Article {
                version_id: statutes.version_id,
                number: a.number.clone(),
            },
        );
    }
    Check {
        condition,
        outcome,
        legal_reference: condition.legal_reference().to_string(),
        params_version: params.version(),
        findings,
        evidence,
    }
}

fn check(condition: Condition, input: &ComplianceInput, params: &GovernanceParams) -> Check {
    let mut findings = Vec::new();
    let mut evidence = Vec::new();
    let article = condition.article_tag().and_then(|tag| {
        let statutes = input.statutes.as_ref()?;
        let a = statutes
            .articles
            .iter()
            .find(|a| a.tags.iter().any(|t| t == tag))?;
        Some((statutes.version_id, a))
    });
    if let Some((version_id, a)) = article {
        evidence.push(Evidence::Article {
            version_id,
            number: a.number.clone(),
        });
    }
    let missing_clause = |findings: &mut Vec<Finding>| {
        let tag = condition.article_tag().unwrap_or_default();
        findings.push(Finding::new("no-clause", &[("tag", tag.to_string())]));
        Outcome::Fail
    };
    let outcome = match condition {
        Condition::Es1Purpose => match (article, &input.attestation) {
            (None, _) => missing_clause(&mut findings),
            (Some(_), Some(att)) if att.signatories.len() >= 2 => {
                findings.push(Finding::new(
                    "attested",
                    &[
                        ("date", att.signed_on.clone()),
                        ("signatories", att.signatories.join(", ")),
                    ],
                ));
                Outcome::Pass
            }
            (Some(_), _) => {
                findings.push(Finding::new("attestation-missing", &[]));
                Outcome::AttestationRequired
            }
        },
        Condition::Es2Object => match article {
            None => missing_clause(&mut findings),
            Some((_, a)) => {
                let worded = a.texts.iter().any(|t| {
                    let t = t.to_lowercase();
                    IMPACT_WORDING.iter().any(|w| t.contains(w))
                });
                if worded {
                    Outcome::Pass
                } else {
                    findings.push(Finding::new("object-wording", &[]));
                    Outcome::Warning
                }
            }
        },
        Condition::Es3Advantage => advantage(input, params, &mut findings, &mut evidence),
        Condition::Es4Liquidation => match article {
            None => missing_clause(&mut findings),
            Some(_) => Outcome::Pass,
        },
        Condition::Es5Resignation => {
            let mut outcome = match article {
                None => missing_clause(&mut findings),
                Some(_) => Outcome::Pass,
            };
            for r in &input.refunds {
                if r.refund_cents > r.nominal_cap_cents {
                    findings.push(Finding::new(
                        "refund-above-nominal",
                        &[
                            ("name", r.name.clone()),
                            ("refund", cents(r.refund_cents)),
                            ("cap", cents(r.nominal_cap_cents)),
                        ],
                    ));
                    evidence.push(Evidence::Refund {
                        person_id: r.person_id,
                        name: r.name.clone(),
                    });
                    outcome = Outcome::Fail;
                }
            }
            findings.push(Finding::new(
                "refunds-checked",
                &[("count", input.refunds.len().to_string())],
            ));
            outcome
        }
        Condition::Es6UnpaidMandate => {
            let mut outcome = match article {
                None => missing_clause(&mut findings),
                Some(_) => Outcome::Pass,
            };
            for d in &input.directors {
                let unexplained = d.unexplained_cents > 0;
                if unexplained || !d.forbidden_kinds.is_empty() {
                    findings.push(Finding::new(
                        if unexplained {
                            "director-unexplained"
                        } else {
                            "director-forbidden"
                        },
                        &[
                            ("name", d.name.clone()),
                            ("amount", cents(d.unexplained_cents.max(0))),
                            ("kinds", d.forbidden_kinds.join(", ")),
                        ],
                    ));
                    evidence.push(Evidence::Director {
                        person_id: d.person_id,
                        name: d.name.clone(),
                    });
                    outcome = Outcome::Fail;
                }
            }
            findings.push(Finding::new(
                "directors-checked",
                &[("count", input.directors.len().to_string())],
            ));
            outcome
        }
        Condition::Es7VoteCap => {
            let mut outcome = match article {
                None => missing_clause(&mut findings),
                Some(_) => Outcome::Pass,
            };
            for r in &input.resolutions {
                let cap = r.total_raw / Ratio::from_integer(i64::from(r.denominator.max(1)));
                if r.cap_inconsistent {
                    findings.push(Finding::new(
                        "cap-inconsistent",
                        &[("resolution", r.title.clone())],
                    ));
                    evidence.push(Evidence::Resolution {
                        id: r.id,
                        title: r.title.clone(),
                    });
                    outcome = outcome.max(Outcome::Warning);
                } else if r.max_effective > cap {
                    findings.push(Finding::new(
                        "cap-exceeded",
                        &[
                            ("resolution", r.title.clone()),
                            ("votes", ratio(r.max_effective)),
                            ("cap", ratio(cap)),
                        ],
                    ));
                    evidence.push(Evidence::Resolution {
                        id: r.id,
                        title: r.title.clone(),
                    });
                    outcome = Outcome::Fail;
                }
            }
            if input.resolutions.is_empty() {
                findings.push(Finding::new("no-votes", &[]));
                outcome = outcome.max(Outcome::Warning);
            } else {
                findings.push(Finding::new(
                    "resolutions-checked",
                    &[("count", input.resolutions.len().to_string())],
                ));
            }
            outcome
        }
        Condition::Es8ReserveBeforeDividend => {
            reserve_before_dividend(input, &mut findings, &mut evidence)
        }
        Condition::Es9SpecialReport => {
            evidence.push(Evidence::Report { year: input.year });
            let r = &input.report;
            match (&r.approved_on, &r.annual_assembly_on) {
                (None, _) => {
                    findings.push(Finding::new("report-not-approved", &[]));
                    Outcome::Warning
                }
                (Some(approved), Some(assembly)) if approved > assembly => {
                    findings.push(Finding::new(
                        "report-after-assembly",
                        &[
                            ("approved", approved.clone()),
                            ("assembly", assembly.clone()),
                        ],
                    ));
                    Outcome::Fail
                }
                (Some(approved), _) => {
                    findings.push(Finding::new(
                        "report-approved",
                        &[
                            ("date", approved.clone()),
                            ("signatories", r.signatories.join(", ")),
                        ],
                    ));
                    Outcome::Pass
                }
            }
        }
        Condition::Cnc1OpenMembership
        | Condition::Cnc2EqualRights
        | Condition::Cnc3VoteCap
        | Condition::Cnc4DirectorsByAssembly
        | Condition::Cnc5NoProfitShare
        | Condition::Cnc6LimitedDividend
        | Condition::Cnc7MembersAdvantage
        | Condition::Cnc8Education
        | Condition::Cnc9SpecialReport
        | Condition::Cnc10Rebates => return cnc_check(condition, input, params, &[]),
        Condition::Designation => {
            let form = input.legal_form.to_lowercase();
            if DESIGNATIONS.iter().any(|d| form.contains(d)) {
                Outcome::Pass
            } else {
                findings.push(Finding::new(
                    "designation-missing",
                    &[("form", input.legal_form.clone())],
                ));
                Outcome::Fail
            }
        }
    };
    Check {
        condition,
        outcome,
        legal_reference: condition.legal_reference().to_string(),
        params_version: params.version(),
        findings,
        evidence,
    }
}

/// ES-3: per shareholder, dividends (and rebates, when they count) at most the rate of the
/// basis (paid up or nominal, per the parameters; gross).
fn advantage(
    input: &ComplianceInput,
    params: &GovernanceParams,
    findings: &mut Vec<Finding>,
    evidence: &mut Vec<Evidence>,
) -> Outcome {
    let mut outcome = Outcome::Pass;
    let rate = Ratio::new(i64::from(params.advantage_rate_bp), 10_000);
    for a in &input.advantages {
        let basis = match params.advantage_basis {
            super::params::AdvantageBasis::PaidUp => a.paid_up_cents,
            super::params::AdvantageBasis::Nominal => a.nominal_cents,
        };
        let cap = rate * Ratio::from_integer(basis);
        let total = a.dividend_cents
            + if params.rebates_count {
                a.rebate_cents
            } else {
                0
            };
        if Ratio::from_integer(total) > cap {
            findings.push(Finding::new(
                "advantage-above-cap",
                &[
                    ("name", a.name.clone()),
                    ("amount", cents(total)),
                    ("cap", cents(cap.floor().to_integer())),
                ],
            ));
            evidence.push(Evidence::Shareholder {
                person_id: a.person_id,
                name: a.name.clone(),
            });
            outcome = Outcome::Fail;
        }
    }
    let distributed: i64 = input
        .advantages
        .iter()
        .map(|a| a.dividend_cents + a.rebate_cents)
        .sum();
    if distributed == 0 {
        findings.push(Finding::new("no-distribution", &[]));
    }
    outcome
}

/// ES-8: a dividend only after a purpose reserve was decided, earlier in the ordered lines;
/// and none at all when the statutes exclude dividends.
fn reserve_before_dividend(
    input: &ComplianceInput,
    findings: &mut Vec<Finding>,
    evidence: &mut Vec<Evidence>,
) -> Outcome {
    let Some(allocation) = &input.allocation else {
        findings.push(Finding::new("no-allocation", &[]));
        return Outcome::Warning;
    };
    evidence.push(Evidence::Allocation {
        resolution_id: allocation.resolution_id,
    });
    let dividend_at = allocation
        .lines
        .iter()
        .position(|l| l.kind == "dividend" && l.amount_cents > 0);
    let reserve_at = allocation
        .lines
        .iter()
        .position(|l| l.kind == "purpose_reserve");
    let dividends_allowed = input.statutes.as_ref().is_some_and(|s| s.dividends_allowed);
    match dividend_at {
        None => {
            findings.push(Finding::new("no-dividend", &[]));
            Outcome::Pass
        }
        Some(_) if !dividends_allowed => {
            findings.push(Finding::new("dividend-excluded", &[]));
            Outcome::Fail
        }
        Some(d) => match reserve_at {
            Some(r) if r < d => Outcome::Pass,
            _ => {
                findings.push(Finding::new("dividend-before-reserve", &[]));
                Outcome::Fail
            }
        },
    }
}

fn cents(c: i64) -> String {
    crate::format::money(c)
}

fn ratio(r: Ratio<i64>) -> String {
    if r.is_integer() {
        r.to_integer().to_string()
    } else {
        format!("{}/{}", r.numer(), r.denom())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    // Amounts are written as euros and cents: `500_00` is 500,00 €.
    #![allow(clippy::inconsistent_digit_grouping)]

    use super::*;
    use crate::governance::params::params_on;
    use jiff::civil::date;

    fn article(number: &str, tag: &str, text: &str) -> ArticleInput {
        ArticleInput {
            number: number.into(),
            heading: String::new(),
            tags: vec![tag.into()],
            texts: vec![text.into()],
        }
    }

    /// Statutes like the reference cooperative's, a year that keeps every condition.
    fn passing() -> ComplianceInput {
        ComplianceInput {
            year: 2023,
            statutes: Some(StatutesInput {
                version_id: 3,
                label: "2023-06-20".into(),
                dividends_allowed: false,
                articles: vec![
                    article("1", "designation", "SCES agréée"),
                    article("3", "purpose", "finalité sociale"),
                    article(
                        "4",
                        "object",
                        "La société poursuit un impact sociétal positif pour ses membres.",
                    ),
                    article("20", "resignation", "six premiers mois"),
                    article("23", "vote_cap", "un dixième des voix"),
                    article("37", "unpaid_mandate", "mandat gratuit"),
                    article("43", "allocation", "aucun dividende"),
                    article("46", "liquidation", "affectation conforme"),
                ],
            }),
            attestation: Some(AttestationInput {
                signed_on: "2024-04-30".into(),
                signatories: vec!["A. Durand".into(), "B. Peeters".into()],
            }),
            advantages: vec![],
            refunds: vec![RefundInput {
                person_id: 7,
                name: "C. Martin".into(),
                refund_cents: 500_00,
                nominal_cap_cents: 500_00,
            }],
            directors: vec![DirectorInput {
                person_id: 9,
                name: "D. Janssens".into(),
                paid_cents: 300_00,
                unexplained_cents: 0,
                forbidden_kinds: vec![],
            }],
            resolutions: vec![ResolutionInput {
                id: 1,
                title: "Comptes 2023".into(),
                total_raw: Ratio::from_integer(770),
                max_effective: Ratio::from_integer(77),
                denominator: 10,
                cap_inconsistent: false,
            }],
            allocation: Some(AllocationInput {
                resolution_id: 2,
                lines: vec![
                    AllocationLineInput {
                        kind: "purpose_reserve".into(),
                        amount_cents: 8_000_00,
                    },
                    AllocationLineInput {
                        kind: "carried_forward".into(),
                        amount_cents: 5_000_00,
                    },
                ],
            }),
            report: ReportInput {
                approved_on: Some("2024-04-30".into()),
                signatories: vec!["A. Durand".into(), "B. Peeters".into()],
                annual_assembly_on: Some("2024-06-11".into()),
            },
            legal_form: "SCES agréée".into(),
            cnc: true,
            refusals: vec![RefusalInput {
                name: "F. Lambert".into(),
                reason_code: Some("not_eligible".into()),
            }],
            unconfirmed_cooptations: vec![],
            education_cents: Some(12_000_00),
        }
    }

    fn outcome_of(input: &ComplianceInput, c: Condition) -> Check {
        let params = params_on(date(2023, 12, 31)).unwrap();
        evaluate(input, params)
            .into_iter()
            .find(|k| k.condition == c)
            .unwrap()
    }

    fn without_tag(input: &mut ComplianceInput, tag: &str) {
        let s = input.statutes.as_mut().unwrap();
        s.articles.retain(|a| a.tags.iter().all(|t| t != tag));
    }

    #[test]
    fn a_statute_set_that_keeps_every_condition_passes_them_all() {
        let params = params_on(date(2023, 12, 31)).unwrap();
        let checks = evaluate(&passing(), params);
        assert_eq!(
            checks.len(),
            20,
            "the nine conditions, the designation and CNC-1…10"
        );
        for c in &checks {
            assert_eq!(
                c.outcome,
                Outcome::Pass,
                "{:?}: {:?}",
                c.condition,
                c.findings
            );
            assert_eq!(c.params_version, "governance-2019-05-01");
            assert!(!c.legal_reference.is_empty());
        }
        let es1 = &checks[0];
        assert!(es1.evidence.contains(&Evidence::Article {
            version_id: 3,
            number: "3".into()
        }));
    }

    #[test]
    fn es1_fails_without_a_purpose_clause_and_needs_the_attestation() {
        let mut input = passing();
        input.attestation = None;
        assert_eq!(
            outcome_of(&input, Condition::Es1Purpose).outcome,
            Outcome::AttestationRequired
        );
        without_tag(&mut input, "purpose");
        let c = outcome_of(&input, Condition::Es1Purpose);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "no-clause");
    }

    #[test]
    fn es2_object_without_impact_wording_is_a_warning_and_no_object_fails() {
        let mut input = passing();
        input.statutes.as_mut().unwrap().articles[2].texts = vec!["Toute activité.".into()];
        assert_eq!(
            outcome_of(&input, Condition::Es2Object).outcome,
            Outcome::Warning
        );
        without_tag(&mut input, "object");
        assert_eq!(
            outcome_of(&input, Condition::Es2Object).outcome,
            Outcome::Fail
        );
    }

    #[test]
    fn es3_tv9_dividend_and_rebate_above_six_percent_of_paid_up_fails() {
        // TV-9: 4 × €250 paid; dividend 5 % (€50) + rebate €15 = €65 > cap €60.
        let mut input = passing();
        input.advantages = vec![AdvantageInput {
            person_id: 4,
            name: "E. Dubois".into(),
            paid_up_cents: 1_000_00,
            nominal_cents: 1_000_00,
            dividend_cents: 50_00,
            rebate_cents: 15_00,
        }];
        let c = outcome_of(&input, Condition::Es3Advantage);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "advantage-above-cap");
        // Without the rebate, €50 ≤ €60.
        input.advantages[0].rebate_cents = 0;
        assert_eq!(
            outcome_of(&input, Condition::Es3Advantage).outcome,
            Outcome::Pass
        );
    }

    #[test]
    fn es4_fails_without_a_liquidation_clause() {
        let mut input = passing();
        without_tag(&mut input, "liquidation");
        assert_eq!(
            outcome_of(&input, Condition::Es4Liquidation).outcome,
            Outcome::Fail
        );
    }

    #[test]
    fn es5_a_refund_above_the_nominal_value_fails() {
        // TV-11: statutes promising the NAV (€310 × 2 = €620) against a nominal of €500.
        let mut input = passing();
        input.refunds[0].refund_cents = 620_00;
        let c = outcome_of(&input, Condition::Es5Resignation);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "refund-above-nominal");
        assert!(matches!(
            c.evidence.last(),
            Some(Evidence::Refund { person_id: 7, .. })
        ));
    }

    #[test]
    fn es6_tv15_an_unexplained_payment_or_a_management_fee_fails() {
        let mut input = passing();
        input.directors[0].paid_cents = 400_00;
        input.directors[0].unexplained_cents = 100_00;
        let c = outcome_of(&input, Condition::Es6UnpaidMandate);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "director-unexplained");
        input.directors[0].unexplained_cents = 0;
        input.directors[0].forbidden_kinds = vec!["fixed_remuneration".into()];
        assert_eq!(
            outcome_of(&input, Condition::Es6UnpaidMandate).findings[0].code,
            "director-forbidden"
        );
    }

    #[test]
    fn es7_tv1_an_effective_vote_above_the_tenth_fails() {
        // TV-1: T = 770, cap 77; Alice counted with her raw 300 votes.
        let mut input = passing();
        input.resolutions[0].max_effective = Ratio::from_integer(300);
        let c = outcome_of(&input, Condition::Es7VoteCap);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "cap-exceeded");
        // TV-2 fraction mode: T = 95, A holds 9.5 effective votes: within the cap.
        input.resolutions[0].total_raw = Ratio::from_integer(95);
        input.resolutions[0].max_effective = Ratio::new(19, 2);
        assert_eq!(
            outcome_of(&input, Condition::Es7VoteCap).outcome,
            Outcome::Pass
        );
        // TV-3: the inconsistent cap is flagged for review.
        input.resolutions[0].cap_inconsistent = true;
        assert_eq!(
            outcome_of(&input, Condition::Es7VoteCap).outcome,
            Outcome::Warning
        );
    }

    #[test]
    fn es8_tv10_a_dividend_needs_a_purpose_reserve_before_it() {
        let mut input = passing();
        input.statutes.as_mut().unwrap().dividends_allowed = true;
        input.allocation.as_mut().unwrap().lines = vec![
            AllocationLineInput {
                kind: "dividend".into(),
                amount_cents: 10_000_00,
            },
            AllocationLineInput {
                kind: "carried_forward".into(),
                amount_cents: 5_000_00,
            },
        ];
        assert_eq!(
            outcome_of(&input, Condition::Es8ReserveBeforeDividend).outcome,
            Outcome::Fail
        );
        input.allocation.as_mut().unwrap().lines = vec![
            AllocationLineInput {
                kind: "purpose_reserve".into(),
                amount_cents: 8_000_00,
            },
            AllocationLineInput {
                kind: "dividend".into(),
                amount_cents: 10_000_00,
            },
        ];
        assert_eq!(
            outcome_of(&input, Condition::Es8ReserveBeforeDividend).outcome,
            Outcome::Pass
        );
        // The reference statutes exclude dividends: any dividend fails.
        input.statutes.as_mut().unwrap().dividends_allowed = false;
        let c = outcome_of(&input, Condition::Es8ReserveBeforeDividend);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "dividend-excluded");
    }

    #[test]
    fn es9_a_report_approved_after_the_assembly_fails_and_none_is_a_warning() {
        let mut input = passing();
        input.report.approved_on = Some("2024-06-12".into());
        assert_eq!(
            outcome_of(&input, Condition::Es9SpecialReport).outcome,
            Outcome::Fail
        );
        input.report.approved_on = None;
        assert_eq!(
            outcome_of(&input, Condition::Es9SpecialReport).outcome,
            Outcome::Warning
        );
    }

    #[test]
    fn the_designation_must_show_the_accreditation() {
        let mut input = passing();
        input.legal_form = "SC".into();
        assert_eq!(
            outcome_of(&input, Condition::Designation).outcome,
            Outcome::Fail
        );
        input.legal_form = "CV erkend als SO".into();
        assert_eq!(
            outcome_of(&input, Condition::Designation).outcome,
            Outcome::Pass
        );
    }

    #[test]
    fn the_cnc_conditions_are_checked_only_when_the_legal_form_names_the_accreditation() {
        assert!(cnc_accredited("SCES agréée / erkende CVSO"));
        assert!(cnc_accredited("SC agréée"));
        assert!(!cnc_accredited("SC agréée comme ES"));
        assert!(!cnc_accredited("CV erkend als SO"));
        let mut input = passing();
        input.cnc = false;
        let params = params_on(date(2023, 12, 31)).unwrap();
        assert_eq!(evaluate(&input, params).len(), 10);
    }

    #[test]
    fn cnc1_a_refusal_without_an_objective_reason_fails() {
        let mut input = passing();
        input.refusals[0].reason_code = None;
        let c = outcome_of(&input, Condition::Cnc1OpenMembership);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "refusal-without-reason");
    }

    #[test]
    fn cnc3_7_9_follow_their_social_enterprise_twins() {
        let mut input = passing();
        input.resolutions[0].max_effective = Ratio::from_integer(300);
        assert_eq!(
            outcome_of(&input, Condition::Cnc3VoteCap).outcome,
            Outcome::Fail
        );
        input.attestation = None;
        assert_eq!(
            outcome_of(&input, Condition::Cnc7MembersAdvantage).outcome,
            Outcome::AttestationRequired
        );
        input.report.approved_on = None;
        assert_eq!(
            outcome_of(&input, Condition::Cnc9SpecialReport).outcome,
            Outcome::Warning
        );
        // CNC-2: the rights live on the share class; ruche has no per-holder override.
        assert_eq!(
            outcome_of(&input, Condition::Cnc2EqualRights).outcome,
            Outcome::Pass
        );
    }

    #[test]
    fn cnc4_a_cooptation_the_next_assembly_did_not_confirm_fails() {
        let mut input = passing();
        input.unconfirmed_cooptations = vec![CooptationInput {
            person_id: 9,
            name: "D. Janssens".into(),
            assembly_on: "2024-06-01".into(),
        }];
        let c = outcome_of(&input, Condition::Cnc4DirectorsByAssembly);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "cooptation-unconfirmed");
    }

    #[test]
    fn cnc5_a_profit_share_for_directors_fails() {
        let mut input = passing();
        input
            .allocation
            .as_mut()
            .unwrap()
            .lines
            .push(AllocationLineInput {
                kind: "board_profit_share".into(),
                amount_cents: 1_000_00,
            });
        let c = outcome_of(&input, Condition::Cnc5NoProfitShare);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.findings[0].code, "board-profit-share");
    }

    #[test]
    fn cnc6_tv6_the_dividend_is_capped_net_of_withholding_tax() {
        // TV-6: a €250 share; 7 % (€17.50 gross) passes the CNC net reading (cap €21.43),
        // 9 % (€22.50) fails it.
        let mut input = passing();
        let holder = |dividend_cents| AdvantageInput {
            person_id: 4,
            name: "E. Dubois".into(),
            paid_up_cents: 250_00,
            nominal_cents: 250_00,
            dividend_cents,
            rebate_cents: 0,
        };
        input.advantages = vec![holder(17_50)];
        assert_eq!(
            outcome_of(&input, Condition::Cnc6LimitedDividend).outcome,
            Outcome::Pass
        );
        input.advantages = vec![holder(22_50)];
        let c = outcome_of(&input, Condition::Cnc6LimitedDividend);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(
            c.findings[0].args[2],
            ("cap".to_string(), crate::format::money(21_43))
        );
    }

    #[test]
    fn cnc8_no_education_spending_fails_and_untracked_spending_is_a_warning() {
        let mut input = passing();
        input.education_cents = Some(0);
        assert_eq!(
            outcome_of(&input, Condition::Cnc8Education).outcome,
            Outcome::Fail
        );
        input.education_cents = None;
        assert_eq!(
            outcome_of(&input, Condition::Cnc8Education).outcome,
            Outcome::Warning
        );
    }

    #[test]
    fn cnc10_rebates_are_flagged_for_the_proportionality_check() {
        let mut input = passing();
        input
            .allocation
            .as_mut()
            .unwrap()
            .lines
            .push(AllocationLineInput {
                kind: "rebate".into(),
                amount_cents: 2_000_00,
            });
        assert_eq!(
            outcome_of(&input, Condition::Cnc10Rebates).outcome,
            Outcome::Warning
        );
    }
}
