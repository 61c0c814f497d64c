//! The three languages. Texts live in `locales/{fr,nl,en}/main.ftl` (Fluent), embedded in
//! the binary. Amounts and dates are formatted by `ruche_domain::format`, never by Fluent
//! (its numbers are f64 printed with a dot: rust-stack.md, fluent-templates row).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use ruche_domain::Language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fr",
        // Fluent wraps variables in Unicode isolation marks by default (fluent-rs#172).
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static IDS: LazyLock<[LanguageIdentifier; 3]> =
    LazyLock::new(|| Language::ALL.map(|l| l.code().parse().unwrap_or_default()));

fn id(language: Language) -> &'static LanguageIdentifier {
    let [fr, nl, en] = &*IDS;
    match language {
        Language::Fr => fr,
        Language::Nl => nl,
        Language::En => en,
    }
}

/// The translation of `key`; the key itself when it is missing (a test keeps the three
/// files complete, so this shows only during development).
pub fn t(language: Language, key: &str) -> String {
    LOCALES
        .try_lookup(id(language), key)
        .unwrap_or_else(|| key.to_string())
}

/// The translation of `key` with named arguments (`{ $name }` in the message).
pub fn t_args(language: Language, key: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES
        .try_lookup_with_args(id(language), key, &map)
        .unwrap_or_else(|| key.to_string())
}

/// The text shown for a field error: `err-<code>`.
pub fn field_error(language: Language, code: &str) -> String {
    t(language, &format!("err-{code}"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The message keys of every `.ftl` file of one language (one file per part of ruche).
    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let path = entry.map(|e| e.path()).unwrap_or_default();
            if path.extension().is_none_or(|x| x != "ftl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in text.lines() {
                if !line.starts_with(['#', ' ', '\t', '.']) && line.contains(" =") {
                    let key = line
                        .split(" =")
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    assert!(keys.insert(key.clone()), "{key} is defined twice in {lang}");
                }
            }
        }
        keys
    }

    #[test]
    fn every_text_exists_in_french_dutch_and_english() {
        let fr = keys("fr");
        assert!(fr.len() > 50);
        for lang in ["nl", "en"] {
            let other = keys(lang);
            let missing: Vec<_> = fr.difference(&other).collect();
            let extra: Vec<_> = other.difference(&fr).collect();
            assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
            assert!(extra.is_empty(), "only in {lang}: {extra:?}");
        }
    }

    #[test]
    fn variables_are_not_wrapped_in_isolation_marks() {
        let s = t_args(Language::Fr, "dashboard-hello", &[("name", "Ana".into())]);
        assert!(s.contains("Ana") && !s.contains('\u{2068}'), "{s}");
    }
}
