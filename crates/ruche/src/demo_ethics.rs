//! The demo's ethics committee and advocacy (C13), written through the store like the pages
//! do. The committee: six seats held by existing persons, eight meetings a year over the
//! current year and the two before, referrals from `membre@` and `lid@` (cryptocurrencies,
//! transparency, astrology and advertising in the reference year — last year — and others),
//! opinions adopted at a meeting, most published (the referrer is notified), one draft and one
//! declined referral. Advocacy: nine publications and twelve conferences last year, a few this
//! year and the year before, eight network memberships. Idempotent: nothing is added when the
//! committee has seats already.

use anyhow::{Result, anyhow};
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::advocacy::{EventForm, NetworkForm, PublicationForm};
use ruche_domain::ethics::{MeetingForm, OpinionForm, ReferralForm, SeatForm};
use ruche_store::ethics::EthicsNotice;
use ruche_store::persons::PersonFilter;
use ruche_store::{AuditContext, PageRequest, Store};
use ruche_web::i18n::t_args;

const PARTICIPATION: &str = "participation@demo.ruche.coop";
const MEMBRE: &str = "membre@demo.ruche.coop";
const LID: &str = "lid@demo.ruche.coop";

/// Months and days of the eight meetings of a year.
const MEETING_DAYS: [(i8, i8); 8] = [
    (1, 16),
    (2, 20),
    (3, 19),
    (5, 14),
    (6, 18),
    (9, 17),
    (10, 15),
    (11, 12),
];

/// A referral: (years before the current one, month, day, who, subject, question, fate).
/// Fate: `Some(true)` published opinion, `Some(false)` draft, `None` left open; a
/// "declined:" question is declined.
type Planned = (
    i16,
    i8,
    i8,
    &'static str,
    &'static str,
    &'static str,
    Option<bool>,
);

const REFERRALS: [Planned; 10] = [
    (
        2,
        3,
        2,
        MEMBRE,
        "Crowdfunding",
        "Un membre peut-il lever des fonds en prévente via une plateforme de crowdfunding au nom de son activité ?",
        Some(true),
    ),
    (
        2,
        8,
        28,
        LID,
        "Onderaanneming",
        "Mag een lid werk doorgeven aan een onderaannemer die geen lid is van de coöperatie?",
        Some(true),
    ),
    (
        1,
        1,
        8,
        MEMBRE,
        "Cryptomonnaies",
        "Pouvons-nous accepter un paiement en bitcoin ou investir la trésorerie d'une activité en cryptomonnaies ?",
        Some(true),
    ),
    (
        1,
        2,
        25,
        LID,
        "Transparantie",
        "Welke informatie over de lonen en vergoedingen van het personeel moet de coöperatie publiceren?",
        Some(true),
    ),
    (
        1,
        4,
        22,
        MEMBRE,
        "Astrologie",
        "Une activité de consultations astrologiques peut-elle être hébergée par la coopérative ?",
        Some(true),
    ),
    (
        1,
        8,
        30,
        MEMBRE,
        "Publicité",
        "Un membre peut-il faire de la publicité pour des produits de jeux d'argent ou des boissons alcoolisées ?",
        Some(true),
    ),
    (
        1,
        10,
        2,
        LID,
        "Influencers",
        "declined: Mag ik als influencer betaalde posts maken voor merken?",
        None,
    ),
    (
        0,
        2,
        3,
        MEMBRE,
        "Intelligence artificielle",
        "Les membres peuvent-ils livrer des textes ou images générés par IA sans le dire à leurs clients ?",
        Some(true),
    ),
    (
        0,
        6,
        2,
        LID,
        "Tweedehandskledij",
        "Mag een activiteit tweedehandskleding van fast-fashionmerken doorverkopen?",
        Some(false),
    ),
    (
        0,
        10,
        20,
        MEMBRE,
        "Mécénat",
        "La coopérative peut-elle accepter le mécénat d'une banque qui finance les énergies fossiles ?",
        None,
    ),
];

/// Own-initiative recommendations: (years before, month, day, subject, text).
const OWN: [(i16, i8, i8, &str, &str); 2] = [
    (
        1,
        11,
        12,
        "Achats responsables",
        "Le comité recommande que la coopérative privilégie, pour ses propres achats, les fournisseurs de l'économie sociale et publie chaque année la part de ses achats qui leur revient.",
    ),
    (
        0,
        5,
        14,
        "Données des membres",
        "Le comité recommande de ne jamais utiliser les données des membres à des fins commerciales et de le dire dans la charte de la coopérative.",
    ),
];

fn day(today: Date, years_before: i16, month: i8, d: i8) -> Result<Date> {
    Ok(Date::new(today.year() - years_before, month, d)?)
}

fn noon(d: Date) -> Result<i64> {
    Ok(d.at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)?
        .timestamp()
        .as_microsecond())
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if !store.ethics_seats(None).await?.is_empty() {
        return Ok(());
    }
    let staff = match store.account_by_email(PARTICIPATION).await? {
        Some(a) => AuditContext::account(a.id, None),
        None => AuditContext::system(),
    };
    seed_committee(store, today, &staff).await?;
    seed_advocacy(store, today, &staff).await?;
    Ok(())
}

async fn seed_committee(store: &Store, today: Date, staff: &AuditContext) -> Result<()> {
    // Six seats, held by existing persons (the demo never adds persons).
    let persons = store
        .persons(&PersonFilter::default(), PageRequest::new(1, 40))
        .await?
        .items;
    let roles = ["chair", "secretary", "member", "member", "member", "member"];
    let from = day(today, 3, 1, 1)?.to_string();
    let mut seats = Vec::new();
    for (person, role) in persons.iter().skip(10).step_by(5).zip(roles) {
        let new = SeatForm {
            ethics_person: person.id.to_string(),
            ethics_role: role.into(),
            ethics_from: from.clone(),
            ethics_until: String::new(),
        }
        .parse()
        .map_err(|e| anyhow!("demo ethics seat: {e}"))?;
        seats.push(store.add_ethics_seat(staff, &new, noon(today)?).await?.id);
    }
    // Eight meetings a year, up to today; four or five members present.
    let mut meetings: Vec<(Date, i64)> = Vec::new();
    for years_before in (0..=2).rev() {
        for (n, (m, d)) in MEETING_DAYS.iter().enumerate() {
            let held = day(today, years_before, *m, *d)?;
            if held > today {
                continue;
            }
            let present: Vec<String> = seats
                .iter()
                .enumerate()
                .filter(|(i, _)| (i + n) % 6 != 5 && (i + 2 * n) % 7 != 6)
                .map(|(_, s)| s.to_string())
                .collect();
            let new = MeetingForm {
                ethics_held_on: held.to_string(),
                ethics_place: if n % 3 == 2 {
                    "En ligne".into()
                } else {
                    "Siège, salle du conseil".into()
                },
                ethics_agenda: "1. Approbation du procès-verbal\n2. Saisines reçues\n3. Avis en préparation\n4. Divers".into(),
                ethics_minutes: if held < today {
                    "Le comité approuve le procès-verbal de la réunion précédente, examine les saisines reçues et arrête les avis à publier.".into()
                } else {
                    String::new()
                },
                present,
            }
            .parse()
            .map_err(|e| anyhow!("demo ethics meeting: {e}"))?;
            let id = store
                .create_ethics_meeting(staff, &new, noon(held)?)
                .await?
                .id;
            meetings.push((held, id));
        }
    }
    // The first meeting after a day (the one that adopts an opinion).
    let meeting_after = |d: Date| meetings.iter().find(|(held, _)| *held > d).copied();

    for (years_before, m, d, who, subject, question, fate) in REFERRALS {
        let Some(account) = store.account_by_email(who).await? else {
            continue;
        };
        let received = day(today, years_before, m, d)?;
        if received > today {
            continue;
        }
        let as_member = AuditContext::account(account.id, None);
        let declined = question.strip_prefix("declined: ");
        let new = ReferralForm {
            ethics_subject: subject.into(),
            ethics_question: declined.unwrap_or(question).into(),
        }
        .parse(account.person_id, received)
        .map_err(|e| anyhow!("demo ethics referral: {e}"))?;
        let r = store
            .refer_to_ethics(&as_member, &new, noon(received)?)
            .await?;
        if declined.is_some() {
            let on = meeting_after(received).map(|(d, _)| d).unwrap_or(today);
            store
                .decline_ethics_referral(
                    staff,
                    r.id,
                    "Het comité onderzoekt geen individuele commerciële keuzes: zie de gedragscode voor reclame.",
                    noon(on)?,
                )
                .await?;
            continue;
        }
        let Some(publish) = fate else {
            store
                .review_ethics_referral(staff, r.id, noon(received)? + 3_600_000_000)
                .await?;
            continue;
        };
        let Some((held, meeting)) = meeting_after(received) else {
            continue;
        };
        let lang =
            Language::parse(&account.language.clone().unwrap_or_default()).unwrap_or(Language::Fr);
        write_opinion(
            store,
            staff,
            Some(r.id),
            subject,
            &opinion_text(subject),
            meeting,
            held,
            publish,
            lang,
            today,
        )
        .await?;
    }
    for (years_before, m, d, subject, text) in OWN {
        let held = day(today, years_before, m, d)?;
        let Some((_, meeting)) = meetings.iter().find(|(h, _)| *h == held).copied() else {
            continue;
        };
        write_opinion(
            store,
            staff,
            None,
            subject,
            text,
            meeting,
            held,
            true,
            Language::Fr,
            today,
        )
        .await?;
    }
    Ok(())
}

fn opinion_text(subject: &str) -> String {
    format!(
        "Le comité d'éthique a examiné la question « {subject} » lors de sa réunion.\n\n\
         Il rappelle les valeurs de la coopérative — démocratie, solidarité, transparence, \
         utilité sociale — et estime que chaque activité doit pouvoir en rendre compte à ses \
         clients comme aux autres membres.\n\n\
         Il recommande au conseil d'administration de préciser la charte sur ce point et \
         d'accompagner les membres concernés."
    )
}

#[allow(clippy::too_many_arguments)]
async fn write_opinion(
    store: &Store,
    staff: &AuditContext,
    referral: Option<i64>,
    subject: &str,
    text: &str,
    meeting: i64,
    held: Date,
    publish: bool,
    lang: Language,
    today: Date,
) -> Result<()> {
    let new = OpinionForm {
        ethics_referral: referral.map(|r| r.to_string()).unwrap_or_default(),
        ethics_kind: if referral.is_some() {
            "opinion"
        } else {
            "recommendation"
        }
        .into(),
        ethics_subject: subject.into(),
        ethics_body: text.into(),
        ethics_meeting: if publish {
            meeting.to_string()
        } else {
            String::new()
        },
    }
    .parse()
    .map_err(|e| anyhow!("demo ethics opinion: {e}"))?;
    let o = store.write_ethics_opinion(staff, &new, noon(held)?).await?;
    if publish {
        // Published a week after its adoption (never in the future).
        let on = held
            .checked_add(jiff::Span::new().days(7))
            .map(|d| d.min(today))
            .unwrap_or(held);
        let notice = EthicsNotice {
            subject: t_args(
                lang,
                "ethics-notice-subject",
                &[("subject", subject.to_string())],
            ),
            body: t_args(
                lang,
                "ethics-notice-body",
                &[("link", format!("/ethics/opinions/{}", o.id))],
            ),
        };
        store
            .publish_ethics_opinion(staff, o.id, &notice, noon(on)?)
            .await?;
    }
    Ok(())
}

/// (title, kind, month, day, authors, partners, language)
const PUBLICATIONS: [(&str, &str, i8, i8, &str, &str, &str); 9] = [
    (
        "Coopératives d'activités : un statut pour les indépendants ?",
        "analysis",
        1,
        28,
        "Équipe éducation permanente",
        "",
        "fr",
    ),
    (
        "Le portage salarial face au droit belge",
        "analysis",
        2,
        26,
        "Service juridique",
        "",
        "fr",
    ),
    (
        "Ondernemen in coöperatie: tien jaar praktijk",
        "study",
        3,
        31,
        "Onderzoekscel",
        "HIVA – KU Leuven",
        "nl",
    ),
    (
        "Artistes et chômage : ce qui a changé",
        "analysis",
        4,
        29,
        "Équipe éducation permanente",
        "",
        "fr",
    ),
    (
        "Entreprendre ensemble (podcast, 6 épisodes)",
        "podcast",
        5,
        20,
        "Équipe communication",
        "Radio Panik",
        "fr",
    ),
    (
        "La mutualisation des risques dans une coopérative",
        "article",
        6,
        24,
        "Comité de rédaction",
        "SAW-B",
        "fr",
    ),
    (
        "Femmes entrepreneures en coopérative",
        "study",
        9,
        30,
        "Équipe éducation permanente",
        "Febecoop",
        "fr",
    ),
    (
        "Cooperatives of freelancers in Europe",
        "article",
        10,
        28,
        "International team",
        "Cooperatives Europe",
        "en",
    ),
    (
        "Le travail autonome solidaire (livre)",
        "book",
        11,
        25,
        "Collectif",
        "Couleur livres",
        "fr",
    ),
];

/// (title, kind, month, day, place, speakers, partners, audience)
type PlannedEvent = (
    &'static str,
    &'static str,
    i8,
    i8,
    &'static str,
    &'static str,
    &'static str,
    i64,
);

const EVENTS: [PlannedEvent; 12] = [
    (
        "L'économie sociale en 2030",
        "conference",
        1,
        23,
        "Bruxelles",
        "Direction",
        "ConcertES",
        140,
    ),
    (
        "Indépendant ou salarié ?",
        "debate",
        2,
        15,
        "Liège",
        "Service juridique",
        "",
        60,
    ),
    (
        "Coöperatief ondernemen",
        "conference",
        3,
        7,
        "Gent",
        "Team Gent",
        "Febecoop",
        85,
    ),
    (
        "Comprendre sa fiche de paie",
        "workshop",
        3,
        28,
        "Namur",
        "Équipe paie",
        "",
        25,
    ),
    (
        "Les coopératives et la culture",
        "festival-talk",
        4,
        26,
        "Mons",
        "Direction",
        "",
        210,
    ),
    (
        "Artistes et statut",
        "debate",
        5,
        17,
        "Bruxelles",
        "Service juridique",
        "SMartBe",
        95,
    ),
    (
        "La démocratie au travail",
        "conference",
        6,
        12,
        "Charleroi",
        "Conseil d'administration",
        "SAW-B",
        70,
    ),
    (
        "Festival des solidarités",
        "festival-talk",
        8,
        30,
        "Namur",
        "Équipe éducation permanente",
        "RES",
        320,
    ),
    (
        "Entreprendre en coopérative",
        "workshop",
        9,
        20,
        "Bruxelles",
        "Conseillers",
        "",
        30,
    ),
    (
        "Cooperatives in Europe",
        "conference",
        10,
        9,
        "Brussels",
        "International team",
        "Cooperatives Europe",
        150,
    ),
    (
        "Le revenu des indépendants",
        "debate",
        11,
        14,
        "Liège",
        "Direction",
        "ConcertES",
        55,
    ),
    (
        "Bilan de l'année coopérative",
        "conference",
        12,
        5,
        "Bruxelles",
        "Direction",
        "Febecoop",
        120,
    ),
];

/// (name, kind, since, until (empty: current), fee in euros)
const NETWORKS: [(&str, &str, &str, &str, &str); 8] = [
    ("Febecoop", "federation", "2012-01-01", "", "1.500"),
    ("ConcertES", "platform", "2014-01-01", "", "900"),
    ("SAW-B", "federation", "2013-06-01", "", "1.200"),
    ("Cooperatives Europe", "network", "2016-01-01", "", "2.000"),
    (
        "RES – Réseau de l'économie sociale",
        "network",
        "2018-03-01",
        "",
        "",
    ),
    (
        "Vlaams Netwerk van Ondernemingen",
        "network",
        "2019-01-01",
        "",
        "750",
    ),
    ("Réseau Financité", "network", "2015-01-01", "", "250"),
    (
        "Plateforme des indépendants solidaires",
        "platform",
        "2017-01-01",
        "2023-12-31",
        "100",
    ),
];

async fn seed_advocacy(store: &Store, today: Date, staff: &AuditContext) -> Result<()> {
    // Last year (the reference year) in full; this year and two years ago, a few each.
    for (years_before, keep) in [(2_i16, 4_usize), (1, 9), (0, 3)] {
        for (title, kind, m, d, authors, partners, language) in PUBLICATIONS.iter().take(keep) {
            let on = day(today, years_before, *m, *d)?;
            if on > today {
                continue;
            }
            let title = if years_before == 1 {
                (*title).to_string()
            } else {
                format!("{title} ({})", on.year())
            };
            let new = PublicationForm {
                advocacy_title: title,
                advocacy_kind: (*kind).into(),
                advocacy_date: on.to_string(),
                advocacy_authors: (*authors).into(),
                advocacy_partners: (*partners).into(),
                advocacy_link: String::new(),
                advocacy_language: (*language).into(),
                advocacy_summary: String::new(),
            }
            .parse()
            .map_err(|e| anyhow!("demo publication: {e}"))?;
            store.save_publication(staff, None, &new, noon(on)?).await?;
        }
    }
    for (years_before, keep) in [(2_i16, 6_usize), (1, 12), (0, 4)] {
        for (title, kind, m, d, place, speakers, partners, audience) in EVENTS.iter().take(keep) {
            let on = day(today, years_before, *m, *d)?;
            if on > today {
                continue;
            }
            let new = EventForm {
                advocacy_title: (*title).into(),
                advocacy_kind: (*kind).into(),
                advocacy_date: on.to_string(),
                advocacy_place: (*place).into(),
                advocacy_speakers: (*speakers).into(),
                advocacy_partners: (*partners).into(),
                advocacy_audience: (audience - 5 * i64::from(years_before)).to_string(),
            }
            .parse()
            .map_err(|e| anyhow!("demo event: {e}"))?;
            store
                .save_advocacy_event(staff, None, &new, noon(on)?)
                .await?;
        }
    }
    let representative = store
        .account_by_email(PARTICIPATION)
        .await?
        .map(|a| a.person_id.to_string())
        .unwrap_or_default();
    for (name, kind, since, until, fee) in NETWORKS {
        let new = NetworkForm {
            advocacy_name: name.into(),
            advocacy_kind: kind.into(),
            advocacy_since: since.into(),
            advocacy_until: until.into(),
            advocacy_fee: fee.into(),
            advocacy_representative: if until.is_empty() {
                representative.clone()
            } else {
                String::new()
            },
        }
        .parse()
        .map_err(|e| anyhow!("demo network: {e}"))?;
        store.save_network(staff, None, &new, noon(today)?).await?;
    }
    Ok(())
}
