//! The versioned statutes (reference/governance.md §8.3): a version is in force from its
//! `effective_from` until the next one, carries the rules the engines read (vote
//! weighting, proxies, resignation window, dividends) and numbered articles in FR/NL/EN,
//! each tagged with the roles the compliance checks look for (`purpose`, `object`,
//! `vote_cap`…). A version adopted in ruche names the extraordinary general assembly's
//! resolution that adopted it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Language;
use crate::validate::FieldErrors;

/// The role of an article, read by the compliance checks (ES-1 purpose, ES-2 object, ES-4
/// liquidation, ES-5 resignation, ES-6 unpaid mandate, ES-7 vote cap, ES-8 allocation,
/// the designation of CSA 8:5…). The code is stored: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleTag {
    Purpose,
    Object,
    Resignation,
    UnpaidMandate,
    VoteCap,
    VotingRule,
    Allocation,
    Liquidation,
    Designation,
    Majorities,
    Proxies,
}

impl ArticleTag {
    pub const ALL: [ArticleTag; 11] = [
        ArticleTag::Purpose,
        ArticleTag::Object,
        ArticleTag::Resignation,
        ArticleTag::UnpaidMandate,
        ArticleTag::VoteCap,
        ArticleTag::VotingRule,
        ArticleTag::Allocation,
        ArticleTag::Liquidation,
        ArticleTag::Designation,
        ArticleTag::Majorities,
        ArticleTag::Proxies,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ArticleTag::Purpose => "purpose",
            ArticleTag::Object => "object",
            ArticleTag::Resignation => "resignation",
            ArticleTag::UnpaidMandate => "unpaid_mandate",
            ArticleTag::VoteCap => "vote_cap",
            ArticleTag::VotingRule => "voting_rule",
            ArticleTag::Allocation => "allocation",
            ArticleTag::Liquidation => "liquidation",
            ArticleTag::Designation => "designation",
            ArticleTag::Majorities => "majorities",
            ArticleTag::Proxies => "proxies",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleTag> {
        ArticleTag::ALL.into_iter().find(|t| t.code() == s)
    }

    /// Reads the stored form (`purpose,object`); unknown or repeated tags are refused.
    pub fn parse_list(s: &str) -> Option<Vec<ArticleTag>> {
        let mut tags = Vec::new();
        for part in s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            let tag = ArticleTag::parse(part)?;
            if tags.contains(&tag) {
                return None;
            }
            tags.push(tag);
        }
        tags.sort();
        Some(tags)
    }

    /// The stored form: codes joined by commas, in the enum's order.
    pub fn join(tags: &[ArticleTag]) -> String {
        let mut sorted = tags.to_vec();
        sorted.sort();
        sorted.dedup();
        sorted
            .iter()
            .map(|t| t.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// How votes are weighted at the general assembly (CSA 6:41: one vote per share unless
/// the statutes say otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteWeighting {
    PerPerson,
    PerShare,
}

impl VoteWeighting {
    pub const ALL: [VoteWeighting; 2] = [VoteWeighting::PerPerson, VoteWeighting::PerShare];

    pub fn code(self) -> &'static str {
        match self {
            VoteWeighting::PerPerson => "per_person",
            VoteWeighting::PerShare => "per_share",
        }
    }

    pub fn parse(s: &str) -> Option<VoteWeighting> {
        VoteWeighting::ALL.into_iter().find(|w| w.code() == s)
    }
}

/// The rules a statutes version sets for the engines. The statutes prevail over the CSA's
/// non-mandatory defaults (C-6), the accreditation's constraints over both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatuteRules {
    pub vote_weighting: VoteWeighting,
    /// How many proxies one person may hold (CSA 6:80 lets the statutes limit it).
    pub proxies_per_holder: u32,
    pub proxy_must_be_member: bool,
    /// Resignation only in the first N months of the financial year (CSA 6:120: six).
    pub resignation_months: u32,
    /// Whether a member may resign part of their shares (CSA 6:120: all, unless the
    /// statutes allow otherwise).
    pub partial_resignation_allowed: bool,
    pub dividends_allowed: bool,
}

/// One article as typed or stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub number: String,
    pub heading: String,
    pub text_fr: String,
    pub text_nl: String,
    pub text_en: String,
    pub tags: Vec<ArticleTag>,
}

impl Article {
    /// The text in `language`, falling back to French (the statutes' language of filing)
    /// when a translation is missing.
    pub fn text(&self, language: Language) -> &str {
        let text = match language {
            Language::Fr => &self.text_fr,
            Language::Nl => &self.text_nl,
            Language::En => &self.text_en,
        };
        if text.trim().is_empty() {
            &self.text_fr
        } else {
            text
        }
    }
}

/// A statutes version to store, once checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewStatuteVersion {
    pub label: String,
    pub effective_from: Date,
    pub adopted_on: Date,
    pub adopted_by_resolution_id: Option<i64>,
    pub rules: StatuteRules,
    pub summary: String,
    pub articles: Vec<Article>,
}

/// At most this many articles in one version (TigerStyle: a bound on every list).
pub const MAX_ARTICLES: usize = 200;
/// The longest article text, in characters.
pub const MAX_ARTICLE_CHARS: usize = 20_000;

/// The form of a new version: the rules and the articles, one row per article.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatuteVersionForm {
    #[serde(default)]
    pub stat_label: String,
    #[serde(default)]
    pub stat_effective_from: String,
    #[serde(default)]
    pub stat_adopted_on: String,
    #[serde(default)]
    pub stat_resolution: String,
    #[serde(default)]
    pub stat_vote_weighting: String,
    #[serde(default)]
    pub stat_proxies_per_holder: String,
    #[serde(default)]
    pub stat_proxy_must_be_member: Option<String>,
    #[serde(default)]
    pub stat_resignation_months: String,
    #[serde(default)]
    pub stat_partial_resignation: Option<String>,
    #[serde(default)]
    pub stat_dividends_allowed: Option<String>,
    #[serde(default)]
    pub stat_summary: String,
    #[serde(default)]
    pub articles: Vec<ArticleForm>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ArticleForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub heading: String,
    #[serde(default)]
    pub text_fr: String,
    #[serde(default)]
    pub text_nl: String,
    #[serde(default)]
    pub text_en: String,
    #[serde(default)]
    pub tags: String,
}

fn date_field(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    match value.trim() {
        "" => {
            e.add(field, "required");
            None
        }
        v => v.parse::<Date>().ok().or_else(|| {
            e.add(field, "date");
            None
        }),
    }
}

fn checked(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v.trim(), "on" | "true" | "1" | "yes"))
}

impl StatuteVersionForm {
    /// Every field checked; an article whose number and texts are all empty is skipped (the
    /// form's spare rows).
    pub fn parse(&self) -> Result<NewStatuteVersion, FieldErrors> {
        let mut e = FieldErrors::new();
        let label = e.required("stat_label", &self.stat_label, 120);
        let effective_from = date_field(&mut e, "stat_effective_from", &self.stat_effective_from);
        let adopted_on = date_field(&mut e, "stat_adopted_on", &self.stat_adopted_on);
        if let (Some(from), Some(adopted)) = (effective_from, adopted_on)
            && from < adopted
        {
            e.add("stat_effective_from", "stat-effective-before-adoption");
        }
        let adopted_by_resolution_id = match self.stat_resolution.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    e.add("stat_resolution", "stat-resolution-unknown");
                    None
                }
            },
        };
        let vote_weighting = VoteWeighting::parse(self.stat_vote_weighting.trim());
        if vote_weighting.is_none() {
            e.add("stat_vote_weighting", "required");
        }
        let proxies_per_holder = match self.stat_proxies_per_holder.trim().parse::<u32>() {
            Ok(n) if n <= 100 => n,
            _ => {
                e.add("stat_proxies_per_holder", "stat-proxies");
                0
            }
        };
        let resignation_months = match self.stat_resignation_months.trim().parse::<u32>() {
            Ok(n) if (1..=12).contains(&n) => n,
            _ => {
                e.add("stat_resignation_months", "stat-resignation-months");
                6
            }
        };
        let summary = e
            .optional("stat_summary", &self.stat_summary, 2000)
            .unwrap_or_default();
        let mut articles: Vec<Article> = Vec::new();
        let rows: Vec<&ArticleForm> = self
            .articles
            .iter()
            .filter(|a| {
                ![&a.number, &a.heading, &a.text_fr, &a.text_nl, &a.text_en]
                    .iter()
                    .all(|t| t.trim().is_empty())
            })
            .collect();
        if rows.is_empty() {
            e.add("stat_articles", "stat-no-articles");
        }
        if rows.len() > MAX_ARTICLES {
            e.add("stat_articles", "stat-too-many-articles");
        }
        for row in rows.into_iter().take(MAX_ARTICLES) {
            let number = row.number.trim().to_string();
            if number.is_empty() || number.chars().count() > 12 {
                e.add("stat_articles", "stat-article-number");
                continue;
            }
            if articles.iter().any(|a| a.number == number) {
                e.add("stat_articles", "stat-article-duplicate");
                continue;
            }
            if row.text_fr.trim().is_empty() {
                e.add("stat_articles", "stat-article-text");
                continue;
            }
            if [&row.text_fr, &row.text_nl, &row.text_en]
                .iter()
                .any(|t| t.chars().count() > MAX_ARTICLE_CHARS)
                || row.heading.chars().count() > 200
            {
                e.add("stat_articles", "too-long");
                continue;
            }
            let Some(tags) = ArticleTag::parse_list(&row.tags) else {
                e.add("stat_articles", "stat-article-tags");
                continue;
            };
            articles.push(Article {
                number,
                heading: row.heading.trim().to_string(),
                text_fr: row.text_fr.trim().to_string(),
                text_nl: row.text_nl.trim().to_string(),
                text_en: row.text_en.trim().to_string(),
                tags,
            });
        }
        match (effective_from, adopted_on, vote_weighting) {
            (Some(effective_from), Some(adopted_on), Some(vote_weighting)) if e.is_empty() => {
                Ok(NewStatuteVersion {
                    label,
                    effective_from,
                    adopted_on,
                    adopted_by_resolution_id,
                    rules: StatuteRules {
                        vote_weighting,
                        proxies_per_holder,
                        proxy_must_be_member: checked(&self.stat_proxy_must_be_member),
                        resignation_months,
                        partial_resignation_allowed: checked(&self.stat_partial_resignation),
                        dividends_allowed: checked(&self.stat_dividends_allowed),
                    },
                    summary,
                    articles,
                })
            }
            _ => Err(e),
        }
    }
}

/// Why a resolution cannot be the one that adopted a statutes version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdoptionError {
    /// Only a resolution amending the statutes or the object adopts statutes.
    #[error("the resolution is not about the statutes or the object")]
    WrongKind,
    #[error("the resolution was not adopted")]
    NotAdopted,
    /// CSA 6:85-6:86: the statutes are amended by an extraordinary general assembly.
    #[error("the resolution was not voted by an extraordinary general assembly")]
    NotExtraordinary,
}

impl AdoptionError {
    /// The field error code shown on the form.
    pub fn code(self) -> &'static str {
        match self {
            AdoptionError::WrongKind => "stat-resolution-kind",
            AdoptionError::NotAdopted => "stat-resolution-not-adopted",
            AdoptionError::NotExtraordinary => "stat-resolution-not-extraordinary",
        }
    }
}

/// Whether the resolution (`kind`, `status`) of an assembly of `assembly_kind` may be the
/// one that adopted a statutes version: a resolution of kind `statutes` or `object`,
/// adopted, by an extraordinary general assembly.
pub fn check_adopting_resolution(
    kind: &str,
    status: &str,
    assembly_kind: &str,
) -> Result<(), AdoptionError> {
    if !matches!(kind, "statutes" | "object") {
        return Err(AdoptionError::WrongKind);
    }
    if status != "adopted" {
        return Err(AdoptionError::NotAdopted);
    }
    if assembly_kind != "extraordinary" {
        return Err(AdoptionError::NotExtraordinary);
    }
    Ok(())
}

/// The version in force on `day` among versions given as `(effective_from, value)`: the
/// latest that started on or before it.
pub fn in_force_on<T>(versions: &[(Date, T)], day: Date) -> Option<&T> {
    versions
        .iter()
        .filter(|(from, _)| *from <= day)
        .max_by_key(|(from, _)| *from)
        .map(|(_, v)| v)
}

/// One piece of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum DiffPiece {
    Same(String),
    Added(String),
    Removed(String),
}

/// How one article changed between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleChange {
    pub number: String,
    pub heading: String,
    pub change: ChangeKind,
    /// The word diff of the text in the reader's language (also the heading's and tags'
    /// changes count as a change).
    pub diff: Vec<DiffPiece>,
    pub tags_from: Vec<ArticleTag>,
    pub tags_to: Vec<ArticleTag>,
}

/// The longest text (in words) diffed word by word; longer texts are shown as one
/// removal and one addition (TigerStyle: a bound on the quadratic table).
const MAX_DIFF_WORDS: usize = 3_000;

/// A word diff of `from` and `to` (longest common subsequence of words).
pub fn word_diff(from: &str, to: &str) -> Vec<DiffPiece> {
    let a: Vec<&str> = from.split_whitespace().collect();
    let b: Vec<&str> = to.split_whitespace().collect();
    let mut out: Vec<DiffPiece> = Vec::new();
    let mut push = |piece: DiffPiece| {
        let merged = match (out.last_mut(), &piece) {
            (Some(DiffPiece::Same(s)), DiffPiece::Same(w))
            | (Some(DiffPiece::Added(s)), DiffPiece::Added(w))
            | (Some(DiffPiece::Removed(s)), DiffPiece::Removed(w)) => {
                s.push(' ');
                s.push_str(w);
                true
            }
            _ => false,
        };
        if !merged {
            out.push(piece);
        }
    };
    if a.len() > MAX_DIFF_WORDS || b.len() > MAX_DIFF_WORDS {
        if from.trim() == to.trim() {
            push(DiffPiece::Same(a.join(" ")));
        } else {
            if !a.is_empty() {
                push(DiffPiece::Removed(a.join(" ")));
            }
            if !b.is_empty() {
                push(DiffPiece::Added(b.join(" ")));
            }
        }
        return out;
    }
    // lcs[i][j] = length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            push(DiffPiece::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            push(DiffPiece::Removed(a[i].to_string()));
            i += 1;
        } else {
            push(DiffPiece::Added(b[j].to_string()));
            j += 1;
        }
    }
    for w in &a[i..] {
        push(DiffPiece::Removed(w.to_string()));
    }
    for w in &b[j..] {
        push(DiffPiece::Added(w.to_string()));
    }
    out
}

/// Article by article, by number: added, removed, changed (text, heading or tags) or
/// unchanged, in the order of `to` then the removed ones of `from`.
pub fn compare(from: &[Article], to: &[Article], language: Language) -> Vec<ArticleChange> {
    let mut out = Vec::new();
    for t in to {
        match from.iter().find(|f| f.number == t.number) {
            None => out.push(ArticleChange {
                number: t.number.clone(),
                heading: t.heading.clone(),
                change: ChangeKind::Added,
                diff: vec![DiffPiece::Added(t.text(language).to_string())],
                tags_from: Vec::new(),
                tags_to: t.tags.clone(),
            }),
            Some(f) => {
                let diff = word_diff(f.text(language), t.text(language));
                let same = f == t;
                out.push(ArticleChange {
                    number: t.number.clone(),
                    heading: t.heading.clone(),
                    change: if same {
                        ChangeKind::Unchanged
                    } else {
                        ChangeKind::Changed
                    },
                    diff,
                    tags_from: f.tags.clone(),
                    tags_to: t.tags.clone(),
                });
            }
        }
    }
    for f in from {
        if !to.iter().any(|t| t.number == f.number) {
            out.push(ArticleChange {
                number: f.number.clone(),
                heading: f.heading.clone(),
                change: ChangeKind::Removed,
                diff: vec![DiffPiece::Removed(f.text(language).to_string())],
                tags_from: f.tags.clone(),
                tags_to: Vec::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use jiff::civil::date;

    use super::*;

    fn article(number: &str, text: &str, tags: &[ArticleTag]) -> Article {
        Article {
            number: number.into(),
            heading: format!("Article {number}"),
            text_fr: text.into(),
            text_nl: String::new(),
            text_en: String::new(),
            tags: tags.to_vec(),
        }
    }

    fn form() -> StatuteVersionForm {
        StatuteVersionForm {
            stat_label: "Statuts 2023".into(),
            stat_effective_from: "2023-06-20".into(),
            stat_adopted_on: "2023-06-20".into(),
            stat_resolution: String::new(),
            stat_vote_weighting: "per_person".into(),
            stat_proxies_per_holder: "1".into(),
            stat_proxy_must_be_member: Some("on".into()),
            stat_resignation_months: "6".into(),
            stat_partial_resignation: None,
            stat_dividends_allowed: None,
            stat_summary: String::new(),
            articles: vec![
                ArticleForm {
                    number: "3".into(),
                    heading: "But".into(),
                    text_fr: "La société poursuit un impact sociétal positif.".into(),
                    tags: "purpose".into(),
                    ..Default::default()
                },
                ArticleForm::default(),
            ],
        }
    }

    #[test]
    fn every_tag_reads_back_from_its_code() {
        for tag in ArticleTag::ALL {
            assert_eq!(ArticleTag::parse(tag.code()), Some(tag));
        }
        assert_eq!(
            ArticleTag::parse_list("vote_cap, purpose"),
            Some(vec![ArticleTag::Purpose, ArticleTag::VoteCap])
        );
        assert_eq!(ArticleTag::parse_list("purpose,purpose"), None);
        assert_eq!(ArticleTag::parse_list("dividend"), None);
        assert_eq!(
            ArticleTag::join(&[ArticleTag::VoteCap, ArticleTag::Purpose]),
            "purpose,vote_cap"
        );
    }

    #[test]
    fn a_complete_form_gives_a_version_and_spare_rows_are_skipped() {
        let v = form().parse().unwrap();
        assert_eq!(v.articles.len(), 1);
        assert_eq!(v.rules.resignation_months, 6);
        assert!(v.rules.proxy_must_be_member);
        assert!(!v.rules.dividends_allowed);
    }

    #[test]
    fn a_version_in_force_before_its_adoption_is_refused() {
        let mut f = form();
        f.stat_effective_from = "2023-06-01".into();
        let e = f.parse().unwrap_err();
        assert_eq!(
            e.get("stat_effective_from"),
            Some("stat-effective-before-adoption")
        );
    }

    #[test]
    fn articles_need_a_unique_number_a_french_text_and_known_tags() {
        let mut f = form();
        f.articles.push(ArticleForm {
            number: "3".into(),
            text_fr: "bis".into(),
            ..Default::default()
        });
        assert_eq!(
            f.parse().unwrap_err().get("stat_articles"),
            Some("stat-article-duplicate")
        );
        let mut f = form();
        f.articles[0].tags = "purpose,dividend".into();
        assert_eq!(
            f.parse().unwrap_err().get("stat_articles"),
            Some("stat-article-tags")
        );
        let mut f = form();
        f.articles.clear();
        assert_eq!(
            f.parse().unwrap_err().get("stat_articles"),
            Some("stat-no-articles")
        );
        let mut f = form();
        f.stat_resignation_months = "13".into();
        assert_eq!(
            f.parse().unwrap_err().get("stat_resignation_months"),
            Some("stat-resignation-months")
        );
    }

    #[test]
    fn only_an_adopted_statutes_resolution_of_an_extraordinary_assembly_adopts_statutes() {
        assert_eq!(
            check_adopting_resolution("statutes", "adopted", "extraordinary"),
            Ok(())
        );
        assert_eq!(
            check_adopting_resolution("object", "adopted", "extraordinary"),
            Ok(())
        );
        assert_eq!(
            check_adopting_resolution("appointment", "adopted", "extraordinary"),
            Err(AdoptionError::WrongKind)
        );
        assert_eq!(
            check_adopting_resolution("statutes", "rejected", "extraordinary"),
            Err(AdoptionError::NotAdopted)
        );
        assert_eq!(
            check_adopting_resolution("statutes", "adopted", "ordinary"),
            Err(AdoptionError::NotExtraordinary)
        );
    }

    #[test]
    fn the_version_in_force_is_the_latest_started_one() {
        // ES-2 test: statutes amended 2024-06-01, a check dated 2024-05-31 uses the previous.
        let versions = [(date(2020, 6, 16), "v2020"), (date(2024, 6, 1), "v2024")];
        assert_eq!(in_force_on(&versions, date(2024, 5, 31)), Some(&"v2020"));
        assert_eq!(in_force_on(&versions, date(2024, 6, 1)), Some(&"v2024"));
        assert_eq!(in_force_on(&versions, date(2019, 1, 1)), None);
    }

    #[test]
    fn the_word_diff_marks_what_was_added_and_removed() {
        let d = word_diff(
            "au plus un dixième des voix présentes",
            "au plus un dixième des voix présentes ou représentées",
        );
        assert_eq!(
            d,
            vec![
                DiffPiece::Same("au plus un dixième des voix présentes".into()),
                DiffPiece::Added("ou représentées".into()),
            ]
        );
        let d = word_diff("la valeur nominale indexée", "la valeur nominale");
        assert_eq!(
            d,
            vec![
                DiffPiece::Same("la valeur nominale".into()),
                DiffPiece::Removed("indexée".into()),
            ]
        );
    }

    #[test]
    fn compare_lists_added_removed_and_changed_articles() {
        let from = [
            article("1", "Nom", &[ArticleTag::Designation]),
            article("20", "Démission dans les six premiers mois", &[]),
            article("99", "Ancien article", &[]),
        ];
        let to = [
            article("1", "Nom", &[ArticleTag::Designation]),
            article(
                "20",
                "Démission dans les six premiers mois",
                &[ArticleTag::Resignation],
            ),
            article("23", "Un dixième des voix", &[ArticleTag::VoteCap]),
        ];
        let changes = compare(&from, &to, Language::Fr);
        let kinds: Vec<(&str, &ChangeKind)> = changes
            .iter()
            .map(|c| (c.number.as_str(), &c.change))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("1", &ChangeKind::Unchanged),
                ("20", &ChangeKind::Changed),
                ("23", &ChangeKind::Added),
                ("99", &ChangeKind::Removed),
            ]
        );
    }

    #[test]
    fn an_article_missing_a_translation_reads_in_french() {
        let a = article("3", "Texte", &[]);
        assert_eq!(a.text(Language::Nl), "Texte");
    }
}
