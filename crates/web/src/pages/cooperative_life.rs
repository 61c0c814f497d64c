//! Cooperative life (C13), `/cooperative-life`: the landing page of its five parts — the
//! school of cooperation, the labs, the recommendation cycles, the ethics committee, advocacy
//! and permanent education. Each part has its own module and pages; this one only leads there.

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use ruche_domain::policy::{Action, Target};

use super::render;
use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cooperative-life", get(show))
}

/// The parts, in the order the page shows them: (address, title key, text key).
const PARTS: [(&str, &str, &str); 5] = [
    ("/school", "life-school", "life-school-text"),
    ("/labs", "life-labs", "life-labs-text"),
    (
        "/recommendations",
        "life-recommendations",
        "life-recommendations-text",
    ),
    ("/ethics", "life-ethics", "life-ethics-text"),
    ("/advocacy", "life-advocacy", "life-advocacy-text"),
];

#[derive(Template)]
#[template(path = "cooperative_life.html")]
struct LifePage {
    c: RequestCtx,
    parts: &'static [(&'static str, &'static str, &'static str)],
}

async fn show(ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::CooperativeLife)?;
    render(&LifePage {
        c: ctx,
        parts: &PARTS,
    })
}
