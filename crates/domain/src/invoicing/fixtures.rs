//! A valid invoice to break in tests: the cooperative sells ten hours of work at 21 % and a
//! training day exempt under art. 44 to a Belgian company.

#![allow(clippy::unwrap_used)]

use jiff::civil::date;
use rust_decimal::Decimal;

use super::document::{Document, DocumentKind, Party, Seller};
use super::totals::{LineInput, compute_totals};
use super::vat::VatCategory;
use crate::Language;
use crate::group::Address;
use crate::ident::Ogm;

pub(crate) fn address(country: &str) -> Address {
    Address {
        street: "Rue Coenraets 72".to_string(),
        postcode: "1060".to_string(),
        city: "Saint-Gilles".to_string(),
        country: country.to_string(),
    }
}

pub(crate) fn line(category: VatCategory, rate_bp: u32, quantity: i64, price: i64) -> LineInput {
    LineInput {
        description: "Animation d'atelier".to_string(),
        quantity: Decimal::from(quantity),
        unit: "HUR".to_string(),
        unit_price: Decimal::from(price),
        vat_category: category,
        vat_rate_bp: rate_bp,
    }
}

pub(crate) fn seller() -> Seller {
    Seller {
        party: Party {
            name: "Ruche SC".to_string(),
            address: address("BE"),
            enterprise_number: Some("0812345603".to_string()),
            vat_number: Some("BE0812345603".to_string()),
            email: Some("factures@ruche.example".to_string()),
        },
        legal_form: "SCES agréée".to_string(),
        court_register: "RPM Bruxelles".to_string(),
        iban: "BE68539007547034".to_string(),
        bic: None,
    }
}

pub(crate) fn belgian_buyer() -> Party {
    Party {
        name: "Client SA".to_string(),
        address: address("BE"),
        enterprise_number: Some("0202239951".to_string()),
        vat_number: Some("BE0202239951".to_string()),
        email: None,
    }
}

/// Builds a document from lines, with the totals computed.
pub(crate) fn document_with(kind: DocumentKind, lines: &[LineInput]) -> Document {
    let (lines, totals) = compute_totals(lines, Language::Fr).unwrap();
    Document {
        kind,
        number: match kind {
            DocumentKind::Invoice => "F2026-00042".to_string(),
            DocumentKind::CreditNote => "NC2026-00003".to_string(),
        },
        issue_date: date(2026, 3, 2),
        due_date: date(2026, 4, 1),
        language: Language::Fr,
        seller: seller(),
        buyer: belgian_buyer(),
        lines,
        totals,
        structured_communication: match kind {
            DocumentKind::Invoice => Ogm::for_invoice(2026, 42).unwrap().as_str().to_string(),
            DocumentKind::CreditNote => String::new(),
        },
        order_reference: Some("PO-2026-117".to_string()),
        corrects: match kind {
            DocumentKind::Invoice => None,
            DocumentKind::CreditNote => Some(("F2026-00042".to_string(), date(2026, 3, 2))),
        },
        note: None,
    }
}

/// 10 h at 65 € (21 %) and one training day at 480 € (art. 44).
pub(crate) fn invoice() -> Document {
    document_with(
        DocumentKind::Invoice,
        &[
            line(VatCategory::S, 2100, 10, 65),
            line(VatCategory::E, 0, 1, 480),
        ],
    )
}
