//! The ethics committee (C13): its seats, meetings and attendance, the referrals it receives
//! and its opinions and recommendations, from draft to publication.
//!
//! Every change runs in one transaction with its audit entry. Publishing an opinion on a
//! referral closes the referral (opinion given) and queues the referrer's notice in the same
//! transaction; an opinion is published once (the status is checked in the `UPDATE`), so the
//! referrer is mailed once. The notice is rendered by the caller, in the referrer's
//! language, from the opinion read before.

use jiff::civil::Date;
use ruche_domain::ethics::{
    NewMeeting, NewOpinion, NewReferral, NewSeat, OpinionStatus, ReferralEvent, ReferralStatus,
    seat_held_on,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::legal_help::brussels_day;
use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// The figure keys of the Ethics section, in order (figures.rs lists them).
pub const FIGURE_KEYS: [&str; 4] = [
    "ethics-meetings",
    "ethics-referrals",
    "ethics-opinions",
    "ethics-subjects",
];

/// Field error codes of refusals only the stored state can tell.
pub const REFUSED_PERSON: &str = "ethics-unknown-person";
pub const REFUSED_NOT_SEATED: &str = "ethics-not-seated";
pub const REFUSED_MEETING: &str = "ethics-unknown-meeting";
pub const REFUSED_REFERRAL: &str = "ethics-unknown-referral";
pub const REFUSED_REFERRAL_CLOSED: &str = "ethics-referral-closed";
pub const REFUSED_HAS_OPINION: &str = "ethics-referral-has-opinion";
pub const REFUSED_PUBLISHED: &str = "ethics-already-published";
pub const REFUSED_NOT_ADOPTED: &str = "ethics-not-adopted";
pub const REFUSED_STATUS: &str = "ethics-status";

/// The most seats, present members or rows one read takes (TigerStyle: a bound on every list).
const MAX_ROWS: i64 = 1_000;

fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

/// A seat on the committee, with its holder's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SeatRecord {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub role: String,
    pub from_on: String,
    pub until_on: Option<String>,
}

impl SeatRecord {
    /// Whether the seat is held on `day`.
    pub fn held_on(&self, day: Date) -> bool {
        let until = self.until_on.as_deref().and_then(|d| d.parse().ok());
        self.from_on
            .parse()
            .is_ok_and(|from| seat_held_on(from, until, day))
    }
}

/// A meeting, with the number of members present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MeetingRecord {
    pub id: i64,
    pub held_on: String,
    pub place: String,
    pub agenda: String,
    pub minutes: Option<String>,
    pub present_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A referral, with its referrer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ReferralRecord {
    pub id: i64,
    pub person_id: i64,
    pub referrer_name: String,
    pub submitted_by: Option<i64>,
    pub subject: String,
    pub question: String,
    pub received_on: String,
    pub status: String,
    pub decline_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ReferralRecord {
    pub fn status(&self) -> Result<ReferralStatus> {
        ReferralStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("ethics referral status {}", self.status)))
    }
}

/// An opinion or recommendation, with its referral, referrer and the meeting that adopted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OpinionRecord {
    pub id: i64,
    pub referral_id: Option<i64>,
    pub referral_subject: Option<String>,
    pub referrer_person_id: Option<i64>,
    /// The referrer's sign-in address and language (the notice of publication goes there).
    #[serde(skip)]
    pub referrer_email: Option<String>,
    #[serde(skip)]
    pub referrer_language: Option<String>,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub meeting_id: Option<i64>,
    /// The day of the meeting that adopted it.
    pub adopted_on: Option<String>,
    pub status: String,
    pub published_on: Option<String>,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl OpinionRecord {
    pub fn status(&self) -> Result<OpinionStatus> {
        OpinionStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("ethics opinion status {}", self.status)))
    }

    pub fn is_published(&self) -> bool {
        self.status == OpinionStatus::Published.code()
    }
}

/// The notice of a published opinion, rendered by the caller in the referrer's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EthicsNotice {
    pub subject: String,
    pub body: String,
}

/// Filters of the referrals; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    /// One referrer's.
    pub person_id: Option<i64>,
    /// A status code, or `open` (received or under review).
    pub status: Option<String>,
}

/// Filters of the opinions.
#[derive(Debug, Clone, Default)]
pub struct OpinionFilter {
    /// `draft` or `published`; `None`: both.
    pub status: Option<OpinionStatus>,
    pub referral_id: Option<i64>,
}

/// The committee's year in figures: counted from the rows, never typed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EthicsYear {
    /// Meetings held in the year.
    pub meetings: i64,
    /// Referrals received in the year.
    pub referrals: i64,
    /// Opinions and recommendations published in the year.
    pub opinions: i64,
    /// Distinct subjects on the committee's table: the subjects of the referrals received and
    /// of the own-initiative opinions published in the year (same text, same subject).
    pub subjects: i64,
}

const SEAT_GET: &str = concat!(
    "SELECT s.id, s.person_id, p.first_name || ' ' || p.last_name AS person_name, ",
    "s.role, s.from_on, s.until_on FROM ethics_members s JOIN persons p ON p.id = s.person_id ",
    "WHERE s.id = $1"
);
const SEATS: &str = concat!(
    "SELECT s.id, s.person_id, p.first_name || ' ' || p.last_name AS person_name, ",
    "s.role, s.from_on, s.until_on FROM ethics_members s JOIN persons p ON p.id = s.person_id ",
    "WHERE (CAST($1 AS TEXT) IS NULL OR (s.from_on <= $1 AND (s.until_on IS NULL OR s.until_on >= $1))) ",
    "ORDER BY CASE s.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, ",
    "p.last_name, p.first_name, s.id LIMIT $2"
);
const SEAT_INSERT: &str = "INSERT INTO ethics_members (person_id, role, from_on, until_on, \
    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
const SEAT_UPDATE: &str = "UPDATE ethics_members SET person_id = $1, role = $2, from_on = $3, \
    until_on = $4, updated_at = $5 WHERE id = $6";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";

const MEETING_SELECT: &str = "SELECT m.id, m.held_on, m.place, m.agenda, m.minutes, \
    (SELECT COUNT(*) FROM ethics_meeting_attendance a WHERE a.meeting_id = m.id) AS present_count, \
    m.created_at, m.updated_at FROM ethics_meetings m WHERE m.id = $1";
const MEETINGS: &str = "SELECT m.id, m.held_on, m.place, m.agenda, m.minutes, \
    (SELECT COUNT(*) FROM ethics_meeting_attendance a WHERE a.meeting_id = m.id) AS present_count, \
    m.created_at, m.updated_at FROM ethics_meetings m \
    WHERE (CAST($1 AS TEXT) IS NULL OR (m.held_on >= $1 AND m.held_on < $2)) \
    ORDER BY m.held_on DESC, m.id DESC LIMIT $3 OFFSET $4";
const MEETINGS_COUNT: &str = "SELECT COUNT(*) FROM ethics_meetings m \
    WHERE (CAST($1 AS TEXT) IS NULL OR (m.held_on >= $1 AND m.held_on < $2))";
const MEETING_INSERT: &str = "INSERT INTO ethics_meetings (held_on, place, agenda, minutes, \
    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
const MEETING_UPDATE: &str = "UPDATE ethics_meetings SET held_on = $1, place = $2, agenda = $3, \
    minutes = $4, updated_at = $5 WHERE id = $6";
const ATTENDANCE_CLEAR: &str = "DELETE FROM ethics_meeting_attendance WHERE meeting_id = $1";
const ATTENDANCE_INSERT: &str =
    "INSERT INTO ethics_meeting_attendance (meeting_id, member_id) VALUES ($1, $2)";
const PRESENT: &str = concat!(
    "SELECT s.id, s.person_id, p.first_name || ' ' || p.last_name AS person_name, ",
    "s.role, s.from_on, s.until_on FROM ethics_meeting_attendance a ",
    "JOIN ethics_members s ON s.id = a.member_id JOIN persons p ON p.id = s.person_id ",
    "WHERE a.meeting_id = $1 ORDER BY p.last_name, p.first_name LIMIT $2"
);
// A meeting that adopted an opinion keeps its date: the opinion's adoption day is it.
const MEETING_ADOPTED_PUBLISHED: &str =
    "SELECT COUNT(*) FROM ethics_opinions WHERE meeting_id = $1 AND status = 'published'";

macro_rules! referral_select {
    () => {
        "SELECT r.id, r.person_id, p.first_name || ' ' || p.last_name AS referrer_name, \
         r.submitted_by, r.subject, r.question, r.received_on, r.status, r.decline_reason, \
         r.created_at, r.updated_at FROM ethics_referrals r JOIN persons p ON p.id = r.person_id"
    };
}
macro_rules! referral_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR r.person_id = $1) \
          AND (CAST($2 AS TEXT) IS NULL OR r.status = $2 \
               OR ($2 = 'open' AND r.status IN ('received', 'under-review')))"
    };
}
const REFERRAL_GET: &str = concat!(referral_select!(), " WHERE r.id = $1");
const REFERRALS: &str = concat!(
    referral_select!(),
    referral_where!(),
    " ORDER BY CASE WHEN r.status IN ('received', 'under-review') THEN 0 ELSE 1 END, \
     r.received_on DESC, r.id DESC LIMIT $3 OFFSET $4"
);
const REFERRALS_COUNT: &str = concat!("SELECT COUNT(*) FROM ethics_referrals r", referral_where!());
const REFERRAL_INSERT: &str = "INSERT INTO ethics_referrals (person_id, submitted_by, subject, \
    question, received_on, status, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, 'received', $6, $6) RETURNING id";
const REFERRAL_STATUS: &str = "UPDATE ethics_referrals SET status = $1, decline_reason = $2, \
    updated_at = $3 WHERE id = $4 AND status = $5";

macro_rules! opinion_select {
    () => {
        "SELECT o.id, o.referral_id, r.subject AS referral_subject, \
         r.person_id AS referrer_person_id, sa.email AS referrer_email, \
         COALESCE(sa.language, rp.language) AS referrer_language, o.kind, o.subject, o.body, \
         o.meeting_id, m.held_on AS adopted_on, o.status, o.published_on, o.published_at, \
         o.created_at, o.updated_at FROM ethics_opinions o \
         LEFT JOIN ethics_referrals r ON r.id = o.referral_id \
         LEFT JOIN persons rp ON rp.id = r.person_id \
         LEFT JOIN accounts sa ON sa.id = r.submitted_by \
         LEFT JOIN ethics_meetings m ON m.id = o.meeting_id"
    };
}
macro_rules! opinion_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR o.status = $1) \
          AND (CAST($2 AS BIGINT) IS NULL OR o.referral_id = $2)"
    };
}
const OPINION_GET: &str = concat!(opinion_select!(), " WHERE o.id = $1");
const OPINIONS: &str = concat!(
    opinion_select!(),
    opinion_where!(),
    " ORDER BY CASE o.status WHEN 'draft' THEN 0 ELSE 1 END, o.published_on DESC, \
     o.id DESC LIMIT $3 OFFSET $4"
);
const OPINIONS_COUNT: &str = concat!("SELECT COUNT(*) FROM ethics_opinions o", opinion_where!());
const OPINION_INSERT: &str = "INSERT INTO ethics_opinions (referral_id, kind, subject, body, \
    meeting_id, status, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, 'draft', $6, $6) RETURNING id";
const OPINION_UPDATE: &str = "UPDATE ethics_opinions SET kind = $1, subject = $2, body = $3, \
    meeting_id = $4, updated_at = $5 WHERE id = $6 AND status = 'draft'";
const OPINION_PUBLISH: &str = "UPDATE ethics_opinions SET status = 'published', \
    published_on = $1, published_at = $2, published_by = $3, updated_at = $2 \
    WHERE id = $4 AND status = 'draft' AND meeting_id IS NOT NULL";
const OPINIONS_ON_REFERRAL: &str = "SELECT COUNT(*) FROM ethics_opinions WHERE referral_id = $1";

const YEAR_MEETINGS: &str =
    "SELECT COUNT(*) FROM ethics_meetings WHERE held_on >= $1 AND held_on < $2";
const YEAR_REFERRALS: &str =
    "SELECT COUNT(*) FROM ethics_referrals WHERE received_on >= $1 AND received_on < $2";
const YEAR_OPINIONS: &str = "SELECT COUNT(*) FROM ethics_opinions \
    WHERE status = 'published' AND published_on >= $1 AND published_on < $2";
const YEAR_SUBJECTS: &str = "SELECT COUNT(*) FROM (\
    SELECT subject FROM ethics_referrals WHERE received_on >= $1 AND received_on < $2 \
    UNION SELECT subject FROM ethics_opinions WHERE referral_id IS NULL \
    AND status = 'published' AND published_on >= $1 AND published_on < $2) s";

/// `[from, to)` of a calendar year as stored dates.
pub(crate) fn year_days(year: i16) -> Result<(String, String)> {
    let bad = || refused("year", crate::figures::BAD_YEAR);
    if !(1900..=2998).contains(&year) {
        return Err(bad());
    }
    let from = Date::new(year, 1, 1).map_err(|_| bad())?;
    let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?;
    Ok((from.to_string(), to.to_string()))
}

macro_rules! seat_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, SeatRecord>(SEAT_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}
macro_rules! meeting_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, MeetingRecord>(MEETING_SELECT)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}
macro_rules! referral_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, ReferralRecord>(REFERRAL_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}
macro_rules! opinion_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, OpinionRecord>(OPINION_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

/// Records the members present at a meeting in `$tx`: each a seat held on the meeting's day.
macro_rules! attendance_in {
    ($tx:ident, $meeting_id:expr, $new:expr) => {{
        let new: &NewMeeting = $new;
        sqlx::query(ATTENDANCE_CLEAR)
            .bind($meeting_id)
            .execute(&mut *$tx)
            .await?;
        for seat_id in &new.present {
            let seat = sqlx::query_as::<_, SeatRecord>(SEAT_GET)
                .bind(seat_id)
                .fetch_optional(&mut *$tx)
                .await?;
            if !seat.is_some_and(|s| s.held_on(new.held_on)) {
                return Err(refused("ethics_present", REFUSED_NOT_SEATED));
            }
            sqlx::query(ATTENDANCE_INSERT)
                .bind($meeting_id)
                .bind(seat_id)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

/// Checks, in `$tx`, that the meeting an opinion names exists.
macro_rules! check_meeting_in {
    ($tx:ident, $meeting_id:expr) => {
        if let Some(meeting_id) = $meeting_id {
            let found = sqlx::query_as::<_, MeetingRecord>(MEETING_SELECT)
                .bind(meeting_id)
                .fetch_optional(&mut *$tx)
                .await?;
            if found.is_none() {
                return Err(refused("ethics_meeting", REFUSED_MEETING));
            }
        }
    };
}

impl Store {
    // ------------------------------------------------------------------------ seats

    pub async fn add_ethics_seat(
        &self,
        ctx: &AuditContext,
        new: &NewSeat,
        at: i64,
    ) -> Result<SeatRecord> {
        write_tx!(self, tx => {
            let person: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                .bind(new.person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if person.is_none() {
                return Err(refused("ethics_person", REFUSED_PERSON));
            }
            let (id,): (i64,) = sqlx::query_as(SEAT_INSERT)
                .bind(new.person_id)
                .bind(new.role.code())
                .bind(new.from_on.to_string())
                .bind(new.until_on.map(|d| d.to_string()))
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = seat_in!(tx, id);
            audit!(tx, ctx, "ethics-seat.add", "ethics_member", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Changes a seat (its role, its term: ending a term is setting its last day).
    pub async fn update_ethics_seat(
        &self,
        ctx: &AuditContext,
        id: i64,
        new: &NewSeat,
        at: i64,
    ) -> Result<SeatRecord> {
        write_tx!(self, tx => {
            let before = seat_in!(tx, id);
            let person: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                .bind(new.person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if person.is_none() {
                return Err(refused("ethics_person", REFUSED_PERSON));
            }
            sqlx::query(SEAT_UPDATE)
                .bind(new.person_id)
                .bind(new.role.code())
                .bind(new.from_on.to_string())
                .bind(new.until_on.map(|d| d.to_string()))
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let after = seat_in!(tx, id);
            audit!(tx, ctx, "ethics-seat.update", "ethics_member", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// The committee's seats: those held on `on`, or all of them (chair and secretary first).
    pub async fn ethics_seats(&self, on: Option<Date>) -> Result<Vec<SeatRecord>> {
        let on = on.map(|d| d.to_string());
        with_db!(self, pool => Ok(sqlx::query_as(SEATS).bind(on).bind(MAX_ROWS).fetch_all(pool).await?))
    }

    pub async fn ethics_seat(&self, id: i64) -> Result<SeatRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, SeatRecord>(SEAT_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    // --------------------------------------------------------------------- meetings

    /// Records a meeting and the members present (each holding a seat on its day).
    pub async fn create_ethics_meeting(
        &self,
        ctx: &AuditContext,
        new: &NewMeeting,
        at: i64,
    ) -> Result<MeetingRecord> {
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(MEETING_INSERT)
                .bind(new.held_on.to_string())
                .bind(&new.place)
                .bind(&new.agenda)
                .bind(new.minutes.as_deref())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            attendance_in!(tx, id, new);
            let after = meeting_in!(tx, id);
            let trace = serde_json::json!({ "meeting": &after, "present": &new.present });
            audit!(tx, ctx, "ethics-meeting.create", "ethics_meeting", Some(id), None::<&()>, Some(&trace));
            Ok(after)
        })
    }

    /// Changes a meeting (its minutes, written after it; who was present). The day of a
    /// meeting that adopted a published opinion does not move: it is that opinion's date.
    pub async fn update_ethics_meeting(
        &self,
        ctx: &AuditContext,
        id: i64,
        new: &NewMeeting,
        at: i64,
    ) -> Result<MeetingRecord> {
        write_tx!(self, tx => {
            let before = meeting_in!(tx, id);
            if before.held_on != new.held_on.to_string() {
                let (published,): (i64,) = sqlx::query_as(MEETING_ADOPTED_PUBLISHED)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                if published > 0 {
                    return Err(refused("ethics_held_on", REFUSED_PUBLISHED));
                }
            }
            sqlx::query(MEETING_UPDATE)
                .bind(new.held_on.to_string())
                .bind(&new.place)
                .bind(&new.agenda)
                .bind(new.minutes.as_deref())
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            attendance_in!(tx, id, new);
            let after = meeting_in!(tx, id);
            let trace = serde_json::json!({ "meeting": &after, "present": &new.present });
            audit!(tx, ctx, "ethics-meeting.update", "ethics_meeting", Some(id), Some(&before), Some(&trace));
            Ok(after)
        })
    }

    pub async fn ethics_meeting(&self, id: i64) -> Result<MeetingRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, MeetingRecord>(MEETING_SELECT)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The members present at a meeting.
    pub async fn ethics_meeting_present(&self, id: i64) -> Result<Vec<SeatRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(PRESENT).bind(id).bind(MAX_ROWS).fetch_all(pool).await?))
    }

    /// A page of meetings, newest first; of one calendar year when `year` is given.
    pub async fn ethics_meetings(
        &self,
        year: Option<i16>,
        page: PageRequest,
    ) -> Result<Page<MeetingRecord>> {
        let (from, to) = match year {
            Some(y) => {
                let (f, t) = year_days(y)?;
                (Some(f), Some(t))
            }
            None => (None, None),
        };
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(MEETINGS_COUNT)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, MeetingRecord>(MEETINGS)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // -------------------------------------------------------------------- referrals

    /// A subject referred to the committee by `new.person_id`, from the account of `ctx`.
    pub async fn refer_to_ethics(
        &self,
        ctx: &AuditContext,
        new: &NewReferral,
        at: i64,
    ) -> Result<ReferralRecord> {
        write_tx!(self, tx => {
            let person: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                .bind(new.person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if person.is_none() {
                return Err(refused("ethics_person", REFUSED_PERSON));
            }
            let (id,): (i64,) = sqlx::query_as(REFERRAL_INSERT)
                .bind(new.person_id)
                .bind(ctx.actor_account_id)
                .bind(&new.subject)
                .bind(&new.question)
                .bind(new.received_on.to_string())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = referral_in!(tx, id);
            audit!(tx, ctx, "ethics-referral.receive", "ethics_referral", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn ethics_referral(&self, id: i64) -> Result<ReferralRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, ReferralRecord>(REFERRAL_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of referrals: one referrer's, or the committee's queue (open ones first).
    pub async fn ethics_referrals(
        &self,
        filter: &ReferralFilter,
        page: PageRequest,
    ) -> Result<Page<ReferralRecord>> {
        let status = filter.status.as_deref().filter(|s| !s.is_empty());
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(REFERRALS_COUNT)
                .bind(filter.person_id)
                .bind(status)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, ReferralRecord>(REFERRALS)
                .bind(filter.person_id)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// Puts a received referral on the committee's table.
    pub async fn review_ethics_referral(
        &self,
        ctx: &AuditContext,
        id: i64,
        at: i64,
    ) -> Result<ReferralRecord> {
        self.move_referral(ctx, id, ReferralEvent::Review, None, at)
            .await
    }

    /// Declines an open referral, with the reason the referrer reads (charter, art. 5).
    pub async fn decline_ethics_referral(
        &self,
        ctx: &AuditContext,
        id: i64,
        reason: &str,
        at: i64,
    ) -> Result<ReferralRecord> {
        self.move_referral(ctx, id, ReferralEvent::Decline, Some(reason), at)
            .await
    }

    async fn move_referral(
        &self,
        ctx: &AuditContext,
        id: i64,
        event: ReferralEvent,
        reason: Option<&str>,
        at: i64,
    ) -> Result<ReferralRecord> {
        write_tx!(self, tx => {
            let before = referral_in!(tx, id);
            let to = before
                .status()?
                .apply(event)
                .map_err(|_| refused("ethics_status", REFUSED_REFERRAL_CLOSED))?;
            // A referral with a draft opinion is answered by publishing it, not declined.
            if event == ReferralEvent::Decline {
                let (drafts,): (i64,) = sqlx::query_as(OPINIONS_ON_REFERRAL)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                if drafts > 0 {
                    return Err(refused("ethics_reason", REFUSED_HAS_OPINION));
                }
            }
            let done = sqlx::query(REFERRAL_STATUS)
                .bind(to.code())
                .bind(reason)
                .bind(at)
                .bind(id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(REFUSED_STATUS));
            }
            let after = referral_in!(tx, id);
            let action = match event {
                ReferralEvent::Review => "ethics-referral.review",
                ReferralEvent::GiveOpinion => "ethics-referral.opinion",
                ReferralEvent::Decline => "ethics-referral.decline",
            };
            audit!(tx, ctx, action, "ethics_referral", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    // --------------------------------------------------------------------- opinions

    /// Writes a draft opinion, on a referral (then under review; one opinion per referral)
    /// or on the committee's own initiative.
    pub async fn write_ethics_opinion(
        &self,
        ctx: &AuditContext,
        new: &NewOpinion,
        at: i64,
    ) -> Result<OpinionRecord> {
        write_tx!(self, tx => {
            if let Some(referral_id) = new.referral_id {
                let referral = sqlx::query_as::<_, ReferralRecord>(REFERRAL_GET)
                    .bind(referral_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| refused("ethics_referral", REFUSED_REFERRAL))?;
                let to = referral
                    .status()?
                    .apply(ReferralEvent::Review)
                    .map_err(|_| refused("ethics_referral", REFUSED_REFERRAL_CLOSED))?;
                let (existing,): (i64,) = sqlx::query_as(OPINIONS_ON_REFERRAL)
                    .bind(referral_id)
                    .fetch_one(&mut *tx)
                    .await?;
                if existing > 0 {
                    return Err(refused("ethics_referral", REFUSED_HAS_OPINION));
                }
                if to.code() != referral.status {
                    sqlx::query(REFERRAL_STATUS)
                        .bind(to.code())
                        .bind(None::<&str>)
                        .bind(at)
                        .bind(referral_id)
                        .bind(&referral.status)
                        .execute(&mut *tx)
                        .await?;
                    let after = referral_in!(tx, referral_id);
                    audit!(tx, ctx, "ethics-referral.review", "ethics_referral", Some(referral_id), Some(&referral), Some(&after));
                }
            }
            check_meeting_in!(tx, new.meeting_id);
            let (id,): (i64,) = sqlx::query_as(OPINION_INSERT)
                .bind(new.referral_id)
                .bind(new.kind.code())
                .bind(&new.subject)
                .bind(&new.body)
                .bind(new.meeting_id)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let after = opinion_in!(tx, id);
            audit!(tx, ctx, "ethics-opinion.write", "ethics_opinion", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    /// Changes a draft (its kind, text, the meeting that adopted it). Its referral does not
    /// change; a published opinion never changes (charter, art. 8).
    pub async fn update_ethics_opinion(
        &self,
        ctx: &AuditContext,
        id: i64,
        new: &NewOpinion,
        at: i64,
    ) -> Result<OpinionRecord> {
        write_tx!(self, tx => {
            let before = opinion_in!(tx, id);
            if !before.status()?.editable() {
                return Err(refused("ethics_body", REFUSED_PUBLISHED));
            }
            check_meeting_in!(tx, new.meeting_id);
            let done = sqlx::query(OPINION_UPDATE)
                .bind(new.kind.code())
                .bind(&new.subject)
                .bind(&new.body)
                .bind(new.meeting_id)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("ethics_body", REFUSED_PUBLISHED));
            }
            let after = opinion_in!(tx, id);
            audit!(tx, ctx, "ethics-opinion.update", "ethics_opinion", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// Publishes an adopted draft, once: its referral gets its opinion and the referrer's
    /// notice is queued (to the account they referred from), in the same transaction.
    pub async fn publish_ethics_opinion(
        &self,
        ctx: &AuditContext,
        id: i64,
        notice: &EthicsNotice,
        at: i64,
    ) -> Result<OpinionRecord> {
        let day = brussels_day(at)?.to_string();
        write_tx!(self, tx => {
            let before = opinion_in!(tx, id);
            before
                .status()?
                .publish(before.meeting_id.is_some())
                .map_err(|e| refused("ethics_publish", e.code()))?;
            let done = sqlx::query(OPINION_PUBLISH)
                .bind(&day)
                .bind(at)
                .bind(ctx.actor_account_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused("ethics_publish", REFUSED_PUBLISHED));
            }
            if let Some(referral_id) = before.referral_id {
                let referral = referral_in!(tx, referral_id);
                let to = referral
                    .status()?
                    .apply(ReferralEvent::GiveOpinion)
                    .map_err(|_| refused("ethics_publish", REFUSED_REFERRAL_CLOSED))?;
                sqlx::query(REFERRAL_STATUS)
                    .bind(to.code())
                    .bind(None::<&str>)
                    .bind(at)
                    .bind(referral_id)
                    .bind(&referral.status)
                    .execute(&mut *tx)
                    .await?;
                let after = referral_in!(tx, referral_id);
                audit!(tx, ctx, "ethics-referral.opinion", "ethics_referral", Some(referral_id), Some(&referral), Some(&after));
                if let Some(to) = before.referrer_email.as_deref() {
                    queue_mail_in!(tx, to, &notice.subject, &notice.body);
                }
            }
            let after = opinion_in!(tx, id);
            audit!(tx, ctx, "ethics-opinion.publish", "ethics_opinion", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    pub async fn ethics_opinion(&self, id: i64) -> Result<OpinionRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, OpinionRecord>(OPINION_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of opinions: drafts first, then the published ones, newest first.
    pub async fn ethics_opinions(
        &self,
        filter: &OpinionFilter,
        page: PageRequest,
    ) -> Result<Page<OpinionRecord>> {
        let status = filter.status.map(OpinionStatus::code);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(OPINIONS_COUNT)
                .bind(status)
                .bind(filter.referral_id)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, OpinionRecord>(OPINIONS)
                .bind(status)
                .bind(filter.referral_id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ---------------------------------------------------------------------- figures

    /// The committee's year: meetings held, referrals received, opinions published, subjects.
    pub async fn ethics_year(&self, year: i16) -> Result<EthicsYear> {
        let (from, to) = year_days(year)?;
        with_db!(self, pool => {
            let mut counts = [0_i64; 4];
            for (slot, sql) in counts
                .iter_mut()
                .zip([YEAR_MEETINGS, YEAR_REFERRALS, YEAR_OPINIONS, YEAR_SUBJECTS])
            {
                let (n,): (i64,) = sqlx::query_as(sql).bind(&from).bind(&to).fetch_one(pool).await?;
                *slot = n;
            }
            let [meetings, referrals, opinions, subjects] = counts;
            Ok(EthicsYear { meetings, referrals, opinions, subjects })
        })
    }

    /// The Ethics section of the year's figures (figures.rs calls it).
    pub async fn ethics_figures(&self, year: i16) -> Result<SectionFigures> {
        let y = self.ethics_year(year).await?;
        let figure = |key: &'static str, n: i64, link: String| Figure {
            key,
            value: FigureValue::Count(n),
            link: Some(link),
            parts: Vec::new(),
        };
        let figures = vec![
            figure(
                "ethics-meetings",
                y.meetings,
                format!("/ethics/meetings?year={year}"),
            ),
            figure(
                "ethics-referrals",
                y.referrals,
                "/ethics/referrals?status=all".into(),
            ),
            figure("ethics-opinions", y.opinions, "/ethics/opinions".into()),
            figure(
                "ethics-subjects",
                y.subjects,
                "/ethics/referrals?status=all".into(),
            ),
        ];
        // A year with nothing but zeros holds no committee data: never invent a figure.
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Ethics,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}
