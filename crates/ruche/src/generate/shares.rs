//! The share register and the year's general assembly (C11), through the share-register,
//! statutes and assemblies stores as demo_governance.rs and demo_assemblies.rs do.
//!
//! The register: one class A (30 € nominal, one vote a share); every member subscribes on
//! the day they joined (1 to 10 shares, most one) and pays at once, so that the register's
//! holders are the members (the members figure reads the register once it holds lines).
//! The statutes in force: one vote per person, one proxy per holder, held by a member
//! (CSA 6:41 and 6:80 as the statutes set them). The assembly: the ordinary assembly of the
//! third Saturday of June, convened twenty days before (by post: no mail queued), with 350
//! members present and 80 represented by proxy at scale 1 (at least 3 and 1), four
//! resolutions voted and closed — the tally applies the 1/10 cap of rules/governance.toml
//! (AR 28 June 2019 art. 6 §1 5°).

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use ruche_domain::governance::convocation::AssemblyForm;
use ruche_domain::governance::shares::{NewPayment, NewSubscription};
use ruche_domain::governance::statutes::{
    Article, ArticleTag, NewStatuteVersion, StatuteRules, VoteWeighting,
};
use ruche_domain::governance::vote::{Choice, ResolutionForm};
use ruche_store::assemblies::ConvocationMail;
use ruche_store::persons::{PersonFilter, PersonRecord};
use ruche_store::shares::NewShareClass;
use ruche_store::{AuditContext, PageRequest, Store};

use super::people::Coop;
use super::scale::scaled;
use super::{Progress, Summary, set_clock};

/// A share's nominal value: 30 €.
const NOMINAL_CENTS: i64 = 3_000;
/// Members present and represented at the ordinary assembly, at scale 1.
pub const GA_PRESENT: i64 = 350;
pub const GA_PROXIES: i64 = 80;
const AGENDA: [(&str, &str); 4] = [
    ("Approbation des comptes annuels", "accounts"),
    ("Décharge aux administrateurs", "discharge"),
    ("Affectation du résultat", "appropriation"),
    (
        "Nomination et renouvellement des administrateurs",
        "appointment",
    ),
];

/// Every person of the directory by id (a few hundred pages at most at scale 1).
pub(super) async fn directory(store: &Store) -> Result<HashMap<i64, PersonRecord>> {
    let mut out = HashMap::new();
    let filter = PersonFilter::default();
    for page in 1..=10_000 {
        let p = store
            .persons(&filter, PageRequest::new(page, PageRequest::MAX_PER_PAGE))
            .await?;
        let pages = p.pages();
        out.extend(p.items.into_iter().map(|r| (r.id, r)));
        if page >= pages {
            break;
        }
    }
    Ok(out)
}

/// The Brussels date of an instant.
fn brussels_date(micros: i64) -> Result<Date> {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels")?;
    Ok(jiff::Timestamp::from_microsecond(micros)?
        .to_zoned(tz)
        .date())
}

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let joined = register(store, rng, coop, progress, summary).await?;
    assembly(store, rng, coop, &joined, scale, progress, summary).await
}

/// Subscribes every member on the day they joined; returns (person, joined on) by date.
async fn register(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<Vec<(i64, Date)>> {
    let ctx = AuditContext::system();
    let year = coop.year;
    progress.phase("share register", u64::try_from(coop.members.len())?);
    let founded = Date::new(year - 6, 1, 2)?;
    set_clock(founded, 10)?;
    let class = store
        .create_share_class(
            &ctx,
            &NewShareClass {
                code: "A".into(),
                name: "Parts coopérateurs".into(),
                nominal_cents: NOMINAL_CENTS,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await?;
    statutes(store, &ctx, founded).await?;
    let people = directory(store).await?;
    let mut plan = Vec::with_capacity(coop.members.len());
    for m in &coop.members {
        let person = people
            .get(&m.person_id)
            .ok_or_else(|| anyhow!("member {} not in the directory", m.person_id))?;
        // Most hold one share; a few subscribed more (up to ten).
        let shares = if rng.random_bool(0.6) {
            1
        } else {
            rng.random_range(2..=10)
        };
        plan.push((brussels_date(person.created_at)?, m.person_id, shares));
    }
    // In date order: the register's numbers follow the dates.
    plan.sort_unstable();
    let first_day = Date::new(year, 1, 1)?;
    for (on, person_id, shares) in &plan {
        set_clock(*on, 15)?;
        let sub = store
            .request_subscription(
                &ctx,
                &NewSubscription {
                    person_id: *person_id,
                    class_id: class.id,
                    shares: *shares,
                    requested_on: *on,
                },
            )
            .await?;
        store
            .record_share_payment(
                &ctx,
                sub.id,
                &NewPayment {
                    paid_on: *on,
                    amount_cents: shares * NOMINAL_CENTS,
                    entity_id: coop.entity_id,
                },
            )
            .await?;
        summary.shareholders += 1;
        summary.shares_subscribed += shares;
        if *on >= first_day {
            summary.shareholders_new += 1;
        }
        progress.advance(1);
    }
    progress.finish("subscriptions");
    Ok(plan.into_iter().map(|(on, p, _)| (p, on)).collect())
}

/// The statutes in force since the foundation: one vote per person, capped.
async fn statutes(store: &Store, ctx: &AuditContext, founded: Date) -> Result<()> {
    let article = |number: &str, heading: &str, fr: &str, nl: &str, en: &str, tag| Article {
        number: number.into(),
        heading: heading.into(),
        text_fr: fr.into(),
        text_nl: nl.into(),
        text_en: en.into(),
        tags: vec![tag],
    };
    let new = NewStatuteVersion {
        label: "Statuts coordonnés".into(),
        effective_from: founded,
        adopted_on: founded,
        adopted_by_resolution_id: None,
        rules: StatuteRules {
            vote_weighting: VoteWeighting::PerPerson,
            proxies_per_holder: 1,
            proxy_must_be_member: true,
            resignation_months: 6,
            partial_resignation_allowed: false,
            dividends_allowed: false,
        },
        summary: "Une personne, une voix ; plafond d'un dixième des voix.".into(),
        articles: vec![
            article(
                "23",
                "Droit de vote",
                "Chaque associé dispose d'une voix, quel que soit le nombre de ses parts. Nul ne \
                 peut prendre part au vote, pour lui-même et comme mandataire, pour plus du \
                 dixième des voix présentes ou représentées.",
                "Elke vennoot heeft één stem, ongeacht het aantal aandelen. Niemand mag aan de \
                 stemming deelnemen, voor zichzelf en als lasthebber, voor meer dan een tiende \
                 van de aanwezige of vertegenwoordigde stemmen.",
                "Each shareholder has one vote, whatever the number of their shares. Nobody \
                 may take part in a vote, for themselves and as proxy, with more than one \
                 tenth of the votes present or represented.",
                ArticleTag::VoteCap,
            ),
            article(
                "24",
                "Procurations",
                "Un associé peut se faire représenter par un autre associé, porteur d'une seule \
                 procuration.",
                "Een vennoot kan zich laten vertegenwoordigen door een andere vennoot, die \
                 slechts één volmacht mag dragen.",
                "A shareholder may be represented by another shareholder, who holds one proxy \
                 at most.",
                ArticleTag::Proxies,
            ),
        ],
    };
    store.create_statute_version(ctx, &new).await?;
    Ok(())
}

/// The third Saturday of June.
fn assembly_day(year: i16) -> Result<Date> {
    let first = Date::new(year, 6, 1)?;
    let to_saturday = (5 - i64::from(first.weekday().to_monday_zero_offset())).rem_euclid(7);
    Ok(first.checked_add((to_saturday + 14).days())?)
}

async fn assembly(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    joined: &[(i64, Date)],
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let ctx = AuditContext::system();
    let held_on = assembly_day(coop.year)?;
    let convened_on = held_on.checked_sub(20.days())?;
    // Holders on the day of the convocation, in a drawn order: the first are present, the
    // next represented by one of the present each.
    let mut holders: Vec<i64> = joined
        .iter()
        .filter(|(_, on)| *on <= convened_on)
        .map(|(p, _)| *p)
        .collect();
    holders.shuffle(rng);
    let n = i64::try_from(holders.len())?;
    let present_n = usize::try_from(scaled(GA_PRESENT, scale, 3).min(n))?;
    let proxies_n = usize::try_from(
        scaled(GA_PROXIES, scale, 1)
            .min(n - i64::try_from(present_n)?)
            .min(i64::try_from(present_n)?),
    )?;
    progress.phase("general assembly", u64::try_from(present_n + proxies_n)?);

    set_clock(held_on.checked_sub(40.days())?, 10)?;
    let new = AssemblyForm {
        ga_kind: "ordinary".into(),
        ga_title: format!("Assemblée générale ordinaire {}", coop.year),
        ga_held_on: held_on.to_string(),
        ga_starts_at: "14:00".into(),
        ga_place: "Siège de la coopérative, Saint-Gilles".into(),
        ga_online: Some("on".into()),
    }
    .parse()
    .map_err(|e| anyhow!("assembly: {e:?}"))?;
    let a = store.create_assembly(&ctx, &new).await?;
    for (title, kind) in AGENDA {
        let r = ResolutionForm {
            ga_res_title: title.into(),
            ga_res_kind: kind.into(),
            ..ResolutionForm::default()
        }
        .parse()
        .map_err(|e| anyhow!("resolution: {e:?}"))?;
        store.add_resolution(&ctx, a.id, &r).await?;
    }
    set_clock(convened_on, 10)?;
    // Convened by post: no mail queued, the convocation is kept.
    let mails: Vec<ConvocationMail> = store
        .convocees(convened_on)
        .await?
        .into_iter()
        .map(|c| ConvocationMail {
            person_id: c.person_id,
            language: c.language,
            to: None,
            subject: String::new(),
            body: String::new(),
        })
        .collect();
    store
        .convene_assembly(&ctx, a.id, convened_on, &mails)
        .await?;
    let present = &holders[..present_n];
    let principals = &holders[present_n..present_n + proxies_n];
    // Proxies come in during the week before (one per holder, statutes art. 24).
    set_clock(held_on.checked_sub(3.days())?, 10)?;
    for (principal, holder) in principals.iter().zip(present) {
        store.give_proxy(&ctx, a.id, *principal, *holder).await?;
        summary.ga_proxies += 1;
        progress.advance(1);
    }
    set_clock(held_on, 14)?;
    store.open_assembly(&ctx, a.id).await?;
    for person in present {
        let mode = if rng.random_bool(0.3) {
            "online"
        } else {
            "room"
        };
        store.mark_present(&ctx, a.id, *person, mode).await?;
        summary.ga_present += 1;
        progress.advance(1);
    }
    summary.ga_represented = summary.ga_proxies;
    set_clock(held_on, 16)?;
    for r in store.resolutions(a.id).await? {
        store.open_resolution(&ctx, r.id).await?;
        let cast = |principal: i64, by: i64, roll: f64| {
            let choice = if roll < 0.88 {
                Choice::Yes
            } else if roll < 0.96 {
                Choice::No
            } else {
                Choice::Abstain
            };
            (principal, by, choice)
        };
        let mut ballots: Vec<(i64, i64, Choice)> =
            present.iter().map(|p| cast(*p, *p, rng.random())).collect();
        ballots.extend(
            principals
                .iter()
                .zip(present)
                .map(|(principal, holder)| cast(*principal, *holder, rng.random())),
        );
        for (principal, by, choice) in ballots {
            store.cast_ballot(&ctx, r.id, principal, by, choice).await?;
            summary.ga_ballots += 1;
        }
        let closed = store.close_resolution(&ctx, r.id).await?;
        if closed.status == "adopted" {
            summary.ga_resolutions_adopted += 1;
        }
    }
    set_clock(held_on, 18)?;
    store.close_assembly(&ctx, a.id).await?;
    summary.assemblies += 1;
    progress.finish("members present or represented");
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_assembly_is_held_on_the_third_saturday_of_june() {
        assert_eq!(assembly_day(2023).unwrap(), Date::new(2023, 6, 17).unwrap());
        assert_eq!(assembly_day(2024).unwrap(), Date::new(2024, 6, 15).unwrap());
        assert_eq!(
            assembly_day(2024).unwrap().weekday(),
            jiff::civil::Weekday::Saturday
        );
    }
}
