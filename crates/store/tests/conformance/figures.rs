//! The year's figures (C17): each one equals an independent count of the data the story
//! builds through the store; a year without data shows no number; only published figures
//! reach the public page.
// Amounts are written as euros and cents: `1_000_00` is 1.000,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::{Date, date};
use ruche_domain::Language;
use ruche_domain::employment::{ContractForm, ContractPay, NewContract};
use ruche_domain::expense::{
    Claimant, ExpenseForm, Filing, NewExpenseClaim, ReceiptMeta, ReceiptType,
};
use ruche_domain::invoicing::DocumentKind;
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_domain::recovery::{EntryKind, NewEntry, RecoveryEvent};
use ruche_domain::role::{Role, RoleGrant};
use ruche_store::accounts::NewAccount;
use ruche_store::figures::{FigureSection, FigureValue, SectionFigures};
use ruche_store::invoices::DraftInvoice;
use ruche_store::shares::{NewShareClass, NewShareOperation};
use ruche_store::{Store, StoreError};

use crate::fixtures::{self, ctx};
use crate::invoices::{Fixture, draft, line};

const YEAR: i16 = 2026;

fn value(sections: &[SectionFigures], key: &str) -> Option<FigureValue> {
    sections.iter().find_map(|s| s.figure(key)).map(|f| f.value)
}

fn count(sections: &[SectionFigures], key: &str) -> i64 {
    match value(sections, key) {
        Some(FigureValue::Count(n)) => n,
        other => panic!("{key}: {other:?}"),
    }
}

fn cents(sections: &[SectionFigures], key: &str) -> i64 {
    match value(sections, key) {
        Some(FigureValue::Cents(n)) => n,
        other => panic!("{key}: {other:?}"),
    }
}

fn section(sections: &[SectionFigures], s: FigureSection) -> &SectionFigures {
    sections.iter().find(|x| x.section == s).unwrap()
}

async fn account(store: &Store, person: i64, email: &str, role: Role, office: Option<i64>) {
    store
        .create_account(
            &ctx(),
            person,
            &NewAccount {
                email: email.into(),
                password_hash: "x".into(),
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role,
                    office_id: office,
                }],
            },
        )
        .await
        .unwrap();
}

async fn issue(store: &Store, d: &DraftInvoice, on: Date) -> i64 {
    let d = store.save_invoice_draft(&ctx(), None, d).await.unwrap();
    store.issue_invoice(&ctx(), d.id, on).await.unwrap();
    d.id
}

async fn fund(store: &Store, entity: i64, activity: i64, cents: i64) {
    let opening = NewTransaction::new(
        TransactionKind::Opening,
        date(2026, 1, 1),
        "opening",
        None,
        vec![
            Posting::debit(AccountCode::EntityBank(entity), cents),
            Posting::credit(AccountCode::ActivityBudget(activity), cents),
        ],
    )
    .unwrap();
    store.post_transaction(&ctx(), &opening).await.unwrap();
}

fn claim(form: ExpenseForm, activity: i64, person: i64, receipt: bool) -> NewExpenseClaim {
    form.parse(&Filing {
        activity_id: activity,
        claimant: Claimant {
            person_id: person,
            name: "Hélène Test",
            iban: Some("BE71096123456769"),
            street: "Rue Haute 1",
            postcode: "1000",
            city: "Bruxelles",
            country: "BE",
        },
        receipt: receipt.then(|| {
            Ok(ReceiptMeta {
                sha256: "ab".repeat(32),
                kind: ReceiptType::Pdf,
                size_bytes: 48_213,
                original_name: "facture.pdf".into(),
            })
        }),
        submitted_on: date(2026, 3, 20),
    })
    .unwrap()
}

fn contract(activity: i64, worker: i64, day: &str, hours: &str) -> NewContract {
    ContractForm {
        worker: worker.to_string(),
        kind: "day".into(),
        starts_on: day.into(),
        ends_on: day.into(),
        days: "1".into(),
        hours: hours.into(),
        function: "Animatrice".into(),
        joint_committee: "200".into(),
        pay_basis: "gross".into(),
        amount: "300".into(),
        ..Default::default()
    }
    .parse(activity)
    .unwrap()
}

fn pay() -> ContractPay {
    ContractPay {
        gross_cents: 30_000,
        net_cents: 24_000,
        employer_cost_cents: 1_000,
        params_version: "test".into(),
        simulation: None,
    }
}

fn event(e: RecoveryEvent, on: Date) -> NewEntry {
    NewEntry {
        kind: EntryKind::Transition(e),
        on,
        text: None,
        cost_cents: None,
        promised_on: None,
        document: None,
    }
}

pub async fn each_figure_of_the_year_equals_a_count_of_its_data(store: &Store) {
    let entity = fixtures::cooperative(store).await;
    let brussels = fixtures::office(store, "Bruxelles").await;
    let liege = fixtures::office(store, "Liège").await;
    let ana = fixtures::person(store, "Ana").await;
    let bob = fixtures::person(store, "Bob").await;
    let carla = fixtures::person(store, "Carla").await;
    // Two members and one advisor (accounts opened now, in 2026: no share register yet).
    account(store, ana, "ana@example.be", Role::Member, None).await;
    account(store, bob, "bob@example.be", Role::Member, None).await;
    account(
        store,
        carla,
        "carla@example.be",
        Role::Advisor,
        Some(brussels),
    )
    .await;
    let studio = fixtures::activity(store, "Studio", brussels, ana, true).await;
    let atelier = fixtures::activity(store, "Atelier", liege, bob, true).await;
    let _idle = fixtures::activity(store, "Projet", liege, bob, false).await;
    let company = fixtures::company(store, "fr").await;
    let consumer = fixtures::consumer(store).await;
    let f = Fixture {
        entity,
        activity: studio,
        client: company,
    };

    // 2025: one invoice, which must not count in 2026.
    issue(
        store,
        &draft(&f, vec![line("Concert", 1, 400_00, 2100)]),
        date(2025, 11, 3),
    )
    .await;
    // 2026: A (paid), B (unpaid, partly credited), C in Liège for a consumer.
    let a = issue(
        store,
        &draft(&f, vec![line("Concert", 1, 1_000_00, 2100)]),
        date(2026, 3, 2),
    )
    .await;
    let b = issue(
        store,
        &draft(&f, vec![line("Atelier", 1, 500_00, 2100)]),
        date(2026, 3, 2),
    )
    .await;
    let mut credit = draft(&f, vec![line("Correction", 1, 100_00, 2100)]);
    credit.kind = DocumentKind::CreditNote;
    credit.corrects_invoice_id = Some(b);
    issue(store, &credit, date(2026, 3, 3)).await;
    let c = DraftInvoice {
        activity_id: atelier,
        client_id: consumer,
        ..draft(&f, vec![line("Cours", 2, 50_00, 2100)])
    };
    issue(store, &c, date(2026, 4, 1)).await;
    store
        .record_payment(&ctx(), a, 1_210_00, date(2026, 3, 20), None)
        .await
        .unwrap();

    // Reminders: the daily run of 8 April reminds what is overdue (B, and 2025's invoice).
    let run = store
        .dunning_run(&ctx(), date(2026, 4, 8), false)
        .await
        .unwrap();
    let reminders_sent = run.total_sent();
    assert!(reminders_sent >= 1);
    // B goes to recovery, and past the consultation to the formal notice.
    store
        .open_recovery(&ctx(), b, date(2026, 5, 4), None, &[])
        .await
        .unwrap();
    store
        .record_recovery_entry(
            &ctx(),
            b,
            &event(RecoveryEvent::ConsultationExpired, date(2026, 5, 15)),
        )
        .await
        .unwrap();
    store
        .record_recovery_entry(
            &ctx(),
            b,
            &event(RecoveryEvent::SendFormalNotice, date(2026, 5, 16)),
        )
        .await
        .unwrap();

    // Work: two day contracts in 2026 (7 h and 8 h), one in 2025.
    fund(store, entity, studio, 10_000_00).await;
    for (day, hours) in [
        ("2026-03-02", "7"),
        ("2026-03-09", "8"),
        ("2025-12-01", "5"),
    ] {
        store
            .sign_contract(
                &ctx(),
                &contract(studio, ana, day, hours),
                &pay(),
                date(2026, 3, 2),
            )
            .await
            .unwrap();
    }

    // Expenses: a purchase and a trip approved, one purchase left waiting.
    let purchase = |amount: &str| ExpenseForm {
        expense_kind: "reimbursement".into(),
        expense_category: "equipment".into(),
        expense_description: "Pied de micro".into(),
        expense_spent_on: "2026-03-02".into(),
        expense_amount: amount.into(),
        ..ExpenseForm::default()
    };
    let bought = store
        .file_expense_claim(&ctx(), &claim(purchase("120,50"), studio, ana, true))
        .await
        .unwrap();
    store
        .file_expense_claim(&ctx(), &claim(purchase("30,00"), studio, ana, true))
        .await
        .unwrap();
    let trip = ExpenseForm {
        expense_kind: "mileage".into(),
        expense_description: "Concert au centre culturel".into(),
        expense_spent_on: "2026-03-02".into(),
        expense_from: "Bruxelles".into(),
        expense_to: "Liège".into(),
        expense_km: "100".into(),
        ..ExpenseForm::default()
    };
    let trip = store
        .file_expense_claim(&ctx(), &claim(trip, studio, ana, false))
        .await
        .unwrap();
    let bought = store
        .approve_expense_claim(&ctx(), bought.id, None, date(2026, 3, 23))
        .await
        .unwrap();
    let trip = store
        .approve_expense_claim(&ctx(), trip.id, None, date(2026, 3, 23))
        .await
        .unwrap();

    let y = store.year_figures(YEAR).await.unwrap();
    assert_eq!(
        y.iter().map(|s| s.section).collect::<Vec<_>>(),
        FigureSection::ALL.to_vec(),
        "every section, in report order"
    );

    // Members: the accounts with the member role (no share register yet).
    let members = section(&y, FigureSection::Members);
    assert!(members.available);
    assert_eq!(members.note, Some("members-accounts"));
    assert_eq!(count(&y, "members"), 2);
    assert_eq!(count(&y, "members-new"), 2);
    // Studio invoiced, employed and spent; Atelier invoiced; Projet did nothing.
    assert_eq!(count(&y, "activities-active"), 2);
    assert_eq!(count(&y, "activities-new"), 3);

    // Turnover: A 1.000 + B 500 + C 100 − the credit note 100, VAT excluded.
    assert_eq!(count(&y, "turnover-invoices"), 3);
    assert_eq!(count(&y, "turnover-credit-notes"), 1);
    assert_eq!(
        cents(&y, "turnover-net"),
        1_000_00 + 500_00 + 100_00 - 100_00
    );
    let net = section(&y, FigureSection::Turnover)
        .figure("turnover-net")
        .unwrap();
    let parts: Vec<(&str, FigureValue)> = net
        .parts
        .iter()
        .map(|p| (p.label.as_str(), p.value))
        .collect();
    assert_eq!(
        parts,
        vec![
            ("Bruxelles", FigureValue::Cents(1_400_00)),
            ("Liège", FigureValue::Cents(100_00))
        ]
    );
    assert_eq!(count(&y, "turnover-clients"), 2);
    // The contribution: what the ledger's contribution account was credited in 2026.
    let contribution = -(store
        .account_balance(
            &AccountCode::EntityContribution(entity),
            Some(date(2026, 12, 31)),
        )
        .await
        .unwrap()
        - store
            .account_balance(
                &AccountCode::EntityContribution(entity),
                Some(date(2025, 12, 31)),
            )
            .await
            .unwrap());
    assert!(contribution > 0);
    assert_eq!(cents(&y, "turnover-contribution"), contribution);

    // Advisors and offices.
    assert_eq!(count(&y, "advisors"), 1);
    assert_eq!(count(&y, "offices"), 2);
    let per_office = section(&y, FigureSection::AdvisorsOffices)
        .figure("offices-activities")
        .unwrap();
    assert_eq!(per_office.value, FigureValue::Count(3));
    assert_eq!(
        per_office
            .parts
            .iter()
            .map(|p| (p.label.as_str(), p.value))
            .collect::<Vec<_>>(),
        vec![
            ("Bruxelles", FigureValue::Count(1)),
            ("Liège", FigureValue::Count(2))
        ]
    );

    // Work: 2 contracts, 15 hours, one worker; 15 h is not yet a hundredth of an FTE.
    assert_eq!(count(&y, "work-contracts"), 2);
    assert_eq!(count(&y, "work-workers"), 1);
    assert_eq!(value(&y, "work-hours"), Some(FigureValue::Minutes(15 * 60)));
    assert_eq!(
        value(&y, "work-fte"),
        Some(FigureValue::Fte { hundredths: 0 })
    );
    assert_eq!(count(&y, "work-open-ended"), 0);
    assert_eq!(
        section(&y, FigureSection::Work)
            .figure("work-fte")
            .unwrap()
            .link
            .as_deref(),
        Some("/work-volume?year=2026")
    );

    // Expenses: two approved, the waiting one left out.
    assert_eq!(count(&y, "expenses-approved"), 2);
    assert_eq!(
        cents(&y, "expenses-reimbursed"),
        bought.amount_cents + trip.amount_cents
    );
    assert_eq!(cents(&y, "expenses-reimbursed"), 120_50 + trip.amount_cents);
    assert_eq!(count(&y, "expenses-mileage-km"), trip.distance_km.unwrap());
    assert_eq!(count(&y, "expenses-mileage-km"), 100);

    // Reminders and recovery.
    assert_eq!(count(&y, "reminders-sent"), reminders_sent);
    assert_eq!(count(&y, "reminders-formal-notices"), 1);
    assert_eq!(count(&y, "reminders-recovery-cases"), 1);

    // Modules not built yet (and the general assembly until its attendance exists).
    for s in [
        FigureSection::Governance,
        FigureSection::Loans,
        FigureSection::Training,
        FigureSection::Guide,
        FigureSection::Recognition,
        FigureSection::Participation,
        FigureSection::Places,
        FigureSection::Prevention,
    ] {
        let s = section(&y, s);
        assert!(!s.available && s.figures.is_empty(), "{:?}", s.section);
    }

    // 2025 has its invoice and its contract, nothing of 2026's.
    let last = store.year_figures(2025).await.unwrap();
    assert_eq!(count(&last, "turnover-invoices"), 1);
    assert_eq!(cents(&last, "turnover-net"), 400_00);
    assert_eq!(count(&last, "work-contracts"), 1);
    assert!(!section(&last, FigureSection::Expenses).available);
    // The years holding data, newest first.
    let years = store.figure_years().await.unwrap();
    assert_eq!(years, vec![2026, 2025]);
}

pub async fn a_year_without_data_shows_no_number(store: &Store) {
    fixtures::active_activity(store).await;
    let y = store.year_figures(2019).await.unwrap();
    assert_eq!(y.len(), FigureSection::ALL.len());
    for s in &y {
        assert!(!s.available, "{:?}", s.section);
        assert!(s.figures.is_empty(), "{:?}", s.section);
    }
    assert!(store.figure_years().await.unwrap().is_empty());
    assert!(matches!(
        store.year_figures(1800).await,
        Err(StoreError::Refused(_))
    ));
}

pub async fn members_are_counted_from_the_share_register_when_it_holds_data(store: &Store) {
    let ana = fixtures::person(store, "Ana").await;
    let bob = fixtures::person(store, "Bob").await;
    let carla = fixtures::person(store, "Carla").await;
    // An account with the member role but no share: the register decides.
    account(store, carla, "carla@example.be", Role::Member, None).await;
    let class = store
        .create_share_class(
            &ctx(),
            &NewShareClass {
                code: "A".into(),
                name: "Parts A".into(),
                nominal_cents: 25_00,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await
        .unwrap();
    for (person, on, shares) in [(ana, date(2024, 6, 1), 4), (bob, date(2026, 2, 1), 1)] {
        store
            .record_opening_holding(
                &ctx(),
                &NewShareOperation {
                    kind: "opening",
                    person_id: person,
                    class_id: class.id,
                    shares,
                    paid_cents: shares * 25_00,
                    effective_on: on,
                    counterparty_person_id: None,
                    ledger_transaction_id: None,
                    note: String::new(),
                },
            )
            .await
            .unwrap();
    }
    let holders_at = |on: Date| async move {
        let mut people: Vec<i64> = store
            .holdings_at(on, None)
            .await
            .unwrap()
            .into_iter()
            .filter(|h| h.shares > 0)
            .map(|h| h.person_id)
            .collect();
        people.sort_unstable();
        people.dedup();
        people.len() as i64
    };
    let y = store
        .section_figures(FigureSection::Members, YEAR)
        .await
        .unwrap();
    assert_eq!(y.note, Some("members-register"));
    let members = y.figure("members").unwrap().value;
    assert_eq!(
        members,
        FigureValue::Count(holders_at(date(2026, 12, 31)).await)
    );
    assert_eq!(members, FigureValue::Count(2));
    assert_eq!(
        y.figure("members-new").unwrap().value,
        FigureValue::Count(1)
    );
    let before = store
        .section_figures(FigureSection::Members, 2024)
        .await
        .unwrap();
    assert_eq!(
        before.figure("members").unwrap().value,
        FigureValue::Count(holders_at(date(2024, 12, 31)).await)
    );
    assert_eq!(
        before.figure("members-new").unwrap().value,
        FigureValue::Count(1)
    );
}

pub async fn only_published_figures_reach_the_public_page(store: &Store) {
    let f = crate::invoices::fixture(store).await;
    issue(
        store,
        &draft(&f, vec![line("Concert", 1, 1_000_00, 2100)]),
        date(2026, 3, 2),
    )
    .await;
    // Nothing published yet: the public page is empty.
    assert!(store.public_year_figures(YEAR).await.unwrap().is_empty());
    let p = store
        .set_indicator_published(&ctx(), "turnover-invoices", true)
        .await
        .unwrap();
    assert!(p.published);
    store
        .set_indicator_published(&ctx(), "turnover-net", true)
        .await
        .unwrap();
    store
        .set_indicator_published(&ctx(), "turnover-net", false)
        .await
        .unwrap();
    let public = store.public_year_figures(YEAR).await.unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].section, FigureSection::Turnover);
    assert_eq!(
        public[0].figures.iter().map(|f| f.key).collect::<Vec<_>>(),
        vec!["turnover-invoices"]
    );
    assert_eq!(public[0].figures[0].value, FigureValue::Count(1));
    // A published figure of a year without data is absent too: no number is invented.
    assert!(store.public_year_figures(2019).await.unwrap().is_empty());
    // An unknown key is refused and nothing is written.
    assert!(matches!(
        store
            .set_indicator_published(&ctx(), "loans-count", true)
            .await,
        Err(StoreError::Refused(_))
    ));
    let choices = store.published_indicators().await.unwrap();
    assert_eq!(choices.len(), 2);
    let audit = store
        .audit_entries(
            &ruche_store::audit::AuditFilter {
                entity_type: Some("published_indicator".into()),
                ..Default::default()
            },
            ruche_store::PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(audit.total, 3, "every toggle is audited");
}
