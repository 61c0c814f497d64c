//! Field-by-field validation of what people type, with errors that name the field.
//!
//! A form is parsed into a typed record or into [`FieldErrors`]; the web layer translates
//! each error code (`err-<code>`) next to the field it names. Nothing is written unless the
//! whole record parses.

use serde::Serialize;

use crate::ident::IdentError;

/// One problem with one field: the field's name in the form and an error code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &'static str, code: &'static str) -> Self {
        Self(vec![FieldError { field, code }])
    }

    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError { field, code });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    /// A required text: trimmed, not empty, at most `max` characters.
    pub fn required(&mut self, field: &'static str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, "required");
        } else if v.chars().count() > max {
            self.add(field, "too-long");
        }
        v.to_string()
    }

    /// An optional text: trimmed, `None` when empty, at most `max` characters.
    pub fn optional(&mut self, field: &'static str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        if v.chars().count() > max {
            self.add(field, "too-long");
        }
        (!v.is_empty()).then(|| v.to_string())
    }

    /// A required identifier parsed by `parse` (IBAN, enterprise number…).
    pub fn ident<T>(
        &mut self,
        field: &'static str,
        value: &str,
        parse: impl FnOnce(&str) -> Result<T, IdentError>,
    ) -> Option<T> {
        if value.trim().is_empty() {
            self.add(field, "required");
            return None;
        }
        match parse(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.code());
                None
            }
        }
    }

    /// An optional identifier: empty is fine, anything else must parse.
    pub fn optional_ident<T>(
        &mut self,
        field: &'static str,
        value: &str,
        parse: impl FnOnce(&str) -> Result<T, IdentError>,
    ) -> Option<T> {
        if value.trim().is_empty() {
            return None;
        }
        self.ident(field, value, parse)
    }

    /// An e-mail address: one `@`, a dot in the domain, no spaces; lower-cased.
    pub fn email(&mut self, field: &'static str, value: &str) -> String {
        let v = self.required(field, value, 254).to_lowercase();
        if !v.is_empty() && !is_plausible_email(&v) {
            self.add(field, "email");
        }
        v
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.code))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

impl std::error::Error for FieldErrors {}

fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_required_field_is_named() {
        let mut e = FieldErrors::new();
        e.required("name", "   ", 10);
        assert_eq!(e.get("name"), Some("required"));
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        let mut e = FieldErrors::new();
        assert_eq!(e.email("email", " Ana@Coop.BE "), "ana@coop.be");
        assert!(e.is_empty());
        for bad in [
            "ana",
            "ana@coop",
            "a na@coop.be",
            "@coop.be",
            "ana@coop.be.",
        ] {
            let mut e = FieldErrors::new();
            e.email("email", bad);
            assert_eq!(e.get("email"), Some("email"), "{bad}");
        }
    }
}
