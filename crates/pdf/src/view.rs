//! What the template reads: the document with every text already written out in its
//! language and every amount and date already formatted the Belgian way. The template only
//! lays it out. It receives it as JSON, so no user text is ever read as typst markup.

use ruche_domain::format;
use ruche_domain::group::Address;
use ruche_domain::ident::{EnterpriseNumber, Iban, Ogm, VatNumber};
use ruche_domain::invoicing::document::{Document, DocumentKind, Party};
use ruche_domain::invoicing::mentions::credit_note_vat_statement_for;
use ruche_domain::invoicing::vat::VatCategory;
use ruche_domain::{Language, invoicing::document::Line};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::labels::{self, Labels};

#[derive(Debug, Serialize)]
pub(crate) struct View {
    pub lang: &'static str,
    /// "Facture", "Creditnota"…
    pub title: &'static str,
    pub number: String,
    /// The issue date, as the PDF's own date (PDF/A requires one).
    pub date: Ymd,
    pub labels: &'static Labels,
    pub seller: SellerView,
    pub buyer: PartyView,
    /// Label and value pairs of the box beside the buyer.
    pub meta: Vec<[String; 2]>,
    pub lines: Vec<LineView>,
    pub vat_rows: Vec<VatRowView>,
    pub totals: Vec<TotalView>,
    pub payment: Option<PaymentView>,
    pub notes: Vec<String>,
    pub legal_mentions: Vec<String>,
    /// The company-law mentions (art. 2:20 CSA/WVV) repeated at the foot of every page.
    pub footer: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Ymd {
    pub year: i16,
    pub month: i8,
    pub day: i8,
}

#[derive(Debug, Serialize)]
pub(crate) struct SellerView {
    pub name: String,
    pub legal_form: String,
    pub address: Vec<String>,
    pub email: Option<String>,
    /// Label and value pairs: enterprise number, VAT number, register, IBAN, BIC.
    pub ids: Vec<[String; 2]>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PartyView {
    pub name: String,
    pub address: Vec<String>,
    /// Label and value pairs: VAT number, or enterprise number without VAT.
    pub ids: Vec<[String; 2]>,
}

#[derive(Debug, Serialize)]
pub(crate) struct LineView {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat: String,
    pub net: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct VatRowView {
    pub rate: String,
    pub taxable: String,
    pub tax: String,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TotalView {
    pub label: &'static str,
    pub value: String,
    pub strong: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct PaymentView {
    pub amount: String,
    pub iban: String,
    pub bic: Option<String>,
    pub ogm: String,
    pub qr: bool,
}

/// `ogm` is the document's structured communication, parsed; `has_qr` says whether the
/// world serves a QR code image.
pub(crate) fn build(doc: &Document, ogm: Option<&Ogm>, has_qr: bool) -> View {
    let lang = doc.language;
    let l = labels::labels(lang);
    let title = match doc.kind {
        DocumentKind::Invoice => l.invoice,
        DocumentKind::CreditNote => l.credit_note,
    };
    let ogm_shown = ogm.map(Ogm::to_string).unwrap_or_default();

    let mut meta = vec![
        [l.number.to_string(), doc.number.clone()],
        [l.date.to_string(), format::date(doc.issue_date)],
    ];
    if doc.kind == DocumentKind::Invoice {
        meta.push([l.due_date.to_string(), format::date(doc.due_date)]);
    }
    if let Some((number, date)) = &doc.corrects {
        meta.push([
            l.corrected_invoice.to_string(),
            format!("{number} {} {}", l.of_date, format::date(*date)),
        ]);
    }
    if let Some(reference) = non_empty(doc.order_reference.as_deref()) {
        meta.push([l.order_reference.to_string(), reference]);
    }
    if ogm.is_some() {
        meta.push([l.structured_communication.to_string(), ogm_shown.clone()]);
    }

    let seller = &doc.seller;
    let enterprise = enterprise_number(&seller.party);
    let vat = seller.party.vat_number.as_deref().map(vat_number);
    let iban = iban_display(&seller.iban);
    let bic = non_empty(seller.bic.as_deref());
    let mut ids = Vec::new();
    if let Some(n) = &enterprise {
        ids.push([l.enterprise_number.to_string(), n.clone()]);
    }
    if let Some(v) = &vat {
        ids.push([l.vat_number.to_string(), v.clone()]);
    }
    ids.push([String::new(), seller.court_register.clone()]);
    ids.push(["IBAN".to_string(), iban.clone()]);
    if let Some(b) = &bic {
        ids.push(["BIC".to_string(), b.clone()]);
    }

    let address = address_lines(lang, &seller.party.address);
    let mut footer = vec![seller.party.name.clone(), seller.legal_form.clone()];
    footer.push(address.join(", "));
    if let Some(n) = &enterprise {
        footer.push(format!("{}\u{a0}{n}", l.enterprise_number));
    }
    footer.push(seller.court_register.clone());
    if let Some(v) = &vat {
        footer.push(format!("{}\u{a0}{v}", l.vat_number));
    }
    // Keep each mention on one line: the footer wraps between mentions, not inside one.
    footer.push(format!("IBAN\u{a0}{}", iban.replace(' ', "\u{a0}")));
    if let Some(b) = &bic {
        footer.push(format!("BIC\u{a0}{b}"));
    }
    if let Some(e) = non_empty(seller.party.email.as_deref()) {
        footer.push(e);
    }
    footer.retain(|s| !s.trim().is_empty());

    let t = &doc.totals;
    let payable_label = match doc.kind {
        DocumentKind::Invoice => l.amount_due,
        DocumentKind::CreditNote => l.amount_refunded,
    };
    let totals = vec![
        total(l.total_excl_vat, t.tax_exclusive_cents, false),
        total(l.total_vat, t.tax_cents, false),
        total(l.total_incl_vat, t.tax_inclusive_cents, false),
        total(payable_label, t.payable_cents, true),
    ];

    let payment = (doc.kind == DocumentKind::Invoice && t.payable_cents > 0).then(|| PaymentView {
        amount: format::money(t.payable_cents),
        iban: iban.clone(),
        bic: bic.clone(),
        ogm: ogm_shown.clone(),
        qr: has_qr,
    });

    // Circular AGFisc 15/2015: a credit note that corrects VAT says the VAT is to be repaid.
    // The exemption reasons are printed under their VAT rows.
    let legal_mentions = credit_note_vat_statement_for(doc)
        .map(sentence)
        .into_iter()
        .collect();

    View {
        lang: lang.code(),
        title,
        number: doc.number.clone(),
        date: Ymd {
            year: doc.issue_date.year(),
            month: doc.issue_date.month(),
            day: doc.issue_date.day(),
        },
        labels: l,
        seller: SellerView {
            name: seller.party.name.clone(),
            legal_form: seller.legal_form.clone(),
            address,
            email: non_empty(seller.party.email.as_deref()),
            ids,
        },
        buyer: buyer_view(lang, l, &doc.buyer),
        meta,
        lines: doc.lines.iter().map(|line| line_view(lang, line)).collect(),
        vat_rows: t
            .subtotals
            .iter()
            .map(|s| VatRowView {
                rate: vat_label(lang, s.category, s.rate_bp, false),
                taxable: format::money(s.taxable_cents),
                tax: format::money(s.tax_cents),
                reason: non_empty(s.exemption_reason.as_deref()),
            })
            .collect(),
        totals,
        payment,
        notes: non_empty(doc.note.as_deref()).into_iter().collect(),
        legal_mentions,
        footer,
    }
}

fn total(label: &'static str, cents: i64, strong: bool) -> TotalView {
    TotalView {
        label,
        value: format::money(cents),
        strong,
    }
}

fn buyer_view(lang: Language, l: &Labels, buyer: &Party) -> PartyView {
    let mut ids = Vec::new();
    match (buyer.vat_number.as_deref(), enterprise_number(buyer)) {
        (Some(v), _) if !v.trim().is_empty() => {
            ids.push([l.vat_number.to_string(), vat_number(v)]);
        }
        (_, Some(n)) => ids.push([l.enterprise_number.to_string(), n]),
        _ => {}
    }
    PartyView {
        name: buyer.name.clone(),
        address: address_lines(lang, &buyer.address),
        ids,
    }
}

fn line_view(lang: Language, line: &Line) -> LineView {
    LineView {
        description: line.description.clone(),
        quantity: decimal(line.quantity, 0),
        unit: labels::unit_name(lang, &line.unit),
        unit_price: format!("{}\u{a0}€", decimal(line.unit_price, 2)),
        vat: vat_label(lang, line.vat_category, line.vat_rate_bp, true),
        net: format::money(line.net_cents),
    }
}

/// `21 %` for category S; for the others their name (short in the lines' column).
fn vat_label(lang: Language, category: VatCategory, rate_bp: u32, short: bool) -> String {
    match category {
        VatCategory::S => percent(rate_bp),
        _ if short => labels::category_short(lang, category).to_string(),
        _ => labels::category_name(lang, category).to_string(),
    }
}

/// 2100 basis points → `21 %`, 550 → `5,5 %`.
fn percent(rate_bp: u32) -> String {
    format!("{}\u{a0}%", decimal(Decimal::new(i64::from(rate_bp), 2), 0))
}

/// A decimal number the Belgian way, with at least `min_scale` decimals and no useless
/// trailing zeros beyond them: `1.234,5`, `3`, `0,125`.
pub(crate) fn decimal(value: Decimal, min_scale: u32) -> String {
    let mut d = value.normalize();
    if d.scale() < min_scale {
        d.rescale(min_scale);
    }
    let text = d.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 1);
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

fn address_lines(lang: Language, address: &Address) -> Vec<String> {
    let mut lines: Vec<String> = address
        .street
        .lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let city = format!("{} {}", address.postcode.trim(), address.city.trim());
    if !city.trim().is_empty() {
        lines.push(city.trim().to_string());
    }
    let country = address.country.trim().to_ascii_uppercase();
    if !country.is_empty() && country != "BE" {
        lines.push(labels::country_name(lang, &country));
    }
    lines
}

/// `0202.239.951`, from the enterprise number or else from a Belgian VAT number.
fn enterprise_number(party: &Party) -> Option<String> {
    if let Some(n) = non_empty(party.enterprise_number.as_deref()) {
        return Some(
            EnterpriseNumber::parse(&n)
                .map(|e| e.to_string())
                .unwrap_or(n),
        );
    }
    let vat = VatNumber::parse(party.vat_number.as_deref()?).ok()?;
    Some(vat.enterprise_number().to_string())
}

/// `BE 0202.239.951` for a Belgian VAT number, any other as it was given.
fn vat_number(raw: &str) -> String {
    match VatNumber::parse(raw) {
        Ok(v) => format!("BE\u{a0}{}", v.enterprise_number()),
        Err(_) => raw.trim().to_string(),
    }
}

/// `BE68 5390 0754 7034`, or the account as it was given when it does not parse.
fn iban_display(raw: &str) -> String {
    Iban::parse(raw)
        .map(|i| i.to_string())
        .unwrap_or_else(|_| raw.trim().to_string())
}

/// A legal statement printed on its own, as a sentence: "btw terug te storten …" →
/// "Btw terug te storten ….".
fn sentence(statement: &str) -> String {
    let statement = statement.trim();
    let mut chars = statement.chars();
    let mut text: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !text.is_empty() && !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_shows_only_the_decimals_it_has() {
        assert_eq!(decimal(Decimal::new(3, 0), 0), "3");
        assert_eq!(decimal(Decimal::new(300, 2), 0), "3");
        assert_eq!(decimal(Decimal::new(15, 1), 0), "1,5");
        assert_eq!(decimal(Decimal::new(-15, 1), 0), "-1,5");
        assert_eq!(decimal(Decimal::new(12_345, 1), 0), "1.234,5");
    }

    #[test]
    fn a_unit_price_has_at_least_cents() {
        assert_eq!(decimal(Decimal::new(85, 0), 2), "85,00");
        assert_eq!(decimal(Decimal::new(12_345, 1), 2), "1.234,50");
        assert_eq!(decimal(Decimal::new(125, 3), 2), "0,125");
        assert_eq!(decimal(Decimal::new(1_000_000, 0), 2), "1.000.000,00");
    }

    #[test]
    fn a_legal_statement_is_printed_as_a_sentence() {
        assert_eq!(
            sentence("btw terug te storten aan de Staat"),
            "Btw terug te storten aan de Staat."
        );
        assert_eq!(sentence("TVA à reverser."), "TVA à reverser.");
        assert_eq!(sentence("écrit"), "Écrit.");
        assert_eq!(sentence(" "), "");
    }

    #[test]
    fn a_rate_in_basis_points_is_a_percentage() {
        assert_eq!(percent(2100), "21\u{a0}%");
        assert_eq!(percent(600), "6\u{a0}%");
        assert_eq!(percent(550), "5,5\u{a0}%");
        assert_eq!(percent(0), "0\u{a0}%");
    }
}
