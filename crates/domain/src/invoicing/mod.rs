//! Sales documents: quotes, invoices and credit notes, their VAT, totals, numbering and the
//! rules the law and EN 16931 / Peppol BIS 3.0 put on them. Reference:
//! `shared/reference/invoicing.md`.

pub mod document;
pub mod vat;
