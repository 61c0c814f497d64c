//! The ethics committee and advocacy (C13), written through the forms' parsers and the
//! ethics and advocacy stores as demo_ethics.rs does. The committee: six seats held by
//! members, 8 meetings in the year, 6 referrals from members, 5 of them answered by an
//! opinion adopted at the next meeting and published a week later (the referrer told).
//! Advocacy: 9 publications and 12 conferences in the year, 8 network memberships. All
//! institutional counts: they do not scale.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::Language;
use ruche_domain::advocacy::{EventForm, NetworkForm, PublicationForm};
use ruche_domain::ethics::{MeetingForm, OpinionForm, ReferralForm, SeatForm};
use ruche_store::ethics::EthicsNotice;
use ruche_store::{AuditContext, Store};
use ruche_web::i18n::t_args;

use super::people::Coop;
use super::{Progress, Summary, noon};

/// The eight meetings of the year: (month, day).
const MEETINGS: [(i8, i8); 8] = [
    (1, 16),
    (2, 20),
    (3, 19),
    (5, 14),
    (6, 18),
    (9, 17),
    (10, 15),
    (12, 10),
];
/// Referrals of the year; all but the last get a published opinion.
const REFERRALS: usize = 6;
const SUBJECTS: [&str; REFERRALS] = [
    "Cryptomonnaies",
    "Transparence des prix",
    "Astrologie",
    "Publicité",
    "Sous-traitance",
    "Intelligence artificielle",
];
pub const PUBLICATIONS: i64 = 9;
pub const CONFERENCES: i64 = 12;
const NETWORKS: [(&str, &str, &str); 8] = [
    ("Febecoop", "federation", "2012-01-01"),
    ("ConcertES", "platform", "2014-01-01"),
    ("SAW-B", "federation", "2013-06-01"),
    ("Cooperatives Europe", "network", "2016-01-01"),
    (
        "RES – Réseau de l'économie sociale",
        "network",
        "2018-03-01",
    ),
    ("Vlaams Netwerk van Ondernemingen", "network", "2019-01-01"),
    ("Smart Europe", "network", "2017-01-01"),
    ("CoopCity", "platform", "2020-01-01"),
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    committee(store, coop, progress, summary).await?;
    advocacy(store, rng, coop, progress, summary).await
}

async fn committee(
    store: &Store,
    coop: &Coop,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let year = coop.year;
    progress.phase("ethics committee", u64::try_from(MEETINGS.len())?);
    // Six seats, held by members of before the year.
    let seated: Vec<i64> = coop
        .members
        .iter()
        .filter(|m| m.from_day == 0)
        .take(6)
        .map(|m| m.person_id)
        .collect();
    let from = Date::new(year - 1, 1, 1)?;
    let roles = ["chair", "secretary", "member", "member", "member", "member"];
    let mut seats = Vec::new();
    for (person, role) in seated.iter().zip(roles) {
        let new = SeatForm {
            ethics_person: person.to_string(),
            ethics_role: role.into(),
            ethics_from: from.to_string(),
            ethics_until: String::new(),
        }
        .parse()
        .map_err(|e| anyhow!("ethics seat: {e}"))?;
        seats.push(store.add_ethics_seat(&ctx, &new, noon(from)?).await?.id);
    }
    let mut meetings = Vec::new();
    for (n, (m, d)) in MEETINGS.iter().enumerate() {
        let held = Date::new(year, *m, *d)?;
        let present: Vec<String> = seats
            .iter()
            .enumerate()
            .filter(|(i, _)| (i + n) % 6 != 5)
            .map(|(_, s)| s.to_string())
            .collect();
        let new = MeetingForm {
            ethics_held_on: held.to_string(),
            ethics_place: "Siège, salle du conseil".into(),
            ethics_agenda: "1. Procès-verbal\n2. Saisines reçues\n3. Avis\n4. Divers".into(),
            ethics_minutes: "Le comité examine les saisines et arrête les avis à publier.".into(),
            present,
        }
        .parse()
        .map_err(|e| anyhow!("ethics meeting: {e}"))?;
        let id = store
            .create_ethics_meeting(&ctx, &new, noon(held)?)
            .await?
            .id;
        meetings.push((held, id));
        summary.ethics_meetings += 1;
        progress.advance(1);
    }
    // Referral k arrives ten days before meeting k + 1, which adopts its opinion.
    for (k, subject) in SUBJECTS.iter().enumerate() {
        let (held, meeting) = meetings[k + 1];
        let received = held.checked_sub(10.days())?;
        // A member of before the year refers.
        let Some(who) = coop
            .members
            .iter()
            .cycle()
            .skip((k * 13 + 5) % coop.members.len())
            .take(coop.members.len())
            .find(|m| m.from_day == 0)
        else {
            continue;
        };
        let new = ReferralForm {
            ethics_subject: (*subject).into(),
            ethics_question: format!(
                "Une activité liée à « {subject} » est-elle compatible avec les valeurs de \
                 la coopérative ?"
            ),
        }
        .parse(who.person_id, received)
        .map_err(|e| anyhow!("ethics referral: {e}"))?;
        let r = store
            .refer_to_ethics(
                &AuditContext::account(who.account_id, None),
                &new,
                noon(received)?,
            )
            .await?;
        summary.ethics_referrals += 1;
        if k + 1 == REFERRALS {
            continue; // still being examined at the year's end
        }
        let opinion = OpinionForm {
            ethics_referral: r.id.to_string(),
            ethics_kind: "opinion".into(),
            ethics_subject: (*subject).into(),
            ethics_body: format!(
                "Le comité d'éthique a examiné la question « {subject} ». Il rappelle les \
                 valeurs de la coopérative et recommande au conseil de préciser la charte."
            ),
            ethics_meeting: meeting.to_string(),
        }
        .parse()
        .map_err(|e| anyhow!("ethics opinion: {e}"))?;
        let o = store
            .write_ethics_opinion(&ctx, &opinion, noon(held)?)
            .await?;
        let notice = EthicsNotice {
            subject: t_args(
                Language::Fr,
                "ethics-notice-subject",
                &[("subject", (*subject).to_string())],
            ),
            body: t_args(
                Language::Fr,
                "ethics-notice-body",
                &[("link", format!("/ethics/opinions/{}", o.id))],
            ),
        };
        let on = held.checked_add(7.days())?;
        store
            .publish_ethics_opinion(&ctx, o.id, &notice, noon(on)?)
            .await?;
        summary.ethics_opinions += 1;
    }
    progress.finish("meetings");
    Ok(())
}

async fn advocacy(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let year = coop.year;
    progress.phase("advocacy", u64::try_from(PUBLICATIONS + CONFERENCES)?);
    for p in 0..PUBLICATIONS {
        let on = Date::new(year, i8::try_from(p + 1)?, rng.random_range(1..=28))?;
        let new = PublicationForm {
            advocacy_title: format!("Analyse n° {} de l'année {year}", p + 1),
            advocacy_kind: if p % 3 == 2 { "study" } else { "analysis" }.into(),
            advocacy_date: on.to_string(),
            advocacy_authors: "Équipe éducation permanente".into(),
            advocacy_partners: String::new(),
            advocacy_link: String::new(),
            advocacy_language: if p % 4 == 3 { "nl" } else { "fr" }.into(),
            advocacy_summary: String::new(),
        }
        .parse()
        .map_err(|e| anyhow!("publication: {e}"))?;
        store.save_publication(&ctx, None, &new, noon(on)?).await?;
        summary.advocacy_publications += 1;
        progress.advance(1);
    }
    for c in 0..CONFERENCES {
        let on = Date::new(year, i8::try_from(c + 1)?, rng.random_range(1..=28))?;
        let audience: i64 = rng.random_range(30..=200);
        let new = EventForm {
            advocacy_title: format!("Conférence n° {} de l'année {year}", c + 1),
            advocacy_kind: "conference".into(),
            advocacy_date: on.to_string(),
            advocacy_place: "Bruxelles".into(),
            advocacy_speakers: "Direction".into(),
            advocacy_partners: String::new(),
            advocacy_audience: audience.to_string(),
        }
        .parse()
        .map_err(|e| anyhow!("conference: {e}"))?;
        store
            .save_advocacy_event(&ctx, None, &new, noon(on)?)
            .await?;
        summary.advocacy_conferences += 1;
        summary.advocacy_audience += audience;
        progress.advance(1);
    }
    for (name, kind, since) in NETWORKS {
        let new = NetworkForm {
            advocacy_name: name.into(),
            advocacy_kind: kind.into(),
            advocacy_since: since.into(),
            advocacy_until: String::new(),
            advocacy_fee: String::new(),
            advocacy_representative: String::new(),
        }
        .parse()
        .map_err(|e| anyhow!("network: {e}"))?;
        store
            .save_network(&ctx, None, &new, noon(Date::new(year, 1, 2)?)?)
            .await?;
        summary.advocacy_networks += 1;
    }
    progress.finish("publications, conferences");
    Ok(())
}
