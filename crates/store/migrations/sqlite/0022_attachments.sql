-- Files attached to records of any module (a loan application's justification, a guide
-- article's document, a legal-help request's contract). The file itself is kept outside the
-- database under its SHA-256 (upload directory, `attachments/`); this row says whose it
-- is, what it was called and who brought it. `owner_kind` is the module's own word
-- (`loan`, `guide-article`, `legal-request`, …) and `owner_id` the record's id: each
-- module checks who may see its own records before serving one of their files.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    name TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    CHECK (size >= 0)
);
CREATE INDEX attachments_by_owner ON attachments (owner_kind, owner_id);
