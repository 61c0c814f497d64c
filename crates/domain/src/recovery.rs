//! Debt recovery after the last reminder (dunning.md §7 items 6 and 7): the member holding
//! the activity is consulted first, then the debt is handed over — formal notice, collection
//! agency, bailiff, court — and, when nothing more can be recovered, written off, the loss
//! charged to the mutual guarantee fund and not to the member (MISSION.md, C2 and C5).
//!
//! A recovery case is a state machine with explicit transitions ([`RecoveryStatus::transition`]):
//! every pair not listed is refused, and a case never goes back. Around the transitions, the
//! history of the case records follow-ups that change no state ([`FollowUp`]: a call, a
//! letter, a promise to pay, a note). Every entry of the history has a date and an author.

use std::fmt;

use jiff::civil::Date;
use serde::Serialize;

use crate::invoicing::{TransitionError, VatCategory};
use crate::ledger::{AccountCode, LedgerError, NewTransaction, Posting, TransactionKind};
use crate::validate::FieldErrors;

/// How long the member has to answer before the formal notice may go out. The member is
/// consulted before the formal notice (dunning.md §7 item 7); ten calendar days is the
/// cooperative's own rule, not the law's, so it is one documented constant.
pub const CONSULTATION_DAYS: i32 = 10;

/// The longest text of an entry of the history (a note, the reason of an objection).
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The largest document attached to an entry (a formal notice, a bailiff's writ).
pub const MAX_DOCUMENT_BYTES: usize = 1_500_000;

/// The document types an entry may carry: what letters and writs are scanned or written as.
pub const DOCUMENT_TYPES: [&str; 4] = ["application/pdf", "image/png", "image/jpeg", "text/plain"];

/// Where a recovery case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecoveryStatus {
    /// The member holding the activity is told recovery will start, and may object.
    MemberInformed,
    /// The member objected; the accountant decides to go on or to stop.
    MemberObjected,
    /// The consultation is over (no objection, the deadline passed, or the accountant went
    /// on after an objection): the formal notice may go out.
    MemberConsulted,
    FormalNotice,
    CollectionAgency,
    Bailiff,
    Court,
    /// Given up: the loss is charged to the guarantee fund.
    WrittenOff,
    /// The accountant stopped the recovery before the formal notice.
    Stopped,
    /// The invoice was paid or credited.
    Closed,
}

/// What moves a case from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecoveryEvent {
    /// The member answered: no objection.
    NoObjection,
    /// The member objected, with a reason.
    Object,
    /// [`CONSULTATION_DAYS`] passed without an answer.
    ConsultationExpired,
    /// The accountant goes on despite the objection.
    GoOn,
    /// The accountant stops the recovery.
    Stop,
    SendFormalNotice,
    HandToAgency,
    HandToBailiff,
    TakeToCourt,
    WriteOff,
    /// The invoice was paid or credited: nothing is left to recover.
    Close,
}

/// An entry of the history that changes no status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FollowUp {
    Call,
    Letter,
    /// The client promised to pay by a date.
    PromiseToPay,
    Note,
}

/// Every kind of entry of a case's history, with its stored code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EntryKind {
    /// The case is opened and the member informed.
    Opened,
    Transition(RecoveryEvent),
    FollowUp(FollowUp),
}

impl RecoveryStatus {
    pub const ALL: [RecoveryStatus; 10] = [
        RecoveryStatus::MemberInformed,
        RecoveryStatus::MemberObjected,
        RecoveryStatus::MemberConsulted,
        RecoveryStatus::FormalNotice,
        RecoveryStatus::CollectionAgency,
        RecoveryStatus::Bailiff,
        RecoveryStatus::Court,
        RecoveryStatus::WrittenOff,
        RecoveryStatus::Stopped,
        RecoveryStatus::Closed,
    ];

    /// Stable storage code: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            RecoveryStatus::MemberInformed => "member-informed",
            RecoveryStatus::MemberObjected => "member-objected",
            RecoveryStatus::MemberConsulted => "member-consulted",
            RecoveryStatus::FormalNotice => "formal-notice",
            RecoveryStatus::CollectionAgency => "collection-agency",
            RecoveryStatus::Bailiff => "bailiff",
            RecoveryStatus::Court => "court",
            RecoveryStatus::WrittenOff => "written-off",
            RecoveryStatus::Stopped => "stopped",
            RecoveryStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<RecoveryStatus> {
        RecoveryStatus::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
    }

    /// Still under way: a case that is open takes follow-ups and holds the invoice's one
    /// open case.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            RecoveryStatus::WrittenOff | RecoveryStatus::Stopped | RecoveryStatus::Closed
        )
    }

    /// The hand-over stages, in the order the debt goes through them.
    fn rank(self) -> u8 {
        match self {
            RecoveryStatus::FormalNotice => 1,
            RecoveryStatus::CollectionAgency => 2,
            RecoveryStatus::Bailiff => 3,
            RecoveryStatus::Court => 4,
            _ => 0,
        }
    }

    pub fn transition(self, event: RecoveryEvent) -> Result<RecoveryStatus, TransitionError> {
        use RecoveryEvent as E;
        use RecoveryStatus as S;
        let next = match (self, event) {
            (S::MemberInformed, E::NoObjection | E::ConsultationExpired) => {
                Some(S::MemberConsulted)
            }
            (S::MemberInformed, E::Object) => Some(S::MemberObjected),
            (S::MemberObjected, E::GoOn) => Some(S::MemberConsulted),
            // Stopping is the accountant's answer to the member, before the formal notice;
            // once the debt is handed over, the case ends by payment or write-off.
            (S::MemberInformed | S::MemberObjected | S::MemberConsulted, E::Stop) => {
                Some(S::Stopped)
            }
            // The member is consulted before the formal notice (dunning.md §7 item 7).
            (S::MemberConsulted, E::SendFormalNotice) => Some(S::FormalNotice),
            // Forward only, skipping stages where it makes sense (a formal notice may go
            // straight to court); never back.
            (s, E::HandToAgency) if (1..2).contains(&s.rank()) => Some(S::CollectionAgency),
            (s, E::HandToBailiff) if (1..3).contains(&s.rank()) => Some(S::Bailiff),
            (s, E::TakeToCourt) if (1..4).contains(&s.rank()) => Some(S::Court),
            // Written off only after the debt was formally claimed.
            (s, E::WriteOff) if s.rank() >= 1 => Some(S::WrittenOff),
            (s, E::Close) if s.is_open() => Some(S::Closed),
            _ => None,
        };
        next.ok_or(TransitionError {
            document: "recovery",
            from: self.code(),
            event: event.done(),
        })
    }

    /// Whether follow-ups (calls, letters, promises, notes) may still be added.
    pub fn takes_follow_ups(self) -> bool {
        self.is_open()
    }
}

impl fmt::Display for RecoveryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl RecoveryEvent {
    pub const ALL: [RecoveryEvent; 11] = [
        RecoveryEvent::NoObjection,
        RecoveryEvent::Object,
        RecoveryEvent::ConsultationExpired,
        RecoveryEvent::GoOn,
        RecoveryEvent::Stop,
        RecoveryEvent::SendFormalNotice,
        RecoveryEvent::HandToAgency,
        RecoveryEvent::HandToBailiff,
        RecoveryEvent::TakeToCourt,
        RecoveryEvent::WriteOff,
        RecoveryEvent::Close,
    ];

    /// The hand-over stages the accountant records with a document and a cost.
    pub const STAGES: [RecoveryEvent; 4] = [
        RecoveryEvent::SendFormalNotice,
        RecoveryEvent::HandToAgency,
        RecoveryEvent::HandToBailiff,
        RecoveryEvent::TakeToCourt,
    ];

    fn done(self) -> &'static str {
        match self {
            RecoveryEvent::NoObjection => "cleared without objection",
            RecoveryEvent::Object => "objected to",
            RecoveryEvent::ConsultationExpired => "cleared at the deadline",
            RecoveryEvent::GoOn => "continued",
            RecoveryEvent::Stop => "stopped",
            RecoveryEvent::SendFormalNotice => "given a formal notice",
            RecoveryEvent::HandToAgency => "handed to a collection agency",
            RecoveryEvent::HandToBailiff => "handed to a bailiff",
            RecoveryEvent::TakeToCourt => "taken to court",
            RecoveryEvent::WriteOff => "written off",
            RecoveryEvent::Close => "closed",
        }
    }

    /// Events only the member holding the activity records.
    pub fn is_members(self) -> bool {
        matches!(self, RecoveryEvent::NoObjection | RecoveryEvent::Object)
    }
}

impl FollowUp {
    pub const ALL: [FollowUp; 4] = [
        FollowUp::Call,
        FollowUp::Letter,
        FollowUp::PromiseToPay,
        FollowUp::Note,
    ];
}

impl EntryKind {
    pub fn all() -> Vec<EntryKind> {
        let mut all = vec![EntryKind::Opened];
        all.extend(RecoveryEvent::ALL.into_iter().map(EntryKind::Transition));
        all.extend(FollowUp::ALL.into_iter().map(EntryKind::FollowUp));
        all
    }

    /// Stable storage code: never rename one.
    pub fn code(self) -> &'static str {
        use RecoveryEvent as E;
        match self {
            EntryKind::Opened => "opened",
            EntryKind::Transition(e) => match e {
                E::NoObjection => "no-objection",
                E::Object => "objection",
                E::ConsultationExpired => "consultation-expired",
                E::GoOn => "go-on",
                E::Stop => "stop",
                E::SendFormalNotice => "formal-notice",
                E::HandToAgency => "collection-agency",
                E::HandToBailiff => "bailiff",
                E::TakeToCourt => "court",
                E::WriteOff => "write-off",
                E::Close => "close",
            },
            EntryKind::FollowUp(f) => match f {
                FollowUp::Call => "call",
                FollowUp::Letter => "letter",
                FollowUp::PromiseToPay => "promise-to-pay",
                FollowUp::Note => "note",
            },
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::all().into_iter().find(|k| k.code() == s.trim())
    }
}

/// The last day the member may answer, when informed on `informed_on`.
pub fn consultation_deadline(informed_on: Date) -> Date {
    informed_on
        .checked_add(jiff::Span::new().days(CONSULTATION_DAYS))
        .unwrap_or(informed_on)
}

/// Whether the member's time to answer is over on `today` (the day after the deadline).
pub fn consultation_expired(informed_on: Date, today: Date) -> bool {
    today > consultation_deadline(informed_on)
}

/// A document attached to an entry (a formal notice, a writ, a judgment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDocument {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One entry of the history, as the accountant or the member records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub on: Date,
    pub text: Option<String>,
    /// What the step cost (a bailiff's fee, court costs), in cents.
    pub cost_cents: Option<i64>,
    /// The day the client promised to pay by ([`FollowUp::PromiseToPay`] only).
    pub promised_on: Option<Date>,
    pub document: Option<EntryDocument>,
}

/// An entry as typed in a form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    pub kind: String,
    pub on: String,
    pub text: String,
    pub cost: String,
    pub promised_on: String,
}

impl EntryForm {
    /// Parses the form into an entry, without its document, or the errors naming each field.
    /// An objection needs its reason; a promise to pay its date; only hand-over stages and
    /// follow-ups carry a cost.
    pub fn parse(&self) -> Result<NewEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = EntryKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("entry_kind", "required");
        }
        let on = self.on.trim().parse::<Date>().ok();
        if on.is_none() {
            errors.add("entry_on", "date");
        }
        let text = errors.optional("entry_text", &self.text, MAX_TEXT_CHARS);
        if text.as_deref().is_some_and(|t| {
            t.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        }) {
            errors.add("entry_text", "format");
        }
        let cost_cents = if self.cost.trim().is_empty() {
            None
        } else {
            let cost = crate::format::parse_money(&self.cost).filter(|c| *c >= 0);
            if cost.is_none() {
                errors.add("entry_cost", "amount");
            }
            cost
        };
        let promised_on = if self.promised_on.trim().is_empty() {
            None
        } else {
            let d = self.promised_on.trim().parse::<Date>().ok();
            if d.is_none() {
                errors.add("promised_on", "date");
            }
            d
        };
        if let Some(kind) = kind {
            if kind == EntryKind::Transition(RecoveryEvent::Object) && text.is_none() {
                errors.add("entry_text", "required");
            }
            let promise = kind == EntryKind::FollowUp(FollowUp::PromiseToPay);
            if promise && promised_on.is_none() && errors.get("promised_on").is_none() {
                errors.add("promised_on", "required");
            }
            if !promise && promised_on.is_some() {
                errors.add("promised_on", "recovery-no-promise");
            }
            let costly = matches!(kind, EntryKind::FollowUp(_))
                || matches!(kind, EntryKind::Transition(e) if RecoveryEvent::STAGES.contains(&e));
            if !costly && cost_cents.is_some() {
                errors.add("entry_cost", "recovery-no-cost");
            }
        }
        let (Some(kind), Some(on)) = (kind, on) else {
            return Err(errors);
        };
        errors.into_result(|| NewEntry {
            kind,
            on,
            text,
            cost_cents,
            promised_on,
            document: None,
        })
    }
}

/// Checks an uploaded document: a name, a known type, not empty and not too large.
pub fn check_document(
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<EntryDocument, FieldErrors> {
    let name: String = filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let content_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if name.trim().is_empty() || bytes.is_empty() {
        return Err(FieldErrors::single("entry_document", "required"));
    }
    if !DOCUMENT_TYPES.contains(&content_type.as_str()) {
        return Err(FieldErrors::single(
            "entry_document",
            "recovery-document-type",
        ));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(FieldErrors::single(
            "entry_document",
            "recovery-document-size",
        ));
    }
    Ok(EntryDocument {
        filename: name,
        content_type,
        bytes: bytes.to_vec(),
    })
}

/// What a write-off posts, from the invoice's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOff<'a> {
    pub invoice_id: i64,
    pub number: &'a str,
    pub client_id: i64,
    pub activity_id: i64,
    /// What the client still owes, VAT included.
    pub due_cents: i64,
    /// The activity's net share of it (VAT excluded), as a payment of it would have moved.
    pub net_cents: i64,
    /// The invoice's VAT subtotals: category, rate and VAT amount.
    pub vat: &'a [(VatCategory, u32, i64)],
    pub on: Date,
}

/// The write-off transaction (DESIGN.md §3), balanced by construction:
///
/// | account | amount |
/// |---|---|
/// | `client:<c>:receivable` | credit: what is still due |
/// | `vat:payable:<cat>:<rate>` | debit: the VAT share of it, pro rata of the VAT subtotals |
/// | `activity:<a>:invoiced` | debit: the net share (the memo is cleared) |
/// | `activity:<a>:budget` | credit: the net share (the member is made whole) |
/// | `fund:guarantee` | debit: the net share (the fund bears the loss) |
///
/// VAT on a receivable definitively lost is recovered (VAT Code art. 77 §1 7°), so the VAT
/// share is taken back from the VAT payable. Debits: VAT + net + net = due + net = credits.
pub fn write_off_transaction(w: &WriteOff<'_>) -> Result<NewTransaction, LedgerError> {
    let vat_share = w.due_cents - w.net_cents;
    let mut postings = vec![Posting::credit(
        AccountCode::ClientReceivable(w.client_id),
        w.due_cents,
    )];
    postings.extend(vat_postings(vat_share, w.vat)?);
    if w.net_cents != 0 {
        postings.push(Posting::debit(
            AccountCode::ActivityInvoiced(w.activity_id),
            w.net_cents,
        ));
        postings.push(Posting::credit(
            AccountCode::ActivityBudget(w.activity_id),
            w.net_cents,
        ));
        postings.push(Posting::debit(AccountCode::GuaranteeFund, w.net_cents));
    }
    NewTransaction::new(
        TransactionKind::WriteOff,
        w.on,
        format!("write-off of {}", w.number),
        Some(("invoice".to_string(), w.invoice_id)),
        postings,
    )
}

/// `vat_share` spread over the subtotals that carry VAT, pro rata of their VAT; the last
/// one takes the rounding remainder, so the parts add up to the cent.
fn vat_postings(
    vat_share: i64,
    vat: &[(VatCategory, u32, i64)],
) -> Result<Vec<Posting>, LedgerError> {
    if vat_share == 0 {
        return Ok(Vec::new());
    }
    let taxed: Vec<&(VatCategory, u32, i64)> = vat.iter().filter(|(_, _, t)| *t != 0).collect();
    let total: i64 = taxed.iter().map(|(_, _, t)| *t).sum();
    if total == 0 {
        return Err(LedgerError::Unbalanced(vat_share));
    }
    let mut out = Vec::with_capacity(taxed.len());
    let mut given = 0i64;
    for (i, (category, rate_bp, tax)) in taxed.iter().enumerate() {
        let part = if i + 1 == taxed.len() {
            vat_share - given
        } else {
            let exact = i128::from(vat_share) * i128::from(*tax) / i128::from(total);
            i64::try_from(exact).unwrap_or(0)
        };
        given += part;
        if part != 0 {
            let account = AccountCode::VatPayable {
                category: *category,
                rate_bp: *rate_bp,
            };
            out.push(Posting::debit(account, part));
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use RecoveryEvent as E;
    use RecoveryStatus as S;

    fn allowed() -> Vec<(S, E, S)> {
        vec![
            (S::MemberInformed, E::NoObjection, S::MemberConsulted),
            (
                S::MemberInformed,
                E::ConsultationExpired,
                S::MemberConsulted,
            ),
            (S::MemberInformed, E::Object, S::MemberObjected),
            (S::MemberObjected, E::GoOn, S::MemberConsulted),
            (S::MemberInformed, E::Stop, S::Stopped),
            (S::MemberObjected, E::Stop, S::Stopped),
            (S::MemberConsulted, E::Stop, S::Stopped),
            (S::MemberConsulted, E::SendFormalNotice, S::FormalNotice),
            (S::FormalNotice, E::HandToAgency, S::CollectionAgency),
            (S::FormalNotice, E::HandToBailiff, S::Bailiff),
            (S::CollectionAgency, E::HandToBailiff, S::Bailiff),
            (S::FormalNotice, E::TakeToCourt, S::Court),
            (S::CollectionAgency, E::TakeToCourt, S::Court),
            (S::Bailiff, E::TakeToCourt, S::Court),
            (S::FormalNotice, E::WriteOff, S::WrittenOff),
            (S::CollectionAgency, E::WriteOff, S::WrittenOff),
            (S::Bailiff, E::WriteOff, S::WrittenOff),
            (S::Court, E::WriteOff, S::WrittenOff),
            (S::MemberInformed, E::Close, S::Closed),
            (S::MemberObjected, E::Close, S::Closed),
            (S::MemberConsulted, E::Close, S::Closed),
            (S::FormalNotice, E::Close, S::Closed),
            (S::CollectionAgency, E::Close, S::Closed),
            (S::Bailiff, E::Close, S::Closed),
            (S::Court, E::Close, S::Closed),
        ]
    }

    #[test]
    fn every_listed_transition_is_allowed() {
        for (from, event, to) in allowed() {
            assert_eq!(from.transition(event), Ok(to), "{from} {event:?}");
        }
    }

    #[test]
    fn every_transition_not_listed_is_refused() {
        let listed = allowed();
        for from in S::ALL {
            for event in E::ALL {
                let is_listed = listed.iter().any(|(f, e, _)| *f == from && *e == event);
                assert_eq!(
                    from.transition(event).is_ok(),
                    is_listed,
                    "{from} {event:?}"
                );
            }
        }
    }

    #[test]
    fn the_formal_notice_waits_for_the_member_to_be_consulted() {
        for from in [S::MemberInformed, S::MemberObjected] {
            let err = from.transition(E::SendFormalNotice).unwrap_err();
            assert_eq!(err.document, "recovery");
            assert_eq!(err.code(), "transition-refused");
        }
        assert!(S::MemberInformed.transition(E::HandToAgency).is_err());
        assert!(S::MemberConsulted.transition(E::TakeToCourt).is_err());
        assert!(S::MemberConsulted.transition(E::WriteOff).is_err());
    }

    #[test]
    fn a_case_never_goes_back() {
        assert!(S::Court.transition(E::HandToBailiff).is_err());
        assert!(S::Bailiff.transition(E::HandToAgency).is_err());
        assert!(S::CollectionAgency.transition(E::SendFormalNotice).is_err());
        assert!(S::FormalNotice.transition(E::Object).is_err());
        assert!(S::FormalNotice.transition(E::Stop).is_err());
        assert!(S::MemberConsulted.transition(E::Object).is_err());
        assert!(S::Court.transition(E::TakeToCourt).is_err());
    }

    #[test]
    fn a_written_off_stopped_or_closed_case_takes_nothing() {
        for end in [S::WrittenOff, S::Stopped, S::Closed] {
            assert!(!end.is_open());
            assert!(!end.takes_follow_ups());
            for event in E::ALL {
                assert!(end.transition(event).is_err(), "{end} {event:?}");
            }
        }
        for open in S::ALL.into_iter().filter(|s| s.is_open()) {
            assert!(open.takes_follow_ups());
            assert_eq!(open.transition(E::Close), Ok(S::Closed));
        }
    }

    #[test]
    fn codes_read_back() {
        for s in S::ALL {
            assert_eq!(S::parse(s.code()), Some(s));
        }
        let kinds = EntryKind::all();
        assert_eq!(kinds.len(), 1 + 11 + 4);
        for k in &kinds {
            assert_eq!(EntryKind::parse(k.code()), Some(*k));
        }
        let mut codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len(), "codes are unique");
        assert_eq!(S::parse("Court"), None);
    }

    #[test]
    fn the_member_has_ten_days_to_answer() {
        let informed = jiff::civil::date(2026, 3, 25);
        assert_eq!(
            consultation_deadline(informed),
            jiff::civil::date(2026, 4, 4)
        );
        assert!(!consultation_expired(
            informed,
            jiff::civil::date(2026, 4, 4)
        ));
        assert!(consultation_expired(
            informed,
            jiff::civil::date(2026, 4, 5)
        ));
    }

    fn form(kind: &str) -> EntryForm {
        EntryForm {
            kind: kind.into(),
            on: "2026-05-04".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_objection_needs_its_reason() {
        let errors = form("objection").parse().unwrap_err();
        assert_eq!(errors.get("entry_text"), Some("required"));
        let ok = EntryForm {
            text: "  The client disputes the work; I am talking to them. ".into(),
            ..form("objection")
        }
        .parse()
        .unwrap();
        assert_eq!(ok.kind, EntryKind::Transition(E::Object));
        assert_eq!(
            ok.text.as_deref(),
            Some("The client disputes the work; I am talking to them.")
        );
    }

    #[test]
    fn a_promise_to_pay_needs_its_date_and_only_it_has_one() {
        assert_eq!(
            form("promise-to-pay")
                .parse()
                .unwrap_err()
                .get("promised_on"),
            Some("required")
        );
        let promise = EntryForm {
            promised_on: "2026-05-31".into(),
            ..form("promise-to-pay")
        }
        .parse()
        .unwrap();
        assert_eq!(promise.promised_on, Some(jiff::civil::date(2026, 5, 31)));
        let note = EntryForm {
            promised_on: "2026-05-31".into(),
            ..form("note")
        };
        assert_eq!(
            note.parse().unwrap_err().get("promised_on"),
            Some("recovery-no-promise")
        );
    }

    #[test]
    fn costs_go_on_hand_overs_and_follow_ups_only() {
        let bailiff = EntryForm {
            cost: "185,50".into(),
            ..form("bailiff")
        }
        .parse()
        .unwrap();
        assert_eq!(bailiff.cost_cents, Some(18_550));
        let objection = EntryForm {
            cost: "10".into(),
            text: "no".into(),
            ..form("objection")
        };
        assert_eq!(
            objection.parse().unwrap_err().get("entry_cost"),
            Some("recovery-no-cost")
        );
        let negative = EntryForm {
            cost: "-3".into(),
            ..form("call")
        };
        assert_eq!(
            negative.parse().unwrap_err().get("entry_cost"),
            Some("amount")
        );
    }

    #[test]
    fn a_bad_kind_or_date_is_named() {
        let errors = EntryForm {
            kind: "shout".into(),
            on: "04/05/2026".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("entry_kind"), Some("required"));
        assert_eq!(errors.get("entry_on"), Some("date"));
    }

    #[test]
    fn a_document_is_checked_for_type_and_size() {
        let doc = check_document(
            "C:\\scans\\mise-en-demeure.pdf",
            "application/pdf",
            b"%PDF-1.7",
        )
        .unwrap();
        assert_eq!(doc.filename, "mise-en-demeure.pdf");
        assert_eq!(
            check_document("a.exe", "application/x-msdownload", b"MZ")
                .unwrap_err()
                .get("entry_document"),
            Some("recovery-document-type")
        );
        let big = vec![0u8; MAX_DOCUMENT_BYTES + 1];
        assert_eq!(
            check_document("a.pdf", "application/pdf", &big)
                .unwrap_err()
                .get("entry_document"),
            Some("recovery-document-size")
        );
        assert_eq!(
            check_document("a.pdf", "application/pdf", b"")
                .unwrap_err()
                .get("entry_document"),
            Some("required")
        );
    }

    fn sum(tx: &NewTransaction, account: AccountCode) -> i64 {
        tx.postings()
            .iter()
            .filter(|p| p.account == account)
            .map(|p| p.amount_cents)
            .sum()
    }

    #[test]
    fn a_write_off_charges_the_fund_makes_the_budget_whole_and_recovers_the_vat() {
        // 1.000,00 € + 21 % VAT, 210,00 € already paid: 1.000,00 € due, of which 826,45 € net.
        let vat = [(VatCategory::S, 2100, 21_000)];
        let tx = write_off_transaction(&WriteOff {
            invoice_id: 7,
            number: "F2026-00007",
            client_id: 3,
            activity_id: 5,
            due_cents: 100_000,
            net_cents: 82_645,
            vat: &vat,
            on: jiff::civil::date(2026, 9, 1),
        })
        .unwrap();
        assert_eq!(tx.kind(), TransactionKind::WriteOff);
        assert_eq!(tx.source(), Some(("invoice", 7)));
        assert_eq!(sum(&tx, AccountCode::ClientReceivable(3)), -100_000);
        let s21 = AccountCode::VatPayable {
            category: VatCategory::S,
            rate_bp: 2100,
        };
        assert_eq!(sum(&tx, s21), 17_355);
        assert_eq!(sum(&tx, AccountCode::ActivityInvoiced(5)), 82_645);
        assert_eq!(sum(&tx, AccountCode::ActivityBudget(5)), -82_645);
        assert_eq!(sum(&tx, AccountCode::GuaranteeFund), 82_645);
        // Debits and credits: gross + net on each side.
        assert_eq!(tx.amount_cents(), 100_000 + 82_645);
        assert_eq!(tx.postings().iter().map(|p| p.amount_cents).sum::<i64>(), 0);
    }

    #[test]
    fn the_vat_share_is_spread_over_the_rates_to_the_cent() {
        // 1.000,00 € at 21 % and 30,00 € at 6 %: VAT 210,00 + 1,80.
        let vat = [
            (VatCategory::S, 2100, 21_000),
            (VatCategory::S, 600, 180),
            (VatCategory::E, 0, 0),
        ];
        let tx = write_off_transaction(&WriteOff {
            invoice_id: 1,
            number: "F2026-00001",
            client_id: 1,
            activity_id: 1,
            due_cents: 50_000,
            net_cents: 41_003,
            vat: &vat,
            on: jiff::civil::date(2026, 9, 1),
        })
        .unwrap();
        let at = |rate_bp| {
            sum(
                &tx,
                AccountCode::VatPayable {
                    category: VatCategory::S,
                    rate_bp,
                },
            )
        };
        assert_eq!(at(2100) + at(600), 50_000 - 41_003);
        assert_eq!(at(2100), 8_920);
        assert_eq!(at(600), 77);
        assert_eq!(tx.postings().len(), 2 + 1 + 3);
    }

    #[test]
    fn an_exempt_invoice_writes_off_without_vat() {
        let vat = [(VatCategory::E, 0, 0)];
        let tx = write_off_transaction(&WriteOff {
            invoice_id: 1,
            number: "F2026-00002",
            client_id: 1,
            activity_id: 1,
            due_cents: 40_000,
            net_cents: 40_000,
            vat: &vat,
            on: jiff::civil::date(2026, 9, 1),
        })
        .unwrap();
        assert_eq!(tx.postings().len(), 4);
        assert_eq!(sum(&tx, AccountCode::GuaranteeFund), 40_000);
        // A VAT share with no VAT subtotal to take it from cannot balance.
        let broken = write_off_transaction(&WriteOff {
            net_cents: 30_000,
            ..WriteOff {
                invoice_id: 1,
                number: "F",
                client_id: 1,
                activity_id: 1,
                due_cents: 40_000,
                net_cents: 0,
                vat: &vat,
                on: jiff::civil::date(2026, 9, 1),
            }
        });
        assert!(broken.is_err());
    }
}
