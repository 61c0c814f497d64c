//! The guide (C10): revisions per language with their history, links between articles,
//! members-only and draft articles kept out of the public lists and the search rows,
//! privacy-friendly view counts and the year's figures against independent counts.

use jiff::civil::date;
use ruche_domain::Language;
use ruche_domain::guide::{ArticleSettings, Audience, NewCategory, NewRevision, Slug, Status};
use ruche_store::audit::AuditFilter;
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::guide::GuideFilter;
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::ctx;

async fn category(store: &Store, fr: &str) -> i64 {
    store
        .create_guide_category(
            &ctx(),
            &NewCategory {
                name_fr: fr.into(),
                name_nl: format!("{fr} (nl)"),
                name_en: format!("{fr} (en)"),
                position: 1,
            },
        )
        .await
        .unwrap()
        .id
}

fn settings(slug: &str, category_id: i64, status: Status, audience: Audience) -> ArticleSettings {
    ArticleSettings {
        slug: Slug::parse(slug).unwrap(),
        category_id,
        status,
        audience,
        form_key: None,
    }
}

fn text(language: Language, title: &str, body: &str) -> NewRevision {
    NewRevision {
        language,
        title: title.into(),
        body: body.into(),
        summary: String::new(),
    }
}

pub async fn guide_revisions_are_numbered_per_language_and_the_latest_is_current(store: &Store) {
    let cat = category(store, "Frais").await;
    let a = store
        .create_guide_article(
            &ctx(),
            &settings("notes-de-frais", cat, Status::Published, Audience::Public),
            &text(Language::Fr, "Notes de frais", "Version 1"),
        )
        .await
        .unwrap();
    let first_updated = a.updated_at;
    let r2 = store
        .add_guide_revision(
            &ctx(),
            a.id,
            &text(Language::Fr, "Notes de frais", "Version 2"),
        )
        .await
        .unwrap();
    let nl = store
        .add_guide_revision(
            &ctx(),
            a.id,
            &text(Language::Nl, "Onkostennota's", "Versie 1"),
        )
        .await
        .unwrap();
    assert_eq!((r2.number, nl.number), (2, 1));
    let current = store
        .guide_current(a.id, Language::Fr)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current.body, "Version 2");
    assert!(
        store
            .guide_current(a.id, Language::En)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.guide_languages(a.id).await.unwrap(),
        vec![Language::Fr, Language::Nl]
    );
    let history = store
        .guide_revisions(a.id, Language::Fr, PageRequest::new(1, 10))
        .await
        .unwrap();
    assert_eq!(history.total, 2);
    assert_eq!(
        history.items.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![2, 1]
    );
    let old = store.guide_revision(a.id, Language::Fr, 1).await.unwrap();
    assert_eq!(old.body, "Version 1");
    assert!(matches!(
        store.guide_revision(a.id, Language::Fr, 3).await,
        Err(StoreError::NotFound)
    ));
    // Each revision moves the search watermark.
    assert!(store.guide_article(a.id).await.unwrap().updated_at >= first_updated);
    // A slug is taken once.
    let again = store
        .create_guide_article(
            &ctx(),
            &settings("notes-de-frais", cat, Status::Draft, Audience::Public),
            &text(Language::Fr, "Doublon", "x"),
        )
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Duplicate {
            field: "guide_slug"
        })
    ));
    // Every write is audited.
    let audit = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("guide_revision".into()),
                ..Default::default()
            },
            PageRequest::new(1, 50),
        )
        .await
        .unwrap();
    assert_eq!(audit.total, 3);
}

pub async fn guide_links_show_where_an_article_is_linked_from_and_unknown_targets(store: &Store) {
    let cat = category(store, "Contrats").await;
    let target = store
        .create_guide_article(
            &ctx(),
            &settings("contrats", cat, Status::Published, Audience::Public),
            &text(Language::Fr, "Contrats", "Les règles."),
        )
        .await
        .unwrap();
    let source = store
        .create_guide_article(
            &ctx(),
            &settings("salaire", cat, Status::Published, Audience::Members),
            &text(
                Language::Fr,
                "Salaire",
                "Voir [les contrats](/guide/contrats) et [le prêt](/guide/pret-a-zero).",
            ),
        )
        .await
        .unwrap();
    let from = store
        .guide_linked_from(Language::Nl, &target.slug)
        .await
        .unwrap();
    assert_eq!(from.len(), 1);
    assert_eq!(
        (from[0].slug.as_str(), from[0].title.as_str()),
        ("salaire", "Salaire")
    );
    assert!(from[0].members_only());
    assert_eq!(
        store.guide_unknown_links(source.id).await.unwrap(),
        vec!["pret-a-zero".to_string()]
    );
    // A new revision without the link removes it.
    store
        .add_guide_revision(
            &ctx(),
            source.id,
            &text(Language::Fr, "Salaire", "Plus de lien."),
        )
        .await
        .unwrap();
    assert!(
        store
            .guide_linked_from(Language::Fr, "contrats")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .guide_unknown_links(source.id)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn guide_members_only_and_drafts_stay_out_of_the_public_lists_and_search(store: &Store) {
    let cat = category(store, "Prêts").await;
    let public = store
        .create_guide_article(
            &ctx(),
            &settings("pret-public", cat, Status::Published, Audience::Public),
            &text(Language::Fr, "Le prêt à 0 %", "Public"),
        )
        .await
        .unwrap();
    store
        .add_guide_revision(
            &ctx(),
            public.id,
            &text(Language::Nl, "De renteloze lening", "Openbaar"),
        )
        .await
        .unwrap();
    let members = store
        .create_guide_article(
            &ctx(),
            &settings("pret-membres", cat, Status::Published, Audience::Members),
            &text(Language::Fr, "Critères internes", "Membres"),
        )
        .await
        .unwrap();
    let draft = store
        .create_guide_article(
            &ctx(),
            &settings("pret-brouillon", cat, Status::Draft, Audience::Public),
            &text(Language::Fr, "Brouillon", "Pas encore"),
        )
        .await
        .unwrap();
    let slugs = |f: GuideFilter| async move {
        store
            .guide_articles(Language::En, &f, PageRequest::new(1, 50))
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|a| a.slug)
            .collect::<Vec<_>>()
    };
    assert_eq!(slugs(GuideFilter::default()).await, vec!["pret-public"]);
    let mut for_members = slugs(GuideFilter {
        members: true,
        ..Default::default()
    })
    .await;
    for_members.sort();
    assert_eq!(for_members, vec!["pret-membres", "pret-public"]);
    let for_editors = store
        .guide_articles(
            Language::Nl,
            &GuideFilter {
                members: true,
                drafts: true,
                ..Default::default()
            },
            PageRequest::new(1, 50),
        )
        .await
        .unwrap();
    assert_eq!(for_editors.total, 3);
    // The title falls back to French when the reader's language is missing.
    let p = for_editors
        .items
        .iter()
        .find(|a| a.id == public.id)
        .unwrap();
    assert_eq!(
        (p.title.as_str(), p.language.as_str()),
        ("De renteloze lening", "nl")
    );
    let d = for_editors.items.iter().find(|a| a.id == draft.id).unwrap();
    assert_eq!((d.title.as_str(), d.language.as_str()), ("Brouillon", "fr"));

    // Search rows: one per language, drafts invisible, the audience as a facet.
    let rows = store.guide_search_rows(None).await.unwrap();
    assert_eq!(rows.len(), 4);
    let of = |id: i64| rows.iter().filter(move |r| r.id == id);
    assert_eq!(of(public.id).count(), 2);
    assert!(of(draft.id).all(|r| !r.visible));
    assert!(of(members.id).all(|r| {
        r.visible
            && r.facets
                .contains(&("audience".to_string(), "members".to_string()))
    }));
    assert!(of(public.id).all(|r| {
        r.facets
            .contains(&("audience".to_string(), "public".to_string()))
    }));
    // After a watermark, only the changed article comes back, with all its languages.
    let mark = rows.iter().map(|r| r.updated_at).max().unwrap() + 1;
    assert!(
        store
            .guide_search_rows(Some(mark))
            .await
            .unwrap()
            .is_empty()
    );
    store
        .add_guide_revision(
            &ctx(),
            public.id,
            &text(Language::Fr, "Le prêt à 0 %", "Modifié"),
        )
        .await
        .unwrap();
    let changed = store.guide_search_rows(Some(mark)).await.unwrap();
    assert_eq!(changed.len(), 2);
    assert!(changed.iter().all(|r| r.id == public.id));
    // Publishing the draft makes it visible.
    store
        .update_guide_article(
            &ctx(),
            draft.id,
            &settings("pret-brouillon", cat, Status::Published, Audience::Public),
        )
        .await
        .unwrap();
    let rows = store.guide_search_rows(Some(mark)).await.unwrap();
    assert!(rows.iter().filter(|r| r.id == draft.id).all(|r| r.visible));
}

pub async fn guide_views_are_counted_per_day_and_feed_most_read_and_the_figures(store: &Store) {
    let cat = category(store, "Formation").await;
    let jan = date(2025, 1, 5)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_microsecond();
    let a = store
        .create_guide_article_at(
            &ctx(),
            &settings("formations", cat, Status::Published, Audience::Public),
            &text(Language::Fr, "Formations", "x"),
            jan,
        )
        .await
        .unwrap();
    let b = store
        .create_guide_article_at(
            &ctx(),
            &settings("interne", cat, Status::Published, Audience::Members),
            &text(Language::Fr, "Interne", "x"),
            jan,
        )
        .await
        .unwrap();
    let day = date(2025, 3, 10);
    for _ in 0..5 {
        store.record_guide_view(a.id, day).await.unwrap();
    }
    store
        .record_guide_view(a.id, date(2025, 3, 11))
        .await
        .unwrap();
    store
        .add_guide_views(&ctx(), b.id, &[(day, 40), (date(2024, 12, 31), 7)])
        .await
        .unwrap();
    // Concurrent views lose nothing (the upsert is one statement).
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let s = store.clone();
        let id = a.id;
        tasks.push(tokio::spawn(async move {
            s.record_guide_view(id, date(2025, 6, 1)).await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let year = (date(2025, 1, 1), date(2026, 1, 1));
    assert_eq!(
        store.guide_views_of(a.id, year.0, year.1).await.unwrap(),
        26
    );
    assert_eq!(
        store.guide_views_of(b.id, year.0, year.1).await.unwrap(),
        40
    );
    // One row per article and day, nothing about the reader.
    let columns: Vec<String> = store
        .schema_columns()
        .await
        .unwrap()
        .into_iter()
        .filter(|(t, ..)| t == "guide_views")
        .map(|(_, c, ..)| c)
        .collect();
    assert_eq!(columns, vec!["article_id", "day", "views"]);

    let public = store
        .guide_most_read(Language::Fr, year.0, year.1, false, 10)
        .await
        .unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(
        (public[0].slug.as_str(), public[0].views),
        ("formations", 26)
    );
    let members = store
        .guide_most_read(Language::Fr, year.0, year.1, true, 10)
        .await
        .unwrap();
    assert_eq!(
        members
            .iter()
            .map(|m| (m.slug.as_str(), m.views))
            .collect::<Vec<_>>(),
        vec![("interne", 40), ("formations", 26)]
    );

    // The figures equal independent counts of the rows.
    let s = store
        .section_figures(FigureSection::Guide, 2025)
        .await
        .unwrap();
    assert!(s.available);
    let value = |k: &str| s.figure(k).unwrap().value;
    assert_eq!(value("guide-views"), FigureValue::Count(66));
    assert_eq!(value("guide-articles-read"), FigureValue::Count(2));
    assert_eq!(value("guide-articles"), FigureValue::Count(2));
    assert_eq!(value("guide-revisions"), FigureValue::Count(2));
    let y2024 = store
        .section_figures(FigureSection::Guide, 2024)
        .await
        .unwrap();
    assert_eq!(
        y2024.figure("guide-views").unwrap().value,
        FigureValue::Count(7)
    );
    let empty = store
        .section_figures(FigureSection::Guide, 2019)
        .await
        .unwrap();
    assert!(!empty.available);
}
