//! The school of cooperation (C13): a yearly programme of workshops for the members and the
//! staff (cooperative culture, the history of cooperatives, one's payslip, preparing the
//! general assembly, the spaces of participation, the tools, the onboarding of new staff),
//! their sessions in an office or online, registration within a capacity with a waiting
//! list, a reminder by e-mail before the session, and the attendance recorded after it.
//!
//! These are the cooperative's own rules (its participation charter, not the law): a place
//! freed by a cancellation goes to the first on the waiting list, in order of arrival;
//! registration closes when the session starts; a reminder goes [`REMINDER_DAYS_BEFORE`]
//! days before, once. Education of the members is one of the cooperative principles (ICA
//! Statement on the Cooperative Identity, 5th principle: "education, training and
//! information"), which is why the special report counts what the school did.

use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Serialize};

use crate::Language;
use crate::validate::FieldErrors;

/// A registered person is reminded this many days before the session (the participation
/// charter): far enough to arrange the day, near enough not to be forgotten.
pub const REMINDER_DAYS_BEFORE: i64 = 2;
pub const MAX_TITLE_CHARS: usize = 150;
pub const MAX_DESCRIPTION_CHARS: usize = 3_000;
pub const MAX_URL_CHARS: usize = 500;
/// The largest room (or online call) the school plans for.
pub const MAX_CAPACITY: i64 = 500;

// ----------------------------------------------------------------------------- the codes

/// What a workshop is about. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkshopTheme {
    CooperativeCulture,
    CooperativeHistory,
    /// Understanding one's payslip (the member is an employee of the cooperative).
    Payslip,
    /// Preparing the general assembly: the agenda, proxies, the 1/10 vote cap.
    GeneralAssembly,
    /// The spaces of participation: labs, recommendation cycles, the ethics committee.
    ParticipationSpaces,
    /// Learning the tools (this platform among them).
    Tools,
    /// The onboarding of new staff.
    StaffOnboarding,
}

impl WorkshopTheme {
    pub const ALL: [WorkshopTheme; 7] = [
        WorkshopTheme::CooperativeCulture,
        WorkshopTheme::CooperativeHistory,
        WorkshopTheme::Payslip,
        WorkshopTheme::GeneralAssembly,
        WorkshopTheme::ParticipationSpaces,
        WorkshopTheme::Tools,
        WorkshopTheme::StaffOnboarding,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorkshopTheme::CooperativeCulture => "cooperative-culture",
            WorkshopTheme::CooperativeHistory => "cooperative-history",
            WorkshopTheme::Payslip => "payslip",
            WorkshopTheme::GeneralAssembly => "general-assembly",
            WorkshopTheme::ParticipationSpaces => "participation-spaces",
            WorkshopTheme::Tools => "tools",
            WorkshopTheme::StaffOnboarding => "staff-onboarding",
        }
    }

    pub fn parse(s: &str) -> Option<WorkshopTheme> {
        WorkshopTheme::ALL
            .into_iter()
            .find(|t| t.code() == s.trim())
    }
}

/// Who a workshop is for. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Members,
    Staff,
    Both,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Members, Audience::Staff, Audience::Both];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Members => "members",
            Audience::Staff => "staff",
            Audience::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.code() == s.trim())
    }

    /// Whether a person who is a member and/or on the staff may register. A workshop for
    /// the members is open to a staff member who is also a member, and so on.
    pub fn admits(self, member: bool, staff: bool) -> bool {
        match self {
            Audience::Members => member,
            Audience::Staff => staff,
            Audience::Both => member || staff,
        }
    }

    /// The refusal code when [`Audience::admits`] says no.
    pub fn refusal(self) -> &'static str {
        match self {
            Audience::Staff => REFUSED_STAFF_ONLY,
            Audience::Members | Audience::Both => REFUSED_MEMBERS_ONLY,
        }
    }
}

/// Where a session stands. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Planned,
    Cancelled,
    /// The attendance was recorded.
    Held,
}

impl SessionStatus {
    pub const ALL: [SessionStatus; 3] = [
        SessionStatus::Planned,
        SessionStatus::Cancelled,
        SessionStatus::Held,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::Held => "held",
        }
    }

    pub fn parse(s: &str) -> Option<SessionStatus> {
        SessionStatus::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
    }
}

/// A person's registration. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationStatus {
    /// Holds a place.
    Registered,
    /// On the waiting list, in order of arrival.
    Waiting,
    Cancelled,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 3] = [
        RegistrationStatus::Registered,
        RegistrationStatus::Waiting,
        RegistrationStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "registered",
            RegistrationStatus::Waiting => "waiting",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrationStatus> {
        RegistrationStatus::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
    }
}

/// Whether a registered person came. The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attendance {
    Attended,
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 2] = [Attendance::Attended, Attendance::Absent];

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Attended => "attended",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(s: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

// ------------------------------------------------------------------ the registration rules

/// Refusal codes (field `school_session`), each with its `err-<code>` text.
pub const REFUSED_FULL: &str = "school-session-full";
pub const REFUSED_CLOSED: &str = "school-registration-closed";
pub const REFUSED_CANCELLED: &str = "school-session-cancelled";
pub const REFUSED_ALREADY: &str = "school-already-registered";
pub const REFUSED_STAFF_ONLY: &str = "school-staff-only";
pub const REFUSED_MEMBERS_ONLY: &str = "school-members-only";
pub const REFUSED_NOT_REGISTERED: &str = "school-not-registered";
pub const REFUSED_NOT_STARTED: &str = "school-not-started";

/// Where a new registration goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Registered,
    Waiting,
}

/// Where a registration goes when `taken` places of `capacity` are held: a place while one
/// is left; beyond, the waiting list when the session keeps one, otherwise refused with
/// [`REFUSED_FULL`]. Never more than `capacity` registered (the store locks the session
/// while it counts).
pub fn placement(capacity: i64, taken: i64, waiting_list: bool) -> Result<Placement, &'static str> {
    if taken < capacity {
        Ok(Placement::Registered)
    } else if waiting_list {
        Ok(Placement::Waiting)
    } else {
        Err(REFUSED_FULL)
    }
}

/// A session's start as a Brussels wall-clock instant.
pub fn starts(held_on: Date, start: Time) -> DateTime {
    held_on.to_datetime(start)
}

/// Whether one may still register for (or cancel) a session starting at `start`, `now`
/// being Brussels wall-clock time: registration closes when the session starts.
pub fn registration_open(start: DateTime, now: DateTime) -> bool {
    now < start
}

/// Whether the reminder of a session on `held_on` is due on `today`: from
/// [`REMINDER_DAYS_BEFORE`] days before up to the day itself (a run missed one day still
/// reminds the next), never after. The store records it so it is sent once.
pub fn reminder_due(held_on: Date, today: Date) -> bool {
    let first = held_on
        .checked_sub(jiff::Span::new().days(REMINDER_DAYS_BEFORE))
        .unwrap_or(held_on);
    first <= today && today <= held_on
}

/// Whether the attendance of a session starting at `start` may be recorded at `now`: once
/// it has started (not before: nobody has attended yet).
pub fn attendance_open(start: DateTime, now: DateTime) -> bool {
    now >= start
}

/// The length of a session in minutes (0 when the times are the wrong way round, which the
/// forms refuse).
pub fn minutes(start: Time, end: Time) -> i64 {
    let m = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
    (m(end) - m(start)).max(0)
}

/// A wall-clock time `HH:MM` (the seconds are dropped).
pub fn parse_time(s: &str) -> Option<Time> {
    let s = s.trim();
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: i8 = h.parse().ok()?;
    let m: i8 = m.parse().ok()?;
    Time::new(h, m, 0, 0).ok()
}

/// A time as stored: `HH:MM`.
pub fn time_code(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

// ----------------------------------------------------------------------------- the forms

/// A workshop ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewWorkshop {
    pub year: i16,
    pub theme: WorkshopTheme,
    pub audience: Audience,
    pub title_fr: String,
    pub title_nl: String,
    pub description_fr: String,
    pub description_nl: String,
}

/// The staff's workshop form (and the API's body).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WorkshopForm {
    #[serde(default)]
    pub school_year: String,
    #[serde(default)]
    pub school_theme: String,
    #[serde(default)]
    pub school_audience: String,
    #[serde(default)]
    pub school_title_fr: String,
    #[serde(default)]
    pub school_title_nl: String,
    #[serde(default)]
    pub school_description_fr: String,
    #[serde(default)]
    pub school_description_nl: String,
}

fn line(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars().any(char::is_control) {
        e.add(field, "format");
    }
    v
}

fn text(e: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = e.required(field, value, max);
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        e.add(field, "format");
    }
    v
}

/// An `https://` (or `http://`) link without spaces.
pub fn is_link(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| r.len() > 2 && r.contains('.') && !r.chars().any(char::is_whitespace))
}

impl WorkshopForm {
    /// Checks the form; the year is this year or a later one (`today`'s year by default): a
    /// past programme is history, not planned.
    pub fn parse(&self, today: Date) -> Result<NewWorkshop, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = match self.school_year.trim() {
            "" => Some(today.year()),
            y => match y.parse::<i16>() {
                Ok(y) if (today.year() - 2..=today.year() + 1).contains(&y) => Some(y),
                _ => {
                    e.add("school_year", "school-year");
                    None
                }
            },
        };
        let theme = WorkshopTheme::parse(&self.school_theme);
        if theme.is_none() {
            e.add("school_theme", "school-theme");
        }
        let audience = Audience::parse(&self.school_audience);
        if audience.is_none() {
            e.add("school_audience", "school-audience");
        }
        let title_fr = line(
            &mut e,
            "school_title_fr",
            &self.school_title_fr,
            MAX_TITLE_CHARS,
        );
        let title_nl = line(
            &mut e,
            "school_title_nl",
            &self.school_title_nl,
            MAX_TITLE_CHARS,
        );
        let description_fr = text(
            &mut e,
            "school_description_fr",
            &self.school_description_fr,
            MAX_DESCRIPTION_CHARS,
        );
        let description_nl = text(
            &mut e,
            "school_description_nl",
            &self.school_description_nl,
            MAX_DESCRIPTION_CHARS,
        );
        match (year, theme, audience) {
            (Some(year), Some(theme), Some(audience)) if e.is_empty() => Ok(NewWorkshop {
                year,
                theme,
                audience,
                title_fr,
                title_nl,
                description_fr,
                description_nl,
            }),
            _ => Err(e),
        }
    }
}

/// Where a session takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Venue {
    Office(i64),
    Online(String),
}

/// A session ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSession {
    pub workshop_id: i64,
    pub held_on: Date,
    pub start: Time,
    pub end: Time,
    pub language: Language,
    pub venue: Venue,
    pub capacity: i64,
    pub waiting_list: bool,
}

/// The staff's session form (and the API's body). `school_office` is an office's id, or
/// empty for an online session with its `school_online_url`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    pub school_held_on: String,
    #[serde(default)]
    pub school_start: String,
    #[serde(default)]
    pub school_end: String,
    #[serde(default)]
    pub school_language: String,
    #[serde(default)]
    pub school_office: String,
    #[serde(default)]
    pub school_online_url: String,
    #[serde(default)]
    pub school_capacity: String,
    /// A checkbox: `on` (or `true`) keeps a waiting list.
    #[serde(default)]
    pub school_waiting_list: String,
}

impl SessionForm {
    /// Checks a session of workshop `workshop_id` planned on `today`: not in the past, the
    /// end after the start, a capacity of 1 to [`MAX_CAPACITY`], an office or a link.
    pub fn parse(&self, workshop_id: i64, today: Date) -> Result<NewSession, FieldErrors> {
        let mut e = FieldErrors::new();
        let held_on = match self.school_held_on.trim().parse::<Date>() {
            Ok(d) if d >= today => Some(d),
            Ok(_) => {
                e.add("school_held_on", "school-date-past");
                None
            }
            Err(_) if self.school_held_on.trim().is_empty() => {
                e.add("school_held_on", "required");
                None
            }
            Err(_) => {
                e.add("school_held_on", "date");
                None
            }
        };
        let start = parse_time(&self.school_start);
        if start.is_none() {
            e.add("school_start", "school-time");
        }
        let end = parse_time(&self.school_end);
        match (start, end) {
            (_, None) => e.add("school_end", "school-time"),
            (Some(s), Some(t)) if t <= s => e.add("school_end", "school-end-before-start"),
            _ => {}
        }
        let language = Language::parse(&self.school_language);
        if language.is_none() {
            e.add("school_language", "school-language");
        }
        let venue = match self.school_office.trim() {
            "" => {
                let url = self.school_online_url.trim();
                if url.is_empty() {
                    e.add("school_online_url", "school-venue");
                    None
                } else if url.chars().count() > MAX_URL_CHARS || !is_link(url) {
                    e.add("school_online_url", "school-link");
                    None
                } else {
                    Some(Venue::Online(url.to_string()))
                }
            }
            office => match office.parse::<i64>() {
                Ok(id) if id > 0 => Some(Venue::Office(id)),
                _ => {
                    e.add("school_office", "format");
                    None
                }
            },
        };
        let capacity = match self.school_capacity.trim().parse::<i64>() {
            Ok(c) if (1..=MAX_CAPACITY).contains(&c) => Some(c),
            _ => {
                e.add("school_capacity", "school-capacity");
                None
            }
        };
        let waiting_list = matches!(self.school_waiting_list.trim(), "on" | "true" | "1" | "yes");
        match (held_on, start, end, language, venue, capacity) {
            (
                Some(held_on),
                Some(start),
                Some(end),
                Some(language),
                Some(venue),
                Some(capacity),
            ) if e.is_empty() => Ok(NewSession {
                workshop_id,
                held_on,
                start,
                end,
                language,
                venue,
                capacity,
                waiting_list,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn beyond_the_capacity_one_waits_or_is_refused_without_a_waiting_list() {
        assert_eq!(placement(3, 2, false), Ok(Placement::Registered));
        assert_eq!(placement(3, 3, true), Ok(Placement::Waiting));
        assert_eq!(placement(3, 3, false), Err(REFUSED_FULL));
        assert_eq!(placement(1, 5, true), Ok(Placement::Waiting));
    }

    #[test]
    fn a_staff_only_workshop_refuses_a_member_and_both_admits_anyone() {
        assert!(!Audience::Staff.admits(true, false));
        assert_eq!(Audience::Staff.refusal(), REFUSED_STAFF_ONLY);
        assert!(Audience::Members.admits(true, true));
        assert!(!Audience::Members.admits(false, true));
        assert!(Audience::Both.admits(false, true));
        assert!(!Audience::Both.admits(false, false));
    }

    #[test]
    fn registration_closes_when_the_session_starts() {
        let start = starts(date(2026, 3, 10), time(14, 0, 0, 0));
        assert!(registration_open(start, date(2026, 3, 10).at(13, 59, 0, 0)));
        assert!(!registration_open(start, date(2026, 3, 10).at(14, 0, 0, 0)));
        assert!(!registration_open(start, date(2026, 3, 11).at(9, 0, 0, 0)));
        assert!(attendance_open(start, date(2026, 3, 10).at(14, 0, 0, 0)));
        assert!(!attendance_open(start, date(2026, 3, 9).at(20, 0, 0, 0)));
    }

    #[test]
    fn the_reminder_is_due_from_two_days_before_to_the_day_itself() {
        let day = date(2026, 3, 10);
        assert!(!reminder_due(day, date(2026, 3, 7)));
        assert!(reminder_due(day, date(2026, 3, 8)));
        assert!(reminder_due(day, date(2026, 3, 10)));
        assert!(!reminder_due(day, date(2026, 3, 11)));
    }

    #[test]
    fn times_are_hours_and_minutes() {
        assert_eq!(parse_time("9:30"), Some(time(9, 30, 0, 0)));
        assert_eq!(parse_time("14:05"), Some(time(14, 5, 0, 0)));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("14h"), None);
        assert_eq!(time_code(time(9, 5, 0, 0)), "09:05");
        assert_eq!(minutes(time(9, 30, 0, 0), time(12, 0, 0, 0)), 150);
    }

    fn session_form() -> SessionForm {
        SessionForm {
            school_held_on: "2026-04-02".into(),
            school_start: "09:30".into(),
            school_end: "12:00".into(),
            school_language: "fr".into(),
            school_office: "".into(),
            school_online_url: "https://meet.example.org/ecole".into(),
            school_capacity: "12".into(),
            school_waiting_list: "on".into(),
        }
    }

    #[test]
    fn a_session_is_in_an_office_or_online_with_a_capacity_of_at_least_one() {
        let today = date(2026, 3, 1);
        let s = session_form().parse(7, today).unwrap();
        assert_eq!(
            s.venue,
            Venue::Online("https://meet.example.org/ecole".into())
        );
        assert!(s.waiting_list);
        let mut f = session_form();
        f.school_online_url = String::new();
        f.school_capacity = "0".into();
        f.school_end = "09:00".into();
        let e = f.parse(7, today).unwrap_err();
        assert_eq!(e.get("school_online_url"), Some("school-venue"));
        assert_eq!(e.get("school_capacity"), Some("school-capacity"));
        assert_eq!(e.get("school_end"), Some("school-end-before-start"));
        let mut f = session_form();
        f.school_office = "3".into();
        f.school_held_on = "2026-02-01".into();
        let e = f.parse(7, today).unwrap_err();
        assert_eq!(e.get("school_held_on"), Some("school-date-past"));
    }

    #[test]
    fn a_workshop_needs_both_languages_a_theme_and_an_audience() {
        let today = date(2026, 3, 1);
        let f = WorkshopForm {
            school_theme: "payslip".into(),
            school_audience: "members".into(),
            school_title_fr: "Comprendre sa fiche de paie".into(),
            school_title_nl: "Je loonbrief begrijpen".into(),
            school_description_fr: "Brut, net, cotisations.".into(),
            school_description_nl: "Bruto, netto, bijdragen.".into(),
            ..WorkshopForm::default()
        };
        let w = f.parse(today).unwrap();
        assert_eq!((w.year, w.theme), (2026, WorkshopTheme::Payslip));
        let e = WorkshopForm::default().parse(today).unwrap_err();
        for field in ["school_theme", "school_audience", "school_title_nl"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }
}
