//! Prevention and diversity (C15), written through the domain's forms and the prevention
//! store as demo_prevention.rs does: 12 incidents of the year (5 work accidents with days
//! lost, declared three days later — within the eight days —, the first one twelve days
//! later, late), 12
//! committee meetings (one a month), 15 prevention actions (10 done in the year), 12 health
//! checks done, and the diversity plan's 10 actions (4 done, 4 in progress, 2 planned).
//! Institutional counts: they do not scale.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::prevention::{
    ActionEvent, DiversityActionForm, HealthCheckForm, IncidentForm, MeetingForm,
    PreventionActionForm,
};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::{Progress, Summary, noon};

const INCIDENTS: usize = 12;
const ACTIONS: usize = 15;
const ACTIONS_DONE: usize = 10;
const HEALTH_CHECKS: usize = 12;
const DIVERSITY: [(&str, &str); 10] = [
    (
        "Offres d'emploi rédigées de manière inclusive",
        "recruitment",
    ),
    ("Jurys de recrutement mixtes", "gender"),
    ("Parrainage des nouveaux membres de plus de 50 ans", "age"),
    ("Accueil en néerlandais et en français", "origin"),
    ("Accessibilité des bureaux", "disability"),
    ("Égalité salariale : relevé annuel", "gender"),
    ("Stages pour les jeunes des quartiers", "origin"),
    ("Aménagements raisonnables", "disability"),
    ("Formation aux biais de recrutement", "recruitment"),
    ("Fins de carrière aménagées", "age"),
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let year = coop.year;
    let end = Date::new(year, 12, 31)?;
    let person = |i: usize| coop.members[(i * 17) % coop.members.len()].person_id;
    progress.phase("prevention and diversity", 5);

    let mut meetings = Vec::new();
    for month in 1..=12i8 {
        let held = Date::new(year, month, 10)?;
        let m = MeetingForm {
            prv_held_on: held.to_string(),
            prv_present: "Employeur (2), délégués du personnel (4), conseiller en prévention"
                .into(),
            prv_agenda: "1. Incidents du mois\n2. Plan annuel d'action\n3. Divers".into(),
            prv_minutes: "Le comité passe en revue les incidents et les actions.".into(),
            prv_decisions: String::new(),
        }
        .parse(held)
        .map_err(|e| anyhow!("committee meeting: {e:?}"))?;
        meetings.push(
            store
                .record_committee_meeting(&ctx, &m, noon(held)?)
                .await?,
        );
        summary.prevention_meetings += 1;
    }
    progress.advance(1);

    let mut accidents = Vec::new();
    for i in 0..INCIDENTS {
        let on = Date::new(year, i8::try_from(i + 1)?, rng.random_range(1..=20))?;
        let accident = i % 5 < 2 && accidents.len() < 5;
        let lost: i64 = if accident {
            rng.random_range(1..=10)
        } else {
            0
        };
        // The first accident is declared late (twelve days after, the deadline is eight).
        let late = accident && accidents.is_empty();
        let declared_after: i64 = if late { 12 } else { 3 };
        let form = IncidentForm {
            prv_date: on.to_string(),
            prv_time: "10:30".into(),
            prv_office: String::new(),
            prv_place: "Atelier du membre".into(),
            prv_person: if accident {
                person(i).to_string()
            } else {
                String::new()
            },
            prv_nature: if accident {
                "work-accident"
            } else {
                "near-miss"
            }
            .into(),
            prv_severity: if accident { "lost-time" } else { "none" }.into(),
            prv_injury: if accident {
                "Entorse de la cheville.".into()
            } else {
                String::new()
            },
            prv_witnesses: String::new(),
            prv_measures: "Zone balisée, service technique prévenu.".into(),
            prv_days_lost: lost.to_string(),
            prv_declared_on: if accident {
                on.checked_add(declared_after.days())?.to_string()
            } else {
                String::new()
            },
        }
        .parse(on.checked_add(declared_after.days())?)
        .map_err(|e| anyhow!("incident of {on}: {e:?}"))?;
        let incident = store.report_incident(&ctx, &form, noon(on)?).await?;
        summary.prevention_incidents += 1;
        if accident {
            accidents.push(incident.id);
            summary.prevention_accidents += 1;
            summary.prevention_days_lost += lost;
            summary.prevention_declared_late += i64::from(late);
        }
    }
    progress.advance(1);

    for i in 0..ACTIONS {
        let created = Date::new(year, i8::try_from(1 + i % 9)?, 15)?;
        let form = PreventionActionForm {
            prv_title: format!("Action de prévention n° {}", i + 1),
            prv_origin: if i % 3 == 0 { "incident" } else { "committee" }.into(),
            prv_plan: "yearly".into(),
            prv_owner: "Conseiller en prévention".into(),
            prv_due: created.checked_add(120.days())?.to_string(),
            prv_risk_sheet: String::new(),
            prv_incident: if i % 3 == 0 {
                accidents
                    .get(i % accidents.len().max(1))
                    .map(ToString::to_string)
                    .unwrap_or_default()
            } else {
                String::new()
            },
            prv_meeting: if i % 3 == 0 {
                String::new()
            } else {
                meetings
                    .iter()
                    .rfind(|m| m.held_on.as_str() <= created.to_string().as_str())
                    .map(|m| m.id.to_string())
                    .unwrap_or_default()
            },
        }
        .parse()
        .map_err(|e| anyhow!("prevention action: {e:?}"))?;
        let a = store
            .create_prevention_action(&ctx, &form, noon(created)?)
            .await?;
        let started = created.checked_add(14.days())?;
        store
            .change_prevention_action(&ctx, a.id, ActionEvent::Start, started, noon(started)?)
            .await?;
        if i < ACTIONS_DONE {
            let done = created.checked_add(60.days())?.min(end);
            store
                .change_prevention_action(&ctx, a.id, ActionEvent::Complete, done, noon(done)?)
                .await?;
            summary.prevention_actions_done += 1;
        }
    }
    progress.advance(1);

    for i in 0..HEALTH_CHECKS {
        let due = Date::new(year, i8::try_from(1 + i % 12)?, 5)?;
        let form = HealthCheckForm {
            prv_person: person(i + 3).to_string(),
            prv_kind: "periodic".into(),
            prv_due: due.to_string(),
            prv_service: "Service externe de prévention (SEPP)".into(),
        }
        .parse()
        .map_err(|e| anyhow!("health check: {e:?}"))?;
        let first = Date::new(year, 1, 2)?;
        let h = store.plan_health_check(&ctx, &form, noon(first)?).await?;
        let done_on = due.checked_add(6.days())?;
        store
            .complete_health_check(&ctx, h.id, done_on, noon(done_on)?)
            .await?;
        summary.prevention_health_checks += 1;
    }
    progress.advance(1);

    for (i, (title, axis)) in DIVERSITY.iter().enumerate() {
        let created = Date::new(year, 2, 1)?;
        let form = DiversityActionForm {
            div_title: (*title).into(),
            div_axis: (*axis).into(),
            div_owner: "Ressources humaines".into(),
            div_target: "Bilan présenté au comité".into(),
            div_due: end.to_string(),
        }
        .parse()
        .map_err(|e| anyhow!("diversity action: {e:?}"))?;
        let a = store
            .create_diversity_action(&ctx, &form, noon(created)?)
            .await?;
        summary.diversity_actions += 1;
        // Four done, four in progress, two planned.
        if i < 8 {
            let started = created.checked_add(30.days())?;
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
        if i < 4 {
            let done = created.checked_add(200.days())?;
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
            summary.diversity_done += 1;
        } else if i < 8 {
            summary.diversity_in_progress += 1;
        }
    }
    progress.advance(1);
    progress.finish("incidents, actions");
    Ok(())
}
