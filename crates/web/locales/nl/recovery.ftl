# Debt recovery: the history of an invoice, recovery cases, the pipeline (dunning.md §7).

nav-recovery = Invordering
history-title = Geschiedenis
history-empty = Nog niets te melden.
history-date = Datum
history-what = Wat
history-detail = Detail
history-amount = Bedrag
history-author = Door
history-issued = Factuur uitgereikt
history-sent = Naar de klant verstuurd
history-payment = Betaling ontvangen
history-credit-note = Creditnota
history-reminder = Herinnering
history-reminder-level = niveau { $level }
history-sent-to = aan { $to }
history-promised-on = (betaling beloofd tegen { $date })
history-system = ruche
history-open = Geschiedenis en invordering bekijken
recovery-title = Invordering
recovery-status-member-informed = Lid geïnformeerd
recovery-status-member-objected = Bezwaar van het lid
recovery-status-member-consulted = Lid geraadpleegd
recovery-status-formal-notice = Ingebrekestelling
recovery-status-collection-agency = Incassobureau
recovery-status-bailiff = Gerechtsdeurwaarder
recovery-status-court = Rechtbank
recovery-status-written-off = Afgeboekt
recovery-status-stopped = Stopgezet
recovery-status-closed = Afgesloten (betaald of gecrediteerd)
recovery-entry-opened = Invordering geopend, lid geïnformeerd
recovery-entry-no-objection = Geen bezwaar
recovery-entry-objection = Bezwaar
recovery-entry-consultation-expired = Raadplegingstermijn verstreken
recovery-entry-go-on = Voortzetting ondanks bezwaar
recovery-entry-stop = Invordering stopgezet
recovery-entry-formal-notice = Ingebrekestelling verstuurd
recovery-entry-collection-agency = Overgedragen aan een incassobureau
recovery-entry-bailiff = Overgedragen aan een gerechtsdeurwaarder
recovery-entry-court = Voor de rechtbank gebracht
recovery-entry-write-off = Afgeboekt (waarborgfonds)
recovery-entry-close = Afgesloten
recovery-entry-call = Telefoongesprek
recovery-entry-letter = Brief
recovery-entry-promise-to-pay = Betalingsbelofte
recovery-entry-note = Notitie
recovery-opened-on = Geopend op
recovery-deadline = Antwoord van het lid verwacht tot
recovery-objection = Bezwaar van het lid
recovery-closed-on = Afgesloten op
recovery-none = Geen invordering voor deze factuur.
recovery-answer-title = Uw mening vóór de ingebrekestelling
recovery-answer-text = De coöperatie gaat de klant in gebreke stellen. U kunt bezwaar maken, met een reden, tot { $deadline }. U hoeft de klant niet zelf aan te manen.
recovery-answer-send = Mijn antwoord versturen
recovery-open-title = Invordering openen
recovery-open-text = Het lid dat de activiteit draagt, wordt per e-mail geïnformeerd en kan gedurende 10 dagen bezwaar maken vóór de ingebrekestelling.
recovery-open = Openen en het lid informeren
recovery-entry-title = Een stap of opvolging registreren
recovery-write-off-note = Een verlies wordt ten laste gelegd van het onderlinge waarborgfonds, niet van het budget van het lid; de btw op de verloren vordering wordt teruggevorderd.
recovery-entry-record = Registreren
recovery-pipeline-title = Invordering: de pijplijn
recovery-pipeline-intro = De facturen in invordering, per stap, met wat nog verschuldigd is.
recovery-stage = Stap
recovery-cases = Dossiers
recovery-due = Nog verschuldigd
recovery-all-cases = Alle dossiers
recovery-no-case = Geen dossier in deze stap.
recovery-invoice = Factuur
recovery-activity = Activiteit
recovery-last-entry = Laatste actie
recovery-mail-subject = Factuur { $number }: invordering
recovery-mail-body =
    Hallo,

    factuur { $number } blijft na de herinneringen onbetaald ({ $due } verschuldigd). De coöperatie gaat de klant in gebreke stellen.
    Als u bezwaar hebt, laat het ons met een reden weten vóór { $deadline }: { $link }
    U hoeft de klant niet zelf aan te manen.

    ruche
field-entry_kind = Wat
field-entry_on = Datum
field-entry_text = Opmerking of reden
field-entry_cost = Kosten (€)
field-promised_on = Betaling beloofd tegen
field-entry_document = Document (PDF, PNG, JPEG of tekst, max. 1,5 MB)
err-recovery-no-promise = enkel voor een betalingsbelofte
err-recovery-no-cost = geen kosten voor deze stap
err-recovery-document-type = documenttype niet aanvaard (PDF, PNG, JPEG of tekst)
err-recovery-document-size = document te groot (max. 1,5 MB)
err-recovery-transition-refused = deze stap kan nu niet (het lid moet vóór de ingebrekestelling geraadpleegd worden; niet terug)
err-recovery-already-open = er loopt al een invordering voor deze factuur
err-recovery-closed = deze invordering is afgesloten
err-recovery-date-before-opening = de datum ligt vóór de opening van de invordering
err-recovery-consultation-running = de antwoordtermijn van het lid is nog niet verstreken
err-too-many-recipients = te veel ontvangers
history-channel-email = per e-mail
history-channel-letter = per brief
