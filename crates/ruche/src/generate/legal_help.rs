//! Legal help (C16), through the form's parser and the legal-help store as
//! demo_legal_help.rs does: the legal service's account (role `legal`), and 1,200 requests
//! at scale 1 (at least 3) filed by members during the year — 55 % questions, 30 %
//! contract reviews, 15 % disputes (those two name the member's activity). The service
//! triages each the next day; 90 % are answered 1 to 15 days after filing (the member told
//! by e-mail in their language), two in three of those closed a week or two later; the
//! rest wait. A step after the year's end is not written.

use anyhow::{Context, Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::legal_help::{LegalOutcome, LegalPriority, LegalRequestForm};
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::legal_help::LegalNotice;
use ruche_store::{AuditContext, Store};
use ruche_web::i18n::t_args;

use super::people::Coop;
use super::scale::scaled;
use super::{Progress, Summary, day_of, days_in, noon, set_clock};

/// Requests filed in the year at scale 1.
pub const REQUESTS: i64 = 1_200;

const QUESTIONS: [(&str, &str); 4] = [
    (
        "Mentions obligatoires sur une facture",
        "Quelles mentions dois-je faire figurer sur mes factures à des particuliers ?",
    ),
    (
        "Droits d'auteur sur des photographies",
        "Qui est propriétaire des photographies réalisées pour un client ?",
    ),
    (
        "Assurance pour un atelier",
        "L'assurance de la coopérative couvre-t-elle un atelier avec des enfants ?",
    ),
    (
        "TVA sur des cours",
        "Mes cours de musique sont-ils exemptés de TVA (Code TVA, art. 44) ?",
    ),
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
    let year_end = Date::new(year, 12, 31)?;
    let n = scaled(REQUESTS, scale, 3);
    progress.phase("legal help", u64::try_from(n)?);
    let lawyer = legal_account(store, year).await?;
    let as_lawyer = AuditContext::account(lawyer, None);
    let days = days_in(year);
    // (filed on, member, kind roll, answered after, closed after)
    let mut plan = Vec::with_capacity(usize::try_from(n)?);
    for _ in 0..n {
        let member = rng.random_range(0..coop.members.len());
        let filed = day_of(year, rng.random_range(coop.members[member].from_day..days))?;
        let answer = rng.random_bool(0.9).then(|| rng.random_range(1..=15_i64));
        let close = rng
            .random_bool(2.0 / 3.0)
            .then(|| rng.random_range(7..=14_i64));
        plan.push((filed, member, rng.random::<f64>(), answer, close));
    }
    plan.sort_by_key(|(filed, member, ..)| (*filed, *member));
    for (filed, member, kind_roll, answer, close) in plan {
        let m = &coop.members[member];
        let (kind, subject, description, counterparty, amount) = if kind_roll < 0.55 {
            let (s, d) = QUESTIONS[rng.random_range(0..QUESTIONS.len())];
            ("question", s, d, "", String::new())
        } else if kind_roll < 0.85 {
            (
                "contract-review",
                "Relecture d'un contrat de prestation",
                "Le client propose ses conditions générales : la clause de responsabilité \
                 me semble très large.",
                "Client SRL",
                rng.random_range(1_000..=20_000_i64).to_string(),
            )
        } else {
            (
                "dispute",
                "Client qui conteste une prestation",
                "Le client conteste la qualité de la prestation et refuse de payer malgré \
                 les rappels.",
                "Client SRL",
                rng.random_range(300..=8_000_i64).to_string(),
            )
        };
        let new = LegalRequestForm {
            legal_kind: kind.into(),
            legal_subject: subject.into(),
            legal_description: description.into(),
            legal_counterparty: counterparty.into(),
            legal_amount: amount,
            legal_deadline: String::new(),
            legal_activity: if kind == "question" {
                String::new()
            } else {
                m.activity_id.to_string()
            },
        }
        .parse(m.person_id, filed)
        .map_err(|e| anyhow!("legal request of {filed}: {e}"))?;
        let as_member = AuditContext::account(m.account_id, None);
        let r = store
            .file_legal_request(&as_member, &new, &[], noon(filed)?)
            .await
            .with_context(|| format!("a legal request on {filed}"))?;
        summary.legal_requests += 1;
        progress.advance(1);
        let triaged = filed.checked_add(1.days())?;
        if triaged > year_end {
            continue;
        }
        let priority = if kind == "dispute" {
            LegalPriority::Urgent
        } else {
            LegalPriority::Normal
        };
        store
            .triage_legal_request(&as_lawyer, r.id, priority, lawyer, noon(triaged)?)
            .await?;
        let Some(after) = answer else { continue };
        let answered = filed.checked_add(after.days())?;
        if answered <= triaged || answered > year_end {
            continue;
        }
        let lang = Language::parse(&r.member_language).unwrap_or(Language::Fr);
        let notice = LegalNotice {
            subject: t_args(lang, "legal-notice-subject", &[("id", r.id.to_string())]),
            body: t_args(
                lang,
                "legal-notice-body",
                &[("link", format!("/legal-help/{}", r.id))],
            ),
        };
        store
            .answer_legal_request(
                &as_lawyer,
                r.id,
                "Voici notre analyse et la marche à suivre ; le guide reprend le modèle utile.",
                &[],
                &notice,
                noon(answered)?,
            )
            .await?;
        summary.legal_answered += 1;
        let Some(later) = close else { continue };
        let closed = answered.checked_add(later.days())?;
        if closed > year_end {
            continue;
        }
        let outcome = match kind {
            "dispute" => LegalOutcome::Settled,
            "contract-review" if later % 3 == 0 => LegalOutcome::Referred,
            _ => LegalOutcome::Advised,
        };
        store
            .close_legal_request(&as_lawyer, r.id, outcome, noon(closed)?)
            .await?;
    }
    progress.finish("requests");
    Ok(())
}

/// The legal service's account (role `legal`), hired before the year.
async fn legal_account(store: &Store, year: i16) -> Result<i64> {
    let email = "juriste@generated.ruche.coop";
    set_clock(Date::new(year - 1, 9, 1)?, 10)?;
    let person = PersonForm {
        first_name: "Julie".into(),
        last_name: "Lambert".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        country: "BE".into(),
        language: "fr".into(),
        email: email.into(),
        ..PersonForm::default()
    }
    .parse()
    .map_err(|e| anyhow!("legal service's person: {e}"))?;
    let (_, account) = store
        .create_person_with_account(
            &AuditContext::system(),
            &person,
            &NewAccount {
                email: email.into(),
                // No password: signs in once an administrator sets one.
                password_hash: String::new(),
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role: Role::Legal,
                    office_id: None,
                }],
            },
        )
        .await
        .context("the legal service's account")?;
    Ok(account.id)
}
