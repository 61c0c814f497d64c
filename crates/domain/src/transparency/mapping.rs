//! The published categories of the cooperative's spending and the mapping of its spending
//! accounts to them, versioned by calendar year. Both are data: the board publishes the
//! categories, the accountants keep the mapping. A saved mapping is checked here: every
//! account in exactly one category, every category with at least one account.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::account::{SpendingAccount, is_slug};

/// The most categories a year publishes.
pub const MAX_CATEGORIES: usize = 30;
/// The most spending accounts a year maps.
pub const MAX_ACCOUNTS: usize = 200;
/// The longest category code.
pub const MAX_CODE_LEN: usize = 40;
/// The longest category name.
pub const MAX_NAME_CHARS: usize = 120;

/// The categories the cooperative starts with: what the contribution pays for
/// (reference/anchors.md, "What the contribution pays for", and the list).
/// `(code, FR, NL, EN)`.
pub const DEFAULT_CATEGORIES: [(&str, &str, &str, &str); 8] = [
    (
        "tools-administration",
        "Outils et administration",
        "Tools en administratie",
        "Tools and administration",
    ),
    (
        "salary-guarantee",
        "Fonds de garantie salariale",
        "Loonwaarborgfonds",
        "Salary guarantee fund",
    ),
    (
        "recovery-insurance",
        "Recouvrement et auto-assurance",
        "Invordering en eigen verzekering",
        "Debt recovery and self-insurance",
    ),
    (
        "advisors",
        "Conseillers et accompagnement",
        "Adviseurs en begeleiding",
        "Advisors and accompaniment",
    ),
    (
        "shared-places",
        "Lieux partagés",
        "Gedeelde plekken",
        "Shared places",
    ),
    ("training", "Formation", "Opleiding", "Training"),
    (
        "governance",
        "Gouvernance et participation",
        "Bestuur en participatie",
        "Governance and participation",
    ),
    ("reserves", "Réserves", "Reserves", "Reserves"),
];

/// A category as typed in the mapping form or the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryInput {
    pub code: String,
    pub name_fr: String,
    pub name_nl: String,
    pub name_en: String,
}

/// A year's mapping as typed: the categories in their published order, and one
/// `(account, category code)` line per account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingInput {
    pub categories: Vec<CategoryInput>,
    pub accounts: Vec<(String, String)>,
}

/// A published category, with its position (1 first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name_fr: String,
    pub name_nl: String,
    pub name_en: String,
    pub position: i64,
}

impl Category {
    /// The name in a language code (`fr`, `nl`, `en`); French otherwise.
    pub fn name(&self, lang: &str) -> &str {
        match lang {
            "nl" => &self.name_nl,
            "en" => &self.name_en,
            _ => &self.name_fr,
        }
    }
}

/// A checked mapping: every account in exactly one existing category, every category used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub categories: Vec<Category>,
    pub accounts: BTreeMap<SpendingAccount, String>,
}

impl Mapping {
    /// The category code of an account.
    pub fn category_of(&self, account: &SpendingAccount) -> Option<&str> {
        self.accounts.get(account).map(String::as_str)
    }

    /// The accounts of a category, in slug order.
    pub fn accounts_of(&self, code: &str) -> Vec<SpendingAccount> {
        self.accounts
            .iter()
            .filter(|(_, c)| c.as_str() == code)
            .map(|(a, _)| *a)
            .collect()
    }

    /// The mapping as it would be typed again (to copy a year's mapping to the next).
    pub fn to_input(&self) -> MappingInput {
        MappingInput {
            categories: self
                .categories
                .iter()
                .map(|c| CategoryInput {
                    code: c.code.clone(),
                    name_fr: c.name_fr.clone(),
                    name_nl: c.name_nl.clone(),
                    name_en: c.name_en.clone(),
                })
                .collect(),
            accounts: self
                .accounts
                .iter()
                .map(|(a, c)| (a.to_string(), c.clone()))
                .collect(),
        }
    }
}

/// Why a mapping is refused. Each names the account or the category at fault; `code()` is
/// the translation key suffix, `subject()` what the message names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum MappingError {
    #[error("the spending account {account} is mapped to two categories ({first}, {second})")]
    AccountInTwoCategories {
        account: String,
        first: String,
        second: String,
    },
    #[error("the category {category} has no account")]
    CategoryWithoutAccount { category: String },
    #[error("the account {account} names a category that does not exist ({category})")]
    UnknownCategory { account: String, category: String },
    #[error("{account} is not a spending account slug")]
    BadAccount { account: String },
    #[error("{category} is not a category code")]
    BadCategoryCode { category: String },
    #[error("the category {category} is listed twice")]
    DuplicateCategory { category: String },
    #[error("the category {category} needs its name in French, Dutch and English")]
    CategoryName { category: String },
    #[error("the mapping has no category")]
    NoCategory,
    #[error("the mapping has too many lines")]
    TooMany,
    /// Only the store can tell: money was spent in the year on an account the mapping
    /// leaves out.
    #[error("the account {account} has spending in the year and no category")]
    UnmappedSpending { account: String },
    /// Only the store can tell: the year's figures are published and frozen.
    #[error("the year's figures are published: its mapping can no longer change")]
    YearPublished,
}

impl MappingError {
    /// The suffix of its message key `tsp-err-<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            MappingError::AccountInTwoCategories { .. } => "two-categories",
            MappingError::CategoryWithoutAccount { .. } => "empty-category",
            MappingError::UnknownCategory { .. } => "unknown-category",
            MappingError::BadAccount { .. } => "bad-account",
            MappingError::BadCategoryCode { .. } => "bad-category",
            MappingError::DuplicateCategory { .. } => "duplicate-category",
            MappingError::CategoryName { .. } => "category-name",
            MappingError::NoCategory => "no-category",
            MappingError::TooMany => "too-many",
            MappingError::UnmappedSpending { .. } => "unmapped-spending",
            MappingError::YearPublished => "year-published",
        }
    }

    /// The arguments of its message: `account`, `category`, `other`.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            MappingError::AccountInTwoCategories {
                account,
                first,
                second,
            } => vec![
                ("account", account.clone()),
                ("category", first.clone()),
                ("other", second.clone()),
            ],
            MappingError::UnknownCategory { account, category } => {
                vec![("account", account.clone()), ("category", category.clone())]
            }
            MappingError::BadAccount { account } | MappingError::UnmappedSpending { account } => {
                vec![("account", account.clone())]
            }
            MappingError::CategoryWithoutAccount { category }
            | MappingError::BadCategoryCode { category }
            | MappingError::DuplicateCategory { category }
            | MappingError::CategoryName { category } => vec![("category", category.clone())],
            MappingError::NoCategory | MappingError::TooMany | MappingError::YearPublished => {
                vec![]
            }
        }
    }
}

impl MappingInput {
    /// The default categories with no account yet (a first mapping starts from them).
    pub fn defaults() -> MappingInput {
        MappingInput {
            categories: DEFAULT_CATEGORIES
                .iter()
                .map(|(code, fr, nl, en)| CategoryInput {
                    code: (*code).into(),
                    name_fr: (*fr).into(),
                    name_nl: (*nl).into(),
                    name_en: (*en).into(),
                })
                .collect(),
            accounts: Vec::new(),
        }
    }

    /// Checks the mapping; every error is reported, each naming its account or category.
    /// An account listed twice under the same category is taken once; blank lines (an
    /// empty account or category, as the form's spare rows send) are skipped.
    pub fn parse(&self) -> Result<Mapping, Vec<MappingError>> {
        let mut errors = Vec::new();
        if self.categories.len() > MAX_CATEGORIES || self.accounts.len() > MAX_ACCOUNTS {
            return Err(vec![MappingError::TooMany]);
        }
        let mut categories: Vec<Category> = Vec::with_capacity(self.categories.len());
        for c in &self.categories {
            let code = c.code.trim();
            let names = [&c.name_fr, &c.name_nl, &c.name_en].map(|n| n.trim().to_string());
            if code.is_empty() && names.iter().all(String::is_empty) {
                continue;
            }
            if !is_slug(code, MAX_CODE_LEN) {
                errors.push(MappingError::BadCategoryCode {
                    category: code.chars().take(MAX_CODE_LEN).collect(),
                });
                continue;
            }
            if categories.iter().any(|k| k.code == code) {
                errors.push(MappingError::DuplicateCategory {
                    category: code.into(),
                });
                continue;
            }
            if names.iter().any(|n| {
                n.is_empty()
                    || n.chars().count() > MAX_NAME_CHARS
                    || n.chars().any(char::is_control)
            }) {
                errors.push(MappingError::CategoryName {
                    category: code.into(),
                });
            }
            let [name_fr, name_nl, name_en] = names;
            categories.push(Category {
                code: code.into(),
                name_fr,
                name_nl,
                name_en,
                position: i64::try_from(categories.len()).unwrap_or(0) + 1,
            });
        }
        if categories.is_empty() {
            errors.push(MappingError::NoCategory);
        }
        let mut accounts: BTreeMap<SpendingAccount, String> = BTreeMap::new();
        for (account, category) in &self.accounts {
            let (account, category) = (account.trim(), category.trim());
            if account.is_empty() {
                continue;
            }
            let Some(slug) = SpendingAccount::parse(account) else {
                errors.push(MappingError::BadAccount {
                    account: account.chars().take(60).collect(),
                });
                continue;
            };
            if !categories.iter().any(|c| c.code == category) {
                errors.push(MappingError::UnknownCategory {
                    account: account.into(),
                    category: category.chars().take(MAX_CODE_LEN).collect(),
                });
                continue;
            }
            match accounts.get(&slug) {
                Some(first) if first != category => {
                    errors.push(MappingError::AccountInTwoCategories {
                        account: account.into(),
                        first: first.clone(),
                        second: category.into(),
                    });
                }
                Some(_) => {}
                None => {
                    accounts.insert(slug, category.into());
                }
            }
        }
        for c in &categories {
            let used = accounts.values().any(|k| *k == c.code)
                || errors.iter().any(|e| {
                    matches!(e, MappingError::AccountInTwoCategories { second, .. } if *second == c.code)
                });
            if !used {
                errors.push(MappingError::CategoryWithoutAccount {
                    category: c.code.clone(),
                });
            }
        }
        if errors.is_empty() {
            Ok(Mapping {
                categories,
                accounts,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn input(accounts: &[(&str, &str)]) -> MappingInput {
        MappingInput {
            categories: vec![
                CategoryInput {
                    code: "tools".into(),
                    name_fr: "Outils".into(),
                    name_nl: "Tools".into(),
                    name_en: "Tools".into(),
                },
                CategoryInput {
                    code: "advisors".into(),
                    name_fr: "Conseillers".into(),
                    name_nl: "Adviseurs".into(),
                    name_en: "Advisors".into(),
                },
            ],
            accounts: accounts
                .iter()
                .map(|(a, c)| ((*a).into(), (*c).into()))
                .collect(),
        }
    }

    #[test]
    fn a_mapping_puts_each_account_in_one_category() {
        let m = input(&[("software", "tools"), ("advisor-salaries", "advisors")])
            .parse()
            .unwrap();
        assert_eq!(m.categories.len(), 2);
        assert_eq!(m.categories[1].position, 2);
        let software = SpendingAccount::parse("software").unwrap();
        assert_eq!(m.category_of(&software), Some("tools"));
        assert_eq!(m.to_input().parse().unwrap(), m);
    }

    #[test]
    fn an_account_mapped_to_two_categories_is_refused_naming_it() {
        let errors = input(&[
            ("software", "tools"),
            ("software", "advisors"),
            ("advisor-salaries", "advisors"),
        ])
        .parse()
        .unwrap_err();
        assert_eq!(
            errors,
            vec![MappingError::AccountInTwoCategories {
                account: "software".into(),
                first: "tools".into(),
                second: "advisors".into()
            }]
        );
        assert!(errors[0].to_string().contains("software"));
    }

    #[test]
    fn a_category_with_no_account_is_refused_naming_it() {
        let errors = input(&[("software", "tools")]).parse().unwrap_err();
        assert_eq!(
            errors,
            vec![MappingError::CategoryWithoutAccount {
                category: "advisors".into()
            }]
        );
        assert_eq!(errors[0].args(), vec![("category", "advisors".to_string())]);
    }

    #[test]
    fn bad_slugs_unknown_categories_and_missing_names_are_named() {
        let mut i = input(&[
            ("Software!", "tools"),
            ("rent", "places"),
            ("x", "advisors"),
        ]);
        i.categories[0].name_nl = " ".into();
        let errors = i.parse().unwrap_err();
        assert!(errors.contains(&MappingError::BadAccount {
            account: "Software!".into()
        }));
        assert!(errors.contains(&MappingError::UnknownCategory {
            account: "rent".into(),
            category: "places".into()
        }));
        assert!(errors.contains(&MappingError::CategoryName {
            category: "tools".into()
        }));
        assert!(errors.contains(&MappingError::CategoryWithoutAccount {
            category: "tools".into()
        }));
        assert_eq!(
            MappingInput::default().parse().unwrap_err(),
            vec![MappingError::NoCategory]
        );
    }

    #[test]
    fn the_default_categories_are_valid_codes() {
        let d = MappingInput::defaults();
        assert_eq!(d.categories.len(), 8);
        let accounts = d
            .categories
            .iter()
            .map(|c| (c.code.clone(), c.code.clone()))
            .collect();
        let m = MappingInput { accounts, ..d }.parse().unwrap();
        assert_eq!(m.accounts.len(), 8);
    }
}
