# Factures et notes de crédit.
invoices-title = Factures
invoices-new = Nouvelle facture
invoices-empty = Aucune facture pour l'instant. Créez la première à partir d'un devis accepté ou directement.
invoice-number = Numéro
invoice-kind = Type
invoice-kind-invoice = Facture
invoice-kind-credit_note = Note de crédit
invoice-draft = Brouillon
invoice-issue-date = Date
invoice-due-date = Échéance
invoice-total = Total TVAC
invoice-net = Total HTVA
invoice-vat = TVA
invoice-due = Reste dû
invoice-paid = Payé
invoice-credited = Crédité
invoice-client = Client
invoice-details = Document
invoice-ogm = Communication structurée
invoice-hash = Empreinte du document
invoice-pdf = Télécharger le PDF
invoice-ubl = Télécharger l'e-facture (UBL)
invoice-send = Envoyer au client
invoice-sent = Envoyée à { $to } avec le PDF et l'e-facture.
invoice-client-no-email = Le client n'a pas d'adresse e-mail : ajoutez-la à sa fiche ou envoyez le PDF vous-même.
invoice-credit = Créer une note de crédit
invoice-credit-notes = Notes de crédit
invoice-payments = Paiements reçus
invoice-no-payment = Aucun paiement reçu.
invoice-save-draft = Enregistrer le brouillon
invoice-issue = Émettre
invoice-issue-hint = À l'émission, le document reçoit son numéro et ne peut plus être modifié : une erreur se corrige par une note de crédit.
invoice-issue-refused = Émission refusée :
credit-note-corrects = Corrige la facture
invoice-status-draft = brouillon
invoice-status-issued = émise
invoice-status-partially_paid = payée en partie
invoice-status-paid = payée
invoice-status-credited = créditée
invoice-status-written_off = passée en perte
payment-date = Date
payment-amount = Montant
payment-reference = Référence
payment-record = Enregistrer le paiement

## Lignes d'un devis ou d'une facture (l'éditeur des lignes, pages/lines.rs)
lines-title = Lignes
lines-hint = Pour supprimer une ligne, videz sa description, sa quantité et son prix.
lines-add = Ajouter une ligne
lines-recalculate = Recalculer les totaux
line-n = Ligne { $n }
line-description = Description
line-quantity = Quantité
line-unit = Unité
line-unit-price = Prix unitaire HTVA
line-vat = TVA
line-cost = Votre coût (€)
line-net = Montant HTVA
line-price = Calculer le prix
line-pricing-title = Aide au prix
line-pricing-hint = Indiquez votre coût sur une ligne et appuyez sur « Calculer le prix » : le prix unitaire devient coût ÷ (1 − contribution), ici une contribution de { $rate }, pour que le budget de l'activité reçoive tout le coût.
line-pricing-done = Ligne { $n } : coût { $cost } ÷ (1 − { $rate }) = { $price }.
unit-HUR = heure
unit-DAY = jour
unit-C62 = pièce
unit-KMT = km
unit-LS = forfait
vat-Z = 0 % (taux zéro)
vat-E = exonéré (E)
vat-AE = autoliquidation (AE)
vat-K = livraison intracommunautaire (K)
vat-G = exportation (G)
vat-O = hors champ de la TVA (O)

## Champs et messages
field-client_id = Client
field-entity_id = Entité qui facture
field-due_days = Délai de paiement (jours)
field-order_reference = Référence du client
field-note = Note
field-amount = Montant
field-received_on = Reçu le
field-reference = Référence
field-total = Total
field-due_date = Échéance
field-buyer_vat_number = Numéro de TVA du client
field-buyer_enterprise_number = Numéro d'entreprise du client
err-number = indiquez un nombre, par exemple 2,5.
err-due-days = indiquez un nombre de jours entre 0 et 365.
err-no-lines = ajoutez au moins une ligne.
err-unit-unknown = choisissez une unité de la liste.
err-vat-unknown = choisissez un taux de TVA de la liste.
err-too-many-lines = un document compte au plus 200 lignes.
err-cost = indiquez votre coût en euros, par exemple 1.000,00.
err-pricing = la contribution ne laisse rien pour calculer un prix.
err-amount = indiquez un montant positif.
err-invoice-not-editable = ce document est émis : il ne se modifie plus.
err-invoice-not-draft = ce document est déjà émis.
err-activity-not-active = l'activité n'est pas active : elle ne peut pas facturer.
err-issue-date-before-last = un document de cette série porte déjà une date postérieure.
err-numbering = la numérotation de cette série est épuisée.
err-ogm-exhausted = plus de communication structurée disponible cette année.
err-due-date = l'échéance est impossible.
err-credit-note-without-invoice = une note de crédit doit corriger une facture.
err-invoice-not-creditable = cette facture ne peut pas être créditée.
err-invoice-not-open = cette facture n'attend plus de paiement.
err-not-an-invoice = seule une facture reçoit un paiement.
err-payment-not-positive = le montant doit être positif.
doc-on-line = ligne { $line } : { $text }
doc-no-lines = le document n'a aucune ligne.
doc-description-empty = la description est vide.
doc-unit-empty = l'unité manque.
doc-quantity-not-positive = la quantité doit être positive (une correction se fait par une note de crédit).
doc-unit-price-negative = le prix unitaire ne peut pas être négatif.
doc-line-amount-too-large = le montant de la ligne est trop grand.
doc-total-too-large = le total est trop grand.
doc-vat-rate-not-allowed = ce taux de TVA n'existe pas à cette date pour cette catégorie.
doc-reverse-charge-needs-buyer-vat = l'autoliquidation exige le numéro de TVA du client.
doc-intra-community-needs-eu-buyer-vat = une livraison intracommunautaire exige le numéro de TVA du client dans un autre pays de l'UE.
doc-exemption-reason-missing = l'exonération doit mentionner sa base légale.
doc-buyer-enterprise-number-invalid = le numéro d'entreprise du client n'est pas valable.
doc-buyer-enterprise-number-missing = un client belge assujetti doit avoir son numéro d'entreprise.
doc-buyer-numbers-differ = le numéro de TVA du client n'est pas BE suivi de son numéro d'entreprise.
doc-buyer-vat-number-invalid = le numéro de TVA du client n'est pas valable.
doc-due-date-before-issue-date = l'échéance précède la date du document.
doc-totals-mismatch = les totaux ne correspondent pas aux lignes.
doc-credit-note-not-positive = une note de crédit doit créditer un montant positif.
doc-credit-exceeds-remaining = la note de crédit dépasse ce qui reste à créditer sur la facture.
doc-mention-missing = une mention légale manque (vérifiez l'entité qui facture).
doc-mention-invalid = une mention légale n'est pas valable (vérifiez l'entité qui facture).
mail-invoice-subject = Facture { $number } — { $seller }
mail-invoice-body = Bonjour,

    Veuillez trouver ci-joint la facture { $number } d'un montant de { $amount }, à payer au plus tard le { $due } sur le compte { $iban } avec la communication structurée { $ogm }.

    L'e-facture (UBL) est jointe lorsque vous êtes une entreprise.

    — { $seller }
mail-credit-note-subject = Note de crédit { $number } — { $seller }
mail-credit-note-body = Bonjour,

    Veuillez trouver ci-joint la note de crédit { $number } d'un montant de { $amount }.

    — { $seller }
action-issue = émission
action-payment = paiement
entity-invoice = Facture
quote-make-invoice = Facturer ce bon de commande
err-quote-not-accepted = ce devis n'est pas accepté : il ne peut pas être facturé.
invoices-search-hint = numéro ou client
invoice-pay-to = Compte à créditer
invoices-year = Émises en
