//! The records the stories start from, built through the domain's forms like the pages do.

use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::client::ClientForm;
use ruche_domain::group::{LegalEntityForm, OfficeForm};
use ruche_domain::person::PersonForm;
use ruche_store::{AuditContext, Store};

pub fn ctx() -> AuditContext {
    AuditContext::system()
}

pub async fn office(store: &Store, name: &str) -> i64 {
    let office = OfficeForm {
        name: name.into(),
        region: "brussels".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    store.save_office(&ctx(), None, &office).await.unwrap().id
}

pub async fn person(store: &Store, first_name: &str) -> i64 {
    let person = PersonForm {
        first_name: first_name.into(),
        last_name: "Test".into(),
        street: "Rue Haute 1".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    store.save_person(&ctx(), None, &person).await.unwrap().id
}

pub fn activity_form(name: &str, office_id: i64) -> ruche_domain::activity::Activity {
    ActivityForm {
        name: name.into(),
        description: "Une activité".into(),
        sector: "music".into(),
        office_id: office_id.to_string(),
    }
    .parse()
    .unwrap()
}

/// An activity held by `holder`, validated by its advisor when `active`.
pub async fn activity(store: &Store, name: &str, office_id: i64, holder: i64, active: bool) -> i64 {
    let id = store
        .propose_activity(&ctx(), &activity_form(name, office_id), holder)
        .await
        .unwrap()
        .id;
    if active {
        store
            .change_activity_status(&ctx(), id, ActivityEvent::Validate)
            .await
            .unwrap();
    }
    id
}

/// An office, a holder and one active activity.
pub async fn active_activity(store: &Store) -> i64 {
    let office = office(store, "Bruxelles").await;
    let holder = person(store, "Ana").await;
    activity(store, "Trio jazz", office, holder, true).await
}

pub fn company_form(
    name: &str,
    number: &str,
    language: &str,
    email: &str,
) -> ruche_domain::client::Client {
    ClientForm {
        kind: "company".into(),
        name: name.into(),
        enterprise_number: number.into(),
        vat_number: format!("BE{}", number.replace('.', "")),
        street: "Bd Jacqmain 111".into(),
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        country: "BE".into(),
        language: language.into(),
        email: email.into(),
    }
    .parse()
    .unwrap()
}

/// A Belgian company with its VAT number and an e-mail address.
pub async fn company(store: &Store, language: &str) -> i64 {
    let client = company_form("Théâtre", "0403170701", language, "theatre@example.be");
    store.save_client(&ctx(), None, &client).await.unwrap().id
}

/// A consumer without e-mail nor VAT number.
pub async fn consumer(store: &Store) -> i64 {
    let client = ClientForm {
        kind: "consumer".into(),
        name: "Marie Dupont".into(),
        street: "Rue Basse 2".into(),
        postcode: "4000".into(),
        city: "Liège".into(),
        language: "fr".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    store.save_client(&ctx(), None, &client).await.unwrap().id
}

/// The cooperative as the issuing legal entity.
pub async fn cooperative(store: &Store) -> i64 {
    let entity = LegalEntityForm {
        name: "Ruche".into(),
        legal_form: "SCES agréée".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        enterprise_number: "0202239951".into(),
        vat_number: "BE0202239951".into(),
        iban: "BE68539007547034".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .unwrap();
    store
        .save_legal_entity(&ctx(), None, &entity)
        .await
        .unwrap()
        .id
}
