//! The public contact form of the catalogue: a prospective client writes to a trainer.
//!
//! It is open to anyone, so it is guarded (DESIGN.md §8: rate limits on every public form):
//! a honeypot field that people never see (a filled one is a robot: the request is answered
//! as if it had succeeded, and nothing is recorded or sent), a limit per address and per
//! e-mail counted in the database like the login attempts
//! (docs/decisions/0004-login-rate-limit-in-the-database.md), and the message's markup is
//! neutralised: a `<script` is refused with a message, other tags are stripped; the message
//! is only ever shown as text.

use serde::{Deserialize, Serialize};

use crate::validate::FieldErrors;

/// At most this many contact requests from one IP address per window.
pub const MAX_PER_IP: i64 = 5;
/// At most this many contact requests for one e-mail address per window.
pub const MAX_PER_EMAIL: i64 = 3;
/// The window of the rate limit: one hour, in microseconds.
pub const WINDOW_MICROS: i64 = 3_600 * 1_000_000;

pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_PHONE_CHARS: usize = 40;
pub const MAX_ORGANISATION_CHARS: usize = 160;
pub const MAX_MESSAGE_CHARS: usize = 4_000;
pub const MIN_MESSAGE_CHARS: usize = 10;

/// A contact request as checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub organisation: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub contact_organisation: String,
    #[serde(default)]
    pub contact_message: String,
    /// The honeypot: hidden from people, filled by robots.
    #[serde(default)]
    pub website: String,
}

impl ContactForm {
    /// A robot filled the field people never see.
    pub fn is_robot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    pub fn parse(&self) -> Result<Contact, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.required("contact_name", &self.contact_name, MAX_NAME_CHARS);
        let email = e.email("contact_email", &self.contact_email);
        let phone = e.optional("contact_phone", &self.contact_phone, MAX_PHONE_CHARS);
        if phone.as_deref().is_some_and(|p| {
            !p.chars()
                .all(|c| c.is_ascii_digit() || " +./()-".contains(c))
        }) {
            e.add("contact_phone", "trn-phone");
        }
        let organisation = e.optional(
            "contact_organisation",
            &self.contact_organisation,
            MAX_ORGANISATION_CHARS,
        );
        let message = e.required("contact_message", &self.contact_message, MAX_MESSAGE_CHARS);
        if !message.is_empty() && message.chars().count() < MIN_MESSAGE_CHARS {
            e.add("contact_message", "trn-message-short");
        }
        for (field, value) in [
            ("contact_name", Some(&name)),
            ("contact_organisation", organisation.as_ref()),
            ("contact_message", Some(&message)),
        ] {
            if value.is_some_and(|v| has_script(v)) {
                e.add(field, "trn-script");
            }
        }
        let clean = |s: &str| strip_tags(s).trim().to_string();
        e.into_result(|| Contact {
            name: clean(&name),
            email,
            phone,
            organisation: organisation.map(|o| clean(&o)),
            message: clean(&message),
        })
    }
}

/// A script in the text: `<script`, a `javascript:` link or an inline event handler.
pub fn has_script(text: &str) -> bool {
    let lower = text.to_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("<script")
        || compact.contains("javascript:")
        || (compact.contains('<') && compact.contains("on") && compact.contains("=") && {
            // `<img onerror=…>`: an attribute starting with "on" inside a tag.
            lower
                .split('<')
                .skip(1)
                .any(|tag| tag.split('>').next().is_some_and(|t| t.contains(" on")))
        })
}

/// The text without its tags: `<b>Bonjour</b>` → `Bonjour`. A lone `<` followed by a
/// space or a digit (`< 5 personnes`) is kept.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_tag = c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!');
        if starts_tag {
            for d in chars.by_ref() {
                if d == '>' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether one more request is allowed, given those of the window from this address and for
/// this e-mail.
pub fn allowed(from_ip: i64, for_email: i64) -> bool {
    from_ip < MAX_PER_IP && for_email < MAX_PER_EMAIL
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn form() -> ContactForm {
        ContactForm {
            contact_name: "Els Peeters".into(),
            contact_email: "Els@Example.BE".into(),
            contact_phone: "+32 470 12 34 56".into(),
            contact_organisation: String::new(),
            contact_message: "Wij zoeken een opleiding voor tien mensen.".into(),
            website: String::new(),
        }
    }

    #[test]
    fn a_good_request_is_taken_with_its_email_in_lower_case() {
        let c = form().parse().unwrap();
        assert_eq!(c.email, "els@example.be");
        assert_eq!(c.organisation, None);
        assert!(!form().is_robot());
    }

    #[test]
    fn an_invalid_email_is_refused_naming_the_field() {
        let f = ContactForm {
            contact_email: "els at example".into(),
            ..form()
        };
        assert_eq!(f.parse().unwrap_err().get("contact_email"), Some("email"));
    }

    #[test]
    fn a_script_is_refused_and_other_markup_is_stripped() {
        let f = ContactForm {
            contact_message: "Bonjour <SCRIPT src=x></script>".into(),
            ..form()
        };
        assert_eq!(
            f.parse().unwrap_err().get("contact_message"),
            Some("trn-script")
        );
        let f = ContactForm {
            contact_message: "Bonjour <img src=x onerror=alert(1)> merci".into(),
            ..form()
        };
        assert_eq!(
            f.parse().unwrap_err().get("contact_message"),
            Some("trn-script")
        );
        let f = ContactForm {
            contact_message: "Bonjour, <b>dix</b> personnes, < 5 jours.".into(),
            ..form()
        };
        assert_eq!(
            f.parse().unwrap().message,
            "Bonjour, dix personnes, < 5 jours."
        );
    }

    #[test]
    fn a_filled_honeypot_is_a_robot() {
        let f = ContactForm {
            website: "http://spam.example".into(),
            ..form()
        };
        assert!(f.is_robot());
    }

    #[test]
    fn the_sixth_request_of_an_hour_from_one_address_is_refused() {
        assert!(allowed(4, 0));
        assert!(!allowed(5, 0));
        assert!(allowed(0, 2));
        assert!(!allowed(0, 3));
    }

    #[test]
    fn empty_and_too_long_fields_are_refused() {
        let f = ContactForm {
            contact_name: String::new(),
            contact_message: "x".repeat(MAX_MESSAGE_CHARS + 1),
            ..form()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("contact_name"), Some("required"));
        assert_eq!(e.get("contact_message"), Some("too-long"));
        let f = ContactForm {
            contact_message: "Hi".into(),
            ..form()
        };
        assert_eq!(
            f.parse().unwrap_err().get("contact_message"),
            Some("trn-message-short")
        );
    }
}
