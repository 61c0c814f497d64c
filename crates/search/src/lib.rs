//! Full-text search of ruche's published texts: the training catalogue (C9) and the guide
//! (C10).
//!
//! One [`SearchIndex`] per collection, **in memory**, built and refreshed from the database
//! (the source of truth, `docs/decisions/0017-search-index-in-memory-per-instance.md`): every
//! `ruche serve` keeps its own, so several instances on one PostgreSQL need no shared disk.
//!
//! A record (a training, an article) is **one document** whatever its languages: each of
//! French, Dutch and English has its own title and body fields, analysed by that language's
//! chain (lower case → accents folded → stop words → Snowball stemmer), so that
//! "formations" finds "formation" and "opleidingen" finds "opleiding", and a search typed
//! without accents still finds "développement". A query is analysed by every language's
//! chain and each word must appear in the record (in any of its languages).
//!
//! **Dutch compounds** are written as one word ("inkomstenbelasting", "btw-aangifte" is
//! split by the tokenizer but "zelfstandigenstatuut" is not): the stemmer does not split
//! them, so "belasting" would not find "inkomstenbelasting". Dutch texts are therefore also
//! indexed as letter trigrams, and a query word of five letters or more also matches a Dutch
//! record containing every trigram of the word (in practice: containing the word inside a
//! longer one). Such a match scores below a whole-word match. French and English texts get
//! no trigrams: there, a word inside another ("formation" in "information") is not the same
//! word.

use std::collections::BTreeMap;
use std::sync::Mutex;

use ruche_domain::Language;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, Query as TantivyQuery, QueryParser, TermQuery,
};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, NgramTokenizer, RemoveLongFilter, SimpleTokenizer,
    StopWordFilter, TextAnalyzer, TokenStream,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The index writer's memory budget (tantivy needs at least 15 MB per thread).
const WRITER_BYTES: usize = 50_000_000;
/// The longest snippet shown under a result.
const SNIPPET_CHARS: usize = 220;
/// A query word this long or longer may match inside a Dutch compound.
const MIN_COMPOUND_PART: usize = 5;
/// Words of more characters are dropped (base64, URLs).
const MAX_WORD: usize = 40;
/// Filters and words considered from one query (a bound on the work one request makes).
const MAX_QUERY_WORDS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: a lock was poisoned")]
    Poisoned,
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// One language of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub language: Language,
    pub title: String,
    pub body: String,
}

/// A record as indexed: all its languages, its filters, and whether it may be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub texts: Vec<Text>,
    /// Exact-match filters: (`"topic"`, `"management"`), (`"audience"`, `"public"`)…
    pub facets: Vec<(String, String)>,
    /// `false`: remove the record from the index (a draft, a cancelled training).
    pub visible: bool,
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The words typed; empty: every record matching the filters.
    pub text: String,
    /// Every filter must hold. Filters of the same field are alternatives
    /// (`language=fr` or `language=nl`), filters of different fields all apply.
    pub filters: Vec<(String, String)>,
    /// The reader's language: the snippet is taken from it when the record has it.
    pub language: Option<Language>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// An extract around the words found, as HTML: the text is escaped, the words are in
    /// `<b>`. Empty when the query was empty.
    pub snippet_html: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hits {
    /// Records matching (all pages).
    pub total: usize,
    pub hits: Vec<Hit>,
}

struct LanguageFields {
    language: Language,
    title: Field,
    body: Field,
}

struct Fields {
    id: Field,
    key: Field,
    facet: Field,
    grams_nl: Field,
    languages: Vec<LanguageFields>,
}

/// An in-memory full-text index of one collection. Cheap to share (`Arc` it); searching
/// never waits for a writer.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

fn analyzer_name(language: Language) -> &'static str {
    match language {
        Language::Fr => "ruche_fr",
        Language::Nl => "ruche_nl",
        Language::En => "ruche_en",
    }
}

fn stemming_language(language: Language) -> tantivy::tokenizer::Language {
    match language {
        Language::Fr => tantivy::tokenizer::Language::French,
        Language::Nl => tantivy::tokenizer::Language::Dutch,
        Language::En => tantivy::tokenizer::Language::English,
    }
}

/// Lower case → accents folded → stop words → stemmer. Folding comes first so that a word
/// typed without its accents ("indemnites") gets the same stem as the written one
/// ("indemnités"): the stemmer strips suffixes by their letters, and "ités" and "ites" are
/// not the same letters. The stop-word lists are folded the same way.
fn language_analyzer(language: Language) -> TextAnalyzer {
    let lang = stemming_language(language);
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(lang) {
        Some(stop) => builder
            .filter(stop)
            .filter(tantivy::tokenizer::Stemmer::new(lang))
            .build(),
        None => builder
            .filter(tantivy::tokenizer::Stemmer::new(lang))
            .build(),
    }
}

fn grams_analyzer() -> Result<TextAnalyzer> {
    Ok(TextAnalyzer::builder(NgramTokenizer::new(3, 3, false)?)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build())
}

/// The words of a query, lower-cased and without accents, as the trigram field sees them.
fn plain_words(text: &str) -> Vec<String> {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    words.truncate(MAX_QUERY_WORDS);
    words
}

fn trigrams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut grams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    grams.sort();
    grams.dedup();
    grams
}

fn facet_value(field: &str, value: &str) -> String {
    format!("{}={}", field.trim(), value.trim())
}

impl SearchIndex {
    /// An empty index.
    pub fn new() -> Result<SearchIndex> {
        let mut schema = Schema::builder();
        let id = schema.add_i64_field("id", INDEXED | STORED);
        let key = schema.add_text_field("key", STRING);
        let facet = schema.add_text_field("facet", STRING);
        let grams_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("ruche_grams")
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let grams_nl = schema.add_text_field("grams_nl", grams_options);
        let mut languages = Vec::new();
        for language in Language::ALL {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(analyzer_name(language))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default()
                .set_indexing_options(indexing)
                .set_stored();
            let code = language.code();
            languages.push(LanguageFields {
                language,
                title: schema.add_text_field(&format!("title_{code}"), options.clone()),
                body: schema.add_text_field(&format!("body_{code}"), options),
            });
        }
        let index = Index::create_in_ram(schema.build());
        for language in Language::ALL {
            index
                .tokenizers()
                .register(analyzer_name(language), language_analyzer(language));
        }
        index
            .tokenizers()
            .register("ruche_grams", grams_analyzer()?);
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields: Fields {
                id,
                key,
                facet,
                grams_nl,
                languages,
            },
        })
    }

    /// Replaces each record of `documents` whole (removes it when not visible), then makes
    /// the change searchable. Returns how many records are now in the index.
    pub fn apply(&self, documents: &[Document]) -> Result<u64> {
        if documents.is_empty() {
            return Ok(self.len());
        }
        {
            let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
            for document in documents {
                writer.delete_term(Term::from_field_text(
                    self.fields.key,
                    &document.id.to_string(),
                ));
                if document.visible && !document.texts.is_empty() {
                    writer.add_document(self.tantivy_document(document))?;
                }
            }
            writer.commit()?;
        }
        self.reader.reload()?;
        Ok(self.len())
    }

    /// Records in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn tantivy_document(&self, document: &Document) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.id, document.id);
        doc.add_text(f.key, document.id.to_string());
        for (field, value) in &document.facets {
            doc.add_text(f.facet, facet_value(field, value));
        }
        for text in &document.texts {
            if let Some(lf) = f.languages.iter().find(|l| l.language == text.language) {
                doc.add_text(lf.title, &text.title);
                doc.add_text(lf.body, &text.body);
            }
            if text.language == Language::Nl {
                doc.add_text(f.grams_nl, format!("{} {}", text.title, text.body));
            }
        }
        doc
    }

    fn text_query(&self, text: &str) -> Option<Box<dyn TantivyQuery>> {
        let words = plain_words(text);
        if words.is_empty() {
            return None;
        }
        let f = &self.fields;
        let mut text_fields = Vec::new();
        for lf in &f.languages {
            text_fields.push(lf.title);
            text_fields.push(lf.body);
        }
        let mut parser = QueryParser::for_index(&self.index, text_fields);
        parser.set_conjunction_by_default();
        for lf in &f.languages {
            parser.set_field_boost(lf.title, 3.0);
        }
        // The typed words only: operators and field names are not offered to visitors.
        let (stemmed, _) = parser.parse_query_lenient(&words.join(" "));
        // Every long-enough word inside a Dutch compound: all its trigrams.
        let long: Vec<&String> = words
            .iter()
            .filter(|w| w.chars().count() >= MIN_COMPOUND_PART)
            .collect();
        if long.len() != words.len() {
            return Some(stemmed);
        }
        let mut per_word: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for word in long {
            let grams: Vec<(Occur, Box<dyn TantivyQuery>)> = trigrams(word)
                .into_iter()
                .map(|g| {
                    let q: Box<dyn TantivyQuery> = Box::new(TermQuery::new(
                        Term::from_field_text(f.grams_nl, &g),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Must, q)
                })
                .collect();
            per_word.push((Occur::Must, Box::new(BooleanQuery::new(grams))));
        }
        let compounds: Box<dyn TantivyQuery> =
            Box::new(BoostQuery::new(Box::new(BooleanQuery::new(per_word)), 0.3));
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Should, stemmed),
            (Occur::Should, compounds),
        ])))
    }

    fn filter_query(&self, filters: &[(String, String)]) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
        let mut by_field: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (field, value) in filters.iter().take(MAX_QUERY_WORDS) {
            if value.trim().is_empty() {
                continue;
            }
            by_field
                .entry(field.trim())
                .or_default()
                .push(facet_value(field, value));
        }
        by_field
            .into_values()
            .map(|values| {
                let alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = values
                    .iter()
                    .map(|v| {
                        let q: Box<dyn TantivyQuery> = Box::new(TermQuery::new(
                            Term::from_field_text(self.fields.facet, v),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect();
                let q: Box<dyn TantivyQuery> = Box::new(BooleanQuery::new(alternatives));
                (Occur::Must, q)
            })
            .collect()
    }

    /// The records matching `query`, best first, one page of them.
    pub fn search(&self, query: &Query) -> Result<Hits> {
        let searcher = self.reader.searcher();
        let text = self.text_query(&query.text);
        let mut clauses = self.filter_query(&query.filters);
        let has_text = text.is_some();
        match text {
            Some(t) => clauses.push((Occur::Must, t)),
            None => clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery))),
        }
        let full: Box<dyn TantivyQuery> = Box::new(BooleanQuery::new(clauses));
        let limit = query.limit.clamp(1, 100);
        let (total, top) = searcher.search(
            &*full,
            &(
                Count,
                TopDocs::with_limit(limit)
                    .and_offset(query.offset)
                    .order_by_score(),
            ),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        let generators = if has_text {
            let mut generators = Vec::new();
            for lf in &self.fields.languages {
                let mut g = SnippetGenerator::create(&searcher, &*full, lf.body)?;
                g.set_max_num_chars(SNIPPET_CHARS);
                generators.push((lf.language, lf.body, g));
            }
            generators
        } else {
            Vec::new()
        };
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_i64()) else {
                continue;
            };
            let mut snippet_html = String::new();
            // The reader's language first, then the others, the first with words found.
            let mut order: Vec<&(Language, Field, SnippetGenerator)> = generators.iter().collect();
            order.sort_by_key(|(l, _, _)| Some(*l) != query.language);
            for (_, body, generator) in order {
                if doc.get_first(*body).is_none() {
                    continue;
                }
                let snippet = generator.snippet_from_doc(&doc);
                if !snippet.highlighted().is_empty() {
                    snippet_html = snippet.to_html();
                    break;
                }
            }
            hits.push(Hit {
                id,
                score,
                snippet_html,
            });
        }
        Ok(Hits { total, hits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(
        id: i64,
        language: Language,
        title: &str,
        body: &str,
        facets: &[(&str, &str)],
    ) -> Document {
        Document {
            id,
            texts: vec![Text {
                language,
                title: title.into(),
                body: body.into(),
            }],
            facets: facets
                .iter()
                .map(|(f, v)| (f.to_string(), v.to_string()))
                .collect(),
            visible: true,
        }
    }

    fn ids(index: &SearchIndex, text: &str, filters: &[(&str, &str)]) -> Vec<i64> {
        let hits = index
            .search(&Query {
                text: text.into(),
                filters: filters
                    .iter()
                    .map(|(f, v)| (f.to_string(), v.to_string()))
                    .collect(),
                language: None,
                offset: 0,
                limit: 50,
            })
            .unwrap_or_default();
        let mut ids: Vec<i64> = hits.hits.iter().map(|h| h.id).collect();
        ids.sort();
        ids
    }

    fn sample() -> SearchIndex {
        let index = SearchIndex::new().unwrap_or_else(|e| panic!("{e}"));
        let docs = vec![
            doc(
                1,
                Language::Fr,
                "Formation à la gestion de projets culturels",
                "Une formation pour le développement de vos projets.",
                &[("topic", "management"), ("language", "fr")],
            ),
            doc(
                2,
                Language::Nl,
                "Opleiding boekhouding voor freelancers",
                "Leer uw inkomstenbelasting en btw-aangifte zelf voorbereiden.",
                &[("topic", "accounting"), ("language", "nl")],
            ),
            doc(
                3,
                Language::Fr,
                "Système d'information pour indépendants",
                "Outils numériques.",
                &[("topic", "digital"), ("language", "fr")],
            ),
            doc(
                4,
                Language::En,
                "Trainings in stage lighting",
                "Hands-on lighting design.",
                &[("topic", "arts"), ("language", "en")],
            ),
        ];
        index.apply(&docs).unwrap_or_else(|e| panic!("{e}"));
        index
    }

    #[test]
    fn a_plural_finds_the_singular_in_french_and_dutch() {
        let index = sample();
        // issue 7: "formation" for "formations", "opleiding" for "opleidingen".
        assert_eq!(ids(&index, "formations", &[]), [1]);
        assert_eq!(ids(&index, "opleidingen", &[]), [2]);
        assert_eq!(ids(&index, "training", &[]), [4]);
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        let index = sample();
        assert_eq!(ids(&index, "DEVELOPPEMENT", &[]), [1]);
        assert_eq!(ids(&index, "systeme", &[]), [3]);
        let index = SearchIndex::new().unwrap_or_else(|e| panic!("{e}"));
        index
            .apply(&[doc(
                5,
                Language::Fr,
                "Les indemnités kilométriques",
                "Barème des déplacements.",
                &[],
            )])
            .unwrap_or_else(|e| panic!("{e}"));
        // The stem of the word typed without accents is the stem of the written word.
        assert_eq!(ids(&index, "indemnites kilometriques", &[]), [5]);
        assert_eq!(ids(&index, "Indemnité deplacement", &[]), [5]);
    }

    #[test]
    fn a_word_inside_a_dutch_compound_is_found_but_not_inside_a_french_word() {
        let index = sample();
        assert_eq!(ids(&index, "belasting", &[]), [2]);
        // "formation" is not "information": French words get no trigrams.
        assert_eq!(ids(&index, "formation", &[]), [1]);
    }

    #[test]
    fn every_word_must_be_found() {
        let index = sample();
        assert_eq!(ids(&index, "formation projets", &[]), [1]);
        assert!(ids(&index, "formation boekhouding", &[]).is_empty());
    }

    #[test]
    fn filters_of_one_field_are_alternatives_and_of_two_fields_all_apply() {
        let index = sample();
        assert_eq!(ids(&index, "", &[("language", "fr")]), [1, 3]);
        assert_eq!(
            ids(&index, "", &[("language", "fr"), ("language", "nl")]),
            [1, 2, 3]
        );
        assert_eq!(
            ids(&index, "", &[("language", "fr"), ("topic", "digital")]),
            [3]
        );
    }

    #[test]
    fn a_record_is_replaced_whole_and_removed_when_hidden() {
        let index = sample();
        let mut changed = doc(1, Language::Nl, "Projectbeheer", "Cultuur", &[]);
        index
            .apply(&[changed.clone()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(ids(&index, "formation", &[]).is_empty());
        assert_eq!(ids(&index, "projectbeheer", &[]), [1]);
        changed.visible = false;
        index.apply(&[changed]).unwrap_or_else(|e| panic!("{e}"));
        assert!(ids(&index, "projectbeheer", &[]).is_empty());
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn the_snippet_escapes_the_text_and_marks_the_words() {
        let index = SearchIndex::new().unwrap_or_else(|e| panic!("{e}"));
        index
            .apply(&[doc(
                9,
                Language::Fr,
                "x",
                "<script>alert(1)</script> une formation",
                &[],
            )])
            .unwrap_or_else(|e| panic!("{e}"));
        let hits = index
            .search(&Query {
                text: "formation".into(),
                limit: 10,
                ..Query::default()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(hits.total, 1);
        let html = &hits.hits[0].snippet_html;
        assert!(html.contains("<b>formation</b>"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn query_syntax_is_taken_as_words() {
        let index = sample();
        assert_eq!(ids(&index, "formation: (projets -", &[]), [1]);
        // Nothing but punctuation is no words at all: every record, like an empty query.
        assert_eq!(ids(&index, "\"((", &[]), [1, 2, 3, 4]);
    }
}
