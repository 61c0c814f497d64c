//! The chart of accounts: what an account is ([`AccountKind`]) and how it is named
//! ([`AccountCode`]), one structured code per account, stored as text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::LedgerError;
use crate::invoicing::vat::VatCategory;
use crate::transparency::SpendingAccount;

/// What an account holds. It fixes the sign a balance is shown with: stored balances are
/// debit-positive, and an account whose balance is normally a credit (a liability, the
/// equity, an income) is shown with its sign turned, so a full budget reads as a positive sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    Asset,
    Liability,
    Equity,
    Income,
    Expense,
}

impl AccountKind {
    pub const ALL: [AccountKind; 5] = [
        AccountKind::Asset,
        AccountKind::Liability,
        AccountKind::Equity,
        AccountKind::Income,
        AccountKind::Expense,
    ];

    /// Stable code, stored in `ledger_accounts.kind`: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            AccountKind::Asset => "asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Income => "income",
            AccountKind::Expense => "expense",
        }
    }

    pub fn parse(s: &str) -> Option<AccountKind> {
        AccountKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// `1` for the accounts whose balance is normally a debit (assets, expenses), `-1` for
    /// those whose balance is normally a credit (liabilities, equity, income).
    pub fn display_sign(self) -> i64 {
        match self {
            AccountKind::Asset | AccountKind::Expense => 1,
            AccountKind::Liability | AccountKind::Equity | AccountKind::Income => -1,
        }
    }

    /// A stored (debit-positive) balance as people read it: a budget credited with
    /// 1.000,00 € (stored `-100000`) shows as `100000`.
    pub fn shown(self, balance_cents: i64) -> i64 {
        balance_cents.saturating_mul(self.display_sign())
    }
}

/// One account of the chart. Ids are those of the rows the account belongs to (an activity,
/// a client, a legal entity of the group); VAT accounts are per category and rate.
///
/// | code | kind | holds |
/// |---|---|---|
/// | `activity:<id>:budget` | liability | what the cooperative holds for the activity; a credit makes more available |
/// | `activity:<id>:invoiced` | liability | memo of the net amounts invoiced and not yet paid |
/// | `activity:<id>:reserved` | liability | budget reserved for work contracts |
/// | `client:<id>:receivable` | asset | what the client owes |
/// | `vat:payable:<category>:<rate_bp>` | liability | VAT collected, e.g. `vat:payable:S:2100` |
/// | `entity:<id>:contribution` | income | the mutualised contribution |
/// | `entity:<id>:bank` | asset | the entity's bank account |
/// | `fund:guarantee` | equity | the guarantee fund |
/// | `fund:loan` | equity | the loan fund |
/// | `salaries:payable` | liability | net salaries due |
/// | `payroll:payable` | liability | what a pay run owes the ONSS and the tax administration |
/// | `expenses:payable` | liability | expenses to reimburse |
/// | `suspense` | asset | bank money not matched yet |
/// | `equity:capital` | equity | the members' paid-up share capital |
/// | `equity:capital-not-refunded` | equity | paid-up capital a leaving member was not refunded (refund capped below it) |
/// | `share-refunds:payable` | liability | refunds due to leaving members, paid by payout |
/// | `loan:<id>:receivable` | asset | what a member still owes on a 0 % loan (C8) |
/// | `spending:<slug>` | expense | the cooperative's own spending, mapped to published categories |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountCode {
    ActivityBudget(i64),
    ActivityInvoiced(i64),
    ActivityReserved(i64),
    ClientReceivable(i64),
    VatPayable {
        category: VatCategory,
        rate_bp: u32,
    },
    EntityContribution(i64),
    EntityBank(i64),
    GuaranteeFund,
    LoanFund,
    SalariesPayable,
    /// Social security (both shares), withholding tax and the special contribution a pay
    /// run owes the ONSS and the FPS Finance.
    PayrollPayable,
    ExpensesPayable,
    Suspense,
    /// The members' paid-up share capital (share register, C11).
    ShareCapital,
    /// Paid-up capital a leaving member was not refunded because the refund is capped
    /// below it (NAV, ES-5): it stays in the cooperative's equity.
    CapitalNotRefunded,
    /// Refunds due to members who resigned or were excluded, until paid by payout.
    ShareRefundsPayable,
    /// The principal still owed on a 0 % member loan (C8): debited at disbursement,
    /// credited by repayments and by a write-off to the loan fund.
    LoanReceivable(i64),
    /// One of the cooperative's own spending accounts (`spending:<slug>`): what the
    /// mutualised contribution pays for, mapped each year to published categories
    /// (contribution transparency, issue 10).
    Spending(SpendingAccount),
}

/// The largest VAT rate in basis points (100 %).
const MAX_RATE_BP: u32 = 10_000;

impl AccountCode {
    pub fn kind(self) -> AccountKind {
        match self {
            AccountCode::ActivityBudget(_)
            | AccountCode::ActivityInvoiced(_)
            | AccountCode::ActivityReserved(_)
            | AccountCode::VatPayable { .. }
            | AccountCode::SalariesPayable
            | AccountCode::PayrollPayable
            | AccountCode::ExpensesPayable
            | AccountCode::ShareRefundsPayable => AccountKind::Liability,
            AccountCode::ClientReceivable(_)
            | AccountCode::EntityBank(_)
            | AccountCode::LoanReceivable(_)
            | AccountCode::Suspense => AccountKind::Asset,
            AccountCode::EntityContribution(_) => AccountKind::Income,
            AccountCode::GuaranteeFund | AccountCode::LoanFund => AccountKind::Equity,
            AccountCode::ShareCapital | AccountCode::CapitalNotRefunded => AccountKind::Equity,
            AccountCode::Spending(_) => AccountKind::Expense,
        }
    }

    /// Parses the text form (`activity:12:budget`). Only the canonical form is taken (no
    /// spaces, no leading zeros), so that one account has one code.
    pub fn parse(s: &str) -> Result<AccountCode, LedgerError> {
        let bad = || LedgerError::BadAccountCode(s.chars().take(80).collect());
        // At most four parts (`vat:payable:S:2100`): a fifth part is refused below.
        let parts: Vec<&str> = s.splitn(5, ':').collect();
        let code = match parts.as_slice() {
            ["activity", id, "budget"] => {
                AccountCode::ActivityBudget(parse_id(id).ok_or_else(bad)?)
            }
            ["activity", id, "invoiced"] => {
                AccountCode::ActivityInvoiced(parse_id(id).ok_or_else(bad)?)
            }
            ["activity", id, "reserved"] => {
                AccountCode::ActivityReserved(parse_id(id).ok_or_else(bad)?)
            }
            ["client", id, "receivable"] => {
                AccountCode::ClientReceivable(parse_id(id).ok_or_else(bad)?)
            }
            ["vat", "payable", category, rate] => AccountCode::VatPayable {
                category: VatCategory::ALL
                    .into_iter()
                    .find(|c| c.code() == *category)
                    .ok_or_else(bad)?,
                rate_bp: parse_rate(rate).ok_or_else(bad)?,
            },
            ["entity", id, "contribution"] => {
                AccountCode::EntityContribution(parse_id(id).ok_or_else(bad)?)
            }
            ["entity", id, "bank"] => AccountCode::EntityBank(parse_id(id).ok_or_else(bad)?),
            ["fund", "guarantee"] => AccountCode::GuaranteeFund,
            ["fund", "loan"] => AccountCode::LoanFund,
            ["salaries", "payable"] => AccountCode::SalariesPayable,
            ["payroll", "payable"] => AccountCode::PayrollPayable,
            ["expenses", "payable"] => AccountCode::ExpensesPayable,
            ["suspense"] => AccountCode::Suspense,
            ["equity", "capital"] => AccountCode::ShareCapital,
            ["equity", "capital-not-refunded"] => AccountCode::CapitalNotRefunded,
            ["share-refunds", "payable"] => AccountCode::ShareRefundsPayable,
            ["loan", id, "receivable"] => {
                AccountCode::LoanReceivable(parse_id(id).ok_or_else(bad)?)
            }
            ["spending", slug] => {
                AccountCode::Spending(SpendingAccount::parse(slug).ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        };
        Ok(code)
    }

    /// Refuses a code built by hand that has no text form: ids are positive, a rate is at
    /// most 100 %. [`AccountCode::parse`] never yields such a code.
    pub fn check(self) -> Result<AccountCode, LedgerError> {
        let valid = match self {
            AccountCode::ActivityBudget(id)
            | AccountCode::ActivityInvoiced(id)
            | AccountCode::ActivityReserved(id)
            | AccountCode::ClientReceivable(id)
            | AccountCode::EntityContribution(id)
            | AccountCode::EntityBank(id)
            | AccountCode::LoanReceivable(id) => id > 0,
            AccountCode::VatPayable { rate_bp, .. } => rate_bp <= MAX_RATE_BP,
            AccountCode::GuaranteeFund
            | AccountCode::LoanFund
            | AccountCode::SalariesPayable
            | AccountCode::PayrollPayable
            | AccountCode::ExpensesPayable
            | AccountCode::Suspense
            | AccountCode::ShareCapital
            | AccountCode::CapitalNotRefunded
            | AccountCode::ShareRefundsPayable
            | AccountCode::Spending(_) => true,
        };
        if valid {
            Ok(self)
        } else {
            Err(LedgerError::BadAccountCode(self.to_string()))
        }
    }

    /// The prefix of every account of an activity (`activity:12:`), for the budget page.
    pub fn activity_prefix(activity_id: i64) -> String {
        format!("activity:{activity_id}:")
    }

    /// The prefix of every account of a client (`client:7:`).
    pub fn client_prefix(client_id: i64) -> String {
        format!("client:{client_id}:")
    }
}

/// A positive id in canonical decimal form (no sign, no leading zero).
fn parse_id(s: &str) -> Option<i64> {
    let canonical = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    if canonical { s.parse().ok() } else { None }
}

/// A rate in basis points, 0 to 10000, in canonical decimal form.
fn parse_rate(s: &str) -> Option<u32> {
    let canonical = !s.is_empty()
        && s.len() <= 5
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'));
    let rate: u32 = if canonical {
        s.parse().ok()?
    } else {
        return None;
    };
    (rate <= MAX_RATE_BP).then_some(rate)
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountCode::ActivityBudget(id) => write!(f, "activity:{id}:budget"),
            AccountCode::ActivityInvoiced(id) => write!(f, "activity:{id}:invoiced"),
            AccountCode::ActivityReserved(id) => write!(f, "activity:{id}:reserved"),
            AccountCode::ClientReceivable(id) => write!(f, "client:{id}:receivable"),
            AccountCode::VatPayable { category, rate_bp } => {
                write!(f, "vat:payable:{}:{rate_bp}", category.code())
            }
            AccountCode::EntityContribution(id) => write!(f, "entity:{id}:contribution"),
            AccountCode::EntityBank(id) => write!(f, "entity:{id}:bank"),
            AccountCode::GuaranteeFund => f.write_str("fund:guarantee"),
            AccountCode::LoanFund => f.write_str("fund:loan"),
            AccountCode::SalariesPayable => f.write_str("salaries:payable"),
            AccountCode::PayrollPayable => f.write_str("payroll:payable"),
            AccountCode::ExpensesPayable => f.write_str("expenses:payable"),
            AccountCode::Suspense => f.write_str("suspense"),
            AccountCode::ShareCapital => f.write_str("equity:capital"),
            AccountCode::CapitalNotRefunded => f.write_str("equity:capital-not-refunded"),
            AccountCode::ShareRefundsPayable => f.write_str("share-refunds:payable"),
            AccountCode::LoanReceivable(id) => write!(f, "loan:{id}:receivable"),
            AccountCode::Spending(slug) => write!(f, "spending:{slug}"),
        }
    }
}

impl FromStr for AccountCode {
    type Err = LedgerError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountCode::parse(s)
    }
}

impl Serialize for AccountCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AccountCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        AccountCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    // Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn every_account_of_the_chart_reads_back_from_its_code() {
        let cases = [
            ("activity:12:budget", AccountKind::Liability),
            ("activity:12:invoiced", AccountKind::Liability),
            ("activity:12:reserved", AccountKind::Liability),
            ("client:7:receivable", AccountKind::Asset),
            ("vat:payable:S:2100", AccountKind::Liability),
            ("vat:payable:Z:0", AccountKind::Liability),
            ("entity:1:contribution", AccountKind::Income),
            ("entity:1:bank", AccountKind::Asset),
            ("fund:guarantee", AccountKind::Equity),
            ("fund:loan", AccountKind::Equity),
            ("salaries:payable", AccountKind::Liability),
            ("payroll:payable", AccountKind::Liability),
            ("expenses:payable", AccountKind::Liability),
            ("suspense", AccountKind::Asset),
            ("equity:capital", AccountKind::Equity),
            ("equity:capital-not-refunded", AccountKind::Equity),
            ("share-refunds:payable", AccountKind::Liability),
            ("loan:5:receivable", AccountKind::Asset),
            ("spending:it-tools", AccountKind::Expense),
        ];
        for (text, kind) in cases {
            let code = AccountCode::parse(text).unwrap();
            assert_eq!(code.to_string(), text);
            assert_eq!(code.kind(), kind, "{text}");
        }
        assert_eq!(
            AccountCode::parse("vat:payable:S:2100").unwrap(),
            AccountCode::VatPayable {
                category: VatCategory::S,
                rate_bp: 2100
            }
        );
    }

    #[test]
    fn only_the_canonical_form_of_a_code_is_taken() {
        for text in [
            "",
            "activity",
            "activity:12",
            "activity:012:budget",
            "activity:0:budget",
            "activity:-3:budget",
            "activity:+3:budget",
            "activity: 3:budget",
            "activity:3:budget:",
            "activity:3:budget:extra",
            "Activity:3:budget",
            "client:7:payable",
            "vat:payable:s:2100",
            "vat:payable:S:02100",
            "vat:payable:S:10001",
            "vat:payable:S:",
            "vat:payable:S:21.00",
            "entity:99999999999999999999:bank",
            "fund",
            "fund:other",
            "suspense:",
            " suspense",
            "loan:0:receivable",
            "loan:5:payable",
            "spending:",
            "spending:IT",
            "spending:a--b",
            "spending:a:b",
        ] {
            assert!(AccountCode::parse(text).is_err(), "{text:?} was taken");
        }
    }

    #[test]
    fn a_code_built_by_hand_is_checked() {
        assert!(AccountCode::ActivityBudget(0).check().is_err());
        assert!(AccountCode::ClientReceivable(-4).check().is_err());
        let rate = |rate_bp| AccountCode::VatPayable {
            category: VatCategory::S,
            rate_bp,
        };
        assert!(rate(10_001).check().is_err());
        assert!(rate(600).check().is_ok());
        assert!(AccountCode::Suspense.check().is_ok());
        assert!(AccountCode::LoanReceivable(0).check().is_err());
    }

    #[test]
    fn a_credit_balance_shows_positive_on_a_liability_and_a_debit_on_an_asset() {
        assert_eq!(AccountKind::Liability.shown(-100_000), 100_000);
        assert_eq!(AccountKind::Equity.shown(-5), 5);
        assert_eq!(AccountKind::Income.shown(-5), 5);
        assert_eq!(AccountKind::Asset.shown(100_000), 100_000);
        assert_eq!(AccountKind::Expense.shown(7), 7);
        assert_eq!(AccountKind::Liability.shown(i64::MIN), i64::MAX);
        for kind in AccountKind::ALL {
            assert_eq!(AccountKind::parse(kind.code()), Some(kind));
        }
    }

    fn any_code() -> impl Strategy<Value = AccountCode> {
        let id = 1i64..=i64::MAX;
        prop_oneof![
            id.clone().prop_map(AccountCode::ActivityBudget),
            id.clone().prop_map(AccountCode::ActivityInvoiced),
            id.clone().prop_map(AccountCode::ActivityReserved),
            id.clone().prop_map(AccountCode::ClientReceivable),
            (0..VatCategory::ALL.len(), 0u32..=MAX_RATE_BP).prop_map(|(c, rate_bp)| {
                AccountCode::VatPayable {
                    category: VatCategory::ALL[c],
                    rate_bp,
                }
            }),
            id.clone().prop_map(AccountCode::EntityContribution),
            id.clone().prop_map(AccountCode::EntityBank),
            id.prop_map(AccountCode::LoanReceivable),
            Just(AccountCode::GuaranteeFund),
            Just(AccountCode::LoanFund),
            Just(AccountCode::SalariesPayable),
            Just(AccountCode::PayrollPayable),
            Just(AccountCode::ExpensesPayable),
            Just(AccountCode::Suspense),
            Just(AccountCode::ShareCapital),
            Just(AccountCode::CapitalNotRefunded),
            Just(AccountCode::ShareRefundsPayable),
        ]
    }

    proptest! {
        #[test]
        fn any_code_reads_back_from_its_text(code in any_code()) {
            prop_assert_eq!(AccountCode::parse(&code.to_string()), Ok(code));
            prop_assert_eq!(code.check(), Ok(code));
        }

        #[test]
        fn any_text_taken_as_a_code_is_written_back_the_same(s in "[a-zA-Z0-9:]{0,30}") {
            if let Ok(code) = AccountCode::parse(&s) {
                prop_assert_eq!(code.to_string(), s);
            }
        }
    }
}
