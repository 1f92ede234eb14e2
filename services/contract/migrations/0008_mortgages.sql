-- The mortgage desk 按揭 (CON-8): one mortgage file per contract signed with a mortgage plan,
-- opened in the signing transaction; its document checklist, bank submission, decision,
-- mortgage registration 抵押登记 and the loan disbursements finance records (loan_disbursement
-- entries, FIN-2/FIN-3). Rules: src/domain/mortgage.hpp.

-- Per-project deadlines (calendar days; PATCH /api/v1/projects/{id}/mortgage-settings). A project
-- without a row uses the defaults.
CREATE TABLE mortgage_settings (
    project_id          uuid PRIMARY KEY,
    documents_due_days  integer NOT NULL DEFAULT 15 CHECK (documents_due_days BETWEEN 1 AND 366),
    decision_due_days   integer NOT NULL DEFAULT 30 CHECK (decision_due_days BETWEEN 1 AND 366),
    updated_by          text NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mortgages (
    id                          uuid PRIMARY KEY,
    contract_id                 uuid NOT NULL UNIQUE REFERENCES contracts (id),
    project_id                  uuid NOT NULL,
    status                      text NOT NULL CHECK (status IN ('documents_pending',
                                    'documents_complete', 'submitted', 'approved', 'refused',
                                    'registered', 'disbursed')),
    version                     bigint NOT NULL DEFAULT 1,
    loan_fen                    bigint NOT NULL CHECK (loan_fen > 0),  -- the plan's, refreshed
    loan_expected_date          date NOT NULL,                         -- disbursement deadline
    loan_kind                   text NOT NULL CHECK (loan_kind IN ('commercial',
                                    'provident_fund', 'combined')),
    provident_fund_fen          bigint NULL CHECK (provident_fund_fen > 0),
    commercial_fen              bigint NULL CHECK (commercial_fen > 0),
    signed_on                   date NOT NULL,
    documents_due_on            date NOT NULL,
    received_documents          text[] NOT NULL DEFAULT '{}',
    bank_name                   text NULL,
    bank_branch                 text NULL,
    submitted_on                date NULL,
    decision_due_on             date NULL,
    submissions                 integer NOT NULL DEFAULT 0,
    approved_fen                bigint NULL CHECK (approved_fen > 0),
    approved_on                 date NULL,
    refused_on                  date NULL,
    refusal_reason              text NULL,
    registration_no             text NULL,
    registered_on               date NULL,
    disbursed_fen               bigint NOT NULL DEFAULT 0 CHECK (disbursed_fen >= 0),
    disbursed_on                date NULL,
    status_before_disbursement  text NULL,
    due_on                      date NULL,  -- the current stage's deadline (domain current_due_on)
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CHECK ((loan_kind = 'combined') = (provident_fund_fen IS NOT NULL)),
    CHECK ((loan_kind = 'combined') = (commercial_fen IS NOT NULL))
);
CREATE INDEX mortgages_project_idx ON mortgages (project_id, status);
CREATE INDEX mortgages_due_idx ON mortgages (project_id, due_on) WHERE due_on IS NOT NULL;

-- Who received which document, when (the checklist's trail; the latest row per document is its
-- state).
CREATE TABLE mortgage_documents (
    mortgage_id  uuid NOT NULL REFERENCES mortgages (id),
    document     text NOT NULL,
    received     boolean NOT NULL,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mortgage_id, document)
);

-- Finance's loan_disbursement entries applied to a file (finance.payment.recorded), once each,
-- and their reversals (finance.entry.reversed).
CREATE TABLE mortgage_disbursements (
    entry_id              uuid PRIMARY KEY,
    mortgage_id           uuid NOT NULL REFERENCES mortgages (id),
    amount_fen            bigint NOT NULL CHECK (amount_fen > 0),
    receipt_no            text NULL,
    paid_at               timestamptz NOT NULL,
    event_id              uuid NOT NULL,
    reversed_by_entry_id  uuid NULL,
    reversed_at           timestamptz NULL,
    applied_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mortgage_disbursements_mortgage_idx ON mortgage_disbursements (mortgage_id);

-- Who changed what, when and why (SEC-2); append-only.
CREATE TABLE mortgage_history (
    id           bigserial PRIMARY KEY,
    mortgage_id  uuid NOT NULL REFERENCES mortgages (id),
    version      bigint NOT NULL,
    action       text NOT NULL,
    from_status  text NULL,
    to_status    text NOT NULL,
    actor        text NOT NULL,
    reason       text NULL,
    details      jsonb NOT NULL DEFAULT '{}',
    at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mortgage_id, version)
);
