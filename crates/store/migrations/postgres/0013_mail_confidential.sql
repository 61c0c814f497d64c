-- A message carrying a secret (a password-reset or invitation link) is confidential: only
-- administrators read it on "Outgoing mail"; accountants read the rest (reminders, invoices).
ALTER TABLE mail_outbox ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE;
