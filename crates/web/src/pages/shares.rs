//! The share register's pages (C11; reference/governance.md §6, §8.1): the register at a
//! date, the numbered journal of operations with transfers, share classes, subscription
//! requests (refused for an objective reason, CNC-1; paid and paid up), resignations and
//! exclusions with their capped refund (ES-5) and suspended refunds (TV-14), a member's
//! extract with its certificate, and the member's own extract at `/my/shares`.
//! Board, administrators and accountants read; the board and administrators act.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::Date;
use ruche_domain::governance::shares::{
    DistributionTests, Eligibility, ExitForm, PaymentForm, ReasonCode, ReasonForm, RefundStatus,
    ShareClassForm, SubscriptionForm, SubscriptionStatus, TransferForm,
};
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_store::shares::{
    NewShareClass, OperationFilter, OperationRow, RegisterAt, ShareClassRecord, ShareExitRecord,
    ShareExtract, ShareSubscriptionRecord,
};
use ruche_store::{Page, PageRequest, Store, StoreError};
use serde::Deserialize;

use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;
use crate::forms::FormView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shares", get(|| async { see_other("/shares/register") }))
        .route("/shares/register", get(register))
        .route("/shares/operations", get(operations))
        .route("/shares/transfers", post(transfer))
        .route("/shares/classes", get(classes).post(create_class))
        .route(
            "/shares/subscriptions",
            get(subscriptions).post(create_subscription),
        )
        .route("/shares/subscriptions/{id}/refuse", post(refuse))
        .route("/shares/subscriptions/{id}/payments", post(pay))
        .route("/shares/exits", get(exits).post(create_exit))
        .route("/shares/exits/{id}/tests", post(release))
        .route("/shares/members/{id}", get(member))
        .route("/shares/members/{id}/certificate.pdf", get(certificate))
        .route("/my/shares", get(my_shares))
        .route("/my/shares/certificate.pdf", get(my_certificate))
}

/// A store refusal as field errors for the form; anything else goes up.
fn refusal(e: StoreError) -> Result<FieldErrors, AppError> {
    match e {
        StoreError::Refused(errors) => Ok(errors),
        StoreError::Duplicate { field } => Ok(FieldErrors::single(field, "taken")),
        StoreError::NotFound => Err(AppError::NotFound),
        other => Err(other.into()),
    }
}

fn parse_day(s: Option<&str>) -> Date {
    s.and_then(|d| d.trim().parse::<Date>().ok())
        .unwrap_or_else(today)
}

/// (id, "name") of the persons the forms offer, for the datalist of person fields.
async fn person_options(store: &Store) -> Result<Vec<(String, String)>, AppError> {
    let page = store
        .persons(
            &ruche_store::persons::PersonFilter::default(),
            PageRequest::new(1, PageRequest::MAX_PER_PAGE),
        )
        .await?;
    Ok(page
        .items
        .iter()
        .map(|p| (p.id.to_string(), p.full_name()))
        .collect())
}

async fn class_options(store: &Store) -> Result<Vec<(String, String)>, AppError> {
    Ok(store
        .share_classes()
        .await?
        .into_iter()
        .map(|c| (c.id.to_string(), format!("{} — {}", c.code, c.name)))
        .collect())
}

async fn entity_options(store: &Store) -> Result<Vec<(String, String)>, AppError> {
    Ok(store
        .legal_entities(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
        .await?
        .items
        .into_iter()
        .map(|e| (e.id.to_string(), e.name))
        .collect())
}

// ----------------------------------------------------------------------- the register

#[derive(Template)]
#[template(path = "shares_register.html")]
struct RegisterPage {
    c: RequestCtx,
    tab: &'static str,
    register: RegisterAt,
    base: String,
}

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    on: Option<String>,
    page: Option<i64>,
}

pub async fn register(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    let on = parse_day(q.on.as_deref());
    let register = state
        .store
        .share_register_at(on, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    render(&RegisterPage {
        c: ctx,
        tab: "register",
        base: format!("/shares/register?on={on}&"),
        register,
    })
}

// ---------------------------------------------------------------- the operations journal

#[derive(Template)]
#[template(path = "shares_operations.html")]
struct OperationsPage {
    c: RequestCtx,
    tab: &'static str,
    operations: Page<OperationRow>,
    base: String,
    person: String,
    kind: String,
    year: String,
    kinds: Vec<&'static str>,
    persons: Vec<(String, String)>,
    class_options: Vec<(String, String)>,
    may_act: bool,
    f: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OperationsQuery {
    person: Option<String>,
    kind: Option<String>,
    year: Option<String>,
    page: Option<i64>,
}

const KINDS: [&str; 8] = [
    "opening",
    "subscription",
    "pay_up",
    "transfer_in",
    "transfer_out",
    "resignation",
    "exclusion",
    "death",
];

async fn operations_page(
    state: &AppState,
    ctx: RequestCtx,
    q: OperationsQuery,
    f: FormView,
    notice: Option<String>,
) -> Result<OperationsPage, AppError> {
    let person_id = q
        .person
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok());
    let kind = q
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| KINDS.contains(k))
        .map(str::to_string);
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (1900..=2200).contains(y));
    let filter = OperationFilter {
        person_id,
        kind: kind.clone(),
        year,
    };
    let operations = state
        .store
        .share_operations(&filter, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let person = person_id.map(|p| p.to_string()).unwrap_or_default();
    let kind = kind.unwrap_or_default();
    let year = year.map(|y| y.to_string()).unwrap_or_default();
    Ok(OperationsPage {
        base: format!("/shares/operations?person={person}&kind={kind}&year={year}&"),
        person,
        kind,
        year,
        kinds: KINDS.to_vec(),
        persons: person_options(&state.store).await?,
        class_options: class_options(&state.store).await?,
        may_act: ctx.may(Action::Create, Target::Governance),
        operations,
        c: ctx,
        tab: "operations",
        f,
        notice,
    })
}

pub async fn operations(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<OperationsQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    let f = FormView::with_defaults(&[("shr_transferred_on", &today().to_string())]);
    render(&operations_page(&state, ctx, q, f, None).await?)
}

pub async fn transfer(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: TransferForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(t) => match state.store.transfer_shares(&ctx.audit(), &t).await {
            Ok((out, into)) => {
                let notice = Some(ctx.t1(
                    "shr-transfer-done",
                    "numbers",
                    format!("{} / {}", out.number, into.number),
                ));
                let f = FormView::with_defaults(&[("shr_transferred_on", &today().to_string())]);
                let page = operations_page(&state, ctx, OperationsQuery::default(), f, notice);
                return render(&page.await?);
            }
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = operations_page(&state, ctx, OperationsQuery::default(), f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// -------------------------------------------------------------------------- the classes

#[derive(Template)]
#[template(path = "shares_classes.html")]
struct ClassesPage {
    c: RequestCtx,
    tab: &'static str,
    classes: Vec<ShareClassRecord>,
    eligible_options: Vec<(String, String)>,
    may_act: bool,
    f: FormView,
}

async fn classes_page(
    state: &AppState,
    ctx: RequestCtx,
    f: FormView,
) -> Result<ClassesPage, AppError> {
    Ok(ClassesPage {
        classes: state.store.share_classes().await?,
        eligible_options: Eligibility::ALL
            .iter()
            .map(|e| (e.code().to_string(), ctx.t_of("shr-eligible-", e.code())))
            .collect(),
        may_act: ctx.may(Action::Create, Target::Governance),
        c: ctx,
        tab: "classes",
        f,
    })
}

pub async fn classes(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    let f = FormView::with_defaults(&[
        ("shr_votes_per_share", "1"),
        ("shr_minimum_holding", "1"),
        ("shr_eligible", "anyone"),
    ]);
    render(&classes_page(&state, ctx, f).await?)
}

pub async fn create_class(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: ShareClassForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(draft) => {
            let new = NewShareClass {
                code: draft.code,
                name: draft.name,
                nominal_cents: draft.rules.nominal_cents,
                votes_per_share: draft.rules.votes_per_share,
                eligible: draft.rules.eligible.code().to_string(),
                minimum_holding: draft.rules.minimum_holding,
            };
            match state.store.create_share_class(&ctx.audit(), &new).await {
                Ok(_) => return Ok(see_other("/shares/classes")),
                Err(StoreError::Duplicate { .. }) => FieldErrors::single("shr_code", "taken"),
                Err(e) => refusal(e)?,
            }
        }
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = classes_page(&state, ctx, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// -------------------------------------------------------------------- the subscriptions

#[derive(Template)]
#[template(path = "shares_subscriptions.html")]
struct SubscriptionsPage {
    c: RequestCtx,
    tab: &'static str,
    subscriptions: Page<ShareSubscriptionRecord>,
    status: String,
    statuses: Vec<&'static str>,
    base: String,
    persons: Vec<(String, String)>,
    class_options: Vec<(String, String)>,
    entity_options: Vec<(String, String)>,
    reason_options: Vec<(String, String)>,
    may_act: bool,
    today: String,
    f: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct StatusQuery {
    status: Option<String>,
    page: Option<i64>,
}

async fn subscriptions_page(
    state: &AppState,
    ctx: RequestCtx,
    q: StatusQuery,
    f: FormView,
    notice: Option<String>,
) -> Result<SubscriptionsPage, AppError> {
    let status = q.status.as_deref().and_then(SubscriptionStatus::parse);
    let subscriptions = state
        .store
        .share_subscriptions(status, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let status = status.map(|s| s.code().to_string()).unwrap_or_default();
    Ok(SubscriptionsPage {
        base: format!("/shares/subscriptions?status={status}&"),
        status,
        statuses: SubscriptionStatus::ALL.iter().map(|s| s.code()).collect(),
        subscriptions,
        persons: person_options(&state.store).await?,
        class_options: class_options(&state.store).await?,
        entity_options: entity_options(&state.store).await?,
        reason_options: ReasonCode::ALL
            .iter()
            .map(|r| (r.code().to_string(), ctx.t_of("shr-reason-", r.code())))
            .collect(),
        may_act: ctx.may(Action::Create, Target::Governance),
        today: today().to_string(),
        c: ctx,
        tab: "subscriptions",
        f,
        notice,
    })
}

fn subscription_defaults() -> FormView {
    FormView::with_defaults(&[
        ("shr_requested_on", &today().to_string()),
        ("shr_shares", "1"),
    ])
}

pub async fn subscriptions(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    render(&subscriptions_page(&state, ctx, q, subscription_defaults(), None).await?)
}

/// Renders the subscriptions page again with the form's errors (422).
async fn subscriptions_refused(
    state: &AppState,
    ctx: RequestCtx,
    mut f: FormView,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    f.add_errors(errors, ctx.lang);
    let page = subscriptions_page(state, ctx, StatusQuery::default(), f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn create_subscription(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Create, Target::Governance)?;
    let f = FormView::new(pairs);
    let form: SubscriptionForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(new) => match state.store.request_subscription(&ctx.audit(), &new).await {
            Ok(_) => return Ok(see_other("/shares/subscriptions")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    subscriptions_refused(&state, ctx, f, &errors).await
}

pub async fn refuse(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Governance)?;
    let f = FormView::new(pairs);
    let form: ReasonForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse(false) {
        Ok(reason) => match state
            .store
            .refuse_subscription(&ctx.audit(), id, &reason, today())
            .await
        {
            Ok(_) => return Ok(see_other("/shares/subscriptions")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    subscriptions_refused(&state, ctx, f, &errors).await
}

pub async fn pay(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Governance)?;
    let f = FormView::new(pairs);
    let form: PaymentForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(payment) => match state
            .store
            .record_share_payment(&ctx.audit(), id, &payment)
            .await
        {
            Ok(_) => return Ok(see_other("/shares/subscriptions")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    subscriptions_refused(&state, ctx, f, &errors).await
}

// ------------------------------------------------------------ resignations, exclusions

#[derive(Template)]
#[template(path = "shares_exits.html")]
struct ExitsPage {
    c: RequestCtx,
    tab: &'static str,
    exits: Page<ShareExitRecord>,
    status: String,
    statuses: Vec<&'static str>,
    base: String,
    persons: Vec<(String, String)>,
    class_options: Vec<(String, String)>,
    entity_options: Vec<(String, String)>,
    reason_options: Vec<(String, String)>,
    kind_options: Vec<(String, String)>,
    may_act: bool,
    f: FormView,
}

async fn exits_page(
    state: &AppState,
    ctx: RequestCtx,
    q: StatusQuery,
    f: FormView,
) -> Result<ExitsPage, AppError> {
    let status = q.status.as_deref().and_then(RefundStatus::parse);
    let exits = state
        .store
        .share_exits(status, PageRequest::new(q.page.unwrap_or(1), 50))
        .await?;
    let status = status.map(|s| s.code().to_string()).unwrap_or_default();
    Ok(ExitsPage {
        base: format!("/shares/exits?status={status}&"),
        status,
        statuses: RefundStatus::ALL.iter().map(|s| s.code()).collect(),
        exits,
        persons: person_options(&state.store).await?,
        class_options: class_options(&state.store).await?,
        entity_options: entity_options(&state.store).await?,
        reason_options: std::iter::once((String::new(), String::new()))
            .chain(
                ReasonCode::ALL
                    .iter()
                    .filter(|r| r.excludes())
                    .map(|r| (r.code().to_string(), ctx.t_of("shr-reason-", r.code()))),
            )
            .collect(),
        kind_options: ["resignation", "exclusion"]
            .iter()
            .map(|k| (k.to_string(), ctx.t_of("shr-kind-", k)))
            .collect(),
        may_act: ctx.may(Action::Create, Target::Governance),
        c: ctx,
        tab: "exits",
        f,
    })
}

pub async fn exits(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::List, Target::Governance)?;
    let f = FormView::with_defaults(&[
        ("shr_notice_on", &today().to_string()),
        ("shr_kind", "resignation"),
    ]);
    render(&exits_page(&state, ctx, q, f).await?)
}

#[derive(Deserialize, Default)]
struct ExitKind {
    #[serde(default)]
    shr_kind: String,
}

pub async fn create_exit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: ExitForm = f.decode().map_err(AppError::Internal)?;
    let kind: ExitKind = f.decode().map_err(AppError::Internal)?;
    let exclusion = kind.shr_kind == "exclusion";
    let errors = match form.parse(exclusion) {
        Ok(exit) => match state
            .store
            .record_share_exit(&ctx.audit(), exclusion, &exit)
            .await
        {
            Ok(_) => return Ok(see_other("/shares/exits")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = exits_page(&state, ctx, StatusQuery::default(), f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct TestsForm {
    #[serde(default)]
    pub shr_net_assets_ok: Option<String>,
    #[serde(default)]
    pub shr_liquidity_ok: Option<String>,
    #[serde(default)]
    pub shr_tests_evidence: String,
}

impl TestsForm {
    pub fn parse(&self) -> Result<DistributionTests, FieldErrors> {
        let evidence = self.shr_tests_evidence.trim();
        if evidence.is_empty() {
            return Err(FieldErrors::single(
                "shr_tests_evidence",
                "shr-tests-evidence",
            ));
        }
        if evidence.chars().count() > 2000 {
            return Err(FieldErrors::single("shr_tests_evidence", "too-long"));
        }
        let on = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        Ok(DistributionTests {
            net_assets_ok: on(&self.shr_net_assets_ok),
            liquidity_ok: on(&self.shr_liquidity_ok),
            evidence: evidence.to_string(),
        })
    }
}

pub async fn release(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::Decide, Target::Governance)?;
    let mut f = FormView::new(pairs);
    let form: TestsForm = f.decode().map_err(AppError::Internal)?;
    let errors = match form.parse() {
        Ok(tests) => match state
            .store
            .release_share_refund(&ctx.audit(), id, &tests, today())
            .await
        {
            Ok(_) => return Ok(see_other("/shares/exits")),
            Err(e) => refusal(e)?,
        },
        Err(e) => e,
    };
    f.add_errors(&errors, ctx.lang);
    let page = exits_page(&state, ctx, StatusQuery::default(), f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ------------------------------------------------------------------- a member's extract

#[derive(Template)]
#[template(path = "shares_member.html")]
struct MemberPage {
    c: RequestCtx,
    tab: &'static str,
    extract: ShareExtract,
    /// Where the certificate of this extract is.
    certificate: String,
    /// The form's action (the same page at another date).
    action: String,
    own: bool,
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

pub async fn member(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let on = parse_day(q.on.as_deref());
    let extract = state.store.share_extract(id, on).await?;
    render(&MemberPage {
        c: ctx,
        tab: "register",
        certificate: format!("/shares/members/{id}/certificate.pdf?on={on}"),
        action: format!("/shares/members/{id}"),
        extract,
        own: false,
    })
}

/// The member's own extract: only theirs (the person of the signed-in account).
pub async fn my_shares(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<OnQuery>,
) -> Result<Response, AppError> {
    let person_id = ctx.user()?.person.id;
    let on = parse_day(q.on.as_deref());
    let extract = state.store.share_extract(person_id, on).await?;
    render(&MemberPage {
        c: ctx,
        tab: "",
        certificate: format!("/my/shares/certificate.pdf?on={on}"),
        action: "/my/shares".to_string(),
        extract,
        own: true,
    })
}

async fn certificate_response(
    state: &AppState,
    ctx: &RequestCtx,
    person_id: i64,
    on: Date,
) -> Result<Response, AppError> {
    let extract = state.store.share_extract(person_id, on).await?;
    let entity = state
        .store
        .legal_entities(PageRequest::new(1, 1))
        .await?
        .items
        .into_iter()
        .next();
    let certificate = certificate_view(ctx, &extract, entity.as_ref());
    let pdf = ruche_pdf::render_share_certificate(&certificate)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::invoices::attachment(
        "application/pdf",
        format!("certificat-parts-{person_id}-{on}.pdf"),
        pdf,
    ))
}

pub async fn certificate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::View, Target::Governance)?;
    let on = parse_day(q.on.as_deref());
    certificate_response(&state, &ctx, id, on).await
}

pub async fn my_certificate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<OnQuery>,
) -> Result<Response, AppError> {
    let person_id = ctx.user()?.person.id;
    let on = parse_day(q.on.as_deref());
    certificate_response(&state, &ctx, person_id, on).await
}

/// The certificate's texts in the reader's language, amounts and dates the Belgian way.
fn certificate_view(
    ctx: &RequestCtx,
    extract: &ShareExtract,
    entity: Option<&ruche_store::entities::LegalEntityRecord>,
) -> ruche_pdf::ShareCertificate {
    let (issuer, issuer_line) = match entity {
        Some(e) => (
            format!("{} {}", e.name, e.legal_form),
            format!(
                "{}, {} {} · {}",
                e.street, e.postcode, e.city, e.enterprise_number
            ),
        ),
        None => ("ruche".to_string(), String::new()),
    };
    let on = ctx.date(&extract.on);
    ruche_pdf::ShareCertificate {
        lang: ctx.lang_code().to_string(),
        title: ctx.t("shr-certificate-title"),
        subtitle: ctx.t1("shr-certificate-subtitle", "date", &on),
        issuer,
        issuer_line,
        facts: vec![
            (ctx.t("shr-member"), extract.person_name.clone()),
            (ctx.t("shr-on"), on.clone()),
            (ctx.t("shr-shares"), extract.shares().to_string()),
            (ctx.t("shr-paid"), ctx.money(extract.paid_cents())),
        ],
        holdings_title: ctx.t("shr-holdings"),
        holdings_head: vec![
            ctx.t("shr-class"),
            ctx.t("shr-member"),
            ctx.t("shr-shares"),
            ctx.t("shr-nominal"),
            ctx.t("shr-paid"),
        ],
        holdings: extract
            .holdings
            .iter()
            .map(|h| {
                [
                    h.class_code.clone(),
                    h.person_name.clone(),
                    h.shares.to_string(),
                    ctx.money(h.nominal_cents),
                    ctx.money(h.paid_cents),
                ]
            })
            .collect(),
        operations_title: ctx.t("shr-operations"),
        operations_head: vec![
            ctx.t("shr-number"),
            ctx.t("shr-date"),
            ctx.t("shr-operation"),
            ctx.t("shr-shares"),
            ctx.t("shr-paid"),
        ],
        operations: extract
            .operations
            .iter()
            .take(ruche_pdf::share_certificate::MAX_OPERATIONS)
            .map(|o| {
                [
                    o.number.to_string(),
                    ctx.date(&o.effective_on),
                    ctx.t_of("shr-kind-", &o.kind),
                    o.shares.to_string(),
                    ctx.money(o.paid_cents),
                ]
            })
            .collect(),
        note: ctx.t("shr-certificate-note"),
        footer: ctx.t("shr-certificate-footer"),
        ident: format!("person-{}-{}", extract.person_id, extract.on),
        date: extract
            .on
            .parse::<Date>()
            .map(|d| (d.year(), d.month(), d.day()))
            .unwrap_or((2000, 1, 1)),
    }
}
