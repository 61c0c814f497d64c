//! The "SEPA credit transfer" QR code of the European Payments Council (EPC069-12, version
//! 002, the one Belgian banking apps read): the payer scans it and finds the transfer filled
//! in, structured communication included.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};
use ruche_domain::ident::Ogm;
use ruche_domain::invoicing::document::{Document, DocumentKind};

use crate::PdfError;

/// EPC069-12: at most QR version 13 at error level M, that is 331 bytes of payload.
const MAX_PAYLOAD_BYTES: usize = 331;
/// EPC069-12, AT-21: the beneficiary's name has at most 70 characters.
const MAX_NAME_CHARS: usize = 70;
/// EPC069-12, AT-04: from 0.01 to 999999999.99 euros.
const MAX_AMOUNT_CENTS: i64 = 99_999_999_999;
/// ISO/IEC 18004: a quiet zone of four modules around the symbol.
const QUIET_ZONE: usize = 4;

/// The text to put in the QR code for paying `doc`, or `None` when it asks for no payment:
/// a credit note, nothing due, an amount the format cannot carry, or no valid structured
/// communication to pay with.
///
/// The fields, one per line (EPC069-12 §2): service tag `BCD`, version `002`, character set
/// `1` (UTF-8), identification `SCT`, BIC (optional in version 002), beneficiary name,
/// IBAN, `EUR` + amount, purpose (empty), structured remittance information, then the
/// unstructured one and a note to the payer, both left out. Belgian banks read the 12 digits
/// of the OGM in the structured field. The last field is not followed by a line feed.
pub fn epc_payload(doc: &Document) -> Option<String> {
    let cents = doc.totals.payable_cents;
    if doc.kind != DocumentKind::Invoice || !(1..=MAX_AMOUNT_CENTS).contains(&cents) {
        return None;
    }
    let ogm = Ogm::parse(&doc.structured_communication).ok()?;
    let ogm = ogm.as_str();
    let iban = compact_upper(&doc.seller.iban);
    if iban.is_empty() {
        return None;
    }
    let bic = doc
        .seller
        .bic
        .as_deref()
        .map(compact_upper)
        .unwrap_or_default();
    // A line feed inside the name would shift every field after it.
    let mut name: String = doc
        .seller
        .party
        .name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    let amount = format!("EUR{}.{:02}", cents / 100, cents % 100);

    let build = |name: &str| format!("BCD\n002\n1\nSCT\n{bic}\n{name}\n{iban}\n{amount}\n\n{ogm}");
    let mut payload = build(&name);
    // Only a name of many multi-byte characters can overflow; shorten it rather than fail.
    while payload.len() > MAX_PAYLOAD_BYTES {
        name.pop()?;
        payload = build(&name);
    }
    Some(payload)
}

fn compact_upper(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// The QR code of `payload` as an SVG image, one path of horizontal runs of dark modules
/// (adjacent squares would show hairline seams in some PDF viewers).
pub(crate) fn qr_svg(payload: &str) -> Result<String, PdfError> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| PdfError::QrCode(e.to_string()))?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                let (px, py) = (start + QUIET_ZONE, y + QUIET_ZONE);
                // Writing to a String cannot fail.
                let _ = write!(path, "M{px} {py}h{run}v1h-{run}z");
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_with_a_quiet_zone() {
        let svg =
            qr_svg("BCD\n002\n1\nSCT\n\nX\nBE68539007547034\nEUR1.00\n\n123456789002").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("M4 4h7v1h-7z"),
            "finder pattern top row: {svg}"
        );
    }
}
