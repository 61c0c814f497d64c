# ruche — English texts. Every key also exists in French and Dutch (a test checks it).

## Frame
skip-to-content = Skip to content
nav-label = Main navigation
nav-dashboard = Dashboard
nav-entities = Legal entities
nav-offices = Offices
nav-persons = Persons
nav-accounts = Accounts and roles
nav-usage-contract = Usage contract
nav-audit = Audit log
nav-mail = Outgoing mail
nav-my-account = My account
logout = Sign out
footer-tagline = the platform of the shared enterprise
back-to-dashboard = Back to the dashboard
back-to-login = Back to sign-in
save = Save
saved = Changes saved.
search = Search
filter = Filter
see-history = See the history of changes
choose-none = — none —
choose-one = — choose —
choose-any = — all —
list-total = { $count ->
    [0] No items
    [one] 1 item
   *[other] { $count } items
}
pager-label = Pages
pager-previous = Previous
pager-next = Next
pager-position = Page { $page }
form-has-errors = The form has errors:

## Errors
error-403-title = Access refused
error-403-text = Your role does not allow this. If you think it should, ask an administrator.
error-404-title = Page not found
error-404-text = This page does not exist (any more).
error-csrf-title = Form expired
error-csrf-text = The form's security token is missing or does not match. Reload the page and try again.
error-409-title = Not possible
error-409-text = This action is not possible in the document's current state (it may have been issued or changed meanwhile). Reload the page.
error-422-title = Invalid data
error-422-text = The data sent is not valid.
error-500-title = Internal error
error-500-text = Something went wrong on our side. It was recorded; try again in a moment.
api-unauthorized = A valid API token is required (header Authorization: Bearer …).
api-bad-json = The request body is not valid JSON for this operation.

## Field errors
err-required = this field is required.
err-too-long = this text is too long.
err-email = this is not a valid e-mail address.
err-taken = this value is already in use.
err-empty = this field is empty.
err-format = the format is not valid.
err-checksum = the check digits do not match.
err-national-checksum = the Belgian check digits of the account do not match.
err-birth-date = the birth date in the number is impossible.
err-postcode = a Belgian postcode has 4 digits.
err-country = give the 2-letter country code (BE, FR, NL…).
err-vat-mismatch = the VAT number must be BE followed by the enterprise number.
err-date = give a date (YYYY-MM-DD).
err-advisor-needs-office = an advisor must be attached to an office.
err-office-not-yours = you can only attach a person to your own office.
err-cannot-demote-self = you cannot remove your own administrator role or deactivate your own account.
err-password-wrong = the current password is wrong.
err-password-too-short = the password needs at least 10 characters.
err-password-mismatch = the two passwords differ.

## Fields
field-name = Name
field-legal_form = Legal form
field-street = Street and number
field-postcode = Postcode
field-city = City
field-country = Country
field-enterprise_number = Enterprise number
field-vat_number = VAT number
field-iban = IBAN
field-court_register = Register of legal entities
field-region = Region
field-email = E-mail
field-phone = Phone
field-first_name = First name
field-last_name = Last name
field-niss = National register number
field-language = Language
field-gender = Declared gender
gender-f = Woman
gender-m = Man
gender-x = Other
gender-none = Not stated
err-person-gender = choose woman, man, other or not stated.
field-office_id = Office
field-password = Password
field-password_confirm = Confirm the password
field-current_password = Current password
field-roles = Roles
field-advisor_office_id = Office of the advisor role
field-active = Active
field-token_name = Token name
field-label = Version
field-effective_from = In force from
field-text_fr = Text in French
field-text_nl = Text in Dutch
field-text_en = Text in English

## Values
role-member = Member
role-advisor = Advisor
role-accountant = Accounting
role-legal = Legal service
role-participation = Participation
role-facilities = Facilities
role-prevention = Prevention and diversity
role-board = Board
role-administrator = Administrator
region-brussels = Brussels
region-flanders = Flanders
region-wallonia = Wallonia
language-fr = French
language-nl = Dutch
language-en = English

## Sign-in
login-title = Sign in
login-intro = Sign in with the e-mail address of your ruche account.
login-submit = Sign in
login-forgot = Forgot your password?
login-failed = Wrong e-mail address or password.
login-too-many-attempts = Too many sign-in attempts. For your safety, try again in 15 minutes or reset your password.
login-password-changed = Your password was changed. Sign in with the new one.
forgot-title = Forgotten password
forgot-intro = Give your e-mail address: we will send you a link to choose a new password.
forgot-submit = Send the link
forgot-sent = If an account exists for this address, a link was just sent. It is valid for one hour.
reset-title = New password
reset-submit = Save the password
reset-invalid = This link is no longer valid (already used or expired). Ask for a new one.
password-rule = At least 10 characters. A sentence you remember easily makes a good password.
mail-reset-subject = ruche: choose a new password
mail-reset-body = Hello,

    To choose a new password, open this link (valid for one hour):
    { $link }

    If you did not ask for it, ignore this message: your password stays the same.

    — ruche
mail-invitation-subject = Your ruche account
mail-invitation-body = Hello,

    A ruche account was created for you. To choose your password, open this link (valid for 7 days):
    { $link }

    — ruche

## Dashboard
dashboard-title = Dashboard
dashboard-hello = Hello { $name }!
dashboard-member = My activities
dashboard-member-no-activity = You have no activity yet. Propose the first one: your advisor validates it, then you follow quotes, invoices and budget there.
dashboard-member-office = Your office: { $office }.
dashboard-member-complete-profile = Your IBAN or national register number is missing: they are needed to pay you.
dashboard-advisor = My office
dashboard-advisor-no-office = Your advisor role is attached to no office: ask an administrator.
dashboard-advisor-offices = Office(s): { $offices }
dashboard-advisor-persons = people followed
dashboard-accountant = Bank accounts of the entities
dashboard-accountant-empty = No legal entity is registered yet.
dashboard-board = Board
dashboard-board-accepted = members accepted the usage contract in force
dashboard-board-no-contract = No usage contract is in force.
dashboard-admin = Administration
dashboard-admin-no-entity = Start by registering the cooperative itself.
dashboard-admin-no-office = No office yet: create one to attach advisors and members to it.

## Usage contract
contract-title = Usage contract
contract-version = Version { $label }
contract-effective = in force since { $date }
contract-must-accept = A new version of the usage contract is in force. Read and accept it to go on using ruche.
contract-accept = I have read and accept the usage contract
contract-accepted-on = You accepted this version on { $date }.
contract-staff-intro = Each version applies from its date of coming into force; from that day every member must accept it again.
contract-none = No version published.
contract-accepted-by = Accepted by
contract-in-force = in force
contract-publish = Publish a new version
contract-publish-hint = Publishing is final: a published version is never edited; publish another one.

## My account
account-details = My details
account-details-hint = To correct your details, ask your advisor.
account-roles = Roles
account-password = Change password
account-password-submit = Change the password
tokens-title = API tokens
tokens-intro = A token lets a program use ruche's API on your behalf (/api/v1, documentation: /api/openapi.json).
tokens-empty = No tokens.
tokens-create = Create a token
tokens-shown-once = Copy this token now: it will never be shown again.
tokens-prefix = Start
tokens-created = Created
tokens-last-used = Last used
tokens-revoke = Revoke
tokens-revoked = revoked

## Entities, offices, persons, accounts
entities-intro = The cooperative and its sister entities (for instance the training entity): their legal particulars appear on every document.
entities-new = New legal entity
entities-empty = No legal entity. Register the cooperative first.
offices-new = New office
offices-empty = No office yet.
persons-new = New person
persons-empty = No person matches.
persons-search-hint = name, first name or e-mail
persons-has-account = Account:
persons-no-account = This person has no account.
accounts-intro = Each person has at most one account; an account can hold several roles.
accounts-new = Create an account
accounts-edit = Account
accounts-empty = No account matches.
accounts-last-login = Last sign-in
accounts-inactive = deactivated
accounts-send-invitation = Send an invitation e-mail to choose a password
accounts-send-reset = Send a password-reset link

## Audit log
audit-intro = Every change: who, when, what, before and after.
audit-entity = Object
audit-entity-id = No.
audit-actor = Author (e-mail)
audit-from = From
audit-until = Until
audit-when = When
audit-action = Action
audit-changes = Changes
audit-empty = No change matches the filters.
audit-system = ruche (system)
action-create = created
action-update = changed
action-set-password = password changed
action-reset-password = password reset
action-revoke = revoked
action-publish = published
action-accept = accepted
entity-legal_entity = Legal entity
entity-office = Office
entity-person = Person
entity-account = Account
entity-api_token = API token
entity-usage_contract = Usage contract

## Outgoing mail
mail-intro = The e-mails ruche sends and every delivery attempt. With no SMTP server configured, they are kept here.
mail-empty = No e-mail.
mail-to = Recipient
mail-subject = Subject
mail-status = Status
mail-status-queued = waiting
mail-status-sent = sent
mail-status-kept = kept (no SMTP)
mail-status-failed = failed
mail-attempts = Attempts
mail-no-attempt = No attempt yet.
mail-outcome = Outcome
mail-detail = Detail
mail-outcome-sent = sent
mail-outcome-kept = kept
mail-outcome-error = error

## Activities and clients
nav-activities = Activities
nav-clients = Clients
edit = Edit
field-status = Status
field-sector = Sector
field-description = Description
field-rate = Contribution
field-holder_email = E-mail of the co-holder
field-kind = Kind
field-event = Decision
activities-new = Propose an activity
activities-new-intro = Describe your activity: your advisor validates it before you can invoice and work.
activities-propose = Propose the activity
activities-empty-member = You have no activity yet. Propose one: your advisor will validate it.
activities-empty-staff = No activity matches the filters.
activity-about = The activity
activity-holders = Holders
activity-add-holder = Add a holder
activity-decisions = The advisor's decisions
activity-no-decision = No decision possible: the activity is closed.
activity-set-rate = Set the contribution
activity-rate-hint = As a percentage (for instance 6.5). Leave empty to apply the cooperative's rate in force.
activity-rate-default = the cooperative's rate
activity-proposed-hint = This activity waits for its advisor's validation.
activity-status-proposed = proposed
activity-status-active = active
activity-status-suspended = suspended
activity-status-closed = closed
activity-event-validate = Validate
activity-event-suspend = Suspend
activity-event-resume = Resume
activity-event-close = Close
sector-performing-arts = Performing arts
sector-visual-arts = Visual arts
sector-music = Music
sector-audiovisual = Audiovisual
sector-training = Training
sector-consulting = Consulting
sector-digital = Digital
sector-crafts = Crafts
sector-events = Events
sector-other = Other
clients-new = New client
clients-intro = One directory for the whole cooperative: each Belgian company appears once, known by its enterprise number.
clients-empty = No client matches.
clients-search-hint = name, enterprise number or e-mail
clients-number-hint = Belgian company: the enterprise number is required (it is the Peppol identifier 0208). Foreign company: its VAT number.
clients-use-existing = This client is already in the directory:
client-kind-company = Company
client-kind-consumer = Consumer
action-validate = validated
action-suspend = suspended
action-resume = resumed
action-close = closed
action-add-holder = holder added
action-remove-holder = holder removed
entity-ledger_transaction = Ledger transaction
entity-activity = Activity
entity-client = Client
err-rate = give a percentage between 0 and 50.
err-not-a-member = no member account has this address.
err-already-holder = this person already holds the activity.
err-transition-refused = this decision is not possible in the activity's current status.
err-client-exists = this client is already in the directory.
