//! The web of ruche: server-rendered pages (askama + htmx), the JSON API under `/api/v1`,
//! authentication, authorization and the three languages.
//!
//! Requests pass through [`context::layer`] (language, signed-in user, CSRF cookie), then
//! [`csrf::layer`] (refuses a state-changing form without the token), then the router.
//! Handlers return [`error::AppError`] on failure; [`error::render_error_pages`] turns those
//! into translated 403/404/500 pages.

pub mod api;
pub mod attachments;
pub mod auth;
pub mod context;
pub mod csrf;
pub mod documents;
pub mod error;
pub mod files;
pub mod forms;
pub mod i18n;
pub mod pages;
pub mod search;
pub mod special_report;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::get;
use ruche_store::Store;
use tower_http::trace::TraceLayer;

/// What the web layer needs to know about its deployment.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The public address of this instance, used in e-mailed links (no trailing slash).
    pub base_url: String,
    /// How long a session lives without use.
    pub session_lifetime: Duration,
    /// Send cookies with `Secure` (true when served over HTTPS).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (only behind a proxy you run).
    pub trust_proxy: bool,
    /// Where uploaded files (expense receipts) are kept, outside the web root: the binary
    /// sets `<data_dir>/uploads`.
    pub upload_dir: std::path::PathBuf,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            base_url: "http://localhost:8080".into(),
            session_lifetime: Duration::from_secs(8 * 3600),
            secure_cookies: false,
            trust_proxy: false,
            upload_dir: std::env::temp_dir().join("ruche-uploads"),
        }
    }
}

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub hasher: auth::password::Hasher,
    /// The full-text indexes of this instance (catalogue, guide).
    pub search: Arc<search::Searches>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
            hasher: auth::password::Hasher::new(),
            search: Arc::new(search::Searches::new()),
        }
    }
}

/// The whole application: pages, API, static files, health check.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", get(api::openapi::document))
        .route("/healthz", get(pages::health::healthz))
        .route("/static/{*path}", get(pages::assets::asset))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf::layer))
        .layer(middleware::from_fn(error::render_error_pages))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            context::layer,
        ))
        .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the application until `shutdown` completes, then drains open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
