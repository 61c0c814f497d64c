//! `ruche`: the command line, the configuration and the wiring of the crates.

mod bank_import;
mod bench;
mod bench_year;
mod camt_gen;
mod config;
mod demo;
mod demo_assemblies;
mod demo_bank;
mod demo_board;
mod demo_dunning;
mod demo_employment;
mod demo_ethics;
mod demo_expenses;
mod demo_governance;
mod demo_guide;
mod demo_legal_help;
mod demo_loans;
mod demo_payouts;
mod demo_places;
mod demo_prevention;
mod demo_recommendations;
mod demo_recovery;
mod demo_reports;
mod demo_sales;
mod demo_school;
mod demo_trainings;
mod demo_transparency;
mod dunning;
mod generate;
mod sepa;

use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use ruche_domain::Role;
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::{AuditContext, ConnectOptions, Store};
use tokio::sync::watch;

use crate::config::Settings;

#[derive(Parser)]
#[command(
    name = "ruche",
    version,
    about = "The operating platform of a shared-enterprise cooperative"
)]
struct Cli {
    /// A TOML configuration file (default: ./ruche.toml when it exists).
    #[arg(long, global = true, env = "RUCHE_CONFIG")]
    config: Option<std::path::PathBuf>,
    /// `sqlite://path` or `postgres://user@host/db` (default: SQLite in the data directory).
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Where ruche keeps its SQLite file (default: ./data).
    #[arg(long, global = true)]
    data_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages, the API and the background jobs.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Create (or reuse) a demo cooperative in SQLite and serve it.
    Demo {
        #[arg(long)]
        bind: Option<String>,
        /// Delete the demo database first and create it anew.
        #[arg(long)]
        reset: bool,
    },
    /// Apply the database migrations, then exit.
    Migrate,
    /// Create an administrator, or reset the password of an existing account and make it an
    /// administrator.
    User {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Admin")]
        first_name: String,
        #[arg(long, default_value = "ruche")]
        last_name: String,
        /// The password (at least 10 characters); also read from RUCHE_USER_PASSWORD. When
        /// neither is given, a random one is generated and printed once.
        #[arg(long, env = "RUCHE_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Issued invoices and credit notes as files.
    Invoice {
        #[command(subcommand)]
        command: InvoiceCommand,
    },
    /// Bank statements.
    Bank {
        #[command(subcommand)]
        command: BankCommand,
    },
    /// SEPA payouts (pain.001.001.09).
    Sepa {
        #[command(subcommand)]
        command: SepaCommand,
    },
    /// Reminders (dunning).
    Dunning {
        #[command(subcommand)]
        command: DunningCommand,
    },
    /// 0 % member loans: the daily arrears run.
    Loans {
        #[command(subcommand)]
        command: LoansCommand,
    },
    /// Governance reports.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Generate data through ruche's own rules (see docs/benchmarks.md).
    Generate {
        #[command(subcommand)]
        command: GenerateCommand,
    },
    /// Measure on generated data (see docs/benchmarks.md).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Print the version.
    Version,
}

#[derive(Subcommand)]
enum GenerateCommand {
    /// A whole cooperative year into an empty database (`--database-url`), deterministic:
    /// the same seed and scale write the same data.
    ReferenceYear {
        /// The year, 2000–2100 (the reference year is 2023).
        #[arg(long)]
        year: i16,
        /// The seed of the random generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The size: 1 is the reference year, 0.01 a small year for tests; above 0, at most 10.
        #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
        scale: f64,
        /// Also write the counts generated as JSON to this file.
        #[arg(long)]
        summary_json: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Issuing an invoice, and the budget page of an activity with many invoices. Runs on a
    /// fresh database: a temporary SQLite file, or a new schema in `--database-url postgres://…`.
    Sales {
        /// Issued invoices of the measured activity.
        #[arg(long, default_value_t = 10_000)]
        invoices: usize,
        /// Repetitions of each measurement.
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// Importing and matching a generated camt.053 statement, then importing it again.
    /// Runs on a fresh database like `sales`.
    Bank {
        /// Movements in the generated statement.
        #[arg(long, default_value_t = 100_000)]
        movements: usize,
        /// Open invoices the movements pay (by OGM or by number).
        #[arg(long, default_value_t = 2_000)]
        invoices: usize,
    },
    /// The salary simulation of a year's contracts, signing contracts through the store, and
    /// the year's hours, FTE and headcount over the reference year's 208,014 contracts.
    /// Runs on a fresh database like `sales`.
    Work {
        /// Contracts simulated, then in the database.
        #[arg(long, default_value_t = 208_014)]
        contracts: usize,
        /// Contracts of them signed through the store (the rest written in bulk).
        #[arg(long, default_value_t = 2_000)]
        signed: usize,
        /// Repetitions of the year's volume.
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    /// An online general assembly at the reference year's scale: convening every member,
    /// arrivals and ballots one by one, the live tally, closing the vote; then assembling
    /// the year's special report. Runs on a fresh database like `sales`.
    Governance {
        /// Members holding a share (the reference year: about 20,000).
        #[arg(long, default_value_t = 20_077)]
        members: usize,
        /// Members of them who arrive online and vote.
        #[arg(long, default_value_t = 2_000)]
        voters: usize,
        /// Live tallies read during the vote, and special reports assembled.
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    /// The daily reminders run over many open invoices, then the same run again, then the
    /// delivery (PDF and mail) of some of them. Runs on a fresh database like `sales`.
    Dunning {
        /// Open invoices (four in five past due).
        #[arg(long, default_value_t = 200_000)]
        invoices: usize,
        /// Reminders delivered (rendered and queued) after the run.
        #[arg(long, default_value_t = 200)]
        deliver: i64,
    },
    /// The 0 % loans portfolio over years of loans (through the store's life cycle), then its
    /// figures and its page. Runs on a fresh database like `sales`.
    Loans {
        /// Years of loans, up to this one.
        #[arg(long, default_value_t = 10)]
        years: i16,
        /// Loans granted each year (the reference year: 44).
        #[arg(long, default_value_t = 44)]
        per_year: usize,
        /// Repetitions of each measurement.
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// The issue-9 measures on a generated reference year: generation, the special report,
    /// one day's reminders, a camt.053 import, issuing, and HTTP pages under wrk with the
    /// server's memory. Runs on a database of its own: a temporary SQLite file, or a new
    /// database on the server of `--database-url postgres://…` (dropped unless --keep).
    Year {
        /// The year generated (the reference year is 2023).
        #[arg(long, default_value_t = 2023)]
        year: i16,
        /// The size: 1 is the reference year.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The generator's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Repetitions of each repeated measurement.
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Seconds of wrk load on each page.
        #[arg(long, default_value_t = 10)]
        duration_secs: u64,
        /// wrk's open connections.
        #[arg(long, default_value_t = 32)]
        connections: u32,
        /// Movements in the imported camt.053.
        #[arg(long, default_value_t = 100_000)]
        movements: usize,
        /// Keep the database (and the server's log) at the end.
        #[arg(long)]
        keep: bool,
    },
    /// Full-text search of the training catalogue and the guide: building each index, then
    /// visitors' queries (plurals, accents, a Dutch compound part, filters). In memory, no
    /// database.
    Search {
        /// Records per collection.
        #[arg(long, default_value_t = 10_000)]
        documents: usize,
        /// Repetitions of each query.
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The annual special report on the accreditation of a financial year: the frozen one
    /// once the board approved it, else a draft computed from the current data.
    Special {
        /// The financial year.
        #[arg(long)]
        year: i32,
        /// fr, nl or en.
        #[arg(long, default_value = "fr")]
        lang: String,
        /// pdf, or json (the report's data).
        #[arg(long, default_value = "pdf")]
        format: String,
        /// Where to write it (default: standard output).
        #[arg(short = 'o', long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum SepaCommand {
    /// Create the SEPA batch of a legal entity (every pending payout order requested on or
    /// before the date) and write its pain.001.001.09; the file is kept in the database too.
    Export {
        /// The paying legal entity's id.
        #[arg(long)]
        entity: i64,
        /// The requested execution date, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Where to write the file (default: <message id>.xml in the current directory).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum LoansCommand {
    /// Record the arrears reminders due on a day, once per instalment and delinquency
    /// bucket (idempotent: a second run sends nothing).
    Run {
        /// The day of the run, YYYY-MM-DD.
        #[arg(long)]
        date: String,
    },
}

#[derive(Subcommand)]
enum DunningCommand {
    /// Record and send the reminders due on a day (idempotent: a second run sends nothing).
    Run {
        /// The day of the run, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Show what would be sent; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum BankCommand {
    /// Import a CODA or camt.053 statement file: movements already known are skipped, and
    /// credits carrying an open invoice's structured communication pay it.
    Import {
        /// The statement file (camt.053 XML or CODA text).
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum InvoiceCommand {
    /// Write the PDF of an issued invoice or credit note.
    Pdf(DocumentFile),
    /// Write the Peppol BIS 3.0 UBL of an issued invoice or credit note.
    Ubl(DocumentFile),
}

#[derive(clap::Args)]
struct DocumentFile {
    /// The document number, e.g. F2026-00042.
    number: String,
    /// The issuing legal entity's id (default: the first legal entity by name).
    #[arg(long)]
    entity: Option<i64>,
    /// Where to write the file.
    #[arg(short, long)]
    output: std::path::PathBuf,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    // `serve` and `demo` answer many requests at once: a worker thread per core. Every other
    // command does one thing after another on the main thread (`block_on`) with one worker
    // for what it spawns: with SQLite each statement is handed to sqlx's connection thread
    // and its answer wakes the main thread, and fewer threads to wake is faster. Measured
    // (docs/benchmarks.md): the reference year at scale 0.1 in 50 s, against 83 s with a
    // worker per core and 57 s on a current-thread runtime (which parks in its I/O driver).
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if !matches!(cli.command, Command::Serve { .. } | Command::Demo { .. }) {
        runtime.worker_threads(1);
    }
    runtime.enable_all().build()?.block_on(run(cli))
}

async fn run(cli: Cli) -> Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        settings.database_url = Some(url);
    }
    if let Some(dir) = cli.data_dir {
        settings.data_dir = dir;
    }
    config::init_logging(&settings);
    match cli.command {
        Command::Version => {
            println!("ruche {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Command::Generate {
            command:
                GenerateCommand::ReferenceYear {
                    year,
                    seed,
                    scale,
                    summary_json,
                },
        } => {
            let options = generate::Options {
                year,
                seed,
                scale,
                summary_json,
            };
            let result = generate_year(&settings, &options).await;
            if let Err(e) = &result {
                // One line: the message and its causes (the URL's password redacted).
                eprintln!("ruche generate: {e:#}");
                std::process::exit(1);
            }
            result
        }
        Command::Bench {
            command: BenchCommand::Sales { invoices, runs },
        } => {
            let store = bench_store(&settings).await?;
            let result = bench::sales(store.clone(), invoices, runs).await;
            store.close().await;
            result
        }
        Command::Bench {
            command:
                BenchCommand::Bank {
                    movements,
                    invoices,
                },
        } => {
            let store = bench_store(&settings).await?;
            let result = bench::bank(store.clone(), movements, invoices).await;
            store.close().await;
            result
        }
        Command::Bench {
            command:
                BenchCommand::Work {
                    contracts,
                    signed,
                    runs,
                },
        } => {
            let store = bench_store(&settings).await?;
            let result = bench::work(store.clone(), contracts, signed, runs).await;
            store.close().await;
            result
        }
        Command::Bench {
            command:
                BenchCommand::Governance {
                    members,
                    voters,
                    runs,
                },
        } => {
            let store = bench_store(&settings).await?;
            let result = bench::governance(store.clone(), members, voters, runs).await;
            store.close().await;
            result
        }
        Command::Bench {
            command: BenchCommand::Search { documents, runs },
        } => bench::search(documents, runs),
        Command::Bench {
            command:
                BenchCommand::Year {
                    year,
                    scale,
                    seed,
                    runs,
                    duration_secs,
                    connections,
                    movements,
                    keep,
                },
        } => {
            let options = bench_year::Options {
                year,
                scale,
                seed,
                runs,
                duration_secs,
                connections,
                movements,
                keep,
            };
            bench_year::run(settings.database_url.as_deref(), &options).await
        }
        Command::Bench {
            command:
                BenchCommand::Loans {
                    years,
                    per_year,
                    runs,
                },
        } => {
            let store = bench_store(&settings).await?;
            let result = bench::loans(store.clone(), years, per_year, runs).await;
            store.close().await;
            result
        }
        Command::Bench {
            command: BenchCommand::Dunning { invoices, deliver },
        } => {
            let store = bench_store(&settings).await?;
            let result = bench::dunning(store.clone(), invoices, deliver).await;
            store.close().await;
            result
        }
        Command::Invoice { command } => {
            let store = open(&settings, "ruche.sqlite").await?;
            write_document_file(&store, command).await
        }
        Command::Sepa {
            command: SepaCommand::Export { entity, date, out },
        } => {
            let store = open(&settings, "ruche.sqlite").await?;
            let result = sepa::export(&store, entity, &date, out).await;
            store.close().await;
            result
        }
        Command::Bank {
            command: BankCommand::Import { file },
        } => {
            let store = open(&settings, "ruche.sqlite").await?;
            let result = bank_import::import_file(&store, &file).await;
            store.close().await;
            result
        }
        Command::Dunning {
            command: DunningCommand::Run { date, dry_run },
        } => {
            let store = open(&settings, "ruche.sqlite").await?;
            let result = dunning::run(&store, &date, dry_run).await;
            store.close().await;
            result
        }
        Command::Loans {
            command: LoansCommand::Run { date },
        } => {
            let day: jiff::civil::Date = date
                .parse()
                .map_err(|_| anyhow::anyhow!("--date must be YYYY-MM-DD"))?;
            let store = open(&settings, "ruche.sqlite").await?;
            let result = store
                .run_loan_reminders(&ruche_store::AuditContext::system(), day)
                .await;
            store.close().await;
            println!("{} loan reminder(s) recorded", result?);
            Ok(())
        }
        Command::Report {
            command:
                ReportCommand::Special {
                    year,
                    lang,
                    format,
                    out,
                },
        } => {
            let store = open(&settings, "ruche.sqlite").await?;
            let result = special_report(&store, year, &lang, &format, out).await;
            store.close().await;
            result
        }
        Command::Migrate => {
            let store = open(&settings, "ruche.sqlite").await?;
            println!("migrations applied ({})", store.engine().name());
            Ok(())
        }
        Command::User {
            email,
            first_name,
            last_name,
            password,
        } => {
            let store = open(&settings, "ruche.sqlite").await?;
            create_administrator(&store, &email, &first_name, &last_name, password).await
        }
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                settings.bind = bind;
            }
            let store = open(&settings, "ruche.sqlite").await?;
            serve(store, settings, Vec::new()).await
        }
        Command::Demo { bind, reset } => {
            if let Some(bind) = bind {
                settings.bind = bind;
            }
            if settings.database_url.is_none() {
                let path = settings.data_dir.join("demo.sqlite");
                if reset {
                    for ext in ["", "-wal", "-shm"] {
                        let file = format!("{}{ext}", path.display());
                        if std::path::Path::new(&file).exists() {
                            std::fs::remove_file(&file)
                                .with_context(|| format!("removing {file}"))?;
                        }
                    }
                }
            } else if reset {
                bail!(
                    "--reset only applies to the demo's own SQLite file; drop the database yourself"
                );
            }
            let store = open(&settings, "demo.sqlite").await?;
            let hash = ruche_web::auth::password::hash_now(demo::DEMO_PASSWORD)
                .map_err(anyhow::Error::msg)?;
            let today = ruche_web::context::today();
            let base_url = settings
                .base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", settings.bind));
            let logins = demo::seed(&store, &hash, today, &base_url).await?;
            serve(store, settings, logins).await
        }
    }
}

async fn write_document_file(store: &Store, command: InvoiceCommand) -> Result<()> {
    let (args, pdf) = match command {
        InvoiceCommand::Pdf(args) => (args, true),
        InvoiceCommand::Ubl(args) => (args, false),
    };
    let entity = match args.entity {
        Some(id) => id,
        None => store
            .legal_entities(ruche_store::PageRequest::new(1, 1))
            .await?
            .items
            .first()
            .map(|e| e.id)
            .context("no legal entity yet")?,
    };
    let invoice = store
        .invoice_by_number(entity, args.number.trim())
        .await
        .with_context(|| format!("no issued document {} for entity {entity}", args.number))?;
    let (pdf_bytes, ubl) = ruche_web::documents::files(store, invoice.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = if pdf {
        pdf_bytes
    } else {
        ubl.context("no e-invoice for this document (the client is not a Belgian business)")?
            .into_bytes()
    };
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    println!("{} written ({} bytes)", args.output.display(), bytes.len());
    Ok(())
}

/// `ruche generate reference-year`: options checked before the database is opened, an empty
/// database checked before anything is written.
async fn generate_year(settings: &Settings, options: &generate::Options) -> Result<()> {
    generate::check_options(options)?;
    let store = open(settings, "ruche.sqlite").await?;
    let result = match generate::check_empty(&store).await {
        Ok(()) => generate::run(&store, options).await.map(|_| ()),
        Err(e) => Err(e),
    };
    store.close().await;
    result
}

/// A fresh database for a benchmark: a temporary SQLite file, or a new schema in the
/// configured PostgreSQL database (left in place for inspection; drop it with
/// `DROP SCHEMA bench_… CASCADE`).
async fn bench_store(settings: &Settings) -> Result<Store> {
    let suffix = format!(
        "{}_{}",
        jiff::Timestamp::now().as_second(),
        std::process::id()
    );
    let (url, schema) = match &settings.database_url {
        Some(url) if url.starts_with("postgres") => {
            let admin = Store::connect(
                url,
                &ConnectOptions {
                    max_connections: 1,
                    pg_schema: None,
                },
            )
            .await?;
            let schema = format!("bench_{suffix}");
            admin
                .execute_admin(&format!("CREATE SCHEMA {schema}"))
                .await?;
            admin.close().await;
            eprintln!("PostgreSQL schema {schema}");
            (url.clone(), Some(schema))
        }
        _ => {
            let path = std::env::temp_dir().join(format!("ruche-bench-{suffix}.sqlite"));
            eprintln!("SQLite file {}", path.display());
            (format!("sqlite://{}", path.display()), None)
        }
    };
    let store = Store::connect(
        &url,
        &ConnectOptions {
            max_connections: 8,
            pg_schema: schema,
        },
    )
    .await?;
    store.migrate().await?;
    Ok(store)
}

/// Opens the configured database (or `<data_dir>/<default_file>`), applying migrations.
async fn open(settings: &Settings, default_file: &str) -> Result<Store> {
    let url = match &settings.database_url {
        Some(url) => url.clone(),
        None => {
            std::fs::create_dir_all(&settings.data_dir).with_context(|| {
                format!(
                    "creating the data directory {}",
                    settings.data_dir.display()
                )
            })?;
            format!(
                "sqlite://{}",
                settings.data_dir.join(default_file).display()
            )
        }
    };
    let options = ConnectOptions {
        max_connections: settings.max_connections,
        pg_schema: None,
    };
    let store = Store::connect(&url, &options)
        .await
        .with_context(|| format!("connecting to {}", config::redact(&url)))?;
    store.migrate().await.context("applying migrations")?;
    tracing::info!(engine = store.engine().name(), "database ready");
    Ok(store)
}

async fn create_administrator(
    store: &Store,
    email: &str,
    first_name: &str,
    last_name: &str,
    password: Option<String>,
) -> Result<()> {
    let generated = password.is_none();
    let password = password.unwrap_or_else(|| ruche_web::auth::new_token()[..20].to_string());
    if password.chars().count() < ruche_web::auth::password::MIN_PASSWORD_CHARS {
        bail!("the password needs at least 10 characters");
    }
    let hash = ruche_web::auth::password::hash_now(&password).map_err(anyhow::Error::msg)?;
    let ctx = AuditContext::system();
    let admin = RoleGrant {
        role: Role::Administrator,
        office_id: None,
    };
    match store.account_by_email(email).await? {
        Some(account) => {
            let mut roles = store.account_roles(account.id).await?;
            if !roles.iter().any(|g| g.role == Role::Administrator) {
                roles.push(admin);
            }
            store
                .update_account(&ctx, account.id, &account.email, true, &roles)
                .await?;
            store.set_password(&ctx, account.id, &hash).await?;
            println!("The account {email} is an administrator; its password was reset.");
        }
        None => {
            let form = PersonForm {
                first_name: first_name.into(),
                last_name: last_name.into(),
                street: "—".into(),
                postcode: "1000".into(),
                city: "Bruxelles".into(),
                language: "fr".into(),
                email: email.into(),
                ..Default::default()
            };
            let person = form
                .parse()
                .map_err(|e| anyhow::anyhow!("invalid person: {e}"))?;
            let mut errors = ruche_domain::validate::FieldErrors::new();
            let email = errors.email("email", email);
            if !errors.is_empty() {
                bail!("invalid e-mail address");
            }
            let new = NewAccount {
                email,
                password_hash: hash,
                language: None,
                roles: vec![admin],
            };
            let (_, account) = store
                .create_person_with_account(&ctx, &person, &new)
                .await?;
            println!("Administrator {} created.", account.email);
        }
    }
    if generated {
        println!("Password (shown once): {password}");
    }
    Ok(())
}

/// Serves the web and runs the job worker until Ctrl-C or SIGTERM.
async fn serve(store: Store, settings: Settings, logins: Vec<demo::DemoLogin>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .with_context(|| format!("listening on {}", settings.bind))?;
    let address = listener.local_addr()?;
    let base_url = settings
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    let state = ruche_web::AppState::new(store.clone(), settings.web_config(&base_url));

    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = ruche_jobs::Worker::new(store.clone(), settings.worker_config())
        .with_reminder_renderer(std::sync::Arc::new(dunning::PdfRenderer));
    let worker = tokio::spawn(worker.run(stopped(stop_rx.clone())));
    let housekeeping = tokio::spawn(housekeeping(store.clone(), stopped(stop_rx.clone())));
    let search = tokio::spawn(keep_search_fresh(state.clone(), stopped(stop_rx.clone())));

    println!(
        "ruche is serving {base_url}  (database: {})",
        store.engine().name()
    );
    if !logins.is_empty() {
        println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
        for login in &logins {
            println!("  {:<14} {}", login.role, login.email);
        }
    }
    ruche_web::serve(listener, state, async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        let _ = stop_tx.send(true);
    })
    .await?;
    let _ = tokio::time::timeout(Duration::from_secs(40), worker).await;
    housekeeping.abort();
    search.abort();
    store.close().await;
    Ok(())
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

/// Deletes expired sessions and old login and contact-form attempts, records the loans' arrears reminders
/// and enqueues the day's reminders run, hourly.
async fn housekeeping(store: Store, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        let day_ago = ruche_store::now_micros() - 24 * 3600 * 1_000_000;
        if let Err(e) = store.purge_auth(day_ago).await {
            tracing::warn!(error = %e, "housekeeping failed");
        }
        // The catalogue's contact form counts the last hour's requests: a day is plenty.
        if let Err(e) = store.purge_contact_attempts(day_ago).await {
            tracing::warn!(error = %e, "purging the contact-form attempts failed");
        }
        // Arrears reminders of the 0 % loans: recorded once per (instalment, bucket), so
        // running hourly on every instance sends each once.
        if let Err(e) = store
            .run_loan_reminders(
                &ruche_store::AuditContext::system(),
                ruche_web::context::today(),
            )
            .await
        {
            tracing::warn!(error = %e, "the loans' arrears reminders failed");
        }
        // The school of cooperation's reminders, recorded per registration: sent once.
        if let Err(e) = store
            .run_school_reminders(
                &ruche_store::AuditContext::system(),
                ruche_web::context::today(),
            )
            .await
        {
            tracing::warn!(error = %e, "the school's reminders failed");
        }
        // The daily reminders run: enqueued once per day (unique key), whichever instance
        // comes first.
        if let Err(e) =
            ruche_jobs::dunning::enqueue_daily(&store, ruche_web::context::today()).await
        {
            tracing::warn!(error = %e, "enqueuing the reminders run failed");
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}

/// Builds the catalogue's and the guide's search indexes at start, then picks up the
/// changes made through other instances (ruche_web::search).
async fn keep_search_fresh(
    state: ruche_web::AppState,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        if let Err(e) = state.search.refresh(&state.store).await {
            tracing::warn!(error = %e, "refreshing the search indexes failed");
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(ruche_web::search::REFRESH_EVERY) => {}
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// `ruche report special`: the report of `year` in `lang` as PDF or JSON.
async fn special_report(
    store: &ruche_store::Store,
    year: i32,
    lang: &str,
    format: &str,
    out: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let language = ruche_domain::Language::parse(lang)
        .ok_or_else(|| anyhow::anyhow!("--lang must be fr, nl or en, not {lang:?}"))?;
    let bytes = match format {
        "pdf" => ruche_web::pages::governance::report_bytes(store, year, language)
            .await
            .map_err(|e| anyhow::anyhow!("the special report of {year}: {e}"))?,
        "json" => {
            let report = ruche_web::pages::governance::current_report(store, year)
                .await
                .map_err(|e| anyhow::anyhow!("the special report of {year}: {e}"))?;
            serde_json::to_vec_pretty(&report)?
        }
        other => anyhow::bail!("--format must be pdf or json, not {other:?}"),
    };
    match out {
        Some(path) => {
            std::fs::write(&path, &bytes)?;
            eprintln!(
                "special report {year} ({lang}, {format}) written to {}",
                path.display()
            );
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
