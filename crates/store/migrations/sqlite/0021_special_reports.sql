-- Closed financial years and the annual special report on the accreditation (C12;
-- reference/governance.md §3, ES-9). A report can only be approved for a closed year; once
-- approved it is frozen: the assembled report as JSON with its SHA-256, and its PDFs per
-- language rendered from that JSON once and kept (like issued invoices, decision 0009).

CREATE TABLE financial_years (
    year BIGINT PRIMARY KEY,
    closed_on TEXT NOT NULL,
    closed_by BIGINT REFERENCES accounts (id),
    closed_at BIGINT NOT NULL
);

CREATE TABLE special_reports (
    year BIGINT PRIMARY KEY REFERENCES financial_years (year),
    approved_on TEXT NOT NULL,
    -- The directors who signed, one name per line.
    signatories TEXT NOT NULL,
    -- management-report | seat
    archive TEXT NOT NULL,
    snapshot_json TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    approved_by BIGINT REFERENCES accounts (id),
    approved_at BIGINT NOT NULL
);

CREATE TABLE special_report_documents (
    year BIGINT NOT NULL REFERENCES special_reports (year),
    language TEXT NOT NULL,
    pdf BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (year, language)
);
