//! The recommendation cycle of the year (issue 8 §3), written through the recommendations
//! store as demo_recommendations.rs does: one cycle (proposals in February, supports from
//! 15 March, follow-up from 15 May), recommendations of members and their supports scaled
//! (300 and 6,000 in the reference year, ruche's choice; at least 3, and one support a
//! recommendation), then the board's follow-up: every recommendation submitted, one in
//! three accepted and half of those done, one in six declined with a reason.

use anyhow::Result;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::Language;
use ruche_domain::recommendations::similarity::DEFAULT_THRESHOLD_PERCENT;
use ruche_domain::recommendations::{
    CycleDates, FollowUp, NewCycle, NewRecommendation, RecoStatus,
};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::{scaled, split_exact};
use super::{Progress, Summary, noon};

const RECOMMENDATIONS: i64 = 300;
const SUPPORTS: i64 = 6_000;
const TOPICS: [&str; 6] = [
    "Ouvrir le coworking le samedi",
    "Une lettre d'information en trois langues",
    "Des ateliers sur la fiche de paie",
    "Payer les factures plus vite",
    "Un potager sur la terrasse",
    "Une assurance mutualisée",
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let year = coop.year;
    let d = |m: i8, day: i8| Date::new(year, m, day);
    let staff = AuditContext::account(coop.advisor_account, None);
    let board = AuditContext::account(coop.board_account, None);
    let members = i64::try_from(coop.members.len())?;
    let written = scaled(RECOMMENDATIONS, scale, 3).min(i64::try_from(
        ruche_domain::recommendations::similarity::MAX_CLUSTERED,
    )?);
    // Each recommendation's supporters are distinct members.
    let supports = scaled(SUPPORTS, scale, written).min(written * members);
    progress.phase("recommendation cycle", u64::try_from(written)?);
    noon(d(1, 10)?)?;
    let cycle = store
        .create_reco_cycle(
            &staff,
            &NewCycle {
                title: format!("Cycle {year} : la vie coopérative"),
                theme: "Comment mieux vivre et travailler ensemble dans la coopérative".into(),
                dates: CycleDates {
                    proposal_from: d(2, 1)?,
                    support_from: d(3, 15)?,
                    consolidation_from: d(4, 15)?,
                    follow_up_from: d(5, 15)?,
                    closes_on: d(12, 1)?,
                },
                phase_override: None,
                threshold_percent: DEFAULT_THRESHOLD_PERCENT,
            },
        )
        .await?;
    summary.reco_cycles += 1;
    let per_reco = split_exact(rng, supports, usize::try_from(written)?);
    let mut recos = Vec::with_capacity(per_reco.len());
    for (i, n) in per_reco.iter().enumerate() {
        let author = rng.random_range(0..coop.members.len());
        let m = &coop.members[author];
        let topic = TOPICS[i % TOPICS.len()];
        let day = d(2, i8::try_from(1 + i % 28)?)?;
        let r = store
            .write_recommendation(
                &AuditContext::account(m.account_id, None),
                cycle.id,
                m.person_id,
                &NewRecommendation {
                    title: format!("{topic} (proposition {})", i + 1),
                    text: format!(
                        "Proposition n° {} : {topic}, pour mieux travailler ensemble.",
                        i + 1
                    ),
                    language: Language::Fr,
                },
                noon(day)?,
            )
            .await?;
        summary.reco_written += 1;
        recos.push((r.id, author, *n));
    }
    for (i, (id, author, n)) in recos.iter().enumerate() {
        let day = d(3, i8::try_from(15 + i % 15)?)?;
        for k in 0..usize::try_from(*n)? {
            let who = &coop.members[(author + 1 + k) % coop.members.len()];
            store
                .support_recommendation(&AuditContext::system(), *id, who.person_id, noon(day)?)
                .await?;
            summary.reco_supports += 1;
        }
    }
    use RecoStatus::{Accepted, Declined, Done, Submitted};
    for (i, (id, _, _)) in recos.iter().enumerate() {
        let mut steps = vec![(Submitted, None, d(5, 20)?)];
        if i % 3 == 0 {
            steps.push((Accepted, None, d(6, 10)?));
            summary.reco_accepted += 1;
            if i % 6 == 0 {
                steps.push((Done, None, d(11, 5)?));
                summary.reco_done += 1;
            }
        } else if i % 6 == 1 {
            steps.push((
                Declined,
                Some("Hors des moyens de la coopérative cette année."),
                d(6, 10)?,
            ));
            summary.reco_declined += 1;
        }
        for (to, reason, day) in steps {
            let step = FollowUp {
                to,
                reason: reason.map(str::to_string),
            };
            store
                .follow_up_recommendation(&board, *id, &step, noon(day)?)
                .await?;
        }
        progress.advance(1);
    }
    progress.finish("recommendations");
    Ok(())
}
