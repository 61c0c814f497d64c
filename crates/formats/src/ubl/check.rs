//! The check [`super::write_invoice`] runs before it exports a document: the domain's
//! EN 16931 / Peppol BIS 3.0 rules ([`check_peppol`]; the list is in its module,
//! `ruche_domain::invoicing::peppol`), judged as this writer writes the document.

use ruche_domain::invoicing::check_peppol;
use ruche_domain::invoicing::document::Document;
use ruche_domain::invoicing::endpoint::endpoint;
use ruche_domain::invoicing::vat::VatCategory;

/// One broken rule: its identifier as the rule files name it (`BR-CO-16`,
/// `PEPPOL-COMMON-R043`) or `RUCHE-…` for ruche's own, and what is wrong, in English for
/// the log; the web layer translates by `rule`.
pub use ruche_domain::invoicing::RuleViolation as Violation;

/// Every rule `doc` breaks; empty when it may be exported.
pub fn check(doc: &Document) -> Vec<Violation> {
    let mut found = check_peppol(doc);
    // PEPPOL-EN16931-R020 asks for an electronic address of any scheme: where the domain
    // holds ruche's sellers to their enterprise number (0208), this writer can also reach a
    // seller at its VAT number (9925 …).
    if endpoint(&doc.seller.party).is_some() {
        found.retain(|v| v.rule != "PEPPOL-EN16931-R020");
    }
    // BR-IC-11: a delivery date or invoicing period (BT-72, BG-14) that neither the model
    // nor this writer carries, so an intra-community supply is always refused.
    if doc.lines.iter().any(|l| l.vat_category == VatCategory::K) {
        found.push(Violation {
            rule: "BR-IC-11",
            message: "an intra-community supply needs a delivery date or period, which the \
                      document model does not carry"
                .into(),
        });
    }
    found
}
