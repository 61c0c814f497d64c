//! The labs and the school of cooperation (C13), written through the labs and school stores
//! as demo_school.rs does: 7 labs active the whole year (an institutional count), with
//! members, meetings and outputs; 12 workshops and 25 sessions of the school, the
//! registrations scaled with the members, the attendance of each session.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::{Date, time};
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::Language;
use ruche_domain::labs::{LabModel, NewLab, NewMeeting, NewOutput, OutputKind};
use ruche_domain::school::{Attendance, Audience, NewSession, NewWorkshop, Venue, WorkshopTheme};
use ruche_store::school::Registrant;
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::{scaled, split_exact};
use super::{Progress, Summary, day_of, set_clock};

/// Labs active in the year (institutional: does not scale).
pub const LABS: i64 = 7;
/// Meetings and outputs of each lab in the year.
const LAB_MEETINGS: i64 = 10;
const LAB_OUTPUTS: i64 = 3;
/// Lab members of the reference year (ruche's choice), at least two a lab.
const LAB_MEMBERS: i64 = 140;
/// The school's programme: workshops and sessions of the year (do not scale), and the
/// registrations of the reference year (ruche's choice), at least one a session.
const WORKSHOPS: usize = 12;
const SCHOOL_SESSIONS: i64 = 25;
const REGISTRATIONS: i64 = 2_500;

const LAB_NAMES: [&str; 7] = [
    "Lab musique",
    "Lab arts visuels",
    "Lab formation",
    "Lab numérique",
    "Lab spectacle vivant",
    "Lab traduction",
    "Lab artisanat",
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    labs(store, rng, coop, scale, progress, summary).await?;
    school(store, rng, coop, scale, progress, summary).await
}

async fn labs(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let year = coop.year;
    let started = Date::new(year - 1, 9, 1)?;
    // Distinct members, dealt out to the labs (the coordinator first).
    let wanted = scaled(LAB_MEMBERS, scale, 2 * LABS).min(i64::try_from(coop.members.len())?);
    let sizes = split_exact(rng, wanted, usize::try_from(LABS)?);
    progress.phase("labs", u64::try_from(LABS)?);
    let mut next = 0usize;
    for (n, size) in sizes.into_iter().enumerate() {
        let size = usize::try_from(size)?;
        let people: Vec<&super::people::Member> =
            coop.members.iter().skip(next).take(size).collect();
        next += size;
        let Some(coordinator) = people.first() else {
            continue;
        };
        set_clock(started, 9)?;
        let lab = store
            .create_lab(
                &ctx,
                &NewLab {
                    name: LAB_NAMES[n % LAB_NAMES.len()].into(),
                    theme: "Pratiques du secteur".into(),
                    model: LabModel::ALL[n % LabModel::ALL.len()],
                    description: "Un lab de membres qui construisent ensemble leurs outils.".into(),
                    started_on: Some(started),
                    coordinator_person_id: coordinator.person_id,
                },
                started,
            )
            .await?;
        summary.labs += 1;
        summary.lab_members += 1;
        for m in people.iter().skip(1) {
            // Joined when they became a member, or when the lab started.
            let joined = day_of(year, m.from_day)?.max(started);
            let joined = if m.from_day == 0 { started } else { joined };
            set_clock(joined, 9)?;
            store.join_lab(&ctx, lab.id, m.person_id, joined).await?;
            summary.lab_members += 1;
        }
        for k in 0..LAB_MEETINGS {
            let held = day_of(year, 10 + k * 35 + rng.random_range(0..7))?;
            set_clock(held, 18)?;
            store
                .record_lab_meeting(
                    &ctx,
                    lab.id,
                    &NewMeeting {
                        held_on: held,
                        place: (k % 3 != 0).then(|| "Bureau de Bruxelles".to_string()),
                        notes: format!("Réunion {}. Tour de table et prochaines étapes.", k + 1),
                        present_count: rng.random_range(2..=8),
                    },
                )
                .await?;
            summary.lab_meetings += 1;
            if k % (LAB_MEETINGS / LAB_OUTPUTS) == 2 {
                store
                    .record_lab_output(
                        &ctx,
                        lab.id,
                        &NewOutput {
                            title: format!("Note du lab n° {}", k / 3 + 1),
                            kind: OutputKind::ALL[(n + usize::try_from(k)?) % 5],
                            produced_on: held,
                            link: None,
                        },
                    )
                    .await?;
                summary.lab_outputs += 1;
            }
        }
        progress.advance(1);
    }
    progress.finish("labs");
    Ok(())
}

async fn school(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let year = coop.year;
    set_clock(Date::new(year, 1, 1)?, 9)?;
    let mut workshops = Vec::with_capacity(WORKSHOPS);
    for w in 0..WORKSHOPS {
        let theme = WorkshopTheme::ALL[w % WorkshopTheme::ALL.len()];
        let workshop = store
            .create_school_workshop(
                &ctx,
                &NewWorkshop {
                    year,
                    theme,
                    audience: Audience::Members,
                    title_fr: format!("Atelier {} de l'école de la coopération", w + 1),
                    title_nl: format!("Workshop {} van de coöperatieschool", w + 1),
                    description_fr: "Un atelier pour les membres.".into(),
                    description_nl: "Een workshop voor de leden.".into(),
                },
            )
            .await?;
        workshops.push(workshop.id);
    }
    let members = i64::try_from(coop.members.len())?;
    let total = scaled(REGISTRATIONS, scale, SCHOOL_SESSIONS)
        .min(SCHOOL_SESSIONS * members.min(ruche_domain::school::MAX_CAPACITY));
    let per_session = split_exact(rng, total, usize::try_from(SCHOOL_SESSIONS)?);
    progress.phase("school of cooperation", u64::try_from(SCHOOL_SESSIONS)?);
    for (i, wanted) in per_session.into_iter().enumerate() {
        // Two sessions a month, none in July and August; weekdays only.
        let month = [1i8, 2, 3, 4, 5, 6, 9, 10, 11, 12][i % 10];
        let mut held = Date::new(year, month, rng.random_range(3..=26))?;
        while matches!(
            held.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            held = held.checked_add(1.day())?;
        }
        let opens = held.checked_sub(20.days())?.at(10, 0, 0, 0);
        set_clock(held.checked_sub(30.days())?, 9)?;
        let session = store
            .create_school_session(
                &ctx,
                &NewSession {
                    workshop_id: workshops[i % workshops.len()],
                    held_on: held,
                    start: time(9, 30, 0, 0),
                    end: time(12, 30, 0, 0),
                    language: if i % 5 == 1 {
                        Language::Nl
                    } else {
                        Language::Fr
                    },
                    venue: Venue::Online("https://meet.ruche.coop/ecole".into()),
                    capacity: wanted,
                    waiting_list: false,
                },
            )
            .await?;
        summary.school_sessions += 1;
        let offset = rng.random_range(0..coop.members.len());
        let mut marks = Vec::new();
        for k in 0..usize::try_from(wanted)? {
            let person_id = coop.members[(offset + k) % coop.members.len()].person_id;
            set_clock(opens.date(), 10)?;
            let r = store
                .register_for_school_session(
                    &ctx,
                    session.id,
                    Registrant {
                        person_id,
                        member: true,
                        staff: false,
                    },
                    opens,
                    ruche_store::now_micros(),
                )
                .await
                .map_err(|e| anyhow!("registering for a school session on {held}: {e}"))?;
            summary.school_registrations += 1;
            let attendance = if rng.random_range(0..10) < 8 {
                summary.school_attended += 1;
                Attendance::Attended
            } else {
                Attendance::Absent
            };
            marks.push((r.id, attendance));
        }
        set_clock(held, 18)?;
        store
            .record_school_attendance(&ctx, session.id, &marks, held.at(18, 0, 0, 0))
            .await?;
        progress.advance(1);
    }
    progress.finish("sessions");
    Ok(())
}
