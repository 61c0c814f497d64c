//! The cooperative's people: the legal entity, the nine offices, the advisors, the members
//! (each with an account and one activity, proposed then validated) and the clients.

use anyhow::{Result, anyhow};
use rand::Rng;
use rand::rngs::StdRng;
use ruche_domain::activity::{ActivityEvent, ActivityForm};
use ruche_domain::client::ClientForm;
use ruche_domain::group::{LegalEntityForm, OfficeForm};
use ruche_domain::ident::{Iban, Niss};
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::{AuditContext, Store};

use super::scale::Volumes;
use super::{Progress, Summary, day_of, set_clock};

/// The mail domain of every generated address.
const MAIL_DOMAIN: &str = "generated.ruche.coop";

/// The share of members who joined in the generated year (the rest joined in the five
/// years before).
const NEW_MEMBERS: f64 = 0.2;

/// A member with their activity.
pub struct Member {
    pub person_id: i64,
    pub account_id: i64,
    pub activity_id: i64,
    /// The day of the year (0 = 1 January) from which the member works and invoices: 0 for
    /// those who joined before the year.
    pub from_day: i64,
    /// Whether the member declared the female gender (else the male one): drawn with their
    /// first name, stored through the person form.
    pub female: bool,
}

/// What the later phases need of the people written.
pub struct Coop {
    pub year: i16,
    pub entity_id: i64,
    pub members: Vec<Member>,
    /// The first advisor's, the board member's and the accountant's accounts (the loans'
    /// opinion, decision and treasury: four eyes).
    pub advisor_account: i64,
    pub board_account: i64,
    pub treasury_account: i64,
    /// Client ids, with whether the client is a company.
    pub clients: Vec<(i64, bool)>,
}

struct OfficeSeed {
    name: &'static str,
    region: &'static str,
    street: &'static str,
    postcode: &'static str,
    city: &'static str,
    language: Language,
}

const OFFICES: [OfficeSeed; 9] = [
    office(
        "Bruxelles",
        "brussels",
        "Rue Coenraets 72",
        "1060",
        "Saint-Gilles",
        Language::Fr,
    ),
    office(
        "Liège",
        "wallonia",
        "Quai de la Batte 10",
        "4000",
        "Liège",
        Language::Fr,
    ),
    office(
        "Namur",
        "wallonia",
        "Rue de Fer 25",
        "5000",
        "Namur",
        Language::Fr,
    ),
    office(
        "Charleroi",
        "wallonia",
        "Boulevard Tirou 130",
        "6000",
        "Charleroi",
        Language::Fr,
    ),
    office(
        "Mons",
        "wallonia",
        "Rue de Nimy 45",
        "7000",
        "Mons",
        Language::Fr,
    ),
    office(
        "Louvain-la-Neuve",
        "wallonia",
        "Grand-Place 3",
        "1348",
        "Louvain-la-Neuve",
        Language::Fr,
    ),
    office(
        "Gent",
        "flanders",
        "Dok-Noord 4",
        "9000",
        "Gent",
        Language::Nl,
    ),
    office(
        "Antwerpen",
        "flanders",
        "Kammenstraat 18",
        "2000",
        "Antwerpen",
        Language::Nl,
    ),
    office(
        "Leuven",
        "flanders",
        "Vital Decosterstraat 40",
        "3000",
        "Leuven",
        Language::Nl,
    ),
];

const fn office(
    name: &'static str,
    region: &'static str,
    street: &'static str,
    postcode: &'static str,
    city: &'static str,
    language: Language,
) -> OfficeSeed {
    OfficeSeed {
        name,
        region,
        street,
        postcode,
        city,
        language,
    }
}

const FR_FIRST: [&str; 12] = [
    "Camille", "Julien", "Sarah", "Thomas", "Léa", "Nicolas", "Manon", "Antoine", "Chloé",
    "Maxime", "Inès", "Hugo",
];
const NL_FIRST: [&str; 12] = [
    "Lotte", "Pieter", "Emma", "Wout", "Fien", "Jens", "Marie", "Bram", "Noor", "Lars", "Ine",
    "Tom",
];
const FR_LAST: [&str; 10] = [
    "Dubois", "Lambert", "Dupont", "Martin", "Renard", "Lejeune", "Leclercq", "Simon", "Laurent",
    "Collin",
];
const NL_LAST: [&str; 10] = [
    "Peeters", "Janssens", "Maes", "Claes", "Wouters", "Goossens", "Mertens", "Willems", "Jacobs",
    "De Smet",
];
const SECTORS: [&str; 10] = [
    "performing-arts",
    "visual-arts",
    "music",
    "audiovisual",
    "training",
    "consulting",
    "digital",
    "crafts",
    "events",
    "other",
];

pub async fn generate(
    store: &Store,
    rng: &mut StdRng,
    year: i16,
    volumes: &Volumes,
    progress: &mut Progress,
    summary: &mut Summary,
) -> Result<Coop> {
    let ctx = AuditContext::system();
    let founded = jiff::civil::Date::new(year - 6, 1, 2)?;

    // The legal entity first: a database where generation stopped is not empty.
    progress.phase("legal entity, offices", 1 + OFFICES.len() as u64);
    set_clock(founded, 9)?;
    let entity = LegalEntityForm {
        name: "Ruche".into(),
        legal_form: "SCES agréée / erkende CVSO".into(),
        street: "Rue Coenraets 72".into(),
        postcode: "1060".into(),
        city: "Saint-Gilles".into(),
        // A valid test vector of reference/invoicing.md §8.6 (as the demo's).
        enterprise_number: "0202.239.951".into(),
        vat_number: "BE0202239951".into(),
        iban: "BE68 5390 0754 7034".into(),
        court_register: "RPM Bruxelles".into(),
    }
    .parse()
    .map_err(|e| anyhow!("legal entity: {e}"))?;
    let entity_id = store.save_legal_entity(&ctx, None, &entity).await?.id;
    progress.advance(1);
    let mut office_ids = Vec::with_capacity(OFFICES.len());
    for seed in &OFFICES {
        let form = OfficeForm {
            name: seed.name.into(),
            region: seed.region.into(),
            street: seed.street.into(),
            postcode: seed.postcode.into(),
            city: seed.city.into(),
            email: format!("{}@{MAIL_DOMAIN}", slug(seed.name)),
            phone: "+32 2 542 10 00".into(),
        };
        let office = form
            .parse()
            .map_err(|e| anyhow!("office {}: {e}", seed.name))?;
        office_ids.push(store.save_office(&ctx, None, &office).await?.id);
        progress.advance(1);
    }
    summary.offices = i64::try_from(office_ids.len())?;
    progress.finish("offices");

    // Advisors: round-robin over the offices, hired in the three years before.
    let advisors = usize::try_from(volumes.advisors)?;
    progress.phase("advisors", advisors as u64);
    let mut serial: usize = 0;
    let mut advisor_account = 0;
    for i in 0..advisors {
        let o = i % OFFICES.len();
        let hired = day_of(year - rng.random_range(1..=3), rng.random_range(0..365))?;
        set_clock(hired, 10)?;
        serial += 1;
        let (form, language) = person_form(rng, o, serial, "conseil")?;
        let (_, account) =
            write_person(store, &ctx, form, language, office_ids[o], Role::Advisor).await?;
        if i == 0 {
            advisor_account = account;
        }
        summary.advisors += 1;
        progress.advance(1);
    }
    // A board member and an accountant of the head office.
    let mut staff = [0_i64; 2];
    for (slot, (role, prefix)) in staff
        .iter_mut()
        .zip([(Role::Board, "ca"), (Role::Accountant, "compta")])
    {
        serial += 1;
        let (form, language) = person_form(rng, 0, serial, prefix)?;
        *slot = write_person(store, &ctx, form, language, office_ids[0], role)
            .await?
            .1;
    }
    progress.finish("advisors");

    // Members with their activity. A new member joins in the first three months, so that
    // they have most of the year to work and invoice.
    let count = usize::try_from(volumes.members)?;
    progress.phase("members, activities", count as u64);
    let mut members = Vec::with_capacity(count);
    for i in 0..count {
        let o = i % OFFICES.len();
        let new = rng.random_bool(NEW_MEMBERS);
        let (joined, from_day) = if new {
            let d = rng.random_range(0..90);
            (day_of(year, d)?, d)
        } else {
            let back = rng.random_range(1..=5);
            (day_of(year - back, rng.random_range(0..365))?, 0)
        };
        set_clock(joined, 11)?;
        serial += 1;
        let (form, language) = person_form(rng, o, serial, "membre")?;
        let female = form.gender == "f";
        let (person_id, account_id) =
            write_person(store, &ctx, form, language, office_ids[o], Role::Member).await?;
        let sector = SECTORS[rng.random_range(0..SECTORS.len())];
        let activity = ActivityForm {
            name: format!("Activité {serial}"),
            description: format!("Activité générée ({sector})"),
            sector: sector.into(),
            office_id: office_ids[o].to_string(),
        }
        .parse()
        .map_err(|e| anyhow!("activity {serial}: {e}"))?;
        let activity_id = store.propose_activity(&ctx, &activity, person_id).await?.id;
        store
            .change_activity_status(&ctx, activity_id, ActivityEvent::Validate)
            .await?;
        summary.members += 1;
        summary.activities += 1;
        if new {
            summary.members_new += 1;
            summary.activities_new += 1;
        }
        members.push(Member {
            person_id,
            account_id,
            activity_id,
            from_day,
            female,
        });
        progress.advance(1);
    }
    progress.finish("members");

    // Clients, registered in the year before: three in five companies.
    let count = usize::try_from(volumes.clients)?;
    progress.phase("clients", count as u64);
    set_clock(jiff::civil::Date::new(year - 1, 6, 1)?, 9)?;
    let mut clients = Vec::with_capacity(count);
    for i in 0..count {
        let company = rng.random_bool(0.6);
        let seed = &OFFICES[i % OFFICES.len()];
        let form = if company {
            // A valid enterprise number: 8 digits and their mod-97 check.
            let body = 2_000_000 + i64::try_from(i)? * 157;
            let check = 97 - body % 97;
            let number = format!("0{body:07}{check:02}");
            ClientForm {
                kind: "company".into(),
                name: format!("Client {} SRL", i + 1),
                enterprise_number: number.clone(),
                vat_number: format!("BE{number}"),
                street: format!("Rue du Commerce {}", 1 + i % 200),
                postcode: seed.postcode.into(),
                city: seed.city.into(),
                country: "BE".into(),
                language: seed.language.code().into(),
                email: format!("compta{}@clients.{MAIL_DOMAIN}", i + 1),
            }
        } else {
            ClientForm {
                kind: "consumer".into(),
                name: format!("Particulier {}", i + 1),
                street: format!("Rue des Lilas {}", 1 + i % 150),
                postcode: seed.postcode.into(),
                city: seed.city.into(),
                country: "BE".into(),
                language: seed.language.code().into(),
                email: format!("particulier{}@clients.{MAIL_DOMAIN}", i + 1),
                ..ClientForm::default()
            }
        };
        let client = form.parse().map_err(|e| anyhow!("client {i}: {e}"))?;
        clients.push((store.save_client(&ctx, None, &client).await?.id, company));
        summary.clients += 1;
        progress.advance(1);
    }
    progress.finish("clients");
    Ok(Coop {
        year,
        entity_id,
        members,
        advisor_account,
        board_account: staff[0],
        treasury_account: staff[1],
        clients,
    })
}

/// A person of office `o`, named in its language, with the declared gender of their first
/// name (drawn once: no extra draw from `rng`); `serial` makes the e-mail and the NISS
/// unique.
fn person_form(
    rng: &mut StdRng,
    o: usize,
    serial: usize,
    prefix: &str,
) -> Result<(PersonForm, Language)> {
    let seed = &OFFICES[o];
    let dutch = seed.language == Language::Nl;
    let female = rng.random_bool(0.5);
    let firsts = if dutch { &NL_FIRST } else { &FR_FIRST };
    // Even first names are women's in both lists.
    let first = firsts[rng.random_range(0..firsts.len() / 2) * 2 + usize::from(!female)];
    let lasts = if dutch { &NL_LAST } else { &FR_LAST };
    let last = lasts[rng.random_range(0..lasts.len())];
    // Unique by construction: birth date and serial from the person's serial.
    let n = i32::try_from(serial)?;
    let birth = (
        1956 + n % 47,
        u8::try_from(1 + (n / 47) % 12)?,
        u8::try_from(1 + (n / 564) % 28)?,
    );
    let niss_serial = u16::try_from((n / 15_792) % 498 + 1)? * 2 - u16::from(!female);
    let niss = Niss::from_parts(birth, niss_serial);
    let iban = Iban::belgian(
        [63, 68, 310, 363, 1][rng.random_range(0..5)],
        rng.random_range(0..10_000_000),
    );
    let form = PersonForm {
        first_name: first.into(),
        last_name: last.into(),
        niss: niss.to_string(),
        street: format!(
            "{} {}",
            if dutch {
                "Kerkstraat"
            } else {
                "Rue de l'Église"
            },
            1 + serial % 180
        ),
        postcode: seed.postcode.into(),
        city: seed.city.into(),
        country: "BE".into(),
        language: seed.language.code().into(),
        iban: iban.to_string(),
        email: format!("{prefix}.{serial}@{MAIL_DOMAIN}"),
        phone: String::new(),
        office_id: String::new(),
        gender: if female { "f" } else { "m" }.into(),
    };
    Ok((form, seed.language))
}

/// Stores a person with an account holding one role (an advisor's is attached to the
/// office); returns the person's and the account's ids.
async fn write_person(
    store: &Store,
    ctx: &AuditContext,
    form: PersonForm,
    language: Language,
    office_id: i64,
    role: Role,
) -> Result<(i64, i64)> {
    let form = PersonForm {
        office_id: office_id.to_string(),
        ..form
    };
    let person = form
        .parse()
        .map_err(|e| anyhow!("person {}: {e}", form.email))?;
    let account = NewAccount {
        email: form.email.clone(),
        // No password: generated accounts sign in only once an administrator sets one.
        password_hash: String::new(),
        language: Some(language),
        roles: vec![RoleGrant {
            role,
            office_id: (role == Role::Advisor).then_some(office_id),
        }],
    };
    let (person, account) = store
        .create_person_with_account(ctx, &person, &account)
        .await
        .map_err(|e| anyhow!("account {}: {e}", form.email))?;
    Ok((person.id, account.id))
}

/// Lower-case ASCII for an e-mail local part.
fn slug(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => Some(c),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            _ => None,
        })
        .collect()
}
