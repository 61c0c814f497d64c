//! The test application: a server on a random port, seeded with one account per role.

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};

use rand::Rng;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response};
use ruche_domain::group::OfficeForm;
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::usage_contract::NewUsageContractVersion;
use ruche_store::{AuditContext, ConnectOptions, Store};
use ruche_web::{AppState, WebConfig};

pub const PASSWORD: &str = "correct horse battery";

static HASH: LazyLock<String> =
    LazyLock::new(|| ruche_web::auth::password::hash_now(PASSWORD).unwrap());

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub office_id: i64,
    _dir: std::path::PathBuf,
}

/// One user agent with its own cookies.
pub struct Browser {
    pub client: Client,
    jar: Arc<Jar>,
    base: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let n: u64 = rand::rng().random();
        let dir = std::env::temp_dir().join(format!("ruche-http-{n:x}"));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("t.sqlite").display());
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let office_id = seed(&store).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let config = WebConfig {
            base_url: base.clone(),
            ..WebConfig::default()
        };
        let state = AppState::new(store.clone(), config);
        tokio::spawn(ruche_web::serve(listener, state, std::future::pending()));
        TestApp {
            base,
            store,
            office_id,
            _dir: dir,
        }
    }

    pub fn browser(&self, language: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("accept-language", language.parse().unwrap());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        Browser {
            client,
            jar,
            base: self.base.clone(),
        }
    }

    /// A browser signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Browser {
        let b = self.browser("fr-BE");
        let r = b.login(email, PASSWORD).await;
        assert_eq!(r.status(), 303, "login of {email}");
        b
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Browser {
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// The CSRF secret of this browser (fetching a page first if it has none).
    pub async fn csrf(&self) -> String {
        if self.cookie("ruche_csrf").is_none() {
            self.get("/login").await;
        }
        self.cookie("ruche_csrf").expect("csrf cookie")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url: reqwest::Url = self.base.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|kv| {
            kv.split_once('=')
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    /// Posts a form with this browser's CSRF token.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        fields.push(("csrf_token", &token));
        self.client
            .post(format!("{}{path}", self.base))
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }
}

pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn person(first: &str, office_id: i64) -> ruche_domain::person::Person {
    PersonForm {
        first_name: first.into(),
        last_name: "Test".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        office_id: office_id.to_string(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

/// An office, a usage contract in force, and one account per role (`<role>@test.be`), each
/// having accepted the contract except `newmember@test.be`.
async fn seed(store: &Store) -> i64 {
    let ctx = AuditContext::system();
    let office = OfficeForm {
        name: "Bruxelles".into(),
        region: "brussels".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let office = store.save_office(&ctx, None, &office).await.unwrap();
    let entity = ruche_domain::group::LegalEntityForm {
        name: "Ruche".into(),
        legal_form: "SCES agréée / erkende CVSO".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        enterprise_number: "0202239951".into(),
        vat_number: "BE0202239951".into(),
        iban: "BE68539007547034".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .unwrap();
    store.save_legal_entity(&ctx, None, &entity).await.unwrap();
    let version = store
        .publish_usage_contract(
            &ctx,
            &NewUsageContractVersion {
                label: "2023".into(),
                effective_from: jiff::civil::date(2023, 9, 4),
                text_fr: "Texte du contrat.".into(),
                text_nl: "Tekst van de overeenkomst.".into(),
                text_en: "Text of the contract.".into(),
            },
        )
        .await
        .unwrap();
    for (email, role) in [
        ("member@test.be", Role::Member),
        ("newmember@test.be", Role::Member),
        ("advisor@test.be", Role::Advisor),
        ("accountant@test.be", Role::Accountant),
        ("board@test.be", Role::Board),
        ("admin@test.be", Role::Administrator),
    ] {
        let office_id = (role == Role::Advisor).then_some(office.id);
        let new = NewAccount {
            email: email.into(),
            password_hash: HASH.clone(),
            language: (email == "member@test.be").then_some(Language::Fr),
            roles: vec![RoleGrant { role, office_id }],
        };
        let (_, account) = store
            .create_person_with_account(&ctx, &person(role.code(), office.id), &new)
            .await
            .unwrap();
        if email != "newmember@test.be" {
            store
                .accept_usage_contract(&ctx, account.id, version.id)
                .await
                .unwrap();
        }
    }
    office.id
}
