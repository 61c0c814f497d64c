//! Clients: the companies and consumers members work for. One directory for the whole
//! cooperative: a client is shared by every activity that works for it, and a Belgian
//! company appears once, keyed by its enterprise number.

use serde::{Deserialize, Serialize};

use crate::Language;
use crate::group::Address;
use crate::ident::{EnterpriseNumber, VatNumber};
use crate::validate::FieldErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientKind {
    /// A business (B2B): Belgian ones invoice through Peppol since 1 January 2026.
    Company,
    /// A private person (B2C): the consumer rules of the Code of Economic Law apply.
    Consumer,
}

impl ClientKind {
    pub fn code(self) -> &'static str {
        match self {
            ClientKind::Company => "company",
            ClientKind::Consumer => "consumer",
        }
    }

    pub fn parse(s: &str) -> Option<ClientKind> {
        match s.trim() {
            "company" => Some(ClientKind::Company),
            "consumer" => Some(ClientKind::Consumer),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClientForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub enterprise_number: String,
    #[serde(default)]
    pub vat_number: String,
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
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub kind: ClientKind,
    pub name: String,
    /// Belgian companies: the enterprise number (KBO/BCE), unique in the directory.
    pub enterprise_number: Option<EnterpriseNumber>,
    /// The VAT number with its country prefix; for a Belgian company, BE + the number.
    pub vat_number: Option<String>,
    pub address: Address,
    pub language: Language,
    pub email: Option<String>,
}

impl Client {
    /// The Peppol participant identifier of a Belgian company (`0208:<number>`): the
    /// default Belgian scheme (invoicing.md §2.1).
    pub fn peppol_id(&self) -> Option<String> {
        self.enterprise_number
            .as_ref()
            .map(EnterpriseNumber::peppol_id)
    }
}

/// A foreign VAT number: two letters then 2–13 letters or digits (VIES format).
fn parse_foreign_vat(s: &str) -> Option<String> {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect();
    let compact = compact.to_ascii_uppercase();
    let (country, rest) = compact.split_at_checked(2)?;
    (country.chars().all(|c| c.is_ascii_alphabetic())
        && (2..=13).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_alphanumeric()))
    .then_some(compact)
}

impl ClientForm {
    pub fn parse(&self) -> Result<Client, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = ClientKind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "required");
        }
        let name = e.required("name", &self.name, 200);
        let address = Address::parse(
            &mut e,
            &self.street,
            &self.postcode,
            &self.city,
            &self.country,
        );
        let belgian = address.country == "BE";
        let company = kind == Some(ClientKind::Company);
        let enterprise_number = if company && belgian {
            // A Belgian company is identified by its enterprise number (Peppol 0208).
            e.ident(
                "enterprise_number",
                &self.enterprise_number,
                EnterpriseNumber::parse,
            )
        } else {
            e.optional_ident(
                "enterprise_number",
                &self.enterprise_number,
                EnterpriseNumber::parse,
            )
        };
        let vat_number = match self.vat_number.trim() {
            "" => None,
            raw if raw.to_ascii_uppercase().starts_with("BE") => match VatNumber::parse(raw) {
                Ok(vat) => {
                    if enterprise_number
                        .as_ref()
                        .is_some_and(|en| vat.enterprise_number() != en)
                    {
                        e.add("vat_number", "vat-mismatch");
                    }
                    Some(vat.to_string())
                }
                Err(err) => {
                    e.add("vat_number", err.code());
                    None
                }
            },
            raw => {
                let parsed = parse_foreign_vat(raw);
                if parsed.is_none() {
                    e.add("vat_number", "format");
                }
                parsed
            }
        };
        let language = Language::parse(&self.language);
        if language.is_none() {
            e.add("language", "required");
        }
        let email = if self.email.trim().is_empty() {
            None
        } else {
            Some(e.email("email", &self.email))
        };
        match (kind, language) {
            (Some(kind), Some(language)) if e.is_empty() => Ok(Client {
                kind,
                name,
                enterprise_number,
                vat_number,
                address,
                language,
                email,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company() -> ClientForm {
        ClientForm {
            kind: "company".into(),
            name: "Théâtre National".into(),
            enterprise_number: "0202.239.951".into(),
            vat_number: "BE0202239951".into(),
            street: "Boulevard Émile Jacqmain 111".into(),
            postcode: "1000".into(),
            city: "Bruxelles".into(),
            country: "BE".into(),
            language: "fr".into(),
            email: "compta@theatre.be".into(),
        }
    }

    #[test]
    fn a_belgian_company_gets_its_peppol_identifier() {
        let client = company().parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(client.peppol_id().as_deref(), Some("0208:0202239951"));
    }

    #[test]
    fn a_belgian_company_needs_a_valid_enterprise_number() {
        let missing = ClientForm {
            enterprise_number: String::new(),
            vat_number: String::new(),
            ..company()
        };
        assert_eq!(
            missing
                .parse()
                .err()
                .unwrap_or_default()
                .get("enterprise_number"),
            Some("required")
        );
        let wrong = ClientForm {
            enterprise_number: "0407617077".into(),
            vat_number: String::new(),
            ..company()
        };
        assert_eq!(
            wrong
                .parse()
                .err()
                .unwrap_or_default()
                .get("enterprise_number"),
            Some("checksum")
        );
    }

    #[test]
    fn a_consumer_and_a_foreign_company_need_no_enterprise_number() {
        let consumer = ClientForm {
            kind: "consumer".into(),
            enterprise_number: String::new(),
            vat_number: String::new(),
            ..company()
        };
        assert!(consumer.parse().is_ok());
        let french = ClientForm {
            enterprise_number: String::new(),
            vat_number: "FR 40 303 265 045".into(),
            postcode: "75001".into(),
            country: "FR".into(),
            ..company()
        };
        let client = french.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(client.vat_number.as_deref(), Some("FR40303265045"));
        assert_eq!(client.peppol_id(), None);
    }

    #[test]
    fn the_belgian_vat_number_must_match_the_enterprise_number() {
        let form = ClientForm {
            vat_number: "BE0403170701".into(),
            ..company()
        };
        assert_eq!(
            form.parse().err().unwrap_or_default().get("vat_number"),
            Some("vat-mismatch")
        );
    }
}
