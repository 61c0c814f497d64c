-- The board (C11; reference/governance.md ES-6, CNC-4, CNC-5, TV-15): director mandates and
-- how each was conferred, board meetings and who attended, the allowances the general
-- assembly decided, the payments to directors; and the allocation of each financial
-- year's result (ES-8, CNC-5, TV-10) as the general assembly decided it, in order.

CREATE TABLE director_mandates (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    -- chair | director | secretary | treasurer
    role TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    -- The end of the term the assembly set; none: until further notice.
    ends_on TEXT,
    -- resolution | statutes | cooptation   (CNC-4: appointed by the GA, statutory, or
    -- co-opted by the board and confirmed by the next GA)
    appointed_by TEXT NOT NULL,
    -- The adopted GA resolution of kind 'appointment' (appointed_by = resolution).
    resolution_id BIGINT REFERENCES resolutions (id),
    -- The statutes article naming the director (appointed_by = statutes).
    article_id BIGINT REFERENCES statute_articles (id),
    -- The GA resolution confirming a co-optation.
    confirmed_by_resolution_id BIGINT REFERENCES resolutions (id),
    -- When the mandate ended early or at term, and why:
    -- term | resignation | dismissal | death | other
    ended_on TEXT,
    end_reason TEXT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX director_mandates_by_person ON director_mandates (person_id, starts_on);

CREATE TABLE board_meetings (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL,
    minutes TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX board_meetings_by_date ON board_meetings (held_on, id);

-- Who attended: one row per director present (a director in office on the day).
CREATE TABLE board_attendance (
    meeting_id BIGINT NOT NULL REFERENCES board_meetings (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX board_attendance_by_person ON board_attendance (person_id, meeting_id);

-- What the GA granted every director (ES-6): an expense allowance or an attendance fee.
CREATE TABLE director_allowances (
    id INTEGER PRIMARY KEY,
    -- The adopted GA resolution of kind 'allowance'.
    resolution_id BIGINT NOT NULL REFERENCES resolutions (id),
    -- expense_allowance | attendance_fee
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    -- per_meeting | per_year
    basis TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);

-- What a director was paid. With a payout order when ruche pays it by SEPA.
CREATE TABLE director_payments (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    paid_on TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    label TEXT NOT NULL,
    -- attendance_fee | expense_allowance | fixed_remuneration | profit_share | other
    kind TEXT NOT NULL,
    payout_id BIGINT REFERENCES payouts (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX director_payments_by_date ON director_payments (paid_on, person_id);

-- The allocation of a financial year's result, as the GA decided it (one per year).
CREATE TABLE appropriations (
    id INTEGER PRIMARY KEY,
    financial_year BIGINT NOT NULL UNIQUE,
    -- The adopted GA resolution of kind 'appropriation'.
    resolution_id BIGINT NOT NULL REFERENCES resolutions (id),
    -- Negative for a loss.
    result_cents BIGINT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);

-- Its lines, in the order decided (ES-8: a purpose reserve before any dividend).
CREATE TABLE appropriation_lines (
    appropriation_id BIGINT NOT NULL REFERENCES appropriations (id),
    position BIGINT NOT NULL,
    -- legal_reserve | purpose_reserve | other_reserve | dividend | rebate |
    -- carried_forward | board_profit_share
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    PRIMARY KEY (appropriation_id, position)
);
