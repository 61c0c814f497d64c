use crate::app::{TestApp, location};

const STAFF_PAGES: [&str; 7] = [
    "/staff/entities",
    "/staff/offices",
    "/staff/persons",
    "/staff/accounts",
    "/staff/usage-contract",
    "/staff/audit",
    "/staff/mail",
];

/// Which staff pages each role may open (the rest answer 403), in the order of STAFF_PAGES.
const ACCESS: [(&str, [bool; 7]); 5] = [
    (
        "member@test.be",
        [false, false, false, false, false, false, false],
    ),
    (
        "advisor@test.be",
        [false, true, true, false, false, false, false],
    ),
    (
        "accountant@test.be",
        [true, true, true, false, false, false, true],
    ),
    (
        "board@test.be",
        [true, true, true, false, true, true, false],
    ),
    ("admin@test.be", [true, true, true, true, true, true, true]),
];

#[tokio::test]
async fn each_role_opens_exactly_its_staff_pages() {
    let app = TestApp::spawn().await;
    for (email, allowed) in ACCESS {
        let b = app.signed_in(email).await;
        for (page, allowed) in STAFF_PAGES.iter().zip(allowed) {
            let r = b.get(page).await;
            let expected = if allowed { 200 } else { 403 };
            assert_eq!(r.status(), expected, "{email} on {page}");
            if !allowed {
                assert!(
                    r.text().await.unwrap().contains("Accès refusé"),
                    "translated 403"
                );
            }
        }
        // The navigation shows only the pages the role may open.
        let html = b.get("/").await.text().await.unwrap();
        for (page, allowed) in STAFF_PAGES.iter().zip(allowed) {
            assert_eq!(
                html.contains(&format!("href=\"{page}\"")),
                allowed,
                "{email} nav {page}"
            );
        }
    }
}

#[tokio::test]
async fn a_visitor_is_sent_to_the_login_page_and_back() {
    let app = TestApp::spawn().await;
    let b = app.browser("fr");
    let r = b.get("/staff/offices?page=2").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/login?next=%2Fstaff%2Foffices%3Fpage%3D2");
    let r = b
        .post(
            "/login",
            &[
                ("email", "admin@test.be"),
                ("password", crate::app::PASSWORD),
                ("next", "/staff/offices?page=2"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/staff/offices?page=2");
}

#[tokio::test]
async fn the_login_page_renders_in_french_dutch_and_english() {
    let app = TestApp::spawn().await;
    for (lang, text) in [
        ("fr-BE", "Se connecter"),
        ("nl-BE", "Aanmelden"),
        ("en-GB", "Sign in"),
    ] {
        let html = app.browser(lang).get("/login").await.text().await.unwrap();
        assert!(html.contains(text), "{lang}");
        assert!(html.contains(&format!("<html lang=\"{}\">", &lang[..2])));
    }
}

#[tokio::test]
async fn a_member_must_accept_the_usage_contract_before_member_features() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("newmember@test.be").await;
    let r = b.get("/").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/usage-contract");
    let html = b.get("/usage-contract").await.text().await.unwrap();
    assert!(html.contains("Texte du contrat.") && html.contains("accept-contract"));
    let r = b.post("/usage-contract/accept", &[]).await;
    assert_eq!(location(&r), "/");
    assert_eq!(b.get("/").await.status(), 200);
    let filter = ruche_store::audit::AuditFilter {
        entity_type: Some("usage_contract".into()),
        ..Default::default()
    };
    let log = app.store.audit_entries(&filter, Default::default()).await;
    assert!(
        log.unwrap()
            .items
            .iter()
            .any(|e| e.action == "accept" && e.actor_email.as_deref() == Some("newmember@test.be"))
    );
}

#[tokio::test]
async fn the_chosen_language_is_remembered_for_the_user() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("member@test.be").await;
    b.post("/language", &[("language", "nl"), ("next", "/")])
        .await;
    let other_browser = app.signed_in("member@test.be").await;
    let html = other_browser.get("/").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\">") && html.contains("Afmelden"));
}

#[tokio::test]
async fn an_invalid_enterprise_number_is_named_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("admin@test.be").await;
    let form = [
        ("name", "Ruche"),
        ("legal_form", "SCES agréée"),
        ("street", "Rue Coenraets 72"),
        ("postcode", "1060"),
        ("city", "Saint-Gilles"),
        ("enterprise_number", "0407.617.077"),
        ("vat_number", ""),
        ("iban", "BE69 5390 0754 7034"),
        ("court_register", ""),
    ];
    let before = app
        .store
        .legal_entities(Default::default())
        .await
        .unwrap()
        .total;
    let r = b.post("/staff/entities", &form).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Numéro d&#x27;entreprise : les chiffres de contrôle ne correspondent pas.")
            || html.contains(
                "Numéro d&#39;entreprise : les chiffres de contrôle ne correspondent pas."
            ),
        "{html}"
    );
    assert!(html.contains("IBAN : les chiffres de contrôle ne correspondent pas."));
    assert!(html.contains("Registre des personnes morales : ce champ est obligatoire."));
    assert!(html.contains(
        r#"id="f-enterprise_number" name="enterprise_number" type="text" value="0407.617.077""#
    ));
    assert_eq!(
        app.store
            .legal_entities(Default::default())
            .await
            .unwrap()
            .total,
        before
    );

    let good = [
        ("enterprise_number", "0417.497.106"),
        ("iban", "BE68 5390 0754 7034"),
        ("court_register", "RPM Bruxelles"),
    ];
    let mut fixed: Vec<(&str, &str)> = form
        .iter()
        .filter(|(k, _)| !good.iter().any(|(g, _)| g == k))
        .copied()
        .collect();
    fixed.extend(good);
    let r = b.post("/staff/entities", &fixed).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.store
            .legal_entities(Default::default())
            .await
            .unwrap()
            .total,
        before + 1
    );
}

#[tokio::test]
async fn a_bad_niss_and_a_taken_email_are_named_in_dutch() {
    let app = TestApp::spawn().await;
    let b = app.signed_in("admin@test.be").await;
    b.post("/language", &[("language", "nl"), ("next", "/")])
        .await;
    let office = app.office_id.to_string();
    let form = [
        ("first_name", "Jan"),
        ("last_name", "Peeters"),
        ("niss", "85.07.30-033.29"),
        ("street", "Kerkstraat 1"),
        ("postcode", "9000"),
        ("city", "Gent"),
        ("country", "BE"),
        ("language", "nl"),
        ("iban", ""),
        ("email", ""),
        ("phone", ""),
        ("office_id", office.as_str()),
    ];
    let before = app
        .store
        .persons(&Default::default(), Default::default())
        .await
        .unwrap()
        .total;
    let r = b.post("/staff/persons", &form).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Rijksregisternummer : de controlecijfers kloppen niet.")
    );
    assert_eq!(
        app.store
            .persons(&Default::default(), Default::default())
            .await
            .unwrap()
            .total,
        before
    );

    // A new account with an e-mail that is taken.
    let ok: Vec<(&str, &str)> = form
        .iter()
        .map(|(k, v)| if *k == "niss" { (*k, "") } else { (*k, *v) })
        .collect();
    let r = b.post("/staff/persons", &ok).await;
    assert_eq!(r.status(), 303);
    let person_id = location(&r)
        .trim_start_matches("/staff/persons/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = b
        .post(
            "/staff/accounts",
            &[
                ("person_id", &person_id),
                ("email", "board@test.be"),
                ("roles", "member"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("E-mail : deze waarde is al in gebruik.")
    );
    let r = b
        .post(
            "/staff/accounts",
            &[
                ("person_id", &person_id),
                ("email", "jan@test.be"),
                ("roles", "advisor"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "an advisor needs an office");
    let r = b
        .post(
            "/staff/accounts",
            &[
                ("person_id", &person_id),
                ("email", "jan@test.be"),
                ("roles", "member"),
                ("send_invitation", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.store
            .mails(Some("jan@test.be"), true, Default::default())
            .await
            .unwrap()
            .total,
        1
    );
}

#[tokio::test]
async fn an_advisor_edits_only_the_people_of_their_office() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin@test.be").await;
    let form = [
        ("name", "Gent"),
        ("region", "flanders"),
        ("street", "Kouter 1"),
        ("postcode", "9000"),
        ("city", "Gent"),
    ];
    let r = admin.post("/staff/offices", &form).await;
    let other_office = location(&r)
        .trim_start_matches("/staff/offices/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let advisor = app.signed_in("advisor@test.be").await;
    let person = |office: &str| {
        vec![
            ("first_name", "Ana".to_string()),
            ("last_name", "Peeters".into()),
            ("street", "Kerkstraat 1".into()),
            ("postcode", "9000".into()),
            ("city", "Gent".into()),
            ("language", "nl".into()),
            ("office_id", office.to_string()),
        ]
    };
    let theirs: Vec<(&str, String)> = person(&other_office);
    let theirs: Vec<(&str, &str)> = theirs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = advisor.post("/staff/persons", &theirs).await;
    assert_eq!(r.status(), 422, "not their office");
    let mine = person(&app.office_id.to_string());
    let mine: Vec<(&str, &str)> = mine.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = advisor.post("/staff/persons", &mine).await;
    assert_eq!(r.status(), 303);
    let r = admin.post("/staff/persons", &theirs).await;
    let elsewhere = location(&r);
    assert_eq!(
        advisor
            .get(elsewhere.split('?').next().unwrap())
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn unknown_pages_get_a_translated_404_and_health_answers() {
    let app = TestApp::spawn().await;
    let r = app.browser("nl").get("/nowhere").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Pagina niet gevonden"));
    let r = app.browser("en").get("/healthz").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "ok");
}
