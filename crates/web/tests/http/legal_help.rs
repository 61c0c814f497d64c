//! Legal help (C16) over HTTP: a member files a request with a file, the legal service
//! triages and answers it (the notice carries no legal content), the member reads it; an
//! advisor, an administrator and another member get 404 on the page, the API and the file;
//! bad input names its fields.

use reqwest::Response;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::{AuditContext, PageRequest};

use crate::api::token_of;
use crate::app::{Browser, PASSWORD, TestApp, location};

const BOUNDARY: &str = "ruche-legal-boundary-9XkT2";
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const SECRET: &str = "La clause 7 du contrat Dupont";

/// Adds an account with `role` (the usage contract in force accepted).
async fn add_account(app: &TestApp, email: &str, role: Role) {
    let ctx = AuditContext::system();
    let person = ruche_domain::person::PersonForm {
        first_name: "Extra".into(),
        last_name: email.into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let hash = ruche_web::auth::password::hash_now(PASSWORD).unwrap();
    let (_, account) = app
        .store
        .create_person_with_account(
            &ctx,
            &person,
            &NewAccount {
                email: email.into(),
                password_hash: hash,
                language: Some(Language::Fr),
                roles: vec![RoleGrant {
                    role,
                    office_id: None,
                }],
            },
        )
        .await
        .unwrap();
    let versions = app.store.usage_contract_versions().await.unwrap();
    app.store
        .accept_usage_contract(&ctx, account.id, versions[0].id)
        .await
        .unwrap();
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachments\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(
    app: &TestApp,
    b: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Response {
    let token = b.csrf().await;
    let mut all = fields.to_vec();
    all.push(("csrf_token", &token));
    b.client
        .post(app.url(path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&all, file))
        .send()
        .await
        .unwrap()
}

fn request_id(r: &Response) -> i64 {
    let place = location(r);
    place
        .trim_start_matches("/legal-help/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a request: {place}"))
}

async fn setup() -> TestApp {
    let app = TestApp::spawn().await;
    add_account(&app, "legal@test.be", Role::Legal).await;
    add_account(&app, "other@test.be", Role::Member).await;
    app
}

async fn file_one(app: &TestApp, member: &Browser) -> i64 {
    let r = post_multipart(
        app,
        member,
        "/legal-help",
        &[
            ("legal_kind", "contract-review"),
            ("legal_subject", "Contrat Dupont"),
            ("legal_description", SECRET),
            ("legal_counterparty", "Dupont SRL"),
            ("legal_amount", "2.500"),
        ],
        Some(("contrat.pdf", PDF)),
    )
    .await;
    assert_eq!(r.status(), 303);
    request_id(&r)
}

#[tokio::test]
async fn a_member_files_the_legal_service_answers_and_the_mail_carries_no_legal_content() {
    let app = setup().await;
    let member = app.signed_in("member@test.be").await;
    let empty = member.get("/legal-help").await.text().await.unwrap();
    assert!(empty.contains("id=\"legal-empty\""));
    assert_eq!(
        member.get("/legal-help/new?kind=dispute").await.status(),
        200
    );
    let id = file_one(&app, &member).await;
    let page = member.get(&format!("/legal-help/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(SECRET) && html.contains("contrat.pdf"));
    let files = app
        .store
        .attachments_of(ruche_store::attachments::owner::LEGAL_REQUEST, id)
        .await
        .unwrap();
    let file = member
        .get(&format!("/legal-help/{id}/files/{}", files[0].id))
        .await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

    let legal = app.signed_in("legal@test.be").await;
    let queue = legal.get("/legal-help/queue").await.text().await.unwrap();
    assert!(queue.contains("Contrat Dupont"));
    // The member's page redirects the legal staff to their queue.
    assert_eq!(
        location(&legal.get("/legal-help").await),
        "/legal-help/queue"
    );
    let lawyer = app
        .store
        .account_by_email("legal@test.be")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    // An answer before the triage is refused by the request's stage.
    let early = post_multipart(
        &app,
        &legal,
        &format!("/legal-help/{id}/answer"),
        &[("legal_body", "Trop tôt")],
        None,
    )
    .await;
    assert_eq!(early.status(), 409);
    let r = legal
        .post(
            &format!("/legal-help/{id}/triage"),
            &[("legal_priority", "urgent"), ("legal_assignee", &lawyer)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = post_multipart(
        &app,
        &legal,
        &format!("/legal-help/{id}/notes"),
        &[("legal_body", "Note interne secrète")],
        None,
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = post_multipart(
        &app,
        &legal,
        &format!("/legal-help/{id}/answer"),
        &[("legal_body", "La clause est nulle.")],
        None,
    )
    .await;
    assert_eq!(r.status(), 303);

    // The member reads the answer, not the note; the mail says only "sign in".
    let html = member
        .get(&format!("/legal-help/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("La clause est nulle."));
    assert!(!html.contains("Note interne secrète"));
    assert!(html.contains("id=\"legal-reopen\""));
    let mails = app
        .store
        .mails(Some("member@test.be"), false, PageRequest::default())
        .await
        .unwrap();
    let mail = mails
        .items
        .iter()
        .find(|m| m.body_text.contains(&format!("/legal-help/{id}")))
        .expect("the answer's notice");
    for secret in [SECRET, "La clause est nulle.", "Dupont"] {
        assert!(!mail.body_text.contains(secret) && !mail.subject.contains(secret));
    }
    // The member replies; the legal staff close it.
    let r = post_multipart(
        &app,
        &member,
        &format!("/legal-help/{id}/messages"),
        &[("legal_body", "Merci !")],
        None,
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = legal
        .post(
            &format!("/legal-help/{id}/close"),
            &[("legal_outcome", "advised")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.legal_request(id).await.unwrap().status, "closed");
}

#[tokio::test]
async fn only_the_member_and_the_legal_staff_see_a_request_its_api_and_its_files() {
    let app = setup().await;
    let member = app.signed_in("member@test.be").await;
    let id = file_one(&app, &member).await;
    let files = app
        .store
        .attachments_of(ruche_store::attachments::owner::LEGAL_REQUEST, id)
        .await
        .unwrap();
    let file = format!("/legal-help/{id}/files/{}", files[0].id);
    for email in [
        "advisor@test.be",
        "admin@test.be",
        "board@test.be",
        "other@test.be",
    ] {
        let b = app.signed_in(email).await;
        assert_eq!(
            b.get(&format!("/legal-help/{id}")).await.status(),
            404,
            "{email}"
        );
        assert_eq!(b.get(&file).await.status(), 404, "{email}");
        let r = b
            .post(
                &format!("/legal-help/{id}/close"),
                &[("legal_outcome", "advised")],
            )
            .await;
        assert_eq!(r.status(), 404, "{email}");
        let queue = b.get("/legal-help/queue").await.status();
        assert_eq!(queue, 403, "{email}");
        let token = token_of(&app, email).await;
        let api = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/legal-help/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 404, "{email}");
    }
    // The other member's list does not show it; the API lists theirs only.
    let other = app.signed_in("other@test.be").await;
    let html = other.get("/legal-help").await.text().await.unwrap();
    assert!(!html.contains("Contrat Dupont"));
    // The member and the legal staff read it through the API.
    for email in ["member@test.be", "legal@test.be"] {
        let token = token_of(&app, email).await;
        let api = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/legal-help/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 200, "{email}");
        let list: serde_json::Value = reqwest::Client::new()
            .get(app.url("/api/v1/legal-help"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], 1, "{email}");
    }
    // The audit log (read by administrators and the board) holds no text of the request.
    let admin = app.signed_in("admin@test.be").await;
    let log = admin
        .get("/staff/audit?entity_type=legal_request")
        .await
        .text()
        .await
        .unwrap();
    assert!(!log.contains(SECRET) && !log.contains("Dupont"));
}

#[tokio::test]
async fn bad_input_names_its_fields_on_the_page_and_the_api() {
    let app = setup().await;
    let member = app.signed_in("member@test.be").await;
    let r = post_multipart(
        &app,
        &member,
        "/legal-help",
        &[
            ("legal_kind", "dispute"),
            ("legal_subject", ""),
            ("legal_description", "Un litige"),
            ("legal_counterparty", ""),
            ("legal_amount", "beaucoup"),
            ("legal_deadline", "2001-01-01"),
        ],
        Some(("virus.exe", b"MZ\x90\0binary")),
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for id in [
        "e-legal_subject",
        "e-legal_counterparty",
        "e-legal_amount",
        "e-legal_deadline",
        "e-attachments",
    ] {
        assert!(html.contains(id), "{id}");
    }
    assert_eq!(
        app.store
            .legal_requests(&Default::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    let token = token_of(&app, "member@test.be").await;
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/legal-help"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "legal_kind": "lawsuit", "legal_subject": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: serde_json::Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(fields.contains(&"legal_kind") && fields.contains(&"legal_description"));
    let ok = reqwest::Client::new()
        .post(app.url("/api/v1/legal-help"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({ "legal_kind": "question", "legal_subject": "TVA",
            "legal_description": "Une question" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
    // A closed or unknown stage is refused with 409 / an empty message with 422.
    let created: serde_json::Value = ok.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    let r = post_multipart(
        &app,
        &member,
        &format!("/legal-help/{id}/messages"),
        &[("legal_body", "  ")],
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
    // Triage by a member is refused.
    let r = member
        .post(
            &format!("/legal-help/{id}/triage"),
            &[("legal_priority", "low"), ("legal_assignee", "1")],
        )
        .await;
    assert_eq!(r.status(), 403);
}
