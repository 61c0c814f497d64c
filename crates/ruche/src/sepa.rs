//! `ruche sepa export --entity <id> --date YYYY-MM-DD [--out FILE]`: creates the SEPA batch
//! of a legal entity (every pending payout order requested on or before the date), keeps
//! its pain.001.001.09 in the database, and writes it to a file (payments.md §7; the same
//! batch as the treasury page's "Create the SEPA file").

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use ruche_store::payouts::{NOTHING_PENDING, PayoutBatchRecord, REFUSED_FILE};
use ruche_store::{AuditContext, Store, StoreError};

/// Creates the batch and writes its file (`<message id>.xml` in the current directory when
/// `out` is `None`); prints where, how many transfers and the total.
pub async fn export(store: &Store, entity_id: i64, date: &str, out: Option<PathBuf>) -> Result<()> {
    let date: Date = date
        .trim()
        .parse()
        .with_context(|| format!("--date {date}: expected YYYY-MM-DD"))?;
    let today = ruche_web::context::today();
    if date < today {
        bail!(
            "--date {date} is in the past: a bank executes a transfer on {today} at the earliest"
        );
    }
    let batch = match ruche_web::pages::payouts::create_batch(
        store,
        &AuditContext::system(),
        entity_id,
        date,
    )
    .await
    {
        Ok(batch) => batch,
        Err(StoreError::NotFound) => bail!("no legal entity {entity_id}"),
        Err(StoreError::Conflict(code)) if code == NOTHING_PENDING => bail!(
            "nothing to pay: legal entity {entity_id} has no pending payout order requested on or before {date}"
        ),
        Err(StoreError::Conflict(code)) if code == REFUSED_FILE => {
            bail!("the pain.001 was refused (see the log above); nothing was written")
        }
        Err(e) => return Err(e).context("creating the SEPA batch"),
    };
    let (message_id, xml) = store
        .payout_batch_xml(batch.id)
        .await
        .context("reading the kept file back")?;
    let path = out.unwrap_or_else(|| PathBuf::from(format!("{message_id}.xml")));
    write_file(&path, &xml)?;
    println!("{}", summary(&batch, &path));
    Ok(())
}

fn write_file(path: &Path, xml: &str) -> Result<()> {
    std::fs::write(path, xml).with_context(|| {
        format!(
            "writing {} (the batch is kept: download it again from the payouts page)",
            path.display()
        )
    })
}

/// What the command prints: where the file is, how many transfers, the total.
pub fn summary(batch: &PayoutBatchRecord, path: &Path) -> String {
    format!(
        "{}: {} transfer(s), {} total, execution {}, entity {} ({}), SHA-256 {}",
        path.display(),
        batch.transaction_count,
        ruche_domain::format::money(batch.total_cents),
        batch.execution_date,
        batch.entity_name,
        batch.entity_id,
        batch.sha256,
    )
}
