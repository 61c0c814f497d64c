//! The dashboard: one panel per role the user holds, each with what to do next.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use ruche_domain::Role;
use ruche_domain::policy::{Action, Target};
use ruche_store::PageRequest;
use ruche_store::entities::LegalEntityRecord;
use ruche_store::persons::PersonFilter;

use super::render;
use crate::AppState;
use crate::context::{RequestCtx, today};
use crate::error::AppError;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: RequestCtx,
    name: String,
    member: Option<MemberPanel>,
    advisor: Option<AdvisorPanel>,
    entities: Option<Vec<LegalEntityRecord>>,
    board: Option<BoardPanel>,
    admin: Option<AdminPanel>,
}

struct MemberPanel {
    activities: Vec<ruche_store::activities::ActivityRecord>,
    office: Option<String>,
    missing_iban: bool,
    missing_niss: bool,
}

struct AdvisorPanel {
    offices: Vec<String>,
    persons: i64,
}

struct BoardPanel {
    contract_label: Option<String>,
    accepted: i64,
    members: i64,
}

struct AdminPanel {
    entities: i64,
    offices: i64,
    persons: i64,
    accounts: i64,
    mails: i64,
}

pub async fn show(State(state): State<AppState>, ctx: RequestCtx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let store = &state.store;
    let one = PageRequest::new(1, 1);

    let member = if user.actor.has(Role::Member) {
        ctx.authorize(Action::View, Target::MemberArea)?;
        let office = match user.person.office_id {
            Some(id) => Some(store.office(id).await?.name),
            None => None,
        };
        let mine = ruche_store::activities::ActivityFilter {
            holder: Some(user.person.id),
            ..Default::default()
        };
        let activities = store
            .activities(&mine, PageRequest::new(1, 20))
            .await?
            .items;
        Some(MemberPanel {
            activities,
            office,
            missing_iban: user.person.iban.is_none(),
            missing_niss: user.person.niss.is_none(),
        })
    } else {
        None
    };

    let advisor = if user.actor.has(Role::Advisor) {
        let mut offices = Vec::new();
        for id in &user.actor.advisor_offices {
            offices.push(store.office(*id).await?.name);
        }
        let filter = PersonFilter {
            search: None,
            offices: Some(user.actor.advisor_offices.clone()),
        };
        Some(AdvisorPanel {
            offices,
            persons: store.persons(&filter, one).await?.total,
        })
    } else {
        None
    };

    let entities = if user.actor.has(Role::Accountant) {
        Some(store.legal_entities(PageRequest::new(1, 20)).await?.items)
    } else {
        None
    };

    let board = if user.actor.has(Role::Board) {
        let version = store.usage_contract_in_force(today()).await?;
        let accepted = match &version {
            Some(v) => store.usage_contract_acceptance_count(v.id).await?,
            None => 0,
        };
        let members = store.accounts(None, Some(Role::Member), one).await?.total;
        Some(BoardPanel {
            contract_label: version.map(|v| v.label),
            accepted,
            members,
        })
    } else {
        None
    };

    let admin = if ctx.may(Action::List, Target::Accounts) {
        Some(AdminPanel {
            entities: store.legal_entities(one).await?.total,
            offices: store.offices(one).await?.total,
            persons: store.persons(&PersonFilter::default(), one).await?.total,
            accounts: store.accounts(None, None, one).await?.total,
            mails: store.mails(None, true, one).await?.total,
        })
    } else {
        None
    };

    let name = user.person.first_name.clone();
    render(&DashboardPage {
        name,
        member,
        advisor,
        entities,
        board,
        admin,
        c: ctx,
    })
}
