//! The SEPA character set (EPC SEPA Credit Transfer rulebook, implementation guidelines
//! §1.4 "Character set"; `shared/reference/payments.md` §7.2): the basic Latin letters,
//! the digits, `/ - ? : ( ) . , ' +` and the space. Names and texts typed with accents
//! (`Liège`, `Françoise`) are transliterated before they go into a payment order, because a
//! bank may refuse, or silently mangle, anything else.

/// The punctuation the SEPA set allows, besides letters, digits and the space.
const PUNCTUATION: &[char] = &['/', '-', '?', ':', '(', ')', '.', ',', '\'', '+'];

/// Whether `c` belongs to the SEPA character set.
pub fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == ' ' || PUNCTUATION.contains(&c)
}

/// Whether every character of `s` belongs to the SEPA character set.
pub fn is_sepa_text(s: &str) -> bool {
    s.chars().all(is_sepa_char)
}

/// `s` in the SEPA character set: accented Latin letters lose their accent (`é` → `e`,
/// `ß` → `ss`, `Œ` → `OE`), `&` becomes `+`, quotes become `'`, `_` becomes `-`, any
/// whitespace becomes one space, and whatever else has no SEPA equivalent becomes `.`
/// (the replacement the EPC guidelines suggest). Trimmed.
pub fn to_sepa_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        if is_sepa_char(c) {
            out.push(c);
        } else {
            out.push_str(transliterate(c));
        }
    }
    out.trim_end().to_string()
}

/// The SEPA text of one character outside the set.
fn transliterate(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
        'Ğ' | 'Ĝ' | 'Ġ' | 'Ģ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'ĳ' => "ij",
        'Ĳ' => "IJ",
        'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' | 'Ļ' => "L",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ŕ' | 'ř' | 'ŗ' => "r",
        'Ŕ' | 'Ř' | 'Ŗ' => "R",
        'ś' | 'š' | 'ş' | 'ŝ' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ŝ' | 'Ș' => "S",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'Ý' | 'Ÿ' | 'Ŷ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        '&' => "+",
        '"' | '‘' | '’' | '‚' | '“' | '”' | '„' | '«' | '»' | '`' | '´' => "'",
        '_' | '–' | '—' => "-",
        _ => ".",
    }
}

/// The most characters of an identifier in a pain.001 (`Max35Text`): the message, the
/// payment information and the end-to-end ids.
pub const MAX_REFERENCE_CHARS: usize = 35;

/// Whether `s` may be a SEPA identifier (MsgId, PmtInfId, EndToEndId): 1 to 35 characters
/// of the SEPA set without spaces, neither starting with `/` nor holding `//` (EPC
/// implementation guidelines, "restricted character set" for references).
pub fn is_sepa_reference(s: &str) -> bool {
    let count = s.chars().count();
    (1..=MAX_REFERENCE_CHARS).contains(&count)
        && s.chars().all(|c| c != ' ' && is_sepa_char(c))
        && !s.starts_with('/')
        && !s.contains("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_are_transliterated_into_the_sepa_set() {
        assert_eq!(to_sepa_text("Françoise Lemaître"), "Francoise Lemaitre");
        assert_eq!(to_sepa_text("Liège"), "Liege");
        assert_eq!(to_sepa_text("Straße 5"), "Strasse 5");
        assert_eq!(to_sepa_text("Œuvre & Cie"), "OEuvre + Cie");
        assert_eq!(to_sepa_text("Zoë's \"café\""), "Zoe's 'cafe'");
        assert!(is_sepa_text(&to_sepa_text("Ærøskøbing — ĳs € ✓")));
    }

    #[test]
    fn whitespace_is_folded_and_unknown_characters_become_a_dot() {
        assert_eq!(to_sepa_text("  a\t\nb  "), "a b");
        assert_eq!(to_sepa_text("x@y€"), "x.y.");
        assert_eq!(to_sepa_text(""), "");
    }

    #[test]
    fn text_already_in_the_set_is_unchanged() {
        let s = "Salary 2026/03 (net) - ref: 12,5 + 1.0 ?";
        assert!(is_sepa_text(s));
        assert_eq!(to_sepa_text(s), s);
        assert!(!is_sepa_text("é"));
    }

    #[test]
    fn a_reference_is_short_without_spaces_nor_double_slashes() {
        assert!(is_sepa_reference("PO-2026-000042"));
        assert!(is_sepa_reference(&"X".repeat(35)));
        assert!(!is_sepa_reference(&"X".repeat(36)));
        assert!(!is_sepa_reference(""));
        assert!(!is_sepa_reference("PO 42"));
        assert!(!is_sepa_reference("/PO42"));
        assert!(!is_sepa_reference("PO//42"));
        assert!(!is_sepa_reference("PO-é"));
    }
}
