//! The reader: the element tree of a camt.053 into [`CamtFile`]. Mandatory elements are
//! those the two XSDs require and the model cannot do without; everything else is optional.

use jiff::civil::Date;
use ruche_domain::ident::Ogm;

use super::check::check;
use super::{
    Account, Balance, CamtError, CamtFile, CamtVersion, CamtWarning, CreditorReference, Entry,
    EntryStatus, Statement, Transaction,
};
use crate::UblError;
use crate::ubl::parse_amount;
use crate::ubl::tree::{self, Element};

const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";

/// Reads a camt.053 `.001.02` or `.001.08` document. Errors only when the document cannot
/// be read; what does not add up is in [`CamtFile::warnings`].
pub fn parse(xml: &str) -> Result<CamtFile, CamtError> {
    let root = tree::parse(xml).map_err(|e| match e {
        UblError::Xml(message) => CamtError::Xml(message),
        other => CamtError::Xml(other.to_string()),
    })?;
    if root.name != "Document" {
        return Err(CamtError::NotCamt053(format!(
            "the root is <{}>",
            root.name
        )));
    }
    let body = root
        .child("BkToCstmrStmt")
        .ok_or_else(|| CamtError::NotCamt053("<Document> holds no <BkToCstmrStmt>".into()))?;

    let mut warnings = Vec::new();
    let version = version(&root);
    if let CamtVersion::Other(namespace) = &version {
        warnings.push(CamtWarning::UnknownVersion(namespace.clone()));
    }
    let message_id = required(body, &["GrpHdr", "MsgId"], "BkToCstmrStmt")?.to_string();

    let mut statements = Vec::new();
    for (i, stmt) in body.all("Stmt").enumerate() {
        statements.push(statement(stmt, &format!("Stmt[{}]", i + 1), &mut warnings)?);
    }
    if statements.is_empty() {
        return Err(CamtError::Missing("BkToCstmrStmt/Stmt".into()));
    }
    for statement in &statements {
        check(statement, &mut warnings);
    }
    Ok(CamtFile {
        version,
        message_id,
        statements,
        warnings,
    })
}

/// The version from whichever attribute binds the camt.053 namespace (default or prefixed).
fn version(root: &Element) -> CamtVersion {
    let namespace = root
        .attributes
        .iter()
        .map(|(_, value)| value.trim())
        .find(|value| value.starts_with(NAMESPACE_PREFIX));
    match namespace {
        Some(ns) if ns.ends_with(".001.02") => CamtVersion::V02,
        Some(ns) if ns.ends_with(".001.08") => CamtVersion::V08,
        Some(ns) => CamtVersion::Other(ns.to_string()),
        None => CamtVersion::Other(
            root.attribute("xmlns")
                .unwrap_or("(no namespace)")
                .to_string(),
        ),
    }
}

fn statement(
    stmt: &Element,
    at: &str,
    warnings: &mut Vec<CamtWarning>,
) -> Result<Statement, CamtError> {
    let id = required(stmt, &["Id"], at)?.to_string();
    let acct = stmt
        .child("Acct")
        .ok_or_else(|| CamtError::Missing(format!("{at}/Acct")))?;
    let account = Account {
        iban: text(acct, &["Id", "IBAN"]),
        other_id: text(acct, &["Id", "Othr", "Id"]),
        currency: text(acct, &["Ccy"]),
    };
    if account.iban.is_none() && account.other_id.is_none() {
        return Err(CamtError::Missing(format!("{at}/Acct/Id")));
    }

    let (mut opening, mut previous_closing, mut closing) = (None, None, None);
    let mut other_balances = Vec::new();
    for (i, bal) in stmt.all("Bal").enumerate() {
        let balance = balance(bal, &format!("{at}/Bal[{}]", i + 1))?;
        match balance.kind.as_str() {
            "OPBD" if opening.is_none() => opening = Some(balance),
            "PRCD" if previous_closing.is_none() => previous_closing = Some(balance),
            "CLBD" if closing.is_none() => closing = Some(balance),
            // ISO 20022 BalanceType12Code: known, not used for the booked-balance check.
            "OPBD" | "PRCD" | "CLBD" | "OPAV" | "ITAV" | "CLAV" | "FWAV" | "ITBD" | "XPCD"
            | "INFO" => other_balances.push(balance),
            code => {
                warnings.push(CamtWarning::UnknownBalanceType {
                    statement: id.clone(),
                    code: code.to_string(),
                });
                other_balances.push(balance);
            }
        }
    }
    // PRCD is the previous statement's closing: the opening when the bank sends no OPBD.
    let opening = opening.or(previous_closing);

    let mut entries = Vec::new();
    for (i, ntry) in stmt.all("Ntry").enumerate() {
        entries.push(entry(ntry, &format!("{at}/Ntry[{}]", i + 1))?);
    }
    Ok(Statement {
        electronic_sequence: number(stmt, "ElctrncSeqNb", at)?,
        legal_sequence: number(stmt, "LglSeqNb", at)?,
        created_on: optional_date(stmt.child("CreDtTm"), &format!("{at}/CreDtTm"))?,
        id,
        account,
        opening,
        closing,
        other_balances,
        entries,
    })
}

fn balance(bal: &Element, at: &str) -> Result<Balance, CamtError> {
    let kind = text(bal, &["Tp", "CdOrPrtry", "Cd"])
        .or_else(|| text(bal, &["Tp", "CdOrPrtry", "Prtry"]))
        .ok_or_else(|| CamtError::Missing(format!("{at}/Tp/CdOrPrtry/Cd")))?;
    let date = date_choice(bal.child("Dt"), &format!("{at}/Dt"))?
        .ok_or_else(|| CamtError::Missing(format!("{at}/Dt/Dt")))?;
    Ok(Balance {
        kind,
        cents: signed_amount(bal, at)?,
        currency: bal
            .child("Amt")
            .and_then(|a| a.attribute("Ccy"))
            .map(Into::into),
        date,
    })
}

fn entry(ntry: &Element, at: &str) -> Result<Entry, CamtError> {
    let cents = signed_amount(ntry, at)?;
    let reversal = match text(ntry, &["RvslInd"]) {
        None => false,
        Some(flag) => boolean(&flag).ok_or_else(|| CamtError::Invalid {
            path: format!("{at}/RvslInd"),
            value: flag.clone(),
            reason: "not true or false",
        })?,
    };
    // .02: <Sts>BOOK</Sts>; .08: <Sts><Cd>BOOK</Cd></Sts> (or <Prtry>).
    let status = text(ntry, &["Sts"])
        .or_else(|| text(ntry, &["Sts", "Cd"]))
        .or_else(|| text(ntry, &["Sts", "Prtry"]))
        .ok_or_else(|| CamtError::Missing(format!("{at}/Sts")))?;
    let status = match status.as_str() {
        "BOOK" => EntryStatus::Booked,
        "PDNG" => EntryStatus::Pending,
        "INFO" => EntryStatus::Information,
        _ => EntryStatus::Other(status),
    };
    // From the indicator, not from `cents`: a zero-amount debit still has debit details.
    let sign = indicator_sign(ntry, at)?;
    let currency = ntry.child("Amt").and_then(|a| a.attribute("Ccy"));
    let mut transactions = Vec::new();
    for (i, details) in ntry.all("NtryDtls").enumerate() {
        for (j, tx) in details.all("TxDtls").enumerate() {
            let tx_at = format!("{at}/NtryDtls[{}]/TxDtls[{}]", i + 1, j + 1);
            transactions.push(transaction(tx, &tx_at, sign, currency, reversal)?);
        }
    }
    Ok(Entry {
        reference: text(ntry, &["NtryRef"]),
        cents,
        currency: currency.map(Into::into),
        reversal,
        status,
        booking_date: date_choice(ntry.child("BookgDt"), &format!("{at}/BookgDt"))?,
        value_date: date_choice(ntry.child("ValDt"), &format!("{at}/ValDt"))?,
        servicer_reference: text(ntry, &["AcctSvcrRef"]),
        additional_info: text(ntry, &["AddtlNtryInf"]),
        transactions,
    })
}

fn transaction(
    tx: &Element,
    at: &str,
    entry_sign: i64,
    entry_currency: Option<&str>,
    reversal: bool,
) -> Result<Transaction, CamtError> {
    // .08 may give the detail its own indicator; otherwise it follows the entry.
    let sign = match tx.child("CdtDbtInd") {
        Some(_) => indicator_sign(tx, at)?,
        None => entry_sign,
    };
    // The side of the original payment: a reversal books the opposite way.
    let money_in = (sign > 0) != reversal;
    // The booked amount, in the entry's currency: the instructed amount only stands in
    // when it is in that currency too (a foreign-currency payment is converted).
    let amount = [
        (vec!["Amt"], "Amt"),
        (vec!["AmtDtls", "TxAmt", "Amt"], "AmtDtls/TxAmt/Amt"),
        (vec!["AmtDtls", "InstdAmt", "Amt"], "AmtDtls/InstdAmt/Amt"),
    ]
    .into_iter()
    .find_map(|(path, name)| {
        let el = tx.at(&path)?;
        let other_currency = matches!(
            (el.attribute("Ccy"), entry_currency),
            (Some(ccy), Some(entry)) if ccy != entry
        );
        if name == "AmtDtls/InstdAmt/Amt" && other_currency {
            return None;
        }
        el.text().map(|t| (t.to_string(), name))
    });
    let cents = match amount {
        None => None,
        Some((value, name)) => Some(sign * cents(&value, &format!("{at}/{name}"))?),
    };

    let (party, account) = if money_in {
        ("Dbtr", "DbtrAcct")
    } else {
        ("Cdtr", "CdtrAcct")
    };
    let parties = tx.child("RltdPties");
    let counterparty_name =
        parties.and_then(|p| text(p, &[party, "Nm"]).or_else(|| text(p, &[party, "Pty", "Nm"])));
    let counterparty_iban = parties.and_then(|p| text(p, &[account, "Id", "IBAN"]));

    let mut creditor_references = Vec::new();
    let mut unstructured = Vec::new();
    if let Some(rmt) = tx.child("RmtInf") {
        for strd in rmt.all("Strd") {
            for info in strd.all("CdtrRefInf") {
                if let Some(reference) = text(info, &["Ref"]) {
                    creditor_references
                        .push(creditor_reference(text(info, &["Tp", "Issr"]), reference));
                }
            }
        }
        unstructured.extend(rmt.all("Ustrd").filter_map(|u| u.text().map(Into::into)));
    }
    Ok(Transaction {
        end_to_end_id: text(tx, &["Refs", "EndToEndId"]),
        cents,
        counterparty_name,
        counterparty_iban,
        creditor_references,
        unstructured,
        additional_info: text(tx, &["AddtlTxInf"]),
    })
}

fn creditor_reference(issuer: Option<String>, reference: String) -> CreditorReference {
    match issuer.as_deref().map(str::to_ascii_uppercase).as_deref() {
        Some("BBA") => {
            let digits: String = reference.chars().filter(char::is_ascii_digit).collect();
            let digits = if digits.len() == 12 {
                digits
            } else {
                reference
            };
            CreditorReference::Ogm {
                ogm: Ogm::parse(&digits).ok(),
                digits,
            }
        }
        Some("ISO") => CreditorReference::Rf(reference),
        _ => CreditorReference::Other { issuer, reference },
    }
}

/// `Amt` signed by the sibling `CdtDbtInd`.
fn signed_amount(el: &Element, at: &str) -> Result<i64, CamtError> {
    let sign = indicator_sign(el, at)?;
    let value = required(el, &["Amt"], at)?;
    Ok(sign * cents(value, &format!("{at}/Amt"))?)
}

fn indicator_sign(el: &Element, at: &str) -> Result<i64, CamtError> {
    match required(el, &["CdtDbtInd"], at)? {
        "CRDT" => Ok(1),
        "DBIT" => Ok(-1),
        other => Err(CamtError::Invalid {
            path: format!("{at}/CdtDbtInd"),
            value: other.to_string(),
            reason: "neither CRDT nor DBIT",
        }),
    }
}

/// An unsigned amount in cents: the XSDs forbid a negative amount (the sign is
/// `CdtDbtInd`), and refusing one also keeps the signing below from overflowing.
fn cents(value: &str, path: &str) -> Result<i64, CamtError> {
    let invalid = |reason| CamtError::Invalid {
        path: path.to_string(),
        value: value.to_string(),
        reason,
    };
    let cents =
        parse_amount(value).ok_or_else(|| invalid("not an amount with at most two decimals"))?;
    if cents < 0 {
        return Err(invalid("negative: the sign belongs in CdtDbtInd"));
    }
    Ok(cents)
}

/// A `DateAndDateTimeChoice` (`Dt` or `DtTm`), or an `ISODateTime` itself: the date as
/// written, without moving it to another time zone.
fn date_choice(el: Option<&Element>, at: &str) -> Result<Option<Date>, CamtError> {
    let Some(el) = el else { return Ok(None) };
    match el.child("Dt").or_else(|| el.child("DtTm")) {
        Some(inner) => optional_date(Some(inner), at),
        None => Ok(None),
    }
}

fn optional_date(el: Option<&Element>, at: &str) -> Result<Option<Date>, CamtError> {
    let Some(value) = el.and_then(Element::text) else {
        return Ok(None);
    };
    value
        .get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .map(Some)
        .ok_or_else(|| CamtError::Invalid {
            path: at.to_string(),
            value: value.to_string(),
            reason: "not a date YYYY-MM-DD",
        })
}

fn number(el: &Element, name: &str, at: &str) -> Result<Option<u64>, CamtError> {
    let Some(value) = text(el, &[name]) else {
        return Ok(None);
    };
    value
        .parse::<u64>()
        .map(Some)
        .map_err(|_| CamtError::Invalid {
            path: format!("{at}/{name}"),
            value,
            reason: "not a whole number",
        })
}

/// `xs:boolean`.
fn boolean(value: &str) -> Option<bool> {
    match value {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn text(el: &Element, path: &[&str]) -> Option<String> {
    el.text_at(path).map(Into::into)
}

fn required<'a>(el: &'a Element, path: &[&str], at: &str) -> Result<&'a str, CamtError> {
    el.text_at(path)
        .ok_or_else(|| CamtError::Missing(format!("{at}/{}", path.join("/"))))
}
