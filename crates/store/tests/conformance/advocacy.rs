//! Advocacy and permanent education (C13): publications, conferences and memberships are
//! recorded and changed with their audit entries; bad input is refused; the year's
//! Recognition figures equal independent counts.

use ruche_domain::advocacy::{EventForm, NetworkForm, PublicationForm};
use ruche_store::advocacy::REFUSED_PERSON;
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures;

fn publication(title: &str, day: &str) -> PublicationForm {
    PublicationForm {
        advocacy_title: title.into(),
        advocacy_kind: "analysis".into(),
        advocacy_date: day.into(),
        advocacy_authors: "A. Martin".into(),
        advocacy_partners: String::new(),
        advocacy_link: String::new(),
        advocacy_language: "fr".into(),
        advocacy_summary: String::new(),
    }
}

fn event(title: &str, day: &str, audience: &str) -> EventForm {
    EventForm {
        advocacy_title: title.into(),
        advocacy_kind: "debate".into(),
        advocacy_date: day.into(),
        advocacy_place: "Bruxelles".into(),
        advocacy_speakers: "C. Dubois".into(),
        advocacy_partners: String::new(),
        advocacy_audience: audience.into(),
    }
}

fn network(name: &str, since: &str, until: &str) -> NetworkForm {
    NetworkForm {
        advocacy_name: name.into(),
        advocacy_kind: "federation".into(),
        advocacy_since: since.into(),
        advocacy_until: until.into(),
        advocacy_fee: String::new(),
        advocacy_representative: String::new(),
    }
}

pub async fn advocacy_records_are_kept_and_changed_with_their_audit(store: &Store) {
    let ctx = fixtures::ctx();
    let p = store
        .save_publication(
            &ctx,
            None,
            &publication("Coopérer en 2026", "2026-03-01")
                .parse()
                .unwrap(),
            1,
        )
        .await
        .unwrap();
    let mut changed = publication("Coopérer en 2026 (2e éd.)", "2026-03-02");
    changed.advocacy_link = "https://example.org/cooperer.pdf".into();
    let p2 = store
        .save_publication(&ctx, Some(p.id), &changed.parse().unwrap(), 2)
        .await
        .unwrap();
    assert_eq!(p2.id, p.id);
    assert_eq!(
        (p2.title.as_str(), p2.link.as_deref()),
        (
            "Coopérer en 2026 (2e éd.)",
            Some("https://example.org/cooperer.pdf")
        )
    );
    let e = store
        .save_advocacy_event(
            &ctx,
            None,
            &event("Débat", "2026-04-01", "80").parse().unwrap(),
            1,
        )
        .await
        .unwrap();
    assert_eq!(e.audience, Some(80));
    let rep = fixtures::person(store, "Rita").await;
    let mut n = network("Febecoop", "2015-01-01", "");
    n.advocacy_representative = rep.to_string();
    n.advocacy_fee = "1.250".into();
    let n = store
        .save_network(&ctx, None, &n.parse().unwrap(), 1)
        .await
        .unwrap();
    assert_eq!(n.fee_cents, Some(125_000));
    assert!(n.representative_name.is_some());

    // A representative who is nobody: refused, nothing written.
    let mut ghost = network("ConcertES", "2016-01-01", "");
    ghost.advocacy_representative = "999999".into();
    let refused = store
        .save_network(&ctx, None, &ghost.parse().unwrap(), 1)
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Refused(e)) if e.get("advocacy_representative") == Some(REFUSED_PERSON)),
        "{refused:?}"
    );
    assert_eq!(
        store
            .networks(None, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    // Bad forms never reach the store.
    assert!(event("Débat", "", "-4").parse().is_err());
    assert!(network("X", "2020-01-01", "2019-01-01").parse().is_err());
    // Changing a record that does not exist.
    let missing = store
        .save_advocacy_event(
            &ctx,
            Some(424_242),
            &event("Débat", "2026-04-01", "").parse().unwrap(),
            1,
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));

    let log = store
        .audit_entries(
            &ruche_store::audit::AuditFilter {
                entity_type: Some("advocacy_publication".into()),
                entity_id: Some(p.id),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(log.total, 2, "create and update");
}

pub async fn advocacy_the_year_figures_equal_independent_counts(store: &Store) {
    let ctx = fixtures::ctx();
    // 2025: three publications (one on 31 December), 2026: one (on 1 January).
    for (title, day) in [
        ("A", "2025-01-01"),
        ("B", "2025-06-30"),
        ("C", "2025-12-31"),
        ("D", "2026-01-01"),
    ] {
        store
            .save_publication(&ctx, None, &publication(title, day).parse().unwrap(), 1)
            .await
            .unwrap();
    }
    // 2025: three events, audience 120 + 45 + unknown; 2026: one of 300.
    for (title, day, audience) in [
        ("E1", "2025-02-01", "120"),
        ("E2", "2025-10-10", "45"),
        ("E3", "2025-12-31", ""),
        ("E4", "2026-01-01", "300"),
    ] {
        store
            .save_advocacy_event(&ctx, None, &event(title, day, audience).parse().unwrap(), 1)
            .await
            .unwrap();
    }
    // Memberships: open since 2015; ended on 31 Dec 2025 (active at 2025's end); ended on
    // 30 Dec 2025 (not); since 2026 (not in 2025).
    for (name, since, until) in [
        ("Febecoop", "2015-01-01", ""),
        ("ConcertES", "2018-05-01", "2025-12-31"),
        ("RES", "2019-01-01", "2025-12-30"),
        ("Cooperatives Europe", "2026-02-01", ""),
    ] {
        store
            .save_network(&ctx, None, &network(name, since, until).parse().unwrap(), 1)
            .await
            .unwrap();
    }
    for (year, publications, events, audience, networks) in
        [(2025_i16, 3, 3, 165, 2), (2026, 1, 1, 300, 2)]
    {
        let y = store.advocacy_year(year).await.unwrap();
        assert_eq!(
            (y.publications, y.events, y.audience, y.networks),
            (publications, events, audience, networks),
            "{year}"
        );
        // Independently, from the lists.
        let listed_p = store
            .publications(Some(year), PageRequest::new(1, 200))
            .await
            .unwrap();
        assert_eq!(listed_p.total, publications);
        let listed_e = store
            .advocacy_events(Some(year), PageRequest::new(1, 200))
            .await
            .unwrap();
        assert_eq!(listed_e.total, events);
        let summed: i64 = listed_e.items.iter().filter_map(|e| e.audience).sum();
        assert_eq!(summed, audience);
        let all = store
            .networks(None, PageRequest::new(1, 200))
            .await
            .unwrap();
        let end = format!("{year}-12-31");
        let active = all
            .items
            .iter()
            .filter(|n| {
                n.since_on.as_str() <= end.as_str()
                    && n.until_on.as_deref().is_none_or(|u| u >= end.as_str())
            })
            .count();
        assert_eq!(i64::try_from(active).unwrap(), networks);

        let section = store
            .section_figures(FigureSection::Recognition, year)
            .await
            .unwrap();
        assert!(section.available);
        let value = |key: &str| section.figure(key).map(|f| f.value);
        assert_eq!(
            value("advocacy-publications"),
            Some(FigureValue::Count(publications))
        );
        assert_eq!(
            value("advocacy-conferences"),
            Some(FigureValue::Count(events))
        );
        assert_eq!(
            value("advocacy-audience"),
            Some(FigureValue::Count(audience))
        );
        assert_eq!(
            value("advocacy-networks"),
            Some(FigureValue::Count(networks))
        );
    }
    let empty = store
        .section_figures(FigureSection::Recognition, 2010)
        .await
        .unwrap();
    assert!(!empty.available);
}
