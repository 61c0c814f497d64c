//! `ruche bench year`: the issue-9 measurements on a generated reference year, in one
//! command, on a database of its own (a temporary SQLite file, or a fresh PostgreSQL
//! database `ruche_bench_<unix time>_<pid>` on the server of `--database-url`, dropped at the
//! end unless `--keep`: `ruche serve` needs a whole database, not a schema).
//!
//! 1. the year is generated (`crate::generate`, timed once; its own phase lines on stderr);
//! 2. the special report of the year: the figures, the checks and figures the report page
//!    shows, its PDF (median and p95 over `--runs`);
//! 3. the reminders run of the first working day after the year: dry runs (median, p95),
//!    then the real run once;
//! 4. a camt.053 of `--movements` movements paying the year's open invoices by their
//!    structured communication (the rest match nothing): imported and matched once, then
//!    imported again (every movement already known);
//! 5. issuing one invoice on the year's last day (number, ledger, snapshot, PDF, UBL);
//! 6. HTTP: `ruche serve` on the same database (once its worker has sent the mails the
//!    generated year queued), `wrk` on the member's dashboard, the
//!    budget page of their activity, their invoice list, the cooperative's invoice list
//!    (an accountant) and a catalogue search; the server's peak memory (VmHWM) after the
//!    load. Without `wrk` this part is skipped, visibly.
//!
//! Then one markdown table with the issue-9 targets, the machine and the command line.
//! Timings are never asserted (a noisy 2-core machine): the table is for docs/benchmarks.md.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use jiff::civil::Date;
use ruche_domain::dunning::calendar::nth_working_day_after;
use ruche_domain::invoicing::{DocumentKind, InvoiceStatus, LineInput, VatCategory};
use ruche_domain::training::TrainingStatus;
use ruche_domain::{Language, Role};
use ruche_store::invoices::{DraftInvoice, InvoiceFilter, InvoiceRecord};
use ruche_store::trainings::TrainingFilter;
use ruche_store::{AuditContext, ConnectOptions, PageRequest, Store};
use rust_decimal::Decimal;

use crate::bench::quantile;
use crate::{camt_gen, generate};

/// The options of `ruche bench year`.
#[derive(Debug, Clone)]
pub struct Options {
    pub year: i16,
    pub scale: f64,
    pub seed: u64,
    pub runs: usize,
    pub duration_secs: u64,
    pub connections: u32,
    pub movements: usize,
    pub keep: bool,
}

// The targets of issue 9, on one machine at scale 1.
const TARGET_GENERATION_SQLITE: Duration = Duration::from_secs(180);
const TARGET_GENERATION_POSTGRES: Duration = Duration::from_secs(300);
const TARGET_REPORT: Duration = Duration::from_secs(1);
const TARGET_DAY_REMINDERS: Duration = Duration::from_secs(2);
const TARGET_IMPORT: Duration = Duration::from_secs(10);
const TARGET_REQUESTS_PER_SECOND: f64 = 1_500.0;
const TARGET_P99: Duration = Duration::from_millis(50);
const TARGET_MEMORY_MB: f64 = 300.0;

/// wrk's threads (the machine of the targets has two cores).
const WRK_THREADS: u32 = 2;
/// How long the HTTP load waits for the server's worker to send what the year queued.
const QUEUE_DRAIN: Duration = Duration::from_secs(900);

/// How long the server may take to answer /healthz after it is spawned.
const SERVER_START: Duration = Duration::from_secs(120);
/// How long the server may take to stop after SIGTERM (it waits up to 40 s for its worker).
const SERVER_STOP: Duration = Duration::from_secs(60);
/// The words searched in the catalogue.
const CATALOGUE_QUERY: &str = "formation";

/// One line of the results table.
struct Row {
    measure: String,
    median: String,
    tail: String,
    compared: String,
}

impl Row {
    fn new(
        measure: impl Into<String>,
        median: impl Into<String>,
        tail: impl Into<String>,
        compared: impl Into<String>,
    ) -> Row {
        Row {
            measure: measure.into(),
            median: median.into(),
            tail: tail.into(),
            compared: compared.into(),
        }
    }

    /// A measure taken once.
    fn once(measure: impl Into<String>, took: Duration, compared: impl Into<String>) -> Row {
        Row::new(measure, format!("{} (once)", human(took)), "", compared)
    }

    /// A measure repeated: median and p95 of `samples`.
    fn repeated(
        measure: impl Into<String>,
        mut samples: Vec<Duration>,
        compared: impl Into<String>,
    ) -> Row {
        samples.sort();
        Row::new(
            measure,
            human(quantile(&samples, 0.5)),
            format!("p95 {}", human(quantile(&samples, 0.95))),
            compared,
        )
    }
}

/// Runs the whole benchmark and prints its table.
pub async fn run(database_url: Option<&str>, options: &Options) -> Result<()> {
    let generation = generate::Options {
        year: options.year,
        seed: options.seed,
        scale: options.scale,
        summary_json: None,
    };
    generate::check_options(&generation)?;
    if options.runs == 0 || options.duration_secs == 0 || options.movements == 0 {
        bail!("--runs, --duration-secs and --movements must be at least 1");
    }
    if options.connections < WRK_THREADS {
        bail!("--connections must be at least {WRK_THREADS} (wrk's threads)");
    }
    let database = Database::create(database_url).await?;
    let mut rows = Vec::new();
    let outcome = measure(&database, options, &generation, &mut rows).await;
    let cleanup = database.finish(options.keep).await;
    // What was measured before a failure is printed too.
    let engine = database_engine(database_url);
    print_table(engine, options, &rows);
    outcome?;
    cleanup
}

fn database_engine(url: Option<&str>) -> &'static str {
    match url {
        Some(url) if url.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

async fn measure(
    database: &Database,
    options: &Options,
    generation: &generate::Options,
    rows: &mut Vec<Row>,
) -> Result<()> {
    let store = Store::connect(
        &database.url,
        &ConnectOptions {
            max_connections: 8,
            pg_schema: None,
        },
    )
    .await
    .with_context(|| format!("connecting to {}", crate::config::redact(&database.url)))?;
    store.migrate().await.context("applying migrations")?;
    let outcome = measure_on(&store, database, options, generation, rows).await;
    store.close().await;
    outcome
}

async fn measure_on(
    store: &Store,
    database: &Database,
    options: &Options,
    generation: &generate::Options,
    rows: &mut Vec<Row>,
) -> Result<()> {
    let year = options.year;
    let at_scale_1 = (options.scale - 1.0).abs() < f64::EPSILON;

    // 1. The year.
    generate::check_empty(store).await?;
    eprintln!(
        "[1/6] generating {year} at scale {} (seed {}) on {}",
        options.scale,
        options.seed,
        store.engine().name()
    );
    let started = Instant::now();
    let summary = generate::run(store, generation).await?;
    let took = started.elapsed();
    let limit = if store.engine() == ruche_store::Engine::Postgres {
        TARGET_GENERATION_POSTGRES
    } else {
        TARGET_GENERATION_SQLITE
    };
    rows.push(Row::once(
        format!(
            "generate the year: {} members, {} invoices, {} payments, {} reminders, {} contracts \
             (phases: the generator's lines on stderr)",
            summary.members,
            summary.invoices,
            summary.payments,
            summary.reminders,
            summary.contracts
        ),
        took,
        below(took, limit, at_scale_1),
    ));
    rows.push(Row::new(
        format!(
            "the year's reminders: {} recorded by the {} daily runs",
            summary.reminders,
            generate::days_in(year)
        ),
        "",
        "",
        "timed within the generator's phase \"invoices, payments, reminders\"; the reference year: 34,873",
    ));

    // 2. The special report of the year.
    eprintln!("[2/6] the special report of {year}, {} runs", options.runs);
    ruche_pdf::warm_up();
    let year32 = i32::from(year);
    let mut figures = Vec::with_capacity(options.runs);
    let mut assembled = Vec::with_capacity(options.runs);
    let mut pdf = Vec::with_capacity(options.runs);
    let mut pdf_bytes = 0;
    for _ in 0..options.runs {
        let t = Instant::now();
        std::hint::black_box(store.year_figures(year).await?);
        figures.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(
            ruche_web::pages::governance::current_report(store, year32)
                .await
                .map_err(|e| anyhow!("the special report of {year}: {e}"))?,
        );
        assembled.push(t.elapsed());
        let t = Instant::now();
        let bytes = ruche_web::pages::governance::report_bytes(store, year32, Language::Fr)
            .await
            .map_err(|e| anyhow!("the special report's PDF of {year}: {e}"))?;
        pdf.push(t.elapsed());
        pdf_bytes = bytes.len();
    }
    let compared = |samples: &[Duration]| below_median(samples, TARGET_REPORT, at_scale_1);
    rows.push(Row::repeated(
        "the year's figures (Store::year_figures, the indicators page)",
        figures.clone(),
        compared(&figures),
    ));
    rows.push(Row::repeated(
        "the special report: checks and figures (the report page's data)",
        assembled.clone(),
        compared(&assembled),
    ));
    rows.push(Row::repeated(
        format!("the special report as PDF, fr ({} kB)", pdf_bytes / 1024),
        pdf.clone(),
        compared(&pdf),
    ));

    // 3. One day's reminders: the first working day after the year (1 January is a legal
    // public holiday: royal decree of 18 April 1974).
    let day = nth_working_day_after(Date::new(year, 12, 31)?, 1);
    eprintln!(
        "[3/6] the reminders run of {day}: {} dry runs, then the real one",
        options.runs
    );
    let ctx = AuditContext::system();
    let mut dry = Vec::with_capacity(options.runs);
    for _ in 0..options.runs {
        let t = Instant::now();
        std::hint::black_box(store.dunning_run(&ctx, day, true).await?);
        dry.push(t.elapsed());
    }
    let t = Instant::now();
    let report = store.dunning_run(&ctx, day, false).await?;
    let took = t.elapsed();
    rows.push(Row::once(
        format!(
            "one day's reminders run, {day}: {} open invoices past due, {} reminders recorded",
            report.candidates,
            report.total_sent()
        ),
        took,
        below(took, TARGET_DAY_REMINDERS, at_scale_1),
    ));
    let compared = below_median(&dry, TARGET_DAY_REMINDERS, at_scale_1);
    rows.push(Row::repeated(
        "the same day's run, dry (decides, writes nothing)",
        dry,
        compared,
    ));

    // 4. A bank statement paying the open invoices.
    let open = open_invoices(store).await?;
    let activity = match open.first() {
        Some(invoice) => (invoice.activity_id, invoice.client_id),
        None => any_invoice(store, year).await?,
    };
    eprintln!(
        "[4/6] a camt.053 of {} movements, {} of them paying open invoices by their structured communication",
        options.movements,
        open.len().min(options.movements)
    );
    let entity = store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .into_iter()
        .next()
        .context("the generated year has no legal entity")?;
    let entries = statement_entries(&open, options.movements);
    let paying = entries
        .iter()
        .filter(|e| e.reference.starts_with("PAY"))
        .count();
    let xml = camt_gen::statement(&entity.iban.replace(' ', ""), 1, day, &entries);
    let t = Instant::now();
    let file = ruche_formats::statement::read("bench-year.xml", xml.as_bytes())
        .map_err(|e| anyhow!("{e}"))?;
    let read = t.elapsed();
    let t = Instant::now();
    let first = store.import_statement_file(&ctx, &file).await?;
    let import = t.elapsed();
    let t = Instant::now();
    let again = store.import_statement_file(&ctx, &file).await?;
    let reimport = t.elapsed();
    if first.read != options.movements || again.already_known != options.movements {
        bail!(
            "the import read {} of {} movements, the second import knew {}",
            first.read,
            options.movements,
            again.already_known
        );
    }
    rows.push(Row::once(
        format!(
            "read a camt.053 of {} movements ({:.1} MB)",
            options.movements,
            xml.len() as f64 / 1e6
        ),
        read,
        "",
    ));
    rows.push(Row::once(
        format!(
            "import and match it: {} matched ({paying} paying an open invoice), {} unmatched",
            first.matched, first.unmatched
        ),
        import,
        below(import, TARGET_IMPORT, options.movements == 100_000),
    ));
    rows.push(Row::once(
        "the same file again (every movement already known)",
        reimport,
        "",
    ));
    drop(xml);

    // 5. Issuing one invoice on the year's last day.
    eprintln!("[5/6] issuing {} invoices, one at a time", options.runs);
    let last_day = Date::new(year, 12, 31)?;
    let mut issue = Vec::with_capacity(options.runs);
    for i in 0..options.runs {
        let draft = store
            .save_invoice_draft(&ctx, None, &draft(entity.id, activity, i))
            .await?;
        let t = Instant::now();
        let issued = store.issue_invoice(&ctx, draft.id, last_day).await?;
        ruche_web::documents::files(store, issued.record.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        issue.push(t.elapsed());
    }
    rows.push(Row::repeated(
        format!(
            "issue one invoice on {last_day}, after the year's {} (number, ledger, snapshot, PDF, UBL)",
            summary.invoices
        ),
        issue,
        "no issue-9 target",
    ));

    // 6. HTTP.
    eprintln!("[6/6] HTTP: ruche serve and wrk");
    http(store, database, options, activity.0, rows).await
}

/// The open invoices (issued, or partly paid) that carry a structured communication.
async fn open_invoices(store: &Store) -> Result<Vec<InvoiceRecord>> {
    let mut out = Vec::new();
    for status in [InvoiceStatus::Issued, InvoiceStatus::PartiallyPaid] {
        let filter = InvoiceFilter {
            status: Some(status),
            kind: Some(DocumentKind::Invoice),
            ..InvoiceFilter::default()
        };
        let mut page = 1;
        loop {
            let found = store
                .invoices(&filter, PageRequest::new(page, PageRequest::MAX_PER_PAGE))
                .await?;
            let last = found.items.len() < usize::try_from(PageRequest::MAX_PER_PAGE)?
                || page * PageRequest::MAX_PER_PAGE >= found.total;
            out.extend(
                found
                    .items
                    .into_iter()
                    .filter(|i| i.structured_communication.is_some()),
            );
            if last {
                break;
            }
            page += 1;
        }
    }
    Ok(out)
}

/// An activity with invoices and one of its clients, when no invoice is open.
async fn any_invoice(store: &Store, year: i16) -> Result<(i64, i64)> {
    let filter = InvoiceFilter {
        issue_year: Some(year),
        ..InvoiceFilter::default()
    };
    let invoice = store
        .invoices(&filter, PageRequest::new(1, 1))
        .await?
        .items
        .into_iter()
        .next()
        .context("the generated year has no invoice")?;
    Ok((invoice.activity_id, invoice.client_id))
}

/// The statement's credits: one per open invoice (as many as there are movements), paying
/// what is due by its structured communication; then credits that match nothing (a free
/// communication naming no invoice).
fn statement_entries(open: &[InvoiceRecord], movements: usize) -> Vec<camt_gen::Entry> {
    let mut entries = Vec::with_capacity(movements);
    for invoice in open {
        if entries.len() == movements {
            break;
        }
        let due = invoice.tax_inclusive_cents - invoice.paid_cents - invoice.credited_cents;
        let Some(ogm) = invoice.structured_communication.as_deref() else {
            continue;
        };
        if due <= 0 {
            continue;
        }
        entries.push(camt_gen::Entry {
            reference: format!("PAY-{:07}", entries.len()),
            cents: due,
            name: format!("Client {}", invoice.client_id),
            iban: "BE71096123456769".into(),
            remittance: camt_gen::ogm_remittance(ogm),
        });
    }
    for i in entries.len()..movements {
        entries.push(camt_gen::Entry {
            reference: format!("OTHER-{i:07}"),
            cents: 1_000 + i64::try_from(i % 997).unwrap_or(0),
            name: format!("Donateur {}", i % 89),
            iban: "BE71096123456769".into(),
            remittance: camt_gen::text_remittance("Soutien au projet, merci"),
        });
    }
    entries
}

/// A draft invoice of the generated activity to the generated client.
fn draft(entity_id: i64, (activity_id, client_id): (i64, i64), n: usize) -> DraftInvoice {
    DraftInvoice {
        kind: DocumentKind::Invoice,
        activity_id,
        client_id,
        entity_id,
        quote_id: None,
        corrects_invoice_id: None,
        due_days: 30,
        language: Language::Fr,
        order_reference: Some(format!("BENCH-{n}")),
        note: None,
        lines: vec![LineInput {
            description: "Prestation".into(),
            quantity: Decimal::ONE,
            unit: "LS".into(),
            unit_price: Decimal::new(120_000 + i64::try_from(n % 97).unwrap_or(0), 2),
            vat_category: VatCategory::S,
            vat_rate_bp: 2100,
        }],
    }
}

// ---------------------------------------------------------------------------------- HTTP

/// Serves the database with `ruche serve` and loads five pages with wrk.
async fn http(
    store: &Store,
    database: &Database,
    options: &Options,
    activity: i64,
    rows: &mut Vec<Row>,
) -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!(
            "wrk is not installed: the HTTP measures are SKIPPED. Install it with \
             `apt-get install wrk` (Debian) and run the command again."
        );
        rows.push(Row::new(
            "HTTP pages and server memory",
            "SKIPPED",
            "",
            "wrk is not installed: apt-get install wrk",
        ));
        return Ok(());
    }
    let year = options.year;
    let at_scale_1 = (options.scale - 1.0).abs() < f64::EPSILON;
    let member = store
        .activity_holders(activity)
        .await?
        .first()
        .map(|h| h.person_id)
        .context("the measured activity has no holder")?;
    let member = store
        .account_of_person(member)
        .await?
        .context("the member has no account")?
        .id;
    let accountant = store
        .accounts(None, Some(Role::Accountant), PageRequest::new(1, 1))
        .await?
        .items
        .first()
        .map(|a| a.id)
        .context("the generated year has no accountant")?;
    // Generated accounts have no password: a session as the login form would open it.
    let member_cookie = session(store, member).await?;
    let accountant_cookie = session(store, accountant).await?;
    let trainings = store
        .trainings(
            &TrainingFilter {
                status: Some(TrainingStatus::Published),
                ..TrainingFilter::default()
            },
            Language::Fr,
            PageRequest::new(1, 1),
        )
        .await?
        .total;

    // The server's daily reminders job would deliver (render and queue) every reminder of
    // the generated year while wrk runs: the generator records reminders, it does not
    // deliver them. Today's job is enqueued here first, due in a year, so that the server
    // finds it taken; the day's run itself is measured above (3).
    let today = ruche_web::context::today();
    let mut job = ruche_jobs::dunning::daily_job(today);
    job.run_at = ruche_store::now_micros() + 366 * 24 * 3_600 * 1_000_000;
    store.enqueue_job(&job).await?;
    let queued = queued_jobs(store).await?;
    eprintln!(
        "  today's reminders job ({today}) put off; {queued} other jobs queued for the server's worker"
    );

    let dir = database.scratch.join("serve");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut server = Server::start(&database.url, &dir)?;
    server.wait_ready(SERVER_START).await?;
    eprintln!(
        "  ruche serve (pid {}) answers on {}",
        server.child.id(),
        server.address
    );
    // The generator leaves mails queued (notices, convocations…) that the server's worker
    // sends as soon as it starts: the load waits for the queue to empty, so that wrk
    // measures the pages alone.
    wait_for_empty_queue(store).await?;

    let pages = [
        (
            "the member's dashboard".to_string(),
            "/".to_string(),
            &member_cookie,
            true,
        ),
        (
            "the budget page of the member's activity".to_string(),
            format!("/activities/{activity}/budget?year={year}"),
            &member_cookie,
            true,
        ),
        (
            "the member's invoice list".to_string(),
            format!("/activities/{activity}/invoices"),
            &member_cookie,
            false,
        ),
        (
            "the cooperative's invoice list (an accountant)".to_string(),
            format!("/invoices?year={year}"),
            &accountant_cookie,
            false,
        ),
        (
            format!(
                "the catalogue searched for \"{CATALOGUE_QUERY}\" ({trainings} published trainings)"
            ),
            format!("/catalogue?q={CATALOGUE_QUERY}"),
            &member_cookie,
            false,
        ),
    ];
    for (name, path, cookie, targeted) in &pages {
        let (status, bytes) = http_get(&server.address, path, cookie)?;
        if status != 200 {
            bail!(
                "GET {path} answered {status} before the load (expected 200); the server's log:\n{}",
                server.log_tail()
            );
        }
        eprintln!(
            "  wrk -t{WRK_THREADS} -c{} -d{}s {path} ({bytes} bytes a response)",
            options.connections, options.duration_secs
        );
        let url = format!("http://{}{path}", server.address);
        let cookie_header = format!("Cookie: {cookie}");
        let args = vec![
            format!("-t{WRK_THREADS}"),
            format!("-c{}", options.connections),
            format!("-d{}s", options.duration_secs),
            "--latency".to_string(),
            "-H".to_string(),
            cookie_header,
            url.clone(),
        ];
        let output = tokio::task::spawn_blocking(move || Command::new("wrk").args(&args).output())
            .await
            .context("wrk")?
            .context("running wrk")?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            bail!(
                "wrk failed on {url}: {}\n{text}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let load = parse_wrk(&text).with_context(|| format!("reading wrk's output:\n{text}"))?;
        if load.non_success > 0 {
            bail!(
                "{} responses of {url} were neither 2xx nor 3xx under load; wrk said:\n{text}\nthe server's log:\n{}",
                load.non_success,
                server.log_tail()
            );
        }
        let compared = if *targeted {
            let met =
                load.requests_per_second >= TARGET_REQUESTS_PER_SECOND && load.p99 < TARGET_P99;
            format!(
                "≥ 1,500 req/s with p99 < 50 ms: {}",
                verdict(met, at_scale_1)
            )
        } else {
            String::new()
        };
        let errors = if load.socket_errors.is_empty() {
            String::new()
        } else {
            format!("; socket errors: {}", load.socket_errors)
        };
        rows.push(Row::new(
            format!("HTTP {name}: GET {path}"),
            format!(
                "{:.0} req/s, p50 {}",
                load.requests_per_second,
                human(load.p50)
            ),
            format!("p90 {}, p99 {}{errors}", human(load.p90), human(load.p99)),
            compared,
        ));
    }
    let peak_kb = server.peak_memory_kb()?;
    let peak_mb = peak_kb as f64 / 1024.0;
    rows.push(Row::new(
        "the server's peak memory after the load (VmHWM)",
        format!("{peak_mb:.0} MB"),
        "",
        format!(
            "< 300 MB: {}",
            verdict(
                peak_mb < TARGET_MEMORY_MB,
                (options.scale - 1.0).abs() < f64::EPSILON
            )
        ),
    ));
    server.stop(SERVER_STOP)?;
    Ok(())
}

/// A session of `account`, as the login form opens it; the `Cookie` header's value.
async fn session(store: &Store, account: i64) -> Result<String> {
    let token = ruche_web::auth::new_token();
    let eight_hours = 8 * 3_600 * 1_000_000;
    store
        .create_session(
            &ruche_web::auth::hash_token(&token),
            account,
            eight_hours,
            None,
        )
        .await?;
    Ok(format!("{}={token}", ruche_web::auth::SESSION_COOKIE))
}

/// Waits (up to [`QUEUE_DRAIN`]) until no job is due and waiting, saying how long it took.
async fn wait_for_empty_queue(store: &Store) -> Result<()> {
    let started = Instant::now();
    loop {
        let queued = queued_jobs(store).await?;
        if queued == 0 {
            eprintln!(
                "  the server's worker emptied the job queue in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        if started.elapsed() > QUEUE_DRAIN {
            eprintln!(
                "  {queued} jobs still queued after {} s: the load runs beside the worker",
                QUEUE_DRAIN.as_secs()
            );
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The jobs waiting for a worker.
async fn queued_jobs(store: &Store) -> Result<usize> {
    let mut queued = 0;
    let mut page = 1;
    loop {
        let jobs = store
            .jobs(PageRequest::new(page, PageRequest::MAX_PER_PAGE))
            .await?;
        queued += jobs
            .items
            .iter()
            .filter(|j| j.status == "queued" && j.run_at <= ruche_store::now_micros())
            .count();
        if jobs.items.is_empty() || page * PageRequest::MAX_PER_PAGE >= jobs.total {
            return Ok(queued);
        }
        page += 1;
    }
}

/// A `ruche serve` child process, killed if dropped before [`Server::stop`].
struct Server {
    child: Child,
    address: String,
    log: PathBuf,
}

impl Server {
    fn start(database_url: &str, dir: &Path) -> Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .context("finding a free port")?
            .port();
        let address = format!("127.0.0.1:{port}");
        let log = dir.join("serve.log");
        let out =
            std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        // /proc/self/exe is this very program even when a rebuild replaced its file during a
        // long run (the path of current_exe() would then name the new, or no, file).
        let program = if Path::new("/proc/self/exe").exists() {
            PathBuf::from("/proc/self/exe")
        } else {
            std::env::current_exe().context("this program's path")?
        };
        let child = Command::new(program)
            .arg("--database-url")
            .arg(database_url)
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--bind", &address])
            // No ./ruche.toml of the caller's directory; warnings only (a line a request
            // would cost more than some pages).
            .current_dir(dir)
            .env_remove("RUCHE_CONFIG")
            .env("RUCHE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::from(out.try_clone()?))
            .stderr(Stdio::from(out))
            .spawn()
            .context("starting ruche serve")?;
        Ok(Server {
            child,
            address,
            log,
        })
    }

    async fn wait_ready(&mut self, within: Duration) -> Result<()> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "ruche serve stopped ({status}) before answering; its log:\n{}",
                    self.log_tail()
                );
            }
            if matches!(http_get(&self.address, "/healthz", ""), Ok((200, _))) {
                return Ok(());
            }
            if started.elapsed() > within {
                bail!(
                    "ruche serve did not answer /healthz within {} s; its log:\n{}",
                    within.as_secs(),
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The process's peak resident memory, in kB (`VmHWM`, proc(5)).
    fn peak_memory_kb(&self) -> Result<u64> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .with_context(|| format!("no VmHWM in {path}"))
    }

    /// SIGTERM, as a service manager stops it; killed if it is still there after `within`.
    fn stop(mut self, within: Duration) -> Result<()> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        let started = Instant::now();
        if sent.is_ok_and(|s| s.success()) {
            while started.elapsed() < within {
                if self.child.try_wait()?.is_some() {
                    return Ok(());
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        eprintln!("  ruche serve did not stop after SIGTERM: killed");
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One GET on a fresh connection: the status and the response's size.
fn http_get(address: &str, path: &str, cookie: &str) -> Result<(u16, usize)> {
    let mut stream = std::net::TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let cookie = if cookie.is_empty() {
        String::new()
    } else {
        format!("Cookie: {cookie}\r\n")
    };
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\n{cookie}Connection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let head =
        String::from_utf8_lossy(response.get(..response.len().min(32)).unwrap_or(&[])).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no HTTP status in {head:?}"))?;
    Ok((status, response.len()))
}

/// What wrk measured on one URL.
#[derive(Debug, PartialEq)]
struct Load {
    requests_per_second: f64,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    /// "Non-2xx or 3xx responses" (the line is there only when there are some).
    non_success: u64,
    /// wrk's "Socket errors" line, when there is one.
    socket_errors: String,
}

fn parse_wrk(text: &str) -> Result<Load> {
    let mut load = Load {
        requests_per_second: f64::NAN,
        p50: Duration::ZERO,
        p90: Duration::ZERO,
        p99: Duration::ZERO,
        non_success: 0,
        socket_errors: String::new(),
    };
    let mut percentiles = 0;
    for line in text.lines().map(str::trim) {
        if let Some(v) = line.strip_prefix("Requests/sec:") {
            load.requests_per_second = v.trim().parse()?;
        } else if let Some(v) = line.strip_prefix("Non-2xx or 3xx responses:") {
            load.non_success = v.trim().parse()?;
        } else if let Some(v) = line.strip_prefix("Socket errors:") {
            load.socket_errors = v.trim().to_string();
        } else if let Some((p, v)) = line.split_once("%")
            && let Some(slot) = match p.trim() {
                "50" => Some(&mut load.p50),
                "90" => Some(&mut load.p90),
                "99" => Some(&mut load.p99),
                _ => None,
            }
        {
            *slot = wrk_duration(v.trim())?;
            percentiles += 1;
        }
    }
    if load.requests_per_second.is_nan() || percentiles != 3 {
        bail!("no Requests/sec line or no latency distribution (run with --latency)");
    }
    Ok(load)
}

/// wrk's durations: `812.00us`, `4.21ms`, `1.02s`, `1.50m`.
fn wrk_duration(text: &str) -> Result<Duration> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .with_context(|| format!("no unit in {text:?}"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse()?;
    let seconds = match unit {
        "us" => number / 1e6,
        "ms" => number / 1e3,
        "s" => number,
        "m" => number * 60.0,
        "h" => number * 3_600.0,
        other => bail!("unknown unit {other:?} in {text:?}"),
    };
    Ok(Duration::from_secs_f64(seconds))
}

// ------------------------------------------------------------------------------ database

/// The benchmark's own database, and what to remove at the end.
struct Database {
    url: String,
    cleanup: Cleanup,
    /// A temporary directory for the server's data and log.
    scratch: PathBuf,
}

enum Cleanup {
    /// The temporary SQLite file (and its -wal, -shm).
    SqliteFile(PathBuf),
    /// The database created on the PostgreSQL server of `server_url`.
    PostgresDatabase { server_url: String, name: String },
    /// A database the caller named (SQLite): theirs, left in place.
    Nothing,
}

impl Database {
    async fn create(url: Option<&str>) -> Result<Database> {
        let suffix = format!(
            "{}_{}",
            jiff::Timestamp::now().as_second(),
            std::process::id()
        );
        let scratch = std::env::temp_dir().join(format!("ruche-bench-year-{suffix}"));
        std::fs::create_dir_all(&scratch)
            .with_context(|| format!("creating {}", scratch.display()))?;
        let database = match url {
            Some(url) if url.starts_with("postgres") => {
                let name = format!("ruche_bench_{suffix}");
                let admin = admin(url).await?;
                let created = admin
                    .execute_admin(&format!("CREATE DATABASE {name}"))
                    .await;
                admin.close().await;
                created.with_context(|| format!("creating the database {name}"))?;
                eprintln!("PostgreSQL database {name}");
                Database {
                    url: with_database(url, &name)?,
                    cleanup: Cleanup::PostgresDatabase {
                        server_url: url.to_string(),
                        name,
                    },
                    scratch,
                }
            }
            Some(url) => {
                eprintln!(
                    "the given database {} (left in place)",
                    crate::config::redact(url)
                );
                Database {
                    url: url.to_string(),
                    cleanup: Cleanup::Nothing,
                    scratch,
                }
            }
            None => {
                let path = std::env::temp_dir().join(format!("ruche-bench-year-{suffix}.sqlite"));
                eprintln!("SQLite file {}", path.display());
                Database {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::SqliteFile(path),
                    scratch,
                }
            }
        };
        Ok(database)
    }

    /// Removes what the benchmark created, unless `keep`.
    async fn finish(self, keep: bool) -> Result<()> {
        if keep {
            eprintln!(
                "kept: the database {} and the server's directory {}",
                crate::config::redact(&self.url),
                self.scratch.display()
            );
            return Ok(());
        }
        let _ = std::fs::remove_dir_all(&self.scratch);
        match self.cleanup {
            Cleanup::SqliteFile(path) => {
                for ext in ["", "-wal", "-shm"] {
                    let file = PathBuf::from(format!("{}{ext}", path.display()));
                    if file.exists() {
                        std::fs::remove_file(&file)
                            .with_context(|| format!("removing {}", file.display()))?;
                    }
                }
            }
            Cleanup::PostgresDatabase { server_url, name } => {
                let admin = admin(&server_url).await?;
                let dropped = admin
                    .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
                admin.close().await;
                dropped.with_context(|| format!("dropping the database {name}"))?;
            }
            Cleanup::Nothing => {}
        }
        Ok(())
    }
}

async fn admin(url: &str) -> Result<Store> {
    Store::connect(
        url,
        &ConnectOptions {
            max_connections: 1,
            pg_schema: None,
        },
    )
    .await
    .with_context(|| format!("connecting to {}", crate::config::redact(url)))
}

/// The URL of database `name` on the server of `url` (its query string kept).
fn with_database(url: &str, name: &str) -> Result<String> {
    let authority = url
        .find("://")
        .map(|i| i + 3)
        .with_context(|| format!("not a URL: {}", crate::config::redact(url)))?;
    let (base, query) = url.split_at(url.find('?').unwrap_or(url.len()));
    let path = base
        .get(authority..)
        .and_then(|rest| rest.find('/'))
        .map_or(base.len(), |i| authority + i);
    Ok(format!(
        "{}/{name}{query}",
        base.get(..path).unwrap_or(base)
    ))
}

// ---------------------------------------------------------------------------------- table

fn print_table(engine: &str, options: &Options, rows: &[Row]) {
    let command: Vec<String> = std::env::args().collect();
    println!(
        "## ruche bench year — {engine}, year {}, scale {}, seed {}, {} runs",
        options.year, options.scale, options.seed, options.runs
    );
    println!();
    println!("machine: {}", machine());
    println!("command: `{}`", command.join(" "));
    println!();
    println!("| measure | median | p95 / p99 | compared with |");
    println!("|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} |",
            row.measure, row.median, row.tail, row.compared
        );
    }
}

/// The processor (cores and model) and the memory, from /proc.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cores = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown processor".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or_else(
            || "unknown memory".to_string(),
            |kb| format!("{:.1} GB RAM", kb / 1024.0 / 1024.0),
        );
    format!("{cores} × {model}, {memory}")
}

/// A duration as people read it.
fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 60.0 {
        format!("{:.0} min {:.0} s", (s / 60.0).floor(), s % 60.0)
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1e3)
    }
}

/// A target as issue 9 writes it: "1 s", "3 min".
fn target(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 && s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// A measure taken once against its target, which holds at scale 1.
fn below(took: Duration, limit: Duration, at_scale: bool) -> String {
    format!("< {}: {}", target(limit), verdict(took < limit, at_scale))
}

/// A repeated measure against its target, which holds at scale 1 (compared by the median).
fn below_median(samples: &[Duration], limit: Duration, at_scale: bool) -> String {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let met = quantile(&sorted, 0.5) < limit;
    format!("< {} (median): {}", target(limit), verdict(met, at_scale))
}

fn verdict(met: bool, at_scale: bool) -> &'static str {
    match (at_scale, met) {
        (false, _) => "target at scale 1, not this run's",
        (true, true) => "met",
        (true, false) => "NOT met",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn wrk_output_gives_the_rate_the_percentiles_and_the_failures() {
        let text = "Running 3s test @ http://127.0.0.1:8080/\n  2 threads and 32 connections\n  \
            Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency    10.12ms    2.00ms  \
            1.20s   80.00%\n    Req/Sec     1.60k   100.00     1.80k    70.00%\n  Latency \
            Distribution\n     50%  812.00us\n     75%   11.00ms\n     90%   12.50ms\n     99%    \
            1.02s\n  9600 requests in 3.00s, 50.00MB read\n  Socket errors: connect 0, read 0, \
            write 0, timeout 4\n  Non-2xx or 3xx responses: 12\nRequests/sec:   3200.50\n\
            Transfer/sec:     16.67MB\n";
        let load = parse_wrk(text).unwrap();
        assert_eq!(load.requests_per_second, 3200.5);
        assert_eq!(load.p50, Duration::from_micros(812));
        assert_eq!(load.p90, Duration::from_micros(12_500));
        assert_eq!(load.p99, Duration::from_millis(1_020));
        assert_eq!(load.non_success, 12);
        assert_eq!(load.socket_errors, "connect 0, read 0, write 0, timeout 4");
    }

    #[test]
    fn wrk_output_without_the_latency_distribution_is_refused() {
        assert!(parse_wrk("Requests/sec:   3200.50\n").is_err());
    }

    #[test]
    fn the_benchmark_database_replaces_the_path_of_the_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "b").unwrap(),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            with_database("postgres://u:p@db/x?sslmode=disable", "b").unwrap(),
            "postgres://u:p@db/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://db", "b").unwrap(),
            "postgres://db/b"
        );
    }

    #[test]
    fn the_statement_pays_each_open_invoice_once_then_matches_nothing() {
        assert_eq!(statement_entries(&[], 3).len(), 3);
        assert!(
            statement_entries(&[], 3)
                .iter()
                .all(|e| e.reference.starts_with("OTHER"))
        );
    }
}
