//! Expense claims (C7): a holder files a claim on their activity (an expense with its
//! receipt, a business trip at the federal kilometre rate, or a supplier's invoice to pay from
//! the budget); an advisor of the activity's office approves it (the budget pays and the
//! transfer joins the next SEPA batch) or refuses it with a reason; the claimant may withdraw
//! it while it waits. Accountants see every claim; the receipt is shown only to the claimant,
//! the advisors of the office and the accountants (`Target::ExpenseReceipt`).
//!
//! Receipts are kept under [`crate::WebConfig::upload_dir`], outside the web root, each file
//! named by the SHA-256 of its content ([`StoredFiles`]); the claim keeps the hash, the
//! type, the size and the uploaded name. The API (`api/expenses.rs`) shares [`file_claim`],
//! [`list_scope`] and the receipt files with these pages.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use ruche_domain::expense::{
    ExpenseCategory, ExpenseForm, ExpenseKind, ExpenseStatus, Filing, MAX_RECEIPT_BYTES,
    ReceiptMeta, check_receipt, clean_file_name, parse_refusal_reason,
};
use ruche_domain::mileage::mileage_table;
use ruche_domain::policy::{Action, Target};
use ruche_domain::validate::FieldErrors;
use ruche_domain::{Language, Role};
use ruche_store::activities::ActivityRecord;
use ruche_store::expenses::{
    ExpenseClaimRecord, ExpenseFilter, REFUSED_MILEAGE_CAP, REFUSED_NOT_ACTIVE, REFUSED_NOT_HOLDER,
};
use ruche_store::{Page, PageRequest, Store, StoreError};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::activities::activity_target;
use super::{render, render_status, see_other};
use crate::AppState;
use crate::context::{CurrentUser, RequestCtx, today};
use crate::error::AppError;
use crate::files::StoredFiles;
use crate::forms::FormView;
use crate::i18n;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/expenses", get(list))
        .route("/expenses/{id}", get(show))
        .route("/expenses/{id}/approve", post(approve))
        .route("/expenses/{id}/refuse", post(refuse))
        .route("/expenses/{id}/withdraw", post(withdraw))
        .route("/expenses/{id}/receipt", get(receipt))
        .route(
            "/activities/{id}/expenses",
            get(activity_list)
                .post(create)
                .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route("/activities/{id}/expenses/new", get(new_claim))
}

/// A claim's form with its receipt: the receipt's limit and room for the other fields, so
/// that a receipt just over the limit is refused by its own rule, with its field named.
pub const MAX_BODY_BYTES: usize = MAX_RECEIPT_BYTES + 1024 * 1024;

/// Claims shown per page.
const PER_PAGE: i64 = 25;

// --------------------------------------------------------------------- the receipt files

pub fn receipt_files(state: &AppState) -> StoredFiles {
    StoredFiles::new(state.config.upload_dir.join("receipts"))
}

/// An uploaded receipt as received: its name and bytes, or the code of why it could not be
/// read whole (a body over the limit).
pub enum Upload {
    File { name: String, bytes: Vec<u8> },
    Unreadable(&'static str),
}

/// `Content-Disposition` of a receipt: its kept name, ASCII-only for the plain parameter.
pub fn receipt_download(claim: &ExpenseClaimRecord, bytes: Vec<u8>) -> Response {
    let name = claim.receipt_name.as_deref().unwrap_or("receipt");
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mime = claim
        .receipt_mime
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    (
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        bytes,
    )
        .into_response()
}

// ----------------------------------------------------------------------- shared logic

/// The policy target of a claim for this user.
pub async fn claim_target(
    store: &Store,
    user: Option<&CurrentUser>,
    claim: &ExpenseClaimRecord,
) -> Result<Target, StoreError> {
    let (held, filed) = match user {
        Some(u) => (
            store.holds_activity(claim.activity_id, u.person.id).await?,
            u.person.id == claim.claimant_id,
        ),
        None => (false, false),
    };
    Ok(Target::ExpenseClaim {
        office_id: claim.office_id,
        held_by_actor: held,
        filed_by_actor: filed,
    })
}

/// The receipt's policy target.
pub fn receipt_target(user: Option<&CurrentUser>, claim: &ExpenseClaimRecord) -> Target {
    Target::ExpenseReceipt {
        office_id: claim.office_id,
        filed_by_actor: user.is_some_and(|u| u.person.id == claim.claimant_id),
    }
}

/// Which claims a user may list: staff through `Target::Expenses` (an advisor who is
/// nothing else sees the offices they advise), a member their own claims. `None`: nothing.
pub fn list_scope(user: &CurrentUser) -> Option<ExpenseFilter> {
    use ruche_domain::policy::{Decision, decide};
    let actor = &user.actor;
    if decide(actor, Action::List, Target::Expenses).is_allowed() {
        let everywhere = [Role::Administrator, Role::Accountant, Role::Board]
            .iter()
            .any(|r| actor.has(*r));
        return Some(ExpenseFilter {
            offices: (!everywhere).then(|| actor.advisor_offices.clone()),
            ..ExpenseFilter::default()
        });
    }
    if decide(actor, Action::View, Target::MemberArea) == Decision::Allowed {
        return Some(ExpenseFilter {
            claimant_id: Some(user.person.id),
            ..ExpenseFilter::default()
        });
    }
    None
}

/// The field a refusal of the store names.
fn conflict_field(code: &str) -> &'static str {
    match code {
        REFUSED_MILEAGE_CAP => "expense_km",
        REFUSED_NOT_ACTIVE | REFUSED_NOT_HOLDER => "expense_activity",
        _ => "expense_kind",
    }
}

/// Checks and files a claim of `user` on `activity` (the caller checked the policy): the
/// receipt is checked by its content and kept under its hash, then the claim is stored.
/// `Ok(Err(errors))` names each refused field; nothing is kept then (a receipt written for it
/// is removed).
pub async fn file_claim(
    state: &AppState,
    user: &CurrentUser,
    activity: &ActivityRecord,
    form: &ExpenseForm,
    upload: Option<Upload>,
    audit: &ruche_store::AuditContext,
) -> Result<Result<ExpenseClaimRecord, FieldErrors>, AppError> {
    let files = receipt_files(state);
    let checked = match &upload {
        None => None,
        Some(Upload::Unreadable(code)) => Some(Err(*code)),
        Some(Upload::File { name, bytes }) => Some(check_receipt(bytes).map(|kind| {
            let sha256 = hex::encode(Sha256::digest(bytes));
            ReceiptMeta {
                sha256,
                kind,
                size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                original_name: clean_file_name(name),
            }
        })),
    };
    let person = &user.person;
    let name = person.full_name();
    let filing = Filing {
        activity_id: activity.id,
        claimant: person.claimant(&name),
        receipt: checked,
        submitted_on: today(),
    };
    let new = match form.parse(&filing) {
        Ok(new) => new,
        Err(errors) => return Ok(Err(errors)),
    };
    // The file first: a claim never points to a receipt that is not kept.
    let mut created = None;
    if let (Some(meta), Some(Upload::File { bytes, .. })) = (&new.receipt, &upload) {
        let (sha256, is_new) = files
            .put(bytes)
            .map_err(|e| AppError::Internal(format!("storing a receipt: {e}")))?;
        if sha256 != meta.sha256 {
            return Err(AppError::Internal("receipt hash mismatch".into()));
        }
        if is_new {
            created = Some(sha256);
        }
    }
    let outcome = state.store.file_expense_claim(audit, &new).await;
    if outcome.is_err()
        && let Some(sha256) = &created
    {
        files.remove(sha256);
    }
    match outcome {
        Ok(claim) => Ok(Ok(claim)),
        Err(StoreError::Conflict(code)) => Ok(Err(FieldErrors::single(conflict_field(code), code))),
        Err(e) => Err(e.into()),
    }
}

/// Reads a claim's multipart form: the text fields, and the receipt when a file was chosen.
pub async fn read_claim_form(multipart: &mut Multipart) -> (Vec<(String, String)>, Option<Upload>) {
    let mut fields = Vec::new();
    let mut upload = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // A body over the limit stops the reading: the receipt is too large.
            Err(_) => {
                upload = Some(Upload::Unreadable("expense-receipt-size"));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "expense_receipt" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            match field.bytes().await {
                Ok(bytes) if bytes.is_empty() && file_name.is_empty() => {}
                Ok(bytes) => {
                    upload = Some(Upload::File {
                        name: file_name,
                        bytes: bytes.to_vec(),
                    })
                }
                Err(_) => {
                    upload = Some(Upload::Unreadable("expense-receipt-size"));
                    break;
                }
            }
            continue;
        }
        match field.text().await {
            Ok(value) => fields.push((name, value)),
            Err(_) => {
                upload = Some(Upload::Unreadable("expense-receipt-size"));
                break;
            }
        }
    }
    (fields, upload)
}

/// The refusal's translated text, with the rule it applies (the yearly kilometre ceiling
/// names its figure).
pub fn refusal_text(lang: Language, code: &str) -> String {
    if code == REFUSED_MILEAGE_CAP {
        return i18n::t_args(
            lang,
            "expense-cap-rule",
            &[("cap", group_thousands(cap_km()))],
        );
    }
    i18n::field_error(lang, code)
}

fn cap_km() -> u32 {
    mileage_table().map(|t| t.annual_cap_km).unwrap_or(0)
}

fn km_text(km: i64) -> String {
    group_thousands(u32::try_from(km).unwrap_or(u32::MAX))
}

/// `24000` → `24.000`, the Belgian way.
fn group_thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

// --------------------------------------------------------------------------- the pages

#[derive(Template)]
#[template(path = "expenses.html")]
struct ListPage {
    c: RequestCtx,
    claims: Page<ExpenseClaimRecord>,
    statuses: Vec<(String, String)>,
    status: String,
    /// Whether the list is a member's own claims (no claimant column).
    own: bool,
    show_activity: bool,
    base: String,
}

#[derive(Template)]
#[template(path = "expense_activity.html")]
struct ActivityPage {
    c: RequestCtx,
    activity: ActivityRecord,
    claims: Page<ExpenseClaimRecord>,
    can_file: bool,
    available: i64,
    /// Kilometres claimed this year and the ceiling, formatted (`1.234`).
    km_used: String,
    cap_km: String,
    year: i16,
    base: String,
    own: bool,
    show_activity: bool,
}

#[derive(Template)]
#[template(path = "expense_form.html")]
struct FormPage {
    c: RequestCtx,
    activity: ActivityRecord,
    kind: String,
    f: FormView,
    categories: Vec<(String, String)>,
    /// The IBAN on file, shown masked; `None` asks for one.
    iban_on_file: Option<String>,
    rates_hint: String,
    km_used: String,
    cap_km: String,
    threshold: i64,
    /// The guide article explaining the expense rules: (title, url).
    rules: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "expense.html")]
struct ShowPage {
    c: RequestCtx,
    claim: ExpenseClaimRecord,
    activity_link: bool,
    receipt_link: bool,
    can_decide: bool,
    can_withdraw: bool,
    /// The activity's available budget, shown to who decides (0 otherwise).
    available: i64,
    entities: Vec<(String, String)>,
    f: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    status: Option<String>,
}

fn statuses(ctx: &RequestCtx) -> Vec<(String, String)> {
    let mut out = vec![(String::from("all"), ctx.t("expense-status-all"))];
    out.extend(
        ExpenseStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), ctx.t_of("expense-status-", s.code()))),
    );
    out
}

/// The claims the user may see: submitted ones first (the advisor's queue), any status on
/// request.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut filter = match list_scope(user) {
        Some(filter) => filter,
        None => {
            ctx.authorize(Action::View, Target::MemberArea)?;
            return Err(AppError::Forbidden);
        }
    };
    let own = filter.claimant_id.is_some();
    let default_status = if own { "all" } else { "submitted" };
    let status = q.status.clone().unwrap_or_else(|| default_status.into());
    filter.status = ExpenseStatus::parse(&status);
    let claims = state
        .store
        .expense_claims(&filter, PageRequest::new(q.page.unwrap_or(1), PER_PAGE))
        .await?;
    let page = ListPage {
        claims,
        statuses: statuses(&ctx),
        base: format!("/expenses?status={status}&"),
        status,
        own,
        show_activity: true,
        c: ctx,
    };
    render(&page)
}

/// The claims of one activity, for its holders and the staff who see the activity.
pub async fn activity_list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let person = ctx.user()?.person.id;
    let (activity, target) = activity_target(&state.store, Some(person), id).await?;
    ctx.authorize(Action::View, target)?;
    let held = matches!(
        target,
        Target::Activity {
            held_by_actor: true,
            ..
        }
    );
    let file_target = Target::ExpenseClaim {
        office_id: activity.office_id,
        held_by_actor: held,
        filed_by_actor: true,
    };
    let status = q.status.as_deref().and_then(ExpenseStatus::parse);
    let claims = state
        .store
        .expense_claims(
            &ExpenseFilter {
                activity_id: Some(id),
                status,
                ..ExpenseFilter::default()
            },
            PageRequest::new(q.page.unwrap_or(1), PER_PAGE),
        )
        .await?;
    let year = today().year();
    let page = ActivityPage {
        can_file: ctx.may(Action::Create, file_target),
        available: state.store.available_budget(id).await?,
        km_used: km_text(state.store.mileage_km_in_year(person, year).await?),
        cap_km: group_thousands(cap_km()),
        year,
        base: format!("/activities/{id}/expenses?"),
        own: false,
        show_activity: false,
        claims,
        activity,
        c: ctx,
    };
    render(&page)
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    kind: Option<String>,
}

/// The activity and the filing target, refused unless the user holds the activity.
async fn filing_target(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<ActivityRecord, AppError> {
    let person = ctx.user()?.person.id;
    let (activity, target) = activity_target(&state.store, Some(person), id).await?;
    let held = matches!(
        target,
        Target::Activity {
            held_by_actor: true,
            ..
        }
    );
    ctx.authorize(
        Action::Create,
        Target::ExpenseClaim {
            office_id: activity.office_id,
            held_by_actor: held,
            filed_by_actor: true,
        },
    )?;
    Ok(activity)
}

/// `BE71 0961 2345 6769` → `BE71 •••• •••• 6769`.
fn masked_iban(iban: &str) -> String {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 8 {
        return compact;
    }
    format!("{} •••• {}", &compact[..4], &compact[compact.len() - 4..])
}

async fn form_page(
    state: &AppState,
    ctx: RequestCtx,
    activity: ActivityRecord,
    kind: ExpenseKind,
    mut f: FormView,
) -> Result<FormPage, AppError> {
    let user = ctx.user()?;
    let day = today();
    if f.value("expense_spent_on").is_empty() {
        f.set("expense_spent_on", day.to_string());
    }
    let categories = ExpenseCategory::ALL
        .iter()
        .filter(|c| c.allowed_for(kind))
        .map(|c| {
            (
                c.code().to_string(),
                ctx.t_of("expense-category-", c.code()),
            )
        })
        .collect();
    let rates_hint = match mileage_table() {
        Ok(table) => {
            let (from, to) = table.covered();
            let mut hint = i18n::t_args(
                ctx.lang,
                "expense-mileage-rates-hint",
                &[
                    ("from", ruche_domain::format::date(from)),
                    ("to", ruche_domain::format::date(to)),
                ],
            );
            for (from, to) in table.open_periods() {
                hint.push(' ');
                hint.push_str(&i18n::t_args(
                    ctx.lang,
                    "expense-mileage-open-hint",
                    &[
                        ("from", ruche_domain::format::date(from)),
                        ("to", ruche_domain::format::date(to)),
                    ],
                ));
            }
            hint
        }
        Err(_) => String::new(),
    };
    Ok(FormPage {
        kind: kind.code().to_string(),
        categories,
        iban_on_file: user
            .person
            .iban
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(masked_iban),
        rates_hint,
        km_used: km_text(
            state
                .store
                .mileage_km_in_year(user.person.id, day.year())
                .await?,
        ),
        cap_km: group_thousands(cap_km()),
        threshold: ruche_domain::expense::receipt_threshold_cents(day),
        rules: super::guide::rules_link(state, &ctx, "expense").await,
        activity,
        f,
        c: ctx,
    })
}

pub async fn new_claim(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let activity = filing_target(&state, &ctx, id).await?;
    let kind = q
        .kind
        .as_deref()
        .and_then(ExpenseKind::parse)
        .unwrap_or(ExpenseKind::Reimbursement);
    let f = FormView::with_defaults(&[("country", "BE")]);
    render(&form_page(&state, ctx, activity, kind, f).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let activity = filing_target(&state, &ctx, id).await?;
    let user = ctx.user()?;
    let (fields, upload) = read_claim_form(&mut multipart).await;
    let mut f = FormView::new(fields);
    let form: ExpenseForm = f.decode().map_err(AppError::Internal)?;
    let errors = match file_claim(&state, user, &activity, &form, upload, &ctx.audit()).await? {
        Ok(claim) => return Ok(see_other(&format!("/expenses/{}?saved=1", claim.id))),
        Err(errors) => errors,
    };
    for e in &errors.0 {
        if e.code == REFUSED_MILEAGE_CAP {
            f.add_message(e.field, refusal_text(ctx.lang, e.code));
        } else {
            f.add_errors(&FieldErrors::single(e.field, e.code), ctx.lang);
        }
    }
    let kind = ExpenseKind::parse(form.expense_kind.trim()).unwrap_or(ExpenseKind::Reimbursement);
    let page = form_page(&state, ctx, activity, kind, f).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    saved: Option<String>,
    decided: Option<String>,
}

/// The claim and its target, refused unless the user may see it.
async fn viewable(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<(ExpenseClaimRecord, Target), AppError> {
    let user = ctx.user()?;
    let claim = state.store.expense_claim(id).await?;
    let target = claim_target(&state.store, Some(user), &claim).await?;
    ctx.authorize(Action::View, target)?;
    Ok((claim, target))
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    claim: ExpenseClaimRecord,
    target: Target,
    f: FormView,
    notice: Option<String>,
) -> Result<ShowPage, AppError> {
    let submitted = claim.status()? == ExpenseStatus::Submitted;
    let can_decide = submitted && ctx.may(Action::Decide, target);
    let can_withdraw = submitted && ctx.may(Action::Update, target);
    let available = if can_decide {
        state.store.available_budget(claim.activity_id).await?
    } else {
        0
    };
    let entities = if can_decide {
        let mut out = vec![(String::new(), ctx.t("expense-entity-automatic"))];
        out.extend(
            state
                .store
                .legal_entities(PageRequest::new(1, PageRequest::MAX_PER_PAGE))
                .await?
                .items
                .into_iter()
                .map(|e| (e.id.to_string(), e.name)),
        );
        out
    } else {
        Vec::new()
    };
    let person = ctx.user.as_deref().map(|u| u.person.id);
    let (_, activity) = activity_target(&state.store, person, claim.activity_id).await?;
    Ok(ShowPage {
        activity_link: ctx.may(Action::View, activity),
        receipt_link: claim.receipt_sha256.is_some()
            && ctx.may(Action::View, receipt_target(ctx.user.as_deref(), &claim)),
        can_decide,
        can_withdraw,
        available,
        entities,
        claim,
        f,
        notice,
        c: ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (claim, target) = viewable(&state, &ctx, id).await?;
    let notice = if q.saved.is_some() {
        Some(ctx.t("expense-saved"))
    } else if q.decided.is_some() {
        Some(ctx.t_of("expense-decided-", &claim.status))
    } else {
        None
    };
    render(&show_page(&state, ctx, claim, target, FormView::default(), notice).await?)
}

/// The page again with the refusal next to `field` (409 when the stored state refused, 422
/// when the input was wrong).
async fn refused(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    status: StatusCode,
    mut f: FormView,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let (claim, target) = viewable(state, &ctx, id).await?;
    for e in &errors.0 {
        f.add_message(e.field, refusal_text(ctx.lang, e.code));
    }
    let page = show_page(state, ctx, claim, target, f, None).await?;
    render_status(status, &page)
}

#[derive(Deserialize, Default)]
struct ApproveForm {
    #[serde(default)]
    expense_entity: String,
}

pub async fn approve(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target) = viewable(&state, &ctx, id).await?;
    ctx.authorize(Action::Decide, target)?;
    let f = FormView::new(pairs);
    let form: ApproveForm = f.decode().map_err(AppError::Internal)?;
    let entity = match form.expense_entity.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                let errors = FieldErrors::single("expense_entity", "format");
                return refused(
                    &state,
                    ctx,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    f,
                    &errors,
                )
                .await;
            }
        },
    };
    match state
        .store
        .approve_expense_claim(&ctx.audit(), id, entity, today())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/expenses/{id}?decided=1"))),
        Err(StoreError::Conflict(code)) => {
            let errors = FieldErrors::single("expense_decision", code);
            refused(&state, ctx, id, StatusCode::CONFLICT, f, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct RefuseForm {
    #[serde(default)]
    expense_reason: String,
}

pub async fn refuse(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, target) = viewable(&state, &ctx, id).await?;
    ctx.authorize(Action::Decide, target)?;
    let f = FormView::new(pairs);
    let form: RefuseForm = f.decode().map_err(AppError::Internal)?;
    let reason = match parse_refusal_reason(&form.expense_reason) {
        Ok(reason) => reason,
        Err(errors) => {
            return refused(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                f,
                &errors,
            )
            .await;
        }
    };
    match state
        .store
        .refuse_expense_claim(&ctx.audit(), id, &reason)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/expenses/{id}?decided=1"))),
        Err(StoreError::Conflict(code)) => {
            let errors = FieldErrors::single("expense_decision", code);
            refused(&state, ctx, id, StatusCode::CONFLICT, f, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, target) = viewable(&state, &ctx, id).await?;
    ctx.authorize(Action::Update, target)?;
    match state.store.withdraw_expense_claim(&ctx.audit(), id).await {
        Ok(_) => Ok(see_other(&format!("/expenses/{id}?decided=1"))),
        Err(StoreError::Conflict(code)) => {
            let errors = FieldErrors::single("expense_decision", code);
            refused(
                &state,
                ctx,
                id,
                StatusCode::CONFLICT,
                FormView::default(),
                &errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The receipt, to the claimant, the advisors of the office and the accountants only.
pub async fn receipt(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let claim = state.store.expense_claim(id).await?;
    ctx.authorize(Action::View, receipt_target(Some(user), &claim))?;
    let sha256 = claim.receipt_sha256.as_deref().ok_or(AppError::NotFound)?;
    let bytes = receipt_files(&state)
        .get(sha256)
        .map_err(|e| AppError::Internal(format!("reading a receipt: {e}")))?
        .ok_or(AppError::NotFound)?;
    Ok(receipt_download(&claim, bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_receipt_is_kept_under_its_hash_and_read_back_only_unchanged() {
        let dir = std::env::temp_dir().join(format!("ruche-receipts-{}", std::process::id()));
        let files = StoredFiles::new(&dir);
        let (sha, new) = files.put(b"%PDF-1.7 a receipt").unwrap();
        assert!(new);
        assert_eq!(sha.len(), 64);
        assert!(dir.join(&sha[..2]).join(&sha).is_file());
        let (again, new) = files.put(b"%PDF-1.7 a receipt").unwrap();
        assert_eq!((again.as_str(), new), (sha.as_str(), false));
        assert_eq!(files.get(&sha).unwrap().unwrap(), b"%PDF-1.7 a receipt");
        // A changed file is not served; a name that is not a hash is never a path.
        std::fs::write(dir.join(&sha[..2]).join(&sha), b"tampered").unwrap();
        assert_eq!(files.get(&sha).unwrap(), None);
        assert_eq!(files.get("../../etc/passwd").unwrap(), None);
        files.remove(&sha);
        assert_eq!(files.get(&sha).unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn ibans_are_masked_and_thousands_grouped() {
        assert_eq!(masked_iban("BE71 0961 2345 6769"), "BE71 •••• 6769");
        assert_eq!(group_thousands(24_000), "24.000");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_234_567), "1.234.567");
    }
}
