//! The demo's expense claims: on an active activity of a named member of the Brussels office
//! (so that the demo advisor of that office decides them), one mileage claim waiting for the
//! advisor, one expense approved (paid from the budget, its transfer among the accountant's
//! pending payouts) and one refused with its reason. Written through the domain's form parser
//! and the store, like the pages do.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use ruche_domain::activity::ActivityStatus;
use ruche_domain::expense::{ExpenseForm, Filing, NewExpenseClaim};
use ruche_domain::mileage::mileage_table;
use ruche_store::activities::ActivityFilter;
use ruche_store::expenses::ExpenseFilter;
use ruche_store::persons::PersonRecord;
use ruche_store::{AuditContext, PageRequest, Store};

/// The named demo member whose activity gets the claims (`ca@…`, Brussels office).
const CLAIMANT_LOCAL_PART: &str = "ca@";

/// Files the claims once: nothing is written when expense claims exist already, or when the
/// demo has no active activity held by the named member.
pub async fn demo_expenses(store: &Store, today: Date) -> Result<()> {
    if store
        .expense_claims(&ExpenseFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let Some((person, activity)) = claimant_and_activity(store).await? else {
        return Ok(());
    };
    let ctx = AuditContext::system();
    let name = person.full_name();
    let filing = |activity_id| Filing {
        activity_id,
        claimant: person.claimant(&name),
        receipt: None,
        submitted_on: today,
    };
    let parse = |form: ExpenseForm| -> Result<NewExpenseClaim> {
        form.parse(&filing(activity))
            .map_err(|e| anyhow!("demo expense claim: {e}"))
    };
    // The directory's IBAN, or one typed when the person has none.
    let iban = if person.iban.is_some() {
        ""
    } else {
        "BE71 0961 2345 6769"
    };
    let forms = forms(today, iban);
    // A trip waiting for the advisor.
    if let Some(trip) = forms.trip {
        store.file_expense_claim(&ctx, &parse(trip)?).await?;
    }
    // Approved when the budget covers it (below the receipt threshold: no file to keep).
    let parking = parse(forms.approved)?;
    let filed = store.file_expense_claim(&ctx, &parking).await?;
    if store.available_budget(activity).await? >= parking.amount_cents {
        store
            .approve_expense_claim(&ctx, filed.id, None, today)
            .await?;
    }
    // Refused, with the reason the member reads.
    let filed = store
        .file_expense_claim(&ctx, &parse(forms.refused)?)
        .await?;
    store
        .refuse_expense_claim(
            &ctx,
            filed.id,
            "Les repas d'équipe ne sont pas remboursés sans lien avec une prestation.",
        )
        .await?;
    Ok(())
}

/// The demo's claims, as the form would carry them.
struct Forms {
    /// `None` when the kilometre table has no known rate before `today`.
    trip: Option<ExpenseForm>,
    approved: ExpenseForm,
    refused: ExpenseForm,
}

fn forms(today: Date, iban: &str) -> Forms {
    let purchase = |description: &str, category: &str, amount: &str, days_ago: i32| ExpenseForm {
        expense_kind: "reimbursement".into(),
        expense_category: category.into(),
        expense_description: description.into(),
        expense_spent_on: today
            .checked_sub(days_ago.days())
            .unwrap_or(today)
            .to_string(),
        expense_amount: amount.into(),
        iban: iban.into(),
        ..ExpenseForm::default()
    };
    Forms {
        trip: trip_day(today).map(|day| ExpenseForm {
            expense_kind: "mileage".into(),
            expense_description: "Répétition au centre culturel".into(),
            expense_spent_on: day.to_string(),
            expense_from: "Bruxelles".into(),
            expense_to: "Namur".into(),
            expense_km: "64".into(),
            expense_round_trip: "1".into(),
            iban: iban.into(),
            ..ExpenseForm::default()
        }),
        approved: purchase("Parking pour le concert", "travel", "18,40", 6),
        refused: purchase("Repas d'équipe", "meals", "12,00", 3),
    }
}

/// The named member and their first active activity.
async fn claimant_and_activity(store: &Store) -> Result<Option<(PersonRecord, i64)>> {
    let accounts = store
        .accounts(
            Some(CLAIMANT_LOCAL_PART),
            None,
            PageRequest::new(1, PageRequest::MAX_PER_PAGE),
        )
        .await?
        .items;
    let Some(account) = accounts
        .iter()
        .find(|a| a.email.starts_with(CLAIMANT_LOCAL_PART))
    else {
        return Ok(None);
    };
    let person = store.person(account.person_id).await?;
    let held = store
        .activities(
            &ActivityFilter {
                holder: Some(person.id),
                status: Some(ActivityStatus::Active),
                ..ActivityFilter::default()
            },
            PageRequest::new(1, 10),
        )
        .await?
        .items;
    let activity = held.iter().map(|a| a.id).min();
    Ok(activity.map(|id| (person, id)))
}

/// A weekday of the last quarter the kilometre table covers, at most `today`, whose rate is
/// known; `None` when the table has none.
fn trip_day(today: Date) -> Option<Date> {
    let table = mileage_table().ok()?;
    let (_, last) = table.covered();
    let mut day = last.min(today).checked_sub(10.days()).ok()?;
    for _ in 0..120 {
        if table.cooperative_rate_on(day).is_ok() {
            return Some(day);
        }
        day = day.yesterday().ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;
    use ruche_domain::expense::Claimant;

    use super::*;

    #[test]
    fn the_demo_trip_falls_on_a_day_with_a_known_rate() {
        let day = trip_day(date(2026, 11, 26)).unwrap();
        assert_eq!(day, date(2026, 3, 21));
        assert!(mileage_table().unwrap().cooperative_rate_on(day).is_ok());
        // Early in a quarter still known, the trip stays before today.
        assert_eq!(trip_day(date(2026, 2, 15)).unwrap(), date(2026, 2, 5));
    }

    #[test]
    fn every_demo_claim_parses_like_a_form() {
        let today = date(2026, 11, 26);
        let filing = Filing {
            activity_id: 1,
            claimant: Claimant {
                person_id: 1,
                name: "Marc Renard",
                iban: Some("BE71 0961 2345 6769"),
                street: "Rue Haute 1",
                postcode: "1000",
                city: "Bruxelles",
                country: "BE",
            },
            receipt: None,
            submitted_on: today,
        };
        let forms = forms(today, "");
        let trip = forms.trip.unwrap().parse(&filing).unwrap();
        // 128 km at the rate of the first quarter of 2026 (0,4326 €/km).
        assert_eq!(trip.amount_cents, 5537);
        for form in [forms.approved, forms.refused] {
            assert!(form.parse(&filing).is_ok(), "{form:?}");
        }
    }
}
