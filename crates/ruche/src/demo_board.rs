//! The demo's board, written through the store like the pages do: seven directors (the
//! board member of the named logins in the chair), one of whom resigned in 2023 and was
//! replaced; eight board meetings a year with their attendance; the attendance fee of €50
//! per meeting when a general assembly decided one, the fees paid each December (one
//! director was paid €100 too much in 2023, so the check has something to show); and the
//! allocation of the results of 2020 to 2025 by the June assemblies, without dividend
//! (purpose reserve and carried forward).
//!
//! Mandates rest on the June assemblies' adopted appointment resolutions when the demo's
//! assemblies have some, on the statutes otherwise (a co-optation when neither exists).

use anyhow::Result;
use jiff::civil::{Date, date};
use ruche_domain::governance::board::{
    AllowanceBasis, AllowanceKind, AppointedBy, EndReason, MandateRole, NewAllowance,
    NewDirectorPayment, NewMandate, NewMeeting, PaymentKind,
};
use ruche_domain::governance::distribution::{Line, LineKind, NewAppropriation};
use ruche_store::board::ResolutionChoice;
use ruche_store::persons::PersonFilter;
use ruche_store::{AuditContext, PageRequest, Store};

/// The board's size.
const DIRECTORS: usize = 7;
/// The attendance fee the GA decided, in cents.
const FEE_CENTS: i64 = 5_000;
/// The days of the year the board meets (month, day): eight meetings.
const MEETINGS: [(i8, i8); 8] = [
    (1, 15),
    (2, 19),
    (3, 18),
    (5, 13),
    (6, 10),
    (9, 16),
    (10, 14),
    (12, 9),
];
/// The results of the financial years 2020 to 2025, in cents.
const RESULTS: [(i16, i64); 6] = [
    (2020, 1_845_000),
    (2021, 987_000),
    (2022, 2_431_000),
    (2023, 3_112_500),
    (2024, 2_764_000),
    (2025, 3_598_000),
];

/// The adopted resolution of `kind` voted by the assembly held in `year` (June).
fn voted_in(list: &[ResolutionChoice], year: i16) -> Option<i64> {
    list.iter()
        .find(|r| r.held_on.starts_with(&year.to_string()))
        .map(|r| r.id)
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if store.board_meetings(PageRequest::new(1, 1)).await?.total > 0 {
        return Ok(());
    }
    let ctx = AuditContext::system();
    let people = directors(store).await?;
    if people.len() < DIRECTORS + 1 {
        return Ok(());
    }
    let appointments = store.adopted_resolutions("appointment").await?;
    let article = store.article_choices().await?.first().map(|a| a.id);
    // Without an adopted appointment nor statutes in the demo, the board co-opted itself:
    // the pages then flag every mandate as not confirmed by a GA (CNC-4).
    let basis = |year: i16| -> AppointedBy {
        match (voted_in(&appointments, year), article) {
            (Some(r), _) => AppointedBy::Resolution(r),
            (None, Some(a)) => AppointedBy::Statutes(a),
            (None, None) => AppointedBy::Cooptation,
        }
    };
    let first = basis(2020);
    let roles = [
        MandateRole::Chair,
        MandateRole::Secretary,
        MandateRole::Treasurer,
        MandateRole::Director,
        MandateRole::Director,
        MandateRole::Director,
        MandateRole::Director,
    ];
    let start = date(2020, 6, 20);
    for (person_id, role) in people.iter().zip(roles) {
        store
            .create_mandate(
                &ctx,
                &NewMandate {
                    person_id: *person_id,
                    role,
                    starts_on: start,
                    ends_on: Some(date(2029, 6, 19)),
                    appointed_by: first,
                },
            )
            .await?;
    }
    // The last director resigned in March 2023; the June assembly appointed a successor.
    let leaving = store
        .board_on(date(2023, 3, 1))
        .await?
        .into_iter()
        .find(|m| m.person_id == people[DIRECTORS - 1]);
    if let Some(m) = leaving {
        store
            .end_mandate(&ctx, m.id, date(2023, 3, 31), EndReason::Resignation)
            .await?;
        store
            .create_mandate(
                &ctx,
                &NewMandate {
                    person_id: people[DIRECTORS],
                    role: MandateRole::Director,
                    starts_on: date(2023, 6, 20),
                    ends_on: Some(date(2029, 6, 19)),
                    appointed_by: basis(2023),
                },
            )
            .await?;
    }

    // Eight meetings a year; each director misses about one in five.
    let mut attended: Vec<(i64, i16)> = Vec::new();
    for year in 2020..=today.year() {
        for (i, (month, day)) in MEETINGS.iter().enumerate() {
            let held_on = date(year, *month, *day);
            if held_on > today || held_on < start {
                continue;
            }
            let meeting = store
                .create_board_meeting(
                    &ctx,
                    &NewMeeting {
                        held_on,
                        place: "Siège, rue Coenraets 72, Saint-Gilles".into(),
                        agenda: "Suivi des activités ; trésorerie ; admissions de membres".into(),
                        minutes: "Le conseil approuve le suivi de trésorerie et les admissions."
                            .into(),
                    },
                )
                .await?;
            let in_office = store.meeting_attendance(meeting.id).await?;
            let present: Vec<i64> = in_office
                .iter()
                .enumerate()
                .filter(|(k, _)| (k + i + usize::from(year.unsigned_abs())) % 5 != 0)
                .map(|(_, r)| r.person_id)
                .collect();
            store.set_attendance(&ctx, meeting.id, &present).await?;
            attended.extend(present.iter().map(|p| (*p, year)));
        }
    }

    // The fee the GA decided, and its payment each December (outside ruche for the past
    // years); in 2023 the treasurer was paid €100 more than the fees allowed.
    let allowances = store.adopted_resolutions("allowance").await?;
    if let Some(resolution_id) = allowances.last().map(|r| r.id) {
        store
            .create_allowance(
                &ctx,
                &NewAllowance {
                    resolution_id,
                    kind: AllowanceKind::AttendanceFee,
                    amount_cents: FEE_CENTS,
                    basis: AllowanceBasis::PerMeeting,
                    valid_from: start,
                    valid_to: None,
                },
            )
            .await?;
        for year in 2020..today.year() {
            for person_id in people.iter() {
                let meetings = attended
                    .iter()
                    .filter(|(p, y)| p == person_id && *y == year)
                    .count();
                let meetings = i64::try_from(meetings)?;
                if meetings == 0 {
                    continue;
                }
                let surplus = if year == 2023 && *person_id == people[2] {
                    10_000
                } else {
                    0
                };
                store
                    .record_director_payment(
                        &ctx,
                        &NewDirectorPayment {
                            person_id: *person_id,
                            paid_on: date(year, 12, 20),
                            amount_cents: meetings * FEE_CENTS + surplus,
                            label: format!("Jetons de présence {year}"),
                            kind: PaymentKind::AttendanceFee,
                            order_from_entity: None,
                        },
                    )
                    .await?;
            }
        }
    } else {
        // No allowance decided: the one payment of 2023 shows as without basis.
        store
            .record_director_payment(
                &ctx,
                &NewDirectorPayment {
                    person_id: people[2],
                    paid_on: date(2023, 12, 20),
                    amount_cents: 10_000,
                    label: "Frais de déplacement 2023".into(),
                    kind: PaymentKind::ExpenseAllowance,
                    order_from_entity: None,
                },
            )
            .await?;
    }

    // The allocation of each year's result by the next June assembly: no dividend.
    let appropriations = store.adopted_resolutions("appropriation").await?;
    for (year, result) in RESULTS {
        let Some(resolution_id) = voted_in(&appropriations, year + 1) else {
            continue;
        };
        let purpose = result * 6 / 10;
        store
            .record_appropriation(
                &ctx,
                &NewAppropriation {
                    financial_year: year,
                    resolution_id,
                    result_cents: result,
                    lines: vec![
                        Line {
                            kind: LineKind::PurposeReserve,
                            amount_cents: purpose,
                        },
                        Line {
                            kind: LineKind::CarriedForward,
                            amount_cents: result - purpose,
                        },
                    ],
                },
            )
            .await?;
    }
    Ok(())
}

/// Eight people for the board: the named board member first, then the register's
/// shareholders (or anyone, when the register is empty).
async fn directors(store: &Store) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    if let Some(account) = store.account_by_email("ca@demo.ruche.coop").await? {
        ids.push(account.person_id);
    }
    for h in store.holdings_at(date(2020, 6, 20), None).await? {
        if ids.len() > DIRECTORS {
            break;
        }
        if !ids.contains(&h.person_id) {
            ids.push(h.person_id);
        }
    }
    if ids.len() <= DIRECTORS {
        let people = store
            .persons(&PersonFilter::default(), PageRequest::new(1, 50))
            .await?;
        for p in people.items {
            if ids.len() > DIRECTORS {
                break;
            }
            if !ids.contains(&p.id) {
                ids.push(p.id);
            }
        }
    }
    Ok(ids)
}
