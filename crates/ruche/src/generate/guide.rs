//! The guide (C10): a fixed set of articles in French and Dutch, written two years before
//! the generated year by an advisor, and the year's views counted per article and day
//! through the guide store's counters.

use anyhow::{Result, anyhow};
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::Language;
use ruche_domain::guide::{ArticleSettings, Audience, NewCategory, NewRevision, Slug, Status};
use ruche_store::{AuditContext, Store};

use super::people::Coop;
use super::scale::{scaled, split_exact};
use super::{Progress, Summary, day_of, days_in, set_clock};

/// The reference year's views.
pub const VIEWS: i64 = 266_000;
/// The articles of the guide (an institutional count: it does not scale).
pub const ARTICLES: usize = 24;

const TOPICS: [(&str, &str, &str); 8] = [
    ("frais", "Frais et kilomètres", "Onkosten en kilometers"),
    ("contrats", "Contrats et salaires", "Contracten en lonen"),
    ("factures", "Devis et factures", "Offertes en facturen"),
    (
        "rappels",
        "Paiements et rappels",
        "Betalingen en herinneringen",
    ),
    ("prets", "Prêts à 0 %", "Leningen aan 0 %"),
    ("formations", "Formations", "Opleidingen"),
    (
        "gouvernance",
        "Assemblées et votes",
        "Vergaderingen en stemmingen",
    ),
    ("activites", "Lancer son activité", "Je activiteit starten"),
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let author = AuditContext {
        actor_account_id: Some(coop.advisor_account),
        ip: None,
    };
    let views = scaled(VIEWS, scale, 1);
    progress.phase("guide", ARTICLES as u64);
    let written = day_of(coop.year - 2, 40)?;
    set_clock(written, 9)?;
    let category = store
        .create_guide_category(
            &author,
            &NewCategory {
                name_fr: "Guide du membre".into(),
                name_nl: "Gids voor leden".into(),
                name_en: "Members' guide".into(),
                position: 0,
            },
        )
        .await?
        .id;
    let tz = jiff::tz::TimeZone::get("Europe/Brussels")?;
    let per_article = split_exact(rng, views.max(ARTICLES as i64), ARTICLES);
    let days = usize::try_from(days_in(coop.year))?;
    for (n, article_views) in per_article.into_iter().enumerate() {
        let (topic, fr, nl) = TOPICS[n % TOPICS.len()];
        let part = n / TOPICS.len() + 1;
        let slug = Slug::parse(&format!("{topic}-{part}"))
            .ok_or_else(|| anyhow!("guide slug {topic}-{part}"))?;
        let at = written
            .checked_add(jiff::Span::new().days(i64::try_from(n)?))?
            .at(10, 0, 0, 0)
            .to_zoned(tz.clone())?
            .timestamp()
            .as_microsecond();
        let article = store
            .create_guide_article_at(
                &author,
                &ArticleSettings {
                    slug,
                    category_id: category,
                    status: Status::Published,
                    audience: Audience::Public,
                    form_key: None,
                },
                &NewRevision {
                    language: Language::Fr,
                    title: format!("{fr} ({part})"),
                    body: format!("Ce que le membre doit savoir : {fr}, partie {part}."),
                    summary: "Première version".into(),
                },
                at,
            )
            .await?;
        store
            .add_guide_revision_at(
                &author,
                article.id,
                &NewRevision {
                    language: Language::Nl,
                    title: format!("{nl} ({part})"),
                    body: format!("Wat het lid moet weten: {nl}, deel {part}."),
                    summary: "Eerste versie".into(),
                },
                at + 3_600_000_000,
            )
            .await?;
        // The article's views of the year, each on a day drawn at random.
        let mut per_day = vec![0_i64; days];
        for _ in 0..article_views {
            per_day[rng.random_range(0..days)] += 1;
        }
        let mut counted = Vec::new();
        for (d, v) in per_day.into_iter().enumerate() {
            if v > 0 {
                counted.push((day_of(coop.year, i64::try_from(d)?)?, v));
            }
        }
        store
            .add_guide_views(&AuditContext::system(), article.id, &counted)
            .await?;
        summary.guide_articles += 1;
        summary.guide_views += article_views;
        progress.advance(1);
    }
    progress.finish("articles");
    Ok(())
}
