//! The model of a reminder and of a client's summary letter, as the PDF and the mail read
//! them. A reminder is a legal record: its snapshot (amounts, rates, period split, rules
//! versions) is frozen when it is sent (DESIGN.md §5).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::policy::DueReminder;
use crate::Language;
use crate::invoicing::{Document, Party, Seller};

/// What a reminder row keeps as JSON: the decision and the versions of the rules it used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSnapshot {
    pub reminder: DueReminder,
    pub policy_version: String,
    pub rates_version: String,
    pub language: Language,
}

/// A reminder as rendered: its snapshot and the invoice it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderDocument {
    pub snapshot: ReminderSnapshot,
    pub invoice: Document,
}

impl ReminderDocument {
    pub fn language(&self) -> Language {
        self.snapshot.language
    }

    /// The file name of the PDF: `R2-F2026-00042.pdf`.
    pub fn filename(&self) -> String {
        format!(
            "R{}-{}.pdf",
            self.snapshot.reminder.level, self.invoice.number
        )
    }

    /// The subject of the e-mail that carries it.
    pub fn mail_subject(&self) -> String {
        let number = &self.invoice.number;
        match self.language() {
            Language::Fr => format!("Rappel de paiement – facture {number}"),
            Language::Nl => format!("Betalingsherinnering – factuur {number}"),
            Language::En => format!("Payment reminder – invoice {number}"),
        }
    }

    /// The text of the e-mail; the reminder itself is the attached PDF.
    pub fn mail_body(&self) -> String {
        let r = &self.snapshot.reminder;
        let number = &self.invoice.number;
        let amount = crate::format::money(r.total_claimed_cents());
        let ogm = &self.invoice.structured_communication;
        let seller = &self.invoice.seller.party.name;
        match self.language() {
            Language::Fr => format!(
                "Bonjour,\n\nSauf erreur de notre part, la facture {number} n'est pas encore \
                 réglée. Vous trouverez notre rappel en pièce jointe. Montant à payer : \
                 {amount}, avec la communication structurée {ogm}.\n\nSi vous avez payé entre-temps, \
                 veuillez ne pas tenir compte de ce rappel.\n\n{seller}\n"
            ),
            Language::Nl => format!(
                "Goedendag,\n\nBehoudens vergissing is factuur {number} nog niet betaald. \
                 U vindt onze herinnering in bijlage. Te betalen bedrag: {amount}, met de \
                 gestructureerde mededeling {ogm}.\n\nHebt u intussen betaald, dan mag u \
                 deze herinnering als onbestaande beschouwen.\n\n{seller}\n"
            ),
            Language::En => format!(
                "Hello,\n\nUnless we are mistaken, invoice {number} has not been paid yet. \
                 Please find our reminder attached. Amount to pay: {amount}, with the \
                 structured communication {ogm}.\n\nIf you have paid in the meantime, please \
                 disregard this reminder.\n\n{seller}\n"
            ),
        }
    }
}

/// One unpaid invoice in a client's summary letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLine {
    pub number: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub total_cents: i64,
    pub open_cents: i64,
    /// The last reminder level sent for it (0: none yet).
    pub last_level: u8,
    pub structured_communication: String,
}

/// A letter to one client listing all its unpaid invoices (autonomie#66, #111).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLetter {
    pub language: Language,
    pub date: Date,
    pub seller: Seller,
    pub buyer: Party,
    pub lines: Vec<SummaryLine>,
}

impl SummaryLetter {
    pub fn total_open_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.open_cents).sum()
    }
}
