//! The words printed on a sales document, in the document's language. A document is a legal
//! record rendered once, so its words live here, next to the template, rather than in the
//! web layer's translation files: a wording change there must never alter how an issued
//! invoice reads. The legal mentions are the domain's (`ruche_domain::invoicing::mentions`).

use ruche_domain::Language;
use ruche_domain::invoicing::vat::VatCategory;
use serde::Serialize;

/// Every fixed text of the template. Serialised into the data the template reads.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Labels {
    pub invoice: &'static str,
    pub credit_note: &'static str,
    pub number: &'static str,
    pub date: &'static str,
    pub due_date: &'static str,
    pub order_reference: &'static str,
    pub structured_communication: &'static str,
    pub corrected_invoice: &'static str,
    /// Between an invoice number and its date: "F2026-00042 du 12/11/2026".
    pub of_date: &'static str,
    pub customer: &'static str,
    pub enterprise_number: &'static str,
    pub vat_number: &'static str,
    pub description: &'static str,
    pub quantity: &'static str,
    pub unit: &'static str,
    pub unit_price: &'static str,
    pub vat_rate: &'static str,
    pub net_amount: &'static str,
    pub vat_breakdown: &'static str,
    pub vat_category: &'static str,
    pub taxable_amount: &'static str,
    pub vat: &'static str,
    pub total_excl_vat: &'static str,
    pub total_vat: &'static str,
    pub total_incl_vat: &'static str,
    pub amount_due: &'static str,
    pub amount_refunded: &'static str,
    pub payment: &'static str,
    pub pay_to: &'static str,
    pub pay_with: &'static str,
    pub scan_to_pay: &'static str,
    pub page: &'static str,
}

const FR: Labels = Labels {
    invoice: "Facture",
    credit_note: "Note de crédit",
    number: "Numéro",
    date: "Date",
    due_date: "Échéance",
    order_reference: "Votre référence",
    structured_communication: "Communication structurée",
    corrected_invoice: "Facture corrigée",
    of_date: "du",
    customer: "Client",
    enterprise_number: "N° d'entreprise",
    vat_number: "TVA",
    description: "Description",
    quantity: "Quantité",
    unit: "Unité",
    unit_price: "Prix unitaire",
    vat_rate: "TVA",
    net_amount: "Montant HTVA",
    vat_breakdown: "Détail de la TVA",
    vat_category: "Taux",
    taxable_amount: "Base imposable",
    vat: "TVA",
    total_excl_vat: "Total HTVA",
    total_vat: "Total TVA",
    total_incl_vat: "Total TVAC",
    amount_due: "Montant à payer",
    amount_refunded: "Montant à rembourser",
    payment: "Paiement",
    pay_to: "à verser sur le compte",
    pay_with: "avec la communication structurée",
    scan_to_pay: "Scannez avec votre application bancaire",
    page: "Page",
};

const NL: Labels = Labels {
    invoice: "Factuur",
    credit_note: "Creditnota",
    number: "Nummer",
    date: "Datum",
    due_date: "Vervaldag",
    order_reference: "Uw referentie",
    structured_communication: "Gestructureerde mededeling",
    corrected_invoice: "Verbeterde factuur",
    of_date: "van",
    customer: "Klant",
    enterprise_number: "Ondernemingsnr.",
    vat_number: "Btw-nr.",
    description: "Omschrijving",
    quantity: "Aantal",
    unit: "Eenheid",
    unit_price: "Eenheidsprijs",
    vat_rate: "Btw",
    net_amount: "Bedrag excl. btw",
    vat_breakdown: "Btw-overzicht",
    vat_category: "Tarief",
    taxable_amount: "Maatstaf van heffing",
    vat: "Btw",
    total_excl_vat: "Totaal excl. btw",
    total_vat: "Totaal btw",
    total_incl_vat: "Totaal incl. btw",
    amount_due: "Te betalen",
    amount_refunded: "Terug te betalen bedrag",
    payment: "Betaling",
    pay_to: "te storten op rekening",
    pay_with: "met de gestructureerde mededeling",
    scan_to_pay: "Scan met uw bankapp",
    page: "Pagina",
};

const EN: Labels = Labels {
    invoice: "Invoice",
    credit_note: "Credit note",
    number: "Number",
    date: "Date",
    due_date: "Due date",
    order_reference: "Your reference",
    structured_communication: "Structured communication",
    corrected_invoice: "Corrected invoice",
    of_date: "of",
    customer: "Customer",
    enterprise_number: "Enterprise no.",
    vat_number: "VAT no.",
    description: "Description",
    quantity: "Quantity",
    unit: "Unit",
    unit_price: "Unit price",
    vat_rate: "VAT",
    net_amount: "Net amount",
    vat_breakdown: "VAT breakdown",
    vat_category: "Rate",
    taxable_amount: "Taxable amount",
    vat: "VAT",
    total_excl_vat: "Total excl. VAT",
    total_vat: "Total VAT",
    total_incl_vat: "Total incl. VAT",
    amount_due: "Amount due",
    amount_refunded: "Amount to be refunded",
    payment: "Payment",
    pay_to: "to be paid into account",
    pay_with: "with the structured communication",
    scan_to_pay: "Scan with your banking app",
    page: "Page",
};

pub(crate) fn labels(language: Language) -> &'static Labels {
    match language {
        Language::Fr => &FR,
        Language::Nl => &NL,
        Language::En => &EN,
    }
}

/// What the VAT column of a line and the VAT breakdown show for a category other than S,
/// whose rate alone would say nothing (every one of them is 0 %).
pub(crate) fn category_name(language: Language, category: VatCategory) -> &'static str {
    use VatCategory as C;
    match (language, category) {
        (_, C::S) => "",
        (Language::Fr, C::Z) => "Taux zéro",
        (Language::Fr, C::E) => "Exonéré",
        (Language::Fr, C::AE) => "Autoliquidation",
        (Language::Fr, C::K) => "Livraison intracommunautaire",
        (Language::Fr, C::G) => "Exportation",
        (Language::Fr, C::O) => "Hors champ TVA",
        (Language::Nl, C::Z) => "Nultarief",
        (Language::Nl, C::E) => "Vrijgesteld",
        (Language::Nl, C::AE) => "Verlegging van heffing",
        (Language::Nl, C::K) => "Intracommunautaire levering",
        (Language::Nl, C::G) => "Uitvoer",
        (Language::Nl, C::O) => "Niet onderworpen aan btw",
        (Language::En, C::Z) => "Zero rate",
        (Language::En, C::E) => "Exempt",
        (Language::En, C::AE) => "Reverse charge",
        (Language::En, C::K) => "Intra-community supply",
        (Language::En, C::G) => "Export",
        (Language::En, C::O) => "Outside the scope of VAT",
    }
}

/// The VAT column of a line: the rate for category S, a short name for the others (the
/// breakdown below the lines gives the full name and the legal reason).
pub(crate) fn category_short(language: Language, category: VatCategory) -> &'static str {
    use VatCategory as C;
    match (language, category) {
        (_, C::S) => "",
        (_, C::Z) => "0\u{a0}%",
        (Language::Fr, C::E) => "exonéré",
        (Language::Nl, C::E) => "vrijgesteld",
        (Language::En, C::E) => "exempt",
        (Language::Fr, C::AE) => "autoliq.",
        (Language::Nl, C::AE) => "verlegd",
        (Language::En, C::AE) => "rev. charge",
        (Language::Fr, C::K) => "intra-UE",
        (Language::Nl | Language::En, C::K) => "intra-EU",
        (Language::Fr | Language::En, C::G) => "export",
        (Language::Nl, C::G) => "uitvoer",
        (Language::Fr, C::O) => "hors TVA",
        (Language::Nl, C::O) => "buiten btw",
        (Language::En, C::O) => "out of scope",
    }
}

/// UN/ECE Recommendation 20 unit codes the cooperative uses, as a reader expects them;
/// any other code is printed as it is.
pub(crate) fn unit_name(language: Language, code: &str) -> String {
    let name = match (language, code) {
        (_, "HUR") => "h",
        (_, "KMT") => "km",
        (_, "KGM") => "kg",
        (_, "MTR") => "m",
        (_, "MTK") => "m²",
        (_, "LTR") => "l",
        (Language::Fr, "DAY") => "jour",
        (Language::Nl, "DAY") => "dag",
        (Language::En, "DAY") => "day",
        (Language::Fr, "C62" | "H87" | "EA") => "pièce",
        (Language::Nl, "C62" | "H87" | "EA") => "stuk",
        (Language::En, "C62" | "H87" | "EA") => "piece",
        (Language::Fr, "MON") => "mois",
        (Language::Nl, "MON") => "maand",
        (Language::En, "MON") => "month",
        (Language::Fr, "LS") => "forfait",
        (Language::Nl, "LS") => "forfait",
        (Language::En, "LS") => "lump sum",
        _ => code,
    };
    name.to_string()
}

/// Country names for the addresses; the cooperative's customers are mostly Belgian or from
/// a neighbouring country. Others show their ISO code.
pub(crate) fn country_name(language: Language, code: &str) -> String {
    let name = match (language, code) {
        (Language::Fr, "BE") => "Belgique",
        (Language::Nl, "BE") => "België",
        (Language::En, "BE") => "Belgium",
        (Language::Fr, "FR") => "France",
        (Language::Nl, "FR") => "Frankrijk",
        (Language::En, "FR") => "France",
        (Language::Fr, "NL") => "Pays-Bas",
        (Language::Nl, "NL") => "Nederland",
        (Language::En, "NL") => "Netherlands",
        (Language::Fr, "LU") => "Luxembourg",
        (Language::Nl, "LU") => "Luxemburg",
        (Language::En, "LU") => "Luxembourg",
        (Language::Fr, "DE") => "Allemagne",
        (Language::Nl, "DE") => "Duitsland",
        (Language::En, "DE") => "Germany",
        _ => code,
    };
    name.to_string()
}
