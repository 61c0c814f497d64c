//! General assemblies (C11; reference/governance.md §4): the agenda, the convocation of
//! every shareholder through the outbox, attendance, the proxy register, the members'
//! ballots, the tally of each resolution with the 1/10 cap, and the minutes frozen at
//! closing.
//!
//! The vote itself is [`ruche_domain::governance::vote`]: this module builds its attendance
//! snapshot from the register (holdings on the assembly's date, weighted as the statutes in
//! force then say), the attendance and the active proxies, and checks every ballot against
//! it inside the transaction that writes the ballot, so a second vote, a vote after closing
//! or a vote by a principal with an active delegation is refused with nothing written.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use ruche_domain::governance::convocation::{
    self, AssemblyKind, AssemblyStatus, ConveneRequest, NewAssembly,
};
use ruche_domain::governance::params::params_on;
use ruche_domain::governance::vote::{
    self, Ballot, CapParams, Choice, HolderInput, MajorityRule, NewResolution, Outcome, QuorumRule,
    ResolutionKind, ResolutionStatus, Rules, Snapshot, Tally, VoteError, VoteWeighting, Votes,
};
use ruche_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};

use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Conflict` code: the assembly is not in a state that allows this step.
pub const REFUSED_STATUS: &str = "ga-status";
/// `Conflict` code: an assembly is convened with an agenda of at least one resolution.
pub const REFUSED_NO_AGENDA: &str = "ga-no-agenda";
/// `Conflict` code: the convocation comes too late for the notice (15 days).
pub const REFUSED_NOTICE: &str = "ga-notice-too-short";
/// `Conflict` code: the resolution is not in a state that allows this step.
pub const REFUSED_RESOLUTION_STATUS: &str = "ga-resolution-status";
/// `Conflict` code: the vote on this resolution is not open (not yet, or closed).
pub const REFUSED_VOTE_CLOSED: &str = "ga-vote-closed";
/// `Conflict` code: these votes were already cast on this resolution.
pub const REFUSED_ALREADY_CAST: &str = "ga-vote-already-cast";
/// `Conflict` code: the principal gave a proxy: only the proxy holder votes for them.
pub const REFUSED_DELEGATED: &str = "ga-vote-delegated";
/// `Conflict` code: the person may not cast these votes (not a shareholder present, or not
/// their proxy holder present).
pub const REFUSED_NOT_ENTITLED: &str = "ga-vote-not-entitled";
/// `Conflict` code: a resolution is still open: close it before closing the assembly.
pub const REFUSED_OPEN_RESOLUTION: &str = "ga-resolution-still-open";
/// Field codes of a refused proxy (on the field `ga_holder` or `ga_principal`).
pub const PROXY_LIMIT: &str = "ga-proxy-limit";
pub const PROXY_NOT_MEMBER: &str = "ga-proxy-not-member";
pub const PROXY_SELF: &str = "ga-proxy-self";
pub const PROXY_EXISTS: &str = "ga-proxy-exists";
pub const PROXY_NOT_HOLDER: &str = "ga-proxy-principal-not-holder";
pub const PROXY_CHAIN: &str = "ga-proxy-chain";
pub const PROXY_VOTED: &str = "ga-proxy-already-voted";

/// The most shareholders one assembly reads (TigerStyle: a bound on every list).
const MAX_HOLDERS: i64 = 100_000;
/// The most resolutions on one agenda.
pub const MAX_RESOLUTIONS: i64 = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AssemblyRecord {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub starts_at: String,
    pub place: String,
    pub online: bool,
    pub status: String,
    pub convened_on: Option<String>,
    pub requested_on: Option<String>,
    pub closed_at: Option<i64>,
    pub minutes_sha256: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl AssemblyRecord {
    pub fn status(&self) -> Result<AssemblyStatus> {
        AssemblyStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("assembly status {}", self.status)))
    }

    pub fn kind(&self) -> Option<AssemblyKind> {
        AssemblyKind::parse(&self.kind)
    }

    pub fn held_on(&self) -> Result<Date> {
        self.held_on
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("assembly date {}", self.held_on)))
    }

    /// CSA 6:70 §1: when holders of 1/10 of the shares asked, the convocation deadline.
    pub fn convene_deadline(&self) -> Option<Date> {
        let requested: Date = self.requested_on.as_deref()?.parse().ok()?;
        let params = params_on(requested).ok()?;
        Some(
            requested.saturating_add(jiff::Span::new().days(i64::from(params.convene_within_days))),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ResolutionRecord {
    pub id: i64,
    pub assembly_id: i64,
    pub position: i64,
    pub title: String,
    pub body: String,
    pub kind: String,
    pub quorum_rule: String,
    pub majority_rule: String,
    pub status: String,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// The tally at closing, as JSON ([`Outcome`]).
    pub tally: Option<String>,
}

impl ResolutionRecord {
    pub fn status(&self) -> Result<ResolutionStatus> {
        ResolutionStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("resolution status {}", self.status)))
    }

    pub fn rules(&self) -> Result<Rules> {
        let quorum = QuorumRule::parse(&self.quorum_rule)
            .ok_or_else(|| StoreError::Corrupt(format!("quorum rule {}", self.quorum_rule)))?;
        let majority = MajorityRule::parse(&self.majority_rule)
            .ok_or_else(|| StoreError::Corrupt(format!("majority rule {}", self.majority_rule)))?;
        Ok(Rules { quorum, majority })
    }

    /// The tally kept at closing.
    pub fn outcome(&self) -> Result<Option<Outcome>> {
        self.tally
            .as_deref()
            .map(|t| serde_json::from_str(t).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AttendanceRecord {
    pub person_id: i64,
    pub name: String,
    /// `room` or `online`.
    pub mode: String,
    pub marked_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ProxyRecord {
    pub id: i64,
    pub assembly_id: i64,
    pub principal_person_id: i64,
    pub principal_name: String,
    pub holder_person_id: i64,
    pub holder_name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct BallotRecord {
    pub id: i64,
    pub resolution_id: i64,
    pub principal_person_id: i64,
    pub cast_by_person_id: i64,
    pub choice: String,
    pub cast_at: i64,
}

/// A shareholder on the assembly's date, with the votes the statutes give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotingHolder {
    pub person_id: i64,
    pub name: String,
    pub shares: i64,
    pub raw_votes: i64,
}

/// The voting rules of an assembly: the statutes in force on its date and the dated
/// parameters of the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRules {
    pub weighting: VoteWeighting,
    /// `None`: the statutes set no limit (CSA 6:80).
    pub proxies_per_holder: Option<i64>,
    pub proxy_must_be_member: bool,
    pub cap: CapParams,
    pub params_version: String,
}

/// Who is to be convened, and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Convocee {
    pub person_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub language: String,
    pub shares: i64,
}

/// One convocation mail, rendered by the caller in the person's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvocationMail {
    pub person_id: i64,
    pub language: String,
    /// `None`: no e-mail address, convened by post.
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
}

/// One block of votes a person may cast: their own, or a principal's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteBlock {
    pub principal_person_id: i64,
    pub principal_name: String,
    pub raw_votes: i64,
    pub own: bool,
}

/// What a person sees on the vote page of an assembly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoterView {
    /// Their own shareholding gives them a vote.
    pub is_holder: bool,
    /// An active proxy they gave: they cannot vote themselves (OpenSlides client#3518).
    pub delegated_to: Option<ProxyRecord>,
    pub blocks: Vec<VoteBlock>,
    /// The ballots already cast by them, by (resolution, principal).
    pub cast: Vec<BallotRecord>,
}

/// The frozen minutes of a closed assembly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    pub assembly: AssemblyRecord,
    pub rules: VoteRules,
    pub members_convened: i64,
    pub holders: Vec<VotingHolder>,
    pub attendance: Vec<AttendanceRecord>,
    pub proxies: Vec<ProxyRecord>,
    pub resolutions: Vec<MinutesResolution>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesResolution {
    pub resolution: ResolutionRecord,
    pub outcome: Option<Outcome>,
}

impl Minutes {
    /// A person's name as it stood at closing.
    pub fn name_of(&self, person_id: i64) -> String {
        self.holders
            .iter()
            .find(|h| h.person_id == person_id)
            .map(|h| h.name.clone())
            .or_else(|| {
                self.attendance
                    .iter()
                    .find(|a| a.person_id == person_id)
                    .map(|a| a.name.clone())
            })
            .or_else(|| {
                self.proxies
                    .iter()
                    .find(|p| p.holder_person_id == person_id)
                    .map(|p| p.holder_name.clone())
            })
            .unwrap_or_else(|| format!("#{person_id}"))
    }
}

/// The stored minutes: the snapshot and, once rendered, the PDF and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesRecord {
    pub minutes: Minutes,
    pub params_version: String,
    pub pdf: Option<Vec<u8>>,
    pub sha256: Option<String>,
    pub created_at: i64,
}

/// One assembly of a year, for the special report (§3, section 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssemblyYear {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub status: String,
    pub present: i64,
    pub represented: i64,
    pub proxies: i64,
    pub members_convened: i64,
    pub resolutions: Vec<ResolutionYear>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolutionYear {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub raw: Tally,
    pub effective: Tally,
    pub cap: Votes,
    pub cap_inconsistent: bool,
}

const ASSEMBLY: &str = "SELECT id, kind, title, held_on, starts_at, place, online, status, \
    convened_on, requested_on, closed_at, minutes_sha256, created_by, created_at, updated_at \
    FROM general_assemblies WHERE id = $1";
const ASSEMBLIES: &str = "SELECT id, kind, title, held_on, starts_at, place, online, status, \
    convened_on, requested_on, closed_at, minutes_sha256, created_by, created_at, updated_at \
    FROM general_assemblies ORDER BY held_on DESC, id DESC LIMIT $1 OFFSET $2";
const ASSEMBLIES_COUNT: &str = "SELECT COUNT(*) FROM general_assemblies";
const ASSEMBLIES_IN_YEAR: &str = "SELECT id, kind, title, held_on, starts_at, place, online, \
    status, convened_on, requested_on, closed_at, minutes_sha256, created_by, created_at, \
    updated_at FROM general_assemblies WHERE held_on >= $1 AND held_on <= $2 \
    ORDER BY held_on, id LIMIT 1000";
/// The assemblies a person was convened to or holds a proxy at (not drafts).
const ASSEMBLIES_OF_PERSON: &str = "SELECT id, kind, title, held_on, starts_at, place, online, \
    status, convened_on, requested_on, closed_at, minutes_sha256, created_by, created_at, \
    updated_at FROM general_assemblies g WHERE g.status <> 'draft' AND (\
    EXISTS (SELECT 1 FROM ga_convocations c WHERE c.assembly_id = g.id AND c.person_id = $1) \
    OR EXISTS (SELECT 1 FROM ga_proxies x WHERE x.assembly_id = g.id \
    AND x.holder_person_id = $1 AND x.revoked_at IS NULL)) \
    ORDER BY held_on DESC, id DESC LIMIT $2 OFFSET $3";
const ASSEMBLIES_OF_PERSON_COUNT: &str = "SELECT COUNT(*) FROM general_assemblies g \
    WHERE g.status <> 'draft' AND (\
    EXISTS (SELECT 1 FROM ga_convocations c WHERE c.assembly_id = g.id AND c.person_id = $1) \
    OR EXISTS (SELECT 1 FROM ga_proxies x WHERE x.assembly_id = g.id \
    AND x.holder_person_id = $1 AND x.revoked_at IS NULL))";
const ASSEMBLY_INSERT: &str = "INSERT INTO general_assemblies (kind, title, held_on, \
    starts_at, place, online, status, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $8) RETURNING id";
const ASSEMBLY_SET_STATUS: &str = "UPDATE general_assemblies SET status = $1, updated_at = $2 \
    WHERE id = $3 AND status = $4";
const ASSEMBLY_CONVENED: &str = "UPDATE general_assemblies SET status = 'convened', \
    convened_on = $1, updated_at = $2 WHERE id = $3 AND status = 'draft'";
const ASSEMBLY_REQUESTED: &str =
    "UPDATE general_assemblies SET requested_on = $1, updated_at = $2 WHERE id = $3";
const ASSEMBLY_CLOSED: &str = "UPDATE general_assemblies SET status = 'closed', \
    closed_at = $1, updated_at = $1 WHERE id = $2 AND status = 'open'";
const ASSEMBLY_SHA: &str = "UPDATE general_assemblies SET minutes_sha256 = $1 \
    WHERE id = $2 AND minutes_sha256 IS NULL";

const RESOLUTION: &str = "SELECT id, assembly_id, position, title, body, kind, quorum_rule, \
    majority_rule, status, opened_at, closed_at, tally FROM resolutions WHERE id = $1";
const RESOLUTIONS: &str = "SELECT id, assembly_id, position, title, body, kind, quorum_rule, \
    majority_rule, status, opened_at, closed_at, tally FROM resolutions \
    WHERE assembly_id = $1 ORDER BY position LIMIT 200";
const RESOLUTION_NEXT_POSITION: &str =
    "SELECT COALESCE(MAX(position), 0) + 1 FROM resolutions WHERE assembly_id = $1";
const RESOLUTION_INSERT: &str = "INSERT INTO resolutions (assembly_id, position, title, body, \
    kind, quorum_rule, majority_rule, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') \
    RETURNING id";
const RESOLUTION_OPEN: &str = "UPDATE resolutions SET status = 'open', opened_at = $1 \
    WHERE id = $2 AND status = 'pending'";
const RESOLUTION_CLOSE: &str = "UPDATE resolutions SET status = $1, closed_at = $2, tally = $3 \
    WHERE id = $4 AND status = 'open'";
const RESOLUTIONS_WITHDRAW: &str = "UPDATE resolutions SET status = 'withdrawn', closed_at = $1 \
    WHERE assembly_id = $2 AND status = 'pending'";

/// The statutes in force on a date ($1): how votes are weighted, the proxy limits.
const STATUTE_RULES: &str = "SELECT vote_weighting, proxies_per_holder, proxy_must_be_member \
    FROM statute_versions WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1";
/// Every shareholder at the end of a date ($1): shares and votes (shares × votes per share).
const HOLDERS_AT: &str = "SELECT o.person_id, p.first_name || ' ' || p.last_name AS name, \
    CAST(SUM(o.shares) AS BIGINT) AS shares, \
    CAST(SUM(o.shares * c.votes_per_share) AS BIGINT) AS votes \
    FROM share_operations o JOIN share_classes c ON c.id = o.class_id \
    JOIN persons p ON p.id = o.person_id WHERE o.effective_on <= $1 \
    GROUP BY o.person_id, p.first_name, p.last_name HAVING SUM(o.shares) > 0 \
    ORDER BY p.last_name, p.first_name, o.person_id LIMIT $2";
/// One shareholder ($2) at the end of a date ($1): what a single ballot checks.
const HOLDER_OF: &str = "SELECT o.person_id, p.first_name || ' ' || p.last_name AS name, \
    CAST(SUM(o.shares) AS BIGINT) AS shares, \
    CAST(SUM(o.shares * c.votes_per_share) AS BIGINT) AS votes \
    FROM share_operations o JOIN share_classes c ON c.id = o.class_id \
    JOIN persons p ON p.id = o.person_id WHERE o.effective_on <= $1 AND o.person_id = $2 \
    GROUP BY o.person_id, p.first_name, p.last_name HAVING SUM(o.shares) > 0";
/// Which of three persons ($2, $3, $4) are present at the assembly ($1).
const PRESENT_AMONG: &str = "SELECT person_id FROM ga_attendance \
    WHERE assembly_id = $1 AND person_id IN ($2, $3, $4)";
const CONVOCEES: &str = "SELECT o.person_id, p.first_name || ' ' || p.last_name AS name, \
    COALESCE(a.email, p.email) AS email, COALESCE(a.language, p.language) AS language, \
    CAST(SUM(o.shares) AS BIGINT) AS shares \
    FROM share_operations o JOIN persons p ON p.id = o.person_id \
    LEFT JOIN accounts a ON a.person_id = p.id AND a.active \
    WHERE o.effective_on <= $1 \
    GROUP BY o.person_id, p.first_name, p.last_name, a.email, p.email, a.language, p.language \
    HAVING SUM(o.shares) > 0 ORDER BY p.last_name, p.first_name, o.person_id LIMIT $2";
const CONVOCATION_INSERT: &str = "INSERT INTO ga_convocations (assembly_id, person_id, \
    language, mail_id) VALUES ($1, $2, $3, $4)";
const CONVOCATION_COUNT: &str = "SELECT COUNT(*) FROM ga_convocations WHERE assembly_id = $1";
const CONVOKED: &str =
    "SELECT COUNT(*) FROM ga_convocations WHERE assembly_id = $1 AND person_id = $2";

const ATTENDANCE: &str = "SELECT a.person_id, p.first_name || ' ' || p.last_name AS name, \
    a.mode, a.marked_at FROM ga_attendance a JOIN persons p ON p.id = a.person_id \
    WHERE a.assembly_id = $1 ORDER BY p.last_name, p.first_name, a.person_id LIMIT 100000";
const ATTENDANCE_INSERT: &str = "INSERT INTO ga_attendance (assembly_id, person_id, mode, \
    marked_at, marked_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const ATTENDANCE_DELETE: &str =
    "DELETE FROM ga_attendance WHERE assembly_id = $1 AND person_id = $2";

const PROXIES: &str = "SELECT x.id, x.assembly_id, x.principal_person_id, \
    pp.first_name || ' ' || pp.last_name AS principal_name, x.holder_person_id, \
    hp.first_name || ' ' || hp.last_name AS holder_name, x.created_at, x.revoked_at \
    FROM ga_proxies x JOIN persons pp ON pp.id = x.principal_person_id \
    JOIN persons hp ON hp.id = x.holder_person_id WHERE x.assembly_id = $1 \
    ORDER BY x.revoked_at IS NOT NULL, hp.last_name, pp.last_name, x.id LIMIT 100000";
const PROXY: &str = "SELECT x.id, x.assembly_id, x.principal_person_id, \
    pp.first_name || ' ' || pp.last_name AS principal_name, x.holder_person_id, \
    hp.first_name || ' ' || hp.last_name AS holder_name, x.created_at, x.revoked_at \
    FROM ga_proxies x JOIN persons pp ON pp.id = x.principal_person_id \
    JOIN persons hp ON hp.id = x.holder_person_id WHERE x.id = $1";
/// The active proxy a principal ($2) gave for the assembly ($1), if any.
const ACTIVE_PROXY_OF: &str = "SELECT x.id, x.assembly_id, x.principal_person_id, \
    pp.first_name || ' ' || pp.last_name AS principal_name, x.holder_person_id, \
    hp.first_name || ' ' || hp.last_name AS holder_name, x.created_at, x.revoked_at \
    FROM ga_proxies x JOIN persons pp ON pp.id = x.principal_person_id \
    JOIN persons hp ON hp.id = x.holder_person_id \
    WHERE x.assembly_id = $1 AND x.principal_person_id = $2 AND x.revoked_at IS NULL";
const PROXY_INSERT: &str = "INSERT INTO ga_proxies (assembly_id, principal_person_id, \
    holder_person_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const PROXY_REVOKE: &str =
    "UPDATE ga_proxies SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
/// Ballots cast for a principal on this assembly's resolutions.
const PRINCIPAL_VOTED: &str = "SELECT COUNT(*) FROM ga_ballots b \
    JOIN resolutions r ON r.id = b.resolution_id \
    WHERE r.assembly_id = $1 AND b.principal_person_id = $2";

const BALLOTS: &str = "SELECT id, resolution_id, principal_person_id, cast_by_person_id, \
    choice, cast_at FROM ga_ballots WHERE resolution_id = $1 ORDER BY id LIMIT 100000";
const BALLOTS_BY_CASTER: &str = "SELECT b.id, b.resolution_id, b.principal_person_id, \
    b.cast_by_person_id, b.choice, b.cast_at FROM ga_ballots b \
    JOIN resolutions r ON r.id = b.resolution_id \
    WHERE r.assembly_id = $1 AND (b.cast_by_person_id = $2 OR b.principal_person_id = $2) \
    ORDER BY b.id LIMIT 100000";
const BALLOT_OF: &str = "SELECT id, resolution_id, principal_person_id, cast_by_person_id, \
    choice, cast_at FROM ga_ballots WHERE resolution_id = $1 AND principal_person_id = $2";
const BALLOT_INSERT: &str = "INSERT INTO ga_ballots (resolution_id, principal_person_id, \
    cast_by_person_id, choice, cast_at) VALUES ($1, $2, $3, $4, $5) \
    ON CONFLICT (resolution_id, principal_person_id) DO NOTHING RETURNING id";

const MINUTES_INSERT: &str = "INSERT INTO ga_minutes (assembly_id, snapshot, params_version, \
    created_at) VALUES ($1, $2, $3, $4)";
const MINUTES: &str = "SELECT snapshot, params_version, pdf, sha256, created_at FROM ga_minutes \
    WHERE assembly_id = $1";
const MINUTES_PDF: &str = "UPDATE ga_minutes SET pdf = $1, sha256 = $2 \
    WHERE assembly_id = $3 AND pdf IS NULL";

/// A stored minutes row: snapshot, parameter set, PDF, SHA-256, created at.
type MinutesRow = (String, String, Option<Vec<u8>>, Option<String>, i64);

/// The rows read to build the vote snapshot of an assembly.
#[derive(sqlx::FromRow)]
struct HolderRow {
    person_id: i64,
    name: String,
    shares: i64,
    votes: i64,
}

/// Everything the vote needs, read inside one transaction.
struct VoteState {
    rules: VoteRules,
    holders: Vec<VotingHolder>,
    present: BTreeSet<i64>,
    /// Active proxies.
    proxies: Vec<ProxyRecord>,
}

impl VoteState {
    fn snapshot(&self) -> Snapshot {
        let proxy_of: BTreeMap<i64, i64> = self
            .proxies
            .iter()
            .map(|p| (p.principal_person_id, p.holder_person_id))
            .collect();
        Snapshot {
            holders: self
                .holders
                .iter()
                .map(|h| HolderInput {
                    person_id: h.person_id,
                    raw_votes: h.raw_votes,
                    shares: h.shares,
                    proxy: proxy_of.get(&h.person_id).copied(),
                })
                .collect(),
            present: self.present.clone(),
        }
    }
}

fn assembly_date(a: &AssemblyRecord) -> Result<Date> {
    a.held_on()
}

fn vote_rules(held_on: Date, statutes: Option<(String, i64, bool)>) -> Result<VoteRules> {
    let params = params_on(held_on).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    // CSA defaults when no statutes version is known: one vote per share (6:41), any
    // number of proxies, held by anyone (6:80).
    let (weighting, limit, must_be_member) = match statutes {
        Some((w, n, m)) => (
            VoteWeighting::parse(&w)
                .ok_or_else(|| StoreError::Corrupt(format!("vote weighting {w}")))?,
            Some(n),
            m,
        ),
        None => (VoteWeighting::PerShare, None, false),
    };
    Ok(VoteRules {
        weighting,
        proxies_per_holder: limit,
        proxy_must_be_member: must_be_member,
        cap: CapParams::from(params),
        params_version: params.version(),
    })
}

/// Reads the assembly `$id` inside `$tx`, or `NotFound`.
macro_rules! assembly_in {
    ($tx:ident, $id:expr) => {{
        let found: Option<AssemblyRecord> = sqlx::query_as(ASSEMBLY)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        found.ok_or(StoreError::NotFound)?
    }};
}

macro_rules! resolution_in {
    ($tx:ident, $id:expr) => {{
        let found: Option<ResolutionRecord> = sqlx::query_as(RESOLUTION)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        found.ok_or(StoreError::NotFound)?
    }};
}

/// Reads the vote state of `$assembly` inside `$tx`.
macro_rules! vote_state_in {
    ($tx:ident, $assembly:expr) => {{
        let assembly: &AssemblyRecord = $assembly;
        let held_on = assembly_date(assembly)?;
        let statutes: Option<(String, i64, bool)> = sqlx::query_as(STATUTE_RULES)
            .bind(held_on.to_string())
            .fetch_optional(&mut *$tx)
            .await?;
        let rules = vote_rules(held_on, statutes)?;
        let rows: Vec<HolderRow> = sqlx::query_as(HOLDERS_AT)
            .bind(held_on.to_string())
            .bind(MAX_HOLDERS)
            .fetch_all(&mut *$tx)
            .await?;
        let holders: Vec<VotingHolder> = rows
            .into_iter()
            .map(|r| VotingHolder {
                person_id: r.person_id,
                name: r.name,
                shares: r.shares,
                raw_votes: match rules.weighting {
                    VoteWeighting::PerPerson => i64::from(r.shares > 0),
                    VoteWeighting::PerShare => r.votes,
                },
            })
            .collect();
        let attendance: Vec<AttendanceRecord> = sqlx::query_as(ATTENDANCE)
            .bind(assembly.id)
            .fetch_all(&mut *$tx)
            .await?;
        let proxies: Vec<ProxyRecord> = sqlx::query_as(PROXIES)
            .bind(assembly.id)
            .fetch_all(&mut *$tx)
            .await?;
        VoteState {
            rules,
            holders,
            present: attendance.iter().map(|a| a.person_id).collect(),
            proxies: proxies
                .into_iter()
                .filter(|p| p.revoked_at.is_none())
                .collect(),
        }
    }};
}

/// The part of the vote state one ballot needs: the principal's holding, their active
/// proxy, and the presence of the principal, the caster and the proxy holder. The same
/// rules as [`vote_state_in!`] (`check_ballot` reads nothing else), in a handful of indexed
/// reads instead of every holder of the register, so a ballot costs the same at 200 or at
/// 20,000 members.
macro_rules! ballot_state_in {
    ($tx:ident, $assembly:expr, $principal:expr, $cast_by:expr) => {{
        let assembly: &AssemblyRecord = $assembly;
        let (principal, cast_by): (i64, i64) = ($principal, $cast_by);
        let held_on = assembly_date(assembly)?;
        let statutes: Option<(String, i64, bool)> = sqlx::query_as(STATUTE_RULES)
            .bind(held_on.to_string())
            .fetch_optional(&mut *$tx)
            .await?;
        let rules = vote_rules(held_on, statutes)?;
        let row: Option<HolderRow> = sqlx::query_as(HOLDER_OF)
            .bind(held_on.to_string())
            .bind(principal)
            .fetch_optional(&mut *$tx)
            .await?;
        let proxy: Option<ProxyRecord> = sqlx::query_as(ACTIVE_PROXY_OF)
            .bind(assembly.id)
            .bind(principal)
            .fetch_optional(&mut *$tx)
            .await?;
        let holder_of_proxy = proxy.as_ref().map_or(principal, |p| p.holder_person_id);
        let present: Vec<(i64,)> = sqlx::query_as(PRESENT_AMONG)
            .bind(assembly.id)
            .bind(principal)
            .bind(cast_by)
            .bind(holder_of_proxy)
            .fetch_all(&mut *$tx)
            .await?;
        VoteState {
            holders: row
                .into_iter()
                .map(|r| VotingHolder {
                    person_id: r.person_id,
                    name: r.name,
                    shares: r.shares,
                    raw_votes: match rules.weighting {
                        VoteWeighting::PerPerson => i64::from(r.shares > 0),
                        VoteWeighting::PerShare => r.votes,
                    },
                })
                .collect(),
            rules,
            present: present.into_iter().map(|(id,)| id).collect(),
            proxies: proxy.into_iter().collect(),
        }
    }};
}

fn ballots_of(records: &[BallotRecord]) -> Result<Vec<Ballot>> {
    records
        .iter()
        .map(|b| {
            Ok(Ballot {
                principal: b.principal_person_id,
                cast_by: b.cast_by_person_id,
                choice: Choice::parse(&b.choice)
                    .ok_or_else(|| StoreError::Corrupt(format!("ballot choice {}", b.choice)))?,
            })
        })
        .collect()
}

fn tally_of(
    state: &VoteState,
    resolution: &ResolutionRecord,
    ballots: &[BallotRecord],
) -> Result<Outcome> {
    vote::tally(
        &state.snapshot(),
        &ballots_of(ballots)?,
        state.rules.cap,
        resolution.rules()?,
    )
    // A ballot written earlier no longer fits the snapshot (its caster left the room):
    // count only the ballots that still do, in the order they came.
    .or_else(|_| {
        let snapshot = state.snapshot();
        let mut kept: Vec<Ballot> = Vec::new();
        for b in ballots_of(ballots)? {
            if vote::check_ballot(&snapshot, &kept, &b).is_ok() {
                kept.push(b);
            }
        }
        vote::tally(&snapshot, &kept, state.rules.cap, resolution.rules()?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    })
}

fn expect_status(a: &AssemblyRecord, allowed: &[AssemblyStatus]) -> Result<AssemblyStatus> {
    let status = a.status()?;
    if allowed.contains(&status) {
        Ok(status)
    } else {
        Err(StoreError::Conflict(REFUSED_STATUS))
    }
}

impl Store {
    /// Creates an assembly as a draft.
    pub async fn create_assembly(
        &self,
        ctx: &AuditContext,
        new: &NewAssembly,
    ) -> Result<AssemblyRecord> {
        write_tx!(self, tx => {
            let now = now_micros();
            let (id,): (i64,) = sqlx::query_as(ASSEMBLY_INSERT)
                .bind(new.kind.as_str())
                .bind(&new.title)
                .bind(new.held_on.to_string())
                .bind(&new.starts_at)
                .bind(&new.place)
                .bind(new.online)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let record = assembly_in!(tx, id);
            audit!(tx, ctx, "assembly.create", "general_assembly", Some(id), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    pub async fn assembly(&self, id: i64) -> Result<AssemblyRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, AssemblyRecord>(ASSEMBLY)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Every assembly, the latest first.
    pub async fn assemblies(&self, page: PageRequest) -> Result<Page<AssemblyRecord>> {
        with_db!(self, pool => {
            let items = sqlx::query_as::<_, AssemblyRecord>(ASSEMBLIES)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(ASSEMBLIES_COUNT).fetch_one(pool).await?;
            Ok(page.of(items, total))
        })
    }

    /// The assemblies a person was convened to, or holds a proxy at, the latest first.
    pub async fn assemblies_of_person(
        &self,
        person_id: i64,
        page: PageRequest,
    ) -> Result<Page<AssemblyRecord>> {
        with_db!(self, pool => {
            let items = sqlx::query_as::<_, AssemblyRecord>(ASSEMBLIES_OF_PERSON)
                .bind(person_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(ASSEMBLIES_OF_PERSON_COUNT)
                .bind(person_id)
                .fetch_one(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Puts a resolution on the agenda of a draft assembly.
    pub async fn add_resolution(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
        new: &NewResolution,
    ) -> Result<ResolutionRecord> {
        write_tx!(self, tx => {
            let assembly = assembly_in!(tx, assembly_id);
            expect_status(&assembly, &[AssemblyStatus::Draft])?;
            let (position,): (i64,) = sqlx::query_as(RESOLUTION_NEXT_POSITION)
                .bind(assembly_id)
                .fetch_one(&mut *tx)
                .await?;
            if position > MAX_RESOLUTIONS {
                return Err(StoreError::Conflict("ga-agenda-full"));
            }
            let (id,): (i64,) = sqlx::query_as(RESOLUTION_INSERT)
                .bind(assembly_id)
                .bind(position)
                .bind(&new.title)
                .bind(&new.body)
                .bind(new.kind.as_str())
                .bind(new.rules.quorum.as_str())
                .bind(new.rules.majority.as_str())
                .fetch_one(&mut *tx)
                .await?;
            let record = resolution_in!(tx, id);
            audit!(tx, ctx, "resolution.create", "resolution", Some(id), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    pub async fn resolution(&self, id: i64) -> Result<ResolutionRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ResolutionRecord>(RESOLUTION)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The agenda, in order.
    pub async fn resolutions(&self, assembly_id: i64) -> Result<Vec<ResolutionRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ResolutionRecord>(RESOLUTIONS)
                .bind(assembly_id)
                .fetch_all(pool)
                .await?)
        })
    }

    /// Records that holders of `requesting_shares` asked on `received_on` for the assembly
    /// (CSA 6:70 §1). With at least the threshold (1/10) of the shares, the request is
    /// kept and the deadline shown; below it nothing is written and the answer explains
    /// there is no obligation.
    pub async fn record_convene_request(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
        received_on: Date,
        requesting_shares: i64,
    ) -> Result<ConveneRequest> {
        let params = params_on(received_on).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        write_tx!(self, tx => {
            let before = assembly_in!(tx, assembly_id);
            expect_status(&before, &[AssemblyStatus::Draft, AssemblyStatus::Convened])?;
            let rows: Vec<HolderRow> = sqlx::query_as(HOLDERS_AT)
                .bind(received_on.to_string())
                .bind(MAX_HOLDERS)
                .fetch_all(&mut *tx)
                .await?;
            let total: i64 = rows.iter().map(|r| r.shares).sum();
            let decision = convocation::convene_request(received_on, requesting_shares, total, params);
            if decision.deadline().is_some() {
                sqlx::query(ASSEMBLY_REQUESTED)
                    .bind(received_on.to_string())
                    .bind(now_micros())
                    .bind(assembly_id)
                    .execute(&mut *tx)
                    .await?;
                let after = assembly_in!(tx, assembly_id);
                audit!(tx, ctx, "assembly.request", "general_assembly", Some(assembly_id), Some(&before), Some(&after));
            }
            Ok(decision)
        })
    }

    /// The shareholders to convene at the end of `on`, with their address and language.
    pub async fn convocees(&self, on: Date) -> Result<Vec<Convocee>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, Convocee>(CONVOCEES)
                .bind(on.to_string())
                .bind(MAX_HOLDERS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// Convenes a draft assembly on `on`: fixes the agenda, queues one mail per
    /// shareholder (rendered by the caller in their language; none for a person without
    /// address, convened by post) and keeps who was convened. The convocation must give
    /// the notice of the parameters in force on the assembly's date ([`convocation::notice_days`]).
    pub async fn convene_assembly(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
        on: Date,
        mails: &[ConvocationMail],
    ) -> Result<AssemblyRecord> {
        write_tx!(self, tx => {
            let before = assembly_in!(tx, assembly_id);
            expect_status(&before, &[AssemblyStatus::Draft])?;
            let held_on = before.held_on()?;
            let days = convocation::notice_days(held_on)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if !convocation::notice_given(on, held_on, days) {
                return Err(StoreError::Conflict(REFUSED_NOTICE));
            }
            let agenda: Vec<ResolutionRecord> = sqlx::query_as(RESOLUTIONS)
                .bind(assembly_id)
                .fetch_all(&mut *tx)
                .await?;
            if agenda.is_empty() {
                return Err(StoreError::Conflict(REFUSED_NO_AGENDA));
            }
            let mut seen = BTreeSet::new();
            for mail in mails {
                if !seen.insert(mail.person_id) {
                    continue;
                }
                let mail_id: Option<i64> = match &mail.to {
                    Some(to) => Some(queue_mail_in!(tx, to, &mail.subject, &mail.body)),
                    None => None,
                };
                sqlx::query(CONVOCATION_INSERT)
                    .bind(assembly_id)
                    .bind(mail.person_id)
                    .bind(&mail.language)
                    .bind(mail_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let done = sqlx::query(ASSEMBLY_CONVENED)
                .bind(on.to_string())
                .bind(now_micros())
                .bind(assembly_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = assembly_in!(tx, assembly_id);
            audit!(tx, ctx, "assembly.convene", "general_assembly", Some(assembly_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// How many shareholders were convened.
    pub async fn members_convened(&self, assembly_id: i64) -> Result<i64> {
        with_db!(self, pool => {
            let (n,): (i64,) = sqlx::query_as(CONVOCATION_COUNT).bind(assembly_id).fetch_one(pool).await?;
            Ok(n)
        })
    }

    /// Whether a person was convened to the assembly.
    pub async fn is_convened(&self, assembly_id: i64, person_id: i64) -> Result<bool> {
        with_db!(self, pool => {
            let (n,): (i64,) = sqlx::query_as(CONVOKED)
                .bind(assembly_id)
                .bind(person_id)
                .fetch_one(pool)
                .await?;
            Ok(n > 0)
        })
    }

    /// Opens the meeting of a convened assembly: attendance and votes begin.
    pub async fn open_assembly(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
    ) -> Result<AssemblyRecord> {
        write_tx!(self, tx => {
            let before = assembly_in!(tx, assembly_id);
            expect_status(&before, &[AssemblyStatus::Convened])?;
            sqlx::query(ASSEMBLY_SET_STATUS)
                .bind(AssemblyStatus::Open.as_str())
                .bind(now_micros())
                .bind(assembly_id)
                .bind(AssemblyStatus::Convened.as_str())
                .execute(&mut *tx)
                .await?;
            let after = assembly_in!(tx, assembly_id);
            audit!(tx, ctx, "assembly.open", "general_assembly", Some(assembly_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Marks a person present (`room`: by the board; `online`: the member opened the vote
    /// page). Only while the assembly is open; marking twice changes nothing. Returns
    /// whether the mark was new.
    pub async fn mark_present(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
        person_id: i64,
        mode: &str,
    ) -> Result<bool> {
        if !matches!(mode, "room" | "online") {
            return Err(StoreError::Conflict("ga-attendance-mode"));
        }
        write_tx!(self, tx => {
            let assembly = assembly_in!(tx, assembly_id);
            expect_status(&assembly, &[AssemblyStatus::Open])?;
            let done = sqlx::query(ATTENDANCE_INSERT)
                .bind(assembly_id)
                .bind(person_id)
                .bind(mode)
                .bind(now_micros())
                .bind(ctx.actor_account_id)
                .execute(&mut *tx)
                .await?;
            let new = done.rows_affected() == 1;
            if new {
                let after = serde_json::json!({ "assembly_id": assembly_id, "person_id": person_id, "mode": mode });
                audit!(tx, ctx, "assembly.attendance", "general_assembly", Some(assembly_id), None::<&()>, Some(&after));
            }
            Ok(new)
        })
    }

    /// Takes a person off the attendance list (they left, or were marked by mistake).
    pub async fn mark_absent(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
        person_id: i64,
    ) -> Result<()> {
        write_tx!(self, tx => {
            let assembly = assembly_in!(tx, assembly_id);
            expect_status(&assembly, &[AssemblyStatus::Open])?;
            let done = sqlx::query(ATTENDANCE_DELETE)
                .bind(assembly_id)
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 1 {
                let before = serde_json::json!({ "assembly_id": assembly_id, "person_id": person_id });
                audit!(tx, ctx, "assembly.absent", "general_assembly", Some(assembly_id), Some(&before), None::<&()>);
            }
            Ok(())
        })
    }

    pub async fn attendance(&self, assembly_id: i64) -> Result<Vec<AttendanceRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, AttendanceRecord>(ATTENDANCE)
                .bind(assembly_id)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The proxy register of an assembly, active ones first.
    pub async fn proxies(&self, assembly_id: i64) -> Result<Vec<ProxyRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ProxyRecord>(PROXIES)
                .bind(assembly_id)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The voting rules of an assembly (statutes in force on its date, cap parameters).
    pub async fn assembly_vote_rules(&self, assembly_id: i64) -> Result<VoteRules> {
        let assembly = self.assembly(assembly_id).await?;
        let held_on = assembly.held_on()?;
        with_db!(self, pool => {
            let statutes: Option<(String, i64, bool)> = sqlx::query_as(STATUTE_RULES)
                .bind(held_on.to_string())
                .fetch_optional(pool)
                .await?;
            vote_rules(held_on, statutes)
        })
    }

    /// The shareholders on the assembly's date with their votes.
    pub async fn assembly_holders(&self, assembly_id: i64) -> Result<Vec<VotingHolder>> {
        let assembly = self.assembly(assembly_id).await?;
        write_tx!(self, tx => {
            let state = vote_state_in!(tx, &assembly);
            Ok(state.holders)
        })
    }

    /// Registers a proxy: `principal` is represented at the assembly by `holder`. Refused
    /// (on the field named, nothing written) beyond the statutes' limit of proxies per
    /// person, to a non-member when the statutes require a member, for a principal who
    /// holds no share or already gave one, to a holder who gave their own (no chains), or
    /// once votes were cast for the principal.
    pub async fn give_proxy(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
        principal: i64,
        holder: i64,
    ) -> Result<ProxyRecord> {
        write_tx!(self, tx => {
            let assembly = assembly_in!(tx, assembly_id);
            expect_status(&assembly, &[AssemblyStatus::Draft, AssemblyStatus::Convened, AssemblyStatus::Open])?;
            let state = vote_state_in!(tx, &assembly);
            let refuse = |field: &'static str, code: &'static str| {
                Err(StoreError::Refused(FieldErrors::single(field, code)))
            };
            if principal == holder {
                return refuse("ga_holder", PROXY_SELF);
            }
            if !state.holders.iter().any(|h| h.person_id == principal) {
                return refuse("ga_principal", PROXY_NOT_HOLDER);
            }
            if state.proxies.iter().any(|p| p.principal_person_id == principal) {
                return refuse("ga_principal", PROXY_EXISTS);
            }
            if state.proxies.iter().any(|p| p.principal_person_id == holder) {
                return refuse("ga_holder", PROXY_CHAIN);
            }
            if state.rules.proxy_must_be_member && !state.holders.iter().any(|h| h.person_id == holder) {
                return refuse("ga_holder", PROXY_NOT_MEMBER);
            }
            let held = state.proxies.iter().filter(|p| p.holder_person_id == holder).count();
            if let Some(limit) = state.rules.proxies_per_holder
                && i64::try_from(held).unwrap_or(i64::MAX) >= limit
            {
                return refuse("ga_holder", PROXY_LIMIT);
            }
            let (voted,): (i64,) = sqlx::query_as(PRINCIPAL_VOTED)
                .bind(assembly_id)
                .bind(principal)
                .fetch_one(&mut *tx)
                .await?;
            if voted > 0 {
                return refuse("ga_principal", PROXY_VOTED);
            }
            let (id,): (i64,) = sqlx::query_as(PROXY_INSERT)
                .bind(assembly_id)
                .bind(principal)
                .bind(holder)
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            let record: ProxyRecord = sqlx::query_as(PROXY).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "assembly.proxy", "ga_proxy", Some(id), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    /// Ends a proxy: the principal votes again in person. Ballots already cast stay.
    pub async fn revoke_proxy(&self, ctx: &AuditContext, proxy_id: i64) -> Result<ProxyRecord> {
        write_tx!(self, tx => {
            let before: ProxyRecord = sqlx::query_as(PROXY)
                .bind(proxy_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let assembly = assembly_in!(tx, before.assembly_id);
            expect_status(&assembly, &[AssemblyStatus::Draft, AssemblyStatus::Convened, AssemblyStatus::Open])?;
            let done = sqlx::query(PROXY_REVOKE)
                .bind(now_micros())
                .bind(proxy_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict("ga-proxy-revoked"));
            }
            let after: ProxyRecord = sqlx::query_as(PROXY).bind(proxy_id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "assembly.proxy-revoke", "ga_proxy", Some(proxy_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Opens the vote on a pending resolution of an open assembly.
    pub async fn open_resolution(
        &self,
        ctx: &AuditContext,
        resolution_id: i64,
    ) -> Result<ResolutionRecord> {
        write_tx!(self, tx => {
            let before = resolution_in!(tx, resolution_id);
            let assembly = assembly_in!(tx, before.assembly_id);
            expect_status(&assembly, &[AssemblyStatus::Open])?;
            if !before.status()?.can_open() {
                return Err(StoreError::Conflict(REFUSED_RESOLUTION_STATUS));
            }
            sqlx::query(RESOLUTION_OPEN)
                .bind(now_micros())
                .bind(resolution_id)
                .execute(&mut *tx)
                .await?;
            let after = resolution_in!(tx, resolution_id);
            audit!(tx, ctx, "resolution.open", "resolution", Some(resolution_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Casts the votes of `principal` on an open resolution, by `cast_by` (the principal,
    /// or their proxy holder, who must be present). A second ballot for the same votes, a
    /// ballot after closing, or by a principal whose proxy is active is refused, and
    /// nothing is written.
    pub async fn cast_ballot(
        &self,
        ctx: &AuditContext,
        resolution_id: i64,
        principal: i64,
        cast_by: i64,
        choice: Choice,
    ) -> Result<BallotRecord> {
        write_tx!(self, tx => {
            let resolution = resolution_in!(tx, resolution_id);
            if !resolution.status()?.is_open() {
                return Err(StoreError::Conflict(REFUSED_VOTE_CLOSED));
            }
            let assembly = assembly_in!(tx, resolution.assembly_id);
            if assembly.status()? != AssemblyStatus::Open {
                return Err(StoreError::Conflict(REFUSED_VOTE_CLOSED));
            }
            let state = ballot_state_in!(tx, &assembly, principal, cast_by);
            let cast: Vec<BallotRecord> = sqlx::query_as(BALLOT_OF)
                .bind(resolution_id)
                .bind(principal)
                .fetch_all(&mut *tx)
                .await?;
            // A principal with an active delegation votes only through the proxy holder
            // (OpenSlides client#3518), present or not.
            if cast_by == principal
                && state.proxies.iter().any(|p| p.principal_person_id == principal)
            {
                return Err(StoreError::Conflict(REFUSED_DELEGATED));
            }
            let ballot = Ballot { principal, cast_by, choice };
            match vote::check_ballot(&state.snapshot(), &ballots_of(&cast)?, &ballot) {
                Ok(()) => {}
                Err(VoteError::AlreadyCast(_)) => return Err(StoreError::Conflict(REFUSED_ALREADY_CAST)),
                Err(VoteError::WrongCaster { .. })
                    if cast_by == principal
                        && state.proxies.iter().any(|p| p.principal_person_id == principal) =>
                {
                    return Err(StoreError::Conflict(REFUSED_DELEGATED));
                }
                Err(_) => return Err(StoreError::Conflict(REFUSED_NOT_ENTITLED)),
            }
            let inserted: Option<(i64,)> = sqlx::query_as(BALLOT_INSERT)
                .bind(resolution_id)
                .bind(principal)
                .bind(cast_by)
                .bind(choice.as_str())
                .bind(now_micros())
                .fetch_optional(&mut *tx)
                .await?;
            let Some((id,)) = inserted else {
                return Err(StoreError::Conflict(REFUSED_ALREADY_CAST));
            };
            let record = BallotRecord {
                id,
                resolution_id,
                principal_person_id: principal,
                cast_by_person_id: cast_by,
                choice: choice.as_str().to_string(),
                cast_at: now_micros(),
            };
            audit!(tx, ctx, "resolution.ballot", "resolution", Some(resolution_id), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    pub async fn ballots(&self, resolution_id: i64) -> Result<Vec<BallotRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, BallotRecord>(BALLOTS)
                .bind(resolution_id)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The tally of a resolution: the one kept at closing, or the live count while open.
    pub async fn resolution_tally(&self, resolution_id: i64) -> Result<Outcome> {
        let resolution = self.resolution(resolution_id).await?;
        if let Some(kept) = resolution.outcome()? {
            return Ok(kept);
        }
        let assembly = self.assembly(resolution.assembly_id).await?;
        // A read in a write transaction: the snapshot and the ballots agree.
        write_tx!(self, tx => {
            let state = vote_state_in!(tx, &assembly);
            let cast: Vec<BallotRecord> = sqlx::query_as(BALLOTS)
                .bind(resolution_id)
                .fetch_all(&mut *tx)
                .await?;
            tally_of(&state, &resolution, &cast)
        })
    }

    /// Closes the vote: the tally is computed, kept as JSON with the resolution, and the
    /// resolution is adopted or rejected.
    pub async fn close_resolution(
        &self,
        ctx: &AuditContext,
        resolution_id: i64,
    ) -> Result<ResolutionRecord> {
        write_tx!(self, tx => {
            let before = resolution_in!(tx, resolution_id);
            if !before.status()?.is_open() {
                return Err(StoreError::Conflict(REFUSED_RESOLUTION_STATUS));
            }
            let assembly = assembly_in!(tx, before.assembly_id);
            let state = vote_state_in!(tx, &assembly);
            let cast: Vec<BallotRecord> = sqlx::query_as(BALLOTS)
                .bind(resolution_id)
                .fetch_all(&mut *tx)
                .await?;
            let outcome = tally_of(&state, &before, &cast)?;
            let status = if outcome.adopted { ResolutionStatus::Adopted } else { ResolutionStatus::Rejected };
            let json = serde_json::to_string(&outcome).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(RESOLUTION_CLOSE)
                .bind(status.as_str())
                .bind(now_micros())
                .bind(&json)
                .bind(resolution_id)
                .execute(&mut *tx)
                .await?;
            let after = resolution_in!(tx, resolution_id);
            audit!(tx, ctx, "resolution.close", "resolution", Some(resolution_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// What `person_id` may vote at an assembly: their own votes unless delegated, and one
    /// block per principal who gave them a proxy, with the ballots already cast.
    pub async fn voter_view(&self, assembly_id: i64, person_id: i64) -> Result<VoterView> {
        let assembly = self.assembly(assembly_id).await?;
        write_tx!(self, tx => {
            let state = vote_state_in!(tx, &assembly);
            let delegated_to = state.proxies.iter().find(|p| p.principal_person_id == person_id).cloned();
            let own = state.holders.iter().find(|h| h.person_id == person_id);
            let mut blocks = Vec::new();
            if let (Some(h), None) = (own, &delegated_to) {
                blocks.push(VoteBlock {
                    principal_person_id: h.person_id,
                    principal_name: h.name.clone(),
                    raw_votes: h.raw_votes,
                    own: true,
                });
            }
            for p in state.proxies.iter().filter(|p| p.holder_person_id == person_id) {
                if let Some(h) = state.holders.iter().find(|h| h.person_id == p.principal_person_id) {
                    blocks.push(VoteBlock {
                        principal_person_id: h.person_id,
                        principal_name: h.name.clone(),
                        raw_votes: h.raw_votes,
                        own: false,
                    });
                }
            }
            let cast: Vec<BallotRecord> = sqlx::query_as(BALLOTS_BY_CASTER)
                .bind(assembly_id)
                .bind(person_id)
                .fetch_all(&mut *tx)
                .await?;
            Ok(VoterView { is_holder: own.is_some(), delegated_to, blocks, cast })
        })
    }

    /// Closes an assembly: no vote may still be open; resolutions never voted are
    /// withdrawn; the minutes' data is frozen. The PDF is rendered from it and kept once
    /// with [`Store::keep_minutes_pdf`].
    pub async fn close_assembly(&self, ctx: &AuditContext, assembly_id: i64) -> Result<Minutes> {
        write_tx!(self, tx => {
            let before = assembly_in!(tx, assembly_id);
            expect_status(&before, &[AssemblyStatus::Open])?;
            let agenda: Vec<ResolutionRecord> = sqlx::query_as(RESOLUTIONS)
                .bind(assembly_id)
                .fetch_all(&mut *tx)
                .await?;
            if agenda.iter().any(|r| r.status == ResolutionStatus::Open.as_str()) {
                return Err(StoreError::Conflict(REFUSED_OPEN_RESOLUTION));
            }
            let now = now_micros();
            sqlx::query(RESOLUTIONS_WITHDRAW).bind(now).bind(assembly_id).execute(&mut *tx).await?;
            let done = sqlx::query(ASSEMBLY_CLOSED).bind(now).bind(assembly_id).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let assembly = assembly_in!(tx, assembly_id);
            let state = vote_state_in!(tx, &assembly);
            let agenda: Vec<ResolutionRecord> = sqlx::query_as(RESOLUTIONS)
                .bind(assembly_id)
                .fetch_all(&mut *tx)
                .await?;
            let mut resolutions = Vec::with_capacity(agenda.len());
            for r in agenda {
                let outcome = r.outcome()?;
                resolutions.push(MinutesResolution { resolution: r, outcome });
            }
            let (members_convened,): (i64,) = sqlx::query_as(CONVOCATION_COUNT)
                .bind(assembly_id)
                .fetch_one(&mut *tx)
                .await?;
            let attendance: Vec<AttendanceRecord> = sqlx::query_as(ATTENDANCE)
                .bind(assembly_id)
                .fetch_all(&mut *tx)
                .await?;
            let minutes = Minutes {
                assembly: assembly.clone(),
                rules: state.rules.clone(),
                members_convened,
                holders: state.holders,
                attendance,
                proxies: state.proxies,
                resolutions,
            };
            let json = serde_json::to_string(&minutes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(MINUTES_INSERT)
                .bind(assembly_id)
                .bind(&json)
                .bind(&minutes.rules.params_version)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit!(tx, ctx, "assembly.close", "general_assembly", Some(assembly_id), Some(&before), Some(&assembly));
            Ok(minutes)
        })
    }

    /// The minutes of a closed assembly.
    pub async fn minutes(&self, assembly_id: i64) -> Result<MinutesRecord> {
        with_db!(self, pool => {
            let row: Option<MinutesRow> =
                sqlx::query_as(MINUTES).bind(assembly_id).fetch_optional(pool).await?;
            let (snapshot, params_version, pdf, sha256, created_at) = row.ok_or(StoreError::NotFound)?;
            let minutes: Minutes =
                serde_json::from_str(&snapshot).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(MinutesRecord { minutes, params_version, pdf, sha256, created_at })
        })
    }

    /// Keeps the rendered minutes PDF and its SHA-256 (hex); a second call changes
    /// nothing: the minutes are immutable. Returns whether this call kept them.
    pub async fn keep_minutes_pdf(
        &self,
        ctx: &AuditContext,
        assembly_id: i64,
        pdf: &[u8],
        sha256_hex: &str,
    ) -> Result<bool> {
        write_tx!(self, tx => {
            let done = sqlx::query(MINUTES_PDF)
                .bind(pdf)
                .bind(sha256_hex)
                .bind(assembly_id)
                .execute(&mut *tx)
                .await?;
            let kept = done.rows_affected() == 1;
            if kept {
                sqlx::query(ASSEMBLY_SHA).bind(sha256_hex).bind(assembly_id).execute(&mut *tx).await?;
                let after = serde_json::json!({ "minutes_sha256": sha256_hex, "bytes": pdf.len() });
                audit!(tx, ctx, "assembly.minutes", "general_assembly", Some(assembly_id), None::<&()>, Some(&after));
            }
            Ok(kept)
        })
    }

    /// The assemblies held in `year`, with attendance and every resolution's tallies (the
    /// special report's section on the general assembly, §3).
    pub async fn assemblies_in_year(&self, year: i16) -> Result<Vec<AssemblyYear>> {
        let from = format!("{year:04}-01-01");
        let to = format!("{year:04}-12-31");
        let assemblies: Vec<AssemblyRecord> = with_db!(self, pool => {
            sqlx::query_as::<_, AssemblyRecord>(ASSEMBLIES_IN_YEAR)
                .bind(&from)
                .bind(&to)
                .fetch_all(pool)
                .await?
        });
        let mut out = Vec::with_capacity(assemblies.len());
        for a in assemblies {
            let attendance = self.attendance(a.id).await?;
            let present_ids: BTreeSet<i64> = attendance.iter().map(|x| x.person_id).collect();
            let active: Vec<ProxyRecord> = self
                .proxies(a.id)
                .await?
                .into_iter()
                .filter(|p| p.revoked_at.is_none())
                .collect();
            let represented = active
                .iter()
                .filter(|p| present_ids.contains(&p.holder_person_id))
                .count();
            let mut resolutions = Vec::new();
            for r in self.resolutions(a.id).await? {
                let outcome = r.outcome()?;
                resolutions.push(ResolutionYear {
                    id: r.id,
                    title: r.title.clone(),
                    kind: r.kind.clone(),
                    status: r.status.clone(),
                    raw: outcome.as_ref().map(|o| o.raw).unwrap_or_default(),
                    effective: outcome.as_ref().map(|o| o.effective).unwrap_or_default(),
                    cap: outcome.as_ref().map(|o| o.cap).unwrap_or_default(),
                    cap_inconsistent: outcome.as_ref().is_some_and(|o| o.cap_inconsistent),
                });
            }
            out.push(AssemblyYear {
                id: a.id,
                kind: a.kind.clone(),
                title: a.title.clone(),
                held_on: a.held_on.clone(),
                status: a.status.clone(),
                present: i64::try_from(attendance.len()).unwrap_or(i64::MAX),
                represented: i64::try_from(represented).unwrap_or(i64::MAX),
                proxies: i64::try_from(active.len()).unwrap_or(i64::MAX),
                members_convened: self.members_convened(a.id).await?,
                resolutions,
            });
        }
        Ok(out)
    }
}

/// The resolution kinds, for forms.
pub fn resolution_kinds() -> [ResolutionKind; 9] {
    ResolutionKind::ALL
}
