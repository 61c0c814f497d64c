//! Belgian VAT number: `BE` + the ten digits of the enterprise number (`invoicing.md` §8.1).

use std::fmt;

use super::{EnterpriseNumber, IdentError, compact, string_conversions};

/// `BE0202239951`. The digits and their check are those of the [`EnterpriseNumber`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VatNumber(EnterpriseNumber);

impl VatNumber {
    /// Requires the `BE` prefix (any case), because EN 16931 BR-CO-09 requires the ISO
    /// country prefix on a VAT identifier; spaces and dots are allowed: `BE 0202.239.951`.
    pub fn parse(input: &str) -> Result<Self, IdentError> {
        let s = compact(input, |c| c == ' ' || c == '.' || c == '\u{a0}')?;
        match s.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("BE") => {
                EnterpriseNumber::from_digits(&s[2..]).map(Self)
            }
            _ => Err(IdentError::Format),
        }
    }

    /// `BE0202239951`, the form invoices and Peppol (`cac:PartyTaxScheme`) carry.
    pub fn as_string(&self) -> String {
        format!("BE{}", self.0.as_str())
    }

    pub fn enterprise_number(&self) -> &EnterpriseNumber {
        &self.0
    }
}

/// A Belgian VAT number is the enterprise number with the country prefix, nothing more.
impl From<EnterpriseNumber> for VatNumber {
    fn from(n: EnterpriseNumber) -> Self {
        Self(n)
    }
}

impl fmt::Display for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BE{}", self.0.as_str())
    }
}

string_conversions!(VatNumber, as_string);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ident::tests::{deserialized, serialized};

    #[test]
    fn a_vat_number_is_be_followed_by_a_valid_enterprise_number() {
        // invoicing.md §8.6, "Enterprise valid", with the BR-CO-09 country prefix.
        for n in [
            "0202239951",
            "0403170701",
            "0417497106",
            "0404616494",
            "0203201340",
            "0123456749",
            "0739484052",
            "0000000097",
            "0812345603",
            "0412345614",
            "1000000021",
            "1001234592",
        ] {
            let vat = VatNumber::parse(&format!("BE{n}")).unwrap();
            assert_eq!(vat.enterprise_number().as_str(), n);
            assert_eq!(vat.as_string(), format!("BE{n}"));
        }
    }

    #[test]
    fn a_vat_number_with_wrong_check_digits_is_refused() {
        // invoicing.md §8.6, "Enterprise invalid".
        for n in [
            "0407617077",
            "0473395043",
            "0739484053",
            "0739484059",
            "1234567890",
            "0412345615",
        ] {
            assert_eq!(
                VatNumber::parse(&format!("BE{n}")),
                Err(IdentError::Checksum),
                "{n}"
            );
        }
        assert_eq!(
            VatNumber::parse("BE07399999484052"),
            Err(IdentError::Format)
        );
    }

    #[test]
    fn a_vat_number_without_the_be_prefix_is_refused() {
        // BR-CO-09: the VAT identifier carries its ISO 3166-1 country prefix.
        assert_eq!(VatNumber::parse("0202239951"), Err(IdentError::Format));
        assert_eq!(VatNumber::parse("0202.239.951"), Err(IdentError::Format));
        assert_eq!(VatNumber::parse("NL0202239951"), Err(IdentError::Format));
    }

    #[test]
    fn a_vat_number_is_read_in_any_case_with_spaces_and_dots() {
        for input in [
            "BE 0202.239.951",
            "be0202239951",
            "Be 0202 239 951",
            " BE0202239951 ",
        ] {
            assert_eq!(
                VatNumber::parse(input).unwrap().to_string(),
                "BE0202239951",
                "{input}"
            );
        }
    }

    #[test]
    fn an_empty_vat_number_is_reported_as_empty() {
        assert_eq!(VatNumber::parse(" "), Err(IdentError::Empty));
        assert_eq!(VatNumber::parse("BE"), Err(IdentError::Empty));
    }

    #[test]
    fn a_vat_number_serialises_with_its_prefix_and_reads_back_checked() {
        let vat: VatNumber = "be 0202.239.951".parse().unwrap();
        assert_eq!(serialized(&vat), "BE0202239951");
        assert_eq!(deserialized::<VatNumber>("BE0202239951"), Ok(vat.clone()));
        assert!(deserialized::<VatNumber>("0202239951").is_err());
        let from_enterprise: VatNumber = EnterpriseNumber::parse("0202239951").unwrap().into();
        assert_eq!(from_enterprise, vat);
    }
}
