//! The places (C14), written through the places store as demo_places.rs does: the head
//! office in Brussels (4,800 m²) and six other sites, opened before the year (the surface
//! shared with the network is 8,840 m², above 8,700); three meeting rooms at the head office
//! and two spaces on every other site; five workspaces for 5 to 8 people at the head office
//! let to five partners for the whole year; bookings by members, scaled (6,000 in the
//! reference year, ruche's choice; at least one).

use anyhow::{Result, anyhow};
use jiff::civil::{Date, Time};
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::places::{
    BookedFor, NewBooking, NewLetting, NewSite, NewSpace, PartnerForm, Prices, SiteKind, SpaceKind,
    is_open_day,
};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::scaled;
use super::{Progress, Summary, set_clock};

/// (name, street, postcode, city, m², kind, shared with the network).
type SiteSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    SiteKind,
    bool,
);
const SITES: [SiteSeed; 7] = [
    (
        "Siège — Bruxelles",
        "Rue Coenraets 72",
        "1060",
        "Saint-Gilles",
        4_800,
        SiteKind::Owned,
        true,
    ),
    (
        "Wijkhuis Gent",
        "Dok-Noord 7",
        "9000",
        "Gent",
        1_250,
        SiteKind::Rented,
        true,
    ),
    (
        "Ateliers de Liège",
        "Rue Saint-Gilles 221",
        "4000",
        "Liège",
        950,
        SiteKind::Rented,
        true,
    ),
    (
        "Studio Charleroi",
        "Boulevard Tirou 130",
        "6000",
        "Charleroi",
        620,
        SiteKind::Network,
        true,
    ),
    (
        "La Fabrique — Namur",
        "Rue de Fer 38",
        "5000",
        "Namur",
        680,
        SiteKind::Network,
        true,
    ),
    (
        "Pakhuis Antwerpen",
        "Kattendijkdok-Westkaai 104",
        "2000",
        "Antwerpen",
        540,
        SiteKind::Rented,
        true,
    ),
    (
        "Dépôt Anderlecht",
        "Rue Wayez 12",
        "1070",
        "Anderlecht",
        400,
        SiteKind::Owned,
        false,
    ),
];
/// The five partners (name, enterprise number, contact, e-mail, monthly rent in euros).
const PARTNERS: [(&str, &str, &str, &str, i64); 5] = [
    (
        "Les Ateliers du Midi ASBL",
        "0845.123.683",
        "Nadia Benali",
        "contact@ateliersdumidi.be",
        780,
    ),
    (
        "Coopérative Terre d'Ici SC",
        "0457.889.686",
        "Pierre Lambert",
        "bonjour@terredici.coop",
        820,
    ),
    (
        "Vzw Samen Sterk",
        "0871.234.697",
        "Els Peeters",
        "info@samensterk.be",
        690,
    ),
    (
        "Repair Café Bruxelles ASBL",
        "0533.217.611",
        "Karim El Idrissi",
        "hello@repaircafe.brussels",
        610,
    ),
    (
        "Energie Partagée SCRL-FS",
        "0629.845.645",
        "Sophie Dumont",
        "equipe@energiepartagee.be",
        900,
    ),
];
/// Bookings of the reference year.
const BOOKINGS: i64 = 6_000;
/// Three slots a day that never overlap: (from, to) hours and minutes.
const SLOTS: [(i8, i8, i8, i8); 3] = [(9, 0, 11, 0), (13, 30, 17, 0), (18, 0, 21, 0)];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let year = coop.year;
    let opened = Date::new(year - 1, 6, 1)?;
    set_clock(opened, 9)?;
    progress.phase("places", u64::try_from(scaled(BOOKINGS, scale, 1))?);
    let mut bookable = Vec::new();
    let mut workspaces = Vec::new();
    for (i, (name, street, postcode, city, surface_m2, kind, shared)) in
        SITES.into_iter().enumerate()
    {
        let site = store
            .save_site(
                &ctx,
                None,
                &NewSite {
                    name: name.into(),
                    street: street.into(),
                    postcode: postcode.into(),
                    city: city.into(),
                    surface_m2,
                    kind,
                    office_id: None,
                    shared_with_network: shared,
                    opened_on: opened,
                },
            )
            .await?;
        summary.place_sites += 1;
        let mut spaces: Vec<(String, SpaceKind, i64, bool)> = Vec::new();
        if i == 0 {
            for w in 0..5 {
                let letter = char::from(b'A' + u8::try_from(w)?);
                spaces.push((
                    format!("Plateau {letter}"),
                    SpaceKind::Workspace,
                    5 + w.min(3),
                    false,
                ));
            }
            for r in ["Salle Verte", "Salle Bleue", "Salle Rouge"] {
                spaces.push((r.into(), SpaceKind::MeetingRoom, 12, true));
            }
        } else {
            spaces.push((format!("Atelier {city}"), SpaceKind::Workshop, 10, true));
            spaces.push((format!("Salle {city}"), SpaceKind::MeetingRoom, 8, true));
        }
        for (space_name, space_kind, capacity, open) in spaces {
            let space = store
                .save_space(
                    &ctx,
                    None,
                    &NewSpace {
                        site_id: site.id,
                        name: space_name,
                        kind: space_kind,
                        capacity,
                        surface_m2: 40,
                        equipment: "Tables, chaises, écran".into(),
                        prices: Prices {
                            member_hour_cents: 1_000,
                            member_day_cents: 6_000,
                            partner_hour_cents: 1_500,
                            partner_day_cents: 9_000,
                        },
                        // The workspaces let to partners are not open to bookings.
                        bookable: open,
                        active: true,
                    },
                )
                .await?;
            summary.place_spaces += 1;
            if open {
                bookable.push((space.id, capacity));
            } else {
                workspaces.push(space.id);
            }
        }
    }
    // The five workspaces let to the five partners for the whole year.
    for (i, (name, number, contact, email, rent)) in PARTNERS.into_iter().enumerate() {
        let parsed = PartnerForm {
            places_partner_name: name.into(),
            places_enterprise_number: number.into(),
            places_contact_name: contact.into(),
            places_contact_email: email.into(),
        }
        .parse()
        .map_err(|e| anyhow!("partner {name}: {e}"))?;
        let partner = store.save_place_partner(&ctx, None, &parsed).await?;
        store
            .let_space(
                &ctx,
                &NewLetting {
                    space_id: workspaces[i],
                    partner_id: partner.id,
                    starts_on: Date::new(year, 1, 1)?,
                    ends_on: Date::new(year, 12, 31)?,
                    monthly_rent_cents: rent * 100,
                    contract_ref: format!("BAIL-{year}-{:02}", i + 1),
                },
            )
            .await?
            .map_err(|c| anyhow!("letting to {name}: {c:?}"))?;
        summary.place_lettings += 1;
    }
    // Bookings: booking k takes day k % days_used and the (space, slot) k / days_used, so
    // that no two bookings meet; the days used are spread evenly over the year's open days.
    let open_days: Vec<Date> = (0..super::days_in(year))
        .map(|d| super::day_of(year, d))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter(|d| is_open_day(*d))
        .collect();
    let per_day = i64::try_from(bookable.len() * SLOTS.len())?;
    let total = scaled(BOOKINGS, scale, 1).min(per_day * i64::try_from(open_days.len())?);
    // As many days as bookings, up to every open day of the year.
    let days_used = total.min(i64::try_from(open_days.len())?).max(1);
    let step = i64::try_from(open_days.len())? / days_used;
    for k in 0..total {
        let day = open_days[usize::try_from((k % days_used) * step)?];
        let place = usize::try_from(k / days_used)?;
        let (space, capacity) = bookable[place % bookable.len()];
        let (h1, m1, h2, m2) = SLOTS[place / bookable.len()];
        let member = &coop.members[rng.random_range(0..coop.members.len())];
        let new = NewBooking {
            day,
            from: Time::new(h1, m1, 0, 0)?,
            to: Time::new(h2, m2, 0, 0)?,
            booked_for: BookedFor::Member,
            activity_id: None,
            partner_id: None,
            purpose: "Réunion de projet".into(),
            persons: capacity.min(rng.random_range(2..=8)),
        };
        set_clock(day.saturating_sub(jiff::Span::new().days(7)), 10)?;
        let b = store
            .book_space(&ctx, space, Some(member.person_id), &new, None)
            .await?
            .map_err(|c| anyhow!("booking on {day}: {c:?}"))?;
        summary.place_bookings += 1;
        summary.place_booked_minutes += (b.ends_at - b.starts_at) / 60_000_000;
        progress.advance(1);
    }
    progress.finish("bookings");
    Ok(())
}
