//! The training catalogue on both engines: a training reaches the index only published and
//! with its texts; an exempt training is quoted from a lead and invoiced by the training
//! entity in category E with the art. 44 text; the contact form's rate limit; the year's
//! training figures against independent counts.

use jiff::civil::{Date, date};
use ruche_domain::Language;
use ruche_domain::group::LegalEntityForm;
use ruche_domain::invoicing::{DocumentKind, VatCategory, exemption_reason};
use ruche_domain::training::contact::{Contact, MAX_PER_EMAIL, MAX_PER_IP};
use ruche_domain::training::exemption::CRITERIA;
use ruche_domain::training::session::{NewSession, SessionFor};
use ruche_domain::training::{NewTraining, TrainingEvent, TrainingText};
use ruche_store::audit::AuditFilter;
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::invoices::DraftInvoice;
use ruche_store::quotes::QuoteMail;
use ruche_store::trainings::{LeadFilter, LeadMail, TrainingFilter, refusal};
use ruche_store::{PageRequest, Store, StoreError};

use crate::fixtures::{self, ctx};

const TODAY: Date = date(2026, 3, 2);

struct Fixture {
    trainer: i64,
    activity: i64,
}

async fn fixture(store: &Store) -> Fixture {
    let office = fixtures::office(store, "Gent").await;
    let trainer = fixtures::person(store, "Els").await;
    let activity = fixtures::activity(store, "Opleidingen Els", office, trainer, true).await;
    store
        .execute_admin(&format!(
            "UPDATE persons SET email = 'els@example.be', language = 'nl' WHERE id = {trainer}"
        ))
        .await
        .unwrap();
    Fixture { trainer, activity }
}

fn new_training(activity_id: i64) -> NewTraining {
    NewTraining {
        activity_id,
        topic: "accounting",
        audience: "freelancers",
        place: "Gent".into(),
        languages: vec![Language::Nl, Language::Fr],
        duration_hours: 12,
        price_cents: 90_000,
    }
}

fn text(language: Language, title: &str) -> TrainingText {
    TrainingText {
        language,
        title: title.into(),
        goal: "Zelf je boekhouding bijhouden.".into(),
        methodology: "Oefeningen op je eigen cijfers.".into(),
        audience_text: "Freelancers en zelfstandigen.".into(),
        prerequisites: String::new(),
    }
}

/// A published training given in Dutch and French.
async fn published(store: &Store, f: &Fixture) -> i64 {
    let t = store
        .create_training(
            &ctx(),
            f.trainer,
            &new_training(f.activity),
            &text(Language::Nl, "Opleiding boekhouding voor freelancers"),
        )
        .await
        .unwrap();
    store
        .save_training_text(
            &ctx(),
            t.id,
            &text(Language::Fr, "Formation comptabilité pour indépendants"),
        )
        .await
        .unwrap();
    for event in [TrainingEvent::Submit, TrainingEvent::Publish] {
        store
            .training_transition(&ctx(), t.id, event, None)
            .await
            .unwrap();
    }
    t.id
}

fn contact(email: &str) -> Contact {
    Contact {
        name: "Jan Janssens".into(),
        email: email.into(),
        phone: None,
        organisation: Some("vzw De Buren".into()),
        message: "Wij zoeken een opleiding voor tien mensen.".into(),
    }
}

fn lead_mail() -> LeadMail {
    LeadMail {
        subject: "Nieuwe aanvraag".into(),
        body: "Jan Janssens vraagt informatie.".into(),
    }
}

pub async fn trainings_a_training_reaches_the_index_only_published_with_its_texts(store: &Store) {
    let f = fixture(store).await;
    let t = store
        .create_training(
            &ctx(),
            f.trainer,
            &new_training(f.activity),
            &text(Language::Nl, "Opleiding boekhouding"),
        )
        .await
        .unwrap();
    assert_eq!(t.status, "draft");
    // Given in French too, without a French text: refused, naming the language.
    let refused = store
        .training_transition(&ctx(), t.id, TrainingEvent::Submit, None)
        .await;
    match refused {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("trn_status"), Some("trn-incomplete-fr")),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.training(t.id).await.unwrap().status, "draft");
    // Someone else's activity is refused.
    let other = fixtures::person(store, "Piet").await;
    let refused = store
        .create_training(
            &ctx(),
            other,
            &new_training(f.activity),
            &text(Language::Nl, "X"),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );

    store
        .save_training_text(&ctx(), t.id, &text(Language::Fr, "Formation comptabilité"))
        .await
        .unwrap();
    store
        .training_transition(&ctx(), t.id, TrainingEvent::Submit, None)
        .await
        .unwrap();
    // Pending: the trainer cannot edit it; staff refuse it only with a reason.
    assert!(matches!(
        store
            .save_training_text(&ctx(), t.id, &text(Language::En, "Bookkeeping"))
            .await,
        Err(StoreError::Conflict(refusal::NOT_EDITABLE))
    ));
    assert!(matches!(
        store
            .training_transition(&ctx(), t.id, TrainingEvent::Refuse, Some(" "))
            .await,
        Err(StoreError::Refused(_))
    ));
    let before = store.training_search_rows(None).await.unwrap();
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|r| !r.visible));

    let since = store.training(t.id).await.unwrap().updated_at;
    let published = store
        .training_transition(&ctx(), t.id, TrainingEvent::Publish, None)
        .await
        .unwrap();
    assert_eq!(published.status, "published");
    assert!(published.published_at.is_some());
    let rows = store.training_search_rows(Some(since)).await.unwrap();
    assert_eq!(rows.len(), 2, "every language of the changed training");
    let nl = rows.iter().find(|r| r.language == Language::Nl).unwrap();
    assert!(nl.visible);
    assert_eq!(nl.title, "Opleiding boekhouding");
    assert!(nl.body.contains("Oefeningen"));
    for facet in [
        ("topic", "accounting"),
        ("language", "nl"),
        ("language", "fr"),
        ("place", "Gent"),
        ("audience", "freelancers"),
    ] {
        assert!(
            nl.facets
                .contains(&(facet.0.to_string(), facet.1.to_string())),
            "{facet:?}"
        );
    }
    let later = store
        .training_search_rows(Some(published.updated_at + 1))
        .await
        .unwrap();
    assert!(later.is_empty());

    // The catalogue's filters and the title in the reader's language.
    let page = store
        .trainings(
            &TrainingFilter {
                language: Some(Language::Fr),
                topic: Some("accounting".into()),
                status: Some(ruche_domain::training::TrainingStatus::Published),
                ..Default::default()
            },
            Language::Fr,
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].title, "Formation comptabilité");
    let none = store
        .trainings(
            &TrainingFilter {
                language: Some(Language::En),
                ..Default::default()
            },
            Language::Fr,
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(none.total, 0);

    store
        .training_transition(&ctx(), t.id, TrainingEvent::Cancel, None)
        .await
        .unwrap();
    let rows = store.training_search_rows(None).await.unwrap();
    assert!(
        rows.iter().all(|r| !r.visible),
        "a cancelled training leaves the index"
    );
    assert!(matches!(
        store
            .training_transition(&ctx(), t.id, TrainingEvent::Submit, None)
            .await,
        Err(StoreError::Conflict(refusal::CANCELLED))
    ));

    let actions: Vec<String> = store
        .audit_entries(
            &AuditFilter {
                entity_type: Some("training".into()),
                entity_id: Some(t.id),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.action)
        .rev()
        .collect();
    assert_eq!(
        actions,
        ["create", "text", "submit", "publish", "cancel"],
        "{actions:?}"
    );
}

pub async fn trainings_an_exempt_training_is_invoiced_by_the_training_entity_in_category_e(
    store: &Store,
) {
    let f = fixture(store).await;
    let coop = fixtures::cooperative(store).await;
    let training_entity = LegalEntityForm {
        name: "Ruche Formation".into(),
        legal_form: "ASBL".into(),
        street: "Rue Coenraets 66".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        enterprise_number: "0417497106".into(),
        vat_number: "BE0417497106".into(),
        iban: "BE62510007547061".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .unwrap();
    let entity = store
        .save_legal_entity(&ctx(), None, &training_entity)
        .await
        .unwrap()
        .id;
    store.set_training_entity(&ctx(), entity).await.unwrap();
    assert_eq!(store.training_entity().await.unwrap().unwrap().id, entity);
    let id = published(store, &f).await;

    // The checklist: incomplete, it cannot be validated; complete and validated, exempt.
    store
        .set_exemption_checks(&ctx(), id, &CRITERIA[1..])
        .await
        .unwrap();
    assert!(matches!(
        store.validate_exemption(&ctx(), id).await,
        Err(StoreError::Refused(_))
    ));
    store
        .set_exemption_checks(&ctx(), id, &CRITERIA)
        .await
        .unwrap();
    let exemption = store.validate_exemption(&ctx(), id).await.unwrap();
    assert!(exemption.exempt);
    assert!(
        exemption
            .checks
            .iter()
            .all(|c| c.ticked && c.ticked_at.is_some())
    );

    let lead = store
        .record_contact(
            &ctx(),
            id,
            &contact("jan@example.be"),
            Language::Nl,
            "192.0.2.1",
            &lead_mail(),
        )
        .await
        .unwrap();
    assert_eq!(lead.status, "new");
    let client = fixtures::company(store, "nl").await;
    let quote = store
        .quote_from_lead(&ctx(), lead.id, client, date(2026, 4, 1), TODAY)
        .await
        .unwrap();
    assert_eq!(quote.activity_id, f.activity);
    assert_eq!(quote.title, "Opleiding boekhouding voor freelancers");
    assert_eq!(
        quote.note.as_deref(),
        exemption_reason(VatCategory::E, Language::Nl)
    );
    assert_eq!((quote.tax_exclusive_cents, quote.tax_cents), (90_000, 0));
    let lines = store.quote_lines(quote.id).await.unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].vat_category, "E");
    let lead = store.training_lead(lead.id).await.unwrap();
    assert_eq!(
        (lead.status.as_str(), lead.quote_id),
        ("quoted", Some(quote.id))
    );
    assert!(matches!(
        store
            .quote_from_lead(&ctx(), lead.id, client, date(2026, 4, 1), TODAY)
            .await,
        Err(StoreError::Conflict(refusal::LEAD_QUOTED))
    ));

    // The client accepts; the invoice is issued by the training entity, not the cooperative.
    store
        .send_quote(&ctx(), quote.id, "token-hash", TODAY, |q, _| QuoteMail {
            subject: q.number.clone().unwrap_or_default(),
            body: "https://ruche.test/q/x".into(),
        })
        .await
        .unwrap();
    store
        .accept_quote("token-hash", "Jan Janssens", None, TODAY)
        .await
        .unwrap();
    let quote = store.quote(quote.id).await.unwrap();
    assert_eq!(quote.status, "accepted");
    let issuer = store
        .training_entity_for_quote(quote.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(issuer, entity);
    assert_ne!(issuer, coop);
    let mut invoice_lines = Vec::new();
    for l in store.quote_lines(quote.id).await.unwrap() {
        invoice_lines.push(l.to_input().unwrap());
    }
    let draft = store
        .save_invoice_draft(
            &ctx(),
            None,
            &DraftInvoice {
                kind: DocumentKind::Invoice,
                activity_id: quote.activity_id,
                client_id: client,
                entity_id: issuer,
                quote_id: Some(quote.id),
                corrects_invoice_id: None,
                due_days: 30,
                language: Language::Nl,
                order_reference: quote.number.clone(),
                note: None,
                lines: invoice_lines,
            },
        )
        .await
        .unwrap();
    let issued = store.issue_invoice(&ctx(), draft.id, TODAY).await.unwrap();
    assert_eq!(issued.record.entity_id, entity);
    assert_eq!(issued.record.tax_cents, 0);
    assert_eq!(issued.document.seller.party.name, "Ruche Formation");
    let subtotal = &issued.document.totals.subtotals[0];
    assert_eq!(subtotal.category, VatCategory::E);
    assert_eq!(
        subtotal.exemption_reason.as_deref(),
        Some("Vrijstelling van btw — art. 44, §2, 4° van het Btw-Wetboek")
    );
    // The frozen document keeps it.
    let frozen = store.issued_document(draft.id).await.unwrap();
    assert_eq!(frozen.totals.subtotals[0].category, VatCategory::E);
    assert!(
        ruche_domain::invoicing::legal_statements(&frozen)
            .iter()
            .any(|s| s.contains("art. 44"))
    );

    // Without validation (a box unticked), the next quote is at 21 %.
    store
        .set_exemption_checks(&ctx(), id, &CRITERIA[1..])
        .await
        .unwrap();
    assert!(!store.training_exemption(id).await.unwrap().exempt);
    let lead2 = store
        .record_contact(
            &ctx(),
            id,
            &contact("piet@example.be"),
            Language::Nl,
            "192.0.2.2",
            &lead_mail(),
        )
        .await
        .unwrap();
    let quote2 = store
        .quote_from_lead(&ctx(), lead2.id, client, date(2026, 4, 1), TODAY)
        .await
        .unwrap();
    assert_eq!(quote2.tax_cents, 18_900);
    assert_eq!(
        store.training_entity_for_quote(quote2.id).await.unwrap(),
        None
    );
}

pub async fn trainings_the_contact_form_is_limited_per_address_and_per_email(store: &Store) {
    let f = fixture(store).await;
    let id = published(store, &f).await;
    // One address: five requests an hour, then refused and nothing written.
    for n in 0..MAX_PER_IP {
        store
            .record_contact(
                &ctx(),
                id,
                &contact(&format!("visitor{n}@example.be")),
                Language::Nl,
                "198.51.100.7",
                &lead_mail(),
            )
            .await
            .unwrap();
    }
    let refused = store
        .record_contact(
            &ctx(),
            id,
            &contact("another@example.be"),
            Language::Nl,
            "198.51.100.7",
            &lead_mail(),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(refusal::RATE_LIMITED))),
        "{refused:?}"
    );
    // One e-mail from several addresses: three an hour.
    for n in 0..MAX_PER_EMAIL {
        store
            .record_contact(
                &ctx(),
                id,
                &contact("same@example.be"),
                Language::Fr,
                &format!("203.0.113.{n}"),
                &lead_mail(),
            )
            .await
            .unwrap();
    }
    assert!(matches!(
        store
            .record_contact(
                &ctx(),
                id,
                &contact("same@example.be"),
                Language::Fr,
                "203.0.113.99",
                &lead_mail(),
            )
            .await,
        Err(StoreError::Conflict(refusal::RATE_LIMITED))
    ));
    let leads = store
        .training_leads(
            &LeadFilter {
                trainer_person_id: Some(f.trainer),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(leads.total, MAX_PER_IP + MAX_PER_EMAIL);
    // Every lead's mail reached the trainer's outbox, in the same transaction.
    let mails = store
        .mails(Some("els@example.be"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, leads.total);
    assert!(leads.items.iter().all(|l| l.mail_id.is_some()));
    // A draft training takes no contact request.
    let draft = store
        .create_training(
            &ctx(),
            f.trainer,
            &new_training(f.activity),
            &text(Language::Nl, "Nog niet klaar"),
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_contact(
                &ctx(),
                draft.id,
                &contact("new@example.be"),
                Language::Nl,
                "192.0.2.200",
                &lead_mail(),
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // After the hour, the address may write again.
    store
        .purge_contact_attempts(ruche_store::now_micros() + 1)
        .await
        .unwrap();
    store
        .record_contact(
            &ctx(),
            id,
            &contact("another@example.be"),
            Language::Nl,
            "198.51.100.7",
            &lead_mail(),
        )
        .await
        .unwrap();
}

pub async fn trainings_the_year_figures_equal_the_sessions_and_leads_of_the_year(store: &Store) {
    let f = fixture(store).await;
    let id = published(store, &f).await;
    let this_year = jiff::Zoned::now().date().year();
    let sessions = [
        (SessionFor::Staff, date(this_year, 1, 10), 2, 12),
        (SessionFor::Staff, date(this_year, 6, 3), 3, 9),
        (SessionFor::Members, date(this_year, 3, 5), 1, 25),
        (SessionFor::Members, date(this_year, 11, 20), 2, 30),
        // Another year: not counted.
        (SessionFor::Members, date(this_year - 1, 12, 30), 2, 40),
    ];
    for (who, starts_on, days, participants) in sessions {
        store
            .create_training_session(
                &ctx(),
                &NewSession {
                    session_for: who,
                    title: "Session".into(),
                    training_id: Some(id),
                    starts_on,
                    ends_on: starts_on
                        .checked_add(jiff::Span::new().days(days - 1))
                        .unwrap(),
                    days,
                    participants,
                    place: "Gent".into(),
                },
            )
            .await
            .unwrap();
    }
    store
        .record_contact(
            &ctx(),
            id,
            &contact("jan@example.be"),
            Language::Nl,
            "192.0.2.1",
            &lead_mail(),
        )
        .await
        .unwrap();
    let expected = |who: SessionFor, pick: fn(i64, i64) -> i64| -> i64 {
        sessions
            .iter()
            .filter(|(w, d, _, _)| *w == who && d.year() == this_year)
            .map(|(_, _, days, p)| pick(*days, *p))
            .sum()
    };
    let section = store
        .section_figures(FigureSection::Training, this_year)
        .await
        .unwrap();
    assert!(section.available);
    let value = |key: &str| section.figure(key).unwrap().value;
    assert_eq!(
        value("training-staff-days"),
        FigureValue::Count(expected(SessionFor::Staff, |d, _| d))
    );
    assert_eq!(
        value("training-staff-participants"),
        FigureValue::Count(expected(SessionFor::Staff, |_, p| p))
    );
    assert_eq!(
        value("training-member-days"),
        FigureValue::Count(expected(SessionFor::Members, |d, _| d))
    );
    assert_eq!(
        value("training-member-participants"),
        FigureValue::Count(expected(SessionFor::Members, |_, p| p))
    );
    assert_eq!(value("training-published"), FigureValue::Count(1));
    assert_eq!(value("training-leads"), FigureValue::Count(1));
    let listed = store
        .training_sessions(Some("staff"), this_year, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 2);
    let empty = store
        .section_figures(FigureSection::Training, this_year - 5)
        .await
        .unwrap();
    assert!(!empty.available);
    assert!(empty.figures.is_empty());
}
