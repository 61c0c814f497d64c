//! Two `ruche serve` processes on one PostgreSQL database (issue 9, "two instances"): what
//! the instances share is the database only, so every guarantee that must hold across
//! instances is the database's. Concurrently on both:
//! - invoices are issued: their numbers stay unique and gap-free;
//! - the day's reminders are run (by each instance's housekeeping at start and by API calls
//!   to both): each reminder exists once and is mailed once;
//! - the same space is booked: one booking wins, the others are refused with the reason.
//!
//! The test creates a database of its own on the server of `RUCHE_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`, as the store's conformance suite) and drops
//! it at the end. Without a reachable PostgreSQL it fails: the test command starts one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::Role;
use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::client::ClientForm;
use ruche_domain::group::{LegalEntityForm, OfficeForm};
use ruche_domain::invoicing::{DocumentKind, LineInput, VatCategory};
use ruche_domain::person::PersonForm;
use ruche_domain::places::{NewSite, NewSpace, Prices, SiteKind, SpaceKind};
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::dunning::ReminderFilter;
use ruche_store::invoices::DraftInvoice;
use ruche_store::{AuditContext, ConnectOptions, PageRequest, Store};
use rust_decimal::Decimal;

/// Drafts issued concurrently through the two instances.
const DRAFTS: usize = 24;
/// Invoices already overdue, each owed exactly one first reminder today.
const OVERDUE: usize = 10;

fn server_url() -> String {
    std::env::var("RUCHE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// The same server URL with another database name (and no query).
fn with_database(url: &str, database: &str) -> String {
    let without_query = url.split('?').next().unwrap_or(url);
    let base = without_query
        .rsplit_once('/')
        .map_or(without_query, |(base, _)| base);
    format!("{base}/{database}")
}

async fn connect(url: &str) -> Store {
    Store::connect(
        url,
        &ConnectOptions {
            max_connections: 4,
            pg_schema: None,
        },
    )
    .await
    .expect("PostgreSQL must be reachable at RUCHE_TEST_PG_URL")
}

/// A running `ruche serve`, killed when dropped.
struct Instance {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

async fn start(database_url: &str, dir: &std::path::Path, name: &str) -> Instance {
    let port = free_port();
    let data = dir.join(name);
    std::fs::create_dir_all(&data).unwrap();
    let log = dir.join(format!("{name}.log"));
    let out = std::fs::File::create(&log).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_ruche"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .arg("--database-url")
        .arg(database_url)
        .arg("--data-dir")
        .arg(&data)
        .env("RUST_LOG", "info")
        .env_remove("RUCHE_CONFIG")
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .spawn()
        .unwrap();
    let instance = Instance {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log,
    };
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(r) = client
            .get(format!("{}/healthz", instance.base))
            .send()
            .await
            && r.status().is_success()
        {
            return instance;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{name} did not answer /healthz within 60 s; its log:\n{}",
            std::fs::read_to_string(&instance.log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

struct Seeded {
    space: i64,
    drafts: Vec<i64>,
    overdue: Vec<i64>,
    token: String,
    entity: i64,
}

fn line(price_cents: i64) -> LineInput {
    LineInput {
        description: "Concert".into(),
        quantity: Decimal::ONE,
        unit: "LS".into(),
        unit_price: Decimal::new(price_cents, 2),
        vat_category: VatCategory::S,
        vat_rate_bp: 2100,
    }
}

/// One entity, office, administrator (with an API token), activity and client; overdue
/// issued invoices; drafts to issue.
async fn seed(store: &Store, today: Date) -> Seeded {
    let ctx = AuditContext::system();
    let entity = LegalEntityForm {
        name: "Ruche".into(),
        legal_form: "SCES agréée / erkende CVSO".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        enterprise_number: "0202239951".into(),
        vat_number: "BE0202239951".into(),
        iban: "BE68539007547034".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .unwrap();
    let entity = store
        .save_legal_entity(&ctx, None, &entity)
        .await
        .unwrap()
        .id;
    let office = OfficeForm {
        name: "Bruxelles".into(),
        region: "brussels".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let office = store.save_office(&ctx, None, &office).await.unwrap().id;
    let person = PersonForm {
        first_name: "Deux".into(),
        last_name: "Instances".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let admin = NewAccount {
        email: "two@ruche.test".into(),
        password_hash: String::new(),
        language: Some(Language::Fr),
        roles: vec![RoleGrant {
            role: Role::Administrator,
            office_id: None,
        }],
    };
    let (person, account) = store
        .create_person_with_account(&ctx, &person, &admin)
        .await
        .unwrap();
    let token = ruche_web::auth::new_token();
    store
        .create_api_token(
            &ctx,
            account.id,
            "two instances",
            &ruche_web::auth::hash_token(&token),
            &token[..8],
        )
        .await
        .unwrap();
    let activity = ActivityForm {
        name: "Orchestre".into(),
        description: "Concerts".into(),
        sector: "music".into(),
        office_id: office.to_string(),
    }
    .parse()
    .unwrap();
    let activity = store
        .propose_activity(&ctx, &activity, person.id)
        .await
        .unwrap()
        .id;
    store
        .change_activity_status(&ctx, activity, ActivityEvent::Validate)
        .await
        .unwrap();
    let client = ClientForm {
        kind: "company".into(),
        name: "Théâtre".into(),
        enterprise_number: "0403170701".into(),
        vat_number: "BE0403170701".into(),
        street: "Bd Jacqmain 111".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        country: "BE".into(),
        language: "fr".into(),
        email: "compta@theatre.test".into(),
    }
    .parse()
    .unwrap();
    let client = store.save_client(&ctx, None, &client).await.unwrap().id;
    let draft = |n: usize| DraftInvoice {
        kind: DocumentKind::Invoice,
        activity_id: activity,
        client_id: client,
        entity_id: entity,
        quote_id: None,
        corrects_invoice_id: None,
        due_days: 30,
        language: Language::Fr,
        order_reference: Some(format!("BC-{n}")),
        note: None,
        lines: vec![line(100_000 + i64::try_from(n).unwrap() * 100)],
    };
    // Issued 60 days ago, due 30 days ago: the first B2B level (7 days after the due date)
    // is due today.
    let issued_on = today.checked_sub(jiff::Span::new().days(60)).unwrap();
    let mut overdue = Vec::new();
    for n in 0..OVERDUE {
        let d = store
            .save_invoice_draft(&ctx, None, &draft(n))
            .await
            .unwrap();
        store.issue_invoice(&ctx, d.id, issued_on).await.unwrap();
        overdue.push(d.id);
    }
    let mut drafts = Vec::new();
    for n in 0..DRAFTS {
        let d = store
            .save_invoice_draft(&ctx, None, &draft(OVERDUE + n))
            .await
            .unwrap();
        drafts.push(d.id);
    }
    let site = store
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
                office_id: Some(office),
                shared_with_network: true,
                opened_on: jiff::civil::date(2020, 1, 1),
            },
        )
        .await
        .unwrap();
    let space = store
        .save_space(
            &ctx,
            None,
            &NewSpace {
                site_id: site.id,
                name: "Salle Verte".into(),
                kind: SpaceKind::MeetingRoom,
                capacity: 12,
                surface_m2: 40,
                equipment: "Écran".into(),
                prices: Prices {
                    member_hour_cents: 1_000,
                    member_day_cents: 6_000,
                    partner_hour_cents: 2_000,
                    partner_day_cents: 12_000,
                },
                bookable: true,
                active: true,
            },
        )
        .await
        .unwrap()
        .id;
    Seeded {
        space,
        drafts,
        overdue,
        token,
        entity,
    }
}

/// The first Monday-to-Friday day after `today` (the places open Monday to Saturday).
fn next_weekday(today: Date) -> Date {
    let mut day = today.tomorrow().unwrap();
    while matches!(
        day.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    ) {
        day = day.tomorrow().unwrap();
    }
    day
}

/// The trailing number of an invoice number ("2026-000123" → 123).
fn sequence(number: &str) -> i64 {
    let digits: String = number
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgresql_issue_remind_and_book_without_duplicates() {
    let server = server_url();
    let admin = connect(&server).await;
    let database = format!(
        "ruche_two_{}_{}",
        std::process::id(),
        jiff::Timestamp::now().as_millisecond()
    );
    admin
        .execute_admin(&format!("CREATE DATABASE {database}"))
        .await
        .unwrap();
    let url = with_database(&server, &database);
    let outcome = {
        let url = url.clone();
        tokio::spawn(async move { scenario(&url).await })
    }
    .await;
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}

async fn scenario(url: &str) {
    let store = connect(url).await;
    store.migrate().await.unwrap();
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Brussels").unwrap())
        .date();
    let seeded = seed(&store, today).await;

    let dir = std::env::temp_dir().join(format!("ruche-two-instances-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = start(url, &dir, "a").await;
    let b = start(url, &dir, "b").await;
    let bases = [a.base.clone(), b.base.clone()];
    let http = reqwest::Client::new();
    let auth = format!("Bearer {}", seeded.token);

    // 1. Issue every draft, alternately through each instance, all at once.
    let issues: Vec<_> = seeded
        .drafts
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let url = format!("{}/api/v1/invoices/{id}/issue", bases[i % 2]);
            let (http, auth) = (http.clone(), auth.clone());
            tokio::spawn(async move {
                let r = http
                    .post(url)
                    .header("Authorization", auth)
                    .send()
                    .await
                    .unwrap();
                (r.status(), r.text().await.unwrap_or_default())
            })
        })
        .collect();
    for issue in issues {
        let (status, body) = issue.await.unwrap();
        assert!(status.is_success(), "issuing failed: {status} {body}");
    }
    let mut numbers = Vec::new();
    for id in seeded.overdue.iter().chain(&seeded.drafts) {
        let invoice = store.invoice(*id).await.unwrap();
        assert_eq!(invoice.entity_id, seeded.entity);
        numbers.push(invoice.number.expect("an issued invoice has its number"));
    }
    let distinct: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(
        distinct.len(),
        numbers.len(),
        "numbers are unique: {numbers:?}"
    );
    let mut sequence_numbers: Vec<i64> = numbers.iter().map(|n| sequence(n)).collect();
    sequence_numbers.sort_unstable();
    let first = sequence_numbers[0];
    let expected: Vec<i64> = (first..first + i64::try_from(numbers.len()).unwrap()).collect();
    assert_eq!(
        sequence_numbers, expected,
        "numbers are gap-free: {numbers:?}"
    );

    // 2. The day's reminders: each instance's housekeeping enqueued the daily run at start;
    //    run it again through both instances at the same moment.
    let runs: Vec<_> = (0..6)
        .map(|i| {
            let url = format!("{}/api/v1/dunning/run", bases[i % 2]);
            let (http, auth) = (http.clone(), auth.clone());
            tokio::spawn(async move {
                let r = http
                    .post(url)
                    .header("Authorization", auth)
                    .json(&serde_json::json!({}))
                    .send()
                    .await
                    .unwrap();
                (r.status(), r.text().await.unwrap_or_default())
            })
        })
        .collect();
    for run in runs {
        let (status, body) = run.await.unwrap();
        assert!(
            status.is_success(),
            "the reminders run failed: {status} {body}"
        );
    }
    // The background workers may still be delivering: wait until no reminder is pending.
    let started = Instant::now();
    let reminders = loop {
        let page = store
            .reminders(&ReminderFilter::default(), PageRequest::new(1, 200))
            .await
            .unwrap();
        if page.items.iter().all(|r| r.delivery != "pending") || started.elapsed().as_secs() > 30 {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(
        reminders.total,
        i64::try_from(OVERDUE).unwrap(),
        "one reminder per overdue invoice"
    );
    let reminded: BTreeSet<i64> = reminders.items.iter().map(|r| r.invoice_id).collect();
    let overdue: BTreeSet<i64> = seeded.overdue.iter().copied().collect();
    assert_eq!(reminded, overdue);
    let mail_ids: BTreeSet<i64> = reminders.items.iter().filter_map(|r| r.mail_id).collect();
    assert_eq!(mail_ids.len(), OVERDUE, "every reminder is mailed");
    // Each reminder mail is in the outbox once: no second message with its subject.
    let mails = store
        .mails(Some("compta@theatre.test"), false, PageRequest::new(1, 500))
        .await
        .unwrap();
    let subjects: BTreeSet<&str> = mails
        .items
        .iter()
        .filter(|m| mail_ids.contains(&m.id))
        .map(|m| m.subject.as_str())
        .collect();
    assert_eq!(subjects.len(), OVERDUE, "one subject per reminder");
    let sent = mails
        .items
        .iter()
        .filter(|m| subjects.contains(m.subject.as_str()))
        .count();
    assert_eq!(sent, OVERDUE, "each reminder is mailed once");

    // 3. The same slot of the same space, booked eight times at once through both
    //    instances: one booking wins, the others are refused naming the slot (409).
    let day = next_weekday(today);
    let bookings: Vec<_> = (0..8)
        .map(|i| {
            let url = format!(
                "{}/api/v1/places/spaces/{}/bookings",
                bases[i % 2],
                seeded.space
            );
            let (http, auth) = (http.clone(), auth.clone());
            let body = serde_json::json!({
                "places_day": day.to_string(),
                "places_from": "10:00",
                "places_to": "12:00",
                "places_for": "member",
                "places_purpose": format!("Réunion {i}"),
                "places_persons": 4,
            });
            tokio::spawn(async move {
                let r = http
                    .post(url)
                    .header("Authorization", auth)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for booking in bookings {
        outcomes.push(booking.await.unwrap());
    }
    let won = outcomes.iter().filter(|(status, _)| *status == 201).count();
    let refused = outcomes
        .iter()
        .filter(|(status, body)| *status == 409 && body.contains("places-overlap"))
        .count();
    assert_eq!((won, refused), (1, 7), "one booking wins: {outcomes:?}");

    drop(a);
    drop(b);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
