//! The checks run on each statement read (payments.md §4.7–4.8). They only warn: the
//! import decides what to book.

use super::{CamtWarning, CreditorReference, EntryAt, EntryStatus, Statement};

/// Appends to `warnings` what does not add up in `statement`.
pub(super) fn check(statement: &Statement, warnings: &mut Vec<CamtWarning>) {
    balance(statement, warnings);
    for (i, entry) in statement.entries.iter().enumerate() {
        let at = EntryAt {
            statement: statement.id.clone(),
            entry: i + 1,
        };
        // A batch (or a single detail) is checked only when every detail carries an
        // amount: banks often give details without one (`<TxDtls/>`).
        let amounts: Option<Vec<i64>> = entry.transactions.iter().map(|t| t.cents).collect();
        if let Some(amounts) = amounts.filter(|a| !a.is_empty()) {
            let details = amounts.iter().fold(0_i64, |sum, c| sum.saturating_add(*c));
            if details != entry.cents {
                warnings.push(CamtWarning::DetailsDoNotSumToEntry {
                    at: at.clone(),
                    entry: entry.cents,
                    details,
                });
            }
        }
        for reference in entry
            .transactions
            .iter()
            .flat_map(|t| &t.creditor_references)
        {
            if let CreditorReference::Ogm { digits, ogm: None } = reference {
                warnings.push(CamtWarning::InvalidOgm {
                    at: at.clone(),
                    reference: digits.clone(),
                });
            }
        }
    }
}

/// Opening + booked entries = closing (payments.md §4.8). Pending and information entries
/// do not move the booked balance.
fn balance(statement: &Statement, warnings: &mut Vec<CamtWarning>) {
    let missing = |which| CamtWarning::BalanceMissing {
        statement: statement.id.clone(),
        which,
    };
    let (opening, closing) = match (&statement.opening, &statement.closing) {
        (Some(opening), Some(closing)) => (opening.cents, closing.cents),
        (None, _) => return warnings.push(missing("opening (OPBD or PRCD)")),
        (_, None) => return warnings.push(missing("closing (CLBD)")),
    };
    let entries = statement
        .entries
        .iter()
        .filter(|e| e.status == EntryStatus::Booked)
        .fold(0_i64, |sum, e| sum.saturating_add(e.cents));
    if opening.saturating_add(entries) != closing {
        warnings.push(CamtWarning::BalanceMismatch {
            statement: statement.id.clone(),
            opening,
            entries,
            closing,
        });
    }
}
