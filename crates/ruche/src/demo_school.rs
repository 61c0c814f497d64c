//! Demo school of cooperation and labs (C13): a programme of 12 workshops a year for the
//! current year and the two before, about 25 sessions a year in the offices and online,
//! registrations of the demo's members (full sessions with a waiting list, places given
//! from it, attendance of the past sessions), and 7 labs running this year (one paused),
//! one closed last year and one proposed, with members, meetings and outputs.
//!
//! `membre@` and `lid@` are never registered for a session (the browser journey registers
//! `lid@`); `lid@` coordinates one lab. Skipped when the programme holds any workshop.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::{Date, Time, time};
use ruche_domain::labs::{LabEvent, LabModel, NewLab, NewMeeting, NewOutput, OutputKind};
use ruche_domain::school::{Attendance, Audience, NewSession, NewWorkshop, Venue, WorkshopTheme};
use ruche_domain::{Language, Role};
use ruche_store::school::Registrant;
use ruche_store::{AuditContext, PageRequest, Store};

/// Never registered by the demo: the browser journey registers them itself.
const FREE: [&str; 2] = ["membre@demo.ruche.coop", "lid@demo.ruche.coop"];

/// (theme, audience, title fr, title nl, description fr, description nl)
type Workshop = (
    WorkshopTheme,
    Audience,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const PROGRAMME: [Workshop; 12] = [
    (
        WorkshopTheme::CooperativeCulture,
        Audience::Both,
        "Qu'est-ce qu'une entreprise partagée ?",
        "Wat is een gedeelde onderneming?",
        "Le modèle de l'entreprise partagée : la coopérative vend, facture et emploie, le membre développe son activité. Mutualisation, contribution, garantie de salaire.",
        "Het model van de gedeelde onderneming: de coöperatie verkoopt, factureert en werkt tewerk, het lid ontwikkelt zijn activiteit. Mutualisering, bijdrage, loongarantie.",
    ),
    (
        WorkshopTheme::CooperativeCulture,
        Audience::Members,
        "Être sociétaire : droits et devoirs",
        "Vennoot zijn: rechten en plichten",
        "La part, la voix à l'assemblée générale (une personne, une voix), les mandats, les valeurs coopératives de l'ACI.",
        "Het aandeel, de stem op de algemene vergadering (één persoon, één stem), de mandaten, de coöperatieve waarden van de ICA.",
    ),
    (
        WorkshopTheme::CooperativeHistory,
        Audience::Both,
        "Des Équitables Pionniers de Rochdale à aujourd'hui",
        "Van de Rochdale Pioneers tot vandaag",
        "Deux siècles de coopération : Rochdale, le mouvement coopératif belge, l'économie sociale et l'agrément CNC.",
        "Twee eeuwen coöperatie: Rochdale, de Belgische coöperatieve beweging, de sociale economie en de NRC-erkenning.",
    ),
    (
        WorkshopTheme::Payslip,
        Audience::Members,
        "Comprendre sa fiche de paie",
        "Je loonbrief begrijpen",
        "Du budget de l'activité au salaire net : coût employeur, cotisations ONSS, précompte professionnel, pécule de vacances.",
        "Van het budget van de activiteit tot het nettoloon: werkgeverskost, RSZ-bijdragen, bedrijfsvoorheffing, vakantiegeld.",
    ),
    (
        WorkshopTheme::Payslip,
        Audience::Members,
        "Artistes : l'attestation du travail des arts",
        "Kunstenaars: het kunstwerkattest",
        "Le statut d'artiste, l'attestation, les droits d'auteur et les règles de volume de travail.",
        "Het kunstenaarsstatuut, het attest, auteursrechten en de regels rond arbeidsvolume.",
    ),
    (
        WorkshopTheme::GeneralAssembly,
        Audience::Members,
        "Préparer l'assemblée générale",
        "De algemene vergadering voorbereiden",
        "L'ordre du jour, les comptes, les procurations, le plafond d'un dixième des voix : tout pour voter en connaissance de cause.",
        "De agenda, de rekeningen, de volmachten, de stemplafond van een tiende: alles om met kennis van zaken te stemmen.",
    ),
    (
        WorkshopTheme::ParticipationSpaces,
        Audience::Both,
        "Les espaces de participation",
        "De participatieruimtes",
        "Labs, cycles de recommandations, comité d'éthique : où et comment faire entendre sa voix dans la coopérative.",
        "Labs, aanbevelingscycli, ethisch comité: waar en hoe je stem laten horen in de coöperatie.",
    ),
    (
        WorkshopTheme::ParticipationSpaces,
        Audience::Members,
        "Animer un lab",
        "Een lab begeleiden",
        "Lancer un lab, animer ses réunions, garder la trace de ses productions : la boîte à outils des coordinateur·ices.",
        "Een lab opstarten, vergaderingen leiden, de resultaten bijhouden: de gereedschapskist van de coördinatoren.",
    ),
    (
        WorkshopTheme::Tools,
        Audience::Members,
        "Prendre en main ruche : devis, factures, budget",
        "Aan de slag met ruche: offertes, facturen, budget",
        "Faire un devis, le transformer en facture, suivre le budget de son activité en temps réel.",
        "Een offerte maken, er een factuur van maken, het budget van je activiteit live opvolgen.",
    ),
    (
        WorkshopTheme::Tools,
        Audience::Members,
        "Frais, kilomètres et prêts à 0 %",
        "Onkosten, kilometers en leningen aan 0 %",
        "Déclarer ses frais et ses kilomètres, demander un prêt à 0 % : les règles et les outils.",
        "Onkosten en kilometers aangeven, een lening aan 0 % aanvragen: de regels en de tools.",
    ),
    (
        WorkshopTheme::StaffOnboarding,
        Audience::Staff,
        "Accueil des nouveaux membres du personnel",
        "Onthaal van nieuwe personeelsleden",
        "Le modèle, les services, les outils et les personnes : une journée pour prendre ses marques.",
        "Het model, de diensten, de tools en de mensen: een dag om je weg te vinden.",
    ),
    (
        WorkshopTheme::StaffOnboarding,
        Audience::Staff,
        "Accompagner un membre : la posture du conseiller",
        "Een lid begeleiden: de houding van de adviseur",
        "Écoute, validation des activités, suivi des impayés : la pratique du conseil dans une coopérative.",
        "Luisteren, activiteiten valideren, onbetaalde facturen opvolgen: adviseren in een coöperatie.",
    ),
];

/// A small deterministic sequence, so every demo looks the same.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

async fn account(store: &Store, email: &str) -> Result<Option<(i64, i64)>> {
    Ok(store
        .account_by_email(email)
        .await?
        .map(|a| (a.id, a.person_id)))
}

/// The persons with a role (bounded), minus the free ones.
async fn people(store: &Store, role: Role, free: &[i64]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for page in 1..=10 {
        let p = store
            .accounts(None, Some(role), PageRequest::new(page, 200))
            .await?;
        out.extend(p.items.iter().map(|a| a.person_id));
        if page >= p.pages() {
            break;
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|id| !free.contains(id) && seen.insert(*id));
    Ok(out)
}

fn t(h: i8, m: i8) -> Time {
    time(h, m, 0, 0)
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if !store.all_school_workshops().await?.is_empty() {
        return Ok(());
    }
    let staff_ctx = AuditContext {
        actor_account_id: account(store, "participation@demo.ruche.coop")
            .await?
            .map(|a| a.0),
        ip: None,
    };
    let mut free = Vec::new();
    for email in FREE {
        if let Some((_, person)) = account(store, email).await? {
            free.push(person);
        }
    }
    let members = people(store, Role::Member, &free).await?;
    let mut staff = people(store, Role::Advisor, &free).await?;
    staff.truncate(40);
    if members.len() < 30 {
        return Err(anyhow!("the school's demo needs the demo's members first"));
    }
    let offices = store.all_offices().await?;
    let mut dice = Dice(8);
    for year in [today.year() - 2, today.year() - 1, today.year()] {
        seed_year(
            store, &staff_ctx, today, year, &members, &staff, &offices, &mut dice,
        )
        .await?;
    }
    seed_labs(store, &staff_ctx, today, &members, &mut dice).await?;
    // The reminders of the sessions of the next two days, as the hourly run would.
    store
        .run_school_reminders(&AuditContext::system(), today)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn seed_year(
    store: &Store,
    ctx: &AuditContext,
    today: Date,
    year: i16,
    members: &[i64],
    staff: &[i64],
    offices: &[ruche_store::offices::OfficeRecord],
    dice: &mut Dice,
) -> Result<()> {
    let mut workshops = Vec::new();
    for (theme, audience, title_fr, title_nl, description_fr, description_nl) in PROGRAMME {
        let w = store
            .create_school_workshop(
                ctx,
                &NewWorkshop {
                    year,
                    theme,
                    audience,
                    title_fr: title_fr.into(),
                    title_nl: title_nl.into(),
                    description_fr: description_fr.into(),
                    description_nl: description_nl.into(),
                },
            )
            .await?;
        workshops.push((w.id, audience));
    }
    // 25 sessions: two a month (none in July and August), a few more in spring and
    // autumn; one in three online.
    let mut sessions = 0;
    let mut i = 0u64;
    let months = [1i8, 2, 3, 3, 4, 5, 5, 6, 9, 9, 10, 10, 11, 11, 12];
    while sessions < 25 {
        let month = months[(i as usize) % months.len()];
        let d = 3 + i8::try_from(dice.next(24)).unwrap_or(0);
        i += 1;
        let Ok(mut day) = Date::new(year, month, d) else {
            continue;
        };
        // Weekdays only.
        while matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            day = day.checked_add(1.day())?;
        }
        let (w, audience) = workshops[(i as usize * 7) % workshops.len()];
        let morning = dice.next(2) == 0;
        let (start, end) = if morning {
            (t(9, 30), t(12, 30))
        } else {
            (t(14, 0), t(16, 30))
        };
        let online = i.is_multiple_of(3) || offices.is_empty();
        let venue = if online {
            Venue::Online("https://meet.ruche.coop/ecole".into())
        } else {
            Venue::Office(offices[(i as usize) % offices.len()].id)
        };
        let language = match i % 5 {
            1 | 3 => Language::Nl,
            _ => Language::Fr,
        };
        let capacity = [8, 10, 12, 15, 20][(i as usize) % 5];
        let s = store
            .create_school_session(
                ctx,
                &NewSession {
                    workshop_id: w,
                    held_on: day,
                    start,
                    end,
                    language,
                    venue,
                    capacity,
                    waiting_list: i % 4 != 2,
                },
            )
            .await?;
        sessions += 1;
        let pool: &[i64] = if audience == Audience::Staff {
            staff
        } else {
            members
        };
        if pool.is_empty() {
            continue;
        }
        let past = day < today;
        // Past sessions filled at 60–110 % of the capacity; upcoming ones less, except
        // one in five full with a waiting list.
        let wanted = if past {
            capacity * (6 + i64::try_from(dice.next(6)).unwrap_or(0)) / 10
        } else if i.is_multiple_of(5) && s.waiting_list {
            capacity + 2
        } else {
            capacity * i64::try_from(dice.next(7)).unwrap_or(0) / 10
        };
        let registered_on = day.checked_sub(20.days())?;
        let open = registered_on.at(10, 0, 0, 0).min(today.at(7, 0, 0, 0));
        let at = micros(open)?;
        let offset = usize::try_from(dice.next(pool.len() as u64)).unwrap_or(0);
        let who = Registrant {
            person_id: 0,
            member: audience != Audience::Staff,
            staff: audience != Audience::Members,
        };
        let mut placed = Vec::new();
        for k in 0..usize::try_from(wanted).unwrap_or(0).min(pool.len()) {
            let person_id = pool[(offset + k * 7) % pool.len()];
            let r = store
                .register_for_school_session(
                    &AuditContext::system(),
                    s.id,
                    Registrant { person_id, ..who },
                    open,
                    at,
                )
                .await;
            if let Ok(r) = r {
                placed.push(r);
            }
        }
        // Past full sessions: someone cancelled and the first on the waiting list came.
        if past && placed.len() as i64 > capacity {
            let first = placed[0].person_id;
            store
                .cancel_school_registration(
                    &AuditContext::system(),
                    s.id,
                    first,
                    open,
                    at + 86_400_000_000,
                )
                .await?;
        }
        if past {
            let regs = store.school_session_registrations(s.id).await?;
            let marks: Vec<(i64, Attendance)> = regs
                .iter()
                .filter(|r| r.status == "registered")
                .map(|r| {
                    let a = if dice.next(10) < 8 {
                        Attendance::Attended
                    } else {
                        Attendance::Absent
                    };
                    (r.id, a)
                })
                .collect();
            store
                .record_school_attendance(ctx, s.id, &marks, day.at(18, 0, 0, 0))
                .await?;
        }
    }
    if year == today.year() {
        upcoming(store, ctx, today, &workshops, members, offices).await?;
    }
    Ok(())
}

/// A Brussels wall-clock time as stored instants (Unix microseconds).
fn micros(at: jiff::civil::DateTime) -> Result<i64> {
    Ok(at
        .to_zoned(jiff::tz::TimeZone::get("Europe/Brussels")?)?
        .timestamp()
        .as_microsecond())
}

/// Three sessions whatever the day: tomorrow's, full with a waiting list, and two in the
/// next weeks with places left (the browser journey registers there).
async fn upcoming(
    store: &Store,
    ctx: &AuditContext,
    today: Date,
    workshops: &[(i64, Audience)],
    members: &[i64],
    offices: &[ruche_store::offices::OfficeRecord],
) -> Result<()> {
    let open = today.at(7, 0, 0, 0);
    let at = micros(open)?;
    let plan = [
        (
            workshops[5].0,
            today.checked_add(1.day())?,
            8,
            11,
            Language::Fr,
        ),
        (
            workshops[6].0,
            today.checked_add(9.days())?,
            15,
            6,
            Language::Nl,
        ),
        (
            workshops[0].0,
            today.checked_add(16.days())?,
            12,
            3,
            Language::Fr,
        ),
    ];
    for (n, (workshop_id, day, capacity, wanted, language)) in plan.into_iter().enumerate() {
        // The last one online.
        let venue = match offices.get(n).filter(|_| n < 2) {
            Some(o) => Venue::Office(o.id),
            None => Venue::Online("https://meet.ruche.coop/ecole".into()),
        };
        let s = store
            .create_school_session(
                ctx,
                &NewSession {
                    workshop_id,
                    held_on: day,
                    start: t(14, 0),
                    end: t(16, 30),
                    language,
                    venue,
                    capacity,
                    waiting_list: true,
                },
            )
            .await?;
        for k in 0..wanted {
            let person_id = members[(k * 13 + n * 5) % members.len()];
            let who = Registrant {
                person_id,
                member: true,
                staff: false,
            };
            // A person already registered elsewhere is fine; a double is skipped.
            let _ = store
                .register_for_school_session(&AuditContext::system(), s.id, who, open, at)
                .await;
        }
    }
    Ok(())
}

/// (name, theme, model, description, started months ago)
const LABS: [(&str, &str, LabModel, &str, i64); 9] = [
    (
        "Lab des musicien·nes",
        "Musique et spectacle vivant",
        LabModel::PeerSupport,
        "Entraide entre musicien·nes : contrats de cession, tarifs, tournées, droits voisins.",
        30,
    ),
    (
        "Lab formation",
        "Formateurs et formatrices",
        LabModel::SectorCoConstruction,
        "Construire ensemble les règles du secteur de la formation : exonération de TVA, catalogues, qualité.",
        26,
    ),
    (
        "Réseau des graphistes",
        "Graphisme et illustration",
        LabModel::NetworkCreation,
        "Créer un réseau de graphistes et d'illustrateur·ices pour répondre ensemble à de plus grands projets.",
        20,
    ),
    (
        "Lab des traducteur·ices",
        "Traduction et interprétation",
        LabModel::PracticeExchange,
        "Échanger nos pratiques : outils de TAO, tarifs au mot, relations avec les agences.",
        17,
    ),
    (
        "Action collective : délais de paiement",
        "Paiement des freelances",
        LabModel::CollectiveAction,
        "Plaider pour le respect des délais de paiement par les pouvoirs publics et les grands clients.",
        14,
    ),
    (
        "Coaching : se lancer",
        "Démarrer une activité",
        LabModel::Coaching,
        "Des membres expérimentés accompagnent celles et ceux qui lancent leur activité.",
        9,
    ),
    (
        "Lab audiovisuel",
        "Cinéma, vidéo, son",
        LabModel::PracticeExchange,
        "Partager le matériel, les plans de tournage et les contrats types de l'audiovisuel.",
        5,
    ),
    (
        "Lab artisanat",
        "Métiers d'art",
        LabModel::PeerSupport,
        "Entraide entre artisan·es : ateliers partagés, marchés, vente en ligne.",
        34,
    ),
    (
        "Lab écriture",
        "Auteurs et autrices",
        LabModel::PracticeExchange,
        "Proposé par des membres : échanges sur l'édition, les résidences et les droits d'auteur.",
        0,
    ),
];

const OUTPUTS: [(&str, OutputKind); 6] = [
    ("Grille tarifaire indicative", OutputKind::Tool),
    ("Note au conseil d'administration", OutputKind::Proposal),
    ("Rencontre publique du lab", OutputKind::Event),
    ("Compte rendu annuel", OutputKind::Note),
    (
        "Article dans la lettre aux membres",
        OutputKind::Publication,
    ),
    ("Contrat type commenté", OutputKind::Tool),
];

async fn seed_labs(
    store: &Store,
    ctx: &AuditContext,
    today: Date,
    members: &[i64],
    dice: &mut Dice,
) -> Result<()> {
    let lid = account(store, "lid@demo.ruche.coop").await?.map(|a| a.1);
    let this_year = Date::new(today.year(), 1, 1)?;
    for (n, (name, theme, model, description, months)) in LABS.into_iter().enumerate() {
        let started = today.checked_sub(months.months())?;
        let proposal = months == 0;
        let offset = n * 17;
        let coordinator = match (n, lid) {
            (0, Some(lid)) => lid,
            _ => members[offset % members.len()],
        };
        let lab = store
            .create_lab(
                ctx,
                &NewLab {
                    name: name.into(),
                    theme: theme.into(),
                    model,
                    description: description.into(),
                    started_on: (!proposal).then_some(started),
                    coordinator_person_id: coordinator,
                },
                today,
            )
            .await?;
        if proposal {
            continue;
        }
        let size = 4 + usize::try_from(dice.next(9)).unwrap_or(0);
        for k in 1..size {
            let person = members[(offset + k * 11) % members.len()];
            if person == coordinator {
                continue;
            }
            let joined = started.checked_add((i64::try_from(k).unwrap_or(0) * 9).days())?;
            let joined = joined.min(today);
            if store
                .join_lab(&AuditContext::system(), lab.id, person, joined)
                .await
                .is_ok()
                && k == 2
            {
                store
                    .set_lab_coordinator(ctx, lab.id, person, true, joined)
                    .await?;
            }
        }
        // The closed lab ended last year; one lab pauses this year.
        let ends = (n == 7)
            .then(|| this_year.checked_sub(2.months()))
            .transpose()?;
        let mut day = started.checked_add(14.days())?;
        let mut m = 0;
        while day <= ends.unwrap_or(today) && m < 40 {
            store
                .record_lab_meeting(
                    ctx,
                    lab.id,
                    &NewMeeting {
                        held_on: day,
                        place: (m % 3 != 0).then(|| "Bureau de Bruxelles".to_string()),
                        notes: format!(
                            "Réunion {}. Tour de table, suivi des actions, prochaines étapes.",
                            m + 1
                        ),
                        present_count: 3 + i64::try_from(dice.next(6)).unwrap_or(0),
                    },
                )
                .await?;
            if m % 4 == 3 {
                let (title, kind) = OUTPUTS[(n + m) % OUTPUTS.len()];
                store
                    .record_lab_output(
                        ctx,
                        lab.id,
                        &NewOutput {
                            title: title.into(),
                            kind,
                            produced_on: day,
                            link: None,
                        },
                    )
                    .await?;
            }
            day = day.checked_add(42.days())?;
            m += 1;
        }
        if let Some(end) = ends {
            store
                .change_lab_status(ctx, lab.id, LabEvent::Close, end)
                .await?;
        } else if n == 4 {
            store
                .change_lab_status(ctx, lab.id, LabEvent::Pause, today)
                .await?;
        }
    }
    Ok(())
}
