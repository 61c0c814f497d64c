//! Legal help (C16): a member asks the cooperative's legal service a question, has a contract
//! reviewed, or brings a dispute with a client or a supplier; the legal staff triage it
//! (priority, who handles it), answer it in a thread of messages and close it with an
//! outcome; the member may reopen an answered or closed request for a while.
//!
//! What is said in a request is covered by professional secrecy (Criminal Code, art. 458;
//! for the lawyers of the service, Judicial Code art. 444 and the GDPR art. 9 when health
//! or union data come up): only the member who asked and the legal staff read it
//! ([`crate::policy::Target::LegalRequest`]), and the audit log records ids and status
//! changes, never the text. The member is told by e-mail that an answer is waiting, never
//! what it says.
//!
//! The reopening window ([`REOPEN_DAYS`]) and the limits below are the service's own rules
//! (its charter), not the law's.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::validate::FieldErrors;

/// A member may reopen a request up to this many days after its last answer or closure
/// (the legal service's charter); after that, a new request is filed.
pub const REOPEN_DAYS: i64 = 30;
pub const MAX_SUBJECT_CHARS: usize = 150;
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
pub const MAX_COUNTERPARTY_CHARS: usize = 150;
pub const MAX_MESSAGE_CHARS: usize = 5_000;
/// The largest amount at stake a request records: 100 million euros.
pub const MAX_AMOUNT_CENTS: i64 = 10_000_000_000;
/// Files attached at once to a request or a message.
pub const MAX_FILES: usize = 10;

// ---------------------------------------------------------------------------- the kinds

/// What the member asks for. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegalKind {
    /// A question of law (a clause of the general terms, the rights of an author…).
    Question,
    /// A contract to read before signing it: the counterparty is named.
    ContractReview,
    /// A dispute with a client, a supplier or a partner: the counterparty is named.
    Dispute,
}

impl LegalKind {
    pub const ALL: [LegalKind; 3] = [
        LegalKind::Question,
        LegalKind::ContractReview,
        LegalKind::Dispute,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LegalKind::Question => "question",
            LegalKind::ContractReview => "contract-review",
            LegalKind::Dispute => "dispute",
        }
    }

    pub fn parse(s: &str) -> Option<LegalKind> {
        LegalKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// A contract and a dispute are always with someone: the counterparty is required.
    pub fn needs_counterparty(self) -> bool {
        !matches!(self, LegalKind::Question)
    }
}

/// Where a request stands. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LegalStatus {
    /// Filed by the member, waiting for the legal service.
    Submitted,
    /// Given a priority and a handler.
    Triaged,
    /// The legal service answered; the member was told by e-mail.
    Answered,
    /// Done, with an outcome.
    Closed,
    /// Reopened by the member after an answer or a closure: back with its handler.
    Reopened,
}

impl LegalStatus {
    pub const ALL: [LegalStatus; 5] = [
        LegalStatus::Submitted,
        LegalStatus::Triaged,
        LegalStatus::Answered,
        LegalStatus::Reopened,
        LegalStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LegalStatus::Submitted => "submitted",
            LegalStatus::Triaged => "triaged",
            LegalStatus::Answered => "answered",
            LegalStatus::Closed => "closed",
            LegalStatus::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<LegalStatus> {
        LegalStatus::ALL.into_iter().find(|x| x.code() == s.trim())
    }

    /// Whether the legal service still has work on it (the queue's default).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            LegalStatus::Submitted | LegalStatus::Triaged | LegalStatus::Reopened
        )
    }

    /// Whether messages may still be added: a closed request is reopened first.
    pub fn takes_messages(self) -> bool {
        self != LegalStatus::Closed
    }

    /// The transitions: submitted → triaged → answered → closed, a reopening after an
    /// answer or a closure, a new triage (priority or handler) while work is pending. An
    /// answer needs a triage first (someone is responsible for it).
    pub fn apply(self, event: LegalEvent) -> Result<LegalStatus, LegalTransitionRefused> {
        use LegalEvent as E;
        use LegalStatus as S;
        match (self, event) {
            (S::Submitted | S::Triaged | S::Reopened, E::Triage) => Ok(S::Triaged),
            (S::Triaged | S::Reopened, E::Answer) => Ok(S::Answered),
            (S::Submitted | S::Triaged | S::Answered | S::Reopened, E::Close) => Ok(S::Closed),
            (S::Answered | S::Closed, E::Reopen) => Ok(S::Reopened),
            (from, event) => Err(LegalTransitionRefused { from, event }),
        }
    }
}

/// What happens to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LegalEvent {
    Triage,
    Answer,
    Close,
    Reopen,
}

impl LegalEvent {
    pub fn code(self) -> &'static str {
        match self {
            LegalEvent::Triage => "triage",
            LegalEvent::Answer => "answer",
            LegalEvent::Close => "close",
            LegalEvent::Reopen => "reopen",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} legal request cannot take {event:?}")]
pub struct LegalTransitionRefused {
    pub from: LegalStatus,
    pub event: LegalEvent,
}

/// How soon the legal service must look at it. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LegalPriority {
    Low,
    Normal,
    /// A deadline is near (a contract to sign this week, a summons, a limitation period).
    Urgent,
}

impl LegalPriority {
    pub const ALL: [LegalPriority; 3] = [
        LegalPriority::Low,
        LegalPriority::Normal,
        LegalPriority::Urgent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LegalPriority::Low => "low",
            LegalPriority::Normal => "normal",
            LegalPriority::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<LegalPriority> {
        LegalPriority::ALL
            .into_iter()
            .find(|p| p.code() == s.trim())
    }
}

/// How a request ended. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegalOutcome {
    /// The member has the advice they needed.
    Advised,
    /// The dispute was settled amicably (or the contract signed as reviewed).
    Settled,
    /// Referred to an outside lawyer, a mediator or a court.
    Referred,
    /// Not a matter for the service (private life, outside the activity).
    OutOfScope,
    /// The member no longer needs it.
    Withdrawn,
}

impl LegalOutcome {
    pub const ALL: [LegalOutcome; 5] = [
        LegalOutcome::Advised,
        LegalOutcome::Settled,
        LegalOutcome::Referred,
        LegalOutcome::OutOfScope,
        LegalOutcome::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LegalOutcome::Advised => "advised",
            LegalOutcome::Settled => "settled",
            LegalOutcome::Referred => "referred",
            LegalOutcome::OutOfScope => "out-of-scope",
            LegalOutcome::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<LegalOutcome> {
        LegalOutcome::ALL.into_iter().find(|o| o.code() == s.trim())
    }
}

/// Whether the member may still reopen a request answered or closed on `decided_on`.
pub fn may_reopen(status: LegalStatus, decided_on: Date, today: Date) -> bool {
    status.apply(LegalEvent::Reopen).is_ok()
        && today >= decided_on
        && decided_on
            .checked_add(jiff::Span::new().days(REOPEN_DAYS))
            .is_ok_and(|last| today <= last)
}

/// The median of whole days, rounded half up; `None` for an empty list (a figure is never
/// invented from nothing).
pub fn median_days(mut days: Vec<i64>) -> Option<i64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    Some(if days.len() % 2 == 1 {
        days[mid]
    } else {
        let (a, b) = (days[mid - 1], days[mid]);
        a + (b - a + 1) / 2
    })
}

// --------------------------------------------------------------------------- the request

/// A request ready to be filed: every field checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewLegalRequest {
    /// The member asking.
    pub person_id: i64,
    /// An activity they hold, when the request concerns it.
    pub activity_id: Option<i64>,
    pub kind: LegalKind,
    pub subject: String,
    pub description: String,
    pub counterparty: Option<String>,
    pub amount_cents: Option<i64>,
    pub deadline: Option<Date>,
    pub submitted_on: Date,
}

/// The form of a request (and the API's body: the same names). The amount is typed in
/// euros (`1.234,56`), the deadline as `YYYY-MM-DD`, the activity as its id.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LegalRequestForm {
    #[serde(default)]
    pub legal_kind: String,
    #[serde(default)]
    pub legal_subject: String,
    #[serde(default)]
    pub legal_description: String,
    #[serde(default)]
    pub legal_counterparty: String,
    #[serde(default)]
    pub legal_amount: String,
    #[serde(default)]
    pub legal_deadline: String,
    #[serde(default)]
    pub legal_activity: String,
}

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

impl LegalRequestForm {
    /// Checks the form of `person_id` on `today`; every error names its field. Whether the
    /// member holds the activity is checked by the store, in the filing transaction.
    pub fn parse(&self, person_id: i64, today: Date) -> Result<NewLegalRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = LegalKind::parse(&self.legal_kind);
        if kind.is_none() {
            e.add("legal_kind", "legal-kind");
        }
        let subject = line(
            &mut e,
            "legal_subject",
            &self.legal_subject,
            MAX_SUBJECT_CHARS,
        );
        let description = text(
            &mut e,
            "legal_description",
            &self.legal_description,
            MAX_DESCRIPTION_CHARS,
        );
        let counterparty = match kind {
            Some(k) if k.needs_counterparty() => Some(line(
                &mut e,
                "legal_counterparty",
                &self.legal_counterparty,
                MAX_COUNTERPARTY_CHARS,
            )),
            // A question names nobody; whatever was typed in the hidden field is dropped.
            _ => None,
        };
        let amount_cents = match self.legal_amount.trim() {
            "" => None,
            typed => match parse_money(typed) {
                Some(c) if (0..=MAX_AMOUNT_CENTS).contains(&c) => Some(c),
                _ => {
                    e.add("legal_amount", "legal-amount");
                    None
                }
            },
        };
        let deadline = match self.legal_deadline.trim() {
            "" => None,
            typed => match typed.parse::<Date>() {
                Ok(d) if d >= today => Some(d),
                Ok(_) => {
                    e.add("legal_deadline", "legal-deadline-past");
                    None
                }
                Err(_) => {
                    e.add("legal_deadline", "date");
                    None
                }
            },
        };
        let activity_id = match self.legal_activity.trim() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    e.add("legal_activity", "format");
                    None
                }
            },
        };
        match kind {
            Some(kind) if e.is_empty() => Ok(NewLegalRequest {
                person_id,
                activity_id,
                kind,
                subject,
                description,
                counterparty,
                amount_cents,
                deadline,
                submitted_on: today,
            }),
            _ => Err(e),
        }
    }
}

/// A message of the thread (or an internal note, or an answer): its text, in `legal_body`.
pub fn parse_message(body: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let v = text(&mut e, "legal_body", body, MAX_MESSAGE_CHARS);
    e.into_result(|| v)
}

/// The triage: a priority and the legal staff member's account who handles it (the store
/// checks that the account holds the legal role).
pub fn parse_triage(priority: &str, assignee: &str) -> Result<(LegalPriority, i64), FieldErrors> {
    let mut e = FieldErrors::new();
    let p = LegalPriority::parse(priority);
    if p.is_none() {
        e.add("legal_priority", "legal-priority");
    }
    let a = assignee.trim().parse::<i64>().ok().filter(|id| *id > 0);
    if a.is_none() {
        e.add("legal_assignee", "legal-assignee");
    }
    match (p, a) {
        (Some(p), Some(a)) => Ok((p, a)),
        _ => Err(e),
    }
}

/// The outcome chosen when closing.
pub fn parse_outcome(outcome: &str) -> Result<LegalOutcome, FieldErrors> {
    LegalOutcome::parse(outcome)
        .ok_or_else(|| FieldErrors::single("legal_outcome", "legal-outcome"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use jiff::civil::date;

    use super::*;

    fn form(kind: &str) -> LegalRequestForm {
        LegalRequestForm {
            legal_kind: kind.into(),
            legal_subject: "Clause de non-concurrence".into(),
            legal_description: "Mon client veut m'interdire de travailler\npour d'autres.".into(),
            legal_counterparty: "Atelier Dupont SRL".into(),
            legal_amount: "1.234,56".into(),
            legal_deadline: "2026-12-01".into(),
            legal_activity: "7".into(),
        }
    }

    const TODAY: Date = date(2026, 11, 20);

    #[test]
    fn a_contract_review_names_its_counterparty_and_keeps_amount_and_deadline() {
        let r = form("contract-review").parse(3, TODAY).unwrap();
        assert_eq!(r.kind, LegalKind::ContractReview);
        assert_eq!(r.counterparty.as_deref(), Some("Atelier Dupont SRL"));
        assert_eq!(r.amount_cents, Some(123_456));
        assert_eq!(r.deadline, Some(date(2026, 12, 1)));
        assert_eq!(r.activity_id, Some(7));
        assert_eq!((r.person_id, r.submitted_on), (3, TODAY));

        let mut f = form("dispute");
        f.legal_counterparty = "  ".into();
        assert_eq!(
            f.parse(3, TODAY).unwrap_err().get("legal_counterparty"),
            Some("required")
        );
    }

    #[test]
    fn a_question_names_nobody() {
        let r = form("question").parse(3, TODAY).unwrap();
        assert_eq!(r.counterparty, None);
        let mut f = form("question");
        f.legal_counterparty = String::new();
        f.legal_amount = String::new();
        f.legal_deadline = String::new();
        f.legal_activity = String::new();
        let r = f.parse(3, TODAY).unwrap();
        assert_eq!(
            (r.amount_cents, r.deadline, r.activity_id),
            (None, None, None)
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = LegalRequestForm {
            legal_kind: "lawsuit".into(),
            legal_subject: "x".repeat(151),
            legal_description: " ".into(),
            legal_counterparty: String::new(),
            legal_amount: "-5".into(),
            legal_deadline: "2026-11-19".into(),
            legal_activity: "abc".into(),
        };
        let e = f.parse(3, TODAY).unwrap_err();
        assert_eq!(e.get("legal_kind"), Some("legal-kind"));
        assert_eq!(e.get("legal_subject"), Some("too-long"));
        assert_eq!(e.get("legal_description"), Some("required"));
        assert_eq!(e.get("legal_amount"), Some("legal-amount"));
        assert_eq!(e.get("legal_deadline"), Some("legal-deadline-past"));
        assert_eq!(e.get("legal_activity"), Some("format"));
        let mut f = form("question");
        f.legal_deadline = "1/12/2026".into();
        assert_eq!(
            f.parse(3, TODAY).unwrap_err().get("legal_deadline"),
            Some("date")
        );
    }

    #[test]
    fn a_request_is_triaged_before_it_is_answered_and_reopened_only_after_an_answer() {
        use LegalEvent as E;
        use LegalStatus as S;
        assert_eq!(S::Submitted.apply(E::Triage), Ok(S::Triaged));
        assert!(S::Submitted.apply(E::Answer).is_err());
        assert_eq!(S::Triaged.apply(E::Answer), Ok(S::Answered));
        assert!(S::Answered.apply(E::Answer).is_err());
        assert_eq!(S::Answered.apply(E::Close), Ok(S::Closed));
        assert_eq!(S::Answered.apply(E::Reopen), Ok(S::Reopened));
        assert_eq!(S::Closed.apply(E::Reopen), Ok(S::Reopened));
        assert_eq!(S::Reopened.apply(E::Answer), Ok(S::Answered));
        for s in [S::Submitted, S::Triaged, S::Reopened] {
            assert!(s.apply(E::Reopen).is_err(), "{s:?}");
        }
        for e in [E::Triage, E::Answer, E::Close] {
            assert!(S::Closed.apply(e).is_err(), "{e:?}");
        }
        assert!(!S::Closed.takes_messages());
        assert!(S::Answered.takes_messages());
    }

    #[test]
    fn a_request_is_reopened_within_thirty_days_only() {
        let answered = date(2026, 10, 1);
        assert!(may_reopen(
            LegalStatus::Answered,
            answered,
            date(2026, 10, 31)
        ));
        assert!(!may_reopen(
            LegalStatus::Answered,
            answered,
            date(2026, 11, 1)
        ));
        assert!(may_reopen(LegalStatus::Closed, answered, answered));
        assert!(!may_reopen(LegalStatus::Triaged, answered, answered));
        assert!(!may_reopen(
            LegalStatus::Closed,
            answered,
            date(2026, 9, 30)
        ));
    }

    #[test]
    fn the_median_rounds_half_up_and_needs_data() {
        assert_eq!(median_days(vec![]), None);
        assert_eq!(median_days(vec![9, 1, 4]), Some(4));
        assert_eq!(median_days(vec![1, 4, 9, 2]), Some(3));
        assert_eq!(median_days(vec![2, 3]), Some(3));
        assert_eq!(median_days(vec![5]), Some(5));
    }

    #[test]
    fn codes_round_trip_and_messages_triage_and_outcomes_are_checked() {
        for k in LegalKind::ALL {
            assert_eq!(LegalKind::parse(k.code()), Some(k));
        }
        for s in LegalStatus::ALL {
            assert_eq!(LegalStatus::parse(s.code()), Some(s));
        }
        for o in LegalOutcome::ALL {
            assert_eq!(LegalOutcome::parse(o.code()), Some(o));
        }
        assert_eq!(
            parse_message("  ").unwrap_err().get("legal_body"),
            Some("required")
        );
        assert_eq!(
            parse_message(&"x".repeat(5_001))
                .unwrap_err()
                .get("legal_body"),
            Some("too-long")
        );
        assert_eq!(
            parse_message(" Bonjour,\nvoici. ").unwrap(),
            "Bonjour,\nvoici."
        );
        assert_eq!(
            parse_triage("urgent", "4").unwrap(),
            (LegalPriority::Urgent, 4)
        );
        let e = parse_triage("asap", "").unwrap_err();
        assert_eq!(e.get("legal_priority"), Some("legal-priority"));
        assert_eq!(e.get("legal_assignee"), Some("legal-assignee"));
        assert_eq!(parse_outcome("settled").unwrap(), LegalOutcome::Settled);
        assert!(parse_outcome("won").is_err());
    }
}
