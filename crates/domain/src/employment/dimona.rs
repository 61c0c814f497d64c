//! The DIMONA declarations of a contract (employment.md §5): what ruche hands the ONSS's
//! declaration channel, as a file per day (no live connection). A salaried contract has a
//! `DimonaIn` on the day it is signed (at the latest when the work starts); a contract with
//! an end date carries it in the IN, so no OUT is needed; a cancelled contract whose IN went
//! out gets a `DimonaCancel`. The amateur-arts allowance is outside social security: no
//! DIMONA (it is registered on the Working in the Arts platform instead).

use jiff::civil::Date;
use serde::Serialize;

use super::{ContractKind, ContractStatus};

/// The ONSS worker type (`DimonaFeatures/WorkerType`). `OTH`, the ordinary worker, is the
/// type of every contract ruche makes; employment.md §8 item 9 leaves open whether art. 1bis
/// artists are `OTH` too, which is what ruche declares until the glossary says otherwise.
pub const WORKER_TYPE_ORDINARY: &str = "OTH";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclarationKind {
    In,
    Cancel,
}

impl DeclarationKind {
    pub fn code(self) -> &'static str {
        match self {
            DeclarationKind::In => "in",
            DeclarationKind::Cancel => "cancel",
        }
    }
}

/// What a contract tells the declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFacts {
    pub contract_id: i64,
    pub kind: ContractKind,
    pub status: ContractStatus,
    /// The day it was signed, and the day it was cancelled (if it was).
    pub signed_on: Date,
    pub cancelled_on: Option<Date>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub minutes: i64,
    pub joint_committee: String,
}

/// One declaration, with the fields of `DimonaIn` / `DimonaCancel` (Dimona XSD 2023.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Declaration {
    pub kind: DeclarationKind,
    /// The day it belongs to: the file of that day carries it.
    pub declared_on: Date,
    pub contract_id: i64,
    pub starting_date: Date,
    pub ending_date: Option<Date>,
    /// Whole hours, rounded up: declared for the contracts paid by the hour.
    pub planned_hours: i64,
    pub joint_commission: String,
    pub worker_type: &'static str,
    /// Signed after the work had started: the IN is late (the advisor is told).
    pub late: bool,
}

/// The declarations of one contract, oldest first.
pub fn declarations(c: &ContractFacts) -> Vec<Declaration> {
    if !c.kind.is_salaried() {
        return Vec::new();
    }
    let base = Declaration {
        kind: DeclarationKind::In,
        declared_on: c.signed_on,
        contract_id: c.contract_id,
        starting_date: c.starts_on,
        ending_date: c.ends_on,
        planned_hours: (c.minutes + 59) / 60,
        joint_commission: c.joint_committee.clone(),
        worker_type: WORKER_TYPE_ORDINARY,
        late: c.signed_on > c.starts_on,
    };
    let mut out = vec![base.clone()];
    if let (ContractStatus::Cancelled, Some(on)) = (c.status, c.cancelled_on) {
        out.push(Declaration {
            kind: DeclarationKind::Cancel,
            declared_on: on,
            late: false,
            ..base
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use jiff::civil::date;

    fn facts(kind: ContractKind) -> ContractFacts {
        ContractFacts {
            contract_id: 9,
            kind,
            status: ContractStatus::Signed,
            signed_on: date(2026, 3, 1),
            cancelled_on: None,
            starts_on: date(2026, 3, 2),
            ends_on: Some(date(2026, 3, 4)),
            minutes: 1_350,
            joint_committee: "200".into(),
        }
    }

    #[test]
    fn a_day_contract_has_one_in_carrying_its_end() {
        let d = declarations(&facts(ContractKind::Day));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DeclarationKind::In);
        assert_eq!(d[0].declared_on, date(2026, 3, 1));
        assert_eq!(d[0].ending_date, Some(date(2026, 3, 4)));
        assert_eq!(d[0].planned_hours, 23);
        assert_eq!(d[0].worker_type, "OTH");
        assert!(!d[0].late);
    }

    #[test]
    fn a_cancelled_contract_is_cancelled_on_its_day_and_iaa_is_never_declared() {
        let mut f = facts(ContractKind::FixedTerm);
        f.status = ContractStatus::Cancelled;
        f.cancelled_on = Some(date(2026, 3, 2));
        let d = declarations(&f);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].kind, DeclarationKind::Cancel);
        assert_eq!(d[1].declared_on, date(2026, 3, 2));
        assert!(declarations(&facts(ContractKind::AmateurArts)).is_empty());
    }

    #[test]
    fn a_contract_signed_after_its_start_is_late() {
        let mut f = facts(ContractKind::Day);
        f.signed_on = date(2026, 3, 3);
        assert!(declarations(&f)[0].late);
    }
}
