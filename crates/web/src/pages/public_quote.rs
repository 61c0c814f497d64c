//! The client's page of a quote, `/q/{token}`: no sign-in, the link is the key. The client
//! reads the quote in the quote's language and accepts it — the **order confirmation**,
//! recorded with the name typed, the time and the address it came from — or declines it.
//!
//! Rate limiting: nothing beyond the link itself, on purpose. The token is 256 random bits
//! (`auth::new_token`) and only its SHA-256 is stored: guessing a link is hopeless however
//! many tries are made, so a counter would protect nothing. A known link answers once (a
//! second acceptance is refused), so repeating its posts changes nothing either.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use ruche_domain::Language;
use ruche_store::StoreError;
use ruche_store::clients::ClientRecord;
use ruche_store::entities::LegalEntityRecord;
use ruche_store::quotes::QuoteRecord;
use serde::Deserialize;

use super::quotes::{
    LineView, TotalsView, cooperative, line_views, stored_date, stored_totals, totals_view,
};
use super::{render_status, see_other};
use crate::AppState;
use crate::auth::hash_token;
use crate::context::{LANGUAGE_COOKIE, RequestCtx, today};
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/q/{token}", get(show))
        .route("/q/{token}/accept", post(accept))
        .route("/q/{token}/decline", post(decline))
}

/// Where the quote stands for its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Sent and still valid: the client may answer.
    Open,
    Accepted,
    Declined,
    Expired,
}

#[derive(Template)]
#[template(path = "public_quote.html")]
struct PublicPage {
    c: RequestCtx,
    token: String,
    quote: QuoteRecord,
    seller: Option<LegalEntityRecord>,
    seller_name: String,
    activity_name: String,
    client: ClientRecord,
    lines: Vec<LineView>,
    totals: TotalsView,
    standing: Standing,
    /// The translated refusal of an answer that came too late (a second acceptance…).
    refusal: Option<String>,
    just_accepted: bool,
    name: String,
    reason: String,
    /// (field, message) of the acceptance or decline form.
    problems: Vec<(&'static str, String)>,
}

impl PublicPage {
    fn is_open(&self) -> bool {
        self.standing == Standing::Open
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    fn date(&self, stored: &str) -> String {
        stored_date(stored)
    }

    fn title(&self) -> String {
        let number = self.quote.number.clone().unwrap_or_default();
        self.c.t1("public-quote-title", "number", number)
    }

    fn intro(&self) -> String {
        crate::i18n::t_args(
            self.c.lang,
            "public-quote-intro",
            &[
                ("seller", self.seller_name.clone()),
                ("activity", self.activity_name.clone()),
            ],
        )
    }

    /// "Accepted by Jan Peeters on 05/03/2026 14:02."
    fn accepted(&self) -> Option<String> {
        let at = self.quote.accepted_at?;
        let name = self.quote.accepted_name.clone().unwrap_or_default();
        Some(crate::i18n::t_args(
            self.c.lang,
            "public-quote-accepted",
            &[("name", name), ("date", self.c.datetime(&at))],
        ))
    }

    fn declined(&self) -> Option<String> {
        let at = self.quote.declined_at?;
        Some(
            self.c
                .t1("public-quote-declined", "date", self.c.datetime(&at)),
        )
    }
}

/// A token is what `auth::new_token` makes: 64 hex digits. Anything else is no link.
fn token_hash(token: &str) -> Result<String, AppError> {
    if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hash_token(token))
    } else {
        Err(AppError::NotFound)
    }
}

async fn find(state: &AppState, token: &str) -> Result<QuoteRecord, AppError> {
    Ok(state.store.quote_by_token(&token_hash(token)?).await?)
}

/// The page speaks the quote's language, unless the visitor chose one with the switcher.
fn language(ctx: &RequestCtx, jar: &CookieJar, quote: &QuoteRecord) -> Language {
    let chosen = jar
        .get(LANGUAGE_COOKIE)
        .and_then(|c| Language::parse(c.value()));
    match chosen {
        Some(_) => ctx.lang,
        None => quote.language().unwrap_or(ctx.lang),
    }
}

struct Typed {
    name: String,
    reason: String,
    problems: Vec<(&'static str, String)>,
    refusal: Option<String>,
    just_accepted: bool,
}

impl Typed {
    fn none() -> Self {
        Typed {
            name: String::new(),
            reason: String::new(),
            problems: Vec::new(),
            refusal: None,
            just_accepted: false,
        }
    }
}

async fn page(
    state: &AppState,
    mut ctx: RequestCtx,
    jar: &CookieJar,
    token: String,
    quote: QuoteRecord,
    typed: Typed,
) -> Result<PublicPage, AppError> {
    ctx.lang = language(&ctx, jar, &quote);
    let seller = cooperative(&state.store).await?;
    let activity_name = state.store.activity(quote.activity_id).await?.name;
    let client = state.store.client(quote.client_id).await?;
    let stored = state.store.quote_lines(quote.id).await?;
    let totals = stored_totals(&stored, quote.language()?)?;
    let standing = match quote.status.as_str() {
        "accepted" | "invoiced" => Standing::Accepted,
        "declined" => Standing::Declined,
        _ if quote.is_expired_on(today()) => Standing::Expired,
        "sent" => Standing::Open,
        _ => Standing::Expired,
    };
    Ok(PublicPage {
        seller_name: seller
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "ruche".into()),
        seller,
        activity_name,
        client,
        lines: line_views(&ctx, &stored),
        totals: totals_view(&ctx, &totals),
        standing,
        refusal: typed.refusal,
        just_accepted: typed.just_accepted,
        name: typed.name,
        reason: typed.reason,
        problems: typed.problems,
        token,
        quote,
        c: ctx,
    })
}

/// The page holds a secret link: no referrer leaves it, no search engine keeps it, no cache
/// stores it.
fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    accepted: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    jar: CookieJar,
    Path(token): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let quote = find(&state, &token).await?;
    let mut typed = Typed::none();
    typed.just_accepted = q.accepted.is_some();
    let page = page(&state, ctx, &jar, token, quote, typed).await?;
    Ok(private(render_status(StatusCode::OK, &page)?))
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    accepted_name: String,
    #[serde(default)]
    accept: String,
}

/// Renders the page again after a refused answer, with why.
async fn refused(
    state: &AppState,
    ctx: RequestCtx,
    jar: &CookieJar,
    token: String,
    status: StatusCode,
    typed: Typed,
) -> Result<Response, AppError> {
    // Read again: another answer may have come in the meantime.
    let quote = find(state, &token).await?;
    let page = page(state, ctx, jar, token, quote, typed).await?;
    Ok(private(render_status(status, &page)?))
}

fn refusal_text(ctx: &RequestCtx, jar: &CookieJar, quote: &QuoteRecord, code: &str) -> String {
    crate::i18n::t(language(ctx, jar, quote), &format!("quote-err-{code}"))
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: RequestCtx,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let quote = find(&state, &token).await?;
    let lang = language(&ctx, &jar, &quote);
    let t = |code: &str| crate::i18n::t(lang, &format!("quote-err-{code}"));
    let name = form.accepted_name.trim();
    let mut typed = Typed::none();
    typed.name = form.accepted_name.clone();
    if name.is_empty() {
        typed
            .problems
            .push(("accepted_name", t("acceptance-name-missing")));
    } else if name.chars().count() > 200 {
        typed.problems.push(("accepted_name", t("too-long")));
    }
    if form.accept != "yes" {
        typed.problems.push(("accept", t("accept-required")));
    }
    if !typed.problems.is_empty() {
        return refused(
            &state,
            ctx,
            &jar,
            token,
            StatusCode::UNPROCESSABLE_ENTITY,
            typed,
        )
        .await;
    }
    let hash = token_hash(&token)?;
    match state
        .store
        .accept_quote(&hash, name, ctx.ip.as_deref(), today())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/q/{token}?accepted=1"))),
        Err(StoreError::Conflict(code)) => {
            typed.refusal = Some(refusal_text(&ctx, &jar, &quote, code));
            refused(&state, ctx, &jar, token, StatusCode::CONFLICT, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DeclineForm {
    #[serde(default)]
    decline_reason: String,
}

pub async fn decline(
    State(state): State<AppState>,
    ctx: RequestCtx,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, AppError> {
    let quote = find(&state, &token).await?;
    let mut typed = Typed::none();
    typed.reason = form.decline_reason.clone();
    if form.decline_reason.trim().chars().count() > 1000 {
        let lang = language(&ctx, &jar, &quote);
        typed
            .problems
            .push(("decline_reason", crate::i18n::t(lang, "quote-err-too-long")));
        return refused(
            &state,
            ctx,
            &jar,
            token,
            StatusCode::UNPROCESSABLE_ENTITY,
            typed,
        )
        .await;
    }
    let hash = token_hash(&token)?;
    match state
        .store
        .decline_quote(
            &hash,
            Some(form.decline_reason.as_str()),
            ctx.ip.as_deref(),
            today(),
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!("/q/{token}"))),
        Err(StoreError::Conflict(code)) => {
            typed.refusal = Some(refusal_text(&ctx, &jar, &quote, code));
            refused(&state, ctx, &jar, token, StatusCode::CONFLICT, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_token_of_64_hex_digits_is_looked_up() {
        assert!(token_hash(&"a1".repeat(32)).is_ok());
        assert!(token_hash("short").is_err());
        assert!(token_hash(&"zz".repeat(32)).is_err());
    }
}
