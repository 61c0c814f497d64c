//! Advocacy and permanent education (C13, issue 8 §5): the cooperative's publications
//! (analyses, studies, articles, books, podcasts: nine in the reference year), its
//! conferences and debates (twelve, with their audience) and the networks and federations it
//! belongs to.
//!
//! As a recognised organisation of permanent education (*éducation permanente*, decree of the
//! French Community of 17 July 2003, art. 3–5), the cooperative reports each year the
//! analyses and studies it published and the public activities it held; these records are
//! that report's source, counted per calendar year (the Recognition section of the figures).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::validate::FieldErrors;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_NAMES_CHARS: usize = 500;
pub const MAX_LINK_CHARS: usize = 500;
pub const MAX_SUMMARY_CHARS: usize = 5_000;
pub const MAX_PLACE_CHARS: usize = 150;
/// The largest audience one event records (a festival's main stage).
pub const MAX_AUDIENCE: i64 = 1_000_000;
/// The largest yearly fee a membership records: 1 million euros.
pub const MAX_FEE_CENTS: i64 = 100_000_000;

macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|k| k.code() == s.trim())
            }
        }
    };
}

coded!(
    /// What a publication is. The code is stored: never rename one.
    PublicationKind {
        Analysis => "analysis",
        Study => "study",
        Article => "article",
        Book => "book",
        Podcast => "podcast",
    }
);

coded!(
    /// What a public event is. The code is stored: never rename one.
    EventKind {
        Conference => "conference",
        Debate => "debate",
        Workshop => "workshop",
        FestivalTalk => "festival-talk",
    }
);

coded!(
    /// What a network is. The code is stored: never rename one.
    NetworkKind {
        Federation => "federation",
        Network => "network",
        Platform => "platform",
    }
);

/// The languages a publication is written in (German: the cooperative publishes a few
/// texts for the German-speaking Community).
pub const PUBLICATION_LANGUAGES: [&str; 4] = ["fr", "nl", "en", "de"];

// ---------------------------------------------------------------------- publications

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPublication {
    pub title: String,
    pub kind: PublicationKind,
    pub published_on: Date,
    pub authors: String,
    pub partners: Option<String>,
    pub link: Option<String>,
    pub language: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublicationForm {
    #[serde(default)]
    pub advocacy_title: String,
    #[serde(default)]
    pub advocacy_kind: String,
    #[serde(default)]
    pub advocacy_date: String,
    #[serde(default)]
    pub advocacy_authors: String,
    #[serde(default)]
    pub advocacy_partners: String,
    #[serde(default)]
    pub advocacy_link: String,
    #[serde(default)]
    pub advocacy_language: String,
    #[serde(default)]
    pub advocacy_summary: String,
}

impl PublicationForm {
    pub fn parse(&self) -> Result<NewPublication, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = line(
            &mut e,
            "advocacy_title",
            &self.advocacy_title,
            MAX_TITLE_CHARS,
        );
        let kind = PublicationKind::parse(&self.advocacy_kind);
        if kind.is_none() {
            e.add("advocacy_kind", "advocacy-kind");
        }
        let published_on = required_date(&mut e, "advocacy_date", &self.advocacy_date);
        let authors = line(
            &mut e,
            "advocacy_authors",
            &self.advocacy_authors,
            MAX_NAMES_CHARS,
        );
        let partners = optional_line(
            &mut e,
            "advocacy_partners",
            &self.advocacy_partners,
            MAX_NAMES_CHARS,
        );
        let link = optional_link(&mut e, &self.advocacy_link);
        let language = self.advocacy_language.trim().to_string();
        if !PUBLICATION_LANGUAGES.contains(&language.as_str()) {
            e.add("advocacy_language", "advocacy-language");
        }
        let summary = match self.advocacy_summary.trim() {
            "" => None,
            _ => Some(text(
                &mut e,
                "advocacy_summary",
                &self.advocacy_summary,
                MAX_SUMMARY_CHARS,
            )),
        };
        match (kind, published_on) {
            (Some(kind), Some(published_on)) if e.is_empty() => Ok(NewPublication {
                title,
                kind,
                published_on,
                authors,
                partners,
                link,
                language,
                summary,
            }),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------------------- events

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEvent {
    pub title: String,
    pub kind: EventKind,
    pub held_on: Date,
    pub place: String,
    pub speakers: String,
    pub partners: Option<String>,
    pub audience: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub advocacy_title: String,
    #[serde(default)]
    pub advocacy_kind: String,
    #[serde(default)]
    pub advocacy_date: String,
    #[serde(default)]
    pub advocacy_place: String,
    #[serde(default)]
    pub advocacy_speakers: String,
    #[serde(default)]
    pub advocacy_partners: String,
    #[serde(default)]
    pub advocacy_audience: String,
}

impl EventForm {
    pub fn parse(&self) -> Result<NewEvent, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = line(
            &mut e,
            "advocacy_title",
            &self.advocacy_title,
            MAX_TITLE_CHARS,
        );
        let kind = EventKind::parse(&self.advocacy_kind);
        if kind.is_none() {
            e.add("advocacy_kind", "advocacy-kind");
        }
        let held_on = required_date(&mut e, "advocacy_date", &self.advocacy_date);
        let place = line(
            &mut e,
            "advocacy_place",
            &self.advocacy_place,
            MAX_PLACE_CHARS,
        );
        let speakers = line(
            &mut e,
            "advocacy_speakers",
            &self.advocacy_speakers,
            MAX_NAMES_CHARS,
        );
        let partners = optional_line(
            &mut e,
            "advocacy_partners",
            &self.advocacy_partners,
            MAX_NAMES_CHARS,
        );
        let audience = match self
            .advocacy_audience
            .trim()
            .replace(['.', ' '], "")
            .as_str()
        {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(n) if (0..=MAX_AUDIENCE).contains(&n) => Some(n),
                _ => {
                    e.add("advocacy_audience", "advocacy-audience");
                    None
                }
            },
        };
        match (kind, held_on) {
            (Some(kind), Some(held_on)) if e.is_empty() => Ok(NewEvent {
                title,
                kind,
                held_on,
                place,
                speakers,
                partners,
                audience,
            }),
            _ => Err(e),
        }
    }
}

// -------------------------------------------------------------------------- networks

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewNetwork {
    pub name: String,
    pub kind: NetworkKind,
    pub since_on: Date,
    pub until_on: Option<Date>,
    pub fee_cents: Option<i64>,
    pub representative_person_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NetworkForm {
    #[serde(default)]
    pub advocacy_name: String,
    #[serde(default)]
    pub advocacy_kind: String,
    #[serde(default)]
    pub advocacy_since: String,
    #[serde(default)]
    pub advocacy_until: String,
    #[serde(default)]
    pub advocacy_fee: String,
    #[serde(default)]
    pub advocacy_representative: String,
}

impl NetworkForm {
    pub fn parse(&self) -> Result<NewNetwork, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = line(
            &mut e,
            "advocacy_name",
            &self.advocacy_name,
            MAX_TITLE_CHARS,
        );
        let kind = NetworkKind::parse(&self.advocacy_kind);
        if kind.is_none() {
            e.add("advocacy_kind", "advocacy-kind");
        }
        let since_on = required_date(&mut e, "advocacy_since", &self.advocacy_since);
        let until_on = optional_date(&mut e, "advocacy_until", &self.advocacy_until);
        if let (Some(since), Some(until)) = (since_on, until_on)
            && until < since
        {
            e.add("advocacy_until", "advocacy-until-before-since");
        }
        let fee_cents = match self.advocacy_fee.trim() {
            "" => None,
            typed => match parse_money(typed) {
                Some(c) if (0..=MAX_FEE_CENTS).contains(&c) => Some(c),
                _ => {
                    e.add("advocacy_fee", "advocacy-fee");
                    None
                }
            },
        };
        let representative_person_id = match self.advocacy_representative.trim() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    e.add("advocacy_representative", "format");
                    None
                }
            },
        };
        match (kind, since_on) {
            (Some(kind), Some(since_on)) if e.is_empty() => Ok(NewNetwork {
                name,
                kind,
                since_on,
                until_on,
                fee_cents,
                representative_person_id,
            }),
            _ => Err(e),
        }
    }
}

/// Whether a membership from `since_on` to `until_on` (its last day, open when `None`) is
/// active at the end of `year` (on 31 December): what the yearly report counts.
pub fn active_at_year_end(since_on: Date, until_on: Option<Date>, year: i16) -> bool {
    let Ok(last) = Date::new(year, 12, 31) else {
        return false;
    };
    since_on <= last && until_on.is_none_or(|u| u >= last)
}

// --------------------------------------------------------------------------- helpers

fn text(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        e.add(field, "format");
    }
    v
}

fn line(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars().any(char::is_control) {
        e.add(field, "format");
    }
    v
}

fn optional_line(
    e: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> Option<String> {
    let v = e.optional(field, value, max);
    if v.as_deref()
        .is_some_and(|v| v.chars().any(char::is_control))
    {
        e.add(field, "format");
    }
    v
}

/// A link is an absolute http(s) address: it is shown as a link to every member.
fn optional_link(e: &mut FieldErrors, value: &str) -> Option<String> {
    let v = e.optional("advocacy_link", value, MAX_LINK_CHARS)?;
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() > "https://".len()
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"');
    if !ok {
        e.add("advocacy_link", "advocacy-link");
    }
    Some(v)
}

fn required_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        e.add(field, "required");
        return None;
    }
    optional_date(e, field, value)
}

fn optional_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    match value.trim() {
        "" => None,
        typed => match typed.parse::<Date>() {
            Ok(d) if (1900..=2999).contains(&d.year()) => Some(d),
            _ => {
                e.add(field, "date");
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_publication_has_a_kind_a_date_authors_and_a_language() {
        let p = PublicationForm {
            advocacy_title: "Les coopératives d'activités en Belgique".into(),
            advocacy_kind: "study".into(),
            advocacy_date: "2025-06-12".into(),
            advocacy_authors: "A. Martin, B. Claes".into(),
            advocacy_partners: String::new(),
            advocacy_link: "https://example.org/etude.pdf".into(),
            advocacy_language: "fr".into(),
            advocacy_summary: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(p.kind, PublicationKind::Study);
        assert_eq!(p.published_on, date(2025, 6, 12));
        assert_eq!((p.partners, p.summary), (None, None));
        let e = PublicationForm {
            advocacy_kind: "tweet".into(),
            advocacy_date: "12/06/2025".into(),
            advocacy_link: "javascript:alert(1)".into(),
            advocacy_language: "es".into(),
            ..PublicationForm::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("advocacy_title"), Some("required"));
        assert_eq!(e.get("advocacy_kind"), Some("advocacy-kind"));
        assert_eq!(e.get("advocacy_date"), Some("date"));
        assert_eq!(e.get("advocacy_authors"), Some("required"));
        assert_eq!(e.get("advocacy_link"), Some("advocacy-link"));
        assert_eq!(e.get("advocacy_language"), Some("advocacy-language"));
    }

    #[test]
    fn an_event_counts_a_non_negative_audience() {
        let mut f = EventForm {
            advocacy_title: "Travailler autrement".into(),
            advocacy_kind: "festival-talk".into(),
            advocacy_date: "2025-09-20".into(),
            advocacy_place: "Namur".into(),
            advocacy_speakers: "C. Dubois".into(),
            advocacy_partners: "SAW-B".into(),
            advocacy_audience: "1.200".into(),
        };
        let ev = f.parse().unwrap();
        assert_eq!(
            (ev.kind, ev.audience, ev.partners.as_deref()),
            (EventKind::FestivalTalk, Some(1200), Some("SAW-B"))
        );
        f.advocacy_audience = "-3".into();
        f.advocacy_date = String::new();
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("advocacy_audience"), Some("advocacy-audience"));
        assert_eq!(e.get("advocacy_date"), Some("required"));
        f.advocacy_audience = String::new();
        f.advocacy_date = "2025-09-20".into();
        assert_eq!(f.parse().unwrap().audience, None);
    }

    #[test]
    fn a_membership_ends_after_it_starts_and_is_counted_at_the_year_end() {
        let f = NetworkForm {
            advocacy_name: "Febecoop".into(),
            advocacy_kind: "federation".into(),
            advocacy_since: "2015-01-01".into(),
            advocacy_until: String::new(),
            advocacy_fee: "1.250,00".into(),
            advocacy_representative: "3".into(),
        };
        let n = f.parse().unwrap();
        assert_eq!(
            (n.fee_cents, n.representative_person_id),
            (Some(125_000), Some(3))
        );
        let e = NetworkForm {
            advocacy_since: "2020-01-01".into(),
            advocacy_until: "2019-12-31".into(),
            advocacy_fee: "-5".into(),
            advocacy_kind: "club".into(),
            ..f.clone()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("advocacy_until"), Some("advocacy-until-before-since"));
        assert_eq!(e.get("advocacy_fee"), Some("advocacy-fee"));
        assert_eq!(e.get("advocacy_kind"), Some("advocacy-kind"));
        let since = date(2020, 3, 1);
        assert!(active_at_year_end(since, None, 2020));
        assert!(!active_at_year_end(since, None, 2019));
        assert!(active_at_year_end(since, Some(date(2021, 12, 31)), 2021));
        assert!(!active_at_year_end(since, Some(date(2021, 12, 30)), 2021));
    }

    #[test]
    fn codes_round_trip() {
        for k in PublicationKind::ALL {
            assert_eq!(PublicationKind::parse(k.code()), Some(*k));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.code()), Some(*k));
        }
        for k in NetworkKind::ALL {
            assert_eq!(NetworkKind::parse(k.code()), Some(*k));
        }
    }
}
