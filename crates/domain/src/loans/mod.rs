//! 0 % member loans (C8; reference/employment.md §6): the application, the advisor's
//! opinion, the committee's decision (four eyes), disbursement, the schedule, repayments,
//! arrears, rescheduling and write-off. The model follows Apache Fineract's concepts
//! (product limits, maker-checker approval, delinquency buckets) without its interest
//! machinery: the rate is always 0 and there is no fee.
//!
//! A loan's outstanding principal is the balance of its ledger account
//! `loan:<id>:receivable` (DESIGN.md §3); the instalments only say what is due when.

pub mod delinquency;
pub mod params;
pub mod schedule;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::ident::{IdentError, Ogm};
use crate::validate::FieldErrors;

pub use params::{LoanParams, LoanParamsError, loan_params_on};

pub const MAX_JUSTIFICATION_CHARS: usize = 10_000;
pub const MAX_TEXT_CHARS: usize = 2_000;
pub const MAX_NAME_CHARS: usize = 140;

/// What the loan is for (the list; "other" is another quantified need).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoanPurpose {
    Equipment,
    Goods,
    Training,
    CashAdvance,
    Other,
}

impl LoanPurpose {
    pub const ALL: [LoanPurpose; 5] = [
        LoanPurpose::Equipment,
        LoanPurpose::Goods,
        LoanPurpose::Training,
        LoanPurpose::CashAdvance,
        LoanPurpose::Other,
    ];

    /// Stored in `loans.purpose`: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            LoanPurpose::Equipment => "equipment",
            LoanPurpose::Goods => "goods",
            LoanPurpose::Training => "training",
            LoanPurpose::CashAdvance => "cash-advance",
            LoanPurpose::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<LoanPurpose> {
        LoanPurpose::ALL.into_iter().find(|p| p.code() == s.trim())
    }
}

/// Where a loan stands. Rescheduling keeps a loan `Active` with a new schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoanStatus {
    /// Applied for; waiting for the advisor's opinion.
    Submitted,
    /// The advisor gave an opinion; waiting for the committee.
    Reviewed,
    Approved,
    Refused,
    /// Disbursed and being repaid.
    Active,
    /// Repaid in full (on schedule or early).
    Closed,
    WrittenOff,
}

impl LoanStatus {
    pub const ALL: [LoanStatus; 7] = [
        LoanStatus::Submitted,
        LoanStatus::Reviewed,
        LoanStatus::Approved,
        LoanStatus::Refused,
        LoanStatus::Active,
        LoanStatus::Closed,
        LoanStatus::WrittenOff,
    ];

    /// Stored in `loans.status`: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            LoanStatus::Submitted => "submitted",
            LoanStatus::Reviewed => "reviewed",
            LoanStatus::Approved => "approved",
            LoanStatus::Refused => "refused",
            LoanStatus::Active => "active",
            LoanStatus::Closed => "closed",
            LoanStatus::WrittenOff => "written-off",
        }
    }

    pub fn parse(s: &str) -> Option<LoanStatus> {
        LoanStatus::ALL.into_iter().find(|p| p.code() == s.trim())
    }

    /// An application still open: it counts against `max_open_applications`.
    pub fn is_open_application(self) -> bool {
        matches!(
            self,
            LoanStatus::Submitted | LoanStatus::Reviewed | LoanStatus::Approved
        )
    }

    pub fn transition(self, event: LoanEvent) -> Result<LoanStatus, LoanError> {
        use LoanEvent as E;
        use LoanStatus as S;
        match (self, event) {
            (S::Submitted, E::Opinion) => Ok(S::Reviewed),
            // The committee decides on the advisor's opinion, never without it.
            (S::Reviewed, E::Approve) => Ok(S::Approved),
            (S::Reviewed, E::Refuse) => Ok(S::Refused),
            (S::Approved, E::Disburse) => Ok(S::Active),
            (S::Active, E::Reschedule) => Ok(S::Active),
            (S::Active, E::RepaidInFull) => Ok(S::Closed),
            (S::Active, E::WriteOff) => Ok(S::WrittenOff),
            _ => Err(LoanError::Transition { from: self, event }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LoanEvent {
    Opinion,
    Approve,
    Refuse,
    Disburse,
    Reschedule,
    RepaidInFull,
    WriteOff,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoanError {
    #[error("a {from:?} loan cannot take {event:?}")]
    Transition { from: LoanStatus, event: LoanEvent },
}

/// Four eyes (Fineract's maker-checker, FINERACT-1977): the committee member who decides
/// is neither the applicant nor the advisor who gave the opinion. Account ids.
pub fn four_eyes_ok(decider: i64, applicant: Option<i64>, opinion_by: Option<i64>) -> bool {
    applicant != Some(decider) && opinion_by != Some(decider)
}

/// A loan's structured communication, for repayments by transfer. Invoice communications
/// have a base of at least 1 000 000 000 (year × 10⁶ + sequence, [`Ogm::for_invoice`]);
/// loans take the bases 0 800 000 000 + id, below that range, so the two never meet.
pub fn loan_ogm(loan_id: i64) -> Result<Ogm, IdentError> {
    let id = u64::try_from(loan_id).map_err(|_| IdentError::Format)?;
    if id == 0 || id >= 200_000_000 {
        return Err(IdentError::Format);
    }
    Ogm::from_base(800_000_000 + id)
}

/// An application, parsed and checked against the product in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewLoanApplication {
    pub activity_id: i64,
    pub purpose: LoanPurpose,
    pub principal_cents: i64,
    pub instalments: u32,
    pub justification: String,
    /// Codes of the criteria the member ticked (all known to the product).
    pub criteria: Vec<String>,
    pub params_version: String,
}

/// The application form as typed (`criteria` are the ticked checkboxes, read apart).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplicationForm {
    #[serde(default)]
    pub loan_activity: String,
    #[serde(default)]
    pub loan_purpose: String,
    #[serde(default)]
    pub loan_amount: String,
    #[serde(default)]
    pub loan_instalments: String,
    #[serde(default)]
    pub loan_justification: String,
}

impl ApplicationForm {
    /// Parses the form against the product `p` (C8: a loan above the maximum, or over more
    /// instalments than allowed, is refused with the field named).
    pub fn parse(
        &self,
        criteria: &[String],
        p: &LoanParams,
    ) -> Result<NewLoanApplication, FieldErrors> {
        let mut e = FieldErrors::new();
        let activity_id = parse_id(&mut e, "loan_activity", &self.loan_activity);
        let purpose = LoanPurpose::parse(&self.loan_purpose);
        if purpose.is_none() {
            e.add("loan_purpose", "loan-choice");
        }
        let principal_cents = parse_amount(&mut e, "loan_amount", &self.loan_amount);
        if principal_cents > p.principal_max_cents {
            e.add("loan_amount", "loan-above-max");
        } else if principal_cents > 0 && principal_cents < p.principal_min_cents {
            e.add("loan_amount", "loan-below-min");
        }
        let instalments = parse_count(&mut e, "loan_instalments", &self.loan_instalments);
        if instalments > 0 && !(p.instalments_min..=p.instalments_max).contains(&instalments) {
            e.add("loan_instalments", "loan-instalments-range");
        }
        let justification = e.required(
            "loan_justification",
            &self.loan_justification,
            MAX_JUSTIFICATION_CHARS,
        );
        let mut ticked: Vec<String> = Vec::new();
        for c in criteria {
            let c = c.trim();
            if !p.criteria.iter().any(|k| k == c) {
                e.add("loan_criteria", "loan-choice");
            } else if !ticked.iter().any(|t| t == c) {
                ticked.push(c.to_string());
            }
        }
        e.into_result(|| NewLoanApplication {
            activity_id: activity_id.unwrap_or_default(),
            purpose: purpose.unwrap_or(LoanPurpose::Other),
            principal_cents,
            instalments,
            justification,
            criteria: ticked,
            params_version: p.version(),
        })
    }
}

/// The advisor's opinion on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opinion {
    pub favourable: bool,
    pub text: String,
    /// The criteria the advisor confirmed.
    pub criteria_confirmed: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpinionForm {
    /// `favourable` or `unfavourable`.
    #[serde(default)]
    pub loan_opinion_kind: String,
    #[serde(default)]
    pub loan_opinion: String,
}

impl OpinionForm {
    pub fn parse(&self, confirmed: &[String], p: &LoanParams) -> Result<Opinion, FieldErrors> {
        let mut e = FieldErrors::new();
        let favourable = match self.loan_opinion_kind.trim() {
            "favourable" => Some(true),
            "unfavourable" => Some(false),
            _ => {
                e.add("loan_opinion_kind", "loan-choice");
                None
            }
        };
        let text = e.required("loan_opinion", &self.loan_opinion, MAX_TEXT_CHARS);
        let mut criteria_confirmed: Vec<String> = Vec::new();
        for c in confirmed {
            if !p.criteria.iter().any(|k| k == c.trim()) {
                e.add("loan_criteria_ok", "loan-choice");
            } else if !criteria_confirmed.iter().any(|t| t == c.trim()) {
                criteria_confirmed.push(c.trim().to_string());
            }
        }
        e.into_result(|| Opinion {
            favourable: favourable.unwrap_or(false),
            text,
            criteria_confirmed,
        })
    }
}

/// The committee's decision: approve (with conditions) or refuse (with a reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Decision {
    Approve { conditions: Option<String> },
    Refuse { reason: String },
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    /// `approve` or `refuse`.
    #[serde(default)]
    pub loan_decision: String,
    #[serde(default)]
    pub loan_conditions: String,
    #[serde(default)]
    pub loan_reason: String,
}

impl DecisionForm {
    pub fn parse(&self) -> Result<Decision, FieldErrors> {
        let mut e = FieldErrors::new();
        let decision = match self.loan_decision.trim() {
            "approve" => Decision::Approve {
                conditions: e.optional("loan_conditions", &self.loan_conditions, MAX_TEXT_CHARS),
            },
            "refuse" => Decision::Refuse {
                reason: e.required("loan_reason", &self.loan_reason, MAX_TEXT_CHARS),
            },
            _ => {
                e.add("loan_decision", "loan-choice");
                Decision::Refuse {
                    reason: String::new(),
                }
            }
        };
        e.into_result(|| decision)
    }
}

/// Where the money goes at disbursement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DisburseTo {
    /// The activity's budget (Dr loan receivable / Cr activity budget).
    Budget,
    /// A supplier paid directly from the entity's bank (Dr loan receivable / Cr bank).
    Supplier { name: String, iban: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disbursement {
    pub to: DisburseTo,
    pub disbursed_on: Date,
    pub first_due_on: Date,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DisbursementForm {
    /// `budget` or `supplier`.
    #[serde(default)]
    pub loan_disburse_to: String,
    #[serde(default)]
    pub loan_supplier_name: String,
    #[serde(default)]
    pub loan_supplier_iban: String,
    #[serde(default)]
    pub loan_disbursed_on: String,
    #[serde(default)]
    pub loan_first_due_on: String,
}

impl DisbursementForm {
    pub fn parse(&self) -> Result<Disbursement, FieldErrors> {
        let mut e = FieldErrors::new();
        let to = match self.loan_disburse_to.trim() {
            "budget" => DisburseTo::Budget,
            "supplier" => {
                let name = e.required(
                    "loan_supplier_name",
                    &self.loan_supplier_name,
                    MAX_NAME_CHARS,
                );
                let iban = e
                    .ident("loan_supplier_iban", &self.loan_supplier_iban, |s| {
                        crate::ident::Iban::parse(s)
                    })
                    .map(|i| i.as_str().to_string())
                    .unwrap_or_default();
                DisburseTo::Supplier { name, iban }
            }
            _ => {
                e.add("loan_disburse_to", "loan-choice");
                DisburseTo::Budget
            }
        };
        let disbursed_on = parse_date(&mut e, "loan_disbursed_on", &self.loan_disbursed_on);
        let first_due_on = parse_date(&mut e, "loan_first_due_on", &self.loan_first_due_on);
        if let (Some(d), Some(f)) = (disbursed_on, first_due_on)
            && f <= d
        {
            e.add("loan_first_due_on", "loan-first-due-before");
        }
        e.into_result(|| Disbursement {
            to,
            disbursed_on: disbursed_on.unwrap_or_default(),
            first_due_on: first_due_on.unwrap_or_default(),
        })
    }
}

/// A repayment received by transfer, or an early repayment from the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Repayment {
    pub amount_cents: i64,
    pub on: Date,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RepaymentForm {
    #[serde(default)]
    pub loan_repay_amount: String,
    #[serde(default)]
    pub loan_repay_on: String,
}

impl RepaymentForm {
    pub fn parse(&self) -> Result<Repayment, FieldErrors> {
        let mut e = FieldErrors::new();
        let amount_cents = parse_amount(&mut e, "loan_repay_amount", &self.loan_repay_amount);
        let on = parse_date(&mut e, "loan_repay_on", &self.loan_repay_on);
        e.into_result(|| Repayment {
            amount_cents,
            on: on.unwrap_or_default(),
        })
    }
}

/// A new schedule for the outstanding principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rescheduling {
    pub instalments: u32,
    pub first_due_on: Date,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReschedulingForm {
    #[serde(default)]
    pub loan_new_instalments: String,
    #[serde(default)]
    pub loan_new_first_due_on: String,
}

impl ReschedulingForm {
    pub fn parse(&self, p: &LoanParams) -> Result<Rescheduling, FieldErrors> {
        let mut e = FieldErrors::new();
        let instalments = parse_count(&mut e, "loan_new_instalments", &self.loan_new_instalments);
        if instalments > 0 && instalments > p.instalments_max {
            e.add("loan_new_instalments", "loan-instalments-range");
        }
        let first_due_on = parse_date(&mut e, "loan_new_first_due_on", &self.loan_new_first_due_on);
        e.into_result(|| Rescheduling {
            instalments,
            first_due_on: first_due_on.unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WriteOff {
    pub reason: String,
    pub on: Date,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WriteOffForm {
    #[serde(default)]
    pub loan_writeoff_reason: String,
    #[serde(default)]
    pub loan_writeoff_on: String,
}

impl WriteOffForm {
    pub fn parse(&self) -> Result<WriteOff, FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = e.required(
            "loan_writeoff_reason",
            &self.loan_writeoff_reason,
            MAX_TEXT_CHARS,
        );
        let on = parse_date(&mut e, "loan_writeoff_on", &self.loan_writeoff_on);
        e.into_result(|| WriteOff {
            reason,
            on: on.unwrap_or_default(),
        })
    }
}

fn parse_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
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

fn parse_id(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "required");
        return None;
    }
    match v.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            e.add(field, "loan-choice");
            None
        }
    }
}

/// A positive amount in euros (`5.000,00`, `5000`), as cents; 0 after an error.
fn parse_amount(e: &mut FieldErrors, field: &'static str, value: &str) -> i64 {
    if value.trim().is_empty() {
        e.add(field, "required");
        return 0;
    }
    match parse_money(value) {
        Some(c) if c > 0 => c,
        _ => {
            e.add(field, "loan-amount");
            0
        }
    }
}

/// A positive whole number (a count of instalments); 0 after an error.
fn parse_count(e: &mut FieldErrors, field: &'static str, value: &str) -> u32 {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "required");
        return 0;
    }
    match v.parse::<u32>() {
        Ok(n) if n > 0 => n,
        _ => {
            e.add(field, "loan-count");
            0
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;

    use super::*;

    fn params() -> &'static LoanParams {
        loan_params_on(date(2026, 1, 1)).unwrap()
    }

    fn form(amount: &str, n: &str) -> ApplicationForm {
        ApplicationForm {
            loan_activity: "3".into(),
            loan_purpose: "equipment".into(),
            loan_amount: amount.into(),
            loan_instalments: n.into(),
            loan_justification: "A kiln for the workshop".into(),
        }
    }

    #[test]
    fn an_application_within_the_product_parses() {
        let criteria = vec!["quantified-need".to_string(), "quantified-need".to_string()];
        let new = form("5.000,00", "24").parse(&criteria, params()).unwrap();
        assert_eq!(new.principal_cents, 500_000);
        assert_eq!(new.instalments, 24);
        assert_eq!(new.purpose, LoanPurpose::Equipment);
        assert_eq!(new.criteria, vec!["quantified-need".to_string()]);
        assert_eq!(new.params_version, "loans-2015-01-01");
    }

    #[test]
    fn a_loan_above_the_configured_maximum_is_refused_on_the_amount() {
        let over = params().principal_max_cents + 1;
        let text = format!("{},{:02}", over / 100, over % 100);
        let e = form(&text, "24").parse(&[], params()).unwrap_err();
        assert_eq!(e.get("loan_amount"), Some("loan-above-max"));
        let e = form("1,00", "24").parse(&[], params()).unwrap_err();
        assert_eq!(e.get("loan_amount"), Some("loan-below-min"));
        let e = form("5000", "600").parse(&[], params()).unwrap_err();
        assert_eq!(e.get("loan_instalments"), Some("loan-instalments-range"));
        let e = form("abc", "x")
            .parse(&["nope".into()], params())
            .unwrap_err();
        assert_eq!(e.get("loan_amount"), Some("loan-amount"));
        assert_eq!(e.get("loan_instalments"), Some("loan-count"));
        assert_eq!(e.get("loan_criteria"), Some("loan-choice"));
    }

    #[test]
    fn the_committee_decides_only_after_the_opinion() {
        use LoanEvent as E;
        use LoanStatus as S;
        assert!(S::Submitted.transition(E::Approve).is_err());
        assert_eq!(S::Submitted.transition(E::Opinion), Ok(S::Reviewed));
        assert_eq!(S::Reviewed.transition(E::Approve), Ok(S::Approved));
        assert_eq!(S::Reviewed.transition(E::Refuse), Ok(S::Refused));
        assert_eq!(S::Approved.transition(E::Disburse), Ok(S::Active));
        assert_eq!(S::Active.transition(E::Reschedule), Ok(S::Active));
        assert_eq!(S::Active.transition(E::RepaidInFull), Ok(S::Closed));
        assert_eq!(S::Active.transition(E::WriteOff), Ok(S::WrittenOff));
        for s in [S::Refused, S::Closed, S::WrittenOff] {
            for e in [
                E::Opinion,
                E::Approve,
                E::Disburse,
                E::WriteOff,
                E::Reschedule,
            ] {
                assert!(s.transition(e).is_err(), "{s:?} {e:?}");
            }
        }
        assert!(S::Approved.transition(E::WriteOff).is_err());
        for s in LoanStatus::ALL {
            assert_eq!(LoanStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn the_decider_is_neither_the_applicant_nor_the_advisor_who_gave_the_opinion() {
        assert!(four_eyes_ok(3, Some(1), Some(2)));
        assert!(!four_eyes_ok(2, Some(1), Some(2)));
        assert!(!four_eyes_ok(1, Some(1), Some(2)));
    }

    #[test]
    fn a_loan_communication_never_meets_an_invoice_communication() {
        let ogm = loan_ogm(42).unwrap();
        assert_eq!(ogm.base(), 800_000_042);
        assert!(ogm.base() < Ogm::for_invoice(1000, 1).unwrap().base());
        assert_eq!(Ogm::parse(&ogm.to_string()).unwrap(), ogm);
        assert!(loan_ogm(0).is_err());
    }

    #[test]
    fn a_refusal_needs_a_reason_and_a_supplier_an_iban() {
        let d = DecisionForm {
            loan_decision: "refuse".into(),
            ..Default::default()
        };
        assert_eq!(d.parse().unwrap_err().get("loan_reason"), Some("required"));
        let f = DisbursementForm {
            loan_disburse_to: "supplier".into(),
            loan_supplier_name: "Kilns & Co".into(),
            loan_supplier_iban: "BE00".into(),
            loan_disbursed_on: "2026-01-10".into(),
            loan_first_due_on: "2026-01-05".into(),
        };
        let e = f.parse().unwrap_err();
        assert!(e.get("loan_supplier_iban").is_some());
        assert_eq!(e.get("loan_first_due_on"), Some("loan-first-due-before"));
    }
}
