//! The errors of this crate's boundary: what the caller (the issuing use case, an import)
//! needs to show or fix.

use crate::ubl::Violation;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UblError {
    /// The document breaks business rules (EN 16931, Peppol BIS 3.0 or ruche's own):
    /// [`crate::ubl::write_invoice`] refuses to export it.
    #[error("the document breaks {} rule(s): {}", .0.len(), list(.0))]
    Rules(Vec<Violation>),
    /// The input is not well-formed XML, or nests deeper than any UBL document does.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// Well-formed XML whose root is neither `Invoice` nor `CreditNote`.
    #[error("not a UBL invoice or credit note: the root element is <{0}>")]
    NotUbl(String),
    /// A mandatory element is absent or empty.
    #[error("{0} is missing")]
    Missing(&'static str),
    /// An element is present but its value cannot be read.
    #[error("{path}: {reason} ({value:?})")]
    Invalid {
        path: &'static str,
        value: String,
        reason: &'static str,
    },
}

/// Only the XML writer does I/O, into a `Vec`, which cannot fail; passed on all the same.
impl From<std::io::Error> for UblError {
    fn from(e: std::io::Error) -> Self {
        UblError::Xml(e.to_string())
    }
}

fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("{} ({})", v.rule, v.message))
        .collect::<Vec<_>>()
        .join("; ")
}
