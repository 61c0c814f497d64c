//! A bank statement file of either kind (CODA v2 or camt.053), read into the
//! [`StatementFile`] the store imports: the format is recognised from the content, the
//! movements keep the bank's references (the import's idempotency key, payments.md §4.1),
//! and what the parser flagged travels with them as warnings.

use jiff::civil::Date;
use ruche_domain::bank::{BankMovementInput, StatementFile, StatementFormat, StatementInput};
use ruche_domain::ident::Ogm;
use sha2::{Digest, Sha256};

use crate::{camt, coda};

/// Why a file cannot be read at all: nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// Neither an XML document nor CODA records.
    #[error("the file is neither a CODA nor a camt.053 statement")]
    Unknown,
    #[error("CODA: {0}")]
    Coda(#[from] coda::CodaError),
    #[error("camt.053: {0}")]
    Camt(#[from] camt::CamtError),
}

impl StatementError {
    /// Stable code, used as a translation-key suffix.
    pub fn code(&self) -> &'static str {
        match self {
            StatementError::Unknown => "unknown-format",
            StatementError::Coda(_) => "coda",
            StatementError::Camt(_) => "camt",
        }
    }
}

/// CODA files are often Latin-1; camt.053 is UTF-8. Each Latin-1 byte is its own code point.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Reads a statement file. An XML document (camt.053) starts with `<` once a byte-order
/// mark and blanks are skipped; a CODA file with its header record `0`; anything else is
/// refused.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<StatementFile, StatementError> {
    let text = decode(bytes);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let (format, statements, warnings) = if trimmed.starts_with('<') {
        let file = camt::parse(trimmed)?;
        let (statements, warnings) = from_camt(&file);
        (StatementFormat::Camt053, statements, warnings)
    } else if trimmed.starts_with('0') {
        let file = coda::parse(&text)?;
        let (statements, warnings) = from_coda(&file);
        (StatementFormat::Coda, statements, warnings)
    } else {
        return Err(StatementError::Unknown);
    };
    Ok(StatementFile {
        file_name: file_name.to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        format,
        statements,
        warnings,
    })
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn from_coda(file: &coda::CodaFile) -> (Vec<StatementInput>, Vec<String>) {
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
        // a globalisation total is imported once, its details serve for matching.
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
            let mut texts: Vec<String> = Vec::new();
            let mut invalid_ogm = None;
            match &movement.communication {
                coda::Communication::Free(text) => texts.extend(non_empty(text)),
                coda::Communication::Structured { text, .. } => texts.extend(non_empty(text)),
                coda::Communication::Ogm(reference) if reference.ogm().is_none() => {
                    invalid_ogm = non_empty(&reference.digits);
                }
                coda::Communication::Ogm(_) => {}
            }
            // The details of a globalisation carry the communications of the payments it
            // sums: they are searched for references too.
            for detail in &movement.details {
                match &detail.communication {
                    coda::Communication::Ogm(reference) => texts.push(reference.digits.clone()),
                    coda::Communication::Free(text)
                    | coda::Communication::Structured { text, .. } => {
                        texts.extend(non_empty(text));
                    }
                }
            }
            movements.push(BankMovementInput {
                bank_reference,
                account_iban: account_iban.clone(),
                line: u64::try_from(movement.line).ok(),
                booked_on,
                value_date: movement.value_date,
                amount_cents: movement.amount_cents,
                counterparty_name: non_empty(&movement.counterparty_name),
                counterparty_iban: non_empty(&movement.counterparty_account),
                ogm: movement.ogm().map(|o| o.as_str().to_string()),
                invalid_ogm,
                free_text: non_empty(&texts.join(" ")),
                end_to_end_id: None,
                // An R-transaction carries its ISO return reason (2.2 positions 114–117).
                reversal: !movement.return_reason.trim().is_empty(),
            });
        }
        statements.push(StatementInput {
            format: StatementFormat::Coda,
            account_iban,
            sequence: Some(format!("{:03}", statement.sequence)),
            date: statement_date,
            opening_cents: Some(statement.old_balance.cents),
            closing_cents: statement.new_balance.map(|b| b.cents),
            movements,
        });
    }
    (statements, warnings)
}

/// The OGM of an entry: the `BBA` reference of its only transaction, or failing that its
/// free text when that is an OGM and nothing else. A batch (several transactions) pays
/// several invoices at once: its references are searched in the free text.
fn camt_ogm(entry: &camt::Entry) -> (Option<String>, Option<String>) {
    let [transaction] = entry.transactions.as_slice() else {
        return (None, None);
    };
    let mut invalid = None;
    let structured = transaction
        .creditor_references
        .iter()
        .find_map(|reference| match reference {
            camt::CreditorReference::Ogm { ogm: Some(ogm), .. } => Some(ogm.clone()),
            camt::CreditorReference::Ogm { digits, ogm: None } => {
                invalid = Some(digits.clone());
                None
            }
            _ => None,
        });
    let ogm = structured.or_else(|| {
        transaction
            .unstructured
            .iter()
            .find_map(|text| Ogm::parse(text.trim()).ok())
    });
    (ogm.map(|o| o.as_str().to_string()), invalid)
}

fn from_camt(file: &camt::CamtFile) -> (Vec<StatementInput>, Vec<String>) {
    let mut warnings: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
    let mut statements = Vec::with_capacity(file.statements.len());
    for statement in &file.statements {
        let account_iban = statement
            .account
            .iban
            .clone()
            .or_else(|| statement.account.other_id.clone())
            .unwrap_or_default();
        let statement_date: Option<Date> = statement
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
            let Some(booked_on) = entry.booking_date.or(entry.value_date).or(statement_date) else {
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
            let mut texts: Vec<String> = Vec::new();
            for transaction in &entry.transactions {
                texts.extend(transaction.unstructured.iter().cloned());
                for reference in &transaction.creditor_references {
                    if let camt::CreditorReference::Ogm { digits, .. } = reference
                        && entry.transactions.len() > 1
                    {
                        texts.push(digits.clone());
                    }
                }
            }
            if let Some(info) = &entry.additional_info {
                texts.push(info.clone());
            }
            let (ogm, invalid_ogm) = camt_ogm(entry);
            movements.push(BankMovementInput {
                bank_reference,
                account_iban: account_iban.clone(),
                line: u64::try_from(position).ok(),
                booked_on,
                value_date: entry.value_date,
                amount_cents: entry.cents,
                counterparty_name: first.and_then(|t| t.counterparty_name.clone()),
                counterparty_iban: first.and_then(|t| t.counterparty_iban.clone()),
                ogm,
                invalid_ogm,
                free_text: non_empty(&texts.join(" ")),
                end_to_end_id: first
                    .and_then(|t| t.end_to_end_id.clone())
                    .filter(|id| id != "NOTPROVIDED"),
                reversal: entry.reversal,
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
            date: statement_date,
            opening_cents: statement.opening.as_ref().map(|b| b.cents),
            closing_cents: statement.closing.as_ref().map(|b| b.cents),
            movements,
        });
    }
    (statements, warnings)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Option<Vec<u8>> {
        let full = format!(
            "{}/../../../shared/samples/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        match std::fs::read(&full) {
            Ok(bytes) => Some(bytes),
            Err(_) => {
                eprintln!(
                    "SKIPPED: {full} is absent (the shared samples are not beside the project)"
                );
                None
            }
        }
    }

    #[test]
    fn the_shipped_camt_sample_with_an_ogm_is_read_with_its_ogm() {
        let Some(bytes) = sample("camt/be-camt.053.001.02-ogm-example.xml") else {
            return;
        };
        let file = read("ogm.xml", &bytes).unwrap();
        assert_eq!(file.format, StatementFormat::Camt053);
        assert_eq!(file.sha256.len(), 64);
        let movements: Vec<&BankMovementInput> =
            file.statements.iter().flat_map(|s| &s.movements).collect();
        assert!(movements.iter().any(|m| m.ogm.is_some()));
        assert!(file.statements.iter().all(|s| s.date.is_some()));
    }

    #[test]
    fn every_shipped_coda_sample_is_read_with_lines_and_dates() {
        for path in [
            "coda/odoo_l10n_be_coda_Ontvangen_CODA.2013-01-11-18.59.15.txt",
            "coda/pycoda_Coda_v2_3_single_statement.txt",
            "coda/php-coda-parser_sample1.cod",
        ] {
            let Some(bytes) = sample(path) else {
                continue;
            };
            let file = read(path, &bytes).unwrap();
            assert_eq!(file.format, StatementFormat::Coda, "{path}");
            for statement in &file.statements {
                assert!(statement.sequence.is_some(), "{path}");
                for movement in &statement.movements {
                    assert!(movement.line.is_some(), "{path}");
                }
            }
        }
    }

    #[test]
    fn an_invalid_ogm_is_kept_as_written_and_flagged() {
        // php-coda-parser sample 1 carries structured communications with wrong checks.
        let Some(bytes) = sample("coda/php-coda-parser_sample1.cod") else {
            return;
        };
        let file = read("sample1.cod", &bytes).unwrap();
        let flagged: Vec<&String> = file
            .statements
            .iter()
            .flat_map(|s| &s.movements)
            .filter_map(|m| m.invalid_ogm.as_ref())
            .collect();
        assert!(!flagged.is_empty());
        assert!(flagged.iter().all(|digits| Ogm::parse(digits).is_err()));
    }

    #[test]
    fn a_file_of_neither_kind_is_refused() {
        assert_eq!(read("x.txt", b"hello"), Err(StatementError::Unknown));
        assert_eq!(read("x.txt", b""), Err(StatementError::Unknown));
        assert!(matches!(
            read("x.cod", b"0 too short"),
            Err(StatementError::Coda(_))
        ));
        assert!(matches!(
            read("x.xml", b"<Document>"),
            Err(StatementError::Camt(_))
        ));
    }
}
