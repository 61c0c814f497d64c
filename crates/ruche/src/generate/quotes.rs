//! Quotes (C3), through the quotes store as demo_sales.rs does: 3,000 at scale 1 (at least
//! 4) written by members for their clients during the year, 30 days valid. 5 % stay drafts;
//! the others are sent (numbered, the client's link e-mailed) and the client answers
//! through the link a few days later: 55 % accept (the order confirmation), 20 % decline,
//! 20 % never answer and expire. Accepted quotes are not turned into invoices here: the
//! year's invoices (their number and total are the scale rule) are the sales phase's.

use anyhow::{Context, Result};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::invoicing::{LineInput, VatCategory};
use ruche_store::quotes::{QuoteDraft, QuoteMail};
use ruche_store::{AuditContext, Store};
use ruche_web::auth::hash_token;
use rust_decimal::Decimal;

use super::people::Coop;
use super::scale::scaled;
use super::{Progress, Summary, day_of, days_in, set_clock};

/// Quotes written in the year at scale 1.
pub const QUOTES: i64 = 3_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    Draft,
    Accept,
    Decline,
    None,
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
    let days = days_in(year);
    let year_end = Date::new(year, 12, 31)?;
    let n = scaled(QUOTES, scale, 4);
    progress.phase("quotes", u64::try_from(n)?);
    let mut plan = Vec::with_capacity(usize::try_from(n)?);
    for _ in 0..n {
        let member = rng.random_range(0..coop.members.len());
        let day = day_of(year, rng.random_range(coop.members[member].from_day..days))?;
        let roll: f64 = rng.random();
        let answer = if roll < 0.05 {
            Answer::Draft
        } else if roll < 0.60 {
            Answer::Accept
        } else if roll < 0.80 {
            Answer::Decline
        } else {
            Answer::None
        };
        let client = rng.random_range(0..coop.clients.len());
        let cents: i64 = rng.random_range(20_000..=500_000);
        let after: i64 = rng.random_range(1..=20);
        let token = format!("{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>());
        plan.push((day, member, client, cents, answer, after, token));
    }
    // Sent in date order: the quotes' numbers follow the dates.
    plan.sort_by_key(|p| (p.0, p.1));
    let mut answers: Vec<(Date, String, Answer)> = Vec::new();
    for (day, member, client, cents, answer, after, token) in plan {
        let m = &coop.members[member];
        let (client_id, _) = coop.clients[client];
        let draft = QuoteDraft {
            client_id,
            title: format!("Devis de prestation {year}"),
            valid_until: day.checked_add(30.days())?,
            language: None,
            note: None,
            lines: vec![LineInput {
                description: "Prestation selon le cahier des charges".into(),
                quantity: Decimal::ONE,
                unit: "LS".into(),
                unit_price: Decimal::new(cents, 2),
                vat_category: VatCategory::S,
                vat_rate_bp: 2100,
            }],
        };
        set_clock(day, 10)?;
        let as_member = AuditContext::account(m.account_id, None);
        let quote = store
            .create_quote(&as_member, m.activity_id, &draft, day)
            .await
            .with_context(|| format!("a quote on {day}"))?;
        summary.quotes += 1;
        progress.advance(1);
        if answer == Answer::Draft {
            continue;
        }
        let hash = hash_token(&token);
        set_clock(day, 11)?;
        store
            .send_quote(&as_member, quote.id, &hash, day, |q, c| QuoteMail {
                subject: format!("Devis {}", q.number.clone().unwrap_or_default()),
                body: format!("Bonjour {},\n\nVotre devis : /q/{token}\n", c.name),
            })
            .await
            .with_context(|| format!("sending a quote on {day}"))?;
        summary.quotes_sent += 1;
        let on = day.checked_add(after.days())?;
        if answer != Answer::None && on <= year_end {
            answers.push((on, hash, answer));
        }
    }
    answers.sort_by_key(|a| a.0);
    for (on, hash, answer) in answers {
        set_clock(on, 16)?;
        if answer == Answer::Accept {
            store
                .accept_quote(&hash, "Le client", None, on)
                .await
                .with_context(|| format!("accepting a quote on {on}"))?;
            summary.quotes_accepted += 1;
        } else {
            store
                .decline_quote(&hash, Some("Budget reporté"), None, on)
                .await?;
            summary.quotes_declined += 1;
        }
    }
    progress.finish("quotes");
    Ok(())
}
