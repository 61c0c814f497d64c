//! The training catalogue (C9): trainings described by the members who give them, in French,
//! Dutch and English, validated by staff before they reach the public catalogue; the art. 44
//! VAT-exemption checklist of each training; the contact requests of prospective clients; and
//! the training sessions for members and staff that give the year's figures.
//!
//! The life of a training follows Smart's training catalogue (`smart-cfa`,
//! `TrainingStatusType`): Draft → Pending validation → Published / Cancelled. A refusal sends
//! it back to the draft with the reason; a published training withdrawn by its trainer goes
//! back to the draft too, to be edited and submitted again.

pub mod contact;
pub mod exemption;
pub mod session;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Language;
use crate::format::parse_money;
use crate::invoicing::{LineInput, VatCategory};
use crate::validate::FieldErrors;

pub const MAX_TITLE_CHARS: usize = 160;
pub const MAX_TEXT_CHARS: usize = 5_000;
pub const MAX_PLACE_CHARS: usize = 120;
pub const MAX_REASON_CHARS: usize = 1_000;
/// A training lasts at most a year of working hours (a bound, not a rule of law).
pub const MAX_DURATION_HOURS: i64 = 2_000;
/// One million euros: beyond it, a typing error.
pub const MAX_PRICE_CENTS: i64 = 100_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrainingStatus {
    Draft,
    Pending,
    Published,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrainingEvent {
    /// The trainer asks for validation.
    Submit,
    /// Staff publish it in the catalogue.
    Publish,
    /// Staff send it back to the draft, with a reason.
    Refuse,
    /// The trainer takes a published training out of the catalogue to change it.
    Withdraw,
    Cancel,
}

impl TrainingEvent {
    pub const ALL: [TrainingEvent; 5] = [
        TrainingEvent::Submit,
        TrainingEvent::Publish,
        TrainingEvent::Refuse,
        TrainingEvent::Withdraw,
        TrainingEvent::Cancel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TrainingEvent::Submit => "submit",
            TrainingEvent::Publish => "publish",
            TrainingEvent::Refuse => "refuse",
            TrainingEvent::Withdraw => "withdraw",
            TrainingEvent::Cancel => "cancel",
        }
    }

    pub fn parse(s: &str) -> Option<TrainingEvent> {
        TrainingEvent::ALL
            .into_iter()
            .find(|e| e.code() == s.trim())
    }

    /// Staff decide publishing and refusing; the trainer the rest.
    pub fn is_staff_decision(self) -> bool {
        matches!(self, TrainingEvent::Publish | TrainingEvent::Refuse)
    }
}

impl TrainingStatus {
    pub const ALL: [TrainingStatus; 4] = [
        TrainingStatus::Draft,
        TrainingStatus::Pending,
        TrainingStatus::Published,
        TrainingStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TrainingStatus::Draft => "draft",
            TrainingStatus::Pending => "pending",
            TrainingStatus::Published => "published",
            TrainingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TrainingStatus> {
        TrainingStatus::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
    }

    /// Only a draft is edited: what staff validated is what the public reads.
    pub fn is_editable(self) -> bool {
        self == TrainingStatus::Draft
    }

    pub fn transition(self, event: TrainingEvent) -> Result<TrainingStatus, TrainingStatus> {
        use TrainingEvent as E;
        use TrainingStatus as S;
        match (self, event) {
            (S::Draft, E::Submit) => Ok(S::Pending),
            (S::Pending, E::Publish) => Ok(S::Published),
            (S::Pending, E::Refuse) => Ok(S::Draft),
            (S::Published, E::Withdraw) => Ok(S::Draft),
            (S::Draft | S::Pending | S::Published, E::Cancel) => Ok(S::Cancelled),
            (from, _) => Err(from),
        }
    }
}

/// What a training is about: the catalogue's first filter.
pub const TOPICS: [&str; 8] = [
    "management",
    "accounting",
    "digital",
    "arts",
    "communication",
    "languages",
    "crafts",
    "wellbeing",
];

/// Whom a training is for (`smart-cfa`: target audiences).
pub const AUDIENCES: [&str; 5] = [
    "everyone",
    "freelancers",
    "professionals",
    "non-profits",
    "teachers",
];

/// A training's facts, the same in every language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTraining {
    /// The activity that sells it: quotes and invoices are made on it.
    pub activity_id: i64,
    pub topic: &'static str,
    pub audience: &'static str,
    /// A city, or "online".
    pub place: String,
    /// The languages the training is given in.
    pub languages: Vec<Language>,
    pub duration_hours: i64,
    /// The price of the training for one group, VAT excluded.
    pub price_cents: i64,
}

impl NewTraining {
    /// The languages as stored: `fr,nl`.
    pub fn languages_code(&self) -> String {
        languages_code(&self.languages)
    }
}

pub fn languages_code(languages: &[Language]) -> String {
    languages
        .iter()
        .map(|l| l.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// `fr,nl` as stored, back to languages (unknown codes are skipped).
pub fn parse_languages(stored: &str) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    for l in stored.split(',').filter_map(Language::parse) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TrainingForm {
    #[serde(default)]
    pub trn_activity: String,
    #[serde(default)]
    pub trn_topic: String,
    #[serde(default)]
    pub trn_audience: String,
    #[serde(default)]
    pub trn_place: String,
    /// The checked boxes `trn_languages` (the form sends one pair per box).
    #[serde(skip)]
    pub trn_languages: Vec<String>,
    #[serde(default)]
    pub trn_duration_hours: String,
    /// Euros, `450` or `1.234,56`.
    #[serde(default)]
    pub trn_price: String,
}

impl TrainingForm {
    pub fn parse(&self) -> Result<NewTraining, FieldErrors> {
        let mut e = FieldErrors::new();
        let activity_id = self.trn_activity.trim().parse::<i64>().ok();
        if activity_id.is_none() {
            e.add("trn_activity", "required");
        }
        let topic = TOPICS.into_iter().find(|t| *t == self.trn_topic.trim());
        if topic.is_none() {
            e.add("trn_topic", "required");
        }
        let audience = AUDIENCES
            .into_iter()
            .find(|a| *a == self.trn_audience.trim());
        if audience.is_none() {
            e.add("trn_audience", "required");
        }
        let place = e.required("trn_place", &self.trn_place, MAX_PLACE_CHARS);
        let mut languages: Vec<Language> = Vec::new();
        for l in self.trn_languages.iter().filter_map(|l| Language::parse(l)) {
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        if languages.is_empty() {
            e.add("trn_languages", "trn-languages-required");
        }
        let duration = self.trn_duration_hours.trim().parse::<i64>().ok();
        match duration {
            None if self.trn_duration_hours.trim().is_empty() => {
                e.add("trn_duration_hours", "required")
            }
            Some(h) if (1..=MAX_DURATION_HOURS).contains(&h) => {}
            _ => e.add("trn_duration_hours", "trn-duration"),
        }
        let price = parse_money(&self.trn_price);
        match price {
            None if self.trn_price.trim().is_empty() => e.add("trn_price", "required"),
            Some(p) if (0..=MAX_PRICE_CENTS).contains(&p) => {}
            _ => e.add("trn_price", "amount"),
        }
        match (activity_id, topic, audience, duration, price) {
            (Some(activity_id), Some(topic), Some(audience), Some(duration_hours), Some(price))
                if e.is_empty() =>
            {
                Ok(NewTraining {
                    activity_id,
                    topic,
                    audience,
                    place,
                    languages,
                    duration_hours,
                    price_cents: price,
                })
            }
            _ => Err(e),
        }
    }
}

/// The description of a training in one language (`smart-cfa`: multilingual details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingText {
    pub language: Language,
    pub title: String,
    pub goal: String,
    pub methodology: String,
    /// Who it is for, in words.
    pub audience_text: String,
    /// Empty: none.
    pub prerequisites: String,
}

impl TrainingText {
    /// The texts a visitor needs to choose a training: title, goal, methodology and audience.
    pub fn is_complete(&self) -> bool {
        [
            &self.title,
            &self.goal,
            &self.methodology,
            &self.audience_text,
        ]
        .iter()
        .all(|t| !t.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    pub trn_text_language: String,
    #[serde(default)]
    pub trn_title: String,
    #[serde(default)]
    pub trn_goal: String,
    #[serde(default)]
    pub trn_methodology: String,
    #[serde(default)]
    pub trn_audience_text: String,
    #[serde(default)]
    pub trn_prerequisites: String,
}

impl TextForm {
    /// A text being written may be partial (a draft); only the title is required. The
    /// complete texts are required to submit and to publish ([`check_publishable`]).
    pub fn parse(&self) -> Result<TrainingText, FieldErrors> {
        let mut e = FieldErrors::new();
        let language = Language::parse(&self.trn_text_language);
        if language.is_none() {
            e.add("trn_text_language", "required");
        }
        let title = e.required("trn_title", &self.trn_title, MAX_TITLE_CHARS);
        let goal = e
            .optional("trn_goal", &self.trn_goal, MAX_TEXT_CHARS)
            .unwrap_or_default();
        let methodology = e
            .optional("trn_methodology", &self.trn_methodology, MAX_TEXT_CHARS)
            .unwrap_or_default();
        let audience_text = e
            .optional("trn_audience_text", &self.trn_audience_text, MAX_TEXT_CHARS)
            .unwrap_or_default();
        let prerequisites = e
            .optional("trn_prerequisites", &self.trn_prerequisites, MAX_TEXT_CHARS)
            .unwrap_or_default();
        for (field, value) in [
            ("trn_title", &title),
            ("trn_goal", &goal),
            ("trn_methodology", &methodology),
            ("trn_audience_text", &audience_text),
            ("trn_prerequisites", &prerequisites),
        ] {
            if contact::has_script(value) {
                e.add(field, "trn-script");
            }
        }
        match language {
            Some(language) if e.is_empty() => Ok(TrainingText {
                language,
                title,
                goal,
                methodology,
                audience_text,
                prerequisites,
            }),
            _ => Err(e),
        }
    }
}

fn incomplete_code(language: Language) -> &'static str {
    match language {
        Language::Fr => "trn-incomplete-fr",
        Language::Nl => "trn-incomplete-nl",
        Language::En => "trn-incomplete-en",
    }
}

/// A training reaches the public only with its texts: a complete description (title, goal,
/// methodology, audience) in every language it is given in. The refusal names each language
/// that misses one, on the field `trn_status`.
pub fn check_publishable(
    languages: &[Language],
    texts: &[TrainingText],
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if languages.is_empty() {
        e.add("trn_languages", "trn-languages-required");
    }
    for l in languages {
        if !texts.iter().any(|t| t.language == *l && t.is_complete()) {
            e.add("trn_status", incomplete_code(*l));
        }
    }
    if texts.is_empty() && languages.is_empty() {
        e.add("trn_status", "trn-incomplete-fr");
    }
    e.into_result(|| ())
}

/// The text to show in `language`: that language's, else the first complete one, else any.
pub fn text_for(texts: &[TrainingText], language: Language) -> Option<&TrainingText> {
    texts
        .iter()
        .find(|t| t.language == language)
        .or_else(|| texts.iter().find(|t| t.is_complete()))
        .or_else(|| texts.first())
}

/// The quote line of a training for one group: exempt under art. 44 §2, 4° VAT Code
/// (category E, no VAT; the invoice then carries the exemption text, BR-E-10) or at the
/// standard rate of 21 % (art. 37 VAT Code, Royal Decree no. 20) when it is not.
pub fn quote_line(title: &str, duration_hours: i64, price_cents: i64, exempt: bool) -> LineInput {
    let (vat_category, vat_rate_bp) = if exempt {
        (VatCategory::E, 0)
    } else {
        (VatCategory::S, 2100)
    };
    LineInput {
        description: format!("{title} ({duration_hours} h)"),
        quantity: Decimal::ONE,
        unit: "C62".into(),
        unit_price: Decimal::new(price_cents, 2),
        vat_category,
        vat_rate_bp,
    }
}

/// A date typed in a form (`YYYY-MM-DD`), or the error on `field`.
pub(crate) fn parse_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "required");
        return None;
    }
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(field, "date");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn text(language: Language, complete: bool) -> TrainingText {
        TrainingText {
            language,
            title: "Gestion de projets culturels".into(),
            goal: "Piloter un projet".into(),
            methodology: if complete {
                "Ateliers".into()
            } else {
                String::new()
            },
            audience_text: "Artistes".into(),
            prerequisites: String::new(),
        }
    }

    fn form() -> TrainingForm {
        TrainingForm {
            trn_activity: "4".into(),
            trn_topic: "management".into(),
            trn_audience: "freelancers".into(),
            trn_place: "Bruxelles".into(),
            trn_languages: vec!["fr".into(), "nl".into(), "fr".into()],
            trn_duration_hours: "14".into(),
            trn_price: "1.250,50".into(),
        }
    }

    #[test]
    fn a_training_goes_from_draft_to_published_and_only_a_draft_is_edited() {
        let s = TrainingStatus::Draft;
        let pending = s.transition(TrainingEvent::Submit).unwrap();
        assert_eq!(pending, TrainingStatus::Pending);
        assert!(!pending.is_editable());
        assert_eq!(
            pending.transition(TrainingEvent::Refuse),
            Ok(TrainingStatus::Draft)
        );
        let published = pending.transition(TrainingEvent::Publish).unwrap();
        assert_eq!(
            published.transition(TrainingEvent::Withdraw),
            Ok(TrainingStatus::Draft)
        );
        assert_eq!(
            published.transition(TrainingEvent::Cancel),
            Ok(TrainingStatus::Cancelled)
        );
    }

    #[test]
    fn a_draft_is_not_published_without_validation_and_a_cancelled_training_stays_so() {
        assert!(
            TrainingStatus::Draft
                .transition(TrainingEvent::Publish)
                .is_err()
        );
        assert!(
            TrainingStatus::Published
                .transition(TrainingEvent::Submit)
                .is_err()
        );
        for event in TrainingEvent::ALL {
            assert!(
                TrainingStatus::Cancelled.transition(event).is_err(),
                "{event:?}"
            );
        }
    }

    #[test]
    fn the_form_gives_a_training_with_its_languages_once() {
        let t = form().parse().unwrap();
        assert_eq!(t.languages, vec![Language::Fr, Language::Nl]);
        assert_eq!(t.languages_code(), "fr,nl");
        assert_eq!(t.price_cents, 125_050);
        assert_eq!(
            parse_languages("fr,xx,nl,fr"),
            vec![Language::Fr, Language::Nl]
        );
    }

    #[test]
    fn bad_input_names_each_field() {
        let f = TrainingForm {
            trn_topic: "astrology".into(),
            trn_duration_hours: "0".into(),
            trn_price: "-5".into(),
            trn_languages: vec!["de".into()],
            ..Default::default()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("trn_activity"), Some("required"));
        assert_eq!(e.get("trn_topic"), Some("required"));
        assert_eq!(e.get("trn_audience"), Some("required"));
        assert_eq!(e.get("trn_place"), Some("required"));
        assert_eq!(e.get("trn_languages"), Some("trn-languages-required"));
        assert_eq!(e.get("trn_duration_hours"), Some("trn-duration"));
        assert_eq!(e.get("trn_price"), Some("amount"));
    }

    #[test]
    fn a_training_without_its_required_texts_is_not_published() {
        let langs = [Language::Fr, Language::Nl];
        let e = check_publishable(&langs, &[text(Language::Fr, true)]).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.get("trn_status"), Some("trn-incomplete-nl"));
        let e = check_publishable(
            &langs,
            &[text(Language::Fr, false), text(Language::Nl, true)],
        )
        .unwrap_err();
        assert_eq!(e.get("trn_status"), Some("trn-incomplete-fr"));
        assert!(
            check_publishable(
                &langs,
                &[text(Language::Fr, true), text(Language::Nl, true)]
            )
            .is_ok()
        );
        assert!(check_publishable(&[], &[]).is_err());
    }

    #[test]
    fn a_text_with_a_script_is_refused() {
        let f = TextForm {
            trn_text_language: "fr".into(),
            trn_title: "Formation".into(),
            trn_goal: "<script>alert(1)</script>".into(),
            ..Default::default()
        };
        assert_eq!(f.parse().unwrap_err().get("trn_goal"), Some("trn-script"));
    }

    #[test]
    fn an_exempt_training_is_quoted_in_category_e_and_another_at_21_percent() {
        let l = quote_line("Opleiding boekhouding", 12, 90_000, true);
        assert_eq!(l.vat_category, VatCategory::E);
        assert_eq!(l.vat_rate_bp, 0);
        assert_eq!(l.unit_price, Decimal::new(90_000, 2));
        assert_eq!(l.description, "Opleiding boekhouding (12 h)");
        let l = quote_line("Yoga", 2, 5_000, false);
        assert_eq!((l.vat_category, l.vat_rate_bp), (VatCategory::S, 2100));
    }

    #[test]
    fn the_text_shown_is_the_visitors_language_or_a_complete_one() {
        let texts = [text(Language::Fr, false), text(Language::En, true)];
        assert_eq!(
            text_for(&texts, Language::Fr).unwrap().language,
            Language::Fr
        );
        assert_eq!(
            text_for(&texts, Language::Nl).unwrap().language,
            Language::En
        );
        assert!(text_for(&[], Language::Nl).is_none());
    }
}
