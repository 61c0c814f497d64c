//! The store conformance suite: every test runs on SQLite and on PostgreSQL.
//!
//! SQLite runs in a temporary file. PostgreSQL runs in a schema of its own per test, in the
//! database named by `RUCHE_TEST_PG_URL` (the test command creates a fresh database per run
//! and drops it); without that variable, in `postgres://postgres@127.0.0.1:5432/test`.
//! The test names say which engine ran: `sqlite::…` and `postgres::…`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// `on_both_engines!` takes one step of recursion per story.
#![recursion_limit = "1024"]

mod advocacy;
mod assemblies;
mod bank;
mod board;
mod budget;
mod dunning;
mod employment;
mod ethics;
mod expenses;
mod figures;
mod fixtures;
mod guide;
mod harness;
mod invoices;
mod labs;
mod ledger;
mod legal_help;
mod loans;
mod payouts;
mod places;
mod prevention;
mod quotes;
mod recommendations;
mod recovery;
mod sales;
mod school;
mod shares;
mod special_reports;
mod suite;
mod trainings;
mod transparency;

/// `on_both_engines!(story, module::story, …)`: one test per engine for each story; a bare
/// `story` is `suite::story`. The list is read one story at a time, because a macro pattern
/// cannot tell `story` from `module::story` in one repetition.
macro_rules! on_both_engines {
    (@tests [$($module:ident :: $name:ident)*]) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::harness::TestDb::sqlite().await;
                    crate::$module::$name(&db.store).await;
                    db.drop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::harness::TestDb::postgres().await;
                    crate::$module::$name(&db.store).await;
                    db.drop().await;
                }
            )*
        }
    };
    (@tests [$($done:tt)*] $module:ident :: $name:ident $(, $($rest:tt)*)?) => {
        on_both_engines!(@tests [$($done)* $module::$name] $($($rest)*)?);
    };
    (@tests [$($done:tt)*] $name:ident $(, $($rest:tt)*)?) => {
        on_both_engines!(@tests [$($done)* suite::$name] $($($rest)*)?);
    };
    ($($stories:tt)*) => {
        on_both_engines!(@tests [] $($stories)*);
    };
}

on_both_engines!(
    legal_entities_round_trip_and_refuse_a_taken_enterprise_number,
    offices_are_paged_and_unique_by_name,
    persons_are_searched_by_name_and_filtered_by_office,
    a_niss_belongs_to_one_person,
    a_declared_gender_is_saved_changed_and_audited,
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
    a_mail_with_a_password_link_is_listed_only_when_asked,
    ledger::a_balanced_transaction_round_trips_and_balances_follow,
    ledger::an_unbalanced_transaction_is_refused_and_nothing_is_written,
    ledger::the_journal_is_append_only_and_checked_on_reading,
    ledger::postings_carry_their_transactions_date,
    ledger::a_reversal_zeroes_balances_and_is_made_once,
    ledger::the_trial_balance_stays_zero_over_200_random_postings,
    ledger::monthly_movements_and_totals_by_kind_are_right,
    ledger::an_account_statement_is_paged_newest_first_with_its_running_balance,
    ledger::concurrent_postings_on_the_same_accounts_lose_nothing,
    sales::an_activity_is_proposed_validated_and_closed_by_the_rules,
    sales::activities_are_listed_by_holder_office_status_and_name,
    sales::several_members_hold_one_activity_and_the_last_one_stays,
    sales::a_company_is_in_the_client_directory_once,
    quotes::a_quote_is_drafted_sent_accepted_and_invoiced,
    quotes::quote_numbers_follow_each_other_per_year_and_only_when_sent,
    quotes::quotes_sent_concurrently_get_every_number_once,
    quotes::a_quote_is_confirmed_once_and_not_after_its_decline_or_its_validity,
    quotes::bad_lines_and_unknown_clients_write_nothing,
    quotes::quotes_are_listed_by_activity_client_status_and_search,
    invoices::an_issued_invoice_is_numbered_frozen_and_posted,
    dunning::a_run_twice_on_the_same_day_sends_nothing_new,
    dunning::two_runs_at_the_same_moment_send_each_reminder_once,
    dunning::blocked_paid_and_credited_invoices_are_not_reminded,
    dunning::a_consumer_gets_a_free_letter_then_waits_fourteen_days,
    dunning::the_accountant_sees_counts_ages_and_a_summary_letter,
    dunning::an_invoice_in_recovery_gets_no_more_reminders,
    invoices::invoices_issued_concurrently_get_every_number_once,
    invoices::a_credit_note_corrects_at_most_what_remains,
    invoices::a_payment_fills_the_budget_less_the_contribution,
    invoices::a_draft_with_bad_lines_or_for_nobody_writes_nothing,
    invoices::partial_payments_move_the_whole_net_amount_to_the_cent,
    invoices::a_batch_issues_and_pays_as_one_by_one_and_all_or_nothing,
    invoices::invoices_are_listed_by_every_filter_drafts_then_newest_first,
    budget::the_budget_adds_up_the_postings_of_its_activity,
    budget::an_internal_trade_moves_exactly_the_amount_and_never_twice,
    budget::an_internal_trade_beyond_the_available_budget_is_refused_and_writes_nothing,
    budget::trades_spending_one_budget_at_once_never_overdraw_it,
    budget::a_budget_read_while_others_post_always_adds_up,
    bank::importing_the_same_statement_twice_adds_nothing,
    bank::a_movement_with_the_invoice_ogm_pays_it_and_fills_the_budget,
    bank::a_movement_with_an_unknown_ogm_stays_unmatched,
    bank::a_reference_twice_in_one_file_is_stored_and_paid_once,
    bank::an_overlapping_statement_adds_only_the_new_movements,
    payouts::a_payout_is_created_pending_with_a_unique_end_to_end_id_and_audited,
    payouts::a_batch_takes_the_due_pending_orders_of_its_entity_once_and_keeps_its_file,
    payouts::a_refused_file_writes_nothing,
    payouts::only_a_pending_payout_is_cancelled,
    payouts::a_paid_payout_posts_its_ledger_transaction_once,
    payouts::payouts_are_listed_by_entity_status_and_kind_with_paging,
    bank::a_file_for_an_unknown_account_is_refused_whole,
    bank::statements_continue_per_account,
    bank::partial_and_over_payments,
    bank::one_payment_for_several_invoices,
    bank::a_returned_payment_reopens_the_invoice,
    bank::matching_by_hand_and_undoing_it_are_audited,
    bank::a_payout_coming_back_with_its_end_to_end_id_is_paid,
    bank::the_activity_sees_its_unpaid_invoices_until_they_are_paid,
    employment::a_contract_beyond_the_budget_is_refused_and_reserves_nothing,
    employment::the_guarantee_advances_a_confirmed_order_and_the_client_repays_it,
    employment::the_fund_bears_the_loss_of_a_written_off_order,
    employment::overlapping_contracts_are_flagged_and_a_day_past_eleven_hours_refused,
    employment::cancelling_a_contract_releases_its_reservation_and_the_advance,
    employment::a_pay_run_pays_the_finished_work_and_holds_workers_without_iban,
    employment::the_year_counts_hours_fte_and_distinct_workers,
    expenses::a_mileage_claim_keeps_its_rate_and_the_year_stops_at_the_ceiling,
    expenses::an_approval_spends_the_budget_and_orders_the_transfer_once,
    expenses::an_approval_beyond_the_available_budget_is_refused_and_writes_nothing,
    expenses::approvals_spending_one_budget_at_once_never_overdraw_it,
    expenses::mileage_claims_filed_at_once_never_pass_the_ceiling,
    expenses::a_refusal_needs_its_reason_and_a_withdrawal_its_claim_waiting,
    expenses::only_a_holder_of_an_active_activity_files_a_claim,
    expenses::a_supplier_is_paid_directly_with_its_invoice_reference,
    expenses::claims_are_listed_by_activity_claimant_office_and_status,
    recovery::a_case_moves_forward_through_its_stages_and_never_back,
    recovery::the_member_is_consulted_before_the_formal_notice,
    recovery::a_write_off_charges_the_guarantee_fund_not_the_member,
    recovery::the_history_of_an_invoice_is_in_order_with_its_authors,
    recovery::a_case_closes_when_the_invoice_is_paid,
    recovery::the_pipeline_counts_and_pages_the_cases_per_stage,
    figures::each_figure_of_the_year_equals_a_count_of_its_data,
    figures::a_year_without_data_shows_no_number,
    figures::members_are_counted_from_the_share_register_when_it_holds_data,
    figures::only_published_figures_reach_the_public_page,
    shares::shares_a_subscription_is_paid_up_entered_and_posted_with_gap_free_numbers,
    shares::shares_a_refused_request_keeps_its_reason_and_cannot_be_paid,
    shares::shares_a_transfer_writes_two_consecutive_lines_and_moves_the_paid_capital,
    shares::shares_a_resignation_is_refused_outside_the_window_and_accepted_within,
    shares::shares_a_refund_above_the_cap_is_refused_and_nothing_changes,
    shares::shares_a_suspended_refund_is_paid_once_the_tests_pass,
    shares::shares_an_exclusion_needs_its_reason_and_a_member_without_iban_waits,
    shares::shares_the_register_and_an_extract_read_at_a_past_date,
    shares::statutes_the_version_in_force_is_read_at_a_date_and_adoption_is_checked,
    board::a_mandate_rests_on_an_adopted_appointment_resolution,
    board::a_payment_without_basis_shows_as_unexplained,
    board::an_allocation_with_a_dividend_is_refused_when_the_statutes_exclude_it,
    assemblies::convening_mails_every_holder_in_their_language_and_fixes_the_agenda,
    assemblies::a_proxy_beyond_the_statutes_limit_or_to_a_non_member_is_refused,
    assemblies::a_principal_with_an_active_delegation_cannot_vote,
    assemblies::a_second_vote_is_refused_and_changes_nothing,
    assemblies::a_vote_after_closing_is_refused,
    assemblies::closing_a_resolution_keeps_its_tally_with_the_cap,
    assemblies::the_minutes_are_frozen_at_closing_and_kept_once,
    special_reports::a_year_is_closed_once_and_only_after_its_end,
    special_reports::an_approved_report_is_frozen_and_later_data_change_nothing_in_it,
    special_reports::a_year_without_data_shows_no_invented_number,
    trainings::trainings_a_training_reaches_the_index_only_published_with_its_texts,
    trainings::trainings_an_exempt_training_is_invoiced_by_the_training_entity_in_category_e,
    trainings::trainings_the_contact_form_is_limited_per_address_and_per_email,
    trainings::trainings_the_year_figures_equal_the_sessions_and_leads_of_the_year,
    transparency::transparency_year_figures_are_independent_sums_of_the_ledger,
    transparency::transparency_mapping_is_refused_naming_the_account_or_the_category,
    transparency::transparency_published_figures_stay_when_next_years_mapping_changes,
    guide::guide_revisions_are_numbered_per_language_and_the_latest_is_current,
    guide::guide_links_show_where_an_article_is_linked_from_and_unknown_targets,
    guide::guide_members_only_and_drafts_stay_out_of_the_public_lists_and_search,
    guide::guide_views_are_counted_per_day_and_feed_most_read_and_the_figures,
    legal_help::legal_a_request_is_triaged_answered_closed_and_reopened_and_its_text_stays_out_of_the_log,
    legal_help::legal_the_year_figures_equal_independent_counts,
    loans::loans_a_member_applies_the_committee_approves_and_an_incoming_payment_repays_the_due_instalment,
    loans::loans_an_automatic_repayment_never_takes_more_than_the_payment_nor_overdraws,
    loans::loans_a_second_open_application_and_a_non_holder_are_refused,
    loans::loans_arrears_fall_in_buckets_and_each_reminder_is_sent_once,
    loans::loans_early_repayment_closes_rescheduling_keeps_the_outstanding_and_write_off_charges_the_fund,
    loans::loans_the_yearly_figures_equal_independent_counts,
    // issue 8: school (its stories below this line)
    school::registering_beyond_the_capacity_waits_and_a_cancellation_promotes_the_first,
    school::concurrent_registrations_on_the_last_places_never_exceed_the_capacity,
    school::the_reminder_is_sent_once_to_those_holding_a_place,
    school::cancelling_a_session_tells_everyone_holding_a_place_or_waiting,
    school::the_participation_figures_equal_independent_counts,
    // issue 8: labs (its stories below this line)
    labs::a_lab_keeps_a_coordinator_and_takes_members_only_while_it_runs,
    // issue 8: ethics (its stories below this line)
    ethics::ethics_a_referral_goes_to_a_published_opinion_and_the_referrer_is_mailed_once,
    ethics::ethics_bad_input_is_refused_and_changes_nothing,
    ethics::ethics_the_year_figures_equal_independent_counts,
    // issue 8: advocacy (its stories below this line)
    advocacy::advocacy_records_are_kept_and_changed_with_their_audit,
    advocacy::advocacy_the_year_figures_equal_independent_counts,
    // issue 8: recommendations (its stories below this line)
    recommendations::recommendations_a_consolidation_keeps_provenance_makes_co_authors_notifies_each_supporter_once_and_moves_no_support,
    recommendations::recommendations_a_consolidation_without_every_author_s_consent_is_refused,
    recommendations::recommendations_one_support_per_person_and_only_while_supports_are_open,
    recommendations::recommendations_the_board_follows_up_and_a_decline_carries_its_reason,
    recommendations::recommendations_the_year_figures_equal_independent_counts,
    // issue 8: places (its stories below this line)
    places::places_an_overlapping_booking_is_refused_naming_the_slot_back_to_back_is_not,
    places::places_a_letting_blocks_bookings_and_a_booking_blocks_a_letting,
    places::places_no_double_booking_under_concurrency,
    places::places_the_yearly_figures_equal_independent_counts,
    // issue 8: prevention (its stories below this line)
    prevention::prevention_an_incident_with_follow_up_is_recorded_and_closed,
    prevention::prevention_bad_input_is_refused_with_reasons,
    prevention::prevention_year_figures_equal_independent_counts,
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
