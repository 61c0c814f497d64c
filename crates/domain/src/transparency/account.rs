//! A spending account's slug: `spending:<slug>` in the chart of accounts.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest slug a spending account takes.
pub const MAX_SLUG_LEN: usize = 40;

/// The slug of one of the cooperative's spending accounts (`it-tools`, `advisors`): 1 to
/// [`MAX_SLUG_LEN`] lower-case letters, digits and single hyphens, starting with a letter and
/// not ending with a hyphen, so one account has one code. Kept inline so that an
/// [`crate::ledger::AccountCode`] stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpendingAccount {
    len: u8,
    bytes: [u8; MAX_SLUG_LEN],
}

impl SpendingAccount {
    /// The canonical slug, or `None`.
    pub fn parse(s: &str) -> Option<SpendingAccount> {
        if !is_slug(s, MAX_SLUG_LEN) {
            return None;
        }
        let mut bytes = [0u8; MAX_SLUG_LEN];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(SpendingAccount {
            len: u8::try_from(s.len()).ok()?,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or(&[]);
        // Only ASCII was ever copied in (`parse`).
        std::str::from_utf8(bytes).unwrap_or("")
    }
}

/// Lower-case letters, digits and single hyphens; a letter first, no hyphen last.
pub fn is_slug(s: &str, max: usize) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= max
        && b.first().is_some_and(u8::is_ascii_lowercase)
        && b.last() != Some(&b'-')
        && !s.contains("--")
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

impl fmt::Display for SpendingAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SpendingAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpendingAccount({})", self.as_str())
    }
}

impl Serialize for SpendingAccount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SpendingAccount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        SpendingAccount::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("bad spending account {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_a_canonical_slug_names_a_spending_account() {
        for ok in [
            "a",
            "it-tools",
            "advisors",
            "place-2",
            "x".repeat(40).as_str(),
        ] {
            assert_eq!(SpendingAccount::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "2a",
            "a b",
            "a_b",
            "é",
            "x".repeat(41).as_str(),
        ] {
            assert!(SpendingAccount::parse(bad).is_none(), "{bad:?}");
        }
    }
}
