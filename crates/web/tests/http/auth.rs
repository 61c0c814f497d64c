use crate::app::{PASSWORD, TestApp, location};

#[tokio::test]
async fn the_right_password_opens_a_session_and_logout_ends_it() {
    let app = TestApp::spawn().await;
    let b = app.browser("fr-BE");
    let r = b.login("admin@test.be", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
    assert!(b.cookie("ruche_session").is_some());
    let page = b.get("/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Tableau de bord"));
    let r = b.post("/logout", &[]).await;
    assert_eq!(location(&r), "/login");
    let r = b.get("/").await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_the_users_language() {
    let app = TestApp::spawn().await;
    let b = app.browser("nl-BE,nl;q=0.9");
    let r = b.login("admin@test.be", "wrong password").await;
    assert_eq!(r.status(), 401);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("E-mailadres of wachtwoord onjuist."),
        "{html}"
    );
    assert!(html.contains(r#"<html lang="nl">"#));
    assert!(b.cookie("ruche_session").is_none());
    // An unknown e-mail gets the very same answer.
    let r = b.login("nobody@test.be", "wrong password").await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let b = app.browser("en");
    b.csrf().await;
    let form = [("email", "admin@test.be"), ("password", PASSWORD)];
    let r = b
        .client
        .post(app.url("/login"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Form expired"));
    let wrong = [
        ("email", "admin@test.be"),
        ("password", PASSWORD),
        ("csrf_token", "forged"),
    ];
    let r = b
        .client
        .post(app.url("/login"))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A request from another site carries no cookie at all: refused too.
    let stranger = app.browser("en");
    let r = stranger
        .client
        .post(app.url("/login"))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(b.cookie("ruche_session").is_none());
}

#[tokio::test]
async fn logins_are_rate_limited_per_account_with_a_translated_message() {
    let app = TestApp::spawn().await;
    let b = app.browser("fr-BE");
    for _ in 0..5 {
        assert_eq!(b.login("board@test.be", "nope").await.status(), 401);
    }
    // The sixth attempt is refused even with the right password.
    let r = b.login("board@test.be", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Trop de tentatives"));
    // Another account from the same address still signs in.
    assert_eq!(b.login("admin@test.be", PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn logins_are_rate_limited_per_address() {
    let app = TestApp::spawn().await;
    let b = app.browser("en");
    for i in 0..20 {
        let r = b.login(&format!("guess{i}@test.be"), "nope").await;
        assert_eq!(r.status(), 401);
    }
    let r = b.login("admin@test.be", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Too many sign-in attempts")
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_mailed_link_once() {
    let app = TestApp::spawn().await;
    let b = app.browser("en");
    let r = b
        .post("/password/forgot", &[("email", "member@test.be")])
        .await;
    assert_eq!(r.status(), 200);
    let mails = app
        .store
        .mails(Some("member@test.be"), true, Default::default())
        .await
        .unwrap();
    assert_eq!(mails.total, 1);
    let body = &mails.items[0].body_text;
    assert!(
        body.contains("nouveau mot de passe"),
        "the member's own language: {body}"
    );
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/password/reset/"))
        .unwrap();
    let path = link.trim_start_matches(&app.base).to_string();
    let short = b
        .post(
            &path,
            &[("password", "short"), ("password_confirm", "short")],
        )
        .await;
    assert_eq!(short.status(), 422);
    let new = "a brand new passphrase";
    let r = b
        .post(&path, &[("password", new), ("password_confirm", new)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(b.login("member@test.be", new).await.status(), 303);
    let again = app.browser("en");
    let r = again
        .post(&path, &[("password", new), ("password_confirm", new)])
        .await;
    assert_eq!(r.status(), 410, "a reset link works once");
    // An unknown address gets the same answer and no mail.
    let r = b
        .post("/password/forgot", &[("email", "ghost@test.be")])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.store
            .mails(Some("ghost@test.be"), true, Default::default())
            .await
            .unwrap()
            .total,
        0
    );
}

#[tokio::test]
async fn accountants_read_the_outgoing_mail_but_never_a_password_link() {
    let app = TestApp::spawn().await;
    let b = app.browser("en");
    b.post("/password/forgot", &[("email", "member@test.be")])
        .await;
    let reset = app
        .store
        .mails(Some("member@test.be"), true, Default::default())
        .await
        .unwrap();
    assert_eq!(reset.total, 1);
    assert!(reset.items[0].confidential);
    let reminder = app
        .store
        .queue_mail(
            "compta@client.be",
            "Rappel de paiement",
            "Facture F2026-00001",
        )
        .await
        .unwrap();
    assert!(!reminder.confidential);

    let accountant = app.signed_in("accountant@test.be").await;
    let list = accountant.get("/staff/mail").await;
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    assert!(html.contains("Rappel de paiement"));
    assert!(!html.contains("member@test.be"), "{html}");
    let shown = accountant
        .get(&format!("/staff/mail/{}", reminder.id))
        .await;
    assert_eq!(shown.status(), 200);
    let secret = accountant
        .get(&format!("/staff/mail/{}", reset.items[0].id))
        .await;
    assert_eq!(secret.status(), 403);
    // The administrators read both; members neither.
    let admin = app.signed_in("admin@test.be").await;
    let html = admin.get("/staff/mail").await.text().await.unwrap();
    assert!(html.contains("member@test.be"));
    let member = app.signed_in("member@test.be").await;
    assert_eq!(member.get("/staff/mail").await.status(), 403);
}
