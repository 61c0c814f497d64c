//! The legal mentions of `rules/vat_mentions.toml`: why a line carries no Belgian VAT
//! (art. 5 §1, 9°–10° Royal Decree no. 1; `invoicing.md` §3.1, §6, §7) and the VAT statement
//! of a credit note (§3.2).

use std::sync::LazyLock;

use serde::Deserialize;

use super::document::{Document, DocumentKind};
use super::vat::VatCategory;
use crate::Language;

/// A text in the three languages of ruche.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Texts {
    pub fr: String,
    pub nl: String,
    pub en: String,
}

impl Texts {
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Fr => &self.fr,
            Language::Nl => &self.nl,
            Language::En => &self.en,
        }
    }
}

/// The mention of one VAT category: its text (BT-120), VATEX code (BT-121) and the
/// article it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VatMention {
    pub category: VatCategory,
    pub vatex: String,
    pub legal_reference: String,
    #[serde(flatten)]
    pub text: Texts,
}

/// The statement a credit note that corrects VAT carries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CreditNoteStatement {
    pub legal_reference: String,
    #[serde(flatten)]
    pub text: Texts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MentionFile {
    mention: Vec<VatMention>,
    credit_note: CreditNoteStatement,
}

/// Reads and checks the file: one mention for each category that needs one, none for the
/// others, no empty text.
fn load(text: &str) -> Result<MentionFile, String> {
    let file: MentionFile = toml::from_str(text).map_err(|e| e.to_string())?;
    for category in VatCategory::ALL {
        let count = file
            .mention
            .iter()
            .filter(|m| m.category == category)
            .count();
        let expected = usize::from(category.needs_exemption_reason());
        if count != expected {
            return Err(format!(
                "category {}: {count} mentions, {expected} expected",
                category.code()
            ));
        }
    }
    let texts = file
        .mention
        .iter()
        .map(|m| &m.text)
        .chain([&file.credit_note.text]);
    for t in texts {
        if Language::ALL.iter().any(|&l| t.get(l).trim().is_empty()) {
            return Err("empty mention text".to_string());
        }
    }
    Ok(file)
}

/// The shipped file, read at first use. Should it ever be malformed (the tests below read
/// it), no mention is found and every exempt document is refused by the rules.
static MENTIONS: LazyLock<Result<MentionFile, String>> =
    LazyLock::new(|| load(include_str!("../../rules/vat_mentions.toml")));

/// For a start-up check: why `rules/vat_mentions.toml` could not be read, if it could not.
pub fn check_rules_file() -> Result<(), String> {
    MENTIONS.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// The mention of `category`; `None` for S and Z, which must carry none.
pub fn vat_mention(category: VatCategory) -> Option<&'static VatMention> {
    MENTIONS
        .as_ref()
        .ok()?
        .mention
        .iter()
        .find(|m| m.category == category)
}

/// The exemption reason text (BT-120) of `category` in `language`.
pub fn exemption_reason(category: VatCategory, language: Language) -> Option<&'static str> {
    vat_mention(category).map(|m| m.text.get(language))
}

/// The exemption reason code (BT-121, CEF VATEX list) of `category`.
pub fn exemption_code(category: VatCategory) -> Option<&'static str> {
    vat_mention(category).map(|m| m.vatex.as_str())
}

/// "TVA à reverser à l'État dans la mesure où elle a été initialement déduite" and its
/// translations (`invoicing.md` §3.2).
pub fn credit_note_vat_statement(language: Language) -> Option<&'static str> {
    MENTIONS
        .as_ref()
        .ok()
        .map(|f| f.credit_note.text.get(language))
}

/// The legal statements the document must print, in order, without repetition: each
/// breakdown's exemption reason, then the credit-note VAT statement when a credit note
/// corrects VAT. Peppol allows one document note only (PEPPOL-EN16931-R002): the writers
/// join these with the user's note into it.
pub fn legal_statements(document: &Document) -> Vec<String> {
    let mut statements: Vec<String> = Vec::new();
    for s in &document.totals.subtotals {
        if let Some(reason) = &s.exemption_reason
            && !statements.contains(reason)
        {
            statements.push(reason.clone());
        }
    }
    if let Some(statement) = credit_note_vat_statement_for(document) {
        statements.push(statement.to_string());
    }
    statements
}

/// The VAT statement `document` must carry, in its language: only a credit note that
/// corrects VAT has one (circular AGFisc 15/2015, `invoicing.md` §3.2).
pub fn credit_note_vat_statement_for(document: &Document) -> Option<&'static str> {
    if document.kind == DocumentKind::CreditNote && document.totals.tax_cents != 0 {
        credit_note_vat_statement(document.language)
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_mentions_are_read() {
        assert_eq!(check_rules_file(), Ok(()));
    }

    #[test]
    fn a_training_invoice_cites_art_44_in_the_three_languages() {
        // invoicing.md §6–§7: "Exempt – art. 44 §2, 4° Belgian VAT Code", VATEX-EU-132-1I.
        for language in Language::ALL {
            let text = exemption_reason(VatCategory::E, language).unwrap();
            assert!(text.contains("44"), "{text}");
            assert!(text.contains("§2, 4°"), "{text}");
        }
        assert_eq!(exemption_code(VatCategory::E), Some("VATEX-EU-132-1I"));
    }

    #[test]
    fn a_reverse_charge_says_autoliquidation_or_verlegging_van_heffing() {
        // Art. 5 §1, 10° Royal Decree no. 1: "Autoliquidation / Verlegging van heffing".
        assert!(
            exemption_reason(VatCategory::AE, Language::Fr)
                .unwrap()
                .starts_with("Autoliquidation — art. 51 §2, 5°")
        );
        assert!(
            exemption_reason(VatCategory::AE, Language::Nl)
                .unwrap()
                .starts_with("Verlegging van heffing")
        );
        assert_eq!(exemption_code(VatCategory::AE), Some("VATEX-EU-AE"));
    }

    #[test]
    fn intra_community_export_and_out_of_scope_carry_their_vatex_codes() {
        assert_eq!(exemption_code(VatCategory::K), Some("VATEX-EU-IC"));
        assert_eq!(exemption_code(VatCategory::G), Some("VATEX-EU-G"));
        assert_eq!(exemption_code(VatCategory::O), Some("VATEX-EU-O"));
        assert!(
            exemption_reason(VatCategory::K, Language::En)
                .unwrap()
                .contains("39bis")
        );
    }

    #[test]
    fn standard_and_zero_rated_lines_carry_no_exemption_reason() {
        // BR-S-10, BR-Z-10: an S or Z breakdown shall not have an exemption reason.
        for language in Language::ALL {
            assert_eq!(exemption_reason(VatCategory::S, language), None);
            assert_eq!(exemption_reason(VatCategory::Z, language), None);
        }
    }

    #[test]
    fn a_credit_note_states_that_deducted_vat_is_to_be_repaid() {
        // invoicing.md §3.2, word for word.
        assert_eq!(
            credit_note_vat_statement(Language::Fr),
            Some("TVA à reverser à l'État dans la mesure où elle a été initialement déduite")
        );
        assert_eq!(
            credit_note_vat_statement(Language::Nl),
            Some(
                "btw terug te storten aan de Staat in de mate waarin ze oorspronkelijk in \
                 aftrek werd gebracht"
            )
        );
    }

    #[test]
    fn only_a_credit_note_that_corrects_vat_carries_the_vat_statement() {
        use crate::invoicing::fixtures::{document_with, invoice, line};
        let credit = document_with(
            DocumentKind::CreditNote,
            &[line(VatCategory::S, 2100, 1, 65)],
        );
        assert_eq!(
            credit_note_vat_statement_for(&credit),
            credit_note_vat_statement(Language::Fr)
        );
        let exempt = document_with(DocumentKind::CreditNote, &[line(VatCategory::E, 0, 1, 65)]);
        assert_eq!(credit_note_vat_statement_for(&exempt), None);
        assert_eq!(credit_note_vat_statement_for(&invoice()), None);
    }

    #[test]
    fn a_mention_file_missing_a_category_is_refused() {
        let text = r#"
            [credit_note]
            legal_reference = "x"
            fr = "a"
            nl = "b"
            en = "c"
            [[mention]]
            category = "E"
            vatex = "VATEX-EU-132-1I"
            legal_reference = "art. 44"
            fr = "a"
            nl = "b"
            en = "c"
        "#;
        assert!(load(text).unwrap_err().contains("AE"));
    }
}
