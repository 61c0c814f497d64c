//! Demo places (C14): the head office in Brussels (4,800 m²) and six other sites of the
//! network (the surface shared with the network is above 8,700 m²), about twenty-five spaces,
//! five workspaces for 5 to 8 people let to five social-economy partners, and bookings over
//! the last year and the coming four weeks by members, for activities and for partners. The
//! meeting room "Salle Verte" of the head office is left free for the browser journey.
//! Skipped when a site exists.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use ruche_domain::places::{
    BookedFor, NewBooking, NewLetting, NewSite, NewSpace, PartnerForm, Prices, SiteKind, SpaceKind,
    is_open_day,
};
use ruche_store::activities::ActivityFilter;
use ruche_store::persons::PersonFilter;
use ruche_store::{AuditContext, PageRequest, Store};

/// The meeting room the browser journey books: no demo booking in it.
pub const FREE_ROOM: &str = "Salle Verte";

struct SiteSeed {
    name: &'static str,
    street: &'static str,
    postcode: &'static str,
    city: &'static str,
    surface_m2: i64,
    kind: SiteKind,
    office: Option<&'static str>,
    shared: bool,
    opened: (i16, i8, i8),
}

const SITES: [SiteSeed; 7] = [
    SiteSeed {
        name: "Siège — Bruxelles",
        street: "Rue Coenraets 72",
        postcode: "1060",
        city: "Saint-Gilles",
        surface_m2: 4_800,
        kind: SiteKind::Owned,
        office: Some("Bruxelles"),
        shared: true,
        opened: (2012, 9, 1),
    },
    SiteSeed {
        name: "Wijkhuis Gent",
        street: "Dok-Noord 7",
        postcode: "9000",
        city: "Gent",
        surface_m2: 1_250,
        kind: SiteKind::Rented,
        office: Some("Gent"),
        shared: true,
        opened: (2016, 3, 1),
    },
    SiteSeed {
        name: "Ateliers de Liège",
        street: "Rue Saint-Gilles 221",
        postcode: "4000",
        city: "Liège",
        surface_m2: 950,
        kind: SiteKind::Rented,
        office: Some("Liège"),
        shared: true,
        opened: (2017, 1, 15),
    },
    SiteSeed {
        name: "Studio Charleroi",
        street: "Boulevard Tirou 130",
        postcode: "6000",
        city: "Charleroi",
        surface_m2: 620,
        kind: SiteKind::Network,
        office: Some("Charleroi"),
        shared: true,
        opened: (2019, 5, 1),
    },
    SiteSeed {
        name: "La Fabrique — Namur",
        street: "Rue de Fer 38",
        postcode: "5000",
        city: "Namur",
        surface_m2: 680,
        kind: SiteKind::Network,
        office: Some("Namur"),
        shared: true,
        opened: (2020, 10, 1),
    },
    SiteSeed {
        name: "Pakhuis Antwerpen",
        street: "Kattendijkdok-Westkaai 104",
        postcode: "2000",
        city: "Antwerpen",
        surface_m2: 540,
        kind: SiteKind::Rented,
        office: Some("Antwerpen"),
        shared: true,
        opened: (2021, 2, 1),
    },
    SiteSeed {
        name: "Dépôt Anderlecht",
        street: "Rue Wayez 12",
        postcode: "1070",
        city: "Anderlecht",
        surface_m2: 400,
        kind: SiteKind::Owned,
        office: None,
        shared: false,
        opened: (2018, 6, 1),
    },
];

/// (site index, name, kind, capacity, surface m², equipment, member €/h, member €/day).
/// Partners pay half as much again.
type SpaceSeed = (
    usize,
    &'static str,
    SpaceKind,
    i64,
    i64,
    &'static str,
    i64,
    i64,
);

const SPACES: [SpaceSeed; 25] = [
    (
        0,
        "Plateau A",
        SpaceKind::Workspace,
        6,
        48,
        "6 bureaux, armoires, fibre",
        0,
        0,
    ),
    (
        0,
        "Plateau B",
        SpaceKind::Workspace,
        5,
        40,
        "5 bureaux, armoires, fibre",
        0,
        0,
    ),
    (
        0,
        "Plateau C",
        SpaceKind::Workspace,
        8,
        64,
        "8 bureaux, salle de pause, fibre",
        0,
        0,
    ),
    (
        0,
        "Plateau D",
        SpaceKind::Workspace,
        7,
        56,
        "7 bureaux, armoires, fibre",
        0,
        0,
    ),
    (
        0,
        "Plateau E",
        SpaceKind::Workspace,
        5,
        42,
        "5 bureaux, fibre",
        0,
        0,
    ),
    (
        0,
        "Salle Jaune",
        SpaceKind::MeetingRoom,
        12,
        35,
        "Écran 75\", visioconférence, tableau blanc",
        12,
        70,
    ),
    (
        0,
        "Salle Bleue",
        SpaceKind::MeetingRoom,
        20,
        55,
        "Projecteur, sonorisation, paperboard",
        18,
        100,
    ),
    (
        0,
        FREE_ROOM,
        SpaceKind::MeetingRoom,
        8,
        22,
        "Écran 55\", tableau blanc",
        10,
        55,
    ),
    (
        0,
        "Grande salle",
        SpaceKind::Workshop,
        80,
        220,
        "Scène, gradins, régie son et lumière",
        45,
        280,
    ),
    (
        0,
        "Studio son",
        SpaceKind::Studio,
        4,
        28,
        "Cabine insonorisée, console 24 pistes",
        20,
        120,
    ),
    (
        0,
        "Réserve 1",
        SpaceKind::Storage,
        1,
        30,
        "Rayonnages, accès quai",
        3,
        15,
    ),
    (
        1,
        "Vergaderzaal Leie",
        SpaceKind::MeetingRoom,
        14,
        38,
        "Scherm, whiteboard",
        12,
        70,
    ),
    (
        1,
        "Atelier Schelde",
        SpaceKind::Workshop,
        25,
        120,
        "Werkbanken, krachtstroom",
        20,
        120,
    ),
    (
        1,
        "Coworking Dok",
        SpaceKind::Workspace,
        16,
        90,
        "Flexplekken, lockers",
        6,
        25,
    ),
    (
        2,
        "Salle Meuse",
        SpaceKind::MeetingRoom,
        10,
        30,
        "Écran, visioconférence",
        10,
        60,
    ),
    (
        2,
        "Atelier céramique",
        SpaceKind::Workshop,
        12,
        85,
        "Tours, four 1 300 °C",
        15,
        90,
    ),
    (
        2,
        "Studio photo",
        SpaceKind::Studio,
        6,
        60,
        "Fond cyclo, flashs",
        18,
        110,
    ),
    (
        3,
        "Plateau danse",
        SpaceKind::Studio,
        20,
        140,
        "Plancher, miroirs, barres",
        15,
        90,
    ),
    (
        3,
        "Salle Sambre",
        SpaceKind::MeetingRoom,
        10,
        28,
        "Écran, paperboard",
        9,
        50,
    ),
    (
        4,
        "Atelier bois",
        SpaceKind::Workshop,
        10,
        110,
        "Scie à format, raboteuse, établis",
        16,
        95,
    ),
    (
        4,
        "Salle Confluent",
        SpaceKind::MeetingRoom,
        16,
        45,
        "Projecteur, tableau blanc",
        11,
        65,
    ),
    (
        5,
        "Repetitiekot",
        SpaceKind::Studio,
        8,
        45,
        "Backline, PA",
        14,
        80,
    ),
    (
        5,
        "Vergaderzaal Haven",
        SpaceKind::MeetingRoom,
        12,
        32,
        "Scherm, visioconferentie",
        11,
        65,
    ),
    (
        6,
        "Stock décors",
        SpaceKind::Storage,
        1,
        250,
        "Hauteur 6 m, transpalette",
        4,
        20,
    ),
    (
        6,
        "Stock matériel",
        SpaceKind::Storage,
        1,
        120,
        "Rayonnages sécurisés",
        3,
        15,
    ),
];

/// (name, enterprise number, contact, e-mail, workspace, monthly rent €).
const PARTNERS: [(&str, &str, &str, &str, &str, i64); 5] = [
    (
        "Les Ateliers du Midi ASBL",
        "0845.123.683",
        "Nadia Benali",
        "contact@ateliersdumidi.be",
        "Plateau A",
        780,
    ),
    (
        "Coopérative Terre d'Ici SC",
        "0457.889.686",
        "Pierre Lambert",
        "bonjour@terredici.coop",
        "Plateau B",
        650,
    ),
    (
        "Vzw Samen Sterk",
        "0871.234.697",
        "Els Peeters",
        "info@samensterk.be",
        "Plateau C",
        1_040,
    ),
    (
        "Repair Café Bruxelles ASBL",
        "0533.217.611",
        "Karim El Idrissi",
        "hello@repaircafe.brussels",
        "Plateau D",
        910,
    ),
    (
        "Energie Partagée SCRL-FS",
        "0629.845.645",
        "Sophie Dumont",
        "equipe@energiepartagee.be",
        "Plateau E",
        650,
    ),
];

fn system() -> AuditContext {
    AuditContext::system()
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if !store.place_sites().await?.is_empty() {
        return Ok(());
    }
    let ctx = system();
    let offices = store
        .offices(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?
        .items;
    let mut site_ids = Vec::with_capacity(SITES.len());
    for s in &SITES {
        let office_id = s
            .office
            .and_then(|name| offices.iter().find(|o| o.name == name).map(|o| o.id));
        let (y, m, d) = s.opened;
        let site = store
            .save_site(
                &ctx,
                None,
                &NewSite {
                    name: s.name.into(),
                    street: s.street.into(),
                    postcode: s.postcode.into(),
                    city: s.city.into(),
                    surface_m2: s.surface_m2,
                    kind: s.kind,
                    office_id,
                    shared_with_network: s.shared,
                    opened_on: Date::new(y, m, d)?,
                },
            )
            .await?;
        site_ids.push(site.id);
    }
    let mut spaces = Vec::with_capacity(SPACES.len());
    for (site, name, kind, capacity, surface_m2, equipment, hour, day) in SPACES {
        let let_out = kind == SpaceKind::Workspace && site == 0;
        let space = store
            .save_space(
                &ctx,
                None,
                &NewSpace {
                    site_id: site_ids[site],
                    name: name.into(),
                    kind,
                    capacity,
                    surface_m2,
                    equipment: equipment.into(),
                    prices: Prices {
                        member_hour_cents: hour * 100,
                        member_day_cents: day * 100,
                        partner_hour_cents: hour * 150,
                        partner_day_cents: day * 150,
                    },
                    // The workspaces let to partners are not open to bookings.
                    bookable: !let_out,
                    active: true,
                },
            )
            .await?;
        spaces.push((space.id, name, kind));
    }
    let space_id = |name: &str| {
        spaces
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(id, _, _)| *id)
            .ok_or_else(|| anyhow!("demo space {name}"))
    };

    // The five partners and their lettings: from two years ago to the end of next year.
    let starts_on = Date::new(today.year() - 2, 1, 1)?;
    let ends_on = Date::new(today.year() + 1, 12, 31)?;
    let mut partner_ids = Vec::with_capacity(PARTNERS.len());
    for (i, (name, number, contact, email, workspace, rent)) in PARTNERS.iter().enumerate() {
        let parsed = PartnerForm {
            places_partner_name: (*name).into(),
            places_enterprise_number: (*number).into(),
            places_contact_name: (*contact).into(),
            places_contact_email: (*email).into(),
        }
        .parse()
        .map_err(|e| anyhow!("demo partner {name}: {e}"))?;
        let partner = store.save_place_partner(&ctx, None, &parsed).await?;
        partner_ids.push(partner.id);
        store
            .let_space(
                &ctx,
                &NewLetting {
                    space_id: space_id(workspace)?,
                    partner_id: partner.id,
                    starts_on,
                    ends_on,
                    monthly_rent_cents: rent * 100,
                    contract_ref: format!("BAIL-{}-{:02}", starts_on.year(), i + 1),
                },
            )
            .await?
            .map_err(|c| anyhow!("demo letting {name}: {c:?}"))?;
    }

    // The people who book: membre@, lid@ and the first demo members; some book for the
    // activity they hold.
    let mut people: Vec<(i64, Option<i64>)> = Vec::new();
    for email in ["membre@demo.ruche.coop", "lid@demo.ruche.coop"] {
        if let Some(a) = store.account_by_email(email).await? {
            people.push((a.person_id, None));
        }
    }
    let others = store
        .persons(&PersonFilter::default(), PageRequest::new(1, 40))
        .await?;
    people.extend(others.items.iter().map(|p| (p.id, None)));
    for p in &mut people {
        let held = store
            .activities(
                &ActivityFilter {
                    holder: Some(p.0),
                    ..Default::default()
                },
                PageRequest::new(1, 1),
            )
            .await?;
        p.1 = held.items.first().map(|a| a.id);
    }
    if people.is_empty() {
        return Ok(());
    }

    // Bookings: on every bookable space but the journey's room, from a year ago to four
    // weeks ahead, on a deterministic pattern (two or three slots a week per space).
    let purposes = [
        "Réunion d'équipe",
        "Répétition",
        "Atelier participatif",
        "Formation",
        "Rencontre clients",
        "Assemblée de projet",
        "Tournage",
    ];
    let slots: [(i8, i8, i8, i8); 5] = [
        (9, 0, 11, 0),
        (10, 0, 12, 30),
        (13, 30, 17, 0),
        (14, 0, 16, 0),
        (18, 0, 21, 0),
    ];
    let first = today.checked_sub(365.days())?;
    let last = today.checked_add(28.days())?;
    let bookable: Vec<(i64, SpaceKind, i64)> = SPACES
        .iter()
        .zip(&spaces)
        .filter(|((site, name, kind, ..), _)| {
            !(*kind == SpaceKind::Workspace && *site == 0) && *name != FREE_ROOM
        })
        .map(|((_, _, kind, capacity, ..), (id, _, _))| (*id, *kind, *capacity))
        .collect();
    let mut day = first;
    let mut n: usize = 0;
    // Bounded: 394 days.
    for _ in 0..400 {
        if day > last {
            break;
        }
        if is_open_day(day) {
            for (k, (space, kind, capacity)) in bookable.iter().enumerate() {
                let ordinal = usize::try_from(day.day_of_year()).unwrap_or(0);
                // Two or three days a week per space, fewer for storage.
                let every = if *kind == SpaceKind::Storage { 9 } else { 3 };
                if !(ordinal + k * 7).is_multiple_of(every) {
                    continue;
                }
                n += 1;
                let (h1, m1, h2, m2) = slots[(ordinal + k) % slots.len()];
                let (person, activity) = people[n % people.len()];
                let partner = n
                    .is_multiple_of(11)
                    .then(|| partner_ids[n % partner_ids.len()]);
                let booked_for = match (partner, activity) {
                    (Some(_), _) => BookedFor::Partner,
                    (None, Some(_)) if n.is_multiple_of(3) => BookedFor::Activity,
                    _ => BookedFor::Member,
                };
                let new = NewBooking {
                    day,
                    from: Time::new(h1, m1, 0, 0)?,
                    to: Time::new(h2, m2, 0, 0)?,
                    booked_for,
                    activity_id: (booked_for == BookedFor::Activity)
                        .then_some(activity)
                        .flatten(),
                    partner_id: partner,
                    purpose: purposes[n % purposes.len()].into(),
                    persons: (*capacity).min(2 + i64::try_from(n % 6).unwrap_or(0)),
                };
                // A conflict cannot happen on this pattern (one slot a day per space);
                // should it, the slot is skipped.
                let booked = store
                    .book_space(&ctx, *space, Some(person), &new, None)
                    .await?;
                // Now and then a booking is cancelled.
                if let Ok(b) = booked
                    && n.is_multiple_of(25)
                {
                    store.cancel_place_booking(&ctx, b.id, b.created_at).await?;
                }
            }
        }
        day = day.tomorrow()?;
    }
    Ok(())
}
