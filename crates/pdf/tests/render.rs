//! Renders real documents and reads them back. The text checks need `pdftotext` (Debian
//! `poppler-utils`); without it they are skipped with a message on stderr. The PDFs are
//! left in `target/tmp/ruche-pdf/` for a look (`pdftoppm -png -r 60 …`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use jiff::civil::{Date, date};
use ruche_domain::Language;
use ruche_domain::group::Address;
use ruche_domain::invoicing::document::{
    Document, DocumentKind, Line, Party, Seller, Totals, VatSubtotal,
};
use ruche_domain::invoicing::vat::VatCategory;
use ruche_pdf::{PdfError, epc_payload, render_document};
use rust_decimal::Decimal;

// ------------------------------------------------------------------------------ fixtures

fn seller() -> Seller {
    Seller {
        party: Party {
            name: "Ruche Coop".to_string(),
            address: Address {
                street: "Rue de la Loi 16".to_string(),
                postcode: "1000".to_string(),
                city: "Bruxelles".to_string(),
                country: "BE".to_string(),
            },
            enterprise_number: Some("0202239951".to_string()),
            vat_number: Some("BE0202239951".to_string()),
            email: Some("factures@ruche.coop".to_string()),
        },
        legal_form: "SC agréée comme entreprise sociale (SCES agréée)".to_string(),
        court_register: "RPM Bruxelles".to_string(),
        iban: "BE68539007547034".to_string(),
        bic: Some("GKCCBEBB".to_string()),
    }
}

fn buyer(name: &str, street: &str, postcode: &str, city: &str, vat: &str) -> Party {
    Party {
        name: name.to_string(),
        address: Address {
            street: street.to_string(),
            postcode: postcode.to_string(),
            city: city.to_string(),
            country: "BE".to_string(),
        },
        enterprise_number: None,
        vat_number: Some(vat.to_string()),
        email: None,
    }
}

/// `quantity` × `unit_price` (in cents), VAT as given.
fn line(
    description: &str,
    quantity: Decimal,
    unit: &str,
    unit_price_cents: i64,
    category: VatCategory,
    rate_bp: u32,
) -> Line {
    let unit_price = Decimal::new(unit_price_cents, 2);
    let net = (quantity * unit_price * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Line {
        description: description.to_string(),
        quantity,
        unit: unit.to_string(),
        unit_price,
        vat_category: category,
        vat_rate_bp: rate_bp,
        net_cents: i64::try_from(net).unwrap(),
    }
}

/// The totals of `lines`: VAT per category and rate, rounded half away from zero.
fn totals(lines: &[Line], reason: impl Fn(VatCategory) -> Option<String>) -> Totals {
    let mut subtotals: Vec<VatSubtotal> = Vec::new();
    for l in lines {
        match subtotals
            .iter_mut()
            .find(|s| s.category == l.vat_category && s.rate_bp == l.vat_rate_bp)
        {
            Some(s) => s.taxable_cents += l.net_cents,
            None => subtotals.push(VatSubtotal {
                category: l.vat_category,
                rate_bp: l.vat_rate_bp,
                taxable_cents: l.net_cents,
                tax_cents: 0,
                exemption_reason: reason(l.vat_category),
            }),
        }
    }
    for s in &mut subtotals {
        let tax = Decimal::from(s.taxable_cents) * Decimal::new(i64::from(s.rate_bp), 4);
        s.tax_cents = i64::try_from(
            tax.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )
        .unwrap();
    }
    let net: i64 = lines.iter().map(|l| l.net_cents).sum();
    let tax: i64 = subtotals.iter().map(|s| s.tax_cents).sum();
    Totals {
        line_total_cents: net,
        tax_exclusive_cents: net,
        tax_cents: tax,
        tax_inclusive_cents: net + tax,
        payable_cents: net + tax,
        subtotals,
    }
}

#[allow(clippy::too_many_arguments)]
fn document(
    kind: DocumentKind,
    number: &str,
    issue: Date,
    language: Language,
    buyer: Party,
    lines: Vec<Line>,
    totals: Totals,
    ogm: &str,
) -> Document {
    Document {
        kind,
        number: number.to_string(),
        issue_date: issue,
        due_date: issue.checked_add(jiff::Span::new().days(30)).unwrap(),
        language,
        seller: seller(),
        buyer,
        lines,
        totals,
        structured_communication: ogm.to_string(),
        order_reference: None,
        corrects: None,
        note: None,
    }
}

const TRAINING_EXEMPTION_FR: &str =
    "Exonération de TVA, article 44, § 2, 4° du Code de la TVA (formation professionnelle)";

/// Three lines, three VAT treatments (exempt training, 21 %, 6 %); amount due 1.234,56 €.
fn fr_invoice() -> Document {
    let lines = vec![
        line(
            "Formation « Gérer sa coopérative » — module 1",
            Decimal::new(4, 0),
            "HUR",
            10_000,
            VatCategory::E,
            0,
        ),
        // User text that would be markup if it were read as typst.
        line(
            "Accompagnement #projet [phase 2] *urgent* _x_ $5 @ref <lbl> \\ // fin",
            Decimal::new(55, 1),
            "HUR",
            8_500,
            VatCategory::S,
            2100,
        ),
        line(
            "Livre « L'entreprise partagée »",
            Decimal::new(2, 0),
            "C62",
            12_683,
            VatCategory::S,
            600,
        ),
    ];
    let totals = totals(&lines, |c| {
        (c == VatCategory::E).then(|| TRAINING_EXEMPTION_FR.to_string())
    });
    let mut doc = document(
        DocumentKind::Invoice,
        "F2026-00042",
        date(2026, 11, 26),
        Language::Fr,
        buyer(
            "Atelier Dupont SRL",
            "Chaussée de Wavre 120",
            "1050",
            "Ixelles",
            "BE0417497106",
        ),
        lines,
        totals,
        "202600004236",
    );
    doc.order_reference = Some("BC-7731".to_string());
    doc.note = Some("Merci pour votre confiance.".to_string());
    doc
}

/// Corrects the FR invoice's consulting line; 1.234,56 € to refund.
fn nl_credit_note() -> Document {
    let lines = vec![line(
        "Terugbetaling begeleiding (dubbel gefactureerd)",
        Decimal::new(2, 0),
        "DAY",
        51_015,
        VatCategory::S,
        2100,
    )];
    let totals = totals(&lines, |_| None);
    let mut doc = document(
        DocumentKind::CreditNote,
        "C2026-00007",
        date(2026, 12, 3),
        Language::Nl,
        buyer(
            "Bakkerij Janssens BV",
            "Kerkstraat 5",
            "9000",
            "Gent",
            "BE0403170701",
        ),
        lines,
        totals,
        "090933755493",
    );
    doc.corrects = Some(("F2026-00042".to_string(), date(2026, 11, 26)));
    doc
}

/// Forty lines, enough for two pages; 5.953,20 € due.
fn en_invoice() -> Document {
    let lines: Vec<Line> = (1..=40)
        .map(|i| {
            line(
                &format!("Workshop session {i}: cooperative governance and shared accounting"),
                Decimal::new(2, 0),
                "HUR",
                6_150,
                VatCategory::S,
                2100,
            )
        })
        .collect();
    let totals = totals(&lines, |_| None);
    document(
        DocumentKind::Invoice,
        "F2026-00043",
        date(2026, 11, 27),
        Language::En,
        buyer(
            "Open Kitchen Collective",
            "Avenue Louise 250",
            "1050",
            "Brussels",
            "BE0123456749",
        ),
        lines,
        totals,
        "202600004337",
    )
}

// ------------------------------------------------------------------------------ helpers

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ruche-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Renders `doc`, checks it is a PDF, keeps it as `name.pdf` and returns its path.
fn render(doc: &Document, name: &str) -> PathBuf {
    let started = Instant::now();
    let pdf = render_document(doc).unwrap();
    eprintln!("{name}: rendered in {:?} (debug build)", started.elapsed());
    assert!(pdf.starts_with(b"%PDF"), "{name} is not a PDF");
    let path = out_dir().join(format!("{name}.pdf"));
    std::fs::write(&path, &pdf).unwrap();
    path
}

/// The text of the PDF, or `None` (said on stderr) when pdftotext is not installed.
fn text_of(path: &PathBuf) -> Option<String> {
    match Command::new("pdftotext").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8(out.stdout).unwrap()),
        Ok(out) => panic!(
            "pdftotext failed on {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            eprintln!(
                "SKIPPED text checks of {}: pdftotext not found (apt-get install poppler-utils)",
                path.display()
            );
            None
        }
    }
}

fn pages_of(text: &str) -> usize {
    // pdftotext ends every page with a form feed.
    text.matches('\u{c}').count()
}

fn assert_contains(text: &str, expected: &str) {
    // pdftotext breaks lines where the layout wrapped them, sometimes splits a spaced word
    // ("CLIEN T") or drops a non-breaking space: compare without any white space.
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(
        squeeze(text).contains(&squeeze(expected)),
        "{expected:?} not found in:\n{text}"
    );
}

// ------------------------------------------------------------------------------ tests

#[test]
fn a_french_invoice_with_mixed_vat_shows_every_legal_mention() {
    let doc = fr_invoice();
    assert_eq!(doc.totals.payable_cents, 123_456);
    let path = render(&doc, "fr-invoice");
    let Some(text) = text_of(&path) else { return };
    for expected in [
        "Facture",
        "F2026-00042",
        "26/11/2026",
        "26/12/2026",
        "BC-7731",
        "+++202/6000/04236+++",
        "1.234,56 €",
        "1.121,16 €",
        "113,40 €",
        // Seller: art. 2:20 CSA and art. III.25 CEL.
        "Ruche Coop",
        "SCES agréée",
        "Rue de la Loi 16",
        "0202.239.951",
        "BE 0202.239.951",
        "RPM Bruxelles",
        "BE68 5390 0754 7034",
        "GKCCBEBB",
        // Buyer.
        "Atelier Dupont SRL",
        "BE 0417.497.106",
        // Lines and VAT.
        "5,5",
        "85,00 €",
        "467,50 €",
        "21 %",
        "6 %",
        "Exonéré",
        "article 44, § 2, 4°",
        "Communication structurée",
        "Échéance",
        "Total TVAC",
        "Montant à payer",
        "Merci pour votre confiance.",
    ] {
        assert_contains(&text, expected);
    }
    assert_eq!(pages_of(&text), 1);
}

#[test]
fn user_text_is_printed_as_written_never_read_as_markup() {
    let path = render(&fr_invoice(), "fr-invoice-markup");
    let Some(text) = text_of(&path) else { return };
    assert_contains(
        &text,
        "Accompagnement #projet [phase 2] *urgent* _x_ $5 @ref <lbl> \\ // fin",
    );
}

#[test]
fn a_dutch_credit_note_names_the_invoice_it_corrects_and_the_vat_to_repay() {
    let doc = nl_credit_note();
    assert_eq!(doc.totals.payable_cents, 123_456);
    let path = render(&doc, "nl-credit-note");
    let Some(text) = text_of(&path) else { return };
    for expected in [
        "Creditnota",
        "C2026-00007",
        "Verbeterde factuur",
        "F2026-00042 van 26/11/2026",
        "+++090/9337/55493+++",
        "1.234,56 €",
        "Terug te betalen bedrag",
        "0202.239.951",
        "Gestructureerde mededeling",
        "Btw terug te storten aan de Staat in de mate waarin ze oorspronkelijk in aftrek werd gebracht.",
    ] {
        assert_contains(&text, expected);
    }
    // Nothing to pay: no payment slip.
    assert!(!text.contains("Scan met uw bankapp"));
    assert!(!text.contains("Facture"));
}

#[test]
fn an_english_invoice_of_forty_lines_runs_onto_two_pages() {
    let doc = en_invoice();
    assert_eq!(doc.totals.payable_cents, 595_320);
    let path = render(&doc, "en-invoice-40-lines");
    let Some(text) = text_of(&path) else { return };
    for expected in [
        "Invoice",
        "F2026-00043",
        "+++202/6000/04337+++",
        "5.953,20 €",
        "4.920,00 €",
        "1.033,20 €",
        "0202.239.951",
        "Structured communication",
        "Due date",
        "Amount due",
        "Workshop session 1:",
        "Workshop session 40:",
        "Page 2 / 2",
    ] {
        assert_contains(&text, expected);
    }
    assert_eq!(pages_of(&text), 2);
}

#[test]
fn the_same_document_gives_the_same_bytes_and_the_second_render_is_warm() {
    let doc = en_invoice();
    let first_started = Instant::now();
    let first = render_document(&doc).unwrap();
    let first_time = first_started.elapsed();
    let second_started = Instant::now();
    let second = render_document(&doc).unwrap();
    let second_time = second_started.elapsed();
    eprintln!("2-page invoice, debug build: first render {first_time:?}, second {second_time:?}");
    // An issued document is stored with its hash (DESIGN.md §5).
    assert!(first == second, "two renders of one document differ");
}

#[test]
fn a_credit_note_without_structured_communication_renders() {
    // ruche issues credit notes without one: they ask for no payment.
    let mut doc = nl_credit_note();
    doc.structured_communication = String::new();
    let path = render(&doc, "nl-credit-note-without-ogm");
    if let Some(text) = text_of(&path) {
        assert_contains(&text, &doc.number);
        assert!(!text.contains("+++"), "no structured communication printed");
    }
}

#[test]
fn a_wrong_structured_communication_is_refused_rather_than_printed() {
    let mut doc = fr_invoice();
    doc.structured_communication = "202600004237".to_string();
    assert!(matches!(
        render_document(&doc),
        Err(PdfError::StructuredCommunication { .. })
    ));
}

// ------------------------------------------------------------------------------ EPC QR

#[test]
fn the_epc_payload_of_an_invoice_is_the_sepa_transfer_to_pay_it() {
    assert_eq!(
        epc_payload(&fr_invoice()).as_deref(),
        Some(
            "BCD\n002\n1\nSCT\nGKCCBEBB\nRuche Coop\nBE68539007547034\nEUR1234.56\n\n202600004236"
        )
    );
}

#[test]
fn the_qr_code_printed_on_the_invoice_reads_back_as_its_epc_payload() {
    let doc = fr_invoice();
    let path = render(&doc, "fr-invoice-qr");
    let png = out_dir().join("fr-invoice-qr");
    let rasterised = Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-singlefile"])
        .arg(&path)
        .arg(&png)
        .status();
    if !rasterised.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED QR check: pdftoppm not found (apt-get install poppler-utils)");
        return;
    }
    let Ok(out) = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(png.with_extension("png"))
        .output()
    else {
        eprintln!("SKIPPED QR check: zbarimg not found (apt-get install zbar-tools)");
        return;
    };
    assert!(out.status.success(), "no QR code found on the invoice");
    let read = String::from_utf8(out.stdout).unwrap();
    assert_eq!(read.trim_end_matches('\n'), epc_payload(&doc).unwrap());
}

#[test]
fn the_epc_payload_leaves_out_an_absent_bic_and_keeps_one_line_per_field() {
    let mut doc = fr_invoice();
    doc.seller.bic = None;
    doc.seller.iban = "be68 5390 0754 7034".to_string();
    doc.seller.party.name = "Ruche\nCoop".to_string();
    doc.totals.payable_cents = 5;
    assert_eq!(
        epc_payload(&doc).as_deref(),
        Some("BCD\n002\n1\nSCT\n\nRuche Coop\nBE68539007547034\nEUR0.05\n\n202600004236")
    );
}

#[test]
fn nothing_to_pay_means_no_epc_payload() {
    assert_eq!(epc_payload(&nl_credit_note()), None);
    let mut paid = fr_invoice();
    paid.totals.payable_cents = 0;
    assert_eq!(epc_payload(&paid), None);
}

#[test]
fn the_epc_beneficiary_name_is_cut_to_70_characters() {
    let mut doc = fr_invoice();
    doc.seller.party.name = "é".repeat(100);
    let payload = epc_payload(&doc).unwrap();
    assert!(payload.contains(&format!("\n{}\n", "é".repeat(70))));
    assert!(payload.len() <= 331);
}
