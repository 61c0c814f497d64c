//! Sales documents (invoices, credit notes) as A4 PDF, typeset by typst.
//!
//! The layout is `templates/invoice.typ`; this crate hands it the document as JSON (every
//! text already in the document's language, every amount and date already formatted), plus
//! the EPC payment QR code as an SVG image, through a [`typst::World`] of its own that reads
//! nothing from the disk or the network. The output is PDF/A-2b with the fonts embedded, and
//! has no creation time of its own: the same document gives the same bytes (`DESIGN.md` §5,
//! an issued document is stored with its hash).
//!
//! typst is slow to build: keep this crate a leaf that nothing edited daily depends on.

pub mod annual_report;
mod epc;
mod labels;
pub mod minutes;
pub mod payslip;
mod reminder;
pub mod share_certificate;
mod view;
mod world;

use ruche_domain::ident::{IdentError, Ogm};
use ruche_domain::invoicing::document::Document;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

pub use annual_report::{AnnualReport, ReportBlock, ReportTable, render_annual_report};
pub use epc::epc_payload;
pub use minutes::{MinutesPdf, render_minutes};
pub use payslip::{PayslipStatement, render_payslip};
pub use reminder::{render_reminder, render_summary_letter};
pub use share_certificate::{ShareCertificate, render_share_certificate};

const TEMPLATE: &str = include_str!("../templates/invoice.typ");

/// How many renders a typst cache entry survives unused: enough to keep a batch of
/// invoices warm, few enough that a long-running server does not grow without bound.
const CACHE_MAX_AGE: usize = 16;

/// Why a document could not be rendered. Apart from [`PdfError::StructuredCommunication`],
/// these are faults of the template or of this crate, not of the user's input.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document's structured communication is not a valid OGM: printing it would
    /// send the payment astray.
    #[error("the structured communication {value:?} is not valid: {reason}")]
    StructuredCommunication { value: String, reason: IdentError },
    #[error("the payment QR code could not be made: {0}")]
    QrCode(String),
    #[error("typesetting failed: {0}")]
    Typeset(String),
    #[error("PDF export failed: {0}")]
    Export(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Renders an invoice or a credit note, in `doc.language`, to the bytes of an A4 PDF.
///
/// The first call in a process also loads the embedded fonts (see [`warm_up`]).
pub fn render_document(doc: &Document) -> Result<Vec<u8>, PdfError> {
    // A credit note asks for no payment and carries no structured communication; an
    // invoice must carry a valid one (it is printed and read by the client's bank).
    let ogm = if doc.kind == ruche_domain::invoicing::DocumentKind::CreditNote
        && doc.structured_communication.is_empty()
    {
        None
    } else {
        Some(Ogm::parse(&doc.structured_communication).map_err(|reason| {
            PdfError::StructuredCommunication {
                value: doc.structured_communication.clone(),
                reason,
            }
        })?)
    };
    let qr_svg = epc_payload(doc).map(|p| epc::qr_svg(&p)).transpose()?;
    let view = view::build(doc, ogm.as_ref(), qr_svg.is_some());
    let data = serde_json::to_string(&view).map_err(|e| PdfError::Internal(e.to_string()))?;
    let world = world::DocumentWorld::new(TEMPLATE, data, qr_svg)?;

    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(messages(&errors)))?;

    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| PdfError::Internal(e.message().to_string()))?;
    let options = PdfOptions {
        // A stable identifier: the same document keeps the same PDF identifier.
        ident: Smart::Custom(format!("ruche:{}:{}", doc.seller.party.name, doc.number)),
        creator: Smart::Custom(Some("ruche".to_string())),
        standards,
        ..PdfOptions::default()
    };
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(messages(&errors)));
    typst::comemo::evict(CACHE_MAX_AGE);
    pdf
}

/// Loads the embedded fonts and typst's library, so that the first document rendered after
/// start-up is as fast as the next ones. Optional.
pub fn warm_up() {
    world::warm_up();
}

fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
            if hints.is_empty() {
                d.message.to_string()
            } else {
                format!("{} ({})", d.message, hints.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
