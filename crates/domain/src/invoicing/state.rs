//! The life of a quote and of an invoice, as state machines with explicit transitions:
//! every pair not listed is refused. Only a draft can be edited; once issued, a document is
//! a legal record, corrected by a credit note, never edited or deleted (`invoicing.md` §4,
//! DESIGN.md §5).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {document} is {from} and cannot be {event}")]
pub struct TransitionError {
    /// `quote` or `invoice`.
    pub document: &'static str,
    /// The status code the document was in.
    pub from: &'static str,
    /// The past participle of the refused event: `accepted`, `issued`…
    pub event: &'static str,
}

impl TransitionError {
    /// Stable code, used as a translation-key suffix.
    pub fn code(&self) -> &'static str {
        "transition-refused"
    }
}

/// A quote (devis / offerte). Accepted is the order confirmation (bon de commande /
/// bestelbon) the client gives online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteStatus {
    Draft,
    Sent,
    Accepted,
    Declined,
    Expired,
    Invoiced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteEvent {
    Send,
    Accept,
    Decline,
    /// The validity date passed without an answer.
    Expire,
    /// The invoice for the accepted quote was issued.
    Invoice,
}

impl QuoteEvent {
    pub const ALL: [QuoteEvent; 5] = [
        QuoteEvent::Send,
        QuoteEvent::Accept,
        QuoteEvent::Decline,
        QuoteEvent::Expire,
        QuoteEvent::Invoice,
    ];

    fn done(self) -> &'static str {
        match self {
            QuoteEvent::Send => "sent",
            QuoteEvent::Accept => "accepted",
            QuoteEvent::Decline => "declined",
            QuoteEvent::Expire => "expired",
            QuoteEvent::Invoice => "invoiced",
        }
    }
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 6] = [
        QuoteStatus::Draft,
        QuoteStatus::Sent,
        QuoteStatus::Accepted,
        QuoteStatus::Declined,
        QuoteStatus::Expired,
        QuoteStatus::Invoiced,
    ];

    /// Stable storage code: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Declined => "declined",
            QuoteStatus::Expired => "expired",
            QuoteStatus::Invoiced => "invoiced",
        }
    }

    pub fn parse(s: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|q| q.code() == s.trim())
    }

    /// Only a draft may be changed: what the client saw is what the client accepts.
    pub fn is_editable(self) -> bool {
        self == QuoteStatus::Draft
    }

    pub fn transition(self, event: QuoteEvent) -> Result<QuoteStatus, TransitionError> {
        use QuoteEvent as E;
        use QuoteStatus as S;
        match (self, event) {
            (S::Draft, E::Send) => Ok(S::Sent),
            // An order is confirmed once: a second acceptance, or a decline after the
            // acceptance, is refused (the order binds both parties).
            (S::Sent, E::Accept) => Ok(S::Accepted),
            (S::Sent, E::Decline) => Ok(S::Declined),
            (S::Sent, E::Expire) => Ok(S::Expired),
            (S::Accepted, E::Invoice) => Ok(S::Invoiced),
            (from, event) => Err(TransitionError {
                document: "quote",
                from: from.code(),
                event: event.done(),
            }),
        }
    }
}

impl fmt::Display for QuoteStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An invoice, from draft to settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    Draft,
    Issued,
    PartiallyPaid,
    Paid,
    /// Credit notes cover the invoice's whole total.
    Credited,
    /// Given up as unrecoverable after the recovery procedure.
    WrittenOff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceEvent {
    /// The number is given and the document frozen.
    Issue,
    /// A payment that leaves an amount due.
    PartialPayment,
    /// The payment that settles the amount due.
    FullPayment,
    /// A credit note for part of the total.
    PartialCredit,
    /// A credit note that, with the earlier ones, covers the whole total.
    FullCredit,
    WriteOff,
}

impl InvoiceEvent {
    pub const ALL: [InvoiceEvent; 6] = [
        InvoiceEvent::Issue,
        InvoiceEvent::PartialPayment,
        InvoiceEvent::FullPayment,
        InvoiceEvent::PartialCredit,
        InvoiceEvent::FullCredit,
        InvoiceEvent::WriteOff,
    ];

    fn done(self) -> &'static str {
        match self {
            InvoiceEvent::Issue => "issued",
            InvoiceEvent::PartialPayment => "partially paid",
            InvoiceEvent::FullPayment => "paid",
            InvoiceEvent::PartialCredit => "partially credited",
            InvoiceEvent::FullCredit => "credited",
            InvoiceEvent::WriteOff => "written off",
        }
    }
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 6] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Issued,
        InvoiceStatus::PartiallyPaid,
        InvoiceStatus::Paid,
        InvoiceStatus::Credited,
        InvoiceStatus::WrittenOff,
    ];

    /// Stable storage code: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Credited => "credited",
            InvoiceStatus::WrittenOff => "written_off",
        }
    }

    pub fn parse(s: &str) -> Option<InvoiceStatus> {
        InvoiceStatus::ALL
            .into_iter()
            .find(|q| q.code() == s.trim())
    }

    /// Only a draft may be changed; an issued invoice is corrected by a credit note.
    pub fn is_editable(self) -> bool {
        self == InvoiceStatus::Draft
    }

    /// Issued and not settled: an amount is due, reminders may be sent.
    pub fn is_open(self) -> bool {
        matches!(self, InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid)
    }

    pub fn transition(self, event: InvoiceEvent) -> Result<InvoiceStatus, TransitionError> {
        use InvoiceEvent as E;
        use InvoiceStatus as S;
        match (self, event) {
            // Issuing only from a draft: the number is given once (invoicing.md §4).
            (S::Draft, E::Issue) => Ok(S::Issued),
            (S::Issued | S::PartiallyPaid, E::PartialPayment) => Ok(S::PartiallyPaid),
            (S::Issued | S::PartiallyPaid, E::FullPayment) => Ok(S::Paid),
            // A credit note corrects an issued invoice only (never a draft, which is simply
            // edited), including a paid one, whose client is then refunded.
            (s @ (S::Issued | S::PartiallyPaid | S::Paid), E::PartialCredit) => Ok(s),
            (S::Issued | S::PartiallyPaid | S::Paid, E::FullCredit) => Ok(S::Credited),
            (S::Issued | S::PartiallyPaid, E::WriteOff) => Ok(S::WrittenOff),
            (from, event) => Err(TransitionError {
                document: "invoice",
                from: from.code(),
                event: event.done(),
            }),
        }
    }
}

impl InvoiceStatus {
    /// The status after a payment is taken back (a bank return, a reversal, or a match
    /// undone by the accountant): partly paid while other payments remain, issued when none
    /// does. Only a paid or partly paid invoice has a payment to take back.
    pub fn after_payment_reversal(
        self,
        still_paid: bool,
    ) -> Result<InvoiceStatus, TransitionError> {
        match self {
            InvoiceStatus::Paid | InvoiceStatus::PartiallyPaid if still_paid => {
                Ok(InvoiceStatus::PartiallyPaid)
            }
            InvoiceStatus::Paid | InvoiceStatus::PartiallyPaid => Ok(InvoiceStatus::Issued),
            from => Err(TransitionError {
                document: "invoice",
                from: from.code(),
                event: "unpaid",
            }),
        }
    }
}

impl fmt::Display for InvoiceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn taking_a_payment_back_reopens_the_invoice() {
        use InvoiceStatus as S;
        assert_eq!(S::Paid.after_payment_reversal(false), Ok(S::Issued));
        assert_eq!(S::Paid.after_payment_reversal(true), Ok(S::PartiallyPaid));
        assert_eq!(
            S::PartiallyPaid.after_payment_reversal(false),
            Ok(S::Issued)
        );
        for s in [S::Draft, S::Issued, S::Credited, S::WrittenOff] {
            assert!(s.after_payment_reversal(false).is_err(), "{s}");
        }
    }

    #[test]
    fn a_quote_goes_from_draft_to_sent_to_accepted_to_invoiced() {
        let q = QuoteStatus::Draft;
        let q = q.transition(QuoteEvent::Send).unwrap();
        assert_eq!(q, QuoteStatus::Sent);
        let q = q.transition(QuoteEvent::Accept).unwrap();
        assert_eq!(q, QuoteStatus::Accepted);
        assert_eq!(q.transition(QuoteEvent::Invoice), Ok(QuoteStatus::Invoiced));
        assert_eq!(
            QuoteStatus::Sent.transition(QuoteEvent::Decline),
            Ok(QuoteStatus::Declined)
        );
        assert_eq!(
            QuoteStatus::Sent.transition(QuoteEvent::Expire),
            Ok(QuoteStatus::Expired)
        );
    }

    #[test]
    fn a_quote_is_accepted_only_once() {
        let err = QuoteStatus::Accepted
            .transition(QuoteEvent::Accept)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the quote is accepted and cannot be accepted"
        );
    }

    #[test]
    fn an_accepted_quote_cannot_be_declined() {
        assert!(
            QuoteStatus::Accepted
                .transition(QuoteEvent::Decline)
                .is_err()
        );
    }

    #[test]
    fn a_quote_is_accepted_only_while_it_is_sent() {
        for from in [
            QuoteStatus::Draft,
            QuoteStatus::Declined,
            QuoteStatus::Expired,
            QuoteStatus::Invoiced,
        ] {
            assert!(from.transition(QuoteEvent::Accept).is_err(), "{from}");
        }
    }

    #[test]
    fn only_an_accepted_quote_is_invoiced() {
        for from in QuoteStatus::ALL {
            let result = from.transition(QuoteEvent::Invoice);
            assert_eq!(result.is_ok(), from == QuoteStatus::Accepted, "{from}");
        }
    }

    #[test]
    fn every_quote_transition_not_listed_is_refused() {
        let allowed = 5;
        let ok = QuoteStatus::ALL
            .into_iter()
            .flat_map(|s| QuoteEvent::ALL.into_iter().map(move |e| s.transition(e)))
            .filter(Result::is_ok)
            .count();
        assert_eq!(ok, allowed);
    }

    #[test]
    fn only_a_draft_quote_is_editable() {
        for s in QuoteStatus::ALL {
            assert_eq!(s.is_editable(), s == QuoteStatus::Draft, "{s}");
        }
    }

    #[test]
    fn an_invoice_is_issued_only_from_draft() {
        assert_eq!(
            InvoiceStatus::Draft.transition(InvoiceEvent::Issue),
            Ok(InvoiceStatus::Issued)
        );
        for from in InvoiceStatus::ALL {
            if from != InvoiceStatus::Draft {
                assert!(from.transition(InvoiceEvent::Issue).is_err(), "{from}");
            }
        }
    }

    #[test]
    fn only_a_draft_invoice_is_editable() {
        for s in InvoiceStatus::ALL {
            assert_eq!(s.is_editable(), s == InvoiceStatus::Draft, "{s}");
        }
    }

    #[test]
    fn an_invoice_is_paid_in_parts_then_in_full() {
        let s = InvoiceStatus::Issued
            .transition(InvoiceEvent::PartialPayment)
            .unwrap();
        assert_eq!(s, InvoiceStatus::PartiallyPaid);
        let s = s.transition(InvoiceEvent::PartialPayment).unwrap();
        assert_eq!(
            s.transition(InvoiceEvent::FullPayment),
            Ok(InvoiceStatus::Paid)
        );
        assert!(
            InvoiceStatus::Paid
                .transition(InvoiceEvent::FullPayment)
                .is_err()
        );
    }

    #[test]
    fn a_credit_note_corrects_only_an_issued_invoice() {
        let draft = InvoiceStatus::Draft.transition(InvoiceEvent::PartialCredit);
        assert_eq!(
            draft.unwrap_err().to_string(),
            "the invoice is draft and cannot be partially credited"
        );
        assert!(
            InvoiceStatus::Draft
                .transition(InvoiceEvent::FullCredit)
                .is_err()
        );
        for from in [
            InvoiceStatus::Issued,
            InvoiceStatus::PartiallyPaid,
            InvoiceStatus::Paid,
        ] {
            assert_eq!(
                from.transition(InvoiceEvent::PartialCredit),
                Ok(from),
                "{from}"
            );
            assert_eq!(
                from.transition(InvoiceEvent::FullCredit),
                Ok(InvoiceStatus::Credited),
                "{from}"
            );
        }
        for closed in [InvoiceStatus::Credited, InvoiceStatus::WrittenOff] {
            assert!(closed.transition(InvoiceEvent::PartialCredit).is_err());
            assert!(closed.transition(InvoiceEvent::FullCredit).is_err());
        }
    }

    #[test]
    fn only_an_open_invoice_is_written_off() {
        for from in InvoiceStatus::ALL {
            let result = from.transition(InvoiceEvent::WriteOff);
            assert_eq!(result.is_ok(), from.is_open(), "{from}");
        }
    }

    #[test]
    fn a_credited_or_written_off_invoice_is_closed() {
        for closed in [InvoiceStatus::Credited, InvoiceStatus::WrittenOff] {
            for event in InvoiceEvent::ALL {
                assert!(closed.transition(event).is_err(), "{closed} {event:?}");
            }
        }
    }

    #[test]
    fn status_codes_read_back() {
        for s in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::parse(s.code()), Some(s));
        }
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::parse(s.code()), Some(s));
        }
        assert_eq!(
            InvoiceStatus::parse("partially_paid"),
            Some(InvoiceStatus::PartiallyPaid)
        );
        assert_eq!(InvoiceStatus::parse("Paid"), None);
        assert_eq!(QuoteStatus::parse("unknown"), None);
    }
}
