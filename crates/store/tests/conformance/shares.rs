//! The share register and the statutes: subscriptions paid (in part, then up) and entered
//! with gap-free numbers, transfers, resignations in and out of the window, the refund cap
//! (ES-5), suspended refunds paid once the distribution tests pass (TV-14), the register at
//! a past date, and the statutes in force at a date with their adopting resolution.
// Amounts are written as euros and cents: `500_00` is 500,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::{Date, date};
use ruche_domain::governance::shares::{
    DistributionTests, ExitForm, NewPayment, NewSubscription, NewTransfer, ReasonForm,
    ShareClassForm,
};
use ruche_domain::governance::statutes::{ArticleForm, StatuteVersionForm};
use ruche_domain::ledger::AccountCode;
use ruche_domain::person::PersonForm;
use ruche_store::shares::{NewShareClass, OperationFilter};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, ctx};

struct Setup {
    entity: i64,
    class: i64,
    alice: i64,
    bob: i64,
}

async fn member(store: &Store, first_name: &str, iban: &str) -> i64 {
    let person = PersonForm {
        first_name: first_name.into(),
        last_name: "Coop".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        iban: iban.into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    store.save_person(&ctx(), None, &person).await.unwrap().id
}

async fn setup(store: &Store) -> Setup {
    let entity = fixtures::cooperative(store).await;
    let draft = ShareClassForm {
        shr_code: "A".into(),
        shr_name: "Parts coopérateurs".into(),
        shr_nominal: "250".into(),
        shr_votes_per_share: "1".into(),
        shr_eligible: "anyone".into(),
        shr_minimum_holding: "1".into(),
    }
    .parse()
    .unwrap();
    let class = store
        .create_share_class(
            &ctx(),
            &NewShareClass {
                code: draft.code,
                name: draft.name,
                nominal_cents: draft.rules.nominal_cents,
                votes_per_share: draft.rules.votes_per_share,
                eligible: draft.rules.eligible.code().to_string(),
                minimum_holding: draft.rules.minimum_holding,
            },
        )
        .await
        .unwrap()
        .id;
    let alice = member(store, "Alice", "BE71 0961 2345 6769").await;
    let bob = member(store, "Bob", "").await;
    Setup {
        entity,
        class,
        alice,
        bob,
    }
}

/// Subscribes `shares` for `person` on `on` and pays them in full.
async fn subscribe_paid(store: &Store, s: &Setup, person: i64, shares: i64, on: Date) -> i64 {
    let sub = store
        .request_subscription(
            &ctx(),
            &NewSubscription {
                person_id: person,
                class_id: s.class,
                shares,
                requested_on: on,
            },
        )
        .await
        .unwrap();
    store
        .record_share_payment(
            &ctx(),
            sub.id,
            &NewPayment {
                paid_on: on,
                amount_cents: shares * 250_00,
                entity_id: s.entity,
            },
        )
        .await
        .unwrap();
    sub.id
}

fn exit_form(s: &Setup, person: i64, notice_on: &str, nav: &str) -> ExitForm {
    ExitForm {
        shr_person: person.to_string(),
        shr_class: s.class.to_string(),
        shr_notice_on: notice_on.into(),
        shr_nav_per_share: nav.into(),
        shr_accounts_on: "2024-12-31".into(),
        shr_net_assets_ok: Some("on".into()),
        shr_liquidity_ok: Some("on".into()),
        shr_tests_evidence: "Comptes 2024 approuvés le 10 juin 2025".into(),
        shr_entity: s.entity.to_string(),
        ..Default::default()
    }
}

async fn operation_numbers(store: &Store) -> Vec<i64> {
    let page = store
        .share_operations(&OperationFilter::default(), PageRequest::new(1, 200))
        .await
        .unwrap();
    let mut numbers: Vec<i64> = page.items.iter().map(|o| o.number).collect();
    numbers.sort();
    numbers
}

pub async fn shares_a_subscription_is_paid_up_entered_and_posted_with_gap_free_numbers(
    store: &Store,
) {
    let s = setup(store).await;
    let sub = store
        .request_subscription(
            &ctx(),
            &NewSubscription {
                person_id: s.alice,
                class_id: s.class,
                shares: 4,
                requested_on: date(2025, 1, 10),
            },
        )
        .await
        .unwrap();
    assert_eq!(sub.status, "requested");
    // Nothing in the register before a payment.
    assert!(
        store
            .holdings_at(date(2025, 12, 31), Some(s.alice))
            .await
            .unwrap()
            .is_empty()
    );
    let pay = |amount_cents, paid_on| NewPayment {
        paid_on,
        amount_cents,
        entity_id: s.entity,
    };
    let sub = store
        .record_share_payment(&ctx(), sub.id, &pay(500_00, date(2025, 1, 20)))
        .await
        .unwrap();
    assert_eq!(sub.status, "partly_paid");
    // Paying beyond the nominal value is refused, nothing changes.
    let err = store
        .record_share_payment(&ctx(), sub.id, &pay(500_01, date(2025, 2, 20)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(e) if e.get("shr_amount") == Some("shr-payment-above-due")),
        "{err:?}"
    );
    let sub = store
        .record_share_payment(&ctx(), sub.id, &pay(500_00, date(2025, 2, 20)))
        .await
        .unwrap();
    assert_eq!(sub.status, "paid");
    assert_eq!(sub.paid_cents, 1000_00);

    let held = store
        .holdings_at(date(2025, 1, 31), Some(s.alice))
        .await
        .unwrap();
    assert_eq!((held[0].shares, held[0].paid_cents), (4, 500_00));
    let held = store
        .holdings_at(date(2025, 2, 28), Some(s.alice))
        .await
        .unwrap();
    assert_eq!((held[0].shares, held[0].paid_cents), (4, 1000_00));
    assert_eq!(
        store
            .account_balance(&AccountCode::ShareCapital, None)
            .await
            .unwrap(),
        -1000_00
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::EntityBank(s.entity), None)
            .await
            .unwrap(),
        1000_00
    );

    // Payments recorded at once on both engines: every number once, none missing.
    let mut subs = Vec::new();
    for i in 0..8 {
        let person = fixtures::person(store, &format!("Membre{i}")).await;
        let sub = store
            .request_subscription(
                &ctx(),
                &NewSubscription {
                    person_id: person,
                    class_id: s.class,
                    shares: 1,
                    requested_on: date(2025, 3, 1),
                },
            )
            .await
            .unwrap();
        subs.push(sub.id);
    }
    let mut tasks = Vec::new();
    for id in subs {
        let store = store.clone();
        let entity = s.entity;
        tasks.push(tokio::spawn(async move {
            store
                .record_share_payment(
                    &ctx(),
                    id,
                    &NewPayment {
                        paid_on: date(2025, 3, 2),
                        amount_cents: 250_00,
                        entity_id: entity,
                    },
                )
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(operation_numbers(store).await, (1..=10).collect::<Vec<_>>());
    let kinds = store
        .share_operations(
            &OperationFilter {
                person_id: Some(s.alice),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    let kinds: Vec<&str> = kinds.items.iter().map(|o| o.kind.as_str()).collect();
    assert_eq!(kinds, vec!["pay_up", "subscription"]);
}

pub async fn shares_a_refused_request_keeps_its_reason_and_cannot_be_paid(store: &Store) {
    let s = setup(store).await;
    let sub = store
        .request_subscription(
            &ctx(),
            &NewSubscription {
                person_id: s.bob,
                class_id: s.class,
                shares: 2,
                requested_on: date(2025, 4, 1),
            },
        )
        .await
        .unwrap();
    let reason = ReasonForm {
        shr_reason_code: "admission_conditions".into(),
        shr_reason_text: "Pas domicilié en Région bruxelloise (art. 7 des statuts)".into(),
    }
    .parse(false)
    .unwrap();
    let sub = store
        .refuse_subscription(&ctx(), sub.id, &reason, date(2025, 4, 15))
        .await
        .unwrap();
    assert_eq!(sub.status, "refused");
    assert_eq!(sub.reason_code.as_deref(), Some("admission_conditions"));
    assert!(
        store
            .record_share_payment(
                &ctx(),
                sub.id,
                &NewPayment {
                    paid_on: date(2025, 4, 20),
                    amount_cents: 500_00,
                    entity_id: s.entity,
                },
            )
            .await
            .is_err()
    );
    let year = store.share_year(2025).await.unwrap();
    assert_eq!(year.refused_requests, 1);
    assert_eq!(year.admissions, 0);
    assert!(operation_numbers(store).await.is_empty());
}

pub async fn shares_a_transfer_writes_two_consecutive_lines_and_moves_the_paid_capital(
    store: &Store,
) {
    let s = setup(store).await;
    subscribe_paid(store, &s, s.alice, 4, date(2024, 2, 1)).await;
    let (out, into) = store
        .transfer_shares(
            &ctx(),
            &NewTransfer {
                from_person_id: s.alice,
                to_person_id: s.bob,
                class_id: s.class,
                shares: 1,
                transferred_on: date(2024, 9, 1),
            },
        )
        .await
        .unwrap();
    assert_eq!((out.number, into.number), (2, 3));
    assert_eq!((out.shares, into.shares), (-1, 1));
    assert_eq!(into.paid_cents, 250_00);
    // More than held: refused, nothing written.
    let err = store
        .transfer_shares(
            &ctx(),
            &NewTransfer {
                from_person_id: s.bob,
                to_person_id: s.alice,
                class_id: s.class,
                shares: 2,
                transferred_on: date(2024, 9, 2),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    assert_eq!(operation_numbers(store).await, vec![1, 2, 3]);
    let register = store
        .share_register_at(date(2024, 12, 31), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(register.totals.holders, 2);
    assert_eq!(register.totals.shares, 4);
    assert_eq!(register.totals.paid_cents, 1000_00);
}

pub async fn shares_a_resignation_is_refused_outside_the_window_and_accepted_within(store: &Store) {
    let s = setup(store).await;
    subscribe_paid(store, &s, s.alice, 2, date(2020, 3, 1)).await;
    // TV-13: a notice on 2025-08-10 is outside the first six months.
    let late = exit_form(&s, s.alice, "2025-08-10", "310")
        .parse(false)
        .unwrap();
    let err = store
        .record_share_exit(&ctx(), false, &late)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(e) if e.get("shr_notice_on") == Some("shr-outside-window")),
        "{err:?}"
    );
    assert_eq!(operation_numbers(store).await, vec![1]);
    // TV-11: NAV €310 → refund €500 (not €620), effective 2025-06-30, ordered at once.
    let on_time = exit_form(&s, s.alice, "2025-03-15", "310")
        .parse(false)
        .unwrap();
    let exit = store
        .record_share_exit(&ctx(), false, &on_time)
        .await
        .unwrap();
    assert_eq!(exit.effective_on, "2025-06-30");
    assert_eq!(exit.refund_cents, 500_00);
    assert_eq!(exit.refund_status, "ordered");
    let payout = store.payout(exit.payout_id.unwrap()).await.unwrap();
    assert_eq!(payout.amount_cents, 500_00);
    assert_eq!(payout.ledger_account, "share-refunds:payable");
    // Still a member until the end of the window, no longer after it.
    assert_eq!(
        store
            .holdings_at(date(2025, 6, 29), Some(s.alice))
            .await
            .unwrap()[0]
            .shares,
        2
    );
    assert!(
        store
            .holdings_at(date(2025, 6, 30), Some(s.alice))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::ShareRefundsPayable, None)
            .await
            .unwrap(),
        -500_00
    );
    let year = store.share_year(2025).await.unwrap();
    assert_eq!(year.resignations, 1);
    assert_eq!(year.refunds[0].refund_cents, 500_00);
    assert_eq!(year.holders_at_year_end, 0);
}

pub async fn shares_a_refund_above_the_cap_is_refused_and_nothing_changes(store: &Store) {
    let s = setup(store).await;
    subscribe_paid(store, &s, s.alice, 2, date(2020, 3, 1)).await;
    let before = store
        .account_balance(&AccountCode::ShareCapital, None)
        .await
        .unwrap();
    // TV-11 / ES-5: statutes promising the NAV (€620) are capped at the nominal (€500).
    let mut form = exit_form(&s, s.alice, "2025-03-15", "310");
    form.shr_refund = "620".into();
    let exit = form.parse(false).unwrap();
    let err = store
        .record_share_exit(&ctx(), false, &exit)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(e) if e.get("shr_refund") == Some("shr-refund-above-cap")),
        "{err:?}"
    );
    assert_eq!(operation_numbers(store).await, vec![1]);
    assert_eq!(
        store
            .account_balance(&AccountCode::ShareCapital, None)
            .await
            .unwrap(),
        before
    );
    assert_eq!(
        store
            .share_exits(None, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn shares_a_suspended_refund_is_paid_once_the_tests_pass(store: &Store) {
    let s = setup(store).await;
    subscribe_paid(store, &s, s.alice, 2, date(2020, 3, 1)).await;
    // TV-12 + TV-14: NAV €200 → €400; the liquidity test fails → suspended.
    let mut form = exit_form(&s, s.alice, "2025-03-15", "200");
    form.shr_liquidity_ok = None;
    let exit = store
        .record_share_exit(&ctx(), false, &form.parse(false).unwrap())
        .await
        .unwrap();
    assert_eq!(exit.refund_cents, 400_00);
    assert_eq!(exit.refund_status, "suspended");
    assert_eq!(exit.payout_id, None);
    // The €100 not refunded stays in equity.
    assert_eq!(
        store
            .account_balance(&AccountCode::CapitalNotRefunded, None)
            .await
            .unwrap(),
        -100_00
    );
    let still = DistributionTests {
        net_assets_ok: true,
        liquidity_ok: false,
        evidence: "Trésorerie insuffisante au 30/09".into(),
    };
    let exit = store
        .release_share_refund(&ctx(), exit.id, &still, date(2025, 9, 30))
        .await
        .unwrap();
    assert_eq!(exit.refund_status, "suspended");
    let pass = DistributionTests {
        net_assets_ok: true,
        liquidity_ok: true,
        evidence: "Trésorerie rétablie, prévision à 12 mois positive".into(),
    };
    let exit = store
        .release_share_refund(&ctx(), exit.id, &pass, date(2026, 1, 15))
        .await
        .unwrap();
    assert_eq!(exit.refund_status, "ordered");
    let payout = store.payout(exit.payout_id.unwrap()).await.unwrap();
    assert_eq!(payout.amount_cents, 400_00);
    assert_eq!(payout.requested_on, "2026-01-15");
    // Released once only.
    assert!(
        store
            .release_share_refund(&ctx(), exit.id, &pass, date(2026, 1, 16))
            .await
            .is_err()
    );
    let year = store.share_year(2025).await.unwrap();
    assert_eq!(year.refunds[0].status, "ordered");
}

pub async fn shares_an_exclusion_needs_its_reason_and_a_member_without_iban_waits(store: &Store) {
    let s = setup(store).await;
    subscribe_paid(store, &s, s.bob, 1, date(2021, 5, 1)).await;
    let mut form = exit_form(&s, s.bob, "2025-09-20", "250");
    form.shr_reason_code = "against_interests".into();
    form.shr_reason_text = "Concurrence déloyale constatée par le CA du 15/09/2025".into();
    let exclusion = form.parse(true).unwrap();
    // Bob has no IBAN: the refund cannot be ordered, nothing is written.
    let err = store
        .record_share_exit(&ctx(), true, &exclusion)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(e) if e.get("shr_person") == Some("shr-no-iban")),
        "{err:?}"
    );
    assert_eq!(operation_numbers(store).await, vec![1]);
    // Suspended by the tests, it is recorded (the IBAN is needed only to pay).
    form.shr_net_assets_ok = None;
    let exit = store
        .record_share_exit(&ctx(), true, &form.parse(true).unwrap())
        .await
        .unwrap();
    assert_eq!(exit.kind, "exclusion");
    assert_eq!(exit.effective_on, "2025-09-20");
    assert_eq!(exit.reason_code.as_deref(), Some("against_interests"));
    assert_eq!(store.share_year(2025).await.unwrap().exclusions, 1);
}

pub async fn shares_the_register_and_an_extract_read_at_a_past_date(store: &Store) {
    let s = setup(store).await;
    subscribe_paid(store, &s, s.alice, 2, date(2019, 6, 1)).await;
    subscribe_paid(store, &s, s.bob, 3, date(2022, 6, 1)).await;
    store
        .transfer_shares(
            &ctx(),
            &NewTransfer {
                from_person_id: s.bob,
                to_person_id: s.alice,
                class_id: s.class,
                shares: 1,
                transferred_on: date(2023, 1, 10),
            },
        )
        .await
        .unwrap();
    let at_2020 = store
        .share_register_at(date(2020, 12, 31), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(at_2020.totals.holders, 1);
    assert_eq!(at_2020.totals.shares, 2);
    assert_eq!(at_2020.totals.subscribed_cents, 500_00);
    assert_eq!(at_2020.lines.items[0].person_name, "Alice Coop");
    let at_2022 = store
        .share_register_at(date(2022, 12, 31), PageRequest::new(1, 1))
        .await
        .unwrap();
    assert_eq!(at_2022.lines.total, 2);
    assert_eq!(at_2022.lines.items.len(), 1);
    assert_eq!(at_2022.totals.shares, 5);
    let extract = store
        .share_extract(s.alice, date(2022, 12, 31))
        .await
        .unwrap();
    assert_eq!(extract.shares(), 2);
    assert_eq!(extract.operations.len(), 1);
    let extract = store
        .share_extract(s.alice, date(2023, 12, 31))
        .await
        .unwrap();
    assert_eq!(extract.shares(), 3);
    assert_eq!(extract.operations.len(), 2);
    assert_eq!(extract.operations[1].kind, "transfer_in");
    assert_eq!(
        extract.operations[1].counterparty_name.as_deref(),
        Some("Bob Coop")
    );
    let by_year = store
        .share_operations(
            &OperationFilter {
                year: Some(2022),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(by_year.total, 1);
}

fn statutes_form(from: &str, resolution: Option<i64>) -> StatuteVersionForm {
    StatuteVersionForm {
        stat_label: format!("Statuts {from}"),
        stat_effective_from: from.into(),
        stat_adopted_on: from.into(),
        stat_resolution: resolution.map(|r| r.to_string()).unwrap_or_default(),
        stat_vote_weighting: "per_person".into(),
        stat_proxies_per_holder: "1".into(),
        stat_resignation_months: "3".into(),
        articles: vec![ArticleForm {
            number: "3".into(),
            heading: "But".into(),
            text_fr: "Impact sociétal positif.".into(),
            tags: "purpose".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

pub async fn statutes_the_version_in_force_is_read_at_a_date_and_adoption_is_checked(
    store: &Store,
) {
    let s = setup(store).await;
    let archive = store
        .create_statute_version(&ctx(), &statutes_form("2019-05-01", None).parse().unwrap())
        .await
        .unwrap();
    assert_eq!(archive.articles.len(), 1);
    store
        .execute_admin(
            "INSERT INTO general_assemblies (kind, title, held_on, starts_at, place, online, \
             status, created_at, updated_at) VALUES \
             ('extraordinary', 'AGE 2023', '2023-06-20', '18:00', 'Bruxelles', false, 'closed', 0, 0), \
             ('ordinary', 'AG 2023', '2023-06-20', '19:00', 'Bruxelles', false, 'closed', 0, 0)",
        )
        .await
        .unwrap();
    store
        .execute_admin(
            "INSERT INTO resolutions (assembly_id, position, title, body, kind, quorum_rule, \
             majority_rule, status) VALUES \
             ((SELECT id FROM general_assemblies WHERE title = 'AGE 2023'), 1, 'Statuts', '', \
              'statutes', 'half_of_shares', 'three_quarters', 'adopted'), \
             ((SELECT id FROM general_assemblies WHERE title = 'AGE 2023'), 2, 'Rejetée', '', \
              'statutes', 'half_of_shares', 'three_quarters', 'rejected'), \
             ((SELECT id FROM general_assemblies WHERE title = 'AG 2023'), 1, 'Comptes', '', \
              'statutes', 'none', 'simple', 'adopted')",
        )
        .await
        .unwrap();
    // Resolutions were inserted in order: 1, 2, 3 (a fresh database).
    let ids = [1i64, 2, 3];
    for (id, code) in [
        (ids[1], "stat-resolution-not-adopted"),
        (ids[2], "stat-resolution-not-extraordinary"),
        (999, "stat-resolution-unknown"),
    ] {
        let err = store
            .create_statute_version(
                &ctx(),
                &statutes_form("2023-06-20", Some(id)).parse().unwrap(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Refused(e) if e.get("stat_resolution") == Some(code)),
            "{err:?}"
        );
    }
    let v2023 = store
        .create_statute_version(
            &ctx(),
            &statutes_form("2023-06-20", Some(ids[0])).parse().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(v2023.version.adopted_by_resolution_id, Some(ids[0]));
    // One version per start date.
    assert!(
        store
            .create_statute_version(&ctx(), &statutes_form("2023-06-20", None).parse().unwrap())
            .await
            .is_err()
    );
    assert_eq!(store.statute_versions().await.unwrap().len(), 2);
    let on = store
        .statute_version_on(date(2023, 6, 19))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(on.version.id, archive.version.id);
    let on = store
        .statute_version_on(date(2025, 1, 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(on.version.id, v2023.version.id);
    assert_eq!(on.version.rules().unwrap().resignation_months, 3);
    assert!(
        store
            .statute_version_on(date(2019, 4, 30))
            .await
            .unwrap()
            .is_none()
    );
    // The statutes in force set a three-month window: a notice in April is refused.
    subscribe_paid(store, &s, s.alice, 1, date(2020, 1, 6)).await;
    let err = store
        .record_share_exit(
            &ctx(),
            false,
            &exit_form(&s, s.alice, "2025-04-02", "250")
                .parse(false)
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
}
