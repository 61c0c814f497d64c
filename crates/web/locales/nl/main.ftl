# ruche — Nederlandse teksten. Elke sleutel bestaat ook in het Frans en het Engels (een test controleert het).

## Kader
skip-to-content = Naar de inhoud
nav-label = Hoofdnavigatie
nav-dashboard = Overzicht
nav-entities = Rechtspersonen
nav-offices = Kantoren
nav-persons = Personen
nav-accounts = Accounts en rollen
nav-usage-contract = Gebruiksovereenkomst
nav-audit = Auditlogboek
nav-mail = Uitgaande post
nav-my-account = Mijn account
logout = Afmelden
footer-tagline = het platform van de gedeelde onderneming
back-to-dashboard = Terug naar het overzicht
back-to-login = Terug naar aanmelden
save = Opslaan
saved = Wijzigingen opgeslagen.
search = Zoeken
filter = Filteren
see-history = Wijzigingsgeschiedenis bekijken
choose-none = — geen —
choose-one = — kiezen —
choose-any = — alle —
list-total = { $count ->
    [0] Geen items
    [one] 1 item
   *[other] { $count } items
}
pager-label = Pagina's
pager-previous = Vorige
pager-next = Volgende
pager-position = Pagina { $page }
form-has-errors = Het formulier bevat fouten:

## Fouten
error-403-title = Toegang geweigerd
error-403-text = Uw rol laat deze handeling niet toe. Denkt u dat dat wel zou moeten, vraag het dan aan een beheerder.
error-404-title = Pagina niet gevonden
error-404-text = Deze pagina bestaat niet (meer).
error-csrf-title = Formulier verlopen
error-csrf-text = Het beveiligingstoken van het formulier ontbreekt of klopt niet. Herlaad de pagina en probeer opnieuw.
error-409-title = Handeling onmogelijk
error-409-text = Deze handeling is niet mogelijk in de huidige staat van het document (het is misschien intussen uitgegeven of gewijzigd). Herlaad de pagina.
error-422-title = Ongeldige gegevens
error-422-text = De verzonden gegevens zijn niet geldig.
error-500-title = Interne fout
error-500-text = Er ging bij ons iets mis. De fout is geregistreerd; probeer het zo opnieuw.
api-unauthorized = Een geldig API-token is vereist (header Authorization: Bearer …).
api-bad-json = De inhoud van het verzoek is geen geldige JSON voor deze bewerking.

## Veldfouten
err-required = dit veld is verplicht.
err-too-long = deze tekst is te lang.
err-email = dit is geen geldig e-mailadres.
err-taken = deze waarde is al in gebruik.
err-empty = dit veld is leeg.
err-format = het formaat is niet geldig.
err-checksum = de controlecijfers kloppen niet.
err-national-checksum = de Belgische controlecijfers van de rekening kloppen niet.
err-birth-date = de geboortedatum in het nummer is onmogelijk.
err-postcode = een Belgische postcode telt 4 cijfers.
err-country = geef de landcode van 2 letters (BE, FR, NL…).
err-vat-mismatch = het btw-nummer moet BE zijn, gevolgd door het ondernemingsnummer.
err-date = geef een datum (JJJJ-MM-DD).
err-advisor-needs-office = een adviseur moet aan een kantoor verbonden zijn.
err-office-not-yours = u kunt een persoon alleen aan uw eigen kantoor verbinden.
err-cannot-demote-self = u kunt uw eigen beheerdersrol niet afnemen en uw account niet uitschakelen.
err-password-wrong = het huidige wachtwoord is onjuist.
err-password-too-short = het wachtwoord moet minstens 10 tekens tellen.
err-password-mismatch = de twee wachtwoorden zijn niet gelijk.

## Velden
field-name = Naam
field-legal_form = Rechtsvorm
field-street = Straat en nummer
field-postcode = Postcode
field-city = Gemeente
field-country = Land
field-enterprise_number = Ondernemingsnummer
field-vat_number = Btw-nummer
field-iban = IBAN
field-court_register = Rechtspersonenregister
field-region = Gewest
field-email = E-mail
field-phone = Telefoon
field-first_name = Voornaam
field-last_name = Familienaam
field-niss = Rijksregisternummer
field-language = Taal
field-gender = Opgegeven gender
gender-f = Vrouw
gender-m = Man
gender-x = Andere
gender-none = Niet opgegeven
err-person-gender = kies vrouw, man, andere of niet opgegeven.
field-office_id = Kantoor
field-password = Wachtwoord
field-password_confirm = Wachtwoord bevestigen
field-current_password = Huidig wachtwoord
field-roles = Rollen
field-advisor_office_id = Kantoor van de adviseursrol
field-active = Actief
field-token_name = Naam van het token
field-label = Versie
field-effective_from = Van kracht op
field-text_fr = Tekst in het Frans
field-text_nl = Tekst in het Nederlands
field-text_en = Tekst in het Engels

## Waarden
role-member = Vennoot
role-advisor = Adviseur
role-accountant = Boekhouding
role-legal = Juridische dienst
role-participation = Participatie
role-facilities = Gebouwen en logistiek
role-prevention = Preventie en diversiteit
role-board = Raad van bestuur
role-administrator = Beheerder
region-brussels = Brussel
region-flanders = Vlaanderen
region-wallonia = Wallonië
language-fr = Frans
language-nl = Nederlands
language-en = Engels

## Aanmelden
login-title = Aanmelden
login-intro = Meld u aan met het e-mailadres van uw ruche-account.
login-submit = Aanmelden
login-forgot = Wachtwoord vergeten?
login-failed = E-mailadres of wachtwoord onjuist.
login-too-many-attempts = Te veel aanmeldpogingen. Probeer het voor uw veiligheid over 15 minuten opnieuw of stel uw wachtwoord opnieuw in.
login-password-changed = Uw wachtwoord is gewijzigd. Meld u aan met het nieuwe.
forgot-title = Wachtwoord vergeten
forgot-intro = Geef uw e-mailadres: we sturen u een link om een nieuw wachtwoord te kiezen.
forgot-submit = Link versturen
forgot-sent = Als er een account bestaat voor dit adres, is er net een link verstuurd. Hij blijft een uur geldig.
reset-title = Nieuw wachtwoord
reset-submit = Wachtwoord opslaan
reset-invalid = Deze link is niet meer geldig (al gebruikt of verlopen). Vraag een nieuwe aan.
password-rule = Minstens 10 tekens. Een zin die u makkelijk onthoudt, is een goed wachtwoord.
mail-reset-subject = ruche: een nieuw wachtwoord kiezen
mail-reset-body = Hallo,

    Open deze link (een uur geldig) om een nieuw wachtwoord te kiezen:
    { $link }

    Hebt u niets gevraagd? Negeer dan dit bericht: uw wachtwoord blijft ongewijzigd.

    — ruche
mail-invitation-subject = Uw ruche-account
mail-invitation-body = Hallo,

    Er is een ruche-account voor u aangemaakt. Open deze link (7 dagen geldig) om uw wachtwoord te kiezen:
    { $link }

    — ruche

## Overzicht
dashboard-title = Overzicht
dashboard-hello = Welkom, { $name }!
dashboard-member = Mijn activiteiten
dashboard-member-no-activity = U hebt nog geen activiteit. Stel de eerste voor: uw adviseur keurt ze goed, daarna volgt u er offertes, facturen en budget op.
dashboard-member-office = Uw kantoor: { $office }.
dashboard-member-complete-profile = Uw IBAN of rijksregisternummer ontbreekt: ze zijn nodig om u te betalen.
dashboard-advisor = Mijn kantoor
dashboard-advisor-no-office = Uw adviseursrol is aan geen enkel kantoor verbonden: vraag het aan een beheerder.
dashboard-advisor-offices = Kantoor/kantoren: { $offices }
dashboard-advisor-persons = gevolgde personen
dashboard-accountant = Bankrekeningen van de rechtspersonen
dashboard-accountant-empty = Er is nog geen rechtspersoon geregistreerd.
dashboard-board = Raad van bestuur
dashboard-board-accepted = vennoten hebben de geldende gebruiksovereenkomst aanvaard
dashboard-board-no-contract = Er is geen gebruiksovereenkomst van kracht.
dashboard-admin = Beheer
dashboard-admin-no-entity = Registreer eerst de coöperatie zelf.
dashboard-admin-no-office = Geen kantoor: maak er een aan om adviseurs en vennoten aan te verbinden.

## Gebruiksovereenkomst
contract-title = Gebruiksovereenkomst
contract-version = Versie { $label }
contract-effective = van kracht sinds { $date }
contract-must-accept = Er is een nieuwe versie van de gebruiksovereenkomst van kracht. Lees en aanvaard ze om ruche verder te gebruiken.
contract-accept = Ik heb de gebruiksovereenkomst gelezen en aanvaard ze
contract-accepted-on = U hebt deze versie aanvaard op { $date }.
contract-staff-intro = Elke versie geldt vanaf haar datum van inwerkingtreding; vanaf die dag moet elke vennoot ze opnieuw aanvaarden.
contract-none = Geen versie gepubliceerd.
contract-accepted-by = Aanvaard door
contract-in-force = van kracht
contract-publish = Een nieuwe versie publiceren
contract-publish-hint = Publiceren is definitief: een gepubliceerde versie wijzigt men niet, men publiceert een nieuwe.

## Mijn account
account-details = Mijn gegevens
account-details-hint = Vraag uw adviseur om uw gegevens te verbeteren.
account-roles = Rollen
account-password = Wachtwoord wijzigen
account-password-submit = Wachtwoord wijzigen
tokens-title = API-tokens
tokens-intro = Met een token kan een programma de API van ruche in uw naam gebruiken (/api/v1, documentatie: /api/openapi.json).
tokens-empty = Geen tokens.
tokens-create = Token aanmaken
tokens-shown-once = Kopieer dit token nu: het wordt nooit meer getoond.
tokens-prefix = Begin
tokens-created = Aangemaakt op
tokens-last-used = Laatst gebruikt
tokens-revoke = Intrekken
tokens-revoked = ingetrokken

## Rechtspersonen, kantoren, personen, accounts
entities-intro = De coöperatie en haar zusterentiteiten (bijvoorbeeld de opleidingsentiteit): hun wettelijke vermeldingen staan op elk document.
entities-new = Nieuwe rechtspersoon
entities-empty = Geen rechtspersonen. Registreer eerst de coöperatie.
offices-new = Nieuw kantoor
offices-empty = Nog geen kantoren.
persons-new = Nieuwe persoon
persons-empty = Geen enkele persoon komt overeen.
persons-search-hint = naam, voornaam of e-mail
persons-has-account = Account:
persons-no-account = Deze persoon heeft geen account.
accounts-intro = Elke persoon heeft hoogstens één account; een account kan meerdere rollen combineren.
accounts-new = Account aanmaken
accounts-edit = Account
accounts-empty = Geen enkel account komt overeen.
accounts-last-login = Laatste aanmelding
accounts-inactive = uitgeschakeld
accounts-send-invitation = Een uitnodiging sturen om een wachtwoord te kiezen
accounts-send-reset = Een link sturen om het wachtwoord opnieuw in te stellen

## Auditlogboek
audit-intro = Elke wijziging: wie, wanneer, wat, voor en na.
audit-entity = Object
audit-entity-id = Nr.
audit-actor = Auteur (e-mail)
audit-from = Van
audit-until = Tot
audit-when = Wanneer
audit-action = Handeling
audit-changes = Wijzigingen
audit-empty = Geen enkele wijziging komt overeen met de filters.
audit-system = ruche (systeem)
action-create = aanmaak
action-update = wijziging
action-set-password = wachtwoordwijziging
action-reset-password = wachtwoordherstel
action-revoke = intrekking
action-publish = publicatie
action-accept = aanvaarding
entity-legal_entity = Rechtspersoon
entity-office = Kantoor
entity-person = Persoon
entity-account = Account
entity-api_token = API-token
entity-usage_contract = Gebruiksovereenkomst

## Uitgaande post
mail-intro = De e-mails die ruche verstuurt en elke verzendpoging. Zonder ingestelde SMTP-server worden ze hier bewaard.
mail-empty = Geen e-mails.
mail-to = Bestemmeling
mail-subject = Onderwerp
mail-status = Status
mail-status-queued = wachtend
mail-status-sent = verzonden
mail-status-kept = bewaard (geen SMTP)
mail-status-failed = mislukt
mail-attempts = Pogingen
mail-no-attempt = Nog geen poging.
mail-outcome = Resultaat
mail-detail = Detail
mail-outcome-sent = verzonden
mail-outcome-kept = bewaard
mail-outcome-error = fout

## Activiteiten en klanten
nav-activities = Activiteiten
nav-clients = Klanten
edit = Wijzigen
field-status = Status
field-sector = Sector
field-description = Beschrijving
field-rate = Bijdrage
field-holder_email = E-mail van de medehouder
field-kind = Soort
field-event = Beslissing
activities-new = Een activiteit voorstellen
activities-new-intro = Beschrijf uw activiteit: uw adviseur keurt ze goed voordat u kunt factureren en werken.
activities-propose = Activiteit voorstellen
activities-empty-member = U hebt nog geen activiteit. Stel er een voor: uw adviseur keurt ze goed.
activities-empty-staff = Geen enkele activiteit komt overeen met de filters.
activity-about = De activiteit
activity-holders = Houders
activity-add-holder = Een houder toevoegen
activity-decisions = Beslissingen van de adviseur
activity-no-decision = Geen beslissing mogelijk: de activiteit is afgesloten.
activity-set-rate = Bijdrage vastleggen
activity-rate-hint = In procent (bijvoorbeeld 6,5). Laat leeg om het geldende tarief van de coöperatie toe te passen.
activity-rate-default = tarief van de coöperatie
activity-proposed-hint = Deze activiteit wacht op de goedkeuring van haar adviseur.
activity-status-proposed = voorgesteld
activity-status-active = actief
activity-status-suspended = opgeschort
activity-status-closed = afgesloten
activity-event-validate = Goedkeuren
activity-event-suspend = Opschorten
activity-event-resume = Hervatten
activity-event-close = Afsluiten
sector-performing-arts = Podiumkunsten
sector-visual-arts = Beeldende kunsten
sector-music = Muziek
sector-audiovisual = Audiovisueel
sector-training = Opleiding
sector-consulting = Advies
sector-digital = Digitaal
sector-crafts = Ambacht
sector-events = Evenementen
sector-other = Andere
clients-new = Nieuwe klant
clients-intro = Eén register voor de hele coöperatie: elke Belgische onderneming staat er één keer in, herkend aan haar ondernemingsnummer.
clients-empty = Geen enkele klant komt overeen.
clients-search-hint = naam, ondernemingsnummer of e-mail
clients-number-hint = Belgische onderneming: het ondernemingsnummer is verplicht (het is de Peppol-identificatie 0208). Buitenlandse onderneming: haar btw-nummer.
clients-use-existing = Deze klant staat al in het register:
client-kind-company = Onderneming
client-kind-consumer = Particulier
action-validate = goedkeuring
action-suspend = opschorting
action-resume = hervatting
action-close = afsluiting
action-add-holder = houder toegevoegd
action-remove-holder = houder verwijderd
entity-ledger_transaction = Boeking
entity-activity = Activiteit
entity-client = Klant
err-rate = geef een percentage tussen 0 en 50.
err-not-a-member = geen vennotenaccount heeft dit adres.
err-already-holder = deze persoon is al houder.
err-transition-refused = deze beslissing is niet mogelijk in de huidige status van de activiteit.
err-client-exists = deze klant staat al in het register.
