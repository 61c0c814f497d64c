# ruche — textes français des devis et du bon de commande en ligne. Chaque clé existe aussi
# en néerlandais et en anglais (un test le vérifie).

## Devis d'une activité
quotes-title = Devis
quotes-of-activity = Devis de { $activity }
quotes-new = Nouveau devis
quotes-empty = Aucun devis pour l'instant.
quotes-search-hint = titre, numéro ou client
quotes-panel-title = Devis
quotes-panel-text = Les devis envoyés aux clients, et les bons de commande qu'ils ont acceptés en ligne.
quotes-panel-link = Voir les devis
quote-draft = Brouillon
quote-new-title = Nouveau devis
quote-status-draft = brouillon
quote-status-sent = envoyé
quote-status-accepted = accepté
quote-status-declined = refusé
quote-status-expired = expiré
quote-status-invoiced = facturé

## Champs
quote-field-client_id = Client
quote-field-title = Titre
quote-field-valid_until = Valable jusqu'au
quote-field-language = Langue du devis
quote-field-note = Remarque pour le client
quote-field-activity = Activité
quote-field-activity_id = Activité
quote-field-status = Statut
quote-field-number = Numéro
quote-field-issue_date = Date
quote-field-accepted_name = Vos nom et prénom
quote-field-accept = Acceptation
quote-field-decline_reason = Motif (facultatif)
quote-language-client = — la langue du client —

## Éditeur
quote-new-client = Nouveau client
quote-client-hint = Le client n'est pas encore dans le répertoire ?
quote-save = Enregistrer le brouillon

## Totaux
quote-totals = Totaux
quote-vat-breakdown = Détail de la TVA
quote-vat-base = Base imposable
quote-vat-amount = TVA
quote-total-excl = Total HTVA
quote-total-vat = Total TVA
quote-total-incl = Total TVAC

## Envoi et historique
quote-send-title = Envoyer au client
quote-send-hint = Le devis reçoit son numéro et est envoyé à { $email } avec un lien où le client l'accepte ou le refuse. Il ne peut plus être modifié ensuite.
quote-send-no-email = Le client n'a pas d'adresse e-mail : ajoutez-en une dans le répertoire avant l'envoi.
quote-send = Envoyer au client
quote-sent-notice = Le devis a été envoyé au client.
quote-history = Historique
quote-history-created = Rédigé
quote-history-sent = Envoyé à { $email }
quote-history-accepted = Accepté par { $name }
quote-history-declined = Refusé
quote-history-invoiced = Facturé
quote-history-ip = depuis l'adresse { $ip }
quote-history-reason = Motif : { $reason }
quote-order-confirmation = Accepté par le client, ce devis est le bon de commande.
quote-activity-not-active = L'activité n'est pas active : elle pourra faire des devis quand son conseiller l'aura validée.
quote-seller = Vendeur
quote-client = Client
quote-valid-until = Valable jusqu'au { $date }
quote-mail-subject = Devis { $number } : { $title }
quote-mail-body = Bonjour,

    Voici notre devis { $number } « { $title } », d'un montant de { $total } TVAC, valable jusqu'au { $date }.

    Vous pouvez le lire, puis l'accepter ou le refuser, sur cette page :
    { $link }

    { $seller } — { $activity }

## La page du client
public-quote-title = Devis { $number }
public-quote-intro = { $seller } vous adresse ce devis pour l'activité « { $activity } ».
public-quote-accept-title = Accepter le devis
public-quote-accept-check = J'accepte ce devis comme bon de commande
public-quote-accept = Accepter le devis
public-quote-decline-title = Refuser le devis
public-quote-decline = Refuser le devis
public-quote-accepted = Accepté par { $name } le { $date }.
public-quote-accepted-thanks = Merci : votre commande est confirmée.
public-quote-declined = Refusé le { $date }.
public-quote-expired = Ce devis a expiré le { $date } : demandez-en un nouveau.
public-quote-legal = Votre acceptation est enregistrée avec votre nom, l'heure et votre adresse Internet.

## Erreurs
quote-err-too-long = ce texte est trop long.
quote-err-date = indiquez une date (JJ/MM/AAAA).
quote-err-language = choisissez le français, le néerlandais ou l'anglais.
quote-err-validity-passed = la date de validité est déjà passée.
quote-err-client-unknown = ce client n'est pas dans le répertoire.
quote-err-client-without-email = le client n'a pas d'adresse e-mail : ajoutez-en une dans le répertoire.
quote-err-activity-not-operating = l'activité n'est pas active : elle ne peut pas faire de devis.
quote-err-not-editable = le devis a été envoyé : il ne peut plus être modifié.
quote-err-already-accepted = ce devis a déjà été accepté : une commande ne se confirme qu'une fois.
quote-err-already-declined = ce devis a été refusé : il ne peut plus être accepté.
quote-err-expired = ce devis a expiré : demandez-en un nouveau.
quote-err-not-sent = ce devis n'a pas été envoyé.
quote-err-not-accepted = seul un devis accepté est facturé.
quote-err-acceptance-name-missing = indiquez vos nom et prénom.
quote-err-accept-required = cochez la case pour accepter le devis comme bon de commande.
quote-err-numbering = aucun numéro n'a pu être attribué ; réessayez.
quote-err-description-empty = décrivez ce que vous fournissez.
quote-err-unit-empty = choisissez une unité.
quote-err-quantity-not-positive = la quantité doit être supérieure à zéro (une correction est une note de crédit).
quote-err-unit-price-negative = le prix unitaire ne peut pas être négatif (une remise est un prix plus bas).
quote-err-line-amount-too-large = ce montant est trop élevé.
quote-err-total-too-large = le total est trop élevé.
quote-err-vat-rate-not-allowed = ce taux de TVA n'existe pas pour cette catégorie à cette date.
quote-err-reverse-charge-needs-buyer-vat = l'autoliquidation (AE) exige le numéro de TVA du client.
quote-err-intra-community-needs-eu-buyer-vat = une livraison intracommunautaire (K) exige le numéro de TVA du client dans un autre pays de l'UE.
quote-err-exemption-reason-missing = cette catégorie de TVA exige son motif d'exonération.
quote-err-buyer-enterprise-number-invalid = le numéro d'entreprise du client n'est pas valide.
quote-err-buyer-enterprise-number-missing = un client belge avec un numéro de TVA doit avoir son numéro d'entreprise.
quote-err-buyer-numbers-differ = le numéro de TVA du client n'est pas BE suivi de son numéro d'entreprise.
quote-err-buyer-vat-number-invalid = le numéro de TVA du client n'est pas valide.

## Journal des modifications
entity-quote = Devis
action-quote-send = envoi au client
action-quote-decline = refus par le client
action-quote-invoiced = facturation
