//! Places (C14): sites, spaces, partners, lettings and bookings. No double booking, on both
//! engines and under concurrency; a letting blocks bookings; the yearly figures against
//! independent counts.

use jiff::civil::{Date, Time, date, time};
use ruche_domain::places::{
    BookedFor, NewBooking, NewLetting, NewPartner, NewSite, NewSpace, Prices, SiteKind, SpaceKind,
};
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::places::{BookingFilter, PlaceConflict, REFUSED_CAPACITY, REFUSED_NOT_BOOKABLE};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures;

struct World {
    site: i64,
    room: i64,
    workspace: i64,
    partner: i64,
    member: i64,
}

fn site(name: &str, surface_m2: i64, shared: bool, opened_on: Date) -> NewSite {
    NewSite {
        name: name.into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        surface_m2,
        kind: SiteKind::Owned,
        office_id: None,
        shared_with_network: shared,
        opened_on,
    }
}

fn space(site_id: i64, name: &str, kind: SpaceKind, capacity: i64) -> NewSpace {
    NewSpace {
        site_id,
        name: name.into(),
        kind,
        capacity,
        surface_m2: 30,
        equipment: "Écran, tableau blanc".into(),
        prices: Prices {
            member_hour_cents: 1_000,
            member_day_cents: 6_000,
            partner_hour_cents: 2_000,
            partner_day_cents: 12_000,
        },
        bookable: true,
        active: true,
    }
}

async fn world(store: &Store) -> World {
    let ctx = fixtures::ctx();
    let s = store
        .save_site(&ctx, None, &site("Siège", 4_800, true, date(2020, 1, 1)))
        .await
        .unwrap();
    let room = store
        .save_space(
            &ctx,
            None,
            &space(s.id, "Salle Jaune", SpaceKind::MeetingRoom, 12),
        )
        .await
        .unwrap();
    let workspace = store
        .save_space(
            &ctx,
            None,
            &space(s.id, "Plateau 1", SpaceKind::Workspace, 8),
        )
        .await
        .unwrap();
    let partner = store
        .save_place_partner(
            &ctx,
            None,
            &NewPartner {
                name: "Atelier Graphoui".into(),
                enterprise_number: "0202239951".into(),
                contact_name: "Anne".into(),
                contact_email: "anne@example.be".into(),
            },
        )
        .await
        .unwrap();
    let member = fixtures::person(store, "Mia").await;
    World {
        site: s.id,
        room: room.id,
        workspace: workspace.id,
        partner: partner.id,
        member,
    }
}

fn slot(day: Date, from: Time, to: Time) -> NewBooking {
    NewBooking {
        day,
        from,
        to,
        booked_for: BookedFor::Member,
        activity_id: None,
        partner_id: None,
        purpose: "Réunion d'équipe".into(),
        persons: 4,
    }
}

pub async fn places_an_overlapping_booking_is_refused_naming_the_slot_back_to_back_is_not(
    store: &Store,
) {
    let w = world(store).await;
    let ctx = fixtures::ctx();
    let day = date(2026, 11, 24);
    let first = store
        .book_space(
            &ctx,
            w.room,
            Some(w.member),
            &slot(day, time(9, 0, 0, 0), time(11, 0, 0, 0)),
            None,
        )
        .await
        .unwrap()
        .unwrap();
    // 2 h for a member at 10 €/h.
    assert_eq!(first.price_cents, 2_000);
    assert_eq!(first.day, "2026-11-24");
    let refused = store
        .book_space(
            &ctx,
            w.room,
            Some(w.member),
            &slot(day, time(10, 30, 0, 0), time(12, 0, 0, 0)),
            None,
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        refused,
        PlaceConflict::Booking {
            id: first.id,
            starts_at: first.starts_at,
            ends_at: first.ends_at
        }
    );
    // Inside the other one, and around it: refused too.
    for (a, b) in [((9, 30), (10, 0)), ((8, 0), (12, 0))] {
        let s = slot(day, time(a.0, a.1, 0, 0), time(b.0, b.1, 0, 0));
        assert!(
            store
                .book_space(&ctx, w.room, Some(w.member), &s, None)
                .await
                .unwrap()
                .is_err()
        );
    }
    // Back to back on both sides: accepted (half-open intervals).
    let after = store
        .book_space(
            &ctx,
            w.room,
            Some(w.member),
            &slot(day, time(11, 0, 0, 0), time(12, 0, 0, 0)),
            None,
        )
        .await
        .unwrap();
    assert!(after.is_ok());
    let before = store
        .book_space(
            &ctx,
            w.room,
            Some(w.member),
            &slot(day, time(8, 0, 0, 0), time(9, 0, 0, 0)),
            None,
        )
        .await
        .unwrap();
    assert!(before.is_ok());
    // The same slot in another space: accepted.
    let other = store
        .book_space(
            &ctx,
            w.workspace,
            Some(w.member),
            &slot(day, time(9, 0, 0, 0), time(11, 0, 0, 0)),
            None,
        )
        .await
        .unwrap();
    assert!(other.is_ok());
    // Cancelled, the slot is free again; cancelling twice is refused.
    store.cancel_place_booking(&ctx, first.id, 1).await.unwrap();
    assert!(matches!(
        store.cancel_place_booking(&ctx, first.id, 2).await,
        Err(StoreError::Conflict(_))
    ));
    let again = store
        .book_space(
            &ctx,
            w.room,
            Some(w.member),
            &slot(day, time(9, 30, 0, 0), time(10, 30, 0, 0)),
            None,
        )
        .await
        .unwrap();
    assert!(again.is_ok());
    let calendar = store.place_calendar(w.room, day, day).await.unwrap();
    assert_eq!(calendar.len(), 3);
    assert!(calendar.windows(2).all(|p| p[0].ends_at <= p[1].starts_at));
    // Over capacity, or an inactive space: refused, nothing written.
    let mut crowd = slot(day, time(14, 0, 0, 0), time(15, 0, 0, 0));
    crowd.persons = 13;
    match store
        .book_space(&ctx, w.room, Some(w.member), &crowd, None)
        .await
    {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("places_persons"), Some(REFUSED_CAPACITY)),
        other => panic!("{other:?}"),
    }
    let mut closed = space(w.site, "Salle Jaune", SpaceKind::MeetingRoom, 12);
    closed.active = false;
    store.save_space(&ctx, Some(w.room), &closed).await.unwrap();
    match store
        .book_space(
            &ctx,
            w.room,
            Some(w.member),
            &slot(day, time(14, 0, 0, 0), time(15, 0, 0, 0)),
            None,
        )
        .await
    {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("places_day"), Some(REFUSED_NOT_BOOKABLE)),
        other => panic!("{other:?}"),
    }
    let mine = store
        .place_bookings(
            &BookingFilter {
                person_id: Some(w.member),
                booked_only: true,
                ..BookingFilter::default()
            },
            PageRequest::new(1, 50),
        )
        .await
        .unwrap();
    assert_eq!(mine.total, 4);
}

pub async fn places_a_letting_blocks_bookings_and_a_booking_blocks_a_letting(store: &Store) {
    let w = world(store).await;
    let ctx = fixtures::ctx();
    let letting = NewLetting {
        space_id: w.workspace,
        partner_id: w.partner,
        starts_on: date(2026, 1, 1),
        ends_on: date(2026, 12, 31),
        monthly_rent_cents: 90_000,
        contract_ref: "BAIL-2026-01".into(),
    };
    let l = store.let_space(&ctx, &letting).await.unwrap().unwrap();
    assert_eq!(l.partner_name, "Atelier Graphoui");
    // A booking on a day let: refused, naming the letting.
    let refused = store
        .book_space(
            &ctx,
            w.workspace,
            Some(w.member),
            &slot(date(2026, 12, 31), time(9, 0, 0, 0), time(10, 0, 0, 0)),
            None,
        )
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(refused, PlaceConflict::Letting { id, .. } if id == l.id));
    // The day after the letting ends: free.
    assert!(
        store
            .book_space(
                &ctx,
                w.workspace,
                Some(w.member),
                &slot(date(2027, 1, 2), time(9, 0, 0, 0), time(10, 0, 0, 0)),
                None
            )
            .await
            .unwrap()
            .is_ok()
    );
    // A second letting overlapping the first, or a letting over a booked day: refused.
    let mut second = letting.clone();
    second.starts_on = date(2026, 12, 1);
    second.ends_on = date(2027, 1, 1);
    assert!(matches!(
        store.let_space(&ctx, &second).await.unwrap(),
        Err(PlaceConflict::Letting { .. })
    ));
    second.starts_on = date(2027, 1, 1);
    second.ends_on = date(2027, 6, 30);
    assert!(matches!(
        store.let_space(&ctx, &second).await.unwrap(),
        Err(PlaceConflict::Booking { .. })
    ));
    second.starts_on = date(2027, 1, 3);
    assert!(store.let_space(&ctx, &second).await.unwrap().is_ok());
    // A partner's booking pays the partners' price: 8 h at 20 € = 160 €, the day's 120 €.
    let mut for_partner = slot(date(2026, 3, 3), time(9, 0, 0, 0), time(17, 0, 0, 0));
    for_partner.booked_for = BookedFor::Partner;
    for_partner.partner_id = Some(w.partner);
    let b = store
        .book_space(&ctx, w.room, None, &for_partner, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.price_cents, 12_000);
    assert_eq!(b.partner_name.as_deref(), Some("Atelier Graphoui"));
    // A duplicate enterprise number is refused.
    let dup = store
        .save_place_partner(
            &ctx,
            None,
            &NewPartner {
                name: "Autre".into(),
                enterprise_number: "0202239951".into(),
                contact_name: "X".into(),
                contact_email: "x@example.be".into(),
            },
        )
        .await;
    assert!(matches!(
        dup,
        Err(StoreError::Duplicate {
            field: "places_enterprise_number"
        })
    ));
}

pub async fn places_no_double_booking_under_concurrency(store: &Store) {
    let w = world(store).await;
    const TASKS: usize = 8;
    let day = date(2026, 11, 25);
    let mut handles = Vec::with_capacity(TASKS);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(TASKS));
    for i in 0..TASKS {
        let store = store.clone();
        let barrier = barrier.clone();
        let (room, member) = (w.room, w.member);
        // Every task wants an overlapping slot: 10:00–12:00, shifted by 0 or 15 minutes.
        let from = time(10, if i % 2 == 0 { 0 } else { 15 }, 0, 0);
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            store
                .book_space(
                    &fixtures::ctx(),
                    room,
                    Some(member),
                    &slot(day, from, time(12, 0, 0, 0)),
                    None,
                )
                .await
        }));
    }
    let mut booked = 0;
    let mut refused = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(Ok(_)) => booked += 1,
            Ok(Err(PlaceConflict::Booking { .. })) => refused += 1,
            other => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!((booked, refused), (1, TASKS - 1));
    let calendar = store.place_calendar(w.room, day, day).await.unwrap();
    assert_eq!(calendar.len(), 1);
}

pub async fn places_the_yearly_figures_equal_independent_counts(store: &Store) {
    let w = world(store).await;
    let ctx = fixtures::ctx();
    // A second site, not shared, opened in 2026; a third one opened after the year.
    let annex = store
        .save_site(&ctx, None, &site("Annexe", 1_200, false, date(2026, 3, 1)))
        .await
        .unwrap();
    store
        .save_site(&ctx, None, &site("Futur", 900, true, date(2027, 2, 1)))
        .await
        .unwrap();
    let studio = store
        .save_space(&ctx, None, &space(annex.id, "Studio", SpaceKind::Studio, 5))
        .await
        .unwrap();
    // Lettings: one over the whole of 2026 (12 × 900 €), one from 16 June to 31 July 2026
    // (half of June + July of 600 €), one in 2025 only.
    let lettings = [
        (w.workspace, date(2025, 7, 1), date(2027, 6, 30), 90_000),
        (studio.id, date(2026, 6, 16), date(2026, 7, 31), 60_000),
        (studio.id, date(2025, 1, 1), date(2025, 12, 31), 60_000),
    ];
    for (i, (space_id, s, e, rent)) in lettings.iter().enumerate() {
        store
            .let_space(
                &ctx,
                &NewLetting {
                    space_id: *space_id,
                    partner_id: w.partner,
                    starts_on: *s,
                    ends_on: *e,
                    monthly_rent_cents: *rent,
                    contract_ref: format!("BAIL-{i}"),
                },
            )
            .await
            .unwrap()
            .unwrap();
    }
    // Bookings: three in 2026 (2 h, 1 h 30, 3 h), one cancelled, one in 2025.
    let book = |day: Date, from: Time, to: Time| {
        let store = store.clone();
        let s = slot(day, from, to);
        async move {
            store
                .book_space(&fixtures::ctx(), w.room, Some(w.member), &s, None)
                .await
                .unwrap()
                .unwrap()
        }
    };
    book(date(2026, 2, 3), time(9, 0, 0, 0), time(11, 0, 0, 0)).await;
    book(date(2026, 5, 5), time(14, 0, 0, 0), time(15, 30, 0, 0)).await;
    book(date(2026, 12, 31), time(18, 0, 0, 0), time(21, 0, 0, 0)).await;
    let cancelled = book(date(2026, 6, 6), time(9, 0, 0, 0), time(10, 0, 0, 0)).await;
    store
        .cancel_place_booking(&ctx, cancelled.id, 1)
        .await
        .unwrap();
    book(date(2025, 12, 31), time(9, 0, 0, 0), time(10, 0, 0, 0)).await;

    let f = store
        .section_figures(FigureSection::Places, 2026)
        .await
        .unwrap();
    assert!(f.available);
    let value = |key: &str| f.figure(key).unwrap().value;
    assert_eq!(value("places-sites"), FigureValue::Count(2));
    assert_eq!(value("places-surface"), FigureValue::Count(4_800 + 1_200));
    assert_eq!(value("places-shared-surface"), FigureValue::Count(4_800));
    assert_eq!(value("places-spaces"), FigureValue::Count(3));
    assert_eq!(value("places-bookings"), FigureValue::Count(3));
    assert_eq!(
        value("places-booked-time"),
        FigureValue::Minutes(120 + 90 + 180)
    );
    assert_eq!(value("places-lettings"), FigureValue::Count(2));
    assert_eq!(value("places-partners-letting"), FigureValue::Count(1));
    assert_eq!(
        value("places-letting-income"),
        FigureValue::Cents(12 * 90_000 + 30_000 + 60_000)
    );
    // Occupancy, counted by hand: 2026 has 365 days, 52 Sundays (1 Jan 2026 is a Thursday,
    // so 4 Jan is the first Sunday; 27 Dec the 52nd): 313 open days. The room is open all of
    // them; the workspace is let the whole year (nothing available); the studio's site
    // opened on 1 March (306 − 44 Sundays… counted below) and it is let 16 June–31 July.
    let open_days = |from: Date, to: Date| {
        let mut n = 0;
        let mut d = from;
        while d <= to {
            if d.weekday() != jiff::civil::Weekday::Sunday {
                n += 1;
            }
            d = d.tomorrow().unwrap();
        }
        n
    };
    assert_eq!(open_days(date(2026, 1, 1), date(2026, 12, 31)), 313);
    let studio_days = open_days(date(2026, 3, 1), date(2026, 12, 31))
        - open_days(date(2026, 6, 16), date(2026, 7, 31));
    let available = (313 + studio_days) * 900;
    let ppm = (120 + 90 + 180) * 1_000_000 / available;
    assert_eq!(value("places-occupancy"), FigureValue::Percent { ppm });
    let occupancy = store
        .place_occupancy(date(2026, 1, 1), date(2026, 12, 31))
        .await
        .unwrap();
    assert_eq!(occupancy.available_minutes, available);
    assert_eq!(occupancy.sites.len(), 2);
    // A year with nothing: unavailable.
    let empty = store
        .section_figures(FigureSection::Places, 2019)
        .await
        .unwrap();
    assert!(!empty.available);
}
