# Debt recovery: the history of an invoice, recovery cases, the pipeline (dunning.md §7).

nav-recovery = Recovery
history-title = History
history-empty = Nothing to report yet.
history-date = Date
history-what = What
history-detail = Detail
history-amount = Amount
history-author = By
history-issued = Invoice issued
history-sent = Sent to the client
history-payment = Payment received
history-credit-note = Credit note
history-reminder = Reminder
history-reminder-level = level { $level }
history-sent-to = to { $to }
history-promised-on = (payment promised by { $date })
history-system = ruche
history-open = See the history and recovery
recovery-title = Recovery
recovery-status-member-informed = Member informed
recovery-status-member-objected = Member objected
recovery-status-member-consulted = Member consulted
recovery-status-formal-notice = Formal notice
recovery-status-collection-agency = Collection agency
recovery-status-bailiff = Bailiff
recovery-status-court = Court
recovery-status-written-off = Written off
recovery-status-stopped = Stopped
recovery-status-closed = Closed (paid or credited)
recovery-entry-opened = Recovery opened, member informed
recovery-entry-no-objection = No objection
recovery-entry-objection = Objection
recovery-entry-consultation-expired = Consultation deadline passed
recovery-entry-go-on = Go on despite the objection
recovery-entry-stop = Recovery stopped
recovery-entry-formal-notice = Formal notice sent
recovery-entry-collection-agency = Handed to a collection agency
recovery-entry-bailiff = Handed to a bailiff
recovery-entry-court = Taken to court
recovery-entry-write-off = Written off (guarantee fund)
recovery-entry-close = Closed
recovery-entry-call = Call
recovery-entry-letter = Letter
recovery-entry-promise-to-pay = Promise to pay
recovery-entry-note = Note
recovery-opened-on = Opened on
recovery-deadline = Member's answer expected until
recovery-objection = Member's objection
recovery-closed-on = Closed on
recovery-none = No recovery for this invoice.
recovery-answer-title = Your say before the formal notice
recovery-answer-text = The cooperative is about to send the client a formal notice. You may object, with a reason, until { $deadline }. You do not have to chase the client yourself.
recovery-answer-send = Send my answer
recovery-open-title = Open the recovery
recovery-open-text = The member holding the activity is told by e-mail and may object for 10 days before the formal notice.
recovery-open = Open and inform the member
recovery-entry-title = Record a stage or a follow-up
recovery-write-off-note = A loss is charged to the mutual guarantee fund, not to the member's budget; the VAT on the lost receivable is recovered.
recovery-entry-record = Record
recovery-pipeline-title = Recovery pipeline
recovery-pipeline-intro = The invoices in recovery, per stage, with what is still due.
recovery-stage = Stage
recovery-cases = Cases
recovery-due = Still due
recovery-all-cases = All cases
recovery-no-case = No case at this stage.
recovery-invoice = Invoice
recovery-activity = Activity
recovery-last-entry = Last action
recovery-mail-subject = Invoice { $number }: recovery
recovery-mail-body =
    Hello,

    invoice { $number } is still unpaid after the reminders ({ $due } due). The cooperative is about to send the client a formal notice.
    If you object, tell us why before { $deadline }: { $link }
    You do not have to chase the client yourself.

    ruche
field-entry_kind = What
field-entry_on = Date
field-entry_text = Comment or reason
field-entry_cost = Cost (€)
field-promised_on = Payment promised by
field-entry_document = Document (PDF, PNG, JPEG or text, at most 1.5 MB)
err-recovery-no-promise = only for a promise to pay
err-recovery-no-cost = no cost for this step
err-recovery-document-type = document type not accepted (PDF, PNG, JPEG or text)
err-recovery-document-size = document too large (at most 1.5 MB)
err-recovery-transition-refused = this step is not possible now (the member is consulted before the formal notice; never backwards)
err-recovery-already-open = a recovery is already open for this invoice
err-recovery-closed = this recovery is closed
err-recovery-date-before-opening = the date is before the recovery was opened
err-recovery-consultation-running = the member's time to answer has not passed yet
err-too-many-recipients = too many recipients
history-channel-email = by e-mail
history-channel-letter = by letter
