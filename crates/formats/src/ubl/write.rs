//! The writer. Every group below writes its children in the order of its UBL 2.1 XSD
//! sequence (`shared/schemas/ubl-2.1/xsd/common/UBL-CommonAggregateComponents-2.1.xsd`):
//! a name out of order makes the whole document invalid, so the order is spelled out here
//! rather than left to a serializer.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use ruche_domain::Language;
use ruche_domain::format;
use ruche_domain::ident::{Iban, Ogm};
use ruche_domain::invoicing::carries_vat_identifiers;
use ruche_domain::invoicing::document::{Document, DocumentKind, Line, Party, VatSubtotal};
use ruche_domain::invoicing::endpoint::{endpoint, written_enterprise_number, written_vat_number};
use ruche_domain::invoicing::vat::VatCategory;
use rust_decimal::Decimal;

use super::check::check;
use super::{CURRENCY, CUSTOMIZATION_ID, PROFILE_ID, amount, percent};
use crate::UblError;

const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const NS_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// The UBL 2.1 / Peppol BIS 3.0 XML of `doc`: an `Invoice` (380) or a `CreditNote` (381).
/// Refused with [`UblError::Rules`] when [`check`] finds a broken rule.
pub fn write_invoice(doc: &Document) -> Result<String, UblError> {
    let violations = check(doc);
    if !violations.is_empty() {
        return Err(UblError::Rules(violations));
    }
    render(doc)
}

/// The XML of `doc` without the check: for the round trips of documents that ruche did not
/// issue (the public samples), never for export.
pub(crate) fn render(doc: &Document) -> Result<String, UblError> {
    let credit_note = doc.kind == DocumentKind::CreditNote;
    let (root, namespace) = if credit_note {
        ("CreditNote", NS_CREDIT_NOTE)
    } else {
        ("Invoice", NS_INVOICE)
    };
    let vat_ids = carries_vat_identifiers(doc);
    let mut out = Out(Writer::new_with_indent(Vec::new(), b' ', 2));
    out.0
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let namespaces = [
        ("xmlns", namespace),
        ("xmlns:cac", NS_CAC),
        ("xmlns:cbc", NS_CBC),
    ];
    out.group_with(root, &namespaces, |o| {
        o.leaf("cbc:CustomizationID", CUSTOMIZATION_ID)?;
        o.leaf("cbc:ProfileID", PROFILE_ID)?;
        o.leaf("cbc:ID", doc.number.trim())?;
        o.leaf("cbc:IssueDate", &doc.issue_date.to_string())?;
        if credit_note {
            // The UBL CreditNote has no DueDate: BT-9 goes in PaymentMeans (below).
            o.leaf("cbc:CreditNoteTypeCode", "381")?;
        } else {
            o.leaf("cbc:DueDate", &doc.due_date.to_string())?;
            o.leaf("cbc:InvoiceTypeCode", "380")?;
        }
        // PEPPOL-EN16931-R002: one note at most, which carries every legal statement.
        o.optional("cbc:Note", doc.note.as_deref())?;
        o.leaf("cbc:DocumentCurrencyCode", CURRENCY)?;
        o.optional("cbc:BuyerReference", doc.order_reference.as_deref())?;
        if let Some((number, date)) = &doc.corrects {
            o.group("cac:BillingReference", |o| {
                o.group("cac:InvoiceDocumentReference", |o| {
                    o.leaf("cbc:ID", number.trim())?;
                    o.leaf("cbc:IssueDate", &date.to_string())
                })
            })?;
        }
        o.group("cac:AccountingSupplierParty", |o| {
            let seller = &doc.seller;
            let legal_form = [seller.legal_form.trim(), seller.court_register.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            party(o, &seller.party, Some(&legal_form), vat_ids)
        })?;
        o.group("cac:AccountingCustomerParty", |o| {
            party(o, &doc.buyer, None, vat_ids)
        })?;
        payment_means(o, doc)?;
        // BR-CO-25 (removed in CEN 1.3.16, still in older rule files): always a due date and
        // payment terms.
        o.group("cac:PaymentTerms", |o| {
            o.leaf("cbc:Note", &payment_terms(doc))
        })?;
        o.group("cac:TaxTotal", |o| {
            o.amount("cbc:TaxAmount", doc.totals.tax_cents)?;
            doc.totals
                .subtotals
                .iter()
                .try_for_each(|row| tax_subtotal(o, row))
        })?;
        o.group("cac:LegalMonetaryTotal", |o| {
            let t = &doc.totals;
            o.amount("cbc:LineExtensionAmount", t.line_total_cents)?;
            o.amount("cbc:TaxExclusiveAmount", t.tax_exclusive_cents)?;
            o.amount("cbc:TaxInclusiveAmount", t.tax_inclusive_cents)?;
            o.amount("cbc:PayableAmount", t.payable_cents)
        })?;
        doc.lines
            .iter()
            .enumerate()
            .try_for_each(|(i, l)| line(o, credit_note, i + 1, l))
    })?;
    String::from_utf8(out.0.into_inner()).map_err(|e| UblError::Xml(e.to_string()))
}

/// BG-4 / BG-7 `cac:Party`.
fn party(
    o: &mut Out,
    party: &Party,
    legal_form: Option<&str>,
    vat_ids: bool,
) -> Result<(), UblError> {
    o.group("cac:Party", |o| {
        if let Some((scheme, id)) = endpoint(party) {
            o.leaf_with("cbc:EndpointID", &[("schemeID", scheme)], &id)?;
        }
        o.group("cac:PostalAddress", |o| {
            let a = &party.address;
            o.optional("cbc:StreetName", Some(&a.street))?;
            o.optional("cbc:CityName", Some(&a.city))?;
            o.optional("cbc:PostalZone", Some(&a.postcode))?;
            if !a.country.trim().is_empty() {
                o.group("cac:Country", |o| {
                    o.leaf("cbc:IdentificationCode", a.country.trim())
                })?;
            }
            Ok(())
        })?;
        if let Some(vat) = written_vat_number(party).filter(|_| vat_ids) {
            o.group("cac:PartyTaxScheme", |o| {
                o.leaf("cbc:CompanyID", &vat)?;
                o.group("cac:TaxScheme", |o| o.leaf("cbc:ID", "VAT"))
            })?;
        }
        o.group("cac:PartyLegalEntity", |o| {
            o.leaf("cbc:RegistrationName", party.name.trim())?;
            if let Some(number) = written_enterprise_number(party) {
                o.leaf_with("cbc:CompanyID", &[("schemeID", "0208")], &number)?;
            }
            // BT-33, seller additional legal information: legal form and register
            // (art. 2:20 CSA/WVV).
            o.optional("cbc:CompanyLegalForm", legal_form)
        })?;
        if let Some(email) = party.email.as_deref().filter(|e| !e.trim().is_empty()) {
            o.group("cac:Contact", |o| {
                o.leaf("cbc:ElectronicMail", email.trim())
            })?;
        }
        Ok(())
    })
}

/// BG-16: a credit transfer (30) to the seller's IBAN with the structured communication as
/// remittance information (invoicing.md §9.4).
fn payment_means(o: &mut Out, doc: &Document) -> Result<(), UblError> {
    o.group("cac:PaymentMeans", |o| {
        o.leaf_with("cbc:PaymentMeansCode", &[("name", "Credit transfer")], "30")?;
        if doc.kind == DocumentKind::CreditNote {
            o.leaf("cbc:PaymentDueDate", &doc.due_date.to_string())?;
        }
        let payment_id = Ogm::parse(&doc.structured_communication)
            .map(|ogm| ogm.to_string())
            .unwrap_or_else(|_| doc.structured_communication.trim().to_string());
        o.optional("cbc:PaymentID", Some(&payment_id))?;
        let iban = Iban::parse(&doc.seller.iban)
            .map(|iban| iban.as_str().to_string())
            .unwrap_or_else(|_| doc.seller.iban.trim().to_string());
        if !iban.is_empty() {
            o.group("cac:PayeeFinancialAccount", |o| {
                o.leaf("cbc:ID", &iban)?;
                if let Some(bic) = doc.seller.bic.as_deref().filter(|b| !b.trim().is_empty()) {
                    o.group("cac:FinancialInstitutionBranch", |o| {
                        o.leaf("cbc:ID", bic.trim())
                    })?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// BT-20 in the document's language.
pub(crate) fn payment_terms(doc: &Document) -> String {
    let due = format::date(doc.due_date);
    match (doc.kind, doc.language) {
        (DocumentKind::Invoice, Language::Fr) => format!("À payer au plus tard le {due}."),
        (DocumentKind::Invoice, Language::Nl) => format!("Te betalen uiterlijk op {due}."),
        (DocumentKind::Invoice, Language::En) => format!("Payable by {due}."),
        (DocumentKind::CreditNote, Language::Fr) => format!("Remboursement au plus tard le {due}."),
        (DocumentKind::CreditNote, Language::Nl) => format!("Terugbetaling uiterlijk op {due}."),
        (DocumentKind::CreditNote, Language::En) => format!("Refund by {due}."),
    }
}

/// BG-23, one VAT breakdown row.
fn tax_subtotal(o: &mut Out, row: &VatSubtotal) -> Result<(), UblError> {
    o.group("cac:TaxSubtotal", |o| {
        o.amount("cbc:TaxableAmount", row.taxable_cents)?;
        o.amount("cbc:TaxAmount", row.tax_cents)?;
        o.group("cac:TaxCategory", |o| {
            o.leaf("cbc:ID", row.category.code())?;
            rate(o, row.category, row.rate_bp)?;
            let (code, text) = exemption(row.category, row.exemption_reason.as_deref());
            o.optional("cbc:TaxExemptionReasonCode", code)?;
            o.optional("cbc:TaxExemptionReason", text)?;
            vat_scheme(o)
        })
    })
}

/// BT-119 / BT-152: every category but O carries a rate (BR-48; BR-O-05 forbids one on O).
fn rate(o: &mut Out, category: VatCategory, rate_bp: u32) -> Result<(), UblError> {
    if category == VatCategory::O {
        return Ok(());
    }
    o.leaf("cbc:Percent", &percent(rate_bp))
}

fn vat_scheme(o: &mut Out) -> Result<(), UblError> {
    o.group("cac:TaxScheme", |o| o.leaf("cbc:ID", "VAT"))
}

/// (BT-121 code, BT-120 text) of a breakdown row. A reason that is itself a VATEX code is
/// sent as the code; otherwise the text goes with the code the category implies, where one
/// does (the legal mention of E depends on the exemption: no code is guessed).
fn exemption(category: VatCategory, reason: Option<&str>) -> (Option<&str>, Option<&str>) {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(code) = reason.filter(|r| is_vatex(r)) {
        return (Some(code), None);
    }
    let implied = match category {
        VatCategory::AE => Some("VATEX-EU-AE"),
        VatCategory::K => Some("VATEX-EU-IC"),
        VatCategory::G => Some("VATEX-EU-G"),
        VatCategory::O => Some("VATEX-EU-O"),
        VatCategory::S | VatCategory::Z | VatCategory::E => None,
    };
    (implied, reason)
}

pub(crate) fn is_vatex(reason: &str) -> bool {
    reason
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("VATEX-"))
}

/// BG-25: an invoice line, or a credit note line (`cbc:CreditedQuantity`).
fn line(o: &mut Out, credit_note: bool, number: usize, line: &Line) -> Result<(), UblError> {
    let (group, quantity) = if credit_note {
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    } else {
        ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    };
    o.group(group, |o| {
        o.leaf("cbc:ID", &number.to_string())?;
        o.leaf_with(
            quantity,
            &[("unitCode", line.unit.trim())],
            &line.quantity.normalize().to_string(),
        )?;
        o.amount("cbc:LineExtensionAmount", line.net_cents)?;
        o.group("cac:Item", |o| {
            o.leaf("cbc:Name", line.description.trim())?;
            o.group("cac:ClassifiedTaxCategory", |o| {
                o.leaf("cbc:ID", line.vat_category.code())?;
                rate(o, line.vat_category, line.vat_rate_bp)?;
                vat_scheme(o)
            })
        })?;
        o.group("cac:Price", |o| {
            o.leaf_with(
                "cbc:PriceAmount",
                &[("currencyID", CURRENCY)],
                &price(line.unit_price),
            )
        })
    })
}

/// A unit price keeps its precision (BT-146 allows more than two decimals) but shows at
/// least two: `50.00`, `0.125`.
fn price(p: Decimal) -> String {
    let mut p = p.normalize();
    if p.scale() < 2 {
        p.rescale(2);
    }
    p.to_string()
}

/// The XML being written. Writing into a `Vec` cannot fail, but the errors are passed on
/// rather than unwrapped (`From<io::Error>` in `error.rs`).
struct Out(Writer<Vec<u8>>);

impl Out {
    fn group(
        &mut self,
        name: &str,
        inner: impl FnOnce(&mut Out) -> Result<(), UblError>,
    ) -> Result<(), UblError> {
        self.group_with(name, &[], inner)
    }

    fn group_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        inner: impl FnOnce(&mut Out) -> Result<(), UblError>,
    ) -> Result<(), UblError> {
        self.0.write_event(Event::Start(
            BytesStart::new(name).with_attributes(attributes.iter().copied()),
        ))?;
        inner(self)?;
        self.0.write_event(Event::End(BytesEnd::new(name)))?;
        Ok(())
    }

    fn leaf(&mut self, name: &str, text: &str) -> Result<(), UblError> {
        self.leaf_with(name, &[], text)
    }

    fn leaf_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> Result<(), UblError> {
        self.0
            .create_element(name)
            .with_attributes(attributes.iter().copied())
            .write_text_content(BytesText::new(text))?;
        Ok(())
    }

    /// An optional element, left out when blank (PEPPOL-EN16931-R008: no empty elements).
    fn optional(&mut self, name: &str, text: Option<&str>) -> Result<(), UblError> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => self.leaf(name, text),
            None => Ok(()),
        }
    }

    /// An amount in euros, two decimals, with its currency (PEPPOL-EN16931-R051).
    fn amount(&mut self, name: &str, cents: i64) -> Result<(), UblError> {
        self.leaf_with(name, &[("currencyID", CURRENCY)], &amount(cents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_keeps_its_precision_with_at_least_two_decimals() {
        assert_eq!(price(Decimal::new(50, 0)), "50.00");
        assert_eq!(price(Decimal::new(125, 3)), "0.125");
        assert_eq!(price(Decimal::new(12_3000, 4)), "12.30");
    }

    #[test]
    fn a_vatex_reason_is_sent_as_the_code_and_reverse_charge_gets_its_code() {
        assert_eq!(
            exemption(VatCategory::E, Some("VATEX-EU-F")),
            (Some("VATEX-EU-F"), None)
        );
        assert_eq!(
            exemption(VatCategory::AE, Some(" Autoliquidation ")),
            (Some("VATEX-EU-AE"), Some("Autoliquidation"))
        );
        assert_eq!(
            exemption(VatCategory::E, Some("Exempt - art. 44")),
            (None, Some("Exempt - art. 44"))
        );
        assert_eq!(exemption(VatCategory::S, Some("  ")), (None, None));
    }
}
