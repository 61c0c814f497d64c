//! Persons: members, advisors, staff — anyone ruche knows by name.

use serde::Deserialize;

use crate::Language;
use crate::employment::Gender;
use crate::group::Address;
use crate::ident::{Iban, Niss};
use crate::validate::FieldErrors;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub niss: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// The office the person is attached to, as the form's select sends it ("" = none).
    #[serde(default)]
    pub office_id: String,
    /// The declared gender: `f`, `m`, `x`, or "" when not stated.
    #[serde(default)]
    pub gender: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    /// National register number; optional (a foreign client contact has none), unique.
    pub niss: Option<Niss>,
    pub address: Address,
    pub language: Language,
    pub iban: Option<Iban>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub office_id: Option<i64>,
    /// The gender the person declared, for the social balance sheet's new-hire counts (NBB
    /// bilan social, by gender); `None` when not stated, the default.
    pub gender: Option<Gender>,
}

impl PersonForm {
    pub fn parse(&self) -> Result<Person, FieldErrors> {
        let mut e = FieldErrors::new();
        let first_name = e.required("first_name", &self.first_name, 100);
        let last_name = e.required("last_name", &self.last_name, 100);
        let niss = e.optional_ident("niss", &self.niss, Niss::parse);
        let address = Address::parse(
            &mut e,
            &self.street,
            &self.postcode,
            &self.city,
            &self.country,
        );
        let language = Language::parse(&self.language);
        if language.is_none() {
            e.add("language", "required");
        }
        let iban = e.optional_ident("iban", &self.iban, Iban::parse);
        let email = if self.email.trim().is_empty() {
            None
        } else {
            Some(e.email("email", &self.email))
        };
        let phone = e.optional("phone", &self.phone, 32);
        let office_id = match self.office_id.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("office_id", "required");
                    None
                }
            },
        };
        let gender = match self.gender.trim() {
            "" => None,
            g => {
                let parsed = Gender::parse(g);
                if parsed.is_none() {
                    e.add("gender", "person-gender");
                }
                parsed
            }
        };
        let language = language.unwrap_or_default();
        e.into_result(|| Person {
            first_name,
            last_name,
            niss,
            address,
            language,
            iban,
            email,
            phone,
            office_id,
            gender,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PersonForm {
        PersonForm {
            first_name: "Ana".into(),
            last_name: "Peeters".into(),
            niss: String::new(),
            street: "Kerkstraat 1".into(),
            postcode: "9000".into(),
            city: "Gent".into(),
            country: "BE".into(),
            language: "nl".into(),
            iban: "BE71 0961 2345 6769".into(),
            email: "ana@example.be".into(),
            phone: String::new(),
            office_id: "2".into(),
            gender: String::new(),
        }
    }

    #[test]
    fn a_person_without_niss_is_accepted() {
        let p = form().parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.language, Language::Nl);
        assert_eq!(p.office_id, Some(2));
    }

    #[test]
    fn a_bad_iban_is_refused_and_named() {
        let f = PersonForm {
            iban: "BE69539007547034".into(),
            ..form()
        };
        assert_eq!(
            f.parse().err().unwrap_or_default().get("iban"),
            Some("checksum")
        );
    }

    #[test]
    fn a_bad_niss_is_refused_and_named() {
        let f = PersonForm {
            niss: "85.07.30-033.29".into(),
            ..form()
        };
        assert!(f.parse().err().unwrap_or_default().get("niss").is_some());
    }

    #[test]
    fn the_gender_is_optional_and_only_f_m_or_x() {
        assert_eq!(form().parse().map(|p| p.gender), Ok(None));
        for (code, gender) in [
            ("f", Gender::Female),
            ("m", Gender::Male),
            ("x", Gender::Other),
        ] {
            let f = PersonForm {
                gender: code.into(),
                ..form()
            };
            assert_eq!(f.parse().map(|p| p.gender), Ok(Some(gender)));
        }
        let f = PersonForm {
            gender: "female".into(),
            ..form()
        };
        assert_eq!(
            f.parse().err().unwrap_or_default().get("gender"),
            Some("person-gender")
        );
    }
}
