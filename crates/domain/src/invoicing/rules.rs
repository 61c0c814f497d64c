//! The checks a sales document passes before it is issued: Belgian VAT law (Royal Decree
//! no. 1 art. 5), company law (CSA/WVV art. 2:20), the Code of Economic Law (art. III.25) and
//! the cooperative's own rules. Each check returns every problem it finds, so that the form
//! shows them all at once. The EN 16931 / Peppol rules of the UBL export are in `peppol`.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::document::{Document, DocumentKind, Line, Party, Totals};
use super::error::DocumentError;
use super::numbering::DocumentNumber;
use super::totals::{line_net_cents, totals_of_lines};
use super::vat::{VatCategory, is_valid_rate};
use crate::ident::{EnterpriseNumber, Iban, Ogm, VatNumber};

/// The VAT-number prefixes of the EU Member States: ISO 3166-1 codes, except Greece, whose
/// VAT numbers start with EL (allowed by BR-CO-09), plus XI, Northern Ireland, which stays in
/// the EU VAT area for goods (Windsor Framework) — relevant to K, a supply of goods.
const EU_VAT_PREFIXES: [&str; 28] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
];

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !is_blank(s))
}

/// The country prefix of a VAT number whose shape is plausible: two letters, then 2 to 13
/// letters or digits (spaces and dots allowed). A Belgian one must also pass its check
/// digits (art. 50 VAT Code; `invoicing.md` §8.1).
fn vat_country(vat: &str) -> Option<String> {
    let compact: String = vat
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '\u{a0}'))
        .collect();
    let prefix = compact.get(..2)?.to_ascii_uppercase();
    let rest = compact.get(2..)?;
    let shaped = prefix.bytes().all(|b| b.is_ascii_uppercase())
        && (2..=13).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_alphanumeric());
    if !shaped || (prefix == "BE" && VatNumber::parse(&compact).is_err()) {
        return None;
    }
    Some(prefix)
}

/// An enterprise number as the document stores it for Peppol scheme 0208: exactly the ten
/// digits, with valid check digits (PEPPOL-COMMON-R043).
fn enterprise_number(stored: &str) -> Option<EnterpriseNumber> {
    EnterpriseNumber::parse(stored)
        .ok()
        .filter(|n| n.as_str() == stored)
}

/// The lines: at least one; each described, with a unit, a positive quantity, a price that
/// is not negative and a VAT rate allowed on the issue date.
pub fn check_lines(lines: &[Line], issue_date: Date) -> Vec<DocumentError> {
    let mut errors = Vec::new();
    // Art. 5 §1, 6° Royal Decree no. 1: the document describes what is supplied.
    if lines.is_empty() {
        errors.push(DocumentError::NoLines);
    }
    for (i, l) in lines.iter().enumerate() {
        let line = i + 1;
        if is_blank(&l.description) {
            errors.push(DocumentError::DescriptionEmpty { line });
        }
        if is_blank(&l.unit) {
            errors.push(DocumentError::UnitEmpty { line });
        }
        // A negative quantity would cancel an amount already invoiced: that is a credit
        // note's job (circular AGFisc 15/2015). A credit note lists what it credits with
        // positive quantities too.
        if l.quantity <= Decimal::ZERO {
            errors.push(DocumentError::QuantityNotPositive { line });
        }
        // Art. 5 §1, 7°: the unit price excluding VAT; a discount is its own line or a lower
        // price, never a negative price (EN 16931 BR-27).
        if l.unit_price < Decimal::ZERO {
            errors.push(DocumentError::UnitPriceNegative { line });
        }
        // Art. 5 §1, 8°: the rate in force when the VAT became chargeable (rules/vat.toml).
        if !is_valid_rate(l.vat_category, l.vat_rate_bp, issue_date) {
            errors.push(DocumentError::VatRateNotAllowed {
                line,
                category: l.vat_category,
                rate_bp: l.vat_rate_bp,
                date: issue_date,
            });
        }
    }
    errors
}

/// The buyer's identifiers: valid when given, and present when a line needs them.
pub fn check_buyer(buyer: &Party, lines: &[Line]) -> Vec<DocumentError> {
    let mut errors = Vec::new();
    let vat = given(&buyer.vat_number);
    let country = vat.and_then(vat_country);
    if vat.is_some() && country.is_none() {
        errors.push(DocumentError::BuyerVatNumberInvalid);
    }
    // A Belgian business buyer receives its invoice over Peppol under its enterprise number
    // (scheme 0208, mandatory for domestic B2B since 1 Jan 2026, invoicing.md §2–2.1).
    let enterprise = given(&buyer.enterprise_number);
    let parsed = enterprise.and_then(enterprise_number);
    if enterprise.is_some() && parsed.is_none() {
        errors.push(DocumentError::BuyerEnterpriseNumberInvalid);
    }
    if country.as_deref() == Some("BE") {
        match (enterprise, &parsed, vat.map(VatNumber::parse)) {
            (None, _, _) => errors.push(DocumentError::BuyerEnterpriseNumberMissing),
            (Some(_), Some(n), Some(Ok(v))) if v.enterprise_number() != n => {
                errors.push(DocumentError::BuyerNumbersDiffer);
            }
            _ => {}
        }
    }
    for (i, l) in lines.iter().enumerate() {
        let line = i + 1;
        match l.vat_category {
            // Art. 5 §1, 3° Royal Decree no. 1: the customer's VAT number when the customer
            // owes the tax (art. 51 §2 VAT Code); BR-AE-02.
            VatCategory::AE if country.is_none() => {
                errors.push(DocumentError::ReverseChargeNeedsBuyerVat { line });
            }
            // Art. 39bis VAT Code: the buyer is identified for VAT in another Member State
            // (its VAT number is on the invoice, art. 5 §1, 3°); BR-IC-02.
            VatCategory::K
                if !country
                    .as_deref()
                    .is_some_and(|c| c != "BE" && EU_VAT_PREFIXES.contains(&c)) =>
            {
                errors.push(DocumentError::IntraCommunityNeedsEuBuyerVat { line });
            }
            _ => {}
        }
    }
    errors
}

/// The payment term cannot end before the document exists.
pub fn check_dates(issue_date: Date, due_date: Date) -> Result<(), DocumentError> {
    if due_date < issue_date {
        return Err(DocumentError::DueDateBeforeIssueDate);
    }
    Ok(())
}

/// Every breakdown without Belgian VAT says why (art. 5 §1, 9° Royal Decree no. 1:
/// "the article of the Code or of the Directive"; BR-E-10 and siblings).
pub fn check_exemptions(totals: &Totals) -> Vec<DocumentError> {
    totals
        .subtotals
        .iter()
        .filter(|s| s.category.needs_exemption_reason())
        .filter(|s| given(&s.exemption_reason).is_none())
        .map(|s| DocumentError::ExemptionReasonMissing {
            category: s.category,
        })
        .collect()
}

/// A credit note credits a positive amount, at most what remains of the invoice it corrects
/// once the earlier credit notes are deducted: one cannot cancel more than was invoiced.
pub fn check_credit_note(
    credit_total_cents: i64,
    invoice_total_cents: i64,
    already_credited_cents: i64,
) -> Result<(), DocumentError> {
    if credit_total_cents <= 0 {
        return Err(DocumentError::CreditNoteNotPositive);
    }
    let remaining_cents = invoice_total_cents
        .saturating_sub(already_credited_cents)
        .max(0);
    if credit_total_cents > remaining_cents {
        return Err(DocumentError::CreditExceedsRemaining {
            credit_cents: credit_total_cents,
            remaining_cents,
        });
    }
    Ok(())
}

/// The stored totals are those of the lines (assert the sums before writing and after
/// reading back, DESIGN.md §3).
pub fn check_totals(document: &Document) -> Result<(), DocumentError> {
    let nets_match = document
        .lines
        .iter()
        .all(|l| line_net_cents(l.quantity, l.unit_price) == Some(l.net_cents));
    let expected = totals_of_lines(&document.lines, document.language)?;
    let amounts = |t: &Totals| {
        (
            t.line_total_cents,
            t.tax_exclusive_cents,
            t.tax_cents,
            t.tax_inclusive_cents,
            t.payable_cents,
            t.subtotals
                .iter()
                .map(|s| (s.category, s.rate_bp, s.taxable_cents, s.tax_cents))
                .collect::<Vec<_>>(),
        )
    };
    if !nets_match || amounts(&expected) != amounts(&document.totals) {
        return Err(DocumentError::TotalsMismatch);
    }
    Ok(())
}

/// The mentions the law asks every invoice and credit note to carry.
pub fn check_mentions(document: &Document) -> Vec<DocumentError> {
    let mut errors = Vec::new();
    let missing = |field| DocumentError::MentionMissing { field };
    let invalid = |field| DocumentError::MentionInvalid { field };
    let seller = &document.seller;
    let address_given = |a: &crate::group::Address| {
        !(is_blank(&a.street) || is_blank(&a.postcode) || is_blank(&a.city) || is_blank(&a.country))
    };

    // CSA/WVV art. 2:20: name, legal form, registered office, enterprise number, RPM/RPR
    // with the court; Royal Decree no. 1 art. 5 §1, 2°: name and address of the supplier.
    if is_blank(&seller.party.name) {
        errors.push(missing("seller.name"));
    }
    if is_blank(&seller.legal_form) {
        errors.push(missing("seller.legal_form"));
    }
    if !address_given(&seller.party.address) {
        errors.push(missing("seller.address"));
    }
    let seller_number = given(&seller.party.enterprise_number).map(enterprise_number);
    match seller_number {
        None => errors.push(missing("seller.enterprise_number")),
        Some(None) => errors.push(invalid("seller.enterprise_number")),
        Some(Some(_)) => {}
    }
    let seller_number = seller_number.flatten();
    if is_blank(&seller.court_register) {
        errors.push(missing("seller.court_register"));
    }
    // Art. 5 §1, 2°: the supplier's VAT number, whenever the document is within the scope
    // of VAT (a document only outside its scope, category O, carries none: BR-O-02). The
    // Belgian VAT number is BE + the enterprise number.
    let within_vat = document
        .lines
        .iter()
        .any(|l| l.vat_category != VatCategory::O);
    match given(&seller.party.vat_number).map(VatNumber::parse) {
        None if within_vat => errors.push(missing("seller.vat_number")),
        Some(Err(_)) => errors.push(invalid("seller.vat_number")),
        Some(Ok(v))
            if seller_number
                .as_ref()
                .is_some_and(|n| v.enterprise_number() != n) =>
        {
            errors.push(invalid("seller.vat_number"));
        }
        _ => {}
    }
    // Code of Economic Law art. III.25: at least one payment account.
    if is_blank(&seller.iban) {
        errors.push(missing("seller.iban"));
    } else if Iban::parse(&seller.iban).is_err() {
        errors.push(invalid("seller.iban"));
    }

    // Art. 5 §1, 1°: the sequential number that identifies the document uniquely.
    if is_blank(&document.number) {
        errors.push(missing("number"));
    } else if DocumentNumber::parse(&document.number).is_err() {
        errors.push(invalid("number"));
    }
    // Art. 5 §1, 3°: the customer's name and address.
    if is_blank(&document.buyer.name) {
        errors.push(missing("buyer.name"));
    }
    if !address_given(&document.buyer.address) {
        errors.push(missing("buyer.address"));
    }
    // Not a legal mention but how the cooperative is paid: an invoice carries a valid
    // structured communication, which the bank statement brings back (payments.md).
    let ogm = document.structured_communication.as_str();
    match document.kind {
        DocumentKind::Invoice if is_blank(ogm) => errors.push(missing("structured_communication")),
        _ if !is_blank(ogm) && Ogm::parse(ogm).is_err() => {
            errors.push(invalid("structured_communication"));
        }
        _ => {}
    }
    // A credit note refers to the invoice it corrects, specifically and without ambiguity
    // (circular AGFisc 15/2015; invoicing.md §3.2), an invoice issued no later than itself.
    if document.kind == DocumentKind::CreditNote {
        match &document.corrects {
            Some((number, _)) if is_blank(number) => errors.push(missing("corrects")),
            Some((_, date)) if *date > document.issue_date => errors.push(invalid("corrects")),
            Some(_) => {}
            None => errors.push(missing("corrects")),
        }
    }
    // Art. 5 §1, 9°: the reason for each exemption or reverse charge.
    errors.extend(check_exemptions(&document.totals));
    errors
}

/// Every check that the document itself can answer, before it is issued. The credit-note
/// amount check needs the corrected invoice and its earlier credit notes: the caller runs
/// [`check_credit_note`] as well.
pub fn check_document(document: &Document) -> Result<(), Vec<DocumentError>> {
    let mut errors = check_lines(&document.lines, document.issue_date);
    errors.extend(check_buyer(&document.buyer, &document.lines));
    errors.extend(check_dates(document.issue_date, document.due_date).err());
    errors.extend(check_mentions(document));
    errors.extend(check_totals(document).err());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::invoicing::fixtures::{document_with, invoice, line};
    use crate::invoicing::mentions::legal_statements;
    use jiff::civil::date;

    #[test]
    fn the_reference_invoice_passes_every_check() {
        assert_eq!(check_document(&invoice()), Ok(()));
    }

    #[test]
    fn a_document_needs_at_least_one_line() {
        let mut doc = invoice();
        doc.lines.clear();
        assert!(check_lines(&doc.lines, doc.issue_date).contains(&DocumentError::NoLines));
    }

    #[test]
    fn a_negative_or_zero_quantity_is_refused_because_a_correction_is_a_credit_note() {
        let mut doc = invoice();
        doc.lines[1].quantity = Decimal::from(-1);
        doc.lines[0].quantity = Decimal::ZERO;
        assert_eq!(
            check_lines(&doc.lines, doc.issue_date),
            vec![
                DocumentError::QuantityNotPositive { line: 1 },
                DocumentError::QuantityNotPositive { line: 2 },
            ]
        );
    }

    #[test]
    fn a_negative_unit_price_is_refused_and_a_free_line_accepted() {
        let mut doc = invoice();
        doc.lines[0].unit_price = Decimal::new(-1, 2);
        doc.lines[1].unit_price = Decimal::ZERO;
        assert_eq!(
            check_lines(&doc.lines, doc.issue_date),
            vec![DocumentError::UnitPriceNegative { line: 1 }]
        );
    }

    #[test]
    fn a_line_needs_a_description_and_a_unit() {
        let mut doc = invoice();
        doc.lines[1].description = "  ".to_string();
        doc.lines[1].unit = String::new();
        assert_eq!(
            check_lines(&doc.lines, doc.issue_date),
            vec![
                DocumentError::DescriptionEmpty { line: 2 },
                DocumentError::UnitEmpty { line: 2 },
            ]
        );
    }

    #[test]
    fn a_vat_rate_must_be_in_force_on_the_issue_date() {
        let mut doc = invoice();
        doc.lines[0].vat_rate_bp = 2000;
        doc.lines[1].vat_rate_bp = 600; // an exempt line carries 0
        let errors = check_lines(&doc.lines, doc.issue_date);
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors[0],
            DocumentError::VatRateNotAllowed {
                line: 1,
                category: VatCategory::S,
                rate_bp: 2000,
                date: date(2026, 3, 2),
            }
        );
        assert_eq!(errors[1].field(), "vat_rate");
        assert_eq!(errors[1].line(), Some(2));
    }

    #[test]
    fn a_reverse_charge_needs_the_buyers_vat_number() {
        let mut doc = document_with(DocumentKind::Invoice, &[line(VatCategory::AE, 0, 1, 900)]);
        assert!(check_buyer(&doc.buyer, &doc.lines).is_empty());
        doc.buyer.vat_number = None;
        doc.buyer.enterprise_number = None;
        assert_eq!(
            check_buyer(&doc.buyer, &doc.lines),
            vec![DocumentError::ReverseChargeNeedsBuyerVat { line: 1 }]
        );
    }

    #[test]
    fn an_intra_community_supply_needs_a_vat_number_of_another_member_state() {
        let mut doc = document_with(DocumentKind::Invoice, &[line(VatCategory::K, 0, 3, 120)]);
        // A Belgian buyer is no intra-Community customer.
        assert_eq!(
            check_buyer(&doc.buyer, &doc.lines),
            vec![DocumentError::IntraCommunityNeedsEuBuyerVat { line: 1 }]
        );
        doc.buyer.enterprise_number = None;
        for (vat, ok) in [
            ("NL123456789B01", true),
            ("FR40303265045", true),
            ("EL094014201", true),
            ("XI123456789", true),
            ("CH123456789", false), // not in the EU
            ("GB123456789", false), // left the EU VAT area
        ] {
            doc.buyer.vat_number = Some(vat.to_string());
            assert_eq!(check_buyer(&doc.buyer, &doc.lines).is_empty(), ok, "{vat}");
        }
        doc.buyer.vat_number = None;
        assert!(!check_buyer(&doc.buyer, &doc.lines).is_empty());
    }

    #[test]
    fn a_belgian_business_buyer_needs_a_valid_0208_peppol_id() {
        let mut doc = invoice();
        // The enterprise number of samples/be-test/be-invoice-bad-0208.xml.
        doc.buyer.enterprise_number = Some("0412345615".to_string());
        doc.buyer.vat_number = None;
        assert_eq!(
            check_buyer(&doc.buyer, &doc.lines),
            vec![DocumentError::BuyerEnterpriseNumberInvalid]
        );
        // Peppol 0208 takes the ten digits only (PEPPOL-COMMON-R043).
        doc.buyer.enterprise_number = Some("0202.239.951".to_string());
        assert_eq!(
            check_buyer(&doc.buyer, &doc.lines),
            vec![DocumentError::BuyerEnterpriseNumberInvalid]
        );
        doc.buyer.enterprise_number = None;
        doc.buyer.vat_number = Some("BE0202239951".to_string());
        assert_eq!(
            check_buyer(&doc.buyer, &doc.lines),
            vec![DocumentError::BuyerEnterpriseNumberMissing]
        );
        doc.buyer.enterprise_number = Some("0403170701".to_string());
        assert_eq!(
            check_buyer(&doc.buyer, &doc.lines),
            vec![DocumentError::BuyerNumbersDiffer]
        );
    }

    #[test]
    fn a_buyer_vat_number_with_bad_check_digits_is_refused() {
        let mut doc = invoice();
        doc.buyer.vat_number = Some("BE0412345615".to_string());
        assert!(
            check_buyer(&doc.buyer, &doc.lines).contains(&DocumentError::BuyerVatNumberInvalid)
        );
        doc.buyer.vat_number = Some("123".to_string());
        assert!(
            check_buyer(&doc.buyer, &doc.lines).contains(&DocumentError::BuyerVatNumberInvalid)
        );
    }

    #[test]
    fn a_consumer_needs_no_identifier() {
        let mut doc = invoice();
        doc.buyer.enterprise_number = None;
        doc.buyer.vat_number = Some(String::new());
        assert!(check_buyer(&doc.buyer, &doc.lines).is_empty());
    }

    #[test]
    fn the_due_date_is_not_before_the_issue_date() {
        assert_eq!(
            check_dates(date(2026, 3, 2), date(2026, 3, 1)),
            Err(DocumentError::DueDateBeforeIssueDate)
        );
        assert_eq!(check_dates(date(2026, 3, 2), date(2026, 3, 2)), Ok(()));
    }

    #[test]
    fn an_exempt_line_needs_its_exemption_reason() {
        let mut doc = invoice();
        doc.totals.subtotals[1].exemption_reason = None;
        assert_eq!(
            check_exemptions(&doc.totals),
            vec![DocumentError::ExemptionReasonMissing {
                category: VatCategory::E
            }]
        );
        doc.totals.subtotals[1].exemption_reason = Some(" ".to_string());
        assert_eq!(check_exemptions(&doc.totals).len(), 1);
    }

    #[test]
    fn a_credit_note_never_credits_more_than_remains_of_the_invoice() {
        assert_eq!(check_credit_note(10_000, 50_000, 40_000), Ok(()));
        assert_eq!(
            check_credit_note(10_001, 50_000, 40_000),
            Err(DocumentError::CreditExceedsRemaining {
                credit_cents: 10_001,
                remaining_cents: 10_000
            })
        );
        assert_eq!(
            check_credit_note(1, 50_000, 50_000),
            Err(DocumentError::CreditExceedsRemaining {
                credit_cents: 1,
                remaining_cents: 0
            })
        );
        assert_eq!(
            check_credit_note(0, 50_000, 0),
            Err(DocumentError::CreditNoteNotPositive)
        );
    }

    #[test]
    fn a_document_carries_every_mention_of_the_law() {
        let mut doc = invoice();
        doc.seller.party.name = String::new();
        doc.seller.legal_form = " ".to_string();
        doc.seller.party.address.city = String::new();
        doc.seller.party.enterprise_number = None;
        doc.seller.court_register = String::new();
        doc.seller.party.vat_number = None;
        doc.seller.iban = String::new();
        doc.number = String::new();
        doc.buyer.name = String::new();
        doc.structured_communication = String::new();
        let fields: Vec<_> = check_mentions(&doc).iter().map(|e| e.field()).collect();
        assert_eq!(
            fields,
            vec![
                "seller.name",
                "seller.legal_form",
                "seller.address",
                "seller.enterprise_number",
                "seller.court_register",
                "seller.vat_number",
                "seller.iban",
                "number",
                "buyer.name",
                "structured_communication",
            ]
        );
    }

    #[test]
    fn a_mention_that_is_present_must_also_be_valid() {
        let mut doc = invoice();
        doc.seller.party.enterprise_number = Some("0412345615".to_string());
        doc.seller.iban = "BE69539007547034".to_string();
        doc.number = "F2026-42".to_string();
        doc.structured_communication = "123456789003".to_string();
        let errors = check_mentions(&doc);
        assert_eq!(
            errors,
            vec![
                DocumentError::MentionInvalid {
                    field: "seller.enterprise_number"
                },
                DocumentError::MentionInvalid {
                    field: "seller.iban"
                },
                DocumentError::MentionInvalid { field: "number" },
                DocumentError::MentionInvalid {
                    field: "structured_communication"
                },
            ]
        );
    }

    #[test]
    fn the_seller_vat_number_is_the_enterprise_number_with_be_in_front() {
        let mut doc = invoice();
        doc.seller.party.vat_number = Some("BE0202239951".to_string());
        assert_eq!(
            check_mentions(&doc),
            vec![DocumentError::MentionInvalid {
                field: "seller.vat_number"
            }]
        );
    }

    #[test]
    fn a_document_outside_the_scope_of_vat_needs_no_seller_vat_number() {
        let mut doc = document_with(DocumentKind::Invoice, &[line(VatCategory::O, 0, 1, 100)]);
        doc.seller.party.vat_number = None;
        assert!(check_mentions(&doc).is_empty());
    }

    #[test]
    fn a_credit_note_refers_to_the_invoice_it_corrects() {
        let mut doc = document_with(
            DocumentKind::CreditNote,
            &[line(VatCategory::S, 2100, 1, 65)],
        );
        assert!(check_mentions(&doc).is_empty());
        doc.corrects = Some(("F2026-00042".to_string(), date(2026, 3, 3)));
        assert_eq!(
            check_mentions(&doc),
            vec![DocumentError::MentionInvalid { field: "corrects" }]
        );
        doc.corrects = None;
        assert_eq!(
            check_mentions(&doc),
            vec![DocumentError::MentionMissing { field: "corrects" }]
        );
    }

    #[test]
    fn a_credit_note_that_corrects_vat_states_it_is_to_be_repaid() {
        let doc = document_with(
            DocumentKind::CreditNote,
            &[line(VatCategory::S, 2100, 1, 65)],
        );
        assert_eq!(
            legal_statements(&doc),
            vec!["TVA à reverser à l'État dans la mesure où elle a été initialement déduite"]
        );
        let exempt = document_with(DocumentKind::CreditNote, &[line(VatCategory::E, 0, 1, 65)]);
        assert_eq!(
            legal_statements(&exempt),
            vec!["Exonération de TVA — art. 44 §2, 4° du Code de la TVA"]
        );
        assert_eq!(
            legal_statements(&invoice()),
            vec!["Exonération de TVA — art. 44 §2, 4° du Code de la TVA"]
        );
    }

    #[test]
    fn stored_totals_that_differ_from_the_lines_are_refused() {
        let mut doc = invoice();
        doc.totals.payable_cents -= 100;
        assert_eq!(check_totals(&doc), Err(DocumentError::TotalsMismatch));
        let mut doc = invoice();
        doc.lines[0].net_cents += 1;
        doc.totals.line_total_cents += 1;
        assert_eq!(check_totals(&doc), Err(DocumentError::TotalsMismatch));
        let mut doc = invoice();
        // A mention text edited since the document was issued does not matter.
        doc.totals.subtotals[1].exemption_reason = Some("Exempt – art. 44".to_string());
        assert_eq!(check_totals(&doc), Ok(()));
    }

    #[test]
    fn check_document_reports_every_problem_at_once() {
        let mut doc = invoice();
        doc.due_date = date(2026, 3, 1);
        doc.lines[0].description = String::new();
        doc.seller.court_register = String::new();
        let codes: Vec<_> = check_document(&doc)
            .unwrap_err()
            .iter()
            .map(DocumentError::code)
            .collect();
        assert_eq!(
            codes,
            vec![
                "description-empty",
                "due-date-before-issue-date",
                "mention-missing"
            ]
        );
    }
}
