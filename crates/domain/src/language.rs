use serde::{Deserialize, Serialize};

/// The three languages every visible text exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    Nl,
    En,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Fr, Language::Nl, Language::En];

    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// Parses `fr`, `nl`, `en`, also with a region (`nl-BE`) or in upper case.
    pub fn parse(s: &str) -> Option<Language> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Language::Fr),
            "nl" => Some(Language::Nl),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Language> {
        let mut best: Option<(Language, f32)> = None;
        for part in header.split(',').take(32) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Language::parse(tag)
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_takes_the_highest_quality_known_language() {
        assert_eq!(
            Language::from_accept_language("de-DE,nl-BE;q=0.8,fr;q=0.9"),
            Some(Language::Fr)
        );
        assert_eq!(
            Language::from_accept_language("nl-BE,nl;q=0.9"),
            Some(Language::Nl)
        );
        assert_eq!(Language::from_accept_language("de, es;q=0.5"), None);
        assert_eq!(Language::from_accept_language(""), None);
    }
}
