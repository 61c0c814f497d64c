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
    /// What each entry changed, in the order of `page.items`.
    changes: Vec<Vec<Change>>,
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
    let changes = page
        .items
        .iter()
        .map(|e| changes(e.before_json.as_deref(), e.after_json.as_deref()))
        .collect();
    render(&AuditPage {
        page,
        changes,
        q,
        entity_types,
        base,
        c: ctx,
    })
}

/// One field of an audited record, before and after the change.
#[derive(Debug, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Bookkeeping columns that change with every write and say nothing to a reader.
const NOISE: [&str; 3] = ["created_at", "updated_at", "id"];

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        serde_json::Value::Null => out.push((prefix.to_string(), "—".into())),
        serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

fn fields(json: Option<&str>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(value) = json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) {
        flatten("", &value, &mut out);
    }
    out.retain(|(k, _)| !NOISE.contains(&k.rsplit('.').next().unwrap_or(k)));
    out
}

/// The fields a change touched: all of them for a creation, the differing ones otherwise.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<Change> {
    let before = fields(before);
    let after = fields(after);
    let mut out: Vec<Change> = Vec::new();
    for (field, value) in &after {
        let old = before
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone());
        if old.as_ref() != Some(value) {
            out.push(Change {
                field: field.clone(),
                before: old,
                after: Some(value.clone()),
            });
        }
    }
    for (field, value) in &before {
        if !after.iter().any(|(k, _)| k == field) {
            out.push(Change {
                field: field.clone(),
                before: Some(value.clone()),
                after: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_shows_only_what_changed() {
        let before = r#"{"id":1,"name":"Namur","city":"Namur","updated_at":1}"#;
        let after = r#"{"id":1,"name":"Namur-Centre","city":"Namur","updated_at":2}"#;
        assert_eq!(
            changes(Some(before), Some(after)),
            [Change {
                field: "name".into(),
                before: Some("Namur".into()),
                after: Some("Namur-Centre".into())
            }]
        );
    }

    #[test]
    fn a_creation_shows_every_field_and_nested_records_are_flattened() {
        let after = r#"{"account":{"id":3,"email":"a@b.be","active":true},"roles":[]}"#;
        let fields: Vec<String> = changes(None, Some(after))
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, ["account.active", "account.email", "roles"]);
    }
}
