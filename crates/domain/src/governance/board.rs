//! The board of directors (reference/governance.md ES-6, CNC-4, CNC-5, TV-15): director
//! mandates and how each was conferred, the allowances the general assembly decided, the
//! payments made to directors, and the yearly check that every euro paid to a director
//! rests on a GA decision.
//!
//! The rule: a director's mandate is unpaid (AR 28 June 2019 art. 6 §1 4°), except for a
//! limited expense allowance or attendance fee granted by the general assembly. CSA 6:60
//! makes directors paid unless the statutes or the appointing GA say otherwise, so the
//! statutes of an accredited cooperative must override it. A CNC-accredited cooperative
//! gives its directors no share of the profit (AR 8 January 1962 art. 1, CNC-5).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::validate::FieldErrors;

/// The most text a meeting's place, agenda or minutes may hold.
pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_AGENDA_CHARS: usize = 10_000;
pub const MAX_MINUTES_CHARS: usize = 100_000;
pub const MAX_LABEL_CHARS: usize = 140;

/// A director's role on the board. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MandateRole {
    Chair,
    Director,
    Secretary,
    Treasurer,
}

impl MandateRole {
    pub const ALL: [MandateRole; 4] = [
        MandateRole::Chair,
        MandateRole::Director,
        MandateRole::Secretary,
        MandateRole::Treasurer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MandateRole::Chair => "chair",
            MandateRole::Director => "director",
            MandateRole::Secretary => "secretary",
            MandateRole::Treasurer => "treasurer",
        }
    }

    pub fn parse(s: &str) -> Option<MandateRole> {
        MandateRole::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// How a mandate was conferred (CNC-4: directors are appointed by the general assembly;
/// statutory directors are allowed; a director co-opted by the board must be confirmed by
/// the next general assembly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "id", rename_all = "snake_case")]
pub enum AppointedBy {
    /// An adopted GA resolution of kind `appointment`.
    Resolution(i64),
    /// An article of the statutes (a statutory director).
    Statutes(i64),
    /// Co-opted by the board, to be confirmed by the next general assembly.
    Cooptation,
}

impl AppointedBy {
    pub fn code(self) -> &'static str {
        match self {
            AppointedBy::Resolution(_) => "resolution",
            AppointedBy::Statutes(_) => "statutes",
            AppointedBy::Cooptation => "cooptation",
        }
    }
}

/// Why a mandate ended. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The term ran out.
    Term,
    Resignation,
    Dismissal,
    Death,
    Other,
}

impl EndReason {
    pub const ALL: [EndReason; 5] = [
        EndReason::Term,
        EndReason::Resignation,
        EndReason::Dismissal,
        EndReason::Death,
        EndReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EndReason::Term => "term",
            EndReason::Resignation => "resignation",
            EndReason::Dismissal => "dismissal",
            EndReason::Death => "death",
            EndReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<EndReason> {
        EndReason::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// What a GA may grant a director of an accredited cooperative (ES-6). The code is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceKind {
    ExpenseAllowance,
    AttendanceFee,
}

impl AllowanceKind {
    pub const ALL: [AllowanceKind; 2] = [
        AllowanceKind::AttendanceFee,
        AllowanceKind::ExpenseAllowance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AllowanceKind::ExpenseAllowance => "expense_allowance",
            AllowanceKind::AttendanceFee => "attendance_fee",
        }
    }

    pub fn parse(s: &str) -> Option<AllowanceKind> {
        AllowanceKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Whether an allowance is due per board meeting attended or once a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceBasis {
    PerMeeting,
    PerYear,
}

impl AllowanceBasis {
    pub const ALL: [AllowanceBasis; 2] = [AllowanceBasis::PerMeeting, AllowanceBasis::PerYear];

    pub fn code(self) -> &'static str {
        match self {
            AllowanceBasis::PerMeeting => "per_meeting",
            AllowanceBasis::PerYear => "per_year",
        }
    }

    pub fn parse(s: &str) -> Option<AllowanceBasis> {
        AllowanceBasis::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What a payment to a director was. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    AttendanceFee,
    ExpenseAllowance,
    /// A salary-like fee for the mandate: never allowed for an accredited cooperative (ES-6).
    FixedRemuneration,
    /// A share of the profit (tantièmes): never allowed (CNC-5).
    ProfitShare,
    Other,
}

impl PaymentKind {
    pub const ALL: [PaymentKind; 5] = [
        PaymentKind::AttendanceFee,
        PaymentKind::ExpenseAllowance,
        PaymentKind::FixedRemuneration,
        PaymentKind::ProfitShare,
        PaymentKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PaymentKind::AttendanceFee => "attendance_fee",
            PaymentKind::ExpenseAllowance => "expense_allowance",
            PaymentKind::FixedRemuneration => "fixed_remuneration",
            PaymentKind::ProfitShare => "profit_share",
            PaymentKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentKind> {
        PaymentKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// A fixed remuneration (ES-6: the mandate is unpaid) or a profit share (CNC-5) can
    /// never be covered by a GA decision.
    pub fn is_forbidden(self) -> bool {
        matches!(
            self,
            PaymentKind::FixedRemuneration | PaymentKind::ProfitShare
        )
    }
}

/// An allowance the GA decided, as the check reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allowance {
    pub resolution_id: i64,
    pub kind: AllowanceKind,
    pub amount_cents: i64,
    pub basis: AllowanceBasis,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl Allowance {
    pub fn in_force_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }

    fn overlaps(&self, from: Date, to: Date) -> bool {
        self.valid_from <= to && self.valid_to.is_none_or(|end| end >= from)
    }
}

/// A payment to a director, as the check reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub kind: PaymentKind,
    pub amount_cents: i64,
}

/// The verdict on one director's year (ES-6, CNC-5, TV-15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowanceCheck {
    pub meetings_attended: i64,
    /// Σ per-meeting allowances × meetings attended while in force + yearly allowances
    /// in force in the year.
    pub allowed_cents: i64,
    pub paid_cents: i64,
    /// What was paid beyond what the GA allowed (0 when covered).
    pub unexplained_cents: i64,
    /// The kinds paid that no GA decision can cover (fixed remuneration, profit share).
    pub forbidden_kinds: Vec<PaymentKind>,
    /// The GA resolutions the allowed amount rests on.
    pub basis_resolution_ids: Vec<i64>,
}

impl AllowanceCheck {
    pub fn passes(&self) -> bool {
        self.unexplained_cents == 0 && self.forbidden_kinds.is_empty()
    }
}

/// Checks one director's financial year `[from, to]`: `attended` are the dates of the
/// board meetings the director attended in it, `allowances` what the GA decided (for every
/// director), `payments` what the director was paid in the year.
pub fn check_director_year(
    from: Date,
    to: Date,
    attended: &[Date],
    allowances: &[Allowance],
    payments: &[Payment],
) -> AllowanceCheck {
    let attended: Vec<Date> = attended
        .iter()
        .copied()
        .filter(|d| from <= *d && *d <= to)
        .collect();
    let mut allowed = 0i64;
    let mut basis = Vec::new();
    for a in allowances {
        let due = match a.basis {
            AllowanceBasis::PerMeeting => {
                let meetings = attended.iter().filter(|d| a.in_force_on(**d)).count();
                a.amount_cents
                    .saturating_mul(i64::try_from(meetings).unwrap_or(i64::MAX))
            }
            AllowanceBasis::PerYear if a.overlaps(from, to) => a.amount_cents,
            AllowanceBasis::PerYear => 0,
        };
        if due > 0 {
            allowed = allowed.saturating_add(due);
            if !basis.contains(&a.resolution_id) {
                basis.push(a.resolution_id);
            }
        }
    }
    let paid = payments
        .iter()
        .fold(0i64, |sum, p| sum.saturating_add(p.amount_cents));
    let mut forbidden = Vec::new();
    for p in payments {
        if p.kind.is_forbidden() && !forbidden.contains(&p.kind) {
            forbidden.push(p.kind);
        }
    }
    // A forbidden payment is never covered, even when allowances would leave room for it.
    let forbidden_paid = payments
        .iter()
        .filter(|p| p.kind.is_forbidden())
        .fold(0i64, |sum, p| sum.saturating_add(p.amount_cents));
    let covered = paid - forbidden_paid;
    let unexplained = (covered - allowed).max(0).saturating_add(forbidden_paid);
    AllowanceCheck {
        meetings_attended: i64::try_from(attended.len()).unwrap_or(i64::MAX),
        allowed_cents: allowed,
        paid_cents: paid,
        unexplained_cents: unexplained,
        forbidden_kinds: forbidden,
        basis_resolution_ids: basis,
    }
}

/// Where a co-opted director stands (CNC-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "assembly_on", rename_all = "snake_case")]
pub enum CooptationStatus {
    /// Not co-opted, or confirmed by a GA.
    Confirmed,
    /// Co-opted; no general assembly was held since.
    AwaitingAssembly,
    /// A general assembly was held after the co-optation and did not confirm it: FAIL.
    Unconfirmed(Date),
}

/// The status of a mandate conferred by `appointed_by` on `starts_on`, given whether a GA
/// confirmed it and the dates of the general assemblies held (on or before `today`).
pub fn cooptation_status(
    appointed_by: AppointedBy,
    starts_on: Date,
    confirmed: bool,
    assemblies_held: &[Date],
    today: Date,
) -> CooptationStatus {
    if appointed_by != AppointedBy::Cooptation || confirmed {
        return CooptationStatus::Confirmed;
    }
    match assemblies_held
        .iter()
        .copied()
        .filter(|d| *d > starts_on && *d <= today)
        .min()
    {
        Some(next) => CooptationStatus::Unconfirmed(next),
        None => CooptationStatus::AwaitingAssembly,
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

fn optional_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        None
    } else {
        parse_date(e, field, value)
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
            e.add(field, "brd-choice");
            None
        }
    }
}

fn parse_amount(e: &mut FieldErrors, field: &'static str, value: &str) -> i64 {
    if value.trim().is_empty() {
        e.add(field, "required");
        return 0;
    }
    match parse_money(value) {
        Some(c) if c > 0 && c <= crate::ledger::MAX_AMOUNT_CENTS => c,
        Some(_) => {
            e.add(field, "brd-amount-positive");
            0
        }
        None => {
            e.add(field, "brd-amount");
            0
        }
    }
}

/// A mandate to record, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMandate {
    pub person_id: i64,
    pub role: MandateRole,
    pub starts_on: Date,
    /// The end of the term the GA set (none: until further notice).
    pub ends_on: Option<Date>,
    pub appointed_by: AppointedBy,
}

/// The form of a mandate (page and API): everything as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MandateForm {
    #[serde(default)]
    pub brd_person: String,
    #[serde(default)]
    pub brd_role: String,
    #[serde(default)]
    pub brd_starts_on: String,
    #[serde(default)]
    pub brd_ends_on: String,
    /// `resolution`, `statutes` or `cooptation`.
    #[serde(default)]
    pub brd_appointed_by: String,
    /// The resolution id (appointed by the GA).
    #[serde(default)]
    pub brd_resolution: String,
    /// The statutes article id (statutory director).
    #[serde(default)]
    pub brd_article: String,
}

impl MandateForm {
    pub fn parse(&self) -> Result<NewMandate, FieldErrors> {
        let mut e = FieldErrors::new();
        let person = parse_id(&mut e, "brd_person", &self.brd_person);
        let role = MandateRole::parse(self.brd_role.trim());
        if role.is_none() {
            e.add("brd_role", "brd-choice");
        }
        let starts_on = parse_date(&mut e, "brd_starts_on", &self.brd_starts_on);
        let ends_on = optional_date(&mut e, "brd_ends_on", &self.brd_ends_on);
        if let (Some(s), Some(t)) = (starts_on, ends_on)
            && t < s
        {
            e.add("brd_ends_on", "brd-ends-before-start");
        }
        let appointed_by = match self.brd_appointed_by.trim() {
            "resolution" => parse_id(&mut e, "brd_resolution", &self.brd_resolution)
                .map(AppointedBy::Resolution),
            "statutes" => {
                parse_id(&mut e, "brd_article", &self.brd_article).map(AppointedBy::Statutes)
            }
            "cooptation" => Some(AppointedBy::Cooptation),
            _ => {
                e.add("brd_appointed_by", "brd-choice");
                None
            }
        };
        match (person, role, starts_on, appointed_by) {
            (Some(person_id), Some(role), Some(starts_on), Some(appointed_by)) if e.is_empty() => {
                Ok(NewMandate {
                    person_id,
                    role,
                    starts_on,
                    ends_on,
                    appointed_by,
                })
            }
            _ => Err(e),
        }
    }
}

/// The end of a mandate, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MandateEndForm {
    #[serde(default)]
    pub brd_ended_on: String,
    #[serde(default)]
    pub brd_end_reason: String,
}

impl MandateEndForm {
    pub fn parse(&self) -> Result<(Date, EndReason), FieldErrors> {
        let mut e = FieldErrors::new();
        let on = parse_date(&mut e, "brd_ended_on", &self.brd_ended_on);
        let reason = EndReason::parse(self.brd_end_reason.trim());
        if reason.is_none() {
            e.add("brd_end_reason", "brd-choice");
        }
        match (on, reason) {
            (Some(on), Some(reason)) => Ok((on, reason)),
            _ => Err(e),
        }
    }
}

/// A board meeting to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMeeting {
    pub held_on: Date,
    pub place: String,
    pub agenda: String,
    pub minutes: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub brd_held_on: String,
    #[serde(default)]
    pub brd_place: String,
    #[serde(default)]
    pub brd_agenda: String,
    #[serde(default)]
    pub brd_minutes: String,
}

impl MeetingForm {
    pub fn parse(&self) -> Result<NewMeeting, FieldErrors> {
        let mut e = FieldErrors::new();
        let held_on = parse_date(&mut e, "brd_held_on", &self.brd_held_on);
        let place = e.required("brd_place", &self.brd_place, MAX_PLACE_CHARS);
        let agenda = e.required("brd_agenda", &self.brd_agenda, MAX_AGENDA_CHARS);
        let minutes = e
            .optional("brd_minutes", &self.brd_minutes, MAX_MINUTES_CHARS)
            .unwrap_or_default();
        match held_on {
            Some(held_on) if e.is_empty() => Ok(NewMeeting {
                held_on,
                place,
                agenda,
                minutes,
            }),
            _ => Err(e),
        }
    }
}

/// An allowance the GA decided, to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAllowance {
    pub resolution_id: i64,
    pub kind: AllowanceKind,
    pub amount_cents: i64,
    pub basis: AllowanceBasis,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AllowanceForm {
    #[serde(default)]
    pub brd_resolution: String,
    #[serde(default)]
    pub brd_allowance_kind: String,
    /// Euros, `50` or `1.234,56`.
    #[serde(default)]
    pub brd_amount: String,
    #[serde(default)]
    pub brd_basis: String,
    #[serde(default)]
    pub brd_valid_from: String,
    #[serde(default)]
    pub brd_valid_to: String,
}

impl AllowanceForm {
    pub fn parse(&self) -> Result<NewAllowance, FieldErrors> {
        let mut e = FieldErrors::new();
        let resolution = parse_id(&mut e, "brd_resolution", &self.brd_resolution);
        let kind = AllowanceKind::parse(self.brd_allowance_kind.trim());
        if kind.is_none() {
            e.add("brd_allowance_kind", "brd-choice");
        }
        let amount = parse_amount(&mut e, "brd_amount", &self.brd_amount);
        let basis = AllowanceBasis::parse(self.brd_basis.trim());
        if basis.is_none() {
            e.add("brd_basis", "brd-choice");
        }
        let from = parse_date(&mut e, "brd_valid_from", &self.brd_valid_from);
        let to = optional_date(&mut e, "brd_valid_to", &self.brd_valid_to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("brd_valid_to", "brd-ends-before-start");
        }
        match (resolution, kind, basis, from) {
            (Some(resolution_id), Some(kind), Some(basis), Some(valid_from)) if e.is_empty() => {
                Ok(NewAllowance {
                    resolution_id,
                    kind,
                    amount_cents: amount,
                    basis,
                    valid_from,
                    valid_to: to,
                })
            }
            _ => Err(e),
        }
    }
}

/// A payment to a director, to record. With `order_from_entity`, ruche creates the payout
/// order the treasury pays by SEPA; without, the payment was made outside ruche.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDirectorPayment {
    pub person_id: i64,
    pub paid_on: Date,
    pub amount_cents: i64,
    pub label: String,
    pub kind: PaymentKind,
    pub order_from_entity: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub brd_person: String,
    #[serde(default)]
    pub brd_paid_on: String,
    #[serde(default)]
    pub brd_amount: String,
    #[serde(default)]
    pub brd_label: String,
    #[serde(default)]
    pub brd_payment_kind: String,
    /// The paying legal entity's id; empty when the payment was made outside ruche.
    #[serde(default)]
    pub brd_entity: String,
}

impl PaymentForm {
    pub fn parse(&self) -> Result<NewDirectorPayment, FieldErrors> {
        let mut e = FieldErrors::new();
        let person = parse_id(&mut e, "brd_person", &self.brd_person);
        let paid_on = parse_date(&mut e, "brd_paid_on", &self.brd_paid_on);
        let amount = parse_amount(&mut e, "brd_amount", &self.brd_amount);
        let label = e.required("brd_label", &self.brd_label, MAX_LABEL_CHARS);
        let kind = PaymentKind::parse(self.brd_payment_kind.trim());
        if kind.is_none() {
            e.add("brd_payment_kind", "brd-choice");
        }
        let entity = if self.brd_entity.trim().is_empty() {
            None
        } else {
            parse_id(&mut e, "brd_entity", &self.brd_entity)
        };
        // ES-6, CNC-5: ruche never orders a payment no GA decision can cover.
        if let (Some(k), Some(_)) = (kind, entity)
            && k.is_forbidden()
        {
            e.add("brd_payment_kind", "brd-forbidden-payment");
        }
        match (person, paid_on, kind) {
            (Some(person_id), Some(paid_on), Some(kind)) if e.is_empty() => {
                Ok(NewDirectorPayment {
                    person_id,
                    paid_on,
                    amount_cents: amount,
                    label,
                    kind,
                    order_from_entity: entity,
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
    use jiff::civil::date;

    const FROM: Date = date(2024, 1, 1);
    const TO: Date = date(2024, 12, 31);

    fn fee_of_50() -> Allowance {
        Allowance {
            resolution_id: 7,
            kind: AllowanceKind::AttendanceFee,
            amount_cents: 5_000,
            basis: AllowanceBasis::PerMeeting,
            valid_from: date(2024, 1, 1),
            valid_to: None,
        }
    }

    fn six_meetings() -> Vec<Date> {
        (1..=6).map(|m| date(2024, m * 2, 10)).collect()
    }

    fn paid(kind: PaymentKind, cents: i64) -> Payment {
        Payment {
            kind,
            amount_cents: cents,
        }
    }

    #[test]
    fn tv15_fifty_euros_for_six_meetings_allows_three_hundred() {
        let check = check_director_year(FROM, TO, &six_meetings(), &[fee_of_50()], &[]);
        assert_eq!(check.meetings_attended, 6);
        assert_eq!(check.allowed_cents, 30_000);
        assert_eq!(check.basis_resolution_ids, vec![7]);
    }

    #[test]
    fn tv15_three_hundred_paid_passes() {
        let check = check_director_year(
            FROM,
            TO,
            &six_meetings(),
            &[fee_of_50()],
            &[paid(PaymentKind::AttendanceFee, 30_000)],
        );
        assert_eq!(check.unexplained_cents, 0);
        assert!(check.passes());
    }

    #[test]
    fn tv15_four_hundred_paid_fails_with_one_hundred_unexplained() {
        let check = check_director_year(
            FROM,
            TO,
            &six_meetings(),
            &[fee_of_50()],
            &[
                paid(PaymentKind::AttendanceFee, 30_000),
                paid(PaymentKind::Other, 10_000),
            ],
        );
        assert_eq!(check.paid_cents, 40_000);
        assert_eq!(check.unexplained_cents, 10_000);
        assert!(!check.passes());
    }

    #[test]
    fn tv15_a_management_fee_without_a_ga_decision_fails() {
        let check = check_director_year(
            FROM,
            TO,
            &[],
            &[],
            &[paid(PaymentKind::FixedRemuneration, 100_000)],
        );
        assert_eq!(check.allowed_cents, 0);
        assert_eq!(check.unexplained_cents, 100_000);
        assert_eq!(check.forbidden_kinds, vec![PaymentKind::FixedRemuneration]);
        assert!(!check.passes());
    }

    #[test]
    fn a_profit_share_is_never_covered_even_by_room_in_the_allowances() {
        // CNC-5: no share of the profit, whatever the GA decided.
        let check = check_director_year(
            FROM,
            TO,
            &six_meetings(),
            &[fee_of_50()],
            &[paid(PaymentKind::ProfitShare, 10_000)],
        );
        assert_eq!(check.unexplained_cents, 10_000);
        assert_eq!(check.forbidden_kinds, vec![PaymentKind::ProfitShare]);
    }

    #[test]
    fn a_fee_counts_only_the_meetings_while_it_is_in_force() {
        let fee = Allowance {
            valid_from: date(2024, 7, 1),
            ..fee_of_50()
        };
        let check = check_director_year(FROM, TO, &six_meetings(), &[fee], &[]);
        // Meetings in August, October and December.
        assert_eq!(check.allowed_cents, 15_000);
    }

    #[test]
    fn a_yearly_expense_allowance_counts_once() {
        let yearly = Allowance {
            resolution_id: 9,
            kind: AllowanceKind::ExpenseAllowance,
            amount_cents: 12_000,
            basis: AllowanceBasis::PerYear,
            valid_from: date(2023, 6, 1),
            valid_to: Some(date(2024, 5, 31)),
        };
        let check = check_director_year(FROM, TO, &six_meetings(), &[fee_of_50(), yearly], &[]);
        assert_eq!(check.allowed_cents, 42_000);
        assert_eq!(check.basis_resolution_ids, vec![7, 9]);
        let later = check_director_year(
            date(2025, 1, 1),
            date(2025, 12, 31),
            &[],
            &[yearly_only()],
            &[],
        );
        assert_eq!(later.allowed_cents, 0);
    }

    fn yearly_only() -> Allowance {
        Allowance {
            resolution_id: 9,
            kind: AllowanceKind::ExpenseAllowance,
            amount_cents: 12_000,
            basis: AllowanceBasis::PerYear,
            valid_from: date(2023, 6, 1),
            valid_to: Some(date(2024, 5, 31)),
        }
    }

    #[test]
    fn cnc4_a_cooptation_not_confirmed_by_the_next_assembly_fails() {
        let status = cooptation_status(
            AppointedBy::Cooptation,
            date(2024, 3, 1),
            false,
            &[date(2023, 6, 1), date(2024, 6, 1)],
            date(2024, 9, 1),
        );
        assert_eq!(status, CooptationStatus::Unconfirmed(date(2024, 6, 1)));
        let waiting = cooptation_status(
            AppointedBy::Cooptation,
            date(2024, 3, 1),
            false,
            &[date(2024, 6, 1)],
            date(2024, 5, 1),
        );
        assert_eq!(waiting, CooptationStatus::AwaitingAssembly);
        let confirmed = cooptation_status(
            AppointedBy::Cooptation,
            date(2024, 3, 1),
            true,
            &[],
            date(2024, 9, 1),
        );
        assert_eq!(confirmed, CooptationStatus::Confirmed);
        let by_ga = cooptation_status(
            AppointedBy::Resolution(4),
            date(2024, 3, 1),
            false,
            &[date(2024, 6, 1)],
            date(2024, 9, 1),
        );
        assert_eq!(by_ga, CooptationStatus::Confirmed);
    }

    #[test]
    fn a_mandate_form_names_each_wrong_field() {
        let e = MandateForm {
            brd_person: "x".into(),
            brd_role: "king".into(),
            brd_starts_on: "2024-13-01".into(),
            brd_appointed_by: "resolution".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("brd_person"), Some("brd-choice"));
        assert_eq!(e.get("brd_role"), Some("brd-choice"));
        assert_eq!(e.get("brd_starts_on"), Some("date"));
        assert_eq!(e.get("brd_resolution"), Some("required"));
    }

    #[test]
    fn a_mandate_form_reads_a_statutory_director() {
        let m = MandateForm {
            brd_person: "3".into(),
            brd_role: "chair".into(),
            brd_starts_on: "2024-06-20".into(),
            brd_ends_on: "2030-06-20".into(),
            brd_appointed_by: "statutes".into(),
            brd_article: "12".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(m.appointed_by, AppointedBy::Statutes(12));
        assert_eq!(m.role, MandateRole::Chair);
    }

    #[test]
    fn ruche_never_orders_a_fixed_remuneration() {
        let e = PaymentForm {
            brd_person: "3".into(),
            brd_paid_on: "2024-06-20".into(),
            brd_amount: "1.000".into(),
            brd_label: "management fee".into(),
            brd_payment_kind: "fixed_remuneration".into(),
            brd_entity: "1".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("brd_payment_kind"), Some("brd-forbidden-payment"));
        // Recorded as paid outside ruche, it is kept, so the check can show it.
        let p = PaymentForm {
            brd_person: "3".into(),
            brd_paid_on: "2024-06-20".into(),
            brd_amount: "1.000".into(),
            brd_label: "management fee".into(),
            brd_payment_kind: "fixed_remuneration".into(),
            brd_entity: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(p.amount_cents, 100_000);
        assert_eq!(p.order_from_entity, None);
    }

    #[test]
    fn an_allowance_form_refuses_a_zero_amount_and_an_end_before_its_start() {
        let e = AllowanceForm {
            brd_resolution: "4".into(),
            brd_allowance_kind: "attendance_fee".into(),
            brd_amount: "0".into(),
            brd_basis: "per_meeting".into(),
            brd_valid_from: "2024-06-20".into(),
            brd_valid_to: "2024-01-01".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("brd_amount"), Some("brd-amount-positive"));
        assert_eq!(e.get("brd_valid_to"), Some("brd-ends-before-start"));
    }
}
