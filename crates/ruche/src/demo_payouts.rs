//! The demo's payout orders: a few pending orders of the cooperative (a salary, an expense
//! reimbursement, a refund of an over-payment) so that the treasury page has something to put
//! in a SEPA file. Written through the domain's parser and the store, like the API does.

use anyhow::{Context, Result};
use jiff::civil::Date;
use ruche_domain::payout::PayoutRequest;
use ruche_store::payouts::PayoutFilter;
use ruche_store::{AuditContext, PageRequest, Store};

/// Seeds the orders once: nothing is written when payout orders exist already.
pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store
        .payouts(&PayoutFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let entities = store.legal_entities(PageRequest::new(1, 10)).await?.items;
    let cooperative = entities.first().map(|e| e.id).context("no legal entity")?;
    let ctx = AuditContext::system();
    for request in orders(cooperative, today) {
        let new = request
            .parse()
            .map_err(|e| anyhow::anyhow!("demo payout: {e}"))?;
        store.create_payout(&ctx, &new).await?;
    }
    Ok(())
}

/// The orders, as the API would receive them.
fn orders(entity_id: i64, today: Date) -> Vec<PayoutRequest> {
    let on = today.to_string();
    let order =
        |kind: &str, name: &str, iban: &str, town: &str, cents: i64, text: &str| PayoutRequest {
            kind: kind.into(),
            entity_id,
            beneficiary_name: name.into(),
            iban: iban.into(),
            town: town.into(),
            country: "BE".into(),
            amount_cents: cents,
            remittance: Some(text.into()),
            requested_on: on.clone(),
            ..PayoutRequest::default()
        };
    vec![
        PayoutRequest {
            street: Some("Rue de la Régence".into()),
            building_number: Some("14".into()),
            postcode: Some("4000".into()),
            ..order(
                "expense",
                "Hélène Dubois",
                "BE71 0961 2345 6769",
                "Liège",
                12_480,
                "Remboursement de frais — train Liège-Bruxelles",
            )
        },
        PayoutRequest {
            street: Some("Korenmarkt".into()),
            building_number: Some("3".into()),
            postcode: Some("9000".into()),
            ..order(
                "refund",
                "Théâtre de la Cité SRL",
                "BE62 5100 0754 7061",
                "Gent",
                25_000,
                "Remboursement trop-perçu",
            )
        },
        order(
            "salary",
            "Jan Peeters",
            "BE48 0011 2345 6727",
            "Antwerpen",
            185_000,
            "Loon november",
        ),
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;

    use super::*;

    #[test]
    fn every_demo_order_parses_like_an_api_request() {
        for request in orders(1, date(2026, 11, 26)) {
            let parsed = request.parse();
            assert!(
                parsed.is_ok(),
                "{:?}: {:?}",
                request.beneficiary_name,
                parsed.err()
            );
        }
    }
}
