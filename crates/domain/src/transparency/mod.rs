//! Contribution transparency (issue 10, C2 / C12): where the mutualised contribution goes.
//!
//! The cooperative's own spending is posted to `spending:<slug>` ledger accounts
//! ([`SpendingAccount`]); each year the accountants map those accounts to published
//! categories ([`mapping`]); a member sees their contribution split pro rata of the year's
//! spending by category ([`split`]). Why: the fee's opacity is the most repeated criticism of
//! shared enterprises (opencollective#6878; reference/anchors.md "What the contribution pays
//! for").

pub mod account;
pub mod mapping;
pub mod spending;
pub mod split;

pub use account::SpendingAccount;
pub use mapping::{CategoryInput, Mapping, MappingError, MappingInput};
pub use split::largest_remainder_split;
