//! How a party of a sales document is reached on the Peppol network (`cbc:EndpointID`,
//! BT-34 / BT-49) and how its identifiers are written: the Peppol rules judge a party by
//! these (PEPPOL-EN16931-R010, R020, PEPPOL-COMMON-R043), the UBL writer writes them and the
//! reader compares what it read with them.

use super::document::Party;
use crate::ident::EnterpriseNumber;

/// `cbc:EndpointID` of a party, `(schemeID, value)`: the enterprise number under `0208`
/// (invoicing.md §2.1), else the VAT number under its country's EAS VAT scheme (`9925` for
/// Belgium). `None` when the party has neither.
pub fn endpoint(party: &Party) -> Option<(&'static str, String)> {
    if let Some(number) = written_enterprise_number(party) {
        return Some(("0208", number));
    }
    let vat = written_vat_number(party)?;
    let scheme = vat_eas(vat.get(..2)?)?;
    Some((scheme, vat))
}

/// The party's enterprise number as written (`0202239951`): normalised when it parses, as
/// given otherwise (so that the rules and a receiver see the same wrong value).
pub fn written_enterprise_number(party: &Party) -> Option<String> {
    let raw = party.enterprise_number.as_deref()?.trim();
    if raw.is_empty() {
        return None;
    }
    Some(
        EnterpriseNumber::parse(raw)
            .map(|n| n.as_str().to_string())
            .unwrap_or_else(|_| raw.to_string()),
    )
}

/// The party's VAT number as written: without spaces or dots, upper case (`BE0202239951`).
pub fn written_vat_number(party: &Party) -> Option<String> {
    let compact: String = party
        .vat_number
        .as_deref()?
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect::<String>()
        .to_ascii_uppercase();
    Some(compact).filter(|v| !v.is_empty())
}

/// The EAS code of a country's VAT number (OpenPEPPOL `structure/codelist/eas.xml`), by the
/// VAT prefix (Greece writes `EL`). Only European VAT schemes: elsewhere a party needs an
/// identifier the model does not hold.
fn vat_eas(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "AD" => "9922",
        "AL" => "9923",
        "AT" => "9914",
        "BA" => "9924",
        "BE" => "9925",
        "BG" => "9926",
        "CH" => "9927",
        "CY" => "9928",
        "CZ" => "9929",
        "DE" => "9930",
        "EE" => "9931",
        "EL" => "9933",
        "ES" => "9920",
        "FR" => "9957",
        "GB" => "9932",
        "HR" => "9934",
        "HU" => "9910",
        "IE" => "9935",
        "IT" => "0211",
        "LI" => "9936",
        "LT" => "9937",
        "LU" => "9938",
        "LV" => "9939",
        "MC" => "9940",
        "ME" => "9941",
        "MK" => "9942",
        "MT" => "9943",
        "NL" => "9944",
        "PL" => "9945",
        "PT" => "9946",
        "RO" => "9947",
        "RS" => "9948",
        "SI" => "9949",
        "SK" => "9950",
        "SM" => "9951",
        "TR" => "9952",
        "VA" => "9953",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::Address;

    fn party(enterprise: Option<&str>, vat: Option<&str>) -> Party {
        Party {
            name: "X".into(),
            address: Address {
                street: "s".into(),
                postcode: "1000".into(),
                city: "c".into(),
                country: "BE".into(),
            },
            enterprise_number: enterprise.map(str::to_string),
            vat_number: vat.map(str::to_string),
            email: None,
        }
    }

    #[test]
    fn a_belgian_party_is_reached_at_its_enterprise_number_then_its_vat_number() {
        assert_eq!(
            endpoint(&party(Some("0202.239.951"), Some("BE0202239951"))),
            Some(("0208", "0202239951".to_string()))
        );
        assert_eq!(
            endpoint(&party(None, Some("be 0202.239.951"))),
            Some(("9925", "BE0202239951".to_string()))
        );
        assert_eq!(
            endpoint(&party(None, Some("FR12345678901"))),
            Some(("9957", "FR12345678901".to_string()))
        );
        assert_eq!(endpoint(&party(None, Some("US123"))), None);
        assert_eq!(endpoint(&party(Some(" "), None)), None);
        // A wrong number is written as given, for PEPPOL-COMMON-R043 to catch.
        assert_eq!(
            endpoint(&party(Some("0412345615"), None)),
            Some(("0208", "0412345615".to_string()))
        );
    }
}
