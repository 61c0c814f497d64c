//! Why a sales document cannot be computed or issued. Each error names the field, and the
//! line when there is one, so that the web layer shows a translated message next to it.

use jiff::civil::Date;

use super::vat::VatCategory;

/// Line numbers are 1-based, as printed on the document and sent in UBL `cbc:ID` (BT-126).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the document has no line")]
    NoLines,
    #[error("line {line}: the description is empty")]
    DescriptionEmpty { line: usize },
    #[error("line {line}: the unit is empty")]
    UnitEmpty { line: usize },
    #[error("line {line}: the quantity must be greater than zero")]
    QuantityNotPositive { line: usize },
    #[error("line {line}: the unit price cannot be negative")]
    UnitPriceNegative { line: usize },
    #[error("line {line}: the amount is too large")]
    LineAmountTooLarge { line: usize },
    #[error("the document total is too large")]
    TotalTooLarge,
    #[error(
        "line {line}: VAT rate {rate_bp} bp is not allowed for category {category:?} on {date}"
    )]
    VatRateNotAllowed {
        line: usize,
        category: VatCategory,
        rate_bp: u32,
        date: Date,
    },
    #[error("line {line}: a reverse charge needs the buyer's VAT number")]
    ReverseChargeNeedsBuyerVat { line: usize },
    #[error(
        "line {line}: an intra-Community supply needs the buyer's VAT number in another EU country"
    )]
    IntraCommunityNeedsEuBuyerVat { line: usize },
    #[error("VAT category {category:?} needs an exemption reason")]
    ExemptionReasonMissing { category: VatCategory },
    #[error("the buyer's enterprise number is not valid")]
    BuyerEnterpriseNumberInvalid,
    #[error("a Belgian buyer with a VAT number needs its enterprise number")]
    BuyerEnterpriseNumberMissing,
    #[error("the buyer's VAT number is not the enterprise number with BE in front")]
    BuyerNumbersDiffer,
    #[error("the buyer's VAT number is not valid")]
    BuyerVatNumberInvalid,
    #[error("the due date is before the issue date")]
    DueDateBeforeIssueDate,
    #[error("the totals do not match the lines")]
    TotalsMismatch,
    #[error("a credit note must credit a positive amount")]
    CreditNoteNotPositive,
    #[error(
        "the credit note ({credit_cents} cents) exceeds what remains creditable ({remaining_cents} cents)"
    )]
    CreditExceedsRemaining {
        credit_cents: i64,
        remaining_cents: i64,
    },
    #[error("{field} is missing")]
    MentionMissing { field: &'static str },
    #[error("{field} is not valid")]
    MentionInvalid { field: &'static str },
}

impl DocumentError {
    /// Stable code, used as a translation-key suffix: never rename one.
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::NoLines => "no-lines",
            DocumentError::DescriptionEmpty { .. } => "description-empty",
            DocumentError::UnitEmpty { .. } => "unit-empty",
            DocumentError::QuantityNotPositive { .. } => "quantity-not-positive",
            DocumentError::UnitPriceNegative { .. } => "unit-price-negative",
            DocumentError::LineAmountTooLarge { .. } => "line-amount-too-large",
            DocumentError::TotalTooLarge => "total-too-large",
            DocumentError::VatRateNotAllowed { .. } => "vat-rate-not-allowed",
            DocumentError::ReverseChargeNeedsBuyerVat { .. } => "reverse-charge-needs-buyer-vat",
            DocumentError::IntraCommunityNeedsEuBuyerVat { .. } => {
                "intra-community-needs-eu-buyer-vat"
            }
            DocumentError::ExemptionReasonMissing { .. } => "exemption-reason-missing",
            DocumentError::BuyerEnterpriseNumberInvalid => "buyer-enterprise-number-invalid",
            DocumentError::BuyerEnterpriseNumberMissing => "buyer-enterprise-number-missing",
            DocumentError::BuyerNumbersDiffer => "buyer-numbers-differ",
            DocumentError::BuyerVatNumberInvalid => "buyer-vat-number-invalid",
            DocumentError::DueDateBeforeIssueDate => "due-date-before-issue-date",
            DocumentError::TotalsMismatch => "totals-mismatch",
            DocumentError::CreditNoteNotPositive => "credit-note-not-positive",
            DocumentError::CreditExceedsRemaining { .. } => "credit-exceeds-remaining",
            DocumentError::MentionMissing { .. } => "mention-missing",
            DocumentError::MentionInvalid { .. } => "mention-invalid",
        }
    }

    /// The field the message belongs next to: a line field (`quantity`), or a path in the
    /// document (`buyer.vat_number`, `seller.iban`, `due_date`).
    pub fn field(&self) -> &'static str {
        match self {
            DocumentError::NoLines | DocumentError::TotalsMismatch => "lines",
            DocumentError::DescriptionEmpty { .. } => "description",
            DocumentError::UnitEmpty { .. } => "unit",
            DocumentError::QuantityNotPositive { .. } => "quantity",
            DocumentError::UnitPriceNegative { .. } => "unit_price",
            DocumentError::LineAmountTooLarge { .. } => "quantity",
            DocumentError::TotalTooLarge | DocumentError::CreditNoteNotPositive => "total",
            DocumentError::CreditExceedsRemaining { .. } => "total",
            DocumentError::VatRateNotAllowed { .. } => "vat_rate",
            DocumentError::ReverseChargeNeedsBuyerVat { .. }
            | DocumentError::IntraCommunityNeedsEuBuyerVat { .. }
            | DocumentError::BuyerNumbersDiffer
            | DocumentError::BuyerVatNumberInvalid => "buyer.vat_number",
            DocumentError::ExemptionReasonMissing { .. } => "vat_category",
            DocumentError::BuyerEnterpriseNumberInvalid
            | DocumentError::BuyerEnterpriseNumberMissing => "buyer.enterprise_number",
            DocumentError::DueDateBeforeIssueDate => "due_date",
            DocumentError::MentionMissing { field } | DocumentError::MentionInvalid { field } => {
                field
            }
        }
    }

    /// The 1-based line the error is about, if it is about one line.
    pub fn line(&self) -> Option<usize> {
        match self {
            DocumentError::DescriptionEmpty { line }
            | DocumentError::UnitEmpty { line }
            | DocumentError::QuantityNotPositive { line }
            | DocumentError::UnitPriceNegative { line }
            | DocumentError::LineAmountTooLarge { line }
            | DocumentError::VatRateNotAllowed { line, .. }
            | DocumentError::ReverseChargeNeedsBuyerVat { line }
            | DocumentError::IntraCommunityNeedsEuBuyerVat { line } => Some(*line),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_error_names_its_line_and_field() {
        let e = DocumentError::QuantityNotPositive { line: 3 };
        assert_eq!(e.line(), Some(3));
        assert_eq!(e.field(), "quantity");
        assert_eq!(e.code(), "quantity-not-positive");
        assert_eq!(
            e.to_string(),
            "line 3: the quantity must be greater than zero"
        );
    }

    #[test]
    fn a_missing_mention_names_the_document_field() {
        let e = DocumentError::MentionMissing {
            field: "seller.court_register",
        };
        assert_eq!(e.line(), None);
        assert_eq!(e.field(), "seller.court_register");
        assert_eq!(e.to_string(), "seller.court_register is missing");
    }
}
