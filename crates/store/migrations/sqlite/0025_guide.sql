-- The guide (C10): a knowledge base of articles in French, Dutch and English.
--
-- An article has a unique slug (its address /guide/<slug>), a category, a status and an
-- audience; its text lives in revisions per language, numbered from 1 in each language;
-- the current text of a language is its latest revision (nothing is overwritten, so the
-- history and the diff between two revisions are always there).

CREATE TABLE guide_categories (
    id INTEGER PRIMARY KEY,
    name_fr TEXT NOT NULL,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    -- Display order on the guide's home page (ascending).
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE guide_articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    category_id BIGINT NOT NULL REFERENCES guide_categories (id),
    -- draft | published
    status TEXT NOT NULL,
    -- public | members
    audience TEXT NOT NULL,
    -- The form whose rules the article explains: expense | contract | loan | training.
    form_key TEXT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    -- Any change of the article or a new revision: the search index's watermark.
    updated_at BIGINT NOT NULL,
    -- When it was first published.
    published_at BIGINT
);
CREATE INDEX guide_articles_by_category ON guide_articles (category_id, status);
CREATE INDEX guide_articles_by_updated_at ON guide_articles (updated_at);
CREATE INDEX guide_articles_by_form_key ON guide_articles (form_key, status);

CREATE TABLE guide_revisions (
    id INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES guide_articles (id),
    -- fr | nl | en
    language TEXT NOT NULL,
    -- 1, 2, 3… within (article, language).
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- Markdown; raw HTML is escaped when rendered.
    body TEXT NOT NULL,
    -- What changed, in the author's words.
    summary TEXT NOT NULL,
    author_account_id BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    UNIQUE (article_id, language, number)
);

-- The internal links of an article's current texts (all languages), by target slug: a
-- link may name an article that does not exist (yet); the editor flags it.
CREATE TABLE guide_links (
    from_article_id BIGINT NOT NULL REFERENCES guide_articles (id),
    to_slug TEXT NOT NULL,
    PRIMARY KEY (from_article_id, to_slug)
);
CREATE INDEX guide_links_by_target ON guide_links (to_slug);

-- Privacy-friendly view counting: one counter per article and day, nothing about the
-- reader (no address, no account, no cookie).
CREATE TABLE guide_views (
    article_id BIGINT NOT NULL REFERENCES guide_articles (id),
    day TEXT NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX guide_views_by_day ON guide_views (day, article_id);
