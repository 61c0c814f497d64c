//! VAT categories (EN 16931 / UNCL5305) and rates.

use serde::{Deserialize, Serialize};

/// The VAT category of a line (UNCL5305 codes used by EN 16931 and Peppol BIS 3.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum VatCategory {
    /// Standard or reduced rate (21, 12, 6 % in Belgium).
    S,
    /// Zero-rated.
    Z,
    /// Exempt (e.g. training under art. 44 §2, 4° VAT Code), with an exemption reason.
    E,
    /// Reverse charge (autoliquidation / verlegging, art. 51 §2 VAT Code).
    AE,
    /// Intra-community supply (art. 39bis VAT Code).
    K,
    /// Export outside the EU (art. 39 VAT Code).
    G,
    /// Outside the scope of VAT.
    O,
}

impl VatCategory {
    pub const ALL: [VatCategory; 7] = [
        VatCategory::S,
        VatCategory::Z,
        VatCategory::E,
        VatCategory::AE,
        VatCategory::K,
        VatCategory::G,
        VatCategory::O,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VatCategory::S => "S",
            VatCategory::Z => "Z",
            VatCategory::E => "E",
            VatCategory::AE => "AE",
            VatCategory::K => "K",
            VatCategory::G => "G",
            VatCategory::O => "O",
        }
    }

    pub fn parse(s: &str) -> Option<VatCategory> {
        VatCategory::ALL.into_iter().find(|c| c.code() == s.trim())
    }
}
