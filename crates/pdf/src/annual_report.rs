//! The annual special report on the accreditation (C12) as an A4 PDF, from
//! `templates/annual_report.typ`. The caller hands every text already in the report's
//! language (the web layer translates, from the frozen report): this module only lays out
//! a title block, an approval line, and sections made of paragraphs, quoted statute
//! articles, a check result and tables.

use serde::Serialize;
use typst::diag::Warned;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::PdfError;

const TEMPLATE: &str = include_str!("../templates/annual_report.typ");

/// The whole report, translated and formatted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    /// `fr`, `nl` or `en`: hyphenation and quotes follow it.
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    pub entity_name: String,
    pub entity_lines: Vec<String>,
    /// The date the report is dated (approval, or assembly for a draft): year, month, day.
    pub date: (i16, i8, i8),
    /// The approval line, or the draft warning.
    pub status: String,
    pub approved: bool,
    pub sections: Vec<ReportBlock>,
    pub footer: Vec<String>,
    pub page: String,
    /// A stable identifier (entity and year), so the same report keeps the same PDF id.
    pub ident: String,
}

/// One section: a heading, then in order its quote, its result, its paragraphs and table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ReportBlock {
    pub heading: String,
    /// A statute article quoted: its reference line and its text.
    pub quote: Option<(String, String)>,
    /// A check result: its label and its kind (`pass`, `warning`, `attestation`, `fail`).
    pub outcome: Option<(String, String)>,
    pub paragraphs: Vec<String>,
    pub table: Option<ReportTable>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTable {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Which columns are numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// Per row, the list its first cell counts (the web page links it; the PDF does not).
    pub links: Vec<Option<String>>,
}

/// Renders the report to the bytes of an A4 PDF/A-2b.
pub fn render_annual_report(report: &AnnualReport) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_string(report).map_err(|e| PdfError::Internal(e.to_string()))?;
    let world = crate::world::DocumentWorld::new(TEMPLATE, data, None)?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(crate::messages(&errors)))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| PdfError::Internal(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(report.ident.clone()),
        creator: Smart::Custom(Some("ruche".to_string())),
        standards,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| PdfError::Export(crate::messages(&errors)));
    typst::comemo::evict(crate::CACHE_MAX_AGE);
    pdf
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_report_with_sections_and_tables_renders() {
        let report = AnnualReport {
            lang: "fr".into(),
            title: "Rapport spécial 2023".into(),
            subtitle: "Agrément comme entreprise sociale".into(),
            entity_name: "SmartCoop".into(),
            entity_lines: vec!["Rue Coenraets 72, 1060 Saint-Gilles".into()],
            date: (2024, 4, 30),
            status: "Projet — non approuvé".into(),
            approved: false,
            sections: vec![ReportBlock {
                heading: "ES-7 — Plafond d'un dixième des voix".into(),
                quote: Some((
                    "Article 23".into(),
                    "Nul ne peut prendre part au vote…".into(),
                )),
                outcome: Some(("Respecté".into(), "pass".into())),
                paragraphs: vec!["2 résolutions vérifiées.".into()],
                table: Some(ReportTable {
                    head: vec!["Résolution".into(), "Oui".into()],
                    rows: vec![vec!["Comptes".into(), "154".into()]],
                    numeric: vec![false, true],
                    links: vec![None],
                }),
            }],
            footer: vec!["ruche".into()],
            page: "Page".into(),
            ident: "ruche:test:special-report:2023".into(),
        };
        let pdf = render_annual_report(&report).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
