//! Demo prevention and diversity (C15) over the current year and the two before it: about
//! twelve incidents a year (a few work accidents, one declared late each year, one overdue
//! this year, one still within its eight days), ten risk sheets (two past their review), about
//! fifteen prevention actions, a committee meeting every past month, health checks (some
//! overdue) and the diversity plan's ten actions. People are the demo's existing persons with
//! an account (no new person). Everything goes through the domain's forms, written by
//! prevention@ (a few reports by conseiller@). Skipped when the register holds an entry.

use anyhow::{Result, anyhow};
use jiff::Span;
use jiff::civil::Date;
use ruche_domain::prevention::{
    ActionEvent, DiversityActionForm, FollowUpForm, HealthCheckForm, IncidentForm, MeetingForm,
    PreventionActionForm, RiskSheetForm,
};
use ruche_store::prevention::IncidentFilter;
use ruche_store::{AuditContext, PageRequest, Store};

const PREVENTION_EMAIL: &str = "prevention@demo.ruche.coop";
const ADVISOR_EMAIL: &str = "conseiller@demo.ruche.coop";
const SERVICE: &str = "Service externe de prévention (SEPP)";

/// The Brussels noon of a day, as the instant a record was written.
fn noon(d: Date) -> Result<i64> {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels")?;
    Ok(d.at(12, 0, 0, 0).to_zoned(tz)?.timestamp().as_microsecond())
}

fn plus(d: Date, days: i64) -> Result<Date> {
    Ok(d.checked_add(Span::new().days(days))?)
}

/// One incident of a year: (month, day, time, nature, severity, days lost, declared after
/// n days, what happened, place in free text when not an office).
type Planned = (
    i8,
    i8,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    &'static str,
    Option<&'static str>,
);

const INCIDENTS: [Planned; 12] = [
    (1, 14, "09:40", "incident", "none", 0, None, "", None),
    (
        2,
        3,
        "16:20",
        "work-accident",
        "lost-time",
        4,
        Some(3),
        "Entorse de la cheville en descendant l'escalier de secours.",
        None,
    ),
    (
        3,
        10,
        "07:55",
        "near-miss",
        "none",
        0,
        None,
        "",
        Some("Entrepôt partagé, quai de chargement"),
    ),
    (
        4,
        22,
        "18:05",
        "aggression",
        "first-aid",
        0,
        None,
        "Menaces et bousculade par un client mécontent ; choc émotionnel.",
        None,
    ),
    (
        5,
        6,
        "11:30",
        "work-accident",
        "first-aid",
        0,
        None,
        "Coupure superficielle au doigt (cutter).",
        None,
    ),
    // Declared eleven days after: late.
    (
        6,
        17,
        "08:10",
        "commuting-accident",
        "lost-time",
        12,
        Some(11),
        "Chute à vélo sur le trajet ; fracture du poignet.",
        Some("Chaussée de Waterloo"),
    ),
    (
        7,
        2,
        "14:00",
        "near-miss",
        "none",
        0,
        None,
        "",
        Some("Salle de spectacle, passerelle technique"),
    ),
    (8, 25, "10:45", "incident", "none", 0, None, "", None),
    (
        9,
        9,
        "15:35",
        "work-accident",
        "serious",
        21,
        Some(5),
        "Chute d'une échelle lors d'un montage ; contusions multiples.",
        Some("Salle de spectacle, scène"),
    ),
    (
        10,
        13,
        "09:00",
        "occupational-disease",
        "lost-time",
        10,
        None,
        "Tendinite de l'épaule (gestes répétitifs).",
        None,
    ),
    // Declared this year only when it is not the current one: the current year's is overdue.
    (
        11,
        4,
        "13:20",
        "work-accident",
        "lost-time",
        2,
        Some(2),
        "Lumbago en portant du matériel.",
        None,
    ),
    (
        12,
        1,
        "17:50",
        "near-miss",
        "none",
        0,
        None,
        "",
        Some("Parking du siège"),
    ),
];

/// (scope, job, title, hazards, probability, severity, measures, equipment).
type PlannedSheet = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static str,
    &'static str,
);

/// (title, origin, plan, year offset, risk sheet index, from an incident, done after n days).
type PlannedAction = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<usize>,
    bool,
    Option<i64>,
);

const RISK_SHEETS: [PlannedSheet; 10] = [
    (
        "job",
        "trainer",
        "Formateur·rice",
        "Voix, station debout prolongée, déplacements",
        2,
        2,
        "Pauses, micro portatif, planning des trajets",
        "—",
    ),
    (
        "job",
        "performer",
        "Artiste de scène",
        "Chutes, bruit, horaires de nuit",
        3,
        3,
        "Répétitions encadrées, bouchons moulés, repos",
        "Protections auditives",
    ),
    (
        "job",
        "technician",
        "Technicien·ne son et lumière",
        "Travail en hauteur, charges suspendues, électricité",
        3,
        4,
        "Harnais, formation au travail en hauteur, consignation électrique",
        "Harnais, casque, gants",
    ),
    (
        "job",
        "office-worker",
        "Employé·e de bureau",
        "Écran, posture, charge psychosociale",
        3,
        1,
        "Postes réglables, pauses écran, entretiens annuels",
        "—",
    ),
    (
        "job",
        "warehouse",
        "Magasinier·ère",
        "Charges lourdes, chariot élévateur, coupures",
        3,
        3,
        "Formation cariste, aides à la manutention",
        "Chaussures S3, gants anti-coupure",
    ),
    (
        "job",
        "driver",
        "Chauffeur·euse livreur",
        "Accidents de la route, manutention",
        2,
        4,
        "Formation à la conduite défensive, planning sans urgence",
        "Gilet haute visibilité",
    ),
    (
        "place",
        "",
        "Siège : bâtiment principal",
        "Incendie, évacuation, escaliers",
        1,
        4,
        "Exercices d'évacuation, détecteurs, main courante",
        "Extincteurs, trousses de secours",
    ),
    (
        "place",
        "",
        "Entrepôt partagé",
        "Circulation des chariots, rayonnages",
        2,
        3,
        "Marquage au sol, contrôle annuel des rayonnages",
        "Chaussures de sécurité",
    ),
    (
        "place",
        "",
        "Salle de spectacle",
        "Passerelles, fosse d'orchestre, bruit",
        2,
        4,
        "Garde-corps, balisage, limitation sonore",
        "Protections auditives",
    ),
    (
        "place",
        "",
        "Atelier de couture",
        "Machines, coupures, poussières",
        2,
        2,
        "Protecteurs de machines, aspiration",
        "Gants, masques",
    ),
];

const DIVERSITY: [(&str, &str, &str, &str); 10] = [
    (
        "Offres d'emploi rédigées de manière inclusive",
        "recruitment",
        "Ressources humaines",
        "100 % des offres relues",
    ),
    (
        "Jurys de recrutement mixtes",
        "gender",
        "Ressources humaines",
        "Au moins une femme et un homme par jury",
    ),
    (
        "Formation aux biais inconscients",
        "training",
        "Service formation",
        "Tout le personnel encadrant formé",
    ),
    (
        "Accessibilité PMR du siège",
        "accessibility",
        "Service des lieux",
        "Entrée, ascenseur et sanitaires adaptés",
    ),
    (
        "Parrainage des travailleurs de plus de 50 ans",
        "age",
        "Ressources humaines",
        "10 binômes intergénérationnels",
    ),
    (
        "Partenariat avec des associations d'insertion",
        "origin",
        "Direction",
        "3 conventions signées",
    ),
    (
        "Aménagements raisonnables de postes",
        "disability",
        "Conseiller en prévention",
        "Chaque demande traitée en 30 jours",
    ),
    (
        "Horaires flexibles et télétravail",
        "work-life",
        "Direction",
        "Charte adoptée par le conseil",
    ),
    (
        "Égalité salariale : analyse annuelle",
        "gender",
        "Comptabilité",
        "Écart expliqué poste par poste",
    ),
    (
        "Site web conforme WCAG 2.1 AA",
        "accessibility",
        "Communication",
        "Audit sans erreur bloquante",
    ),
];

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store
        .incidents(&IncidentFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    // A demo without the prevention adviser (a trimmed data set) has no register.
    let Some(adviser) = store.account_by_email(PREVENTION_EMAIL).await? else {
        return Ok(());
    };
    let ctx = AuditContext::account(adviser.id, None);
    let advisor_ctx = match store.account_by_email(ADVISOR_EMAIL).await? {
        Some(a) => AuditContext::account(a.id, None),
        None => ctx.clone(),
    };
    let people = store.prevention_people().await?;
    let offices = store.offices(PageRequest::new(1, 50)).await?.items;
    if people.is_empty() || offices.is_empty() {
        return Ok(());
    }
    let person = |i: usize| people[i % people.len()].0.to_string();
    let office = |i: usize| offices[i % offices.len()].id.to_string();
    let year = today.year();
    let first = Date::new(year - 2, 1, 1)?;

    // ------------------------------------------------------------------ the committee
    let mut meetings = Vec::new();
    let mut d = Date::new(year - 2, 1, 10)?;
    // Every past month: the CPPT meets at least once a month.
    for _ in 0..40 {
        if d >= today.first_of_month() {
            break;
        }
        let m = MeetingForm {
            prv_held_on: d.to_string(),
            prv_present: "Employeur (2), délégués du personnel (4), conseiller en prévention, médecin du travail".into(),
            prv_agenda: "1. Accidents et incidents du mois\n2. Suivi du plan annuel d'action\n3. Divers".into(),
            prv_minutes: "Le comité passe en revue les incidents du mois et l'avancement des actions.".into(),
            prv_decisions: if d.month() % 3 == 0 {
                "Nouvelle action décidée (voir la liste des actions).".into()
            } else {
                String::new()
            },
        }
        .parse(today)
        .map_err(|e| anyhow!("demo meeting: {e:?}"))?;
        meetings.push(store.record_committee_meeting(&ctx, &m, noon(d)?).await?);
        d = d.checked_add(Span::new().months(1))?;
    }

    // ------------------------------------------------------------------ risk sheets
    let mut sheets = Vec::new();
    for (i, (scope, job, title, hazards, p, s, measures, equipment)) in
        RISK_SHEETS.iter().enumerate()
    {
        let reviewed = plus(first, 20 + 9 * i as i64)?;
        let form = RiskSheetForm {
            prv_scope: (*scope).into(),
            prv_job: (*job).into(),
            prv_office: if i == 6 { office(0) } else { String::new() },
            prv_place: if *scope == "place" && i != 6 {
                (*title).into()
            } else {
                String::new()
            },
            prv_title: (*title).into(),
            prv_hazards: (*hazards).into(),
            prv_probability: p.to_string(),
            prv_gravity: s.to_string(),
            prv_measures: (*measures).into(),
            prv_equipment: if *equipment == "—" {
                String::new()
            } else {
                (*equipment).into()
            },
            prv_reviewed_on: reviewed.to_string(),
            prv_next_review: plus(reviewed, 365)?.to_string(),
        }
        .parse(today)
        .map_err(|e| anyhow!("demo risk sheet {title}: {e:?}"))?;
        let sheet = store
            .create_risk_sheet(&ctx, &form, noon(reviewed)?)
            .await?;
        // Reviewed each year since, except the last two sheets (their review is overdue).
        let mut last = reviewed;
        for _ in 0..2 {
            let next = plus(last, 365)?;
            if i >= 8 || next > today {
                break;
            }
            store
                .review_risk_sheet(&ctx, sheet.id, next, plus(next, 365)?, noon(next)?)
                .await?;
            last = next;
        }
        sheets.push(sheet.id);
    }

    // ------------------------------------------------------------------ the register
    let mut accident_ids = Vec::new();
    for y in (year - 2)..=year {
        for (i, (month, day, time, nature, severity, lost, declared_after, injury, place)) in
            INCIDENTS.iter().enumerate()
        {
            let on = Date::new(y, *month, *day)?;
            if on > today {
                continue;
            }
            let current = y == year;
            // This year's November accident is the one not declared yet (overdue).
            let declared = match declared_after {
                Some(n) if !(current && *month == 11) => {
                    Some(plus(on, *n)?).filter(|d| *d <= today)
                }
                _ => None,
            };
            let who = i * 17 + usize::try_from(y).unwrap_or(0) * 5;
            let form = IncidentForm {
                prv_date: on.to_string(),
                prv_time: (*time).into(),
                prv_office: if place.is_none() {
                    office(i)
                } else {
                    String::new()
                },
                prv_place: place.map(str::to_string).unwrap_or_default(),
                prv_person: if *nature == "near-miss" {
                    String::new()
                } else {
                    person(who)
                },
                prv_nature: (*nature).into(),
                prv_severity: (*severity).into(),
                prv_injury: (*injury).into(),
                prv_witnesses: if *nature == "near-miss" {
                    String::new()
                } else {
                    "Deux collègues présents".into()
                },
                prv_measures: match *nature {
                    "near-miss" | "incident" => "Zone balisée, service technique prévenu.".into(),
                    _ => "Premiers soins sur place ; trousse de secours ; prise en charge.".into(),
                },
                prv_days_lost: lost.to_string(),
                prv_declared_on: declared.map(|d| d.to_string()).unwrap_or_default(),
            }
            .parse(today)
            .map_err(|e| anyhow!("demo incident {on}: {e:?}"))?;
            let reporter = if i % 4 == 3 { &advisor_ctx } else { &ctx };
            let incident = store.report_incident(reporter, &form, noon(on)?).await?;
            if form.nature.is_work_accident() {
                accident_ids.push(incident.id);
            }
            // Every accident and aggression gets its analysis as follow-up.
            if !matches!(*nature, "near-miss" | "incident") {
                let due = plus(on, 14)?;
                let f = FollowUpForm {
                    prv_followup_action: "Analyse des causes et mesures de prévention".into(),
                    prv_followup_owner: "Conseiller en prévention".into(),
                    prv_followup_due: due.to_string(),
                }
                .parse()
                .map_err(|e| anyhow!("demo follow-up: {e:?}"))?;
                let fu = store
                    .add_incident_followup(&ctx, incident.id, &f, noon(on)?)
                    .await?;
                let done = plus(on, 10)?;
                if done <= today && (!current || *month < 10) {
                    store
                        .complete_incident_followup(&ctx, incident.id, fu.id, done, noon(done)?)
                        .await?;
                }
            }
            // Closed a month later when nothing is pending any more.
            let close = plus(on, 30)?;
            if close <= today && !(current && *month >= 10) {
                let pending = incident.declaration(close)?.is_pending();
                if !pending {
                    store
                        .close_incident(&ctx, incident.id, close, noon(close)?)
                        .await?;
                }
            }
        }
    }
    // An accident of three days ago, still within its eight days.
    let recent = plus(today, -3)?;
    if recent.year() == year {
        let form = IncidentForm {
            prv_date: recent.to_string(),
            prv_time: "10:30".into(),
            prv_office: office(2),
            prv_person: person(5),
            prv_nature: "work-accident".into(),
            prv_severity: "lost-time".into(),
            prv_injury: "Brûlure à l'avant-bras (fer à souder).".into(),
            prv_measures: "Refroidissement, consultation.".into(),
            prv_days_lost: "1".into(),
            ..IncidentForm::default()
        }
        .parse(today)
        .map_err(|e| anyhow!("demo recent incident: {e:?}"))?;
        store
            .report_incident(&advisor_ctx, &form, noon(recent)?)
            .await?;
    }

    // ---------------------------------------------------------------- prevention actions
    let action_plan: [PlannedAction; 15] = [
        (
            "Main courante dans l'escalier de secours",
            "incident",
            "yearly",
            0,
            None,
            true,
            Some(40),
        ),
        (
            "Formation au travail en hauteur",
            "risk-sheet",
            "yearly",
            0,
            Some(2),
            false,
            Some(90),
        ),
        (
            "Contrôle annuel des rayonnages",
            "inspection",
            "yearly",
            0,
            Some(7),
            false,
            Some(60),
        ),
        (
            "Plan global de prévention 2024-2028",
            "committee",
            "global",
            0,
            None,
            false,
            Some(300),
        ),
        (
            "Exercice d'évacuation du siège",
            "inspection",
            "yearly",
            1,
            Some(6),
            false,
            Some(120),
        ),
        (
            "Protections auditives moulées pour les artistes",
            "risk-sheet",
            "yearly",
            1,
            Some(1),
            false,
            Some(150),
        ),
        (
            "Procédure de gestion des agressions",
            "incident",
            "yearly",
            1,
            None,
            true,
            Some(100),
        ),
        (
            "Postes de travail réglables",
            "risk-sheet",
            "yearly",
            1,
            Some(3),
            false,
            Some(200),
        ),
        (
            "Révision des trousses de secours",
            "inspection",
            "yearly",
            1,
            None,
            false,
            None,
        ),
        (
            "Garde-corps des passerelles techniques",
            "incident",
            "yearly",
            2,
            None,
            true,
            Some(60),
        ),
        (
            "Formation cariste des magasiniers",
            "risk-sheet",
            "yearly",
            2,
            Some(4),
            false,
            None,
        ),
        (
            "Analyse des risques psychosociaux",
            "committee",
            "global",
            2,
            None,
            false,
            None,
        ),
        (
            "Balisage du parking",
            "other",
            "yearly",
            2,
            None,
            false,
            None,
        ),
        (
            "Marquage au sol de l'entrepôt",
            "risk-sheet",
            "yearly",
            2,
            Some(7),
            false,
            None,
        ),
        (
            "Conduite défensive pour les chauffeurs",
            "risk-sheet",
            "yearly",
            2,
            Some(5),
            false,
            None,
        ),
    ];
    for (i, (title, origin, plan, age, sheet, from_incident, done_after)) in
        action_plan.iter().enumerate()
    {
        let y = year - 2 + *age as i16;
        let created = Date::new(y, 2 + (i % 9) as i8, 15)?;
        if created > today {
            continue;
        }
        let meeting = meetings
            .iter()
            .rfind(|m| m.held_on.as_str() <= created.to_string().as_str())
            .filter(|_| *origin == "committee");
        let form = PreventionActionForm {
            prv_title: (*title).into(),
            prv_origin: (*origin).into(),
            prv_plan: (*plan).into(),
            prv_owner: if i % 2 == 0 {
                "Conseiller en prévention".into()
            } else {
                "Service des lieux".into()
            },
            prv_due: plus(created, 120)?.to_string(),
            prv_risk_sheet: sheet.map(|s| sheets[s].to_string()).unwrap_or_default(),
            prv_incident: if *from_incident {
                accident_ids
                    .get(i % accident_ids.len().max(1))
                    .map(|x| x.to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            },
            prv_meeting: meeting.map(|m| m.id.to_string()).unwrap_or_default(),
        };
        let form = form
            .parse()
            .map_err(|e| anyhow!("demo action {title}: {e:?}"))?;
        let a = store
            .create_prevention_action(&ctx, &form, noon(created)?)
            .await?;
        let started = plus(created, 14)?;
        if started <= today && i % 5 != 4 {
            store
                .change_prevention_action(&ctx, a.id, ActionEvent::Start, started, noon(started)?)
                .await?;
        }
        match done_after {
            Some(n) if plus(created, *n)? <= today => {
                let done = plus(created, *n)?;
                store
                    .change_prevention_action(&ctx, a.id, ActionEvent::Complete, done, noon(done)?)
                    .await?;
            }
            // One action of two years ago was given up.
            None if *age == 1 && i == 8 => {
                let on = plus(created, 30)?;
                store
                    .change_prevention_action(&ctx, a.id, ActionEvent::Cancel, on, noon(on)?)
                    .await?;
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------ health surveillance
    for i in 0..12usize {
        let kind = match i % 6 {
            0..=2 => "periodic",
            3 => "pre-employment",
            4 => "return-to-work",
            _ => "pregnancy",
        };
        for y in (year - 2)..=year {
            let due = Date::new(y, 1 + (i % 12) as i8, 5 + (i % 20) as i8)?;
            // Periodic exams every year; the others once, in the current year.
            if kind != "periodic" && y != year {
                continue;
            }
            let form = HealthCheckForm {
                prv_person: person(i * 11 + 1),
                prv_kind: kind.into(),
                prv_due: due.to_string(),
                prv_service: SERVICE.into(),
            }
            .parse()
            .map_err(|e| anyhow!("demo health check: {e:?}"))?;
            let h = store.plan_health_check(&ctx, &form, noon(first)?).await?;
            // The past years' are done; this year's only when due before the summer (some
            // of the later ones are overdue, others still to come).
            let done_on = plus(due, 6)?;
            if done_on <= today && (y < year || due.month() <= 6) {
                store
                    .complete_health_check(&ctx, h.id, done_on, noon(done_on)?)
                    .await?;
            }
        }
    }

    // ---------------------------------------------------------------- diversity plan
    for (i, (title, axis, owner, target)) in DIVERSITY.iter().enumerate() {
        let created = Date::new(year - 2 + (i % 3) as i16, 3, 1)?;
        if created > today {
            continue;
        }
        let form = DiversityActionForm {
            div_title: (*title).into(),
            div_axis: (*axis).into(),
            div_owner: (*owner).into(),
            div_target: (*target).into(),
            div_due: Date::new(year + (i % 2) as i16, 12, 31)?.to_string(),
        }
        .parse()
        .map_err(|e| anyhow!("demo diversity action: {e:?}"))?;
        let a = store
            .create_diversity_action(&ctx, &form, noon(created)?)
            .await?;
        // Four done, four in progress, two planned.
        let started = plus(created, 30)?;
        if i < 8 && started <= today {
            store
                .change_diversity_action(
                    &ctx,
                    a.id,
                    ActionEvent::Start,
                    started,
                    None,
                    noon(started)?,
                )
                .await?;
        }
        let done = plus(created, 200)?;
        if i < 4 && done <= today {
            store
                .change_diversity_action(
                    &ctx,
                    a.id,
                    ActionEvent::Complete,
                    done,
                    Some("Objectif atteint ; bilan présenté au comité."),
                    noon(done)?,
                )
                .await?;
        }
    }
    Ok(())
}
