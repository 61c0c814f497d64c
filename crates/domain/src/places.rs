//! Places (C14): the network's sites (the head office in Brussels: 4,800 m²), their spaces
//! (workspaces for 5 to 8 people, meeting rooms, workshops, studios, storage) with their
//! capacity, surface, equipment and prices, the social-economy partners some spaces are let
//! to, and the bookings of the spaces.
//!
//! The rules here are the house rules of the network's places (its facilities charter), not
//! the law's:
//! - a booking is a half-open interval `[from, to)` on one Brussels day, within the opening
//!   hours ([`OPENS_AT`]–[`CLOSES_AT`], Monday to Saturday): two bookings of one space may not
//!   overlap, back-to-back bookings may ([`overlaps`]);
//! - a letting to a partner holds its space on every day of its period (both days included):
//!   nobody books it then;
//! - the price of a booking is its hours at the hourly price, or the daily price when that is
//!   cheaper ([`booking_price`]); partners pay the partners' prices;
//! - members book from today on; the past is closed to them.
//!
//! Partners are identified by their Belgian enterprise number (KBO/BCE, Royal Decree of
//! 1985, checked by [`crate::ident::EnterpriseNumber`]).

use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

use crate::format::parse_money;
use crate::ident::EnterpriseNumber;
use crate::validate::FieldErrors;

/// The places open at 7:00 and close at 22:00 (Brussels time), Monday to Saturday.
pub const OPENS_AT: Time = Time::constant(7, 0, 0, 0);
pub const CLOSES_AT: Time = Time::constant(22, 0, 0, 0);
/// Minutes a space can be booked on an opening day.
pub const OPEN_MINUTES_PER_DAY: i64 = 15 * 60;
pub const MAX_NAME_CHARS: usize = 150;
pub const MAX_TEXT_CHARS: usize = 1_000;
/// The largest surface a site or a space records: 1 km².
pub const MAX_SURFACE_M2: i64 = 1_000_000;
pub const MAX_CAPACITY: i64 = 2_000;
/// The highest price a form takes: 100,000 euros.
pub const MAX_PRICE_CENTS: i64 = 10_000_000;
/// Bookings are taken up to this many days ahead.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// `Refused` code: the slot overlaps a booking or a letting of the space.
pub const REFUSED_OVERLAP: &str = "places-overlap";

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code: never rename one.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

coded_enum!(
    /// Who holds a site.
    SiteKind {
        /// The cooperative owns it (the head office).
        Owned => "owned",
        /// The cooperative rents it.
        Rented => "rented",
        /// A member organisation of the network lends it.
        Network => "network",
    }
);

coded_enum!(
    /// What a space is for.
    SpaceKind {
        Workspace => "workspace",
        MeetingRoom => "meeting-room",
        Workshop => "workshop",
        Studio => "studio",
        Storage => "storage",
    }
);

coded_enum!(
    /// For whom a space is booked.
    BookedFor {
        /// The member books for themselves.
        Member => "member",
        /// For an activity the member holds.
        Activity => "activity",
        /// The facilities staff book for a partner (the partners' prices apply).
        Partner => "partner",
    }
);

coded_enum!(
    BookingStatus {
        Booked => "booked",
        Cancelled => "cancelled",
    }
);

// ------------------------------------------------------------------------------- rules

/// Whether two half-open intervals `[a_from, a_to)` and `[b_from, b_to)` share an instant.
/// Back-to-back intervals (`a_to == b_from`) do not.
pub fn overlaps(a_from: i64, a_to: i64, b_from: i64, b_to: i64) -> bool {
    a_from < b_to && b_from < a_to
}

/// Whether a letting of days `[starts_on, ends_on]` (both included) holds `day`.
pub fn letting_holds(starts_on: Date, ends_on: Date, day: Date) -> bool {
    starts_on <= day && day <= ends_on
}

/// The places are open Monday to Saturday.
pub fn is_open_day(day: Date) -> bool {
    day.weekday() != Weekday::Sunday
}

/// The price of a booking of `minutes` on one day: the hours at the hourly price (a started
/// quarter hour counts as a quarter), or the daily price when that is cheaper.
pub fn booking_price(minutes: i64, hour_cents: i64, day_cents: i64) -> i64 {
    let quarters = (minutes.max(0) + 14) / 15;
    let by_hours = quarters.saturating_mul(hour_cents) / 4
        + i64::from(quarters.saturating_mul(hour_cents) % 4 != 0);
    by_hours.min(day_cents)
}

/// The prices of a space: per hour and per day, for members and for partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Prices {
    pub member_hour_cents: i64,
    pub member_day_cents: i64,
    pub partner_hour_cents: i64,
    pub partner_day_cents: i64,
}

impl Prices {
    /// The price of `minutes` booked for `who`: partners pay the partners' prices.
    pub fn price(&self, who: BookedFor, minutes: i64) -> i64 {
        match who {
            BookedFor::Partner => {
                booking_price(minutes, self.partner_hour_cents, self.partner_day_cents)
            }
            BookedFor::Member | BookedFor::Activity => {
                booking_price(minutes, self.member_hour_cents, self.member_day_cents)
            }
        }
    }
}

/// Occupancy in parts per million: booked minutes over available minutes (0 when nothing
/// was available), rounded down.
pub fn occupancy_ppm(booked_minutes: i64, available_minutes: i64) -> i64 {
    if available_minutes <= 0 {
        return 0;
    }
    let ppm = i128::from(booked_minutes) * 1_000_000 / i128::from(available_minutes);
    i64::try_from(ppm).unwrap_or(i64::MAX)
}

/// The opening days in `[from, to]` (both included) on which a space is not let.
pub fn open_days_not_let(from: Date, to: Date, lettings: &[(Date, Date)]) -> i64 {
    let mut n = 0;
    let mut day = from;
    // Bounded: at most a few years of days.
    for _ in 0..(366 * 10) {
        if day > to {
            break;
        }
        if is_open_day(day) && !lettings.iter().any(|(s, e)| letting_holds(*s, *e, day)) {
            n += 1;
        }
        match day.tomorrow() {
            Ok(d) => day = d,
            Err(_) => break,
        }
    }
    n
}

/// What a letting earns in `[from, to]`: for each calendar month, the monthly rent times the
/// share of the month's days let, rounded half up to the cent.
pub fn letting_income(
    monthly_rent_cents: i64,
    starts_on: Date,
    ends_on: Date,
    from: Date,
    to: Date,
) -> i64 {
    let start = starts_on.max(from);
    let end = ends_on.min(to);
    if start > end {
        return 0;
    }
    let mut total: i64 = 0;
    let mut month = start.first_of_month();
    for _ in 0..(12 * 200) {
        if month > end {
            break;
        }
        let last = month.last_of_month();
        let a = start.max(month);
        let b = end.min(last);
        if a <= b {
            let days = i64::from(b.day() - a.day()) + 1;
            let in_month = i64::from(month.days_in_month());
            let num = i128::from(monthly_rent_cents) * i128::from(days);
            let den = i128::from(in_month);
            let share = (2 * num + den) / (2 * den);
            total = total.saturating_add(i64::try_from(share).unwrap_or(i64::MAX));
        }
        match last.tomorrow() {
            Ok(d) => month = d,
            Err(_) => break,
        }
    }
    total
}

// ------------------------------------------------------------------------------ forms

fn money_field(errors: &mut FieldErrors, field: &'static str, value: &str) -> i64 {
    if value.trim().is_empty() {
        errors.add(field, "required");
        return 0;
    }
    match parse_money(value) {
        Some(c) if (0..=MAX_PRICE_CENTS).contains(&c) => c,
        Some(_) => {
            errors.add(field, "places-amount-range");
            0
        }
        None => {
            errors.add(field, "format");
            0
        }
    }
}

fn whole_field(errors: &mut FieldErrors, field: &'static str, value: &str, max: i64) -> i64 {
    if value.trim().is_empty() {
        errors.add(field, "required");
        return 0;
    }
    let cleaned: String = value
        .trim()
        .chars()
        .filter(|c| *c != '.' && *c != ' ')
        .collect();
    match cleaned.parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => n,
        Ok(_) => {
            errors.add(field, "places-number-range");
            0
        }
        Err(_) => {
            errors.add(field, "format");
            0
        }
    }
}

fn date_field(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        errors.add(field, "required");
        return None;
    }
    match value.trim().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, "date");
            None
        }
    }
}

fn time_field(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<Time> {
    if value.trim().is_empty() {
        errors.add(field, "required");
        return None;
    }
    match value.trim().parse::<Time>() {
        Ok(t) => Some(t),
        Err(_) => {
            errors.add(field, "format");
            None
        }
    }
}

fn checked(value: &str) -> bool {
    matches!(value.trim(), "on" | "true" | "1" | "yes")
}

/// A site as typed in the facilities staff's form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SiteForm {
    pub places_site_name: String,
    pub places_street: String,
    pub places_postcode: String,
    pub places_city: String,
    pub places_surface: String,
    pub places_site_kind: String,
    pub places_office: String,
    pub places_shared: String,
    pub places_opened_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSite {
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub surface_m2: i64,
    pub kind: SiteKind,
    pub office_id: Option<i64>,
    pub shared_with_network: bool,
    pub opened_on: Date,
}

impl SiteForm {
    pub fn parse(&self) -> Result<NewSite, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.required("places_site_name", &self.places_site_name, MAX_NAME_CHARS);
        let street = e.required("places_street", &self.places_street, MAX_NAME_CHARS);
        let postcode = e.required("places_postcode", &self.places_postcode, 10);
        let belgian = postcode.len() == 4 && postcode.bytes().all(|b| b.is_ascii_digit());
        if !postcode.is_empty() && !belgian {
            e.add("places_postcode", "postcode");
        }
        let city = e.required("places_city", &self.places_city, MAX_NAME_CHARS);
        let surface_m2 = whole_field(
            &mut e,
            "places_surface",
            &self.places_surface,
            MAX_SURFACE_M2,
        );
        let kind = SiteKind::parse(&self.places_site_kind);
        if kind.is_none() {
            e.add("places_site_kind", "required");
        }
        let office_id = match self.places_office.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("places_office", "format");
                    None
                }
            },
        };
        let opened_on = date_field(&mut e, "places_opened_on", &self.places_opened_on);
        let shared_with_network = checked(&self.places_shared);
        e.into_result(|| NewSite {
            name,
            street,
            postcode,
            city,
            surface_m2,
            kind: kind.unwrap_or(SiteKind::Owned),
            office_id,
            shared_with_network,
            opened_on: opened_on.unwrap_or_default(),
        })
    }
}

/// A space as typed in the facilities staff's form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SpaceForm {
    pub places_site: String,
    pub places_space_name: String,
    pub places_space_kind: String,
    pub places_capacity: String,
    pub places_space_surface: String,
    pub places_equipment: String,
    pub places_member_hour: String,
    pub places_member_day: String,
    pub places_partner_hour: String,
    pub places_partner_day: String,
    pub places_bookable: String,
    pub places_active: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSpace {
    pub site_id: i64,
    pub name: String,
    pub kind: SpaceKind,
    pub capacity: i64,
    pub surface_m2: i64,
    pub equipment: String,
    pub prices: Prices,
    pub bookable: bool,
    pub active: bool,
}

impl SpaceForm {
    pub fn parse(&self) -> Result<NewSpace, FieldErrors> {
        let mut e = FieldErrors::new();
        let site_id = self.places_site.trim().parse::<i64>().ok();
        if site_id.is_none() {
            e.add("places_site", "required");
        }
        let name = e.required("places_space_name", &self.places_space_name, MAX_NAME_CHARS);
        let kind = SpaceKind::parse(&self.places_space_kind);
        if kind.is_none() {
            e.add("places_space_kind", "required");
        }
        let capacity = whole_field(
            &mut e,
            "places_capacity",
            &self.places_capacity,
            MAX_CAPACITY,
        );
        let surface_m2 = whole_field(
            &mut e,
            "places_space_surface",
            &self.places_space_surface,
            MAX_SURFACE_M2,
        );
        let equipment = e
            .optional("places_equipment", &self.places_equipment, MAX_TEXT_CHARS)
            .unwrap_or_default();
        let prices = Prices {
            member_hour_cents: money_field(&mut e, "places_member_hour", &self.places_member_hour),
            member_day_cents: money_field(&mut e, "places_member_day", &self.places_member_day),
            partner_hour_cents: money_field(
                &mut e,
                "places_partner_hour",
                &self.places_partner_hour,
            ),
            partner_day_cents: money_field(&mut e, "places_partner_day", &self.places_partner_day),
        };
        e.into_result(|| NewSpace {
            site_id: site_id.unwrap_or_default(),
            name,
            kind: kind.unwrap_or(SpaceKind::Workspace),
            capacity,
            surface_m2,
            equipment,
            prices,
            bookable: checked(&self.places_bookable),
            active: checked(&self.places_active),
        })
    }
}

/// A social-economy partner as typed in the facilities staff's form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PartnerForm {
    pub places_partner_name: String,
    pub places_enterprise_number: String,
    pub places_contact_name: String,
    pub places_contact_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPartner {
    pub name: String,
    /// Ten digits, no dots.
    pub enterprise_number: String,
    pub contact_name: String,
    pub contact_email: String,
}

impl PartnerForm {
    pub fn parse(&self) -> Result<NewPartner, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.required(
            "places_partner_name",
            &self.places_partner_name,
            MAX_NAME_CHARS,
        );
        let number = e.ident(
            "places_enterprise_number",
            &self.places_enterprise_number,
            EnterpriseNumber::parse,
        );
        let contact_name = e.required(
            "places_contact_name",
            &self.places_contact_name,
            MAX_NAME_CHARS,
        );
        let contact_email = e.email("places_contact_email", &self.places_contact_email);
        e.into_result(|| NewPartner {
            name,
            enterprise_number: number.map(|n| n.as_str().to_string()).unwrap_or_default(),
            contact_name,
            contact_email,
        })
    }
}

/// A letting as typed in the facilities staff's form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LettingForm {
    pub places_letting_space: String,
    pub places_partner: String,
    pub places_starts_on: String,
    pub places_ends_on: String,
    pub places_rent: String,
    pub places_contract_ref: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewLetting {
    pub space_id: i64,
    pub partner_id: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    pub monthly_rent_cents: i64,
    pub contract_ref: String,
}

impl LettingForm {
    pub fn parse(&self) -> Result<NewLetting, FieldErrors> {
        let mut e = FieldErrors::new();
        let space_id = self.places_letting_space.trim().parse::<i64>().ok();
        if space_id.is_none() {
            e.add("places_letting_space", "required");
        }
        let partner_id = self.places_partner.trim().parse::<i64>().ok();
        if partner_id.is_none() {
            e.add("places_partner", "required");
        }
        let starts_on = date_field(&mut e, "places_starts_on", &self.places_starts_on);
        let ends_on = date_field(&mut e, "places_ends_on", &self.places_ends_on);
        if let (Some(s), Some(t)) = (starts_on, ends_on)
            && t < s
        {
            e.add("places_ends_on", "places-ends-before-start");
        }
        let monthly_rent_cents = money_field(&mut e, "places_rent", &self.places_rent);
        let contract_ref = e.required("places_contract_ref", &self.places_contract_ref, 60);
        e.into_result(|| NewLetting {
            space_id: space_id.unwrap_or_default(),
            partner_id: partner_id.unwrap_or_default(),
            starts_on: starts_on.unwrap_or_default(),
            ends_on: ends_on.unwrap_or_default(),
            monthly_rent_cents,
            contract_ref,
        })
    }
}

/// A booking as typed on a space's page: a day and two Brussels times.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BookingForm {
    pub places_day: String,
    pub places_from: String,
    pub places_to: String,
    /// `member`, `activity` or `partner`.
    pub places_for: String,
    pub places_activity: String,
    pub places_booking_partner: String,
    pub places_purpose: String,
    pub places_persons: String,
}

/// A booking request, checked against the calendar's rules but not yet against the space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewBooking {
    pub day: Date,
    pub from: Time,
    pub to: Time,
    pub booked_for: BookedFor,
    pub activity_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub purpose: String,
    pub persons: i64,
}

impl NewBooking {
    /// Booked minutes.
    pub fn minutes(&self) -> i64 {
        let of = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
        of(self.to) - of(self.from)
    }

    /// `[from, to)` in Unix microseconds, Brussels time.
    pub fn instants(&self) -> Option<(i64, i64)> {
        let tz = jiff::tz::TimeZone::get("Europe/Brussels").ok()?;
        let a = self.day.to_datetime(self.from).to_zoned(tz.clone()).ok()?;
        let b = self.day.to_datetime(self.to).to_zoned(tz).ok()?;
        Some((
            a.timestamp().as_microsecond(),
            b.timestamp().as_microsecond(),
        ))
    }
}

impl BookingForm {
    /// Parses the form for a booking made on `today`. `staff`: the facilities staff may book
    /// for a partner and in the past (to record what happened); a member may not.
    pub fn parse(&self, today: Date, staff: bool) -> Result<NewBooking, FieldErrors> {
        let mut e = FieldErrors::new();
        let day = date_field(&mut e, "places_day", &self.places_day);
        let from = time_field(&mut e, "places_from", &self.places_from);
        let to = time_field(&mut e, "places_to", &self.places_to);
        if let Some(d) = day {
            if !is_open_day(d) {
                e.add("places_day", "places-closed-day");
            } else if !staff && d < today {
                e.add("places_day", "places-past");
            } else if (d - today).get_days() > MAX_DAYS_AHEAD as i32 {
                e.add("places_day", "places-too-far");
            }
        }
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                e.add("places_to", "places-ends-before-start");
            } else if f < OPENS_AT || t > CLOSES_AT {
                e.add("places_from", "places-opening-hours");
            } else if f.minute() % 15 != 0 || t.minute() % 15 != 0 {
                e.add("places_from", "places-quarter");
            }
        }
        let booked_for = match self.places_for.trim() {
            "" => Some(BookedFor::Member),
            s => BookedFor::parse(s),
        };
        let mut activity_id = None;
        let mut partner_id = None;
        match booked_for {
            None => e.add("places_for", "format"),
            Some(BookedFor::Partner) if !staff => e.add("places_for", "places-partner-staff"),
            Some(BookedFor::Partner) => {
                partner_id = self.places_booking_partner.trim().parse::<i64>().ok();
                if partner_id.is_none() {
                    e.add("places_booking_partner", "required");
                }
            }
            Some(BookedFor::Activity) => {
                activity_id = self.places_activity.trim().parse::<i64>().ok();
                if activity_id.is_none() {
                    e.add("places_activity", "required");
                }
            }
            Some(BookedFor::Member) => {}
        }
        let purpose = e.required("places_purpose", &self.places_purpose, MAX_NAME_CHARS);
        let persons = whole_field(&mut e, "places_persons", &self.places_persons, MAX_CAPACITY);
        e.into_result(|| NewBooking {
            day: day.unwrap_or_default(),
            from: from.unwrap_or(OPENS_AT),
            to: to.unwrap_or(CLOSES_AT),
            booked_for: booked_for.unwrap_or(BookedFor::Member),
            activity_id,
            partner_id,
            purpose,
            persons,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::{date, time};

    use super::*;

    #[test]
    fn back_to_back_intervals_do_not_overlap_but_any_shared_instant_does() {
        assert!(!overlaps(10, 20, 20, 30));
        assert!(!overlaps(20, 30, 10, 20));
        assert!(overlaps(10, 20, 19, 30));
        assert!(overlaps(10, 20, 12, 15));
        assert!(overlaps(12, 15, 10, 20));
        assert!(overlaps(10, 20, 10, 20));
        assert!(!overlaps(10, 20, 30, 40));
    }

    #[test]
    fn a_letting_holds_both_its_first_and_its_last_day() {
        let (s, e) = (date(2026, 1, 1), date(2026, 6, 30));
        assert!(letting_holds(s, e, s));
        assert!(letting_holds(s, e, e));
        assert!(!letting_holds(s, e, date(2026, 7, 1)));
        assert!(!letting_holds(s, e, date(2025, 12, 31)));
    }

    #[test]
    fn the_price_is_the_hours_or_the_day_when_cheaper() {
        // 3 h at 15 € = 45 €, under the 80 € day.
        assert_eq!(booking_price(180, 1_500, 8_000), 4_500);
        // 8 h at 15 € = 120 €: the day's 80 € is cheaper.
        assert_eq!(booking_price(480, 1_500, 8_000), 8_000);
        // A started quarter counts: 70 min = 5 quarters = 1 h 15 at 10 € = 12,50 €.
        assert_eq!(booking_price(70, 1_000, 8_000), 1_250);
        // Cents rounded up: 15 min at 10,01 € = 2,5025 € → 2,51 €.
        assert_eq!(booking_price(15, 1_001, 8_000), 251);
        assert_eq!(booking_price(0, 1_000, 8_000), 0);
    }

    #[test]
    fn partners_pay_the_partners_prices() {
        let p = Prices {
            member_hour_cents: 1_000,
            member_day_cents: 6_000,
            partner_hour_cents: 2_000,
            partner_day_cents: 12_000,
        };
        assert_eq!(p.price(BookedFor::Member, 120), 2_000);
        assert_eq!(p.price(BookedFor::Activity, 120), 2_000);
        assert_eq!(p.price(BookedFor::Partner, 120), 4_000);
        assert_eq!(p.price(BookedFor::Partner, 900), 12_000);
    }

    #[test]
    fn occupancy_is_booked_over_available_in_ppm() {
        assert_eq!(occupancy_ppm(450, 900), 500_000);
        assert_eq!(occupancy_ppm(1, 3), 333_333);
        assert_eq!(occupancy_ppm(10, 0), 0);
    }

    #[test]
    fn open_days_leave_out_sundays_and_days_let() {
        // 2026-11-23 is a Monday: Monday–Sunday gives 6 open days.
        let (mon, sun) = (date(2026, 11, 23), date(2026, 11, 29));
        assert_eq!(open_days_not_let(mon, sun, &[]), 6);
        let let_ = [(date(2026, 11, 24), date(2026, 11, 25))];
        assert_eq!(open_days_not_let(mon, sun, &let_), 4);
    }

    #[test]
    fn letting_income_is_prorated_by_the_days_of_each_month() {
        let y = (date(2026, 1, 1), date(2026, 12, 31));
        // A whole year: twelve rents.
        assert_eq!(
            letting_income(90_000, date(2025, 6, 1), date(2027, 5, 31), y.0, y.1),
            12 * 90_000
        );
        // From 16 June 2026 to 31 July: 15/30 of June + July.
        assert_eq!(
            letting_income(90_000, date(2026, 6, 16), date(2026, 7, 31), y.0, y.1),
            45_000 + 90_000
        );
        // Outside the year: nothing.
        assert_eq!(
            letting_income(90_000, date(2025, 1, 1), date(2025, 12, 31), y.0, y.1),
            0
        );
    }

    fn booking(day: &str, from: &str, to: &str) -> BookingForm {
        BookingForm {
            places_day: day.into(),
            places_from: from.into(),
            places_to: to.into(),
            places_purpose: "Réunion".into(),
            places_persons: "4".into(),
            ..BookingForm::default()
        }
    }

    #[test]
    fn a_booking_must_end_after_it_starts_within_the_opening_hours() {
        let today = date(2026, 11, 23);
        let ok = booking("2026-11-24", "09:00", "11:30")
            .parse(today, false)
            .unwrap();
        assert_eq!(ok.minutes(), 150);
        assert_eq!(ok.from, time(9, 0, 0, 0));
        let e = booking("2026-11-24", "11:00", "11:00")
            .parse(today, false)
            .unwrap_err();
        assert_eq!(e.get("places_to"), Some("places-ends-before-start"));
        let e = booking("2026-11-24", "06:00", "08:00")
            .parse(today, false)
            .unwrap_err();
        assert_eq!(e.get("places_from"), Some("places-opening-hours"));
        let e = booking("2026-11-29", "09:00", "10:00")
            .parse(today, false)
            .unwrap_err();
        assert_eq!(e.get("places_day"), Some("places-closed-day"));
    }

    #[test]
    fn members_cannot_book_the_past_nor_for_a_partner() {
        let today = date(2026, 11, 23);
        let e = booking("2026-11-20", "09:00", "10:00")
            .parse(today, false)
            .unwrap_err();
        assert_eq!(e.get("places_day"), Some("places-past"));
        assert!(
            booking("2026-11-20", "09:00", "10:00")
                .parse(today, true)
                .is_ok()
        );
        let mut f = booking("2026-11-24", "09:00", "10:00");
        f.places_for = "partner".into();
        f.places_booking_partner = "3".into();
        let e = f.parse(today, false).unwrap_err();
        assert_eq!(e.get("places_for"), Some("places-partner-staff"));
        let ok = f.parse(today, true).unwrap();
        assert_eq!(
            (ok.booked_for, ok.partner_id),
            (BookedFor::Partner, Some(3))
        );
    }

    #[test]
    fn brussels_times_become_instants_with_the_summer_offset() {
        let b = booking("2026-07-01", "09:00", "10:00")
            .parse(date(2026, 6, 1), false)
            .unwrap();
        let (from, to) = b.instants().unwrap();
        // 09:00 CEST = 07:00 UTC.
        assert_eq!(from, 1_782_889_200_000_000);
        assert_eq!(to - from, 3_600_000_000);
    }

    #[test]
    fn a_partner_needs_a_valid_enterprise_number() {
        let mut f = PartnerForm {
            places_partner_name: "Atelier Graphoui".into(),
            places_enterprise_number: "0202.239.951".into(),
            places_contact_name: "Anne".into(),
            places_contact_email: "anne@example.be".into(),
        };
        assert_eq!(f.parse().unwrap().enterprise_number, "0202239951");
        f.places_enterprise_number = "0202.239.952".into();
        assert_eq!(
            f.parse().unwrap_err().get("places_enterprise_number"),
            Some("checksum")
        );
    }

    #[test]
    fn a_space_needs_a_capacity_and_prices() {
        let f = SpaceForm {
            places_site: "1".into(),
            places_space_name: "Salle Jaune".into(),
            places_space_kind: "meeting-room".into(),
            places_capacity: "0".into(),
            places_space_surface: "40".into(),
            places_member_hour: "12".into(),
            places_member_day: "".into(),
            places_partner_hour: "18,50".into(),
            places_partner_day: "120".into(),
            ..SpaceForm::default()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.get("places_capacity"), Some("places-number-range"));
        assert_eq!(e.get("places_member_day"), Some("required"));
        assert_eq!(e.get("places_partner_hour"), None);
    }

    #[test]
    fn a_letting_ends_on_or_after_its_first_day() {
        let f = LettingForm {
            places_letting_space: "1".into(),
            places_partner: "2".into(),
            places_starts_on: "2026-03-01".into(),
            places_ends_on: "2026-02-28".into(),
            places_rent: "900".into(),
            places_contract_ref: "BAIL-1".into(),
        };
        assert_eq!(
            f.parse().unwrap_err().get("places_ends_on"),
            Some("places-ends-before-start")
        );
    }
}
