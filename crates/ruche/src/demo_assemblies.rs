//! The demo's general assemblies, written through the store like the pages do: the
//! ordinary assembly of June of each year from 2020 (closed: attendance, a proxy, ballots
//! and tallies), the extraordinary assemblies that amended the statutes (2020, 2022, 20
//! June 2023: resolutions of kind `statutes`, adopted), and one assembly twenty days ahead,
//! convened and in session with a resolution open, so that members can vote in the demo.
//! Needs the share register (the demo's governance seeds it first); without shareholders
//! nothing is written.

use anyhow::Result;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use ruche_domain::governance::convocation::AssemblyForm;
use ruche_domain::governance::vote::{Choice, ResolutionForm};
use ruche_store::assemblies::ConvocationMail;
use ruche_store::{AuditContext, PageRequest, Store};

/// One assembly to write: its date, kind, title and agenda (title, kind).
struct Planned {
    held_on: Date,
    kind: &'static str,
    title: String,
    agenda: Vec<(&'static str, &'static str)>,
}

pub async fn seed(store: &Store, today: Date, base_url: &str) -> Result<()> {
    if store.assemblies(PageRequest::new(1, 1)).await?.total > 0 {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let mut planned = Vec::new();
    for year in 2020..=2026i16 {
        planned.push(Planned {
            held_on: date(year, 6, 20),
            kind: "ordinary",
            title: format!("Assemblée générale ordinaire {year}"),
            agenda: {
                let mut agenda = vec![
                    ("Approbation des comptes annuels", "accounts"),
                    ("Décharge aux administrateurs", "discharge"),
                    ("Affectation du résultat", "appropriation"),
                    (
                        "Nomination et renouvellement des administrateurs",
                        "appointment",
                    ),
                ];
                // The attendance fee of the unpaid mandate (statutes art. 37), decided once.
                if year == 2020 {
                    agenda.push((
                        "Jeton de présence des administrateurs : 50 € par réunion du conseil",
                        "allowance",
                    ));
                }
                agenda
            },
        });
    }
    for held_on in [date(2020, 6, 20), date(2022, 6, 18), date(2023, 6, 20)] {
        planned.push(Planned {
            held_on,
            kind: "extraordinary",
            title: format!("Assemblée générale extraordinaire {}", held_on.year()),
            agenda: vec![("Modification des statuts", "statutes")],
        });
    }
    planned.sort_by_key(|p| p.held_on);
    for p in planned.iter().filter(|p| p.held_on < today) {
        past_assembly(store, &ctx, p).await?;
    }
    upcoming(store, &ctx, today, base_url).await?;
    Ok(())
}

async fn create(store: &Store, ctx: &AuditContext, p: &Planned) -> Result<i64> {
    let form = AssemblyForm {
        ga_kind: p.kind.into(),
        ga_title: p.title.clone(),
        ga_held_on: p.held_on.to_string(),
        ga_starts_at: "18:30".into(),
        ga_place: "Salle du conseil, siège de la coopérative".into(),
        ga_online: Some("on".into()),
    };
    let new = form
        .parse()
        .map_err(|e| anyhow::anyhow!("demo assembly: {e:?}"))?;
    let a = store.create_assembly(ctx, &new).await?;
    for (title, kind) in &p.agenda {
        let r = ResolutionForm {
            ga_res_title: (*title).into(),
            ga_res_kind: (*kind).into(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo resolution: {e:?}"))?;
        store.add_resolution(ctx, a.id, &r).await?;
    }
    Ok(a.id)
}

/// A past assembly: convened by post twenty days before, most holders present, the last
/// holder represented by the first, everyone votes yes but one in ten, closed.
async fn past_assembly(store: &Store, ctx: &AuditContext, p: &Planned) -> Result<()> {
    let id = create(store, ctx, p).await?;
    let holders = store.assembly_holders(id).await?;
    if holders.is_empty() {
        return Ok(());
    }
    let convened_on = p.held_on.saturating_sub(20.days());
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
    store.convene_assembly(ctx, id, convened_on, &mails).await?;
    store.open_assembly(ctx, id).await?;
    let n = holders.len();
    // Three in four present; the last holder gives a proxy to the first.
    let present: Vec<i64> = holders
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 4 != 3 || n < 4)
        .map(|(_, h)| h.person_id)
        .collect();
    if n >= 3 {
        let principal = holders[n - 1].person_id;
        if !present.contains(&principal) {
            let _ = store
                .give_proxy(ctx, id, principal, holders[0].person_id)
                .await;
        }
    }
    for person in &present {
        store.mark_present(ctx, id, *person, "room").await?;
    }
    let proxies = store.proxies(id).await?;
    for r in store.resolutions(id).await? {
        store.open_resolution(ctx, r.id).await?;
        for (i, person) in present.iter().enumerate() {
            let choice = if i % 10 == 7 { Choice::No } else { Choice::Yes };
            store
                .cast_ballot(ctx, r.id, *person, *person, choice)
                .await?;
        }
        for proxy in &proxies {
            let _ = store
                .cast_ballot(
                    ctx,
                    r.id,
                    proxy.principal_person_id,
                    proxy.holder_person_id,
                    Choice::Yes,
                )
                .await;
        }
        store.close_resolution(ctx, r.id).await?;
    }
    store.close_assembly(ctx, id).await?;
    Ok(())
}

/// The assembly twenty days ahead: convened today (mails in the outbox), in session, its
/// first resolution open for e-voting.
async fn upcoming(store: &Store, ctx: &AuditContext, today: Date, base_url: &str) -> Result<()> {
    let held_on = today.saturating_add(20.days());
    let p = Planned {
        held_on,
        kind: "ordinary",
        title: format!(
            "Assemblée générale ordinaire {} (vote en ligne)",
            held_on.year()
        ),
        agenda: vec![
            (
                "Adhésion au réseau des coopératives d'activités",
                "ordinary",
            ),
            ("Nomination d'une administratrice", "appointment"),
        ],
    };
    let id = create(store, ctx, &p).await?;
    let convocees = store.convocees(today).await?;
    if convocees.is_empty() {
        return Ok(());
    }
    let assembly = store.assembly(id).await?;
    let agenda = store.resolutions(id).await?;
    let mails =
        ruche_web::pages::assemblies::convocation_mails(base_url, &assembly, &agenda, convocees);
    store.convene_assembly(ctx, id, today, &mails).await?;
    store.open_assembly(ctx, id).await?;
    if let Some(first) = store.resolutions(id).await?.first() {
        store.open_resolution(ctx, first.id).await?;
    }
    Ok(())
}
