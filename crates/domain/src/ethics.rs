//! The ethics committee (C13, issue 8 §4): its members and their terms, its meetings (eight
//! in the reference year), the subjects referred to it (*saisines*: cryptocurrencies,
//! transparency, astrology, advertising in the reference year) and its opinions and
//! recommendations, adopted at a meeting and then published.
//!
//! The rules below are the committee's charter (its internal rules of procedure), not the
//! law's: any member or staff member may refer a subject (art. 3); the committee examines
//! it or declines it with a reason given to the referrer (art. 5); an opinion is adopted at
//! a meeting before it is published (art. 7); a published opinion is final and public —
//! a new opinion replaces it, it is never edited (art. 8); the referrer is told when the
//! opinion on their referral is published (art. 9).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::validate::FieldErrors;

pub const MAX_SUBJECT_CHARS: usize = 150;
pub const MAX_QUESTION_CHARS: usize = 5_000;
pub const MAX_REASON_CHARS: usize = 2_000;
pub const MAX_PLACE_CHARS: usize = 150;
pub const MAX_AGENDA_CHARS: usize = 5_000;
pub const MAX_MINUTES_CHARS: usize = 20_000;
pub const MAX_OPINION_CHARS: usize = 20_000;
/// Members recorded present at one meeting (the committee is small; a bound on the list).
pub const MAX_PRESENT: usize = 50;

// ------------------------------------------------------------------------- committee

/// A member's seat on the committee. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeatRole {
    /// Chairs the meetings and signs the opinions.
    Chair,
    Member,
    /// Keeps the minutes and the referrals' register.
    Secretary,
}

impl SeatRole {
    pub const ALL: [SeatRole; 3] = [SeatRole::Chair, SeatRole::Member, SeatRole::Secretary];

    pub fn code(self) -> &'static str {
        match self {
            SeatRole::Chair => "chair",
            SeatRole::Member => "member",
            SeatRole::Secretary => "secretary",
        }
    }

    pub fn parse(s: &str) -> Option<SeatRole> {
        SeatRole::ALL.into_iter().find(|r| r.code() == s.trim())
    }
}

/// A seat ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSeat {
    pub person_id: i64,
    pub role: SeatRole,
    pub from_on: Date,
    pub until_on: Option<Date>,
}

/// The form of a seat (and the API's body).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SeatForm {
    #[serde(default)]
    pub ethics_person: String,
    #[serde(default)]
    pub ethics_role: String,
    #[serde(default)]
    pub ethics_from: String,
    #[serde(default)]
    pub ethics_until: String,
}

impl SeatForm {
    pub fn parse(&self) -> Result<NewSeat, FieldErrors> {
        let mut e = FieldErrors::new();
        let person_id = positive_id(&mut e, "ethics_person", &self.ethics_person);
        let role = SeatRole::parse(&self.ethics_role);
        if role.is_none() {
            e.add("ethics_role", "ethics-role");
        }
        let from_on = required_date(&mut e, "ethics_from", &self.ethics_from);
        let until_on = optional_date(&mut e, "ethics_until", &self.ethics_until);
        if let (Some(from), Some(until)) = (from_on, until_on)
            && until < from
        {
            e.add("ethics_until", "ethics-until-before-from");
        }
        match (person_id, role, from_on) {
            (Some(person_id), Some(role), Some(from_on)) if e.is_empty() => Ok(NewSeat {
                person_id,
                role,
                from_on,
                until_on,
            }),
            _ => Err(e),
        }
    }
}

/// Whether a seat from `from_on` to `until_on` (inclusive, open when `None`) is held on `day`.
pub fn seat_held_on(from_on: Date, until_on: Option<Date>, day: Date) -> bool {
    from_on <= day && until_on.is_none_or(|u| day <= u)
}

// -------------------------------------------------------------------------- meetings

/// A meeting ready to be stored, with the seats (ids) of the members present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMeeting {
    pub held_on: Date,
    pub place: String,
    pub agenda: String,
    pub minutes: Option<String>,
    pub present: Vec<i64>,
}

/// The form of a meeting. `present` comes from checkboxes (`ethics_present`, one per seat):
/// the caller collects them, serde's form decoding keeps only one value per name.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub ethics_held_on: String,
    #[serde(default)]
    pub ethics_place: String,
    #[serde(default)]
    pub ethics_agenda: String,
    #[serde(default)]
    pub ethics_minutes: String,
    #[serde(skip)]
    pub present: Vec<String>,
}

impl MeetingForm {
    pub fn parse(&self) -> Result<NewMeeting, FieldErrors> {
        let mut e = FieldErrors::new();
        let held_on = required_date(&mut e, "ethics_held_on", &self.ethics_held_on);
        let place = line(&mut e, "ethics_place", &self.ethics_place, MAX_PLACE_CHARS);
        let agenda = text(
            &mut e,
            "ethics_agenda",
            &self.ethics_agenda,
            MAX_AGENDA_CHARS,
        );
        let minutes = match self.ethics_minutes.trim() {
            "" => None,
            _ => Some(text(
                &mut e,
                "ethics_minutes",
                &self.ethics_minutes,
                MAX_MINUTES_CHARS,
            )),
        };
        let mut present = Vec::new();
        for p in &self.present {
            match p.trim().parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !present.contains(&id) {
                        present.push(id);
                    }
                }
                _ => {
                    e.add("ethics_present", "format");
                    break;
                }
            }
        }
        if present.len() > MAX_PRESENT {
            e.add("ethics_present", "too-long");
        }
        match held_on {
            Some(held_on) if e.is_empty() => Ok(NewMeeting {
                held_on,
                place,
                agenda,
                minutes,
                present,
            }),
            _ => Err(e),
        }
    }
}

// ------------------------------------------------------------------------- referrals

/// Where a referral stands. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferralStatus {
    /// Received by the secretariat, not yet on the committee's table.
    Received,
    /// The committee examines it (a draft opinion may be written).
    UnderReview,
    /// An opinion on it was published.
    OpinionGiven,
    /// The committee declined it, with a reason given to the referrer (charter, art. 5).
    Declined,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 4] = [
        ReferralStatus::Received,
        ReferralStatus::UnderReview,
        ReferralStatus::OpinionGiven,
        ReferralStatus::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReferralStatus::Received => "received",
            ReferralStatus::UnderReview => "under-review",
            ReferralStatus::OpinionGiven => "opinion-given",
            ReferralStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<ReferralStatus> {
        ReferralStatus::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
    }

    /// Whether the committee still has work on it (the queue's default).
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Received | ReferralStatus::UnderReview)
    }

    /// received → under review → opinion given, or declined before an opinion. Writing an
    /// opinion on a received referral puts it under review; an opinion is given only once
    /// (a second opinion on the same subject is a new referral or an own-initiative one).
    pub fn apply(self, event: ReferralEvent) -> Result<ReferralStatus, ReferralTransitionRefused> {
        use ReferralEvent as E;
        use ReferralStatus as S;
        match (self, event) {
            (S::Received | S::UnderReview, E::Review) => Ok(S::UnderReview),
            (S::UnderReview, E::GiveOpinion) => Ok(S::OpinionGiven),
            (S::Received | S::UnderReview, E::Decline) => Ok(S::Declined),
            (from, event) => Err(ReferralTransitionRefused { from, event }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferralEvent {
    /// Put on the committee's table (or a draft opinion is written on it).
    Review,
    /// The opinion on it is published.
    GiveOpinion,
    Decline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} referral cannot take {event:?}")]
pub struct ReferralTransitionRefused {
    pub from: ReferralStatus,
    pub event: ReferralEvent,
}

/// A referral ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewReferral {
    pub person_id: i64,
    pub subject: String,
    pub question: String,
    pub received_on: Date,
}

/// The form of a referral (and the API's body).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReferralForm {
    #[serde(default)]
    pub ethics_subject: String,
    #[serde(default)]
    pub ethics_question: String,
}

impl ReferralForm {
    /// The referral of `person_id`, received on `today`.
    pub fn parse(&self, person_id: i64, today: Date) -> Result<NewReferral, FieldErrors> {
        let mut e = FieldErrors::new();
        let subject = line(
            &mut e,
            "ethics_subject",
            &self.ethics_subject,
            MAX_SUBJECT_CHARS,
        );
        let question = text(
            &mut e,
            "ethics_question",
            &self.ethics_question,
            MAX_QUESTION_CHARS,
        );
        e.into_result(|| NewReferral {
            person_id,
            subject,
            question,
            received_on: today,
        })
    }
}

/// The reason of a decline (`ethics_reason`): required, it is told to the referrer.
pub fn parse_decline_reason(reason: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let v = text(&mut e, "ethics_reason", reason, MAX_REASON_CHARS);
    e.into_result(|| v)
}

// -------------------------------------------------------------------------- opinions

/// An opinion answers a question; a recommendation asks the cooperative to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpinionKind {
    Opinion,
    Recommendation,
}

impl OpinionKind {
    pub const ALL: [OpinionKind; 2] = [OpinionKind::Opinion, OpinionKind::Recommendation];

    pub fn code(self) -> &'static str {
        match self {
            OpinionKind::Opinion => "opinion",
            OpinionKind::Recommendation => "recommendation",
        }
    }

    pub fn parse(s: &str) -> Option<OpinionKind> {
        OpinionKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// Draft, then published for good (charter, art. 8). The code is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpinionStatus {
    Draft,
    Published,
}

impl OpinionStatus {
    pub const ALL: [OpinionStatus; 2] = [OpinionStatus::Draft, OpinionStatus::Published];

    pub fn code(self) -> &'static str {
        match self {
            OpinionStatus::Draft => "draft",
            OpinionStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<OpinionStatus> {
        OpinionStatus::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
    }

    /// A draft may be edited; a published opinion never (a new one replaces it).
    pub fn editable(self) -> bool {
        self == OpinionStatus::Draft
    }

    /// Publication: a draft adopted at a meeting (charter, art. 7), once.
    pub fn publish(self, adopted: bool) -> Result<OpinionStatus, PublicationRefused> {
        match (self, adopted) {
            (OpinionStatus::Published, _) => Err(PublicationRefused::AlreadyPublished),
            (OpinionStatus::Draft, false) => Err(PublicationRefused::NotAdopted),
            (OpinionStatus::Draft, true) => Ok(OpinionStatus::Published),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PublicationRefused {
    #[error("the opinion is already published")]
    AlreadyPublished,
    #[error("the opinion was not adopted at a meeting")]
    NotAdopted,
}

impl PublicationRefused {
    /// The error code shown to the user (`err-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            PublicationRefused::AlreadyPublished => "ethics-already-published",
            PublicationRefused::NotAdopted => "ethics-not-adopted",
        }
    }
}

/// An opinion ready to be stored (a draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOpinion {
    /// `None`: on the committee's own initiative.
    pub referral_id: Option<i64>,
    pub kind: OpinionKind,
    pub subject: String,
    pub body: String,
    /// The meeting that adopted it, once adopted.
    pub meeting_id: Option<i64>,
}

/// The form of an opinion.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpinionForm {
    #[serde(default)]
    pub ethics_referral: String,
    #[serde(default)]
    pub ethics_kind: String,
    #[serde(default)]
    pub ethics_subject: String,
    #[serde(default)]
    pub ethics_body: String,
    #[serde(default)]
    pub ethics_meeting: String,
}

impl OpinionForm {
    pub fn parse(&self) -> Result<NewOpinion, FieldErrors> {
        let mut e = FieldErrors::new();
        let referral_id = optional_id(&mut e, "ethics_referral", &self.ethics_referral);
        let kind = OpinionKind::parse(&self.ethics_kind);
        if kind.is_none() {
            e.add("ethics_kind", "ethics-kind");
        }
        let subject = line(
            &mut e,
            "ethics_subject",
            &self.ethics_subject,
            MAX_SUBJECT_CHARS,
        );
        let body = text(&mut e, "ethics_body", &self.ethics_body, MAX_OPINION_CHARS);
        let meeting_id = optional_id(&mut e, "ethics_meeting", &self.ethics_meeting);
        match kind {
            Some(kind) if e.is_empty() => Ok(NewOpinion {
                referral_id,
                kind,
                subject,
                body,
                meeting_id,
            }),
            _ => Err(e),
        }
    }
}

// --------------------------------------------------------------------------- helpers

/// A text of several lines: required, bounded, no control character but line breaks.
fn text(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        e.add(field, "format");
    }
    v
}

/// A line of text: required, bounded, no control character.
fn line(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars().any(char::is_control) {
        e.add(field, "format");
    }
    v
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

fn positive_id(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<i64> {
    if value.trim().is_empty() {
        e.add(field, "required");
        return None;
    }
    optional_id(e, field, value)
}

fn optional_id(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<i64> {
    match value.trim() {
        "" => None,
        typed => match typed.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                e.add(field, "format");
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
    fn a_referral_is_examined_before_its_opinion_and_declined_only_while_open() {
        use ReferralEvent as E;
        use ReferralStatus as S;
        assert_eq!(S::Received.apply(E::Review), Ok(S::UnderReview));
        assert_eq!(S::UnderReview.apply(E::Review), Ok(S::UnderReview));
        assert!(S::Received.apply(E::GiveOpinion).is_err());
        assert_eq!(S::UnderReview.apply(E::GiveOpinion), Ok(S::OpinionGiven));
        assert_eq!(S::Received.apply(E::Decline), Ok(S::Declined));
        assert_eq!(S::UnderReview.apply(E::Decline), Ok(S::Declined));
        for done in [S::OpinionGiven, S::Declined] {
            assert!(!done.is_open());
            for e in [E::Review, E::GiveOpinion, E::Decline] {
                assert!(done.apply(e).is_err(), "{done:?} {e:?}");
            }
        }
    }

    #[test]
    fn an_opinion_is_published_once_and_only_after_its_adoption() {
        assert_eq!(
            OpinionStatus::Draft.publish(false),
            Err(PublicationRefused::NotAdopted)
        );
        assert_eq!(
            OpinionStatus::Draft.publish(true),
            Ok(OpinionStatus::Published)
        );
        assert_eq!(
            OpinionStatus::Published.publish(true),
            Err(PublicationRefused::AlreadyPublished)
        );
        assert!(OpinionStatus::Draft.editable());
        assert!(!OpinionStatus::Published.editable());
        assert_eq!(
            PublicationRefused::AlreadyPublished.code(),
            "ethics-already-published"
        );
    }

    #[test]
    fn a_referral_needs_a_subject_and_a_question() {
        let ok = ReferralForm {
            ethics_subject: " Cryptomonnaies ".into(),
            ethics_question: "Pouvons-nous facturer en bitcoin ?".into(),
        }
        .parse(4, date(2026, 3, 2))
        .unwrap();
        assert_eq!(ok.subject, "Cryptomonnaies");
        assert_eq!((ok.person_id, ok.received_on), (4, date(2026, 3, 2)));
        let e = ReferralForm {
            ethics_subject: "x".repeat(151),
            ethics_question: "  ".into(),
        }
        .parse(4, date(2026, 3, 2))
        .unwrap_err();
        assert_eq!(e.get("ethics_subject"), Some("too-long"));
        assert_eq!(e.get("ethics_question"), Some("required"));
        assert_eq!(
            parse_decline_reason("").unwrap_err().get("ethics_reason"),
            Some("required")
        );
        assert_eq!(
            parse_decline_reason(" Hors mandat ").unwrap(),
            "Hors mandat"
        );
    }

    #[test]
    fn a_meeting_needs_a_date_a_place_and_an_agenda() {
        let mut f = MeetingForm {
            ethics_held_on: "2026-02-10".into(),
            ethics_place: "Siège, salle 2".into(),
            ethics_agenda: "1. Cryptomonnaies\n2. Divers".into(),
            ethics_minutes: String::new(),
            present: vec!["3".into(), "4".into(), "3".into()],
        };
        let m = f.parse().unwrap();
        assert_eq!(m.held_on, date(2026, 2, 10));
        assert_eq!(m.present, vec![3, 4]);
        assert_eq!(m.minutes, None);
        f.ethics_held_on = String::new();
        assert_eq!(
            f.parse().unwrap_err().get("ethics_held_on"),
            Some("required")
        );
        f.ethics_held_on = "10/02/2026".into();
        f.present = vec!["abc".into()];
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("ethics_held_on"), Some("date"));
        assert_eq!(e.get("ethics_present"), Some("format"));
    }

    #[test]
    fn a_seat_has_a_role_and_a_term_that_does_not_end_before_it_starts() {
        let f = SeatForm {
            ethics_person: "12".into(),
            ethics_role: "chair".into(),
            ethics_from: "2024-01-01".into(),
            ethics_until: String::new(),
        };
        let s = f.parse().unwrap();
        assert_eq!(
            (s.person_id, s.role, s.until_on),
            (12, SeatRole::Chair, None)
        );
        let e = SeatForm {
            ethics_person: String::new(),
            ethics_role: "president".into(),
            ethics_from: "2024-06-01".into(),
            ethics_until: "2024-05-31".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("ethics_person"), Some("required"));
        assert_eq!(e.get("ethics_role"), Some("ethics-role"));
        assert_eq!(e.get("ethics_until"), Some("ethics-until-before-from"));
        let (from, until) = (date(2024, 1, 1), Some(date(2025, 12, 31)));
        assert!(seat_held_on(from, until, date(2025, 12, 31)));
        assert!(!seat_held_on(from, until, date(2026, 1, 1)));
        assert!(!seat_held_on(from, None, date(2023, 12, 31)));
    }

    #[test]
    fn an_opinion_names_its_kind_subject_and_text() {
        let o = OpinionForm {
            ethics_referral: "5".into(),
            ethics_kind: "recommendation".into(),
            ethics_subject: "Publicité".into(),
            ethics_body: "Le comité recommande…".into(),
            ethics_meeting: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(
            (o.referral_id, o.kind, o.meeting_id),
            (Some(5), OpinionKind::Recommendation, None)
        );
        let e = OpinionForm {
            ethics_referral: "-1".into(),
            ethics_kind: "verdict".into(),
            ethics_subject: String::new(),
            ethics_body: "a\u{0}b".into(),
            ethics_meeting: "x".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("ethics_referral"), Some("format"));
        assert_eq!(e.get("ethics_kind"), Some("ethics-kind"));
        assert_eq!(e.get("ethics_subject"), Some("required"));
        assert_eq!(e.get("ethics_body"), Some("format"));
        assert_eq!(e.get("ethics_meeting"), Some("format"));
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::parse(s.code()), Some(s));
        }
        for r in SeatRole::ALL {
            assert_eq!(SeatRole::parse(r.code()), Some(r));
        }
    }
}
