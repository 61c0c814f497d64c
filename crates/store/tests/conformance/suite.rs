//! The conformance stories. Each function receives a freshly migrated store.

use std::collections::HashSet;

use ruche_domain::Role;
use ruche_domain::group::{LegalEntity, LegalEntityForm, Office, OfficeForm};
use ruche_domain::person::{Person, PersonForm};
use ruche_store::accounts::{NewAccount, RoleGrant};
use ruche_store::audit::AuditFilter;
use ruche_store::jobs::NewJob;
use ruche_store::mail::MailStatus;
use ruche_store::persons::PersonFilter;
use ruche_store::usage_contract::NewUsageContractVersion;
use ruche_store::{AuditContext, PageRequest, Store, StoreError, now_micros};

const HOUR: i64 = 3_600_000_000;

fn ctx() -> AuditContext {
    AuditContext::system()
}

fn entity(name: &str, number: &str) -> LegalEntity {
    LegalEntityForm {
        name: name.into(),
        legal_form: "SCES agréée".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        enterprise_number: number.into(),
        vat_number: String::new(),
        iban: "BE68539007547034".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .unwrap()
}

fn office(name: &str) -> Office {
    OfficeForm {
        name: name.into(),
        region: "wallonia".into(),
        street: "Rue de la Loi 1".into(),
        postcode: "4000".into(),
        city: "Liège".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

fn person(first: &str, last: &str, office_id: Option<i64>) -> Person {
    PersonForm {
        first_name: first.into(),
        last_name: last.into(),
        street: "Kerkstraat 1".into(),
        postcode: "9000".into(),
        city: "Gent".into(),
        language: "nl".into(),
        office_id: office_id.map(|o| o.to_string()).unwrap_or_default(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

fn account(email: &str, roles: &[Role]) -> NewAccount {
    NewAccount {
        email: email.into(),
        password_hash: "hash".into(),
        language: None,
        roles: roles
            .iter()
            .map(|r| RoleGrant {
                role: *r,
                office_id: None,
            })
            .collect(),
    }
}

pub async fn legal_entities_round_trip_and_refuse_a_taken_enterprise_number(store: &Store) {
    let coop = store
        .save_legal_entity(&ctx(), None, &entity("Ruche", "0202239951"))
        .await
        .unwrap();
    assert_eq!(coop.enterprise_number, "0202239951");
    assert_eq!(store.legal_entity(coop.id).await.unwrap(), coop);
    let err = store
        .save_legal_entity(&ctx(), None, &entity("Other", "0202.239.951"))
        .await;
    assert!(matches!(
        err,
        Err(StoreError::Duplicate {
            field: "enterprise_number"
        })
    ));
    let training_entity = entity("Ruche Formation", "0403170701");
    let training = store
        .save_legal_entity(&ctx(), None, &training_entity)
        .await
        .unwrap();
    let renamed = store
        .save_legal_entity(
            &ctx(),
            Some(training.id),
            &entity("Ruche Training", "0403170701"),
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Ruche Training");
    let page = store.legal_entities(PageRequest::default()).await.unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items[0].name, "Ruche");
    assert!(matches!(
        store.legal_entity(999).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn offices_are_paged_and_unique_by_name(store: &Store) {
    for i in 0..12 {
        store
            .save_office(&ctx(), None, &office(&format!("Office {i:02}")))
            .await
            .unwrap();
    }
    let err = store.save_office(&ctx(), None, &office("OFFICE 03")).await;
    assert!(matches!(err, Err(StoreError::Duplicate { field: "name" })));
    let page = store.offices(PageRequest::new(2, 5)).await.unwrap();
    assert_eq!(page.total, 12);
    assert_eq!(page.pages(), 3);
    assert_eq!(page.items.len(), 5);
    assert_eq!(page.items[0].name, "Office 05");
    assert_eq!(store.all_offices().await.unwrap().len(), 12);
}

pub async fn persons_are_searched_by_name_and_filtered_by_office(store: &Store) {
    let liege = store
        .save_office(&ctx(), None, &office("Liège"))
        .await
        .unwrap();
    let gent = store
        .save_office(&ctx(), None, &office("Gent"))
        .await
        .unwrap();
    store
        .save_person(&ctx(), None, &person("Ana", "Peeters", Some(gent.id)))
        .await
        .unwrap();
    store
        .save_person(&ctx(), None, &person("Luc", "Dubois", Some(liege.id)))
        .await
        .unwrap();
    store
        .save_person(&ctx(), None, &person("Marie", "Dupont", Some(liege.id)))
        .await
        .unwrap();
    store
        .save_person(&ctx(), None, &person("Jan", "Janssens", None))
        .await
        .unwrap();

    let search = PersonFilter {
        search: Some("DU".into()),
        offices: None,
    };
    let found = store
        .persons(&search, PageRequest::default())
        .await
        .unwrap();
    let names: Vec<_> = found.items.iter().map(|p| p.last_name.as_str()).collect();
    assert_eq!(names, ["Dubois", "Dupont"]);

    let mine = PersonFilter {
        search: None,
        offices: Some(vec![gent.id]),
    };
    let found = store.persons(&mine, PageRequest::default()).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].first_name, "Ana");

    let none = PersonFilter {
        search: None,
        offices: Some(vec![]),
    };
    assert_eq!(
        store
            .persons(&none, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    let all = store
        .persons(&PersonFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 4);

    let err = store
        .save_person(&ctx(), None, &person("X", "Y", Some(999)))
        .await;
    assert!(matches!(err, Err(StoreError::NotFound)));
}

pub async fn a_niss_belongs_to_one_person(store: &Store) {
    let mut p = person("Ana", "Peeters", None);
    p.niss = Some(ruche_domain::ident::Niss::parse("85.07.30-033.28").unwrap());
    let first = store.save_person(&ctx(), None, &p).await.unwrap();
    assert_eq!(first.niss.as_deref(), Some("85073003328"));
    let err = store.save_person(&ctx(), None, &p).await;
    assert!(matches!(err, Err(StoreError::Duplicate { field: "niss" })));
    // The same person may be saved again with their own NISS.
    store.save_person(&ctx(), Some(first.id), &p).await.unwrap();
}

pub async fn a_declared_gender_is_saved_changed_and_audited(store: &Store) {
    // Not stated by default.
    let mut p = person("Ana", "Peeters", None);
    let saved = store.save_person(&ctx(), None, &p).await.unwrap();
    assert_eq!(saved.gender, None);
    p.gender = Some(ruche_domain::employment::Gender::Female);
    let changed = store.save_person(&ctx(), Some(saved.id), &p).await.unwrap();
    assert_eq!(changed.gender.as_deref(), Some("f"));
    assert_eq!(
        store.person(saved.id).await.unwrap().gender.as_deref(),
        Some("f")
    );
    let filter = AuditFilter {
        entity_type: Some("person".into()),
        entity_id: Some(saved.id),
        ..Default::default()
    };
    let log = store
        .audit_entries(&filter, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.total, 2);
    assert!(
        log.items[0]
            .after_json
            .as_deref()
            .unwrap()
            .contains("\"gender\":\"f\"")
    );
    assert!(
        log.items[0]
            .before_json
            .as_deref()
            .unwrap()
            .contains("\"gender\":null")
    );
    // Back to not stated.
    p.gender = None;
    let cleared = store.save_person(&ctx(), Some(saved.id), &p).await.unwrap();
    assert_eq!(cleared.gender, None);
}

pub async fn accounts_hold_several_roles_and_unique_emails(store: &Store) {
    let liege = store
        .save_office(&ctx(), None, &office("Liège"))
        .await
        .unwrap();
    let p = store
        .save_person(&ctx(), None, &person("Ana", "Peeters", None))
        .await
        .unwrap();
    let mut new = account("ana@ruche.test", &[Role::Member, Role::Board]);
    new.roles.push(RoleGrant {
        role: Role::Advisor,
        office_id: Some(liege.id),
    });
    let acc = store.create_account(&ctx(), p.id, &new).await.unwrap();
    let roles = store.account_roles(acc.id).await.unwrap();
    assert_eq!(
        roles,
        [
            RoleGrant {
                role: Role::Member,
                office_id: None
            },
            RoleGrant {
                role: Role::Advisor,
                office_id: Some(liege.id)
            },
            RoleGrant {
                role: Role::Board,
                office_id: None
            },
        ]
    );
    let other = store
        .save_person(&ctx(), None, &person("Jan", "Peeters", None))
        .await
        .unwrap();
    let err = store
        .create_account(&ctx(), other.id, &account("ana@ruche.test", &[]))
        .await;
    assert!(matches!(err, Err(StoreError::Duplicate { field: "email" })));
    let err = store
        .create_account(&ctx(), p.id, &account("ana2@ruche.test", &[]))
        .await;
    assert!(matches!(
        err,
        Err(StoreError::Duplicate { field: "person_id" })
    ));

    let list = store
        .accounts(Some("peet"), None, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(list.total, 1);
    let mut listed: Vec<&str> = list.items[0].roles.split(',').collect();
    listed.sort();
    assert_eq!(listed, ["advisor", "board", "member"]);
    let boards = store
        .accounts(None, Some(Role::Board), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(boards.total, 1);
    let admins = store.accounts(None, Some(Role::Administrator), PageRequest::default());
    assert_eq!(admins.await.unwrap().total, 0);
    assert_eq!(
        store
            .account_by_email(" ANA@ruche.test")
            .await
            .unwrap()
            .map(|a| a.id),
        Some(acc.id)
    );
}

pub async fn a_person_and_account_are_created_together_or_not_at_all(store: &Store) {
    let p = person("Ana", "Peeters", None);
    let (created, acc) = store
        .create_person_with_account(&ctx(), &p, &account("ana@ruche.test", &[Role::Member]))
        .await
        .unwrap();
    assert_eq!(acc.person_id, created.id);
    // A second person with the same e-mail: refused, and no orphan person is left behind.
    let err = store
        .create_person_with_account(&ctx(), &p, &account("ana@ruche.test", &[Role::Member]))
        .await;
    assert!(matches!(err, Err(StoreError::Duplicate { field: "email" })));
    let all = store
        .persons(&PersonFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 1);
}

pub async fn deactivating_an_account_ends_its_sessions(store: &Store) {
    let (_, acc) = store
        .create_person_with_account(&ctx(), &person("A", "B", None), &account("a@b.be", &[]))
        .await
        .unwrap();
    store
        .create_session("h1", acc.id, HOUR, Some("127.0.0.1"))
        .await
        .unwrap();
    assert_eq!(
        store.session_account("h1", HOUR).await.unwrap(),
        Some(acc.clone())
    );
    let roles = [RoleGrant {
        role: Role::Accountant,
        office_id: None,
    }];
    let updated = store
        .update_account(&ctx(), acc.id, "a@b.be", false, &roles)
        .await
        .unwrap();
    assert!(!updated.active);
    assert_eq!(store.session_account("h1", HOUR).await.unwrap(), None);
    assert_eq!(store.account_roles(acc.id).await.unwrap(), roles);
}

pub async fn sessions_expire_and_are_shared(store: &Store) {
    let (_, acc) = store
        .create_person_with_account(&ctx(), &person("A", "B", None), &account("a@b.be", &[]))
        .await
        .unwrap();
    store
        .create_session("live", acc.id, HOUR, None)
        .await
        .unwrap();
    store
        .create_session("dead", acc.id, -1, None)
        .await
        .unwrap();
    assert_eq!(
        store.session_account("live", HOUR).await.unwrap(),
        Some(acc.clone())
    );
    assert_eq!(store.session_account("dead", HOUR).await.unwrap(), None);
    assert_eq!(store.session_account("unknown", HOUR).await.unwrap(), None);
    store.purge_auth(0).await.unwrap();
    store.delete_session("live").await.unwrap();
    assert_eq!(store.session_account("live", HOUR).await.unwrap(), None);
}

pub async fn failed_logins_are_counted_per_ip_and_per_email(store: &Store) {
    let since = now_micros() - HOUR;
    for _ in 0..3 {
        store
            .record_login_attempt("10.0.0.1", "a@b.be", false)
            .await
            .unwrap();
    }
    store
        .record_login_attempt("10.0.0.2", "a@b.be", false)
        .await
        .unwrap();
    store
        .record_login_attempt("10.0.0.1", "c@d.be", true)
        .await
        .unwrap();
    assert_eq!(
        store
            .failed_logins_since("10.0.0.1", "a@b.be", since)
            .await
            .unwrap(),
        (3, 4)
    );
    assert_eq!(
        store
            .failed_logins_since("10.0.0.9", "c@d.be", since)
            .await
            .unwrap(),
        (0, 0)
    );
    let later = now_micros() + HOUR;
    assert_eq!(
        store
            .failed_logins_since("10.0.0.1", "a@b.be", later)
            .await
            .unwrap(),
        (0, 0)
    );
}

pub async fn a_password_reset_token_works_once(store: &Store) {
    let (_, acc) = store
        .create_person_with_account(&ctx(), &person("A", "B", None), &account("a@b.be", &[]))
        .await
        .unwrap();
    store.create_session("s", acc.id, HOUR, None).await.unwrap();
    store
        .create_password_reset("t", acc.id, HOUR)
        .await
        .unwrap();
    store
        .create_password_reset("old", acc.id, -1)
        .await
        .unwrap();
    assert_eq!(
        store.password_reset_account("t").await.unwrap(),
        Some(acc.id)
    );
    assert_eq!(store.password_reset_account("old").await.unwrap(), None);
    assert_eq!(store.reset_password("t", "new-hash").await.unwrap(), acc.id);
    assert_eq!(store.password_hash(acc.id).await.unwrap(), "new-hash");
    assert_eq!(
        store.session_account("s", HOUR).await.unwrap(),
        None,
        "sessions end"
    );
    assert!(matches!(
        store.reset_password("t", "again").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.reset_password("old", "again").await,
        Err(StoreError::NotFound)
    ));
}

pub async fn api_tokens_are_found_by_hash_until_revoked(store: &Store) {
    let (_, acc) = store
        .create_person_with_account(&ctx(), &person("A", "B", None), &account("a@b.be", &[]))
        .await
        .unwrap();
    let token = store
        .create_api_token(&ctx(), acc.id, "ci", "hash-1", "rch_ab12")
        .await
        .unwrap();
    assert_eq!(
        store.api_token_account("hash-1").await.unwrap(),
        Some(acc.id)
    );
    assert!(
        store.api_tokens(acc.id).await.unwrap()[0]
            .last_used_at
            .is_some()
    );
    store.revoke_api_token(&ctx(), token.id).await.unwrap();
    assert_eq!(store.api_token_account("hash-1").await.unwrap(), None);
    assert!(
        store
            .api_token(token.id)
            .await
            .unwrap()
            .revoked_at
            .is_some()
    );
}

pub async fn the_usage_contract_in_force_must_be_accepted_again_when_a_new_version_comes(
    store: &Store,
) {
    use jiff::civil::date;
    let (_, acc) = store
        .create_person_with_account(&ctx(), &person("A", "B", None), &account("a@b.be", &[]))
        .await
        .unwrap();
    let version = |label: &str, from| NewUsageContractVersion {
        label: label.into(),
        effective_from: from,
        text_fr: "Texte".into(),
        text_nl: "Tekst".into(),
        text_en: "Text".into(),
    };
    let v1 = store
        .publish_usage_contract(&ctx(), &version("2019", date(2019, 1, 1)))
        .await;
    let v1 = v1.unwrap();
    let today = date(2023, 6, 1);
    assert_eq!(
        store
            .usage_contract_accepted(acc.id, date(2018, 12, 31))
            .await
            .unwrap(),
        None,
        "no version in force yet: nothing to accept"
    );
    assert_eq!(
        store.usage_contract_accepted(acc.id, today).await.unwrap(),
        Some(false)
    );
    assert_eq!(
        store
            .usage_contract_in_force(today)
            .await
            .unwrap()
            .map(|v| v.id),
        Some(v1.id)
    );
    store
        .accept_usage_contract(&ctx(), acc.id, v1.id)
        .await
        .unwrap();
    store
        .accept_usage_contract(&ctx(), acc.id, v1.id)
        .await
        .unwrap();
    assert_eq!(
        store.usage_contract_acceptance_count(v1.id).await.unwrap(),
        1
    );

    let v2 = store
        .publish_usage_contract(&ctx(), &version("2023", date(2023, 9, 4)))
        .await;
    let v2 = v2.unwrap();
    let err = store
        .publish_usage_contract(&ctx(), &version("2023", date(2024, 1, 1)))
        .await;
    assert!(matches!(err, Err(StoreError::Duplicate { field: "label" })));
    // Before 4 September 2023 the first version still holds; from that day the new one does,
    // and the member's earlier acceptance does not count for it.
    assert_eq!(
        store
            .usage_contract_in_force(today)
            .await
            .unwrap()
            .map(|v| v.id),
        Some(v1.id)
    );
    assert_eq!(
        store.usage_contract_accepted(acc.id, today).await.unwrap(),
        Some(true)
    );
    assert_eq!(
        store
            .usage_contract_accepted(acc.id, date(2023, 9, 4))
            .await
            .unwrap(),
        Some(false),
        "the acceptance of the earlier version does not count for the new one"
    );
    let current = store
        .usage_contract_in_force(date(2023, 9, 4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current.id, v2.id);
    assert_eq!(
        store
            .usage_contract_accepted_at(acc.id, v2.id)
            .await
            .unwrap(),
        None
    );
    store
        .accept_usage_contract(&ctx(), acc.id, v2.id)
        .await
        .unwrap();
    assert!(
        store
            .usage_contract_accepted_at(acc.id, v2.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.usage_contract_versions().await.unwrap().len(), 2);
}

pub async fn every_change_is_in_the_audit_log_with_before_and_after(store: &Store) {
    let (_, admin) = store
        .create_person_with_account(&ctx(), &person("A", "B", None), &account("a@b.be", &[]))
        .await
        .unwrap();
    let by_admin = AuditContext::account(admin.id, Some("192.0.2.1".into()));
    let o = store
        .save_office(&by_admin, None, &office("Namur"))
        .await
        .unwrap();
    store
        .save_office(&by_admin, Some(o.id), &office("Namur-Centre"))
        .await
        .unwrap();
    let filter = AuditFilter {
        entity_type: Some("office".into()),
        entity_id: Some(o.id),
        ..Default::default()
    };
    let log = store
        .audit_entries(&filter, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.total, 2);
    let update = &log.items[0];
    assert_eq!(update.action, "update");
    assert_eq!(update.actor_email.as_deref(), Some("a@b.be"));
    assert_eq!(update.ip.as_deref(), Some("192.0.2.1"));
    assert!(update.before_json.as_deref().unwrap().contains("\"Namur\""));
    assert!(
        update
            .after_json
            .as_deref()
            .unwrap()
            .contains("\"Namur-Centre\"")
    );
    assert!(log.items[1].before_json.is_none());
    let by_actor = AuditFilter {
        actor_account_id: Some(admin.id),
        ..Default::default()
    };
    assert_eq!(
        store
            .audit_entries(&by_actor, PageRequest::default())
            .await
            .unwrap()
            .total,
        2
    );
    // Account snapshots never carry the password hash.
    let accounts = AuditFilter {
        entity_type: Some("account".into()),
        ..Default::default()
    };
    let log = store
        .audit_entries(&accounts, PageRequest::default())
        .await
        .unwrap();
    assert!(
        log.items
            .iter()
            .all(|e| !e.after_json.as_deref().unwrap_or("").contains("hash"))
    );
    let types = store.audit_entity_types().await.unwrap();
    assert!(types.contains(&"office".to_string()) && types.contains(&"person".to_string()));
}

pub async fn a_job_is_claimed_by_one_worker_at_a_time(store: &Store) {
    let id = store
        .enqueue_job(&NewJob::now("test", serde_json::json!({"n": 1})))
        .await
        .unwrap();
    let id = id.unwrap();
    let claimed = store.claim_job("w1", HOUR).await.unwrap().unwrap();
    assert_eq!((claimed.id, claimed.attempts), (id, 1));
    assert_eq!(store.claim_job("w2", HOUR).await.unwrap(), None);
    assert!(matches!(
        store.complete_job(id, "w2").await,
        Err(StoreError::Conflict(_))
    ));
    store.complete_job(id, "w1").await.unwrap();
    let job = store.job(id).await.unwrap();
    assert_eq!(job.status, "done");
    assert!(job.finished_at.is_some());
    assert_eq!(store.claim_job("w1", HOUR).await.unwrap(), None);
    // A job scheduled for later is not due.
    let mut later = NewJob::now("test", serde_json::json!({}));
    later.run_at = now_micros() + HOUR;
    store.enqueue_job(&later).await.unwrap();
    assert_eq!(store.claim_job("w1", HOUR).await.unwrap(), None);
}

pub async fn two_workers_never_run_the_same_job(store: &Store) {
    const JOBS: usize = 60;
    for n in 0..JOBS {
        store
            .enqueue_job(&NewJob::now("test", serde_json::json!({ "n": n })))
            .await
            .unwrap();
    }
    let mut workers = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let owner = format!("worker-{w}");
            let mut mine = Vec::new();
            while let Some(job) = store.claim_job(&owner, HOUR).await.unwrap() {
                store.complete_job(job.id, &owner).await.unwrap();
                mine.push(job.id);
            }
            mine
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for w in workers {
        for id in w.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "job {id} ran twice");
        }
    }
    assert_eq!(total, JOBS);
}

pub async fn a_failed_job_is_retried_then_fails_for_good(store: &Store) {
    let mut job = NewJob::now("test", serde_json::json!({}));
    job.max_attempts = 2;
    let id = store.enqueue_job(&job).await.unwrap().unwrap();
    let claimed = store.claim_job("w", HOUR).await.unwrap().unwrap();
    store
        .fail_job(claimed.id, "w", "smtp down", Some(now_micros() - 1))
        .await
        .unwrap();
    let again = store.claim_job("w", HOUR).await.unwrap().unwrap();
    assert_eq!(again.attempts, 2);
    store
        .fail_job(id, "w", "smtp still down", None)
        .await
        .unwrap();
    let job = store.job(id).await.unwrap();
    assert_eq!(job.status, "failed");
    assert_eq!(job.last_error.as_deref(), Some("smtp still down"));
    assert_eq!(store.claim_job("w", HOUR).await.unwrap(), None);
}

pub async fn a_job_with_a_unique_key_is_enqueued_once(store: &Store) {
    let mut job = NewJob::now("daily-run", serde_json::json!({}));
    job.unique_key = Some("daily-run:2026-11-26".into());
    assert!(store.enqueue_job(&job).await.unwrap().is_some());
    assert!(store.enqueue_job(&job).await.unwrap().is_none());
    assert_eq!(store.jobs(PageRequest::default()).await.unwrap().total, 1);
}

pub async fn an_expired_lease_makes_the_job_claimable_again(store: &Store) {
    let id = store
        .enqueue_job(&NewJob::now("test", serde_json::json!({})))
        .await
        .unwrap();
    let first = store.claim_job("dead-instance", -1).await.unwrap().unwrap();
    let second = store
        .claim_job("live-instance", HOUR)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((first.id, second.id), (id.unwrap(), id.unwrap()));
    assert_eq!(second.attempts, 2);
    assert!(store.complete_job(first.id, "dead-instance").await.is_err());
    store
        .complete_job(second.id, "live-instance")
        .await
        .unwrap();
}

pub async fn queued_mail_has_its_delivery_job_and_attempts(store: &Store) {
    let mail = store
        .queue_mail("ana@ruche.test", "Bienvenue", "Bonjour Ana")
        .await
        .unwrap();
    assert_eq!(mail.status, "queued");
    let job = store.claim_job("w", HOUR).await.unwrap().unwrap();
    assert_eq!(Some(job.id), mail.job_id);
    assert_eq!(job.kind, ruche_store::mail::SEND_MAIL_JOB);
    assert!(job.payload.contains(&mail.id.to_string()));
    store
        .record_mail_attempt(
            mail.id,
            "error",
            Some("connection refused"),
            MailStatus::Queued,
        )
        .await
        .unwrap();
    store
        .record_mail_attempt(mail.id, "sent", None, MailStatus::Sent)
        .await
        .unwrap();
    let attempts = store.mail_attempts(mail.id).await.unwrap();
    assert_eq!(attempts.len(), 2);
    let mail = store.mail(mail.id).await.unwrap();
    assert_eq!(mail.status, "sent");
    assert!(mail.sent_at.is_some());
    let page = store
        .mails(Some("ana@ruche.test"), true, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(
        store
            .mails(Some("x@y.be"), true, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn a_mail_with_a_password_link_is_listed_only_when_asked(store: &Store) {
    let open = store
        .queue_mail(
            "client@ruche.test",
            "Rappel de paiement",
            "Facture F2026-00001",
        )
        .await
        .unwrap();
    let secret = store
        .queue_confidential_mail(
            "ana@ruche.test",
            "Mot de passe",
            "https://x/password/reset/t",
        )
        .await
        .unwrap();
    assert!(!open.confidential);
    assert!(secret.confidential);
    assert!(secret.job_id.is_some());
    let shared = store
        .mails(None, false, PageRequest::default())
        .await
        .unwrap();
    assert_eq!((shared.total, shared.items.len()), (1, 1));
    assert_eq!(shared.items[0].id, open.id);
    let all = store
        .mails(None, true, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    assert!(store.mail(secret.id).await.unwrap().confidential);
}
