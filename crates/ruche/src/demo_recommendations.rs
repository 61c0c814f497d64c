//! Demo recommendation cycles (issue 8 §3): last year's closed cycle (with a consolidation
//! carried out and the board's follow-up: accepted, in progress, done, declined with a
//! reason) and this year's cycle in its proposal phase, with 15 recommendations of demo
//! members, near-duplicate pairs (a French solar pair by ca@ and lid@ — left for the
//! moderator's browser journey —, a Dutch pair, an English repair-café pair) and a pending
//! consolidation of the repair-café pair whose second consent is awaited. Skipped when
//! cycles exist.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::recommendations::similarity::DEFAULT_THRESHOLD_PERCENT;
use ruche_domain::recommendations::{
    CycleDates, FollowUp, NewConsolidation, NewCycle, NewRecommendation, RecoStatus,
};
use ruche_store::persons::PersonFilter;
use ruche_store::recommendations::RecoMails;
use ruche_store::{AuditContext, PageRequest, Store};

const PARTICIPATION: &str = "participation@demo.ruche.coop";
const BOARD: &str = "ca@demo.ruche.coop";
const LID: &str = "lid@demo.ruche.coop";

/// Noon in Brussels on `day`, in Unix microseconds.
fn at(day: Date) -> Result<i64> {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels")?;
    Ok(day
        .at(12, 0, 0, 0)
        .to_zoned(tz)?
        .timestamp()
        .as_microsecond())
}

fn as_account(id: Option<i64>) -> AuditContext {
    AuditContext {
        actor_account_id: id,
        ip: None,
    }
}

fn mails() -> RecoMails {
    RecoMails {
        fr: ruche_store::recommendations::RecoMail {
            subject: "Une recommandation que vous soutenez a été consolidée".into(),
            body: "La recommandation que vous soutenez a été consolidée avec l'accord de ses auteurs. Votre soutien reste où il était ; vous pouvez soutenir le résultat.".into(),
        },
        nl: ruche_store::recommendations::RecoMail {
            subject: "Een aanbeveling die u steunt, werd samengevoegd".into(),
            body: "De aanbeveling die u steunt, werd met de toestemming van haar auteurs samengevoegd. Uw steun blijft waar hij was; u kunt het resultaat steunen.".into(),
        },
        en: ruche_store::recommendations::RecoMail {
            subject: "A recommendation you support was consolidated".into(),
            body: "The recommendation you support was consolidated with its authors' consent. Your support stays where it was; you are welcome to support the result.".into(),
        },
    }
}

fn consent_mails() -> RecoMails {
    RecoMails::plain(
        "Votre accord est demandé / Uw toestemming wordt gevraagd / Your consent is asked",
        "/recommendations/consents",
    )
}

struct Writer<'a> {
    store: &'a Store,
    cycle: i64,
}

impl Writer<'_> {
    async fn write(
        &self,
        person: i64,
        account: Option<i64>,
        language: Language,
        title: &str,
        text: &str,
        day: Date,
    ) -> Result<i64> {
        let new = NewRecommendation {
            title: title.into(),
            text: text.into(),
            language,
        };
        Ok(self
            .store
            .write_recommendation(&as_account(account), self.cycle, person, &new, at(day)?)
            .await?
            .id)
    }
}

async fn support(store: &Store, reco: i64, people: &[i64], day: Date) -> Result<()> {
    for p in people {
        store
            .support_recommendation(&AuditContext::system(), reco, *p, at(day)?)
            .await?;
    }
    Ok(())
}

async fn follow(
    store: &Store,
    board: &AuditContext,
    reco: i64,
    steps: &[(RecoStatus, Option<&str>, Date)],
) -> Result<()> {
    for (to, reason, day) in steps {
        let step = FollowUp {
            to: *to,
            reason: reason.map(str::to_string),
        };
        store
            .follow_up_recommendation(board, reco, &step, at(*day)?)
            .await?;
    }
    Ok(())
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store.reco_cycles(PageRequest::new(1, 1)).await?.total > 0 {
        return Ok(());
    }
    let staff = store.account_by_email(PARTICIPATION).await?.map(|a| a.id);
    let (board_account, ca) = store
        .account_by_email(BOARD)
        .await?
        .map(|a| (a.id, a.person_id))
        .ok_or_else(|| anyhow!("the demo has no {BOARD}"))?;
    let (lid_account, lid) = store
        .account_by_email(LID)
        .await?
        .map(|a| (a.id, a.person_id))
        .ok_or_else(|| anyhow!("the demo has no {LID}"))?;
    // Other demo members: the first persons of the register, leaving the named ones out.
    let others: Vec<i64> = store
        .persons(&PersonFilter::default(), PageRequest::new(1, 60))
        .await?
        .items
        .into_iter()
        .map(|p| p.id)
        .filter(|id| *id != ca && *id != lid)
        .collect();
    if others.len() < 50 {
        return Err(anyhow!("the demo needs 50 persons for its recommendations"));
    }
    let p = |i: usize| others[i % others.len()];
    let staff_ctx = as_account(staff);
    let board_ctx = as_account(Some(board_account));

    // ----------------------------------------------------------- last year's cycle
    let y = today.year() - 1;
    let d = |m: i8, day: i8| Date::new(y, m, day);
    let last = store
        .create_reco_cycle(
            &staff_ctx,
            &NewCycle {
                title: format!("Cycle {y} : la vie coopérative"),
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
        .await?
        .id;
    let w = Writer { store, cycle: last };
    let fr = Language::Fr;
    let cowork_a = w
        .write(
            p(0),
            None,
            fr,
            "Un espace de coworking ouvert le samedi",
            "Beaucoup de membres travaillent le week-end : ouvrir l'espace de coworking le samedi.",
            d(2, 3)?,
        )
        .await?;
    let cowork_b = w
        .write(
            p(1),
            None,
            fr,
            "Ouvrir le coworking le samedi",
            "Ouvrir l'espace de coworking aussi le samedi matin.",
            d(2, 5)?,
        )
        .await?;
    let newsletter = w
        .write(p(2), None, fr, "Une lettre d'information mensuelle en trois langues", "Une lettre mensuelle en français, néerlandais et anglais sur la vie de la coopérative.", d(2, 8)?)
        .await?;
    let payslip = w
        .write(
            ca,
            Some(board_account),
            fr,
            "Des ateliers pour comprendre sa fiche de paie",
            "Deux ateliers par an pour lire sa fiche de paie et son compte individuel.",
            d(2, 10)?,
        )
        .await?;
    let garden = w
        .write(
            p(3),
            None,
            fr,
            "Un potager sur la terrasse",
            "Cultiver un potager partagé sur la terrasse du siège.",
            d(2, 12)?,
        )
        .await?;
    let pay_fast = w
        .write(
            p(4),
            None,
            fr,
            "Payer les factures des membres en quinze jours",
            "Que la coopérative paie les frais avancés par les membres en quinze jours au plus.",
            d(2, 14)?,
        )
        .await?;
    let vat = w
        .write(
            lid,
            Some(lid_account),
            Language::Nl,
            "Een Nederlandstalige opleiding over btw",
            "Een opleiding in het Nederlands over btw voor freelancers.",
            d(2, 18)?,
        )
        .await?;
    let paper = w
        .write(
            p(5),
            None,
            fr,
            "Réduire les impressions papier",
            "Envoyer tous les documents par voie électronique.",
            d(2, 20)?,
        )
        .await?;
    let insurance = w
        .write(
            p(6),
            None,
            fr,
            "Une assurance groupe pour le matériel",
            "Une assurance collective pour le matériel professionnel des membres.",
            d(2, 25)?,
        )
        .await?;
    let storage = w
        .write(
            p(7),
            None,
            fr,
            "Un local de stockage partagé",
            "Un local pour ranger le matériel des membres.",
            d(3, 1)?,
        )
        .await?;
    store
        .withdraw_recommendation(&AuditContext::system(), storage, p(7), at(d(3, 10)?)?)
        .await?;
    let supporters: Vec<i64> = (8..20).map(p).collect();
    support(store, cowork_a, &supporters[0..5], d(3, 20)?).await?;
    support(store, cowork_b, &supporters[3..8], d(3, 21)?).await?;
    support(store, newsletter, &supporters[2..9], d(3, 22)?).await?;
    support(store, payslip, &supporters[0..10], d(3, 23)?).await?;
    support(store, garden, &supporters[5..8], d(3, 24)?).await?;
    support(store, pay_fast, &supporters[1..12], d(3, 25)?).await?;
    support(store, vat, &supporters[6..10], d(3, 26)?).await?;
    support(store, paper, &supporters[9..11], d(3, 27)?).await?;
    support(store, insurance, &supporters[4..7], d(4, 2)?).await?;
    // The coworking pair, consolidated with both authors' consent.
    let k = store
        .propose_consolidation(
            &staff_ctx,
            last,
            &NewConsolidation {
                sources: vec![cowork_a, cowork_b],
                into: None,
                title: "Ouvrir l'espace de coworking le samedi".into(),
                text: "Ouvrir l'espace de coworking du siège le samedi (au moins le matin) pour les membres qui travaillent le week-end.".into(),
                language: fr,
            },
            &consent_mails(),
            at(d(4, 16)?)?,
        )
        .await?;
    store
        .answer_consolidation(
            &AuditContext::system(),
            k.id,
            p(0),
            true,
            &mails(),
            at(d(4, 18)?)?,
        )
        .await?;
    let k = store
        .answer_consolidation(
            &AuditContext::system(),
            k.id,
            p(1),
            true,
            &mails(),
            at(d(4, 20)?)?,
        )
        .await?;
    let cowork = k
        .result_id
        .ok_or_else(|| anyhow!("the demo's consolidation was not carried out"))?;
    use RecoStatus::{Accepted, Declined, Done, InProgress, Submitted};
    let sent = d(5, 20)?;
    follow(
        store,
        &board_ctx,
        cowork,
        &[
            (Submitted, None, sent),
            (
                Accepted,
                Some("Ouverture à l'essai en septembre."),
                d(6, 10)?,
            ),
            (Done, None, d(9, 15)?),
        ],
    )
    .await?;
    follow(
        store,
        &board_ctx,
        newsletter,
        &[
            (Submitted, None, sent),
            (Accepted, None, d(6, 10)?),
            (
                InProgress,
                Some("Premier numéro en préparation."),
                d(10, 1)?,
            ),
        ],
    )
    .await?;
    follow(
        store,
        &board_ctx,
        payslip,
        &[
            (Submitted, None, sent),
            (Accepted, None, d(6, 10)?),
            (
                Done,
                Some("Ateliers inscrits au programme de l'école de la coopération."),
                d(11, 5)?,
            ),
        ],
    )
    .await?;
    follow(
        store,
        &board_ctx,
        garden,
        &[
            (Submitted, None, sent),
            (
                Declined,
                Some("La terrasse ne supporte pas la charge d'un potager (avis de l'architecte)."),
                d(6, 10)?,
            ),
        ],
    )
    .await?;
    follow(
        store,
        &board_ctx,
        pay_fast,
        &[(Submitted, None, sent), (Accepted, None, d(6, 10)?)],
    )
    .await?;
    follow(
        store,
        &board_ctx,
        vat,
        &[
            (Submitted, None, sent),
            (Accepted, None, d(6, 10)?),
            (Done, None, d(10, 20)?),
        ],
    )
    .await?;
    follow(store, &board_ctx, paper, &[(Submitted, None, sent), (Declined, Some("Les documents légaux restent imprimés sur demande ; le reste est déjà électronique."), d(6, 10)?)]).await?;
    follow(store, &board_ctx, insurance, &[(Submitted, None, sent)]).await?;

    // ------------------------------------------------------------- this year's cycle
    let this = store
        .create_reco_cycle(
            &staff_ctx,
            &NewCycle {
                title: format!("Cycle {} : nos lieux et nos outils", today.year()),
                theme: "Les lieux partagés, les outils et les services de la coopérative".into(),
                dates: CycleDates {
                    proposal_from: today.checked_sub(21.days())?,
                    support_from: today.checked_add(14.days())?,
                    consolidation_from: today.checked_add(35.days())?,
                    follow_up_from: today.checked_add(60.days())?,
                    closes_on: today.checked_add(200.days())?,
                },
                phase_override: None,
                threshold_percent: DEFAULT_THRESHOLD_PERCENT,
            },
        )
        .await?
        .id;
    let w = Writer { store, cycle: this };
    let ago = |n: i64| today.checked_sub(n.days());
    let (nl, en) = (Language::Nl, Language::En);
    // The French solar pair, by ca@ and lid@ (the moderator's journey consolidates it).
    let solar_a = w
        .write(
            ca,
            Some(board_account),
            fr,
            "Installer des panneaux solaires sur le toit",
            "Installer des panneaux solaires sur le toit du siège.",
            ago(20)?,
        )
        .await?;
    let solar_b = w
        .write(
            lid,
            Some(lid_account),
            fr,
            "Installer des panneaux solaires sur le toit de l'atelier",
            "Installer des panneaux solaires sur le toit de l'atelier partagé.",
            ago(19)?,
        )
        .await?;
    // The Dutch pair.
    let zon_a = w
        .write(
            p(20),
            None,
            nl,
            "Zonnepanelen op het dak",
            "Zonnepanelen op het dak van het kantoor in Gent.",
            ago(18)?,
        )
        .await?;
    let zon_b = w
        .write(
            p(21),
            None,
            nl,
            "Zonnepanelen op het dak van de werkplaats",
            "Zonnepanelen leggen op het dak van de werkplaats.",
            ago(17)?,
        )
        .await?;
    // The English repair-café pair (its consolidation waits for a consent).
    let repair_a = w
        .write(
            p(22),
            None,
            en,
            "Repair café every month",
            "A repair café every month in the workshop.",
            ago(16)?,
        )
        .await?;
    let repair_b = w
        .write(
            p(23),
            None,
            en,
            "Monthly repair café",
            "A monthly repair café in the workshop.",
            ago(15)?,
        )
        .await?;
    let singles: [(usize, Language, &str, &str); 9] = [
        (
            24,
            fr,
            "Une crèche partagée pour les enfants des membres",
            "Une crèche partagée près du siège, avec des horaires adaptés.",
        ),
        (
            25,
            fr,
            "Des vélos cargo en prêt",
            "Prêter des vélos cargo aux membres pour leurs livraisons.",
        ),
        (
            26,
            fr,
            "Traduire les formations en néerlandais",
            "Proposer chaque formation aussi en néerlandais.",
        ),
        (
            27,
            nl,
            "Een gedeelde fietsenstalling in Gent",
            "Een overdekte fietsenstalling bij het kantoor in Gent.",
        ),
        (
            28,
            fr,
            "Un fonds de solidarité pour les membres en difficulté",
            "Un fonds alimenté par une part des excédents.",
        ),
        (
            29,
            en,
            "Open the coworking space on Sundays",
            "Open the coworking space on Sunday afternoons.",
        ),
        (
            30,
            fr,
            "Des repas bio et locaux à la cantine",
            "Servir des repas bio et locaux à la cantine du siège.",
        ),
        (
            31,
            fr,
            "Publier les comptes en langage clair",
            "Une version lisible des comptes annuels pour tous les membres.",
        ),
        (
            32,
            fr,
            "Organiser une journée portes ouvertes",
            "Une journée par an pour faire découvrir la coopérative.",
        ),
    ];
    let mut single_ids = Vec::with_capacity(singles.len());
    for (n, (who, lang, title, text)) in singles.iter().enumerate() {
        let days = 14 - i64::try_from(n).unwrap_or(0);
        single_ids.push(
            w.write(p(*who), None, *lang, title, text, ago(days)?)
                .await?,
        );
    }
    // Supports this year (during the proposal phase).
    let crowd: Vec<i64> = (33..50).map(p).collect();
    support(store, solar_a, &crowd[0..6], ago(6)?).await?;
    support(store, solar_b, &crowd[4..8], ago(6)?).await?;
    support(store, zon_a, &crowd[1..4], ago(5)?).await?;
    support(store, zon_b, &crowd[8..10], ago(5)?).await?;
    support(store, repair_a, &crowd[2..7], ago(4)?).await?;
    support(store, repair_b, &crowd[5..9], ago(4)?).await?;
    for (n, id) in single_ids.iter().enumerate() {
        let from = n % 6;
        let to = from + (n * 3) % 8;
        support(store, *id, &crowd[from..to], ago(3)?).await?;
    }
    support(store, single_ids[0], &[lid], ago(2)?).await?;
    // The pending consolidation of the repair-café pair: one author consented.
    let pending = store
        .propose_consolidation(
            &staff_ctx,
            this,
            &NewConsolidation {
                sources: vec![repair_a, repair_b],
                into: None,
                title: "A monthly repair café".into(),
                text: "A repair café in the shared workshop, once a month, open to members and neighbours.".into(),
                language: en,
            },
            &consent_mails(),
            at(ago(2)?)?,
        )
        .await?;
    store
        .answer_consolidation(
            &AuditContext::system(),
            pending.id,
            p(22),
            true,
            &mails(),
            at(ago(1)?)?,
        )
        .await?;
    Ok(())
}
