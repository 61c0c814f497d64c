//! The DIMONA file of one day: the employment declarations (`DimonaIn`, `DimonaCancel`) of
//! the contracts signed or cancelled that day, as the XML the ONSS's batch channel reads
//! (`shared/reference/employment.md` §5). The declarations themselves come from the domain
//! ([`ruche_domain::employment::dimona::declarations`]); this module only writes them.
//!
//! No official Dimona XSD ships in `shared/schemas`: the file follows the element names and
//! order of the field list in employment.md §5 (Dimona XSD 2023.1, as mirrored in
//! `BartVertongen/BelgianSocialSecurity`) and is **not schema-validated**. The form header
//! carries the fields ruche knows (`Identification`, `FormCreationDate`, the `Reference`);
//! the ones stamped when the file is submitted (`FormCreationHour`, `AttestationStatus`,
//! `TypeForm`) are left to the submitting tool. The channel itself — batch upload or the
//! REST API v2 with its OAuth client — is outside ruche: ruche exports, it does not send.
//!
//! Every declaration is named by the reference `RUCHE-DIM-<contract id>`. ruche holds no
//! `DimonaPeriodId` (the ONSS returns it to whoever submits the IN), so a `DimonaCancel`
//! names the IN it cancels by that same reference, and carries the worker's national number
//! when there is one; the submitter maps the reference to the period id it received.

use jiff::civil::Date;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use ruche_domain::employment::dimona::{Declaration, DeclarationKind};
use ruche_domain::ident::{EnterpriseNumber, IdentError, Niss};

/// The most declarations one file carries (TigerStyle: a bound on every loop). The
/// reference year's 208,014 contracts make about 570 INs a day on average.
pub const MAX_DECLARATIONS: usize = 100_000;

/// `Reference/ReferenceType`: 1, a reference to this form.
const REFERENCE_TO_THIS_FORM: &str = "1";
/// `Reference/ReferenceOrigin`: 1, given by the declarant (always 1 for a Dimona).
const ORIGIN_DECLARANT: &str = "1";

/// The employer the file declares for (`DimonaIn/EmployerId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimonaEmployer {
    /// `EmployerId/CompanyID`: the enterprise number (KBO/BCE), ten digits.
    pub enterprise_number: EnterpriseNumber,
    /// `EmployerId/NOSSRegistrationNbr`: the ONSS registration number, when known; the
    /// same number as in the DmfA (employment.md §5). Digits, separators allowed.
    pub onss_number: Option<String>,
    /// Not written in the file (the ONSS knows its employers by number); named in errors.
    pub name: String,
}

/// The person a declaration is about (`DimonaIn/NaturalPerson`). The national number
/// (NISS/INSZ) identifies the person; without one, last name, first name and birth date
/// must all be given (employment.md §5: "national number, or identity data when there is
/// none").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimonaWorker {
    /// National register or BIS number, as typed (dots and dashes allowed).
    pub niss: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<Date>,
}

/// Why a day's file is refused. Each error names what to fix, and the contract it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DimonaError {
    /// No declaration for the day: there is no file to write.
    #[error("no declaration on {0}")]
    Empty(Date),
    #[error("{count} declarations in one file: at most {MAX_DECLARATIONS}")]
    TooMany { count: usize },
    /// A declaration of another day was handed to this day's file.
    #[error("contract {contract_id}: declared on {declared_on}, not in the file of {day}")]
    OtherDay {
        contract_id: i64,
        declared_on: Date,
        day: Date,
    },
    /// The worker cannot be identified: no national number, and the identity is
    /// incomplete.
    #[error(
        "contract {contract_id}: the worker has no national number (NISS) and not all of \
         last name, first name and birth date"
    )]
    UnidentifiedWorker { contract_id: i64 },
    #[error("contract {contract_id}: the national number {value:?} is not valid ({reason})")]
    Niss {
        contract_id: i64,
        value: String,
        reason: IdentError,
    },
    #[error("employer {name}: the ONSS number {value:?} is not a number")]
    OnssNumber { name: String, value: String },
    #[error("contract {contract_id}: the worker type is missing")]
    WorkerType { contract_id: i64 },
    #[error("XML writer: {0}")]
    Xml(String),
}

/// Only the XML writer does I/O, into a `Vec`, which cannot fail; passed on all the same.
impl From<std::io::Error> for DimonaError {
    fn from(e: std::io::Error) -> Self {
        DimonaError::Xml(e.to_string())
    }
}

/// The reference a contract's declarations go under: `RUCHE-DIM-<contract id>`.
pub fn reference(contract_id: i64) -> String {
    format!("RUCHE-DIM-{contract_id}")
}

/// The DIMONA XML of `day`: one `Form` per declaration, the INs first (a contract signed and
/// cancelled the same day is declared, then cancelled), each group in the order given.
/// Refused as a whole, naming the contract, when a declaration is of another day or its
/// worker cannot be identified: a file is submitted in one piece.
pub fn write_dimona_day(
    day: Date,
    employer: &DimonaEmployer,
    items: &[(Declaration, DimonaWorker)],
) -> Result<String, DimonaError> {
    if items.is_empty() {
        return Err(DimonaError::Empty(day));
    }
    if items.len() > MAX_DECLARATIONS {
        return Err(DimonaError::TooMany { count: items.len() });
    }
    let onss = employer
        .onss_number
        .as_deref()
        .map(|n| onss_digits(&employer.name, n))
        .transpose()?;
    let mut forms = Vec::with_capacity(items.len());
    for (declaration, worker) in items {
        if declaration.declared_on != day {
            return Err(DimonaError::OtherDay {
                contract_id: declaration.contract_id,
                declared_on: declaration.declared_on,
                day,
            });
        }
        if declaration.worker_type.trim().is_empty() {
            return Err(DimonaError::WorkerType {
                contract_id: declaration.contract_id,
            });
        }
        forms.push((declaration, person(declaration.contract_id, worker)?));
    }
    // Stable: the INs keep their order, then the cancellations keep theirs.
    forms.sort_by_key(|(d, _)| match d.kind {
        DeclarationKind::In => 0,
        DeclarationKind::Cancel => 1,
    });

    let mut out = Out(Writer::new_with_indent(Vec::new(), b' ', 2));
    out.0
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    out.group("Dimona", |o| {
        forms.iter().try_for_each(|(declaration, person)| {
            form(o, day, employer, onss.as_deref(), declaration, person)
        })
    })?;
    String::from_utf8(out.0.into_inner()).map_err(|e| DimonaError::Xml(e.to_string()))
}

/// How the file names the worker.
enum Person {
    Inss(String),
    Identity {
        last_name: String,
        first_name: String,
        birth_date: Date,
    },
}

impl Person {
    fn inss(&self) -> Option<&str> {
        match self {
            Person::Inss(n) => Some(n),
            Person::Identity { .. } => None,
        }
    }
}

fn person(contract_id: i64, w: &DimonaWorker) -> Result<Person, DimonaError> {
    if let Some(value) = w.niss.as_deref().filter(|n| !n.trim().is_empty()) {
        let niss = Niss::parse(value).map_err(|reason| DimonaError::Niss {
            contract_id,
            value: value.to_string(),
            reason,
        })?;
        return Ok(Person::Inss(niss.as_str().to_string()));
    }
    let last_name = w.last_name.trim();
    let first_name = w.first_name.trim();
    match w.birth_date {
        Some(birth_date) if !last_name.is_empty() && !first_name.is_empty() => {
            Ok(Person::Identity {
                last_name: last_name.to_string(),
                first_name: first_name.to_string(),
                birth_date,
            })
        }
        _ => Err(DimonaError::UnidentifiedWorker { contract_id }),
    }
}

/// `NOSSRegistrationNbr` is an integer in the XSD: the digits, separators dropped.
fn onss_digits(name: &str, value: &str) -> Result<String, DimonaError> {
    let digits: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '/' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DimonaError::OnssNumber {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    Ok(digits)
}

fn form(
    o: &mut Out,
    day: Date,
    employer: &DimonaEmployer,
    onss: Option<&str>,
    d: &Declaration,
    person: &Person,
) -> Result<(), DimonaError> {
    o.group("Form", |o| {
        o.leaf("Identification", "DIMONA")?;
        o.leaf("FormCreationDate", &day.to_string())?;
        o.group("Reference", |o| {
            o.leaf("ReferenceType", REFERENCE_TO_THIS_FORM)?;
            o.leaf("ReferenceOrigin", ORIGIN_DECLARANT)?;
            o.leaf("ReferenceNbr", &reference(d.contract_id))
        })?;
        match d.kind {
            DeclarationKind::In => dimona_in(o, employer, onss, d, person),
            DeclarationKind::Cancel => o.group("DimonaCancel", |o| match person.inss() {
                Some(inss) => o.leaf("INSS", inss),
                None => Ok(()),
            }),
        }
    })
}

/// `DimonaIn`, in the XSD's order: the period (`DimonaInType`), then `EmployerId`,
/// `NaturalPerson`, `DimonaFeatures`.
fn dimona_in(
    o: &mut Out,
    employer: &DimonaEmployer,
    onss: Option<&str>,
    d: &Declaration,
    person: &Person,
) -> Result<(), DimonaError> {
    o.group("DimonaIn", |o| {
        o.leaf("StartingDate", &d.starting_date.to_string())?;
        if let Some(end) = d.ending_date {
            // A fixed-term contract gives its end in the IN: then no OUT is needed (§5).
            o.leaf("EndingDate", &end.to_string())?;
        }
        if d.planned_hours > 0 {
            o.leaf("PlannedHoursNbr", &d.planned_hours.to_string())?;
        }
        o.group("EmployerId", |o| {
            if let Some(onss) = onss {
                o.leaf("NOSSRegistrationNbr", onss)?;
            }
            o.leaf("CompanyID", employer.enterprise_number.as_str())
        })?;
        o.group("NaturalPerson", |o| match person {
            Person::Inss(inss) => o.leaf("INSS", inss),
            Person::Identity {
                last_name,
                first_name,
                birth_date,
            } => {
                o.leaf("WorkerName", last_name)?;
                o.leaf("WorkerFirstName", first_name)?;
                o.leaf("WorkerBirthdate", &birth_date.to_string())
            }
        })?;
        o.group("DimonaFeatures", |o| {
            let committee = d.joint_commission.trim();
            if !committee.is_empty() {
                o.leaf("JointCommissionNbr", committee)?;
            }
            o.leaf("WorkerType", d.worker_type.trim())
        })
    })
}

// ------------------------------------------------------------------------------------ XML

/// The XML being written. quick-xml escapes every text (`&`, `<`, quotes) in
/// [`Out::leaf`].
struct Out(Writer<Vec<u8>>);

impl Out {
    fn group(
        &mut self,
        name: &str,
        inner: impl FnOnce(&mut Out) -> Result<(), DimonaError>,
    ) -> Result<(), DimonaError> {
        self.0.write_event(Event::Start(BytesStart::new(name)))?;
        inner(self)?;
        self.0.write_event(Event::End(BytesEnd::new(name)))?;
        Ok(())
    }

    fn leaf(&mut self, name: &str, text: &str) -> Result<(), DimonaError> {
        self.0
            .create_element(name)
            .write_text_content(BytesText::new(text))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;
    use ruche_domain::employment::dimona::WORKER_TYPE_ORDINARY;

    use super::*;
    use crate::ubl::tree::{Element, parse};

    fn employer() -> DimonaEmployer {
        DimonaEmployer {
            enterprise_number: EnterpriseNumber::parse("BE 0202.239.951").unwrap(),
            onss_number: Some("175-1108-01".into()),
            name: "Ruche SC".into(),
        }
    }

    fn declaration(kind: DeclarationKind, contract_id: i64) -> Declaration {
        Declaration {
            kind,
            declared_on: date(2026, 3, 2),
            contract_id,
            starting_date: date(2026, 3, 3),
            ending_date: Some(date(2026, 3, 5)),
            planned_hours: 23,
            joint_commission: "329.01".into(),
            worker_type: WORKER_TYPE_ORDINARY,
            late: false,
        }
    }

    fn worker(niss: Option<&str>) -> DimonaWorker {
        DimonaWorker {
            niss: niss.map(Into::into),
            last_name: "Lemaître".into(),
            first_name: "Françoise".into(),
            birth_date: Some(date(1985, 7, 30)),
        }
    }

    fn forms(root: &Element) -> Vec<&Element> {
        root.all("Form").collect()
    }

    #[test]
    fn a_day_with_an_in_and_a_cancel_parses_back_with_its_fields() {
        let items = [
            // Given out of order: the file still declares before it cancels.
            (
                declaration(DeclarationKind::Cancel, 41),
                worker(Some("85.07.30-033.28")),
            ),
            (declaration(DeclarationKind::In, 42), worker(None)),
        ];
        let xml = write_dimona_day(date(2026, 3, 2), &employer(), &items).unwrap();
        let root = parse(&xml).unwrap();
        assert_eq!(root.name, "Dimona");
        let forms = forms(&root);
        assert_eq!(forms.len(), 2);

        let inn = forms[0];
        assert_eq!(inn.text_at(&["Identification"]), Some("DIMONA"));
        assert_eq!(inn.text_at(&["FormCreationDate"]), Some("2026-03-02"));
        assert_eq!(inn.text_at(&["Reference", "ReferenceType"]), Some("1"));
        assert_eq!(inn.text_at(&["Reference", "ReferenceOrigin"]), Some("1"));
        assert_eq!(
            inn.text_at(&["Reference", "ReferenceNbr"]),
            Some("RUCHE-DIM-42")
        );
        assert!(inn.child("DimonaCancel").is_none());
        let d = inn.child("DimonaIn").unwrap();
        assert_eq!(d.text_at(&["StartingDate"]), Some("2026-03-03"));
        assert_eq!(d.text_at(&["EndingDate"]), Some("2026-03-05"));
        assert_eq!(d.text_at(&["PlannedHoursNbr"]), Some("23"));
        assert_eq!(
            d.text_at(&["EmployerId", "NOSSRegistrationNbr"]),
            Some("175110801")
        );
        assert_eq!(d.text_at(&["EmployerId", "CompanyID"]), Some("0202239951"));
        assert_eq!(d.text_at(&["NaturalPerson", "INSS"]), None);
        assert_eq!(
            d.text_at(&["NaturalPerson", "WorkerName"]),
            Some("Lemaître")
        );
        assert_eq!(
            d.text_at(&["NaturalPerson", "WorkerFirstName"]),
            Some("Françoise")
        );
        assert_eq!(
            d.text_at(&["NaturalPerson", "WorkerBirthdate"]),
            Some("1985-07-30")
        );
        assert_eq!(
            d.text_at(&["DimonaFeatures", "JointCommissionNbr"]),
            Some("329.01")
        );
        assert_eq!(d.text_at(&["DimonaFeatures", "WorkerType"]), Some("OTH"));

        let cancel = forms[1];
        assert!(cancel.child("DimonaIn").is_none());
        assert_eq!(
            cancel.text_at(&["Reference", "ReferenceNbr"]),
            Some("RUCHE-DIM-41")
        );
        assert_eq!(
            cancel.text_at(&["DimonaCancel", "INSS"]),
            Some("85073003328")
        );
    }

    #[test]
    fn the_elements_of_an_in_follow_the_xsd_order() {
        let items = [(
            declaration(DeclarationKind::In, 7),
            worker(Some("85073003328")),
        )];
        let xml = write_dimona_day(date(2026, 3, 2), &employer(), &items).unwrap();
        let at = |name: &str| xml.find(&format!("<{name}>")).unwrap();
        let order = [
            "Identification",
            "FormCreationDate",
            "Reference",
            "DimonaIn",
            "StartingDate",
            "EndingDate",
            "PlannedHoursNbr",
            "EmployerId",
            "NOSSRegistrationNbr",
            "CompanyID",
            "NaturalPerson",
            "INSS",
            "DimonaFeatures",
            "JointCommissionNbr",
            "WorkerType",
        ];
        for pair in order.windows(2) {
            assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
        }
        // With a national number, the identity data stay out of the file.
        assert!(!xml.contains("WorkerName"));
    }

    #[test]
    fn an_open_ended_in_has_no_end_and_an_employer_without_onss_number_only_its_company_id() {
        let mut d = declaration(DeclarationKind::In, 8);
        d.ending_date = None;
        d.planned_hours = 0;
        let mut e = employer();
        e.onss_number = None;
        let xml = write_dimona_day(date(2026, 3, 2), &e, &[(d, worker(None))]).unwrap();
        let root = parse(&xml).unwrap();
        let d = root.at(&["Form", "DimonaIn"]).unwrap();
        assert!(d.child("EndingDate").is_none());
        assert!(d.child("PlannedHoursNbr").is_none());
        assert!(d.at(&["EmployerId", "NOSSRegistrationNbr"]).is_none());
        assert_eq!(d.text_at(&["EmployerId", "CompanyID"]), Some("0202239951"));
    }

    #[test]
    fn names_are_escaped_and_read_back_intact() {
        let mut w = worker(None);
        w.last_name = "Dupont & <Fils>".into();
        w.first_name = "Jean \"Jo\" O'Neil".into();
        let xml = write_dimona_day(
            date(2026, 3, 2),
            &employer(),
            &[(declaration(DeclarationKind::In, 9), w)],
        )
        .unwrap();
        assert!(xml.contains("Dupont &amp; &lt;Fils&gt;"), "{xml}");
        assert!(!xml.contains("& <"));
        let root = parse(&xml).unwrap();
        let person = root.at(&["Form", "DimonaIn", "NaturalPerson"]).unwrap();
        assert_eq!(person.text_at(&["WorkerName"]), Some("Dupont & <Fils>"));
        assert_eq!(
            person.text_at(&["WorkerFirstName"]),
            Some("Jean \"Jo\" O'Neil")
        );
    }

    #[test]
    fn a_worker_without_niss_nor_full_identity_is_refused_naming_the_contract() {
        for strip in [
            |w: &mut DimonaWorker| w.birth_date = None,
            |w: &mut DimonaWorker| w.last_name = " ".into(),
            |w: &mut DimonaWorker| w.first_name = String::new(),
        ] {
            let mut w = worker(Some(""));
            strip(&mut w);
            let ok = (declaration(DeclarationKind::In, 1), worker(None));
            let err = write_dimona_day(
                date(2026, 3, 2),
                &employer(),
                &[ok, (declaration(DeclarationKind::In, 77), w)],
            )
            .unwrap_err();
            assert_eq!(err, DimonaError::UnidentifiedWorker { contract_id: 77 });
            assert!(err.to_string().contains("contract 77"));
        }
    }

    #[test]
    fn a_bad_niss_a_bad_onss_number_another_day_and_an_empty_day_are_refused() {
        let day = date(2026, 3, 2);
        let err = write_dimona_day(
            day,
            &employer(),
            &[(
                declaration(DeclarationKind::In, 5),
                worker(Some("85073003329")),
            )],
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                DimonaError::Niss {
                    contract_id: 5,
                    reason: IdentError::Checksum,
                    ..
                }
            ),
            "{err:?}"
        );

        let mut e = employer();
        e.onss_number = Some("ONSS-12".into());
        assert!(matches!(
            write_dimona_day(
                day,
                &e,
                &[(declaration(DeclarationKind::In, 5), worker(None))]
            ),
            Err(DimonaError::OnssNumber { .. })
        ));

        let mut d = declaration(DeclarationKind::In, 6);
        d.declared_on = date(2026, 3, 3);
        assert_eq!(
            write_dimona_day(day, &employer(), &[(d, worker(None))]),
            Err(DimonaError::OtherDay {
                contract_id: 6,
                declared_on: date(2026, 3, 3),
                day
            })
        );

        assert_eq!(
            write_dimona_day(day, &employer(), &[]),
            Err(DimonaError::Empty(day))
        );
    }

    #[test]
    fn the_domain_declarations_of_a_cancelled_contract_fit_two_days_files() {
        use ruche_domain::employment::dimona::{ContractFacts, declarations};
        use ruche_domain::employment::{ContractKind, ContractStatus};
        let facts = ContractFacts {
            contract_id: 12,
            kind: ContractKind::FixedTerm,
            status: ContractStatus::Cancelled,
            signed_on: date(2026, 3, 1),
            cancelled_on: Some(date(2026, 3, 2)),
            starts_on: date(2026, 3, 9),
            ends_on: Some(date(2026, 3, 13)),
            minutes: 38 * 60,
            joint_committee: "200".into(),
        };
        let all = declarations(&facts);
        for (day, kind) in [
            (date(2026, 3, 1), "DimonaIn"),
            (date(2026, 3, 2), "DimonaCancel"),
        ] {
            let items: Vec<_> = all
                .iter()
                .filter(|d| d.declared_on == day)
                .map(|d| (d.clone(), worker(Some("85073003328"))))
                .collect();
            let xml = write_dimona_day(day, &employer(), &items).unwrap();
            let root = parse(&xml).unwrap();
            assert_eq!(root.all("Form").count(), 1);
            assert!(root.at(&["Form", kind]).is_some(), "{day}: {xml}");
        }
    }
}
