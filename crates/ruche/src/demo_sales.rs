//! The demo's activities, clients and invoices: every state a page can show (proposed,
//! active, suspended and closed activities; draft, issued, partly paid, paid and credited
//! invoices; companies, a foreign client and consumers). Written through the store's own
//! rules, in date order, so numbering, structured communications and the ledger are real.

use anyhow::{Context, Result, anyhow};
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::client::ClientForm;
use ruche_domain::invoicing::{DocumentKind, LineInput, VatCategory};
use ruche_domain::{Language, Role};
use ruche_store::activities::ActivityFilter;
use ruche_store::invoices::DraftInvoice;
use ruche_store::persons::PersonFilter;
use ruche_store::{AuditContext, PageRequest, Store};
use rust_decimal::Decimal;

const SEED: u64 = 2026;

/// Seeds the sales part once: nothing is written when activities exist already.
pub async fn seed(store: &Store, today: Date, base_url: &str) -> Result<()> {
    if store
        .activities(&ActivityFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let mut rng = StdRng::seed_from_u64(SEED);
    let entities = store.legal_entities(PageRequest::new(1, 10)).await?.items;
    let cooperative = entities.first().map(|e| e.id).context("no legal entity")?;
    let training_entity = entities.get(1).map(|e| e.id).unwrap_or(cooperative);

    let clients = seed_clients(store, &ctx).await?;
    let activities = seed_activities(store, &ctx, &mut rng).await?;

    // Plan the invoices of the year, then issue them in date order (numbers follow dates).
    let mut planned: Vec<(Date, usize, usize)> = Vec::new();
    for (a, activity) in activities.iter().enumerate() {
        if !activity.active {
            continue;
        }
        let count = rng.random_range(3..8);
        for _ in 0..count {
            let day = rng.random_range(0..i64::from(today.day_of_year() - 1).max(1));
            let date = Date::new(today.year(), 1, 1)?.checked_add(jiff::Span::new().days(day))?;
            planned.push((date, a, rng.random_range(0..clients.len())));
        }
    }
    planned.sort();
    for (n, (date, a, c)) in planned.iter().enumerate() {
        let activity = &activities[*a];
        let (client_id, buyer_is_company) = clients[*c];
        let training = activity.training;
        let draft = DraftInvoice {
            kind: DocumentKind::Invoice,
            activity_id: activity.id,
            client_id,
            entity_id: if training {
                training_entity
            } else {
                cooperative
            },
            quote_id: None,
            corrects_invoice_id: None,
            due_days: 30,
            language: Language::Fr,
            order_reference: Some(format!("BC-{}", 7000 + n)),
            note: None,
            lines: lines_for(activity.sector, training, buyer_is_company, &mut rng),
        };
        let invoice = store.save_invoice_draft(&ctx, None, &draft).await?;
        // The last few of the year stay drafts: the member is still writing them.
        if n + 4 >= planned.len() {
            continue;
        }
        let issued = store
            .issue_invoice(&ctx, invoice.id, *date)
            .await
            .map_err(|e| anyhow!("demo invoice on {date}: {e}"))?;
        let total = issued.record.tax_inclusive_cents;
        let roll: f64 = rng.random();
        let paid_on = date.checked_add(jiff::Span::new().days(rng.random_range(8..45)))?;
        if paid_on <= today {
            if roll < 0.6 {
                store
                    .record_payment(&ctx, invoice.id, total, paid_on, None)
                    .await?;
            } else if roll < 0.75 {
                store
                    .record_payment(&ctx, invoice.id, total / 2, paid_on, None)
                    .await?;
            }
        }
        // Now and then a correction: a credit note for a fifth of the invoice.
        if n % 23 == 11 && roll >= 0.75 {
            let mut credit = draft.clone();
            credit.kind = DocumentKind::CreditNote;
            credit.corrects_invoice_id = Some(invoice.id);
            credit.order_reference = issued.record.number.clone();
            for line in &mut credit.lines {
                line.unit_price = (line.unit_price / Decimal::from(5)).round_dp(2);
            }
            let note = store.save_invoice_draft(&ctx, None, &credit).await?;
            store.issue_invoice(&ctx, note.id, *date).await?;
        }
    }
    seed_quotes(store, &ctx, &activities, &clients, today, base_url).await?;
    seed_trades(store, &ctx, &activities, today).await?;
    Ok(())
}

/// Quotes in every state: drafts, sent (waiting for the client), accepted (order
/// confirmations), declined — the client's answers recorded as the public page does.
async fn seed_quotes(
    store: &Store,
    ctx: &AuditContext,
    activities: &[DemoActivity],
    clients: &[(i64, bool)],
    today: Date,
    base_url: &str,
) -> Result<()> {
    let active: Vec<&DemoActivity> = activities.iter().filter(|a| a.active).collect();
    let mut rng = StdRng::seed_from_u64(SEED + 1);
    for (n, activity) in active.iter().take(12).enumerate() {
        for k in 0..3 {
            let (client_id, company) = clients[(n * 3 + k) % clients.len()];
            let draft = ruche_store::quotes::QuoteDraft {
                client_id,
                title: format!("{} — {}", TITLES[(n + k) % TITLES.len()], today.year()),
                valid_until: today.checked_add(jiff::Span::new().days(30))?,
                language: None,
                note: None,
                lines: lines_for(activity.sector, activity.training, company, &mut rng),
            };
            let quote = store.create_quote(ctx, activity.id, &draft, today).await?;
            let fate = (n + k) % 4;
            if fate == 0 {
                continue; // a draft
            }
            let token = ruche_web::auth::new_token();
            let hash = ruche_web::auth::hash_token(&token);
            store
                .send_quote(ctx, quote.id, &hash, today, |q, c| {
                    ruche_store::quotes::QuoteMail {
                        subject: format!("Devis {}", q.number.clone().unwrap_or_default()),
                        body: format!(
                            "Bonjour {},\n\nVotre devis : {base_url}/q/{token}\n",
                            c.name
                        ),
                    }
                })
                .await?;
            match fate {
                1 => {
                    store
                        .accept_quote(&hash, "Marie Dupont", Some("192.0.2.10"), today)
                        .await?;
                }
                2 => {
                    store
                        .decline_quote(
                            &hash,
                            Some("Budget reporté à l'an prochain"),
                            Some("192.0.2.11"),
                            today,
                        )
                        .await?;
                }
                _ => {} // sent, waiting for the client
            }
        }
    }
    Ok(())
}

/// A few internal trades between active activities: accepted, proposed, declined.
async fn seed_trades(
    store: &Store,
    ctx: &AuditContext,
    activities: &[DemoActivity],
    today: Date,
) -> Result<()> {
    let active: Vec<&DemoActivity> = activities
        .iter()
        .filter(|a| a.active && !a.training)
        .collect();
    for (n, pair) in active.windows(2).take(4).enumerate() {
        let (seller, buyer) = (pair[0], pair[1]);
        // Only what the buyer's budget covers: an internal trade never overdraws it.
        let available = store.available_budget(buyer.id).await?;
        let amount = (available / 10).min(25_000);
        if amount <= 0 {
            continue;
        }
        let trade = ruche_domain::budget::internal_trade::NewTrade {
            seller_activity_id: seller.id,
            buyer_activity_id: buyer.id,
            description: TRADES[n % TRADES.len()].into(),
            amount_cents: amount,
        };
        let proposed = store.propose_internal_trade(ctx, &trade).await?;
        match n % 3 {
            0 | 1 => {
                store.accept_internal_trade(ctx, proposed.id, today).await?;
            }
            _ => {
                store.decline_internal_trade(ctx, proposed.id).await?;
            }
        }
    }
    Ok(())
}

const TITLES: [&str; 5] = [
    "Spectacle de fin d'année",
    "Atelier découverte",
    "Mission d'accompagnement",
    "Captation vidéo",
    "Série de concerts",
];
const TRADES: [&str; 4] = [
    "Prêt de matériel son",
    "Graphisme de l'affiche",
    "Captation du spectacle",
    "Traduction du dossier",
];

struct DemoActivity {
    id: i64,
    sector: &'static str,
    training: bool,
    active: bool,
}

async fn seed_activities(
    store: &Store,
    ctx: &AuditContext,
    rng: &mut StdRng,
) -> Result<Vec<DemoActivity>> {
    let people = store
        .persons(
            &PersonFilter::default(),
            PageRequest::new(1, PageRequest::MAX_PER_PAGE),
        )
        .await?
        .items;
    let mut holders = Vec::new();
    for p in &people {
        if p.email.as_deref().is_some_and(|e| e.starts_with("membre@")) {
            continue; // keeps the first-visit empty state
        }
        let Some(account) = store.account_of_person(p.id).await? else {
            continue;
        };
        let roles = store.account_roles(account.id).await?;
        if roles.iter().any(|g| g.role == Role::Member) {
            let named = account.email.starts_with("lid@") || account.email.starts_with("ca@");
            holders.push((p.clone(), named));
        }
    }
    // The named logins first, then a deterministic sample of the members.
    holders.sort_by_key(|(p, named)| (!named, p.id));
    let mut out = Vec::new();
    for (i, (person, _)) in holders.iter().take(ACTIVITIES.len()).enumerate() {
        let (name, sector, description) = ACTIVITIES[i];
        let form = ActivityForm {
            name: name.into(),
            description: description.into(),
            sector: sector.into(),
            office_id: person
                .office_id
                .map(|o| o.to_string())
                .unwrap_or_else(|| "1".into()),
        };
        let activity = form
            .parse()
            .map_err(|e| anyhow!("demo activity {name}: {e}"))?;
        let created = store.propose_activity(ctx, &activity, person.id).await?;
        // Most are running; a few wait for validation, are suspended or closed.
        let fate = i % 12;
        let events: &[ActivityEvent] = match fate {
            10 => &[],
            9 => &[ActivityEvent::Validate, ActivityEvent::Suspend],
            11 => &[ActivityEvent::Validate, ActivityEvent::Close],
            _ => &[ActivityEvent::Validate],
        };
        for event in events {
            store
                .change_activity_status(ctx, created.id, *event)
                .await?;
        }
        if i % 7 == 3 {
            store
                .set_activity_contribution_rate(
                    ctx,
                    created.id,
                    Some(rng.random_range(5..=6) * 100),
                )
                .await?;
        }
        out.push(DemoActivity {
            id: created.id,
            sector,
            training: sector == "training",
            active: events.len() == 1,
        });
    }
    Ok(out)
}

/// Companies with valid enterprise numbers, a French client and consumers: (id, company).
async fn seed_clients(store: &Store, ctx: &AuditContext) -> Result<Vec<(i64, bool)>> {
    let mut out = Vec::new();
    for (i, (name, city, postcode)) in COMPANIES.iter().enumerate() {
        // A valid enterprise number: 8 digits and their mod-97 check (Royal Decree 1985).
        let body = 4_123_456 + i64::try_from(i).unwrap_or(0) * 7_919;
        let check = 97 - body % 97;
        let number = format!("0{body:07}{check:02}");
        let form = ClientForm {
            kind: "company".into(),
            name: (*name).into(),
            enterprise_number: number.clone(),
            vat_number: format!("BE{number}"),
            street: format!("{} {}", STREETS[i % STREETS.len()], 3 + i * 7),
            postcode: (*postcode).into(),
            city: (*city).into(),
            country: "BE".into(),
            language: if postcode.starts_with(['2', '3', '8', '9']) {
                "nl"
            } else {
                "fr"
            }
            .into(),
            email: format!("compta{}@client.demo.ruche.coop", i + 1),
        };
        let client = form
            .parse()
            .map_err(|e| anyhow!("demo client {name}: {e}"))?;
        out.push((store.save_client(ctx, None, &client).await?.id, true));
    }
    for (i, (first, last, city, postcode)) in CONSUMERS.iter().enumerate() {
        let form = ClientForm {
            kind: "consumer".into(),
            name: format!("{first} {last}"),
            street: format!("{} {}", STREETS[(i + 3) % STREETS.len()], 10 + i),
            postcode: (*postcode).into(),
            city: (*city).into(),
            country: "BE".into(),
            language: "fr".into(),
            email: format!(
                "{}.{}@example.be",
                first.to_lowercase(),
                last.to_lowercase()
            ),
            ..Default::default()
        };
        let client = form
            .parse()
            .map_err(|e| anyhow!("demo consumer {first}: {e}"))?;
        out.push((store.save_client(ctx, None, &client).await?.id, false));
    }
    Ok(out)
}

fn line(
    description: &str,
    quantity: i64,
    unit: &str,
    price_cents: i64,
    category: VatCategory,
    rate: u32,
) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: Decimal::from(quantity),
        unit: unit.into(),
        unit_price: Decimal::new(price_cents, 2),
        vat_category: category,
        vat_rate_bp: rate,
    }
}

fn lines_for(sector: &str, training: bool, company: bool, rng: &mut StdRng) -> Vec<LineInput> {
    let days = rng.random_range(1..5);
    let hours = rng.random_range(2..24);
    if training {
        // Vocational training by the training entity: exempt (art. 44 §2, 4° VAT Code).
        return vec![line(
            "Journée de formation",
            days,
            "DAY",
            65_000,
            VatCategory::E,
            0,
        )];
    }
    let mut lines = match sector {
        "performing-arts" | "music" => vec![
            line(
                "Représentation",
                1,
                "LS",
                rng.random_range(80_000..250_000),
                VatCategory::S,
                600,
            ),
            line(
                "Défraiement technique",
                1,
                "LS",
                15_000,
                VatCategory::S,
                2100,
            ),
        ],
        "consulting" | "digital" => vec![line(
            "Accompagnement",
            hours,
            "HUR",
            7_500,
            VatCategory::S,
            2100,
        )],
        "audiovisual" => vec![
            line("Tournage", days, "DAY", 55_000, VatCategory::S, 2100),
            line("Montage", hours, "HUR", 6_000, VatCategory::S, 2100),
        ],
        _ => vec![line(
            "Prestation",
            days,
            "DAY",
            45_000,
            VatCategory::S,
            2100,
        )],
    };
    if company && rng.random_bool(0.3) {
        lines.push(line(
            "Déplacement",
            rng.random_range(20..180),
            "KMT",
            43,
            VatCategory::S,
            2100,
        ));
    }
    lines
}

const ACTIVITIES: [(&str, &str, &str); 36] = [
    (
        "Studio Lumen",
        "audiovisual",
        "Captation vidéo de spectacles et films institutionnels.",
    ),
    (
        "Formations Coop'Action",
        "training",
        "Formations à la gestion d'une activité en coopérative.",
    ),
    (
        "Compagnie des Trois Chaises",
        "performing-arts",
        "Théâtre jeune public en tournée.",
    ),
    (
        "Atelier Terre & Feu",
        "crafts",
        "Céramique, cours et commandes.",
    ),
    ("Duo Sirocco", "music", "Musique du monde pour événements."),
    (
        "Graphisme Kiosque",
        "visual-arts",
        "Identités visuelles pour associations.",
    ),
    (
        "Data Bene",
        "digital",
        "Développement web pour l'économie sociale.",
    ),
    (
        "Conseil Horizon",
        "consulting",
        "Accompagnement de projets culturels.",
    ),
    (
        "Fête & Co",
        "events",
        "Organisation d'événements de quartier.",
    ),
    (
        "Cirque Volant",
        "performing-arts",
        "Arts du cirque et ateliers.",
    ),
    (
        "Fotostudio Noord",
        "audiovisual",
        "Fotografie voor bedrijven en cultuur.",
    ),
    (
        "Leerhuis Samen",
        "training",
        "Opleidingen rond coöperatief ondernemen.",
    ),
    ("Houtwerk Gent", "crafts", "Meubelmakerij op maat."),
    ("Kwartet Schelde", "music", "Klassiek strijkkwartet."),
    (
        "Illustratie Inkt",
        "visual-arts",
        "Illustraties voor uitgeverijen.",
    ),
    ("Codeer Coöp", "digital", "Software voor vzw's."),
    (
        "Advies Brug",
        "consulting",
        "Begeleiding van sociale ondernemingen.",
    ),
    (
        "Festival Plein Air",
        "events",
        "Production de festivals en plein air.",
    ),
    (
        "Danse Contact",
        "performing-arts",
        "Danse contemporaine et médiation.",
    ),
    (
        "Sérigraphie Rouge",
        "visual-arts",
        "Impressions artisanales.",
    ),
    (
        "Podcast Fabrique",
        "audiovisual",
        "Podcasts et documentaires sonores.",
    ),
    (
        "Traductions Babel",
        "consulting",
        "Traduction et interprétation FR-NL-EN.",
    ),
    (
        "Jardins Partagés",
        "other",
        "Aménagement de potagers collectifs.",
    ),
    (
        "Marionnettes Fil",
        "performing-arts",
        "Spectacles de marionnettes.",
    ),
    (
        "Chorale Mosaïque",
        "music",
        "Direction de chœurs et stages.",
    ),
    ("Vélo Atelier", "crafts", "Réparation et formation vélo."),
    ("Web Clair", "digital", "Sites accessibles et simples."),
    (
        "Photo Reportage Meuse",
        "audiovisual",
        "Reportages photo de presse.",
    ),
    (
        "Médiation Culturelle Ouest",
        "consulting",
        "Publics et médiation culturelle.",
    ),
    ("Bal Folk Liège", "events", "Bals et animations musicales."),
    ("Stages Clown", "training", "Stages de clown pour adultes."),
    ("Impro Troupe", "performing-arts", "Matchs d'improvisation."),
    ("Luthier Mons", "crafts", "Réparation d'instruments."),
    (
        "Motion Design Pixel",
        "digital",
        "Animations pour réseaux sociaux.",
    ),
    (
        "Documentaire Rivages",
        "audiovisual",
        "Films documentaires.",
    ),
    ("Couture Solidaire", "crafts", "Couture et retouches."),
];

const COMPANIES: [(&str, &str, &str); 14] = [
    ("Théâtre de la Ville ASBL", "Bruxelles", "1000"),
    ("Centre culturel de Namur", "Namur", "5000"),
    ("Atelier Dupont SRL", "Ixelles", "1050"),
    ("Maison des Jeunes Liège", "Liège", "4000"),
    ("Cultuurcentrum Gent vzw", "Gent", "9000"),
    ("Stadsschouwburg Antwerpen", "Antwerpen", "2000"),
    ("Brasserie du Parc SRL", "Charleroi", "6000"),
    ("Coopérative Agricole Mons", "Mons", "7000"),
    ("Musée de la Photographie", "Charleroi", "6000"),
    ("Bibliotheek Leuven", "Leuven", "3000"),
    ("Festival des Arts SCRL", "Louvain-la-Neuve", "1348"),
    ("Imprimerie Solidaire SC", "Saint-Gilles", "1060"),
    ("Zorgcentrum De Linde", "Gent", "9000"),
    ("École de Musique Uccle ASBL", "Uccle", "1180"),
];

const CONSUMERS: [(&str, &str, &str, &str); 6] = [
    ("Claire", "Martin", "Bruxelles", "1000"),
    ("Jean", "Lambert", "Namur", "5000"),
    ("Sofie", "Maes", "Gent", "9000"),
    ("Hugo", "Renard", "Liège", "4020"),
    ("Lina", "Benali", "Schaerbeek", "1030"),
    ("Pieter", "Claes", "Leuven", "3000"),
];

const STREETS: [&str; 6] = [
    "Rue Haute",
    "Avenue Louise",
    "Kerkstraat",
    "Rue de Fer",
    "Meir",
    "Boulevard Tirou",
];
