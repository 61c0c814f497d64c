//! One line per phase on stderr: updated in place when stderr is a terminal, one plain line
//! at the end of each phase otherwise (logs stay readable).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    started: Instant,
    terminal: bool,
    phase: &'static str,
    total: u64,
    done: u64,
    last_draw: Option<Instant>,
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            phase: "",
            total: 0,
            done: 0,
            last_draw: None,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Starts a phase of `total` steps.
    pub fn phase(&mut self, phase: &'static str, total: u64) {
        self.phase = phase;
        self.total = total;
        self.done = 0;
        self.last_draw = None;
        self.draw();
    }

    /// `n` more steps done.
    pub fn advance(&mut self, n: u64) {
        self.done = self.done.saturating_add(n);
        let due = self
            .last_draw
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(200));
        if self.terminal && due {
            self.draw();
        }
    }

    /// Ends the phase with its final count (and what it counted).
    pub fn finish(&mut self, what: &str) {
        let line = self.line(what);
        if self.terminal {
            eprintln!("\r{line}\x1b[K");
        } else {
            eprintln!("{line}");
        }
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{:<30} {:>9}/{:<9} {what:<24} {:>7.1} s",
            self.phase,
            self.done,
            self.total,
            self.started.elapsed().as_secs_f64()
        )
    }

    fn draw(&mut self) {
        if self.terminal {
            let mut err = std::io::stderr();
            let _ = write!(err, "\r{}\x1b[K", self.line(""));
            let _ = err.flush();
            self.last_draw = Some(Instant::now());
        }
    }
}
