//! pain.001.001.09: what ruche writes validates against the XSD shipped in
//! `shared/schemas/sepa/` (`xmllint --noout --schema`), and the example file there still does
//! (so a failure points at the writer, not the schema).
//!
//! The XSD lives in `shared/` beside the checkout (`../shared`). When it, or Debian's
//! `xmllint` (package `libxml2-utils`), is absent the tests say SKIPPED on their output and
//! pass: the schemas are never copied into the repository.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jiff::civil::date;
use ruche_domain::ident::{Iban, Ogm};
use ruche_domain::payout::{PostalAddress, Remittance};
use ruche_formats::sepa::{
    CategoryPurpose, CreditTransfer, CreditTransferInitiation, PaymentGroup, SepaParty,
    write_pain001,
};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
const XSD: &str = "schemas/sepa/pain.001.001.09.xsd";

/// The XSD, or `None` (with a line saying why the test is skipped) when `shared/` or
/// `xmllint` is missing.
fn schema(test: &str) -> Option<PathBuf> {
    let xsd = Path::new(SHARED).join(XSD);
    let skip = |why: String| {
        let line = format!("SKIPPED {test}: {why}");
        println!("{line}");
        eprintln!("{line}");
        None
    };
    if !xsd.is_file() {
        return skip(format!("{} is absent (no SEPA schema)", xsd.display()));
    }
    match Command::new("xmllint").arg("--version").output() {
        Ok(_) => Some(xsd),
        Err(e) => skip(format!(
            "xmllint is missing ({e}): apt-get install -y libxml2-utils"
        )),
    }
}

/// Validates `xml` against `xsd`; the error output otherwise.
fn validate(xml: &str, xsd: &Path) -> Result<(), String> {
    let mut child = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn address(
    street: Option<&str>,
    number: Option<&str>,
    postcode: Option<&str>,
    town: &str,
) -> PostalAddress {
    PostalAddress {
        street: street.map(str::to_string),
        building_number: number.map(str::to_string),
        postcode: postcode.map(str::to_string),
        town: town.into(),
        country: "BE".into(),
    }
}

fn debtor() -> SepaParty {
    SepaParty {
        name: "Ruche SC — société coopérative".into(),
        address: address(Some("Rue de l'Exemple 1"), None, Some("1000"), "Bruxelles"),
    }
}

fn transfer(
    id: &str,
    cents: i64,
    name: &str,
    town: &str,
    remittance: Option<Remittance>,
) -> CreditTransfer {
    CreditTransfer {
        end_to_end_id: id.into(),
        amount_cents: cents,
        creditor: SepaParty {
            name: name.into(),
            address: address(
                Some("Chaussée de Waterloo"),
                Some("12B"),
                Some("1180"),
                town,
            ),
        },
        creditor_iban: Iban::parse("BE71096123456769").unwrap(),
        creditor_bic: None,
        remittance,
    }
}

/// Salaries (SALA, batch booking, debtor BIC known) and the other payouts (no category,
/// unknown BIC, an OGM, a town-only address, a creditor BIC, a foreign IBAN).
fn message() -> CreditTransferInitiation {
    let sala = PaymentGroup {
        payment_info_id: "RUCHE-B7-SALA".into(),
        debtor: debtor(),
        debtor_iban: Iban::parse("BE68539007547034").unwrap(),
        debtor_bic: Some("GKCCBEBB".into()),
        execution_date: date(2026, 11, 30),
        category_purpose: Some(CategoryPurpose::Salary),
        batch_booking: true,
        transactions: vec![
            transfer(
                "PO-000001",
                185_000,
                "Hélène Dœuf",
                "Liège",
                Some(Remittance::Text("Salaire net — novembre 2026".into())),
            ),
            transfer("PO-000002", 1, "Jürgen Straße", "Sint-Genesius-Rode", None),
        ],
    };
    let mut refund = transfer(
        "PO-000003",
        30_050,
        "Client & Fils SRL",
        "Gent",
        Some(Remittance::Ogm(Ogm::parse("+++202/6000/04236+++").unwrap())),
    );
    refund.creditor.address = address(None, None, None, "Gent");
    refund.creditor_bic = Some("GEBABEBB".into());
    let mut foreign = transfer("PO-000004", 9_999_999_999, "Zoë Ñúñez", "Paris", None);
    foreign.creditor.address.country = "FR".into();
    foreign.creditor_iban = Iban::parse("FR1420041010050500013M02606").unwrap();
    let other = PaymentGroup {
        payment_info_id: "RUCHE-B7-OTHR".into(),
        debtor: debtor(),
        debtor_iban: Iban::parse("BE68539007547034").unwrap(),
        debtor_bic: None,
        execution_date: date(2026, 11, 30),
        category_purpose: None,
        batch_booking: false,
        transactions: vec![refund, foreign],
    };
    CreditTransferInitiation {
        message_id: "RUCHE-1-B7".into(),
        created_at: date(2026, 11, 26).at(20, 15, 7, 0),
        initiating_party: "Ruche SC".into(),
        groups: vec![sala, other],
    }
}

#[test]
fn a_written_pain001_validates_against_the_xsd() {
    let Some(xsd) = schema("a_written_pain001_validates_against_the_xsd") else {
        return;
    };
    let xml = write_pain001(&message()).unwrap();
    if let Err(e) = validate(&xml, &xsd) {
        panic!(
            "the pain.001 is not valid against {}:\n{e}\n{xml}",
            xsd.display()
        );
    }
    assert!(xml.contains("<NbOfTxs>4</NbOfTxs>"));
    assert!(xml.contains("<CtrlSum>100002150.50</CtrlSum>"));
}

#[test]
fn a_single_transfer_without_remittance_validates_too() {
    let Some(xsd) = schema("a_single_transfer_without_remittance_validates_too") else {
        return;
    };
    let mut m = message();
    m.groups.truncate(1);
    m.groups[0].transactions.truncate(1);
    m.groups[0].transactions[0].remittance = None;
    let xml = write_pain001(&m).unwrap();
    validate(&xml, &xsd).unwrap();
}

#[test]
fn the_check_itself_catches_an_element_out_of_order() {
    // Guards the test above: the schema really is enforced by xmllint here.
    let Some(xsd) = schema("the_check_itself_catches_an_element_out_of_order") else {
        return;
    };
    let xml = write_pain001(&message()).unwrap();
    let broken = xml.replacen("<PmtMtd>TRF</PmtMtd>", "", 1);
    assert!(validate(&broken, &xsd).is_err());
    let example = std::fs::read_to_string(
        Path::new(SHARED).join("samples/sepa/pain.001.001.09-salary-example.xml"),
    )
    .unwrap();
    validate(&example, &xsd).unwrap();
}
