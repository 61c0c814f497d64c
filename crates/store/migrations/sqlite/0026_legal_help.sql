-- Legal help (C16): a member's question, contract to review or dispute, handled by the legal
-- service (accounts with the `legal` role): triaged (priority, handler), answered, closed
-- with an outcome, reopened by the member within the service's window. Its thread holds the
-- member's and the service's messages and the service's internal notes (kind `note`, never
-- shown to the member). Files go to `attachments` (owner `legal-request` or
-- `legal-message`). Professional secrecy: the web layer shows a request to its member and
-- the legal staff only, and the audit log records ids and status changes, never the text.
-- The other engine's migration of the same name has the same columns.

CREATE TABLE legal_requests (
    id INTEGER PRIMARY KEY,
    -- The member asking, and the account they filed it from (told by e-mail of an answer).
    person_id BIGINT NOT NULL REFERENCES persons (id),
    submitted_by BIGINT REFERENCES accounts (id),
    -- An activity the member holds, when the request concerns it.
    activity_id BIGINT REFERENCES activities (id),
    kind TEXT NOT NULL CHECK (kind IN ('question', 'contract-review', 'dispute')),
    status TEXT NOT NULL
        CHECK (status IN ('submitted', 'triaged', 'answered', 'closed', 'reopened')),
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    counterparty TEXT,
    amount_cents BIGINT CHECK (amount_cents >= 0),
    deadline TEXT,
    priority TEXT CHECK (priority IN ('low', 'normal', 'urgent')),
    -- The legal staff member handling it.
    assignee_account_id BIGINT REFERENCES accounts (id),
    outcome TEXT
        CHECK (outcome IN ('advised', 'settled', 'referred', 'out-of-scope', 'withdrawn')),
    submitted_on TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    -- The first answer (the yearly figures' answer time), the last answer or closure (the
    -- reopening window counts from it), the closure.
    first_answered_on TEXT,
    first_answered_at BIGINT,
    decided_on TEXT,
    closed_on TEXT,
    reopened_count BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((kind = 'question') OR (counterparty IS NOT NULL)),
    CHECK ((status = 'closed') = (outcome IS NOT NULL))
);
CREATE INDEX legal_requests_by_person ON legal_requests (person_id, id);
CREATE INDEX legal_requests_by_status ON legal_requests (status, id);
CREATE INDEX legal_requests_by_submitted_on ON legal_requests (submitted_on);
CREATE INDEX legal_requests_by_first_answer ON legal_requests (first_answered_on);

CREATE TABLE legal_messages (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES legal_requests (id),
    author_account_id BIGINT REFERENCES accounts (id),
    -- message: the thread, both ways | answer: the service's answer (status answered) |
    -- note: internal to the legal service
    kind TEXT NOT NULL CHECK (kind IN ('message', 'answer', 'note')),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX legal_messages_by_request ON legal_messages (request_id, id);
