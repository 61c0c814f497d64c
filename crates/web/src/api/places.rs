//! The API of places, with the pages' rules and policy (`pages/places.rs`): list the spaces,
//! read a space's availability for a day, book (409 naming the overlapping slot), list one's
//! bookings (every booking for the facilities staff) and cancel.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use ruche_domain::places::{
    BookingForm, CLOSES_AT, OPENS_AT, REFUSED_OVERLAP, is_open_day, letting_holds,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::StoreError;
use ruche_store::places::BookingFilter;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, ApiUser, created, ok, paging};
use crate::AppState;
use crate::pages::places::{BookRefusal, book, clock, conflict_text, is_facilities, may_cancel};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/places/spaces", get(list_spaces))
        .route("/places/spaces/{id}/availability", get(availability))
        .route("/places/spaces/{id}/bookings", post(create_booking))
        .route("/places/bookings", get(list_bookings))
        .route("/places/bookings/{id}/cancel", post(cancel))
}

#[derive(Deserialize, Default)]
pub struct SpacesQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    site: Option<i64>,
}

/// The spaces open to bookings (every space for the facilities staff).
pub async fn list_spaces(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<SpacesQuery>,
) -> ApiResult {
    api.authorize(Action::List, Target::Places)?;
    let page = state
        .store
        .place_spaces(
            q.site,
            !is_facilities(&api.user),
            paging(q.page, q.per_page),
        )
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    day: Option<String>,
}

#[derive(Serialize)]
struct Slot {
    from: String,
    to: String,
}

/// A space's day: open or not, the letting holding it, the bookings and the free slots
/// within the opening hours (Brussels times `HH:MM`).
pub async fn availability(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<DayQuery>,
) -> ApiResult {
    api.authorize(Action::View, Target::Places)?;
    let Some(day) = q.day.as_deref().and_then(|d| d.parse::<Date>().ok()) else {
        return Err(ApiError::invalid(
            &FieldErrors::single("day", "date"),
            api.lang(),
        ));
    };
    let space = state
        .store
        .place_space(id)
        .await
        .map_err(|e| api.store_error(e))?;
    let bookings = state
        .store
        .place_calendar(id, day, day)
        .await
        .map_err(|e| api.store_error(e))?;
    let lettings = state
        .store
        .place_lettings_between(Some(id), day, day)
        .await
        .map_err(|e| api.store_error(e))?;
    let let_to = lettings
        .iter()
        .find(|l| {
            matches!((l.starts_on.parse::<Date>(), l.ends_on.parse::<Date>()),
                (Ok(s), Ok(e)) if letting_holds(s, e, day))
        })
        .map(|l| l.partner_name.clone());
    let open = is_open_day(day) && space.active && space.bookable && let_to.is_none();
    let hm = |t: jiff::civil::Time| t.strftime("%H:%M").to_string();
    let mut free = Vec::new();
    if open {
        let mut cursor = hm(OPENS_AT);
        for b in &bookings {
            let (from, to) = (clock(b.starts_at), clock(b.ends_at));
            if from > cursor {
                free.push(Slot {
                    from: cursor.clone(),
                    to: from.clone(),
                });
            }
            if to > cursor {
                cursor = to;
            }
        }
        if cursor < hm(CLOSES_AT) {
            free.push(Slot {
                from: cursor,
                to: hm(CLOSES_AT),
            });
        }
    }
    let booked: Vec<Value> = bookings
        .iter()
        .map(|b| json!({ "id": b.id, "from": clock(b.starts_at), "to": clock(b.ends_at), "holder": b.holder() }))
        .collect();
    ok(json!({
        "space_id": id,
        "day": day.to_string(),
        "open": open,
        "opens_at": hm(OPENS_AT),
        "closes_at": hm(CLOSES_AT),
        "let_to": let_to,
        "bookings": booked,
        "free": free,
    }))
}

/// Books a space: the page's form names as JSON. 201 with the booking; 409 naming the
/// overlapping slot; 422 for bad input.
pub async fn create_booking(
    api: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    json: Result<Json<Map<String, Value>>, JsonRejection>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Places)?;
    // Numbers are taken as the form's texts (`"places_persons": 4` or `"4"`).
    let fields = api
        .body(json)?
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    let form: BookingForm = crate::forms::FormView::new(fields)
        .decode()
        .map_err(|e| ApiError::bad_json(e, api.lang()))?;
    let lang = api.lang();
    match book(&state, &api.user, lang, id, &form, &api.audit()).await {
        Ok(Ok(b)) => created(b),
        Ok(Err(BookRefusal::Invalid(e))) => Err(ApiError::invalid(&e, lang)),
        Ok(Err(BookRefusal::Overlap(c))) => Err(ApiError::conflict(
            "places_from",
            REFUSED_OVERLAP,
            conflict_text(lang, &c),
            lang,
        )),
        Err(crate::error::AppError::Store(e)) => Err(api.store_error(e)),
        Err(_) => Err(ApiError::internal()),
    }
}

#[derive(Deserialize, Default)]
pub struct BookingsQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    from: Option<String>,
    to: Option<String>,
    space: Option<i64>,
}

/// One's own bookings; every booking for the facilities staff.
pub async fn list_bookings(
    api: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<BookingsQuery>,
) -> ApiResult {
    api.authorize(Action::Create, Target::Places)?;
    let mut errors = FieldErrors::new();
    let mut day = |field: &'static str, v: &Option<String>| match v.as_deref() {
        None | Some("") => None,
        Some(s) => s
            .parse::<Date>()
            .map_err(|_| errors.add(field, "date"))
            .ok(),
    };
    let (from, to) = (day("from", &q.from), day("to", &q.to));
    if !errors.is_empty() {
        return Err(ApiError::invalid(&errors, api.lang()));
    }
    let filter = BookingFilter {
        space_id: q.space,
        person_id: (!is_facilities(&api.user)).then_some(api.user.person.id),
        from_day: from,
        to_day: to,
        ..BookingFilter::default()
    };
    let page = state
        .store
        .place_bookings(&filter, paging(q.page, q.per_page))
        .await
        .map_err(|e| api.store_error(e))?;
    ok(page)
}

/// Cancels a booking: one's own, or any for the facilities staff.
pub async fn cancel(api: ApiUser, State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    api.authorize(Action::Create, Target::Places)?;
    let b = state
        .store
        .place_booking(id)
        .await
        .map_err(|e| api.store_error(e))?;
    if b.person_id != Some(api.user.person.id) && !is_facilities(&api.user) {
        return Err(ApiError::not_found(api.lang()));
    }
    if !may_cancel(&api.user, &b) {
        return Err(ApiError::forbidden(api.lang()));
    }
    match state
        .store
        .cancel_place_booking(&api.audit(), id, ruche_store::now_micros())
        .await
    {
        Ok(b) => ok(b),
        Err(StoreError::Conflict(code)) => Err(ApiError::conflict(
            "status",
            code,
            crate::i18n::field_error(api.lang(), code),
            api.lang(),
        )),
        Err(e) => Err(api.store_error(e)),
    }
}

/// The OpenAPI paths and schemas of this module, added to the document by `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let errors = |ok: &str, description: &str| {
        let mut out = Map::new();
        out.insert(ok.into(), json!({ "description": description }));
        for (code, d) in [
            ("401", "missing or revoked token"),
            ("403", "refused by the policy"),
            ("404", "no such space or booking"),
            (
                "409",
                "the slot overlaps a booking or a letting of the space (named in the message)",
            ),
            ("422", "invalid input; each error names its field"),
        ] {
            out.insert(code.into(), json!({ "description": d, "content": problem }));
        }
        Value::Object(out)
    };
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let text = |d: &str| json!({ "type": "string", "description": d });
    schemas.insert(
        "PlaceBookingInput".into(),
        json!({ "type": "object",
            "required": ["places_day", "places_from", "places_to", "places_purpose", "places_persons"],
            "description": "A booking, as the space page's form. Brussels times by quarter hours, Monday to Saturday 07:00–22:00.",
            "properties": {
                "places_day": { "type": "string", "format": "date" },
                "places_from": text("HH:MM"),
                "places_to": text("HH:MM, after places_from"),
                "places_for": { "type": "string", "enum": ["member", "activity", "partner"], "description": "partner: facilities staff only" },
                "places_activity": text("id of an activity the member holds (places_for = activity)"),
                "places_booking_partner": text("id of a partner (places_for = partner)"),
                "places_purpose": text("at most 150 characters"),
                "places_persons": text("persons, at most the space's capacity") } }),
    );
    schemas.insert(
        "PlaceBooking".into(),
        json!({ "type": "object", "description": "A booking: id, space_id, space_name, site_name, starts_at and ends_at (Unix µs), day, booked_for, person_id, activity_id, partner_id, purpose, persons, price_cents, status (booked | cancelled)." }),
    );
    paths.insert(
        "/places/spaces".into(),
        json!({ "get": { "summary": "The spaces open to bookings (all spaces for the facilities staff)", "tags": ["places"],
            "parameters": [
                { "name": "site", "in": "query", "schema": { "type": "integer" } },
                { "name": "page", "in": "query", "schema": { "type": "integer" } },
                { "name": "per_page", "in": "query", "schema": { "type": "integer" } } ],
            "responses": errors("200", "a page of spaces with capacity, surface, equipment and prices") } }),
    );
    paths.insert(
        "/places/spaces/{id}/availability".into(),
        json!({ "get": { "summary": "A space's availability for a day", "tags": ["places"],
            "parameters": [id_param, { "name": "day", "in": "query", "required": true, "schema": { "type": "string", "format": "date" } }],
            "responses": errors("200", "{ open, opens_at, closes_at, let_to, bookings, free }") } }),
    );
    paths.insert(
        "/places/spaces/{id}/bookings".into(),
        json!({ "post": { "summary": "Book a space", "tags": ["places"], "parameters": [id_param],
            "requestBody": { "content": { "application/json": { "schema": reference("PlaceBookingInput") } } },
            "responses": errors("201", "the booking, with its price") } }),
    );
    paths.insert(
        "/places/bookings".into(),
        json!({ "get": { "summary": "One's bookings (every booking for the facilities staff)", "tags": ["places"],
            "parameters": [
                { "name": "from", "in": "query", "schema": { "type": "string", "format": "date" } },
                { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" } },
                { "name": "space", "in": "query", "schema": { "type": "integer" } },
                { "name": "page", "in": "query", "schema": { "type": "integer" } },
                { "name": "per_page", "in": "query", "schema": { "type": "integer" } } ],
            "responses": errors("200", "a page of bookings") } }),
    );
    paths.insert(
        "/places/bookings/{id}/cancel".into(),
        json!({ "post": { "summary": "Cancel a booking (one's own, or any for the facilities staff)", "tags": ["places"],
            "parameters": [id_param],
            "responses": errors("200", "the booking, cancelled") } }),
    );
}
