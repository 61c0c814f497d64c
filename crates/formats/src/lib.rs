//! Document formats in and out of ruche. Pure functions over strings: no I/O, so every
//! parser can be fed anything (tests, fuzzing) without a file system or a network.
//!
//! - [`ubl`]: UBL 2.1 `Invoice` / `CreditNote` following Peppol BIS Billing 3.0
//!   (`shared/reference/invoicing.md` §9).

pub mod error;
pub mod ubl;

pub use error::UblError;
