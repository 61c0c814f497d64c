//! Expense claims, on both engines: filed only by a holder of an active activity, a mileage
//! claim within the person's 24,000 km of the calendar year, approved only from the available
//! budget (the spending and the transfer written together, or nothing), decided once.
// Amounts are written as euros and cents: `1_210_00` is 1.210,00 €.
#![allow(clippy::inconsistent_digit_grouping)]

use jiff::civil::{Date, date};
use ruche_domain::activity::ActivityEvent;
use ruche_domain::expense::{
    Claimant, ExpenseForm, ExpenseKind, ExpenseStatus, Filing, NewExpenseClaim, ReceiptMeta,
    ReceiptType, SOURCE_TYPE, payout_date,
};
use ruche_domain::ledger::{AccountCode, NewTransaction, Posting, TransactionKind};
use ruche_domain::payout::{PayoutKind, PayoutStatus, Remittance};
use ruche_store::audit::AuditFilter;
use ruche_store::expenses::{
    ExpenseFilter, REFUSED_INSUFFICIENT_BUDGET, REFUSED_MILEAGE_CAP, REFUSED_NOT_ACTIVE,
    REFUSED_NOT_HOLDER, REFUSED_STATUS,
};
use ruche_store::payouts::PayoutFilter;
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, cooperative, ctx};

/// The day the claims are filed: in the last quarter whose kilometre rate is known.
const FILED_ON: Date = date(2026, 3, 20);

/// An office, a holder with an IBAN and an address, and an active activity: (activity,
/// holder, office).
async fn setting(store: &Store) -> (i64, i64, i64) {
    let office = fixtures::office(store, "Liège").await;
    let holder = fixtures::person(store, "Hélène").await;
    let activity = fixtures::activity(store, "Trio jazz", office, holder, true).await;
    (activity, holder, office)
}

fn claimant(person_id: i64) -> Claimant<'static> {
    Claimant {
        person_id,
        name: "Hélène Test",
        iban: Some("BE71096123456769"),
        street: "Rue Haute 1",
        postcode: "1000",
        city: "Bruxelles",
        country: "BE",
    }
}

fn filed(
    form: ExpenseForm,
    activity: i64,
    person: i64,
    receipt: Option<ReceiptMeta>,
) -> NewExpenseClaim {
    form.parse(&Filing {
        activity_id: activity,
        claimant: claimant(person),
        receipt: receipt.map(Ok),
        submitted_on: FILED_ON,
    })
    .unwrap()
}

fn trip(activity: i64, person: i64, km: &str, day: &str, round_trip: bool) -> NewExpenseClaim {
    filed(
        ExpenseForm {
            expense_kind: "mileage".into(),
            expense_description: "Concert au centre culturel".into(),
            expense_spent_on: day.into(),
            expense_from: "Bruxelles".into(),
            expense_to: "Liège".into(),
            expense_km: km.into(),
            expense_round_trip: if round_trip { "1" } else { "" }.into(),
            ..ExpenseForm::default()
        },
        activity,
        person,
        None,
    )
}

fn receipt() -> ReceiptMeta {
    ReceiptMeta {
        sha256: "ab".repeat(32),
        kind: ReceiptType::Pdf,
        size_bytes: 48_213,
        original_name: "facture.pdf".into(),
    }
}

fn purchase(activity: i64, person: i64, amount: &str) -> NewExpenseClaim {
    filed(
        ExpenseForm {
            expense_kind: "reimbursement".into(),
            expense_category: "equipment".into(),
            expense_description: "Pied de micro".into(),
            expense_spent_on: "2026-03-02".into(),
            expense_amount: amount.into(),
            ..ExpenseForm::default()
        },
        activity,
        person,
        Some(receipt()),
    )
}

/// Puts `cents` in the activity's budget (a client's payment).
async fn fund(store: &Store, activity: i64, cents: i64) {
    let payment = NewTransaction::new(
        TransactionKind::PaymentReceived,
        date(2026, 1, 10),
        "payment",
        None,
        vec![
            Posting::debit(AccountCode::EntityBank(1), cents),
            Posting::credit(AccountCode::ActivityBudget(activity), cents),
        ],
    )
    .unwrap();
    store.post_transaction(&ctx(), &payment).await.unwrap();
}

async fn audit_count(store: &Store) -> i64 {
    store
        .audit_entries(&AuditFilter::default(), PageRequest::new(1, 1))
        .await
        .unwrap()
        .total
}

async fn claim_count(store: &Store) -> i64 {
    store
        .expense_claims(&ExpenseFilter::default(), PageRequest::new(1, 1))
        .await
        .unwrap()
        .total
}

pub async fn a_mileage_claim_keeps_its_rate_and_the_year_stops_at_the_ceiling(store: &Store) {
    let (activity, holder, _) = setting(store).await;
    // 11.950 km both ways: 23.900 km of 2026.
    let long = store
        .file_expense_claim(&ctx(), &trip(activity, holder, "11950", "2026-02-10", true))
        .await
        .unwrap();
    assert_eq!(long.status().unwrap(), ExpenseStatus::Submitted);
    assert_eq!(long.kind().unwrap(), ExpenseKind::Mileage);
    assert_eq!(long.distance_km, Some(23_900));
    assert!(long.round_trip);
    // The rate of the trip's quarter, kept with its period and the table's version.
    assert_eq!(long.mileage_rate.as_deref(), Some("0.4326"));
    assert_eq!(long.mileage_rate_from.as_deref(), Some("2026-01-01"));
    assert_eq!(long.mileage_rate_to.as_deref(), Some("2026-03-31"));
    assert_eq!(long.mileage_rates_version.as_deref(), Some("2026-Q1"));
    assert_eq!(long.mileage_rate_verified, Some(false));
    // 23.900 × 0,4326 = 10.339,14 €.
    assert_eq!(long.amount_cents, 10_339_14);
    assert_eq!(long.payee_name, "Hélène Test");
    assert_eq!(long.receipt_sha256, None);
    assert_eq!(
        store.mileage_km_in_year(holder, 2026).await.unwrap(),
        23_900
    );

    // Up to the ceiling exactly…
    let last = store
        .file_expense_claim(&ctx(), &trip(activity, holder, "100", "2026-03-01", false))
        .await
        .unwrap();
    assert_eq!(
        store.mileage_km_in_year(holder, 2026).await.unwrap(),
        24_000
    );
    // …and not one kilometre more: refused, nothing written.
    let before = (claim_count(store).await, audit_count(store).await);
    let over = store
        .file_expense_claim(&ctx(), &trip(activity, holder, "1", "2026-03-02", false))
        .await;
    assert!(
        matches!(over, Err(StoreError::Conflict(REFUSED_MILEAGE_CAP))),
        "{over:?}"
    );
    assert_eq!((claim_count(store).await, audit_count(store).await), before);
    // Another year has its own ceiling.
    store
        .file_expense_claim(&ctx(), &trip(activity, holder, "1", "2025-12-31", false))
        .await
        .unwrap();
    assert_eq!(store.mileage_km_in_year(holder, 2025).await.unwrap(), 1);

    // A withdrawn or refused claim gives its kilometres back.
    store.withdraw_expense_claim(&ctx(), last.id).await.unwrap();
    assert_eq!(
        store.mileage_km_in_year(holder, 2026).await.unwrap(),
        23_900
    );
    store
        .refuse_expense_claim(&ctx(), long.id, "Trajets en double")
        .await
        .unwrap();
    assert_eq!(store.mileage_km_in_year(holder, 2026).await.unwrap(), 0);
    store
        .file_expense_claim(&ctx(), &trip(activity, holder, "1", "2026-03-02", false))
        .await
        .unwrap();
}

pub async fn an_approval_spends_the_budget_and_orders_the_transfer_once(store: &Store) {
    let entity = cooperative(store).await;
    let (activity, holder, _) = setting(store).await;
    fund(store, activity, 500_00).await;
    let claim = store
        .file_expense_claim(&ctx(), &purchase(activity, holder, "120,50"))
        .await
        .unwrap();
    assert_eq!(claim.receipt_sha256, Some("ab".repeat(32)));
    assert_eq!(claim.receipt_mime.as_deref(), Some("application/pdf"));
    assert_eq!(claim.receipt_size, Some(48_213));
    assert_eq!(claim.receipt_name.as_deref(), Some("facture.pdf"));
    assert_eq!(claim.submitted_on, FILED_ON.to_string());

    let approved = store
        .approve_expense_claim(&ctx(), claim.id, None, date(2026, 3, 23))
        .await
        .unwrap();
    assert_eq!(approved.status().unwrap(), ExpenseStatus::Approved);
    assert_eq!(approved.entity_id, Some(entity));

    // The budget paid: `expense-reimbursed`, the budget debited, what is owed credited.
    let posted = store
        .transactions_of_source(SOURCE_TYPE, claim.id)
        .await
        .unwrap();
    assert_eq!(posted.len(), 1);
    assert_eq!(Some(posted[0].id), approved.ledger_transaction_id);
    assert_eq!(posted[0].kind, TransactionKind::ExpenseReimbursed);
    assert_eq!(
        posted[0].postings,
        vec![
            Posting::debit(AccountCode::ActivityBudget(activity), 120_50),
            Posting::credit(AccountCode::ExpensesPayable, 120_50),
        ]
    );
    assert_eq!(store.available_budget(activity).await.unwrap(), 379_50);
    let budget = store.activity_budget(activity, Some(2026)).await.unwrap();
    assert_eq!((budget.expenses, budget.available), (120_50, 379_50));

    // The transfer waits for the SEPA batch of the cut-off date: filed on the 20th, paid
    // with April's pay.
    let payout = store.payout(approved.payout_id.unwrap()).await.unwrap();
    assert_eq!(payout.kind().unwrap(), PayoutKind::Expense);
    assert_eq!(payout.status().unwrap(), PayoutStatus::Pending);
    assert_eq!(payout.amount_cents, 120_50);
    assert_eq!(payout.beneficiary_name, "Hélène Test");
    assert_eq!(payout.iban, "BE71096123456769");
    assert_eq!(payout.town, "Bruxelles");
    assert_eq!(
        payout.ledger_account().unwrap(),
        AccountCode::ExpensesPayable
    );
    assert_eq!(payout.person_id, Some(holder));
    assert_eq!(payout.activity_id, Some(activity));
    assert_eq!(
        (payout.source_type.as_deref(), payout.source_id),
        (Some(SOURCE_TYPE), Some(claim.id))
    );
    assert_eq!(payout.requested_on, "2026-04-30");
    assert_eq!(payout.requested_on, payout_date(FILED_ON).to_string());
    assert_eq!(
        payout.remittance().unwrap(),
        Some(Remittance::Text(format!(
            "RUCHE-EXP-{} Pied de micro",
            claim.id
        )))
    );
    assert_eq!(approved.payout_status.as_deref(), Some("pending"));
    assert_eq!(approved.payout_requested_on.as_deref(), Some("2026-04-30"));

    // Decided once: a second approval, a refusal or a withdrawal changes nothing.
    let before = audit_count(store).await;
    for again in [
        store
            .approve_expense_claim(&ctx(), claim.id, None, date(2026, 3, 24))
            .await,
        store.refuse_expense_claim(&ctx(), claim.id, "Non").await,
        store.withdraw_expense_claim(&ctx(), claim.id).await,
    ] {
        assert!(matches!(again, Err(StoreError::Conflict(REFUSED_STATUS))));
    }
    assert_eq!(audit_count(store).await, before);
    assert_eq!(store.available_budget(activity).await.unwrap(), 379_50);

    // The accountant's batch of the due date takes it; paid, nothing is owed any more.
    let batch = store
        .create_payout_batch(&ctx(), entity, date(2026, 4, 30), |draft| {
            Ok(draft
                .orders
                .iter()
                .map(|o| o.end_to_end_id.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n"))
        })
        .await
        .unwrap();
    assert_eq!(batch.transaction_count, 1);
    store
        .mark_payout_paid(&ctx(), payout.id, date(2026, 4, 30), None)
        .await
        .unwrap();
    assert_eq!(
        store
            .account_balance(&AccountCode::ExpensesPayable, None)
            .await
            .unwrap(),
        0
    );
    // The budget counts the expense once: the payout's own transaction leaves it alone.
    let budget = store.activity_budget(activity, Some(2026)).await.unwrap();
    assert_eq!((budget.expenses, budget.available), (120_50, 379_50));
    let paid = store.expense_claim(claim.id).await.unwrap();
    assert_eq!(paid.payout_status.as_deref(), Some("paid"));

    // Audited: the filing, the order and the approval.
    let audit = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("expense_claim".into()),
                entity_id: Some(claim.id),
                ..AuditFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["approve", "create"]);
}

pub async fn an_approval_beyond_the_available_budget_is_refused_and_writes_nothing(store: &Store) {
    cooperative(store).await;
    let (activity, holder, _) = setting(store).await;
    fund(store, activity, 20_00).await;
    let claim = store
        .file_expense_claim(&ctx(), &purchase(activity, holder, "20,01"))
        .await
        .unwrap();
    let before = audit_count(store).await;
    let refused = store
        .approve_expense_claim(&ctx(), claim.id, None, date(2026, 3, 23))
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Conflict(REFUSED_INSUFFICIENT_BUDGET))
        ),
        "{refused:?}"
    );
    // Nothing reserved, nothing ordered, nothing audited; the claim still waits.
    assert_eq!(audit_count(store).await, before);
    assert_eq!(store.available_budget(activity).await.unwrap(), 20_00);
    assert!(
        store
            .transactions_of_source(SOURCE_TYPE, claim.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .payouts(&PayoutFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    let waiting = store.expense_claim(claim.id).await.unwrap();
    assert_eq!(waiting.status().unwrap(), ExpenseStatus::Submitted);
    assert_eq!(
        (waiting.payout_id, waiting.ledger_transaction_id),
        (None, None)
    );
    // Exactly the amount available is enough.
    fund(store, activity, 1).await;
    store
        .approve_expense_claim(&ctx(), claim.id, None, date(2026, 3, 23))
        .await
        .unwrap();
    assert_eq!(store.available_budget(activity).await.unwrap(), 0);
}

pub async fn approvals_spending_one_budget_at_once_never_overdraw_it(store: &Store) {
    cooperative(store).await;
    let (activity, holder, _) = setting(store).await;
    fund(store, activity, 100_00).await;
    let mut claims = Vec::new();
    for _ in 0..5 {
        claims.push(
            store
                .file_expense_claim(&ctx(), &purchase(activity, holder, "30"))
                .await
                .unwrap()
                .id,
        );
    }
    let tasks: Vec<_> = claims
        .into_iter()
        .map(|id| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .approve_expense_claim(&ctx(), id, None, date(2026, 3, 23))
                    .await
            })
        })
        .collect();
    let mut approved = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => approved += 1,
            Err(StoreError::Conflict(REFUSED_INSUFFICIENT_BUDGET)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(
        approved, 3,
        "three claims of 30,00 € fit a budget of 100,00 €"
    );
    assert_eq!(store.available_budget(activity).await.unwrap(), 10_00);
    assert_eq!(
        store
            .payouts(&PayoutFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        3
    );
}

pub async fn mileage_claims_filed_at_once_never_pass_the_ceiling(store: &Store) {
    let (activity, holder, _) = setting(store).await;
    // Five trips of 6.000 km: only four fit the 24.000 km of the year.
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let store = store.clone();
            let claim = trip(activity, holder, "6000", "2026-02-10", false);
            tokio::spawn(async move { store.file_expense_claim(&ctx(), &claim).await })
        })
        .collect();
    let mut filed = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => filed += 1,
            Err(StoreError::Conflict(REFUSED_MILEAGE_CAP)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(filed, 4);
    assert_eq!(
        store.mileage_km_in_year(holder, 2026).await.unwrap(),
        24_000
    );
}

pub async fn a_refusal_needs_its_reason_and_a_withdrawal_its_claim_waiting(store: &Store) {
    let (activity, holder, _) = setting(store).await;
    let claim = store
        .file_expense_claim(&ctx(), &purchase(activity, holder, "12"))
        .await
        .unwrap();
    for reason in ["", "   ", &"x".repeat(501)] {
        assert!(matches!(
            store.refuse_expense_claim(&ctx(), claim.id, reason).await,
            Err(StoreError::Conflict("expense-reason"))
        ));
    }
    let refused = store
        .refuse_expense_claim(&ctx(), claim.id, "  Ticket illisible.  ")
        .await
        .unwrap();
    assert_eq!(refused.status().unwrap(), ExpenseStatus::Refused);
    assert_eq!(refused.refusal_reason.as_deref(), Some("Ticket illisible."));
    assert!(refused.decided_at.is_some());
    assert_eq!(
        (refused.payout_id, refused.ledger_transaction_id),
        (None, None)
    );

    let other = store
        .file_expense_claim(&ctx(), &purchase(activity, holder, "8"))
        .await
        .unwrap();
    let withdrawn = store
        .withdraw_expense_claim(&ctx(), other.id)
        .await
        .unwrap();
    assert_eq!(withdrawn.status().unwrap(), ExpenseStatus::Withdrawn);
    assert_eq!(withdrawn.refusal_reason, None);
    assert!(matches!(
        store
            .approve_expense_claim(&ctx(), other.id, None, date(2026, 3, 23))
            .await,
        Err(StoreError::Conflict(REFUSED_STATUS))
    ));
    assert!(matches!(
        store.expense_claim(999_999).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn only_a_holder_of_an_active_activity_files_a_claim(store: &Store) {
    let (activity, holder, office) = setting(store).await;
    let stranger = fixtures::person(store, "Marc").await;
    let proposed = fixtures::activity(store, "En attente", office, holder, false).await;
    let before = (claim_count(store).await, audit_count(store).await);
    assert!(matches!(
        store
            .file_expense_claim(&ctx(), &purchase(activity, stranger, "12"))
            .await,
        Err(StoreError::Conflict(REFUSED_NOT_HOLDER))
    ));
    assert!(matches!(
        store
            .file_expense_claim(&ctx(), &purchase(proposed, holder, "12"))
            .await,
        Err(StoreError::Conflict(REFUSED_NOT_ACTIVE))
    ));
    assert_eq!((claim_count(store).await, audit_count(store).await), before);

    // A claim filed before its activity is suspended is not paid while it is.
    cooperative(store).await;
    fund(store, activity, 50_00).await;
    let claim = store
        .file_expense_claim(&ctx(), &purchase(activity, holder, "12"))
        .await
        .unwrap();
    store
        .change_activity_status(&ctx(), activity, ActivityEvent::Suspend)
        .await
        .unwrap();
    assert!(matches!(
        store
            .approve_expense_claim(&ctx(), claim.id, None, date(2026, 3, 23))
            .await,
        Err(StoreError::Conflict(REFUSED_NOT_ACTIVE))
    ));
    assert_eq!(store.available_budget(activity).await.unwrap(), 50_00);
}

pub async fn a_supplier_is_paid_directly_with_its_invoice_reference(store: &Store) {
    let entity = cooperative(store).await;
    let (activity, holder, _) = setting(store).await;
    fund(store, activity, 2_000_00).await;
    let new = filed(
        ExpenseForm {
            expense_kind: "supplier".into(),
            expense_category: "supplier".into(),
            expense_description: "Location de la sono".into(),
            expense_spent_on: "2026-03-01".into(),
            expense_amount: "1.210,00".into(),
            beneficiary_name: "Sono Services SRL".into(),
            iban: "BE62 5100 0754 7061".into(),
            street: "Korenmarkt".into(),
            building_number: "3".into(),
            postcode: "9000".into(),
            town: "Gent".into(),
            country: "BE".into(),
            remittance: "+++202/6000/04236+++".into(),
            ..ExpenseForm::default()
        },
        activity,
        holder,
        Some(receipt()),
    );
    let claim = store.file_expense_claim(&ctx(), &new).await.unwrap();
    assert_eq!(claim.payee_name, "Sono Services SRL");
    assert!(claim.payee_remittance_ogm);
    let approved = store
        .approve_expense_claim(&ctx(), claim.id, Some(entity), date(2026, 3, 23))
        .await
        .unwrap();
    let payout = store.payout(approved.payout_id.unwrap()).await.unwrap();
    assert_eq!(payout.beneficiary_name, "Sono Services SRL");
    assert_eq!(payout.iban, "BE62510007547061");
    assert_eq!(
        (payout.street.as_deref(), payout.building_number.as_deref()),
        (Some("Korenmarkt"), Some("3"))
    );
    assert!(payout.remittance_ogm);
    assert_eq!(payout.remittance.as_deref(), Some("202600004236"));
    assert_eq!(payout.person_id, None);
    assert_eq!(store.available_budget(activity).await.unwrap(), 790_00);
    // An unknown paying entity is refused.
    let other = store
        .file_expense_claim(&ctx(), &purchase(activity, holder, "10"))
        .await
        .unwrap();
    assert!(matches!(
        store
            .approve_expense_claim(&ctx(), other.id, Some(entity + 100), date(2026, 3, 23))
            .await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn claims_are_listed_by_activity_claimant_office_and_status(store: &Store) {
    let (activity, holder, office) = setting(store).await;
    let other_office = fixtures::office(store, "Gent").await;
    let other = fixtures::person(store, "Jan").await;
    let elsewhere = fixtures::activity(store, "Studio", other_office, other, true).await;
    let a = store
        .file_expense_claim(&ctx(), &purchase(activity, holder, "10"))
        .await
        .unwrap();
    let b = store
        .file_expense_claim(&ctx(), &trip(activity, holder, "40", "2026-03-03", false))
        .await
        .unwrap();
    let c = store
        .file_expense_claim(&ctx(), &purchase(elsewhere, other, "11"))
        .await
        .unwrap();
    store.withdraw_expense_claim(&ctx(), a.id).await.unwrap();
    let ids = |filter: ExpenseFilter| async move {
        store
            .expense_claims(&filter, PageRequest::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|x| x.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(ExpenseFilter::default()).await, [c.id, b.id, a.id]);
    assert_eq!(
        ids(ExpenseFilter {
            activity_id: Some(activity),
            ..Default::default()
        })
        .await,
        [b.id, a.id]
    );
    assert_eq!(
        ids(ExpenseFilter {
            claimant_id: Some(other),
            ..Default::default()
        })
        .await,
        [c.id]
    );
    assert_eq!(
        ids(ExpenseFilter {
            offices: Some(vec![office]),
            status: Some(ExpenseStatus::Submitted),
            ..Default::default()
        })
        .await,
        [b.id]
    );
    assert_eq!(
        ids(ExpenseFilter {
            offices: Some(vec![]),
            ..Default::default()
        })
        .await,
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(ExpenseFilter {
            kind: Some(ExpenseKind::Mileage),
            ..Default::default()
        })
        .await,
        [b.id]
    );
    let page = store
        .expense_claims(&ExpenseFilter::default(), PageRequest::new(2, 2))
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (3, 1));
    let listed = store.expense_claim(c.id).await.unwrap();
    assert_eq!(listed.activity_name, "Studio");
    assert_eq!(listed.claimant_name, "Jan Test");
    assert_eq!(listed.office_id, other_office);
}
