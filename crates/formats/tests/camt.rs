//! camt.053: the shipped samples read and balance, the Belgian one yields its OGM, and small
//! hand-made documents pin the `.001.02` / `.001.08` differences, the signs, batches,
//! reversals and what is a warning rather than an error.
//!
//! The samples live in `shared/` beside the checkout (`../shared`). When it is absent the
//! sample tests say so on their output and pass.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use jiff::civil::date;
use ruche_formats::camt::{
    CamtError, CamtFile, CamtVersion, CamtWarning, CreditorReference, EntryStatus, parse,
};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/camt");

/// The sample `name`, or `None` (with a line saying the test is skipped) when `shared/` is
/// not beside the checkout.
fn sample(name: &str, test: &str) -> Option<String> {
    let dir = Path::new(SAMPLES);
    if !dir.is_dir() {
        let line = format!("SKIPPED {test}: {SAMPLES} is absent (no camt samples)");
        println!("{line}");
        eprintln!("{line}");
        return None;
    }
    let path: PathBuf = dir.join(name);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

const BELGIAN_SAMPLE: &str = "be-camt.053.001.02-ogm-example.xml";
const DUTCH_SAMPLE: &str = "newinnovations-camt053_example-camt053-a.xml";

// ---------------------------------------------------------------------------------------
// Shipped samples

#[test]
fn the_belgian_sample_yields_its_ogm_and_balances() {
    let Some(xml) = sample(
        BELGIAN_SAMPLE,
        "the_belgian_sample_yields_its_ogm_and_balances",
    ) else {
        return;
    };
    let file = parse(&xml).unwrap();
    assert_eq!(file.version, CamtVersion::V02);
    assert_eq!(file.message_id, "STMT-20260402-0001");
    assert_eq!(file.warnings, vec![], "the statement balances");
    let [statement] = file.statements.as_slice() else {
        panic!("one statement expected");
    };
    assert_eq!(statement.id, "2026-065");
    assert_eq!(statement.electronic_sequence, Some(65));
    assert_eq!(statement.legal_sequence, Some(65));
    assert_eq!(statement.created_on, Some(date(2026, 4, 2)));
    assert_eq!(statement.account.iban.as_deref(), Some("BE68539007547034"));
    assert_eq!(statement.account.currency.as_deref(), Some("EUR"));
    assert_eq!(statement.opening.as_ref().unwrap().cents, 1_000_000);
    assert_eq!(statement.closing.as_ref().unwrap().cents, 1_062_100);

    let [entry] = statement.entries.as_slice() else {
        panic!("one entry expected");
    };
    assert_eq!(entry.cents, 62_100);
    assert_eq!(entry.status, EntryStatus::Booked);
    assert!(!entry.reversal);
    assert_eq!(entry.booking_date, Some(date(2026, 4, 1)));
    assert_eq!(entry.value_date, Some(date(2026, 4, 1)));
    assert_eq!(entry.servicer_reference.as_deref(), Some("BANKREF-0001"));
    let [tx] = entry.transactions.as_slice() else {
        panic!("one transaction expected");
    };
    assert_eq!(tx.end_to_end_id.as_deref(), Some("NOTPROVIDED"));
    assert_eq!(tx.cents, Some(62_100));
    assert_eq!(tx.counterparty_name.as_deref(), Some("Client Example BV"));
    assert_eq!(tx.counterparty_iban.as_deref(), Some("BE71096123456769"));
    let [CreditorReference::Ogm { digits, ogm }] = tx.creditor_references.as_slice() else {
        panic!("one BBA reference expected: {:?}", tx.creditor_references);
    };
    assert_eq!(digits, "202600004236");
    let ogm = ogm.as_ref().expect("valid check digits");
    assert_eq!(ogm.to_string(), "+++202/6000/04236+++");
}

#[test]
fn the_dutch_sample_reads_two_statements_that_balance() {
    let Some(xml) = sample(
        DUTCH_SAMPLE,
        "the_dutch_sample_reads_two_statements_that_balance",
    ) else {
        return;
    };
    let file = parse(&xml).unwrap();
    assert_eq!(file.version, CamtVersion::V02);
    assert_eq!(file.warnings, vec![], "both statements balance");
    let [first, second] = file.statements.as_slice() else {
        panic!("two statements expected");
    };

    assert_eq!(first.account.iban.as_deref(), Some("NL14SNSB0012345678"));
    assert_eq!(first.electronic_sequence, Some(26098));
    assert_eq!(first.created_on, Some(date(2026, 4, 8)));
    assert_eq!(first.entries.len(), 7);
    assert_eq!(first.opening.as_ref().unwrap().cents, 20_369);
    assert_eq!(first.closing.as_ref().unwrap().cents, 66_169);
    let total: i64 = first.entries.iter().map(|e| e.cents).sum();
    assert_eq!(total, 45_800);
    let fee = &first.entries[0];
    assert_eq!(fee.cents, -605);
    assert_eq!(fee.transactions.len(), 1, "an empty <TxDtls/> is kept");
    assert_eq!(fee.transactions[0].cents, None);
    let incoming = &first.entries[2];
    assert_eq!(incoming.cents, 50_000);
    let tx = &incoming.transactions[0];
    assert_eq!(tx.cents, Some(50_000), "from AmtDtls/InstdAmt");
    assert_eq!(tx.counterparty_name.as_deref(), Some("GreatExample BV"));
    assert_eq!(tx.counterparty_iban.as_deref(), Some("NL78SNSB0022446688"));
    assert_eq!(tx.unstructured, vec!["Opname".to_string()]);

    assert_eq!(second.account.iban.as_deref(), Some("NL78SNSB0022446688"));
    assert_eq!(second.opening.as_ref().unwrap().cents, 185_913);
    assert_eq!(second.closing.as_ref().unwrap().cents, 166_087);
    let outgoing = &second.entries[0];
    assert_eq!(outgoing.cents, -50_000);
    let tx = &outgoing.transactions[0];
    assert_eq!(tx.cents, Some(-50_000));
    assert_eq!(tx.counterparty_name.as_deref(), Some("SNS ZZP Rekening"));
    assert_eq!(tx.counterparty_iban.as_deref(), Some("NL14SNSB0012345678"));
    let interest = &second.entries[1];
    assert_eq!(interest.booking_date, Some(date(2026, 2, 5)));
    assert_eq!(interest.value_date, Some(date(2026, 2, 1)));
}

// ---------------------------------------------------------------------------------------
// Hand-made documents

/// A one-statement document of version `.001.{version}` whose `Stmt` holds `body` after
/// its account.
fn document(version: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-05-04T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1</Id><ElctrncSeqNb>12</ElctrncSeqNb><CreDtTm>2026-05-04T06:00:00+02:00</CreDtTm>
      <Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>
      {body}
    </Stmt>
  </BkToCstmrStmt>
</Document>"#
    )
}

fn bal(code: &str, amount: &str, indicator: &str) -> String {
    format!(
        r#"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amount}</Amt>
           <CdtDbtInd>{indicator}</CdtDbtInd><Dt><Dt>2026-05-03</Dt></Dt></Bal>"#
    )
}

/// An entry with `.02` status; `inner` goes after `AcctSvcrRef` (`RvslInd` goes before
/// `Sts`, so it is its own argument).
fn ntry(amount: &str, indicator: &str, reversal: &str, inner: &str) -> String {
    format!(
        r#"<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>{reversal}
           <Sts>BOOK</Sts><BookgDt><Dt>2026-05-03</Dt></BookgDt>
           <ValDt><DtTm>2026-05-02T23:00:00+02:00</DtTm></ValDt>
           <AcctSvcrRef>REF-{amount}</AcctSvcrRef>{inner}</Ntry>"#
    )
}

fn parse_ok(xml: &str) -> CamtFile {
    parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

#[test]
fn version_08_reads_status_code_party_under_pty_and_its_own_transaction_amount() {
    let body = format!(
        r#"{}{}
        <Ntry><Amt Ccy="EUR">150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
          <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-05-03</Dt></BookgDt>
          <AcctSvcrRef>R08</AcctSvcrRef>
          <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
          <NtryDtls><TxDtls>
            <Refs><EndToEndId>E2E-08</EndToEndId></Refs>
            <Amt Ccy="EUR">150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
            <RltdPties>
              <Dbtr><Pty><Nm>Client Zéro SRL</Nm></Pty></Dbtr>
              <DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct>
            </RltdPties>
            <RltdAgts><DbtrAgt><FinInstnId><BICFI>GKCCBEBB</BICFI></FinInstnId></DbtrAgt></RltdAgts>
          </TxDtls></NtryDtls>
        </Ntry>"#,
        bal("OPBD", "0", "CRDT"),
        bal("CLBD", "150.00", "CRDT"),
    );
    let file = parse_ok(&document("08", &body));
    assert_eq!(file.version, CamtVersion::V08);
    assert_eq!(file.warnings, vec![]);
    let entry = &file.statements[0].entries[0];
    assert_eq!(entry.status, EntryStatus::Booked);
    assert_eq!(entry.cents, 15_000);
    let tx = &entry.transactions[0];
    assert_eq!(tx.end_to_end_id.as_deref(), Some("E2E-08"));
    assert_eq!(tx.cents, Some(15_000));
    assert_eq!(tx.counterparty_name.as_deref(), Some("Client Zéro SRL"));
    assert_eq!(tx.counterparty_iban.as_deref(), Some("BE71096123456769"));
}

#[test]
fn version_02_reads_status_text_party_name_directly_and_tx_amount() {
    let body = format!(
        "{}{}{}",
        bal("OPBD", "10.00", "CRDT"),
        bal("CLBD", "160.00", "CRDT"),
        ntry(
            "150.00",
            "CRDT",
            "",
            r#"<NtryDtls><TxDtls>
                 <Refs><EndToEndId>E2E-02</EndToEndId></Refs>
                 <AmtDtls><TxAmt><Amt Ccy="EUR">150.00</Amt></TxAmt></AmtDtls>
                 <RltdPties><Dbtr><Nm>Client Un</Nm></Dbtr>
                   <DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct></RltdPties>
               </TxDtls></NtryDtls>"#
        ),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(file.version, CamtVersion::V02);
    assert_eq!(file.warnings, vec![]);
    let statement = &file.statements[0];
    assert_eq!(statement.electronic_sequence, Some(12));
    assert_eq!(statement.created_on, Some(date(2026, 5, 4)));
    let entry = &statement.entries[0];
    assert_eq!(entry.status, EntryStatus::Booked);
    assert_eq!(entry.value_date, Some(date(2026, 5, 2)), "from ValDt/DtTm");
    let tx = &entry.transactions[0];
    assert_eq!(tx.cents, Some(15_000));
    assert_eq!(tx.counterparty_name.as_deref(), Some("Client Un"));
}

#[test]
fn elements_match_by_local_name_whatever_the_namespace_prefix() {
    let xml = document(
        "08",
        &format!("{}{}", bal("OPBD", "1", "CRDT"), bal("CLBD", "1", "CRDT")),
    )
    .replace("<Document xmlns=", "<c:Document xmlns:c=")
    .replace("</Document>", "</c:Document>")
    .replace("<BkToCstmrStmt>", "<c:BkToCstmrStmt>")
    .replace("</BkToCstmrStmt>", "</c:BkToCstmrStmt>");
    let file = parse_ok(&xml);
    assert_eq!(file.version, CamtVersion::V08);
    assert_eq!(file.statements[0].opening.as_ref().unwrap().cents, 100);
}

#[test]
fn another_camt053_version_is_read_with_a_warning() {
    let body = format!("{}{}", bal("OPBD", "1", "CRDT"), bal("CLBD", "1", "CRDT"));
    let file = parse_ok(&document("04", &body));
    assert!(matches!(file.version, CamtVersion::Other(ref ns) if ns.ends_with(".001.04")));
    assert!(matches!(
        file.warnings.as_slice(),
        [CamtWarning::UnknownVersion(_)]
    ));
}

#[test]
fn debits_are_negative_in_entries_balances_and_details() {
    let body = format!(
        "{}{}{}",
        bal("OPBD", "100.00", "DBIT"),
        bal("CLBD", "125.50", "DBIT"),
        ntry(
            "25.50",
            "DBIT",
            "",
            r#"<NtryDtls><TxDtls>
                 <AmtDtls><TxAmt><Amt Ccy="EUR">25.50</Amt></TxAmt></AmtDtls>
                 <RltdPties>
                   <Dbtr><Nm>Ruche SC</Nm></Dbtr><DbtrAcct><Id><IBAN>BE68539007547034</IBAN></Id></DbtrAcct>
                   <Cdtr><Nm>Supplier NV</Nm></Cdtr><CdtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></CdtrAcct>
                 </RltdPties>
               </TxDtls></NtryDtls>"#
        ),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(file.warnings, vec![], "-100.00 - 25.50 = -125.50");
    let statement = &file.statements[0];
    assert_eq!(statement.opening.as_ref().unwrap().cents, -10_000);
    assert_eq!(statement.closing.as_ref().unwrap().cents, -12_550);
    let entry = &statement.entries[0];
    assert_eq!(entry.cents, -2_550);
    let tx = &entry.transactions[0];
    assert_eq!(tx.cents, Some(-2_550));
    assert_eq!(
        tx.counterparty_name.as_deref(),
        Some("Supplier NV"),
        "money out: the creditor is the other side"
    );
    assert_eq!(tx.counterparty_iban.as_deref(), Some("BE71096123456769"));
}

/// Three invoices paid in one batch booking of 60.00.
fn batch(second_amount: &str) -> String {
    let tx = |amount: &str, name: &str, ogm: &str| {
        format!(
            r#"<TxDtls><Refs><EndToEndId>E2E-{name}</EndToEndId></Refs>
                 <AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>
                 <RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>
                 <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>
                   <Ref>{ogm}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>"#
        )
    };
    format!(
        "{}{}{}",
        bal("OPBD", "0", "CRDT"),
        bal("CLBD", "60.00", "CRDT"),
        ntry(
            "60.00",
            "CRDT",
            "",
            &format!(
                "<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>{}{}{}</NtryDtls>",
                tx("10.00", "A", "202600004236"),
                tx(second_amount, "B", "+++202/6000/04337+++"),
                tx("30.00", "C", "202600004438"),
            )
        ),
    )
}

#[test]
fn a_batch_entry_keeps_every_transaction_with_its_own_reference() {
    let file = parse_ok(&document("02", &batch("20.00")));
    assert_eq!(file.warnings, vec![]);
    let entry = &file.statements[0].entries[0];
    let names: Vec<_> = entry
        .transactions
        .iter()
        .map(|t| (t.counterparty_name.as_deref().unwrap(), t.cents.unwrap()))
        .collect();
    assert_eq!(names, vec![("A", 1_000), ("B", 2_000), ("C", 3_000)]);
    let ogms: Vec<_> = entry
        .transactions
        .iter()
        .map(|t| match &t.creditor_references[..] {
            [
                CreditorReference::Ogm {
                    digits,
                    ogm: Some(_),
                },
            ] => digits.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        ogms,
        vec!["202600004236", "202600004337", "202600004438"],
        "the printed form +++…+++ is reduced to its 12 digits"
    );
}

#[test]
fn batch_details_that_do_not_sum_to_their_entry_are_reported_not_refused() {
    let file = parse_ok(&document("02", &batch("19.00")));
    assert_eq!(file.statements[0].entries[0].transactions.len(), 3);
    let [CamtWarning::DetailsDoNotSumToEntry { at, entry, details }] = file.warnings.as_slice()
    else {
        panic!("{:?}", file.warnings);
    };
    assert_eq!((at.statement.as_str(), at.entry), ("STMT-1", 1));
    assert_eq!((*entry, *details), (6_000, 5_900));
}

#[test]
fn a_reversal_is_signed_by_its_own_indicator_and_names_the_original_counterparty() {
    // An outgoing transfer of 40.00 comes back: the bank books a credit marked as reversal;
    // the parties are those of the original payment, where the supplier was the creditor.
    let body = format!(
        "{}{}{}{}",
        bal("OPBD", "100.00", "CRDT"),
        bal("CLBD", "100.00", "CRDT"),
        ntry("40.00", "DBIT", "<RvslInd>false</RvslInd>", ""),
        ntry(
            "40.00",
            "CRDT",
            "<RvslInd>true</RvslInd>",
            r#"<NtryDtls><TxDtls>
                 <AmtDtls><TxAmt><Amt Ccy="EUR">40.00</Amt></TxAmt></AmtDtls>
                 <RltdPties>
                   <Dbtr><Nm>Ruche SC</Nm></Dbtr><DbtrAcct><Id><IBAN>BE68539007547034</IBAN></Id></DbtrAcct>
                   <Cdtr><Nm>Supplier NV</Nm></Cdtr><CdtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></CdtrAcct>
                 </RltdPties>
                 <RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>
               </TxDtls></NtryDtls>"#
        ),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(file.warnings, vec![], "100 - 40 + 40 = 100");
    let [payment, reversal] = file.statements[0].entries.as_slice() else {
        panic!("two entries expected");
    };
    assert!(!payment.reversal);
    assert_eq!(payment.cents, -4_000);
    assert!(reversal.reversal);
    assert_eq!(reversal.cents, 4_000);
    let tx = &reversal.transactions[0];
    assert_eq!(tx.cents, Some(4_000));
    assert_eq!(tx.counterparty_name.as_deref(), Some("Supplier NV"));
}

#[test]
fn an_ogm_with_a_wrong_check_digit_is_kept_and_flagged_never_refused() {
    let body = format!(
        "{}{}{}",
        bal("OPBD", "0", "CRDT"),
        bal("CLBD", "5.00", "CRDT"),
        ntry(
            "5.00",
            "CRDT",
            "",
            r#"<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf>
                 <Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>
                 <Ref>112455446812</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>"#
        ),
    );
    let file = parse_ok(&document("02", &body));
    let tx = &file.statements[0].entries[0].transactions[0];
    assert_eq!(
        tx.creditor_references,
        vec![CreditorReference::Ogm {
            digits: "112455446812".into(),
            ogm: None
        }]
    );
    let [CamtWarning::InvalidOgm { at, reference }] = file.warnings.as_slice() else {
        panic!("{:?}", file.warnings);
    };
    assert_eq!((at.entry, reference.as_str()), (1, "112455446812"));
}

#[test]
fn an_rf_reference_and_unstructured_text_are_kept_as_written() {
    let body = format!(
        "{}{}{}",
        bal("OPBD", "0", "CRDT"),
        bal("CLBD", "7.00", "CRDT"),
        ntry(
            "7.00",
            "CRDT",
            "",
            r#"<NtryDtls><TxDtls><RmtInf>
                 <Ustrd>Facture 2026-000042</Ustrd><Ustrd>+++202/6000/04236+++</Ustrd>
                 <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>
                   <Ref>RF18539007547034</Ref></CdtrRefInf></Strd>
               </RmtInf><AddtlTxInf>via app</AddtlTxInf></TxDtls></NtryDtls>"#
        ),
    );
    let file = parse_ok(&document(
        "08",
        &body.replace("<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>"),
    ));
    assert_eq!(file.warnings, vec![]);
    let tx = &file.statements[0].entries[0].transactions[0];
    assert_eq!(
        tx.creditor_references,
        vec![CreditorReference::Rf("RF18539007547034".into())]
    );
    assert_eq!(
        tx.unstructured,
        vec!["Facture 2026-000042", "+++202/6000/04236+++"]
    );
    assert_eq!(tx.additional_info.as_deref(), Some("via app"));
}

#[test]
fn balances_that_do_not_add_up_are_reported_not_refused() {
    let body = format!(
        "{}{}{}",
        bal("OPBD", "100.00", "CRDT"),
        bal("CLBD", "120.00", "CRDT"),
        ntry("10.00", "CRDT", "", ""),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(
        file.warnings,
        vec![CamtWarning::BalanceMismatch {
            statement: "STMT-1".into(),
            opening: 10_000,
            entries: 1_000,
            closing: 12_000,
        }]
    );
}

#[test]
fn pending_entries_do_not_move_the_booked_balance() {
    let pending = ntry("10.00", "CRDT", "", "").replace("<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>");
    let body = format!(
        "{}{}{pending}",
        bal("OPBD", "100.00", "CRDT"),
        bal("CLBD", "100.00", "CRDT"),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(file.warnings, vec![]);
    assert_eq!(file.statements[0].entries[0].status, EntryStatus::Pending);
}

#[test]
fn previous_closing_stands_in_for_a_missing_opening_balance() {
    let body = format!(
        "{}{}{}",
        bal("PRCD", "100.00", "CRDT"),
        bal("CLBD", "90.00", "CRDT"),
        ntry("10.00", "DBIT", "", ""),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(file.warnings, vec![]);
    let opening = file.statements[0].opening.as_ref().unwrap();
    assert_eq!((opening.kind.as_str(), opening.cents), ("PRCD", 10_000));
}

#[test]
fn an_unknown_balance_type_is_reported_and_kept_aside() {
    let body = format!(
        "{}{}{}{}",
        bal("OPBD", "1.00", "CRDT"),
        bal("CLBD", "1.00", "CRDT"),
        bal("CLAV", "1.00", "CRDT"),
        bal("WXYZ", "2.00", "CRDT"),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(
        file.warnings,
        vec![CamtWarning::UnknownBalanceType {
            statement: "STMT-1".into(),
            code: "WXYZ".into()
        }]
    );
    let kinds: Vec<_> = file.statements[0]
        .other_balances
        .iter()
        .map(|b| b.kind.as_str())
        .collect();
    assert_eq!(kinds, vec!["CLAV", "WXYZ"]);
}

#[test]
fn a_statement_without_closing_balance_is_reported_as_unchecked() {
    let file = parse_ok(&document("02", &bal("OPBD", "1.00", "CRDT")));
    assert!(matches!(
        file.warnings.as_slice(),
        [CamtWarning::BalanceMissing { which, .. }] if which.starts_with("closing")
    ));
}

#[test]
fn a_missing_mandatory_element_is_an_error_that_names_its_path() {
    let body = format!(
        "{}{}{}",
        bal("OPBD", "0", "CRDT"),
        bal("CLBD", "0", "CRDT"),
        ntry("1.00", "CRDT", "", "").replace("<CdtDbtInd>CRDT</CdtDbtInd>", ""),
    );
    assert_eq!(
        parse(&document("02", &body)),
        Err(CamtError::Missing("Stmt[1]/Ntry[1]/CdtDbtInd".into()))
    );
    let no_id = document("02", &bal("OPBD", "0", "CRDT")).replace("<Id>STMT-1</Id>", "");
    assert_eq!(parse(&no_id), Err(CamtError::Missing("Stmt[1]/Id".into())));
    let no_msg_id = document("02", &bal("OPBD", "0", "CRDT")).replace("<MsgId>MSG-1</MsgId>", "");
    assert_eq!(
        parse(&no_msg_id),
        Err(CamtError::Missing("BkToCstmrStmt/GrpHdr/MsgId".into()))
    );
}

#[test]
fn unreadable_values_are_errors_not_guesses() {
    let three_decimals = document("02", &bal("OPBD", "1.005", "CRDT"));
    assert!(matches!(
        parse(&three_decimals),
        Err(CamtError::Invalid { path, .. }) if path == "Stmt[1]/Bal[1]/Amt"
    ));
    let negative = document("02", &bal("OPBD", "-1.00", "CRDT"));
    assert!(matches!(
        parse(&negative),
        Err(CamtError::Invalid { path, .. }) if path == "Stmt[1]/Bal[1]/Amt"
    ));
    let bad_indicator = document("02", &bal("OPBD", "1.00", "CREDIT"));
    assert!(matches!(
        parse(&bad_indicator),
        Err(CamtError::Invalid { path, .. }) if path == "Stmt[1]/Bal[1]/CdtDbtInd"
    ));
}

#[test]
fn malformed_or_foreign_xml_is_refused() {
    for bad in ["", "<a>", "not xml", "<Document><BkToCstmrStmt></Document>"] {
        assert!(matches!(parse(bad), Err(CamtError::Xml(_))), "{bad:?}");
    }
    assert!(matches!(
        parse("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>"),
        Err(CamtError::NotCamt053(_))
    ));
    // camt.052 (intraday report): same Document root, another message.
    assert!(matches!(
        parse(
            "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.052.001.02'><BkToCstmrAcctRpt/></Document>"
        ),
        Err(CamtError::NotCamt053(_))
    ));
}

#[test]
fn an_instructed_amount_in_another_currency_is_not_taken_for_the_booked_one() {
    let body = format!(
        "{}{}{}",
        bal("OPBD", "0", "CRDT"),
        bal("CLBD", "92.00", "CRDT"),
        ntry(
            "92.00",
            "CRDT",
            "",
            r#"<NtryDtls><TxDtls>
                 <AmtDtls><InstdAmt><Amt Ccy="USD">100.00</Amt></InstdAmt></AmtDtls>
               </TxDtls></NtryDtls>"#
        ),
    );
    let file = parse_ok(&document("02", &body));
    assert_eq!(file.warnings, vec![]);
    assert_eq!(file.statements[0].entries[0].transactions[0].cents, None);
}
