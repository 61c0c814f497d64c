//! Places (C14) over HTTP: a member books a space from its page and an overlapping slot is
//! refused naming the booking it overlaps; a member cannot edit a space nor book for a
//! partner; the facilities staff book for a partner (partners' price, the partner's contact
//! told through the outbox); the API lists, tells a day's availability, books and cancels.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};
use ruche_domain::places::{NewPartner, NewSite, NewSpace, Prices, SiteKind, SpaceKind};
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::{AuditContext, PageRequest};

use crate::api::token_of;
use crate::app::{PASSWORD, TestApp, location};

/// Adds an account with `role` (the usage contract in force accepted).
async fn add_account(app: &TestApp, email: &str, role: Role) {
    let ctx = AuditContext::system();
    let person = ruche_domain::person::PersonForm {
        first_name: "Lieux".into(),
        last_name: email.into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let hash = ruche_web::auth::password::hash_now(PASSWORD).unwrap();
    let (_, account) = app
        .store
        .create_person_with_account(
            &ctx,
            &person,
            &NewAccount {
                email: email.into(),
                password_hash: hash,
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap();
    let versions = app.store.usage_contract_versions().await.unwrap();
    app.store
        .accept_usage_contract(&ctx, account.id, versions[0].id)
        .await
        .unwrap();
}

struct Places {
    room: i64,
    partner: i64,
}

async fn setup() -> (TestApp, Places) {
    let app = TestApp::spawn().await;
    add_account(&app, "lieux@test.be", Role::Facilities).await;
    let ctx = AuditContext::system();
    let site = app
        .store
        .save_site(
            &ctx,
            None,
            &NewSite {
                name: "Siège".into(),
                street: "Rue Coenraets 72".into(),
                postcode: "1060".into(),
                city: "Saint-Gilles".into(),
                surface_m2: 4_800,
                kind: SiteKind::Owned,
                office_id: None,
                shared_with_network: true,
                opened_on: date(2012, 9, 1),
            },
        )
        .await
        .unwrap();
    let room = app
        .store
        .save_space(
            &ctx,
            None,
            &NewSpace {
                site_id: site.id,
                name: "Salle Verte".into(),
                kind: SpaceKind::MeetingRoom,
                capacity: 8,
                surface_m2: 22,
                equipment: "Écran, tableau blanc".into(),
                prices: Prices {
                    member_hour_cents: 1_000,
                    member_day_cents: 5_500,
                    partner_hour_cents: 1_500,
                    partner_day_cents: 8_250,
                },
                bookable: true,
                active: true,
            },
        )
        .await
        .unwrap();
    let partner = app
        .store
        .save_place_partner(
            &ctx,
            None,
            &NewPartner {
                name: "Les Ateliers du Midi ASBL".into(),
                enterprise_number: "0845123683".into(),
                contact_name: "Nadia".into(),
                contact_email: "nadia@ateliers.test".into(),
            },
        )
        .await
        .unwrap();
    (
        app,
        Places {
            room: room.id,
            partner: partner.id,
        },
    )
}

/// A Tuesday at least a week ahead (open, in the future).
fn next_tuesday() -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap();
    let mut d: Date = jiff::Timestamp::now().to_zoned(tz).date() + 7.days();
    while d.weekday() != Weekday::Tuesday {
        d = d.tomorrow().unwrap();
    }
    d.to_string()
}

#[tokio::test]
async fn a_member_books_a_space_and_an_overlapping_slot_is_refused_with_the_reason() {
    let (app, p) = setup().await;
    let member = app.signed_in("member@test.be").await;
    let list = member.get("/places").await;
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    assert!(html.contains("Salle Verte") && html.contains("4.800\u{a0}m²"));
    let page = member.get(&format!("/places/spaces/{}", p.room)).await;
    assert_eq!(page.status(), 200);
    let day = next_tuesday();
    let form = |from: &'static str, to: &'static str| {
        vec![
            ("places_day", day.clone()),
            ("places_from", from.to_string()),
            ("places_to", to.to_string()),
            ("places_for", "member".to_string()),
            ("places_purpose", "Réunion de projet".to_string()),
            ("places_persons", "4".to_string()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let member = &member;
        let room = p.room;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            member
                .post(&format!("/places/spaces/{room}/bookings"), &pairs)
                .await
        }
    };
    let r = post(form("10:00", "12:00")).await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with(&format!("/places/spaces/{}?week=", p.room)));
    let calendar = member.get(&location(&r)).await.text().await.unwrap();
    assert!(calendar.contains("10:00–12:00") && calendar.contains("Réunion de projet"));
    // 2 h at 10 €.
    assert!(calendar.contains("20,00"));
    // Overlapping: 409, naming the slot it overlaps.
    let r = post(form("11:00", "13:00")).await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("chevauche la réservation"), "{html}");
    assert!(html.contains("10:00") && html.contains("12:00"));
    // Back to back: accepted.
    assert_eq!(post(form("12:00", "13:00")).await.status(), 303);
    // Bad input: the end before the start, too many persons.
    assert_eq!(post(form("15:00", "14:00")).await.status(), 422);
    let mut crowd = form("15:00", "16:00");
    crowd[5].1 = "9".into();
    let r = post(crowd).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Plus de personnes"));
    // The member's bookings; they cancel one.
    let mine = app
        .store
        .place_bookings(
            &ruche_store::places::BookingFilter::default(),
            PageRequest::new(1, 10),
        )
        .await
        .unwrap();
    assert_eq!(mine.total, 2);
    let list = member.get("/places/bookings").await.text().await.unwrap();
    assert!(list.contains("Salle Verte"));
    let id = mine.items[0].id;
    let r = member
        .post(&format!("/places/bookings/{id}/cancel"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.store.place_booking(id).await.unwrap().status,
        "cancelled"
    );
}

#[tokio::test]
async fn a_member_cannot_edit_a_space_nor_book_for_a_partner() {
    let (app, p) = setup().await;
    let member = app.signed_in("member@test.be").await;
    assert_eq!(
        member
            .get(&format!("/places/spaces/{}/edit", p.room))
            .await
            .status(),
        403
    );
    let r = member
        .post(
            &format!("/places/spaces/{}/edit", p.room),
            &[("places_space_name", "Renamed")],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(member.get("/places/partners").await.status(), 403);
    assert_eq!(member.get("/places/occupancy").await.status(), 403);
    assert_eq!(
        app.store.place_space(p.room).await.unwrap().name,
        "Salle Verte"
    );
    let day = next_tuesday();
    let partner = p.partner.to_string();
    let r = member
        .post(
            &format!("/places/spaces/{}/bookings", p.room),
            &[
                ("places_day", day.as_str()),
                ("places_from", "09:00"),
                ("places_to", "10:00"),
                ("places_for", "partner"),
                ("places_booking_partner", partner.as_str()),
                ("places_purpose", "Pour un partenaire"),
                ("places_persons", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn the_facilities_staff_book_for_a_partner_at_the_partners_price() {
    let (app, p) = setup().await;
    let staff = app.signed_in("lieux@test.be").await;
    let page = staff
        .get(&format!("/places/spaces/{}", p.room))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Les Ateliers du Midi ASBL"));
    let day = next_tuesday();
    let partner = p.partner.to_string();
    let r = staff
        .post(
            &format!("/places/spaces/{}/bookings", p.room),
            &[
                ("places_day", day.as_str()),
                ("places_from", "09:00"),
                ("places_to", "17:00"),
                ("places_for", "partner"),
                ("places_booking_partner", partner.as_str()),
                ("places_purpose", "Journée équipe"),
                ("places_persons", "6"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let all = app
        .store
        .place_bookings(
            &ruche_store::places::BookingFilter::default(),
            PageRequest::new(1, 10),
        )
        .await
        .unwrap();
    let b = &all.items[0];
    // 8 h at 15 € = 120 €: the partners' day price (82,50 €) is cheaper.
    assert_eq!((b.booked_for.as_str(), b.price_cents), ("partner", 8_250));
    let mails = app
        .store
        .mails(Some("nadia@ateliers.test"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.items.len(), 1);
    // The staff's tools are theirs.
    for path in ["/places/partners", "/places/lettings", "/places/occupancy"] {
        assert_eq!(staff.get(path).await.status(), 200, "{path}");
    }
    let bookings = staff.get("/places/bookings").await.text().await.unwrap();
    assert!(bookings.contains("Journée équipe"));
}

#[tokio::test]
async fn the_api_books_tells_the_availability_and_refuses_an_overlap() {
    let (app, p) = setup().await;
    let token = token_of(&app, "member@test.be").await;
    let client = reqwest::Client::new();
    let get = |path: String| {
        client
            .get(app.url(&path))
            .bearer_auth(&token)
            .header("accept-language", "en")
            .send()
    };
    let spaces: serde_json::Value = get("/api/v1/places/spaces".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spaces["total"], 1);
    let day = next_tuesday();
    let body = serde_json::json!({
        "places_day": day, "places_from": "14:00", "places_to": "15:30",
        "places_purpose": "Interview", "places_persons": 2
    });
    let url = app.url(&format!("/api/v1/places/spaces/{}/bookings", p.room));
    let r = client
        .post(&url)
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let booked: serde_json::Value = r.json().await.unwrap();
    assert_eq!(booked["price_cents"], 1_500);
    let r = client
        .post(&url)
        .bearer_auth(&token)
        .header("accept-language", "en")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "places-overlap");
    assert!(problem["title"].as_str().unwrap().contains("14:00"));
    let day_view: serde_json::Value = get(format!(
        "/api/v1/places/spaces/{}/availability?day={day}",
        p.room
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(day_view["open"], true);
    assert_eq!(day_view["bookings"][0]["from"], "14:00");
    assert_eq!(day_view["free"][0]["to"], "14:00");
    assert_eq!(day_view["free"][1]["from"], "15:30");
    let id = booked["id"].as_i64().unwrap();
    let r = client
        .post(app.url(&format!("/api/v1/places/bookings/{id}/cancel")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = get("/api/v1/places/spaces/999999/availability?day=2030-01-01".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
