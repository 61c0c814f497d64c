# Files attached to records (loans, guide, legal help).
err-attachment-empty = le fichier est vide.
err-attachment-size = un fichier dépasse 10 Mo.
err-attachment-type = ce type de fichier n’est pas accepté (PDF, image, document Word, Excel ou OpenDocument, texte).
err-attachment-count = 5 fichiers au plus à la fois.
attachments-title = Pièces jointes
attachments-none = Aucune pièce jointe.
attachments-add = Joindre des fichiers
attachments-hint = PDF, images, documents Word, Excel ou OpenDocument, texte ; 10 Mo par fichier, 5 fichiers au plus.
field-attachments = Pièces jointes
