//! The guide over HTTP: a visitor reads public articles and searches them, never sees a
//! members-only article (login page, no title) or a draft (404), in pages, search and
//! API alike; editors write revisions and see their diff; views are counted without
//! crawlers; bad input is refused with a translated message and nothing written.

use ruche_domain::Language;
use ruche_domain::guide::{ArticleSettings, Audience, NewCategory, NewRevision, Slug, Status};
use ruche_store::{AuditContext, PageRequest};
use serde_json::Value;

use crate::api::token_of;
use crate::app::{TestApp, location};

async fn category(app: &TestApp) -> i64 {
    app.store
        .create_guide_category(
            &AuditContext::system(),
            &NewCategory {
                name_fr: "Frais".into(),
                name_nl: "Onkosten".into(),
                name_en: "Expenses".into(),
                position: 1,
            },
        )
        .await
        .unwrap()
        .id
}

async fn article(
    app: &TestApp,
    cat: i64,
    slug: &str,
    status: Status,
    audience: Audience,
    title: &str,
    body: &str,
) -> i64 {
    app.store
        .create_guide_article(
            &AuditContext::system(),
            &ArticleSettings {
                slug: Slug::parse(slug).unwrap(),
                category_id: cat,
                status,
                audience,
                form_key: None,
            },
            &NewRevision {
                language: Language::Fr,
                title: title.into(),
                body: body.into(),
                summary: String::new(),
            },
        )
        .await
        .unwrap()
        .id
}

/// Three articles: public, members-only and draft, all about "kilométriques".
async fn three(app: &TestApp) -> (i64, i64, i64) {
    let cat = category(app).await;
    let public = article(
        app,
        cat,
        "frais-kilometriques",
        Status::Published,
        Audience::Public,
        "Les frais kilométriques",
        "Le taux officiel des indemnités kilométriques. Voir [le barème](/guide/bareme-interne).",
    )
    .await;
    let members = article(
        app,
        cat,
        "bareme-interne",
        Status::Published,
        Audience::Members,
        "Barème interne confidentiel",
        "Les indemnités kilométriques internes.",
    )
    .await;
    let draft = article(
        app,
        cat,
        "brouillon-secret",
        Status::Draft,
        Audience::Public,
        "Projet de note secrète",
        "Indemnités kilométriques à venir.",
    )
    .await;
    (public, members, draft)
}

#[tokio::test]
async fn a_visitor_reads_and_searches_only_public_articles() {
    let app = TestApp::spawn().await;
    three(&app).await;
    let visitor = app.browser("fr-BE");

    let home = visitor.get("/guide").await;
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("Les frais kilométriques"));
    assert!(!html.contains("Barème interne confidentiel"));
    assert!(!html.contains("Projet de note secrète"));

    let r = visitor.get("/guide/frais-kilometriques").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1 id=\"guide-article-title\">Les frais kilométriques</h1>"));

    // A members-only article: the login page, without its title.
    let r = visitor.get("/guide/bareme-interne").await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login"), "{}", location(&r));
    // A draft: not found, like an unknown slug.
    let r = visitor.get("/guide/brouillon-secret").await;
    assert_eq!(r.status(), 404);
    assert!(!r.text().await.unwrap().contains("Projet de note"));
    assert_eq!(visitor.get("/guide/nope").await.status(), 404);
    assert_eq!(
        visitor
            .get("/guide/brouillon-secret/history")
            .await
            .status(),
        404
    );

    // Search: a stemmed word finds the public article only.
    let r = visitor.get("/guide/search?q=kilometrique").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("/guide/frais-kilometriques"), "{html}");
    assert!(!html.contains("bareme-interne"), "{html}");
    assert!(!html.contains("brouillon-secret"), "{html}");

    // The API, without a token, answers as to a visitor.
    let client = reqwest::Client::new();
    let list: Value = client
        .get(app.url("/api/v1/guide/articles"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    let r = client
        .get(app.url("/api/v1/guide/articles/bareme-interne"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let found: Value = client
        .get(app.url("/api/v1/guide/search?q=kilometriques"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["slug"], "frais-kilometriques");
}

#[tokio::test]
async fn members_read_members_only_articles_and_editors_see_drafts() {
    let app = TestApp::spawn().await;
    three(&app).await;
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/guide/bareme-interne").await.status(), 200);
    assert_eq!(member.get("/guide/brouillon-secret").await.status(), 404);
    let html = member
        .get("/guide/search?q=kilometriques")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("/guide/bareme-interne"));
    assert!(!html.contains("brouillon-secret"));
    // Linked from: the public article links to the members-only one, which shows it.
    let html = member
        .get("/guide/bareme-interne")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("href=\"/guide/frais-kilometriques\""),
        "{html}"
    );
    // A member does not edit.
    assert_eq!(member.get("/guide/new").await.status(), 403);
    assert_eq!(
        member.get("/guide/frais-kilometriques/edit").await.status(),
        403
    );

    let advisor = app.signed_in("advisor@test.be").await;
    assert_eq!(advisor.get("/guide/brouillon-secret").await.status(), 200);
    assert_eq!(advisor.get("/guide/new").await.status(), 200);
    let token = token_of(&app, "member@test.be").await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/guide/articles/bareme-interne"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["title"], "Barème interne confidentiel");
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/guide/articles"))
        .bearer_auth("rch_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn an_editor_writes_revisions_and_sees_the_diff() {
    let app = TestApp::spawn().await;
    let cat = category(&app).await;
    let editor = app.signed_in("admin@test.be").await;
    let cat_s = cat.to_string();
    // Bad input: every field named, nothing written.
    let r = editor
        .post(
            "/guide/new",
            &[
                ("guide_slug", "Pas Bon"),
                ("guide_category", ""),
                ("guide_status", "draft"),
                ("guide_audience", "public"),
                ("guide_language", "fr"),
                ("guide_title", ""),
                ("guide_body", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("minuscules, chiffres et traits d’union"),
        "{html}"
    );
    assert!(html.contains("ce champ est obligatoire"));
    assert_eq!(
        app.store
            .guide_articles(Language::Fr, &Default::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    let r = editor
        .post(
            "/guide/new",
            &[
                ("guide_slug", "contrats"),
                ("guide_category", &cat_s),
                ("guide_status", "published"),
                ("guide_audience", "public"),
                ("guide_form_key", "contract"),
                ("guide_language", "fr"),
                ("guide_title", "Les contrats"),
                (
                    "guide_body",
                    "Ligne un\nLigne deux\n<script>alert(1)</script>",
                ),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let r = editor
        .post(
            "/guide/contrats/edit",
            &[
                ("guide_language", "fr"),
                ("guide_title", "Les contrats de travail"),
                (
                    "guide_body",
                    "Ligne un\nLigne 2\nVoir [rien](/guide/inconnu)",
                ),
                ("guide_summary", "précision"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The unknown link is flagged in the editor.
    let html = editor
        .get("/guide/contrats/edit?lang=fr")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("guide-unknown-links") && html.contains("/guide/inconnu"));
    // A taken slug is refused on the field.
    let r = editor
        .post(
            "/guide/new",
            &[
                ("guide_slug", "contrats"),
                ("guide_category", &cat_s),
                ("guide_status", "draft"),
                ("guide_audience", "public"),
                ("guide_language", "fr"),
                ("guide_title", "x"),
                ("guide_body", "y"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("déjà prise"));

    // The history and the diff, readable by a visitor for a public article.
    let visitor = app.browser("fr-BE");
    let html = visitor
        .get("/guide/contrats/history?lang=fr")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("précision"));
    let r = visitor
        .get("/guide/contrats/diff?lang=fr&from=1&to=2")
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<del>− Ligne deux</del>"), "{html}");
    assert!(html.contains("<ins>+ Ligne 2</ins>"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert_eq!(
        visitor
            .get("/guide/contrats/diff?lang=fr&from=1&to=9")
            .await
            .status(),
        404
    );
    // The article escapes raw HTML.
    let html = visitor.get("/guide/contrats").await.text().await.unwrap();
    assert!(!html.contains("<script>alert"));
    // The visitor may not write.
    let r = visitor
        .post(
            "/guide/contrats/edit",
            &[
                ("guide_language", "fr"),
                ("guide_title", "x"),
                ("guide_body", "y"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login"));
}

#[tokio::test]
async fn views_are_counted_per_day_without_crawlers() {
    let app = TestApp::spawn().await;
    let (public, _, draft) = three(&app).await;
    // A reader's browser sends its User-Agent; a request without one is not a reader.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "nl-BE".parse().unwrap());
    let visitor = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .default_headers(headers)
        .build()
        .unwrap();
    let get = |path: &str| visitor.get(app.url(path)).send();
    for _ in 0..3 {
        assert_eq!(
            get("/guide/frais-kilometriques").await.unwrap().status(),
            200
        );
    }
    let anonymous = app.browser("fr-BE");
    assert_eq!(
        anonymous.get("/guide/frais-kilometriques").await.status(),
        200
    );
    let bot = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (compatible; Googlebot/2.1)")
        .build()
        .unwrap();
    let r = bot
        .get(app.url("/guide/frais-kilometriques"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let editor = app.signed_in("advisor@test.be").await;
    assert_eq!(editor.get("/guide/brouillon-secret").await.status(), 200);
    let today = ruche_web::context::today();
    let tomorrow = today.tomorrow().unwrap();
    assert_eq!(
        app.store
            .guide_views_of(public, today, tomorrow)
            .await
            .unwrap(),
        3
    );
    // A draft read by its editor is not a reader's view.
    assert_eq!(
        app.store
            .guide_views_of(draft, today, tomorrow)
            .await
            .unwrap(),
        0
    );
    // The most read list shows it, in the reader's language when there is one (here only
    // French exists: the Dutch reader sees the French title).
    let html = get("/guide").await.unwrap().text().await.unwrap();
    assert!(html.contains("guide-most-read"));
    assert!(html.contains("3 raadplegingen"), "{html}");
}

#[tokio::test]
async fn a_category_needs_its_three_names() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in("advisor@test.be").await;
    assert_eq!(editor.get("/guide/categories").await.status(), 200);
    let r = editor
        .post(
            "/guide/categories",
            &[("guide_cat_fr", "Prêts"), ("guide_cat_position", "x")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(app.store.guide_categories().await.unwrap().is_empty());
    let r = editor
        .post(
            "/guide/categories",
            &[
                ("guide_cat_fr", "Prêts"),
                ("guide_cat_nl", "Leningen"),
                ("guide_cat_en", "Loans"),
                ("guide_cat_position", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.guide_categories().await.unwrap().len(), 1);
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/guide/categories").await.status(), 403);
}
