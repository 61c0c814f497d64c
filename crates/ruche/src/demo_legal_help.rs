//! The demo's legal help (C16), written through the store like the pages do: the legal
//! service's login `juriste@demo.ruche.coop` (role `legal`), and requests of `membre@` (in
//! French) and `lid@` (in Dutch) over the past two years in every state — submitted,
//! triaged, answered (still reopenable), closed with each outcome, reopened — with their
//! threads, internal notes and, when a file store is given, their attached files.

use anyhow::{Context, Result, anyhow};
use jiff::Span;
use jiff::civil::Date;
use ruche_domain::legal_help::{LegalOutcome, LegalPriority, LegalRequestForm};
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::attachments::NewAttachment;
use ruche_store::legal_help::{LegalFilter, LegalMessageKind, LegalNotice};
use ruche_store::{AuditContext, PageRequest, Store};
use ruche_web::files::StoredFiles;
use ruche_web::i18n::t_args;

pub const LEGAL_EMAIL: &str = "juriste@demo.ruche.coop";

/// What happens to a demo request after it is filed (days after filing).
#[derive(Clone, Copy)]
enum Fate {
    Submitted,
    Triaged,
    /// Answered `n` days after filing.
    Answered(i64),
    /// Answered, then closed `close` days after filing.
    Closed {
        answer: i64,
        close: i64,
        outcome: LegalOutcome,
    },
    /// Answered, closed, then reopened by the member `reopen` days after filing.
    Reopened {
        answer: i64,
        close: i64,
        reopen: i64,
    },
}

struct Planned {
    member: &'static str,
    /// Days before today.
    ago: i64,
    kind: &'static str,
    subject: &'static str,
    description: &'static str,
    counterparty: &'static str,
    amount: &'static str,
    priority: LegalPriority,
    fate: Fate,
    member_message: Option<&'static str>,
    answer: &'static str,
    note: Option<&'static str>,
    file: Option<&'static str>,
}

const MEMBRE: &str = "membre@demo.ruche.coop";
const LID: &str = "lid@demo.ruche.coop";

const PLAN: [Planned; 8] = [
    Planned {
        member: MEMBRE,
        ago: 700,
        kind: "question",
        subject: "Mentions obligatoires sur mes factures",
        description: "Quelles mentions dois-je faire figurer sur mes factures à des particuliers ?",
        counterparty: "",
        amount: "",
        priority: LegalPriority::Low,
        fate: Fate::Closed {
            answer: 6,
            close: 20,
            outcome: LegalOutcome::Advised,
        },
        member_message: Some("Merci, c'est clair."),
        answer: "Numéro, date, identité des parties, TVA applicable… voir l'article 53 du Code TVA et l'arrêté royal n° 1, art. 5. Le guide « Facturer » reprend la liste.",
        note: None,
        file: None,
    },
    Planned {
        member: MEMBRE,
        ago: 380,
        kind: "contract-review",
        subject: "Contrat de cession de droits d'auteur",
        description: "Un éditeur me propose un contrat de cession de mes photographies. La durée et le territoire me semblent très larges.",
        counterparty: "Éditions du Parc SRL",
        amount: "4.800",
        priority: LegalPriority::Urgent,
        fate: Fate::Closed {
            answer: 3,
            close: 30,
            outcome: LegalOutcome::Settled,
        },
        member_message: Some("L'éditeur a accepté de limiter la durée à 5 ans."),
        answer: "La cession doit préciser les modes d'exploitation, la durée et l'étendue (Code de droit économique, art. XI.167). Proposez de limiter à 5 ans et à la Belgique ; l'article 9 est à supprimer.",
        note: Some("Clause 9 : cession des droits futurs — nulle (CDE art. XI.167 §1)."),
        file: Some("contrat-cession-droits.pdf"),
    },
    Planned {
        member: MEMBRE,
        ago: 40,
        kind: "dispute",
        subject: "Client qui ne paie pas une prestation contestée",
        description: "Le client conteste la qualité d'un atelier donné en mars et refuse de payer la facture malgré deux rappels.",
        counterparty: "ASBL Les Tilleuls",
        amount: "1.250,00",
        priority: LegalPriority::Normal,
        fate: Fate::Answered(20),
        member_message: Some("J'ai joint les échanges de courriels avec le client."),
        answer: "Le client n'a pas protesté la facture dans un délai raisonnable : elle est présumée acceptée entre entreprises. Nous proposons une mise en demeure, puis une médiation.",
        note: Some("Vérifier si le client est une entreprise (BCE) : régime B2B."),
        file: Some("echanges-client.pdf"),
    },
    Planned {
        member: MEMBRE,
        ago: 3,
        kind: "question",
        subject: "Assurance responsabilité civile pour un atelier",
        description: "Dois-je souscrire une assurance propre pour un atelier avec des enfants, ou celle de la coopérative suffit-elle ?",
        counterparty: "",
        amount: "",
        priority: LegalPriority::Normal,
        fate: Fate::Submitted,
        member_message: None,
        answer: "",
        note: None,
        file: None,
    },
    Planned {
        member: LID,
        ago: 420,
        kind: "contract-review",
        subject: "Huurovereenkomst voor een atelier",
        description: "Ik wil een atelier huren in Gent. Kan de juridische dienst het huurcontract nalezen?",
        counterparty: "Vastgoed Leie BV",
        amount: "9.600",
        priority: LegalPriority::Normal,
        fate: Fate::Closed {
            answer: 8,
            close: 25,
            outcome: LegalOutcome::Referred,
        },
        member_message: None,
        answer: "Het gaat om een handelshuur (minimum 9 jaar); wij verwijzen u door naar een advocaat gespecialiseerd in huurrecht voor de onderhandeling.",
        note: Some("Doorverwezen naar Mr. Peeters (partnerlijst)."),
        file: Some("huurovereenkomst.pdf"),
    },
    Planned {
        member: LID,
        ago: 60,
        kind: "dispute",
        subject: "Geschil met een leverancier over een defect toestel",
        description: "De leverancier weigert een defecte camera te vervangen die binnen de garantie valt.",
        counterparty: "FotoPro NV",
        amount: "1.499",
        priority: LegalPriority::Urgent,
        fate: Fate::Reopened {
            answer: 5,
            close: 15,
            reopen: 35,
        },
        member_message: Some("De leverancier antwoordt niet meer op mijn ingebrekestelling."),
        answer: "Stuur een ingebrekestelling met een termijn van 15 dagen; het model staat in de gids.",
        note: None,
        file: None,
    },
    Planned {
        member: LID,
        ago: 10,
        kind: "question",
        subject: "Auteursrecht op foto's gemaakt voor een klant",
        description: "Wie is eigenaar van de foto's die ik voor een klant maak?",
        counterparty: "",
        amount: "",
        priority: LegalPriority::Low,
        fate: Fate::Triaged,
        member_message: None,
        answer: "",
        note: Some("Standaardclausule uit de algemene voorwaarden sturen."),
        file: None,
    },
    Planned {
        member: LID,
        ago: 200,
        kind: "question",
        subject: "Btw op lessen",
        description: "Zijn mijn fotografielessen vrijgesteld van btw?",
        counterparty: "",
        amount: "",
        priority: LegalPriority::Low,
        fate: Fate::Closed {
            answer: 2,
            close: 2,
            outcome: LegalOutcome::OutOfScope,
        },
        member_message: None,
        answer: "Dit is een fiscale vraag: uw adviseur helpt u verder (btw-wetboek, art. 44).",
        note: None,
        file: None,
    },
];

/// Noon in Brussels on `day`, as stored.
fn noon(day: Date) -> Result<i64> {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    Ok(day
        .at(12, 0, 0, 0)
        .to_zoned(tz)?
        .timestamp()
        .as_microsecond())
}

fn days_after(day: Date, n: i64) -> Result<Date> {
    Ok(day.checked_add(Span::new().days(n))?)
}

/// A small PDF, distinct per request, written to the file store.
fn demo_file(files: &StoredFiles, name: &str) -> Result<NewAttachment> {
    let bytes = format!("%PDF-1.4\n% ruche demo: {name}\n%%EOF\n").into_bytes();
    let (sha256, _) = files.put(&bytes)?;
    Ok(NewAttachment {
        sha256,
        mime: "application/pdf".into(),
        size: i64::try_from(bytes.len())?,
        name: name.into(),
    })
}

/// The legal service's account, created once.
async fn legal_account(store: &Store, password_hash: &str) -> Result<i64> {
    if let Some(a) = store.account_by_email(LEGAL_EMAIL).await? {
        return Ok(a.id);
    }
    let person = PersonForm {
        first_name: "Julie".into(),
        last_name: "Lambert".into(),
        street: "Rue Haute 12".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        email: LEGAL_EMAIL.into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| anyhow!("demo legal person: {e}"))?;
    let (_, account) = store
        .create_person_with_account(
            &AuditContext::system(),
            &person,
            &NewAccount {
                email: LEGAL_EMAIL.into(),
                password_hash: password_hash.into(),
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role: Role::Legal,
                    office_id: None,
                }],
            },
        )
        .await
        .context("demo legal account")?;
    Ok(account.id)
}

pub async fn seed(
    store: &Store,
    today: Date,
    password_hash: &str,
    base_url: &str,
    files: Option<&StoredFiles>,
) -> Result<()> {
    let lawyer = legal_account(store, password_hash).await?;
    if store
        .legal_requests(&LegalFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let as_lawyer = AuditContext::account(lawyer, None);
    for p in &PLAN {
        // A demo without membre@ or lid@ (a trimmed data set) simply has fewer requests.
        let Some(member) = store.account_by_email(p.member).await? else {
            continue;
        };
        let as_member = AuditContext::account(member.id, None);
        let filed = today.checked_sub(Span::new().days(p.ago))?;
        let activity = store
            .legal_held_activities(member.person_id)
            .await?
            .first()
            .filter(|_| p.kind != "question")
            .map(|(id, _)| id.to_string())
            .unwrap_or_default();
        let new = LegalRequestForm {
            legal_kind: p.kind.into(),
            legal_subject: p.subject.into(),
            legal_description: p.description.into(),
            legal_counterparty: p.counterparty.into(),
            legal_amount: p.amount.into(),
            legal_deadline: String::new(),
            legal_activity: activity,
        }
        .parse(member.person_id, filed)
        .map_err(|e| anyhow!("demo legal request {}: {e}", p.subject))?;
        let attached = match (files, p.file) {
            (Some(files), Some(name)) => vec![demo_file(files, name)?],
            _ => Vec::new(),
        };
        let r = store
            .file_legal_request(&as_member, &new, &attached, noon(filed)?)
            .await?;
        if matches!(p.fate, Fate::Submitted) {
            continue;
        }
        let next_day = noon(days_after(filed, 1)?)?;
        store
            .triage_legal_request(&as_lawyer, r.id, p.priority, lawyer, next_day)
            .await?;
        if let Some(note) = p.note {
            store
                .add_legal_message(
                    &as_lawyer,
                    r.id,
                    LegalMessageKind::Note,
                    note,
                    &[],
                    next_day + 60_000_000,
                )
                .await?;
        }
        if let Some(text) = p.member_message {
            store
                .add_legal_message(
                    &as_member,
                    r.id,
                    LegalMessageKind::Message,
                    text,
                    &[],
                    next_day + 3_600_000_000,
                )
                .await?;
        }
        let answer_after = match p.fate {
            Fate::Submitted | Fate::Triaged => continue,
            Fate::Answered(a) => a,
            Fate::Closed { answer, .. } | Fate::Reopened { answer, .. } => answer,
        };
        let lang = Language::parse(&r.member_language).unwrap_or(Language::Fr);
        let notice = LegalNotice {
            subject: t_args(lang, "legal-notice-subject", &[("id", r.id.to_string())]),
            body: t_args(
                lang,
                "legal-notice-body",
                &[("link", format!("{base_url}/legal-help/{}", r.id))],
            ),
        };
        store
            .answer_legal_request(
                &as_lawyer,
                r.id,
                p.answer,
                &[],
                &notice,
                noon(days_after(filed, answer_after)?)? + 7_200_000_000,
            )
            .await?;
        match p.fate {
            Fate::Closed { close, outcome, .. } => {
                store
                    .close_legal_request(
                        &as_lawyer,
                        r.id,
                        outcome,
                        noon(days_after(filed, close)?)? + 10_800_000_000,
                    )
                    .await?;
            }
            Fate::Reopened { close, reopen, .. } => {
                store
                    .close_legal_request(
                        &as_lawyer,
                        r.id,
                        LegalOutcome::Advised,
                        noon(days_after(filed, close)?)?,
                    )
                    .await?;
                store
                    .reopen_legal_request(&as_member, r.id, noon(days_after(filed, reopen)?)?)
                    .await?;
                store
                    .add_legal_message(
                        &as_member,
                        r.id,
                        LegalMessageKind::Message,
                        "Ik heb de vraag heropend: de leverancier reageert niet.",
                        &[],
                        noon(days_after(filed, reopen)?)? + 60_000_000,
                    )
                    .await?;
            }
            _ => {}
        }
    }
    Ok(())
}
