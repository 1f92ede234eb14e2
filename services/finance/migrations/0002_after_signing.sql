-- What changes a contract's receivable after signing: approved amendments (CON-5: new price and
-- plan), area settlements (CON-10) and handover fees (CON-9); refunds that contract decisions
-- approve (CON-6 cancellation, CON-10 settlement) and when they are paid.

ALTER TABLE schedule_items DROP CONSTRAINT schedule_items_kind_check;
ALTER TABLE schedule_items ADD CONSTRAINT schedule_items_kind_check CHECK (kind IN ('one_off',
    'instalment', 'down_payment', 'loan', 'area_settlement', 'fee'));

ALTER TABLE contracts
    -- The plan's schedule (FIN-1, as built from contract.signed or the last approved amendment);
    -- schedule_items = this with the adjustments. NULL: the stored items are the plan's.
    ADD COLUMN base_schedule  jsonb NULL,
    -- The contract version of the terms applied (contract.signed 1; amendments newer).
    ADD COLUMN terms_version  bigint NOT NULL DEFAULT 1,
    -- contract.cancelled: no longer owed (arrears leave it out).
    ADD COLUMN cancelled_at   timestamptz NULL;

-- Receivable changes after signing, each from one source (a settlement, a fee).
CREATE TABLE receivable_adjustments (
    id              uuid PRIMARY KEY,
    contract_id     uuid NOT NULL REFERENCES contracts (contract_id),
    kind            text NOT NULL CHECK (kind IN ('area_settlement', 'fee')),
    source_id       uuid NOT NULL,
    label           text NOT NULL,
    fee_kind        text NULL CHECK (fee_kind IN ('maintenance_fund', 'property_fee', 'agency_fee')),
    note            text NULL,
    amount_fen      bigint NOT NULL CHECK (amount_fen <> 0),
    due_date        date NOT NULL,
    recorded_by     text NOT NULL,
    source_event_id uuid NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, source_id),
    CHECK ((kind = 'fee') = (fee_kind IS NOT NULL))
);
CREATE INDEX receivable_adjustments_contract_idx ON receivable_adjustments (contract_id, created_at);

-- CON-10 settlements booked from contract.area_settlement.agreed, and how they were settled.
CREATE TABLE area_settlements (
    settlement_id         uuid PRIMARY KEY,
    contract_id           uuid NOT NULL REFERENCES contracts (contract_id),
    project_id            uuid NOT NULL,
    buyer_pays_fen        bigint NOT NULL CHECK (buyer_pays_fen >= 0),
    developer_refunds_fen bigint NOT NULL CHECK (developer_refunds_fen >= 0),
    -- The part of the developer's refund to be paid out (what the buyer had paid beyond the
    -- reduced price when it was booked); the rest only reduced what the buyer owed.
    refund_due_fen        bigint NOT NULL CHECK (refund_due_fen >= 0),
    booked_at             timestamptz NOT NULL DEFAULT now(),
    settled_at            timestamptz NULL,
    settled_how           text NULL CHECK (settled_how IN ('received', 'refunded', 'reduced',
                              'nothing_due'))
);

-- Refunds approved by a contract decision (FIN-4 with CON-6/CON-10): the approval names what it
-- pays; paid_at is set once the refunds posted against it reach its amount.
ALTER TABLE refund_approvals
    ADD COLUMN purpose   text NULL CHECK (purpose IN ('contract_cancellation', 'area_settlement')),
    ADD COLUMN source_id uuid NULL,
    ADD COLUMN paid_at   timestamptz NULL,
    ADD CHECK ((purpose IS NULL) = (source_id IS NULL));
CREATE UNIQUE INDEX refund_approvals_cancellation ON refund_approvals (source_id)
    WHERE purpose = 'contract_cancellation';
