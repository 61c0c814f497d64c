//! Governance and the social-enterprise accreditation (C11, C12; reference/governance.md):
//! the versioned statutes, the share register's rules (subscriptions, resignations and
//! their refund), the general assembly's vote engine with the 1/10 cap, directors'
//! allowances, the allocation of results, and the compliance engine that checks the nine
//! conditions of CSA art. 8:5 for a financial year.
//!
//! Arithmetic on votes and distributions uses exact rationals ([`num_rational::Ratio`]),
//! never floats (§4.6). Every legal parameter comes from the dated [`params`].

pub mod board;
pub mod compliance;
pub mod convocation;
pub mod distribution;
pub mod params;
pub mod report;
pub mod shares;
pub mod statutes;
pub mod vote;

pub use num_rational::Ratio;
