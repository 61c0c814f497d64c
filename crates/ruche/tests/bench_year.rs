//! `ruche bench year` runs end to end on a tiny year (SQLite, a few seconds in a debug build)
//! and prints its table. No timing is asserted: the machine is noisy; the numbers are for
//! docs/benchmarks.md, measured by hand in release.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn the_year_benchmark_runs_end_to_end_and_prints_its_table() {
    let output = Command::new(env!("CARGO_BIN_EXE_ruche"))
        .args([
            "bench",
            "year",
            "--scale",
            "0.002",
            "--runs",
            "1",
            "--duration-secs",
            "1",
            "--connections",
            "4",
            "--movements",
            "1000",
        ])
        .env_remove("RUCHE_CONFIG")
        .env_remove("RUCHE_DATABASE_URL")
        .env("RUCHE_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "ruche bench year failed:\n{stdout}\n{stderr}"
    );
    for row in [
        "| measure | median | p95 / p99 | compared with |",
        "| generate the year: 40 members",
        "| the special report as PDF",
        "| one day's reminders run, 2024-01-02",
        "| import and match it:",
        "| the same file again (every movement already known)",
        "| issue one invoice on 2023-12-31",
    ] {
        assert!(stdout.contains(row), "no {row:?} in:\n{stdout}");
    }
    // With wrk installed, the pages and the server's memory; without it, said so.
    assert!(
        (stdout.contains("| HTTP the member's dashboard: GET / |")
            && stdout.contains("| the server's peak memory after the load (VmHWM) |"))
            || stdout.contains("wrk is not installed"),
        "neither the HTTP rows nor the skip in:\n{stdout}"
    );
}
