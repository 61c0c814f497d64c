//! A member's share certificate as an A4 PDF: an extract of the share register at a date
//! (the holdings per class, and every operation up to that date with its register number),
//! in the member's language (C11; reference/governance.md §6.1, the certificate of
//! EasyMyCoop's `cooperator` module). The register is the legal record; the certificate
//! says it is an extract of it.

use typst::diag::Warned;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::PdfError;

/// The typst source: everything printed comes from /data.json as strings (never markup).
const TEMPLATE: &str = r##"
#let d = json("/data.json")
#let accent = rgb("#1d4e5c")
#let muted = luma(95)
#set document(title: d.title, author: d.issuer, date: datetime(year: d.date.at(0), month: d.date.at(1), day: d.date.at(2)))
#set text(font: "Libertinus Serif", size: 10pt, lang: d.lang)
#set page(paper: "a4", margin: (top: 18mm, bottom: 22mm, x: 20mm),
  footer: context [#set text(7.5pt, fill: muted); #d.footer #h(1fr) #counter(page).display("1/1", both: true)])
#text(9pt, fill: muted)[#d.issuer · #d.issuer_line]
#v(6mm)
#text(18pt, weight: "bold", fill: accent)[#d.title]
#v(2mm)
#text(11pt)[#d.subtitle]
#v(6mm)
#grid(columns: (auto, 1fr), gutter: 3mm,
  ..d.facts.map(f => (text(fill: muted)[#f.at(0)], [#f.at(1)])).flatten())
#v(6mm)
#text(12pt, weight: "bold", fill: accent)[#d.holdings_title]
#table(columns: (auto, 1fr, auto, auto, auto), stroke: 0.4pt + luma(185), inset: 5pt,
  ..d.holdings_head.map(h => text(weight: "bold")[#h]),
  ..d.holdings.flatten().map(x => [#x]))
#v(5mm)
#text(12pt, weight: "bold", fill: accent)[#d.operations_title]
#table(columns: (auto, auto, 1fr, auto, auto), stroke: 0.4pt + luma(185), inset: 5pt,
  ..d.operations_head.map(h => text(weight: "bold")[#h]),
  ..d.operations.flatten().map(x => [#x]))
#v(8mm)
#text(9pt, fill: muted)[#d.note]
"##;

/// Everything a certificate prints, already translated and formatted (Belgian money and
/// dates): the PDF layer does not know the store or the locales.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ShareCertificate {
    /// `fr`, `nl` or `en`.
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    /// The cooperative's name, and its address / enterprise number line.
    pub issuer: String,
    pub issuer_line: String,
    /// (label, value) lines: member, date of the extract, shares, capital.
    pub facts: Vec<(String, String)>,
    pub holdings_title: String,
    pub holdings_head: Vec<String>,
    /// class, name, shares, nominal, paid up.
    pub holdings: Vec<[String; 5]>,
    pub operations_title: String,
    pub operations_head: Vec<String>,
    /// number, date, kind, shares, paid.
    pub operations: Vec<[String; 5]>,
    pub note: String,
    pub footer: String,
    /// For the PDF's stable identifier: `person-<id>-<date>`.
    pub ident: String,
    /// The extract's date (year, month, day): the document's date (PDF/A needs one).
    pub date: (i16, i8, i8),
}

/// At most this many operations printed (TigerStyle: a bound; a member has a handful).
pub const MAX_OPERATIONS: usize = 1000;

/// Renders the certificate to the bytes of an A4 PDF/A-2b.
pub fn render_share_certificate(c: &ShareCertificate) -> Result<Vec<u8>, PdfError> {
    if c.operations.len() > MAX_OPERATIONS {
        return Err(PdfError::Internal(
            "too many operations on one certificate".into(),
        ));
    }
    let data = serde_json::to_string(c).map_err(|e| PdfError::Internal(e.to_string()))?;
    let world = crate::world::DocumentWorld::new(TEMPLATE, data, None)?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(crate::messages(&errors)))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| PdfError::Internal(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("ruche:share-certificate:{}", c.ident)),
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
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_certificate_renders_to_a_pdf() {
        let c = ShareCertificate {
            lang: "fr".into(),
            title: "Certificat de parts".into(),
            subtitle: "Extrait du registre des parts au 31/12/2025".into(),
            issuer: "Ruche SCES agréée".into(),
            issuer_line: "BE 0202.239.951".into(),
            facts: vec![("Membre".into(), "Alice Coop [#x]".into())],
            holdings_title: "Parts détenues".into(),
            holdings_head: vec![
                "Classe".into(),
                "Nom".into(),
                "Parts".into(),
                "Nominal".into(),
                "Libéré".into(),
            ],
            holdings: vec![[
                "A".into(),
                "Parts coopérateurs".into(),
                "4".into(),
                "30,00 €".into(),
                "120,00 €".into(),
            ]],
            operations_title: "Opérations".into(),
            operations_head: vec![
                "N°".into(),
                "Date".into(),
                "Opération".into(),
                "Parts".into(),
                "Libéré".into(),
            ],
            operations: vec![[
                "1".into(),
                "01/03/2019".into(),
                "Souscription".into(),
                "4".into(),
                "120,00 €".into(),
            ]],
            note: "Extrait du registre.".into(),
            footer: "ruche".into(),
            ident: "person-1-2025-12-31".into(),
            date: (2025, 12, 31),
        };
        let pdf = render_share_certificate(&c).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
