//! The demo's training catalogue, written through the store like the pages do: "Ruche
//! Formation" is the training entity; `membre@` (French) and `lid@` (Dutch) each give
//! trainings on an activity of theirs — fifteen published in FR, NL and EN (most with their
//! art. 44 checklist validated), some drafts, one waiting for validation, one cancelled;
//! prospective clients' contact requests for both; and the training sessions for members
//! and staff of the last three years, the last one at the reference year's figures (staff
//! 709 days / 162 participants; members 93 days / 758 participants).

use anyhow::Result;
use jiff::civil::{Date, date};
use ruche_domain::Language;
use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::training::contact::Contact;
use ruche_domain::training::exemption::CRITERIA;
use ruche_domain::training::session::{NewSession, SessionFor};
use ruche_domain::training::{NewTraining, TrainingEvent, TrainingText};
use ruche_store::activities::ActivityFilter;
use ruche_store::trainings::{LeadMail, TrainingFilter};
use ruche_store::{AuditContext, PageRequest, Store};

/// (trainer: 0 = membre@, 1 = lid@; language; topic; audience; place; hours; price €;
/// title; goal; methodology; audience text; final status; exempt).
type Seed = (
    usize,
    Language,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

const TRAINERS: [&str; 2] = ["membre@demo.ruche.coop", "lid@demo.ruche.coop"];

const TRAININGS: [Seed; 19] = [
    (
        0,
        Language::Fr,
        "management",
        "freelancers",
        "Bruxelles",
        14,
        780,
        "Formation à la gestion de projets culturels",
        "Piloter un projet culturel de l'idée au bilan : budget, planning, partenaires et subsides.",
        "Deux journées d'ateliers sur vos propres projets, avec des outils réutilisables.",
        "Artistes, techniciens et porteurs de projets culturels.",
        "published",
        true,
    ),
    (
        0,
        Language::Fr,
        "accounting",
        "freelancers",
        "Liège",
        12,
        650,
        "Formation comptabilité pour indépendants",
        "Comprendre son budget d'activité, ses factures et sa TVA.",
        "Exercices sur des cas réels, en petits groupes.",
        "Membres qui démarrent une activité.",
        "published",
        true,
    ),
    (
        0,
        Language::Fr,
        "digital",
        "everyone",
        "En ligne",
        6,
        240,
        "Formation aux outils numériques collaboratifs",
        "Organiser son travail d'équipe en ligne sans perdre le fil.",
        "Démonstrations puis mise en pratique guidée.",
        "Toute personne travaillant en équipe à distance.",
        "published",
        false,
    ),
    (
        0,
        Language::Fr,
        "communication",
        "non-profits",
        "Namur",
        7,
        420,
        "Formation à la prise de parole en public",
        "Présenter son projet avec aisance devant un jury ou un public.",
        "Exercices filmés et retours bienveillants.",
        "Responsables d'associations et porteurs de projets.",
        "published",
        true,
    ),
    (
        0,
        Language::Fr,
        "arts",
        "professionals",
        "Bruxelles",
        21,
        1200,
        "Formation en régie de spectacle",
        "Maîtriser la régie lumière et son d'une petite salle.",
        "Pratique en salle équipée, trois journées.",
        "Techniciens débutants du spectacle.",
        "published",
        true,
    ),
    (
        0,
        Language::Fr,
        "wellbeing",
        "everyone",
        "Charleroi",
        4,
        180,
        "Atelier de prévention du stress au travail",
        "Repérer les signes de surcharge et s'organiser autrement.",
        "Échanges et exercices pratiques.",
        "Tout travailleur ou travailleuse.",
        "published",
        false,
    ),
    (
        0,
        Language::Fr,
        "management",
        "teachers",
        "Mons",
        10,
        560,
        "Formation de formateurs : concevoir une formation",
        "Construire un parcours de formation clair et évaluable.",
        "Alternance d'apports et de travail sur votre propre formation.",
        "Formateurs et enseignants.",
        "published",
        true,
    ),
    (
        0,
        Language::En,
        "communication",
        "professionals",
        "Brussels",
        6,
        390,
        "Writing grant applications that convince",
        "Write a clear, fundable application for European and Belgian grants.",
        "Workshop on your own draft, with peer review.",
        "Project leaders in culture and the social economy.",
        "published",
        true,
    ),
    (
        1,
        Language::Nl,
        "accounting",
        "freelancers",
        "Gent",
        12,
        650,
        "Opleiding boekhouding voor freelancers",
        "Je activiteitsbudget, facturen en btw begrijpen en opvolgen.",
        "Oefeningen op echte cases, in kleine groepen.",
        "Leden die een activiteit opstarten.",
        "published",
        true,
    ),
    (
        1,
        Language::Nl,
        "management",
        "freelancers",
        "Antwerpen",
        14,
        780,
        "Opleiding projectmanagement voor cultuurwerkers",
        "Een cultureel project leiden van idee tot eindrapport.",
        "Twee dagen workshops op je eigen project.",
        "Kunstenaars, technici en projectdragers.",
        "published",
        true,
    ),
    (
        1,
        Language::Nl,
        "digital",
        "everyone",
        "Online",
        6,
        240,
        "Opleiding digitale samenwerking",
        "Samen online werken zonder het overzicht te verliezen.",
        "Demonstraties en begeleide oefeningen.",
        "Iedereen die op afstand in team werkt.",
        "published",
        false,
    ),
    (
        1,
        Language::Nl,
        "languages",
        "professionals",
        "Leuven",
        30,
        900,
        "Opleiding zakelijk Frans voor Vlaamse zelfstandigen",
        "Vlot communiceren met Franstalige klanten.",
        "Rollenspellen en praktijkgerichte oefeningen.",
        "Zelfstandigen met basiskennis Frans.",
        "published",
        true,
    ),
    (
        1,
        Language::Nl,
        "crafts",
        "freelancers",
        "Brugge",
        16,
        700,
        "Opleiding houtbewerking voor beginners",
        "De basistechnieken van houtbewerking veilig leren toepassen.",
        "Praktijk in een uitgeruste werkplaats.",
        "Beginnende ambachtslui.",
        "published",
        true,
    ),
    (
        1,
        Language::Nl,
        "communication",
        "non-profits",
        "Gent",
        7,
        420,
        "Opleiding spreken voor publiek",
        "Je project met zelfvertrouwen voorstellen.",
        "Gefilmde oefeningen met feedback.",
        "Verantwoordelijken van verenigingen.",
        "published",
        true,
    ),
    (
        1,
        Language::En,
        "digital",
        "professionals",
        "Online",
        8,
        450,
        "Building a simple website for your activity",
        "Publish a clear, accessible website for your activity.",
        "Step-by-step build of your own site.",
        "Members without a web presence.",
        "published",
        false,
    ),
    (
        0,
        Language::Fr,
        "crafts",
        "everyone",
        "Bruxelles",
        8,
        300,
        "Initiation à la sérigraphie",
        "Découvrir la sérigraphie artisanale.",
        "",
        "Curieux et curieuses.",
        "draft",
        false,
    ),
    (
        1,
        Language::Nl,
        "arts",
        "professionals",
        "Antwerpen",
        12,
        600,
        "Opleiding fotografie voor kunstenaars",
        "Je werk professioneel fotograferen.",
        "Praktijk in de studio.",
        "Beeldende kunstenaars.",
        "pending",
        true,
    ),
    (
        0,
        Language::Fr,
        "languages",
        "everyone",
        "Liège",
        20,
        500,
        "Néerlandais pour débutants",
        "Les bases du néerlandais au quotidien.",
        "Conversation en petits groupes.",
        "Grands débutants.",
        "cancelled",
        false,
    ),
    (
        1,
        Language::Nl,
        "wellbeing",
        "everyone",
        "Gent",
        3,
        120,
        "Workshop mindfulness op het werk",
        "Rust vinden tijdens drukke werkdagen.",
        "Oefeningen en uitwisseling.",
        "Iedereen.",
        "draft",
        false,
    ),
];

/// (training index, name, e-mail, organisation, message).
const LEADS: [(usize, &str, &str, Option<&str>, &str); 8] = [
    (
        0,
        "Claire Martin",
        "claire.martin@theatre-ville.be",
        Some("Théâtre de la Ville"),
        "Bonjour, nous cherchons une formation pour six membres de notre équipe au printemps. Est-ce possible dans nos locaux ?",
    ),
    (
        1,
        "Youssef El Idrissi",
        "youssef@atelier-ei.be",
        None,
        "Je démarre comme indépendant et voudrais suivre la formation en mai. Reste-t-il des places ?",
    ),
    (
        3,
        "Sophie Lambert",
        "s.lambert@asbl-envol.be",
        Some("ASBL Envol"),
        "Pourriez-vous organiser cette formation pour notre conseil d'administration ?",
    ),
    (
        7,
        "Hannah Schmidt",
        "hannah@culture-lab.eu",
        Some("Culture Lab"),
        "Could you run this workshop in English for twelve people in October?",
    ),
    (
        8,
        "Els Peeters",
        "els.peeters@vzw-deburen.be",
        Some("vzw De Buren"),
        "Wij zoeken een opleiding boekhouding voor tien vrijwilligers. Kan dat op een zaterdag?",
    ),
    (
        9,
        "Tom Claes",
        "tom.claes@kunstencentrum.be",
        Some("Kunstencentrum Noord"),
        "Graag een offerte voor een opleiding projectmanagement voor ons team van acht.",
    ),
    (
        11,
        "Lotte Maes",
        "lotte@maes-design.be",
        None,
        "Is er een avondformule mogelijk voor de opleiding zakelijk Frans?",
    ),
    (
        13,
        "Pieter Wouters",
        "pieter@jeugdhuis-zuid.be",
        Some("Jeugdhuis Zuid"),
        "Onze vrijwilligers willen beter leren spreken voor publiek. Wanneer is de volgende sessie?",
    ),
];

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store
        .trainings(
            &TrainingFilter::default(),
            Language::Fr,
            PageRequest::new(1, 1),
        )
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let entities = store.legal_entities(PageRequest::new(1, 20)).await?;
    if let Some(e) = entities
        .items
        .iter()
        .find(|e| e.name.contains("Formation"))
        .or(entities.items.first())
    {
        store.set_training_entity(&ctx, e.id).await?;
    }
    // Each trainer's person and an active activity of theirs (one is opened if none).
    let mut trainers: Vec<Option<(i64, i64)>> = Vec::new();
    for email in TRAINERS {
        trainers.push(trainer(store, &ctx, email).await?);
    }
    let mut ids: Vec<Option<i64>> = Vec::new();
    for (n, seed) in TRAININGS.iter().enumerate() {
        let Some(Some((person, activity))) = trainers.get(seed.0).copied() else {
            ids.push(None);
            continue;
        };
        ids.push(Some(
            training(store, &ctx, person, activity, n, seed).await?,
        ));
    }
    // Contact requests: one address each (the public form counts them per address).
    for (n, (index, name, email, organisation, message)) in LEADS.iter().enumerate() {
        let Some(Some(id)) = ids.get(*index).copied() else {
            continue;
        };
        let contact = Contact {
            name: (*name).into(),
            email: (*email).into(),
            phone: None,
            organisation: organisation.map(str::to_string),
            message: (*message).into(),
        };
        // The visitor writes in the training's language.
        let language = TRAININGS.get(*index).map_or(Language::Fr, |s| s.1);
        let mail = LeadMail {
            subject: format!("{}: {}", name, TRAININGS.get(*index).map_or("", |s| s.7)),
            body: (*message).into(),
        };
        store
            .record_contact(
                &ctx,
                id,
                &contact,
                language,
                &format!("192.0.2.{}", n + 10),
                &mail,
            )
            .await?;
    }
    sessions(store, &ctx, today, ids.first().copied().flatten()).await?;
    Ok(())
}

async fn trainer(store: &Store, ctx: &AuditContext, email: &str) -> Result<Option<(i64, i64)>> {
    let Some(account) = store.account_by_email(email).await? else {
        return Ok(None);
    };
    let person = account.person_id;
    let held = store
        .activities(
            &ActivityFilter {
                holder: Some(person),
                status: Some(ruche_domain::activity::ActivityStatus::Active),
                ..Default::default()
            },
            PageRequest::new(1, 1),
        )
        .await?;
    if let Some(a) = held.items.first() {
        return Ok(Some((person, a.id)));
    }
    let office = store.person(person).await?.office_id;
    let Some(office) = office else {
        return Ok(None);
    };
    let form = ActivityForm {
        name: "Formations".into(),
        description: "Formations pour indépendants et associations".into(),
        sector: "music".into(),
        office_id: office.to_string(),
    }
    .parse()
    .map_err(|e| anyhow::anyhow!("demo activity: {e}"))?;
    let activity = store.propose_activity(ctx, &form, person).await?.id;
    store
        .change_activity_status(ctx, activity, ActivityEvent::Validate)
        .await?;
    Ok(Some((person, activity)))
}

fn translated(seed: &Seed) -> Option<(Language, &'static str)> {
    // A few trainings carry a second description, as members do for mixed audiences.
    match seed.7 {
        "Formation comptabilité pour indépendants" => {
            Some((Language::Nl, "Opleiding boekhouding voor zelfstandigen"))
        }
        "Opleiding boekhouding voor freelancers" => {
            Some((Language::Fr, "Formation comptabilité pour freelances"))
        }
        "Formation à la gestion de projets culturels" => {
            Some((Language::En, "Managing cultural projects"))
        }
        _ => None,
    }
}

async fn training(
    store: &Store,
    ctx: &AuditContext,
    person: i64,
    activity: i64,
    n: usize,
    seed: &Seed,
) -> Result<i64> {
    let (
        _,
        language,
        topic,
        audience,
        place,
        hours,
        euros,
        title,
        goal,
        method,
        who,
        status,
        exempt,
    ) = *seed;
    let second = translated(seed);
    let mut languages = vec![language];
    if let Some((l, _)) = second {
        languages.push(l);
    }
    let text = |language: Language, title: &str| TrainingText {
        language,
        title: title.into(),
        goal: goal.into(),
        methodology: method.into(),
        audience_text: who.into(),
        prerequisites: if n.is_multiple_of(3) {
            String::new()
        } else {
            match language {
                Language::Nl => "Geen specifieke voorkennis.".into(),
                Language::En => "No specific prerequisites.".into(),
                Language::Fr => "Aucun prérequis particulier.".into(),
            }
        },
    };
    let t = store
        .create_training(
            ctx,
            person,
            &NewTraining {
                activity_id: activity,
                topic,
                audience,
                place: place.into(),
                languages,
                duration_hours: hours,
                price_cents: euros * 100,
            },
            &text(language, title),
        )
        .await?;
    if let Some((l, title)) = second {
        store.save_training_text(ctx, t.id, &text(l, title)).await?;
    }
    if exempt {
        store.set_exemption_checks(ctx, t.id, &CRITERIA).await?;
        if status == "published" {
            store.validate_exemption(ctx, t.id).await?;
        }
    }
    let events: &[TrainingEvent] = match status {
        "published" => &[TrainingEvent::Submit, TrainingEvent::Publish],
        "pending" => &[TrainingEvent::Submit],
        "cancelled" => &[TrainingEvent::Cancel],
        _ => &[],
    };
    for event in events {
        store.training_transition(ctx, t.id, *event, None).await?;
    }
    Ok(t.id)
}

const PLACES: [&str; 5] = ["Bruxelles", "Liège", "Gent", "Namur", "Antwerpen"];

/// `total` spread over `parts` whole numbers (the first ones one larger).
fn spread(total: i64, parts: i64, i: i64) -> i64 {
    total / parts + i64::from(i < total % parts)
}

async fn sessions(
    store: &Store,
    ctx: &AuditContext,
    today: Date,
    training: Option<i64>,
) -> Result<()> {
    let reference = today.year() - 1;
    // (year, staff days, staff participants, member days, member participants).
    let years = [
        (reference - 2, 598, 139, 71, 604),
        (reference - 1, 655, 151, 84, 699),
        (reference, 709, 162, 93, 758),
    ];
    for (year, staff_days, staff_people, member_days, member_people) in years {
        for (who, days, people, count) in [
            (SessionFor::Staff, staff_days, staff_people, 60),
            (SessionFor::Members, member_days, member_people, 31),
        ] {
            for i in 0..count {
                let d = spread(days, count, i);
                let month = i8::try_from(1 + i % 11).unwrap_or(1);
                let day = i8::try_from(1 + (i * 7) % 15).unwrap_or(1);
                let starts_on = date(year, month, day);
                let ends_on = starts_on.checked_add(jiff::Span::new().days(d - 1))?;
                let title = match who {
                    SessionFor::Staff => format!("Formation continue de l'équipe n° {}", i + 1),
                    SessionFor::Members => format!("École de la coopération — session {}", i + 1),
                };
                store
                    .create_training_session(
                        ctx,
                        &NewSession {
                            session_for: who,
                            title,
                            training_id: (who == SessionFor::Members && i % 5 == 0)
                                .then_some(training)
                                .flatten(),
                            starts_on,
                            ends_on,
                            days: d,
                            participants: spread(people, count, i).max(1),
                            place: PLACES
                                .get(usize::try_from(i % 5).unwrap_or(0))
                                .copied()
                                .unwrap_or("Bruxelles")
                                .into(),
                        },
                    )
                    .await?;
            }
        }
    }
    Ok(())
}
