//! Credit notes (C3) on invoices the sales phase issued: 1,000 at scale 1 (at least one),
//! on overdue invoices nothing was paid on — the client disputed them — half credited in
//! full, half for 30 % of their amount. Each is saved and issued through the invoices
//! store (its own numbering series, the ledger's reversal, the invoice's credited status)
//! on a day after the invoice's due date, in date order.

use anyhow::Result;
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use ruche_domain::Language;
use ruche_domain::invoicing::{DocumentKind, InvoiceStatus, LineInput, VatCategory};
use ruche_store::dunning::AGE_BUCKETS;
use ruche_store::invoices::{DraftInvoice, InvoiceRecord};
use ruche_store::{AuditContext, PageRequest, Store};
use rust_decimal::Decimal;

use super::people::Coop;
use super::scale::scaled;
use super::{Progress, Summary, set_clock};

/// Credit notes issued in the year at scale 1.
pub const CREDIT_NOTES: i64 = 1_000;

/// The invoices of the year in one of `statuses`, due on or before `due_by`, by id. Read from the
/// overdue invoices the dunning pages list (every age bucket on the day after `due_by`,
/// by the open invoices' due-date index), then each one's record: the invoice list's
/// filters would read the whole year's invoices for every page.
pub(super) async fn open_invoices(
    store: &Store,
    year: i16,
    statuses: &[InvoiceStatus],
    due_by: Date,
) -> Result<Vec<InvoiceRecord>> {
    let as_of = due_by.checked_add(1.day())?;
    let year_prefix = format!("{year:04}-");
    let mut out = Vec::new();
    for bucket in 0..AGE_BUCKETS.len() {
        for page in 1..=100_000 {
            let p = store
                .overdue_invoices(
                    as_of,
                    bucket,
                    PageRequest::new(page, PageRequest::MAX_PER_PAGE),
                )
                .await?;
            let pages = p.pages();
            for overdue in p.items {
                let invoice = store.invoice(overdue.id).await?;
                let of_year = invoice
                    .issue_date
                    .as_deref()
                    .is_some_and(|d| d.starts_with(&year_prefix));
                if of_year && statuses.contains(&invoice.status()?) {
                    out.push(invoice);
                }
            }
            if page >= pages {
                break;
            }
        }
    }
    out.sort_unstable_by_key(|i| i.id);
    Ok(out)
}

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    coop: &Coop,
    scale: f64,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<()> {
    let year = coop.year;
    let year_end = Date::new(year, 12, 31)?;
    // Overdue by a month at least by the year's end, nothing paid.
    let mut pool = open_invoices(
        store,
        year,
        &[InvoiceStatus::Issued],
        year_end.checked_sub(30.days())?,
    )
    .await?;
    pool.retain(|i| i.paid_cents == 0 && i.credited_cents == 0);
    pool.shuffle(rng);
    let n = usize::try_from(scaled(CREDIT_NOTES, scale, 1))?.min(pool.len());
    progress.phase("credit notes", u64::try_from(n)?);
    let mut plan: Vec<(Date, InvoiceRecord, bool)> = Vec::with_capacity(n);
    for invoice in pool.into_iter().take(n) {
        let due: Date = invoice.due_date.as_deref().unwrap_or_default().parse()?;
        let on = due
            .checked_add(rng.random_range(1..=25).days())?
            .min(year_end);
        plan.push((on, invoice, rng.random_bool(0.5)));
    }
    // Issued in date order: the series' numbers follow the dates.
    plan.sort_by_key(|(on, i, _)| (*on, i.id));
    let ctx = AuditContext::system();
    for (on, invoice, full) in plan {
        let net = if full {
            invoice.tax_exclusive_cents
        } else {
            invoice.tax_exclusive_cents * 3 / 10
        };
        let draft = DraftInvoice {
            kind: DocumentKind::CreditNote,
            activity_id: invoice.activity_id,
            client_id: invoice.client_id,
            entity_id: invoice.entity_id,
            quote_id: None,
            corrects_invoice_id: Some(invoice.id),
            due_days: 30,
            language: Language::parse(&invoice.language).unwrap_or(Language::Fr),
            order_reference: invoice.number.clone(),
            note: Some(if full {
                "Annulation de la facture, contestée par le client.".into()
            } else {
                "Remise accordée après réclamation du client.".into()
            }),
            // The sales phase's invoices have one line at 21 %: the credit mirrors it.
            lines: vec![LineInput {
                description: if full {
                    "Annulation de la prestation"
                } else {
                    "Remise sur la prestation"
                }
                .into(),
                quantity: Decimal::ONE,
                unit: "LS".into(),
                unit_price: Decimal::new(net, 2),
                vat_category: VatCategory::S,
                vat_rate_bp: 2100,
            }],
        };
        set_clock(on, 10)?;
        let note = store.save_invoice_draft(&ctx, None, &draft).await?;
        let issued = store.issue_invoice(&ctx, note.id, on).await?;
        summary.credit_notes += 1;
        summary.credited_cents += issued.record.tax_exclusive_cents;
        if full {
            summary.credit_notes_full += 1;
        }
        progress.advance(1);
    }
    progress.finish("credit notes");
    Ok(())
}
