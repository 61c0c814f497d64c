//! The domain of ruche: pure types and rules, no I/O, no async, no SQL, no HTTP.
//!
//! Parse, don't validate: once you hold an [`ident::Iban`] or an [`ident::Niss`], it is valid.

pub mod activity;
pub mod advocacy;
pub mod attachment;
pub mod bank;
pub mod budget;
pub mod client;
pub mod dunning;
pub mod employment;
pub mod ethics;
pub mod expense;
pub mod format;
pub mod governance;
pub mod group;
pub mod guide;
pub mod ident;
pub mod invoicing;
pub mod labs;
pub mod language;
pub mod ledger;
pub mod legal_help;
pub mod loans;
pub mod mileage;
pub mod payout;
pub mod payroll;
pub mod person;
pub mod places;
pub mod policy;
pub mod prevention;
pub mod recommendations;
pub mod recovery;
pub mod role;
pub mod school;
pub mod sepa_text;
pub mod training;
pub mod transparency;
pub mod usage_contract;
pub mod validate;

pub use language::Language;
pub use role::Role;
