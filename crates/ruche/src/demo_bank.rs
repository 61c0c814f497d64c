//! The demo's bank: two statements of the cooperative's account imported through the same
//! import as the accountants' page, so that the queue has something to work on — invoices
//! paid by their structured communication and by their number, a partial payment, and
//! movements waiting with suggestions (an exact amount without reference, an OGM with a
//! wrong check digit, bank charges).

use anyhow::{Context, Result};
use jiff::civil::Date;
use ruche_domain::invoicing::InvoiceStatus;
use ruche_store::invoices::{InvoiceFilter, InvoiceRecord};
use ruche_store::{AuditContext, PageRequest, Store};

use crate::camt_gen::{self, Entry};

const PAYER: &str = "BE71096123456769";

fn credit(reference: &str, cents: i64, name: &str, remittance: String) -> Entry {
    Entry {
        reference: reference.into(),
        cents,
        name: name.into(),
        iban: PAYER.into(),
        remittance,
    }
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store.bank_imports(PageRequest::new(1, 1)).await?.total > 0 {
        return Ok(());
    }
    let entities = store.legal_entities(PageRequest::new(1, 1)).await?.items;
    let entity = entities.first().context("no legal entity")?;
    let filter = InvoiceFilter {
        status: Some(InvoiceStatus::Issued),
        ..InvoiceFilter::default()
    };
    let open: Vec<InvoiceRecord> = store
        .invoices(&filter, PageRequest::new(1, 200))
        .await?
        .items
        .into_iter()
        .filter(|i| i.entity_id == entity.id && i.kind == "invoice")
        .collect();
    // Oldest first: the newest open invoices stay open for the reminders and the journeys.
    let mut open = open;
    open.sort_by_key(|i| i.id);
    let [a, b, c, d, ..] = open.as_slice() else {
        return Ok(());
    };
    let ogm = |i: &InvoiceRecord| i.structured_communication.clone().unwrap_or_default();
    let number = |i: &InvoiceRecord| i.number.clone().unwrap_or_default();
    let yesterday = today.checked_sub(jiff::Span::new().days(1))?;
    let first = [
        credit(
            "DEMO-0001",
            a.tax_inclusive_cents,
            "Client A",
            camt_gen::ogm_remittance(&ogm(a)),
        ),
        credit(
            "DEMO-0002",
            b.tax_inclusive_cents,
            "Client B",
            camt_gen::text_remittance(&format!("Facture {} merci", number(b))),
        ),
        credit(
            "DEMO-0003",
            c.tax_inclusive_cents / 2,
            "Client C",
            camt_gen::ogm_remittance(&ogm(c)),
        ),
    ];
    let second = [
        credit(
            "DEMO-0004",
            d.tax_inclusive_cents,
            "Client D",
            camt_gen::text_remittance("Paiement prestation"),
        ),
        credit(
            "DEMO-0005",
            25_000,
            "Inconnu",
            camt_gen::text_remittance("+++112/4554/46812+++"),
        ),
        Entry {
            reference: "DEMO-0006".into(),
            cents: -1250,
            name: "Banque".into(),
            iban: PAYER.into(),
            remittance: camt_gen::text_remittance("Frais de tenue de compte"),
        },
    ];
    let iban = entity.iban.replace(' ', "");
    let ctx = AuditContext::system();
    for (sequence, on, entries) in [(41, yesterday, &first[..]), (42, today, &second[..])] {
        let xml = camt_gen::statement(&iban, sequence, on, entries);
        let file = ruche_formats::statement::read(&format!("demo-{sequence}.xml"), xml.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        store.import_statement_file(&ctx, &file).await?;
    }
    Ok(())
}
