# ruche — English texts of quotes and the online order confirmation. Every key also exists
# in French and Dutch (a test checks it).

## Quotes of an activity
quotes-title = Quotes
quotes-of-activity = Quotes of { $activity }
quotes-new = New quote
quotes-empty = No quote yet.
quotes-search-hint = title, number or client
quotes-panel-title = Quotes
quotes-panel-text = Quotes sent to clients, and the order confirmations they accepted online.
quotes-panel-link = See the quotes
quote-draft = Draft
quote-new-title = New quote
quote-status-draft = draft
quote-status-sent = sent
quote-status-accepted = accepted
quote-status-declined = declined
quote-status-expired = expired
quote-status-invoiced = invoiced

## Fields
quote-field-client_id = Client
quote-field-title = Title
quote-field-valid_until = Valid until
quote-field-language = Language of the quote
quote-field-note = Note for the client
quote-field-activity = Activity
quote-field-activity_id = Activity
quote-field-status = Status
quote-field-number = Number
quote-field-issue_date = Date
quote-field-accepted_name = Your full name
quote-field-accept = Acceptance
quote-field-decline_reason = Reason (optional)
quote-language-client = — the client's language —

## Editor
quote-new-client = New client
quote-client-hint = The client is not in the directory yet?
quote-save = Save the draft

## Totals
quote-totals = Totals
quote-vat-breakdown = VAT breakdown
quote-vat-base = Taxable amount
quote-vat-amount = VAT
quote-total-excl = Total excl. VAT
quote-total-vat = Total VAT
quote-total-incl = Total incl. VAT

## Sending and history
quote-send-title = Send to the client
quote-send-hint = The quote gets its number and is e-mailed to { $email } with a link where the client accepts or declines it. After that it can no longer be changed.
quote-send-no-email = The client has no e-mail address: add one in the directory before sending.
quote-send = Send to the client
quote-sent-notice = The quote was sent to the client.
quote-history = History
quote-history-created = Drafted
quote-history-sent = Sent to { $email }
quote-history-accepted = Accepted by { $name }
quote-history-declined = Declined
quote-history-invoiced = Invoiced
quote-history-ip = from the address { $ip }
quote-history-reason = Reason: { $reason }
quote-order-confirmation = Accepted by the client, this quote is the order confirmation.
quote-activity-not-active = The activity is not active: it can quote once its advisor validates it.
quote-seller = Seller
quote-client = Client
quote-valid-until = Valid until { $date }
quote-mail-subject = Quote { $number }: { $title }
quote-mail-body = Hello,

    Please find our quote { $number } "{ $title }", for { $total } including VAT, valid until { $date }.

    Read it, then accept or decline it, on this page:
    { $link }

    { $seller } — { $activity }

## The client's page
public-quote-title = Quote { $number }
public-quote-intro = { $seller } sends you this quote for the activity "{ $activity }".
public-quote-accept-title = Accept the quote
public-quote-accept-check = I accept this quote as an order confirmation
public-quote-accept = Accept the quote
public-quote-decline-title = Decline the quote
public-quote-decline = Decline the quote
public-quote-accepted = Accepted by { $name } on { $date }.
public-quote-accepted-thanks = Thank you: your order is confirmed.
public-quote-declined = Declined on { $date }.
public-quote-expired = This quote expired on { $date }: ask for a new one.
public-quote-legal = Your acceptance is recorded with your name, the time and your Internet address.

## Errors
quote-err-too-long = this text is too long.
quote-err-date = give a date (DD/MM/YYYY).
quote-err-language = choose French, Dutch or English.
quote-err-validity-passed = the validity date is already past.
quote-err-client-unknown = this client is not in the directory.
quote-err-client-without-email = the client has no e-mail address: add one in the directory.
quote-err-activity-not-operating = the activity is not active: it cannot quote.
quote-err-not-editable = the quote was sent: it can no longer be changed.
quote-err-already-accepted = this quote was already accepted: the order is confirmed once only.
quote-err-already-declined = this quote was declined: it can no longer be accepted.
quote-err-expired = this quote has expired: ask for a new one.
quote-err-not-sent = this quote has not been sent.
quote-err-not-accepted = only an accepted quote is invoiced.
quote-err-acceptance-name-missing = give your full name.
quote-err-accept-required = tick the box to accept the quote as an order confirmation.
quote-err-numbering = no number could be given; try again.
quote-err-description-empty = describe what you supply.
quote-err-unit-empty = choose a unit.
quote-err-quantity-not-positive = the quantity must be greater than zero (a correction is a credit note).
quote-err-unit-price-negative = the unit price cannot be negative (a discount is a lower price).
quote-err-line-amount-too-large = this amount is too large.
quote-err-total-too-large = the total is too large.
quote-err-vat-rate-not-allowed = this VAT rate does not exist for this category on this date.
quote-err-reverse-charge-needs-buyer-vat = a reverse charge (AE) needs the client's VAT number.
quote-err-intra-community-needs-eu-buyer-vat = an intra-EU supply (K) needs the client's VAT number in another EU country.
quote-err-exemption-reason-missing = this VAT category needs its exemption reason.
quote-err-buyer-enterprise-number-invalid = the client's enterprise number is not valid.
quote-err-buyer-enterprise-number-missing = a Belgian client with a VAT number needs its enterprise number.
quote-err-buyer-numbers-differ = the client's VAT number is not BE followed by its enterprise number.
quote-err-buyer-vat-number-invalid = the client's VAT number is not valid.

## Audit log
entity-quote = Quote
action-quote-send = sent to the client
action-quote-decline = declined by the client
action-quote-invoiced = invoiced
