//! Places (C14): the network's sites and spaces, a space's week calendar and its booking
//! form, the member's bookings, and the facilities staff's tools (sites, spaces, partners,
//! lettings, every booking, occupancy).
//!
//! Policy (`Target::Places`): signed-in members and staff see and book (a member for
//! themselves or an activity they hold); the facilities staff and administrators keep the
//! sites, spaces, partners and lettings, book for a partner and cancel anyone's booking.
//! No double booking: the store refuses an overlapping slot and names it ([`conflict_text`]).
//! The API (`api/places.rs`) shares [`book`], [`conflict_text`] and [`may_cancel`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::{Date, Weekday};
use ruche_domain::Language;
use ruche_domain::places::{
    BookedFor, BookingForm, LettingForm, PartnerForm, SiteForm, SiteKind, SpaceForm, SpaceKind,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::places::{
    BookingFilter, BookingRecord, LettingRecord, Occupancy, PartnerRecord, PlaceConflict,
    PlaceNotice, SiteRecord, SpaceRecord,
};
use ruche_store::{AuditContext, Page, PageRequest, StoreError, now_micros};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/places", get(index))
        .route("/places/spaces/{id}", get(space_page))
        .route("/places/spaces/{id}/bookings", post(create_booking))
        .route("/places/bookings", get(bookings))
        .route("/places/bookings/{id}/cancel", post(cancel))
        .route("/places/sites/new", get(new_site))
        .route("/places/sites", post(create_site))
        .route("/places/sites/{id}/edit", get(edit_site).post(update_site))
        .route("/places/spaces/new", get(new_space))
        .route("/places/spaces", post(create_space))
        .route(
            "/places/spaces/{id}/edit",
            get(edit_space).post(update_space),
        )
        .route("/places/partners", get(partners).post(create_partner))
        .route("/places/lettings", get(lettings).post(create_letting))
        .route("/places/occupancy", get(occupancy))
}

const PER_PAGE: i64 = 25;

// ----------------------------------------------------------------------- shared logic

/// `HH:MM` in Brussels.
pub fn clock(micros: i64) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| {
            let z = t.to_zoned(tz);
            format!("{:02}:{:02}", z.hour(), z.minute())
        })
        .unwrap_or_default()
}

/// The refusal of an overlapping slot, naming the booking or the letting it overlaps.
pub fn conflict_text(lang: Language, conflict: &PlaceConflict) -> String {
    let date = |iso: &str| {
        iso.parse()
            .map(ruche_domain::format::date)
            .unwrap_or_else(|_| iso.to_string())
    };
    match conflict {
        PlaceConflict::Booking {
            starts_at, ends_at, ..
        } => {
            let day = jiff::Timestamp::from_microsecond(*starts_at)
                .map(ruche_domain::format::datetime)
                .unwrap_or_default();
            i18n::t_args(
                lang,
                "places-overlap-booking",
                &[("from", day), ("to", clock(*ends_at))],
            )
        }
        PlaceConflict::Letting {
            partner_name,
            starts_on,
            ends_on,
            ..
        } => i18n::t_args(
            lang,
            "places-overlap-letting",
            &[
                ("partner", partner_name.clone()),
                ("from", date(starts_on)),
                ("to", date(ends_on)),
            ],
        ),
    }
}

/// Why a booking was not made.
pub enum BookRefusal {
    Invalid(FieldErrors),
    Overlap(PlaceConflict),
}

/// Whether the user keeps the places (facilities staff, administrators).
pub fn is_facilities(user: &CurrentUser) -> bool {
    ruche_domain::policy::decide(&user.actor, Action::Update, Target::Places).is_allowed()
}

/// Books `space_id` from the form for `user` (the caller checked `Create` on places). A
/// partner's contact is told by e-mail, through the outbox.
pub async fn book(
    state: &AppState,
    user: &CurrentUser,
    lang: Language,
    space_id: i64,
    form: &BookingForm,
    audit: &AuditContext,
) -> Result<Result<BookingRecord, BookRefusal>, AppError> {
    let staff = is_facilities(user);
    let new = match form.parse(today(), staff) {
        Ok(n) => n,
        Err(e) => return Ok(Err(BookRefusal::Invalid(e))),
    };
    let space = state.store.place_space(space_id).await?;
    let mut notice = None;
    if let Some(pid) = new.partner_id {
        let partner = match state.store.place_partner(pid).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => {
                return Ok(Err(BookRefusal::Invalid(FieldErrors::single(
                    "places_booking_partner",
                    "required",
                ))));
            }
            Err(e) => return Err(e.into()),
        };
        let when = format!(
            "{} {}–{}",
            ruche_domain::format::date(new.day),
            new.from.strftime("%H:%M"),
            new.to.strftime("%H:%M")
        );
        notice = Some(PlaceNotice {
            to: partner.contact_email.clone(),
            subject: i18n::t_args(
                lang,
                "places-notice-subject",
                &[("space", space.name.clone())],
            ),
            body: i18n::t_args(
                lang,
                "places-notice-body",
                &[
                    ("name", partner.contact_name.clone()),
                    ("space", format!("{} ({})", space.name, space.site_name)),
                    ("when", when),
                    ("purpose", new.purpose.clone()),
                ],
            ),
        });
    }
    match state
        .store
        .book_space(audit, space_id, Some(user.person.id), &new, notice.as_ref())
        .await
    {
        Ok(Ok(b)) => Ok(Ok(b)),
        Ok(Err(conflict)) => Ok(Err(BookRefusal::Overlap(conflict))),
        Err(StoreError::Refused(e)) => Ok(Err(BookRefusal::Invalid(e))),
        Err(e) => Err(e.into()),
    }
}

/// A member cancels their own booking (not one made for a partner); the facilities staff
/// cancel any.
pub fn may_cancel(user: &CurrentUser, b: &BookingRecord) -> bool {
    b.is_booked()
        && (is_facilities(user)
            || (b.person_id == Some(user.person.id) && b.booked_for != BookedFor::Partner.code()))
}

fn options(ctx: &RequestCtx, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| (c.to_string(), ctx.t_of(prefix, c)))
        .collect()
}

fn store_errors(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(errors) => Ok(errors),
        StoreError::Duplicate { field } => Ok(FieldErrors::single(field, "taken")),
        other => Err(other.into()),
    }
}

// --------------------------------------------------------------------------- /places

#[derive(Template)]
#[template(path = "places.html")]
struct IndexPage {
    c: RequestCtx,
    sites: Vec<SiteRecord>,
    total_surface: i64,
    shared_surface: i64,
    spaces: Page<SpaceRecord>,
    facilities: bool,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct IndexQuery {
    page: Option<i64>,
    site: Option<i64>,
}

pub async fn index(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<IndexQuery>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::List, Target::Places)?;
    let facilities = is_facilities(user);
    let sites = state.store.place_sites().await?;
    let total_surface = sites.iter().map(|s| s.surface_m2).sum();
    let shared_surface = sites
        .iter()
        .filter(|s| s.shared_with_network)
        .map(|s| s.surface_m2)
        .sum();
    let spaces = state
        .store
        .place_spaces(
            q.site,
            !facilities,
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let base = match q.site {
        Some(s) => format!("/places?site={s}&"),
        None => "/places?".into(),
    };
    render(&IndexPage {
        sites,
        total_surface,
        shared_surface,
        spaces,
        facilities,
        base,
        c: ctx,
    })
}

// ------------------------------------------------------------------------- a space

pub struct DayView {
    pub iso: String,
    pub label: String,
    pub let_to: Option<String>,
    pub slots: Vec<SlotView>,
}

pub struct SlotView {
    pub from: String,
    pub to: String,
    pub holder: String,
    pub purpose: String,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "places_space.html")]
struct SpacePage {
    c: RequestCtx,
    s: SpaceRecord,
    days: Vec<DayView>,
    prev_week: String,
    next_week: String,
    f: FormView,
    notice: Option<String>,
    facilities: bool,
    fors: Vec<(String, String)>,
    activities: Vec<(String, String)>,
    partners: Vec<(String, String)>,
    opens: String,
    closes: String,
}

#[derive(Deserialize, Default)]
pub struct SpaceQuery {
    week: Option<String>,
    booked: Option<i64>,
}

fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
}

async fn space_view(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    week: Date,
    f: FormView,
    notice: Option<String>,
) -> Result<SpacePage, AppError> {
    let user = ctx.user()?;
    let facilities = is_facilities(user);
    let s = state.store.place_space(id).await?;
    let monday = monday_of(week);
    let saturday = monday
        .checked_add(jiff::Span::new().days(5))
        .unwrap_or(monday);
    let bookings = state.store.place_calendar(id, monday, saturday).await?;
    let lettings = state
        .store
        .place_lettings_between(Some(id), monday, saturday)
        .await?;
    let mut days = Vec::with_capacity(6);
    let mut day = monday;
    for _ in 0..6 {
        let iso = day.to_string();
        let let_to = lettings
            .iter()
            .find(|l| l.starts_on <= iso && l.ends_on >= iso)
            .map(|l| l.partner_name.clone());
        let slots = bookings
            .iter()
            .filter(|b| b.day == iso)
            .map(|b| SlotView {
                from: clock(b.starts_at),
                to: clock(b.ends_at),
                holder: b.holder(),
                purpose: b.purpose.clone(),
                mine: b.person_id == Some(user.person.id),
            })
            .collect();
        days.push(DayView {
            label: format!(
                "{} {}",
                ctx.t_of(
                    "places-weekday-",
                    &day.weekday().to_monday_one_offset().to_string()
                ),
                ruche_domain::format::date(day)
            ),
            iso,
            let_to,
            slots,
        });
        day = day.tomorrow().unwrap_or(day);
    }
    let shift = |n: i64| {
        monday
            .checked_add(jiff::Span::new().days(n))
            .unwrap_or(monday)
            .to_string()
    };
    let mut fors = vec![BookedFor::Member.code(), BookedFor::Activity.code()];
    if facilities {
        fors.push(BookedFor::Partner.code());
    }
    let activities = state
        .store
        .legal_held_activities(user.person.id)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let partners = if facilities {
        state
            .store
            .place_partners(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
            .await?
            .items
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(SpacePage {
        fors: options(&ctx, "places-for-", &fors),
        prev_week: shift(-7),
        next_week: shift(7),
        opens: ruche_domain::places::OPENS_AT.strftime("%H:%M").to_string(),
        closes: ruche_domain::places::CLOSES_AT
            .strftime("%H:%M")
            .to_string(),
        s,
        days,
        f,
        notice,
        facilities,
        activities,
        partners,
        c: ctx,
    })
}

pub async fn space_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<SpaceQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Places)?;
    let week = q
        .week
        .as_deref()
        .and_then(|w| w.parse::<Date>().ok())
        .unwrap_or_else(today);
    let notice = match q.booked {
        Some(b) => {
            let b = state.store.place_booking(b).await?;
            Some(ctx.t1(
                "places-booked-notice",
                "price",
                ruche_domain::format::money(b.price_cents),
            ))
        }
        None => None,
    };
    let mut day = today();
    if day.weekday() == Weekday::Sunday {
        day = day.tomorrow().unwrap_or(day);
    }
    let f = FormView::with_defaults(&[
        ("places_day", &day.to_string()),
        ("places_from", "09:00"),
        ("places_to", "10:00"),
        ("places_for", "member"),
        ("places_persons", "1"),
    ]);
    render(&space_view(&state, ctx, id, week, f, notice).await?)
}

pub async fn create_booking(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::Places)?;
    let mut f = FormView::new(pairs);
    let form: BookingForm = f.decode().map_err(AppError::Internal)?;
    let (status, week) = match book(&state, user, ctx.lang, id, &form, &ctx.audit()).await? {
        Ok(b) => {
            return Ok(see_other(&format!(
                "/places/spaces/{id}?week={}&booked={}",
                b.day, b.id
            )));
        }
        Err(BookRefusal::Invalid(e)) => {
            f.add_errors(&e, ctx.lang);
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        Err(BookRefusal::Overlap(conflict)) => {
            f.add_message("places_from", conflict_text(ctx.lang, &conflict));
            (StatusCode::CONFLICT, form.places_day.parse::<Date>().ok())
        }
    };
    let week = week.unwrap_or_else(today);
    let page = space_view(&state, ctx, id, week, f, None).await?;
    render_status(status, &page)
}

// ---------------------------------------------------------------------- bookings

pub struct BookingView {
    pub b: BookingRecord,
    pub when: String,
    pub may_cancel: bool,
}

#[derive(Template)]
#[template(path = "places_bookings.html")]
struct BookingsPage {
    c: RequestCtx,
    bookings: Page<BookingView>,
    facilities: bool,
    f: FormView,
    base: String,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct BookingsQuery {
    page: Option<i64>,
    from: Option<String>,
    to: Option<String>,
    cancelled: Option<String>,
}

/// A member's own bookings; every booking for the facilities staff (filtered by days).
pub async fn bookings(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<BookingsQuery>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::Places)?;
    let facilities = is_facilities(user);
    let from = q.from.as_deref().and_then(|d| d.parse::<Date>().ok());
    let to = q.to.as_deref().and_then(|d| d.parse::<Date>().ok());
    let filter = BookingFilter {
        person_id: (!facilities).then_some(user.person.id),
        from_day: from,
        to_day: to,
        ..BookingFilter::default()
    };
    let page = state
        .store
        .place_bookings(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let items = page
        .items
        .into_iter()
        .map(|b| BookingView {
            when: format!(
                "{}–{}",
                jiff::Timestamp::from_microsecond(b.starts_at)
                    .map(ruche_domain::format::datetime)
                    .unwrap_or_default(),
                clock(b.ends_at)
            ),
            may_cancel: may_cancel(user, &b),
            b,
        })
        .collect();
    let bookings = Page {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    };
    let f = FormView::new(vec![
        ("from".into(), q.from.clone().unwrap_or_default()),
        ("to".into(), q.to.clone().unwrap_or_default()),
    ]);
    let base = format!(
        "/places/bookings?from={}&to={}&",
        f.value("from"),
        f.value("to")
    );
    let notice = q
        .cancelled
        .is_some()
        .then(|| ctx.t("places-cancelled-notice"));
    render(&BookingsPage {
        bookings,
        facilities,
        f,
        base,
        notice,
        c: ctx,
    })
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(Action::Create, Target::Places)?;
    let b = state.store.place_booking(id).await?;
    if !may_cancel(user, &b) {
        return Err(AppError::Forbidden);
    }
    state
        .store
        .cancel_place_booking(&ctx.audit(), id, now_micros())
        .await?;
    Ok(see_other("/places/bookings?cancelled=1"))
}

// ------------------------------------------------------------------------- sites

#[derive(Template)]
#[template(path = "places_site_form.html")]
struct SiteFormPage {
    c: RequestCtx,
    f: FormView,
    id: Option<i64>,
    kinds: Vec<(String, String)>,
    offices: Vec<(String, String)>,
}

async fn site_form(
    state: &AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    f: FormView,
) -> Result<SiteFormPage, AppError> {
    let codes: Vec<&str> = SiteKind::ALL.iter().map(|k| k.code()).collect();
    let mut offices = vec![(String::new(), ctx.t("places-no-office"))];
    offices.extend(
        state
            .store
            .offices(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
            .await?
            .items
            .into_iter()
            .map(|o| (o.id.to_string(), o.name)),
    );
    Ok(SiteFormPage {
        kinds: options(&ctx, "places-site-kind-", &codes),
        offices,
        f,
        id,
        c: ctx,
    })
}

pub async fn new_site(
    State(state): State<AppState>,
    ctx: RequestCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let f = FormView::with_defaults(&[
        ("places_site_kind", "owned"),
        ("places_opened_on", &today().to_string()),
    ]);
    render(&site_form(&state, ctx, None, f).await?)
}

pub async fn edit_site(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let s = state.store.place_site(id).await?;
    let mut f = FormView::with_defaults(&[
        ("places_site_name", &s.name),
        ("places_street", &s.street),
        ("places_postcode", &s.postcode),
        ("places_city", &s.city),
        ("places_surface", &s.surface_m2.to_string()),
        ("places_site_kind", &s.kind),
        ("places_opened_on", &s.opened_on),
    ]);
    if let Some(o) = s.office_id {
        f.set("places_office", o.to_string());
    }
    if s.shared_with_network {
        f.set("places_shared", "on");
    }
    render(&site_form(&state, ctx, Some(id), f).await?)
}

async fn save_site(
    state: &AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let mut f = FormView::new(pairs);
    let form: SiteForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(site) => match state.store.save_site(&ctx.audit(), id, &site).await {
            Ok(_) => return Ok(see_other("/places?saved=1")),
            Err(e) => store_errors(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = site_form(state, ctx, id, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create_site(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save_site(&state, ctx, None, pairs).await
}

pub async fn update_site(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save_site(&state, ctx, Some(id), pairs).await
}

// ------------------------------------------------------------------------ spaces

#[derive(Template)]
#[template(path = "places_space_form.html")]
struct SpaceFormPage {
    c: RequestCtx,
    f: FormView,
    id: Option<i64>,
    kinds: Vec<(String, String)>,
    sites: Vec<(String, String)>,
}

async fn space_form(
    state: &AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    f: FormView,
) -> Result<SpaceFormPage, AppError> {
    let codes: Vec<&str> = SpaceKind::ALL.iter().map(|k| k.code()).collect();
    let sites = state
        .store
        .place_sites()
        .await?
        .into_iter()
        .map(|s| (s.id.to_string(), s.name))
        .collect();
    Ok(SpaceFormPage {
        kinds: options(&ctx, "places-space-kind-", &codes),
        sites,
        f,
        id,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct NewSpaceQuery {
    site: Option<i64>,
}

pub async fn new_space(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<NewSpaceQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let site = q.site.map(|s| s.to_string()).unwrap_or_default();
    let f = FormView::with_defaults(&[
        ("places_site", &site),
        ("places_space_kind", "meeting-room"),
        ("places_bookable", "on"),
        ("places_active", "on"),
    ]);
    render(&space_form(&state, ctx, None, f).await?)
}

fn cents_text(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

pub async fn edit_space(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let s = state.store.place_space(id).await?;
    let mut f = FormView::with_defaults(&[
        ("places_site", &s.site_id.to_string()),
        ("places_space_name", &s.name),
        ("places_space_kind", &s.kind),
        ("places_capacity", &s.capacity.to_string()),
        ("places_space_surface", &s.surface_m2.to_string()),
        ("places_equipment", &s.equipment),
        ("places_member_hour", &cents_text(s.member_hour_cents)),
        ("places_member_day", &cents_text(s.member_day_cents)),
        ("places_partner_hour", &cents_text(s.partner_hour_cents)),
        ("places_partner_day", &cents_text(s.partner_day_cents)),
    ]);
    if s.bookable {
        f.set("places_bookable", "on");
    }
    if s.active {
        f.set("places_active", "on");
    }
    render(&space_form(&state, ctx, Some(id), f).await?)
}

async fn save_space(
    state: &AppState,
    ctx: RequestCtx,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let mut f = FormView::new(pairs);
    let form: SpaceForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(space) => match state.store.save_space(&ctx.audit(), id, &space).await {
            Ok(s) => return Ok(see_other(&format!("/places/spaces/{}", s.id))),
            Err(e) => store_errors(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = space_form(state, ctx, id, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create_space(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save_space(&state, ctx, None, pairs).await
}

pub async fn update_space(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save_space(&state, ctx, Some(id), pairs).await
}

// ---------------------------------------------------------------------- partners

#[derive(Template)]
#[template(path = "places_partners.html")]
struct PartnersPage {
    c: RequestCtx,
    partners: Page<PartnerRecord>,
    f: FormView,
    base: String,
}

async fn partners_page(
    state: &AppState,
    ctx: RequestCtx,
    page: i64,
    f: FormView,
) -> Result<PartnersPage, AppError> {
    let partners = state
        .store
        .place_partners(PageRequest::new(page, PER_PAGE))
        .await?;
    Ok(PartnersPage {
        partners,
        f,
        base: "/places/partners?".into(),
        c: ctx,
    })
}

pub async fn partners(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<super::PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    render(&partners_page(&state, ctx, q.page.unwrap_or(1), FormView::default()).await?)
}

pub async fn create_partner(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let mut f = FormView::new(pairs);
    let form: PartnerForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(p) => match state.store.save_place_partner(&ctx.audit(), None, &p).await {
            Ok(_) => return Ok(see_other("/places/partners")),
            Err(e) => store_errors(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = partners_page(&state, ctx, 1, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---------------------------------------------------------------------- lettings

#[derive(Template)]
#[template(path = "places_lettings.html")]
struct LettingsPage {
    c: RequestCtx,
    lettings: Page<LettingRecord>,
    f: FormView,
    spaces: Vec<(String, String)>,
    partners: Vec<(String, String)>,
    base: String,
    today: String,
}

async fn lettings_page(
    state: &AppState,
    ctx: RequestCtx,
    page: i64,
    f: FormView,
) -> Result<LettingsPage, AppError> {
    let lettings = state
        .store
        .place_lettings(PageRequest::new(page, PER_PAGE))
        .await?;
    let spaces = state
        .store
        .place_spaces(None, false, PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?
        .items
        .into_iter()
        .map(|s| (s.id.to_string(), format!("{} — {}", s.site_name, s.name)))
        .collect();
    let partners = state
        .store
        .place_partners(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?
        .items
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    Ok(LettingsPage {
        lettings,
        f,
        spaces,
        partners,
        base: "/places/lettings?".into(),
        today: today().to_string(),
        c: ctx,
    })
}

pub async fn lettings(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<super::PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    render(&lettings_page(&state, ctx, q.page.unwrap_or(1), FormView::default()).await?)
}

pub async fn create_letting(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let mut f = FormView::new(pairs);
    let form: LettingForm = f.decode().map_err(AppError::Internal)?;
    let status = match form.parse() {
        Ok(l) => match state.store.let_space(&ctx.audit(), &l).await {
            Ok(Ok(_)) => return Ok(see_other("/places/lettings")),
            Ok(Err(conflict)) => {
                f.add_message("places_starts_on", conflict_text(ctx.lang, &conflict));
                StatusCode::CONFLICT
            }
            Err(e) => {
                f.add_errors(&store_errors(e)?, ctx.lang);
                StatusCode::UNPROCESSABLE_ENTITY
            }
        },
        Err(e) => {
            f.add_errors(&e, ctx.lang);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let page = lettings_page(&state, ctx, 1, f).await?;
    render_status(status, &page)
}

// --------------------------------------------------------------------- occupancy

#[derive(Template)]
#[template(path = "places_occupancy.html")]
struct OccupancyPage {
    c: RequestCtx,
    o: Occupancy,
    from: String,
    to: String,
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A ppm share as a Belgian percentage with one decimal: 123_456 → `12,3 %`.
pub fn ppm_percent(ppm: &i64) -> String {
    let tenths = (ppm + 500) / 1_000;
    format!("{},{}\u{a0}%", tenths / 10, tenths % 10)
}

/// A surface the Belgian way: 4800 → `4.800 m²`.
pub fn m2(n: &i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}{out}\u{a0}m²", if *n < 0 { "-" } else { "" })
}

/// Minutes as hours and minutes: 390 → `6 h 30`.
pub fn hours(minutes: &i64) -> String {
    format!("{} h {:02}", minutes / 60, minutes % 60)
}

pub async fn occupancy(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::Places)?;
    let t = today();
    let from = q
        .from
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
        .unwrap_or_else(|| t.first_of_month());
    let to =
        q.to.as_deref()
            .and_then(|d| d.parse::<Date>().ok())
            .filter(|d| *d >= from)
            .unwrap_or_else(|| from.last_of_month());
    let o = state.store.place_occupancy(from, to).await?;
    render(&OccupancyPage {
        o,
        from: from.to_string(),
        to: to.to_string(),
        c: ctx,
    })
}
