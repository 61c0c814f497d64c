//! One entry of the cooperative's own spending, as an accountant records it: a `spending`
//! transaction, Dr `spending:<slug>` / Cr the entity's bank (or the guarantee fund, for an
//! allocation to it). A mistake is reversed, never deleted (DESIGN.md §3).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::SpendingAccount;
use crate::format::parse_money;
use crate::ledger::{
    AccountCode, LedgerError, MAX_MEMO_CHARS, NewTransaction, Posting, TransactionKind,
};
use crate::validate::FieldErrors;

/// The source type of a spending transaction: the legal entity that spends.
pub const SOURCE_TYPE: &str = "legal-entity";

/// What the spending is paid from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaidFrom {
    /// The legal entity's bank account.
    Bank,
    /// An allocation to the salary guarantee fund: the fund grows (`fund:guarantee` is
    /// credited), the cost is the contribution's.
    GuaranteeFund,
}

impl PaidFrom {
    pub const ALL: [PaidFrom; 2] = [PaidFrom::Bank, PaidFrom::GuaranteeFund];

    pub fn code(self) -> &'static str {
        match self {
            PaidFrom::Bank => "bank",
            PaidFrom::GuaranteeFund => "guarantee-fund",
        }
    }

    pub fn parse(s: &str) -> Option<PaidFrom> {
        PaidFrom::ALL.into_iter().find(|p| p.code() == s.trim())
    }

    /// The account credited.
    pub fn account(self, entity_id: i64) -> AccountCode {
        match self {
            PaidFrom::Bank => AccountCode::EntityBank(entity_id),
            PaidFrom::GuaranteeFund => AccountCode::GuaranteeFund,
        }
    }
}

/// The spending form as typed (page and API).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SpendingForm {
    #[serde(default)]
    pub tsp_spent_on: String,
    #[serde(default)]
    pub tsp_entity: String,
    #[serde(default)]
    pub tsp_account: String,
    #[serde(default)]
    pub tsp_paid_from: String,
    /// Euros, the Belgian way (`1.234,56`) or with a point.
    #[serde(default)]
    pub tsp_amount: String,
    #[serde(default)]
    pub tsp_description: String,
}

/// A checked spending entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSpending {
    pub spent_on: Date,
    pub entity_id: i64,
    pub account: SpendingAccount,
    pub paid_from: PaidFrom,
    pub amount_cents: i64,
    pub description: String,
}

impl SpendingForm {
    pub fn parse(&self) -> Result<NewSpending, FieldErrors> {
        let mut e = FieldErrors::new();
        let spent_on = match self.tsp_spent_on.trim().parse::<Date>() {
            Ok(d) if d.year() >= crate::ledger::MIN_YEAR => Some(d),
            _ => {
                e.add("tsp_spent_on", "date");
                None
            }
        };
        let entity_id = match self.tsp_entity.trim().parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                e.add("tsp_entity", "required");
                0
            }
        };
        let account = SpendingAccount::parse(self.tsp_account.trim());
        if account.is_none() {
            e.add("tsp_account", "tsp-account");
        }
        let paid_from = PaidFrom::parse(&self.tsp_paid_from);
        if paid_from.is_none() {
            e.add("tsp_paid_from", "required");
        }
        let amount_cents = if self.tsp_amount.trim().is_empty() {
            e.add("tsp_amount", "required");
            0
        } else {
            match parse_money(&self.tsp_amount) {
                Some(c) if c > 0 && c <= crate::ledger::MAX_AMOUNT_CENTS => c,
                _ => {
                    e.add("tsp_amount", "tsp-amount");
                    0
                }
            }
        };
        let description = e.required("tsp_description", &self.tsp_description, MAX_MEMO_CHARS);
        if description.chars().any(char::is_control) {
            e.add("tsp_description", "tsp-description");
        }
        match (spent_on, account, paid_from) {
            (Some(spent_on), Some(account), Some(paid_from)) if e.is_empty() => Ok(NewSpending {
                spent_on,
                entity_id,
                account,
                paid_from,
                amount_cents,
                description,
            }),
            _ => Err(e),
        }
    }
}

impl NewSpending {
    /// The `spending` transaction: Dr `spending:<slug>`, Cr the bank or the fund.
    pub fn transaction(&self) -> Result<NewTransaction, LedgerError> {
        NewTransaction::new(
            TransactionKind::Spending,
            self.spent_on,
            self.description.clone(),
            Some((SOURCE_TYPE.to_string(), self.entity_id)),
            vec![
                Posting::debit(AccountCode::Spending(self.account), self.amount_cents),
                Posting::credit(self.paid_from.account(self.entity_id), self.amount_cents),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn form() -> SpendingForm {
        SpendingForm {
            tsp_spent_on: "2025-03-31".into(),
            tsp_entity: "1".into(),
            tsp_account: "it-tools".into(),
            tsp_paid_from: "bank".into(),
            tsp_amount: "1.234,56".into(),
            tsp_description: "Hosting Q1".into(),
        }
    }

    #[test]
    fn a_spending_entry_debits_its_account_and_credits_the_bank() {
        let s = form().parse().unwrap();
        assert_eq!(s.amount_cents, 123_456);
        let tx = s.transaction().unwrap();
        assert_eq!(tx.kind(), TransactionKind::Spending);
        assert_eq!(tx.postings()[0].account.to_string(), "spending:it-tools");
        assert_eq!(tx.postings()[1].account, AccountCode::EntityBank(1));
        assert_eq!(tx.postings()[1].amount_cents, -123_456);
    }

    #[test]
    fn bad_spending_input_names_each_field() {
        let bad = SpendingForm {
            tsp_spent_on: "31/03/2025".into(),
            tsp_entity: "x".into(),
            tsp_account: "IT tools".into(),
            tsp_paid_from: "cash".into(),
            tsp_amount: "-5".into(),
            tsp_description: " ".into(),
        };
        let e = bad.parse().unwrap_err();
        for field in [
            "tsp_spent_on",
            "tsp_entity",
            "tsp_account",
            "tsp_paid_from",
            "tsp_amount",
            "tsp_description",
        ] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }
}
