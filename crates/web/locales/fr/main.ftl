# ruche — textes en français. Chaque clé existe aussi en néerlandais et en anglais (un test le vérifie).

## Cadre
skip-to-content = Aller au contenu
nav-label = Navigation principale
nav-dashboard = Tableau de bord
nav-entities = Entités juridiques
nav-offices = Antennes
nav-persons = Personnes
nav-accounts = Comptes et rôles
nav-usage-contract = Contrat d'usage
nav-audit = Journal d'audit
nav-mail = Courrier sortant
nav-my-account = Mon compte
logout = Se déconnecter
footer-tagline = la plateforme de l'entreprise partagée
back-to-dashboard = Retour au tableau de bord
back-to-login = Retour à la connexion
save = Enregistrer
saved = Modifications enregistrées.
search = Rechercher
filter = Filtrer
see-history = Voir l'historique des modifications
choose-none = — aucune —
choose-one = — choisir —
choose-any = — tous —
list-total = { $count ->
    [0] Aucun élément
    [one] 1 élément
   *[other] { $count } éléments
}
pager-label = Pages
pager-previous = Précédente
pager-next = Suivante
pager-position = Page { $page }
form-has-errors = Le formulaire contient des erreurs :

## Erreurs
error-403-title = Accès refusé
error-403-text = Votre rôle ne permet pas cette action. Si vous pensez qu'il le devrait, demandez-le à un·e administrateur·rice.
error-404-title = Page introuvable
error-404-text = Cette page n'existe pas ou plus.
error-csrf-title = Formulaire expiré
error-csrf-text = Le jeton de sécurité du formulaire manque ou ne correspond pas. Rechargez la page et réessayez.
error-409-title = Action impossible
error-409-text = Cette action n'est pas possible dans l'état actuel du document (il a peut-être été émis ou modifié entre-temps). Rechargez la page.
error-422-title = Données invalides
error-422-text = Les données envoyées ne sont pas valides.
error-500-title = Erreur interne
error-500-text = Une erreur s'est produite de notre côté. Elle a été enregistrée ; réessayez dans un instant.
api-unauthorized = Un jeton d'API valide est requis (en-tête Authorization: Bearer …).
api-bad-json = Le corps de la requête n'est pas un JSON valide pour cette opération.

## Erreurs de champ
err-required = ce champ est obligatoire.
err-too-long = ce texte est trop long.
err-email = ce n'est pas une adresse e-mail valide.
err-taken = cette valeur est déjà utilisée.
err-empty = ce champ est vide.
err-format = le format n'est pas valide.
err-checksum = les chiffres de contrôle ne correspondent pas.
err-national-checksum = les chiffres de contrôle belges du compte ne correspondent pas.
err-birth-date = la date de naissance contenue dans le numéro est impossible.
err-postcode = un code postal belge compte 4 chiffres.
err-country = indiquez le code pays à 2 lettres (BE, FR, NL…).
err-vat-mismatch = le numéro de TVA doit être BE suivi du numéro d'entreprise.
err-date = indiquez une date (AAAA-MM-JJ).
err-advisor-needs-office = un·e conseiller·e doit être rattaché·e à une antenne.
err-office-not-yours = vous ne pouvez rattacher une personne qu'à votre antenne.
err-cannot-demote-self = vous ne pouvez pas retirer votre propre rôle d'administrateur ni désactiver votre compte.
err-password-wrong = le mot de passe actuel est incorrect.
err-password-too-short = le mot de passe doit compter au moins 10 caractères.
err-password-mismatch = les deux mots de passe ne sont pas identiques.

## Champs
field-name = Nom
field-legal_form = Forme juridique
field-street = Rue et numéro
field-postcode = Code postal
field-city = Localité
field-country = Pays
field-enterprise_number = Numéro d'entreprise
field-vat_number = Numéro de TVA
field-iban = IBAN
field-court_register = Registre des personnes morales
field-region = Région
field-email = E-mail
field-phone = Téléphone
field-first_name = Prénom
field-last_name = Nom de famille
field-niss = Numéro de registre national
field-language = Langue
field-gender = Genre déclaré
gender-f = Femme
gender-m = Homme
gender-x = Autre
gender-none = Non précisé
err-person-gender = choisissez femme, homme, autre ou non précisé.
field-office_id = Antenne
field-password = Mot de passe
field-password_confirm = Confirmation du mot de passe
field-current_password = Mot de passe actuel
field-roles = Rôles
field-advisor_office_id = Antenne du rôle de conseiller·e
field-active = Actif
field-token_name = Nom du jeton
field-label = Version
field-effective_from = En vigueur le
field-text_fr = Texte en français
field-text_nl = Texte en néerlandais
field-text_en = Texte en anglais

## Valeurs
role-member = Sociétaire
role-advisor = Conseiller·e
role-accountant = Comptabilité
role-legal = Service juridique
role-participation = Participation
role-facilities = Lieux et logistique
role-prevention = Prévention et diversité
role-board = Conseil d'administration
role-administrator = Administrateur·rice
region-brussels = Bruxelles
region-flanders = Flandre
region-wallonia = Wallonie
language-fr = Français
language-nl = Néerlandais
language-en = Anglais

## Connexion
login-title = Connexion
login-intro = Connectez-vous avec l'adresse e-mail de votre compte ruche.
login-submit = Se connecter
login-forgot = Mot de passe oublié ?
login-failed = Adresse e-mail ou mot de passe incorrect.
login-too-many-attempts = Trop de tentatives de connexion. Pour votre sécurité, réessayez dans 15 minutes ou réinitialisez votre mot de passe.
login-password-changed = Votre mot de passe a été changé. Connectez-vous avec le nouveau.
forgot-title = Mot de passe oublié
forgot-intro = Indiquez votre adresse e-mail : nous vous enverrons un lien pour choisir un nouveau mot de passe.
forgot-submit = Envoyer le lien
forgot-sent = Si un compte existe pour cette adresse, un lien vient d'être envoyé. Il est valable une heure.
reset-title = Nouveau mot de passe
reset-submit = Enregistrer le mot de passe
reset-invalid = Ce lien n'est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau.
password-rule = Au moins 10 caractères. Une phrase facile à retenir fait un bon mot de passe.
mail-reset-subject = ruche : choisir un nouveau mot de passe
mail-reset-body = Bonjour,

    Pour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure) :
    { $link }

    Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.

    — ruche
mail-invitation-subject = Votre compte ruche
mail-invitation-body = Bonjour,

    Un compte ruche a été créé pour vous. Pour choisir votre mot de passe, ouvrez ce lien (valable 7 jours) :
    { $link }

    — ruche

## Tableau de bord
dashboard-title = Tableau de bord
dashboard-hello = Bonjour { $name } !
dashboard-member = Mes activités
dashboard-member-no-activity = Vous n'avez pas encore d'activité. Proposez la première : votre conseiller·e la validera, puis vous y suivrez devis, factures et budget.
dashboard-member-office = Votre antenne : { $office }.
dashboard-member-complete-profile = Il manque votre IBAN ou votre numéro de registre national : ils sont nécessaires pour vous payer.
dashboard-advisor = Mon antenne
dashboard-advisor-no-office = Votre rôle de conseiller·e n'est rattaché à aucune antenne : demandez-le à un·e administrateur·rice.
dashboard-advisor-offices = Antenne(s) : { $offices }
dashboard-advisor-persons = personnes suivies
dashboard-accountant = Comptes bancaires des entités
dashboard-accountant-empty = Aucune entité juridique n'est encore enregistrée.
dashboard-board = Conseil d'administration
dashboard-board-accepted = sociétaires ont accepté le contrat d'usage en vigueur
dashboard-board-no-contract = Aucun contrat d'usage n'est en vigueur.
dashboard-admin = Administration
dashboard-admin-no-entity = Commencez par enregistrer la coopérative elle-même.
dashboard-admin-no-office = Aucune antenne : créez-en une pour y rattacher conseiller·e·s et sociétaires.

## Contrat d'usage
contract-title = Contrat d'usage
contract-version = Version { $label }
contract-effective = en vigueur depuis le { $date }
contract-must-accept = Une nouvelle version du contrat d'usage est en vigueur. Lisez-la et acceptez-la pour continuer à utiliser ruche.
contract-accept = J'ai lu et j'accepte le contrat d'usage
contract-accepted-on = Vous avez accepté cette version le { $date }.
contract-staff-intro = Chaque version s'applique à partir de sa date d'entrée en vigueur ; dès ce jour, chaque sociétaire doit l'accepter à nouveau.
contract-none = Aucune version publiée.
contract-accepted-by = Acceptée par
contract-in-force = en vigueur
contract-publish = Publier une nouvelle version
contract-publish-hint = La publication est définitive : une version publiée ne se modifie pas, on en publie une autre.

## Mon compte
account-details = Mes coordonnées
account-details-hint = Pour corriger vos coordonnées, adressez-vous à votre conseiller·e.
account-roles = Rôles
account-password = Changer de mot de passe
account-password-submit = Changer le mot de passe
tokens-title = Jetons d'API
tokens-intro = Un jeton permet à un programme d'utiliser l'API de ruche en votre nom (/api/v1, documentation : /api/openapi.json).
tokens-empty = Aucun jeton.
tokens-create = Créer un jeton
tokens-shown-once = Copiez ce jeton maintenant : il ne sera plus jamais affiché.
tokens-prefix = Début
tokens-created = Créé le
tokens-last-used = Dernière utilisation
tokens-revoke = Révoquer
tokens-revoked = révoqué

## Entités, antennes, personnes, comptes
entities-intro = La coopérative et ses entités sœurs (par exemple l'entité de formation) : leurs mentions légales figurent sur chaque document.
entities-new = Nouvelle entité
entities-empty = Aucune entité juridique. Enregistrez d'abord la coopérative.
offices-new = Nouvelle antenne
offices-empty = Aucune antenne pour l'instant.
persons-new = Nouvelle personne
persons-empty = Aucune personne ne correspond.
persons-search-hint = nom, prénom ou e-mail
persons-has-account = Compte :
persons-no-account = Cette personne n'a pas de compte.
accounts-intro = Chaque personne a au plus un compte ; un compte peut cumuler plusieurs rôles.
accounts-new = Créer un compte
accounts-edit = Compte
accounts-empty = Aucun compte ne correspond.
accounts-last-login = Dernière connexion
accounts-inactive = désactivé
accounts-send-invitation = Envoyer un e-mail d'invitation pour choisir un mot de passe
accounts-send-reset = Envoyer un lien de réinitialisation du mot de passe

## Journal d'audit
audit-intro = Chaque modification : qui, quand, quoi, avant et après.
audit-entity = Objet
audit-entity-id = N°
audit-actor = Auteur (e-mail)
audit-from = Du
audit-until = Au
audit-when = Quand
audit-action = Action
audit-changes = Modifications
audit-empty = Aucune modification ne correspond aux filtres.
audit-system = ruche (système)
action-create = création
action-update = modification
action-set-password = changement de mot de passe
action-reset-password = réinitialisation du mot de passe
action-revoke = révocation
action-publish = publication
action-accept = acceptation
entity-legal_entity = Entité juridique
entity-office = Antenne
entity-person = Personne
entity-account = Compte
entity-api_token = Jeton d'API
entity-usage_contract = Contrat d'usage

## Courrier sortant
mail-intro = Les e-mails envoyés par ruche et chaque tentative d'envoi. Sans serveur SMTP configuré, ils sont conservés ici.
mail-empty = Aucun e-mail.
mail-to = Destinataire
mail-subject = Objet
mail-status = État
mail-status-queued = en attente
mail-status-sent = envoyé
mail-status-kept = conservé (pas de SMTP)
mail-status-failed = échec
mail-attempts = Tentatives
mail-no-attempt = Pas encore de tentative.
mail-outcome = Résultat
mail-detail = Détail
mail-outcome-sent = envoyé
mail-outcome-kept = conservé
mail-outcome-error = erreur

## Activités et clients
nav-activities = Activités
nav-clients = Clients
edit = Modifier
field-status = État
field-sector = Secteur
field-description = Description
field-rate = Contribution
field-holder_email = E-mail du ou de la co-titulaire
field-kind = Type
field-event = Décision
activities-new = Proposer une activité
activities-new-intro = Décrivez votre activité : votre conseiller·e la validera avant que vous puissiez facturer et travailler.
activities-propose = Proposer l'activité
activities-empty-member = Vous n'avez pas encore d'activité. Proposez-en une : votre conseiller·e la validera.
activities-empty-staff = Aucune activité ne correspond aux filtres.
activity-about = L'activité
activity-holders = Titulaires
activity-add-holder = Ajouter un·e titulaire
activity-decisions = Décisions du conseiller ou de la conseillère
activity-no-decision = Aucune décision possible : l'activité est clôturée.
activity-set-rate = Fixer la contribution
activity-rate-hint = En pour cent (par exemple 6,5). Laissez vide pour appliquer le taux de la coopérative en vigueur.
activity-rate-default = taux de la coopérative
activity-proposed-hint = Cette activité attend la validation de son conseiller ou de sa conseillère.
activity-status-proposed = proposée
activity-status-active = active
activity-status-suspended = suspendue
activity-status-closed = clôturée
activity-event-validate = Valider
activity-event-suspend = Suspendre
activity-event-resume = Reprendre
activity-event-close = Clôturer
sector-performing-arts = Arts de la scène
sector-visual-arts = Arts plastiques
sector-music = Musique
sector-audiovisual = Audiovisuel
sector-training = Formation
sector-consulting = Conseil
sector-digital = Numérique
sector-crafts = Artisanat
sector-events = Événementiel
sector-other = Autre
clients-new = Nouveau client
clients-intro = Un seul répertoire pour toute la coopérative : chaque entreprise belge n'y figure qu'une fois, identifiée par son numéro d'entreprise.
clients-empty = Aucun client ne correspond.
clients-search-hint = nom, numéro d'entreprise ou e-mail
clients-number-hint = Entreprise belge : le numéro d'entreprise est obligatoire (il sert d'identifiant Peppol 0208). Entreprise étrangère : son numéro de TVA.
clients-use-existing = Ce client existe déjà dans le répertoire :
client-kind-company = Entreprise
client-kind-consumer = Particulier
action-validate = validation
action-suspend = suspension
action-resume = reprise
action-close = clôture
action-add-holder = ajout d'un·e titulaire
action-remove-holder = retrait d'un·e titulaire
entity-ledger_transaction = Écriture comptable
entity-activity = Activité
entity-client = Client
err-rate = indiquez un pourcentage entre 0 et 50.
err-not-a-member = aucun compte de sociétaire n'a cette adresse.
err-already-holder = cette personne est déjà titulaire.
err-transition-refused = cette décision n'est pas possible dans l'état actuel de l'activité.
err-client-exists = ce client existe déjà dans le répertoire.
