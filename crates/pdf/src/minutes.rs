//! The minutes of a general assembly as an A4 PDF, from `templates/minutes.typ`
//! (reference/governance.md §4.9): the attendance, the proxies, and every resolution with
//! its raw and effective tallies, the cap and the parameter set used. The caller hands
//! every text already in the minutes' language and every number already formatted; the
//! PDF is rendered once at closing and kept with its hash (DESIGN.md §5).

use serde::Serialize;
use typst::diag::Warned;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::PdfError;

const TEMPLATE: &str = include_str!("../templates/minutes.typ");

/// The whole minutes, translated and formatted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinutesPdf {
    /// `fr`, `nl` or `en`.
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    pub entity_name: String,
    /// The assembly's date: year, month, day.
    pub date: (i16, i8, i8),
    /// Date, place, convocation, rules: one line each.
    pub facts: Vec<String>,
    pub sections: Vec<MinutesSection>,
    pub footer: Vec<String>,
    pub page: String,
    /// A stable identifier, so the same minutes keep the same PDF id.
    pub ident: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct MinutesSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub table: Option<MinutesTable>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinutesTable {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Which columns are numbers (right-aligned).
    pub numeric: Vec<bool>,
}

/// Renders the minutes to the bytes of an A4 PDF/A-2b.
pub fn render_minutes(minutes: &MinutesPdf) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_string(minutes).map_err(|e| PdfError::Internal(e.to_string()))?;
    let world = crate::world::DocumentWorld::new(TEMPLATE, data, None)?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(crate::messages(&errors)))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| PdfError::Internal(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(minutes.ident.clone()),
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

    fn sample() -> MinutesPdf {
        MinutesPdf {
            lang: "fr".into(),
            title: "Procès-verbal".into(),
            subtitle: "Assemblée générale ordinaire du 20/06/2025".into(),
            entity_name: "Coopérative".into(),
            date: (2025, 6, 20),
            facts: vec!["Rue Haute 1, Bruxelles — 18:30".into()],
            sections: vec![MinutesSection {
                heading: "1. Approbation des comptes".into(),
                paragraphs: vec!["Plafond : 77 voix (T = 770 / 10).".into()],
                table: Some(MinutesTable {
                    head: vec!["".into(), "Oui".into(), "Non".into()],
                    rows: vec![
                        vec!["Voix brutes".into(), "420".into(), "350".into()],
                        vec!["Voix effectives".into(), "154".into(), "350".into()],
                    ],
                    numeric: vec![false, true, true],
                }),
            }],
            footer: vec!["ruche".into()],
            page: "Page".into(),
            ident: "ruche:minutes:1".into(),
        }
    }

    #[test]
    fn the_minutes_render_and_the_same_minutes_give_the_same_bytes() {
        let a = render_minutes(&sample()).unwrap();
        assert!(a.starts_with(b"%PDF"));
        let b = render_minutes(&sample()).unwrap();
        assert_eq!(a, b);
    }
}
