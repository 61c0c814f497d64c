//! Staff page: the audit log, filtered by entity, author and period.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use ruche_domain::policy::{Action, Target};
use ruche_store::audit::{AuditEntry, AuditFilter};
use ruche_store::{Page, PageRequest};
use serde::Deserialize;

use crate::AppState;
use crate::context::RequestCtx;
use crate::error::AppError;
use crate::pages::render;

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    c: RequestCtx,
    page: Page<AuditEntry>,
    q: AuditQuery,
    entity_types: Vec<String>,
    base: String,
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    entity_type: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    actor: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    until: String,
    #[serde(skip_serializing)]
    page: Option<i64>,
}

/// Midnight in Brussels at the start of `date`, as stored (Unix µs).
fn day_start(date: &str, days_after: i64) -> Option<i64> {
    let date: jiff::civil::Date = date.trim().parse().ok()?;
    let date = date.checked_add(jiff::Span::new().days(days_after)).ok()?;
    let zoned = date.in_tz("Europe/Brussels").ok()?;
    Some(zoned.timestamp().as_microsecond())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::AuditLog)?;
    let actor = if q.actor.trim().is_empty() {
        None
    } else {
        // The author is given by e-mail; an unknown e-mail matches nothing.
        Some(
            state
                .store
                .account_by_email(&q.actor)
                .await?
                .map(|a| a.id)
                .unwrap_or(-1),
        )
    };
    let filter = AuditFilter {
        entity_type: Some(q.entity_type.clone()).filter(|s| !s.is_empty()),
        entity_id: q.entity_id.trim().parse().ok(),
        actor_account_id: actor,
        from: day_start(&q.from, 0),
        until: day_start(&q.until, 1),
    };
    let page = state
        .store
        .audit_entries(&filter, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let entity_types = state.store.audit_entity_types().await?;
    let base = format!(
        "/staff/audit?{}&",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    );
    render(&AuditPage {
        page,
        q,
        entity_types,
        base,
        c: ctx,
    })
}
