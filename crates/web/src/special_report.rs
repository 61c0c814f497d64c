//! The special report in words: one translation of a [`SpecialReport`] into the blocks of
//! an [`AnnualReport`], which the web page shows and the PDF prints, in French, Dutch or
//! English. The CLI (`ruche report special`) uses it too.

use ruche_domain::Language;
use ruche_domain::governance::compliance::{Check, Evidence};
use ruche_domain::governance::report::{FigureAmount, ReportSection, SpecialReport};
use ruche_pdf::{AnnualReport, ReportBlock, ReportTable};

use crate::i18n::{t, t_args};

/// The report of `report.year` in `lang`, ready for the page or the PDF.
pub fn annual_report(report: &SpecialReport, lang: Language) -> AnnualReport {
    let year = report.year.to_string();
    let mut sections = vec![framework(report, lang)];
    sections.extend(report.checks.iter().map(|c| condition(report, c, lang)));
    sections.extend(report.sections.iter().map(|s| figures(s, lang)));
    let (status, approved, date) = match &report.approval {
        Some(a) => (
            t_args(
                lang,
                "report-status-approved",
                &[
                    ("date", display_date(&a.approved_on)),
                    ("names", a.signatories.join(", ")),
                    ("archive", t(lang, &format!("report-archive-{}", a.archive))),
                ],
            ),
            true,
            ymd(&a.approved_on).unwrap_or((report.year as i16 + 1, 1, 1)),
        ),
        None => (
            t(lang, "report-status-draft"),
            false,
            (report.year as i16, 12, 31),
        ),
    };
    AnnualReport {
        lang: lang.code().to_string(),
        title: t_args(lang, "report-title", &[("year", year.clone())]),
        subtitle: t(lang, "report-subtitle"),
        entity_name: report.entity.name.clone(),
        entity_lines: vec![
            report.entity.legal_form.clone(),
            report.entity.address.clone(),
            report.entity.enterprise_number.clone(),
        ],
        date,
        status,
        approved,
        sections,
        footer: vec![
            report.entity.name.clone(),
            t_args(lang, "report-footer", &[("year", year)]),
            format!("{} {}", t(lang, "report-params"), report.params_version),
        ],
        page: t(lang, "report-page"),
        ident: format!(
            "ruche:{}:special-report:{}",
            report.entity.enterprise_number, report.year
        ),
    }
}

fn framework(report: &SpecialReport, lang: Language) -> ReportBlock {
    let statutes = match &report.input.statutes {
        Some(s) => t_args(
            lang,
            "report-framework-statutes",
            &[("label", s.label.clone())],
        ),
        None => t(lang, "report-framework-no-statutes"),
    };
    ReportBlock {
        heading: t(lang, "report-framework"),
        paragraphs: vec![
            t_args(
                lang,
                "report-framework-text",
                &[
                    ("name", report.entity.name.clone()),
                    ("form", report.entity.legal_form.clone()),
                    ("year", report.year.to_string()),
                ],
            ),
            t(lang, "report-framework-law"),
            statutes,
        ]
        .into_iter()
        .chain(report.input.cnc.then(|| t(lang, "report-framework-cnc")))
        .collect(),
        ..ReportBlock::default()
    }
}

fn condition(report: &SpecialReport, check: &Check, lang: Language) -> ReportBlock {
    let code = check.condition.code();
    let quote = check.evidence.iter().find_map(|e| match e {
        Evidence::Article { number, .. } => report.article(number).map(|a| {
            let text = a
                .texts
                .get(language_index(lang))
                .or_else(|| a.texts.first())
                .cloned()
                .unwrap_or_default();
            (
                t_args(
                    lang,
                    "report-article",
                    &[("number", a.number.clone()), ("heading", a.heading.clone())],
                ),
                text,
            )
        }),
        _ => None,
    });
    let mut paragraphs: Vec<String> = check
        .findings
        .iter()
        .map(|f| {
            let args: Vec<(&'static str, String)> = f
                .args
                .iter()
                .filter_map(|(k, v)| {
                    let k = arg_name(k)?;
                    let v = if matches!(k, "date" | "approved" | "assembly") {
                        display_date(v)
                    } else {
                        v.clone()
                    };
                    Some((k, v))
                })
                .collect();
            t_args(lang, &format!("compliance-finding-{}", f.code), &args)
        })
        .collect();
    paragraphs.push(t_args(
        lang,
        "report-reference",
        &[("reference", check.legal_reference.clone())],
    ));
    ReportBlock {
        heading: format!(
            "{} — {}",
            code.to_uppercase(),
            t(lang, &format!("compliance-condition-{code}"))
        ),
        quote,
        outcome: Some((
            t(
                lang,
                &format!("compliance-outcome-{}", check.outcome.code()),
            ),
            check.outcome.code().to_string(),
        )),
        paragraphs,
        table: None,
    }
}

/// The argument names findings use (Fluent wants `'static` names).
fn arg_name(name: &str) -> Option<&'static str> {
    [
        "tag",
        "date",
        "signatories",
        "name",
        "refund",
        "cap",
        "amount",
        "kinds",
        "count",
        "resolution",
        "votes",
        "approved",
        "assembly",
        "form",
    ]
    .into_iter()
    .find(|n| *n == name)
}

fn figures(section: &ReportSection, lang: Language) -> ReportBlock {
    let heading = t(lang, &format!("ind-section-{}", section.code));
    if !section.available {
        return ReportBlock {
            heading,
            paragraphs: vec![t(lang, "report-section-unavailable")],
            ..ReportBlock::default()
        };
    }
    ReportBlock {
        heading,
        table: Some(ReportTable {
            head: vec![t(lang, "report-figure"), t(lang, "report-value")],
            rows: section
                .figures
                .iter()
                .map(|f| vec![t(lang, &format!("fig-{}", f.key)), amount(f.amount)])
                .collect(),
            numeric: vec![false, true],
            links: section.figures.iter().map(|f| f.link.clone()).collect(),
        }),
        ..ReportBlock::default()
    }
}

/// A figure as the report prints it.
pub fn amount(a: FigureAmount) -> String {
    match a {
        FigureAmount::Count(n) => grouped(n),
        FigureAmount::Cents(c) => ruche_domain::format::money(c),
        FigureAmount::Minutes(m) => format!("{} h", grouped(m / 60)),
        FigureAmount::Fte(h) => format!("{},{:02}", grouped(h / 100), (h % 100).abs()),
        FigureAmount::Percent(ppm) => {
            format!("{},{} %", ppm / 10_000, (ppm % 10_000).abs() / 1_000)
        }
    }
}

fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn language_index(lang: Language) -> usize {
    match lang {
        Language::Fr => 0,
        Language::Nl => 1,
        Language::En => 2,
    }
}

fn ymd(iso: &str) -> Option<(i16, i8, i8)> {
    let d: jiff::civil::Date = iso.parse().ok()?;
    Some((d.year(), d.month(), d.day()))
}

fn display_date(iso: &str) -> String {
    iso.parse::<jiff::civil::Date>()
        .map(ruche_domain::format::date)
        .unwrap_or_else(|_| iso.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_printed_with_their_unit() {
        assert_eq!(amount(FigureAmount::Count(4_539_177)), "4.539.177");
        assert_eq!(amount(FigureAmount::Minutes(4_539_177 * 60)), "4.539.177 h");
        assert_eq!(amount(FigureAmount::Fte(229_700)), "2.297,00");
        assert_eq!(amount(FigureAmount::Cents(123_456)), "1.234,56\u{a0}€");
        assert_eq!(amount(FigureAmount::Percent(123_456)), "12,3 %");
    }

    #[test]
    fn every_condition_outcome_and_finding_is_translated() {
        use ruche_domain::governance::compliance::{Condition, Outcome};
        for lang in [Language::Fr, Language::Nl, Language::En] {
            for c in Condition::ALL.into_iter().chain(Condition::CNC) {
                let key = format!("compliance-condition-{}", c.code());
                assert_ne!(t(lang, &key), key);
            }
            for o in [
                Outcome::Pass,
                Outcome::Warning,
                Outcome::AttestationRequired,
                Outcome::Fail,
            ] {
                let key = format!("compliance-outcome-{}", o.code());
                assert_ne!(t(lang, &key), key);
            }
            // Every argument a finding may carry, so that Fluent formats it whole.
            let args: Vec<(&'static str, String)> = [
                "tag",
                "date",
                "signatories",
                "name",
                "refund",
                "cap",
                "amount",
                "kinds",
                "count",
                "resolution",
                "votes",
                "approved",
                "assembly",
                "form",
            ]
            .into_iter()
            .map(|n| (n, "x".to_string()))
            .collect();
            for f in FINDINGS {
                let key = format!("compliance-finding-{f}");
                assert_ne!(t_args(lang, &key, &args), key, "{lang:?}");
            }
        }
    }

    /// Every finding code the compliance engine writes.
    const FINDINGS: [&str; 33] = [
        "refusal-without-reason",
        "rights-per-class",
        "cooptation-unconfirmed",
        "board-profit-share",
        "education-not-tracked",
        "education-none",
        "education-spent",
        "rebate-to-check",
        "no-rebate",
        "no-clause",
        "attested",
        "attestation-missing",
        "object-wording",
        "advantage-above-cap",
        "no-distribution",
        "refund-above-nominal",
        "refunds-checked",
        "director-unexplained",
        "director-forbidden",
        "directors-checked",
        "cap-inconsistent",
        "cap-exceeded",
        "no-votes",
        "resolutions-checked",
        "no-allocation",
        "no-dividend",
        "dividend-excluded",
        "dividend-before-reserve",
        "report-not-approved",
        "report-after-assembly",
        "report-approved",
        "designation-missing",
        "refunds-checked",
    ];
}
