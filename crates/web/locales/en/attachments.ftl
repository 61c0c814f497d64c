# Files attached to records (loans, guide, legal help).
err-attachment-empty = the file is empty.
err-attachment-size = a file is larger than 10 MB.
err-attachment-type = this type of file is not accepted (PDF, image, Word, Excel or OpenDocument document, text).
err-attachment-count = at most 5 files at once.
attachments-title = Attachments
attachments-none = No attachments.
attachments-add = Attach files
attachments-hint = PDF, images, Word, Excel or OpenDocument documents, text; 10 MB per file, at most 5 files.
field-attachments = Attachments
