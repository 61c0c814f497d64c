//! Closed financial years, the compliance engine's input for a year, and the annual special
//! report (C12; reference/governance.md §2.A, §3).
//!
//! [`Store::compliance_input`] reads what the checks need for a financial year (the statutes
//! in force at its end, refunds, directors' payments, the year's votes, the allocation of
//! its result, the report's approval); [`Store::assemble_special_report`] adds the checks
//! and the year's figures of every module ([`crate::figures`]). Approving a report freezes
//! it: the assembled report is kept as JSON with its SHA-256 (`special_reports`), and its
//! PDFs, rendered once per language, in `special_report_documents`. A report is approved
//! only for a closed year, once.

use jiff::civil::Date;
use ruche_domain::governance::compliance::{AttestationInput, ComplianceInput, evaluate};
use ruche_domain::governance::params::params_on;
use ruche_domain::governance::report::{Approval, SpecialReport};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::{AuditContext, Result, Store, StoreError, now_micros};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FinancialYearRecord {
    pub year: i64,
    pub closed_on: String,
    pub closed_by: Option<i64>,
    pub closed_at: i64,
}

/// An approved report's record, without its snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SpecialReportRecord {
    pub year: i64,
    pub approved_on: String,
    pub signatories: String,
    pub archive: String,
    pub content_hash: String,
    pub approved_by: Option<i64>,
    pub approved_at: i64,
}

const YEARS: &str = "SELECT year, closed_on, closed_by, closed_at FROM financial_years \
    ORDER BY year DESC";
const YEAR: &str = "SELECT year, closed_on, closed_by, closed_at FROM financial_years \
    WHERE year = $1";
const CLOSE: &str = "INSERT INTO financial_years (year, closed_on, closed_by, closed_at) \
    VALUES ($1, $2, $3, $4)";
const REPORTS: &str = "SELECT year, approved_on, signatories, archive, content_hash, \
    approved_by, approved_at FROM special_reports ORDER BY year DESC";
const REPORT_SNAPSHOT: &str = "SELECT snapshot_json, content_hash FROM special_reports \
    WHERE year = $1";
const REPORT_EXISTS: &str = "SELECT year FROM special_reports WHERE year = $1";
const APPROVE: &str = "INSERT INTO special_reports (year, approved_on, signatories, archive, \
    snapshot_json, content_hash, approved_by, approved_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const PDF: &str = "SELECT pdf FROM special_report_documents WHERE year = $1 AND language = $2";
/// Kept once: a second rendering of the same language is ignored.
const KEEP_PDF: &str = "INSERT INTO special_report_documents (year, language, pdf, sha256, \
    created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year, language) DO NOTHING";

fn refused(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Refused(FieldErrors::single(field, code))
}

/// The last day of a financial year (the calendar year).
fn year_end_date(year: i32) -> Result<Date> {
    i16::try_from(year)
        .ok()
        .and_then(|y| Date::new(y, 12, 31).ok())
        .ok_or_else(|| refused("gov_year", "gov-invalid-year"))
}

impl Store {
    /// The closed financial years, latest first.
    pub async fn financial_years(&self) -> Result<Vec<FinancialYearRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, FinancialYearRecord>(YEARS).fetch_all(pool).await?)
        })
    }

    pub async fn financial_year(&self, year: i32) -> Result<Option<FinancialYearRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, FinancialYearRecord>(YEAR)
                .bind(i64::from(year))
                .fetch_optional(pool)
                .await?)
        })
    }

    /// Closes a financial year (the calendar year) on `closed_on`, which must come after its
    /// last day. Closing is final: the year's special report can then be approved.
    pub async fn close_financial_year(
        &self,
        ctx: &AuditContext,
        year: i32,
        closed_on: Date,
    ) -> Result<FinancialYearRecord> {
        let year_end = year_end_date(year)?;
        if closed_on <= year_end {
            return Err(refused("gov_closed_on", "gov-year-not-ended"));
        }
        write_tx!(self, tx => {
            let existing: Option<FinancialYearRecord> = sqlx::query_as(YEAR)
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
            if existing.is_some() {
                return Err(StoreError::Duplicate { field: "gov_year" });
            }
            let record = FinancialYearRecord {
                year: i64::from(year),
                closed_on: closed_on.to_string(),
                closed_by: ctx.actor_account_id,
                closed_at: now_micros(),
            };
            sqlx::query(CLOSE)
                .bind(record.year)
                .bind(&record.closed_on)
                .bind(record.closed_by)
                .bind(record.closed_at)
                .execute(&mut *tx)
                .await?;
            audit!(tx, ctx, "financial-year.close", "financial_year", Some(record.year), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    /// The approved special reports, latest first.
    pub async fn special_reports(&self) -> Result<Vec<SpecialReportRecord>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, SpecialReportRecord>(REPORTS).fetch_all(pool).await?)
        })
    }

    /// The frozen report of `year`, as approved; `None` while it is not approved. A snapshot
    /// that no longer matches its hash is refused ([`StoreError::Corrupt`]).
    pub async fn frozen_special_report(&self, year: i32) -> Result<Option<SpecialReport>> {
        let row: Option<(String, String)> = with_db!(self, pool => {
            sqlx::query_as(REPORT_SNAPSHOT)
                .bind(i64::from(year))
                .fetch_optional(pool)
                .await?
        });
        let Some((json, hash)) = row else {
            return Ok(None);
        };
        if crate::invoices::content_hash(&json) != hash {
            return Err(StoreError::Corrupt(format!(
                "the special report of {year} does not match its hash"
            )));
        }
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("special report of {year}: {e}")))
    }

    /// Freezes `report` as the approved special report of its year. Refused when the year
    /// is not closed, when the report carries no approval by at least two directors, or when
    /// the year already has an approved report.
    pub async fn approve_special_report(
        &self,
        ctx: &AuditContext,
        report: &SpecialReport,
    ) -> Result<SpecialReportRecord> {
        let Some(approval) = &report.approval else {
            return Err(refused("gov_approved_on", "required"));
        };
        if approval.signatories.len() < 2 {
            return Err(refused("gov_signatories", "gov-two-signatories"));
        }
        let json = serde_json::to_string(report)
            .map_err(|e| StoreError::Corrupt(format!("special report: {e}")))?;
        let hash = crate::invoices::content_hash(&json);
        let year = i64::from(report.year);
        write_tx!(self, tx => {
            let closed: Option<FinancialYearRecord> = sqlx::query_as(YEAR)
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?;
            if closed.is_none() {
                return Err(refused("gov_year", "gov-year-not-closed"));
            }
            let existing: Option<(i64,)> = sqlx::query_as(REPORT_EXISTS)
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?;
            if existing.is_some() {
                return Err(StoreError::Duplicate { field: "gov_year" });
            }
            let record = SpecialReportRecord {
                year,
                approved_on: approval.approved_on.clone(),
                signatories: approval.signatories.join("\n"),
                archive: approval.archive.clone(),
                content_hash: hash,
                approved_by: ctx.actor_account_id,
                approved_at: now_micros(),
            };
            sqlx::query(APPROVE)
                .bind(year)
                .bind(&record.approved_on)
                .bind(&record.signatories)
                .bind(&record.archive)
                .bind(&json)
                .bind(&record.content_hash)
                .bind(record.approved_by)
                .bind(record.approved_at)
                .execute(&mut *tx)
                .await?;
            audit!(tx, ctx, "special-report.approve", "special_report", Some(year), None::<&()>, Some(&record));
            Ok(record)
        })
    }

    /// The kept PDF of an approved report in `language`, if it was rendered.
    pub async fn special_report_pdf(&self, year: i32, language: &str) -> Result<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> = with_db!(self, pool => {
            sqlx::query_as(PDF)
                .bind(i64::from(year))
                .bind(language)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(pdf,)| pdf))
    }

    /// Keeps the PDF of an approved report in `language`; the first one kept stays.
    pub async fn keep_special_report_pdf(
        &self,
        year: i32,
        language: &str,
        pdf: &[u8],
    ) -> Result<()> {
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(pdf));
        with_db!(self, pool => {
            sqlx::query(KEEP_PDF)
                .bind(i64::from(year))
                .bind(language)
                .bind(pdf)
                .bind(sha)
                .bind(now_micros())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// What the compliance engine reads for `year` (see the module comment).
    pub async fn compliance_input(&self, year: i32) -> Result<ComplianceInput> {
        let entity = gather::cooperative(self).await?;
        gather::compliance_input(self, year, &entity).await
    }

    /// The special report of `year` as the data stand now: the checks with the parameters
    /// in force at the year's end, and the year's figures. `approval` is what the board
    /// signs (the checks then see the report approved and the purpose attested on that
    /// date). Refused for a year before the first governance parameters.
    pub async fn assemble_special_report(
        &self,
        year: i32,
        approval: Option<Approval>,
    ) -> Result<SpecialReport> {
        let year_end = year_end_date(year)?;
        let params = params_on(year_end).map_err(|_| refused("gov_year", "gov-no-params"))?;
        let entity = gather::cooperative(self).await?;
        // The evidence and the year's figures are independent reads: both at once.
        let (mut input, sections) = tokio::try_join!(
            gather::compliance_input(self, year, &entity),
            gather::sections(self, year)
        )?;
        if let Some(a) = &approval {
            input.report.approved_on = Some(a.approved_on.clone());
            input.report.signatories = a.signatories.clone();
            input.attestation = Some(AttestationInput {
                signed_on: a.approved_on.clone(),
                signatories: a.signatories.clone(),
            });
        }
        let checks = evaluate(&input, params);
        Ok(SpecialReport {
            year,
            entity,
            input,
            params_version: params.version(),
            checks,
            sections,
            approval,
            assembled_at: jiff::Timestamp::now().to_string(),
        })
    }
}

mod gather {
    //! Reading the year's evidence from the governance tables.

    use super::*;
    use crate::figures::FigureValue;
    use ruche_domain::governance::Ratio;
    use ruche_domain::governance::compliance::{
        AdvantageInput, AllocationInput, AllocationLineInput, ArticleInput, CooptationInput,
        DirectorInput, RefundInput, RefusalInput, ReportInput, ResolutionInput, StatutesInput,
        cnc_accredited,
    };
    use ruche_domain::governance::params::CapScope;
    use ruche_domain::governance::report::{
        FigureAmount, ReportEntity, ReportFigure, ReportSection,
    };

    const APPROVAL: &str = "SELECT approved_on, signatories FROM special_reports WHERE year = $1";
    const ANNUAL_ASSEMBLY: &str = "SELECT held_on FROM general_assemblies \
        WHERE kind = 'ordinary' AND held_on >= $1 AND held_on <= $2 AND status <> 'draft' \
        ORDER BY held_on LIMIT 1";
    const SHAREHOLDER_NAMES: &str = "SELECT id, first_name, last_name FROM persons \
        WHERE id IN (SELECT DISTINCT person_id FROM share_operations)";
    /// The year's refused applications and exclusions, with their reason codes (CNC-1).
    const REFUSALS: &str = "SELECT p.first_name || ' ' || p.last_name, s.reason_code \
        FROM share_subscriptions s JOIN persons p ON p.id = s.person_id \
        WHERE s.status = 'refused' AND s.refused_on >= $1 AND s.refused_on <= $2 \
        UNION ALL SELECT p.first_name || ' ' || p.last_name, x.reason_code \
        FROM share_exits x JOIN persons p ON p.id = x.person_id \
        WHERE x.kind = 'exclusion' AND x.effective_on >= $1 AND x.effective_on <= $2";
    const ENTITY: &str = "SELECT name, legal_form, enterprise_number, street, postcode, city \
        FROM legal_entities ORDER BY id LIMIT 1";

    /// The closed resolutions of the year's general assemblies, with the largest effective
    /// vote one person cast: per represented holder, or everything one person cast,
    /// following the cap scope the tally used (ES-7).
    async fn resolutions(store: &Store, year: i16) -> Result<Vec<ResolutionInput>> {
        let mut out = Vec::new();
        for assembly in store.assemblies_in_year(year).await? {
            for r in assembly.resolutions {
                if !matches!(r.status.as_str(), "adopted" | "rejected") {
                    continue;
                }
                let tally = store.resolution_tally(r.id).await?;
                let mut per_person: std::collections::BTreeMap<i64, Ratio<i128>> =
                    std::collections::BTreeMap::new();
                for h in &tally.holders {
                    if h.choice.is_none() {
                        continue;
                    }
                    let who = match tally.cap_params.scope {
                        CapScope::PerPrincipal => h.person_id,
                        CapScope::Aggregate => h.cast_by,
                    };
                    *per_person
                        .entry(who)
                        .or_insert_with(|| Ratio::from_integer(0)) += h.effective.0;
                }
                let max = per_person
                    .values()
                    .max()
                    .copied()
                    .unwrap_or_else(|| Ratio::from_integer(0));
                out.push(ResolutionInput {
                    id: r.id,
                    title: r.title,
                    total_raw: narrow(tally.total_votes.0)?,
                    max_effective: narrow(max)?,
                    denominator: tally.cap_params.denominator,
                    cap_inconsistent: tally.cap_inconsistent,
                });
            }
        }
        Ok(out)
    }

    fn narrow(r: Ratio<i128>) -> Result<Ratio<i64>> {
        match (i64::try_from(*r.numer()), i64::try_from(*r.denom())) {
            (Ok(n), Ok(d)) => Ok(Ratio::new(n, d)),
            _ => Err(StoreError::Corrupt("a vote count out of range".into())),
        }
    }

    /// What each shareholder at the year's end receives of the allocation's dividend and
    /// rebate lines, in proportion to the capital they paid up (ES-3). Nothing when the
    /// allocation distributes nothing.
    async fn advantages(
        store: &Store,
        year: i32,
        allocation: &crate::board::Allocation,
    ) -> Result<Vec<AdvantageInput>> {
        let sum = |kind: &str| -> i64 {
            allocation
                .lines
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| l.amount_cents)
                .sum()
        };
        let (dividend, rebate) = (sum("dividend"), sum("rebate"));
        if dividend == 0 && rebate == 0 {
            return Ok(Vec::new());
        }
        let year_end = year_end_date(year)?;
        let holdings = store.holdings_at(year_end, None).await?;
        let total_paid: i64 = holdings.iter().map(|h| h.paid_cents).sum();
        if total_paid <= 0 {
            return Ok(Vec::new());
        }
        let share = |amount: i64, paid: i64| {
            i64::try_from(i128::from(amount) * i128::from(paid) / i128::from(total_paid))
                .unwrap_or(i64::MAX)
        };
        let mut by_person: std::collections::BTreeMap<i64, AdvantageInput> =
            std::collections::BTreeMap::new();
        for h in holdings {
            let a = by_person
                .entry(h.person_id)
                .or_insert_with(|| AdvantageInput {
                    person_id: h.person_id,
                    name: String::new(),
                    paid_up_cents: 0,
                    nominal_cents: 0,
                    dividend_cents: 0,
                    rebate_cents: 0,
                });
            a.paid_up_cents += h.paid_cents;
            a.nominal_cents += h.shares * h.nominal_cents;
            a.dividend_cents += share(dividend, h.paid_cents);
            a.rebate_cents += share(rebate, h.paid_cents);
        }
        let names: Vec<(i64, String, String)> = with_db!(store, pool => {
            sqlx::query_as(SHAREHOLDER_NAMES).fetch_all(pool).await?
        });
        for (id, first, last) in names {
            if let Some(a) = by_person.get_mut(&id) {
                a.name = format!("{first} {last}");
            }
        }
        Ok(by_person.into_values().collect())
    }

    /// The cooperative: the group's first legal entity.
    pub(super) async fn cooperative(store: &Store) -> Result<ReportEntity> {
        let row: Option<(String, String, String, String, String, String)> =
            with_db!(store, pool => { sqlx::query_as(ENTITY).fetch_optional(pool).await? });
        let (name, legal_form, enterprise_number, street, postcode, city) =
            row.ok_or(StoreError::NotFound)?;
        Ok(ReportEntity {
            name,
            legal_form,
            enterprise_number,
            address: format!("{street}, {postcode} {city}"),
        })
    }

    /// The year's figures of every module ([`crate::figures`], the one extension point), as
    /// the report keeps them.
    pub(super) async fn sections(store: &Store, year: i32) -> Result<Vec<ReportSection>> {
        let year = i16::try_from(year).map_err(|_| refused("gov_year", "gov-invalid-year"))?;
        Ok(store
            .year_figures(year)
            .await?
            .into_iter()
            .map(|s| ReportSection {
                code: s.section.code().to_string(),
                available: s.available,
                figures: s
                    .figures
                    .into_iter()
                    .map(|f| ReportFigure {
                        key: f.key.to_string(),
                        amount: match f.value {
                            FigureValue::Count(n) => FigureAmount::Count(n),
                            FigureValue::Cents(n) => FigureAmount::Cents(n),
                            FigureValue::Minutes(n) => FigureAmount::Minutes(n),
                            FigureValue::Fte { hundredths } => FigureAmount::Fte(hundredths),
                            FigureValue::Percent { ppm } => FigureAmount::Percent(ppm),
                        },
                        link: f.link,
                    })
                    .collect(),
            })
            .collect())
    }

    pub(super) async fn compliance_input(
        store: &Store,
        year: i32,
        entity: &ReportEntity,
    ) -> Result<ComplianceInput> {
        let year_end = format!("{year:04}-12-31");
        let next_start = format!("{:04}-01-01", year + 1);
        let next_end = format!("{:04}-12-31", year + 1);
        // The statutes in force at the year's end, read through the statutes module.
        let statutes = store
            .statute_version_on(year_end_date(year)?)
            .await?
            .map(|full| StatutesInput {
                version_id: full.version.id,
                label: full.version.label,
                dividends_allowed: full.version.dividends_allowed,
                articles: full
                    .articles
                    .into_iter()
                    .map(|a| ArticleInput {
                        tags: a
                            .tags
                            .split(',')
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .map(str::to_string)
                            .collect(),
                        number: a.number,
                        heading: a.heading,
                        texts: vec![a.text_fr, a.text_nl, a.text_en],
                    })
                    .collect(),
            });
        let (approval, assembly) = with_db!(store, pool => {
            let approval: Option<(String, String)> = sqlx::query_as(APPROVAL)
                .bind(i64::from(year))
                .fetch_optional(pool)
                .await?;
            let assembly: Option<(String,)> = sqlx::query_as(ANNUAL_ASSEMBLY)
                .bind(&next_start)
                .bind(&next_end)
                .fetch_optional(pool)
                .await?;
            (approval, assembly)
        });
        let legal_form = entity.legal_form.clone();
        let (approved_on, signatories) = match approval {
            Some((on, names)) => (Some(on), names.lines().map(str::to_string).collect()),
            None => (None, Vec::new()),
        };
        let short_year =
            i16::try_from(year).map_err(|_| refused("gov_year", "gov-invalid-year"))?;
        let refunds = store
            .share_year(year)
            .await?
            .refunds
            .into_iter()
            .map(|r| RefundInput {
                person_id: r.person_id,
                name: r.name,
                refund_cents: r.refund_cents,
                nominal_cap_cents: r.nominal_cents,
            })
            .collect();
        let directors = store
            .director_checks(short_year)
            .await?
            .into_iter()
            .map(|d| DirectorInput {
                person_id: d.person_id,
                name: d.name,
                paid_cents: d.paid_cents,
                unexplained_cents: d.unexplained_cents,
                forbidden_kinds: d.forbidden_kinds,
            })
            .collect();
        let resolutions = resolutions(store, short_year).await?;
        let from = format!("{year:04}-01-01");
        let refusals: Vec<(String, Option<String>)> = with_db!(store, pool => {
            sqlx::query_as(REFUSALS)
                .bind(&from)
                .bind(&year_end)
                .fetch_all(pool)
                .await?
        });
        let unconfirmed_cooptations = store
            .mandates_in_year(short_year)
            .await?
            .into_iter()
            .filter_map(|m| {
                Some(CooptationInput {
                    assembly_on: m.unconfirmed_since?,
                    person_id: m.person_id,
                    name: m.person_name,
                })
            })
            .collect();
        let allocation = store.allocation_of_year(short_year).await?;
        let advantages = match &allocation {
            Some(a) => advantages(store, year, a).await?,
            None => Vec::new(),
        };
        Ok(ComplianceInput {
            year,
            statutes,
            attestation: None,
            advantages,
            refunds,
            directors,
            resolutions,
            allocation: allocation.map(|a| AllocationInput {
                resolution_id: a.resolution_id,
                lines: a
                    .lines
                    .into_iter()
                    .map(|l| AllocationLineInput {
                        kind: l.kind,
                        amount_cents: l.amount_cents,
                    })
                    .collect(),
            }),
            report: ReportInput {
                approved_on,
                signatories,
                annual_assembly_on: assembly.map(|(d,)| d),
            },
            cnc: cnc_accredited(&legal_form),
            legal_form,
            refusals: refusals
                .into_iter()
                .map(|(name, reason_code)| RefusalInput { name, reason_code })
                .collect(),
            unconfirmed_cooptations,
            // The ledger tags no spending as members' information and training yet.
            education_cents: None,
        })
    }
}
