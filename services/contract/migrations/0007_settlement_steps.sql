-- CON-10 after the computation: the buyer's choice beyond 3%, the supplementary agreement
-- 补充协议, finance's settlement and the invoice; CON-6 cancellations that wait for their refund.

ALTER TABLE area_settlements DROP CONSTRAINT area_settlements_status_check;
ALTER TABLE area_settlements
    ADD CONSTRAINT area_settlements_status_check CHECK (status IN ('no_difference', 'to_settle',
        'awaiting_buyer_choice', 'buyer_cancelled', 'agreed', 'settled', 'invoiced',
        'superseded')),
    -- REG-1 beyond 3%: keep (settle) or cancel (full refund plus interest).
    ADD COLUMN buyer_choice             text NULL CHECK (buyer_choice IN ('keep', 'cancel')),
    ADD COLUMN choice_note              text NULL,
    ADD COLUMN chosen_by                text NULL,
    ADD COLUMN chosen_at                timestamptz NULL,
    ADD COLUMN cancellation_request_id  uuid NULL REFERENCES contract_refund_requests (id),
    ADD COLUMN refund_interest_fen      bigint NULL CHECK (refund_interest_fen >= 0),
    -- The supplementary agreement and when the buyer's payment is due.
    ADD COLUMN agreement_no             text NULL,
    ADD COLUMN agreement_signed_on      date NULL,
    ADD COLUMN payment_due_date         date NULL,
    ADD COLUMN agreed_by                text NULL,
    ADD COLUMN agreed_at                timestamptz NULL,
    -- Finance's settlement (finance.area_settlement.settled).
    ADD COLUMN settled_at               timestamptz NULL,
    ADD COLUMN settled_how              text NULL CHECK (settled_how IN
                                            ('received', 'refunded', 'reduced', 'nothing_due')),
    -- The invoice for the difference.
    ADD COLUMN invoice_no               text NULL,
    ADD COLUMN invoice_date             date NULL,
    ADD COLUMN invoiced_by              text NULL,
    ADD COLUMN invoiced_at              timestamptz NULL;
-- A supplementary agreement number is used once.
CREATE UNIQUE INDEX area_settlements_agreement_no ON area_settlements (agreement_no)
    WHERE agreement_no IS NOT NULL;

-- Per-project yearly interest rate on a REG-1 cancellation's refund (basis points, 300 = 3%).
ALTER TABLE project_refs
    ADD COLUMN refund_interest_bp_per_year integer NOT NULL DEFAULT 300
        CHECK (refund_interest_bp_per_year BETWEEN 0 AND 10000);

-- CON-6: an approved cancellation waits for finance to pay its refund (status 'cancelling');
-- the refund paid (finance.refund.paid) cancels the contract and releases the unit.
ALTER TABLE contracts DROP CONSTRAINT contracts_status_check;
ALTER TABLE contracts ADD CONSTRAINT contracts_status_check CHECK (status IN ('in_audit',
    'rejected', 'reviewed', 'stamped', 'registered', 'cancelling', 'cancelled'));
-- CON-9: the handover clerk records the handover; a sales supervisor (not the same person)
-- confirms it, and only then is the unit handed over.
ALTER TABLE contracts DROP CONSTRAINT contracts_handover_state_check;
ALTER TABLE contracts ADD CONSTRAINT contracts_handover_state_check CHECK (handover_state IN
    ('not_eligible', 'eligible', 'early_eligible', 'awaiting_confirmation', 'handed_over'));
ALTER TABLE contracts
    ADD COLUMN handover_recorded_by text NULL,
    ADD COLUMN handover_recorded_at timestamptz NULL;

ALTER TABLE contract_refund_requests
    ADD COLUMN refund_paid_at  timestamptz NULL,
    ADD COLUMN refund_approval_id uuid NULL;  -- finance's approval the refund was paid under
