//! Every public sample read, written back *without* the check (most of them are not
//! ruche's and break rules the model cannot help: allowances, other currencies…), and read
//! again: the totals and the VAT breakdown must survive (BT-106 … BT-115, BG-23).
//! The writer with its check is tested on ruche's own documents in `tests/ubl.rs`.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use super::read::read_invoice_report;
use super::write::render;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn samples() -> Option<Vec<PathBuf>> {
    let peppol = Path::new(SHARED).join("samples/peppol");
    if !peppol.is_dir() {
        let line = format!("SKIPPED sample round trip: {SHARED} is absent (no samples)");
        println!("{line}");
        eprintln!("{line}");
        return None;
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&peppol)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    paths.push(Path::new(SHARED).join("samples/be-test/be-invoice-minimal.xml"));
    Some(paths)
}

#[test]
fn every_sample_is_written_back_and_read_again_without_losing_a_total() {
    let Some(paths) = samples() else {
        return;
    };
    assert!(paths.len() >= 5);
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let first = read_invoice_report(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let xml = render(&first.document).unwrap();
        let second = read_invoice_report(&xml).unwrap();
        let (a, b) = (&first.document, &second.document);
        assert_eq!(b.totals, a.totals, "{name}: totals and VAT breakdown");
        assert_eq!(b.lines, a.lines, "{name}: lines");
        assert_eq!(
            (&b.number, b.issue_date, b.kind, &b.structured_communication),
            (&a.number, a.issue_date, a.kind, &a.structured_communication),
            "{name}"
        );
        assert_eq!(
            (&b.seller, &b.buyer),
            (&a.seller, &a.buyer),
            "{name}: parties"
        );
        assert_eq!(
            (&b.order_reference, &b.corrects, &b.note),
            (&a.order_reference, &a.corrects, &a.note),
            "{name}"
        );
        // Writing what was read adds nothing the model did not hold: the second reading
        // reports at most the currency the writer now claims (always EUR) and the due date
        // the first reading assumed.
        assert_eq!(second.currency, "EUR", "{name}");
        assert!(
            second.not_kept.iter().all(|t| first.not_kept.contains(t)),
            "{name}: {:?} then {:?}",
            first.not_kept,
            second.not_kept
        );
    }
}
