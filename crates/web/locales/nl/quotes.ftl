# ruche — Nederlandse teksten van offertes en de online bestelbon. Elke sleutel bestaat ook
# in het Frans en het Engels (een test controleert het).

## Offertes van een activiteit
quotes-title = Offertes
quotes-of-activity = Offertes van { $activity }
quotes-new = Nieuwe offerte
quotes-empty = Nog geen offerte.
quotes-search-hint = titel, nummer of klant
quotes-panel-title = Offertes
quotes-panel-text = De offertes die naar klanten gingen, en de bestelbonnen die zij online aanvaardden.
quotes-panel-link = De offertes bekijken
quote-draft = Ontwerp
quote-new-title = Nieuwe offerte
quote-status-draft = ontwerp
quote-status-sent = verstuurd
quote-status-accepted = aanvaard
quote-status-declined = geweigerd
quote-status-expired = vervallen
quote-status-invoiced = gefactureerd

## Velden
quote-field-client_id = Klant
quote-field-title = Titel
quote-field-valid_until = Geldig tot
quote-field-language = Taal van de offerte
quote-field-note = Opmerking voor de klant
quote-field-activity = Activiteit
quote-field-activity_id = Activiteit
quote-field-status = Status
quote-field-number = Nummer
quote-field-issue_date = Datum
quote-field-accepted_name = Uw voor- en achternaam
quote-field-accept = Aanvaarding
quote-field-decline_reason = Reden (facultatief)
quote-language-client = — de taal van de klant —

## Editor
quote-new-client = Nieuwe klant
quote-client-hint = Staat de klant nog niet in de lijst?
quote-save = Het ontwerp bewaren

## Totalen
quote-totals = Totalen
quote-vat-breakdown = Btw-overzicht
quote-vat-base = Maatstaf van heffing
quote-vat-amount = Btw
quote-total-excl = Totaal excl. btw
quote-total-vat = Totaal btw
quote-total-incl = Totaal incl. btw

## Versturen en geschiedenis
quote-send-title = Naar de klant sturen
quote-send-hint = De offerte krijgt haar nummer en wordt naar { $email } gemaild met een link waar de klant ze aanvaardt of weigert. Daarna kan ze niet meer gewijzigd worden.
quote-send-no-email = De klant heeft geen e-mailadres: voeg er een toe in de klantenlijst voor u verstuurt.
quote-send = Naar de klant sturen
quote-sent-notice = De offerte is naar de klant verstuurd.
quote-history = Geschiedenis
quote-history-created = Opgesteld
quote-history-sent = Verstuurd naar { $email }
quote-history-accepted = Aanvaard door { $name }
quote-history-declined = Geweigerd
quote-history-invoiced = Gefactureerd
quote-history-ip = vanaf het adres { $ip }
quote-history-reason = Reden: { $reason }
quote-order-confirmation = Aanvaard door de klant, is deze offerte de bestelbon.
quote-activity-not-active = De activiteit is niet actief: ze kan offertes maken zodra haar adviseur ze valideert.
quote-seller = Verkoper
quote-client = Klant
quote-valid-until = Geldig tot { $date }
quote-mail-subject = Offerte { $number }: { $title }
quote-mail-body = Hallo,

    Hierbij onze offerte { $number } "{ $title }", voor { $total } incl. btw, geldig tot { $date }.

    Op deze pagina kunt u ze lezen en daarna aanvaarden of weigeren:
    { $link }

    { $seller } — { $activity }

## De pagina van de klant
public-quote-title = Offerte { $number }
public-quote-intro = { $seller } stuurt u deze offerte voor de activiteit "{ $activity }".
public-quote-accept-title = De offerte aanvaarden
public-quote-accept-check = Ik aanvaard deze offerte als bestelbon
public-quote-accept = De offerte aanvaarden
public-quote-decline-title = De offerte weigeren
public-quote-decline = De offerte weigeren
public-quote-accepted = Aanvaard door { $name } op { $date }.
public-quote-accepted-thanks = Dank u: uw bestelling is bevestigd.
public-quote-declined = Geweigerd op { $date }.
public-quote-expired = Deze offerte is vervallen op { $date }: vraag een nieuwe aan.
public-quote-legal = Uw aanvaarding wordt bewaard met uw naam, het tijdstip en uw internetadres.

## Fouten
quote-err-too-long = deze tekst is te lang.
quote-err-date = geef een datum (DD/MM/JJJJ).
quote-err-language = kies Frans, Nederlands of Engels.
quote-err-validity-passed = de geldigheidsdatum is al voorbij.
quote-err-client-unknown = deze klant staat niet in de klantenlijst.
quote-err-client-without-email = de klant heeft geen e-mailadres: voeg er een toe in de klantenlijst.
quote-err-activity-not-operating = de activiteit is niet actief: ze kan geen offertes maken.
quote-err-not-editable = de offerte is verstuurd: ze kan niet meer gewijzigd worden.
quote-err-already-accepted = deze offerte is al aanvaard: een bestelling wordt maar één keer bevestigd.
quote-err-already-declined = deze offerte is geweigerd: ze kan niet meer aanvaard worden.
quote-err-expired = deze offerte is vervallen: vraag een nieuwe aan.
quote-err-not-sent = deze offerte is niet verstuurd.
quote-err-not-accepted = alleen een aanvaarde offerte wordt gefactureerd.
quote-err-acceptance-name-missing = geef uw voor- en achternaam.
quote-err-accept-required = vink het vakje aan om de offerte als bestelbon te aanvaarden.
quote-err-numbering = er kon geen nummer gegeven worden; probeer opnieuw.
quote-err-description-empty = omschrijf wat u levert.
quote-err-unit-empty = kies een eenheid.
quote-err-quantity-not-positive = de hoeveelheid moet groter zijn dan nul (een correctie is een creditnota).
quote-err-unit-price-negative = de eenheidsprijs kan niet negatief zijn (een korting is een lagere prijs).
quote-err-line-amount-too-large = dit bedrag is te groot.
quote-err-total-too-large = het totaal is te groot.
quote-err-vat-rate-not-allowed = dit btw-tarief bestaat niet voor deze categorie op deze datum.
quote-err-reverse-charge-needs-buyer-vat = verlegging van heffing (AE) vereist het btw-nummer van de klant.
quote-err-intra-community-needs-eu-buyer-vat = een intracommunautaire levering (K) vereist het btw-nummer van de klant in een ander EU-land.
quote-err-exemption-reason-missing = deze btw-categorie vereist haar reden van vrijstelling.
quote-err-buyer-enterprise-number-invalid = het ondernemingsnummer van de klant is niet geldig.
quote-err-buyer-enterprise-number-missing = een Belgische klant met een btw-nummer moet zijn ondernemingsnummer hebben.
quote-err-buyer-numbers-differ = het btw-nummer van de klant is niet BE gevolgd door zijn ondernemingsnummer.
quote-err-buyer-vat-number-invalid = het btw-nummer van de klant is niet geldig.

## Wijzigingslogboek
entity-quote = Offerte
action-quote-send = naar de klant verstuurd
action-quote-decline = geweigerd door de klant
action-quote-invoiced = gefactureerd
