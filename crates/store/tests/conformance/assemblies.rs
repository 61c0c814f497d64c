//! General assemblies: convocation through the outbox, the proxy register and its limits,
//! ballots refused when they come twice, after closing or from a principal with an active
//! delegation, the tally kept at closing with the 1/10 cap, the minutes kept once.
// Amounts are written as euros and cents: `250_00` is 250,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::{Date, date};
use ruche_domain::governance::convocation::{AssemblyForm, ConveneRequest};
use ruche_domain::governance::statutes::{NewStatuteVersion, StatuteRules, VoteWeighting};
use ruche_domain::governance::vote::{Choice, ResolutionForm, Votes};
use ruche_store::assemblies::{self as ga, AssemblyRecord, ConvocationMail, ResolutionRecord};
use ruche_store::shares::{NewShareClass, NewShareOperation};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, ctx};

const HELD_ON: Date = date(2025, 6, 20);

struct Setup {
    assembly: AssemblyRecord,
    resolution: ResolutionRecord,
    /// Alice 300, Bob 120, Carol 50, then 30 × 10 (TV-1).
    alice: i64,
    bob: i64,
    carol: i64,
    others: Vec<i64>,
    outsider: i64,
}

async fn statutes(store: &Store, weighting: VoteWeighting, proxies: u32, member: bool) {
    let version = NewStatuteVersion {
        label: "v1".into(),
        effective_from: date(2020, 1, 1),
        adopted_on: date(2019, 12, 1),
        adopted_by_resolution_id: None,
        rules: StatuteRules {
            vote_weighting: weighting,
            proxies_per_holder: proxies,
            proxy_must_be_member: member,
            resignation_months: 6,
            partial_resignation_allowed: false,
            dividends_allowed: true,
        },
        summary: "Statuts".into(),
        articles: vec![],
    };
    store
        .create_statute_version(&ctx(), &version)
        .await
        .unwrap();
}

async fn holder(store: &Store, class: i64, name: &str, shares: i64) -> i64 {
    let person = fixtures::person(store, name).await;
    store
        .record_opening_holding(
            &ctx(),
            &NewShareOperation {
                kind: "opening",
                person_id: person,
                class_id: class,
                shares,
                paid_cents: shares * 250_00,
                effective_on: date(2021, 1, 1),
                counterparty_person_id: None,
                ledger_transaction_id: None,
                note: String::new(),
            },
        )
        .await
        .unwrap();
    person
}

/// TV-1's cooperative, one share one vote, one proxy per person, to a member; an open
/// assembly with one resolution (simple majority).
async fn setup(store: &Store) -> Setup {
    statutes(store, VoteWeighting::PerShare, 1, true).await;
    let class = store
        .create_share_class(
            &ctx(),
            &NewShareClass {
                code: "A".into(),
                name: "Parts A".into(),
                nominal_cents: 250_00,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await
        .unwrap()
        .id;
    let alice = holder(store, class, "Alice", 300).await;
    let bob = holder(store, class, "Bob", 120).await;
    let carol = holder(store, class, "Carol", 50).await;
    let mut others = Vec::new();
    for i in 0..30 {
        others.push(holder(store, class, &format!("Membre{i}"), 10).await);
    }
    let outsider = fixtures::person(store, "Externe").await;
    let assembly = store
        .create_assembly(
            &ctx(),
            &AssemblyForm {
                ga_kind: "ordinary".into(),
                ga_title: "AG ordinaire 2025".into(),
                ga_held_on: HELD_ON.to_string(),
                ga_starts_at: "18:30".into(),
                ga_place: "Rue Haute 1, Bruxelles".into(),
                ga_online: Some("on".into()),
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    let resolution = store
        .add_resolution(
            &ctx(),
            assembly.id,
            &ResolutionForm {
                ga_res_title: "Approbation des comptes".into(),
                ga_res_kind: "accounts".into(),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    store
        .convene_assembly(&ctx(), assembly.id, date(2025, 6, 1), &[])
        .await
        .unwrap();
    let assembly = store.open_assembly(&ctx(), assembly.id).await.unwrap();
    Setup {
        assembly,
        resolution,
        alice,
        bob,
        carol,
        others,
        outsider,
    }
}

fn refused_on(err: StoreError, field: &str) -> &'static str {
    match err {
        StoreError::Refused(e) => e.get(field).unwrap_or("no error on that field"),
        other => panic!("expected a refusal on {field}, got {other:?}"),
    }
}

fn conflict(err: StoreError) -> &'static str {
    match err {
        StoreError::Conflict(code) => code,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

pub async fn convening_mails_every_holder_in_their_language_and_fixes_the_agenda(store: &Store) {
    statutes(store, VoteWeighting::PerPerson, 2, false).await;
    let class = store
        .create_share_class(
            &ctx(),
            &NewShareClass {
                code: "A".into(),
                name: "Parts A".into(),
                nominal_cents: 100_00,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await
        .unwrap()
        .id;
    let a = holder(store, class, "Anne", 102).await;
    let b = holder(store, class, "Bert", 898).await;
    let form = AssemblyForm {
        ga_kind: "extraordinary".into(),
        ga_title: "AG extraordinaire".into(),
        ga_held_on: "2025-03-20".into(),
        ga_starts_at: "19:00".into(),
        ga_place: "Salle".into(),
        ga_online: None,
    };
    let assembly = store
        .create_assembly(&ctx(), &form.parse().unwrap())
        .await
        .unwrap();
    // No agenda yet: nothing to convene to.
    let err = store
        .convene_assembly(&ctx(), assembly.id, date(2025, 3, 3), &[])
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_NO_AGENDA);
    store
        .add_resolution(
            &ctx(),
            assembly.id,
            &ResolutionForm {
                ga_res_title: "Modification des statuts".into(),
                ga_res_kind: "statutes".into(),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    // TV-16: holders of 10.2 % ask on 2025-03-03: convene by 2025-03-24.
    let request = store
        .record_convene_request(&ctx(), assembly.id, date(2025, 3, 3), 102)
        .await
        .unwrap();
    assert_eq!(request.deadline(), Some(date(2025, 3, 24)));
    let kept = store.assembly(assembly.id).await.unwrap();
    assert_eq!(kept.convene_deadline(), Some(date(2025, 3, 24)));
    // Less than a tenth: no obligation, nothing written.
    let below = store
        .record_convene_request(&ctx(), assembly.id, date(2025, 3, 4), 99)
        .await
        .unwrap();
    assert!(matches!(below, ConveneRequest::NotRequired { .. }));
    assert_eq!(
        store
            .assembly(assembly.id)
            .await
            .unwrap()
            .requested_on
            .as_deref(),
        Some("2025-03-03")
    );
    // Too late for fifteen days' notice.
    let err = store
        .convene_assembly(&ctx(), assembly.id, date(2025, 3, 10), &[])
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_NOTICE);
    let convocees = store.convocees(date(2025, 3, 3)).await.unwrap();
    assert_eq!(convocees.len(), 2);
    let mails: Vec<ConvocationMail> = convocees
        .iter()
        .map(|c| ConvocationMail {
            person_id: c.person_id,
            language: c.language.clone(),
            to: (c.person_id == a).then(|| "anne@example.be".to_string()),
            subject: format!("Convocation ({})", c.language),
            body: "Ordre du jour : 1. Modification des statuts".into(),
        })
        .collect();
    let convened = store
        .convene_assembly(&ctx(), assembly.id, date(2025, 3, 3), &mails)
        .await
        .unwrap();
    assert_eq!(convened.status, "convened");
    assert_eq!(convened.convened_on.as_deref(), Some("2025-03-03"));
    assert_eq!(store.members_convened(assembly.id).await.unwrap(), 2);
    assert!(store.is_convened(assembly.id, b).await.unwrap());
    let sent = store
        .mails(Some("anne@example.be"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(sent.total, 1);
    assert_eq!(sent.items[0].subject, "Convocation (fr)");
    // The agenda is fixed once convened.
    let err = store
        .add_resolution(
            &ctx(),
            assembly.id,
            &ResolutionForm {
                ga_res_title: "Ajout".into(),
                ga_res_kind: "other".into(),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_STATUS);
    let mine = store
        .assemblies_of_person(b, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
}

pub async fn a_proxy_beyond_the_statutes_limit_or_to_a_non_member_is_refused(store: &Store) {
    let s = setup(store).await;
    let id = s.assembly.id;
    let first = store
        .give_proxy(&ctx(), id, s.others[0], s.bob)
        .await
        .unwrap();
    assert_eq!(first.holder_person_id, s.bob);
    // The statutes allow one proxy per person.
    let err = store
        .give_proxy(&ctx(), id, s.others[1], s.bob)
        .await
        .unwrap_err();
    assert_eq!(refused_on(err, "ga_holder"), ga::PROXY_LIMIT);
    // … held by a member.
    let err = store
        .give_proxy(&ctx(), id, s.others[1], s.outsider)
        .await
        .unwrap_err();
    assert_eq!(refused_on(err, "ga_holder"), ga::PROXY_NOT_MEMBER);
    // One active proxy per principal; no proxy to oneself; no chains.
    let err = store
        .give_proxy(&ctx(), id, s.others[0], s.carol)
        .await
        .unwrap_err();
    assert_eq!(refused_on(err, "ga_principal"), ga::PROXY_EXISTS);
    let err = store
        .give_proxy(&ctx(), id, s.carol, s.carol)
        .await
        .unwrap_err();
    assert_eq!(refused_on(err, "ga_holder"), ga::PROXY_SELF);
    let err = store
        .give_proxy(&ctx(), id, s.carol, s.others[0])
        .await
        .unwrap_err();
    assert_eq!(refused_on(err, "ga_holder"), ga::PROXY_CHAIN);
    let err = store
        .give_proxy(&ctx(), id, s.outsider, s.carol)
        .await
        .unwrap_err();
    assert_eq!(refused_on(err, "ga_principal"), ga::PROXY_NOT_HOLDER);
    let active: Vec<_> = store
        .proxies(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.revoked_at.is_none())
        .collect();
    assert_eq!(active.len(), 1, "nothing was written by the refusals");
    // Revoked, the slot is free again.
    store.revoke_proxy(&ctx(), first.id).await.unwrap();
    store
        .give_proxy(&ctx(), id, s.others[1], s.bob)
        .await
        .unwrap();
}

pub async fn a_principal_with_an_active_delegation_cannot_vote(store: &Store) {
    let s = setup(store).await;
    let id = s.assembly.id;
    store.give_proxy(&ctx(), id, s.carol, s.bob).await.unwrap();
    store
        .mark_present(&ctx(), id, s.carol, "online")
        .await
        .unwrap();
    store.mark_present(&ctx(), id, s.bob, "room").await.unwrap();
    store
        .open_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    let err = store
        .cast_ballot(&ctx(), s.resolution.id, s.carol, s.carol, Choice::No)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_DELEGATED);
    // Someone else's votes: not entitled.
    let err = store
        .cast_ballot(&ctx(), s.resolution.id, s.alice, s.bob, Choice::Yes)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_NOT_ENTITLED);
    // The proxy holder casts both blocks, split by instruction.
    store
        .cast_ballot(&ctx(), s.resolution.id, s.bob, s.bob, Choice::Yes)
        .await
        .unwrap();
    store
        .cast_ballot(&ctx(), s.resolution.id, s.carol, s.bob, Choice::No)
        .await
        .unwrap();
    let view = store.voter_view(id, s.bob).await.unwrap();
    assert_eq!(view.blocks.len(), 2);
    assert_eq!(view.cast.len(), 2);
    let carol_view = store.voter_view(id, s.carol).await.unwrap();
    assert!(carol_view.blocks.is_empty());
    assert_eq!(
        carol_view.delegated_to.map(|p| p.holder_person_id),
        Some(s.bob)
    );
    // Votes cast for Carol: her proxy can no longer be changed.
    let err = store
        .give_proxy(&ctx(), id, s.carol, s.alice)
        .await
        .unwrap_err();
    assert_eq!(refused_on(err, "ga_principal"), ga::PROXY_EXISTS);
}

pub async fn a_second_vote_is_refused_and_changes_nothing(store: &Store) {
    let s = setup(store).await;
    let id = s.assembly.id;
    store
        .mark_present(&ctx(), id, s.alice, "online")
        .await
        .unwrap();
    // Marking twice changes nothing.
    assert!(
        !store
            .mark_present(&ctx(), id, s.alice, "room")
            .await
            .unwrap()
    );
    store
        .open_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    store
        .cast_ballot(&ctx(), s.resolution.id, s.alice, s.alice, Choice::Yes)
        .await
        .unwrap();
    let err = store
        .cast_ballot(&ctx(), s.resolution.id, s.alice, s.alice, Choice::No)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_ALREADY_CAST);
    let ballots = store.ballots(s.resolution.id).await.unwrap();
    assert_eq!(ballots.len(), 1);
    assert_eq!(ballots[0].choice, "yes");
    // An absent shareholder cannot vote online without opening the page (being present).
    let err = store
        .cast_ballot(&ctx(), s.resolution.id, s.carol, s.carol, Choice::No)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_NOT_ENTITLED);
}

pub async fn a_vote_after_closing_is_refused(store: &Store) {
    let s = setup(store).await;
    let id = s.assembly.id;
    store
        .mark_present(&ctx(), id, s.alice, "online")
        .await
        .unwrap();
    // Not open yet.
    let err = store
        .cast_ballot(&ctx(), s.resolution.id, s.alice, s.alice, Choice::Yes)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_VOTE_CLOSED);
    store
        .open_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    store
        .close_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    let err = store
        .cast_ballot(&ctx(), s.resolution.id, s.alice, s.alice, Choice::Yes)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_VOTE_CLOSED);
    assert!(store.ballots(s.resolution.id).await.unwrap().is_empty());
    // Closed once.
    let err = store
        .close_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_RESOLUTION_STATUS);
}

/// TV-1 through the store: everyone present, Alice and Bob yes, the rest no.
pub async fn closing_a_resolution_keeps_its_tally_with_the_cap(store: &Store) {
    let s = setup(store).await;
    let id = s.assembly.id;
    let everyone: Vec<i64> = [s.alice, s.bob, s.carol]
        .into_iter()
        .chain(s.others.iter().copied())
        .collect();
    for p in &everyone {
        store.mark_present(&ctx(), id, *p, "room").await.unwrap();
    }
    store
        .open_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    for p in &everyone {
        let choice = if *p == s.alice || *p == s.bob {
            Choice::Yes
        } else {
            Choice::No
        };
        store
            .cast_ballot(&ctx(), s.resolution.id, *p, *p, choice)
            .await
            .unwrap();
    }
    let live = store.resolution_tally(s.resolution.id).await.unwrap();
    assert_eq!(live.cap, Votes::whole(77));
    let closed = store
        .close_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    assert_eq!(closed.status, "rejected");
    let kept = closed.outcome().unwrap().unwrap();
    assert_eq!(kept.total_votes, Votes::whole(770));
    assert_eq!(kept.cap, Votes::whole(77));
    assert_eq!(
        (kept.raw.yes, kept.raw.no),
        (Votes::whole(420), Votes::whole(350))
    );
    assert_eq!(
        (kept.effective.yes, kept.effective.no),
        (Votes::whole(154), Votes::whole(350))
    );
    assert_eq!(store.resolution_tally(s.resolution.id).await.unwrap(), kept);
    // Read back from another call: the same JSON.
    let again = store.resolution(s.resolution.id).await.unwrap();
    assert_eq!(again.tally, closed.tally);
    let year = store.assemblies_in_year(2025).await.unwrap();
    assert_eq!(year.len(), 1);
    assert_eq!(year[0].present, 33);
    assert_eq!(year[0].resolutions[0].effective.yes, Votes::whole(154));
    assert_eq!(year[0].resolutions[0].raw.yes, Votes::whole(420));
}

pub async fn the_minutes_are_frozen_at_closing_and_kept_once(store: &Store) {
    let s = setup(store).await;
    let id = s.assembly.id;
    store
        .give_proxy(&ctx(), id, s.carol, s.alice)
        .await
        .unwrap();
    store
        .mark_present(&ctx(), id, s.alice, "room")
        .await
        .unwrap();
    store
        .open_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    store
        .cast_ballot(&ctx(), s.resolution.id, s.alice, s.alice, Choice::Yes)
        .await
        .unwrap();
    // A vote still open: the assembly cannot close.
    let err = store.close_assembly(&ctx(), id).await.unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_OPEN_RESOLUTION);
    store
        .close_resolution(&ctx(), s.resolution.id)
        .await
        .unwrap();
    let minutes = store.close_assembly(&ctx(), id).await.unwrap();
    assert_eq!(minutes.assembly.status, "closed");
    assert_eq!(minutes.proxies.len(), 1);
    assert_eq!(minutes.attendance.len(), 1);
    assert_eq!(minutes.rules.params_version, "governance-2019-05-01");
    assert!(minutes.resolutions[0].outcome.is_some());
    assert!(
        store
            .keep_minutes_pdf(&ctx(), id, b"%PDF-1 first", "aa11")
            .await
            .unwrap()
    );
    // A second rendering changes nothing.
    assert!(
        !store
            .keep_minutes_pdf(&ctx(), id, b"%PDF-1 second", "bb22")
            .await
            .unwrap()
    );
    let kept = store.minutes(id).await.unwrap();
    assert_eq!(kept.pdf.as_deref(), Some(&b"%PDF-1 first"[..]));
    assert_eq!(kept.sha256.as_deref(), Some("aa11"));
    assert_eq!(kept.minutes, minutes);
    assert_eq!(
        store.assembly(id).await.unwrap().minutes_sha256.as_deref(),
        Some("aa11")
    );
    // Nothing moves after closing.
    let err = store
        .mark_present(&ctx(), id, s.bob, "room")
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_STATUS);
    let err = store
        .give_proxy(&ctx(), id, s.bob, s.alice)
        .await
        .unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_STATUS);
    let err = store.close_assembly(&ctx(), id).await.unwrap_err();
    assert_eq!(conflict(err), ga::REFUSED_STATUS);
}
