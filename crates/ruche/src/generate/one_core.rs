//! The generator's threads on one core while it writes.
//!
//! The generator writes one statement after another, and with SQLite each statement is
//! handed to the connection's worker thread (sqlx) and its answer handed back: two thread
//! wake-ups per statement, millions in a year. When the two threads sit on different cores
//! of an otherwise idle virtual machine, each wake-up waits for an idle core to come back;
//! on one core it is a plain context switch. Measured on the 2-vCPU VM of
//! docs/benchmarks.md, in the middle of the reference year's sales phase: 10,308 invoices a
//! minute unpinned, 44,940 with every thread of the process moved to one core (`taskset -a
//! -p 0x1`), same binary, same database. The generator has nothing to run in parallel, so
//! nothing is lost; the previous affinity is restored when the guard is dropped, so that a
//! process that goes on (`ruche bench year` starts `ruche serve` afterwards) is not left
//! on one core.

/// Every thread of this process on the first core it may use, until dropped; `None` where
/// the affinity cannot be read or changed (it is an optimisation, never a requirement).
pub struct OneCore {
    #[cfg(target_os = "linux")]
    before: nix::sched::CpuSet,
}

impl OneCore {
    #[cfg(target_os = "linux")]
    pub fn pin() -> Option<OneCore> {
        use nix::sched::{CpuSet, sched_getaffinity};
        use nix::unistd::Pid;
        let before = sched_getaffinity(Pid::from_raw(0)).ok()?;
        let first = (0..CpuSet::count()).find(|&i| before.is_set(i).unwrap_or(false))?;
        let mut one = CpuSet::new();
        one.set(first).ok()?;
        set_every_thread(&one);
        Some(OneCore { before })
    }

    #[cfg(not(target_os = "linux"))]
    pub fn pin() -> Option<OneCore> {
        None
    }
}

#[cfg(target_os = "linux")]
impl Drop for OneCore {
    fn drop(&mut self) {
        set_every_thread(&self.before);
    }
}

/// Sets the affinity of every thread of the process (threads created later inherit their
/// creator's). A thread that ends meanwhile is skipped.
#[cfg(target_os = "linux")]
fn set_every_thread(set: &nix::sched::CpuSet) {
    use nix::sched::sched_setaffinity;
    use nix::unistd::Pid;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        let _ = sched_setaffinity(Pid::from_raw(0), set);
        return;
    };
    for task in tasks.flatten() {
        if let Some(tid) = task
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        {
            let _ = sched_setaffinity(Pid::from_raw(tid), set);
        }
    }
}
