//! Sending e-invoices over the Peppol network.
//!
//! Belgian businesses exchange structured e-invoices (Peppol BIS Billing 3.0) since
//! 1 January 2026. Sending on the network goes through a certified access point (a service
//! provider with a Peppol certificate); ruche talks to it through [`AccessPoint`]. The
//! adapter shipped is [`FileDrop`]: it writes each UBL file into a folder that an access
//! point's connector (or a person) picks up. Another adapter (an access point's HTTP API)
//! implements the same trait.

use std::path::{Path, PathBuf};

use ruche_store::Store;
use ruche_store::jobs::ClaimedJob;
use serde::Deserialize;
use tracing::info;

use crate::error::JobError;

pub use ruche_store::invoices::PEPPOL_SEND_JOB;

/// One e-invoice to deliver.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The document number, e.g. `F2026-00042`.
    pub number: String,
    /// The sender's Peppol participant id (`0208:<enterprise number>`).
    pub sender: String,
    /// The receiver's Peppol participant id.
    pub receiver: String,
    /// The UBL document.
    pub ubl: String,
}

/// What the access point answered: its reference for the transmission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub reference: String,
}

/// A Peppol access point, as ruche sees it.
pub trait AccessPoint: Send + Sync {
    fn deliver(&self, delivery: &Delivery) -> Result<Receipt, JobError>;
}

/// Writes each UBL into `<dir>/<sender>/<number>.xml`, atomically (a temporary file renamed
/// into place), so the connector never reads half a file; writing the same document twice
/// leaves one file.
#[derive(Debug, Clone)]
pub struct FileDrop {
    pub dir: PathBuf,
}

fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl AccessPoint for FileDrop {
    fn deliver(&self, delivery: &Delivery) -> Result<Receipt, JobError> {
        let folder = self.dir.join(safe(&delivery.sender));
        std::fs::create_dir_all(&folder)
            .map_err(|e| JobError::Peppol(format!("{}: {e}", folder.display())))?;
        let target = folder.join(format!("{}.xml", safe(&delivery.number)));
        let temporary = folder.join(format!(".{}.xml.part", safe(&delivery.number)));
        std::fs::write(&temporary, delivery.ubl.as_bytes())
            .and_then(|()| std::fs::rename(&temporary, &target))
            .map_err(|e| JobError::Peppol(format!("{}: {e}", target.display())))?;
        Ok(Receipt {
            reference: target.display().to_string(),
        })
    }
}

impl FileDrop {
    pub fn new(dir: impl AsRef<Path>) -> Self {
        Self {
            dir: dir.as_ref().to_path_buf(),
        }
    }
}

#[derive(Deserialize)]
struct Payload {
    invoice_id: i64,
}

/// Runs one `peppol-send` job: the issued document's stored UBL goes to the access point.
/// Without an access point configured the job ends at once, logged (nothing to send to).
pub(crate) async fn send(
    store: &Store,
    access_point: Option<&dyn AccessPoint>,
    job: &ClaimedJob,
) -> Result<(), JobError> {
    let payload: Payload =
        serde_json::from_str(&job.payload).map_err(|e| JobError::InvalidPayload {
            kind: job.kind.clone(),
            reason: e.to_string(),
        })?;
    let Some(access_point) = access_point else {
        info!(
            invoice = payload.invoice_id,
            "no Peppol access point configured: e-invoice not sent"
        );
        return Ok(());
    };
    let invoice = store.invoice(payload.invoice_id).await?;
    let (_, ubl) = store.invoice_rendering(payload.invoice_id).await?;
    let ubl = ubl.ok_or_else(|| JobError::Peppol("the document has no UBL yet".into()))?;
    let client = store.client(invoice.client_id).await?;
    let entity = store.legal_entity(invoice.entity_id).await?;
    let delivery = Delivery {
        number: invoice.number.clone().unwrap_or_default(),
        sender: format!("0208:{}", entity.enterprise_number),
        receiver: client
            .peppol_id()
            .ok_or_else(|| JobError::Peppol("the client has no Peppol id".into()))?,
        ubl,
    };
    let receipt = access_point.deliver(&delivery)?;
    info!(invoice = payload.invoice_id, reference = %receipt.reference, "e-invoice handed to the access point");
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_file_drop_writes_one_file_per_document_atomically() {
        let dir = std::env::temp_dir().join(format!("ruche-peppol-{}", std::process::id()));
        let drop = FileDrop::new(&dir);
        let delivery = Delivery {
            number: "F2026-00042".into(),
            sender: "0208:0202239951".into(),
            receiver: "0208:0403170701".into(),
            ubl: "<Invoice/>".into(),
        };
        let receipt = drop.deliver(&delivery).unwrap();
        assert!(
            receipt
                .reference
                .ends_with("0208_0202239951/F2026-00042.xml")
        );
        drop.deliver(&delivery).unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.join("0208_0202239951"))
            .unwrap()
            .collect();
        assert_eq!(
            files.len(),
            1,
            "no temporary file left, one file per document"
        );
        assert_eq!(
            std::fs::read_to_string(&receipt.reference).unwrap(),
            "<Invoice/>"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
