//! The reader: a Peppol BIS 3.0 `Invoice` or `CreditNote` into the model. What the model
//! cannot hold is named in [`ReadReport::not_kept`] rather than dropped in silence.

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::group::Address;
use ruche_domain::ident::Ogm;
use ruche_domain::invoicing::document::{
    Document, DocumentKind, Line, Party, Seller, Totals, VatSubtotal,
};
use ruche_domain::invoicing::endpoint::endpoint;
use ruche_domain::invoicing::vat::VatCategory;
use rust_decimal::Decimal;

use super::tree::{self, Element};
use super::write::payment_terms;
use super::{parse_amount, parse_percent, xs_decimal};
use crate::UblError;

/// A document read, with what the model could not keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadReport {
    pub document: Document,
    /// BT-5 as written (`EUR`, `GBP`…). The model has no currency: its amounts are the
    /// document's numbers, whatever the currency.
    pub currency: String,
    /// The business terms the XML holds that the model has no place for, or that were
    /// assumed (`"BT-9 due date (absent: the issue date stands in)"`), each once, in the
    /// order met. Empty when the document round-trips whole.
    pub not_kept: Vec<&'static str>,
}

/// Reads a Peppol BIS 3.0 invoice or credit note. See [`read_invoice_report`] for what
/// is lost on the way.
pub fn read_invoice(xml: &str) -> Result<Document, UblError> {
    read_invoice_report(xml).map(|report| report.document)
}

/// Reads a Peppol BIS 3.0 invoice or credit note, and says what the model did not keep.
/// The document is not checked: [`super::check`] says whether it keeps the rules.
pub fn read_invoice_report(xml: &str) -> Result<ReadReport, UblError> {
    let root = tree::parse(xml)?;
    let (kind, type_code, expected_code) = match root.name.as_str() {
        "Invoice" => (DocumentKind::Invoice, "InvoiceTypeCode", "380"),
        "CreditNote" => (DocumentKind::CreditNote, "CreditNoteTypeCode", "381"),
        other => return Err(UblError::NotUbl(other.to_string())),
    };
    let mut lost = Lost(Vec::new());
    lost.unless(
        root.text_at(&[type_code]) == Some(expected_code),
        "BT-3 type code (read as 380 / 381)",
    );
    for (name, term) in DOCUMENT_TERMS_NOT_KEPT {
        lost.unless(root.child(name).is_none(), term);
    }

    let number = required_text(&root, &["ID"], "cbc:ID (BT-1)")?.to_string();
    let issue_date = date(&root, &["IssueDate"], "cbc:IssueDate (BT-2)")?;
    let payment_means = root.child("PaymentMeans");
    let due_date = match root
        .child("DueDate")
        .or_else(|| payment_means.and_then(|p| p.child("PaymentDueDate")))
    {
        Some(due) => parse_date(due, "cbc:DueDate (BT-9)")?,
        None => {
            lost.add("BT-9 due date (absent: the issue date stands in)");
            issue_date
        }
    };
    let currency = required_text(
        &root,
        &["DocumentCurrencyCode"],
        "cbc:DocumentCurrencyCode (BT-5)",
    )?
    .to_string();

    let notes: Vec<&str> = root.all("Note").filter_map(Element::text).collect();
    lost.unless(notes.len() <= 1, "BT-22 more than one note (joined)");
    let note = Some(notes.join("\n")).filter(|n| !n.is_empty());

    let buyer_reference = root.text_at(&["BuyerReference"]);
    let order_id = root.text_at(&["OrderReference", "ID"]);
    lost.unless(
        buyer_reference.is_none() || order_id.is_none() || buyer_reference == order_id,
        "BT-13 purchase order reference (beside the buyer reference)",
    );
    lost.unless(
        root.at(&["OrderReference", "SalesOrderID"]).is_none(),
        "BT-14 sales order reference",
    );
    let order_reference = buyer_reference.or(order_id).map(str::to_string);

    let corrects = corrected_invoice(&root, &mut lost)?;

    let seller_party = root
        .at(&["AccountingSupplierParty", "Party"])
        .ok_or(UblError::Missing(
            "cac:AccountingSupplierParty/cac:Party (BG-4)",
        ))?;
    let buyer_party = root
        .at(&["AccountingCustomerParty", "Party"])
        .ok_or(UblError::Missing(
            "cac:AccountingCustomerParty/cac:Party (BG-7)",
        ))?;
    let (legal_form, court_register) =
        legal_information(seller_party.text_at(&["PartyLegalEntity", "CompanyLegalForm"]));
    let (iban, bic, structured_communication) = payment(&root, &mut lost);
    let seller = Seller {
        party: party(seller_party, Side::Seller, &mut lost),
        legal_form,
        court_register,
        iban,
        bic,
    };
    let buyer = party(buyer_party, Side::Buyer, &mut lost);

    let lines = lines(&root, kind, &mut lost)?;
    let totals = totals(&root, &mut lost)?;

    let mut document = Document {
        kind,
        number,
        issue_date,
        due_date,
        language: Language::default(),
        seller,
        buyer,
        lines,
        totals,
        structured_communication,
        order_reference,
        corrects,
        note,
    };
    // UBL has no document language. The payment terms ruche writes are in it: when the
    // text is one of them, the language is known; otherwise the text is not kept.
    match root.text_at(&["PaymentTerms", "Note"]) {
        None => {}
        Some(terms) => {
            let language = Language::ALL.into_iter().find(|&language| {
                let mut probe = document.clone();
                probe.language = language;
                payment_terms(&probe) == terms
            });
            match language {
                Some(language) => document.language = language,
                None => lost.add("BT-20 payment terms"),
            }
        }
    }
    Ok(ReadReport {
        document,
        currency,
        not_kept: lost.0,
    })
}

/// Document-level elements the model has no place for.
const DOCUMENT_TERMS_NOT_KEPT: [(&str, &str); 15] = [
    ("TaxPointDate", "BT-7 VAT point date"),
    ("TaxCurrencyCode", "BT-6 VAT accounting currency"),
    ("AccountingCost", "BT-19 buyer accounting reference"),
    ("InvoicePeriod", "BG-14 invoicing period"),
    (
        "DespatchDocumentReference",
        "BT-16 despatch advice reference",
    ),
    (
        "ReceiptDocumentReference",
        "BT-15 receiving advice reference",
    ),
    (
        "OriginatorDocumentReference",
        "BT-17 tender or lot reference",
    ),
    ("ContractDocumentReference", "BT-12 contract reference"),
    (
        "AdditionalDocumentReference",
        "BG-24 additional supporting documents",
    ),
    ("ProjectReference", "BT-11 project reference"),
    ("PayeeParty", "BG-10 payee"),
    ("TaxRepresentativeParty", "BG-11 seller tax representative"),
    ("Delivery", "BG-13 delivery information"),
    (
        "AllowanceCharge",
        "BG-20 / BG-21 document-level allowances and charges",
    ),
    ("PrepaidPayment", "prepaid payment"),
];

/// Line-level elements the model has no place for.
const LINE_TERMS_NOT_KEPT: [(&[&str], &str); 13] = [
    (&["Note"], "BT-127 line note"),
    (&["AccountingCost"], "BT-133 line accounting reference"),
    (&["InvoicePeriod"], "BG-26 line period"),
    (&["OrderLineReference"], "BT-132 order line reference"),
    (&["DocumentReference"], "BT-128 line object identifier"),
    (
        &["AllowanceCharge"],
        "BG-27 / BG-28 line allowances and charges",
    ),
    (&["Item", "Description"], "BT-154 item description"),
    (
        &["Item", "SellersItemIdentification"],
        "BT-155 seller's item identifier",
    ),
    (
        &["Item", "BuyersItemIdentification"],
        "BT-156 buyer's item identifier",
    ),
    (
        &["Item", "StandardItemIdentification"],
        "BT-157 item standard identifier",
    ),
    (
        &["Item", "CommodityClassification"],
        "BT-158 item classification",
    ),
    (&["Item", "OriginCountry"], "BT-159 item country of origin"),
    (&["Item", "AdditionalItemProperty"], "BG-32 item attributes"),
];

struct Lost(Vec<&'static str>);

impl Lost {
    fn add(&mut self, term: &'static str) {
        if !self.0.contains(&term) {
            self.0.push(term);
        }
    }

    /// Records `term` unless `kept` holds.
    fn unless(&mut self, kept: bool, term: &'static str) {
        if !kept {
            self.add(term);
        }
    }
}

fn required_text<'a>(
    el: &'a Element,
    path: &[&str],
    what: &'static str,
) -> Result<&'a str, UblError> {
    el.text_at(path).ok_or(UblError::Missing(what))
}

fn date(el: &Element, path: &[&str], what: &'static str) -> Result<Date, UblError> {
    parse_date(el.at(path).ok_or(UblError::Missing(what))?, what)
}

/// `YYYY-MM-DD` (rule PEPPOL-EN16931-F001).
fn parse_date(el: &Element, what: &'static str) -> Result<Date, UblError> {
    let text = el.text().ok_or(UblError::Missing(what))?;
    text.parse::<Date>().map_err(|_| UblError::Invalid {
        path: what,
        value: text.to_string(),
        reason: "not a YYYY-MM-DD date",
    })
}

fn cents(el: &Element, path: &[&str], what: &'static str) -> Result<i64, UblError> {
    let text = required_text(el, path, what)?;
    parse_amount(text).ok_or_else(|| UblError::Invalid {
        path: what,
        value: text.to_string(),
        reason: "not an amount with at most two decimals",
    })
}

fn decimal(el: &Element, path: &[&str], what: &'static str) -> Result<Decimal, UblError> {
    let text = required_text(el, path, what)?;
    xs_decimal(text).ok_or_else(|| UblError::Invalid {
        path: what,
        value: text.to_string(),
        reason: "not a decimal number",
    })
}

fn category(el: &Element, what: &'static str) -> Result<VatCategory, UblError> {
    let text = required_text(el, &["ID"], what)?;
    VatCategory::parse(text).ok_or_else(|| UblError::Invalid {
        path: what,
        value: text.to_string(),
        reason: "not a VAT category of UNCL5305 (S, Z, E, AE, K, G, O)",
    })
}

/// The rate of a tax category; none (category O) reads as 0.
fn rate(el: &Element, what: &'static str) -> Result<u32, UblError> {
    match el.text_at(&["Percent"]) {
        None => Ok(0),
        Some(text) => parse_percent(text).ok_or_else(|| UblError::Invalid {
            path: what,
            value: text.to_string(),
            reason: "not a percentage with at most two decimals",
        }),
    }
}

/// BG-3, the invoice a credit note corrects. The model holds one, with its date.
fn corrected_invoice(root: &Element, lost: &mut Lost) -> Result<Option<(String, Date)>, UblError> {
    let mut references = root.all("BillingReference");
    let Some(first) = references.next() else {
        return Ok(None);
    };
    lost.unless(
        references.next().is_none(),
        "BG-3 more than one preceding invoice",
    );
    let Some(reference) = first.child("InvoiceDocumentReference") else {
        lost.add("BG-3 preceding invoice");
        return Ok(None);
    };
    let Some(number) = reference.text_at(&["ID"]) else {
        lost.add("BG-3 preceding invoice");
        return Ok(None);
    };
    match reference.child("IssueDate") {
        Some(date) => Ok(Some((
            number.to_string(),
            parse_date(date, "cac:InvoiceDocumentReference/cbc:IssueDate (BT-26)")?,
        ))),
        None => {
            lost.add("BT-25 preceding invoice reference (without its issue date BT-26)");
            Ok(None)
        }
    }
}

/// BT-33 as ruche writes it, "legal form, RPM court": split back when the last part is the
/// register (art. 2:20 CSA/WVV), kept whole as the legal form otherwise.
fn legal_information(text: Option<&str>) -> (String, String) {
    let Some(text) = text else {
        return (String::new(), String::new());
    };
    match text.rsplit_once(", ") {
        Some((form, court)) if court.starts_with("RPM") || court.starts_with("RPR") => {
            (form.to_string(), court.to_string())
        }
        _ => (text.to_string(), String::new()),
    }
}

/// (IBAN, BIC, structured communication) of the first payment means.
fn payment(root: &Element, lost: &mut Lost) -> (String, Option<String>, String) {
    let mut all = root.all("PaymentMeans");
    let Some(means) = all.next() else {
        return (String::new(), None, String::new());
    };
    lost.unless(all.next().is_none(), "BG-16 more than one payment means");
    lost.unless(
        matches!(means.text_at(&["PaymentMeansCode"]), Some("30" | "58")),
        "BT-81 payment means other than a credit transfer",
    );
    for (path, term) in [
        (&["PayerFinancialAccount"][..], "BT-91 debited account"),
        (&["PaymentMandate"], "BG-19 direct debit"),
        (&["CardAccount"], "BG-18 payment card"),
        (
            &["PayeeFinancialAccount", "Name"],
            "BT-85 payment account name",
        ),
    ] {
        lost.unless(means.at(path).is_none(), term);
    }
    let iban = means
        .text_at(&["PayeeFinancialAccount", "ID"])
        .unwrap_or_default()
        .to_string();
    let bic = means
        .text_at(&["PayeeFinancialAccount", "FinancialInstitutionBranch", "ID"])
        .map(str::to_string);
    // The model stores an OGM as its 12 digits; any other remittance text as written.
    let communication = match means.text_at(&["PaymentID"]) {
        None => String::new(),
        Some(text) => Ogm::parse(text)
            .map(|ogm| ogm.as_str().to_string())
            .unwrap_or_else(|_| text.to_string()),
    };
    (iban, bic, communication)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Seller,
    Buyer,
}

/// BG-4 / BG-7. The enterprise number comes from any `0208` identifier (the electronic
/// address first, as Peppol routes on it), the VAT number from the VAT tax scheme.
fn party(el: &Element, side: Side, lost: &mut Lost) -> Party {
    let seller = side == Side::Seller;
    let with_scheme = |path: &[&str], scheme: &str| {
        el.at(path)
            .filter(|id| id.attribute("schemeID") == Some(scheme))
            .and_then(Element::text)
    };
    let enterprise_number = with_scheme(&["EndpointID"], "0208")
        .or_else(|| with_scheme(&["PartyLegalEntity", "CompanyID"], "0208"))
        .or_else(|| {
            el.all("PartyIdentification")
                .filter_map(|p| p.child("ID"))
                .find(|id| id.attribute("schemeID") == Some("0208"))
                .and_then(Element::text)
        })
        .map(str::to_string);
    let vat_number = el
        .all("PartyTaxScheme")
        .find(|s| s.text_at(&["TaxScheme", "ID"]) == Some("VAT"))
        .and_then(|s| s.text_at(&["CompanyID"]))
        .or_else(|| with_scheme(&["EndpointID"], "9925"))
        .map(str::to_string);
    lost.unless(
        el.all("PartyTaxScheme")
            .all(|s| s.text_at(&["TaxScheme", "ID"]) == Some("VAT")),
        if seller {
            "BT-32 seller tax registration identifier"
        } else {
            "buyer tax registration identifier"
        },
    );

    let registration_name = el.text_at(&["PartyLegalEntity", "RegistrationName"]);
    let trading_name = el.text_at(&["PartyName", "Name"]);
    lost.unless(
        trading_name.is_none() || trading_name == registration_name,
        if seller {
            "BT-28 seller trading name"
        } else {
            "BT-45 buyer trading name"
        },
    );
    let name = registration_name.or(trading_name).unwrap_or_default();

    let address = el.child("PostalAddress");
    let text = |path: &[&str]| {
        address
            .and_then(|a| a.text_at(path))
            .unwrap_or_default()
            .to_string()
    };
    // The model has one street line: address lines 1 and 2 (BT-35, BT-36) are joined.
    let street = [text(&["StreetName"]), text(&["AdditionalStreetName"])]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    lost.unless(
        address.is_none_or(|a| a.child("AddressLine").is_none()),
        "BT-162 / BT-163 address line 3",
    );
    lost.unless(
        address.is_none_or(|a| a.child("CountrySubentity").is_none()),
        "BT-39 / BT-54 country subdivision",
    );
    let contact = el.child("Contact");
    lost.unless(
        contact.is_none_or(|c| c.child("Name").is_none() && c.child("Telephone").is_none()),
        "BG-6 / BG-9 contact name and telephone",
    );
    let party = Party {
        name: name.to_string(),
        address: Address {
            street,
            postcode: text(&["PostalZone"]),
            city: text(&["CityName"]),
            country: text(&["Country", "IdentificationCode"]),
        },
        enterprise_number,
        vat_number,
        email: contact
            .and_then(|c| c.text_at(&["ElectronicMail"]))
            .map(str::to_string),
    };

    // Identifiers the model keeps only as the enterprise and VAT numbers.
    let written = el
        .child("EndpointID")
        .and_then(|id| Some((id.attribute("schemeID")?, id.text()?)));
    let derived = endpoint(&party);
    lost.unless(
        written.is_none()
            || derived
                .as_ref()
                .is_some_and(|(s, v)| written == Some((*s, v.as_str()))),
        if seller {
            "BT-34 seller electronic address (scheme other than 0208 or VAT)"
        } else {
            "BT-49 buyer electronic address (scheme other than 0208 or VAT)"
        },
    );
    let legal_id = el
        .child("PartyLegalEntity")
        .and_then(|l| l.child("CompanyID"));
    lost.unless(
        legal_id.is_none_or(|id| {
            id.attribute("schemeID") == Some("0208")
                && id.text() == party.enterprise_number.as_deref()
        }),
        if seller {
            "BT-30 seller legal registration identifier (other than 0208)"
        } else {
            "BT-47 buyer legal registration identifier (other than 0208)"
        },
    );
    lost.unless(
        el.all("PartyIdentification").all(|p| {
            p.child("ID").is_some_and(|id| {
                id.attribute("schemeID") == Some("0208")
                    && id.text() == party.enterprise_number.as_deref()
            })
        }),
        if seller {
            "BT-29 seller identifier"
        } else {
            "BT-46 buyer identifier"
        },
    );
    if !seller {
        lost.unless(
            el.at(&["PartyLegalEntity", "CompanyLegalForm"]).is_none(),
            "buyer legal form",
        );
    }
    party
}

/// BG-25 (`cac:InvoiceLine` or `cac:CreditNoteLine`).
fn lines(root: &Element, kind: DocumentKind, lost: &mut Lost) -> Result<Vec<Line>, UblError> {
    let (name, quantity_name, missing_line, quantity_path) = match kind {
        DocumentKind::Invoice => (
            "InvoiceLine",
            "InvoicedQuantity",
            "cac:InvoiceLine (BG-25)",
            "cbc:InvoicedQuantity (BT-129)",
        ),
        DocumentKind::CreditNote => (
            "CreditNoteLine",
            "CreditedQuantity",
            "cac:CreditNoteLine (BG-25)",
            "cbc:CreditedQuantity (BT-129)",
        ),
    };
    let mut lines = Vec::new();
    for el in root.all(name) {
        for (path, term) in LINE_TERMS_NOT_KEPT {
            lost.unless(el.at(path).is_none(), term);
        }
        let price = el
            .child("Price")
            .ok_or(UblError::Missing("cac:Price (BG-29)"))?;
        lost.unless(
            price.child("AllowanceCharge").is_none(),
            "BT-147 / BT-148 price discount and gross price",
        );
        let base_quantity = price.text_at(&["BaseQuantity"]).and_then(xs_decimal);
        lost.unless(
            base_quantity.is_none_or(|q| q == Decimal::ONE),
            "BT-149 price base quantity other than 1 (price read per base quantity)",
        );
        let quantity = el
            .child(quantity_name)
            .ok_or(UblError::Missing(quantity_path))?;
        let item = el
            .child("Item")
            .ok_or(UblError::Missing("cac:Item (BG-31)"))?;
        let tax = item
            .child("ClassifiedTaxCategory")
            .ok_or(UblError::Missing("cac:ClassifiedTaxCategory (BG-30)"))?;
        lines.push(Line {
            description: item
                .text_at(&["Name"])
                .or_else(|| item.text_at(&["Description"]))
                .unwrap_or_default()
                .to_string(),
            quantity: decimal(quantity, &[], quantity_path)?,
            unit: quantity
                .attribute("unitCode")
                .unwrap_or_default()
                .to_string(),
            unit_price: decimal(price, &["PriceAmount"], "cbc:PriceAmount (BT-146)")?,
            vat_category: category(tax, "cac:ClassifiedTaxCategory/cbc:ID (BT-151)")?,
            vat_rate_bp: rate(tax, "cac:ClassifiedTaxCategory/cbc:Percent (BT-152)")?,
            net_cents: cents(
                el,
                &["LineExtensionAmount"],
                "cbc:LineExtensionAmount (BT-131)",
            )?,
        });
    }
    if lines.is_empty() {
        return Err(UblError::Missing(missing_line));
    }
    Ok(lines)
}

/// BG-22 and BG-23.
fn totals(root: &Element, lost: &mut Lost) -> Result<Totals, UblError> {
    let total = root
        .child("LegalMonetaryTotal")
        .ok_or(UblError::Missing("cac:LegalMonetaryTotal (BG-22)"))?;
    for (name, term) in [
        ("AllowanceTotalAmount", "BT-107 sum of allowances"),
        ("ChargeTotalAmount", "BT-108 sum of charges"),
        ("PrepaidAmount", "BT-113 paid amount"),
        ("PayableRoundingAmount", "BT-114 rounding amount"),
    ] {
        let zero = total
            .text_at(&[name])
            .is_none_or(|t| parse_amount(t) == Some(0));
        lost.unless(zero, term);
    }
    // PEPPOL-EN16931-R053: one TaxTotal with the breakdown; a second, without one, holds
    // the VAT in accounting currency (BT-111).
    let mut tax_totals: Vec<&Element> = root.all("TaxTotal").collect();
    lost.unless(
        tax_totals.len() <= 1,
        "BT-111 VAT total in accounting currency",
    );
    tax_totals.sort_by_key(|t| t.child("TaxSubtotal").is_none());
    let tax_total = tax_totals
        .first()
        .ok_or(UblError::Missing("cac:TaxTotal (BT-110)"))?;
    let mut subtotals = Vec::new();
    for row in tax_total.all("TaxSubtotal") {
        let category_el = row.child("TaxCategory").ok_or(UblError::Missing(
            "cac:TaxSubtotal/cac:TaxCategory (BT-118)",
        ))?;
        subtotals.push(VatSubtotal {
            category: category(category_el, "cac:TaxCategory/cbc:ID (BT-118)")?,
            rate_bp: rate(category_el, "cac:TaxCategory/cbc:Percent (BT-119)")?,
            taxable_cents: cents(row, &["TaxableAmount"], "cbc:TaxableAmount (BT-116)")?,
            tax_cents: cents(row, &["TaxAmount"], "cbc:TaxAmount (BT-117)")?,
            // The text, else the VATEX code (the writer sends a code back as a code).
            exemption_reason: category_el
                .text_at(&["TaxExemptionReason"])
                .or_else(|| category_el.text_at(&["TaxExemptionReasonCode"]))
                .map(str::to_string),
        });
    }
    Ok(Totals {
        line_total_cents: cents(
            total,
            &["LineExtensionAmount"],
            "cbc:LineExtensionAmount (BT-106)",
        )?,
        tax_exclusive_cents: cents(
            total,
            &["TaxExclusiveAmount"],
            "cbc:TaxExclusiveAmount (BT-109)",
        )?,
        tax_cents: cents(
            tax_total,
            &["TaxAmount"],
            "cac:TaxTotal/cbc:TaxAmount (BT-110)",
        )?,
        tax_inclusive_cents: cents(
            total,
            &["TaxInclusiveAmount"],
            "cbc:TaxInclusiveAmount (BT-112)",
        )?,
        payable_cents: cents(total, &["PayableAmount"], "cbc:PayableAmount (BT-115)")?,
        subtotals,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_register_is_split_from_the_legal_form_when_ruche_wrote_both() {
        assert_eq!(
            legal_information(Some("SCES agréée, RPM Bruxelles")),
            ("SCES agréée".into(), "RPM Bruxelles".into())
        );
        assert_eq!(
            legal_information(Some("Share capital 10 000, Oslo")),
            ("Share capital 10 000, Oslo".into(), String::new())
        );
        assert_eq!(legal_information(None), (String::new(), String::new()));
    }

    #[test]
    fn another_root_element_is_not_a_ubl_invoice() {
        assert_eq!(
            read_invoice("<Order/>"),
            Err(UblError::NotUbl("Order".into()))
        );
    }

    #[test]
    fn a_date_in_another_format_is_refused_with_its_path() {
        let xml = r#"<Invoice><cbc:ID xmlns:cbc="urn:x">1</cbc:ID><IssueDate>02/03/2026</IssueDate></Invoice>"#;
        assert!(matches!(
            read_invoice(xml),
            Err(UblError::Invalid {
                path: "cbc:IssueDate (BT-2)",
                ..
            })
        ));
    }
}
