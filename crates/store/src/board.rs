//! The board and the allocation of results (C11; reference/governance.md ES-6, ES-8, CNC-4,
//! CNC-5, TV-10, TV-15).
//!
//! A director's mandate names how it was conferred: an adopted GA resolution of kind
//! `appointment`, an article of the statutes (a statutory director), or a co-optation by
//! the board that the next GA must confirm (CNC-4). Board meetings record who attended.
//! Allowances rest on an adopted GA resolution of kind `allowance`; every payment to a
//! director is recorded, and may become a payout order the treasury pays by SEPA.
//! [`Store::director_checks`] compares, per director and year, what was paid with what the
//! GA allowed ([`ruche_domain::governance::board::check_director_year`]).
//!
//! The allocation of a year's result rests on an adopted resolution of kind
//! `appropriation`; its ordered lines are checked against the statutes in force (are
//! dividends allowed?), the register (the ES-3 cap on the capital) and the rules of
//! [`ruche_domain::governance::distribution::check_appropriation`] before anything is
//! written.

use jiff::civil::{Date, date};
use ruche_domain::governance::Ratio;
use ruche_domain::governance::board::{
    Allowance, AllowanceBasis, AllowanceKind, AppointedBy, CooptationStatus, EndReason,
    NewAllowance, NewDirectorPayment, NewMandate, NewMeeting, Payment, PaymentKind,
    check_director_year, cooptation_status,
};
use ruche_domain::governance::distribution::{
    AppropriationContext, AppropriationError, Line, LineKind, NewAppropriation,
    check_appropriation, no_dividend, rate, round_cents, share_basis,
};
use ruche_domain::governance::params::params_on;
use ruche_domain::ident::Iban;
use ruche_domain::ledger::AccountCode;
use ruche_domain::payout::{NewPayout, PayoutKind, PostalAddress, Remittance};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::payouts::insert_payout_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError, now_micros};

/// `Conflict` code: the mandate already ended.
pub const REFUSED_ENDED: &str = "brd-mandate-ended";
/// `Conflict` code: the mandate is not a co-optation waiting for its confirmation.
pub const REFUSED_NOT_COOPTED: &str = "brd-not-coopted";

/// The most directors, meetings of a year, allowances or payments of a year one check
/// reads (TigerStyle: a bound on every list; a board has a handful of members).
const MAX_ROWS: i64 = 2_000;

/// A mandate as stored, with the director's name and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MandateRecord {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub role: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub appointed_by: String,
    pub resolution_id: Option<i64>,
    pub resolution_title: Option<String>,
    pub assembly_id: Option<i64>,
    pub assembly_held_on: Option<String>,
    pub article_id: Option<i64>,
    pub article_number: Option<String>,
    pub confirmed_by_resolution_id: Option<i64>,
    pub ended_on: Option<String>,
    pub end_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// CNC-4: the date of the GA that passed without confirming this co-optation.
    #[sqlx(skip)]
    pub unconfirmed_since: Option<String>,
    /// A co-optation that no GA could confirm yet.
    #[sqlx(skip)]
    pub awaiting_confirmation: bool,
}

impl MandateRecord {
    /// Whether the mandate is in force on `day`.
    pub fn in_force_on(&self, day: &str) -> bool {
        self.starts_on.as_str() <= day
            && self.ended_on.as_deref().is_none_or(|e| e >= day)
            && self.ends_on.as_deref().is_none_or(|e| e >= day)
    }

    fn appointed(&self) -> AppointedBy {
        match self.appointed_by.as_str() {
            "resolution" => AppointedBy::Resolution(self.resolution_id.unwrap_or_default()),
            "statutes" => AppointedBy::Statutes(self.article_id.unwrap_or_default()),
            _ => AppointedBy::Cooptation,
        }
    }
}

/// (person id, meeting date) of the attendances of a period.
type Attended = Vec<(i64, String)>;
/// (person id, name, kind, cents) of the payments of a period.
type Paid = Vec<(i64, String, String, i64)>;

/// A board meeting, with how many directors attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MeetingRecord {
    pub id: i64,
    pub held_on: String,
    pub place: String,
    pub agenda: String,
    pub minutes: String,
    pub attended: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A director in office on a meeting's day, and whether they attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttendanceRow {
    pub person_id: i64,
    pub person_name: String,
    pub role: String,
    pub present: bool,
}

/// An allowance the GA decided, with its resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AllowanceRecord {
    pub id: i64,
    pub resolution_id: i64,
    pub resolution_title: String,
    pub assembly_id: i64,
    pub assembly_held_on: String,
    pub kind: String,
    pub amount_cents: i64,
    pub basis: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub created_at: i64,
}

/// A payment to a director, with its payout order's status when ruche pays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DirectorPaymentRecord {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub paid_on: String,
    pub amount_cents: i64,
    pub label: String,
    pub kind: String,
    pub payout_id: Option<i64>,
    pub payout_status: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

/// The check of one director's year (ES-6, CNC-5, TV-15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectorCheck {
    pub person_id: i64,
    pub name: String,
    pub meetings_attended: i64,
    pub allowed_cents: i64,
    pub paid_cents: i64,
    pub unexplained_cents: i64,
    /// Codes of the kinds paid that nothing can cover (`fixed_remuneration`, `profit_share`).
    pub forbidden_kinds: Vec<String>,
    /// The GA resolutions the allowed amount rests on.
    pub basis_resolution_ids: Vec<i64>,
    pub passes: bool,
}

/// A GA resolution offered as the basis of a mandate, an allowance or an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ResolutionChoice {
    pub id: i64,
    pub title: String,
    pub assembly_id: i64,
    pub held_on: String,
}

/// A statutes article offered as the basis of a statutory director's mandate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ArticleChoice {
    pub id: i64,
    pub number: String,
    pub heading: String,
    pub version_label: String,
}

/// One line of an allocation, in its position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AllocationLine {
    pub position: i64,
    pub kind: String,
    pub amount_cents: i64,
}

/// The allocation of a financial year's result, as the GA decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub id: i64,
    pub financial_year: i64,
    pub resolution_id: i64,
    pub resolution_title: String,
    pub assembly_id: i64,
    pub assembly_held_on: String,
    pub result_cents: i64,
    pub lines: Vec<AllocationLine>,
    /// Whether no dividend was distributed.
    pub no_dividend: bool,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct AllocationRow {
    id: i64,
    financial_year: i64,
    resolution_id: i64,
    resolution_title: String,
    assembly_id: i64,
    assembly_held_on: String,
    result_cents: i64,
    created_by: Option<i64>,
    created_at: i64,
}

macro_rules! mandate_select {
    () => {
        "SELECT m.id, m.person_id, p.first_name || ' ' || p.last_name AS person_name, m.role, \
         m.starts_on, m.ends_on, m.appointed_by, m.resolution_id, r.title AS resolution_title, \
         r.assembly_id, ga.held_on AS assembly_held_on, m.article_id, sa.number AS article_number, \
         m.confirmed_by_resolution_id, m.ended_on, m.end_reason, m.created_at, m.updated_at \
         FROM director_mandates m JOIN persons p ON p.id = m.person_id \
         LEFT JOIN resolutions r ON r.id = m.resolution_id \
         LEFT JOIN general_assemblies ga ON ga.id = r.assembly_id \
         LEFT JOIN statute_articles sa ON sa.id = m.article_id"
    };
}

const MANDATE_GET: &str = concat!(mandate_select!(), " WHERE m.id = $1");
/// In force on $1.
const MANDATES_ON: &str = concat!(
    mandate_select!(),
    " WHERE m.starts_on <= $1 AND (m.ended_on IS NULL OR m.ended_on >= $1) \
     AND (m.ends_on IS NULL OR m.ends_on >= $1) \
     ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 WHEN 'treasurer' THEN 2 \
     ELSE 3 END, p.last_name, p.first_name, m.id LIMIT $2"
);
/// Over before $1 (ended, or the term ran out).
macro_rules! past_where {
    () => {
        " WHERE (m.ended_on IS NOT NULL AND m.ended_on < $1) \
         OR (m.ends_on IS NOT NULL AND m.ends_on < $1)"
    };
}
const PAST: &str = concat!(
    mandate_select!(),
    past_where!(),
    " ORDER BY m.starts_on DESC, m.id DESC LIMIT $2 OFFSET $3"
);
const PAST_COUNT: &str = concat!("SELECT COUNT(*) FROM director_mandates m", past_where!());
/// In force at some day of [$1, $2].
const IN_PERIOD: &str = concat!(
    mandate_select!(),
    " WHERE m.starts_on <= $2 AND (m.ended_on IS NULL OR m.ended_on >= $1) \
     AND (m.ends_on IS NULL OR m.ends_on >= $1) ORDER BY p.last_name, p.first_name, m.starts_on \
     LIMIT $3"
);
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";
const RESOLUTION: &str = "SELECT r.kind, r.status, a.held_on FROM resolutions r \
    JOIN general_assemblies a ON a.id = r.assembly_id WHERE r.id = $1";
const ARTICLE_EXISTS: &str = "SELECT id FROM statute_articles WHERE id = $1";
/// A mandate of the same person overlapping [$2, $3] (open end: '9999-12-31').
const OVERLAP: &str = "SELECT id FROM director_mandates WHERE person_id = $1 \
    AND starts_on <= $3 AND COALESCE(ended_on, ends_on, '9999-12-31') >= $2 \
    AND (ends_on IS NULL OR ends_on >= $2)";
const MANDATE_INSERT: &str = "INSERT INTO director_mandates (person_id, role, starts_on, \
    ends_on, appointed_by, resolution_id, article_id, confirmed_by_resolution_id, ended_on, \
    end_reason, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL, $8, $9, $9) RETURNING id";
const MANDATE_END: &str = "UPDATE director_mandates SET ended_on = $1, end_reason = $2, \
    updated_at = $3 WHERE id = $4 AND ended_on IS NULL";
const MANDATE_CONFIRM: &str = "UPDATE director_mandates SET confirmed_by_resolution_id = $1, \
    updated_at = $2 WHERE id = $3 AND appointed_by = 'cooptation' \
    AND confirmed_by_resolution_id IS NULL";
const ASSEMBLIES_HELD: &str = "SELECT held_on FROM general_assemblies \
    WHERE held_on <= $1 AND status <> 'draft' ORDER BY held_on LIMIT $2";

macro_rules! meeting_select {
    () => {
        "SELECT m.id, m.held_on, m.place, m.agenda, m.minutes, \
         (SELECT COUNT(*) FROM board_attendance a WHERE a.meeting_id = m.id) AS attended, \
         m.created_by, m.created_at, m.updated_at FROM board_meetings m"
    };
}
const MEETING_GET: &str = concat!(meeting_select!(), " WHERE m.id = $1");
const MEETINGS: &str = concat!(
    meeting_select!(),
    " ORDER BY m.held_on DESC, m.id DESC LIMIT $1 OFFSET $2"
);
const MEETINGS_COUNT: &str = "SELECT COUNT(*) FROM board_meetings";
const MEETING_INSERT: &str = "INSERT INTO board_meetings (held_on, place, agenda, minutes, \
    created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
const ATTENDANCE: &str = "SELECT m.person_id, p.first_name || ' ' || p.last_name AS person_name, \
    m.role, CASE WHEN a.person_id IS NULL THEN FALSE ELSE TRUE END AS present \
    FROM director_mandates m JOIN persons p ON p.id = m.person_id \
    LEFT JOIN board_attendance a ON a.meeting_id = $2 AND a.person_id = m.person_id \
    WHERE m.starts_on <= $1 AND (m.ended_on IS NULL OR m.ended_on >= $1) \
    AND (m.ends_on IS NULL OR m.ends_on >= $1) ORDER BY p.last_name, p.first_name LIMIT $3";
const ATTENDANCE_CLEAR: &str = "DELETE FROM board_attendance WHERE meeting_id = $1";
const ATTENDANCE_INSERT: &str =
    "INSERT INTO board_attendance (meeting_id, person_id) VALUES ($1, $2)";
const TOUCH_MEETING: &str = "UPDATE board_meetings SET updated_at = $1 WHERE id = $2";
/// Who attended which meeting in [$1, $2].
const ATTENDED_IN_PERIOD: &str = "SELECT a.person_id, m.held_on FROM board_attendance a \
    JOIN board_meetings m ON m.id = a.meeting_id WHERE m.held_on >= $1 AND m.held_on <= $2 \
    ORDER BY a.person_id, m.held_on LIMIT $3";

macro_rules! allowance_select {
    () => {
        "SELECT d.id, d.resolution_id, r.title AS resolution_title, r.assembly_id, \
         ga.held_on AS assembly_held_on, d.kind, d.amount_cents, d.basis, d.valid_from, \
         d.valid_to, d.created_at FROM director_allowances d \
         JOIN resolutions r ON r.id = d.resolution_id \
         JOIN general_assemblies ga ON ga.id = r.assembly_id"
    };
}
const ALLOWANCE_GET: &str = concat!(allowance_select!(), " WHERE d.id = $1");
const ALLOWANCES: &str = concat!(
    allowance_select!(),
    " ORDER BY d.valid_from DESC, d.id DESC LIMIT $1"
);
const ALLOWANCE_INSERT: &str = "INSERT INTO director_allowances (resolution_id, kind, \
    amount_cents, basis, valid_from, valid_to, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

macro_rules! payment_select {
    () => {
        "SELECT d.id, d.person_id, p.first_name || ' ' || p.last_name AS person_name, d.paid_on, \
         d.amount_cents, d.label, d.kind, d.payout_id, o.status AS payout_status, d.created_by, \
         d.created_at FROM director_payments d JOIN persons p ON p.id = d.person_id \
         LEFT JOIN payouts o ON o.id = d.payout_id"
    };
}
macro_rules! payment_where {
    () => {
        " WHERE d.paid_on >= $1 AND d.paid_on <= $2 \
          AND (CAST($3 AS BIGINT) IS NULL OR d.person_id = $3)"
    };
}
const PAYMENT_GET: &str = concat!(payment_select!(), " WHERE d.id = $1");
const PAYMENTS: &str = concat!(
    payment_select!(),
    payment_where!(),
    " ORDER BY d.paid_on DESC, d.id DESC LIMIT $4 OFFSET $5"
);
const PAYMENTS_COUNT: &str = concat!("SELECT COUNT(*) FROM director_payments d", payment_where!());
const PAYMENTS_IN_PERIOD: &str = "SELECT d.person_id, p.first_name || ' ' || p.last_name, \
    d.kind, d.amount_cents FROM director_payments d JOIN persons p ON p.id = d.person_id \
    WHERE d.paid_on >= $1 AND d.paid_on <= $2 ORDER BY d.person_id, d.id LIMIT $3";
const PAYEE: &str = "SELECT first_name || ' ' || last_name, iban, street, postcode, city, \
    country FROM persons WHERE id = $1";
const ENTITY_EXISTS: &str = "SELECT id FROM legal_entities WHERE id = $1";
const PAYMENT_INSERT: &str = "INSERT INTO director_payments (person_id, paid_on, amount_cents, \
    label, kind, payout_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7) \
    RETURNING id";
const PAYMENT_SET_PAYOUT: &str = "UPDATE director_payments SET payout_id = $1 WHERE id = $2";
/// TV-14: a resignation refund suspended by the distribution tests (helper S's register).
const REFUNDS_SUSPENDED: &str =
    "SELECT COUNT(*) FROM share_exits WHERE refund_status = 'suspended'";

const ADOPTED_OF_KIND: &str = "SELECT r.id, r.title, r.assembly_id, a.held_on FROM resolutions r \
    JOIN general_assemblies a ON a.id = r.assembly_id \
    WHERE r.kind = $1 AND r.status = 'adopted' ORDER BY a.held_on DESC, r.position LIMIT $2";
const ARTICLES: &str = "SELECT a.id, a.number, a.heading, v.label AS version_label \
    FROM statute_articles a JOIN statute_versions v ON v.id = a.version_id \
    ORDER BY v.effective_from DESC, a.position LIMIT $1";

macro_rules! allocation_select {
    () => {
        "SELECT x.id, x.financial_year, x.resolution_id, r.title AS resolution_title, \
         r.assembly_id, ga.held_on AS assembly_held_on, x.result_cents, x.created_by, \
         x.created_at FROM appropriations x JOIN resolutions r ON r.id = x.resolution_id \
         JOIN general_assemblies ga ON ga.id = r.assembly_id"
    };
}
const ALLOCATION_OF_YEAR: &str = concat!(allocation_select!(), " WHERE x.financial_year = $1");
const ALLOCATIONS: &str = concat!(
    allocation_select!(),
    " ORDER BY x.financial_year DESC LIMIT $1 OFFSET $2"
);
const ALLOCATIONS_COUNT: &str = "SELECT COUNT(*) FROM appropriations";
const ALLOCATION_LINES: &str = "SELECT position, kind, amount_cents FROM appropriation_lines \
    WHERE appropriation_id = $1 ORDER BY position";
const YEAR_TAKEN: &str = "SELECT id FROM appropriations WHERE financial_year = $1";
const DIVIDENDS_ALLOWED: &str = "SELECT dividends_allowed FROM statute_versions \
    WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1";
/// The capital at $1: shares and paid-up capital with each class's nominal.
const CAPITAL_AT: &str = "SELECT CAST(COALESCE(SUM(o.paid_cents), 0) AS BIGINT), \
    CAST(COALESCE(SUM(o.shares * c.nominal_cents), 0) AS BIGINT) \
    FROM share_operations o JOIN share_classes c ON c.id = o.class_id WHERE o.effective_on <= $1";
const ALLOCATION_INSERT: &str = "INSERT INTO appropriations (financial_year, resolution_id, \
    result_cents, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const LINE_INSERT: &str = "INSERT INTO appropriation_lines (appropriation_id, position, kind, \
    amount_cents) VALUES ($1, $2, $3, $4)";

fn date_of(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("stored date {s}")))
}

/// The first and last day of a calendar financial year.
fn year_bounds(year: i16) -> (Date, Date) {
    (date(year, 1, 1), date(year, 12, 31))
}

/// Checks that resolution `id` was adopted with `kind`; the refusal names `field`.
macro_rules! check_resolution_in {
    ($tx:expr, $id:expr, $kind:expr, $field:expr) => {{
        let row: Option<(String, String, String)> = sqlx::query_as(RESOLUTION)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        match row {
            None => {
                return Err(StoreError::Refused(FieldErrors::single(
                    $field,
                    "brd-choice",
                )));
            }
            Some((kind, _, _)) if kind != $kind => {
                return Err(StoreError::Refused(FieldErrors::single(
                    $field,
                    "brd-resolution-kind",
                )));
            }
            Some((_, status, _)) if status != "adopted" => {
                return Err(StoreError::Refused(FieldErrors::single(
                    $field,
                    "brd-resolution-not-adopted",
                )));
            }
            Some((_, _, held_on)) => held_on,
        }
    }};
}

impl Store {
    /// Records a mandate. It must rest on an adopted GA resolution of kind `appointment`
    /// held on or before its start, or on an article of the statutes, or be a co-optation
    /// (CNC-4); one person holds one mandate at a time. `Refused` names the field.
    pub async fn create_mandate(
        &self,
        ctx: &AuditContext,
        new: &NewMandate,
    ) -> Result<MandateRecord> {
        let now = now_micros();
        write_tx!(self, tx => {
            let person: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                .bind(new.person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if person.is_none() {
                return Err(StoreError::Refused(FieldErrors::single("brd_person", "brd-choice")));
            }
            let (resolution_id, article_id) = match new.appointed_by {
                AppointedBy::Resolution(id) => {
                    let held_on = check_resolution_in!(tx, id, "appointment", "brd_resolution");
                    if new.starts_on.to_string() < held_on {
                        return Err(StoreError::Refused(FieldErrors::single(
                            "brd_starts_on",
                            "brd-starts-before-assembly",
                        )));
                    }
                    (Some(id), None)
                }
                AppointedBy::Statutes(id) => {
                    let found: Option<(i64,)> = sqlx::query_as(ARTICLE_EXISTS)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if found.is_none() {
                        return Err(StoreError::Refused(FieldErrors::single("brd_article", "brd-choice")));
                    }
                    (None, Some(id))
                }
                AppointedBy::Cooptation => (None, None),
            };
            let overlap: Option<(i64,)> = sqlx::query_as(OVERLAP)
                .bind(new.person_id)
                .bind(new.starts_on.to_string())
                .bind(new.ends_on.map(|d| d.to_string()).unwrap_or_else(|| "9999-12-31".into()))
                .fetch_optional(&mut *tx)
                .await?;
            if overlap.is_some() {
                return Err(StoreError::Refused(FieldErrors::single("brd_person", "brd-already-director")));
            }
            let (id,): (i64,) = sqlx::query_as(MANDATE_INSERT)
                .bind(new.person_id)
                .bind(new.role.code())
                .bind(new.starts_on.to_string())
                .bind(new.ends_on.map(|d| d.to_string()))
                .bind(new.appointed_by.code())
                .bind(resolution_id)
                .bind(article_id)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, MandateRecord>(MANDATE_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "mandate.create", "director_mandate", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Ends a mandate on `on` (not before its start) for `reason`; once.
    pub async fn end_mandate(
        &self,
        ctx: &AuditContext,
        id: i64,
        on: Date,
        reason: EndReason,
    ) -> Result<MandateRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, MandateRecord>(MANDATE_GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if before.ended_on.is_some() {
                return Err(StoreError::Conflict(REFUSED_ENDED));
            }
            if on.to_string() < before.starts_on {
                return Err(StoreError::Refused(FieldErrors::single("brd_ended_on", "brd-ends-before-start")));
            }
            let done = sqlx::query(MANDATE_END)
                .bind(on.to_string())
                .bind(reason.code())
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_ENDED));
            }
            let after = sqlx::query_as::<_, MandateRecord>(MANDATE_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "mandate.end", "director_mandate", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Records the GA resolution (adopted, kind `appointment`) confirming a co-optation.
    pub async fn confirm_cooptation(
        &self,
        ctx: &AuditContext,
        id: i64,
        resolution_id: i64,
    ) -> Result<MandateRecord> {
        write_tx!(self, tx => {
            let before = sqlx::query_as::<_, MandateRecord>(MANDATE_GET)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if before.appointed_by != "cooptation" || before.confirmed_by_resolution_id.is_some() {
                return Err(StoreError::Conflict(REFUSED_NOT_COOPTED));
            }
            check_resolution_in!(tx, resolution_id, "appointment", "brd_resolution");
            sqlx::query(MANDATE_CONFIRM)
                .bind(resolution_id)
                .bind(now_micros())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, MandateRecord>(MANDATE_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "mandate.confirm", "director_mandate", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Adds the CNC-4 status of co-optations, as known on `today`.
    async fn with_cooptation(
        &self,
        mut list: Vec<MandateRecord>,
        today: Date,
    ) -> Result<Vec<MandateRecord>> {
        if !list.iter().any(|m| m.appointed_by == "cooptation") {
            return Ok(list);
        }
        let held: Vec<(String,)> = with_db!(self, pool => {
            sqlx::query_as(ASSEMBLIES_HELD)
                .bind(today.to_string())
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?
        });
        let held: Vec<Date> = held.iter().filter_map(|(d,)| d.parse().ok()).collect();
        for m in &mut list {
            let status = cooptation_status(
                m.appointed(),
                date_of(&m.starts_on)?,
                m.confirmed_by_resolution_id.is_some(),
                &held,
                today,
            );
            match status {
                CooptationStatus::Confirmed => {}
                CooptationStatus::AwaitingAssembly => m.awaiting_confirmation = true,
                CooptationStatus::Unconfirmed(on) => m.unconfirmed_since = Some(on.to_string()),
            }
        }
        Ok(list)
    }

    pub async fn mandate(&self, id: i64, today: Date) -> Result<MandateRecord> {
        let m = with_db!(self, pool => {
            sqlx::query_as::<_, MandateRecord>(MANDATE_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?
        });
        let mut list = self.with_cooptation(vec![m], today).await?;
        list.pop().ok_or(StoreError::NotFound)
    }

    /// The board on `on`: the mandates in force, chair, secretary and treasurer first.
    pub async fn board_on(&self, on: Date) -> Result<Vec<MandateRecord>> {
        let list = with_db!(self, pool => {
            sqlx::query_as::<_, MandateRecord>(MANDATES_ON)
                .bind(on.to_string())
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?
        });
        self.with_cooptation(list, on).await
    }

    /// The mandates over before `on`, newest first.
    pub async fn past_mandates(&self, on: Date, page: PageRequest) -> Result<Page<MandateRecord>> {
        let (total, items) = with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(PAST_COUNT)
                .bind(on.to_string())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, MandateRecord>(PAST)
                .bind(on.to_string())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        let items = self.with_cooptation(items, on).await?;
        Ok(page.of(items, total))
    }

    /// Every mandate in force at some day of `year` (the special report's directors).
    pub async fn mandates_in_year(&self, year: i16) -> Result<Vec<MandateRecord>> {
        let (from, to) = year_bounds(year);
        let list = with_db!(self, pool => {
            sqlx::query_as::<_, MandateRecord>(IN_PERIOD)
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?
        });
        self.with_cooptation(list, to).await
    }

    /// Records a board meeting (attendance is set apart: [`Store::set_attendance`]).
    pub async fn create_board_meeting(
        &self,
        ctx: &AuditContext,
        new: &NewMeeting,
    ) -> Result<MeetingRecord> {
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(MEETING_INSERT)
                .bind(new.held_on.to_string())
                .bind(&new.place)
                .bind(&new.agenda)
                .bind(&new.minutes)
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, MeetingRecord>(MEETING_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "board-meeting.create", "board_meeting", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn board_meeting(&self, id: i64) -> Result<MeetingRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, MeetingRecord>(MEETING_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Board meetings, newest first.
    pub async fn board_meetings(&self, page: PageRequest) -> Result<Page<MeetingRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(MEETINGS_COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, MeetingRecord>(MEETINGS)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The directors in office on the meeting's day, and whether each attended.
    pub async fn meeting_attendance(&self, meeting_id: i64) -> Result<Vec<AttendanceRow>> {
        let meeting = self.board_meeting(meeting_id).await?;
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, AttendanceRow>(ATTENDANCE)
                .bind(&meeting.held_on)
                .bind(meeting_id)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// Sets who attended a meeting: `present` are person ids, each a director in office on
    /// the meeting's day (`Refused` on `brd_present` otherwise). Replaces what was there.
    pub async fn set_attendance(
        &self,
        ctx: &AuditContext,
        meeting_id: i64,
        present: &[i64],
    ) -> Result<Vec<AttendanceRow>> {
        write_tx!(self, tx => {
            let meeting = sqlx::query_as::<_, MeetingRecord>(MEETING_GET)
                .bind(meeting_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before = sqlx::query_as::<_, AttendanceRow>(ATTENDANCE)
                .bind(&meeting.held_on)
                .bind(meeting_id)
                .bind(MAX_ROWS)
                .fetch_all(&mut *tx)
                .await?;
            let mut ids: Vec<i64> = present.to_vec();
            ids.sort_unstable();
            ids.dedup();
            if ids.iter().any(|id| !before.iter().any(|r| r.person_id == *id)) {
                return Err(StoreError::Refused(FieldErrors::single("brd_present", "brd-not-in-office")));
            }
            sqlx::query(ATTENDANCE_CLEAR).bind(meeting_id).execute(&mut *tx).await?;
            for id in &ids {
                sqlx::query(ATTENDANCE_INSERT)
                    .bind(meeting_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(TOUCH_MEETING).bind(now_micros()).bind(meeting_id).execute(&mut *tx).await?;
            let after = sqlx::query_as::<_, AttendanceRow>(ATTENDANCE)
                .bind(&meeting.held_on)
                .bind(meeting_id)
                .bind(MAX_ROWS)
                .fetch_all(&mut *tx)
                .await?;
            audit!(tx, ctx, "board-meeting.attendance", "board_meeting", Some(meeting_id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Records an allowance; it rests on an adopted GA resolution of kind `allowance`.
    pub async fn create_allowance(
        &self,
        ctx: &AuditContext,
        new: &NewAllowance,
    ) -> Result<AllowanceRecord> {
        write_tx!(self, tx => {
            check_resolution_in!(tx, new.resolution_id, "allowance", "brd_resolution");
            let (id,): (i64,) = sqlx::query_as(ALLOWANCE_INSERT)
                .bind(new.resolution_id)
                .bind(new.kind.code())
                .bind(new.amount_cents)
                .bind(new.basis.code())
                .bind(new.valid_from.to_string())
                .bind(new.valid_to.map(|d| d.to_string()))
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            let after = sqlx::query_as::<_, AllowanceRecord>(ALLOWANCE_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "allowance.create", "director_allowance", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Every allowance decided (a handful), newest first.
    pub async fn allowances(&self) -> Result<Vec<AllowanceRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, AllowanceRecord>(ALLOWANCES)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// Records a payment to a director (someone holding a mandate in the payment's year:
    /// `Refused` on `brd_person` otherwise). With `order_from_entity`, creates the payout
    /// order in the same transaction (the director's IBAN is needed); its money comes from
    /// the suspense account, where the accountant books it.
    pub async fn record_director_payment(
        &self,
        ctx: &AuditContext,
        new: &NewDirectorPayment,
    ) -> Result<DirectorPaymentRecord> {
        if new.order_from_entity.is_some() && new.kind.is_forbidden() {
            return Err(StoreError::Refused(FieldErrors::single(
                "brd_payment_kind",
                "brd-forbidden-payment",
            )));
        }
        let (from, to) = year_bounds(new.paid_on.year());
        write_tx!(self, tx => {
            let payee: Option<(String, Option<String>, String, String, String, String)> =
                sqlx::query_as(PAYEE).bind(new.person_id).fetch_optional(&mut *tx).await?;
            let Some((name, iban, street, postcode, city, country)) = payee else {
                return Err(StoreError::Refused(FieldErrors::single("brd_person", "brd-choice")));
            };
            let mandates = sqlx::query_as::<_, MandateRecord>(IN_PERIOD)
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(MAX_ROWS)
                .fetch_all(&mut *tx)
                .await?;
            if !mandates.iter().any(|m| m.person_id == new.person_id) {
                return Err(StoreError::Refused(FieldErrors::single("brd_person", "brd-not-a-director")));
            }
            let (id,): (i64,) = sqlx::query_as(PAYMENT_INSERT)
                .bind(new.person_id)
                .bind(new.paid_on.to_string())
                .bind(new.amount_cents)
                .bind(&new.label)
                .bind(new.kind.code())
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            if let Some(entity_id) = new.order_from_entity {
                let entity: Option<(i64,)> = sqlx::query_as(ENTITY_EXISTS)
                    .bind(entity_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if entity.is_none() {
                    return Err(StoreError::Refused(FieldErrors::single("brd_entity", "brd-choice")));
                }
                let Some(iban) = iban.as_deref().and_then(|i| Iban::parse(i).ok()) else {
                    return Err(StoreError::Refused(FieldErrors::single("brd_person", "brd-no-iban")));
                };
                let order = NewPayout {
                    kind: PayoutKind::Other,
                    entity_id,
                    beneficiary_name: name.chars().take(70).collect(),
                    iban,
                    bic: None,
                    address: PostalAddress {
                        street: Some(street),
                        building_number: None,
                        postcode: Some(postcode),
                        town: city,
                        country,
                    },
                    amount_cents: new.amount_cents,
                    remittance: Some(Remittance::Text(new.label.clone())),
                    // No director-remuneration account in ruche's ledger yet: the accountant
                    // books the suspense account's debit.
                    ledger_account: AccountCode::Suspense,
                    activity_id: None,
                    person_id: Some(new.person_id),
                    source: Some(("director-payment".to_string(), id)),
                    requested_on: new.paid_on,
                };
                let payout = insert_payout_in!(tx, ctx, &order);
                sqlx::query(PAYMENT_SET_PAYOUT).bind(payout.id).bind(id).execute(&mut *tx).await?;
            }
            let after = sqlx::query_as::<_, DirectorPaymentRecord>(PAYMENT_GET)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit!(tx, ctx, "director-payment.create", "director_payment", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn director_payment(&self, id: i64) -> Result<DirectorPaymentRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, DirectorPaymentRecord>(PAYMENT_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The payments to directors in `year` (of one person, or all), newest first.
    pub async fn director_payments(
        &self,
        year: i16,
        person_id: Option<i64>,
        page: PageRequest,
    ) -> Result<Page<DirectorPaymentRecord>> {
        let (from, to) = year_bounds(year);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(PAYMENTS_COUNT)
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(person_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, DirectorPaymentRecord>(PAYMENTS)
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(person_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// ES-6, CNC-5, TV-15: per director of `year` (anyone who held a mandate in it or was
    /// paid as a director), what the GA allowed and what was paid, by name.
    pub async fn director_checks(&self, year: i16) -> Result<Vec<DirectorCheck>> {
        let (from, to) = year_bounds(year);
        let mandates = self.mandates_in_year(year).await?;
        let (attended, payments): (Attended, Paid) = with_db!(self, pool => {
            let attended = sqlx::query_as(ATTENDED_IN_PERIOD)
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(MAX_ROWS * 50)
                .fetch_all(pool)
                .await?;
            let payments = sqlx::query_as(PAYMENTS_IN_PERIOD)
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(MAX_ROWS * 50)
                .fetch_all(pool)
                .await?;
            (attended, payments)
        });
        let mut allowances = Vec::new();
        for a in self.allowances().await? {
            allowances.push(Allowance {
                resolution_id: a.resolution_id,
                kind: AllowanceKind::parse(&a.kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("allowance kind {}", a.kind)))?,
                amount_cents: a.amount_cents,
                basis: AllowanceBasis::parse(&a.basis)
                    .ok_or_else(|| StoreError::Corrupt(format!("allowance basis {}", a.basis)))?,
                valid_from: date_of(&a.valid_from)?,
                valid_to: a.valid_to.as_deref().map(date_of).transpose()?,
            });
        }
        let mut people: Vec<(i64, String)> = Vec::new();
        for m in &mandates {
            if !people.iter().any(|(id, _)| *id == m.person_id) {
                people.push((m.person_id, m.person_name.clone()));
            }
        }
        for (id, name, _, _) in &payments {
            if !people.iter().any(|(p, _)| p == id) {
                people.push((*id, name.clone()));
            }
        }
        people.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut out = Vec::with_capacity(people.len());
        for (person_id, name) in people {
            let days: Vec<Date> = attended
                .iter()
                .filter(|(p, _)| *p == person_id)
                .map(|(_, d)| date_of(d))
                .collect::<Result<_>>()?;
            let paid: Vec<Payment> = payments
                .iter()
                .filter(|(p, _, _, _)| *p == person_id)
                .map(|(_, _, kind, cents)| {
                    Ok(Payment {
                        kind: PaymentKind::parse(kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("payment kind {kind}")))?,
                        amount_cents: *cents,
                    })
                })
                .collect::<Result<_>>()?;
            let check = check_director_year(from, to, &days, &allowances, &paid);
            out.push(DirectorCheck {
                person_id,
                name,
                meetings_attended: check.meetings_attended,
                allowed_cents: check.allowed_cents,
                paid_cents: check.paid_cents,
                unexplained_cents: check.unexplained_cents,
                forbidden_kinds: check
                    .forbidden_kinds
                    .iter()
                    .map(|k| k.code().to_string())
                    .collect(),
                passes: check.passes(),
                basis_resolution_ids: check.basis_resolution_ids,
            });
        }
        Ok(out)
    }

    /// The adopted GA resolutions of `kind` (`appointment`, `allowance`, `appropriation`),
    /// newest first: the choices of the forms.
    pub async fn adopted_resolutions(&self, kind: &str) -> Result<Vec<ResolutionChoice>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ResolutionChoice>(ADOPTED_OF_KIND)
                .bind(kind)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The statutes articles, newest version first: the choices of a statutory mandate.
    pub async fn article_choices(&self) -> Result<Vec<ArticleChoice>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, ArticleChoice>(ARTICLES)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// Records the allocation of a year's result. Refused (nothing written) when the
    /// resolution is not an adopted `appropriation`, the year has one already
    /// (`Duplicate { field: "alloc_year" }`), or the lines break a rule:
    /// [`check_appropriation`] with the statutes in force at the year end (dividends
    /// allowed?), a suspended resignation refund (TV-14) and the ES-3 cap on the capital
    /// at the year end.
    pub async fn record_appropriation(
        &self,
        ctx: &AuditContext,
        new: &NewAppropriation,
    ) -> Result<Allocation> {
        let (_, year_end) = year_bounds(new.financial_year);
        let params = params_on(year_end).ok();
        write_tx!(self, tx => {
            check_resolution_in!(tx, new.resolution_id, "appropriation", "alloc_resolution");
            let taken: Option<(i64,)> = sqlx::query_as(YEAR_TAKEN)
                .bind(i64::from(new.financial_year))
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate { field: "alloc_year" });
            }
            let allowed: Option<(bool,)> = sqlx::query_as(DIVIDENDS_ALLOWED)
                .bind(year_end.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            let (paid_up, nominal): (i64, i64) = sqlx::query_as(CAPITAL_AT)
                .bind(year_end.to_string())
                .fetch_one(&mut *tx)
                .await?;
            let (suspended,): (i64,) = sqlx::query_as(REFUNDS_SUSPENDED)
                .fetch_one(&mut *tx)
                .await?;
            let context = AppropriationContext {
                // No statutes recorded: the CSA allows dividends (the accreditation caps them).
                dividends_allowed: allowed.is_none_or(|(a,)| a),
                refunds_suspended: suspended > 0,
                advantage_cap_cents: params.map(|p| {
                    round_cents(rate(p.advantage_rate_bp) * Ratio::from_integer(share_basis(nominal, paid_up, p.advantage_basis)))
                }),
                rebates_count: params.is_none_or(|p| p.rebates_count),
            };
            let errors = check_appropriation(new.result_cents, &new.lines, &context);
            if !errors.is_empty() {
                let mut fields = FieldErrors::new();
                for e in errors {
                    let field = match e {
                        AppropriationError::DoesNotAddUp { .. } => "alloc_result",
                        _ => "alloc_lines",
                    };
                    fields.add(field, e.code());
                }
                return Err(StoreError::Refused(fields));
            }
            let (id,): (i64,) = sqlx::query_as(ALLOCATION_INSERT)
                .bind(i64::from(new.financial_year))
                .bind(new.resolution_id)
                .bind(new.result_cents)
                .bind(ctx.actor_account_id)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await?;
            for (i, line) in new.lines.iter().enumerate() {
                sqlx::query(LINE_INSERT)
                    .bind(id)
                    .bind(i64::try_from(i).unwrap_or(i64::MAX) + 1)
                    .bind(line.kind.code())
                    .bind(line.amount_cents)
                    .execute(&mut *tx)
                    .await?;
            }
            let row = sqlx::query_as::<_, AllocationRow>(ALLOCATION_OF_YEAR)
                .bind(i64::from(new.financial_year))
                .fetch_one(&mut *tx)
                .await?;
            let lines = sqlx::query_as::<_, AllocationLine>(ALLOCATION_LINES)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            let after = allocation(row, lines)?;
            audit!(tx, ctx, "appropriation.create", "appropriation", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// The allocation of `year`'s result, if the GA decided it.
    pub async fn allocation_of_year(&self, year: i16) -> Result<Option<Allocation>> {
        with_db!(self, pool => {
            let row = sqlx::query_as::<_, AllocationRow>(ALLOCATION_OF_YEAR)
                .bind(i64::from(year))
                .fetch_optional(pool)
                .await?;
            match row {
                None => Ok(None),
                Some(row) => {
                    let lines = sqlx::query_as::<_, AllocationLine>(ALLOCATION_LINES)
                        .bind(row.id)
                        .fetch_all(pool)
                        .await?;
                    Ok(Some(allocation(row, lines)?))
                }
            }
        })
    }

    /// Allocations, latest year first.
    pub async fn allocations(&self, page: PageRequest) -> Result<Page<Allocation>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(ALLOCATIONS_COUNT).fetch_one(pool).await?;
            let rows = sqlx::query_as::<_, AllocationRow>(ALLOCATIONS)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let mut items = Vec::with_capacity(rows.len());
            for row in rows {
                let lines = sqlx::query_as::<_, AllocationLine>(ALLOCATION_LINES)
                    .bind(row.id)
                    .fetch_all(pool)
                    .await?;
                items.push(allocation(row, lines)?);
            }
            Ok(page.of(items, total))
        })
    }
}

/// An allocation read back, its lines asserted to add up to the result (TigerStyle: check
/// on both sides of a write).
fn allocation(row: AllocationRow, lines: Vec<AllocationLine>) -> Result<Allocation> {
    let mut parsed = Vec::with_capacity(lines.len());
    for l in &lines {
        parsed.push(Line {
            kind: LineKind::parse(&l.kind).ok_or_else(|| {
                StoreError::Corrupt(format!("appropriation line kind {}", l.kind))
            })?,
            amount_cents: l.amount_cents,
        });
    }
    let sum = parsed
        .iter()
        .fold(0i64, |s, l| s.saturating_add(l.amount_cents));
    if sum != row.result_cents {
        return Err(StoreError::Corrupt(format!(
            "appropriation {} lines add up to {sum}, not {}",
            row.id, row.result_cents
        )));
    }
    Ok(Allocation {
        id: row.id,
        financial_year: row.financial_year,
        resolution_id: row.resolution_id,
        resolution_title: row.resolution_title,
        assembly_id: row.assembly_id,
        assembly_held_on: row.assembly_held_on,
        result_cents: row.result_cents,
        no_dividend: no_dividend(&parsed),
        lines,
        created_by: row.created_by,
        created_at: row.created_at,
    })
}
