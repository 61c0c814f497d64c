//! The year's training sessions for the staff and for members (C9), recorded through the
//! trainings store as the sessions page does.

use anyhow::Result;
use jiff::ToSpan;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::training::session::{NewSession, SessionFor};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::{scaled, split_exact};
use super::{Progress, Summary, day_of, set_clock};

/// The reference year: (sessions, days, participants) for the staff and for members. The
/// session counts are ruche's choice (the report gives days and participants only).
const STAFF: (i64, i64, i64) = (60, 709, 162);
const MEMBERS: (i64, i64, i64) = (31, 93, 758);

/// `(sessions, days, participants)` at `scale`: `round(x · scale)`, at least one session
/// and at least one day and one participant per session.
pub fn volume(reference: (i64, i64, i64), scale: f64) -> (i64, i64, i64) {
    let sessions = scaled(reference.0, scale, 1);
    (
        sessions,
        scaled(reference.1, scale, sessions),
        scaled(reference.2, scale, sessions),
    )
}

const PLACES: [&str; 5] = ["Bruxelles", "Liège", "Gent", "Namur", "Antwerpen"];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let staff = volume(STAFF, scale);
    let members = volume(MEMBERS, scale);
    progress.phase("training sessions", u64::try_from(staff.0 + members.0)?);
    for (who, (sessions, days, participants)) in
        [(SessionFor::Staff, staff), (SessionFor::Members, members)]
    {
        let n = usize::try_from(sessions)?;
        let days = split_exact(rng, days, n);
        let people = split_exact(rng, participants, n);
        for (i, (d, p)) in days.into_iter().zip(people).enumerate() {
            // A session lasts at most a working month; it starts by early December.
            let start = day_of(coop.year, rng.random_range(0..=330))?;
            let ends_on = start.checked_add((d.min(28) - 1).days())?;
            set_clock(start, 8)?;
            let title = match who {
                SessionFor::Staff => format!("Formation continue de l'équipe n° {}", i + 1),
                SessionFor::Members => format!("École de la coopération — session {}", i + 1),
            };
            store
                .create_training_session(
                    &ctx,
                    &NewSession {
                        session_for: who,
                        title,
                        training_id: None,
                        starts_on: start,
                        ends_on,
                        days: d,
                        participants: p,
                        place: PLACES[i % PLACES.len()].into(),
                    },
                )
                .await?;
            match who {
                SessionFor::Staff => {
                    summary.training_staff_days += d;
                    summary.training_staff_participants += p;
                }
                SessionFor::Members => {
                    summary.training_member_days += d;
                    summary.training_member_participants += p;
                }
            }
            progress.advance(1);
        }
    }
    progress.finish("sessions");
    Ok(())
}
