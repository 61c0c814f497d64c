//! Demo 0 % loans (C8): loans in every state (submitted, with an opinion, approved,
//! refused, being repaid, in arrears in two buckets, rescheduled, repaid early, written off)
//! over several past years, for membre@, lid@ and other members. Skipped when loans exist.

use anyhow::{Result, anyhow};
use jiff::ToSpan;
use jiff::civil::Date;
use ruche_domain::loans::{
    Decision, DisburseTo, Disbursement, LoanPurpose, NewLoanApplication, Opinion, Repayment,
    Rescheduling, WriteOff, loan_params_on,
};
use ruche_store::activities::ActivityFilter;
use ruche_store::loans::{LoanFilter, LoanRecord};
use ruche_store::{AuditContext, PageRequest, Store};

fn as_account(id: Option<i64>) -> AuditContext {
    AuditContext {
        actor_account_id: id,
        ip: None,
    }
}

async fn account(store: &Store, email: &str) -> Result<Option<(i64, i64)>> {
    Ok(store
        .account_by_email(email)
        .await?
        .map(|a| (a.id, a.person_id)))
}

/// The first activity `person` holds.
async fn held(store: &Store, person: i64) -> Result<Option<i64>> {
    let list = store
        .activities(
            &ActivityFilter {
                holder: Some(person),
                ..Default::default()
            },
            PageRequest::new(1, 1),
        )
        .await?;
    Ok(list.items.first().map(|a| a.id))
}

struct Actors {
    advisor: AuditContext,
    board: AuditContext,
    treasury: AuditContext,
}

/// One applicant: (activity, person, account).
type Applicant = (i64, i64, Option<i64>);

#[derive(Clone, Copy, PartialEq)]
enum Stop {
    Submitted,
    Reviewed,
    Approved,
    Refused,
    Active,
}

#[allow(clippy::too_many_arguments)]
async fn loan(
    store: &Store,
    a: &Actors,
    who: Applicant,
    purpose: LoanPurpose,
    cents: i64,
    n: u32,
    applied_on: Date,
    stop: Stop,
) -> Result<LoanRecord> {
    let params = loan_params_on(applied_on)?;
    let (activity_id, person, account_id) = who;
    let new = NewLoanApplication {
        activity_id,
        purpose,
        principal_cents: cents,
        instalments: n,
        justification: "Devis joint ; besoin chiffré pour développer l'activité.".into(),
        criteria: params.criteria.iter().take(3).cloned().collect(),
        params_version: params.version(),
    };
    let l = store
        .apply_for_loan(&as_account(account_id), person, &new, applied_on, &[])
        .await?;
    if stop == Stop::Submitted {
        return Ok(l);
    }
    let opinion = Opinion {
        favourable: stop != Stop::Refused,
        text: if stop == Stop::Refused {
            "Les rentrées prévues ne couvrent pas les échéances.".into()
        } else {
            "Projet solide, devis cohérents.".into()
        },
        criteria_confirmed: params.criteria.iter().take(2).cloned().collect(),
    };
    let l = store.give_loan_opinion(&a.advisor, l.id, &opinion).await?;
    if stop == Stop::Reviewed {
        return Ok(l);
    }
    let decided_on = applied_on.checked_add(10.days())?;
    let decision = if stop == Stop::Refused {
        Decision::Refuse {
            reason: "Capacité de remboursement insuffisante".into(),
        }
    } else {
        Decision::Approve {
            conditions: Some("Sur présentation de la facture".into()),
        }
    };
    let l = store
        .decide_loan(&a.board, l.id, &decision, decided_on)
        .await?;
    if stop != Stop::Active {
        return Ok(l);
    }
    let disbursed_on = decided_on.checked_add(5.days())?;
    let to = if purpose == LoanPurpose::Equipment {
        DisburseTo::Supplier {
            name: "Matériel Pro SRL".into(),
            iban: "BE71096123456769".into(),
        }
    } else {
        DisburseTo::Budget
    };
    Ok(store
        .disburse_loan(
            &a.treasury,
            l.id,
            &Disbursement {
                to,
                disbursed_on,
                first_due_on: disbursed_on.checked_add(1.month())?,
            },
        )
        .await?)
}

/// Transfers paying the instalments due up to `until`.
async fn repay_until(store: &Store, a: &Actors, l: &LoanRecord, until: Date) -> Result<()> {
    for i in store.loan_instalments(l.id).await? {
        let due: Date = i.due_on.parse()?;
        if i.status == "open" && due <= until {
            store
                .record_loan_transfer(
                    &a.treasury,
                    l.id,
                    &Repayment {
                        amount_cents: i.remaining_cents(),
                        on: due,
                    },
                )
                .await?;
        }
    }
    Ok(())
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store
        .loans(&LoanFilter::default(), PageRequest::new(1, 1))
        .await?
        .total
        > 0
    {
        return Ok(());
    }
    let need = |o: Option<(i64, i64)>, who: &str| o.ok_or_else(|| anyhow!("demo account {who}"));
    let advisor = need(
        account(store, "conseiller@demo.ruche.coop").await?,
        "conseiller@",
    )?;
    let board = need(account(store, "ca@demo.ruche.coop").await?, "ca@")?;
    let treasury = need(
        account(store, "comptable@demo.ruche.coop").await?,
        "comptable@",
    )?;
    let a = Actors {
        advisor: as_account(Some(advisor.0)),
        board: as_account(Some(board.0)),
        treasury: as_account(Some(treasury.0)),
    };
    let mut applicants: Vec<Applicant> = Vec::new();
    for email in ["membre@demo.ruche.coop", "lid@demo.ruche.coop"] {
        if let Some((acc, person)) = account(store, email).await?
            && let Some(activity) = held(store, person).await?
        {
            applicants.push((activity, person, Some(acc)));
        }
    }
    // Other members: the holders of the first activities of the demo.
    let others = store
        .activities(&ActivityFilter::default(), PageRequest::new(1, 60))
        .await?;
    for act in &others.items {
        if applicants.len() >= 14 {
            break;
        }
        if applicants.iter().any(|(id, _, _)| *id == act.id) {
            continue;
        }
        if let Some(h) = store.activity_holders(act.id).await?.first()
            && !applicants.iter().any(|(_, p, _)| *p == h.person_id)
        {
            applicants.push((act.id, h.person_id, None));
        }
    }
    if applicants.len() < 6 {
        return Ok(());
    }
    let at = |days: i64| today.checked_sub(days.days());
    let who = |i: usize| applicants[i % applicants.len()];
    use LoanPurpose as P;

    // Past years: loans granted and repaid early (they fill the portfolio per year).
    let amounts = [
        180_000, 350_000, 420_000, 489_714, 520_000, 650_000, 275_000,
    ];
    for back in (2..=6i64).rev() {
        for k in 0..(3 + back as usize % 3) {
            let applied = today.checked_sub((back * 365 - 30 * k as i64).days())?;
            let l = loan(
                store,
                &a,
                who(2 + k + back as usize),
                P::Goods,
                amounts[(k + back as usize) % amounts.len()],
                12,
                applied,
                Stop::Active,
            )
            .await?;
            let on = applied.checked_add(200.days())?;
            repay_until(store, &a, &l, on).await?;
            let left = store.loan(l.id).await?.outstanding_cents;
            if left > 0 {
                store
                    .record_loan_transfer(
                        &a.treasury,
                        l.id,
                        &Repayment {
                            amount_cents: left,
                            on,
                        },
                    )
                    .await?;
            }
        }
    }

    // membre@: a loan being repaid (5 instalments paid), then a new application.
    let repaid = loan(
        store,
        &a,
        who(0),
        P::Training,
        300_000,
        24,
        at(250)?,
        Stop::Active,
    )
    .await?;
    repay_until(store, &a, &repaid, today).await?;
    // lid@: a rescheduled loan.
    let r = loan(
        store,
        &a,
        who(1),
        P::Goods,
        500_000,
        24,
        at(400)?,
        Stop::Active,
    )
    .await?;
    repay_until(store, &a, &r, at(200)?).await?;
    store
        .reschedule_loan(
            &a.treasury,
            r.id,
            &Rescheduling {
                instalments: 30,
                first_due_on: today.checked_add(15.days())?,
            },
        )
        .await?;
    // In arrears: 31–60 days and 91–180 days.
    loan(
        store,
        &a,
        who(2),
        P::CashAdvance,
        150_000,
        12,
        at(85)?,
        Stop::Active,
    )
    .await?;
    loan(
        store,
        &a,
        who(3),
        P::Equipment,
        489_714,
        24,
        at(145)?,
        Stop::Active,
    )
    .await?;
    // Repaid early.
    let early = loan(
        store,
        &a,
        who(4),
        P::Goods,
        200_000,
        12,
        at(120)?,
        Stop::Active,
    )
    .await?;
    store
        .repay_loan_early(
            &a.treasury,
            early.id,
            &Repayment {
                amount_cents: 200_000,
                on: at(30)?,
            },
        )
        .await?;
    // Written off last year.
    let lost = loan(
        store,
        &a,
        who(5),
        P::Equipment,
        350_000,
        24,
        at(700)?,
        Stop::Active,
    )
    .await?;
    repay_until(store, &a, &lost, at(500)?).await?;
    store
        .write_off_loan(
            &a.treasury,
            lost.id,
            &WriteOff {
                reason: "Activité arrêtée, membre insolvable".into(),
                on: at(320)?,
            },
        )
        .await?;
    // Applications in progress.
    loan(
        store,
        &a,
        who(6),
        P::Goods,
        250_000,
        18,
        at(20)?,
        Stop::Approved,
    )
    .await?;
    loan(
        store,
        &a,
        who(7),
        P::Other,
        900_000,
        36,
        at(25)?,
        Stop::Refused,
    )
    .await?;
    loan(
        store,
        &a,
        who(1),
        P::Training,
        120_000,
        12,
        at(6)?,
        Stop::Reviewed,
    )
    .await?;
    loan(
        store,
        &a,
        who(9),
        P::Equipment,
        500_000,
        24,
        at(3)?,
        Stop::Submitted,
    )
    .await?;
    // The arrears reminders of today.
    store
        .run_loan_reminders(&AuditContext::system(), today)
        .await?;
    Ok(())
}
