//! The school of cooperation (C13): workshops, sessions, registrations with capacity and a
//! waiting list, reminders and attendance; and the Participation section of the yearly
//! figures (the school and the labs, [`FIGURE_KEYS`]).
//!
//! Capacity holds under concurrency: every registration and cancellation first locks its
//! session row (an `UPDATE` that changes nothing: a row lock on PostgreSQL, and SQLite's
//! `BEGIN IMMEDIATE` serialises writers anyway), then counts the places taken. A place
//! freed goes to the first on the waiting list, who is told by e-mail in the same
//! transaction. Mail texts are rendered here in the person's language, as the loans'.

use jiff::civil::{Date, DateTime, Time};
use ruche_domain::school::{
    self, Attendance, Audience, NewSession, NewWorkshop, Placement, RegistrationStatus,
    SessionStatus, Venue,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// The keys of the Participation section: the school, then the labs.
pub const FIGURE_KEYS: [&str; 9] = [
    "school-sessions-held",
    "school-registrations",
    "school-participants",
    "school-minutes-attended",
    "school-promotions",
    "labs-active",
    "labs-members",
    "labs-meetings",
    "labs-outputs",
];

/// The most rows one read takes (TigerStyle: a bound on every list).
const MAX_ROWS: i64 = 10_000;

fn refused(code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single("school_session", code))
}

/// A workshop of the programme, with its number of sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct WorkshopRecord {
    pub id: i64,
    pub year: i64,
    pub theme: String,
    pub audience: String,
    pub title_fr: String,
    pub title_nl: String,
    pub description_fr: String,
    pub description_nl: String,
    pub created_at: i64,
    pub sessions: i64,
}

impl WorkshopRecord {
    /// The title in `lang` (Dutch for `nl`, French otherwise: the programme is bilingual).
    pub fn title(&self, lang: &str) -> &str {
        if lang == "nl" {
            &self.title_nl
        } else {
            &self.title_fr
        }
    }

    pub fn description(&self, lang: &str) -> &str {
        if lang == "nl" {
            &self.description_nl
        } else {
            &self.description_fr
        }
    }
}

/// A session with its workshop's texts and the places taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SessionRecord {
    pub id: i64,
    pub workshop_id: i64,
    pub theme: String,
    pub audience: String,
    pub title_fr: String,
    pub title_nl: String,
    pub held_on: String,
    pub start_time: String,
    pub end_time: String,
    pub language: String,
    pub office_id: Option<i64>,
    pub office_name: Option<String>,
    pub online_url: Option<String>,
    pub capacity: i64,
    pub waiting_list: bool,
    pub status: String,
    /// Persons holding a place.
    pub registered: i64,
    /// Persons on the waiting list.
    pub waiting: i64,
}

impl SessionRecord {
    pub fn title(&self, lang: &str) -> &str {
        if lang == "nl" {
            &self.title_nl
        } else {
            &self.title_fr
        }
    }

    pub fn places_left(&self) -> i64 {
        (self.capacity - self.registered).max(0)
    }

    pub fn status(&self) -> Result<SessionStatus> {
        SessionStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("school session status {}", self.status)))
    }

    pub fn audience(&self) -> Result<Audience> {
        Audience::parse(&self.audience)
            .ok_or_else(|| StoreError::Corrupt(format!("school audience {}", self.audience)))
    }

    /// Its start, Brussels wall-clock time.
    pub fn starts(&self) -> Result<DateTime> {
        let day: Date = self
            .held_on
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("school session day {}", self.held_on)))?;
        Ok(school::starts(day, self.start()?))
    }

    pub fn start(&self) -> Result<Time> {
        school::parse_time(&self.start_time)
            .ok_or_else(|| StoreError::Corrupt(format!("school time {}", self.start_time)))
    }

    pub fn minutes(&self) -> i64 {
        match (
            school::parse_time(&self.start_time),
            school::parse_time(&self.end_time),
        ) {
            (Some(s), Some(e)) => school::minutes(s, e),
            _ => 0,
        }
    }

    /// Whether one may still register or cancel at `now` (Brussels wall-clock time).
    pub fn open_at(&self, now: DateTime) -> bool {
        self.status == SessionStatus::Planned.code()
            && self
                .starts()
                .is_ok_and(|s| school::registration_open(s, now))
    }
}

/// A registration with the person's name and, on the waiting list, its position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RegistrationRecord {
    pub id: i64,
    pub session_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub status: String,
    pub queue_no: i64,
    pub registered_at: i64,
    pub promoted_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub reminded_on: Option<String>,
    pub attendance: Option<String>,
    /// 1 for the first on the waiting list; `None` when not waiting.
    pub position: Option<i64>,
}

impl RegistrationRecord {
    pub fn is_active(&self) -> bool {
        self.status != RegistrationStatus::Cancelled.code()
    }
}

/// The outcome of a cancellation: the cancelled registration, and who got the place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cancellation {
    pub cancelled: RegistrationRecord,
    pub promoted: Vec<RegistrationRecord>,
}

/// Who registers: the person, and whether they are a member and/or on the staff (the
/// workshop's audience admits them or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registrant {
    pub person_id: i64,
    pub member: bool,
    pub staff: bool,
}

/// Filters of a list of sessions; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    /// On or after this day.
    pub from: Option<Date>,
    /// Before this day.
    pub to: Option<Date>,
    pub workshop_id: Option<i64>,
    pub status: Option<SessionStatus>,
}

macro_rules! session_select {
    () => {
        "SELECT s.id, s.workshop_id, w.theme, w.audience, w.title_fr, w.title_nl, s.held_on, \
         s.start_time, s.end_time, s.language, s.office_id, o.name AS office_name, s.online_url, \
         s.capacity, s.waiting_list, s.status, \
         CAST((SELECT COUNT(*) FROM school_registrations r WHERE r.session_id = s.id \
               AND r.status = 'registered') AS BIGINT) AS registered, \
         CAST((SELECT COUNT(*) FROM school_registrations r WHERE r.session_id = s.id \
               AND r.status = 'waiting') AS BIGINT) AS waiting \
         FROM school_sessions s JOIN school_workshops w ON w.id = s.workshop_id \
         LEFT JOIN offices o ON o.id = s.office_id"
    };
}

macro_rules! session_where {
    () => {
        " WHERE (CAST($1 AS TEXT) IS NULL OR s.held_on >= $1) \
          AND (CAST($2 AS TEXT) IS NULL OR s.held_on < $2) \
          AND (CAST($3 AS BIGINT) IS NULL OR s.workshop_id = $3) \
          AND (CAST($4 AS TEXT) IS NULL OR s.status = $4)"
    };
}

macro_rules! registration_select {
    () => {
        "SELECT r.id, r.session_id, r.person_id, p.first_name || ' ' || p.last_name AS person_name, \
         r.status, r.queue_no, r.registered_at, r.promoted_at, r.cancelled_at, r.reminded_on, \
         r.attendance, \
         CASE WHEN r.status = 'waiting' THEN CAST((SELECT COUNT(*) FROM school_registrations q \
              WHERE q.session_id = r.session_id AND q.status = 'waiting' \
              AND q.queue_no <= r.queue_no) AS BIGINT) ELSE NULL END AS position \
         FROM school_registrations r JOIN persons p ON p.id = r.person_id"
    };
}

const WORKSHOP_INSERT: &str = "INSERT INTO school_workshops (year, theme, audience, title_fr, \
    title_nl, description_fr, description_nl, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
const WORKSHOPS_ALL: &str = "SELECT w.id, w.year, w.theme, w.audience, w.title_fr, w.title_nl, \
    w.description_fr, w.description_nl, w.created_at, \
    CAST((SELECT COUNT(*) FROM school_sessions s WHERE s.workshop_id = w.id) AS BIGINT) AS sessions \
    FROM school_workshops w ORDER BY w.year DESC, w.title_fr, w.id LIMIT $1";
const WORKSHOP_GET: &str = "SELECT w.id, w.year, w.theme, w.audience, w.title_fr, w.title_nl, \
    w.description_fr, w.description_nl, w.created_at, \
    CAST((SELECT COUNT(*) FROM school_sessions s WHERE s.workshop_id = w.id) AS BIGINT) AS sessions \
    FROM school_workshops w WHERE w.id = $1";
const WORKSHOPS_OF_YEAR: &str = "SELECT w.id, w.year, w.theme, w.audience, w.title_fr, \
    w.title_nl, w.description_fr, w.description_nl, w.created_at, \
    CAST((SELECT COUNT(*) FROM school_sessions s WHERE s.workshop_id = w.id) AS BIGINT) AS sessions \
    FROM school_workshops w WHERE w.year = $1 ORDER BY w.theme, w.title_fr, w.id LIMIT $2";
const OFFICE_EXISTS: &str = "SELECT id FROM offices WHERE id = $1";
const SESSION_INSERT: &str = "INSERT INTO school_sessions (workshop_id, held_on, start_time, \
    end_time, language, office_id, online_url, capacity, waiting_list, status, created_at, \
    updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'planned', $10, $10) RETURNING id";
const SESSION_GET: &str = concat!(session_select!(), " WHERE s.id = $1");
const SESSION_LIST: &str = concat!(
    session_select!(),
    session_where!(),
    " ORDER BY s.held_on, s.start_time, s.id LIMIT $5 OFFSET $6"
);
const SESSION_COUNT: &str = concat!("SELECT COUNT(*) FROM school_sessions s", session_where!());
const SESSIONS_OF_PERSON: &str = concat!(
    session_select!(),
    " WHERE s.id IN (SELECT session_id FROM school_registrations \
      WHERE person_id = $1 AND status <> 'cancelled') \
      AND (CAST($2 AS TEXT) IS NULL OR s.held_on >= $2) \
     ORDER BY s.held_on, s.start_time, s.id LIMIT $3"
);
// The lock: an UPDATE that changes nothing but takes the session's row lock.
const LOCK_SESSION: &str = "UPDATE school_sessions SET updated_at = updated_at WHERE id = $1";
const SESSION_SET_STATUS: &str =
    "UPDATE school_sessions SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4";

const REGISTRATION_GET: &str = concat!(registration_select!(), " WHERE r.id = $1");
const REGISTRATION_OF: &str = concat!(
    registration_select!(),
    " WHERE r.session_id = $1 AND r.person_id = $2"
);
const REGISTRATIONS_OF_SESSION: &str = concat!(
    registration_select!(),
    " WHERE r.session_id = $1 AND r.status <> 'cancelled' \
      ORDER BY CASE r.status WHEN 'registered' THEN 0 ELSE 1 END, r.queue_no LIMIT $2"
);
const REGISTRATIONS_OF_PERSON: &str = concat!(
    registration_select!(),
    " WHERE r.person_id = $1 AND r.status <> 'cancelled' ORDER BY r.id DESC LIMIT $2"
);
const NEXT_QUEUE_NO: &str = "SELECT CAST(COALESCE(MAX(queue_no), 0) + 1 AS BIGINT) FROM school_registrations \
     WHERE session_id = $1";
const REGISTRATION_INSERT: &str = "INSERT INTO school_registrations (session_id, person_id, \
    status, queue_no, registered_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
// Registering again after a cancellation reuses the row: a fresh arrival, nothing kept.
const REGISTRATION_RENEW: &str = "UPDATE school_registrations SET status = $1, queue_no = $2, \
    registered_at = $3, promoted_at = NULL, cancelled_at = NULL, reminded_on = NULL, \
    reminder_mail_id = NULL, attendance = NULL, updated_at = $3 \
    WHERE id = $4 AND status = 'cancelled'";
// Everyone holding a place or waiting, told when the session is cancelled.
const SESSION_PEOPLE: &str = "SELECT person_id FROM school_registrations \
    WHERE session_id = $1 AND status <> 'cancelled' ORDER BY id";
const REGISTRATION_CANCEL: &str = "UPDATE school_registrations SET status = 'cancelled', \
    cancelled_at = $1, updated_at = $1 WHERE id = $2 AND status = $3";
const FIRST_WAITING: &str = "SELECT id FROM school_registrations WHERE session_id = $1 \
    AND status = 'waiting' ORDER BY queue_no LIMIT $2";
const PROMOTE: &str = "UPDATE school_registrations SET status = 'registered', promoted_at = $1, \
    updated_at = $1 WHERE id = $2 AND status = 'waiting'";
const SET_ATTENDANCE: &str = "UPDATE school_registrations SET attendance = $1, updated_at = $2 \
    WHERE id = $3 AND session_id = $4 AND status = 'registered'";
const CONTACT: &str = "SELECT COALESCE(a.email, p.email) AS email, \
    COALESCE(a.language, p.language) AS language FROM persons p \
    LEFT JOIN accounts a ON a.person_id = p.id AND a.active WHERE p.id = $1 \
    ORDER BY a.id LIMIT 1";
const DUE_REMINDERS: &str = "SELECT r.id, r.session_id, r.person_id FROM school_registrations r \
    JOIN school_sessions s ON s.id = r.session_id \
    WHERE r.status = 'registered' AND r.reminded_on IS NULL AND s.status = 'planned' \
    AND s.held_on >= $1 AND s.held_on <= $2 ORDER BY r.id LIMIT $3";
const MARK_REMINDED: &str = "UPDATE school_registrations SET reminded_on = $1, updated_at = $2 \
    WHERE id = $3 AND reminded_on IS NULL";
const SET_REMINDER_MAIL: &str =
    "UPDATE school_registrations SET reminder_mail_id = $1 WHERE id = $2";

// The year's figures. Minutes from the stored HH:MM times, the same on both engines.
const YEAR_SCHOOL: &str = "SELECT \
    CAST(COALESCE(SUM(CASE WHEN s.status = 'held' THEN 1 ELSE 0 END), 0) AS BIGINT) \
    FROM school_sessions s WHERE s.held_on >= $1 AND s.held_on < $2";
const YEAR_REGISTRATIONS: &str = "SELECT \
    CAST(COALESCE(SUM(CASE WHEN r.status = 'registered' THEN 1 ELSE 0 END), 0) AS BIGINT), \
    CAST(COALESCE(SUM(CASE WHEN r.promoted_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
    CAST(COALESCE(SUM(CASE WHEN r.attendance = 'attended' THEN \
        (CAST(substr(s.end_time, 1, 2) AS BIGINT) * 60 + CAST(substr(s.end_time, 4, 2) AS BIGINT)) \
      - (CAST(substr(s.start_time, 1, 2) AS BIGINT) * 60 + CAST(substr(s.start_time, 4, 2) AS BIGINT)) \
      ELSE 0 END), 0) AS BIGINT) \
    FROM school_registrations r JOIN school_sessions s ON s.id = r.session_id \
    WHERE s.status <> 'cancelled' AND s.held_on >= $1 AND s.held_on < $2";
const YEAR_PARTICIPANTS: &str = "SELECT COUNT(DISTINCT r.person_id) FROM school_registrations r \
    JOIN school_sessions s ON s.id = r.session_id \
    WHERE r.attendance = 'attended' AND s.held_on >= $1 AND s.held_on < $2";

/// A mail in the person's language: (subject, body).
fn mail_text(kind: MailKind, language: &str, s: &SessionRecord) -> (String, String) {
    let title = s.title(language);
    let day = s
        .held_on
        .parse()
        .map(ruche_domain::format::date)
        .unwrap_or_else(|_| s.held_on.clone());
    let place = match (&s.office_name, &s.online_url) {
        (Some(o), _) => o.clone(),
        (None, Some(u)) => u.clone(),
        (None, None) => String::new(),
    };
    let when = format!("{day} {}–{}", s.start_time, s.end_time);
    match (kind, language) {
        (MailKind::Promoted, "nl") => (
            format!("Er is een plaats vrij: {title}"),
            format!(
                "Goed nieuws: er kwam een plaats vrij in de workshop \"{title}\" van {when} \
                 ({place}). U stond op de wachtlijst en bent nu ingeschreven. Kunt u niet \
                 komen, schrijf u dan uit op de pagina van de school van de coöperatie."
            ),
        ),
        (MailKind::Promoted, "en") => (
            format!("A place is free: {title}"),
            format!(
                "Good news: a place was freed in the workshop \"{title}\" on {when} \
                 ({place}). You were on the waiting list and are now registered. If you \
                 cannot come, please cancel on the school of cooperation's page."
            ),
        ),
        (MailKind::Promoted, _) => (
            format!("Une place s'est libérée : {title}"),
            format!(
                "Bonne nouvelle : une place s'est libérée dans l'atelier « {title} » du \
                 {when} ({place}). Vous étiez sur la liste d'attente et vous êtes maintenant \
                 inscrit·e. Si vous ne pouvez pas venir, désinscrivez-vous sur la page de \
                 l'école de la coopération."
            ),
        ),
        (MailKind::Reminder, "nl") => (
            format!("Herinnering: {title} op {day}"),
            format!(
                "U bent ingeschreven voor de workshop \"{title}\" van {when} ({place}). \
                 Tot dan! Kunt u niet komen, schrijf u dan uit zodat iemand anders uw \
                 plaats krijgt."
            ),
        ),
        (MailKind::Reminder, "en") => (
            format!("Reminder: {title} on {day}"),
            format!(
                "You are registered for the workshop \"{title}\" on {when} ({place}). See \
                 you there! If you cannot come, please cancel so that someone else gets \
                 your place."
            ),
        ),
        (MailKind::Cancelled, "nl") => (
            format!("Geannuleerd: {title} op {day}"),
            format!(
                "De workshop \"{title}\" van {when} ({place}) gaat niet door. Uw inschrijving \
                 vervalt; een nieuwe sessie staat op de pagina van de school van de \
                 coöperatie zodra ze gepland is."
            ),
        ),
        (MailKind::Cancelled, "en") => (
            format!("Cancelled: {title} on {day}"),
            format!(
                "The workshop \"{title}\" on {when} ({place}) will not take place. Your \
                 registration lapses; a new session appears on the school of cooperation's \
                 page as soon as it is planned."
            ),
        ),
        (MailKind::Cancelled, _) => (
            format!("Annulé : {title} le {day}"),
            format!(
                "L'atelier « {title} » du {when} ({place}) n'aura pas lieu. Votre inscription \
                 tombe ; une nouvelle session paraîtra sur la page de l'école de la \
                 coopération dès qu'elle sera planifiée."
            ),
        ),
        (MailKind::Reminder, _) => (
            format!("Rappel : {title} le {day}"),
            format!(
                "Vous êtes inscrit·e à l'atelier « {title} » du {when} ({place}). À bientôt ! \
                 Si vous ne pouvez pas venir, désinscrivez-vous pour qu'une autre personne \
                 reçoive votre place."
            ),
        ),
    }
}

#[derive(Debug, Clone, Copy)]
enum MailKind {
    Promoted,
    Reminder,
    /// The session was cancelled: everyone holding a place or waiting is told.
    Cancelled,
}

macro_rules! session_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, SessionRecord>(SESSION_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

macro_rules! registration_in {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<_, RegistrationRecord>(REGISTRATION_GET)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

/// Locks a session for the rest of the transaction; `NotFound` when there is none.
macro_rules! lock_session_in {
    ($tx:ident, $id:expr) => {{
        let locked = sqlx::query(LOCK_SESSION)
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        if locked.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
    }};
}

/// Queues a mail about session `$s` to person `$person_id` (when they have an address) and
/// evaluates to the mail's id.
macro_rules! mail_person_in {
    ($tx:ident, $person_id:expr, $kind:expr, $s:expr) => {{
        let contact: Option<(Option<String>, String)> = sqlx::query_as(CONTACT)
            .bind($person_id)
            .fetch_optional(&mut *$tx)
            .await?;
        match contact {
            Some((Some(to), language)) if !to.is_empty() => {
                let (subject, body) = mail_text($kind, &language, $s);
                Some(crate::mail::queue_mail_in!($tx, &to, &subject, &body))
            }
            _ => None,
        }
    }};
}

impl Store {
    /// Adds a workshop to a year's programme.
    pub async fn create_school_workshop(
        &self,
        ctx: &AuditContext,
        new: &NewWorkshop,
    ) -> Result<WorkshopRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(WORKSHOP_INSERT)
                .bind(i64::from(new.year))
                .bind(new.theme.code())
                .bind(new.audience.code())
                .bind(&new.title_fr)
                .bind(&new.title_nl)
                .bind(&new.description_fr)
                .bind(&new.description_nl)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after: WorkshopRecord = sqlx::query_as(WORKSHOP_GET).bind(id).fetch_one(&mut *tx).await?;
            audit!(tx, ctx, "school-workshop.create", "school_workshop", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn school_workshop(&self, id: i64) -> Result<WorkshopRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, WorkshopRecord>(WORKSHOP_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The programme of a year, by theme.
    pub async fn school_workshops(&self, year: i16) -> Result<Vec<WorkshopRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(WORKSHOPS_OF_YEAR)
            .bind(i64::from(year))
            .bind(MAX_ROWS)
            .fetch_all(pool)
            .await?))
    }

    /// Every workshop, newest first (the staff's choice when planning a session).
    pub async fn all_school_workshops(&self) -> Result<Vec<WorkshopRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(WORKSHOPS_ALL).bind(MAX_ROWS).fetch_all(pool).await?))
    }

    /// Plans a session of a workshop (in an existing office, or online).
    pub async fn create_school_session(
        &self,
        ctx: &AuditContext,
        new: &NewSession,
    ) -> Result<SessionRecord> {
        let now = crate::now_micros();
        let (office, url) = match &new.venue {
            Venue::Office(id) => (Some(*id), None),
            Venue::Online(url) => (None, Some(url.as_str())),
        };
        write_tx!(self, tx => {
            let workshop: Option<WorkshopRecord> = sqlx::query_as(WORKSHOP_GET)
                .bind(new.workshop_id)
                .fetch_optional(&mut *tx)
                .await?;
            if workshop.is_none() {
                return Err(StoreError::NotFound);
            }
            if let Some(office) = office {
                let found: Option<(i64,)> = sqlx::query_as(OFFICE_EXISTS)
                    .bind(office)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(StoreError::Refused(FieldErrors::single("school_office", "school-office")));
                }
            }
            let (id,): (i64,) = sqlx::query_as(SESSION_INSERT)
                .bind(new.workshop_id)
                .bind(new.held_on.to_string())
                .bind(school::time_code(new.start))
                .bind(school::time_code(new.end))
                .bind(new.language.code())
                .bind(office)
                .bind(url)
                .bind(new.capacity)
                .bind(new.waiting_list)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = session_in!(tx, id);
            audit!(tx, ctx, "school-session.create", "school_session", Some(id), None::<&()>, Some(&after));
            Ok(after)
        })
    }

    pub async fn school_session(&self, id: i64) -> Result<SessionRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, SessionRecord>(SESSION_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of sessions in date order.
    pub async fn school_sessions(
        &self,
        filter: &SessionFilter,
        page: PageRequest,
    ) -> Result<Page<SessionRecord>> {
        let from = filter.from.map(|d| d.to_string());
        let to = filter.to.map(|d| d.to_string());
        let status = filter.status.map(SessionStatus::code);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(SESSION_COUNT)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(filter.workshop_id)
                .bind(status)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as::<_, SessionRecord>(SESSION_LIST)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(filter.workshop_id)
                .bind(status)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// A person's registrations (not cancelled) with their sessions, from `from` on (all
    /// when `None`), in date order.
    pub async fn person_school_registrations(
        &self,
        person_id: i64,
        from: Option<Date>,
    ) -> Result<Vec<(SessionRecord, RegistrationRecord)>> {
        let from = from.map(|d| d.to_string());
        let (sessions, registrations): (Vec<SessionRecord>, Vec<RegistrationRecord>) = with_db!(self, pool => {
            let sessions = sqlx::query_as(SESSIONS_OF_PERSON)
                .bind(person_id)
                .bind(from.as_deref())
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?;
            let registrations = sqlx::query_as(REGISTRATIONS_OF_PERSON)
                .bind(person_id)
                .bind(MAX_ROWS)
                .fetch_all(pool)
                .await?;
            (sessions, registrations)
        });
        Ok(sessions
            .into_iter()
            .filter_map(|s| {
                let r = registrations.iter().find(|r| r.session_id == s.id)?.clone();
                Some((s, r))
            })
            .collect())
    }

    /// The registered (place holders first, then the waiting list in order).
    pub async fn school_session_registrations(
        &self,
        session_id: i64,
    ) -> Result<Vec<RegistrationRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(REGISTRATIONS_OF_SESSION)
            .bind(session_id)
            .bind(MAX_ROWS)
            .fetch_all(pool)
            .await?))
    }

    /// A person's registration for a session, cancelled or not.
    pub async fn school_registration_of(
        &self,
        session_id: i64,
        person_id: i64,
    ) -> Result<Option<RegistrationRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(REGISTRATION_OF)
            .bind(session_id)
            .bind(person_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Registers a person for a session at `now` (Brussels wall-clock time; `at`, the same
    /// instant in Unix microseconds): a place while one is left, otherwise the waiting list,
    /// or refused with `school-session-full` when the session keeps none. Refused once the
    /// session started, for a cancelled session, twice, or outside the workshop's audience.
    pub async fn register_for_school_session(
        &self,
        ctx: &AuditContext,
        session_id: i64,
        who: Registrant,
        now: DateTime,
        at: i64,
    ) -> Result<RegistrationRecord> {
        write_tx!(self, tx => {
            lock_session_in!(tx, session_id);
            let session = session_in!(tx, session_id);
            match session.status()? {
                SessionStatus::Cancelled => return Err(refused(school::REFUSED_CANCELLED)),
                SessionStatus::Held => return Err(refused(school::REFUSED_CLOSED)),
                SessionStatus::Planned => {}
            }
            if !school::registration_open(session.starts()?, now) {
                return Err(refused(school::REFUSED_CLOSED));
            }
            let audience = session.audience()?;
            if !audience.admits(who.member, who.staff) {
                return Err(refused(audience.refusal()));
            }
            let existing: Option<RegistrationRecord> = sqlx::query_as(REGISTRATION_OF)
                .bind(session_id)
                .bind(who.person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if existing.as_ref().is_some_and(RegistrationRecord::is_active) {
                return Err(refused(school::REFUSED_ALREADY));
            }
            let status = match school::placement(session.capacity, session.registered, session.waiting_list)
                .map_err(refused)?
            {
                Placement::Registered => RegistrationStatus::Registered,
                Placement::Waiting => RegistrationStatus::Waiting,
            };
            let (queue_no,): (i64,) = sqlx::query_as(NEXT_QUEUE_NO)
                .bind(session_id)
                .fetch_one(&mut *tx)
                .await?;
            let id = match &existing {
                Some(old) => {
                    sqlx::query(REGISTRATION_RENEW)
                        .bind(status.code())
                        .bind(queue_no)
                        .bind(at)
                        .bind(old.id)
                        .execute(&mut *tx)
                        .await?;
                    old.id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(REGISTRATION_INSERT)
                        .bind(session_id)
                        .bind(who.person_id)
                        .bind(status.code())
                        .bind(queue_no)
                        .bind(at)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = registration_in!(tx, id);
            // TigerStyle: the invariant after the write, in the same transaction.
            let check = session_in!(tx, session_id);
            if check.registered > check.capacity {
                return Err(StoreError::Corrupt(format!("school session {session_id} over capacity")));
            }
            audit!(tx, ctx, "school-registration.register", "school_registration", Some(id), existing.as_ref(), Some(&after));
            Ok(after)
        })
    }

    /// Cancels a person's registration (a place or the waiting list) before the session
    /// starts. A place freed goes to the first on the waiting list, told by e-mail.
    pub async fn cancel_school_registration(
        &self,
        ctx: &AuditContext,
        session_id: i64,
        person_id: i64,
        now: DateTime,
        at: i64,
    ) -> Result<Cancellation> {
        write_tx!(self, tx => {
            lock_session_in!(tx, session_id);
            let session = session_in!(tx, session_id);
            if !session.open_at(now) {
                return Err(refused(school::REFUSED_CLOSED));
            }
            let before: Option<RegistrationRecord> = sqlx::query_as(REGISTRATION_OF)
                .bind(session_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(before) = before.filter(RegistrationRecord::is_active) else {
                return Err(refused(school::REFUSED_NOT_REGISTERED));
            };
            sqlx::query(REGISTRATION_CANCEL)
                .bind(at)
                .bind(before.id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            let cancelled = registration_in!(tx, before.id);
            audit!(tx, ctx, "school-registration.cancel", "school_registration", Some(before.id), Some(&before), Some(&cancelled));
            let session = session_in!(tx, session_id);
            let free = session.places_left();
            let mut promoted = Vec::new();
            if free > 0 && session.waiting > 0 {
                let next: Vec<(i64,)> = sqlx::query_as(FIRST_WAITING)
                    .bind(session_id)
                    .bind(free)
                    .fetch_all(&mut *tx)
                    .await?;
                for (id,) in next {
                    let was = registration_in!(tx, id);
                    sqlx::query(PROMOTE).bind(at).bind(id).execute(&mut *tx).await?;
                    let now_registered = registration_in!(tx, id);
                    mail_person_in!(tx, now_registered.person_id, MailKind::Promoted, &session);
                    audit!(tx, ctx, "school-registration.promote", "school_registration", Some(id), Some(&was), Some(&now_registered));
                    promoted.push(now_registered);
                }
            }
            Ok(Cancellation { cancelled, promoted })
        })
    }

    /// Cancels a planned session (the participation staff). Its registrations stay, for the
    /// record; nobody may register any more; everyone holding a place or waiting is told
    /// by e-mail.
    pub async fn cancel_school_session(
        &self,
        ctx: &AuditContext,
        session_id: i64,
    ) -> Result<SessionRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            lock_session_in!(tx, session_id);
            let before = session_in!(tx, session_id);
            let done = sqlx::query(SESSION_SET_STATUS)
                .bind(SessionStatus::Cancelled.code())
                .bind(now)
                .bind(session_id)
                .bind(SessionStatus::Planned.code())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(refused(school::REFUSED_CLOSED));
            }
            let after = session_in!(tx, session_id);
            audit!(tx, ctx, "school-session.cancel", "school_session", Some(session_id), Some(&before), Some(&after));
            let people: Vec<(i64,)> = sqlx::query_as(SESSION_PEOPLE)
                .bind(session_id)
                .fetch_all(&mut *tx)
                .await?;
            for (person_id,) in people {
                mail_person_in!(tx, person_id, MailKind::Cancelled, &after);
            }
            Ok(after)
        })
    }

    /// Records who attended a session once it started; the session becomes held. Each mark
    /// names a registration holding a place in this session.
    pub async fn record_school_attendance(
        &self,
        ctx: &AuditContext,
        session_id: i64,
        marks: &[(i64, Attendance)],
        now: DateTime,
    ) -> Result<SessionRecord> {
        let at = crate::now_micros();
        write_tx!(self, tx => {
            lock_session_in!(tx, session_id);
            let before = session_in!(tx, session_id);
            if before.status()? == SessionStatus::Cancelled {
                return Err(refused(school::REFUSED_CANCELLED));
            }
            if !school::attendance_open(before.starts()?, now) {
                return Err(refused(school::REFUSED_NOT_STARTED));
            }
            for (registration_id, attendance) in marks.iter().take(usize::try_from(MAX_ROWS).unwrap_or(usize::MAX)) {
                let done = sqlx::query(SET_ATTENDANCE)
                    .bind(attendance.code())
                    .bind(at)
                    .bind(*registration_id)
                    .bind(session_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(refused(school::REFUSED_NOT_REGISTERED));
                }
            }
            sqlx::query(SESSION_SET_STATUS)
                .bind(SessionStatus::Held.code())
                .bind(at)
                .bind(session_id)
                .bind(&before.status)
                .execute(&mut *tx)
                .await?;
            let after = session_in!(tx, session_id);
            let trace = serde_json::json!({
                "session": &after,
                "marks": marks.iter().map(|(id, a)| (*id, a.code())).collect::<Vec<_>>(),
            });
            audit!(tx, ctx, "school-session.attendance", "school_session", Some(session_id), Some(&before), Some(&trace));
            Ok(after)
        })
    }

    /// The reminders run (idempotent, DESIGN.md §6): every person holding a place in a
    /// planned session due within [`school::REMINDER_DAYS_BEFORE`] days of `today` gets one
    /// reminder, recorded on the registration so that it is sent once, whichever instance
    /// runs it and however often. Returns how many were sent by this run.
    pub async fn run_school_reminders(&self, ctx: &AuditContext, today: Date) -> Result<i64> {
        let last = today
            .checked_add(jiff::Span::new().days(school::REMINDER_DAYS_BEFORE))
            .map_err(|_| StoreError::Corrupt(format!("reminder window of {today}")))?;
        let at = crate::now_micros();
        write_tx!(self, tx => {
            let due: Vec<(i64, i64, i64)> = sqlx::query_as(DUE_REMINDERS)
                .bind(today.to_string())
                .bind(last.to_string())
                .bind(MAX_ROWS)
                .fetch_all(&mut *tx)
                .await?;
            let mut sent = 0i64;
            for (registration_id, session_id, person_id) in due {
                let marked = sqlx::query(MARK_REMINDED)
                    .bind(today.to_string())
                    .bind(at)
                    .bind(registration_id)
                    .execute(&mut *tx)
                    .await?;
                if marked.rows_affected() != 1 {
                    continue;
                }
                let session = session_in!(tx, session_id);
                let mail = mail_person_in!(tx, person_id, MailKind::Reminder, &session);
                if let Some(mail_id) = mail {
                    sqlx::query(SET_REMINDER_MAIL)
                        .bind(mail_id)
                        .bind(registration_id)
                        .execute(&mut *tx)
                        .await?;
                }
                sent += 1;
                audit!(tx, ctx, "school-registration.remind", "school_registration", Some(registration_id), None::<&()>,
                    Some(&serde_json::json!({ "session_id": session_id, "reminded_on": today.to_string(), "mail_id": mail })));
            }
            Ok(sent)
        })
    }

    /// The Participation section of the year's figures: the school (sessions held,
    /// registrations holding a place, distinct participants who attended, minutes of
    /// training attended, promotions from the waiting list, all of sessions dated in the
    /// year) and the labs ([`Store::labs_year`]).
    pub(crate) async fn participation_figures(&self, year: i16) -> Result<SectionFigures> {
        let bad = || StoreError::Refused(FieldErrors::single("year", crate::figures::BAD_YEAR));
        if !(1900..=2998).contains(&year) {
            return Err(bad());
        }
        let from = Date::new(year, 1, 1).map_err(|_| bad())?.to_string();
        let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?.to_string();
        let (held, (registrations, promotions, minutes), participants) = with_db!(self, pool => {
            let (held,): (i64,) = sqlx::query_as(YEAR_SCHOOL).bind(&from).bind(&to).fetch_one(pool).await?;
            let regs: (i64, i64, i64) = sqlx::query_as(YEAR_REGISTRATIONS).bind(&from).bind(&to).fetch_one(pool).await?;
            let (participants,): (i64,) = sqlx::query_as(YEAR_PARTICIPANTS).bind(&from).bind(&to).fetch_one(pool).await?;
            (held, regs, participants)
        });
        let labs = self.labs_year(year).await?;
        let school = Some(format!("/school?year={year}"));
        let lab_list = Some("/labs".to_string());
        let fig = |key: &'static str, value: FigureValue, link: &Option<String>| Figure {
            key,
            value,
            link: link.clone(),
            parts: Vec::new(),
        };
        let figures = vec![
            fig("school-sessions-held", FigureValue::Count(held), &school),
            fig(
                "school-registrations",
                FigureValue::Count(registrations),
                &school,
            ),
            fig(
                "school-participants",
                FigureValue::Count(participants),
                &school,
            ),
            fig(
                "school-minutes-attended",
                FigureValue::Minutes(minutes),
                &school,
            ),
            fig("school-promotions", FigureValue::Count(promotions), &school),
            fig("labs-active", FigureValue::Count(labs.active), &lab_list),
            fig("labs-members", FigureValue::Count(labs.members), &lab_list),
            fig(
                "labs-meetings",
                FigureValue::Count(labs.meetings),
                &lab_list,
            ),
            fig("labs-outputs", FigureValue::Count(labs.outputs), &lab_list),
        ];
        debug_assert_eq!(figures.len(), FIGURE_KEYS.len());
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Participation,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}
