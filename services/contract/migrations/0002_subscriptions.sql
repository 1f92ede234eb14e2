-- Subscriptions 认购 (CON-1, CON-2, REG-2) and the project settings they depend on.

-- Project settings learned from inventory.project.created / settings_changed. Defaults are
-- DOMAIN.md's: deposit within 12 h (CON-1), signing within 30 days (CON-3), deposit ≤ 20% (REG-2).
ALTER TABLE project_refs
    ADD COLUMN deposit_deadline_seconds bigint NOT NULL DEFAULT 43200
        CHECK (deposit_deadline_seconds > 0),
    ADD COLUMN signing_deadline_days integer NOT NULL DEFAULT 30
        CHECK (signing_deadline_days > 0),
    ADD COLUMN deposit_cap_percent integer NOT NULL DEFAULT 20
        CHECK (deposit_cap_percent BETWEEN 1 AND 20);

CREATE TABLE subscriptions (
    id                          uuid PRIMARY KEY,
    project_id                  uuid NOT NULL,
    unit_id                     uuid NOT NULL,
    customer_id                 uuid NOT NULL,
    rep_id                      text NOT NULL,
    status                      text NOT NULL CHECK (status IN
                                    ('pending_deposit', 'confirmed', 'cancellation_requested',
                                     'cancelled')),
    list_total_fen              bigint NOT NULL CHECK (list_total_fen >= 0),
    discount_fen                bigint NOT NULL,
    price_fen                   bigint NOT NULL,
    payment_plan                text NOT NULL CHECK (payment_plan IN
                                    ('one_off', 'instalments', 'mortgage')),
    deposit_fen                 bigint NOT NULL CHECK (deposit_fen > 0),
    deposit_paid_fen            bigint NOT NULL DEFAULT 0 CHECK (deposit_paid_fen >= 0),
    deposit_deadline            timestamptz NOT NULL,
    signing_deadline            date NOT NULL,
    refund_due_fen              bigint NOT NULL DEFAULT 0 CHECK (refund_due_fen >= 0),
    cancellation_reason         text NULL,   -- deposit_deadline_passed | cancelled_before_deposit
                                             -- | cancellation_approved
    cancellation_note           text NULL,   -- the requester's reason
    cancellation_requested_by   text NULL,
    cancellation_decided_by     text NULL,   -- the finance director (CON-2)
    cancellation_decision_note  text NULL,
    version                     bigint NOT NULL DEFAULT 1,
    created_by                  text NOT NULL,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CHECK (discount_fen BETWEEN 0 AND list_total_fen),
    CHECK (price_fen = list_total_fen - discount_fen),
    -- REG-2 is checked against the project's cap in the service; the law's 20% is the ceiling.
    CHECK (deposit_fen * 5 <= price_fen)
);

-- INV-4 "a unit never has two live deals": the second line of defence behind inventory's hold.
CREATE UNIQUE INDEX subscriptions_one_live_per_unit ON subscriptions (unit_id)
    WHERE status IN ('pending_deposit', 'confirmed', 'cancellation_requested');
-- The deposit-deadline sweeper (CON-1).
CREATE INDEX subscriptions_deadline_idx ON subscriptions (status, deposit_deadline);
-- GET /api/v1/subscriptions filters.
CREATE INDEX subscriptions_project_idx ON subscriptions (project_id, created_at);
CREATE INDEX subscriptions_rep_idx ON subscriptions (rep_id, created_at);

-- Who changed what, when and why (SEC-2); append-only.
CREATE TABLE subscription_history (
    id               bigserial PRIMARY KEY,
    subscription_id  uuid NOT NULL REFERENCES subscriptions (id),
    version          bigint NOT NULL,           -- the subscription's version after the change
    action           text NOT NULL,             -- create, confirm_deposit, swap, ...
    from_status      text NULL,                 -- NULL for create
    to_status        text NOT NULL,
    actor            text NOT NULL,             -- user id, or "system" / "finance" for automatic changes
    reason           text NULL,
    details          jsonb NOT NULL DEFAULT '{}',
    at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subscription_id, version)
);

-- Deposits received (finance.deposit.received), one row per receipt: a receipt applies once even
-- if finance re-sends it under a new event id (FIN-2: receipt numbers are unique per project).
CREATE TABLE subscription_deposits (
    project_id       uuid NOT NULL,
    receipt_no       text NOT NULL,
    subscription_id  uuid NOT NULL REFERENCES subscriptions (id),
    amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
    paid_at          timestamptz NOT NULL,
    outcome          text NOT NULL,             -- confirmed | partial | orphaned | duplicate
    event_id         uuid NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, receipt_no)
);
CREATE INDEX subscription_deposits_subscription_idx ON subscription_deposits (subscription_id);

-- Idempotency-Key of POST /api/v1/subscriptions, per caller. in_progress rows carry the
-- subscription id reserved for the request, so a retry after a crash holds with the same id
-- (inventory's hold is idempotent on it).
CREATE TABLE idempotency_keys (
    principal        text NOT NULL,
    key              text NOT NULL,
    fingerprint      text NOT NULL,
    status           text NOT NULL CHECK (status IN ('in_progress', 'completed')),
    subscription_id  uuid NOT NULL,
    response_status  integer NULL,
    response_body    text NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
