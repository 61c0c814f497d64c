//! The board and the allocation of results: mandates rest on an adopted appointment
//! resolution (CNC-4), payments to directors are compared with the GA's allowances (ES-6,
//! TV-15), and an allocation is refused whole when it breaks the statutes or ES-8.

use jiff::civil::date;
use ruche_domain::governance::board::{
    AllowanceBasis, AllowanceKind, AppointedBy, EndReason, MandateRole, NewAllowance,
    NewDirectorPayment, NewMandate, NewMeeting, PaymentKind,
};
use ruche_domain::governance::distribution::{Line, LineKind, NewAppropriation};
use ruche_domain::governance::statutes::{
    Article, ArticleTag, NewStatuteVersion, StatuteRules, VoteWeighting,
};
use ruche_domain::person::PersonForm;
use ruche_store::audit::AuditFilter;
use ruche_store::payouts::PayoutFilter;
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, ctx};

/// One closed general assembly of 20 June 2024 with its adopted resolutions, one per kind,
/// and a rejected appointment. Written with fixed SQL: the assemblies' own API belongs to
/// another part of governance and the board only reads these rows.
async fn assembly(store: &Store) {
    store
        .execute_admin(
            "INSERT INTO general_assemblies (kind, title, held_on, starts_at, place, online, \
             status, created_at, updated_at) VALUES ('ordinary', 'AG 2024', '2024-06-20', \
             '18:00', 'Bruxelles', FALSE, 'closed', 0, 0)",
        )
        .await
        .unwrap();
    for (position, kind, status) in [
        (1, "appointment", "adopted"),
        (2, "allowance", "adopted"),
        (3, "appropriation", "adopted"),
        (4, "appointment", "rejected"),
    ] {
        store
            .execute_admin(&format!(
                "INSERT INTO resolutions (assembly_id, position, title, body, kind, quorum_rule, \
                 majority_rule, status) SELECT id, {position}, 'Résolution {position}', '', \
                 '{kind}', 'none', 'simple', '{status}' FROM general_assemblies"
            ))
            .await
            .unwrap();
    }
}

async fn resolution(store: &Store, kind: &str) -> i64 {
    store.adopted_resolutions(kind).await.unwrap()[0].id
}

/// The statutes in force from 2019, which exclude any dividend (the reference cooperative).
async fn statutes_without_dividends(store: &Store) {
    let version = NewStatuteVersion {
        label: "v1".into(),
        effective_from: date(2019, 5, 1),
        adopted_on: date(2019, 4, 20),
        adopted_by_resolution_id: None,
        rules: StatuteRules {
            vote_weighting: VoteWeighting::PerPerson,
            proxies_per_holder: 1,
            proxy_must_be_member: true,
            resignation_months: 6,
            partial_resignation_allowed: false,
            dividends_allowed: false,
        },
        summary: String::new(),
        articles: vec![Article {
            number: "14".into(),
            heading: "Administrateurs".into(),
            text_fr: "Le mandat d'administrateur est gratuit.".into(),
            text_nl: String::new(),
            text_en: String::new(),
            tags: vec![ArticleTag::UnpaidMandate],
        }],
    };
    store
        .create_statute_version(&ctx(), &version)
        .await
        .unwrap();
}

async fn director(store: &Store, first_name: &str, iban: &str) -> i64 {
    let person = PersonForm {
        first_name: first_name.into(),
        last_name: "Admin".into(),
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

fn mandate(person_id: i64, appointed_by: AppointedBy) -> NewMandate {
    NewMandate {
        person_id,
        role: MandateRole::Director,
        starts_on: date(2024, 6, 20),
        ends_on: Some(date(2030, 6, 19)),
        appointed_by,
    }
}

fn refused_code(r: Result<impl std::fmt::Debug, StoreError>, field: &str) -> &'static str {
    match r {
        Err(StoreError::Refused(e)) => e.get(field).unwrap_or("<other field>"),
        other => panic!("expected a refusal on {field}, got {other:?}"),
    }
}

pub async fn a_mandate_rests_on_an_adopted_appointment_resolution(store: &Store) {
    assembly(store).await;
    statutes_without_dividends(store).await;
    let ana = director(store, "Ana", "").await;
    let appointment = resolution(store, "appointment").await;
    let allowance = resolution(store, "allowance").await;

    let m = store
        .create_mandate(&ctx(), &mandate(ana, AppointedBy::Resolution(appointment)))
        .await
        .unwrap();
    assert_eq!(m.appointed_by, "resolution");
    assert_eq!(m.resolution_id, Some(appointment));
    assert_eq!(m.assembly_held_on.as_deref(), Some("2024-06-20"));
    let audit = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("director_mandate".into()),
                entity_id: Some(m.id),
                ..AuditFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(audit.total, 1);

    // Another kind of resolution, a rejected one, an unknown one: refused, nothing written.
    let ben = director(store, "Ben", "").await;
    let wrong_kind = store
        .create_mandate(&ctx(), &mandate(ben, AppointedBy::Resolution(allowance)))
        .await;
    assert_eq!(
        refused_code(wrong_kind, "brd_resolution"),
        "brd-resolution-kind"
    );
    let rejected = store
        .adopted_resolutions("appointment")
        .await
        .unwrap()
        .len();
    assert_eq!(rejected, 1, "the rejected appointment is no choice");
    // The rejected appointment was written fourth, right after the three adopted ones.
    let rejected_id = appointment + 3;
    let not_adopted = store
        .create_mandate(&ctx(), &mandate(ben, AppointedBy::Resolution(rejected_id)))
        .await;
    assert_eq!(
        refused_code(not_adopted, "brd_resolution"),
        "brd-resolution-not-adopted"
    );
    // Starting before the assembly that appointed the director.
    let early = NewMandate {
        starts_on: date(2024, 6, 1),
        ..mandate(ben, AppointedBy::Resolution(appointment))
    };
    assert_eq!(
        refused_code(store.create_mandate(&ctx(), &early).await, "brd_starts_on"),
        "brd-starts-before-assembly"
    );
    // One mandate at a time.
    assert_eq!(
        refused_code(
            store
                .create_mandate(&ctx(), &mandate(ana, AppointedBy::Resolution(appointment)))
                .await,
            "brd_person"
        ),
        "brd-already-director"
    );
    assert_eq!(store.board_on(date(2024, 7, 1)).await.unwrap().len(), 1);

    // A statutory director.
    let article = store.article_choices().await.unwrap()[0].id;
    let statutory = store
        .create_mandate(&ctx(), &mandate(ben, AppointedBy::Statutes(article)))
        .await
        .unwrap();
    assert_eq!(statutory.article_number.as_deref(), Some("14"));

    // CNC-4: co-opted on 1 March 2024, the GA of 20 June 2024 passed without confirming it.
    let cleo = director(store, "Cléo", "").await;
    let coopted = store
        .create_mandate(
            &ctx(),
            &NewMandate {
                starts_on: date(2024, 3, 1),
                ..mandate(cleo, AppointedBy::Cooptation)
            },
        )
        .await
        .unwrap();
    let seen = store.mandate(coopted.id, date(2024, 9, 1)).await.unwrap();
    assert_eq!(seen.unconfirmed_since.as_deref(), Some("2024-06-20"));
    let before_ga = store.mandate(coopted.id, date(2024, 5, 1)).await.unwrap();
    assert!(before_ga.awaiting_confirmation);
    let confirmed = store
        .confirm_cooptation(&ctx(), coopted.id, appointment)
        .await
        .unwrap();
    assert_eq!(confirmed.confirmed_by_resolution_id, Some(appointment));
    assert!(
        store
            .mandate(coopted.id, date(2024, 9, 1))
            .await
            .unwrap()
            .unconfirmed_since
            .is_none()
    );

    // Ending a mandate moves it to the past ones.
    let ended = store
        .end_mandate(&ctx(), m.id, date(2025, 3, 31), EndReason::Resignation)
        .await
        .unwrap();
    assert_eq!(ended.end_reason.as_deref(), Some("resignation"));
    assert!(matches!(
        store
            .end_mandate(&ctx(), m.id, date(2025, 4, 30), EndReason::Other)
            .await,
        Err(StoreError::Conflict("brd-mandate-ended"))
    ));
    let past = store
        .past_mandates(date(2025, 6, 1), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(past.total, 1);
    assert_eq!(store.mandates_in_year(2025).await.unwrap().len(), 3);
}

async fn meeting(store: &Store, day: jiff::civil::Date, present: &[i64]) -> i64 {
    let m = store
        .create_board_meeting(
            &ctx(),
            &NewMeeting {
                held_on: day,
                place: "Siège".into(),
                agenda: "Comptes".into(),
                minutes: String::new(),
            },
        )
        .await
        .unwrap();
    store.set_attendance(&ctx(), m.id, present).await.unwrap();
    m.id
}

fn payment(
    person_id: i64,
    cents: i64,
    kind: PaymentKind,
    entity: Option<i64>,
) -> NewDirectorPayment {
    NewDirectorPayment {
        person_id,
        paid_on: date(2024, 12, 15),
        amount_cents: cents,
        label: "Jetons de présence 2024".into(),
        kind,
        order_from_entity: entity,
    }
}

pub async fn a_payment_without_basis_shows_as_unexplained(store: &Store) {
    assembly(store).await;
    let entity = fixtures::cooperative(store).await;
    let appointment = resolution(store, "appointment").await;
    let ana = director(store, "Ana", "BE71 0961 2345 6769").await;
    let ben = director(store, "Ben", "").await;
    let outsider = director(store, "Olga", "").await;
    for p in [ana, ben] {
        store
            .create_mandate(&ctx(), &mandate(p, AppointedBy::Resolution(appointment)))
            .await
            .unwrap();
    }
    // TV-15: €50 per meeting; Ana attends six meetings, Ben two.
    store
        .create_allowance(
            &ctx(),
            &NewAllowance {
                resolution_id: resolution(store, "allowance").await,
                kind: AllowanceKind::AttendanceFee,
                amount_cents: 5_000,
                basis: AllowanceBasis::PerMeeting,
                valid_from: date(2024, 6, 20),
                valid_to: None,
            },
        )
        .await
        .unwrap();
    // An appointment resolution is no basis for an allowance.
    let wrong = store
        .create_allowance(
            &ctx(),
            &NewAllowance {
                resolution_id: appointment,
                kind: AllowanceKind::AttendanceFee,
                amount_cents: 5_000,
                basis: AllowanceBasis::PerMeeting,
                valid_from: date(2024, 6, 20),
                valid_to: None,
            },
        )
        .await;
    assert_eq!(refused_code(wrong, "brd_resolution"), "brd-resolution-kind");
    for (i, day) in [1, 8, 15, 22, 29].iter().enumerate() {
        let present = if i < 2 { vec![ana, ben] } else { vec![ana] };
        meeting(store, date(2024, 7, *day), &present).await;
    }
    meeting(store, date(2024, 9, 2), &[ana]).await;
    // Someone without a mandate cannot be marked present.
    let m = meeting(store, date(2024, 10, 1), &[]).await;
    assert_eq!(
        refused_code(
            store.set_attendance(&ctx(), m, &[outsider]).await,
            "brd_present"
        ),
        "brd-not-in-office"
    );
    let rows = store.meeting_attendance(m).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| !r.present));

    // Ana is paid €300 through a payout order; Ben €200 for two meetings (€100 without basis).
    let paid = store
        .record_director_payment(
            &ctx(),
            &payment(ana, 30_000, PaymentKind::AttendanceFee, Some(entity)),
        )
        .await
        .unwrap();
    let payout_id = paid.payout_id.expect("a payout order");
    assert_eq!(paid.payout_status.as_deref(), Some("pending"));
    let order = store.payout(payout_id).await.unwrap();
    assert_eq!(order.amount_cents, 30_000);
    assert_eq!(order.person_id, Some(ana));
    assert_eq!(order.source_type.as_deref(), Some("director-payment"));
    assert_eq!(order.source_id, Some(paid.id));
    store
        .record_director_payment(
            &ctx(),
            &payment(ben, 20_000, PaymentKind::AttendanceFee, None),
        )
        .await
        .unwrap();

    // Refused, nothing written: a forbidden kind ordered, a director without IBAN ordered,
    // someone who is no director.
    let orders_before = store
        .payouts(&PayoutFilter::default(), PageRequest::default())
        .await
        .unwrap()
        .total;
    assert_eq!(
        refused_code(
            store
                .record_director_payment(
                    &ctx(),
                    &payment(ana, 100_000, PaymentKind::FixedRemuneration, Some(entity))
                )
                .await,
            "brd_payment_kind"
        ),
        "brd-forbidden-payment"
    );
    assert_eq!(
        refused_code(
            store
                .record_director_payment(
                    &ctx(),
                    &payment(ben, 1_000, PaymentKind::ExpenseAllowance, Some(entity))
                )
                .await,
            "brd_person"
        ),
        "brd-no-iban"
    );
    assert_eq!(
        refused_code(
            store
                .record_director_payment(
                    &ctx(),
                    &payment(outsider, 1_000, PaymentKind::Other, None)
                )
                .await,
            "brd_person"
        ),
        "brd-not-a-director"
    );
    assert_eq!(
        store
            .payouts(&PayoutFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        orders_before
    );
    assert_eq!(
        store
            .director_payments(2024, None, PageRequest::default())
            .await
            .unwrap()
            .total,
        2
    );

    let checks = store.director_checks(2024).await.unwrap();
    assert_eq!(checks.len(), 2);
    let a = checks.iter().find(|c| c.person_id == ana).unwrap();
    assert_eq!(
        (a.meetings_attended, a.allowed_cents, a.paid_cents),
        (6, 30_000, 30_000)
    );
    assert_eq!(a.unexplained_cents, 0);
    assert!(a.passes);
    assert_eq!(
        a.basis_resolution_ids,
        vec![resolution(store, "allowance").await]
    );
    let b = checks.iter().find(|c| c.person_id == ben).unwrap();
    assert_eq!(
        (b.meetings_attended, b.allowed_cents, b.paid_cents),
        (2, 10_000, 20_000)
    );
    assert_eq!(b.unexplained_cents, 10_000);
    assert!(!b.passes);

    // A management fee recorded as paid outside ruche fails the check (ES-6).
    store
        .record_director_payment(
            &ctx(),
            &payment(ana, 100_000, PaymentKind::FixedRemuneration, None),
        )
        .await
        .unwrap();
    let a = store
        .director_checks(2024)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.person_id == ana)
        .unwrap();
    assert_eq!(a.forbidden_kinds, vec!["fixed_remuneration".to_string()]);
    assert_eq!(a.unexplained_cents, 100_000);
    assert!(!a.passes);
}

fn line(kind: LineKind, euros: i64) -> Line {
    Line {
        kind,
        amount_cents: euros * 100,
    }
}

pub async fn an_allocation_with_a_dividend_is_refused_when_the_statutes_exclude_it(store: &Store) {
    assembly(store).await;
    statutes_without_dividends(store).await;
    let resolution_id = resolution(store, "appropriation").await;
    let with_dividend = NewAppropriation {
        financial_year: 2023,
        resolution_id,
        result_cents: 2_000_000,
        lines: vec![
            line(LineKind::LegalReserve, 1_000),
            line(LineKind::PurposeReserve, 8_000),
            line(LineKind::Dividend, 1_000),
            line(LineKind::CarriedForward, 10_000),
        ],
    };
    let audit_before = store
        .audit_entries(&AuditFilter::default(), PageRequest::new(1, 1))
        .await
        .unwrap()
        .total;
    assert_eq!(
        refused_code(
            store.record_appropriation(&ctx(), &with_dividend).await,
            "alloc_lines"
        ),
        "alloc-dividends-excluded"
    );
    assert!(store.allocation_of_year(2023).await.unwrap().is_none());
    assert_eq!(
        store
            .audit_entries(&AuditFilter::default(), PageRequest::new(1, 1))
            .await
            .unwrap()
            .total,
        audit_before
    );
    // Lines that do not add up, a profit share for the board: refused too.
    let short = NewAppropriation {
        lines: vec![line(LineKind::PurposeReserve, 8_000)],
        ..with_dividend.clone()
    };
    assert_eq!(
        refused_code(
            store.record_appropriation(&ctx(), &short).await,
            "alloc_result"
        ),
        "alloc-does-not-add-up"
    );
    let tantiemes = NewAppropriation {
        lines: vec![
            line(LineKind::PurposeReserve, 19_600),
            line(LineKind::BoardProfitShare, 400),
        ],
        ..with_dividend.clone()
    };
    assert_eq!(
        refused_code(
            store.record_appropriation(&ctx(), &tantiemes).await,
            "alloc_lines"
        ),
        "alloc-board-profit-share"
    );
    // An allowance resolution is no appropriation.
    let wrong = NewAppropriation {
        resolution_id: resolution(store, "allowance").await,
        lines: vec![line(LineKind::PurposeReserve, 20_000)],
        ..with_dividend.clone()
    };
    assert_eq!(
        refused_code(
            store.record_appropriation(&ctx(), &wrong).await,
            "alloc_resolution"
        ),
        "brd-resolution-kind"
    );

    // Without the dividend: recorded, in order, and "no dividend" holds.
    let good = NewAppropriation {
        lines: vec![
            line(LineKind::LegalReserve, 1_000),
            line(LineKind::PurposeReserve, 9_000),
            line(LineKind::CarriedForward, 10_000),
        ],
        ..with_dividend.clone()
    };
    let a = store.record_appropriation(&ctx(), &good).await.unwrap();
    assert!(a.no_dividend);
    assert_eq!(a.result_cents, 2_000_000);
    let read = store.allocation_of_year(2023).await.unwrap().unwrap();
    assert_eq!(read, a);
    let kinds: Vec<&str> = read.lines.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["legal_reserve", "purpose_reserve", "carried_forward"]
    );
    assert!(matches!(
        store.record_appropriation(&ctx(), &good).await,
        Err(StoreError::Duplicate {
            field: "alloc_year"
        })
    ));
    assert_eq!(
        store
            .allocations(PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
}
