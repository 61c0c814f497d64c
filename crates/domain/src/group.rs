//! The group: the legal entities (the cooperative and its sister entities) and the offices.

use serde::{Deserialize, Serialize};

use crate::ident::{EnterpriseNumber, Iban, VatNumber};
use crate::validate::FieldErrors;

/// A postal address. Belgian by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

impl Address {
    pub fn parse(
        errors: &mut FieldErrors,
        street: &str,
        postcode: &str,
        city: &str,
        country: &str,
    ) -> Address {
        let street = errors.required("street", street, 200);
        let postcode = errors.required("postcode", postcode, 16);
        let city = errors.required("city", city, 100);
        let country = match country.trim() {
            "" => "BE".to_string(),
            c if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                c.to_ascii_uppercase()
            }
            _ => {
                errors.add("country", "country");
                country.trim().to_string()
            }
        };
        // Belgian postcodes are four digits (1000–9999).
        if country == "BE"
            && !postcode.is_empty()
            && !(postcode.len() == 4 && postcode.chars().all(|c| c.is_ascii_digit()))
        {
            errors.add("postcode", "postcode");
        }
        Address {
            street,
            postcode,
            city,
            country,
        }
    }
}

/// What a legal-entity form carries, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LegalEntityForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub legal_form: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub enterprise_number: String,
    #[serde(default)]
    pub vat_number: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub court_register: String,
}

/// A legal entity of the group: the cooperative itself, or a sister entity such as a
/// training entity. Invoices, payslips and reports carry these particulars (Code of
/// Economic Law art. III.25–III.26: name, legal form, registered office, enterprise number,
/// court register, account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalEntity {
    pub name: String,
    /// The legal-form designation as printed, e.g. "SCES agréée" / "erkende CVSO".
    pub legal_form: String,
    pub registered_office: Address,
    pub enterprise_number: EnterpriseNumber,
    pub vat_number: Option<VatNumber>,
    pub iban: Iban,
    /// RPM/RPR and its seat, e.g. "RPM Bruxelles".
    pub court_register: String,
}

impl LegalEntityForm {
    pub fn parse(&self) -> Result<LegalEntity, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.required("name", &self.name, 200);
        let legal_form = e.required("legal_form", &self.legal_form, 100);
        let registered_office =
            Address::parse(&mut e, &self.street, &self.postcode, &self.city, "BE");
        let enterprise_number = e.ident(
            "enterprise_number",
            &self.enterprise_number,
            EnterpriseNumber::parse,
        );
        let vat_number = e.optional_ident("vat_number", &self.vat_number, VatNumber::parse);
        if let (Some(en), Some(vat)) = (&enterprise_number, &vat_number)
            && vat.enterprise_number() != en
        {
            // The Belgian VAT number is "BE" + the enterprise number (BR-CO-09).
            e.add("vat_number", "vat-mismatch");
        }
        let iban = e.ident("iban", &self.iban, Iban::parse);
        let court_register = e.required("court_register", &self.court_register, 100);
        match (enterprise_number, iban) {
            (Some(enterprise_number), Some(iban)) if e.is_empty() => Ok(LegalEntity {
                name,
                legal_form,
                registered_office,
                enterprise_number,
                vat_number,
                iban,
                court_register,
            }),
            _ => Err(e),
        }
    }
}

/// Where an office stands: the three Belgian regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    Brussels,
    Flanders,
    Wallonia,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Brussels, Region::Flanders, Region::Wallonia];

    pub fn code(self) -> &'static str {
        match self {
            Region::Brussels => "brussels",
            Region::Flanders => "flanders",
            Region::Wallonia => "wallonia",
        }
    }

    pub fn parse(s: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.code() == s.trim())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OfficeForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// An office (antenne / kantoor) where advisors meet members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub name: String,
    pub region: Region,
    pub address: Address,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl OfficeForm {
    pub fn parse(&self) -> Result<Office, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.required("name", &self.name, 100);
        let region = Region::parse(&self.region);
        if region.is_none() {
            e.add("region", "required");
        }
        let address = Address::parse(&mut e, &self.street, &self.postcode, &self.city, "BE");
        let email = if self.email.trim().is_empty() {
            None
        } else {
            Some(e.email("email", &self.email))
        };
        let phone = e.optional("phone", &self.phone, 32);
        match region {
            Some(region) if e.is_empty() => Ok(Office {
                name,
                region,
                address,
                email,
                phone,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity_form() -> LegalEntityForm {
        LegalEntityForm {
            name: "Ruche".into(),
            legal_form: "SCES agréée".into(),
            street: "Rue Coenraets 72".into(),
            postcode: "1060".into(),
            city: "Saint-Gilles".into(),
            enterprise_number: "0202.239.951".into(),
            vat_number: "BE0202239951".into(),
            iban: "BE68 5390 0754 7034".into(),
            court_register: "RPM Bruxelles".into(),
        }
    }

    #[test]
    fn a_complete_legal_entity_parses() {
        let entity = entity_form().parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entity.enterprise_number.as_str(), "0202239951");
    }

    #[test]
    fn a_bad_enterprise_number_and_a_missing_name_are_both_named() {
        let form = LegalEntityForm {
            name: " ".into(),
            enterprise_number: "0407617077".into(),
            vat_number: String::new(),
            ..entity_form()
        };
        let errors = form.parse().err().unwrap_or_default();
        assert_eq!(errors.get("name"), Some("required"));
        assert_eq!(errors.get("enterprise_number"), Some("checksum"));
    }

    #[test]
    fn the_vat_number_must_be_the_enterprise_number() {
        let form = LegalEntityForm {
            vat_number: "BE0403170701".into(),
            ..entity_form()
        };
        assert_eq!(
            form.parse().err().unwrap_or_default().get("vat_number"),
            Some("vat-mismatch")
        );
    }

    #[test]
    fn an_office_needs_a_region_and_a_belgian_postcode() {
        let form = OfficeForm {
            name: "Liège".into(),
            region: "mars".into(),
            street: "Rue".into(),
            postcode: "40000".into(),
            city: "Liège".into(),
            ..Default::default()
        };
        let errors = form.parse().err().unwrap_or_default();
        assert_eq!(errors.get("region"), Some("required"));
        assert_eq!(errors.get("postcode"), Some("postcode"));
    }
}
