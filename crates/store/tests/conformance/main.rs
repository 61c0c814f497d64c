//! The store conformance suite: every test runs on SQLite and on PostgreSQL.
//!
//! SQLite runs in a temporary file. PostgreSQL runs in a schema of its own per test, in the
//! database named by `RUCHE_TEST_PG_URL` (the test command creates a fresh database per run
//! and drops it); without that variable, in `postgres://postgres@127.0.0.1:5432/test`.
//! The test names say which engine ran: `sqlite::…` and `postgres::…`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;
mod suite;

macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::harness::TestDb::sqlite().await;
                    crate::suite::$name(&db.store).await;
                    db.drop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::harness::TestDb::postgres().await;
                    crate::suite::$name(&db.store).await;
                    db.drop().await;
                }
            )*
        }
    };
}

on_both_engines!(
    legal_entities_round_trip_and_refuse_a_taken_enterprise_number,
    offices_are_paged_and_unique_by_name,
    persons_are_searched_by_name_and_filtered_by_office,
    a_niss_belongs_to_one_person,
    accounts_hold_several_roles_and_unique_emails,
    a_person_and_account_are_created_together_or_not_at_all,
    deactivating_an_account_ends_its_sessions,
    sessions_expire_and_are_shared,
    failed_logins_are_counted_per_ip_and_per_email,
    a_password_reset_token_works_once,
    api_tokens_are_found_by_hash_until_revoked,
    the_usage_contract_in_force_must_be_accepted_again_when_a_new_version_comes,
    every_change_is_in_the_audit_log_with_before_and_after,
    a_job_is_claimed_by_one_worker_at_a_time,
    two_workers_never_run_the_same_job,
    a_failed_job_is_retried_then_fails_for_good,
    a_job_with_a_unique_key_is_enqueued_once,
    an_expired_lease_makes_the_job_claimable_again,
    queued_mail_has_its_delivery_job_and_attempts,
);

/// The two engines' migrations produce the same tables and columns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_have_the_same_schema() {
    let sqlite = harness::TestDb::sqlite().await;
    let postgres = harness::TestDb::postgres().await;
    let a = sqlite.store.schema_columns().await.unwrap();
    let b = postgres.store.schema_columns().await.unwrap();
    assert!(!a.is_empty());
    let only_sqlite: Vec<_> = a.iter().filter(|c| !b.contains(c)).collect();
    let only_pg: Vec<_> = b.iter().filter(|c| !a.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "schemas differ:\n only in SQLite: {only_sqlite:#?}\n only in PostgreSQL: {only_pg:#?}"
    );
    sqlite.drop().await;
    postgres.drop().await;
}
