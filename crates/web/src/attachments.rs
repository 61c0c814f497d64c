//! Attaching files to a record, for every module (loans, the guide, legal help…).
//!
//! A form that takes files is `multipart/form-data` with one or more file inputs named
//! [`FIELD`] (`<input type="file" name="attachments" multiple>`). The handler reads it with
//! [`read_form`], checks the files and writes them to the file store with [`prepare`] (or
//! [`save`] to attach them to an existing record at once), and serves one back with
//! [`download`] **after** checking, on its own record, that the reader may see it. Route
//! such a form with [`body_limit`] so that a file over the limit is refused by its rule.

use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ruche_domain::attachment::{
    MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, TOO_LARGE, TOO_MANY, attachment_name, check_attachment,
};
use ruche_domain::validate::FieldErrors;
use ruche_store::attachments::{AttachmentRecord, NewAttachment};
use ruche_store::{AuditContext, StoreError};

use crate::AppState;
use crate::error::AppError;
use crate::files::StoredFiles;

/// The name of the file inputs, and of the field their errors are shown on.
pub const FIELD: &str = "attachments";

/// The largest form with files: every file at its limit, and room for the text fields.
pub const MAX_BODY_BYTES: usize = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024;

/// The body limit of a route whose form takes files (axum's default is 2 MB).
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_BODY_BYTES)
}

/// The directory attachments are kept in.
pub fn stored_files(state: &AppState) -> StoredFiles {
    StoredFiles::new(state.config.upload_dir.join("attachments"))
}

/// A file as received.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A multipart form: its text fields in order, and its files.
#[derive(Debug, Default)]
pub struct FilesForm {
    pub fields: Vec<(String, String)>,
    pub uploads: Vec<Upload>,
    /// The body could not be read whole (over the limit): refuse with [`TOO_LARGE`].
    pub unreadable: bool,
}

impl FilesForm {
    /// The value of a text field (the first, when repeated), or "".
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// Every value of a repeated field (ticked checkboxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Reads a multipart form: text fields, and every non-empty file input named [`FIELD`].
pub async fn read_form(multipart: &mut Multipart) -> FilesForm {
    let mut form = FilesForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                form.unreadable = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == FIELD {
            let file_name = field.file_name().unwrap_or_default().to_string();
            match field.bytes().await {
                // An input left empty sends an empty part without a name.
                Ok(bytes) if bytes.is_empty() && file_name.is_empty() => {}
                Ok(bytes) => form.uploads.push(Upload {
                    name: file_name,
                    bytes: bytes.to_vec(),
                }),
                Err(_) => {
                    form.unreadable = true;
                    break;
                }
            }
            continue;
        }
        match field.text().await {
            Ok(value) => form.fields.push((name, value)),
            Err(_) => {
                form.unreadable = true;
                break;
            }
        }
    }
    form
}

/// Checks the files of a form (count, size, type by content) and writes them to the file
/// store. Nothing is written when one is refused: the error names [`FIELD`].
pub fn prepare(state: &AppState, form: &FilesForm) -> Result<Vec<NewAttachment>, AppError> {
    let refuse = |code| AppError::Invalid(FieldErrors::single(FIELD, code));
    if form.unreadable {
        return Err(refuse(TOO_LARGE));
    }
    if form.uploads.len() > MAX_ATTACHMENTS {
        return Err(refuse(TOO_MANY));
    }
    let mut checked = Vec::with_capacity(form.uploads.len());
    for upload in &form.uploads {
        let name = attachment_name(&upload.name);
        let mime = check_attachment(&name, &upload.bytes).map_err(refuse)?;
        checked.push((upload, name, mime));
    }
    let files = stored_files(state);
    let mut prepared = Vec::with_capacity(checked.len());
    for (upload, name, mime) in checked {
        let (sha256, _) = files
            .put(&upload.bytes)
            .map_err(|e| AppError::Internal(format!("writing an attachment: {e}")))?;
        prepared.push(NewAttachment {
            sha256,
            mime: mime.to_string(),
            size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
            name,
        });
    }
    Ok(prepared)
}

/// Checks, stores and attaches the form's files to an existing record.
pub async fn save(
    state: &AppState,
    ctx: &AuditContext,
    owner_kind: &str,
    owner_id: i64,
    form: &FilesForm,
) -> Result<Vec<AttachmentRecord>, AppError> {
    let prepared = prepare(state, form)?;
    if prepared.is_empty() {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .add_attachments(ctx, owner_kind, owner_id, &prepared)
        .await?)
}

/// Serves one file of one record (the caller checked that the reader may see the record).
/// 404 when the id belongs to another record or the file is gone.
pub async fn download(
    state: &AppState,
    owner_kind: &str,
    owner_id: i64,
    attachment_id: i64,
) -> Result<Response, AppError> {
    let record = match state
        .store
        .attachment(owner_kind, owner_id, attachment_id)
        .await
    {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let bytes = stored_files(state)
        .get(&record.sha256)
        .map_err(|e| AppError::Internal(format!("reading an attachment: {e}")))?
        .ok_or(AppError::NotFound)?;
    let ascii: String = record
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, record.mime.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        bytes,
    )
        .into_response())
}

/// A file's size for people: "12 KB", "3.4 MB".
pub fn human_size(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}
