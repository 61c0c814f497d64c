//! What the full-text indexes read from the database (C9 catalogue, C10 guide).
//!
//! The database is the source of truth; each `ruche serve` keeps its own in-memory index
//! (crate `ruche-search`) and refreshes it from rows changed since its last look. A module
//! whose records are searchable returns, for every record changed at or after a watermark,
//! **all** its languages as [`SearchRow`]s, so that the index can replace the record whole.

use ruche_domain::Language;
use serde::Serialize;

/// One language of one searchable record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchRow {
    /// The record's id (a training, a guide article).
    pub id: i64,
    /// The language of `title` and `body`: it chooses the stemmer.
    pub language: Language,
    pub title: String,
    pub body: String,
    /// Exact-match filters (`("topic", "management")`, `("audience", "public")`); a field may
    /// repeat (a training given in two languages).
    pub facets: Vec<(String, String)>,
    /// `false`: the record must not be found (a draft, a cancelled training); the index
    /// drops it.
    pub visible: bool,
    /// When the record last changed (Unix microseconds): the next watermark.
    pub updated_at: i64,
}
