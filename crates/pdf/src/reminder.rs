//! Reminders and clients' summary letters as A4 PDF, from `templates/reminder.typ`.
//!
//! A B2C first reminder carries the four mandatory mentions of the Code of Economic Law,
//! art. XIX.2 (balance and what will be claimed, creditor and enterprise number, the service
//! and its due date, the 14-day period); a B2B reminder states the statutory interest with
//! the rates and the period split used, and the 40 € compensation (law of 2 August 2002).

use ruche_domain::Language;
use ruche_domain::dunning::{BuyerClass, Channel, ReminderDocument, SummaryLetter};
use ruche_domain::format::{date, money};
use ruche_domain::invoicing::{Party, Seller};
use serde::Serialize;
use typst::diag::Warned;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::PdfError;

const TEMPLATE: &str = include_str!("../templates/reminder.typ");

#[derive(Serialize)]
struct PartyView {
    name: String,
    lines: Vec<String>,
}

#[derive(Serialize)]
struct TableView {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    total: String,
}

#[derive(Serialize)]
struct DateView {
    year: i16,
    month: i8,
    day: i8,
}

#[derive(Serialize)]
struct LetterView {
    lang: &'static str,
    date: DateView,
    title: String,
    subtitle: String,
    place_date: String,
    seller: PartyView,
    buyer: PartyView,
    before: Vec<String>,
    table: TableView,
    mentions_title: String,
    mentions: Vec<String>,
    after: Vec<String>,
    footer: Vec<String>,
}

fn pick(lang: Language, fr: &str, nl: &str, en: &str) -> String {
    match lang {
        Language::Fr => fr,
        Language::Nl => nl,
        Language::En => en,
    }
    .to_string()
}

fn party(p: &Party) -> PartyView {
    let mut lines = vec![
        p.address.street.clone(),
        format!("{} {}", p.address.postcode, p.address.city),
    ];
    if !p.address.country.trim().is_empty() && p.address.country.trim() != "BE" {
        lines.push(p.address.country.clone());
    }
    PartyView {
        name: p.name.clone(),
        lines,
    }
}

fn seller_view(s: &Seller, lang: Language) -> (PartyView, Vec<String>) {
    let mut view = party(&s.party);
    let enterprise = s.party.enterprise_number.clone().unwrap_or_default();
    view.lines.push(format!(
        "{} {}",
        pick(lang, "N° d'entreprise", "Ondernemingsnr.", "Enterprise no."),
        enterprise
    ));
    let footer = vec![
        format!("{} {}", s.party.name, s.legal_form),
        format!("{} {enterprise}", s.court_register),
        format!("IBAN {}", s.iban),
    ];
    (view, footer)
}

fn date_view(d: jiff::civil::Date) -> DateView {
    DateView {
        year: d.year(),
        month: d.month(),
        day: d.day(),
    }
}

fn percent(bp: u32) -> String {
    let s = format!("{},{:02} %", bp / 100, bp % 100);
    s.replace(",00 %", " %")
}

fn reminder_view(doc: &ReminderDocument) -> LetterView {
    let lang = doc.language();
    let r = &doc.snapshot.reminder;
    let inv = &doc.invoice;
    let (seller, footer) = seller_view(&inv.seller, lang);
    let number = &inv.number;
    let title = if r.is_final {
        pick(
            lang,
            "Dernier rappel",
            "Laatste herinnering",
            "Final reminder",
        )
    } else if r.level == 1 {
        pick(
            lang,
            "Rappel de paiement",
            "Betalingsherinnering",
            "Payment reminder",
        )
    } else {
        match lang {
            Language::Fr => format!("Rappel de paiement n° {}", r.level),
            Language::Nl => format!("Betalingsherinnering nr. {}", r.level),
            Language::En => format!("Payment reminder no. {}", r.level),
        }
    };
    let subtitle = match lang {
        Language::Fr => format!("Facture {number} du {}", date(inv.issue_date)),
        Language::Nl => format!("Factuur {number} van {}", date(inv.issue_date)),
        Language::En => format!("Invoice {number} of {}", date(inv.issue_date)),
    };
    let service = inv
        .lines
        .iter()
        .map(|l| l.description.as_str())
        .take(3)
        .collect::<Vec<_>>()
        .join(", ");
    let due = date(r.due_date);
    let before = vec![match lang {
        Language::Fr => format!(
            "Sauf erreur de notre part, la facture {number} ({service}), échue le {due}, \
             n'est pas entièrement payée. Le solde restant dû est de {}.",
            money(r.open_cents)
        ),
        Language::Nl => format!(
            "Behoudens vergissing is factuur {number} ({service}), vervallen op {due}, \
             niet volledig betaald. Het openstaande saldo bedraagt {}.",
            money(r.open_cents)
        ),
        Language::En => format!(
            "Unless we are mistaken, invoice {number} ({service}), due on {due}, has not \
             been paid in full. The outstanding balance is {}.",
            money(r.open_cents)
        ),
    }];
    let mut rows = vec![vec![
        pick(
            lang,
            "Solde de la facture",
            "Openstaand saldo",
            "Outstanding balance",
        ),
        money(r.open_cents),
    ]];
    if let Some(interest) = &r.interest {
        for p in &interest.periods {
            rows.push(vec![
                match lang {
                    Language::Fr => format!(
                        "Intérêts de retard légaux du {} au {} ({} j à {})",
                        date(p.from),
                        date(p.to),
                        p.days,
                        percent(p.rate_bp)
                    ),
                    Language::Nl => format!(
                        "Wettelijke nalatigheidsintresten van {} tot {} ({} d tegen {})",
                        date(p.from),
                        date(p.to),
                        p.days,
                        percent(p.rate_bp)
                    ),
                    Language::En => format!(
                        "Statutory late-payment interest {} to {} ({} d at {})",
                        date(p.from),
                        date(p.to),
                        p.days,
                        percent(p.rate_bp)
                    ),
                },
                String::new(),
            ]);
        }
        rows.push(vec![
            pick(
                lang,
                "Total des intérêts",
                "Totaal intresten",
                "Total interest",
            ),
            money(interest.interest_cents),
        ]);
    }
    if r.compensation_cents > 0 {
        rows.push(vec![
            pick(
                lang,
                "Indemnité forfaitaire (loi du 2 août 2002, art. 6)",
                "Forfaitaire schadevergoeding (wet van 2 augustus 2002, art. 6)",
                "Flat compensation (law of 2 August 2002, art. 6)",
            ),
            money(r.compensation_cents),
        ]);
    }
    if r.fee_cents > 0 {
        rows.push(vec![
            pick(
                lang,
                "Frais de rappel",
                "Herinneringskosten",
                "Reminder fee",
            ),
            money(r.fee_cents),
        ]);
    }
    if r.damages_cents > 0 {
        rows.push(vec![
            pick(
                lang,
                "Dommages et intérêts forfaitaires (CDE, art. XIX.4)",
                "Forfaitaire schadevergoeding (WER, art. XIX.4)",
                "Lump-sum damages (Code of Economic Law, art. XIX.4)",
            ),
            money(r.damages_cents),
        ]);
    }
    let total = format!(
        "{} {}",
        pick(
            lang,
            "Total à payer :",
            "Totaal te betalen:",
            "Total to pay:"
        ),
        money(r.total_claimed_cents())
    );
    let mut mentions = Vec::new();
    let mut mentions_title = String::new();
    if r.class == BuyerClass::B2c
        && r.mandatory_mentions
        && let Some(period) = r.waiting_period
    {
        mentions_title = pick(
            lang,
            "Informations légales (Code de droit économique, art. XIX.2)",
            "Wettelijke informatie (Wetboek van economisch recht, art. XIX.2)",
            "Legal information (Code of Economic Law, art. XIX.2)",
        );
        let cost_from = date(period.costs_from);
        let starts = date(period.starts_on);
        let damages = money(r.announced_damages_cents);
        let enterprise = inv
            .seller
            .party
            .enterprise_number
            .clone()
            .unwrap_or_default();
        let seller_name = &inv.seller.party.name;
        mentions = match lang {
            Language::Fr => vec![
                format!(
                    "Solde restant dû : {}. À défaut de paiement dans le délai, des dommages et intérêts forfaitaires d'au plus {damages} pourront être réclamés.",
                    money(r.open_cents)
                ),
                format!("Créancier : {seller_name}, numéro d'entreprise {enterprise}."),
                format!("Objet : {service} ; facture {number}, échéance le {due}."),
                format!(
                    "Vous disposez d'un délai de 14 jours, qui commence le {starts}, pour payer sans aucuns frais : rien ne sera réclamé avant le {cost_from}. Ce premier rappel est gratuit."
                ),
            ],
            Language::Nl => vec![
                format!(
                    "Openstaand saldo: {}. Bij niet-betaling binnen de termijn kan een forfaitaire schadevergoeding van ten hoogste {damages} worden gevorderd.",
                    money(r.open_cents)
                ),
                format!("Schuldeiser: {seller_name}, ondernemingsnummer {enterprise}."),
                format!("Voorwerp: {service}; factuur {number}, vervaldag {due}."),
                format!(
                    "U beschikt over een termijn van 14 dagen, die ingaat op {starts}, om zonder kosten te betalen: vóór {cost_from} wordt niets aangerekend. Deze eerste herinnering is kosteloos."
                ),
            ],
            Language::En => vec![
                format!(
                    "Outstanding balance: {}. If it is not paid within the period, lump-sum damages of at most {damages} may be claimed.",
                    money(r.open_cents)
                ),
                format!("Creditor: {seller_name}, enterprise number {enterprise}."),
                format!("Subject: {service}; invoice {number}, due on {due}."),
                format!(
                    "You have 14 days, starting on {starts}, to pay without any cost: nothing will be charged before {cost_from}. This first reminder is free of charge."
                ),
            ],
        };
    }
    let mut after = vec![match lang {
        Language::Fr => format!(
            "Merci de verser {} sur le compte {} avec la communication structurée {}. \
             Si vous avez payé entre-temps, veuillez ne pas tenir compte de ce rappel.",
            money(r.total_claimed_cents()),
            inv.seller.iban,
            inv.structured_communication
        ),
        Language::Nl => format!(
            "Gelieve {} over te maken op rekening {} met de gestructureerde mededeling {}. \
             Hebt u intussen betaald, dan mag u deze herinnering als onbestaande beschouwen.",
            money(r.total_claimed_cents()),
            inv.seller.iban,
            inv.structured_communication
        ),
        Language::En => format!(
            "Please transfer {} to account {} with the structured communication {}. \
             If you have paid in the meantime, please disregard this reminder.",
            money(r.total_claimed_cents()),
            inv.seller.iban,
            inv.structured_communication
        ),
    }];
    if r.class == BuyerClass::B2b && r.interest.is_some() {
        after.push(pick(
            lang,
            "Conformément à la loi du 2 août 2002 concernant la lutte contre le retard de paiement dans les transactions commerciales, des intérêts au taux légal courent de plein droit et sans mise en demeure à partir du lendemain de l'échéance, et une indemnité forfaitaire de 40 € est due.",
            "Overeenkomstig de wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand bij handelstransacties lopen van rechtswege en zonder ingebrekestelling intresten tegen de wettelijke rentevoet vanaf de dag na de vervaldag, en is een forfaitaire vergoeding van 40 € verschuldigd.",
            "Under the law of 2 August 2002 on combating late payment in commercial transactions, interest at the statutory rate runs by law and without formal notice from the day after the due date, and a flat compensation of 40 € is owed.",
        ));
    }
    if r.is_final {
        after.push(pick(
            lang,
            "Sans paiement de votre part, nous transmettrons ce dossier à la procédure de recouvrement.",
            "Zonder betaling van uwentwege dragen wij dit dossier over aan de invorderingsprocedure.",
            "Without payment, we will hand this file over to the recovery procedure.",
        ));
    }
    let channel = match r.channel {
        Channel::Email => pick(lang, "par e-mail", "per e-mail", "by e-mail"),
        Channel::Letter => pick(lang, "par courrier", "per brief", "by post"),
    };
    LetterView {
        lang: lang.code(),
        date: date_view(r.sent_on),
        title,
        subtitle,
        place_date: format!("{} ({channel})", date(r.sent_on)),
        seller,
        buyer: party(&inv.buyer),
        before,
        table: TableView {
            header: vec![
                pick(lang, "Description", "Omschrijving", "Description"),
                pick(lang, "Montant", "Bedrag", "Amount"),
            ],
            rows,
            total,
        },
        mentions_title,
        mentions,
        after,
        footer,
    }
}

fn summary_view(letter: &SummaryLetter) -> LetterView {
    let lang = letter.language;
    let (seller, footer) = seller_view(&letter.seller, lang);
    let rows = letter
        .lines
        .iter()
        .map(|l| {
            vec![
                l.number.clone(),
                date(l.issue_date),
                date(l.due_date),
                money(l.total_cents),
                money(l.open_cents),
                if l.last_level == 0 {
                    "–".to_string()
                } else {
                    l.last_level.to_string()
                },
                l.structured_communication.clone(),
            ]
        })
        .collect();
    LetterView {
        lang: lang.code(),
        date: date_view(letter.date),
        title: pick(
            lang,
            "Relevé des factures impayées",
            "Overzicht van de onbetaalde facturen",
            "Statement of unpaid invoices",
        ),
        subtitle: String::new(),
        place_date: date(letter.date),
        seller,
        buyer: party(&letter.buyer),
        before: vec![pick(
            lang,
            "Sauf erreur de notre part, les factures suivantes restent impayées à ce jour :",
            "Behoudens vergissing blijven de volgende facturen tot op heden onbetaald:",
            "Unless we are mistaken, the following invoices remain unpaid to date:",
        )],
        table: TableView {
            header: vec![
                pick(lang, "Facture", "Factuur", "Invoice"),
                pick(lang, "Date", "Datum", "Date"),
                pick(lang, "Échéance", "Vervaldag", "Due"),
                pick(lang, "Total", "Totaal", "Total"),
                pick(lang, "Solde", "Saldo", "Balance"),
                pick(lang, "Rappel", "Herinnering", "Reminder"),
                pick(lang, "Communication", "Mededeling", "Communication"),
            ],
            rows,
            total: format!(
                "{} {}",
                pick(lang, "Total dû :", "Totaal verschuldigd:", "Total due:"),
                money(letter.total_open_cents())
            ),
        },
        mentions_title: String::new(),
        mentions: Vec::new(),
        after: vec![pick(
            lang,
            "Merci de régler chaque facture avec sa communication structurée. Si vous avez payé entre-temps, veuillez ne pas tenir compte de ce relevé.",
            "Gelieve elke factuur te betalen met haar gestructureerde mededeling. Hebt u intussen betaald, dan mag u dit overzicht als onbestaande beschouwen.",
            "Please pay each invoice with its structured communication. If you have paid in the meantime, please disregard this statement.",
        )],
        footer,
    }
}

fn render(view: &LetterView, ident: String) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_string(view).map_err(|e| PdfError::Internal(e.to_string()))?;
    let world = crate::world::DocumentWorld::new(TEMPLATE, data, None)?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(crate::messages(&errors)))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| PdfError::Internal(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("ruche".to_string())),
        standards,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| PdfError::Export(crate::messages(&errors)));
    typst::comemo::evict(crate::CACHE_MAX_AGE);
    pdf
}

/// Renders a reminder in its language.
pub fn render_reminder(doc: &ReminderDocument) -> Result<Vec<u8>, PdfError> {
    let view = reminder_view(doc);
    render(
        &view,
        format!(
            "ruche:{}:R{}:{}",
            doc.invoice.seller.party.name, doc.snapshot.reminder.level, doc.invoice.number
        ),
    )
}

/// Renders the letter listing a client's unpaid invoices.
pub fn render_summary_letter(letter: &SummaryLetter) -> Result<Vec<u8>, PdfError> {
    let view = summary_view(letter);
    render(
        &view,
        format!(
            "ruche:{}:summary:{}:{}",
            letter.seller.party.name, letter.buyer.name, letter.date
        ),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use jiff::civil::date as d;
    use ruche_domain::dunning::{
        Case, Decision, ReminderSnapshot, SummaryLine, policies, rate_table,
    };
    use ruche_domain::group::Address;
    use ruche_domain::invoicing::VatCategory;
    use ruche_domain::invoicing::{Document, DocumentKind, Line, Totals};

    fn invoice(lang: Language) -> Document {
        let address = |street: &str, city: &str| Address {
            street: street.into(),
            postcode: "1000".into(),
            city: city.into(),
            country: "BE".into(),
        };
        Document {
            kind: DocumentKind::Invoice,
            number: "F2026-00042".into(),
            issue_date: d(2026, 3, 2),
            due_date: d(2026, 4, 1),
            language: lang,
            seller: Seller {
                party: Party {
                    name: "Ruche Coop".into(),
                    address: address("Rue de la Loi 16", "Bruxelles"),
                    enterprise_number: Some("0202239951".into()),
                    vat_number: Some("BE0202239951".into()),
                    email: None,
                },
                legal_form: "SCES agréée".into(),
                court_register: "RPM Bruxelles".into(),
                iban: "BE68539007547034".into(),
                bic: None,
            },
            buyer: Party {
                name: "Marie Dupont".into(),
                address: address("Rue Basse 2", "Liège"),
                enterprise_number: None,
                vat_number: None,
                email: None,
            },
            lines: vec![Line {
                description: "Concert du 14 février".into(),
                quantity: 1.into(),
                unit: "C62".into(),
                unit_price: rust_decimal::Decimal::new(100_000, 2),
                vat_category: VatCategory::S,
                vat_rate_bp: 2100,
                net_cents: 100_000,
            }],
            totals: Totals {
                line_total_cents: 100_000,
                tax_exclusive_cents: 100_000,
                tax_cents: 21_000,
                tax_inclusive_cents: 121_000,
                payable_cents: 121_000,
                subtotals: vec![],
            },
            structured_communication: "+++090/9337/55493+++".into(),
            order_reference: None,
            corrects: None,
            note: None,
        }
    }

    fn reminder(class: BuyerClass, lang: Language, as_of: jiff::civil::Date) -> ReminderDocument {
        let policy = policies().unwrap().for_class(class).unwrap();
        let case = Case {
            due_date: d(2026, 4, 1),
            open_cents: 121_000,
            sent: &[],
            blocked: false,
            has_email: false,
            as_of,
        };
        let Decision::Send(r) = policy.decide(&case, rate_table().unwrap()).unwrap() else {
            panic!("a reminder is due");
        };
        ReminderDocument {
            snapshot: ReminderSnapshot {
                reminder: *r,
                policy_version: "t".into(),
                rates_version: "t".into(),
                language: lang,
            },
            invoice: invoice(lang),
        }
    }

    fn text_of(pdf: &[u8], name: &str) -> Option<String> {
        let dir = std::env::temp_dir().join("ruche-pdf");
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join(name);
        std::fs::write(&path, pdf).ok()?;
        let out = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    #[test]
    fn a_b2c_first_reminder_prints_the_four_mandatory_mentions_in_each_language() {
        for (lang, words) in [
            (
                Language::Fr,
                [
                    "Solde restant dû",
                    "numéro d'entreprise",
                    "échéance le 01/04/2026",
                    "14 jours",
                ],
            ),
            (
                Language::Nl,
                [
                    "Openstaand saldo",
                    "ondernemingsnummer",
                    "vervaldag 01/04/2026",
                    "14 dagen",
                ],
            ),
            (
                Language::En,
                [
                    "Outstanding balance",
                    "enterprise number",
                    "due on 01/04/2026",
                    "14 days",
                ],
            ),
        ] {
            let doc = reminder(BuyerClass::B2c, lang, d(2026, 4, 8));
            let view = reminder_view(&doc);
            assert_eq!(view.mentions.len(), 4);
            let pdf = render_reminder(&doc).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
            let joined = view.mentions.join(" ");
            for w in words {
                assert!(joined.contains(w), "{lang:?}: {w}");
            }
            if let Some(text) = text_of(&pdf, &format!("reminder-b2c-{}.pdf", lang.code())) {
                let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(flat.contains("F2026-00042"), "{flat}");
            }
        }
    }

    #[test]
    fn a_b2b_reminder_states_the_rate_the_days_and_the_forty_euros() {
        let doc = reminder(BuyerClass::B2b, Language::En, d(2026, 4, 8));
        let view = reminder_view(&doc);
        assert!(view.mentions.is_empty());
        let rows: Vec<String> = view.table.rows.iter().map(|r| r.join(" ")).collect();
        assert!(
            rows.iter().any(|r| r.contains("7 d at 10,50 %")),
            "{rows:?}"
        );
        assert!(rows.iter().any(|r| r.contains("40,00")), "{rows:?}");
        let pdf = render_reminder(&doc).unwrap();
        if let Some(text) = text_of(&pdf, "reminder-b2b-en.pdf") {
            assert!(text.contains("Payment reminder"), "{text}");
        }
    }

    #[test]
    fn a_summary_letter_lists_every_unpaid_invoice() {
        let inv = invoice(Language::Nl);
        let letter = SummaryLetter {
            language: Language::Nl,
            date: d(2026, 5, 1),
            seller: inv.seller.clone(),
            buyer: inv.buyer.clone(),
            lines: (1..=3)
                .map(|i| SummaryLine {
                    number: format!("F2026-0000{i}"),
                    issue_date: d(2026, 1, i),
                    due_date: d(2026, 2, i),
                    total_cents: 10_000,
                    open_cents: 5_000,
                    last_level: 1,
                    structured_communication: inv.structured_communication.clone(),
                })
                .collect(),
        };
        let view = summary_view(&letter);
        assert_eq!(view.table.rows.len(), 3);
        assert!(view.table.total.contains("150,00"));
        let pdf = render_summary_letter(&letter).unwrap();
        if let Some(text) = text_of(&pdf, "summary-nl.pdf") {
            assert!(text.contains("F2026-00003"), "{text}");
        }
    }
}
