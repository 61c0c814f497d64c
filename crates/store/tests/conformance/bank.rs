//! Bank statement imports: idempotent, all or nothing per file, continuity per account, and
//! the matching of movements to invoices — automatic by reference, by hand from the queue.

use jiff::civil::date;
use ruche_domain::bank::matching::Reason;
use ruche_domain::ledger::AccountCode;
use ruche_store::audit::AuditFilter;
use ruche_store::bank::{
    BankMovementInput, ImportReport, LineOutcome, MovementStatus, StatementFile, StatementFormat,
    StatementInput,
};
use ruche_store::invoices::InvoiceRecord;
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::ctx;
use crate::invoices::{Fixture, draft, fixture, line};

/// The fixture cooperative's account.
const IBAN: &str = "BE68539007547034";
const PAYER: &str = "BE71096123456769";

fn movement(reference: &str, amount_cents: i64, ogm: Option<&str>) -> BankMovementInput {
    BankMovementInput {
        bank_reference: reference.into(),
        account_iban: IBAN.into(),
        line: Some(1),
        booked_on: date(2026, 6, 20),
        value_date: Some(date(2026, 6, 20)),
        amount_cents,
        counterparty_name: Some("Client SA".into()),
        counterparty_iban: Some(PAYER.into()),
        ogm: ogm.map(str::to_string),
        invalid_ogm: None,
        free_text: None,
        end_to_end_id: None,
        reversal: false,
    }
}

fn with_text(mut m: BankMovementInput, text: &str) -> BankMovementInput {
    m.free_text = Some(text.into());
    m
}

fn statement_numbered(
    sequence: &str,
    on: jiff::civil::Date,
    movements: Vec<BankMovementInput>,
) -> StatementInput {
    StatementInput {
        format: StatementFormat::Camt053,
        account_iban: IBAN.into(),
        sequence: Some(sequence.into()),
        date: Some(on),
        opening_cents: None,
        closing_cents: None,
        movements,
    }
}

fn file(statements: Vec<StatementInput>) -> StatementFile {
    StatementFile {
        file_name: "statement.xml".into(),
        sha256: "0".repeat(64),
        format: StatementFormat::Camt053,
        statements,
        warnings: vec![],
    }
}

/// A file of one statement, number 12 of 20 June 2026.
fn one(movements: Vec<BankMovementInput>) -> StatementFile {
    file(vec![statement_numbered("12", date(2026, 6, 20), movements)])
}

async fn import(store: &Store, f: &StatementFile) -> ImportReport {
    store.import_statement_file(&ctx(), f).await.unwrap()
}

fn counts(r: &ImportReport) -> (usize, usize, usize, usize, usize, usize) {
    (
        r.read,
        r.new,
        r.already_known,
        r.matched,
        r.returned,
        r.unmatched,
    )
}

/// An issued invoice of `net` cents + 21 % VAT.
async fn invoice_of(store: &Store, f: &Fixture, net: i64) -> InvoiceRecord {
    let d = store
        .save_invoice_draft(&ctx(), None, &draft(f, vec![line("Concert", 1, net, 2100)]))
        .await
        .unwrap();
    store
        .issue_invoice(&ctx(), d.id, date(2026, 6, 1))
        .await
        .unwrap()
        .record
}

/// The fixture and an issued invoice of 1,000.00 € + 21 % VAT.
async fn issued_invoice(store: &Store) -> (Fixture, InvoiceRecord) {
    let f = fixture(store).await;
    let inv = invoice_of(store, &f, 100_000).await;
    (f, inv)
}

async fn count(store: &Store, status: Option<MovementStatus>) -> i64 {
    store
        .bank_movements(status, PageRequest::default())
        .await
        .unwrap()
        .total
}

async fn balance(store: &Store, account: AccountCode) -> i64 {
    store.account_balance(&account, None).await.unwrap()
}

async fn movement_id(store: &Store, reference: &str) -> i64 {
    store
        .bank_movements(None, PageRequest::default())
        .await
        .unwrap()
        .items
        .iter()
        .find(|m| m.bank_reference == reference)
        .unwrap()
        .id
}

pub async fn importing_the_same_statement_twice_adds_nothing(store: &Store) {
    fixture(store).await;
    let s = one(vec![
        movement("REF-1", 10_000, None),
        movement("REF-2", -2_500, None),
    ]);
    let first = import(store, &s).await;
    assert_eq!(counts(&first), (2, 2, 0, 0, 0, 2));
    assert!(first.refusal.is_none());
    assert_eq!(first.lines.len(), 2);
    assert_eq!(first.lines[1].detail.as_deref(), Some("debit"));
    let second = import(store, &s).await;
    assert_eq!(counts(&second), (2, 0, 2, 0, 0, 0));
    assert!(
        second
            .lines
            .iter()
            .all(|l| l.outcome == LineOutcome::AlreadyKnown)
    );
    assert_eq!(count(store, None).await, 2);
    // Both imports are in the history, with their reports.
    let history = store.bank_imports(PageRequest::default()).await.unwrap();
    assert_eq!(history.total, 2);
    let kept = store.bank_import_report(history.items[1].id).await.unwrap();
    assert_eq!(kept, first);
}

pub async fn a_movement_with_the_invoice_ogm_pays_it_and_fills_the_budget(store: &Store) {
    let (f, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    let report = import(store, &one(vec![movement("PAY-1", 121_000, Some(&ogm))])).await;
    assert_eq!(counts(&report), (1, 1, 0, 1, 0, 0));
    assert_eq!(report.lines[0].detail.as_deref(), inv.number.as_deref());
    let paid = store.invoice(inv.id).await.unwrap();
    assert_eq!((paid.status.as_str(), paid.paid_cents), ("paid", 121_000));
    // Net 1,000.00 € reached the budget, less the 6.5 % contribution.
    assert_eq!(
        balance(store, AccountCode::ActivityBudget(f.activity)).await,
        -(100_000 - 6_500)
    );
    assert_eq!(
        balance(store, AccountCode::EntityBank(f.entity)).await,
        121_000
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    let payments = store.invoice_payments(inv.id).await.unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].reference.as_deref(), Some("PAY-1"));
    let matched = store
        .bank_movements(Some(MovementStatus::Matched), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(matched.total, 1);
    assert_eq!(matched.items[0].invoice_id, Some(inv.id));
    // The same file again pays nothing twice.
    let again = import(store, &one(vec![movement("PAY-1", 121_000, Some(&ogm))])).await;
    assert_eq!((again.already_known, again.matched), (1, 0));
    assert_eq!(store.invoice_payments(inv.id).await.unwrap().len(), 1);
}

pub async fn a_movement_with_an_unknown_ogm_stays_unmatched(store: &Store) {
    let (_, inv) = issued_invoice(store).await;
    // A valid OGM that no invoice carries, and an OGM whose check digits are wrong.
    let unknown = ruche_domain::ident::Ogm::for_invoice(2026, 999_999)
        .unwrap()
        .as_str()
        .to_string();
    let mut invalid = movement("U-2", 121_000, None);
    invalid.invalid_ogm = Some("112455446812".into());
    let report = import(
        store,
        &one(vec![movement("U-1", 121_000, Some(&unknown)), invalid]),
    )
    .await;
    assert_eq!(counts(&report), (2, 2, 0, 0, 0, 2));
    assert_eq!(report.lines[0].detail.as_deref(), Some("no-reference"));
    assert_eq!(report.lines[1].detail.as_deref(), Some("invalid-ogm"));
    let invoice = store.invoice(inv.id).await.unwrap();
    assert_eq!((invoice.status.as_str(), invoice.paid_cents), ("issued", 0));
    let id = movement_id(store, "U-2").await;
    let flagged = store.bank_movement(id).await.unwrap();
    assert_eq!(flagged.ogm, None);
    assert_eq!(flagged.invalid_ogm.as_deref(), Some("112455446812"));
    // The exact amount makes the invoice the first suggestion.
    let suggestions = store.movement_suggestions(id).await.unwrap();
    assert_eq!(suggestions[0].candidate.invoice_id, inv.id);
    assert!(suggestions[0].reasons.contains(&Reason::ExactAmount));
}

pub async fn a_reference_twice_in_one_file_is_stored_and_paid_once(store: &Store) {
    let (_, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    let report = import(
        store,
        &one(vec![
            movement("T-1", 60_000, Some(&ogm)),
            movement("T-1", 60_000, Some(&ogm)),
            movement("T-2", 5_000, None),
        ]),
    )
    .await;
    // read, new, known, matched, returned, unmatched
    assert_eq!(counts(&report), (3, 2, 1, 1, 0, 1));
    assert_eq!(report.lines[1].outcome, LineOutcome::AlreadyKnown);
    let invoice = store.invoice(inv.id).await.unwrap();
    assert_eq!(
        (invoice.status.as_str(), invoice.paid_cents),
        ("partially_paid", 60_000)
    );
    assert_eq!(count(store, None).await, 2);
    // An unmatched credit keeps why, written with the movement.
    let unmatched = store
        .bank_movement(movement_id(store, "T-2").await)
        .await
        .unwrap();
    assert_eq!(unmatched.note.as_deref(), Some("no-reference"));
    // Again, with the second half: the first is known, the second pays the rest.
    let again = import(
        store,
        &file(vec![statement_numbered(
            "13",
            date(2026, 6, 21),
            vec![
                movement("T-1", 60_000, Some(&ogm)),
                movement("T-3", 61_000, Some(&ogm)),
            ],
        )]),
    )
    .await;
    assert_eq!(counts(&again), (2, 1, 1, 1, 0, 0));
    let invoice = store.invoice(inv.id).await.unwrap();
    assert_eq!(
        (invoice.status.as_str(), invoice.paid_cents),
        ("paid", 121_000)
    );
}

pub async fn an_overlapping_statement_adds_only_the_new_movements(store: &Store) {
    let (_, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    import(
        store,
        &one(vec![movement("A", 1_000, None), movement("B", -500, None)]),
    )
    .await;
    let report = import(
        store,
        &one(vec![
            movement("B", -500, None),
            movement("C", 121_000, Some(&ogm)),
            movement("D", 700, None),
        ]),
    )
    .await;
    assert_eq!(counts(&report), (3, 2, 1, 1, 0, 1));
    assert_eq!(count(store, None).await, 4);
    assert_eq!(count(store, Some(MovementStatus::Unmatched)).await, 3);
    assert_eq!(store.invoice(inv.id).await.unwrap().status, "paid");
}

pub async fn a_file_for_an_unknown_account_is_refused_whole(store: &Store) {
    let (_, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    let mut stranger = statement_numbered("1", date(2026, 6, 21), vec![movement("X", 500, None)]);
    stranger.account_iban = "BE71096123456769".into();
    let report = import(
        store,
        &file(vec![
            statement_numbered(
                "12",
                date(2026, 6, 20),
                vec![movement("P", 121_000, Some(&ogm))],
            ),
            stranger,
        ]),
    )
    .await;
    let refusal = report.refusal.clone().unwrap();
    assert_eq!(refusal.code, "account-unknown");
    assert_eq!(refusal.detail, "BE71096123456769");
    // Nothing of the file is imported: not even its first, valid statement.
    assert_eq!(counts(&report), (0, 0, 0, 0, 0, 0));
    assert_eq!(count(store, None).await, 0);
    assert_eq!(store.invoice(inv.id).await.unwrap().paid_cents, 0);
    let history = store.bank_imports(PageRequest::default()).await.unwrap();
    assert_eq!(history.items[0].status, "refused");
}

pub async fn statements_continue_per_account(store: &Store) {
    fixture(store).await;
    let s12 = file(vec![statement_numbered(
        "12",
        date(2026, 6, 20),
        vec![movement("A", 100, None)],
    )]);
    import(store, &s12).await;
    // 15 after 12: two statements are missing, reported, imported.
    let s15 = file(vec![statement_numbered(
        "15",
        date(2026, 6, 25),
        vec![movement("B", 100, None)],
    )]);
    let report = import(store, &s15).await;
    assert!(report.refusal.is_none());
    assert_eq!(report.notices.iter().filter(|n| n.code == "gap").count(), 1);
    // 13, older than 15 and never seen: out of sequence, refused.
    let s13 = file(vec![statement_numbered(
        "13",
        date(2026, 6, 22),
        vec![movement("C", 100, None)],
    )]);
    let refused = import(store, &s13).await;
    assert_eq!(refused.refusal.unwrap().code, "out-of-sequence");
    assert_eq!(count(store, None).await, 2);
    // 12 again (a file imported before): nothing new, not refused.
    let again = import(store, &s12).await;
    assert!(again.refusal.is_none());
    assert_eq!(again.already_known, 1);
}

pub async fn partial_and_over_payments(store: &Store) {
    let (f, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    import(store, &one(vec![movement("P1", 50_000, Some(&ogm))])).await;
    let partly = store.invoice(inv.id).await.unwrap();
    assert_eq!(
        (partly.status.as_str(), partly.paid_cents),
        ("partially_paid", 50_000)
    );
    // The client pays 80,000 where 71,000 is due: 9,000 waits in suspense.
    import(store, &one(vec![movement("P2", 80_000, Some(&ogm))])).await;
    let paid = store.invoice(inv.id).await.unwrap();
    assert_eq!((paid.status.as_str(), paid.paid_cents), ("paid", 121_000));
    assert_eq!(balance(store, AccountCode::Suspense).await, -9_000);
    assert_eq!(
        balance(store, AccountCode::EntityBank(f.entity)).await,
        130_000
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    // A third payment to a paid invoice waits for a person.
    let report = import(store, &one(vec![movement("P3", 1_000, Some(&ogm))])).await;
    assert_eq!(report.lines[0].detail.as_deref(), Some("invoice-closed"));
}

pub async fn one_payment_for_several_invoices(store: &Store) {
    let f = fixture(store).await;
    let first = invoice_of(store, &f, 10_000).await;
    let second = invoice_of(store, &f, 20_000).await;
    let text = format!(
        "factures {} et {}",
        first.number.clone().unwrap(),
        second.number.clone().unwrap()
    );
    let report = import(
        store,
        &one(vec![with_text(movement("S", 36_300, None), &text)]),
    )
    .await;
    assert_eq!(report.matched, 1);
    for inv in [&first, &second] {
        let after = store.invoice(inv.id).await.unwrap();
        assert_eq!(after.status, "paid", "{:?}", inv.number);
    }
    let id = movement_id(store, "S").await;
    let payments = store.movement_payments(id).await.unwrap();
    assert_eq!(payments.iter().map(|p| p.amount_cents).sum::<i64>(), 36_300);
    assert_eq!(store.trial_balance().await.unwrap(), 0);
}

pub async fn a_returned_payment_reopens_the_invoice(store: &Store) {
    let (f, inv) = issued_invoice(store).await;
    let ogm = inv.structured_communication.clone().unwrap();
    import(store, &one(vec![movement("IN", 121_000, Some(&ogm))])).await;
    let mut back = movement("BACK", -121_000, Some(&ogm));
    back.reversal = true;
    let report = import(
        store,
        &file(vec![statement_numbered(
            "13",
            date(2026, 6, 22),
            vec![back],
        )]),
    )
    .await;
    assert_eq!(counts(&report), (1, 1, 0, 0, 1, 0));
    let reopened = store.invoice(inv.id).await.unwrap();
    assert_eq!(
        (reopened.status.as_str(), reopened.paid_cents),
        ("issued", 0)
    );
    // Budget, contribution and bank are as before the payment.
    assert_eq!(
        balance(store, AccountCode::ActivityBudget(f.activity)).await,
        0
    );
    assert_eq!(balance(store, AccountCode::EntityBank(f.entity)).await, 0);
    assert_eq!(
        balance(store, AccountCode::EntityContribution(f.entity)).await,
        0
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
}

pub async fn matching_by_hand_and_undoing_it_are_audited(store: &Store) {
    let f = fixture(store).await;
    let first = invoice_of(store, &f, 10_000).await;
    let second = invoice_of(store, &f, 20_000).await;
    import(store, &one(vec![movement("M", 30_000, None)])).await;
    let id = movement_id(store, "M").await;
    // Shares that do not add up to the amount are refused; nothing changes.
    let wrong = store
        .match_movement(&ctx(), id, &[(first.id, 12_100), (second.id, 10_000)])
        .await;
    assert!(matches!(wrong, Err(StoreError::Conflict("allocation-sum"))));
    assert_eq!(store.invoice(first.id).await.unwrap().paid_cents, 0);
    let matched = store
        .match_movement(&ctx(), id, &[(first.id, 12_100), (second.id, 17_900)])
        .await
        .unwrap();
    assert_eq!(matched.status().unwrap(), MovementStatus::Matched);
    assert_eq!(store.invoice(first.id).await.unwrap().status, "paid");
    let second_after = store.invoice(second.id).await.unwrap();
    assert_eq!(
        (second_after.status.as_str(), second_after.paid_cents),
        ("partially_paid", 17_900)
    );
    // Matching twice is refused.
    assert!(
        store
            .match_movement(&ctx(), id, &[(second.id, 30_000)])
            .await
            .is_err()
    );
    let undone = store
        .unmatch_movement(&ctx(), id, date(2026, 6, 21))
        .await
        .unwrap();
    assert_eq!(undone.status().unwrap(), MovementStatus::Unmatched);
    for inv in [&first, &second] {
        let after = store.invoice(inv.id).await.unwrap();
        assert_eq!((after.status.as_str(), after.paid_cents), ("issued", 0));
    }
    assert_eq!(
        balance(store, AccountCode::ActivityBudget(f.activity)).await,
        0
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    let audit = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("bank_movement".into()),
                entity_id: Some(id),
                ..AuditFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["unmatch", "match"]);
    // Set aside with a reason, and back.
    assert!(store.ignore_movement(&ctx(), id, Some("  ")).await.is_err());
    let long = "x".repeat(201);
    assert!(matches!(
        store.ignore_movement(&ctx(), id, Some(&long)).await,
        Err(StoreError::Conflict("reason-too-long"))
    ));
    let ignored = store
        .ignore_movement(&ctx(), id, Some("bank charges"))
        .await
        .unwrap();
    assert_eq!(
        (ignored.status.as_str(), ignored.note.as_deref()),
        ("ignored", Some("bank charges"))
    );
    let back = store.ignore_movement(&ctx(), id, None).await.unwrap();
    assert_eq!(back.status().unwrap(), MovementStatus::Unmatched);
}

pub async fn a_payout_coming_back_with_its_end_to_end_id_is_paid(store: &Store) {
    use ruche_domain::payout::{PayoutRequest, PayoutStatus};
    let f = fixture(store).await;
    let order = PayoutRequest {
        kind: "expense".into(),
        entity_id: f.entity,
        beneficiary_name: "Hélène Dubois".into(),
        iban: "BE71096123456769".into(),
        street: Some("Rue Basse".into()),
        building_number: Some("2".into()),
        postcode: Some("4000".into()),
        town: "Liège".into(),
        country: "BE".into(),
        amount_cents: 4200,
        remittance: Some("Frais de déplacement".into()),
        requested_on: "2026-06-15".into(),
        ..PayoutRequest::default()
    }
    .parse()
    .unwrap();
    let payout = store.create_payout(&ctx(), &order).await.unwrap();
    store
        .create_payout_batch(&ctx(), f.entity, date(2026, 6, 19), |draft| {
            Ok(draft.message_id.clone())
        })
        .await
        .unwrap();
    let e2e = payout.end_to_end().unwrap().to_string();
    // Another amount with the same id is not this order: it waits.
    let mut wrong = movement("OUT-0", -4100, None);
    wrong.end_to_end_id = Some(e2e.clone());
    let mut out = movement("OUT-1", -4200, None);
    out.end_to_end_id = Some(e2e);
    let report = import(store, &one(vec![wrong, out])).await;
    assert_eq!((report.matched, report.unmatched), (1, 1));
    assert_eq!(
        store.payout(payout.id).await.unwrap().status().unwrap(),
        PayoutStatus::Paid
    );
    assert_eq!(
        balance(store, AccountCode::EntityBank(f.entity)).await,
        -4200
    );
    assert_eq!(balance(store, AccountCode::ExpensesPayable).await, 4200);
    // The settlement is the bank's record: it is not undone from the queue.
    let id = movement_id(store, "OUT-1").await;
    assert!(matches!(
        store.unmatch_movement(&ctx(), id, date(2026, 6, 21)).await,
        Err(StoreError::Conflict("movement-is-a-return"))
    ));
}

pub async fn the_activity_sees_its_unpaid_invoices_until_they_are_paid(store: &Store) {
    let (f, inv) = issued_invoice(store).await;
    let due: jiff::civil::Date = inv.due_date.clone().unwrap().parse().unwrap();
    // Not before the due date.
    assert!(
        store
            .unpaid_invoices_of_activity(f.activity, due)
            .await
            .unwrap()
            .is_empty()
    );
    let later = due.checked_add(jiff::Span::new().days(10)).unwrap();
    let unpaid = store
        .unpaid_invoices_of_activity(f.activity, later)
        .await
        .unwrap();
    assert_eq!(unpaid.len(), 1);
    assert_eq!((unpaid[0].id, unpaid[0].due_cents), (inv.id, 121_000));
    assert_eq!(
        (
            unpaid[0].last_reminder_level,
            unpaid[0].recovery_status.clone()
        ),
        (None, None)
    );
    let ogm = inv.structured_communication.clone().unwrap();
    import(store, &one(vec![movement("PAID", 121_000, Some(&ogm))])).await;
    assert!(
        store
            .unpaid_invoices_of_activity(f.activity, later)
            .await
            .unwrap()
            .is_empty()
    );
}
