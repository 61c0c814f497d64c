//! camt.053.001.02 statements written by ruche itself, for the demo and the benchmark: a
//! bank's statement as the import reads it (payments.md §2), never for sending anywhere.

use jiff::civil::Date;

/// One booked entry: signed cents (money in positive), the counterparty, and the remittance
/// information as XML (`<Strd>…</Strd>` or `<Ustrd>…</Ustrd>`).
pub struct Entry {
    pub reference: String,
    pub cents: i64,
    pub name: String,
    pub iban: String,
    pub remittance: String,
}

/// A structured communication as camt carries it.
pub fn ogm_remittance(ogm: &str) -> String {
    format!(
        "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>\
         <Ref>{ogm}</Ref></CdtrRefInf></Strd>"
    )
}

/// A free communication (escaped).
pub fn text_remittance(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("<Ustrd>{escaped}</Ustrd>")
}

fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// One statement of `account` dated `on`, numbered `sequence`, opening at zero.
pub fn statement(account: &str, sequence: u32, on: Date, entries: &[Entry]) -> String {
    let closing: i64 = entries.iter().map(|e| e.cents).sum();
    let side = |cents: i64| if cents < 0 { "DBIT" } else { "CRDT" };
    let mut xml = String::with_capacity(entries.len() * 900 + 2_000);
    xml.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
<GrpHdr><MsgId>RUCHE-{on}-{sequence}</MsgId><CreDtTm>{on}T06:00:00</CreDtTm></GrpHdr>\
<Stmt><Id>{on}-{sequence:03}</Id><ElctrncSeqNb>{sequence}</ElctrncSeqNb><CreDtTm>{on}T06:00:00</CreDtTm>\
<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>\
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{on}</Dt></Dt></Bal>\
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Dt><Dt>{on}</Dt></Dt></Bal>\n",
        amount(closing),
        side(closing)
    ));
    for (i, e) in entries.iter().enumerate() {
        let party = if e.cents < 0 { "Cdtr" } else { "Dbtr" };
        xml.push_str(&format!(
            "<Ntry><NtryRef>{}</NtryRef><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Sts>BOOK</Sts>\
<BookgDt><Dt>{on}</Dt></BookgDt><ValDt><Dt>{on}</Dt></ValDt><AcctSvcrRef>{}</AcctSvcrRef>\
<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy=\"EUR\">{}</Amt></TxAmt></AmtDtls>\
<RltdPties><{party}><Nm>{}</Nm></{party}><{party}Acct><Id><IBAN>{}</IBAN></Id></{party}Acct></RltdPties>\
<RmtInf>{}</RmtInf></TxDtls></NtryDtls></Ntry>\n",
            i + 1,
            amount(e.cents),
            side(e.cents),
            e.reference,
            amount(e.cents),
            e.name,
            e.iban,
            e.remittance
        ));
    }
    xml.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    xml
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_written_statement_reads_back_with_its_references() {
        let on = Date::new(2026, 3, 2).unwrap();
        let entries = [
            Entry {
                reference: "R1".into(),
                cents: 12_100,
                name: "Client".into(),
                iban: "BE71096123456769".into(),
                remittance: ogm_remittance("090933755493"),
            },
            Entry {
                reference: "R2".into(),
                cents: -350,
                name: "Banque".into(),
                iban: "BE71096123456769".into(),
                remittance: text_remittance("Frais <tenue> & co"),
            },
        ];
        let xml = statement("BE68539007547034", 7, on, &entries);
        let file = ruche_formats::statement::read("s.xml", xml.as_bytes()).unwrap();
        let s = &file.statements[0];
        assert_eq!(
            (s.sequence.as_deref(), s.closing_cents),
            (Some("7"), Some(11_750))
        );
        assert_eq!(s.movements[0].ogm.as_deref(), Some("090933755493"));
        assert_eq!(s.movements[1].amount_cents, -350);
        assert_eq!(
            s.movements[1].free_text.as_deref(),
            Some("Frais <tenue> & co")
        );
    }
}
