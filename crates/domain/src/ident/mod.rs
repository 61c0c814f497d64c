//! Belgian identifiers, each a parsed type whose constructor checks its rule
//! (`shared/reference/invoicing.md` §8): once you hold one, it is valid.

pub mod enterprise;
pub mod iban;
pub mod niss;
pub mod ogm;
pub mod vat;

pub use enterprise::EnterpriseNumber;
pub use iban::Iban;
pub use niss::Niss;
pub use ogm::Ogm;
pub use vat::VatNumber;

/// Why an identifier was refused. [`IdentError::code`] is the suffix of the translation key
/// the web layer shows next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentError {
    #[error("empty")]
    Empty,
    #[error("bad format")]
    Format,
    #[error("bad check digits")]
    Checksum,
    #[error("bad Belgian account check digits")]
    NationalChecksum,
    #[error("impossible birth date")]
    BirthDate,
}

impl IdentError {
    /// Stable code, used as a translation-key suffix (`err-<code>`): never rename one.
    pub fn code(&self) -> &'static str {
        match self {
            IdentError::Empty => "empty",
            IdentError::Format => "format",
            IdentError::Checksum => "checksum",
            IdentError::NationalChecksum => "national-checksum",
            IdentError::BirthDate => "birth-date",
        }
    }
}

/// Trims `input` and removes every character for which `is_separator` holds.
/// `Empty` when nothing is left.
fn compact(input: &str, is_separator: impl Fn(char) -> bool) -> Result<String, IdentError> {
    let s: String = input.trim().chars().filter(|&c| !is_separator(c)).collect();
    if s.is_empty() {
        Err(IdentError::Empty)
    } else {
        Ok(s)
    }
}

/// `digits` read as a decimal number, modulo 97, without building the number: the remainder
/// is carried digit by digit, so any length works without big integers (ISO 7064 MOD 97-10).
/// The caller guarantees that `digits` holds only ASCII digits.
fn mod97(digits: &str) -> u32 {
    digits
        .bytes()
        .fold(0, |r, b| (r * 10 + u32::from(b - b'0')) % 97)
}

/// The Belgian "97 − (n mod 97), 97 when the remainder is 0" check value shared by the
/// enterprise number and the national register number.
fn check_97_minus(digits: &str) -> u32 {
    97 - mod97(digits)
}

/// The Belgian "n mod 97, 97 when the remainder is 0" check value shared by the BBAN and the
/// structured communication.
fn check_mod97_or_97(digits: &str) -> u32 {
    match mod97(digits) {
        0 => 97,
        r => r,
    }
}

/// `Serialize` as the plain compact string (`$plain` names the method that gives it),
/// `Deserialize` and `FromStr` through `parse`, so a deserialised value is as valid as a
/// parsed one.
macro_rules! string_conversions {
    ($ty:ty, $plain:ident) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.$plain())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                <$ty>::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::ident::IdentError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::parse(s)
            }
        }
    };
}
use string_conversions;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// What `Serialize` writes, through serde's own `fmt::Formatter` serializer (the crate
    /// has no serde_json).
    pub(crate) fn serialized<T: serde::Serialize>(value: &T) -> String {
        struct Shown<'a, T>(&'a T);
        impl<T: serde::Serialize> std::fmt::Display for Shown<'_, T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.serialize(f)
            }
        }
        Shown(value).to_string()
    }

    /// What `Deserialize` makes of a string, through serde's own `StrDeserializer`.
    pub(crate) fn deserialized<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, String> {
        use serde::de::value::{Error, StrDeserializer};
        T::deserialize(StrDeserializer::<Error>::new(s)).map_err(|e| e.to_string())
    }

    #[test]
    fn error_codes_are_the_translation_key_suffixes() {
        assert_eq!(IdentError::Empty.code(), "empty");
        assert_eq!(IdentError::Format.code(), "format");
        assert_eq!(IdentError::Checksum.code(), "checksum");
        assert_eq!(IdentError::NationalChecksum.code(), "national-checksum");
        assert_eq!(IdentError::BirthDate.code(), "birth-date");
    }

    #[test]
    fn mod97_carries_the_remainder_over_long_numbers() {
        // invoicing.md §8.4 worked example: 539007547034111468 mod 97 = 1.
        assert_eq!(mod97("539007547034111468"), 1);
        assert_eq!(mod97("539007547"), 81);
        assert_eq!(mod97(""), 0);
    }

    #[test]
    fn compact_refuses_what_is_only_separators() {
        assert_eq!(
            compact("  . . ", |c| c == ' ' || c == '.'),
            Err(IdentError::Empty)
        );
        assert_eq!(compact(" 1.2 ", |c| c == '.'), Ok("12".to_string()));
    }
}
