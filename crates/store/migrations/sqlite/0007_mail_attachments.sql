-- Files attached to outgoing mail (an invoice's PDF and UBL), kept with the message.
CREATE TABLE mail_attachments (
    id INTEGER PRIMARY KEY,
    mail_id BIGINT NOT NULL REFERENCES mail_outbox (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX mail_attachments_by_mail ON mail_attachments (mail_id);
