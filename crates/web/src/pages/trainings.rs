//! The training catalogue's member and staff pages (C9): a member describes the trainings
//! they give (facts, texts in FR/NL/EN, the art. 44 checklist), submits them for
//! validation, reads the contact requests (leads) of the public catalogue and turns one into
//! a quote; staff validate and publish, validate the exemption checklist, choose the
//! training entity, and record the training sessions for members and staff.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::Language;
use ruche_domain::client::ClientForm;
use ruche_domain::policy::{Action, Target};
use ruche_domain::training::session::{SessionFor, SessionForm};
use ruche_domain::training::{
    AUDIENCES, TOPICS, TextForm, TrainingEvent, TrainingForm, TrainingStatus,
};
use ruche_domain::validate::FieldErrors;
use ruche_store::activities::ActivityFilter;
use ruche_store::entities::LegalEntityRecord;
use ruche_store::trainings::{
    Exemption, LeadFilter, LeadRecord, SessionRecord, SessionTotals, TrainingFilter,
    TrainingRecord, TrainingSummary, TrainingTextRecord,
};
use ruche_store::{Page, PageRequest, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/trainings", get(list).post(create))
        .route("/trainings/new", get(new))
        .route("/trainings/leads", get(leads))
        .route("/trainings/leads/{id}/close", post(close_lead))
        .route(
            "/trainings/leads/{id}/quote",
            get(quote_form).post(make_quote),
        )
        .route("/trainings/sessions", get(sessions).post(create_session))
        .route("/trainings/entity", post(set_entity))
        .route("/trainings/{id}", get(show).post(update))
        .route("/trainings/{id}/texts", post(save_text))
        .route("/trainings/{id}/exemption", post(save_exemption))
        .route(
            "/trainings/{id}/exemption/validate",
            post(validate_exemption),
        )
        .route("/trainings/{id}/transition", post(transition))
}

const PER_PAGE: i64 = 20;
/// The activities offered in the form (a member holds a few).
const MAX_ACTIVITIES: i64 = 100;
/// The clients offered for a quote (searched by the lead's e-mail and name first).
const MAX_CLIENTS: i64 = 50;

/// The options of a select: (value, label).
type Options = Vec<(String, String)>;

fn codes(ctx: &RequestCtx, prefix: &str, list: &[&str]) -> Options {
    list.iter()
        .map(|c| (c.to_string(), ctx.t_of(prefix, c)))
        .collect()
}

fn with_blank(ctx: &RequestCtx, mut options: Options) -> Options {
    options.insert(0, (String::new(), ctx.t("trn-choose")));
    options
}

fn languages(ctx: &RequestCtx) -> Options {
    Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), ctx.t_of("trn-lang-", l.code())))
        .collect()
}

/// A store refusal as field errors for the form, or an error for the error page.
fn refusal(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(errors) => Ok(errors),
        StoreError::Conflict(code) => Ok(FieldErrors::single("trn_status", code)),
        e => Err(e.into()),
    }
}

fn person_of(ctx: &RequestCtx) -> Option<i64> {
    ctx.user.as_deref().map(|u| u.person.id)
}

/// The policy's view of a training: whether the actor gives it.
fn target(ctx: &RequestCtx, training: &TrainingRecord) -> Target {
    Target::Training {
        given_by_actor: person_of(ctx) == Some(training.trainer_person_id),
    }
}

async fn activity_options(state: &AppState, ctx: &RequestCtx) -> Result<Options, AppError> {
    let Some(person) = person_of(ctx) else {
        return Ok(Vec::new());
    };
    let list = state
        .store
        .activities(
            &ActivityFilter {
                holder: Some(person),
                ..Default::default()
            },
            PageRequest::new(1, MAX_ACTIVITIES),
        )
        .await?;
    Ok(with_blank(
        ctx,
        list.items
            .into_iter()
            .map(|a| (a.id.to_string(), a.name))
            .collect(),
    ))
}

/// The checked boxes of `name` in a posted form.
fn checked(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

fn training_form(f: &FormView, pairs: &[(String, String)]) -> Result<TrainingForm, AppError> {
    let mut form: TrainingForm = f.decode().map_err(AppError::Internal)?;
    form.trn_languages = checked(pairs, "trn_languages");
    Ok(form)
}

// -------------------------------------------------------------------------------- lists

#[derive(Template)]
#[template(path = "trainings.html")]
struct ListPage {
    c: RequestCtx,
    mine: Option<Page<TrainingSummary>>,
    all: Option<Page<TrainingSummary>>,
    status: String,
    statuses: Options,
    may_create: bool,
    may_choose_entity: bool,
    entities: Options,
    training_entity: Option<LegalEntityRecord>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    mine: Option<i64>,
    status: Option<String>,
    saved: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let staff = ctx.may(Action::List, Target::Trainings);
    let may_create = ctx.may(
        Action::Create,
        Target::Training {
            given_by_actor: true,
        },
    );
    if !staff && !may_create {
        // A member without the usage contract is sent to it.
        ctx.authorize(
            Action::Create,
            Target::Training {
                given_by_actor: true,
            },
        )?;
    }
    let mine = match (may_create, person_of(&ctx)) {
        (true, Some(person)) => Some(
            state
                .store
                .trainings(
                    &TrainingFilter {
                        trainer_person_id: Some(person),
                        ..Default::default()
                    },
                    ctx.lang,
                    PageRequest::new(q.mine.unwrap_or(1), PER_PAGE),
                )
                .await?,
        ),
        _ => None,
    };
    // Staff see the validation queue first.
    let status = q.status.clone().unwrap_or_else(|| {
        if staff {
            "pending".into()
        } else {
            String::new()
        }
    });
    let all = if staff {
        Some(
            state
                .store
                .trainings(
                    &TrainingFilter {
                        status: TrainingStatus::parse(&status),
                        ..Default::default()
                    },
                    ctx.lang,
                    PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
                )
                .await?,
        )
    } else {
        None
    };
    let may_choose_entity = ctx.may(Action::Update, Target::LegalEntities);
    let entities = if may_choose_entity {
        state
            .store
            .legal_entities(PageRequest::new(1, 50))
            .await?
            .items
            .into_iter()
            .map(|e| (e.id.to_string(), e.name))
            .collect()
    } else {
        Vec::new()
    };
    let training_entity = if staff {
        state.store.training_entity().await?
    } else {
        None
    };
    let mut statuses = vec![(String::new(), ctx.t("trn-all"))];
    statuses.extend(codes(
        &ctx,
        "trn-status-",
        &TrainingStatus::ALL.map(TrainingStatus::code),
    ));
    let notice = q.saved.as_ref().map(|_| ctx.t("trn-saved"));
    render(&ListPage {
        mine,
        all,
        status,
        statuses,
        may_create,
        may_choose_entity,
        entities,
        training_entity,
        notice,
        c: ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct EntityForm {
    #[serde(default)]
    trn_entity: String,
}

/// An administrator marks the legal entity that issues exempt trainings' invoices.
pub async fn set_entity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<EntityForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Update, Target::LegalEntities)?;
    let id = form
        .trn_entity
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    state.store.set_training_entity(&ctx.audit(), id).await?;
    Ok(see_other("/trainings?saved=1"))
}

// ----------------------------------------------------------------------------- creating

#[derive(Template)]
#[template(path = "trainings_new.html")]
struct NewPage {
    c: RequestCtx,
    f: FormView,
    activities: Options,
    topics: Options,
    audiences: Options,
    languages: Options,
}

async fn new_page(state: &AppState, ctx: RequestCtx, f: FormView) -> Result<NewPage, AppError> {
    Ok(NewPage {
        activities: activity_options(state, &ctx).await?,
        topics: with_blank(&ctx, codes(&ctx, "trn-topic-", &TOPICS)),
        audiences: with_blank(&ctx, codes(&ctx, "trn-audience-", &AUDIENCES)),
        languages: languages(&ctx),
        f,
        c: ctx,
    })
}

pub async fn new(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(
        Action::Create,
        Target::Training {
            given_by_actor: true,
        },
    )?;
    let lang = ctx.lang_code();
    let f = FormView::with_defaults(&[
        ("trn_text_language", lang),
        ("trn_languages", lang),
        ("trn_duration_hours", "6"),
    ]);
    render(&new_page(&state, ctx, f).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.authorize(
        Action::Create,
        Target::Training {
            given_by_actor: true,
        },
    )?;
    let person = user.person.id;
    let mut f = FormView::new(pairs.clone());
    let form = training_form(&f, &pairs)?;
    let text: TextForm = f.decode().map_err(AppError::Internal)?;
    let mut errors = FieldErrors::new();
    let facts = form.parse().map_err(|e| errors.0.extend(e.0)).ok();
    let text = text.parse().map_err(|e| errors.0.extend(e.0)).ok();
    if let (Some(facts), Some(text)) = (facts, text) {
        match state
            .store
            .create_training(&ctx.audit(), person, &facts, &text)
            .await
        {
            Ok(t) => {
                state.search.catalogue.refresh(&state.store).await?;
                return Ok(see_other(&format!("/trainings/{}?saved=1", t.id)));
            }
            Err(e) => errors = refusal(e)?,
        }
    }
    f.add_errors(&errors, ctx.lang);
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &new_page(&state, ctx, f).await?,
    )
}

// ------------------------------------------------------------------------- one training

/// One language's text as its form shows it.
struct TextView {
    language: &'static str,
    label: String,
    text: Option<TrainingTextRecord>,
}

impl TextView {
    fn value(&self, field: &str) -> &str {
        let Some(t) = &self.text else { return "" };
        match field {
            "trn_title" => &t.title,
            "trn_goal" => &t.goal,
            "trn_methodology" => &t.methodology,
            "trn_audience_text" => &t.audience_text,
            "trn_prerequisites" => &t.prerequisites,
            _ => "",
        }
    }
}

#[derive(Template)]
#[template(path = "trainings_show.html")]
struct ShowPage {
    c: RequestCtx,
    training: TrainingRecord,
    title: String,
    texts: Vec<TextView>,
    exemption: Exemption,
    leads: Page<LeadRecord>,
    f: FormView,
    activities: Options,
    topics: Options,
    audiences: Options,
    languages: Options,
    editable: bool,
    may_update: bool,
    may_decide: bool,
    /// The transitions offered to this user: (event code, label).
    events: Options,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    page: Option<i64>,
    saved: Option<String>,
}

fn facts_form(t: &TrainingRecord) -> FormView {
    let mut values: Vec<(String, String)> = vec![
        ("trn_activity".into(), t.activity_id.to_string()),
        ("trn_topic".into(), t.topic.clone()),
        ("trn_audience".into(), t.audience.clone()),
        ("trn_place".into(), t.place.clone()),
        ("trn_duration_hours".into(), t.duration_hours.to_string()),
        (
            "trn_price".into(),
            ruche_domain::format::money(t.price_cents)
                .trim_end_matches(" €")
                .trim_end_matches("\u{a0}€")
                .to_string(),
        ),
    ];
    for l in t.language_list() {
        values.push(("trn_languages".into(), l.code().into()));
    }
    FormView::new(values)
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    training: TrainingRecord,
    f: Option<FormView>,
    q: &ShowQuery,
) -> Result<ShowPage, AppError> {
    let target = target(&ctx, &training);
    let status = training.status()?;
    let may_update = ctx.may(Action::Update, target);
    let may_decide = ctx.may(Action::Decide, target);
    let records = state.store.training_texts(training.id).await?;
    let texts: Vec<TextView> = Language::ALL
        .iter()
        .map(|l| TextView {
            language: l.code(),
            label: ctx.t_of("trn-lang-", l.code()),
            text: records.iter().find(|r| r.language == l.code()).cloned(),
        })
        .collect();
    let title = records
        .iter()
        .find(|r| r.language == ctx.lang_code())
        .or(records.first())
        .map(|r| r.title.clone())
        .unwrap_or_default();
    let exemption = state.store.training_exemption(training.id).await?;
    let leads = state
        .store
        .training_leads(
            &LeadFilter {
                training_id: Some(training.id),
                ..Default::default()
            },
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let mut events: Options = Vec::new();
    for event in TrainingEvent::ALL {
        let allowed = if event.is_staff_decision() {
            may_decide
        } else {
            may_update
        };
        if allowed && status.transition(event).is_ok() {
            events.push((event.code().into(), ctx.t_of("trn-event-", event.code())));
        }
    }
    let activities = if may_update && person_of(&ctx) == Some(training.trainer_person_id) {
        activity_options(state, &ctx).await?
    } else {
        vec![(
            training.activity_id.to_string(),
            training.activity_name.clone(),
        )]
    };
    let notice = q.saved.as_ref().map(|_| ctx.t("trn-saved"));
    Ok(ShowPage {
        f: f.unwrap_or_else(|| facts_form(&training)),
        editable: status.is_editable() && may_update,
        title,
        texts,
        exemption,
        leads,
        activities,
        topics: codes(&ctx, "trn-topic-", &TOPICS),
        audiences: codes(&ctx, "trn-audience-", &AUDIENCES),
        languages: languages(&ctx),
        may_update,
        may_decide,
        events,
        notice,
        training,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let training = state.store.training(id).await?;
    ctx.authorize(Action::View, target(&ctx, &training))?;
    render(&show_page(&state, ctx, training, None, &q).await?)
}

async fn refused(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    mut f: FormView,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let training = state.store.training(id).await?;
    f.add_errors(errors, ctx.lang);
    let page = show_page(state, ctx, training, Some(f), &ShowQuery::default()).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The trainer changes a draft's facts.
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let training = state.store.training(id).await?;
    ctx.authorize(Action::Update, target(&ctx, &training))?;
    let f = FormView::new(pairs.clone());
    let errors = match training_form(&f, &pairs)?.parse() {
        Err(e) => e,
        Ok(facts) => match state.store.update_training(&ctx.audit(), id, &facts).await {
            Ok(_) => {
                state.search.catalogue.refresh(&state.store).await?;
                return Ok(see_other(&format!("/trainings/{id}?saved=1")));
            }
            Err(e) => refusal(e)?,
        },
    };
    refused(&state, ctx, id, f, &errors).await
}

/// The trainer writes the text of one language.
pub async fn save_text(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let training = state.store.training(id).await?;
    ctx.authorize(Action::Update, target(&ctx, &training))?;
    let errors = match form.parse() {
        Err(e) => e,
        Ok(text) => match state
            .store
            .save_training_text(&ctx.audit(), id, &text)
            .await
        {
            Ok(_) => {
                state.search.catalogue.refresh(&state.store).await?;
                return Ok(see_other(&format!("/trainings/{id}?saved=1#texts")));
            }
            Err(e) => refusal(e)?,
        },
    };
    refused(&state, ctx, id, facts_form(&training), &errors).await
}

/// The trainer ticks the conditions of the art. 44 checklist.
pub async fn save_exemption(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let training = state.store.training(id).await?;
    ctx.authorize(Action::Update, target(&ctx, &training))?;
    let ticked = checked(&pairs, "trn_criteria");
    let ticked: Vec<&str> = ticked.iter().map(String::as_str).collect();
    match state
        .store
        .set_exemption_checks(&ctx.audit(), id, &ticked)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/trainings/{id}?saved=1#exemption"))),
        Err(e) => {
            let errors = refusal(e)?;
            refused(&state, ctx, id, facts_form(&training), &errors).await
        }
    }
}

/// Staff validate the fully ticked checklist.
pub async fn validate_exemption(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let training = state.store.training(id).await?;
    ctx.authorize(Action::Decide, target(&ctx, &training))?;
    match state.store.validate_exemption(&ctx.audit(), id).await {
        Ok(_) => Ok(see_other(&format!("/trainings/{id}?saved=1#exemption"))),
        Err(e) => {
            let errors = refusal(e)?;
            refused(&state, ctx, id, facts_form(&training), &errors).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct TransitionForm {
    #[serde(default)]
    trn_event: String,
    #[serde(default)]
    trn_reason: String,
}

/// Submit, publish, refuse, withdraw or cancel.
pub async fn transition(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(form): Form<TransitionForm>,
) -> Result<Response, AppError> {
    let training = state.store.training(id).await?;
    let event = TrainingEvent::parse(&form.trn_event).ok_or(AppError::NotFound)?;
    let action = if event.is_staff_decision() {
        Action::Decide
    } else {
        Action::Update
    };
    ctx.authorize(action, target(&ctx, &training))?;
    match state
        .store
        .training_transition(&ctx.audit(), id, event, Some(&form.trn_reason))
        .await
    {
        Ok(_) => {
            state.search.catalogue.refresh(&state.store).await?;
            Ok(see_other(&format!("/trainings/{id}?saved=1")))
        }
        Err(e) => {
            let errors = refusal(e)?;
            refused(&state, ctx, id, facts_form(&training), &errors).await
        }
    }
}

// -------------------------------------------------------------------------------- leads

#[derive(Template)]
#[template(path = "trainings_leads.html")]
struct LeadsPage {
    c: RequestCtx,
    leads: Page<LeadRecord>,
}

pub async fn leads(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let staff = ctx.may(Action::List, Target::Trainings);
    if !staff {
        ctx.authorize(
            Action::Create,
            Target::Training {
                given_by_actor: true,
            },
        )?;
    }
    let filter = LeadFilter {
        trainer_person_id: if staff { None } else { person_of(&ctx) },
        ..Default::default()
    };
    let leads = state
        .store
        .training_leads(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    render(&LeadsPage { leads, c: ctx })
}

async fn lead_and_training(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(LeadRecord, TrainingRecord), AppError> {
    let lead = state.store.training_lead(id).await?;
    let training = state.store.training(lead.training_id).await?;
    ctx.authorize(Action::Update, target(ctx, &training))?;
    Ok((lead, training))
}

pub async fn close_lead(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    lead_and_training(&state, &ctx, id).await?;
    state.store.close_training_lead(&ctx.audit(), id).await?;
    Ok(see_other("/trainings/leads"))
}

#[derive(Template)]
#[template(path = "trainings_quote.html")]
struct QuotePage {
    c: RequestCtx,
    lead: LeadRecord,
    training: TrainingRecord,
    exempt: bool,
    clients: Options,
    kinds: Options,
    f: FormView,
}

async fn quote_page(
    state: &AppState,
    ctx: RequestCtx,
    lead: LeadRecord,
    training: TrainingRecord,
    f: FormView,
) -> Result<QuotePage, AppError> {
    let mut found = state
        .store
        .clients(Some(&lead.email), None, PageRequest::new(1, MAX_CLIENTS))
        .await?
        .items;
    if let Some(org) = &lead.organisation {
        found.extend(
            state
                .store
                .clients(Some(org), None, PageRequest::new(1, MAX_CLIENTS))
                .await?
                .items,
        );
    }
    let mut clients: Options = vec![(String::new(), ctx.t("trn-new-client"))];
    for c in found {
        if !clients.iter().any(|(id, _)| *id == c.id.to_string()) {
            clients.push((c.id.to_string(), format!("{} ({})", c.name, c.city)));
        }
    }
    let exempt = state.store.training_exemption(training.id).await?.exempt;
    Ok(QuotePage {
        kinds: codes(&ctx, "trn-kind-", &["consumer", "company"]),
        exempt,
        clients,
        lead,
        training,
        f,
        c: ctx,
    })
}

pub async fn quote_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (lead, training) = lead_and_training(&state, &ctx, id).await?;
    if let Some(quote) = lead.quote_id {
        return Ok(see_other(&format!("/quotes/{quote}")));
    }
    let valid = today()
        .checked_add(jiff::Span::new().days(30))
        .unwrap_or(today());
    let kind = if lead.organisation.is_some() {
        "company"
    } else {
        "consumer"
    };
    let f = FormView::with_defaults(&[
        ("trn_valid_until", &valid.to_string()),
        ("kind", kind),
        ("country", "BE"),
    ]);
    render(&quote_page(&state, ctx, lead, training, f).await?)
}

#[derive(Deserialize, Default)]
pub struct QuoteForm {
    #[serde(default)]
    trn_client: String,
    #[serde(default)]
    trn_valid_until: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    enterprise_number: String,
    #[serde(default)]
    vat_number: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    country: String,
}

/// A lead becomes a draft quote (with a new client made from the lead when none is chosen).
pub async fn make_quote(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (lead, training) = lead_and_training(&state, &ctx, id).await?;
    let mut f = FormView::new(pairs);
    let form: QuoteForm = f.decode().map_err(AppError::Internal)?;
    let mut errors = FieldErrors::new();
    let valid_until = match form.trn_valid_until.trim().parse::<jiff::civil::Date>() {
        Ok(d) if d >= today() => Some(d),
        Ok(_) => {
            errors.add("trn_valid_until", "trn-valid-until-past");
            None
        }
        Err(_) => {
            errors.add("trn_valid_until", "date");
            None
        }
    };
    let client_id = match form.trn_client.trim() {
        "" => {
            let client = ClientForm {
                kind: form.kind.clone(),
                name: lead
                    .organisation
                    .clone()
                    .unwrap_or_else(|| lead.name.clone()),
                enterprise_number: form.enterprise_number.clone(),
                vat_number: form.vat_number.clone(),
                street: form.street.clone(),
                postcode: form.postcode.clone(),
                city: form.city.clone(),
                country: form.country.clone(),
                language: lead.language.clone(),
                email: lead.email.clone(),
            }
            .parse();
            match (client, errors.is_empty()) {
                (Ok(client), true) => {
                    match state.store.save_client(&ctx.audit(), None, &client).await {
                        Ok(c) => Some(c.id),
                        Err(StoreError::Duplicate { field }) => {
                            errors.add(field, "taken");
                            None
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                (Ok(_), false) => None,
                (Err(e), _) => {
                    errors.0.extend(e.0);
                    None
                }
            }
        }
        id => id.parse::<i64>().ok(),
    };
    if let (Some(client_id), Some(valid_until), true) = (client_id, valid_until, errors.is_empty())
    {
        match state
            .store
            .quote_from_lead(&ctx.audit(), id, client_id, valid_until, today())
            .await
        {
            Ok(quote) => return Ok(see_other(&format!("/quotes/{}", quote.id))),
            Err(StoreError::Document(_)) => errors.add("trn_client", "trn-quote-refused"),
            Err(e) => errors = refusal(e)?,
        }
    }
    f.add_errors(&errors, ctx.lang);
    let page = quote_page(&state, ctx, lead, training, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ----------------------------------------------------------------------------- sessions

#[derive(Template)]
#[template(path = "trainings_sessions.html")]
struct SessionsPage {
    c: RequestCtx,
    year: i16,
    who: String,
    sessions: Page<SessionRecord>,
    members: SessionTotals,
    staff: SessionTotals,
    may_create: bool,
    kinds: Options,
    f: FormView,
}

#[derive(Deserialize, Default)]
pub struct SessionsQuery {
    page: Option<i64>,
    year: Option<i32>,
    #[serde(rename = "for")]
    who: Option<String>,
}

async fn sessions_page(
    state: &AppState,
    ctx: RequestCtx,
    q: &SessionsQuery,
    f: FormView,
) -> Result<SessionsPage, AppError> {
    let this = i32::from(today().year());
    let year = i16::try_from(q.year.unwrap_or(this).clamp(2000, this + 1)).unwrap_or(2026);
    let who = q
        .who
        .as_deref()
        .and_then(SessionFor::parse)
        .map(|w| w.code().to_string())
        .unwrap_or_default();
    let sessions = state
        .store
        .training_sessions(
            Some(who.as_str()).filter(|w| !w.is_empty()),
            year,
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let (members, staff) = state.store.training_session_totals(year).await?;
    Ok(SessionsPage {
        may_create: ctx.may(Action::Create, Target::Trainings),
        kinds: codes(&ctx, "trn-for-", &SessionFor::ALL.map(SessionFor::code)),
        year,
        who,
        sessions,
        members,
        staff,
        f,
        c: ctx,
    })
}

fn session_defaults() -> FormView {
    let d = today().to_string();
    FormView::with_defaults(&[
        ("ses_for", "members"),
        ("ses_starts_on", &d),
        ("ses_ends_on", &d),
        ("ses_days", "1"),
    ])
}

pub async fn sessions(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<SessionsQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Trainings)?;
    render(&sessions_page(&state, ctx, &q, session_defaults()).await?)
}

pub async fn create_session(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Trainings)?;
    let mut f = FormView::new(pairs);
    let form: SessionForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Err(e) => e,
        Ok(new) => match state
            .store
            .create_training_session(&ctx.audit(), &new)
            .await
        {
            Ok(s) => {
                return Ok(see_other(&format!(
                    "/trainings/sessions?year={}",
                    s.starts_on.get(..4).unwrap_or_default()
                )));
            }
            Err(e) => refusal(e)?,
        },
    };
    f.add_errors(&errors, ctx.lang);
    let page = sessions_page(&state, ctx, &SessionsQuery::default(), f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
