//! Matching bank movements to invoices (payments.md §4): the references a movement carries,
//! the ranking of open invoices for a person to choose from, and how one payment is spread
//! over several invoices.

use jiff::civil::Date;
use serde::Serialize;

use crate::ident::Ogm;
use crate::invoicing::numbering::DocumentNumber;

/// The most references read from one text: a payment naming more invoices waits for a
/// person.
pub const MAX_REFERENCES: usize = 20;

/// The most suggestions shown for one movement.
pub const MAX_SUGGESTIONS: usize = 5;

/// Days around an invoice's due date in which a payment is "on time" for the ranking.
pub const DATE_WINDOW_DAYS: i64 = 60;

/// Structured communications written in a free text (payments.md §4.3): `+++123/4567/89012+++`
/// (or with `*`, spaces, without slashes), and any run of twelve digits, however grouped by
/// spaces, slashes, dots or dashes, whose mod-97 check holds. In order, without repeats.
pub fn ogms_in_text(text: &str) -> Vec<Ogm> {
    let mut found: Vec<Ogm> = Vec::new();
    // A segment is a stretch of digits and separators; its groups are its digit runs. A
    // reference is a sequence of consecutive groups of twelve digits in all.
    let is_separator = |c: char| matches!(c, '+' | '*' | '/' | ' ' | '.' | '-');
    for segment in text.split(|c: char| !(c.is_ascii_digit() || is_separator(c))) {
        let groups: Vec<&str> = segment
            .split(is_separator)
            .filter(|g| !g.is_empty())
            .collect();
        for start in 0..groups.len() {
            let mut digits = String::new();
            for group in &groups[start..] {
                digits.push_str(group);
                if digits.len() >= 12 {
                    break;
                }
            }
            if digits.len() == 12
                && let Ok(ogm) = Ogm::parse(&digits)
                && !found.contains(&ogm)
                && found.len() < MAX_REFERENCES
            {
                found.push(ogm);
            }
        }
    }
    found
}

/// Invoice numbers (`F2026-00042`) written in a free text, case-insensitive, in order,
/// without repeats.
pub fn document_numbers_in_text(text: &str) -> Vec<DocumentNumber> {
    let mut found = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let word = word.trim_matches('-').to_ascii_uppercase();
        if let Ok(number) = DocumentNumber::parse(&word)
            && !found.contains(&number)
            && found.len() < MAX_REFERENCES
        {
            found.push(number);
        }
    }
    found
}

/// What is known of a movement for ranking.
#[derive(Debug, Clone)]
pub struct MovementFacts<'a> {
    pub amount_cents: i64,
    pub booked_on: Date,
    pub text: &'a str,
    pub counterparty_name: Option<&'a str>,
    /// Clients whose invoices this payer's IBAN paid before.
    pub clients_of_iban: &'a [i64],
}

/// An open invoice that may be the one paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub invoice_id: i64,
    pub number: String,
    pub ogm: Option<String>,
    pub client_id: i64,
    pub client_name: String,
    pub due_cents: i64,
    pub due_date: Option<Date>,
}

/// Why a candidate ranks where it does; the page shows these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The invoice's number is in the communication.
    NumberInText,
    /// The invoice's structured communication is in the free text.
    OgmInText,
    /// The amount is exactly what is still due.
    ExactAmount,
    /// The payer's account paid this client's invoices before.
    KnownPayer,
    /// The payer's name shares words with the client's.
    SimilarName,
    /// Booked within [`DATE_WINDOW_DAYS`] of the due date.
    NearDueDate,
}

impl Reason {
    /// Stable code, used as a translation-key suffix.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NumberInText => "number-in-text",
            Reason::OgmInText => "ogm-in-text",
            Reason::ExactAmount => "exact-amount",
            Reason::KnownPayer => "known-payer",
            Reason::SimilarName => "similar-name",
            Reason::NearDueDate => "near-due-date",
        }
    }

    /// The weight of each reason: a reference in the text outweighs every circumstance.
    fn weight(self) -> u32 {
        match self {
            Reason::NumberInText | Reason::OgmInText => 100,
            Reason::ExactAmount => 40,
            Reason::KnownPayer => 30,
            Reason::SimilarName => 20,
            Reason::NearDueDate => 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub candidate: Candidate,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// Lower-case words of three letters or more, accents kept (names compare as written).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// The open invoices a movement most likely pays, best first, at most [`MAX_SUGGESTIONS`];
/// candidates with no reason at all are left out. Ties go to the oldest due date.
pub fn rank(movement: &MovementFacts<'_>, candidates: &[Candidate]) -> Vec<Suggestion> {
    let text_upper = movement.text.to_ascii_uppercase();
    let ogms = ogms_in_text(movement.text);
    let payer_words = movement.counterparty_name.map(words).unwrap_or_default();
    let mut out: Vec<Suggestion> = candidates
        .iter()
        .filter_map(|c| {
            let mut reasons = Vec::new();
            if !c.number.is_empty() && text_upper.contains(&c.number.to_ascii_uppercase()) {
                reasons.push(Reason::NumberInText);
            }
            if c.ogm
                .as_deref()
                .is_some_and(|o| ogms.iter().any(|f| f.as_str() == o))
            {
                reasons.push(Reason::OgmInText);
            }
            if c.due_cents > 0 && c.due_cents == movement.amount_cents {
                reasons.push(Reason::ExactAmount);
            }
            if movement.clients_of_iban.contains(&c.client_id) {
                reasons.push(Reason::KnownPayer);
            }
            let client_words = words(&c.client_name);
            if payer_words.iter().any(|w| client_words.contains(w)) {
                reasons.push(Reason::SimilarName);
            }
            if let Some(due) = c.due_date {
                let days = i64::from((movement.booked_on - due).get_days()).abs();
                if days <= DATE_WINDOW_DAYS {
                    reasons.push(Reason::NearDueDate);
                }
            }
            if reasons.is_empty() {
                return None;
            }
            let score = reasons.iter().map(|r| r.weight()).sum();
            Some(Suggestion {
                candidate: c.clone(),
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.candidate.due_date.cmp(&b.candidate.due_date))
            .then(a.candidate.invoice_id.cmp(&b.candidate.invoice_id))
    });
    out.truncate(MAX_SUGGESTIONS);
    out
}

/// How one payment of `amount_cents` is spread over the invoices it names, in the order
/// given (oldest first is the caller's order): each takes what it still owes until the
/// money runs out; what is left over is an over-payment of the last one (it goes to
/// suspense). Every share is positive; the shares add up to the amount.
pub fn allocate(amount_cents: i64, dues: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut left = amount_cents;
    let mut shares: Vec<(i64, i64)> = Vec::with_capacity(dues.len());
    for &(id, due) in dues {
        if left <= 0 {
            break;
        }
        let share = left.min(due.max(0));
        if share > 0 {
            shares.push((id, share));
            left -= share;
        }
    }
    if left > 0 {
        match shares.last_mut() {
            Some(last) => last.1 += left,
            None => {
                if let Some(&(id, _)) = dues.first() {
                    shares.push((id, left));
                }
            }
        }
    }
    shares
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn an_ogm_is_found_with_pluses_stars_slashes_or_as_a_bare_run() {
        let ogm = "090933755493";
        for text in [
            "+++090/9337/55493+++",
            "***090/9337/55493***",
            "betaling 090 9337 55493 dank u",
            "ref 090933755493",
            "+++ 090 / 9337 / 55493 +++",
            "facture 2026 : 090/9337/55493",
        ] {
            let found = ogms_in_text(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].as_str(), ogm, "{text}");
        }
    }

    #[test]
    fn twelve_digits_whose_check_fails_are_not_an_ogm() {
        // php-coda-parser sample 1 carries 112455446812: its check digits are wrong.
        assert!(ogms_in_text("+++112/4554/46812+++").is_empty());
        assert!(ogms_in_text("IBAN BE68539007547034").is_empty());
    }

    #[test]
    fn invoice_numbers_are_read_whatever_their_case() {
        let found = document_numbers_in_text("Facture f2026-00042 et F2026-00043, merci");
        let printed: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(printed, ["F2026-00042", "F2026-00043"]);
        assert!(document_numbers_in_text("2026-00042").is_empty());
    }

    fn candidate(id: i64, number: &str, due: i64, client: i64, name: &str) -> Candidate {
        Candidate {
            invoice_id: id,
            number: number.into(),
            ogm: None,
            client_id: client,
            client_name: name.into(),
            due_cents: due,
            due_date: Some(date(2026, 3, 1)),
        }
    }

    #[test]
    fn the_invoice_named_in_the_text_ranks_first_then_the_exact_amount() {
        let candidates = [
            candidate(1, "F2026-00001", 50_000, 7, "Atelier Dupont"),
            candidate(2, "F2026-00002", 12_100, 8, "Brasserie Leroy"),
            candidate(3, "F2026-00003", 9900, 9, "Café Central"),
        ];
        let facts = MovementFacts {
            amount_cents: 12_100,
            booked_on: date(2026, 3, 10),
            text: "paiement facture F2026-00001",
            counterparty_name: Some("LEROY BRASSERIE SRL"),
            clients_of_iban: &[],
        };
        let ranked = rank(&facts, &candidates);
        assert_eq!(ranked[0].candidate.invoice_id, 1);
        assert!(ranked[0].reasons.contains(&Reason::NumberInText));
        assert_eq!(ranked[1].candidate.invoice_id, 2);
        assert!(ranked[1].reasons.contains(&Reason::ExactAmount));
        assert!(ranked[1].reasons.contains(&Reason::SimilarName));
    }

    #[test]
    fn a_known_payer_outranks_a_stranger_with_the_same_amount() {
        let candidates = [
            candidate(1, "F2026-00001", 20_000, 7, "A"),
            candidate(2, "F2026-00002", 20_000, 8, "B"),
        ];
        let facts = MovementFacts {
            amount_cents: 20_000,
            booked_on: date(2026, 9, 1),
            text: "",
            counterparty_name: None,
            clients_of_iban: &[8],
        };
        let ranked = rank(&facts, &candidates);
        assert_eq!(ranked[0].candidate.invoice_id, 2);
        assert_eq!(ranked.len(), 2);
    }

    #[test]
    fn candidates_without_any_reason_are_left_out() {
        let candidates = [candidate(1, "F2026-00001", 1000, 7, "Zeta")];
        let facts = MovementFacts {
            amount_cents: 99_900,
            booked_on: date(2027, 1, 1),
            text: "",
            counterparty_name: Some("Alpha"),
            clients_of_iban: &[],
        };
        assert!(rank(&facts, &candidates).is_empty());
    }

    #[test]
    fn one_payment_for_several_invoices_fills_them_in_order() {
        assert_eq!(allocate(300, &[(1, 100), (2, 200)]), [(1, 100), (2, 200)]);
        // Short: the last one is paid in part.
        assert_eq!(allocate(250, &[(1, 100), (2, 200)]), [(1, 100), (2, 150)]);
        // Over: the excess rides on the last share (to suspense).
        assert_eq!(allocate(320, &[(1, 100), (2, 200)]), [(1, 100), (2, 220)]);
        // Nothing due any more: the whole amount is an over-payment of the first.
        assert_eq!(allocate(50, &[(1, 0)]), [(1, 50)]);
    }

    proptest::proptest! {
        #[test]
        fn shares_add_up_to_the_amount(amount in 1i64..1_000_000, dues in proptest::collection::vec(0i64..500_000, 1..6)) {
            let dues: Vec<(i64, i64)> = dues.into_iter().enumerate().map(|(i, d)| (i as i64, d)).collect();
            let shares = allocate(amount, &dues);
            proptest::prop_assert_eq!(shares.iter().map(|s| s.1).sum::<i64>(), amount);
            proptest::prop_assert!(shares.iter().all(|s| s.1 > 0));
        }

        #[test]
        fn reading_references_never_panics(text in ".{0,300}") {
            let _ = ogms_in_text(&text);
            let _ = document_numbers_in_text(&text);
        }
    }
}
