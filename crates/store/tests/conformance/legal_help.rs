//! Legal help (C16): a request from submission to answer, closure and reopening; the
//! member's notice without the legal content; an audit log without the text; the year's
//! figures against independent counts.

use jiff::civil::{Date, date};
use ruche_domain::Role;
use ruche_domain::legal_help::{LegalOutcome, LegalPriority, LegalRequestForm};
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::attachments::NewAttachment;
use ruche_store::audit::AuditFilter;
use ruche_store::figures::{FigureSection, FigureValue};
use ruche_store::legal_help::{
    LegalFilter, LegalMessageKind, LegalNotice, REFUSED_ASSIGNEE, REFUSED_CLOSED,
    REFUSED_NOT_HOLDER, REFUSED_REOPEN_LATE, REFUSED_STATUS,
};
use ruche_store::{AuditContext, PageRequest, Store, StoreError};

use crate::fixtures;

const SECRET_SUBJECT: &str = "Clause secrète Dupont";
const SECRET_BODY: &str = "Le contrat Dupont prévoit une pénalité abusive";
const SECRET_ANSWER: &str = "La clause 7 est nulle (Code civil, art. 5.52)";
const SECRET_FILE: &str = "contrat-dupont-confidentiel.pdf";

async fn account(store: &Store, first_name: &str, role: Role) -> (i64, i64) {
    let person = fixtures::person(store, first_name).await;
    let account = store
        .create_account(
            &fixtures::ctx(),
            person,
            &NewAccount {
                email: format!("{}@legal.test", first_name.to_lowercase()),
                password_hash: "x".into(),
                language: None,
                roles: vec![RoleGrant {
                    role,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap();
    (person, account.id)
}

/// Noon in Brussels (UTC+1 in winter, +2 in summer: noon UTC is the same day either way).
fn at(d: Date) -> i64 {
    d.at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_microsecond()
}

fn form(kind: &str, activity: Option<i64>) -> LegalRequestForm {
    LegalRequestForm {
        legal_kind: kind.into(),
        legal_subject: SECRET_SUBJECT.into(),
        legal_description: SECRET_BODY.into(),
        legal_counterparty: "Dupont SRL".into(),
        legal_amount: "2.500".into(),
        legal_deadline: String::new(),
        legal_activity: activity.map(|a| a.to_string()).unwrap_or_default(),
    }
}

fn file() -> NewAttachment {
    NewAttachment {
        sha256: "a".repeat(64),
        mime: "application/pdf".into(),
        size: 1234,
        name: SECRET_FILE.into(),
    }
}

fn notice() -> LegalNotice {
    LegalNotice {
        subject: "Une réponse vous attend".into(),
        body: "Connectez-vous pour la lire.".into(),
    }
}

pub async fn legal_a_request_is_triaged_answered_closed_and_reopened_and_its_text_stays_out_of_the_log(
    store: &Store,
) {
    let (member, member_account) = account(store, "Marie", Role::Member).await;
    let (_, lawyer) = account(store, "Louise", Role::Legal).await;
    let (_, admin) = account(store, "Adam", Role::Administrator).await;
    let office = fixtures::office(store, "Liège").await;
    let other = fixtures::person(store, "Autre").await;
    let foreign = fixtures::activity(store, "Pas à elle", office, other, true).await;
    let hers = fixtures::activity(store, "La sienne", office, member, true).await;
    let as_member = AuditContext::account(member_account, None);
    let as_lawyer = AuditContext::account(lawyer, None);
    let day = date(2026, 3, 2);

    // An activity the member does not hold is refused, and nothing is written.
    let new = form("contract-review", Some(foreign))
        .parse(member, day)
        .unwrap();
    let refused = store
        .file_legal_request(&as_member, &new, &[], at(day))
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Conflict(REFUSED_NOT_HOLDER))
    ));
    let new = form("contract-review", Some(hers))
        .parse(member, day)
        .unwrap();
    let r = store
        .file_legal_request(&as_member, &new, &[file()], at(day))
        .await
        .unwrap();
    assert_eq!(
        (r.status.as_str(), r.kind.as_str()),
        ("submitted", "contract-review")
    );
    assert_eq!(r.amount_cents, Some(250_000));
    assert_eq!(r.activity_name.as_deref(), Some("La sienne"));
    assert_eq!(r.member_email.as_deref(), Some("marie@legal.test"));
    let files = store
        .attachments_of(ruche_store::attachments::owner::LEGAL_REQUEST, r.id)
        .await
        .unwrap();
    assert_eq!(files.len(), 1);

    // No answer before a triage; the handler must hold the legal role.
    let early = store
        .answer_legal_request(&as_lawyer, r.id, SECRET_ANSWER, &[], &notice(), at(day))
        .await;
    assert!(matches!(early, Err(StoreError::Conflict(REFUSED_STATUS))));
    let wrong = store
        .triage_legal_request(&as_lawyer, r.id, LegalPriority::Urgent, admin, at(day))
        .await;
    match wrong {
        Err(StoreError::Refused(e)) => assert_eq!(e.get("legal_assignee"), Some(REFUSED_ASSIGNEE)),
        other => panic!("{other:?}"),
    }
    let r = store
        .triage_legal_request(&as_lawyer, r.id, LegalPriority::Urgent, lawyer, at(day))
        .await
        .unwrap();
    assert_eq!(r.status, "triaged");
    assert_eq!(r.priority.as_deref(), Some("urgent"));
    assert_eq!(r.assignee_name.as_deref(), Some("Louise Test"));

    // A message from the member, an internal note the member never reads.
    store
        .add_legal_message(
            &as_member,
            r.id,
            LegalMessageKind::Message,
            "Précision",
            &[],
            at(day),
        )
        .await
        .unwrap();
    let note = store
        .add_legal_message(
            &as_lawyer,
            r.id,
            LegalMessageKind::Note,
            "Voir jurisprudence",
            &[file()],
            at(day),
        )
        .await
        .unwrap();
    assert_eq!(note.attachments.len(), 1);
    assert_eq!(store.legal_messages(r.id, false).await.unwrap().len(), 1);
    assert_eq!(store.legal_messages(r.id, true).await.unwrap().len(), 2);
    assert_eq!(
        store.legal_message_kind(r.id, note.id).await.unwrap(),
        "note"
    );

    // The answer: the request is answered and the notice queued, with no legal content.
    let answered_on = date(2026, 3, 9);
    let r = store
        .answer_legal_request(
            &as_lawyer,
            r.id,
            SECRET_ANSWER,
            &[],
            &notice(),
            at(answered_on),
        )
        .await
        .unwrap();
    assert_eq!(r.status, "answered");
    assert_eq!(r.first_answered_on.as_deref(), Some("2026-03-09"));
    let mails = store
        .mails(Some("marie@legal.test"), false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    assert_eq!(mails.items[0].subject, "Une réponse vous attend");
    assert!(!mails.items[0].body_text.contains(SECRET_ANSWER));
    let thread = store.legal_messages(r.id, false).await.unwrap();
    assert_eq!(thread.last().unwrap().kind, "answer");
    assert_eq!(thread.last().unwrap().body, SECRET_ANSWER);

    // Closed with an outcome: no more messages until the member reopens it.
    let r = store
        .close_legal_request(
            &as_lawyer,
            r.id,
            LegalOutcome::Advised,
            at(date(2026, 3, 10)),
        )
        .await
        .unwrap();
    assert_eq!(
        (r.status.as_str(), r.outcome.as_deref()),
        ("closed", Some("advised"))
    );
    let closed = store
        .add_legal_message(
            &as_member,
            r.id,
            LegalMessageKind::Message,
            "Encore",
            &[],
            at(day),
        )
        .await;
    assert!(matches!(closed, Err(StoreError::Conflict(REFUSED_CLOSED))));
    let late = store
        .reopen_legal_request(&as_member, r.id, at(date(2026, 4, 10)))
        .await;
    assert!(matches!(
        late,
        Err(StoreError::Conflict(REFUSED_REOPEN_LATE))
    ));
    let r = store
        .reopen_legal_request(&as_member, r.id, at(date(2026, 4, 9)))
        .await
        .unwrap();
    assert_eq!(
        (r.status.as_str(), r.outcome.as_deref(), r.reopened_count),
        ("reopened", None, 1)
    );
    // A second answer keeps the first answer's day for the figures.
    let r = store
        .answer_legal_request(
            &as_lawyer,
            r.id,
            "Complément",
            &[],
            &notice(),
            at(date(2026, 4, 12)),
        )
        .await
        .unwrap();
    assert_eq!(r.first_answered_on.as_deref(), Some("2026-03-09"));
    assert_eq!(r.decided_on.as_deref(), Some("2026-04-12"));

    // The member's list and the queue's filters.
    let mine = store
        .legal_requests(
            &LegalFilter {
                person_id: Some(member),
                ..LegalFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
    let open = store
        .legal_requests(
            &LegalFilter {
                status: Some("open".into()),
                ..LegalFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(open.total, 0);
    let assigned = store
        .legal_requests(
            &LegalFilter {
                assignee_account_id: Some(lawyer),
                priority: Some(LegalPriority::Urgent),
                ..LegalFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(assigned.total, 1);

    // Every change is audited, and no entry carries the text, the counterparty or a file name.
    let log = store
        .audit_entries(&AuditFilter::default(), PageRequest::new(1, 200))
        .await
        .unwrap();
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "legal-request.submit",
        "legal-request.triage",
        "legal-request.answer",
        "legal-request.close",
        "legal-request.reopen",
        "legal-message.add",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    for e in &log.items {
        for json in [&e.before_json, &e.after_json].into_iter().flatten() {
            for secret in [
                SECRET_SUBJECT,
                SECRET_BODY,
                SECRET_ANSWER,
                SECRET_FILE,
                "Dupont SRL",
                "Voir jurisprudence",
            ] {
                assert!(!json.contains(secret), "{} carries {secret}", e.action);
            }
        }
    }
}

pub async fn legal_the_year_figures_equal_independent_counts(store: &Store) {
    let (member, member_account) = account(store, "Marc", Role::Member).await;
    let (_, lawyer) = account(store, "Lena", Role::Legal).await;
    let as_member = AuditContext::account(member_account, None);
    let as_lawyer = AuditContext::account(lawyer, None);
    // (kind, filed, first answer)
    let plan: [(&str, Date, Option<Date>); 6] = [
        ("question", date(2025, 2, 3), Some(date(2025, 2, 5))),
        ("question", date(2025, 6, 1), Some(date(2025, 6, 11))),
        ("dispute", date(2025, 9, 1), Some(date(2025, 9, 5))),
        (
            "contract-review",
            date(2025, 12, 20),
            Some(date(2026, 1, 4)),
        ),
        ("dispute", date(2025, 12, 30), None),
        ("question", date(2026, 1, 2), Some(date(2026, 1, 3))),
    ];
    for (kind, filed, answered) in plan {
        let new = form(kind, None).parse(member, filed).unwrap();
        let r = store
            .file_legal_request(&as_member, &new, &[], at(filed))
            .await
            .unwrap();
        if let Some(a) = answered {
            store
                .triage_legal_request(&as_lawyer, r.id, LegalPriority::Normal, lawyer, at(filed))
                .await
                .unwrap();
            store
                .answer_legal_request(&as_lawyer, r.id, "Réponse", &[], &notice(), at(a))
                .await
                .unwrap();
        }
    }
    // Independent counts of the plan for 2025: five filed (2 questions, 1 review, 2
    // disputes); three first answered in 2025 after 2, 10 and 4 days: median 4.
    let y = store.year_figures(2025).await.unwrap();
    let s = y
        .iter()
        .find(|s| s.section == FigureSection::LegalHelp)
        .unwrap();
    assert!(s.available);
    let n = |key: &str| match s.figure(key).map(|f| f.value) {
        Some(FigureValue::Count(n)) => n,
        other => panic!("{key}: {other:?}"),
    };
    assert_eq!(n("legal-requests"), 5);
    assert_eq!(n("legal-questions"), 2);
    assert_eq!(n("legal-contract-reviews"), 1);
    assert_eq!(n("legal-disputes"), 2);
    assert_eq!(n("legal-answered"), 3);
    assert_eq!(n("legal-answer-days-median"), 4);
    // 2026: one filed; two first answered (the review after 15 days, the question after 1):
    // median of [1, 15] rounded half up = 8.
    let y = store.legal_help_year(2026).await.unwrap();
    assert_eq!((y.requests, y.questions, y.answered), (1, 1, 2));
    assert_eq!(y.answer_days_median, Some(8));
    // A year without requests shows no number.
    let empty = store
        .section_figures(FigureSection::LegalHelp, 2019)
        .await
        .unwrap();
    assert!(!empty.available && empty.figures.is_empty());
}
