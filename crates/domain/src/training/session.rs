//! Training sessions (C9): the days of training the cooperative organises for its members
//! and for its staff, with how many people took part. They give the year's figures of the
//! special report (reference year: staff 709 days / 162 participants; members 93 days /
//! 758 participants). A session counts in the year it starts.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{MAX_PLACE_CHARS, MAX_TITLE_CHARS, parse_date};
use crate::validate::FieldErrors;

/// The most days one session may count (a bound against typing errors).
pub const MAX_DAYS: i64 = 366;
pub const MAX_PARTICIPANTS: i64 = 10_000;

/// For whom a session is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionFor {
    Members,
    Staff,
}

impl SessionFor {
    pub const ALL: [SessionFor; 2] = [SessionFor::Members, SessionFor::Staff];

    pub fn code(self) -> &'static str {
        match self {
            SessionFor::Members => "members",
            SessionFor::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<SessionFor> {
        SessionFor::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSession {
    pub session_for: SessionFor,
    pub title: String,
    /// The catalogue training it gives, if any.
    pub training_id: Option<i64>,
    pub starts_on: Date,
    pub ends_on: Date,
    /// Training days (not participant-days).
    pub days: i64,
    pub participants: i64,
    pub place: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    pub ses_for: String,
    #[serde(default)]
    pub ses_title: String,
    #[serde(default)]
    pub ses_training: String,
    #[serde(default)]
    pub ses_starts_on: String,
    #[serde(default)]
    pub ses_ends_on: String,
    #[serde(default)]
    pub ses_days: String,
    #[serde(default)]
    pub ses_participants: String,
    #[serde(default)]
    pub ses_place: String,
}

fn count(e: &mut FieldErrors, field: &'static str, value: &str, max: i64) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "required");
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            e.add(field, "trn-count");
            None
        }
    }
}

impl SessionForm {
    pub fn parse(&self) -> Result<NewSession, FieldErrors> {
        let mut e = FieldErrors::new();
        let session_for = SessionFor::parse(&self.ses_for);
        if session_for.is_none() {
            e.add("ses_for", "required");
        }
        let title = e.required("ses_title", &self.ses_title, MAX_TITLE_CHARS);
        let training_id = match self.ses_training.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("ses_training", "required");
                    None
                }
            },
        };
        let starts_on = parse_date(&mut e, "ses_starts_on", &self.ses_starts_on);
        let ends_on = parse_date(&mut e, "ses_ends_on", &self.ses_ends_on);
        let days = count(&mut e, "ses_days", &self.ses_days, MAX_DAYS);
        let participants = count(
            &mut e,
            "ses_participants",
            &self.ses_participants,
            MAX_PARTICIPANTS,
        );
        let place = e.required("ses_place", &self.ses_place, MAX_PLACE_CHARS);
        if let (Some(s), Some(end)) = (starts_on, ends_on) {
            if end < s {
                e.add("ses_ends_on", "trn-ends-before");
            } else if let Some(d) = days {
                // A session counts at most the calendar days it spans.
                let span = i64::from((end - s).get_days()) + 1;
                if d > span {
                    e.add("ses_days", "trn-days-beyond-span");
                }
            }
        }
        match (session_for, starts_on, ends_on, days, participants) {
            (Some(session_for), Some(starts_on), Some(ends_on), Some(days), Some(participants))
                if e.is_empty() =>
            {
                Ok(NewSession {
                    session_for,
                    title,
                    training_id,
                    starts_on,
                    ends_on,
                    days,
                    participants,
                    place,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn form() -> SessionForm {
        SessionForm {
            ses_for: "staff".into(),
            ses_title: "Accueil des nouveaux conseillers".into(),
            ses_training: String::new(),
            ses_starts_on: "2025-03-03".into(),
            ses_ends_on: "2025-03-05".into(),
            ses_days: "3".into(),
            ses_participants: "12".into(),
            ses_place: "Bruxelles".into(),
        }
    }

    #[test]
    fn a_session_is_taken_with_its_days_and_participants() {
        let s = form().parse().unwrap();
        assert_eq!(s.session_for, SessionFor::Staff);
        assert_eq!((s.days, s.participants), (3, 12));
    }

    #[test]
    fn a_session_cannot_count_more_days_than_it_spans_nor_end_before_it_starts() {
        let f = SessionForm {
            ses_days: "4".into(),
            ..form()
        };
        assert_eq!(
            f.parse().unwrap_err().get("ses_days"),
            Some("trn-days-beyond-span")
        );
        let f = SessionForm {
            ses_ends_on: "2025-03-01".into(),
            ..form()
        };
        assert_eq!(
            f.parse().unwrap_err().get("ses_ends_on"),
            Some("trn-ends-before")
        );
        let f = SessionForm {
            ses_participants: "0".into(),
            ses_for: "friends".into(),
            ..form()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("ses_participants"), Some("trn-count"));
        assert_eq!(e.get("ses_for"), Some("required"));
    }
}
