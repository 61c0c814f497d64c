//! CODA 2.x (`shared/reference/payments.md` §3): the public samples read without warnings and
//! balance, structured communications are kept and flagged rather than refused, and
//! globalised movements count once.
//!
//! The samples live in `shared/samples/coda/` beside the checkout; when that folder is absent
//! the sample tests say SKIPPED on their output and pass.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use jiff::civil::date;
use ruche_formats::coda::{
    AccountStructure, CodaError, CodaFile, CodaWarning, Communication, parse,
};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/coda");

/// The sample files, or `None` (with a SKIPPED line) when the folder is absent.
fn samples(test: &str) -> Option<Vec<PathBuf>> {
    let dir = Path::new(SAMPLES);
    if !dir.is_dir() {
        let line = format!("SKIPPED {test}: {SAMPLES} is absent (no CODA samples)");
        println!("{line}");
        eprintln!("{line}");
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Some(files)
}

/// The sample whose name starts with `prefix`, read as Latin-1 (one byte, one character).
fn sample(prefix: &str, test: &str) -> Option<CodaFile> {
    let path = samples(test)?.into_iter().find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
    });
    let Some(path) = path else {
        println!("SKIPPED {test}: no sample named {prefix}* in {SAMPLES}");
        return None;
    };
    Some(parse(&latin1(&path)).unwrap())
}

fn latin1(path: &Path) -> String {
    std::fs::read(path)
        .unwrap()
        .into_iter()
        .map(char::from)
        .collect()
}

#[test]
fn every_public_sample_parses_without_warnings_and_balances() {
    let Some(files) = samples("every_public_sample_parses_without_warnings_and_balances") else {
        return;
    };
    assert!(!files.is_empty());
    for path in files {
        let file = parse(&latin1(&path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy();
        let movements: usize = file.statements.iter().map(|s| s.movements.len()).sum();
        println!(
            "{name}: {} statement(s), {movements} movement(s), warnings {:?}",
            file.statements.len(),
            file.warnings
        );
        let unexpected: Vec<_> = file
            .warnings
            .iter()
            // Faults of the sample's own data, asserted in the tests below.
            .filter(|w| {
                !matches!(
                    w,
                    CodaWarning::InvalidOgm { .. } | CodaWarning::InvalidAccount { .. }
                )
            })
            .collect();
        assert!(unexpected.is_empty(), "{name}: {unexpected:?}");
        assert!(!file.statements.is_empty(), "{name}");
        for statement in &file.statements {
            let movements: i64 = statement.movements.iter().map(|m| m.amount_cents).sum();
            let new = statement.new_balance.unwrap();
            assert_eq!(statement.old_balance.cents + movements, new.cents, "{name}");
            assert!(statement.trailer.is_some(), "{name}");
        }
    }
}

#[test]
fn the_odoo_sample_carries_a_valid_ogm_and_counts_globalised_totals_once() {
    let Some(file) = sample("odoo", "the_odoo_sample_carries_a_valid_ogm") else {
        return;
    };
    let [statement] = file.statements.as_slice() else {
        panic!("one statement expected");
    };
    assert_eq!(statement.account.structure, AccountStructure::BelgianIban);
    assert_eq!(statement.account.number, "BE33737018595246");
    assert_eq!(
        statement.account.iban.as_ref().map(|i| i.as_str()),
        Some("BE33737018595246")
    );
    assert_eq!(statement.account.currency, "EUR");
    assert_eq!(statement.sequence, 135);
    assert_eq!(statement.paper_sequence, 3);
    assert_eq!(statement.old_balance.cents, 1_181_270);
    assert_eq!(statement.old_balance.date, Some(date(2010, 7, 27)));
    assert_eq!(statement.new_balance.map(|b| b.cents), Some(1_352_781));
    let trailer = statement.trailer.unwrap();
    assert_eq!(trailer.record_count, 22);
    assert_eq!(trailer.debit_cents, 139_308);
    assert_eq!(trailer.credit_cents, 310_819);

    let amounts: Vec<i64> = statement.movements.iter().map(|m| m.amount_cents).collect();
    assert_eq!(amounts, [-43_500, 304_445, -47_904, -47_904, 6_374]);

    let paid = &statement.movements[1];
    let Communication::Ogm(reference) = &paid.communication else {
        panic!("{:?}", paid.communication);
    };
    assert_eq!(reference.digits, "240283842818");
    assert!(reference.check_holds);
    assert_eq!(paid.ogm().unwrap().to_string(), "+++240/2838/42818+++");
    assert_eq!(paid.counterparty_account, "BE61310126985517");
    assert_eq!(paid.counterparty_name, "PARTNER 2");
    assert_eq!(paid.counterparty_bic, "BBRUBEBB");
    assert_eq!(paid.transaction_code, "00150000");
    assert_eq!(paid.value_date, Some(date(2011, 1, 11)));
    assert_eq!(paid.entry_date, Some(date(2011, 1, 11)));
    let [information] = paid.information.as_slice() else {
        panic!("{:?}", paid.information);
    };
    assert_eq!(information.kind.as_deref(), Some("001"));
    assert!(information.text.starts_with("PARTNER 2 "));
    assert!(information.text.contains("MOLENSTRAAT 60"));

    let total = &statement.movements[2];
    assert_eq!(total.transaction_type(), Some(3));
    assert_eq!(total.globalisation_code, 1);
    let details: Vec<(u16, i64)> = total
        .details
        .iter()
        .map(|d| (d.detail, d.amount_cents))
        .collect();
    assert_eq!(details, [(1, -41_992), (2, -5_912)]);

    assert_eq!(
        statement.movements[0].communication,
        Communication::Free("MEDEDELING".into())
    );
}

#[test]
fn a_structured_communication_with_a_wrong_check_digit_is_kept_and_flagged() {
    let Some(file) = sample("php-coda-parser", "a_structured_communication_with_a_wrong") else {
        return;
    };
    let statement = &file.statements[0];
    // Structure 0: a Belgian account number, from which the IBAN follows.
    assert_eq!(statement.account.structure, AccountStructure::BelgianNumber);
    assert_eq!(statement.account.number, "138536152215");
    assert_eq!(statement.sequence, 139);
    assert_eq!(statement.paper_sequence, 138);
    // 1385361522 mod 97 = 53, not 15: the sample's account number is made up.
    assert_eq!(statement.account.iban, None);
    assert!(file.warnings.contains(&CodaWarning::InvalidAccount {
        line: 2,
        account: "138536152215".into(),
    }));
    let first = &statement.movements[0];
    let Communication::Ogm(reference) = &first.communication else {
        panic!("{:?}", first.communication);
    };
    assert_eq!(reference.digits, "000003505158");
    assert!(!reference.check_holds);
    assert!(first.ogm().is_none());
    // All four communications of the sample fail their check: each is kept and flagged.
    let flagged: Vec<&str> = file
        .warnings
        .iter()
        .filter_map(|w| match w {
            CodaWarning::InvalidOgm { digits, .. } => Some(digits.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        flagged,
        [
            "000003505158",
            "000003515846",
            "000003154982",
            "000002133131"
        ]
    );
    assert_eq!(statement.movements.len(), 4);
    assert_eq!(first.amount_cents, 500);
}

#[test]
fn the_pycoda_sample_keeps_fourteen_details_under_its_total() {
    let Some(file) = sample("pycoda", "the_pycoda_sample_keeps_fourteen_details") else {
        return;
    };
    let statement = &file.statements[0];
    let total = statement
        .movements
        .iter()
        .find(|m| m.sequence == 17)
        .unwrap();
    assert_eq!(total.amount_cents, -260_800);
    assert_eq!(total.details.len(), 14);
    assert_eq!(
        total.details.iter().map(|d| d.amount_cents).sum::<i64>(),
        -260_800
    );
    let trailer = statement.trailer.unwrap();
    assert_eq!(trailer.record_count, 91);
    assert_eq!(trailer.debit_cents, 6_470_301);
    assert_eq!(trailer.credit_cents, 6_470_301);
    let card = &statement.movements[0];
    assert!(matches!(
        &card.communication,
        Communication::Structured { kind, .. } if kind == "114"
    ));
}

// ---- Hand-made records -------------------------------------------------------------

/// A 128-character record from `(1-based position, text)` pieces over blanks.
fn record(pieces: &[(usize, &str)]) -> String {
    let mut chars = vec![' '; 128];
    for (position, text) in pieces {
        for (i, c) in text.chars().enumerate() {
            chars[position - 1 + i] = c;
        }
    }
    chars.into_iter().collect()
}

fn header() -> String {
    record(&[
        (1, "00000"),
        (6, "011126"),
        (12, "725"),
        (15, "05"),
        (128, "2"),
    ])
}

fn old_balance(sign: &str, milli: &str) -> String {
    record(&[
        (1, "12001BE33737018595246"),
        (40, "EUR"),
        (43, sign),
        (44, milli),
        (59, "011126"),
        (126, "001"),
    ])
}

/// A 2.1 record: sequence, detail, sign, 15-digit amount, transaction code, globalisation.
fn movement(
    sequence: &str,
    detail: &str,
    sign: &str,
    milli: &str,
    code: &str,
    glob: &str,
) -> String {
    record(&[
        (1, "21"),
        (3, sequence),
        (7, detail),
        (11, "REF"),
        (32, sign),
        (33, milli),
        (48, "021126"),
        (54, code),
        (62, "0"),
        (63, "FREE TEXT"),
        (116, "021126"),
        (122, "001"),
        (125, glob),
    ])
}

fn new_balance(sign: &str, milli: &str) -> String {
    record(&[
        (1, "8001BE33737018595246"),
        (39, "EUR"),
        (42, sign),
        (43, milli),
        (58, "021126"),
    ])
}

fn trailer(count: &str, debits: &str, credits: &str) -> String {
    record(&[
        (1, "9"),
        (17, count),
        (23, debits),
        (38, credits),
        (128, "2"),
    ])
}

fn file(lines: &[String]) -> String {
    lines.join("\r\n") + "\r\n"
}

#[test]
fn a_globalised_total_counts_once_and_keeps_its_details_for_matching() {
    let text = file(&[
        header(),
        old_balance("0", "000000000100000"),
        movement("0001", "0000", "1", "000000000030000", "30000000", "1"),
        movement("0001", "0001", "1", "000000000010000", "80000000", "0"),
        movement("0001", "0002", "1", "000000000020000", "80000000", "1"),
        new_balance("0", "000000000070000"),
        trailer("000005", "000000000030000", "000000000000000"),
    ]);
    let parsed = parse(&text).unwrap();
    assert_eq!(parsed.warnings, []);
    let statement = &parsed.statements[0];
    assert_eq!(statement.movements.len(), 1);
    assert_eq!(statement.movements[0].amount_cents, -3_000);
    assert_eq!(statement.movements[0].details.len(), 2);
    assert_eq!(statement.new_balance.unwrap().cents, 7_000);
}

#[test]
fn details_that_do_not_add_up_to_their_total_are_flagged() {
    let text = file(&[
        header(),
        old_balance("0", "000000000100000"),
        movement("0001", "0000", "1", "000000000030000", "30000000", "1"),
        movement("0001", "0001", "1", "000000000010000", "80000000", "0"),
        new_balance("0", "000000000070000"),
        trailer("000004", "000000000030000", "000000000000000"),
    ]);
    let parsed = parse(&text).unwrap();
    assert_eq!(
        parsed.warnings,
        [CodaWarning::GlobalisationMismatch {
            line: 3,
            total_cents: -3_000,
            details_cents: -1_000,
        }]
    );
}

#[test]
fn sign_zero_is_a_credit_and_sign_one_a_debit_for_balances_and_movements() {
    let text = file(&[
        header(),
        old_balance("1", "000000000012340"),
        movement("0001", "0000", "0", "000000000002000", "00150000", "0"),
        new_balance("1", "000000000010340"),
        trailer("000003", "000000000000000", "000000000002000"),
    ]);
    let parsed = parse(&text).unwrap();
    assert_eq!(parsed.warnings, []);
    let statement = &parsed.statements[0];
    assert_eq!(statement.old_balance.cents, -1_234);
    assert_eq!(statement.movements[0].amount_cents, 200);
    assert_eq!(statement.new_balance.unwrap().cents, -1_034);
}

#[test]
fn balances_that_do_not_add_up_and_wrong_trailer_totals_are_reported_not_refused() {
    let text = file(&[
        header(),
        old_balance("0", "000000000100000"),
        movement("0001", "0000", "0", "000000000002000", "00150000", "0"),
        new_balance("0", "000000000100000"),
        trailer("000009", "000000000001000", "000000000000000"),
    ]);
    let parsed = parse(&text).unwrap();
    assert_eq!(
        parsed.warnings,
        [
            CodaWarning::TrailerRecordCount {
                line: 5,
                declared: 9,
                counted: 3,
            },
            CodaWarning::TrailerDebits {
                line: 5,
                declared_cents: 100,
                computed_cents: 0,
            },
            CodaWarning::TrailerCredits {
                line: 5,
                declared_cents: 0,
                computed_cents: 200,
            },
            CodaWarning::BalanceMismatch {
                statement: 1,
                old_cents: 10_000,
                movements_cents: 200,
                new_cents: 10_000,
            },
        ]
    );
}

#[test]
fn an_unknown_record_type_is_reported_and_skipped() {
    let text = file(&[
        header(),
        old_balance("0", "000000000000000"),
        record(&[(1, "7X")]),
        new_balance("0", "000000000000000"),
        trailer("000002", "000000000000000", "000000000000000"),
    ]);
    let parsed = parse(&text).unwrap();
    assert_eq!(
        parsed.warnings,
        [CodaWarning::UnknownRecord {
            line: 3,
            record: "7X".into(),
        }]
    );
}

#[test]
fn a_line_shorter_than_a_record_is_refused() {
    let mut short = header();
    short.truncate(127);
    assert_eq!(
        parse(&short),
        Err(CodaError::ShortLine {
            line: 1,
            length: 127,
        })
    );
}

#[test]
fn a_non_numeric_amount_is_refused() {
    let text = file(&[header(), old_balance("0", "00000000010O000")]);
    assert!(matches!(
        parse(&text),
        Err(CodaError::NotANumber { line: 2, .. })
    ));
}

#[test]
fn a_movement_before_any_statement_is_refused() {
    let text = file(&[
        header(),
        movement("0001", "0000", "0", "000000000002000", "00150000", "0"),
    ]);
    assert!(matches!(
        parse(&text),
        Err(CodaError::Structure { line: 2, .. })
    ));
}

#[test]
fn free_communication_runs_on_over_the_continuation_records() {
    let text = file(&[
        header(),
        old_balance("0", "000000000000000"),
        record(&[
            (1, "21"),
            (3, "0001"),
            (7, "0000"),
            (32, "0"),
            (33, "000000000001000"),
            (54, "00150000"),
            (62, "0"),
            (63, &format!("{:<49}LOON", "ONG. SG")),
            (122, "001"),
            (125, "0"),
            (126, "1"),
        ]),
        record(&[(1, "22"), (3, "0001"), (7, "0000"), (11, "VERLIES")]),
        new_balance("0", "000000000001000"),
        trailer("000004", "000000000000000", "000000000001000"),
    ]);
    let parsed = parse(&text).unwrap();
    assert_eq!(parsed.warnings, []);
    let Communication::Free(text) = &parsed.statements[0].movements[0].communication else {
        panic!();
    };
    assert!(text.ends_with("LOONVERLIES"), "{text:?}");
}

#[test]
fn positions_count_characters_so_an_accented_name_shifts_nothing() {
    // A Latin-1 file decoded by the caller: `É` is one character but two bytes in UTF-8.
    let text = file(&[
        header(),
        old_balance("0", "000000000000000"),
        movement("0001", "0000", "0", "000000000001000", "00150000", "0"),
        record(&[
            (1, "23"),
            (3, "0001"),
            (7, "0000"),
            (11, "BE61310126985517"),
            (48, "CAFÉ DES ARTS"),
        ]),
        new_balance("0", "000000000001000"),
        trailer("000004", "000000000000000", "000000000001000"),
    ]);
    let parsed = parse(&text).unwrap();
    assert_eq!(parsed.warnings, []);
    let movement = &parsed.statements[0].movements[0];
    assert_eq!(movement.counterparty_name, "CAFÉ DES ARTS");
    assert_eq!(movement.counterparty_account, "BE61310126985517");
}

#[test]
fn a_trailer_missing_at_the_end_is_reported() {
    let text = file(&[
        header(),
        old_balance("0", "000000000000000"),
        new_balance("0", "000000000000000"),
    ]);
    assert_eq!(
        parse(&text).unwrap().warnings,
        [CodaWarning::MissingTrailer]
    );
}
