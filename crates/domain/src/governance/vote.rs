//! The general assembly's vote engine (reference/governance.md §4, §2.C; ES-7, CNC-3, C-1,
//! C-7): one resolution's attendance snapshot and ballots in, the raw and effective tallies,
//! the 1/10 cap, the quorum and the majority out.
//!
//! - **T** is the total raw votes attached to the shares present or represented for the
//!   vote, before capping (§4.3). A represented holder counts only when the proxy holder is
//!   present (OpenSlides #5745 counted absent proxies' votes).
//! - **Cap** = T / denominator (AR 28 June 2019 art. 6 §1 5°: nobody takes part in the vote
//!   with more than 1/10 of the votes attached to the represented shares), floored or exact;
//!   effective votes = min(raw, cap), per represented holder or per person casting (§4.5).
//! - **Quorum** counts shares present or represented, uncapped; the **majority** counts
//!   effective votes cast, abstentions excluded, compared exactly (§4.8).
//!
//! Arithmetic uses exact rationals ([`Ratio<i128>`]), never floats.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use num_rational::Ratio;
use serde::{Deserialize, Serialize};

use super::params::{CapRounding, CapScope, GovernanceParams, InconsistentCapPolicy};
pub use super::statutes::VoteWeighting;

/// An exact number of votes (a cap of 9.5 votes is 19/2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Votes(pub Ratio<i128>);

impl Votes {
    pub fn zero() -> Self {
        Votes(Ratio::from_integer(0))
    }

    pub fn whole(n: i64) -> Self {
        Votes(Ratio::from_integer(i128::from(n)))
    }

    pub fn new(numer: i128, denom: i128) -> Self {
        Votes(Ratio::new(numer, denom))
    }

    pub fn is_integer(&self) -> bool {
        self.0.is_integer()
    }

    /// The value as text for people: `77`, `9.5`, `256.67` (two decimals, rounded half
    /// away from zero) when the fraction does not end.
    pub fn display(&self) -> String {
        let r = self.0;
        if r.is_integer() {
            return r.to_integer().to_string();
        }
        for places in 1..=2u32 {
            let scale = 10i128.pow(places);
            let scaled = r * Ratio::from_integer(scale);
            if scaled.is_integer() {
                return decimal(scaled.to_integer(), places);
            }
        }
        let hundredths = (r * Ratio::from_integer(100)).round().to_integer();
        decimal(hundredths, 2)
    }
}

fn decimal(scaled: i128, places: u32) -> String {
    let scale = 10i128.pow(places);
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = places as usize
    )
}

impl fmt::Display for Votes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl std::ops::Add for Votes {
    type Output = Votes;
    fn add(self, o: Votes) -> Votes {
        Votes(self.0 + o.0)
    }
}

impl std::ops::AddAssign for Votes {
    fn add_assign(&mut self, o: Votes) {
        self.0 += o.0;
    }
}

/// Stored as the exact fraction `"19/2"` or the integer `"77"`, so a tally read back from
/// its JSON snapshot is the same to the last vote.
impl Serialize for Votes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_integer() {
            s.serialize_str(&self.0.to_integer().to_string())
        } else {
            s.serialize_str(&format!("{}/{}", self.0.numer(), self.0.denom()))
        }
    }
}

impl<'de> Deserialize<'de> for Votes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let parse = |s: &str| s.trim().parse::<i128>().map_err(serde::de::Error::custom);
        match text.split_once('/') {
            Some((n, q)) => {
                let q = parse(q)?;
                if q == 0 {
                    return Err(serde::de::Error::custom("a zero denominator"));
                }
                Ok(Votes(Ratio::new(parse(n)?, q)))
            }
            None => Ok(Votes(Ratio::from_integer(parse(&text)?))),
        }
    }
}

/// A ballot's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(s: &str) -> Option<Choice> {
        match s {
            "yes" => Some(Choice::Yes),
            "no" => Some(Choice::No),
            "abstain" => Some(Choice::Abstain),
            _ => None,
        }
    }
}

/// How a resolution's quorum is counted: on shares present or represented, uncapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuorumRule {
    None,
    /// At least half of the shares present or represented (C-7: statutes amendments).
    HalfOfShares,
}

impl QuorumRule {
    pub fn as_str(self) -> &'static str {
        match self {
            QuorumRule::None => "none",
            QuorumRule::HalfOfShares => "half_of_shares",
        }
    }

    pub fn parse(s: &str) -> Option<QuorumRule> {
        match s {
            "none" => Some(QuorumRule::None),
            "half_of_shares" => Some(QuorumRule::HalfOfShares),
            _ => None,
        }
    }

    /// Whether `present` shares out of `total` meet the rule. No shares at all: no quorum.
    pub fn met(self, present: i64, total: i64) -> bool {
        match self {
            QuorumRule::None => true,
            QuorumRule::HalfOfShares => total > 0 && i128::from(present) * 2 >= i128::from(total),
        }
    }
}

/// The majority a resolution needs, on effective votes cast (abstentions excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MajorityRule {
    /// More yes than no.
    Simple,
    TwoThirds,
    /// C-7: statutes amendments (to confirm).
    ThreeQuarters,
    /// C-7: the object or the purpose (to confirm).
    FourFifths,
}

impl MajorityRule {
    pub fn as_str(self) -> &'static str {
        match self {
            MajorityRule::Simple => "simple",
            MajorityRule::TwoThirds => "two_thirds",
            MajorityRule::ThreeQuarters => "three_quarters",
            MajorityRule::FourFifths => "four_fifths",
        }
    }

    pub fn parse(s: &str) -> Option<MajorityRule> {
        match s {
            "simple" => Some(MajorityRule::Simple),
            "two_thirds" => Some(MajorityRule::TwoThirds),
            "three_quarters" => Some(MajorityRule::ThreeQuarters),
            "four_fifths" => Some(MajorityRule::FourFifths),
            _ => None,
        }
    }

    /// Exact comparison: for ¾, `yes × 4 ≥ 3 × (yes + no)`. No vote cast: not adopted.
    pub fn reached(self, yes: Votes, no: Votes) -> bool {
        let cast = yes.0 + no.0;
        if cast <= Ratio::from_integer(0) {
            return false;
        }
        let (num, den): (i128, i128) = match self {
            MajorityRule::Simple => return yes.0 > no.0,
            MajorityRule::TwoThirds => (2, 3),
            MajorityRule::ThreeQuarters => (3, 4),
            MajorityRule::FourFifths => (4, 5),
        };
        yes.0 * Ratio::from_integer(den) >= cast * Ratio::from_integer(num)
    }
}

/// What a resolution decides; the kind gives the default quorum and majority (C-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionKind {
    Ordinary,
    Statutes,
    Object,
    Appointment,
    Allowance,
    Appropriation,
    Accounts,
    Discharge,
    Other,
}

impl ResolutionKind {
    pub const ALL: [ResolutionKind; 9] = [
        ResolutionKind::Ordinary,
        ResolutionKind::Accounts,
        ResolutionKind::Discharge,
        ResolutionKind::Appropriation,
        ResolutionKind::Appointment,
        ResolutionKind::Allowance,
        ResolutionKind::Statutes,
        ResolutionKind::Object,
        ResolutionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResolutionKind::Ordinary => "ordinary",
            ResolutionKind::Statutes => "statutes",
            ResolutionKind::Object => "object",
            ResolutionKind::Appointment => "appointment",
            ResolutionKind::Allowance => "allowance",
            ResolutionKind::Appropriation => "appropriation",
            ResolutionKind::Accounts => "accounts",
            ResolutionKind::Discharge => "discharge",
            ResolutionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ResolutionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// C-7 (to confirm): amending the statutes needs half of the shares and ¾ of the votes;
    /// the object or the purpose ½ of the shares and 4/5; the rest no quorum and a simple
    /// majority. The board may set other rules per resolution when the statutes say so.
    pub fn default_rules(self) -> (QuorumRule, MajorityRule) {
        match self {
            ResolutionKind::Statutes => (QuorumRule::HalfOfShares, MajorityRule::ThreeQuarters),
            ResolutionKind::Object => (QuorumRule::HalfOfShares, MajorityRule::FourFifths),
            _ => (QuorumRule::None, MajorityRule::Simple),
        }
    }
}

/// Where a resolution stands: `Pending → Open → Adopted | Rejected`, or `Pending →
/// Withdrawn` when the assembly closes without voting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionStatus {
    Pending,
    Open,
    Adopted,
    Rejected,
    Withdrawn,
}

impl ResolutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ResolutionStatus::Pending => "pending",
            ResolutionStatus::Open => "open",
            ResolutionStatus::Adopted => "adopted",
            ResolutionStatus::Rejected => "rejected",
            ResolutionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ResolutionStatus> {
        [
            ResolutionStatus::Pending,
            ResolutionStatus::Open,
            ResolutionStatus::Adopted,
            ResolutionStatus::Rejected,
            ResolutionStatus::Withdrawn,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Only a pending resolution is opened for the vote.
    pub fn can_open(self) -> bool {
        self == ResolutionStatus::Pending
    }

    /// Ballots are taken and the vote closed only while it is open.
    pub fn is_open(self) -> bool {
        self == ResolutionStatus::Open
    }

    pub fn is_decided(self) -> bool {
        matches!(self, ResolutionStatus::Adopted | ResolutionStatus::Rejected)
    }
}

/// A resolution to put on the agenda, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResolutionForm {
    #[serde(default)]
    pub ga_res_title: String,
    #[serde(default)]
    pub ga_res_body: String,
    #[serde(default)]
    pub ga_res_kind: String,
    /// Empty: the kind's default (C-7).
    #[serde(default)]
    pub ga_quorum_rule: String,
    #[serde(default)]
    pub ga_majority_rule: String,
}

/// A resolution ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewResolution {
    pub title: String,
    pub body: String,
    pub kind: ResolutionKind,
    pub rules: Rules,
}

impl ResolutionForm {
    pub fn parse(&self) -> Result<NewResolution, crate::validate::FieldErrors> {
        let mut errors = crate::validate::FieldErrors::new();
        let title = errors.required("ga_res_title", &self.ga_res_title, 300);
        let body = self.ga_res_body.trim().to_string();
        if body.chars().count() > 20_000 {
            errors.add("ga_res_body", "too-long");
        }
        let kind = ResolutionKind::parse(self.ga_res_kind.trim());
        if kind.is_none() {
            errors.add("ga_res_kind", "ga-unknown-kind");
        }
        let (default_quorum, default_majority) =
            kind.unwrap_or(ResolutionKind::Ordinary).default_rules();
        let quorum = match self.ga_quorum_rule.trim() {
            "" => Some(default_quorum),
            q => QuorumRule::parse(q),
        };
        if quorum.is_none() {
            errors.add("ga_quorum_rule", "ga-unknown-rule");
        }
        let majority = match self.ga_majority_rule.trim() {
            "" => Some(default_majority),
            m => MajorityRule::parse(m),
        };
        if majority.is_none() {
            errors.add("ga_majority_rule", "ga-unknown-rule");
        }
        errors.into_result(|| NewResolution {
            title,
            body,
            kind: kind.unwrap_or(ResolutionKind::Ordinary),
            rules: Rules {
                quorum: quorum.unwrap_or(default_quorum),
                majority: majority.unwrap_or(default_majority),
            },
        })
    }
}

/// A holder's raw votes from their holdings `(shares, votes_per_share)` per class, as the
/// statutes weigh them (C-1, CSA 6:41: one vote per share unless the statutes say
/// otherwise; one member, one vote in many cooperatives).
pub fn raw_votes(weighting: VoteWeighting, holdings: &[(i64, i64)]) -> i64 {
    let shares: i64 = holdings.iter().map(|(s, _)| *s).sum();
    match weighting {
        VoteWeighting::PerPerson => i64::from(shares > 0),
        VoteWeighting::PerShare => holdings.iter().map(|(s, v)| s * v).sum(),
    }
}

/// The cap's parameters, from the dated governance parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapParams {
    pub denominator: u32,
    pub scope: CapScope,
    pub rounding: CapRounding,
    pub inconsistent: InconsistentCapPolicy,
}

impl From<&GovernanceParams> for CapParams {
    fn from(p: &GovernanceParams) -> Self {
        CapParams {
            denominator: p.vote_cap_denominator,
            scope: p.cap_scope,
            rounding: p.cap_rounding,
            inconsistent: p.inconsistent_cap_policy,
        }
    }
}

/// One shareholder in the attendance snapshot of a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderInput {
    pub person_id: i64,
    pub raw_votes: i64,
    pub shares: i64,
    /// The proxy holder of an active delegation. While it is active the holder votes only
    /// through the proxy (OpenSlides client#3518).
    pub proxy: Option<i64>,
}

/// The attendance snapshot of one resolution.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Every shareholder at the assembly's date, present or not.
    pub holders: Vec<HolderInput>,
    /// The persons present (in the room or online), shareholders or proxy holders.
    pub present: BTreeSet<i64>,
}

/// One block of votes cast: the principal's votes, cast by the principal or their proxy.
/// A proxy holder casts one ballot per principal, so they may split the delegated votes
/// as each principal instructed (OpenSlides #6825, #6587).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub principal: i64,
    pub cast_by: i64,
    pub choice: Choice,
}

/// Why a ballot cannot count; the store refuses it before writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    #[error("{0} is not present or represented for this vote")]
    NotEntitled(i64),
    #[error("{cast_by} may not cast the votes of {principal}")]
    WrongCaster { principal: i64, cast_by: i64 },
    #[error("the votes of {0} were already cast")]
    AlreadyCast(i64),
}

/// The resolution's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub quorum: QuorumRule,
    pub majority: MajorityRule,
}

/// Yes, no and abstentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub yes: Votes,
    pub no: Votes,
    pub abstain: Votes,
}

impl Tally {
    fn add(&mut self, choice: Choice, v: Votes) {
        match choice {
            Choice::Yes => self.yes += v,
            Choice::No => self.no += v,
            Choice::Abstain => self.abstain += v,
        }
    }

    /// Votes cast, abstentions excluded (the majority's base).
    pub fn cast(&self) -> Votes {
        self.yes + self.no
    }
}

/// One holder's line in the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderOutcome {
    pub person_id: i64,
    /// Who casts these votes: the holder, or the proxy holder.
    pub cast_by: i64,
    pub represented: bool,
    pub shares: i64,
    pub raw: i64,
    pub effective: Votes,
    pub choice: Option<Choice>,
}

/// The tally of one resolution, as kept in the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// T: raw votes of the shares present or represented, before capping.
    pub total_votes: Votes,
    pub cap: Votes,
    /// False when the cap was set aside under the inconsistent-cap policy.
    pub cap_applied: bool,
    /// TV-3: the cap is below one vote, so a literal cap would cut every single vote.
    pub cap_inconsistent: bool,
    pub cap_params: CapParams,
    pub rules: Rules,
    pub shares_present: i64,
    pub shares_total: i64,
    pub quorum_met: bool,
    pub present: i64,
    pub represented: i64,
    pub holders: Vec<HolderOutcome>,
    pub raw: Tally,
    pub effective: Tally,
    pub majority_reached: bool,
    pub adopted: bool,
}

/// The persons who may cast each counted holder's votes: the holder, or the present proxy.
fn counted(snapshot: &Snapshot) -> Vec<(&HolderInput, i64)> {
    snapshot
        .holders
        .iter()
        .filter_map(|h| match h.proxy {
            // A proxy's votes count only if the proxy holder is present (§4.1).
            Some(p) => snapshot.present.contains(&p).then_some((h, p)),
            None => snapshot
                .present
                .contains(&h.person_id)
                .then_some((h, h.person_id)),
        })
        .filter(|(h, _)| h.raw_votes > 0 || h.shares > 0)
        .collect()
}

/// Who casts each counted holder's votes: principal → caster (the holder, or the present
/// proxy holder).
fn casters(snapshot: &Snapshot) -> BTreeMap<i64, i64> {
    counted(snapshot)
        .into_iter()
        .map(|(h, caster)| (h.person_id, caster))
        .collect()
}

fn check_with(
    casters: &BTreeMap<i64, i64>,
    already_cast: bool,
    ballot: &Ballot,
) -> Result<(), VoteError> {
    let Some(caster) = casters.get(&ballot.principal) else {
        return Err(VoteError::NotEntitled(ballot.principal));
    };
    if *caster != ballot.cast_by {
        return Err(VoteError::WrongCaster {
            principal: ballot.principal,
            cast_by: ballot.cast_by,
        });
    }
    if already_cast {
        return Err(VoteError::AlreadyCast(ballot.principal));
    }
    Ok(())
}

/// Checks one more ballot against the snapshot and the ballots already cast.
pub fn check_ballot(
    snapshot: &Snapshot,
    cast: &[Ballot],
    ballot: &Ballot,
) -> Result<(), VoteError> {
    let already = cast.iter().any(|b| b.principal == ballot.principal);
    check_with(&casters(snapshot), already, ballot)
}

/// Tallies one resolution. Linear in holders and ballots: every ballot is checked against
/// one map of who casts what, not against the whole snapshot again.
pub fn tally(
    snapshot: &Snapshot,
    ballots: &[Ballot],
    params: CapParams,
    rules: Rules,
) -> Result<Outcome, VoteError> {
    let casters = casters(snapshot);
    let mut seen: BTreeSet<i64> = BTreeSet::new();
    for b in ballots {
        check_with(&casters, seen.contains(&b.principal), b)?;
        seen.insert(b.principal);
    }
    let choices: BTreeMap<i64, Choice> = ballots.iter().map(|b| (b.principal, b.choice)).collect();
    let counted = counted(snapshot);

    let total: i128 = counted.iter().map(|(h, _)| i128::from(h.raw_votes)).sum();
    let denominator = i128::from(params.denominator.max(1));
    let exact_cap = Ratio::new(total, denominator);
    let cap = match params.rounding {
        CapRounding::Exact => exact_cap,
        CapRounding::Floor => exact_cap.floor(),
    };
    // TV-3: with fewer voters than the denominator, the cap is below one vote.
    let one = Ratio::from_integer(1);
    let cap_inconsistent = total > 0 && cap < one;
    let every_voter_has_one = counted.iter().all(|(h, _)| h.raw_votes == 1);
    let cap_applied = !(cap_inconsistent
        && params.inconsistent == InconsistentCapPolicy::NoCap
        && every_voter_has_one);

    // Per caster (aggregate scope): the raw votes one person casts, own and delegated.
    let mut by_caster: BTreeMap<i64, i128> = BTreeMap::new();
    for (h, caster) in &counted {
        *by_caster.entry(*caster).or_default() += i128::from(h.raw_votes);
    }

    let mut holders = Vec::with_capacity(counted.len());
    let mut raw = Tally::default();
    let mut effective = Tally::default();
    let (mut present, mut represented) = (0, 0);
    let mut shares_present = 0;
    for (h, caster) in &counted {
        let own = Ratio::from_integer(i128::from(h.raw_votes));
        let eff = if !cap_applied {
            own
        } else {
            match params.scope {
                CapScope::PerPrincipal => own.min(cap),
                CapScope::Aggregate => {
                    // The cap bounds everything one person casts; each block keeps its
                    // share of the capped total.
                    let group = Ratio::from_integer(by_caster.get(caster).copied().unwrap_or(0));
                    if group <= cap || group == Ratio::from_integer(0) {
                        own
                    } else {
                        own * cap / group
                    }
                }
            }
        };
        let choice = choices.get(&h.person_id).copied();
        if let Some(c) = choice {
            raw.add(c, Votes(own));
            effective.add(c, Votes(eff));
        }
        if h.proxy.is_some() {
            represented += 1;
        } else {
            present += 1;
        }
        shares_present += h.shares;
        holders.push(HolderOutcome {
            person_id: h.person_id,
            cast_by: *caster,
            represented: h.proxy.is_some(),
            shares: h.shares,
            raw: h.raw_votes,
            effective: Votes(eff),
            choice,
        });
    }
    let shares_total: i64 = snapshot.holders.iter().map(|h| h.shares).sum();
    let quorum_met = rules.quorum.met(shares_present, shares_total);
    let majority_reached = rules.majority.reached(effective.yes, effective.no);
    Ok(Outcome {
        total_votes: Votes(Ratio::from_integer(total)),
        cap: Votes(cap),
        cap_applied,
        cap_inconsistent,
        cap_params: params,
        rules,
        shares_present,
        shares_total,
        quorum_met,
        present,
        represented,
        holders,
        raw,
        effective,
        majority_reached,
        adopted: quorum_met && majority_reached,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn params(scope: CapScope, rounding: CapRounding) -> CapParams {
        CapParams {
            denominator: 10,
            scope,
            rounding,
            inconsistent: InconsistentCapPolicy::NoCap,
        }
    }

    const SIMPLE: Rules = Rules {
        quorum: QuorumRule::None,
        majority: MajorityRule::Simple,
    };

    /// Holders present in person, one share per vote; ids from 1.
    fn present(votes: &[i64]) -> Snapshot {
        let holders: Vec<HolderInput> = votes
            .iter()
            .enumerate()
            .map(|(i, v)| HolderInput {
                person_id: i as i64 + 1,
                raw_votes: *v,
                shares: *v,
                proxy: None,
            })
            .collect();
        let present = holders.iter().map(|h| h.person_id).collect();
        Snapshot { holders, present }
    }

    fn own(person: i64, choice: Choice) -> Ballot {
        Ballot {
            principal: person,
            cast_by: person,
            choice,
        }
    }

    fn effective_of(o: &Outcome, person: i64) -> Votes {
        o.holders
            .iter()
            .find(|h| h.person_id == person)
            .unwrap()
            .effective
    }

    #[test]
    fn tv1_the_cap_of_77_turns_an_adopted_resolution_into_a_rejected_one() {
        let mut votes = vec![300, 120, 50];
        votes.extend([10; 30]);
        let snapshot = present(&votes);
        let ballots: Vec<Ballot> = (1..=33)
            .map(|p| own(p, if p <= 2 { Choice::Yes } else { Choice::No }))
            .collect();
        let o = tally(
            &snapshot,
            &ballots,
            params(CapScope::PerPrincipal, CapRounding::Exact),
            SIMPLE,
        )
        .unwrap();
        assert_eq!(o.total_votes, Votes::whole(770));
        assert_eq!(o.cap, Votes::whole(77));
        assert_eq!(effective_of(&o, 1), Votes::whole(77));
        assert_eq!(effective_of(&o, 2), Votes::whole(77));
        assert_eq!(effective_of(&o, 3), Votes::whole(50));
        let total_effective = o.effective.yes + o.effective.no + o.effective.abstain;
        assert_eq!(total_effective, Votes::whole(504));
        assert_eq!(
            (o.effective.yes, o.effective.no),
            (Votes::whole(154), Votes::whole(350))
        );
        assert_eq!(
            (o.raw.yes, o.raw.no),
            (Votes::whole(420), Votes::whole(350))
        );
        assert!(!o.adopted, "capped: 154 v 350");
        assert!(
            SIMPLE.majority.reached(o.raw.yes, o.raw.no),
            "uncapped it would pass"
        );
        assert!(!o.cap_inconsistent);
    }

    #[test]
    fn tv2_a_cap_of_nine_and_a_half_floors_to_nine_or_stays_exact() {
        let mut votes = vec![20];
        votes.extend([5; 15]);
        let snapshot = present(&votes);
        let floor = tally(
            &snapshot,
            &[],
            params(CapScope::PerPrincipal, CapRounding::Floor),
            SIMPLE,
        )
        .unwrap();
        assert_eq!(floor.total_votes, Votes::whole(95));
        assert_eq!(floor.cap, Votes::whole(9));
        assert_eq!(effective_of(&floor, 1), Votes::whole(9));
        assert_eq!(effective_of(&floor, 2), Votes::whole(5));
        let exact = tally(
            &snapshot,
            &[],
            params(CapScope::PerPrincipal, CapRounding::Exact),
            SIMPLE,
        )
        .unwrap();
        assert_eq!(exact.cap, Votes::new(19, 2));
        assert_eq!(effective_of(&exact, 1), Votes::new(19, 2));
        assert_eq!(effective_of(&exact, 1).display(), "9.5");
        assert_eq!(effective_of(&exact, 16), Votes::whole(5));
    }

    #[test]
    fn tv3_seven_members_with_one_vote_each_raise_cap_inconsistent() {
        let snapshot = present(&[1; 7]);
        let ballots: Vec<Ballot> = (1..=7)
            .map(|p| own(p, if p <= 4 { Choice::Yes } else { Choice::No }))
            .collect();
        // Literal reading, floored: everyone 0 votes, nothing can pass.
        let literal = CapParams {
            inconsistent: InconsistentCapPolicy::Literal,
            ..params(CapScope::PerPrincipal, CapRounding::Floor)
        };
        let o = tally(&snapshot, &ballots, literal, SIMPLE).unwrap();
        assert!(o.cap_inconsistent);
        assert!(o.cap_applied);
        assert_eq!(o.cap, Votes::zero());
        assert_eq!(o.effective.yes, Votes::zero());
        assert!(!o.adopted);
        // Counsel's policy "no cap when every voter has one vote": 4 v 3, adopted.
        let no_cap = params(CapScope::PerPrincipal, CapRounding::Floor);
        let o = tally(&snapshot, &ballots, no_cap, SIMPLE).unwrap();
        assert!(o.cap_inconsistent);
        assert!(!o.cap_applied);
        assert_eq!(
            (o.effective.yes, o.effective.no),
            (Votes::whole(4), Votes::whole(3))
        );
        assert!(o.adopted);
        // Exact rounding: T/10 = 0.7, still below one vote: flagged too.
        let exact = params(CapScope::PerPrincipal, CapRounding::Exact);
        assert!(
            tally(&snapshot, &ballots, exact, SIMPLE)
                .unwrap()
                .cap_inconsistent
        );
    }

    /// TV-4: D (id 1) 40 own votes, proxies for P1 30, P2 25, P3 20 (ids 2–4); E 200 (5),
    /// F 100 (6), 37 others × 5 (7–43). T = 600.
    fn tv4() -> Snapshot {
        let mut s = present(&{
            let mut v = vec![40, 30, 25, 20, 200, 100];
            v.extend([5; 37]);
            v
        });
        for h in s
            .holders
            .iter_mut()
            .filter(|h| (2..=4).contains(&h.person_id))
        {
            h.proxy = Some(1);
            s.present.remove(&h.person_id);
        }
        s
    }

    fn tv4_ballots() -> Vec<Ballot> {
        (1..=43)
            .map(|p| Ballot {
                principal: p,
                cast_by: if (2..=4).contains(&p) { 1 } else { p },
                choice: Choice::Yes,
            })
            .collect()
    }

    #[test]
    fn tv4_aggregate_scope_caps_d_with_the_proxies_at_60() {
        let o = tally(
            &tv4(),
            &tv4_ballots(),
            params(CapScope::Aggregate, CapRounding::Exact),
            SIMPLE,
        )
        .unwrap();
        assert_eq!(o.total_votes, Votes::whole(600));
        assert_eq!(o.cap, Votes::whole(60));
        let d: Votes = o
            .holders
            .iter()
            .filter(|h| h.cast_by == 1)
            .fold(Votes::zero(), |a, h| a + h.effective);
        assert_eq!(d, Votes::whole(60));
        assert_eq!(effective_of(&o, 5), Votes::whole(60));
        assert_eq!(effective_of(&o, 6), Votes::whole(60));
        assert_eq!(o.effective.yes, Votes::whole(365));
        assert_eq!(o.represented, 3);
    }

    #[test]
    fn tv4_per_principal_scope_lets_d_cast_115() {
        let o = tally(
            &tv4(),
            &tv4_ballots(),
            params(CapScope::PerPrincipal, CapRounding::Exact),
            SIMPLE,
        )
        .unwrap();
        let d: Votes = o
            .holders
            .iter()
            .filter(|h| h.cast_by == 1)
            .fold(Votes::zero(), |a, h| a + h.effective);
        assert_eq!(d, Votes::whole(115));
        assert_eq!(effective_of(&o, 5), Votes::whole(60));
        assert_eq!(effective_of(&o, 6), Votes::whole(60));
        assert_eq!(o.effective.yes, Votes::whole(420));
    }

    #[test]
    fn tv5_three_quarters_is_compared_exactly_and_abstentions_are_excluded() {
        let three_q = MajorityRule::ThreeQuarters;
        assert!(
            three_q.reached(Votes::whole(480), Votes::whole(160)),
            "480/640 = 0.75"
        );
        assert!(
            !three_q.reached(Votes::whole(479), Votes::whole(161)),
            "0.7484"
        );
        assert!(MajorityRule::Simple.reached(Votes::whole(340), Votes::whole(300)));
        assert!(!MajorityRule::Simple.reached(Votes::whole(300), Votes::whole(300)));
        assert!(MajorityRule::FourFifths.reached(Votes::whole(80), Votes::whole(20)));
        assert!(!MajorityRule::FourFifths.reached(Votes::whole(79), Votes::whole(21)));
        assert!(MajorityRule::TwoThirds.reached(Votes::whole(2), Votes::whole(1)));
        assert!(!MajorityRule::Simple.reached(Votes::zero(), Votes::zero()));
        // Through the engine, with 120 abstentions that do not count.
        let mut votes = vec![1; 480 + 160 + 120];
        votes[0] = 1;
        let snapshot = present(&votes);
        let ballots: Vec<Ballot> = (1..=760)
            .map(|p| {
                own(
                    p,
                    match p {
                        1..=480 => Choice::Yes,
                        481..=640 => Choice::No,
                        _ => Choice::Abstain,
                    },
                )
            })
            .collect();
        let rules = Rules {
            quorum: QuorumRule::None,
            majority: MajorityRule::ThreeQuarters,
        };
        let o = tally(
            &snapshot,
            &ballots,
            params(CapScope::PerPrincipal, CapRounding::Exact),
            rules,
        )
        .unwrap();
        assert_eq!(o.effective.abstain, Votes::whole(120));
        assert!(o.adopted);
    }

    #[test]
    fn tv5b_the_quorum_counts_shares_uncapped() {
        // 2,000 shares; Alice 600 and ten others × 50 present (1,100), 900 absent.
        let mut votes = vec![600];
        votes.extend([50; 10]);
        votes.extend([100; 9]);
        let mut snapshot = present(&votes);
        for id in 12..=20 {
            snapshot.present.remove(&id);
        }
        let rules = Rules {
            quorum: QuorumRule::HalfOfShares,
            majority: MajorityRule::ThreeQuarters,
        };
        let o = tally(
            &snapshot,
            &[own(1, Choice::Yes)],
            params(CapScope::PerPrincipal, CapRounding::Exact),
            rules,
        )
        .unwrap();
        assert_eq!((o.shares_present, o.shares_total), (1100, 2000));
        assert!(o.quorum_met);
        assert_eq!(
            effective_of(&o, 1),
            Votes::whole(110),
            "Alice is capped at T/10"
        );
        assert!(o.adopted);
        // 999 of 2,000 would not do.
        assert!(!QuorumRule::HalfOfShares.met(999, 2000));
        assert!(QuorumRule::HalfOfShares.met(1000, 2000));
    }

    #[test]
    fn a_proxy_counts_only_when_its_holder_is_present() {
        let mut s = present(&[10, 10, 10]);
        s.holders[1].proxy = Some(99);
        s.present.remove(&2);
        let o = tally(
            &s,
            &[],
            params(CapScope::PerPrincipal, CapRounding::Exact),
            SIMPLE,
        )
        .unwrap();
        assert_eq!(o.total_votes, Votes::whole(20));
        assert_eq!(
            check_ballot(
                &s,
                &[],
                &Ballot {
                    principal: 2,
                    cast_by: 99,
                    choice: Choice::Yes
                }
            ),
            Err(VoteError::NotEntitled(2))
        );
        s.present.insert(99);
        let o = tally(
            &s,
            &[],
            params(CapScope::PerPrincipal, CapRounding::Exact),
            SIMPLE,
        )
        .unwrap();
        assert_eq!(o.total_votes, Votes::whole(30));
    }

    #[test]
    fn a_principal_with_an_active_delegation_cannot_vote_and_nobody_votes_twice() {
        let mut s = present(&[10, 10]);
        s.holders[1].proxy = Some(1);
        assert_eq!(
            check_ballot(&s, &[], &own(2, Choice::No)),
            Err(VoteError::WrongCaster {
                principal: 2,
                cast_by: 2
            })
        );
        let first = Ballot {
            principal: 2,
            cast_by: 1,
            choice: Choice::No,
        };
        assert_eq!(check_ballot(&s, &[], &first), Ok(()));
        assert_eq!(
            check_ballot(&s, &[first], &first),
            Err(VoteError::AlreadyCast(2))
        );
        assert!(
            tally(
                &s,
                &[first, first],
                params(CapScope::Aggregate, CapRounding::Floor),
                SIMPLE
            )
            .is_err()
        );
    }

    #[test]
    fn votes_read_back_exactly_and_show_as_decimals() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let read =
            |s: &str| Votes::deserialize::<StrDeserializer<'_, Error>>(s.into_deserializer());
        assert_eq!(read("19/2").unwrap(), Votes::new(19, 2));
        assert_eq!(read("77").unwrap(), Votes::whole(77));
        assert!(read("1/0").is_err());
        assert_eq!(Votes::new(770, 3).display(), "256.67");
        assert_eq!(Votes::whole(77).display(), "77");
        assert_eq!(Votes::new(1, 4).display(), "0.25");
    }

    #[test]
    fn kinds_give_the_default_rules() {
        assert_eq!(
            ResolutionKind::Statutes.default_rules(),
            (QuorumRule::HalfOfShares, MajorityRule::ThreeQuarters)
        );
        assert_eq!(
            ResolutionKind::Object.default_rules().1,
            MajorityRule::FourFifths
        );
        assert_eq!(
            ResolutionKind::Accounts.default_rules(),
            (QuorumRule::None, MajorityRule::Simple)
        );
        assert_eq!(raw_votes(VoteWeighting::PerPerson, &[(4, 1), (2, 3)]), 1);
        assert_eq!(raw_votes(VoteWeighting::PerShare, &[(4, 1), (2, 3)]), 10);
    }

    #[test]
    fn a_resolution_form_takes_the_kinds_rules_unless_told_otherwise() {
        let form = ResolutionForm {
            ga_res_title: "Modification des statuts".into(),
            ga_res_kind: "statutes".into(),
            ..Default::default()
        };
        let r = form.parse().unwrap();
        assert_eq!(r.rules.quorum, QuorumRule::HalfOfShares);
        assert_eq!(r.rules.majority, MajorityRule::ThreeQuarters);
        let bad = ResolutionForm {
            ga_res_kind: "coup".into(),
            ga_majority_rule: "most".into(),
            ..Default::default()
        };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.get("ga_res_title"), Some("required"));
        assert_eq!(e.get("ga_res_kind"), Some("ga-unknown-kind"));
        assert_eq!(e.get("ga_majority_rule"), Some("ga-unknown-rule"));
        assert!(!ResolutionStatus::Adopted.can_open());
        assert!(!ResolutionStatus::Rejected.is_open());
    }
}
