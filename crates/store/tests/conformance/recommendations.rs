//! Recommendation cycles (issue 8 §3): near-duplicates, one support per person, the
//! consolidation with every author's consent (provenance, co-authors, one notice per
//! supporter, no support moved), the board's follow-up and the year's figures.

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::Role;
use ruche_domain::recommendations::{
    CycleDates, ERR_ALREADY_SUPPORTED, ERR_CONSENT_MISSING, ERR_PHASE, ERR_REASON, ERR_SOURCES,
    FollowUp, FollowUpForm, NewConsolidation, NewCycle, NewRecommendation, RecoStatus,
};
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::recommendations::{RecoMails, RecoSort};
use ruche_store::{AuditContext, PageRequest, Store, StoreError};

use crate::fixtures;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// Noon in Brussels on `day`, in Unix microseconds.
fn at(day: &str) -> i64 {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap();
    d(day)
        .at(12, 0, 0, 0)
        .to_zoned(tz)
        .unwrap()
        .timestamp()
        .as_microsecond()
}

fn as_account(id: i64) -> AuditContext {
    AuditContext {
        actor_account_id: Some(id),
        ip: None,
    }
}

/// A person with a member account (`<name>@reco.test`): `(person, account)`.
async fn member(store: &Store, name: &str) -> (i64, i64) {
    let person = fixtures::person(store, name).await;
    let account = store
        .create_account(
            &fixtures::ctx(),
            person,
            &NewAccount {
                email: format!("{}@reco.test", name.to_lowercase()),
                password_hash: "x".into(),
                language: None,
                roles: vec![RoleGrant {
                    role: Role::Member,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap()
        .id;
    (person, account)
}

/// A cycle in its proposal phase in March `year`, supports until the end of April.
async fn cycle(store: &Store, year: i16) -> i64 {
    let new = NewCycle {
        title: format!("Cycle {year}"),
        theme: "Our workplaces".into(),
        dates: CycleDates {
            proposal_from: Date::new(year, 3, 1).unwrap(),
            support_from: Date::new(year, 4, 1).unwrap(),
            consolidation_from: Date::new(year, 5, 1).unwrap(),
            follow_up_from: Date::new(year, 6, 1).unwrap(),
            closes_on: Date::new(year, 12, 1).unwrap(),
        },
        phase_override: None,
        threshold_percent: 35,
    };
    store
        .create_reco_cycle(&fixtures::ctx(), &new)
        .await
        .unwrap()
        .id
}

async fn write(store: &Store, cycle: i64, person: i64, title: &str, day: &str) -> i64 {
    let new = NewRecommendation {
        title: title.into(),
        text: title.into(),
        language: Language::Fr,
    };
    store
        .write_recommendation(&fixtures::ctx(), cycle, person, &new, at(day))
        .await
        .unwrap()
        .id
}

fn merged(sources: Vec<i64>, into: Option<i64>) -> NewConsolidation {
    NewConsolidation {
        sources,
        into,
        title: "Des panneaux solaires sur nos toits".into(),
        text: "Sur le toit du siège et sur celui de l'atelier.".into(),
        language: Language::Fr,
    }
}

fn mails() -> RecoMails {
    RecoMails::plain("Une recommandation consolidée", "Soutenez le résultat")
}

fn refused_code(e: StoreError, field: &str) -> &'static str {
    match e {
        StoreError::Refused(f) => f.get(field).unwrap(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub async fn recommendations_a_consolidation_keeps_provenance_makes_co_authors_notifies_each_supporter_once_and_moves_no_support(
    store: &Store,
) {
    let cycle = cycle(store, 2025).await;
    let (anne, anne_account) = member(store, "Anne").await;
    let (bart, bart_account) = member(store, "Bart").await;
    let (carla, _) = member(store, "Carla").await;
    let (dirk, _) = member(store, "Dirk").await;
    let (moderator_person, moderator) = member(store, "Moderator").await;
    let _ = moderator_person;
    let a = write(
        store,
        cycle,
        anne,
        "Installer des panneaux solaires sur le toit",
        "2025-03-03",
    )
    .await;
    let b = write(
        store,
        cycle,
        bart,
        "Installer des panneaux solaires sur le toit de l'atelier",
        "2025-03-04",
    )
    .await;
    let other = write(
        store,
        cycle,
        carla,
        "Un repair café chaque mois",
        "2025-03-05",
    )
    .await;

    // The store shows the near-duplicate of a new text, and clusters the pair.
    let similar = store
        .similar_recommendations(
            cycle,
            "Panneaux solaires",
            "Installer des panneaux solaires sur le toit du siège",
            Language::Fr,
            None,
        )
        .await
        .unwrap();
    let ids: Vec<i64> = similar.iter().map(|s| s.recommendation.id).collect();
    assert!(
        ids.contains(&a) && ids.contains(&b) && !ids.contains(&other),
        "{ids:?}"
    );
    let clusters = store.reco_clusters(cycle).await.unwrap();
    assert_eq!(clusters.len(), 1);
    let clustered: Vec<i64> = clusters[0].recommendations.iter().map(|r| r.id).collect();
    assert_eq!(clustered, vec![a, b]);

    // Carla supports both originals, Dirk one, Anne her own: Carla is told once.
    for (reco, person) in [(a, carla), (b, carla), (b, dirk), (a, anne)] {
        store
            .support_recommendation(&fixtures::ctx(), reco, person, at("2025-03-10"))
            .await
            .unwrap();
    }

    let proposal = store
        .propose_consolidation(
            &as_account(moderator),
            cycle,
            &merged(vec![a, b], None),
            &RecoMails::plain("Votre accord", "Consentez-vous ?"),
            at("2025-04-05"),
        )
        .await
        .unwrap();
    assert_eq!(proposal.status, "pending");
    // A pending proposal takes its recommendations out of the clusters.
    assert!(store.reco_clusters(cycle).await.unwrap().is_empty());
    let asked: Vec<i64> = proposal.consents.iter().map(|c| c.person_id).collect();
    assert_eq!(asked.len(), 2);
    assert!(asked.contains(&anne) && asked.contains(&bart));
    // Both authors were asked by e-mail.
    for to in ["anne@reco.test", "bart@reco.test"] {
        let m = store
            .mails(Some(to), false, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(m.total, 1, "{to}");
    }
    // Someone else cannot answer for them.
    let e = store
        .answer_consolidation(
            &fixtures::ctx(),
            proposal.id,
            carla,
            true,
            &mails(),
            at("2025-04-06"),
        )
        .await
        .unwrap_err();
    assert_eq!(refused_code(e, "reco_consents"), "reco-not-author");

    let after_anne = store
        .answer_consolidation(
            &as_account(anne_account),
            proposal.id,
            anne,
            true,
            &mails(),
            at("2025-04-06"),
        )
        .await
        .unwrap();
    assert_eq!(after_anne.status, "pending");
    let done = store
        .answer_consolidation(
            &as_account(bart_account),
            proposal.id,
            bart,
            true,
            &mails(),
            at("2025-04-07"),
        )
        .await
        .unwrap();
    assert_eq!(done.status, "carried-out");
    assert_eq!(done.carried_out_on.as_deref(), Some("2025-04-07"));
    let result_id = done.result_id.unwrap();
    assert!(result_id != a && result_id != b);

    // Provenance on both sides; the originals are kept.
    let result = store.recommendation(result_id).await.unwrap();
    assert_eq!(result.origin, "consolidation");
    assert_eq!(result.status, "open");
    let origins: Vec<i64> = store
        .recommendation_origins(result_id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(origins, vec![a, b]);
    for original in [a, b] {
        let r = store.recommendation(original).await.unwrap();
        assert_eq!(r.status, "consolidated");
        assert_eq!(r.consolidated_into, Some(result_id));
        assert_eq!(
            r.consolidated_into_title.as_deref(),
            Some(result.title.as_str())
        );
    }
    // The authors of the originals are co-authors of the result.
    let mut authors: Vec<(i64, String)> = result
        .authors
        .iter()
        .map(|x| (x.person_id, x.role.clone()))
        .collect();
    authors.sort();
    let mut expected = vec![
        (anne, "co-author".to_string()),
        (bart, "co-author".to_string()),
    ];
    expected.sort();
    assert_eq!(authors, expected);

    // No support moved: the originals keep theirs, the result starts with none.
    assert_eq!(result.supports, 0);
    assert_eq!(
        store.recommendation_supporters(a).await.unwrap().len(),
        2,
        "Carla and Anne still support the original"
    );
    assert_eq!(store.recommendation_supporters(b).await.unwrap().len(), 2);
    // Each supporter of an original is told once, by e-mail.
    let notices = store.consolidation_notices(proposal.id).await.unwrap();
    let mut told: Vec<i64> = notices.iter().map(|n| n.person_id).collect();
    told.sort_unstable();
    let mut supporters = vec![carla, dirk, anne];
    supporters.sort_unstable();
    assert_eq!(told, supporters);
    assert!(notices.iter().all(|n| n.mail_id.is_some()));
    let carla_mails = store
        .mails(Some("carla@reco.test"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(carla_mails.total, 1);
    assert_eq!(
        carla_mails.items[0].subject,
        "Une recommandation consolidée"
    );
    // Carrying it out again is refused; the sources are no longer open.
    let again = store
        .carry_out_consolidation(&fixtures::ctx(), proposal.id, &mails(), at("2025-04-08"))
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Refused(_)));
    // The audit log has the consolidation.
    let log = store
        .audit_entries(
            &ruche_store::audit::AuditFilter::default(),
            PageRequest::new(1, 200),
        )
        .await
        .unwrap();
    assert!(
        log.items
            .iter()
            .any(|e| e.action == "reco-consolidation.carry-out")
    );
    assert_eq!(
        log.items
            .iter()
            .filter(|e| e.action == "recommendation.consolidate")
            .count(),
        2
    );
}

pub async fn recommendations_a_consolidation_without_every_author_s_consent_is_refused(
    store: &Store,
) {
    let cycle = cycle(store, 2025).await;
    let (anne, _) = member(store, "Anne").await;
    let (bart, _) = member(store, "Bart").await;
    let (carla, _) = member(store, "Carla").await;
    let a = write(
        store,
        cycle,
        anne,
        "Un repair café chaque mois",
        "2025-03-03",
    )
    .await;
    let b = write(store, cycle, bart, "Un repair café mensuel", "2025-03-04").await;
    let c = write(
        store,
        cycle,
        carla,
        "Repair café tous les mois",
        "2025-03-05",
    )
    .await;
    store
        .support_recommendation(&fixtures::ctx(), a, carla, at("2025-03-10"))
        .await
        .unwrap();

    // Into one of them (b): Anne and Bart are asked.
    let k = store
        .propose_consolidation(
            &fixtures::ctx(),
            cycle,
            &merged(vec![a, b], Some(b)),
            &mails(),
            at("2025-03-20"),
        )
        .await
        .unwrap();
    // A recommendation is in one pending proposal at a time.
    let e = store
        .propose_consolidation(
            &fixtures::ctx(),
            cycle,
            &merged(vec![a, c], None),
            &mails(),
            at("2025-03-20"),
        )
        .await
        .unwrap_err();
    assert_eq!(refused_code(e, "reco_sources"), ERR_SOURCES);
    // Nobody has answered: carrying it out is refused with the reason, nothing changes.
    let e = store
        .carry_out_consolidation(&fixtures::ctx(), k.id, &mails(), at("2025-03-21"))
        .await
        .unwrap_err();
    assert_eq!(refused_code(e, "reco_consents"), ERR_CONSENT_MISSING);
    store
        .answer_consolidation(
            &fixtures::ctx(),
            k.id,
            anne,
            true,
            &mails(),
            at("2025-03-21"),
        )
        .await
        .unwrap();
    let e = store
        .carry_out_consolidation(&fixtures::ctx(), k.id, &mails(), at("2025-03-21"))
        .await
        .unwrap_err();
    assert_eq!(refused_code(e, "reco_consents"), ERR_CONSENT_MISSING);
    for id in [a, b] {
        let r = store.recommendation(id).await.unwrap();
        assert_eq!(r.status, "open");
        assert_eq!(r.consolidated_into, None);
    }
    assert!(store.consolidation_notices(k.id).await.unwrap().is_empty());
    // Bart refuses: the proposal is blocked for good.
    let refused = store
        .answer_consolidation(
            &fixtures::ctx(),
            k.id,
            bart,
            false,
            &mails(),
            at("2025-03-22"),
        )
        .await
        .unwrap();
    assert_eq!(refused.status, "refused");
    let e = store
        .carry_out_consolidation(&fixtures::ctx(), k.id, &mails(), at("2025-03-22"))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Refused(_)));
    assert_eq!(
        store.recommendation(b).await.unwrap().title,
        "Un repair café mensuel"
    );
    // Freed, the recommendations may be proposed again; into b with both consents, b takes
    // the merged text and keeps its supports, a points to it.
    let k2 = store
        .propose_consolidation(
            &fixtures::ctx(),
            cycle,
            &merged(vec![a, b], Some(b)),
            &mails(),
            at("2025-03-23"),
        )
        .await
        .unwrap();
    store
        .answer_consolidation(
            &fixtures::ctx(),
            k2.id,
            bart,
            true,
            &mails(),
            at("2025-03-23"),
        )
        .await
        .unwrap();
    let done = store
        .answer_consolidation(
            &fixtures::ctx(),
            k2.id,
            anne,
            true,
            &mails(),
            at("2025-03-24"),
        )
        .await
        .unwrap();
    assert_eq!(done.result_id, Some(b));
    let b_after = store.recommendation(b).await.unwrap();
    assert_eq!(b_after.title, "Des panneaux solaires sur nos toits");
    assert_eq!(b_after.status, "open");
    let roles: Vec<(i64, String)> = b_after
        .authors
        .iter()
        .map(|x| (x.person_id, x.role.clone()))
        .collect();
    assert_eq!(
        roles,
        vec![
            (bart, "author".to_string()),
            (anne, "co-author".to_string())
        ]
    );
    assert_eq!(
        store.recommendation(a).await.unwrap().consolidated_into,
        Some(b)
    );
    assert_eq!(
        store.recommendation_supporters(a).await.unwrap(),
        vec![carla]
    );
    assert!(store.recommendation_supporters(b).await.unwrap().is_empty());
}

pub async fn recommendations_one_support_per_person_and_only_while_supports_are_open(
    store: &Store,
) {
    let cycle = cycle(store, 2025).await;
    let (anne, _) = member(store, "Anne").await;
    let (bart, _) = member(store, "Bart").await;
    let a = write(store, cycle, anne, "Un jardin partagé", "2025-03-03").await;
    let r = store
        .support_recommendation(&fixtures::ctx(), a, bart, at("2025-03-04"))
        .await
        .unwrap();
    assert_eq!(r.supports, 1);
    let e = store
        .support_recommendation(&fixtures::ctx(), a, bart, at("2025-03-05"))
        .await
        .unwrap_err();
    assert_eq!(refused_code(e, "reco_support"), ERR_ALREADY_SUPPORTED);
    assert_eq!(store.recommendation(a).await.unwrap().supports, 1);
    // Withdrawn, then given again (in the support phase).
    let r = store
        .withdraw_support(&fixtures::ctx(), a, bart, at("2025-04-02"))
        .await
        .unwrap();
    assert_eq!(r.supports, 0);
    store
        .support_recommendation(&fixtures::ctx(), a, bart, at("2025-04-03"))
        .await
        .unwrap();
    assert_eq!(
        store.supported_in_cycle(cycle, bart).await.unwrap(),
        vec![a]
    );
    // Writing is over in April; supports are over in May.
    let late = NewRecommendation {
        title: "Trop tard".into(),
        text: "Trop tard".into(),
        language: Language::Fr,
    };
    let e = store
        .write_recommendation(&fixtures::ctx(), cycle, anne, &late, at("2025-04-03"))
        .await
        .unwrap_err();
    assert_eq!(refused_code(e, "reco_cycle"), ERR_PHASE);
    let e = store
        .support_recommendation(&fixtures::ctx(), a, anne, at("2025-05-03"))
        .await
        .unwrap_err();
    assert_eq!(refused_code(e, "reco_cycle"), ERR_PHASE);
    // The list sorts by supports.
    let b = write(store, cycle, bart, "Une cantine bio", "2025-03-06").await;
    let page = store
        .cycle_recommendations(
            cycle,
            Some("live"),
            RecoSort::Supports,
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a, b]
    );
    assert_eq!(page.items[0].authors[0].person_id, anne);
}

pub async fn recommendations_the_board_follows_up_and_a_decline_carries_its_reason(store: &Store) {
    let cycle = cycle(store, 2025).await;
    let (anne, _) = member(store, "Anne").await;
    let a = write(store, cycle, anne, "Un jardin partagé", "2025-03-03").await;
    let step = |to: RecoStatus, reason: Option<&str>| FollowUp {
        to,
        reason: reason.map(str::to_string),
    };
    let e = store
        .follow_up_recommendation(
            &fixtures::ctx(),
            a,
            &step(RecoStatus::Accepted, None),
            at("2025-06-02"),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Refused(_)));
    store
        .follow_up_recommendation(
            &fixtures::ctx(),
            a,
            &step(RecoStatus::Submitted, None),
            at("2025-06-02"),
        )
        .await
        .unwrap();
    // The form refuses a decline without a reason before the store sees it.
    let form = FollowUpForm {
        reco_status: "declined".into(),
        reco_reason: String::new(),
    };
    assert_eq!(
        form.parse().unwrap_err().get("reco_reason"),
        Some(ERR_REASON)
    );
    let r = store
        .follow_up_recommendation(
            &fixtures::ctx(),
            a,
            &step(RecoStatus::Declined, Some("Pas de terrain disponible")),
            at("2025-06-20"),
        )
        .await
        .unwrap();
    assert_eq!(r.status, "declined");
    assert_eq!(
        r.decline_reason.as_deref(),
        Some("Pas de terrain disponible")
    );
    let history = store.recommendation_follow_ups(a).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| (h.from_status.as_str(), h.to_status.as_str()))
            .collect::<Vec<_>>(),
        vec![("open", "submitted"), ("submitted", "declined")]
    );
}

pub async fn recommendations_the_year_figures_equal_independent_counts(store: &Store) {
    let last = cycle(store, 2024).await;
    let this = cycle(store, 2025).await;
    let (anne, _) = member(store, "Anne").await;
    let (bart, _) = member(store, "Bart").await;
    let (carla, _) = member(store, "Carla").await;
    // 2024: three written, two supports, one consolidation, follow-ups.
    let a = write(
        store,
        last,
        anne,
        "Panneaux solaires sur le toit",
        "2024-03-02",
    )
    .await;
    let b = write(
        store,
        last,
        bart,
        "Panneaux solaires sur l'atelier",
        "2024-03-03",
    )
    .await;
    let c = write(store, last, carla, "Une crèche partagée", "2024-03-04").await;
    for (reco, person) in [(a, carla), (c, anne)] {
        store
            .support_recommendation(&fixtures::ctx(), reco, person, at("2024-03-10"))
            .await
            .unwrap();
    }
    let k = store
        .propose_consolidation(
            &fixtures::ctx(),
            last,
            &merged(vec![a, b], None),
            &mails(),
            at("2024-04-10"),
        )
        .await
        .unwrap();
    for p in [anne, bart] {
        store
            .answer_consolidation(&fixtures::ctx(), k.id, p, true, &mails(), at("2024-04-12"))
            .await
            .unwrap();
    }
    let result = store.consolidation(k.id).await.unwrap().result_id.unwrap();
    let step = |to: RecoStatus, reason: Option<&str>| FollowUp {
        to,
        reason: reason.map(str::to_string),
    };
    for (id, steps) in [
        (
            result,
            vec![
                step(RecoStatus::Submitted, None),
                step(RecoStatus::Accepted, None),
                step(RecoStatus::Done, None),
            ],
        ),
        (
            c,
            vec![
                step(RecoStatus::Submitted, None),
                step(RecoStatus::Declined, Some("Hors budget")),
            ],
        ),
    ] {
        for s in steps {
            store
                .follow_up_recommendation(&fixtures::ctx(), id, &s, at("2024-06-15"))
                .await
                .unwrap();
        }
    }
    // 2025: one written, one support (withdrawn supports do not count).
    let d25 = write(store, this, anne, "Un repair café", "2025-03-02").await;
    store
        .support_recommendation(&fixtures::ctx(), d25, bart, at("2025-03-03"))
        .await
        .unwrap();
    store
        .support_recommendation(&fixtures::ctx(), d25, carla, at("2025-03-03"))
        .await
        .unwrap();
    store
        .withdraw_support(&fixtures::ctx(), d25, carla, at("2025-03-04"))
        .await
        .unwrap();

    // Independent counts: from the records read one by one.
    let mut written_2024 = 0;
    let mut supports_2024 = 0;
    for id in [a, b, c, result] {
        let r = store.recommendation(id).await.unwrap();
        if r.origin == "member" && r.created_on.starts_with("2024") {
            written_2024 += 1;
        }
        supports_2024 += r.supports;
    }
    let mut accepted = 0;
    let mut done = 0;
    let mut declined = 0;
    for id in [a, b, c, result] {
        for h in store.recommendation_follow_ups(id).await.unwrap() {
            if h.decided_on.starts_with("2024") {
                match h.to_status.as_str() {
                    "accepted" => accepted += 1,
                    "done" => done += 1,
                    "declined" => declined += 1,
                    _ => {}
                }
            }
        }
    }
    let y = store.recommendations_year(2024).await.unwrap();
    assert_eq!(y.cycles, 1);
    assert_eq!(y.written, written_2024);
    assert_eq!(y.written, 3);
    assert_eq!(y.supports, supports_2024);
    assert_eq!(y.supports, 2);
    assert_eq!(y.consolidations, 1);
    assert_eq!((y.accepted, y.done, y.declined), (accepted, done, declined));
    assert_eq!((y.accepted, y.done, y.declined), (1, 1, 1));

    let s = store
        .section_figures(FigureSection::Recommendations, 2025)
        .await
        .unwrap();
    assert!(s.available);
    let value = |key: &str| s.figure(key).map(|f| f.value);
    assert_eq!(value("reco-cycles"), Some(FigureValue::Count(1)));
    assert_eq!(value("reco-written"), Some(FigureValue::Count(1)));
    assert_eq!(value("reco-supports"), Some(FigureValue::Count(1)));
    assert_eq!(value("reco-consolidations"), Some(FigureValue::Count(0)));
    let empty = store
        .section_figures(FigureSection::Recommendations, 2019)
        .await
        .unwrap();
    assert!(!empty.available);
    assert!(empty.figures.is_empty());
}
