//! The payslip-style statement of one contract as an A4 PDF, from `templates/payslip.typ`:
//! what the worker earns (gross, social security, work bonus, withholding tax, special
//! contribution, net) and what the contract costs the activity's budget, in the worker's
//! language (C6; `shared/reference/employment.md` §2).
//!
//! ruche computes these amounts with its salary simulator; the official payslip and the
//! individual account are the social secretariat's. The statement says so in its title
//! block and in every page footer, so that nobody takes it for the legal document.
//!
//! The amounts come in as computed; the statement refuses to print figures that do not add
//! up (the net must be the gross less the deductions it lists), since a worker reads the
//! lines, not the simulator.

use jiff::civil::Date;
use ruche_domain::Language;
use ruche_domain::employment::ContractKind;
use ruche_domain::format::{date, money};
use ruche_domain::ident::{EnterpriseNumber, Iban, Niss};
use serde::Serialize;
use typst::diag::Warned;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::PdfError;

const TEMPLATE: &str = include_str!("../templates/payslip.typ");

/// Everything one statement prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayslipStatement {
    /// The worker's language: every word of the statement is in it.
    pub language: Language,
    pub employer: PayslipEmployer,
    pub worker: PayslipWorker,
    pub contract: PayslipContract,
    /// The day the net is paid.
    pub pay_date: Date,
    pub amounts: PayslipAmounts,
    /// The version of the dated parameter set the simulator used (printed, so that a
    /// statement can be recomputed).
    pub params_version: String,
    /// The account the net is paid to; printed masked.
    pub iban: Option<Iban>,
}

/// The employer: the legal entity that signed the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayslipEmployer {
    pub name: String,
    pub address_lines: Vec<String>,
    pub enterprise_number: EnterpriseNumber,
    pub onss_number: Option<String>,
}

/// The worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayslipWorker {
    pub name: String,
    pub address_lines: Vec<String>,
    pub niss: Option<Niss>,
}

/// The contract the statement is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayslipContract {
    /// The contract's reference as the member and the advisor see it.
    pub reference: String,
    pub kind: ContractKind,
    pub function: String,
    /// The joint committee (commission paritaire), e.g. `329.01`.
    pub joint_committee: String,
    pub starts_on: Date,
    /// `None` for an open-ended contract.
    pub ends_on: Option<Date>,
    pub days: u16,
    /// Hours worked in all, in minutes.
    pub minutes: i64,
}

/// The simulator's amounts, in cents, every one zero or positive (deductions are printed
/// with their sign). The worker's side must add up:
/// `net = gross − employee ONSS + social work bonus − withholding − CSSS` (employment.md
/// §2.6), and `withholding = max(0, withholding before bonus − fiscal work bonus)` (§2.3
/// step 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PayslipAmounts {
    pub gross_cents: i64,
    pub employee_onss_cents: i64,
    /// Both parts (A and B) of the social work bonus (§2.4).
    pub social_work_bonus_cents: i64,
    pub taxable_cents: i64,
    pub withholding_before_bonus_cents: i64,
    pub fiscal_work_bonus_cents: i64,
    pub withholding_cents: i64,
    pub csss_cents: i64,
    pub net_cents: i64,
    pub employer_onss_cents: i64,
    pub holiday_pay_cents: i64,
    pub structural_reduction_cents: i64,
    /// Everything the contract costs the activity's budget. What it holds beyond gross,
    /// employer ONSS and holiday pay, less the structural reduction, is printed as "other
    /// employer charges".
    pub employer_cost_cents: i64,
}

impl PayslipAmounts {
    /// The employer's charges that have no line of their own (sector funds, insurance…).
    fn other_employer_charges(&self) -> i64 {
        self.employer_cost_cents
            - self.gross_cents
            - self.employer_onss_cents
            - self.holiday_pay_cents
            + self.structural_reduction_cents
    }

    /// What is wrong with the figures, if anything.
    fn inconsistency(&self) -> Option<String> {
        let all = [
            ("gross", self.gross_cents),
            ("employee ONSS", self.employee_onss_cents),
            ("social work bonus", self.social_work_bonus_cents),
            ("taxable", self.taxable_cents),
            (
                "withholding before bonus",
                self.withholding_before_bonus_cents,
            ),
            ("fiscal work bonus", self.fiscal_work_bonus_cents),
            ("withholding", self.withholding_cents),
            ("CSSS", self.csss_cents),
            ("net", self.net_cents),
            ("employer ONSS", self.employer_onss_cents),
            ("holiday pay", self.holiday_pay_cents),
            ("structural reduction", self.structural_reduction_cents),
            ("employer cost", self.employer_cost_cents),
        ];
        if let Some((name, v)) = all.iter().find(|(_, v)| *v < 0) {
            return Some(format!("{name} is negative ({v})"));
        }
        let withholding =
            (self.withholding_before_bonus_cents - self.fiscal_work_bonus_cents).max(0);
        if withholding != self.withholding_cents {
            return Some(format!(
                "withholding {} is not {} before bonus less {} fiscal work bonus",
                self.withholding_cents,
                self.withholding_before_bonus_cents,
                self.fiscal_work_bonus_cents
            ));
        }
        let net = self.gross_cents - self.employee_onss_cents + self.social_work_bonus_cents
            - self.withholding_cents
            - self.csss_cents;
        if net != self.net_cents {
            return Some(format!(
                "net {} is not the gross less the deductions ({net})",
                self.net_cents
            ));
        }
        if self.other_employer_charges() < 0 {
            return Some(format!(
                "employer cost {} is below its parts",
                self.employer_cost_cents
            ));
        }
        None
    }
}

// ------------------------------------------------------------------------------- labels

/// Every fixed text of the statement, in one language. A statement is a record handed to
/// the worker, so its words live next to the template (as `labels.rs` does for invoices).
struct Labels {
    title: &'static str,
    marking: &'static str,
    note: &'static str,
    employer: &'static str,
    worker: &'static str,
    enterprise_number: &'static str,
    onss_number: &'static str,
    niss: &'static str,
    pay_date: &'static str,
    contract: &'static str,
    reference: &'static str,
    kind: &'static str,
    function: &'static str,
    joint_committee: &'static str,
    period: &'static str,
    days: &'static str,
    hours: &'static str,
    /// Between hours and minutes: `22 h 30`.
    hour_sign: &'static str,
    description: &'static str,
    detail: &'static str,
    amount: &'static str,
    worker_pay: &'static str,
    gross: &'static str,
    allowance: &'static str,
    employee_onss: &'static str,
    social_work_bonus: &'static str,
    taxable: &'static str,
    withholding: &'static str,
    withholding_before_bonus: &'static str,
    fiscal_work_bonus: &'static str,
    csss: &'static str,
    net: &'static str,
    /// The net of the amateur-arts allowance, which is no pay.
    amount_paid: &'static str,
    employer_cost_title: &'static str,
    employer_onss: &'static str,
    holiday_pay: &'static str,
    structural_reduction: &'static str,
    other_charges: &'static str,
    employer_cost: &'static str,
    params: &'static str,
    page: &'static str,
}

const FR: Labels = Labels {
    title: "Décompte de rémunération",
    marking: "Décompte calculé par ruche — ce n'est pas une fiche de paie officielle du secrétariat social",
    note: "Ce décompte est calculé par ruche à partir du contrat et des barèmes en vigueur. La fiche de paie officielle et le compte individuel sont établis par le secrétariat social ; en cas de différence, ce sont eux qui font foi.",
    employer: "Employeur",
    worker: "Travailleur",
    enterprise_number: "N° d'entreprise",
    onss_number: "N° ONSS",
    niss: "NISS",
    pay_date: "Date de paiement",
    contract: "Contrat",
    reference: "Référence",
    kind: "Type",
    function: "Fonction",
    joint_committee: "Commission paritaire",
    period: "Période",
    days: "Jours prestés",
    hours: "Heures prestées",
    hour_sign: "h",
    description: "Description",
    detail: "Détail",
    amount: "Montant",
    worker_pay: "Rémunération du travailleur",
    gross: "Rémunération brute",
    allowance: "Indemnité, exonérée d'impôt et de cotisations sociales",
    employee_onss: "Cotisations personnelles de sécurité sociale (ONSS)",
    social_work_bonus: "Bonus à l'emploi (volet social)",
    taxable: "Rémunération imposable",
    withholding: "Précompte professionnel",
    withholding_before_bonus: "avant bonus fiscal",
    fiscal_work_bonus: "bonus à l'emploi fiscal",
    csss: "Cotisation spéciale de sécurité sociale",
    net: "Rémunération nette",
    amount_paid: "Montant versé",
    employer_cost_title: "Coût pour l'employeur, imputé au budget de l'activité",
    employer_onss: "Cotisations patronales de sécurité sociale",
    holiday_pay: "Pécule de vacances",
    structural_reduction: "Réduction structurelle",
    other_charges: "Autres charges patronales",
    employer_cost: "Coût employeur total",
    params: "Paramètres de calcul",
    page: "Page",
};

const NL: Labels = Labels {
    title: "Loonafrekening",
    marking: "Afrekening berekend door ruche — dit is geen officiële loonfiche van het sociaal secretariaat",
    note: "Deze afrekening wordt door ruche berekend op basis van de overeenkomst en de geldende barema's. De officiële loonfiche en de individuele rekening worden opgemaakt door het sociaal secretariaat; bij een verschil hebben die voorrang.",
    employer: "Werkgever",
    worker: "Werknemer",
    enterprise_number: "Ondernemingsnr.",
    onss_number: "RSZ-nr.",
    niss: "INSZ",
    pay_date: "Betaaldatum",
    contract: "Overeenkomst",
    reference: "Referentie",
    kind: "Soort",
    function: "Functie",
    joint_committee: "Paritair comité",
    period: "Periode",
    days: "Gewerkte dagen",
    hours: "Gewerkte uren",
    hour_sign: "u",
    description: "Omschrijving",
    detail: "Detail",
    amount: "Bedrag",
    worker_pay: "Loon van de werknemer",
    gross: "Brutoloon",
    allowance: "Vergoeding, vrij van belasting en sociale bijdragen",
    employee_onss: "Persoonlijke socialezekerheidsbijdragen (RSZ)",
    social_work_bonus: "Werkbonus (sociaal luik)",
    taxable: "Belastbaar loon",
    withholding: "Bedrijfsvoorheffing",
    withholding_before_bonus: "vóór fiscale werkbonus",
    fiscal_work_bonus: "fiscale werkbonus",
    csss: "Bijzondere bijdrage voor de sociale zekerheid",
    net: "Nettoloon",
    amount_paid: "Uitbetaald bedrag",
    employer_cost_title: "Kosten voor de werkgever, aangerekend op het budget van de activiteit",
    employer_onss: "Werkgeversbijdragen voor de sociale zekerheid",
    holiday_pay: "Vakantiegeld",
    structural_reduction: "Structurele vermindering",
    other_charges: "Andere werkgeverslasten",
    employer_cost: "Totale loonkost",
    params: "Berekeningsparameters",
    page: "Pagina",
};

const EN: Labels = Labels {
    title: "Pay statement",
    marking: "Statement computed by ruche — this is not an official payslip from the social secretariat",
    note: "This statement is computed by ruche from the contract and the scales in force. The official payslip and the individual account are issued by the social secretariat; where they differ, those prevail.",
    employer: "Employer",
    worker: "Worker",
    enterprise_number: "Enterprise no.",
    onss_number: "ONSS no.",
    niss: "National register no.",
    pay_date: "Payment date",
    contract: "Contract",
    reference: "Reference",
    kind: "Kind",
    function: "Function",
    joint_committee: "Joint committee",
    period: "Period",
    days: "Days worked",
    hours: "Hours worked",
    hour_sign: "h",
    description: "Description",
    detail: "Detail",
    amount: "Amount",
    worker_pay: "The worker's pay",
    gross: "Gross pay",
    allowance: "Allowance, free of tax and social contributions",
    employee_onss: "Employee social security contributions (ONSS)",
    social_work_bonus: "Work bonus (social part)",
    taxable: "Taxable pay",
    withholding: "Withholding tax",
    withholding_before_bonus: "before the fiscal work bonus",
    fiscal_work_bonus: "fiscal work bonus",
    csss: "Special social security contribution",
    net: "Net pay",
    amount_paid: "Amount paid",
    employer_cost_title: "Cost to the employer, charged to the activity's budget",
    employer_onss: "Employer social security contributions",
    holiday_pay: "Holiday pay",
    structural_reduction: "Structural reduction",
    other_charges: "Other employer charges",
    employer_cost: "Total employer cost",
    params: "Calculation parameters",
    page: "Page",
};

fn labels(lang: Language) -> &'static Labels {
    match lang {
        Language::Fr => &FR,
        Language::Nl => &NL,
        Language::En => &EN,
    }
}

fn kind_label(kind: ContractKind, lang: Language) -> &'static str {
    let [fr, nl, en] = match kind {
        ContractKind::Day => ["Contrat journalier", "Dagcontract", "Day contract"],
        ContractKind::FixedTerm => [
            "Contrat à durée déterminée",
            "Overeenkomst voor bepaalde tijd",
            "Fixed-term contract",
        ],
        ContractKind::OpenEnded => [
            "Contrat à durée indéterminée",
            "Overeenkomst voor onbepaalde tijd",
            "Open-ended contract",
        ],
        ContractKind::Artistic1bis => [
            "Prestation artistique (art. 1bis, loi du 27 juin 1969)",
            "Artistieke prestatie (art. 1bis, wet van 27 juni 1969)",
            "Artistic work (art. 1bis, law of 27 June 1969)",
        ],
        ContractKind::AmateurArts => [
            "Indemnité des arts en amateur (IAA)",
            "Amateurkunstenvergoeding (AKV)",
            "Amateur arts allowance (IAA)",
        ],
    };
    match lang {
        Language::Fr => fr,
        Language::Nl => nl,
        Language::En => en,
    }
}

// --------------------------------------------------------------------------------- view

#[derive(Serialize)]
struct DateView {
    year: i16,
    month: i8,
    day: i8,
}

#[derive(Serialize)]
struct PartyView {
    name: String,
    lines: Vec<String>,
}

/// One line of an amounts table. `emphasis`: `""`, `"subtotal"` or `"total"`.
#[derive(Serialize)]
struct RowView {
    label: String,
    detail: String,
    amount: String,
    emphasis: &'static str,
}

#[derive(Serialize)]
struct TableView {
    title: String,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct PayslipView {
    lang: &'static str,
    date: DateView,
    title: String,
    subtitle: String,
    marking: String,
    pay_date: [String; 2],
    employer_label: String,
    employer: PartyView,
    worker_label: String,
    worker: PartyView,
    contract_title: String,
    contract: Vec<[String; 2]>,
    header: [String; 3],
    worker_table: TableView,
    paid: String,
    employer_table: TableView,
    note: String,
    footer: Vec<String>,
    page: String,
}

fn row(label: &str, detail: String, cents: i64, emphasis: &'static str) -> RowView {
    RowView {
        label: label.to_string(),
        detail,
        amount: money(cents),
        emphasis,
    }
}

/// `22 h 30`, `7 u`: the hours worked, never a decimal fraction of an hour.
fn hours(minutes: i64, sign: &str) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} {sign}"),
        (h, m) => format!("{h} {sign} {m:02}"),
    }
}

/// `BE71 •••• •••• 6769`: enough for the worker to recognise the account, not to use it.
fn masked(iban: &Iban) -> String {
    let s = iban.as_str();
    let (head, tail) = (&s[..4], &s[s.len().saturating_sub(4)..]);
    let hidden = s.len().saturating_sub(8).div_ceil(4);
    let mut parts = vec![head.to_string()];
    parts.extend(std::iter::repeat_n("••••".to_string(), hidden));
    parts.push(tail.to_string());
    parts.join(" ")
}

fn period(c: &PayslipContract, lang: Language) -> String {
    let from = date(c.starts_on);
    match (c.ends_on, lang) {
        (Some(to), _) if to == c.starts_on => from,
        (Some(to), Language::Fr) => format!("du {from} au {}", date(to)),
        (Some(to), Language::Nl) => format!("van {from} tot {}", date(to)),
        (Some(to), Language::En) => format!("{from} to {}", date(to)),
        (None, Language::Fr) => format!("à partir du {from}"),
        (None, Language::Nl) => format!("vanaf {from}"),
        (None, Language::En) => format!("from {from}"),
    }
}

fn paid(s: &PayslipStatement) -> String {
    let on = date(s.pay_date);
    let net = money(s.amounts.net_cents);
    match (&s.iban, s.language) {
        (Some(iban), Language::Fr) => {
            format!("{net} versés le {on} sur le compte {}.", masked(iban))
        }
        (Some(iban), Language::Nl) => {
            format!("{net} betaald op {on} op rekening {}.", masked(iban))
        }
        (Some(iban), Language::En) => format!("{net} paid on {on} to account {}.", masked(iban)),
        (None, Language::Fr) => format!("{net} payables le {on}."),
        (None, Language::Nl) => format!("{net} betaalbaar op {on}."),
        (None, Language::En) => format!("{net} payable on {on}."),
    }
}

fn worker_rows(s: &PayslipStatement, l: &Labels) -> Vec<RowView> {
    let a = &s.amounts;
    if !s.contract.kind.is_salaried() {
        // The amateur-arts allowance is no salary: nothing is withheld from it.
        return vec![
            row(l.allowance, String::new(), a.gross_cents, ""),
            row(l.amount_paid, String::new(), a.net_cents, "total"),
        ];
    }
    let mut rows = vec![
        row(l.gross, String::new(), a.gross_cents, ""),
        row(l.employee_onss, String::new(), -a.employee_onss_cents, ""),
    ];
    if a.social_work_bonus_cents != 0 {
        rows.push(row(
            l.social_work_bonus,
            String::new(),
            a.social_work_bonus_cents,
            "",
        ));
    }
    rows.push(row(l.taxable, String::new(), a.taxable_cents, "subtotal"));
    let detail = if a.fiscal_work_bonus_cents != 0 {
        // French puts a space before a semicolon; Dutch and English do not.
        let semicolon = if s.language == Language::Fr {
            " ;"
        } else {
            ";"
        };
        format!(
            "{} {}{semicolon} {} {}",
            l.withholding_before_bonus,
            money(a.withholding_before_bonus_cents),
            l.fiscal_work_bonus,
            money(-a.fiscal_work_bonus_cents)
        )
    } else {
        String::new()
    };
    rows.push(row(l.withholding, detail, -a.withholding_cents, ""));
    rows.push(row(l.csss, String::new(), -a.csss_cents, ""));
    rows.push(row(l.net, String::new(), a.net_cents, "total"));
    rows
}

fn employer_rows(s: &PayslipStatement, l: &Labels) -> Vec<RowView> {
    let a = &s.amounts;
    let mut rows = vec![row(
        if s.contract.kind.is_salaried() {
            l.gross
        } else {
            l.allowance
        },
        String::new(),
        a.gross_cents,
        "",
    )];
    for (label, cents) in [
        (l.employer_onss, a.employer_onss_cents),
        (l.holiday_pay, a.holiday_pay_cents),
        (l.structural_reduction, -a.structural_reduction_cents),
        (l.other_charges, a.other_employer_charges()),
    ] {
        if cents != 0 {
            rows.push(row(label, String::new(), cents, ""));
        }
    }
    rows.push(row(
        l.employer_cost,
        String::new(),
        a.employer_cost_cents,
        "total",
    ));
    rows
}

fn party(name: &str, lines: &[String], ids: Vec<String>) -> PartyView {
    let mut lines: Vec<String> = lines
        .iter()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect();
    lines.extend(ids);
    PartyView {
        name: name.to_string(),
        lines,
    }
}

fn view(s: &PayslipStatement) -> PayslipView {
    let lang = s.language;
    let l = labels(lang);
    let e = &s.employer;
    let mut employer_ids = vec![format!("{} {}", l.enterprise_number, e.enterprise_number)];
    if let Some(onss) = e.onss_number.as_deref().filter(|n| !n.trim().is_empty()) {
        employer_ids.push(format!("{} {}", l.onss_number, onss.trim()));
    }
    let worker_ids = s
        .worker
        .niss
        .iter()
        .map(|n| format!("{} {n}", l.niss))
        .collect();
    let c = &s.contract;
    let mut contract = vec![
        [l.reference.to_string(), c.reference.clone()],
        [l.kind.to_string(), kind_label(c.kind, lang).to_string()],
    ];
    if !c.function.trim().is_empty() {
        contract.push([l.function.to_string(), c.function.trim().to_string()]);
    }
    if !c.joint_committee.trim().is_empty() {
        contract.push([
            l.joint_committee.to_string(),
            c.joint_committee.trim().to_string(),
        ]);
    }
    contract.push([l.period.to_string(), period(c, lang)]);
    contract.push([l.days.to_string(), c.days.to_string()]);
    contract.push([l.hours.to_string(), hours(c.minutes, l.hour_sign)]);
    PayslipView {
        lang: lang.code(),
        date: DateView {
            year: s.pay_date.year(),
            month: s.pay_date.month(),
            day: s.pay_date.day(),
        },
        title: l.title.to_string(),
        subtitle: format!("{} {}", l.contract, c.reference),
        marking: l.marking.to_string(),
        pay_date: [l.pay_date.to_string(), date(s.pay_date)],
        employer_label: l.employer.to_string(),
        employer: party(&e.name, &e.address_lines, employer_ids),
        worker_label: l.worker.to_string(),
        worker: party(&s.worker.name, &s.worker.address_lines, worker_ids),
        contract_title: l.contract.to_string(),
        contract,
        header: [
            l.description.to_string(),
            l.detail.to_string(),
            l.amount.to_string(),
        ],
        worker_table: TableView {
            title: l.worker_pay.to_string(),
            rows: worker_rows(s, l),
        },
        paid: paid(s),
        employer_table: TableView {
            title: l.employer_cost_title.to_string(),
            rows: employer_rows(s, l),
        },
        note: l.note.to_string(),
        footer: vec![
            l.marking.to_string(),
            format!("{} {}", l.params, s.params_version),
            e.name.clone(),
        ],
        page: l.page.to_string(),
    }
}

/// Renders the statement of one contract, in `s.language`, to the bytes of an A4 PDF/A-2b.
/// Amounts that do not add up are refused ([`PdfError::Internal`]: the simulator's fault,
/// not the user's) rather than printed.
pub fn render_payslip(s: &PayslipStatement) -> Result<Vec<u8>, PdfError> {
    if let Some(why) = s.amounts.inconsistency() {
        return Err(PdfError::Internal(format!(
            "the statement of contract {} does not add up: {why}",
            s.contract.reference
        )));
    }
    let view = view(s);
    let data = serde_json::to_string(&view).map_err(|e| PdfError::Internal(e.to_string()))?;
    let world = crate::world::DocumentWorld::new(TEMPLATE, data, None)?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(crate::messages(&errors)))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| PdfError::Internal(e.message().to_string()))?;
    let options = PdfOptions {
        // Stable: the same statement keeps the same PDF identifier.
        ident: Smart::Custom(format!(
            "ruche:{}:payslip:{}:{}",
            s.employer.enterprise_number.as_str(),
            s.contract.reference,
            s.pay_date
        )),
        creator: Smart::Custom(Some("ruche".to_string())),
        standards,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| PdfError::Export(crate::messages(&errors)));
    typst::comemo::evict(crate::CACHE_MAX_AGE);
    pdf
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use jiff::civil::date as d;

    /// employment.md §2.10, 2026 (January), employé, single, €2,500 a month: net 2,128.19.
    fn amounts() -> PayslipAmounts {
        PayslipAmounts {
            gross_cents: 250_000,
            employee_onss_cents: 32_675,
            social_work_bonus_cents: 12_300 + 8_996,
            taxable_cents: 238_621,
            withholding_before_bonus_cents: 33_231,
            fiscal_work_bonus_cents: 8_803,
            withholding_cents: 24_428,
            csss_cents: 1_374,
            net_cents: 212_819,
            employer_onss_cents: 62_500,
            holiday_pay_cents: 38_350,
            structural_reduction_cents: 0,
            employer_cost_cents: 350_850,
        }
    }

    fn statement(lang: Language) -> PayslipStatement {
        PayslipStatement {
            language: lang,
            employer: PayslipEmployer {
                name: "Ruche SC".into(),
                address_lines: vec!["Rue de la Loi 16".into(), "1000 Bruxelles".into()],
                enterprise_number: EnterpriseNumber::parse("0202239951").unwrap(),
                onss_number: Some("175-1108-01".into()),
            },
            worker: PayslipWorker {
                name: "Françoise Lemaître".into(),
                address_lines: vec!["Rue Basse 2".into(), "4000 Liège".into()],
                niss: Some(Niss::parse("85073003328").unwrap()),
            },
            contract: PayslipContract {
                reference: "C-2026-000123".into(),
                kind: ContractKind::FixedTerm,
                function: "Régisseuse son".into(),
                joint_committee: "329.01".into(),
                starts_on: d(2026, 1, 5),
                ends_on: Some(d(2026, 1, 30)),
                days: 20,
                minutes: 152 * 60 + 30,
            },
            pay_date: d(2026, 2, 6),
            amounts: amounts(),
            params_version: "be-2026-01".into(),
            iban: Some(Iban::parse("BE71096123456769").unwrap()),
        }
    }

    fn text_of(pdf: &[u8], name: &str) -> String {
        let dir = std::env::temp_dir().join("ruche-pdf");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) reads the PDF back");
        assert!(out.status.success(), "pdftotext failed on {name}");
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_statement_prints_the_net_and_the_marking_in_the_worker_language() {
        for (lang, words) in [
            (
                Language::Fr,
                [
                    "Décompte de rémunération",
                    "ce n'est pas une fiche de paie officielle du secrétariat social",
                    "Rémunération nette",
                    "Précompte professionnel",
                    "Commission paritaire",
                ],
            ),
            (
                Language::Nl,
                [
                    "Loonafrekening",
                    "dit is geen officiële loonfiche van het sociaal secretariaat",
                    "Nettoloon",
                    "Bedrijfsvoorheffing",
                    "Paritair comité",
                ],
            ),
            (
                Language::En,
                [
                    "Pay statement",
                    "this is not an official payslip from the social secretariat",
                    "Net pay",
                    "Withholding tax",
                    "Joint committee",
                ],
            ),
        ] {
            let pdf = render_payslip(&statement(lang)).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
            let text = text_of(&pdf, &format!("payslip-{}.pdf", lang.code()));
            for w in words {
                assert!(text.contains(w), "{lang:?}: {w} not in {text}");
            }
            assert!(text.contains("2.128,19"), "{lang:?}: the net, in {text}");
            assert!(text.contains("C-2026-000123"), "{text}");
            assert!(text.contains("be-2026-01"), "{text}");
            // The marking is printed twice: under the title and in the footer.
            let marking = labels(lang).marking;
            assert_eq!(text.matches(marking).count(), 2, "{lang:?}: {text}");
            // The other languages' words are absent.
            for other in Language::ALL.into_iter().filter(|o| *o != lang) {
                assert!(!text.contains(labels(other).net), "{lang:?}: {text}");
            }
        }
    }

    #[test]
    fn the_worker_side_adds_up_line_by_line() {
        let v = view(&statement(Language::En));
        let rows: Vec<(&str, &str)> = v
            .worker_table
            .rows
            .iter()
            .map(|r| (r.label.as_str(), r.amount.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("Gross pay", "2.500,00\u{a0}€"),
                (
                    "Employee social security contributions (ONSS)",
                    "-326,75\u{a0}€"
                ),
                ("Work bonus (social part)", "212,96\u{a0}€"),
                ("Taxable pay", "2.386,21\u{a0}€"),
                ("Withholding tax", "-244,28\u{a0}€"),
                ("Special social security contribution", "-13,74\u{a0}€"),
                ("Net pay", "2.128,19\u{a0}€"),
            ]
        );
        assert_eq!(
            v.worker_table.rows[4].detail,
            "before the fiscal work bonus 332,31\u{a0}€; fiscal work bonus -88,03\u{a0}€"
        );
        // The employer's side: its lines, and whatever else the cost holds.
        let employer: Vec<&str> = v
            .employer_table
            .rows
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(
            employer,
            [
                "Gross pay",
                "Employer social security contributions",
                "Holiday pay",
                "Total employer cost"
            ]
        );
        let mut s = statement(Language::En);
        s.amounts.employer_cost_cents += 1_234;
        let v = view(&s);
        let other = &v.employer_table.rows[3];
        assert_eq!(
            (other.label.as_str(), other.amount.as_str()),
            ("Other employer charges", "12,34\u{a0}€")
        );
    }

    #[test]
    fn the_contract_facts_and_the_masked_account_are_printed() {
        let s = statement(Language::Fr);
        let v = view(&s);
        let facts: Vec<String> = v
            .contract
            .iter()
            .map(|[k, x]| format!("{k}: {x}"))
            .collect();
        assert!(
            facts.contains(&"Période: du 05/01/2026 au 30/01/2026".to_string()),
            "{facts:?}"
        );
        assert!(facts.contains(&"Heures prestées: 152 h 30".to_string()));
        assert!(facts.contains(&"Type: Contrat à durée déterminée".to_string()));
        assert_eq!(
            v.paid,
            "2.128,19\u{a0}€ versés le 06/02/2026 sur le compte BE71 •••• •••• 6769."
        );
        assert!(!v.paid.contains("0961"));
        assert!(v.worker.lines.iter().any(|x| x == "NISS 85.07.30-033.28"));
        assert_eq!(hours(420, "u"), "7 u");
    }

    #[test]
    fn figures_that_do_not_add_up_are_not_printed() {
        let mut s = statement(Language::Nl);
        s.amounts.net_cents += 1;
        let err = render_payslip(&s).unwrap_err();
        assert!(
            matches!(&err, PdfError::Internal(m) if m.contains("C-2026-000123") && m.contains("net")),
            "{err}"
        );
        let mut s = statement(Language::Nl);
        s.amounts.withholding_cents -= 1;
        s.amounts.net_cents += 1;
        assert!(render_payslip(&s).is_err());
        let mut s = statement(Language::Nl);
        s.amounts.employer_cost_cents = s.amounts.gross_cents;
        assert!(render_payslip(&s).is_err());
        let mut s = statement(Language::Nl);
        s.amounts.csss_cents = -1;
        s.amounts.net_cents += 1_375;
        assert!(render_payslip(&s).is_err());
    }

    #[test]
    fn an_amateur_arts_allowance_lists_no_deduction() {
        let mut s = statement(Language::Fr);
        s.contract.kind = ContractKind::AmateurArts;
        s.contract.ends_on = Some(s.contract.starts_on);
        s.amounts = PayslipAmounts {
            gross_cents: 8_018,
            net_cents: 8_018,
            employer_cost_cents: 8_018,
            ..PayslipAmounts::default()
        };
        let v = view(&s);
        assert_eq!(v.worker_table.rows.len(), 2);
        assert!(v.contract.iter().any(|[_, x]| x == "05/01/2026"));
        let text = text_of(&render_payslip(&s).unwrap(), "payslip-iaa-fr.pdf");
        assert!(text.contains("Indemnité des arts en amateur"), "{text}");
        assert!(!text.contains("Précompte"), "{text}");
        assert!(text.contains("Montant versé 80,18"), "{text}");
    }
}
