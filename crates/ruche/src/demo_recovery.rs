//! The demo's debt recovery: one overdue invoice of Studio Lumen (held by the demo member)
//! in recovery, past its formal notice, with a call and a promise to pay; and one older
//! overdue invoice taken to the bailiff and written off, the loss charged to the guarantee
//! fund. Written through the domain's parser and the store, as the pages do.

use anyhow::Result;
use jiff::civil::Date;
use ruche_domain::invoicing::{DocumentKind, InvoiceStatus};
use ruche_domain::recovery::{EntryDocument, EntryForm};
use ruche_store::invoices::{InvoiceFilter, InvoiceRecord};
use ruche_store::{AuditContext, PageRequest, Store};

/// Seeds the cases once: nothing is written when a recovery case exists already.
pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store
        .recovery_cases(None, PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let day = |n: i64| today.checked_sub(jiff::Span::new().days(n));
    let mut open = overdue(store, day(40)?).await?;
    // Studio Lumen's first (the demo member holds it), then the others.
    open.sort_by_key(|i| (i.activity_id != 1, i.due_date.clone(), i.id));
    let mut picked = open.into_iter();
    if let Some(invoice) = picked.next() {
        store
            .open_recovery(
                &ctx,
                invoice.id,
                day(25)?,
                Some("3 rappels sans réponse"),
                &[],
            )
            .await?;
        let notice = EntryForm {
            kind: "formal-notice".into(),
            on: day(18)?.to_string(),
            cost: "12,50".into(),
            text: "Mise en demeure recommandée".into(),
            ..Default::default()
        };
        let mut notice = parse(&notice)?;
        notice.document = Some(EntryDocument {
            filename: "mise-en-demeure.txt".into(),
            content_type: "text/plain".into(),
            bytes: format!(
                "Mise en demeure — facture {}\nMontant dû : {}\n",
                invoice.number.clone().unwrap_or_default(),
                ruche_domain::format::money(invoice.due_cents())
            )
            .into_bytes(),
        });
        let entries = [
            parse(&form("no-objection", day(20)?, ""))?,
            notice,
            parse(&form("call", day(10)?, "Le client reconnaît la dette"))?,
            parse(&EntryForm {
                promised_on: today.checked_add(jiff::Span::new().days(14))?.to_string(),
                ..form("promise-to-pay", day(9)?, "Paiement promis par téléphone")
            })?,
        ];
        for entry in &entries {
            store.record_recovery_entry(&ctx, invoice.id, entry).await?;
        }
    }
    let old_enough = day(70)?.to_string();
    if let Some(invoice) = picked.find(|i| i.due_date.as_deref() <= Some(old_enough.as_str())) {
        store
            .open_recovery(&ctx, invoice.id, day(62)?, None, &[])
            .await?;
        let entries = [
            parse(&form("consultation-expired", day(50)?, ""))?,
            parse(&form("formal-notice", day(48)?, ""))?,
            parse(&EntryForm {
                cost: "185,00".into(),
                ..form("bailiff", day(30)?, "Signification par huissier")
            })?,
            parse(&form(
                "write-off",
                day(5)?,
                "Client en faillite : rien à saisir",
            ))?,
        ];
        for entry in &entries {
            store.record_recovery_entry(&ctx, invoice.id, entry).await?;
        }
    }
    Ok(())
}

fn form(kind: &str, on: Date, text: &str) -> EntryForm {
    EntryForm {
        kind: kind.into(),
        on: on.to_string(),
        text: text.into(),
        ..Default::default()
    }
}

fn parse(form: &EntryForm) -> Result<ruche_domain::recovery::NewEntry> {
    form.parse()
        .map_err(|e| anyhow::anyhow!("demo recovery entry: {e}"))
}

/// The open invoices due on or before `due_by`.
async fn overdue(store: &Store, due_by: Date) -> Result<Vec<InvoiceRecord>> {
    let mut out = Vec::new();
    for status in [InvoiceStatus::Issued, InvoiceStatus::PartiallyPaid] {
        let filter = InvoiceFilter {
            status: Some(status),
            kind: Some(DocumentKind::Invoice),
            ..Default::default()
        };
        let page = store
            .invoices(&filter, PageRequest::new(1, PageRequest::MAX_PER_PAGE))
            .await?;
        out.extend(
            page.items
                .into_iter()
                .filter(|i| i.due_date.as_deref() <= Some(due_by.to_string().as_str())),
        );
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_entry_parses_like_a_form() {
        let on = jiff::civil::date(2026, 11, 1);
        for kind in [
            "no-objection",
            "formal-notice",
            "call",
            "consultation-expired",
            "write-off",
        ] {
            assert!(parse(&form(kind, on, "x")).is_ok(), "{kind}");
        }
        let bailiff = EntryForm {
            cost: "185,00".into(),
            ..form("bailiff", on, "")
        };
        assert_eq!(parse(&bailiff).unwrap().cost_cents, Some(18_500));
    }
}
