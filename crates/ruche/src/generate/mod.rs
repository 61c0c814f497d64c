//! `ruche generate reference-year`: a deterministic cooperative year written through ruche's
//! own store and domain code (the forms' parsers, the store's use cases: numbering, ledger
//! postings, the reminders run, the work-volume rules), never with raw inserts.
//!
//! **Determinism.** One `StdRng::seed_from_u64(--seed)` draws everything, in a fixed order.
//! Every record is dated in `--year` (offices, advisors and most members in earlier years);
//! the store's clock ([`ruche_store::set_fixed_now`]) is set to each record's date while it
//! is written, so creation instants too come from the plan, never from the wall clock.
//! Same seed and scale → same data → same figures and report.
//!
//! **Scale rule.** Volume figures are `round(x · scale)` of the reference year, exactly:
//! members (= employees, each holding one activity and working under its contracts)
//! 20,077; contracts 208,014 with exactly 4,539,177 hours (split so the sum is exact, at
//! least one hour and one contract per member); invoices 200,000 worth exactly 194 M€
//! excluding VAT (split the same way); clients 50,000. Institutional counts do not scale:
//! 9 offices; 82 advisors, or fewer at a small scale but never fewer than one per office.
//!
//! **Phases**, in order: the legal entity (first, so that a half-generated database is
//! recognised as not empty); offices and advisors; members with their accounts and
//! activities (proposed, then validated); clients; then the year day by day — the day's
//! invoices saved and issued on their date, the day's payments recorded (most within the
//! term, some after one or two reminders, 1 % half paid, 2 % never), and the daily
//! reminders run `dunning_run(day)`; a day's invoices go through `Store::issue_invoices` and
//! its payments through `Store::record_payments`, the same use cases as one by one in one
//! transaction. Then the work contracts, planned member by member and signed day by day
//! through `Store::sign_contracts` (one transaction a day; skipped, and said so, when the
//! year has no employment or payroll parameters in `crates/domain/rules/`: they start in
//! 2023), among them the year's new open-ended contracts — 32 at scale 1 (14 women, 18 men;
//! 21 full-time at 38 h a week, 11 part-time at 19 h), `round(32 · scale)` and at least
//! one, women `round(14 n / 32)` and full time `round(21 n / 32)` each kept within 1 … n − 1
//! when n ≥ 2 (n = 1: a full-time man), given to members of that declared gender and
//! counted in the contracts and hours, so that the totals stay exact (every member
//! declares the gender of their first name); the 0 % loans (44 for 215,474 € in the
//! year, 131 for 506,378 € in the five years before — at least one of each and 500 € a
//! loan at a small scale) through their whole life cycle; the training sessions (staff 709
//! days / 162 participants over 60 sessions, members 93 / 758 over 31 — at least one
//! session, and one day and one participant a session); the guide (24 articles, a fixed
//! number, and 266,000 views of the year); then the issue-8 parts, through the same store
//! use cases as the demo seeders: the labs (7 active all year — institutional, it does not
//! scale — with 140 members at scale 1, at least two a lab, 10 meetings and 3 outputs each)
//! and the school of cooperation (12 workshops, 25 sessions, 2,500 registrations at scale
//! 1, at least one a session, 80 % attended); the ethics committee (6 seats, 8 meetings, 6
//! referrals, 5 opinions published) and advocacy (9 publications, 12 conferences, 8
//! network memberships); the places (the 4,800 m² head office and six sites, 8,840 m²
//! shared with the network; five workspaces for 5–8 people let to five partners all year;
//! 6,000 bookings at scale 1, at least one); prevention (12 incidents, 5 of them work
//! accidents, one declared late; 12 committee meetings; 15 actions, 10 done; 12 health
//! checks) and the diversity plan's 10 actions (4 done, 4 in progress); one recommendation
//! cycle (300 recommendations and 6,000 supports at scale 1, at least 3 and one a
//! recommendation; the board's follow-up). Counts without a scale above are fixed.
//!
//! Then the issue-9 parts, each in its own module with its volumes in its doc comment: the
//! share register (every member subscribes on the day they joined) and the year's ordinary
//! general assembly (350 present and 80 proxies at scale 1, four resolutions voted under the
//! capped one-person-one-vote rule); 6,000 expense claims at scale 1 (a third mileage, 90 %
//! approved from the activity's budget); 1,000 credit notes on disputed overdue invoices;
//! 1,500 recovery cases (member consulted, formal notice, some to a collection agency); 1,200
//! legal-help requests; 3,000 quotes (55 % accepted, not invoiced: the invoices are the
//! sales phase's).
//!
//! **Not covered yet** (the next steps): bank statements. See docs/benchmarks.md.
//!
//! **Failure.** Bad options are refused before the database is opened; a database holding
//! any legal entity or person is refused before anything is written. Generation is not
//! resumable: if it stops halfway, the message says what was written and that the database
//! must be dropped (or the SQLite file deleted) before running again.

mod credit_notes;
mod ethics;
mod expenses;
mod guide;
mod legal_help;
mod loans;
mod one_core;
mod participation;
mod people;
mod places;
mod prevention;
mod progress;
mod quotes;
mod recommendations;
mod recovery;
mod sales;
pub mod scale;
mod shares;
mod trainings;
mod work;
// (more generator modules above this line)

use std::path::PathBuf;

use anyhow::{Result, bail};
use jiff::civil::Date;
use rand::SeedableRng;
use rand::rngs::StdRng;
use ruche_store::persons::PersonFilter;
use ruche_store::{PageRequest, Store};
use serde::Serialize;

use progress::Progress;
use scale::Volumes;

/// The options of `ruche generate reference-year`.
#[derive(Debug, Clone)]
pub struct Options {
    pub year: i16,
    pub seed: u64,
    pub scale: f64,
    pub summary_json: Option<PathBuf>,
}

/// What a generation wrote, counted as it wrote it. Printed at the end, and written as JSON
/// with `--summary-json` (the proof test compares it with the year's figures).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub year: i16,
    pub seed: u64,
    pub offices: i64,
    pub advisors: i64,
    pub members: i64,
    /// Members whose account was opened in the year.
    pub members_new: i64,
    pub activities: i64,
    /// Activities proposed in the year.
    pub activities_new: i64,
    pub clients: i64,
    /// Invoices issued in the year.
    pub invoices: i64,
    /// Their total excluding VAT, in cents.
    pub invoiced_cents: i64,
    /// Distinct clients invoiced.
    pub clients_invoiced: i64,
    /// Distinct activities invoicing.
    pub activities_invoicing: i64,
    pub payments: i64,
    pub paid_cents: i64,
    /// Invoices never paid (nothing received by the year's end).
    pub invoices_unpaid: i64,
    /// Reminders recorded by the daily runs of the year.
    pub reminders: i64,
    /// Whether the work phase ran (the year has employment and payroll parameters).
    pub work_generated: bool,
    pub contracts: i64,
    pub workers: i64,
    pub hours: i64,
    /// Loans disbursed in the year, and since launch (the year's included).
    pub loans: i64,
    pub loans_cents: i64,
    pub loans_since_launch: i64,
    pub loans_since_launch_cents: i64,
    pub training_staff_days: i64,
    pub training_staff_participants: i64,
    pub training_member_days: i64,
    pub training_member_participants: i64,
    pub guide_articles: i64,
    pub guide_views: i64,
    /// Labs active in the year, their distinct members, meetings and outputs.
    pub labs: i64,
    pub lab_members: i64,
    pub lab_meetings: i64,
    pub lab_outputs: i64,
    /// The school of cooperation: sessions held, registrations, attendances.
    pub school_sessions: i64,
    pub school_registrations: i64,
    pub school_attended: i64,
    pub ethics_meetings: i64,
    pub ethics_referrals: i64,
    /// Opinions published in the year.
    pub ethics_opinions: i64,
    pub advocacy_publications: i64,
    pub advocacy_conferences: i64,
    pub advocacy_audience: i64,
    pub advocacy_networks: i64,
    pub place_sites: i64,
    pub place_spaces: i64,
    pub place_lettings: i64,
    pub place_bookings: i64,
    pub place_booked_minutes: i64,
    pub prevention_incidents: i64,
    pub prevention_accidents: i64,
    pub prevention_days_lost: i64,
    pub prevention_declared_late: i64,
    pub prevention_meetings: i64,
    pub prevention_actions_done: i64,
    pub prevention_health_checks: i64,
    pub diversity_actions: i64,
    pub diversity_done: i64,
    pub diversity_in_progress: i64,
    pub reco_cycles: i64,
    pub reco_written: i64,
    pub reco_supports: i64,
    pub reco_accepted: i64,
    pub reco_done: i64,
    pub reco_declined: i64,
    /// The share register: holders at the year's end (every member), those who subscribed
    /// in the year, shares subscribed.
    pub shareholders: i64,
    pub shareholders_new: i64,
    pub shares_subscribed: i64,
    /// General assemblies held (closed) in the year; attendance, proxies, ballots.
    pub assemblies: i64,
    pub ga_present: i64,
    pub ga_represented: i64,
    pub ga_proxies: i64,
    pub ga_ballots: i64,
    pub ga_resolutions_adopted: i64,
    /// Expense claims filed; approved, with their amount and kilometres.
    pub expense_claims: i64,
    pub expenses_approved: i64,
    pub expenses_reimbursed_cents: i64,
    pub expenses_mileage_km: i64,
    /// Credit notes issued, their total excluding VAT, those crediting a whole invoice.
    pub credit_notes: i64,
    pub credited_cents: i64,
    pub credit_notes_full: i64,
    /// Recovery cases opened, formal notices sent, cases stopped, handed to an agency.
    pub recovery_cases: i64,
    pub formal_notices: i64,
    pub recovery_stopped: i64,
    pub recovery_agency: i64,
    /// Legal-help requests filed, and first answered, in the year.
    pub legal_requests: i64,
    pub legal_answered: i64,
    /// Quotes written in the year; sent; accepted and declined by the client.
    pub quotes: i64,
    pub quotes_sent: i64,
    pub quotes_accepted: i64,
    pub quotes_declined: i64,
    /// The year's new open-ended contracts (among `contracts` and `hours`), by declared
    /// gender and by full (38 h a week) or part time.
    pub open_ended_contracts: i64,
    pub open_ended_women: i64,
    pub open_ended_men: i64,
    pub open_ended_full_time: i64,
    pub open_ended_part_time: i64,
    // (more summary fields above this line)
    pub elapsed_seconds: u64,
}

/// The reminders of the reference year, printed next to the generated count.
const REFERENCE_REMINDERS: i64 = 34_873;

/// Refuses bad options before anything is opened or written.
pub fn check_options(options: &Options) -> Result<()> {
    if !(options.scale > 0.0 && options.scale <= 10.0) {
        bail!(
            "--scale must be above 0 and at most 10 (1 is the reference year), not {}",
            options.scale
        );
    }
    if !(2000..=2100).contains(&options.year) {
        bail!("--year must be between 2000 and 2100, not {}", options.year);
    }
    Ok(())
}

/// Refuses a database that holds anything already.
pub async fn check_empty(store: &Store) -> Result<()> {
    let entities = store.legal_entities(PageRequest::new(1, 1)).await?.total;
    let persons = store
        .persons(&PersonFilter::default(), PageRequest::new(1, 1))
        .await?
        .total;
    if entities > 0 || persons > 0 {
        bail!("this database already holds a cooperative; generate into an empty database");
    }
    Ok(())
}

/// Generates the year into an empty database (checked by the caller with [`check_empty`]).
pub async fn run(store: &Store, options: &Options) -> Result<Summary> {
    let mut progress = Progress::new();
    let mut summary = Summary {
        year: options.year,
        seed: options.seed,
        ..Summary::default()
    };
    let one_core = one_core::OneCore::pin();
    let result = phases(store, options, &mut progress, &mut summary).await;
    drop(one_core);
    ruche_store::set_fixed_now(None);
    if let Err(e) = result {
        bail!(
            "generation stopped: {e:#}\nWritten so far: {}. The database holds a partial year \
             and cannot be resumed: drop it (PostgreSQL: DROP DATABASE; SQLite: delete the file \
             with its -wal and -shm) and run the command again.",
            written(&summary)
        );
    }
    summary.elapsed_seconds = progress.elapsed().as_secs();
    print_summary(&summary);
    if let Some(path) = &options.summary_json {
        std::fs::write(path, serde_json::to_vec_pretty(&summary)?)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    Ok(summary)
}

async fn phases(
    store: &Store,
    options: &Options,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let volumes = Volumes::at(options.scale);
    let mut rng = StdRng::seed_from_u64(options.seed);
    let year = options.year;
    let coop = people::generate(store, &mut rng, year, &volumes, progress, summary).await?;
    sales::generate(store, &mut rng, &coop, &volumes, progress, summary).await?;
    work::generate(
        store,
        &mut rng,
        &coop,
        &volumes,
        options.scale,
        progress,
        summary,
    )
    .await?;
    loans::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    trainings::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    guide::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    participation::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    ethics::generate(store, &mut rng, &coop, progress, summary).await?;
    places::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    prevention::generate(store, &mut rng, &coop, progress, summary).await?;
    recommendations::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    shares::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    expenses::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    credit_notes::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    recovery::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    legal_help::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    quotes::generate(store, &mut rng, &coop, options.scale, progress, summary).await?;
    // (more phases above this line; ANALYZE stays last)
    progress.phase("planner statistics", 1);
    store.analyze().await?;
    progress.advance(1);
    progress.finish("ANALYZE");
    Ok(())
}

fn written(s: &Summary) -> String {
    format!(
        "{} offices, {} advisors, {} members, {} activities, {} clients, {} invoices, {} \
         payments, {} reminders, {} contracts, {} loans, {} guide articles, {} labs, {} school \
         sessions, {} ethics meetings, {} publications, {} place bookings, {} incidents, {} \
         recommendations, {} shareholders, {} assemblies, {} expense claims, {} credit notes, \
         {} recovery cases, {} legal requests",
        s.offices,
        s.advisors,
        s.members,
        s.activities,
        s.clients,
        s.invoices,
        s.payments,
        s.reminders,
        s.contracts,
        s.loans_since_launch,
        s.guide_articles,
        s.labs,
        s.school_sessions,
        s.ethics_meetings,
        s.advocacy_publications,
        s.place_bookings,
        s.prevention_incidents,
        s.reco_written,
        s.shareholders,
        s.assemblies,
        s.expense_claims,
        s.credit_notes,
        s.recovery_cases,
        s.legal_requests
    )
}

fn print_summary(s: &Summary) {
    eprintln!(
        "generated {} (seed {}) in {} s:",
        s.year, s.seed, s.elapsed_seconds
    );
    eprintln!(
        "  {} offices, {} advisors, {} members ({} new), {} activities ({} new), {} clients",
        s.offices, s.advisors, s.members, s.members_new, s.activities, s.activities_new, s.clients
    );
    eprintln!(
        "  {} invoices for {} excl. VAT; {} payments for {}; {} invoices never paid",
        s.invoices,
        ruche_domain::format::money(s.invoiced_cents),
        s.payments,
        ruche_domain::format::money(s.paid_cents),
        s.invoices_unpaid
    );
    eprintln!(
        "  {} reminders (the reference year: {REFERENCE_REMINDERS})",
        s.reminders
    );
    if s.work_generated {
        eprintln!(
            "  {} contracts, {} workers, {} hours ({} FTE at 1,976 h); {} new open-ended: {} \
             women, {} men, {} full-time, {} part-time",
            s.contracts,
            s.workers,
            s.hours,
            s.hours / 1_976,
            s.open_ended_contracts,
            s.open_ended_women,
            s.open_ended_men,
            s.open_ended_full_time,
            s.open_ended_part_time
        );
    } else {
        eprintln!(
            "  no work contracts: no employment or payroll parameters for {} (crates/domain/rules/)",
            s.year
        );
    }
    eprintln!(
        "  {} loans for {} in the year; {} for {} since launch",
        s.loans,
        ruche_domain::format::money(s.loans_cents),
        s.loans_since_launch,
        ruche_domain::format::money(s.loans_since_launch_cents)
    );
    eprintln!(
        "  training: staff {} days / {} participants, members {} days / {} participants",
        s.training_staff_days,
        s.training_staff_participants,
        s.training_member_days,
        s.training_member_participants
    );
    eprintln!(
        "  guide: {} articles, {} views",
        s.guide_articles, s.guide_views
    );
    eprintln!(
        "  labs: {} active, {} members, {} meetings, {} outputs; school: {} sessions, {} \
         registrations, {} attended",
        s.labs,
        s.lab_members,
        s.lab_meetings,
        s.lab_outputs,
        s.school_sessions,
        s.school_registrations,
        s.school_attended
    );
    eprintln!(
        "  ethics: {} meetings, {} referrals, {} opinions published; advocacy: {} \
         publications, {} conferences ({} attending), {} networks",
        s.ethics_meetings,
        s.ethics_referrals,
        s.ethics_opinions,
        s.advocacy_publications,
        s.advocacy_conferences,
        s.advocacy_audience,
        s.advocacy_networks
    );
    eprintln!(
        "  places: {} sites, {} spaces, {} lettings, {} bookings ({} min)",
        s.place_sites, s.place_spaces, s.place_lettings, s.place_bookings, s.place_booked_minutes
    );
    eprintln!(
        "  prevention: {} incidents ({} work accidents, {} days lost), {} committee meetings, \
         {} actions done, {} health checks; diversity: {} actions ({} done, {} in progress)",
        s.prevention_incidents,
        s.prevention_accidents,
        s.prevention_days_lost,
        s.prevention_meetings,
        s.prevention_actions_done,
        s.prevention_health_checks,
        s.diversity_actions,
        s.diversity_done,
        s.diversity_in_progress
    );
    eprintln!(
        "  recommendations: {} cycle, {} written, {} supports, {} accepted, {} done, {} declined",
        s.reco_cycles,
        s.reco_written,
        s.reco_supports,
        s.reco_accepted,
        s.reco_done,
        s.reco_declined
    );
    eprintln!(
        "  shares: {} holders ({} new), {} shares; {} assembly: {} present, {} represented, \
         {} ballots, {} resolutions adopted",
        s.shareholders,
        s.shareholders_new,
        s.shares_subscribed,
        s.assemblies,
        s.ga_present,
        s.ga_represented,
        s.ga_ballots,
        s.ga_resolutions_adopted
    );
    eprintln!(
        "  expenses: {} claims, {} approved for {} ({} km); {} credit notes ({} full) for {}",
        s.expense_claims,
        s.expenses_approved,
        ruche_domain::format::money(s.expenses_reimbursed_cents),
        s.expenses_mileage_km,
        s.credit_notes,
        s.credit_notes_full,
        ruche_domain::format::money(s.credited_cents)
    );
    eprintln!(
        "  recovery: {} cases, {} formal notices, {} stopped, {} with an agency; legal help: \
         {} requests, {} answered",
        s.recovery_cases,
        s.formal_notices,
        s.recovery_stopped,
        s.recovery_agency,
        s.legal_requests,
        s.legal_answered
    );
    eprintln!(
        "  quotes: {} written, {} sent, {} accepted, {} declined",
        s.quotes, s.quotes_sent, s.quotes_accepted, s.quotes_declined
    );
}

/// Noon in Brussels on `day`, with the store's clock set to it: the `at` of the writes
/// that take one.
pub(crate) fn noon(day: Date) -> Result<i64> {
    set_clock(day, 12)?;
    Ok(ruche_store::now_micros())
}

/// A day of the year as a date (`day` 0 is 1 January), clamped to 31 December.
pub(crate) fn day_of(year: i16, day: i64) -> Result<Date> {
    let first = Date::new(year, 1, 1)?;
    let last = Date::new(year, 12, 31)?;
    Ok(first.checked_add(jiff::Span::new().days(day))?.min(last))
}

/// The number of days of the year.
pub(crate) fn days_in(year: i16) -> i64 {
    if Date::new(year, 12, 31).is_ok_and(|d| d.day_of_year() == 366) {
        366
    } else {
        365
    }
}

/// Sets the store's clock to `day` at `hour` in Brussels (creation instants of what follows).
pub(crate) fn set_clock(day: Date, hour: i8) -> Result<()> {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels")?;
    let micros = day
        .at(hour, 0, 0, 0)
        .to_zoned(tz)?
        .timestamp()
        .as_microsecond();
    ruche_store::set_fixed_now(Some(micros));
    Ok(())
}
