//! UBL 2.1 / Peppol BIS 3.0: what ruche writes validates against the UBL XSD and reads back
//! whole; the public and synthetic samples read, and the business-rule check catches what
//! the official rules catch.
//!
//! The XSD and the samples live in `shared/` beside the checkout (`../shared`). When it is
//! absent the tests that need it say so on their output and pass: they never copy the
//! schemas into the repository. XSD validation runs Debian's `xmllint` (package
//! `libxml2-utils`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jiff::civil::{Date, date};
use ruche_domain::Language;
use ruche_domain::group::Address;
use ruche_domain::invoicing::document::{
    Document, DocumentKind, Line, Party, Seller, Totals, VatSubtotal,
};
use ruche_domain::invoicing::vat::VatCategory;
use ruche_formats::UblError;
use ruche_formats::ubl::{check, read_invoice, read_invoice_report, write_invoice};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

/// `shared/<path>`, or `None` (with a line saying the test is skipped) when `shared/` is
/// not beside the checkout.
fn shared(path: &str, test: &str) -> Option<PathBuf> {
    let root = Path::new(SHARED);
    if root.is_dir() {
        Some(root.join(path))
    } else {
        let line = format!("SKIPPED {test}: {SHARED} is absent (no UBL schemas nor samples)");
        println!("{line}");
        eprintln!("{line}");
        None
    }
}

/// Validates `xml` with `xmllint --noout --schema` against the UBL 2.1 main schema `xsd`.
fn assert_xsd_valid(xml: &str, xsd: &Path, what: &str) {
    let mut child = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint validates UBL against the XSD and is missing ({e}): \
                 apt-get install -y libxml2-utils"
            )
        });
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{what} is not valid against {}:\n{}\n{xml}",
        xsd.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn xsd_for(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Invoice => "schemas/ubl-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd",
        DocumentKind::CreditNote => "schemas/ubl-2.1/xsd/maindoc/UBL-CreditNote-2.1.xsd",
    }
}

// ---------------------------------------------------------------------------- documents

fn address(street: &str, postcode: &str, city: &str) -> Address {
    Address {
        street: street.into(),
        postcode: postcode.into(),
        city: city.into(),
        country: "BE".into(),
    }
}

fn seller() -> Seller {
    Seller {
        party: Party {
            name: "Ruche SC".into(),
            address: address("Rue de l'Exemple 1", "1000", "Bruxelles"),
            enterprise_number: Some("0812345603".into()),
            vat_number: Some("BE0812345603".into()),
            email: Some("factures@ruche.example".into()),
        },
        legal_form: "SCES agréée / erkende CVSO".into(),
        court_register: "RPM Bruxelles".into(),
        iban: "BE68539007547034".into(),
        bic: Some("GEBABEBB".into()),
    }
}

fn buyer() -> Party {
    Party {
        name: "Client & Fils BV".into(),
        address: address("Voorbeeldstraat 2", "9000", "Gent"),
        enterprise_number: Some("0412345614".into()),
        vat_number: Some("BE0412345614".into()),
        email: None,
    }
}

/// A line: description, quantity, unit, unit price, category, rate in basis points.
type L = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    VatCategory,
    u32,
);

fn cents(d: Decimal) -> i64 {
    (d * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap()
}

/// A consistent document: nets, breakdown and totals computed the way EN 16931 asks
/// (VAT per rate on the rate's total).
fn document(kind: DocumentKind, lines: &[L], reasons: &[(VatCategory, &str)]) -> Document {
    let lines: Vec<Line> = lines
        .iter()
        .map(
            |&(description, quantity, unit, price, vat_category, vat_rate_bp)| {
                let quantity: Decimal = quantity.parse().unwrap();
                let unit_price: Decimal = price.parse().unwrap();
                Line {
                    description: description.into(),
                    quantity,
                    unit: unit.into(),
                    unit_price,
                    vat_category,
                    vat_rate_bp,
                    net_cents: cents(quantity * unit_price),
                }
            },
        )
        .collect();
    let mut subtotals: Vec<VatSubtotal> = Vec::new();
    for line in &lines {
        match subtotals
            .iter_mut()
            .find(|s| s.category == line.vat_category && s.rate_bp == line.vat_rate_bp)
        {
            Some(row) => row.taxable_cents += line.net_cents,
            None => subtotals.push(VatSubtotal {
                category: line.vat_category,
                rate_bp: line.vat_rate_bp,
                taxable_cents: line.net_cents,
                tax_cents: 0,
                exemption_reason: reasons
                    .iter()
                    .find(|(c, _)| *c == line.vat_category)
                    .map(|(_, r)| r.to_string()),
            }),
        }
    }
    for row in &mut subtotals {
        row.tax_cents =
            cents(Decimal::new(row.taxable_cents, 2) * Decimal::new(i64::from(row.rate_bp), 4));
    }
    let line_total: i64 = lines.iter().map(|l| l.net_cents).sum();
    let tax: i64 = subtotals.iter().map(|s| s.tax_cents).sum();
    let credit_note = kind == DocumentKind::CreditNote;
    Document {
        kind,
        number: if credit_note {
            "NC2026-000007"
        } else {
            "F2026-000042"
        }
        .into(),
        issue_date: date(2026, 3, 2),
        due_date: date(2026, 4, 1),
        language: Language::Fr,
        seller: seller(),
        buyer: buyer(),
        lines,
        totals: Totals {
            line_total_cents: line_total,
            tax_exclusive_cents: line_total,
            tax_cents: tax,
            tax_inclusive_cents: line_total + tax,
            payable_cents: line_total + tax,
            subtotals,
        },
        structured_communication: "202600004236".into(),
        order_reference: Some("PO-7781".into()),
        corrects: credit_note.then(|| ("F2026-000041".to_string(), date(2026, 2, 27))),
        note: credit_note.then(|| {
            "TVA à reverser à l'État dans la mesure où elle a été initialement déduite.".into()
        }),
    }
}

const ART_44: &str =
    "Exemption de TVA - art. 44 §2, 4° a) du Code de la TVA (formation professionnelle)";
const REVERSE_CHARGE: &str = "Autoliquidation - art. 51 §2, 5° du Code de la TVA";

fn s21_invoice() -> Document {
    document(
        DocumentKind::Invoice,
        &[(
            "Accompagnement <atelier> & suivi",
            "2",
            "HUR",
            "50",
            VatCategory::S,
            2100,
        )],
        &[],
    )
}

/// The documents ruche writes, by name.
fn ruche_documents() -> Vec<(&'static str, Document)> {
    let mixed = document(
        DocumentKind::Invoice,
        &[
            ("Conseil", "3.5", "HUR", "65.00", VatCategory::S, 2100),
            ("Livres", "3", "C62", "12.99", VatCategory::S, 600),
            (
                "Frais de déplacement",
                "42",
                "KMT",
                "0.4269",
                VatCategory::S,
                2100,
            ),
        ],
        &[],
    );
    let training = document(
        DocumentKind::Invoice,
        &[("Journée de formation", "2", "DAY", "480", VatCategory::E, 0)],
        &[(VatCategory::E, ART_44)],
    );
    let reverse_charge = document(
        DocumentKind::Invoice,
        &[(
            "Travaux de rénovation",
            "1",
            "C62",
            "2500",
            VatCategory::AE,
            0,
        )],
        &[(VatCategory::AE, REVERSE_CHARGE)],
    );
    let credit_note = document(
        DocumentKind::CreditNote,
        &[(
            "Accompagnement, heure non prestée",
            "1",
            "HUR",
            "50",
            VatCategory::S,
            2100,
        )],
        &[],
    );
    vec![
        ("S 21 % invoice", s21_invoice()),
        ("mixed 21 / 6 % invoice", mixed),
        ("E art. 44 training invoice", training),
        ("AE reverse-charge invoice", reverse_charge),
        ("credit note", credit_note),
    ]
}

/// The XML without the line breaks and indentation between elements.
fn without_indentation(xml: &str) -> String {
    xml.lines().map(str::trim).collect()
}

fn rules(doc: &Document) -> Vec<&'static str> {
    check(doc).into_iter().map(|v| v.rule).collect()
}

// ------------------------------------------------------------------- (a) what ruche writes

#[test]
fn the_documents_ruche_writes_keep_every_rule() {
    for (name, doc) in ruche_documents() {
        assert_eq!(check(&doc), vec![], "{name}");
    }
}

#[test]
fn the_documents_ruche_writes_are_valid_against_the_ubl_xsd() {
    let test = "the_documents_ruche_writes_are_valid_against_the_ubl_xsd";
    let Some(shared) = shared("", test) else {
        return;
    };
    for (name, doc) in ruche_documents() {
        let xml = write_invoice(&doc).unwrap();
        assert_xsd_valid(&xml, &shared.join(xsd_for(doc.kind)), name);
    }
}

#[test]
fn the_documents_ruche_writes_read_back_whole() {
    for (name, doc) in ruche_documents() {
        let xml = write_invoice(&doc).unwrap();
        let report = read_invoice_report(&xml).unwrap();
        assert_eq!(report.not_kept, Vec::<&str>::new(), "{name}");
        assert_eq!(report.currency, "EUR");
        assert_eq!(report.document, doc, "{name}:\n{xml}");
    }
}

#[test]
fn the_language_is_read_back_from_the_payment_terms() {
    for language in Language::ALL {
        let mut doc = s21_invoice();
        doc.language = language;
        let read = read_invoice(&write_invoice(&doc).unwrap()).unwrap();
        assert_eq!(read.language, language);
    }
}

#[test]
fn an_invoice_carries_the_peppol_identifiers_and_the_belgian_payment_details() {
    let xml = write_invoice(&s21_invoice()).unwrap();
    for expected in [
        "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>",
        "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>",
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        r#"<cbc:EndpointID schemeID="0208">0812345603</cbc:EndpointID>"#,
        r#"<cbc:EndpointID schemeID="0208">0412345614</cbc:EndpointID>"#,
        "<cbc:CompanyID>BE0812345603</cbc:CompanyID>",
        r#"<cbc:CompanyID schemeID="0208">0812345603</cbc:CompanyID>"#,
        r#"<cbc:PaymentMeansCode name="Credit transfer">30</cbc:PaymentMeansCode>"#,
        "<cbc:PaymentID>+++202/6000/04236+++</cbc:PaymentID>",
        "<cbc:ID>BE68539007547034</cbc:ID>",
        r#"<cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>"#,
        r#"<cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>"#,
        r#"<cbc:PriceAmount currencyID="EUR">50.00</cbc:PriceAmount>"#,
        "<cbc:Name>Accompagnement &lt;atelier&gt; &amp; suivi</cbc:Name>",
        "<cbc:BuyerReference>PO-7781</cbc:BuyerReference>",
        "<cbc:Note>À payer au plus tard le 01/04/2026.</cbc:Note>",
    ] {
        assert!(xml.contains(expected), "{expected} missing in\n{xml}");
    }
}

#[test]
fn a_credit_note_has_its_own_root_lines_and_reference_to_the_invoice() {
    let doc = ruche_documents().pop().unwrap().1;
    let xml = without_indentation(&write_invoice(&doc).unwrap());
    for expected in [
        "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"",
        "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        "<cac:CreditNoteLine>",
        r#"<cbc:CreditedQuantity unitCode="HUR">1</cbc:CreditedQuantity>"#,
        "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F2026-000041</cbc:ID><cbc:IssueDate>2026-02-27</cbc:IssueDate>",
        "<cbc:PaymentDueDate>2026-04-01</cbc:PaymentDueDate>",
    ] {
        assert!(xml.contains(expected), "{expected} missing in\n{xml}");
    }
    assert!(!xml.contains("InvoiceLine") && !xml.contains("<cbc:DueDate>"));
}

#[test]
fn exempt_and_reverse_charge_rows_carry_their_legal_mention() {
    let docs = ruche_documents();
    let training = write_invoice(&docs[2].1).unwrap();
    assert!(training.contains(&format!(
        "<cbc:TaxExemptionReason>{ART_44}</cbc:TaxExemptionReason>"
    )));
    let reverse = write_invoice(&docs[3].1).unwrap();
    assert!(
        reverse.contains("<cbc:TaxExemptionReasonCode>VATEX-EU-AE</cbc:TaxExemptionReasonCode>")
    );
    assert!(reverse.contains(&format!(
        "<cbc:TaxExemptionReason>{REVERSE_CHARGE}</cbc:TaxExemptionReason>"
    )));
    // A VAT rate is never written on the lines or rows of a category that has none.
    assert!(
        without_indentation(&reverse).contains("<cbc:ID>AE</cbc:ID><cbc:Percent>0</cbc:Percent>")
    );
}

// --------------------------------------------------------------------- (b) the samples

fn sample_paths(test: &str) -> Option<Vec<PathBuf>> {
    let peppol = shared("samples/peppol", test)?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&peppol)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 4,
        "the Peppol samples are missing from {}",
        peppol.display()
    );
    paths.push(Path::new(SHARED).join("samples/be-test/be-invoice-minimal.xml"));
    Some(paths)
}

#[test]
fn every_sample_is_read_with_its_totals() {
    let Some(paths) = sample_paths("every_sample_is_read_with_its_totals") else {
        return;
    };
    for path in paths {
        let xml = std::fs::read_to_string(&path).unwrap();
        let report =
            read_invoice_report(&xml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let t = &report.document.totals;
        // Each total as the XML says it, for the record of what the model holds.
        println!(
            "{}: {} {} lines, BT-106 {} BT-109 {} BT-110 {} BT-112 {} BT-115 {}, {} VAT rows; \
             not kept: {:?}; rules broken as read: {:?}",
            path.file_name().unwrap().to_string_lossy(),
            report.currency,
            report.document.lines.len(),
            t.line_total_cents,
            t.tax_exclusive_cents,
            t.tax_cents,
            t.tax_inclusive_cents,
            t.payable_cents,
            t.subtotals.len(),
            report.not_kept,
            rules(&report.document)
        );
        assert!(!t.subtotals.is_empty());
        assert_eq!(
            t.subtotals.iter().map(|s| s.tax_cents).sum::<i64>(),
            t.tax_cents,
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_belgian_minimal_sample_keeps_every_rule_and_round_trips_through_the_writer() {
    let test = "the_belgian_minimal_sample_keeps_every_rule_and_round_trips_through_the_writer";
    let Some(path) = shared("samples/be-test/be-invoice-minimal.xml", test) else {
        return;
    };
    let xml = std::fs::read_to_string(path).unwrap();
    let doc = read_invoice(&xml).unwrap();
    assert_eq!(check(&doc), vec![]);
    assert_eq!(doc.number, "2026-000042");
    assert_eq!(doc.structured_communication, "202600004236");
    assert_eq!(doc.order_reference.as_deref(), Some("PO-7781"));
    assert_eq!(
        doc.seller.party.enterprise_number.as_deref(),
        Some("0812345603")
    );
    assert_eq!(doc.buyer.vat_number.as_deref(), Some("BE0412345614"));
    assert_eq!(doc.totals.payable_cents, 62100);
    assert_eq!(doc.totals.subtotals[1].category, VatCategory::E);
    assert!(
        doc.totals.subtotals[1]
            .exemption_reason
            .as_deref()
            .unwrap()
            .contains("art. 44")
    );

    let written = write_invoice(&doc).unwrap();
    assert_xsd_valid(
        &written,
        &Path::new(SHARED).join(xsd_for(DocumentKind::Invoice)),
        "be-invoice-minimal.xml written back",
    );
    let again = read_invoice_report(&written).unwrap();
    assert_eq!(again.document, doc);
    assert_eq!(again.not_kept, Vec::<&str>::new());
}

#[test]
fn a_sample_with_a_date_the_xsd_refuses_is_not_read() {
    let test = "a_sample_with_a_date_the_xsd_refuses_is_not_read";
    let Some(path) = shared("samples/be-test/be-invoice-bad-date-xsd.xml", test) else {
        return;
    };
    let xml = std::fs::read_to_string(path).unwrap();
    assert!(matches!(
        read_invoice(&xml),
        Err(UblError::Invalid {
            path: "cbc:IssueDate (BT-2)",
            ..
        })
    ));
}

// --------------------------------------------------------- (c) the defective Belgian samples

#[test]
fn a_wrong_enterprise_number_is_caught_as_peppol_common_r043() {
    let test = "a_wrong_enterprise_number_is_caught_as_peppol_common_r043";
    let Some(path) = shared("samples/be-test/be-invoice-bad-0208.xml", test) else {
        return;
    };
    let doc = read_invoice(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc.buyer.enterprise_number.as_deref(), Some("0412345615"));
    assert_eq!(rules(&doc), vec!["PEPPOL-COMMON-R043"]);
    assert!(
        matches!(write_invoice(&doc), Err(UblError::Rules(v)) if v[0].rule == "PEPPOL-COMMON-R043")
    );
}

#[test]
fn a_wrong_amount_due_and_a_missing_buyer_reference_are_caught() {
    let test = "a_wrong_amount_due_and_a_missing_buyer_reference_are_caught";
    let Some(path) = shared("samples/be-test/be-invoice-bad-totals.xml", test) else {
        return;
    };
    let doc = read_invoice(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc.totals.payable_cents, 62000);
    let mut found = rules(&doc);
    found.sort();
    // The same verdicts as the official CEN (BR-CO-16) and Peppol (R003) rules.
    assert_eq!(found, vec!["BR-CO-16", "PEPPOL-EN16931-R003"]);
}

// ------------------------------------------------------ (d) inconsistent documents refused

fn refused_for(doc: &Document) -> Vec<&'static str> {
    match write_invoice(doc) {
        Err(UblError::Rules(violations)) => violations.into_iter().map(|v| v.rule).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_document_whose_totals_do_not_add_up_is_refused() {
    let mut doc = s21_invoice();
    doc.totals.payable_cents += 1;
    assert_eq!(refused_for(&doc), vec!["BR-CO-16"]);

    let mut doc = s21_invoice();
    doc.totals.line_total_cents -= 100;
    doc.totals.tax_exclusive_cents -= 100;
    doc.totals.tax_inclusive_cents -= 100;
    doc.totals.payable_cents -= 100;
    assert_eq!(refused_for(&doc), vec!["BR-CO-10"]);

    let mut doc = s21_invoice();
    doc.totals.tax_inclusive_cents += 5;
    doc.totals.payable_cents += 5;
    assert_eq!(refused_for(&doc), vec!["BR-CO-15"]);

    let mut doc = s21_invoice();
    doc.totals.tax_exclusive_cents += 100;
    doc.totals.tax_inclusive_cents += 100;
    doc.totals.payable_cents += 100;
    assert_eq!(refused_for(&doc), vec!["BR-CO-13"]);
}

#[test]
fn vat_that_is_not_the_rate_of_its_row_is_refused() {
    // One cent off: the CEN rule now tolerates ±1.00, ruche does not (see the module doc).
    let mut doc = s21_invoice();
    doc.totals.subtotals[0].tax_cents += 1;
    doc.totals.tax_cents += 1;
    doc.totals.tax_inclusive_cents += 1;
    doc.totals.payable_cents += 1;
    assert_eq!(refused_for(&doc), vec!["BR-CO-17"]);

    let mut doc = s21_invoice();
    doc.totals.tax_cents += 1;
    doc.totals.tax_inclusive_cents += 1;
    doc.totals.payable_cents += 1;
    assert_eq!(refused_for(&doc), vec!["BR-CO-14"]);
}

#[test]
fn vat_is_rounded_half_away_from_zero_per_rate() {
    // 0.50 × 21 % = 0.105 → 0.11
    let doc = document(
        DocumentKind::Invoice,
        &[("Photocopie", "1", "C62", "0.50", VatCategory::S, 2100)],
        &[],
    );
    assert_eq!(doc.totals.tax_cents, 11);
    assert_eq!(check(&doc), vec![]);
}

#[test]
fn a_line_whose_net_is_not_quantity_times_price_is_refused() {
    let mut doc = s21_invoice();
    doc.lines[0].unit_price = Decimal::new(51, 0);
    assert_eq!(refused_for(&doc), vec!["PEPPOL-EN16931-R120"]);
}

#[test]
fn a_breakdown_row_that_is_not_the_sum_of_its_lines_is_refused() {
    let mut doc = ruche_documents().remove(1).1;
    doc.lines[1].vat_rate_bp = 1200; // the 6 % books now sit at 12 %: no row for them
    let found = refused_for(&doc);
    assert!(found.contains(&"BR-S-08"), "{found:?}");
}

// ------------------------------------------------------------- the other rules, one by one

#[test]
fn a_missing_buyer_reference_is_refused() {
    let mut doc = s21_invoice();
    doc.order_reference = Some("  ".into());
    assert_eq!(refused_for(&doc), vec!["PEPPOL-EN16931-R003"]);
}

#[test]
fn an_exempt_row_without_its_legal_mention_is_refused() {
    let mut doc = ruche_documents().remove(2).1;
    doc.totals.subtotals[0].exemption_reason = None;
    assert_eq!(refused_for(&doc), vec!["BR-E-10"]);
}

#[test]
fn a_standard_row_with_an_exemption_reason_is_refused() {
    let mut doc = s21_invoice();
    doc.totals.subtotals[0].exemption_reason = Some("exempt".into());
    assert_eq!(refused_for(&doc), vec!["BR-S-10"]);
}

#[test]
fn a_reverse_charge_needs_both_vat_numbers_and_no_vat() {
    let mut doc = ruche_documents().remove(3).1;
    doc.seller.party.vat_number = None;
    assert_eq!(refused_for(&doc), vec!["BR-AE-02"]);

    let mut doc = ruche_documents().remove(3).1;
    doc.buyer.vat_number = None;
    doc.buyer.enterprise_number = None;
    // The buyer then has no electronic address either.
    assert_eq!(refused_for(&doc), vec!["PEPPOL-EN16931-R010", "BR-AE-02"]);

    let mut doc = ruche_documents().remove(3).1;
    doc.totals.subtotals[0].tax_cents = 525;
    doc.totals.tax_cents = 525;
    doc.totals.tax_inclusive_cents += 525;
    doc.totals.payable_cents += 525;
    assert_eq!(refused_for(&doc), vec!["BR-AE-09"]);

    let mut doc = ruche_documents().remove(3).1;
    doc.lines[0].vat_rate_bp = 2100;
    let found = refused_for(&doc);
    assert!(found.contains(&"BR-AE-05"), "{found:?}");
}

#[test]
fn an_enterprise_number_with_wrong_check_digits_is_refused_for_either_party() {
    let mut doc = s21_invoice();
    doc.seller.party.enterprise_number = Some("0812345604".into());
    assert_eq!(refused_for(&doc), vec!["PEPPOL-COMMON-R043"]);
}

#[test]
fn a_seller_without_identifier_is_refused() {
    let mut doc = s21_invoice();
    doc.seller.party.enterprise_number = None;
    doc.seller.party.vat_number = None;
    assert_eq!(
        refused_for(&doc),
        vec!["BR-CO-26", "PEPPOL-EN16931-R020", "BR-S-02"]
    );
}

#[test]
fn a_belgian_vat_number_is_written_under_9925_when_there_is_no_enterprise_number() {
    let mut doc = s21_invoice();
    doc.buyer.enterprise_number = None;
    let xml = write_invoice(&doc).unwrap();
    assert!(xml.contains(r#"<cbc:EndpointID schemeID="9925">BE0412345614</cbc:EndpointID>"#));
    doc.buyer.vat_number = Some("BE0412345615".into());
    assert_eq!(refused_for(&doc), vec!["RUCHE-BE-VAT"]);
    doc.buyer.vat_number = Some("0412345614".into());
    assert!(refused_for(&doc).contains(&"BR-CO-09"));
}

#[test]
fn a_credit_note_without_the_invoice_it_corrects_is_refused() {
    let mut doc = ruche_documents().pop().unwrap().1;
    doc.corrects = None;
    assert_eq!(refused_for(&doc), vec!["RUCHE-CREDIT-NOTE-REF"]);
}

#[test]
fn a_wrong_structured_communication_or_iban_is_refused() {
    let mut doc = s21_invoice();
    doc.structured_communication = "202600004237".into();
    assert_eq!(refused_for(&doc), vec!["RUCHE-OGM"]);
    let mut doc = s21_invoice();
    doc.seller.iban = "BE69539007547034".into();
    assert_eq!(refused_for(&doc), vec!["RUCHE-IBAN"]);
    doc.seller.iban = String::new();
    assert_eq!(refused_for(&doc), vec!["BR-61"]);
}

#[test]
fn the_breakdown_needs_one_row_per_rate_and_none_twice() {
    let mut doc = s21_invoice();
    doc.totals.subtotals.clear();
    doc.totals.tax_cents = 0;
    doc.totals.tax_inclusive_cents = doc.totals.tax_exclusive_cents;
    doc.totals.payable_cents = doc.totals.tax_exclusive_cents;
    assert_eq!(
        refused_for(&doc),
        vec!["BR-CO-18", "PEPPOL-EN16931-R053", "BR-S-01"]
    );

    let mut doc = s21_invoice();
    let row = doc.totals.subtotals[0].clone();
    doc.totals.subtotals.push(row);
    doc.totals.tax_cents *= 2;
    doc.totals.tax_inclusive_cents = doc.totals.tax_exclusive_cents + doc.totals.tax_cents;
    doc.totals.payable_cents = doc.totals.tax_inclusive_cents;
    assert_eq!(refused_for(&doc), vec!["RUCHE-VAT-ROW"]);
}

#[test]
fn outside_the_scope_of_vat_stands_alone_and_carries_no_vat_number() {
    let doc = document(
        DocumentKind::Invoice,
        &[("Indemnité forfaitaire", "1", "C62", "40", VatCategory::O, 0)],
        &[(VatCategory::O, "Hors champ d'application de la TVA")],
    );
    assert_eq!(check(&doc), vec![]);
    let xml = write_invoice(&doc).unwrap();
    assert!(!xml.contains("PartyTaxScheme"), "BR-O-02:\n{xml}");
    assert!(!xml.contains("<cbc:Percent>"), "BR-O-05:\n{xml}");
    if let Some(shared) = shared("", "outside_the_scope_of_vat (XSD)") {
        assert_xsd_valid(
            &xml,
            &shared.join(xsd_for(DocumentKind::Invoice)),
            "O invoice",
        );
    }

    // Without VAT numbers on the document, the seller is identified by its enterprise
    // number alone (BR-CO-26).
    let mut anonymous = doc.clone();
    anonymous.seller.party.enterprise_number = None;
    assert_eq!(rules(&anonymous), vec!["BR-CO-26"]);

    let mixed = document(
        DocumentKind::Invoice,
        &[
            ("Indemnité forfaitaire", "1", "C62", "40", VatCategory::O, 0),
            ("Conseil", "1", "HUR", "50", VatCategory::S, 2100),
        ],
        &[(VatCategory::O, "Hors champ d'application de la TVA")],
    );
    assert_eq!(rules(&mixed), vec!["BR-O-11"]);
}

#[test]
fn an_intra_community_supply_cannot_be_issued_from_this_model() {
    let doc = document(
        DocumentKind::Invoice,
        &[("Marchandises", "1", "C62", "100", VatCategory::K, 0)],
        &[(VatCategory::K, "Livraison intracommunautaire exemptée")],
    );
    assert_eq!(rules(&doc), vec!["BR-IC-11"]);
}

#[test]
fn garbage_is_an_error_never_a_panic() {
    for input in [
        "",
        "not xml",
        "<Invoice/>",
        "<Invoice><cbc:ID>1</cbc:ID></Invoice>",
        "<CreditNote><ID>1</ID><IssueDate>2026-01-01</IssueDate></CreditNote>",
        "<Invoice><ID>1</ID><IssueDate>2026-13-01</IssueDate></Invoice>",
    ] {
        assert!(read_invoice(input).is_err(), "{input:?}");
    }
}

#[test]
fn a_document_read_keeps_its_dates() {
    let doc = read_invoice(&write_invoice(&s21_invoice()).unwrap()).unwrap();
    assert_eq!(doc.issue_date, Date::constant(2026, 3, 2));
    assert_eq!(doc.due_date, Date::constant(2026, 4, 1));
}
