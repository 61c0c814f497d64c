//! The OpenAPI 3 document of `/api/v1`, served at `/api/openapi.json`, built from one table
//! of resources (see docs/decisions/0006). A test checks that each resource of the table has
//! its schemas and paths and that every `$ref` resolves; a route added to the router must be
//! added to the table too.

use axum::Json;
use serde_json::{Map, Value, json};

/// (path, tag, input schema, output schema).
pub const RESOURCES: &[(&str, &str, &str, &str)] = &[
    (
        "/legal-entities",
        "legal entities",
        "LegalEntityInput",
        "LegalEntity",
    ),
    ("/offices", "offices", "OfficeInput", "Office"),
    ("/persons", "persons", "PersonInput", "Person"),
    ("/accounts", "accounts", "AccountInput", "Account"),
    ("/activities", "activities", "ActivityInput", "Activity"),
    ("/clients", "clients", "ClientInput", "Client"),
    ("/invoices", "invoices", "InvoiceInput", "Invoice"),
    ("/quotes", "quotes", "QuoteInput", "Quote"),
];

fn strings(fields: &[&str]) -> Value {
    let props: Map<String, Value> = fields
        .iter()
        .map(|f| (f.to_string(), json!({ "type": "string" })))
        .collect();
    Value::Object(props)
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

fn with(mut base: Value, extra: &[(&str, Value)]) -> Value {
    if let Some(props) = base.get_mut("properties").and_then(Value::as_object_mut) {
        for (k, v) in extra {
            props.insert(k.to_string(), v.clone());
        }
    }
    base
}

fn schemas() -> Value {
    let int = json!({ "type": "integer", "format": "int64" });
    let opt_int = json!({ "type": ["integer", "null"], "format": "int64" });
    let opt_str = json!({ "type": ["string", "null"] });
    let micros =
        json!({ "type": "integer", "format": "int64", "description": "Unix microseconds, UTC" });
    let entity_fields = [
        "name",
        "legal_form",
        "street",
        "postcode",
        "city",
        "enterprise_number",
        "vat_number",
        "iban",
        "court_register",
    ];
    let office_fields = [
        "name", "region", "street", "postcode", "city", "email", "phone",
    ];
    let person_fields = [
        "first_name",
        "last_name",
        "niss",
        "street",
        "postcode",
        "city",
        "country",
        "language",
        "iban",
        "email",
        "phone",
        "office_id",
        "gender",
    ];
    let role = json!({
        "type": "object", "required": ["role"],
        "properties": {
            "role": { "type": "string", "enum": ["member", "advisor", "accountant", "board", "administrator"] },
            "office_id": opt_int
        }
    });
    let page = |item: &str| {
        json!({ "type": "object", "properties": {
            "items": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } },
            "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" }
        }})
    };
    json!({
        "LegalEntityInput": object(&["name", "legal_form", "street", "postcode", "city", "enterprise_number", "iban", "court_register"], strings(&entity_fields)),
        "LegalEntity": with(object(&[], strings(&entity_fields)), &[("id", int.clone()), ("country", json!({"type": "string"})), ("vat_number", opt_str.clone()), ("created_at", micros.clone()), ("updated_at", micros.clone())]),
        "OfficeInput": object(&["name", "region", "street", "postcode", "city"], strings(&office_fields)),
        "Office": with(object(&[], strings(&office_fields)), &[("id", int.clone()), ("country", json!({"type": "string"})), ("email", opt_str.clone()), ("phone", opt_str.clone()), ("created_at", micros.clone()), ("updated_at", micros.clone())]),
        "PersonInput": object(&["first_name", "last_name", "street", "postcode", "city", "language"], strings(&person_fields)),
        "Person": with(object(&[], strings(&person_fields)), &[("id", int.clone()), ("niss", opt_str.clone()), ("iban", opt_str.clone()), ("email", opt_str.clone()), ("phone", opt_str.clone()), ("office_id", opt_int.clone()), ("gender", json!({"type": ["string", "null"], "enum": ["f", "m", "x", null], "description": "declared gender; null when not stated"})), ("created_at", micros.clone()), ("updated_at", micros.clone())]),
        "RoleGrant": role,
        "AccountInput": { "type": "object", "required": ["email", "roles"], "properties": {
            "person_id": int, "email": { "type": "string", "format": "email" }, "active": { "type": "boolean" },
            "roles": { "type": "array", "items": { "$ref": "#/components/schemas/RoleGrant" } } } },
        "Account": { "type": "object", "properties": {
            "id": int, "person_id": int, "email": { "type": "string" }, "language": opt_str, "active": { "type": "boolean" },
            "created_at": micros, "updated_at": micros, "last_login_at": opt_int,
            "roles": { "type": "array", "items": { "$ref": "#/components/schemas/RoleGrant" } } } },
        "ActivityInput": object(&["name", "description", "sector", "office_id"], strings(&["name", "description", "sector", "office_id"])),
        "Activity": { "type": "object", "properties": {
            "id": int, "name": { "type": "string" }, "description": { "type": "string" },
            "sector": { "type": "string", "enum": ["performing-arts", "visual-arts", "music", "audiovisual", "training", "consulting", "digital", "crafts", "events", "other"] },
            "office_id": int, "status": { "type": "string", "enum": ["proposed", "active", "suspended", "closed"] },
            "contribution_rate_bp": opt_int, "created_by": opt_int, "created_at": micros, "updated_at": micros } },
        "ClientInput": object(&["kind", "name", "street", "postcode", "city", "language"], strings(&["kind", "name", "enterprise_number", "vat_number", "street", "postcode", "city", "country", "language", "email"])),
        "Client": with(object(&[], strings(&["kind", "name", "street", "postcode", "city", "country", "language"])), &[("id", int.clone()), ("enterprise_number", opt_str.clone()), ("vat_number", opt_str.clone()), ("email", opt_str.clone()), ("created_by", opt_int.clone()), ("created_at", micros.clone()), ("updated_at", micros.clone())]),
        "InvoiceLineInput": { "type": "object", "required": ["quantity", "unit_price", "vat_category"], "properties": {
            "description": { "type": "string" }, "quantity": { "type": "string", "description": "exact decimal, > 0" },
            "unit": { "type": "string", "description": "UN/ECE rec. 20: HUR, DAY, C62, KMT, LS" },
            "unit_price": { "type": "string", "description": "exact decimal, VAT excluded" },
            "vat_category": { "type": "string", "enum": ["S", "Z", "E", "AE", "K", "G", "O"] },
            "vat_rate_bp": { "type": "integer", "description": "2100 = 21 %" } } },
        "InvoiceInput": { "type": "object", "required": ["activity_id", "client_id", "entity_id", "lines"], "properties": {
            "activity_id": int, "client_id": int, "entity_id": int,
            "kind": { "type": "string", "enum": ["invoice", "credit_note"] }, "corrects_invoice_id": opt_int, "quote_id": opt_int,
            "due_days": { "type": "integer", "minimum": 0, "maximum": 365 }, "language": { "type": "string", "enum": ["fr", "nl", "en"] },
            "order_reference": opt_str, "note": opt_str,
            "lines": { "type": "array", "items": { "$ref": "#/components/schemas/InvoiceLineInput" } } } },
        "Invoice": { "type": "object", "properties": {
            "id": int, "kind": { "type": "string" }, "status": { "type": "string", "enum": ["draft", "issued", "partially_paid", "paid", "credited", "written_off"] },
            "number": opt_str, "issue_date": opt_str, "due_date": opt_str, "structured_communication": opt_str,
            "activity_id": int, "client_id": int, "entity_id": int,
            "tax_exclusive_cents": int, "tax_cents": int, "tax_inclusive_cents": int, "paid_cents": int, "credited_cents": int,
            "content_hash": opt_str } },
        "InvoicePage": page("Invoice"),
        "ActivityPage": page("Activity"),
        "ClientPage": page("Client"),
        "LegalEntityPage": page("LegalEntity"),
        "OfficePage": page("Office"),
        "PersonPage": page("Person"),
        "AccountPage": page("Account"),
        "Problem": { "type": "object", "properties": {
            "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" },
            "errors": { "type": "array", "items": { "type": "object", "properties": {
                "field": { "type": "string" }, "code": { "type": "string" }, "detail": { "type": "string" } } } } } }
    })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn response(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn problems() -> Vec<(&'static str, Value)> {
    let p = json!({ "application/problem+json": { "schema": reference("Problem") } });
    vec![
        (
            "401",
            json!({ "description": "missing or revoked token", "content": p }),
        ),
        (
            "403",
            json!({ "description": "refused by the policy", "content": p }),
        ),
        (
            "422",
            json!({ "description": "invalid input; each error names its field", "content": p }),
        ),
    ]
}

fn operation(tag: &str, summary: &str, ok: (&str, Value), input: Option<&str>) -> Value {
    let mut responses = Map::new();
    responses.insert(ok.0.to_string(), ok.1);
    for (code, v) in problems() {
        responses.insert(code.to_string(), v);
    }
    let mut op = json!({ "tags": [tag], "summary": summary, "responses": responses });
    if let Some(input) = input {
        op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": reference(input) } } });
    }
    op
}

pub fn build() -> Value {
    let mut paths = Map::new();
    let id_param =
        json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
    let list_params = json!([
        { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
        { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } },
        { "name": "q", "in": "query", "description": "text search (persons, accounts)", "schema": { "type": "string" } }
    ]);
    for (path, tag, input, output) in RESOURCES {
        let mut list = operation(
            tag,
            &format!("List {tag}"),
            (
                "200",
                response("a page", reference(&format!("{output}Page"))),
            ),
            None,
        );
        list["parameters"] = list_params.clone();
        let create = operation(
            tag,
            &format!("Create ({tag})"),
            ("201", response("created", reference(output))),
            Some(input),
        );
        paths.insert(
            format!("/api/v1{path}"),
            json!({ "get": list, "post": create }),
        );
        let mut get = operation(
            tag,
            &format!("Read one ({tag})"),
            ("200", response("found", reference(output))),
            None,
        );
        get["parameters"] = id_param.clone();
        let mut put = operation(
            tag,
            &format!("Update ({tag})"),
            ("200", response("updated", reference(output))),
            Some(input),
        );
        put["parameters"] = id_param.clone();
        paths.insert(
            format!("/api/v1{path}/{{id}}"),
            json!({ "get": get, "put": put }),
        );
    }
    let mut decision = operation(
        "activities",
        "An advisor's decision: validate, suspend, resume, close",
        ("200", response("the activity", reference("Activity"))),
        None,
    );
    decision["parameters"] = id_param.clone();
    decision["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": {
        "type": "object", "required": ["event"],
        "properties": { "event": { "type": "string", "enum": ["validate", "suspend", "resume", "close"] } } } } } });
    paths.insert(
        "/api/v1/activities/{id}/decision".into(),
        json!({ "post": decision }),
    );
    paths.insert(
        "/api/v1/me".into(),
        json!({ "get": operation("me", "The token's account and roles", ("200", json!({ "description": "the account" })), None) }),
    );
    let mut schemas = schemas();
    if let Some(map) = schemas.as_object_mut() {
        super::assemblies::describe(&mut paths, map);
        super::bank::describe(&mut paths, map);
        super::board::describe(&mut paths, map);
        super::budget::describe(&mut paths, map);
        super::dunning::describe(&mut paths, map);
        super::employment::describe(&mut paths, map);
        super::expenses::describe(&mut paths, map);
        super::guide::describe(&mut paths, map);
        super::indicators::describe(&mut paths, map);
        super::transparency::describe(&mut paths, map);
        super::legal_help::describe(&mut paths, map);
        super::loans::describe(&mut paths, map);
        super::payouts::describe(&mut paths, map);
        super::quotes::describe(&mut paths, map);
        super::recovery::describe(&mut paths, map);
        super::shares::describe(&mut paths, map);
        super::simulator::describe(&mut paths, map);
        super::trainings::describe(&mut paths, map);
        super::school::describe(&mut paths, map);
        super::labs::describe(&mut paths, map);
        super::ethics::describe(&mut paths, map);
        super::advocacy::describe(&mut paths, map);
        super::recommendations::describe(&mut paths, map);
        super::places::describe(&mut paths, map);
        super::prevention::describe(&mut paths, map);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ruche API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The API of ruche. Authenticate with a personal token from \"My account\": `Authorization: Bearer rch_…`. Errors are application/problem+json (RFC 9457) in the Accept-Language language, each naming its field."
        },
        "security": [{ "token": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "token": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_has_its_schemas_and_paths() {
        let doc = build();
        for (path, _, input, output) in RESOURCES {
            assert!(doc["components"]["schemas"][input].is_object(), "{input}");
            assert!(doc["components"]["schemas"][output].is_object(), "{output}");
            assert!(doc["paths"][format!("/api/v1{path}")]["post"].is_object());
            assert!(doc["paths"][format!("/api/v1{path}/{{id}}")]["put"].is_object());
        }
        // Every $ref points to a schema that exists.
        let text = doc.to_string();
        for piece in text.split("#/components/schemas/").skip(1) {
            let name: String = piece.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(
                doc["components"]["schemas"][&name].is_object(),
                "dangling $ref {name}"
            );
        }
    }
}
