//! The salary simulator over the API, `/api/v1/simulator`: the public page's computation
//! (`pages::simulator`), answered as JSON with every line in cents. Public like the page —
//! no token, nothing written — in the `Accept-Language` language for its problems. POST takes
//! a JSON body; GET takes the same fields as a query.

use axum::Json;
use axum::Router;
use axum::extract::Query;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::routing::get;
use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::payroll::{Family, MAX_AMOUNT_CENTS, PayrollError, Profile, WorkerStatus};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::problem::FieldProblem;
use super::{ApiError, ApiResult, ok};
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::i18n;
use crate::pages::simulator::{Direction, MAX_CHILDREN, label, refusal, run};

pub fn routes() -> Router<AppState> {
    Router::new().route("/simulator", get(query).post(body))
}

/// What to simulate. Only `direction` and `amount_cents` are required; the profile defaults
/// to an employé, single, without children, full time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulatorInput {
    /// `budget` (the employer cost to spend), `gross` or `net`.
    direction: String,
    amount_cents: i64,
    /// `YYYY-MM-DD`, today by default.
    #[serde(default)]
    date: Option<String>,
    /// `employee` or `manual`.
    #[serde(default)]
    status: Option<String>,
    /// `single`, `married_one_income` or `married_two_incomes`.
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    children: Option<u8>,
    /// 10000 = full time.
    #[serde(default)]
    fraction_bp: Option<u32>,
    #[serde(default)]
    artist_flat_withholding: Option<bool>,
    #[serde(default)]
    authors_rights_bp: Option<u32>,
}

/// A 422 naming each field with its translated rule (the page's texts).
fn invalid(lang: Language, problems: &[(&str, &str, String)]) -> ApiError {
    ApiError {
        kind: "https://ruche.coop/problems/invalid-input".into(),
        title: i18n::t(lang, "form-has-errors"),
        status: StatusCode::UNPROCESSABLE_ENTITY.as_u16(),
        errors: problems
            .iter()
            .map(|(field, code, message)| FieldProblem {
                field: (*field).into(),
                code: (*code).into(),
                detail: format!("{} : {message}", label(lang, label_of(field))),
            })
            .collect(),
    }
}

/// The page's field an API field stands for (its label).
fn label_of(field: &str) -> &str {
    match field {
        "amount_cents" => "amount",
        "fraction_bp" => "fraction",
        "authors_rights_bp" => "authors_rights",
        "artist_flat_withholding" => "artist",
        other => other,
    }
}

/// The API's name of a field the domain names.
fn api_field(field: &str) -> &'static str {
    match field {
        "amount" => "amount_cents",
        "fraction" => "fraction_bp",
        "authors_rights" => "authors_rights_bp",
        _ => "date",
    }
}

fn simulate(input: SimulatorInput, lang: Language) -> ApiResult {
    let mut problems: Vec<(&str, &str, String)> = Vec::new();
    let mut problem = |field: &'static str, code: &'static str| {
        problems.push((field, code, i18n::t(lang, &format!("sim-err-{code}"))));
    };
    let direction = Direction::parse(&input.direction);
    if direction.is_none() {
        problem("direction", "choice");
    }
    if !(0..=MAX_AMOUNT_CENTS).contains(&input.amount_cents) {
        problem("amount_cents", "amount-range-api");
    }
    let on = match input.date.as_deref() {
        None => Some(today()),
        Some(text) => text.trim().parse::<Date>().ok(),
    };
    if on.is_none() {
        problem("date", "date-format");
    }
    let status = match input.status.as_deref() {
        None => Some(WorkerStatus::Employee),
        Some(s) => WorkerStatus::parse(s),
    };
    if status.is_none() {
        problem("status", "choice");
    }
    let family = match input.family.as_deref() {
        None => Some(Family::Single),
        Some(s) => Family::parse(s),
    };
    if family.is_none() {
        problem("family", "choice");
    }
    let children = input.children.unwrap_or(0);
    if children > MAX_CHILDREN {
        problem("children", "children");
    }
    let fraction_bp = input.fraction_bp.unwrap_or(10_000);
    if !(1..=10_000).contains(&fraction_bp) {
        problem("fraction_bp", "fraction-range-api");
    }
    let authors_rights_bp = input.authors_rights_bp.unwrap_or(0);
    if authors_rights_bp >= 10_000 {
        problem("authors_rights_bp", "authors-rights-format");
    }
    let (Some(direction), Some(on), Some(status), Some(family)) = (direction, on, status, family)
    else {
        return Err(invalid(lang, &problems));
    };
    if !problems.is_empty() {
        return Err(invalid(lang, &problems));
    }
    let profile = Profile {
        status,
        family,
        children,
        fraction_bp,
        artist_flat_withholding: input.artist_flat_withholding.unwrap_or(false),
        authors_rights_bp,
    };
    match run(direction, on, &profile, input.amount_cents) {
        Ok(simulation) => ok(simulation),
        Err(PayrollError::Unreadable(e)) => {
            tracing::error!(error = %e, "the payroll parameters are unreadable");
            Err(ApiError::internal())
        }
        Err(e) => Err(invalid(
            lang,
            &[(api_field(e.field()), e.code(), refusal(lang, &e))],
        )),
    }
}

pub async fn body(ctx: RequestCtx, json: Result<Json<SimulatorInput>, JsonRejection>) -> ApiResult {
    match json {
        Ok(Json(input)) => simulate(input, ctx.lang),
        Err(rejection) => Err(ApiError::bad_json(rejection.body_text(), ctx.lang)),
    }
}

pub async fn query(ctx: RequestCtx, q: Result<Query<SimulatorInput>, QueryRejection>) -> ApiResult {
    match q {
        Ok(Query(input)) => simulate(input, ctx.lang),
        Err(rejection) => Err(ApiError::bad_json(rejection.body_text(), ctx.lang)),
    }
}

/// The OpenAPI paths and schemas of the simulator, added to the document by
/// `openapi::build`.
pub fn describe(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let cents = json!({ "type": "integer", "format": "int64", "description": "cents" });
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let problem = json!({ "application/problem+json": { "schema": reference("Problem") } });
    let directions = json!(["budget", "gross", "net"]);
    let statuses = json!(["employee", "manual"]);
    let families = json!(["single", "married_one_income", "married_two_incomes"]);
    let input_properties = json!({
        "direction": { "type": "string", "enum": directions, "description": "what amount_cents is: the budget to spend (employer cost), the gross or the net" },
        "amount_cents": { "type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_AMOUNT_CENTS },
        "date": { "type": "string", "format": "date", "description": "the pay date; its parameter set applies (today by default)" },
        "status": { "type": "string", "enum": statuses, "default": "employee" },
        "family": { "type": "string", "enum": families, "default": "single" },
        "children": { "type": "integer", "minimum": 0, "maximum": MAX_CHILDREN, "default": 0 },
        "fraction_bp": { "type": "integer", "minimum": 1, "maximum": 10000, "default": 10000, "description": "work fraction in basis points; a short contract is simulated as its month's pay at its fraction" },
        "artist_flat_withholding": { "type": "boolean", "default": false, "description": "annex III point 80: flat 11.11 % withholding, no reductions" },
        "authors_rights_bp": { "type": "integer", "minimum": 0, "maximum": 9999, "default": 0, "description": "share of the total pay paid as author's rights, within the year's limit" }
    });
    schemas.insert(
        "SimulatorInput".into(),
        json!({ "type": "object", "required": ["direction", "amount_cents"], "properties": input_properties }),
    );
    let mut lines = Map::new();
    for name in [
        "gross_cents",
        "employee_onss_cents",
        "work_bonus_social_a_cents",
        "work_bonus_social_b_cents",
        "taxable_cents",
        "annual_taxable_cents",
        "flat_expenses_cents",
        "annual_net_taxable_cents",
        "annual_tax_cents",
        "withholding_before_bonus_cents",
        "work_bonus_fiscal_cents",
        "withholding_cents",
        "csss_cents",
        "net_cents",
        "authors_rights_cents",
        "authors_rights_withholding_cents",
        "total_net_cents",
        "employer_onss_cents",
        "employer_extra_cents",
        "holiday_pay_cents",
        "holiday_pay_onss_cents",
        "structural_reduction_cents",
        "employer_cost_cents",
    ] {
        lines.insert(name.into(), cents.clone());
    }
    lines.insert("date".into(), json!({ "type": "string", "format": "date" }));
    lines.insert(
        "params_version".into(),
        json!({ "type": "string", "description": "the parameter set used, <file version>/<first day>" }),
    );
    lines.insert(
        "profile".into(),
        json!({ "type": "object", "properties": {
            "status": { "type": "string", "enum": statuses }, "family": { "type": "string", "enum": families },
            "children": { "type": "integer" }, "fraction_bp": { "type": "integer" },
            "artist_flat_withholding": { "type": "boolean" }, "authors_rights_bp": { "type": "integer" } } }),
    );
    lines.insert(
        "caveats".into(),
        json!({ "type": "object", "description": "true where a line rests on a parameter not yet verified", "properties": {
            "work_bonus": { "type": "boolean" }, "csss": { "type": "boolean" }, "structural_reduction": { "type": "boolean" },
            "employer_extras": { "type": "boolean" }, "authors_rights": { "type": "boolean" } } }),
    );
    schemas.insert(
        "Simulation".into(),
        json!({ "type": "object", "description": "One month's payslip and employer cost, every line rounded half-up to the cent. Indicative.", "properties": lines }),
    );
    let responses = json!({
        "200": { "description": "every line of the month's pay", "content": { "application/json": { "schema": reference("Simulation") } } },
        "400": { "description": "unreadable JSON or query", "content": problem },
        "422": { "description": "invalid input, no parameters for the date, a net no gross reaches…; each error names its field", "content": problem }
    });
    let query_parameters: Vec<Value> = [
        "direction",
        "amount_cents",
        "date",
        "status",
        "family",
        "children",
        "fraction_bp",
        "artist_flat_withholding",
        "authors_rights_bp",
    ]
    .iter()
    .map(|name| {
        json!({ "name": name, "in": "query", "required": matches!(*name, "direction" | "amount_cents"),
            "schema": input_properties[*name].clone() })
    })
    .collect();
    paths.insert(
        "/api/v1/simulator".into(),
        json!({
            "get": { "tags": ["simulator"], "summary": "Simulate a month's pay (public, no token): budget → gross → net, or back",
                "security": [], "parameters": query_parameters, "responses": responses.clone() },
            "post": { "tags": ["simulator"], "summary": "Simulate a month's pay (public, no token): budget → gross → net, or back",
                "security": [], "requestBody": { "required": true, "content": { "application/json": { "schema": reference("SimulatorInput") } } },
                "responses": responses }
        }),
    );
}
