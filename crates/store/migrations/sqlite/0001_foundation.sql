-- The foundation: the group, people, accounts and roles, sessions, the usage contract,
-- the audit log, jobs and the mail outbox. Instants are BIGINT Unix microseconds (UTC),
-- dates TEXT 'YYYY-MM-DD'; the PostgreSQL migration of the same name has the same columns.

CREATE TABLE legal_entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    legal_form TEXT NOT NULL,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    enterprise_number TEXT NOT NULL UNIQUE,
    vat_number TEXT,
    iban TEXT NOT NULL,
    court_register TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE offices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    niss TEXT UNIQUE,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    language TEXT NOT NULL,
    iban TEXT,
    email TEXT,
    phone TEXT,
    office_id BIGINT REFERENCES offices (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX persons_by_name ON persons (last_name, first_name);
CREATE INDEX persons_by_office ON persons (office_id);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL UNIQUE REFERENCES persons (id),
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    language TEXT,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_login_at BIGINT
);

CREATE TABLE account_roles (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    role TEXT NOT NULL,
    office_id BIGINT REFERENCES offices (id),
    PRIMARY KEY (account_id, role)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    email TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);
CREATE INDEX login_attempts_by_email ON login_attempts (email, at);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE usage_contract_versions (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    effective_from TEXT NOT NULL,
    text_fr TEXT NOT NULL,
    text_nl TEXT NOT NULL,
    text_en TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES accounts (id)
);

CREATE TABLE usage_contract_acceptances (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    version_id BIGINT NOT NULL REFERENCES usage_contract_versions (id),
    accepted_at BIGINT NOT NULL,
    ip TEXT,
    PRIMARY KEY (account_id, version_id)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_account_id BIGINT,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id BIGINT,
    before_json TEXT,
    after_json TEXT,
    ip TEXT
);
CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_by_at ON audit_log (at);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    unique_key TEXT UNIQUE,
    status TEXT NOT NULL,
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_due ON jobs (status, run_at);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    job_id BIGINT REFERENCES jobs (id)
);
CREATE INDEX mail_outbox_by_created ON mail_outbox (created_at);

CREATE TABLE mail_attempts (
    id INTEGER PRIMARY KEY,
    mail_id BIGINT NOT NULL REFERENCES mail_outbox (id),
    at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX mail_attempts_by_mail ON mail_attempts (mail_id);
