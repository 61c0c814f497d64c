//! 0 % member loans (C8): application, opinion, four-eyes decision, disbursement, the
//! automatic repayment from an incoming payment, arrears buckets and reminders, early
//! repayment, rescheduling, write-off, and the year's figures against independent counts.

use jiff::civil::{Date, date};
use ruche_domain::Role;
use ruche_domain::ledger::AccountCode;
use ruche_domain::loans::{
    Decision, DisburseTo, Disbursement, LoanPurpose, NewLoanApplication, Opinion, Repayment,
    Rescheduling, WriteOff,
};
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::loans::{
    LoanFilter, LoanRecord, REFUSED_FOUR_EYES, REFUSED_NOT_HOLDER, REFUSED_OPEN_LIMIT,
};
use ruche_store::{AuditContext, PageRequest, Store, StoreError};

use crate::fixtures;
use crate::invoices::{draft, line};

struct World {
    entity: i64,
    office: i64,
    activity: i64,
    client: i64,
    holder: i64,
    member: AuditContext,
    advisor: AuditContext,
    board: AuditContext,
}

fn as_account(id: i64) -> AuditContext {
    AuditContext {
        actor_account_id: Some(id),
        ip: None,
    }
}

async fn person_with_email(store: &Store, first_name: &str) -> i64 {
    let person = PersonForm {
        first_name: first_name.into(),
        last_name: "Prêt".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        email: format!("{}@loans.test", first_name.to_lowercase()),
        ..Default::default()
    }
    .parse()
    .unwrap();
    store
        .save_person(&fixtures::ctx(), None, &person)
        .await
        .unwrap()
        .id
}

async fn account(store: &Store, person: i64, email: &str, role: Role, office: Option<i64>) -> i64 {
    store
        .create_account(
            &fixtures::ctx(),
            person,
            &NewAccount {
                email: email.into(),
                password_hash: "x".into(),
                language: None,
                roles: vec![RoleGrant {
                    role,
                    office_id: office,
                }],
            },
        )
        .await
        .unwrap()
        .id
}

async fn world(store: &Store) -> World {
    let entity = fixtures::cooperative(store).await;
    let office = fixtures::office(store, "Liège").await;
    let holder = person_with_email(store, "Lea").await;
    let activity = fixtures::activity(store, "Céramique", office, holder, true).await;
    let client = fixtures::company(store, "fr").await;
    let member = account(store, holder, "lea@loans.test", Role::Member, None).await;
    let advisor_person = fixtures::person(store, "Adam").await;
    let advisor = account(
        store,
        advisor_person,
        "adam@loans.test",
        Role::Advisor,
        Some(office),
    )
    .await;
    let board_person = fixtures::person(store, "Bea").await;
    let board = account(store, board_person, "bea@loans.test", Role::Board, None).await;
    World {
        entity,
        office,
        activity,
        client,
        holder,
        member: as_account(member),
        advisor: as_account(advisor),
        board: as_account(board),
    }
}

fn application(w: &World, principal_cents: i64, instalments: u32) -> NewLoanApplication {
    NewLoanApplication {
        activity_id: w.activity,
        purpose: LoanPurpose::Equipment,
        principal_cents,
        instalments,
        justification: "Un four à céramique".into(),
        criteria: vec!["quantified-need".into()],
        params_version: "loans-2015-01-01".into(),
    }
}

/// Applies, reviews, approves and disburses a loan.
async fn granted(
    store: &Store,
    w: &World,
    principal_cents: i64,
    instalments: u32,
    disbursed_on: Date,
    to: DisburseTo,
) -> LoanRecord {
    let loan = store
        .apply_for_loan(
            &w.member,
            w.holder,
            &application(w, principal_cents, instalments),
            disbursed_on,
            &[],
        )
        .await
        .unwrap();
    store
        .give_loan_opinion(
            &w.advisor,
            loan.id,
            &Opinion {
                favourable: true,
                text: "Besoin chiffré".into(),
                criteria_confirmed: vec!["quantified-need".into()],
            },
        )
        .await
        .unwrap();
    store
        .decide_loan(
            &w.board,
            loan.id,
            &Decision::Approve { conditions: None },
            disbursed_on,
        )
        .await
        .unwrap();
    let first_due_on = disbursed_on
        .checked_add(jiff::Span::new().months(1))
        .unwrap();
    store
        .disburse_loan(
            &fixtures::ctx(),
            loan.id,
            &Disbursement {
                to,
                disbursed_on,
                first_due_on,
            },
        )
        .await
        .unwrap()
}

fn supplier() -> DisburseTo {
    DisburseTo::Supplier {
        name: "Fours & Cie".into(),
        iban: "BE68539007547034".into(),
    }
}

/// Pays an invoice of the activity of 1.210,00 € (net 1.000,00 €, contribution 65,00 €).
async fn invoice_paid(store: &Store, w: &World, issued_on: Date, paid_on: Date) -> i64 {
    let f = crate::invoices::Fixture {
        entity: w.entity,
        activity: w.activity,
        client: w.client,
    };
    let inv = store
        .save_invoice_draft(
            &fixtures::ctx(),
            None,
            &draft(&f, vec![line("Vases", 1, 100_000, 2100)]),
        )
        .await
        .unwrap();
    let inv = store
        .issue_invoice(&fixtures::ctx(), inv.id, issued_on)
        .await
        .unwrap()
        .record;
    store
        .record_payment(&fixtures::ctx(), inv.id, 121_000, paid_on, None)
        .await
        .unwrap();
    inv.id
}

async fn receivable(store: &Store, id: i64) -> i64 {
    store
        .account_balance(&AccountCode::LoanReceivable(id), None)
        .await
        .unwrap()
}

pub async fn loans_a_member_applies_the_committee_approves_and_an_incoming_payment_repays_the_due_instalment(
    store: &Store,
) {
    let w = world(store).await;
    let loan = store
        .apply_for_loan(
            &w.member,
            w.holder,
            &application(&w, 500_000, 24),
            date(2026, 1, 5),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(loan.status, "submitted");
    assert_eq!(loan.office_id, w.office);
    assert_eq!(
        ruche_domain::ident::Ogm::parse(&loan.ogm).unwrap().base(),
        800_000_000 + loan.id as u64
    );
    // The committee does not decide before the advisor's opinion.
    let early = store
        .decide_loan(
            &w.board,
            loan.id,
            &Decision::Approve { conditions: None },
            date(2026, 1, 6),
        )
        .await;
    assert!(matches!(early, Err(StoreError::Conflict(_))));
    let reviewed = store
        .give_loan_opinion(
            &w.advisor,
            loan.id,
            &Opinion {
                favourable: true,
                text: "Dossier complet".into(),
                criteria_confirmed: vec!["quantified-need".into()],
            },
        )
        .await
        .unwrap();
    assert_eq!(reviewed.status, "reviewed");
    assert_eq!(reviewed.criteria_confirmed, "quantified-need");
    // Four eyes: neither the advisor who gave the opinion nor the applicant decides.
    for who in [&w.advisor, &w.member] {
        let refused = store
            .decide_loan(
                who,
                loan.id,
                &Decision::Approve { conditions: None },
                date(2026, 1, 6),
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Conflict(c)) if c == REFUSED_FOUR_EYES),
            "{refused:?}"
        );
    }
    let approved = store
        .decide_loan(
            &w.board,
            loan.id,
            &Decision::Approve {
                conditions: Some("Facture du four".into()),
            },
            date(2026, 1, 8),
        )
        .await
        .unwrap();
    assert_eq!(approved.status, "approved");
    let active = store
        .disburse_loan(
            &fixtures::ctx(),
            loan.id,
            &Disbursement {
                to: DisburseTo::Budget,
                disbursed_on: date(2026, 1, 10),
                first_due_on: date(2026, 2, 10),
            },
        )
        .await
        .unwrap();
    assert_eq!(active.status, "active");
    assert_eq!(active.outstanding_cents, 500_000);
    let plan = store.loan_instalments(loan.id).await.unwrap();
    assert_eq!(plan.len(), 24);
    assert!(plan[..23].iter().all(|i| i.principal_cents == 20_833));
    assert_eq!(plan[23].principal_cents, 20_841);
    assert_eq!(plan[1].due_on, "2026-03-10");
    // The money reached the activity's budget.
    let budget = AccountCode::ActivityBudget(w.activity);
    assert_eq!(
        store.account_balance(&budget, None).await.unwrap(),
        -500_000
    );

    // A payment before anything is due takes nothing.
    invoice_paid(store, &w, date(2026, 1, 12), date(2026, 1, 20)).await;
    assert!(store.loan_repayments(loan.id).await.unwrap().is_empty());
    // A payment after the first due date repays the first instalment, automatically.
    let invoice = invoice_paid(store, &w, date(2026, 2, 1), date(2026, 2, 15)).await;
    let repayments = store.loan_repayments(loan.id).await.unwrap();
    assert_eq!(repayments.len(), 1);
    assert_eq!(
        (
            repayments[0].amount_cents,
            repayments[0].source.as_str(),
            repayments[0].invoice_id,
            repayments[0].instalment_number
        ),
        (20_833, "budget", Some(invoice), 1)
    );
    let plan = store.loan_instalments(loan.id).await.unwrap();
    assert_eq!(plan[0].status, "paid");
    assert_eq!(plan[1].status, "open");
    assert_eq!(receivable(store, loan.id).await, 500_000 - 20_833);
    let after = store.loan(loan.id).await.unwrap();
    assert_eq!(after.outstanding_cents, 500_000 - 20_833);
    assert_eq!(after.next_due_on.as_deref(), Some("2026-03-10"));
    // Budget: 5.000 + 2 × 935 net − 208,33.
    assert_eq!(
        store.account_balance(&budget, None).await.unwrap(),
        -(500_000 + 2 * 93_500 - 20_833)
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    // The member sees it in their list.
    let mine = store
        .loans(
            &LoanFilter {
                person_id: Some(w.holder),
                ..Default::default()
            },
            PageRequest::new(1, 20),
        )
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
}

pub async fn loans_an_automatic_repayment_never_takes_more_than_the_payment_nor_overdraws(
    store: &Store,
) {
    let w = world(store).await;
    // 24.000,00 € over 12 months to a supplier: the budget receives nothing.
    let loan = granted(store, &w, 2_400_000, 12, date(2026, 1, 10), supplier()).await;
    assert_eq!(
        store
            .account_balance(&AccountCode::EntityBank(w.entity), None)
            .await
            .unwrap(),
        -2_400_000
    );
    // Two instalments (4.000,00 €) are due; the payment brings 935,00 € net.
    invoice_paid(store, &w, date(2026, 3, 1), date(2026, 3, 20)).await;
    let paid: i64 = store
        .loan_repayments(loan.id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.amount_cents)
        .sum();
    assert_eq!(paid, 93_500);
    let budget = store
        .account_balance(&AccountCode::ActivityBudget(w.activity), None)
        .await
        .unwrap();
    assert_eq!(budget, 0, "the budget is emptied, never overdrawn");
    assert_eq!(receivable(store, loan.id).await, 2_400_000 - 93_500);
    let plan = store.loan_instalments(loan.id).await.unwrap();
    assert_eq!(
        (plan[0].status.as_str(), plan[0].repaid_cents),
        ("open", 93_500)
    );
}

pub async fn loans_a_second_open_application_and_a_non_holder_are_refused(store: &Store) {
    let w = world(store).await;
    store
        .apply_for_loan(
            &w.member,
            w.holder,
            &application(&w, 300_000, 12),
            date(2026, 1, 5),
            &[],
        )
        .await
        .unwrap();
    let second = store
        .apply_for_loan(
            &w.member,
            w.holder,
            &application(&w, 100_000, 12),
            date(2026, 1, 6),
            &[],
        )
        .await;
    match second {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("loan_activity"), Some(REFUSED_OPEN_LIMIT)),
        other => panic!("{other:?}"),
    }
    let stranger = fixtures::person(store, "Zoe").await;
    let refused = store
        .apply_for_loan(
            &fixtures::ctx(),
            stranger,
            &application(&w, 100_000, 12),
            date(2026, 1, 6),
            &[],
        )
        .await;
    match refused {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("loan_activity"), Some(REFUSED_NOT_HOLDER)),
        other => panic!("{other:?}"),
    }
    let above = store
        .apply_for_loan(
            &fixtures::ctx(),
            stranger,
            &application(&w, 100_000_000, 12),
            date(2026, 1, 6),
            &[],
        )
        .await;
    match above {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("loan_amount"), Some("loan-above-max")),
        other => panic!("{other:?}"),
    }
    let all = store
        .loans(&LoanFilter::default(), PageRequest::new(1, 20))
        .await
        .unwrap();
    assert_eq!(all.total, 1, "nothing else was written");
}

pub async fn loans_arrears_fall_in_buckets_and_each_reminder_is_sent_once(store: &Store) {
    let w = world(store).await;
    // Due 10/01, 10/02, 10/03, …; nothing repaid.
    let loan = granted(store, &w, 120_000, 12, date(2025, 12, 10), supplier()).await;
    let on = date(2026, 3, 15);
    let sent = store
        .run_loan_reminders(&fixtures::ctx(), on)
        .await
        .unwrap();
    // 64 days (61–90), 33 days (31–60), 5 days (1–30).
    assert_eq!(sent, 3);
    let again = store
        .run_loan_reminders(&fixtures::ctx(), on)
        .await
        .unwrap();
    assert_eq!(again, 0, "a run twice on the same day sends nothing new");
    let reminders = store.loan_reminders(loan.id).await.unwrap();
    let mut buckets: Vec<(i64, i64)> = reminders
        .iter()
        .map(|r| (r.bucket, r.days_past_due))
        .collect();
    buckets.sort();
    assert_eq!(buckets, vec![(0, 5), (1, 33), (2, 64)]);
    assert!(reminders.iter().all(|r| r.mail_id.is_some()));
    // Ten days later the oldest instalment moves to no new bucket; the 5-day one did not
    // change bucket either: nothing new.
    assert_eq!(
        store
            .run_loan_reminders(&fixtures::ctx(), date(2026, 3, 25))
            .await
            .unwrap(),
        0
    );
    let p = store.loan_portfolio(2026, on).await.unwrap();
    assert_eq!(p.active_count, 1);
    assert_eq!(p.active_outstanding_cents, 120_000);
    assert_eq!((p.par1_ppm, p.par30_ppm), (1_000_000, 1_000_000));
    let line = p.aging.iter().find(|l| l.label == "61-90").unwrap();
    assert_eq!((line.loans, line.outstanding_cents), (1, 120_000));
    assert_eq!(p.aging.iter().map(|l| l.loans).sum::<i64>(), 1);
    assert_eq!(store.loan(loan.id).await.unwrap().days_past_due(on), 64);
}

pub async fn loans_early_repayment_closes_rescheduling_keeps_the_outstanding_and_write_off_charges_the_fund(
    store: &Store,
) {
    let w = world(store).await;
    // Early repayment from the budget, in full: the loan closes.
    let a = granted(
        store,
        &w,
        240_000,
        12,
        date(2026, 1, 10),
        DisburseTo::Budget,
    )
    .await;
    let over = store
        .repay_loan_early(
            &fixtures::ctx(),
            a.id,
            &Repayment {
                amount_cents: 240_001,
                on: date(2026, 2, 1),
            },
        )
        .await;
    assert!(matches!(over, Err(StoreError::Refused(_))));
    let closed = store
        .repay_loan_early(
            &fixtures::ctx(),
            a.id,
            &Repayment {
                amount_cents: 240_000,
                on: date(2026, 2, 1),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (closed.status.as_str(), closed.outstanding_cents),
        ("closed", 0)
    );
    assert_eq!(closed.closed_on.as_deref(), Some("2026-02-01"));

    // A transfer pays part; a rescheduling spreads the rest; a write-off ends it.
    let b = granted(store, &w, 120_000, 12, date(2026, 2, 10), supplier()).await;
    store
        .record_loan_transfer(
            &fixtures::ctx(),
            b.id,
            &Repayment {
                amount_cents: 15_000,
                on: date(2026, 3, 12),
            },
        )
        .await
        .unwrap();
    assert_eq!(receivable(store, b.id).await, 105_000);
    let r = store
        .reschedule_loan(
            &fixtures::ctx(),
            b.id,
            &Rescheduling {
                instalments: 20,
                first_due_on: date(2026, 5, 1),
            },
        )
        .await
        .unwrap();
    assert_eq!(r.reschedule_count, 1);
    assert_eq!(r.outstanding_cents, 105_000);
    let plan = store.loan_instalments(b.id).await.unwrap();
    let open: Vec<_> = plan.iter().filter(|i| i.status == "open").collect();
    assert_eq!(open.len(), 20);
    assert!(open.iter().all(|i| i.schedule_no == 2));
    assert_eq!(
        open.iter().map(|i| i.remaining_cents()).sum::<i64>(),
        105_000
    );
    assert_eq!(r.next_due_on.as_deref(), Some("2026-05-01"));
    let fund_before = store
        .account_balance(&AccountCode::LoanFund, None)
        .await
        .unwrap();
    let written = store
        .write_off_loan(
            &fixtures::ctx(),
            b.id,
            &WriteOff {
                reason: "Activité arrêtée".into(),
                on: date(2026, 9, 30),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (written.status.as_str(), written.written_off_cents),
        ("written-off", 105_000)
    );
    assert_eq!(receivable(store, b.id).await, 0);
    assert_eq!(
        store
            .account_balance(&AccountCode::LoanFund, None)
            .await
            .unwrap()
            - fund_before,
        105_000
    );
    let again = store
        .write_off_loan(
            &fixtures::ctx(),
            b.id,
            &WriteOff {
                reason: "encore".into(),
                on: date(2026, 10, 1),
            },
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    assert_eq!(store.trial_balance().await.unwrap(), 0);
}

pub async fn loans_the_yearly_figures_equal_independent_counts(store: &Store) {
    let w = world(store).await;
    // (disbursed on, principal): two years of loans, one of them written off.
    let plan = [
        (date(2024, 3, 1), 300_000),
        (date(2024, 11, 20), 489_714),
        (date(2025, 2, 5), 500_000),
        (date(2025, 6, 30), 120_000),
        (date(2025, 12, 31), 250_000),
    ];
    let mut ids = Vec::new();
    for (on, cents) in plan {
        ids.push(granted(store, &w, cents, 12, on, supplier()).await.id);
    }
    store
        .write_off_loan(
            &fixtures::ctx(),
            ids[0],
            &WriteOff {
                reason: "Faillite".into(),
                on: date(2025, 5, 1),
            },
        )
        .await
        .unwrap();
    for year in [2024i16, 2025] {
        let in_year: Vec<i64> = plan
            .iter()
            .filter(|(d, _)| d.year() == year)
            .map(|(_, c)| *c)
            .collect();
        let to_date: Vec<i64> = plan
            .iter()
            .filter(|(d, _)| d.year() <= year)
            .map(|(_, c)| *c)
            .collect();
        let s = store
            .section_figures(FigureSection::Loans, year)
            .await
            .unwrap();
        assert!(s.available);
        let value = |key: &str| s.figure(key).unwrap().value;
        assert_eq!(
            value("loans-granted"),
            FigureValue::Count(in_year.len() as i64)
        );
        assert_eq!(
            value("loans-amount"),
            FigureValue::Cents(in_year.iter().sum())
        );
        assert_eq!(
            value("loans-granted-since-launch"),
            FigureValue::Count(to_date.len() as i64)
        );
        assert_eq!(
            value("loans-amount-since-launch"),
            FigureValue::Cents(to_date.iter().sum())
        );
        // Nothing repaid: the outstanding at the year's end is what was lent, less the
        // write-off of 2025.
        let written = if year == 2025 { 300_000 } else { 0 };
        assert_eq!(
            value("loans-outstanding"),
            FigureValue::Cents(to_date.iter().sum::<i64>() - written)
        );
        assert_eq!(value("loans-written-off"), FigureValue::Cents(written));
    }
    let empty = store
        .section_figures(FigureSection::Loans, 2019)
        .await
        .unwrap();
    assert!(!empty.available && empty.figures.is_empty());
    // The portfolio's table per year gives the same counts.
    let p = store.loan_portfolio(2025, date(2026, 1, 15)).await.unwrap();
    assert_eq!(
        p.per_year
            .iter()
            .map(|g| (g.year, g.count))
            .collect::<Vec<_>>(),
        vec![(2024, 2), (2025, 3)]
    );
    assert_eq!((p.written_off_count, p.written_off_cents), (1, 300_000));
}
