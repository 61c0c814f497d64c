//! `ruche bank import <file>`: reads a CODA or camt.053 statement file with
//! `ruche_formats::statement`, imports it in one transaction, and prints the report line by
//! line (payments.md §4; the same import as the accountants' upload page).

use std::path::Path;

use anyhow::{Context, Result, bail};
use ruche_store::bank::ImportReport;
use ruche_store::{AuditContext, Store};

/// Reads `path`, imports it, and prints the warnings and the report. A refused file is an
/// error (exit status 1) after its report is printed.
pub async fn import_file(store: &Store, path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = ruche_formats::statement::read(&name, &bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    let report = store
        .import_statement_file(&AuditContext::system(), &file)
        .await
        .context("importing the statements")?;
    print!("{}", render(&report));
    if let Some(refusal) = &report.refusal {
        bail!(
            "the file is refused ({}): {}; nothing was imported",
            refusal.code,
            refusal.detail
        );
    }
    Ok(())
}

/// The report as the command prints it.
pub fn render(report: &ImportReport) -> String {
    let mut out = String::new();
    for notice in &report.notices {
        out.push_str(&format!("notice ({}): {}\n", notice.code, notice.detail));
    }
    for line in &report.lines {
        out.push_str(&format!(
            "{:>6} {:<12} {:>14} {:<14} {}\n",
            line.line.map(|l| l.to_string()).unwrap_or_default(),
            line.booked_on,
            ruche_domain::format::money(line.amount_cents),
            line.outcome.code(),
            line.detail.as_deref().unwrap_or_default(),
        ));
    }
    out.push_str(&format!("statements:    {}\n", report.statements));
    out.push_str(&format!("read:          {}\n", report.read));
    out.push_str(&format!("new:           {}\n", report.new));
    out.push_str(&format!("already known: {}\n", report.already_known));
    out.push_str(&format!("matched:       {}\n", report.matched));
    out.push_str(&format!("returned:      {}\n", report.returned));
    out.push_str(&format!("unmatched:     {}\n", report.unmatched));
    out
}
