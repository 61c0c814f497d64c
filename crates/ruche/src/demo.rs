//! The demo cooperative that `ruche demo` creates on an empty database: two legal entities,
//! nine offices, about twenty advisors, two hundred members, the two versions of the usage
//! contract with their acceptances, and a few welcome e-mails.
//!
//! Everything is drawn from one seeded random generator, so every run writes the same data.
//! Records are built as the web forms would type them and go through the domain's form
//! parsers (`LegalEntityForm::parse`, `OfficeForm::parse`, `PersonForm::parse`): a demo record
//! is valid by exactly the rules a user's record is. They are written through the store's
//! API, audited as changes made by ruche itself.

use std::collections::HashSet;

use anyhow::{Context, Result, anyhow};
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use ruche_domain::group::{LegalEntityForm, OfficeForm, Region};
use ruche_domain::ident::{Iban, Niss};
use ruche_domain::person::PersonForm;
use ruche_domain::role::RoleGrant;
use ruche_domain::{Language, Role};
use ruche_store::accounts::NewAccount;
use ruche_store::usage_contract::NewUsageContractVersion;
use ruche_store::{AuditContext, PageRequest, Store};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "ruche-demo";

/// The seed of the generator: the year the current usage contract came into force.
const SEED: u64 = 2023;

/// The mail domain of every demo address.
const MAIL_DOMAIN: &str = "demo.ruche.coop";

/// One of the named logins `ruche demo` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    /// `administrator`, `advisor`, `accountant`, `board`, `member` or `legal`.
    pub role: &'static str,
    pub email: String,
}

/// Seeds the demo cooperative unless the database already holds a legal entity (then returns
/// the same logins without writing).
///
/// `password_hash` is one argon2id hash of [`DEMO_PASSWORD`]; every demo account gets it.
/// The legal entities are written last, so a database where seeding stopped halfway is not
/// mistaken for a seeded one (seeding it again then fails on the first record already there,
/// an office name).
pub async fn seed(
    store: &Store,
    password_hash: &str,
    today: Date,
    base_url: &str,
) -> Result<Vec<DemoLogin>> {
    let mut logins = logins();
    let existing = store.legal_entities(PageRequest::new(1, 1)).await?;
    if existing.total == 0 {
        let plan = Plan::build(today)?;
        plan.write(store, password_hash).await?;
    }
    // Activities, clients and invoices (skipped when the demo has them already).
    crate::demo_sales::seed(store, today, base_url).await?;
    crate::demo_bank::seed(store, today).await?;
    crate::demo_dunning::seed(store, today).await?;
    crate::demo_payouts::seed(store, today).await?;
    crate::demo_recovery::seed(store, today).await?;
    crate::demo_employment::seed(store, today).await?;
    crate::demo_expenses::demo_expenses(store, today).await?;
    // After the share register and the statutes (the demo's governance).
    crate::demo_governance::seed_register(store, today).await?;
    crate::demo_assemblies::seed(store, today, base_url).await?;
    crate::demo_governance::seed_statutes(store).await?;
    crate::demo_board::seed(store, today).await?;
    crate::demo_trainings::seed(store, today).await?;
    crate::demo_loans::seed(store, today).await?;
    crate::demo_guide::seed(store, today).await?;
    crate::demo_legal_help::seed(store, today, password_hash, base_url, None).await?;
    crate::demo_transparency::seed(store, today).await?;
    crate::demo_school::seed(store, today).await?;
    crate::demo_ethics::seed(store, today).await?;
    crate::demo_recommendations::seed(store, today).await?;
    crate::demo_places::seed(store, today).await?;
    crate::demo_prevention::seed(store, today).await?;
    // Last: the special reports read every module's data.
    crate::demo_reports::seed(store, today).await?;
    logins.push(DemoLogin {
        role: "legal",
        email: crate::demo_legal_help::LEGAL_EMAIL.to_string(),
    });
    Ok(logins)
}

/// The named logins, in the order `ruche demo` prints them.
fn logins() -> Vec<DemoLogin> {
    NAMED
        .iter()
        .map(|n| DemoLogin {
            role: n.role,
            email: named_email(n),
        })
        .collect()
}

fn named_email(named: &NamedSeed) -> String {
    format!("{}@{MAIL_DOMAIN}", named.local_part)
}

/// The whole demo cooperative as the forms would carry it, before anything is written.
struct Plan {
    entities: Vec<LegalEntityForm>,
    /// In the order of [`OFFICES`]; people refer to an office by this index.
    offices: Vec<OfficeForm>,
    contracts: Vec<NewUsageContractVersion>,
    people: Vec<PlannedPerson>,
    mails: Vec<PlannedMail>,
}

/// A person and their account. The form's `office_id` is filled in once the offices are
/// stored and their ids known.
struct PlannedPerson {
    form: PersonForm,
    office: Option<usize>,
    roles: &'static [Role],
    /// Whether the account accepted each version of [`Plan::contracts`], in order.
    accepted: [bool; 2],
}

impl PlannedPerson {
    fn is_member(&self) -> bool {
        self.roles.contains(&Role::Member)
    }
}

struct PlannedMail {
    to: String,
    subject: String,
    body: String,
}

impl Plan {
    /// Draws the demo cooperative; the same `today` gives the same plan.
    fn build(today: Date) -> Result<Plan> {
        let mut draw = Draw::new(today);
        let mut people = Vec::new();
        for named in &NAMED {
            people.push(draw.named(named)?);
        }
        let mut serial = 0;
        for (index, office) in OFFICES.iter().enumerate() {
            for _ in 0..office.advisors {
                serial += 1;
                people.push(draw.generated(index, serial, ADVISOR, [false, false])?);
            }
        }
        let first_member = people.len();
        for (index, office) in OFFICES.iter().enumerate() {
            for _ in 0..office.members {
                serial += 1;
                people.push(draw.generated(index, serial, MEMBER, [false, false])?);
            }
        }
        if let Some(members) = people.get_mut(first_member..) {
            draw.acceptances(members);
        }
        let mails = welcome_mails(&people)?;
        Ok(Plan {
            entities: ENTITIES.iter().map(entity_form).collect(),
            offices: OFFICES.iter().map(office_form).collect(),
            contracts: contracts(),
            people,
            mails,
        })
    }

    async fn write(&self, store: &Store, password_hash: &str) -> Result<()> {
        let ctx = AuditContext::system();
        let mut office_ids = Vec::with_capacity(self.offices.len());
        for form in &self.offices {
            let office = form
                .parse()
                .map_err(|e| anyhow!("demo office {}: {e}", form.name))?;
            office_ids.push(store.save_office(&ctx, None, &office).await?.id);
        }
        let mut version_ids = Vec::with_capacity(self.contracts.len());
        for contract in &self.contracts {
            let version = store.publish_usage_contract(&ctx, contract).await?;
            version_ids.push(version.id);
        }
        for person in &self.people {
            let office_id = person.office.and_then(|i| office_ids.get(i).copied());
            let account_id = write_person(store, &ctx, person, office_id, password_hash).await?;
            for (accepted, version_id) in person.accepted.iter().zip(&version_ids) {
                if *accepted {
                    store
                        .accept_usage_contract(&ctx, account_id, *version_id)
                        .await?;
                }
            }
        }
        for mail in &self.mails {
            store
                .queue_mail(&mail.to, &mail.subject, &mail.body)
                .await?;
        }
        for form in &self.entities {
            let entity = form
                .parse()
                .map_err(|e| anyhow!("demo legal entity {}: {e}", form.name))?;
            store.save_legal_entity(&ctx, None, &entity).await?;
        }
        Ok(())
    }
}

/// Stores the person and their account; returns the account id.
async fn write_person(
    store: &Store,
    ctx: &AuditContext,
    planned: &PlannedPerson,
    office_id: Option<i64>,
    password_hash: &str,
) -> Result<i64> {
    let form = PersonForm {
        office_id: office_id.map(|id| id.to_string()).unwrap_or_default(),
        ..planned.form.clone()
    };
    let person = form
        .parse()
        .map_err(|e| anyhow!("demo person {}: {e}", form.email))?;
    let roles = planned
        .roles
        .iter()
        .map(|&role| RoleGrant {
            role,
            // Only the advisor role is attached to an office.
            office_id: office_id.filter(|_| role == Role::Advisor),
        })
        .collect();
    let account = NewAccount {
        email: form.email.clone(),
        password_hash: password_hash.to_string(),
        language: Some(person.language),
        roles,
    };
    let (_, account) = store
        .create_person_with_account(ctx, &person, &account)
        .await
        .with_context(|| format!("demo account {}", form.email))?;
    Ok(account.id)
}

/// The seeded generator and the identifiers already handed out (a NISS is unique).
struct Draw {
    rng: StdRng,
    today: Date,
    niss_taken: HashSet<String>,
}

impl Draw {
    fn new(today: Date) -> Draw {
        Draw {
            rng: StdRng::seed_from_u64(SEED),
            today,
            niss_taken: HashSet::new(),
        }
    }

    fn named(&mut self, named: &NamedSeed) -> Result<PlannedPerson> {
        let office = match named.office {
            Some(name) => Some(office_index(name)?),
            None => None,
        };
        // Head-office staff without an office live around Brussels like the rest.
        let home = office.unwrap_or(0);
        let form = self.person_form(
            named.first_name,
            named.last_name,
            named.female,
            named.language,
            named_email(named),
            home,
        )?;
        Ok(PlannedPerson {
            form,
            office,
            roles: named.roles,
            accepted: named.accepted,
        })
    }

    /// An advisor or member of office `office`, named in the office's language;
    /// `serial` makes the e-mail unique.
    fn generated(
        &mut self,
        office: usize,
        serial: u32,
        roles: &'static [Role],
        accepted: [bool; 2],
    ) -> Result<PlannedPerson> {
        let names = names_of(office_seed(office)?.region);
        let female = self.rng.random_bool(0.5);
        let first_name = pick(&mut self.rng, if female { names.women } else { names.men });
        let last_name = pick(&mut self.rng, names.last);
        // A few members of every office prefer English.
        let language = if self.rng.random_bool(0.04) {
            Language::En
        } else {
            names.language
        };
        let email = demo_email(first_name, last_name, serial);
        let form = self.person_form(first_name, last_name, female, language, email, office)?;
        Ok(PlannedPerson {
            form,
            office: Some(office),
            roles,
            accepted,
        })
    }

    fn person_form(
        &mut self,
        first_name: &str,
        last_name: &str,
        female: bool,
        language: Language,
        email: String,
        office: usize,
    ) -> Result<PersonForm> {
        let seed = office_seed(office)?;
        let (postcode, city) = pick(&mut self.rng, seed.localities);
        let streets = if seed.region == Region::Flanders {
            NL_STREETS
        } else {
            FR_STREETS
        };
        let street = format!(
            "{} {}",
            pick(&mut self.rng, streets),
            self.rng.random_range(1..=180)
        );
        let niss = self.niss(female)?;
        let phone = if self.rng.random_bool(0.8) {
            self.mobile_phone()
        } else {
            String::new()
        };
        Ok(PersonForm {
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            niss: niss.to_string(),
            street,
            postcode: postcode.to_string(),
            city: city.to_string(),
            country: "BE".to_string(),
            language: language.code().to_string(),
            iban: self.iban().to_string(),
            email,
            phone,
            office_id: String::new(),
            // Not stated: the demo's people declare no gender.
            gender: String::new(),
        })
    }

    /// A NISS not handed out yet, for someone aged 21 to 67; the serial is odd for men and
    /// even for women, as the national register assigns them.
    fn niss(&mut self, female: bool) -> Result<Niss> {
        for _ in 0..1000 {
            let year = i32::from(self.today.year()) - self.rng.random_range(21..=67);
            let month = self.rng.random_range(1..=12);
            let day = self.rng.random_range(1..=28);
            let serial = self.rng.random_range(1..=498_u16) * 2 - u16::from(!female);
            let niss = Niss::from_parts((year, month, day), serial);
            if self.niss_taken.insert(niss.as_str().to_string()) {
                return Ok(niss);
            }
        }
        Err(anyhow!("no free demo NISS after 1000 draws"))
    }

    /// Marks exactly [`ACCEPTED_SHARES`] of `members` as having accepted each version, drawn
    /// independently: some accepted only 2019 (and not yet 2023), some joined after 2023.
    fn acceptances(&mut self, members: &mut [PlannedPerson]) {
        for (version, share) in ACCEPTED_SHARES.into_iter().enumerate() {
            // At most a few hundred members: the rounded product fits any integer.
            let amount = (members.len() as f64 * share).round() as usize;
            let chosen = rand::seq::index::sample(&mut self.rng, members.len(), amount);
            for i in chosen {
                if let Some(flag) = members.get_mut(i).and_then(|m| m.accepted.get_mut(version)) {
                    *flag = true;
                }
            }
        }
    }

    fn iban(&mut self) -> Iban {
        let bank = pick(&mut self.rng, BANK_CODES);
        Iban::belgian(bank, self.rng.random_range(0..10_000_000))
    }

    /// `+32 475 12 34 56`.
    fn mobile_phone(&mut self) -> String {
        let r = &mut self.rng;
        format!(
            "+32 4{}{} {:02} {:02} {:02}",
            r.random_range(7..=9),
            r.random_range(0..=9),
            r.random_range(0..100),
            r.random_range(0..100),
            r.random_range(0..100)
        )
    }
}

/// `firstname.lastname.N@demo.ruche.coop`, lower-case ASCII.
fn demo_email(first_name: &str, last_name: &str, serial: u32) -> String {
    format!(
        "{}.{}.{serial}@{MAIL_DOMAIN}",
        ascii_slug(first_name),
        ascii_slug(last_name)
    )
}

/// Lower-case ASCII for an e-mail local part: accents dropped (`Zoë` → `zoe`), ligatures
/// spelled out (`œ` → `oe`), hyphens kept, spaces and apostrophes removed
/// (`Van den Bossche` → `vandenbossche`, `D'Hondt` → `dhondt`).
fn ascii_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' | '-' => out.push(c),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            _ => {}
        }
    }
    out
}

/// One element of a non-empty table (the default of `T` for an empty one).
fn pick<T: Copy + Default>(rng: &mut StdRng, list: &[T]) -> T {
    list.choose(rng).copied().unwrap_or_default()
}

fn office_index(name: &str) -> Result<usize> {
    OFFICES
        .iter()
        .position(|o| o.name == name)
        .ok_or_else(|| anyhow!("no demo office named {name}"))
}

fn office_seed(index: usize) -> Result<&'static OfficeSeed> {
    OFFICES
        .get(index)
        .ok_or_else(|| anyhow!("no demo office {index}"))
}

fn names_of(region: Region) -> &'static Names {
    match region {
        Region::Flanders => &DUTCH,
        Region::Brussels | Region::Wallonia => &FRENCH,
    }
}

fn entity_form(seed: &EntitySeed) -> LegalEntityForm {
    LegalEntityForm {
        name: seed.name.to_string(),
        legal_form: seed.legal_form.to_string(),
        street: seed.street.to_string(),
        postcode: seed.postcode.to_string(),
        city: seed.city.to_string(),
        enterprise_number: seed.enterprise_number.to_string(),
        vat_number: seed.vat_number.to_string(),
        iban: seed.iban.to_string(),
        court_register: seed.court_register.to_string(),
    }
}

fn office_form(seed: &OfficeSeed) -> OfficeForm {
    OfficeForm {
        name: seed.name.to_string(),
        region: seed.region.code().to_string(),
        street: seed.street.to_string(),
        postcode: seed.postcode.to_string(),
        city: seed.city.to_string(),
        email: format!("{}@{MAIL_DOMAIN}", ascii_slug(seed.name)),
        phone: seed.phone.to_string(),
    }
}

fn contracts() -> Vec<NewUsageContractVersion> {
    let version = |label: &str, effective_from, texts: [&[&str]; 3]| NewUsageContractVersion {
        label: label.to_string(),
        effective_from,
        text_fr: texts[0].join("\n\n"),
        text_nl: texts[1].join("\n\n"),
        text_en: texts[2].join("\n\n"),
    };
    vec![
        version(
            "2019",
            jiff::civil::date(2019, 1, 1),
            [CONTRACT_2019_FR, CONTRACT_2019_NL, CONTRACT_2019_EN],
        ),
        // The reference version, in force since 4 September 2023.
        version(
            "2023",
            jiff::civil::date(2023, 9, 4),
            [CONTRACT_2023_FR, CONTRACT_2023_NL, CONTRACT_2023_EN],
        ),
    ]
}

/// Welcome e-mails for `membre@`, `lid@` and the first member of Liège, so that the
/// "Outgoing mail" page has something to show.
fn welcome_mails(people: &[PlannedPerson]) -> Result<Vec<PlannedMail>> {
    let liege = office_index("Liège")?;
    let first_of_liege = people
        .iter()
        .find(|p| p.is_member() && p.office == Some(liege) && p.form.language == "fr")
        .ok_or_else(|| anyhow!("no French-speaking demo member in Liège"))?;
    let mut recipients = vec![first_of_liege];
    for local_part in ["membre", "lid"] {
        let email = format!("{local_part}@{MAIL_DOMAIN}");
        let person = people
            .iter()
            .find(|p| p.form.email == email)
            .ok_or_else(|| anyhow!("no demo person {email}"))?;
        recipients.push(person);
    }
    recipients.into_iter().map(welcome_mail).collect()
}

fn welcome_mail(person: &PlannedPerson) -> Result<PlannedMail> {
    let office = office_seed(person.office.unwrap_or(0))?;
    let f = &person.form;
    let office_email = format!("{}@{MAIL_DOMAIN}", ascii_slug(office.name));
    let place = format!("{}, {} {}", office.street, office.postcode, office.city);
    let (subject, body) = if f.language == "nl" {
        (
            "Welkom bij Ruche",
            format!(
                "Dag {},\n\n\
                 Welkom bij Ruche! Je account op het platform van de coöperatie is geopend: {}.\n\n\
                 Lees en aanvaard de geldende gebruiksovereenkomst in je ledenruimte voor je je \
                 eerste activiteit opstart.\n\n\
                 Je kantoor is {} ({place}). Je adviseurs helpen je graag verder: \
                 {office_email}, {}.\n\n\
                 Tot binnenkort,\nHet team van Ruche",
                f.first_name, f.email, office.name, office.phone
            ),
        )
    } else {
        (
            "Bienvenue chez Ruche",
            format!(
                "Bonjour {},\n\n\
                 Bienvenue chez Ruche ! Votre compte sur la plateforme de la coopérative est \
                 ouvert : {}.\n\n\
                 Avant de lancer votre première activité, lisez et acceptez le contrat d'usage \
                 en vigueur depuis votre espace membre.\n\n\
                 Votre antenne est celle de {} ({place}). Vos conseillers et conseillères y \
                 répondent à vos questions : {office_email}, {}.\n\n\
                 À bientôt,\nL'équipe de Ruche",
                f.first_name, f.email, office.name, office.phone
            ),
        )
    };
    Ok(PlannedMail {
        to: f.email.clone(),
        subject: subject.to_string(),
        body,
    })
}

// ---------------------------------------------------------------------------------------
// Data tables.

/// The share of the generated members who accepted the 2019 and the 2023 usage contract.
const ACCEPTED_SHARES: [f64; 2] = [0.85, 0.75];

const MEMBER: &[Role] = &[Role::Member];
const ADVISOR: &[Role] = &[Role::Advisor];

struct EntitySeed {
    name: &'static str,
    legal_form: &'static str,
    street: &'static str,
    postcode: &'static str,
    city: &'static str,
    enterprise_number: &'static str,
    vat_number: &'static str,
    iban: &'static str,
    court_register: &'static str,
}

/// Enterprise numbers and IBANs are valid test vectors of `reference/invoicing.md` §8.6.
const ENTITIES: [EntitySeed; 2] = [
    EntitySeed {
        name: "Ruche",
        legal_form: "SCES agréée / erkende CVSO",
        street: "Rue Coenraets 72",
        postcode: "1060",
        city: "Saint-Gilles",
        enterprise_number: "0202.239.951",
        vat_number: "BE0202239951",
        iban: "BE68 5390 0754 7034",
        court_register: "RPM Bruxelles",
    },
    EntitySeed {
        name: "Ruche Formation",
        legal_form: "ASBL / vzw",
        street: "Rue Coenraets 66",
        postcode: "1060",
        city: "Saint-Gilles",
        enterprise_number: "0417.497.106",
        // Exempt under art. 44 §2, 4° VAT Code, yet identified for VAT (BE + its number): its
        // invoices carry the number and the exemption mention.
        vat_number: "BE0417497106",
        iban: "BE62 5100 0754 7061",
        court_register: "RPM Bruxelles",
    },
];

struct OfficeSeed {
    name: &'static str,
    region: Region,
    street: &'static str,
    postcode: &'static str,
    city: &'static str,
    phone: &'static str,
    /// Generated advisors (the named `conseiller@` comes on top, in Bruxelles).
    advisors: usize,
    /// Generated members.
    members: usize,
    /// Where its members live: (postcode, municipality).
    localities: &'static [(&'static str, &'static str)],
}

/// The nine offices; the first is the head office, where staff without an office live.
const OFFICES: [OfficeSeed; 9] = [
    OfficeSeed {
        name: "Bruxelles",
        region: Region::Brussels,
        street: "Rue Coenraets 72",
        postcode: "1060",
        city: "Saint-Gilles",
        phone: "+32 2 542 10 00",
        advisors: 2,
        members: 50,
        localities: &[
            ("1000", "Bruxelles"),
            ("1030", "Schaerbeek"),
            ("1040", "Etterbeek"),
            ("1050", "Ixelles"),
            ("1060", "Saint-Gilles"),
            ("1070", "Anderlecht"),
            ("1080", "Molenbeek-Saint-Jean"),
            ("1180", "Uccle"),
            ("1190", "Forest"),
            ("1210", "Saint-Josse-ten-Noode"),
        ],
    },
    OfficeSeed {
        name: "Liège",
        region: Region::Wallonia,
        street: "Quai de la Batte 10",
        postcode: "4000",
        city: "Liège",
        phone: "+32 4 220 35 10",
        advisors: 3,
        members: 25,
        localities: &[
            ("4000", "Liège"),
            ("4020", "Liège"),
            ("4030", "Grivegnée"),
            ("4031", "Angleur"),
            ("4100", "Seraing"),
            ("4400", "Flémalle"),
            ("4800", "Verviers"),
        ],
    },
    OfficeSeed {
        name: "Namur",
        region: Region::Wallonia,
        street: "Rue de Fer 25",
        postcode: "5000",
        city: "Namur",
        phone: "+32 81 24 60 30",
        advisors: 2,
        members: 15,
        localities: &[
            ("5000", "Namur"),
            ("5002", "Saint-Servais"),
            ("5020", "Malonne"),
            ("5060", "Sambreville"),
            ("5100", "Jambes"),
            ("5300", "Andenne"),
            ("5500", "Dinant"),
        ],
    },
    OfficeSeed {
        name: "Charleroi",
        region: Region::Wallonia,
        street: "Boulevard Tirou 130",
        postcode: "6000",
        city: "Charleroi",
        phone: "+32 71 30 45 20",
        advisors: 2,
        members: 15,
        localities: &[
            ("6000", "Charleroi"),
            ("6001", "Marcinelle"),
            ("6010", "Couillet"),
            ("6040", "Jumet"),
            ("6041", "Gosselies"),
            ("6061", "Montignies-sur-Sambre"),
            ("6200", "Châtelet"),
        ],
    },
    OfficeSeed {
        name: "Mons",
        region: Region::Wallonia,
        street: "Rue de Nimy 45",
        postcode: "7000",
        city: "Mons",
        phone: "+32 65 35 12 40",
        advisors: 2,
        members: 12,
        localities: &[
            ("7000", "Mons"),
            ("7011", "Ghlin"),
            ("7020", "Nimy"),
            ("7080", "Frameries"),
            ("7100", "La Louvière"),
            ("7300", "Boussu"),
            ("7500", "Tournai"),
        ],
    },
    OfficeSeed {
        name: "Louvain-la-Neuve",
        region: Region::Wallonia,
        street: "Grand-Place 3",
        postcode: "1348",
        city: "Louvain-la-Neuve",
        phone: "+32 10 45 78 90",
        advisors: 2,
        members: 13,
        localities: &[
            ("1300", "Wavre"),
            ("1330", "Rixensart"),
            ("1340", "Ottignies"),
            ("1348", "Louvain-la-Neuve"),
            ("1370", "Jodoigne"),
            ("1400", "Nivelles"),
            ("1410", "Waterloo"),
        ],
    },
    OfficeSeed {
        name: "Gent",
        region: Region::Flanders,
        street: "Dok-Noord 4",
        postcode: "9000",
        city: "Gent",
        phone: "+32 9 265 80 70",
        advisors: 3,
        members: 30,
        localities: &[
            ("9000", "Gent"),
            ("9030", "Mariakerke"),
            ("9040", "Sint-Amandsberg"),
            ("9050", "Gentbrugge"),
            ("9200", "Dendermonde"),
            ("9300", "Aalst"),
            ("9800", "Deinze"),
            ("9820", "Merelbeke"),
        ],
    },
    OfficeSeed {
        name: "Antwerpen",
        region: Region::Flanders,
        street: "Kammenstraat 18",
        postcode: "2000",
        city: "Antwerpen",
        phone: "+32 3 232 44 50",
        advisors: 2,
        members: 25,
        localities: &[
            ("2000", "Antwerpen"),
            ("2018", "Antwerpen"),
            ("2060", "Antwerpen"),
            ("2100", "Deurne"),
            ("2140", "Borgerhout"),
            ("2600", "Berchem"),
            ("2800", "Mechelen"),
            ("2900", "Schoten"),
        ],
    },
    OfficeSeed {
        name: "Leuven",
        region: Region::Flanders,
        street: "Vital Decosterstraat 40",
        postcode: "3000",
        city: "Leuven",
        phone: "+32 16 29 33 60",
        advisors: 2,
        members: 15,
        localities: &[
            ("3000", "Leuven"),
            ("3001", "Heverlee"),
            ("3010", "Kessel-Lo"),
            ("3012", "Wilsele"),
            ("3020", "Herent"),
            ("3080", "Tervuren"),
            ("3300", "Tienen"),
        ],
    },
];

struct NamedSeed {
    /// What `ruche demo` prints next to the login.
    role: &'static str,
    local_part: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    female: bool,
    language: Language,
    office: Option<&'static str>,
    roles: &'static [Role],
    /// Accepted the 2019 and the 2023 usage contract.
    accepted: [bool; 2],
}

const NAMED: [NamedSeed; 9] = [
    NamedSeed {
        role: "administrator",
        local_part: "admin",
        first_name: "Camille",
        last_name: "Dubois",
        female: true,
        language: Language::Fr,
        office: None,
        roles: &[Role::Administrator],
        accepted: [false, false],
    },
    NamedSeed {
        role: "advisor",
        local_part: "conseiller",
        first_name: "Julien",
        last_name: "Lambert",
        female: false,
        language: Language::Fr,
        office: Some("Bruxelles"),
        roles: ADVISOR,
        accepted: [false, false],
    },
    NamedSeed {
        role: "accountant",
        local_part: "comptable",
        first_name: "Nathalie",
        last_name: "Claes",
        female: true,
        language: Language::Fr,
        office: None,
        roles: &[Role::Accountant],
        accepted: [false, false],
    },
    NamedSeed {
        role: "board",
        local_part: "ca",
        first_name: "Marc",
        last_name: "Renard",
        female: false,
        language: Language::Fr,
        office: Some("Bruxelles"),
        roles: &[Role::Member, Role::Board],
        accepted: [true, true],
    },
    // Has not accepted the usage contract in force: shows the acceptance step.
    NamedSeed {
        role: "member",
        local_part: "membre",
        first_name: "Sarah",
        last_name: "Leclercq",
        female: true,
        language: Language::Fr,
        office: Some("Bruxelles"),
        roles: MEMBER,
        accepted: [false, false],
    },
    NamedSeed {
        role: "member",
        local_part: "lid",
        first_name: "Pieter",
        last_name: "Janssens",
        female: false,
        language: Language::Nl,
        office: Some("Gent"),
        roles: MEMBER,
        accepted: [true, true],
    },
    NamedSeed {
        role: "participation",
        local_part: "participation",
        first_name: "Amina",
        last_name: "Benali",
        female: true,
        language: Language::Fr,
        office: None,
        roles: &[Role::Participation],
        accepted: [false, false],
    },
    NamedSeed {
        role: "facilities",
        local_part: "lieux",
        first_name: "Thomas",
        last_name: "Maes",
        female: false,
        language: Language::Nl,
        office: None,
        roles: &[Role::Facilities],
        accepted: [false, false],
    },
    NamedSeed {
        role: "prevention",
        local_part: "prevention",
        first_name: "Sophie",
        last_name: "Wauters",
        female: true,
        language: Language::Fr,
        office: None,
        roles: &[Role::Prevention],
        accepted: [false, false],
    },
];

/// Belgian bank codes (the first three digits of the BBAN) of the usual banks.
const BANK_CODES: &[u16] = &[
    1, 63, 68, 73, 143, 310, 363, 523, 539, 645, 734, 735, 751, 973, 979,
];

struct Names {
    language: Language,
    women: &'static [&'static str],
    men: &'static [&'static str],
    last: &'static [&'static str],
}

// Packed by hand: one name a line would make these tables longer than the code.
#[rustfmt::skip]
const FRENCH: Names = Names {
    language: Language::Fr,
    women: &[
        "Amélie", "Aurélie", "Camille", "Céline", "Chloé", "Claire", "Élodie", "Émilie",
        "Fatima", "Géraldine", "Hélène", "Inès", "Isabelle", "Julie", "Laurence", "Léa",
        "Manon", "Marie", "Nathalie", "Noémie", "Pauline", "Sandrine", "Sophie", "Valérie",
    ],
    men: &[
        "Antoine", "Benoît", "Christophe", "Damien", "François", "Frédéric", "Jérôme",
        "Julien", "Karim", "Louis", "Lucas", "Mathieu", "Maxime", "Mehdi", "Nicolas",
        "Olivier", "Pierre", "Quentin", "Renaud", "Sébastien", "Thomas", "Yannick",
    ],
    last: &[
        "Benali", "Bodart", "Charlier", "Collard", "D'Ath", "Delvaux", "Denis", "Dubois",
        "Dumont", "Dupont", "El Amrani", "Fontaine", "François", "Gérard", "Gilson", "Goffin",
        "Henrard", "Hubert", "Jacquet", "Lambert", "Laurent", "Leclercq", "Lecomte", "Lefèvre",
        "Legrand", "Lejeune", "Lemaire", "Léonard", "Leroy", "Maréchal", "Martin", "Masson",
        "Michel", "Noël", "Piron", "Renard", "Simon", "Thiry", "Vandamme", "Wilmotte",
    ],
};

#[rustfmt::skip]
const DUTCH: Names = Names {
    language: Language::Nl,
    women: &[
        "Anke", "Annelies", "Elke", "Ellen", "Els", "Emma", "Femke", "Griet", "Hanne", "Inge",
        "Joke", "Jolien", "Katrien", "Lien", "Lotte", "Marieke", "Nele", "Sofie", "Tine",
        "Zoë",
    ],
    men: &[
        "Arne", "Bart", "Bram", "Dieter", "Geert", "Hannes", "Jan", "Jelle", "Jens", "Joris",
        "Karel", "Kobe", "Lars", "Maarten", "Pieter", "Ruben", "Sander", "Stijn", "Tom",
        "Ward", "Wout",
    ],
    last: &[
        "Aerts", "Bogaert", "Claes", "Claessens", "Cools", "Coppens", "De Backer", "De Clercq",
        "De Smet", "De Vos", "De Wilde", "D'Hondt", "Geerts", "Goossens", "Hermans", "Jacobs",
        "Janssens", "Lambrechts", "Lemmens", "Maes", "Martens", "Mertens", "Michiels",
        "Pauwels", "Peeters", "Segers", "Smets", "Van Acker", "Van Damme", "Van de Velde",
        "Van den Bossche", "Van Dyck", "Van Hoof", "Vandenberghe", "Verbeke", "Verhoeven",
        "Vermeulen", "Verstraete", "Willems", "Wouters",
    ],
};

const FR_STREETS: &[&str] = &[
    "Rue de la Station",
    "Rue des Écoles",
    "Rue du Moulin",
    "Avenue des Tilleuls",
    "Rue de l'Église",
    "Chaussée de Bruxelles",
    "Rue Haute",
    "Rue des Alliés",
    "Rue Saint-Martin",
    "Avenue de la Gare",
    "Rue du Marché",
    "Rue des Champs",
    "Rue Émile Vandervelde",
    "Rue de la Paix",
    "Rue Victor Hugo",
    "Avenue Albert Ier",
    "Rue des Fleurs",
    "Rue du Parc",
    "Rue Jean Jaurès",
    "Place communale",
];

const NL_STREETS: &[&str] = &[
    "Kerkstraat",
    "Stationsstraat",
    "Dorpsstraat",
    "Molenstraat",
    "Schoolstraat",
    "Nieuwstraat",
    "Kapelstraat",
    "Veldstraat",
    "Beekstraat",
    "Lindenlaan",
    "Hoogstraat",
    "Sint-Jansstraat",
    "Brugstraat",
    "Meersstraat",
    "Bosstraat",
    "Koning Albertlaan",
    "Groenstraat",
    "Vlaanderenstraat",
    "Tiensestraat",
    "Kouter",
];

// The usage contract, one paragraph a string; the texts join them with blank lines.

const CONTRACT_2019_FR: &[&str] = &[
    "Contrat d'usage de l'entreprise partagée Ruche — version 2019",
    "1. Objet. Ce contrat règle l'usage que le membre fait des services de Ruche, coopérative \
     agréée comme entreprise sociale. Il s'applique à chaque activité que le membre mène sous \
     le couvert de la coopérative.",
    "2. Rôles. Ruche est le vendeur légal des prestations et l'employeur du membre. Le membre \
     développe son activité de façon autonome : il choisit ses clients, fixe ses prix et \
     organise son travail, dans le respect de la loi et des règles de la coopérative.",
    "3. Contribution mutualisée. Ruche retient 6,5 % du chiffre d'affaires hors TVA de chaque \
     activité. Cette contribution finance les services communs : facturation, recouvrement, \
     gestion sociale et administrative, assurances et accompagnement par les conseillers.",
    "4. Budget, factures et paiements. Les devis et les factures sont émis au nom de Ruche et \
     les clients paient sur le compte de la coopérative. Le budget de l'activité reçoit les \
     montants encaissés, contribution déduite, et paie les salaires, les frais et les achats. \
     Aucune dépense ne peut dépasser le budget disponible.",
    "5. Garantie salariale. Le salaire prévu par un contrat de travail est payé dans les 7 jours \
     ouvrables, même si le client n'a pas encore payé. Un fonds mutuel alimenté par la \
     contribution couvre cette avance.",
    "6. Données personnelles. Ruche traite les données du membre et de ses clients pour \
     exécuter ce contrat et ses obligations légales, conformément au RGPD. Le membre peut \
     consulter et corriger ses données à tout moment.",
    "7. Fin du contrat. Chaque partie peut mettre fin au contrat par écrit, moyennant un préavis \
     d'un mois. Les factures en cours sont encaissées et le solde du budget est versé au membre \
     selon les règles en vigueur.",
];

const CONTRACT_2019_NL: &[&str] = &[
    "Gebruiksovereenkomst van de gedeelde onderneming Ruche — versie 2019",
    "1. Voorwerp. Deze overeenkomst regelt hoe het lid de diensten gebruikt van Ruche, een \
     coöperatie erkend als sociale onderneming. Ze geldt voor elke activiteit die het lid onder \
     de vleugels van de coöperatie uitoefent.",
    "2. Rollen. Ruche is de wettelijke verkoper van de prestaties en de werkgever van het lid. \
     Het lid ontwikkelt zijn activiteit zelfstandig: het kiest zijn klanten, bepaalt zijn \
     prijzen en organiseert zijn werk, met respect voor de wet en de regels van de coöperatie.",
    "3. Gemutualiseerde bijdrage. Ruche houdt 6,5 % in op de omzet exclusief btw van elke \
     activiteit. Die bijdrage financiert de gedeelde diensten: facturatie, invordering, sociaal \
     en administratief beheer, verzekeringen en begeleiding door de adviseurs.",
    "4. Budget, facturen en betalingen. Offertes en facturen worden op naam van Ruche opgemaakt \
     en klanten betalen op de rekening van de coöperatie. Het budget van de activiteit ontvangt \
     de geïnde bedragen, na aftrek van de bijdrage, en betaalt de lonen, onkosten en aankopen. \
     Geen uitgave mag het beschikbare budget overschrijden.",
    "5. Loongarantie. Het loon uit een arbeidsovereenkomst wordt binnen 7 werkdagen betaald, ook \
     als de klant nog niet betaald heeft. Een onderling fonds, gevoed door de bijdrage, dekt dat \
     voorschot.",
    "6. Persoonsgegevens. Ruche verwerkt de gegevens van het lid en zijn klanten om deze \
     overeenkomst en haar wettelijke verplichtingen uit te voeren, volgens de AVG. Het lid kan \
     zijn gegevens altijd inkijken en verbeteren.",
    "7. Einde van de overeenkomst. Elke partij kan de overeenkomst schriftelijk beëindigen met \
     een opzegtermijn van een maand. Lopende facturen worden geïnd en het saldo van het budget \
     wordt volgens de geldende regels aan het lid uitbetaald.",
];

const CONTRACT_2019_EN: &[&str] = &[
    "Usage contract of the Ruche shared enterprise — 2019 version",
    "1. Purpose. This contract governs how the member uses the services of Ruche, a cooperative \
     accredited as a social enterprise. It applies to every activity the member runs under the \
     cooperative's umbrella.",
    "2. Roles. Ruche is the legal seller of the services and the member's employer. The member \
     runs the activity independently: they choose their clients, set their prices and organise \
     their work, within the law and the cooperative's rules.",
    "3. Mutualised contribution. Ruche keeps 6.5 % of each activity's turnover excluding VAT. \
     The contribution pays for the shared services: invoicing, debt recovery, payroll and \
     administration, insurance and the support of the advisors.",
    "4. Budget, invoices and payments. Quotes and invoices are issued in Ruche's name and clients \
     pay into the cooperative's account. The activity's budget receives the amounts collected, \
     less the contribution, and pays the salaries, expenses and purchases. No expense may \
     exceed the available budget.",
    "5. Salary guarantee. The salary set in an employment contract is paid within 7 working \
     days, even if the client has not paid yet. A mutual fund fed by the contribution covers \
     this advance.",
    "6. Personal data. Ruche processes the data of the member and of their clients to perform \
     this contract and its legal obligations, in accordance with the GDPR. The member may view \
     and correct their data at any time.",
    "7. Termination. Either party may end the contract in writing with one month's notice. \
     Outstanding invoices are collected and the budget's balance is paid to the member under \
     the rules in force.",
];

const CONTRACT_2023_FR: &[&str] = &[
    "Contrat d'usage de l'entreprise partagée Ruche — version du 4 septembre 2023",
    "1. Objet. Ce contrat règle l'usage que le membre fait des services de Ruche, coopérative \
     agréée comme entreprise sociale. Il s'applique à chaque activité que le membre mène sous \
     le couvert de la coopérative et remplace la version de 2019.",
    "2. Rôles. Ruche est le vendeur légal des prestations et l'employeur du membre. Le membre \
     développe son activité de façon autonome, sous le couvert juridique, fiscal et social de la \
     coopérative, et reste responsable de la qualité de ses prestations.",
    "3. Contribution mutualisée. Ruche retient 6,5 % du chiffre d'affaires hors TVA de chaque \
     activité. Outre la facturation, le recouvrement mutualisé, la gestion sociale, les \
     assurances et l'accompagnement par les conseillers, elle finance désormais le service \
     juridique, les formations des membres, l'école de la coopération et l'accès aux espaces \
     partagés.",
    "4. Budget, factures et paiements. Les devis et les factures sont émis au nom de Ruche ; les \
     factures aux entreprises belges sont envoyées en facture électronique par le réseau \
     Peppol. Les clients paient sur le compte de la coopérative avec la communication \
     structurée ; les rappels partent automatiquement. Le membre suit le budget de son activité \
     en temps réel ; aucune dépense ne peut dépasser le budget disponible.",
    "5. Garantie salariale. Le salaire prévu par un contrat de travail est payé dans les 7 jours \
     ouvrables, même si le client n'a pas encore payé. Un fonds mutuel alimenté par la \
     contribution couvre cette avance.",
    "6. Prêts à 0 %. Le membre peut demander un prêt sans intérêt ni frais pour du matériel, une \
     formation ou une avance de trésorerie, selon les critères publiés par la coopérative.",
    "7. Données personnelles. Ruche traite les données du membre et de ses clients pour \
     exécuter ce contrat et ses obligations légales, conformément au RGPD, et les conserve le \
     temps nécessaire (dix ans pour les factures). Le membre peut consulter, corriger et \
     exporter ses données, et demander leur effacement dans les limites de la loi.",
    "8. Fin du contrat. Chaque partie peut mettre fin au contrat par écrit, moyennant un préavis \
     d'un mois ; Ruche peut y mettre fin sans préavis en cas de manquement grave. Les factures \
     en cours sont encaissées et le solde du budget est versé au membre selon les règles en \
     vigueur.",
    "9. Acceptation. Le membre accepte cette version en ligne ; la coopérative conserve la date \
     de son acceptation.",
];

const CONTRACT_2023_NL: &[&str] = &[
    "Gebruiksovereenkomst van de gedeelde onderneming Ruche — versie van 4 september 2023",
    "1. Voorwerp. Deze overeenkomst regelt hoe het lid de diensten gebruikt van Ruche, een \
     coöperatie erkend als sociale onderneming. Ze geldt voor elke activiteit die het lid onder \
     de vleugels van de coöperatie uitoefent en vervangt de versie van 2019.",
    "2. Rollen. Ruche is de wettelijke verkoper van de prestaties en de werkgever van het lid. \
     Het lid ontwikkelt zijn activiteit zelfstandig, onder de juridische, fiscale en sociale \
     dekking van de coöperatie, en blijft verantwoordelijk voor de kwaliteit van zijn werk.",
    "3. Gemutualiseerde bijdrage. Ruche houdt 6,5 % in op de omzet exclusief btw van elke \
     activiteit. Naast facturatie, gemutualiseerde invordering, sociaal beheer, verzekeringen \
     en begeleiding door de adviseurs financiert ze voortaan ook de juridische dienst, de \
     opleidingen voor leden, de school van de coöperatie en de toegang tot gedeelde ruimtes.",
    "4. Budget, facturen en betalingen. Offertes en facturen worden op naam van Ruche opgemaakt; \
     facturen aan Belgische ondernemingen worden als e-factuur via het Peppol-netwerk \
     verstuurd. Klanten betalen op de rekening van de coöperatie met de gestructureerde \
     mededeling; herinneringen vertrekken automatisch. Het lid volgt het budget van zijn \
     activiteit in real time; geen uitgave mag het beschikbare budget overschrijden.",
    "5. Loongarantie. Het loon uit een arbeidsovereenkomst wordt binnen 7 werkdagen betaald, ook \
     als de klant nog niet betaald heeft. Een onderling fonds, gevoed door de bijdrage, dekt dat \
     voorschot.",
    "6. Leningen aan 0 %. Het lid kan een lening zonder interest of kosten aanvragen voor \
     materiaal, een opleiding of een kasvoorschot, volgens de criteria die de coöperatie \
     publiceert.",
    "7. Persoonsgegevens. Ruche verwerkt de gegevens van het lid en zijn klanten om deze \
     overeenkomst en haar wettelijke verplichtingen uit te voeren, volgens de AVG, en bewaart \
     ze zo lang als nodig (tien jaar voor facturen). Het lid kan zijn gegevens inkijken, \
     verbeteren en exporteren, en binnen de grenzen van de wet laten wissen.",
    "8. Einde van de overeenkomst. Elke partij kan de overeenkomst schriftelijk beëindigen met \
     een opzegtermijn van een maand; Ruche kan ze zonder opzeg beëindigen bij een ernstige \
     tekortkoming. Lopende facturen worden geïnd en het saldo van het budget wordt volgens de \
     geldende regels aan het lid uitbetaald.",
    "9. Aanvaarding. Het lid aanvaardt deze versie online; de coöperatie bewaart de datum van de \
     aanvaarding.",
];

const CONTRACT_2023_EN: &[&str] = &[
    "Usage contract of the Ruche shared enterprise — version of 4 September 2023",
    "1. Purpose. This contract governs how the member uses the services of Ruche, a cooperative \
     accredited as a social enterprise. It applies to every activity the member runs under the \
     cooperative's umbrella and replaces the 2019 version.",
    "2. Roles. Ruche is the legal seller of the services and the member's employer. The member \
     runs the activity independently, under the cooperative's legal, tax and social umbrella, \
     and remains responsible for the quality of their work.",
    "3. Mutualised contribution. Ruche keeps 6.5 % of each activity's turnover excluding VAT. \
     Besides invoicing, mutualised debt recovery, payroll, insurance and the support of the \
     advisors, it now also pays for the legal service, training for members, the school of \
     cooperation and access to the shared spaces.",
    "4. Budget, invoices and payments. Quotes and invoices are issued in Ruche's name; invoices \
     to Belgian businesses are sent as e-invoices over the Peppol network. Clients pay into the \
     cooperative's account with the structured communication; reminders go out automatically. \
     The member follows the activity's budget in real time; no expense may exceed the \
     available budget.",
    "5. Salary guarantee. The salary set in an employment contract is paid within 7 working \
     days, even if the client has not paid yet. A mutual fund fed by the contribution covers \
     this advance.",
    "6. 0 % loans. The member may ask for a loan without interest or fees for equipment, \
     training or a cash advance, under the criteria the cooperative publishes.",
    "7. Personal data. Ruche processes the data of the member and of their clients to perform \
     this contract and its legal obligations, in accordance with the GDPR, and keeps them as \
     long as needed (ten years for invoices). The member may view, correct and export their \
     data, and have it erased within the limits of the law.",
    "8. Termination. Either party may end the contract in writing with one month's notice; Ruche \
     may end it without notice for a serious breach. Outstanding invoices are collected and the \
     budget's balance is paid to the member under the rules in force.",
    "9. Acceptance. The member accepts this version online; the cooperative keeps the date of \
     the acceptance.",
];

#[cfg(test)]
mod tests {
    use super::*;
    use ruche_store::ConnectOptions;
    use ruche_store::persons::PersonFilter;

    fn today() -> Date {
        jiff::civil::date(2026, 3, 2)
    }

    fn plan() -> Plan {
        Plan::build(today()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn slugs_are_lower_case_ascii_without_accents() {
        assert_eq!(ascii_slug("Zoë"), "zoe");
        assert_eq!(ascii_slug("Élodie"), "elodie");
        assert_eq!(ascii_slug("Lefèvre"), "lefevre");
        assert_eq!(ascii_slug("Benoît"), "benoit");
        assert_eq!(ascii_slug("D'Hondt"), "dhondt");
        assert_eq!(ascii_slug("Van den Bossche"), "vandenbossche");
        assert_eq!(ascii_slug("Louvain-la-Neuve"), "louvain-la-neuve");
        assert_eq!(ascii_slug("Liège"), "liege");
        assert_eq!(ascii_slug("Cœur"), "coeur");
        assert_eq!(
            demo_email("François", "El Amrani", 7),
            "francois.elamrani.7@demo.ruche.coop"
        );
    }

    #[test]
    fn every_planned_record_parses_like_a_form() {
        let plan = plan();
        for form in &plan.entities {
            assert!(form.parse().is_ok(), "{}", form.name);
        }
        for form in &plan.offices {
            assert!(form.parse().is_ok(), "{}", form.name);
        }
        for p in &plan.people {
            let form = PersonForm {
                office_id: "1".into(),
                ..p.form.clone()
            };
            let person = form
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", form.email));
            assert!(
                person.niss.is_some() && person.iban.is_some(),
                "{}",
                form.email
            );
            assert!(form.email.is_ascii() && form.email == form.email.to_lowercase());
        }
    }

    #[test]
    fn generated_niss_and_iban_are_always_valid() {
        let mut draw = Draw::new(today());
        for i in 0..2000 {
            let niss = draw.niss(i % 2 == 0).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(Niss::parse(&niss.to_string()), Ok(niss.clone()));
            let born = niss.birth_date().map(|d| d.year()).unwrap_or_default();
            assert!((1959..=2005).contains(&born), "{niss}");
            let iban = draw.iban();
            assert_eq!(Iban::parse(&iban.to_string()), Ok(iban));
        }
    }

    #[test]
    fn emails_and_niss_are_unique() {
        let plan = plan();
        let emails: HashSet<_> = plan.people.iter().map(|p| &p.form.email).collect();
        let niss: HashSet<_> = plan.people.iter().map(|p| &p.form.niss).collect();
        assert_eq!(emails.len(), plan.people.len());
        assert_eq!(niss.len(), plan.people.len());
    }

    #[test]
    fn the_plan_is_the_same_every_run() {
        let show = |p: &Plan| {
            let people: Vec<String> = p.people.iter().map(|p| format!("{:?}", p.form)).collect();
            let mails: Vec<String> = p.mails.iter().map(|m| m.body.clone()).collect();
            let accepted: Vec<[bool; 2]> = p.people.iter().map(|p| p.accepted).collect();
            (people, mails, accepted)
        };
        assert_eq!(show(&plan()), show(&plan()));
    }

    #[test]
    fn the_cooperative_has_the_expected_shape() {
        let plan = plan();
        assert_eq!(plan.entities.len(), 2);
        assert_eq!(plan.offices.len(), 9);
        let advisors = plan
            .people
            .iter()
            .filter(|p| p.roles.contains(&Role::Advisor))
            .count();
        let members: Vec<_> = plan.people.iter().filter(|p| p.is_member()).collect();
        assert_eq!(advisors, 21);
        assert_eq!(members.len(), 203);
        // 85 % and 75 % of the 200 generated members, plus ca@ and lid@ who accepted both.
        let accepted = |v: usize| members.iter().filter(|p| p.accepted[v]).count();
        assert_eq!((accepted(0), accepted(1)), (172, 152));
        let flemish = office_index("Gent").unwrap_or_default();
        assert!(
            plan.people
                .iter()
                .filter(|p| p.office == Some(flemish))
                .all(|p| p.form.language != "fr")
        );
        assert_eq!(plan.mails.len(), 3);
    }

    #[test]
    fn the_named_logins_come_in_order_with_their_acceptances() {
        let emails: Vec<String> = logins().into_iter().map(|l| l.email).collect();
        assert_eq!(
            emails,
            [
                "admin@demo.ruche.coop",
                "conseiller@demo.ruche.coop",
                "comptable@demo.ruche.coop",
                "ca@demo.ruche.coop",
                "membre@demo.ruche.coop",
                "lid@demo.ruche.coop",
                "participation@demo.ruche.coop",
                "lieux@demo.ruche.coop",
                "prevention@demo.ruche.coop",
            ]
        );
        let plan = plan();
        let find = |email: &str| plan.people.iter().find(|p| p.form.email == email);
        assert_eq!(
            find("membre@demo.ruche.coop").map(|p| p.accepted),
            Some([false; 2])
        );
        assert_eq!(
            find("lid@demo.ruche.coop").map(|p| p.accepted),
            Some([true; 2])
        );
        assert_eq!(
            find("admin@demo.ruche.coop").map(|p| p.roles),
            Some(&[Role::Administrator][..])
        );
    }

    #[test]
    fn the_2023_contract_is_a_new_text_in_three_languages() {
        let c = contracts();
        assert_eq!(c.len(), 2);
        for v in &c {
            for text in [&v.text_fr, &v.text_nl, &v.text_en] {
                assert!(text.split("\n\n").count() >= 7);
                assert!(text.contains("6,5 %") || text.contains("6.5 %"));
            }
        }
        assert_ne!(c[0].text_fr, c[1].text_fr);
        assert!(c[1].text_nl.contains("Peppol") && !c[0].text_nl.contains("Peppol"));
    }

    #[tokio::test]
    async fn seeding_writes_once_and_then_only_returns_the_logins() {
        let path =
            std::env::temp_dir().join(format!("ruche-demo-test-{}.sqlite", std::process::id()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.migrate().await.unwrap_or_else(|e| panic!("{e}"));
        let first = seed(&store, "hash", today(), "http://127.0.0.1:8080")
            .await
            .unwrap_or_else(|e| panic!("{e:#}"));
        let again = seed(&store, "hash", today(), "http://127.0.0.1:8080")
            .await
            .unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(first, again);
        let persons = store
            .persons(&PersonFilter::default(), PageRequest::new(1, 1))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(persons.total, 230);
        let in_force = store
            .usage_contract_in_force(today())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no usage contract in force"));
        assert_eq!(in_force.label, "2023");
        let accepted = store
            .usage_contract_acceptance_count(in_force.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(accepted, 152);
        let account = async |local: &str| {
            store
                .account_by_email(&format!("{local}@{MAIL_DOMAIN}"))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("no account {local}"))
        };
        for (local, accepted) in [("membre", false), ("lid", true)] {
            let at = store
                .usage_contract_accepted_at(account(local).await.id, in_force.id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(at.is_some(), accepted, "{local}");
        }
        let roles = async |local: &str| {
            let id = account(local).await.id;
            store
                .account_roles(id)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let brussels = store
            .all_offices()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .find(|o| o.name == "Bruxelles")
            .map(|o| o.id);
        assert_eq!(
            roles("conseiller").await,
            [RoleGrant {
                role: Role::Advisor,
                office_id: brussels
            }]
        );
        let codes = |grants: Vec<RoleGrant>| grants.into_iter().map(|g| g.role).collect::<Vec<_>>();
        assert_eq!(codes(roles("admin").await), [Role::Administrator]);
        assert_eq!(codes(roles("ca").await), [Role::Member, Role::Board]);
        // Three welcome mails to members (the others carry quotes to clients, convocations,
        // loan reminders, catalogue leads, legal-help notices…).
        let mut welcome = 0;
        for page in 1.. {
            let mails = store
                .mails(
                    None,
                    true,
                    PageRequest::new(page, PageRequest::MAX_PER_PAGE),
                )
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            welcome += mails
                .items
                .iter()
                .filter(|m| {
                    m.to_address.ends_with(&format!("@{MAIL_DOMAIN}"))
                        && (m.subject.starts_with("Bienvenue") || m.subject.starts_with("Welkom"))
                })
                .count();
            if page >= mails.pages() {
                break;
            }
        }
        assert_eq!(welcome, 3);
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
