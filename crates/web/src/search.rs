//! The full-text indexes of this instance: the training catalogue and the guide.
//!
//! Each is an in-memory [`SearchIndex`] (crate `ruche-search`) fed from the database, the
//! source of truth (docs/decisions/0017-search-index-in-memory-per-instance.md). It is built
//! whole at the first search or refresh, then kept up to date by [`Searches::refresh`]: the
//! records changed since the last look (with a minute of overlap, for transactions that
//! committed late or clocks that differ between instances) replace their old version. A
//! handler that publishes or edits calls it at once, so its author finds the change; `ruche
//! serve` also calls it every [`REFRESH_EVERY`], so that changes made through another
//! instance appear within that time.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ruche_search::{Document, Hits, Query, SearchIndex, Text};
use ruche_store::search::SearchRow;
use ruche_store::{Store, StoreError};
use tokio::sync::Mutex;

use crate::error::AppError;

/// How often `ruche serve` looks for records changed through another instance.
pub const REFRESH_EVERY: Duration = Duration::from_secs(30);
/// Changes looked at again each time, for late commits and clock differences.
const OVERLAP_MICROS: i64 = 60_000_000;

/// Which collection: each reads its rows from its own module of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Catalogue,
    Guide,
}

/// One searchable collection and how far it has read the database.
pub struct Collection {
    source: Source,
    index: Option<Arc<SearchIndex>>,
    /// The latest `updated_at` applied; `None`: never loaded.
    watermark: Mutex<Option<i64>>,
}

impl Collection {
    fn new(source: Source) -> Collection {
        let index = match SearchIndex::new() {
            Ok(index) => Some(Arc::new(index)),
            Err(e) => {
                tracing::error!(error = %e, "the search index could not be created");
                None
            }
        };
        Collection {
            source,
            index,
            watermark: Mutex::new(None),
        }
    }

    fn index(&self) -> Result<&Arc<SearchIndex>, AppError> {
        self.index
            .as_ref()
            .ok_or_else(|| AppError::Internal("no search index".into()))
    }

    async fn rows(&self, store: &Store, since: Option<i64>) -> Result<Vec<SearchRow>, StoreError> {
        match self.source {
            Source::Catalogue => store.training_search_rows(since).await,
            Source::Guide => store.guide_search_rows(since).await,
        }
    }

    /// Reads the records changed since the last look and applies them.
    pub async fn refresh(&self, store: &Store) -> Result<(), AppError> {
        let index = self.index()?.clone();
        let mut watermark = self.watermark.lock().await;
        let since = watermark.map(|w| w - OVERLAP_MICROS);
        let rows = self.rows(store, since).await?;
        let latest = rows.iter().map(|r| r.updated_at).max();
        let documents = documents(rows);
        tokio::task::spawn_blocking(move || index.apply(&documents))
            .await
            .map_err(|e| AppError::Internal(format!("search refresh: {e}")))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        *watermark = match (*watermark, latest) {
            (Some(w), Some(l)) => Some(w.max(l)),
            (None, Some(l)) => Some(l),
            // Loaded, and nothing in it yet: the next look reads everything again (cheap).
            (w, None) => w.or(Some(i64::MIN + OVERLAP_MICROS)),
        };
        Ok(())
    }

    /// The records matching `query` (the index is loaded first if it never was).
    pub async fn search(&self, store: &Store, query: &Query) -> Result<Hits, AppError> {
        if self.watermark.lock().await.is_none() {
            self.refresh(store).await?;
        }
        let index = self.index()?.clone();
        let query = query.clone();
        tokio::task::spawn_blocking(move || index.search(&query))
            .await
            .map_err(|e| AppError::Internal(format!("search: {e}")))?
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Records in the index (0 before the first load).
    pub fn len(&self) -> u64 {
        self.index.as_ref().map_or(0, |i| i.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The rows of the store, one per language, as one document per record.
fn documents(rows: Vec<SearchRow>) -> Vec<Document> {
    let mut by_id: BTreeMap<i64, Document> = BTreeMap::new();
    for row in rows {
        let doc = by_id.entry(row.id).or_insert_with(|| Document {
            id: row.id,
            texts: Vec::new(),
            facets: Vec::new(),
            visible: false,
        });
        doc.visible |= row.visible;
        if !row.visible {
            continue;
        }
        doc.texts.push(Text {
            language: row.language,
            title: row.title,
            body: row.body,
        });
        for facet in row.facets {
            if !doc.facets.contains(&facet) {
                doc.facets.push(facet);
            }
        }
    }
    by_id.into_values().collect()
}

/// The indexes of this instance.
pub struct Searches {
    pub catalogue: Collection,
    pub guide: Collection,
}

impl Searches {
    pub fn new() -> Searches {
        Searches {
            catalogue: Collection::new(Source::Catalogue),
            guide: Collection::new(Source::Guide),
        }
    }

    /// Brings both indexes up to date with the database.
    pub async fn refresh(&self, store: &Store) -> Result<(), AppError> {
        self.catalogue.refresh(store).await?;
        self.guide.refresh(store).await
    }
}

impl Default for Searches {
    fn default() -> Self {
        Searches::new()
    }
}

#[cfg(test)]
mod tests {
    use ruche_domain::Language;

    use super::*;

    fn row(id: i64, language: Language, visible: bool, facet: &str) -> SearchRow {
        SearchRow {
            id,
            language,
            title: format!("t{id}"),
            body: "b".into(),
            facets: vec![("topic".into(), facet.into())],
            visible,
            updated_at: 1,
        }
    }

    #[test]
    fn the_languages_of_a_record_make_one_document_with_their_facets_once() {
        let docs = documents(vec![
            row(1, Language::Fr, true, "a"),
            row(1, Language::Nl, true, "a"),
            row(2, Language::Fr, false, "b"),
        ]);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].texts.len(), 2);
        assert_eq!(docs[0].facets.len(), 1);
        assert!(docs[0].visible);
        // A hidden record is still applied: that removes it from the index.
        assert!(!docs[1].visible);
        assert!(docs[1].texts.is_empty());
    }
}
