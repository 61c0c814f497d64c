//! Issued documents as files: the PDF and the Peppol UBL of an invoice or credit note,
//! rendered once from the frozen snapshot and kept with it (DESIGN.md §5), and sending them
//! to the client through the outbox.

use ruche_domain::invoicing::Document;
use ruche_store::mail::{Attachment, MailRecord};
use ruche_store::{Store, StoreError};

use crate::i18n;

#[derive(Debug, thiserror::Error)]
pub enum DocumentFileError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the PDF could not be rendered: {0}")]
    Pdf(String),
    #[error("the document is not issued")]
    NotIssued,
    #[error("the client has no e-mail address")]
    NoEmail,
}

/// The PDF and (for a business buyer) the UBL of an issued document, rendered now if they
/// were not kept yet. Rendering is deterministic, so a re-render gives the same bytes.
pub async fn files(
    store: &Store,
    invoice_id: i64,
) -> Result<(Vec<u8>, Option<String>), DocumentFileError> {
    let record = store.invoice(invoice_id).await?;
    if record.number.is_none() {
        return Err(DocumentFileError::NotIssued);
    }
    if let (Some(pdf), ubl) = store.invoice_rendering(invoice_id).await? {
        return Ok((pdf, ubl));
    }
    let document = store.issued_document(invoice_id).await?;
    let (pdf, ubl) = render(&document)?;
    store
        .store_invoice_rendering(invoice_id, &pdf, ubl.as_deref())
        .await?;
    Ok((pdf, ubl))
}

/// Renders a document: always a PDF; a Peppol BIS 3.0 UBL for a Belgian business buyer
/// (e-invoicing is mandatory between Belgian businesses since 1 January 2026).
pub fn render(document: &Document) -> Result<(Vec<u8>, Option<String>), DocumentFileError> {
    let pdf =
        ruche_pdf::render_document(document).map_err(|e| DocumentFileError::Pdf(e.to_string()))?;
    let ubl = match document.buyer.enterprise_number {
        Some(_) => match ruche_formats::ubl::write_invoice(document) {
            Ok(xml) => Some(xml),
            Err(e) => {
                // Issuing already checked the Peppol rules; this would be a writer defect.
                tracing::error!(number = %document.number, error = %e, "UBL not written");
                None
            }
        },
        None => None,
    };
    Ok((pdf, ubl))
}

/// What follows issuing, for the page and the API alike: the order confirmation it came
/// from becomes invoiced, the PDF and UBL are rendered and kept (the files of the issuing
/// day), and a Belgian business buyer's e-invoice is queued for Peppol (once).
pub async fn after_issue(
    store: &Store,
    ctx: &ruche_store::AuditContext,
    issued: &ruche_store::invoices::Issued,
) {
    let id = issued.record.id;
    if let Some(quote_id) = issued.record.quote_id
        && let Err(e) = store.mark_quote_invoiced(ctx, quote_id).await
    {
        tracing::warn!(quote = quote_id, error = %e, "quote not marked invoiced");
    }
    match files(store, id).await {
        Ok((_, Some(_))) => {
            let mut job = ruche_store::jobs::NewJob::now(
                ruche_store::invoices::PEPPOL_SEND_JOB,
                serde_json::json!({ "invoice_id": id }),
            );
            job.unique_key = Some(format!("peppol-send:{id}"));
            if let Err(e) = store.enqueue_job(&job).await {
                tracing::error!(invoice = id, error = %e, "Peppol delivery not queued");
            }
        }
        Ok((_, None)) => {}
        Err(e) => {
            tracing::error!(invoice = id, error = %e, "rendering after issue failed; it is retried on download")
        }
    }
}

/// Mails an issued document to the client, PDF and UBL attached, in the document's language.
pub async fn send(store: &Store, invoice_id: i64) -> Result<MailRecord, DocumentFileError> {
    let record = store.invoice(invoice_id).await?;
    let client = store.client(record.client_id).await?;
    let to = client.email.ok_or(DocumentFileError::NoEmail)?;
    let (pdf, ubl) = files(store, invoice_id).await?;
    let document = store.issued_document(invoice_id).await?;
    let number = document.number.clone();
    let mut attachments = vec![Attachment {
        filename: format!("{number}.pdf"),
        content_type: "application/pdf".into(),
        content: pdf,
    }];
    if let Some(ubl) = ubl {
        attachments.push(Attachment {
            filename: format!("{number}.xml"),
            content_type: "application/xml".into(),
            content: ubl.into_bytes(),
        });
    }
    let lang = document.language;
    let kind = match document.kind {
        ruche_domain::invoicing::DocumentKind::Invoice => "invoice",
        ruche_domain::invoicing::DocumentKind::CreditNote => "credit-note",
    };
    let subject = i18n::t_args(
        lang,
        &format!("mail-{kind}-subject"),
        &[
            ("number", number.clone()),
            ("seller", document.seller.party.name.clone()),
        ],
    );
    let ogm = ruche_domain::ident::Ogm::parse(&document.structured_communication)
        .map(|o| o.to_string())
        .unwrap_or_default();
    let body = i18n::t_args(
        lang,
        &format!("mail-{kind}-body"),
        &[
            ("number", number),
            (
                "amount",
                ruche_domain::format::money(document.totals.payable_cents),
            ),
            ("due", ruche_domain::format::date(document.due_date)),
            ("iban", document.seller.iban.clone()),
            ("ogm", ogm),
            ("seller", document.seller.party.name.clone()),
        ],
    );
    Ok(store
        .queue_mail_with(&to, &subject, &body, &attachments)
        .await?)
}
