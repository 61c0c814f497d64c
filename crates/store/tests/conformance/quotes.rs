//! Quotes: the life cycle from draft to order confirmation, the numbering, and the refusals,
//! on both engines.

use jiff::civil::{Date, date};
use ruche_domain::Language;
use ruche_domain::activity::ActivityEvent;
use ruche_domain::invoicing::{DocumentError, LineInput, VatCategory};
use ruche_store::audit::AuditFilter;
use ruche_store::quotes::{QuoteDraft, QuoteFilter, QuoteMail, refusal};
use ruche_store::{AuditContext, PageRequest, Store, StoreError};
use rust_decimal::Decimal;

const TODAY: Date = date(2026, 3, 2);

use crate::fixtures::{self, ctx};

struct Fixture {
    activity: i64,
    /// A Belgian company with a VAT number and an e-mail address.
    company: i64,
    /// A consumer without e-mail nor VAT number.
    consumer: i64,
}

async fn fixture(store: &Store) -> Fixture {
    let activity = fixtures::active_activity(store).await;
    let company = fixtures::company(store, "nl").await;
    let consumer = fixtures::consumer(store).await;
    Fixture {
        activity,
        company,
        consumer,
    }
}

fn line(quantity: &str, price: &str, category: VatCategory, rate_bp: u32) -> LineInput {
    LineInput {
        description: "Concert".into(),
        quantity: quantity.parse::<Decimal>().unwrap(),
        unit: "HUR".into(),
        unit_price: price.parse::<Decimal>().unwrap(),
        vat_category: category,
        vat_rate_bp: rate_bp,
    }
}

fn draft(client_id: i64, lines: Vec<LineInput>) -> QuoteDraft {
    QuoteDraft {
        client_id,
        title: "Concert du 21 juin".into(),
        valid_until: date(2026, 4, 1),
        language: None,
        note: Some("  ".into()),
        lines,
    }
}

fn mail(
    quote: &ruche_store::quotes::QuoteRecord,
    _: &ruche_store::clients::ClientRecord,
) -> QuoteMail {
    QuoteMail {
        subject: format!("Offerte {}", quote.number.clone().unwrap_or_default()),
        body: "https://ruche.test/q/secret".into(),
    }
}

async fn quote_audit_actions(store: &Store, id: i64) -> Vec<String> {
    let filter = AuditFilter {
        entity_type: Some("quote".into()),
        entity_id: Some(id),
        ..Default::default()
    };
    let mut actions: Vec<String> = store
        .audit_entries(&filter, PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.action)
        .collect();
    actions.reverse();
    actions
}

pub async fn a_quote_is_drafted_sent_accepted_and_invoiced(store: &Store) {
    let f = fixture(store).await;
    let lines = vec![
        line("10", "65", VatCategory::S, 2100),
        line("2.5", "40", VatCategory::S, 600),
    ];
    let q = store
        .create_quote(&ctx(), f.activity, &draft(f.company, lines), TODAY)
        .await
        .unwrap();
    assert_eq!(q.status, "draft");
    assert_eq!(q.number, None, "a draft has no number");
    assert_eq!(q.language, "nl", "the client's language by default");
    assert_eq!(q.note, None);
    assert_eq!(q.issue_date, "2026-03-02");
    // 650.00 at 21 % + 100.00 at 6 %.
    assert_eq!(q.tax_exclusive_cents, 75_000);
    assert_eq!(q.tax_cents, 13_650 + 600);
    assert_eq!(q.tax_inclusive_cents, 89_250);
    let stored = store.quote_lines(q.id).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (
            stored[1].position,
            stored[1].quantity.as_str(),
            stored[1].net_cents
        ),
        (2, "2.5", 10_000)
    );
    assert_eq!(
        stored[1].to_input().unwrap(),
        line("2.5", "40", VatCategory::S, 600)
    );

    // The draft is edited: one line only, in English.
    let mut changed = draft(f.company, vec![line("1", "1000", VatCategory::S, 2100)]);
    changed.language = Some(Language::En);
    let q = store
        .update_quote(&ctx(), q.id, &changed, TODAY)
        .await
        .unwrap();
    assert_eq!(
        (q.language.as_str(), q.tax_inclusive_cents),
        ("en", 121_000)
    );
    assert_eq!(store.quote_lines(q.id).await.unwrap().len(), 1);

    let sent = store
        .send_quote(&ctx(), q.id, "hash-1", TODAY, mail)
        .await
        .unwrap();
    assert_eq!(sent.status, "sent");
    assert_eq!(sent.number.as_deref(), Some("D2026-00001"));
    assert_eq!(sent.sent_to.as_deref(), Some("theatre@example.be"));
    assert!(sent.sent_at.is_some());
    // The e-mail is in the outbox, with its delivery job, written with the number.
    let mails = store
        .mails(Some("theatre@example.be"), true, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    assert_eq!(mails.items[0].subject, "Offerte D2026-00001");
    assert!(mails.items[0].job_id.is_some());

    let again = store.update_quote(&ctx(), q.id, &changed, TODAY).await;
    assert!(matches!(
        again,
        Err(StoreError::Conflict(refusal::NOT_EDITABLE))
    ));
    let early = store.mark_quote_invoiced(&ctx(), q.id).await;
    assert!(matches!(
        early,
        Err(StoreError::Conflict(refusal::NOT_ACCEPTED))
    ));

    let found = store.quote_by_token("hash-1").await.unwrap();
    assert_eq!(found.id, q.id);
    assert!(matches!(
        store.quote_by_token("nope").await,
        Err(StoreError::NotFound)
    ));
    let accepted = store
        .accept_quote(
            "hash-1",
            "  Jan Peeters ",
            Some("192.0.2.7"),
            date(2026, 3, 5),
        )
        .await
        .unwrap();
    assert_eq!(accepted.status, "accepted");
    assert_eq!(accepted.accepted_name.as_deref(), Some("Jan Peeters"));
    assert_eq!(accepted.accepted_ip.as_deref(), Some("192.0.2.7"));
    assert!(accepted.accepted_at.is_some());

    let invoiced = store.mark_quote_invoiced(&ctx(), q.id).await.unwrap();
    assert_eq!(invoiced.status, "invoiced");
    assert!(invoiced.invoiced_at.is_some());
    let twice = store.mark_quote_invoiced(&ctx(), q.id).await;
    assert!(matches!(
        twice,
        Err(StoreError::Conflict(refusal::NOT_ACCEPTED))
    ));

    assert_eq!(
        quote_audit_actions(store, q.id).await,
        ["create", "update", "quote-send", "accept", "quote-invoiced"]
    );
}

pub async fn quote_numbers_follow_each_other_per_year_and_only_when_sent(store: &Store) {
    let f = fixture(store).await;
    let new = |until: Date| {
        let mut d = draft(f.company, vec![line("1", "100", VatCategory::S, 2100)]);
        d.valid_until = until;
        d
    };
    let mut ids = Vec::new();
    for _ in 0..3 {
        let q = store
            .create_quote(&ctx(), f.activity, &new(date(2027, 2, 1)), TODAY)
            .await
            .unwrap();
        ids.push(q.id);
    }
    // The second draft is never sent: numbers are given in the order of sending.
    let first = store
        .send_quote(&ctx(), ids[2], "h-a", TODAY, mail)
        .await
        .unwrap();
    let second = store
        .send_quote(&ctx(), ids[0], "h-b", TODAY, mail)
        .await
        .unwrap();
    assert_eq!(first.number.as_deref(), Some("D2026-00001"));
    assert_eq!(second.number.as_deref(), Some("D2026-00002"));
    assert_eq!(store.quote(ids[1]).await.unwrap().number, None);
    // A new year starts a new series at 1.
    let next_year = date(2027, 1, 4);
    let q = store
        .create_quote(&ctx(), f.activity, &new(date(2027, 2, 1)), next_year)
        .await
        .unwrap();
    let sent = store
        .send_quote(&ctx(), q.id, "h-c", next_year, mail)
        .await
        .unwrap();
    assert_eq!(sent.number.as_deref(), Some("D2027-00001"));
    assert_eq!(sent.issue_date, "2027-01-04", "dated the day it is sent");
    let late = store
        .send_quote(&ctx(), ids[1], "h-d", TODAY, mail)
        .await
        .unwrap();
    assert_eq!(late.number.as_deref(), Some("D2026-00003"));
    // A quote is sent once.
    let resend = store.send_quote(&ctx(), ids[1], "h-e", TODAY, mail).await;
    assert!(matches!(
        resend,
        Err(StoreError::Conflict(refusal::NOT_EDITABLE))
    ));
}

pub async fn quotes_sent_concurrently_get_every_number_once(store: &Store) {
    let f = fixture(store).await;
    let mut ids = Vec::new();
    for _ in 0..8 {
        let d = draft(f.company, vec![line("1", "100", VatCategory::S, 2100)]);
        ids.push(
            store
                .create_quote(&ctx(), f.activity, &d, TODAY)
                .await
                .unwrap()
                .id,
        );
    }
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let store = store.clone();
            let id = *id;
            tokio::spawn(async move {
                store
                    .send_quote(&AuditContext::system(), id, &format!("h-{id}"), TODAY, mail)
                    .await
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap().number.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=8).map(|n| format!("D2026-{n:05}")).collect();
    assert_eq!(numbers, expected, "no gap, no duplicate");
}

pub async fn a_quote_is_confirmed_once_and_not_after_its_decline_or_its_validity(store: &Store) {
    let f = fixture(store).await;
    let new = || draft(f.company, vec![line("1", "100", VatCategory::S, 2100)]);
    let a = store
        .create_quote(&ctx(), f.activity, &new(), TODAY)
        .await
        .unwrap();
    let draft_answer = store.accept_quote("h-a", "X", None, TODAY).await;
    assert!(
        matches!(draft_answer, Err(StoreError::NotFound)),
        "a draft has no link"
    );
    store
        .send_quote(&ctx(), a.id, "h-a", TODAY, mail)
        .await
        .unwrap();
    let nameless = store.accept_quote("h-a", "   ", None, TODAY).await;
    assert!(matches!(
        nameless,
        Err(StoreError::Conflict(refusal::NAME_MISSING))
    ));
    store
        .accept_quote("h-a", "Jan", Some("192.0.2.1"), TODAY)
        .await
        .unwrap();
    let second = store
        .accept_quote("h-a", "Piet", Some("192.0.2.2"), TODAY)
        .await;
    assert!(matches!(
        second,
        Err(StoreError::Conflict(refusal::ALREADY_ACCEPTED))
    ));
    let decline = store
        .decline_quote("h-a", Some("Too late"), None, TODAY)
        .await;
    assert!(matches!(
        decline,
        Err(StoreError::Conflict(refusal::ALREADY_ACCEPTED))
    ));
    let kept = store.quote(a.id).await.unwrap();
    assert_eq!(
        kept.accepted_name.as_deref(),
        Some("Jan"),
        "the first acceptance stays"
    );
    assert_eq!(kept.declined_at, None);

    let b = store
        .create_quote(&ctx(), f.activity, &new(), TODAY)
        .await
        .unwrap();
    store
        .send_quote(&ctx(), b.id, "h-b", TODAY, mail)
        .await
        .unwrap();
    let declined = store
        .decline_quote("h-b", Some("  Budget cut  "), Some("192.0.2.3"), TODAY)
        .await
        .unwrap();
    assert_eq!(declined.status, "declined");
    assert_eq!(declined.decline_reason.as_deref(), Some("Budget cut"));
    let after_decline = store.accept_quote("h-b", "Jan", None, TODAY).await;
    assert!(matches!(
        after_decline,
        Err(StoreError::Conflict(refusal::ALREADY_DECLINED))
    ));

    let c = store
        .create_quote(&ctx(), f.activity, &new(), TODAY)
        .await
        .unwrap();
    let sent = store
        .send_quote(&ctx(), c.id, "h-c", TODAY, mail)
        .await
        .unwrap();
    // Valid until 1 April included.
    assert!(!sent.is_expired_on(date(2026, 4, 1)));
    assert!(sent.is_expired_on(date(2026, 4, 2)));
    let late = store
        .accept_quote("h-c", "Jan", None, date(2026, 4, 2))
        .await;
    assert!(matches!(late, Err(StoreError::Conflict(refusal::EXPIRED))));
    let late = store
        .decline_quote("h-c", None, None, date(2026, 4, 2))
        .await;
    assert!(matches!(late, Err(StoreError::Conflict(refusal::EXPIRED))));
    assert_eq!(
        store.quote(c.id).await.unwrap().status,
        "sent",
        "nothing written"
    );
    store
        .accept_quote("h-c", "Jan", None, date(2026, 4, 1))
        .await
        .unwrap();
}

pub async fn bad_lines_and_unknown_clients_write_nothing(store: &Store) {
    let f = fixture(store).await;
    let create =
        |d: QuoteDraft| async move { store.create_quote(&ctx(), f.activity, &d, TODAY).await };
    let refused = create(draft(
        f.company,
        vec![
            line("1", "100", VatCategory::S, 2100),
            line("-2", "100", VatCategory::S, 2100),
            line("0", "100", VatCategory::S, 2000),
        ],
    ))
    .await;
    match refused {
        Err(StoreError::Document(errors)) => assert_eq!(
            errors,
            vec![
                DocumentError::QuantityNotPositive { line: 2 },
                DocumentError::QuantityNotPositive { line: 3 },
                DocumentError::VatRateNotAllowed {
                    line: 3,
                    category: VatCategory::S,
                    rate_bp: 2000,
                    date: TODAY,
                },
            ]
        ),
        other => panic!("{other:?}"),
    }
    // A reverse charge needs the buyer's VAT number: the consumer has none.
    let reverse = create(draft(
        f.consumer,
        vec![line("1", "100", VatCategory::AE, 0)],
    ))
    .await;
    assert!(matches!(
        reverse,
        Err(StoreError::Document(ref e)) if e == &[DocumentError::ReverseChargeNeedsBuyerVat { line: 1 }]
    ));
    let ok_reverse = create(draft(f.company, vec![line("1", "100", VatCategory::AE, 0)])).await;
    assert_eq!(ok_reverse.unwrap().tax_cents, 0);
    let empty = create(draft(f.company, vec![])).await;
    assert!(matches!(empty, Err(StoreError::Document(ref e)) if e == &[DocumentError::NoLines]));
    let nowhere = create(draft(9_999, vec![line("1", "100", VatCategory::S, 2100)])).await;
    assert!(matches!(
        nowhere,
        Err(StoreError::Conflict(refusal::CLIENT_UNKNOWN))
    ));
    let mut past = draft(f.company, vec![line("1", "100", VatCategory::S, 2100)]);
    past.valid_until = date(2026, 3, 1);
    assert!(matches!(
        create(past).await,
        Err(StoreError::Conflict(refusal::VALIDITY_PASSED))
    ));
    let no_activity = store
        .create_quote(
            &ctx(),
            9_999,
            &draft(f.company, vec![line("1", "1", VatCategory::S, 2100)]),
            TODAY,
        )
        .await;
    assert!(matches!(no_activity, Err(StoreError::NotFound)));
    let all = store
        .quotes(&QuoteFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        all.total, 1,
        "only the valid reverse-charge quote was written"
    );

    // Sending to a client without e-mail is refused and uses no number.
    let q = create(draft(
        f.consumer,
        vec![line("1", "100", VatCategory::S, 2100)],
    ))
    .await
    .unwrap();
    let no_mail = store.send_quote(&ctx(), q.id, "h-x", TODAY, mail).await;
    assert!(matches!(
        no_mail,
        Err(StoreError::Conflict(refusal::CLIENT_WITHOUT_EMAIL))
    ));
    assert_eq!(store.quote(q.id).await.unwrap().status, "draft");
    let q = create(draft(
        f.company,
        vec![line("1", "100", VatCategory::S, 2100)],
    ))
    .await
    .unwrap();
    let sent = store
        .send_quote(&ctx(), q.id, "h-y", TODAY, mail)
        .await
        .unwrap();
    assert_eq!(
        sent.number.as_deref(),
        Some("D2026-00001"),
        "no number was lost"
    );

    // An activity that no longer operates cannot quote.
    store
        .change_activity_status(&ctx(), f.activity, ActivityEvent::Suspend)
        .await
        .unwrap();
    let suspended = create(draft(
        f.company,
        vec![line("1", "100", VatCategory::S, 2100)],
    ))
    .await;
    assert!(matches!(
        suspended,
        Err(StoreError::Conflict(refusal::ACTIVITY_NOT_OPERATING))
    ));
}

pub async fn quotes_are_listed_by_activity_client_status_and_search(store: &Store) {
    let f = fixture(store).await;
    let mut ids = Vec::new();
    for (client, title) in [
        (f.company, "Concert du 21 juin"),
        (f.company, "Atelier rythme"),
        (f.consumer, "Concert privé"),
    ] {
        let mut d = draft(client, vec![line("1", "100", VatCategory::S, 2100)]);
        d.title = title.into();
        ids.push(
            store
                .create_quote(&ctx(), f.activity, &d, TODAY)
                .await
                .unwrap()
                .id,
        );
    }
    store
        .send_quote(&ctx(), ids[0], "h-1", TODAY, mail)
        .await
        .unwrap();
    let count = |filter: QuoteFilter| async move {
        store
            .quotes(&filter, PageRequest::default())
            .await
            .unwrap()
            .total
    };
    assert_eq!(count(QuoteFilter::default()).await, 3);
    assert_eq!(
        count(QuoteFilter {
            activity_id: Some(f.activity),
            client_id: Some(f.company),
            ..Default::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(QuoteFilter {
            status: Some(ruche_domain::invoicing::QuoteStatus::Draft),
            ..Default::default()
        })
        .await,
        2
    );
    for (search, expected) in [
        ("CONCERT", 2),
        ("d2026-00001", 1),
        ("dupont", 1),
        ("nothing", 0),
    ] {
        let filter = QuoteFilter {
            search: Some(search.into()),
            ..Default::default()
        };
        assert_eq!(count(filter).await, expected, "{search}");
    }
    assert_eq!(
        count(QuoteFilter {
            offices: Some(vec![]),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(QuoteFilter {
            holder: Some(9_999),
            ..Default::default()
        })
        .await,
        0
    );
    let page = store
        .quotes(&QuoteFilter::default(), PageRequest::new(2, 2))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, ids[0], "newest first");
    assert_eq!(page.items[0].client_name, "Théâtre");
    assert_eq!(page.items[0].activity_name, "Trio jazz");
}
