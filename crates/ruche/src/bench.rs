//! `ruche bench`: measurements on generated data, never in tests (a noisy 2-core machine makes
//! timings unfit for assertions). Results go to `docs/benchmarks.md` with the machine.
//!
//! `bench sales` builds one active activity with N issued invoices (through the store's own
//! issuing: numbering, ledger, snapshot), then measures
//! - issuing one more invoice with its PDF and UBL (numbering + ledger + rendering), and
//! - opening the activity's budget page (the real HTTP handler, in-process),
//!
//! each repeated and reported as median and 95th percentile.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use axum::body::Body;
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::Role;
use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::client::ClientForm;
use ruche_domain::group::{LegalEntityForm, OfficeForm};
use ruche_domain::invoicing::{DocumentKind, LineInput, VatCategory};
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_store::accounts::NewAccount;
use ruche_store::invoices::DraftInvoice;
use ruche_store::{AuditContext, Store};
use rust_decimal::Decimal;
use tower::ServiceExt;

use crate::camt_gen;

pub struct Fixture {
    activity: i64,
    client: i64,
    entity: i64,
    session_token: String,
}

async fn fixture(store: &Store) -> Result<Fixture> {
    let ctx = AuditContext::system();
    let entity = LegalEntityForm {
        name: "Ruche".into(),
        legal_form: "SCES agréée / erkende CVSO".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        enterprise_number: "0202239951".into(),
        vat_number: "BE0202239951".into(),
        iban: "BE68539007547034".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .map_err(|e| anyhow!("{e}"))?;
    let entity = store.save_legal_entity(&ctx, None, &entity).await?.id;
    let office = OfficeForm {
        name: "Bruxelles".into(),
        region: "brussels".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| anyhow!("{e}"))?;
    let office = store.save_office(&ctx, None, &office).await?.id;
    let person = PersonForm {
        first_name: "Bench".into(),
        last_name: "Mark".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| anyhow!("{e}"))?;
    let admin = NewAccount {
        email: "bench@ruche.test".into(),
        password_hash: String::new(),
        language: Some(Language::Fr),
        roles: vec![RoleGrant {
            role: Role::Administrator,
            office_id: None,
        }],
    };
    let (person, account) = store
        .create_person_with_account(&ctx, &person, &admin)
        .await?;
    let activity = ActivityForm {
        name: "Orchestre".into(),
        description: "Concerts".into(),
        sector: "music".into(),
        office_id: office.to_string(),
    }
    .parse()
    .map_err(|e| anyhow!("{e}"))?;
    let activity = store.propose_activity(&ctx, &activity, person.id).await?.id;
    store
        .change_activity_status(&ctx, activity, ActivityEvent::Validate)
        .await?;
    let client = ClientForm {
        kind: "company".into(),
        name: "Théâtre".into(),
        enterprise_number: "0403170701".into(),
        vat_number: "BE0403170701".into(),
        street: "Bd Jacqmain 111".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        country: "BE".into(),
        language: "fr".into(),
        email: "compta@theatre.test".into(),
    }
    .parse()
    .map_err(|e| anyhow!("{e}"))?;
    let client = store.save_client(&ctx, None, &client).await?.id;
    let session_token = ruche_web::auth::new_token();
    let hour = 3_600_000_000;
    store
        .create_session(
            &ruche_web::auth::hash_token(&session_token),
            account.id,
            hour,
            None,
        )
        .await?;
    Ok(Fixture {
        activity,
        client,
        entity,
        session_token,
    })
}

fn draft(f: &Fixture, n: usize) -> DraftInvoice {
    let price = 100_000 + i64::try_from(n % 997).unwrap_or(0) * 100;
    DraftInvoice {
        kind: DocumentKind::Invoice,
        activity_id: f.activity,
        client_id: f.client,
        entity_id: f.entity,
        quote_id: None,
        corrects_invoice_id: None,
        due_days: 30,
        language: Language::Fr,
        order_reference: Some(format!("BC-{n}")),
        note: None,
        lines: vec![
            LineInput {
                description: "Concert".into(),
                quantity: Decimal::ONE,
                unit: "LS".into(),
                unit_price: Decimal::new(price, 2),
                vat_category: VatCategory::S,
                vat_rate_bp: 600,
            },
            LineInput {
                description: "Technique".into(),
                quantity: Decimal::from(3),
                unit: "HUR".into(),
                unit_price: Decimal::new(6_500, 2),
                vat_category: VatCategory::S,
                vat_rate_bp: 2100,
            },
        ],
    }
}

/// Issues `n` invoices spread over the year, two thirds of them paid.
async fn fill(store: &Store, f: &Fixture, n: usize, year: i16) -> Result<()> {
    let ctx = AuditContext::system();
    let started = Instant::now();
    for i in 0..n {
        let day = i64::try_from(i * 330 / n.max(1)).unwrap_or(0);
        let date = Date::new(year, 1, 1)?.checked_add(jiff::Span::new().days(day))?;
        let invoice = store.save_invoice_draft(&ctx, None, &draft(f, i)).await?;
        let issued = store.issue_invoice(&ctx, invoice.id, date).await?;
        if i % 3 != 0 {
            let paid = date.checked_add(jiff::Span::new().days(20))?;
            store
                .record_payment(
                    &ctx,
                    invoice.id,
                    issued.record.tax_inclusive_cents,
                    paid,
                    None,
                )
                .await?;
        }
        if (i + 1) % 1000 == 0 || i + 1 == n {
            eprintln!(
                "  {}/{n} invoices issued ({:.0} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// The `q` quantile (0.5: the median) of samples sorted ascending, by the nearest rank.
pub(crate) fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn summary(name: &str, mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| quantile(&samples, q);
    format!(
        "{name}: median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} runs)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        samples.len()
    )
}

/// Runs the sales benchmark on `store` (fresh and migrated) and prints the results.
pub async fn sales(store: Store, invoices: usize, runs: usize) -> Result<()> {
    let year = jiff::Zoned::now().year();
    eprintln!(
        "bench sales on {}: {invoices} invoices, {runs} runs",
        store.engine().name()
    );
    let f = fixture(&store).await?;
    fill(&store, &f, invoices, year).await?;
    ruche_pdf::warm_up();

    // Issuing one invoice: draft → number, ledger, snapshot → PDF + UBL kept.
    let ctx = AuditContext::system();
    let last_day = Date::new(year, 12, 1)?;
    let mut issue = Vec::with_capacity(runs);
    for i in 0..runs {
        let d = store
            .save_invoice_draft(&ctx, None, &draft(&f, invoices + i))
            .await?;
        let started = Instant::now();
        let issued = store.issue_invoice(&ctx, d.id, last_day).await?;
        ruche_web::documents::files(&store, issued.record.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        issue.push(started.elapsed());
    }

    // Opening the budget page of the activity, through the real handler.
    let state = ruche_web::AppState::new(store.clone(), ruche_web::WebConfig::default());
    let app = ruche_web::app(state);
    let uri = format!("/activities/{}/budget?year={year}", f.activity);
    let mut page = Vec::with_capacity(runs);
    for _ in 0..runs {
        let request = axum::http::Request::get(&uri)
            .header(
                "cookie",
                format!("{}={}", ruche_web::auth::SESSION_COOKIE, f.session_token),
            )
            .body(Body::empty())
            .context("request")?;
        let started = Instant::now();
        let response = app.clone().oneshot(request).await.context("budget page")?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .context("body")?;
        page.push(started.elapsed());
        if !status.is_success() {
            return Err(anyhow!("budget page answered {status}"));
        }
        if body.is_empty() {
            return Err(anyhow!("budget page is empty"));
        }
    }
    println!(
        "engine: {}; activity with {invoices} issued invoices",
        store.engine().name()
    );
    println!(
        "{}",
        summary(
            "issue one invoice (number, ledger, snapshot, PDF, UBL)",
            issue
        )
    );
    println!(
        "{}",
        summary("open the activity's budget page (HTTP handler)", page)
    );
    Ok(())
}

/// The credits of the generated statement: seven in ten carry the structured communication
/// of one of `references` (in turn), two in ten name an invoice number in their free text,
/// one in ten nothing known. Each pays 1.00 €, so that the invoices stay open and every
/// payment is a real match.
fn generated_entries(references: &[(String, String)], entries: usize) -> Vec<camt_gen::Entry> {
    (0..entries)
        .map(|i| {
            let (ogm, number) = &references[i % references.len().max(1)];
            let remittance = match i % 10 {
                0..=6 => camt_gen::ogm_remittance(ogm),
                7 | 8 => camt_gen::text_remittance(&format!("Paiement facture {number} merci")),
                _ => camt_gen::text_remittance("Cotisation"),
            };
            camt_gen::Entry {
                reference: format!("BENCH-{i:07}"),
                cents: 100,
                name: format!("Client {}", i % 97),
                iban: "BE71096123456769".into(),
                remittance,
            }
        })
        .collect()
}

/// Runs the bank benchmark on `store` (fresh and migrated): issues `invoices` open
/// invoices, generates a camt.053 of `movements` credits paying them, then measures reading
/// the file, importing and matching it in one transaction, and importing it again (every
/// movement already known).
pub async fn bank(store: Store, movements: usize, invoices: usize) -> Result<()> {
    let year = jiff::Zoned::now().year();
    eprintln!(
        "bench bank on {}: {movements} movements paying {invoices} open invoices",
        store.engine().name()
    );
    let f = fixture(&store).await?;
    let ctx = AuditContext::system();
    let issued_on = Date::new(year, 1, 15)?;
    let mut references = Vec::with_capacity(invoices);
    for i in 0..invoices {
        let d = store.save_invoice_draft(&ctx, None, &draft(&f, i)).await?;
        let issued = store.issue_invoice(&ctx, d.id, issued_on).await?.record;
        references.push((
            issued.structured_communication.unwrap_or_default(),
            issued.number.unwrap_or_default(),
        ));
        if (i + 1) % 1000 == 0 || i + 1 == invoices {
            eprintln!("  {}/{invoices} invoices issued", i + 1);
        }
    }
    let xml = camt_gen::statement(
        "BE68539007547034",
        1,
        Date::new(year, 3, 2)?,
        &generated_entries(&references, movements),
    );
    let started = Instant::now();
    let file =
        ruche_formats::statement::read("bench.xml", xml.as_bytes()).map_err(|e| anyhow!("{e}"))?;
    let read = started.elapsed();
    let started = Instant::now();
    let first = store.import_statement_file(&ctx, &file).await?;
    let import = started.elapsed();
    let started = Instant::now();
    let again = store.import_statement_file(&ctx, &file).await?;
    let reimport = started.elapsed();
    if first.read != movements || again.already_known != movements {
        return Err(anyhow!(
            "the import took {} of {movements} movements, the second {} known",
            first.read,
            again.already_known
        ));
    }
    println!(
        "engine: {}; camt.053 of {movements} movements ({:.1} MB) paying {invoices} open invoices",
        store.engine().name(),
        xml.len() as f64 / 1e6
    );
    println!(
        "read the file (camt.053 parser): {:.2} s",
        read.as_secs_f64()
    );
    println!(
        "import and match (one transaction): {:.1} s — {} matched, {} unmatched, {:.0} movements/s",
        import.as_secs_f64(),
        first.matched,
        first.unmatched,
        movements as f64 / import.as_secs_f64()
    );
    println!(
        "import the same file again (all already known): {:.1} s",
        reimport.as_secs_f64()
    );
    Ok(())
}

/// `count` open invoices written straight into the database by one statement (the store's
/// issuing path takes milliseconds per invoice; the dunning run reads only the invoice rows
/// and their clients): due dates spread over the four months before `as_of` and a fifth not
/// yet due, one client in three a consumer.
async fn bulk_open_invoices(
    store: &Store,
    f: &Fixture,
    consumer: i64,
    count: usize,
    as_of: Date,
) -> Result<()> {
    let before = |days: i64| -> Result<String> {
        Ok(as_of.checked_sub(jiff::Span::new().days(days))?.to_string())
    };
    let (d10, d40, d75, d120) = (before(10)?, before(40)?, before(75)?, before(120)?);
    let later = as_of.checked_add(jiff::Span::new().days(20))?.to_string();
    let issued = before(150)?;
    let now = jiff::Timestamp::now().as_microsecond();
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
         INSERT INTO invoices (kind, activity_id, client_id, entity_id, status, number, \
         issue_date, due_days, due_date, language, tax_exclusive_cents, tax_cents, \
         tax_inclusive_cents, paid_cents, credited_cents, created_at, updated_at) \
         SELECT 'invoice', {activity}, CASE WHEN i % 3 = 0 THEN {consumer} ELSE {company} END, \
         {entity}, 'issued', 'G2025-' || CAST(i AS TEXT), '{issued}', 30, \
         CASE i % 5 WHEN 0 THEN '{d10}' WHEN 1 THEN '{d40}' WHEN 2 THEN '{d75}' \
         WHEN 3 THEN '{d120}' ELSE '{later}' END, 'fr', 100000 + i % 997, 21000, \
         121000 + i % 997, 0, 0, {now}, {now} FROM n",
        activity = f.activity,
        company = f.client,
        entity = f.entity,
    );
    store.execute_admin(&sql).await?;
    Ok(())
}

/// Runs the dunning benchmark on `store` (fresh and migrated): `deliver` issued invoices
/// and `invoices` more written in bulk, all open; then the daily run recording their
/// reminders, the same run again (nothing new), and the delivery (PDF, mail) of the
/// reminders of the issued ones.
pub async fn dunning(store: Store, invoices: usize, deliver: i64) -> Result<()> {
    let as_of = jiff::Zoned::now().date();
    eprintln!(
        "bench dunning on {}: {invoices} open invoices",
        store.engine().name()
    );
    let f = fixture(&store).await?;
    let ctx = AuditContext::system();
    let consumer = ClientForm {
        kind: "consumer".into(),
        name: "Camille Bench".into(),
        street: "Rue Haute 5".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        country: "BE".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| anyhow!("{e}"))?;
    let consumer = store.save_client(&ctx, None, &consumer).await?.id;
    // The delivered reminders need issued documents (their snapshot is what the reminder
    // PDF cites): the first `deliver` invoices go through the store's issuing, due a month
    // ago; their reminders come first in the delivery queue.
    let issued_on = as_of.checked_sub(jiff::Span::new().days(60))?;
    for i in 0..usize::try_from(deliver).unwrap_or(0) {
        let d = store.save_invoice_draft(&ctx, None, &draft(&f, i)).await?;
        store.issue_invoice(&ctx, d.id, issued_on).await?;
    }
    let started = Instant::now();
    bulk_open_invoices(&store, &f, consumer, invoices, as_of).await?;
    eprintln!(
        "  {invoices} invoices written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let first = store.dunning_run(&ctx, as_of, false).await?;
    let run = started.elapsed();
    let started = Instant::now();
    let second = store.dunning_run(&ctx, as_of, false).await?;
    let rerun = started.elapsed();
    if second.total_sent() != 0 {
        return Err(anyhow!(
            "the second run sent {} reminders",
            second.total_sent()
        ));
    }
    ruche_pdf::warm_up();
    let started = Instant::now();
    let delivered = store
        .deliver_reminders(&ctx, &crate::dunning::PdfRenderer, deliver)
        .await?;
    let delivery = started.elapsed();
    println!(
        "engine: {}; {invoices} open invoices, four in five past due",
        store.engine().name()
    );
    println!(
        "dunning run (record the day's reminders): {:.1} s — {} candidates, {} reminders recorded",
        run.as_secs_f64(),
        first.candidates,
        first.total_sent()
    );
    println!(
        "the same run again (nothing new): {:.1} s",
        rerun.as_secs_f64()
    );
    println!(
        "delivery (PDF + mail queued) of {deliver}: {:.1} s, {:.1} ms per reminder — {:?}",
        delivery.as_secs_f64(),
        delivery.as_secs_f64() * 1e3 / deliver.max(1) as f64,
        delivered
    );
    Ok(())
}

/// The people of the reference year: 20,077 employees (MISSION.md).
const REFERENCE_WORKERS: usize = 20_077;

/// Runs the work benchmark on `store` (fresh and migrated): the salary simulation of
/// `contracts` contracts (pure computation), `signed` of them signed through the store
/// (volume checks, budget lock, ledger), the rest written in bulk, then the year's hours,
/// FTE and headcount (`Store::work_volume`), repeated `runs` times.
pub async fn work(store: Store, contracts: usize, signed: usize, runs: usize) -> Result<()> {
    use ruche_domain::employment::{ContractForm, pay_of};
    let year: i16 = 2026;
    eprintln!(
        "bench work on {}: {contracts} contracts, {signed} signed through the store",
        store.engine().name()
    );
    let f = fixture(&store).await?;
    let ctx = AuditContext::system();
    let worker = store
        .activity_holders(f.activity)
        .await?
        .first()
        .map(|h| h.person_id)
        .context("the bench activity has no holder")?;

    // 1. The simulation: budget-driven day contracts of 1 to 5 days, every day of the year.
    let started = Instant::now();
    let mut employer_cost = 0i64;
    for i in 0..contracts {
        let days = 1 + i % 5;
        let start =
            jiff::civil::date(year, 1, 1).checked_add(jiff::Span::new().days((i % 360) as i64))?;
        let end = start.checked_add(jiff::Span::new().days(days as i64 - 1))?;
        let form = ContractForm {
            worker: worker.to_string(),
            kind: "day".into(),
            starts_on: start.to_string(),
            ends_on: end.to_string(),
            days: days.to_string(),
            hours: (7 * days).to_string(),
            function: "Bench".into(),
            joint_committee: "200".into(),
            pay_basis: if i % 2 == 0 { "budget" } else { "gross" }.into(),
            amount: format!("{},{:02}", 150 * days + i % 97, i % 100),
            ..ContractForm::default()
        };
        let new = form.parse(f.activity).map_err(|e| anyhow!("{e:?}"))?;
        employer_cost += pay_of(&new)
            .map_err(|e| anyhow!("{e}"))?
            .employer_cost_cents;
    }
    let simulated = started.elapsed();
    println!(
        "simulation of {contracts} contracts (form checks + salary simulator): {:.2} s, {:.1} µs per contract (total employer cost {})",
        simulated.as_secs_f64(),
        simulated.as_secs_f64() * 1e6 / contracts.max(1) as f64,
        ruche_domain::format::money(employer_cost)
    );

    // 2. Signing through the store: one budget large enough, one contract a day.
    let opening = ruche_domain::ledger::NewTransaction::new(
        ruche_domain::ledger::TransactionKind::Opening,
        jiff::civil::date(year, 1, 1),
        "bench opening",
        None,
        vec![
            ruche_domain::ledger::Posting::debit(
                ruche_domain::ledger::AccountCode::EntityBank(f.entity),
                10_000_000_000,
            ),
            ruche_domain::ledger::Posting::credit(
                ruche_domain::ledger::AccountCode::ActivityBudget(f.activity),
                10_000_000_000,
            ),
        ],
    )
    .map_err(|e| anyhow!("{e}"))?;
    store.post_transaction(&ctx, &opening).await?;
    let mut samples = Vec::with_capacity(signed);
    for i in 0..signed {
        let day = jiff::civil::date(year - 1, 1, 1)
            .checked_add(jiff::Span::new().days((i % 365) as i64))?;
        let new = ContractForm {
            worker: worker.to_string(),
            kind: "day".into(),
            starts_on: day.to_string(),
            ends_on: day.to_string(),
            days: "1".into(),
            // At most six contracts a day of one worker: within the 11 h of a day.
            hours: "1".into(),
            function: "Bench".into(),
            joint_committee: "200".into(),
            pay_basis: "budget".into(),
            amount: "300,00".into(),
            ..ContractForm::default()
        }
        .parse(f.activity)
        .map_err(|e| anyhow!("{e:?}"))?;
        let pay = pay_of(&new).map_err(|e| anyhow!("{e}"))?;
        let t = Instant::now();
        store.sign_contract(&ctx, &new, &pay, day).await?;
        samples.push(t.elapsed());
    }
    if signed > 0 {
        println!("{}", summary("signing a contract", samples));
    }

    // 3. The rest of the year's contracts, written in bulk over the reference year's people.
    let started = Instant::now();
    let workers = REFERENCE_WORKERS;
    let now = jiff::Timestamp::now().as_microsecond();
    store
        .execute_admin(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {workers}) \
             INSERT INTO persons (first_name, last_name, street, postcode, city, country, \
             language, created_at, updated_at) SELECT 'Worker', 'W' || CAST(i AS TEXT), \
             'Rue Haute 1', '1000', 'Bruxelles', 'BE', 'fr', {now}, {now} FROM n"
        ))
        .await?;
    let bulk = contracts.saturating_sub(signed);
    // Month 1–12 and day 1–28 as text, the same in both engines; 1,309 ± 1 minutes each
    // (the reference year's 21.8 h per contract).
    let two = |x: &str| format!("CASE WHEN {x} < 10 THEN '0' ELSE '' END || CAST({x} AS TEXT)");
    let day = format!(
        "'{year}-' || {} || '-' || {}",
        two("(1 + i % 12)"),
        two("(1 + i % 28)")
    );
    store
        .execute_admin(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {bulk}) \
             INSERT INTO work_contracts (activity_id, worker_person_id, kind, worker_status, \
             status, starts_on, ends_on, last_day, days, minutes, function_title, joint_committee, \
             pay_basis, amount_cents, gross_cents, net_cents, employer_cost_cents, params_version, \
             simulation, flags, due_on, signed_on, created_at, updated_at) \
             SELECT {activity}, (SELECT p.id FROM persons p WHERE p.last_name = \
             'W' || CAST(1 + i % {workers} AS TEXT) AND p.first_name = 'Worker'), 'day', 'employee', 'paid', {day}, \
             {day}, {day}, 3, 1308 + i % 3, 'Bench', '200', 'budget', 30000, 21049, 18298, \
             29998, 'bench', 'null', '', {day}, {day}, {now}, {now} FROM n",
            activity = f.activity,
        ))
        .await?;
    println!(
        "{bulk} contracts written in bulk in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // 4. The year's volume.
    let mut samples = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(store.work_volume(year).await?);
        samples.push(t.elapsed());
    }
    if let Some(v) = last {
        println!(
            "year {year}: {} contracts, {} hours, {} FTE, {} people",
            v.contracts,
            v.hours(),
            v.fte(),
            v.headcount
        );
    }
    println!(
        "{}",
        summary("hours, FTE and headcount of the year", samples)
    );
    Ok(())
}

/// `ruche bench governance`: an online general assembly at the reference year's scale. N
/// members hold one share each (written in bulk), an assembly is convened (one convocation
/// per member), opened, `voters` of them arrive online and vote on one resolution; the
/// live tally is read while the vote is open, then the vote is closed (tally kept), and the
/// special report of the year is assembled (every check and every figure).
pub async fn governance(store: Store, members: usize, voters: usize, runs: usize) -> Result<()> {
    use ruche_domain::governance::convocation::AssemblyForm;
    use ruche_domain::governance::vote::{Choice, ResolutionForm};
    use ruche_store::assemblies::ConvocationMail;
    use ruche_store::shares::NewShareClass;
    let voters = voters.min(members);
    eprintln!(
        "bench governance on {}: {members} members, {voters} voting",
        store.engine().name()
    );
    let ctx = AuditContext::system();
    fixture(&store).await?;

    // 1. The register: one share each, in bulk.
    let started = Instant::now();
    let class = store
        .create_share_class(
            &ctx,
            &NewShareClass {
                code: "A".into(),
                name: "Part A".into(),
                nominal_cents: 3_000,
                votes_per_share: 1,
                eligible: "anyone".into(),
                minimum_holding: 1,
            },
        )
        .await?;
    let now = jiff::Timestamp::now().as_microsecond();
    store
        .execute_admin(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {members}) \
             INSERT INTO persons (first_name, last_name, street, postcode, city, country, \
             language, created_at, updated_at) SELECT 'Member', 'M' || CAST(i AS TEXT), \
             'Rue Haute 1', '1000', 'Bruxelles', 'BE', 'fr', {now}, {now} FROM n"
        ))
        .await?;
    store
        .execute_admin(&format!(
            "INSERT INTO share_operations (number, kind, person_id, class_id, shares, \
             paid_cents, effective_on, note, created_at) SELECT id, 'opening', id, {class}, 1, \
             3000, '2020-01-01', 'bench', {now} FROM persons WHERE first_name = 'Member'",
            class = class.id
        ))
        .await?;
    store
        .execute_admin(
            "INSERT INTO share_register_counter (id, last_number) \
             SELECT 1, MAX(number) FROM share_operations",
        )
        .await?;
    println!(
        "{members} members and their shares written in bulk in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // 2. The assembly: created, convened (one convocation each), opened.
    let today = jiff::Zoned::now().date();
    let held_on = today.checked_add(jiff::Span::new().days(30))?;
    let new = AssemblyForm {
        ga_kind: "ordinary".into(),
        ga_title: "Bench".into(),
        ga_held_on: held_on.to_string(),
        ga_starts_at: "18:30".into(),
        ga_place: "En ligne".into(),
        ga_online: Some("on".into()),
    }
    .parse()
    .map_err(|e| anyhow!("{e:?}"))?;
    let assembly = store.create_assembly(&ctx, &new).await?;
    let resolution = ResolutionForm {
        ga_res_title: "Approbation des comptes".into(),
        ga_res_kind: "accounts".into(),
        ..ResolutionForm::default()
    }
    .parse()
    .map_err(|e| anyhow!("{e:?}"))?;
    let resolution = store.add_resolution(&ctx, assembly.id, &resolution).await?;
    let started = Instant::now();
    let mails: Vec<ConvocationMail> = store
        .convocees(today)
        .await?
        .into_iter()
        .map(|c| ConvocationMail {
            person_id: c.person_id,
            language: c.language,
            to: None,
            subject: String::new(),
            body: String::new(),
        })
        .collect();
    store
        .convene_assembly(&ctx, assembly.id, today, &mails)
        .await?;
    println!(
        "convening {} members: {:.2} s",
        mails.len(),
        started.elapsed().as_secs_f64()
    );
    store.open_assembly(&ctx, assembly.id).await?;
    store.open_resolution(&ctx, resolution.id).await?;

    // 3. Arrivals and ballots, one member after the other.
    let people: Vec<i64> = mails.iter().map(|m| m.person_id).take(voters).collect();
    let mut arrivals = Vec::with_capacity(people.len());
    let mut ballots = Vec::with_capacity(people.len());
    let mut tallies = Vec::new();
    let every = (people.len() / runs.max(1)).max(1);
    for (i, person) in people.iter().enumerate() {
        let t = Instant::now();
        store
            .mark_present(&ctx, assembly.id, *person, "online")
            .await?;
        arrivals.push(t.elapsed());
        let choice = if i % 3 == 0 { Choice::No } else { Choice::Yes };
        let t = Instant::now();
        store
            .cast_ballot(&ctx, resolution.id, *person, *person, choice)
            .await?;
        ballots.push(t.elapsed());
        if (i + 1) % every == 0 {
            let t = Instant::now();
            store.resolution_tally(resolution.id).await?;
            tallies.push(t.elapsed());
        }
    }
    println!("{}", summary("arriving online", arrivals));
    println!("{}", summary("casting a ballot", ballots));
    println!("{}", summary("the live tally", tallies));
    let t = Instant::now();
    let closed = store.close_resolution(&ctx, resolution.id).await?;
    println!(
        "closing the vote (tally kept): {:.0} ms — {}",
        t.elapsed().as_secs_f64() * 1e3,
        closed.status
    );

    // 4. The special report of the year (checks and figures), assembled from the data.
    let year = i32::from(today.year());
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        store.assemble_special_report(year, None).await?;
        samples.push(t.elapsed());
    }
    println!("{}", summary("assembling the special report", samples));
    Ok(())
}

// ------------------------------------------------------------------------------ search

/// Words of the generated texts, per language: realistic training and guide vocabulary,
/// with plurals and Dutch compounds, so that stemming and the compound trigrams work.
const WORDS_FR: &[&str] = &[
    "formation",
    "formations",
    "gestion",
    "projets",
    "culturels",
    "comptabilité",
    "facturation",
    "clients",
    "développement",
    "artistes",
    "numérique",
    "atelier",
    "méthodologie",
    "public",
    "indépendants",
    "réseau",
    "coopérative",
    "budget",
    "contrats",
    "droits",
    "auteur",
    "scène",
    "éclairage",
    "son",
    "vidéo",
    "photographie",
    "écriture",
    "communication",
    "marketing",
    "subventions",
    "dossier",
    "prévention",
    "sécurité",
    "santé",
    "bien-être",
    "pédagogie",
];
const WORDS_NL: &[&str] = &[
    "opleiding",
    "opleidingen",
    "boekhouding",
    "projectbeheer",
    "inkomstenbelasting",
    "btw-aangifte",
    "zelfstandigen",
    "kunstenaars",
    "facturatie",
    "klanten",
    "ontwikkeling",
    "werkwinkel",
    "methodologie",
    "netwerk",
    "coöperatie",
    "begroting",
    "contracten",
    "auteursrechten",
    "podiumtechniek",
    "belichting",
    "geluid",
    "fotografie",
    "schrijven",
    "communicatie",
    "subsidieaanvraag",
    "preventie",
    "veiligheid",
    "gezondheid",
    "welzijn",
];
const WORDS_EN: &[&str] = &[
    "training",
    "trainings",
    "management",
    "projects",
    "accounting",
    "invoicing",
    "clients",
    "development",
    "artists",
    "digital",
    "workshop",
    "methodology",
    "freelancers",
    "network",
    "cooperative",
    "budget",
    "contracts",
    "copyright",
    "stage",
    "lighting",
    "sound",
    "video",
    "photography",
    "writing",
    "communication",
    "grants",
    "prevention",
    "safety",
    "health",
];

/// A small deterministic generator (no seed to keep: the same texts every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    fn words(&mut self, vocabulary: &[&str], count: usize) -> String {
        (0..count)
            .map(|_| vocabulary[self.next(vocabulary.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Full-text search of the catalogue and the guide (ruche_search) on `documents` generated
/// records each: building the index, then queries typed by visitors (plurals, accents, a
/// Dutch compound part, filters), each repeated `runs` times over several result pages.
pub fn search(documents: usize, runs: usize) -> Result<()> {
    use ruche_search::{Document, Query, SearchIndex, Text};
    eprintln!("bench search: {documents} records per collection, {runs} runs per query");
    let mut rng = Lcg(7);
    let topics = ["management", "accounting", "arts", "digital", "health"];
    for collection in ["catalogue", "guide"] {
        let docs: Vec<Document> = (0..documents)
            .map(|i| {
                let mut texts = Vec::new();
                // Every record in French or Dutch, a third in both, a fifth in English too.
                let languages: &[Language] = match i % 15 {
                    0..=4 => &[Language::Fr],
                    5..=9 => &[Language::Nl],
                    10..=12 => &[Language::Fr, Language::Nl],
                    _ => &[Language::Fr, Language::Nl, Language::En],
                };
                for language in languages {
                    let vocabulary = match language {
                        Language::Fr => WORDS_FR,
                        Language::Nl => WORDS_NL,
                        Language::En => WORDS_EN,
                    };
                    texts.push(Text {
                        language: *language,
                        title: rng.words(vocabulary, 6),
                        body: rng.words(vocabulary, 180),
                    });
                }
                let mut facets = vec![(
                    "topic".to_string(),
                    topics[rng.next(topics.len())].to_string(),
                )];
                for language in languages {
                    facets.push(("language".into(), language.code().into()));
                }
                Document {
                    id: i64::try_from(i).unwrap_or(i64::MAX) + 1,
                    texts,
                    facets,
                    visible: true,
                }
            })
            .collect();
        let index = SearchIndex::new()?;
        let started = Instant::now();
        index.apply(&docs)?;
        println!(
            "{collection}: {} records indexed in {:.2} s",
            index.len(),
            started.elapsed().as_secs_f64()
        );
        let queries: [(&str, &[(&str, &str)]); 6] = [
            ("formations", &[]),
            ("opleidingen", &[]),
            ("gestion projets", &[]),
            ("belasting", &[]),
            ("developpement", &[("language", "fr")]),
            ("", &[("topic", "arts"), ("language", "nl")]),
        ];
        for (text, filters) in queries {
            let mut samples = Vec::with_capacity(runs);
            let mut total = 0;
            for run in 0..runs {
                let query = Query {
                    text: text.into(),
                    filters: filters
                        .iter()
                        .map(|(f, v)| (f.to_string(), v.to_string()))
                        .collect(),
                    language: Some(Language::Fr),
                    offset: (run % 5) * 20,
                    limit: 20,
                };
                let started = Instant::now();
                let hits = index.search(&query)?;
                samples.push(started.elapsed());
                total = hits.total;
            }
            let filters: Vec<String> = filters.iter().map(|(f, v)| format!("{f}={v}")).collect();
            println!(
                "{}",
                summary(
                    &format!(
                        "{collection} search {text:?} {} ({total} found, page of 20 with snippets)",
                        filters.join(" ")
                    ),
                    samples
                )
            );
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------- loans

/// The loans portfolio over `years` years of 0 % loans (`per_year` a year, through the
/// store's own life cycle: application, opinion, decision, disbursement, schedule, and a
/// transfer repaying each loan of the older half in full), then the portfolio's figures and
/// the `/loans/portfolio` page (the real HTTP handler), each repeated `runs` times.
pub async fn loans(store: Store, years: i16, per_year: usize, runs: usize) -> Result<()> {
    use ruche_domain::loans::{
        Decision, DisburseTo, Disbursement, LoanPurpose, NewLoanApplication, Opinion, Repayment,
        loan_params_on,
    };
    eprintln!(
        "bench loans on {}: {years} years × {per_year} loans",
        store.engine().name()
    );
    let f = fixture(&store).await?;
    let ctx = AuditContext::system();
    let today = jiff::Zoned::now().date();
    let holder = store
        .activity_holders(f.activity)
        .await?
        .first()
        .map(|h| h.person_id)
        .ok_or_else(|| anyhow!("the bench activity has no holder"))?;
    let first_year = today.year() - years + 1;
    let started = Instant::now();
    let mut written = 0usize;
    let mut rng = Lcg(11);
    for year in first_year..=today.year() {
        for i in 0..per_year {
            let month = i8::try_from(1 + i % 11).unwrap_or(1);
            let day = i8::try_from(1 + i % 27).unwrap_or(1);
            let applied_on = Date::new(year, month, day)?;
            if applied_on >= today {
                break;
            }
            let params = loan_params_on(applied_on)?;
            // 1,000 € to 9,900 € over 12 to 36 months.
            let principal_cents = i64::try_from(100_000 + rng.next(90) * 10_000).unwrap_or(100_000);
            let instalments = u32::try_from(12 + rng.next(25)).unwrap_or(12);
            let new = NewLoanApplication {
                activity_id: f.activity,
                purpose: LoanPurpose::Equipment,
                principal_cents,
                instalments,
                justification: "Matériel de scène".into(),
                criteria: params.criteria.clone(),
                params_version: params.version(),
            };
            let loan = store
                .apply_for_loan(&ctx, holder, &new, applied_on, &[])
                .await?;
            let opinion = Opinion {
                favourable: true,
                text: "Favorable".into(),
                criteria_confirmed: params.criteria.clone(),
            };
            store.give_loan_opinion(&ctx, loan.id, &opinion).await?;
            store
                .decide_loan(
                    &ctx,
                    loan.id,
                    &Decision::Approve { conditions: None },
                    applied_on,
                )
                .await?;
            let disbursement = Disbursement {
                to: DisburseTo::Budget,
                disbursed_on: applied_on,
                first_due_on: applied_on.checked_add(jiff::Span::new().months(1))?,
            };
            store.disburse_loan(&ctx, loan.id, &disbursement).await?;
            // The older half is repaid in full by transfer, a year after disbursement.
            if year < first_year + years / 2 {
                let repaid_on = applied_on.checked_add(jiff::Span::new().years(1))?;
                store
                    .record_loan_transfer(
                        &ctx,
                        loan.id,
                        &Repayment {
                            amount_cents: principal_cents,
                            on: repaid_on,
                        },
                    )
                    .await?;
            }
            written += 1;
        }
    }
    println!(
        "{written} loans applied, reviewed, approved and disbursed through the store in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // As autovacuum would before anyone opens the portfolio: fresh statistics.
    store.analyze().await?;
    let mut figures = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let portfolio = store.loan_portfolio(today.year(), today).await?;
        figures.push(started.elapsed());
        std::hint::black_box(portfolio);
    }
    let state = ruche_web::AppState::new(store.clone(), ruche_web::WebConfig::default());
    let app = ruche_web::app(state);
    let mut page = Vec::with_capacity(runs);
    for _ in 0..runs {
        let request = axum::http::Request::get("/loans/portfolio")
            .header(
                "cookie",
                format!("{}={}", ruche_web::auth::SESSION_COOKIE, f.session_token),
            )
            .body(Body::empty())
            .context("request")?;
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(request)
            .await
            .context("portfolio page")?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .context("body")?;
        page.push(started.elapsed());
        if !status.is_success() || body.is_empty() {
            return Err(anyhow!("the portfolio page answered {status}"));
        }
    }
    println!("engine: {}", store.engine().name());
    println!(
        "{}",
        summary("the portfolio's figures (Store::loan_portfolio)", figures)
    );
    println!(
        "{}",
        summary("open the loans portfolio page (HTTP handler)", page)
    );
    Ok(())
}
