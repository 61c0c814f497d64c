//! The share register's rules (reference/governance.md §2, §6, §8.1–8.2): share classes and
//! who may hold them, subscriptions and their refusal for an objective reason (CNC-1),
//! payments (paying up), transfers, and the way out: resignation in the statutory window
//! (CSA 6:120, C-5), exclusion, and the refund capped at the nominal value (ES-5), subject to
//! the distribution tests.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::validate::FieldErrors;

/// Who may hold the shares of a class (CNC-2: the class carries the rights).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    Anyone,
    Individuals,
    LegalPersons,
}

/// What kind of person a holder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HolderKind {
    Individual,
    LegalPerson,
}

impl Eligibility {
    pub const ALL: [Eligibility; 3] = [
        Eligibility::Anyone,
        Eligibility::Individuals,
        Eligibility::LegalPersons,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Eligibility::Anyone => "anyone",
            Eligibility::Individuals => "individuals",
            Eligibility::LegalPersons => "legal_persons",
        }
    }

    pub fn parse(s: &str) -> Option<Eligibility> {
        Eligibility::ALL.into_iter().find(|e| e.code() == s)
    }

    pub fn admits(self, holder: HolderKind) -> bool {
        match self {
            Eligibility::Anyone => true,
            Eligibility::Individuals => holder == HolderKind::Individual,
            Eligibility::LegalPersons => holder == HolderKind::LegalPerson,
        }
    }
}

/// The largest nominal value of one share (one million euros), and the most shares in one
/// operation: they keep every product `shares × nominal` far from overflow.
pub const MAX_NOMINAL_CENTS: i64 = 100_000_000;
pub const MAX_SHARES: i64 = 1_000_000;

/// The rights of a class, as the rules read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClassRules {
    pub nominal_cents: i64,
    pub votes_per_share: i64,
    pub eligible: Eligibility,
    pub minimum_holding: i64,
}

/// A share class, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareClassDraft {
    pub code: String,
    pub name: String,
    pub rules: ClassRules,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ShareClassForm {
    #[serde(default)]
    pub shr_code: String,
    #[serde(default)]
    pub shr_name: String,
    /// Euros, `30,00`.
    #[serde(default)]
    pub shr_nominal: String,
    #[serde(default)]
    pub shr_votes_per_share: String,
    #[serde(default)]
    pub shr_eligible: String,
    #[serde(default)]
    pub shr_minimum_holding: String,
}

fn count(
    e: &mut FieldErrors,
    field: &'static str,
    value: &str,
    min: i64,
    code: &'static str,
) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(n) if n >= min && n <= MAX_SHARES => n,
        _ => {
            e.add(field, code);
            min
        }
    }
}

fn date_field(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    match value.trim() {
        "" => {
            e.add(field, "required");
            None
        }
        v => v.parse::<Date>().ok().or_else(|| {
            e.add(field, "date");
            None
        }),
    }
}

fn id_field(e: &mut FieldErrors, field: &'static str, value: &str) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(id) if id > 0 => id,
        _ => {
            e.add(field, "required");
            0
        }
    }
}

fn money_field(e: &mut FieldErrors, field: &'static str, value: &str, zero_ok: bool) -> i64 {
    match parse_money(value) {
        Some(c) if (c > 0 || (zero_ok && c == 0)) && c <= MAX_NOMINAL_CENTS * MAX_SHARES => c,
        _ if value.trim().is_empty() => {
            e.add(field, "required");
            0
        }
        _ => {
            e.add(field, "shr-amount");
            0
        }
    }
}

fn checked(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v.trim(), "on" | "true" | "1" | "yes"))
}

impl ShareClassForm {
    pub fn parse(&self) -> Result<ShareClassDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = self.shr_code.trim().to_uppercase();
        if code.is_empty() {
            e.add("shr_code", "required");
        } else if code.len() > 10 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            e.add("shr_code", "shr-class-code");
        }
        let name = e.required("shr_name", &self.shr_name, 120);
        let nominal_cents = match parse_money(&self.shr_nominal) {
            Some(c) if c > 0 && c <= MAX_NOMINAL_CENTS => c,
            _ => {
                e.add("shr_nominal", "shr-nominal");
                0
            }
        };
        let votes_per_share = match self.shr_votes_per_share.trim().parse::<i64>() {
            Ok(n) if (0..=1000).contains(&n) => n,
            _ => {
                e.add("shr_votes_per_share", "shr-votes");
                0
            }
        };
        let eligible = Eligibility::parse(self.shr_eligible.trim());
        if eligible.is_none() {
            e.add("shr_eligible", "required");
        }
        let minimum_holding = count(
            &mut e,
            "shr_minimum_holding",
            &self.shr_minimum_holding,
            1,
            "shr-minimum-holding",
        );
        match eligible {
            Some(eligible) if e.is_empty() => Ok(ShareClassDraft {
                code,
                name,
                rules: ClassRules {
                    nominal_cents,
                    votes_per_share,
                    eligible,
                    minimum_holding,
                },
            }),
            _ => Err(e),
        }
    }
}

/// The state of a subscription request: requested, then refused (with an objective reason,
/// CNC-1) or entered in the register at its first payment, paid when fully paid up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Requested,
    Refused,
    PartlyPaid,
    Paid,
}

impl SubscriptionStatus {
    pub const ALL: [SubscriptionStatus; 4] = [
        SubscriptionStatus::Requested,
        SubscriptionStatus::Refused,
        SubscriptionStatus::PartlyPaid,
        SubscriptionStatus::Paid,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SubscriptionStatus::Requested => "requested",
            SubscriptionStatus::Refused => "refused",
            SubscriptionStatus::PartlyPaid => "partly_paid",
            SubscriptionStatus::Paid => "paid",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriptionStatus> {
        SubscriptionStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn can_refuse(self) -> bool {
        self == SubscriptionStatus::Requested
    }

    pub fn can_pay(self) -> bool {
        matches!(
            self,
            SubscriptionStatus::Requested | SubscriptionStatus::PartlyPaid
        )
    }
}

/// A subscription request, checked on its own (the class's rules come after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSubscription {
    pub person_id: i64,
    pub class_id: i64,
    pub shares: i64,
    pub requested_on: Date,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SubscriptionForm {
    #[serde(default)]
    pub shr_person: String,
    #[serde(default)]
    pub shr_class: String,
    #[serde(default)]
    pub shr_shares: String,
    #[serde(default)]
    pub shr_requested_on: String,
}

impl SubscriptionForm {
    pub fn parse(&self) -> Result<NewSubscription, FieldErrors> {
        let mut e = FieldErrors::new();
        let person_id = id_field(&mut e, "shr_person", &self.shr_person);
        let class_id = id_field(&mut e, "shr_class", &self.shr_class);
        let shares = count(&mut e, "shr_shares", &self.shr_shares, 1, "shr-shares");
        let requested_on = date_field(&mut e, "shr_requested_on", &self.shr_requested_on);
        match requested_on {
            Some(requested_on) if e.is_empty() => Ok(NewSubscription {
                person_id,
                class_id,
                shares,
                requested_on,
            }),
            _ => Err(e),
        }
    }
}

/// Whether `holder` may subscribe `shares` of a class, holding `held` already: eligible for
/// the class, and holding at least the class's minimum afterwards.
pub fn check_subscription(
    class: &ClassRules,
    holder: HolderKind,
    held: i64,
    shares: i64,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if !class.eligible.admits(holder) {
        e.add("shr_class", "shr-not-eligible");
    }
    if shares < 1 || held.saturating_add(shares) < class.minimum_holding {
        e.add("shr_shares", "shr-below-minimum");
    }
    e.into_result(|| ())
}

/// The objective reasons a request may be refused or a member excluded for (AR 8 January
/// 1962 art. 1 §1 1° and §2, CNC-1: only the statutory admission conditions not met, or no
/// longer met, or acts against the company's interests). "Board preference" is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The person is not in the class's category of holders.
    NotEligible,
    /// The request is below the class's minimum holding.
    BelowMinimum,
    /// A statutory admission condition is not (or no longer) met.
    AdmissionConditions,
    /// Acts against the cooperative's interests.
    AgainstInterests,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 4] = [
        ReasonCode::NotEligible,
        ReasonCode::BelowMinimum,
        ReasonCode::AdmissionConditions,
        ReasonCode::AgainstInterests,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::NotEligible => "not_eligible",
            ReasonCode::BelowMinimum => "below_minimum",
            ReasonCode::AdmissionConditions => "admission_conditions",
            ReasonCode::AgainstInterests => "against_interests",
        }
    }

    pub fn parse(s: &str) -> Option<ReasonCode> {
        ReasonCode::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Whether the reason may justify an exclusion (the others only refuse an admission).
    pub fn excludes(self) -> bool {
        matches!(
            self,
            ReasonCode::AdmissionConditions | ReasonCode::AgainstInterests
        )
    }
}

/// A reason as given: its code and the text that makes it objective (e.g. "not resident
/// in the Brussels region, art. 7 of the statutes").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub shr_reason_code: String,
    #[serde(default)]
    pub shr_reason_text: String,
}

impl ReasonForm {
    /// A reason for a refusal (`exclusion = false`) or an exclusion.
    pub fn parse(&self, exclusion: bool) -> Result<Reason, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = match ReasonCode::parse(self.shr_reason_code.trim()) {
            Some(c) if !exclusion || c.excludes() => Some(c),
            Some(_) => {
                e.add("shr_reason_code", "shr-reason-not-for-exclusion");
                None
            }
            None => {
                e.add("shr_reason_code", "shr-reason-required");
                None
            }
        };
        let text = self.shr_reason_text.trim();
        if text.chars().count() < 5 {
            e.add("shr_reason_text", "shr-reason-text");
        } else if text.chars().count() > 2000 {
            e.add("shr_reason_text", "too-long");
        }
        match code {
            Some(code) if e.is_empty() => Ok(Reason {
                code,
                text: text.to_string(),
            }),
            _ => Err(e),
        }
    }
}

/// A payment on a subscription, checked on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPayment {
    pub paid_on: Date,
    pub amount_cents: i64,
    /// The legal entity whose bank account received the money.
    pub entity_id: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub shr_paid_on: String,
    #[serde(default)]
    pub shr_amount: String,
    #[serde(default)]
    pub shr_entity: String,
}

impl PaymentForm {
    pub fn parse(&self) -> Result<NewPayment, FieldErrors> {
        let mut e = FieldErrors::new();
        let paid_on = date_field(&mut e, "shr_paid_on", &self.shr_paid_on);
        let amount_cents = money_field(&mut e, "shr_amount", &self.shr_amount, false);
        let entity_id = id_field(&mut e, "shr_entity", &self.shr_entity);
        match paid_on {
            Some(paid_on) if e.is_empty() => Ok(NewPayment {
                paid_on,
                amount_cents,
                entity_id,
            }),
            _ => Err(e),
        }
    }
}

/// Whether `amount` may be paid on a subscription of `shares` of nominal `nominal_cents`
/// already paid up to `paid_cents`: the shares are paid up to their nominal value, never
/// beyond (a premium is not a subscription).
pub fn check_payment(
    shares: i64,
    nominal_cents: i64,
    paid_cents: i64,
    amount_cents: i64,
) -> Result<(), FieldErrors> {
    let due = shares.saturating_mul(nominal_cents);
    if amount_cents <= 0 || paid_cents.saturating_add(amount_cents) > due {
        return Err(FieldErrors::single("shr_amount", "shr-payment-above-due"));
    }
    Ok(())
}

/// A transfer of shares from one person to another, checked on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTransfer {
    pub from_person_id: i64,
    pub to_person_id: i64,
    pub class_id: i64,
    pub shares: i64,
    pub transferred_on: Date,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TransferForm {
    #[serde(default)]
    pub shr_from: String,
    #[serde(default)]
    pub shr_to: String,
    #[serde(default)]
    pub shr_class: String,
    #[serde(default)]
    pub shr_shares: String,
    #[serde(default)]
    pub shr_transferred_on: String,
}

impl TransferForm {
    pub fn parse(&self) -> Result<NewTransfer, FieldErrors> {
        let mut e = FieldErrors::new();
        let from_person_id = id_field(&mut e, "shr_from", &self.shr_from);
        let to_person_id = id_field(&mut e, "shr_to", &self.shr_to);
        if from_person_id > 0 && from_person_id == to_person_id {
            e.add("shr_to", "shr-transfer-same-person");
        }
        let class_id = id_field(&mut e, "shr_class", &self.shr_class);
        let shares = count(&mut e, "shr_shares", &self.shr_shares, 1, "shr-shares");
        let transferred_on = date_field(&mut e, "shr_transferred_on", &self.shr_transferred_on);
        match transferred_on {
            Some(transferred_on) if e.is_empty() => Ok(NewTransfer {
                from_person_id,
                to_person_id,
                class_id,
                shares,
                transferred_on,
            }),
            _ => Err(e),
        }
    }
}

/// The checked transfer: how much paid-up capital goes with the shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TransferTerms {
    pub paid_cents: i64,
}

/// Whether `shares` may go from a holder of `held` shares paid up to `held_paid_cents` to a
/// receiver of kind `receiver` holding `receiver_held`: the giver holds them, the receiver
/// is eligible for the class, and both keep either nothing or at least the minimum. The
/// paid-up capital goes with the shares pro rata (floored, all of it with the last share).
pub fn check_transfer(
    class: &ClassRules,
    held: i64,
    held_paid_cents: i64,
    receiver: HolderKind,
    receiver_held: i64,
    shares: i64,
) -> Result<TransferTerms, FieldErrors> {
    let mut e = FieldErrors::new();
    if shares < 1 || shares > held {
        e.add("shr_shares", "shr-transfer-more-than-held");
    } else {
        let left = held - shares;
        if left != 0 && left < class.minimum_holding {
            e.add("shr_shares", "shr-transfer-leaves-below-minimum");
        }
    }
    if !class.eligible.admits(receiver) {
        e.add("shr_to", "shr-not-eligible");
    }
    if receiver_held.saturating_add(shares) < class.minimum_holding {
        e.add("shr_shares", "shr-below-minimum");
    }
    let paid_cents = if shares == held {
        held_paid_cents
    } else if held > 0 {
        // i128: shares × paid never overflows; the result is at most held_paid_cents.
        i64::try_from(i128::from(held_paid_cents) * i128::from(shares) / i128::from(held))
            .unwrap_or(held_paid_cents)
    } else {
        0
    };
    e.into_result(|| TransferTerms { paid_cents })
}

/// Why a resignation (or an exclusion) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum ResignationError {
    /// CSA 6:120: a shareholder resigns only in the first months of the financial year.
    #[error("a resignation is possible only in the first {months} months of the financial year")]
    OutsideWindow { months: u32 },
    /// CSA 6:120: with all one's shares, unless the statutes allow otherwise.
    #[error("the statutes require resigning all shares")]
    NotAllShares,
    #[error("the member holds no share of this class")]
    NothingHeld,
    #[error("more shares than held")]
    MoreThanHeld,
    /// ES-5: the refund is at most the nominal value of the actual contribution.
    #[error("the refund {refund_cents} is above the cap of {cap_cents}")]
    RefundAboveCap { refund_cents: i64, cap_cents: i64 },
}

impl ResignationError {
    pub fn field_error(&self) -> (&'static str, &'static str) {
        match self {
            ResignationError::OutsideWindow { .. } => ("shr_notice_on", "shr-outside-window"),
            ResignationError::NotAllShares => ("shr_shares", "shr-all-shares"),
            ResignationError::NothingHeld => ("shr_class", "shr-nothing-held"),
            ResignationError::MoreThanHeld => ("shr_shares", "shr-transfer-more-than-held"),
            ResignationError::RefundAboveCap { .. } => ("shr_refund", "shr-refund-above-cap"),
        }
    }

    pub fn to_field_errors(&self) -> FieldErrors {
        let (field, code) = self.field_error();
        FieldErrors::single(field, code)
    }
}

/// The last day of month `month` (1–12) of `year`.
fn end_of_month(year: i16, month: i8) -> Option<Date> {
    Date::new(year, month, 1).ok().map(|d| d.last_of_month())
}

/// The date a resignation notified on `notice_on` takes effect, the financial year being
/// the calendar year: a notice in the first `months` months takes effect on the last day
/// of that window (CSA 6:120 and C-5: six months by default, effective at its end; TV-13);
/// a notice after it is refused.
pub fn resignation_effective_on(notice_on: Date, months: u32) -> Result<Date, ResignationError> {
    let months = months.clamp(1, 12);
    let within = u32::try_from(notice_on.month()).is_ok_and(|m| m <= months);
    if !within {
        return Err(ResignationError::OutsideWindow { months });
    }
    let month = i8::try_from(months).unwrap_or(12);
    end_of_month(notice_on.year(), month).ok_or(ResignationError::OutsideWindow { months })
}

/// What a leaving member's refund is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    pub shares: i64,
    /// The amount actually paid up and not yet repaid.
    pub paid_up_cents: i64,
    /// Net asset value per share of the last approved accounts × shares.
    pub nav_cents: i64,
    /// Nominal value × shares.
    pub nominal_cents: i64,
    /// The cap: min(paid-up, NAV, nominal).
    pub cap_cents: i64,
    /// What is refunded: the cap, or a lower amount the board set.
    pub refund_cents: i64,
}

/// The refund of `shares` paid up to `paid_up_cents`, of nominal `nominal_per_share_cents`,
/// with the NAV per share `nav_per_share_cents` of the last approved accounts:
/// - CSA 6:120 default: the amount paid up and not repaid, at most the NAV per share;
/// - ES-5 (AR 28 June 2019 art. 6 §1 3°): at most the nominal value of the contribution,
///   never indexed, never a premium.
///
/// The refund is the cap unless `proposed_cents` (what the statutes' formula gave) is set;
/// a proposal above the cap is refused (TV-11: €620 promised on NAV → refused).
pub fn refund(
    shares: i64,
    paid_up_cents: i64,
    nominal_per_share_cents: i64,
    nav_per_share_cents: i64,
    proposed_cents: Option<i64>,
) -> Result<Refund, ResignationError> {
    let nav_cents = nav_per_share_cents.max(0).saturating_mul(shares);
    let nominal_cents = nominal_per_share_cents.saturating_mul(shares);
    let cap_cents = paid_up_cents.max(0).min(nav_cents).min(nominal_cents);
    let refund_cents = match proposed_cents {
        Some(p) if p > cap_cents => {
            return Err(ResignationError::RefundAboveCap {
                refund_cents: p,
                cap_cents,
            });
        }
        Some(p) => p.max(0),
        None => cap_cents,
    };
    Ok(Refund {
        shares,
        paid_up_cents,
        nav_cents,
        nominal_cents,
        cap_cents,
        refund_cents,
    })
}

/// The state of a refund: paid out only while the distribution tests (net assets and
/// liquidity) pass; suspended otherwise, and paid once they pass (CSA 6:120, C-5; TV-14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Nothing to refund (nothing was paid up).
    None,
    Suspended,
    /// A payout order was created: it goes in the next SEPA batch.
    Ordered,
}

impl RefundStatus {
    pub const ALL: [RefundStatus; 3] = [
        RefundStatus::None,
        RefundStatus::Suspended,
        RefundStatus::Ordered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RefundStatus::None => "none",
            RefundStatus::Suspended => "suspended",
            RefundStatus::Ordered => "ordered",
        }
    }

    pub fn parse(s: &str) -> Option<RefundStatus> {
        RefundStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The state of a refund of `refund_cents` given the two distribution tests.
    pub fn after_tests(refund_cents: i64, net_assets_ok: bool, liquidity_ok: bool) -> RefundStatus {
        if refund_cents <= 0 {
            RefundStatus::None
        } else if net_assets_ok && liquidity_ok {
            RefundStatus::Ordered
        } else {
            RefundStatus::Suspended
        }
    }
}

/// The distribution tests as the board enters them, with the evidence (the accounts, the
/// liquidity forecast) in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistributionTests {
    pub net_assets_ok: bool,
    pub liquidity_ok: bool,
    pub evidence: String,
}

/// A resignation or an exclusion as typed, checked on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewExit {
    pub person_id: i64,
    pub class_id: i64,
    /// The resignation's notice date, or the exclusion's decision date.
    pub notice_on: Date,
    /// `None`: all the shares held.
    pub shares: Option<i64>,
    pub nav_per_share_cents: i64,
    pub accounts_on: Date,
    pub proposed_refund_cents: Option<i64>,
    pub tests: DistributionTests,
    /// The legal entity that pays the refund.
    pub entity_id: i64,
    /// Exclusions only.
    pub reason: Option<Reason>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ExitForm {
    #[serde(default)]
    pub shr_person: String,
    #[serde(default)]
    pub shr_class: String,
    #[serde(default)]
    pub shr_notice_on: String,
    #[serde(default)]
    pub shr_shares: String,
    #[serde(default)]
    pub shr_nav_per_share: String,
    #[serde(default)]
    pub shr_accounts_on: String,
    #[serde(default)]
    pub shr_refund: String,
    #[serde(default)]
    pub shr_net_assets_ok: Option<String>,
    #[serde(default)]
    pub shr_liquidity_ok: Option<String>,
    #[serde(default)]
    pub shr_tests_evidence: String,
    #[serde(default)]
    pub shr_entity: String,
    #[serde(default)]
    pub shr_reason_code: String,
    #[serde(default)]
    pub shr_reason_text: String,
}

impl ExitForm {
    /// A resignation (`exclusion = false`) or an exclusion (a reason is then required).
    pub fn parse(&self, exclusion: bool) -> Result<NewExit, FieldErrors> {
        let mut e = FieldErrors::new();
        let person_id = id_field(&mut e, "shr_person", &self.shr_person);
        let class_id = id_field(&mut e, "shr_class", &self.shr_class);
        let notice_on = date_field(&mut e, "shr_notice_on", &self.shr_notice_on);
        let shares = match self.shr_shares.trim() {
            "" => None,
            _ => Some(count(
                &mut e,
                "shr_shares",
                &self.shr_shares,
                1,
                "shr-shares",
            )),
        };
        let nav_per_share_cents = match parse_money(&self.shr_nav_per_share) {
            Some(c) if (0..=MAX_NOMINAL_CENTS * 100).contains(&c) => c,
            _ if self.shr_nav_per_share.trim().is_empty() => {
                e.add("shr_nav_per_share", "required");
                0
            }
            _ => {
                e.add("shr_nav_per_share", "shr-amount");
                0
            }
        };
        let accounts_on = date_field(&mut e, "shr_accounts_on", &self.shr_accounts_on);
        if let (Some(a), Some(n)) = (accounts_on, notice_on)
            && a > n
        {
            e.add("shr_accounts_on", "shr-accounts-after-notice");
        }
        let proposed_refund_cents = match self.shr_refund.trim() {
            "" => None,
            v => Some(money_field(&mut e, "shr_refund", v, true)),
        };
        let evidence = self.shr_tests_evidence.trim().to_string();
        if evidence.is_empty() {
            e.add("shr_tests_evidence", "shr-tests-evidence");
        } else if evidence.chars().count() > 2000 {
            e.add("shr_tests_evidence", "too-long");
        }
        let entity_id = id_field(&mut e, "shr_entity", &self.shr_entity);
        let reason = if exclusion {
            match (ReasonForm {
                shr_reason_code: self.shr_reason_code.clone(),
                shr_reason_text: self.shr_reason_text.clone(),
            })
            .parse(true)
            {
                Ok(r) => Some(r),
                Err(errors) => {
                    e.0.extend(errors.0);
                    None
                }
            }
        } else {
            None
        };
        match (notice_on, accounts_on) {
            (Some(notice_on), Some(accounts_on)) if e.is_empty() => Ok(NewExit {
                person_id,
                class_id,
                notice_on,
                shares,
                nav_per_share_cents,
                accounts_on,
                proposed_refund_cents,
                tests: DistributionTests {
                    net_assets_ok: checked(&self.shr_net_assets_ok),
                    liquidity_ok: checked(&self.shr_liquidity_ok),
                    evidence,
                },
                entity_id,
                reason,
            }),
            _ => Err(e),
        }
    }
}

/// The decided exit, ready to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExitDecision {
    pub effective_on: Date,
    pub refund: Refund,
    pub status: RefundStatus,
}

/// Decides a resignation (`exclusion = false`: the window of `resignation_months` applies,
/// and all shares unless `partial_allowed`) or an exclusion (effective on its decision
/// date), for a member holding `held` shares of the class paid up to `held_paid_cents`.
/// The refund of the shares leaving is the paid-up capital that goes with them, capped
/// ([`refund`]); its state follows the distribution tests ([`RefundStatus::after_tests`]).
pub fn decide_exit(
    exit: &NewExit,
    exclusion: bool,
    class: &ClassRules,
    held: i64,
    held_paid_cents: i64,
    resignation_months: u32,
    partial_allowed: bool,
) -> Result<ExitDecision, ResignationError> {
    if held <= 0 {
        return Err(ResignationError::NothingHeld);
    }
    let shares = exit.shares.unwrap_or(held);
    if shares > held {
        return Err(ResignationError::MoreThanHeld);
    }
    if shares < held && (exclusion || !partial_allowed) {
        return Err(ResignationError::NotAllShares);
    }
    let effective_on = if exclusion {
        exit.notice_on
    } else {
        resignation_effective_on(exit.notice_on, resignation_months)?
    };
    let paid_up = if shares == held {
        held_paid_cents
    } else {
        i64::try_from(i128::from(held_paid_cents) * i128::from(shares) / i128::from(held))
            .unwrap_or(held_paid_cents)
    };
    let refund = refund(
        shares,
        paid_up,
        class.nominal_cents,
        exit.nav_per_share_cents,
        exit.proposed_refund_cents,
    )?;
    let status = RefundStatus::after_tests(
        refund.refund_cents,
        exit.tests.net_assets_ok,
        exit.tests.liquidity_ok,
    );
    Ok(ExitDecision {
        effective_on,
        refund,
        status,
    })
}

#[cfg(test)]
mod tests {
    // Amounts are written as euros and cents: `250_00` is 250,00 €.
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::inconsistent_digit_grouping
    )]

    use jiff::civil::date;

    use super::*;

    fn class(nominal: i64) -> ClassRules {
        ClassRules {
            nominal_cents: nominal,
            votes_per_share: 1,
            eligible: Eligibility::Anyone,
            minimum_holding: 1,
        }
    }

    fn exit(notice_on: Date) -> NewExit {
        NewExit {
            person_id: 1,
            class_id: 1,
            notice_on,
            shares: None,
            nav_per_share_cents: 310_00,
            accounts_on: date(2024, 12, 31),
            proposed_refund_cents: None,
            tests: DistributionTests {
                net_assets_ok: true,
                liquidity_ok: true,
                evidence: "Comptes 2024 approuvés".into(),
            },
            entity_id: 1,
            reason: None,
        }
    }

    #[test]
    fn tv11_the_refund_is_the_paid_up_capital_under_a_higher_nav() {
        // 2 shares × €250 paid; NAV €310 → min(500, 620, 500) = €500.
        let r = refund(2, 500_00, 250_00, 310_00, None).unwrap();
        assert_eq!(r.refund_cents, 500_00);
        assert_eq!(r.cap_cents, 500_00);
        assert_eq!(r.nav_cents, 620_00);
    }

    #[test]
    fn tv11_es5_a_refund_promised_at_nav_above_the_nominal_is_refused() {
        assert_eq!(
            refund(2, 500_00, 250_00, 310_00, Some(620_00)),
            Err(ResignationError::RefundAboveCap {
                refund_cents: 620_00,
                cap_cents: 500_00
            })
        );
    }

    #[test]
    fn tv12_a_nav_below_the_nominal_caps_the_refund() {
        let r = refund(2, 500_00, 250_00, 200_00, None).unwrap();
        assert_eq!(r.refund_cents, 400_00);
        assert!(r.refund_cents <= r.nominal_cents);
    }

    #[test]
    fn es5_an_indexed_nominal_or_a_premium_is_never_refunded() {
        // Paid €300 for a €250 share (a premium): at most the nominal €250.
        let r = refund(1, 300_00, 250_00, 400_00, None).unwrap();
        assert_eq!(r.refund_cents, 250_00);
        assert!(refund(1, 300_00, 250_00, 400_00, Some(260_00)).is_err());
        // A lower amount the board sets is taken.
        assert_eq!(
            refund(1, 250_00, 250_00, 400_00, Some(100_00))
                .unwrap()
                .refund_cents,
            100_00
        );
        // A partly paid share: at most what was paid.
        assert_eq!(
            refund(1, 100_00, 250_00, 400_00, None)
                .unwrap()
                .refund_cents,
            100_00
        );
        // A negative NAV refunds nothing.
        assert_eq!(
            refund(1, 250_00, 250_00, -5_00, None).unwrap().refund_cents,
            0
        );
    }

    #[test]
    fn tv13_a_notice_in_august_is_refused_one_in_march_takes_effect_on_30_june() {
        assert_eq!(
            resignation_effective_on(date(2025, 8, 10), 6),
            Err(ResignationError::OutsideWindow { months: 6 })
        );
        assert_eq!(
            resignation_effective_on(date(2025, 3, 15), 6),
            Ok(date(2025, 6, 30))
        );
        assert_eq!(
            resignation_effective_on(date(2025, 6, 30), 6),
            Ok(date(2025, 6, 30))
        );
        assert!(resignation_effective_on(date(2025, 7, 1), 6).is_err());
        // Statutes with a three-month window.
        assert_eq!(
            resignation_effective_on(date(2024, 2, 29), 3),
            Ok(date(2024, 3, 31))
        );
    }

    #[test]
    fn tv14_a_refund_is_suspended_while_a_distribution_test_fails() {
        assert_eq!(
            RefundStatus::after_tests(400_00, true, false),
            RefundStatus::Suspended
        );
        assert_eq!(
            RefundStatus::after_tests(400_00, false, true),
            RefundStatus::Suspended
        );
        assert_eq!(
            RefundStatus::after_tests(400_00, true, true),
            RefundStatus::Ordered
        );
        assert_eq!(
            RefundStatus::after_tests(0, false, false),
            RefundStatus::None
        );
        let mut x = exit(date(2025, 3, 15));
        x.nav_per_share_cents = 200_00;
        x.tests.liquidity_ok = false;
        let d = decide_exit(&x, false, &class(250_00), 2, 500_00, 6, false).unwrap();
        assert_eq!(d.refund.refund_cents, 400_00);
        assert_eq!(d.status, RefundStatus::Suspended);
        assert_eq!(d.effective_on, date(2025, 6, 30));
    }

    #[test]
    fn a_resignation_takes_all_the_shares_unless_the_statutes_allow_part() {
        let mut x = exit(date(2025, 3, 15));
        x.shares = Some(1);
        assert_eq!(
            decide_exit(&x, false, &class(250_00), 2, 500_00, 6, false),
            Err(ResignationError::NotAllShares)
        );
        let d = decide_exit(&x, false, &class(250_00), 2, 500_00, 6, true).unwrap();
        assert_eq!(d.refund.refund_cents, 250_00);
        x.shares = Some(3);
        assert_eq!(
            decide_exit(&x, false, &class(250_00), 2, 500_00, 6, true),
            Err(ResignationError::MoreThanHeld)
        );
    }

    #[test]
    fn an_exclusion_ignores_the_window_and_keeps_the_refund_cap() {
        let x = exit(date(2025, 9, 1));
        assert!(decide_exit(&x, false, &class(250_00), 2, 500_00, 6, false).is_err());
        let d = decide_exit(&x, true, &class(250_00), 2, 500_00, 6, false).unwrap();
        assert_eq!(d.effective_on, date(2025, 9, 1));
        assert_eq!(d.refund.refund_cents, 500_00);
    }

    #[test]
    fn a_refusal_needs_an_objective_reason_and_a_text() {
        let r = ReasonForm {
            shr_reason_code: "board_preference".into(),
            shr_reason_text: "Nous préférons pas".into(),
        };
        assert_eq!(
            r.parse(false).unwrap_err().get("shr_reason_code"),
            Some("shr-reason-required")
        );
        let r = ReasonForm {
            shr_reason_code: "admission_conditions".into(),
            shr_reason_text: String::new(),
        };
        assert_eq!(
            r.parse(false).unwrap_err().get("shr_reason_text"),
            Some("shr-reason-text")
        );
        let r = ReasonForm {
            shr_reason_code: "below_minimum".into(),
            shr_reason_text: "Une seule part demandée, minimum deux".into(),
        };
        assert!(r.parse(false).is_ok());
        assert_eq!(
            r.parse(true).unwrap_err().get("shr_reason_code"),
            Some("shr-reason-not-for-exclusion")
        );
    }

    #[test]
    fn a_subscription_respects_eligibility_and_the_minimum() {
        let mut c = class(30_00);
        c.minimum_holding = 2;
        assert!(check_subscription(&c, HolderKind::Individual, 0, 2).is_ok());
        assert_eq!(
            check_subscription(&c, HolderKind::Individual, 0, 1)
                .unwrap_err()
                .get("shr_shares"),
            Some("shr-below-minimum")
        );
        assert!(check_subscription(&c, HolderKind::Individual, 2, 1).is_ok());
        c.eligible = Eligibility::LegalPersons;
        assert_eq!(
            check_subscription(&c, HolderKind::Individual, 0, 2)
                .unwrap_err()
                .get("shr_class"),
            Some("shr-not-eligible")
        );
    }

    #[test]
    fn a_payment_never_exceeds_the_nominal_of_the_shares() {
        assert!(check_payment(4, 30_00, 0, 60_00).is_ok());
        assert!(check_payment(4, 30_00, 60_00, 60_00).is_ok());
        assert!(check_payment(4, 30_00, 60_00, 60_01).is_err());
        assert!(check_payment(4, 30_00, 0, 0).is_err());
    }

    #[test]
    fn a_transfer_carries_its_paid_up_capital_and_checks_both_holders() {
        let mut c = class(30_00);
        c.minimum_holding = 2;
        let t = check_transfer(&c, 6, 180_00, HolderKind::Individual, 0, 2).unwrap();
        assert_eq!(t.paid_cents, 60_00);
        let t = check_transfer(&c, 6, 170_00, HolderKind::Individual, 0, 6).unwrap();
        assert_eq!(t.paid_cents, 170_00);
        assert_eq!(
            check_transfer(&c, 6, 180_00, HolderKind::Individual, 0, 5)
                .unwrap_err()
                .get("shr_shares"),
            Some("shr-transfer-leaves-below-minimum")
        );
        assert_eq!(
            check_transfer(&c, 1, 30_00, HolderKind::Individual, 0, 2)
                .unwrap_err()
                .get("shr_shares"),
            Some("shr-transfer-more-than-held")
        );
    }

    #[test]
    fn the_class_form_checks_every_field() {
        let f = ShareClassForm {
            shr_code: "a".into(),
            shr_name: "Parts A".into(),
            shr_nominal: "30,00".into(),
            shr_votes_per_share: "1".into(),
            shr_eligible: "anyone".into(),
            shr_minimum_holding: "1".into(),
        };
        let c = f.parse().unwrap();
        assert_eq!(c.code, "A");
        assert_eq!(c.rules.nominal_cents, 30_00);
        let bad = ShareClassForm {
            shr_code: "A B".into(),
            shr_nominal: "0".into(),
            shr_minimum_holding: "0".into(),
            ..f
        };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.get("shr_code"), Some("shr-class-code"));
        assert_eq!(e.get("shr_nominal"), Some("shr-nominal"));
        assert_eq!(e.get("shr_minimum_holding"), Some("shr-minimum-holding"));
    }
}
