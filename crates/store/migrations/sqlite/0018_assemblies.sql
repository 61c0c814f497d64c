-- General assemblies (C11; reference/governance.md §4): who was convened, who attends, the
-- proxy register, the ballots, and the frozen minutes. The assemblies and their resolutions
-- are in 0016_governance.

-- The shareholders convened, as they were at the convocation, with the mail sent to each
-- (none when the person has no e-mail address: convened by post).
CREATE TABLE ga_convocations (
    assembly_id BIGINT NOT NULL REFERENCES general_assemblies (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    language TEXT NOT NULL,
    mail_id BIGINT REFERENCES mail_outbox (id),
    PRIMARY KEY (assembly_id, person_id)
);
CREATE INDEX ga_convocations_by_person ON ga_convocations (person_id, assembly_id);

-- Who is present: marked by the board in the room, or online when the member opens the
-- vote page of an open assembly.
CREATE TABLE ga_attendance (
    assembly_id BIGINT NOT NULL REFERENCES general_assemblies (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    -- room | online
    mode TEXT NOT NULL,
    marked_at BIGINT NOT NULL,
    marked_by BIGINT REFERENCES accounts (id),
    PRIMARY KEY (assembly_id, person_id)
);

-- The proxy register (CSA 6:80): a principal is represented at one assembly by a proxy
-- holder. Active while not revoked; a principal has one active proxy at a time.
CREATE TABLE ga_proxies (
    id INTEGER PRIMARY KEY,
    assembly_id BIGINT NOT NULL REFERENCES general_assemblies (id),
    principal_person_id BIGINT NOT NULL REFERENCES persons (id),
    holder_person_id BIGINT NOT NULL REFERENCES persons (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX ga_proxies_by_assembly ON ga_proxies (assembly_id, holder_person_id);

-- One ballot per principal and resolution: the principal's own, or cast by their proxy.
CREATE TABLE ga_ballots (
    id INTEGER PRIMARY KEY,
    resolution_id BIGINT NOT NULL REFERENCES resolutions (id),
    principal_person_id BIGINT NOT NULL REFERENCES persons (id),
    cast_by_person_id BIGINT NOT NULL REFERENCES persons (id),
    -- yes | no | abstain
    choice TEXT NOT NULL,
    cast_at BIGINT NOT NULL,
    UNIQUE (resolution_id, principal_person_id)
);

-- The minutes, frozen when the assembly closes: the data snapshot (JSON) at closing, then
-- the PDF rendered from it once, with its SHA-256 (DESIGN.md §5).
CREATE TABLE ga_minutes (
    assembly_id BIGINT PRIMARY KEY REFERENCES general_assemblies (id),
    snapshot TEXT NOT NULL,
    params_version TEXT NOT NULL,
    pdf BLOB,
    sha256 TEXT,
    created_at BIGINT NOT NULL
);
