//! `ruche bank import <file>`: reads a CODA or camt.053 statement file with
//! `ruche_formats`, turns its statements into the store's plain inputs, imports them and
//! prints what was taken (payments.md §1: the import reports line by line).

use std::path::Path;

use anyhow::{Context, Result};
use jiff::civil::Date;
use ruche_domain::ident::Ogm;
use ruche_formats::{camt, coda};
use ruche_store::bank::{BankMovementInput, ImportReport, StatementFormat, StatementInput};
use ruche_store::{AuditContext, Store};

/// What the file held, ready for the store, and the parser's warnings to show.
pub struct Parsed {
    pub statements: Vec<StatementInput>,
    pub warnings: Vec<String>,
}

/// Reads `path`, imports every statement it holds, and prints the warnings and the report.
pub async fn import_file(store: &Store, path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let parsed = parse(&decode(&bytes))?;
    for warning in &parsed.warnings {
        println!("warning: {warning}");
    }
    let ctx = AuditContext::system();
    let mut total = ImportReport::default();
    for statement in &parsed.statements {
        let report = store
            .import_statement(&ctx, statement)
            .await
            .with_context(|| format!("importing the statement of {}", statement.account_iban))?;
        total.read += report.read;
        total.new += report.new;
        total.already_known += report.already_known;
        total.matched += report.matched;
        total.unmatched += report.unmatched;
    }
    println!("statements:    {}", parsed.statements.len());
    println!("read:          {}", total.read);
    println!("new:           {}", total.new);
    println!("already known: {}", total.already_known);
    println!("matched:       {}", total.matched);
    println!("unmatched:     {}", total.unmatched);
    Ok(())
}

/// CODA files are often Latin-1; camt.053 is UTF-8. Each Latin-1 byte is its own code point.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// An XML document (camt.053) starts with `<`, once a byte-order mark and blanks are
/// skipped; anything else is read as CODA.
pub fn parse(text: &str) -> Result<Parsed> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        let file = camt::parse(trimmed).context("reading the camt.053 file")?;
        Ok(from_camt(&file))
    } else {
        let file = coda::parse(text).context("reading the CODA file")?;
        Ok(from_coda(&file))
    }
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub fn from_coda(file: &coda::CodaFile) -> Parsed {
    let mut warnings: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
    let mut statements = Vec::with_capacity(file.statements.len());
    for statement in &file.statements {
        let account_iban = statement
            .account
            .iban
            .as_ref()
            .map(|iban| iban.as_str().to_string())
            .unwrap_or_else(|| statement.account.number.clone());
        let statement_date = statement
            .new_balance
            .and_then(|b| b.date)
            .or(statement.old_balance.date);
        let mut movements = Vec::with_capacity(statement.movements.len());
        // Only the movements with detail number 0000 add up to the balance (payments.md §3.2);
        // their details serve for matching later.
        for movement in &statement.movements {
            let Some(booked_on) = movement
                .entry_date
                .or(movement.value_date)
                .or(statement_date)
            else {
                warnings.push(format!(
                    "line {}: a movement without any date, not imported",
                    movement.line
                ));
                continue;
            };
            // Statement numbers have 3 digits and wrap over the years: the key also holds
            // the statement's date (payments.md §4.1, proposal).
            let date_key = statement_date.map(|d| d.to_string()).unwrap_or_default();
            let bank_reference = format!(
                "{date_key}/{:03}/{:04}/{:04}/{}",
                statement.sequence,
                movement.sequence,
                movement.detail,
                movement.bank_reference.trim()
            );
            let free_text = match &movement.communication {
                coda::Communication::Free(text) => non_empty(text),
                coda::Communication::Structured { text, .. } => non_empty(text),
                coda::Communication::Ogm(reference) => non_empty(&reference.digits),
            };
            movements.push(BankMovementInput {
                bank_reference,
                account_iban: account_iban.clone(),
                booked_on,
                value_date: movement.value_date,
                amount_cents: movement.amount_cents,
                counterparty_name: non_empty(&movement.counterparty_name),
                counterparty_iban: non_empty(&movement.counterparty_account),
                ogm: movement.ogm().map(|o| o.as_str().to_string()),
                free_text,
            });
        }
        statements.push(StatementInput {
            format: StatementFormat::Coda,
            account_iban,
            sequence: Some(format!("{:03}", statement.sequence)),
            opening_cents: Some(statement.old_balance.cents),
            closing_cents: statement.new_balance.map(|b| b.cents),
            movements,
        });
    }
    Parsed {
        statements,
        warnings,
    }
}

/// The OGM of an entry: the `BBA` reference of its only transaction, or failing that its
/// free text when that is an OGM and nothing else. A batch (several transactions) pays
/// several invoices at once: it waits for a person.
fn camt_ogm(entry: &camt::Entry) -> Option<String> {
    let [transaction] = entry.transactions.as_slice() else {
        return None;
    };
    let structured = transaction
        .creditor_references
        .iter()
        .find_map(|reference| match reference {
            camt::CreditorReference::Ogm { ogm, .. } => ogm.clone(),
            _ => None,
        });
    structured
        .or_else(|| {
            transaction
                .unstructured
                .iter()
                .find_map(|text| Ogm::parse(text.trim()).ok())
        })
        .map(|o| o.as_str().to_string())
}

pub fn from_camt(file: &camt::CamtFile) -> Parsed {
    let mut warnings: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
    let mut statements = Vec::with_capacity(file.statements.len());
    for statement in &file.statements {
        let account_iban = statement
            .account
            .iban
            .clone()
            .or_else(|| statement.account.other_id.clone())
            .unwrap_or_default();
        let fallback_date: Option<Date> = statement
            .closing
            .as_ref()
            .map(|b| b.date)
            .or(statement.created_on);
        let mut movements = Vec::with_capacity(statement.entries.len());
        for (index, entry) in statement.entries.iter().enumerate() {
            // Only booked entries move money (payments.md §4.1).
            if entry.status != camt::EntryStatus::Booked {
                continue;
            }
            let position = index + 1;
            let Some(booked_on) = entry.booking_date.or(entry.value_date).or(fallback_date) else {
                warnings.push(format!(
                    "statement {}, entry {position}: no date, not imported",
                    statement.id
                ));
                continue;
            };
            // The bank's AcctSvcrRef, or (statement Id, NtryRef) when it gives none.
            let bank_reference = entry.servicer_reference.clone().unwrap_or_else(|| {
                let entry_ref = entry
                    .reference
                    .clone()
                    .unwrap_or_else(|| format!("#{position}"));
                format!("{}/{entry_ref}", statement.id)
            });
            let first = entry.transactions.first();
            let mut texts: Vec<String> = entry
                .transactions
                .iter()
                .flat_map(|t| t.unstructured.iter().cloned())
                .collect();
            if let Some(info) = &entry.additional_info {
                texts.push(info.clone());
            }
            movements.push(BankMovementInput {
                bank_reference,
                account_iban: account_iban.clone(),
                booked_on,
                value_date: entry.value_date,
                amount_cents: entry.cents,
                counterparty_name: first.and_then(|t| t.counterparty_name.clone()),
                counterparty_iban: first.and_then(|t| t.counterparty_iban.clone()),
                ogm: camt_ogm(entry),
                free_text: non_empty(&texts.join(" ")),
            });
        }
        statements.push(StatementInput {
            format: StatementFormat::Camt053,
            account_iban,
            sequence: statement
                .electronic_sequence
                .or(statement.legal_sequence)
                .map(|n| n.to_string())
                .or_else(|| Some(statement.id.clone())),
            opening_cents: statement.opening.as_ref().map(|b| b.cents),
            closing_cents: statement.closing.as_ref().map(|b| b.cents),
            movements,
        });
    }
    Parsed {
        statements,
        warnings,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_camt_sample_with_an_ogm_is_read_with_its_ogm() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/samples/camt/be-camt.053.001.02-ogm-example.xml"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let parsed = parse(&text).unwrap();
        assert!(!parsed.statements.is_empty());
        assert!(
            parsed
                .statements
                .iter()
                .flat_map(|s| &s.movements)
                .any(|m| m.ogm.is_some())
        );
    }

    #[test]
    fn text_not_starting_with_a_bracket_is_read_as_coda() {
        assert!(parse("not a statement").is_err());
    }
}
