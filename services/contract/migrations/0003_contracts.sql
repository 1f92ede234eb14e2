-- Contracts 合同 (CON-3 … CON-7, CON-9): signing, numbering, the audit chain, amendments,
-- cancellation after review, handover eligibility and handover.

-- Per-project contract settings (DOMAIN.md defaults; PATCH /api/v1/projects/{id}/contract-settings).
ALTER TABLE project_refs
    ADD COLUMN max_standard_discount_bp integer NOT NULL DEFAULT 300
        CHECK (max_standard_discount_bp BETWEEN 0 AND 10000),   -- CON-3 standard rules
    ADD COLUMN penalty_bp_per_day integer NOT NULL DEFAULT 5
        CHECK (penalty_bp_per_day BETWEEN 0 AND 1000),          -- FIN-5 daily penalty rate
    ADD COLUMN audit_deadline_working_days integer NOT NULL DEFAULT 2
        CHECK (audit_deadline_working_days BETWEEN 1 AND 30);   -- CON-4

-- CON-3: a confirmed subscription becomes `signed` when its contract is signed.
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check CHECK (status IN
    ('pending_deposit', 'confirmed', 'cancellation_requested', 'cancelled', 'signed'));

-- Gap-free contract serials per project and year: the counter row is incremented with
-- INSERT … ON CONFLICT DO UPDATE … RETURNING in the signing transaction, so concurrent signers
-- of one project queue on the row and a rollback leaves no gap.
CREATE TABLE contract_counters (
    project_id   uuid NOT NULL,
    year         integer NOT NULL,
    last_serial  bigint NOT NULL CHECK (last_serial >= 1),
    PRIMARY KEY (project_id, year)
);

-- Approvals by the GM: discount slips 优惠批示单 and late signing (CON-3), early handover (CON-9).
CREATE TABLE approvals (
    id                   uuid PRIMARY KEY,
    kind                 text NOT NULL CHECK (kind IN ('discount_slip', 'late_signing',
                                                       'early_handover')),
    project_id           uuid NOT NULL,
    subscription_id      uuid NULL REFERENCES subscriptions (id),
    contract_id          uuid NULL,
    discount_fen         bigint NULL CHECK (discount_fen >= 0),
    reason               text NOT NULL,
    status               text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    requested_by         text NOT NULL,
    requested_at         timestamptz NOT NULL DEFAULT now(),
    decided_by           text NULL,
    decided_at           timestamptz NULL,
    decision_note        text NULL,
    used_by_contract_id  uuid NULL,
    CHECK ((kind = 'early_handover') = (contract_id IS NOT NULL)),
    CHECK ((kind = 'early_handover') = (subscription_id IS NULL)),
    CHECK ((kind = 'discount_slip') = (discount_fen IS NOT NULL))
);
CREATE INDEX approvals_project_idx ON approvals (project_id, kind, status);

CREATE TABLE contracts (
    id                        uuid PRIMARY KEY,
    contract_no               text NOT NULL UNIQUE,
    project_id                uuid NOT NULL,
    year                      integer NOT NULL,
    serial                    bigint NOT NULL,
    subscription_id           uuid NOT NULL UNIQUE REFERENCES subscriptions (id),
    unit_id                   uuid NOT NULL,
    customer_id               uuid NOT NULL,
    rep_id                    text NOT NULL,
    status                    text NOT NULL CHECK (status IN ('in_audit', 'rejected', 'reviewed',
                                  'stamped', 'registered', 'cancelled')),
    list_total_fen            bigint NOT NULL CHECK (list_total_fen >= 0),
    discount_fen              bigint NOT NULL,
    price_fen                 bigint NOT NULL,
    deposit_paid_fen          bigint NOT NULL CHECK (deposit_paid_fen >= 0),
    penalty_bp_per_day        integer NOT NULL,
    payment_plan              text NOT NULL CHECK (payment_plan IN
                                  ('one_off', 'instalments', 'mortgage')),
    plan                      jsonb NOT NULL,
    discount_slip_id          uuid NULL REFERENCES approvals (id),
    late_signing_approval_id  uuid NULL REFERENCES approvals (id),
    audit_round               integer NOT NULL DEFAULT 1,
    signed_at                 timestamptz NOT NULL,
    signed_by                 text NOT NULL,
    stamped_on                date NULL,        -- CON-4 stamping 盖章
    stamp_no                  text NULL,
    stamped_by                text NULL,
    filed_at                  timestamptz NULL, -- CON-7 网签备案: filing time
    registration_date         date NULL,
    registration_no           text NULL,
    handover_state            text NOT NULL DEFAULT 'not_eligible' CHECK (handover_state IN
                                  ('not_eligible', 'eligible', 'early_eligible', 'handed_over')),
    early_handover_approval_id uuid NULL REFERENCES approvals (id),
    eligible_at               timestamptz NULL,
    handover_notice_date      date NULL,        -- CON-9
    handed_over_on            date NULL,
    handover_confirmed_by     text NULL,
    cancelled_at              timestamptz NULL,
    version                   bigint NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, year, serial),
    CHECK (discount_fen BETWEEN 0 AND list_total_fen),
    CHECK (price_fen = list_total_fen - discount_fen),
    CHECK (deposit_paid_fen <= price_fen)
);
-- INV-4: one live contract per unit.
CREATE UNIQUE INDEX contracts_one_live_per_unit ON contracts (unit_id) WHERE status <> 'cancelled';
CREATE INDEX contracts_project_idx ON contracts (project_id, status);
CREATE INDEX contracts_handover_idx ON contracts (project_id, handover_state);

-- CON-4 audit chain, one row per step as it opens; a new round after a rejection (contract) and
-- a separate chain per amendment (CON-5).
CREATE TABLE contract_audits (
    id            bigserial PRIMARY KEY,
    contract_id   uuid NOT NULL REFERENCES contracts (id),
    amendment_id  uuid NULL,
    round         integer NOT NULL,
    step          integer NOT NULL CHECK (step BETWEEN 1 AND 4),
    role          text NOT NULL,
    opened_on     date NOT NULL,
    due_on        date NOT NULL,
    decision      text NULL CHECK (decision IN ('approved', 'rejected')),
    note          text NULL,
    actor         text NULL,
    decided_at    timestamptz NULL
);
CREATE UNIQUE INDEX contract_audits_step ON contract_audits
    (contract_id, coalesce(amendment_id, '00000000-0000-0000-0000-000000000000'::uuid), round, step);
CREATE INDEX contract_audits_open_idx ON contract_audits (due_on) WHERE decision IS NULL;

-- CON-5 amendments: proposed terms, applied to the contract only on the final approval.
CREATE TABLE amendments (
    id            uuid PRIMARY KEY,
    contract_id   uuid NOT NULL REFERENCES contracts (id),
    status        text NOT NULL CHECK (status IN ('in_audit', 'approved', 'rejected')),
    changes       jsonb NOT NULL,   -- what the requester asked for
    new_terms     jsonb NOT NULL,   -- the terms the contract will have when approved
    reason        text NOT NULL,
    requested_by  text NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    decided_at    timestamptz NULL
);
CREATE UNIQUE INDEX amendments_one_open ON amendments (contract_id) WHERE status = 'in_audit';
ALTER TABLE contract_audits ADD FOREIGN KEY (amendment_id) REFERENCES amendments (id);

-- CON-6 refund requests for cancellation after review (approved by the finance director).
CREATE TABLE contract_refund_requests (
    id             uuid PRIMARY KEY,
    contract_id    uuid NOT NULL REFERENCES contracts (id),
    refund_fen     bigint NOT NULL CHECK (refund_fen >= 0),
    reason         text NOT NULL,
    status         text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    requested_by   text NOT NULL,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    decided_by     text NULL,
    decided_at     timestamptz NULL,
    decision_note  text NULL
);
CREATE UNIQUE INDEX contract_refund_requests_one_open ON contract_refund_requests (contract_id)
    WHERE status = 'requested';

-- Who changed what, when and why (SEC-2); append-only. Handover eligibility changes included.
CREATE TABLE contract_history (
    id           bigserial PRIMARY KEY,
    contract_id  uuid NOT NULL REFERENCES contracts (id),
    version      bigint NOT NULL,
    action       text NOT NULL,
    from_status  text NULL,
    to_status    text NOT NULL,
    actor        text NOT NULL,
    reason       text NULL,
    details      jsonb NOT NULL DEFAULT '{}',
    at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (contract_id, version)
);

-- CON-9 eligibility history: every change from finance's events or an early approval.
CREATE TABLE handover_eligibility_history (
    id           bigserial PRIMARY KEY,
    contract_id  uuid NOT NULL REFERENCES contracts (id),
    from_state   text NOT NULL,
    to_state     text NOT NULL,
    cause        text NOT NULL,    -- finance.contract.cleared | finance.contract.uncleared | early_approval
    event_id     uuid NULL,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handover_eligibility_history_contract ON handover_eligibility_history (contract_id);
