//! The ledger: double-entry, append-only. See DESIGN.md §3.
