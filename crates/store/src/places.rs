//! Places (C14): sites, spaces, partners, lettings and bookings, and their yearly figures.
//!
//! **No double booking.** A booking (or a letting) is written in one transaction that first
//! takes the row lock of its space ([`LOCK_SPACE`], portable: an `UPDATE` that changes
//! nothing, as `LOCK_BUDGET` in budget.rs), then looks for an overlapping booking or letting
//! and only then inserts. Two writers of one space are thus serialized on PostgreSQL (the
//! second waits for the lock, then — read committed — sees the first one's booking); SQLite's
//! `BEGIN IMMEDIATE` writer holds the whole database anyway. A refused slot is answered with
//! the conflicting booking or letting ([`PlaceConflict`]), so that the pages name it.
//!
//! Every change is audited in its transaction. Instants are Unix microseconds; a booking's
//! `day` is its Brussels day (a booking lies within one day, see the domain's rules).

use jiff::civil::Date;
use ruche_domain::places::{
    BookedFor, NewBooking, NewLetting, NewPartner, NewSite, NewSpace, OPEN_MINUTES_PER_DAY, Prices,
    REFUSED_OVERLAP, letting_income, occupancy_ppm, open_days_not_let,
};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::mail::queue_mail_in;
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// The figure keys of the Places section, in the order the pages show them.
pub const FIGURE_KEYS: [&str; 10] = [
    "places-sites",
    "places-surface",
    "places-shared-surface",
    "places-spaces",
    "places-bookings",
    "places-booked-time",
    "places-occupancy",
    "places-partners-letting",
    "places-lettings",
    "places-letting-income",
];

/// `Refused` code: the space is inactive or not open to bookings.
pub const REFUSED_NOT_BOOKABLE: &str = "places-not-bookable";
/// `Refused` code: more persons than the space holds.
pub const REFUSED_CAPACITY: &str = "places-over-capacity";
/// `Refused` code: the member does not hold the activity named.
pub const REFUSED_NOT_HOLDER: &str = "places-not-holder";
/// `Conflict` code: the booking is cancelled already.
pub const REFUSED_CANCELLED: &str = "places-cancelled";

/// The most rows one read takes (TigerStyle: a bound on every list).
const MAX_ROWS: i64 = 10_000;

/// Takes the row lock of space `$1` until the end of the write transaction (see the module's
/// documentation). Portable SQL: a row lock without `SELECT … FOR UPDATE`, which SQLite lacks.
const LOCK_SPACE: &str = "UPDATE place_spaces SET updated_at = updated_at WHERE id = $1";

// ------------------------------------------------------------------------------ records

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SiteRecord {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub surface_m2: i64,
    pub kind: String,
    pub office_id: Option<i64>,
    pub office_name: Option<String>,
    pub shared_with_network: bool,
    pub opened_on: String,
    pub spaces: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SpaceRecord {
    pub id: i64,
    pub site_id: i64,
    pub site_name: String,
    pub name: String,
    pub kind: String,
    pub capacity: i64,
    pub surface_m2: i64,
    pub equipment: String,
    pub member_hour_cents: i64,
    pub member_day_cents: i64,
    pub partner_hour_cents: i64,
    pub partner_day_cents: i64,
    pub bookable: bool,
    pub active: bool,
}

impl SpaceRecord {
    pub fn prices(&self) -> Prices {
        Prices {
            member_hour_cents: self.member_hour_cents,
            member_day_cents: self.member_day_cents,
            partner_hour_cents: self.partner_hour_cents,
            partner_day_cents: self.partner_day_cents,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PartnerRecord {
    pub id: i64,
    pub name: String,
    pub enterprise_number: String,
    pub contact_name: String,
    pub contact_email: String,
    pub lettings: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LettingRecord {
    pub id: i64,
    pub space_id: i64,
    pub space_name: String,
    pub site_name: String,
    pub partner_id: i64,
    pub partner_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub monthly_rent_cents: i64,
    pub contract_ref: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BookingRecord {
    pub id: i64,
    pub space_id: i64,
    pub space_name: String,
    pub site_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub day: String,
    pub booked_for: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub activity_id: Option<i64>,
    pub activity_name: Option<String>,
    pub partner_id: Option<i64>,
    pub partner_name: Option<String>,
    pub purpose: String,
    pub persons: i64,
    pub price_cents: i64,
    pub status: String,
    pub booked_by: Option<i64>,
    pub created_at: i64,
    pub cancelled_at: Option<i64>,
}

impl BookingRecord {
    pub fn is_booked(&self) -> bool {
        self.status == "booked"
    }

    /// Who the slot is for, as the calendar shows it.
    pub fn holder(&self) -> String {
        self.partner_name
            .clone()
            .or_else(|| self.activity_name.clone())
            .or_else(|| self.person_name.clone())
            .unwrap_or_default()
    }
}

/// Why a slot was refused: the booking or the letting it overlaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PlaceConflict {
    Booking {
        id: i64,
        starts_at: i64,
        ends_at: i64,
    },
    Letting {
        id: i64,
        partner_name: String,
        starts_on: String,
        ends_on: String,
    },
}

impl PlaceConflict {
    /// The refusal's code (`err-places-overlap`).
    pub fn code(&self) -> &'static str {
        REFUSED_OVERLAP
    }
}

/// A booking written, or the slot it would overlap (nothing written).
pub type BookingOutcome = std::result::Result<BookingRecord, PlaceConflict>;
pub type LettingOutcome = std::result::Result<LettingRecord, PlaceConflict>;

/// A notice to queue with a booking (to a partner's contact), already rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceNotice {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Filters of a list of bookings; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    pub space_id: Option<i64>,
    pub person_id: Option<i64>,
    pub partner_id: Option<i64>,
    /// Days `[from_day, to_day]`, `YYYY-MM-DD`.
    pub from_day: Option<Date>,
    pub to_day: Option<Date>,
    /// Only the bookings not cancelled.
    pub booked_only: bool,
}

/// One space's occupancy over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpaceOccupancy {
    pub space_id: i64,
    pub space_name: String,
    pub site_id: i64,
    pub site_name: String,
    pub booked_minutes: i64,
    pub available_minutes: i64,
    pub ppm: i64,
}

/// One site's occupancy over a period: the sum of its bookable spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteOccupancy {
    pub site_id: i64,
    pub site_name: String,
    pub booked_minutes: i64,
    pub available_minutes: i64,
    pub ppm: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occupancy {
    pub spaces: Vec<SpaceOccupancy>,
    pub sites: Vec<SiteOccupancy>,
    pub booked_minutes: i64,
    pub available_minutes: i64,
    pub ppm: i64,
}

// ---------------------------------------------------------------------------------- SQL

const SITES: &str = concat!(
    "SELECT s.id, s.name, s.street, s.postcode, s.city, s.surface_m2, ",
    "s.kind, s.office_id, o.name AS office_name, s.shared_with_network, s.opened_on, ",
    "(SELECT COUNT(*) FROM place_spaces x WHERE x.site_id = s.id) AS spaces ",
    "FROM place_sites s LEFT JOIN offices o ON o.id = s.office_id ",
    "ORDER BY s.surface_m2 DESC, s.name LIMIT 1000"
);
const SITE: &str = concat!(
    "SELECT s.id, s.name, s.street, s.postcode, s.city, s.surface_m2, ",
    "s.kind, s.office_id, o.name AS office_name, s.shared_with_network, s.opened_on, ",
    "(SELECT COUNT(*) FROM place_spaces x WHERE x.site_id = s.id) AS spaces ",
    "FROM place_sites s LEFT JOIN offices o ON o.id = s.office_id WHERE s.id = $1"
);
const SITE_INSERT: &str = "INSERT INTO place_sites (name, street, postcode, city, surface_m2, \
    kind, office_id, shared_with_network, opened_on, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id";
const SITE_UPDATE: &str = "UPDATE place_sites SET name = $1, street = $2, postcode = $3, \
    city = $4, surface_m2 = $5, kind = $6, office_id = $7, shared_with_network = $8, \
    opened_on = $9, updated_at = $10 WHERE id = $11";
const SITE_BY_NAME: &str = "SELECT id FROM place_sites WHERE name = $1";

macro_rules! space_select {
    () => {
        "SELECT p.id, p.site_id, s.name AS site_name, p.name, p.kind, p.capacity, p.surface_m2, \
         p.equipment, p.member_hour_cents, p.member_day_cents, p.partner_hour_cents, \
         p.partner_day_cents, p.bookable, p.active \
         FROM place_spaces p JOIN place_sites s ON s.id = p.site_id"
    };
}
const SPACE: &str = concat!(space_select!(), " WHERE p.id = $1");
const SPACES: &str = concat!(
    space_select!(),
    " WHERE (CAST($1 AS BIGINT) IS NULL OR p.site_id = $1) AND ($2 = 0 OR (p.bookable AND p.active)) \
     ORDER BY s.surface_m2 DESC, s.name, p.name LIMIT $3 OFFSET $4"
);
const SPACES_COUNT: &str = "SELECT COUNT(*) FROM place_spaces p \
    WHERE (CAST($1 AS BIGINT) IS NULL OR p.site_id = $1) AND ($2 = 0 OR (p.bookable AND p.active))";
const SPACE_INSERT: &str = "INSERT INTO place_spaces (site_id, name, kind, capacity, surface_m2, \
    equipment, member_hour_cents, member_day_cents, partner_hour_cents, partner_day_cents, \
    bookable, active, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id";
const SPACE_UPDATE: &str = "UPDATE place_spaces SET site_id = $1, name = $2, kind = $3, \
    capacity = $4, surface_m2 = $5, equipment = $6, member_hour_cents = $7, \
    member_day_cents = $8, partner_hour_cents = $9, partner_day_cents = $10, bookable = $11, \
    active = $12, updated_at = $13 WHERE id = $14";
const SPACE_BY_NAME: &str = "SELECT id FROM place_spaces WHERE site_id = $1 AND name = $2";

const PARTNER_SELECT_ALL: &str = "SELECT r.id, r.name, r.enterprise_number, r.contact_name, \
    r.contact_email, (SELECT COUNT(*) FROM place_lettings l WHERE l.partner_id = r.id) AS lettings \
    FROM place_partners r ORDER BY r.name, r.id LIMIT $1 OFFSET $2";
const PARTNER: &str = "SELECT r.id, r.name, r.enterprise_number, r.contact_name, \
    r.contact_email, (SELECT COUNT(*) FROM place_lettings l WHERE l.partner_id = r.id) AS lettings \
    FROM place_partners r WHERE r.id = $1";
const PARTNERS_COUNT: &str = "SELECT COUNT(*) FROM place_partners";
const PARTNER_BY_NUMBER: &str = "SELECT id FROM place_partners WHERE enterprise_number = $1";
const PARTNER_INSERT: &str = "INSERT INTO place_partners (name, enterprise_number, contact_name, \
    contact_email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
const PARTNER_UPDATE: &str = "UPDATE place_partners SET name = $1, enterprise_number = $2, \
    contact_name = $3, contact_email = $4, updated_at = $5 WHERE id = $6";

macro_rules! letting_select {
    () => {
        "SELECT l.id, l.space_id, p.name AS space_name, s.name AS site_name, l.partner_id, \
         r.name AS partner_name, l.starts_on, l.ends_on, l.monthly_rent_cents, l.contract_ref \
         FROM place_lettings l JOIN place_spaces p ON p.id = l.space_id \
         JOIN place_sites s ON s.id = p.site_id JOIN place_partners r ON r.id = l.partner_id"
    };
}
const LETTING: &str = concat!(letting_select!(), " WHERE l.id = $1");
// Lettings overlapping days [$2, $3] (both included), of one space or of all.
const LETTINGS_IN: &str = concat!(
    letting_select!(),
    " WHERE (CAST($1 AS BIGINT) IS NULL OR l.space_id = $1) \
     AND l.starts_on <= $3 AND l.ends_on >= $2 ORDER BY l.starts_on, l.id LIMIT 10000"
);
const LETTINGS_PAGE: &str = concat!(
    letting_select!(),
    " ORDER BY l.ends_on DESC, l.id DESC LIMIT $1 OFFSET $2"
);
const LETTINGS_COUNT: &str = "SELECT COUNT(*) FROM place_lettings";
const LETTING_INSERT: &str = "INSERT INTO place_lettings (space_id, partner_id, starts_on, \
    ends_on, monthly_rent_cents, contract_ref, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const LETTING_EXISTS: &str = "SELECT id FROM place_lettings \
    WHERE space_id = $1 AND partner_id = $2 AND starts_on = $3 AND contract_ref = $4";

macro_rules! booking_select {
    () => {
        "SELECT b.id, b.space_id, p.name AS space_name, s.name AS site_name, b.starts_at, \
         b.ends_at, b.day, b.booked_for, b.person_id, \
         pe.first_name || ' ' || pe.last_name AS person_name, b.activity_id, \
         a.name AS activity_name, b.partner_id, r.name AS partner_name, b.purpose, b.persons, \
         b.price_cents, b.status, b.booked_by, b.created_at, b.cancelled_at \
         FROM place_bookings b JOIN place_spaces p ON p.id = b.space_id \
         JOIN place_sites s ON s.id = p.site_id \
         LEFT JOIN persons pe ON pe.id = b.person_id \
         LEFT JOIN activities a ON a.id = b.activity_id \
         LEFT JOIN place_partners r ON r.id = b.partner_id"
    };
}
macro_rules! booking_where {
    () => {
        " WHERE (CAST($1 AS BIGINT) IS NULL OR b.space_id = $1) \
          AND (CAST($2 AS BIGINT) IS NULL OR b.person_id = $2) \
          AND (CAST($3 AS BIGINT) IS NULL OR b.partner_id = $3) \
          AND (CAST($4 AS TEXT) IS NULL OR b.day >= $4) \
          AND (CAST($5 AS TEXT) IS NULL OR b.day <= $5) \
          AND ($6 = 0 OR b.status = 'booked')"
    };
}
const BOOKING: &str = concat!(booking_select!(), " WHERE b.id = $1");
const BOOKINGS: &str = concat!(
    booking_select!(),
    booking_where!(),
    " ORDER BY b.starts_at DESC, b.id DESC LIMIT $7 OFFSET $8"
);
const BOOKINGS_COUNT: &str = concat!("SELECT COUNT(*) FROM place_bookings b", booking_where!());
const CALENDAR: &str = concat!(
    booking_select!(),
    " WHERE b.space_id = $1 AND b.day >= $2 AND b.day <= $3 AND b.status = 'booked' \
     ORDER BY b.starts_at, b.id LIMIT 2000"
);
const OVERLAPPING_BOOKING: &str = "SELECT id, starts_at, ends_at FROM place_bookings \
    WHERE space_id = $1 AND status = 'booked' AND starts_at < $3 AND ends_at > $2 \
    ORDER BY starts_at LIMIT 1";
const BOOKING_IN_DAYS: &str = "SELECT id, starts_at, ends_at FROM place_bookings \
    WHERE space_id = $1 AND status = 'booked' AND day >= $2 AND day <= $3 \
    ORDER BY starts_at LIMIT 1";
const LETTING_ON_DAYS: &str = "SELECT l.id, r.name, l.starts_on, l.ends_on FROM place_lettings l \
    JOIN place_partners r ON r.id = l.partner_id \
    WHERE l.space_id = $1 AND l.starts_on <= $3 AND l.ends_on >= $2 ORDER BY l.starts_on LIMIT 1";
const IS_HOLDER: &str =
    "SELECT person_id FROM activity_holders WHERE activity_id = $1 AND person_id = $2";
const PARTNER_EXISTS: &str = "SELECT id FROM place_partners WHERE id = $1";
const BOOKING_INSERT: &str = "INSERT INTO place_bookings (space_id, starts_at, ends_at, day, \
    booked_for, person_id, activity_id, partner_id, purpose, persons, price_cents, status, \
    booked_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'booked', $12, $13) RETURNING id";
const BOOKING_CANCEL: &str = "UPDATE place_bookings SET status = 'cancelled', cancelled_at = $1 \
    WHERE id = $2 AND status = 'booked'";
const BOOKING_EXISTS: &str = "SELECT id FROM place_bookings \
    WHERE space_id = $1 AND starts_at = $2 AND status = 'booked'";

// Booked minutes per space over days [$1, $2].
const BOOKED_MINUTES: &str = "SELECT space_id, \
    CAST(COALESCE(SUM((ends_at - starts_at) / 60000000), 0) AS BIGINT) \
    FROM place_bookings WHERE status = 'booked' AND day >= $1 AND day <= $2 GROUP BY space_id";
const ALL_SPACES: &str = concat!(space_select!(), " ORDER BY s.name, p.name LIMIT 10000");
const SITE_OPENED: &str = "SELECT id, name, opened_on FROM place_sites LIMIT 10000";

const FIG_SITES: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(surface_m2), 0) AS BIGINT), \
    CAST(COALESCE(SUM(CASE WHEN shared_with_network THEN surface_m2 ELSE 0 END), 0) AS BIGINT) \
    FROM place_sites WHERE opened_on <= $1";
const FIG_SPACES: &str = "SELECT COUNT(*) FROM place_spaces p \
    JOIN place_sites s ON s.id = p.site_id WHERE p.active AND s.opened_on <= $1";
const FIG_BOOKINGS: &str = "SELECT COUNT(*), \
    CAST(COALESCE(SUM((ends_at - starts_at) / 60000000), 0) AS BIGINT) \
    FROM place_bookings WHERE status = 'booked' AND day >= $1 AND day <= $2";
const FIG_LETTINGS: &str = "SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM place_lettings \
    WHERE starts_on <= $2 AND ends_on >= $1";

fn day_of(micros: i64) -> Result<Date> {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| t.to_zoned(tz).date())
        .map_err(|e| StoreError::Corrupt(format!("instant {micros}: {e}")))
}

fn parse_day(s: &str) -> Result<Date> {
    s.parse::<Date>()
        .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
}

fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

/// The conflict on space `$space` for the instants `[$from, $to)` of days `[$d1, $d2]`:
/// a letting holding one of the days, or a booking overlapping the instants.
macro_rules! conflict_in {
    ($tx:ident, $space:expr, $from:expr, $to:expr, $d1:expr, $d2:expr) => {{
        let letting: Option<(i64, String, String, String)> = sqlx::query_as(LETTING_ON_DAYS)
            .bind($space)
            .bind($d1)
            .bind($d2)
            .fetch_optional(&mut *$tx)
            .await?;
        if let Some((id, partner_name, starts_on, ends_on)) = letting {
            Some(PlaceConflict::Letting {
                id,
                partner_name,
                starts_on,
                ends_on,
            })
        } else {
            let booking: Option<(i64, i64, i64)> = sqlx::query_as(OVERLAPPING_BOOKING)
                .bind($space)
                .bind($from)
                .bind($to)
                .fetch_optional(&mut *$tx)
                .await?;
            booking.map(|(id, starts_at, ends_at)| PlaceConflict::Booking {
                id,
                starts_at,
                ends_at,
            })
        }
    }};
}

impl Store {
    // -------------------------------------------------------------------------- sites

    /// Creates (`id` None) or updates a site. A name is unique among the sites.
    pub async fn save_site(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        site: &NewSite,
    ) -> Result<SiteRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let same: Option<(i64,)> = sqlx::query_as(SITE_BY_NAME)
                .bind(&site.name)
                .fetch_optional(&mut *tx)
                .await?;
            if same.is_some_and(|(other,)| Some(other) != id) {
                return Err(StoreError::Duplicate { field: "places_site_name" });
            }
            if let Some(office) = site.office_id {
                let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM offices WHERE id = $1")
                    .bind(office)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(refused("places_office", "required"));
                }
            }
            let before = match id {
                Some(id) => Some(fetch_one_in!(tx, SiteRecord, SITE, id)),
                None => None,
            };
            let id = match id {
                None => {
                    let (id,): (i64,) = sqlx::query_as(SITE_INSERT)
                        .bind(&site.name)
                        .bind(&site.street)
                        .bind(&site.postcode)
                        .bind(&site.city)
                        .bind(site.surface_m2)
                        .bind(site.kind.code())
                        .bind(site.office_id)
                        .bind(site.shared_with_network)
                        .bind(site.opened_on.to_string())
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
                Some(id) => {
                    sqlx::query(SITE_UPDATE)
                        .bind(&site.name)
                        .bind(&site.street)
                        .bind(&site.postcode)
                        .bind(&site.city)
                        .bind(site.surface_m2)
                        .bind(site.kind.code())
                        .bind(site.office_id)
                        .bind(site.shared_with_network)
                        .bind(site.opened_on.to_string())
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = fetch_one_in!(tx, SiteRecord, SITE, id);
            let action = if before.is_some() { "place-site.update" } else { "place-site.create" };
            audit!(tx, ctx, action, "place_site", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    /// Every site, the largest first (a network has a few dozen at most).
    pub async fn place_sites(&self) -> Result<Vec<SiteRecord>> {
        with_db!(self, pool => Ok(sqlx::query_as(SITES).fetch_all(pool).await?))
    }

    pub async fn place_site(&self, id: i64) -> Result<SiteRecord> {
        with_db!(self, pool => {
            sqlx::query_as(SITE).bind(id).fetch_optional(pool).await?.ok_or(StoreError::NotFound)
        })
    }

    // ------------------------------------------------------------------------- spaces

    /// Creates (`id` None) or updates a space of a site. Its name is unique within the site.
    pub async fn save_space(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        space: &NewSpace,
    ) -> Result<SpaceRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let site: Option<SiteRecord> = sqlx::query_as(SITE)
                .bind(space.site_id)
                .fetch_optional(&mut *tx)
                .await?;
            if site.is_none() {
                return Err(refused("places_site", "required"));
            }
            let same: Option<(i64,)> = sqlx::query_as(SPACE_BY_NAME)
                .bind(space.site_id)
                .bind(&space.name)
                .fetch_optional(&mut *tx)
                .await?;
            if same.is_some_and(|(other,)| Some(other) != id) {
                return Err(StoreError::Duplicate { field: "places_space_name" });
            }
            let before = match id {
                Some(id) => {
                    sqlx::query(LOCK_SPACE).bind(id).execute(&mut *tx).await?;
                    Some(fetch_one_in!(tx, SpaceRecord, SPACE, id))
                }
                None => None,
            };
            let p = space.prices;
            let id = match id {
                None => {
                    let (id,): (i64,) = sqlx::query_as(SPACE_INSERT)
                        .bind(space.site_id)
                        .bind(&space.name)
                        .bind(space.kind.code())
                        .bind(space.capacity)
                        .bind(space.surface_m2)
                        .bind(&space.equipment)
                        .bind(p.member_hour_cents)
                        .bind(p.member_day_cents)
                        .bind(p.partner_hour_cents)
                        .bind(p.partner_day_cents)
                        .bind(space.bookable)
                        .bind(space.active)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
                Some(id) => {
                    sqlx::query(SPACE_UPDATE)
                        .bind(space.site_id)
                        .bind(&space.name)
                        .bind(space.kind.code())
                        .bind(space.capacity)
                        .bind(space.surface_m2)
                        .bind(&space.equipment)
                        .bind(p.member_hour_cents)
                        .bind(p.member_day_cents)
                        .bind(p.partner_hour_cents)
                        .bind(p.partner_day_cents)
                        .bind(space.bookable)
                        .bind(space.active)
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = fetch_one_in!(tx, SpaceRecord, SPACE, id);
            let action = if before.is_some() { "place-space.update" } else { "place-space.create" };
            audit!(tx, ctx, action, "place_space", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    pub async fn place_space(&self, id: i64) -> Result<SpaceRecord> {
        with_db!(self, pool => {
            sqlx::query_as(SPACE).bind(id).fetch_optional(pool).await?.ok_or(StoreError::NotFound)
        })
    }

    /// A page of spaces, of one site or of all, the bookable ones only when asked.
    pub async fn place_spaces(
        &self,
        site_id: Option<i64>,
        bookable_only: bool,
        page: PageRequest,
    ) -> Result<Page<SpaceRecord>> {
        let flag = i64::from(bookable_only);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(SPACES_COUNT)
                .bind(site_id)
                .bind(flag)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(SPACES)
                .bind(site_id)
                .bind(flag)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ----------------------------------------------------------------------- partners

    /// Creates (`id` None) or updates a partner. Its enterprise number is unique.
    pub async fn save_place_partner(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        partner: &NewPartner,
    ) -> Result<PartnerRecord> {
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let same: Option<(i64,)> = sqlx::query_as(PARTNER_BY_NUMBER)
                .bind(&partner.enterprise_number)
                .fetch_optional(&mut *tx)
                .await?;
            if same.is_some_and(|(other,)| Some(other) != id) {
                return Err(StoreError::Duplicate { field: "places_enterprise_number" });
            }
            let before = match id {
                Some(id) => Some(fetch_one_in!(tx, PartnerRecord, PARTNER, id)),
                None => None,
            };
            let id = match id {
                None => {
                    let (id,): (i64,) = sqlx::query_as(PARTNER_INSERT)
                        .bind(&partner.name)
                        .bind(&partner.enterprise_number)
                        .bind(&partner.contact_name)
                        .bind(&partner.contact_email)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
                Some(id) => {
                    sqlx::query(PARTNER_UPDATE)
                        .bind(&partner.name)
                        .bind(&partner.enterprise_number)
                        .bind(&partner.contact_name)
                        .bind(&partner.contact_email)
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = fetch_one_in!(tx, PartnerRecord, PARTNER, id);
            let action = if before.is_some() { "place-partner.update" } else { "place-partner.create" };
            audit!(tx, ctx, action, "place_partner", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    pub async fn place_partner(&self, id: i64) -> Result<PartnerRecord> {
        with_db!(self, pool => {
            sqlx::query_as(PARTNER).bind(id).fetch_optional(pool).await?.ok_or(StoreError::NotFound)
        })
    }

    pub async fn place_partners(&self, page: PageRequest) -> Result<Page<PartnerRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(PARTNERS_COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as(PARTNER_SELECT_ALL)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The partner whose enterprise number is `number` (ten digits), if any.
    pub async fn place_partner_by_number(&self, number: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(PARTNER_BY_NUMBER).bind(number).fetch_optional(pool).await?
        });
        Ok(row.map(|(id,)| id))
    }

    // ----------------------------------------------------------------------- lettings

    /// Lets a space to a partner over days `[starts_on, ends_on]`. Refused with the
    /// conflicting slot when another letting or a booking holds one of those days (the space
    /// is locked first, as for a booking).
    pub async fn let_space(&self, ctx: &AuditContext, new: &NewLetting) -> Result<LettingOutcome> {
        let now = crate::now_micros();
        let (d1, d2) = (new.starts_on.to_string(), new.ends_on.to_string());
        write_tx!(self, tx => {
            let locked = sqlx::query(LOCK_SPACE).bind(new.space_id).execute(&mut *tx).await?;
            if locked.rows_affected() == 0 {
                return Err(refused("places_letting_space", "required"));
            }
            let partner: Option<(i64,)> = sqlx::query_as(PARTNER_EXISTS)
                .bind(new.partner_id)
                .fetch_optional(&mut *tx)
                .await?;
            if partner.is_none() {
                return Err(refused("places_partner", "required"));
            }
            let letting: Option<(i64, String, String, String)> = sqlx::query_as(LETTING_ON_DAYS)
                .bind(new.space_id)
                .bind(&d1)
                .bind(&d2)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((id, partner_name, starts_on, ends_on)) = letting {
                return Ok(Err(PlaceConflict::Letting { id, partner_name, starts_on, ends_on }));
            }
            let booking: Option<(i64, i64, i64)> = sqlx::query_as(BOOKING_IN_DAYS)
                .bind(new.space_id)
                .bind(&d1)
                .bind(&d2)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((id, starts_at, ends_at)) = booking {
                return Ok(Err(PlaceConflict::Booking { id, starts_at, ends_at }));
            }
            let (id,): (i64,) = sqlx::query_as(LETTING_INSERT)
                .bind(new.space_id)
                .bind(new.partner_id)
                .bind(&d1)
                .bind(&d2)
                .bind(new.monthly_rent_cents)
                .bind(&new.contract_ref)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, LettingRecord, LETTING, id);
            audit!(tx, ctx, "place-letting.create", "place_letting", Some(id), None::<&()>, Some(&after));
            Ok(Ok(after))
        })
    }

    /// Whether the letting of `space_id` to `partner_id` from `starts_on` under `contract_ref`
    /// exists already (the demo seeds once).
    pub async fn place_letting_exists(
        &self,
        space_id: i64,
        partner_id: i64,
        starts_on: Date,
        contract_ref: &str,
    ) -> Result<bool> {
        let row: Option<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(LETTING_EXISTS)
                .bind(space_id)
                .bind(partner_id)
                .bind(starts_on.to_string())
                .bind(contract_ref)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_some())
    }

    pub async fn place_letting(&self, id: i64) -> Result<LettingRecord> {
        with_db!(self, pool => {
            sqlx::query_as(LETTING).bind(id).fetch_optional(pool).await?.ok_or(StoreError::NotFound)
        })
    }

    /// A page of lettings, the latest ending first.
    pub async fn place_lettings(&self, page: PageRequest) -> Result<Page<LettingRecord>> {
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(LETTINGS_COUNT).fetch_one(pool).await?;
            let items = sqlx::query_as(LETTINGS_PAGE)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The lettings holding a day of `[from, to]`, of one space or of all.
    pub async fn place_lettings_between(
        &self,
        space_id: Option<i64>,
        from: Date,
        to: Date,
    ) -> Result<Vec<LettingRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as(LETTINGS_IN)
                .bind(space_id)
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(pool)
                .await?)
        })
    }

    // ----------------------------------------------------------------------- bookings

    /// Books a space for `person_id` (the member, or the staff member booking for a partner)
    /// at the Brussels times of `new`. The space is locked, then the slot checked against
    /// the lettings and the other bookings: an overlap answers `Ok(Err(conflict))` and
    /// writes nothing. Refused (`Refused`) when the space is not bookable or too small, the
    /// member does not hold the activity, or the partner does not exist. The price is the
    /// domain's rule on the space's prices. `notice` is queued to the outbox with it.
    pub async fn book_space(
        &self,
        ctx: &AuditContext,
        space_id: i64,
        person_id: Option<i64>,
        new: &NewBooking,
        notice: Option<&PlaceNotice>,
    ) -> Result<BookingOutcome> {
        let (from, to) = new
            .instants()
            .ok_or_else(|| refused("places_from", "format"))?;
        let day = new.day.to_string();
        let now = crate::now_micros();
        write_tx!(self, tx => {
            // The lock first: whoever comes second waits here, then sees the first booking.
            let locked = sqlx::query(LOCK_SPACE).bind(space_id).execute(&mut *tx).await?;
            if locked.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let space = fetch_one_in!(tx, SpaceRecord, SPACE, space_id);
            if !space.active || !space.bookable {
                return Err(refused("places_day", REFUSED_NOT_BOOKABLE));
            }
            if new.persons > space.capacity {
                return Err(refused("places_persons", REFUSED_CAPACITY));
            }
            if let Some(activity) = new.activity_id {
                let held: Option<(i64,)> = sqlx::query_as(IS_HOLDER)
                    .bind(activity)
                    .bind(person_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if held.is_none() {
                    return Err(refused("places_activity", REFUSED_NOT_HOLDER));
                }
            }
            if let Some(partner) = new.partner_id {
                let found: Option<(i64,)> = sqlx::query_as(PARTNER_EXISTS)
                    .bind(partner)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(refused("places_booking_partner", "required"));
                }
            }
            if let Some(conflict) = conflict_in!(tx, space_id, from, to, &day, &day) {
                return Ok(Err(conflict));
            }
            let price = space.prices().price(new.booked_for, new.minutes());
            let (id,): (i64,) = sqlx::query_as(BOOKING_INSERT)
                .bind(space_id)
                .bind(from)
                .bind(to)
                .bind(&day)
                .bind(new.booked_for.code())
                .bind(person_id)
                .bind(new.activity_id)
                .bind(new.partner_id)
                .bind(&new.purpose)
                .bind(new.persons)
                .bind(price)
                .bind(ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after = fetch_one_in!(tx, BookingRecord, BOOKING, id);
            audit!(tx, ctx, "place-booking.book", "place_booking", Some(id), None::<&()>, Some(&after));
            if let Some(n) = notice {
                queue_mail_in!(tx, &n.to, &n.subject, &n.body);
            }
            Ok(Ok(after))
        })
    }

    /// Whether a booking of `space_id` starting at `starts_at` exists (the demo seeds once).
    pub async fn place_booking_exists(&self, space_id: i64, starts_at: i64) -> Result<bool> {
        let row: Option<(i64,)> = with_db!(self, pool => {
            sqlx::query_as(BOOKING_EXISTS)
                .bind(space_id)
                .bind(starts_at)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_some())
    }

    pub async fn place_booking(&self, id: i64) -> Result<BookingRecord> {
        with_db!(self, pool => {
            sqlx::query_as(BOOKING).bind(id).fetch_optional(pool).await?.ok_or(StoreError::NotFound)
        })
    }

    /// Cancels a booking (the caller checked who may). A cancelled booking frees its slot.
    pub async fn cancel_place_booking(
        &self,
        ctx: &AuditContext,
        id: i64,
        at: i64,
    ) -> Result<BookingRecord> {
        write_tx!(self, tx => {
            let before = fetch_one_in!(tx, BookingRecord, BOOKING, id);
            sqlx::query(LOCK_SPACE).bind(before.space_id).execute(&mut *tx).await?;
            let done = sqlx::query(BOOKING_CANCEL).bind(at).bind(id).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(REFUSED_CANCELLED));
            }
            let after = fetch_one_in!(tx, BookingRecord, BOOKING, id);
            audit!(tx, ctx, "place-booking.cancel", "place_booking", Some(id), Some(&before), Some(&after));
            Ok(after)
        })
    }

    /// A page of bookings, the latest first.
    pub async fn place_bookings(
        &self,
        filter: &BookingFilter,
        page: PageRequest,
    ) -> Result<Page<BookingRecord>> {
        let from = filter.from_day.map(|d| d.to_string());
        let to = filter.to_day.map(|d| d.to_string());
        let booked = i64::from(filter.booked_only);
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(BOOKINGS_COUNT)
                .bind(filter.space_id)
                .bind(filter.person_id)
                .bind(filter.partner_id)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(booked)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(BOOKINGS)
                .bind(filter.space_id)
                .bind(filter.person_id)
                .bind(filter.partner_id)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(booked)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    /// The bookings (not cancelled) of a space over days `[from, to]`, in time order.
    pub async fn place_calendar(
        &self,
        space_id: i64,
        from: Date,
        to: Date,
    ) -> Result<Vec<BookingRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as(CALENDAR)
                .bind(space_id)
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(pool)
                .await?)
        })
    }

    // ---------------------------------------------------------------------- occupancy

    /// Occupancy over days `[from, to]`: for each bookable, active space of a site open by
    /// then, its booked minutes over the minutes it could be booked (opening hours of the
    /// opening days since its site opened, the days it is let left out); per site and in
    /// all, the sums. Spaces have no history: today's bookable spaces count for any period.
    pub async fn place_occupancy(&self, from: Date, to: Date) -> Result<Occupancy> {
        let (spaces, booked, sites, lettings) = with_db!(self, pool => {
            let spaces: Vec<SpaceRecord> = sqlx::query_as(ALL_SPACES).fetch_all(pool).await?;
            let booked: Vec<(i64, i64)> = sqlx::query_as(BOOKED_MINUTES)
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(pool)
                .await?;
            let sites: Vec<(i64, String, String)> =
                sqlx::query_as(SITE_OPENED).fetch_all(pool).await?;
            let lettings: Vec<LettingRecord> = sqlx::query_as(LETTINGS_IN)
                .bind(None::<i64>)
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(pool)
                .await?;
            (spaces, booked, sites, lettings)
        });
        let mut out = Occupancy {
            spaces: Vec::new(),
            sites: Vec::new(),
            booked_minutes: 0,
            available_minutes: 0,
            ppm: 0,
        };
        for space in spaces.iter().filter(|s| s.bookable && s.active) {
            let Some((_, _, opened_on)) = sites.iter().find(|(id, _, _)| *id == space.site_id)
            else {
                continue;
            };
            let opened = parse_day(opened_on)?;
            if opened > to {
                continue;
            }
            let let_days: Vec<(Date, Date)> = lettings
                .iter()
                .filter(|l| l.space_id == space.id)
                .map(|l| Ok((parse_day(&l.starts_on)?, parse_day(&l.ends_on)?)))
                .collect::<Result<_>>()?;
            let available =
                open_days_not_let(from.max(opened), to, &let_days) * OPEN_MINUTES_PER_DAY;
            let booked_minutes = booked
                .iter()
                .find(|(id, _)| *id == space.id)
                .map_or(0, |(_, m)| *m);
            out.spaces.push(SpaceOccupancy {
                space_id: space.id,
                space_name: space.name.clone(),
                site_id: space.site_id,
                site_name: space.site_name.clone(),
                booked_minutes,
                available_minutes: available,
                ppm: occupancy_ppm(booked_minutes, available),
            });
        }
        for s in &out.spaces {
            match out.sites.iter_mut().find(|x| x.site_id == s.site_id) {
                Some(site) => {
                    site.booked_minutes += s.booked_minutes;
                    site.available_minutes += s.available_minutes;
                }
                None => out.sites.push(SiteOccupancy {
                    site_id: s.site_id,
                    site_name: s.site_name.clone(),
                    booked_minutes: s.booked_minutes,
                    available_minutes: s.available_minutes,
                    ppm: 0,
                }),
            }
            out.booked_minutes += s.booked_minutes;
            out.available_minutes += s.available_minutes;
        }
        for site in &mut out.sites {
            site.ppm = occupancy_ppm(site.booked_minutes, site.available_minutes);
        }
        out.ppm = occupancy_ppm(out.booked_minutes, out.available_minutes);
        Ok(out)
    }

    // ------------------------------------------------------------------------ figures

    /// The Places section of the year's figures (C14, C17): see docs/figures.md.
    pub(crate) async fn places_figures(&self, year: i16) -> Result<SectionFigures> {
        let bad = || StoreError::Refused(FieldErrors::single("year", crate::figures::BAD_YEAR));
        if !(1900..=2999).contains(&year) {
            return Err(bad());
        }
        let from = Date::new(year, 1, 1).map_err(|_| bad())?;
        let to = Date::new(year, 12, 31).map_err(|_| bad())?;
        let (f, t) = (from.to_string(), to.to_string());
        let (sites, spaces, bookings, lettings_count, lettings) = with_db!(self, pool => {
            let sites: (i64, i64, i64) = sqlx::query_as(FIG_SITES).bind(&t).fetch_one(pool).await?;
            let spaces: (i64,) = sqlx::query_as(FIG_SPACES).bind(&t).fetch_one(pool).await?;
            let bookings: (i64, i64) =
                sqlx::query_as(FIG_BOOKINGS).bind(&f).bind(&t).fetch_one(pool).await?;
            let lettings_count: (i64, i64) =
                sqlx::query_as(FIG_LETTINGS).bind(&f).bind(&t).fetch_one(pool).await?;
            let lettings: Vec<LettingRecord> = sqlx::query_as(LETTINGS_IN)
                .bind(None::<i64>)
                .bind(&f)
                .bind(&t)
                .fetch_all(pool)
                .await?;
            (sites, spaces, bookings, lettings_count, lettings)
        });
        if lettings.len() as i64 >= MAX_ROWS {
            return Err(StoreError::Corrupt("too many lettings in a year".into()));
        }
        let mut income = 0i64;
        for l in &lettings {
            income += letting_income(
                l.monthly_rent_cents,
                parse_day(&l.starts_on)?,
                parse_day(&l.ends_on)?,
                from,
                to,
            );
        }
        let occupancy = self.place_occupancy(from, to).await?;
        let link = |path: &str| Some(path.to_string());
        let fig = |key: &'static str, value: FigureValue, link: Option<String>| Figure {
            key,
            value,
            link,
            parts: Vec::new(),
        };
        let figures = vec![
            fig("places-sites", FigureValue::Count(sites.0), link("/places")),
            fig(
                "places-surface",
                FigureValue::Count(sites.1),
                link("/places"),
            ),
            fig(
                "places-shared-surface",
                FigureValue::Count(sites.2),
                link("/places"),
            ),
            fig(
                "places-spaces",
                FigureValue::Count(spaces.0),
                link("/places"),
            ),
            fig(
                "places-bookings",
                FigureValue::Count(bookings.0),
                Some(format!("/places/bookings?from={f}&to={t}")),
            ),
            fig("places-booked-time", FigureValue::Minutes(bookings.1), None),
            fig(
                "places-occupancy",
                FigureValue::Percent { ppm: occupancy.ppm },
                Some(format!("/places/occupancy?from={f}&to={t}")),
            ),
            fig(
                "places-partners-letting",
                FigureValue::Count(lettings_count.1),
                link("/places/lettings"),
            ),
            fig(
                "places-lettings",
                FigureValue::Count(lettings_count.0),
                link("/places/lettings"),
            ),
            fig("places-letting-income", FigureValue::Cents(income), None),
        ];
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Places,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}

/// The Brussels day of a booking's instant (for the pages).
pub fn booking_day(micros: i64) -> Result<Date> {
    day_of(micros)
}

/// Whether a booking is for a partner.
pub fn is_partner(b: &BookingRecord) -> bool {
    b.booked_for == BookedFor::Partner.code()
}
