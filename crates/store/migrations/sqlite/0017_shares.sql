-- The share register's workflows (C11; reference/governance.md §2.B CNC-1, §2.C C-5, §8.1):
-- subscription requests (refused only for an objective reason), their payments (paying
-- up), and the exits (resignations and exclusions) with their capped refund, the
-- distribution tests and the payout that pays it.

CREATE TABLE share_subscriptions (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    class_id BIGINT NOT NULL REFERENCES share_classes (id),
    shares BIGINT NOT NULL,
    requested_on TEXT NOT NULL,
    -- requested | refused | partly_paid | paid
    status TEXT NOT NULL,
    -- Paid up so far, in cents (at most shares × nominal).
    paid_cents BIGINT NOT NULL,
    -- CNC-1: a refusal names an objective reason (not_eligible | below_minimum |
    -- admission_conditions | against_interests) and explains it.
    reason_code TEXT,
    reason_text TEXT,
    refused_on TEXT,
    -- The register line (kind subscription) written at the first payment.
    operation_id BIGINT REFERENCES share_operations (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX share_subscriptions_by_status ON share_subscriptions (status, requested_on);
CREATE INDEX share_subscriptions_by_person ON share_subscriptions (person_id);

CREATE TABLE share_payments (
    id INTEGER PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES share_subscriptions (id),
    paid_on TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    -- The legal entity whose bank account received the money.
    entity_id BIGINT NOT NULL REFERENCES legal_entities (id),
    operation_id BIGINT NOT NULL REFERENCES share_operations (id),
    ledger_transaction_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX share_payments_by_subscription ON share_payments (subscription_id);

CREATE TABLE share_exits (
    id INTEGER PRIMARY KEY,
    -- resignation | exclusion
    kind TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    class_id BIGINT NOT NULL REFERENCES share_classes (id),
    -- The resignation's notice, or the exclusion's decision.
    notice_on TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    shares BIGINT NOT NULL,
    paid_up_cents BIGINT NOT NULL,
    -- NAV per share of the last approved accounts, and the date of those accounts.
    nav_per_share_cents BIGINT NOT NULL,
    accounts_on TEXT NOT NULL,
    nav_cents BIGINT NOT NULL,
    nominal_cents BIGINT NOT NULL,
    -- min(paid-up, NAV × shares, nominal × shares) (CSA 6:120; ES-5).
    cap_cents BIGINT NOT NULL,
    refund_cents BIGINT NOT NULL,
    -- none | suspended | ordered
    refund_status TEXT NOT NULL,
    -- The distribution tests as the board last entered them, with the evidence.
    net_assets_ok BOOLEAN NOT NULL,
    liquidity_ok BOOLEAN NOT NULL,
    tests_evidence TEXT NOT NULL,
    reason_code TEXT,
    reason_text TEXT,
    entity_id BIGINT NOT NULL REFERENCES legal_entities (id),
    operation_id BIGINT NOT NULL REFERENCES share_operations (id),
    ledger_transaction_id BIGINT REFERENCES ledger_transactions (id),
    payout_id BIGINT REFERENCES payouts (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX share_exits_by_date ON share_exits (effective_on);
CREATE INDEX share_exits_by_status ON share_exits (refund_status);
