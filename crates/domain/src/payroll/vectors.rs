//! The worked vectors of reference/employment.md §2.10, every column to the cent, in both
//! directions, on each parameter year; and the boundaries between parameter sets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, date};

use super::*;

/// One row of the §2.10 table (employé, single, full time, no children, monthly), cents.
struct Vector {
    on: Date,
    gross: i64,
    onss: i64,
    bonus_a: i64,
    bonus_b: i64,
    taxable: i64,
    annual_taxable: i64,
    flat_expenses: i64,
    annual_net_taxable: i64,
    annual_tax: i64,
    before_bonus: i64,
    fiscal_bonus: i64,
    withholding: i64,
    csss: i64,
    net: i64,
}

/// The 2024 rows hold from 1 May 2024 (the indexed work bonus), the 2025 rows in January
/// 2025 (the bonus was indexed again on 1 February), the 2026 rows in January–February.
const VECTORS: [Vector; 7] = [
    Vector {
        on: date(2024, 6, 15),
        gross: 300_000,
        onss: 39_210,
        bonus_a: 5_066,
        bonus_b: 0,
        taxable: 265_856,
        annual_taxable: 3_190_272,
        flat_expenses: 575_000,
        annual_net_taxable: 2_615_272,
        annual_tax: 582_250,
        before_bonus: 48_521,
        fiscal_bonus: 1_679,
        withholding: 46_842,
        csss: 1_924,
        net: 217_090,
    },
    Vector {
        on: date(2024, 6, 15),
        gross: 250_000,
        onss: 32_675,
        bonus_a: 11_822,
        bonus_b: 6_027,
        taxable: 235_174,
        annual_taxable: 2_822_088,
        flat_expenses: 575_000,
        annual_net_taxable: 2_247_088,
        annual_tax: 424_668,
        before_bonus: 35_389,
        fiscal_bonus: 7_084,
        withholding: 28_305,
        csss: 1_374,
        net: 205_495,
    },
    Vector {
        on: date(2025, 1, 15),
        gross: 300_000,
        onss: 39_210,
        bonus_a: 5_066,
        bonus_b: 0,
        taxable: 265_856,
        annual_taxable: 3_190_272,
        flat_expenses: 593_000,
        annual_net_taxable: 2_597_272,
        annual_tax: 558_282,
        before_bonus: 46_524,
        fiscal_bonus: 1_679,
        withholding: 44_845,
        csss: 1_924,
        net: 219_087,
    },
    Vector {
        on: date(2025, 1, 15),
        gross: 250_000,
        onss: 32_675,
        bonus_a: 11_822,
        bonus_b: 6_027,
        taxable: 235_174,
        annual_taxable: 2_822_088,
        flat_expenses: 593_000,
        annual_net_taxable: 2_229_088,
        annual_tax: 400_700,
        before_bonus: 33_392,
        fiscal_bonus: 7_084,
        withholding: 26_308,
        csss: 1_374,
        net: 207_492,
    },
    Vector {
        on: date(2026, 1, 15),
        gross: 300_000,
        onss: 39_210,
        bonus_a: 7_622,
        bonus_b: 0,
        taxable: 268_412,
        annual_taxable: 3_220_944,
        flat_expenses: 607_000,
        annual_net_taxable: 2_613_944,
        annual_tax: 551_775,
        before_bonus: 45_981,
        fiscal_bonus: 2_526,
        withholding: 43_455,
        csss: 1_924,
        net: 223_033,
    },
    Vector {
        on: date(2026, 1, 15),
        gross: 250_000,
        onss: 32_675,
        bonus_a: 12_300,
        bonus_b: 8_996,
        taxable: 238_621,
        annual_taxable: 2_863_452,
        flat_expenses: 607_000,
        annual_net_taxable: 2_256_452,
        annual_tax: 398_768,
        before_bonus: 33_231,
        fiscal_bonus: 8_803,
        withholding: 24_428,
        csss: 1_374,
        net: 212_819,
    },
    Vector {
        on: date(2026, 1, 15),
        gross: 400_000,
        onss: 52_280,
        bonus_a: 0,
        bonus_b: 0,
        taxable: 347_720,
        annual_taxable: 4_172_640,
        flat_expenses: 607_000,
        annual_net_taxable: 3_565_640,
        annual_tax: 992_038,
        before_bonus: 82_670,
        fiscal_bonus: 0,
        withholding: 82_670,
        csss: 3_624,
        net: 261_426,
    },
];

fn lines(s: &Simulation) -> [i64; 14] {
    [
        s.gross_cents,
        s.employee_onss_cents,
        s.work_bonus_social_a_cents,
        s.work_bonus_social_b_cents,
        s.taxable_cents,
        s.annual_taxable_cents,
        s.flat_expenses_cents,
        s.annual_net_taxable_cents,
        s.annual_tax_cents,
        s.withholding_before_bonus_cents,
        s.work_bonus_fiscal_cents,
        s.withholding_cents,
        s.csss_cents,
        s.net_cents,
    ]
}

fn expected(v: &Vector) -> [i64; 14] {
    [
        v.gross,
        v.onss,
        v.bonus_a,
        v.bonus_b,
        v.taxable,
        v.annual_taxable,
        v.flat_expenses,
        v.annual_net_taxable,
        v.annual_tax,
        v.before_bonus,
        v.fiscal_bonus,
        v.withholding,
        v.csss,
        v.net,
    ]
}

#[test]
fn every_vector_of_the_reference_table_is_reproduced_to_the_cent() {
    for v in &VECTORS {
        let s = simulate_from_gross(v.on, &Profile::default(), v.gross).unwrap();
        assert_eq!(lines(&s), expected(v), "{} gross {}", v.on, v.gross);
        assert_eq!(s.total_net_cents, v.net);
        // The lines add up: gross − (ONSS − bonus) − withholding − CSSS = net.
        assert_eq!(
            s.gross_cents - s.employee_onss_cents
                + s.work_bonus_social_a_cents
                + s.work_bonus_social_b_cents
                - s.withholding_cents
                - s.csss_cents,
            s.net_cents
        );
    }
}

#[test]
fn the_net_of_every_vector_leads_back_to_a_gross_with_that_net() {
    for v in &VECTORS {
        let s = simulate_from_net(v.on, &Profile::default(), v.net).unwrap();
        assert_eq!(s.net_cents, v.net, "{} net {}", v.on, v.net);
        // The lowest gross paying that net: the vector's, or a few cents below it where the
        // net moves by a fraction of a cent per cent of gross (0.23 in the bonus's slope).
        assert!(
            (v.gross - 10..=v.gross).contains(&s.gross_cents),
            "{} net {} found gross {}",
            v.on,
            v.net,
            s.gross_cents
        );
        let below = simulate_from_gross(v.on, &Profile::default(), s.gross_cents - 1).unwrap();
        assert!(below.net_cents < v.net);
    }
}

#[test]
fn the_budget_of_every_vector_pays_back_its_gross() {
    for v in &VECTORS {
        let cost = simulate_from_gross(v.on, &Profile::default(), v.gross)
            .unwrap()
            .employer_cost_cents;
        let s = simulate_from_employer_cost(v.on, &Profile::default(), cost).unwrap();
        assert_eq!(s.gross_cents, v.gross, "{} budget {cost}", v.on);
        assert_eq!(s.employer_cost_cents, cost);
        assert_eq!(s.net_cents, v.net);
        // One cent more of gross would not fit.
        let more = simulate_from_gross(v.on, &Profile::default(), v.gross + 1).unwrap();
        assert!(more.employer_cost_cents > cost);
        // A budget a cent short pays a lower gross.
        let short = simulate_from_employer_cost(v.on, &Profile::default(), cost - 1).unwrap();
        assert!(short.gross_cents < v.gross);
        assert!(short.employer_cost_cents < cost);
    }
}

/// employment.md §2.10, "PP alone on a taxable €3,000 a month, single".
#[test]
fn the_withholding_alone_on_a_taxable_3000_is_the_reference_one_each_year() {
    let rows = [
        (date(2024, 6, 1), 3_025_000, 769_973, 64_164),
        (date(2025, 6, 1), 3_007_000, 740_494, 61_708),
        // "La formule-clé officielle donne 596,93" (verified).
        (date(2026, 6, 1), 2_993_000, 716_312, 59_693),
    ];
    for (on, n, annual, monthly) in rows {
        let w = &params_on(on).unwrap().withholding;
        let tax =
            withholding::key_formula(w, Family::Single, 0, rust_decimal::Decimal::new(300_000, 2));
        assert_eq!(to_cents(tax.annual_net_taxable), n, "{on}");
        assert_eq!(to_cents(tax.annual_tax), annual, "{on}");
        assert_eq!(to_cents(tax.before_bonus), monthly, "{on}");
    }
}

#[test]
fn each_parameter_year_gives_its_own_net_for_the_same_gross() {
    let net = |on: Date| {
        simulate_from_gross(on, &Profile::default(), 300_000)
            .unwrap()
            .net_cents
    };
    assert_eq!(net(date(2024, 6, 15)), 217_090);
    assert_eq!(net(date(2025, 1, 15)), 219_087);
    assert_eq!(net(date(2026, 1, 15)), 223_033);
}

#[test]
fn part_a_of_the_work_bonus_changes_slope_on_1_march_2026() {
    let p = Profile::default();
    let february = simulate_from_gross(date(2026, 2, 28), &p, 300_000).unwrap();
    let march = simulate_from_gross(date(2026, 3, 1), &p, 300_000).unwrap();
    // 123 − 0.2807 × 166.64 = 76.22; then 123 − 0.2442 × 166.64 = 82.31.
    assert_eq!(february.work_bonus_social_a_cents, 7_622);
    assert_eq!(march.work_bonus_social_a_cents, 8_231);
    assert_ne!(february.params_version, march.params_version);
    assert!(march.net_cents > february.net_cents);
    // Part B (for a lower wage) is the same on both days.
    let feb_b = simulate_from_gross(date(2026, 2, 28), &p, 250_000).unwrap();
    let mar_b = simulate_from_gross(date(2026, 3, 1), &p, 250_000).unwrap();
    assert_eq!(
        feb_b.work_bonus_social_b_cents,
        mar_b.work_bonus_social_b_cents
    );
}

#[test]
fn the_2026_scale_applies_from_1_january_2026() {
    let p = Profile::default();
    let december = simulate_from_gross(date(2025, 12, 31), &p, 400_000).unwrap();
    let january = simulate_from_gross(date(2026, 1, 1), &p, 400_000).unwrap();
    // 2025: F capped at 5,930; 2026: at 6,070 — the vector's 826.70 from the first day.
    assert_eq!(december.flat_expenses_cents, 593_000);
    assert_eq!(january.flat_expenses_cents, 607_000);
    assert_eq!(january.withholding_before_bonus_cents, 82_670);
    assert_ne!(december.withholding_cents, january.withholding_cents);
    assert!(december.params_version.ends_with("/2025-02-01"));
    assert!(january.params_version.ends_with("/2026-01-01"));
}

#[test]
fn the_work_bonus_indexed_on_1_february_2025_leaves_january_on_the_2024_amounts() {
    let p = Profile::default();
    let january = simulate_from_gross(date(2025, 1, 31), &p, 300_000).unwrap();
    let february = simulate_from_gross(date(2025, 2, 1), &p, 300_000).unwrap();
    assert_eq!(january.work_bonus_social_a_cents, 5_066);
    // 120.59 − 0.2443 × (3,000 − 2,777.83) = 66.31.
    assert_eq!(february.work_bonus_social_a_cents, 6_631);
}

#[test]
fn a_date_before_the_parameters_is_refused_with_the_first_covered_day() {
    let err = simulate_from_gross(date(2022, 12, 31), &Profile::default(), 300_000).unwrap_err();
    assert_eq!(
        err,
        PayrollError::NoParameters {
            date: date(2022, 12, 31),
            covered_from: Some(date(2023, 1, 1))
        }
    );
    assert_eq!(err.code(), "no-parameters");
    assert_eq!(err.field(), "date");
    assert!(err.to_string().contains("from 2023-01-01"), "{err}");
    // Q1 2024 is simulated, on the single-part work bonus.
    let s = simulate_from_gross(date(2024, 1, 1), &Profile::default(), 250_000).unwrap();
    assert_eq!(s.work_bonus_social_a_cents, 15_240);
    assert_eq!(s.work_bonus_social_b_cents, 0);
}

#[test]
fn amounts_out_of_range_and_impossible_fractions_are_refused() {
    let p = Profile::default();
    let on = date(2026, 1, 15);
    assert_eq!(
        simulate_from_gross(on, &p, -1).unwrap_err(),
        PayrollError::AmountOutOfRange { cents: -1 }
    );
    assert!(simulate_from_gross(on, &p, MAX_AMOUNT_CENTS).is_ok());
    assert_eq!(
        simulate_from_employer_cost(on, &p, MAX_AMOUNT_CENTS + 1)
            .unwrap_err()
            .code(),
        "amount-range"
    );
    for fraction_bp in [0, 10_001] {
        let p = Profile {
            fraction_bp,
            ..Profile::default()
        };
        assert_eq!(
            simulate_from_gross(on, &p, 100_000).unwrap_err(),
            PayrollError::FractionOutOfRange { fraction_bp }
        );
    }
}

#[test]
fn a_net_above_what_a_million_gross_pays_is_not_reachable() {
    let on = date(2026, 1, 15);
    let err = simulate_from_net(on, &Profile::default(), MAX_AMOUNT_CENTS).unwrap_err();
    assert_eq!(
        err,
        PayrollError::NetNotReachable {
            net_cents: MAX_AMOUNT_CENTS
        }
    );
    assert_eq!(err.field(), "amount");
    let zero = simulate_from_net(on, &Profile::default(), 0).unwrap();
    assert_eq!(zero.gross_cents, 0);
}

/// Third-party cross-checks (salarysim 2026 `inputs-to-net`, month 1): not official, but
/// they exercise the ouvrier base, the spouse quotient and the CSSS schedules.
#[test]
fn ouvriers_and_married_people_match_the_salarysim_vectors_of_january_2026() {
    let on = date(2026, 1, 15);
    let cases = [
        (WorkerStatus::Manual, Family::Single, 300_000, 221_525),
        (WorkerStatus::Manual, Family::Single, 400_000, 258_679),
        (WorkerStatus::Employee, Family::Single, 390_000, 257_257),
        (WorkerStatus::Employee, Family::Single, 410_000, 265_595),
        (
            WorkerStatus::Employee,
            Family::MarriedOneIncome,
            300_000,
            258_010,
        ),
        (
            WorkerStatus::Employee,
            Family::MarriedTwoIncomes,
            300_000,
            222_622,
        ),
    ];
    for (status, family, gross, net) in cases {
        let p = Profile {
            status,
            family,
            ..Profile::default()
        };
        let s = simulate_from_gross(on, &p, gross).unwrap();
        assert_eq!(s.net_cents, net, "{status:?} {family:?} {gross}");
    }
}

#[test]
fn children_and_a_single_parent_lower_the_withholding() {
    let on = date(2026, 1, 15);
    let none = simulate_from_gross(on, &Profile::default(), 300_000).unwrap();
    let two = Profile {
        children: 2,
        ..Profile::default()
    };
    let s = simulate_from_gross(on, &two, 300_000).unwrap();
    // 5,517.75 − 1,656 (two children) − 624 (single parent) = 3,237.75 a year.
    assert_eq!(s.annual_tax_cents, 323_775);
    assert_eq!(s.withholding_before_bonus_cents, 26_981);
    assert!(s.net_cents > none.net_cents);
    // So many children that no tax is left: never below zero.
    let many = Profile {
        children: 12,
        ..Profile::default()
    };
    let s = simulate_from_gross(on, &many, 300_000).unwrap();
    assert_eq!(s.withholding_cents, 0);
    assert_eq!(s.work_bonus_fiscal_cents, 0);
}

#[test]
fn an_artist_on_the_flat_rate_pays_11_11_percent_of_the_taxable_pay_without_reductions() {
    let p = Profile {
        artist_flat_withholding: true,
        children: 3,
        ..Profile::default()
    };
    let s = simulate_from_gross(date(2026, 1, 15), &p, 250_000).unwrap();
    // Taxable 2,386.21 × 11.11 % = 265.11; no fiscal work bonus, no children.
    assert_eq!(s.taxable_cents, 238_621);
    assert_eq!(s.withholding_cents, 26_511);
    assert_eq!(s.work_bonus_fiscal_cents, 0);
    assert_eq!(s.annual_tax_cents, 0);
}

#[test]
fn authors_rights_are_paid_beside_the_salary_within_the_share_limit() {
    let p = Profile {
        authors_rights_bp: 3000,
        ..Profile::default()
    };
    let on = date(2026, 1, 15);
    let s = simulate_from_gross(on, &p, 210_000).unwrap();
    let plain = simulate_from_gross(on, &Profile::default(), 210_000).unwrap();
    assert_eq!(s.authors_rights_cents, 90_000);
    assert_eq!(s.authors_rights_withholding_cents, 6_750);
    assert_eq!(s.net_cents, plain.net_cents);
    assert_eq!(s.total_net_cents, plain.net_cents + 90_000 - 6_750);
    // Free of social security: the employer pays them as they are.
    assert_eq!(s.employer_cost_cents, plain.employer_cost_cents + 90_000);
    assert!(s.caveats.authors_rights, "the 2026 limits are unverified");
    // 35 % is above the 2026 limit of 30 %.
    let too_much = Profile {
        authors_rights_bp: 3500,
        ..Profile::default()
    };
    let err = simulate_from_gross(on, &too_much, 210_000).unwrap_err();
    assert_eq!(err.code(), "authors-rights-share");
    assert_eq!(err.field(), "authors_rights");
    // More than the annual cap in one month is refused.
    let err = simulate_from_gross(on, &p, 20_000_000).unwrap_err();
    assert_eq!(
        err,
        PayrollError::AuthorsRightsAboveAnnualCap {
            cents: 8_571_429,
            cap_cents: 7_307_000
        }
    );
    // Both searches reach the total net and the budget with the rights included.
    let back = simulate_from_net(on, &p, s.total_net_cents).unwrap();
    assert_eq!(back.total_net_cents, s.total_net_cents);
    let budget = simulate_from_employer_cost(on, &p, s.employer_cost_cents).unwrap();
    assert_eq!(budget.gross_cents, 210_000);
}

#[test]
fn a_short_contract_is_simulated_as_a_month_at_its_work_fraction() {
    // Three days, 22.5 hours, of a month's 164.67 full-time hours: µ ≈ 13.66 %. The bonus is
    // the full-time bonus at S = gross ÷ µ, times µ; no structural reduction below 27.5 %.
    let p = Profile {
        fraction_bp: 1366,
        ..Profile::default()
    };
    let s = simulate_from_gross(date(2026, 3, 4), &p, 75_000).unwrap();
    assert_eq!(s.structural_reduction_cents, 0);
    assert!(!s.caveats.structural_reduction);
    // S = 750 / 0.1366 = 5,490.48: above both upper bounds, no bonus.
    assert_eq!(s.work_bonus_social_a_cents, 0);
    let low = simulate_from_gross(date(2026, 3, 4), &p, 30_000).unwrap();
    // S = 2,196.19 ≤ 2,218.73: both maxima of March 2026 (123 + 165.87), times 0.1366
    // (16.80 + 22.66), then capped at the social security due (39.21), part B cut first.
    assert_eq!(
        low.work_bonus_social_a_cents + low.work_bonus_social_b_cents,
        low.employee_onss_cents
    );
    assert_eq!(low.employee_onss_cents, 3_921);
    assert_eq!(low.work_bonus_social_a_cents, 1_680);
}

#[test]
fn a_full_timer_gets_the_structural_reduction_flagged_as_unverified() {
    let s = simulate_from_gross(date(2026, 1, 15), &Profile::default(), 300_000).unwrap();
    assert_eq!(s.structural_reduction_cents, 12_225);
    assert!(s.caveats.structural_reduction);
    assert!(s.caveats.employer_extras);
    assert_eq!(
        s.employer_cost_cents,
        300_000 + 75_000 + 720 + 46_020 + 5_808 - 12_225
    );
}

#[test]
fn the_reference_year_hours_make_2297_fte() {
    let (whole, exact) = fte(4_539_177);
    assert_eq!(whole, 2297);
    assert_eq!(exact, rust_decimal::Decimal::new(229_715, 2));
    assert_eq!(fte(1975), (0, rust_decimal::Decimal::new(100, 2)));
    assert_eq!(fte(0).0, 0);
}

#[test]
fn the_net_never_decreases_by_more_than_a_cent_for_a_cent_of_gross_for_a_single_employe() {
    // The searches rely on it: sample every 37 cents from 0 to 8,000 € in 2026.
    let p = Profile::default();
    let on = date(2026, 3, 15);
    let mut previous = 0;
    let mut gross = 0;
    while gross <= 800_000 {
        let s = simulate_from_gross(on, &p, gross).unwrap();
        assert!(s.net_cents >= previous - 1, "gross {gross}");
        assert!(s.net_cents <= gross);
        previous = s.net_cents;
        gross += 37;
    }
}

#[test]
fn a_2023_salary_is_simulated_on_the_2023_set_and_flags_its_carried_key_formula() {
    let s = simulate_from_gross(date(2023, 6, 30), &Profile::default(), 250_000).unwrap();
    assert!(
        s.params_version.ends_with("/2023-01-01"),
        "{}",
        s.params_version
    );
    // Work bonus of the first half of 2023: 247.31 − 0.2313 × (2,500 − 2,013.64) = 134.81.
    assert_eq!(s.work_bonus_social_a_cents, 13_481);
    assert_eq!(s.work_bonus_social_b_cents, 0);
    assert!(s.caveats.withholding);
    assert!(s.caveats.work_bonus);
    // 2024 keeps its verified key formula: no withholding caveat.
    let later = simulate_from_gross(date(2024, 6, 30), &Profile::default(), 250_000).unwrap();
    assert!(!later.caveats.withholding);
}
