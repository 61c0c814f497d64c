//! The request context: who is asking, in which language, with which CSRF token.
//! Built once per request by [`layer`] and read by handlers as an extractor.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use ruche_domain::policy::{Action, Actor, Decision, Target, decide};
use ruche_domain::{Language, Role};
use ruche_store::accounts::{AccountRecord, RoleGrant};
use ruche_store::persons::PersonRecord;
use ruche_store::{AuditContext, Store};

use crate::auth::{SESSION_COOKIE, hash_token, new_token};
use crate::error::AppError;
use crate::{AppState, i18n};

pub const LANGUAGE_COOKIE: &str = "ruche_lang";
pub const CSRF_COOKIE: &str = "ruche_csrf";

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account: AccountRecord,
    pub person: PersonRecord,
    pub roles: Vec<RoleGrant>,
    pub actor: Actor,
}

#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub lang: Language,
    pub user: Option<Arc<CurrentUser>>,
    pub csrf_token: String,
    pub ip: Option<String>,
    pub path: String,
}

impl RequestCtx {
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// The translation of `prefix` + `code` (e.g. `role-` + `board`).
    pub fn t_of(&self, prefix: &str, code: &str) -> String {
        i18n::t(self.lang, &format!("{prefix}{code}"))
    }

    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        i18n::t_args(self.lang, key, &[(name, value.to_string())])
    }

    /// The user, or "sign in first".
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        self.user.as_deref().ok_or(AppError::SignInRequired)
    }

    /// Asks the policy; refuses with 403 (or sends a member to the usage contract).
    pub fn authorize(&self, action: Action, target: Target) -> Result<&CurrentUser, AppError> {
        let user = self.user()?;
        match decide(&user.actor, action, target) {
            Decision::Allowed => Ok(user),
            Decision::Refused => Err(AppError::Forbidden),
            Decision::UsageContractRequired => Err(AppError::UsageContractRequired),
        }
    }

    pub fn may(&self, action: Action, target: Target) -> bool {
        self.user
            .as_deref()
            .is_some_and(|u| decide(&u.actor, action, target).is_allowed())
    }

    /// Whether the "history of changes" links lead somewhere for this user.
    pub fn sees_audit(&self) -> bool {
        self.may(Action::List, Target::AuditLog)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.user.as_deref().is_some_and(|u| u.actor.has(role))
    }

    pub fn audit(&self) -> AuditContext {
        AuditContext {
            actor_account_id: self.user.as_deref().map(|u| u.account.id),
            ip: self.ip.clone(),
        }
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// Basis points as a Belgian percentage: 650 → `6,5 %`.
    pub fn percent(&self, bp: &u32) -> String {
        let whole = bp / 100;
        let rest = bp % 100;
        let text = if rest == 0 {
            whole.to_string()
        } else if rest.is_multiple_of(10) {
            format!("{whole},{}", rest / 10)
        } else {
            format!("{whole},{rest:02}")
        };
        format!("{text}\u{a0}%")
    }

    /// A rate stored as basis points in a BIGINT column.
    pub fn percent_of(&self, bp: &i64) -> String {
        u32::try_from(*bp)
            .map(|b| self.percent(&b))
            .unwrap_or_default()
    }

    /// A stored exact decimal (`1500.5`) the Belgian way (`1.500,50`), with at least
    /// `min_decimals` decimals.
    pub fn decimal(&self, stored: &str, min_decimals: usize) -> String {
        crate::pages::quotes::decimal_be(stored, min_decimals)
    }

    /// A stored `YYYY-MM-DD` date, the Belgian way.
    pub fn date(&self, iso: &str) -> String {
        iso.parse()
            .map(ruche_domain::format::date)
            .unwrap_or_else(|_| iso.to_string())
    }

    /// Cents the Belgian way (`1.234,56 €`); takes a value or a reference, as templates pass.
    pub fn money(&self, cents: impl std::borrow::Borrow<i64>) -> String {
        ruche_domain::format::money(*cents.borrow())
    }

    /// A stored instant (Unix µs) as the Belgian `26/11/2026 17:30`.
    pub fn datetime(&self, micros: &i64) -> String {
        jiff::Timestamp::from_microsecond(*micros)
            .map(ruche_domain::format::datetime)
            .unwrap_or_default()
    }

    pub fn opt_datetime(&self, micros: &Option<i64>) -> String {
        micros
            .as_ref()
            .map(|m| self.datetime(m))
            .unwrap_or_else(|| "—".into())
    }

    /// The navigation of the signed-in user's roles: (href, translation key).
    pub fn nav(&self) -> Vec<(&'static str, String, bool)> {
        let mut items = vec![("/", "nav-dashboard")];
        let member = self.may(Action::View, Target::MemberArea);
        if member || self.may(Action::List, Target::Activities) {
            items.push(("/activities", "nav-activities"));
        }
        if self.may(Action::List, Target::Clients) {
            items.push(("/clients", "nav-clients"));
        }
        if self.may(Action::View, Target::Treasury) {
            items.push(("/invoices", "invoices-title"));
            items.push(("/bank", "nav-bank"));
            items.push(("/payouts", "nav-payouts"));
            items.push(("/pay-runs", "nav-payroll"));
            items.push(("/dunning", "nav-dunning"));
        }
        if self.may(Action::List, Target::Expenses) {
            items.push(("/expenses", "nav-expenses"));
        }
        if self.may(Action::List, Target::Loans) || self.may(Action::Create, Target::Loans) {
            items.push(("/loans", "loan-nav"));
        }
        if self.may(Action::List, Target::RecoveryPipeline) {
            items.push(("/recovery", "nav-recovery"));
        }
        if self.may(Action::List, Target::Governance) {
            items.push(("/governance", "nav-governance"));
        }
        if self.may(Action::View, Target::Governance) {
            items.push(("/indicators", "ind-nav"));
        }
        if self.may(Action::List, Target::Transparency) {
            items.push(("/transparency", "tsp-nav"));
        }
        if member {
            items.push(("/my/assemblies", "ga-nav-mine"));
        }
        if member || self.may(Action::List, Target::Trainings) {
            items.push(("/trainings", "trn-nav"));
        }
        if self.may(Action::List, Target::LegalHelp) {
            items.push(("/legal-help/queue", "legal-nav"));
        } else if self.may(Action::Create, Target::LegalHelp) {
            items.push(("/legal-help", "legal-nav"));
        }
        if self.may(Action::View, Target::CooperativeLife) {
            items.push(("/cooperative-life", "life-nav"));
        }
        if self.may(Action::View, Target::Places) {
            items.push(("/places", "places-nav"));
        }
        if self.may(Action::List, Target::Prevention) {
            items.push(("/prevention", "prevention-nav"));
        } else if self.may(Action::Create, Target::Prevention) {
            // Any staff member reports an incident; only the prevention staff read the register.
            items.push(("/prevention/incidents/new", "prevention-report-nav"));
        }
        items.push(("/simulator", "nav-simulator"));
        items.push(("/guide", "guide-nav"));
        let entries: [(&str, &str, Target); 7] = [
            ("/staff/entities", "nav-entities", Target::LegalEntities),
            ("/staff/offices", "nav-offices", Target::Offices),
            ("/staff/persons", "nav-persons", Target::Persons),
            ("/staff/accounts", "nav-accounts", Target::Accounts),
            (
                "/staff/usage-contract",
                "nav-usage-contract",
                Target::UsageContracts,
            ),
            ("/staff/audit", "nav-audit", Target::AuditLog),
            ("/staff/mail", "nav-mail", Target::Outbox),
        ];
        for (href, key, target) in entries {
            if self.may(Action::List, target) {
                items.push((href, key));
            }
        }
        if self.user.is_some() {
            items.push(("/account", "nav-my-account"));
        }
        items
            .into_iter()
            .map(|(href, key)| {
                let active = if href == "/" {
                    self.path == "/"
                } else {
                    self.path.starts_with(href)
                };
                (href, self.t(key), active)
            })
            .collect()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .ok_or(AppError::Internal("request context missing".into()))
    }
}

/// Today in Brussels, for dated rules.
pub fn today() -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned(tz).date()
}

pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_proxy: bool,
) -> Option<String> {
    if trust_proxy
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return Some(first.trim().to_string());
    }
    peer.map(|p| p.ip().to_string())
}

/// Loads the account behind an API token, with what the policy needs.
pub async fn load_user(store: &Store, account_id: i64) -> Result<Option<CurrentUser>, AppError> {
    user_of(store, store.account(account_id).await?).await
}

/// The user of `account` (read with its session or token), with what the policy needs;
/// `None` when the account is inactive.
pub async fn user_of(
    store: &Store,
    account: AccountRecord,
) -> Result<Option<CurrentUser>, AppError> {
    if !account.active {
        return Ok(None);
    }
    let person = store.person(account.person_id).await?;
    let roles = store.account_roles(account.id).await?;
    // No version in force: nothing to accept.
    let accepted_usage_contract = store
        .usage_contract_accepted(account.id, today())
        .await?
        .unwrap_or(true);
    let actor = Actor {
        account_id: account.id,
        person_id: person.id,
        roles: roles.iter().map(|g| g.role).collect(),
        advisor_offices: roles
            .iter()
            .filter(|g| g.role == Role::Advisor)
            .filter_map(|g| g.office_id)
            .collect(),
        accepted_usage_contract,
    };
    Ok(Some(CurrentUser {
        account,
        person,
        roles,
        actor,
    }))
}

pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = client_ip(request.headers(), peer, state.config.trust_proxy);
    let path = request.uri().path().to_string();

    let mut user = None;
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let lifetime = i64::try_from(state.config.session_lifetime.as_micros()).unwrap_or(i64::MAX);
        match state
            .store
            .session_account(&hash_token(cookie.value()), lifetime)
            .await
        {
            Ok(Some(account)) => match user_of(&state.store, account).await {
                Ok(found) => user = found.map(Arc::new),
                Err(e) => tracing::error!(error = %e, "loading the session's user failed"),
            },
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "reading the session failed"),
        }
    }

    let lang = user
        .as_ref()
        .and_then(|u| u.account.language.as_deref())
        .and_then(Language::parse)
        .or_else(|| {
            jar.get(LANGUAGE_COOKIE)
                .and_then(|c| Language::parse(c.value()))
        })
        .or_else(|| {
            request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Language::from_accept_language)
        })
        .unwrap_or_default();

    let existing_csrf = jar.get(CSRF_COOKIE).map(|c| c.value().to_string());
    let csrf_token = existing_csrf.clone().unwrap_or_else(new_token);

    request.extensions_mut().insert(RequestCtx {
        lang,
        user,
        csrf_token: csrf_token.clone(),
        ip,
        path,
    });
    let mut response = next.run(request).await;
    if existing_csrf.is_none() {
        let cookie = Cookie::build((CSRF_COOKIE, csrf_token))
            .path("/")
            .http_only(true)
            .secure(state.config.secure_cookies)
            .same_site(SameSite::Strict)
            .build();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
