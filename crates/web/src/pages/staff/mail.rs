//! Staff page "Outgoing mail": the outbox, with every delivery attempt. With no SMTP server
//! configured (the demo), this is where mail can be read.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ruche_domain::policy::{Action, Target};
use ruche_store::mail::{MailAttempt, MailRecord};
use ruche_store::{Page, PageRequest};
use serde::Deserialize;

use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::pages::render;

#[derive(Template)]
#[template(path = "staff/mail.html")]
struct ListPage {
    c: RequestCtx,
    page: Page<MailRecord>,
    to: String,
    base: String,
}

#[derive(Template)]
#[template(path = "staff/mail_show.html")]
struct ShowPage {
    c: RequestCtx,
    message: MailRecord,
    attempts: Vec<MailAttempt>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    to: String,
    page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Outbox)?;
    let to = Some(q.to.trim().to_lowercase()).filter(|s| !s.is_empty());
    let confidential = ctx.may(Action::List, Target::ConfidentialMail);
    let page = state
        .store
        .mails(
            to.as_deref(),
            confidential,
            PageRequest::new(q.page.unwrap_or(1), 50),
        )
        .await?;
    let base = format!(
        "/staff/mail?{}&",
        serde_urlencoded::to_string([("to", q.to.as_str())]).unwrap_or_default()
    );
    render(&ListPage {
        page,
        to: q.to,
        base,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Outbox)?;
    let message = state.store.mail(id).await?;
    if message.confidential {
        ctx.authorize(Action::View, Target::ConfidentialMail)?;
    }
    let attempts = state.store.mail_attempts(id).await?;
    render(&ShowPage {
        message,
        attempts,
        c: ctx,
    })
}
