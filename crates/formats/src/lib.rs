//! Document formats in and out of ruche. Pure functions over strings: no I/O, so every
//! parser can be fed anything (tests, fuzzing) without a file system or a network.
//!
//! - [`ubl`]: UBL 2.1 `Invoice` / `CreditNote` following Peppol BIS Billing 3.0
//!   (`shared/reference/invoicing.md` §9);
//! - [`coda`]: Belgian CODA v2 bank statements (`shared/reference/payments.md`);
//! - [`camt`]: ISO 20022 camt.053 bank statements, versions .001.02 and .001.08;
//! - [`statement`]: a statement file of either kind, read into what the store imports;
//! - [`sepa`]: SEPA credit transfer initiations, pain.001.001.09 (payouts);
//! - [`dimona`]: the DIMONA employment declarations of a day, as a file for the ONSS.
//!
//! The statement parsers check balances and flag (never reject) a structured communication
//! with a wrong check digit: real bank files contain them.

pub mod camt;
pub mod coda;
pub mod dimona;
pub mod error;
pub mod sepa;
pub mod statement;
pub mod ubl;

pub use error::UblError;
