//! Invoices and credit notes: gap-free numbering, immutability, ledger postings, payments.

use std::collections::HashSet;

use jiff::civil::date;
use ruche_domain::Language;
use ruche_domain::invoicing::{DocumentKind, LineInput, VatCategory};
use ruche_domain::ledger::AccountCode;
use ruche_store::invoices::{DraftInvoice, InvoiceFilter};
use ruche_store::{PageRequest, Store, StoreError};
use rust_decimal::Decimal;

use crate::fixtures::{self, ctx};

pub struct Fixture {
    pub entity: i64,
    pub activity: i64,
    pub client: i64,
}

pub async fn fixture(store: &Store) -> Fixture {
    let entity = fixtures::cooperative(store).await;
    let activity = fixtures::active_activity(store).await;
    let client = fixtures::company(store, "fr").await;
    Fixture {
        entity,
        activity,
        client,
    }
}

pub fn line(description: &str, quantity: i64, price_cents: i64, rate_bp: u32) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: Decimal::from(quantity),
        unit: "HUR".into(),
        unit_price: Decimal::new(price_cents, 2),
        vat_category: VatCategory::S,
        vat_rate_bp: rate_bp,
    }
}

pub fn draft(f: &Fixture, lines: Vec<LineInput>) -> DraftInvoice {
    DraftInvoice {
        kind: DocumentKind::Invoice,
        activity_id: f.activity,
        client_id: f.client,
        entity_id: f.entity,
        quote_id: None,
        corrects_invoice_id: None,
        due_days: 30,
        language: Language::Fr,
        order_reference: Some("BC-1".into()),
        note: None,
        lines,
    }
}

pub async fn an_issued_invoice_is_numbered_frozen_and_posted(store: &Store) {
    let f = fixture(store).await;
    let d = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(
                &f,
                vec![
                    line("Concert", 2, 50_000, 2100),
                    line("Livret", 3, 1_000, 600),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(d.status, "draft");
    assert_eq!(
        (d.tax_exclusive_cents, d.tax_cents, d.tax_inclusive_cents),
        (103_000, 21_180, 124_180)
    );
    let issued = store
        .issue_invoice(&ctx(), d.id, date(2026, 3, 2))
        .await
        .unwrap();
    assert_eq!(issued.record.number.as_deref(), Some("F2026-00001"));
    assert_eq!(issued.record.due_date.as_deref(), Some("2026-04-01"));
    let ogm = issued.record.structured_communication.clone().unwrap();
    assert!(ruche_domain::ident::Ogm::parse(&ogm).is_ok(), "{ogm}");
    // Frozen: no second issue, no edit; the snapshot matches its hash.
    assert!(matches!(
        store.issue_invoice(&ctx(), d.id, date(2026, 3, 2)).await,
        Err(StoreError::Conflict(_))
    ));
    let edit = store
        .save_invoice_draft(
            &ctx(),
            Some(d.id),
            &draft(&f, vec![line("X", 1, 100, 2100)]),
        )
        .await;
    assert!(matches!(
        edit,
        Err(StoreError::Conflict("invoice-not-editable"))
    ));
    let doc = store.issued_document(d.id).await.unwrap();
    assert_eq!(doc.totals.payable_cents, 124_180);
    assert_eq!(doc.number, "F2026-00001");
    // The ledger: receivable gross, VAT per rate, the activity's invoiced net.
    let bal = |code: AccountCode| async move { store.account_balance(&code, None).await.unwrap() };
    assert_eq!(bal(AccountCode::ClientReceivable(f.client)).await, 124_180);
    assert_eq!(
        bal(AccountCode::VatPayable {
            category: VatCategory::S,
            rate_bp: 2100
        })
        .await,
        -21_000
    );
    assert_eq!(
        bal(AccountCode::VatPayable {
            category: VatCategory::S,
            rate_bp: 600
        })
        .await,
        -180
    );
    assert_eq!(
        bal(AccountCode::ActivityInvoiced(f.activity)).await,
        -103_000
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    let second = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Concert", 1, 10_000, 2100)]),
        )
        .await
        .unwrap();
    let second = store
        .issue_invoice(&ctx(), second.id, date(2026, 3, 3))
        .await
        .unwrap();
    assert_eq!(second.record.number.as_deref(), Some("F2026-00002"));
    assert_ne!(
        second.record.structured_communication,
        issued.record.structured_communication
    );
    // A later number may not carry an earlier date.
    let third = store
        .save_invoice_draft(&ctx(), None, &draft(&f, vec![line("X", 1, 100, 2100)]))
        .await
        .unwrap();
    let back = store
        .issue_invoice(&ctx(), third.id, date(2026, 3, 1))
        .await;
    assert!(matches!(
        back,
        Err(StoreError::Conflict("issue-date-before-last"))
    ));
    let found = store
        .invoice_by_number(f.entity, "F2026-00002")
        .await
        .unwrap();
    assert_eq!(found.id, second.record.id);
    let mine = InvoiceFilter {
        activity_id: Some(f.activity),
        ..Default::default()
    };
    assert_eq!(
        store
            .invoices(&mine, PageRequest::default())
            .await
            .unwrap()
            .total,
        3
    );
    // The year filter counts issued documents of that year only (the draft has no date).
    let count_in = |year| {
        let filter = InvoiceFilter {
            activity_id: Some(f.activity),
            issue_year: Some(year),
            ..Default::default()
        };
        async move {
            store
                .invoices(&filter, PageRequest::default())
                .await
                .unwrap()
                .total
        }
    };
    assert_eq!(count_in(2026).await, 2);
    assert_eq!(count_in(2025).await, 0);
}

pub async fn invoices_issued_concurrently_get_every_number_once(store: &Store) {
    let f = fixture(store).await;
    const ISSUERS: i64 = 6;
    const EACH: i64 = 5;
    let mut drafts = Vec::new();
    for i in 0..ISSUERS * EACH {
        let d = store
            .save_invoice_draft(
                &ctx(),
                None,
                &draft(&f, vec![line("Concert", 1, 1_000 + i, 2100)]),
            )
            .await
            .unwrap();
        drafts.push(d.id);
    }
    let mut tasks = Vec::new();
    for chunk in drafts.chunks(usize::try_from(EACH).unwrap()) {
        let store = store.clone();
        let chunk = chunk.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut numbers = Vec::new();
            for id in chunk {
                let issued = store
                    .issue_invoice(&ctx(), id, date(2026, 5, 4))
                    .await
                    .unwrap();
                numbers.push(issued.record.number.unwrap());
            }
            numbers
        }));
    }
    let mut numbers = HashSet::new();
    for t in tasks {
        for n in t.await.unwrap() {
            assert!(numbers.insert(n.clone()), "{n} given twice");
        }
    }
    let expected: HashSet<String> = (1..=ISSUERS * EACH)
        .map(|i| format!("F2026-{i:05}"))
        .collect();
    assert_eq!(numbers, expected, "no gap, no duplicate");
    assert_eq!(store.trial_balance().await.unwrap(), 0);
}

pub async fn a_credit_note_corrects_at_most_what_remains(store: &Store) {
    let f = fixture(store).await;
    let inv = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Concert", 1, 100_000, 2100)]),
        )
        .await
        .unwrap();
    let inv = store
        .issue_invoice(&ctx(), inv.id, date(2026, 6, 1))
        .await
        .unwrap()
        .record;
    let credit = |amount: i64| {
        let mut d = draft(&f, vec![line("Correction", 1, amount, 2100)]);
        d.kind = DocumentKind::CreditNote;
        d.corrects_invoice_id = Some(inv.id);
        d
    };
    let too_much = store
        .save_invoice_draft(&ctx(), None, &credit(100_001))
        .await
        .unwrap();
    let refused = store
        .issue_invoice(&ctx(), too_much.id, date(2026, 6, 2))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Document(_))),
        "{refused:?}"
    );
    let part = store
        .save_invoice_draft(&ctx(), None, &credit(40_000))
        .await
        .unwrap();
    let part = store
        .issue_invoice(&ctx(), part.id, date(2026, 6, 2))
        .await
        .unwrap();
    assert_eq!(part.record.number.as_deref(), Some("NC2026-00001"));
    assert_eq!(
        part.document.corrects.as_ref().map(|c| c.0.as_str()),
        Some("F2026-00001")
    );
    assert_eq!(store.invoice(inv.id).await.unwrap().credited_cents, 48_400);
    let rest = store
        .save_invoice_draft(&ctx(), None, &credit(60_000))
        .await
        .unwrap();
    store
        .issue_invoice(&ctx(), rest.id, date(2026, 6, 3))
        .await
        .unwrap();
    let inv = store.invoice(inv.id).await.unwrap();
    assert_eq!(inv.status, "credited");
    assert_eq!(inv.due_cents(), 0);
    assert_eq!(
        store
            .account_balance(&AccountCode::ClientReceivable(f.client), None)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::ActivityInvoiced(f.activity), None)
            .await
            .unwrap(),
        0
    );
    // The refused credit note stays a draft; the two issued ones are listed with it.
    let notes = store.credit_notes_of(inv.id).await.unwrap();
    assert_eq!(notes.iter().filter(|n| n.status == "issued").count(), 2);
    assert_eq!(notes.len(), 3);
}

pub async fn a_payment_fills_the_budget_less_the_contribution(store: &Store) {
    let f = fixture(store).await;
    let inv = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Concert", 1, 100_000, 2100)]),
        )
        .await
        .unwrap();
    let inv = store
        .issue_invoice(&ctx(), inv.id, date(2026, 6, 1))
        .await
        .unwrap()
        .record;
    let paid = store
        .record_payment(&ctx(), inv.id, 60_500, date(2026, 6, 20), Some("+++…+++"))
        .await
        .unwrap();
    assert_eq!(
        (paid.status.as_str(), paid.paid_cents),
        ("partially_paid", 60_500)
    );
    let paid = store
        .record_payment(&ctx(), inv.id, 60_500, date(2026, 6, 25), None)
        .await
        .unwrap();
    assert_eq!(paid.status, "paid");
    // Net 1,000.00 € reached the budget; 6.5 % contribution = 65.00 €.
    let budget = store
        .account_balance(&AccountCode::ActivityBudget(f.activity), None)
        .await
        .unwrap();
    assert_eq!(budget, -(100_000 - 6_500));
    assert_eq!(
        store
            .account_balance(&AccountCode::ActivityInvoiced(f.activity), None)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::EntityContribution(f.entity), None)
            .await
            .unwrap(),
        -6_500
    );
    assert_eq!(
        store
            .account_balance(&AccountCode::EntityBank(f.entity), None)
            .await
            .unwrap(),
        121_000
    );
    assert_eq!(store.trial_balance().await.unwrap(), 0);
    let again = store
        .record_payment(&ctx(), inv.id, 100, date(2026, 6, 26), None)
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Conflict("invoice-not-open"))
    ));
    assert_eq!(store.invoice_payments(inv.id).await.unwrap().len(), 2);
}

pub async fn a_draft_with_bad_lines_or_for_nobody_writes_nothing(store: &Store) {
    let f = fixture(store).await;
    let negative = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Remise", -1, 1_000, 2100)]),
        )
        .await;
    assert!(matches!(negative, Err(StoreError::Document(_))));
    let bad_rate = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Concert", 1, 1_000, 1900)]),
        )
        .await;
    assert!(matches!(bad_rate, Err(StoreError::Document(_))));
    let mut nobody = draft(&f, vec![line("Concert", 1, 1_000, 2100)]);
    nobody.client_id = 999;
    assert!(matches!(
        store.save_invoice_draft(&ctx(), None, &nobody).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .invoices(&InvoiceFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn partial_payments_move_the_whole_net_amount_to_the_cent(store: &Store) {
    let f = fixture(store).await;
    // 3 × 33.33 € at 21 %: net 99.99 €, gross 120.99 €, paid in three awkward parts.
    let inv = store
        .save_invoice_draft(
            &ctx(),
            None,
            &draft(&f, vec![line("Atelier", 3, 3_333, 2100)]),
        )
        .await
        .unwrap();
    let inv = store
        .issue_invoice(&ctx(), inv.id, date(2026, 6, 1))
        .await
        .unwrap()
        .record;
    assert_eq!(inv.tax_inclusive_cents, 12_099);
    for part in [4_001, 4_001, 4_097] {
        store
            .record_payment(&ctx(), inv.id, part, date(2026, 6, 20), None)
            .await
            .unwrap();
    }
    let invoiced = AccountCode::ActivityInvoiced(f.activity);
    assert_eq!(
        store.account_balance(&invoiced, None).await.unwrap(),
        0,
        "nothing left behind"
    );
    assert_eq!(store.invoice(inv.id).await.unwrap().status, "paid");
    assert_eq!(store.trial_balance().await.unwrap(), 0);
}

/// `issue_invoices` and `record_payments` write many at once in one transaction: the same
/// numbers, postings and audit as one by one, and nothing at all when one of them is refused.
pub async fn a_batch_issues_and_pays_as_one_by_one_and_all_or_nothing(store: &Store) {
    let f = fixture(store).await;
    let on = date(2026, 3, 2);
    let drafts: Vec<DraftInvoice> = (1..=3)
        .map(|n| draft(&f, vec![line("Atelier", n, 10_000, 2100)]))
        .collect();
    let issued = store.issue_invoices(&ctx(), &drafts, on).await.unwrap();
    let numbers: Vec<_> = issued
        .iter()
        .map(|i| i.record.number.clone().unwrap())
        .collect();
    assert_eq!(numbers, ["F2026-00001", "F2026-00002", "F2026-00003"]);
    assert_eq!(
        store
            .account_balance(&AccountCode::ClientReceivable(f.client), None)
            .await
            .unwrap(),
        (12_100 + 24_200 + 36_300)
    );
    // One draft for a client that does not exist: the whole batch is refused, nothing
    // saved, no number used — the next invoice takes the next number.
    let mut bad = drafts.clone();
    bad[1].client_id = i64::MAX;
    assert!(matches!(
        store.issue_invoices(&ctx(), &bad, on).await,
        Err(StoreError::NotFound)
    ));
    let all = InvoiceFilter {
        activity_id: Some(f.activity),
        ..InvoiceFilter::default()
    };
    assert_eq!(
        store
            .invoices(&all, PageRequest::new(1, 50))
            .await
            .unwrap()
            .total,
        3
    );
    let next = store
        .issue_invoices(&ctx(), &drafts[..1], on)
        .await
        .unwrap();
    assert_eq!(next[0].record.number.as_deref(), Some("F2026-00004"));

    // Payments: two in full, one half; then a batch with a refused payment changes nothing.
    let ids: Vec<i64> = issued.iter().map(|i| i.record.id).collect();
    let paid = store
        .record_payments(
            &ctx(),
            &[(ids[0], 12_100), (ids[1], 24_200), (ids[2], 18_150)],
            date(2026, 3, 20),
        )
        .await
        .unwrap();
    let statuses: Vec<_> = paid.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["paid", "paid", "partially_paid"]);
    let budget = store.available_budget(f.activity).await.unwrap();
    assert!(matches!(
        store
            .record_payments(&ctx(), &[(ids[2], 100), (ids[0], 100)], date(2026, 3, 21))
            .await,
        Err(StoreError::Conflict("invoice-not-open"))
    ));
    assert_eq!(store.invoice(ids[2]).await.unwrap().paid_cents, 18_150);
    assert_eq!(store.available_budget(f.activity).await.unwrap(), budget);
}

pub async fn invoices_are_listed_by_every_filter_drafts_then_newest_first(store: &Store) {
    let f = fixture(store).await;
    let consumer = fixtures::consumer(store).await;
    let office = fixtures::office(store, "Liège").await;
    let holder = fixtures::person(store, "Bo").await;
    let other_activity = fixtures::activity(store, "Atelier bois", office, holder, true).await;
    let issue = |mut d: DraftInvoice, on| async move {
        d.lines = vec![line("Concert", 1, 10_000, 2100)];
        let saved = store.save_invoice_draft(&ctx(), None, &d).await.unwrap();
        store
            .issue_invoice(&ctx(), saved.id, on)
            .await
            .unwrap()
            .record
    };
    let to_consumer = DraftInvoice {
        client_id: consumer,
        ..draft(&f, vec![])
    };
    let a1 = issue(draft(&f, vec![]), date(2025, 6, 1)).await;
    let a2 = issue(to_consumer.clone(), date(2026, 2, 1)).await;
    let a3 = issue(
        DraftInvoice {
            activity_id: other_activity,
            ..draft(&f, vec![])
        },
        date(2026, 3, 1),
    )
    .await;
    let mut credit = draft(&f, vec![]);
    credit.activity_id = other_activity;
    credit.kind = DocumentKind::CreditNote;
    credit.corrects_invoice_id = Some(a3.id);
    let cn = issue(credit, date(2026, 3, 1)).await;
    let a4 = store
        .save_invoice_draft(
            &ctx(),
            None,
            &DraftInvoice {
                lines: vec![line("Stage", 1, 5_000, 2100)],
                ..to_consumer
            },
        )
        .await
        .unwrap();

    let listed = |filter: InvoiceFilter, page: PageRequest| async move {
        let found = store.invoices(&filter, page).await.unwrap();
        (
            found.items.iter().map(|i| i.id).collect::<Vec<_>>(),
            found.total,
        )
    };
    let all = || InvoiceFilter::default();
    // Drafts first, then by issue date, the later id first on the same day.
    assert_eq!(
        listed(all(), PageRequest::default()).await,
        (vec![a4.id, cn.id, a3.id, a2.id, a1.id], 5)
    );
    assert_eq!(
        listed(all(), PageRequest::new(2, 2)).await,
        (vec![a3.id, a2.id], 5)
    );
    let mine = || InvoiceFilter {
        activity_id: Some(f.activity),
        ..all()
    };
    assert_eq!(
        listed(mine(), PageRequest::default()).await,
        (vec![a4.id, a2.id, a1.id], 3)
    );
    assert_eq!(
        listed(
            InvoiceFilter {
                client_id: Some(f.client),
                ..all()
            },
            PageRequest::default()
        )
        .await,
        (vec![cn.id, a3.id, a1.id], 3)
    );
    assert_eq!(
        listed(
            InvoiceFilter {
                status: Some(ruche_domain::invoicing::InvoiceStatus::Draft),
                ..all()
            },
            PageRequest::default()
        )
        .await,
        (vec![a4.id], 1)
    );
    assert_eq!(
        listed(
            InvoiceFilter {
                kind: Some(DocumentKind::CreditNote),
                ..all()
            },
            PageRequest::default()
        )
        .await,
        (vec![cn.id], 1)
    );
    // The search finds a client's name (any case) or a number; the year excludes drafts.
    let search = |text: &str, year| InvoiceFilter {
        search: Some(text.into()),
        issue_year: year,
        ..all()
    };
    assert_eq!(
        listed(search("DUPONT", None), PageRequest::default()).await,
        (vec![a4.id, a2.id], 2)
    );
    assert_eq!(
        listed(
            search(a2.number.as_deref().unwrap(), None),
            PageRequest::default()
        )
        .await,
        (vec![a2.id], 1)
    );
    assert_eq!(
        listed(search("théâtre", Some(2026)), PageRequest::default()).await,
        (vec![cn.id, a3.id], 2)
    );
    assert_eq!(
        listed(
            InvoiceFilter {
                issue_year: Some(2026),
                ..mine()
            },
            PageRequest::default()
        )
        .await,
        (vec![a2.id], 1)
    );
    assert_eq!(
        listed(
            InvoiceFilter {
                issue_year: Some(2026),
                ..all()
            },
            PageRequest::new(1, 2)
        )
        .await,
        (vec![cn.id, a3.id], 3)
    );
    // A filter matching nothing: an empty page, not an error.
    assert_eq!(
        listed(search("nobody", Some(2024)), PageRequest::default()).await,
        (vec![], 0)
    );
    // The list page names its clients in one read.
    let mut names = store.client_names(&[consumer, f.client]).await.unwrap();
    names.sort();
    assert_eq!(
        names,
        vec![
            (f.client, "Théâtre".to_string()),
            (consumer, "Marie Dupont".to_string())
        ]
    );
    assert!(store.client_names(&[]).await.unwrap().is_empty());
}
