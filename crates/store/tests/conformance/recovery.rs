//! Debt recovery: the stages of a case, the member consulted before the formal notice, the
//! write-off charged to the guarantee fund, the history of an invoice, the pipeline.

use jiff::civil::{Date, date};
use ruche_domain::Role;
use ruche_domain::invoicing::VatCategory;
use ruche_domain::ledger::AccountCode;
use ruche_domain::person::PersonForm;
use ruche_domain::recovery::{
    EntryDocument, EntryKind, FollowUp, NewEntry, RecoveryEvent, RecoveryStatus,
};
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::audit::AuditFilter;
use ruche_store::invoices::InvoiceRecord;
use ruche_store::recovery::{HistoryKind, MemberNotice};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, ctx};
use crate::invoices::{Fixture, draft, line};

/// An issued invoice of 1.000,00 € + 21 % VAT (1.210,00 €), issued on 2 March 2026.
async fn issued(store: &Store) -> (Fixture, InvoiceRecord) {
    let entity = fixtures::cooperative(store).await;
    let office = fixtures::office(store, "Liège").await;
    let person = PersonForm {
        first_name: "Ana".into(),
        last_name: "Lumen".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "nl".into(),
        email: "ana@example.be".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let holder = store.save_person(&ctx(), None, &person).await.unwrap().id;
    let activity = fixtures::activity(store, "Studio", office, holder, true).await;
    let client = fixtures::company(store, "fr").await;
    let f = Fixture {
        entity,
        activity,
        client,
    };
    let d = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Concert", 1, 100_000, 2100)]),
        )
        .await
        .unwrap();
    let inv = store
        .issue_invoice(&ctx(), d.id, date(2026, 3, 2))
        .await
        .unwrap()
        .record;
    (f, inv)
}

fn entry(kind: EntryKind, on: Date) -> NewEntry {
    NewEntry {
        kind,
        on,
        text: None,
        cost_cents: None,
        promised_on: None,
        document: None,
    }
}

fn event(e: RecoveryEvent, on: Date) -> NewEntry {
    entry(EntryKind::Transition(e), on)
}

async fn status(store: &Store, invoice_id: i64) -> RecoveryStatus {
    store
        .recovery_case(invoice_id)
        .await
        .unwrap()
        .unwrap()
        .status()
        .unwrap()
}

fn refused<T: std::fmt::Debug>(result: Result<T, StoreError>, code: &str) {
    match result {
        Err(StoreError::Conflict(c)) => assert_eq!(c, code),
        other => panic!("expected conflict {code}, got {other:?}"),
    }
}

pub async fn a_case_moves_forward_through_its_stages_and_never_back(store: &Store) {
    let (_, inv) = issued(store).await;
    let recipients = store.recovery_recipients(inv.id).await.unwrap();
    assert_eq!(recipients.len(), 1);
    assert_eq!(recipients[0].email, "ana@example.be");
    assert_eq!(recipients[0].language, "nl");
    let notice = MemberNotice {
        to: recipients[0].email.clone(),
        subject: "Invordering F2026-00001".into(),
        body: "U kunt bezwaar maken.".into(),
    };
    let mails_before = store
        .mails(None, true, PageRequest::default())
        .await
        .unwrap()
        .total;
    let case = store
        .open_recovery(
            &ctx(),
            inv.id,
            date(2026, 5, 4),
            Some("third reminder unanswered"),
            &[notice],
        )
        .await
        .unwrap();
    assert_eq!(case.status().unwrap(), RecoveryStatus::MemberInformed);
    assert_eq!(case.consultation_deadline, "2026-05-14");
    let mails = store
        .mails(None, true, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, mails_before + 1);
    assert!(mails.items.iter().any(|m| m.to_address == "ana@example.be"));
    // One open case per invoice.
    refused(
        store
            .open_recovery(&ctx(), inv.id, date(2026, 5, 5), None, &[])
            .await,
        "recovery-already-open",
    );

    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::NoObjection, date(2026, 5, 6)),
        )
        .await
        .unwrap();
    let mut notice = event(RecoveryEvent::SendFormalNotice, date(2026, 5, 7));
    notice.cost_cents = Some(1_200);
    notice.document = Some(EntryDocument {
        filename: "mise-en-demeure.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"%PDF-1.7 formal notice".to_vec(),
    });
    store
        .record_recovery_entry(&ctx(), inv.id, &notice)
        .await
        .unwrap();
    assert_eq!(status(store, inv.id).await, RecoveryStatus::FormalNotice);
    // Skipping forward is allowed: straight to court.
    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::TakeToCourt, date(2026, 6, 1)),
        )
        .await
        .unwrap();
    assert_eq!(status(store, inv.id).await, RecoveryStatus::Court);
    // Never back, and never an entry dated before the case opened.
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                inv.id,
                &event(RecoveryEvent::HandToBailiff, date(2026, 6, 2)),
            )
            .await,
        "recovery-transition-refused",
    );
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                inv.id,
                &entry(EntryKind::FollowUp(FollowUp::Call), date(2026, 5, 1)),
            )
            .await,
        "recovery-date-before-opening",
    );
    // Closing is the invoice's business (paid or credited), never recorded by hand.
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                inv.id,
                &event(RecoveryEvent::Close, date(2026, 6, 2)),
            )
            .await,
        "recovery-transition-refused",
    );
    assert_eq!(status(store, inv.id).await, RecoveryStatus::Court);

    let case = store.recovery_case(inv.id).await.unwrap().unwrap();
    let entries = store.recovery_entries(case.id).await.unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["opened", "no-objection", "formal-notice", "court"]);
    let with_document = &entries[2];
    assert_eq!(with_document.cost_cents, Some(1_200));
    assert_eq!(with_document.status_after, "formal-notice");
    assert_eq!(with_document.document_size, 22);
    let doc = store.recovery_document(with_document.id).await.unwrap();
    assert_eq!(doc.filename, "mise-en-demeure.pdf");
    assert_eq!(doc.content, b"%PDF-1.7 formal notice");
    assert!(matches!(
        store.recovery_document(entries[1].id).await,
        Err(StoreError::NotFound)
    ));
    // Every write is in the audit log.
    let audit = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("recovery_case".into()),
                entity_id: Some(case.id),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(audit.total, 4);
}

pub async fn the_member_is_consulted_before_the_formal_notice(store: &Store) {
    let (_, inv) = issued(store).await;
    store
        .open_recovery(&ctx(), inv.id, date(2026, 5, 4), None, &[])
        .await
        .unwrap();
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                inv.id,
                &event(RecoveryEvent::SendFormalNotice, date(2026, 5, 5)),
            )
            .await,
        "recovery-transition-refused",
    );
    // The deadline has not passed: the consultation is still running.
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                inv.id,
                &event(RecoveryEvent::ConsultationExpired, date(2026, 5, 14)),
            )
            .await,
        "recovery-consultation-running",
    );
    let mut objection = event(RecoveryEvent::Object, date(2026, 5, 8));
    objection.text = Some("The client disputes the second day; I am settling it.".into());
    let case = store
        .record_recovery_entry(&ctx(), inv.id, &objection)
        .await
        .unwrap();
    assert_eq!(case.status().unwrap(), RecoveryStatus::MemberObjected);
    assert_eq!(
        case.objection.as_deref(),
        Some("The client disputes the second day; I am settling it.")
    );
    assert_eq!(case.objected_on.as_deref(), Some("2026-05-08"));
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                inv.id,
                &event(RecoveryEvent::SendFormalNotice, date(2026, 5, 20)),
            )
            .await,
        "recovery-transition-refused",
    );
    // The accountant goes on: now the formal notice may go out.
    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::GoOn, date(2026, 5, 20)),
        )
        .await
        .unwrap();
    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::SendFormalNotice, date(2026, 5, 21)),
        )
        .await
        .unwrap();
    assert_eq!(status(store, inv.id).await, RecoveryStatus::FormalNotice);

    // A second invoice: nobody answers, the deadline passes.
    let d = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&fixture_of(&inv), vec![line("Atelier", 1, 20_000, 2100)]),
        )
        .await
        .unwrap();
    let second = store
        .issue_invoice(&ctx(), d.id, date(2026, 3, 3))
        .await
        .unwrap()
        .record;
    store
        .open_recovery(&ctx(), second.id, date(2026, 5, 4), None, &[])
        .await
        .unwrap();
    store
        .record_recovery_entry(
            &ctx(),
            second.id,
            &event(RecoveryEvent::ConsultationExpired, date(2026, 5, 15)),
        )
        .await
        .unwrap();
    assert_eq!(
        status(store, second.id).await,
        RecoveryStatus::MemberConsulted
    );
    // Or the accountant stops: the case is closed and a new one may be opened later.
    store
        .record_recovery_entry(
            &ctx(),
            second.id,
            &event(RecoveryEvent::Stop, date(2026, 5, 16)),
        )
        .await
        .unwrap();
    let stopped = store.recovery_case(second.id).await.unwrap().unwrap();
    assert_eq!(stopped.status().unwrap(), RecoveryStatus::Stopped);
    assert_eq!(stopped.closed_on.as_deref(), Some("2026-05-16"));
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                second.id,
                &entry(EntryKind::FollowUp(FollowUp::Note), date(2026, 5, 17)),
            )
            .await,
        "recovery-closed",
    );
    let again = store
        .open_recovery(&ctx(), second.id, date(2026, 9, 1), None, &[])
        .await
        .unwrap();
    assert_ne!(again.id, stopped.id);
    assert_eq!(
        status(store, second.id).await,
        RecoveryStatus::MemberInformed
    );
}

fn fixture_of(inv: &InvoiceRecord) -> Fixture {
    Fixture {
        entity: inv.entity_id,
        activity: inv.activity_id,
        client: inv.client_id,
    }
}

pub async fn a_write_off_charges_the_guarantee_fund_not_the_member(store: &Store) {
    let (f, inv) = issued(store).await;
    // 210,00 € paid: 1.000,00 € still due, of which 826,45 € net and 173,55 € VAT.
    store
        .record_payment(&ctx(), inv.id, 21_000, date(2026, 4, 2), None)
        .await
        .unwrap();
    store
        .open_recovery(&ctx(), inv.id, date(2026, 5, 4), None, &[])
        .await
        .unwrap();
    // Not before the debt was formally claimed.
    refused(
        store
            .write_off_invoice(&ctx(), inv.id, date(2026, 5, 5), None)
            .await,
        "recovery-transition-refused",
    );
    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::NoObjection, date(2026, 5, 5)),
        )
        .await
        .unwrap();
    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::SendFormalNotice, date(2026, 5, 6)),
        )
        .await
        .unwrap();
    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::HandToBailiff, date(2026, 6, 6)),
        )
        .await
        .unwrap();

    let bal = |code: AccountCode| async move { store.account_balance(&code, None).await.unwrap() };
    let vat = AccountCode::VatPayable {
        category: VatCategory::S,
        rate_bp: 2100,
    };
    let budget_before = bal(AccountCode::ActivityBudget(f.activity)).await;
    let vat_before = bal(vat).await;
    assert_eq!(bal(AccountCode::ClientReceivable(f.client)).await, 100_000);

    let case = store
        .write_off_invoice(
            &ctx(),
            inv.id,
            date(2026, 9, 30),
            Some("bailiff: nothing to seize"),
        )
        .await
        .unwrap();
    assert_eq!(case.status().unwrap(), RecoveryStatus::WrittenOff);
    assert_eq!(case.closed_on.as_deref(), Some("2026-09-30"));
    let tx_id = case.write_off_transaction_id.unwrap();
    let tx = store.transaction(tx_id).await.unwrap();
    assert_eq!(tx.kind, ruche_domain::ledger::TransactionKind::WriteOff);
    assert_eq!(tx.postings.iter().map(|p| p.amount_cents).sum::<i64>(), 0);

    assert_eq!(bal(AccountCode::ClientReceivable(f.client)).await, 0);
    // The VAT of the lost part is recovered (VAT Code art. 77 §1 7°).
    assert_eq!(bal(vat).await - vat_before, 17_355);
    // The memo of what is invoiced and unpaid is cleared to the cent.
    assert_eq!(bal(AccountCode::ActivityInvoiced(f.activity)).await, 0);
    // The member's budget receives the net amount; the fund bears it.
    assert_eq!(
        bal(AccountCode::ActivityBudget(f.activity)).await - budget_before,
        -82_645
    );
    assert_eq!(bal(AccountCode::GuaranteeFund).await, 82_645);
    assert_eq!(store.trial_balance().await.unwrap(), 0);

    let after = store.invoice(inv.id).await.unwrap();
    assert_eq!(after.status, "written_off");
    // Nothing more: no payment, no second write-off, no follow-up.
    refused(
        store
            .record_payment(&ctx(), inv.id, 100, date(2026, 10, 1), None)
            .await,
        "invoice-not-open",
    );
    refused(
        store
            .write_off_invoice(&ctx(), inv.id, date(2026, 10, 1), None)
            .await,
        "recovery-closed",
    );
    refused(
        store
            .open_recovery(&ctx(), inv.id, date(2026, 10, 1), None, &[])
            .await,
        "invoice-not-open",
    );
    let pipeline = store.recovery_pipeline().await.unwrap();
    let written_off = pipeline
        .iter()
        .find(|s| s.status == RecoveryStatus::WrittenOff)
        .unwrap();
    assert_eq!((written_off.cases, written_off.due_cents), (1, 100_000));
}

pub async fn the_history_of_an_invoice_is_in_order_with_its_authors(store: &Store) {
    let (f, inv) = issued(store).await;
    let person = PersonForm {
        first_name: "Chris".into(),
        last_name: "Compta".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let account = NewAccount {
        email: "compta@example.be".into(),
        password_hash: "hash".into(),
        language: None,
        roles: vec![RoleGrant {
            role: Role::Accountant,
            office_id: None,
        }],
    };
    let (_, accountant) = store
        .create_person_with_account(&ctx(), &person, &account)
        .await
        .unwrap();
    let as_accountant = ruche_store::AuditContext::account(accountant.id, None);
    store
        .record_payment(
            &as_accountant,
            inv.id,
            10_000,
            date(2026, 4, 1),
            Some("part"),
        )
        .await
        .unwrap();
    store
        .open_recovery(&as_accountant, inv.id, date(2026, 5, 4), None, &[])
        .await
        .unwrap();
    let mut promise = entry(
        EntryKind::FollowUp(FollowUp::PromiseToPay),
        date(2026, 5, 5),
    );
    promise.promised_on = Some(date(2026, 5, 31));
    promise.text = Some("phoned the client".into());
    store
        .record_recovery_entry(&as_accountant, inv.id, &promise)
        .await
        .unwrap();
    // A credit note for part of the invoice, issued later.
    let mut credit = draft(&f, vec![line("Concert (réduction)", 1, 10_000, 2100)]);
    credit.kind = ruche_domain::invoicing::DocumentKind::CreditNote;
    credit.corrects_invoice_id = Some(inv.id);
    let note = store
        .save_invoice_draft(&ctx(), None, &credit)
        .await
        .unwrap();
    store
        .issue_invoice(&ctx(), note.id, date(2026, 5, 10))
        .await
        .unwrap();

    let history = store.invoice_history(inv.id).await.unwrap();
    let lines: Vec<(HistoryKind, &str, &str)> = history
        .iter()
        .map(|h| (h.kind, h.code.as_str(), h.on.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (HistoryKind::Issued, "issued", "2026-03-02"),
            (HistoryKind::Payment, "payment", "2026-04-01"),
            (HistoryKind::Recovery, "opened", "2026-05-04"),
            (HistoryKind::Recovery, "promise-to-pay", "2026-05-05"),
            (HistoryKind::CreditNote, "credit-note", "2026-05-10"),
        ]
    );
    assert_eq!(history[0].amount_cents, Some(121_000));
    assert_eq!(history[1].amount_cents, Some(10_000));
    assert_eq!(history[1].author.as_deref(), Some("compta@example.be"));
    assert_eq!(history[1].detail.as_deref(), Some("part"));
    assert_eq!(history[3].author.as_deref(), Some("compta@example.be"));
    assert_eq!(history[3].promised_on.as_deref(), Some("2026-05-31"));
    assert_eq!(history[3].detail.as_deref(), Some("phoned the client"));
    assert_eq!(history[4].amount_cents, Some(12_100));
    assert_eq!(history[4].detail.as_deref(), Some("NC2026-00001"));
    // A draft has no history.
    let d = store
        .save_invoice_draft(&ctx(), None, &draft(&f, vec![line("X", 1, 100, 2100)]))
        .await
        .unwrap();
    assert!(store.invoice_history(d.id).await.unwrap().is_empty());
}

pub async fn a_case_closes_when_the_invoice_is_paid(store: &Store) {
    let (_, inv) = issued(store).await;
    store
        .open_recovery(&ctx(), inv.id, date(2026, 5, 4), None, &[])
        .await
        .unwrap();
    store
        .record_recovery_entry(
            &ctx(),
            inv.id,
            &event(RecoveryEvent::NoObjection, date(2026, 5, 5)),
        )
        .await
        .unwrap();
    let pipeline = store.recovery_pipeline().await.unwrap();
    let consulted = |p: &[ruche_store::recovery::StageTotal], s: RecoveryStatus| {
        p.iter()
            .find(|t| t.status == s)
            .map(|t| (t.cases, t.due_cents))
            .unwrap()
    };
    assert_eq!(
        consulted(&pipeline, RecoveryStatus::MemberConsulted),
        (1, 121_000)
    );
    store
        .record_payment(&ctx(), inv.id, 121_000, date(2026, 5, 12), None)
        .await
        .unwrap();
    assert_eq!(status(store, inv.id).await, RecoveryStatus::Closed);
    refused(
        store
            .record_recovery_entry(
                &ctx(),
                inv.id,
                &event(RecoveryEvent::SendFormalNotice, date(2026, 5, 13)),
            )
            .await,
        "recovery-closed",
    );
    let pipeline = store.recovery_pipeline().await.unwrap();
    assert_eq!(
        consulted(&pipeline, RecoveryStatus::MemberConsulted),
        (0, 0)
    );
    assert_eq!(consulted(&pipeline, RecoveryStatus::Closed), (1, 0));
    let closed = store
        .recovery_cases(Some(RecoveryStatus::Closed), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(closed.total, 1);
    assert_eq!(closed.items[0].invoice_id, inv.id);
    assert_eq!(closed.items[0].status, "closed");
}

pub async fn the_pipeline_counts_and_pages_the_cases_per_stage(store: &Store) {
    let (f, first) = issued(store).await;
    let mut invoices = vec![first];
    for i in 0..4 {
        let d = store
            .save_invoice_draft(
                &ctx(),
                None,
                &draft(&f, vec![line("Atelier", 1, 10_000 * (i + 1), 2100)]),
            )
            .await
            .unwrap();
        invoices.push(
            store
                .issue_invoice(&ctx(), d.id, date(2026, 3, 3))
                .await
                .unwrap()
                .record,
        );
    }
    for (i, inv) in invoices.iter().enumerate() {
        let day = i8::try_from(i).unwrap() + 1;
        store
            .open_recovery(&ctx(), inv.id, date(2026, 5, day), None, &[])
            .await
            .unwrap();
        if i >= 2 {
            store
                .record_recovery_entry(
                    &ctx(),
                    inv.id,
                    &event(RecoveryEvent::NoObjection, date(2026, 5, 10)),
                )
                .await
                .unwrap();
            store
                .record_recovery_entry(
                    &ctx(),
                    inv.id,
                    &event(RecoveryEvent::SendFormalNotice, date(2026, 5, 11)),
                )
                .await
                .unwrap();
        }
    }
    let pipeline = store.recovery_pipeline().await.unwrap();
    assert_eq!(pipeline.len(), RecoveryStatus::ALL.len());
    let at = |s: RecoveryStatus| {
        pipeline
            .iter()
            .find(|t| t.status == s)
            .map(|t| (t.cases, t.due_cents))
            .unwrap()
    };
    // 1.210,00 + 121,00 (informed); 242,00 + 363,00 + 484,00 (formal notice).
    assert_eq!(at(RecoveryStatus::MemberInformed), (2, 133_100));
    assert_eq!(at(RecoveryStatus::FormalNotice), (3, 108_900));
    assert_eq!(at(RecoveryStatus::Court), (0, 0));

    let page1 = store
        .recovery_cases(Some(RecoveryStatus::FormalNotice), PageRequest::new(1, 2))
        .await
        .unwrap();
    assert_eq!((page1.total, page1.items.len(), page1.pages()), (3, 2, 2));
    assert_eq!(page1.items[0].invoice_id, invoices[2].id);
    assert_eq!(page1.items[0].last_entry_on.as_deref(), Some("2026-05-11"));
    assert_eq!(page1.items[0].client_name, "Théâtre");
    let page2 = store
        .recovery_cases(Some(RecoveryStatus::FormalNotice), PageRequest::new(2, 2))
        .await
        .unwrap();
    assert_eq!(page2.items.len(), 1);
    assert_eq!(page2.items[0].invoice_id, invoices[4].id);
    let all = store
        .recovery_cases(None, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 5);
}
