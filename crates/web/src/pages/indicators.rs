//! The indicators (C17): the year's figures of every module, computed from the data
//! (`Store::year_figures`), never typed in. Staff with the governance view read every
//! section with charts of the last years (`/indicators`); the board or an administrator
//! chooses which figures the cooperative publishes (`/indicators/publication`); anyone,
//! without signing in, reads the published ones in their language (`/public/indicators`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use ruche_domain::policy::{Action, Target};
use ruche_store::figures::{FigureSection, FigureValue, PublishedIndicator, SectionFigures};
use ruche_store::{Store, StoreError};
use serde::Deserialize;

use super::{render, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(show))
        .route("/indicators/publication", get(publication).post(toggle))
        .route("/public/indicators", get(public))
}

/// How many years the charts show, at most.
pub const CHART_YEARS: usize = 6;

/// The figures charted over the years, when the year shows them.
pub const CHART_KEYS: [&str; 8] = [
    "members",
    "turnover-net",
    "turnover-contribution",
    "work-contracts",
    "work-hours",
    "work-fte",
    "expenses-reimbursed",
    "reminders-sent",
];

// ------------------------------------------------------------------------------- views

pub struct FigureView {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    pub link: Option<String>,
    pub parts: Vec<(String, String)>,
}

pub struct SectionView {
    pub code: &'static str,
    pub title: String,
    pub available: bool,
    pub note: Option<String>,
    pub figures: Vec<FigureView>,
}

/// Belgian thousands: 4539177 → `4.539.177`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A value with two decimals stored as hundredths: 229712 → `2.297,12`.
fn hundredths(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    format!(
        "{sign}{},{:02}",
        grouped(i64::try_from(n / 100).unwrap_or(i64::MAX)),
        n % 100
    )
}

/// A figure's value the Belgian way, with its unit.
pub fn value_text(ctx: &RequestCtx, value: FigureValue) -> String {
    match value {
        FigureValue::Count(n) => grouped(n),
        FigureValue::Cents(n) => ctx.money(n),
        FigureValue::Minutes(n) => format!("{}\u{a0}h", grouped(n / 60)),
        FigureValue::Fte { hundredths: n } => hundredths(n),
        FigureValue::Percent { ppm } => format!("{}\u{a0}%", hundredths(ppm / 100)),
    }
}

fn section_view(ctx: &RequestCtx, s: &SectionFigures) -> SectionView {
    SectionView {
        code: s.section.code(),
        title: ctx.t_of("ind-section-", s.section.code()),
        available: s.available,
        note: s.note.map(|n| ctx.t_of("ind-note-", n)),
        figures: s
            .figures
            .iter()
            .map(|f| FigureView {
                key: f.key,
                label: ctx.t_of("fig-", f.key),
                value: value_text(ctx, f.value),
                link: f.link.clone(),
                parts: f
                    .parts
                    .iter()
                    .map(|p| (p.label.clone(), value_text(ctx, p.value)))
                    .collect(),
            })
            .collect(),
    }
}

/// One bar chart of a figure over the years: server-side SVG, with its table.
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub base_y: i64,
    pub bars: Vec<BarView>,
}

pub struct BarView {
    pub year: i16,
    pub text: String,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub label_x: i64,
}

const CHART_WIDTH: i64 = 360;
const CHART_HEIGHT: i64 = 200;
const CHART_BASE: i64 = 170;
const CHART_TOP: i64 = 24;

/// The charts of `keys` over `years` (oldest first); a figure no year shows has no chart.
pub fn charts(ctx: &RequestCtx, years: &[(i16, Vec<SectionFigures>)]) -> Vec<ChartView> {
    let mut out = Vec::new();
    for key in CHART_KEYS {
        let points: Vec<(i16, FigureValue)> = years
            .iter()
            .filter_map(|(y, sections)| {
                sections
                    .iter()
                    .find_map(|s| s.figure(key))
                    .map(|f| (*y, f.value))
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let max = points
            .iter()
            .map(|(_, v)| v.raw().max(0))
            .max()
            .unwrap_or(0);
        let slot = CHART_WIDTH / i64::try_from(CHART_YEARS).unwrap_or(6);
        let bar_width = slot * 3 / 5;
        let plot = CHART_BASE - CHART_TOP;
        let bars = points
            .iter()
            .enumerate()
            .map(|(i, (year, v))| {
                let height = if max > 0 {
                    i64::try_from(i128::from(v.raw().max(0)) * i128::from(plot) / i128::from(max))
                        .unwrap_or(plot)
                } else {
                    0
                };
                let x = i64::try_from(i).unwrap_or(0) * slot + (slot - bar_width) / 2;
                BarView {
                    year: *year,
                    text: value_text(ctx, *v),
                    x,
                    y: CHART_BASE - height,
                    width: bar_width,
                    height,
                    label_x: x + bar_width / 2,
                }
            })
            .collect();
        out.push(ChartView {
            id: format!("chart-{key}"),
            title: ctx.t_of("fig-", key),
            width: CHART_WIDTH,
            height: CHART_HEIGHT,
            base_y: CHART_BASE,
            bars,
        });
    }
    out
}

// ------------------------------------------------------------------------------ years

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

/// The year asked (1900–2999), else the newest year holding data, else this one.
pub fn chosen_year(asked: Option<&str>, years: &[i16]) -> Result<i16, AppError> {
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => text
            .parse::<i16>()
            .ok()
            .filter(|y| (1900..=2999).contains(y))
            .ok_or_else(|| {
                AppError::Invalid(ruche_domain::validate::FieldErrors::single(
                    "year",
                    ruche_store::figures::BAD_YEAR,
                ))
            }),
        None => Ok(years.first().copied().unwrap_or_else(|| today().year())),
    }
}

/// The years of the selector: those holding data, and the one shown.
fn selectable(years: &[i16], year: i16) -> Vec<i16> {
    let mut out = years.to_vec();
    if !out.contains(&year) {
        out.push(year);
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    out
}

/// The figures of the years charted: up to [`CHART_YEARS`] years holding data up to
/// `year`, oldest first. `public` keeps only the published figures.
pub async fn chart_years(
    store: &Store,
    years: &[i16],
    year: i16,
    public: bool,
) -> Result<Vec<(i16, Vec<SectionFigures>)>, StoreError> {
    let mut chosen: Vec<i16> = years
        .iter()
        .copied()
        .filter(|y| *y <= year)
        .take(CHART_YEARS)
        .collect();
    chosen.reverse();
    let mut out = Vec::with_capacity(chosen.len());
    for y in chosen {
        let figures = if public {
            store.public_year_figures(y).await?
        } else {
            store.year_figures(y).await?
        };
        out.push((y, figures));
    }
    Ok(out)
}

fn refused(e: StoreError) -> AppError {
    match e {
        StoreError::Refused(errors) => AppError::Invalid(errors),
        e => AppError::Store(e),
    }
}

// -------------------------------------------------------------------------- staff page

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    c: RequestCtx,
    year: i16,
    years: Vec<i16>,
    sections: Vec<SectionView>,
    charts: Vec<ChartView>,
    may_publish: bool,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let years = state.store.figure_years().await?;
    let year = chosen_year(q.year.as_deref(), &years)?;
    let figures = state.store.year_figures(year).await.map_err(refused)?;
    let history = chart_years(&state.store, &years, year, false).await?;
    render(&IndicatorsPage {
        sections: figures.iter().map(|s| section_view(&ctx, s)).collect(),
        charts: charts(&ctx, &history),
        years: selectable(&years, year),
        may_publish: ctx.may(Action::Update, Target::Governance),
        year,
        c: ctx,
    })
}

// ---------------------------------------------------------------------- publication

pub struct ChoiceView {
    pub key: &'static str,
    pub label: String,
    pub published: bool,
    pub changed: String,
}

pub struct ChoiceSection {
    pub title: String,
    pub choices: Vec<ChoiceView>,
}

#[derive(Template)]
#[template(path = "indicators_publication.html")]
struct PublicationPage {
    c: RequestCtx,
    sections: Vec<ChoiceSection>,
}

/// Every figure key by section, with its publication state.
pub fn choice_sections(ctx: &RequestCtx, chosen: &[PublishedIndicator]) -> Vec<ChoiceSection> {
    FigureSection::ALL
        .into_iter()
        .filter(|s| !s.keys().is_empty())
        .map(|s| ChoiceSection {
            title: ctx.t_of("ind-section-", s.code()),
            choices: s
                .keys()
                .iter()
                .map(|key| {
                    let choice = chosen.iter().find(|p| p.figure_key == *key);
                    ChoiceView {
                        key,
                        label: ctx.t_of("fig-", key),
                        published: choice.is_some_and(|p| p.published),
                        changed: choice
                            .map(|p| ctx.datetime(&p.changed_at))
                            .unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .collect()
}

pub async fn publication(
    State(state): State<AppState>,
    ctx: RequestCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Governance)?;
    let chosen = state.store.published_indicators().await?;
    render(&PublicationPage {
        sections: choice_sections(&ctx, &chosen),
        c: ctx,
    })
}

#[derive(Deserialize)]
pub struct ToggleForm {
    #[serde(default)]
    figure_key: String,
    #[serde(default)]
    published: String,
}

pub async fn toggle(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<ToggleForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Governance)?;
    state
        .store
        .set_indicator_published(&ctx.audit(), &form.figure_key, form.published == "1")
        .await
        .map_err(refused)?;
    Ok(see_other(&format!(
        "/indicators/publication#fig-{}",
        form.figure_key.trim()
    )))
}

// ------------------------------------------------------------------------ public page

#[derive(Template)]
#[template(path = "indicators_public.html")]
struct PublicPage {
    c: RequestCtx,
    year: i16,
    years: Vec<i16>,
    sections: Vec<SectionView>,
    charts: Vec<ChartView>,
}

/// No sign-in: only the published figures, in the visitor's language.
pub async fn public(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let years = state.store.figure_years().await?;
    let year = chosen_year(q.year.as_deref(), &years)?;
    let figures = state
        .store
        .public_year_figures(year)
        .await
        .map_err(refused)?;
    let history = chart_years(&state.store, &years, year, true).await?;
    render(&PublicPage {
        sections: figures.iter().map(|s| section_view(&ctx, s)).collect(),
        charts: charts(&ctx, &history),
        years: selectable(&years, year),
        year,
        c: ctx,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn figures_are_written_the_belgian_way() {
        assert_eq!(grouped(4_539_177), "4.539.177");
        assert_eq!(grouped(982), "982");
        assert_eq!(grouped(-1_000), "-1.000");
        assert_eq!(hundredths(229_712), "2.297,12");
        assert_eq!(hundredths(5), "0,05");
    }

    #[test]
    fn a_bad_year_is_named_and_none_means_the_newest_with_data() {
        assert_eq!(chosen_year(None, &[2026, 2025]).unwrap(), 2026);
        assert_eq!(chosen_year(Some("2024"), &[2026]).unwrap(), 2024);
        assert!(chosen_year(Some("deux"), &[]).is_err());
        assert!(chosen_year(Some("1800"), &[]).is_err());
    }
}
