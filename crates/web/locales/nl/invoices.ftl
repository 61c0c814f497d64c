# Facturen en creditnota's.
invoices-title = Facturen
invoices-new = Nieuwe factuur
invoices-empty = Nog geen facturen. Maak de eerste vanuit een aanvaarde offerte of rechtstreeks.
invoice-number = Nummer
invoice-kind = Soort
invoice-kind-invoice = Factuur
invoice-kind-credit_note = Creditnota
invoice-draft = Ontwerp
invoice-issue-date = Datum
invoice-due-date = Vervaldag
invoice-total = Totaal incl. btw
invoice-net = Totaal excl. btw
invoice-vat = Btw
invoice-due = Nog te betalen
invoice-paid = Betaald
invoice-credited = Gecrediteerd
invoice-client = Klant
invoice-details = Document
invoice-ogm = Gestructureerde mededeling
invoice-hash = Vingerafdruk van het document
invoice-pdf = PDF downloaden
invoice-ubl = E-factuur (UBL) downloaden
invoice-send = Naar de klant sturen
invoice-sent = Verstuurd naar { $to } met de PDF en de e-factuur.
invoice-client-no-email = De klant heeft geen e-mailadres: voeg het toe aan de fiche of stuur de PDF zelf.
invoice-credit = Een creditnota maken
invoice-credit-notes = Creditnota's
invoice-payments = Ontvangen betalingen
invoice-no-payment = Nog geen betaling ontvangen.
invoice-save-draft = Ontwerp opslaan
invoice-issue = Uitgeven
invoice-issue-hint = Bij het uitgeven krijgt het document zijn nummer en kan het niet meer gewijzigd worden: een fout verbetert men met een creditnota.
invoice-issue-refused = Uitgifte geweigerd:
credit-note-corrects = Verbetert factuur
invoice-status-draft = ontwerp
invoice-status-issued = uitgegeven
invoice-status-partially_paid = deels betaald
invoice-status-paid = betaald
invoice-status-credited = gecrediteerd
invoice-status-written_off = afgeboekt
payment-date = Datum
payment-amount = Bedrag
payment-reference = Referentie
payment-record = Betaling registreren

## Regels van een offerte of een factuur (de regeleditor, pages/lines.rs)
lines-title = Regels
lines-hint = Om een regel te schrappen, maak de omschrijving, de hoeveelheid en de prijs leeg.
lines-add = Een regel toevoegen
lines-recalculate = De totalen herberekenen
line-n = Regel { $n }
line-description = Omschrijving
line-quantity = Hoeveelheid
line-unit = Eenheid
line-unit-price = Eenheidsprijs excl. btw
line-vat = Btw
line-cost = Uw kost (€)
line-net = Bedrag excl. btw
line-price = Prijs berekenen
line-pricing-title = Prijshulp
line-pricing-hint = Vul uw kost in op een regel en druk op "Prijs berekenen": de eenheidsprijs wordt kost ÷ (1 − bijdrage), hier een bijdrage van { $rate }, zodat het budget van de activiteit de volledige kost ontvangt.
line-pricing-done = Regel { $n }: kost { $cost } ÷ (1 − { $rate }) = { $price }.
unit-HUR = uur
unit-DAY = dag
unit-C62 = stuk
unit-KMT = km
unit-LS = forfait
vat-Z = 0 % (nultarief)
vat-E = vrijgesteld (E)
vat-AE = verlegging van heffing (AE)
vat-K = intracommunautaire levering (K)
vat-G = uitvoer (G)
vat-O = buiten het toepassingsgebied van de btw (O)

## Velden en meldingen
field-client_id = Klant
field-entity_id = Factuurentiteit
field-due_days = Betalingstermijn (dagen)
field-order_reference = Referentie van de klant
field-note = Notitie
field-amount = Bedrag
field-received_on = Ontvangen op
field-reference = Referentie
field-total = Totaal
field-due_date = Vervaldag
field-buyer_vat_number = Btw-nummer van de klant
field-buyer_enterprise_number = Ondernemingsnummer van de klant
err-number = geef een getal, bijvoorbeeld 2,5.
err-due-days = geef een aantal dagen tussen 0 en 365.
err-no-lines = voeg minstens één regel toe.
err-unit-unknown = kies een eenheid uit de lijst.
err-vat-unknown = kies een btw-tarief uit de lijst.
err-too-many-lines = een document telt hoogstens 200 regels.
err-cost = geef uw kost in euro, bijvoorbeeld 1.000,00.
err-pricing = de bijdrage laat niets over om een prijs te berekenen.
err-amount = geef een positief bedrag.
err-invoice-not-editable = dit document is uitgegeven: het wijzigt niet meer.
err-invoice-not-draft = dit document is al uitgegeven.
err-activity-not-active = de activiteit is niet actief: ze kan niet factureren.
err-issue-date-before-last = een document van deze reeks draagt al een latere datum.
err-numbering = de nummering van deze reeks is uitgeput.
err-ogm-exhausted = geen gestructureerde mededeling meer beschikbaar dit jaar.
err-due-date = de vervaldag is onmogelijk.
err-credit-note-without-invoice = een creditnota moet een factuur verbeteren.
err-invoice-not-creditable = deze factuur kan niet gecrediteerd worden.
err-invoice-not-open = deze factuur wacht niet meer op betaling.
err-not-an-invoice = alleen een factuur ontvangt een betaling.
err-payment-not-positive = het bedrag moet positief zijn.
doc-on-line = regel { $line }: { $text }
doc-no-lines = het document heeft geen regels.
doc-description-empty = de omschrijving is leeg.
doc-unit-empty = de eenheid ontbreekt.
doc-quantity-not-positive = de hoeveelheid moet positief zijn (een verbetering gebeurt met een creditnota).
doc-unit-price-negative = de eenheidsprijs kan niet negatief zijn.
doc-line-amount-too-large = het bedrag van de regel is te groot.
doc-total-too-large = het totaal is te groot.
doc-vat-rate-not-allowed = dit btw-tarief bestaat niet op deze datum voor deze categorie.
doc-reverse-charge-needs-buyer-vat = verlegging vereist het btw-nummer van de klant.
doc-intra-community-needs-eu-buyer-vat = een intracommunautaire levering vereist het btw-nummer van de klant in een ander EU-land.
doc-exemption-reason-missing = de vrijstelling moet haar wettelijke grond vermelden.
doc-buyer-enterprise-number-invalid = het ondernemingsnummer van de klant is niet geldig.
doc-buyer-enterprise-number-missing = een Belgische btw-plichtige klant moet zijn ondernemingsnummer hebben.
doc-buyer-numbers-differ = het btw-nummer van de klant is niet BE gevolgd door zijn ondernemingsnummer.
doc-buyer-vat-number-invalid = het btw-nummer van de klant is niet geldig.
doc-due-date-before-issue-date = de vervaldag ligt vóór de datum van het document.
doc-totals-mismatch = de totalen stemmen niet overeen met de regels.
doc-credit-note-not-positive = een creditnota moet een positief bedrag crediteren.
doc-credit-exceeds-remaining = de creditnota overschrijdt wat op de factuur nog te crediteren is.
doc-mention-missing = een wettelijke vermelding ontbreekt (controleer de factuurentiteit).
doc-mention-invalid = een wettelijke vermelding is niet geldig (controleer de factuurentiteit).
mail-invoice-subject = Factuur { $number } — { $seller }
mail-invoice-body = Goedendag,

    In bijlage vindt u factuur { $number } voor een bedrag van { $amount }, te betalen uiterlijk op { $due } op rekening { $iban } met de gestructureerde mededeling { $ogm }.

    De e-factuur (UBL) is bijgevoegd wanneer u een onderneming bent.

    — { $seller }
mail-credit-note-subject = Creditnota { $number } — { $seller }
mail-credit-note-body = Goedendag,

    In bijlage vindt u creditnota { $number } voor een bedrag van { $amount }.

    — { $seller }
action-issue = uitgifte
action-payment = betaling
entity-invoice = Factuur
quote-make-invoice = Deze bestelbon factureren
err-quote-not-accepted = deze offerte is niet aanvaard: ze kan niet gefactureerd worden.
invoices-search-hint = nummer of klant
invoice-pay-to = Te betalen op rekening
invoices-year = Uitgereikt in
