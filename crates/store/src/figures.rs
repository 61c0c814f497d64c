//! The year's figures of every module (C17: "every figure computed from data for any year,
//! never typed in"), read by the indicators pages, the public page and the special report.
//!
//! **The one extension point.** A module that brings new figures (loans, training, the
//! guide, places…) adds nothing but:
//! 1. its keys in [`FigureSection::keys`] (the arm of its variant, which exists already, or
//!    a new variant placed in report order and added to [`FigureSection::ALL`]);
//! 2. one arm in [`Store::section_figures`] calling its own `async fn` that counts the
//!    year's rows with SQL;
//! 3. the labels `fig-<key>` in `crates/web/locales/{fr,nl,en}/indicators.ftl`.
//!
//! See docs/figures.md. A section whose module does not exist yet, or holds no data for the
//! year, is `available: false` with no figures: a number is never invented.
//!
//! Years are calendar years. Dates stored as `YYYY-MM-DD` (Brussels dates as recorded) are
//! compared as text; instants (Unix microseconds) against midnight in Brussels.

use jiff::civil::Date;
use serde::Serialize;

use crate::{AuditContext, Result, Store, StoreError};

/// The error code of a publication toggle for a figure that does not exist.
pub const UNKNOWN_FIGURE: &str = "ind-unknown-figure";
/// The error code of a year outside 1900–2999.
pub const BAD_YEAR: &str = "ind-bad-year";

/// One section of the year's figures, in the order of the special report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FigureSection {
    Members,
    Turnover,
    Contribution,
    AdvisorsOffices,
    Work,
    Expenses,
    Reminders,
    Governance,
    Loans,
    Training,
    Guide,
    LegalHelp,
    Recognition,
    Participation,
    Recommendations,
    Ethics,
    Places,
    Prevention,
}

impl FigureSection {
    pub const ALL: [FigureSection; 18] = [
        FigureSection::Members,
        FigureSection::Turnover,
        FigureSection::Contribution,
        FigureSection::AdvisorsOffices,
        FigureSection::Work,
        FigureSection::Expenses,
        FigureSection::Reminders,
        FigureSection::Governance,
        FigureSection::Loans,
        FigureSection::Training,
        FigureSection::Guide,
        FigureSection::LegalHelp,
        FigureSection::Recognition,
        FigureSection::Participation,
        FigureSection::Recommendations,
        FigureSection::Ethics,
        FigureSection::Places,
        FigureSection::Prevention,
    ];

    /// Stable code (URLs, API, translation keys `ind-section-<code>`): never rename one.
    pub fn code(self) -> &'static str {
        match self {
            FigureSection::Members => "members",
            FigureSection::Turnover => "turnover",
            FigureSection::Contribution => "contribution",
            FigureSection::AdvisorsOffices => "advisors-offices",
            FigureSection::Work => "work",
            FigureSection::Expenses => "expenses",
            FigureSection::Reminders => "reminders",
            FigureSection::Governance => "governance",
            FigureSection::Loans => "loans",
            FigureSection::Training => "training",
            FigureSection::Guide => "guide",
            FigureSection::LegalHelp => "legal-help",
            FigureSection::Recognition => "recognition",
            FigureSection::Participation => "participation",
            FigureSection::Recommendations => "recommendations",
            FigureSection::Ethics => "ethics",
            FigureSection::Places => "places",
            FigureSection::Prevention => "prevention",
        }
    }

    pub fn parse(s: &str) -> Option<FigureSection> {
        FigureSection::ALL
            .into_iter()
            .find(|f| f.code() == s.trim())
    }

    /// Every figure key the section can show, in display order. The keys are global (a
    /// publication choice names one key) and each is the suffix of its label `fig-<key>`.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            FigureSection::Members => &[
                "members",
                "members-new",
                "activities-active",
                "activities-new",
            ],
            FigureSection::Turnover => &[
                "turnover-invoices",
                "turnover-credit-notes",
                "turnover-net",
                "turnover-contribution",
                "turnover-clients",
            ],
            FigureSection::Contribution => &crate::transparency::FIGURE_KEYS,
            FigureSection::AdvisorsOffices => &["advisors", "offices", "offices-activities"],
            FigureSection::Work => &[
                "work-contracts",
                "work-workers",
                "work-hours",
                "work-fte",
                "work-open-ended",
                "work-open-ended-women",
                "work-open-ended-men",
                "work-open-ended-other",
                "work-open-ended-full-time",
                "work-open-ended-part-time",
            ],
            FigureSection::Expenses => &[
                "expenses-approved",
                "expenses-reimbursed",
                "expenses-suppliers",
                "expenses-mileage-km",
            ],
            FigureSection::Reminders => &[
                "reminders-sent",
                "reminders-formal-notices",
                "reminders-recovery-cases",
            ],
            FigureSection::Governance => &[
                "governance-assemblies",
                "governance-present",
                "governance-represented",
                "governance-proxies",
            ],
            FigureSection::Guide => &[
                "guide-views",
                "guide-articles-read",
                "guide-articles",
                "guide-revisions",
            ],
            FigureSection::LegalHelp => &[
                "legal-requests",
                "legal-questions",
                "legal-contract-reviews",
                "legal-disputes",
                "legal-answered",
                "legal-answer-days-median",
            ],
            FigureSection::Training => &crate::trainings::FIGURE_KEYS,
            FigureSection::Loans => &crate::loans::FIGURE_KEYS,
            // Modules being built (issue 8): each replaces its own line.
            FigureSection::Recognition => &crate::advocacy::FIGURE_KEYS,
            FigureSection::Participation => &crate::school::FIGURE_KEYS,
            FigureSection::Recommendations => &crate::recommendations::FIGURE_KEYS,
            FigureSection::Ethics => &crate::ethics::FIGURE_KEYS,
            FigureSection::Places => &crate::places::FIGURE_KEYS,
            FigureSection::Prevention => &crate::prevention::FIGURE_KEYS,
        }
    }

    /// The section a figure key belongs to.
    pub fn of_key(key: &str) -> Option<(FigureSection, &'static str)> {
        FigureSection::ALL
            .into_iter()
            .find_map(|s| s.keys().iter().find(|k| **k == key.trim()).map(|k| (s, *k)))
    }
}

/// A figure's value with its unit. Integers only: money in cents, time in minutes, FTE in
/// hundredths, percentages in parts per million.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "unit", content = "value", rename_all = "kebab-case")]
pub enum FigureValue {
    Count(i64),
    Cents(i64),
    Minutes(i64),
    Fte { hundredths: i64 },
    Percent { ppm: i64 },
}

impl FigureValue {
    pub fn is_zero(self) -> bool {
        self.raw() == 0
    }

    /// The stored integer, whatever its unit (for charts' proportions).
    pub fn raw(self) -> i64 {
        match self {
            FigureValue::Count(n)
            | FigureValue::Cents(n)
            | FigureValue::Minutes(n)
            | FigureValue::Fte { hundredths: n }
            | FigureValue::Percent { ppm: n } => n,
        }
    }
}

/// One line of a figure's breakdown (per office…): the label is data (an office's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigurePart {
    pub label: String,
    pub value: FigureValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// The figure's key, the suffix of its label `fig-<key>`.
    pub key: &'static str,
    pub value: FigureValue,
    /// The list it counts, filtered to the year where the list can be.
    pub link: Option<String>,
    pub parts: Vec<FigurePart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionFigures {
    pub section: FigureSection,
    /// `false`: the module that would hold these data does not exist yet, or holds nothing
    /// for the year. Then `figures` is empty.
    pub available: bool,
    /// What the figures rest on, when it can vary (the suffix of `ind-note-<note>`).
    pub note: Option<&'static str>,
    pub figures: Vec<Figure>,
}

impl SectionFigures {
    fn unavailable(section: FigureSection) -> Self {
        SectionFigures {
            section,
            available: false,
            note: None,
            figures: Vec::new(),
        }
    }

    /// A section with nothing but zeros holds no data for the year: unavailable.
    fn of(section: FigureSection, note: Option<&'static str>, figures: Vec<Figure>) -> Self {
        if figures.iter().all(|f| f.value.is_zero()) {
            return SectionFigures::unavailable(section);
        }
        debug_assert!(figures.iter().all(|f| section.keys().contains(&f.key)));
        SectionFigures {
            section,
            available: true,
            note,
            figures,
        }
    }

    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.key == key)
    }
}

fn figure(key: &'static str, value: FigureValue, link: Option<String>) -> Figure {
    Figure {
        key,
        value,
        link,
        parts: Vec::new(),
    }
}

/// Whether a figure is published on the public page, and who chose it last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PublishedIndicator {
    pub figure_key: String,
    pub published: bool,
    pub changed_by: Option<i64>,
    pub changed_at: i64,
}

/// The bounds of a calendar year: `[from, to)` as stored dates and as Brussels instants.
struct YearBounds {
    from: String,
    to: String,
    from_micros: i64,
    to_micros: i64,
}

fn bounds(year: i16) -> Result<YearBounds> {
    let bad = || {
        StoreError::Refused(ruche_domain::validate::FieldErrors::single(
            "year", BAD_YEAR,
        ))
    };
    if !(1900..=2999).contains(&year) {
        return Err(bad());
    }
    let from = Date::new(year, 1, 1).map_err(|_| bad())?;
    let to = Date::new(year + 1, 1, 1).map_err(|_| bad())?;
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    let micros = |d: Date| -> Result<i64> {
        Ok(d.to_zoned(tz.clone())
            .map_err(|_| bad())?
            .timestamp()
            .as_microsecond())
    };
    Ok(YearBounds {
        from: from.to_string(),
        to: to.to_string(),
        from_micros: micros(from)?,
        to_micros: micros(to)?,
    })
}

// ------------------------------------------------------------------------------ members

const REGISTER_LINES: &str = "SELECT COUNT(*) FROM share_operations WHERE effective_on < $1";
// A member holds at least one share at the year's end (the register is a projection:
// the sum of the operations effective by then).
const HOLDERS: &str = "SELECT COUNT(*) FROM (SELECT person_id, SUM(shares) AS held \
    FROM share_operations WHERE effective_on < $1 GROUP BY person_id) h WHERE h.held > 0";
const NEW_HOLDERS: &str = "SELECT COUNT(*) FROM (SELECT person_id, \
    SUM(CASE WHEN effective_on < $1 THEN shares ELSE 0 END) AS earlier, SUM(shares) AS held \
    FROM share_operations WHERE effective_on < $2 GROUP BY person_id) h \
    WHERE h.held > 0 AND h.earlier <= 0";
const ROLE_ACCOUNTS_BEFORE: &str = "SELECT COUNT(DISTINCT a.id) FROM accounts a \
    JOIN account_roles r ON r.account_id = a.id WHERE r.role = $1 AND a.created_at < $2";
const ROLE_ACCOUNTS_IN: &str = "SELECT COUNT(DISTINCT a.id) FROM accounts a \
    JOIN account_roles r ON r.account_id = a.id \
    WHERE r.role = $1 AND a.created_at >= $2 AND a.created_at < $3";
// An activity is active in a year when it invoiced, employed or spent in it. Asked of each
// activity (`invoices_by_activity_date`: one index probe for most), not by gathering the
// year's invoices, contracts and claims into one set: 0.10 s -> 0.01 s on the reference year
// (docs/benchmarks.md).
const ACTIVE_ACTIVITIES: &str = "SELECT COUNT(*) FROM activities a WHERE \
    EXISTS (SELECT 1 FROM invoices i WHERE i.activity_id = a.id \
      AND i.issue_date >= $1 AND i.issue_date < $2) \
    OR EXISTS (SELECT 1 FROM work_contracts w WHERE w.activity_id = a.id \
      AND w.status <> 'cancelled' AND w.starts_on >= $1 AND w.starts_on < $2) \
    OR EXISTS (SELECT 1 FROM expense_claims e WHERE e.activity_id = a.id \
      AND e.status = 'approved' AND e.spent_on >= $1 AND e.spent_on < $2)";
const NEW_ACTIVITIES: &str =
    "SELECT COUNT(*) FROM activities WHERE created_at >= $1 AND created_at < $2";

// ----------------------------------------------------------------------------- turnover

const ISSUED: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(tax_exclusive_cents), 0) AS BIGINT), \
    COUNT(DISTINCT client_id) FROM invoices \
    WHERE kind = $1 AND issue_date >= $2 AND issue_date < $3";
// Read office by office, activity by activity, from the covering index
// `invoices_by_activity_date`: no sort of the year's invoices by activity (0.07 s -> 0.04 s
// on the reference year, docs/benchmarks.md).
const NET_BY_OFFICE: &str = "SELECT o.name, CAST(COALESCE(SUM(CASE WHEN i.kind = 'credit_note' \
    THEN -i.tax_exclusive_cents ELSE i.tax_exclusive_cents END), 0) AS BIGINT) \
    FROM offices o JOIN activities a ON a.office_id = o.id \
    JOIN invoices i ON i.activity_id = a.id AND i.issue_date >= $1 AND i.issue_date < $2 \
    GROUP BY o.id, o.name ORDER BY o.name";

// ------------------------------------------------------------------- advisors and offices

const OFFICES: &str = "SELECT COUNT(*) FROM offices WHERE created_at < $1";
const ACTIVITIES_BY_OFFICE: &str = "SELECT o.name, COUNT(a.id) FROM offices o \
    LEFT JOIN activities a ON a.office_id = o.id AND a.created_at < $1 \
    WHERE o.created_at < $1 GROUP BY o.id, o.name ORDER BY o.name";

// ----------------------------------------------------------------------------- expenses

// A claim counts in the year it was spent (as the yearly mileage ceiling does).
const EXPENSES: &str = "SELECT COUNT(*), \
    CAST(COALESCE(SUM(CASE WHEN kind <> 'supplier' THEN amount_cents ELSE 0 END), 0) AS BIGINT), \
    CAST(COALESCE(SUM(CASE WHEN kind = 'supplier' THEN amount_cents ELSE 0 END), 0) AS BIGINT), \
    CAST(COALESCE(SUM(CASE WHEN kind = 'mileage' THEN distance_km ELSE 0 END), 0) AS BIGINT) \
    FROM expense_claims WHERE status = 'approved' AND spent_on >= $1 AND spent_on < $2";

// ---------------------------------------------------------------------------- reminders

const REMINDERS: &str = "SELECT COUNT(*) FROM reminders WHERE sent_on >= $1 AND sent_on < $2";
const FORMAL_NOTICES: &str = "SELECT COUNT(*) FROM recovery_entries \
    WHERE kind = 'formal-notice' AND occurred_on >= $1 AND occurred_on < $2";
const CASES_OPENED: &str =
    "SELECT COUNT(*) FROM recovery_cases WHERE opened_on >= $1 AND opened_on < $2";

// ------------------------------------------------------------------------------- years

const YEARS: &str = "SELECT DISTINCT y FROM (\
    SELECT substr(issue_date, 1, 4) AS y FROM invoices WHERE issue_date IS NOT NULL \
    UNION SELECT substr(starts_on, 1, 4) FROM work_contracts \
    UNION SELECT substr(spent_on, 1, 4) FROM expense_claims \
    UNION SELECT substr(sent_on, 1, 4) FROM reminders \
    UNION SELECT substr(effective_on, 1, 4) FROM share_operations) x \
    ORDER BY y DESC LIMIT 100";

// -------------------------------------------------------------------------- publication

const PUBLISHED: &str = "SELECT figure_key, published, changed_by, changed_at \
    FROM published_indicators ORDER BY figure_key";
const PUBLISHED_GET: &str = "SELECT figure_key, published, changed_by, changed_at \
    FROM published_indicators WHERE figure_key = $1";
const PUBLISH: &str = "INSERT INTO published_indicators \
    (figure_key, published, changed_by, changed_at) VALUES ($1, $2, $3, $4) \
    ON CONFLICT (figure_key) DO UPDATE SET published = excluded.published, \
    changed_by = excluded.changed_by, changed_at = excluded.changed_at";

/// A year's link to a list page.
fn link(path: &str) -> Option<String> {
    Some(path.to_string())
}

impl Store {
    /// The figures of one section for a calendar year. One arm per section: a new module
    /// adds its arm here (docs/figures.md).
    pub async fn section_figures(
        &self,
        section: FigureSection,
        year: i16,
    ) -> Result<SectionFigures> {
        let b = bounds(year)?;
        match section {
            FigureSection::Members => self.members_figures(&b).await,
            FigureSection::Turnover => self.turnover_figures(&b).await,
            FigureSection::Contribution => self.contribution_figures(year).await,
            FigureSection::AdvisorsOffices => self.offices_figures(&b).await,
            FigureSection::Work => self.work_figures(year).await,
            FigureSection::Expenses => self.expenses_figures(&b).await,
            FigureSection::Reminders => self.reminders_figures(&b).await,
            FigureSection::Governance => self.governance_figures(year).await,
            FigureSection::Guide => self.guide_figures(&b).await,
            FigureSection::LegalHelp => self.legal_help_figures(year).await,
            FigureSection::Training => self.training_figures(year).await,
            FigureSection::Loans => self.loans_figures(year).await,
            FigureSection::Recognition => self.advocacy_figures(year).await,
            FigureSection::Participation => self.participation_figures(year).await,
            FigureSection::Recommendations => self.recommendations_figures(year).await,
            FigureSection::Ethics => self.ethics_figures(year).await,
            FigureSection::Places => self.places_figures(year).await,
            FigureSection::Prevention => self.prevention_figures(year).await,
        }
    }

    /// Every section's figures for a year, in report order. The benchmark times this.
    ///
    /// The sections are independent reads, so they run at once on the pool's connections
    /// (each engine then uses every core); the result keeps report order.
    pub async fn year_figures(&self, year: i16) -> Result<Vec<SectionFigures>> {
        futures_util::future::try_join_all(
            FigureSection::ALL.map(|section| self.section_figures(section, year)),
        )
        .await
    }

    /// The year's figures the cooperative publishes: only published keys, only sections
    /// left with at least one of them.
    pub async fn public_year_figures(&self, year: i16) -> Result<Vec<SectionFigures>> {
        let published: Vec<String> = self
            .published_indicators()
            .await?
            .into_iter()
            .filter(|p| p.published)
            .map(|p| p.figure_key)
            .collect();
        if published.is_empty() {
            bounds(year)?;
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for mut s in self.year_figures(year).await? {
            s.figures.retain(|f| published.iter().any(|k| k == f.key));
            if !s.figures.is_empty() {
                out.push(s);
            }
        }
        Ok(out)
    }

    /// The years that hold data (issued documents, work, expenses, reminders, the share
    /// register), newest first.
    pub async fn figure_years(&self) -> Result<Vec<i16>> {
        let rows: Vec<(Option<String>,)> = with_db!(self, pool => {
            sqlx::query_as(YEARS).fetch_all(pool).await?
        });
        let mut years: Vec<i16> = rows
            .into_iter()
            .filter_map(|(y,)| y.and_then(|y| y.parse().ok()))
            .collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        Ok(years)
    }

    /// Every publication choice made (a key never chosen is unpublished).
    pub async fn published_indicators(&self) -> Result<Vec<PublishedIndicator>> {
        with_db!(self, pool => {
            Ok(sqlx::query_as::<_, PublishedIndicator>(PUBLISHED).fetch_all(pool).await?)
        })
    }

    /// Publishes or withdraws one figure from the public page.
    pub async fn set_indicator_published(
        &self,
        ctx: &AuditContext,
        figure_key: &str,
        published: bool,
    ) -> Result<PublishedIndicator> {
        let Some((_, key)) = FigureSection::of_key(figure_key) else {
            return Err(StoreError::Refused(
                ruche_domain::validate::FieldErrors::single("figure_key", UNKNOWN_FIGURE),
            ));
        };
        let now = crate::now_micros();
        write_tx!(self, tx => {
            let before: Option<PublishedIndicator> = sqlx::query_as(PUBLISHED_GET)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(PUBLISH)
                .bind(key)
                .bind(published)
                .bind(ctx.actor_account_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let after = PublishedIndicator {
                figure_key: key.to_string(),
                published,
                changed_by: ctx.actor_account_id,
                changed_at: now,
            };
            let action = if published { "indicator.publish" } else { "indicator.withdraw" };
            audit!(tx, ctx, action, "published_indicator", None::<i64>, before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    async fn members_figures(&self, b: &YearBounds) -> Result<SectionFigures> {
        let section = FigureSection::Members;
        let (register, members, new_members, active, new_activities) = with_db!(self, pool => {
            let (register,): (i64,) =
                sqlx::query_as(REGISTER_LINES).bind(&b.to).fetch_one(pool).await?;
            let (members, new_members) = if register > 0 {
                let (m,): (i64,) = sqlx::query_as(HOLDERS).bind(&b.to).fetch_one(pool).await?;
                let (n,): (i64,) = sqlx::query_as(NEW_HOLDERS)
                    .bind(&b.from)
                    .bind(&b.to)
                    .fetch_one(pool)
                    .await?;
                (m, n)
            } else {
                let (m,): (i64,) = sqlx::query_as(ROLE_ACCOUNTS_BEFORE)
                    .bind("member")
                    .bind(b.to_micros)
                    .fetch_one(pool)
                    .await?;
                let (n,): (i64,) = sqlx::query_as(ROLE_ACCOUNTS_IN)
                    .bind("member")
                    .bind(b.from_micros)
                    .bind(b.to_micros)
                    .fetch_one(pool)
                    .await?;
                (m, n)
            };
            let (active,): (i64,) = sqlx::query_as(ACTIVE_ACTIVITIES)
                .bind(&b.from)
                .bind(&b.to)
                .fetch_one(pool)
                .await?;
            let (new_activities,): (i64,) = sqlx::query_as(NEW_ACTIVITIES)
                .bind(b.from_micros)
                .bind(b.to_micros)
                .fetch_one(pool)
                .await?;
            (register, members, new_members, active, new_activities)
        });
        let note = if register > 0 {
            "members-register"
        } else {
            "members-accounts"
        };
        Ok(SectionFigures::of(
            section,
            Some(note),
            vec![
                figure("members", FigureValue::Count(members), None),
                figure("members-new", FigureValue::Count(new_members), None),
                figure(
                    "activities-active",
                    FigureValue::Count(active),
                    link("/activities"),
                ),
                figure(
                    "activities-new",
                    FigureValue::Count(new_activities),
                    link("/activities"),
                ),
            ],
        ))
    }

    async fn turnover_figures(&self, b: &YearBounds) -> Result<SectionFigures> {
        let section = FigureSection::Turnover;
        // The invoices list filters on the year of issue: its link counts the same rows.
        let year = b.from.get(..4).unwrap_or_default();
        let (invoices, credit_notes, by_office, contribution) = with_db!(self, pool => {
            let invoices: (i64, i64, i64) = sqlx::query_as(ISSUED)
                .bind("invoice")
                .bind(&b.from)
                .bind(&b.to)
                .fetch_one(pool)
                .await?;
            let credit_notes: (i64, i64, i64) = sqlx::query_as(ISSUED)
                .bind("credit_note")
                .bind(&b.from)
                .bind(&b.to)
                .fetch_one(pool)
                .await?;
            let by_office: Vec<(String, i64)> = sqlx::query_as(NET_BY_OFFICE)
                .bind(&b.from)
                .bind(&b.to)
                .fetch_all(pool)
                .await?;
            // The mutualised contribution, read as the transparency section reads it.
            let (contribution,): (i64,) = sqlx::query_as(crate::transparency::CONTRIBUTIONS)
                .bind(&b.from)
                .bind(&b.to)
                .fetch_one(pool)
                .await?;
            (invoices, credit_notes, by_office, contribution)
        });
        let net = invoices.1 - credit_notes.1;
        // TigerStyle: the per-office split adds up to the total.
        let split: i64 = by_office.iter().map(|(_, c)| c).sum();
        if split != net {
            return Err(StoreError::Corrupt(format!(
                "turnover per office {split} differs from the total {net}"
            )));
        }
        let mut net_figure = figure(
            "turnover-net",
            FigureValue::Cents(net),
            Some(format!("/invoices?year={year}")),
        );
        net_figure.parts = by_office
            .into_iter()
            .map(|(label, cents)| FigurePart {
                label,
                value: FigureValue::Cents(cents),
            })
            .collect();
        Ok(SectionFigures::of(
            section,
            None,
            vec![
                figure(
                    "turnover-invoices",
                    FigureValue::Count(invoices.0),
                    Some(format!("/invoices?year={year}")),
                ),
                figure(
                    "turnover-credit-notes",
                    FigureValue::Count(credit_notes.0),
                    Some(format!("/invoices?year={year}")),
                ),
                net_figure,
                figure(
                    "turnover-contribution",
                    FigureValue::Cents(contribution),
                    None,
                ),
                figure(
                    "turnover-clients",
                    FigureValue::Count(invoices.2),
                    link("/clients"),
                ),
            ],
        ))
    }

    async fn offices_figures(&self, b: &YearBounds) -> Result<SectionFigures> {
        let section = FigureSection::AdvisorsOffices;
        let (advisors, offices, by_office) = with_db!(self, pool => {
            let (advisors,): (i64,) = sqlx::query_as(ROLE_ACCOUNTS_BEFORE)
                .bind("advisor")
                .bind(b.to_micros)
                .fetch_one(pool)
                .await?;
            let (offices,): (i64,) =
                sqlx::query_as(OFFICES).bind(b.to_micros).fetch_one(pool).await?;
            let by_office: Vec<(String, i64)> = sqlx::query_as(ACTIVITIES_BY_OFFICE)
                .bind(b.to_micros)
                .fetch_all(pool)
                .await?;
            (advisors, offices, by_office)
        });
        let total: i64 = by_office.iter().map(|(_, n)| n).sum();
        let mut per_office = figure(
            "offices-activities",
            FigureValue::Count(total),
            link("/activities"),
        );
        per_office.parts = by_office
            .into_iter()
            .map(|(label, n)| FigurePart {
                label,
                value: FigureValue::Count(n),
            })
            .collect();
        Ok(SectionFigures::of(
            section,
            None,
            vec![
                figure(
                    "advisors",
                    FigureValue::Count(advisors),
                    link("/staff/accounts"),
                ),
                figure(
                    "offices",
                    FigureValue::Count(offices),
                    link("/staff/offices"),
                ),
                per_office,
            ],
        ))
    }

    async fn work_figures(&self, year: i16) -> Result<SectionFigures> {
        // The work volume is computed once, by the employment module.
        let v = self.work_volume(year).await?;
        let volume = Some(format!("/work-volume?year={year}"));
        let open = |pred: &dyn Fn(&str, bool) -> bool| -> i64 {
            v.new_open_ended
                .iter()
                .filter(|(g, full, _)| pred(g, *full))
                .map(|(_, _, n)| n)
                .sum()
        };
        let mut contracts = figure(
            "work-contracts",
            FigureValue::Count(v.contracts),
            volume.clone(),
        );
        contracts.parts = v
            .by_office
            .iter()
            .map(|(_, name, n, _, _)| FigurePart {
                label: name.clone(),
                value: FigureValue::Count(*n),
            })
            .collect();
        let mut hours = figure(
            "work-hours",
            FigureValue::Minutes(v.minutes),
            volume.clone(),
        );
        hours.parts = v
            .by_office
            .iter()
            .map(|(_, name, _, minutes, _)| FigurePart {
                label: name.clone(),
                value: FigureValue::Minutes(*minutes),
            })
            .collect();
        Ok(SectionFigures::of(
            FigureSection::Work,
            None,
            vec![
                contracts,
                figure(
                    "work-workers",
                    FigureValue::Count(v.headcount),
                    volume.clone(),
                ),
                hours,
                figure(
                    "work-fte",
                    // Hours ÷ 1,976 (38 h × 52; employment.md §1.2), in hundredths, rounded down.
                    FigureValue::Fte {
                        hundredths: v.minutes * 100 / (60 * 1_976),
                    },
                    volume.clone(),
                ),
                figure(
                    "work-open-ended",
                    FigureValue::Count(open(&|_, _| true)),
                    volume.clone(),
                ),
                figure(
                    "work-open-ended-women",
                    FigureValue::Count(open(&|g, _| g == "f")),
                    None,
                ),
                figure(
                    "work-open-ended-men",
                    FigureValue::Count(open(&|g, _| g == "m")),
                    None,
                ),
                figure(
                    "work-open-ended-other",
                    FigureValue::Count(open(&|g, _| g != "f" && g != "m")),
                    None,
                ),
                figure(
                    "work-open-ended-full-time",
                    FigureValue::Count(open(&|_, full| full)),
                    None,
                ),
                figure(
                    "work-open-ended-part-time",
                    FigureValue::Count(open(&|_, full| !full)),
                    None,
                ),
            ],
        ))
    }

    async fn expenses_figures(&self, b: &YearBounds) -> Result<SectionFigures> {
        let (claims, reimbursed, suppliers, km): (i64, i64, i64, i64) = with_db!(self, pool => {
            sqlx::query_as(EXPENSES).bind(&b.from).bind(&b.to).fetch_one(pool).await?
        });
        let list = link("/expenses?status=approved");
        Ok(SectionFigures::of(
            FigureSection::Expenses,
            None,
            vec![
                figure(
                    "expenses-approved",
                    FigureValue::Count(claims),
                    list.clone(),
                ),
                figure(
                    "expenses-reimbursed",
                    FigureValue::Cents(reimbursed),
                    list.clone(),
                ),
                figure(
                    "expenses-suppliers",
                    FigureValue::Cents(suppliers),
                    list.clone(),
                ),
                figure("expenses-mileage-km", FigureValue::Count(km), list),
            ],
        ))
    }

    async fn legal_help_figures(&self, year: i16) -> Result<SectionFigures> {
        // Counts only: the requests themselves are the member's and the legal service's.
        let y = self.legal_help_year(year).await?;
        let mut figures = vec![
            figure("legal-requests", FigureValue::Count(y.requests), None),
            figure("legal-questions", FigureValue::Count(y.questions), None),
            figure(
                "legal-contract-reviews",
                FigureValue::Count(y.contract_reviews),
                None,
            ),
            figure("legal-disputes", FigureValue::Count(y.disputes), None),
            figure("legal-answered", FigureValue::Count(y.answered), None),
        ];
        if let Some(days) = y.answer_days_median {
            figures.push(figure(
                "legal-answer-days-median",
                FigureValue::Count(days),
                None,
            ));
        }
        Ok(SectionFigures::of(FigureSection::LegalHelp, None, figures))
    }

    async fn guide_figures(&self, b: &YearBounds) -> Result<SectionFigures> {
        let g = self
            .guide_year(&b.from, &b.to, b.from_micros, b.to_micros)
            .await?;
        let list = link("/guide");
        Ok(SectionFigures::of(
            FigureSection::Guide,
            None,
            vec![
                figure("guide-views", FigureValue::Count(g.views), list.clone()),
                figure(
                    "guide-articles-read",
                    FigureValue::Count(g.articles_read),
                    list.clone(),
                ),
                figure(
                    "guide-articles",
                    FigureValue::Count(g.articles_published),
                    list.clone(),
                ),
                figure("guide-revisions", FigureValue::Count(g.revisions), list),
            ],
        ))
    }

    async fn governance_figures(&self, year: i16) -> Result<SectionFigures> {
        // The assemblies module computes the attendance; only closed (held) assemblies count.
        let held: Vec<crate::assemblies::AssemblyYear> = self
            .assemblies_in_year(year)
            .await?
            .into_iter()
            .filter(|a| a.status == "closed")
            .collect();
        let sum = |f: fn(&crate::assemblies::AssemblyYear) -> i64| held.iter().map(f).sum::<i64>();
        let list = link("/assemblies");
        Ok(SectionFigures::of(
            FigureSection::Governance,
            None,
            vec![
                figure(
                    "governance-assemblies",
                    FigureValue::Count(i64::try_from(held.len()).unwrap_or(i64::MAX)),
                    list.clone(),
                ),
                figure(
                    "governance-present",
                    FigureValue::Count(sum(|a| a.present)),
                    list.clone(),
                ),
                figure(
                    "governance-represented",
                    FigureValue::Count(sum(|a| a.represented)),
                    list.clone(),
                ),
                figure(
                    "governance-proxies",
                    FigureValue::Count(sum(|a| a.proxies)),
                    list,
                ),
            ],
        ))
    }

    async fn reminders_figures(&self, b: &YearBounds) -> Result<SectionFigures> {
        let (reminders, notices, cases) = with_db!(self, pool => {
            let (r,): (i64,) =
                sqlx::query_as(REMINDERS).bind(&b.from).bind(&b.to).fetch_one(pool).await?;
            let (n,): (i64,) =
                sqlx::query_as(FORMAL_NOTICES).bind(&b.from).bind(&b.to).fetch_one(pool).await?;
            let (c,): (i64,) =
                sqlx::query_as(CASES_OPENED).bind(&b.from).bind(&b.to).fetch_one(pool).await?;
            (r, n, c)
        });
        Ok(SectionFigures::of(
            FigureSection::Reminders,
            None,
            vec![
                figure(
                    "reminders-sent",
                    FigureValue::Count(reminders),
                    link("/dunning"),
                ),
                figure(
                    "reminders-formal-notices",
                    FigureValue::Count(notices),
                    link("/recovery"),
                ),
                figure(
                    "reminders-recovery-cases",
                    FigureValue::Count(cases),
                    link("/recovery"),
                ),
            ],
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_key_belongs_to_one_section_and_sections_are_in_report_order() {
        let mut all: Vec<&str> = FigureSection::ALL
            .iter()
            .flat_map(|s| s.keys())
            .copied()
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "figure keys are unique");
        for s in FigureSection::ALL {
            assert_eq!(FigureSection::parse(s.code()), Some(s));
            for k in s.keys() {
                assert_eq!(FigureSection::of_key(k).map(|(s, _)| s), Some(s));
            }
        }
        assert_eq!(FigureSection::ALL[0], FigureSection::Members);
        assert_eq!(FigureSection::of_key("nothing"), None);
    }

    #[test]
    fn a_section_of_zeros_is_unavailable_and_shows_no_number() {
        let s = SectionFigures::of(
            FigureSection::Reminders,
            None,
            vec![figure("reminders-sent", FigureValue::Count(0), None)],
        );
        assert!(!s.available);
        assert!(s.figures.is_empty());
    }

    #[test]
    fn a_year_is_bounded_at_midnight_in_brussels() {
        let b = bounds(2026).unwrap();
        assert_eq!(
            (b.from.as_str(), b.to.as_str()),
            ("2026-01-01", "2027-01-01")
        );
        // 2026-01-01T00:00 in Brussels is 2025-12-31T23:00Z (UTC+1 in winter).
        assert_eq!(b.from_micros, 1_767_222_000_000_000);
        assert!(bounds(1800).is_err());
    }
}
