# Invoices and credit notes.
invoices-title = Invoices
invoices-new = New invoice
invoices-empty = No invoice yet. Create the first one from an accepted quote or directly.
invoice-number = Number
invoice-kind = Kind
invoice-kind-invoice = Invoice
invoice-kind-credit_note = Credit note
invoice-draft = Draft
invoice-issue-date = Date
invoice-due-date = Due date
invoice-total = Total incl. VAT
invoice-net = Total excl. VAT
invoice-vat = VAT
invoice-due = Still due
invoice-paid = Paid
invoice-credited = Credited
invoice-client = Client
invoice-details = Document
invoice-ogm = Structured communication
invoice-hash = Document fingerprint
invoice-pdf = Download the PDF
invoice-ubl = Download the e-invoice (UBL)
invoice-send = Send to the client
invoice-sent = Sent to { $to } with the PDF and the e-invoice.
invoice-client-no-email = The client has no e-mail address: add it to the client or send the PDF yourself.
invoice-credit = Create a credit note
invoice-credit-notes = Credit notes
invoice-payments = Payments received
invoice-no-payment = No payment received yet.
invoice-save-draft = Save the draft
invoice-issue = Issue
invoice-issue-hint = When issued, the document gets its number and can no longer change: a mistake is corrected by a credit note.
invoice-issue-refused = Issuing refused:
credit-note-corrects = Corrects invoice
invoice-status-draft = draft
invoice-status-issued = issued
invoice-status-partially_paid = partially paid
invoice-status-paid = paid
invoice-status-credited = credited
invoice-status-written_off = written off
payment-date = Date
payment-amount = Amount
payment-reference = Reference
payment-record = Record the payment

## Lines of a quote or an invoice (the lines editor, pages/lines.rs)
lines-title = Lines
lines-hint = To remove a line, empty its description, quantity and price.
lines-add = Add a line
lines-recalculate = Recalculate the totals
line-n = Line { $n }
line-description = Description
line-quantity = Quantity
line-unit = Unit
line-unit-price = Unit price excl. VAT
line-vat = VAT
line-cost = Your cost (€)
line-net = Amount excl. VAT
line-price = Price it
line-pricing-title = Pricing helper
line-pricing-hint = Type your cost for a line and press "Price it": the unit price becomes cost ÷ (1 − contribution), here the contribution is { $rate }, so that the activity's budget receives the whole cost.
line-pricing-done = Line { $n }: cost { $cost } ÷ (1 − { $rate }) = { $price }.
unit-HUR = hour
unit-DAY = day
unit-C62 = piece
unit-KMT = km
unit-LS = lump sum
vat-Z = 0 % (zero rate)
vat-E = exempt (E)
vat-AE = reverse charge (AE)
vat-K = intra-EU supply (K)
vat-G = export (G)
vat-O = outside the scope of VAT (O)

## Fields and messages
field-client_id = Client
field-entity_id = Invoicing entity
field-due_days = Payment term (days)
field-order_reference = Client's reference
field-note = Note
field-amount = Amount
field-received_on = Received on
field-reference = Reference
field-total = Total
field-due_date = Due date
field-buyer_vat_number = Client's VAT number
field-buyer_enterprise_number = Client's enterprise number
err-number = give a number, for instance 2,5.
err-due-days = give a number of days between 0 and 365.
err-no-lines = add at least one line.
err-unit-unknown = choose a unit from the list.
err-vat-unknown = choose a VAT rate from the list.
err-too-many-lines = a document has at most 200 lines.
err-cost = give your cost in euros, for instance 1.000,00.
err-pricing = the contribution leaves nothing to price with.
err-amount = give a positive amount.
err-invoice-not-editable = this document is issued: it no longer changes.
err-invoice-not-draft = this document is already issued.
err-activity-not-active = the activity is not active: it cannot invoice.
err-issue-date-before-last = a document of this series already carries a later date.
err-numbering = the numbering of this series is exhausted.
err-ogm-exhausted = no structured communication left this year.
err-due-date = the due date is impossible.
err-credit-note-without-invoice = a credit note must correct an invoice.
err-invoice-not-creditable = this invoice cannot be credited.
err-invoice-not-open = this invoice no longer waits for a payment.
err-not-an-invoice = only an invoice receives a payment.
err-payment-not-positive = the amount must be positive.
doc-on-line = line { $line }: { $text }
doc-no-lines = the document has no line.
doc-description-empty = the description is empty.
doc-unit-empty = the unit is missing.
doc-quantity-not-positive = the quantity must be positive (a correction is made with a credit note).
doc-unit-price-negative = the unit price cannot be negative.
doc-line-amount-too-large = the line amount is too large.
doc-total-too-large = the total is too large.
doc-vat-rate-not-allowed = this VAT rate does not exist on this date for this category.
doc-reverse-charge-needs-buyer-vat = a reverse charge needs the client's VAT number.
doc-intra-community-needs-eu-buyer-vat = an intra-Community supply needs the client's VAT number in another EU country.
doc-exemption-reason-missing = the exemption must state its legal ground.
doc-buyer-enterprise-number-invalid = the client's enterprise number is not valid.
doc-buyer-enterprise-number-missing = a Belgian VAT-registered client needs its enterprise number.
doc-buyer-numbers-differ = the client's VAT number is not BE followed by its enterprise number.
doc-buyer-vat-number-invalid = the client's VAT number is not valid.
doc-due-date-before-issue-date = the due date is before the document's date.
doc-totals-mismatch = the totals do not match the lines.
doc-credit-note-not-positive = a credit note must credit a positive amount.
doc-credit-exceeds-remaining = the credit note exceeds what remains creditable on the invoice.
doc-mention-missing = a legal mention is missing (check the invoicing entity).
doc-mention-invalid = a legal mention is not valid (check the invoicing entity).
mail-invoice-subject = Invoice { $number } — { $seller }
mail-invoice-body = Hello,

    Please find attached invoice { $number } for { $amount }, to be paid by { $due } to account { $iban } with the structured communication { $ogm }.

    The e-invoice (UBL) is attached when you are a business.

    — { $seller }
mail-credit-note-subject = Credit note { $number } — { $seller }
mail-credit-note-body = Hello,

    Please find attached credit note { $number } for { $amount }.

    — { $seller }
action-issue = issued
action-payment = payment
entity-invoice = Invoice
quote-make-invoice = Invoice this order confirmation
err-quote-not-accepted = this quote is not accepted: it cannot be invoiced.
invoices-search-hint = number or client
invoice-pay-to = Account to pay into
invoices-year = Issued in
