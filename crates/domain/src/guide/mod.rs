//! The guide (C10): a knowledge base of articles in French, Dutch and English.
//!
//! An article has a unique slug (its address `/guide/<slug>`), a category, a status (draft
//! or published), an audience (everyone, or members only) and, optionally, the key of the
//! form whose rules it explains (`expense`, `contract`, `loan`, `training`). Its text lives
//! in revisions per language; the current text of a language is its latest revision.
//!
//! Links between articles are ordinary Markdown links to `/guide/<slug>`: [`internal_links`]
//! finds them, so the target can show "linked from" and the editor can flag unknown slugs.
//!
//! View counting keeps no personal data (GDPR art. 5(1)(c), data minimisation): one counter
//! per article and day, and [`is_bot`] keeps crawlers out of the figures.

use serde::{Deserialize, Serialize};

use crate::Language;
use crate::validate::FieldErrors;

/// The longest slug (it is a path segment; short is readable).
pub const MAX_SLUG_CHARS: usize = 80;
pub const MAX_TITLE_CHARS: usize = 200;
/// An article is a page, not a book: 200,000 characters is far above the longest guide page.
pub const MAX_BODY_CHARS: usize = 200_000;
pub const MAX_SUMMARY_CHARS: usize = 300;
pub const MAX_CATEGORY_NAME_CHARS: usize = 120;
/// The most internal links one article's text is read for (TigerStyle: bound every loop).
pub const MAX_LINKS: usize = 500;

/// Whether the article can be read by anyone but its editors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
}

impl Status {
    pub const ALL: [Status; 2] = [Status::Draft, Status::Published];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

/// Who may read a published article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Anyone, without signing in (and search engines).
    Public,
    /// Signed-in members and staff.
    Members,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Public, Audience::Members];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Members => "members",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

/// The forms whose rules an article may explain: each such form links to its article.
pub const FORM_KEYS: [&str; 4] = ["expense", "contract", "loan", "training"];

/// A valid slug: 1–80 characters of `a-z`, `0-9` and single inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Option<Slug> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.chars().count() <= MAX_SLUG_CHARS
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            // `new`, `search`, `categories` are pages of the guide, not articles.
            && !RESERVED.contains(&s);
        ok.then(|| Slug(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const RESERVED: [&str; 3] = ["new", "search", "categories"];

/// A slug suggested from a title: lower case, accents dropped, other signs as hyphens.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= MAX_SLUG_CHARS {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ÿ' => 'y',
        'ñ' => 'n',
        c => c,
    }
}

/// The slugs an article's Markdown links to, in order of first appearance, each once:
/// inline links and images whose destination is `/guide/<slug>` (optionally followed by
/// `#anchor` or `?query`). Pages of the guide (`/guide/search`) are not articles.
pub fn internal_links(markdown: &str) -> Vec<String> {
    const MARK: &str = "](/guide/";
    let mut out: Vec<String> = Vec::new();
    let mut rest = markdown;
    while let Some(at) = rest.find(MARK) {
        if out.len() >= MAX_LINKS {
            break;
        }
        rest = &rest[at + MARK.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let candidate = &rest[..end];
        let closes = matches!(rest[end..].chars().next(), Some(')' | '#' | '?' | ' '));
        if closes
            && let Some(slug) = Slug::parse(candidate)
            && !out.iter().any(|s| s == slug.as_str())
        {
            out.push(slug.0);
        }
        rest = &rest[end..];
    }
    out
}

/// The words of a Markdown text, for the search index and its snippets: a link or an image
/// keeps its text and loses its target, heading, emphasis and list marks are dropped.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let line = line
            .trim_start()
            .trim_start_matches('#')
            .trim_start()
            .trim_start_matches("- ")
            .trim_start_matches("* ")
            .trim_start_matches("> ");
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            let (before, after) = rest.split_at(open);
            out.push_str(before.trim_end_matches('!'));
            let after = &after[1..];
            match after.find("](").and_then(|mid| {
                after[mid + 2..]
                    .find(')')
                    .map(|close| (mid, mid + 2 + close))
            }) {
                Some((mid, close)) => {
                    out.push_str(&after[..mid]);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('[');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out.push('\n');
    }
    out.replace("**", "")
        .replace('`', "")
        .trim_end()
        .to_string()
}

/// Crawlers announce themselves in the User-Agent; their visits are not readers' views.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ua.is_empty()
        || ["bot", "crawler", "spider", "slurp", "preview", "headless"]
            .iter()
            .any(|w| ua.contains(w))
}

/// The language to show: the reader's if the article has it, else French, Dutch, English
/// in that order (the cooperative writes French first), else none.
pub fn pick_language(wanted: Language, available: &[Language]) -> Option<Language> {
    if available.contains(&wanted) {
        return Some(wanted);
    }
    Language::ALL.into_iter().find(|l| available.contains(l))
}

/// An article's settings, as the editor typed them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    pub guide_slug: String,
    #[serde(default)]
    pub guide_category: String,
    #[serde(default)]
    pub guide_status: String,
    #[serde(default)]
    pub guide_audience: String,
    #[serde(default)]
    pub guide_form_key: String,
}

/// An article's settings, valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSettings {
    pub slug: Slug,
    pub category_id: i64,
    pub status: Status,
    pub audience: Audience,
    pub form_key: Option<String>,
}

impl ArticleForm {
    pub fn parse(&self) -> Result<ArticleSettings, FieldErrors> {
        let mut e = FieldErrors::new();
        let slug = if self.guide_slug.trim().is_empty() {
            e.add("guide_slug", "required");
            None
        } else {
            let s = Slug::parse(&self.guide_slug);
            if s.is_none() {
                e.add("guide_slug", "guide-slug");
            }
            s
        };
        let category_id = match self.guide_category.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                e.add("guide_category", "required");
                None
            }
        };
        let status = Status::parse(&self.guide_status);
        if status.is_none() {
            e.add("guide_status", "guide-choice");
        }
        let audience = Audience::parse(&self.guide_audience);
        if audience.is_none() {
            e.add("guide_audience", "guide-choice");
        }
        let key = self.guide_form_key.trim();
        let form_key = if key.is_empty() {
            None
        } else if FORM_KEYS.contains(&key) {
            Some(key.to_string())
        } else {
            e.add("guide_form_key", "guide-choice");
            None
        };
        match (slug, category_id, status, audience) {
            (Some(slug), Some(category_id), Some(status), Some(audience)) if e.is_empty() => {
                Ok(ArticleSettings {
                    slug,
                    category_id,
                    status,
                    audience,
                    form_key,
                })
            }
            _ => Err(e),
        }
    }
}

/// A new revision of one language of an article, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RevisionForm {
    #[serde(default)]
    pub guide_language: String,
    #[serde(default)]
    pub guide_title: String,
    #[serde(default)]
    pub guide_body: String,
    #[serde(default)]
    pub guide_summary: String,
}

/// A new revision, valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRevision {
    pub language: Language,
    pub title: String,
    pub body: String,
    pub summary: String,
}

impl RevisionForm {
    pub fn parse(&self) -> Result<NewRevision, FieldErrors> {
        let mut e = FieldErrors::new();
        let language = Language::parse(&self.guide_language);
        if language.is_none() {
            e.add("guide_language", "guide-choice");
        }
        let title = e.required("guide_title", &self.guide_title, MAX_TITLE_CHARS);
        // The body keeps its leading spaces (Markdown indentation); only the end is trimmed.
        let body = self.guide_body.replace("\r\n", "\n").trim_end().to_string();
        if body.trim().is_empty() {
            e.add("guide_body", "required");
        } else if body.chars().count() > MAX_BODY_CHARS {
            e.add("guide_body", "too-long");
        }
        let summary = e
            .optional("guide_summary", &self.guide_summary, MAX_SUMMARY_CHARS)
            .unwrap_or_default();
        match language {
            Some(language) if e.is_empty() => Ok(NewRevision {
                language,
                title,
                body,
                summary,
            }),
            _ => Err(e),
        }
    }
}

/// A category of the guide, named in the three languages.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CategoryForm {
    #[serde(default)]
    pub guide_cat_fr: String,
    #[serde(default)]
    pub guide_cat_nl: String,
    #[serde(default)]
    pub guide_cat_en: String,
    #[serde(default)]
    pub guide_cat_position: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCategory {
    pub name_fr: String,
    pub name_nl: String,
    pub name_en: String,
    pub position: i64,
}

impl CategoryForm {
    pub fn parse(&self) -> Result<NewCategory, FieldErrors> {
        let mut e = FieldErrors::new();
        let name_fr = e.required("guide_cat_fr", &self.guide_cat_fr, MAX_CATEGORY_NAME_CHARS);
        let name_nl = e.required("guide_cat_nl", &self.guide_cat_nl, MAX_CATEGORY_NAME_CHARS);
        let name_en = e.required("guide_cat_en", &self.guide_cat_en, MAX_CATEGORY_NAME_CHARS);
        let p = self.guide_cat_position.trim();
        let position = if p.is_empty() {
            0
        } else {
            match p.parse::<i64>() {
                Ok(n) if (0..=10_000).contains(&n) => n,
                _ => {
                    e.add("guide_cat_position", "guide-position");
                    0
                }
            }
        };
        e.into_result(|| NewCategory {
            name_fr,
            name_nl,
            name_en,
            position,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_slug_is_lower_case_words_joined_by_single_hyphens() {
        assert!(Slug::parse("expense-rules-2026").is_some());
        // Surrounding spaces are trimmed, not refused.
        assert!(Slug::parse(" frais ").is_some());
        for bad in [
            "", "Expense", "-a", "a-", "a--b", "é", "a/b", "new", "search",
        ] {
            assert!(Slug::parse(bad).is_none(), "{bad:?}");
        }
        assert!(Slug::parse(&"a".repeat(81)).is_none());
    }

    #[test]
    fn a_title_suggests_a_slug_without_accents() {
        assert_eq!(
            slugify("Notes de frais : les règles"),
            "notes-de-frais-les-regles"
        );
        assert_eq!(slugify("  Één  factuur!  "), "een-factuur");
        assert!(Slug::parse(&slugify("Été 2026 — congés")).is_some());
    }

    #[test]
    fn internal_links_are_the_guide_slugs_each_once() {
        let md = "See [rules](/guide/expense-rules) and [again](/guide/expense-rules#km), \
                  [ext](https://example.org/guide/x), [loans](/guide/loans?x=1), \
                  ![img](/guide/diagram), [search](/guide/search), [bad](/guide/Bad)";
        assert_eq!(
            internal_links(md),
            vec!["expense-rules", "loans", "diagram"]
        );
        assert!(internal_links("no links").is_empty());
    }

    #[test]
    fn the_indexed_text_keeps_the_words_not_the_markup() {
        assert_eq!(
            plain_text("## Titre\n\n- Voir [le **barème**](/guide/bareme) et ![x](/a.png).\n"),
            "Titre\n\nVoir le barème et x."
        );
        assert_eq!(plain_text("a [b c"), "a [b c");
    }

    #[test]
    fn crawlers_are_not_readers() {
        assert!(is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
        assert!(is_bot("Baiduspider"));
        assert!(is_bot("SomeCrawler 1.0"));
        assert!(is_bot(""));
        assert!(!is_bot(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"
        ));
    }

    #[test]
    fn the_reader_gets_their_language_or_the_first_one_written() {
        use Language::*;
        assert_eq!(pick_language(Nl, &[Fr, Nl]), Some(Nl));
        assert_eq!(pick_language(En, &[Nl, Fr]), Some(Fr));
        assert_eq!(pick_language(Fr, &[En]), Some(En));
        assert_eq!(pick_language(Fr, &[]), None);
    }

    #[test]
    fn article_settings_name_each_bad_field() {
        let form = ArticleForm {
            guide_slug: "Bad Slug".into(),
            guide_category: "".into(),
            guide_status: "live".into(),
            guide_audience: "public".into(),
            guide_form_key: "payroll".into(),
        };
        let e = form.parse().unwrap_err();
        assert_eq!(e.get("guide_slug"), Some("guide-slug"));
        assert_eq!(e.get("guide_category"), Some("required"));
        assert_eq!(e.get("guide_status"), Some("guide-choice"));
        assert_eq!(e.get("guide_audience"), None);
        assert_eq!(e.get("guide_form_key"), Some("guide-choice"));
        let ok = ArticleForm {
            guide_slug: "expense-rules".into(),
            guide_category: "3".into(),
            guide_status: "published".into(),
            guide_audience: "members".into(),
            guide_form_key: "expense".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.form_key.as_deref(), Some("expense"));
        assert_eq!(ok.audience, Audience::Members);
    }

    #[test]
    fn a_revision_needs_a_language_a_title_and_a_body() {
        let e = RevisionForm::default().parse().unwrap_err();
        assert_eq!(e.get("guide_language"), Some("guide-choice"));
        assert_eq!(e.get("guide_title"), Some("required"));
        assert_eq!(e.get("guide_body"), Some("required"));
        let r = RevisionForm {
            guide_language: "nl".into(),
            guide_title: " Onkosten ".into(),
            guide_body: "  indented\r\nline\n\n".into(),
            guide_summary: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(r.title, "Onkosten");
        assert_eq!(r.body, "  indented\nline");
        let long = RevisionForm {
            guide_language: "fr".into(),
            guide_title: "t".into(),
            guide_body: "x".repeat(MAX_BODY_CHARS + 1),
            guide_summary: String::new(),
        };
        assert_eq!(
            long.parse().unwrap_err().get("guide_body"),
            Some("too-long")
        );
    }

    #[test]
    fn a_category_is_named_in_three_languages() {
        let e = CategoryForm {
            guide_cat_fr: "Frais".into(),
            guide_cat_position: "x".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.get("guide_cat_nl"), Some("required"));
        assert_eq!(e.get("guide_cat_en"), Some("required"));
        assert_eq!(e.get("guide_cat_position"), Some("guide-position"));
    }
}
