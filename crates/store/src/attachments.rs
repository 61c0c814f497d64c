//! Files attached to records of any module: one table, `attachments`, for every owner.
//!
//! The bytes are kept outside the database, under their SHA-256 (the web layer's file
//! store); a row says whose file it is (`owner_kind`, `owner_id`), its name, type and size,
//! and who brought it. Modules never serve a file without checking, on their own record,
//! that the reader may see it: [`Store::attachment`] therefore asks for the owner too, so
//! that an attachment id from another record is not found. A module creating a record with
//! its files in one transaction uses `crate::attachments::insert_attachments_in!`.

use serde::Serialize;

use crate::{AuditContext, Result, Store, StoreError};

/// Names of the owners, as stored (`attachments.owner_kind`): one per module.
pub mod owner {
    pub const LOAN: &str = "loan";
    pub const GUIDE_ARTICLE: &str = "guide-article";
    pub const LEGAL_REQUEST: &str = "legal-request";
    pub const LEGAL_MESSAGE: &str = "legal-message";
    pub const TRAINING: &str = "training";
}

/// A file to attach, already written to the file store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub sha256: String,
    pub mime: String,
    pub size: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttachmentRecord {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub sha256: String,
    pub mime: String,
    pub size: i64,
    pub name: String,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
}

pub(crate) const INSERT: &str = "INSERT INTO attachments \
    (owner_kind, owner_id, sha256, mime, size, name, uploaded_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const OF_OWNER: &str = concat!(
    "SELECT id, owner_kind, owner_id, sha256, mime, size, name, uploaded_by, created_at ",
    "FROM attachments WHERE owner_kind = $1 AND owner_id = $2 ORDER BY id"
);
const ONE: &str = concat!(
    "SELECT id, owner_kind, owner_id, sha256, mime, size, name, uploaded_by, created_at ",
    "FROM attachments WHERE owner_kind = $1 AND owner_id = $2 AND id = $3"
);

/// Attaches `$files` (a `&[NewAttachment]`) to one record inside the transaction `$tx`, and
/// audits each. For modules that create a record and its files in one transaction.
/// Evaluates to the written [`AttachmentRecord`]s.
macro_rules! insert_attachments_in {
    ($tx:ident, $ctx:expr, $owner_kind:expr, $owner_id:expr, $files:expr) => {{
        let files: &[$crate::attachments::NewAttachment] = $files;
        let owner_kind: &str = $owner_kind;
        let owner_id: i64 = $owner_id;
        let now = $crate::now_micros();
        let mut written = Vec::with_capacity(files.len());
        for file in files {
            let (id,): (i64,) = sqlx::query_as($crate::attachments::INSERT)
                .bind(owner_kind)
                .bind(owner_id)
                .bind(&file.sha256)
                .bind(&file.mime)
                .bind(file.size)
                .bind(&file.name)
                .bind($ctx.actor_account_id)
                .bind(now)
                .fetch_one(&mut *$tx)
                .await?;
            let record = $crate::attachments::AttachmentRecord {
                id,
                owner_kind: owner_kind.to_string(),
                owner_id,
                sha256: file.sha256.clone(),
                mime: file.mime.clone(),
                size: file.size,
                name: file.name.clone(),
                uploaded_by: $ctx.actor_account_id,
                created_at: now,
            };
            audit!(
                $tx,
                $ctx,
                "attachment.added",
                "attachment",
                Some(id),
                None::<&()>,
                Some(&record)
            );
            written.push(record);
        }
        written
    }};
}
pub(crate) use insert_attachments_in;

impl Store {
    /// Attaches files to one record (its module checked that the actor may).
    pub async fn add_attachments(
        &self,
        ctx: &AuditContext,
        owner_kind: &str,
        owner_id: i64,
        files: &[NewAttachment],
    ) -> Result<Vec<AttachmentRecord>> {
        Ok(write_tx!(self, tx => insert_attachments_in!(tx, ctx, owner_kind, owner_id, files)))
    }

    /// The files of one record, oldest first.
    pub async fn attachments_of(
        &self,
        owner_kind: &str,
        owner_id: i64,
    ) -> Result<Vec<AttachmentRecord>> {
        Ok(with_db!(self, pool => sqlx::query_as(OF_OWNER)
            .bind(owner_kind)
            .bind(owner_id)
            .fetch_all(pool)
            .await?))
    }

    /// One file of one record; `NotFound` when the id belongs to another record.
    pub async fn attachment(
        &self,
        owner_kind: &str,
        owner_id: i64,
        id: i64,
    ) -> Result<AttachmentRecord> {
        let found: Option<AttachmentRecord> = with_db!(self, pool => sqlx::query_as(ONE)
            .bind(owner_kind)
            .bind(owner_id)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        found.ok_or(StoreError::NotFound)
    }
}
