-- Finance: subscriptions it has heard of, contracts with their receivable schedules (FIN-1),
-- the append-only ledger (FIN-2..4), refund approvals (FIN-4) and the clearance state (FIN-7).

-- Learned from contract.subscription.* (a deposit is paid against a subscription).
CREATE TABLE subscriptions (
    subscription_id uuid PRIMARY KEY,
    project_id      uuid NOT NULL,
    unit_id         uuid NULL,
    customer_id     uuid NULL,
    price_fen       bigint NULL,
    deposit_fen     bigint NULL,
    status          text NULL,
    version         bigint NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per signed contract (contract.signed); its schedule is built once (FIN-1).
CREATE TABLE contracts (
    contract_id               uuid PRIMARY KEY,
    contract_no               text NOT NULL,
    subscription_id           uuid NOT NULL UNIQUE,
    project_id                uuid NOT NULL,
    unit_id                   uuid NOT NULL,
    customer_id               uuid NOT NULL,
    rep_id                    text NOT NULL,
    price_fen                 bigint NOT NULL CHECK (price_fen > 0),
    reported_deposit_paid_fen bigint NOT NULL,  -- contract.signed's deposit_paid_fen (reference)
    ledger_deposit_fen        bigint NOT NULL,  -- what the ledger held for the subscription then
    penalty_bp_per_day        bigint NOT NULL CHECK (penalty_bp_per_day BETWEEN 0 AND 10000),
    payment_plan              text NOT NULL,
    signed_at                 timestamptz NOT NULL,
    source_event_id           uuid NOT NULL,
    cleared                   boolean NOT NULL DEFAULT false,  -- FIN-7 state, changed on events
    cleared_at                timestamptz NULL,
    clearance_version         bigint NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contracts_project_idx ON contracts (project_id);

CREATE TABLE schedule_items (
    contract_id  uuid NOT NULL REFERENCES contracts (contract_id),
    seq          int NOT NULL CHECK (seq >= 1),
    kind         text NOT NULL CHECK (kind IN ('one_off', 'instalment', 'down_payment', 'loan')),
    due_date     date NOT NULL,
    amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
    credited_fen bigint NOT NULL CHECK (credited_fen >= 0 AND credited_fen <= amount_fen),
    PRIMARY KEY (contract_id, seq)
);

-- FIN-4: a finance director approves a refund; the refund entry references it.
CREATE TABLE refund_approvals (
    id              uuid PRIMARY KEY,
    project_id      uuid NOT NULL,
    contract_id     uuid NULL,
    subscription_id uuid NULL,
    amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
    reason          text NOT NULL,
    approved_by     text NOT NULL,
    approved_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (contract_id IS NOT NULL OR subscription_id IS NOT NULL)
);

-- FIN-2/3/4: the ledger. Never updated or deleted (trigger below): a correction is a reversal
-- row (category 'reversal', amount = −original) referencing the original, at most one per entry.
CREATE TABLE ledger_entries (
    id                uuid PRIMARY KEY,
    seq               bigserial NOT NULL UNIQUE,
    project_id        uuid NOT NULL,
    contract_id       uuid NULL,
    subscription_id   uuid NULL,
    category          text NOT NULL CHECK (category IN ('deposit', 'down_payment', 'instalment',
                          'loan_disbursement', 'area_settlement', 'fee', 'penalty', 'refund',
                          'reversal')),
    method            text NULL,
    payer             text NULL,
    amount_fen        bigint NOT NULL CHECK (amount_fen <> 0),
    receipt_no        text NULL,
    paid_at           timestamptz NOT NULL,
    booked_on         date NOT NULL,  -- Shanghai day of paid_at (receipts report)
    effective_on      date NOT NULL,  -- day it counts for balances (a reversal: its original's)
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       text NOT NULL,
    reverses_entry_id uuid NULL UNIQUE REFERENCES ledger_entries (id),
    approval_ref      uuid NULL REFERENCES refund_approvals (id),
    reason            text NULL,
    note              text NULL,
    CHECK ((category = 'reversal') = (reverses_entry_id IS NOT NULL)),
    CHECK (category <> 'refund' OR approval_ref IS NOT NULL),
    CHECK (category = 'reversal' OR receipt_no IS NOT NULL),
    CHECK (contract_id IS NOT NULL OR subscription_id IS NOT NULL)
);
-- FIN-2: the receipt number is unique per project.
CREATE UNIQUE INDEX ledger_receipt_per_project ON ledger_entries (project_id, receipt_no)
    WHERE receipt_no IS NOT NULL;
CREATE INDEX ledger_contract_idx ON ledger_entries (contract_id) WHERE contract_id IS NOT NULL;
CREATE INDEX ledger_subscription_idx ON ledger_entries (subscription_id)
    WHERE subscription_id IS NOT NULL;
CREATE INDEX ledger_project_day_idx ON ledger_entries (project_id, booked_on);
CREATE INDEX ledger_approval_idx ON ledger_entries (approval_ref) WHERE approval_ref IS NOT NULL;

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are never updated or deleted (FIN-3): post a reversal';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
