//! The training catalogue over HTTP: the public search finds "formation" for "formations"
//! and "opleiding" for "opleidingen"; the contact form refuses a bad e-mail and a script,
//! ignores a robot (honeypot) and answers 429 past the rate limit; the trainer sees the
//! lead; a training without its texts is not submitted; staff pages are closed to members.

use ruche_domain::Language;
use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::training::{NewTraining, TrainingEvent, TrainingText};
use ruche_store::trainings::LeadFilter;
use ruche_store::{AuditContext, PageRequest};

use crate::app::{TestApp, location};

struct Fixture {
    person: i64,
    activity: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let ctx = AuditContext::system();
    let account = app
        .store
        .account_by_email("member@test.be")
        .await
        .unwrap()
        .unwrap();
    let activity = ActivityForm {
        name: "Formations Ana".into(),
        description: "Formations".into(),
        sector: "music".into(),
        office_id: app.office_id.to_string(),
    }
    .parse()
    .unwrap();
    let activity = app
        .store
        .propose_activity(&ctx, &activity, account.person_id)
        .await
        .unwrap()
        .id;
    app.store
        .change_activity_status(&ctx, activity, ActivityEvent::Validate)
        .await
        .unwrap();
    Fixture {
        person: account.person_id,
        activity,
    }
}

fn text(language: Language, title: &str, goal: &str) -> TrainingText {
    TrainingText {
        language,
        title: title.into(),
        goal: goal.into(),
        methodology: "Ateliers pratiques / praktijkworkshops".into(),
        audience_text: "Indépendants / zelfstandigen".into(),
        prerequisites: String::new(),
    }
}

/// A published training in one language, through the store as the pages do.
async fn published(app: &TestApp, f: &Fixture, text: TrainingText, topic: &'static str) -> i64 {
    let ctx = AuditContext::system();
    let t = app
        .store
        .create_training(
            &ctx,
            f.person,
            &NewTraining {
                activity_id: f.activity,
                topic,
                audience: "freelancers",
                place: "Bruxelles".into(),
                languages: vec![text.language],
                duration_hours: 12,
                price_cents: 90_000,
            },
            &text,
        )
        .await
        .unwrap();
    for event in [TrainingEvent::Submit, TrainingEvent::Publish] {
        app.store
            .training_transition(&ctx, t.id, event, None)
            .await
            .unwrap();
    }
    t.id
}

#[tokio::test]
async fn the_public_catalogue_finds_plurals_and_takes_contact_requests_within_the_limit() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let fr = published(
        &app,
        &f,
        text(
            Language::Fr,
            "Formation à la gestion de projets culturels",
            "Piloter un projet culturel du budget au bilan.",
        ),
        "management",
    )
    .await;
    let nl = published(
        &app,
        &f,
        text(
            Language::Nl,
            "Opleiding boekhouding voor freelancers",
            "Zelf je boekhouding bijhouden.",
        ),
        "accounting",
    )
    .await;

    // A visitor, not signed in, searches in Dutch and in French.
    let visitor = app.browser("nl-BE");
    let r = visitor.get("/catalogue?q=opleidingen").await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Opleiding boekhouding voor freelancers"),
        "{body}"
    );
    assert!(!body.contains("gestion de projets"));
    assert!(body.contains("Opleidingscatalogus"));
    let r = app.browser("fr-BE").get("/catalogue?q=formations").await;
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Formation à la gestion de projets culturels"),
        "{body}"
    );
    // Filters without words list from the database.
    let body = visitor
        .get("/catalogue?language=nl")
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("Opleiding boekhouding") && !body.contains("projets culturels"));
    let body = visitor
        .get("/catalogue?q=boekhouding&topic=management")
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("catalogue-empty"), "{body}");
    // The public API answers the same, without a token.
    let r = visitor.get("/api/v1/catalogue?q=opleidingen").await;
    assert_eq!(r.status(), 200);
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["training"]["id"], nl);

    let page = visitor.get(&format!("/catalogue/{nl}")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("name=\"website\""));
    let contact = |email: &'static str, message: &'static str| {
        vec![
            ("contact_name", "Jan Janssens"),
            ("contact_email", email),
            ("contact_phone", ""),
            ("contact_organisation", "vzw De Buren"),
            ("contact_message", message),
            ("website", ""),
        ]
    };
    let path = format!("/catalogue/{nl}/contact");
    let leads = || async {
        app.store
            .training_leads(&LeadFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total
    };

    // Bad input: refused with a translated message, nothing recorded.
    let r = visitor
        .post(
            &path,
            &contact("jan at example", "Wij zoeken een opleiding."),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Je e-mail"));
    let r = visitor
        .post(
            &path,
            &contact("jan@example.be", "Hallo <script>alert(1)</script>"),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Scripts zijn hier niet toegestaan")
    );
    // A robot fills the honeypot: answered as a success, nothing recorded or sent.
    let mut robot = contact("bot@example.be", "Buy cheap things now please");
    robot.retain(|(k, _)| *k != "website");
    robot.push(("website", "http://spam.example"));
    let r = visitor.post(&path, &robot).await;
    assert_eq!(r.status(), 303);
    assert_eq!(leads().await, 0);

    // A real request reaches the trainer through the outbox.
    let r = visitor
        .post(
            &path,
            &contact(
                "jan@example.be",
                "Wij zoeken een opleiding voor tien mensen.",
            ),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("sent=1"));
    assert_eq!(leads().await, 1);
    let mails = app
        .store
        .mails(Some("member@test.be"), false, PageRequest::default())
        .await
        .unwrap();
    assert!(
        mails
            .items
            .iter()
            .any(|m| m.body_text.contains("Jan Janssens") && m.body_text.contains("tien mensen")),
        "{mails:?}"
    );
    // Four more from this address are taken; the sixth in the hour gets 429.
    for email in [
        "a@example.be",
        "b@example.be",
        "c@example.be",
        "d@example.be",
    ] {
        let r = visitor
            .post(&path, &contact(email, "Een vraag over de opleiding."))
            .await;
        assert_eq!(r.status(), 303);
    }
    let r = visitor
        .post(
            &path,
            &contact("e@example.be", "Een vraag over de opleiding."),
        )
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Te veel aanvragen"));
    assert_eq!(leads().await, 5);

    // The trainer sees the leads, and may turn one into a quote.
    let member = app.signed_in("member@test.be").await;
    let body = member.get("/trainings/leads").await.text().await.unwrap();
    assert!(
        body.contains("Jan Janssens") && body.contains("/quote"),
        "{body}"
    );
    let body = member
        .get(&format!("/trainings/{nl}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("jan@example.be"));
    // Another member does not.
    let other = app.signed_in("newmember@test.be").await;
    assert_ne!(other.get(&format!("/trainings/{fr}")).await.status(), 200);
}

#[tokio::test]
async fn a_training_without_its_texts_is_refused_and_only_staff_publish() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/trainings").await.status(), 200);
    assert_eq!(member.get("/trainings/new").await.status(), 200);

    // Bad input: every field named.
    let r = member.post("/trainings", &[("trn_place", "")]).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("f-trn_topic") && body.contains("error-summary"));
    assert_eq!(
        app.store
            .trainings(&Default::default(), Language::Fr, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );

    let activity = f.activity.to_string();
    let r = member
        .post(
            "/trainings",
            &[
                ("trn_activity", activity.as_str()),
                ("trn_topic", "accounting"),
                ("trn_audience", "freelancers"),
                ("trn_place", "Namur"),
                ("trn_languages", "fr"),
                ("trn_languages", "nl"),
                ("trn_duration_hours", "12"),
                ("trn_price", "900"),
                ("trn_text_language", "fr"),
                ("trn_title", "Formation comptabilité"),
                ("trn_goal", "Tenir sa comptabilité."),
                ("trn_methodology", "Exercices."),
                ("trn_audience_text", "Indépendants."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let to = location(&r);
    let id: i64 = to
        .trim_start_matches("/trainings/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Given in Dutch without a Dutch text: not submitted, with the reason.
    let r = member
        .post(
            &format!("/trainings/{id}/transition"),
            &[("trn_event", "submit")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("La description néerlandaise est incomplète")
    );
    // A text with a script is refused.
    let r = member
        .post(
            &format!("/trainings/{id}/texts"),
            &[
                ("trn_text_language", "nl"),
                ("trn_title", "Opleiding"),
                ("trn_goal", "<script>x</script>"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = member
        .post(
            &format!("/trainings/{id}/texts"),
            &[
                ("trn_text_language", "nl"),
                ("trn_title", "Opleiding boekhouding"),
                ("trn_goal", "Je boekhouding bijhouden."),
                ("trn_methodology", "Oefeningen."),
                ("trn_audience_text", "Zelfstandigen."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = member
        .post(
            &format!("/trainings/{id}/transition"),
            &[("trn_event", "submit")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The trainer does not publish their own training; not public yet.
    let r = member
        .post(
            &format!("/trainings/{id}/transition"),
            &[("trn_event", "publish")],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.browser("fr-BE")
            .get(&format!("/catalogue/{id}"))
            .await
            .status(),
        404
    );
    assert_eq!(member.get("/trainings/sessions").await.status(), 403);

    // An advisor publishes it from the validation queue.
    let advisor = app.signed_in("advisor@test.be").await;
    let body = advisor.get("/trainings").await.text().await.unwrap();
    assert!(body.contains("Formation comptabilité"), "{body}");
    let r = advisor
        .post(
            &format!("/trainings/{id}/transition"),
            &[("trn_event", "publish")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app.browser("nl-BE").get("/catalogue?q=boekhouding").await;
    assert!(r.text().await.unwrap().contains("Opleiding boekhouding"));

    // Sessions: bad input refused, a good one counted.
    assert_eq!(advisor.get("/trainings/sessions").await.status(), 200);
    let r = advisor
        .post(
            "/trainings/sessions",
            &[
                ("ses_for", "staff"),
                ("ses_title", "Accueil"),
                ("ses_starts_on", "2026-03-03"),
                ("ses_ends_on", "2026-03-02"),
                ("ses_days", "2"),
                ("ses_participants", "0"),
                ("ses_place", "Bruxelles"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = advisor
        .post(
            "/trainings/sessions",
            &[
                ("ses_for", "staff"),
                ("ses_title", "Accueil"),
                ("ses_starts_on", "2026-03-02"),
                ("ses_ends_on", "2026-03-03"),
                ("ses_days", "2"),
                ("ses_participants", "9"),
                ("ses_place", "Bruxelles"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let body = advisor
        .get("/trainings/sessions?year=2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("id=\"trn-staff-days\">2<"), "{body}");
}
