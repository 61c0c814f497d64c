//! Uploaded files kept on disk under their content's hash (expense receipts, attachments).

use std::io::Write;
use std::path::{Path as FsPath, PathBuf};

use ruche_domain::expense::is_sha256_hex;
use sha2::{Digest, Sha256};

/// A directory of uploaded files (expense receipts, attachments): each file is named by the
/// SHA-256 of its content, under a sub-directory of its first two hex digits. Nothing in it
/// is served as a static file; a file is read back only through a checked download, and only
/// if its content still has its name's hash.
#[derive(Debug, Clone)]
pub struct StoredFiles {
    dir: PathBuf,
}

impl StoredFiles {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        // Only a hash names a file: never a path from the outside.
        is_sha256_hex(sha256).then(|| self.dir.join(&sha256[..2]).join(sha256))
    }

    /// Writes `bytes` under their hash (atomically: a temporary file renamed). Returns the
    /// hash and whether the file is new (an identical receipt may be there already).
    pub fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self
            .path(&sha256)
            .ok_or_else(|| std::io::Error::other("not a hash"))?;
        if path.is_file() {
            return Ok((sha256, false));
        }
        let parent = path
            .parent()
            .ok_or_else(|| std::io::Error::other("no parent directory"))?;
        std::fs::create_dir_all(parent)?;
        let tmp = parent.join(format!(".{sha256}.{}.tmp", std::process::id()));
        {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        Ok((sha256, true))
    }

    /// Removes a file [`StoredFiles::put`] just created for a claim that was then refused.
    pub fn remove(&self, sha256: &str) {
        if let Some(path) = self.path(sha256)
            && let Err(e) = std::fs::remove_file(&path)
        {
            tracing::warn!(error = %e, "removing an unused receipt");
        }
    }

    /// The receipt of hash `sha256`, checked against its hash (`None` when it is missing or
    /// its content changed).
    pub fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(sha256) else {
            return Ok(None);
        };
        match std::fs::read(&path) {
            Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == sha256 => Ok(Some(bytes)),
            Ok(_) => {
                tracing::error!(file = %path.display(), "a receipt no longer matches its hash");
                Ok(None)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn dir(&self) -> &FsPath {
        &self.dir
    }
}
