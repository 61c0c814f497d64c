//! Advocacy and permanent education (C13): publications, conferences and debates, network
//! memberships. Every change runs in one transaction with its audit entry. The Recognition
//! section of the year's figures counts them (publications and events of the year, their
//! audience, memberships active on 31 December).

use ruche_domain::advocacy::{NewEvent, NewNetwork, NewPublication};
use ruche_domain::validate::FieldErrors;
use serde::Serialize;

use crate::ethics::year_days;
use crate::figures::{Figure, FigureSection, FigureValue, SectionFigures};
use crate::{AuditContext, Page, PageRequest, Result, Store, StoreError};

/// The figure keys of the Recognition section (advocacy and permanent education), in order.
pub const FIGURE_KEYS: [&str; 4] = [
    "advocacy-publications",
    "advocacy-conferences",
    "advocacy-audience",
    "advocacy-networks",
];

/// Field error code: the representative is not a known person.
pub const REFUSED_PERSON: &str = "advocacy-unknown-person";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PublicationRecord {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub published_on: String,
    pub authors: String,
    pub partners: Option<String>,
    pub link: Option<String>,
    pub language: String,
    pub summary: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EventRecord {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub held_on: String,
    pub place: String,
    pub speakers: String,
    pub partners: Option<String>,
    pub audience: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct NetworkRecord {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub since_on: String,
    pub until_on: Option<String>,
    pub fee_cents: Option<i64>,
    pub representative_person_id: Option<i64>,
    pub representative_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Advocacy's year in figures: counted from the rows, never typed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdvocacyYear {
    pub publications: i64,
    /// Conferences, debates, workshops and festival talks held in the year.
    pub events: i64,
    /// Their audience (events whose audience is unknown count for nothing).
    pub audience: i64,
    /// Memberships active on 31 December.
    pub networks: i64,
}

const PUBLICATION_GET: &str = "SELECT id, title, kind, published_on, authors, partners, link, \
    language, summary, created_at, updated_at FROM advocacy_publications WHERE id = $1";
const PUBLICATIONS: &str = "SELECT id, title, kind, published_on, authors, partners, link, \
    language, summary, created_at, updated_at FROM advocacy_publications \
    WHERE (CAST($1 AS TEXT) IS NULL OR (published_on >= $1 AND published_on < $2)) \
    ORDER BY published_on DESC, id DESC LIMIT $3 OFFSET $4";
const PUBLICATIONS_COUNT: &str = "SELECT COUNT(*) FROM advocacy_publications \
    WHERE (CAST($1 AS TEXT) IS NULL OR (published_on >= $1 AND published_on < $2))";
const PUBLICATION_INSERT: &str = "INSERT INTO advocacy_publications (title, kind, published_on, \
    authors, partners, link, language, summary, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
const PUBLICATION_UPDATE: &str = "UPDATE advocacy_publications SET title = $1, kind = $2, \
    published_on = $3, authors = $4, partners = $5, link = $6, language = $7, summary = $8, \
    updated_at = $9 WHERE id = $10";

const EVENT_GET: &str = "SELECT id, title, kind, held_on, place, speakers, partners, audience, \
    created_at, updated_at FROM advocacy_events WHERE id = $1";
const EVENTS: &str = "SELECT id, title, kind, held_on, place, speakers, partners, audience, \
    created_at, updated_at FROM advocacy_events \
    WHERE (CAST($1 AS TEXT) IS NULL OR (held_on >= $1 AND held_on < $2)) \
    ORDER BY held_on DESC, id DESC LIMIT $3 OFFSET $4";
const EVENTS_COUNT: &str = "SELECT COUNT(*) FROM advocacy_events \
    WHERE (CAST($1 AS TEXT) IS NULL OR (held_on >= $1 AND held_on < $2))";
const EVENT_INSERT: &str = "INSERT INTO advocacy_events (title, kind, held_on, place, speakers, \
    partners, audience, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
    RETURNING id";
const EVENT_UPDATE: &str = "UPDATE advocacy_events SET title = $1, kind = $2, held_on = $3, \
    place = $4, speakers = $5, partners = $6, audience = $7, updated_at = $8 WHERE id = $9";

macro_rules! network_select {
    () => {
        "SELECT n.id, n.name, n.kind, n.since_on, n.until_on, n.fee_cents, \
         n.representative_person_id, p.first_name || ' ' || p.last_name AS representative_name, \
         n.created_at, n.updated_at FROM advocacy_networks n \
         LEFT JOIN persons p ON p.id = n.representative_person_id"
    };
}
const NETWORK_GET: &str = concat!(network_select!(), " WHERE n.id = $1");
// Active on the day `$1` when given (a year's last day), else every membership.
const NETWORKS: &str = concat!(
    network_select!(),
    " WHERE (CAST($1 AS TEXT) IS NULL OR (n.since_on <= $1 AND (n.until_on IS NULL OR n.until_on >= $1))) \
     ORDER BY CASE WHEN n.until_on IS NULL THEN 0 ELSE 1 END, n.name, n.id LIMIT $2 OFFSET $3"
);
const NETWORKS_COUNT: &str = "SELECT COUNT(*) FROM advocacy_networks n \
    WHERE (CAST($1 AS TEXT) IS NULL OR (n.since_on <= $1 AND (n.until_on IS NULL OR n.until_on >= $1)))";
const NETWORK_INSERT: &str = "INSERT INTO advocacy_networks (name, kind, since_on, until_on, \
    fee_cents, representative_person_id, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
const NETWORK_UPDATE: &str = "UPDATE advocacy_networks SET name = $1, kind = $2, since_on = $3, \
    until_on = $4, fee_cents = $5, representative_person_id = $6, updated_at = $7 WHERE id = $8";
const PERSON_EXISTS: &str = "SELECT id FROM persons WHERE id = $1";

const YEAR_PUBLICATIONS: &str = "SELECT COUNT(*) FROM advocacy_publications \
    WHERE published_on >= $1 AND published_on < $2";
const YEAR_EVENTS: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(audience), 0) AS BIGINT) \
    FROM advocacy_events WHERE held_on >= $1 AND held_on < $2";
const YEAR_NETWORKS: &str = "SELECT COUNT(*) FROM advocacy_networks \
    WHERE since_on <= $1 AND (until_on IS NULL OR until_on >= $1)";

/// `(from, to)` of the year when given.
fn year_filter(year: Option<i16>) -> Result<(Option<String>, Option<String>)> {
    Ok(match year {
        Some(y) => {
            let (f, t) = year_days(y)?;
            (Some(f), Some(t))
        }
        None => (None, None),
    })
}

impl Store {
    // ------------------------------------------------------------------ publications

    /// Records a publication (`id` `None`) or changes one.
    pub async fn save_publication(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        new: &NewPublication,
        at: i64,
    ) -> Result<PublicationRecord> {
        write_tx!(self, tx => {
            let before = match id {
                Some(id) => Some(fetch_one_in!(tx, PublicationRecord, PUBLICATION_GET, id)),
                None => None,
            };
            let id = match id {
                Some(id) => {
                    sqlx::query(PUBLICATION_UPDATE)
                        .bind(&new.title)
                        .bind(new.kind.code())
                        .bind(new.published_on.to_string())
                        .bind(&new.authors)
                        .bind(new.partners.as_deref())
                        .bind(new.link.as_deref())
                        .bind(&new.language)
                        .bind(new.summary.as_deref())
                        .bind(at)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(PUBLICATION_INSERT)
                        .bind(&new.title)
                        .bind(new.kind.code())
                        .bind(new.published_on.to_string())
                        .bind(&new.authors)
                        .bind(new.partners.as_deref())
                        .bind(new.link.as_deref())
                        .bind(&new.language)
                        .bind(new.summary.as_deref())
                        .bind(at)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = fetch_one_in!(tx, PublicationRecord, PUBLICATION_GET, id);
            let action = if before.is_some() { "advocacy-publication.update" } else { "advocacy-publication.create" };
            audit!(tx, ctx, action, "advocacy_publication", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    pub async fn publication(&self, id: i64) -> Result<PublicationRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, PublicationRecord>(PUBLICATION_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of publications, newest first; of one calendar year when given.
    pub async fn publications(
        &self,
        year: Option<i16>,
        page: PageRequest,
    ) -> Result<Page<PublicationRecord>> {
        let (from, to) = year_filter(year)?;
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(PUBLICATIONS_COUNT)
                .bind(from.as_deref()).bind(to.as_deref()).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, PublicationRecord>(PUBLICATIONS)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ------------------------------------------------------------------------ events

    /// Records a conference or debate (`id` `None`) or changes one.
    pub async fn save_advocacy_event(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        new: &NewEvent,
        at: i64,
    ) -> Result<EventRecord> {
        write_tx!(self, tx => {
            let before = match id {
                Some(id) => Some(fetch_one_in!(tx, EventRecord, EVENT_GET, id)),
                None => None,
            };
            let id = match id {
                Some(id) => {
                    sqlx::query(EVENT_UPDATE)
                        .bind(&new.title)
                        .bind(new.kind.code())
                        .bind(new.held_on.to_string())
                        .bind(&new.place)
                        .bind(&new.speakers)
                        .bind(new.partners.as_deref())
                        .bind(new.audience)
                        .bind(at)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(EVENT_INSERT)
                        .bind(&new.title)
                        .bind(new.kind.code())
                        .bind(new.held_on.to_string())
                        .bind(&new.place)
                        .bind(&new.speakers)
                        .bind(new.partners.as_deref())
                        .bind(new.audience)
                        .bind(at)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = fetch_one_in!(tx, EventRecord, EVENT_GET, id);
            let action = if before.is_some() { "advocacy-event.update" } else { "advocacy-event.create" };
            audit!(tx, ctx, action, "advocacy_event", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    pub async fn advocacy_event(&self, id: i64) -> Result<EventRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, EventRecord>(EVENT_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of conferences and debates, newest first; of one calendar year when given.
    pub async fn advocacy_events(
        &self,
        year: Option<i16>,
        page: PageRequest,
    ) -> Result<Page<EventRecord>> {
        let (from, to) = year_filter(year)?;
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(EVENTS_COUNT)
                .bind(from.as_deref()).bind(to.as_deref()).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, EventRecord>(EVENTS)
                .bind(from.as_deref())
                .bind(to.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ---------------------------------------------------------------------- networks

    /// Records a network membership (`id` `None`) or changes one (ending it: its last day).
    pub async fn save_network(
        &self,
        ctx: &AuditContext,
        id: Option<i64>,
        new: &NewNetwork,
        at: i64,
    ) -> Result<NetworkRecord> {
        write_tx!(self, tx => {
            if let Some(person) = new.representative_person_id {
                let found: Option<(i64,)> = sqlx::query_as(PERSON_EXISTS)
                    .bind(person)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(StoreError::Refused(FieldErrors::single(
                        "advocacy_representative",
                        REFUSED_PERSON,
                    )));
                }
            }
            let before = match id {
                Some(id) => Some(fetch_one_in!(tx, NetworkRecord, NETWORK_GET, id)),
                None => None,
            };
            let id = match id {
                Some(id) => {
                    sqlx::query(NETWORK_UPDATE)
                        .bind(&new.name)
                        .bind(new.kind.code())
                        .bind(new.since_on.to_string())
                        .bind(new.until_on.map(|d| d.to_string()))
                        .bind(new.fee_cents)
                        .bind(new.representative_person_id)
                        .bind(at)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(NETWORK_INSERT)
                        .bind(&new.name)
                        .bind(new.kind.code())
                        .bind(new.since_on.to_string())
                        .bind(new.until_on.map(|d| d.to_string()))
                        .bind(new.fee_cents)
                        .bind(new.representative_person_id)
                        .bind(at)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let after = fetch_one_in!(tx, NetworkRecord, NETWORK_GET, id);
            let action = if before.is_some() { "advocacy-network.update" } else { "advocacy-network.create" };
            audit!(tx, ctx, action, "advocacy_network", Some(id), before.as_ref(), Some(&after));
            Ok(after)
        })
    }

    pub async fn network(&self, id: i64) -> Result<NetworkRecord> {
        with_db!(self, pool => {
            sqlx::query_as::<_, NetworkRecord>(NETWORK_GET)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A page of memberships (current ones first): those active at the end of `year` when
    /// given, else all.
    pub async fn networks(
        &self,
        year: Option<i16>,
        page: PageRequest,
    ) -> Result<Page<NetworkRecord>> {
        let day = match year {
            Some(y) => Some(year_end(y)?),
            None => None,
        };
        with_db!(self, pool => {
            let (total,): (i64,) = sqlx::query_as(NETWORKS_COUNT)
                .bind(day.as_deref()).fetch_one(pool).await?;
            let items = sqlx::query_as::<_, NetworkRecord>(NETWORKS)
                .bind(day.as_deref())
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            Ok(page.of(items, total))
        })
    }

    // ----------------------------------------------------------------------- figures

    pub async fn advocacy_year(&self, year: i16) -> Result<AdvocacyYear> {
        let (from, to) = year_days(year)?;
        let last = year_end(year)?;
        with_db!(self, pool => {
            let (publications,): (i64,) = sqlx::query_as(YEAR_PUBLICATIONS)
                .bind(&from).bind(&to).fetch_one(pool).await?;
            let (events, audience): (i64, i64) = sqlx::query_as(YEAR_EVENTS)
                .bind(&from).bind(&to).fetch_one(pool).await?;
            let (networks,): (i64,) = sqlx::query_as(YEAR_NETWORKS)
                .bind(&last).fetch_one(pool).await?;
            Ok(AdvocacyYear { publications, events, audience, networks })
        })
    }

    /// The Recognition section of the year's figures (figures.rs calls it).
    pub async fn advocacy_figures(&self, year: i16) -> Result<SectionFigures> {
        let y = self.advocacy_year(year).await?;
        let link = Some(format!("/advocacy?year={year}"));
        let figure = |key: &'static str, n: i64| Figure {
            key,
            value: FigureValue::Count(n),
            link: link.clone(),
            parts: Vec::new(),
        };
        let figures = vec![
            figure("advocacy-publications", y.publications),
            figure("advocacy-conferences", y.events),
            figure("advocacy-audience", y.audience),
            figure("advocacy-networks", y.networks),
        ];
        // A year with nothing but zeros holds no data: never invent a figure.
        let available = figures.iter().any(|f| !f.value.is_zero());
        Ok(SectionFigures {
            section: FigureSection::Recognition,
            available,
            note: None,
            figures: if available { figures } else { Vec::new() },
        })
    }
}

/// The last day of a year, as stored.
fn year_end(year: i16) -> Result<String> {
    let (from, _) = year_days(year)?;
    Ok(format!("{}-12-31", &from[..4]))
}
