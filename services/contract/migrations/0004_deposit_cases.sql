-- Deposits judged by the money (CON-1) and reversed deposits (FIN-3), issue 13 items 7 and 9.

-- The ledger entry of each receipt: a finance.entry.reversed names the entry it reverses.
ALTER TABLE subscription_deposits
    ADD COLUMN entry_id uuid NULL,
    ADD COLUMN reversed_by_entry_id uuid NULL;
CREATE UNIQUE INDEX subscription_deposits_entry_idx ON subscription_deposits (entry_id)
    WHERE entry_id IS NOT NULL;

-- The operator list of deposits contract could not apply by itself (GET /api/v1/deposit-cases):
-- a deposit paid on time but delivered after the sweeper released the unit, when the unit could
-- not be re-taken; a reversed deposit of a subscription that is signed, cancelled or awaiting a
-- cancellation decision. The money stays flagged for refund until an operator resolves the case
-- (refund, or swap to a free unit), then marks it resolved with the resolution.
CREATE TABLE deposit_cases (
    id                uuid PRIMARY KEY,
    project_id        uuid NOT NULL,
    subscription_id   uuid NOT NULL REFERENCES subscriptions (id),
    unit_id           uuid NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('late_deposit', 'deposit_reversed')),
    receipt_no        text NULL,
    entry_id          uuid NULL,                -- the deposit's (or the reversal's) ledger entry
    amount_fen        bigint NOT NULL CHECK (amount_fen > 0),
    paid_at           timestamptz NULL,
    deposit_deadline  timestamptz NOT NULL,
    why               text NOT NULL,
    state             text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
    resolution        text NULL,
    resolved_by       text NULL,
    resolved_at       timestamptz NULL,
    event_id          uuid NOT NULL UNIQUE,     -- the finance event that opened it (idempotent)
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'resolved') = (resolution IS NOT NULL))
);
CREATE INDEX deposit_cases_state_idx ON deposit_cases (state, project_id, created_at);
CREATE INDEX deposit_cases_subscription_idx ON deposit_cases (subscription_id);
