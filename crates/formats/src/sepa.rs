//! SEPA credit transfer initiation, ISO 20022 `pain.001.001.09` (`shared/reference/payments.md`
//! §7): the file a legal entity hands its bank to pay salaries, expense reimbursements and
//! refunds in one go.
//!
//! [`write_pain001`] checks its input and writes the XML in the order of the XSD sequences
//! (`shared/schemas/sepa/pain.001.001.09.xsd`): a name out of order makes the whole file
//! invalid, so the order is spelled out here, as in the UBL writer. Names, addresses and
//! texts are transliterated into the SEPA character set
//! ([`ruche_domain::sepa_text::to_sepa_text`]); every postal address is structured, with
//! town and country (unstructured addresses are refused from 15 Nov 2026).

use jiff::civil::{Date, DateTime};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use ruche_domain::ident::Iban;
use ruche_domain::payout::{
    MAX_BUILDING_CHARS, MAX_NAME_CHARS, MAX_POSTCODE_CHARS, MAX_REMITTANCE_CHARS, MAX_STREET_CHARS,
    MAX_TOWN_CHARS, PostalAddress, Remittance, parse_bic,
};
use ruche_domain::sepa_text::{is_sepa_reference, to_sepa_text};

const NS: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

/// The most transactions one file carries (TigerStyle: a bound on every loop). Banks take
/// files of some tens of thousands of transfers; a cooperative's monthly salaries fit.
pub const MAX_TRANSACTIONS: usize = 100_000;

/// The largest amount of one transfer: 999,999,999.99 € (EPC: `InstdAmt` at most
/// 999999999.99).
pub const MAX_AMOUNT_CENTS: i64 = 99_999_999_999;

/// Why a file is refused. `path` names the element, with the group and transaction
/// numbers counted from 1: `PmtInf[1]/CdtTrfTxInf[2]/Cdtr/PstlAdr/TwnNm`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SepaError {
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: &'static str },
    /// A file without any transaction.
    #[error("no transaction to pay")]
    Empty,
    #[error("XML writer: {0}")]
    Xml(String),
}

impl From<std::io::Error> for SepaError {
    fn from(e: std::io::Error) -> Self {
        SepaError::Xml(e.to_string())
    }
}

/// `PmtTpInf/CtgyPurp/Cd` of a payment group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryPurpose {
    /// `SALA`: salaries.
    Salary,
}

impl CategoryPurpose {
    pub fn code(self) -> &'static str {
        match self {
            CategoryPurpose::Salary => "SALA",
        }
    }
}

/// A party: its name and structured postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SepaParty {
    pub name: String,
    pub address: PostalAddress,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditTransferInitiation {
    /// `GrpHdr/MsgId`: unique per initiating party, at most 35 characters.
    pub message_id: String,
    /// `GrpHdr/CreDtTm`, local (Brussels) time.
    pub created_at: DateTime,
    /// `GrpHdr/InitgPty/Nm`.
    pub initiating_party: String,
    pub groups: Vec<PaymentGroup>,
}

/// One `PmtInf`: one debtor account, one execution date, one category purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentGroup {
    pub payment_info_id: String,
    pub debtor: SepaParty,
    pub debtor_iban: Iban,
    /// `DbtrAgt/FinInstnId/BICFI`; when unknown the agent is written `Othr/Id = NOTPROVIDED`
    /// (the element is mandatory in the .09 XSD; IBAN-only is allowed within SEPA).
    pub debtor_bic: Option<String>,
    pub execution_date: Date,
    pub category_purpose: Option<CategoryPurpose>,
    /// `BtchBookg`: true for one debit line on the statement for the whole group.
    pub batch_booking: bool,
    pub transactions: Vec<CreditTransfer>,
}

/// One `CdtTrfTxInf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditTransfer {
    /// `PmtId/EndToEndId`: it comes back on the camt.053 debit and settles the order.
    pub end_to_end_id: String,
    pub amount_cents: i64,
    pub creditor: SepaParty,
    pub creditor_iban: Iban,
    pub creditor_bic: Option<String>,
    pub remittance: Option<Remittance>,
}

/// The pain.001.001.09 XML of `msg`, or the first thing wrong with it.
pub fn write_pain001(msg: &CreditTransferInitiation) -> Result<String, SepaError> {
    check(msg)?;
    let count: usize = msg.groups.iter().map(|g| g.transactions.len()).sum();
    let total: i64 = msg.groups.iter().map(group_sum).sum();
    let mut out = Out(Writer::new_with_indent(Vec::new(), b' ', 2));
    out.0
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    out.group_with("Document", &[("xmlns", NS)], |o| {
        o.group("CstmrCdtTrfInitn", |o| {
            o.group("GrpHdr", |o| {
                o.leaf("MsgId", &msg.message_id)?;
                o.leaf(
                    "CreDtTm",
                    &msg.created_at.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
                )?;
                o.leaf("NbOfTxs", &count.to_string())?;
                o.leaf("CtrlSum", &amount(total))?;
                o.group("InitgPty", |o| {
                    o.leaf("Nm", &to_sepa_text(&msg.initiating_party))
                })
            })?;
            msg.groups.iter().try_for_each(|g| payment_group(o, g))
        })
    })?;
    String::from_utf8(out.0.into_inner()).map_err(|e| SepaError::Xml(e.to_string()))
}

fn group_sum(g: &PaymentGroup) -> i64 {
    g.transactions.iter().map(|t| t.amount_cents).sum()
}

fn payment_group(o: &mut Out, g: &PaymentGroup) -> Result<(), SepaError> {
    o.group("PmtInf", |o| {
        o.leaf("PmtInfId", &g.payment_info_id)?;
        o.leaf("PmtMtd", "TRF")?;
        o.leaf("BtchBookg", if g.batch_booking { "true" } else { "false" })?;
        o.leaf("NbOfTxs", &g.transactions.len().to_string())?;
        o.leaf("CtrlSum", &amount(group_sum(g)))?;
        o.group("PmtTpInf", |o| {
            o.group("SvcLvl", |o| o.leaf("Cd", "SEPA"))?;
            match g.category_purpose {
                Some(purpose) => o.group("CtgyPurp", |o| o.leaf("Cd", purpose.code())),
                None => Ok(()),
            }
        })?;
        o.group("ReqdExctnDt", |o| {
            o.leaf("Dt", &g.execution_date.to_string())
        })?;
        party(o, "Dbtr", &g.debtor)?;
        account(o, "DbtrAcct", &g.debtor_iban)?;
        o.group("DbtrAgt", |o| {
            o.group("FinInstnId", |o| match &g.debtor_bic {
                Some(bic) => o.leaf("BICFI", bic),
                None => o.group("Othr", |o| o.leaf("Id", "NOTPROVIDED")),
            })
        })?;
        o.leaf("ChrgBr", "SLEV")?;
        g.transactions.iter().try_for_each(|t| transfer(o, t))
    })
}

fn transfer(o: &mut Out, t: &CreditTransfer) -> Result<(), SepaError> {
    o.group("CdtTrfTxInf", |o| {
        o.group("PmtId", |o| o.leaf("EndToEndId", &t.end_to_end_id))?;
        o.group("Amt", |o| {
            o.leaf_with("InstdAmt", &[("Ccy", "EUR")], &amount(t.amount_cents))
        })?;
        if let Some(bic) = &t.creditor_bic {
            o.group("CdtrAgt", |o| {
                o.group("FinInstnId", |o| o.leaf("BICFI", bic))
            })?;
        }
        party(o, "Cdtr", &t.creditor)?;
        account(o, "CdtrAcct", &t.creditor_iban)?;
        match &t.remittance {
            None => Ok(()),
            Some(Remittance::Text(text)) => {
                o.group("RmtInf", |o| o.leaf("Ustrd", &to_sepa_text(text)))
            }
            // A Belgian structured communication: creditor reference of type SCOR issued
            // by BBA (Belgian Bankers' Association), the twelve digits (payments.md §7.2).
            Some(Remittance::Ogm(ogm)) => o.group("RmtInf", |o| {
                o.group("Strd", |o| {
                    o.group("CdtrRefInf", |o| {
                        o.group("Tp", |o| {
                            o.group("CdOrPrtry", |o| o.leaf("Cd", "SCOR"))?;
                            o.leaf("Issr", "BBA")
                        })?;
                        o.leaf("Ref", ogm.as_str())
                    })
                })
            }),
        }
    })
}

fn party(o: &mut Out, name: &str, p: &SepaParty) -> Result<(), SepaError> {
    o.group(name, |o| {
        o.leaf("Nm", &to_sepa_text(&p.name))?;
        o.group("PstlAdr", |o| {
            let a = &p.address;
            // PostalAddress24 order: StrtNm, BldgNb, PstCd, TwnNm, Ctry.
            o.optional("StrtNm", a.street.as_deref())?;
            o.optional("BldgNb", a.building_number.as_deref())?;
            o.optional("PstCd", a.postcode.as_deref())?;
            o.leaf("TwnNm", &to_sepa_text(&a.town))?;
            o.leaf("Ctry", &a.country)
        })
    })
}

fn account(o: &mut Out, name: &str, iban: &Iban) -> Result<(), SepaError> {
    o.group(name, |o| o.group("Id", |o| o.leaf("IBAN", iban.as_str())))
}

/// `1850.00`: euros with two decimals and a dot.
fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

// ---------------------------------------------------------------------------------- checks

fn invalid(path: String, reason: &'static str) -> SepaError {
    SepaError::Invalid { path, reason }
}

fn check(msg: &CreditTransferInitiation) -> Result<(), SepaError> {
    check_reference("GrpHdr/MsgId", &msg.message_id)?;
    check_text("GrpHdr/InitgPty/Nm", &msg.initiating_party, MAX_NAME_CHARS)?;
    if msg.groups.is_empty() || msg.groups.iter().all(|g| g.transactions.is_empty()) {
        return Err(SepaError::Empty);
    }
    let count: usize = msg.groups.iter().map(|g| g.transactions.len()).sum();
    if count > MAX_TRANSACTIONS {
        return Err(invalid("GrpHdr/NbOfTxs".into(), "too many transactions"));
    }
    let mut ids = std::collections::HashSet::with_capacity(count);
    for (i, g) in msg.groups.iter().enumerate() {
        let at = format!("PmtInf[{}]", i + 1);
        check_reference(&format!("{at}/PmtInfId"), &g.payment_info_id)?;
        if g.transactions.is_empty() {
            return Err(invalid(
                format!("{at}/CdtTrfTxInf"),
                "a payment group without transactions",
            ));
        }
        check_party(&format!("{at}/Dbtr"), &g.debtor)?;
        if let Some(bic) = &g.debtor_bic {
            check_bic(&format!("{at}/DbtrAgt/FinInstnId/BICFI"), bic)?;
        }
        for (j, t) in g.transactions.iter().enumerate() {
            let at = format!("{at}/CdtTrfTxInf[{}]", j + 1);
            check_reference(&format!("{at}/PmtId/EndToEndId"), &t.end_to_end_id)?;
            if !ids.insert(t.end_to_end_id.as_str()) {
                return Err(invalid(
                    format!("{at}/PmtId/EndToEndId"),
                    "used twice in the file",
                ));
            }
            if t.amount_cents <= 0 {
                return Err(invalid(
                    format!("{at}/Amt/InstdAmt"),
                    "the amount must be positive",
                ));
            }
            if t.amount_cents > MAX_AMOUNT_CENTS {
                return Err(invalid(
                    format!("{at}/Amt/InstdAmt"),
                    "the amount is too large",
                ));
            }
            check_party(&format!("{at}/Cdtr"), &t.creditor)?;
            if let Some(bic) = &t.creditor_bic {
                check_bic(&format!("{at}/CdtrAgt/FinInstnId/BICFI"), bic)?;
            }
            if let Some(Remittance::Text(text)) = &t.remittance {
                check_text(&format!("{at}/RmtInf/Ustrd"), text, MAX_REMITTANCE_CHARS)?;
            }
        }
    }
    Ok(())
}

fn check_reference(path: &str, s: &str) -> Result<(), SepaError> {
    if is_sepa_reference(s) {
        Ok(())
    } else {
        Err(invalid(
            path.into(),
            "1 to 35 SEPA characters, no space, no leading '/' nor '//'",
        ))
    }
}

/// A text that must not be blank and must fit in `max` characters once transliterated.
fn check_text(path: &str, s: &str, max: usize) -> Result<(), SepaError> {
    let sepa = to_sepa_text(s);
    if sepa.is_empty() {
        Err(invalid(path.into(), "required"))
    } else if sepa.chars().count() > max {
        Err(invalid(path.into(), "too long"))
    } else {
        Ok(())
    }
}

fn check_optional(path: &str, s: Option<&str>, max: usize) -> Result<(), SepaError> {
    match s {
        Some(s) => check_text(path, s, max),
        None => Ok(()),
    }
}

fn check_party(path: &str, p: &SepaParty) -> Result<(), SepaError> {
    check_text(&format!("{path}/Nm"), &p.name, MAX_NAME_CHARS)?;
    let a = &p.address;
    let at = format!("{path}/PstlAdr");
    check_optional(
        &format!("{at}/StrtNm"),
        a.street.as_deref(),
        MAX_STREET_CHARS,
    )?;
    check_optional(
        &format!("{at}/BldgNb"),
        a.building_number.as_deref(),
        MAX_BUILDING_CHARS,
    )?;
    check_optional(
        &format!("{at}/PstCd"),
        a.postcode.as_deref(),
        MAX_POSTCODE_CHARS,
    )?;
    // Town and country are mandatory in every address from 15 Nov 2026 (EPC 2025 v1.1).
    check_text(&format!("{at}/TwnNm"), &a.town, MAX_TOWN_CHARS)?;
    let country_ok = a.country.len() == 2 && a.country.bytes().all(|b| b.is_ascii_uppercase());
    if !country_ok {
        return Err(invalid(
            format!("{at}/Ctry"),
            "an ISO 3166 two-letter country code",
        ));
    }
    Ok(())
}

fn check_bic(path: &str, bic: &str) -> Result<(), SepaError> {
    match parse_bic(bic) {
        Ok(b) if b == bic => Ok(()),
        _ => Err(invalid(
            path.into(),
            "a BIC of 8 or 11 upper-case characters",
        )),
    }
}

// ------------------------------------------------------------------------------------ XML

/// The XML being written; every text goes through [`Out::leaf`], which transliterates it
/// into the SEPA set (identifiers and codes are already in it).
struct Out(Writer<Vec<u8>>);

impl Out {
    fn group(
        &mut self,
        name: &str,
        inner: impl FnOnce(&mut Out) -> Result<(), SepaError>,
    ) -> Result<(), SepaError> {
        self.group_with(name, &[], inner)
    }

    fn group_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        inner: impl FnOnce(&mut Out) -> Result<(), SepaError>,
    ) -> Result<(), SepaError> {
        self.0.write_event(Event::Start(
            BytesStart::new(name).with_attributes(attributes.iter().copied()),
        ))?;
        inner(self)?;
        self.0.write_event(Event::End(BytesEnd::new(name)))?;
        Ok(())
    }

    fn leaf(&mut self, name: &str, text: &str) -> Result<(), SepaError> {
        self.leaf_with(name, &[], text)
    }

    fn leaf_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> Result<(), SepaError> {
        let text = to_sepa_text(text);
        self.0
            .create_element(name)
            .with_attributes(attributes.iter().copied())
            .write_text_content(BytesText::new(&text))?;
        Ok(())
    }

    /// An optional element, left out when blank.
    fn optional(&mut self, name: &str, text: Option<&str>) -> Result<(), SepaError> {
        match text.map(to_sepa_text).filter(|t| !t.is_empty()) {
            Some(text) => self.leaf(name, &text),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;
    use ruche_domain::ident::Ogm;

    use super::*;

    fn address(town: &str) -> PostalAddress {
        PostalAddress {
            street: Some("Rue de l'Église".into()),
            building_number: Some("12".into()),
            postcode: Some("4000".into()),
            town: town.into(),
            country: "BE".into(),
        }
    }

    fn transfer(id: &str, cents: i64) -> CreditTransfer {
        CreditTransfer {
            end_to_end_id: id.into(),
            amount_cents: cents,
            creditor: SepaParty {
                name: "Françoise Lemaître".into(),
                address: address("Liège"),
            },
            creditor_iban: Iban::parse("BE71096123456769").unwrap(),
            creditor_bic: None,
            remittance: Some(Remittance::Text("Salaire novembre — net".into())),
        }
    }

    pub(super) fn message() -> CreditTransferInitiation {
        CreditTransferInitiation {
            message_id: "RUCHE-B1".into(),
            created_at: date(2026, 11, 26).at(10, 15, 0, 0),
            initiating_party: "Ruche SC".into(),
            groups: vec![
                PaymentGroup {
                    payment_info_id: "RUCHE-B1-SALA".into(),
                    debtor: SepaParty {
                        name: "Ruche SC".into(),
                        address: address("Bruxelles"),
                    },
                    debtor_iban: Iban::parse("BE68539007547034").unwrap(),
                    debtor_bic: Some("GKCCBEBB".into()),
                    execution_date: date(2026, 11, 30),
                    category_purpose: Some(CategoryPurpose::Salary),
                    batch_booking: true,
                    transactions: vec![transfer("PO-1", 185_000), transfer("PO-2", 1)],
                },
                PaymentGroup {
                    payment_info_id: "RUCHE-B1-OTHR".into(),
                    debtor: SepaParty {
                        name: "Ruche SC".into(),
                        address: address("Bruxelles"),
                    },
                    debtor_iban: Iban::parse("BE68539007547034").unwrap(),
                    debtor_bic: None,
                    execution_date: date(2026, 11, 30),
                    category_purpose: None,
                    batch_booking: true,
                    transactions: vec![CreditTransfer {
                        remittance: Some(Remittance::Ogm(Ogm::parse("202600004236").unwrap())),
                        creditor_bic: Some("GEBABEBB".into()),
                        ..transfer("PO-3", 30_050)
                    }],
                },
            ],
        }
    }

    #[test]
    fn the_totals_count_every_transaction() {
        let xml = write_pain001(&message()).unwrap();
        assert!(xml.contains("<NbOfTxs>3</NbOfTxs>"));
        assert!(xml.contains("<CtrlSum>2150.51</CtrlSum>"));
        assert!(xml.contains("<CtrlSum>1850.01</CtrlSum>"));
        assert!(xml.contains("<CtrlSum>300.50</CtrlSum>"));
        assert!(xml.contains("<InstdAmt Ccy=\"EUR\">0.01</InstdAmt>"));
    }

    #[test]
    fn only_the_salary_group_carries_the_category_purpose_sala() {
        let xml = write_pain001(&message()).unwrap();
        assert_eq!(xml.matches("<CtgyPurp>").count(), 1);
        let sala = xml.find("<Cd>SALA</Cd>").unwrap();
        let second_group = xml.find("RUCHE-B1-OTHR").unwrap();
        assert!(sala < second_group);
    }

    #[test]
    fn names_and_texts_are_transliterated() {
        let xml = write_pain001(&message()).unwrap();
        assert!(xml.contains("<Nm>Francoise Lemaitre</Nm>"));
        assert!(xml.contains("<TwnNm>Liege</TwnNm>"));
        assert!(
            xml.contains("<StrtNm>Rue de l'Eglise</StrtNm>")
                || xml.contains("<StrtNm>Rue de l&apos;Eglise</StrtNm>")
        );
        assert!(xml.contains("<Ustrd>Salaire novembre - net</Ustrd>"));
        assert!(xml.is_ascii());
    }

    #[test]
    fn an_unknown_debtor_bic_is_written_not_provided() {
        let xml = write_pain001(&message()).unwrap();
        assert!(xml.contains("<Othr>\n"));
        assert!(xml.contains("<Id>NOTPROVIDED</Id>"));
        assert!(xml.contains("<BICFI>GKCCBEBB</BICFI>"));
        assert!(xml.contains("<Ref>202600004236</Ref>"));
    }

    #[test]
    fn bad_input_is_refused_with_the_element_it_concerns() {
        let mut m = message();
        m.groups[0].transactions[1].amount_cents = 0;
        assert_eq!(
            write_pain001(&m),
            Err(invalid(
                "PmtInf[1]/CdtTrfTxInf[2]/Amt/InstdAmt".into(),
                "the amount must be positive"
            ))
        );
        let mut m = message();
        m.groups[1].transactions[0].creditor.address.town = " ".into();
        assert!(
            matches!(write_pain001(&m), Err(SepaError::Invalid { path, .. })
            if path == "PmtInf[2]/CdtTrfTxInf[1]/Cdtr/PstlAdr/TwnNm")
        );
        let mut m = message();
        m.groups[0].debtor.address.country = "Belgique".into();
        assert!(write_pain001(&m).is_err());
        let mut m = message();
        m.groups[1].transactions[0].end_to_end_id = "PO-1".into();
        assert!(
            matches!(write_pain001(&m), Err(SepaError::Invalid { reason, .. })
            if reason == "used twice in the file")
        );
        let mut m = message();
        m.message_id = "X".repeat(36);
        assert!(write_pain001(&m).is_err());
        let mut m = message();
        m.groups[0].transactions[0].remittance = Some(Remittance::Text("x".repeat(141)));
        assert!(write_pain001(&m).is_err());
        let mut m = message();
        m.groups.clear();
        assert_eq!(write_pain001(&m), Err(SepaError::Empty));
    }
}
