//! What a form page shows back: the values as typed and each field's translated error.
//! Field labels are the translation keys `field-<name>`, error texts `err-<code>`.

use ruche_domain::Language;
use ruche_domain::validate::FieldErrors;
use serde::de::DeserializeOwned;

use crate::i18n;

#[derive(Debug, Clone, Default)]
pub struct FormView {
    values: Vec<(String, String)>,
    /// (field, message) in the user's language.
    errors: Vec<(String, String)>,
    /// (field, "Label: message") for the summary at the top of the form.
    summary: Vec<(String, String)>,
}

impl FormView {
    pub fn new(values: Vec<(String, String)>) -> Self {
        Self {
            values,
            ..Default::default()
        }
    }

    /// An empty form with some defaults.
    pub fn with_defaults(defaults: &[(&str, &str)]) -> Self {
        Self::new(
            defaults
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.retain(|(k, _)| k != name);
        self.values.push((name.to_string(), value.into()));
    }

    pub fn add_errors(&mut self, errors: &FieldErrors, lang: Language) {
        for e in &errors.0 {
            let message = i18n::field_error(lang, e.code);
            let label = i18n::t(lang, &format!("field-{}", e.field));
            self.summary
                .push((e.field.to_string(), format!("{label} : {message}")));
            self.errors.push((e.field.to_string(), message));
        }
    }

    /// A message already in the user's language, next to `key` and in the summary.
    pub fn add_message(&mut self, key: &str, message: String) {
        self.summary.push((key.to_string(), message.clone()));
        self.errors.push((key.to_string(), message));
    }

    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Whether a multi-valued field (checkboxes) holds `value`.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn summary(&self) -> &[(String, String)] {
        &self.summary
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The values decoded into a typed form (missing fields take their serde default).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        let pairs: Vec<(&str, &str)> = self
            .values
            .iter()
            .filter(|(k, _)| k != crate::csrf::FIELD)
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let encoded = serde_urlencoded::to_string(pairs).map_err(|e| e.to_string())?;
        serde_urlencoded::from_str(&encoded).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field_in_the_users_language() {
        let mut f = FormView::with_defaults(&[("postcode", "ABC")]);
        f.add_errors(&FieldErrors::single("postcode", "postcode"), Language::Nl);
        assert_eq!(f.value("postcode"), "ABC");
        assert!(f.error("postcode").is_some());
        assert!(
            f.summary()[0].1.starts_with("Postcode"),
            "{:?}",
            f.summary()
        );
    }
}
