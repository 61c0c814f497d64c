//! The demo's statutes and share register, written through the store like the pages do.
//!
//! [`seed_register`] (before the assemblies, which need shareholders): class A (€30 nominal,
//! one vote a share), a subscription of every demo person with a member role between 2019
//! and today, paid at once or in two instalments, a few transfers, resignations in the
//! window of several years (one refund suspended by the liquidity test), and one exclusion.
//! [`seed_statutes`] (after the assemblies): the statutes of the reference cooperative in
//! four versions — the archive before 2020, the amendments of June 2020, June 2022 and 20
//! June 2023, the last three linked to the adopted `statutes` resolution of the
//! extraordinary assembly of that day when the demo has one.

use anyhow::Result;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use ruche_domain::Role;
use ruche_domain::governance::shares::{
    DistributionTests, NewExit, NewPayment, NewSubscription, NewTransfer, Reason, ReasonCode,
};
use ruche_domain::governance::statutes::{
    Article, ArticleTag, NewStatuteVersion, StatuteRules, VoteWeighting,
};
use ruche_store::shares::NewShareClass;
use ruche_store::{AuditContext, PageRequest, Store};

/// The named logins keep their shares (the member pages show an extract).
const KEEP: [&str; 3] = [
    "membre@demo.ruche.coop",
    "lid@demo.ruche.coop",
    "ca@demo.ruche.coop",
];

/// The demo's members: every person with a member role (bounded).
async fn members(store: &Store) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for page in 1..=20 {
        let p = store
            .accounts(None, Some(Role::Member), PageRequest::new(page, 200))
            .await?;
        out.extend(p.items.iter().map(|a| (a.person_id, a.email.clone())));
        if page >= p.pages() {
            break;
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(id, _)| seen.insert(*id));
    Ok(out)
}

pub async fn seed_register(store: &Store, today: Date) -> Result<()> {
    if !store.share_classes().await?.is_empty() {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let Some(entity) = store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    let class = store
        .create_share_class(
            &ctx,
            &NewShareClass {
                code: "A".into(),
                name: "Parts coopérateurs".into(),
                nominal_cents: 30_00,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await?;
    let members = members(store).await?;
    let start = date(2019, 3, 1);
    let span = (today - start).get_days().max(1);
    // Subscriptions, in date order so that numbers follow the dates.
    let mut plan: Vec<(Date, usize, i64)> = members
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let offset = i64::try_from(i).unwrap_or(0) * 37 % i64::from(span);
            let on = start.checked_add(offset.days()).unwrap_or(start).min(today);
            let shares = 1 + i64::try_from(i).unwrap_or(0) * 7 % 10;
            (on, i, shares)
        })
        .collect();
    // The named logins are members from the start.
    for (on, i, _) in plan.iter_mut() {
        if KEEP.contains(&members[*i].1.as_str()) {
            *on = start;
        }
    }
    plan.sort();
    let mut held: Vec<(usize, i64, Date)> = Vec::new();
    for (on, i, shares) in plan {
        let person_id = members[i].0;
        let sub = store
            .request_subscription(
                &ctx,
                &NewSubscription {
                    person_id,
                    class_id: class.id,
                    shares,
                    requested_on: on,
                },
            )
            .await?;
        let due = shares * class.nominal_cents;
        // One in five pays in two instalments, the second six months later.
        let later = on.checked_add(6.months()).unwrap_or(on);
        let first = if i % 5 == 2 && shares > 1 && later <= today {
            due / 2
        } else {
            due
        };
        let pay = |paid_on: Date, amount_cents: i64| NewPayment {
            paid_on,
            amount_cents,
            entity_id: entity.id,
        };
        store
            .record_share_payment(&ctx, sub.id, &pay(on, first))
            .await?;
        if first < due {
            store
                .record_share_payment(&ctx, sub.id, &pay(later, due - first))
                .await?;
        }
        held.push((i, shares, on));
    }
    // A few transfers of one share to the next member.
    for w in held.windows(2) {
        let ((from, shares, on), (to, _, on_to)) = (w[0], w[1]);
        let transferred_on = on.max(on_to).checked_add(90.days()).unwrap_or(on);
        if from % 23 == 5 && shares >= 2 && transferred_on <= today {
            store
                .transfer_shares(
                    &ctx,
                    &NewTransfer {
                        from_person_id: members[from].0,
                        to_person_id: members[to].0,
                        class_id: class.id,
                        shares: 1,
                        transferred_on,
                    },
                )
                .await?;
        }
    }
    // Resignations in March, two years after joining; one refund suspended; one exclusion.
    let mut suspended = false;
    let mut excluded = false;
    for (i, _, on) in &held {
        let (person_id, email) = (&members[*i].0, &members[*i].1);
        if KEEP.contains(&email.as_str()) || i % 13 != 7 {
            continue;
        }
        let person = store.person(*person_id).await?;
        if person.iban.is_none() {
            continue;
        }
        let year = on.year() + 2;
        let exclusion = !excluded && year >= 2024;
        let notice_on = if exclusion {
            date(year, 9, 15)
        } else {
            date(year, 3, 10)
        };
        if notice_on >= today {
            continue;
        }
        // The first resignation from 2023 waits for the liquidity test (TV-14).
        let suspend = !exclusion && !suspended && year >= 2023;
        suspended |= suspend;
        let liquidity_ok = !suspend;
        let exit = NewExit {
            person_id: *person_id,
            class_id: class.id,
            notice_on,
            shares: None,
            // The net assets per share of the last approved accounts, above the nominal.
            nav_per_share_cents: 32_40,
            accounts_on: date(year - 1, 12, 31),
            proposed_refund_cents: None,
            tests: DistributionTests {
                net_assets_ok: true,
                liquidity_ok,
                evidence: if liquidity_ok {
                    format!("Comptes {} approuvés ; trésorerie suffisante", year - 1)
                } else {
                    format!(
                        "Comptes {} approuvés ; prévision de trésorerie négative à 12 mois",
                        year - 1
                    )
                },
            },
            entity_id: entity.id,
            reason: exclusion.then(|| Reason {
                code: ReasonCode::AgainstInterests,
                text: "Concurrence directe avec les activités des membres, constatée par le conseil d'administration".into(),
            }),
        };
        match store.record_share_exit(&ctx, exclusion, &exit).await {
            Ok(_) => excluded |= exclusion,
            Err(e) => tracing::warn!(error = %e, "demo exit skipped"),
        }
    }
    Ok(())
}

/// One article in the three languages.
fn article(
    number: &str,
    heading: &str,
    fr: &str,
    nl: &str,
    en: &str,
    tags: &[ArticleTag],
) -> Article {
    Article {
        number: number.into(),
        heading: heading.into(),
        text_fr: fr.into(),
        text_nl: nl.into(),
        text_en: en.into(),
        tags: tags.to_vec(),
    }
}

/// The articles of the version of `year` (2019, 2020, 2022 or 2023).
fn articles(year: i16) -> Vec<Article> {
    use ArticleTag::*;
    let designation = if year >= 2020 {
        article(
            "1",
            "Dénomination",
            "La société adopte la forme de la société coopérative. Elle est dénommée « Ruche ». Agréée comme entreprise sociale et par le Conseil national de la coopération, elle fait suivre sa dénomination de la mention « SCES agréée ».",
            "De vennootschap neemt de vorm aan van een coöperatieve vennootschap. Zij draagt de naam « Ruche ». Erkend als sociale onderneming en door de Nationale Raad voor de Coöperatie, laat zij haar naam volgen door de vermelding « erkende CVSO ».",
            "The company is a cooperative company named « Ruche ». Accredited as a social enterprise and by the National Council for Cooperation, its name is followed by « SCES agréée / erkende CVSO ».",
            &[Designation],
        )
    } else {
        article(
            "1",
            "Dénomination",
            "La société adopte la forme de la société coopérative à responsabilité limitée et à finalité sociale. Elle est dénommée « Ruche ».",
            "De vennootschap neemt de vorm aan van een coöperatieve vennootschap met beperkte aansprakelijkheid en met sociaal oogmerk. Zij draagt de naam « Ruche ».",
            "The company is a cooperative company with limited liability and a social purpose, named « Ruche ».",
            &[Designation],
        )
    };
    let object_extra_fr = if year >= 2022 {
        " Elle organise l'information et la formation de ses membres et du public à l'entrepreneuriat partagé."
    } else {
        ""
    };
    let object_extra_nl = if year >= 2022 {
        " Zij organiseert de informatie en vorming van haar leden en van het publiek over gedeeld ondernemerschap."
    } else {
        ""
    };
    let object_extra_en = if year >= 2022 {
        " It informs and trains its members and the public in shared entrepreneurship."
    } else {
        ""
    };
    let vote_fr = if year >= 2020 {
        "Chaque associé dispose d'une voix, quel que soit le nombre de ses parts. Nul ne peut prendre part au vote, pour lui-même et comme mandataire, pour plus du dixième des voix présentes ou représentées."
    } else {
        "Chaque associé dispose d'une voix, quel que soit le nombre de ses parts. Nul ne peut prendre part au vote pour plus du dixième des voix présentes."
    };
    let vote_nl = if year >= 2020 {
        "Elke vennoot heeft één stem, ongeacht het aantal aandelen. Niemand mag aan de stemming deelnemen, voor zichzelf en als lasthebber, voor meer dan een tiende van de aanwezige of vertegenwoordigde stemmen."
    } else {
        "Elke vennoot heeft één stem, ongeacht het aantal aandelen. Niemand mag aan de stemming deelnemen voor meer dan een tiende van de aanwezige stemmen."
    };
    let vote_en = if year >= 2020 {
        "Each shareholder has one vote, whatever the number of their shares. Nobody may take part in a vote, for themselves and as proxy, with more than one tenth of the votes present or represented."
    } else {
        "Each shareholder has one vote, whatever the number of their shares. Nobody may take part in a vote with more than one tenth of the votes present."
    };
    let mandate = if year >= 2022 {
        (
            "Le mandat d'administrateur est gratuit. L'assemblée générale peut toutefois accorder un jeton de présence par réunion du conseil, dont elle fixe le montant.",
            "Het mandaat van bestuurder is onbezoldigd. De algemene vergadering kan evenwel presentiegeld per vergadering van de raad toekennen, waarvan zij het bedrag bepaalt.",
            "The director's mandate is unpaid. The general assembly may however grant an attendance fee per board meeting, whose amount it sets.",
        )
    } else {
        (
            "Le mandat d'administrateur est exercé gratuitement.",
            "Het mandaat van bestuurder wordt onbezoldigd uitgeoefend.",
            "The director's mandate is exercised free of charge.",
        )
    };
    let refund = if year >= 2023 {
        (
            "L'associé ne peut démissionner que durant les six premiers mois de l'exercice. Il reçoit le montant libéré et non encore remboursé de ses parts, sans que ce montant puisse dépasser la valeur de l'actif net des parts ni leur valeur nominale.",
            "De vennoot kan enkel uittreden tijdens de eerste zes maanden van het boekjaar. Hij ontvangt het gestorte en nog niet terugbetaalde bedrag van zijn aandelen, zonder dat dit bedrag de netto-actiefwaarde of de nominale waarde van de aandelen mag overschrijden.",
            "A shareholder may resign only in the first six months of the financial year. They receive the amount paid up and not yet repaid on their shares, at most the net asset value and the nominal value of the shares.",
        )
    } else {
        (
            "L'associé ne peut démissionner que durant les six premiers mois de l'exercice. Il a droit au remboursement de ses parts à leur valeur nominale.",
            "De vennoot kan enkel uittreden tijdens de eerste zes maanden van het boekjaar. Hij heeft recht op de terugbetaling van zijn aandelen tegen hun nominale waarde.",
            "A shareholder may resign only in the first six months of the financial year. Their shares are refunded at their nominal value.",
        )
    };
    let allocation = if year >= 2023 {
        (
            "Aucun dividende n'est distribué. Le bénéfice est affecté, après la réserve légale, à une réserve destinée à la réalisation du but social, puis reporté.",
            "Er wordt geen dividend uitgekeerd. De winst wordt, na de wettelijke reserve, bestemd voor een reserve voor de verwezenlijking van het sociaal doel en vervolgens overgedragen.",
            "No dividend is distributed. The profit goes, after the legal reserve, to a reserve for the company's purpose, then is carried forward.",
        )
    } else {
        (
            "Aucun dividende n'est distribué. Le bénéfice est reporté ou affecté aux réserves.",
            "Er wordt geen dividend uitgekeerd. De winst wordt overgedragen of aan de reserves toegewezen.",
            "No dividend is distributed. The profit is carried forward or put to the reserves.",
        )
    };
    vec![
        designation,
        article(
            "3",
            "But",
            "La société a pour but principal, dans l'intérêt général, de générer un impact sociétal positif pour l'homme, l'environnement ou la société, en permettant à chacun d'exercer une activité économique de manière autonome au sein d'une structure partagée.",
            "De vennootschap heeft als hoofddoel, in het algemeen belang, een positieve maatschappelijke impact te genereren voor de mens, het milieu of de samenleving, door iedereen in staat te stellen autonoom een economische activiteit uit te oefenen binnen een gedeelde structuur.",
            "The company's main purpose, in the general interest, is a positive societal impact on people, the environment or society, by enabling everyone to carry on an economic activity autonomously within a shared structure.",
            &[Purpose],
        ),
        article(
            "4",
            "Objet",
            &format!(
                "La société a pour objet, au service de son but de générer un impact sociétal positif, l'hébergement administratif, juridique et financier d'activités économiques de ses membres : facturation, contrats de travail, mutualisation des risques.{object_extra_fr}"
            ),
            &format!(
                "De vennootschap heeft als voorwerp, ten dienste van haar doel een positieve maatschappelijke impact te genereren, de administratieve, juridische en financiële omkadering van economische activiteiten van haar leden: facturatie, arbeidsovereenkomsten, onderlinge risicodeling.{object_extra_nl}"
            ),
            &format!(
                "The company's object, serving its purpose of a positive societal impact, is to host its members' economic activities administratively, legally and financially: invoicing, employment contracts, pooled risks.{object_extra_en}"
            ),
            &[Object],
        ),
        article(
            "20",
            "Démission",
            refund.0,
            refund.1,
            refund.2,
            &[Resignation],
        ),
        article(
            "23",
            "Droit de vote",
            vote_fr,
            vote_nl,
            vote_en,
            &[VotingRule, VoteCap],
        ),
        article(
            "37",
            "Mandat des administrateurs",
            mandate.0,
            mandate.1,
            mandate.2,
            &[UnpaidMandate],
        ),
        article(
            "43",
            "Affectation du résultat",
            allocation.0,
            allocation.1,
            allocation.2,
            &[Allocation],
        ),
        article(
            "46",
            "Liquidation",
            "Après apurement de toutes les dettes et remboursement des montants effectivement versés et non encore remboursés, le solde est affecté à une finalité qui se rapproche le plus possible du but de la société.",
            "Na aanzuivering van alle schulden en terugbetaling van de werkelijk gestorte en nog niet terugbetaalde bedragen, wordt het saldo bestemd voor een doel dat zo dicht mogelijk aansluit bij het doel van de vennootschap.",
            "After all debts are paid and the amounts actually contributed and not yet repaid are refunded, the remainder goes to a use as close as possible to the company's purpose.",
            &[Liquidation],
        ),
    ]
}

pub async fn seed_statutes(store: &Store) -> Result<()> {
    if !store.statute_versions().await?.is_empty() {
        return Ok(());
    }
    let ctx = AuditContext::system();
    // The adopted `statutes` resolutions of the demo's extraordinary assemblies, by date.
    let mut adopted: Vec<(String, i64)> = Vec::new();
    let assemblies = store.assemblies(PageRequest::new(1, 200)).await?;
    for a in assemblies
        .items
        .iter()
        .filter(|a| a.kind == "extraordinary")
    {
        for r in store.resolutions(a.id).await? {
            if r.kind == "statutes" && r.status == "adopted" {
                adopted.push((a.held_on.clone(), r.id));
            }
        }
    }
    let versions: [(i16, &str, Date, Date, &str); 4] = [
        (
            2019,
            "Statuts coordonnés (archives)",
            date(2019, 5, 1),
            date(2019, 4, 27),
            "Statuts repris des archives, avant le Code des sociétés et des associations.",
        ),
        (
            2020,
            "Statuts — mise en conformité CSA",
            date(2020, 6, 20),
            date(2020, 6, 20),
            "Dénomination « SCES agréée » ; plafond de vote sur les voix présentes ou représentées.",
        ),
        (
            2022,
            "Statuts — formation et jetons de présence",
            date(2022, 6, 18),
            date(2022, 6, 18),
            "Objet étendu à la formation ; jeton de présence décidé par l'assemblée.",
        ),
        (
            2023,
            "Statuts du 20 juin 2023",
            date(2023, 6, 20),
            date(2023, 6, 20),
            "Remboursement plafonné à la valeur nominale ; réserve affectée au but.",
        ),
    ];
    for (year, label, effective_from, adopted_on, summary) in versions {
        let resolution = adopted
            .iter()
            .find(|(held_on, _)| *held_on == adopted_on.to_string())
            .map(|(_, id)| *id);
        let new = NewStatuteVersion {
            label: label.into(),
            effective_from,
            adopted_on,
            adopted_by_resolution_id: if year >= 2020 { resolution } else { None },
            rules: StatuteRules {
                vote_weighting: VoteWeighting::PerPerson,
                proxies_per_holder: 1,
                proxy_must_be_member: true,
                resignation_months: 6,
                partial_resignation_allowed: false,
                dividends_allowed: false,
            },
            summary: summary.into(),
            articles: articles(year),
        };
        if let Err(e) = store.create_statute_version(&ctx, &new).await {
            // A resolution the demo's assemblies did not adopt: the version stays unlinked.
            tracing::warn!(error = %e, label, "demo statutes: linking refused, stored unlinked");
            let unlinked = NewStatuteVersion {
                adopted_by_resolution_id: None,
                ..new
            };
            store.create_statute_version(&ctx, &unlinked).await?;
        }
    }
    Ok(())
}
