# Debt recovery: the history of an invoice, recovery cases, the pipeline (dunning.md §7).

nav-recovery = Recouvrement
history-title = Historique
history-empty = Rien à signaler pour l’instant.
history-date = Date
history-what = Quoi
history-detail = Détail
history-amount = Montant
history-author = Par
history-issued = Facture émise
history-sent = Envoyée au client
history-payment = Paiement reçu
history-credit-note = Note de crédit
history-reminder = Rappel
history-reminder-level = niveau { $level }
history-sent-to = à { $to }
history-promised-on = (paiement promis pour le { $date })
history-system = ruche
history-open = Voir l’historique et le recouvrement
recovery-title = Recouvrement
recovery-status-member-informed = Membre informé
recovery-status-member-objected = Objection du membre
recovery-status-member-consulted = Membre consulté
recovery-status-formal-notice = Mise en demeure
recovery-status-collection-agency = Société de recouvrement
recovery-status-bailiff = Huissier
recovery-status-court = Tribunal
recovery-status-written-off = Passée en perte
recovery-status-stopped = Arrêté
recovery-status-closed = Clôturé (payée ou créditée)
recovery-entry-opened = Recouvrement ouvert, membre informé
recovery-entry-no-objection = Pas d’objection
recovery-entry-objection = Objection
recovery-entry-consultation-expired = Délai de consultation écoulé
recovery-entry-go-on = Poursuite malgré l’objection
recovery-entry-stop = Recouvrement arrêté
recovery-entry-formal-notice = Mise en demeure envoyée
recovery-entry-collection-agency = Confié à une société de recouvrement
recovery-entry-bailiff = Confié à un huissier
recovery-entry-court = Porté devant le tribunal
recovery-entry-write-off = Passée en perte (fonds de garantie)
recovery-entry-close = Clôturé
recovery-entry-call = Appel
recovery-entry-letter = Courrier
recovery-entry-promise-to-pay = Promesse de paiement
recovery-entry-note = Note
recovery-opened-on = Ouvert le
recovery-deadline = Réponse du membre attendue jusqu’au
recovery-objection = Objection du membre
recovery-closed-on = Clôturé le
recovery-none = Aucun recouvrement pour cette facture.
recovery-answer-title = Votre avis avant la mise en demeure
recovery-answer-text = La coopérative va envoyer une mise en demeure au client. Vous pouvez vous y opposer, avec une raison, jusqu’au { $deadline }. Vous n’avez pas à relancer le client vous-même.
recovery-answer-send = Envoyer ma réponse
recovery-open-title = Ouvrir le recouvrement
recovery-open-text = Le membre qui porte l’activité est informé par e-mail et peut s’opposer pendant 10 jours avant la mise en demeure.
recovery-open = Ouvrir et informer le membre
recovery-entry-title = Enregistrer une étape ou un suivi
recovery-write-off-note = Une perte est imputée au fonds de garantie mutuel, pas au budget du membre ; la TVA de la créance perdue est récupérée.
recovery-entry-record = Enregistrer
recovery-pipeline-title = Recouvrement : le pipeline
recovery-pipeline-intro = Les factures en recouvrement, par étape, avec ce qui reste dû.
recovery-stage = Étape
recovery-cases = Dossiers
recovery-due = Reste dû
recovery-all-cases = Tous les dossiers
recovery-no-case = Aucun dossier à cette étape.
recovery-invoice = Facture
recovery-activity = Activité
recovery-last-entry = Dernière action
recovery-mail-subject = Facture { $number } : recouvrement
recovery-mail-body =
    Bonjour,

    la facture { $number } reste impayée après les rappels ({ $due } dus). La coopérative va envoyer une mise en demeure au client.
    Si vous vous y opposez, dites-le avec une raison avant le { $deadline } : { $link }
    Vous n’avez pas à relancer le client vous-même.

    ruche
field-entry_kind = Quoi
field-entry_on = Date
field-entry_text = Commentaire ou raison
field-entry_cost = Coût (€)
field-promised_on = Paiement promis pour le
field-entry_document = Document (PDF, PNG, JPEG ou texte, 1,5 Mo au plus)
err-recovery-no-promise = seulement pour une promesse de paiement
err-recovery-no-cost = pas de coût pour cette étape
err-recovery-document-type = type de document non accepté (PDF, PNG, JPEG ou texte)
err-recovery-document-size = document trop lourd (1,5 Mo au plus)
err-recovery-transition-refused = cette étape n’est pas possible maintenant (le membre doit être consulté avant la mise en demeure ; pas de retour en arrière)
err-recovery-already-open = un recouvrement est déjà ouvert pour cette facture
err-recovery-closed = ce recouvrement est clôturé
err-recovery-date-before-opening = la date précède l’ouverture du recouvrement
err-recovery-consultation-running = le délai de réponse du membre n’est pas encore écoulé
err-too-many-recipients = trop de destinataires
history-channel-email = par e-mail
history-channel-letter = par lettre
