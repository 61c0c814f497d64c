# Files attached to records (loans, guide, legal help).
err-attachment-empty = het bestand is leeg.
err-attachment-size = een bestand is groter dan 10 MB.
err-attachment-type = dit bestandstype wordt niet aanvaard (PDF, afbeelding, Word-, Excel- of OpenDocument-document, tekst).
err-attachment-count = hoogstens 5 bestanden tegelijk.
attachments-title = Bijlagen
attachments-none = Geen bijlagen.
attachments-add = Bestanden toevoegen
attachments-hint = PDF, afbeeldingen, Word-, Excel- of OpenDocument-documenten, tekst; 10 MB per bestand, hoogstens 5 bestanden.
field-attachments = Bijlagen
