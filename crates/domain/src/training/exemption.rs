//! The art. 44 VAT-exemption checklist of a training (reference/invoicing.md §7).
//!
//! Art. 44 §2, 4° a) VAT Code (as amended from 1 January 2014) exempts school or university
//! education and vocational training or retraining, with the goods and services closely
//! linked to them, when provided by bodies governed by public law or by other organisations
//! with comparable aims, which do not systematically seek profit, distribute no profit and
//! use any profit to keep up or improve the education provided. "Vocational training" is
//! teaching aimed directly at a trade or profession, including further training, retraining
//! and permanent education. Each condition is one box of the checklist, ticked by the trainer
//! with who and when; staff validate the whole. Only then is the training **exempt**: quoted
//! and invoiced by the training entity in category E with the exemption text. Whether the
//! cooperative's training entity meets the non-profit test is a legal question the checklist
//! records but does not settle (invoicing.md §7, open).

/// The conditions, in the order of the law's text. Stable codes: stored, translated as
/// `trn-criterion-<code>`, never rename one.
pub const CRITERIA: [&str; 6] = [
    // "vocational training or retraining": aimed directly at a trade or a profession.
    "vocational-training",
    // Not a leisure or hobby course (those are taxed at 21 %).
    "not-leisure",
    // Provided by the training entity, a body with comparable aims to a public one.
    "provider-comparable-aims",
    // That body does not systematically seek profit.
    "provider-non-profit",
    // Any profit is not distributed but kept for the education provided.
    "profit-not-distributed",
    // Only goods and services closely linked to the training (course material, meals,
    // lodging) are invoiced with it.
    "closely-linked-only",
];

pub fn is_criterion(code: &str) -> bool {
    CRITERIA.contains(&code)
}

/// The stable `&'static str` of a stored criterion code.
pub fn criterion(code: &str) -> Option<&'static str> {
    CRITERIA.into_iter().find(|c| *c == code.trim())
}

/// Exempt: every condition ticked, and staff validated the checklist.
pub fn is_exempt(ticked: &[&str], validated: bool) -> bool {
    validated && all_ticked(ticked)
}

/// Whether every condition is ticked (staff may validate only then).
pub fn all_ticked(ticked: &[&str]) -> bool {
    CRITERIA.iter().all(|c| ticked.contains(c))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_training_is_exempt_only_with_every_box_ticked_and_staff_validation() {
        assert!(!is_exempt(&CRITERIA, false));
        assert!(is_exempt(&CRITERIA, true));
        let missing: Vec<&str> = CRITERIA.iter().copied().skip(1).collect();
        assert!(!all_ticked(&missing));
        assert!(!is_exempt(&missing, true));
    }

    #[test]
    fn criteria_are_known_by_their_codes() {
        assert_eq!(criterion("not-leisure"), Some("not-leisure"));
        assert!(!is_criterion("cheap"));
    }
}
